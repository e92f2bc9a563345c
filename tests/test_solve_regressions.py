"""Disagreements between the CP-SAT model and the independent checker found by the agreement tests, each
pinned down on the smallest county that shows it."""

from __future__ import annotations

import pytest

from planner.solve import SolveOptions, solve
from tests.helpers import make_cadre, make_post, make_scenario, only, staffed
from tests.solve_audit import TINY, assert_agree, audit, check_final
from tests.solve_strategies import load, team


@pytest.mark.parametrize("rule", ["talent-priority", "excellence", "fit"])
def test_a_bonus_rule_made_hard_neither_forbids_nor_rewards(rule):
    """A hard bonus rule used to prune every placement that earns the bonus (x = 0), so a plan the checker
    accepts was infeasible in the model. A bonus cannot be broken: in hard mode it scores nothing."""
    doc = team({rule: {"mode": "hard"}}, {"needs": ["agriculture"]},
               P={"fulltime_master": True, "specialties": ["agriculture"],
                  "assessments": {"2023": "excellent", "2024": "excellent", "2025": "excellent"}})
    inst = load(doc)
    plan = {**inst.holder, "T1-HEAD": "P"}  # P promoted: every bonus applies
    report = check_final(inst, plan)
    assert any(b.rule == rule for b in report.bonuses)  # the checker sees the bonus case ...
    v = assert_agree(inst, plan)  # ... and the model accepts the plan
    assert v.feasible and v.breakdown.get(rule, 0) == 0
