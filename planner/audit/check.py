"""The independent auditor: every rule's plain-Python check on any plan, hand-made ones included.

This module must never import ortools (a test enforces it). It is the product's verdict and the tests' oracle.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from planner.domain.documents import Plan, TownshipRow, Violation
from planner.domain.load import Instance
from planner.domain.planview import PlanView
from planner.i18n import message
from planner.rules import REGISTRY
from planner.audit.tables import derive_moves, structure_table, timeline, vacancy_chains

#: With several waves, each move costs this much per wave of delay ("fewer waves and earlier moves are
#: preferred"); reported in the breakdown under this key. Not a catalogue rule: a planning preference.
WAVE_DELAY = "wave-delay"
WAVE_DELAY_WEIGHT = 1

#: plan statuses under which a document records no plan to audit (FORMAT.md: `assignments` may be empty)
NO_PLAN = ("infeasible", "unknown")


def wave_delay(view: PlanView) -> int:
    """Σ over cadres who move of (wave of the move − 1): arrival wave, or departure wave for releases/leavings."""
    waves: dict[str, int] = {}
    for a in view.arrivals:
        waves.setdefault(a.cadre, a.wave)
    for d in view.departures:
        waves.setdefault(d.cadre, d.wave)
    return WAVE_DELAY_WEIGHT * sum(w - 1 for w in waves.values())


@dataclass
class RuleSummary:
    rule: str
    name_zh: str
    name_en: str
    mode: str
    weight: int
    findings: int
    amount: int
    cost: int


@dataclass
class CheckReport:
    violations: list[Violation]  # penalties (hard and soft)
    bonuses: list[Violation]  # rewards of the bonus rules
    rules: list[RuleSummary]
    townships: list[TownshipRow]
    totals: TownshipRow
    objective: int
    breakdown: dict[str, int]
    view: PlanView = field(repr=False)
    #: the document's status when it records no plan (`infeasible`, `unknown`): nothing was audited
    no_plan: str | None = None

    @property
    def hard_violations(self) -> list[Violation]:
        return [v for v in self.violations if v.hard]

    @property
    def ok(self) -> bool:
        return not self.hard_violations and self.no_plan is None

    def verdict(self) -> tuple[str, str]:
        if self.no_plan is not None:
            szh, sen = message(f"status.{self.no_plan}")
            return message("verdict.no_plan", status=szh, status_en=sen)
        broken = sorted({v.rule for v in self.hard_violations})
        return message("verdict.ok") if not broken else message("verdict.broken", n=len(broken))

    def as_dict(self) -> dict[str, Any]:
        zh, en = self.verdict()
        return {
            "ok": self.ok,
            "verdict_zh": zh,
            "verdict_en": en,
            "hard_violations": len(self.hard_violations),
            "objective": self.objective,
            "breakdown": self.breakdown,
            "rules": [vars(r) for r in self.rules],
            "violations": [v.model_dump(mode="json") for v in self.violations],
            "bonuses": [v.model_dump(mode="json") for v in self.bonuses],
            "townships": [r.model_dump(mode="json", exclude_none=True) for r in self.townships],
            "totals": self.totals.model_dump(mode="json", exclude_none=True),
        }


def check_plan(inst: Instance, plan: Plan) -> CheckReport:
    """Audit `plan` (already validated against `inst` by :func:`planner.load_plan`) under the scenario's policy.

    A document whose status says it records no plan (`infeasible`: none exists; `unknown`: none was found in
    time) is not audited as if it were one — its empty assignments would read as "everyone stays": the report
    says so (`no_plan`, not ok, no findings), and `planner check` exits 1.
    """
    view = PlanView.from_plan(inst, plan)
    if plan.status in NO_PLAN:
        rows, totals = structure_table(inst, view.states[-1])
        summaries: list[RuleSummary] = [
            RuleSummary(rid, rule.name_zh, rule.name_en, inst.policy[rid].mode, inst.policy[rid].weight, 0, 0, 0)
            for rid, rule in REGISTRY.items()
        ]
        return CheckReport(
            violations=[],
            bonuses=[],
            rules=summaries,
            townships=rows,
            totals=totals,
            objective=0,
            breakdown={},
            view=view,
            no_plan=plan.status,
        )
    violations: list[Violation] = []
    bonuses: list[Violation] = []
    summaries = []
    breakdown: dict[str, int] = {}
    for rid, rule in REGISTRY.items():
        cfg = inst.policy[rid]
        found: list[Violation] = rule.check(view, cfg) if cfg.on else []
        cost = sum(v.cost for v in found)
        if cfg.soft:
            breakdown[rid] = cost
        (bonuses if rule.bonus else violations).extend(found)
        summaries.append(
            RuleSummary(
                rid, rule.name_zh, rule.name_en, cfg.mode, cfg.weight, len(found), sum(v.amount for v in found), cost
            )
        )
    if inst.waves > 1:
        breakdown[WAVE_DELAY] = wave_delay(view)
    rows, totals = structure_table(inst, view.states[-1])
    return CheckReport(
        violations=violations,
        bonuses=bonuses,
        rules=summaries,
        townships=rows,
        totals=totals,
        objective=sum(breakdown.values()),
        breakdown=breakdown,
        view=view,
    )


def annotate_plan(inst: Instance, plan: Plan, report: CheckReport | None = None) -> Plan:
    """Fill a plan's derived sections (moves, chains, violations, structure table) from the checker's reading."""
    report = report or check_plan(inst, plan)
    view = report.view
    plan.moves = derive_moves(view)
    plan.chains = vacancy_chains(view)
    plan.violations = report.violations
    plan.bonuses = report.bonuses
    plan.townships = report.townships
    plan.totals = report.totals
    plan.breakdown = report.breakdown
    plan.timeline = timeline(view, plan.moves) if inst.waves > 1 else []
    return plan
