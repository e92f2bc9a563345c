"""Policy sweeps on this machine: cells per minute for S and M counties, Ray against the local pool on the same
cells, and a paper estimate for a province (100 counties × 20 variants).

    python -m benchmarks.sweep [--out benchmarks/results/sweep.md] [--s-seeds 3] [--m-seeds 2] [--m-time-limit 15]

Every cell goes through `planner.analysis.sweep.run_sweep` (solved, audited by the checker, tabled), two cells
at a time (local pool: 2 processes; Ray: 2 CPUs, 1 per task; 4 CP-SAT workers per cell). The counties are the
benchmark sizes of benchmarks/README.md (planner.io.synth, pool ratio 2.0): S = 10 townships (~100 posts),
M = 30 townships (~300 posts). Variants: the default policy and young principals at 20% and 30%.

Ray is timed twice on the S cells: *cold* (the sweep starts Ray in-process and stops it, as `planner sweep`
does) and *warm* (Ray already running, as on a cluster). The machine's 2 cores are shared with other work, so
the numbers to quote are the ratios measured in one run, not the absolute times. Takes 2–4 minutes.
"""

from __future__ import annotations

import argparse
import json
import logging
import math
import os
import statistics
import tempfile
import time
from pathlib import Path

from planner.analysis.sweep import Grid, SweepSummary, run_sweep, variant
from planner.io.synth import SynthOptions, generate

SIZES = {"S": 10, "M": 30}
POOL_RATIO = 2.0
PROVINCE = {"counties": 100, "variants": 20}
CORES = (2, 32, 128, 512)
CONCURRENCY = 2


def variants(time_limit: float):
    return [
        variant("default", time_limit=time_limit),
        variant("yp20", {"young-principals": {"min_share": 0.2}}, time_limit=time_limit),
        variant("yp30", {"young-principals": {"min_share": 0.3}}, time_limit=time_limit),
    ]


def counties(folder: Path, size: str, seeds: int) -> list[str]:
    paths = []
    for seed in range(1, seeds + 1):
        doc, _ = generate(SynthOptions(townships=SIZES[size], seed=seed, pool_ratio=POOL_RATIO))
        path = folder / f"{size}-{seed}.json"
        path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
        paths.append(str(path))
    return paths


def timed(grid: Grid, out: Path, engine: str) -> SweepSummary:
    s = run_sweep(grid, out, engine=engine, processes=2)
    assert s.failed == 0 and s.done == s.total, f"{engine}: {s.failed} failed of {s.total}"
    return s


def describe(label: str, s: SweepSummary) -> dict:
    walls = [float(r["wall_s"]) for r in s.rows]
    statuses = [r["status"] for r in s.rows]
    return {
        "run": label,
        "engine": s.engine,
        "cells": s.total,
        "wall_s": s.wall_s,
        "cells_per_min": round(60 * s.total / s.wall_s, 1),
        "cell_mean_s": round(statistics.mean(walls), 2),
        "cell_median_s": round(statistics.median(walls), 2),
        # time of the sweep not spent inside a cell, per cell (2 cells at a time): starting workers or Ray,
        # importing the solver in each worker, shipping scenarios and rows, polling
        "overhead_per_cell_s": round(CONCURRENCY * s.wall_s / s.total - statistics.mean(walls), 2),
        "optimal": statuses.count("optimal"),
        "checker_ok": sum(1 for r in s.rows if r.get("checker_ok") is True),
        "posts": s.rows[0].get("posts"),
    }


