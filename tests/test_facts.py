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


def test_clock_times_are_facts_of_the_event(nlp):
    (when,) = by_type(facts(nlp, "The blast happened at about 4:40 a.m."), "time")
    assert (when.quantity.exact, when.role, when.predicate) == (4 * 60 + 40, "local", "explode")


def test_increments_and_parts_are_not_totals(nlp):
    assert by_type(facts(nlp, "Divers recovered four more bodies on Wednesday."), "number") == []
    counts = by_type(facts(nlp, "At least 23 people were injured, including nine police officers."), "number")
    assert [f.text for f in counts] == ["At least 23"]


def test_the_place_of_an_event_can_be_a_named_landmark(nlp):
    (place,) = by_type(facts(nlp, "The violence began outside the parliament building on Dorin Boulevard."),
                       "location")
    assert (place.text, place.predicate) == ("parliament building on Dorin Boulevard", "clash")


def test_places_given_together_are_one_location(nlp):
    (place,) = by_type(facts(nlp, "It ran aground near Gavrio on Andros early on Tuesday."), "location")
    assert place.text == "Gavrio, Andros"


def test_a_figure_from_a_background_event_is_scoped_to_its_date(nlp):
    (old,) = by_type(facts(nlp, "The worst disaster came in 2000, when the Express Samina sank, killing 80 people.",
                           date(2025, 1, 14)), "number")
    assert [d.start.year for d in old.scope] == [2000]
