"""Comparing: aligned claim pairs → conflicts and agreements → findings.

A pair of facts is compared only when its frame matches: same type and the
same question (where is X located, when was X delivered, how many died, which
law...). Different values in a matching frame are a conflict; compatible values
(same date at a coarser granularity, rounding, a spelling variant, a place
inside the other) are an agreement. Similar sentences with different entities
but no matching frame are unrelated: both are usually true.

Pairwise verdicts are then merged into findings: one per disagreement, listing
every side (value) and who states it; syndicated copies count as one source.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import timedelta

from . import quantities
from .dates import describe as describe_date
from .facts import COUNT_CLASSES, EVENT_NOUNS, MEASURE_NOUNS, POPULATION_NOUNS, TITLE_HEADS
from .names import TITLES, name_tokens, phonetic, same_name, same_place
from .records import CandidatePair, Claim, ClaimRef, Comparison, DateValue, Document, Fact, Finding, Side

TYPE_WEIGHT = {"location": 0.95, "date": 0.9, "time": 0.9, "number": 0.9, "name": 0.85, "polarity": 0.8}
# Clock times are reported as dates: readers and labels treat "when" as one question.
REPORT_TYPE = {"time": "date"}
TIME_TOLERANCE_MINUTES = 10
GENERIC_PREDICATES = {"be", "have", "do", "say", "make", "take", "come", "go", "get", "give", "tell", "see",
                      "know", "want", "become", "continue", "remain", "include", "accord"}
LOCATIVE = {"locate", "deploy", "strike", "capsize", "hold", "occur", "happen", "leave", "base", "arrest", "kill",
            "sit", "stand", "find"}
EVENT_CLASSES = set(EVENT_NOUNS.values())
HEDGE_FACTOR = 0.75
ATTRIBUTION_FACTOR = 0.92
INFERRED_FACTOR = 0.8
UPDATE_FACTOR = 0.85


@dataclass(frozen=True)
class FactRef:
    claim: Claim
    index: int

    @property
    def fact(self) -> Fact:
        return self.claim.facts[self.index]

    @property
    def key(self) -> tuple[str, int]:
        return (self.claim.id, self.index)


def specific(keys: frozenset[str] | set[str]) -> set[str]:
    return {k for k in keys if k.lstrip("~").startswith("^")}


def plain(keys) -> set[str]:
    return {k.lstrip("~^") for k in keys if not k.startswith("@")}


def subject_match(a: Fact, b: Fact) -> float:
    """1: a shared participant; 0.6: one side generic ('the system', 'it') or missing;
    0: two different named agents, or two different named themes."""
    if plain(a.subject_keys) & plain(b.subject_keys):
        return 1.0
    agents = [{k for k in f.subject_keys if not k.startswith("~")} for f in (a, b)]
    themes = [{k[1:] for k in f.subject_keys if k.startswith("~")} for f in (a, b)]
    for x, y in (agents, themes):
        if specific(x) and specific(y):
            return 0.0
    return 0.7


def anchor_overlap(a: Fact, b: Fact) -> int:
    return len(plain(a.anchors | a.subject_keys) & plain(b.anchors | b.subject_keys))


def jaccard(x: frozenset[str] | set[str], y: frozenset[str] | set[str]) -> float:
    return len(x & y) / len(x | y) if x or y else 0.0


def sim_factor(similarity: float, full: float = 0.6) -> float:
    return max(0.0, min(1.0, similarity / full))


RECENT_DAYS = 30
IMPLICIT_DAYS = 7
BACKGROUND_DAYS = 180


def claim_dates(claim: Claim):
    return [f.date for f in claim.facts if f.type == "date" and f.date and f.date.granularity != "time"]


def is_background(value, published) -> bool:
    """A date long before the article's publication: background, not the news event."""
    return published is not None and (published - value.end).days > BACKGROUND_DAYS


def is_recent(value, published) -> bool:
    return published is not None and abs((published - value.start).days) <= RECENT_DAYS


