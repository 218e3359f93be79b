"""Commands for reviewing findings, exporting labels, tuning thresholds and showing the config.

Registered on the main `app` by the import at the bottom of `cli.py`:
`review`, `labels export`, `tune`, `config show`.
"""

from __future__ import annotations

import json
from pathlib import Path

import click
import typer
from rich import box
from rich.table import Table
from rich.text import Text

from .cli import app, cache_for, err, handle_errors, out, warn_skipped
from .errors import DiscrepancyError
from .safetext import json_reveal, safe_console

EXIT_INTERRUPTED = 130

CONFIG_HELP = "Settings file (default: CORPUS/discrepancy.toml when it exists)."
STORE_HELP = "Review store (default: CORPUS/.discrepancy/reviews.sqlite)."


def _settings(corpus: Path | None, config: Path | None, **flags):
    from .config import resolve_settings

    return resolve_settings(corpus, config, **flags).settings


def _check(corpus: Path, settings, cache_dir: Path | None, no_cache: bool):
    from .pipeline import check_corpus

    return check_corpus(corpus, settings, cache_dir=cache_for(corpus, cache_dir, no_cache))


def _store_path(corpus: Path, store: Path | None) -> Path:
    from .review import default_store_path

    return store or default_store_path(corpus)


def _read_decisions(path: Path) -> dict:
    """Decisions in the store at `path`, or {} when it does not exist (it is not created)."""
    from .review import read_decisions

    return read_decisions(path)


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def read_line(prompt: str) -> str | None:
    """One line from stdin after `prompt`; None at end of input. Works under CliRunner input."""
    click.echo(f"{prompt} > ", nl=False)
    try:
        return input()
    except EOFError:
        click.echo("")
        return None


# --- review -------------------------------------------------------------------------------

