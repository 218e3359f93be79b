"""Writing outputs without destroying anything the user has.

- `check_output_path(path, inputs)`: before a long run, refuse an output path that cannot
  be written, that is a symbolic link or a device (`-o /dev/stdout` would replace the
  device node when run as root), or that is an input of the run (an article, the labels,
  the settings, the review store, a cache file), however it is spelled (`..`, a hard link).
- `write_atomic(path, text)`: a temporary file in the same folder, then a rename: a run
  killed at any moment leaves the old file or the new one, never a part. It refuses to
  replace anything but a regular file, checked again at write time.
- `write_backup(path)`: a copy of `path` as `PATH.bak`, `PATH.bak.1`, `PATH.bak.2`…:
  created exclusively, so an earlier backup is never overwritten.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path

from .errors import OutputError

MAX_BACKUPS = 10_000


def current_umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def special_file(path: Path) -> str | None:
    """Why `path` must never be replaced by an output: a link, a device, a pipe…; None when it is a
    regular file or does not exist."""
    try:
        mode = os.lstat(path).st_mode
    except (FileNotFoundError, NotADirectoryError):
        return None
    except OSError as err:
        return f"it cannot be examined ({err.strerror or err})"
    if stat.S_ISLNK(mode):
        try:
            target_is_file = stat.S_ISREG(os.stat(path).st_mode)
        except OSError:
            target_is_file = False
        if target_is_file:
            return "it is a symbolic link (refusing to replace the link; give the path of the file it points to)"
        return ("it is a symbolic link to a device, pipe or terminal, not a file (to print to the screen, "
                "leave the option out)")
    if stat.S_ISDIR(mode):
        return "it is a folder; give a file name"
    if stat.S_ISREG(mode):
        return None
    kind = ("a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else "a named pipe" if stat.S_ISFIFO(mode)
            else "a socket" if stat.S_ISSOCK(mode) else "a special file")
    return f"it is not a regular file ({kind})"


def file_identity(path: Path) -> tuple[int, int] | None:
    """(device, inode) of what `path` names, following links; None when there is nothing there."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_dev, st.st_ino


def run_inputs(corpus: str | Path | None = None, *, config: str | Path | None = None,
               store: str | Path | None = None, labels: str | Path | None = None,
               cache_dir: str | Path | None = None, include_labels: bool = True) -> dict[Path, str]:
    """The files a run reads, each with what it is: the corpus's article files, labels and
    settings file, and the given config, review store, labels and cache files that exist.
    `include_labels=False` leaves the corpus's labels out (`labels export` may write them)."""
    from .loading import article_files, own_output

    found: dict[Path, str] = {}
    root = Path(corpus) if corpus is not None else None
    if root is not None and root.is_dir():
        for path in article_files(root):
            if not own_output(path):  # a report of ours may be rewritten
                found[path] = f"article {path.name} of the corpus"
        for name, what in (("labels.jsonl", "labels file"), ("discrepancy.toml", "settings file")):
            if (root / name).exists() and (include_labels or name != "labels.jsonl"):
                found[root / name] = f"{what} of the corpus"
    for path, what in ((config, "settings file"), (store, "review store"), (labels, "labels file")):
        if path is not None and Path(path).exists():
            found[Path(path)] = what
    if cache_dir is not None:
        from .cache import CACHE_FILES

        for name in CACHE_FILES:
            if (Path(cache_dir) / name).exists():
                found[Path(cache_dir) / name] = "cache file"
    return found


def check_output_path(path: str | Path, inputs: Mapping[Path, str] | Iterable[Path] = ()) -> None:
    """Fail early (before a long run) when `path` must not or cannot be written.

    Raises `OutputError` naming the path when it is a folder, a symbolic link or a
    device, when it is one of `inputs` (a mapping path -> what it is), or when its
    nearest existing parent is not a writable folder.
    """
    target = Path(path)
    problem = special_file(target)
    if problem:
        raise OutputError(f"cannot write {target}: {problem}")
    identity = file_identity(target)
    if identity is not None:
        described = inputs if isinstance(inputs, Mapping) else {Path(p): "input file" for p in inputs}
        for source, what in described.items():
            if file_identity(source) == identity:
                raise OutputError(f"refusing to write {target}: it is an input of this run ({what}); "
                                  f"give another output path")
    parent = target.parent
    while not parent.exists() and parent != parent.parent:
        parent = parent.parent
    if not parent.is_dir():
        raise OutputError(f"cannot write {target}: {parent} is not a folder")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise OutputError(f"cannot write {target}: permission denied in {parent}")


def write_atomic(path: str | Path, content: str) -> None:
    """Write `content` to `path` via a temporary file in the same folder and a rename.

    A run killed at any moment leaves either the old file or the new one, never a
    partial file (at worst a stray `.NAME.*.tmp` beside it). Only a regular file is
    ever replaced: a symbolic link, a device or a folder at `path` is an `OutputError`.
    The new file gets the old file's permissions, or the usual ones for a new file (not
    mkstemp's 0600). Lone surrogates, which UTF-8 cannot encode, are written as "?".
    """
    target = Path(path)
    problem = special_file(target)
    if problem:
        raise OutputError(f"cannot write {target}: {problem}")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        mode = target.stat().st_mode & 0o777 if target.is_file() else 0o666 & ~current_umask()
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as err:
        raise OutputError(f"cannot write {target}: {err.strerror or err}") from err
    try:
        with contextlib.suppress(OSError):  # best effort: some file systems have no modes
            os.chmod(tmp, mode)
        with os.fdopen(fd, "w", encoding="utf-8", errors="replace", newline="\n") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        problem = special_file(target)  # a link or device that appeared during the run
        if problem:
            raise OutputError(f"cannot write {target}: {problem}")
        os.replace(tmp, target)
    except OSError as err:
        Path(tmp).unlink(missing_ok=True)
        raise OutputError(f"cannot write {target}: {err.strerror or err}") from err
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def backup_names(path: Path) -> Iterable[Path]:
    yield path.with_name(path.name + ".bak")
    for n in range(1, MAX_BACKUPS):
        yield path.with_name(f"{path.name}.bak.{n}")


def write_backup(path: str | Path) -> Path:
    """Copy `path` to the first free name of PATH.bak, PATH.bak.1, PATH.bak.2… and return it.

    The copy is written completely under a temporary name, then linked to its final name,
    which fails when the name exists: a backup is never overwritten, even by a concurrent run.
    """
    source = Path(path)
    try:
        data = source.read_bytes()
        fd, tmp = tempfile.mkstemp(prefix=f".{source.name}.", suffix=".bak.tmp", dir=source.parent)
    except OSError as err:
        raise OutputError(f"cannot back up {source}: {err.strerror or err}") from err
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        with contextlib.suppress(OSError):
            os.chmod(tmp, source.stat().st_mode & 0o777)
        for candidate in backup_names(source):
            try:
                os.link(tmp, candidate)
            except FileExistsError:
                continue
            except OSError:  # a file system without hard links: create the name exclusively instead
                try:
                    with open(candidate, "xb") as handle:
                        handle.write(data)
                except FileExistsError:
                    continue
            return candidate
        raise OutputError(f"cannot back up {source}: {MAX_BACKUPS} backups exist already")
    except OSError as err:
        raise OutputError(f"cannot back up {source}: {err.strerror or err}") from err
    finally:
        Path(tmp).unlink(missing_ok=True)
