"""Duplicate detection: candidate pairs only, the same groups as measuring every pair."""

from __future__ import annotations

import random

import pytest

from discrepancy.duplicates import containment, qualifying_pairs, shingles, source_groups
from discrepancy.records import Document, DuplicateGroup

WORDS = ["ferry", "dawn", "sailed", "from", "kestrel", "falls", "harbour", "at", "noon", "with", "crew", "and",
         "passengers", "aboard", "the", "bridge", "council", "said", "inspectors", "found", "cracks", "before",
         "storm", "closed", "road", "north", "of", "river", "valley", "station"]
VOCABULARY = WORDS + [f"term{n}" for n in range(300)]  # wide enough that unrelated texts share no 5-gram


def doc(doc_id: str, text: str) -> Document:
    return Document(doc_id, f"{doc_id}.txt", doc_id, "unknown", None, "", text)


def all_pairs_groups(documents: list[Document], threshold: float):
    """The reference: every pair measured (what duplicate detection did before candidate pairs)."""
    ids = [d.id for d in documents]
    sets = [shingles(d.text) for d in documents]
    exact = [d.text.strip() for d in documents]
    parent = list(range(len(ids)))

    def find(x):
        while parent[x] != x:
            x = parent[x]
        return x

    scores = {}
    for i in range(len(ids)):
        for j in range(i + 1, len(ids)):
            score = 1.0 if exact[i] and exact[i] == exact[j] else containment(sets[i], sets[j])
            if score >= threshold:
                scores[(i, j)] = score
                ri, rj = find(i), find(j)
                parent[max(ri, rj)] = min(ri, rj)
    members = {}
    for n in range(len(ids)):
        members.setdefault(find(n), []).append(n)
    groups, duplicates = {}, []
    for number, root in enumerate(sorted(members)):
        for n in members[root]:
            groups[ids[n]] = number
        if len(members[root]) > 1:
            inside = set(members[root])
            sims = [s for (i, j), s in scores.items() if i in inside and j in inside]
            duplicates.append(DuplicateGroup(tuple(sorted(ids[n] for n in members[root])), round(max(sims), 3)))
    return groups, duplicates


def generated_corpus(seed: int, n: int) -> list[Document]:
    """Originals, copies with words changed, added or cut, exact copies, and tiny texts."""
    rng = random.Random(seed)
    originals = [[rng.choice(VOCABULARY) for _ in range(rng.randint(3, 60))] for _ in range(max(2, n // 3))]
    documents = []
    for k in range(n):
        base = list(rng.choice(originals))
        roll = rng.random()
        if roll < 0.3:
            base = [rng.choice(VOCABULARY) for _ in range(rng.randint(1, 40))]
        elif roll < 0.6:
            for _ in range(rng.randint(0, 6)):
                base[rng.randrange(len(base))] = rng.choice(VOCABULARY)
        elif roll < 0.8:
            base = base[rng.randint(0, len(base) // 3):] + [rng.choice(VOCABULARY) for _ in range(rng.randint(0, 15))]
        documents.append(doc(f"d{k:03d}", " ".join(base) + ("\n" if rng.random() < 0.2 else "")))
    return documents


@pytest.mark.parametrize("seed", range(12))
@pytest.mark.parametrize("threshold", [0.3, 0.6, 0.9, 1.0])
def test_groups_equal_measuring_every_pair(seed, threshold):
    documents = generated_corpus(seed, 60)
    assert source_groups(documents, threshold) == all_pairs_groups(documents, threshold)


def test_some_generated_corpora_have_groups():
    # The comparison above means something only when there are groups to find, of several sizes.
    sizes = {len(g.doc_ids) for seed in range(12) for g in source_groups(generated_corpus(seed, 60), 0.6)[1]}
    assert 2 in sizes and max(sizes) >= 4


def test_qualifying_pairs_are_those_measured_one_by_one(monkeypatch):
    from discrepancy import duplicates

    monkeypatch.setattr(duplicates, "BLOCK_ROWS", 7)  # several blocks, the last one partial
    for seed in range(4):
        sets = [shingles(d.text) for d in generated_corpus(seed, 40)]
        for threshold in (0.3, 0.6, 1.0):
            truth = [(i, j, containment(sets[i], sets[j])) for i in range(40) for j in range(i + 1, 40)
                     if containment(sets[i], sets[j]) >= threshold]
            assert qualifying_pairs(sets, threshold) == truth


def test_identical_texts_are_one_group_even_without_words():
    documents = [doc("a", "— —"), doc("b", "Ferry Dawn sailed."), doc("c", "— —\n")]
    groups, duplicates = source_groups(documents, 0.6)
    assert groups == {"a": 0, "b": 1, "c": 0}
    assert duplicates == [DuplicateGroup(("a", "c"), 1.0)]


def test_threshold_zero_puts_everything_in_one_group():
    documents = generated_corpus(3, 10)
    assert source_groups(documents, 0.0) == all_pairs_groups(documents, 0.0)
