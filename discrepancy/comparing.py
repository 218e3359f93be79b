"""Comparing: scored value pairs → conflicts and corroborations → findings.

Two questions are kept apart. Whether two values *answer the same question* is the
slot scorer's probability (`scoring.py`, over `slots.py` features). Whether two
values *can both be true* is general knowledge, applied here as hard constraints:
intervals from the wording ('at least 10', 'about 70 km'), rounding and unit
conversion (22 ft = 6.7 m, 290 km may be a rounded 288 km), date granularity
('July 2019' holds '12 July 2019'), weekdays against dates, time zones, compass
bearings ('south' holds 'southwest'), spelling variants and transliterations of
names and places, and one place named inside another.

A conflict is a pair that answers one question with values that cannot both be
true. Findings are built from these pairwise edges: a value joins a finding only
when it is paired as the same question with every value already in it (never by a
transitive chain of different questions), and joins the side whose values it is
compatible with.
"""

from __future__ import annotations

import hashlib
import heapq
import math
import re
from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import lru_cache

import numpy as np
from rapidfuzz import fuzz

from . import quantities
from .aligning import ValueTable, comparable_type, value_key
from .dates import describe as describe_date
from .names import fold, name_tokens, phonetic, same_name, same_place
from .records import Claim, ClaimRef, Document, Finding, Side, Value
from .safetext import safe_url
from .values import TIME_ZONES

# Compass points as sets of directions: 'south' holds 'southwest', 'southeast' and 'southwest' differ.
COMPASS_SETS = {"n": {"n"}, "s": {"s"}, "e": {"e"}, "w": {"w"}, "ne": {"n", "e"}, "nw": {"n", "w"},
                "se": {"s", "e"}, "sw": {"s", "w"}}
# Lower-case words that make a place broad ('western Turkey', 'Izmir province'); capitalised they are
# part of a name ('Central Station').
BROAD_PLACE = re.compile(
    r"\b(?:north|south|east|west|central|northern|southern|eastern|western|north-?eastern|north-?western|"
    r"south-?eastern|south-?western|region|province|state|coast|country|area|countryside|mainland|border|"
    r"territory|territories|district|county)\b")
REPORT_TYPE = {"quantity": "number", "identifier": "number", "time": "time", "date": "date", "place": "location",
               "direction": "location", "name": "name", "polarity": "polarity"}
UPDATE_DIMENSIONS = {"count"}
TITLED_NAMES = {"law", "work_of_art", "event", "product"}  # names of things whose wording may be garbled


@dataclass(frozen=True)
class ScoredPair:
    """One candidate pair with its slot probability and whether the two values can both be true."""

    i: int
    j: int
    probability: float
    compatible: bool | None  # None: not comparable (two different people, a zone-less time against UTC)
    similarity: float  # the sentences' cosine, topic removed


SPEECH_RELATIVE = re.compile(r"\b(?:today|tonight|yesterday|tomorrow|this (?:morning|afternoon|evening))\b",
                             re.IGNORECASE)


# How a date relates to its event, from the preposition before it (a closed class of English):
# 'by Tuesday' and 'before May' bound it from above, 'after May' from below; 'since 2010' and
# 'from May' start a state, 'until June' ends one; anything else is the event's own moment.
DATE_PREPOSITIONS = {"by": "by", "before": "by", "after": "after",
                     "following": "after", "since": "since", "from": "since", "until": "until", "till": "until",
                     "til": "until", "through": "until"}
# Words that may sit between the preposition and the date ('by late Tuesday', 'until early June').
DATE_MODIFIERS = {"early", "late", "mid", "the", "last", "this", "next", "of", "on", "in", "at", "around", "about"}


def date_relation(value: Value, sentence: str) -> str:
    """How a date or time relates to the event it hangs on: 'by' (at or before it), 'after', 'since',
    'until', else 'point' ('on Monday'). Empty for other kinds of value. `sentence` is the value's
    whole sentence (value offsets are relative to it)."""
    if value.kind not in ("date", "time") or value.start < 0:
        return ""
    words = re.findall(r"[a-z0-9]+", sentence[:value.start].lower())[-3:]
    for word in reversed(words):
        if word in DATE_PREPOSITIONS:
            return DATE_PREPOSITIONS[word]
        if word not in DATE_MODIFIERS:
            break
    return "point"


def bounded_dates_compatible(a: Value, b: Value, ra: str, rb: str) -> bool | None:
    """Dates read as bounds: 'by Tuesday' holds any moment up to Tuesday, 'after May' any moment from
    May on. Two bounds in one direction are two moments of a running story ('by Tuesday 200 were
    rescued', 'by Wednesday 351'): both true. None when no calendar date is known."""
    bounds = {"by", "after"}
    if ra in bounds and rb in bounds:
        return True if ra == rb else None
    if a.date is None or b.date is None or weekday_only(a) or weekday_only(b):
        return None
    a_date, b_date = a.date, b.date
    if ra == "by":
        a_date = replace(a.date, start=date.min)
    elif ra == "after":
        a_date = replace(a.date, end=date.max)
    if rb == "by":
        b_date = replace(b.date, start=date.min)
    elif rb == "after":
        b_date = replace(b.date, end=date.max)
    return a_date.overlaps(b_date)


def relative_tolerance(value: Value) -> int:
    """Days a resolved relative date may be off: 'today' in a quoted statement is the day it was said,
    which may be the day before the article appeared."""
    return 1 if value.relative and SPEECH_RELATIVE.search(value.relative) else 0


def weekday_only(value: Value) -> bool:
    """'on Tuesday': a weekday resolved against the article's own date, which other articles do not share."""
    return value.weekday >= 0 and bool(value.relative) and not re.search(r"\d", value.text)


