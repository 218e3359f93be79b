"""`discrepancy tune`: sweep the thresholds against labels and recommend a setting."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich import box
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from ._common import app, command, config_option, corpus_argument, default_cache_dir, out


def parse_floats(text: str | None, name: str) -> list[float] | None:
    from ..errors import DiscrepancyError

    if text is None:
        return None
    try:
        values = [float(x) for x in text.replace(" ", "").split(",") if x]
    except ValueError:
        raise DiscrepancyError(f"{name} takes comma-separated numbers, not {text!r}") from None
    if not values:
        raise DiscrepancyError(f"{name} takes comma-separated numbers, not {text!r}")
    return values


def score_row(r) -> list[str]:
    """Precision, recall and F1 of a sweep or per-type row ("—" where undefined)."""
    from ..formatting import score_cells

    return score_cells(r.precision, r.recall, r.f1, r.flagged, r.labels)


def check_plot_path(plot: Path) -> None:
    """The plot is a PNG: refuse another extension (it would hold PNG bytes under a wrong name)."""
    from ..errors import DiscrepancyError
    from ..reporting import check_output_path

    if plot.suffix.lower() != ".png":
        raise DiscrepancyError(f"--plot {plot}: the plot is written as PNG; give a file name ending in .png")
    check_output_path(plot)


@command(app, "tune", "Sweep the thresholds against labels and recommend a setting.")
def tune_cli(
    corpus: Path = corpus_argument(),
    labels: Path = typer.Option(..., "--labels", metavar="FILE",
                                help="Labeled pairs (JSONL), e.g. from `labels export`."),
    plot: Path | None = typer.Option(None, "--plot", metavar="FILE.png", help="Write a precision–recall PNG here."),
    min_precision: float | None = typer.Option(None, "--min-precision", min=0.0, max=1.0, metavar="P",
                                               help="Recommend the best recall with at least this precision."),
    min_recall: float | None = typer.Option(None, "--min-recall", min=0.0, max=1.0, metavar="R",
                                            help="Recommend the best precision with at least this recall."),
    write: bool = typer.Option(False, "--write", help="Save the recommended thresholds to the config file."),
    per_type: bool = typer.Option(False, "--per-type", help="Per-type rows for every setting shown."),
    show_all: bool = typer.Option(False, "--all", help="Show every grid point, not one row per outcome."),
    json_path: Path | None = typer.Option(None, "--json", metavar="FILE", help="Write the whole sweep as JSON here."),
    similarity_thresholds: str | None = typer.Option(None, "--similarity-thresholds", metavar="X,Y,…",
                                                     show_default="0.10,0.15,…,0.60",
                                                     help="Similarity thresholds to try."),
    min_scores: str | None = typer.Option(None, "--min-scores", metavar="X,Y,…", show_default="0.05,0.10,…,0.85",
                                          help="Conflict min scores to try."),
    config: Path | None = config_option(),
    model: str | None = typer.Option(None, "--model", metavar="DIR", show_default="the bundled all-MiniLM-L6-v2",
                                     help="Local sentence-transformers model folder."),
    top_k: int | None = typer.Option(None, "--top-k", min=1, metavar="N", show_default="10, or the config file's",
                                     help="Embedding neighbours kept per sentence."),
    cache_dir: Path | None = typer.Option(None, "--cache-dir", metavar="DIR", show_default="CORPUS/.discrepancy/cache",
                                          help="Cache folder."),
    no_cache: bool = typer.Option(False, "--no-cache", help="Do not read or write the caches."),
) -> None:
    """Sweep similarity threshold and min score against labels; recommend one.

    The corpus is prepared once (embeddings come from the cache); each
    grid point only re-runs the comparison. Prints precision, recall and
    F1 per setting (one row per distinct outcome; --all for every grid
    point; precision is "—" where nothing was flagged) and recommends the
    best F1 (ties: higher precision, then fewer flags), or the best
    recall at --min-precision, or the best precision at --min-recall.
    --write saves the recommended similarity_threshold and min_score to
    the config file (CORPUS/discrepancy.toml or --config), which `check`
    then uses. Output paths are checked before the sweep starts.

    Example:

    \b
        discrepancy tune corpus/s400 --labels corpus/s400/labels.jsonl --plot pr.png
    """
    from ..config import config_path, resolve_settings, write_settings
    from ..errors import DiscrepancyError
    from ..reporting import check_output_path
    from ..tuning import plot_pr, tune

    if min_precision is not None and min_recall is not None:
        raise DiscrepancyError("give --min-precision or --min-recall, not both")
    sims = parse_floats(similarity_thresholds, "--similarity-thresholds")
    scores = parse_floats(min_scores, "--min-scores")
    for name, values, low in (("--similarity-thresholds", sims, -1.0), ("--min-scores", scores, 0.0)):
        if values and any(not (low <= v <= 1.0) for v in values):
            raise DiscrepancyError(f"{name} values must be between {low:g} and 1, not {values}")
    # Every output is checked now, not after a sweep of several minutes.
    if plot:
        check_plot_path(plot)
    if json_path:
        check_output_path(json_path)
    target = config_path(corpus, config) if write else None
    if write:
        if target is None:
            raise DiscrepancyError("--write needs a corpus or --config to write to")
        check_output_path(target)
    settings = resolve_settings(corpus, config, model=model, top_k=top_k).settings
    cache = None if no_cache else (cache_dir or default_cache_dir(corpus))
    result = tune(corpus, labels, settings, cache_dir=cache, similarity_thresholds=sims, min_scores=scores,
                  min_precision=min_precision, min_recall=min_recall)
    print_sweep(result, corpus, labels, per_type, show_all)
    if plot:
        plot_pr(result, plot)
        out.print(f"wrote {plot}", markup=False)
    if json_path:
        from ..reporting import write_atomic

        write_atomic(json_path, json.dumps(result.as_dict(), ensure_ascii=False, indent=2) + "\n")
        out.print(f"wrote {json_path}", markup=False)
    if write:
        best = result.best
        if not result.satisfied:
            raise DiscrepancyError(f"not writing: {result.reason}")
        write_settings(target, result.recommended_settings())
        out.print(f"wrote similarity_threshold = {best.similarity_threshold:g}, min_score = {best.min_score:g} "
                  f"to {target}", markup=False)


def print_sweep(result, corpus: Path, labels: Path, per_type: bool, show_all: bool) -> None:
    from ..formatting import plural

    best, current = result.best, result.current
    shown = [(r, 1) for r in result.rows] if show_all else result.outcomes()
    title = escape(f"{corpus} vs {labels}: {plural(len(result.rows), 'setting')}, "
                   f"{plural(best.labels, 'conflict label')}" + ("" if show_all else " — one row per outcome"))
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
        cells = [f"{r.similarity_threshold:.2f}", f"{r.min_score:.2f}", str(r.flagged), str(r.tp), str(r.fp),
                 str(r.fn), *score_row(r)]
        if per_type:
            cells.insert(2, "all")
        cells += ([str(n)] if not show_all else []) + [", ".join(marks)]
        table.add_row(*cells, style="bold" if r is best else None)
        if per_type:
            for t in r.by_type:
                table.add_row("", "", escape(t.type), str(t.flagged), str(t.tp), str(t.fp), str(t.fn), *score_row(t),
                              *([""] if not show_all else []), "", style="dim")
    # Piped output: do not squeeze the table into 80 columns.
    wide = out if out.is_terminal else Console(highlight=False, soft_wrap=True, width=max(out.width, 160))
    wide.print(table)

    if not per_type and best.by_type:
        types = Table(title=f"per type at similarity {best.similarity_threshold:g}, min score {best.min_score:g}",
                      box=box.SIMPLE_HEAD)
        for col in ("type", "labels", "flagged", "TP", "FP", "FN", "precision", "recall", "F1"):
            types.add_column(col, justify="left" if col == "type" else "right")
        for t in best.by_type:
            types.add_row(escape(t.type), str(t.labels), str(t.flagged), str(t.tp), str(t.fp), str(t.fn),
                          *score_row(t))
        wide.print(types)

    p_cur = score_row(current)
    out.print(f"recommended: similarity_threshold = {best.similarity_threshold:g}, min_score = {best.min_score:g} — "
              f"{result.reason}", markup=False)
    out.print(f"current:     similarity_threshold = {current.similarity_threshold:g}, "
              f"min_score = {current.min_score:g} — F1 {p_cur[2]} (precision {p_cur[0]}, "
              f"recall {p_cur[1]}, {current.flagged} flagged)", markup=False)
    out.print(f"time: prepare {result.seconds.get('prepare', 0):.1f}s, sweep {result.seconds.get('sweep', 0):.1f}s",
              markup=False)
