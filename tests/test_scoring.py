"""The slot scorer: fitted deterministically, persisted small, refused when it does not fit."""

import json

import numpy as np
import pytest

from discrepancy.errors import DiscrepancyError
from discrepancy.scoring import SlotScorer, default_scorer, load_scorer
from discrepancy.slots import FEATURES


def toy_data(seed=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(400, len(FEATURES)))
    y = (x[:, 0] + 0.5 * x[:, 1] > 1.0).astype(int)
    return x, y


def test_fitting_is_deterministic_same_scores_same_file(tmp_path):
    x, y = toy_data()
    a = SlotScorer().fit(x, y)
    b = SlotScorer().fit(x, y)
    assert np.array_equal(a.predict_proba(x), b.predict_proba(x))
    a.save(tmp_path / "a.json")
    b.save(tmp_path / "b.json")
    assert (tmp_path / "a.json").read_bytes() == (tmp_path / "b.json").read_bytes()


def test_the_fit_learns_the_signal():
    x, y = toy_data()
    scorer = SlotScorer().fit(x, y)
    p = scorer.predict_proba(x)
    assert p[y == 1].mean() > 0.7 > 0.3 > p[y == 0].mean()
    weights = scorer.contributions(x[0])
    assert set(weights) == set(FEATURES)


def test_a_saved_scorer_loads_back_and_scores_the_same(tmp_path):
    x, y = toy_data(1)
    scorer = SlotScorer().fit(x, y)
    scorer.threshold = 0.73
    scorer.save(tmp_path / "s.json")
    loaded = load_scorer(tmp_path / "s.json")
    assert loaded.threshold == 0.73
    assert np.allclose(loaded.predict_proba(x), scorer.predict_proba(x), atol=1e-6)
    assert (tmp_path / "s.json").stat().st_size < 20_000  # small enough to ship and to read


def test_the_packaged_scorer_fits_this_version():
    scorer = default_scorer()
    assert scorer.features == FEATURES and 0 < scorer.threshold < 1
    assert load_scorer("").threshold == scorer.threshold


def test_fitting_needs_both_kinds_of_pair():
    x, _ = toy_data()
    with pytest.raises(DiscrepancyError, match="need both"):
        SlotScorer().fit(x, np.zeros(len(x), dtype=int))


@pytest.mark.parametrize("edit, message", [
    (lambda d: d.update(features=d["features"][:-1]), "features differ"),
    (lambda d: d.update(format=99), "format"),
    (lambda d: d.update(weights=d["weights"][:3]), "wrong length"),
    (lambda d: d.pop("intercept"), "intercept"),
])
def test_a_scorer_file_that_does_not_fit_is_one_clear_error(tmp_path, edit, message):
    data = default_scorer().to_json()
    edit(data)
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(DiscrepancyError, match=message) as err:
        load_scorer(path)
    assert str(path) in str(err.value) and "\n" not in str(err.value)


def test_a_file_that_is_not_json_names_the_file(tmp_path):
    path = tmp_path / "x.json"
    path.write_text("not json", encoding="utf-8")
    with pytest.raises(DiscrepancyError, match="cannot read slot scorer"):
        load_scorer(path)
