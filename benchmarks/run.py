"""Run the planner and its peers on synthetic counties; print a table, write CSV and JSON.

    python -m benchmarks.run --sizes S,M,L --seeds 3 --time-limit 60 --out benchmarks/results/latest

Sizes: S = 10 townships, M = 30 townships (pool 2×), L = a prefecture of 150 townships (~1,500 posts,
~3,900 cadres; pool 1.4×). `--sizes` also takes `NAME=TOWNSHIPS[:POOL]` or a bare township count (e.g. `3`).
Each (instance, solver) runs in its own process (`benchmarks.worker`): peak memory is that process's maxrss,
and HiGHS/SCIP go through OR-Tools' pywraplp only. Every plan is audited by the independent checker.
"""

from __future__ import annotations

import argparse
import csv
import importlib.util
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

SIZES = {"S": (10, 2.0), "M": (30, 2.0), "L": (150, 1.4)}

# the highspy peer runs where the `bench` extra is installed (find_spec looks without importing: highspy is never
# loaded beside ortools, not even here)
DEFAULT_SOLVERS = "planner,cpsat,highs,scip," + ("highspy," if importlib.util.find_spec("highspy") else "") + "greedy"
COLUMNS = [
    "size",
    "townships",
    "posts",
    "cadres",
    "seed",
    "solver",
    "status",
    "build_s",
    "first_plan_s",
    "optimal_s",
    "total_s",
    "objective",
    "bound",
    "gap",
    "peak_mb",
    "variables",
    "lp_fixed",
    "check_ok",
    "check_hard",
    "check_objective",
    "vs_highs_time",
    "vs_highspy_time",
    "vs_direct_time",
    "vs_baseline_time",
    "vs_planner_objective",
    "lp_s",
    "lp_proven",
    "num_workers",
]


def parse_sizes(text: str) -> list[tuple[str, int, float]]:
    out = []
    for item in filter(None, (x.strip() for x in text.split(","))):
        if item in SIZES:
            out.append((item, *SIZES[item]))
        elif "=" in item:
            name, spec = item.split("=", 1)
            n, _, pool = spec.partition(":")
            out.append((name, int(n), float(pool or 2.0)))
        else:
            out.append((f"T{int(item)}", int(item), 2.0))
    return out


def run_one(
    townships: int,
    pool: float,
    seed: int,
    solver: str,
    time_limit: float,
    *,
    scenario: str | None = None,
    root: Path | None = None,
) -> dict[str, Any]:
    """One worker process. `scenario`: a scenario file instead of a synthetic county; `root`: another checkout
    whose `benchmarks.worker` (and planner) runs instead of this one (the `baseline` row)."""
    where = (
        ["--scenario", str(Path(scenario).resolve())]
        if scenario
        else ["--townships", str(townships), "--pool-ratio", str(pool), "--seed", str(seed)]
    )
    args = [*where, "--solver", solver, "--time-limit", str(time_limit)]
    here = Path(__file__).resolve().parent.parent
    if root is None:
        cmd = [sys.executable, "-m", "benchmarks.worker", *args]
    else:  # this worker, with the other checkout's planner first on the path
        cmd = [
            sys.executable,
            "-c",
            "import runpy, sys; sys.path.insert(0, sys.argv[1]); sys.argv = sys.argv[2:]; "
            "runpy.run_path(sys.argv[0], run_name='__main__')",
            str(root),
            str(here / "benchmarks" / "worker.py"),
            *args,
        ]
    root = here
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(root), os.environ.get("PYTHONPATH")]))}
    t0 = time.perf_counter()
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, cwd=root, env=env, timeout=3 * time_limit + 900)
    except subprocess.TimeoutExpired:
        return {"status": "timeout", "total_s": time.perf_counter() - t0}
    for line in reversed(proc.stdout.splitlines()):
        if line.startswith("RESULT "):
            return json.loads(line[len("RESULT ") :])
    return {"status": "error", "error": (proc.stderr or proc.stdout)[-2000:]}


