import json
import re

from discrepancy.reporting import escape_md, highlight, to_json, to_markdown, write_atomic


def test_quotes_cannot_inject_html_or_markdown():
    text = escape_md("# Title <script>alert(1)</script> | col")
    assert "<script>" not in text and "\\#" in text and "\\|" in text


def test_value_is_bold_inside_the_quote():
    assert highlight("located in Ankara.", "Ankara") == "located in **Ankara**."


def test_atomic_write_replaces_whole_file(tmp_path):
    target = tmp_path / "r.md"
    write_atomic(target, "one")
    write_atomic(target, "two")
    assert target.read_text() == "two"
    assert [p.name for p in tmp_path.iterdir()] == ["r.md"]


def test_report_is_deterministic_and_has_the_sections(s400_result):
    md = to_markdown(s400_result)
    assert md == to_markdown(s400_result)
    assert to_json(s400_result) == to_json(s400_result)
    for heading in ("## Summary", "## Conflicts", "## Corroborated", "## Only in one source", "## Articles"):
        assert heading in md


# --- Markdown renders the same in CommonMark and Python-Markdown (MkDocs) ---------------------

def element_paths(html: str) -> list[str]:
    """Every element as its path from the root ("ul/li/ul/li/blockquote/p"), in document order."""
    from html.parser import HTMLParser

    class Paths(HTMLParser):
        def __init__(self):
            super().__init__()
            self.stack: list[str] = []
            self.paths: list[str] = []

        def handle_starttag(self, tag, attrs):
            if tag in ("br", "hr", "img"):  # void elements have no end tag
                self.paths.append("/".join([*self.stack, tag]))
                return
            self.stack.append(tag)
            self.paths.append("/".join(self.stack))

        def handle_endtag(self, tag):
            if tag in self.stack:
                while self.stack.pop() != tag:
                    pass

    parser = Paths()
    parser.feed(html)
    return parser.paths


def render_both(md: str) -> tuple[list[str], list[str]]:
    import markdown
    from markdown_it import MarkdownIt

    commonmark = MarkdownIt("commonmark").enable("table").render(md)
    python_markdown = markdown.markdown(md, extensions=["tables"])
    return element_paths(commonmark), element_paths(python_markdown)


def assert_same_structure(md: str) -> list[str]:
    commonmark, python_markdown = render_both(md)
    assert commonmark == python_markdown
    return commonmark


def test_markdown_has_the_same_structure_in_commonmark_and_python_markdown(s400_result):
    paths = assert_same_structure(to_markdown(s400_result))
    conflicts = [f for f in s400_result.findings if f.kind == "conflict"]
    # Each side is a list item holding a nested list of articles, each quoting its sentence.
    quotes = [p for p in paths if p.endswith("ul/li/ul/li/blockquote")]
    assert len(quotes) == sum(len(side.claims) for f in conflicts for side in f.sides)
    assert paths.count("table") == 2  # the summary and the articles


def test_nested_lists_use_four_spaces(s400_result):
    md = to_markdown(s400_result)
    nested = [line for line in md.splitlines() if line.startswith(" ")]
    assert nested and all(line.startswith(("    - ", "        > ")) for line in nested)


def test_hostile_and_compared_reports_keep_their_structure_too(tmp_path):
    from discrepancy.changes import compare_runs, read_previous

    from .report_fixtures import sample_result, without

    hostile = sample_result(hostile=True)
    paths = assert_same_structure(to_markdown(hostile))
    assert not any(p.split("/")[-1] in ("script", "img", "iframe") for p in paths)
    # The only links are to the one article with a web address, never a javascript: URL.
    from markdown_it import MarkdownIt

    hrefs = set(re.findall(r'href="([^"]*)"', MarkdownIt("commonmark").enable("table").render(to_markdown(hostile))))
    assert hrefs == {"https://wire.example/ferry?a=1&amp;b=2"}
    (tmp_path / "prev.json").write_text(to_json(without(hostile, "f2name")), encoding="utf-8")
    changes = compare_runs(read_previous(tmp_path / "prev.json"), without(hostile, "f0location"))
    assert_same_structure(to_markdown(without(hostile, "f0location"), changes))


def test_the_structure_check_can_fail():
    """Two-space nesting, as the report used to have, renders differently: the check sees it."""
    old_style = "- **Ankara** — 1 article:\n  - `001`, published unknown:\n    > located in **Ankara**.\n"
    commonmark, python_markdown = render_both(old_style)
    assert commonmark != python_markdown


# --- Versions of one story, and every line cleaning removed -----------------------------------

