"""Small hand-made `CheckResult`s for the report writers (no model, no corpus on disk).

`sample_result()` has three articles (one with an http URL, one with a `javascript:`
URL), a two-sided and a three-sided conflict, a corroboration, a rejected finding,
single-source claims, a syndicated pair and a skipped file. `hostile=True` fills
every text a reader sees with markup that must stay inert.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from discrepancy.records import (
    CheckResult,
    ClaimRef,
    Document,
    DroppedText,
    DuplicateGroup,
    Finding,
    Side,
    SingleSourceClaim,
    SkippedFile,
    VersionDifference,
)

EVIL = ('<script>window.pwned = 1; document.title = "pwned"</script><img src=x onerror="document.title=\'pwned\'"> '
        '<a href="javascript:alert(1)">click</a> # Heading | cell | **bold** [link](javascript:alert(1)) '
        '=HYPERLINK("http://e.vil") <!-- comment -->')


def sample_result(hostile: bool = False) -> CheckResult:
    extra = (" " + EVIL) if hostile else ""
    docs = [
        Document("wire_a", "wire_a.txt", "Ferry sinks off Kos" + extra, "Wire One" + extra, date(2024, 3, 2),
                 "https://wire.example/ferry?a=1&b=2", "text"),
        Document("paper_b", "paper_b.md", "Ferry disaster" + extra, "Daily Paper", date(2024, 3, 3),
                 "javascript:alert(1)", "text"),
        Document("blog_c", "blog_c.html", "Live: ferry" + extra, "unknown", None, "unknown", "text"),
    ]
    a1 = ClaimRef("wire_a", "The ferry sank near Kos on Monday." + extra, "wire_a#1", "wire_a#1.0", "Kos")
    b1 = ClaimRef("paper_b", "The ferry went down near Rhodes." + extra, "paper_b#2", "paper_b#2.0", "Rhodes")
    c1 = ClaimRef("blog_c", "Officials said it sank near Rhodes." + extra, "blog_c#0", "blog_c#0.0", "Rhodes")
    a2 = ClaimRef("wire_a", "Twelve people were killed." + extra, "wire_a#3", "wire_a#3.0", "Twelve")
    b2 = ClaimRef("paper_b", "Seven people were killed." + extra, "paper_b#4", "paper_b#4.0", "Seven")
    c2 = ClaimRef("blog_c", "=SUM(A1:A9) people were killed, -3 said +1.", "blog_c#5", "blog_c#5.0", "=SUM(A1:A9)")
    a3 = ClaimRef("wire_a", "The captain was Nikos Papadopoulos." + extra, "wire_a#6", "wire_a#6.0",
                  "Nikos Papadopoulos")
    b3 = ClaimRef("paper_b", "Captain Nikos Papadopoulos was rescued." + extra, "paper_b#7", "paper_b#7.0",
                  "Nikos Papadopoulos")
    where = Finding("f0location", "conflict", "location", 0.81, 0.62, "location: Kos ≠ Rhodes (where the ferry sank)"
                    + extra, a1, b1, (Side("Kos" + extra, (a1,)), Side("Rhodes", (b1, c1))), sources=3)
    toll = Finding("f1number", "conflict", "number", 0.55, 0.48, "number: 12 ≠ 7 (people killed)", a2, b2,
                   (Side("Twelve", (a2,)), Side("Seven", (b2,)), Side("=SUM(A1:A9)", (c2,))), sources=3,
                   update=True, review_status="confirmed", review_note="checked with the coast guard" + extra)
    captain = Finding("f2name", "agreement", "name", 0.7, 0.5, "name: Nikos Papadopoulos = Nikos Papadopoulos", a3,
                      b3, (Side("Nikos Papadopoulos", (a3, b3)),), sources=2)
    rejected = Finding("f3date", "conflict", "date", 0.4, 0.3, "date: Monday ≠ Sunday", a1, b1,
                       (Side("Monday", (a1,)), Side("Sunday", (b1,))), review_status="rejected",
                       review_note="same day, two time zones")
    return CheckResult(
        corpus="/data/ferry" + ("<b>|x" if hostile else ""), documents=docs, sentences=[], claims=[], pairs=[],
        findings=[where, toll, captain], rejected=[rejected],
        single_source=[SingleSourceClaim("blog_c", "The ferry was built in 1978." + extra, ("date: 1978",))],
        duplicates=[DuplicateGroup(("paper_b", "blog_c"), 0.9)] if hostile else [],
        skipped=[SkippedFile("scan.pdf", "not an article file type: .pdf" + extra)],
        settings={"similarity_threshold": 0.35, "top_k": 10, "min_score": 0.3, "min_agreement_score": 0.5,
                  "duplicate_threshold": 0.6}, model_label="test-model",
    )


def without(result: CheckResult, *finding_ids: str) -> CheckResult:
    """`result` less the findings with these ids."""
    return replace(result, findings=[f for f in result.findings if f.id not in finding_ids],
                   rejected=[f for f in result.rejected if f.id not in finding_ids])


def with_versions_and_dropped(result: CheckResult, dropped_lines: int = 2) -> CheckResult:
    """`result` with a value changed between two copies of one text and `dropped_lines` lines
    removed by cleaning from its first article (the text of its first article's title: hostile
    when the result is)."""
    extra = result.documents[0].title.removeprefix("Ferry sinks off Kos")
    old = ClaimRef("wire_a", "Seven people were killed." + extra, "wire_a#3", "wire_a#3.0", "Seven",
                   published="2024-03-02", source="Wire One")
    new = ClaimRef("paper_b", "Twelve people were killed." + extra, "paper_b#3", "paper_b#3.0", "Twelve",
                   published="2024-03-03", source="Daily Paper")
    version = VersionDifference("v0number", "number", "how many: people",
                                "how many: people — Seven in wire_a (2024-03-02); Twelve in paper_b (2024-03-03)"
                                + extra, (Side("Seven", (old,)), Side("Twelve" + extra, (new,))))
    dropped = tuple(DroppedText(f"Photo: agency {n}" + extra, "photo credit") for n in range(dropped_lines))
    documents = [replace(result.documents[0], dropped=dropped), *result.documents[1:]]
    return replace(result, documents=documents, versions=[version],
                   duplicates=[DuplicateGroup(("paper_b", "wire_a"), 0.95)])
