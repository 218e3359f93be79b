"""Tuning: the scorer and its threshold fitted on labeled corpora, deterministically, and measured leaving
one corpus out."""

import pytest

from discrepancy.evaluation import CorpusScore
from discrepancy.tuning import (
    THRESHOLD_GRID,
    SweepRow,
    choose,
    corpus_labels,
    leave_one_out,
    prepare_labeled,
    sweep,
    tune,
)

from .conftest import ROOT, shared_cache


@pytest.fixture(scope="module")
def labeled(tmp_path_factory):
    cache = shared_cache(tmp_path_factory)
    corpora = [ROOT / "corpus" / name for name in ("ferry", "quake", "holdout-fire")]
    return prepare_labeled([(c, corpus_labels(c)[0]) for c in corpora], cache_dir=lambda _: cache, jobs=1)


def test_tuning_is_deterministic(labeled, tmp_path):
    first, second = tune(labeled), tune(labeled)
    first.scorer.save(tmp_path / "a.json")
    second.scorer.save(tmp_path / "b.json")
    assert (tmp_path / "a.json").read_bytes() == (tmp_path / "b.json").read_bytes()
    assert first.best.threshold in THRESHOLD_GRID and first.out_of_fold
    assert first.scorer.threshold == first.best.threshold


def test_the_chosen_threshold_is_one_of_the_sweep_with_a_high_f1(labeled):
    result = tune(labeled)
    assert result.best in result.rows and len(result.rows) == len(THRESHOLD_GRID)
    assert result.best.f1 >= 0.8 * max(r.f1 for r in result.rows)


def row(threshold, found, flagged, real):
    """A sweep row: `found` of 10 labeled conflicts matched, `real` of `flagged` flags matching one."""
    return SweepRow(threshold, CorpusScore("total", {"must": 10}, {"must": found}, flagged, real, 0, 0))


def test_a_broad_good_region_wins_over_a_lone_spike_of_f1():
    # F1 by threshold: a lone spike of 0.67 at 0.50, a broad plateau of about 0.6 from 0.80 to 0.88.
    rows = [row(0.46, 2, 20, 3), row(0.48, 2, 20, 3), row(0.50, 6, 8, 6), row(0.52, 2, 20, 3), row(0.54, 2, 20, 3),
            row(0.78, 3, 10, 4), row(0.80, 6, 10, 6), row(0.82, 6, 10, 6), row(0.84, 6, 10, 6), row(0.86, 6, 10, 6),
            row(0.88, 6, 10, 6), row(0.90, 3, 10, 4)]
    assert max(rows, key=lambda r: r.f1).threshold == 0.50
    best, reason, criterion, satisfied = choose(rows)
    assert best.threshold == 0.84 and criterion == "f1" and satisfied
    assert reason.startswith("highest F1 averaged with the 2 thresholds either side, 0.60; here F1 0.60")


def test_a_minimum_precision_trades_recall_for_it(labeled):
    rows = tune(labeled).rows
    best, _, criterion, satisfied = choose(rows, min_precision=0.5)
    assert criterion.startswith("recall at precision")
    if satisfied:
        assert best.precision >= 0.5
    impossible, reason, _, ok = choose(rows, min_precision=1.01)
    assert not ok and "no threshold reaches precision" in reason


def test_leave_one_out_scores_each_corpus_with_a_scorer_that_never_saw_it(labeled):
    scores = leave_one_out(labeled)
    assert [s.corpus for s in scores] == [k.path for k in labeled]
    for score in scores:
        assert score.labeled["must"] > 0 and 0.0 < score.threshold < 1.0
        assert score.precision is None or 0.0 <= score.precision <= 1.0


def test_a_sweep_flags_less_as_the_threshold_rises(labeled):
    from discrepancy.tuning import out_of_fold

    rows = sweep(labeled, out_of_fold(labeled), (0.5, 0.9, 0.99))
    assert rows[0].score.flagged >= rows[1].score.flagged >= rows[2].score.flagged
