"""Who should take this post? The best cadres for one post, each with the exact consequence of choosing them.

Exact, not greedy. The candidates are every cadre the solver has a placement variable for at that post
(:func:`planner.candidates.candidate_pairs`: rank, eligibility, avoidance, leaving and forbids already
applied; today's holder staying is a candidate too). For each one the whole county is re-optimised with that
placement fixed — one model, built once, solved once per candidate with the placement as an *assumption*
(nothing is rebuilt), warm-started from the reference plan with the candidate moved in.

The objective of those solves is lexicographic: ``K · objective + changes`` with ``K`` = number of posts + 1,
where `changes` counts posts whose holder differs from the reference. So each candidate's objective is the
true optimum with that pin (the same number `solve` gives with the pin in the scenario), and among plans that
reach it the one closest to the reference is reported — the "other moves it forces" are then the moves that
choice really needs, not an arbitrary optimal plan's. The reference is the base plan when given, else the
unpinned optimum.

A short limit per candidate keeps it fast; a solve that stops at the limit reports ``feasible`` (found, not
proven optimal). A candidate whose pin admits no plan is ``infeasible``; when it is among those shown, the
rules that would break are named by :func:`planner.explain.explain` on the pinned scenario.

Large counties (``method="local"``, the default above 120 posts). Re-optimising a 30-township county per
candidate does not fit a meeting: measured, CP-SAT finds no plan within 6 s per candidate with the pin as an
assumption (presolve of ~70 000 placements alone takes most of it), and there are ~150 candidates for a
township head. Then each candidate is evaluated like a what-if pin against the reference plan
(:func:`planner.whatif.least_disruption`, up to the candidate's teams): the best plan among those that change
only what the choice forces — its objective is an upper bound of the pinned optimum, exact whenever the
optimum needs no other change, and the changes it lists are proven the fewest. Candidates whose choice needs
changes beyond their teams are listed as ``wider`` (not evaluated). Rows say which (``scope``).
"""

from __future__ import annotations

import time
from dataclasses import replace
from typing import Any

from ortools.sat.python import cp_model

from planner.audit.check import check_plan
from planner.domain.documents import Plan
from planner.domain.load import Instance, load_plan, load_scenario
from planner.domain.errors import InputError, Problem
from planner.i18n import message
from planner.solver.options import STATUS, SolveOptions, SolveResult
from planner.solver.builder import build
from planner.solver.solve import plan_document, solve
from planner.analysis.eligible import exclusions
from planner.analysis.delta import apply_delta
from planner.analysis.whatif import change_indicators, least_disruption, plan_diff


def _assignment(plan: Plan) -> dict[str, str | None]:
    return {a.post: a.cadre for a in plan.assignments}


def _hint_with(ref: dict[str, str | None], cadre: str, post: str) -> dict[str, str | None]:
    """The reference plan with `cadre` moved into `post` (the post it held and the displaced holder freed)."""
    hint = {p: (None if c == cadre else c) for p, c in ref.items()}
    hint[post] = cadre
    return hint


EXACT_MAX_POSTS = 120


