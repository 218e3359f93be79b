"""`check --since`: every finding is new, changed or unchanged against the previous run's JSON,
and what the previous run found but this one does not is gone."""

import json
from dataclasses import replace

import pytest

from discrepancy.changes import compare_runs, read_previous
from discrepancy.errors import DiscrepancyError
from discrepancy.records import ClaimRef, Document, Side
from discrepancy.reporting import to_json, to_markdown

from .report_fixtures import sample_result, without


def previous_run(tmp_path, result, name="previous.json"):
    path = tmp_path / name
    path.write_text(to_json(result), encoding="utf-8")
    return read_previous(path)


def test_the_same_run_is_all_unchanged(tmp_path):
    result = sample_result()
    changes = compare_runs(previous_run(tmp_path, result), result)
    assert set(changes.status.values()) == {"unchanged"}
    assert len(changes.status) == 4  # the rejected finding takes part too
    assert changes.gone == [] and changes.articles_added == changes.articles_removed == []
    assert changes.headline() == "0 new, 0 changed, 4 unchanged, 0 gone"


def test_new_and_gone_findings(tmp_path):
    before = without(sample_result(), "f1number")
    after = without(sample_result(), "f2name")
    changes = compare_runs(previous_run(tmp_path, before), after)
    assert changes.status["f1number"] == "new"
    assert changes.status["f0location"] == changes.status["f3date"] == "unchanged"
    assert [f["id"] for f in changes.gone] == ["f2name"]
    assert changes.counts() == {"new": 1, "changed": 0, "unchanged": 2, "gone": 1}


def test_an_article_joining_a_side_changes_the_finding(tmp_path):
    before = sample_result()
    extra = Document("agency_d", "agency_d.txt", "Ferry", "Agency", None, "unknown", "text")
    d1 = ClaimRef("agency_d", "It sank near Kos, the agency said.", "agency_d#0", "agency_d#0.0", "Kos")
    where = before.findings[0]
    moved = replace(where, sides=(Side("Kos", (where.sides[0].claims[0], d1)), where.sides[1]))
    after = replace(before, documents=[*before.documents, extra], findings=[moved, *before.findings[1:]])
    changes = compare_runs(previous_run(tmp_path, before), after)
    assert changes.status["f0location"] == "changed"
    assert changes.details["f0location"] == "'Kos': 1 article → 2 (+agency_d)"
    assert changes.articles_added == ["agency_d"]


def test_an_edited_sentence_keeps_its_finding_as_changed_not_new_and_gone(tmp_path):
    before = sample_result()
    where = before.findings[0]
    edited = ClaimRef("wire_a", "The ferry sank just off Kos early on Monday.", "wire_a#1", "wire_a#1.0", "Kos")
    new_where = replace(where, id="f9location", a=edited, sides=(Side("Kos", (edited,)), where.sides[1]))
    after = replace(before, findings=[new_where, *before.findings[1:]])
    changes = compare_runs(previous_run(tmp_path, before), after)
    assert changes.status["f9location"] == "changed" and changes.gone == []
    assert "quoted sentences edited" in changes.details["f9location"]


def test_a_previously_rejected_finding_is_not_new(tmp_path):
    result = sample_result()
    assert compare_runs(previous_run(tmp_path, result), result).status["f3date"] == "unchanged"


def test_reports_open_with_what_changed(tmp_path):
    before = without(sample_result(), "f1number")
    after = without(sample_result(), "f2name")
    changes = compare_runs(previous_run(tmp_path, before), after)
    md = to_markdown(after, changes)
    assert md.index("## Changes since `") < md.index("## Summary") < md.index("## Gone since the last run")
    assert "- **Findings:** 1 new, 0 changed, 2 unchanged, 1 gone" in md
    assert "- **New:** conflict 1 (number: Twelve vs Seven vs \\=SUM(A1:A9))" in md
    assert "### 1. possible update: Twelve vs Seven vs \\=SUM(A1:A9) ✅ confirmed — new since the last run" in md
    gone = md.split("## Gone since the last run")[1]
    assert "Nikos Papadopoulos" in gone and "`f2name`" in gone
    data = json.loads(to_json(after, changes))
    assert {f["id"]: f["change"] for f in data["findings"] + data["rejected"]} == {
        "f0location": "unchanged", "f1number": "new", "f3date": "unchanged"}
    assert data["changes"]["counts"]["gone"] == 1 and data["changes"]["gone"][0]["id"] == "f2name"
    assert json.loads(to_json(after))["changes"] is None  # without --since


def test_articles_added_and_removed(tmp_path):
    before = sample_result()
    after = replace(before, documents=before.documents[:2] + [
        Document("new_d", "new_d.txt", "t", "s", None, "unknown", "x")])
    changes = compare_runs(previous_run(tmp_path, before), after)
    assert changes.articles_added == ["new_d"] and changes.articles_removed == ["blog_c"]
    assert "- **Articles:** added `new_d`; removed `blog_c`." in to_markdown(after, changes)


@pytest.mark.parametrize("content, words", [
    (None, ["not found", "missing.json"]),
    ("{not json", ["is not JSON", "line 1"]),
    ('{"findings": []}', ["not a discrepancy JSON report"]),
    ('[1, 2]', ["not a discrepancy JSON report"]),
    ('{"tool": {"name": "discrepancy"}, "findings": [{"id": 3}]}', ["findings without an id"]),
])
def test_a_bad_previous_file_is_one_line_naming_it(tmp_path, content, words):
    path = tmp_path / "missing.json"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(DiscrepancyError) as caught:
        read_previous(path)
    message = str(caught.value)
    assert "\n" not in message and str(path) in message and message.startswith("--since")
    for word in words:
        assert word in message
