"""Two plans side by side: post by post, the structure tables (一乡一表), the objective by rule.

Plain Python from the checker's two reports (the plans may be drafted by hand: posts a plan does not list keep
today's holder, as the checker reads it). Comparing a plan with itself gives empty lists and ``same: true``.
"""

from __future__ import annotations

from planner.domain.documents import STRUCTURE_FIGURES

from typing import Any

from planner.audit.check import check_plan
from planner.domain.documents import Plan, TownshipRow
from planner.domain.load import Instance, load_plan
from planner.i18n import message

#: the structure-table figures compared, in the table's order
FIGURES = STRUCTURE_FIGURES


def _row_delta(a: TownshipRow, b: TownshipRow) -> dict[str, int]:
    return {f: getattr(b, f) - getattr(a, f) for f in FIGURES if getattr(b, f) != getattr(a, f)}


def compare(inst: Instance, plan_a: Plan | dict, plan_b: Plan | dict) -> dict[str, Any]:
    """``{"same", "posts": [{"post", "township", "a", "b", "a_name", "b_name", "label"}], "townships":
    [{"township", "name", "a", "b", "delta"}], "totals": {"a", "b", "delta"}, "objective": {"a", "b", "delta"},
    "hard_violations": {"a", "b"}, "rules": [{"rule", "name_zh", "name_en", "cost_a", "cost_b", "delta",
    "findings_a", "findings_b"}], "summary_zh", "summary_en"}``."""
    a, b = load_plan(plan_a, inst), load_plan(plan_b, inst)
    ra, rb = check_plan(inst, a), check_plan(inst, b)
    fa, fb = ra.view.final, rb.view.final
    posts = [
        {
            "post": p,
            "label": inst.post_label(p),
            "township": inst.township_of(p),
            "a": fa.get(p),
            "b": fb.get(p),
            "a_name": inst.name(fa.get(p)),
            "b_name": inst.name(fb.get(p)),
        }
        for p in inst.posts
        if fa.get(p) != fb.get(p)
    ]
    townships = []
    for row_a, row_b in zip(ra.townships, rb.townships):
        delta = _row_delta(row_a, row_b)
        if delta:
            townships.append(
                {
                    "township": row_a.township,
                    "name": row_a.name,
                    "a": row_a.model_dump(mode="json", exclude_none=True),
                    "b": row_b.model_dump(mode="json", exclude_none=True),
                    "delta": delta,
                }
            )
    rules = []
    for sa, sb in zip(ra.rules, rb.rules):
        if (sa.cost, sa.findings, sa.amount) != (sb.cost, sb.findings, sb.amount):
            rules.append(
                {
                    "rule": sa.rule,
                    "name_zh": sa.name_zh,
                    "name_en": sa.name_en,
                    "mode": sa.mode,
                    "cost_a": sa.cost,
                    "cost_b": sb.cost,
                    "delta": sb.cost - sa.cost,
                    "findings_a": sa.findings,
                    "findings_b": sb.findings,
                }
            )
    for extra in sorted((set(ra.breakdown) | set(rb.breakdown)) - {r.rule for r in ra.rules}):  # e.g. wave-delay
        ca, cb = ra.breakdown.get(extra, 0), rb.breakdown.get(extra, 0)
        if ca != cb:
            rules.append(
                {
                    "rule": extra,
                    "name_zh": extra,
                    "name_en": extra,
                    "mode": "soft",
                    "cost_a": ca,
                    "cost_b": cb,
                    "delta": cb - ca,
                    "findings_a": None,
                    "findings_b": None,
                }
            )
    totals = _row_delta(ra.totals, rb.totals)
    same = not posts and not townships and not rules and not totals and ra.objective == rb.objective
    if same:
        zh, en = message("compare.same")
    else:
        parts = [
            message("compare.posts", n=len(posts)),
            message("compare.objective", a=ra.objective, b=rb.objective, delta=rb.objective - ra.objective),
        ]
        if ra.hard_violations or rb.hard_violations:
            parts.append(message("compare.hard", a=len(ra.hard_violations), b=len(rb.hard_violations)))
        zh, en = "；".join(p[0] for p in parts), "; ".join(p[1] for p in parts)
    return {
        "same": same,
        "posts": posts,
        "townships": townships,
        "totals": {
            "a": ra.totals.model_dump(mode="json", exclude_none=True),
            "b": rb.totals.model_dump(mode="json", exclude_none=True),
            "delta": totals,
        },
        "objective": {"a": ra.objective, "b": rb.objective, "delta": rb.objective - ra.objective},
        "hard_violations": {"a": len(ra.hard_violations), "b": len(rb.hard_violations)},
        "rules": rules,
        "summary_zh": zh,
        "summary_en": en,
    }


__all__ = ["compare", "FIGURES"]
