"""HiGHS through `highspy` on the planner's MIP arrays, in a process that never imports ortools.

    python -m benchmarks.highs_direct MODEL.npz OUT.npz --time-limit 60

MODEL.npz holds the MIP as `planner.solver.lpsift.SparseLP` arrays (written by `benchmarks.worker`, which has
ortools loaded and therefore hands the arrays over in a file: highspy never runs beside ortools). Solved with
one thread and presolve off (measured faster on these models than HiGHS' defaults, see benchmarks/README.md);
the gap tolerances are set so that "optimal" is a proof: the objective is integral, so an absolute gap below 1
closes it. OUT.npz gets the column values and a JSON line with status, objective, bound and times.
"""

from __future__ import annotations

import argparse
import json
import sys
import time

import numpy as np


def solve(
    model: dict[str, np.ndarray], time_limit: float, threads: int = 1, presolve: str = "off"
) -> tuple[dict, np.ndarray | None]:
    import highspy

    t0 = time.perf_counter()
    n, m = len(model["c"]), len(model["lo"])
    order = np.lexsort((model["cols"], model["rows"]))
    rows, cols, vals = model["rows"][order], model["cols"][order], model["vals"][order]
    start = np.searchsorted(rows, np.arange(m + 1)).astype(np.int32)
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = n, m
    lp.col_cost_ = model["c"]
    lp.col_lower_ = np.where(np.isfinite(model["lb"]), model["lb"], -highspy.kHighsInf)
    lp.col_upper_ = np.where(np.isfinite(model["ub"]), model["ub"], highspy.kHighsInf)
    lp.row_lower_ = np.where(np.isfinite(model["lo"]), model["lo"], -highspy.kHighsInf)
    lp.row_upper_ = np.where(np.isfinite(model["hi"]), model["hi"], highspy.kHighsInf)
    lp.offset_ = float(model["offset"])
    lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
    lp.a_matrix_.start_ = start
    lp.a_matrix_.index_ = cols.astype(np.int32)
    lp.a_matrix_.value_ = vals
    lp.integrality_ = [highspy.HighsVarType.kInteger] * n
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("threads", threads)
    h.setOptionValue("presolve", presolve)
    h.setOptionValue("time_limit", float(time_limit))
    h.setOptionValue("mip_rel_gap", 0.0)
    h.setOptionValue("mip_abs_gap", 0.999)
    h.passModel(lp)
    load_s = time.perf_counter() - t0
    h.run()
    solve_s = time.perf_counter() - t0 - load_s
    status = h.getModelStatus()
    info = h.getInfo()
    S = highspy.HighsModelStatus
    name = {S.kOptimal: "optimal", S.kInfeasible: "infeasible"}.get(status, "unknown")
    has = info.primal_solution_status == 2  # kSolutionStatusFeasible
    if name == "unknown" and has:
        name = "feasible"
    out = {
        "status": name,
        "load_s": load_s,
        "solve_s": solve_s,
        "highs_status": h.modelStatusToString(status),
        "objective": float(info.objective_function_value) if has else None,
        "bound": float(info.mip_dual_bound) if has or name == "optimal" else None,
        "threads": threads,
        "presolve": presolve,
        "highs": h.version(),
    }
    x = np.asarray(h.getSolution().col_value) if has else None
    return out, x


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("model")
    ap.add_argument("out")
    ap.add_argument("--time-limit", type=float, default=60.0)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--presolve", default="off", choices=("off", "on", "choose"))
    a = ap.parse_args(argv)
    assert "ortools" not in sys.modules
    with np.load(a.model) as f:
        model = {k: f[k] for k in f.files}
    res, x = solve(model, a.time_limit, a.threads, a.presolve)
    assert "ortools" not in sys.modules  # highspy never beside ortools
    np.savez(a.out, x=x if x is not None else np.zeros(0))
    print("RESULT " + json.dumps(res), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
