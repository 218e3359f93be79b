"""HTML report: one self-contained page for reading and sharing findings in a browser.

Rendered from `reporting.report_data` (the JSON's content), with the same content as
the Markdown report: each finding's sides side by side with the differing value
marked, the outlets linked to their articles, the review status, and what changed
since the previous run when there was one.

Safety. Everything quoted from an article (text, titles, outlets, file names,
URLs) is escaped. Only http(s) URLs become links. The page loads nothing: no
script, font, image or style sheet from anywhere, and its Content-Security-Policy
says so to the browser (`default-src 'none'`; the one inline style sheet is
allowed by its hash). The filters by type, review status, kind and change are
CSS only (checkboxes and sibling selectors), so the page needs no script at all.
Output is deterministic: same data, same bytes.
"""

from __future__ import annotations

import base64
import hashlib
import html
import re
from collections import Counter

from .formatting import plural, scorer_label
from .safetext import inline_text, safe_url  # noqa: F401  (safe_url: re-exported)
from .version import __version__

STATUS_LABELS = {"unreviewed": "unreviewed", "confirmed": "confirmed", "rejected": "rejected"}
CHANGE_LABELS = {"new": "new since the last run", "changed": "changed since the last run",
                 "unchanged": "unchanged", "gone": "gone"}

BASE_CSS = """
:root { --fg: #1d2125; --muted: #5b636b; --line: #d7dce0; --bg: #fff; --card: #f7f8f9; --mark: #ffe58f;
  --accent: #0b5cad; --conflict: #b3261e; --agree: #1e7a3c; --chip: #e8edf2; }
@media (prefers-color-scheme: dark) {
  :root { --fg: #e6e8ea; --muted: #a3abb3; --line: #3a4046; --bg: #16191c; --card: #1f2327; --mark: #6b5a00;
    --accent: #7db7ff; --conflict: #ff8a80; --agree: #7fd69a; --chip: #2a3036; }
}
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 78rem; padding: 0 1.25rem 3rem; font: 16px/1.5 system-ui, -apple-system,
  "Segoe UI", Roboto, sans-serif; color: var(--fg); background: var(--bg); }
h1 { font-size: 1.6rem; margin: 1.5rem 0 0.5rem; }
h2 { font-size: 1.25rem; margin: 2rem 0 0.75rem; border-bottom: 1px solid var(--line); padding-bottom: 0.25rem; }
h3 { font-size: 1.05rem; margin: 0 0 0.5rem; }
code { font: 0.85em/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; overflow-wrap: anywhere; }
a { color: var(--accent); }
.meta { color: var(--muted); margin: 0; font-size: 0.9rem; }
.meta dt { font-weight: 600; float: left; clear: left; margin-right: 0.4rem; }
.meta dd { margin: 0; }
table { border-collapse: collapse; margin: 0.5rem 0; font-size: 0.92rem; }
th, td { border: 1px solid var(--line); padding: 0.3rem 0.55rem; text-align: left; vertical-align: top; }
td.num, th.num { text-align: right; }
td.date, td.id { white-space: nowrap; }
.toggle { position: absolute; opacity: 0; pointer-events: none; }
nav.filters { position: sticky; top: 0; z-index: 1; background: var(--bg); border-bottom: 1px solid var(--line);
  padding: 0.5rem 0; display: flex; flex-wrap: wrap; gap: 0.35rem 1rem; align-items: center; font-size: 0.9rem; }
nav.filters .group { display: flex; flex-wrap: wrap; gap: 0.35rem; align-items: center; }
nav.filters .group > span { color: var(--muted); margin-right: 0.15rem; }
nav.filters label { cursor: pointer; user-select: none; border: 1px solid var(--line); border-radius: 1rem;
  padding: 0.05rem 0.65rem; background: var(--bg); color: var(--muted); text-decoration: line-through; }
.finding { background: var(--card); border: 1px solid var(--line); border-left: 4px solid var(--conflict);
  border-radius: 6px; padding: 0.9rem 1rem; margin: 0 0 1rem; }
.finding.k-agreement { border-left-color: var(--agree); }
.finding h3 .n { color: var(--muted); }
.badge { display: inline-block; font-size: 0.75rem; font-weight: 600; border-radius: 1rem; padding: 0 0.55rem;
  margin-left: 0.35rem; background: var(--chip); vertical-align: 0.1em; }
.badge.s-confirmed { background: #d5f0dc; color: #13532a; }
.badge.s-rejected { background: #f7d7d4; color: #7c1d16; }
.badge.c-new { background: #dbe9ff; color: #0b3d7a; }
.badge.c-changed { background: #fff0c2; color: #5c4300; }
.reason { margin: 0.25rem 0; }
.scores { margin: 0.25rem 0 0.75rem; color: var(--muted); font-size: 0.88rem; }
.sides { display: grid; grid-template-columns: repeat(auto-fit, minmax(17rem, 1fr)); gap: 0.9rem; }
.side { background: var(--bg); border: 1px solid var(--line); border-radius: 6px; padding: 0.6rem 0.8rem; }
.side h4 { margin: 0 0 0.4rem; font-size: 0.95rem; }
.side figure { margin: 0 0 0.6rem; }
.side blockquote { margin: 0; padding-left: 0.7rem; border-left: 3px solid var(--line); }
.side figcaption { color: var(--muted); font-size: 0.85rem; margin-top: 0.2rem; }
mark { background: var(--mark); color: inherit; padding: 0 0.1em; border-radius: 2px; }
ul.plain { padding-left: 1.2rem; }
ul.plain li { margin: 0.3rem 0; }
.empty { color: var(--muted); font-style: italic; }
footer { margin-top: 3rem; color: var(--muted); font-size: 0.85rem; }
@media print { nav.filters { display: none; } .finding { break-inside: avoid; } }
"""


