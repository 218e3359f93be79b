"""`discrepancy cache info` and `discrepancy cache clear`: see and empty the caches."""

from __future__ import annotations

from pathlib import Path

import typer

from ..errors import DiscrepancyError
from ..formatting import plural
from ._common import app, command, corpus_argument, default_cache_dir, out, typer_app

cache_app = typer_app("See or empty the caches of sentence vectors, analyses and alignments.\n\n"
                      "Example: discrepancy cache info corpus/s400")
app.add_typer(cache_app, name="cache")
KINDS = ("all", "embeddings", "analysis", "alignment")


CORPUS_HELP = "Corpus folder (its cache is a folder of the user's cache directory, named after it)."


def cache_folder(corpus: Path | None, cache_dir: Path | None) -> Path:
    if cache_dir is not None:
        return cache_dir
    if corpus is None:
        raise DiscrepancyError("give a CORPUS (its cache lives in the user's cache directory) or --cache-dir DIR")
    if not corpus.is_dir():
        raise DiscrepancyError(f"corpus folder not found: {corpus}")
    return default_cache_dir(corpus)


def human(size: int) -> str:
    value = float(size)
    for unit in ("B", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{size} B"  # pragma: no cover


def current_labels() -> dict[str, str]:
    """The model fingerprint and pipeline version this installation would use now."""
    from ..embedding import model_fingerprint
    from ..pipeline import alignment_version, pipeline_version
    from ..settings import DEFAULT_MODEL

    labels = {"analysis": pipeline_version(), "alignment": alignment_version()}
    try:
        labels["embeddings"] = model_fingerprint(DEFAULT_MODEL)
    except DiscrepancyError:
        labels["embeddings"] = ""
    return labels


@command(cache_app, "info")
def info_cli(
    corpus: Path | None = corpus_argument(optional=True, help=CORPUS_HELP),
    cache_dir: Path | None = typer.Option(None, "--cache-dir", metavar="DIR", help="Cache folder (instead of "
                                          "CORPUS's)."),
) -> None:
    """Where the caches are, their size, their entries per model and pipeline version, and any
    damage found (entries failing their checksum or type check are recomputed when needed).

    Example:

    \b
        discrepancy cache info corpus/s400
    """
    from ..cache import cache_files, unused_corpus_cache
    from ..pipeline import ANALYSIS_VALUE

    folder = cache_folder(corpus, cache_dir)
    caches = [c.info() for c in cache_files(folder, ANALYSIS_VALUE)]
    total = sum(c["bytes"] for c in caches)
    out.print(f"cache folder: {folder} ({human(total)}{'' if folder.exists() else ', does not exist yet'})",
              markup=False)
    current = current_labels()
    for c in caches:
        if not c["exists"]:
            out.print(f"  {c['kind']:<10} {c['path']}: none yet", markup=False)
            continue
        damage = f", {c['damaged']:,} damaged (not used; recomputed when needed)" if c["damaged"] else ""
        entries = plural(c["entries"], "entry", "entries")
        out.print(f"  {c['kind']:<10} {c['path']}: {human(c['bytes'])}, {entries}{damage}"
                  + ("" if c["status"] == "ok" else f" ({c['status']})"), markup=False)
        what = {"embeddings": "model", "alignment": "alignment code"}.get(c["kind"], "pipeline version")
        for label, count in sorted(c["groups"].items(), key=lambda kv: (-kv[1], str(kv[0]))):
            note = ""
            if label == current.get(c["kind"]):
                note = " (current)"
            elif c["kind"] == "analysis":
                note = " (stale: other extraction code; `cache clear --stale` removes it)"
            out.print(f"    {what} {label or 'unknown'}: {count:,}{note}", markup=False)
    ignored = unused_corpus_cache(corpus, folder) if corpus is not None and cache_dir is None else None
    if ignored is not None:
        out.print(f"not read: {ignored}, a cache inside the corpus folder (--cache-dir {ignored} uses it)",
                  markup=False)


@command(cache_app, "clear")
def clear_cli(
    corpus: Path | None = corpus_argument(optional=True, help=CORPUS_HELP),
    cache_dir: Path | None = typer.Option(None, "--cache-dir", metavar="DIR", help="Cache folder (instead of "
                                          "CORPUS's)."),
    kind: str = typer.Option("all", "--kind", metavar="all|embeddings|analysis|alignment",
                             help="Which cache to empty."),
    stale: bool = typer.Option(False, "--stale", help="Only analyses made by other versions of the extraction "
                                  "code (never used again)."),
) -> None:
    """Delete cached vectors, analyses and alignments (they are recomputed when needed).

    Example:

    \b
        discrepancy cache clear corpus/s400 --kind analysis
    """
    from ..cache import cache_files
    from ..pipeline import ANALYSIS_VALUE, pipeline_version

    if kind not in KINDS:
        raise DiscrepancyError(f"unknown cache kind {kind!r} (use {', '.join(KINDS)})")
    folder = cache_folder(corpus, cache_dir)
    removed = 0
    freed = 0
    for cache in cache_files(folder, ANALYSIS_VALUE):
        if kind != "all" and cache.kind != kind:
            continue
        if stale and cache.kind != "analysis":
            continue
        before = cache.info()["bytes"]
        if stale:
            removed += cache.clear("version != ?", (pipeline_version(),))
        else:
            removed += cache.clear()
        freed += before - cache.info()["bytes"]
    noun = "stale analysis" if stale else ("entry" if kind == "all" else f"{kind} entry")
    nouns = "stale analyses" if stale else ("entries" if kind == "all" else f"{kind} entries")
    out.print(f"removed {plural(removed, noun, nouns)} from {folder} ({human(max(freed, 0))} freed)", markup=False)
