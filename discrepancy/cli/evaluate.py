"""`discrepancy evaluate`: measure the checker against labeled pairs."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table

from ._common import app, command, config_option, corpus_argument, default_cache_dir, out


@command(app, "evaluate", "Precision, recall and F1 against labeled pairs.")
def evaluate_cli(
    corpus: Path = corpus_argument(),
    labels: Path = typer.Option(..., "--labels", metavar="FILE", help="Labeled pairs (JSONL)."),
    model: str | None = typer.Option(None, "--model", metavar="DIR", show_default="the bundled all-MiniLM-L6-v2",
                                     help="Local sentence-transformers model folder."),
    cache_dir: Path | None = typer.Option(None, "--cache-dir", metavar="DIR",
                                          show_default="CORPUS/.discrepancy/cache", help="Cache folder."),
    config: Path | None = config_option(),
    summary: bool = typer.Option(False, "--summary", help="Print one Markdown table row for the whole corpus "
                                 "(corpus, labels, flagged, TP, FP, FN, precision, recall, F1, must-have recall)."),
) -> None:
    """Measure the checker against labeled pairs: precision, recall and F1 per type.

    Precision is "—" where nothing was flagged, recall where nothing
    was labeled. The README's evaluation table is one --summary row
    per corpus.

    Example:

    \b
        discrepancy evaluate corpus/s400 --labels corpus/s400/labels.jsonl
    """
    from ..config import resolve_settings
    from ..evaluation import check_quotes, evaluate_result, parse_labels
    from ..formatting import clip, ratio, score_cells
    from ..pipeline import check_corpus

    parsed = parse_labels(labels)
    check_quotes(parsed, corpus, labels)
    settings = resolve_settings(corpus, config, model=model).settings
    result = check_corpus(corpus, settings, cache_dir=cache_dir or default_cache_dir(corpus))
    ev = evaluate_result(result, parsed)
    if summary:
        o = ev.overall
        cells = score_cells(o.precision, o.recall, o.f1, o.tp + o.fp, o.labels)
        must = sum(1 for lb in parsed if lb.kind == "conflict" and lb.priority == "must")
        out.print(f"| `{corpus}` | {o.labels} | {o.tp + o.fp} | {o.tp} | {o.fp} | {o.fn} | {' | '.join(cells)} | "
                  f"{ratio(ev.must_recall, must > 0)} |", markup=False)
        return
    table = Table(title=f"{corpus}: flagged conflicts vs {labels}")
    for col in ("type", "labels", "flagged", "TP", "FP", "FN", "precision", "recall", "F1"):
        table.add_column(col, justify="left" if col == "type" else "right")
    for name, sc in [*ev.by_type.items(), ("overall", ev.overall)]:
        table.add_row(name, str(sc.labels), str(sc.tp + sc.fp), str(sc.tp), str(sc.fp), str(sc.fn),
                      *score_cells(sc.precision, sc.recall, sc.f1, sc.tp + sc.fp, sc.labels))
    out.print(table)
    must = sum(1 for lb in parsed if lb.kind == "conflict" and lb.priority == "must")
    out.print(f"must-have recall: {ratio(ev.must_recall, must > 0)}", markup=False)
    if ev.missed:
        out.print("\nMissed conflict labels:", markup=False)
        for lb in ev.missed:
            out.print(f"  line {lb.line} [{lb.type}, {lb.priority}] {lb.a_file}: {clip(lb.a, 70)!r} "
                      f"vs {lb.b_file}: {clip(lb.b, 70)!r}", markup=False)
    if ev.false_agreements:
        out.print("\nLabeled agreements wrongly flagged:", markup=False)
        for lb, f in ev.false_agreements:
            out.print(f"  line {lb.line} [{lb.type}] finding {f.id}: {f.reason}", markup=False)
    if ev.unlabeled:
        out.print("\nUnlabeled flags (label them):", markup=False)
        for f in ev.unlabeled:
            out.print(f"  {f.id} {f.reason}", markup=False)
            out.print(f"      {f.a.doc}: {clip(f.a.text, 110)!r}", markup=False)
            out.print(f"      {f.b.doc}: {clip(f.b.text, 110)!r}", markup=False)
