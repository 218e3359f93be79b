import json

from typer.testing import CliRunner

from discrepancy.cli import app

from .conftest import S400, write_article

runner = CliRunner()


def test_check_writes_report_and_json(tmp_path):
    md, js = tmp_path / "r.md", tmp_path / "f.json"
    result = runner.invoke(app, ["check", str(S400), "-o", str(md), "--json", str(js),
                                 "--cache-dir", str(tmp_path / "cache")])
    assert result.exit_code == 0, result.output
    assert "Anamur-Mersin" in md.read_text()
    assert json.loads(js.read_text())["findings"]


def test_missing_folder_exits_2_with_one_line(tmp_path):
    result = runner.invoke(app, ["check", str(tmp_path / "missing")])
    assert result.exit_code == 2
    assert "corpus folder not found" in result.output
    assert "Traceback" not in result.output


def test_one_article_is_nothing_to_compare(tmp_path):
    write_article(tmp_path / "c", "only.txt", "The ferry sank on Monday.")
    result = runner.invoke(app, ["check", str(tmp_path / "c"), "--no-cache"])
    assert result.exit_code == 2
    assert "nothing to compare" in result.output and "only.txt" in result.output


def test_help_shows_an_example():
    result = runner.invoke(app, ["check", "--help"])
    assert result.exit_code == 0 and "Example" in result.output
