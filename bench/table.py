#!/usr/bin/env python
"""Render bench/run.py's --json output as the Markdown tables of the README's Performance section.

    python bench/table.py bench/results.json
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

STAGES = (("startup", "startup"), ("load", "load + clean"), ("segment", "segment + facts"), ("embed", "embed"),
          ("align", "align"), ("compare", "compare"), ("report", "report"))


def render(data: dict) -> str:
    m = data["machine"]
    runs = data["runs"]
    out = [f"Measured with `{data['command']}` on {m['cpus']} CPU cores ({m['processor']}, {m['platform']}), "
           f"Python {m['python']}, torch {m['torch']} ({m['torch_threads']} threads), device `{m['device']}`; "
           f"load average at the end {m['load_average_at_end'][0]:.1f} (a shared machine). Times are medians "
           f"over the runs column's repetitions.", ""]
    out.append("| articles | sentences | runs | embedding only s | cold run s | warm run s | cold / embedding | "
               "warm / cold | peak RSS cold MB | peak RSS warm MB |")
    out.append("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in runs:
        out.append(f"| {r['articles']:,} | {r['sentences']:,} | {r.get('repeats', 1)} | {r['embed_s']:,.1f} | "
                   f"{r['cold_s']:,.1f} | "
                   f"{r['warm_s']:.1f} | {r['cold_over_embed']:.2f} | {r['warm_over_cold']:.2f} | "
                   f"{r['peak_mb']:,.0f} | {r['warm_peak_mb']:,.0f} |")
    out += ["", "Cold run by stage, seconds (peak RSS MB during the stage):", ""]
    out.append("| articles | " + " | ".join(label for _, label in STAGES) + " |")
    out.append("|---:|" + "---:|" * len(STAGES))
    for r in runs:
        cells = [f"{r['cold']['stages_s'].get(key, 0.0):.1f} ({r['cold']['stage_peak_mb'].get(key, 0.0):,.0f})"
                 for key, _ in STAGES]
        out.append(f"| {r['articles']:,} | " + " | ".join(cells) + " |")
    out += ["", "Warm run by stage, seconds:", ""]
    out.append("| articles | " + " | ".join(label for _, label in STAGES) + " |")
    out.append("|---:|" + "---:|" * len(STAGES))
    for r in runs:
        cells = [f"{r['warm']['stages_s'].get(key, 0.0):.2f}" for key, _ in STAGES]
        out.append(f"| {r['articles']:,} | " + " | ".join(cells) + " |")
    return "\n".join(out)


def main() -> None:
    path = Path(sys.argv[1] if len(sys.argv) > 1 else "bench/results.json")
    print(render(json.loads(path.read_text(encoding="utf-8"))))


if __name__ == "__main__":
    main()
