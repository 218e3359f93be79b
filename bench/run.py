#!/usr/bin/env python
"""Benchmark: the whole pipeline against the embedding floor, cold and warm.

    python bench/run.py --articles 100
    python bench/run.py --articles 50 500 2000 --json bench/results.json

For each size it writes a synthetic corpus (bench/corpus.py, deterministic from
--seed) into a temporary folder and runs, each in a fresh Python process:

1. cold: `check_corpus` + `write_reports` with an empty cache, timing every stage
   (startup = imports, load = load+clean+duplicates, segment = parse + extract facts,
   embed, align, compare, report) and sampling the resident memory (RSS) of the
   process and its worker processes every 20 ms;
2. embed-only (the floor): the model is loaded first, in fp32 PyTorch whatever backend
   the pipeline uses, then the distinct sentence texts the cold run embedded are encoded
   once, with the same batch size: a naive embedding pass, the floor every ratio is taken
   against;
3. warm: the cold run again, same corpus, same cache.

On a shared machine one run can be slowed by other work: `--repeat N` repeats the
three runs N times, interleaved, and reports the medians (default: 3 repetitions
up to 200 articles, 1 above; the JSON keeps every run).

`--backend` is the pipeline's encoder (auto: OpenVINO when installed and agreeing with
fp32; see discrepancy/embedding.py); `--short` writes articles of 2-4 sentences (thousands
of brief files: the per-file overhead).

It prints a stage table per size and a summary table; its last line is
`ratio cold/embed=X warm/cold=Y peak_mb=Z` for the last size (Z: the cold run's
peak RSS in MB, processes summed, the highest over repetitions). `--json FILE` keeps every number (see
bench/table.py for the README table).
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
import threading
import time
from pathlib import Path

T0 = time.perf_counter()
ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

STAGES = ("startup", "load", "segment", "embed", "align", "compare", "report")
BATCH_SIZE = 64  # embed_texts' default


# --- memory ------------------------------------------------------------------------------------


def rss_bytes(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def descendants(pid: int) -> list[int]:
    out, queue = [], [pid]
    while queue:
        p = queue.pop()
        try:
            with open(f"/proc/{p}/task/{p}/children") as f:
                kids = [int(x) for x in f.read().split()]
        except (OSError, ValueError):
            kids = []
        out += kids
        queue += kids
    return out


class MemorySampler(threading.Thread):
    """Peak RSS (this process plus its children) overall and per stage, sampled every `interval` s."""

    def __init__(self, interval: float = 0.02) -> None:
        super().__init__(daemon=True)
        self.interval = interval
        self.stage = "startup"
        self.peak: dict[str, int] = {}
        self.overall = 0
        self.stop_event = threading.Event()
        self.pid = os.getpid()
        self.cpu: dict[str, float] = {}
        self.cpu_mark = 0.0  # process CPU time is counted from the process start
        self.proc = Path(f"/proc/{self.pid}").exists()

    def sample(self) -> None:
        if not self.proc:
            return
        total = rss_bytes(self.pid) + sum(rss_bytes(p) for p in descendants(self.pid))
        self.peak[self.stage] = max(self.peak.get(self.stage, 0), total)
        self.overall = max(self.overall, total)

    def set_stage(self, stage: str) -> None:
        self.sample()  # the end of the previous stage
        now = cpu_seconds()
        self.cpu[self.stage] = self.cpu.get(self.stage, 0.0) + now - self.cpu_mark
        self.cpu_mark = now
        self.stage = stage

    def run(self) -> None:
        while not self.stop_event.wait(self.interval):
            self.sample()

    def stop(self) -> None:
        self.stop_event.set()
        self.join()
        self.sample()


def cpu_seconds() -> float:
    """User + system CPU seconds of this process and its finished children."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def maxrss_mb(who: int) -> float:
    return resource.getrusage(who).ru_maxrss / 1024  # kilobytes on Linux


# --- workers (each runs in its own process) ----------------------------------------------------


