"""Tuning: fit the slot scorer and its threshold on labeled corpora, and measure it honestly.

Modelled on spaCy's `find_threshold` and scikit-learn's estimators: functions return
data (rows of a sweep, the fitted `SlotScorer`, per-corpus scores) and the CLI only
prints them.

- `fit_scorer` fits the logistic-regression slot scorer on every candidate value pair
  of the given corpora (targets from their labels, see `training.py`).
- `out_of_fold` gives each corpus the probabilities of a scorer fitted on the *other*
  corpora, so a threshold chosen on them is not flattered by the corpus's own labels.
- `sweep` scores every threshold of a grid on those probabilities; `choose` picks the
  one with the best F1 of flag precision and label recall, averaged with its grid
  neighbours (or the best recall at a minimum precision, or the best precision at a
  minimum recall).
- `tune` = fit on everything + pick the threshold out of fold: what `discrepancy tune`
  writes, and how the packaged scorer was made.
- `leave_one_out` measures generalisation: for each corpus, a scorer and threshold
  fitted on all the others only, scored on that corpus. The README's figures come
  from it.

The expensive work (parsing, embedding, features) is done once per corpus by
`pipeline.prepare_corpus`; fitting and sweeping only use its feature rows.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .errors import DiscrepancyError
from .evaluation import CorpusScore, Label, check_quotes, find_labels, parse_labels, score_result, total
from .scoring import DEFAULT_C, SlotScorer
from .settings import Settings
from .training import PairTargets, pair_targets

THRESHOLD_GRID = tuple(round(0.40 + 0.02 * i, 2) for i in range(30))  # 0.40 … 0.98
F1_WINDOW = 2  # the F1 criterion averages each threshold's F1 with this many grid neighbours on each side


@dataclass
class LabeledCorpus:
    """A prepared corpus with its labels (and the pair targets they give)."""

    path: str
    labels: list[Label]
    prepared: object  # pipeline.PreparedCorpus
    targets: PairTargets = field(init=False)

    def __post_init__(self) -> None:
        self.targets = pair_targets(self.prepared, self.labels)

    @property
    def name(self) -> str:
        return Path(self.path).name or self.path


@dataclass(frozen=True)
class SweepRow:
    """All corpora together at one threshold."""

    threshold: float
    score: CorpusScore

    @property
    def precision(self) -> float:
        return self.score.precision or 0.0

    @property
    def recall(self) -> float:
        return self.score.recall() or 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict:
        return {"threshold": self.threshold, **self.score.as_dict(), "f1": round(self.f1, 4)}


@dataclass
class TuneResult:
    corpora: list[str]
    scorer: SlotScorer
    rows: list[SweepRow]
    best: SweepRow
    reason: str
    criterion: str
    satisfied: bool
    out_of_fold: bool  # thresholds measured on probabilities of scorers fitted without each corpus
    unmatched: list[tuple[str, Label]] = field(default_factory=list)  # conflict labels no value pair fits

    def as_dict(self) -> dict:
        return {"corpora": self.corpora, "criterion": self.criterion, "satisfied": self.satisfied,
                "reason": self.reason, "out_of_fold": self.out_of_fold, "threshold": self.best.threshold,
                "recommended": self.best.as_dict(), "rows": [r.as_dict() for r in self.rows],
                "unmatched_labels": [{"corpus": c, "line": lb.line, "note": lb.note} for c, lb in self.unmatched]}


def corpus_labels(corpus: str | Path, labels: str | Path | None = None) -> tuple[list[Label], Path]:
    """The labels of a corpus: `labels`, or the labels.jsonl / gold.jsonl kept in the folder."""
    path = Path(labels) if labels is not None else find_labels(corpus)
    if path is None:
        raise DiscrepancyError(f"no labels for {corpus}: put a labels.jsonl in the folder or give --labels FILE")
    parsed = parse_labels(path)
    check_quotes(parsed, corpus, path)
    return parsed, path


def prepare_labeled(corpora: Sequence[tuple[str | Path, Sequence[Label]]], settings: Settings | None = None,
                    cache_dir: Callable[[Path], Path | None] | None = None, jobs: int | None = None,
                    device: str = "auto", progress: Callable[[str, int, int], None] | None = None,
                    backend: str = "auto"
                    ) -> list[LabeledCorpus]:
    """Prepare each (corpus, labels) pair once: parse, embed and compute the slot features."""
    from .pipeline import prepare_corpus

    out = []
    for n, (corpus, labels) in enumerate(corpora):
        if progress:
            progress("corpora", n, len(corpora))
        folder = Path(corpus)
        prepared = prepare_corpus(folder, settings, cache_dir=cache_dir(folder) if cache_dir else None,
                                  jobs=jobs, device=device, backend=backend)
        out.append(LabeledCorpus(str(corpus), list(labels), prepared))
    if progress:
        progress("corpora", len(corpora), len(corpora))
    return out


def training_rows(corpora: Sequence[LabeledCorpus]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    xs, ys, ws = [], [], []
    for c in corpora:
        used = c.targets.used
        xs.append(c.prepared.features[used])
        ys.append(c.targets.target[used])
        ws.append(c.targets.weight[used])
    if not xs:
        raise DiscrepancyError("nothing to fit on: no labeled corpus")
    return np.vstack(xs), np.concatenate(ys), np.concatenate(ws)


def fit_scorer(corpora: Sequence[LabeledCorpus], c: float = DEFAULT_C) -> SlotScorer:
    """A slot scorer fitted on every candidate value pair of `corpora` (deterministic)."""
    x, y, w = training_rows(corpora)
    if not y.any():
        raise DiscrepancyError("cannot fit the slot scorer: no conflict label matches a pair of typed values "
                               "(see `discrepancy tune --show-unmatched`)")
    scorer = SlotScorer(c=c).fit(x, y, w)
    scorer.trained_on = {"corpora": [Path(k.path).name for k in corpora], "pairs": int(len(y)),
                         "conflict_pairs": int(y.sum())}
    return scorer


def out_of_fold(corpora: Sequence[LabeledCorpus], c: float = DEFAULT_C) -> list[np.ndarray]:
    """For each corpus, the probabilities of a scorer fitted on all the others."""
    if len(corpora) < 2:
        raise DiscrepancyError("out-of-fold probabilities need at least two labeled corpora")
    out = []
    for k, corpus in enumerate(corpora):
        others = [x for i, x in enumerate(corpora) if i != k]
        out.append(fit_scorer(others, c).predict_proba(corpus.prepared.features))
    return out


def score_at(corpus: LabeledCorpus, probabilities: np.ndarray, threshold: float,
             settings: Settings | None = None) -> CorpusScore:
    """The flags one threshold gives on one corpus, scored against its labels."""
    from .pipeline import find_discrepancies

    settings = (settings or Settings()).with_overrides(min_score=threshold)
    result = find_discrepancies(corpus.prepared, settings, probabilities=probabilities, light=True)
    score = score_result(result, corpus.labels, threshold)
    return CorpusScore(corpus.path, score.labeled, score.found, score.flagged, score.real, score.agreements_flagged,
                       score.agreements, threshold)


def sweep(corpora: Sequence[LabeledCorpus], probabilities: Sequence[np.ndarray],
          grid: Sequence[float] = THRESHOLD_GRID, settings: Settings | None = None) -> list[SweepRow]:
    """Every threshold of `grid`, all corpora together."""
    rows = []
    for threshold in grid:
        scores = [score_at(c, p, threshold, settings) for c, p in zip(corpora, probabilities, strict=True)]
        rows.append(SweepRow(threshold, total(scores)))
    return rows


def choose(rows: Sequence[SweepRow], min_precision: float | None = None,
           min_recall: float | None = None) -> tuple[SweepRow, str, str, bool]:
    """(best row, one-line reason, criterion, constraint satisfied). Ties go to the higher threshold."""
    if min_precision is not None and min_recall is not None:
        raise DiscrepancyError("give --min-precision or --min-recall, not both")
    if not rows:
        raise DiscrepancyError("nothing to tune: the threshold grid is empty")

    # F1 over thresholds is flat near its top, so its single highest grid point jumps with a few labels
    # (0.50 in one fold, 0.88 in the next). Averaging each point with its neighbours picks the middle of a
    # broad good region instead: steadier on corpora the scorer has not seen.
    order = sorted(range(len(rows)), key=lambda k: rows[k].threshold)
    rank = {k: n for n, k in enumerate(order)}
    f1s = [rows[k].f1 for k in order]

    def smoothed(r_index: int) -> float:
        n = rank[r_index]
        window = f1s[max(0, n - F1_WINDOW):n + F1_WINDOW + 1]
        return sum(window) / len(window)

    keys = {id(r): (round(smoothed(k), 6), r.f1, r.threshold) for k, r in enumerate(rows)}

    def key_f1(r: SweepRow):
        return keys[id(r)]

    if min_precision is None and min_recall is None:
        best = max(rows, key=key_f1)
        return best, (f"highest F1 averaged with the {F1_WINDOW} thresholds either side, "
                      f"{key_f1(best)[0]:.2f}; here F1 {best.f1:.2f} (precision {best.precision:.2f}, "
                      f"recall {best.recall:.2f}, {best.score.flagged} flagged)"), "f1", True
    if min_precision is not None:
        criterion = f"recall at precision ≥ {min_precision:.2f}"
        ok = [r for r in rows if r.score.flagged and r.precision >= min_precision]
        if ok:
            best = max(ok, key=lambda r: (r.recall, r.threshold))
            return best, (f"highest recall {best.recall:.2f} among thresholds with precision ≥ {min_precision:.2f} "
                          f"(this one {best.precision:.2f})"), criterion, True
        fallback = max(rows, key=key_f1)
        reached = max((r.precision for r in rows if r.score.flagged), default=0.0)
        return fallback, (f"no threshold reaches precision ≥ {min_precision:.2f} (the highest is {reached:.2f}); "
                          f"showing the best F1 {fallback.f1:.2f} instead"), criterion, False
    criterion = f"precision at recall ≥ {min_recall:.2f}"
    ok = [r for r in rows if r.recall >= min_recall]
    if ok:
        best = max(ok, key=lambda r: (r.precision, r.threshold))
        return best, (f"highest precision {best.precision:.2f} among thresholds with recall ≥ {min_recall:.2f} "
                      f"(this one {best.recall:.2f})"), criterion, True
    fallback = max(rows, key=key_f1)
    reached = max(r.recall for r in rows)
    return fallback, (f"no threshold reaches recall ≥ {min_recall:.2f} (the highest is {reached:.2f}); "
                      f"showing the best F1 {fallback.f1:.2f} instead"), criterion, False


def tune(corpora: Sequence[LabeledCorpus], c: float = DEFAULT_C, grid: Sequence[float] = THRESHOLD_GRID,
         min_precision: float | None = None, min_recall: float | None = None,
         settings: Settings | None = None) -> TuneResult:
    """Fit the scorer on every corpus and choose its threshold.

    With two or more corpora the threshold is chosen on out-of-fold probabilities (each
    corpus scored by a scorer that never saw its labels); with one, on the fitted
    scorer's own probabilities, which flatter it (the result says so)."""
    if not any(lb.kind == "conflict" for k in corpora for lb in k.labels):
        raise DiscrepancyError("no conflict labels: tuning needs at least one")
    scorer = fit_scorer(corpora, c)
    oof = len(corpora) >= 2
    probabilities = out_of_fold(corpora, c) if oof else [scorer.predict_proba(k.prepared.features) for k in corpora]
    rows = sweep(corpora, probabilities, grid, settings)
    best, reason, criterion, satisfied = choose(rows, min_precision, min_recall)
    scorer.threshold = best.threshold
    scorer.trained_on["threshold_chosen_on"] = "out-of-fold probabilities" if oof else "in-sample probabilities"
    scorer.trained_on["criterion"] = criterion
    unmatched = [(k.name, lb) for k in corpora for lb in k.targets.unmatched]
    return TuneResult([k.path for k in corpora], scorer, rows, best, reason, criterion, satisfied, oof, unmatched)


