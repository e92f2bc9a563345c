"""`rank-ladder` and `promotion-gates` (appointment rules, hard).

Years in rank are (date − rank_since) in days / 365.25 (RULES.md), so "2 years" means ≥ 730.5 days: 731 days
hold, 730 days (two calendar years without a 29 February) do not.
"""

from __future__ import annotations

import pytest

from tests.helpers import (
    AS_OF,
    days_before,
    findings,
    make_cadre,
    make_plan,
    make_post,
    make_scenario,
    only,
    rules_hit,
    run_check,
)


def _scenario(cadres, policy=None, **extra):
    posts = [
        make_post("T1-HEAD", "T1", "township_head"),  # section_chief
        make_post("T1-DEP", "T1", "deputy_head"),  # deputy_section
    ]
    return make_scenario(posts=posts, cadres=cadres, policy=policy or only("rank-ladder"), **extra)


def _ladder(sc, post, cadre):
    report = run_check(sc, make_plan(sc, {post: cadre}))
    return report, findings(report, "rank-ladder")


# ------------------------------------------------------------------------------------------ rank-ladder


def test_lateral_move_needs_no_tier_and_no_years():
    sc = _scenario([make_cadre("X", rank="deputy_section", reserve_tier=None, rank_since=AS_OF)])
    report, found = _ladder(sc, "T1-DEP", "X")
    assert found == [] and report.ok


@pytest.mark.parametrize("tier", ["ready_now", "step_up"])
def test_one_step_up_with_promotable_tier_and_731_days_in_rank(tier):
    # 731 days / 365.25 = 2.0014 ≥ 2
    sc = _scenario([make_cadre("X", rank="deputy_section", reserve_tier=tier, rank_since=days_before(731))])
    report, found = _ladder(sc, "T1-HEAD", "X")
    assert found == [] and report.ok


def test_one_step_up_with_730_days_in_rank_is_short_by_one_unit():
    # rank_since 2024-12-01 → 2026-12-01 is two calendar years but 730 days; 730 / 365.25 = 1.9986 < 2 → 1
    assert days_before(730) == "2024-12-01"
    sc = _scenario([make_cadre("X", rank="deputy_section", reserve_tier="ready_now", rank_since="2024-12-01")])
    report, [v] = _ladder(sc, "T1-HEAD", "X")
    assert (v.rule, v.hard, v.amount, v.cadres, v.posts) == ("rank-ladder", True, 1, ["X"], ["T1-HEAD"])
    assert not report.ok


@pytest.mark.parametrize("since, ok", [("2023-03-01", True), ("2023-03-02", False)])
def test_two_calendar_years_across_29_february(since, ok):
    # as_of 2025-03-01: 2023-03-01 → 731 days (2024-02-29 inside) ≥ 730.5 holds; a day later, 730 days < 730.5
    sc = _scenario(
        [make_cadre("X", rank="deputy_section", reserve_tier="ready_now", rank_since=since)], as_of="2025-03-01"
    )
    _, found = _ladder(sc, "T1-HEAD", "X")
    assert [v.amount for v in found] == ([] if ok else [1])


@pytest.mark.parametrize("tier", ["key_post_training", None])
def test_one_step_up_without_promotable_tier(tier):
    sc = _scenario([make_cadre("X", rank="deputy_section", reserve_tier=tier, rank_since=days_before(2000))])
    _, [v] = _ladder(sc, "T1-HEAD", "X")
    assert (v.hard, v.amount) == (True, 1)


def test_one_step_up_without_tier_and_years_is_two_breaches():
    # no tier (1) + 100 days in rank (1) → two findings of amount 1
    sc = _scenario([make_cadre("X", rank="deputy_section", reserve_tier=None, rank_since=days_before(100))])
    _, found = _ladder(sc, "T1-HEAD", "X")
    assert sorted(v.amount for v in found) == [1, 1]


def test_down_is_forbidden():
    sc = _scenario([make_cadre("X", rank="section_chief", reserve_tier="ready_now", rank_since="2010-01-01")])
    _, [v] = _ladder(sc, "T1-DEP", "X")
    assert (v.hard, v.amount, v.posts) == (True, 1, ["T1-DEP"])


