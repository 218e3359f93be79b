"""`discrepancy check`: run the pipeline on a corpus and write the reports."""

from __future__ import annotations

from pathlib import Path

import typer

from ..batch import DEFAULT_FORMATS, RAY_INSTALL, BatchOptions
from ..errors import DiscrepancyError
from ._common import (
    CORPUS_HELP,
    EXIT_CONFLICTS,
    ON_OFF_WORDS,
    PipelineOptions,
    app,
    backend_option,
    cache_dir_option,
    command,
    config_option,
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


@command(app, "check", "Check a corpus, or many, and write the report: Markdown, JSON, HTML, CSV.")
def check_cli(
    corpora: list[Path] = typer.Argument(..., metavar="CORPUS...", show_default=False,
                                         help=CORPUS_HELP + " Several folders (or --each ROOT): one report "
                                              "per folder in the -o folder, and an index."),
    output: Path | None = typer.Option(None, "-o", "--output", metavar="FILE",
                                       help="Write the Markdown report here; with several folders, the folder "
                                            "to write every report and the index into."),
    json_path: Path | None = typer.Option(None, "--json", metavar="FILE",
                                          help="Write the findings as JSON here (what --since reads)."),
    html_path: Path | None = typer.Option(None, "--html", metavar="FILE",
                                          help="Write a self-contained HTML report here."),
    csv_path: Path | None = typer.Option(None, "--csv", metavar="FILE",
                                         help="Write one CSV row per finding side here, for a spreadsheet."),
    since: Path | None = typer.Option(None, "--since", metavar="PREVIOUS.json",
                                      help="Compare with an earlier run's --json file: mark each finding new, "
                                           "changed or unchanged, and list what is gone. With several folders: "
                                           "the earlier run's -o folder."),
    fail_on_conflict: bool = typer.Option(False, "--fail-on-conflict", help="Exit 1 when conflicts are found."),
    quiet: bool = quiet_option(),
    store: Path | None = store_option("Review decisions to apply (the default file only when it exists)."),
    config: Path | None = config_option(),
    model: str | None = model_option(),
    scorer: Path | None = scorer_option(),
    min_score: float | None = min_score_option(),
    top_k: int | None = top_k_option(),
    cache_dir: Path | None = cache_dir_option("Cache folder for sentence vectors and analyses; with several "
                                              "folders, each caches in DIR/NAME."),
    no_cache: bool = no_cache_option(),
    jobs: int | None = jobs_option(),
    device: str = device_option(),
    each: bool = typer.Option(False, "--each", help="Check each subfolder of CORPUS that holds articles as one "
                                                    "event (hidden folders and the -o folder left out)."),
    formats: str = typer.Option(",".join(DEFAULT_FORMATS), "--formats", metavar="LIST",
                                help="With several folders: the reports to write per folder, from md, json, "
                                     "html, csv."),
    ray: bool = typer.Option(False, "--ray", help="With several folders: spread them over a Ray cluster, "
                                                  "a new local one unless --ray-address names one. Needs "
                                                  f"{RAY_INSTALL}."),
    ray_address: str | None = typer.Option(None, "--ray-address", metavar="ADDRESS", show_default="local",
                                           help="The Ray cluster for --ray: auto (the running one), HOST:PORT "
                                                "or ray://HOST:PORT; implies --ray."),
    backend: str = backend_option(),
) -> None:
    """Check a corpus and write the discrepancy report.

    Without -o, --json, --html or --csv the Markdown report is printed.
    Review decisions (see `discrepancy review`) are applied when the
    store exists. With --since, the report opens with what changed since
    that earlier run; --since and --json may name the same file.

    With several folders, or a ROOT and --each, -o names a folder: it
    receives NAME.md and NAME.json per folder (NAME: the folder's name;
    --formats adds html and csv) and index.md + index.json, which list
    each folder with its counts and links, or its error. A folder that
    fails does not stop the others; the exit code is then 2. --since
    names the earlier run's -o folder (NAME.json in it, when there).
    The models are loaded once; with --ray, once per Ray worker.

    Example:

    \b
        discrepancy check corpus/s400 -o reports/s400.md --html reports/s400.html
        discrepancy check my-story --json runs/today.json --since runs/yesterday.json
        discrepancy check --each events/ -o reports/today --since reports/yesterday
        discrepancy check --each events/ -o reports/today --formats md,json,html --ray
    """
    for corpus in corpora:  # `--quiet true FOLDER`: "true" is not a second folder
        if str(corpus).lower() in ON_OFF_WORDS and not corpus.exists():
            raise DiscrepancyError(f"got unexpected extra argument ({corpus}) (on/off options such as --quiet "
                                   f"take no value: give the flag alone)")
    batch = each or len(corpora) > 1
    if not batch:
        if formats != ",".join(DEFAULT_FORMATS) or ray or ray_address:
            raise DiscrepancyError("--formats, --ray and --ray-address go with several folders or --each; "
                                   "for one folder give -o, --json, --html or --csv")
        return check_one(corpora[0], output, json_path, html_path, csv_path, since, fail_on_conflict, quiet, store,
                         PipelineOptions(config, model, scorer, min_score, top_k, cache_dir, no_cache, jobs, device,
                                         backend))
    for flag, given in (("--json", json_path), ("--html", html_path), ("--csv", csv_path), ("--store", store)):
        if given is not None:
            raise DiscrepancyError(f"{flag} goes with one folder; with several, -o names the output folder, "
                                   f"--formats the reports per folder, and each folder uses its own review store")
    if output is None:
        raise DiscrepancyError("several folders write one report each: give -o OUTDIR")
    if each and len(corpora) != 1:
        raise DiscrepancyError("--each takes one ROOT folder, whose subfolders are the events")
    options = BatchOptions(str(config) if config else None, model, str(scorer) if scorer else None, min_score,
                           top_k, str(cache_dir) if cache_dir else None, no_cache, jobs, device,
                           parse_formats(formats), backend)
    code = check_many(corpora, each, output, since, options, ray_address or ("local" if ray else None), quiet,
                      fail_on_conflict)
    if code:
        raise typer.Exit(code)


def check_one(corpus: Path, output: Path | None, json_path: Path | None, html_path: Path | None,
              csv_path: Path | None, since: Path | None, fail_on_conflict: bool, quiet: bool, store: Path | None,
              options: PipelineOptions) -> None:
    """One folder: the report on stdout or in the files named."""
    from ..changes import compare_runs, read_previous
    from ..outputs import check_output_path, run_inputs
    from ..reporting import summary, to_markdown, write_reports
    from ..review import apply_reviews_or_warn, default_store_path

    settings = options.settings(corpus)
    if store is not None and not store.exists():
        raise DiscrepancyError(f"review store not found: {store}")
    inputs = run_inputs(corpus, config=options.config, store=store or default_store_path(corpus),
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


def parse_formats(text: str) -> tuple[str, ...]:
    """'md,json,html' → ('md', 'json', 'html'); a one-line error for anything else."""
    from ..reporting import REPORT_FORMATS

    chosen = [part.strip().lower() for part in text.split(",") if part.strip()]
    unknown = [f for f in chosen if f not in REPORT_FORMATS]
    if unknown or not chosen:
        raise DiscrepancyError(f"--formats: {unknown[0] if unknown else text!r} is not a report format; "
                               f"give a comma-separated list of {', '.join(REPORT_FORMATS)}")
    return tuple(f for f in REPORT_FORMATS if f in chosen)


def check_many(corpora: list[Path], each: bool, outdir: Path, since: Path | None, options, ray_address: str | None,
               quiet: bool, fail_on_conflict: bool) -> int:
    """Several folders: a report per folder and the index in `outdir`; returns the exit code."""
    from ..batch import (
        batch_exit_code,
        check_folders,
        check_options,
        check_outputs,
        event_folders,
        folder_names,
        import_ray,
        report_paths,
        write_folder_reports,
        write_index,
    )
    from ..changes import read_previous

    check_options(options)
    if ray_address is not None:
        import_ray()  # not installed: say so now, not after the folders are listed
    folders = event_folders(corpora[0], exclude=[outdir]) if each else list(corpora)
    names = folder_names(folders)
    check_outputs(outdir, folders, names, options.formats)
    previous = {}
    if since is not None:  # read now: -o may name the same folder, whose files are replaced
        if not since.is_dir():
            raise DiscrepancyError(f"--since: with several folders, give the earlier run's -o folder "
                                   f"({since} is {'not a folder' if since.exists() else 'not found'})")
        previous = {name: read_previous(since / f"{name}.json") for name in names
                    if (since / f"{name}.json").is_file()}
    if not quiet:
        where = f" on Ray ({ray_address})" if ray_address else ""
        err.print(f"checking {len(folders)} folders{where}", markup=False)

    def done(result, n: int, total: int) -> None:
        write_folder_reports(result, outdir)  # as each finishes: an interrupt keeps the finished ones
        if not result.ok:  # name the folder, once
            named = result.error if result.corpus in result.error else f"{result.corpus}: {result.error}"
            err.print(f"error: {named}", markup=False)
        elif not quiet:
            for level, text in result.warnings:  # as a single run says them, with the folder
                err.print(f"{level}: {result.corpus}: {text}", markup=False)
            changed = f"; since {since}: {result.changes}" if result.changes else ""
            err.print(f"[{n}/{total}] {result.corpus}: {summary_line(result.summary)}{changed}", markup=False)

    results = check_folders(folders, options, previous, ray_address, on_done=done)
    paths = write_index(results, outdir)
    failed = [r for r in results if not r.ok]
    if not quiet:
        for result in results:
            for path in report_paths(outdir, result.name, result.reports).values():
                out.print(f"wrote {path}", markup=False)
        out.print(f"wrote {paths['md']}", markup=False)
        out.print(f"wrote {paths['json']}", markup=False)
        conflicts = sum(r.summary["conflicts"] for r in results if r.ok)
        out.print(f"{len(results) - len(failed)} of {len(results)} folders checked: {conflicts:,} conflicts"
                  + (f"; {len(failed)} failed: {', '.join(r.name for r in failed)} (see {paths['md']})"
                     if failed else ""), markup=False)
    return batch_exit_code(results, fail_on_conflict)


def summary_line(s: dict) -> str:
    """'5 articles, 123 sentences, 40 value pairs compared: 4 conflicts (location 1, …), 3 corroborated'."""
    from ..formatting import plural

    by_type = ", ".join(f"{k} {v}" for k, v in s["conflicts_by_type"].items()) or "none"
    return (f"{plural(s['articles'], 'article')}, {plural(s['sentences'], 'sentence')}, "
            f"{plural(s['compared_pairs'], 'value pair')} compared: {plural(s['conflicts'], 'conflict')} ({by_type}), "
            f"{s['agreements']:,} corroborated")
