"""Syndicated copies: articles that reproduce the same wire text count as one source.

Two articles are copies when most of the shorter one's word 5-grams also occur in
the other (containment, so a copy with one added paragraph or a different footer
still matches). Byte-identical files score 1.0. Copies are put in one source
group: the aligner never pairs claims inside a group (so copies never conflict
with each other) and findings count sources by group (so a copy never counts as
independent corroboration).

Pairs are never compared one by one: the overlaps of all pairs that share a
shingle are counted at once by a sparse matrix product, a block of articles at a
time (`qualifying_pairs`), so the groups are exactly those of measuring every
pair (tests/test_duplicates.py checks that on generated corpora) at a small
fraction of the cost, in bounded memory.

Shingles are hashed with a stable hash (BLAKE2b), not Python's `hash()`, which
is salted per process: groups and reports must not depend on PYTHONHASHSEED.
"""

from __future__ import annotations

import hashlib
import re

import numpy as np

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


BLOCK_ROWS = 512  # articles whose overlaps are counted at once: memory stays bounded


def shingle_matrix(sets: list[set[int]]):
    """A sparse 0/1 matrix, one row per set, one column per distinct shingle (in order of first sight)."""
    from scipy import sparse

    column: dict[int, int] = {}
    indptr, indices = [0], []
    for s in sets:
        indices.extend(column.setdefault(h, len(column)) for h in sorted(s))
        indptr.append(len(indices))
    data = np.ones(len(indices), dtype=np.int32)
    return sparse.csr_matrix((data, np.asarray(indices, dtype=np.int64), np.asarray(indptr, dtype=np.int64)),
                             shape=(len(sets), max(1, len(column))))


def qualifying_pairs(sets: list[set[int]], threshold: float) -> list[tuple[int, int, float]]:
    """(i, j, containment), i < j, of every pair with containment ≥ `threshold` (threshold > 0),
    without measuring every pair: only pairs that share a shingle have any overlap, and their
    overlaps are counted together by a sparse matrix product (rows × shingles × rows), a block of
    rows at a time. Scores are the same float division `containment` makes."""
    matrix = shingle_matrix(sets)
    sizes = np.diff(matrix.indptr)
    transposed = matrix.T.tocsr()
    out: list[tuple[int, int, float]] = []
    for lo in range(0, len(sets), BLOCK_ROWS):
        overlaps = (matrix[lo:lo + BLOCK_ROWS] @ transposed).tocoo()
        rows = overlaps.row.astype(np.int64) + lo
        cols = overlaps.col.astype(np.int64)
        upper = cols > rows
        rows, cols, shared = rows[upper], cols[upper], overlaps.data[upper].astype(np.float64)
        scores = shared / np.minimum(sizes[rows], sizes[cols])
        keep = np.flatnonzero(scores >= threshold)
        out.extend((int(rows[k]), int(cols[k]), float(scores[k])) for k in keep)
    out.sort()
    return out


def source_groups(documents: list[Document], threshold: float) -> tuple[dict[str, int], list[DuplicateGroup]]:
    """Map each document id to a source group; list the groups holding more than one article.

    Groups are numbered in document order (the group of the first document is 0) and
    each `DuplicateGroup` lists its ids sorted, with the highest pairwise containment.
    The groups are those of comparing every pair of articles, found without doing so:
    byte-identical texts are one article from the start, and `qualifying_pairs` counts overlaps
    only where articles share a shingle.
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
        pairs = qualifying_pairs(sets, threshold)
    else:  # every pair qualifies, even one sharing nothing
        pairs = [(x, y, containment(sets[x], sets[y])) for x in range(len(nodes)) for y in range(x + 1, len(nodes))]
    for x, y, score in pairs:
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