def scope_differs(ca: Claim, cb: Claim, docs: dict[str, Document], counts: bool = False,
                  fa: Fact | None = None, fb: Fact | None = None) -> bool:
    """Claims about different places or times are about different scopes (both can be true).

    A claim without a date speaks of the time of its article; one dated long before
    its publication ('last year', 'in 2020') is background. For counts of people,
    two recent dates mean a figure revised as news develops, not a different scope.
    """
    places_a = [f.text for f in ca.facts if f.type == "location"]
    places_b = [f.text for f in cb.facts if f.type == "location"]
    if places_a and places_b and not any(same_place(x, y) for x in places_a for y in places_b):
        return True
    pa, pb = docs[ca.doc_id].published, docs[cb.doc_id].published
    # A number's own dates when it has a phrase of its own; the claim's otherwise.
    dates_a = list(fa.scope) if fa is not None and fa.type == "number" else claim_dates(ca)
    dates_b = list(fb.scope) if fb is not None and fb.type == "number" else claim_dates(cb)
    background_a = any(is_background(d, pa) for d in dates_a)
    background_b = any(is_background(d, pb) for d in dates_b)
    if background_a != background_b:
        return True
    if dates_a and dates_b and not any(x.overlaps(y) for x in dates_a for y in dates_b):
        recent = all(is_recent(d, pa) for d in dates_a) and all(is_recent(d, pb) for d in dates_b)
        return not (counts and recent)
    # An undated claim speaks of the days around its article's publication.
    for dated, published in ((dates_a, pb), (dates_b, pa)) if bool(dates_a) != bool(dates_b) else ():
        if dated and published is not None:
            window = DateValue(published - timedelta(days=IMPLICIT_DAYS), published + timedelta(days=1), "window")
            if not any(d.overlaps(window) for d in dated):
                return True
    return False


def count_parts(attribute: str) -> tuple[str, str]:
    cls, _, pop = attribute.partition("|")
    return cls, pop


# Events that happen again and again: one date for each is no contradiction.
REPEATABLE = {"test", "meet", "visit", "talk", "say", "announce", "warn", "discuss", "attack", "call", "speak",
              "report", "hold", "launch", "fire", "vote", "travel", "protest", "sanction", "deploy"}


def frame_strength(fa: Fact, fb: Fact, ca: Claim, cb: Claim, similarity: float,
                   docs: dict[str, Document] | None = None) -> float:
    """How sure we are that two facts answer the same question, 0 when they do not."""
    docs = docs or {}
    if fa.type != fb.type:
        return 0.0
    subj = subject_match(fa, fb)
    # Names are matched by role or slot instead; a margin between two sides is one figure
    # whichever side the sentence starts from ('X won by 978 votes' / 'Y lost by 4,128').
    if subj == 0.0 and fa.type != "name" and not (fa.type == "number" and fa.attribute in RELATIONAL):
        return 0.0
    subj = subj or 0.7
    if fa.type == "location":
        if fa.predicate != fb.predicate or fa.role != fb.role and {fa.role, fb.role} & {"from", "to"}:
            return 0.0
        if not (fa.predicate in LOCATIVE or fa.predicate in EVENT_CLASSES or fa.predicate.startswith("at:")):
            return 0.0
        return subj * (0.75 + 0.25 * sim_factor(similarity))
    if fa.type == "date":
        if not fa.date or not fb.date or (fa.date.granularity == "time") != (fb.date.granularity == "time"):
            return 0.0
        if fa.predicate != fb.predicate or fa.predicate in GENERIC_PREDICATES:
            return 0.0
        shared = anchor_overlap(fa, fb)
        if fa.predicate in REPEATABLE and (shared < 2 or similarity < 0.5):
            return 0.0
        if docs and scope_background_mismatch(fa, fb, ca, cb, docs):
            return 0.0
        return subj * (0.6 + 0.2 * min(shared, 2) / 2 + 0.2 * sim_factor(similarity))
    if fa.type == "time":
        if fa.role != fb.role or fa.predicate != fb.predicate or fa.predicate in GENERIC_PREDICATES:
            return 0.0
        return subj * (0.7 + 0.3 * sim_factor(similarity))
    if fa.type == "number":
        if fa.role != fb.role or not fa.attribute:
            return 0.0
        cls_a, pop_a = count_parts(fa.attribute)
        cls_b, pop_b = count_parts(fb.attribute)
        # '3 crew killed' and '11 people killed' may be a part and its whole: not comparable.
        if cls_a != cls_b or pop_a != pop_b:
            return 0.0
        counts = cls_a in COUNT_CLASSES
        if docs and scope_differs(ca, cb, docs, counts=counts, fa=fa, fb=fb):
            return 0.0
        shared = anchor_overlap(fa, fb)
        same_predicate = fa.predicate == fb.predicate
        if counts:
            # One event has one death toll, one arrest count...: compared whatever the sentences'
            # cosine (the figure often sits in a sentence about something else).
            return subj * (0.6 + 0.4 * sim_factor(similarity))
        if cls_a == "money":
            if shared == 0 or not (same_predicate or similarity >= 0.3):
                return 0.0
        elif cls_a in GENERIC_NOUNS and not (same_predicate and (shared or similarity >= 0.4)):
            return 0.0
        elif cls_a not in POPULATION_NOUNS and cls_a not in MEASURE_NOUNS and not fa.role and not same_predicate \
                and similarity < 0.5:
            # '100 homes destroyed' / '300 homes damaged': two different counts of one noun.
            # A population ('42 crew') or a measure ('a depth of 10 km', 'magnitude 6.4') is one figure
            # whatever the verb.
            return 0.0
        return subj * (0.55 + 0.2 * same_predicate + 0.25 * sim_factor(similarity))
    if fa.type == "name":
        if fa.attribute != fb.attribute:
            return 0.0
        if roles_compatible(fa.role, fb.role):
            return 0.6 + 0.4 * sim_factor(similarity)
        shared = shared_slots(fa, fb)
        if shared and all(slot.split(":")[0] not in GENERIC_PREDICATES for slot in shared):
            return 0.7 + 0.3 * sim_factor(similarity)
        if fa.attribute == "law" and similarity >= 0.25:
            return 0.6 + 0.4 * sim_factor(similarity)
    return 0.0