def esc(text: object) -> str:
    """Untrusted text as HTML text or attribute value: one line, every special character escaped."""
    return html.escape(inline_text("" if text is None else text), quote=True)


def slug(text: str) -> str:
    """A CSS-safe class/id fragment for a type or status name (these come from the code, not the articles)."""
    return re.sub(r"[^a-z0-9]+", "-", str(text).lower()).strip("-") or "other"


def marked(text: str, value: str) -> str:
    """Escaped `text` with the first occurrence of `value` in <mark>."""
    text = inline_text(text)
    if value and value not in ("affirmed", "denied") and value in text:
        i = text.index(value)
        return esc(text[:i]) + "<mark>" + esc(value) + "</mark>" + esc(text[i + len(value):])
    return esc(text)


def outlet(doc: dict | None, doc_id: str) -> str:
    """'<a href=URL>Outlet</a> · <code>id</code> · published DATE' for one article."""
    if not doc:
        return f"<code>{esc(doc_id)}</code>"
    source = doc.get("source") or "unknown"
    name = esc(source if source != "unknown" else (doc.get("title") or "article"))
    url = safe_url(doc.get("url"))
    link = f'<a href="{esc(url)}" rel="noopener noreferrer nofollow">{name}</a>' if url else name
    return f"{link} · <code>{esc(doc_id)}</code> · published {esc(doc.get('published') or 'unknown')}"


def short_outlet(doc: dict | None, doc_id: str) -> str:
    """'<code>id</code>, <a href=URL>Outlet</a>' (the outlet only when known)."""
    source = (doc or {}).get("source") or "unknown"
    if source == "unknown":
        return f"<code>{esc(doc_id)}</code>"
    url = safe_url((doc or {}).get("url"))
    name = f'<a href="{esc(url)}" rel="noopener noreferrer nofollow">{esc(source)}</a>' if url else esc(source)
    return f"<code>{esc(doc_id)}</code>, {name}"


def classes(f: dict, change: str | None) -> str:
    status = (f.get("review") or {}).get("status", "unreviewed")
    bits = ["finding", f"k-{slug(f['kind'])}", f"t-{slug(f['type'])}", f"s-{slug(status)}"]
    if change:
        bits.append(f"c-{slug(change)}")
    return " ".join(bits)


