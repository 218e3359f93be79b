"""Messy real-world input: bad files, legacy encodings, web pages, hostile text, syndicated
copies, user errors with their exit codes, and byte-identical output across processes.

Every bad file is generated in tmp_path; nothing binary is committed.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from discrepancy.cli import app
from discrepancy.duplicates import shingles, source_groups, stable_hash
from discrepancy.errors import DiscrepancyError, UnreadableFile
from discrepancy.loading import document_from_html, load_corpus, read_text
from discrepancy.records import (
    CheckResult,
    ClaimRef,
    Document,
    DuplicateGroup,
    Finding,
    Side,
    SingleSourceClaim,
    SkippedFile,
)
from discrepancy.reporting import to_json, to_markdown, write_atomic

from .conftest import ROOT, S400, one_line_error, write_article

runner = CliRunner()

# A Windows-1252 article: curly quotes, an en dash and accented letters are single bytes there.
WIN1252_TITLE = "Turkey\u2019s S-400 deployment draws \u201cserious concern\u201d \u2013 caf\u00e9 talks stall"
WIN1252_TEXT = (
    f"{WIN1252_TITLE}\n\n"
    "Turkey\u2019s defence ministry said on Tuesday that the S-400 batteries had been moved to the Murted air "
    "base near Ankara. The minister called the system \u201cfully operational\u201d and said the r\u00e9gime "
    "of tests was complete.\n\n"
    "A spokesman said the delivery of the system was completed in July 2019.\n"
)
HOSTILE_PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>S-400 | Hostile Herald</title>
<meta property="og:title" content="Turkey tests S-400 &lt;script&gt; radar | live">
<meta property="og:site_name" content="Hostile Herald">
<meta property="og:url" content="https://hostile.example/s400">
<meta property="article:published_time" content="2020-11-25T08:00:00Z">
<script>document.write('pwned-by-page-script')</script><style>p { color: red }</style></head>
<body><nav>Home | World | Defence</nav><article>
<h1>Turkey tests S-400 radar</h1>
<p>Turkey tested the S-400 radar system in Sinop on November 24, officials said, writing
&lt;script&gt;alert("x")&lt;/script&gt; in a statement | with | pipes.</p>
<p># Breaking: the system was delivered in July 2019, the defence ministry said. See [click](javascript:alert(1)),
![img](https://e.vil/x.png) and &lt;!-- a comment --&gt; and &lt;img src=x onerror=alert(1)&gt;.</p>
<p>The United States said the S-400 is not compatible with NATO systems and warned Turkey of sanctions.</p>
</article><footer>Copyright Hostile Herald</footer></body></html>"""


