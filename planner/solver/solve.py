"""solve(): build the model, run the LP phase and CP-SAT, and return an audited SolveResult."""

from __future__ import annotations

import time
from dataclasses import replace
from typing import Any

from ortools.sat.python import cp_model, cp_model_helper

from planner.audit.check import annotate_plan, check_plan
from planner.domain.documents import Assignment, Move, Plan
from planner.domain.load import Instance
from planner.solver.options import STATUS, SolveControl, SolveOptions, SolveResult
from planner.solver.builder import BuildOutOfTime, build

#: waves: the share of the time left that the end-state relaxation may take (planner.solver.waves)
WAVE_END_STATE_SHARE = 0.35
#: seconds kept back from the build's deadline per placement, for releasing a model that runs out of time
RELEASE_S_PER_PLACEMENT = 2.5e-6
#: seconds CP-SAT needs per model variable to load a model before its time limit is looked at
LOAD_S_PER_VARIABLE = 5e-6


class _Progress(cp_model.CpSolverSolutionCallback):
    def __init__(self, options: SolveOptions, control: SolveControl | None, start: float):
        super().__init__()
        self.options, self.control, self.start, self.count = options, control, start, 0
        self.best: int | None = None
        #: a plan this good is optimal (the LP's integer bound): the search stops at it
        self.stop_at: int | None = None

    def on_solution_callback(self) -> None:
        objective = int(round(self.objective_value))
        self.report(objective, int(round(self.best_objective_bound)))
        if self.stop_at is not None and objective <= self.stop_at:
            self.stop_search()

    def report(self, objective: int, bound: int | None = None) -> None:
        """One improving plan: from the CP-SAT search, or from the LP phase's restricted search (whose own
        bound holds only for the restricted model: the LP bound is reported with it instead), or the greedy
        plan. A plan no better than one reported already is not reported."""
        if self.best is not None and objective >= self.best:
            return
        self.best = objective
        self.count += 1
        info = {
            "objective": objective,
            "bound": bound,
            "wall_time_s": round(time.perf_counter() - self.start, 3),
            "solutions": self.count,
        }
        if self.control is not None:
            self.control.progress = info
        if self.options.progress is not None:
            self.options.progress(info)


def _greedy_first(inst: Instance, candidates: list[tuple[str, str]] | None) -> tuple[dict, Plan | None, float]:
    """The greedy plan, its audited document when the checker passes it (None otherwise), and the audit's
    time (a measure of what writing the final plan will cost)."""
    from planner.solver.greedy import greedy_plan

    plan = greedy_plan(inst, candidates)
    t = time.perf_counter()
    doc = plan_document(
        inst,
        plan,
        SolveResult(
            status="feasible", plan=None, objective=None, bound=None, gap=None, wall_time_s=0.0, build_time_s=0.0
        ),
    )
    audit = time.perf_counter() - t
    doc.objective = doc.solver.get("checker_objective")
    ok = doc.solver.get("checker_hard_violations") == 0 and doc.solver.get("checker_objective") is not None
    return plan, (doc if ok else None), audit


def end_state(
    inst: Instance, time_limit: float, *, wave: int | None = None, workers: int = 8, seed: int = 0
) -> dict[str, str | None] | None:
    """post -> final holder: the best end state the one-wave relaxation (`planner.solver.waves.one_wave` at the
    date of `wave`, the last by default) finds in `time_limit` seconds (its own greedy plan at least), or None.

    The last wave's date by default: the end state is held at every wave's date, and the rules an end state
    planned at wave 1's date broke were those that get stricter with time (a team's only member aged 30 or less
    on wave 1 is 31 on wave 2: measured on a 30-township synthetic county)."""
    from planner.solver.waves import one_wave

    if time_limit <= 0:
        return None
    one = one_wave(inst, inst.waves if wave is None else wave)
    res = solve(one, SolveOptions(time_limit=time_limit, workers=workers, seed=seed))
    if not res.found or res.plan is None or not res.plan.assignments:
        return None
    return {a.post: a.cadre for a in res.plan.assignments}


