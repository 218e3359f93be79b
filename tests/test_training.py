"""Targets for the slot scorer: labeled sentence pairs become positive and negative value pairs."""

from discrepancy.evaluation import Label

from .conftest import prepare_texts, shared_cache, value_rows

ARTICLES = {
    "a.txt": "The 22-foot tugboat lost contact with its ship on Sunday. The fuel lasts for 96 hours.",
    "b.txt": "The 21-foot tugboat lost contact with its ship on Sunday. Only 70 hours of fuel were left.",
}


def label(kind, a, b, type_="number"):
    return Label(1, kind, "a.txt", a, "b.txt", b, type_, "must" if kind == "conflict" else "should")


def test_a_conflict_label_makes_its_value_pair_positive(tmp_path_factory):
    from discrepancy.training import pair_targets

    prepared = prepare_texts(tmp_path_factory.mktemp("train"), ARTICLES, shared_cache(tmp_path_factory))
    labels = [label("conflict", "The 22-foot tugboat", "The 21-foot tugboat")]
    targets = pair_targets(prepared, labels)
    (i,), (j,) = value_rows(prepared, "22-foot"), value_rows(prepared, "21-foot")
    k = prepared.pairs.index((min(i, j), max(i, j)))
    assert targets.target[k] == 1 and targets.used[k]
    assert targets.target.sum() == 1 and not targets.unmatched


def test_an_agreement_label_makes_a_hard_negative(tmp_path_factory):
    from discrepancy.training import AGREEMENT_WEIGHT, pair_targets

    prepared = prepare_texts(tmp_path_factory.mktemp("train2"), ARTICLES, shared_cache(tmp_path_factory))
    labels = [label("agreement", "The fuel lasts for 96 hours.", "Only 70 hours of fuel were left.")]
    targets = pair_targets(prepared, labels)
    (i,), (j,) = value_rows(prepared, "96 hours"), value_rows(prepared, "70 hours")
    k = prepared.pairs.index((min(i, j), max(i, j)))
    assert targets.target[k] == 0 and targets.used[k] and targets.weight[k] == AGREEMENT_WEIGHT


def test_a_label_no_typed_pair_fits_is_reported(tmp_path_factory):
    from discrepancy.training import pair_targets

    prepared = prepare_texts(tmp_path_factory.mktemp("train3"), ARTICLES, shared_cache(tmp_path_factory))
    labels = [label("conflict", "lost contact with its ship", "lost contact with its ship", "location")]
    assert pair_targets(prepared, labels).unmatched == labels
