"""Tuning: sweep the alignment and scoring thresholds against labeled pairs.

Modelled on spaCy's `find_threshold`: `tune()` returns data (one row per grid
point, the recommended setting and why), and the CLI only prints it.

The expensive work (loading, segmenting, fact extraction, embedding, alignment)
happens once, in `pipeline.prepare_corpus` with an alignment threshold at the
bottom of the grid; every grid point then only re-runs the cheap comparison
(`pipeline.find_discrepancies`) and the scoring (`evaluation.evaluate_result`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

from .errors import DiscrepancyError
from .evaluation import Label, check_quotes, evaluate_result, parse_labels
from .settings import Settings

DEFAULT_SIMILARITY_GRID = tuple(round(0.10 + 0.05 * i, 2) for i in range(11))  # 0.10 … 0.60
DEFAULT_SCORE_GRID = tuple(round(0.05 + 0.05 * i, 2) for i in range(17))  # 0.05 … 0.85


@dataclass(frozen=True)
class TypeRow:
    type: str
    labels: int
    flagged: int
    tp: int
    fp: int
    fn: int
    precision: float
    recall: float
    f1: float


@dataclass(frozen=True)
class SweepRow:
    similarity_threshold: float
    min_score: float
    flagged: int  # conflicts flagged
    tp: int
    fp: int
    fn: int
    labels: int  # conflict labels
    precision: float
    recall: float
    f1: float
    must_recall: float
    by_type: tuple[TypeRow, ...] = ()

    @property
    def setting(self) -> tuple[float, float]:
        return (self.similarity_threshold, self.min_score)

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass
class TuneResult:
    corpus: str
    labels_path: str
    rows: list[SweepRow]
    best: SweepRow
    reason: str  # one line: why `best`
    criterion: str  # "f1" | "recall at precision ≥ P" | "precision at recall ≥ R"
    satisfied: bool  # False when no grid point meets --min-precision / --min-recall
    current: SweepRow  # the settings in force before tuning
    settings: Settings
    similarity_thresholds: tuple[float, ...] = ()
    min_scores: tuple[float, ...] = ()
    seconds: dict[str, float] = field(default_factory=dict)

    def recommended_settings(self) -> dict[str, float]:
        return {"similarity_threshold": self.best.similarity_threshold, "min_score": self.best.min_score}

    def outcomes(self) -> list[tuple[SweepRow, int]]:
        """One row per distinct outcome (flagged, TP, FP, FN) with how many grid settings give it.

        The row shown for an outcome is the recommended one if it has that outcome,
        else the setting nearest the current one. Loosest (most flags) first.
        """
        groups: dict[tuple, list[SweepRow]] = {}
        for r in self.rows:
            groups.setdefault(outcome(r), []).append(r)
        here = self.current.setting
        out = []
        for key, members in groups.items():
            rep = self.best if outcome(self.best) == key else min(members, key=lambda r: nearness(r, here))
            out.append((rep, len(members)))
        out.sort(key=lambda x: (-x[0].flagged, -x[0].precision, -x[0].recall))
        return out

    def frontier(self) -> list[SweepRow]:
        """Outcomes no other grid point beats on both precision and recall, by recall."""
        return pareto([rep for rep, _ in self.outcomes()])

    def as_dict(self) -> dict:
        return {
            "corpus": self.corpus, "labels": self.labels_path, "criterion": self.criterion,
            "satisfied": self.satisfied, "reason": self.reason,
            "recommended": self.best.as_dict(), "current": self.current.as_dict(),
            "grid": {"similarity_threshold": list(self.similarity_thresholds), "min_score": list(self.min_scores)},
            "rows": [r.as_dict() for r in self.rows],
        }


def outcome(r: SweepRow) -> tuple[int, int, int, int]:
    return (r.flagged, r.tp, r.fp, r.fn)


def nearness(r: SweepRow, current: tuple[float, float]) -> float:
    return round(abs(r.similarity_threshold - current[0]) + abs(r.min_score - current[1]), 6)


def pareto(rows: Sequence[SweepRow]) -> list[SweepRow]:
    flagged = [r for r in rows if r.flagged]
    out = []
    for r in flagged:
        if any((o.precision >= r.precision and o.recall >= r.recall)
               and (o.precision > r.precision or o.recall > r.recall) for o in flagged):
            continue
        out.append(r)
    out.sort(key=lambda r: (r.recall, -r.precision, r.similarity_threshold, r.min_score))
    return out


def grid(values: Sequence[float] | None, default: Sequence[float], extra: float) -> tuple[float, ...]:
    base = [round(float(v), 4) for v in (values if values else default)]
    return tuple(sorted(set(base) | {round(float(extra), 4)}))


def sweep_row(prepared, labels: list[Label], settings: Settings) -> SweepRow:
    from .pipeline import find_discrepancies

    ev = evaluate_result(find_discrepancies(prepared, settings), labels)
    o = ev.overall
    by_type = tuple(TypeRow(name, sc.labels, sc.tp + sc.fp, sc.tp, sc.fp, sc.fn, round(sc.precision, 4),
                            round(sc.recall, 4), round(sc.f1, 4)) for name, sc in ev.by_type.items())
    return SweepRow(settings.similarity_threshold, settings.min_score, o.tp + o.fp, o.tp, o.fp, o.fn, o.labels,
                    round(o.precision, 4), round(o.recall, 4), round(o.f1, 4), round(ev.must_recall, 4), by_type)


def recommend(rows: Sequence[SweepRow], current: tuple[float, float], min_precision: float | None = None,
              min_recall: float | None = None) -> tuple[SweepRow, str, str, bool]:
    """(best row, one-line reason, criterion, constraint satisfied).

    Default: the highest F1. With `min_precision`: the highest recall among rows
    reaching it; with `min_recall`: the highest precision among rows reaching it.
    Ties go to higher precision, then fewer flags, then the setting nearest `current`.
    """
    if min_precision is not None and min_recall is not None:
        raise DiscrepancyError("give --min-precision or --min-recall, not both")
    if not rows:
        raise DiscrepancyError("nothing to tune: the threshold grid is empty")

    def tiebreak(r: SweepRow) -> tuple:
        return (-r.precision, r.flagged, nearness(r, current), r.similarity_threshold, r.min_score)

    tie_rule = "ties go to higher precision, fewer flags, then the setting nearest the current one"
    if min_precision is None and min_recall is None:
        best_f1 = max(r.f1 for r in rows)
        tied = [r for r in rows if r.f1 == best_f1]
        best = min(tied, key=tiebreak)
        why = f"highest F1 {best.f1:.2f} (precision {best.precision:.2f}, recall {best.recall:.2f})"
        if len(tied) > 1:
            why += f"; {len(tied)} settings share it, {tie_rule}"
        return best, why, "f1", True
    if min_precision is not None:
        ok = [r for r in rows if r.flagged and r.precision >= min_precision]
        criterion = f"recall at precision ≥ {min_precision:.2f}"
        if ok:
            top = max(r.recall for r in ok)
            tied = [r for r in ok if r.recall == top]
            best = min(tied, key=tiebreak)
            why = (f"highest recall {best.recall:.2f} among {len(ok)} settings with precision ≥ {min_precision:.2f} "
                   f"(this one {best.precision:.2f}, F1 {best.f1:.2f})")
            if len(tied) > 1:
                why += f"; {tie_rule}"
            return best, why, criterion, True
        reached = max((r.precision for r in rows if r.flagged), default=0.0)
        fallback, _, _, _ = recommend(rows, current)
        return (fallback, f"no setting reaches precision ≥ {min_precision:.2f} (the highest is {reached:.2f}); "
                f"showing the best F1 {fallback.f1:.2f} instead", criterion, False)
    ok = [r for r in rows if r.recall >= min_recall]
    criterion = f"precision at recall ≥ {min_recall:.2f}"
    if ok:
        top = max(r.precision for r in ok)
        tied = [r for r in ok if r.precision == top]
        best = min(tied, key=lambda r: (r.flagged, -r.recall, nearness(r, current), r.similarity_threshold,
                                        r.min_score))
        why = (f"highest precision {best.precision:.2f} among {len(ok)} settings with recall ≥ {min_recall:.2f} "
               f"(this one {best.recall:.2f}, F1 {best.f1:.2f})")
        if len(tied) > 1:
            why += "; ties go to fewer flags, higher recall, then the setting nearest the current one"
        return best, why, criterion, True
    reached = max(r.recall for r in rows)
    fallback, _, _, _ = recommend(rows, current)
    return (fallback, f"no setting reaches recall ≥ {min_recall:.2f} (the highest is {reached:.2f}); "
            f"showing the best F1 {fallback.f1:.2f} instead", criterion, False)


def load_labels(labels: str | Path | Sequence[Label], corpus: str | Path) -> tuple[list[Label], str]:
    if isinstance(labels, str | Path):
        parsed = parse_labels(labels)
        check_quotes(parsed, corpus, labels)
        return parsed, str(labels)
    return list(labels), "labels"


def tune(corpus: str | Path, labels: str | Path | Sequence[Label], settings: Settings | None = None,
         cache_dir: str | Path | None = None, similarity_thresholds: Sequence[float] | None = None,
         min_scores: Sequence[float] | None = None, min_precision: float | None = None,
         min_recall: float | None = None, prepared=None,
         progress: Callable[[int, int], None] | None = None) -> TuneResult:
    """Sweep (similarity_threshold, min_score) over a grid and recommend a setting.

    `settings` supplies everything else (top_k, model, agreement threshold…) and the
    "current" point, which is always part of the grid. `prepared` (a
    `pipeline.PreparedCorpus` aligned at or below the lowest threshold) skips preparation.
    """
    import time

    from .pipeline import prepare_corpus

    settings = settings or Settings()
    parsed, label_name = load_labels(labels, corpus)
    if not any(lb.kind == "conflict" for lb in parsed):
        raise DiscrepancyError(f"{label_name}: no conflict labels; tuning needs at least one")
    sims = grid(similarity_thresholds, DEFAULT_SIMILARITY_GRID, settings.similarity_threshold)
    scores = grid(min_scores, DEFAULT_SCORE_GRID, settings.min_score)
    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    if prepared is None or prepared.align_threshold > min(sims):
        prepared = prepare_corpus(corpus, settings, cache_dir=cache_dir, align_threshold=min(sims))
    timings["prepare"] = round(time.perf_counter() - t0, 3)
    t1 = time.perf_counter()
    rows: list[SweepRow] = []
    total = len(sims) * len(scores)
    for sim in sims:
        for score in scores:
            rows.append(sweep_row(prepared, parsed, settings.with_overrides(similarity_threshold=sim,
                                                                            min_score=score)))
            if progress:
                progress(len(rows), total)
    timings["sweep"] = round(time.perf_counter() - t1, 3)
    here = (round(settings.similarity_threshold, 4), round(settings.min_score, 4))
    current = next(r for r in rows if (round(r.similarity_threshold, 4), round(r.min_score, 4)) == here)
    best, reason, criterion, satisfied = recommend(rows, here, min_precision, min_recall)
    return TuneResult(str(corpus), label_name, rows, best, reason, criterion, satisfied, current, settings,
                      sims, scores, timings)


def plot_pr(result: TuneResult, path: str | Path) -> Path:
    """Write a precision–recall PNG: one line per similarity threshold (over min_score),
    the Pareto frontier, iso-F1 contours, the recommended and the current point."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    target = Path(path)
    fig, ax = plt.subplots(figsize=(7.5, 6), dpi=110)
    try:
        grid_f = np.linspace(0.01, 1.0, 200)
        for f in (0.2, 0.4, 0.6, 0.8):
            r = grid_f[grid_f > f / 2]
            p = f * r / (2 * r - f)
            keep = (p > 0) & (p <= 1.05)
            ax.plot(r[keep], p[keep], color="0.85", lw=0.8, ls=":", zorder=0)
            ax.annotate(f"F1={f:.1f}", xy=(1.0, f / (2 - f)), fontsize=7, color="0.6", ha="right", va="bottom")
        # One line per similarity threshold over min_score; thresholds giving the same curve share a line.
        curves: dict[tuple, list[float]] = {}
        for sim in result.similarity_thresholds:
            pts = sorted((r for r in result.rows if r.similarity_threshold == sim and r.flagged),
                         key=lambda r: r.min_score)
            key = tuple((r.recall, r.precision) for r in pts)
            if key:
                curves.setdefault(key, []).append(sim)
        cmap = plt.get_cmap("viridis")
        for k, (key, group) in enumerate(curves.items()):
            color = cmap(k / max(1, len(curves) - 1) * 0.85)
            label = f"similarity ≥ {group[0]:g}" if len(group) == 1 else f"similarity ≥ {group[0]:g} … {group[-1]:g}"
            ax.plot([x for x, _ in key], [y for _, y in key], "-", color=color, lw=1.4, alpha=0.8,
                    label=label + " (over min score)")
        counts = [(rep, n) for rep, n in result.outcomes() if rep.flagged]
        ax.scatter([rep.recall for rep, _ in counts], [rep.precision for rep, _ in counts],
                   s=[12 + 4 * n for _, n in counts], color="tab:gray", alpha=0.45, zorder=2,
                   label="grid settings (size: how many)")
        front = result.frontier()
        if front:
            ax.plot([r.recall for r in front], [r.precision for r in front], "--", color="black",
                    lw=1.6, label="best trade-offs (Pareto frontier)", zorder=3)
        cur = result.current
        if cur.flagged:
            ax.plot(cur.recall, cur.precision, "o", ms=24, mfc="none", mec="tab:blue", mew=2, zorder=4,
                    label=f"current: sim {cur.similarity_threshold:g}, score {cur.min_score:g}")
        best = result.best
        ax.plot(best.recall, best.precision, "*", ms=18, color="tab:red", mec="black", zorder=5,
                label=f"recommended: sim {best.similarity_threshold:g}, score {best.min_score:g}")
        ax.annotate(f"F1 {best.f1:.2f}\nP {best.precision:.2f} R {best.recall:.2f}",
                    xy=(best.recall, best.precision), xytext=(-70, -38), textcoords="offset points", fontsize=8,
                    arrowprops={"arrowstyle": "->", "color": "tab:red"})
        ax.set_xlim(-0.02, 1.05)
        ax.set_ylim(-0.02, 1.08)
        ax.set_xlabel("recall (conflict labels found)")
        ax.set_ylabel("precision (flagged conflicts that are labeled)")
        name = Path(result.corpus).name or result.corpus
        ax.set_title(f"{name}: precision–recall over {len(result.rows)} threshold settings "
                     f"({result.best.labels} conflict labels)", fontsize=10)
        ax.grid(alpha=0.25)
        ax.legend(fontsize=7, loc="lower left", framealpha=0.9, markerscale=0.5)
        fig.tight_layout()
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f".{target.name}.tmp")
        try:
            fig.savefig(tmp, format="png")
            tmp.replace(target)
        except OSError as err:
            tmp.unlink(missing_ok=True)
            raise DiscrepancyError(f"cannot write {target}: {err.strerror or err}") from err
    finally:
        plt.close(fig)
    return target
