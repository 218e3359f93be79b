"""`discrepancy check` end to end: every output format, --since, and errors before the long run."""

import csv
import io
import json
import shutil

import pytest
from typer.testing import CliRunner

from discrepancy.cli import app

from .conftest import S400, shared_cache

runner = CliRunner()


@pytest.fixture(scope="module")
def cache(tmp_path_factory):
    return shared_cache(tmp_path_factory)


def check(*args):
    return runner.invoke(app, ["check", *[str(a) for a in args]])


def outputs(folder):
    return {"-o": folder / "r.md", "--json": folder / "r.json", "--html": folder / "r.html", "--csv": folder / "r.csv"}


def test_every_format_from_one_run_and_the_same_bytes_twice(tmp_path, cache):
    first, second = tmp_path / "one", tmp_path / "two"
    for folder in (first, second):
        paths = outputs(folder)
        result = check(S400, "--cache-dir", cache, *[x for flag, path in paths.items() for x in (flag, path)])
        assert result.exit_code == 0, result.output
        for path in paths.values():
            assert f"wrote {path}" in result.output
    for flag, path in outputs(first).items():
        assert path.read_bytes() == outputs(second)[flag].read_bytes(), flag  # deterministic, HTML and CSV too
    data = json.loads((first / "r.json").read_text(encoding="utf-8"))
    html = (first / "r.html").read_text(encoding="utf-8")
    assert html.count('<article class="finding') == len(data["findings"])
    rows = list(csv.DictReader(io.StringIO((first / "r.csv").read_text(encoding="utf-8-sig"), newline="")))
    assert len(rows) == sum(len(f["sides"]) for f in data["findings"] + data["rejected"])
    assert {r["finding_id"] for r in rows} == {f["id"] for f in data["findings"]}
    assert data["changes"] is None and all(f["change"] is None for f in data["findings"])


def test_since_the_same_file_as_json_then_a_developing_story(tmp_path, cache):
    story = tmp_path / "story"
    story.mkdir()
    for path in sorted(S400.glob("*.txt"))[:4]:
        shutil.copy(path, story / path.name)
    run = tmp_path / "run.json"
    assert check(story, "--cache-dir", cache, "--json", run, "-q").exit_code == 0
    before = json.loads(run.read_text(encoding="utf-8"))

    # Nothing changed: --since and --json name the same file, which is read before it is replaced.
    again = check(story, "--cache-dir", cache, "--json", run, "--since", run, "-o", tmp_path / "same.md")
    assert again.exit_code == 0, again.output
    n = len(before["findings"])
    assert f"since {run}: 0 new, 0 changed, {n} unchanged, 0 gone" in again.output
    assert {f["change"] for f in json.loads(run.read_text(encoding="utf-8"))["findings"]} == {"unchanged"}

    # The story develops: one article is withdrawn, the fifth arrives.
    removed = sorted(story.glob("*.txt"))[2]
    removed.unlink()
    shutil.copy(sorted(S400.glob("*.txt"))[4], story)
    paths = outputs(tmp_path / "next")
    result = check(story, "--cache-dir", cache, "--since", run, *[x for f, p in paths.items() for x in (f, p)])
    assert result.exit_code == 0, result.output
    data = json.loads(paths["--json"].read_text(encoding="utf-8"))
    changes = data["changes"]
    assert changes["articles_removed"] == [removed.stem] and len(changes["articles_added"]) == 1
    quoted_removed = [f["id"] for f in before["findings"]
                      if any(c["doc"] == removed.stem for s in f["sides"] for c in s["claims"])]
    # A finding that quoted the withdrawn article is gone, or changed when other articles still state it.
    assert quoted_removed
    now = {f["id"]: f["change"] for f in data["findings"]}
    gone = {f["id"] for f in changes["gone"]}
    assert all(fid in gone or now.get(fid, "changed") == "changed" for fid in quoted_removed)
    counts = changes["counts"]
    assert f"since {run}: {counts['new']} new, {counts['changed']} changed, {counts['unchanged']} unchanged, " \
           f"{counts['gone']} gone" in result.output
    md = paths["-o"].read_text(encoding="utf-8")
    assert md.index(f"## Changes since `{run}`") < md.index("## Summary")
    assert f"removed `{removed.stem}`" in md and "## Gone since the last run" in md
    html = paths["--html"].read_text(encoding="utf-8")
    assert html.index('id="changes"') < html.index('id="summary"') and 'id="gone"' in html
    gone_rows = [r for r in csv.DictReader(io.StringIO(paths["--csv"].read_text(encoding="utf-8-sig"), newline=""))
                 if r["change"] == "gone"]
    assert {r["finding_id"] for r in gone_rows} == {f["id"] for f in changes["gone"]}


@pytest.fixture
def no_pipeline(monkeypatch):
    """These errors must come before the pipeline runs."""
    import discrepancy.pipeline

    def fail(*args, **kwargs):
        raise AssertionError("the pipeline ran before the error")

    monkeypatch.setattr(discrepancy.pipeline, "check_corpus", fail)


@pytest.mark.parametrize("make_args, needles", [
    (lambda t: ["--since", t / "missing.json"], ["--since", "missing.json", "not found"]),
    (lambda t: ["--since", t / "bad.json"], ["--since", "bad.json", "not JSON"]),
    (lambda t: ["--html", t / "x.out", "--csv", t / "x.out"], ["--html and --csv name the same file"]),
    (lambda t: ["--csv", t], ["it is a folder"]),
])
def test_bad_outputs_and_previous_runs_fail_first_in_one_line(tmp_path, no_pipeline, make_args, needles):
    (tmp_path / "bad.json").write_text("{oops", encoding="utf-8")
    result = check(S400, *make_args(tmp_path))
    assert result.exit_code == 2, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.output
    for needle in needles:
        assert needle in lines[0]


def test_an_unknown_or_missing_encoder_backend_is_a_one_line_error_before_the_run(tmp_path, monkeypatch):
    from discrepancy import embedding, pipeline

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("The bridge in Kestrel Falls reopened on Monday.\n", encoding="utf-8")
    (corpus / "b.txt").write_text("The bridge in Kestrel Falls reopened on Tuesday.\n", encoding="utf-8")
    result = runner.invoke(app, ["check", str(corpus), "--backend", "fp16", "--no-cache"])
    assert result.exit_code == 2 and "unknown encoder backend 'fp16'" in result.stderr
    assert len(result.stderr.splitlines()) == 1

    def no_parsing(*args, **kwargs):
        raise AssertionError("parsed before the backend was checked")

    monkeypatch.setattr(embedding, "backend_installed", lambda backend: backend == "torch")
    monkeypatch.setattr(pipeline, "segment_and_extract", no_parsing)
    result = runner.invoke(app, ["check", str(corpus), "--backend", "openvino", "--device", "cpu", "--no-cache"])
    assert result.exit_code == 2 and "OpenVINO is not installed" in result.stderr
    assert len(result.stderr.splitlines()) == 1