RELATIONAL = {"margin", "difference", "gap", "lead"}
GENERIC_NOUNS = {"people", "person", "member", "individual", "one", "other", "figure", "number", "total", "time",
                 "thing", "way", "case", "part", "country", "year", "day", "place", "system"}


def scope_background_mismatch(fa: Fact, fb: Fact, ca: Claim, cb: Claim, docs: dict[str, Document]) -> bool:
    """One date is the news event, the other long-past background: two different events."""
    pa, pb = docs[ca.doc_id].published, docs[cb.doc_id].published
    return bool(fa.date and fb.date and is_background(fa.date, pa) != is_background(fb.date, pb)
                and pa and pb)


def roles_compatible(a: str, b: str) -> bool:
    """'governor izmir' and 'governor' name the same office; 'president turkish' and
    'president ukrainian' do not."""
    if not a or not b:
        return False
    wa, wb = set(a.split()), set(b.split())
    return wa <= wb or wb <= wa


BROAD_PLACE = re.compile(
    r"\b(?:north|south|east|west|central|northern|southern|eastern|western|central|north-?eastern|"
    r"north-?western|south-?eastern|south-?western|region|province|state|coast|country|area|countryside|"
    r"mainland|border|territory|territories)\b", re.I)


def is_broad_place(text: str) -> bool:
    """'western Turkey', 'Izmir province', 'the Aegean coast': may contain the other place."""
    return bool(BROAD_PLACE.search(text))


def name_slots(fact: Fact) -> set[str]:
    return {s for s in fact.predicate.split("|") if ":" in s}


def has_name(text: str) -> bool:
    return any(word[:1].isupper() for word in text.split())


def shared_slots(fa: Fact, fb: Fact) -> set[str]:
    return name_slots(fa) & name_slots(fb)


