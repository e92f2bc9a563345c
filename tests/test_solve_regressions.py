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


@pytest.mark.parametrize("rule", ["women", "under-30"])
def test_a_soft_minimum_count_above_the_teams_size_costs_its_full_shortfall(rule):
    """The soft shortfall variable of a fixed minimum count was bounded by the team's posts + 1, so a
    `min_count` above that made every plan infeasible in the model while the checker priced it. Two
    45-year-old men, min_count 5: the shortfall is 5 (5 − 0), cost 300 × 5."""
    posts, cadres = staffed("T1", 2)
    doc = make_scenario(posts=posts, cadres=cadres,
                        policy=only(rule) | {rule: {"mode": "soft", "weight": 300, "min_count": 5}})
    inst = load(doc)
    res = solve(inst, SolveOptions(**TINY))
    report = audit(inst, res)
    assert res.objective == report.objective == 300 * 5
    assert_agree(inst, dict(inst.holder))
