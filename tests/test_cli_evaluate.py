"""`discrepancy evaluate` printing: quotes cut at word boundaries, "—" where a rate is undefined.

`pipeline.check_corpus` is replaced by a fixed result, so no model is needed."""

import json
import re

import pytest
from typer.testing import CliRunner

from discrepancy.cli import app
from discrepancy.records import CheckResult, ClaimRef, Document, Finding, Side

from .conftest import write_article

runner = CliRunner()
A_TEXT = ("The regional governor said on Wednesday evening that the ferry had run aground near the harbour "
          "of Gavrio after the storm damaged its rudder and engines.")
B_TEXT = ("According to the coast guard the vessel struck rocks close to the island of Tinos in the early "
          "hours of Thursday morning, with four hundred passengers aboard.")


@pytest.fixture
def corpus(tmp_path, monkeypatch):
    folder = tmp_path / "c"
    write_article(folder, "a.txt", A_TEXT)
    write_article(folder, "b.txt", B_TEXT)
    label = {"kind": "conflict", "a_file": "a.txt", "a": A_TEXT, "b_file": "b.txt", "b": B_TEXT,
             "type": "location", "priority": "should"}
    (folder / "labels.jsonl").write_text(json.dumps(label) + "\n", encoding="utf-8")
    docs = [Document("a", "a.txt", "A", "unknown", None, "unknown", A_TEXT),
            Document("b", "b.txt", "B", "unknown", None, "unknown", B_TEXT)]
    ref_a = ClaimRef("a", "The ferry carried four hundred people and the count was later revised by the operator "
                          "to four hundred and twelve passengers", value="four hundred")
    ref_b = ClaimRef("b", "Officials counted three hundred and ninety passengers on the manifest after the "
                          "rescue operation ended on Thursday night", value="three hundred and ninety")
    unlabeled = Finding("f1", "conflict", "number", 0.5, 0.4, "number: 400 ≠ 390 (passengers)", ref_a, ref_b,
                        (Side("400", (ref_a,)), Side("390", (ref_b,))))
    result = CheckResult(str(folder), docs, [], [], [], [unlabeled])

    import discrepancy.pipeline

    monkeypatch.setattr(discrepancy.pipeline, "check_corpus", lambda *args, **kwargs: result)
    return folder


def test_undefined_rates_are_dashes_and_quotes_end_on_whole_words(corpus):
    result = runner.invoke(app, ["evaluate", str(corpus), "--labels", str(corpus / "labels.jsonl")],
                           env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    rows = {line.split()[1]: line.split()[2:] for line in result.output.splitlines()
            if line.startswith("│") and line.split()[1] in ("location", "number", "overall")}
    # location: labeled, nothing flagged → precision undefined; number: flagged, not labeled → recall undefined.
    assert rows["location"][:11] == ["│", "1", "│", "0", "│", "0", "│", "0", "│", "1", "│"]
    assert rows["location"][11:16] == ["—", "│", "0.00", "│", "0.00"]
    assert rows["number"][11:16] == ["0.00", "│", "—", "│", "0.00"]
    assert "must-have recall: —" in result.output  # no must-have labels
    missed = next(line for line in result.output.splitlines() if line.strip().startswith("line 1 [location"))
    shown_quotes = re.findall(r"'([^']*)'", missed)
    assert len(shown_quotes) == 2
    for quote, shown in zip((A_TEXT, B_TEXT), shown_quotes, strict=True):
        assert shown.endswith("…") and len(shown) <= 70
        assert quote.startswith(shown[:-1]) and quote[len(shown) - 1] == " "  # cut just before a space
    sentences = [line.strip() for line in result.output.splitlines() if line.startswith("      ")]
    assert len(sentences) == 2 and all(line.endswith("…'") for line in sentences)


def test_summary_row_uses_dashes_too(corpus):
    result = runner.invoke(app, ["evaluate", str(corpus), "--labels", str(corpus / "labels.jsonl"), "--summary"])
    assert result.exit_code == 0, result.output
    cells = [c.strip() for c in result.output.strip().strip("|").split("|")]
    assert cells[1:] == ["1", "1", "0", "1", "1", "0.00", "0.00", "0.00", "—"]
