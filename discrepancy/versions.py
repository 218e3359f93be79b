"""Versions: what changed between syndicated copies of one text.

Copies of one wire story count as one source (see `duplicates`), so the aligner never
compares them. An updated copy whose toll, date, name or place changed is still what a
fact-checker must see: for each group of copies, the sentences of every copy are aligned
with the earliest copy's (difflib on the sentence sequence, rapidfuzz to pair the
sentences of a rewritten stretch), and in each changed sentence pair the typed values
are compared with the same hard constraints as findings (`comparing.compatible`).

Sentences that are equal in two copies are never compared, so byte-identical copies
produce nothing, and neither does a copy that only added or dropped a paragraph.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import date
from difflib import SequenceMatcher

from rapidfuzz import fuzz

from .comparing import REPORT_TYPE, claim_ref, compatible, display_value, question_label
from .records import Claim, Document, DuplicateGroup, Sentence, Side, Value, VersionDifference

# Two sentences of a rewritten stretch are versions of one sentence when this alike (rapidfuzz ratio).
SENTENCE_MATCH = 70
# Two values of one kind are the same slot in two versions of a sentence when their surroundings are
# this alike; a name that changed (not merely spelled otherwise) counts only in such a slot.
SLOT_MATCH = 60
NEIGHBOURHOOD = 40  # characters either side of a value that say which slot it fills
# Kinds a changed version reports: figures, dates, times, places, names, affirmed vs denied.
VERSION_KINDS = ("quantity", "identifier", "date", "time", "place", "direction", "name", "polarity")


@dataclass(frozen=True)
class _Copy:
    doc: Document
    sentences: list[Sentence]
    values: list[list[tuple[Value, Claim]]]  # per sentence


def normalise(text: str) -> str:
    return " ".join(text.split()).casefold()


def align_sentences(reference: list[str], other: list[str]) -> dict[int, int]:
    """Map sentence indexes of `reference` to those of `other` that are the same or versions of it.

    Equal stretches map one to one; in a replaced stretch each sentence is paired with its most
    alike counterpart (at least `SENTENCE_MATCH`), best pairs first, each used once.
    """
    a = [normalise(s) for s in reference]
    b = [normalise(s) for s in other]
    mapping: dict[int, int] = {}
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            mapping.update({i1 + k: j1 + k for k in range(i2 - i1)})
        elif tag == "replace":
            scored = sorted(((fuzz.ratio(a[i], b[j]), i, j) for i in range(i1, i2) for j in range(j1, j2)),
                            key=lambda x: (-x[0], x[1], x[2]))
            used_i: set[int] = set()
            used_j: set[int] = set()
            for score, i, j in scored:
                if score < SENTENCE_MATCH:
                    break
                if i not in used_i and j not in used_j:
                    mapping[i] = j
                    used_i.add(i)
                    used_j.add(j)
    return mapping


def neighbourhood(sentence: str, value: Value) -> str:
    before = sentence[max(0, value.start - NEIGHBOURHOOD):value.start]
    after = sentence[value.end:value.end + NEIGHBOURHOOD]
    return normalise(f"{before} ~ {after}")


def changed_values(a_sentence: str, a_values: list[tuple[Value, Claim]], b_sentence: str,
                   b_values: list[tuple[Value, Claim]]) -> list[tuple[int, int]]:
    """Index pairs (into `a_values`, `b_values`) of values that fill one slot and cannot both be true.

    Values written alike in both sentences are the same value (a relative date resolved against two
    publication dates included). The rest are paired within a kind by their surroundings.
    """
    left = [k for k, (v, _) in enumerate(a_values) if v.kind in VERSION_KINDS]
    right = [k for k, (v, _) in enumerate(b_values) if v.kind in VERSION_KINDS]
    for k in list(left):  # drop the values both versions write alike
        same = next((m for m in right if b_values[m][0].kind == a_values[k][0].kind
                     and normalise(b_values[m][0].text) == normalise(a_values[k][0].text)
                     and b_values[m][0].negated == a_values[k][0].negated), None)
        if same is not None:
            left.remove(k)
            right.remove(same)
    scored = sorted(((fuzz.ratio(neighbourhood(a_sentence, a_values[k][0]), neighbourhood(b_sentence, b_values[m][0])),
                      k, m) for k in left for m in right if a_values[k][0].kind == b_values[m][0].kind),
                    key=lambda x: (-x[0], x[1], x[2]))
    pairs = []
    used_k: set[int] = set()
    used_m: set[int] = set()
    for score, k, m in scored:
        if score < SLOT_MATCH or k in used_k or m in used_m:
            continue
        used_k.add(k)
        used_m.add(m)
        va, vb = a_values[k][0], b_values[m][0]
        verdict = compatible(va, vb)
        if verdict is False or (verdict is None and va.kind == "name"):
            pairs.append((k, m))
    return sorted(pairs)


def sentence_values(sentences: list[Sentence], claims: list[Claim]) -> list[list[tuple[Value, Claim]]]:
    """The typed values of each sentence, in order of appearance, each with the claim stating it."""
    index = {s.id: n for n, s in enumerate(sentences)}
    out: list[list[tuple[Value, Claim]]] = [[] for _ in sentences]
    seen: set[tuple[str, str, int, int]] = set()
    for claim in claims:
        n = index.get(claim.sentence_id)
        if n is None:
            continue
        for value in claim.values:
            key = (claim.sentence_id, value.kind, value.start, value.end)
            if key not in seen:
                seen.add(key)
                out[n].append((value, claim))
    for values in out:
        values.sort(key=lambda vc: (vc[0].start, vc[0].end, vc[0].kind))
    return out


def by_publication(doc: Document) -> tuple[date, str]:
    return (doc.published or date.max, doc.id)


def compare_versions(documents: list[Document], sentences: list[Sentence], claims: list[Claim],
                     duplicates: list[DuplicateGroup]) -> list[VersionDifference]:
    """Every value that changed between copies of one text, for every group of copies. Pure function.

    Each copy is aligned with the group's earliest copy (publication date, then id); a difference
    lists each distinct value with every copy that states it, earliest first.
    """
    docs = {d.id: d for d in documents}
    sentences_of: dict[str, list[Sentence]] = {}
    for s in sentences:
        sentences_of.setdefault(s.doc_id, []).append(s)
    claims_of: dict[str, list[Claim]] = {}
    for c in claims:
        claims_of.setdefault(c.doc_id, []).append(c)
    out: list[VersionDifference] = []
    for group in duplicates:
        members = sorted((docs[i] for i in group.doc_ids if i in docs), key=by_publication)
        if len({normalise(d.text) for d in members}) < 2:
            continue  # identical copies: nothing changed
        copies = []
        for doc in members:
            doc_sentences = sorted(sentences_of.get(doc.id, []), key=lambda s: s.index)
            copies.append(_Copy(doc, doc_sentences, sentence_values(doc_sentences, claims_of.get(doc.id, []))))
        out.extend(group_differences(copies))
    return out


def group_differences(copies: list[_Copy]) -> list[VersionDifference]:
    reference, others = copies[0], copies[1:]
    ref_texts = [s.text for s in reference.sentences]
    alignments = [align_sentences(ref_texts, [s.text for s in c.sentences]) for c in others]
    # (reference sentence, reference value) -> {copy number: (value, claim)} for the copies that changed it
    changes: dict[tuple[int, int], dict[int, tuple[Value, Claim]]] = {}
    for n, (copy, mapping) in enumerate(zip(others, alignments, strict=True), 1):
        for i, j in sorted(mapping.items()):
            a, b = reference.sentences[i], copy.sentences[j]
            if normalise(a.text) == normalise(b.text):
                continue
            for k, m in changed_values(a.text, reference.values[i], b.text, copy.values[j]):
                changes.setdefault((i, k), {})[n] = copy.values[j][m]
    out = []
    for (i, k), changed in sorted(changes.items()):
        ref_value, ref_claim = reference.values[i][k]
        stated: list[tuple[Value, Claim, Document]] = [(ref_value, ref_claim, reference.doc)]
        for n, (copy, mapping) in enumerate(zip(others, alignments, strict=True), 1):
            if n in changed:
                stated.append((*changed[n], copy.doc))
            elif i in mapping:  # this copy's version of the sentence keeps the reference's value
                j = mapping[i]
                same = next(((v, c) for v, c in copy.values[j] if v.kind == ref_value.kind
                             and normalise(v.text) == normalise(ref_value.text)), None)
                if same is not None:
                    stated.append((*same, copy.doc))
        found = difference(stated)
        if found is not None:
            out.append(found)
    return out


def difference(stated: list[tuple[Value, Claim, Document]]) -> VersionDifference | None:
    """One changed value: its sides in order of first publication, a reason naming the dates
    (None when the values, as shown, do not differ after all)."""
    sides: dict[str, list] = {}
    for value, claim, doc in stated:
        sides.setdefault(display_value(value), []).append((value, claim, doc))
    if len(sides) < 2:
        return None
    first, later = stated[0], next(s for s in stated if display_value(s[0]) != display_value(stated[0][0]))
    question = question_label(first[0], later[0])
    type_ = REPORT_TYPE.get(first[0].kind, first[0].kind)
    steps = []
    for shown, items in sides.items():
        copies = [f"{d.source if d.source != 'unknown' else d.id} ({d.published_label})" for _, _, d in items]
        steps.append(f"{shown} in " + (", ".join(copies[:-1]) + " and " + copies[-1] if len(copies) > 1 else copies[0]))
    reason = f"{question} — " + "; ".join(steps)
    side_records = tuple(Side(shown, tuple(claim_ref(c, d, display_value(v)) for v, c, d in items))
                         for shown, items in sides.items())
    key = "\0".join(f"{r.doc}\0{r.text}\0{r.value}" for side in side_records for r in side.claims)
    return VersionDifference(id="v" + hashlib.sha1(key.encode()).hexdigest()[:11], type=type_, question=question,
                             reason=re.sub(r"\s+", " ", reason), sides=side_records)
