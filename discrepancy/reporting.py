"""Reporting: a `CheckResult` → Markdown report and JSON findings (HTML and CSV: `html_report`,
`csv_report`, both rendered from `report_data`, the JSON's content).

Everything quoted from an article is untrusted: it is escaped so it can neither
inject HTML (<script>) nor Markdown structure (a leading '#', a '|' in a table).
Output is deterministic: no timestamps, stable ordering, so the same corpus
gives byte-identical files. Files are written atomically (temp file + rename, see `outputs`).
"""

from __future__ import annotations

import html
import json
import re
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

from .formatting import plural, scorer_label
from .nlp import SPACY_MODEL
from .outputs import check_output_path, write_atomic  # noqa: F401  (re-exported: callers import them here)
from .records import CheckResult, ClaimRef, Finding, VersionDifference
from .safetext import inline_text, json_reveal, reveal, safe_url  # noqa: F401  (inline_text: re-exported)
from .version import __version__

if TYPE_CHECKING:
    from .changes import Changes

# Markdown syntax characters, backslash-escaped in quoted text ("<", ">", "&" become entities first).
MD_SPECIAL = re.compile(r"([\\`*_{}\[\]#+!|~@])")
# Bare URLs that GitHub-flavoured Markdown would turn into links: "https://", "www.".
AUTOLINK = re.compile(r"(?i)(?:https?|ftp|mailto|xmpp)(?=:)|www(?=\.)")
# The "@" of an e-mail address (after escaping): GitHub links "a.b@c.org" even when the "@" is
# backslash-escaped, so it becomes a one-character code span, which splits the address.
EMAIL_AT = re.compile(r"(?<=[A-Za-z0-9._+-])\\@(?=[A-Za-z0-9])")
# What would open a block if it started a line: a list item, a thematic break, a setext underline.
LEADING_BLOCK = re.compile(r"^(\s?)(?:(\d{1,9})([.)])|([-=]))")


def escape_md(text: str) -> str:
    """Escape untrusted text for Markdown and HTML, as one line.

    Entities for <>& (no raw HTML, comments or <script>), backslashes before Markdown
    syntax (no injected headings, emphasis, links, images, table cells), bare URLs and
    e-mail addresses defused (their "@" as a code span), bidi and zero-width characters shown
    as `<U+XXXX>`, and a leading "-", "=" or "1." that would open a block escaped.
    """
    text = html.escape(inline_text(text), quote=False)
    text = MD_SPECIAL.sub(r"\\\1", text)
    text = AUTOLINK.sub(lambda m: m.group(0) + "\\", text)  # "https\://", "www\." render the same, unlinked
    text = EMAIL_AT.sub("`@`", text)
    return LEADING_BLOCK.sub(lambda m: m.group(1) + (f"{m.group(2)}\\{m.group(3)}" if m.group(2)
                                                     else "\\" + m.group(4)), text, count=1)


def code_span(text: str, table: bool = False) -> str:
    """`text` as an inline code span (doc ids, paths), rendered literally.

    Backslash escapes are not processed inside code spans, so escape_md must not be
    used there: the fence is one backtick longer than the longest backtick run in the
    text, padded with a space when the text starts or ends with a backtick or space.
    Text holding "<" or ">" (or, in a table cell, "|", which GFM splits cells on even
    inside code) is rendered as escaped plain text instead, so that no raw angle
    bracket (a `<script>` in a file name) or stray cell break ever reaches the report.
    """
    text = inline_text(text)
    if not text or "<" in text or ">" in text or (table and "|" in text):
        return escape_md(text)
    fence = "`" * (max((len(run) for run in re.findall(r"`+", text)), default=0) + 1)
    pad = " " if text[0] in "` " or text[-1] in "` " else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def highlight(text: str, value: str) -> str:
    """Escaped `text` with `value` in bold where it occurs."""
    if value and value in text and value not in ("affirmed", "denied"):
        i = text.index(value)
        return escape_md(text[:i]) + "**" + escape_md(value) + "**" + escape_md(text[i + len(value):])
    return escape_md(text)



# What stays literal in a link's address: every other character (brackets, parentheses, quotes,
# backslashes, "|", "<", ">", non-ASCII) is percent-encoded, so no address can end a link early,
# open a table cell or raw HTML.
URL_SAFE = ":/?#@!$&+,;=%-._~*"


def md_link(label_md: str, url: object) -> str:
    """`label_md` (already escaped Markdown) linked to `url` when it is a plain http(s) address."""
    url = safe_url(url)
    if not url:
        return label_md
    return f"[{label_md}]({quote(url, safe=URL_SAFE)})"


