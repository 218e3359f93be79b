"""Syndicated copies: articles that reproduce the same wire text count as one source.

Two articles are copies when most of the shorter one's word 5-grams also occur in
the other (containment, so a copy with one added paragraph or a different footer
still matches). Byte-identical files score 1.0. Copies are put in one source
group: the aligner never pairs claims inside a group (so copies never conflict
with each other) and findings count sources by group (so a copy never counts as
independent corroboration).

Only candidate pairs are measured (`candidate_pairs`: prefix filtering on an
inverted index of shingles), so the cost grows with the shingles articles share,
not with the square of their number, and the groups are exactly those of
measuring every pair (tests/test_duplicates.py checks that on generated corpora).

Shingles are hashed with a stable hash (BLAKE2b), not Python's `hash()`, which
is salted per process: groups and reports must not depend on PYTHONHASHSEED.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections import Counter, defaultdict

from .records import Document, DuplicateGroup

SHINGLE = 5
WORD = re.compile(r"\w+")


def stable_hash(text: str) -> int:
    """A 64-bit hash of `text` that is the same in every process and on every machine."""
    digest = hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=8).digest()
    return int.from_bytes(digest, "big")


def shingles(text: str) -> set[int]:
    """Hashed word 5-grams of `text` (case-insensitive); a text shorter than that is one shingle."""
    words = WORD.findall(text.lower())
    if not words:
        return set()
    if len(words) < SHINGLE:
        return {stable_hash(" ".join(words))}
    return {stable_hash(" ".join(words[i:i + SHINGLE])) for i in range(len(words) - SHINGLE + 1)}


def containment(a: set[int], b: set[int]) -> float:
    """Share of the smaller set's shingles found in the other one (0 when either is empty)."""
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


def required_overlap(size: int, threshold: float) -> int:
    """The fewest shared shingles that give a set of `size` shingles containment ≥ `threshold`
    (the same float comparison `containment` makes; `size + 1` when none can)."""
    for k in range(max(1, math.ceil(threshold * size) - 1), size + 1):
        if k / size >= threshold:
            return k
    return size + 1


def candidate_pairs(sets: list[set[int]], threshold: float) -> set[tuple[int, int]]:
    """Every pair (i, j), i < j, whose containment can reach `threshold` (threshold > 0), without
    looking at all pairs: prefix filtering on an inverted index of shingles.

    A set `a` no larger than `b` with containment ≥ t shares at least k = `required_overlap(|a|, t)`
    shingles with `b`, so `b` holds at least one of any |a| - k + 1 shingles of `a`. Each set
    probes the index with that many of its shingles, the rarest in the corpus first (a rare
    shingle's list of articles is short; boilerplate shared by every article is probed last, if
    ever). No qualifying pair is missed; the caller measures each candidate exactly.
    """
    frequency: Counter[int] = Counter(h for s in sets for h in s)
    index: dict[int, list[int]] = defaultdict(list)
    for n, s in enumerate(sets):
        for h in s:
            index[h].append(n)
    pairs: set[tuple[int, int]] = set()
    for a, s in enumerate(sets):
        size = len(s)
        if not size:
            continue
        probes = size - required_overlap(size, threshold) + 1
        if probes <= 0:
            continue
        for h in sorted(s, key=lambda h: (frequency[h], h))[:probes]:
            for b in index[h]:
                if b != a and len(sets[b]) >= size:
                    pairs.add((a, b) if a < b else (b, a))
    return pairs


def source_groups(documents: list[Document], threshold: float) -> tuple[dict[str, int], list[DuplicateGroup]]:
    """Map each document id to a source group; list the groups holding more than one article.

    Groups are numbered in document order (the group of the first document is 0) and
    each `DuplicateGroup` lists its ids sorted, with the highest pairwise containment.
    The groups are those of comparing every pair of articles, found without doing so:
    byte-identical texts are one article from the start, and only `candidate_pairs` are measured.
    """
    ids = [d.id for d in documents]
    parent = list(range(len(ids)))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(i: int, j: int) -> None:
        ri, rj = find(i), find(j)
        parent[max(ri, rj)] = min(ri, rj)  # the earliest document is the root

    # Identical texts (score 1.0, the highest there is) are one node: the first document with that text.
    first_of: dict[str, int] = {}
    nodes: list[int] = []
    best: dict[int, float] = {}  # the highest qualifying score seen at each node, merged per group below
    for n, document in enumerate(documents):
        text = document.text.strip()
        if text and text in first_of:
            union(first_of[text], n)
            best[first_of[text]] = 1.0
            continue
        if text:
            first_of[text] = n
        nodes.append(n)
    sets = [shingles(documents[n].text) for n in nodes]
    if threshold > 0:
        pairs = candidate_pairs(sets, threshold)
    else:  # every pair qualifies
        pairs = {(x, y) for x in range(len(nodes)) for y in range(x + 1, len(nodes))}
    for x, y in sorted(pairs):
        score = containment(sets[x], sets[y])
        if score >= threshold:
            i, j = nodes[x], nodes[y]
            union(i, j)
            best[i] = max(best.get(i, 0.0), score)
    members: dict[int, list[int]] = {}
    for n in range(len(ids)):
        members.setdefault(find(n), []).append(n)
    top: dict[int, float] = {}
    for n, score in best.items():
        root = find(n)
        top[root] = max(top.get(root, 0.0), score)
    groups: dict[str, int] = {}
    duplicate_groups: list[DuplicateGroup] = []
    for number, root in enumerate(sorted(members)):
        for n in members[root]:
            groups[ids[n]] = number
        if len(members[root]) > 1:
            group_ids = tuple(sorted(ids[n] for n in members[root]))
            duplicate_groups.append(DuplicateGroup(group_ids, round(top[root], 3) if root in top else 1.0))
    return groups, duplicate_groups
