"""Alternatives for the meeting: K good plans that differ materially in who leads the townships.

Plan 1 is the optimum. Plan i+1 is the best plan that differs from *each* of plans 1…i in at least `min_diff`
principal posts (党委书记, 乡镇长): a no-good cut per earlier plan over the principal placements,

    Σ_{principal posts p} [p keeps that plan's holder]  ≤  |principal posts| − min_diff,

added to the ordinary CP-SAT model (:func:`planner.solver.solve.solve` with an ``extend``), so every rule,
the LP phase and the checker's audit apply unchanged. Each cut only shrinks the feasible set, so proven
optima come out with non-decreasing objectives; when a solve stops at its time limit the plans are sorted by
objective at the end (any two of them still differ in ≥ `min_diff` principal posts, whatever the order).
Each plan carries ``alternative``: its rank, its objective gap to the best, the principal posts where it
differs from the best, and the per-rule objective delta.
"""

from __future__ import annotations

import time
from dataclasses import replace
from typing import Any

from planner.audit.check import check_plan
from planner.domain.documents import Plan
from planner.domain.load import Instance
from planner.domain.vocab import PRINCIPAL_ROLES
from planner.i18n import message, rule_name
from planner.solver.options import SolveOptions
from planner.solver.solve import solve

DEFAULT_MIN_DIFF = 2


def principal_posts(inst: Instance) -> list[str]:
    return [p for p, post in inst.posts.items() if post.role in PRINCIPAL_ROLES]


def _principals(inst: Instance, plan: Plan) -> dict[str, str | None]:
    final = check_plan(inst, plan).view.final
    return {p: final.get(p) for p in principal_posts(inst)}


def _cuts(earlier: list[dict[str, str | None]], min_diff: int):
    def extend(m) -> None:
        for assignment in earlier:
            same = []
            for post, cadre in assignment.items():
                if cadre is None:
                    same.append(1 - m.filled(post))
                else:
                    var = m.x.get((cadre, post))
                    if var is not None:
                        same.append(var)
            m.model.add(sum(same) <= len(assignment) - min_diff)

    return extend


def alternatives(
    inst: Instance, k: int = 3, *, min_diff: int = DEFAULT_MIN_DIFF, options: SolveOptions | None = None
) -> dict[str, Any]:
    """Up to `k` plans, best first, pairwise differing in ≥ `min_diff` principal posts (each audited).

    `options.time_limit` is per plan. Returns ``{"plans": [Plan …], "requested", "min_diff", "statuses",
    "wall_time_s"}``; fewer than `k` plans when no further plan exists (or none was found in time), the last
    status saying which.
    """
    t0 = time.perf_counter()
    options = options or SolveOptions()
    user_extend = options.extend
    plans: list[Plan] = []
    earlier: list[dict[str, str | None]] = []
    statuses: list[str] = []
    for _ in range(k):
        cut = _cuts(list(earlier), min_diff)

        def extend(m, cut=cut) -> None:
            if user_extend is not None:
                user_extend(m)
            cut(m)

        res = solve(inst, replace(options, extend=extend if earlier or user_extend else user_extend))
        statuses.append(res.status)
        if not res.found:
            break
        plans.append(res.document)
        earlier.append(_principals(inst, res.document))
    plans.sort(key=_objective)  # stable: proven optima are already in order
    _describe(inst, plans, k, min_diff)
    return {
        "plans": plans,
        "requested": k,
        "min_diff": min_diff,
        "statuses": statuses,
        "wall_time_s": round(time.perf_counter() - t0, 3),
    }


def _objective(plan: Plan) -> int:
    """A found plan's objective (solve sets it on every plan it finds)."""
    assert plan.objective is not None
    return plan.objective


def _describe(inst: Instance, plans: list[Plan], k: int, min_diff: int) -> None:
    if not plans:
        return
    best = plans[0]
    best_principals = _principals(inst, best)
    best_breakdown = best.breakdown
    for rank, plan in enumerate(plans, start=1):
        mine = _principals(inst, plan)
        differs = [
            {
                "post": p,
                "best": best_principals[p],
                "this": mine[p],
                "best_name": inst.name(best_principals[p]),
                "this_name": inst.name(mine[p]),
            }
            for p in best_principals
            if best_principals[p] != mine[p]
        ]
        deltas = []
        for rid in sorted(set(best_breakdown) | set(plan.breakdown)):
            d = plan.breakdown.get(rid, 0) - best_breakdown.get(rid, 0)
            if d:
                try:
                    zh, en = rule_name(rid)
                except KeyError:
                    zh = en = rid
                deltas.append({"rule": rid, "name_zh": zh, "name_en": en, "delta": d})
        gap = _objective(plan) - _objective(best)
        if rank == 1:
            zh, en = message("alt.best", k=len(plans), objective=plan.objective)
        else:
            zh, en = message("alt.title", rank=rank, k=len(plans), objective=plan.objective, gap=gap, n=len(differs))
        plan.alternative = {
            "rank": rank,
            "of": len(plans),
            "requested": k,
            "min_diff": min_diff,
            "objective": plan.objective,
            "gap_to_best": gap,
            "checker_hard_violations": plan.solver.get("checker_hard_violations"),
            "differs_from_best": differs,
            "breakdown_delta": deltas,
            "message_zh": zh,
            "message_en": en,
        }


__all__ = ["alternatives", "principal_posts", "DEFAULT_MIN_DIFF"]
