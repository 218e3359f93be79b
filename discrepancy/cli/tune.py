"""`discrepancy tune`: refit the slot scorer and its threshold from labels and review decisions."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich import box
from rich.table import Table

from ._common import (
    PipelineOptions,
    app,
    backend_option,
    cache_dir_option,
    command,
    config_option,
    device_option,
    err,
    jobs_option,
    model_option,
    no_cache_option,
    out,
    wide_out,
)


def check_plot_path(plot: Path) -> None:
    """The plot is a PNG: refuse another extension (it would hold PNG bytes under a wrong name)."""
    from ..errors import DiscrepancyError
    from ..outputs import check_output_path

    if plot.suffix.lower() != ".png":
        raise DiscrepancyError(f"--plot {plot}: the plot is written as PNG; give a file name ending in .png")
    check_output_path(plot)


@command(app, "tune", "Refit the slot scorer and its threshold on your labels and review decisions.")
def tune_cli(
    corpora: list[Path] = typer.Argument(..., metavar="CORPUS...", show_default=False,
                                         help="Labeled corpus folders (labels.jsonl or gold.jsonl inside)."),
    output: Path | None = typer.Option(None, "-o", "--output", metavar="FILE.json",
                                       help="Write the fitted scorer here (a small JSON file)."),
    labels: Path | None = typer.Option(None, "--labels", metavar="FILE",
                                       help="Labels file, for a single corpus whose labels live elsewhere."),
    reviews: bool = typer.Option(True, "--reviews/--no-reviews",
                                 help="Add each corpus's review decisions as labels (confirmed conflict: a "
                                      "conflict; rejected: not one)."),
    write: bool = typer.Option(False, "--write", help="Also point the config file of the (single) corpus, or "
                               "--config, at the written scorer, so `check` uses it."),
    min_precision: float | None = typer.Option(None, "--min-precision", min=0.0, max=1.0, metavar="P",
                                               help="Choose the threshold with the best recall at this precision."),
    min_recall: float | None = typer.Option(None, "--min-recall", min=0.0, max=1.0, metavar="R",
                                            help="Choose the threshold with the best precision at this recall."),
    plot: Path | None = typer.Option(None, "--plot", metavar="FILE.png", help="Write a precision–recall PNG here."),
    json_path: Path | None = typer.Option(None, "--json", metavar="FILE", help="Write the whole sweep as JSON here."),
    show_unmatched: bool = typer.Option(False, "--show-unmatched",
                                        help="List conflict labels no pair of typed values fits."),
    config: Path | None = config_option(),
    model: str | None = model_option(),
    cache_dir: Path | None = cache_dir_option(),
    no_cache: bool = no_cache_option(),
    jobs: int | None = jobs_option(),
    device: str = device_option(),
    backend: str = backend_option(),
) -> None:
    """Fit the slot scorer on labeled corpora and choose its threshold.

    The scorer (a logistic regression over the slot-matching features of
    every candidate value pair) is fitted on all the corpora given, their
    labels and, unless --no-reviews, the decisions made in `discrepancy
    review` (a rejected conflict teaches as much as a labeled look-alike).
    With two or more corpora the threshold is chosen on out-of-fold
    probabilities: each corpus scored by a scorer fitted without it. The
    default criterion is the best F1 of flag precision and label recall;
    --min-precision or --min-recall choose otherwise. Fitting is
    deterministic: the same corpora and labels give the same file.

    -o writes the scorer; `check --scorer FILE` uses it, and --write
    makes it the default of the corpus's config file. Output paths are
    checked before the corpora are prepared.

    Example:

    \b
        discrepancy tune my-story --labels my-labels.jsonl -o my-scorer.json --write
        discrepancy tune corpus/*/ ../shared/realnews/*/ -o discrepancy/models/slot_scorer.json
    """
    from ..config import config_path, write_settings
    from ..errors import DiscrepancyError
    from ..outputs import check_output_path
    from ..tuning import corpus_labels, plot_pr, prepare_labeled, tune

    if min_precision is not None and min_recall is not None:
        raise DiscrepancyError("give --min-precision or --min-recall, not both")
    if labels is not None and len(corpora) != 1:
        raise DiscrepancyError("--labels goes with a single corpus; several corpora keep their labels.jsonl")
    if write and output is None:
        raise DiscrepancyError("--write needs -o FILE.json: the config file points at the written scorer")
    target = None
    if write:
        if len(corpora) != 1 and config is None:
            raise DiscrepancyError("--write with several corpora needs --config FILE to write to")
        target = config_path(corpora[0], config)
    for path in (output, json_path, target):  # every output is checked now, not after the fitting
        if path:
            check_output_path(path)
    if plot:
        check_plot_path(plot)
    options = PipelineOptions(config, model, None, None, None, cache_dir, no_cache, jobs, device, backend)
    settings = options.settings(corpora[0])
    pairs = []
    for corpus in corpora:
        if not corpus.is_dir():
            raise DiscrepancyError(f"corpus folder not found: {corpus}")
        try:
            parsed, _ = corpus_labels(corpus, labels)
        except DiscrepancyError:
            if not reviews:
                raise
            parsed = []  # review decisions alone may do
        pairs.append((corpus, parsed))
    from ..embedding import check_backend, check_device_name

    check_device_name(device)
    check_backend(backend, device)  # a one-line error now, not after parsing every corpus
    prepared = prepare_labeled(pairs, settings, cache_dir=lambda c: options.cache(c, quiet=True), jobs=jobs,
                               device=device, backend=backend)
    if reviews:
        added = add_review_labels(prepared, settings)
        if added:
            err.print(f"note: {added} review decision(s) added as labels", markup=False)
    if not any(k.labels for k in prepared):
        raise DiscrepancyError("no labels: give labels.jsonl files or --labels, or review some findings first")
    result = tune(prepared, min_precision=min_precision, min_recall=min_recall, settings=settings)
    print_sweep(result)
    if show_unmatched:
        for name, lb in result.unmatched:
            out.print(f"unmatched: {name} line {lb.line} [{lb.type}, {lb.priority}] {lb.note or lb.a}", markup=False)
    if plot:
        plot_pr(result, plot)
        out.print(f"wrote {plot}", markup=False)
    if json_path:
        from ..outputs import write_atomic
        from ..version import __version__

        data = {"tool": {"name": "discrepancy", "version": __version__}, **result.as_dict()}
        write_atomic(json_path, json.dumps(data, ensure_ascii=False, indent=2) + "\n")
        out.print(f"wrote {json_path}", markup=False)
    if output:
        if not result.satisfied:
            raise DiscrepancyError(f"not writing {output}: {result.reason}")
        result.scorer.save(output)
        out.print(f"wrote {output} (threshold {result.best.threshold:.2f})", markup=False)
    if target is not None:
        write_settings(target, {"scorer": str(output.resolve())})
        out.print(f"wrote scorer = {output.resolve()} to {target}", markup=False)


REVIEW_LINES = 1_000_000


def add_review_labels(prepared, settings) -> int:
    """Each corpus's review decisions as labels (`review.labels_from_reviews`), added to its own."""
    from ..evaluation import Label
    from ..pipeline import find_discrepancies
    from ..review import default_store_path, labels_from_reviews, read_decisions
    from ..training import pair_targets

    added = 0
    for corpus in prepared:
        decisions = read_decisions(default_store_path(corpus.path))
        if not decisions:
            continue
        export = labels_from_reviews(find_discrepancies(corpus.prepared, settings), decisions)
        known = {(lb.a_file, lb.a, lb.b_file, lb.b) for lb in corpus.labels}
        # Review labels are numbered after any file's lines, so reports never mistake one for the other.
        new = [Label(REVIEW_LINES + n, d["kind"], d["a_file"], d["a"], d["b_file"], d["b"], d.get("type") or "other",
                     d.get("priority") or "should", d.get("note") or "") for n, d in enumerate(export.labels)
               if (d["a_file"], d["a"], d["b_file"], d["b"]) not in known]
        corpus.labels.extend(new)
        corpus.targets = pair_targets(corpus.prepared, corpus.labels)
        added += len(new)
    return added


