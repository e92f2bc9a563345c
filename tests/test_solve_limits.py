"""The time limit holds for the whole solve and a county always gets a plan when the greedy one is valid.

The greedy plan comes first: audited by the independent checker, it is the first progress answer, and the
answer when the limit runs out before the search (or the model build) is done. Behaviour, not the clock: the
limits here are so small that the build cannot finish, or the search is made to find nothing."""

from __future__ import annotations

import time

import pytest

from planner.audit.check import check_plan
from planner.domain.load import load_scenario
from planner.io.synth import SynthOptions, generate
from planner.solver.builder import BuildOutOfTime, build
from planner.solver.candidates import candidate_pairs
from planner.solver.greedy import greedy_plan
from planner.solver.options import SolveControl, SolveOptions
from planner.solver.solve import solve
from tests.solve_audit import audit, check_final


def _county(townships: int = 8, seed: int = 1, pool: float = 2.0):
    return load_scenario(generate(SynthOptions(townships=townships, seed=seed, pool_ratio=pool))[0])


def _assignment(plan) -> dict[str, str | None]:
    return {a.post: a.cadre for a in plan.assignments}


def test_a_tiny_time_limit_returns_the_audited_greedy_plan():
    inst = _county()
    seen: list[dict] = []
    res = solve(inst, SolveOptions(time_limit=1e-6, workers=2, progress=seen.append))
    greedy = greedy_plan(inst)
    assert check_final(inst, greedy).ok
    assert res.status == "feasible" and res.stats["fallback"] == "greedy"
    assert _assignment(res.plan) == greedy
    report = check_plan(inst, res.plan)  # the plan as returned passes the checker
    assert report.ok and report.objective == res.objective == res.plan.objective
    assert res.plan.solver["checker_hard_violations"] == 0
    assert [s["objective"] for s in seen] == [res.objective]  # shown once, as the first answer
    assert res.breakdown == report.breakdown


def test_the_greedy_plan_is_the_first_progress_answer_and_the_search_improves_on_it():
    inst = _county(6, 2)
    seen: list[dict] = []
    control = SolveControl()
    res = solve(inst, SolveOptions(time_limit=60, workers=2, progress=seen.append), control)
    audit(inst, res)
    greedy_objective = check_final(inst, greedy_plan(inst)).objective
    assert seen[0]["objective"] == greedy_objective and seen[0]["bound"] is None
    objectives = [s["objective"] for s in seen]
    assert objectives == sorted(objectives, reverse=True) and len(set(objectives)) == len(objectives)
    assert res.objective == objectives[-1] <= greedy_objective
    assert control.progress["objective"] == res.objective


def test_no_plan_from_the_search_falls_back_to_the_greedy_plan(monkeypatch):
    """CP-SAT and the LP phase find nothing in the time left (as on a prefecture): the greedy plan stands,
    with the LP bound when the LP finished."""
    inst = _county(5, 3)
    from ortools.sat.python import cp_model

    monkeypatch.setattr(cp_model.CpSolver, "solve", lambda self, model, cb=None: cp_model.UNKNOWN)
    res = solve(inst, SolveOptions(time_limit=30, workers=2))
    assert res.status in ("feasible", "optimal") and res.stats["fallback"] == "greedy"
    assert _assignment(res.plan) == greedy_plan(inst)
    assert check_plan(inst, res.plan).ok
    assert res.bound is not None and res.bound <= res.objective  # the LP bound, still valid


def test_an_invalid_greedy_plan_is_never_returned(monkeypatch):
    inst = _county(4, 1)
    monkeypatch.setattr("planner.solver.greedy.greedy_plan", lambda inst, cands=None: {p: None for p in inst.posts})
    res = solve(inst, SolveOptions(time_limit=1e-6, workers=2))
    assert res.status == "unknown" and res.plan.assignments == []
    # with time the search still finds the optimum (the invalid hint only misleads it)
    res = solve(inst, SolveOptions(time_limit=60, workers=2))
    audit(inst, res)


def test_the_build_stops_at_its_deadline():
    inst = _county(3, 1)
    with pytest.raises(BuildOutOfTime):
        build(inst, SolveOptions(), deadline=time.perf_counter())
    assert build(inst, SolveOptions(), deadline=time.perf_counter() + 3600).x  # a later deadline: built


def test_the_solve_reuses_wave_one_candidates():
    inst = _county(3, 2)
    cands = candidate_pairs(inst, inst.date_of_wave(1), set(inst.pins))
    assert set(build(inst, SolveOptions(), candidates=cands).x) == set(build(inst, SolveOptions()).x)
