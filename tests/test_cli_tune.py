"""`discrepancy tune` printing: "—" where nothing was flagged, outputs checked before the sweep.

The sweep itself is tested in test_tuning.py and end to end in test_cli_review.py; here
`tuning.tune` is replaced by a fixed result, so these tests need no model."""

import pytest
from typer.testing import CliRunner

from discrepancy.cli import app
from discrepancy.settings import Settings
from discrepancy.tuning import SweepRow, TuneResult, TypeRow

runner = CliRunner()


def row(sim, score, flagged, tp, fn, labels=4):
    fp = flagged - tp
    p = tp / flagged if flagged else 0.0
    r = (labels - fn) / labels
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    by_type = (TypeRow("location", 2, flagged, tp, fp, fn, p, r, f1), TypeRow("date", 2, 0, 0, 0, 2, 0.0, 0.0, 0.0))
    return SweepRow(sim, score, flagged, tp, fp, fn, labels, p, r, f1, 1.0, by_type)


def fixed_result(corpus, labels, *args, **kwargs) -> TuneResult:
    rows = [row(0.35, 0.3, 2, 2, 2), row(0.35, 0.9, 0, 0, 4)]
    return TuneResult(str(corpus), str(labels), rows, rows[0], "highest F1 0.67", "f1", True, rows[0], Settings(),
                      (0.35,), (0.3, 0.9), {"prepare": 1.0, "sweep": 0.1})


@pytest.fixture
def fake_tune(monkeypatch):
    import discrepancy.tuning

    monkeypatch.setattr(discrepancy.tuning, "tune", fixed_result)


@pytest.fixture
def no_sweep(monkeypatch):
    import discrepancy.tuning

    def fail(*args, **kwargs):
        raise AssertionError("the sweep ran before the error")

    monkeypatch.setattr(discrepancy.tuning, "tune", fail)


def test_nothing_flagged_shows_a_dash_not_zero_precision(tmp_path, fake_tune):
    result = runner.invoke(app, ["tune", str(tmp_path), "--labels", "l.jsonl", "--all", "--per-type"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    empty = next(line for line in lines if line.split()[:3] == ["0.35", "0.90", "all"])
    assert empty.split()[3:10] == ["0", "0", "0", "4", "—", "0.00", "0.00"]
    date = next(line for line in lines if line.split()[:1] == ["date"])  # the per-type row: nothing flagged
    assert date.split()[1:8] == ["0", "0", "0", "2", "—", "0.00", "0.00"]
    flagged = next(line for line in lines if line.split()[:3] == ["0.35", "0.30", "all"])
    assert flagged.split()[7] == "1.00"


@pytest.mark.parametrize("plot", ["pr.svg", "pr.pdf", "pr", "pr.PNG.txt"])
def test_a_plot_that_is_not_png_is_refused_before_the_sweep(tmp_path, no_sweep, plot):
    result = runner.invoke(app, ["tune", str(tmp_path), "--labels", "l.jsonl", "--plot", str(tmp_path / plot)])
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and "--plot" in lines[0] and plot in lines[0] and ".png" in lines[0]


def test_unwritable_outputs_are_refused_before_the_sweep(tmp_path, no_sweep):
    folder = tmp_path / "a-folder.png"
    folder.mkdir()
    for args in (["--plot", str(folder)], ["--json", str(folder)]):
        result = runner.invoke(app, ["tune", str(tmp_path), "--labels", "l.jsonl", *args])
        assert result.exit_code == 2 and len(result.output.strip().splitlines()) == 1, result.output
        assert "it is a folder" in result.output
    (tmp_path / "discrepancy.toml").mkdir()  # --write would write here
    result = runner.invoke(app, ["tune", str(tmp_path), "--labels", "l.jsonl", "--write"])
    assert result.exit_code == 2 and "discrepancy.toml" in result.output


def test_upper_case_png_is_fine(tmp_path, fake_tune, monkeypatch):
    import discrepancy.tuning

    written = []
    monkeypatch.setattr(discrepancy.tuning, "plot_pr", lambda result, path: written.append(path))
    result = runner.invoke(app, ["tune", str(tmp_path), "--labels", "l.jsonl", "--plot", str(tmp_path / "PR.PNG")])
    assert result.exit_code == 0, result.output
    assert written == [tmp_path / "PR.PNG"]
