"""End to end on the S-400 articles: what must be caught, and what must not."""

import json

from discrepancy.reporting import to_json


def conflicts(result):
    return [f for f in result.findings if f.kind == "conflict"]


def test_the_location_conflict_is_flagged(s400_result):
    (loc,) = [f for f in conflicts(s400_result) if {s.value for s in f.sides} == {"Anamur-Mersin military base",
                                                                                  "Ankara"}]
    assert loc.type == "location"
    assert loc.reason.startswith("where: Anamur-Mersin military base ≠ Ankara (")
    assert "000 hedged" in loc.reason and "001 attributed: 'According to Turkish media'" in loc.reason
    assert {loc.a.doc[:3], loc.b.doc[:3]} == {"000", "001"}


def test_same_fact_at_different_granularity_is_not_flagged(s400_result):
    for f in conflicts(s400_result):
        sides = [{r.text for r in s.claims} for s in f.sides]
        for quotes in (("delivered to the country in July 2019", "began on 12 July 2019"),
                       ("in 2017", "on September 12, 2017")):
            on = [k for k, texts in enumerate(sides) for q in quotes if any(q in t for t in texts)]
            assert len(set(on)) <= 1, (f.reason, quotes)  # never on two different sides
        assert not any("Mevl" in s.value for s in f.sides)


def test_few_conflicts_in_all(s400_result):
    assert 1 <= len(conflicts(s400_result)) <= 12


def test_json_has_the_documented_shape(s400_result):
    data = json.loads(to_json(s400_result))
    assert {"id", "path", "title", "source", "published"} <= set(data["documents"][0])
    finding = data["findings"][0]
    assert {"id", "kind", "type", "score", "similarity", "reason", "a", "b", "sides"} <= set(finding)
    assert {"doc", "text", "value"} <= set(finding["a"])
    assert 0 <= finding["score"] <= 1
    dropped = {d["id"][:3]: [x["reason"] for x in d["dropped"]] for d in data["documents"]}
    assert "photo credit" in dropped["000"] and "comments" in dropped["003"]


def test_parsing_in_worker_processes_gives_the_same_bytes(tmp_path, monkeypatch):
    import shutil

    from bench.corpus import build_corpus
    from discrepancy import pipeline
    from discrepancy.cache import EMBEDDINGS_FILE

    corpus = tmp_path / "corpus"
    build_corpus(corpus, 24, seed=5, short=True)
    single = pipeline.check_corpus(corpus, cache_dir=tmp_path / "one", jobs=1)
    # The second run parses afresh (no analysis cache) in worker processes; vectors are re-used.
    (tmp_path / "two").mkdir()
    shutil.copy(tmp_path / "one" / EMBEDDINGS_FILE, tmp_path / "two" / EMBEDDINGS_FILE)
    monkeypatch.setattr(pipeline, "PARALLEL_MIN_BLOCKS", 10)
    forked = []
    real = pipeline.parallel_analyses
    monkeypatch.setattr(pipeline, "parallel_analyses", lambda *a, **k: forked.append(1) or real(*a, **k))
    parallel = pipeline.check_corpus(corpus, cache_dir=tmp_path / "two", jobs=2)
    assert forked and single.findings
    assert to_json(parallel) == to_json(single)
