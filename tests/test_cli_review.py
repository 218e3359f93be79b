"""The review, labels, tune and config commands end to end (real model, cached embeddings)."""

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time

import pytest
from typer.testing import CliRunner

from discrepancy.cli import app

from .conftest import copy_s400, shared_cache

runner = CliRunner()


@pytest.fixture(scope="session")
def corpus(tmp_path_factory):
    return copy_s400(tmp_path_factory, "s400-cli-review")


@pytest.fixture(scope="session")
def cache(tmp_path_factory):
    return shared_cache(tmp_path_factory)


@pytest.fixture(scope="session")
def conflicts(corpus, cache):
    """The conflicts `check` flags, highest score first: the review order."""
    result = runner.invoke(app, ["review", str(corpus), "--list", "--json", "--cache-dir", str(cache)])
    assert result.exit_code == 0, result.output
    rows = [r for r in json.loads(result.output) if r["kind"] == "conflict"]
    assert len(rows) >= 4
    return rows


def invoke(*args, input=None):
    return runner.invoke(app, [str(a) for a in args], input=input)


def stored(path):
    with sqlite3.connect(path) as conn:
        return dict(conn.execute("SELECT finding_id, status FROM reviews WHERE status != 'unreviewed'"))


def test_interactive_review_resumes_and_shows_in_outputs(tmp_path, corpus, cache, conflicts):
    store = tmp_path / "reviews.sqlite"
    first = invoke("review", corpus, "--store", store, "--cache-dir", cache, input="c\nc\nr\nq\n")
    assert first.exit_code == 0, first.output
    ids = [r["id"] for r in conflicts]
    assert f"[1/{len(ids)}]" in first.output and ids[0] in first.output
    assert "stopped: 2 confirmed, 1 rejected" in first.output
    expected = {ids[0]: "confirmed", ids[1]: "confirmed", ids[2]: "rejected"}
    assert stored(store) == expected

    # Restart: the session resumes with the first undecided conflict; quitting changes nothing.
    second = invoke("review", corpus, "--store", store, "--cache-dir", cache, input="q\n")
    assert second.exit_code == 0, second.output
    assert f"[1/{len(ids) - 3}]" in second.output and ids[3] in second.output
    assert ids[0] not in second.output.split("keys:")[1]
    assert stored(store) == expected

    md, js = tmp_path / "r.md", tmp_path / "f.json"
    check = invoke("check", corpus, "--store", store, "--cache-dir", cache, "-o", md, "--json", js)
    assert check.exit_code == 0, check.output
    assert "2 confirmed, 1 rejected" in check.output
    data = json.loads(js.read_text(encoding="utf-8"))
    reviews = {f["id"]: f["review"]["status"] for f in data["findings"]}
    assert reviews[ids[0]] == reviews[ids[1]] == "confirmed" and reviews[ids[3]] == "unreviewed"
    assert ids[2] not in reviews
    assert [f["id"] for f in data["rejected"]] == [ids[2]]
    assert data["rejected"][0]["review"] == {"status": "rejected", "note": None}
    report = md.read_text(encoding="utf-8")
    body, appendix = report.split("## Appendix: rejected in review")
    assert ids[2] not in body and ids[2] in appendix
    assert body.count("✅ confirmed") == 2 and "(unreviewed)" in body


def test_killed_mid_session_loses_no_decision(tmp_path, corpus, cache, conflicts):
    store = tmp_path / "reviews.sqlite"
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "discrepancy.cli", "review", str(corpus),
         "--store", str(store), "--cache-dir", str(cache)],
        stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)

    def wait_for(n):
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            assert proc.poll() is None, proc.stderr.read().decode()
            if store.exists():
                try:
                    if len(stored(store)) >= n:
                        return
                except sqlite3.OperationalError:
                    pass  # not created yet, or locked for a moment
            time.sleep(0.1)
        raise AssertionError(f"no decision {n} within the time limit")

    try:
        for n, key in enumerate(["c", "r", "c"], 1):
            proc.stdin.write(f"{key}\n".encode())
            proc.stdin.flush()
            wait_for(n)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        proc.stdin.close()
        proc.stderr.close()
    assert proc.returncode == -signal.SIGKILL
    with sqlite3.connect(store) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        log = conn.execute("SELECT finding_id, action FROM events ORDER BY seq").fetchall()
    # Every key pressed before the kill is in the store, in order, each for a different finding.
    assert [action for _, action in log] == ["confirmed", "rejected", "confirmed"]
    decided = stored(store)
    assert decided == dict(log) and len(decided) == 3
    assert set(decided) <= {r["id"] for r in conflicts}
    # The next session resumes with an undecided finding.
    resumed = invoke("review", corpus, "--store", store, "--cache-dir", cache, input="q\n")
    assert resumed.exit_code == 0, resumed.output
    first_shown = next(line for line in resumed.output.splitlines() if line.startswith("[1/"))
    assert not any(fid in first_shown for fid in decided)
    assert f"[1/{len(conflicts) - 3}]" in first_shown