def ref_json(ref: ClaimRef) -> dict:
    return {
        "doc": ref.doc, "text": ref.text, "claim": ref.claim, "value": ref.value, "sentence_id": ref.sentence_id,
        "source": ref.source, "url": ref.url or None, "published": ref.published, "hedge": ref.hedge,
        "attribution": ref.attribution,
    }


def finding_json(f: Finding, change: str | None = None) -> dict:
    """A finding as JSON; `change` is new, changed or unchanged when the run was compared (`--since`)."""
    return {
        "id": f.id, "kind": f.kind, "type": f.type, "score": f.score, "similarity": f.similarity,
        "question": f.question, "reason": f.reason, "sources": f.sources, "update": f.update,
        "a": ref_json(f.a), "b": ref_json(f.b),
        "sides": [{"value": s.value, "claims": [{"doc": c.doc, "text": c.text, "source": c.source,
                                                 "url": c.url or None} for c in s.claims]} for s in f.sides],
        "review": {"status": f.review_status, "note": f.review_note or None},
        "change": change,
    }


def summary(result: CheckResult) -> dict:
    conflicts = [f for f in result.findings if f.kind == "conflict"]
    return {
        "articles": len(result.documents),
        "sentences": len(result.sentences),
        "claims": len(result.claims),
        "compared_pairs": len(result.pairs),
        "conflicts": len(conflicts),
        "conflicts_by_type": dict(sorted(Counter(f.type for f in conflicts).items())),
        "agreements": sum(1 for f in result.findings if f.kind == "agreement"),
        "single_source": len(result.single_source),
        "duplicates": len(result.duplicates),
        "skipped": len(result.skipped),
        "versions_differ": len(result.versions),
    }


def report_data(result: CheckResult, changes: Changes | None = None) -> dict:
    """Everything the report says, as plain data: the JSON output, and what HTML and CSV render."""
    sentence_counts = Counter(s.doc_id for s in result.sentences)

    def change(f: Finding) -> str | None:
        return changes.of(f.id) if changes else None

    return {
        "tool": {"name": "discrepancy", "version": __version__},
        "corpus": result.corpus,
        "models": {"embedding": result.model_label or result.settings.get("model", ""), "spacy": SPACY_MODEL},
        "settings": result.settings,
        "summary": summary(result),
        "documents": [
            {"id": d.id, "path": d.path, "title": d.title, "source": d.source, "published": d.published_label,
             "url": d.url, "sentences": sentence_counts[d.id],
             "dropped": [{"text": x.text, "reason": x.reason} for x in d.dropped]}
            for d in result.documents
        ],
        "duplicates": [{"docs": list(g.doc_ids), "similarity": g.similarity} for g in result.duplicates],
        "skipped": [{"path": s.path, "reason": s.reason, **({"language": s.language} if s.language else {})}
                    for s in result.skipped],
        "changes": changes.as_json() if changes else None,
        "findings": [finding_json(f, change(f)) for f in result.findings],
        "rejected": [finding_json(f, change(f)) for f in result.rejected],
        "single_source": [{"doc": s.doc, "text": s.text, "facts": list(s.facts)} for s in result.single_source],
        "versions": [version_json(v) for v in result.versions],
        "single_source_more": result.single_source_more,
    }



def to_json(result: CheckResult, changes: Changes | None = None) -> str:
    return json_reveal(json.dumps(report_data(result, changes), ensure_ascii=False, indent=2, sort_keys=False)) + "\n"


def doc_label(result: CheckResult, doc_id: str) -> str:
    """'`id`, [Outlet](url), published DATE': the outlet links to the article when its address is
    known (the id does, when the outlet is not)."""
    doc = next((d for d in result.documents if d.id == doc_id), None)
    if doc is None:
        return escape_md(doc_id)
    if doc.source != "unknown":
        bits = [code_span(doc.id), md_link(escape_md(doc.source), doc.url)]
    else:
        bits = [md_link(code_span(doc.id), doc.url)]
    bits.append(f"published {escape_md(doc.published_label)}")
    return ", ".join(bits)


def doc_ref(result: CheckResult, doc_id: str) -> str:
    """A short mention of an article in a list: '[Outlet](url) (`id`)', or the id (linked when it can be)."""
    doc = next((d for d in result.documents if d.id == doc_id), None)
    if doc is None:
        return code_span(doc_id)
    if doc.source != "unknown":
        return f"{md_link(escape_md(doc.source), doc.url)} ({code_span(doc.id)})"
    return md_link(code_span(doc.id), doc.url)


def heading_subject(f: Finding) -> str:
    """' — when the bridge was built' for a finding whose question is known."""
    return f" — {escape_md(f.question)}" if f.question else ""


