"""`principal-filled` (hard) and `post-filled` (soft, weight 1000)."""

from __future__ import annotations

import pytest

from tests.helpers import findings, make_cadre, make_plan, make_post, make_scenario, only, run_check

CHIEF = {"rank": "section_chief"}


def _scenario(policy, **extra):
    posts = [
        make_post("T1-SEC", "T1", "party_secretary"),
        make_post("T1-HEAD", "T1", "township_head"),
        make_post("T1-CHAIR", "T1", "congress_chair"),
        make_post("T1-ARM", "T1", "armed_forces_head"),
        make_post("T1-DEP1", "T1", "deputy_head"),
        make_post("T1-DEP2", "T1", "deputy_head"),
    ]
    cadres = [
        make_cadre("SEC", current_post="T1-SEC", **CHIEF),
        make_cadre("HEAD", current_post="T1-HEAD", **CHIEF),
        make_cadre("CHAIR", current_post="T1-CHAIR", **CHIEF),
        make_cadre("ARM", current_post="T1-ARM"),
        make_cadre("DEP1", current_post="T1-DEP1"),
        make_cadre("DEP2", current_post="T1-DEP2"),
    ]
    return make_scenario(posts=posts, cadres=cadres, policy=policy, **extra)


# --------------------------------------------------------------------------------- principal-filled


def test_principal_filled_holds_when_all_key_posts_are_held():
    sc = _scenario(only("principal-filled", "post-filled"))
    report = run_check(sc, make_plan(sc))
    assert report.violations == [] and report.ok and report.objective == 0


@pytest.mark.parametrize("post", ["T1-SEC", "T1-HEAD", "T1-CHAIR"])
def test_principal_filled_each_key_post_vacated(post):
    sc = _scenario(only("principal-filled"))
    # one key post vacated → 1 vacancy → amount 1; a hard rule costs nothing in the objective
    report = run_check(sc, make_plan(sc, {post: None}))
    [v] = findings(report, "principal-filled")
    assert (v.hard, v.amount, v.posts, v.townships, v.cost) == (True, 1, [post], ["T1"], 0)
    assert not report.ok and report.objective == 0


def test_principal_filled_is_not_about_other_posts():
    sc = _scenario(only("principal-filled"))
    report = run_check(sc, make_plan(sc, {"T1-ARM": None, "T1-DEP1": None}))
    assert findings(report, "principal-filled") == [] and report.ok


def test_principal_filled_vacant_today_and_left_vacant():
    sc = _scenario(only("principal-filled"))
    sc["cadres"] = [c for c in sc["cadres"] if c["id"] != "HEAD"]  # the head post is vacant today
    [v] = findings(run_check(sc, make_plan(sc)), "principal-filled")
    assert (v.amount, v.posts) == (1, ["T1-HEAD"])


def test_principal_filled_counts_each_wave_a_post_is_vacant():
    sc = _scenario(only("principal-filled"), waves=2)
    sc["cadres"].append(make_cadre("NEW", reserve_tier="ready_now", **CHIEF))
    # SEC released in wave 1 (moves entry), NEW arrives in wave 2 → vacant after wave 1 only → 1 finding
    plan = make_plan(
        sc,
        {"T1-SEC": "NEW"},
        waves={"T1-SEC": 2},
        moves=[{"cadre": "SEC", "from": "T1-SEC", "to": None, "kind": "release", "wave": 1}],
    )
    [v] = findings(run_check(sc, plan), "principal-filled")
    assert (v.amount, v.wave) == (1, 1)
    # left vacant in both waves → 1 per wave
    found = findings(run_check(sc, make_plan(sc, {"T1-SEC": None})), "principal-filled")
    assert sorted((v.wave, v.amount) for v in found) == [(1, 1), (2, 1)]


def test_principal_filled_soft_costs_weight_times_amount():
    sc = _scenario(only("principal-filled") | {"principal-filled": {"mode": "soft", "weight": 7}})
    # 2 key posts vacant → 2 findings of amount 1 → cost 2 × 7 = 14
    report = run_check(sc, make_plan(sc, {"T1-SEC": None, "T1-CHAIR": None}))
    found = findings(report, "principal-filled")
    assert [(v.hard, v.amount, v.cost) for v in found] == [(False, 1, 7), (False, 1, 7)]
    assert report.ok and report.objective == 14 and report.breakdown == {"principal-filled": 14}


# ------------------------------------------------------------------------------------------ post-filled


def test_post_filled_default_is_soft_weight_1000():
    sc = _scenario(only("post-filled"))
    # ARM left vacant → amount 1 → cost 1000 × 1
    report = run_check(sc, make_plan(sc, {"T1-ARM": None}))
    [v] = findings(report, "post-filled")
    assert (v.hard, v.amount, v.cost, v.posts) == (False, 1, 1000, ["T1-ARM"])
    assert report.ok and report.objective == 1000


def test_post_filled_two_vacancies_cost_twice():
    sc = _scenario(only("post-filled"))
    # ARM and DEP2 vacant → 2 × 1000
    report = run_check(sc, make_plan(sc, {"T1-ARM": None, "T1-DEP2": None}))
    assert sum(v.amount for v in findings(report, "post-filled")) == 2
    assert report.objective == 2000


def test_post_filled_ignores_key_posts():
    sc = _scenario(only("post-filled"))
    report = run_check(sc, make_plan(sc, {"T1-SEC": None, "T1-CHAIR": None}))
    assert findings(report, "post-filled") == [] and report.objective == 0


def test_post_filled_weight_override_and_hard_mode():
    sc = _scenario(only("post-filled") | {"post-filled": {"weight": 3}})
    report = run_check(sc, make_plan(sc, {"T1-DEP1": None}))
    assert report.objective == 3  # 3 × 1
    sc = _scenario(only("post-filled") | {"post-filled": {"mode": "hard"}})
    report = run_check(sc, make_plan(sc, {"T1-DEP1": None}))
    [v] = findings(report, "post-filled")
    assert (v.hard, v.amount, v.cost) == (True, 1, 0) and not report.ok and report.objective == 0


def test_post_filled_off_reports_nothing():
    sc = _scenario(only())
    report = run_check(sc, make_plan(sc, {"T1-DEP1": None}))
    assert findings(report, "post-filled") == [] and report.objective == 0


def test_rule_summary_of_the_report():
    sc = _scenario(only("post-filled"))
    report = run_check(sc, make_plan(sc, {"T1-ARM": None, "T1-DEP2": None}))
    [row] = [r for r in report.rules if r.rule == "post-filled"]
    # 2 findings of amount 1 at weight 1000
    assert (row.mode, row.weight, row.findings, row.amount, row.cost) == ("soft", 1000, 2, 2, 2000)