def leave_one_out(corpora: Sequence[LabeledCorpus], c: float = DEFAULT_C, grid: Sequence[float] = THRESHOLD_GRID,
                  settings: Settings | None = None,
                  progress: Callable[[str, int, int], None] | None = None) -> list[CorpusScore]:
    """For each corpus: fit the scorer and choose its threshold on all the others only, then score it."""
    if len(corpora) < 2:
        raise DiscrepancyError("leave-one-corpus-out needs at least two labeled corpora")
    scores = []
    for k, corpus in enumerate(corpora):
        if progress:
            progress("leave-one-out", k, len(corpora))
        others = [x for i, x in enumerate(corpora) if i != k]
        fitted = tune(others, c, grid, settings=settings) if len(others) >= 2 else None
        scorer = fitted.scorer if fitted else fit_scorer(others, c)
        threshold = fitted.best.threshold if fitted else 0.5
        scores.append(score_at(corpus, scorer.predict_proba(corpus.prepared.features), threshold, settings))
    if progress:
        progress("leave-one-out", len(corpora), len(corpora))
    return scores


def evaluate_fixed(corpora: Sequence[LabeledCorpus], scorer: SlotScorer, threshold: float | None = None,
                   settings: Settings | None = None) -> list[CorpusScore]:
    """Each corpus scored with one given scorer (the packaged one by default in the CLI)."""
    threshold = scorer.threshold if threshold is None else threshold
    return [score_at(k, scorer.predict_proba(k.prepared.features), threshold, settings) for k in corpora]


