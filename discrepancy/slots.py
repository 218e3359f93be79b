"""Slot matching: do two values answer the same question?

Sentence similarity measures topic, not "same fact", so the evidence here is about
the values themselves, as numbers a fitted scorer weighs (see `scoring.py`):

- the value's own context, its clause with the value left out, compared by the
  contextual vectors of the sentence model (`context_cos`);
- the noun it measures or counts and the verb it hangs on, compared by their
  contextual vectors (`head_cos`, `verb_cos`) and by lemma, instead of synonym lists;
- shared names and content words; ordinals that tell events apart ('first' vs
  'second' stage); dates and places of the clause as scope (soft evidence, never a veto);
- how the two values relate (same unit as written, how far apart, a bound),
  hedges and attribution, publication-date gap;
- whether each is the other's best match in its article (`mutual_best`): an
  article usually states one value for one question;
- event identity: whether each sentence mentions the other's event at all (the verb
  the other value hangs on: 'built' vs 'inspected'), and how each date relates to its
  event ('since', 'until', 'by' a date, against 'on' it).

`pair_features` returns one row per candidate pair; `FEATURES` names the columns.
"""

from __future__ import annotations

import math
from collections import defaultdict

import numpy as np
from rapidfuzz import fuzz

from .aligning import ValueTable, comparable_type, value_key
from .comparing import compatible, date_relation
from .names import same_place
from .records import Claim, Document, Value
from .values import REPORTING_VERBS

KIND_FEATURES = ("kind_count", "kind_measure", "kind_money", "kind_date", "kind_time", "kind_place",
                 "kind_direction", "kind_name", "kind_identifier", "kind_polarity")
FEATURES = (
    "context_cos", "head_cos", "both_heads", "same_head", "verb_cos", "same_verb", "sentence_cos",
    "shared_entities", "entity_jaccard", "key_jaccard", "ordinal_clash", "date_scope_clash",
    "place_scope_clash", "hedged", "attributed", "publication_gap", "publication_unknown", "heading",
    "value_distance", "same_unit", "bounded", "increment", "value_similarity", "mutual_best", "best_for_one",
    "ambiguity", "negation_mismatch", "context_x_head", "sentence_mutual_best", "sentence_best_for_one",
    "document_ambiguity", "values_close", "values_far", "coordinated", "total", "agreeing_alternative",
    "closer_agreeing_alternative", "same_value_elsewhere", "head_nouns_differ", "clause_shared_value",
    "clause_other_clash", "event_mentioned", "date_relation_differs", "date_bound",
) + KIND_FEATURES


def kind_feature(value: Value) -> str:
    if value.kind == "quantity" and value.amount is not None:
        dim = value.amount.dimension
        if dim == "count":
            return "kind_count"
        if dim.startswith("money") or dim == "percent":
            return "kind_money"
        return "kind_measure"
    return "kind_" + value.kind if "kind_" + value.kind in KIND_FEATURES else "kind_name"


