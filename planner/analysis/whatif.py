"""What-if: a delta (``reshuffle-delta/1``) applied to a scenario, re-planned with the least disruption.

Two parts:

- :func:`apply_delta` turns (scenario, delta) into a new scenario: pins, unpins, forbids, leaving, removed and
  added cadres (references to a removed cadre — relatives, pins, forbids, approvals — are dropped; a post a
  removed cadre holds today is vacant today), approvals, policy overrides merged per rule, waves. Every bad
  reference is a located :class:`~planner.errors.InputError` on the *delta* document.
- :func:`whatif` re-plans against a base plan and attaches a ``diff`` to the answer.

Least disruption, lexicographically: first the fewest posts whose holder differs from the base plan, then
the usual objective among the plans with that few changes. It is solved in *neighbourhoods*, smallest first,
because a what-if usually touches a handful of posts while the full model of a 30-township county takes
seconds to build (≈ 70 000 placement variables):

1. ``frozen`` — only the *forced* posts may change: posts whose base holder may no longer hold them (leaving,
   removed, forbidden, ineligible under the new policy) and the posts a new pin takes or empties. Everyone
   else keeps the base plan. The forced posts change in *every* plan, so when this model is feasible its
   disruption (= the number of forced posts) is the proven minimum; and since no other post may change, its
   objective optimum is the exact lexicographic optimum — status ``optimal`` when CP-SAT proves it.
2. ``teams`` — also every post of the townships involved (forced posts, pins, the base plan's hard
   violations under the new scenario).
3. ``chain`` — also the posts of everyone who could fill one of those (one step of a vacancy chain); skipped
   when that is most of the county.
4. ``full`` — the whole county.

Levels 2–4 are one solve each of ``W · changes + objective`` with W larger than the whole range of the
objective (Σ |coef| · (ub − lb) over its terms), which is exactly lexicographic; it was measured ~7× faster
than "minimise changes, fix them, minimise the objective" on a 30-township policy change, because the LP
reduced-cost fixing of :func:`planner.solve.solve` bites on the weighted sum. A neighbourhood is imposed by
forbidding, in a copy of the instance, every placement outside it (:func:`restricted`), so the candidate
enumeration and every rule encoding stay those of :mod:`planner.solve`. The disruption found at levels 2–4
is proven minimal when it is one more than the forced count (level 1 having been proven infeasible) or when
the full model proves it optimal (``diff.disruption_proven``); a plan that is optimal only inside a
neighbourhood is reported ``feasible``.

Measured (``python -m benchmarks.whatif``, 30 townships, 294 posts, 487 cadres, 2 cores): the five typical
deltas (leaving, removal, forbid, pin) are all answered at level 1, proven, in 0.19–0.33 s median; a
county-quota policy change goes to level 4 and takes ~7–10 s, mostly building the full model.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace
from typing import Any

from ortools.sat.python import cp_model

from planner.analysis.eligible import exclusions
from planner.audit.check import CheckReport, check_plan
from planner.domain.documents import Delta, Plan, Scenario
from planner.domain.load import Instance, load_plan, load_scenario
from planner.domain.errors import InputError, Problem
from planner.i18n import message
from planner.solver.options import SolveOptions, SolveResult
from planner.solver.solve import solve
from planner.analysis.delta import Applied, DISRUPTION, delta_applied

# ------------------------------------------------------------------------------------------- the diff


def _assignment(plan: Plan) -> dict[str, str | None]:
    return {a.post: a.cadre for a in plan.assignments}


def _vkey(v) -> tuple:
    return (v.rule, v.hard, v.message_en)


def plan_diff(
    base_inst: Instance, base_plan: Plan, new_inst: Instance, new_plan: Plan, base_report: CheckReport | None = None
) -> dict[str, Any]:
    """``diff`` of FORMAT.md: what changed from `base_plan` (audited under `base_inst`) to `new_plan`.

    Violations are matched by (rule, hard, message): a finding whose amount or people change is one removed
    and one added.
    """
    before, after = _assignment(base_plan), _assignment(new_plan)
    changed = [
        {"post": p, "before": before.get(p), "after": after.get(p)}
        for p in new_inst.posts
        if before.get(p) != after.get(p)
    ]
    post_before = {c: p for p, c in before.items() if c is not None}
    post_after = {c: p for p, c in after.items() if c is not None}
    moved = [
        {"cadre": c, "before": post_before.get(c), "after": post_after.get(c)}
        for c in dict.fromkeys(list(post_before) + list(post_after))
        if post_before.get(c) != post_after.get(c)
    ]
    base_report = base_report or check_plan(base_inst, base_plan)
    old = {_vkey(v): v for v in base_report.violations}
    new = {_vkey(v): v for v in new_plan.violations}
    return {
        "changed_posts": changed,
        "moved_cadres": moved,
        "disruption": len(changed),
        "objective_before": base_report.objective,
        "objective_after": new_plan.objective,
        "violations_added": [v.model_dump(mode="json") for k, v in new.items() if k not in old],
        "violations_removed": [v.model_dump(mode="json") for k, v in old.items() if k not in new],
    }


# ---------------------------------------------------------------------------------------- neighbourhoods


class _Fence(frozenset[tuple[str, str]]):
    """The user's forbids, plus every placement outside a neighbourhood (membership only).

    Iterating it, or its length, gives the user's forbids alone; ``(cadre, post) in fence`` is also true when the
    placement lies outside the neighbourhood — the only question the candidate enumeration asks. This keeps a
    restricted copy of a 30-township county O(1) to make instead of a set of ~10⁵ pairs.
    """

    free_posts: frozenset[str]
    free_cadres: frozenset[str]
    base_post: dict[str, str]

    def __new__(cls, forbids, free_posts, free_cadres, base_post):
        fence = super().__new__(cls, forbids)
        fence.free_posts, fence.free_cadres, fence.base_post = free_posts, free_cadres, base_post
        return fence

    def __contains__(self, pair) -> bool:
        if frozenset.__contains__(self, pair):
            return True
        cadre, post = pair
        if cadre in self.free_cadres:
            return post not in self.free_posts
        return self.base_post.get(cadre) != post


def restricted(inst: Instance, free_posts: set[str], free_cadres: set[str], base: dict[str, str | None]) -> Instance:
    """A copy of `inst` whose only possible placements are free cadre → free post, and base holder → base post.

    Implemented as forbids of the copy (pins stay forced), so the solver's own candidate enumeration and rule
    encodings apply unchanged inside the neighbourhood.
    """
    base_post = {c: p for p, c in base.items() if c is not None}
    return replace(inst, forbids=_Fence(inst.forbids, frozenset(free_posts), frozenset(free_cadres), base_post))


def change_indicators(m, base: dict[str, str | None]) -> list[Any]:
    """One 0/1 expression per post: 1 when the post's holder differs from `base`."""
    out = []
    for post in m.inst.posts:
        b = base.get(post)
        var = m.x.get((b, post)) if b is not None else None
        if b is None:
            out.append(m.filled(post))
        elif var is None:
            out.append(1)
        else:
            out.append(1 - var)
    return out


