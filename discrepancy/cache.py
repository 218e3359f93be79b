"""On-disk caches that cannot lie: sentence vectors, per-block analyses and the last alignment.

A cache folder holds three SQLite files:

- `embeddings.sqlite`: one vector per (model fingerprint, sentence text);
- `analysis.sqlite`: what parsing made of one text block (sentences, claims, facts) per
  (pipeline version, publication date, block text). The caller passes the version (a hash
  of its extraction code) and the type of the cached value, so this module knows nothing
  of the pipeline: it imports no other module of the package;
- `alignment.sqlite`: the candidate value pairs of the last run, with their compatibility
  and slot features, keyed by everything they are computed from (so a second run over an
  unchanged corpus skips alignment). Only the latest entry is kept.

**Where.** By default the user's cache directory (`platformdirs`: `~/.cache/discrepancy` on
Linux, honouring `XDG_CACHE_HOME`), one folder per corpus keyed by the corpus's absolute
path; inside it every entry is keyed by content. A cache inside a corpus folder (one that
came with a folder received from someone else) is only read when asked for with
`--cache-dir`.

**Trust.** Every entry carries a checksum over its key, its group (model or version) and its
value, and is decoded with a type check (vectors: length, finite values, unit norm;
analyses: a codec driven by the dataclasses' field annotations, so no class named in the
file is ever instantiated and no code is ever run). An entry that fails either check is
*damaged*: it is dropped, recomputed, counted and reported (a `CacheWarning`, which the
CLI prints as a note), never trusted and never fatal. A file SQLite cannot read at all is
rebuilt. A cache that cannot be read or written (read-only disk) only means recomputing.

Writes go in batches, one transaction each, so an interrupted run keeps every batch it
finished and never leaves a half-written entry.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re
import sqlite3
import types
import typing
import warnings
import zlib
from collections.abc import Iterable, Iterator
from contextlib import closing, contextmanager
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path

import numpy as np

CACHE_SCHEMA = 3  # 3: checksummed entries, analyses as annotation-typed JSON
EMBEDDINGS_FILE = "embeddings.sqlite"
ANALYSIS_FILE = "analysis.sqlite"
ALIGNMENT_FILE = "alignment.sqlite"
CACHE_FILES = (EMBEDDINGS_FILE, ANALYSIS_FILE, ALIGNMENT_FILE)
SIDE_SUFFIXES = ("-journal", "-wal", "-shm")
CHUNK = 500  # keys per SELECT ... IN (...)
APP_NAME = "discrepancy"
# Where older versions kept the cache, and where a received folder may bring one.
IN_CORPUS_CACHE = Path(".discrepancy") / "cache"


# --- where ---------------------------------------------------------------------------------------


def user_cache_root() -> Path:
    """The user's cache directory for this tool (platformdirs: XDG_CACHE_HOME or ~/.cache on Linux)."""
    import platformdirs

    return Path(platformdirs.user_cache_path(APP_NAME, appauthor=False))


def default_cache_dir(corpus: str | Path) -> Path:
    """The cache folder of a corpus: `USER_CACHE/corpora/NAME-HASH`, HASH from its absolute path.

    The same folder reached by any spelling (relative, `..`, a link) shares one cache; two
    corpora never do. Entries inside are keyed by content, so an edited article only
    recomputes what changed.
    """
    absolute = Path(corpus).resolve()
    digest = hashlib.sha256(str(absolute).encode("utf-8", "surrogateescape")).hexdigest()[:16]
    name = re.sub(r"[^A-Za-z0-9._-]+", "-", absolute.name).strip(".-")[:40] or "corpus"
    return user_cache_root() / "corpora" / f"{name}-{digest}"


def corpus_cache_dir(corpus: str | Path) -> Path:
    """`CORPUS/.discrepancy/cache`: a cache inside the corpus folder, read only when asked for."""
    return Path(corpus) / IN_CORPUS_CACHE


def unused_corpus_cache(corpus: str | Path, chosen: str | Path | None) -> Path | None:
    """The corpus's own cache folder when there is one and it is not the cache in use (to say so)."""
    inside = corpus_cache_dir(corpus)
    if not inside.is_dir():
        return None
    if chosen is not None and Path(chosen).resolve() == inside.resolve():
        return None
    return inside


