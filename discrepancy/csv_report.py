"""CSV export for a desk's spreadsheet: one row per side of each finding.

Rendered from `reporting.report_data` (the JSON's content). A side stated by several
articles lists them in one cell each for ids, outlets, URLs, dates and quotes, one
per line and in the same order, so the cells line up. Values changed between
syndicated copies follow the findings (kind "versions differ"). Findings of a previous
run that are gone (`check --since`) are listed too, marked "gone".

The file is UTF-8 with a byte-order mark (so Excel reads accents and curly quotes
right) and CRLF line ends (RFC 4180). A cell that a spreadsheet would run as a
formula (text starting with =, +, -, @, a tab or a carriage return) is prefixed
with an apostrophe, so hostile article text cannot execute in the sheet.
"""

from __future__ import annotations

import csv
import io

from .safetext import inline_text

COLUMNS = (
    "finding_id", "kind", "type", "change", "review_status", "review_note", "score", "similarity", "sources",
    "side", "sides", "value", "other_values", "articles", "article_count", "outlets", "urls", "published",
    "quotes", "reason",
)
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"


def cell(value: object) -> str | float | int:
    """A safe cell: numbers stay numbers; text that a spreadsheet would evaluate is quoted with '."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        return value
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def lines(values) -> str:
    return "\n".join(inline_text(v) for v in values)


def known(value: object) -> str:
    return "" if value in (None, "", "unknown") else str(value)


def finding_rows(f: dict, documents: dict[str, dict], change: str | None) -> list[list]:
    sides = f["sides"]
    review = f.get("review") or {}
    rows = []
    for number, side in enumerate(sides, 1):
        claims = [c for c in side["claims"] if isinstance(c, dict)]
        docs = [documents.get(c.get("doc"), {}) for c in claims]
        others = [s["value"] for s in sides if s is not side]
        rows.append([
            f["id"], f["kind"], f["type"], change or "", review.get("status", ""), review.get("note") or "",
            f.get("score", ""), f.get("similarity", ""), f.get("sources", ""),
            number, len(sides), inline_text(side["value"]), lines(others),
            lines(c.get("doc", "") for c in claims), len({c.get("doc") for c in claims}),
            lines(d.get("source", "") for d in docs), lines(known(d.get("url")) for d in docs),
            lines(d.get("published", "") for d in docs), lines(c.get("text", "") for c in claims),
            inline_text(f.get("reason", "")),
        ])
    return rows


def to_csv(data: dict) -> str:
    """The CSV text for a report (as `reporting.report_data` returns it)."""
    documents = {d["id"]: d for d in data["documents"]}
    changes = data.get("changes")
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(COLUMNS)
    body = sorted(data["findings"], key=lambda f: (f["kind"] != "conflict", f["review"]["status"] != "confirmed",
                                                   -f["score"], f["id"]))
    for f in [*body, *data["rejected"]]:
        for row in finding_rows(f, documents, f.get("change")):
            writer.writerow([cell(v) for v in row])
    for v in data.get("versions") or []:  # values changed between syndicated copies: kind "versions differ"
        for row in finding_rows(v, documents, None):
            writer.writerow([cell(x) for x in row])
    if changes:
        before = {d["id"]: d for d in changes.get("documents") or []}
        for f in changes["gone"]:
            for row in finding_rows(f, {**before, **documents}, "gone"):
                writer.writerow([cell(v) for v in row])
    return BOM + buffer.getvalue()
