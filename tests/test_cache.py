"""Caches a user can trust: analyses and vectors reused only when valid, never fatal,
interrupt-safe; warm runs load no model; big fact-key groups stay linear."""

import sqlite3
from datetime import date

import numpy as np
import pytest
from typer.testing import CliRunner

from discrepancy import aligning, cache, embedding, pipeline
from discrepancy.cache import (
    ANALYSIS_FILE,
    EMBEDDINGS_FILE,
    AnalysisCache,
    analysis_key,
    decode_drafts,
    encode_drafts,
    pipeline_version,
)
from discrepancy.cli import app
from discrepancy.embedding import EmbeddingCache, embed_texts
from discrepancy.pipeline import analyze_block, analyze_blocks, check_corpus, segment_and_extract
from discrepancy.records import Claim, Document
from discrepancy.reporting import to_json
from tests.conftest import write_article

BLOCK = ("The S-400 was delivered to Turkey in July 2019 at a cost of $2.5 billion, officials said. "
         "It is reportedly located at the Anamur-Mersin military base, not in Ankara.")
PUBLISHED = date(2020, 5, 1)


def doc(text: str, doc_id: str = "d1") -> Document:
    return Document(doc_id, f"{doc_id}.txt", "t", "s", PUBLISHED, "u", text)


def small_corpus(folder):
    write_article(folder, "a.txt", "The ferry sank off Andros on 14 January 2025. Seven people were killed, "
                  "the coastguard said.\n\nThe captain, Stavros Kalo, was arrested.", published="2025-01-14")
    write_article(folder, "b.txt", "The ferry sank off Tinos on 14 January 2025. Nine people died, police "
                  "said.\n\nThe captain, Nikos Kalo, was detained.", published="2025-01-15")
    return folder


def test_drafts_survive_the_json_codec(nlp):
    drafts = analyze_block(BLOCK, PUBLISHED, nlp)
    assert any(c.facts for d in drafts for c in d.claims)
    assert decode_drafts(encode_drafts(drafts)) == drafts


def test_codec_refuses_what_it_does_not_know():
    with pytest.raises(TypeError):
        encode_drafts([object()])
    with pytest.raises((ValueError, KeyError)):
        decode_drafts('[{"@": "os.system", "v": ["echo hi"]}]')


def test_analysis_key_depends_on_version_date_and_text():
    base = analysis_key("v1", PUBLISHED, BLOCK)
    assert base == analysis_key("v1", PUBLISHED, BLOCK)
    assert base != analysis_key("v2", PUBLISHED, BLOCK)
    assert base != analysis_key("v1", date(2020, 5, 2), BLOCK)
    assert base != analysis_key("v1", None, BLOCK)
    assert base != analysis_key("v1", PUBLISHED, BLOCK + " ")


def test_pipeline_version_follows_the_extraction_code(monkeypatch):
    assert pipeline_version() == pipeline_version.__wrapped__()  # stable for the same code
    monkeypatch.setattr(cache, "EXTRACTION_MODULES", cache.EXTRACTION_MODULES[:-1])
    assert pipeline_version.__wrapped__() != pipeline_version()  # other code, other version
    monkeypatch.setattr(pipeline, "PIPELINE_VERSION", "test-bump")
    assert "test-bump" in pipeline_version.__wrapped__()


def test_segmenting_reuses_cached_analyses_without_spacy(tmp_path, nlp, monkeypatch):
    store = AnalysisCache(tmp_path / ANALYSIS_FILE)
    docs = [doc(f"Headline 2020\n\n{BLOCK}\n\nA second paragraph. It has two sentences.")]
    first = segment_and_extract(docs, nlp, cache=store)

    def no_spacy(*args, **kwargs):
        raise AssertionError("spaCy was loaded although every block was cached")

    monkeypatch.setattr(pipeline, "load_nlp", no_spacy)
    assert segment_and_extract(docs, cache=store) == first


def test_stale_analyses_are_never_used(tmp_path, nlp):
    store = AnalysisCache(tmp_path / ANALYSIS_FILE)
    docs = [doc(BLOCK)]
    fresh = segment_and_extract(docs, nlp, cache=store)
    # Plant an entry under another version's key: it must not be found for this version.
    store.put_many({analysis_key("v0-old", PUBLISHED, BLOCK): []}, "v0-old")
    assert segment_and_extract(docs, nlp, cache=store) == fresh
    groups = store.info()["groups"]
    assert groups == {pipeline_version(): 1, "v0-old": 1}
    assert store.clear("version != ?", (pipeline_version(),)) == 1
    assert store.info()["groups"] == {pipeline_version(): 1}


