"""One (instance, solver) run, in its own process: `python -m benchmarks.worker --townships … --solver …`.

Prints one line ``RESULT {json}``. Every plan is audited by the independent checker (planner.check) and its
verdict is part of the result. A process per run keeps peak memory per run (ru_maxrss) and keeps solvers apart.

Solvers:
- ``planner``: planner.solve with its defaults (LP reduced-cost fixing, greedy hint, CP-SAT).
- ``cpsat``: planner.solve without LP fixing (the CP-SAT model alone) — the ablation of that lever.
- ``highs`` / ``scip``: the planner's own CP-SAT model (same hard rules, same objective) translated to a MIP
  (planner.lpfix.mip_of, every variable integer) and solved through OR-Tools' pywraplp, cold (no hint).
- ``highspy``: the same MIP (the planner's model as arrays, `planner.solver.lpsift.sparse_of`) handed to HiGHS
  through `highspy` in a child process that never imports ortools (`benchmarks.highs_direct`): one thread,
  presolve off, gap tolerances that make "optimal" a proof.
- ``direct``: a hand-written MIP of the same rules (`benchmarks.direct_mip`: a binary per placement the pair
  rules allow, one aggregated row per team or county count, no big-M), built with numpy and solved by HiGHS
  through `highspy` in a child process that never imports ortools; one wave only.
- ``greedy``: planner.greedy, the officer-style heuristic.
- ``planner-nostage``: the planner without the waves first answer (`SolveOptions(wave_first=False)`): the
  ablation of that lever (benchmarks/waves.py).

`--scenario FILE` times a county of one's own instead of a synthetic one.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from typing import Any

from planner.audit.check import check_plan
from planner.domain.documents import Assignment, Plan
from planner.domain.load import Instance, load_plan, load_scenario
from planner.io.synth import SynthOptions, generate

SOLVERS = ("planner", "cpsat", "highs", "scip", "highspy", "direct", "greedy", "planner-nostage")


def _plan_of(inst: Instance, assignment: dict[str, str | None], status: str) -> Plan:
    return Plan(
        format="reshuffle-plan/1",
        county=inst.doc.county.id,
        as_of=inst.as_of,
        status=status,
        assignments=[Assignment(post=p, cadre=c, wave=0 if c == inst.holder[p] else 1) for p, c in assignment.items()],
    )


def _verdict(inst: Instance, plan: Plan | None) -> dict[str, Any]:
    if plan is None or not plan.assignments:
        return {"check_ok": None, "check_hard": None, "check_objective": None}
    rep = check_plan(inst, plan)
    return {
        "check_ok": rep.ok,
        "check_hard": len(rep.hard_violations),
        "check_objective": rep.objective,
        "check_broken": sorted({v.rule for v in rep.hard_violations}),
    }


def run_planner(inst: Instance, time_limit: float, lp_fix: bool, wave_first: bool = True) -> dict[str, Any]:
    from planner.solver.options import SolveOptions
    from planner.solver.solve import solve

    first: list[float] = []
    first_obj: list[int] = []

    def progress(info: dict[str, Any]) -> None:
        if not first:
            first.append(time.perf_counter() - t0)
            first_obj.append(info["objective"])

    t0 = time.perf_counter()
    res = solve(inst, SolveOptions(time_limit=time_limit, lp_fix=lp_fix, wave_first=wave_first, progress=progress))
    total = time.perf_counter() - t0
    out = {
        "status": res.status,
        "build_s": res.build_time_s,
        "solve_s": res.wall_time_s,
        "total_s": total,
        "first_plan_s": first[0] if first else None,
        "first_objective": first_obj[0] if first_obj else None,
        "optimal_s": total if res.status == "optimal" else None,
        "objective": res.objective,
        "bound": res.bound,
        "gap": res.gap,
        "variables": res.stats.get("variables"),
        "lp_fixed": res.stats.get("lp_fixed"),
        "lp_s": res.stats.get("lp_total_time_s"),
        "lp_proven": res.stats.get("lp_proven"),
        "lp_rounds": res.stats.get("lp_rounds"),
        "lp_note": res.stats.get("lp_note"),
        "num_workers": res.stats.get("num_workers"),
        "fallback": res.stats.get("fallback"),
    }
    out.update(_verdict(inst, res.plan if res.found else None))  # the plan document as the product returns it
    return out


def run_mip(inst: Instance, time_limit: float, backend: str) -> dict[str, Any]:
    from ortools.linear_solver import linear_solver_pb2

    from planner.solver.lpfix import mip_of, proto_of, solve_mp
    from planner.solver.options import SolveOptions
    from planner.solver.builder import build

    t0 = time.perf_counter()
    m = build(inst, SolveOptions(greedy_hint=False, lp_fix=False))
    mp = mip_of(proto_of(m.model), integer=True)
    build_s = time.perf_counter() - t0
    kind = {"highs": "HIGHS_MIXED_INTEGER_PROGRAMMING", "scip": "SCIP_MIXED_INTEGER_PROGRAMMING"}[backend]
    t1 = time.perf_counter()
    resp = solve_mp(mp, kind, time_limit=time_limit)
    solve_s = time.perf_counter() - t1
    S = linear_solver_pb2.MPSolverResponseStatus
    status = {S.MPSOLVER_OPTIMAL: "optimal", S.MPSOLVER_FEASIBLE: "feasible", S.MPSOLVER_INFEASIBLE: "infeasible"}.get(
        resp.status, "unknown"
    )
    out: dict[str, Any] = {
        "status": status,
        "build_s": build_s,
        "solve_s": solve_s,
        "total_s": build_s + solve_s,
        "first_plan_s": None,
        "optimal_s": build_s + solve_s if status == "optimal" else None,
        "objective": None,
        "bound": None,
        "gap": None,
        "variables": len(m.x),
    }
    plan = None
    if status in ("optimal", "feasible") and len(resp.variable_value):
        val = resp.variable_value
        obj = int(round(resp.objective_value))
        bound = resp.best_objective_bound
        # the MIP's own gap tolerance (HiGHS/SCIP default 1e-4) may stop short of a proof: say so
        import math

        ibound = math.ceil(bound - 1e-6) if math.isfinite(bound) else None
        if status == "optimal" and ibound is not None and ibound < obj:
            status = out["status"] = "gap-limit"
            out["optimal_s"] = None
        out.update(objective=obj, bound=ibound, gap=None if ibound is None else abs(obj - ibound) / max(1, abs(obj)))
        assignment = {p: next((c for c, v in m.vars_of_post(p) if val[v.index] > 0.5), None) for p in inst.posts}
        plan = _plan_of(inst, assignment, "feasible")
    out.update(_verdict(inst, plan))
    return out


def run_highspy(inst: Instance, time_limit: float) -> dict[str, Any]:
    """Build the planner's model, write its MIP arrays, and solve them with highspy in a child process."""
    import math
    import os
    import subprocess
    import tempfile

    import numpy as np

    from planner.solver.builder import build
    from planner.solver.lpfix import proto_of
    from planner.solver.lpsift import sparse_of
    from planner.solver.options import SolveOptions

    t0 = time.perf_counter()
    m = build(inst, SolveOptions(greedy_hint=False, lp_fix=False))
    lp = sparse_of(proto_of(m.model))
    build_s = time.perf_counter() - t0
    with tempfile.TemporaryDirectory() as d:
        model, out_path = os.path.join(d, "model.npz"), os.path.join(d, "out.npz")
        np.savez(
            model,
            c=lp.c,
            lb=lp.lb,
            ub=lp.ub,
            rows=lp.rows,
            cols=lp.cols,
            vals=lp.vals,
            lo=lp.lo,
            hi=lp.hi,
            offset=np.float64(lp.offset),
        )
        proc = subprocess.run(
            [sys.executable, "-m", "benchmarks.highs_direct", model, out_path, "--time-limit", str(time_limit)],
            capture_output=True,
            text=True,
        )
        line = next((ln for ln in reversed(proc.stdout.splitlines()) if ln.startswith("RESULT ")), None)
        if line is None:
            return {"status": "error", "error": (proc.stderr or proc.stdout)[-2000:], "build_s": build_s}
        res = json.loads(line[len("RESULT ") :])
        with np.load(out_path) as f:
            val = f["x"]
    total = time.perf_counter() - t0
    status = res["status"]
    out: dict[str, Any] = {
        "status": status,
        "build_s": build_s,
        "solve_s": res["solve_s"],
        "total_s": total,
        "first_plan_s": None,
        "optimal_s": total if status == "optimal" else None,
        "objective": None,
        "bound": None,
        "gap": None,
        "variables": len(m.x),
        "highs_status": res["highs_status"],
        "highs_load_s": res["load_s"],
    }
    plan = None
    if status in ("optimal", "feasible") and len(val):
        obj = int(round(res["objective"]))
        ibound = math.ceil(res["bound"] - 1e-6) if res["bound"] is not None and math.isfinite(res["bound"]) else None
        out.update(objective=obj, bound=ibound, gap=None if ibound is None else abs(obj - ibound) / max(1, abs(obj)))
        assignment = {p: next((c for c, v in m.vars_of_post(p) if val[v.index] > 0.5), None) for p in inst.posts}
        plan = _plan_of(inst, assignment, "feasible")
    out.update(_verdict(inst, plan))
    return out