def values_compatible(fa: Fact, fb: Fact) -> bool:
    if fa.type == "location":
        # A bare description ('the storage building') may well be the named place in the other text.
        described = not has_name(fa.text) or not has_name(fb.text)
        return same_place(fa.text, fb.text) or is_broad_place(fa.text) or is_broad_place(fb.text) or described
    if fa.type == "date":
        return bool(fa.date and fb.date and fa.date.overlaps(fb.date))
    if fa.type == "number":
        return bool(fa.quantity and fb.quantity and quantities.compatible(fa.quantity, fb.quantity))
    if fa.type == "time":
        return abs(fa.quantity.exact - fb.quantity.exact) <= TIME_TOLERANCE_MINUTES
    if fa.type == "name":
        return same_name(fa.text, fb.text)
    return fa.norm == fb.norm


ROLE_QUALIFIERS = {"foreign", "defense", "interior", "finance", "health", "state", "deputy", "assistant", "national",
                   "prime", "police", "fire", "coast", "guard"}
NAME_FILLER = {"act", "law", "bill", "the", "of", "and", "for", "on", "to", "section", "article"}


def shared_name_tokens(a: str, b: str) -> set[str]:
    def stems(text: str) -> set[str]:
        return {phonetic(t).rstrip("s") for t in name_tokens(text)} - NAME_FILLER
    return stems(a) & stems(b)


def names_conflict(fa: Fact, fb: Fact) -> bool:
    """Two different names for one slot conflict when they are two takes on one name
    (a shared word: 'Ingrid Schäfer' / 'Monika Schäfer', 'Election Review Act' /
    'Municipal Elections Act'), or fill one specific office ('foreign minister turkish')."""
    if shared_name_tokens(fa.text, fb.text):
        return True
    # Two different people in one office only when the office is pinned down by the same
    # country or body in both ('foreign minister turkish'): 'Foreign Minister Lavrov' and
    # 'Foreign Minister Cavusoglu' can both be right.
    return fa.role == fb.role and bool(role_affiliation(fa.role))


def role_affiliation(role: str) -> set[str]:
    return {w for w in role.split() if w not in TITLE_HEADS and w not in ROLE_QUALIFIERS and w not in TITLES}


def display_value(fact: Fact) -> str:
    if fact.type == "date" and fact.date:
        return fact.text if fact.text else describe_date(fact.date)
    return fact.text


def frame_text(fa: Fact, fb: Fact) -> str:
    subject = max((fa.subject, fb.subject), key=lambda s: (len(specific(fa.subject_keys if s == fa.subject
                                                                      else fb.subject_keys)), len(s)))
    subject = subject or "it"
    if fa.type == "location":
        return f"where {subject} is {participle(fa.predicate)}"
    if fa.type in ("date", "time"):
        return f"when {subject}: {participle(fa.predicate)}"
    if fa.type == "number":
        cls, pop = count_parts(fa.attribute)
        what = {"kill": "dead", "injure": "injured", "missing": "missing", "rescue": "rescued",
                "arrest": "arrested"}.get(cls, cls)
        if pop:
            what = f"{what} ({pop})"
        unit = f", {fa.role}" if fa.role and fa.role != "money" else ""
        return f"how many/much: {what}{unit}"
    if fa.type == "name":
        if roles_compatible(fa.role, fb.role):
            return f"who is the {max(fa.role, fb.role, key=len)}"
        slot = sorted(shared_slots(fa, fb)) or [fa.predicate]
        verb, _, prep = slot[0].partition(":")
        return f"the name in '{verb} {prep} …'"
    return ""


PARTICIPLES = {"locate": "located", "deploy": "deployed", "strike": "struck", "capsize": "capsized",
               "hold": "held", "occur": "occurred", "leave": "left from", "kill": "killed", "remove": "removed",
               "deliver": "delivered", "sign": "signed", "buy": "bought", "begin": "begun", "end": "ended",
               "test": "tested", "sanction": "sanctioned", "rule": "ruled", "arrest": "arrested",
               "operational": "operational", "elect": "elected", "base": "based", "find": "found"}


IRREGULAR = {"make": "made", "give": "given", "take": "taken", "find": "found", "hold": "held", "send": "sent",
             "win": "won", "lose": "lost", "build": "built", "leave": "left", "issue": "issued", "say": "said",
             "rise": "risen", "fall": "fallen", "hit": "hit", "sink": "sunk", "run": "run", "set": "set",
             "put": "put", "cut": "cut", "shut": "shut", "begin": "begun", "bring": "brought", "tell": "told"}