def dates_compatible(a: Value, b: Value) -> bool | None:
    if a.background != b.background:
        return None  # history against the news event: two different events
    if weekday_only(a) and weekday_only(b):
        return a.weekday == b.weekday  # two articles' 'Tuesday' may be one Tuesday
    if weekday_only(a) or weekday_only(b):
        # 'on Friday' was resolved against its own article's date: only the weekday is sure, and only
        # within the week around it does the calendar say whether it is the other date's day.
        bare, dated = (a, b) if weekday_only(a) else (b, a)
        if dated.date is None or dated.date.granularity != "day":
            return None
        if bare.date is None or abs((bare.date.start - dated.date.start).days) > 6:
            return None  # another week, or no week known: another event as likely as not
        return bare.weekday == dated.date.start.weekday()
    if a.date is not None and b.date is not None:
        slack = timedelta(days=relative_tolerance(a) + relative_tolerance(b))
        if a.date.start - slack <= b.date.end and b.date.start - slack <= a.date.end:
            return _weekdays_agree(a, b)
        return False
    # A weekday against a weekday, or against a date whose weekday the calendar gives.
    wa = a.weekday if a.weekday >= 0 else (a.date.start.weekday() if a.date and a.date.granularity == "day" else -1)
    wb = b.weekday if b.weekday >= 0 else (b.date.start.weekday() if b.date and b.date.granularity == "day" else -1)
    if wa >= 0 and wb >= 0:
        return wa == wb
    return None


def _weekdays_agree(a: Value, b: Value) -> bool:
    """'Friday, 29 December' against 'Sunday (Dec 29)': the stated weekday must fit the other's date."""
    for x, y in ((a, b), (b, a)):
        if x.weekday >= 0 and x.relative == "" and y.date is not None and y.date.granularity == "day" \
                and y.weekday < 0 and y.date.start.weekday() != x.weekday and x.date is None:
            return False
        if x.weekday >= 0 and y.weekday >= 0 and x.weekday != y.weekday:
            return False
    return True


def times_compatible(a: Value, b: Value) -> bool | None:
    za, zb = a.role, b.role
    shift_a = shift_b = 0
    if za and zb and za != "local" and zb != "local":
        shift_a, shift_b = TIME_ZONES.get(za, 0), TIME_ZONES.get(zb, 0)
    elif bool(za and za != "local") != bool(zb and zb != "local"):
        explicit = za if za and za != "local" else zb
        if explicit in ("utc", "gmt", "z"):
            return None  # a local time against UTC: not comparable without knowing the zone
    lo_a, hi_a = a.amount.low - shift_a, a.amount.high - shift_a
    lo_b, hi_b = b.amount.low - shift_b, b.amount.high - shift_b
    if a.weekday >= 0 and b.weekday >= 0 and a.weekday != b.weekday:
        return None  # times of different days answer different questions
    if lo_a == hi_a and lo_b == hi_b:
        return math.isclose((lo_a - lo_b) % 1440, 0) or math.isclose((lo_b - lo_a) % 1440, 0)
    return quantities.intervals_meet(lo_a, hi_a, lo_b, hi_b)


@lru_cache(maxsize=4096)
def country_of(place: str) -> tuple[str, bool]:
    """(country, is the place the country itself) from pycountry's names and subdivisions, or ('', False).
    Only ever used to say two places may both be right (a region inside its country)."""
    import pycountry

    folded = fold(place)
    if len(folded) < 3:
        return "", False
    try:
        found = pycountry.countries.search_fuzzy(place)
    except LookupError:
        renamed = [country for country in pycountry.countries  # 'Turkey' for 'Türkiye': names change
                   if fuzz.ratio(folded, fold(country.name)) >= 75]
        return (renamed[0].alpha_3, True) if renamed else ("", False)
    country = found[0]
    names = {fold(getattr(country, attr, "") or "") for attr in ("name", "common_name", "official_name")}
    itself = any(n == folded or (n.startswith(folded) and len(folded) >= 4) for n in names if n)
    return country.alpha_3, itself


def colocated_places(table: ValueTable) -> set[tuple[str, str]]:
    """Places named together in one sentence of some article ('the village of Brenna in the Harlow
    region', 'Andros, the northernmost island of the Cyclades'): a later 'Brenna' against 'Harlow'
    is most likely one place inside the other, not a conflict. A route's two ends ('from Lyon to
    Paris') are not one place."""
    by_sentence: dict[tuple[str, str], dict[str, str]] = {}
    for i in range(len(table)):
        v = table.value(i)
        if v.kind == "place":
            claim = table.claim(i)
            names = by_sentence.setdefault((claim.doc_id, claim.sentence_id), {})
            names.setdefault(v.norm, v.role)
            # Places named beside it that locate nothing themselves ('of the Cyclades').
            for e in v.entities:
                names.setdefault(re.sub(r"^the ", "", e), "")
    pairs = set()
    for names in by_sentence.values():
        for x, rx in names.items():
            for y, ry in names.items():
                if x != y and not (rx != ry and {rx, ry} <= {"from", "to"}):
                    pairs.add((x, y))
    return pairs


def places_compatible(a: Value, b: Value, colocated: set[tuple[str, str]] = frozenset()) -> bool:
    if same_place(a.text, b.text) or (a.norm, b.norm) in colocated:
        return True
    # A country holds its regions and cities.
    if country_of(a.text)[1] != country_of(b.text)[1]:
        return True  # a country against a place that is not one: most likely the place is in it
    # A broad region ('western Turkey', 'Izmir province') or an unnamed description may hold the other.
    return any(BROAD_PLACE.search(v.text) or not any(w[:1].isupper() for w in v.text.split()) for v in (a, b))


