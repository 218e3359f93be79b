"""Syndicated copies: articles that reproduce the same wire text count as one source.

Two articles are copies when most of the shorter one's word 5-grams also occur in
the other (containment, so a copy with one added paragraph or a different footer
still matches). Byte-identical files score 1.0. Copies are put in one source
group: the aligner never pairs claims inside a group (so copies never conflict
with each other) and findings count sources by group (so a copy never counts as
independent corroboration).

Shingles are hashed with a stable hash (BLAKE2b), not Python's `hash()`, which
is salted per process: groups and reports must not depend on PYTHONHASHSEED.
"""

from __future__ import annotations

import hashlib
import re

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


def source_groups(documents: list[Document], threshold: float) -> tuple[dict[str, int], list[DuplicateGroup]]:
    """Map each document id to a source group; list the groups holding more than one article.

    Groups are numbered in document order (the group of the first document is 0) and
    each `DuplicateGroup` lists its ids sorted, with the highest pairwise containment.
    """
    ids = [d.id for d in documents]
    sets = [shingles(d.text) for d in documents]
    exact = [d.text.strip() for d in documents]
    parent = list(range(len(ids)))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    scores: dict[tuple[int, int], float] = {}
    for i in range(len(ids)):
        for j in range(i + 1, len(ids)):
            score = 1.0 if exact[i] and exact[i] == exact[j] else containment(sets[i], sets[j])
            if score >= threshold:
                scores[(i, j)] = score
                ri, rj = find(i), find(j)
                parent[max(ri, rj)] = min(ri, rj)  # the earliest document is the root
    members: dict[int, list[int]] = {}
    for n in range(len(ids)):
        members.setdefault(find(n), []).append(n)
    groups: dict[str, int] = {}
    duplicate_groups: list[DuplicateGroup] = []
    for number, root in enumerate(sorted(members)):
        for n in members[root]:
            groups[ids[n]] = number
        if len(members[root]) > 1:
            inside = set(members[root])
            sims = [s for (i, j), s in scores.items() if i in inside and j in inside]
            group_ids = tuple(sorted(ids[n] for n in members[root]))
            duplicate_groups.append(DuplicateGroup(group_ids, round(max(sims), 3) if sims else 1.0))
    return groups, duplicate_groups
