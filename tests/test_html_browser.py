"""The HTML report in a real browser: headless Chromium (Debian's package, driven by Playwright)
loads the file, the findings render, hostile article text stays inert, nothing is fetched,
the filters work, and a screenshot is saved.

Screenshots go to build/test-artifacts/ (or $DISCREPANCY_ARTIFACTS). Where no Chromium or
no Playwright is installed the tests skip and say why; CI sets DISCREPANCY_BROWSER_REQUIRED=1
so that there a missing browser fails instead of skipping.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from discrepancy.html_report import to_html
from discrepancy.reporting import report_data

from .conftest import ROOT
from .report_fixtures import sample_result

REQUIRED = os.environ.get("DISCREPANCY_BROWSER_REQUIRED") == "1"
ARTIFACTS = Path(os.environ.get("DISCREPANCY_ARTIFACTS") or ROOT / "build" / "test-artifacts")
# The flags that work on a closed network: no background connections, no sandbox as root, no GPU.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-sync",
                 "--disable-background-networking", "--disable-component-update", "--disable-dev-shm-usage"]


def find_chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        path = shutil.which(name)
        if path:
            return path
    return None


@pytest.fixture(scope="module")
def browser():
    chromium = find_chromium()
    reason = None
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        reason = "Playwright is not installed (pip install -e '.[test]')"
    if reason is None and chromium is None:
        reason = "no Chromium browser installed (apt-get install chromium; .ci/run installs it)"
    if reason:
        if REQUIRED:
            pytest.fail(f"DISCREPANCY_BROWSER_REQUIRED=1 but {reason}")
        pytest.skip(reason)
    with sync_playwright() as playwright:
        # Playwright gives every launch a fresh, empty profile (user data dir).
        launched = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS, headless=True)
        yield launched
        launched.close()


class Visit:
    """A page opened on a local file, with every request, dialog, console message and error recorded."""

    def __init__(self, browser, path: Path):
        self.page = browser.new_page(viewport={"width": 1200, "height": 900})
        self.requests: list[str] = []
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        self.console: list[str] = []
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("console", lambda m: self.console.append(m.text))
        self.url = path.resolve().as_uri()
        self.page.goto(self.url, wait_until="load")
        self.page.wait_for_timeout(300)  # let an injected handler (onerror) fire if it could

    def count(self, selector: str) -> int:
        return self.page.locator(selector).count()

    def visible(self, selector: str) -> list[str]:
        """Ids of the elements matching `selector` that are displayed."""
        return self.page.eval_on_selector_all(
            selector, "els => els.filter(e => e.offsetParent !== null).map(e => e.id)")

    def screenshot(self, name: str) -> Path:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        target = ARTIFACTS / name
        self.page.screenshot(path=str(target), full_page=True)
        return target


def write_report(tmp_path: Path, result, name: str = "report.html") -> Path:
    path = tmp_path / name
    path.write_text(to_html(report_data(result)), encoding="utf-8")
    return path


def test_findings_render_and_hostile_text_stays_inert(browser, tmp_path):
    visit = Visit(browser, write_report(tmp_path, sample_result(hostile=True)))
    page = visit.page
    # Nothing ran: no injected script, handler or link; the title is the report's.
    assert page.title() == "Discrepancy report: ferry<b>|x"
    assert page.evaluate("typeof window.pwned") == "undefined"
    assert visit.dialogs == [] and visit.errors == []
    assert visit.count("script") == 0 and visit.count("img") == 0 and visit.count("[onerror]") == 0
    assert visit.count("a[href^='javascript' i]") == 0
    # The hostile text is on the page as text.
    quote = page.locator("#f-f0location blockquote").first.inner_text()
    assert quote.startswith("The ferry sank near Kos on Monday. <script>window.pwned = 1;")
    assert "<img src=x onerror=" in quote
    # The findings render: conflicts with their sides next to each other, values marked.
    assert visit.visible("article.finding") == ["f-f1number", "f-f0location", "f-f2name"]
    assert visit.count("#f-f1number .side") == 3 and visit.count("#f-f0location .side") == 2
    sides = page.locator("#f-f0location .side")
    left, right = sides.nth(0).bounding_box(), sides.nth(1).bounding_box()
    assert abs(left["y"] - right["y"]) < 1 and right["x"] > left["x"] + left["width"] - 1  # side by side
    assert page.locator("#f-f0location .side").nth(1).locator("blockquote mark").first.inner_text() == "Rhodes"
    assert page.locator("#f-f0location a").first.get_attribute("href") == "https://wire.example/ferry?a=1&b=2"
    # Nothing was fetched but the file itself (the icon is an inline data: URL).
    assert [u for u in visit.requests if not u.startswith("data:")] == [visit.url]
    shot = visit.screenshot("html-report-hostile.png")
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 10_000
    page.close()


def test_filters_hide_and_show_findings_without_script(browser, tmp_path):
    visit = Visit(browser, write_report(tmp_path, sample_result()))
    page = visit.page
    everything = ["f-f1number", "f-f0location", "f-f2name"]
    assert visit.visible("article.finding") == everything
    page.click("label[for=show-t-number]")
    assert visit.visible("article.finding") == ["f-f0location", "f-f2name"]
    page.click("label[for=show-k-agreement]")
    assert visit.visible("article.finding") == ["f-f0location"]
    page.click("label[for=show-s-unreviewed]")
    assert visit.visible("article.finding") == []
    for box in ("show-t-number", "show-k-agreement", "show-s-unreviewed"):
        page.click(f"label[for={box}]")
    assert visit.visible("article.finding") == everything
    # The articles table and the summary are never filtered away.
    assert page.locator("#articles table tr").count() == 4
    page.close()


def test_the_s400_report_renders_every_finding(browser, tmp_path, s400_result):
    visit = Visit(browser, write_report(tmp_path, s400_result, "s400.html"))
    conflicts = [f for f in s400_result.findings if f.kind == "conflict"]
    assert visit.count("#conflicts article.finding") == len(conflicts) > 0
    assert visit.count("#corroborated article.finding") == len(s400_result.findings) - len(conflicts)
    assert visit.count("#conflicts .side mark") >= 2 * len(conflicts)
    assert [u for u in visit.requests if not u.startswith("data:")] == [visit.url]
    assert visit.errors == [] and visit.console == []
    visit.screenshot("html-report-s400.png")
    visit.page.close()