def test_list_and_set(tmp_path, corpus, cache, conflicts):
    store = tmp_path / "reviews.sqlite"
    fid = conflicts[1]["id"]
    listed = invoke("review", corpus, "--store", store, "--cache-dir", cache, "--list")
    assert listed.exit_code == 0 and fid in listed.output and "unreviewed" in listed.output
    assert not store.exists()  # listing does not create the store
    done = invoke("review", corpus, "--store", store, "--cache-dir", cache, "--set", fid,
                  "--status", "rejected", "--note", "same law, two translations")
    assert done.exit_code == 0, done.output
    rows = json.loads(invoke("review", corpus, "--store", store, "--cache-dir", cache, "--list", "--json").output)
    row = next(r for r in rows if r["id"] == fid)
    assert (row["status"], row["note"]) == ("rejected", "same law, two translations")
    only = invoke("review", corpus, "--store", store, "--cache-dir", cache, "--list", "--status", "rejected")
    assert only.output.strip().splitlines() == [line for line in only.output.strip().splitlines() if fid in line]

    unknown = invoke("review", corpus, "--store", store, "--cache-dir", cache, "--set", "ffffffffffff",
                     "--status", "confirmed")
    assert unknown.exit_code == 2 and unknown.output.count("\n") == 1 and "ffffffffffff" in unknown.output
    bad = invoke("review", corpus, "--store", store, "--cache-dir", cache, "--set", fid, "--status", "maybe")
    assert bad.exit_code == 2 and "maybe" in bad.output


def test_labels_export_tune_write_and_check(tmp_path, corpus, cache, conflicts):
    """Review → labels → tune (reviews included) --write → check uses the refitted scorer."""
    store = corpus / ".discrepancy" / "reviews.sqlite"  # the default store: tune reads it
    top, rest = conflicts[0], conflicts[1:]
    assert invoke("review", corpus, "--cache-dir", cache, "--set", top["id"], "--status", "confirmed").exit_code == 0
    for row in rest:
        assert invoke("review", corpus, "--cache-dir", cache, "--set", row["id"],
                      "--status", "rejected").exit_code == 0
    labels = tmp_path / "labels.jsonl"
    exported = invoke("labels", "export", corpus, "-o", labels, "--store", store, "--cache-dir", cache)
    assert exported.exit_code == 0, exported.output
    assert f"wrote {len(conflicts)} labels" in exported.output
    again = invoke("labels", "export", corpus, "-o", labels, "--store", store, "--cache-dir", cache)
    assert again.exit_code == 2 and "--merge" in again.output

    config = tmp_path / "discrepancy.toml"
    config.write_text("# tuned below\ntop_k = 5\n", encoding="utf-8")
    png, scorer = tmp_path / "pr.png", tmp_path / "scorer.json"
    tuned = invoke("tune", corpus, "--labels", corpus / "labels.jsonl", "--cache-dir", cache, "--config", config,
                   "--plot", png, "-o", scorer, "--write")
    assert tuned.exit_code == 0, tuned.output
    assert "review decision(s) added as labels" in tuned.output and "chosen threshold" in tuned.output
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 20_000
    import tomllib

    written = tomllib.loads(config.read_text(encoding="utf-8"))
    assert written["top_k"] == 5 and "# tuned below" in config.read_text(encoding="utf-8")
    assert written["scorer"] == str(scorer.resolve())

    js = tmp_path / "f.json"
    res = invoke("check", corpus, "--cache-dir", cache, "--json", js, "--config", config)
    assert res.exit_code == 0, res.output
    data = json.loads(js.read_text(encoding="utf-8"))
    assert data["settings"]["scorer"] == str(scorer.resolve())
    # What the reviewer rejected, the refitted scorer flags less of.
    rejected = {row["id"] for row in rest}
    flagged = {f["id"] for f in data["findings"] + data["rejected"] if f["kind"] == "conflict"}
    assert len(flagged & rejected) < len(rejected)


