"""方案一 against 方案二, from the two plans' check reports: the posts whose holder differs, the structure
table's differences township by township, and the objective rule by rule.

One small module on purpose: it may later give way to a library function with the same answer.
"""

from __future__ import annotations

from dataclasses import dataclass

from planner.audit.check import CheckReport
from planner.domain import Instance, Plan

from .present import STRUCTURE_FIELDS, rule_label
from .titles import post_name


@dataclass
class PostDiff:
    post: str
    township: str
    post_name: str
    a: str  # holder's name in plan 1 ("" when vacant)
    b: str


@dataclass
class StructureDiff:
    township: str
    name: str
    field: str
    a: int
    b: int

    @property
    def delta(self) -> int:
        return self.b - self.a


@dataclass
class RuleDiff:
    rule: str
    name: str
    a: int
    b: int

    @property
    def delta(self) -> int:
        return self.b - self.a


@dataclass
class Comparison:
    posts: list[PostDiff]
    structure: list[StructureDiff]
    rules: list[RuleDiff]
    objective_a: int
    objective_b: int
    hard_a: int
    hard_b: int
    same_scenario: bool


def _name(inst_a: Instance, inst_b: Instance, cadre: str | None) -> str:
    if cadre is None:
        return ""
    c = inst_a.cadres.get(cadre) or inst_b.cadres.get(cadre)
    return c.name if c else cadre


def compare(
    inst_a: Instance,
    plan_a: Plan,
    report_a: CheckReport,
    inst_b: Instance,
    plan_b: Plan,
    report_b: CheckReport,
    lang: str = "zh",
) -> Comparison:
    """Plan 2 (`b`) against plan 1 (`a`); each audited under its own scenario (a what-if changes it)."""
    held_a = {x.post: x.cadre for x in plan_a.assignments}
    held_b = {x.post: x.cadre for x in plan_b.assignments}
    posts = [
        PostDiff(
            p,
            inst_a.posts[p].township,
            post_name(inst_a, p, lang),
            _name(inst_a, inst_b, held_a.get(p)),
            _name(inst_a, inst_b, held_b.get(p)),
        )
        for p in inst_a.posts
        if held_a.get(p) != held_b.get(p)
    ]
    rows_b = {r.township: r for r in report_b.townships}
    structure = []
    for ra in report_a.townships:
        rb = rows_b.get(ra.township)
        if rb is None:
            continue
        for f in STRUCTURE_FIELDS:
            if getattr(ra, f) != getattr(rb, f):
                structure.append(
                    StructureDiff(ra.township, inst_a.townships[ra.township].name, f, getattr(ra, f), getattr(rb, f))
                )
    rules = [
        RuleDiff(r, rule_label(r, lang), report_a.breakdown.get(r, 0), report_b.breakdown.get(r, 0))
        for r in dict.fromkeys([*report_a.breakdown, *report_b.breakdown])
    ]
    return Comparison(
        posts=posts,
        structure=structure,
        rules=rules,
        objective_a=report_a.objective,
        objective_b=report_b.objective,
        hard_a=len(report_a.hard_violations),
        hard_b=len(report_b.hard_violations),
        same_scenario=inst_a.doc == inst_b.doc,
    )