def participle(predicate: str) -> str:
    """'locate' → 'located', 'make' → 'made': enough English for a reason line."""
    if predicate in PARTICIPLES:
        return PARTICIPLES[predicate]
    if predicate in IRREGULAR:
        return IRREGULAR[predicate]
    if not predicate.isalpha():
        return predicate
    return predicate + ("d" if predicate.endswith("e") else "ed")


def claim_ref(claim: Claim, doc: Document, value: str) -> ClaimRef:
    return ClaimRef(doc=claim.doc_id, text=claim.sentence or claim.text, sentence_id=claim.sentence_id,
                    claim_id=claim.id, value=value, published=doc.published_label, source=doc.source,
                    hedge=claim.hedge, attribution=claim.attribution, claim=claim.text)


def short_doc_labels(a: str, b: str) -> tuple[str, str]:
    """How a reason names two documents: the id before its first "_" ("000_4958…" → "000"), unless
    that would give both the same name ("reuters_a", "reuters_b"): then the whole ids."""
    short_a, short_b = a.split("_")[0], b.split("_")[0]
    return (short_a, short_b) if short_a != short_b else (a, b)


def caveats(ca: Claim, cb: Claim, fa: Fact | None, fb: Fact | None) -> tuple[float, list[str]]:
    factor, notes = 1.0, []
    labels = dict(zip((ca.doc_id, cb.doc_id), short_doc_labels(ca.doc_id, cb.doc_id), strict=True))
    for claim, fact in ((ca, fa), (cb, fb)):
        short = labels[claim.doc_id]
        if claim.hedge:
            factor *= HEDGE_FACTOR
            notes.append(f"{short} hedged: '{claim.hedge}'")
        elif claim.attribution:
            factor *= ATTRIBUTION_FACTOR
            notes.append(f"{short} attributed: '{claim.attribution}'")
        if fact is not None and fact.inferred:
            factor *= INFERRED_FACTOR
            notes.append(f"{short} date inferred from the previous sentence")
    return factor, notes


def compare_facts(fa: Fact, fb: Fact, ca: Claim, cb: Claim, similarity: float,
                  docs: dict[str, Document]) -> Comparison | None:
    strength = frame_strength(fa, fb, ca, cb, similarity, docs)
    if strength <= 0:
        return None
    va, vb = display_value(fa), display_value(fb)
    ref_a, ref_b = claim_ref(ca, docs[ca.doc_id], va), claim_ref(cb, docs[cb.doc_id], vb)
    frame = frame_text(fa, fb)
    if values_compatible(fa, fb):
        if fa.type == "name" and not roles_compatible(fa.role, fb.role) and fa.norm == fb.norm:
            return None  # the same name in the same slot says nothing worth listing
        if fa.type == "location" and not same_place(fa.text, fb.text):
            return None  # compatible only because one is vague: no conflict, and no corroboration either
        return Comparison("agreement", REPORT_TYPE.get(fa.type, fa.type), round(TYPE_WEIGHT[fa.type] * strength, 4),
                          similarity, f"{fa.type}: {va} = {vb} ({frame})", ref_a, ref_b, frame)
    if fa.type == "name" and not names_conflict(fa, fb):
        return None
    factor, notes = caveats(ca, cb, fa, fb)
    update = False
    pa, pb = docs[ca.doc_id].published, docs[cb.doc_id].published
    if fa.type == "number" and count_parts(fa.attribute)[0] in COUNT_CLASSES and pa and pb and pa != pb:
        update = True
        factor *= UPDATE_FACTOR
        older, newer = ((va, pa), (vb, pb)) if pa < pb else ((vb, pb), (va, pa))
        notes.append(f"possible update: {older[0]} ({older[1].isoformat()}) → {newer[0]} ({newer[1].isoformat()})")
    score = round(TYPE_WEIGHT[fa.type] * strength * factor, 4)
    detail = "; ".join([frame] + notes)
    return Comparison("conflict", REPORT_TYPE.get(fa.type, fa.type), score, similarity,
                      f"{fa.type}: {va} ≠ {vb} ({detail})", ref_a, ref_b, frame, update)