def places_agree(a: Value, b: Value) -> bool:
    """Two places that say the same thing: one place up to spelling, or two known to be in one country
    ('Izmir' and 'Turkey'). `places_compatible` is looser: it only rules out a conflict."""
    if same_place(a.text, b.text):
        return True
    country = country_of(a.text)[0]
    return bool(country) and country == country_of(b.text)[0]


def names_compatible(a: Value, b: Value) -> bool | None:
    """Same name up to spelling, or one a short form of the other ('Coast Guard', 'US Coast Guard
    District'); two takes on one name conflict: a person's surname with another first name, or a
    body's name with half its words changed. Otherwise two different people or bodies: no conflict."""
    if same_name(a.text, b.text):
        return True
    ta = [phonetic(t).rstrip("s") for t in name_tokens(a.text)]
    tb = [phonetic(t).rstrip("s") for t in name_tokens(b.text)]
    if not ta or not tb:
        return None
    sa, sb = set(ta), set(tb)
    if sa <= sb or sb <= sa:
        return True
    if a.role.startswith("person") and b.role.startswith("person"):
        if len(ta) >= 2 and len(tb) >= 2 and ta[-1] == tb[-1] and len(ta[0]) > 1 and len(tb[0]) > 1 \
                and ta[0][0] != tb[0][0]:
            return False  # 'Ingrid Schäfer' / 'Monika Schäfer'
        office_a, office_b = set(a.role.partition(":")[2].split()), set(b.role.partition(":")[2].split())
        if office_a and office_b and (office_a <= office_b or office_b <= office_a) \
                and (office_a & office_b & SINGLE_OFFICES) and len(office_a & office_b) >= 2:
            return False  # two people named as 'Velgrad police chief'
        return None
    if a.role in TITLED_NAMES and b.role in TITLED_NAMES:
        shared = sa & sb - {"act", "law", "bil", "the"}
        if len(shared) >= 2 and len(shared) / len(sa | sb) >= 0.4:
            return False  # 'Countering America's Adversarial Missile Act' / '... Adversaries Through Sanctions Act'
    return None  # two organisations sharing words ('Canadian Coast Guard', 'US Coast Guard') are two bodies


def identifiers_compatible(a: Value, b: Value) -> bool | None:
    x, y = a.norm, b.norm
    if x == y:
        return True
    for long_, short in ((x, y), (y, x)):
        extra = long_[:len(long_) - len(short)]
        if long_.endswith(short) and len(extra) <= 3 and re.search(r"[A-Z]", extra) and len(short) >= 2:
            return True  # an airline or series code dropped: '9K4410' / '4410'
    prefix_x, prefix_y = re.match(r"[A-Z]*", x).group(0), re.match(r"[A-Z]*", y).group(0)
    gx, gy = re.findall(r"\d+", a.text), re.findall(r"\d+", b.text)
    # A coarser designation, with or without its maker ('Boeing 787' / '787-8', 'Dash 8' / 'Dash 8-400'):
    # the shorter's groups of digits begin the longer's ('12' is no coarser '1').
    if gx and gy and (gx[:len(gy)] == gy or gy[:len(gx)] == gx) and (prefix_x == prefix_y or not prefix_x
                                                                        or not prefix_y):
        return True
    if prefix_x != prefix_y:
        return None  # codes of different series ('B737' / '9K4410') name different things
    return False


GENERIC_COUNTED = {"people", "person", "individual", "occupant", "soul", "life", "passenger and crew", ""}


def counts_comparable(a: Value, b: Value) -> bool:
    """A breakdown's figure ('three crew members' of '7 passengers and three crew members') answers
    only the question of its own group; a total or a 'combined' figure only that of the whole."""
    whole_a, whole_b = a.parts > 1, b.parts > 1
    if whole_a != whole_b:
        other = b if whole_a else a
        return other.head.split()[-1:] in ([], ["people"], ["person"], ["individual"], ["occupant"], ["soul"]) \
            and not other.coordinated
    for x, y in ((a, b), (b, a)):
        if x.coordinated and not y.coordinated:
            group_x = set(x.head.split()) - GROUP_FILLERS
            group_y = set(y.head.split()) - GROUP_FILLERS
            if not group_x or group_x != group_y:
                return False  # '10 cabin crew' of a breakdown answers another question than '12 crew members'
    return True


GROUP_FILLERS = {"member", "members", "people", "person", "individual", "personnel", "staff"}


# Offices one person holds at a time: two names in one of them (for the same body) conflict.
SINGLE_OFFICES = {"chief", "head", "governor", "mayor", "minister", "president", "premier", "ceo", "chairman",
                  "chairwoman", "director", "commander", "captain", "judge", "prosecutor", "chancellor"}


def compatible(a: Value, b: Value, colocated: set[tuple[str, str]] = frozenset()) -> bool | None:
    """Can both values be true of one question? None when they cannot be compared at all.
    `colocated` are pairs of places the corpus names together as one location."""
    if a.kind != b.kind:
        return None
    if a.kind == "quantity":
        if a.amount is None or b.amount is None or a.amount.dimension != b.amount.dimension:
            return None
        if not counts_comparable(a, b):
            return None
        if a.role and b.role and a.amount.dimension == "length" and not same_place(a.role, b.role):
            return None  # distances from different reference places
        return quantities.compatible(a.amount, b.amount)
    if a.kind == "date":
        return dates_compatible(a, b)
    if a.kind == "time":
        return times_compatible(a, b)
    if a.kind == "place":
        return places_compatible(a, b, colocated)
    if a.kind == "direction":
        if not (same_place(a.role, b.role) if a.role and b.role else False):
            return None  # bearings from different reference places
        sa, sb = COMPASS_SETS.get(a.norm, set()), COMPASS_SETS.get(b.norm, set())
        return sa <= sb or sb <= sa
    if a.kind == "name":
        return names_compatible(a, b)
    if a.kind == "identifier":
        return identifiers_compatible(a, b)
    if a.kind == "polarity":
        return a.negated == b.negated
    return a.norm == b.norm