def _cos(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    return np.einsum("ij,ij->i", x, y)


def _present(x: np.ndarray) -> np.ndarray:
    return np.abs(x).sum(axis=1) > 0


def jaccard(a: frozenset, b: frozenset) -> float:
    return len(a & b) / len(a | b) if a or b else 0.0


def best_matches(table: ValueTable, pairs: list[tuple[int, int]], context_cos: np.ndarray) -> dict:
    """For each (value, other document): the candidate partner with the highest context similarity."""
    best: dict[tuple[int, str], tuple[float, int]] = {}
    for n, (i, j) in enumerate(pairs):
        for x, y in ((i, j), (j, i)):
            key = (x, table.claim(y).doc_id)
            if key not in best or context_cos[n] > best[key][0]:
                best[key] = (float(context_cos[n]), y)
    return best


def best_sentences(table: ValueTable, needed: set[tuple[int, str]] | None = None) -> dict[tuple[int, str], int]:
    """For (sentence row, other document) keys: that document's most similar sentence.

    `needed` names the keys to compute (None: every sentence holding a value against every
    document, which grows with the square of the corpus); pair features need only the keys
    of their candidate pairs, so each sentence is compared with the documents it is paired with."""
    if table.sentences is None or not len(table.sentence_docs):
        return {}
    docs = np.asarray(table.sentence_docs)
    if needed is None:
        needed = {(r, doc) for r in set(table.sentence_rows) for doc in set(table.sentence_docs)}
    rows_for: dict[str, set[int]] = defaultdict(set)
    for r, doc in needed:
        rows_for[doc].add(r)
    columns: dict[str, list[int]] = defaultdict(list)
    for c, doc in enumerate(docs.tolist()):
        columns[doc].append(c)
    out: dict[tuple[int, str], int] = {}
    for doc in sorted(rows_for):
        if doc not in columns:
            continue
        rows = sorted(rows_for[doc])
        cols = np.asarray(columns[doc])
        sims = table.sentences[rows] @ table.sentences[cols].T
        best = cols[np.argmax(sims, axis=1)]
        for r, b in zip(rows, best.tolist(), strict=True):
            out[(r, doc)] = b
    return out


def value_distance(a: Value, b: Value) -> float:
    """How far apart two values are, in [0, 1], whatever their kind: figures by log ratio, dates by days,
    clock times by minutes, names, places and codes by spelling. Conflicting values are usually close
    (a typo, a revision, a rounding); values far apart usually answer different questions."""
    if a.kind == "quantity" and a.amount and b.amount and a.amount.dimension != "clock":
        x, y = abs(a.amount.exact), abs(b.amount.exact)
        if x and y:
            return min(abs(math.log(x / y)), 3.0) / 3.0
        return 1.0 if x != y else 0.0
    if a.kind == "time" and a.amount and b.amount:
        gap = abs(a.amount.exact - b.amount.exact) % 1440
        return min(gap, 1440 - gap) / 720
    if a.kind == "date" and a.date and b.date:
        days = max(0, (max(a.date.start, b.date.start) - min(a.date.end, b.date.end)).days)
        return min(math.log1p(days) / math.log1p(3650), 1.0)
    if a.kind == "date" and a.weekday >= 0 and b.weekday >= 0:
        gap = abs(a.weekday - b.weekday)
        return min(gap, 7 - gap) / 3.5 * 0.3
    if a.kind in ("place", "name", "identifier", "direction"):
        return 1.0 - fuzz.ratio(a.norm, b.norm) / 100.0
    return 0.5  # polarity: affirmed against denied says nothing of distance


def agreeing_partners(table: ValueTable, pairs: list[tuple[int, int]], context_cos: np.ndarray,
                      compatibility: list) -> dict[tuple[int, str], float]:
    """For each value and other document: the context similarity of its closest value there that
    agrees with it. A figure another article repeats, in a closer context, is not contradicted by a
    different figure of that article: that one answers another question."""
    best: dict[tuple[int, str], float] = {}
    for n, (i, j) in enumerate(pairs):
        if compatibility[n] is not True:
            continue
        for x, y in ((i, j), (j, i)):
            key = (x, table.claim(y).doc_id)
            best[key] = max(best.get(key, -1.0), float(context_cos[n]))
    return best


def clause_evidence(table: ValueTable, i: int, j: int, by_claim: dict[str, list[int]],
                    verdicts: dict[tuple[int, int], int] | None = None) -> tuple[float, float]:
    """Other values of the two clauses: one stated alike in both (the same event is described), or
    one stated differently (for counts and dates: maybe another event, or another moment).

    `verdicts`, when given, remembers each compared pair of values (many candidate pairs share their
    clauses): 1 stated alike, -1 stated differently, 0 neither."""
    shared = clash = 0.0
    for x in by_claim.get(table.claim(i).id, ()):
        if x == i:
            continue
        for y in by_claim.get(table.claim(j).id, ()):
            if y == j:
                continue
            verdict = verdicts.get((x, y)) if verdicts is not None else None
            if verdict is None:
                verdict = _clause_verdict(table.value(x), table.value(y))
                if verdicts is not None:
                    verdicts[(x, y)] = verdict
            if verdict == 1:
                shared = 1.0
            elif verdict == -1:
                clash = 1.0
    return shared, clash


def _clause_verdict(vx: Value, vy: Value) -> int:
    if comparable_type(vx) != comparable_type(vy):
        return 0
    fits = compatible(vx, vy)
    if fits is True and value_key(vx) == value_key(vy):
        return 1
    return -1 if fits is False else 0


def sentence_lemmas(claims: list[Claim]) -> dict[str, frozenset[str]]:
    """Per sentence: the content lemmas and verbs of all its clauses (what events it mentions)."""
    out: dict[str, set[str]] = defaultdict(set)
    for claim in claims:
        out[claim.sentence_id].update(claim.keys)
        if claim.verb:
            out[claim.sentence_id].add(claim.verb)
        for value in claim.values:
            if value.verb:
                out[claim.sentence_id].add(value.verb)
    return {k: frozenset(v) for k, v in out.items()}


def event_mentioned(a: Value, b: Value, lemmas_a: frozenset[str], lemmas_b: frozenset[str]) -> float:
    """Share of the two sides whose event (the verb its value hangs on) the other sentence mentions too:
    'the plane that crashed on Sunday' against 'the crashed plane's black box was found on Monday' is
    one of two; 1.0 when both verbs are one. Reporting verbs name no event and count as mentioned."""
    if not a.verb or not b.verb:
        return 0.5
    if a.verb == b.verb:
        return 1.0
    seen = [x.verb in REPORTING_VERBS or x.verb in other for x, other in ((a, lemmas_b), (b, lemmas_a))]
    return sum(seen) / 2


def pair_features(table: ValueTable, pairs: list[tuple[int, int]], docs: dict[str, Document],
                  compatibility: list | None = None) -> np.ndarray:
    """Feature rows (in `FEATURES` order) for candidate value pairs of `table`."""
    if not pairs:
        return np.zeros((0, len(FEATURES)), dtype=np.float32)
    a = np.asarray([i for i, _ in pairs])
    b = np.asarray([j for _, j in pairs])
    context_cos = _cos(table.context[a], table.context[b])
    head_present = _present(table.head[a]) & _present(table.head[b])
    head_cos = np.where(head_present, _cos(table.head[a], table.head[b]), 0.0)
    verb_present = _present(table.verb[a]) & _present(table.verb[b])
    verb_cos = np.where(verb_present, _cos(table.verb[a], table.verb[b]), 0.0)
    sentence_cos = _cos(table.sentence[a], table.sentence[b])
    best = best_matches(table, pairs, context_cos)
    same_type_count: dict[tuple[str, str], int] = defaultdict(int)
    doc_type_count: dict[tuple[str, str], int] = defaultdict(int)
    for i in range(len(table)):
        kind = comparable_type(table.value(i))
        same_type_count[(table.claim(i).sentence_id, kind)] += 1
        doc_type_count[(table.claim(i).doc_id, kind)] += 1
    best_sentence = best_sentences(table, {key for i, j in pairs for key in (
        (table.sentence_rows[i], table.claim(j).doc_id), (table.sentence_rows[j], table.claim(i).doc_id))})
    agreeing = agreeing_partners(table, pairs, context_cos, compatibility or [None] * len(pairs))
    stated: set[tuple[str, str, str]] = set()
    by_claim: dict[str, list[int]] = defaultdict(list)
    for i in range(len(table)):
        v = table.value(i)
        stated.add((table.claim(i).doc_id, comparable_type(v), value_key(v)))
        if v.kind != "polarity":
            by_claim[table.claim(i).id].append(i)
    lemmas = sentence_lemmas(table.claims)
    index = {name: k for k, name in enumerate(FEATURES)}
    # Per value, once: what the pair loop reads many times over.
    values = [table.value(i) for i in range(len(table))]
    claims = [table.claim(i) for i in range(len(table))]
    kinds = [comparable_type(v) for v in values]
    keys = [value_key(v) for v in values]
    head_words = [set(v.head.split()) for v in values]
    kind_names = [kind_feature(v) for v in values]
    published = {doc_id: doc.published for doc_id, doc in docs.items()}
    verdicts: dict[tuple[int, int], int] = {}
    no_lemmas: frozenset[str] = frozenset()
    f = index  # short names for the columns, in the loop below
    width = len(FEATURES)
    table_rows: list[list[float]] = []  # Python lists, one numpy conversion at the end: much faster
    for n, (i, j) in enumerate(pairs):
        va, vb = values[i], values[j]
        ca, cb = claims[i], claims[j]
        row = [0.0] * width
        table_rows.append(row)
        row[f["context_cos"]] = context_cos[n]
        row[f["head_cos"]] = head_cos[n]
        row[f["both_heads"]] = float(head_present[n])
        row[f["same_head"]] = float(bool(va.head) and bool(head_words[i] & head_words[j]))
        row[f["verb_cos"]] = verb_cos[n]
        row[f["same_verb"]] = float(bool(va.verb) and va.verb == vb.verb)
        row[f["sentence_cos"]] = sentence_cos[n]
        shared = va.entities & vb.entities
        row[f["shared_entities"]] = min(len(shared), 3) / 3
        row[f["entity_jaccard"]] = jaccard(va.entities, vb.entities)
        row[f["key_jaccard"]] = jaccard(va.keys, vb.keys)
        row[f["ordinal_clash"]] = float(bool(va.ordinals) and bool(vb.ordinals) and not va.ordinals & vb.ordinals)
        row[f["date_scope_clash"]] = float(bool(va.scope) and bool(vb.scope) and not any(
            x.overlaps(y) for x in va.scope for y in vb.scope))
        row[f["place_scope_clash"]] = float(bool(va.places) and bool(vb.places) and not any(
            same_place(x, y) for x in va.places for y in vb.places))
        row[f["hedged"]] = float(bool(ca.hedge) or bool(cb.hedge))
        row[f["attributed"]] = float(bool(ca.attribution) or bool(cb.attribution))
        pa, pb = published[ca.doc_id], published[cb.doc_id]
        if pa and pb:
            row[f["publication_gap"]] = min(math.log1p(abs((pa - pb).days)), 5.0) / 5.0
        else:
            row[f["publication_unknown"]] = 1.0
        row[f["heading"]] = float(table.headings[i] or table.headings[j]) if table.headings else 0.0
        distance = value_distance(va, vb)
        row[f["value_distance"]] = distance
        if va.amount is not None and vb.amount is not None and va.amount.dimension != "clock":
            row[f["same_unit"]] = float(va.amount.unit == vb.amount.unit)
            row[f["bounded"]] = float(bool(va.amount.bound) or bool(vb.amount.bound))
        row[f["increment"]] = float(va.increment or vb.increment)
        if va.kind in ("name", "identifier", "place"):
            row[f["value_similarity"]] = fuzz.ratio(va.norm, vb.norm) / 100.0
        best_a = best.get((i, cb.doc_id), (0.0, -1))[1] == j
        best_b = best.get((j, ca.doc_id), (0.0, -1))[1] == i
        row[f["mutual_best"]] = float(best_a and best_b)
        row[f["best_for_one"]] = float(best_a or best_b)
        kind = kinds[i]
        ambiguity = same_type_count[(ca.sentence_id, kind)] + same_type_count[(cb.sentence_id, kinds[j])]
        row[f["ambiguity"]] = min(math.log(max(ambiguity - 1, 1)), 3.0) / 3.0
        if va.kind != "polarity":
            row[f["negation_mismatch"]] = float(va.negated != vb.negated)
        row[f["context_x_head"]] = context_cos[n] * head_cos[n]
        ra, rb = table.sentence_rows[i], table.sentence_rows[j]
        a_best = best_sentence.get((ra, cb.doc_id)) == rb
        b_best = best_sentence.get((rb, ca.doc_id)) == ra
        row[f["sentence_mutual_best"]] = float(a_best and b_best)
        row[f["sentence_best_for_one"]] = float(a_best or b_best)
        row[f["document_ambiguity"]] = min(math.log(doc_type_count[(ca.doc_id, kind)] *
                                                    doc_type_count[(cb.doc_id, kind)]), 6.0) / 6.0
        stored_distance = np.float32(distance)  # as the column holds it
        row[f["values_close"]] = float(stored_distance <= 0.05)
        row[f["values_far"]] = float(stored_distance >= 0.33)
        row[f["coordinated"]] = float(va.coordinated or vb.coordinated)
        row[f["total"]] = float(va.parts > 1 or vb.parts > 1)
        alternative = max(agreeing.get((i, cb.doc_id), -1.0), agreeing.get((j, ca.doc_id), -1.0))
        if alternative > -1.0:
            row[f["agreeing_alternative"]] = 1.0
            row[f["closer_agreeing_alternative"]] = max(0.0, alternative - float(context_cos[n]))
        row[f["same_value_elsewhere"]] = float(
            (cb.doc_id, kind, keys[i]) in stated or (ca.doc_id, kind, keys[j]) in stated)
        if va.head and vb.head and head_present[n]:
            row[f["head_nouns_differ"]] = float(va.head.split()[-1] != vb.head.split()[-1] and head_cos[n] < 0.5)
        row[f["clause_shared_value"]], row[f["clause_other_clash"]] = clause_evidence(table, i, j, by_claim,
                                                                                      verdicts)
        row[f[kind_names[i]]] = 1.0
        row[f["event_mentioned"]] = event_mentioned(va, vb, lemmas.get(ca.sentence_id, no_lemmas),
                                                    lemmas.get(cb.sentence_id, no_lemmas))
        if va.kind in ("date", "time"):
            ra_, rb_ = date_relation(va, ca.sentence), date_relation(vb, cb.sentence)
            row[f["date_relation_differs"]] = float(ra_ != rb_)
            row[f["date_bound"]] = float(ra_ != "point" or rb_ != "point")
    return np.asarray(table_rows, dtype=np.float32).reshape(len(pairs), width)

