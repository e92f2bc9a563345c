"""Tenure and continuity of the principals: `principal-change` (team, hard), `min-tenure` (move, hard),
`full-term` (move, soft 100), `seamless-handover` (team, hard).

Years in post are (date − post_since) in days / 365.25: 3 years = 1095.75 days, so 1096 days hold and 1095
do not; 5 years = 1826.25 days, so 1827 hold and 1826 (five calendar years with one 29 February) do not.
"""

from __future__ import annotations

import pytest

from tests.helpers import days_before, findings, make_cadre, make_plan, make_post, make_scenario, only, run_check

CHIEF = {"rank": "section_chief", "reserve_tier": "ready_now"}


def _scenario(policy, sec_since="2015-01-01", head_since="2015-01-01", **extra):
    posts = [
        make_post("T1-SEC", "T1", "party_secretary"),
        make_post("T1-HEAD", "T1", "township_head"),
        make_post("T1-DEP", "T1", "deputy_head"),
        make_post("T2-SEC", "T2", "party_secretary"),
        make_post("T2-HEAD", "T2", "township_head"),
    ]
    cadres = [
        make_cadre("SEC", current_post="T1-SEC", post_since=sec_since, **CHIEF),
        make_cadre("HEAD", current_post="T1-HEAD", post_since=head_since, **CHIEF),
        make_cadre("DEP", current_post="T1-DEP", post_since=days_before(100)),
        make_cadre("SEC2", current_post="T2-SEC", **CHIEF),
        make_cadre("HEAD2", current_post="T2-HEAD", **CHIEF),
        make_cadre("N1", **CHIEF),
        make_cadre("N2", **CHIEF),
    ]
    return make_scenario(posts=posts, cadres=cadres, policy=policy, **extra)


def _run(sc, rule, changes=None, waves=None, moves=None):
    report = run_check(sc, make_plan(sc, changes, waves, moves=moves))
    return report, findings(report, rule)


# ------------------------------------------------------------------------------------- principal-change


def test_one_principal_changing_is_fine():
    sc = _scenario(only("principal-change"))
    report, found = _run(sc, "principal-change", {"T1-SEC": "N1"})
    assert found == [] and report.ok


def test_both_principals_changing_in_one_wave():
    sc = _scenario(only("principal-change"))
    # 2 principal posts change in wave 1 → 2 − 1 = 1
    report, [v] = _run(sc, "principal-change", {"T1-SEC": "N1", "T1-HEAD": "N2"})
    assert (v.hard, v.amount, v.wave, v.townships) == (True, 1, 1, ["T1"])
    assert sorted(v.posts) == ["T1-HEAD", "T1-SEC"]
    assert not report.ok


def test_filling_a_vacancy_is_a_change():
    sc = _scenario(only("principal-change"))
    sc["cadres"] = [c for c in sc["cadres"] if c["id"] != "HEAD"]  # the head post is vacant today
    _, [v] = _run(sc, "principal-change", {"T1-SEC": "N1", "T1-HEAD": "N2"})
    assert v.amount == 1
    _, found = _run(sc, "principal-change", {"T1-HEAD": "N2"})  # only the vacancy filled
    assert found == []


def test_vacating_both_is_a_change_of_both():
    sc = _scenario(only("principal-change"))
    _, [v] = _run(sc, "principal-change", {"T1-SEC": None, "T1-HEAD": None})
    assert v.amount == 1


def test_a_swap_changes_both():
    sc = _scenario(only("principal-change"))
    # SEC and HEAD trade places (both section_chief): both posts' holders differ from today's
    _, [v] = _run(sc, "principal-change", {"T1-SEC": "HEAD", "T1-HEAD": "SEC"})
    assert v.amount == 1


def test_changes_in_different_townships_are_independent():
    sc = _scenario(only("principal-change"))
    _, found = _run(sc, "principal-change", {"T1-SEC": "N1", "T2-HEAD": "N2"})
    assert found == []


def test_two_waves_make_it_possible():
    sc = _scenario(only("principal-change"), waves=2)
    changes = {"T1-SEC": "N1", "T1-HEAD": "N2"}
    _, found = _run(sc, "principal-change", changes, {"T1-SEC": 1, "T1-HEAD": 2})
    assert found == []
    _, [v] = _run(sc, "principal-change", changes, {"T1-SEC": 2, "T1-HEAD": 2})
    assert (v.amount, v.wave) == (1, 2)


def test_principal_change_soft():
    sc = _scenario(only("principal-change") | {"principal-change": {"mode": "soft", "weight": 123}})
    report, [v] = _run(sc, "principal-change", {"T1-SEC": "N1", "T1-HEAD": "N2"})
    assert (v.hard, v.amount, v.cost, report.objective, report.ok) == (False, 1, 123, 123, True)


# ------------------------------------------------------------------------------------------ min-tenure