def compare_polarity(ca: Claim, cb: Claim, similarity: float, docs: dict[str, Document]) -> Comparison | None:
    """'a request was made' vs 'no request was made': the same assertion, affirmed and denied."""
    if ca.negated == cb.negated or not ca.predicate or ca.predicate != cb.predicate:
        return None
    if ca.predicate in GENERIC_PREDICATES - {"make", "take", "give"} or not ca.object or not cb.object:
        return None
    if not set(ca.object.split()) & set(cb.object.split()):
        return None
    overlap = jaccard(ca.keys, cb.keys)
    # A shared multi-word object ('ammonium nitrate', 'tsunami warning') pins the assertion down.
    shared_object = set(ca.object.split()) & set(cb.object.split())
    if overlap < 0.15 and similarity < 0.45 and not (shared_object and similarity >= 0.2):
        return None
    strength = 0.6 + 0.2 * min(1.0, overlap / 0.4) + 0.2 * sim_factor(similarity)
    factor, notes = caveats(ca, cb, None, None)
    va = "denied" if ca.negated else "affirmed"
    vb = "denied" if cb.negated else "affirmed"
    frame = f"whether a {ca.object.split()[-1] if ca.object else 'thing'} was {participle(ca.predicate)}"
    detail = "; ".join([frame] + notes)
    return Comparison("conflict", "polarity", round(TYPE_WEIGHT["polarity"] * strength * factor, 4), similarity,
                      f"polarity: {va} ≠ {vb} ({detail})",
                      claim_ref(ca, docs[ca.doc_id], va), claim_ref(cb, docs[cb.doc_id], vb), frame)


def compare_pair(ca: Claim, cb: Claim, similarity: float,
                 docs: dict[str, Document]) -> list[tuple[Comparison, tuple, tuple]]:
    """Every verdict on one candidate pair, with the (claim, fact) keys it links."""
    out = []
    for i, fa in enumerate(ca.facts):
        for j, fb in enumerate(cb.facts):
            result = compare_facts(fa, fb, ca, cb, similarity, docs)
            if result is not None:
                out.append((result, (ca.id, i), (cb.id, j)))
    polarity = compare_polarity(ca, cb, similarity, docs)
    if polarity is not None:
        out.append((polarity, (ca.id, -1), (cb.id, -1)))
    return out


def finding_id(kind: str, type_: str, a: ClaimRef, b: ClaimRef) -> str:
    ends = sorted([f"{a.doc}\0{a.text}", f"{b.doc}\0{b.text}"])
    return hashlib.sha1("\0".join([kind, type_, *ends]).encode()).hexdigest()[:12]