def recommend(
    inst: Instance,
    post: str,
    base_plan: Plan | dict | None = None,
    top: int = 5,
    *,
    time_limit: float = 2.0,
    workers: int = 8,
    seed: int = 0,
    method: str = "auto",
    explain_infeasible: bool = True,
) -> dict[str, Any]:
    """The `top` best cadres for `post`, best first, with what choosing each one entails.

    Returns ``{"post", "reference": {"kind": "base"|"optimum", "status", "objective", "holder"},
    "evaluated", "feasible", "candidates": [{"cadre", "name", "status", "proven", "objective",
    "objective_delta", "changes", "other_changes": [{"post", "before", "after"}], "violations_added",
    "violations_removed", "breaks", "scope"}], "method", "wall_time_s"}``. `time_limit` is per candidate (the
    reference optimum gets three times as much, at least 10 s in local mode). `method`: ``"exact"`` (every
    candidate re-optimised on the whole county), ``"local"`` (see the module docstring) or ``"auto"``.
    """
    t0 = time.perf_counter()
    if post not in inst.posts:
        zh, en = message("input.dangling", what="post", id=post)
        raise InputError("post", [Problem("--post", en, zh)])
    if method == "auto":
        method = "exact" if len(inst.posts) <= EXACT_MAX_POSTS else "local"
    options = SolveOptions(time_limit=time_limit, workers=workers, seed=seed)
    if base_plan is not None:
        ref_plan = load_plan(base_plan, inst)
        report = check_plan(inst, ref_plan)
        reference: dict[str, Any] = {
            "kind": "base",
            "status": "valid" if report.ok else "breaks-hard-rules",
            "objective": report.objective,
        }
    else:
        res = solve(
            inst, replace(options, time_limit=3 * time_limit if method == "exact" else max(10.0, 3 * time_limit))
        )
        if not res.found:
            return {
                "post": post,
                "reference": {"kind": "optimum", "status": res.status, "objective": None, "holder": None},
                "evaluated": 0,
                "feasible": 0,
                "candidates": [],
                "method": method,
                "wall_time_s": round(time.perf_counter() - t0, 3),
            }
        ref_plan = res.document
        report = None
        reference = {"kind": "optimum", "status": res.status, "objective": res.objective}
    ref = _assignment(ref_plan)
    reference["holder"] = ref.get(post)

    rows: list[dict[str, Any]] = []
    if method == "exact":
        t_build = time.perf_counter()
        m = build(inst, SolveOptions(greedy_hint=False))
        usual = m.objective_expr()
        scale = len(inst.posts) + 1
        m.model.minimize(scale * usual + sum(change_indicators(m, ref)))
        build_time = time.perf_counter() - t_build
        for cadre, var in m.vars_of_post(post):
            rows.append(
                _evaluate(inst, m, usual, cadre, post, var, ref, ref_plan, report, reference, options, build_time)
            )
    else:
        report = report or check_plan(inst, ref_plan)
        for cadre in _eligible(inst, post):
            rows.append(_evaluate_local(inst, cadre, post, ref, ref_plan, report, reference, options))
    rows.sort(
        key=lambda r: (
            r["objective"] is None,
            r["objective"] if r["objective"] is not None else 0,
            r["changes"] if r["changes"] is not None else 0,
            r["cadre"],
        )
    )
    shown = rows[:top]
    if explain_infeasible and method == "exact":
        for r in shown:
            if r["status"] == "infeasible":
                r["breaks"] = _breaks(inst, r["cadre"], post, time_limit, workers)
    return {
        "post": post,
        "reference": reference,
        "evaluated": len(rows),
        "feasible": sum(1 for r in rows if r["objective"] is not None),
        "candidates": shown,
        "method": method,
        "wall_time_s": round(time.perf_counter() - t0, 3),
    }


def _evaluate(
    inst, m, usual, cadre, post, var, ref, ref_plan, ref_report, reference, options, build_time
) -> dict[str, Any]:
    model = m.model
    model.clear_assumptions()
    model.add_assumptions([var])
    model.clear_hints()
    hint = _hint_with(ref, cadre, post)
    for (c, p), x in m.x.items():
        model.add_hint(x, 1 if hint.get(p) == c else 0)
    solver = cp_model.CpSolver()
    prm = solver.parameters
    prm.max_time_in_seconds = float(options.time_limit)
    prm.num_workers = int(options.workers)
    prm.random_seed = int(options.seed)
    t = time.perf_counter()
    code = solver.solve(model)
    wall = time.perf_counter() - t
    status = STATUS.get(code, "unknown")
    row = _row(inst, cadre, status, wall, scope="county")
    if status not in ("optimal", "feasible"):
        return row
    assignment = {p: next((c for c, v in m.vars_of_post(p) if solver.value(v)), None) for p in inst.posts}
    arrival = {(c, p): w for (c, p, w), v in m.y.items() if solver.value(v)}
    departure = {c: w for (c, w), d in m.dep.items() if not isinstance(d, int) and solver.value(d)}
    objective = int(solver.value(usual))
    result = SolveResult(
        status=status,
        plan=None,
        objective=objective,
        bound=None,
        gap=None,
        wall_time_s=wall,
        build_time_s=build_time,
        stats={"recommend_pin": f"{cadre}->{post}"},
    )
    plan = plan_document(inst, assignment, result, arrival, departure)
    diff = plan_diff(inst, ref_plan, inst, plan, ref_report)
    row.update(
        objective=objective,
        objective_delta=objective - reference["objective"],
        other_changes=[c for c in diff["changed_posts"] if c["post"] != post],
        violations_added=diff["violations_added"],
        violations_removed=diff["violations_removed"],
        checker_ok=plan.solver["checker_hard_violations"] == 0,
    )
    row["changes"] = len(row["other_changes"])
    return row


