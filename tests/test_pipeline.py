"""End to end on the S-400 articles: what must be caught, and what must not."""

import json

import pytest

from discrepancy.reporting import to_json, to_markdown

from .conftest import write_article


def conflicts(result):
    return [f for f in result.findings if f.kind == "conflict"]


def test_the_location_conflict_is_flagged(s400_result):
    (loc,) = [f for f in conflicts(s400_result) if {s.value for s in f.sides} == {"Anamur-Mersin military base",
                                                                                  "Ankara"}]
    assert loc.type == "location"
    assert loc.reason.startswith("where the system is located: Anamur-Mersin military base ≠ Ankara (")
    assert "000 hedges ('according to open data, it is believed')" in loc.reason
    assert "001 attributes it to Turkish media" in loc.reason
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


# --- an invented corpus: one toll in three outlets, another in a fourth, one year in all four -------------

FERRY = {
    "a.md": ("Harbour Times", "https://harbour.example/ferry-dawn", "2026-03-04",
             "The Ferry Dawn sank off Kestrel Point on Tuesday night. Seven people were killed in the sinking, "
             "the coast guard said.\n\nThe ferry was built in 1978 by a shipyard in Port Amber. Captain Mara Quill "
             "said the engines failed an hour after departure."),
    "b.md": ("Coastal Wire", "https://coastal.example/news/ferry", "2026-03-04",
             "The Ferry Dawn went down off Kestrel Point late on Tuesday. Seven people were killed, officials said."
             "\n\nBuilt in 1978, the ferry carried 40 passengers on the short crossing. The mayor of Port Amber, "
             "Lena Hollis, declared a day of mourning."),
    "c.md": ("Valley Post", "unknown", "2026-03-05",
             "The Ferry Dawn sank off Kestrel Point on Tuesday. Twelve people were killed in the sinking, according "
             "to the fire service.\n\nThe ferry, built in 1978, was carrying 40 passengers."),
    "d.md": ("Night Desk", "unknown", "2026-03-05",
             "The Ferry Dawn sank off Kestrel Point on Tuesday. Seven people were killed in the sinking, police "
             "said.\n\nThe ferry was built in 1978 and carried 40 passengers that night."),
}


@pytest.fixture(scope="module")
def ferry_result(tmp_path_factory):
    from discrepancy.pipeline import check_corpus

    from .conftest import shared_cache

    folder = tmp_path_factory.mktemp("ferry")
    for name, (source, url, published, body) in FERRY.items():
        write_article(folder, name, body, title="Ferry", source=source, url=url, published=published)
    return check_corpus(folder, cache_dir=shared_cache(tmp_path_factory), jobs=1)


def test_every_article_stating_a_side_s_value_is_on_that_side(ferry_result):
    (toll,) = [f for f in conflicts(ferry_result) if {s.value for s in f.sides} == {"Seven", "Twelve"}]
    sides = {s.value: sorted({r.doc for r in s.claims}) for s in toll.sides}
    assert sides == {"Seven": ["a", "b", "d"], "Twelve": ["c"]}
    assert toll.question == "how many people were killed in the sinking"
    assert toll.reason.startswith("how many people were killed in the sinking: Seven ≠ Twelve (")
    assert "Valley Post attributes it to the fire service" in toll.reason


def test_a_fact_stated_alike_by_every_outlet_is_corroborated_by_all(ferry_result):
    (built,) = [f for f in ferry_result.findings if f.kind == "agreement" and f.sides[0].value == "1978"]
    assert built.sources == 4 and sorted({r.doc for r in built.sides[0].claims}) == ["a", "b", "c", "d"]
    assert built.question == "when the ferry was built"


def test_claims_only_one_outlet_makes_are_listed_whatever_they_state(ferry_result):
    single = {s.text: s.facts for s in ferry_result.single_source}
    # A name and an action, no number, place or date.
    assert ("name: Lena Hollis", "action: declared") in [tuple(f) for f in single.values()] or any(
        "Lena Hollis" in text for text in single)


def test_outlets_link_to_their_articles(ferry_result):
    md = to_markdown(ferry_result)
    assert "[Harbour Times](https://harbour.example/ferry-dawn)" in md
    data = json.loads(to_json(ferry_result))
    urls = {c["doc"]: c["url"] for f in data["findings"] for s in f["sides"] for c in s["claims"]}
    assert urls["a"] == "https://harbour.example/ferry-dawn" and urls["c"] is None


def test_single_source_claims_are_ranked_capped_and_counted():
    from discrepancy.pipeline import single_source_claims
    from discrepancy.records import Amount, Claim, Value

    def claim(n, doc, text, *values):
        return Claim(f"{doc}#{n}.0", f"{doc}#{n}", doc, text, 0, len(text), values=values, sentence=text)

    toll = Value("quantity", "40", 0, 2, "40", amount=Amount(40, 40, 40, "count"))
    port = Value("place", "Port Amber", 0, 10, "port amber")
    mayor = Value("name", "Lena Hollis", 0, 11, "lena hollis")
    declared = Value("polarity", "declared", 0, 8, "affirmed", head="mourning")
    bare = Value("polarity", "went", 0, 4, "affirmed")
    claims = [claim(0, "a", "The ferry went on its way as usual that day.", bare),
              claim(1, "a", "The mayor, Lena Hollis, declared a day of mourning.", mayor, declared),
              claim(2, "b", "The ferry carried 40 passengers from Port Amber.", toll, port),
              claim(3, "b", "Divers declared the search over for the night.", declared)]
    listed, more = single_source_claims(claims, [], {"a": 0, "b": 1}, limit=2)
    # The figure first, then the name with its action; the bare action is no notable claim at all.
    assert [s.text for s in listed] == [claims[2].text, claims[1].text]
    assert listed[1].facts == ("name: Lena Hollis", "action: declared")
    assert more == 1
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