def run_direct(inst: Instance, time_limit: float) -> dict[str, Any]:
    """The hand-written direct MIP (`benchmarks.direct_mip`) on this scenario, in a child process that never
    imports ortools; its own build/solve/total times (the child's whole wall time as `process_s`)."""
    import os
    import subprocess
    import tempfile

    t0 = time.perf_counter()
    plan = None
    with tempfile.TemporaryDirectory() as d:
        path, plan_path = os.path.join(d, "scenario.json"), os.path.join(d, "plan.json")
        with open(path, "w", encoding="utf-8") as f:
            f.write(inst.doc.model_dump_json(by_alias=True))
        proc = subprocess.run(
            [sys.executable, "-m", "benchmarks.direct_mip", path, "--time-limit", str(time_limit), "--out", plan_path],
            capture_output=True,
            text=True,
        )
        if os.path.exists(plan_path):
            plan = load_plan(plan_path, inst)
    wall = time.perf_counter() - t0
    line = next((ln for ln in reversed(proc.stdout.splitlines()) if ln.startswith("RESULT ")), None)
    if line is None:
        return {"status": "error", "error": (proc.stderr or proc.stdout)[-2000:], "total_s": wall}
    res = json.loads(line[len("RESULT ") :])
    status = res["status"]  # optimal | feasible | infeasible | unknown | refused (res["reason"] says why)
    out = {
        "status": status,
        "reason": res.get("reason"),
        "build_s": res.get("build_s"),
        "solve_s": res.get("solve_s"),
        "total_s": res.get("total_s", wall),
        "process_s": wall,
        "first_plan_s": None,
        "optimal_s": res.get("total_s") if status == "optimal" else None,
        "objective": res.get("objective"),
        "bound": res.get("bound"),
        "gap": res.get("gap"),
        "variables": res.get("columns"),
        "rows": res.get("rows"),
        "highs_status": res.get("highs_status"),
        "child_check_ok": res.get("check_ok"),
    }
    out.update(_verdict(inst, plan))  # audited here too, by this process's checker
    return out


