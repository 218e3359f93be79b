"""Typed values: what each value measures, what it is about, and the clause it belongs to."""

from datetime import date

import pytest

from discrepancy.values import analyze_sentence


def values(nlp, text, published=None, kind=None):
    found = []
    for sent in nlp(text).sents:
        for claim in analyze_sentence(sent, published):
            found += [v for v in claim.values if kind is None or v.kind == kind]
    return found


def claims(nlp, text, published=None):
    return [c for sent in nlp(text).sents for c in analyze_sentence(sent, published)]


def only(found):
    assert len(found) == 1, [v.text for v in found]
    return found[0]


@pytest.mark.parametrize("text, dimension, unit, base", [
    ("The 985-foot-long vessel sank.", "length", "ft", 985 * 0.3048),
    ("The wreck lies 3,800 metres below the surface.", "length", "m", 3800),
    ("It was travelling at 128 kmph.", "speed", "km/h", 128 / 3.6),
    ("The captain had 8,200 hours of flying experience.", "duration", "h", 8200 * 3600),
    ("The storm dumped rain over 575 square kilometers.", "area", "km²", 575e6),
])
def test_measures_are_typed_by_dimension_in_base_units(nlp, text, dimension, unit, base):
    v = only(values(nlp, text, kind="quantity"))
    assert (v.amount.dimension, v.amount.unit) == (dimension, unit)
    assert v.amount.exact == pytest.approx(base)


def test_magnitudes_ages_and_money_have_dimensions_of_their_own(nlp):
    assert only(values(nlp, "The quake, put at magnitude 7.4 by the agency, hit the coast.",
                       kind="quantity")).amount.dimension == "magnitude"
    assert only(values(nlp, "A 33-year-old flight attendant survived.", kind="quantity")).amount.dimension == "age"
    assert only(values(nlp, "Lee, 33, was rescued from the tail.", kind="quantity")).amount.dimension == "age"
    money = only(values(nlp, "The trip costs US$250,000 per person.", kind="quantity"))
    assert (money.amount.dimension, money.amount.exact) == ("money:usd", 250000)


def test_a_compound_duration_is_one_value(nlp):
    v = only(values(nlp, "Crews lost contact about an hour and 45 minutes into the dive.", kind="quantity"))
    assert v.amount.exact == pytest.approx(105 * 60)
    assert v.amount.bound == "about"


def test_counts_know_what_they_count(nlp):
    v = only(values(nlp, "The death toll rose to 179 on Monday.", kind="quantity"))
    assert v.head == "death toll"
    crew = only(values(nlp, "The ship's 67 crew members were mostly Filipino.", kind="quantity"))
    assert crew.head == "crew member"


def test_a_breakdown_is_marked_and_adds_up_to_a_total(nlp):
    found = values(nlp, "There were 68 passengers and four crew members on board.", kind="quantity")
    parts = [v for v in found if v.coordinated]
    (whole,) = [v for v in found if v.parts > 1]
    assert sorted(v.amount.exact for v in parts) == [4, 68]
    assert whole.amount.exact == 72 and whole.parts == 2


def test_a_part_introduced_by_including_is_no_breakdown(nlp):
    found = values(nlp, "It carried 68 passengers, including 15 foreign nationals, and four crew members.",
                   kind="quantity")
    assert not [v for v in found if v.parts > 1 and v.amount.exact == 19]


def test_increments_are_kept_and_marked(nlp):
    v = only(values(nlp, "Divers recovered four more bodies on Wednesday.", kind="quantity"))
    assert v.increment


def test_ordinals_tell_events_apart(nlp):
    v = only(values(nlp, "The second stage of deliveries began on 27 August 2019.", kind="date"))
    assert "second" in v.ordinals


def test_codes_are_identifiers_not_counts(nlp):
    assert only(values(nlp, "Flight KF 482 left Lyon.", kind="identifier")).norm == "KF482"
    assert only(values(nlp, "The train number 40871 was hit.", kind="identifier")).norm == "40871"
    assert not values(nlp, "Flight KF 482 left Lyon.", kind="quantity")


