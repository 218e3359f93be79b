import json

import pytest

from discrepancy.errors import DiscrepancyError
from discrepancy.evaluation import check_quotes, evaluate_result, parse_labels

from .conftest import S400


def test_s400_labels_are_valid_and_the_must_have_is_found(s400_result):
    labels = parse_labels(S400 / "labels.jsonl")
    check_quotes(labels, S400)
    ev = evaluate_result(s400_result, labels)
    assert ev.must_recall == 1.0
    # Look-alike agreements the checker must never flag: the same date at another granularity, a name's
    # spelling variants (labels 8 to 12 of corpus/s400/labels.jsonl).
    assert not [lb for lb, _ in ev.false_agreements if lb.type == "name" or "granularity" in lb.note]


def test_bad_label_lines_name_the_line(tmp_path):
    path = tmp_path / "l.jsonl"
    path.write_text('{"kind": "conflict", "a_file": "x.txt", "a": "q", "b_file": "y.txt", "b": "r"}\nnot json\n')
    with pytest.raises(DiscrepancyError, match=r"l.jsonl:2: not valid JSON"):
        parse_labels(path)


def test_quote_not_in_corpus_is_an_error(tmp_path):
    path = tmp_path / "l.jsonl"
    path.write_text('{"kind": "conflict", "a_file": "000_4958c1211c77e6e4.txt", "a": "no such words", '
                    '"b_file": "001_f634004c73646d39.txt", "b": "Ankara", "type": "location"}\n')
    with pytest.raises(DiscrepancyError, match="quote not found"):
        check_quotes(parse_labels(path), S400, path)


@pytest.mark.parametrize("field, value", [("kind", ["conflict"]), ("a", 5), ("b_file", 3.5), ("a_file", {"x": 1}),
                                          ("type", 7), ("priority", ["must"]), ("note", False)])
def test_label_fields_of_the_wrong_type_name_the_line_and_field(tmp_path, field, value):
    import json

    label = {"kind": "conflict", "a_file": "x.txt", "a": "q", "b_file": "y.txt", "b": "r", "type": "location",
             "priority": "must", "note": "n", field: value}
    path = tmp_path / "l.jsonl"
    path.write_text('{"kind": "agreement", "a_file": "x.txt", "a": "q", "b_file": "y.txt", "b": "r"}\n'
                    + json.dumps(label) + "\n")
    with pytest.raises(DiscrepancyError, match=rf"l.jsonl:2: {field} must be a (non-empty )?string, not "):
        parse_labels(path)


def test_the_label_type_is_shown_as_written_never_as_markup(tmp_path, tmp_path_factory):
    from typer.testing import CliRunner

    from discrepancy.cli import app

    from .conftest import shared_cache

    path = tmp_path / "l.jsonl"
    # Two sentences no finding puts against each other: the labels are missed, and --details names their type.
    a, b = "Turkey has not yet revealed where", "Turkey is the first NATO member state"
    lines = [{"kind": "conflict", "a_file": "000_4958c1211c77e6e4.txt", "a": a, "b_file": "002_7722fbae8ead5526.txt",
              "b": b, "type": kind} for kind in ("[/bold] [link=https://e.vil]x[/link]", "\u202egnp.exe")]
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    result = CliRunner().invoke(app, ["evaluate", str(S400), "--labels", str(path), "--details",
                                      "--cache-dir", str(shared_cache(tmp_path_factory))])
    assert result.exit_code == 0, result.output
    assert "[/bold] [link=https://e.vil]x[/link]" in result.output
    assert "<U+202E>gnp.exe" in result.output and "\u202e" not in result.output
