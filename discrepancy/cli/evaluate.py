"""`discrepancy evaluate`: measure the checker against labeled corpora, one or many, or leave-one-out."""

from __future__ import annotations

import json
from pathlib import Path

import typer
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
    scorer_option,
    wide_out,
)


def rate(value: float | None) -> str:
    from ..formatting import NOT_DEFINED

    return NOT_DEFINED if value is None else f"{value:.2f}"


def found(score, priority: str) -> str:
    return f"{score.found.get(priority, 0)}/{score.labeled.get(priority, 0)}"


@command(app, "evaluate", "Must/should recall, wrongly flagged agreements and precision against labels.")
def evaluate_cli(
    corpora: list[Path] = typer.Argument(..., metavar="CORPUS...", show_default=False,
                                         help="Labeled corpus folders (each with its labels.jsonl or gold.jsonl)."),
    labels: Path | None = typer.Option(None, "--labels", metavar="FILE",
                                       help="Labels file, for a single corpus whose labels live elsewhere."),
    loo: bool = typer.Option(False, "--loo", help="Leave one corpus out: fit the scorer and choose its threshold "
                             "on all the other corpora, then score the one left out."),
    details: bool = typer.Option(False, "--details", help="List missed labels, wrongly flagged agreements and "
                                 "unlabeled flags of each corpus (with the scorer in use)."),
    markdown: bool = typer.Option(False, "--markdown", help="Print the table as Markdown (for the README)."),
    json_path: Path | None = typer.Option(None, "--json", metavar="FILE", help="Write the scores as JSON here."),
    scorer: Path | None = scorer_option(),
    config: Path | None = config_option(),
    model: str | None = model_option(),
    cache_dir: Path | None = cache_dir_option(),
    no_cache: bool = no_cache_option(),
    jobs: int | None = jobs_option(),
    device: str = device_option(),
    backend: str = backend_option(),
) -> None:
    """Score the checker on labeled corpora: per corpus and in total.

    Columns: must and should recall (conflict labels matched by a flag),
    labeled agreements flagged as conflicts, conflicts flagged, and
    precision (flags that match a labeled conflict). A flag matches a
    label when its sides hold the two quoted sentences. "—" where a
    rate is undefined (nothing flagged, nothing labeled).

    By default every corpus is checked with the scorer in use (the
    packaged one, --scorer or the config file's). With --loo each corpus
    is scored by a scorer fitted, and a threshold chosen, on all the
    other corpora only: an honest estimate for news the scorer never
    saw. The README's figures come from --loo.

    Example:

    \b
        discrepancy evaluate corpus/s400 corpus/ferry
        discrepancy evaluate corpus/*/ ../shared/realnews/*/ --loo --markdown
    """
    from ..errors import DiscrepancyError
    from ..evaluation import total
    from ..outputs import check_output_path
    from ..scoring import load_scorer
    from ..tuning import corpus_labels, evaluate_fixed, leave_one_out, prepare_labeled

    if labels is not None and len(corpora) != 1:
        raise DiscrepancyError("--labels goes with a single corpus; several corpora keep their labels.jsonl")
    if loo and len(corpora) < 2:
        raise DiscrepancyError("--loo needs at least two labeled corpora")
    if json_path:
        check_output_path(json_path)
    pairs = []
    for corpus in corpora:
        if not corpus.is_dir():
            raise DiscrepancyError(f"corpus folder not found: {corpus}")
        parsed, _ = corpus_labels(corpus, labels)
        pairs.append((corpus, parsed))
    options = PipelineOptions(config, model, scorer, None, None, cache_dir, no_cache, jobs, device, backend)
    settings = options.settings(corpora[0])
    from ..embedding import check_backend, check_device_name

    check_device_name(device)
    check_backend(backend, device)  # a one-line error now, not after parsing every corpus
    prepared = prepare_labeled(pairs, settings, cache_dir=lambda c: options.cache(c, quiet=True), jobs=jobs,
                               device=device, backend=backend)
    if loo:
        scores = leave_one_out(prepared, settings=settings,
                               progress=lambda stage, done, n: err.print(f"{stage}: {done}/{n}", markup=False)
                               if done < n else None)
        how = "leave one corpus out: each row scored by a scorer fitted on the other corpora"
    else:
        used = load_scorer(settings.scorer)
        scores = evaluate_fixed(prepared, used, settings.min_score, settings)
        how = f"scorer {settings.scorer or 'packaged'}, threshold {settings.min_score or used.threshold:g}"
    rows = [(k.name, s) for k, s in zip(prepared, scores, strict=True)] + [("total", total(scores))]
    if markdown:
        out.print("| corpus | must found | should found | labeled agreements flagged | conflicts flagged | "
                  "precision |", markup=False)
        out.print("|---|---:|---:|---:|---:|---:|", markup=False)
        for name, s in rows:
            bold = "**" if name == "total" else ""
            out.print(f"| {bold}{name}{bold} | {found(s, 'must')} | {found(s, 'should')} | "
                      f"{s.agreements_flagged}/{s.agreements} | {s.flagged} | {rate(s.precision)} |", markup=False)
    else:
        table = Table(title=how)
        for col in ("corpus", "must", "should", "nice", "agreements flagged", "flagged", "real", "precision",
                    "threshold"):
            table.add_column(col, justify="left" if col == "corpus" else "right")
        for name, s in rows:
            table.add_row(name, found(s, "must"), found(s, "should"), found(s, "nice"),
                          f"{s.agreements_flagged}/{s.agreements}", str(s.flagged), str(s.real), rate(s.precision),
                          f"{s.threshold:.2f}" if name != "total" else "")
        wide_out().print(table)
        t = rows[-1][1]
        out.print(f"total: must recall {rate(t.recall('must'))}, should recall {rate(t.recall('should'))}, "
                  f"precision {rate(t.precision)}, {t.agreements_flagged} labeled agreements flagged "
                  f"({t.agreements_flagged / max(1, len(scores)):.1f} per corpus)", markup=False)
    if details and not loo:
        print_details(prepared, settings)
    if json_path:
        from ..outputs import write_atomic
        from ..version import __version__

        data = {"tool": {"name": "discrepancy", "version": __version__}, "mode": "loo" if loo else "fixed",
                "how": how, "corpora": [s.as_dict() for _, s in rows[:-1]], "total": rows[-1][1].as_dict()}
        write_atomic(json_path, json.dumps(data, ensure_ascii=False, indent=2) + "\n")
        out.print(f"wrote {json_path}", markup=False)


def print_details(prepared, settings) -> None:
    """Per corpus: conflict labels no flag matches, labeled agreements flagged, flags nobody labeled."""
    from ..evaluation import evaluate_result
    from ..formatting import clip
    from ..pipeline import find_discrepancies

    for corpus in prepared:
        ev = evaluate_result(find_discrepancies(corpus.prepared, settings), corpus.labels)
        out.print(f"\n{corpus.name}", markup=False)
        for lb in ev.missed:
            fits = "" if lb not in corpus.targets.unmatched else " (no pair of typed values fits it)"
            out.print(f"  missed line {lb.line} [{lb.type}, {lb.priority}]{fits}: {clip(lb.note or lb.a, 90)}",
                      markup=False)
        for lb, f in ev.false_agreements:
            out.print(f"  agreement flagged line {lb.line}: {clip(f.reason, 100)}", markup=False)
        for f in ev.unlabeled:
            out.print(f"  unlabeled flag {f.id}: {clip(f.reason, 100)}", markup=False)
