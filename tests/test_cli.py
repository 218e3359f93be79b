import json
import re

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


# --- conventions every command shares (discrepancy/cli/_common.py) ------------------------------

import ast  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

from .conftest import ROOT  # noqa: E402

COMMANDS = ["check", "review", "labels export", "tune", "evaluate", "config show", "cache info", "cache clear"]
PIPELINE_COMMANDS = ["check", "review", "labels export"]
SHARED = ["--config FILE", "--model DIR", "--scorer FILE", "--min-score X", "--top-k N", "--cache-dir DIR",
          "--no-cache", "-j, --jobs N", "--device auto|cpu|cuda",
          "--backend auto|torch|openvino"]


def one_line(result, *needles, code=2):
    assert result.exit_code == code, result.output
    assert result.stdout == "", result.stdout  # errors go to stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    for needle in needles:
        assert needle in lines[0], (needle, lines[0])
    return lines[0]


@pytest.mark.parametrize("command", COMMANDS)
def test_help_conventions(command):
    result = runner.invoke(app, [*command.split(), "--help"])
    assert result.exit_code == 0, result.output
    text = result.output
    usage = text.splitlines()[0]
    assert usage.startswith(f"Usage: discrepancy {command} [OPTIONS]")
    assert ("CORPUS" in usage) and "{" not in usage and "corpus" not in usage  # one name, the usual brackets
    assert "CORPUS_DIR" not in text and "<bool>" not in text
    assert re.search(r"\nArguments:\n  CORPUS(\.\.\.)? ", text)
    assert "Example:" in text
    examples = text.split("Example:")[1].split("Arguments:")[0]
    for line in filter(None, (ln.strip() for ln in examples.splitlines())):
        assert line.startswith(f"discrepancy {command.split()[0]}"), line  # each example on one unbroken line


def test_flags_take_no_value_and_defaults_are_shown():
    text = runner.invoke(app, ["check", "--help"]).output
    assert "  -q, --quiet " in text and "  --no-cache " in text and "  --fail-on-conflict " in text
    assert "[default: auto]" in text and "[default: (every core)" in text
    assert "[default: (one per corpus in the user's cache directory)]" in " ".join(text.split())
    assert ".html" in text and ".txt" in text  # check reads saved web pages too


@pytest.mark.parametrize("command", PIPELINE_COMMANDS)
def test_the_commands_that_run_the_pipeline_share_their_options(command):
    text = " ".join(runner.invoke(app, [*command.split(), "--help"]).output.split())
    for option in SHARED:
        assert option in text, (command, option)


def test_version():
    from discrepancy import __version__

    for flag in ("--version", "-V"):
        result = runner.invoke(app, [flag])
        assert result.exit_code == 0 and result.output == f"discrepancy {__version__}\n"


@pytest.mark.parametrize("args, needles", [
    (["check", "corpus/s400", "--min-score", "7"], ["--min-score", "'7'", "discrepancy check --help"]),
    (["check", "corpus/s400", "--min-score=high"], ["--min-score", "'high'"]),
    (["check", "corpus/s400", "--jobs", "0"], ["--jobs", "'0'"]),
    (["review", "corpus/s400", "--top-k", "x"], ["--top-k", "'x'", "discrepancy review --help"]),
    (["tune", "corpus/s400", "--labels", "l.jsonl", "--min-precision", "2"], ["--min-precision", "'2'"]),
    (["evaluate"], ["missing argument 'CORPUS...'"]),
    (["check"], ["missing argument 'CORPUS...'"]),
    (["check", "corpus/s400", "--colour"], ["no such option: --colour"]),
    (["chek", "corpus/s400"], ["no such command 'chek'", "check"]),
    (["check", "--quiet", "true", "corpus/s400"], ["unexpected extra argument", "take no value"]),
])
def test_a_bad_option_value_is_one_line_and_exit_2(args, needles):
    one_line(runner.invoke(app, args), *needles)


def test_no_arguments_prints_the_help():
    result = runner.invoke(app, [])
    assert "Usage: discrepancy [OPTIONS] COMMAND" in result.output and "check" in result.output


def test_summary_uses_plural_forms():
    from discrepancy.cli.check import summary_line

    line = summary_line({"articles": 1, "sentences": 1, "compared_pairs": 1, "conflicts": 1,
                         "conflicts_by_type": {"date": 1}, "agreements": 0})
    assert line == "1 article, 1 sentence, 1 value pair compared: 1 conflict (date 1), 0 corroborated"


def cli_imports(path: Path) -> set[str]:
    """The sibling modules of discrepancy/cli that `path` imports."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level == 1:
            names |= {node.module} if node.module else {a.name for a in node.names}
    return names


def test_one_module_per_command_and_no_import_cycle():
    folder = ROOT / "discrepancy" / "cli"
    modules = {p.stem: cli_imports(p) for p in folder.glob("*.py")}
    assert {"check", "review", "labels", "tune", "evaluate", "config", "cache", "_common"} <= set(modules)
    assert modules["_common"] == set()
    for name, imports in modules.items():
        if name not in ("__init__", "__main__", "_common"):
            assert imports == {"_common"}, (name, imports)  # a command imports no other command


def test_module_entry_point_and_help_without_torch():
    code = ("import sys; from typer.testing import CliRunner; from discrepancy.cli import app; "
            "r = CliRunner().invoke(app, ['check', '--help']); assert r.exit_code == 0; "
            "print('torch' in sys.modules, 'sentence_transformers' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert done.stdout.strip() == "False False", done.stderr
    version = subprocess.run([sys.executable, "-m", "discrepancy.cli", "--version"], capture_output=True, text=True,
                             cwd=ROOT, timeout=120)
    assert version.returncode == 0 and version.stdout.startswith("discrepancy ")
