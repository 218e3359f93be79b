"""Aligning: which values of different articles may answer the same question.

Every value of every claim goes into one `ValueTable` with its contextual vectors
(its clause without the value, the noun it measures, the verb it hangs on) and
the vector of its sentence with the corpus mean removed (in a corpus about one
event every sentence shares that topic, and the raw cosine mostly measures it).

Candidates are pairs of values of one comparable type (a length with a length, a
date with a date, a denied clause with an affirmed one) from different source
groups (syndicated copies are one source). A type shared by few values pairs them
all, whatever the sentences' similarity: a conflicting figure often sits in a
sentence about something else. A type shared by many keeps, for each value, its
`top_k` nearest values of each other source by context, so candidates grow linearly
with the corpus. Whether a candidate pair really answers one question is decided
later, by the fitted slot scorer.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np

from .records import Claim, Value

ALL_PAIRS = 200  # a comparable type with at most this many values pairs them all
NEIGHBOURS_PER_SOURCE = 5  # otherwise: each value's nearest values in each other source


def remove_topic(vectors: np.ndarray) -> np.ndarray:
    """Subtract the corpus mean and renormalise (the common topic carries no comparison signal)."""
    if len(vectors) < 3:
        return vectors
    centred = vectors - vectors.mean(axis=0, keepdims=True)
    norms = np.linalg.norm(centred, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return (centred / norms).astype(np.float32)


@dataclass
class ValueTable:
    """Every value of a corpus in one place: `refs[i]` is (claim index, value index in the claim)."""

    claims: list[Claim]
    refs: list[tuple[int, int]]
    context: np.ndarray  # (n, d) contextual vectors of the value's clause, the value left out
    head: np.ndarray  # (n, d) the measured or counted noun (zero row when none)
    verb: np.ndarray  # (n, d) the verb the value hangs on (zero row when none)
    sentence: np.ndarray  # (n, d) the sentence vector, topic removed
    groups: list[int]  # source group of each value's article
    headings: list[bool] = field(default_factory=list)
    sentence_rows: list[int] = field(default_factory=list)  # each value's row in `sentences`
    sentences: np.ndarray | None = None  # (m, d) every sentence vector, topic removed
    sentence_docs: list[str] = field(default_factory=list)  # each sentence's document

    def value(self, i: int) -> Value:
        c, v = self.refs[i]
        return self.claims[c].values[v]

    def claim(self, i: int) -> Claim:
        return self.claims[self.refs[i][0]]

    def __len__(self) -> int:
        return len(self.refs)


def comparable_type(value: Value) -> str:
    """Values of one type can answer one question: a length with a length, a place with a place of the
    same role, a person's name with a person's name. Increments are compared as counts all the same."""
    if value.kind == "quantity" and value.amount is not None:
        return "quantity:" + value.amount.dimension
    if value.kind == "place":
        return "place:" + (value.role or "at")
    if value.kind == "name":
        return "name:" + value.role.split(":")[0]
    return value.kind


def value_key(value: Value) -> str:
    """What makes two values the same value: the figure in base units, else the normalised text."""
    if value.amount is not None:
        return f"{value.amount.dimension}:{value.amount.exact:.6g}"
    if value.date is not None:
        return f"date:{value.date.start}:{value.date.end}"
    return f"{value.kind}:{value.norm}"


def candidate_pairs(table: ValueTable, top_k: int = NEIGHBOURS_PER_SOURCE) -> list[tuple[int, int]]:
    """Pairs (i, j), i < j, of comparable values from different source groups."""
    by_type: dict[str, list[int]] = defaultdict(list)
    for i in range(len(table)):
        by_type[comparable_type(table.value(i))].append(i)
    pairs: set[tuple[int, int]] = set()
    groups = np.asarray(table.groups)
    for kind in sorted(by_type):
        members = by_type[kind]
        if kind == "polarity":
            pairs.update(polarity_pairs(table, members, top_k))
            continue
        if len(members) <= ALL_PAIRS:
            for x, i in enumerate(members):
                for j in members[x + 1:]:
                    if groups[i] != groups[j]:
                        pairs.add((i, j) if i < j else (j, i))
            continue
        pairs.update(nearest_pairs(table, members, top_k))
    return sorted(pairs)


MAX_PARTNERS = 16  # a common type: each value keeps at most this many nearest values in other sources
BLOCK_ROWS = 512  # similarities computed a block of rows at a time: memory stays bounded
SHORTLIST = 64  # columns ranked per row first; a row that needs more is ranked in full


def nearest_pairs(table: ValueTable, members: list[int], top_k: int) -> set[tuple[int, int]]:
    """Each member's nearest members (by context) in other source groups: at most `top_k` from one
    source and `MAX_PARTNERS` in all, so candidates grow linearly with the corpus.

    Exact search, a block of rows at a time (memory stays bounded). Each row ranks only its
    `SHORTLIST` most similar columns (and every column tied with the last of them), which is
    linear in the row's length; a row whose shortlist runs out before it keeps `MAX_PARTNERS`
    partners is ranked in full. The order is that of a stable full sort (similarity, then
    column), so the pairs are exactly those of ranking every row in full."""
    rows = np.asarray(members)
    vectors = table.context[rows]
    member_groups = np.asarray([table.groups[i] for i in members])
    n = len(members)
    out: set[tuple[int, int]] = set()
    for lo in range(0, n, BLOCK_ROWS):
        sims = vectors[lo:lo + BLOCK_ROWS] @ vectors.T
        sims[member_groups[lo:lo + BLOCK_ROWS, None] == member_groups[None, :]] = -np.inf
        if n > SHORTLIST:
            cutoff = -np.partition(-sims, SHORTLIST - 1, axis=1)[:, SHORTLIST - 1]
        else:
            cutoff = np.full(len(sims), -np.inf, dtype=sims.dtype)
        for r, row in enumerate(sims):
            short = np.flatnonzero(row >= cutoff[r])
            ranked = short[np.lexsort((short, -row[short]))]
            partners, exhausted = keep_partners(ranked, row, member_groups, top_k)
            if exhausted and len(short) < n and len(partners) < MAX_PARTNERS:
                partners, _ = keep_partners(np.argsort(-row, kind="stable"), row, member_groups, top_k)
            for c in partners:
                i, j = members[lo + r], members[c]
                out.add((i, j) if i < j else (j, i))
    return out


def keep_partners(ranked: np.ndarray, row: np.ndarray, member_groups: np.ndarray,
                  top_k: int) -> tuple[list[int], bool]:
    """The columns kept from `ranked` (most similar first), and whether `ranked` ran out before
    the walk would have stopped (so columns beyond it might still be kept)."""
    taken: dict[int, int] = {}
    kept: list[int] = []
    for c in ranked:
        if not np.isfinite(row[c]) or len(kept) >= MAX_PARTNERS:
            return kept, False
        group = int(member_groups[c])
        if taken.get(group, 0) >= top_k:
            continue
        taken[group] = taken.get(group, 0) + 1
        kept.append(int(c))
    return kept, True


def shares_figure(table: ValueTable, i: int, j: int) -> bool:
    keys_i = {value_key(v) for v in table.claim(i).values if v.kind == "quantity"}
    return any(value_key(v) in keys_i for v in table.claim(j).values if v.kind == "quantity")


POLARITY_SOURCES = 50  # a denial is compared with the affirmations of at most this many sources


def polarity_pairs(table: ValueTable, members: list[int], top_k: int) -> set[tuple[int, int]]:
    """A denied clause against the affirmed clauses of other sources closest to it in content: the
    `max(top_k, 5)` closest of each source, in at most `POLARITY_SOURCES` sources (those holding the
    closest affirmations; every source of a corpus of ordinary size), so the pairs grow linearly."""
    denied = [i for i in members if table.value(i).negated]
    affirmed = [i for i in members if not table.value(i).negated]
    out: set[tuple[int, int]] = set()
    if not denied or not affirmed:
        return out
    aff = np.asarray(affirmed)
    aff_groups = np.asarray([table.groups[i] for i in affirmed])
    per_source = max(top_k, 5)
    values = {i: table.value(i) for i in members}
    heads = {i: set(values[i].head.split()) for i in members}
    for i in denied:
        sims = table.context[aff] @ table.context[i]
        vi = values[i]
        # Affirmations by source, most similar first (ties: in table order), the first `per_source` of each.
        order = np.lexsort((np.arange(len(affirmed)), -sims, aff_groups))
        ranked_groups = aff_groups[order]
        starts = np.flatnonzero(np.r_[True, ranked_groups[1:] != ranked_groups[:-1]])
        rank = np.arange(len(order)) - np.repeat(starts, np.diff(np.r_[starts, len(order)]))
        chosen = order[(rank < per_source) & (ranked_groups != table.groups[i])]
        sources = sorted(set(aff_groups[chosen].tolist()))
        if len(sources) > POLARITY_SOURCES:  # the sources whose closest affirmation is closest
            leaders = order[starts]
            leaders = leaders[aff_groups[leaders] != table.groups[i]]
            leaders = leaders[np.lexsort((aff_groups[leaders], -sims[leaders]))][:POLARITY_SOURCES]
            keep = set(aff_groups[leaders].tolist())
            chosen = chosen[np.isin(aff_groups[chosen], list(keep))]
        for c in chosen.tolist():
            j = affirmed[c]
            vj = values[j]
            # The same assertion: the same verb of the same thing, or a synonym verb of it, or a
            # figure both clauses state ('soared to 11,300' / 'denied it reached 11,300').
            shared = heads[i] & heads[j]
            # A denial contradicts an affirmation only about the same thing: the thing each clause
            # affirms or denies, its head noun, is one ('no investigation was launched' /
            # 'an investigation was launched'). A head merely named elsewhere in the other clause
            # ('no update on the repairs' / 'a repair survey is ongoing') is another assertion.
            if not shared:
                continue
            if vi.verb != vj.verb and not (shared and (float(table.verb[i] @ table.verb[j]) >= 0.6
                                                       or shares_figure(table, i, j))):
                continue
            out.add((i, j) if i < j else (j, i))
    return out
