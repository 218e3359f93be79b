from datetime import date

from discrepancy.comparing import compare_pair
from discrepancy.pipeline import segment_and_extract
from discrepancy.records import Document


def claims_of(nlp, text, doc_id, published=None):
    document = Document(doc_id, f"{doc_id}.txt", "t", "unknown", published, "unknown", text)
    return document, segment_and_extract([document], nlp)[1]


def verdicts(nlp, text_a, text_b, similarity=0.6, pub_a=None, pub_b=None):
    doc_a, claims_a = claims_of(nlp, text_a, "a", pub_a)
    doc_b, claims_b = claims_of(nlp, text_b, "b", pub_b)
    docs = {"a": doc_a, "b": doc_b}
    out = []
    for ca in claims_a:
        for cb in claims_b:
            out += [c for c, _, _ in compare_pair(ca, cb, similarity, docs)]
    return out


def test_two_places_for_one_thing_conflict(nlp):
    (c,) = [v for v in verdicts(nlp, "It is believed that the system is located at the Anamur-Mersin military base.",
                                "The S-400 is located in Ankara.") if v.type == "location"]
    assert c.verdict == "conflict"
    assert c.reason.startswith("location: Anamur-Mersin military base ≠ Ankara")
    assert "hedged" in c.reason


def test_same_date_at_coarser_granularity_agrees(nlp):
    results = verdicts(nlp, "The S-400s were delivered to Turkey in July 2019.",
                       "Deliveries of the S-400 to Turkey began on 12 July 2019.")
    assert results and all(v.verdict == "agreement" for v in results if v.type == "date")


def test_spelling_variants_of_a_name_agree(nlp):
    results = verdicts(nlp, "Turkish Foreign Minister Mevlüt Cavusoglu said talks continue.",
                       "Turkish Foreign Minister Mevlut Cavusoglu said talks would go on.")
    assert [v.verdict for v in results if v.type == "name"] == ["agreement"]


def test_similar_sentences_with_different_places_are_not_a_conflict(nlp):
    # Different predicates (a test vs a lock-on): both can be true.
    results = verdicts(nlp, "Turkey tested the S-400 radar near Ankara in 2019.",
                       "In 2020, the S-400 radar locked a Greek F-16 off Crete.")
    assert not [v for v in results if v.verdict == "conflict"]


def test_different_death_tolls_on_different_days_are_a_possible_update(nlp):
    results = verdicts(nlp, "Seven people were killed when the ferry ran aground.",
                       "Eleven people were killed when the ferry ran aground.",
                       pub_a=date(2024, 1, 14), pub_b=date(2024, 1, 15))
    (c,) = [v for v in results if v.type == "number"]
    assert c.verdict == "conflict" and c.update
    assert "possible update" in c.reason


def test_affirmed_and_denied_conflict(nlp):
    results = verdicts(nlp, "They have made such a request to Turkey.", "No formal request was made to Turkey.")
    assert [v.verdict for v in results if v.type == "polarity"] == ["conflict"]


def test_a_loose_bound_never_merges_two_different_counts(nlp):
    from discrepancy.comparing import build_findings
    from discrepancy.records import CandidatePair

    texts = {"a": "Police said 87 people were arrested.", "b": "Officials said 112 people were arrested.",
             "c": "More than 80 people were arrested, police said."}
    docs, claims = {}, {}
    for doc_id, text in texts.items():
        document, found = claims_of(nlp, text, doc_id)
        docs[doc_id] = document
        claims.update({c.id: c for c in found if c.facts})
    ids = sorted(claims)
    pairs = [CandidatePair(x, y, 0.8, "fact-key") for i, x in enumerate(ids) for y in ids[i + 1:]]
    findings, _ = build_findings(pairs, claims, docs, {"a": 0, "b": 1, "c": 2}, 0.3, 0.5)
    (conflict,) = [f for f in findings if f.kind == "conflict"]
    # Two sides, each named by its precise figure; the bound joins one of them, not both.
    assert sorted(s.value for s in conflict.sides) == ["112", "87"]
    assert sum(len(s.claims) for s in conflict.sides) == 3


def test_a_count_in_a_sentence_about_something_else_is_still_compared(nlp):
    results = verdicts(nlp, "The Interior Ministry said 87 people had been arrested over the protest.",
                       "Among the 112 people detained by police was opposition MP Daria Lenska.", similarity=0.1)
    assert [v.verdict for v in results if v.type == "number"] == ["conflict"]


def test_crew_and_people_counts_are_not_compared(nlp):
    # '19 crew rescued' may be part of '200 people rescued'.
    results = verdicts(nlp, "Its 19 crew members were rescued.", "More than 200 people were rescued.")
    assert [v for v in results if v.type == "number"] == []


def test_reasons_name_documents_that_share_a_prefix_in_full():
    from discrepancy.comparing import caveats
    from discrepancy.records import Claim

    def claim(doc_id, **kw):
        return Claim(f"{doc_id}#0.0", f"{doc_id}#0", doc_id, "x", 0, 1, **kw)

    _, notes = caveats(claim("reuters_a", hedge="reportedly"), claim("reuters_b", attribution="police said"),
                       None, None)
    assert notes == ["reuters_a hedged: 'reportedly'", "reuters_b attributed: 'police said'"]
    _, notes = caveats(claim("000_4958", hedge="it is believed"), claim("001_f634", attribution="media said"),
                       None, None)
    assert notes == ["000 hedged: 'it is believed'", "001 attributed: 'media said'"]  # distinct prefixes stay short