def badges(f: dict, change: str | None) -> str:
    status = (f.get("review") or {}).get("status", "unreviewed")
    out = []
    if f.get("update"):
        out.append('<span class="badge">possible update</span>')
    if f["kind"] == "conflict" or status != "unreviewed":
        out.append(f'<span class="badge s-{slug(status)}">{esc(STATUS_LABELS.get(status, status))}</span>')
    if change in ("new", "changed"):
        out.append(f'<span class="badge c-{change}">{esc(CHANGE_LABELS[change])}</span>')
    return "".join(out)


def finding_html(f: dict, n: int | None, documents: dict[str, dict], changes: dict | None,
                 change: str | None) -> str:
    kind_label = "possible update" if f.get("update") else f["type"]
    joiner = " vs " if f["kind"] == "conflict" else " = "
    values = joiner.join(esc(s["value"]) for s in f["sides"][:4])
    number = f'<span class="n">{n}.</span> ' if n is not None else ""
    subject = f" — {esc(f['question'])}" if f.get("question") else ""
    review = f.get("review") or {}
    parts = [f'<article class="{classes(f, change)}" id="f-{esc(f["id"])}">',
             f"<h3>{number}{esc(kind_label)}{subject}: {values}{badges(f, change)}</h3>",
             f'<p class="reason"><strong>Reason:</strong> {esc(f.get("reason", ""))}</p>',
             f'<p class="scores">score {float(f.get("score", 0)):.2f} · similarity '
             f'{float(f.get("similarity", 0)):.2f} · {plural(int(f.get("sources", 0)), "source")} · '
             f'id <code>{esc(f["id"])}</code></p>']
    detail = (changes or {}).get("details", {}).get(f["id"])
    if detail:
        parts.append(f'<p class="scores"><strong>Since the last run:</strong> {esc(detail)}</p>')
    if review.get("note"):
        parts.append(f'<p class="reason"><strong>Review note:</strong> {esc(review["note"])}</p>')
    parts.append('<div class="sides">')
    parts += sides_html(f["sides"], documents, lambda claims: plural(len({c.get("doc") for c in claims}), "article"))
    parts.append("</div></article>")
    return "\n".join(parts)


def sides_html(sides: list[dict], documents: dict[str, dict], counted) -> list[str]:
    """Each side: its value, `counted(claims)` ('2 articles'), and every claim quoted with its outlet."""
    parts = []
    for side in sides:
        claims = [c for c in side["claims"] if isinstance(c, dict)]
        parts.append(f'<section class="side"><h4><mark>{esc(side["value"])}</mark> — {counted(claims)}</h4>')
        for c in claims:
            doc_id = str(c.get("doc", ""))
            parts.append(f"<figure><blockquote>{marked(str(c.get('text', '')), side['value'])}</blockquote>"
                         f"<figcaption>{outlet(documents.get(doc_id), doc_id)}</figcaption></figure>")
        parts.append("</section>")
    return parts


def versions_html(versions: list[dict], documents: dict[str, dict]) -> str:
    """The "Versions differ" section: values changed between syndicated copies of one text."""
    out = ['<section id="versions"><h2>Versions differ</h2>',
           "<p>Syndicated copies of one text (counted as one source) that state a different figure, date, name "
           "or place: an updated or corrected version. Each copy is quoted with its publication date.</p>"]
    for n, v in enumerate(versions, 1):
        values = " vs ".join(esc(s["value"]) for s in v["sides"][:4])
        out += [f'<article class="version finding" id="v-{esc(v["id"])}">',
                f'<h3><span class="n">V{n}.</span> {esc(v["type"])}: {values}</h3>',
                f'<p class="reason"><strong>Changed:</strong> {esc(v.get("reason", ""))}</p>',
                f'<p class="scores">id <code>{esc(v["id"])}</code></p>', '<div class="sides">']
        out += sides_html(v["sides"], documents, lambda claims: plural(len(claims), "copy", "copies"))
        out.append("</div></article>")
    out.append("</section>")
    return "\n".join(out)


