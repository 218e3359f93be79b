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


# ------------------------------------------------------------------------------------------ backends


def test_backend_names_are_checked():
    with pytest.raises(embedding.DiscrepancyError, match="unknown encoder backend 'onnx'"):
        embedding.check_backend_name("onnx")
    with pytest.raises(embedding.DiscrepancyError, match="unknown encoder backend"):
        embed_vectors(["Hello."], backend="fp16")


def test_auto_is_fp32_torch_when_openvino_is_missing_and_asking_for_it_is_an_error(monkeypatch):
    monkeypatch.setattr(embedding, "backend_installed", lambda backend: backend == "torch")
    assert embedding.backend_choice(embedding.DEFAULT_MODEL, "cpu", "auto") == ("torch", "")
    assert embedding.backend_choice(embedding.DEFAULT_MODEL, "cpu", "torch") == ("torch", "")
    with pytest.raises(embedding.DiscrepancyError, match=r"OpenVINO is not installed \(pip install"):
        embedding.backend_choice(embedding.DEFAULT_MODEL, "cpu", "openvino")


def test_a_gpu_run_stays_on_torch(monkeypatch):
    monkeypatch.setattr(embedding, "resolve_device", lambda device: "cuda")
    monkeypatch.setattr(embedding, "backend_installed", lambda backend: True)
    assert embedding.backend_choice(embedding.DEFAULT_MODEL, "cuda", "auto") == ("torch", "")
    with pytest.raises(embedding.DiscrepancyError, match="runs on the CPU"):
        embedding.backend_choice(embedding.DEFAULT_MODEL, "cuda", "openvino")


def test_agreement_is_measured_once_per_model_and_a_disagreeing_backend_is_not_used(monkeypatch, tmp_path):
    measured = []
    monkeypatch.setattr(embedding, "verdicts_file", lambda: tmp_path / "verdicts.json")
    monkeypatch.setattr(embedding, "backend_installed", lambda backend: True)
    monkeypatch.setattr(embedding, "measure_agreement", lambda model, backend: measured.append(model) or 0.97)
    with pytest.warns(embedding.BackendNote, match=r"disagrees with fp32 .*0\.97000 < 0\.999.*using fp32"):
        assert embedding.choose_backend(embedding.DEFAULT_MODEL, "cpu", "auto") == "torch"
    with pytest.warns(embedding.BackendNote):  # said on every run, measured only once
        assert embedding.choose_backend(embedding.DEFAULT_MODEL, "cpu", "openvino") == "torch"
    assert measured == [embedding.DEFAULT_MODEL]

    monkeypatch.setattr(embedding, "measure_agreement", lambda model, backend: 0.99995)
    (tmp_path / "verdicts.json").write_text("{ damaged", encoding="utf-8")  # measured again, not fatal
    assert embedding.backend_choice(embedding.DEFAULT_MODEL, "cpu", "auto") == ("openvino", "")


def test_the_vector_cache_is_keyed_by_backend(tmp_path, monkeypatch):
    cache = EmbeddingCache(tmp_path / "e.sqlite")
    embed_vectors(["The ferry sank."], cache=cache, backend="torch")
    torch_key = embedding.encoder_fingerprint(embedding.DEFAULT_MODEL, "torch")
    assert torch_key == embedding.model_fingerprint(embedding.DEFAULT_MODEL)  # existing caches stay valid
    assert embedding.encoder_fingerprint(embedding.DEFAULT_MODEL, "openvino") == torch_key + "+openvino"
    loaded = []
    monkeypatch.setattr(embedding, "load_model", lambda model, device, backend: loaded.append(backend) or
                        embedding._load_model(model, "cpu", "torch"))
    embed_vectors(["The ferry sank."], cache=cache, backend="openvino")  # not served the fp32 vector
    assert loaded == ["openvino"]
    assert sorted(cache.info()["groups"]) == [torch_key, torch_key + "+openvino"]


@pytest.mark.skipif(not embedding.backend_installed("openvino"), reason="OpenVINO not installed (optional extra)")
def test_openvino_gives_the_fp32_answers(tmp_path):
    assert embedding.backend_agreement(embedding.DEFAULT_MODEL, "openvino") >= embedding.AGREEMENT
    texts = ["The bridge in Kestrel Falls reopened on 4 May.", "Ferry Dawn carried 212 people, officials said."]
    groups = [[((4, 10),), ((15, 27), (31, 38))], [((0, 10),)]]
    reference, pooled_reference = embed_sentences(texts, groups, backend="torch")
    vectors, pooled = embed_sentences(texts, groups, backend="openvino")
    assert np.min(np.sum(reference * vectors, axis=1)) >= 0.999
    for a, b in zip(pooled_reference, pooled, strict=True):
        assert np.min(np.sum(a * b, axis=1)) >= 0.999


def test_setting_threads_does_not_import_torch_before_a_model_is_needed():
    import subprocess
    import sys

    code = ("import sys; from discrepancy.embedding import set_threads; set_threads(1); "
            "assert 'torch' not in sys.modules; "
            "from discrepancy.embedding import load_model; import torch; load_model(); "
            "assert torch.get_num_threads() == 1")
    subprocess.run([sys.executable, "-c", code], check=True, timeout=300)


def test_a_warm_run_without_a_gpu_does_not_import_torch_to_choose_the_backend(monkeypatch):
    monkeypatch.setattr(embedding, "gpu_possible", lambda: False)
    assert embedding.resolve_device("auto") == "cpu"
    import subprocess
    import sys

    code = ("import sys; from discrepancy import embedding; embedding.gpu_possible = lambda: False; "
            "embedding.backend_installed = lambda backend: backend == 'torch'; "
            "assert embedding.backend_choice(embedding.DEFAULT_MODEL) == ('torch', ''); "
            "assert 'torch' not in sys.modules")
    subprocess.run([sys.executable, "-c", code], check=True, timeout=300)


def test_an_optional_backend_that_fails_to_load_falls_back_to_fp32(monkeypatch, tmp_path):
    def broken(model, backend):
        raise embedding.DiscrepancyError("cannot load model from x (openvino): export failed")

    monkeypatch.setattr(embedding, "verdicts_file", lambda: tmp_path / "verdicts.json")
    monkeypatch.setattr(embedding, "backend_installed", lambda backend: True)
    monkeypatch.setattr(embedding, "resolve_device", lambda device: "cpu")
    monkeypatch.setattr(embedding, "measure_agreement", broken)
    chosen, note = embedding.backend_choice(embedding.DEFAULT_MODEL, "cpu", "auto")
    assert chosen == "torch" and "could not be used" in note and "export failed" in note
    with pytest.raises(embedding.DiscrepancyError, match="export failed"):  # asked for by name: an error
        embedding.backend_choice(embedding.DEFAULT_MODEL, "cpu", "openvino")
