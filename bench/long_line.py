#!/usr/bin/env python
"""Benchmark: one article that is a single very long line, at several sizes.

    python bench/long_line.py --mb 1 5            # load + clean + segment, each size in a fresh process
    python bench/long_line.py --mb 1 5 --full     # also the whole `check` beside two ordinary articles

The article is the prose of synthetic news articles (bench/corpus.py, deterministic from
--seed) joined into one line without a single line break, cut at a sentence end near the
size asked for. Before long lines were cut into bounded chunks, the segment stage grew with
the square of the line length (200k characters: 47 s, 400k: 228 s) and a line over 1 MB
stopped the run (spaCy E088). Linear cost means the seconds per MB stay the same at every
size: the last line is `ratio segment CPU s/MB largest/smallest=…` (1.0 is perfectly linear;
CPU time, because wall time on a shared machine also measures the neighbours).

Each size runs in its own process (`--worker`), with --jobs 1 and no cache, and reports
wall time, CPU time and peak RSS (that process's maximum resident set).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

MB = 1024 * 1024


def long_article(size: int, seed: int = 7) -> str:
    """One line of about `size` characters of news prose (never more than `size`)."""
    from bench.corpus import build_corpus

    pieces: list[str] = []
    total = 0
    with tempfile.TemporaryDirectory() as tmp:
        n = max(8, size // 2200 + 8)
        for path in build_corpus(Path(tmp) / "c", n, seed=seed):
            body = path.read_text(encoding="utf-8").split("\n---\n", 1)[-1]
            for line in body.splitlines():
                line = line.strip()
                if len(line.split()) < 8 or not line.endswith((".", '."', ".”")):
                    continue  # headlines, bylines
                if total + len(line) + 1 > size:
                    return " ".join(pieces)
                pieces.append(line)
                total += len(line) + 1
    return " ".join(pieces)


def write_corpus(folder: Path, size: int, seed: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    text = long_article(size, seed)
    (folder / "long.txt").write_text("---\ntitle: One long line\nsource: Bench Wire\npublished: 2024-06-25\n---\n"
                                     + text + "\n", encoding="utf-8")
    (folder / "a.txt").write_text("The fire at the plant broke out near Kaltern on Monday, officials said. "
                                  "Nine people were killed and 40 were injured.\n", encoding="utf-8")
    (folder / "b.txt").write_text("The fire at the plant started near Marvik on Monday, police said. "
                                  "Twelve people died.\n", encoding="utf-8")
    return folder


def cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def worker(args) -> None:
    """One size, in this process: load + clean, segment + facts, and with --full the whole check."""
    corpus = Path(args.corpus)
    out: dict = {"chars": 0}
    t0 = time.perf_counter()
    from discrepancy.cleaning import clean_document
    from discrepancy.loading import load_corpus
    from discrepancy.nlp import load_nlp

    load_nlp()
    out["startup_s"] = time.perf_counter() - t0
    t1, c1 = time.perf_counter(), cpu()
    loaded = load_corpus(corpus, max_file_mb=0)
    documents = [clean_document(raw) for raw in loaded.documents if raw.path == "long.txt"]
    out["chars"] = len(documents[0].text)
    out["lines"] = documents[0].text.count("\n") + 1
    out["load_s"], out["load_cpu_s"] = time.perf_counter() - t1, cpu() - c1
    from discrepancy.pipeline import segment_and_extract
    from discrepancy.segmenting import split_blocks

    out["blocks"] = len(split_blocks(documents[0].text))
    t2, c2 = time.perf_counter(), cpu()
    sentences, claims = segment_and_extract(documents, jobs=1)
    out["segment_s"], out["segment_cpu_s"] = time.perf_counter() - t2, cpu() - c2
    out["sentences"], out["claims"] = len(sentences), len(claims)
    out["peak_mb_segment"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    if args.full:
        from discrepancy.pipeline import check_corpus
        from discrepancy.progress import StageRecorder
        from discrepancy.reporting import summary

        recorder = StageRecorder()
        t3 = time.perf_counter()
        result = check_corpus(corpus, cache_dir=None, jobs=1, device=args.device, progress=recorder)
        recorder.close()
        out["check_s"] = time.perf_counter() - t3
        out["check_stages_s"] = recorder.seconds()
        out["check_summary"] = summary(result)
        out["peak_mb_check"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    Path(args.out).write_text(json.dumps(out), encoding="utf-8")


def run_size(mb: float, args, work: Path) -> dict:
    corpus = write_corpus(work / f"corpus_{mb:g}", int(mb * MB), args.seed)
    out = work / f"result_{mb:g}.json"
    command = [sys.executable, __file__, "--worker", "--corpus", str(corpus), "--out", str(out),
               "--device", args.device] + (["--full"] if args.full else [])
    subprocess.run(command, check=True, cwd=ROOT)
    result = json.loads(out.read_text(encoding="utf-8"))
    result["mb"] = mb
    result["segment_s_per_mb"] = result["segment_s"] / (result["chars"] / MB)
    result["segment_cpu_s_per_mb"] = result["segment_cpu_s"] / (result["chars"] / MB)
    return result


def table(results: list[dict], full: bool) -> str:
    head = ("| size MB | characters | lines | blocks | sentences | load + clean s | segment + facts s "
            "| segment CPU s | CPU s per MB | peak RSS MB |")
    rows = [head, "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in results:
        rows.append(f"| {r['chars'] / MB:.2f} | {r['chars']:,} | {r['lines']} | {r['blocks']:,} | {r['sentences']:,} "
                    f"| {r['load_s']:.1f} | {r['segment_s']:.1f} | {r['segment_cpu_s']:.1f} "
                    f"| {r['segment_cpu_s_per_mb']:.1f} | {r['peak_mb_segment']:,.0f} |")
    if full:
        rows += ["", "| size MB | whole check s | " + " | ".join(results[0]["check_stages_s"]) + " | conflicts |",
                 "|---:|---:|" + "---:|" * (len(results[0]["check_stages_s"]) + 1)]
        for r in results:
            stages = " | ".join(f"{v:.1f}" for v in r["check_stages_s"].values())
            rows.append(f"| {r['chars'] / MB:.2f} | {r['check_s']:.1f} | {stages} | "
                        f"{r['check_summary']['conflicts']} |")
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mb", type=float, nargs="+", default=[1.0, 5.0], help="article size(s) in MB")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--full", action="store_true", help="also time the whole check (embedding included)")
    parser.add_argument("--device", default="auto", choices=["auto", "cpu", "cuda"])
    parser.add_argument("--json", type=Path, help="write every number here")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--corpus", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        worker(args)
        return
    with tempfile.TemporaryDirectory() as tmp:
        results = [run_size(mb, args, Path(tmp)) for mb in sorted(args.mb)]
    print(f"{platform.machine()}, {platform.platform()}, Python {platform.python_version()}, "
          f"{len(os.sched_getaffinity(0)) if hasattr(os, 'sched_getaffinity') else os.cpu_count()} cores, "
          f"load average at the end {os.getloadavg()[0]:.1f}")
    print(table(results, args.full))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    cpu_ratio = results[-1]["segment_cpu_s_per_mb"] / results[0]["segment_cpu_s_per_mb"]
    wall_ratio = results[-1]["segment_s_per_mb"] / results[0]["segment_s_per_mb"]
    print(f"ratio segment CPU s/MB largest/smallest={cpu_ratio:.2f} (wall {wall_ratio:.2f})")


if __name__ == "__main__":
    main()