def build_findings(pairs: list[CandidatePair], claims: dict[str, Claim], docs: dict[str, Document],
                   groups: dict[str, int], min_score: float, min_agreement_score: float,
                   similarity_threshold: float = -1.0) -> tuple[list[Finding], list[Comparison]]:
    """Compare every candidate pair and merge the verdicts into findings.

    Pairs found only through the embedding route must reach `similarity_threshold`;
    fact-key pairs are compared whatever their cosine.
    """
    comparisons: list[tuple[Comparison, tuple, tuple]] = []
    for pair in pairs:
        if pair.via == "embedding" and pair.similarity < similarity_threshold:
            continue
        ca, cb = claims[pair.a], claims[pair.b]
        if (ca.sentence or ca.text).strip().lower() == (cb.sentence or cb.text).strip().lower():
            continue  # the same sentence in two outlets is copy, not corroboration
        comparisons.extend(compare_pair(ca, cb, pair.similarity, docs))

    # Connected components per type over the compared facts.
    parent: dict[tuple, tuple] = {}

    def find(x):
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for comp, ka, kb in comparisons:
        if comp.verdict == "conflict" and comp.score < min_score:
            continue
        if comp.verdict == "agreement" and comp.score < min_agreement_score:
            continue
        parent[find((comp.type, ka))] = find((comp.type, kb))
    members: dict[tuple, list[tuple]] = defaultdict(list)
    for node in list(parent):
        members[find(node)].append(node)
    edges: dict[tuple, list[Comparison]] = defaultdict(list)
    for comp, ka, _ in comparisons:
        node = (comp.type, ka)
        if node in parent:
            edges[find(node)].append(comp)

    findings: list[Finding] = []
    for root, nodes in members.items():
        comps = edges[root]
        conflicts = [c for c in comps if c.verdict == "conflict" and c.score >= min_score]
        agreements = [c for c in comps if c.verdict == "agreement" and c.score >= min_agreement_score]
        sides = build_sides(nodes, claims, docs, conflicts)
        side_groups = [{groups[r.doc] for r in side.claims} for side in sides]
        sources = len(set().union(*side_groups)) if side_groups else 0
        if conflicts and len(sides) >= 2:
            best = max(conflicts, key=lambda c: (c.score, c.similarity, c.a.claim_id, c.b.claim_id))
            score = min(1.0, best.score + 0.03 * max(0, sources - 2))
            findings.append(Finding(
                id=finding_id("conflict", best.type, best.a, best.b), kind="conflict", type=best.type,
                score=round(score, 4), similarity=round(best.similarity, 4), reason=best.reason,
                a=best.a, b=best.b, sides=tuple(sides), sources=sources,
                update=best.update))
        elif agreements and sources >= 2:
            best = max(agreements, key=lambda c: (c.score, c.similarity, c.a.claim_id, c.b.claim_id))
            findings.append(Finding(
                id=finding_id("agreement", best.type, best.a, best.b), kind="agreement", type=best.type,
                score=round(min(1.0, best.score + 0.03 * max(0, sources - 2)), 4),
                similarity=round(best.similarity, 4), reason=best.reason, a=best.a, b=best.b,
                sides=tuple(sides), sources=sources))
    findings.sort(key=lambda f: (f.kind != "conflict", -f.score, -f.sources, f.id))
    return findings, [c for c, _, _ in comparisons]


APPROXIMATE_WORDING = re.compile(r"\b(?:at least|more than|over|about|around|nearly|almost|up to|some|roughly)\b",
                                 re.I)


def build_sides(nodes: list[tuple], claims: dict[str, Claim], docs: dict[str, Document],
                conflicts: list[Comparison]) -> list[Side]:
    """Group the facts of one finding by value: compatible values share a side."""
    refs: list[tuple[str, ClaimRef, Fact | None]] = []
    for _, (claim_id, index) in sorted(nodes, key=lambda n: (n[1][0], n[1][1])):
        claim = claims[claim_id]
        if index < 0:
            value = "denied" if claim.negated else "affirmed"
            refs.append((value, claim_ref(claim, docs[claim.doc_id], value), None))
        else:
            fact = claim.facts[index]
            value = display_value(fact)
            refs.append((value, claim_ref(claim, docs[claim.doc_id], value), fact))
    # Precise values found the sides; bounds ('more than 80') join one they fit, so a loose
    # bound never chains 87 and 112 into one side.
    refs.sort(key=lambda r: (r[2] is not None and bool(r[2].quantity) and r[2].quantity.approximate,))
    sides: list[tuple[list[str], list[ClaimRef], list[Fact]]] = []
    for value, ref, fact in refs:
        for side_values, side_refs, members in sides:
            if fact is None and not members:
                if side_values[0] == value:
                    side_refs.append(ref)
                    break
            elif fact is not None and members and all(values_compatible(fact, m) for m in members):
                side_refs.append(ref)
                side_values.append(value)
                members.append(fact)
                break
        else:
            sides.append(([value], [ref], [fact] if fact is not None else []))
    out = []
    for side_values, side_refs, _ in sides:
        # The most specific wording names the side: '12 July 2019' over 'July 2019', 'Seven' over 'At least five'.
        label = max(side_values, key=lambda v: (not APPROXIMATE_WORDING.search(v), len(v), v))
        seen, unique = set(), []
        for r in side_refs:
            if (r.doc, r.text) not in seen:
                seen.add((r.doc, r.text))
                unique.append(r)
        out.append(Side(value=label, claims=tuple(unique)))
    return sorted(out, key=lambda s: (-len(s.claims), s.value))