def staged_document(inst: Instance, assignment: dict[str, str | None], arrival: dict, departure: dict) -> Plan:
    """The audited plan document of `assignment` with its moves in the given waves (checker_objective,
    checker_hard_violations in its `solver` section; its objective is the checker's)."""
    shell = SolveResult(
        status="feasible", plan=None, objective=None, bound=None, gap=None, wall_time_s=0.0, build_time_s=0.0
    )
    doc = plan_document(inst, assignment, shell, arrival, departure)
    doc.objective = doc.solver.get("checker_objective")
    return doc


def staged_plan(inst: Instance, assignment: dict[str, str | None]) -> tuple[Plan, dict, dict] | None:
    """(audited document, arrival, departure) of `assignment` staged into waves (`waves.stage`), or None."""
    from planner.solver.waves import stage

    staged = stage(inst, assignment)
    if staged is None:
        return None
    return staged_document(inst, assignment, *staged), staged[0], staged[1]


def wave_first_answer(
    inst: Instance,
    time_limit: float,
    *,
    greedy: dict[str, str | None] | None = None,
    workers: int = 8,
    seed: int = 0,
) -> tuple[Plan, dict, dict, dict[str, str | None]] | None:
    """Waves: the best checker-valid staged end state (`planner.solver.waves.first_answer`) within
    `time_limit`: (document, arrival, departure, assignment), or None."""
    from planner.solver.waves import first_answer

    return first_answer(
        inst,
        time_limit,
        greedy=greedy,
        end_state=lambda i, t, w: end_state(i, t, wave=w, workers=workers, seed=seed),
        document=staged_document,
    )