def _row(inst: Instance, cadre: str, status: str, wall: float, scope: str) -> dict[str, Any]:
    return {
        "cadre": cadre,
        "name": inst.name(cadre),
        "status": status,
        "proven": status == "optimal",
        "scope": scope,
        "objective": None,
        "objective_delta": None,
        "changes": None,
        "other_changes": [],
        "violations_added": [],
        "violations_removed": [],
        "breaks": [],
        "wall_time_s": round(wall, 3),
    }


def _eligible(inst: Instance, post: str) -> list[str]:
    """The cadres the solver would have a placement variable for at `post` (today's holder included)."""
    out = []
    for cid, c in inst.cadres.items():
        if c.leaving:
            continue
        if cid == inst.holder[post] or any(not exclusions(inst, cid, post, d) for d in inst.wave_dates):
            out.append(cid)
    return out


def _evaluate_local(inst, cadre, post, ref, ref_plan, ref_report, reference, options) -> dict[str, Any]:
    """The best plan that changes only what choosing `cadre` forces (up to their teams), as a what-if pin."""
    forced = set() if ref.get(post) == cadre else {post}
    here = next((p for p, c in ref.items() if c == cadre), None)
    if here not in (None, post):
        forced.add(here)

    def pin(m) -> None:
        var = m.x.get((cadre, post))
        m.model.add_bool_or([]) if var is None else m.model.add(var == 1)

    t = time.perf_counter()
    res, info = least_disruption(inst, ref_plan, replace(options, extend=pin), forced=forced, max_level="teams")
    wall = time.perf_counter() - t
    if not res.found:
        return _row(inst, cadre, "wider", wall, "local")  # no plan changing only their teams: not evaluated
    row = _row(inst, cadre, res.status, wall, "local")
    row["proven"] = False  # optimal among the plans with the fewest changes, not over the county
    diff = plan_diff(inst, ref_plan, inst, res.document, ref_report)
    row.update(
        objective=res.objective,
        objective_delta=res.objective - reference["objective"],
        other_changes=[c for c in diff["changed_posts"] if c["post"] != post],
        violations_added=diff["violations_added"],
        violations_removed=diff["violations_removed"],
        checker_ok=res.document.solver["checker_hard_violations"] == 0,
        level=info["level"],
        fewest_changes=info["proven"],
    )
    row["changes"] = len(row["other_changes"])
    return row


def _breaks(inst: Instance, cadre: str, post: str, time_limit: float, workers: int) -> list[dict[str, Any]]:
    """The rules that cannot hold if `cadre` takes `post` (the pin itself left out)."""
    from planner.analysis.explain import explain

    try:
        pinned = load_scenario(
            apply_delta(inst.doc, {"format": "reshuffle-delta/1", "pins": [{"cadre": cadre, "post": post}]})
        )
    except InputError:
        return []
    ex = explain(pinned, time_limit=max(2.0, 3 * time_limit), relax=False, workers=workers)
    return [
        {k: r[k] for k in ("rule", "name_zh", "name_en", "townships", "posts", "cadres", "message_zh", "message_en")}
        for r in ex["rules"]
        if r["rule"] != "pin"
    ]


__all__ = ["recommend"]