CHANGE_MARKS = {"new": " — new since the last run", "changed": " — changed since the last run"}


def finding_md(result: CheckResult, n: int, f: Finding, changes: Changes | None = None) -> list[str]:
    status = {"confirmed": " ✅ confirmed", "unreviewed": " (unreviewed)", "rejected": " ✗ rejected"}
    kind_label = "possible update" if f.update else f.type
    values = " vs ".join(escape_md(s.value) for s in f.sides[:4])
    mark = status.get(f.review_status, "") if f.kind == "conflict" else ""
    change = CHANGE_MARKS.get(changes.of(f.id), "") if changes else ""
    lines = [f"### {n}. {escape_md(kind_label)}{heading_subject(f)}: {values}{mark}{change}", ""]
    lines.append(f"**Reason:** {escape_md(f.reason)}  ")
    lines.append(f"**Score:** {f.score:.2f} · **similarity:** {f.similarity:.2f} · **sources:** {f.sources}"
                 f" · id {code_span(f.id)}" + ("  " if changes and f.id in changes.details or f.review_note else ""))
    if changes and f.id in changes.details:
        lines.append(f"**Since the last run:** {escape_md(changes.details[f.id])}"
                     + ("  " if f.review_note else ""))
    if f.review_note:
        lines.append(f"**Review note:** {escape_md(f.review_note)}")
    lines.append("")
    # Nested blocks are indented four spaces and set apart by blank lines: CommonMark and
    # Python-Markdown (MkDocs) then build the same lists and quotes (no lazy continuation lines).
    for side in f.sides:
        docs = sorted({c.doc for c in side.claims})
        lines += [f"- **{escape_md(side.value)}** — {plural(len(docs), 'article')}:", ""]
        for claim in side.claims:
            lines += [f"    - {doc_label(result, claim.doc)}:", "",
                      f"        > {highlight(claim.text, side.value)}", ""]
    return lines


def changes_md(changes: Changes, conflicts: list[Finding], agreements: list[Finding]) -> list[str]:
    """The report's opening section when the run was compared with a previous one: counts, the
    articles added and removed, and which findings are new or changed (conflicts by their number)."""
    out = [f"## Changes since {code_span(changes.since)}", ""]
    if changes.other_corpus:
        out += [f"The previous run checked another folder, {code_span(changes.other_corpus)}.", ""]
    gone = " (listed under “Gone since the last run”)" if changes.gone else ""
    out.append(f"- **Findings:** {changes.headline()}{gone}.")
    articles = []
    if changes.articles_added:
        articles.append("added " + ", ".join(code_span(d) for d in changes.articles_added))
    if changes.articles_removed:
        articles.append("removed " + ", ".join(code_span(d) for d in changes.articles_removed))
    out.append(f"- **Articles:** {'; '.join(articles) if articles else 'the same as before'}.")

    def name(f: Finding, n: int | None) -> str:
        what = f"{escape_md(f.type)}: " + (" vs " if f.kind == "conflict" else " = ").join(
            escape_md(s.value) for s in f.sides[:4])
        return f"conflict {n} ({what})" if n else f"corroborated ({what})"

    numbered = [(f, n) for n, f in enumerate(conflicts, 1)] + [(f, None) for f in agreements]
    for state, label in (("new", "New"), ("changed", "Changed")):
        items = [(f, n) for f, n in numbered if changes.of(f.id) == state]
        if items:
            text = "; ".join(name(f, n) + (f": {escape_md(changes.details[f.id])}" if f.id in changes.details else "")
                             for f, n in items)
            out.append(f"- **{label}:** {text}.")
    out.append("")
    return out


def gone_md(changes: Changes) -> list[str]:
    if not changes.gone:
        return []
    out = ["## Gone since the last run", "",
           f"Findings of {code_span(changes.since)} that this run no longer makes.", ""]
    for f in changes.gone:
        values = " vs ".join(escape_md(s["value"]) for s in f["sides"][:4])
        docs = sorted({c.get("doc") for s in f["sides"] for c in s["claims"] if isinstance(c.get("doc"), str)})
        out.append(f"- **{escape_md(f['kind'])}, {escape_md(f['type'])}:** {values} — "
                   f"{escape_md(str(f.get('reason', '')))} ({', '.join(code_span(d) for d in docs)}; "
                   f"id {code_span(f['id'])})")
    out.append("")
    return out


