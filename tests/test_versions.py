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
    assert "Seven in Wire One (2026-03-04)" in version.reason and "Twelve in Daily Paper (2026-03-05)" in version.reason
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


# --- compare_versions on hand-made records (no model) ------------------------------------------

def records(doc_id, published, sentences):
    """A document, its sentences and one claim per sentence from {sentence: [(kind, text, extra)]}."""
    from datetime import date

    from discrepancy.records import Amount, Claim, Document, Sentence, Value

    text = " ".join(sentences)
    doc = Document(doc_id, f"{doc_id}.txt", "Bridge", "Wire", date.fromisoformat(published), "", text)
    out_sentences, out_claims, start = [], [], 0
    for n, (sentence, values) in enumerate(sentences.items()):
        sid = f"{doc_id}#{n}"
        out_sentences.append(Sentence(sid, doc_id, n, sentence, start, start + len(sentence)))
        typed = []
        for kind, written, number, negated in values:
            at = sentence.index(written)
            amount = Amount(number, number, number, "count") if number is not None else None
            typed.append(Value(kind, written, at, at + len(written), written.lower(), amount=amount,
                               head="people" if amount else "", negated=negated))
        out_claims.append(Claim(f"{sid}.0", sid, doc_id, sentence, start, start + len(sentence),
                                values=tuple(typed), sentence=sentence, offset=start))
        start += len(sentence) + 1
    return doc, out_sentences, out_claims


def versions_of(*copies):
    from discrepancy.records import DuplicateGroup
    from discrepancy.versions import compare_versions

    docs, sentences, claims = [], [], []
    for doc, s, c in copies:
        docs.append(doc)
        sentences += s
        claims += c
    return compare_versions(docs, sentences, claims, [DuplicateGroup(tuple(sorted(d.id for d in docs)), 0.9)])


def test_a_denied_fact_in_a_later_copy_is_a_version_difference_and_the_same_count_reworded_is_not():
    first = records("wire", "2026-03-04", {
        "Seven people were killed in the collapse.": [("quantity", "Seven", 7, False)],
        "The bridge was inspected last year.": [("polarity", "inspected", None, False)],
    })
    later = records("paper", "2026-03-05", {
        "7 people were killed in the collapse.": [("quantity", "7", 7, False)],
        "The bridge was not inspected last year.": [("polarity", "inspected", None, True)],
    })
    (version,) = versions_of(later, first)  # the earlier copy is the reference, whatever the order given
    assert version.type == "polarity"
    assert [(s.value, s.claims[0].doc) for s in version.sides] == [("affirmed", "wire"), ("denied", "paper")]


def test_byte_identical_copies_give_nothing():
    sentences = {"Seven people were killed in the collapse.": [("quantity", "Seven", 7, False)]}
    assert versions_of(records("wire", "2026-03-04", sentences), records("paper", "2026-03-05", sentences)) == []
