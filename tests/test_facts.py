from datetime import date

from discrepancy.pipeline import segment_and_extract
from discrepancy.records import Document


def facts(nlp, text, published=None):
    document = Document("d", "d.txt", "t", "unknown", published, "unknown", text)
    _, claims = segment_and_extract([document], nlp)
    return claims


def by_type(claims, type_):
    return [f for c in claims for f in c.facts if f.type == type_]


def test_capital_as_government_is_not_a_location(nlp):
    assert by_type(facts(nlp, "Ankara officially announced that the system was ready."), "location") == []
    located = by_type(facts(nlp, "The S-400 is located in Ankara."), "location")
    assert [(f.text, f.predicate) for f in located] == [("Ankara", "locate")]


def test_location_keeps_the_whole_place_phrase(nlp):
    claims = facts(nlp, "It is believed that the system is located at the Anamur-Mersin military base.")
    (loc,) = by_type(claims, "location")
    assert loc.text == "Anamur-Mersin military base"
    assert claims[0].hedge == "It is believed"


def test_counts_are_typed_by_what_they_count(nlp):
    (dead,) = by_type(facts(nlp, "At least 12 people were killed when the ferry capsized."), "number")
    assert dead.attribute == "kill" and dead.quantity.low == 12
    (ship,) = by_type(facts(nlp, "The 300-metre ship lost power."), "number")
    assert (ship.attribute, ship.role, ship.quantity.exact) == ("ship", "m", 300)


def test_model_names_and_years_are_not_numbers(nlp):
    assert by_type(facts(nlp, "In 2019, Turkey tested the S-400 against F-16 jets."), "number") == []


def test_relative_dates_use_the_publication_date(nlp):
    (when,) = by_type(facts(nlp, "The ferry left Piraeus on Monday.", date(2024, 1, 17)), "date")
    assert when.date.start == date(2024, 1, 15) and when.relative == "Monday"


def test_negation_is_detected(nlp):
    claims = facts(nlp, "Officials said no formal request was made.")
    assert any(c.negated and c.predicate == "make" for c in claims)


def test_people_carry_their_role(nlp):
    (person,) = [f for f in by_type(facts(nlp, "Turkish Foreign Minister Mevlut Cavusoglu spoke."), "name")
                 if f.attribute == "person"]
    assert person.role == "foreign minister turkish"