def display_value(value: Value) -> str:
    if value.kind == "polarity":
        return "denied" if value.negated else "affirmed"
    return value.text.strip().rstrip(".,;:")


def claim_ref(claim: Claim, doc: Document, value: str) -> ClaimRef:
    return ClaimRef(doc=claim.doc_id, text=claim.sentence or claim.text, sentence_id=claim.sentence_id,
                    claim_id=claim.id, value=value, published=doc.published_label, source=doc.source,
                    hedge=claim.hedge, attribution=claim.attribution, claim=claim.text, url=article_url(doc))


def article_url(doc: Document) -> str:
    """The article's address when one is known and is a web link (http or https), else ''."""
    return safe_url(doc.url) or ""


def finding_id(kind: str, type_: str, a: ClaimRef, b: ClaimRef) -> str:
    ends = sorted([f"{a.doc}\0{a.text}", f"{b.doc}\0{b.text}"])
    return hashlib.sha1("\0".join([kind, type_, *ends]).encode()).hexdigest()[:12]


def pair_compatibility(table: ValueTable, pairs: list[tuple[int, int]]) -> list[bool | None]:
    """`compatible` for every candidate pair (computed once per corpus, re-used by every scorer).

    Two articles that each state both values (the same list of amounts, the same two dates) agree on
    both: the two values answer two questions, and the pair is not compared."""
    colocated = colocated_places(table)
    stated = {(table.claim(i).doc_id, comparable_type(table.value(i)), value_key(table.value(i)))
              for i in range(len(table))}
    out = []
    for i, j in pairs:
        va, vb = table.value(i), table.value(j)
        kind = comparable_type(va)
        da, db = table.claim(i).doc_id, table.claim(j).doc_id
        if va.kind != "polarity" and (db, kind, value_key(va)) in stated and (da, kind, value_key(vb)) in stated:
            out.append(None)
            continue
        if not same_subject(table, i, j):
            out.append(None)
            continue
        fits = compatible(va, vb, colocated)
        if fits is False and va.kind == "date":
            ra = date_relation(va, table.claim(i).sentence)
            rb = date_relation(vb, table.claim(j).sentence)
            if {ra, rb} & {"by", "after"}:
                fits = bounded_dates_compatible(va, vb, ra, rb)
        out.append(fits)
    return out


def vector_cos(matrix: np.ndarray, i: int, j: int) -> float | None:
    x, y = matrix[i], matrix[j]
    if not x.any() or not y.any():
        return None
    return float(x @ y)


def same_subject(table: ValueTable, i: int, j: int) -> bool:
    """General knowledge of what can be compared at all, beyond the values themselves:
    - two counts of plainly different things ('13 flights', 'two survivors') never answer one question;
    - two ages answer one question only about someone both clauses name;
    - a place only locates the same thing or event: the verbs it hangs on must be alike;
    - a denial and an affirmation that state different figures ('reached 3,000' / 'denied it
      reached 11,300') are about different claims."""
    va, vb = table.value(i), table.value(j)
    if va.kind == "quantity" and va.amount is not None and va.amount.dimension == "count" and va.head and vb.head:
        nouns_a, nouns_b = set(va.head.split()) - GROUP_FILLERS, set(vb.head.split()) - GROUP_FILLERS
        head = vector_cos(table.head, i, j)
        if nouns_a and nouns_b and not nouns_a & nouns_b and head is not None and head < 0.4:
            return False
    if va.kind == "quantity" and va.amount is not None and va.amount.dimension == "age" and vb.amount is not None \
            and not (va.entities & vb.entities or set(va.head.split()) & set(vb.head.split())):
        return False  # an age is someone's: two ages of no one named alike are of two people
    if va.kind == "place" and va.role == "at":
        verb = vector_cos(table.verb, i, j)
        if va.verb != vb.verb and (verb is None or verb < 0.5):
            return False
    if va.kind == "polarity":
        ca, cb = table.claim(i), table.claim(j)
        for x in ca.values:
            for y in cb.values:
                if x.kind == y.kind == "quantity" and x.amount and y.amount \
                        and x.amount.dimension == y.amount.dimension and compatible(x, y) is False:
                    return False
    return True


def score_pairs(table: ValueTable, pairs: list[tuple[int, int]], probabilities: np.ndarray,
                compatibility: list[bool | None]) -> list[ScoredPair]:
    """Each pair with its probability and whether its values can both be true.

    `pair_compatibility` leaves a value that two articles both state uncompared (they 'state both
    values'); for findings, the same value stated by two sources about one subject is an agreement."""
    out = []
    for (i, j), p, fits in zip(pairs, probabilities, compatibility, strict=True):
        if fits is None and same_value(table, i, j):
            fits = compatible(table.value(i), table.value(j))
        sim = float(table.sentence[i] @ table.sentence[j])
        out.append(ScoredPair(i, j, float(p), fits, round(sim, 4)))
    return out


def same_value(table: ValueTable, i: int, j: int) -> bool:
    """One value (the same figure, date or name) of one type, about one subject."""
    va, vb = table.value(i), table.value(j)
    return va.kind != "polarity" and comparable_type(va) == comparable_type(vb) \
        and value_key(va) == value_key(vb) and same_subject(table, i, j)


JOIN_THRESHOLD = 0.35  # another statement of a side's value joins it when paired at least this surely
REPEATABLE_KINDS = {"quantity", "date", "time", "identifier"}


