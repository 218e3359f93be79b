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