def to_markdown(result: CheckResult, changes: Changes | None = None) -> str:
    s = summary(result)
    settings = result.settings
    name = Path(result.corpus).name or result.corpus
    out = [f"# Discrepancy report: {escape_md(name)}", ""]
    out.append(f"- **Corpus:** {code_span(result.corpus)} ({plural(s['articles'], 'article')})")
    out.append(f"- **Models:** sentence embeddings {code_span(result.model_label or settings.get('model', ''))}, "
               f"spaCy `{SPACY_MODEL}`")
    out.append(f"- **Thresholds:** {escape_md(scorer_label(settings))}, conflict score ≥ {settings.get('min_score')}, "
               f"agreement score ≥ {settings.get('min_agreement_score')}, top-k {settings.get('top_k')}, "
               f"duplicate overlap ≥ {settings.get('duplicate_threshold')}")
    out.append("")
    conflicts = [f for f in result.findings if f.kind == "conflict"]
    conflicts.sort(key=lambda f: (f.review_status != "confirmed", -f.score, -f.sources, f.id))
    agreements = [f for f in result.findings if f.kind == "agreement"]
    if changes:
        out += changes_md(changes, conflicts, agreements)
    out += ["## Summary", "",
            "| articles | sentences | claims | value pairs compared | conflicts | corroborated | single-source |",
            "|---:|---:|---:|---:|---:|---:|---:|",
            (f"| {s['articles']} | {s['sentences']} | {s['claims']} | {s['compared_pairs']} | {s['conflicts']} | "
             f"{s['agreements']} | {s['single_source']} |"), ""]
    by_type = ", ".join(f"{k} {v}" for k, v in s["conflicts_by_type"].items()) or "none"
    out.append(f"Conflicts by type: {by_type}.")
    if result.versions:
        out.append(f"Versions differ: {plural(len(result.versions), 'value')} changed between syndicated copies "
                   "(listed under “Versions differ”).")
    if result.duplicates:
        groups = "; ".join(" = ".join(code_span(d) for d in g.doc_ids) for g in result.duplicates)
        out.append(f"Syndicated copies (counted as one source): {groups}.")
    if result.skipped:
        out.append("Skipped files: " + "; ".join(f"{code_span(x.path)} ({escape_md(x.reason)})"
                                                 for x in result.skipped) + ".")
    out.append("")

    out += ["## Conflicts", ""]
    if not conflicts:
        out += ["No conflicts found at these thresholds.", ""]
    for n, f in enumerate(conflicts, 1):
        out += finding_md(result, n, f, changes)

    out += versions_md(result)

    out += ["## Corroborated", "",
            "Facts stated consistently by two or more independent sources (syndicated copies count once).", ""]
    if not agreements:
        out += ["None.", ""]
    for f in agreements:
        docs = sorted({c.doc for side in f.sides for c in side.claims})
        change = CHANGE_MARKS.get(changes.of(f.id), "") if changes else ""
        out.append(f"- **{escape_md(f.type)}:** {escape_md(f.reason)} — {plural(f.sources, 'source')} "
                   f"({', '.join(doc_ref(result, d) for d in docs)}), score {f.score:.2f}{change}")
    out.append("")
    if changes:
        out += gone_md(changes)

    out += ["## Only in one source", "",
            "Notable claims no other article speaks to (omission is not contradiction).", ""]
    if not result.single_source:
        out += ["None.", ""]
    for item in result.single_source:
        out.append(f"- {doc_ref(result, item.doc)}: {escape_md(item.text)} _({escape_md('; '.join(item.facts))})_")
    if result.single_source_more:
        out += ["", f"…and {plural(result.single_source_more, 'more claim')} of less note "
                    f"(raise `single_source_limit` to list them)."]
    out.append("")

    if result.rejected:
        out += ["## Appendix: rejected in review", ""]
        for f in result.rejected:
            out.append(f"- {code_span(f.id)} {escape_md(f.reason)}"
                       + (f" — note: {escape_md(f.review_note)}" if f.review_note else ""))
        out.append("")

    out += ["## Articles", "", "| id | title | source | published | sentences | dropped |",
            "|---|---|---|---|---:|---:|"]
    counts = Counter(x.doc_id for x in result.sentences)
    for d in result.documents:
        out.append(f"| {code_span(d.id, table=True)} | {escape_md(d.title)} | {md_link(escape_md(d.source), d.url)} | "
                   f"{escape_md(d.published_label)} | {counts[d.id]} | {len(d.dropped)} |")
    out += ["", "### Removed by cleaning", ""]
    for d in result.documents:
        if d.dropped:
            reasons = Counter(x.reason for x in d.dropped)
            out.append(f"- {code_span(d.id)}: " + ", ".join(f"{escape_md(r)} ×{c}" for r, c in sorted(reasons.items())))
    out.append("")
    out += dropped_md(result)
    return "\n".join(out)