def test_two_steps_up_is_forbidden_even_when_ready():
    # staff → section_chief is two steps → 1 breach (no tier or years finding on top)
    sc = _scenario([make_cadre("X", rank="staff", reserve_tier="ready_now", rank_since="2010-01-01")])
    _, [v] = _ladder(sc, "T1-HEAD", "X")
    assert (v.hard, v.amount) == (True, 1)


def test_staff_to_deputy_needs_the_tier_but_no_years_by_default():
    sc = _scenario([make_cadre("X", rank="staff", reserve_tier="step_up", rank_since=AS_OF)])
    _, found = _ladder(sc, "T1-DEP", "X")
    assert found == []  # 0 days ≥ min_years_in_rank_to_deputy = 0
    sc = _scenario([make_cadre("X", rank="staff", reserve_tier=None, rank_since=AS_OF)])
    _, [v] = _ladder(sc, "T1-DEP", "X")
    assert v.amount == 1


@pytest.mark.parametrize("days, ok", [(366, True), (365, False)])
def test_min_years_in_rank_to_deputy_override(days, ok):
    # 1 year = 365.25 days: 366 holds, 365 does not
    policy = only("rank-ladder") | {"rank-ladder": {"min_years_in_rank_to_deputy": 1}}
    sc = _scenario([make_cadre("X", rank="staff", reserve_tier="ready_now", rank_since=days_before(days))], policy)
    _, found = _ladder(sc, "T1-DEP", "X")
    assert [v.amount for v in found] == ([] if ok else [1])


def test_min_years_in_rank_to_chief_override():
    # 3 years = 1095.75 days; 1096 days hold, 1095 do not
    policy = only("rank-ladder") | {"rank-ladder": {"min_years_in_rank_to_chief": 3}}
    for days, expected in ((1096, []), (1095, [1])):
        sc = _scenario([make_cadre("X", reserve_tier="ready_now", rank_since=days_before(days))], policy)
        assert [v.amount for v in _ladder(sc, "T1-HEAD", "X")[1]] == expected


def test_promotable_tiers_override():
    policy = only("rank-ladder") | {"rank-ladder": {"promotable_tiers": ["ready_now"]}}
    sc = _scenario([make_cadre("X", reserve_tier="step_up", rank_since=days_before(1000))], policy)
    _, [v] = _ladder(sc, "T1-HEAD", "X")
    assert v.amount == 1


def test_incumbent_who_stays_is_never_blocked():
    # X holds a section_chief post with a deputy rank and no tier today; staying is not an appointment
    sc = _scenario(
        [make_cadre("X", rank="deputy_section", reserve_tier=None, rank_since=AS_OF, current_post="T1-HEAD")]
    )
    report = run_check(sc, make_plan(sc))
    assert findings(report, "rank-ladder") == [] and report.ok


def test_years_in_rank_are_measured_at_the_wave_date():
    # wave 2 takes effect one quarter after 2026-12-01, on 2027-03-01 (90 days later)
    # rank_since 700 days before as_of: wave 1 → 700 < 730.5 (breach); wave 2 → 790 ≥ 730.5 (fine)
    cadres = [make_cadre("X", reserve_tier="ready_now", rank_since=days_before(700))]
    sc = _scenario(cadres, waves=2)
    w1 = findings(run_check(sc, make_plan(sc, {"T1-HEAD": "X"}, {"T1-HEAD": 1})), "rank-ladder")
    w2 = findings(run_check(sc, make_plan(sc, {"T1-HEAD": "X"}, {"T1-HEAD": 2})), "rank-ladder")
    assert [(v.amount, v.wave) for v in w1] == [(1, 1)] and w2 == []


def test_rank_ladder_soft_costs_weight_times_amount():
    policy = only("rank-ladder") | {"rank-ladder": {"mode": "soft", "weight": 250}}
    # no tier + 100 days → amount 1 + 1 = 2 → cost 250 × 2 = 500
    sc = _scenario([make_cadre("X", reserve_tier=None, rank_since=days_before(100))], policy)
    report, found = _ladder(sc, "T1-HEAD", "X")
    assert all(not v.hard for v in found) and report.ok
    assert sum(v.cost for v in found) == 500 == report.objective


