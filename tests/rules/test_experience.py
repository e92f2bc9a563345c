"""`principal-qualification` (appointment, hard), `team-experience` (team, hard), `lagging-township` (team, soft).

"不少于三分之二": 3 × experienced ≥ 2 × members; members are the team's filled posts in the plan.
"""

from __future__ import annotations

import pytest

from tests.helpers import (
    findings,
    make_cadre,
    make_plan,
    make_post,
    make_scenario,
    make_township,
    only,
    rules_hit,
    run_check,
    staffed,
)

# ------------------------------------------------------------------------------ principal-qualification


def _pq_scenario(cadre, policy=None, **extra):
    posts = [
        make_post("T1-SEC", "T1", "party_secretary"),
        make_post("T1-HEAD", "T1", "township_head"),
        make_post("T1-CHAIR", "T1", "congress_chair"),
        make_post("T1-DEP", "T1", "deputy_head"),
    ]
    return make_scenario(posts=posts, cadres=[cadre], policy=policy or only("principal-qualification"), **extra)


def _pq(lead, work, post="T1-HEAD", policy=None):
    sc = _pq_scenario(
        make_cadre("X", rank="section_chief", township_leadership_years=lead, township_work_years=work), policy
    )
    report = run_check(sc, make_plan(sc, {post: "X"}))
    return report, findings(report, "principal-qualification")


@pytest.mark.parametrize("lead, work", [(2.0, 2.0), (0.0, 3.0), (2.0, 0.0), (8.0, 12.0)])
def test_qualified_by_leadership_or_work(lead, work):
    report, found = _pq(lead, work)
    assert found == [] and report.ok


@pytest.mark.parametrize("lead, work", [(1.9, 2.9), (1.99, 2.99), (0.0, 0.0)])
def test_unqualified_when_both_fall_short(lead, work):
    # lead < 2 and work < 3 → one breach, amount 1
    report, [v] = _pq(lead, work)
    assert (v.hard, v.amount, v.cadres, v.posts) == (True, 1, ["X"], ["T1-HEAD"])
    assert not report.ok


@pytest.mark.parametrize("post", ["T1-SEC", "T1-HEAD"])
def test_both_principal_posts_are_covered(post):
    _, found = _pq(1.0, 1.0, post=post)
    assert [v.amount for v in found] == [1]


@pytest.mark.parametrize("post", ["T1-CHAIR", "T1-DEP"])
def test_other_posts_are_not_covered(post):
    _, found = _pq(0.0, 0.0, post=post)
    assert found == []


def test_an_unqualified_incumbent_who_stays_is_not_blocked():
    sc = _pq_scenario(
        make_cadre(
            "X", rank="section_chief", township_leadership_years=0.0, township_work_years=0.0, current_post="T1-HEAD"
        )
    )
    assert findings(run_check(sc, make_plan(sc)), "principal-qualification") == []


def test_thresholds_override():
    policy = only("principal-qualification") | {
        "principal-qualification": {"min_leadership_years": 3, "min_work_years": 5}
    }
    assert _pq(2.5, 4.5, policy=policy)[1][0].amount == 1  # 2.5 < 3 and 4.5 < 5
    assert _pq(3.0, 0.0, policy=policy)[1] == []
    assert _pq(0.0, 5.0, policy=policy)[1] == []