@app.command("review")
@handle_errors
def review_cli(
    corpus: Path = typer.Argument(..., help="Corpus folder."),
    store: Path | None = typer.Option(None, "--store", help=STORE_HELP),
    agreements: bool = typer.Option(False, "--agreements", help="Also review corroborations (after the conflicts)."),
    list_: bool = typer.Option(False, "--list", help="List findings with their review status and exit."),
    json_out: bool = typer.Option(False, "--json", help="With --list: print JSON for scripts."),
    set_id: str | None = typer.Option(None, "--set", metavar="ID", help="Record a decision for finding ID and exit."),
    status: str | None = typer.Option(None, "--status", help="With --set: confirmed, rejected or unreviewed. "
                                                             "With --list: show only findings with this status."),
    note: str | None = typer.Option(None, "--note", help="With --set: a note to keep with the decision."),
    config: Path | None = typer.Option(None, "--config", help=CONFIG_HELP),
    model: str | None = typer.Option(None, "--model", help="Local sentence-transformers model folder."),
    cache_dir: Path | None = typer.Option(None, "--cache-dir", help="Embedding cache folder."),
    no_cache: bool = typer.Option(False, "--no-cache", help="Do not read or write the embedding cache."),
) -> None:
    """Review flagged findings one by one: confirm, reject, skip or annotate.

    Walks the unreviewed conflicts, highest score first (--agreements adds
    corroborations after them). Each shows both sentences with a sentence
    of context either side, the differing values highlighted, and the
    reason. Type a key, then Enter:

    c confirm · r reject · s skip · n add a note · b go back · q quit

    Each decision is saved the moment it is made, to the review store
    CORPUS/.discrepancy/reviews.sqlite (or --store). The next run resumes
    with the findings not yet decided; skipped ones come last. `check`
    marks confirmed findings and moves rejected ones to an appendix.

    Scripts: --list [--json] lists findings and their status;
    --set ID --status confirmed|rejected|unreviewed [--note TEXT]
    records one decision.

    Example:

        discrepancy review corpus/s400

        discrepancy review corpus/s400 --set 521de4c97489 --status rejected
    """
    from .review import STATUSES, ReviewSession, ReviewStore, find_finding, review_counts, review_queue

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
    settings = _settings(corpus, config, model=model)
    path = _store_path(corpus, store)
    decisions_before = _read_decisions(path)  # a store that cannot be used fails now, not after the run
    result = _check(corpus, settings, cache_dir, no_cache)

    if list_:
        from .review import all_findings

        decisions = decisions_before
        rows = []
        for f in all_findings(result):
            d = decisions.get(f.id)
            f_status = d.status if d else "unreviewed"
            if status is not None and f_status != status:
                continue
            rows.append({"id": f.id, "kind": f.kind, "type": f.type, "status": f_status, "note": d.note if d else "",
                         "score": f.score, "reason": _one_line(f.reason),
                         "a": {"doc": f.a.doc, "text": f.a.text}, "b": {"doc": f.b.doc, "text": f.b.text}})
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
        decisions = db.decisions()
        from .review import all_findings

        findings = all_findings(result)
        queue = review_queue(findings, decisions, agreements)
        counts = review_counts([f for f in findings if agreements or f.kind == "conflict"], decisions)
        what = "findings" if agreements else "conflicts"
        if not queue:
            out.print(f"nothing to review: {counts['confirmed']} confirmed, {counts['rejected']} rejected, "
                      f"0 unreviewed {what} in {corpus} (store {path})", markup=False)
            return
        out.print(f"{len(queue)} unreviewed {what} to go ({counts['confirmed']} confirmed, "
                  f"{counts['rejected']} rejected so far). Decisions are saved to {path} as you go.", markup=False)
        out.print(Text("keys: c confirm · r reject · s skip · n add a note · b go back · q quit", "bold"))
        session = ReviewSession(result, db, read_line, out.print, include_agreements=agreements)
        try:
            summary = session.run()
        except KeyboardInterrupt:
            s = session.summary
            err.print(f"interrupted: {s.confirmed} confirmed, {s.rejected} rejected this session; every decision "
                      f"made is saved in {path}", markup=False)
            raise typer.Exit(EXIT_INTERRUPTED) from None
        left = len(review_queue(findings, db.decisions(), agreements))
        end = "reached the end of the queue" if summary.finished else "stopped"
        out.print(f"{end}: {summary.confirmed} confirmed, {summary.rejected} rejected, {summary.skipped} skipped, "
                  f"{summary.notes} note(s) this session; {left} unreviewed left. Saved in {path}.", markup=False)
        if left:
            out.print(f"resume with: discrepancy review {corpus}" + (f" --store {store}" if store else ""),
                      markup=False)


# --- labels ---------------------------------------------------------------------------------

labels_app = typer.Typer(help="Labels for `evaluate` and `tune`, made from review decisions.\n\n"
                              "Example: discrepancy labels export corpus/s400 -o my-labels.jsonl",
                         no_args_is_help=True)
app.add_typer(labels_app, name="labels")


