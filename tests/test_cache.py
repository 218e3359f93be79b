"""Caches a user can trust: analyses and vectors reused only when valid, never fatal,
interrupt-safe; warm runs load no model; big fact-key groups stay linear."""

import dataclasses
import sqlite3
import warnings
from datetime import date

import numpy as np
import pytest
from typer.testing import CliRunner

from discrepancy import embedding, pipeline
from discrepancy.cache import (
    ALIGNMENT_FILE,
    ANALYSIS_FILE,
    EMBEDDINGS_FILE,
    AlignmentCache,
    CacheWarning,
    DecodeError,
    EmbeddingCache,
    analysis_key,
    decode_value,
    default_cache_dir,
    encode_value,
)
from discrepancy.cli import app
from discrepancy.embedding import embed_sentences
from discrepancy.pipeline import (
    ANALYSIS_VALUE,
    analysis_cache,
    analyze_block,
    analyze_blocks,
    check_corpus,
    pipeline_version,
    segment_and_extract,
)
from discrepancy.records import Document
from discrepancy.reporting import to_json
from tests.conftest import write_article

BLOCK = ("The S-400 was delivered to Turkey in July 2019 at a cost of $2.5 billion, officials said. "
         "It is reportedly located at the Anamur-Mersin military base, not in Ankara.")
PUBLISHED = date(2020, 5, 1)



def embed_vectors(texts, **kwargs):
    """Sentence vectors only (no spans)."""
    return embed_sentences(texts, **kwargs)[0]


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
    assert any(c.values for d in drafts for c in d.claims)
    assert decode_value(encode_value(drafts), ANALYSIS_VALUE) == drafts


def test_codec_refuses_what_it_does_not_know():
    with pytest.raises(TypeError):
        encode_value([object()])
    with pytest.raises(DecodeError):
        decode_value('[{"@": "os.system", "v": ["echo hi"]}]', ANALYSIS_VALUE)


def test_analysis_key_depends_on_version_date_and_text():
    base = analysis_key("v1", PUBLISHED, BLOCK)
    assert base == analysis_key("v1", PUBLISHED, BLOCK)
    assert base != analysis_key("v2", PUBLISHED, BLOCK)
    assert base != analysis_key("v1", date(2020, 5, 2), BLOCK)
    assert base != analysis_key("v1", None, BLOCK)
    assert base != analysis_key("v1", PUBLISHED, BLOCK + " ")


def test_pipeline_version_follows_the_extraction_code(monkeypatch):
    assert pipeline_version() == pipeline_version.__wrapped__()  # stable for the same code
    monkeypatch.setattr(pipeline, "EXTRACTION_MODULES", pipeline.EXTRACTION_MODULES[:-1])
    assert pipeline_version.__wrapped__() != pipeline_version()  # other code, other version
    monkeypatch.setattr(pipeline, "PIPELINE_VERSION", "test-bump")
    assert "test-bump" in pipeline_version.__wrapped__()


def test_segmenting_reuses_cached_analyses_without_spacy(tmp_path, nlp, monkeypatch):
    store = analysis_cache(tmp_path / ANALYSIS_FILE)
    docs = [doc(f"Headline 2020\n\n{BLOCK}\n\nA second paragraph. It has two sentences.")]
    first = segment_and_extract(docs, nlp, cache=store)

    def no_spacy(*args, **kwargs):
        raise AssertionError("spaCy was loaded although every block was cached")

    monkeypatch.setattr(pipeline, "load_nlp", no_spacy)
    assert segment_and_extract(docs, cache=store) == first


def test_stale_analyses_are_never_used(tmp_path, nlp):
    store = analysis_cache(tmp_path / ANALYSIS_FILE)
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
    store = analysis_cache(path)
    with pytest.warns(CacheWarning, match="it was rebuilt"):
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
    with pytest.warns(CacheWarning, match="is not a discrepancy cache file"):
        assert analysis_cache(tmp_path / ANALYSIS_FILE).get_many(["k"]) == {}
    with pytest.warns(CacheWarning, match="another version of discrepancy"):
        assert EmbeddingCache(tmp_path / EMBEDDINGS_FILE).get_many(["k"]) == {}
    for name in (ANALYSIS_FILE, EMBEDDINGS_FILE):
        tables = {r[0] for r in sqlite3.connect(tmp_path / name).execute("SELECT name FROM sqlite_master")}
        assert "meta" in tables and "notes" not in tables


