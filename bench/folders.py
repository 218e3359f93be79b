#!/usr/bin/env python
"""Benchmark: many event folders in one run, folders per minute, locally and on a local Ray instance.

    python bench/folders.py --folders 4 --articles 4
    python bench/folders.py --folders 40 --articles 20 --json bench/folders.json

It writes `--folders` synthetic event folders of `--articles` articles each (bench/corpus.py,
one event per folder, deterministic from --seed) and times, as a user runs it, in a fresh
process each, with no cache (every folder cold):

1. local: `discrepancy check --each ROOT -o OUT --no-cache` (one process, the models loaded once);
2. ray:   the same with `--ray` (a new local Ray instance on every core; each worker loads the
          models once and takes one folder at a time). Skipped when ray is not installed.

Wall times include starting Python, loading the models and, for Ray, starting the instance:
at a few folders that start dominates. It checks that both runs wrote the same bytes. Its last
line is `folders_per_min local=X ray=Y` (ray=- when skipped).
"""

from __future__ import annotations

import argparse
import filecmp
import importlib.util
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def build_folders(root: Path, folders: int, articles: int, seed: int) -> list[Path]:
    from bench.corpus import build_corpus

    paths = []
    for i in range(folders):
        folder = root / f"event{i:03d}"
        build_corpus(folder, articles, seed=seed + i)
        paths.append(folder)
    return paths


def run_check(events: Path, out: Path, ray: bool, jobs: int | None) -> dict:
    """One `discrepancy check --each` in a fresh process; its wall time and exit code."""
    cmd = [sys.executable, "-m", "discrepancy.cli", "check", "--each", str(events), "-o", str(out), "--no-cache",
           "-q"]
    if jobs:
        cmd += ["--jobs", str(jobs)]
    if ray:
        cmd.append("--ray")
    start = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
    wall = time.perf_counter() - start
    if done.returncode not in (0, 1):
        raise SystemExit(f"bench/folders.py: {' '.join(cmd)} failed ({done.returncode}): {done.stderr.strip()}")
    return {"wall_s": wall, "exit_code": done.returncode}


def same_outputs(a: Path, b: Path) -> bool:
    names = sorted(p.name for p in a.iterdir())
    if names != sorted(p.name for p in b.iterdir()):
        return False
    match, mismatch, errors = filecmp.cmpfiles(a, b, names, shallow=False)
    return not mismatch and not errors


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--folders", type=int, default=4, help="event folders")
    parser.add_argument("--articles", type=int, default=4, help="articles per folder")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--jobs", type=int, default=0, help="--jobs of the local run (0: its default, every core)")
    parser.add_argument("--no-ray", action="store_true", help="time the local run only")
    parser.add_argument("--json", type=Path, help="write every number here")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="discrepancy-bench-folders-") as tmp:
        work = Path(tmp)
        events = work / "events"
        build_folders(events, args.folders, args.articles, args.seed)
        runs = {"local": run_check(events, work / "out-local", False, args.jobs or None)}
        has_ray = importlib.util.find_spec("ray") is not None
        if has_ray and not args.no_ray:
            runs["ray"] = run_check(events, work / "out-ray", True, None)
            runs["ray"]["same_outputs_as_local"] = same_outputs(work / "out-local", work / "out-ray")
        elif not args.no_ray:
            print("note: ray is not installed (pip install 'discrepancy[ray]'): local only", file=sys.stderr)
    for run in runs.values():
        run["folders_per_min"] = args.folders / run["wall_s"] * 60
    data = {"folders": args.folders, "articles_per_folder": args.articles, "seed": args.seed,
            "cpus": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count(),
            "load_average": list(os.getloadavg()), "runs": runs}
    print(f"{args.folders} folders x {args.articles} articles, no cache, {data['cpus']} CPUs")
    print("| run | wall s | folders/min | same bytes as local |")
    print("|---|---:|---:|---|")
    for name, run in runs.items():
        same = {True: "yes", False: "NO"}.get(run.get("same_outputs_as_local"), "-")
        print(f"| {name} | {run['wall_s']:.1f} | {run['folders_per_min']:.1f} | {same} |")
    if args.json:
        args.json.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    ray = f"{runs['ray']['folders_per_min']:.1f}" if "ray" in runs else "-"
    print(f"folders_per_min local={runs['local']['folders_per_min']:.1f} ray={ray}")
    if "ray" in runs and not runs["ray"]["same_outputs_as_local"]:
        raise SystemExit("bench/folders.py: the Ray run wrote different reports than the local run")


if __name__ == "__main__":
    main()
