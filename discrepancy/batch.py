"""Many event folders in one run: one report per folder and an index, locally or on a Ray cluster.

A monitoring desk checks hundreds of event folders a day. `check_folders` runs the
pipeline on each folder with the models loaded once per process (spaCy, the sentence
model and the scorer are cached per process), and returns one `FolderResult` per folder,
in the order given: its summary and its rendered reports, or the one-line error that
stopped it. One bad folder never stops the others.

`write_batch` writes them into an output folder:

    OUTDIR/NAME.md, NAME.json (and NAME.html, NAME.csv when asked)   one report per folder
    OUTDIR/index.md, index.json                                       every folder: counts, links, errors

NAME is the folder's own name. Each report is byte-identical to what
`discrepancy check FOLDER -o NAME.md --json NAME.json` writes for that folder.

With `ray_address`, folders are mapped over a Ray cluster, one task per folder; each
Ray worker process keeps its loaded models for the next folder it is given. Ray is an
optional extra (`pip install 'discrepancy[ray]'`). Every node must see the folders at
the same paths (the reports come back to this process, which writes them).
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import quote

from .errors import DiscrepancyError
from .version import __version__

INDEX_NAME = "index"  # OUTDIR/index.md and OUTDIR/index.json
DEFAULT_FORMATS = ("md", "json")
RAY_INSTALL = "pip install 'discrepancy[ray]'"
EXIT_OK, EXIT_USAGE, EXIT_INTERNAL = 0, 2, 3


@dataclass(frozen=True)
class BatchOptions:
    """Settings of a many-folder run; None means "not given" (each folder's config file, then defaults)."""

    config: str | None = None  # one settings file for every folder (default: each FOLDER/discrepancy.toml)
    model: str | None = None
    scorer: str | None = None
    min_score: float | None = None
    top_k: int | None = None
    cache_dir: str | None = None  # a root: each folder caches in CACHE_DIR/NAME (default: its own user cache)
    no_cache: bool = False
    jobs: int | None = None
    device: str = "auto"
    formats: tuple[str, ...] = DEFAULT_FORMATS
    backend: str = "auto"  # the sentence encoder's backend (auto: OpenVINO once it agrees with fp32, else torch)


@dataclass(frozen=True)
class FolderResult:
    """What one folder gave: its summary and rendered reports (format -> text), or its error."""

    name: str
    corpus: str
    summary: dict | None = None
    reports: dict[str, str] = field(default_factory=dict)
    warnings: tuple[tuple[str, str], ...] = ()  # (warning or note, text): skipped files, syndicated copies…
    changes: str | None = None  # with a previous run: its headline ("2 new, 1 changed, …")
    error: str | None = None
    exit_code: int = EXIT_OK

    @property
    def ok(self) -> bool:
        return self.error is None


# --- which folders ---------------------------------------------------------------------------------


def holds_articles(folder: Path) -> bool:
    """True when `folder` has at least one article file that is not a report of ours."""
    from .loading import article_files, own_output

    try:
        return any(not own_output(p) for p in article_files(folder))
    except OSError:
        return True  # an unreadable folder is listed, and its error reported with the others


def event_folders(root: str | Path, exclude: Iterable[str | Path] = ()) -> list[Path]:
    """The immediate subfolders of `root` that hold articles, by name (hidden ones and `exclude`,
    such as the output folder, left out). Raises `DiscrepancyError` when there are none."""
    base = Path(root)
    if not base.is_dir():
        raise DiscrepancyError(f"--each: {'not a folder' if base.exists() else 'folder not found'}: {base}")
    skip = {os.path.realpath(p) for p in exclude}
    try:
        entries = sorted(base.iterdir(), key=lambda p: p.name)
    except OSError as err:
        raise DiscrepancyError(f"--each: cannot read folder {base}: {err.strerror or err}") from err
    found = [p for p in entries if p.is_dir() and not p.name.startswith(".")
             and os.path.realpath(p) not in skip and holds_articles(p)]
    if not found:
        raise DiscrepancyError(f"--each: no subfolder of {base} holds articles (.txt, .md, .html files); "
                               f"for one folder, leave out --each")
    return found


def folder_name(folder: str | Path) -> str:
    """The name a folder's reports are written under: its own name (`.` is named as it resolves)."""
    path = Path(folder)
    return path.name or Path(os.path.abspath(path)).name or "root"


def folder_names(folders: list[Path]) -> list[str]:
    """One report name per folder; two folders of the same name are an error (their reports would collide)."""
    names = [folder_name(f) for f in folders]
    seen: dict[str, Path] = {}
    for name, folder in zip(names, folders, strict=True):
        if name.lower() in seen:
            raise DiscrepancyError(f"two folders are named {name!r} ({seen[name.lower()]} and {folder}): "
                                   f"their reports would share a file name; rename one")
        if name.lower() == INDEX_NAME:
            raise DiscrepancyError(f"a folder named {name!r} ({folder}) would overwrite the index; rename it")
        seen[name.lower()] = folder
    return names


def check_options(options: BatchOptions) -> None:
    """Fail once, before any folder, on what every folder would fail on: the shared settings file,
    model, scorer or device."""
    from .config import resolve_settings
    from .embedding import check_backend, check_device_name, model_path
    from .scoring import load_scorer

    check_device_name(options.device)
    check_backend(options.backend, options.device)
    if options.config is not None:
        resolve_settings(None, options.config)
    if options.model is not None:
        model_path(options.model)
    if options.scorer is not None:
        load_scorer(options.scorer)


# --- checking one folder -----------------------------------------------------------------------------


def folder_cache(corpus: Path, name: str, options: BatchOptions) -> Path | None:
    from .cache import default_cache_dir

    if options.no_cache:
        return None
    return Path(options.cache_dir) / name if options.cache_dir else default_cache_dir(corpus)


def check_folder(corpus: str | Path, name: str | None = None, options: BatchOptions | None = None,
                 previous=None) -> FolderResult:
    """Check one folder as `discrepancy check` does (its settings file, its review store) and render
    its reports; an error becomes the result's one-line `error` instead of an exception.

    `previous` is an earlier run (`changes.PreviousRun`) to mark findings new/changed/unchanged."""
    options = options or BatchOptions()
    corpus = Path(corpus)
    name = name or folder_name(corpus)
    try:
        return _check_folder(corpus, name, options, previous)
    except DiscrepancyError as error:
        return FolderResult(name, str(corpus), error=str(error), exit_code=error.exit_code)
    except (KeyboardInterrupt, SystemExit):
        raise
    except Exception as error:  # one folder's bug must not cost the other folders their reports
        return FolderResult(name, str(corpus), error=f"unexpected {type(error).__name__}: {error}",
                            exit_code=EXIT_INTERNAL)


def _check_folder(corpus: Path, name: str, options: BatchOptions, previous) -> FolderResult:
    from .changes import compare_runs
    from .config import resolve_settings
    from .pipeline import check_corpus
    from .reporting import render_reports, summary
    from .review import apply_reviews_or_warn, default_store_path

    settings = resolve_settings(corpus, options.config, model=options.model, scorer=options.scorer,
                                min_score=options.min_score, top_k=options.top_k).settings
    result = check_corpus(corpus, settings, cache_dir=folder_cache(corpus, name, options), device=options.device,
                          jobs=options.jobs, backend=options.backend)
    result, store_problem = apply_reviews_or_warn(result, default_store_path(corpus))
    changes = compare_runs(previous, result) if previous is not None else None
    warnings = [("warning", f"skipped {s.path}: {s.reason}") for s in result.skipped]
    warnings += [("note", f"syndicated copies counted as one source: {', '.join(g.doc_ids)}")
                 for g in result.duplicates]
    if store_problem:
        warnings.append(("warning", store_problem))
    return FolderResult(name, str(corpus), summary(result), render_reports(result, options.formats, changes),
                        tuple(warnings), changes.headline() if changes else None)


# --- many folders --------------------------------------------------------------------------------------


def check_folders(folders: list[str | Path], options: BatchOptions | None = None,
                  previous: dict[str, object] | None = None, ray_address: str | None = None,
                  on_done: Callable[[FolderResult, int, int], object] | None = None) -> list[FolderResult]:
    """Check every folder; results in the order of `folders`.

    `previous` maps a folder's name to its earlier run. `on_done(result, done, total)` hears
    about each folder as it finishes. With `ray_address` ("local": a new local Ray instance;
    "auto" or HOST:PORT: a running cluster) folders are spread over Ray; when this process is
    already connected to Ray (`ray.init` was called), that connection is used."""
    options = options or BatchOptions()
    paths = [Path(f) for f in folders]
    names = folder_names(paths)
    jobs = [(path, name, (previous or {}).get(name)) for path, name in zip(paths, names, strict=True)]
    if ray_address is None:
        results = []
        for n, job in enumerate(jobs, 1):
            results.append(check_folder(job[0], job[1], options, job[2]))
            if on_done:
                on_done(results[-1], n, len(jobs))
        return results
    by_name = {r.name: r for r in _ray_map(jobs, options, ray_address, on_done)}
    return [by_name[name] for name in names]


def import_ray():
    """The `ray` module, or a one-line `DiscrepancyError` saying how to install it."""
    try:
        import ray
    except ImportError:
        raise DiscrepancyError(f"--ray needs Ray, which is not installed: {RAY_INSTALL}") from None
    return ray


def _check_on_worker(corpus: Path, name: str, options: BatchOptions, previous) -> FolderResult:
    """A Ray task: one folder. The worker process keeps its loaded models for the next folder."""
    return check_folder(corpus, name, options, previous)


def unreachable(address: str, timeout: float = 5.0) -> str | None:
    """Why a HOST:PORT or ray://HOST:PORT address cannot be reached (None: it answers, or it is
    `local`/`auto`, which Ray resolves itself). Ray itself would retry for minutes."""
    import socket
    from urllib.parse import urlsplit

    if address in ("local", "auto"):
        return None
    parts = urlsplit(address if "://" in address else f"ray://{address}")
    try:
        host, port = parts.hostname, parts.port
    except ValueError:
        return "not HOST:PORT"
    if not host or port is None:
        return "not HOST:PORT" if not host else "no port (HOST:PORT)"
    try:
        socket.create_connection((host, port), timeout=timeout).close()
    except OSError as err:
        return err.strerror or str(err) or type(err).__name__
    return None


def _ray_map(jobs: list[tuple], options: BatchOptions, address: str,
             on_done: Callable[[FolderResult, int, int], object] | None) -> list[FolderResult]:
    import logging

    ray = import_ray()
    started = False
    if not ray.is_initialized():
        problem = unreachable(address)
        if problem:
            raise DiscrepancyError(f"--ray: cannot reach Ray at {address!r}: {problem}")
        try:
            ray.init(address=address, include_dashboard=False, logging_level=logging.ERROR,
                     configure_logging=True, log_to_driver=False)
        except (ConnectionError, ValueError, RuntimeError) as err:
            raise DiscrepancyError(f"--ray: cannot start or reach Ray at {address!r}: "
                                   f"{' '.join(str(err).split())}") from None
        started = True
    try:
        # One CPU per folder; inside it, one thread (several folders already keep the cores busy).
        worker_options = replace(options, jobs=1)
        task = ray.remote(num_cpus=1, max_retries=1)(_check_on_worker)
        pending = {task.remote(path, name, worker_options, prev): (path, name) for path, name, prev in jobs}
        results: list[FolderResult] = []
        while pending:
            ready, _ = ray.wait(list(pending), num_returns=1)
            path, name = pending.pop(ready[0])
            try:
                result = ray.get(ready[0])
            except ray.exceptions.RayError as err:  # the worker died (memory, a node lost)
                first = (str(err).strip().splitlines() or ["no details"])[0]
                result = FolderResult(name, str(path), error=f"Ray worker failed: {type(err).__name__}: {first}",
                                      exit_code=EXIT_INTERNAL)
            results.append(result)
            if on_done:
                on_done(result, len(results), len(jobs))
        return results
    finally:
        if started:
            ray.shutdown()


# --- writing the reports and the index ------------------------------------------------------------------


def report_paths(outdir: str | Path, name: str, formats: Iterable[str]) -> dict[str, Path]:
    return {fmt: Path(outdir) / f"{name}.{fmt}" for fmt in formats}


def index_paths(outdir: str | Path) -> dict[str, Path]:
    return {"md": Path(outdir) / f"{INDEX_NAME}.md", "json": Path(outdir) / f"{INDEX_NAME}.json"}


def check_outputs(outdir: str | Path, folders: list[Path], names: list[str], formats: Iterable[str]) -> None:
    """Fail before the long run when the output folder or a report in it cannot be written."""
    from .outputs import check_output_path, run_inputs

    target = Path(outdir)
    if target.exists() and not target.is_dir():
        raise DiscrepancyError(f"-o: {target} is not a folder (several folders write a folder of reports)")
    inputs: dict[Path, str] = {}
    for folder in folders:
        inputs.update(run_inputs(folder))
    for name in names:
        for path in report_paths(target, name, formats).values():
            check_output_path(path, inputs)
    for path in index_paths(target).values():
        check_output_path(path, inputs)


def write_folder_reports(result: FolderResult, outdir: str | Path) -> dict[str, Path]:
    """Write one folder's reports (atomically, each); returns format -> path. Nothing for a failed folder."""
    from .outputs import write_atomic

    if not result.ok:
        return {}
    Path(outdir).mkdir(parents=True, exist_ok=True)
    paths = report_paths(outdir, result.name, result.reports)
    for fmt, text in result.reports.items():
        write_atomic(paths[fmt], text)
    return paths


def index_data(results: list[FolderResult]) -> dict:
    """The index as plain data (index.json): every folder with its counts and report files, or its error."""
    folders = []
    for r in results:
        entry: dict = {"name": r.name, "corpus": r.corpus, "status": "ok" if r.ok else "error"}
        if r.ok:
            s = r.summary or {}
            entry.update({key: s.get(key, 0) for key in ("articles", "conflicts", "agreements", "single_source",
                                                          "duplicates", "skipped")})
            entry["conflicts_by_type"] = s.get("conflicts_by_type", {})
            entry["reports"] = {fmt: f"{r.name}.{fmt}" for fmt in r.reports}
            entry["changes"] = r.changes
        else:
            entry["error"] = r.error
        folders.append(entry)
    good = [r for r in results if r.ok]
    return {
        "tool": {"name": "discrepancy", "version": __version__},
        "totals": {
            "folders": len(results),
            "checked": len(good),
            "failed": len(results) - len(good),
            "conflicts": sum((r.summary or {}).get("conflicts", 0) for r in good),
            "agreements": sum((r.summary or {}).get("agreements", 0) for r in good),
        },
        "folders": folders,
    }


def link(text: str, target: str) -> str:
    """A Markdown link to a report file next to the index (file names percent-encoded)."""
    from .reporting import escape_md

    return f"[{escape_md(text)}]({quote(target)})"


def index_markdown(data: dict) -> str:
    """index.md: one table row per folder (counts and report links), then the errors."""
    from .formatting import plural
    from .reporting import escape_md

    t = data["totals"]
    lines = [f"# discrepancy: {plural(t['folders'], 'folder')}", "",
             f"{t['checked']} checked, {t['failed']} failed: {plural(t['conflicts'], 'conflict')}, "
             f"{t['agreements']:,} corroborated.", "",
             "| folder | articles | conflicts | corroborated | reports |", "|---|---:|---:|---:|---|"]
    since = any(f.get("changes") for f in data["folders"])
    if since:  # a run with --since: what changed in each folder
        lines[-2:] = ["| folder | articles | conflicts | corroborated | since the last run | reports |",
                      "|---|---:|---:|---:|---|---|"]
    for f in data["folders"]:
        changes = f" {escape_md(f.get('changes') or '–')} |" if since else ""
        if f["status"] == "ok":
            links = " · ".join(link(fmt.upper() if fmt != "md" else "report", path)
                               for fmt, path in f["reports"].items())
            lines.append(f"| {escape_md(f['name'])} | {f['articles']} | {f['conflicts']} | {f['agreements']} "
                         f"|{changes} {links} |")
        else:
            lines.append(f"| {escape_md(f['name'])} | – | – | – |{changes} failed (see below) |")
    errors = [f for f in data["folders"] if f["status"] == "error"]
    if errors:
        lines += ["", "## Errors", ""]
        lines += [f"- {escape_md(f['name'])}: {escape_md(' '.join(f['error'].split()))}" for f in errors]
    return "\n".join(lines) + "\n"


def write_index(results: list[FolderResult], outdir: str | Path) -> dict[str, Path]:
    """Write OUTDIR/index.md and OUTDIR/index.json (atomically); returns format -> path."""
    from .outputs import write_atomic

    Path(outdir).mkdir(parents=True, exist_ok=True)
    data = index_data(results)
    paths = index_paths(outdir)
    write_atomic(paths["json"], json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    write_atomic(paths["md"], index_markdown(data))
    return paths


def batch_exit_code(results: list[FolderResult], fail_on_conflict: bool = False) -> int:
    """2 (3 when unexpected) when a folder failed; else 1 with `fail_on_conflict` and a conflict; else 0."""
    failed = [r.exit_code for r in results if not r.ok]
    if failed:
        return max(failed)
    if fail_on_conflict and any((r.summary or {}).get("conflicts") for r in results):
        return 1
    return EXIT_OK