def filter_groups(data: dict, changes: dict | None) -> list[tuple[str, str, list[tuple[str, str, int]]]]:
    """(group label, class prefix, [(value, label, count)]) for the filter bar."""
    findings = data["findings"]
    kinds = Counter(f["kind"] for f in findings)
    types = Counter(f["type"] for f in findings)
    statuses = Counter((f.get("review") or {}).get("status", "unreviewed") for f in findings)
    groups = [
        ("Kind", "k", [(k, {"conflict": "conflicts", "agreement": "corroborated"}.get(k, k), kinds[k])
                       for k in sorted(kinds, key=lambda k: (k != "conflict", k))]),
        ("Type", "t", [(t, t, types[t]) for t in sorted(types)]),
        ("Review", "s", [(s, STATUS_LABELS.get(s, s), statuses[s]) for s in sorted(statuses)]),
    ]
    if changes:
        states = Counter(f.get("change") or "new" for f in findings)
        groups.append(("Since the last run", "c", [(c, c, states[c]) for c in ("new", "changed", "unchanged")
                                                   if states[c]]))
    return [g for g in groups if g[2]]


def filter_css(groups) -> str:
    rules = []
    for _, prefix, items in groups:
        for value, _, _ in items:
            box = f"show-{prefix}-{slug(value)}"
            rules.append(f"#{box}:not(:checked) ~ main .{prefix}-{slug(value)} {{ display: none; }}")
            rules.append(f"#{box}:checked ~ nav label[for={box}] {{ background: var(--chip); color: var(--fg); "
                         f"text-decoration: none; }}")
            rules.append(f"#{box}:focus-visible ~ nav label[for={box}] {{ outline: 2px solid var(--accent); }}")
    return "\n".join(rules) + "\n"


def summary_html(data: dict) -> str:
    s = data["summary"]
    cells = [("articles", s["articles"]), ("sentences", s["sentences"]), ("claims", s["claims"]),
             ("value pairs compared", s["compared_pairs"]), ("conflicts", s["conflicts"]),
             ("corroborated", s["agreements"]), ("single-source", s["single_source"])]
    head = "".join(f'<th class="num">{esc(k)}</th>' for k, _ in cells)
    row = "".join(f'<td class="num">{v:,}</td>' for _, v in cells)
    by_type = ", ".join(f"{esc(k)} {v}" for k, v in s["conflicts_by_type"].items()) or "none"
    out = ['<section id="summary"><h2>Summary</h2>', f"<table><tr>{head}</tr><tr>{row}</tr></table>",
           f"<p>Conflicts by type: {by_type}.</p>"]
    if s.get("versions_differ"):
        out.append(f'<p>Versions differ: <a href="#versions">{plural(s["versions_differ"], "value")} changed between '
                   "syndicated copies</a>.</p>")
    if data["duplicates"]:
        groups = "; ".join(" = ".join(f"<code>{esc(d)}</code>" for d in g["docs"]) for g in data["duplicates"])
        out.append(f"<p>Syndicated copies (counted as one source): {groups}.</p>")
    if data["skipped"]:
        out.append("<p>Skipped files: " + "; ".join(f"<code>{esc(x['path'])}</code> ({esc(x['reason'])})"
                                                     for x in data["skipped"]) + ".</p>")
    out.append("</section>")
    return "\n".join(out)


def changes_html(changes: dict, findings: list[dict], numbers: dict[str, int]) -> str:
    """Counts, the articles added and removed, and links to the new and changed findings."""
    c = changes["counts"]
    out = [f'<section id="changes"><h2>Changes since <code>{esc(changes["since"])}</code></h2>']
    if changes.get("other_corpus"):
        out.append(f"<p>The previous run checked another folder, <code>{esc(changes['other_corpus'])}</code>.</p>")
    gone = ' (see <a href="#gone">Gone since the last run</a>)' if c["gone"] else ""
    articles = []
    if changes["articles_added"]:
        articles.append("added " + ", ".join(f"<code>{esc(d)}</code>" for d in changes["articles_added"]))
    if changes["articles_removed"]:
        articles.append("removed " + ", ".join(f"<code>{esc(d)}</code>" for d in changes["articles_removed"]))
    out += ['<ul class="plain">',
            f"<li><strong>Findings:</strong> {c['new']} new, {c['changed']} changed, {c['unchanged']} unchanged, "
            f"{c['gone']} gone{gone}.</li>",
            f"<li><strong>Articles:</strong> {'; '.join(articles) if articles else 'the same as before'}.</li>"]
    for state, label in (("new", "New"), ("changed", "Changed")):
        items = []
        for f in sorted((f for f in findings if f.get("change") == state),
                        key=lambda f: (f["id"] not in numbers, numbers.get(f["id"], 0), f["id"])):
            values = (" vs " if f["kind"] == "conflict" else " = ").join(esc(s["value"]) for s in f["sides"][:4])
            what = f"conflict {numbers[f['id']]}" if f["id"] in numbers else "corroborated"
            detail = changes.get("details", {}).get(f["id"])
            items.append(f'<a href="#f-{esc(f["id"])}">{what} ({esc(f["type"])}: {values})</a>'
                         + (f": {esc(detail)}" if detail else ""))
        if items:
            out.append(f"<li><strong>{label}:</strong> {'; '.join(items)}.</li>")
    out += ["</ul>", "</section>"]
    return "\n".join(out)