def solve(inst: Instance, options: SolveOptions | None = None, control: SolveControl | None = None) -> SolveResult:
    """Find the best plan for `inst` under its policy. Never raises for infeasibility (see `status`).

    The time limit holds for the whole call, model building included. Unless a hint, a fixed plan or an
    explanation is asked for, the greedy plan comes first: audited by the checker, it is the first progress
    answer when valid, and the answer whenever the search finds nothing better in the time left."""
    options = options or SolveOptions()
    t0 = time.perf_counter()
    deadline = t0 + float(options.time_limit)

    def left() -> float:
        return deadline - time.perf_counter()

    use_lp = options.lp_fix and not options.explain and options.fixed is None and (inst.waves == 1 or options.wave_lp)
    want_greedy = options.hint is None and options.greedy_hint and options.fixed is None and not options.explain
    progress = _Progress(options, control, t0)
    greedy_doc: Plan | None = None
    fallback_name = "greedy"
    audit_s = 0.0
    candidates = None
    if want_greedy:
        from planner.solver.candidates import candidate_pairs

        forced = set(inst.pins)
        candidates = candidate_pairs(inst, inst.date_of_wave(1), forced)
        hint, greedy_doc, audit_s = _greedy_first(inst, candidates.pairs)
        options = replace(options, hint=hint)
        if greedy_doc is not None:
            progress.report(int(greedy_doc.solver["checker_objective"]), None)
    staged = None
    if (
        want_greedy and inst.waves > 1 and options.wave_first and not (control and control.cancelled)
    ):  # waves: the end state first, then its moves staged
        staged = wave_first_answer(
            inst, WAVE_END_STATE_SHARE * left(), greedy=options.hint, workers=options.workers, seed=options.seed
        )
        if staged is not None and (
            greedy_doc is None
            or int(staged[0].solver["checker_objective"]) < int(greedy_doc.solver["checker_objective"])
        ):
            greedy_doc, fallback_name = staged[0], "staged end state"
            options = replace(options, hint=staged[3])
            progress.report(int(greedy_doc.solver["checker_objective"]), None)
        else:
            staged = None
    # what writing and auditing the final plan costs, kept back from the search (the greedy audit measured it)
    reserve = min(0.1 * float(options.time_limit), 2.0 * audit_s + 0.05)
    # and what releasing a model that ran out of time costs before the fallback can answer (its Python objects:
    # ~1–2.7 µs a placement, measured at 70 and 150 townships — 3–8 s on a prefecture)
    release = RELEASE_S_PER_PLACEMENT * (len(candidates.pairs) if candidates is not None else 0)
    try:
        m = build(inst, options, deadline=deadline - reserve - release, candidates=candidates)
    except BuildOutOfTime:
        m = None
    if m is not None and staged is not None:
        from planner.solver.waves import wave_hint

        wave_hint(m, staged[1], staged[2])
    build_time = time.perf_counter() - t0
    if m is None:  # the limit ran out while building: the greedy plan (if valid) is the answer
        return _fallback(inst, greedy_doc, build_time, options, control, name=fallback_name)
    first = int(greedy_doc.solver["checker_objective"]) if greedy_doc is not None else None
    if first is not None and objective_floor(m, stop_below=first) >= first:
        # the first plan costs the least any plan can (no bonus to earn, no penalty paid): nothing to search
        return _fallback(
            inst, greedy_doc, build_time, options, control, builder=m, bound=first, name=fallback_name, why="floor"
        )
    solver = cp_model.CpSolver()
    prm = solver.parameters
    prm.max_time_in_seconds = max(0.0, left() - reserve)
    prm.num_workers = int(options.workers)
    prm.random_seed = int(options.seed)
    prm.log_search_progress = bool(options.log)
    # measured on synthetic 20-township counties: probing at presolve costs seconds and buys nothing here;
    # the stronger LP relaxation closes the last gap faster
    prm.cp_model_probing_level = 0
    prm.linearization_level = 2
    if options.explain:
        m.model.add_assumptions(list(m._guard_of.values()))
    if control is not None:
        control._solver = solver
        if control.cancelled:
            prm.max_time_in_seconds = 0.0
    t1 = time.perf_counter()
    fix = None
    if use_lp and not (control and control.cancelled) and left() - reserve > 0:
        from planner.solver.lpfix import reduce_model

        def attach(restricted: cp_model.CpSolver) -> None:
            if control is not None:
                control._solver = restricted
                if control.cancelled:
                    restricted.parameters.max_time_in_seconds = 0.0

        # budget (of what the build left): the LP at most 40%, the restricted search 30% of the whole limit
        # and never past the deadline (it usually proves its optimum in 1–2 s at 30 townships), the rest for
        # the main search
        def attach_lp(glop: Any) -> None:
            if control is not None:
                control._solver = glop
                if control.cancelled:
                    glop.set_time_limit_in_seconds(0.0)

        fix = reduce_model(
            m.model,
            attach_lp=attach_lp,
            restricted_time=0.3 * options.time_limit,
            lp_time=0.4 * options.time_limit,
            workers=prm.num_workers,
            seed=prm.random_seed,
            log=prm.log_search_progress,
            on_solution=progress.report,
            attach=attach,
            deadline=deadline - reserve,
        )
        if control is not None:
            control._solver = solver
        prm.max_time_in_seconds = max(0.0, left() - reserve)
        if fix.upper is not None:  # the model is fixed by reduced costs and hinted completely (see lpfix)
            from planner.solver.lpfix import light_presolve

            light_presolve(prm)
    cancelled = bool(control and control.cancelled)
    restricted_only = fix is not None and fix.solver is not None and (fix.proven or cancelled)
    if restricted_only:  # proven by the LP phase, or cancelled during it: its best plan is the answer
        assert fix is not None and fix.solver is not None  # what restricted_only says
        solver, code = fix.solver, (cp_model.OPTIMAL if fix.proven else cp_model.FEASIBLE)
        prm = solver.parameters
    else:
        if cancelled:
            prm.max_time_in_seconds = 0.0
        if greedy_doc is not None and prm.max_time_in_seconds <= LOAD_S_PER_VARIABLE * len(m.model.proto.variables):
            # not even the time CP-SAT takes to load the model before it looks at its limit (measured: 10 s for
            # the 2.0M variables of a 120-township county with 0.6 s left): the greedy plan stands
            code = cp_model.UNKNOWN
        else:
            if fix is not None and fix.lp_bound is not None:
                from planner.solver.lpfix import lp_bound_int

                progress.stop_at = lp_bound_int(fix)
            code = solver.solve(m.model, progress)
    wall = time.perf_counter() - t1
    status = STATUS.get(code)
    if status == "unknown" and greedy_doc is not None:  # no plan in the time left: the greedy plan stands
        return _fallback(
            inst, greedy_doc, build_time, options, control, fix=fix, wall=wall, builder=m, name=fallback_name
        )
    if status is None:  # MODEL_INVALID: a bug in an encoding, never the user's fault
        raise RuntimeError(f"CP-SAT rejected the model: {m.model.validate()}")
    stats = {
        "num_workers": prm.num_workers,
        "time_limit_s": float(options.time_limit),
        "random_seed": prm.random_seed,
        "variables": len(m.x),
        "pruned_pairs": m.pruned,
        "conflicts": solver.num_conflicts,
        "branches": solver.num_branches,
        "cancelled": cancelled or bool(control and control.cancelled),
        "solver": f"CP-SAT {cp_model.__name__}",
        **(fix.stats() if fix is not None else {}),
    }
    result = SolveResult(
        status=status,
        plan=None,
        objective=None,
        bound=None,
        gap=None,
        wall_time_s=wall,
        build_time_s=build_time,
        stats=stats,
        builder=m,
        solver=solver,
    )
    if status in ("optimal", "feasible"):
        objective = int(round(solver.objective_value))
        bound = int(round(solver.best_objective_bound))
        if restricted_only:  # the restricted search's own bound holds only for the restricted model
            from planner.solver.lpfix import lp_bound_int

            assert fix is not None  # restricted_only
            lb = lp_bound_int(fix)
            assert lb is not None  # the restricted search runs only after the LP is solved (reduce_model)
            bound = objective if fix.proven else lb
        elif fix is not None and fix.lp_bound is not None:  # the LP bound holds for the full model too
            from planner.solver.lpfix import lp_bound_int

            lb = lp_bound_int(fix)
            assert lb is not None  # fix.lp_bound is set
            bound = max(bound, lb)
            result.status = status = "optimal" if bound >= objective else status
        result.objective, result.bound = objective, bound
        if (
            status == "feasible"
            and greedy_doc is not None
            and greedy_doc.objective is not None
            and greedy_doc.objective < objective
        ):  # stopped early on a plan worse than the greedy one
            return _fallback(
                inst,
                greedy_doc,
                build_time,
                options,
                control,
                fix=fix,
                wall=wall,
                builder=m,
                bound=bound,
                solver=solver,
                name=fallback_name,
            )
        result.gap = 0.0 if status == "optimal" else abs(objective - bound) / max(1, abs(objective))
        result.breakdown = {
            rid: int(sum(coef * solver.value(expr) for coef, expr in items)) for rid, items in m.terms.items()
        }
        assignment = {post: next((c for c, v in m.vars_of_post(post) if solver.value(v)), None) for post in inst.posts}
        arrival = {(c, p): w for (c, p, w), v in m.y.items() if solver.value(v)}
        departure = {c: w for (c, w), d in m.dep.items() if not isinstance(d, int) and solver.value(d)}
        result.plan = plan_document(inst, assignment, result, arrival, departure)
    else:
        result.plan = plan_document(inst, None, result)
    return result