def test_min_tenure_exactly_three_years_may_move():
    # 2023-12-01 → 2026-12-01 = 1096 days (2024-02-29 inside) ≥ 1095.75
    assert days_before(1096) == "2023-12-01"
    sc = _scenario(only("min-tenure"), sec_since="2023-12-01")
    report, found = _run(sc, "min-tenure", {"T1-SEC": "N1"})
    assert found == [] and report.ok


def test_min_tenure_one_day_less_is_blocked():
    # 2023-12-02 → 2026-12-01 = 1095 days < 1095.75 → amount 1
    sc = _scenario(only("min-tenure"), sec_since="2023-12-02")
    report, [v] = _run(sc, "min-tenure", {"T1-SEC": "N1"})
    assert (v.hard, v.amount, v.cadres, v.posts) == (True, 1, ["SEC"], ["T1-SEC"])
    assert not report.ok


def test_min_tenure_binds_release_and_moves_within_the_township():
    sc = _scenario(only("min-tenure"), head_since=days_before(365))
    _, [v] = _run(sc, "min-tenure", {"T1-HEAD": None})  # released
    assert (v.cadres, v.amount) == (["HEAD"], 1)
    _, [v] = _run(sc, "min-tenure", {"T1-SEC": "HEAD", "T1-HEAD": "N1"})  # head → secretary: leaves the head post
    assert (v.cadres, v.posts, v.amount) == (["HEAD"], ["T1-HEAD", "T1-SEC"], 1)


def test_min_tenure_approval_lifts_it():
    sc = _scenario(only("min-tenure"), sec_since=days_before(100), approvals=["SEC"])
    assert _run(sc, "min-tenure", {"T1-SEC": "N1"})[1] == []


def test_min_tenure_exempts_cadres_marked_leaving():
    # a retiring secretary must go whatever the tenure: the departure is not the plan's choice
    sc = _scenario(only("min-tenure"), sec_since=days_before(100))
    sc["cadres"][0]["leaving"] = True
    assert _run(sc, "min-tenure", {"T1-SEC": "N1"})[1] == []


def test_min_tenure_binds_principals_only_and_only_when_they_move():
    sc = _scenario(only("min-tenure"), sec_since=days_before(100))
    assert _run(sc, "min-tenure", {"T1-DEP": None})[1] == []  # DEP has 100 days but is no principal
    assert _run(sc, "min-tenure")[1] == []  # SEC stays


def test_min_tenure_measured_at_the_departure_wave():
    # 1040 days today: wave 1 → 1040 < 1095.75 (blocked); wave 2 (+90 days) → 1130 ≥ 1095.75 (free)
    sc = _scenario(only("min-tenure"), sec_since=days_before(1040), waves=2)
    _, [v] = _run(sc, "min-tenure", {"T1-SEC": "N1"}, {"T1-SEC": 1})
    assert (v.wave, v.amount) == (1, 1)
    assert _run(sc, "min-tenure", {"T1-SEC": "N1"}, {"T1-SEC": 2})[1] == []


def test_min_tenure_override_and_soft():
    policy = only("min-tenure") | {"min-tenure": {"min_years": 1, "mode": "soft", "weight": 77}}
    sc = _scenario(policy, sec_since=days_before(366))  # 366 ≥ 365.25
    assert _run(sc, "min-tenure", {"T1-SEC": "N1"})[1] == []
    sc = _scenario(policy, sec_since=days_before(365))  # 365 < 365.25
    report, [v] = _run(sc, "min-tenure", {"T1-SEC": "N1"})
    assert (v.hard, v.amount, v.cost, report.objective) == (False, 1, 77, 77)


# ------------------------------------------------------------------------------------------- full-term


@pytest.mark.parametrize("days, penalised", [(1827, False), (1826, True), (365, True), (4000, False)])
def test_full_term_five_years(days, penalised):
    # 5 years = 1826.25 days; 2021-12-01 → 2026-12-01 is 1826 days (one 29 February) → still short
    sc = _scenario(only("full-term"), sec_since=days_before(days))
    report, found = _run(sc, "full-term", {"T1-SEC": "N1"})
    if penalised:
        [v] = found
        assert (v.hard, v.amount, v.cost, v.cadres) == (False, 1, 100, ["SEC"])
        assert report.objective == 100 and report.ok
    else:
        assert found == [] and report.objective == 0
    assert days_before(1826) == "2021-12-01"


def test_full_term_is_not_lifted_by_approval():
    # approvals are for min-tenure only: an approved early move still costs the full-term penalty
    sc = _scenario(only("full-term", "min-tenure"), sec_since=days_before(400), approvals=["SEC"])
    report, [v] = _run(sc, "full-term", {"T1-SEC": "N1"})
    assert v.amount == 1 and findings(report, "min-tenure") == [] and report.objective == 100