def forced_posts(inst: Instance, base: dict[str, str | None]) -> set[str]:
    """Posts that change in every plan of `inst` relative to `base` (so their number bounds the disruption).

    A post is forced when its base holder no longer exists or may not hold it in any wave (leaving, a forbid,
    a hard placement rule under the new policy), and when a pin puts someone else in it or takes its base
    holder elsewhere.
    """
    forced: set[str] = set()
    for post, b in base.items():
        if b is not None and (b not in inst.cadres or all(exclusions(inst, b, post, d) for d in inst.wave_dates)):
            forced.add(post)
    base_post = {c: p for p, c in base.items() if c is not None}
    for c, p in inst.pins:
        if base.get(p) != c:
            forced.add(p)
            if base_post.get(c) not in (None, p):
                forced.add(base_post[c])
    return forced


# -------------------------------------------------------------------------------------------- what-if


@dataclass
class _Level:
    name: str
    free_posts: set[str] | None  # None: the whole county


def _wider_levels(inst: Instance, base: dict[str, str | None], forced: set[str], broken) -> list[_Level]:
    """The neighbourhoods after `frozen`: the teams involved, one chain step further, the whole county."""
    base_post = {c: p for p, c in base.items() if c is not None}
    townships = {inst.township_of(p) for p in forced} | {inst.township_of(p) for _, p in inst.pins}
    for v in broken:  # the base plan's hard violations under the new scenario (county rules name no team)
        townships |= {t for t in v.townships if t in inst.townships}
        townships |= {inst.township_of(p) for p in v.posts if p in inst.posts}
    teams = set(forced) | {p for t in townships for p in inst.posts_of[t]}
    levels = []
    if teams != forced:
        levels.append(_Level("teams", teams))
    chain = set(teams)  # one step of a vacancy chain: the posts of everyone who could fill a post of `teams`
    for cid, here in base_post.items():
        if here in chain or cid not in inst.cadres or inst.cadres[cid].leaving:
            continue
        if any(not exclusions(inst, cid, p, d) for p in teams for d in inst.wave_dates):
            chain.add(here)
    if chain != teams and 2 * len(chain) <= len(inst.posts):  # else hardly smaller than the county
        levels.append(_Level("chain", chain))
    levels.append(_Level("full", None))
    return levels


