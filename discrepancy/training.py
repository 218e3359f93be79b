"""Training data for the slot scorer: labeled sentence pairs → targets for candidate value pairs.

A label names two quotes and says they conflict or agree. Among the candidate
value pairs of a prepared corpus, those whose values sit in the two quoted
sentences (inside the quotes when possible) and cannot both be true are:

- positives for a conflict label whose type fits the values (a 'number' label and
  two lengths, a 'time' label and two clock times or durations). When several
  value pairs fit one label, each counts for an equal share of it;
- hard negatives for an agreement label: look-alike values that answer different
  questions, or that the labeler judged compatible.

Every other pair whose values cannot both be true is a negative. Pairs of
compatible values say nothing about conflicts and are left out. Review decisions
become labels the same way (`review.labels_from_reviews`).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .comparing import compatible
from .evaluation import Label, quote_span
from .records import Value

# Which value kinds a label type can be about ('other': any).
LABEL_KINDS = {
    "number": {"quantity", "identifier"},
    "date": {"date", "time"},
    "time": {"time", "quantity", "date"},
    "location": {"place", "direction"},
    "name": {"name", "identifier"},
    "polarity": {"polarity"},
}
AGREEMENT_WEIGHT = 2.0  # a labeled look-alike teaches more than an unlabeled pair


@dataclass
class PairTargets:
    """Per candidate pair: target (1 conflict), weight, and whether it is used for fitting."""

    target: np.ndarray
    weight: np.ndarray
    used: np.ndarray
    unmatched: list[Label]  # conflict labels no candidate pair fits (an extraction miss)


def kind_fits(label: Label, value: Value) -> bool:
    kinds = LABEL_KINDS.get(label.type)
    if kinds is None:
        return True
    if value.kind == "quantity" and label.type == "time":
        return value.amount is not None and value.amount.dimension == "duration"
    return value.kind in kinds


def quoted_values(prepared, label_doc: str, quote: str) -> tuple[set[str], set[int]]:
    """Sentences overlapping a quote, and the table rows of values lying inside it."""
    docs = {d.id: d for d in prepared.documents}
    document = docs.get(label_doc)
    if document is None:
        return set(), set()
    span = quote_span(document, quote)
    if span is None:
        return set(), set()
    sentences = {s.id for s in prepared.sentences if s.doc_id == label_doc and s.start < span[1] and span[0] < s.end}
    inside = set()
    for row, (c, v) in enumerate(prepared.table.refs):
        claim = prepared.table.claims[c]
        if claim.sentence_id in sentences:
            value = claim.values[v]
            start, end = claim.offset + value.start, claim.offset + value.end
            if start < span[1] and span[0] < end:
                inside.add(row)
    return sentences, inside


def pair_targets(prepared, labels: list[Label]) -> PairTargets:
    """Targets for `prepared.pairs` from `labels` (see the module docstring)."""
    table = prepared.table
    n = len(prepared.pairs)
    incompatible = np.asarray([fits is False for fits in prepared.compatibility], dtype=bool)
    target = np.zeros(n, dtype=np.int64)
    weight = np.ones(n, dtype=np.float64)
    used = incompatible.copy()
    by_sentences: dict[tuple[str, str], list[int]] = defaultdict(list)
    for k, (i, j) in enumerate(prepared.pairs):
        si, sj = table.claim(i).sentence_id, table.claim(j).sentence_id
        by_sentences[(si, sj)].append(k)
        by_sentences[(sj, si)].append(k)
    unmatched = []
    positives: dict[int, float] = defaultdict(float)
    ignored: set[int] = set()
    hard_negatives: set[int] = set()
    for label in labels:
        a_sents, a_inside = quoted_values(prepared, Path(label.a_file).stem, label.a)
        b_sents, b_inside = quoted_values(prepared, Path(label.b_file).stem, label.b)
        in_pair = sorted({k for sa in a_sents for sb in b_sents for k in by_sentences.get((sa, sb), ())})
        in_pair = [k for k in in_pair if incompatible[k]]
        if label.kind == "agreement":
            hard_negatives.update(in_pair)
            continue
        fitting = [k for k in in_pair if kind_fits(label, table.value(prepared.pairs[k][0]))]
        quoted = [k for k in fitting if {prepared.pairs[k][0], prepared.pairs[k][1]} & a_inside
                  and {prepared.pairs[k][0], prepared.pairs[k][1]} & b_inside]
        chosen = quoted or fitting
        if not chosen:
            unmatched.append(label)
        for k in chosen:
            positives[k] += 1.0 / len(chosen)
        ignored.update(k for k in in_pair if k not in chosen)
    # The same two values stated again elsewhere in the same articles (a headline and the body) are
    # the same conflict, unlabeled: not negatives.
    for k in list(positives):
        i, j = prepared.pairs[k]
        for m, (x, y) in enumerate(prepared.pairs):
            if m in positives or not incompatible[m]:
                continue
            for p, q in ((x, y), (y, x)):
                if table.claim(p).doc_id == table.claim(i).doc_id and table.claim(q).doc_id == table.claim(j).doc_id \
                        and compatible(table.value(p), table.value(i)) and compatible(table.value(q), table.value(j)):
                    ignored.add(m)
    for k in ignored:
        used[k] = False
    for k in hard_negatives:
        weight[k] = AGREEMENT_WEIGHT
    for k, share in positives.items():
        target[k] = 1
        weight[k] = min(1.0, share)
        used[k] = True
    return PairTargets(target, weight, used, unmatched)
