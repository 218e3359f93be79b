"""Command-line interface: a thin typer layer over the library.

Each command parses options, calls one library function and prints its result.
Errors a user can cause print one line and exit 2; `--debug` shows tracebacks.
"""

from __future__ import annotations

import functools
import sys
from pathlib import Path

import typer
from rich.table import Table

from .errors import DiscrepancyError
from .safetext import safe_console

app = typer.Typer(
    help="Find where news articles about one event disagree, and where they agree.\n\n"
         "Example: discrepancy check corpus/s400 -o reports/s400.md --json reports/s400.json",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
# Plain text: user text (file names, labels, quotes) is never read as markup and never hides characters.
out = safe_console("stdout")
err = safe_console("stderr")
STATE = {"debug": False}

EXIT_OK, EXIT_CONFLICTS, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3


def handle_errors(func):
    """One-line errors and documented exit codes instead of tracebacks."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        from .cache import collect_cache_warnings

        notes: list[str] = []
        try:
            with collect_cache_warnings() as notes:  # damaged cache entries: recomputed, then named
                return func(*args, **kwargs)
        except typer.Exit:
            raise
        except DiscrepancyError as error:
            if STATE["debug"]:
                raise
            err.print(f"error: {error}", markup=False)
            raise typer.Exit(error.exit_code) from None
        except KeyboardInterrupt:
            err.print("interrupted: earlier outputs are left as they were", markup=False)
            raise typer.Exit(130) from None
        except Exception as error:
            if STATE["debug"]:
                raise
            err.print(f"error: unexpected {type(error).__name__}: {error} (run with --debug for details)",
                      markup=False)
            raise typer.Exit(EXIT_INTERNAL) from None
        finally:
            for note in notes:
                err.print(f"note: {note}", markup=False)

    return wrapper


@app.callback()
def main(debug: bool = typer.Option(False, "--debug", help="Show full tracebacks on errors.")) -> None:
    STATE["debug"] = debug


def default_cache_dir(corpus: Path) -> Path:
    """The corpus's cache folder in the user's cache directory (see `discrepancy.cache`)."""
    from .cache import default_cache_dir as user_cache_for

    return user_cache_for(corpus)


def cache_for(corpus: Path, cache_dir: Path | None, no_cache: bool = False, quiet: bool = False) -> Path | None:
    """The cache folder a command uses; says so when the corpus brings a cache that is not read."""
    from .cache import unused_corpus_cache

    if no_cache:
        return None
    cache = cache_dir or default_cache_dir(corpus)
    ignored = unused_corpus_cache(corpus, cache)
    if ignored is not None and not quiet:
        err.print(f"note: {ignored} is not read: a cache inside the corpus folder may come from elsewhere "
                  f"(--cache-dir {ignored} uses it)", markup=False)
    return cache


def warn_skipped(result) -> None:
    for skipped in result.skipped:
        err.print(f"warning: skipped {skipped.path}: {skipped.reason}", markup=False)
    for group in result.duplicates:
        err.print(f"note: syndicated copies counted as one source: {', '.join(group.doc_ids)}", markup=False)


@app.command("check")
@handle_errors
def check_cli(
    corpus: Path = typer.Argument(..., help="Folder of .txt/.md articles about one event."),
    output: Path | None = typer.Option(None, "-o", "--output", help="Write the Markdown report here."),
    json_path: Path | None = typer.Option(None, "--json", help="Write the findings as JSON here."),
    model: str | None = typer.Option(None, "--model", help="Local sentence-transformers model folder "
                                        "(default: bundled all-MiniLM-L6-v2)."),
    similarity_threshold: float | None = typer.Option(None, "--similarity-threshold", min=-1.0, max=1.0,
                                                         help="Topic-adjusted cosine for embedding-aligned pairs."),
    min_score: float | None = typer.Option(None, "--min-score", min=0.0, max=1.0,
                                              help="Report conflicts scoring at least this."),
    top_k: int | None = typer.Option(None, "--top-k", min=1, help="Embedding neighbours kept per sentence."),
    cache_dir: Path | None = typer.Option(None, "--cache-dir", help="Cache folder: embeddings and analyses "
                                             "(default: one per corpus in the user's cache directory)."),
    no_cache: bool = typer.Option(False, "--no-cache", help="Do not read or write the caches."),
    fail_on_conflict: bool = typer.Option(False, "--fail-on-conflict", help="Exit 1 when conflicts are found."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Print nothing but errors."),
    config: Path | None = typer.Option(None, "--config", help="Settings file (default: CORPUS/discrepancy.toml "
                                          "when it exists); flags override it."),
    store: Path | None = typer.Option(None, "--store", help="Review decisions to apply (default: "
                                         "CORPUS/.discrepancy/reviews.sqlite when it exists)."),
    jobs: int | None = typer.Option(None, "--jobs", "-j", min=1, help="Processes and threads to use "
                                       "(default: every core; 1: no worker processes)."),
    device: str = typer.Option("auto", "--device", help="Where to embed: auto (CUDA when torch sees a GPU), "
                                  "cpu or cuda."),
) -> None:
    """Check a corpus and write the discrepancy report.

    Example:

        discrepancy check corpus/s400 -o reports/s400.md --json reports/s400.json
    """
    from .config import resolve_settings
    from .embedding import check_device_name
    from .outputs import check_output_path, run_inputs
    from .pipeline import check_corpus
    from .progress import cli_progress
    from .reporting import summary, write_reports
    from .review import apply_reviews_or_warn, default_store_path

    settings = resolve_settings(corpus, config, model=model, similarity_threshold=similarity_threshold,
                                min_score=min_score, top_k=top_k).settings
    if store is not None and not store.exists():
        raise DiscrepancyError(f"review store not found: {store}")
    cache = cache_for(corpus, cache_dir, no_cache, quiet)
    inputs = run_inputs(corpus, config=config, store=store or default_store_path(corpus), cache_dir=cache)
    for path in (output, json_path):  # fail before the long run, not after it
        if path:
            check_output_path(path, inputs)
    if output and json_path and output.resolve() == json_path.resolve():
        raise DiscrepancyError(f"-o and --json name the same file: {output}")
    check_device_name(device)
    with cli_progress(quiet, err) as progress:  # bars on stderr, only in a terminal
        result = check_corpus(corpus, settings, cache_dir=cache, device=device, progress=progress, jobs=jobs)
    # A missing store is not created; one that cannot be used costs the review state, not the report.
    result, store_problem = apply_reviews_or_warn(result, store or default_store_path(corpus))
    if store_problem:
        err.print(f"warning: {store_problem}", markup=False)
    if not quiet:
        warn_skipped(result)
    write_reports(result, output, json_path)
    s = summary(result)
    if not quiet:
        by_type = ", ".join(f"{k} {v}" for k, v in s["conflicts_by_type"].items()) or "none"
        out.print(f"{s['articles']} articles, {s['sentences']} sentences, {s['aligned_pairs']} aligned pairs: "
                  f"{s['conflicts']} conflicts ({by_type}), {s['agreements']} corroborated", markup=False)
        confirmed = sum(1 for f in result.findings if f.review_status == "confirmed")
        if confirmed or result.rejected:
            out.print(f"review: {confirmed} confirmed, {len(result.rejected)} rejected (listed in the appendix only)",
                      markup=False)
        for path in (output, json_path):
            if path:
                out.print(f"wrote {path}", markup=False)
        if not output and not json_path:
            from .reporting import to_markdown

            out.print(to_markdown(result), markup=False)
    if fail_on_conflict and s["conflicts"]:
        raise typer.Exit(EXIT_CONFLICTS)


@app.command("evaluate")
@handle_errors
def evaluate_cli(
    corpus: Path = typer.Argument(..., help="Corpus folder."),
    labels: Path = typer.Option(..., "--labels", help="Labeled pairs (JSONL)."),
    model: str | None = typer.Option(None, "--model", help="Local sentence-transformers model folder."),
    cache_dir: Path | None = typer.Option(None, "--cache-dir", help="Embedding cache folder."),
    config: Path | None = typer.Option(None, "--config", help="Settings file (default: CORPUS/discrepancy.toml "
                                          "when it exists)."),
    summary: bool = typer.Option(False, "--summary", help="Print one Markdown table row for the whole corpus "
                                 "(corpus, labels, flagged, TP, FP, FN, precision, recall, F1, must-have recall)."),
) -> None:
    """Measure the checker against labeled pairs: precision, recall and F1 per type.

    Example:

        discrepancy evaluate corpus/s400 --labels corpus/s400/labels.jsonl

    The README's evaluation table is one `--summary` row per corpus.
    """
    from .evaluation import check_quotes, evaluate_result, parse_labels
    from .pipeline import check_corpus

    parsed = parse_labels(labels)
    check_quotes(parsed, corpus, labels)
    from .config import resolve_settings

    settings = resolve_settings(corpus, config, model=model).settings
    result = check_corpus(corpus, settings, cache_dir=cache_for(corpus, cache_dir))
    ev = evaluate_result(result, parsed)
    if summary:
        o = ev.overall
        out.print(f"| `{corpus}` | {o.labels} | {o.tp + o.fp} | {o.tp} | {o.fp} | {o.fn} | {o.precision:.2f} | "
                  f"{o.recall:.2f} | {o.f1:.2f} | {ev.must_recall:.2f} |", markup=False)
        return
    table = Table(title=f"{corpus}: flagged conflicts vs {labels}")
    for col in ("type", "labels", "flagged", "TP", "FP", "FN", "precision", "recall", "F1"):
        table.add_column(col, justify="left" if col == "type" else "right")
    for name, sc in [*ev.by_type.items(), ("overall", ev.overall)]:
        table.add_row(name, str(sc.labels), str(sc.tp + sc.fp), str(sc.tp), str(sc.fp), str(sc.fn),
                      f"{sc.precision:.2f}", f"{sc.recall:.2f}", f"{sc.f1:.2f}")
    out.print(table)
    out.print(f"must-have recall: {ev.must_recall:.2f}", markup=False)
    if ev.missed:
        out.print("\nMissed conflict labels:", markup=False)
        for lb in ev.missed:
            out.print(f"  line {lb.line} [{lb.type}, {lb.priority}] {lb.a_file}: {lb.a[:70]!r} "
                      f"vs {lb.b_file}: {lb.b[:70]!r}", markup=False)
    if ev.false_agreements:
        out.print("\nLabeled agreements wrongly flagged:", markup=False)
        for lb, f in ev.false_agreements:
            out.print(f"  line {lb.line} [{lb.type}] finding {f.id}: {f.reason}", markup=False)
    if ev.unlabeled:
        out.print("\nUnlabeled flags (label them):", markup=False)
        for f in ev.unlabeled:
            out.print(f"  {f.id} {f.reason}", markup=False)
            out.print(f"      {f.a.doc}: {f.a.text[:110]!r}", markup=False)
            out.print(f"      {f.b.doc}: {f.b.text[:110]!r}", markup=False)


def run() -> None:  # console entry point
    app()


if __name__ == "__main__":  # pragma: no cover
    # `python -m discrepancy.cli`: run the package's app, on which cli_review registers its commands.
    from discrepancy.cli import app as package_app

    sys.exit(package_app())

from . import cli_review  # noqa: E402,F401  registers review/labels/tune/config
from .cli_cache import cache_app  # noqa: E402,F401  registers cache info/clear
