"""Aligning: which claims of different articles may speak of the same thing.

Two routes, both recall-oriented (comparison decides):
1. Embedding neighbours. Sentence vectors have the corpus mean removed first:
   in a corpus about one event every sentence shares that topic, and the raw
   cosine mostly measures it. Each sentence keeps its `top_k` nearest sentences
   of other articles above `similarity_threshold`, computed in row chunks so no
   n x n matrix is ever held.
2. Fact keys. A fact often sits in a sentence about something else, so facts are
   also indexed by what they are about (type + predicate, or head noun + unit)
   and every cross-article pair within a key is a candidate, whatever the cosine.
   On big corpora a key held by many claims would give size^2 pairs: above
   `KEY_ALL_PAIRS` members each claim keeps its `KEY_NEIGHBOURS` most similar
   members only, so the candidates grow linearly with the corpus.
"""

from __future__ import annotations

from collections import defaultdict
from itertools import combinations

import numpy as np

from .records import CandidatePair, Claim, Fact

CHUNK_ROWS = 1024
CHUNK_CELLS = 8_000_000  # similarities per chunk (~17 bytes each with the mask and partition indices)
MAX_KEY_GROUP = 400  # a key shared by more claims than this says nothing specific
# Scale: a key group of up to KEY_ALL_PAIRS claims pairs them all; a larger one pairs each claim
# with its KEY_NEIGHBOURS most similar members only (see key_member_pairs).
KEY_ALL_PAIRS = 48
KEY_NEIGHBOURS = 24


