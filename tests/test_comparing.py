"""Comparing: which values can both be true, and findings built from pairwise edges only."""

import re
from datetime import date

import numpy as np
import pytest

from discrepancy.aligning import ValueTable
from discrepancy.comparing import (
    ScoredPair,
    bounded_dates_compatible,
    build_findings,
    compatible,
    date_relation,
    pair_compatibility,
)
from discrepancy.records import Amount, Claim, DateValue, Document, Value

# --- general knowledge, as hard constraints ---------------------------------------------------------------


def count(text, exact, low=None, high=None, bound="", head="people", **kw):
    low = exact if low is None else low
    high = exact if high is None else high
    return Value("quantity", text, 0, len(text), text, amount=Amount(low, high, exact, "count", "", bound), head=head,
                 **kw)


def day(text, when, **kw):
    return Value("date", text, 0, len(text), text, date=DateValue(when, when, "day"), **kw)


def place(text, role="at"):
    return Value("place", text, 0, len(text), text.lower(), role=role)


def name(text, role="person"):
    return Value("name", text, 0, len(text), text.lower(), role=role)


def test_counts():
    assert compatible(count("at least 68", 68, 68, float("inf"), "lower"), count("70", 70)) is True
    assert compatible(count("12", 12), count("15", 15)) is False


def test_a_breakdown_figure_answers_only_its_own_group():
    crew = count("three", 3, head="crew member", coordinated=True)
    assert compatible(crew, count("10", 10, head="people")) is None
    assert compatible(crew, count("five", 5, head="crew")) is False
    total = count("7 passengers and three crew members", 10, head="", parts=2)
    assert compatible(total, count("10", 10, head="people")) is True
    assert compatible(total, count("seven", 7, head="passenger")) is None


def test_dates_granularity_weekdays_and_background():
    assert compatible(Value("date", "July 2019", 0, 9, "", date=DateValue(date(2019, 7, 1), date(2019, 7, 31),
                                                                           "month")),
                      day("12 July 2019", date(2019, 7, 12))) is True
    friday = Value("date", "Friday", 0, 6, "", date=DateValue(date(2024, 12, 27), date(2024, 12, 27), "day"),
                   weekday=4, relative="Friday")
    assert compatible(friday, day("Sunday (Dec 29)", date(2024, 12, 29))) is False
    tuesday_a = Value("date", "Tuesday", 0, 7, "", date=DateValue(date(2023, 1, 17), date(2023, 1, 17), "day"),
                      weekday=1, relative="Tuesday")
    tuesday_b = Value("date", "Tuesday", 0, 7, "", date=DateValue(date(2023, 1, 10), date(2023, 1, 10), "day"),
                      weekday=1, relative="Tuesday")
    assert compatible(tuesday_a, tuesday_b) is True  # two articles' 'Tuesday' may be one Tuesday
    history = day("4 March 1960", date(1960, 3, 4), background=True)
    assert compatible(history, day("8 September 2023", date(2023, 9, 8))) is None


def test_a_date_after_by_or_before_is_a_bound():
    def dated(sentence, text, when):
        start = sentence.index(text)
        return Value("date", text, start, start + len(text), text, date=DateValue(when, when, "day"))

    by_text = "By 5 May, divers had reached the hull of Ferry Dawn."
    on_text = "Divers reached the hull of Ferry Dawn on 3 May."
    by, on = dated(by_text, "5 May", date(2001, 5, 5)), dated(on_text, "3 May", date(2001, 5, 3))
    assert date_relation(by, by_text) == "by" and date_relation(on, on_text) == "point"
    assert compatible(by, on) is False  # as two moments
    assert bounded_dates_compatible(by, on, "by", "point") is True  # 3 May is by 5 May
    late = dated("Divers reached the hull on 8 May.", "8 May", date(2001, 5, 8))
    assert bounded_dates_compatible(by, late, "by", "point") is False
    assert bounded_dates_compatible(on, late, "after", "point") is True
    # two moments of a running story: 'by 5 May 20 were rescued', 'by 7 May 35 were'
    assert bounded_dates_compatible(by, dated("By 7 May", "7 May", date(2001, 5, 7)), "by", "by") is True