def worker_pipeline(args) -> None:
    sampler = MemorySampler()
    sampler.start()
    from discrepancy.progress import StageRecorder

    recorder = StageRecorder(on_stage=sampler.set_stage)
    recorder.start["startup"] = T0
    recorder.order.append("startup")
    recorder.current = "startup"
    from discrepancy.pipeline import check_corpus
    from discrepancy.reporting import write_reports

    jobs = args.jobs or None
    result = check_corpus(args.corpus, cache_dir=args.cache, jobs=jobs, device=args.device, progress=recorder,
                          backend=args.backend)
    recorder("report", 0, 1)
    out = Path(args.out)
    write_reports(result, out.with_suffix(".md"), out.with_suffix(".report.json"))
    recorder.close()
    total = time.perf_counter() - T0
    sampler.set_stage("end")
    sampler.stop()
    texts = sorted({s.text for s in result.sentences})
    out.with_suffix(".texts.json").write_text(json.dumps(texts), encoding="utf-8")
    loaded = [m for m in ("spacy", "torch", "sentence_transformers") if m in sys.modules]
    data = {
        "total_s": total,
        "stages_s": recorder.seconds(),
        "stage_peak_mb": {k: v / 2**20 for k, v in sampler.peak.items() if k != "end"},
        "stage_cpu_s": sampler.cpu,
        "cpu_s": cpu_seconds(),
        "load_average": list(os.getloadavg()),
        "peak_mb": max(sampler.overall / 2**20, maxrss_mb(resource.RUSAGE_SELF)),
        "maxrss_self_mb": maxrss_mb(resource.RUSAGE_SELF),
        "maxrss_children_mb": maxrss_mb(resource.RUSAGE_CHILDREN),
        "articles": len(result.documents),
        "sentences": len(result.sentences),
        "distinct_sentences": len(texts),
        "claims": len(result.claims),
        "pairs": len(result.pairs),
        "findings": len(result.findings),
        "conflicts": sum(1 for f in result.findings if f.kind == "conflict"),
        "modules_loaded": loaded,
        "encoder": result.model_label,
    }
    out.write_text(json.dumps(data), encoding="utf-8")


def worker_embed(args) -> None:
    from discrepancy.embedding import load_model, set_threads
    from discrepancy.settings import DEFAULT_MODEL

    texts = json.loads(Path(args.texts).read_text(encoding="utf-8"))
    set_threads(args.jobs or None)
    model = load_model(DEFAULT_MODEL, args.device, backend="torch")  # the floor is always fp32 PyTorch
    start = time.perf_counter()
    model.encode(texts, batch_size=BATCH_SIZE, normalize_embeddings=True, show_progress_bar=False,
                 convert_to_numpy=True)
    seconds = time.perf_counter() - start
    import torch

    Path(args.out).write_text(json.dumps({
        "embed_s": seconds, "texts": len(texts), "device": str(model.device), "load_average": list(os.getloadavg()),
        "torch_threads": torch.get_num_threads(), "torch": torch.__version__,
    }), encoding="utf-8")


# --- driver ------------------------------------------------------------------------------------


def run_worker(kind: str, out: Path, extra: list[str]) -> dict:
    cmd = [sys.executable, str(Path(__file__).resolve()), "--worker", kind, "--out", str(out), *extra]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        sys.stderr.write(proc.stdout + proc.stderr)
        raise SystemExit(f"bench worker {kind} failed with exit code {proc.returncode}")
    return json.loads(out.read_text(encoding="utf-8"))


def repeats_for(n: int, args) -> int:
    """--repeat, or by default 3 interleaved repetitions up to 200 articles (cheap, and the noisiest
    relative to their length on a shared machine) and 1 above."""
    return max(1, args.repeat) if args.repeat else (3 if n <= 200 else 1)


def median(values: list[float]) -> float:
    ordered = sorted(values)
    mid = len(ordered) // 2
    return ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2