REPORT_FORMATS = ("md", "json", "html", "csv")  # what `render_reports` writes, in this order


def render_reports(result: CheckResult, formats: tuple[str, ...] | list[str] = ("md", "json"),
                   changes: Changes | None = None) -> dict[str, str]:
    """The report in each of `formats` (md, json, html, csv) as text, in `REPORT_FORMATS` order."""
    unknown = [f for f in formats if f not in REPORT_FORMATS]
    if unknown:
        raise ValueError(f"unknown report format {unknown[0]!r}; choose from {', '.join(REPORT_FORMATS)}")
    rendered: dict[str, str] = {}
    data = report_data(result, changes) if set(formats) - {"md"} else None
    for fmt in REPORT_FORMATS:
        if fmt not in formats:
            continue
        if fmt == "md":
            rendered[fmt] = to_markdown(result, changes)
        elif fmt == "json":
            rendered[fmt] = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
        elif fmt == "html":
            from .html_report import to_html

            rendered[fmt] = to_html(data)
        else:
            from .csv_report import to_csv

            rendered[fmt] = to_csv(data)
    return rendered


# --- Versions of one story, and what cleaning removed -------------------------------------------

def version_json(v: VersionDifference) -> dict:
    return {
        "id": v.id, "kind": "versions differ", "type": v.type, "question": v.question, "reason": v.reason,
        "sides": [{"value": s.value, "claims": [{"doc": c.doc, "text": c.text, "source": c.source,
                                                 "published": c.published} for c in s.claims]}
                  for s in v.sides],
    }


def versions_md(result: CheckResult) -> list[str]:
    """The "Versions differ" section: values changed between copies of one text (none: no section)."""
    if not result.versions:
        return []
    out = ["## Versions differ", "",
           "Syndicated copies of one text (counted as one source) that state a different figure, date, name or "
           "place: an updated or corrected version. Each copy is quoted with its publication date.", ""]
    for n, v in enumerate(result.versions, 1):
        values = " vs ".join(escape_md(s.value) for s in v.sides[:4])
        out += [f"### V{n}. {escape_md(v.type)}: {values}", "",
                f"**Changed:** {escape_md(v.reason)}  ", f"id {code_span(v.id)}", ""]
        for side in v.sides:
            out += [f"- **{escape_md(side.value)}** — {plural(len(side.claims), 'copy', 'copies')}:", ""]
            for claim in side.claims:
                out += [f"    - {doc_label(result, claim.doc)}:", "",
                        f"        > {highlight(claim.text, side.value)}", ""]
    return out


def element_text(text: str) -> str:
    """Untrusted text as the content of an HTML element, on one line (quotes need no escaping there)."""
    return html.escape(inline_text(text), quote=False)


FOLD_DROPPED = 12  # more removed lines than this are folded in a <details> block


def dropped_md(result: CheckResult) -> list[str]:
    """The appendix listing every line cleaning removed, with its article and reason.

    A long list is folded: a <details> block written wholly in HTML, with no blank line inside,
    which CommonMark and Python-Markdown both pass through unchanged (Markdown inside raw HTML is
    read by one and not the other). Its text is entity-escaped like every quote."""
    dropped = [(d.id, x) for d in result.documents for x in d.dropped]
    if not dropped:
        return []
    articles = len({doc for doc, _ in dropped})
    out = ["## Appendix: removed by cleaning", "",
           f"Every line cleaning removed ({plural(len(dropped), 'line')} from {plural(articles, 'article')}), "
           "and why.", ""]
    if len(dropped) <= FOLD_DROPPED:
        out += [f"- {code_span(doc)}, {escape_md(x.reason)}: {escape_md(x.text)}" for doc, x in dropped]
    else:
        out += ["<details>", f"<summary>{plural(len(dropped), 'removed line')}</summary>", "<ul>"]
        out += [f"<li><code>{element_text(doc)}</code>, {element_text(x.reason)}: {element_text(x.text)}</li>"
                for doc, x in dropped]
        out += ["</ul>", "</details>"]
    out.append("")
    return out


def write_reports(result: CheckResult, markdown_path: str | Path | None = None, json_path: str | Path | None = None,
                  html_path: str | Path | None = None, csv_path: str | Path | None = None,
                  changes: Changes | None = None) -> None:
    """Render every output asked for first, then write each atomically: a failure leaves old files intact."""
    paths = {"md": markdown_path, "json": json_path, "html": html_path, "csv": csv_path}
    rendered = render_reports(result, [fmt for fmt, path in paths.items() if path], changes)
    for fmt, content in rendered.items():
        write_atomic(paths[fmt], content)