def test_pairs_read_a_date_as_a_bound_from_its_sentence():
    def dated(sentence, text, when):
        start = sentence.index(text)
        return Value("date", text, start, start + len(text), text, date=DateValue(when, when, "day"))

    texts = ["By 5 May, divers had reached the hull of Ferry Dawn.", "Divers reached the hull of Ferry Dawn on 3 May.",
             "Divers reached the hull of Ferry Dawn on 8 May."]
    values = [dated(texts[0], "5 May", date(2001, 5, 5)), dated(texts[1], "3 May", date(2001, 5, 3)),
              dated(texts[2], "8 May", date(2001, 5, 8))]
    claims = [Claim(f"d{n}#0.0", f"d{n}#0", f"d{n}", text, 0, len(text), values=(value,), sentence=text)
              for n, (text, value) in enumerate(zip(texts, values, strict=True))]
    vectors = np.eye(3, 8, dtype=np.float32)
    table = ValueTable(claims, [(n, 0) for n in range(3)], vectors, vectors * 0, vectors * 0, vectors, [0, 1, 2],
                       [False] * 3)
    assert pair_compatibility(table, [(0, 1), (0, 2), (1, 2)]) == [True, False, False]


def test_clock_times_and_zones():
    def clock(minutes, zone="", spread=0):
        return Value("time", "t", 0, 1, "t", amount=Amount(minutes - spread, minutes + spread, minutes, "clock", zone),
                     role=zone)

    assert compatible(clock(8 * 60 + 58), clock(8 * 60 + 59)) is False
    assert compatible(clock(13 * 60 + 39, "ist"), clock(8 * 60 + 9, "utc")) is True  # IST is UTC+5:30
    assert compatible(clock(19 * 60, spread=10), clock(19 * 60 + 20, spread=10)) is False
    assert compatible(clock(13 * 60 + 39), clock(8 * 60 + 9, "utc")) is None  # a local time against UTC


def test_places():
    assert compatible(place("Ankara"), place("Anamur-Mersin military base")) is False
    assert compatible(place("Izmir province"), place("Bergama")) is True  # a broad region may hold it
    assert compatible(place("Dawra"), place("Daoura")) is True  # transliteration
    assert compatible(place("Russia"), place("Vologda")) is True  # a country holds its places
    direction = Value("direction", "southwest", 0, 9, "sw", role="lyon")
    assert compatible(direction, Value("direction", "southeast", 0, 9, "se", role="lyon")) is False
    assert compatible(direction, Value("direction", "south", 0, 5, "s", role="lyon")) is True
    assert compatible(direction, Value("direction", "south", 0, 5, "s", role="newfoundland")) is None


def test_names():
    assert compatible(name("Mevlüt Cavusoglu"), name("Mevlut Cavusoglu")) is True
    assert compatible(name("Ingrid Schäfer"), name("Monika Schäfer")) is False
    assert compatible(name("John Pell"), name("John Amory")) is None  # two people
    assert compatible(name("Mirela Danu", "person:chief police velgrad"),
                      name("Stefan Ilić", "person:chief police")) is False  # one office, two names
    assert compatible(name("Canadian Coast Guard", "org"), name("US Coast Guard", "org")) is None


@pytest.mark.parametrize("a, b, fits", [("KF842", "KF 482", False), ("40871", "40873", False), ("9K4410", "4410", True),
                                        ("Boeing 787", "787-8", True), ("B737", "9K4410", None), ("12", "1", False)])
def test_identifiers(a, b, fits):
    def code(text):
        return Value("identifier", text, 0, len(text), re.sub(r"[\s-]", "", text).upper())

    assert compatible(code(a), code(b)) is fits


# --- findings from pairwise edges -------------------------------------------------------------------------


def table_of(values: list[tuple[str, Value]]) -> tuple[ValueTable, dict]:
    """One claim per value; `values` are (document id, value)."""
    claims, docs = [], {}
    for n, (doc, value) in enumerate(values):
        claims.append(Claim(f"{doc}#{n}.0", f"{doc}#{n}", doc, value.text, 0, len(value.text), values=(value,),
                            sentence=f"Sentence {n} says {value.text}."))
        docs[doc] = Document(doc, f"{doc}.txt", doc, "unknown", None, "unknown", "text")
    vectors = np.eye(len(values), 8, dtype=np.float32)
    groups = {d: k for k, d in enumerate(sorted(docs))}
    table = ValueTable(claims, [(n, 0) for n in range(len(values))], vectors, vectors * 0, vectors * 0, vectors,
                       [groups[c.doc_id] for c in claims], [False] * len(values))
    return table, docs


def edges(table, probabilities: dict) -> list[ScoredPair]:
    return [ScoredPair(i, j, p, compatible(table.value(i), table.value(j)), 0.5) for (i, j), p in probabilities.items()]


