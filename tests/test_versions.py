"""Versions: values that changed between syndicated copies of one text are reported, and
copies still count as one source."""

import pytest

from discrepancy.errors import NothingToCompare
from discrepancy.pipeline import find_discrepancies
from discrepancy.reporting import to_json, to_markdown
from discrepancy.versions import align_sentences

from .conftest import prepare_texts, shared_cache

WIRE = """{toll} people were killed when the bridge in Kestrel Falls collapsed on Tuesday evening, local officials said.

The steel bridge, built in 1978, carried traffic over the Lorn River between the old town and the station district.

Rescue teams worked through the night to reach cars that fell into the water. {governor} visited the site \
on Wednesday morning and promised an inquiry into the collapse.

The bridge was last inspected in 2019, according to the regional roads agency. Engineers will examine the \
remaining spans before any traffic is allowed near the river.
"""


def wire(toll="Seven", governor="Mayor Peter Hansen"):
    return WIRE.format(toll=toll, governor=governor)


def front(source, published):
    return f"---\ntitle: Bridge collapse in Kestrel Falls\nsource: {source}\npublished: {published}\n---\n"


@pytest.fixture(scope="module")
def cache(tmp_path_factory):
    return shared_cache(tmp_path_factory)


def check(folder, articles, cache):
    prepared = prepare_texts(folder, articles, cache)
    return find_discrepancies(prepared)


def test_a_changed_toll_between_two_copies_a_day_apart_is_reported(tmp_path, cache):
    result = check(tmp_path, {"wire_a.txt": front("Wire One", "2026-03-04") + wire("Seven"),
                              "paper_b.txt": front("Daily Paper", "2026-03-05") + wire("Twelve")}, cache)
    assert [g.doc_ids for g in result.duplicates] == [("paper_b", "wire_a")]
    (version,) = result.versions
    assert version.type == "number"
    assert [(s.value, [c.doc for c in s.claims]) for s in version.sides] == [("Seven", ["wire_a"]),
                                                                             ("Twelve", ["paper_b"])]
    assert [c.published for s in version.sides for c in s.claims] == ["2026-03-04", "2026-03-05"]
    assert "Seven in wire_a (2026-03-04)" in version.reason and "Twelve in paper_b (2026-03-05)" in version.reason
    assert not [f for f in result.findings if f.kind == "conflict"]  # still one source: no conflict between copies
    md = to_markdown(result)
    assert "## Versions differ" in md and "### V1. number: Seven vs Twelve" in md
    assert '"kind": "versions differ"' in to_json(result)


def test_three_copies_are_no_longer_nothing_to_compare(tmp_path, cache):
    result = check(tmp_path, {"a.txt": front("Wire One", "2026-03-04") + wire("Seven"),
                              "b.txt": front("Daily Paper", "2026-03-05") + wire("Twelve"),
                              "c.txt": front("Evening Post", "2026-03-05") + wire("Seven")}, cache)
    (version,) = result.versions
    assert [(s.value, [c.doc for c in s.claims]) for s in version.sides] == [("Seven", ["a", "c"]),
                                                                             ("Twelve", ["b"])]


def test_a_changed_name_is_reported_and_a_rewording_of_the_same_figure_is_not(tmp_path, cache):
    result = check(tmp_path, {"a.txt": front("Wire One", "2026-03-04") + wire("Seven"),
                              "b.txt": front("Daily Paper", "2026-03-05")
                              + wire("7", governor="Mayor Peter Olsen")}, cache)
    assert [(v.type, [s.value for s in v.sides]) for v in result.versions] == [
        ("name", ["Peter Hansen", "Peter Olsen"])]


def test_identical_copies_produce_nothing(tmp_path, cache):
    other = ("The ferry Dawn ran aground near Port Alba on Monday, the coast guard said. All 40 passengers were "
             "taken ashore by lifeboats, and the ship will be towed to the harbour on Friday.")
    result = check(tmp_path, {"a.txt": front("Wire One", "2026-03-04") + wire(),
                              "b.txt": front("Daily Paper", "2026-03-05") + wire(),
                              "c.txt": front("Evening Post", "2026-03-05") + other}, cache)
    assert result.duplicates and result.versions == []
    assert "Versions differ" not in to_markdown(result)


def test_identical_copies_alone_are_still_nothing_to_compare(tmp_path, cache):
    with pytest.raises(NothingToCompare, match="every article is a copy"):
        prepare_texts(tmp_path, {"a.txt": wire(), "b.txt": wire()}, cache)


def test_sentences_align_across_an_added_paragraph_and_a_rewritten_sentence():
    old = ["Seven people were killed.", "The bridge was built in 1978.", "An inquiry will follow."]
    new = ["Twelve people were killed.", "Divers searched the river.", "The bridge was built in 1978.",
           "An inquiry will follow."]
    assert align_sentences(old, new) == {0: 0, 1: 2, 2: 3}
    assert align_sentences(old, ["Something else entirely happened today."]) == {}