def objective_floor(m: Any, stop_below: int | None = None) -> int:
    """A lower bound on the objective of every plan of the model `m` (a `Builder`): each soft term is
    ``sign × weight × amount`` with an amount ≥ 0 in any plan (what the checker counts), so the penalties
    cost at least 0 and the bonuses earn at most their weight times their amount's largest value. A plan at
    the floor is optimal without a search: a policy with no bonus where every vacancy can be filled at no
    price (measured: 30–60 s of LP and CP-SAT proving such a 0 at 30 townships before). With `stop_below`
    the sum stops as soon as it is below that (a prefecture has ~10⁶ bonus terms; one or two settle it)."""
    floor = 0
    for items in m.terms.values():
        for coef, expr in items:
            if coef < 0:
                floor += coef * _largest(expr)
                if stop_below is not None and floor < stop_below:
                    return floor
    return floor


def _largest(expr: Any) -> int:
    """The largest value of a linear expression by its variables' domains (each at its upper end)."""
    if isinstance(expr, int):
        return expr
    flat = cp_model_helper.FlatIntExpr(expr)
    total = flat.offset
    for var, coef in zip(flat.vars, flat.coeffs):
        dom = var.proto.domain
        total += coef * (dom[len(dom) - 1] if coef > 0 else dom[0])  # (index −1 reads 0 on these protos)
    return int(total)