def test_experience_accrues_until_the_wave_date_for_team_members_only():
    # wave 2 is 2027-03-01, 90 days after as_of: +90/365.25 = +0.246 years for a cadre serving in a team today.
    # lead 1.9 → 2.146 ≥ 2 for the team member, still 1.9 for the pool cadre.
    posts = [
        make_post("T1-HEAD", "T1", "township_head"),
        make_post("T1-SEC", "T1", "party_secretary"),
        make_post("T1-DEP", "T1", "deputy_head"),
    ]
    cadres = [
        make_cadre(
            "IN", rank="section_chief", township_leadership_years=1.9, township_work_years=1.9, current_post="T1-DEP"
        ),
        make_cadre("OUT", rank="section_chief", township_leadership_years=1.9, township_work_years=1.9),
    ]
    sc = make_scenario(posts=posts, cadres=cadres, policy=only("principal-qualification"), waves=2)
    plan = make_plan(sc, {"T1-HEAD": "IN", "T1-SEC": "OUT", "T1-DEP": None}, {"T1-HEAD": 2, "T1-SEC": 2})
    [v] = findings(run_check(sc, plan), "principal-qualification")
    assert (v.cadres, v.wave, v.amount) == (["OUT"], 2, 1)
    # the same move in wave 1: 1.9 < 2 for both
    plan = make_plan(sc, {"T1-HEAD": "IN", "T1-SEC": "OUT", "T1-DEP": None})
    assert sorted(v.cadres[0] for v in findings(run_check(sc, plan), "principal-qualification")) == ["IN", "OUT"]


# ------------------------------------------------------------------------------------- team-experience


def _team(n, experienced, policy=None, years=10.0, short=0.5, **extra):
    """A team of n deputy posts, the first `experienced` holders with `years` of township work."""
    posts, cadres = staffed("T1", n)
    for i, c in enumerate(cadres):
        c["township_work_years"] = years if i < experienced else short
        c["township_leadership_years"] = 0.0
    return make_scenario(posts=posts, cadres=cadres, policy=policy or only("team-experience"), **extra)


def _te(sc, changes=None, waves=None):
    report = run_check(sc, make_plan(sc, changes, waves))
    return report, findings(report, "team-experience")


def test_six_members_four_experienced_holds():
    # 3 × 4 = 12 ≥ 2 × 6 = 12
    report, found = _te(_team(6, 4))
    assert found == [] and report.ok


def test_six_members_three_experienced_is_one_short():
    # need ceil(2/3 × 6) = 4, have 3 → amount 1
    report, [v] = _te(_team(6, 3))
    assert (v.rule, v.hard, v.amount, v.townships) == ("team-experience", True, 1, ["T1"])
    assert not report.ok


def test_seven_members():
    # need ceil(2/3 × 7) = ceil(4.67) = 5
    assert _te(_team(7, 5))[1] == []
    [v] = _te(_team(7, 4))[1]
    assert v.amount == 1  # 5 − 4
    [v] = _te(_team(7, 2))[1]
    assert v.amount == 3  # 5 − 2


def test_exactly_two_years_counts_as_experienced():
    # 3 members, need ceil(2/3 × 3) = 2: two with exactly 2.0 years → holds; all with 1.9 → 0 of 2 → amount 2
    assert _te(_team(3, 2, years=2.0))[1] == []
    [v] = _te(_team(3, 2, years=1.9, short=1.9))[1]
    assert v.amount == 2  # need 2, have 0


def test_members_are_the_filled_posts_of_the_plan():
    # 7 members, 4 experienced breaks (need 5); vacating one inexperienced post leaves 6 members, 4 experienced:
    # 3 × 4 = 12 ≥ 2 × 6 → holds
    sc = _team(7, 4)
    assert [v.amount for v in _te(sc)[1]] == [1]
    assert _te(sc, {"T1-P7": None})[1] == []


def test_a_newcomer_counts_with_their_own_experience():
    sc = _team(6, 3)  # one short
    sc["cadres"].append(make_cadre("NEW", township_work_years=2.0))
    # the inexperienced holder of P6 is replaced by NEW (2.0 years) → 4 of 6 → holds
    assert _te(sc, {"T1-P6": "NEW"})[1] == []


def test_empty_team_needs_nobody():
    sc = _team(2, 0)
    assert _te(sc, {"T1-P1": None, "T1-P2": None})[1] == []  # 0 members → need 0


