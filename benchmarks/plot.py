"""Scaling plot: total time (build + solve, to proof or to the time limit) against county size, per solver.

    python -m benchmarks.plot benchmarks/results/latest.csv [more.csv …] --out benchmarks/results/scaling.png

Needs the `bench` extra (matplotlib). Points are the median over seeds; hollow markers mark runs that did not
prove optimality (time limit or gap limit); the greedy heuristic is drawn for reference.
"""

from __future__ import annotations

import argparse
import csv
import statistics
import sys
from collections import defaultdict


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("csv", nargs="+")
    ap.add_argument("--out", default="benchmarks/results/scaling.png")
    a = ap.parse_args(argv)
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    runs: dict[tuple[str, int], list[tuple[float, bool]]] = defaultdict(list)
    for path in a.csv:
        with open(path) as fh:
            for r in csv.DictReader(fh):
                if not r["total_s"] or not r["posts"]:
                    continue
                runs[(r["solver"], int(r["posts"]))].append((float(r["total_s"]), r["status"] == "optimal"))
    fig, ax = plt.subplots(figsize=(7, 4.5))
    styles = {
        "planner": ("o", "C0"),
        "cpsat": ("s", "C1"),
        "highs": ("^", "C2"),
        "scip": ("v", "C3"),
        "greedy": ("x", "C7"),
    }
    for solver in sorted({s for s, _ in runs}, key=lambda s: list(styles).index(s) if s in styles else 99):
        pts = sorted(
            (n, statistics.median(t for t, _ in v), all(ok for _, ok in v)) for (s, n), v in runs.items() if s == solver
        )
        marker, color = styles.get(solver, ("o", None))
        ax.plot([p[0] for p in pts], [p[1] for p in pts], "-", color=color, alpha=0.6)
        for n, t, ok in pts:
            filled = ok or solver == "greedy"
            ax.plot(n, t, marker, color=color, markerfacecolor=color if filled else "none", markersize=8)
        ax.plot([], [], marker + "-", color=color, label=solver)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("posts in the county (log)")
    ax.set_ylabel("total seconds: build + solve (log)")
    ax.set_title("Time to proven optimum (hollow: stopped without proof)")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend()
    fig.tight_layout()
    fig.savefig(a.out, dpi=120)
    print(f"wrote {a.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