def test_unwritable_cache_never_stops_a_run(tmp_path, nlp):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    store = analysis_cache(blocker / ANALYSIS_FILE)  # its folder cannot be created
    sentences, _ = segment_and_extract([doc(BLOCK)], nlp, cache=store)
    assert sentences
    assert store.get_many(["k"]) == {}


def test_interrupted_analysis_keeps_finished_batches(tmp_path, nlp, monkeypatch):
    store = analysis_cache(tmp_path / ANALYSIS_FILE)
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
        tokenizer = model.tokenizer
        max_seq_length = model.max_seq_length

        def encode(self, texts, **kwargs):
            calls.append(texts)
            if len(calls) == 2:
                raise KeyboardInterrupt
            return model.encode(texts, **kwargs)

    monkeypatch.setattr(embedding, "load_model", lambda *a, **k: Flaky())
    texts = ["One.", "Two words.", "Three words here.", "Four words are here."]
    with pytest.raises(KeyboardInterrupt):
        embed_vectors(texts, cache=store)
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


def test_a_second_run_over_an_unchanged_corpus_reuses_its_alignment(tmp_path, monkeypatch):
    corpus = small_corpus(tmp_path / "corpus")
    first = pipeline.prepare_corpus(corpus, cache_dir=tmp_path / "cache", jobs=1)

    def no_alignment(*args, **kwargs):
        raise AssertionError("alignment was computed again for an unchanged corpus")

    monkeypatch.setattr(pipeline, "candidate_pairs", no_alignment)
    monkeypatch.setattr(pipeline, "pair_features", no_alignment)
    second = pipeline.prepare_corpus(corpus, cache_dir=tmp_path / "cache", jobs=1)
    assert second.pairs == first.pairs and second.compatibility == first.compatibility
    assert second.features.tobytes() == first.features.tobytes()


def test_a_changed_article_or_setting_aligns_again(tmp_path):
    corpus = small_corpus(tmp_path / "corpus")
    first = pipeline.prepare_corpus(corpus, cache_dir=tmp_path / "cache", jobs=1)
    fresh = pipeline.prepare_corpus(corpus, jobs=1)  # no cache at all: the reference
    assert first.features.tobytes() == fresh.features.tobytes() and first.pairs == fresh.pairs
    docs, groups = first.documents, first.groups
    key = pipeline.alignment_key(docs, groups, "model", 5, len(first.table))
    edited = [dataclasses.replace(docs[0], text=docs[0].text + " One more."), *docs[1:]]
    assert pipeline.alignment_key(edited, groups, "model", 5, len(first.table)) != key
    assert pipeline.alignment_key(docs, groups, "model", 6, len(first.table)) != key
    assert pipeline.alignment_key(docs, groups, "other model", 5, len(first.table)) != key
    assert pipeline.alignment_key(docs, {**groups, docs[0].id: -1}, "model", 5, len(first.table)) != key


