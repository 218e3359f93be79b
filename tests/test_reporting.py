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