# --- damage reports ------------------------------------------------------------------------------


class Note(UserWarning):
    """Something a run did differently from what was asked, for the CLI to print as a `note:` line."""


class CacheWarning(Note):
    """A cache entry or file was damaged and has been recomputed or rebuilt."""


@contextmanager
def collect_cache_warnings() -> Iterator[list[str]]:
    """Collect the `Note` messages (damaged cache entries, a fallback encoder) issued inside the
    block, for the CLI to print as notes; other warnings are shown as usual when the block ends."""
    notes: list[str] = []
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", Note)
        try:
            yield notes
        finally:
            notes.extend(str(w.message) for w in caught if issubclass(w.category, Note))
    for w in caught:
        if not issubclass(w.category, Note):
            warnings.showwarning(w.message, w.category, w.filename, w.lineno, w.file, w.line)


def checksum(kind: str, key: str, group: str, value: bytes) -> str:
    """A checksum over an entry's key, group and value (32 hex digits of BLAKE2b)."""
    digest = hashlib.blake2b(digest_size=16)
    for part in (kind.encode(), key.encode("utf-8", "surrogatepass"), group.encode("utf-8", "surrogatepass"),
                 value):
        digest.update(len(part).to_bytes(8, "little"))
        digest.update(part)
    return digest.hexdigest()


class ForeignCache(sqlite3.DatabaseError):
    """An SQLite file that is not a cache of this kind and version (it is rebuilt)."""


class DecodeError(ValueError):
    """A cached value whose shape or types do not match what the caller expects."""


# --- the SQLite files ----------------------------------------------------------------------------


