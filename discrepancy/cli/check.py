"""`discrepancy check`: run the pipeline on a corpus and write the reports."""

from __future__ import annotations

from pathlib import Path

import typer

from ._common import (
    EXIT_CONFLICTS,
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
    warn_skipped,
)


@command(app, "check", "Check a corpus and write the report: Markdown, JSON, HTML, CSV.")
def check_cli(
    corpus: Path = corpus_argument(),
    output: Path | None = typer.Option(None, "-o", "--output", metavar="FILE",
                                       help="Write the Markdown report here."),
    json_path: Path | None = typer.Option(None, "--json", metavar="FILE",
                                          help="Write the findings as JSON here (what --since reads)."),
    html_path: Path | None = typer.Option(None, "--html", metavar="FILE",
                                          help="Write a self-contained HTML report here."),
    csv_path: Path | None = typer.Option(None, "--csv", metavar="FILE",
                                         help="Write one CSV row per finding side here, for a spreadsheet."),
    since: Path | None = typer.Option(None, "--since", metavar="PREVIOUS.json",
                                      help="Compare with an earlier run's --json file: mark each finding new, "
                                           "changed or unchanged, and list what is gone."),
    fail_on_conflict: bool = typer.Option(False, "--fail-on-conflict", help="Exit 1 when conflicts are found."),
    quiet: bool = quiet_option(),
    store: Path | None = store_option("Review decisions to apply (the default file only when it exists)."),
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
    """Check a corpus and write the discrepancy report.

    Without -o, --json, --html or --csv the Markdown report is printed.
    Review decisions (see `discrepancy review`) are applied when the
    store exists. With --since, the report opens with what changed since
    that earlier run; --since and --json may name the same file.

    Example:

    \b
        discrepancy check corpus/s400 -o reports/s400.md --html reports/s400.html
        discrepancy check my-story --json runs/today.json --since runs/yesterday.json
    """
    from ..changes import compare_runs, read_previous
    from ..errors import DiscrepancyError
    from ..outputs import check_output_path, run_inputs
    from ..reporting import summary, to_markdown, write_reports
    from ..review import apply_reviews_or_warn, default_store_path

    options = PipelineOptions(config, model, scorer, min_score, top_k, cache_dir, no_cache, jobs, device, backend)
    settings = options.settings(corpus)
    if store is not None and not store.exists():
        raise DiscrepancyError(f"review store not found: {store}")
    inputs = run_inputs(corpus, config=config, store=store or default_store_path(corpus),
                        cache_dir=options.cache(corpus, quiet=True))
    outputs = {"-o": output, "--json": json_path, "--html": html_path, "--csv": csv_path}
    seen: dict[Path, str] = {}
    for flag, path in outputs.items():  # fail before the long run, not after it
        if path is None:
            continue
        check_output_path(path, inputs)
        same = seen.setdefault(path.resolve(), flag)
        if same != flag:
            raise DiscrepancyError(f"{same} and {flag} name the same file: {path}")
    previous = read_previous(since) if since else None  # read now: --json may replace it
    result = run_pipeline(corpus, options, settings, quiet)
    # A missing store is not created; one that cannot be used costs the review state, not the report.
    result, store_problem = apply_reviews_or_warn(result, store or default_store_path(corpus))
    if store_problem:
        err.print(f"warning: {store_problem}", markup=False)
    changes = compare_runs(previous, result) if previous else None
    if not quiet:
        warn_skipped(result)
    write_reports(result, output, json_path, html_path, csv_path, changes=changes)
    s = summary(result)
    if not quiet:
        out.print(summary_line(s), markup=False)
        confirmed = sum(1 for f in result.findings if f.review_status == "confirmed")
        if confirmed or result.rejected:
            out.print(f"review: {confirmed} confirmed, {len(result.rejected)} rejected (listed in the appendix only)",
                      markup=False)
        if changes:
            out.print(f"since {since}: {changes.headline()}", markup=False)
        for path in outputs.values():
            if path:
                out.print(f"wrote {path}", markup=False)
        if not any(outputs.values()):
            out.print(to_markdown(result, changes), markup=False)
    if fail_on_conflict and s["conflicts"]:
        raise typer.Exit(EXIT_CONFLICTS)


def summary_line(s: dict) -> str:
    """'5 articles, 123 sentences, 40 value pairs compared: 4 conflicts (location 1, …), 3 corroborated'."""
    from ..formatting import plural

    by_type = ", ".join(f"{k} {v}" for k, v in s["conflicts_by_type"].items()) or "none"
    return (f"{plural(s['articles'], 'article')}, {plural(s['sentences'], 'sentence')}, "
            f"{plural(s['compared_pairs'], 'value pair')} compared: {plural(s['conflicts'], 'conflict')} ({by_type}), "
            f"{s['agreements']:,} corroborated")