def bench_size(n: int, args, work: Path) -> dict:
    """Cold, embedding-only and warm runs, `repeats_for(n)` times interleaved; medians are reported."""
    from bench.corpus import build_corpus

    corpus = work / f"corpus_{n}"
    build_corpus(corpus, n, seed=args.seed, short=args.short)
    reps = []
    for rep in range(repeats_for(n, args)):
        tag = f"{n}_{rep}"
        common = ["--corpus", str(corpus), "--cache", str(work / f"cache_{tag}"), "--device", args.device,
                  "--jobs", str(args.jobs), "--backend", args.backend]
        print(f"[{n} articles, run {rep + 1}] cold run ...", file=sys.stderr, flush=True)
        cold = run_worker("pipeline", work / f"cold_{tag}.json", common)
        print(f"[{n} articles, run {rep + 1}] embedding-only run ...", file=sys.stderr, flush=True)
        floor = run_worker("embed", work / f"embed_{tag}.json",
                           ["--texts", str(work / f"cold_{tag}.texts.json"), "--device", args.device,
                            "--jobs", str(args.jobs)])
        print(f"[{n} articles, run {rep + 1}] warm run ...", file=sys.stderr, flush=True)
        warm = run_worker("pipeline", work / f"warm_{tag}.json", common)
        reps.append({"cold": cold, "embed": floor, "warm": warm})
    cold_s = median([r["cold"]["total_s"] for r in reps])
    warm_s = median([r["warm"]["total_s"] for r in reps])
    embed_s = median([r["embed"]["embed_s"] for r in reps])
    # Stage tables: the repetition whose cold run is the median one.
    shown = sorted(reps, key=lambda r: r["cold"]["total_s"])[len(reps) // 2]
    cold, warm, floor = shown["cold"], shown["warm"], shown["embed"]
    return {
        "articles": n,
        "short": args.short,
        "encoder": cold.get("encoder", ""),
        "repeats": len(reps),
        "sentences": cold["sentences"],
        "distinct_sentences": cold["distinct_sentences"],
        "claims": cold["claims"],
        "pairs": cold["pairs"],
        "findings": cold["findings"],
        "conflicts": cold["conflicts"],
        "cold": cold,
        "warm": warm,
        "embed": floor,
        "all_runs": [{"cold_s": r["cold"]["total_s"], "embed_s": r["embed"]["embed_s"],
                      "warm_s": r["warm"]["total_s"], "peak_mb": r["cold"]["peak_mb"]} for r in reps],
        "device": floor["device"],
        "cold_s": cold_s,
        "warm_s": warm_s,
        "embed_s": embed_s,
        "cold_over_embed": cold_s / embed_s,
        "warm_over_cold": warm_s / cold_s,
        "peak_mb": max(r["cold"]["peak_mb"] for r in reps),
        "warm_peak_mb": max(r["warm"]["peak_mb"] for r in reps),
        "warm_models_loaded": sorted({m for r in reps for m in r["warm"]["modules_loaded"]}),
    }


def fmt_stage_table(run: dict) -> str:
    lines = [f"{run['articles']} {'short ' if run.get('short') else ''}articles, {run['sentences']} sentences "
             f"({run['distinct_sentences']} distinct), "
             f"{run['claims']} claims, {run['pairs']} aligned pairs, {run['conflicts']} conflicts; "
             f"device {run['device']}; pipeline encoder {run.get('encoder') or '?'}",
             f"  {'stage':<9} {'cold s':>8} {'cold cpu':>8} {'cold MB':>8} {'warm s':>8} {'warm MB':>8}"]
    for stage in STAGES:
        cs = run["cold"]["stages_s"].get(stage, 0.0)
        cc = run["cold"]["stage_cpu_s"].get(stage, 0.0)
        ws = run["warm"]["stages_s"].get(stage, 0.0)
        cm = run["cold"]["stage_peak_mb"].get(stage, 0.0)
        wm = run["warm"]["stage_peak_mb"].get(stage, 0.0)
        lines.append(f"  {stage:<9} {cs:>8.2f} {cc:>8.2f} {cm:>8.0f} {ws:>8.2f} {wm:>8.0f}")
    lines.append(f"  {'total':<9} {run['cold_s']:>8.2f} {run['cold']['cpu_s']:>8.2f} {run['peak_mb']:>8.0f} "
                 f"{run['warm_s']:>8.2f} {run['warm_peak_mb']:>8.0f}")
    if run.get("repeats", 1) > 1:
        lines.append("  runs (cold / embedding only / warm s): " + ", ".join(
            f"{r['cold_s']:.1f} / {r['embed_s']:.1f} / {r['warm_s']:.1f}" for r in run["all_runs"])
            + f"; medians {run['cold_s']:.1f} / {run['embed_s']:.1f} / {run['warm_s']:.1f}")
    lines.append(f"  floor, fp32 PyTorch embedding only (model loaded beforehand): {run['embed_s']:.2f} s; "
                 f"warm run loaded: {', '.join(run['warm_models_loaded']) or 'no model'}; load average "
                 f"{run['cold']['load_average'][0]:.1f} (cold), {run['embed']['load_average'][0]:.1f} (embed)")
    return "\n".join(lines)


def fmt_summary(runs: list[dict]) -> str:
    head = (f"{'articles':>8} {'sentences':>9} {'floor s':>8} {'cold s':>8} {'warm s':>7} "
            f"{'cold/floor':>10} {'warm/floor':>10} {'warm/cold':>9} {'peak MB':>8}")
    rows = ["floor: the distinct sentences encoded once by fp32 PyTorch, model loaded beforehand", head]
    for r in runs:
        rows.append(f"{r['articles']:>8} {r['sentences']:>9} {r['embed_s']:>8.2f} {r['cold_s']:>8.2f} "
                    f"{r['warm_s']:>7.2f} {r['cold_over_embed']:>10.2f} {r['warm_s'] / r['embed_s']:>10.2f} "
                    f"{r['warm_over_cold']:>9.2f} "
                    f"{r['peak_mb']:>8.0f}")
    return "\n".join(rows)


def machine(runs: list[dict], args) -> dict:
    return {
        "cpus": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count(),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "processor": platform.processor() or platform.machine(),
        "device": runs[-1]["device"] if runs else args.device,
        "torch": runs[-1]["embed"]["torch"] if runs else "",
        "torch_threads": runs[-1]["embed"]["torch_threads"] if runs else 0,
        "load_average_at_end": list(os.getloadavg()) if hasattr(os, "getloadavg") else [],
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, nargs="+", default=[100], help="corpus size(s)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--jobs", type=int, default=0, help="discrepancy --jobs (0: its default, every core)")
    parser.add_argument("--device", default="auto", choices=["auto", "cpu", "cuda"])
    parser.add_argument("--backend", default="auto", choices=["auto", "torch", "openvino"],
                        help="the pipeline's encoder (the floor is always fp32 PyTorch)")
    parser.add_argument("--short", action="store_true", help="articles of 2-4 sentences (per-file overhead)")
    parser.add_argument("--json", type=Path, help="write every number here")
    parser.add_argument("--keep", type=Path, help="keep corpora, caches and reports in this folder")
    parser.add_argument("--repeat", type=int, default=0,
                        help="interleaved repetitions per size, medians reported (0: 3 up to 200 articles, else 1)")
    # internal: one measured run in a fresh process
    parser.add_argument("--worker", choices=["pipeline", "embed"], help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    parser.add_argument("--corpus", help=argparse.SUPPRESS)
    parser.add_argument("--cache", help=argparse.SUPPRESS)
    parser.add_argument("--texts", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker == "pipeline":
        return worker_pipeline(args)
    if args.worker == "embed":
        return worker_embed(args)

    runs = []
    with tempfile.TemporaryDirectory(prefix="discrepancy-bench-") as tmp:
        work = args.keep or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        for n in args.articles:
            run = bench_size(n, args, work)
            runs.append(run)
            print(fmt_stage_table(run), flush=True)
            print(flush=True)
    command = "python bench/run.py " + " ".join(sys.argv[1:])
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({"command": command, "machine": machine(runs, args), "runs": runs},
                                        indent=1) + "\n", encoding="utf-8")
    print(fmt_summary(runs))
    last = runs[-1]
    print(f"ratio cold/embed={last['cold_over_embed']:.2f} warm/cold={last['warm_over_cold']:.2f} "
          f"peak_mb={last['peak_mb']:.2f}")


if __name__ == "__main__":
    main()