def test_a_damaged_alignment_entry_is_recomputed_not_trusted(tmp_path):
    store = AlignmentCache(tmp_path / ALIGNMENT_FILE)
    pairs, fits = [(0, 1), (0, 2), (1, 3)], [None, False, True]
    features = np.arange(12, dtype=np.float32).reshape(3, 4) / 7
    store.put("key", "v1", pairs, fits, features)
    found = store.get("key", values=4)
    assert found[0] == pairs and found[1] == fits and found[2].tobytes() == features.tobytes()
    assert store.get("other key", values=4) is None
    with pytest.warns(CacheWarning, match="1 damaged alignment cache entry"):
        assert store.get("key", values=3) is None  # a pair beyond the value table: not this corpus's
    store.put("key", "v1", pairs, fits, features)
    with sqlite3.connect(tmp_path / ALIGNMENT_FILE) as conn:  # one flipped byte in the stored arrays
        data = bytearray(conn.execute("SELECT data FROM alignments").fetchone()[0])
        data[len(data) // 2] ^= 0x10
        conn.execute("UPDATE alignments SET data = ?", (bytes(data),))
    assert AlignmentCache(tmp_path / ALIGNMENT_FILE).info()["damaged"] == 1
    with pytest.warns(CacheWarning, match="damaged alignment"):
        assert AlignmentCache(tmp_path / ALIGNMENT_FILE).get("key", values=4) is None
    store.put("new key", "v1", pairs[:1], fits[:1], features[:1])
    assert AlignmentCache(tmp_path / ALIGNMENT_FILE).info()["entries"] == 1  # only the latest is kept


def test_cache_info_and_clear_commands(tmp_path):
    corpus = small_corpus(tmp_path / "corpus")
    folder = default_cache_dir(corpus)
    runner = CliRunner()
    result = runner.invoke(app, ["check", str(corpus), "--quiet", "--json", str(tmp_path / "r.json")])
    assert result.exit_code == 0, result.output
    result = runner.invoke(app, ["cache", "info", str(corpus)])
    assert result.exit_code == 0, result.output
    assert "embeddings" in result.output and "analysis" in result.output and "(current)" in result.output
    assert "alignment" in result.output
    assert pipeline_version() in result.output and str(folder) in result.output
    assert "damaged" not in result.output
    result = runner.invoke(app, ["cache", "clear", "--cache-dir", str(folder), "--kind", "analysis"])
    assert result.exit_code == 0 and "removed" in result.output
    assert not (folder / ANALYSIS_FILE).exists()
    assert (folder / EMBEDDINGS_FILE).exists()
    result = runner.invoke(app, ["cache", "clear", str(corpus)])
    assert result.exit_code == 0
    assert not (folder / EMBEDDINGS_FILE).exists()
    result = runner.invoke(app, ["cache", "info"])
    assert result.exit_code == 2 and "--cache-dir" in result.output


def test_unknown_device_is_a_usage_error(tmp_path):
    corpus = small_corpus(tmp_path / "corpus")
    result = CliRunner().invoke(app, ["check", str(corpus), "--device", "tpu"])
    assert result.exit_code == 2 and "tpu" in result.output


# --- a cache that cannot lie ------------------------------------------------------------------


def test_the_cache_module_imports_nothing_of_the_pipeline():
    import subprocess
    import sys

    code = "import sys, discrepancy.cache; print(sorted(m for m in sys.modules if m.startswith('discrepancy.')))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    # discrepancy/__init__ brings only the version constant with it.
    assert done.stdout.strip() == "['discrepancy.cache', 'discrepancy.version']"


def test_the_codec_is_driven_by_annotations_and_type_checks_everything():
    from dataclasses import dataclass

    @dataclass(frozen=True)
    class Span:
        start: int
        label: str | None = None

    @dataclass(frozen=True)
    class Doc:
        when: date
        spans: tuple[Span, ...]
        tags: frozenset[str] = frozenset()
        score: float = 0.0

    value = [Doc(date(2020, 5, 1), (Span(1, "a"), Span(2)), frozenset({"y", "x"}), float("inf"))]
    text = encode_value(value)
    assert decode_value(text, list[Doc]) == value
    assert encode_value(value) == text  # deterministic: frozensets are sorted
    good = '[{"when": "2020-05-01", "spans": [{"start": 1, "label": null}], "tags": [], "score": 1}]'
    assert decode_value(good, list[Doc])[0].score == 1.0
    for bad in (good.replace('"start": 1', '"start": "1"'),  # a string where an int belongs
                good.replace('"start": 1', '"start": true'),  # a bool is not an int
                good.replace('"label": null', '"label": 5'),
                good.replace('"2020-05-01"', '"May 2020"'),
                good.replace('"tags": []', '"tags": {}'),
                good.replace(', "score": 1', ""),  # a missing field
                good.replace('"score": 1', '"score": 1, "extra": 0'),  # an unknown field
                '{"when": "2020-05-01"}', "not json", "[" * 100_000):
        with pytest.raises(DecodeError):
            decode_value(bad, list[Doc])


def vector_offset(path, vector: np.ndarray) -> int:
    data = path.read_bytes()
    offset = data.find(vector.astype(np.float32).tobytes())
    assert offset > 0
    return offset


def test_flipped_bytes_in_a_vector_are_caught_and_recomputed(tmp_path):
    store = EmbeddingCache(tmp_path / EMBEDDINGS_FILE)
    texts = ["The ferry sank off Andros.", "Nine people died.", "The captain was arrested."]
    clean = embed_vectors(texts, cache=store)
    path = tmp_path / EMBEDDINGS_FILE
    start = vector_offset(path, clean[1]) + 100
    data = bytearray(path.read_bytes())
    for i in range(40):  # 40 flipped bytes inside the second sentence's vector
        data[start + i] ^= 0xFF
    path.write_bytes(bytes(data))
    assert EmbeddingCache(path).info()["damaged"] == 1  # `cache info` sees it
    fresh = EmbeddingCache(path)
    with pytest.warns(CacheWarning, match="1 damaged embeddings cache entry"):
        again = embed_vectors(texts, cache=fresh)
    assert fresh.damaged == 1
    np.testing.assert_allclose(again, clean, atol=1e-6)  # recomputed, not trusted
    assert EmbeddingCache(path).info()["damaged"] == 0  # and written back whole


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_flipped_bytes_never_change_the_report(tmp_path, seed):
    import random
    import shutil

    corpus = small_corpus(tmp_path / "corpus")
    reference = to_json(check_corpus(corpus, cache_dir=tmp_path / "clean", jobs=1))
    shutil.copytree(tmp_path / "clean", tmp_path / "flipped")
    rng = random.Random(seed)
    for name in (EMBEDDINGS_FILE, ANALYSIS_FILE, ALIGNMENT_FILE):
        path = tmp_path / "flipped" / name
        data = bytearray(path.read_bytes())
        for offset in rng.sample(range(100, len(data)), 40):  # past SQLite's file header
            data[offset] ^= 1 << rng.randrange(8)
        path.write_bytes(bytes(data))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", CacheWarning)
        assert to_json(check_corpus(corpus, cache_dir=tmp_path / "flipped", jobs=1)) == reference


def test_an_edited_cached_fact_is_never_trusted(tmp_path):
    corpus = small_corpus(tmp_path / "corpus")
    reference = to_json(check_corpus(corpus, cache_dir=tmp_path / "cache", jobs=1))
    assert "Andros" in reference
    with sqlite3.connect(tmp_path / "cache" / ANALYSIS_FILE) as conn:
        edited = conn.execute("UPDATE analyses SET value = replace(value, 'Andros', 'Paris') "
                              "WHERE value LIKE '%Andros%'").rowcount
    conn.close()
    assert edited == 1
    with pytest.warns(CacheWarning, match="1 damaged analysis cache entry"):
        again = to_json(check_corpus(corpus, cache_dir=tmp_path / "cache", jobs=1))
    assert again == reference and "Paris" not in again


def test_a_wrong_typed_entry_with_a_good_checksum_is_recomputed_not_fatal(tmp_path, nlp):
    path = tmp_path / ANALYSIS_FILE
    store = analysis_cache(path)
    docs = [doc(BLOCK)]
    fresh = segment_and_extract(docs, nlp, cache=store)
    key = analysis_key(pipeline_version(), PUBLISHED, BLOCK)
    wrong = '[{"start": "zero", "end": 10, "claims": []}]'
    with sqlite3.connect(path) as conn:  # as a buggy or foreign writer would store it: checksum and all
        conn.execute("UPDATE analyses SET value = ?, checksum = ? WHERE key = ?",
                      (wrong, store.entry_checksum(key, pipeline_version(), wrong), key))
    conn.close()
    assert analysis_cache(path).info()["damaged"] == 1
    with pytest.warns(CacheWarning, match="damaged analysis cache entry"):
        assert segment_and_extract(docs, nlp, cache=analysis_cache(path)) == fresh
    result = CliRunner().invoke(app, ["cache", "info", "--cache-dir", str(tmp_path)])
    assert result.exit_code == 0 and "damaged" not in result.output  # recomputed and written back


def test_the_default_cache_is_the_users_keyed_by_the_corpus_path(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    (tmp_path / "one" / "news").mkdir(parents=True)
    (tmp_path / "two" / "news").mkdir(parents=True)
    (tmp_path / "alias").symlink_to(tmp_path / "one")
    first = default_cache_dir(tmp_path / "one" / "news")
    assert first.parent == tmp_path / "xdg" / "discrepancy" / "corpora" and first.name.startswith("news-")
    assert default_cache_dir(tmp_path / "two" / "news") != first  # same name, other folder
    assert default_cache_dir(tmp_path / "alias" / "news") == first  # same folder, other spelling
    monkeypatch.chdir(tmp_path / "one")
    assert default_cache_dir("news") == first


def test_a_cache_inside_the_corpus_is_not_read_unless_asked_for(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    corpus = small_corpus(tmp_path / "corpus")
    received = corpus / ".discrepancy" / "cache"
    # A folder from someone else, with a cache whose entries are consistent but say "Paris".
    check_corpus(corpus, cache_dir=received, jobs=1)
    with sqlite3.connect(received / ANALYSIS_FILE) as conn:
        for key, version, value in conn.execute("SELECT key, version, value FROM analyses").fetchall():
            forged = value.replace("Andros", "Paris")
            conn.execute("UPDATE analyses SET value = ?, checksum = ? WHERE key = ?",
                         (forged, analysis_cache(received).entry_checksum(key, version, forged), key))
    conn.close()
    before = {p.name: p.read_bytes() for p in received.iterdir()}
    runner = CliRunner()
    done = runner.invoke(app, ["check", str(corpus), "--json", str(tmp_path / "r.json")])
    assert done.exit_code == 0, done.output
    assert f"note: {received} is not read" in done.output
    assert "Andros" in (tmp_path / "r.json").read_text() and "Paris" not in (tmp_path / "r.json").read_text()
    assert (default_cache_dir(corpus) / ANALYSIS_FILE).exists()
    assert {p.name: p.read_bytes() for p in received.iterdir()} == before  # left as it was
    info = runner.invoke(app, ["cache", "info", str(corpus)])
    assert str(default_cache_dir(corpus)) in info.output and f"not read: {received}" in info.output
    asked = runner.invoke(app, ["check", str(corpus), "--cache-dir", str(received), "--quiet"])
    assert asked.exit_code == 0 and "not read" not in asked.output  # asked for: it is used


def test_check_names_the_damage_it_repaired(tmp_path):
    corpus = small_corpus(tmp_path / "corpus")
    runner = CliRunner()
    args = ["check", str(corpus), "--cache-dir", str(tmp_path / "cache"), "--json", str(tmp_path / "r.json")]
    assert runner.invoke(app, args).exit_code == 0
    reference = (tmp_path / "r.json").read_bytes()
    path = tmp_path / "cache" / EMBEDDINGS_FILE
    with sqlite3.connect(path) as conn:
        # The shortest vector: it lies whole in one page of the file, whatever the keys (model, backend).
        blob = conn.execute("SELECT vec FROM vectors ORDER BY length(vec), key LIMIT 1").fetchone()[0]
    conn.close()
    data = bytearray(path.read_bytes())
    start = data.find(blob)
    assert start > 0
    data[start + 8:start + 48] = bytes(b ^ 0x5A for b in data[start + 8:start + 48])  # 40 flipped bytes
    path.write_bytes(bytes(data))
    info = runner.invoke(app, ["cache", "info", "--cache-dir", str(tmp_path / "cache")])
    assert "1 damaged (not used; recomputed when needed)" in info.output
    done = runner.invoke(app, args)
    assert done.exit_code == 0, done.output
    notes = [line for line in done.output.splitlines() if line.startswith("note: 1 damaged embeddings")]
    assert len(notes) == 1 and "recomputed" in notes[0]
    assert (tmp_path / "r.json").read_bytes() == reference