def test_a_loose_bound_never_joins_two_different_counts():
    table, docs = table_of([("a", count("87", 87)), ("b", count("112", 112)),
                            ("c", count("more than 80", 80, 80, float("inf"), "lower"))])
    groups = {"a": 0, "b": 1, "c": 2}
    (finding,) = build_findings(table, edges(table, {(0, 1): 0.9, (0, 2): 0.8, (1, 2): 0.8}), docs, groups,
                                0.6, 0.6)
    assert sorted(s.value for s in finding.sides) == ["112", "87"]  # 'more than 80' fits both: on neither side


def test_no_transitive_merge_of_different_questions():
    # 12 (a) and 15 (b) answer one question; 40 (c) is paired with 15 only, not with 12.
    table, docs = table_of([("a", count("12", 12)), ("b", count("15", 15)), ("c", count("40", 40))])
    groups = {"a": 0, "b": 1, "c": 2}
    findings = build_findings(table, edges(table, {(0, 1): 0.9, (1, 2): 0.85, (0, 2): 0.05}), docs, groups, 0.6, 0.6)
    first = findings[0]
    assert sorted(s.value for s in first.sides) == ["12", "15"]
    assert all("40" not in {s.value for s in f.sides} or "12" not in {s.value for s in f.sides} for f in findings)


def test_every_article_stating_a_side_is_listed_on_it():
    table, docs = table_of([("a", count("22", 22)), ("b", count("21", 21)), ("c", count("22", 22)),
                            ("d", count("22", 22))])
    groups = {"a": 0, "b": 1, "c": 2, "d": 3}
    probabilities = {(0, 1): 0.9, (1, 2): 0.7, (1, 3): 0.4, (0, 2): 0.8, (0, 3): 0.5, (2, 3): 0.6}
    (finding,) = [f for f in build_findings(table, edges(table, probabilities), docs, groups, 0.6, 0.6)
                  if f.kind == "conflict"]
    sides = {s.value: sorted(r.doc for r in s.claims) for s in finding.sides}
    assert sides == {"22": ["a", "c", "d"], "21": ["b"]}
    assert finding.sources == 4


def test_compatible_values_of_one_question_are_a_corroboration():
    table, docs = table_of([("a", count("179", 179)), ("b", count("179", 179))])
    (finding,) = build_findings(table, edges(table, {(0, 1): 0.9}), docs, {"a": 0, "b": 1}, 0.6, 0.6)
    assert finding.kind == "agreement" and finding.sources == 2


def test_a_name_both_mention_is_no_corroboration_unless_it_answers_who_holds_an_office():
    table, docs = table_of([("a", name("Kestrel Falls Council", "org")), ("b", name("Kestrel Falls Council", "org"))])
    assert build_findings(table, edges(table, {(0, 1): 0.9}), docs, {"a": 0, "b": 1}, 0.6, 0.6) == []
    table, docs = table_of([("a", name("Peter Hansen", "person:mayor")), ("b", name("Peter Hansen", "person:mayor"))])
    (finding,) = build_findings(table, edges(table, {(0, 1): 0.9}), docs, {"a": 0, "b": 1}, 0.6, 0.6)
    assert finding.kind == "agreement" and finding.reason.startswith("name of the mayor: Peter Hansen = Peter Hansen")


def test_places_corroborate_only_when_one_is_known_to_hold_the_other():
    table, docs = table_of([("a", place("Kestrel Falls")), ("b", place("Norway"))])
    assert compatible(table.value(0), table.value(1)) is True  # no conflict: the town may be in Norway…
    assert build_findings(table, edges(table, {(0, 1): 0.9}), docs, {"a": 0, "b": 1}, 0.6, 0.6) == []  # …no agreement
    table, docs = table_of([("a", place("Vestland")), ("b", place("Norway"))])
    (finding,) = build_findings(table, edges(table, {(0, 1): 0.9}), docs, {"a": 0, "b": 1}, 0.6, 0.6)
    assert finding.kind == "agreement"


def test_a_figure_restated_in_one_article_about_the_same_thing_joins_its_side():
    # Article a says '21' of 'the passenger ferry' and, further down, of 'the ferry':
    # only the first is paired with b's 22; the second still belongs on a's side.
    table, docs = table_of([("a", count("21", 21, head="passenger ferry")),
                            ("a", count("21", 21, head="ferry")), ("b", count("22", 22, head="ferry")),
                            ("a", count("21", 21, head="crew"))])
    (finding,) = build_findings(table, edges(table, {(0, 2): 0.9}), docs, {"a": 0, "b": 1}, 0.6, 0.6)
    assert [[c.claim_id for c in side.claims] for side in finding.sides] == [["a#0.0", "a#1.0"], ["b#2.0"]]