def table(rows: list[dict], cols: list[str]) -> str:
    lines = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    lines += ["| " + " | ".join(str(r[c]) for c in cols) + " |" for r in rows]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=Path("benchmarks/results/sweep.md"))
    ap.add_argument("--s-seeds", type=int, default=6)
    ap.add_argument("--m-seeds", type=int, default=2)
    ap.add_argument("--s-time-limit", type=float, default=20.0)
    ap.add_argument("--m-time-limit", type=float, default=15.0)
    ap.add_argument("--no-ray", action="store_true", help="skip the Ray runs")
    args = ap.parse_args(argv)

    runs: list[dict] = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        s_grid = Grid(counties(folder, "S", args.s_seeds), variants(args.s_time_limit), explain_time=3)
        m_grid = Grid(counties(folder, "M", args.m_seeds), variants(args.m_time_limit)[:2], explain_time=3)
        print(f"S: {len(s_grid.scenarios)} counties × {len(s_grid.variants)} variants; local pool …", flush=True)
        local_s = describe("S local pool", timed(s_grid, folder / "s-local.csv", "local"))
        runs.append(local_s)
        print(f"M: {len(m_grid.scenarios)} counties × {len(m_grid.variants)} variants; local pool …", flush=True)
        runs.append(describe("M local pool", timed(m_grid, folder / "m-local.csv", "local")))
        ray_rows: list[dict] = []
        if not args.no_ray:
            import ray

            print("S on Ray, cold (the sweep starts and stops in-process Ray) …", flush=True)
            ray_rows.append(describe("S Ray cold", timed(s_grid, folder / "s-ray-cold.csv", "ray")))
            ray.init(num_cpus=2, include_dashboard=False, logging_level=logging.ERROR, log_to_driver=False)
            try:
                print("S on Ray, warm (Ray already running) …", flush=True)
                ray_rows.append(describe("S Ray warm", timed(s_grid, folder / "s-ray-warm.csv", "ray")))
            finally:
                ray.shutdown()
            runs.extend(ray_rows)

    cols = [
        "run",
        "cells",
        "posts",
        "wall_s",
        "cells_per_min",
        "cell_mean_s",
        "cell_median_s",
        "overhead_per_cell_s",
        "optimal",
        "checker_ok",
    ]
    report = [
        "# Policy sweeps: throughput on this machine, Ray against the local pool, a province on paper",
        "",
        f"`python -m benchmarks.sweep` — {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, "
        f"{os.cpu_count()} cores (shared with other work: quote the ratios, not the absolute times).",
        "",
        "Two cells at a time (local pool of 2 processes / Ray with 2 CPUs), 4 CP-SAT workers per cell; S = "
        f"{SIZES['S']} townships, M = {SIZES['M']} townships (pool ratio {POOL_RATIO}); time limit per cell "
        f"{args.s_time_limit:g} s (S), {args.m_time_limit:g} s (M). `cell_mean_s` is the mean wall time of one "
        "cell inside its worker (solve, checker, explanation; the first cell of a worker also imports the solver); "
        "`overhead_per_cell_s` = 2 × wall / cells − cell_mean_s, the sweep's time outside the cells per cell.",
        "",
        table(runs, cols),
        "",
    ]
    ratios = []
    if ray_rows:
        cold, warm = ray_rows
        ratios = [
            ("Ray cold / local pool, sweep wall time", cold["wall_s"] / local_s["wall_s"]),
            ("Ray warm / local pool, sweep wall time", warm["wall_s"] / local_s["wall_s"]),
            ("Ray warm / local pool, median cell time", warm["cell_median_s"] / local_s["cell_median_s"]),
        ]
        report += ["Overhead of Ray against the local pool, same S cells, same run:", ""]
        report += [table([{"ratio": k, "value": f"{v:.2f}"} for k, v in ratios], ["ratio", "value"]), ""]
    # a province on paper: every cell independent, one CPU each, the cores kept busy
    cells = PROVINCE["counties"] * PROVINCE["variants"]
    overhead = max(0.0, ray_rows[1]["overhead_per_cell_s"]) if ray_rows else 0.0
    paper = []
    for row in runs[:2]:
        per_cell = row["cell_median_s"] + overhead
        limit = args.s_time_limit if row["run"].startswith("S") else args.m_time_limit
        for cores in CORES:
            waves = math.ceil(cells / cores)
            paper.append(
                {
                    "county": row["run"][0],
                    "cells": cells,
                    "cores": cores,
                    "core_h": round(cells * per_cell / 3600, 2),
                    "expected_wall": _hms(waves * per_cell),
                    "worst_case_wall": _hms(waves * (limit + 3.0)),
                }
            )
    report += [
        f"A province on paper: {PROVINCE['counties']} counties × {PROVINCE['variants']} variants = {cells} cells, "
        "one CPU per cell. `expected_wall` = ⌈cells / cores⌉ × (the measured median cell time + warm Ray's "
        f"overhead per cell, {overhead:.2f} s); `worst_case_wall` has every cell run to its time limit plus a 3 s "
        "explanation. It assumes cores of this machine's speed, independent cells (no shared state: the "
        "scenario is put in the object store once) and no stragglers beyond the time limit. An M cell that "
        "reaches its time limit without proving the optimum (as here) costs the limit: M's estimate is set by the "
        "limit chosen.",
        "",
        table(paper, ["county", "cells", "cores", "core_h", "expected_wall", "worst_case_wall"]),
        "",
    ]
    text = "\n".join(report)
    print(text)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    print(f"→ {args.out}")
    return 0


def _hms(seconds: float) -> str:
    seconds = int(round(seconds))
    h, rest = divmod(seconds, 3600)
    m, s = divmod(rest, 60)
    return f"{h}h{m:02d}m" if h else f"{m}m{s:02d}s"


if __name__ == "__main__":
    raise SystemExit(main())