def test_full_term_two_principals_and_leaving_exempt():
    sc = _scenario(only("full-term"), sec_since=days_before(400), head_since=days_before(400), waves=2)
    changes = {"T1-SEC": "N1", "T1-HEAD": "N2"}
    report, found = _run(sc, "full-term", changes, {"T1-SEC": 1, "T1-HEAD": 2})
    assert sorted(v.cadres[0] for v in found) == ["HEAD", "SEC"] and report.breakdown["full-term"] == 200  # 2 × 100
    # with waves the objective also carries the delay preference: N2 arrives and HEAD leaves in wave 2 → 2 × 1
    assert report.breakdown["wave-delay"] == 2 and report.objective == 202
    sc["cadres"][1]["leaving"] = True  # HEAD retires: exempt
    assert [v.cadres for v in _run(sc, "full-term", changes, {"T1-SEC": 1, "T1-HEAD": 2})[1]] == [["SEC"]]


def test_full_term_binds_principals_only():
    sc = _scenario(only("full-term"))
    assert _run(sc, "full-term", {"T1-DEP": None})[1] == []  # DEP: 100 days, not a principal


def test_full_term_overrides():
    policy = only("full-term") | {"full-term": {"min_years": 2, "weight": 10}}
    sc = _scenario(policy, sec_since=days_before(800))  # 800 ≥ 730.5
    assert _run(sc, "full-term", {"T1-SEC": "N1"})[1] == []
    sc = _scenario(policy, sec_since=days_before(730))
    assert _run(sc, "full-term", {"T1-SEC": "N1"})[0].objective == 10
    policy = only("full-term") | {"full-term": {"mode": "hard"}}
    report, [v] = _run(_scenario(policy, sec_since=days_before(730)), "full-term", {"T1-SEC": "N1"})
    assert (v.hard, v.cost, report.ok) == (True, 0, False)


# ----------------------------------------------------------------------------------- seamless-handover


def test_seamless_successor_in_the_same_wave():
    sc = _scenario(only("seamless-handover"))
    report, found = _run(sc, "seamless-handover", {"T1-SEC": "N1"})
    assert found == [] and report.ok


def test_secretary_leaves_and_nobody_succeeds():
    sc = _scenario(only("seamless-handover"))
    # SEC released, T1-SEC left vacant → 1 post without a successor
    report, [v] = _run(sc, "seamless-handover", {"T1-SEC": None})
    assert (v.hard, v.amount, v.posts, v.cadres, v.wave) == (True, 1, ["T1-SEC"], ["SEC"], 1)
    assert not report.ok


def test_retiring_secretary_still_needs_a_successor():
    sc = _scenario(only("seamless-handover"))
    sc["cadres"][0]["leaving"] = True
    assert [v.amount for v in _run(sc, "seamless-handover", {"T1-SEC": None})[1]] == [1]
    assert _run(sc, "seamless-handover", {"T1-SEC": "N1"})[1] == []


def test_a_secretary_post_vacant_today_is_no_handover():
    sc = _scenario(only("seamless-handover"))
    sc["cadres"] = [c for c in sc["cadres"] if c["id"] != "SEC"]
    assert _run(sc, "seamless-handover")[1] == []


def test_successor_one_wave_late():
    sc = _scenario(only("seamless-handover"), waves=2)
    release = [{"cadre": "SEC", "from": "T1-SEC", "to": None, "kind": "release", "wave": 1}]
    # SEC leaves in wave 1, N1 arrives in wave 2 → a gap in wave 1 → amount 1
    _, [v] = _run(sc, "seamless-handover", {"T1-SEC": "N1"}, {"T1-SEC": 2}, moves=release)
    assert (v.amount, v.wave) == (1, 1)
    # SEC moves to T2-HEAD in wave 2 (HEAD2 released) and N1 arrives in wave 2 → seamless
    changes = {"T1-SEC": "N1", "T2-HEAD": "SEC"}
    assert _run(sc, "seamless-handover", changes, {"T1-SEC": 2, "T2-HEAD": 2})[1] == []


def test_head_not_covered_by_default_but_by_roles_override():
    sc = _scenario(only("seamless-handover"))
    assert _run(sc, "seamless-handover", {"T1-HEAD": None})[1] == []
    policy = only("seamless-handover") | {"seamless-handover": {"roles": ["party_secretary", "township_head"]}}
    sc = _scenario(policy)
    _, [v] = _run(sc, "seamless-handover", {"T1-HEAD": None})
    assert (v.amount, v.posts) == (1, ["T1-HEAD"])


def test_seamless_soft():
    sc = _scenario(only("seamless-handover") | {"seamless-handover": {"mode": "soft", "weight": 900}})
    report, [v] = _run(sc, "seamless-handover", {"T1-SEC": None})
    assert (v.hard, v.amount, v.cost, report.objective, report.ok) == (False, 1, 900, 900, True)