def instance_size(townships: int, pool: float, seed: int) -> dict[str, int]:
    """Posts and cadres of a synthetic county (for rows whose worker returned nothing, e.g. a timeout)."""
    from planner.io.synth import SynthOptions, generate

    scenario, _ = generate(SynthOptions(townships=townships, seed=seed, pool_ratio=pool))
    return {"posts": len(scenario["posts"]), "cadres": len(scenario["cadres"])}


def add_ratios(rows: list[dict[str, Any]]) -> None:
    """Per instance: total time over HiGHS's (planner, cpsat, scip), objective over the planner's (peers)."""
    by = {}
    for r in rows:
        by.setdefault((r["size"], r["seed"]), {})[r["solver"]] = r
    for group in by.values():
        planner = group.get("planner")
        for r in group.values():
            for peer, key in (
                ("highs", "vs_highs_time"),
                ("highspy", "vs_highspy_time"),
                ("direct", "vs_direct_time"),
                ("baseline", "vs_baseline_time"),
            ):
                other = group.get(peer)
                if other and r["solver"] != peer and r.get("total_s") and other.get("total_s"):
                    r[key] = round(r["total_s"] / other["total_s"], 3)
            if planner and r["solver"] != "planner" and r.get("objective") is not None and planner.get("objective"):
                r["vs_planner_objective"] = round(r["objective"] / planner["objective"], 3)


def _fmt(v: Any) -> str:
    if v is None or v == "":
        return "—"
    if isinstance(v, bool):
        return "ok" if v else "INVALID"
    if isinstance(v, float):
        return f"{v:.3g}" if abs(v) < 1 else f"{v:.2f}" if abs(v) < 100 else f"{v:.0f}"
    return str(v)


def print_table(rows: list[dict[str, Any]], title: str) -> None:
    from rich.console import Console
    from rich.table import Table

    t = Table(title=title)
    cols = [
        "size",
        "seed",
        "solver",
        "status",
        "build_s",
        "first_plan_s",
        "optimal_s",
        "total_s",
        "objective",
        "bound",
        "gap",
        "peak_mb",
        "check_ok",
        "vs_highs_time",
        "vs_highspy_time",
        "vs_direct_time",
        "vs_baseline_time",
        "vs_planner_objective",
    ]
    heads = {
        "build_s": "build s",
        "first_plan_s": "1st plan s",
        "optimal_s": "optimal s",
        "total_s": "total s",
        "peak_mb": "peak MB",
        "check_ok": "checker",
        "vs_highs_time": "time/HiGHS",
        "vs_highspy_time": "time/highspy",
        "vs_direct_time": "time/direct",
        "vs_baseline_time": "time/baseline",
        "vs_planner_objective": "obj/planner",
    }
    for c in cols:
        t.add_column(heads.get(c, c), justify="left" if c in ("size", "solver", "status") else "right")
    for r in rows:
        t.add_row(*(_fmt(r.get(c)) for c in cols))
    Console(width=200).print(t)


def markdown(rows: list[dict[str, Any]]) -> str:
    """The table as Markdown (for benchmarks/README.md)."""
    cols = [
        "size",
        "seed",
        "solver",
        "status",
        "build_s",
        "first_plan_s",
        "optimal_s",
        "total_s",
        "objective",
        "bound",
        "gap",
        "peak_mb",
        "check_ok",
        "vs_highs_time",
        "vs_highspy_time",
        "vs_direct_time",
        "vs_baseline_time",
        "vs_planner_objective",
    ]
    lines = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    lines += ["| " + " | ".join(_fmt(r.get(c)) for c in cols) + " |" for r in rows]
    return "\n".join(lines) + "\n"


