"""The LP phase: sifting reaches the full LP optimum, its reduced costs bound every plan (the inequality that
makes reduced-cost fixing exact), and solving with the LP phase gives the same optimum as without it."""

from __future__ import annotations

import math

import numpy as np
import pytest
from ortools.sat.python import cp_model

from planner.domain.load import load_scenario
from planner.solver.lpfix import mip_of, proto_of, reduce_model, solve_mp
from planner.solver.lpsift import LpSolution, SparseLP, Unsupported, solve_lp, sparse_of
from planner.solver.options import SolveOptions
from planner.solver.builder import build
from planner.solver.solve import solve
from planner.io.synth import SynthOptions, generate

COUNTIES = [(3, 1, 2.0), (4, 2, 1.5), (5, 3, 2.0), (6, 4, 1.2)]


def _instance(townships: int, seed: int, pool: float):
    return load_scenario(generate(SynthOptions(townships=townships, seed=seed, pool_ratio=pool))[0])


@pytest.mark.parametrize("townships,seed,pool", COUNTIES)
def test_sifting_reaches_the_optimum_of_the_whole_lp(townships, seed, pool):
    m = build(_instance(townships, seed, pool), SolveOptions(greedy_hint=False))
    proto = proto_of(m.model)
    glop = solve_mp(mip_of(proto, integer=False), "GLOP_LINEAR_PROGRAMMING")
    lp = sparse_of(proto)
    sol = solve_lp(lp, batch=40, whole_below=0)  # sifting with a small batch: several pricing rounds
    assert sol.status == "optimal" and sol.rounds > 1 and not sol.elastic
    assert sol.objective == pytest.approx(glop.objective_value, abs=1e-6)
    # dual feasibility over every column: none at its lower bound may still improve the objective
    at_lb = (sol.x <= lp.lb + 1e-9) & (lp.ub > lp.lb)
    assert (sol.rc[at_lb] >= -1e-6).all()
    whole = solve_lp(lp)  # small models: the whole LP in one GLOP call
    assert whole.rounds == 1 and whole.objective == pytest.approx(sol.objective, abs=1e-6)


@pytest.mark.parametrize("townships,seed,pool", COUNTIES)
def test_every_plan_costs_at_least_the_lp_bound_plus_its_reduced_costs(townships, seed, pool):
    """objective(x) ≥ z + Σ_{x_j* = 0} d_j x_j + Σ_{x_j* = 1} (−d_j)(1 − x_j) for every plan x: the inequality
    reduced-cost fixing rests on, checked on the optimal plan and on the generator's witness plan."""
    inst = _instance(townships, seed, pool)
    m = build(inst, SolveOptions(greedy_hint=False))
    proto = proto_of(m.model)
    lp = sparse_of(proto)
    sol = solve_lp(lp, batch=40, whole_below=0)
    boolean = lp.boolean()
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 8  # the product's portfolio: 2 workers may not prove these in minutes
    solver.parameters.max_time_in_seconds = 120
    assert solver.solve(m.model) == cp_model.OPTIMAL
    x = np.array(solver.response_proto.solution, dtype=float)
    assert float(lp.c @ x) + lp.offset == pytest.approx(solver.objective_value)
    # the translation: a plan of the CP-SAT model keeps every LP row and bound
    ax = np.bincount(lp.rows, weights=lp.vals * x[lp.cols], minlength=lp.m)
    assert (ax >= lp.lo - 1e-9).all() and (ax <= lp.hi + 1e-9).all()
    assert (x >= lp.lb).all() and (x <= lp.ub).all()
    low, high = boolean & (sol.x < 0.5), boolean & (sol.x >= 0.5)
    lagrange = sol.objective + float(sol.rc[low] @ x[low]) + float(-sol.rc[high] @ (1 - x[high]))
    assert solver.objective_value >= lagrange - 1e-6


@pytest.mark.parametrize("townships,seed,pool", COUNTIES)
def test_the_lp_phase_keeps_the_optimum(townships, seed, pool):
    inst = _instance(townships, seed, pool)
    with_lp = solve(inst, SolveOptions(time_limit=120, workers=8, lp_fix=True))
    without = solve(inst, SolveOptions(time_limit=120, workers=8, lp_fix=False))  # the product portfolio
    assert with_lp.status == without.status == "optimal"
    assert with_lp.objective == without.objective
    assert with_lp.stats["lp_bound"] is not None and with_lp.stats["lp_bound"] <= with_lp.objective + 1e-6
    assert with_lp.plan is not None and with_lp.plan.solver["checker_hard_violations"] == 0
    assert with_lp.plan.solver["checker_objective"] == with_lp.objective


def test_an_lp_cut_short_by_its_time_limit_leaves_the_model_untouched():
    inst = _instance(4, 2, 1.5)
    m = build(inst, SolveOptions(greedy_hint=False))
    before = proto_of(m.model).SerializeToString()
    fix = reduce_model(m.model, lp_time=1e-9, workers=2)
    assert fix.note.startswith("LP time-limit") and fix.lp_bound is None
    assert fix.fixed == 0 and not fix.proven and fix.solver is None
    assert proto_of(m.model).SerializeToString() == before