def test_below_the_threshold_nothing_is_flagged():
    table, docs = table_of([("a", count("12", 12)), ("b", count("15", 15))])
    assert build_findings(table, edges(table, {(0, 1): 0.5}), docs, {"a": 0, "b": 1}, 0.6, 0.6) == []


# --- what can be compared at all ------------------------------------------------------------------------


def test_places_named_together_in_one_sentence_are_not_alternatives():
    from discrepancy.comparing import colocated_places

    andros = Value("place", "Andros", 0, 6, "andros", role="at", entities=frozenset({"the cyclades"}))
    lisbon = Value("place", "Lisbon", 0, 6, "lisbon", role="from")
    paris = Value("place", "Paris", 10, 15, "paris", role="to")
    claim = Claim("a#0.0", "a#0", "a", "x", 0, 1, values=(lisbon, paris))
    table, _ = table_of([("a", andros)])
    table = ValueTable(table.claims + [claim], table.refs + [(1, 0), (1, 1)], np.zeros((3, 8), np.float32),
                       np.zeros((3, 8), np.float32), np.zeros((3, 8), np.float32), np.zeros((3, 8), np.float32),
                       [0, 0, 0], [False] * 3)
    together = colocated_places(table)
    assert ("andros", "cyclades") in together  # 'Andros, the northernmost island of the Cyclades'
    assert ("lisbon", "paris") not in together  # a route's two ends are two places


def test_two_ages_compare_only_about_someone_both_name():
    from discrepancy.comparing import same_subject

    def age(text, years, person):
        return Value("quantity", text, 0, len(text), text, amount=Amount(years, years, years, "age", "years"),
                     entities=frozenset({person}))

    table, _ = table_of([("a", age("33", 33, "lee")), ("b", age("32", 32, "lee")), ("c", age("71", 71, "kim"))])
    assert same_subject(table, 0, 1) is True
    assert same_subject(table, 0, 2) is False


# --- reasons in the claims' own words ---------------------------------------------------------------------


def outlet_table(rows: list[tuple[str, str, Value, str]]) -> tuple[ValueTable, dict, dict]:
    """One claim per value; rows are (document id, outlet, value, attribution)."""
    claims, docs = [], {}
    for n, (doc, source, value, attribution) in enumerate(rows):
        sentence = f"{value.text} people were killed in the bridge collapse in Kestrel Falls."
        claims.append(Claim(f"{doc}#{n}.0", f"{doc}#{n}", doc, sentence, 0, len(sentence), values=(value,),
                            attribution=attribution, sentence=sentence))
        docs[doc] = Document(doc, f"{doc}.md", doc, source, None, f"https://{doc}.example/story", "text")
    vectors = np.eye(len(rows), 8, dtype=np.float32)
    groups = {d: k for k, d in enumerate(sorted(docs))}
    table = ValueTable(claims, [(n, 0) for n in range(len(rows))], vectors, vectors * 0, vectors * 0, vectors,
                       [groups[c.doc_id] for c in claims], [False] * len(rows))
    return table, docs, groups


KILLED = "how many people were killed in the bridge collapse"


def test_a_reason_names_the_question_in_the_claims_words_and_the_outlets():
    rows = [("a", "Harbour Times", count("7", 7, question=KILLED, entities=frozenset({"kestrel falls"})),
             "according to the fire service"),
            ("b", "unknown", count("12", 12, question=KILLED, entities=frozenset({"kestrel falls"})),
             "told reporters.")]
    table, docs, groups = outlet_table(rows)
    (finding,) = build_findings(table, edges(table, {(0, 1): 0.9}), docs, groups, 0.6, 0.6)
    assert finding.question == KILLED
    # Values in the order of the sides; the unnamed outlet is named by its id, and 'told reporters'
    # names no speaker.
    assert [s.value for s in finding.sides] == ["12", "7"]
    assert finding.reason == (f"{KILLED}: 12 ≠ 7 (both also name Kestrel Falls; context similarity 0.00; "
                              "Harbour Times attributes it to the fire service)")
    assert (finding.a.url, finding.b.url) == ("https://b.example/story", "https://a.example/story")


