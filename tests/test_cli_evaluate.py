"""`discrepancy evaluate` printing: "—" where a rate is undefined, missed labels cut at word boundaries.

The preparation and the scoring are replaced by fixed results, so no model is needed."""

import json
from types import SimpleNamespace

import pytest
from typer.testing import CliRunner

from discrepancy.cli import app
from discrepancy.evaluation import CorpusScore, parse_labels
from discrepancy.records import CheckResult, ClaimRef, Document, Finding, Side

from .conftest import write_article

runner = CliRunner()
A_TEXT = ("The regional governor said on Wednesday evening that the ferry had run aground near the harbour "
          "of Gavrio after the storm damaged its rudder and engines.")
B_TEXT = ("According to the coast guard the vessel struck rocks close to the island of Tinos in the early "
          "hours of Thursday morning, with four hundred passengers aboard.")
NOTE = ("where the ferry ran aground: near the harbour of Gavrio according to the governor, against the rocks "
        "of Tinos according to the coast guard")


@pytest.fixture
def corpus(tmp_path, monkeypatch):
    folder = tmp_path / "c"
    write_article(folder, "a.txt", A_TEXT)
    write_article(folder, "b.txt", B_TEXT)
    label = {"kind": "conflict", "a_file": "a.txt", "a": A_TEXT, "b_file": "b.txt", "b": B_TEXT,
             "type": "location", "priority": "should", "note": NOTE}
    (folder / "labels.jsonl").write_text(json.dumps(label) + "\n", encoding="utf-8")
    docs = [Document("a", "a.txt", "A", "unknown", None, "unknown", A_TEXT),
            Document("b", "b.txt", "B", "unknown", None, "unknown", B_TEXT)]
    ref_a = ClaimRef("a", "The ferry carried four hundred people.", value="four hundred")
    ref_b = ClaimRef("b", "Officials counted three hundred and ninety passengers.", value="three hundred and ninety")
    unlabeled = Finding("f1", "conflict", "number", 0.5, 0.4, "how many: 400 ≠ 390 (passengers)", ref_a, ref_b,
                        (Side("400", (ref_a,)), Side("390", (ref_b,))))
    result = CheckResult(str(folder), docs, [], [], [], [unlabeled])
    labels = parse_labels(folder / "labels.jsonl")
    fake = SimpleNamespace(name="c", path=str(folder), labels=labels, prepared=None,
                           targets=SimpleNamespace(unmatched=[]))
    nothing = CorpusScore(str(folder), {"must": 0, "should": 1, "nice": 0}, {"must": 0, "should": 0, "nice": 0},
                          0, 0, 0, 0, 0.7)

    import discrepancy.pipeline
    import discrepancy.tuning

    monkeypatch.setattr(discrepancy.tuning, "prepare_labeled", lambda *a, **k: [fake])
    monkeypatch.setattr(discrepancy.tuning, "evaluate_fixed", lambda *a, **k: [nothing])
    monkeypatch.setattr(discrepancy.pipeline, "find_discrepancies", lambda *a, **k: result)
    return folder


def test_undefined_rates_are_dashes(corpus):
    result = runner.invoke(app, ["evaluate", str(corpus), "--markdown"])
    assert result.exit_code == 0, result.output
    rows = [ln for ln in result.output.splitlines() if ln.startswith("| c ")]
    assert rows == ["| c | 0/0 | 0/1 | 0/0 | 0 | — |"]  # nothing flagged: precision undefined, not 0.00


def test_details_name_missed_labels_and_unlabeled_flags_cut_at_whole_words(corpus):
    result = runner.invoke(app, ["evaluate", str(corpus), "--details"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    (missed,) = [ln for ln in result.output.splitlines() if "missed line 1" in ln]
    shown = missed.split(": ", 1)[1]
    assert shown.endswith("…") and NOTE.startswith(shown[:-1]) and not NOTE[len(shown) - 1].isalnum()
    assert "unlabeled flag f1: how many: 400 ≠ 390" in result.output
    assert "total: must recall —, should recall 0.00, precision —" in result.output
