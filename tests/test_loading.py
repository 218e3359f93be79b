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


# --- links out of the corpus ------------------------------------------------------------------


def test_links_that_leave_the_corpus_are_skipped_and_named(tmp_path):
    from discrepancy.loading import article_files

    corpus = tmp_path / "corpus"
    write_article(corpus, "a.txt", "The ferry sank on Monday.")
    secret = write_article(tmp_path / "private", "secret.txt", "root:x:0:0:root:/root:/bin/bash")
    (corpus / "leak.txt").symlink_to(secret)
    (corpus / "passwd.md").symlink_to("/etc/passwd")
    (corpus / "status.txt").symlink_to("/proc/self/status")
    (corpus / "zero.txt").symlink_to("/dev/zero")
    (corpus / "copy.md").symlink_to(corpus / "a.txt")  # a link inside the corpus is an article
    (corpus / "relative.txt").symlink_to("../private/secret.txt")
    result = load_corpus(corpus)
    assert sorted(d.path for d in result.documents) == ["a.txt", "copy.md"]
    reasons = {s.path: s.reason for s in result.skipped}
    assert reasons == dict.fromkeys(["leak.txt", "passwd.md", "relative.txt", "status.txt", "zero.txt"],
                                    "a link to a file outside the corpus folder")
    assert all("root:" not in d.body for d in result.documents)
    assert [p.name for p in article_files(corpus)] == ["a.txt", "copy.md"]  # labels cannot quote them either


def test_a_corpus_reached_through_a_link_still_works(tmp_path):
    write_article(tmp_path / "real", "a.txt", "The ferry sank on Monday.")
    (tmp_path / "real" / "b.md").symlink_to(tmp_path / "real" / "a.txt")
    (tmp_path / "alias").symlink_to(tmp_path / "real")
    assert [d.path for d in load_corpus(tmp_path / "alias").documents] == ["a.txt", "b.md"]


def test_devices_and_pipes_in_the_corpus_are_not_read(tmp_path):
    import os

    write_article(tmp_path, "a.txt", "The ferry sank on Monday.")
    os.mkfifo(tmp_path / "pipe.txt")  # opening it would wait forever
    reasons = {s.path: s.reason for s in load_corpus(tmp_path).skipped}
    assert reasons == {"pipe.txt": "not a regular file"}


# --- the tool's own outputs -------------------------------------------------------------------


def test_own_reports_in_the_corpus_are_passed_over_silently(tmp_path):
    from discrepancy.records import CheckResult
    from discrepancy.reporting import to_json, to_markdown

    write_article(tmp_path, "a.txt", "The ferry sank on Monday.")
    write_article(tmp_path, "b.txt", "The ferry sank on Sunday.")
    before = load_corpus(tmp_path)
    result = CheckResult(corpus=str(tmp_path), documents=[], sentences=[], claims=[], pairs=[], findings=[])
    (tmp_path / "report.md").write_text(to_markdown(result))
    (tmp_path / "report.txt").write_text(to_markdown(result))
    (tmp_path / "findings.json").write_text(to_json(result))
    (tmp_path / "report.html").write_text('<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">\n'
                                          '<meta name="generator" content="discrepancy 0.1.0">'
                                          "<title>Discrepancy report</title></head><body><p>Findings.</p>")
    (tmp_path / "labels.jsonl.bak").write_text("{}\n")
    (tmp_path / "labels.jsonl.bak.1").write_text("{}\n")
    after = load_corpus(tmp_path)
    assert after == before  # the next run's outputs cannot change because of them


def test_an_article_about_reports_is_still_an_article(tmp_path):
    write_article(tmp_path, "a.md", "Discrepancy report: the audit found gaps.\n\nThe ferry sank.")
    (tmp_path / "b.json").write_text('{"tool": {"name": "other"}}')
    result = load_corpus(tmp_path)
    assert [d.path for d in result.documents] == ["a.md"]
    assert [s.path for s in result.skipped] == ["b.json"]


@pytest.mark.parametrize("depth", [300, 5_000])
def test_deeply_nested_html_keeps_its_text(tmp_path, depth):
    page = ("<html><head><title>Deep page</title><script>var hidden = 1;</script></head><body>" + "<div>" * depth
            + "<p>The ferry sank off Andros on Monday, the coastguard said.</p><p>Nine people died.</p>"
            + "</div>" * depth + "<footer><p>Nine people died.</p></footer></body></html>")
    (tmp_path / "deep.html").write_text(page, encoding="utf-8")
    result = load_corpus(tmp_path)
    assert result.skipped == []
    (raw,) = result.documents
    assert "The ferry sank off Andros on Monday, the coastguard said." in raw.body
    assert "Nine people died." in raw.body and "hidden" not in raw.body
    assert raw.title == "Deep page"