def test_an_lp_phase_cut_short_falls_back_to_the_whole_model(monkeypatch):
    """The LP stopped at its limit (as GLOP does on a prefecture): CP-SAT solves the whole model instead."""
    import planner.solver.lpfix as lpfix

    inst = _instance(4, 2, 1.5)
    monkeypatch.setattr(lpfix, "solve_lp", lambda lp, **kw: LpSolution(status="time-limit", note="stopped"))
    res = solve(inst, SolveOptions(time_limit=60, workers=2))
    assert res.stats["lp_note"].startswith("LP time-limit")
    assert res.stats["lp_fixed"] == 0 and not res.stats["lp_proven"]
    assert res.status == "optimal"
    monkeypatch.undo()
    assert res.objective == solve(inst, SolveOptions(time_limit=60, workers=2, lp_fix=False)).objective
    assert res.plan.solver["checker_hard_violations"] == 0
    assert res.plan.solver["checker_objective"] == res.objective


def test_an_infeasible_lp_is_solved_elastically_and_its_bound_stays_valid():
    # x0 + x1 ≥ 3 with x ∈ [0, 1]²: no point; the elastic LP pays for the missing unit
    lp = SparseLP(
        c=np.array([1.0, 2.0]),
        lb=np.zeros(2),
        ub=np.ones(2),
        rows=np.array([0, 0]),
        cols=np.array([0, 1]),
        vals=np.ones(2),
        lo=np.array([3.0]),
        hi=np.array([math.inf]),
        offset=0.0,
    )
    sol = solve_lp(lp)
    assert sol.status == "optimal" and sol.elastic
    assert sol.objective == pytest.approx(3.0 + 1000.0 * 2.0)  # both columns at 1, one unit of slack at 1000×max|c|


def test_a_guarded_constraint_is_not_translated():
    model = cp_model.CpModel()
    a, b = model.new_bool_var("a"), model.new_bool_var("b")
    model.add(a + b <= 1).only_enforce_if(b)
    with pytest.raises(Unsupported):
        sparse_of(proto_of(model))


def test_a_literal_twice_in_a_boolean_constraint_is_one_summed_coefficient():
    model = cp_model.CpModel()
    x, y = model.new_bool_var("x"), model.new_bool_var("y")
    model.add_at_most_one([x, x.Not(), y])  # x + (1 − x) + y ≤ 1: y = 0
    model.add_bool_or([x, x])  # 2x ≥ 1 (the LP relaxes x = 1 to x ≥ ½)
    lp = sparse_of(proto_of(model))
    rows = [dict(zip(lp.cols[lp.rows == i].tolist(), lp.vals[lp.rows == i].tolist())) for i in range(lp.m)]
    assert rows == [{0: 0.0, 1: 1.0}, {0: 2.0}]
    assert (lp.lo.tolist(), lp.hi.tolist()) == ([-math.inf, 1.0], [0.0, math.inf])


def test_a_cancel_while_glop_runs_reaches_glop_and_keeps_the_greedy_plan(monkeypatch):
    """The LP phase is interruptible: a cancel that arrives while GLOP runs stops GLOP (not only the CP-SAT
    searches before and after it), and the solve answers at once with the audited greedy plan."""
    import planner.solver.lpsift as lpsift
    from planner.solver.options import SolveControl

    inst = _instance(4, 2, 1.5)
    control = SolveControl()
    real, seen = lpsift._glop, []

    def glop(lp, cols, big, time_limit, attach=None):
        def attach_then_cancel(solver):
            attach(solver)  # the solve registers GLOP as its running solver
            seen.append(solver)
            control.cancel()  # the user's cancel arrives now: it must reach GLOP itself

        return real(lp, cols, big, time_limit, attach_then_cancel)

    monkeypatch.setattr(lpsift, "_glop", glop)
    res = solve(inst, SolveOptions(time_limit=60, workers=2), control)
    assert len(seen) == 1
    assert "CANCELLED_BY_USER" in res.stats["lp_note"] and res.stats["lp_bound"] is None
    assert res.stats["cancelled"] and res.stats["fallback"] == "greedy"
    assert res.status == "feasible"
    assert res.plan.solver["checker_hard_violations"] == 0
    assert res.plan.solver["checker_objective"] == res.objective


def test_a_rounded_lp_point_counts_as_a_plan_at_the_bound_only_when_every_row_holds_and_it_costs_no_more():
    from planner.solver.lpfix import _at_bound

    # min x0 + 2·x1 + 3·x2  s.t.  x0 + x1 ≥ 1 (row 0),  x1 + x2 ≤ 1 (row 1);  0 ≤ x ≤ 1
    lp = SparseLP(
        c=np.array([1.0, 2.0, 3.0]),
        lb=np.zeros(3),
        ub=np.ones(3),
        rows=np.array([0, 0, 1, 1]),
        cols=np.array([0, 1, 1, 2]),
        vals=np.ones(4),
        lo=np.array([1.0, -np.inf]),
        hi=np.array([np.inf, 1.0]),
        offset=0.0,
    )
    assert _at_bound(lp, np.array([0.9999, 0.0, 0.0]), 1)  # rounds to (1, 0, 0): feasible, objective 1
    assert not _at_bound(lp, np.array([0.9999, 0.0, 0.0]), 0)  # costs more than the bound
    assert not _at_bound(lp, np.array([0.4, 0.4, 0.0]), 5)  # rounds to (0, 0, 0): row 0 broken
    assert not _at_bound(lp, np.array([1.0, 1.0, 1.0]), 9)  # row 1 broken