@pytest.mark.parametrize("content", [b"this is not a database", b"SQLite format 3\x00" + b"\x07" * 200])
def test_corrupt_analysis_cache_is_rebuilt(tmp_path, nlp, content):
    path = tmp_path / ANALYSIS_FILE
    path.write_bytes(content)
    store = AnalysisCache(path)
    sentences, _ = segment_and_extract([doc(BLOCK)], nlp, cache=store)
    assert sentences
    assert store.info()["status"] == "ok" and store.info()["entries"] == 1


def test_foreign_sqlite_files_are_rebuilt(tmp_path):
    # An SQLite file of another program, and an embedding cache from before the model column.
    for path, sql in ((tmp_path / ANALYSIS_FILE, "CREATE TABLE notes (x TEXT)"),
                      (tmp_path / EMBEDDINGS_FILE, "CREATE TABLE vectors (key TEXT PRIMARY KEY, dim INTEGER, "
                                                   "vec BLOB)")):
        conn = sqlite3.connect(path)
        conn.execute(sql)
        if path.name == EMBEDDINGS_FILE:
            conn.execute("CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT)")
            conn.execute("INSERT INTO meta VALUES ('schema', '1')")
        conn.commit()
        conn.close()
    assert AnalysisCache(tmp_path / ANALYSIS_FILE).get_many(["k"]) == {}
    assert EmbeddingCache(tmp_path / EMBEDDINGS_FILE).get_many(["k"]) == {}
    for name in (ANALYSIS_FILE, EMBEDDINGS_FILE):
        tables = {r[0] for r in sqlite3.connect(tmp_path / name).execute("SELECT name FROM sqlite_master")}
        assert "meta" in tables and "notes" not in tables


def test_unwritable_cache_never_stops_a_run(tmp_path, nlp):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    store = AnalysisCache(blocker / ANALYSIS_FILE)  # its folder cannot be created
    sentences, _ = segment_and_extract([doc(BLOCK)], nlp, cache=store)
    assert sentences
    assert store.get_many(["k"]) == {}


def test_interrupted_analysis_keeps_finished_batches(tmp_path, nlp, monkeypatch):
    store = AnalysisCache(tmp_path / ANALYSIS_FILE)
    monkeypatch.setattr(pipeline, "WRITE_EVERY", 2)
    todo = [(f"k{i}", f"Sentence number {i} was written on Monday.", PUBLISHED) for i in range(7)]
    real = pipeline.analyze_doc
    calls = []

    def interrupt_on_sixth(parsed, published):
        calls.append(1)
        if len(calls) == 6:
            raise KeyboardInterrupt
        return real(parsed, published)

    monkeypatch.setattr(pipeline, "analyze_doc", interrupt_on_sixth)
    with pytest.raises(KeyboardInterrupt):
        analyze_blocks(todo, nlp, store, "v", jobs=1)
    kept = store.get_many([k for k, _, _ in todo])
    assert sorted(kept) == ["k0", "k1", "k2", "k3", "k4"]  # two full batches and the finished remainder


def test_parallel_parsing_gives_the_same_analyses(nlp, monkeypatch):
    monkeypatch.setattr(pipeline, "PARALLEL_MIN_BLOCKS", 2)
    monkeypatch.setattr(pipeline, "TASK_BLOCKS", 2)
    texts = [BLOCK, "Nine people died on Tuesday.", "The minister, Anna Berg, resigned in 2021.",
             "Police arrested 12 people near the port.", "It cost $4 million."]
    todo = [(f"k{i}", t, PUBLISHED) for i, t in enumerate(texts)]
    assert pipeline.worker_count(2, len(todo)) == 2
    assert analyze_blocks(todo, nlp, jobs=2) == analyze_blocks(todo, nlp, jobs=1)