def build_findings(table: ValueTable, scored: list[ScoredPair], docs: dict[str, Document], groups: dict[str, int],
                   threshold: float, agreement_threshold: float,
                   reasons=None, join_threshold: float = JOIN_THRESHOLD) -> list[Finding]:
    """Conflicts from incompatible pairs at or above `threshold`, grouped by pairwise edges;
    corroborations from compatible pairs at or above `agreement_threshold`.

    Each reason names the question in a claim's own words and says, in plain words, why the two
    values answer it (`pair_evidence`); `reasons(pair)`, when given, adds words of its own."""
    prob = {(s.i, s.j): s for s in scored}

    def edge(x: int, y: int) -> ScoredPair | None:
        return prob.get((x, y) if x < y else (y, x))

    def same_group(x: int, y: int) -> bool:
        return table.groups[x] == table.groups[y]

    compat_cache: dict[tuple[int, int], bool | None] = {}

    def compat(x: int, y: int) -> bool | None:
        key = (x, y) if x < y else (y, x)
        if key not in compat_cache:
            compat_cache[key] = compatible(table.value(key[0]), table.value(key[1]))
        return compat_cache[key]

    same_statement: dict[tuple[str, tuple], list[int]] = {}
    for v in range(len(table)):
        if table.value(v).kind in REPEATABLE_KINDS:
            same_statement.setdefault((table.claim(v).doc_id, value_key(table.value(v))), []).append(v)

    def joins(v: int, members: list[int], min_p: float) -> bool:
        """Paired as the same question with every member from another source."""
        for m in members:
            if same_group(v, m):
                if table.claim(v).id == table.claim(m).id or compat(v, m) is False:
                    return False
                continue
            e = edge(v, m)
            if e is None or e.probability < min_p or e.compatible is None:
                return False
        return True

    conflicts = sorted((s for s in scored if s.compatible is False and s.probability >= threshold),
                       key=lambda s: (-s.probability, s.i, s.j))
    near: dict[int, set[int]] = {}
    join_threshold = min(join_threshold, agreement_threshold)
    for s in scored:
        if s.probability >= join_threshold:
            near.setdefault(s.i, set()).add(s.j)
            near.setdefault(s.j, set()).add(s.i)
    used: set[int] = set()
    findings: list[Finding] = []
    for seed in conflicts:
        if seed.i in used or seed.j in used:
            continue
        sides: list[list[int]] = [[seed.i], [seed.j]]
        members = [seed.i, seed.j]
        # Other values paired with a member: join when paired with every member as the same question.
        neighbours = sorted((near.get(seed.i, set()) | near.get(seed.j, set())) - set(members) - used)
        neighbours.sort(key=lambda v: -max((edge(v, m).probability for m in members if edge(v, m)), default=0.0))
        for v in neighbours:
            if v in used or not joins(v, members, join_threshold):
                continue
            fits = [k for k, side in enumerate(sides) if all(compat(v, m) for m in side)]
            clashes = all(compat(v, m) is False for m in members)
            if len(fits) == 1:
                sides[fits[0]].append(v)
            elif clashes and any((e := edge(v, m)) is not None and e.probability >= threshold for m in members):
                sides.append([v])
            else:
                continue
            members.append(v)
        grow_sides(table, sides, members, used, edge, join_threshold, threshold, near, same_statement, compat)
        used.update(members)
        findings.append(conflict_finding(table, sides, seed, docs, groups, reasons))

    agreements = sorted((s for s in scored if s.compatible is True and s.probability >= agreement_threshold
                         and s.i not in used and s.j not in used),
                        key=lambda s: (-s.probability, s.i, s.j))
    for seed in agreements:
        if seed.i in used or seed.j in used:
            continue
        members = [seed.i, seed.j]
        neighbours = sorted((near.get(seed.i, set()) | near.get(seed.j, set())) - set(members) - used)
        for v in neighbours:
            if joins(v, members, agreement_threshold) and all(compat(v, m) for m in members):
                members.append(v)
        grow_agreement(table, members, used, edge, agreement_threshold, near, compat)
        used.update(members)
        finding = agreement_finding(table, members, seed, docs, groups, reasons)
        if finding is not None:
            findings.append(finding)
    findings.sort(key=lambda f: (f.kind != "conflict", -f.score, -f.sources, f.id))
    return findings


def grow_sides(table: ValueTable, sides: list[list[int]], members: list[int], used: set[int], edge,
               join_threshold: float, conflict_threshold: float, near: dict[int, set[int]] | None = None,
               same_statement: dict[tuple[str, tuple], list[int]] | None = None, compat=None) -> None:
    """Complete the sides: every other statement of a side's value joins it, so each side lists every
    article that says it. A value joins when it is the same question as some member (or is the same
    value repeated in a member's article, a headline and its body), fits exactly one side, and
    clashes with every other side.

    Only values paired with a member at `join_threshold` or more (`near`) or repeating a member's value
    in its article (`same_statement`) can join, so only those are visited, in index order; without the
    indexes every value of the type is."""
    compat = compat or (lambda x, y: compatible(table.value(x), table.value(y)))
    kind = comparable_type(table.value(members[0]))
    keys = {(table.claim(m).doc_id, value_key(table.value(m))) for m in members}

    def reachable(m: int) -> set[int]:
        if near is None or same_statement is None:
            return set(range(len(table)))
        return near.get(m, set()) | set(same_statement.get((table.claim(m).doc_id, value_key(table.value(m))), ()))

    pending = sorted(set().union(*(reachable(m) for m in members)))
    heapq.heapify(pending)
    queued = set(pending)
    while pending:
        v = heapq.heappop(pending)
        if v in used or v in members or comparable_type(table.value(v)) != kind:
            continue
        value = table.value(v)
        # The same figure or date again in a member's article (a headline and its body), hanging on the
        # same verb or measuring the same thing ('the 40-metre ferry', 'the 40-metre passenger
        # ferry'). Places, names and polarities repeat in other roles.
        repeated = value.kind in REPEATABLE_KINDS and (table.claim(v).doc_id, value_key(value)) in keys and any(
            table.claim(m).doc_id == table.claim(v).doc_id and value_key(table.value(m)) == value_key(value)
            and ((value.verb and table.value(m).verb == value.verb)
                 or bool(set(value.head.split()) & set(table.value(m).head.split())))
            for m in members)

        fits = [k for k, side in enumerate(sides) if all(compat(v, m) for m in side)]
        joined = False
        if not fits and all(compat(v, m) is False for m in members) and all(
                table.groups[m] == table.groups[v] or ((e := edge(v, m)) is not None
                                                       and e.probability >= conflict_threshold) for m in members):
            sides.append([v])  # a third answer: a conflict with every answer already there
            joined = True
        # The same value joins its side when paired as the same question with one of its statements: a
        # side holds one answer, so this merges statements, never two questions.
        elif len(fits) == 1 and (repeated or any((e := edge(v, m)) is not None and e.probability >= join_threshold
                                                 for m in sides[fits[0]])):
            others = [m for k, side in enumerate(sides) if k != fits[0] for m in side]
            if all(compat(v, m) is False or table.groups[m] == table.groups[v] for m in others):
                sides[fits[0]].append(v)
                joined = True
        if joined:
            members.append(v)
            keys.add((table.claim(v).doc_id, value_key(value)))
            # A later value may now be reachable through the new member, as in one pass in index order.
            for w in reachable(v):
                if w > v and w not in queued:
                    queued.add(w)
                    heapq.heappush(pending, w)


