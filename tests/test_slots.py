"""Slot features: the most similar sentence of another document, computed only where it is needed."""

import numpy as np

from discrepancy.aligning import ValueTable
from discrepancy.slots import best_sentences


def sentence_table(sentences: int, docs: int, seed: int = 0) -> ValueTable:
    rng = np.random.default_rng(seed)
    vectors = rng.normal(size=(sentences, 16)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    vectors[7] = vectors[3]  # a sentence repeated in one document: ties
    sentence_docs = [f"d{k % docs}" for k in range(sentences)]
    rows = list(range(0, sentences, 3))
    zero = np.zeros((len(rows), 16), dtype=np.float32)
    return ValueTable([], [(0, 0)] * len(rows), zero, zero, zero, zero, [0] * len(rows), [False] * len(rows),
                      rows, vectors, sentence_docs)


def test_needed_keys_get_the_answers_of_comparing_every_sentence_with_every_document():
    table = sentence_table(120, 8)
    every = best_sentences(table)
    assert len(every) == len(set(table.sentence_rows)) * 8
    for r, doc in list(every)[:5]:
        columns = [c for c, d in enumerate(table.sentence_docs) if d == doc]
        assert every[(r, doc)] == max(columns, key=lambda c: float(table.sentences[r] @ table.sentences[c]))
    needed = {(r, f"d{(r * 5) % 8}") for r in table.sentence_rows} | {(3, "d4"), (3, "d7"), (3, "nowhere")}
    assert best_sentences(table, needed) == {key: every[key] for key in needed if key in every}
