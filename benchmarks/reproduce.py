"""Every table and the plot of benchmarks/README.md from one command:

    python -m benchmarks.reproduce            # ~40 min on 2 cores
    python -m benchmarks.reproduce --quick    # S and M, one seed, 10 s limit: a smoke run of the same path

Runs (each solver in its own process, as `benchmarks.run` does):
  1. S and M, seeds 1–3, every solver (planner, cpsat, highs, scip, greedy), time limit 30 s → results/sm.*
  2. L (150 townships), seed 1, planner / highs / greedy, time limit 300 s → results/l.*
  3. the scaling plot of both → results/scaling.png (needs the `bench` extra: matplotlib)
"""

from __future__ import annotations

import argparse
import sys

from . import plot, run


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="S and M, one seed, 10 s limit, no L")
    ap.add_argument("--out", default="benchmarks/results", help="directory for the results")
    a = ap.parse_args(argv)
    d = a.out.rstrip("/")
    if a.quick:
        run.main(["--sizes", "S,M", "--seeds", "1", "--time-limit", "10", "--out", f"{d}/quick"])
        return plot.main([f"{d}/quick.csv", "--out", f"{d}/quick.png"])
    run.main(["--sizes", "S,M", "--seeds", "3", "--time-limit", "30", "--out", f"{d}/sm"])
    run.main(
        ["--sizes", "L", "--seeds", "1", "--time-limit", "300", "--solvers", "planner,highs,greedy", "--out", f"{d}/l"]
    )
    return plot.main([f"{d}/sm.csv", f"{d}/l.csv", "--out", f"{d}/scaling.png"])


if __name__ == "__main__":
    sys.exit(main())