def _present(inst: Instance, base: dict[str, str | None]) -> dict[str, str | None]:
    """`base` without the cadres that no longer exist (their posts are vacant)."""
    return {p: (c if c in inst.cadres else None) for p, c in base.items()}


def _free_cadres(inst: Instance, base: dict[str, str | None], free_posts: set[str]) -> set[str]:
    """Who may move inside a neighbourhood: the pool (nobody's holder in the base plan) and the free posts' holders."""
    holders = {c for c in base.values() if c is not None}
    pool = {c for c, cad in inst.cadres.items() if c not in holders and not cad.leaving}
    return pool | {c for p in free_posts if (c := base.get(p)) is not None}


def whatif(
    inst_or_scenario: Instance | Scenario | dict,
    base_plan: Plan | dict | None,
    delta: Delta | dict,
    options: SolveOptions | None = None,
    *,
    keep_base: bool = True,
    scope: str = "auto",
) -> SolveResult:
    """Re-plan `inst_or_scenario` changed by `delta`, keeping as much of `base_plan` as the delta allows.

    - `base_plan` None: the base scenario is solved first (half the time limit) and its plan is the base.
    - `keep_base` False: plain re-optimisation of the new scenario (warm-started from the base), diffed.
    - `scope` ``"full"`` skips the neighbourhoods and solves the whole county in two phases.
    - `options.time_limit` is the solver budget of the whole what-if (default here 10 s); model building
      comes on top (≈ 3 s for a full 30-township county, ≈ 0.1 s for a neighbourhood).

    The plan carries ``diff`` (:func:`plan_diff`) plus ``disruption_proven`` (no plan changes fewer posts),
    ``level`` (the neighbourhood that answered), ``forced_posts`` and ``notes`` (pins or forbids the delta
    overrode). ``result.stats["whatif"]`` lists each step with its status and time. Bad deltas raise a located
    :class:`InputError`; an impossible what-if is a status (``infeasible``/``unknown``), not an exception.
    """
    t0 = time.perf_counter()
    options = replace(options or SolveOptions(time_limit=10.0), progress=None)
    deadline = t0 + options.time_limit
    base_inst = inst_or_scenario if isinstance(inst_or_scenario, Instance) else load_scenario(inst_or_scenario)
    applied = delta_applied(base_inst.doc, delta)
    inst = applied.inst
    if base_plan is None:
        base_result = solve(base_inst, replace(options, time_limit=options.time_limit / 2))
        if not base_result.found:
            zh, en = message("whatif.no_base", status=base_result.status)
            raise InputError("plan", [Problem("base", en, zh)])
        base_doc = base_result.document
    else:
        base_doc = load_plan(base_plan, base_inst)
    base_report = check_plan(base_inst, base_doc)
    info: dict[str, Any] = {"mode": "least-disruption" if keep_base else "reoptimise", "steps": []}
    if not keep_base:
        hint = _present(inst, _assignment(base_doc))  # removed cadres vacate
        result = solve(inst, replace(options, hint=hint, time_limit=max(0.2, deadline - time.perf_counter())))
        _step(info["steps"], "full", "objective", result)
        return _finish(result, base_inst, base_doc, base_report, inst, applied, info, proven=False, level=None, t0=t0)

    result, found = least_disruption(inst, base_doc, options, deadline=deadline, scope=scope)
    info.update(found)
    return _finish(
        result,
        base_inst,
        base_doc,
        base_report,
        inst,
        applied,
        info,
        proven=found["proven"],
        level=found["level"],
        t0=t0,
    )


