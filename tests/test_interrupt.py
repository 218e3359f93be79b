"""Interrupted runs: a `discrepancy check` killed at any moment leaves the previous report and
JSON byte-identical, and the next run (on whatever the killed one left in its cache) works.

Runs the real CLI in subprocesses on a copy of corpus/s400, so it takes a while (~45 s).
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from .conftest import ROOT, S400


def default_ctrl_c() -> None:
    # A process started in the background by a shell ignores SIGINT, and its children inherit that;
    # a user's Ctrl-C reaches a process whose SIGINT is the default, so the child gets that back.
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def start(corpus: Path, out: Path, cache: Path) -> subprocess.Popen:
    args = [sys.executable, "-m", "discrepancy.cli", "check", str(corpus), "-o", str(out / "report.md"),
            "--json", str(out / "findings.json"), "--cache-dir", str(cache)]
    return subprocess.Popen(args, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONHASHSEED": "random"}, preexec_fn=default_ctrl_c)


def finish(process: subprocess.Popen, timeout: float = 300) -> tuple[int, str]:
    _, stderr = process.communicate(timeout=timeout)
    return process.returncode, stderr


def kill_after(process: subprocess.Popen, seconds: float, sig: int = signal.SIGKILL) -> tuple[int, str]:
    """Send `sig` after `seconds` (if the run is still going) and collect the result."""
    try:
        process.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        process.send_signal(sig)
    return finish(process)


def kill_when(process: subprocess.Popen, path: Path, delay: float, limit: float = 60) -> tuple[int, str]:
    """SIGKILL `delay` seconds after `path` appears: in the middle of the work that creates it."""
    deadline = time.monotonic() + limit
    while not path.exists() and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    return kill_after(process, delay)


def test_killed_runs_leave_previous_outputs_intact_and_the_next_run_works(tmp_path):
    corpus = tmp_path / "s400"
    corpus.mkdir()
    for path in S400.glob("*.txt"):
        shutil.copyfile(path, corpus / path.name)
    out = tmp_path / "out"

    code, stderr = finish(start(corpus, out, tmp_path / "cache-first"))
    assert code == 0, stderr
    before = {name: (out / name).read_bytes() for name in ("report.md", "findings.json")}

    # Every killed run starts from an empty cache, so it is killed while loading, parsing,
    # embedding or writing vectors; the last one is killed right after the cache file appears.
    cache = tmp_path / "cache-killed"
    outcomes = [kill_after(start(corpus, out, cache), seconds) for seconds in (1.0, 3.0)]
    outcomes.append(kill_when(start(corpus, out, cache), cache / "embeddings.sqlite", 0.3))
    # Ctrl-C at several moments: while importing, loading models, parsing and embedding. Each starts
    # from an empty cache of its own, so it is still running when interrupted (a run on the caches the
    # killed runs filled can finish within seconds).
    interrupted = [kill_after(start(corpus, out, tmp_path / f"cache-interrupted-{n}"), seconds, signal.SIGINT)
                   for n, seconds in enumerate((1.0, 2.0, 3.0, 4.5))]
    outcomes.extend(interrupted)

    for code, stderr in outcomes:
        assert code in (0, -signal.SIGKILL, 130), (code, stderr)
        assert "Traceback" not in stderr
        for name, content in before.items():
            assert (out / name).read_bytes() == content, name
        # Nothing but the two outputs and, at worst, a stray temporary file from the killed write.
        assert {p.name for p in out.iterdir() if not p.name.endswith(".tmp")} == set(before)
    for code, stderr in interrupted:  # Ctrl-C: the documented exit status, one line, no traceback
        assert code == 130, (code, stderr)

    code, stderr = finish(start(corpus, out, cache))
    assert code == 0, stderr
    for name, content in before.items():
        assert (out / name).read_bytes() == content, name  # same corpus, same bytes