def test_tune_constraints_and_errors(tmp_path, corpus, cache):
    from discrepancy.tuning import THRESHOLD_GRID

    labels = corpus / "labels.jsonl"
    strict = invoke("tune", corpus, "--labels", labels, "--cache-dir", cache, "--min-precision", "0.99",
                    "--no-reviews", "--json", tmp_path / "sweep.json")
    assert strict.exit_code == 0, strict.output
    assert "precision ≥ 0.99" in strict.output
    sweep = json.loads((tmp_path / "sweep.json").read_text(encoding="utf-8"))
    assert len(sweep["rows"]) == len(THRESHOLD_GRID) and sweep["criterion"] == "recall at precision ≥ 0.99"
    both = invoke("tune", corpus, "--labels", labels, "--min-precision", "0.5", "--min-recall", "0.5")
    assert both.exit_code == 2
    missing = invoke("tune", corpus, "--labels", tmp_path / "none.jsonl", "--no-reviews", "--cache-dir", cache)
    assert missing.exit_code == 2 and "labels file not found" in missing.output


# --- stores that were interrupted, damaged or replaced ------------------------------------------


def test_check_reads_a_store_a_killed_writer_left_behind(tmp_path, corpus, cache, conflicts):
    from .test_review import killed_mid_transaction

    store = tmp_path / "reviews.sqlite"
    assert invoke("review", corpus, "--store", store, "--cache-dir", cache, "--set", conflicts[0]["id"],
                  "--status", "confirmed").exit_code == 0
    killed_mid_transaction(store)
    done = invoke("check", corpus, "--store", store, "--cache-dir", cache, "-o", tmp_path / "r.md")
    assert done.exit_code == 0, done.output
    assert "warning" not in done.output and "✅ confirmed" in (tmp_path / "r.md").read_text()


def test_check_writes_its_report_when_the_store_is_unusable(tmp_path, corpus, cache, conflicts):
    from discrepancy.records import ClaimRef, Finding

    from .test_review import damaged_stores

    finding = Finding("f", "conflict", "location", 1.0, 1.0, "r", ClaimRef("a", "x"), ClaimRef("b", "y"))
    cases = damaged_stores(tmp_path / "stores", finding)
    for name, word in cases.items():
        store = tmp_path / "stores" / name
        report = tmp_path / f"{name}.md"
        done = invoke("check", corpus, "--store", store, "--cache-dir", cache, "-o", report)
        assert done.exit_code == 0, done.output
        warnings = [line for line in done.output.splitlines() if line.startswith("warning: review store")]
        assert len(warnings) == 1 and word in warnings[0] and "no review state" in warnings[0], done.output
        assert report.read_text().count("(unreviewed)") == len(conflicts)


def test_review_never_recreates_an_empty_or_damaged_store(tmp_path, corpus, cache, conflicts):
    from discrepancy.records import ClaimRef, Finding

    from .conftest import one_line_error
    from .test_review import damaged_stores

    finding = Finding("f", "conflict", "location", 1.0, 1.0, "r", ClaimRef("a", "x"), ClaimRef("b", "y"))
    cases = damaged_stores(tmp_path / "stores", finding)
    for name, word in cases.items():
        store = tmp_path / "stores" / name
        before = store.read_bytes() if store.is_file() else None
        for args in (["--set", conflicts[0]["id"], "--status", "confirmed"], ["--list"], []):
            done = invoke("review", corpus, "--store", store, "--cache-dir", cache, *args, input="c\n")
            one_line_error(done, f"review store {store} cannot be used", word)
        assert (store.read_bytes() if store.is_file() else None) == before
    one_line_error(invoke("labels", "export", corpus, "--store", tmp_path / "stores" / "empty.sqlite",
                          "-o", tmp_path / "l.jsonl", "--cache-dir", cache), "empty")


def test_review_screen_wraps_at_word_boundaries_and_explains_wrong_keys(tmp_path, corpus, cache, conflicts,
                                                                          monkeypatch):
    monkeypatch.chdir(tmp_path)  # a short store path, "r.sqlite", shorter than a line

    def review(columns):
        return runner.invoke(app, ["review", str(corpus), "--store", "r.sqlite", "--cache-dir", str(cache)],
                             input="maybe\n\nq\n", env={"COLUMNS": str(columns)})

    narrow, wide = review(60), review(3000)
    assert narrow.exit_code == 0, narrow.output
    assert "'maybe' is not a key here" in narrow.output and "no key typed" in narrow.output
    assert "0 confirmed, 0 rejected" in " ".join(narrow.output.split())  # a wrong key decides nothing
    screen = [line for line in narrow.output.splitlines() if not line.startswith("c/r/s/n/b/q >")]
    assert max(len(line) for line in screen) <= 60
    assert max(len(line) for line in wide.output.splitlines()) > 100
    # The same words as on a wide screen: no word was cut in two by the wrapping.
    def words(text):
        return [w for w in text.split() if set(w) != {"─"}]  # the rule spans the screen

    assert words(narrow.output) == words(wide.output)
