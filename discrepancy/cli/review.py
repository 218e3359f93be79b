"""`discrepancy review`: confirm or reject flagged findings, one by one or from a script."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.text import Text

from ._common import (
    EXIT_INTERRUPTED,
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
    run_pipeline,
    scorer_option,
    store_option,
    top_k_option,
    warn_skipped,
)


def review_screen():
    """The interactive screen: rich wraps long lines at word boundaries to the terminal's width
    (`out` leaves wrapping to the terminal, which cuts words: "the co/unty"); article text is shown
    as written, invisible characters revealed, never read as markup."""
    from ..safetext import safe_console

    return safe_console("stdout", soft_wrap=False)


def read_line(prompt: str) -> str | None:
    """One line from stdin after `prompt`; None at end of input. Works under CliRunner input."""
    typer.echo(f"{prompt} > ", nl=False)
    try:
        return input()
    except EOFError:
        typer.echo("")
        return None


@command(app, "review", "Confirm or reject flagged findings; decisions are remembered.")
def review_cli(
    corpus: Path = corpus_argument(),
    agreements: bool = typer.Option(False, "--agreements", help="Also review corroborations (after the conflicts)."),
    list_: bool = typer.Option(False, "--list", help="List findings with their review status and exit."),
    json_out: bool = typer.Option(False, "--json", help="With --list: print JSON for scripts."),
    set_id: str | None = typer.Option(None, "--set", metavar="ID", help="Record a decision for finding ID and exit."),
    status: str | None = typer.Option(None, "--status", metavar="confirmed|rejected|unreviewed",
                                      help="With --set: the decision. With --list: show only findings with it."),
    note: str | None = typer.Option(None, "--note", metavar="TEXT", help="With --set: a note to keep with it."),
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
    """Review flagged findings one by one: confirm, reject, skip or annotate.

    Walks the unreviewed conflicts, highest score first (--agreements adds
    corroborations after them). Each shows both sentences with a sentence
    of context either side, the differing values highlighted, and the
    reason. Type a key (or its word), then Enter:

    c confirm · r reject · s skip · n add a note · b go back · q quit

    Each decision is saved the moment it is made, to the review store
    CORPUS/.discrepancy/reviews.sqlite (or --store). The next run resumes
    with the findings not yet decided; skipped ones come last. `check`
    marks confirmed findings and moves rejected ones to an appendix.

    Scripts: --list [--json] lists findings and their status;
    --set ID --status confirmed|rejected|unreviewed [--note TEXT]
    records one decision.

    Example:

    \b
        discrepancy review corpus/s400
        discrepancy review corpus/s400 --set 521de4c97489 --status rejected
    """
    from ..errors import DiscrepancyError
    from ..review import (
        STATUSES,
        ReviewSession,
        ReviewStore,
        all_findings,
        default_store_path,
        find_finding,
        read_decisions,
        review_counts,
        review_queue,
        review_rows,
    )
    from ..safetext import json_reveal

    if status is not None and status not in STATUSES:
        raise DiscrepancyError(f"--status must be one of {', '.join(STATUSES)}, not {status!r}")
    if set_id is not None and list_:
        raise DiscrepancyError("give --set or --list, not both")
    if set_id is not None and status is None and note is None:
        raise DiscrepancyError("--set needs --status and/or --note")
    if set_id is None and note is not None:
        raise DiscrepancyError("--note needs --set ID (in an interactive review, press n)")
    if json_out and not list_:
        raise DiscrepancyError("--json goes with --list")
    options = PipelineOptions(config, model, scorer, min_score, top_k, cache_dir, no_cache, jobs, device, backend)
    path = store or default_store_path(corpus)
    decisions_before = read_decisions(path)  # a store that cannot be used fails now, not after the run
    result = run_pipeline(corpus, options)

    if list_:
        rows = review_rows(result, decisions_before, status)
        if json_out:
            typer.echo(json_reveal(json.dumps(rows, ensure_ascii=False, indent=2)))
            return
        for r in rows:
            out.print(f"{r['id']}  {r['kind']:<9}  {r['type']:<9}  {r['status']:<10}  {r['score']:.2f}  {r['reason']}",
                      markup=False)
        if not rows:
            out.print("no findings" + (f" with status {status}" if status else ""), markup=False)
        return

    with ReviewStore(path) as db:
        if set_id is not None:
            finding = find_finding(result, set_id)
            decision = db.set_status(finding, status, note) if status is not None else db.set_note(finding, note or "")
            out.print(f"{finding.id}: {decision.status}" + (f" (note: {decision.note})" if decision.note else "")
                      + f"  [{path}]", markup=False)
            return

        warn_skipped(result)
        screen = review_screen()
        decisions = db.decisions()
        findings = all_findings(result)
        queue = review_queue(findings, decisions, agreements)
        counts = review_counts([f for f in findings if agreements or f.kind == "conflict"], decisions)
        what = "findings" if agreements else "conflicts"
        if not queue:
            screen.print(f"nothing to review: {counts['confirmed']} confirmed, {counts['rejected']} rejected, "
                      f"0 unreviewed {what} in {corpus} (store {path})", markup=False)
            return
        noun = ("unreviewed finding", "unreviewed findings") if agreements else ("unreviewed conflict",
                                                                                "unreviewed conflicts")
        from ..formatting import plural

        screen.print(f"{plural(len(queue), *noun)} to go ({counts['confirmed']} confirmed, "
                  f"{counts['rejected']} rejected so far). Decisions are saved to {path} as you go.", markup=False)
        screen.print(Text("keys: c confirm · r reject · s skip · n add a note · b go back · q quit", "bold"))
        session = ReviewSession(result, db, read_line, screen.print, include_agreements=agreements)
        try:
            summary = session.run()
        except KeyboardInterrupt:
            s = session.summary
            err.print(f"interrupted: {s.confirmed} confirmed, {s.rejected} rejected this session; every decision "
                      f"made is saved in {path}", markup=False)
            raise typer.Exit(EXIT_INTERRUPTED) from None
        left = len(review_queue(findings, db.decisions(), agreements))
        end = "reached the end of the queue" if summary.finished else "stopped"
        screen.print(f"{end}: {summary.confirmed} confirmed, {summary.rejected} rejected, {summary.skipped} skipped, "
                  f"{plural(summary.notes, 'note')} this session; {left} unreviewed left. Saved in {path}.",
                  markup=False)
        if left:
            screen.print(f"resume with: discrepancy review {corpus}" + (f" --store {store}" if store else ""),
                      markup=False)