def test_without_a_phrased_question_the_label_names_what_is_measured():
    from discrepancy.comparing import question_label

    assert question_label(count("7", 7, head="body"), count("12", 12, head="body")) == "how many body"
    ages = Value("quantity", "40", 0, 2, "40", amount=Amount(40, 40, 40, "length", "m"), head="bridge")
    assert question_label(ages, ages) == "length or distance of the bridge"
    north = Value("quantity", "40 km", 0, 5, "40 km", amount=Amount(40e3, 40e3, 40e3, "length", "km"),
                  head="north of kestrel falls")
    assert question_label(north, north) == "length or distance north of kestrel falls"
    denied = Value("polarity", "inspected", 0, 9, "denied", negated=True,
                   question="whether inspectors did inspect the bridge")
    affirmed = Value("polarity", "inspected", 0, 9, "affirmed", question="whether the bridge was inspected in May")
    # A polarity is asked in the affirmed side's words, whichever is longer.
    assert question_label(denied, affirmed) == "whether the bridge was inspected in May"


@pytest.mark.parametrize("attribution, who", [
    ("according to the fire service", "the fire service"),
    ("Governor Ann Weller said", "Governor Ann Weller"),
    ("The harbour master told", "the harbour master"),
    ("According to several sources and", "several sources"),
    ("told reporters.", ""),
    ('according to the harbour office ")', "the harbour office"),
    ("according to Ann Weller , the mayor", "Ann Weller, the mayor"),
    ("", ""),
])
def test_an_attribution_names_the_speaker_in_plain_words(attribution, who):
    from discrepancy.comparing import attributed_to

    assert attributed_to(attribution) == who


def test_documents_are_named_by_outlet_and_told_apart_when_two_share_one():
    from discrepancy.comparing import doc_names

    def doc(i, source):
        return Document(i, f"{i}.md", i, source, None, "unknown", "text")

    docs = {d.id: d for d in (doc("001_x", "Harbour Times"), doc("002_y", "unknown"), doc("003_z", "Coastal Wire"),
                              doc("004_w", "Coastal Wire"))}
    names = doc_names(list(docs), docs)
    assert names == {"001_x": "Harbour Times", "002_y": "002", "003_z": "Coastal Wire (003_z)",
                     "004_w": "Coastal Wire (004_w)"}


def test_a_and_b_follow_the_order_of_the_sides():
    # The seed pair is (12, 7) but 7 is stated by two articles: its side comes first, and so does A.
    rows = [("a", "A Times", count("12", 12, question=KILLED), ""), ("b", "B Post", count("7", 7, question=KILLED), ""),
            ("c", "C Wire", count("7", 7, question=KILLED), "")]
    table, docs, groups = outlet_table(rows)
    (finding,) = [f for f in build_findings(table, edges(table, {(0, 1): 0.9, (0, 2): 0.8, (1, 2): 0.7}), docs,
                                            groups, 0.6, 0.6) if f.kind == "conflict"]
    assert [s.value for s in finding.sides] == ["7", "12"]
    assert (finding.a.value, finding.b.value) == ("7", "12")
    assert finding.reason.startswith(f"{KILLED}: 7 ≠ 12")


# --- completeness -----------------------------------------------------------------------------------------


def test_a_fact_stated_by_three_sources_is_one_corroboration_listing_all_three():
    # 'built in 1978' in three articles. The pairs' compatibility comes from `pair_compatibility`,
    # which leaves a value both articles state uncompared; for findings it is an agreement. C is
    # paired surely only with B, and still joins.
    from discrepancy.comparing import pair_compatibility, score_pairs

    built = "when the bridge was built"
    year = DateValue(date(1978, 1, 1), date(1978, 12, 31), "year")
    table, docs = table_of([(d, Value("date", "1978", 0, 4, "1978", date=year, question=built)) for d in "abc"])
    pairs = [(0, 1), (0, 2), (1, 2)]
    scored = score_pairs(table, pairs, np.array([0.9, 0.4, 0.8]), pair_compatibility(table, pairs))
    assert all(s.compatible for s in scored)
    (finding,) = build_findings(table, scored, docs, {"a": 0, "b": 1, "c": 2}, 0.6, 0.6)
    assert finding.kind == "agreement" and finding.sources == 3
    assert sorted(r.doc for r in finding.sides[0].claims) == ["a", "b", "c"]
    assert finding.reason.startswith("when the bridge was built: 1978 = 1978")
