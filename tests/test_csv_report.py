"""CSV export: one row per finding side, safe to open in a spreadsheet."""

import csv
import io

from discrepancy.changes import compare_runs, read_previous
from discrepancy.csv_report import COLUMNS, to_csv
from discrepancy.reporting import report_data, to_json

from .report_fixtures import sample_result, without


def rows(text: str) -> list[dict]:
    assert text.startswith("\ufeff")  # Excel reads UTF-8 only with the byte-order mark
    return list(csv.DictReader(io.StringIO(text[1:], newline="")))


def test_one_row_per_side_with_ids_values_outlets_urls_score_and_status():
    text = to_csv(report_data(sample_result()))
    table = rows(text)
    assert list(table[0]) == list(COLUMNS)
    # Conflicts first (confirmed first, then by score), then corroborations, then the rejected appendix.
    assert [(r["finding_id"], r["side"]) for r in table] == [
        ("f1number", "1"), ("f1number", "2"), ("f1number", "3"), ("f0location", "1"), ("f0location", "2"),
        ("f2name", "1"), ("f3date", "1"), ("f3date", "2")]
    rhodes = next(r for r in table if r["value"] == "Rhodes")
    assert rhodes["kind"] == "conflict" and rhodes["type"] == "location" and rhodes["sides"] == "2"
    assert rhodes["other_values"] == "Kos" and rhodes["article_count"] == "2"
    # Several articles on one side: one line each, in the same order in every list cell.
    assert rhodes["articles"] == "paper_b\nblog_c"
    assert rhodes["outlets"] == "Daily Paper\nunknown"
    assert rhodes["urls"] == "javascript:alert(1)\n"  # data, not a link: a CSV cell is never followed
    assert rhodes["published"] == "2024-03-03\nunknown"
    assert rhodes["quotes"] == "The ferry went down near Rhodes.\nOfficials said it sank near Rhodes."
    assert float(rhodes["score"]) == 0.81 and rhodes["review_status"] == "unreviewed"
    kos = next(r for r in table if r["value"] == "Kos")
    assert kos["urls"] == "https://wire.example/ferry?a=1&b=2" and kos["outlets"] == "Wire One"
    toll = [r for r in table if r["finding_id"] == "f1number"]
    assert {r["review_status"] for r in toll} == {"confirmed"}
    assert toll[0]["review_note"] == "checked with the coast guard"
    assert [r["finding_id"] for r in table if r["review_status"] == "rejected"] == ["f3date", "f3date"]
    assert all(r["change"] == "" for r in table)
    assert "\r\n" in text and "\n\r" not in text


def test_cells_a_spreadsheet_would_run_as_formulas_are_quoted():
    table = rows(to_csv(report_data(sample_result(hostile=True))))
    formula = next(r for r in table if r["finding_id"] == "f1number" and r["side"] == "3")
    assert formula["value"] == "'=SUM(A1:A9)"
    assert formula["quotes"].startswith("'=SUM(A1:A9) people were killed")
    for r in table:
        for name, value in r.items():
            assert not value.startswith(("=", "+", "-", "@")), (name, value)


def test_since_marks_each_row_and_lists_what_is_gone(tmp_path):
    before = without(sample_result(), "f1number")
    after = without(sample_result(), "f2name")
    (tmp_path / "before.json").write_text(to_json(before), encoding="utf-8")
    changes = compare_runs(read_previous(tmp_path / "before.json"), after)
    table = rows(to_csv(report_data(after, changes)))
    change = {(r["finding_id"], r["change"]) for r in table}
    assert change == {("f1number", "new"), ("f0location", "unchanged"), ("f3date", "unchanged"), ("f2name", "gone")}
    gone = next(r for r in table if r["change"] == "gone")
    assert gone["outlets"] == "Wire One\nDaily Paper" and gone["value"] == "Nikos Papadopoulos"


def test_same_result_same_bytes():
    assert to_csv(report_data(sample_result(True))) == to_csv(report_data(sample_result(True)))