class SqliteCache:
    """One SQLite cache file: schema-checked on open, rebuilt when it cannot be used, every entry
    checksummed. `damaged` counts the entries found damaged (and dropped) by this object."""

    kind = ""
    table = ""
    group_column = ""
    tables: tuple[str, ...] = ()

    def __init__(self, path: str | Path | None) -> None:
        self.path = Path(path) if path is not None else None
        self.damaged = 0

    def __repr__(self) -> str:
        return f"{type(self).__name__}({str(self.path)!r})"

    # --- opening ---------------------------------------------------------------------------

    def _create(self, conn: sqlite3.Connection) -> None:
        for sql in self.tables:
            conn.execute(sql)
        conn.execute("CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT)")
        conn.execute("INSERT OR REPLACE INTO meta VALUES ('schema', ?)", (str(CACHE_SCHEMA),))
        conn.execute("INSERT OR REPLACE INTO meta VALUES ('kind', ?)", (self.kind,))
        conn.commit()

    def _open(self) -> sqlite3.Connection:
        assert self.path is not None
        self.path.parent.mkdir(parents=True, exist_ok=True)
        if self.path.is_symlink() or (self.path.exists() and not self.path.is_file()):
            raise sqlite3.DatabaseError("not a regular file")
        conn = sqlite3.connect(self.path, timeout=30)
        try:
            names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            if not names:
                self._create(conn)
                return conn
            if "meta" not in names:
                raise ForeignCache("is not a discrepancy cache file")
            meta = dict(conn.execute("SELECT name, value FROM meta").fetchall())
            if meta.get("schema") != str(CACHE_SCHEMA):
                raise ForeignCache(f"was written by another version of discrepancy (cache schema "
                                   f"{meta.get('schema')}, this one reads {CACHE_SCHEMA})")
            if meta.get("kind") != self.kind:
                raise ForeignCache(f"is not a discrepancy {self.kind} cache file (kind {meta.get('kind')})")
            return conn
        except BaseException:
            conn.close()
            raise

    def remove_files(self) -> None:
        if self.path is None:
            return
        for suffix in ("", *SIDE_SUFFIXES):
            Path(f"{self.path}{suffix}").unlink(missing_ok=True)

    def connect(self) -> sqlite3.Connection | None:
        """A connection to a usable cache file, or None when there is no cache (or no way to make one)."""
        if self.path is None:
            return None
        existed = self.path.exists() or self.path.is_symlink()
        try:
            return self._open()
        except (sqlite3.DatabaseError, OSError) as err:
            conn = self.rebuild()
            if existed and isinstance(err, sqlite3.DatabaseError):  # damaged or foreign, not just unwritable
                detail = str(err) if isinstance(err, ForeignCache) else f"could not be read ({err})"
                self._warn(f"cache file {self.path} {detail}; "
                           + ("it was rebuilt" if conn is not None else "it is not used"))
            return conn

    def rebuild(self) -> sqlite3.Connection | None:
        """Delete the file and start an empty one; None when even that fails (read-only disk...)."""
        try:
            if self.path is not None and self.path.is_dir() and not self.path.is_symlink():
                return None  # a folder where the file should be: leave it, work without this cache
            self.remove_files()
            return self._open()
        except (sqlite3.DatabaseError, OSError):
            return None

    def rebuild_quietly(self) -> None:
        conn = self.rebuild()
        if conn is not None:
            conn.close()

    @contextmanager
    def session(self) -> Iterator[sqlite3.Connection | None]:
        conn = self.connect()
        try:
            yield conn
        finally:
            if conn is not None:
                conn.close()

    def _warn(self, message: str) -> None:
        warnings.warn(message, CacheWarning, stacklevel=3)

    # --- reading and writing ----------------------------------------------------------------

    def _select(self, sql: str, keys: list[str]) -> Iterator[tuple]:
        """Rows of `sql` (which ends in `IN ({marks})`) for `keys`; nothing when the file is unusable."""
        with self.session() as conn:
            if conn is None:
                return
            try:
                for i in range(0, len(keys), CHUNK):
                    chunk = keys[i:i + CHUNK]
                    yield from conn.execute(sql.format(marks=",".join("?" * len(chunk))), chunk).fetchall()
            except sqlite3.DatabaseError as err:
                conn.close()
                self._warn(f"cache file {self.path} could not be read ({err}); it was rebuilt")
                self.rebuild_quietly()

    def _write(self, sql: str, rows: list[tuple], replace_all: bool = False) -> None:
        """Insert `rows` in one transaction (all or nothing), after deleting every entry when `replace_all`;
        a broken file is rebuilt and written once more."""
        if not rows or self.path is None:
            return
        for _attempt in range(2):
            conn = self.connect()
            if conn is None:
                return
            try:
                with closing(conn), conn:
                    if replace_all:
                        conn.execute(f"DELETE FROM {self.table}")
                    conn.executemany(sql, rows)
                return
            except sqlite3.DatabaseError:
                self.rebuild_quietly()
            except OSError:
                return

    def _drop(self, keys: list[str]) -> None:
        """Delete damaged entries (they are recomputed and written again)."""
        if not keys:
            return
        with self.session() as conn:
            if conn is None:
                return
            try:
                with conn:
                    conn.executemany(f"DELETE FROM {self.table} WHERE key = ?", [(k,) for k in keys])
            except sqlite3.DatabaseError:
                pass

    def _report_damage(self, keys: list[str]) -> None:
        if keys:
            self.damaged += len(keys)
            self._drop(keys)
            self._warn(f"{len(keys)} damaged {self.kind} cache entr{'y' if len(keys) == 1 else 'ies'} in "
                       f"{self.path} failed the checksum or type check; recomputed")

    # --- inspection -------------------------------------------------------------------------

    def verify_row(self, row: tuple) -> bool:
        """Whether a full row (as `scan_sql` selects it) passes the checksum and the type check."""
        raise NotImplementedError

    scan_sql = ""

    def info(self) -> dict:
        """Location, size, entry counts per group (model or pipeline version) and damage found."""
        out = {"kind": self.kind, "path": str(self.path), "exists": bool(self.path and self.path.exists()),
               "bytes": 0, "entries": 0, "groups": {}, "damaged": 0, "status": "missing"}
        if not out["exists"]:
            return out
        out["bytes"] = sum(Path(f"{self.path}{s}").stat().st_size for s in ("", *SIDE_SUFFIXES)
                           if Path(f"{self.path}{s}").is_file())
        try:
            conn = self._open()
        except (sqlite3.DatabaseError, OSError) as err:
            out["status"] = f"damaged or foreign, will be rebuilt on the next run ({err})"
            return out
        with closing(conn):
            try:
                check = conn.execute("PRAGMA quick_check").fetchone()[0]
                if check != "ok":
                    out["status"] = f"damaged, will be rebuilt on the next run ({check})"
                groups: dict[str, int] = {}
                for row in conn.execute(self.scan_sql):
                    groups[row[1]] = groups.get(row[1], 0) + 1
                    if not self.verify_row(row):
                        out["damaged"] += 1
                out["groups"] = groups
            except sqlite3.DatabaseError as err:
                out["status"] = f"damaged, will be rebuilt on the next run ({err})"
                return out
        out["entries"] = sum(out["groups"].values())
        if out["status"] == "missing":
            out["status"] = "ok"
        return out

    def clear(self, where: str = "", args: tuple = ()) -> int:
        """Delete entries (all, or those matching `where`); returns how many went."""
        if self.path is None or not self.path.exists():
            return 0
        if not where:
            before = self.info()["entries"]
            self.remove_files()
            return before
        with self.session() as conn:
            if conn is None:
                return 0
            with conn:
                cur = conn.execute(f"DELETE FROM {self.table} WHERE {where}", args)
            conn.execute("VACUUM")
            return cur.rowcount


