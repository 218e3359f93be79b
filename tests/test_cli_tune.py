"""`discrepancy tune` and `discrepancy evaluate` on the command line."""

import json
import shutil

import pytest
from typer.testing import CliRunner

from discrepancy.cli import app

from .conftest import ROOT, one_line_error, shared_cache

runner = CliRunner()
REALNEWS = ROOT.parent / "shared" / "realnews"


def copy_corpus(tmp_path, name):
    target = tmp_path / name
    shutil.copytree(ROOT / "corpus" / name, target)
    return target


def test_tune_writes_a_scorer_that_check_uses(tmp_path, tmp_path_factory):
    cache = shared_cache(tmp_path_factory)
    ferry, quake = copy_corpus(tmp_path, "ferry"), copy_corpus(tmp_path, "quake")
    scorer = tmp_path / "scorer.json"
    result = runner.invoke(app, ["tune", str(ferry), str(quake), "-o", str(scorer), "--cache-dir", str(cache),
                                 "--json", str(tmp_path / "sweep.json")])
    assert result.exit_code == 0, result.output
    assert "chosen threshold" in result.output and "out-of-fold" in result.output
    data = json.loads(scorer.read_text(encoding="utf-8"))
    assert data["kind"] == "discrepancy slot scorer" and data["trained_on"]["corpora"] == ["ferry", "quake"]
    sweep = json.loads((tmp_path / "sweep.json").read_text(encoding="utf-8"))
    assert sweep["threshold"] == data["threshold"]
    checked = runner.invoke(app, ["check", str(ferry), "--scorer", str(scorer), "--cache-dir", str(cache),
                                  "--json", str(tmp_path / "r.json")])
    assert checked.exit_code == 0, checked.output
    report = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert report["settings"]["scorer"] == str(scorer)
    assert report["settings"]["min_score"] == data["threshold"]


def test_tune_write_points_the_config_at_the_scorer(tmp_path, tmp_path_factory):
    ferry = copy_corpus(tmp_path, "ferry")
    scorer = tmp_path / "s.json"
    result = runner.invoke(app, ["tune", str(ferry), "-o", str(scorer), "--write", "--cache-dir",
                                 str(shared_cache(tmp_path_factory))])
    assert result.exit_code == 0, result.output
    assert "in-sample" in result.output  # one corpus: said plainly
    assert f'scorer = "{scorer.resolve()}"' in (ferry / "discrepancy.toml").read_text(encoding="utf-8")


@pytest.mark.parametrize("args, needle", [
    (["--write"], "--write needs -o"),
    (["--plot", "pr.svg"], "written as PNG"),
    (["--min-precision", "0.5", "--min-recall", "0.5"], "not both"),
])
def test_tune_refuses_bad_options_before_any_work(tmp_path, args, needle):
    one_line_error(runner.invoke(app, ["tune", str(ROOT / "corpus" / "ferry"), *args]), needle)


def test_evaluate_refuses_what_it_cannot_do(tmp_path):
    one_line_error(runner.invoke(app, ["evaluate", str(ROOT / "corpus" / "ferry"), "--loo"]), "at least two")
    one_line_error(runner.invoke(app, ["evaluate", str(ROOT / "corpus" / "ferry"), str(ROOT / "corpus" / "quake"),
                                       "--labels", "x.jsonl"]), "single corpus")
    (tmp_path / "a.txt").write_text("One article.", encoding="utf-8")
    one_line_error(runner.invoke(app, ["evaluate", str(tmp_path)]), "no labels for")


def test_evaluate_prints_the_readme_table(tmp_path_factory):
    result = runner.invoke(app, ["evaluate", str(ROOT / "corpus" / "ferry"), str(ROOT / "corpus" / "quake"),
                                 "--markdown", "--cache-dir", str(shared_cache(tmp_path_factory))])
    assert result.exit_code == 0, result.output
    lines = [ln for ln in result.output.splitlines() if ln.startswith("|")]
    assert lines[0].startswith("| corpus | must found | should found")
    assert [ln.split("|")[1].strip() for ln in lines[2:]] == ["ferry", "quake", "**total**"]


@pytest.mark.skipif(not REALNEWS.is_dir(), reason="../shared/realnews is not here (third-party texts, not in the repo)")
def test_on_real_news_the_length_of_the_submersible_is_caught(tmp_path_factory):
    result = runner.invoke(app, ["evaluate", str(REALNEWS / "titan-submersible-2023"), "--details", "--cache-dir",
                                 str(shared_cache(tmp_path_factory))])
    assert result.exit_code == 0, result.output
    assert "length of Titan" not in result.output  # no missed-label line names it