@pytest.mark.parametrize("share", ["1/2", 0.5])
def test_min_share_override(share):
    # with 1/2: 6 members need 3; have 3 → holds, have 2 → 1 short
    policy = only("team-experience") | {"team-experience": {"min_share": share}}
    assert _te(_team(6, 3, policy))[1] == []
    assert [v.amount for v in _te(_team(6, 2, policy))[1]] == [1]


def test_min_years_override():
    # min_years 5: holders with 4.0 years do not count; 3 members need 2
    policy = only("team-experience") | {"team-experience": {"min_years": 5}}
    [v] = _te(_team(3, 3, policy, years=4.0))[1]
    assert v.amount == 2


def test_experience_is_measured_at_each_wave_date():
    # 3 members need 2. B has 1.9 years and serves today: wave 1 (as_of) 1.9 < 2 → 1 short;
    # wave 2 (2027-03-01, +90 days = +0.246) 2.146 ≥ 2 → holds
    sc = _team(3, 1, waves=2)
    sc["cadres"][1]["township_work_years"] = 1.9
    found = _te(sc)[1]
    assert [(v.wave, v.amount) for v in found] == [(1, 1)]


def test_team_experience_soft():
    policy = only("team-experience") | {"team-experience": {"mode": "soft", "weight": 9}}
    # 7 members, 2 experienced → 3 short → 9 × 3 = 27
    report, [v] = _te(_team(7, 2, policy))
    assert (v.hard, v.amount, v.cost) == (False, 3, 27) and report.objective == 27


# ------------------------------------------------------------------------------------ lagging-township


def _lagging(sec_work, head_work, lagging=True, policy=None, changes=None):
    posts = [
        make_post("T1-SEC", "T1", "party_secretary"),
        make_post("T1-HEAD", "T1", "township_head"),
        make_post("T1-CHAIR", "T1", "congress_chair"),
    ]
    cadres = [
        make_cadre("SEC", rank="section_chief", township_work_years=sec_work, current_post="T1-SEC"),
        make_cadre("HEAD", rank="section_chief", township_work_years=head_work, current_post="T1-HEAD"),
        make_cadre("CHAIR", rank="section_chief", township_work_years=0.0, current_post="T1-CHAIR"),
        make_cadre("NEW", rank="section_chief", township_work_years=4.9),
    ]
    sc = make_scenario([make_township("T1", lagging=lagging)], posts, cadres, policy or only("lagging-township"))
    report = run_check(sc, make_plan(sc, changes))
    return report, findings(report, "lagging-township")


def test_lagging_principals_with_five_years_hold():
    report, found = _lagging(5.0, 12.0)
    assert found == [] and report.objective == 0


def test_lagging_principal_short_of_five_years_costs_weight_200():
    # SEC has 4.9 < 5 → amount 1, soft weight 200 → cost 200 (an incumbent staying is bound too: team rule)
    report, [v] = _lagging(4.9, 12.0)
    assert (v.hard, v.amount, v.cost, v.cadres) == (False, 1, 200, ["SEC"])
    assert report.ok and report.objective == 200


def test_lagging_both_principals_short():
    report, found = _lagging(1.0, 4.0)
    assert sorted(v.cadres[0] for v in found) == ["HEAD", "SEC"]
    assert report.objective == 400  # 2 × 200


def test_lagging_newcomer_is_bound():
    report, [v] = _lagging(9.0, 9.0, changes={"T1-HEAD": "NEW"})
    assert v.cadres == ["NEW"] and v.amount == 1


def test_not_lagging_or_not_principal_is_free():
    assert _lagging(1.0, 1.0, lagging=False)[1] == []
    # CHAIR has 0 years in the lagging township but is not a principal
    assert _lagging(6.0, 6.0)[1] == []


def test_lagging_override_and_hard():
    policy = only("lagging-township") | {"lagging-township": {"min_work_years": 6, "mode": "hard"}}
    report, [v] = _lagging(5.5, 6.0, policy=policy)
    assert (v.hard, v.amount, v.cost, v.cadres) == (True, 1, 0, ["SEC"]) and not report.ok
    assert "lagging-township" in rules_hit(report)