SPAN_ROW_DIM = 384  # the sentence model's vector size: span-vector entries are rows of it


class EmbeddingCache(SqliteCache):
    """Sentence vectors keyed by (model fingerprint, text); each checked for its checksum, length,
    finite values and unit norm (the model's vectors are normalised)."""

    kind = "embeddings"
    table = "vectors"
    tables = ("CREATE TABLE IF NOT EXISTS vectors (key TEXT PRIMARY KEY, model TEXT, dim INTEGER, vec BLOB, "
              "checksum TEXT)",)
    scan_sql = "SELECT key, model, dim, vec, checksum FROM vectors"

    @staticmethod
    def entry_checksum(key: str, model: str, dim: int, blob: bytes) -> str:
        return checksum("embeddings", key, f"{model}\0{dim}", blob)

    def decode_row(self, key, model, dim, blob, stored) -> np.ndarray | None:
        if not (isinstance(key, str) and isinstance(model, str) and isinstance(dim, int)
                and isinstance(blob, bytes) and isinstance(stored, str)):
            return None
        if dim <= 0 or len(blob) != 4 * dim or stored != self.entry_checksum(key, model, dim, blob):
            return None
        vector = np.frombuffer(blob, dtype=np.float32)
        if not np.all(np.isfinite(vector)):
            return None
        if dim > SPAN_ROW_DIM and dim % SPAN_ROW_DIM == 0:
            # Pooled span vectors of one sentence, one row each: every row is unit length or zero
            # (a span the model could not see).
            norms = np.einsum("ij,ij->i", *(vector.reshape(-1, SPAN_ROW_DIM),) * 2)
            if not np.all((np.abs(norms - 1.0) <= 1e-3) | (norms <= 1e-12)):
                return None
            return vector
        if abs(float(np.dot(vector, vector)) - 1.0) > 1e-3:
            return None
        return vector

    def verify_row(self, row: tuple) -> bool:
        return self.decode_row(*row) is not None

    def get_many(self, keys: Iterable[str]) -> dict[str, np.ndarray]:
        wanted = sorted(set(keys))
        found: dict[str, np.ndarray] = {}
        damaged: list[str] = []
        for row in self._select("SELECT key, model, dim, vec, checksum FROM vectors WHERE key IN ({marks})", wanted):
            vector = self.decode_row(*row)
            if vector is None:
                damaged.append(row[0])
            else:
                found[row[0]] = vector
        self._report_damage(damaged)
        return found

    def put_many(self, items: dict[str, np.ndarray], model: str = "") -> None:
        rows = []
        for key, value in items.items():
            blob = np.asarray(value, dtype=np.float32).tobytes()
            dim = len(blob) // 4
            rows.append((key, model, dim, blob, self.entry_checksum(key, model, dim, blob)))
        self._write("INSERT OR REPLACE INTO vectors VALUES (?, ?, ?, ?, ?)", rows)


