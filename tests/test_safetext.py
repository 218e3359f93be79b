"""Invisible and direction-changing characters never reach an output raw; user text is never
read as terminal markup; e-mail addresses in quotes are not turned into links."""

from __future__ import annotations

import json

import pytest
from rich.console import Console
from rich.text import Text

from discrepancy.loading import display_name, load_corpus
from discrepancy.records import CheckResult, ClaimRef, Document, Finding, Side
from discrepancy.reporting import escape_md, to_json, to_markdown
from discrepancy.safetext import RevealingStream, json_reveal, reveal, reveal_controls

RLO_TITLE = "Invoice \u202egnp.exe"  # displays as "Invoice exe.png"
HIDDEN = "Ank\u200bara"  # a zero-width space inside a place name


def bidi_result() -> CheckResult:
    doc = Document("a_1", "a_1.txt", RLO_TITLE, "Wire\u2066", None, "unknown", "text")
    other = Document("b_1", "b_1.txt", "Plain", "unknown", None, "unknown", "text")
    ref_a = ClaimRef(doc="a_1", text=f"It is in {HIDDEN}.", value=HIDDEN, claim_id="c1")
    ref_b = ClaimRef(doc="b_1", text="It is in Paris.", value="Paris", claim_id="c2")
    finding = Finding(id="f1", kind="conflict", type="location", score=0.9, similarity=0.8,
                      reason=f"location: {HIDDEN} \u2260 Paris", a=ref_a, b=ref_b,
                      sides=(Side(HIDDEN, (ref_a,)), Side("Paris", (ref_b,))))
    return CheckResult(corpus="c", documents=[doc, other], sentences=[], claims=[], pairs=[],
                       findings=[finding], settings={}, model_label="m")


def test_reveal_names_each_invisible_character():
    assert reveal(RLO_TITLE) == "Invoice <U+202E>gnp.exe"
    assert reveal(HIDDEN) == "Ank<U+200B>ara"
    assert reveal("tag \U000E0041") == "tag <U+E0041>"
    assert reveal("caf\u00e9 \u2013 \u00ad ok") == "caf\u00e9 \u2013 \u00ad ok"  # ordinary text is untouched
    assert reveal_controls("a\nwarning: b\t\x1b[2J") == "a\\x0awarning: b\\x09\\x1b[2J"


def test_a_bidi_title_is_visible_in_the_markdown_report():
    md = to_markdown(bidi_result())
    assert "\u202e" not in md and "\u200b" not in md and "\u2066" not in md
    assert "Invoice &lt;U\\+202E&gt;gnp.exe" in md  # renders as "Invoice <U+202E>gnp.exe"
    assert "Ank&lt;U\\+200B&gt;ara" in md


def test_json_escapes_invisible_characters_but_keeps_the_exact_text():
    text = to_json(bidi_result())
    assert "\u202e" not in text and "\u200b" not in text
    assert "\\u202e" in text
    data = json.loads(text)
    assert data["documents"][0]["title"] == RLO_TITLE  # machines get the exact string
    assert data["findings"][0]["a"]["value"] == HIDDEN
    assert json.loads(json_reveal(json.dumps({"k": "\U000E0041"}, ensure_ascii=False))) == {"k": "\U000E0041"}


def test_file_names_are_one_printable_line():
    assert display_name("x\nwarning: skipped evil.txt: forged") == "x\\x0awarning: skipped evil.txt: forged"
    assert display_name("report\u202etxt.exe") == "report<U+202E>txt.exe"


def test_a_newline_in_a_file_name_cannot_forge_a_line(tmp_path):
    (tmp_path / "a.txt").write_text("The ferry sank on Monday.")
    (tmp_path / "b.pdf\nwarning: skipped c.txt: forged").write_text("x")
    (skipped,) = load_corpus(tmp_path).skipped
    assert "\n" not in skipped.path and skipped.path.startswith("b.pdf\\x0awarning")


def test_the_terminal_stream_reveals_what_is_printed(capsys):
    console = Console(file=RevealingStream("stdout"), markup=False, emoji=False, highlight=False, width=200)
    console.print(f"title: {RLO_TITLE} [/bold] [link=https://e.vil]x[/link] :warning:")
    console.print(Text(HIDDEN, "bold"))
    printed = capsys.readouterr().out
    assert "Invoice <U+202E>gnp.exe [/bold] [link=https://e.vil]x[/link] :warning:" in printed
    assert "Ank<U+200B>ara" in printed


def test_the_cli_consoles_neither_parse_markup_nor_hide_characters(capsys):
    from rich.table import Table

    from discrepancy.cli import err, out

    out.print("[/bold] [link=https://e.vil]hidden[/link] :smile:")
    err.print(f"note: {RLO_TITLE}")
    table = Table(title="type \x1b[2J")
    table.add_column("type")
    table.add_row("location\x1b]8;;https://e.vil\x07x\x1b]8;;\x07")
    out.print(table)
    out.print("two\nlines\tand a tab")
    captured = capsys.readouterr()
    assert "[/bold] [link=https://e.vil]hidden[/link] :smile:" in captured.out
    assert "Invoice <U+202E>gnp.exe" in captured.err
    assert "\x1b" not in captured.out and "\\x1b]8;;https://e.vil\\x07x" in captured.out
    assert "two\nlines" in captured.out  # line breaks of multi-line output stay


def test_an_escaped_email_address_is_not_autolinked():
    cmarkgfm = pytest.importorskip("cmarkgfm")
    text = "Write to press.office@example.com or j_doe+news@mail.example.org, or see https://e.vil/x."
    html = cmarkgfm.github_flavored_markdown_to_html(escape_md(text))
    assert "<a " not in html and "mailto" not in html
    assert "press.office" in html and "example.com" in html


def test_only_plain_web_addresses_are_safe_urls():
    from discrepancy.safetext import safe_url

    assert safe_url(" https://harbour.example/a?b=1 ") == "https://harbour.example/a?b=1"
    for bad in ("javascript:alert(1)", "data:text/html,x", "https://a.example/\u202eexe", "https://a.example/x\u200b",
                "https://a.example/\x85", "ftp://a.example/x", "unknown", None, 42):
        assert safe_url(bad) is None, bad
