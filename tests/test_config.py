"""Config file: defaults < discrepancy.toml < flags, validation, and safe rewriting."""

import tomllib

import pytest
from typer.testing import CliRunner

from discrepancy.cli import app
from discrepancy.config import CONFIG_NAME, read_config, resolve_settings, update_toml_text, write_settings
from discrepancy.errors import DiscrepancyError
from discrepancy.settings import Settings

runner = CliRunner()


def test_defaults_without_a_file(tmp_path):
    resolved = resolve_settings(tmp_path)
    assert resolved.settings == Settings()
    assert resolved.path is None
    assert set(resolved.sources.values()) == {"default"}


def test_file_then_flags(tmp_path):
    path = tmp_path / CONFIG_NAME
    path.write_text("min_score = 0.6\ntop_k = 5\nscorer = \"mine.json\"\n", encoding="utf-8")
    resolved = resolve_settings(tmp_path, None, min_score=0.2, top_k=None)
    assert resolved.settings.min_score == 0.2  # flag beats file
    assert resolved.settings.top_k == 5  # file beats default
    assert resolved.settings.scorer == str(tmp_path / "mine.json")  # relative to the config file
    assert resolved.settings.min_agreement_score == Settings().min_agreement_score
    assert resolved.sources["min_score"] == "flag --min-score"
    assert resolved.sources["top_k"] == str(path)
    assert resolved.sources["duplicate_threshold"] == "default"


def test_explicit_config_path_wins_over_corpus_file(tmp_path):
    (tmp_path / CONFIG_NAME).write_text("min_score = 0.6\n", encoding="utf-8")
    other = tmp_path / "other.toml"
    other.write_text("min_score = 0.7\n", encoding="utf-8")
    assert resolve_settings(tmp_path, other).settings.min_score == 0.7


def test_integers_are_accepted_for_float_settings(tmp_path):
    path = tmp_path / "c.toml"
    path.write_text("min_score = 1\nmax_file_mb = 5\n", encoding="utf-8")
    values = read_config(path)
    assert values == {"min_score": 1.0, "max_file_mb": 5.0}
    assert isinstance(values["min_score"], float)


@pytest.mark.parametrize("line, words", [
    ("min_scor = 0.5", ["min_scor", "0.5", "unknown"]),
    ('min_score = "high"', ["min_score", "'high'", "a number"]),
    ("top_k = 2.5", ["top_k", "2.5", "an integer"]),
    ("top_k = true", ["top_k", "True"]),
    ("min_score = 1.5", ["min_score", "1.5", "between 0 and 1"]),
    ("model = 3", ["model", "3"]),
    ("[section]\nmin_score = 0.5", ["section", "unknown"]),
    ("min_score = ", ["not valid TOML"]),
])
def test_bad_values_name_key_file_and_value(tmp_path, line, words):
    path = tmp_path / "bad.toml"
    path.write_text(line + "\n", encoding="utf-8")
    with pytest.raises(DiscrepancyError) as info:
        read_config(path)
    message = str(info.value)
    assert "\n" not in message and str(path) in message
    for word in words:
        assert word in message


def test_explicit_missing_config_is_an_error(tmp_path):
    with pytest.raises(DiscrepancyError, match="config file not found"):
        resolve_settings(tmp_path, tmp_path / "nope.toml")


def test_write_keeps_comments_and_other_keys(tmp_path):
    path = tmp_path / CONFIG_NAME
    path.write_text("# my settings\ntop_k = 7  # keep\nmin_score = 0.3 # tuned later\n\nmodel = \"all-MiniLM-L6-v2\"\n",
                    encoding="utf-8")
    write_settings(path, {"min_score": 0.65, "scorer": "/models/s.json"})
    text = path.read_text(encoding="utf-8")
    assert "# my settings" in text and "top_k = 7  # keep" in text
    assert "min_score = 0.65 # tuned later" in text
    assert tomllib.loads(text) == {"top_k": 7, "min_score": 0.65, "model": "all-MiniLM-L6-v2",
                                   "scorer": "/models/s.json"}
    assert not list(tmp_path.glob("*.tmp"))


def test_write_creates_the_file(tmp_path):
    path = tmp_path / "sub" / "c.toml"
    write_settings(path, {"min_score": 0.5})
    assert read_config(path) == {"min_score": 0.5}


def test_write_refuses_a_broken_file(tmp_path):
    path = tmp_path / "c.toml"
    path.write_text("top_k = 'x'\n", encoding="utf-8")
    with pytest.raises(DiscrepancyError, match="top_k"):
        write_settings(path, {"min_score": 0.5})
    assert path.read_text(encoding="utf-8") == "top_k = 'x'\n"