LEVELS = ("frozen", "teams", "chain", "full")


def least_disruption(
    inst: Instance,
    base_doc: Plan,
    options: SolveOptions,
    *,
    forced: set[str] | None = None,
    scope: str = "auto",
    max_level: str = "full",
    deadline: float | None = None,
) -> tuple[SolveResult, dict[str, Any]]:
    """The plan of `inst` closest to `base_doc` (fewest changed posts, then the best objective).

    The engine of :func:`whatif`, also used by :mod:`planner.recommend`: `forced` adds posts known to change
    (to :func:`forced_posts`); `options.extend` adds constraints (e.g. a pin); `max_level` stops the widening
    early (``"frozen"``, ``"teams"``, ``"chain"`` or ``"full"``). Returns the result and ``{"level",
    "proven", "forced_posts", "steps"}`` (`level` None when no plan was found).
    """
    deadline = deadline or time.perf_counter() + options.time_limit
    left = lambda: max(0.2, deadline - time.perf_counter())  # noqa: E731
    before = _assignment(base_doc)  # may name cadres no longer in `inst`: their posts change in every plan
    base = _present(inst, before)
    forced = forced_posts(inst, before) | set(forced or ())
    steps: list[dict[str, Any]] = []
    info: dict[str, Any] = {"level": None, "proven": False, "forced_posts": sorted(forced), "steps": steps}
    allowed = LEVELS[: LEVELS.index(max_level) + 1]
    frozen_infeasible = False
    res: SolveResult | None = None
    if scope == "auto":
        res = _solve_frozen(inst, before, forced, options, min(left(), max(1.0, options.time_limit / 4)))
        _step(steps, "frozen", "objective", res)
        if res.found:
            info.update(level="frozen", proven=True)
            return res, info
        frozen_infeasible = res.status == "infeasible"
        if max_level == "frozen":
            return res, info
        probe = base_doc.model_copy(
            update={
                "assignments": [
                    a.model_copy(update={"cadre": None if a.post in forced else base.get(a.post)})
                    for a in base_doc.assignments
                ]
            }
        )
        levels = [
            lv
            for lv in _wider_levels(inst, before, forced, check_plan(inst, probe).hard_violations)
            if lv.name in allowed
        ]
    else:
        levels = [_Level("full", None)]
    for k, level in enumerate(levels):
        last = k == len(levels) - 1
        res, d = _solve_lex(inst, before, level, options, left() if last else max(0.5, left() / 3))
        _step(steps, level.name, "lexicographic", res, disruption=d)
        if res.found:
            proven = (res.stats.get("lex_optimal", False) and level.free_posts is None) or (
                frozen_infeasible and d == len(forced) + 1
            )
            info.update(level=level.name, proven=proven)
            return res, info
    assert res is not None  # the frozen step ran, or `levels` holds "full"
    return res, info  # no plan: the county has none (infeasible), or none was found in time (unknown)


def _step(steps: list[dict[str, Any]], level: str, phase: str, res: SolveResult, **more: Any) -> None:
    steps.append(
        {
            "level": level,
            "phase": phase,
            "status": res.status,
            "objective": res.objective,
            "variables": res.stats.get("variables"),
            "wall_s": round(res.wall_time_s + res.build_time_s, 3),
            **more,
        }
    )


