import numpy as np
import pytest

from discrepancy import embedding
from discrepancy.cache import CacheWarning
from discrepancy.embedding import EmbeddingCache, embed_sentences


def embed_vectors(texts, **kwargs):
    """Sentence vectors only (no spans)."""
    return embed_sentences(texts, **kwargs)[0]

def test_vectors_are_unit_length_and_cached(tmp_path, monkeypatch):
    cache = EmbeddingCache(tmp_path / "e.sqlite")
    first = embed_vectors(["The ferry sank.", "A quake struck."], cache=cache)
    assert first.shape == (2, 384)
    assert np.allclose(np.linalg.norm(first, axis=1), 1.0, atol=1e-4)

    def no_model(*args, **kwargs):
        raise AssertionError("a cached text was encoded again")

    monkeypatch.setattr(embedding, "load_model", no_model)
    second = embed_vectors(["A quake struck.", "The ferry sank."], cache=cache)
    assert np.allclose(second, first[::-1])


def test_corrupt_cache_is_rebuilt(tmp_path):
    path = tmp_path / "e.sqlite"
    path.write_bytes(b"this is not a database")
    with pytest.warns(CacheWarning, match="could not be read .* it was rebuilt"):
        vectors = embed_vectors(["Hello."], cache=EmbeddingCache(path))
    assert vectors.shape == (1, 384)
    assert EmbeddingCache(path).get_many([]) == {}