def summary(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Per size and solver: runs, optimal runs, median total time, checker-invalid plans."""
    import statistics

    out = []
    keys = sorted({(r["size"], r["townships"], r["solver"]) for r in rows}, key=lambda k: (k[1], k[2]))
    for size, n, solver in keys:
        rs = [r for r in rows if r["size"] == size and r["solver"] == solver]
        times = [r["total_s"] for r in rs if r.get("total_s") is not None]
        out.append(
            {
                "size": size,
                "townships": n,
                "solver": solver,
                "runs": len(rs),
                "optimal": sum(r.get("status") == "optimal" for r in rs),
                "median_total_s": round(statistics.median(times), 3) if times else None,
                "median_gap": (
                    round(statistics.median(g), 5)
                    if (g := [r["gap"] for r in rs if r.get("gap") is not None])
                    else None
                ),
                "invalid_plans": sum(r.get("check_ok") is False for r in rs),
                "no_plan": sum(r.get("check_ok") is None for r in rs),
            }
        )
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="S,M")
    ap.add_argument("--seeds", type=int, default=3, help="seeds 1..N per size")
    ap.add_argument("--time-limit", type=float, default=60.0)
    ap.add_argument("--solvers", default=DEFAULT_SOLVERS)
    ap.add_argument("--out", default="benchmarks/results/latest", help="path stem: writes STEM.csv, STEM.json, STEM.md")
    ap.add_argument(
        "--scenario",
        nargs="+",
        default=[],
        metavar="FILE",
        help="time these scenario files (a county of one's own) instead of --sizes",
    )
    ap.add_argument(
        "--baseline",
        metavar="DIR",
        help="another checkout (e.g. main's worktree): its planner runs as solver `baseline`, for the "
        "same-run comparison of time and objective",
    )
    a = ap.parse_args(argv)
    solvers = [s.strip() for s in a.solvers.split(",") if s.strip()]
    if a.baseline and "baseline" not in solvers:
        solvers.append("baseline")
    rows: list[dict[str, Any]] = []
    started = time.strftime("%Y-%m-%d %H:%M:%S")
    if a.scenario:
        jobs = [(Path(f).stem, 0, 0.0, 0, f) for f in a.scenario]
    else:
        jobs = [(name, n, pool, seed, None) for name, n, pool in parse_sizes(a.sizes) for seed in range(1, a.seeds + 1)]
    for name, n, pool, seed, scenario in jobs:
        for solver in solvers:
            if solver == "baseline":
                res = run_one(
                    n, pool, seed, "planner", a.time_limit, scenario=scenario, root=Path(a.baseline).resolve()
                )
            else:
                res = run_one(n, pool, seed, solver, a.time_limit, scenario=scenario)
            if "posts" not in res and scenario is None:  # the worker was killed or failed: the size is still known
                res.update(instance_size(n, pool, seed))
            row = {
                "size": name,
                "townships": n or res.get("teams") or 0,
                "pool_ratio": pool,
                "seed": seed,
                "solver": solver,
                **res,
            }
            rows.append(row)
            print(
                f"{name} seed={seed} {solver:8s} {row.get('status')} total={_fmt(row.get('total_s'))}s "
                f"obj={_fmt(row.get('objective'))} bound={_fmt(row.get('bound'))} "
                f"checker={_fmt(row.get('check_ok'))}",
                flush=True,
            )
    add_ratios(rows)
    print_table(rows, f"planner vs peers — time limit {a.time_limit:g}s, {os.cpu_count()} cores")
    summ = summary(rows)
    stem = Path(a.out)
    stem.parent.mkdir(parents=True, exist_ok=True)
    with open(stem.with_suffix(".csv"), "w", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=COLUMNS, extrasaction="ignore")
        w.writeheader()
        for r in rows:
            w.writerow({k: r.get(k) for k in COLUMNS})
    meta = {
        "command": "python -m benchmarks.run " + " ".join(argv if argv is not None else sys.argv[1:]),
        "started": started,
        "cpu_count": os.cpu_count(),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "time_limit_s": a.time_limit,
        "solvers": solvers,
    }
    try:
        import ortools

        meta["ortools"] = ortools.__version__
    except Exception:  # pragma: no cover
        pass
    with open(stem.with_suffix(".json"), "w") as fh:
        json.dump({"meta": meta, "summary": summ, "runs": rows}, fh, indent=1, ensure_ascii=False)
    stem.with_suffix(".md").write_text(markdown(rows))
    bad = sum(r.get("check_ok") is False for r in rows if r["solver"] != "greedy")
    print(f"wrote {stem.with_suffix('.csv')}, .json and .md; solver plans failing the checker: {bad}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