def grow_agreement(table: ValueTable, members: list[int], used: set[int], edge, min_p: float,
                   near: dict[int, set[int]], compat) -> None:
    """Complete a corroboration: every other statement of the fact joins it, so it lists every
    source that states it. A value joins when it is paired as the same question with some member
    at `min_p` or more, is compatible with every member, and is no other statement of a member's
    claim; values reached through a new member are visited in turn."""
    kind = comparable_type(table.value(members[0]))
    pending = sorted(set().union(*(near.get(m, set()) for m in members)) - set(members) - used)
    heapq.heapify(pending)
    queued = set(pending)
    while pending:
        v = heapq.heappop(pending)
        if v in used or v in members or comparable_type(table.value(v)) != kind:
            continue
        if any(table.claim(v).id == table.claim(m).id for m in members):
            continue
        if not all(compat(v, m) for m in members):
            continue
        if not any((e := edge(v, m)) is not None and e.probability >= min_p and e.compatible for m in members):
            continue
        members.append(v)
        for w in near.get(v, set()):
            if w not in queued and w not in members and w not in used:
                queued.add(w)
                heapq.heappush(pending, w)


def side_of(table: ValueTable, members: list[int], docs: dict[str, Document]) -> Side:
    refs: list[ClaimRef] = []
    seen = set()
    for v in sorted(members, key=lambda x: (table.claim(x).doc_id, table.claim(x).start)):
        claim = table.claim(v)
        key = (claim.doc_id, claim.sentence_id)
        if key in seen:
            continue
        seen.add(key)
        refs.append(claim_ref(claim, docs[claim.doc_id], display_value(table.value(v))))
    label = max((display_value(table.value(v)) for v in members),
                key=lambda t: (not quantities.ABOUT.search(t) and not quantities.LOWER_BOUND.search(t), len(t), t))
    return Side(value=label, claims=tuple(refs))


def members_of(sides: list[list[int]], record: Side, table: ValueTable) -> list[int]:
    """The values of the side that `record` was made from."""
    ids = {r.claim_id for r in record.claims}
    return next((side for side in sides if {table.claim(v).id for v in side} & ids), [])


def conflict_finding(table: ValueTable, sides: list[list[int]], seed: ScoredPair, docs: dict[str, Document],
                     groups: dict[str, int], reasons) -> Finding:
    side_records = sorted((side_of(table, side, docs) for side in sides), key=lambda s: (-len(s.claims), s.value))
    # A and B, the values of the reason and the review screen, follow the order of the sides.
    rank = {table.claim(v).id: k for k, rec in enumerate(side_records) for v in members_of(sides, rec, table)}
    if rank.get(table.claim(seed.j).id, 0) < rank.get(table.claim(seed.i).id, 0):
        seed = ScoredPair(seed.j, seed.i, seed.probability, seed.compatible, seed.similarity)
    va, vb = table.value(seed.i), table.value(seed.j)
    ca, cb = table.claim(seed.i), table.claim(seed.j)
    ref_a = claim_ref(ca, docs[ca.doc_id], display_value(va))
    ref_b = claim_ref(cb, docs[cb.doc_id], display_value(vb))
    sources = len({groups[r.doc] for s in side_records for r in s.claims})
    type_ = REPORT_TYPE.get(va.kind, va.kind)
    pa, pb = docs[ca.doc_id].published, docs[cb.doc_id].published
    update = bool(va.kind == "quantity" and va.amount and va.amount.dimension in UPDATE_DIMENSIONS
                  and pa and pb and pa != pb)
    reason = conflict_reason(va, vb, ca, cb, seed, reasons, update, pa, pb, table, docs)
    score = min(1.0, seed.probability + 0.02 * max(0, sources - 2))
    return Finding(id=finding_id("conflict", type_, ref_a, ref_b), kind="conflict", type=type_, score=round(score, 4),
                   similarity=seed.similarity, reason=reason, a=ref_a, b=ref_b, sides=tuple(side_records),
                   sources=sources, update=update, question=subject_of(va, vb, ca, cb))


