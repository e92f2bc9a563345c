"""What-if timing on a synthetic county: the typical questions of a meeting, one after another.

    python -m benchmarks.whatif --townships 30 --seed 1 [--solve-base 60] [--policy] [--peer]

The base plan is the generator's witness plan (valid, not optimal) unless `--solve-base SECONDS` solves the
county first. Five typical deltas: a principal leaves, a deputy is removed from the roster, a principal is
forbidden from keeping the post, a deputy leaves, a pool cadre is pinned to a deputy post. `--policy` adds a
county-quota change (young principals 15% → 20%), which no neighbourhood answers (the whole county is
re-solved). `--peer` also runs each delta as a plain re-optimisation (no least-disruption), for comparison.
Prints one row per delta and the median wall time of the typical five.
"""

from __future__ import annotations

import argparse
import statistics
import time

from planner.audit.check import check_plan
from planner.domain import load_plan, load_scenario
from planner.solver.options import SolveOptions
from planner.solver.solve import solve
from planner.io.synth import SynthOptions, generate
from planner.analysis.delta import apply_delta
from planner.analysis.whatif import whatif


PRINCIPALS = ("party_secretary", "township_head")


def deltas(inst, base: dict[str, str | None]) -> list[tuple[str, dict]]:
    posts = list(inst.posts)

    def calm(p: str) -> bool:  # the base plan changes no principal of p's township: one may still leave
        t = inst.posts[p].township
        return all(
            base[q] == inst.holder.get(q)
            for q in posts
            if inst.posts[q].township == t and inst.posts[q].role in PRINCIPALS
        )

    principals = [p for p in posts if inst.posts[p].role in PRINCIPALS and base[p] and calm(p)]
    deputies = [p for p in posts if inst.posts[p].role == "deputy_head" and base[p]]
    placed = {c for c in base.values() if c}
    pool = [c for c, cad in inst.cadres.items() if c not in placed and not cad.leaving and cad.rank == "deputy_section"]
    d = lambda **kw: {"format": "reshuffle-delta/1", **kw}  # noqa: E731
    return [
        ("principal leaves", d(leaving=[base[principals[3]]])),
        ("deputy removed", d(remove_cadres=[base[deputies[5]]])),
        ("principal forbidden", d(forbids=[{"cadre": base[principals[10]], "post": principals[10]}])),
        ("deputy leaves", d(leaving=[base[deputies[7]]])),
        ("pool cadre pinned", d(pins=[{"cadre": pool[0], "post": deputies[20]}])),
    ]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--townships", type=int, default=30)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--time-limit", type=float, default=10.0)
    ap.add_argument("--workers", type=int, default=8)
    ap.add_argument("--solve-base", type=float, default=0.0, help="solve the base for this many seconds")
    ap.add_argument("--policy", action="store_true", help="also a county-quota policy change")
    ap.add_argument("--peer", action="store_true", help="also a plain re-optimisation per delta")
    args = ap.parse_args()

    sc, witness = generate(SynthOptions(townships=args.townships, seed=args.seed))
    inst = load_scenario(sc)
    if args.solve_base:
        base_plan = solve(inst, SolveOptions(time_limit=args.solve_base, workers=args.workers)).plan
    else:
        base_plan = load_plan(witness, inst)
    base = {a.post: a.cadre for a in base_plan.assignments}
    print(
        f"{args.townships} townships, {len(inst.posts)} posts, {len(inst.cadres)} cadres; base objective "
        f"{check_plan(inst, base_plan).objective} ({'solved' if args.solve_base else 'witness'})"
    )
    todo = deltas(inst, base)
    if args.policy:
        todo.append(
            (
                "policy: young principals 20%",
                {"format": "reshuffle-delta/1", "policy": {"young-principals": {"min_share": 0.2}}},
            )
        )
    opts = SolveOptions(time_limit=args.time_limit, workers=args.workers)
    header = f"{'delta':30} {'level':7} {'status':9} {'changed':>7} {'proven':>6} {'objective':>9} {'wall_s':>7} {'valid':>5}"
    if args.peer:
        header += f" {'peer_changed':>12} {'peer_obj':>9} {'peer_s':>7}"
    print(header)
    typical = []
    for k, (name, delta) in enumerate(todo):
        t = time.perf_counter()
        r = whatif(inst, base_plan, delta, opts)
        wall = time.perf_counter() - t
        if k < 5:
            typical.append(wall)
        diff = r.plan.diff
        valid = check_plan(load_scenario(apply_delta(inst.doc, delta)), r.plan).ok if r.found else False
        line = (
            f"{name:30} {str(diff.get('level')):7} {r.status:9} {str(diff.get('disruption')):>7} "
            f"{str(diff.get('disruption_proven')):>6} {str(r.objective):>9} {wall:7.3f} {str(valid):>5}"
        )
        if args.peer:
            t = time.perf_counter()
            p = whatif(inst, base_plan, delta, opts, keep_base=False)
            line += f" {str(p.plan.diff.get('disruption')):>12} {str(p.objective):>9} {time.perf_counter() - t:7.2f}"
        print(line)
    print(f"median wall time of the {len(typical)} typical deltas: {statistics.median(typical):.3f} s")


if __name__ == "__main__":
    main()