def test_new_keys_stay_top_level():
    text = update_toml_text("top_k = 3\n[other]\nx = 1\n", {"min_score": 0.4})
    assert tomllib.loads(text)["min_score"] == 0.4


def test_config_show_names_the_source(tmp_path):
    path = tmp_path / CONFIG_NAME
    path.write_text("min_score = 0.6\ntop_k = 4\n", encoding="utf-8")
    result = runner.invoke(app, ["config", "show", str(tmp_path), "--top-k", "9", "--json"])
    assert result.exit_code == 0, result.output
    import json

    data = json.loads(result.output)
    assert data["settings"]["min_score"] == {"value": 0.6, "source": str(path)}
    assert data["settings"]["top_k"] == {"value": 9, "source": "flag --top-k"}
    assert data["settings"]["model"]["source"] == "default"
    table = runner.invoke(app, ["config", "show", str(tmp_path)])
    assert table.exit_code == 0 and "min_score" in table.output and "default" in table.output


def test_config_show_bad_file_exits_2_with_one_line(tmp_path):
    (tmp_path / CONFIG_NAME).write_text("similarity = 0.5\n", encoding="utf-8")
    result = runner.invoke(app, ["config", "show", str(tmp_path)])
    assert result.exit_code == 2
    assert result.output.count("\n") == 1 and "similarity" in result.output and CONFIG_NAME in result.output
    assert "Traceback" not in result.output


def test_check_rejects_a_bad_config_before_running(tmp_path):
    (tmp_path / CONFIG_NAME).write_text("top_k = 0\n", encoding="utf-8")
    result = runner.invoke(app, ["check", str(tmp_path)])
    assert result.exit_code == 2 and "top_k" in result.output


@pytest.mark.parametrize("command", ["check", "evaluate", "tune", "review", "labels export", "config show"])
def test_help_has_an_example(command):
    result = runner.invoke(app, [*command.split(), "--help"])
    assert result.exit_code == 0 and "Example" in result.output
    if command != "config show":
        assert "--config" in result.output


# --- limits at their edges ----------------------------------------------------------------------


@pytest.mark.parametrize("value", ["0", "0.0", "1e308", "inf"])
def test_max_file_mb_zero_or_huge_means_no_limit(tmp_path, value):
    from discrepancy.loading import load_corpus, size_limit

    if value == "inf":  # TOML's inf: not a finite number, refused with one line
        (tmp_path / CONFIG_NAME).write_text(f"max_file_mb = {value}\n", encoding="utf-8")
        with pytest.raises(DiscrepancyError, match="max_file_mb"):
            resolve_settings(tmp_path)
        return
    (tmp_path / CONFIG_NAME).write_text(f"max_file_mb = {value}\n", encoding="utf-8")
    settings = resolve_settings(tmp_path).settings
    assert size_limit(settings.max_file_mb) is None
    (tmp_path / "a.txt").write_text("The ferry sank on Monday.", encoding="utf-8")
    assert [d.path for d in load_corpus(tmp_path, max_file_mb=settings.max_file_mb).documents] == ["a.txt"]


def test_a_negative_limit_is_refused(tmp_path):
    (tmp_path / CONFIG_NAME).write_text("max_file_mb = -1\n", encoding="utf-8")
    with pytest.raises(DiscrepancyError, match=r"max_file_mb must be 0 \(no limit\) or above"):
        resolve_settings(tmp_path)


def test_a_config_file_that_is_not_utf8_is_one_line(tmp_path):
    (tmp_path / CONFIG_NAME).write_bytes("# r\xe9glages\nmin_score = 0.4\n".encode("latin-1"))
    result = runner.invoke(app, ["config", "show", str(tmp_path)])
    assert result.exit_code == 2, result.output
    assert result.output.count("\n") == 1 and "not UTF-8" in result.output and CONFIG_NAME in result.output
    with pytest.raises(DiscrepancyError, match="not UTF-8"):
        write_settings(tmp_path / CONFIG_NAME, {"min_score": 0.5})


def test_check_with_a_huge_limit_runs_instead_of_crashing(tmp_path):
    from .conftest import one_line_error

    (tmp_path / CONFIG_NAME).write_text("max_file_mb = 1e308\n", encoding="utf-8")
    (tmp_path / "a.txt").write_text("The ferry sank on Monday.", encoding="utf-8")
    # One article: the run gets past loading (no OverflowError, exit 3) to the usual one-line error.
    one_line_error(runner.invoke(app, ["check", str(tmp_path), "--no-cache"]), "nothing to compare")
