"""Smoke test of the benchmark's corpus generator (no timing: that is bench/run.py's job)."""

import re

from bench.corpus import build_corpus
from discrepancy.cleaning import clean_document
from discrepancy.loading import load_corpus


def test_generator_is_deterministic_and_realistic(tmp_path):
    paths = build_corpus(tmp_path / "a", 12, seed=3)
    again = build_corpus(tmp_path / "b", 12, seed=3)
    other = build_corpus(tmp_path / "c", 12, seed=4)
    assert [p.read_bytes() for p in paths] == [p.read_bytes() for p in again]
    assert [p.read_bytes() for p in paths] != [p.read_bytes() for p in other]

    loaded = load_corpus(tmp_path / "a")
    assert len(loaded.documents) == 12 and not loaded.skipped
    assert all(d.published is not None and d.source != "unknown" for d in loaded.documents)
    for raw in loaded.documents:
        text = clean_document(raw).text
        sentences = re.findall(r"[^.!?]+[.!?]", text)
        assert 15 <= len(sentences) <= 50
    bodies = " ".join(clean_document(d).text for d in loaded.documents)
    # Shared facts with some contradicted: several distinct death tolls, places and money amounts.
    tolls = set(re.findall(r"(\d+|[a-z]+) people (?:were killed|died|had been killed)", bodies))
    money = set(re.findall(r"[$€]\d[\d.]* (?:million|billion)", bodies))
    assert len(tolls) >= 2 and len(money) >= 2


def test_many_folder_benchmark_writes_one_event_per_folder_and_compares_outputs_bytewise(tmp_path):
    from bench.folders import build_folders, same_outputs
    from discrepancy.batch import event_folders

    folders = build_folders(tmp_path / "events", 3, 4, seed=7)
    assert event_folders(tmp_path / "events") == folders
    titles = {f.name: sorted(p.read_text(encoding="utf-8").splitlines()[1] for p in f.iterdir()) for f in folders}
    assert len({tuple(t) for t in titles.values()}) == 3  # a different event in each folder
    a, b = tmp_path / "a", tmp_path / "b"
    for out in (a, b):
        out.mkdir()
        (out / "x.md").write_text("same\n", encoding="utf-8")
    assert same_outputs(a, b)
    (b / "x.md").write_text("other\n", encoding="utf-8")
    assert not same_outputs(a, b)


def test_short_articles_have_two_to_four_sentences(tmp_path):
    paths = build_corpus(tmp_path / "short", 30, seed=3, short=True)
    again = build_corpus(tmp_path / "again", 30, seed=3, short=True)
    assert [p.read_bytes() for p in paths] == [p.read_bytes() for p in again]
    for raw in load_corpus(tmp_path / "short").documents:
        sentences = re.findall(r"[^.!?]+[.!?]", clean_document(raw).text)  # title and byline end in none
        assert 2 <= len(sentences) <= 5