def to_html(data: dict) -> str:
    """The HTML page for a report (as `reporting.report_data` returns it)."""
    documents = {d["id"]: d for d in data["documents"]}
    changes = data.get("changes")
    groups = filter_groups(data, changes)
    css = BASE_CSS + filter_css(groups)
    digest = base64.b64encode(hashlib.sha256(css.encode("utf-8")).digest()).decode("ascii")
    csp = (f"default-src 'none'; script-src 'none'; style-src 'sha256-{digest}'; img-src data:; "
           "base-uri 'none'; form-action 'none'")
    name = data["corpus"].rstrip("/").rsplit("/", 1)[-1] or data["corpus"]
    settings = data["settings"]
    models = data["models"]
    out = ["<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
           f'<meta http-equiv="Content-Security-Policy" content="{csp}">',
           '<meta name="viewport" content="width=device-width, initial-scale=1">',
           '<meta name="referrer" content="no-referrer">',
           f'<meta name="generator" content="discrepancy {esc(__version__)}">',
           f"<title>Discrepancy report: {esc(name)}</title>", '<link rel="icon" href="data:,">',
           f"<style>{css}</style>", "</head>", "<body>"]
    for _, prefix, items in groups:
        for value, label, _ in items:
            out.append(f'<input type="checkbox" class="toggle" id="show-{prefix}-{slug(value)}" checked '
                       f'aria-label="show {esc(label)}">')
    out += ["<header>", f"<h1>Discrepancy report: {esc(name)}</h1>", '<dl class="meta">',
            f"<dt>Corpus</dt><dd><code>{esc(data['corpus'])}</code> "
            f"({plural(data['summary']['articles'], 'article')})</dd>",
            f"<dt>Models</dt><dd>sentence embeddings <code>{esc(models.get('embedding', ''))}</code>, "
            f"spaCy <code>{esc(models.get('spacy', ''))}</code></dd>",
            f"<dt>Thresholds</dt><dd>{esc(scorer_label(settings))}, "
            f"conflict score ≥ {esc(settings.get('min_score'))}, "
            f"agreement score ≥ {esc(settings.get('min_agreement_score'))}, top-k {esc(settings.get('top_k'))}, "
            f"duplicate overlap ≥ {esc(settings.get('duplicate_threshold'))}</dd>", "</dl>", "</header>"]
    out.append('<nav class="filters" aria-label="Filter findings">')
    for label, prefix, items in groups:
        chips = "".join(f'<label for="show-{prefix}-{slug(value)}">{esc(text)} ({count})</label>'
                        for value, text, count in items)
        out.append(f'<div class="group"><span>{esc(label)}:</span>{chips}</div>')
    out.append("</nav>")
    def status_of(f: dict) -> str:
        return (f.get("review") or {}).get("status", "unreviewed")

    # The Markdown report's order: confirmed conflicts first, then by score.
    conflicts = sorted((f for f in data["findings"] if f["kind"] == "conflict"),
                       key=lambda f: (status_of(f) != "confirmed", -f["score"], -f["sources"], f["id"]))
    out.append("<main>")
    if changes:
        out.append(changes_html(changes, data["findings"], {f["id"]: n for n, f in enumerate(conflicts, 1)}))
    out.append(summary_html(data))
    out.append('<section id="conflicts"><h2>Conflicts</h2>')
    if not conflicts:
        out.append('<p class="empty">No conflicts found at these thresholds.</p>')
    for n, f in enumerate(conflicts, 1):
        out.append(finding_html(f, n, documents, data.get("changes"), f.get("change")))
    out.append("</section>")

    if data.get("versions"):
        out.append(versions_html(data["versions"], documents))

    agreements = [f for f in data["findings"] if f["kind"] != "conflict"]
    out += ['<section id="corroborated"><h2>Corroborated</h2>',
            "<p>Facts stated consistently by two or more independent sources (syndicated copies count once).</p>"]
    if not agreements:
        out.append('<p class="empty">None.</p>')
    for f in agreements:
        out.append(finding_html(f, None, documents, data.get("changes"), f.get("change")))
    out.append("</section>")

    if changes and changes["gone"]:
        before = {**{d["id"]: d for d in changes.get("documents") or []}, **documents}
        out += ['<section id="gone"><h2>Gone since the last run</h2>',
                f"<p>Findings of <code>{esc(changes['since'])}</code> that this run no longer makes.</p>"]
        for f in changes["gone"]:
            out.append(finding_html({**f, "review": f.get("review") or {}}, None, before, None, "gone"))
        out.append("</section>")

    out += ['<section id="single-source"><h2>Only in one source</h2>',
            "<p>Notable claims no other article speaks to (omission is not contradiction).</p>"]
    if not data["single_source"]:
        out.append('<p class="empty">None.</p>')
    else:
        out.append('<ul class="plain">')
        for item in data["single_source"]:
            out.append(f"<li>{short_outlet(documents.get(item['doc']), item['doc'])}: {esc(item['text'])} "
                       f"<em>({esc('; '.join(item['facts']))})</em></li>")
        out.append("</ul>")
        more = data.get("single_source_more") or 0
        if more:
            out.append(f"<p>…and {plural(int(more), 'more claim')} of less note "
                       "(raise <code>single_source_limit</code> to list them).</p>")
    out.append("</section>")

    if data["rejected"]:
        out += ['<section id="rejected"><h2>Appendix: rejected in review</h2>', '<ul class="plain">']
        for f in data["rejected"]:
            note = (f.get("review") or {}).get("note")
            out.append(f"<li><code>{esc(f['id'])}</code> {esc(f['reason'])}"
                       + (f" — note: {esc(note)}" if note else "") + "</li>")
        out += ["</ul>", "</section>"]

    out += ['<section id="articles"><h2>Articles</h2>',
            '<table><tr><th>id</th><th>title</th><th>source</th><th>published</th>'
            '<th class="num">sentences</th><th class="num">dropped</th></tr>']
    for d in data["documents"]:
        url = safe_url(d.get("url"))
        title = esc(d.get("title", ""))
        title = f'<a href="{esc(url)}" rel="noopener noreferrer nofollow">{title}</a>' if url else title
        out.append(f'<tr><td class="id"><code>{esc(d["id"])}</code></td><td>{title}</td>'
                   f'<td>{esc(d.get("source", ""))}</td>'
                   f'<td class="date">{esc(d.get("published", ""))}</td>'
                   f'<td class="num">{d.get("sentences", 0)}</td>'
                   f'<td class="num">{len(d.get("dropped") or [])}</td></tr>')
    out.append("</table>")
    dropped = [d for d in data["documents"] if d.get("dropped")]
    if dropped:
        out += ["<h3>Removed by cleaning</h3>", '<ul class="plain">']
        for d in dropped:
            reasons = Counter(x["reason"] for x in d["dropped"])
            out.append(f"<li><code>{esc(d['id'])}</code>: "
                       + ", ".join(f"{esc(r)} ×{c}" for r, c in sorted(reasons.items()))
                       + f"<details><summary>{plural(len(d['dropped']), 'line')}</summary><ul>"
                       + "".join(f"<li>{esc(x['reason'])}: {esc(x['text'])}</li>" for x in d["dropped"])
                       + "</ul></details></li>")
        out.append("</ul>")
    out += ["</section>", "</main>",
            f"<footer>Written by discrepancy {esc(__version__)}. This page runs no script and loads "
            "nothing from the network.</footer>", "</body>", "</html>", ""]
    return "\n".join(out)