@labels_app.command("export")
@handle_errors
def labels_export_cli(
    corpus: Path = typer.Argument(..., help="Corpus folder."),
    output: Path = typer.Option(..., "-o", "--output", help="Labels file to write (JSONL)."),
    force: bool = typer.Option(False, "--force", help="Replace an existing file (its old content goes to FILE.bak, "
                               "or FILE.bak.1, .2… : backups are never overwritten)."),
    merge: bool = typer.Option(False, "--merge", help="Keep an existing file's labels and add only new ones."),
    store: Path | None = typer.Option(None, "--store", help=STORE_HELP),
    config: Path | None = typer.Option(None, "--config", help=CONFIG_HELP),
    model: str | None = typer.Option(None, "--model", help="Local sentence-transformers model folder."),
    cache_dir: Path | None = typer.Option(None, "--cache-dir", help="Embedding cache folder."),
    no_cache: bool = typer.Option(False, "--no-cache", help="Do not read or write the embedding cache."),
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

        discrepancy labels export corpus/s400 -o my-labels.jsonl --merge
    """
    from .outputs import check_output_path, run_inputs
    from .review import export_labels

    path = _store_path(corpus, store)
    if not path.exists():
        raise DiscrepancyError(f"review store not found: {path} (review first: discrepancy review {corpus})")
    if force and merge:
        raise DiscrepancyError("give --merge or --force, not both")
    check_output_path(output, run_inputs(corpus, config=config, store=path, include_labels=False))
    if output.exists() and not (force or merge):
        raise DiscrepancyError(f"{output} exists; use --merge to add to it or --force to replace it")
    decisions = _read_decisions(path)
    result = _check(corpus, _settings(corpus, config, model=model), cache_dir, no_cache)
    summary = export_labels(result, decisions, output, force=force, merge=merge)
    for line in summary.skipped + summary.disagreements:
        err.print(f"note: {line}", markup=False)
    if summary.stale:
        err.print(f"note: {summary.stale} decision(s) are for findings no longer in {corpus}; not exported",
                  markup=False)
    extra = f", kept {summary.kept} existing, {summary.duplicates} already there" if merge else ""
    backup = f" (old file saved as {summary.backup})" if summary.backup else ""
    out.print(f"wrote {summary.written} label(s) to {summary.path}{extra}{backup}", markup=False)


# --- tune -----------------------------------------------------------------------------------

def _floats(text: str | None, name: str) -> list[float] | None:
    if text is None:
        return None
    try:
        values = [float(x) for x in text.replace(" ", "").split(",") if x]
    except ValueError:
        raise DiscrepancyError(f"{name} takes comma-separated numbers, not {text!r}") from None
    if not values:
        raise DiscrepancyError(f"{name} takes comma-separated numbers, not {text!r}")
    return values


def _row_cells(r) -> list[str]:
    return [f"{r.similarity_threshold:.2f}", f"{r.min_score:.2f}", str(r.flagged), str(r.tp), str(r.fp), str(r.fn),
            f"{r.precision:.2f}", f"{r.recall:.2f}", f"{r.f1:.2f}"]


@app.command("tune")
@handle_errors
def tune_cli(
    corpus: Path = typer.Argument(..., help="Corpus folder."),
    labels: Path = typer.Option(..., "--labels", help="Labeled pairs (JSONL), e.g. from `labels export`."),
    plot: Path | None = typer.Option(None, "--plot", help="Write a precision–recall PNG here."),
    min_precision: float | None = typer.Option(None, "--min-precision", min=0.0, max=1.0,
                                                  help="Recommend the best recall with at least this precision."),
    min_recall: float | None = typer.Option(None, "--min-recall", min=0.0, max=1.0,
                                               help="Recommend the best precision with at least this recall."),
    write: bool = typer.Option(False, "--write", help="Save the recommended thresholds to the config file."),
    per_type: bool = typer.Option(False, "--per-type", help="Per-type rows for every setting shown."),
    show_all: bool = typer.Option(False, "--all", help="Show every grid point, not one row per outcome."),
    json_path: Path | None = typer.Option(None, "--json", help="Write the whole sweep as JSON here."),
    similarity_thresholds: str | None = typer.Option(None, "--similarity-thresholds",
                                                     help="Grid, comma-separated (default 0.10,0.15,…,0.60)."),
    min_scores: str | None = typer.Option(None, "--min-scores", help="Grid, comma-separated (default 0.05,…,0.85)."),
    config: Path | None = typer.Option(None, "--config", help=CONFIG_HELP),
    model: str | None = typer.Option(None, "--model", help="Local sentence-transformers model folder."),
    top_k: int | None = typer.Option(None, "--top-k", min=1, help="Embedding neighbours kept per sentence."),
    cache_dir: Path | None = typer.Option(None, "--cache-dir", help="Embedding cache folder."),
    no_cache: bool = typer.Option(False, "--no-cache", help="Do not read or write the embedding cache."),
) -> None:
    """Sweep similarity threshold and min score against labels; recommend one.

    The corpus is prepared once (embeddings come from the cache); each
    grid point only re-runs the comparison. Prints precision, recall and
    F1 per setting (one row per distinct outcome; --all for every grid
    point) and recommends the best F1 (ties: higher precision, then fewer
    flags), or the best recall at --min-precision, or the best precision
    at --min-recall. --write saves the recommended similarity_threshold
    and min_score to the config file (CORPUS/discrepancy.toml or
    --config), which `check` then uses.

    Example:

        discrepancy tune corpus/s400 --labels corpus/s400/labels.jsonl --plot pr.png
    """
    from .config import config_path, write_settings
    from .outputs import check_output_path, run_inputs
    from .tuning import plot_pr, tune

    if min_precision is not None and min_recall is not None:
        raise DiscrepancyError("give --min-precision or --min-recall, not both")
    sims = _floats(similarity_thresholds, "--similarity-thresholds")
    scores = _floats(min_scores, "--min-scores")
    for name, values, low in (("--similarity-thresholds", sims, -1.0), ("--min-scores", scores, 0.0)):
        if values and any(not (low <= v <= 1.0) for v in values):
            raise DiscrepancyError(f"{name} values must be between {low:g} and 1, not {values}")
    settings = _settings(corpus, config, model=model, top_k=top_k)
    cache = cache_for(corpus, cache_dir, no_cache)
    inputs = run_inputs(corpus, config=config, labels=labels, store=_store_path(corpus, None), cache_dir=cache)
    for path in (plot, json_path):  # fail before the sweep, not after it
        if path:
            check_output_path(path, inputs)
    result = tune(corpus, labels, settings, cache_dir=cache, similarity_thresholds=sims, min_scores=scores,
                  min_precision=min_precision, min_recall=min_recall)

    best, current = result.best, result.current
    shown = [(r, 1) for r in result.rows] if show_all else result.outcomes()
    title = (f"{corpus} vs {labels}: {len(result.rows)} settings, {best.labels} conflict labels"
             + ("" if show_all else " — one row per outcome"))
    table = Table(title=title, box=box.SIMPLE_HEAD)
    cols = ["similarity", "min score", "flagged", "TP", "FP", "FN", "precision", "recall", "F1"]
    if per_type:
        cols.insert(2, "type")
    if not show_all:
        cols.append("settings")
    cols.append("")
    for col in cols:
        table.add_column(col, justify="left" if col in ("", "type") else "right", no_wrap=True)
    for r, n in shown:
        marks = []
        if r is best:
            marks.append("◀ recommended")
        if r.setting == current.setting:
            marks.append("current")
        elif not show_all and (r.flagged, r.tp, r.fp, r.fn) == (current.flagged, current.tp, current.fp, current.fn):
            marks.append("same as current")
        cells = _row_cells(r)
        if per_type:
            cells.insert(2, "all")
        cells += ([str(n)] if not show_all else []) + [", ".join(marks)]
        table.add_row(*cells, style="bold" if r is best else None)
        if per_type:
            for t in r.by_type:
                table.add_row("", "", t.type, str(t.flagged), str(t.tp), str(t.fp), str(t.fn),
                              f"{t.precision:.2f}", f"{t.recall:.2f}", f"{t.f1:.2f}",
                              *([""] if not show_all else []), "", style="dim")
    # Piped output: do not squeeze the table into 80 columns.
    wide = out if out.is_terminal else safe_console("stdout", width=max(out.width, 160))
    wide.print(table)

    if not per_type and best.by_type:
        types = Table(title=f"per type at similarity {best.similarity_threshold:g}, min score {best.min_score:g}",
                      box=box.SIMPLE_HEAD)
        for col in ("type", "labels", "flagged", "TP", "FP", "FN", "precision", "recall", "F1"):
            types.add_column(col, justify="left" if col == "type" else "right")
        for t in best.by_type:
            types.add_row(t.type, str(t.labels), str(t.flagged), str(t.tp), str(t.fp), str(t.fn),
                          f"{t.precision:.2f}", f"{t.recall:.2f}", f"{t.f1:.2f}")
        wide.print(types)

    out.print(f"recommended: similarity_threshold = {best.similarity_threshold:g}, min_score = {best.min_score:g} — "
              f"{result.reason}", markup=False)
    out.print(f"current:     similarity_threshold = {current.similarity_threshold:g}, "
              f"min_score = {current.min_score:g} — F1 {current.f1:.2f} (precision {current.precision:.2f}, "
              f"recall {current.recall:.2f}, {current.flagged} flagged)", markup=False)
    out.print(f"time: prepare {result.seconds.get('prepare', 0):.1f}s, sweep {result.seconds.get('sweep', 0):.1f}s",
              markup=False)
    if plot:
        plot_pr(result, plot)
        out.print(f"wrote {plot}", markup=False)
    if json_path:
        from . import __version__
        from .outputs import write_atomic

        data = {"tool": {"name": "discrepancy", "version": __version__}, **result.as_dict()}  # marks it as ours
        write_atomic(json_path, json_reveal(json.dumps(data, ensure_ascii=False, indent=2)) + "\n")
        out.print(f"wrote {json_path}", markup=False)
    if write:
        if not result.satisfied:
            raise DiscrepancyError(f"not writing: {result.reason}")
        target = config_path(corpus, config)
        write_settings(target, result.recommended_settings())
        out.print(f"wrote similarity_threshold = {best.similarity_threshold:g}, min_score = {best.min_score:g} "
                  f"to {target}", markup=False)


# --- config ---------------------------------------------------------------------------------

config_app = typer.Typer(help="Show the settings in force and where each comes from.\n\n"
                              "Example: discrepancy config show corpus/s400",
                         no_args_is_help=True)
app.add_typer(config_app, name="config")


@config_app.command("show")
@handle_errors
def config_show_cli(
    corpus: Path | None = typer.Argument(None, help="Corpus folder (its discrepancy.toml is read if present)."),
    config: Path | None = typer.Option(None, "--config", help=CONFIG_HELP),
    model: str | None = typer.Option(None, "--model", help="Preview a --model flag."),
    similarity_threshold: float | None = typer.Option(None, "--similarity-threshold", min=-1.0, max=1.0,
                                                         help="Preview a --similarity-threshold flag."),
    min_score: float | None = typer.Option(None, "--min-score", min=0.0, max=1.0, help="Preview a --min-score flag."),
    top_k: int | None = typer.Option(None, "--top-k", min=1, help="Preview a --top-k flag."),
    json_out: bool = typer.Option(False, "--json", help="Print JSON for scripts."),
) -> None:
    """Print every setting, its value and where it came from.

    Precedence: defaults < config file < command-line flags. The config
    file is CORPUS/discrepancy.toml when it exists, or --config PATH: a
    flat TOML table of `setting = value` lines. Flags given here preview
    what the same flags would do on `check`.

    Example:

        discrepancy config show corpus/s400 --min-score 0.5
    """
    from .config import config_path, resolve_settings

    resolved = resolve_settings(corpus, config, model=model, similarity_threshold=similarity_threshold,
                                min_score=min_score, top_k=top_k)
    if json_out:
        data = {"config": str(resolved.path) if resolved.path else None,
                "settings": {n: {"value": v, "source": s} for n, v, s in resolved.rows()}}
        typer.echo(json_reveal(json.dumps(data, ensure_ascii=False, indent=2)))
        return
    path = config_path(corpus, config)
    where = f"config file: {resolved.path}" if resolved.path else (
        f"config file: none ({path} does not exist)" if path else "config file: none (no corpus or --config given)")
    table = Table(title=where)
    for col in ("setting", "value", "from"):
        table.add_column(col)
    for name, value, source in resolved.rows():
        shown = repr(value) if isinstance(value, str) else f"{value:g}" if isinstance(value, float) else str(value)
        table.add_row(name, shown, source)
    out.print(table)