def agreement_finding(table: ValueTable, members: list[int], seed: ScoredPair, docs: dict[str, Document],
                      groups: dict[str, int], reasons) -> Finding | None:
    sources = len({groups[table.claim(v).doc_id] for v in members})
    if sources < 2:
        return None
    va, vb = table.value(seed.i), table.value(seed.j)
    if va.kind == "polarity":
        return None  # two affirmed clauses say nothing worth listing
    if va.kind in ("name", "identifier") and not any(v.question or v.role.partition(":")[2] for v in (va, vb)):
        return None  # a name both mention is the topic, not a fact; 'the mayor is Peter Hansen' is one
    if va.kind == "place" and not places_agree(va, vb):
        return None  # a place not known to be inside the other one is merely no conflict
    ca, cb = table.claim(seed.i), table.claim(seed.j)
    ref_a = claim_ref(ca, docs[ca.doc_id], display_value(va))
    ref_b = claim_ref(cb, docs[cb.doc_id], display_value(vb))
    type_ = REPORT_TYPE.get(va.kind, va.kind)
    reason = agreement_reason(va, vb, ca, cb, seed, reasons, table, docs)
    side = side_of(table, members, docs)
    return Finding(id=finding_id("agreement", type_, ref_a, ref_b), kind="agreement", type=type_,
                   score=round(min(1.0, seed.probability + 0.02 * max(0, sources - 2)), 4),
                   similarity=seed.similarity, reason=reason, a=ref_a, b=ref_b, sides=(side,), sources=sources,
                   question=subject_of(va, vb, ca, cb))


DIMENSION_LABELS = {"count": "how many", "length": "length or distance", "duration": "duration", "speed": "speed",
                    "mass": "weight", "area": "area", "volume": "volume", "magnitude": "magnitude",
                    "percent": "percentage", "age": "age", "temperature": "temperature"}


def surface_head(value: Value, claim: Claim | None) -> str:
    """The measured noun as the article writes it ('bodies', 'death toll'), else its lemma."""
    s, e = value.head_span
    if claim is not None and 0 <= s < e <= len(claim.sentence):
        return " ".join(claim.sentence[s:e].split())
    return value.head


def question_label(a: Value, b: Value, ca: Claim | None = None, cb: Claim | None = None) -> str:
    """What the two values answer, in one claim's words ('how many people were killed in the
    collapse', 'when the bridge was built', 'whether the bridge was inspected'): the affirmed
    side's wording for a polarity, else the fuller of the two (questions are short by construction).
    Without a phrased question (a fragment), a label from what is measured: 'length or distance of
    the ferry', 'where'."""
    phrased = sorted(((v.kind == "polarity" and v.negated, -len(v.question), n, v.question)
                      for n, v in enumerate((a, b)) if v.question))
    if phrased:
        return phrased[0][3]
    head_a, head_b = surface_head(a, ca), surface_head(b, cb)
    head = head_a if head_a and (a.head == b.head or not b.head) else (head_a or head_b)
    if a.kind == "quantity" and a.amount is not None:
        dim = a.amount.dimension
        label = "amount of money" if dim.startswith("money") else DIMENSION_LABELS.get(dim, dim)
        if head and dim == "count":
            return f"how many {head}"
        if head and NO_ARTICLE.match(head) and not re.match(r"(?i)(?:the|a|an|this|that|these|those|its|their|his|"
                                                             r"her|our)\b", head):
            return f"{label} {head}"  # 'length or distance north of the city'
        return f"{label} of {the(head)}" if head else label
    if a.kind == "place":
        return {"from": "where from", "to": "where to"}.get(a.role, "where")
    if a.kind == "direction":
        return f"bearing from {a.role}" if a.role else "bearing"
    if a.kind == "name":
        office = a.role.partition(":")[2]
        return f"name of the {office}" if office else "name"
    if a.kind == "identifier":
        return f"number of {the(head)}" if head else "identifier"
    if a.kind == "polarity":
        what = head or a.verb
        return f"whether {the(what)} {a.verb}" if what != a.verb else f"whether it happened ({a.verb})"
    return {"date": "date", "time": "time"}.get(a.kind, a.kind)


# Labels that say no more than the finding's type: a heading does not repeat them.
BARE_LABELS = {"date", "time", "where", "where from", "where to", "name", "identifier", "bearing"}


def subject_of(a: Value, b: Value, ca: Claim | None = None, cb: Claim | None = None) -> str:
    """`question_label`, or '' when it says no more than the type ('date', 'name')."""
    label = question_label(a, b, ca, cb)
    return "" if label in BARE_LABELS or label in DIMENSION_LABELS.values() else label


# Words a measured phrase may start with that take no article: 'north of the city', 'beneath the sea'.
NO_ARTICLE = re.compile(r"(?:the|a|an|this|that|these|those|its|their|his|her|our|of|in|at|on|under|below|beneath|"
                        r"above|over|from|to|off|near|north|south|east|west|northeast|northwest|southeast|"
                        r"southwest)\b", re.IGNORECASE)


def the(noun: str) -> str:
    """'bridge' → 'the bridge'; a name, a phrase with its own determiner or one that starts with a
    preposition or a bearing ('north of the city') stays as it is."""
    if not noun or noun[:1].isupper() or NO_ARTICLE.match(noun):
        return noun
    return f"the {noun}"


def doc_names(doc_ids: list[str], docs: dict[str, Document] | None) -> dict[str, str]:
    """How a reason names each document: its outlet when known ('Harbour Times'), else the id before
    its first '_' ('000_4958…' → '000'); the whole id where two would read alike."""
    names = {}
    for doc_id in doc_ids:
        doc = docs.get(doc_id) if docs else None
        source = doc.source if doc is not None and doc.source not in ("", "unknown") else ""
        names[doc_id] = source or doc_id.split("_")[0]
    if len(set(names.values())) < len(set(names)):
        counts: dict[str, int] = {}
        for name in names.values():
            counts[name] = counts.get(name, 0) + 1
        names = {d: (f"{n} ({d})" if counts[n] > 1 and n != d else d if counts[n] > 1 else n)
                 for d, n in names.items()}
    return names


