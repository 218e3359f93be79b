from datetime import date

import pytest

from discrepancy.errors import DiscrepancyError
from discrepancy.loading import document_from_text, load_corpus, parse_front_matter

from .conftest import write_article


def test_front_matter_fields_and_body_are_split():
    fields, body = parse_front_matter("---\ntitle: A\nsource: Wire\npublished: 2024-03-02\n---\nText.\n")
    assert fields == {"title": "A", "source": "Wire", "published": "2024-03-02"}
    assert body == "Text.\n"


def test_unknown_published_is_none_and_title_falls_back_to_first_line():
    raw = document_from_text("x", "x.txt", "---\npublished: unknown\n---\nHeadline here\n\nBody.")
    assert raw.published is None
    assert raw.title == "Headline here"
    assert raw.source == "unknown"


def test_published_date_is_parsed():
    raw = document_from_text("x", "x.txt", "---\npublished: 2019-05-03\n---\nBody.")
    assert raw.published == date(2019, 5, 3)


def test_missing_folder_is_a_clear_error(tmp_path):
    with pytest.raises(DiscrepancyError, match="not found"):
        load_corpus(tmp_path / "nope")


def test_folder_without_articles_is_a_clear_error(tmp_path):
    (tmp_path / "notes.csv").write_text("a,b")
    with pytest.raises(DiscrepancyError, match=r"no article files \(\.txt, \.md, \.html, \.htm\) in .*notes\.csv"):
        load_corpus(tmp_path)


def test_bad_files_are_skipped_with_a_reason(tmp_path):
    write_article(tmp_path, "good.txt", "A sentence.")
    (tmp_path / "latin1.txt").write_bytes("Caf\xe9 au lait.".encode("latin-1"))
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01\x02 not text")
    (tmp_path / "empty.md").write_text("")
    result = load_corpus(tmp_path)
    assert [d.path for d in result.documents] == ["good.txt", "latin1.txt"]
    assert result.documents[1].body == "Caf\xe9 au lait."  # legacy encodings are detected, not skipped
    reasons = {s.path: s.reason for s in result.skipped}
    assert set(reasons) == {"binary.txt", "empty.md"}
    assert reasons["empty.md"] == "empty file"
    assert reasons["binary.txt"].startswith("not text")


def test_labels_and_readme_are_not_articles(tmp_path):
    write_article(tmp_path, "a.txt", "A sentence.")
    (tmp_path / "labels.jsonl").write_text("{}")
    (tmp_path / "README.md").write_text("# about")
    assert [d.path for d in load_corpus(tmp_path).documents] == ["a.txt"]
