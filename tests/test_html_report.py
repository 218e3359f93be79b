"""The HTML report, read as a parser reads it: self-contained, escaped, same content as the
Markdown. (tests/test_html_browser.py loads it in a real browser.)"""

import base64
import hashlib
import re
from html.parser import HTMLParser

from discrepancy.html_report import safe_url, to_html
from discrepancy.reporting import report_data

from .report_fixtures import EVIL, sample_result


class Page(HTMLParser):
    """Every element with its attributes, and the text of <style> and <title>."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict]] = []
        self.style = ""
        self.title = ""
        self.text: list[str] = []
        self._in = None
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))
        self._in = tag

    def handle_endtag(self, tag):
        self._in = None

    def handle_data(self, data):
        if self._in == "style":
            self.style += data
        elif self._in == "title":
            self.title += data
        self.text.append(data)

    def tags(self, name):
        return [attrs for tag, attrs in self.elements if tag == name]


def test_hostile_text_is_escaped_and_inert():
    html = to_html(report_data(sample_result(hostile=True)))
    page = Page(html)
    assert page.tags("script") == [] and page.tags("img") == [] and page.tags("iframe") == []
    for tag, attrs in page.elements:
        assert not any(name.startswith("on") for name in attrs), (tag, attrs)
        assert "javascript:" not in attrs.get("href", "").lower()
    assert "<script" not in html.lower() and "<img" not in html.lower() and "<!--" not in html
    # The hostile text is still shown, as text.
    shown = " ".join(page.text)
    assert '<script>window.pwned = 1; document.title = "pwned"</script>' in shown
    assert page.title == "Discrepancy report: ferry<b>|x"


def test_only_http_links_and_nothing_loaded_from_anywhere():
    page = Page(to_html(report_data(sample_result(hostile=True))))
    hrefs = [a["href"] for a in page.tags("a")]
    external = sorted({h for h in hrefs if not h.startswith("#")})
    assert external == ["https://wire.example/ferry?a=1&b=2"]  # the javascript: URL is shown as text only
    assert all(a.get("rel") == "noopener noreferrer nofollow" for a in page.tags("a") if not a["href"].startswith("#"))
    links = page.tags("link")
    assert links == [{"rel": "icon", "href": "data:,"}]  # no favicon request either
    for tag, attrs in page.elements:
        assert "src" not in attrs, (tag, attrs)


def test_content_security_policy_allows_no_script_and_only_this_style_sheet():
    html = to_html(report_data(sample_result(hostile=True)))
    page = Page(html)
    metas = [m for m in page.tags("meta") if m.get("http-equiv") == "Content-Security-Policy"]
    assert len(metas) == 1
    policy = dict(part.strip().split(" ", 1) for part in metas[0]["content"].split(";"))
    assert policy["default-src"] == "'none'" and policy["script-src"] == "'none'"
    assert policy["base-uri"] == "'none'" and policy["form-action"] == "'none'"
    digest = base64.b64encode(hashlib.sha256(page.style.encode("utf-8")).digest()).decode()
    assert policy["style-src"] == f"'sha256-{digest}'"
    # The policy comes before anything it governs.
    assert html.index("Content-Security-Policy") < html.index("<style>") < html.index("<body>")


def test_findings_sides_sources_review_and_filters():
    data = report_data(sample_result())
    html = to_html(data)
    page = Page(html)
    findings = [a for a in page.tags("article")]
    # Conflicts in the Markdown's order (confirmed first), then the corroboration.
    assert [a["id"] for a in findings] == ["f-f1number", "f-f0location", "f-f2name"]
    assert findings[0]["class"] == "finding k-conflict t-number s-confirmed"
    location = html[html.index('id="f-f0location"'):html.index('id="f-f2name"')]
    assert location.count('class="side"') == 2
    assert "The ferry sank near <mark>Kos</mark> on Monday." in location
    link = '<a href="https://wire.example/ferry?a=1&amp;b=2" rel="noopener noreferrer nofollow">Wire One</a>'
    assert link in location
    assert "Daily Paper · <code>paper_b</code> · published 2024-03-03" in location  # its URL is not http(s)
    assert "<mark>Rhodes</mark> — 2 articles" in location
    toll = html[html.index('id="f-f1number"'):html.index('id="f-f0location"')]
    assert "possible update" in toll and 'class="badge s-confirmed">confirmed' in toll
    assert "checked with the coast guard" in toll
    assert "Appendix: rejected in review" in html and "same day, two time zones" in html
    # One checkbox per filter value, each with its label and a CSS rule that hides what it unticks.
    boxes = {i["id"] for i in page.tags("input")}
    assert boxes == {"show-k-conflict", "show-k-agreement", "show-t-location", "show-t-number", "show-t-name",
                     "show-s-confirmed", "show-s-unreviewed"}
    assert {label["for"] for label in page.tags("label")} == boxes
    for box in boxes:
        prefix, value = box.split("-", 2)[1:]
        assert f"#{box}:not(:checked) ~ main .{prefix}-{value} {{ display: none; }}" in page.style


def test_same_data_same_bytes():
    assert to_html(report_data(sample_result(True))) == to_html(report_data(sample_result(True)))


def test_safe_url_keeps_only_plain_web_links():
    assert safe_url("https://a.example/x?y=1") == "https://a.example/x?y=1"
    assert safe_url("HTTP://a.example") == "HTTP://a.example"
    for bad in ("javascript:alert(1)", "JaVaScRiPt:alert(1)", "data:text/html,x", "file:///etc/passwd", "unknown",
                "https://a.example/x y", "https://a.example/\u0000", "//a.example", "", None, "http:///x"):
        assert safe_url(bad) is None, bad


def test_every_untrusted_string_of_the_fixture_appears_only_escaped():
    html = to_html(report_data(sample_result(hostile=True)))
    raw = re.escape(EVIL[:40])
    assert not re.search(raw, html)  # never verbatim: its "<" is always "&lt;"
    assert html.count("&lt;script&gt;window.pwned") >= 10


def test_headings_name_the_subject_and_single_sources_say_how_many_more():
    from dataclasses import replace

    from discrepancy.reporting import report_data

    from .report_fixtures import sample_result

    result = sample_result()
    where = replace(result.findings[0], question="where the ferry sank")
    page = to_html(report_data(replace(result, findings=[where, *result.findings[1:]], single_source_more=3)))
    assert "location — where the ferry sank: Kos vs Rhodes" in page
    assert "…and 3 more claims of less note" in page