def remove_topic(vectors: np.ndarray) -> np.ndarray:
    """Subtract the corpus mean and renormalise (the common topic carries no comparison signal)."""
    if len(vectors) < 3:
        return vectors
    centred = vectors - vectors.mean(axis=0, keepdims=True)
    norms = np.linalg.norm(centred, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return (centred / norms).astype(np.float32)


def neighbour_pairs(vectors: np.ndarray, groups: list[int], top_k: int,
                    threshold: float) -> dict[tuple[int, int], float]:
    """Top-k cross-group neighbours per row with cosine >= threshold, as {(i, j): cos} with i < j."""
    n = len(vectors)
    found: dict[tuple[int, int], float] = {}
    if n < 2:
        return found
    group_arr = np.asarray(groups)
    k = min(top_k, n - 1)
    step = max(16, min(CHUNK_ROWS, CHUNK_CELLS // n))  # memory per chunk stays bounded as n grows
    for lo in range(0, n, step):
        hi = min(n, lo + step)
        sims = vectors[lo:hi] @ vectors.T
        same = group_arr[lo:hi, None] == group_arr[None, :]
        sims[same] = -np.inf
        idx = np.argpartition(-sims, k - 1, axis=1)[:, :k] if k < n else np.argsort(-sims, axis=1)
        for r, row in enumerate(idx):
            i = lo + r
            for j in row:
                s = float(sims[r, j])
                if s >= threshold:
                    key = (i, int(j)) if i < j else (int(j), i)
                    found[key] = max(found.get(key, -1.0), s)
    return found


def fact_keys(fact: Fact) -> list[tuple]:
    """What a fact is about, as index keys. Generic predicates ('be', 'say') index nothing."""
    if fact.type == "number":
        if fact.attribute:
            return [("number", fact.attribute, fact.role)]
        return [("number", fact.predicate, fact.role)] if fact.role else []
    if fact.type in ("location", "date", "time"):
        if fact.predicate in ("be", "have", "do", "say", "make", "take", "come", "go", ""):
            return []
        return [(fact.type, fact.predicate)]
    if fact.type == "name":
        keys = []
        if fact.role:
            keys.append(("name-role", fact.role))
        for slot in fact.predicate.split("|"):
            if ":" in slot:
                keys.append(("name-slot", slot))
        return keys
    return []


def claim_keys(claim: Claim) -> set[tuple]:
    keys = {key for fact in claim.facts for key in fact_keys(fact)}
    if claim.predicate and claim.predicate not in ("be", "have", "say", "do"):
        keys.add(("predicate", claim.predicate))
    return keys


def align(claims: list[Claim], sentence_index: dict[str, int], vectors: np.ndarray,
          groups: dict[str, int], top_k: int, threshold: float) -> list[CandidatePair]:
    """Candidate claim pairs from different source groups, with their sentence similarity.

    `sentence_index` maps sentence ids to rows of `vectors`; `groups` maps document
    ids to source groups (syndicated copies share a group and are never paired).
    """
    adjusted = remove_topic(vectors)
    sentence_ids = sorted(sentence_index, key=sentence_index.get)
    doc_of_sentence = {sid: sid.rsplit("#", 1)[0] for sid in sentence_ids}
    row_groups = [groups[doc_of_sentence[sid]] for sid in sentence_ids]
    near = neighbour_pairs(adjusted, row_groups, top_k, threshold)

    def similarity(a: Claim, b: Claim) -> float:
        i, j = sentence_index[a.sentence_id], sentence_index[b.sentence_id]
        return float(adjusted[i] @ adjusted[j])

    by_sentence: dict[str, list[Claim]] = defaultdict(list)
    for claim in claims:
        by_sentence[claim.sentence_id].append(claim)

    pairs: dict[tuple[str, str], CandidatePair] = {}

    def add(a: Claim, b: Claim, sim: float, via: str) -> None:
        if groups[a.doc_id] == groups[b.doc_id]:
            return
        x, y = (a, b) if a.id < b.id else (b, a)
        key = (x.id, y.id)
        # A pair found by both routes is a fact-key pair: it is compared whatever its cosine.
        if key not in pairs or via == "fact-key":
            pairs[key] = CandidatePair(x.id, y.id, round(sim, 4), via)

    for (i, j), sim in near.items():
        for a in by_sentence[sentence_ids[i]]:
            for b in by_sentence[sentence_ids[j]]:
                add(a, b, sim, "embedding")

    index: dict[tuple, list[Claim]] = defaultdict(list)
    for claim in claims:
        for key in claim_keys(claim):
            index[key].append(claim)
    for key in sorted(index):
        members = index[key]
        if len(members) > MAX_KEY_GROUP:
            continue
        for a, b in key_member_pairs(members, sentence_index, adjusted, groups):
            add(a, b, similarity(a, b), "fact-key")
    return sorted(pairs.values(), key=lambda p: (p.a, p.b))


def key_member_pairs(members: list[Claim], sentence_index: dict[str, int], adjusted: np.ndarray,
                     groups: dict[str, int]) -> list[tuple[Claim, Claim]]:
    """The cross-article pairs of one fact-key group, linear in its size on big corpora.

    Up to `KEY_ALL_PAIRS` members every cross-article pair is kept (as on small corpora);
    in a larger group each member keeps only its `KEY_NEIGHBOURS` most similar members of
    other source groups, so a key costs at most size x KEY_NEIGHBOURS pairs, not size^2 / 2.
    """
    if len(members) <= KEY_ALL_PAIRS:
        return [(a, b) for a, b in combinations(members, 2) if a.doc_id != b.doc_id]
    rows = np.asarray([sentence_index[m.sentence_id] for m in members])
    member_groups = np.asarray([groups[m.doc_id] for m in members])
    sims = adjusted[rows] @ adjusted[rows].T
    sims[member_groups[:, None] == member_groups[None, :]] = -np.inf
    k = min(KEY_NEIGHBOURS, len(members) - 1)
    best = np.argpartition(-sims, k - 1, axis=1)[:, :k]
    rows_i, cols = np.nonzero(np.isfinite(np.take_along_axis(sims, best, axis=1)))
    return [(members[i], members[j]) for i, j in zip(rows_i.tolist(), best[rows_i, cols].tolist(), strict=True)]
