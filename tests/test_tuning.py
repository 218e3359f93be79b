"""Threshold sweep: data out, a recommendation with a reason, and a plot."""

import pytest

from discrepancy.errors import DiscrepancyError
from discrepancy.evaluation import evaluate_result, parse_labels
from discrepancy.settings import Settings
from discrepancy.tuning import SweepRow, pareto, plot_pr, recommend, tune

from .conftest import S400, shared_cache

LABELS = S400 / "labels.jsonl"


@pytest.fixture(scope="session")
def prepared(tmp_path_factory):
    from discrepancy.pipeline import prepare_corpus

    return prepare_corpus(S400, Settings(), cache_dir=shared_cache(tmp_path_factory), align_threshold=0.1)


@pytest.fixture(scope="session")
def swept(prepared):
    return tune(S400, LABELS, prepared=prepared)


def row(sim, score, tp, fp, fn, labels=10):
    p = tp / (tp + fp) if tp + fp else 0.0
    r = (labels - fn) / labels
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return SweepRow(sim, score, tp + fp, tp, fp, fn, labels, round(p, 4), round(r, 4), round(f1, 4), 1.0)


def test_sweep_covers_the_grid_and_the_current_setting(swept):
    sims = {r.similarity_threshold for r in swept.rows}
    scores = {r.min_score for r in swept.rows}
    assert len(swept.rows) == len(sims) * len(scores)
    assert Settings().similarity_threshold in sims and Settings().min_score in scores
    assert swept.current.setting == (Settings().similarity_threshold, Settings().min_score)
    assert swept.best in swept.rows and swept.reason and "\n" not in swept.reason
    assert swept.best.f1 == max(r.f1 for r in swept.rows)
    # Looser settings never flag fewer conflicts.
    for sim in sims:
        flags = [r.flagged for r in sorted((r for r in swept.rows if r.similarity_threshold == sim),
                                           key=lambda r: r.min_score)]
        assert flags == sorted(flags, reverse=True)


def test_a_sweep_row_equals_a_full_check(swept, s400_result):
    """Preparing once at a low threshold gives what a normal run at the default gives."""
    ev = evaluate_result(s400_result, parse_labels(LABELS))
    cur = swept.current
    assert (cur.flagged, cur.tp, cur.fp, cur.fn) == (ev.flagged, ev.overall.tp, ev.overall.fp, ev.overall.fn)


def test_recommend_best_f1_with_ties():
    rows = [row(0.3, 0.3, 5, 5, 5), row(0.3, 0.5, 4, 1, 6), row(0.4, 0.5, 4, 1, 6), row(0.4, 0.7, 2, 0, 8)]
    best, why, criterion, ok = recommend(rows, current=(0.4, 0.3))
    assert ok and criterion == "f1"
    assert best.setting == (0.4, 0.5)  # tie on F1 and precision and flags: the one nearest the current setting
    assert "highest F1" in why and "2 settings share it" in why


def test_recommend_tie_prefers_precision_then_fewer_flags():
    a = row(0.3, 0.3, 5, 5, 5, labels=10)  # P .5, R .5: F1 .5
    b = row(0.3, 0.6, 3, 0, 6, labels=9)  # P 1, R .33: F1 .5
    assert a.f1 == b.f1
    assert recommend([a, b], (0.3, 0.3))[0] is b
    same = [row(0.3, 0.3, 2, 2, 8), row(0.3, 0.4, 2, 2, 8)]
    assert recommend(same, (0.3, 0.45))[0].setting == (0.3, 0.4)


def test_recommend_under_constraints():
    rows = [row(0.3, 0.1, 8, 8, 2), row(0.3, 0.3, 6, 2, 4), row(0.3, 0.5, 3, 0, 7)]
    best, why, _, ok = recommend(rows, (0.3, 0.3), min_precision=0.7)
    assert ok and best.setting == (0.3, 0.3) and "precision ≥ 0.70" in why
    best, why, _, ok = recommend(rows, (0.3, 0.3), min_recall=0.75)
    assert ok and best.setting == (0.3, 0.1)
    best, why, _, ok = recommend(rows, (0.3, 0.3), min_precision=1.01)
    assert not ok and "no setting reaches precision" in why
    with pytest.raises(DiscrepancyError):
        recommend(rows, (0.3, 0.3), min_precision=0.5, min_recall=0.5)


def test_pareto_drops_dominated_points():
    a, b, c = row(0.3, 0.1, 8, 8, 2), row(0.3, 0.3, 6, 2, 4), row(0.3, 0.5, 3, 3, 7)
    assert pareto([a, b, c]) == [b, a]


def test_tune_needs_conflict_labels(tmp_path, prepared):
    labels = tmp_path / "l.jsonl"
    labels.write_text(LABELS.read_text(encoding="utf-8").splitlines()[0].replace('"conflict"', '"agreement"') + "\n",
                      encoding="utf-8")
    with pytest.raises(DiscrepancyError, match="no conflict labels"):
        tune(S400, labels, prepared=prepared)


def test_plot_is_a_png(tmp_path, swept):
    path = plot_pr(swept, tmp_path / "pr.png")
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20_000
    assert not list(tmp_path.glob(".*.tmp"))


def test_as_dict_is_json_ready(swept):
    import json

    data = json.loads(json.dumps(swept.as_dict()))
    assert data["recommended"]["f1"] == swept.best.f1 and len(data["rows"]) == len(swept.rows)