def test_places_have_roles_and_whole_names(nlp):
    route = values(nlp, "The night train was running from Lyon to Paris.", kind="place")
    assert {(v.text, v.role) for v in route} == {("Lyon", "from"), ("Paris", "to")}
    base = only(values(nlp, "It is believed that the system is located at the Anamur-Mersin military base.",
                       kind="place"))
    assert base.text == "Anamur-Mersin military base" and base.role == "at"


def test_a_capital_standing_for_its_government_is_not_a_place(nlp):
    assert not values(nlp, "Ankara officially announced that the system was ready.", kind="place")


def test_a_bearing_keeps_its_reference_place(nlp):
    v = only(values(nlp, "The quake struck 72 km southwest of Lyon.", kind="direction"))
    assert (v.norm, v.role) == ("sw", "lyon")
    distance = only(values(nlp, "The quake struck 72 km southwest of Lyon.", kind="quantity"))
    assert distance.role == "lyon"  # a distance from that place


def test_relative_dates_use_the_publication_date(nlp):
    v = only(values(nlp, "The ferry left Piraeus on Monday.", date(2024, 1, 17), kind="date"))
    assert v.date.start == date(2024, 1, 15) and v.weekday == 0 and v.relative == "Monday"


def test_clock_times_and_parts_of_the_day(nlp):
    v = only(values(nlp, "The blast happened at about 4:40 a.m.", kind="time"))
    assert (v.amount.low, v.amount.high) == (4 * 60 + 30, 4 * 60 + 50)
    utc = only(values(nlp, "The aircraft departed at 1452 IST.", kind="time"))
    assert (utc.amount.exact, utc.role) == (14 * 60 + 52, "ist")


def test_people_carry_their_office(nlp):
    v = only([v for v in values(nlp, "Transport Minister Hana Roe visited the site.", kind="name")
              if v.role.startswith("person")])
    assert v.text == "Hana Roe" and "minister" in v.role


@pytest.mark.parametrize("text", [
    "There were no survivors.",
    "Officials denied any involvement.",
    "None of the passengers was hurt.",
    "The ministry denied that tear gas had been used.",
    "Authorities did not confirm that Mayor Hansen was aboard the ferry.",
])
def test_denials(nlp, text):
    assert any(v.negated for v in values(nlp, text, kind="polarity"))


def test_a_subordinate_clause_states_its_own_claim(nlp):
    text = "The ferry, which left port on 13 January, ran aground off Andros."
    found = claims(nlp, text)
    (dated,) = [c for c in found if any(v.kind == "date" for v in c.values)]
    (placed,) = [c for c in found if any(v.kind == "place" for v in c.values)]
    assert text[dated.start:dated.end].startswith("which left port") and dated is not placed


def test_hedges_and_attribution(nlp):
    (claim,) = [c for c in claims(nlp, "It is believed that the system is located at the Anamur-Mersin military "
                                       "base.") if any(v.kind == "place" for v in c.values)]
    assert claim.hedge == "It is believed"
    (said,) = [c for c in claims(nlp, "According to Turkish media, the S-400 is located in Ankara.")
               if any(v.kind == "place" for v in c.values)]
    assert said.attribution == "According to Turkish media"


def test_context_leaves_the_value_out(nlp):
    text = "The 22-foot tugboat lost contact with its ship."
    v = only(values(nlp, text, kind="quantity"))
    context = " ".join(text[a:b] for a, b in v.context)
    assert "22" not in context and "tugboat" in context and v.head == "tugboat"


def test_a_short_relative_clause_borrows_only_the_noun_it_describes(nlp):
    # Its context is what the date answers (when the bridge was built), not the collapse the main clause
    # tells; a short clause of another kind ('..., killing 80') still borrows its parent clause.
    text = "The Kestrel Falls bridge, which was built in 1987, collapsed on Tuesday."
    built = only([v for v in values(nlp, text, kind="date") if v.text == "1987"])
    context = " ".join(text[a:b] for a, b in built.context)
    assert "bridge" in context and "built" in context and "collapsed" not in context
    text = "The storm hit the coast on Monday, killing 80."
    killed = only(values(nlp, text, kind="quantity"))
    assert "storm" in " ".join(text[a:b] for a, b in killed.context)
