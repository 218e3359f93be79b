"""`discrepancy labels export`: review decisions as labels for `evaluate` and `tune`."""

from __future__ import annotations

from pathlib import Path

import typer

from ._common import (
    PipelineOptions,
    app,
    backend_option,
    cache_dir_option,
    command,
    config_option,
    corpus_argument,
    device_option,
    err,
    jobs_option,
    min_score_option,
    model_option,
    no_cache_option,
    out,
    quiet_option,
    run_pipeline,
    scorer_option,
    store_option,
    top_k_option,
    typer_app,
)

labels_app = typer_app("Labels for `evaluate` and `tune`, made from review decisions.\n\n"
                       "Example: discrepancy labels export corpus/s400 -o my-labels.jsonl")
app.add_typer(labels_app, name="labels")


@command(labels_app, "export")
def labels_export_cli(
    corpus: Path = corpus_argument(),
    output: Path = typer.Option(..., "-o", "--output", metavar="FILE", help="Labels file to write (JSONL)."),
    force: bool = typer.Option(False, "--force", help="Replace an existing file (its old content goes to FILE.bak, "
                               "or FILE.bak.1, .2… : backups are never overwritten)."),
    merge: bool = typer.Option(False, "--merge", help="Keep an existing file's labels and add only new ones."),
    quiet: bool = quiet_option(),
    store: Path | None = store_option(),
    config: Path | None = config_option(),
    model: str | None = model_option(),
    scorer: Path | None = scorer_option(),
    min_score: float | None = min_score_option(),
    top_k: int | None = top_k_option(),
    cache_dir: Path | None = cache_dir_option(),
    no_cache: bool = no_cache_option(),
    jobs: int | None = jobs_option(),
    device: str = device_option(),
    backend: str = backend_option(),
) -> None:
    """Write review decisions as labels that `evaluate` and `tune` read.

    A confirmed conflict becomes a conflict label, a rejected conflict an
    agreement label ("not a conflict"), a confirmed corroboration an
    agreement label. Quotes are the two sentences, exactly as in the
    files. An existing file is never replaced silently: --merge keeps
    every existing line and adds only new labels; --force replaces it
    (the old content is saved to FILE.bak, FILE.bak.1, …; never over a
    backup). An article, the review store or a link is never replaced.

    Example:

    \b
        discrepancy labels export corpus/s400 -o my-labels.jsonl --merge
    """
    from ..errors import DiscrepancyError
    from ..formatting import plural
    from ..outputs import check_output_path, run_inputs
    from ..review import default_store_path, export_labels, read_decisions

    path = store or default_store_path(corpus)
    if not path.exists():
        raise DiscrepancyError(f"review store not found: {path} (review first: discrepancy review {corpus})")
    if force and merge:
        raise DiscrepancyError("give --merge or --force, not both")
    check_output_path(output, run_inputs(corpus, config=config, store=path, include_labels=False))
    if output.exists() and not (force or merge):
        raise DiscrepancyError(f"{output} exists; use --merge to add to it or --force to replace it")
    decisions = read_decisions(path)
    options = PipelineOptions(config, model, scorer, min_score, top_k, cache_dir, no_cache, jobs, device, backend)
    result = run_pipeline(corpus, options, quiet=quiet)
    summary = export_labels(result, decisions, output, force=force, merge=merge)
    if not quiet:
        for line in summary.skipped + summary.disagreements:
            err.print(f"note: {line}", markup=False)
        if summary.stale:
            verb = "is" if summary.stale == 1 else "are"
            err.print(f"note: {plural(summary.stale, 'decision')} {verb} for findings no longer in {corpus}; "
                      "not exported", markup=False)
        extra = (f", kept {summary.kept} existing, {summary.duplicates} already there" if merge else "")
        backup = f" (old file saved as {summary.backup})" if summary.backup else ""
        out.print(f"wrote {plural(summary.written, 'label')} to {summary.path}{extra}{backup}", markup=False)