# -------------------------------------------------------------------------------------- promotion-gates


def _gates(cadre, policy=None, post="T1-HEAD", **extra):
    sc = _scenario([cadre], policy or only("promotion-gates"), **extra)
    report = run_check(sc, make_plan(sc, {post: cadre["id"]}))
    return report, findings(report, "promotion-gates")


def _promotable(**overrides):
    base = {"rank": "deputy_section", "reserve_tier": "ready_now", "rank_since": "2015-01-01"}
    return make_cadre("X", **(base | overrides))


def test_gates_hold_for_a_clean_promotion():
    report, found = _gates(_promotable())
    assert found == [] and report.ok and rules_hit(report) == set()


def test_sanction_ending_on_as_of_does_not_block():
    # sanction_until 2026-12-01 is not > as_of 2026-12-01
    _, found = _gates(_promotable(sanction_until=AS_OF))
    assert found == []


def test_sanction_running_one_day_past_as_of_blocks():
    _, [v] = _gates(_promotable(sanction_until="2026-12-02"))
    assert (v.hard, v.amount, v.cadres) == (True, 1, ["X"])


def test_sanction_does_not_block_a_lateral_move():
    _, found = _gates(_promotable(sanction_until="2030-01-01"), post="T1-DEP")
    assert found == []


def test_sanction_is_measured_at_the_wave_date():
    # sanction until 2027-01-15: running on wave 1 (2026-12-01), over by wave 2 (2027-03-01)
    cadre = _promotable(sanction_until="2027-01-15")
    sc = _scenario([cadre], only("promotion-gates"), waves=2)
    w1 = findings(run_check(sc, make_plan(sc, {"T1-HEAD": "X"}, {"T1-HEAD": 1})), "promotion-gates")
    w2 = findings(run_check(sc, make_plan(sc, {"T1-HEAD": "X"}, {"T1-HEAD": 2})), "promotion-gates")
    assert [v.amount for v in w1] == [1] and w2 == []


@pytest.mark.parametrize(
    "grade, blocked",
    [
        ("excellent", False),
        ("competent", False),
        ("undetermined", False),
        ("basically_competent", True),
        ("incompetent", True),
    ],
)
def test_last_years_grade(grade, blocked):
    _, found = _gates(_promotable(assessments={"2023": "competent", "2024": "competent", "2025": grade}))
    assert [v.amount for v in found] == ([1] if blocked else [])


def test_only_last_years_grade_counts():
    # basically_competent in 2024 but competent in 2025 (last year) → not blocked
    _, found = _gates(_promotable(assessments={"2024": "basically_competent", "2025": "competent"}))
    assert found == []


def test_an_assessment_of_the_as_of_year_itself_is_not_last_year():
    # as_of is in 2026; a 2026 grade is this year's, not last year's
    _, found = _gates(_promotable(assessments={"2025": "competent", "2026": "incompetent"}))
    assert found == []


def test_missing_last_year_falls_back_to_the_latest_recorded_year():
    # decided reading of "last year's assessment": the latest one recorded before as_of's year
    _, [v] = _gates(_promotable(assessments={"2023": "competent", "2024": "basically_competent"}))
    assert v.amount == 1


def test_sanction_and_grade_are_two_breaches():
    _, found = _gates(_promotable(sanction_until="2027-06-01", assessments={"2025": "incompetent"}))
    assert sorted(v.amount for v in found) == [1, 1]


def test_blocking_grades_override():
    policy = only("promotion-gates") | {"promotion-gates": {"blocking_grades": ["incompetent", "undetermined"]}}
    _, found = _gates(_promotable(assessments={"2025": "undetermined"}), policy)
    assert [v.amount for v in found] == [1]
    _, found = _gates(_promotable(assessments={"2025": "basically_competent"}), policy)
    assert found == []


def test_promotion_gates_soft():
    policy = only("promotion-gates") | {"promotion-gates": {"mode": "soft", "weight": 11}}
    report, [v] = _gates(_promotable(sanction_until="2027-06-01"), policy)
    assert (v.hard, v.amount, v.cost) == (False, 1, 11) and report.objective == 11 and report.ok
