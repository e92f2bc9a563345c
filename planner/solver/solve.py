"""solve(): build the model, run the LP phase and CP-SAT, and return an audited SolveResult."""


from __future__ import annotations

import time
from dataclasses import replace

from ortools.sat.python import cp_model

from planner.audit.check import annotate_plan, check_plan
from planner.domain.documents import Assignment, Move, Plan
from planner.domain.load import Instance
from planner.solver.options import STATUS, SolveControl, SolveOptions, SolveResult
from planner.solver.builder import build, set_hint

class _Progress(cp_model.CpSolverSolutionCallback):
    def __init__(self, options: SolveOptions, control: SolveControl | None, start: float):
        super().__init__()
        self.options, self.control, self.start, self.count = options, control, start, 0

    def on_solution_callback(self) -> None:
        self.report(int(round(self.objective_value)), int(round(self.best_objective_bound)))

    def report(self, objective: int, bound: int | None = None) -> None:
        """One improving plan: from the CP-SAT search, or from the LP phase's restricted search (whose own
        bound holds only for the restricted model: the LP bound is reported with it instead)."""
        self.count += 1
        info = {"objective": objective, "bound": bound,
                "wall_time_s": round(time.perf_counter() - self.start, 3), "solutions": self.count}
        if self.control is not None:
            self.control.progress = info
        if self.options.progress is not None:
            self.options.progress(info)


def solve(inst: Instance, options: SolveOptions | None = None, control: SolveControl | None = None) -> SolveResult:
    """Find the best plan for `inst` under its policy. Never raises for infeasibility (see `status`)."""
    options = options or SolveOptions()
    t0 = time.perf_counter()
    use_lp = options.lp_fix and not options.explain and options.fixed is None
    want_greedy = options.hint is None and options.greedy_hint and options.fixed is None
    # with the LP phase the greedy plan is needed only when the restricted search finds no plan (its plan
    # replaces any hint): it is then computed late, saving 0.5–1 s at 30 townships and 13 s at 150
    if want_greedy and not use_lp:
        from planner.solver.greedy import greedy_plan

        options = replace(options, hint=greedy_plan(inst))
    m = build(inst, options)
    build_time = time.perf_counter() - t0
    solver = cp_model.CpSolver()
    prm = solver.parameters
    prm.max_time_in_seconds = float(options.time_limit)
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
    progress = _Progress(options, control, t1)
    if use_lp and not (control and control.cancelled):
        from planner.solver.lpfix import reduce_model

        def attach(restricted: cp_model.CpSolver) -> None:
            if control is not None:
                control._solver = restricted
                if control.cancelled:
                    restricted.parameters.max_time_in_seconds = 0.0

        # budget: the LP at most 40% of the limit, the restricted search 30% (it usually proves its optimum in
        # 1–2 s at 30 townships), the rest for the main search
        fix = reduce_model(m.model, restricted_time=0.3 * options.time_limit, lp_time=0.4 * options.time_limit,
                           workers=prm.num_workers, seed=prm.random_seed, log=prm.log_search_progress,
                           on_solution=progress.report, attach=attach)
        if control is not None:
            control._solver = solver
        prm.max_time_in_seconds = max(0.1, float(options.time_limit) - (time.perf_counter() - t1))
        if fix.upper is None and want_greedy:
            from planner.solver.greedy import greedy_plan

            set_hint(m, greedy_plan(inst))
    cancelled = bool(control and control.cancelled)
    restricted_only = fix is not None and fix.solver is not None and (fix.proven or cancelled)
    if restricted_only:  # proven by the LP phase, or cancelled during it: its best plan is the answer
        solver, code = fix.solver, (cp_model.OPTIMAL if fix.proven else cp_model.FEASIBLE)
        prm = solver.parameters
    else:
        if cancelled:
            prm.max_time_in_seconds = 0.0
        code = solver.solve(m.model, progress)
    wall = time.perf_counter() - t1
    status = STATUS.get(code)
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
    result = SolveResult(status=status, plan=None, objective=None, bound=None, gap=None, wall_time_s=wall,
                         build_time_s=build_time, stats=stats, builder=m, solver=solver)
    if status in ("optimal", "feasible"):
        objective = int(round(solver.objective_value))
        bound = int(round(solver.best_objective_bound))
        if restricted_only:  # the restricted search's own bound holds only for the restricted model
            from planner.solver.lpfix import lp_bound_int

            bound = objective if fix.proven else lp_bound_int(fix)
        elif fix is not None and fix.lp_bound is not None:  # the LP bound holds for the full model too
            from planner.solver.lpfix import lp_bound_int

            bound = max(bound, lp_bound_int(fix))
            result.status = status = "optimal" if bound >= objective else status
        result.objective, result.bound = objective, bound
        result.gap = 0.0 if status == "optimal" else abs(objective - bound) / max(1, abs(objective))
        result.breakdown = {rid: int(sum(coef * solver.value(expr) for coef, expr in items))
                            for rid, items in m.terms.items()}
        assignment = {post: next((c for c, v in m.vars_of_post(post) if solver.value(v)), None)
                      for post in inst.posts}
        arrival = {(c, p): w for (c, p, w), v in m.y.items() if solver.value(v)}
        departure = {c: w for (c, w), d in m.dep.items() if not isinstance(d, int) and solver.value(d)}
        result.plan = plan_document(inst, assignment, result, arrival, departure)
    else:
        result.plan = plan_document(inst, None, result)
    return result


def plan_document(inst: Instance, assignment: dict[str, str | None] | None, result: SolveResult,
                  arrival: dict[tuple[str, str], int] | None = None, departure: dict[str, int] | None = None) -> Plan:
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
        Move(cadre=c, from_=p, to=None, kind="leaving" if inst.cadres[c].leaving else "release",
             wave=departure.get(c, 1))
        for p, c in inst.holder.items()
        if c is not None and c not in placed
    ]
    report = check_plan(inst, plan)
    annotate_plan(inst, plan, report)
    plan.solver["checker_objective"] = report.objective
    plan.solver["checker_hard_violations"] = len(report.hard_violations)
    return plan
