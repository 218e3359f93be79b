import numpy as np

from discrepancy.aligning import neighbour_pairs, remove_topic


def unit(rows):
    rows = np.asarray(rows, dtype=np.float32)
    return rows / np.linalg.norm(rows, axis=1, keepdims=True)


def test_neighbours_never_pair_the_same_group():
    vectors = unit([[1, 0, 0], [1, 0.01, 0], [0.9, 0.1, 0], [0, 1, 0]])
    pairs = neighbour_pairs(vectors, [0, 0, 1, 1], top_k=2, threshold=0.0)
    assert (0, 1) not in pairs  # same article
    assert (0, 2) in pairs and (1, 2) in pairs


def test_chunking_gives_the_same_pairs(monkeypatch):
    rng = np.random.default_rng(0)
    vectors = unit(rng.normal(size=(50, 8)))
    groups = [i % 5 for i in range(50)]
    whole = neighbour_pairs(vectors, groups, top_k=3, threshold=0.2)
    monkeypatch.setattr("discrepancy.aligning.CHUNK_ROWS", 7)
    chunked = neighbour_pairs(vectors, groups, top_k=3, threshold=0.2)
    assert chunked.keys() == whole.keys()
    assert all(abs(chunked[k] - whole[k]) < 1e-5 for k in whole)


def test_topic_removal_separates_same_topic_sentences():
    topic = np.array([5, 0, 0, 0], dtype=np.float32)
    vectors = unit([topic + [0, 1, 0, 0], topic + [0, 0, 1, 0], topic + [0, 0, 0, 1], topic + [0, 1, 0.1, 0]])
    raw = float(vectors[0] @ vectors[1])
    adjusted = remove_topic(vectors)
    assert raw > 0.9
    assert float(adjusted[0] @ adjusted[1]) < 0.2
    assert float(adjusted[0] @ adjusted[3]) > 0.8