def short_doc_labels(a: str, b: str) -> tuple[str, str]:
    """How a reason names two documents without their outlets: see `doc_names`."""
    names = doc_names([a, b], None)
    return names[a], names[b]


def surface_entities(value: Value, claim: Claim) -> dict[str, str]:
    """The clause's names as written ('Kestrel Falls', 'KF-400'), keyed by their folded form
    ('kestrel falls', 'kf 400'); a name whose writing is not found is left out."""
    out = {}
    for entity in value.entities:
        words = entity.split()
        if not words:
            continue
        pattern = r"(?<![A-Za-z0-9])" + r"[^A-Za-z0-9]{1,3}".join(re.escape(w) for w in words) + r"(?![A-Za-z0-9])"
        found = re.search(pattern, claim.sentence, re.IGNORECASE)
        if found:
            out[entity] = found.group(0)
    return out


REPORTED_BY = re.compile(r"(?i)^(?:according to|citing|as reported by|quoted by)\s+")
SPEECH_VERB_END = re.compile(r"(?i)\s+(?:said|says|told|tells|stated|added|announced|reported|claimed|confirmed|"
                             r"wrote|insisted|warned|explained)\b.*$")


def attributed_to(attribution: str) -> str:
    """Who a claim is attributed to, in plain words: 'according to the fire service' → 'the fire
    service', 'Governor Ann Weller said' → 'Governor Ann Weller'; '' when no speaker is named
    ('told reporters')."""
    text = attribution.strip().rstrip(".,;:")
    if re.match(r"(?i)told\b", text):
        return ""
    if REPORTED_BY.match(text):
        who = REPORTED_BY.sub("", text)
    else:
        who = SPEECH_VERB_END.sub("", text)
        if who == text:
            return ""
    who = re.sub(r"\s+([,.;:!?])", r"\1", who).strip(" \"'“”‘’()[],;:")
    who = re.sub(r"(?i)(?:\s+(?:and|or|but|that|the|in|on|of|to))+$", "", who).strip()
    return re.sub(r"^(The|A|An)\b", lambda m: m.group(1).lower(), who)


def pair_evidence(table: ValueTable, i: int, j: int, docs: dict[str, Document] | None = None,
                  named_subject: bool = True) -> list[str]:
    """Why two values answer one question, in plain words: the names both clauses mention, the
    measured noun they share (when the question does not already say it), how alike their contexts
    are; then what each side leans on (a hedge, a named speaker)."""
    va, vb = table.value(i), table.value(j)
    ca, cb = table.claim(i), table.claim(j)
    bits = []
    shared = sorted(va.entities & vb.entities)
    if shared:
        written = {**surface_entities(vb, cb), **surface_entities(va, ca)}
        names = [written[e] for e in shared if e in written][:3]
        if names:
            bits.append("both also name " + (names[0] if len(names) == 1
                                             else ", ".join(names[:-1]) + " and " + names[-1]))
    if not named_subject and va.head and va.head == vb.head:
        bits.append(f"both about {the(surface_head(va, ca))}")
    cos = float(table.context[i] @ table.context[j]) if len(table.context) > max(i, j) else 0.0
    bits.append(f"context similarity {cos:.2f}")
    names = doc_names([ca.doc_id, cb.doc_id], docs)
    for claim in (ca, cb) if ca.doc_id != cb.doc_id else (ca,):
        who = attributed_to(claim.attribution)
        if claim.hedge:
            bits.append(f"{names[claim.doc_id]} hedges ('{claim.hedge}')")
        elif who:
            bits.append(f"{names[claim.doc_id]} attributes it to {who}")
    return bits


def conflict_reason(va: Value, vb: Value, ca: Claim, cb: Claim, seed: ScoredPair, reasons, update: bool,
                    pa, pb, table: ValueTable | None = None, docs: dict[str, Document] | None = None) -> str:
    """'how many people were killed in the collapse: Seven ≠ Twelve (both also name Kestrel Falls;
    context similarity 0.61; Harbour Times attributes it to the fire service)'."""
    question = question_label(va, vb, ca, cb)
    parts = []
    if table is not None:
        parts += pair_evidence(table, seed.i, seed.j, docs, named_subject=bool(va.question or vb.question))
    why = reasons(seed) if reasons else ""
    if why:
        parts.append(why)
    if update:
        (old_v, old_d), (new_v, new_d) = sorted(((display_value(va), pa), (display_value(vb), pb)),
                                                key=lambda x: x[1])
        parts.append(f"possible update: {old_v} ({old_d.isoformat()}) → {new_v} ({new_d.isoformat()})")
    detail = "; ".join(parts)
    return f"{question}: {display_value(va)} ≠ {display_value(vb)}" + (f" ({detail})" if detail else "")


def agreement_reason(va: Value, vb: Value, ca: Claim, cb: Claim, seed: ScoredPair, reasons,
                     table: ValueTable | None = None, docs: dict[str, Document] | None = None) -> str:
    """'when the bridge was built: 1978 = 1978 (both also name Kestrel Falls; context similarity 0.70)'."""
    parts = pair_evidence(table, seed.i, seed.j, docs, bool(va.question or vb.question)) if table is not None else []
    why = reasons(seed) if reasons else ""
    if why:
        parts.append(why)
    detail = "; ".join(parts)
    return f"{question_label(va, vb, ca, cb)}: {display_value(va)} = {display_value(vb)}" \
        + (f" ({detail})" if detail else "")


def describe_value(value: Value) -> str:
    if value.kind == "date" and value.date is not None:
        return describe_date(value.date)
    if value.kind == "quantity" and value.amount is not None:
        return quantities.describe(value.amount)
    return value.text


__all__ = ["ScoredPair", "build_findings", "compatible", "fold", "score_pairs"]