def test_versions_are_a_section_of_their_own_with_both_copies_and_dates():
    from .report_fixtures import sample_result, with_versions_and_dropped

    result = with_versions_and_dropped(sample_result())
    md = to_markdown(result)
    section = md[md.index("## Versions differ"):md.index("## Corroborated")]
    assert "### V1. number: Seven vs Twelve" in section
    assert "`wire_a`, [Wire One](https://wire.example/ferry?a=1&b=2), published 2024-03-02" in section
    assert "`paper_b`, Daily Paper, published 2024-03-03" in section
    assert "Versions differ: 1 value changed between syndicated copies" in md
    paths = assert_same_structure(md)
    quotes = [p for p in paths if p.endswith("ul/li/ul/li/blockquote")]
    conflicts = [f for f in result.findings if f.kind == "conflict"]
    assert len(quotes) == sum(len(side.claims) for f in conflicts for side in f.sides) + 2
    data = json.loads(to_json(result))
    assert data["summary"]["versions_differ"] == 1
    (version,) = data["versions"]
    assert version["kind"] == "versions differ" and [s["value"] for s in version["sides"]] == ["Seven", "Twelve"]
    assert version["sides"][1]["claims"][0] == {"doc": "paper_b", "text": "Twelve people were killed.",
                                                "source": "Daily Paper", "published": "2024-03-03"}


def test_no_versions_no_section():
    from .report_fixtures import sample_result

    assert "Versions differ" not in to_markdown(sample_result())


def test_every_removed_line_is_listed_with_its_article_and_reason():
    from .report_fixtures import sample_result, with_versions_and_dropped

    md = to_markdown(with_versions_and_dropped(sample_result(), dropped_lines=2))
    appendix = md[md.index("## Appendix: removed by cleaning"):]
    assert "- `wire_a`, photo credit: Photo: agency 0" in appendix
    assert "- `wire_a`, photo credit: Photo: agency 1" in appendix and "<details>" not in appendix


def test_a_long_list_of_removed_lines_is_folded_and_renders_alike_everywhere():
    from .report_fixtures import sample_result, with_versions_and_dropped

    for hostile in (False, True):
        md = to_markdown(with_versions_and_dropped(sample_result(hostile=hostile), dropped_lines=30))
        appendix = md[md.index("## Appendix: removed by cleaning"):]
        assert "<details>\n<summary>30 removed lines</summary>\n<ul>" in appendix
        assert appendix.count("<li><code>wire_a</code>, photo credit: Photo: agency ") == 30
        paths = assert_same_structure(md)
        assert paths.count("details/ul/li") == 30
        assert not any(p.split("/")[-1] in ("script", "img", "iframe") for p in paths)
        assert not any("details" in p and p.split("/")[-1] == "a" for p in paths)  # the outlets' links only


def test_html_and_csv_show_versions_and_removed_lines_too(tmp_path):
    import csv
    import io

    from discrepancy.reporting import write_reports

    from .report_fixtures import sample_result, with_versions_and_dropped

    result = with_versions_and_dropped(sample_result(hostile=True), dropped_lines=3)
    write_reports(result, html_path=tmp_path / "r.html", csv_path=tmp_path / "r.csv")
    html = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert '<section id="versions"><h2>Versions differ</h2>' in html and "<script>" not in html
    assert html.count("<li>photo credit: Photo: agency ") == 3
    rows = list(csv.DictReader(io.StringIO((tmp_path / "r.csv").read_text(encoding="utf-8-sig"), newline="")))
    versions = [r for r in rows if r["kind"] == "versions differ"]
    assert [(r["value"].split()[0], r["articles"], r["published"]) for r in versions] == [
        ("Seven", "wire_a", "2024-03-02"), ("Twelve", "paper_b", "2024-03-03")]
def test_outlets_link_to_their_articles_in_the_markdown():
    from .report_fixtures import sample_result

    md = to_markdown(sample_result())
    assert "`wire_a`, [Wire One](https://wire.example/ferry?a=1&b=2), published 2024-03-02" in md
    assert "| [Wire One](https://wire.example/ferry?a=1&b=2) |" in md  # the articles table
    assert "javascript" not in md  # paper_b's address is no web link: its name stays plain
    assert "`paper_b`, Daily Paper, published 2024-03-03" in md


def test_a_link_address_cannot_break_out_of_its_link():
    from discrepancy.reporting import md_link

    assert md_link("Wire", "https://a.example/p(1)|x]<b>\\y") == "[Wire](https://a.example/p%281%29%7Cx%5D%3Cb%3E%5Cy)"
    assert md_link("Wire", "javascript:alert(1)") == "Wire"
    assert md_link("Wire", "unknown") == "Wire"


def test_json_carries_each_quote_s_outlet_and_address():
    from dataclasses import replace

    from .report_fixtures import sample_result

    result = sample_result()
    where = result.findings[0]
    linked = replace(where, a=replace(where.a, url="https://wire.example/ferry?a=1&b=2"),
                     question="where the ferry sank")
    data = json.loads(to_json(replace(result, findings=[linked, *result.findings[1:]])))
    finding = data["findings"][0]
    assert finding["question"] == "where the ferry sank"
    assert finding["a"]["url"] == "https://wire.example/ferry?a=1&b=2" and finding["b"]["url"] is None
    assert {"doc", "text", "source", "url"} <= set(finding["sides"][0]["claims"][0])


def test_headings_name_the_subject_and_single_sources_say_how_many_more():
    from dataclasses import replace

    from .report_fixtures import sample_result

    result = sample_result()
    where = replace(result.findings[0], question="where the ferry sank")
    md = to_markdown(replace(result, findings=[where, *result.findings[1:]], single_source_more=4))
    assert "### 2. location — where the ferry sank: Kos vs Rhodes (unreviewed)" in md
    assert "…and 4 more claims of less note" in md