class AnalysisCache(SqliteCache):
    """Per-block analyses keyed by (pipeline version, publication date, text).

    `value_type` is the type of one cached value (e.g. `list[SentenceDraft]`): values are
    stored as JSON and rebuilt only through `decode_value(text, value_type)`. Without it,
    nothing can be read back (only counted and cleared).
    """

    kind = "analysis"
    table = "analyses"
    tables = ("CREATE TABLE IF NOT EXISTS analyses (key TEXT PRIMARY KEY, version TEXT, value TEXT, "
              "checksum TEXT)",)
    scan_sql = "SELECT key, version, value, checksum FROM analyses"

    def __init__(self, path: str | Path | None, value_type: object = None) -> None:
        super().__init__(path)
        self.value_type = value_type

    @staticmethod
    def entry_checksum(key: str, version: str, value: str) -> str:
        return checksum("analysis", key, version, value.encode("utf-8", "surrogatepass"))

    def decode_row(self, key, version, value, stored):
        """The decoded value, or raises `DecodeError` when the row is damaged."""
        if not (isinstance(key, str) and isinstance(version, str) and isinstance(value, str)
                and isinstance(stored, str)):
            raise DecodeError("a column has the wrong type")
        if stored != self.entry_checksum(key, version, value):
            raise DecodeError("checksum mismatch")
        if self.value_type is None:
            raise DecodeError("no value type to decode with")
        return decode_value(value, self.value_type)

    def verify_row(self, row: tuple) -> bool:
        key, version, value, stored = row
        if self.value_type is None:  # `cache info` without types: the checksum only
            return isinstance(value, str) and isinstance(key, str) and isinstance(version, str) \
                and stored == self.entry_checksum(key, version, value)
        try:
            self.decode_row(*row)
        except DecodeError:
            return False
        return True

    def get_many(self, keys: Iterable[str]) -> dict[str, object]:
        if self.value_type is None:
            return {}
        found = {}
        damaged: list[str] = []
        for row in self._select("SELECT key, version, value, checksum FROM analyses WHERE key IN ({marks})",
                                sorted(set(keys))):
            try:
                found[row[0]] = self.decode_row(*row)
            except DecodeError:
                damaged.append(row[0])
        self._report_damage(damaged)
        return found

    def put_many(self, items: dict[str, object], version: str) -> None:
        rows = []
        for key, value in items.items():
            try:
                text = encode_value(value)
            except TypeError:
                continue  # a value this codec does not know: not cached, recomputed next time
            rows.append((key, version, text, self.entry_checksum(key, version, text)))
        self._write("INSERT OR REPLACE INTO analyses VALUES (?, ?, ?, ?)", rows)


class AlignmentCache(SqliteCache):
    """The candidate pairs of a corpus, their compatibility (None, False, True) and their feature rows,
    under one key the caller derives from every input of alignment. One entry: a new one replaces it.

    Arrays are stored compressed, with their shapes, and checked on reading (checksum, shapes, pair
    indices within the value table, finite features); anything else is damage: recomputed."""

    kind = "alignment"
    table = "alignments"
    tables = ("CREATE TABLE IF NOT EXISTS alignments (key TEXT PRIMARY KEY, version TEXT, pairs INTEGER, "
              "width INTEGER, data BLOB, checksum TEXT)",)
    scan_sql = "SELECT key, version, pairs, width, data, checksum FROM alignments"

    @staticmethod
    def entry_checksum(key: str, version: str, pairs: int, width: int, data: bytes) -> str:
        return checksum("alignment", key, f"{version}\0{pairs}\0{width}", data)

    @staticmethod
    def decode_row(key, version, pairs, width, data, stored, values: int | None = None):
        """(pairs, compatibility, features) of a row, or None when it is damaged."""
        if not (isinstance(key, str) and isinstance(version, str) and isinstance(pairs, int)
                and isinstance(width, int) and isinstance(data, bytes) and isinstance(stored, str)):
            return None
        if pairs < 0 or width <= 0 or stored != AlignmentCache.entry_checksum(key, version, pairs, width, data):
            return None
        try:
            raw = zlib.decompress(data)
        except zlib.error:
            return None
        if len(raw) != pairs * (8 + 1 + 4 * width):
            return None
        index = np.frombuffer(raw, dtype="<i4", count=2 * pairs).reshape(pairs, 2)
        fits = np.frombuffer(raw, dtype=np.int8, count=pairs, offset=8 * pairs)
        features = np.frombuffer(raw, dtype="<f4", offset=9 * pairs).reshape(pairs, width)
        if pairs and (index.min() < 0 or np.any(index[:, 0] >= index[:, 1])
                      or (values is not None and index.max() >= values)):
            return None
        if not np.all(np.isin(fits, (-1, 0, 1))) or not np.all(np.isfinite(features)):
            return None
        compatibility = [None if f < 0 else bool(f) for f in fits.tolist()]
        return [tuple(p) for p in index.tolist()], compatibility, features.astype(np.float32)

    def verify_row(self, row: tuple) -> bool:
        return self.decode_row(*row) is not None

    def get(self, key: str, values: int):
        """The entry for `key` (pairs, compatibility, features) when present and sound; else None."""
        rows = list(self._select(f"{self.scan_sql} WHERE key IN ({{marks}})", [key]))
        if not rows:
            return None
        found = self.decode_row(*rows[0], values=values)
        if found is None:
            self._report_damage([key])
        return found

    def put(self, key: str, version: str, pairs: list[tuple[int, int]], compatibility: list,
            features: np.ndarray) -> None:
        """Store this run's alignment in place of the last one (one transaction)."""
        if self.path is None:
            return
        width = int(features.shape[1]) if features.ndim == 2 and len(features) else 0
        if not width:
            return
        index = np.asarray(pairs, dtype="<i4").reshape(len(pairs), 2)
        fits = np.asarray([-1 if f is None else int(bool(f)) for f in compatibility], dtype=np.int8)
        data = zlib.compress(index.tobytes() + fits.tobytes() + np.asarray(features, dtype="<f4").tobytes(), 1)
        row = (key, version, len(pairs), width, data, self.entry_checksum(key, version, len(pairs), width, data))
        self._write("INSERT INTO alignments VALUES (?, ?, ?, ?, ?, ?)", [row], replace_all=True)


