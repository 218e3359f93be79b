"""Outputs never destroy what the user has: no link, device or input of the run is replaced,
backups are never overwritten, and the tool's own reports in a corpus are not read as articles.

Every refusal happens before the long run, so these tests never load a model.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from discrepancy.cli import app
from discrepancy.errors import OutputError
from discrepancy.outputs import check_output_path, run_inputs, write_atomic, write_backup

from .conftest import one_line_error, shared_cache, write_article

runner = CliRunner()


def corpus_with_inputs(folder: Path) -> Path:
    write_article(folder, "a.txt", "The ferry sank off Andros on Monday.")
    write_article(folder, "b.txt", "The ferry sank off Tinos on Monday.")
    (folder / "labels.jsonl").write_text('{"kind": "conflict"}\n')
    (folder / "discrepancy.toml").write_text("min_score = 0.3\n")
    return folder


def test_an_output_that_is_a_symlink_is_refused_and_the_link_kept(tmp_path):
    target = tmp_path / "elsewhere.md"
    target.write_text("precious")
    link = tmp_path / "report.md"
    link.symlink_to(target)
    corpus = corpus_with_inputs(tmp_path / "c")
    one_line_error(runner.invoke(app, ["check", str(corpus), "-o", str(link)]), "report.md", "symbolic link")
    assert link.is_symlink() and target.read_text() == "precious"
    with pytest.raises(OutputError, match="symbolic link"):
        write_atomic(link, "new")  # the last line of defence, at write time
    assert link.is_symlink() and target.read_text() == "precious"


def test_a_device_is_never_replaced(tmp_path):
    corpus = corpus_with_inputs(tmp_path / "c")
    one_line_error(runner.invoke(app, ["check", str(corpus), "--json", "/dev/null"]), "/dev/null",
                   "not a regular file")
    one_line_error(runner.invoke(app, ["check", str(corpus), "-o", "/dev/stdout"]), "/dev/stdout")
    with pytest.raises(OutputError, match="not a regular file"):
        write_atomic("/dev/null", "x")
    assert Path("/dev/null").is_char_device()


@pytest.mark.parametrize("name, what", [("a.txt", "article"), ("labels.jsonl", "labels"),
                                        ("discrepancy.toml", "settings")])
def test_an_output_naming_an_input_of_the_run_is_refused(tmp_path, name, what):
    corpus = corpus_with_inputs(tmp_path / "c")
    before = (corpus / name).read_bytes()
    for option in ("-o", "--json"):
        result = runner.invoke(app, ["check", str(corpus), option, str(corpus / name)])
        one_line_error(result, name, what, "input")
    assert (corpus / name).read_bytes() == before


def test_inputs_are_recognised_through_other_spellings_and_hard_links(tmp_path, monkeypatch):
    corpus = corpus_with_inputs(tmp_path / "c")
    store = corpus / ".discrepancy" / "reviews.sqlite"
    store.parent.mkdir()
    store.write_bytes(b"SQLite format 3\x00")
    os.link(corpus / "b.txt", tmp_path / "hardlink.md")
    inputs = run_inputs(corpus, store=store)
    monkeypatch.chdir(corpus)
    for path in (Path("a.txt"), corpus / "." / "a.txt", tmp_path / "hardlink.md", store):
        with pytest.raises(OutputError, match="input of this run"):
            check_output_path(path, inputs)
    check_output_path(corpus / "report.md", inputs)  # a new file in the corpus is fine
    check_output_path(tmp_path / "out" / "r.json", inputs)


def test_the_review_store_is_never_an_output(tmp_path):
    corpus = corpus_with_inputs(tmp_path / "c")
    store = tmp_path / "decisions.sqlite"
    store.write_bytes(b"")
    result = runner.invoke(app, ["check", str(corpus), "--store", str(store), "--json", str(store)])
    one_line_error(result, "decisions.sqlite", "review store")


def test_backups_are_numbered_and_never_overwritten(tmp_path):
    labels = tmp_path / "labels.jsonl"
    labels.write_text("first\n")
    first = write_backup(labels)
    labels.write_text("second\n")
    second = write_backup(labels)
    labels.write_text("third\n")
    third = write_backup(labels)
    assert [first.name, second.name, third.name] == ["labels.jsonl.bak", "labels.jsonl.bak.1", "labels.jsonl.bak.2"]
    assert [p.read_text() for p in (first, second, third)] == ["first\n", "second\n", "third\n"]


def test_reports_written_into_the_corpus_do_not_change_the_next_run(tmp_path, tmp_path_factory):
    corpus = corpus_with_inputs(tmp_path / "c")
    args = ["check", str(corpus), "-o", str(corpus / "report.md"), "--json", str(corpus / "findings.json"),
            "--cache-dir", str(shared_cache(tmp_path_factory)), "--quiet"]
    assert runner.invoke(app, args).exit_code == 0
    first = [(corpus / name).read_bytes() for name in ("report.md", "findings.json")]
    result = runner.invoke(app, args)
    assert result.exit_code == 0 and result.output == ""  # no warning about its own reports
    assert [(corpus / name).read_bytes() for name in ("report.md", "findings.json")] == first
    assert b"Skipped files" not in first[0]


def test_labels_export_never_replaces_an_article_the_store_or_a_link(tmp_path):
    from discrepancy.review import ReviewStore, default_store_path

    corpus = corpus_with_inputs(tmp_path / "c")
    store = default_store_path(corpus)
    ReviewStore(store).close()
    (tmp_path / "link.jsonl").symlink_to(corpus / "labels.jsonl")
    before = {p: p.read_bytes() for p in (corpus / "a.txt", store, corpus / "labels.jsonl")}
    for target, needle in ((corpus / "a.txt", "article a.txt"), (store, "review store"),
                           (tmp_path / "link.jsonl", "symbolic link")):
        result = runner.invoke(app, ["labels", "export", str(corpus), "-o", str(target), "--force"])
        one_line_error(result, str(target), needle)
    assert {p: p.read_bytes() for p in before} == before
