"""Syndicated copies: articles that reproduce the same wire text count as one source.

Two articles are copies when most of the shorter one's word 5-grams also occur in
the other (containment, so a copy with one added paragraph still matches).
"""

from __future__ import annotations

import re

from .records import Document, DuplicateGroup

SHINGLE = 5


def shingles(text: str) -> set[int]:
    words = re.findall(r"\w+", text.lower())
    return {hash(" ".join(words[i:i + SHINGLE])) for i in range(max(0, len(words) - SHINGLE + 1))}


def containment(a: set[int], b: set[int]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


def source_groups(documents: list[Document], threshold: float) -> tuple[dict[str, int], list[DuplicateGroup]]:
    """Map each document id to a source group; list the groups holding more than one article."""
    ids = [d.id for d in documents]
    sets = {d.id: shingles(d.text) for d in documents}
    parent = {i: i for i in ids}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    best: dict[tuple[str, str], float] = {}
    for i, a in enumerate(ids):
        for b in ids[i + 1:]:
            score = containment(sets[a], sets[b])
            if score >= threshold:
                best[(a, b)] = score
                parent[find(b)] = find(a)
    members: dict[str, list[str]] = {}
    for doc_id in ids:
        members.setdefault(find(doc_id), []).append(doc_id)
    groups = {}
    duplicate_groups = []
    for n, root in enumerate(sorted(members, key=lambda r: ids.index(r))):
        for doc_id in members[root]:
            groups[doc_id] = n
        if len(members[root]) > 1:
            group_ids = tuple(sorted(members[root]))
            sims = [s for (a, b), s in best.items() if a in group_ids and b in group_ids]
            duplicate_groups.append(DuplicateGroup(group_ids, round(max(sims), 3) if sims else 1.0))
    return groups, duplicate_groups