def _fallback(
    inst: Instance,
    greedy_doc: Plan | None,
    build_time: float,
    options: SolveOptions,
    control: SolveControl | None,
    *,
    fix: Any = None,
    wall: float = 0.0,
    builder: Any = None,
    bound: int | None = None,
    solver: cp_model.CpSolver | None = None,
    name: str = "greedy",
    why: str = "time limit",
) -> SolveResult:
    """The answer when the search found no plan (or a worse one) in the time: the audited greedy plan as a
    feasible plan, with the best bound known (the LP's, or the search's), or no plan at all. Also the answer,
    optimal, when that plan is at the objective's floor (`why="floor"`: no search was run)."""
    stats: dict[str, Any] = {
        "num_workers": int(options.workers),
        "time_limit_s": float(options.time_limit),
        "random_seed": int(options.seed),
        "variables": len(builder.x) if builder else None,
        "cancelled": bool(control and control.cancelled),
        "solver": f"{name} ({why})",
        "fallback": name,
        **(fix.stats() if fix is not None else {}),
    }
    if fix is not None and fix.lp_bound is not None:
        from planner.solver.lpfix import lp_bound_int

        lb = lp_bound_int(fix)
        assert lb is not None  # fix.lp_bound is set
        bound = lb if bound is None else max(bound, lb)
    if greedy_doc is None:
        result = SolveResult(
            status="unknown",
            plan=None,
            objective=None,
            bound=None,
            gap=None,
            wall_time_s=wall,
            build_time_s=build_time,
            stats=stats,
            builder=builder,
        )
        result.plan = plan_document(inst, None, result)
        return result
    assert greedy_doc.objective is not None  # _greedy_first keeps only a plan with the checker's objective
    objective = int(greedy_doc.objective)
    status = "optimal" if bound is not None and bound >= objective else "feasible"
    gap = None if bound is None else (0.0 if status == "optimal" else abs(objective - bound) / max(1, abs(objective)))
    result = SolveResult(
        status=status,
        plan=None,
        objective=objective,
        bound=bound,
        gap=gap,
        wall_time_s=wall,
        build_time_s=build_time,
        stats=stats,
        builder=builder,
        solver=solver,
    )
    plan = greedy_doc
    plan.status, plan.objective, plan.bound, plan.gap = status, objective, bound, gap  # type: ignore[assignment]
    plan.wall_time_s = round(wall, 3)
    plan.solver = {
        **stats,
        "build_time_s": round(build_time, 3),
        "checker_objective": greedy_doc.solver.get("checker_objective"),
        "checker_hard_violations": greedy_doc.solver.get("checker_hard_violations"),
    }
    result.plan = plan
    result.breakdown = dict(plan.breakdown or {})
    return result


def plan_document(
    inst: Instance,
    assignment: dict[str, str | None] | None,
    result: SolveResult,
    arrival: dict[tuple[str, str], int] | None = None,
    departure: dict[str, int] | None = None,
) -> Plan:
    """The plan document of FORMAT.md, its derived sections filled by the independent checker's reading.

    `arrival` gives the wave of each new placement and `departure` the wave each incumbent leaves today's post
    (both default to wave 1); releases and leavings are written as moves so the checker sees their wave.
    """
    arrival, departure = arrival or {}, departure or {}
    plan = Plan(
        format="reshuffle-plan/1",
        county=inst.doc.county.id,
        as_of=inst.as_of,
        status=result.status,  # type: ignore[arg-type]
        objective=result.objective,
        bound=result.bound,
        gap=result.gap,
        wall_time_s=round(result.wall_time_s, 3),
        assignments=[],
        solver={**result.stats, "build_time_s": round(result.build_time_s, 3)},
    )
    if assignment is None:
        return plan
    plan.assignments = [
        Assignment(post=p, cadre=c, wave=0 if c == inst.holder[p] else (arrival.get((c, p), 1) if c else 0))
        for p, c in assignment.items()
    ]
    placed = {c for c in assignment.values() if c is not None}
    plan.moves = [
        Move(
            cadre=c, from_=p, to=None, kind="leaving" if inst.cadres[c].leaving else "release", wave=departure.get(c, 1)
        )
        for p, c in inst.holder.items()
        if c is not None and c not in placed
    ]
    report = check_plan(inst, plan)
    annotate_plan(inst, plan, report)
    plan.solver["checker_objective"] = report.objective
    plan.solver["checker_hard_violations"] = len(report.hard_violations)
    return plan