def test_interrupted_embedding_keeps_finished_chunks(tmp_path, monkeypatch):
    store = EmbeddingCache(tmp_path / EMBEDDINGS_FILE)
    monkeypatch.setattr(embedding, "EMBED_CHUNK", 2)
    model = embedding.load_model()
    calls = []

    class Flaky:
        def encode(self, texts, **kwargs):
            calls.append(texts)
            if len(calls) == 2:
                raise KeyboardInterrupt
            return model.encode(texts, **kwargs)

    monkeypatch.setattr(embedding, "load_model", lambda *a, **k: Flaky())
    texts = ["One.", "Two words.", "Three words here.", "Four words are here."]
    with pytest.raises(KeyboardInterrupt):
        embed_texts(texts, cache=store)
    assert store.info()["entries"] == 2
    assert list(store.info()["groups"]) == [embedding.model_fingerprint(embedding.DEFAULT_MODEL)]


def test_warm_run_loads_no_model_and_gives_the_same_result(tmp_path, monkeypatch):
    corpus = small_corpus(tmp_path / "corpus")
    first = check_corpus(corpus, cache_dir=tmp_path / "cache", jobs=1)

    def no_model(*args, **kwargs):
        raise AssertionError("a model was loaded although everything was cached")

    monkeypatch.setattr(pipeline, "load_nlp", no_model)
    monkeypatch.setattr(embedding, "load_model", no_model)
    monkeypatch.setattr(pipeline, "prefetch_model", no_model)
    second = check_corpus(corpus, cache_dir=tmp_path / "cache", jobs=1)
    assert to_json(second) == to_json(first)


def test_cache_info_and_clear_commands(tmp_path):
    corpus = small_corpus(tmp_path / "corpus")
    runner = CliRunner()
    result = runner.invoke(app, ["check", str(corpus), "--quiet", "--json", str(tmp_path / "r.json")])
    assert result.exit_code == 0, result.output
    result = runner.invoke(app, ["cache", "info", str(corpus)])
    assert result.exit_code == 0, result.output
    assert "embeddings" in result.output and "analysis" in result.output and "(current)" in result.output
    assert pipeline_version() in result.output
    result = runner.invoke(app, ["cache", "clear", "--cache-dir", str(corpus / ".discrepancy" / "cache"),
                                 "--kind", "analysis"])
    assert result.exit_code == 0 and "removed" in result.output
    assert not (corpus / ".discrepancy" / "cache" / ANALYSIS_FILE).exists()
    assert (corpus / ".discrepancy" / "cache" / EMBEDDINGS_FILE).exists()
    result = runner.invoke(app, ["cache", "clear", str(corpus)])
    assert result.exit_code == 0
    assert not (corpus / ".discrepancy" / "cache" / EMBEDDINGS_FILE).exists()
    result = runner.invoke(app, ["cache", "info"])
    assert result.exit_code == 2 and "--cache-dir" in result.output


def test_unknown_device_is_a_usage_error(tmp_path):
    corpus = small_corpus(tmp_path / "corpus")
    result = CliRunner().invoke(app, ["check", str(corpus), "--device", "tpu"])
    assert result.exit_code == 2 and "tpu" in result.output


# --- scale: fact-key groups ---------------------------------------------------------------------


def key_group(n: int, seed: int = 0):
    rng = np.random.default_rng(seed)
    vectors = rng.normal(size=(n, 8)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    claims = [Claim(f"d{i}#0.0", f"d{i}#0", f"d{i}", "x", 0, 1) for i in range(n)]
    index = {c.sentence_id: i for i, c in enumerate(claims)}
    groups = {c.doc_id: i for i, c in enumerate(claims)}
    return claims, index, vectors, groups


def test_small_key_groups_pair_everything():
    claims, index, vectors, groups = key_group(aligning.KEY_ALL_PAIRS)
    pairs = aligning.key_member_pairs(claims, index, vectors, groups)
    assert len(pairs) == len(claims) * (len(claims) - 1) // 2


def test_big_key_groups_stay_linear_and_keep_nearest_neighbours():
    n = 300
    claims, index, vectors, groups = key_group(n)
    pairs = aligning.key_member_pairs(claims, index, vectors, groups)
    assert len(pairs) <= n * aligning.KEY_NEIGHBOURS
    found = {frozenset((a.id, b.id)) for a, b in pairs}
    sims = vectors @ vectors.T
    np.fill_diagonal(sims, -np.inf)
    for i in range(0, n, 37):
        nearest = int(np.argmax(sims[i]))
        assert frozenset((claims[i].id, claims[nearest].id)) in found
