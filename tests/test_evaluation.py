import pytest

from discrepancy.errors import DiscrepancyError
from discrepancy.evaluation import check_quotes, evaluate_result, parse_labels

from .conftest import S400


def test_s400_labels_are_valid_and_the_must_have_is_found(s400_result):
    labels = parse_labels(S400 / "labels.jsonl")
    check_quotes(labels, S400)
    ev = evaluate_result(s400_result, labels)
    assert ev.must_recall == 1.0
    assert not ev.false_agreements


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
