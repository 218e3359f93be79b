"""The question a value answers, phrased from its own clause (invented sentences only)."""

import pytest

from discrepancy.values import analyze_sentence


def questions(nlp, text: str) -> dict[tuple[str, str], str]:
    """{(kind, value text): question} for every value of the sentence."""
    (sent,) = nlp(text).sents
    return {(v.kind, v.text): v.question for claim in analyze_sentence(sent) for v in claim.values}


@pytest.mark.parametrize("text, value, question", [
    ("Seven people were killed in the bridge collapse.", ("quantity", "Seven"),
     "how many people were killed in the bridge collapse"),
    ("Rescuers found 12 bodies near the river.", ("quantity", "12"), "how many bodies rescuers found"),
    ("All 12 passengers were rescued.", ("quantity", "12"), "how many passengers were rescued"),
    ("The death toll rose to 12 on Thursday.", ("quantity", "12"), "what the death toll rose to"),
    ("The bridge is 300 metres long.", ("quantity", "300 metres"), "how long the bridge is"),
    ("Negotiations lasted almost three years.", ("quantity", "almost three years"), "how long negotiations lasted"),
    ("48 of those aboard were Danish nationals.", ("quantity", "48"),
     "how many of those aboard were Danish nationals"),
    ("The plane plunged 600 feet.", ("quantity", "600 feet"), "how far the plane plunged"),
    ("It takes 25 minutes.", ("quantity", "25 minutes"), "how long it takes"),
    ("The number of the dead may be closer to 900.", ("quantity", "900"),
     "what the number of the dead may be closer to"),
    ("The bridge was built in 1978.", ("date", "1978"), "when the bridge was built"),
    ("The death toll rose to 12 on Thursday.", ("date", "Thursday"), "when the death toll rose"),
    ("The ferry sailed from Port Amber.", ("place", "Port Amber"), "where the ferry sailed from"),
    ("Inspectors did not examine the bridge.", ("polarity", "examine"), "whether inspectors did examine the bridge"),
    ("No formal request was made.", ("polarity", "made"), "whether any formal request was made"),
    ("Governor Ann Weller declared a state of emergency on Wednesday.", ("date", "Wednesday"),
     "when Governor Ann Weller declared a state of emergency"),
])
def test_questions_are_phrased_from_the_claims_own_words(nlp, text, value, question):
    assert questions(nlp, text)[value] == question


def test_an_office_reads_in_its_own_order(nlp):
    # Not 'the chief fire': the words as the article writes them.
    assert questions(nlp, "The fire chief, Tom Hale, said the cause was unknown.")[("name", "Tom Hale")] \
        == "name of the fire chief"
    assert questions(nlp, "Mr. Tom Hale said the cause was unknown.").get(("name", "Tom Hale"), "") \
        != "name of the Mr."  # a form of address is no office


def test_other_figures_stay_out_of_the_question(nlp):
    # The other side may give another figure or date: the question names none; a place question
    # names no place.
    asked = questions(nlp, "Seven people were killed in the collapse on Monday in Kestrel Falls.")
    assert asked[("quantity", "Seven")].startswith("how many people were killed in the collapse")
    assert "Monday" not in asked[("quantity", "Seven")]
    assert asked[("place", "Kestrel Falls")] == "where people were killed"


def test_a_fragment_or_a_time_span_before_an_event_asks_nothing(nlp):
    # No clause to phrase it with, or 'two years after' (when, not how long): the report falls back
    # to a label of what is measured.
    assert questions(nlp, "After almost three years of talks.")[("quantity", "almost three years")] == ""
    assert questions(nlp, "Two years after the vote, the town received two new ferries.")[
        ("quantity", "Two years")] == ""


def test_questions_are_grammatical_without_a_clause_subject(nlp):
    # 'and carried 40 passengers': no subject of its own, so no 'how many passengers carried'.
    asked = questions(nlp, "The ferry was built in 1978 and carried 40 passengers that night.")
    assert asked[("quantity", "40")] in ("", "how many passengers the ferry carried")


def test_complements_and_relative_clauses_keep_their_subject(nlp):
    assert questions(nlp, "The council decided to close the bridge on Monday.")[("date", "Monday")] \
        == "when the council decided to close the bridge"
    assert questions(nlp, "The town would not be able to have both ferries and a bridge.")[("polarity", "be")] \
        == "whether the town would be able to have ferries"
    assert questions(nlp, "The harbour office, which runs the port, said the ferry sank.")[("polarity", "runs")] \
        == "whether the harbour office runs the port"