def plot_pr(result: TuneResult, path: str | Path) -> Path:
    """Write a precision–recall PNG over the thresholds, with iso-F1 contours and the chosen point."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    target = Path(path)
    fig, ax = plt.subplots(figsize=(7, 5.6), dpi=110)
    try:
        grid_f = np.linspace(0.01, 1.0, 200)
        for f in (0.2, 0.4, 0.6, 0.8):
            r = grid_f[grid_f > f / 2]
            p = f * r / (2 * r - f)
            keep = (p > 0) & (p <= 1.05)
            ax.plot(r[keep], p[keep], color="0.85", lw=0.8, ls=":", zorder=0)
            ax.annotate(f"F1={f:.1f}", xy=(1.0, f / (2 - f)), fontsize=7, color="0.6", ha="right", va="bottom")
        points = [r for r in result.rows if r.score.flagged]
        ax.plot([r.recall for r in points], [r.precision for r in points], "-o", ms=3, color="tab:blue",
                label="thresholds " + ("(out of fold)" if result.out_of_fold else "(in sample)"))
        for r in points[::5]:
            ax.annotate(f"{r.threshold:.2f}", xy=(r.recall, r.precision), fontsize=6, color="tab:blue",
                        xytext=(3, 3), textcoords="offset points")
        best = result.best
        ax.plot(best.recall, best.precision, "*", ms=16, color="tab:red", mec="black", zorder=5,
                label=f"chosen threshold {best.threshold:.2f}")
        ax.set_xlim(-0.02, 1.05)
        ax.set_ylim(-0.02, 1.08)
        ax.set_xlabel("recall (conflict labels found)")
        ax.set_ylabel("precision (flags matching a labeled conflict)")
        ax.set_title(f"slot scorer over {len(result.corpora)} labeled corpora", fontsize=10)
        ax.grid(alpha=0.25)
        ax.legend(fontsize=8, loc="lower left", framealpha=0.9)
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
