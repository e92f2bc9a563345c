"""Two-wave counties: the planner with its waves first answer against itself without it, same run.

    python -m benchmarks.waves                       # 5 counties, 25 s limit, ~5 minutes on 2 cores
    python -m benchmarks.waves --quick               # the two 12-township counties, 10 s

Counties (`planner.synth`, deterministic, `"waves": 2`): plain synthetic counties of 12 and 30 townships, and
counties where both principals of some township are leaving (as `scenarios/make_samples.py` makes the phased
sample: impossible in one wave). Each (county, solver) runs in its own process (`benchmarks.worker`):
`planner` (defaults: the end state first, its moves staged into waves, audited, then CP-SAT from it),
`planner-nostage` (`SolveOptions(wave_first=False)`: the planner before this lever), `greedy`. Every plan is
audited by the independent checker. Results: benchmarks/results/waves.{md,csv,json}.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.run import run_one

#: name -> (townships, seed, townships whose two principals both leave)
COUNTIES = {
    "w2-t12": (12, 1, ()),
    "w2-t30": (30, 1, ()),
    "w2b-t6": (6, 4, ("T01",)),
    "w2b-t12": (12, 2, ("T01",)),
    "w2b-t30": (30, 3, ("T01", "T07")),
}
QUICK = ("w2-t12", "w2b-t12")
SOLVERS = ("planner", "planner-nostage", "greedy")
COLUMNS = [
    "county",
    "townships",
    "posts",
    "cadres",
    "solver",
    "status",
    "first_plan_s",
    "first_objective",
    "optimal_s",
    "total_s",
    "objective",
    "bound",
    "check_ok",
    "check_objective",
    "fallback",
    "first_vs_nostage",
    "total_vs_nostage",
    "peak_mb",
]


def scenario(name: str) -> dict[str, Any]:
    from planner.io.synth import SynthOptions, generate

    townships, seed, hit = COUNTIES[name]
    doc, _ = generate(SynthOptions(townships=townships, seed=seed))
    posts = {f"{t}-{r}" for t in hit for r in ("SEC", "HEAD")}
    for c in doc["cadres"]:
        if c["current_post"] in posts:
            c["leaving"] = True
    doc["waves"] = 2
    return doc


def add_ratios(rows: list[dict[str, Any]]) -> None:
    """Per county: the planner's first-plan and total time over the planner-nostage row's (None when either
    found no plan: the table says it in words)."""
    by: dict[str, dict[str, dict[str, Any]]] = {}
    for r in rows:
        by.setdefault(r["county"], {})[r["solver"]] = r
    for group in by.values():
        before = group.get("planner-nostage")
        for r in group.values():
            if before is None or r["solver"] != "planner":
                continue
            for key, col in (("first_plan_s", "first_vs_nostage"), ("total_s", "total_vs_nostage")):
                if r.get(key) and before.get(key):
                    r[col] = round(r[key] / before[key], 3)


def _fmt(v: Any) -> str:
    if v is None:
        return "—"
    if isinstance(v, float):
        return f"{v:.3g}" if abs(v) < 100 else f"{v:.0f}"
    return str(v)


def markdown(rows: list[dict[str, Any]], title: str) -> str:
    cols = [
        "county",
        "townships",
        "solver",
        "status",
        "first_plan_s",
        "first_objective",
        "optimal_s",
        "total_s",
        "objective",
        "bound",
        "check_ok",
        "first_vs_nostage",
        "total_vs_nostage",
    ]
    out = [f"### {title}", "", "| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    for r in rows:
        cells = []
        for c in cols:
            v = r.get(c)
            if c == "check_ok":
                v = None if v is None else ("ok" if v else "FAIL")
            cells.append(_fmt(v))
        out.append("| " + " | ".join(cells) + " |")
    return "\n".join(out) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--counties", default=",".join(COUNTIES), help="names from COUNTIES, comma-separated")
    ap.add_argument("--time-limit", type=float, default=25.0)
    ap.add_argument("--solvers", default=",".join(SOLVERS))
    ap.add_argument("--quick", action="store_true", help="the two 12-township counties, 10 s")
    ap.add_argument("--out", default="benchmarks/results/waves", help="path stem: STEM.csv, STEM.json, STEM.md")
    a = ap.parse_args(argv)
    names = list(QUICK) if a.quick else a.counties.split(",")
    limit = 10.0 if a.quick else a.time_limit
    solvers = a.solvers.split(",")
    rows: list[dict[str, Any]] = []
    started = time.strftime("%Y-%m-%d %H:%M:%S")
    with tempfile.TemporaryDirectory() as tmp:
        for name in names:
            path = Path(tmp) / f"{name}.json"
            path.write_text(json.dumps(scenario(name), ensure_ascii=False), encoding="utf-8")
            for solver in solvers:
                res = run_one(0, 0.0, 0, solver, limit, scenario=str(path))
                res.update(county=name, townships=COUNTIES[name][0], solver=solver)
                rows.append(res)
                print(
                    f"{name:8} {solver:16} {res.get('status')!s:10} first {_fmt(res.get('first_plan_s'))} s "
                    f"total {_fmt(res.get('total_s'))} s objective {_fmt(res.get('objective'))} "
                    f"checker {_fmt(res.get('check_ok'))}",
                    flush=True,
                )
    add_ratios(rows)
    stem = Path(a.out)
    stem.parent.mkdir(parents=True, exist_ok=True)
    with open(stem.with_suffix(".csv"), "w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=COLUMNS, extrasaction="ignore")
        w.writeheader()
        w.writerows(rows)
    stem.with_suffix(".json").write_text(json.dumps(rows, indent=1, default=str) + "\n", encoding="utf-8")
    cmd = "python -m benchmarks.waves" + (" --quick" if a.quick else f" --time-limit {limit:g}")
    stem.with_suffix(".md").write_text(markdown(rows, f"`{cmd}` ({started})"), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