def make_bad_files(folder: Path) -> dict[str, str]:
    """Write one file of each bad kind into `folder`; returns {name: expected reason prefix}."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "binary.txt").write_bytes(b"\x00\x01\x02\x03 a binary blob \x00\xff")
    (folder / "fake_pdf.txt").write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj << >> endobj\n")
    (folder / "noise.md").write_bytes(bytes((n * 37 + 11) % 255 + 1 for n in range(3000)))
    (folder / "empty.txt").write_bytes(b"")
    (folder / "blank.md").write_text(" \n\n\t \n")
    (folder / "scan.pdf").write_bytes(b"%PDF-1.4\n")
    (folder / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    (folder / "photo.jpg").write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF")
    (folder / "letter.docx").write_bytes(b"PK\x03\x04\x14\x00")
    (folder / "dump.bin").write_bytes(b"\x00" * 16)
    (folder / "NOTES").write_text("no extension")
    (folder / "hollow.html").write_text("<html><head><script>var a = 1;</script></head><body></body></html>")
    return {
        "binary.txt": "not text: looks like a binary file",
        "fake_pdf.txt": "not text: looks like a PDF document",
        "noise.md": "not text",
        "empty.txt": "empty file",
        "blank.md": "empty file",
        "scan.pdf": "not an article file type: .pdf",
        "photo.png": "not an article file type: .png",
        "photo.jpg": "not an article file type: .jpg",
        "letter.docx": "not an article file type: .docx",
        "dump.bin": "not an article file type: .bin",
        "NOTES": "not an article file type: no extension",
        "hollow.html": "no article text found in the HTML page",
    }


# ------------------------------------------------------------------------------------------ loading


def test_each_bad_file_is_skipped_with_its_reason(tmp_path):
    expected = make_bad_files(tmp_path)
    write_article(tmp_path, "good.txt", "The ferry sank on Monday.")
    result = load_corpus(tmp_path)
    assert [d.path for d in result.documents] == ["good.txt"]
    reasons = {s.path: s.reason for s in result.skipped}
    assert set(reasons) == set(expected)
    for name, prefix in expected.items():
        assert reasons[name].startswith(prefix), (name, reasons[name])
    assert [s.path for s in result.skipped] == sorted(reasons)  # stable order


def test_side_files_hidden_files_and_folders_pass_silently(tmp_path):
    write_article(tmp_path, "a.txt", "A sentence.")
    for name in ("labels.jsonl", "discrepancy.toml", ".DS_Store", ".hidden.txt", "README.md", "readme.txt"):
        (tmp_path / name).write_text("{}")
    (tmp_path / ".discrepancy").mkdir()
    (tmp_path / "attachments").mkdir()
    result = load_corpus(tmp_path)
    assert [d.path for d in result.documents] == ["a.txt"] and result.skipped == []


def test_windows_1252_file_loads_with_its_quotes_and_accents(tmp_path):
    (tmp_path / "legacy.txt").write_bytes(WIN1252_TEXT.encode("cp1252"))
    (raw,) = load_corpus(tmp_path).documents
    assert raw.title == WIN1252_TITLE
    assert "\u201cfully operational\u201d" in raw.body and "r\u00e9gime" in raw.body
    assert raw.encoding == "cp1252"


def test_other_encodings_are_detected(tmp_path):
    (tmp_path / "bom.md").write_bytes(b"\xef\xbb\xbf---\ntitle: With a BOM\n---\nBody text.\n")
    (tmp_path / "utf16.txt").write_text("Gr\u00fc\u00dfe aus K\u00f6ln, said the mayor.", encoding="utf-16")
    (tmp_path / "cyrillic.txt").write_bytes("Министр заявил, что комплекс размещён в Анкаре.".encode("cp1251"))
    # UTF-8 with one corrupt byte stays UTF-8 (the bad byte becomes U+FFFD), not mojibake.
    (tmp_path / "damaged.txt").write_bytes("Caf\u00e9 cr\u00e8me \u2013 na\u00efve ".encode() + b"\xff" + b" end.")
    docs = {d.path: d for d in load_corpus(tmp_path).documents}
    assert docs["bom.md"].title == "With a BOM" and docs["bom.md"].body == "Body text.\n"
    assert docs["utf16.txt"].body.startswith("Gr\u00fc\u00dfe aus K\u00f6ln")
    assert docs["cyrillic.txt"].body.startswith("Министр заявил")
    assert docs["damaged.txt"].body == "Caf\u00e9 cr\u00e8me \u2013 na\u00efve \ufffd end."


def test_control_characters_and_odd_line_breaks_are_cleaned(tmp_path):
    (tmp_path / "odd.txt").write_bytes("Line one\x07\x1b.\r\nLine\u2028two.\rThree\x0c.".encode())
    (raw,) = load_corpus(tmp_path).documents
    assert raw.body == "Line one.\nLine\ntwo.\nThree\n."


def test_html_page_gives_main_text_and_metadata(tmp_path):
    (tmp_path / "page.html").write_text(HOSTILE_PAGE, encoding="utf-8")
    (raw,) = load_corpus(tmp_path).documents
    assert raw.id == "page" and raw.path == "page.html"
    assert raw.title == "Turkey tests S-400 <script> radar | live"
    assert raw.source == "Hostile Herald"
    assert raw.published == date(2020, 11, 25)
    assert raw.url == "https://hostile.example/s400"
    assert 'writing <script>alert("x")</script> in a statement | with | pipes.' in " ".join(raw.body.split())
    assert "pwned-by-page-script" not in raw.body and "color: red" not in raw.body  # scripts and styles dropped
    assert "Home | World" not in raw.body  # navigation is not article text


def test_labels_quote_a_web_page_by_its_text(tmp_path):
    from discrepancy.evaluation import Label, check_quotes

    (tmp_path / "page.html").write_text(HOSTILE_PAGE, encoding="utf-8")
    write_article(tmp_path, "a.txt", "The ferry sank on Monday.")
    quote = 'writing <script>alert("x")</script> in a statement'  # &lt;script&gt; in the HTML source
    check_quotes([Label(1, "conflict", "page.html", quote, "a.txt", "ferry sank", "other")], tmp_path)
    with pytest.raises(DiscrepancyError, match="quote not found in page.html"):
        check_quotes([Label(1, "conflict", "page.html", "pwned-by-page-script", "a.txt", "ferry", "other")], tmp_path)


def test_html_declared_legacy_charset_and_short_pages(tmp_path):
    page = '<html><head><meta charset="iso-8859-1"><title>Caf\xe9</title></head><body><p>Caf\xe9 \x93news\x94.</p>'
    (tmp_path / "legacy.htm").write_bytes(page.encode("latin-1"))
    (raw,) = load_corpus(tmp_path).documents
    assert raw.title == "Caf\u00e9" and raw.body.strip() == "Caf\u00e9 \u201cnews\u201d."
    assert raw.encoding == "cp1252"
    fragment = document_from_html("f", "f.html", "<p>Only a fragment.</p>")
    assert fragment.body == "Only a fragment." and fragment.title == "Only a fragment."


def test_size_limit_names_the_size_and_the_limit(tmp_path):
    write_article(tmp_path, "small.txt", "Small article.")
    (tmp_path / "huge.txt").write_bytes(b"word " * 300_000)  # 1.4 MB
    result = load_corpus(tmp_path, max_file_mb=1)
    (skipped,) = result.skipped
    assert skipped.path == "huge.txt"
    assert skipped.reason == "too large: 1.4 MB, over the 1 MB limit set by max_file_mb"
    assert len(load_corpus(tmp_path, max_file_mb=0).documents) == 2  # 0 or None: no limit


def test_broken_links_and_unreadable_files_are_skipped(tmp_path):
    write_article(tmp_path, "a.txt", "A sentence.")
    (tmp_path / "gone.txt").symlink_to(tmp_path / "missing.txt")
    reasons = {s.path: s.reason for s in load_corpus(tmp_path).skipped}
    assert reasons == {"gone.txt": "broken link"}
    with pytest.raises(UnreadableFile, match=r"cannot read .*binary\.txt: not text") as info:
        (tmp_path / "binary.txt").write_bytes(b"\x00\x01")
        read_text(tmp_path / "binary.txt")
    assert isinstance(info.value, OSError) and isinstance(info.value, DiscrepancyError)


def test_permission_denied_is_skipped(tmp_path, monkeypatch):
    write_article(tmp_path, "a.txt", "A sentence.")
    locked = write_article(tmp_path, "locked.txt", "Secret.")
    real_open = os.open

    def guarded_open(path, *args, **kwargs):  # chmod 000 does not stop root, so refuse here
        if Path(path) == locked:
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(os, "open", guarded_open)
    result = load_corpus(tmp_path)
    assert [d.path for d in result.documents] == ["a.txt"]
    assert result.skipped == [SkippedFile("locked.txt", "unreadable: Permission denied")]


def test_same_stem_and_undecodable_names_get_unique_printable_ids(tmp_path):
    write_article(tmp_path, "story.txt", "Plain text story.")
    (tmp_path / "story.html").write_text("<html><body><p>Web story about the ferry.</p></body></html>")
    bad_name = os.fsdecode(b"caf\xe9.txt")  # a Latin-1 file name on a UTF-8 system
    (tmp_path / bad_name).write_text("Undecodable name.")
    docs = load_corpus(tmp_path).documents
    assert sorted(d.id for d in docs) == ["caf\\xe9", "story", "story.txt"]
    for doc in docs:
        doc.id.encode("utf-8")
        doc.path.encode("utf-8")


def test_own_report_in_the_folder_is_not_an_article(tmp_path):
    write_article(tmp_path, "a.txt", "A sentence.")
    (tmp_path / "report.md").write_text("# Discrepancy report: c\n\n- **Corpus:** `c`\n")
    loaded = load_corpus(tmp_path)
    assert [d.path for d in loaded.documents] == ["a.txt"] and loaded.skipped == []  # passed over silently


# ------------------------------------------------------------------------------------------ duplicates


def test_shingle_hash_is_stable_across_processes():
    code = ("from discrepancy.duplicates import shingles, stable_hash;"
            "print(stable_hash('the ferry sank'), sorted(shingles('the ferry sank on monday near the island')))")
    outputs = set()
    for seed in ("1", "2", "random"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
        outputs.add(done.stdout)
    assert len(outputs) == 1
    assert str(stable_hash("the ferry sank")) in outputs.pop()


def doc(doc_id: str, text: str) -> Document:
    return Document(doc_id, f"{doc_id}.txt", doc_id, "unknown", None, "unknown", text)


def test_identical_and_near_identical_articles_are_one_source():
    wire = ("The ferry Aegean Star sank on Monday morning near the island of Kos with 212 people on board, "
            "the coast guard said. Rescue teams searched the area through the night.")
    docs = [
        doc("a_wire", wire),
        doc("b_other", "A different report says the vessel went down on Sunday near Rhodes after a fire."),
        doc("c_copy", wire),
        doc("d_syndicated", "Island Post. " + wire + " Follow us for more news. Copyright Island Post."),
        doc("e_short", "Ferry sank."),
        doc("f_short_copy", "Ferry  sank!"),
    ]
    groups, duplicates = source_groups(docs, threshold=0.6)
    assert groups == {"a_wire": 0, "b_other": 1, "c_copy": 0, "d_syndicated": 0, "e_short": 2, "f_short_copy": 2}
    assert duplicates == [DuplicateGroup(("a_wire", "c_copy", "d_syndicated"), 1.0),
                          DuplicateGroup(("e_short", "f_short_copy"), 1.0)]
    assert not shingles("") and len(shingles("one two")) == 1


# ------------------------------------------------------------------------------------------ report escaping

EVIL = '# <script>alert(1)</script> | a [link](javascript:x) ![i](http://e.vil/i.png) <!-- c --> `tick` **b**\n## h'


def hostile_result() -> CheckResult:
    ids = ["a`b|c", "<script>x"]
    documents = [Document(i, f"{i}.txt", EVIL, EVIL, None, "unknown", "text") for i in ids]
    ref_a = ClaimRef(doc=ids[0], text=EVIL, value="<script>", claim_id="c1")
    ref_b = ClaimRef(doc=ids[1], text=EVIL + " | x", value="| x", claim_id="c2")
    finding = Finding(id="f1", kind="conflict", type="location", score=0.9, similarity=0.8, reason=EVIL, a=ref_a,
                      b=ref_b, sides=(Side("<script>", (ref_a,)), Side("| x", (ref_b,))))
    agreement = Finding(id="f2", kind="agreement", type="name", score=0.9, similarity=0.8, reason=EVIL, a=ref_a,
                        b=ref_b, sides=(Side(EVIL, (ref_a, ref_b)),))
    return CheckResult(
        corpus="/tmp/<script>|corpus", documents=documents, sentences=[], claims=[], pairs=[],
        findings=[finding, agreement], single_source=[SingleSourceClaim(ids[0], EVIL, (EVIL,))],
        duplicates=[DuplicateGroup(tuple(ids), 1.0)], skipped=[SkippedFile("x|<b>`.pdf", EVIL)],
        settings={}, model_label="m",
    )


def test_report_quotes_cannot_inject_html_or_markdown():
    md = to_markdown(hostile_result())
    assert "<script" not in md.lower() and "<!--" not in md and "<img" not in md and "<b>" not in md
    assert "](" not in md.replace("\\]", "")  # no link or image syntax survives
    for line in md.splitlines():
        if line.startswith("#"):
            assert re.match(r"#{1,3} (Discrepancy report|Summary|Conflicts|Corroborated|Only in one source|"
                            r"Articles|Removed by cleaning|Appendix|\d+\. )", line), line
    lines = md.splitlines()
    start = lines.index("| id | title | source | published | sentences | dropped |") + 2
    article_rows = lines[start:start + 2]
    assert lines[start + 2] == "" and all(row.startswith("| ") for row in article_rows)
    for row in article_rows:  # exactly the 7 cell borders, however many pipes the text had
        assert sum(1 for m in re.finditer(r"(\\*)\|", row) if len(m.group(1)) % 2 == 0) == 7, row


def test_json_is_valid_utf8_for_any_text(tmp_path):
    result = hostile_result()
    nasty = "lone \ud800 surrogate, NUL \x00, bell \x07, RTL \u202e, emoji \U0001f600"
    result.documents[0] = Document("n", "n.txt", nasty, nasty, None, "unknown", nasty)
    target = tmp_path / "f.json"
    write_atomic(target, to_json(result))
    data = json.loads(target.read_bytes().decode("utf-8"))  # strict UTF-8 decode
    assert data["documents"][0]["title"].startswith("lone ? surrogate, NUL \x00")
    write_atomic(tmp_path / "r.md", to_markdown(result))
    (tmp_path / "r.md").read_bytes().decode("utf-8")


def test_atomic_write_keeps_the_old_file_when_the_write_fails(tmp_path, monkeypatch):
    target = tmp_path / "r.md"
    write_atomic(target, "old")
    target.chmod(0o640)

    def boom(fd):
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "fsync", boom)
    with pytest.raises(KeyboardInterrupt):
        write_atomic(target, "new " * 1000)
    monkeypatch.undo()
    assert target.read_text() == "old" and [p.name for p in tmp_path.iterdir()] == ["r.md"]
    write_atomic(target, "new")
    assert target.read_text() == "new" and target.stat().st_mode & 0o777 == 0o640  # permissions kept


# ------------------------------------------------------------------------------------------ CLI errors


def test_missing_folder_and_not_a_folder(tmp_path):
    one_line_error(runner.invoke(app, ["check", str(tmp_path / "nope")]), "corpus folder not found", "nope")
    (tmp_path / "file.txt").write_text("x")
    one_line_error(runner.invoke(app, ["check", str(tmp_path / "file.txt")]), "not a folder", "file.txt")


def test_empty_folder_and_folder_without_articles(tmp_path):
    (tmp_path / "empty").mkdir()
    one_line_error(runner.invoke(app, ["check", str(tmp_path / "empty")]), "no article files", "empty")
    (tmp_path / "scans").mkdir()
    (tmp_path / "scans" / "scan.pdf").write_bytes(b"%PDF-1.4\n")
    one_line_error(runner.invoke(app, ["check", str(tmp_path / "scans")]), "no article files", "scans",
                   "scan.pdf: not an article file type: .pdf")
    make_bad_files(tmp_path / "bad")  # article files, none usable
    one_line_error(runner.invoke(app, ["check", str(tmp_path / "bad"), "--no-cache"]), "nothing to compare",
                   "0 usable", "binary.txt: not text")


def test_nothing_comparable_names_the_skipped_files(tmp_path):
    corpus = tmp_path / "c"
    write_article(corpus, "only.txt", "The ferry sank on Monday.")
    (corpus / "binary.txt").write_bytes(b"\x00\x01")
    (corpus / "gone.md").symlink_to(corpus / "missing.md")
    result = runner.invoke(app, ["check", str(corpus), "--no-cache"])
    one_line_error(result, "nothing to compare", "only.txt", "binary.txt: not text", "gone.md: broken link")


def test_labels_errors_name_the_file_and_line(tmp_path):
    labels = tmp_path / "l.jsonl"
    labels.write_text('{"kind": "conflict", "a_file": "000_4958c1211c77e6e4.txt", "a": "words not in the file", '
                      '"b_file": "001_f634004c73646d39.txt", "b": "Ankara", "type": "location"}\n')
    result = runner.invoke(app, ["evaluate", str(S400), "--labels", str(labels)])
    one_line_error(result, "l.jsonl:1", "quote not found in 000_4958c1211c77e6e4.txt", "words not in the file")
    labels.write_text("{not json\n")
    one_line_error(runner.invoke(app, ["evaluate", str(S400), "--labels", str(labels)]), "l.jsonl:1: not valid JSON")
    missing = tmp_path / "missing.jsonl"
    one_line_error(runner.invoke(app, ["evaluate", str(S400), "--labels", str(missing)]), "missing.jsonl")


def test_unwritable_outputs_fail_before_the_run(tmp_path):
    (tmp_path / "adir").mkdir()
    one_line_error(runner.invoke(app, ["check", str(S400), "-o", str(tmp_path / "adir")]),
                   "cannot write", "adir", "is a folder")
    (tmp_path / "afile").write_text("x")
    one_line_error(runner.invoke(app, ["check", str(S400), "--json", str(tmp_path / "afile" / "f.json")]),
                   "cannot write", "afile", "is not a folder")
    same = str(tmp_path / "same.out")
    one_line_error(runner.invoke(app, ["check", str(S400), "-o", same, "--json", same]), "same file", "same.out")


def test_output_into_a_read_only_folder_fails_before_the_run(tmp_path, monkeypatch):
    locked = tmp_path / "locked"
    locked.mkdir()
    real_access = os.access
    # A read-only folder as a non-root user sees it (root may write anywhere).
    monkeypatch.setattr(os, "access", lambda path, mode: False if Path(path) == locked else real_access(path, mode))
    one_line_error(runner.invoke(app, ["check", str(S400), "-o", str(locked / "sub" / "r.md")]),
                   "permission denied", "locked")


def test_bad_option_values_exit_2_naming_the_value(tmp_path):
    for args, needle in ((["--top-k", "0"], "--top-k"), (["--min-score", "7"], "--min-score"),
                         (["--similarity-threshold", "high"], "--similarity-threshold")):
        result = runner.invoke(app, ["check", str(S400), *args])
        assert result.exit_code == 2 and needle in result.output and "Traceback" not in result.output, result.output
    corpus = tmp_path / "c"
    write_article(corpus, "a.txt", "The ferry sank on Monday near Kos.")
    write_article(corpus, "b.txt", "The ferry sank on Sunday near Rhodes.")
    result = runner.invoke(app, ["check", str(corpus), "--no-cache", "--model", str(tmp_path / "no-model")])
    one_line_error(result, "model folder not found", "no-model")


def test_bad_config_value_and_the_size_limit_from_the_config_file(tmp_path):
    corpus = tmp_path / "c"
    for path in sorted(S400.glob("*.txt"))[:2]:
        corpus.mkdir(exist_ok=True)
        shutil.copyfile(path, corpus / path.name)
    (corpus / "discrepancy.toml").write_text("max_file_mb = -5\n")
    one_line_error(runner.invoke(app, ["check", str(corpus), "--no-cache"]), "max_file_mb", "-5", "discrepancy.toml")
    (corpus / "discrepancy.toml").write_text("max_file_mb = 0.001\n")  # about 1 KB: every article is too large
    one_line_error(runner.invoke(app, ["check", str(corpus), "--no-cache"]), "nothing to compare",
                   "000_4958c1211c77e6e4.txt: too large: 4.0 KB, over the 0.001 MB limit set by max_file_mb")


def test_internal_errors_exit_3_and_debug_shows_the_traceback(monkeypatch):
    import discrepancy.pipeline

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(discrepancy.pipeline, "check_corpus", broken)
    result = runner.invoke(app, ["check", str(S400)])
    one_line_error(result, "unexpected RuntimeError: boom", "--debug", code=3)
    debug = runner.invoke(app, ["--debug", "check", str(S400)])
    assert isinstance(debug.exception, RuntimeError)


# ------------------------------------------------------------------------------------------ end to end


def messy_corpus(folder: Path) -> Path:
    """The S-400 articles plus a binary file, an empty file, a Windows-1252 article, a hostile web
    page, a PDF, an image and a byte-identical copy of one article."""
    folder.mkdir(parents=True)
    for path in sorted(S400.glob("*.txt")):
        shutil.copyfile(path, folder / path.name)
    shutil.copyfile(S400 / "000_4958c1211c77e6e4.txt", folder / "copy_of_000.txt")
    (folder / "binary.txt").write_bytes(b"\x00\x01\x02\x03 blob \x00")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "scan.pdf").write_bytes(b"%PDF-1.4\n")
    (folder / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (folder / "legacy_1252.txt").write_bytes(WIN1252_TEXT.encode("cp1252"))
    (folder / "hostile.html").write_text(HOSTILE_PAGE, encoding="utf-8")
    return folder


def run_cli(*args: str, seed: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONHASHSEED": seed}
    return subprocess.run([sys.executable, "-m", "discrepancy.cli", *args], env=env, capture_output=True, text=True,
                          cwd=ROOT, timeout=300)


@pytest.fixture(scope="session")
def messy_run(tmp_path_factory):
    """Two separate processes with different hash seeds check the messy corpus."""
    base = tmp_path_factory.mktemp("messy")
    corpus = messy_corpus(base / "corpus")
    runs = []
    for n, seed in enumerate(("0", "4242")):
        md, js = base / f"report{n}.md", base / f"findings{n}.json"
        done = run_cli("check", str(corpus), "-o", str(md), "--json", str(js), "--cache-dir", str(base / "cache"),
                       seed=seed)
        runs.append((done, md, js))
    return runs


def test_messy_corpus_succeeds_and_names_what_it_skipped(messy_run):
    done, md, js = messy_run[0]
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    for name in ("binary.txt", "empty.txt", "scan.pdf", "photo.png"):
        assert re.search(rf"^warning: skipped {re.escape(name)}: ", done.stderr, re.MULTILINE), done.stderr
    assert "note: syndicated copies counted as one source: 000_4958c1211c77e6e4, copy_of_000" in done.stderr
    data = json.loads(js.read_text(encoding="utf-8"))
    assert {s["path"] for s in data["skipped"]} == {"binary.txt", "empty.txt", "scan.pdf", "photo.png"}
    assert data["duplicates"] == [{"docs": ["000_4958c1211c77e6e4", "copy_of_000"], "similarity": 1.0}]
    report = md.read_text(encoding="utf-8")
    assert "Syndicated copies (counted as one source): `000_4958c1211c77e6e4` = `copy_of_000`." in report
    for name in ("binary.txt", "empty.txt", "scan.pdf", "photo.png"):
        assert f"`{name}`" in report


def test_messy_corpus_reads_legacy_text_and_web_pages(messy_run):
    _, _, js = messy_run[0]
    docs = {d["id"]: d for d in json.loads(js.read_text(encoding="utf-8"))["documents"]}
    assert docs["legacy_1252"]["title"] == WIN1252_TITLE
    page = docs["hostile"]
    assert (page["title"], page["source"], page["published"], page["url"]) == (
        "Turkey tests S-400 <script> radar | live", "Hostile Herald", "2020-11-25", "https://hostile.example/s400")


def test_messy_report_has_no_raw_html(messy_run):
    _, md, _ = messy_run[0]
    report = md.read_text(encoding="utf-8")
    assert "<script" not in report.lower() and "<!--" not in report and "<img" not in report
    assert "&lt;script&gt;" in report  # the page's text is quoted, escaped
    assert not any(line.startswith("# Breaking") for line in report.splitlines())


def test_duplicates_never_corroborate_or_conflict_with_each_other(messy_run):
    _, _, js = messy_run[0]
    data = json.loads(js.read_text(encoding="utf-8"))
    group_of = {d["id"]: d["id"] for d in data["documents"]}
    for group in data["duplicates"]:
        for doc_id in group["docs"]:
            group_of[doc_id] = group["docs"][0]
    assert group_of["copy_of_000"] == group_of["000_4958c1211c77e6e4"]
    for finding in data["findings"]:
        side_groups = [{group_of[c["doc"]] for c in side["claims"]} for side in finding["sides"]]
        # Sources are counted per source group: the copy adds nothing.
        assert finding["sources"] == len(set().union(*side_groups)), finding["id"]
        # A copy and its original are never the two ends of a comparison.
        assert group_of[finding["a"]["doc"]] != group_of[finding["b"]["doc"]], finding["id"]
        if finding["kind"] == "conflict":  # a conflict needs two sources, not an article and its copy
            assert len(set().union(*side_groups)) >= 2, finding["id"]
    agreements = [f for f in data["findings"] if f["kind"] == "agreement"]
    for finding in agreements:
        docs = {c["doc"] for side in finding["sides"] for c in side["claims"]}
        assert docs != {"000_4958c1211c77e6e4", "copy_of_000"}


def test_same_corpus_gives_byte_identical_outputs_across_processes(messy_run):
    (first, md0, js0), (second, md1, js1) = messy_run
    assert first.returncode == 0 and second.returncode == 0, second.stderr
    assert js0.read_bytes() == js1.read_bytes()
    assert md0.read_bytes() == md1.read_bytes()