def run_greedy(inst: Instance) -> dict[str, Any]:
    from planner.solver.greedy import greedy_plan

    t0 = time.perf_counter()
    g = greedy_plan(inst)
    total = time.perf_counter() - t0
    out: dict[str, Any] = {
        "status": "heuristic",
        "build_s": 0.0,
        "solve_s": total,
        "total_s": total,
        "first_plan_s": total,
        "optimal_s": None,
        "bound": None,
        "gap": None,
        "variables": None,
    }
    out.update(_verdict(inst, _plan_of(inst, g, "feasible")))
    out["objective"] = out["check_objective"]
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--townships", type=int)
    ap.add_argument("--scenario", help="a scenario file (JSON) instead of a synthetic county")
    ap.add_argument("--pool-ratio", type=float, default=2.0)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--solver", choices=SOLVERS, required=True)
    ap.add_argument("--time-limit", type=float, default=60.0)
    a = ap.parse_args(argv)
    if a.scenario:
        inst = load_scenario(a.scenario)
    else:
        if a.townships is None:
            ap.error("--townships or --scenario is needed")
        scenario, _ = generate(SynthOptions(townships=a.townships, seed=a.seed, pool_ratio=a.pool_ratio))
        inst = load_scenario(scenario)
    if a.solver in ("planner", "cpsat", "planner-nostage"):
        out = run_planner(inst, a.time_limit, lp_fix=a.solver != "cpsat", wave_first=a.solver != "planner-nostage")
    elif a.solver in ("highs", "scip"):
        out = run_mip(inst, a.time_limit, a.solver)
    elif a.solver == "highspy":
        out = run_highspy(inst, a.time_limit)
    elif a.solver == "direct":
        out = run_direct(inst, a.time_limit)
    else:
        out = run_greedy(inst)
    out.update(
        posts=len(inst.posts),
        cadres=len(inst.cadres),
        waves=inst.waves,
        teams=len(inst.posts_of),
        peak_mb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    )
    import planner

    out["planner_path"] = str(planner.__file__).rsplit("/planner/", 1)[0]  # which checkout ran (see --baseline)
    print("RESULT " + json.dumps(out), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
