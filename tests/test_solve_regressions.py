"""Disagreements between the CP-SAT model and the independent checker found by the agreement tests, each
pinned down on the smallest county that shows it."""

from __future__ import annotations

import pytest

from planner.solver.candidates import candidate_pairs
from planner.solver.options import SolveOptions
from planner.solver.solve import solve
from tests.helpers import make_cadre, make_post, make_scenario, only, staffed
from tests.solve_audit import TINY, assert_agree, audit, check_final
from tests.solve_strategies import load, team


@pytest.mark.parametrize("rule", ["talent-priority", "excellence", "fit"])
def test_a_bonus_rule_made_hard_neither_forbids_nor_rewards(rule):
    """A hard bonus rule used to prune every placement that earns the bonus (x = 0), so a plan the checker
    accepts was infeasible in the model. A bonus cannot be broken: in hard mode it scores nothing."""
    doc = team(
        {rule: {"mode": "hard"}},
        {"needs": ["agriculture"]},
        P={
            "fulltime_master": True,
            "specialties": ["agriculture"],
            "assessments": {"2023": "excellent", "2024": "excellent", "2025": "excellent"},
        },
    )
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
    doc = make_scenario(
        posts=posts, cadres=cadres, policy=only(rule) | {rule: {"mode": "soft", "weight": 300, "min_count": 5}}
    )
    inst = load(doc)
    res = solve(inst, SolveOptions(**TINY))
    report = audit(inst, res)
    assert res.objective == report.objective == 300 * 5
    assert_agree(inst, dict(inst.holder))


def _staff_for_secretary(mode: str) -> dict:
    """The secretary leaves; the only other cadre, A, is staff: two steps below the post."""
    posts = [make_post("T1-SEC", "T1", "party_secretary")]
    cadres = [
        make_cadre("OLD", rank="section_chief", current_post="T1-SEC", leaving=True),
        make_cadre("A", rank="staff"),
    ]
    policy = only("principal-filled", "rank-ladder") | {"rank-ladder": {"mode": mode, "weight": 700}}
    return make_scenario(posts=posts, cadres=cadres, policy=policy)


@pytest.mark.parametrize("mode,objective", [("off", 0), ("soft", 700)])
def test_with_the_rank_ladder_soft_or_off_a_two_step_placement_is_possible(mode, objective):
    """Candidate generation kept only lateral and one-step-up posts whatever the rank-ladder's mode, so with
    the ladder soft or off the model called a county infeasible (or missed plans) the checker accepts."""
    inst = load(_staff_for_secretary(mode))
    res = solve(inst, SolveOptions(**TINY))
    audit(inst, res)
    assert [a.cadre for a in res.plan.assignments] == ["A"] and res.objective == objective


def test_with_the_rank_ladder_hard_the_two_step_placement_stays_excluded():
    res = solve(load(_staff_for_secretary("hard")), SolveOptions(**TINY))
    assert res.status == "infeasible"


def test_a_section_chief_may_take_a_deputy_post_when_the_ladder_is_off():
    posts = [make_post("T1-DEP", "T1")]
    cadres = [make_cadre("OLD", current_post="T1-DEP", leaving=True), make_cadre("K", rank="section_chief")]
    doc = make_scenario(
        posts=posts, cadres=cadres, policy=only("post-filled", "rank-ladder") | {"rank-ladder": {"mode": "off"}}
    )
    inst = load(doc)
    res = solve(inst, SolveOptions(**TINY))
    audit(inst, res)
    assert res.plan.assignments[0].cadre == "K" and res.objective == 0  # the vacancy (1000) is avoided


def _acting_secretary() -> dict:
    """A staff-ranked cadre holds a section-chief post today (e.g. acting), outside the ladder's reach."""
    posts = [make_post("T1-SEC", "T1", "party_secretary"), make_post("T1-DEP", "T1")]
    cadres = [make_cadre("A", rank="staff", current_post="T1-SEC"), make_cadre("D", current_post="T1-DEP")]
    return make_scenario(posts=posts, cadres=cadres, policy=only("principal-filled", "rank-ladder"))


def test_keeping_a_holder_outside_the_ladder_fixed_in_the_model_is_feasible():
    """When a forced pair (fixed plan or pin) was also the holder's current post outside the ladder's reach,
    candidate generation listed it twice: two variables for one placement, both forced to 1 by the fixed
    plan and both in the post's at-most-one — infeasible, though the checker finds nothing wrong
    (appointment rules do not bind a cadre who stays)."""
    inst = load(_acting_secretary())
    v = assert_agree(inst, dict(inst.holder))
    assert v.feasible and v.objective == 0


def test_pinning_a_holder_outside_the_ladder_to_the_post_held_today():
    doc = _acting_secretary()
    doc["pins"] = [{"cadre": "A", "post": "T1-SEC"}]
    inst = load(doc)
    res = solve(inst, SolveOptions(**TINY))
    audit(inst, res)
    for forced in (set(inst.pins), {("A", "T1-SEC"), ("D", "T1-DEP")}):
        pairs = candidate_pairs(inst, inst.as_of, forced).pairs
        assert len(pairs) == len(set(pairs)), pairs  # each placement listed (and given a variable) once