def _solve_frozen(
    inst: Instance, base: dict[str, str | None], forced: set[str], options: SolveOptions, limit: float
) -> SolveResult:
    """Only the forced posts may change; everyone else keeps the base plan. Minimises the usual objective."""
    hint = _present(inst, base)
    sub = restricted(inst, forced, _free_cadres(inst, hint, forced), hint)
    user_extend = options.extend

    def keep(m) -> None:
        for post, b in base.items():
            if post in forced:
                continue
            var = m.x.get((b, post)) if b is not None else None
            if b is None:
                for _, v in m.vars_of_post(post):
                    m.model.add(v == 0)
            elif var is None:
                m.model.add_bool_or([])  # cannot happen: such a post is forced
            else:
                m.model.add(var == 1)
        if user_extend is not None:
            user_extend(m)

    return solve(sub, replace(options, hint=hint, time_limit=limit, extend=keep))


def objective_range(m) -> int:
    """An upper bound on (max − min) of the builder's objective over all assignments: Σ |coef| · (ub − lb)."""
    total = 0
    for items in m.terms.values():
        for coef, expr in items:
            if isinstance(expr, int):
                continue
            flat = cp_model.FlatIntExpr(expr)
            for var, c in zip(flat.vars, flat.coeffs):
                dom = list(var.proto.domain)
                total += abs(coef * c) * (dom[-1] - dom[0])
    return total


def _solve_lex(
    inst: Instance, base: dict[str, str | None], level: _Level, options: SolveOptions, limit: float
) -> tuple[SolveResult, int | None]:
    """Fewest changed posts first, then the usual objective, in one solve: minimise W · changes + objective.

    W exceeds the whole range of the usual objective (:func:`objective_range`), so one change more can never
    pay for itself: the weighting is exactly lexicographic. (Measured on a 30-township county: one weighted
    solve proves optimality in ~2 s where "minimise changes, fix, then minimise the objective" needs ~15 s
    for its first phase alone — the LP reduced-cost fixing of :mod:`planner.solve` bites on the weighted sum.)
    Returns the result with the usual objective restored, and the number of changed posts.
    """
    hint = _present(inst, base)
    sub = (
        inst
        if level.free_posts is None
        else restricted(inst, level.free_posts, _free_cadres(inst, hint, level.free_posts), hint)
    )
    user_extend = options.extend

    def lexicographic(m) -> None:
        if user_extend is not None:
            user_extend(m)
        weight = objective_range(m) + 1
        for expr in change_indicators(m, base):
            m.add_term(DISRUPTION, weight, expr)

    res = solve(sub, replace(options, hint=hint, time_limit=limit, extend=lexicographic))
    if not res.found:
        return res, None
    plan = res.document
    d = sum(1 for a in plan.assignments if base.get(a.post) != a.cadre)
    usual = plan.solver["checker_objective"]
    res.breakdown.pop(DISRUPTION, None)
    res.objective = plan.objective = usual
    exact = res.status == "optimal" and level.free_posts is None
    res.stats["lex_optimal"] = res.status == "optimal"
    res.bound = plan.bound = usual if exact else None
    res.gap = plan.gap = 0.0 if exact else None
    if not exact:
        res.status = plan.status = "feasible"  # optimal inside the neighbourhood only, or not proven
    return res, d


def _finish(
    result: SolveResult,
    base_inst: Instance,
    base_doc: Plan,
    base_report: CheckReport,
    inst: Instance,
    applied: Applied,
    info: dict[str, Any],
    *,
    proven: bool,
    level: str | None,
    t0: float,
) -> SolveResult:
    plan = result.document
    if result.found:
        plan.diff = plan_diff(base_inst, base_doc, inst, plan, base_report)
    else:
        plan.diff = {
            "changed_posts": [],
            "moved_cadres": [],
            "disruption": None,
            "objective_before": base_report.objective,
            "objective_after": None,
            "violations_added": [],
            "violations_removed": [],
        }
    plan.diff.update(
        {
            "disruption_proven": proven and result.found,
            "level": level,
            "forced_posts": info.get("forced_posts"),
            "notes": applied.notes,
        }
    )
    info.pop("proven", None)
    info.pop("level", None)
    info["total_s"] = round(time.perf_counter() - t0, 3)
    result.stats["whatif"] = info
    plan.solver["whatif"] = info
    result.wall_time_s = info["total_s"]
    plan.wall_time_s = info["total_s"]
    return result


__all__ = [
    "whatif",
    "least_disruption",
    "plan_diff",
    "forced_posts",
    "restricted",
    "change_indicators",
    "Applied",
    "LEVELS",
]