def analysis_key(version: str, published: date | None, text: str) -> str:
    stamp = published.isoformat() if published else ""
    return hashlib.sha1(f"{version}\0{stamp}\0{text}".encode("utf-8", "surrogatepass")).hexdigest()


def cache_files(cache_dir: str | Path, analysis_type: object = None) -> list[SqliteCache]:
    root = Path(cache_dir)
    return [EmbeddingCache(root / EMBEDDINGS_FILE), AnalysisCache(root / ANALYSIS_FILE, analysis_type),
            AlignmentCache(root / ALIGNMENT_FILE)]


# --- a JSON codec driven by type annotations ------------------------------------------------------
#
# Encoding walks the value: dataclasses become objects of their fields, tuples and lists
# arrays, frozensets sorted arrays, dates ISO strings. Decoding is driven by the type the
# caller expects and the dataclasses' field annotations, never by the data: every field must
# be present with a value of its annotated type, so a changed record shape, an edited value
# of the wrong type or a foreign object is a `DecodeError`, and nothing but the expected
# classes can come out.


def _canonical(value) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def _to_json(value):
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        return value  # json writes inf and nan as Infinity / NaN and reads them back
    if isinstance(value, (tuple, list)):
        return [_to_json(v) for v in value]
    if isinstance(value, (frozenset, set)):
        return sorted((_to_json(v) for v in value), key=_canonical)
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        if not all(isinstance(k, str) for k in value):
            raise TypeError("only dicts with string keys can be cached")
        return {k: _to_json(v) for k, v in value.items()}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _to_json(getattr(value, f.name)) for f in dataclasses.fields(value) if f.init}
    raise TypeError(f"cannot cache a {type(value).__name__}")


def encode_value(value) -> str:
    """`value` (dataclasses, tuples, frozensets, dates, numbers, strings...) as compact JSON."""
    return json.dumps(_to_json(value), ensure_ascii=False, separators=(",", ":"), allow_nan=True)


def decode_value(text: str, expected: object):
    """The value of type `expected` encoded in `text`; `DecodeError` when it does not fit."""
    try:
        data = json.loads(text)
    except (ValueError, RecursionError) as err:
        raise DecodeError(f"not JSON: {err}") from None
    try:
        return _from_json(data, expected)
    except RecursionError:
        raise DecodeError("nested too deeply") from None