def print_sweep(result) -> None:
    from ..formatting import NOT_DEFINED, plural

    table = Table(title=f"{plural(len(result.corpora), 'corpus', 'corpora')}: thresholds "
                  + ("on out-of-fold probabilities" if result.out_of_fold else "on in-sample probabilities"),
                  box=box.SIMPLE_HEAD)
    for col in ("threshold", "flagged", "real", "precision", "must", "should", "recall", "F1", "agreements flagged",
                ""):
        table.add_column(col, justify="left" if col == "" else "right", no_wrap=True)
    for r in result.rows:
        s = r.score
        table.add_row(f"{r.threshold:.2f}", str(s.flagged), str(s.real),
                      f"{s.precision:.2f}" if s.precision is not None else NOT_DEFINED,
                      f"{s.found.get('must', 0)}/{s.labeled.get('must', 0)}",
                      f"{s.found.get('should', 0)}/{s.labeled.get('should', 0)}", f"{r.recall:.2f}", f"{r.f1:.2f}",
                      str(s.agreements_flagged), "◀ chosen" if r is result.best else "",
                      style="bold" if r is result.best else None)
    wide_out().print(table)
    out.print(f"chosen threshold {result.best.threshold:.2f}: {result.reason}", markup=False)
    if not result.out_of_fold:
        out.print("note: one corpus: the threshold was chosen on the scorer's own training pairs, which flatters it",
                  markup=False)
