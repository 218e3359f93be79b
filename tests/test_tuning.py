"""Tuning: the scorer and its threshold fitted on labeled corpora, deterministically, and measured leaving
one corpus out."""

import pytest

from discrepancy.tuning import THRESHOLD_GRID, choose, corpus_labels, leave_one_out, prepare_labeled, sweep, tune

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


def test_the_chosen_threshold_is_the_best_f1_of_the_sweep(labeled):
    result = tune(labeled)
    assert result.best.f1 == max(r.f1 for r in result.rows)
    assert len(result.rows) == len(THRESHOLD_GRID)


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