@lru_cache(maxsize=256)
def _field_types(cls: type) -> tuple[tuple[str, object], ...]:
    try:
        hints = typing.get_type_hints(cls)
    except Exception as err:  # an annotation that cannot be resolved: such values are never trusted
        raise DecodeError(f"cannot read the annotations of {cls.__name__}: {err}") from None
    return tuple((f.name, hints[f.name]) for f in dataclasses.fields(cls) if f.init)


def _expect(ok: bool, data, what: str) -> None:
    if not ok:
        raise DecodeError(f"expected {what}, found {type(data).__name__}")


def _from_json(data, tp):
    return _decoder(tp)(data)


@lru_cache(maxsize=512)
def _decoder(tp):
    """A function that checks JSON `data` against type `tp` and builds the value: made once per type,
    since reading the annotations is the slow part of decoding thousands of cached records."""
    if tp is typing.Any or tp is object:
        return lambda data: data
    if tp is None or tp is type(None):
        def none(data):
            _expect(data is None, data, "null")
            return None
        return none
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if origin is typing.Union or origin is types.UnionType:
        members = [(arg, _decoder(arg)) for arg in args if arg is not type(None)]
        optional = type(None) in args

        def union(data):
            if data is None and optional:
                return None
            for _, decode in members:
                try:
                    return decode(data)
                except DecodeError:
                    continue
            raise DecodeError(f"no member of {tp} fits a {type(data).__name__}")
        return union
    if origin is typing.Literal:
        kinds = {type(a) for a in args}

        def literal(data):
            _expect(data in args and type(data) in kinds, data, f"one of {args}")
            return data
        return literal
    if tp is bool:
        def boolean(data):
            _expect(isinstance(data, bool), data, "a boolean")
            return data
        return boolean
    if tp is int:
        def integer(data):
            _expect(isinstance(data, int) and not isinstance(data, bool), data, "an integer")
            return data
        return integer
    if tp is float:
        def number(data):
            _expect(isinstance(data, (int, float)) and not isinstance(data, bool), data, "a number")
            return float(data)
        return number
    if tp is str:
        def string(data):
            _expect(isinstance(data, str), data, "a string")
            return data
        return string
    if tp is datetime or tp is date:
        def iso(data):
            _expect(isinstance(data, str), data, "an ISO date")
            try:
                return tp.fromisoformat(data)
            except ValueError as err:
                raise DecodeError(f"bad date {data!r}: {err}") from None
        return iso
    if origin in (tuple, list, frozenset, set) or tp in (tuple, list, frozenset, set):
        container = origin or tp
        if container is tuple and args and not (len(args) == 2 and args[1] is Ellipsis):
            decoders = [_decoder(a) for a in args]

            def fixed_tuple(data):
                _expect(isinstance(data, list), data, "an array")
                _expect(len(data) == len(args), data, f"{len(args)} items")
                return tuple(decode(v) for v, decode in zip(data, decoders, strict=True))
            return fixed_tuple
        item = _decoder(args[0] if args else typing.Any)

        def sequence(data):
            _expect(isinstance(data, list), data, "an array")
            items = [item(v) for v in data]
            try:
                return container(items)
            except TypeError as err:  # unhashable members of a set
                raise DecodeError(str(err)) from None
        return sequence
    if origin is dict or tp is dict:
        key_type, value_type = args if args else (str, typing.Any)
        value = _decoder(value_type)

        def mapping(data):
            _expect(isinstance(data, dict), data, "an object")
            _expect(key_type is str, data, "string keys")
            return {k: value(v) for k, v in data.items()}
        return mapping
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        def record(data):
            _expect(isinstance(data, dict), data, f"a {tp.__name__} object")
            fields = _record_fields(tp)
            if data.keys() != fields.keys():
                raise DecodeError(f"{tp.__name__} has other fields than the cached value")
            try:
                return tp(**{name: decode(data[name]) for name, decode in fields.items()})
            except DecodeError:
                raise
            except Exception as err:  # a __post_init__ that rejects the values
                raise DecodeError(f"{tp.__name__} refused the cached values: {err}") from None
        return record

    def unknown(data):
        raise DecodeError(f"cannot decode a value of type {tp}")
    return unknown


@lru_cache(maxsize=256)
def _record_fields(cls: type) -> dict[str, object]:
    """Field name → decoder for a dataclass (read lazily: a record type may refer to itself)."""
    return {name: _decoder(ftype) for name, ftype in _field_types(cls)}
