"""`discrepancy check` end to end: every output format, --since, and errors before the long run."""

import csv
import io
import json
import shutil

import pytest
from typer.testing import CliRunner

from discrepancy.cli import app

from .conftest import S400, make_events, one_line_error, ray_or_skip, shared_cache

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


# --- several folders -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def events(tmp_path_factory):
    return make_events(tmp_path_factory.mktemp("events"))


def test_several_folders_write_one_report_each_the_same_bytes_as_single_runs_and_an_index(tmp_path, cache, events):
    outdir = tmp_path / "out"
    result = check(events / "bridge", events / "lonely", events / "ferry", "-o", outdir, "--cache-dir", cache,
                   "--formats", "html,md,json")
    # The folder of one article fails in one line naming it; the others are checked and written; exit 2.
    one_line_error(result, str(events / "lonely"), "nothing to compare", code=2)
    assert f"wrote {outdir / 'bridge.html'}" in result.output and "2 of 3 folders checked" in result.output
    assert f"warning: {events / 'bridge'}: skipped photo.pdf" in result.output
    for name in ("bridge", "ferry"):
        single = tmp_path / "single" / name
        assert check(events / name, "-q", "--cache-dir", cache / name, "-o", single.with_suffix(".md"),
                     "--json", single.with_suffix(".json"), "--html", single.with_suffix(".html")).exit_code == 0
        for fmt in ("md", "json", "html"):
            assert (outdir / f"{name}.{fmt}").read_bytes() == single.with_suffix(f".{fmt}").read_bytes(), fmt
    assert not (outdir / "lonely.md").exists()
    index = json.loads((outdir / "index.json").read_text(encoding="utf-8"))
    assert [(f["name"], f["status"]) for f in index["folders"]] == [("bridge", "ok"), ("lonely", "error"),
                                                                    ("ferry", "ok")]
    assert "[report](ferry.md) · [JSON](ferry.json) · [HTML](ferry.html)" in (outdir / "index.md").read_text("utf-8")


def test_each_subfolder_of_a_root_then_since_the_earlier_run(tmp_path, cache):
    root = make_events(tmp_path / "events", with_bad=False)
    outdir = root / "reports"  # inside the root: not taken for an event
    first = check("--each", root, "-o", outdir, "--cache-dir", cache, "--fail-on-conflict")
    assert first.exit_code == 1, first.output  # conflicts found, nothing failed
    assert "2 of 2 folders checked" in first.output
    assert sorted(p.name for p in outdir.iterdir()) == ["bridge.json", "bridge.md", "ferry.json", "ferry.md",
                                                        "index.json", "index.md"]
    before = (outdir / "index.md").read_bytes()
    again = check("--each", root, "-o", outdir, "--cache-dir", cache, "--since", outdir)
    assert again.exit_code == 0, again.output
    assert f"since {outdir}: " in again.output and "unchanged" in again.output
    assert (outdir / "index.md").read_bytes() != before  # now with what changed since the first run
    index = (outdir / "index.md").read_text(encoding="utf-8")
    assert "| since the last run |" in index and "unchanged" in index
    assert json.loads((outdir / "index.json").read_text(encoding="utf-8"))["folders"][0]["changes"]
    assert json.loads((outdir / "ferry.json").read_text(encoding="utf-8"))["changes"] is not None


@pytest.mark.parametrize("make_args, needles", [
    (lambda e, t: [e / "bridge", e / "ferry"], ["give -o OUTDIR"]),
    (lambda e, t: [e / "bridge", e / "ferry", "-o", t, "--json", t / "x.json"], ["--json goes with one folder"]),
    (lambda e, t: [e / "bridge", e / "ferry", "-o", t, "--store", t / "r.sqlite"], ["--store goes with one"]),
    (lambda e, t: [e / "bridge", e / "ferry", "-o", t, "--formats", "md,pdf"], ["--formats", "'pdf'"]),
    (lambda e, t: [e / "bridge", "--formats", "md,html"], ["go with several folders"]),
    (lambda e, t: [e / "bridge", "--ray"], ["go with several folders"]),
    (lambda e, t: ["--each", e / "bridge", e / "ferry", "-o", t], ["--each takes one ROOT"]),
    (lambda e, t: ["--each", e / "bridge", "-o", t], ["no subfolder", "holds articles"]),
    (lambda e, t: [e / "bridge", e / "ferry", "-o", e / "bridge" / "a.txt"], ["is not a folder"]),
    (lambda e, t: [e / "bridge", e / "ferry", "-o", t, "--since", t / "nope"], ["--since", "not found"]),
    (lambda e, t: [e / "bridge", e / "ferry", "-o", t, "--config", t / "missing.toml"], ["missing.toml"]),
    (lambda e, t: [e / "bridge", e / "ferry", "-o", t, "--model", t / "nomodel"], ["model folder not found"]),
    (lambda e, t: [e / "bridge", e / "ferry", "-o", t, "--device", "tpu"], ["tpu"]),
])
def test_several_folders_usage_errors_come_first_in_one_line(tmp_path, events, no_pipeline, make_args, needles):
    one_line_error(check(*make_args(events, tmp_path / "out")), *needles)


def test_ray_without_ray_installed_says_how_to_install_it(tmp_path, events, no_pipeline, monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "ray", None)  # as if not installed
    result = check("--each", events, "-o", tmp_path / "out", "--ray")
    one_line_error(result, "--ray needs Ray", "pip install 'discrepancy[ray]'")
    assert not (tmp_path / "out").exists()


def test_ray_writes_the_same_reports_and_index_as_a_local_run(tmp_path, cache, events):
    ray_or_skip()
    local, on_ray = tmp_path / "local", tmp_path / "ray"
    assert check("--each", events, "-o", local, "--cache-dir", cache, "--formats", "md,json,csv").exit_code == 2
    result = check("--each", events, "-o", on_ray, "--cache-dir", cache, "--formats", "md,json,csv", "--ray")
    one_line_error(result, str(events / "lonely"), code=2)
    assert "checking 3 folders on Ray (local)" in result.output
    assert sorted(p.name for p in on_ray.iterdir()) == sorted(p.name for p in local.iterdir())
    for path in local.iterdir():
        assert (on_ray / path.name).read_bytes() == path.read_bytes(), path.name
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
