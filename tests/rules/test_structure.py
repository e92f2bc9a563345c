"""Team structure: `women` (team, soft 300), `minority-share` (team, off until set), `non-cpc-share`
(county, off until set). Shares compare exactly: count ≥ share × members, no rounding in anyone's favour."""

from __future__ import annotations

import pytest

from planner.domain.errors import InputError

from tests.helpers import findings, make_plan, make_scenario, make_township, only, run_check, staffed


def _team(n, township="T1", **overrides):
    return staffed(township, n, **overrides)


def _run(sc, rule, changes=None, waves=None):
    report = run_check(sc, make_plan(sc, changes, waves))
    return report, findings(report, rule)


# ---------------------------------------------------------------------------------------------- women


def test_a_team_with_a_woman_holds():
    posts, cadres = _team(5)
    cadres[2]["gender"] = "F"
    report, found = _run(make_scenario(posts=posts, cadres=cadres, policy=only("women")), "women")
    assert found == [] and report.objective == 0


def test_a_team_without_women_costs_300():
    posts, cadres = _team(5)
    report, [v] = _run(make_scenario(posts=posts, cadres=cadres, policy=only("women")), "women")
    # 0 women, need 1 → amount 1 → 300 × 1
    assert (v.hard, v.amount, v.cost, v.townships) == (False, 1, 300, ["T1"])
    assert report.objective == 300 and report.ok


def test_women_counted_per_team_and_after_the_plan():
    p1, c1 = _team(3, "T1")
    p2, c2 = _team(3, "T2")
    c1[0]["gender"] = c2[0]["gender"] = "F"
    sc = make_scenario(posts=p1 + p2, cadres=c1 + c2, policy=only("women"))
    assert _run(sc, "women")[1] == []
    # the only woman of T2 moves to T1: T1 has 2, T2 has 0 → one team short → 300
    report, [v] = _run(sc, "women", {"T1-P3": "T2-C1", "T2-P1": None})
    assert (v.townships, v.amount, report.objective) == (["T2"], 1, 300)


def test_women_min_count_and_hard():
    posts, cadres = _team(5)
    cadres[0]["gender"] = "F"
    policy = only("women") | {"women": {"min_count": 2, "mode": "hard"}}
    report, [v] = _run(make_scenario(posts=posts, cadres=cadres, policy=policy), "women")
    # need 2, have 1 → amount 1, hard
    assert (v.hard, v.amount, v.cost, report.ok) == (True, 1, 0, False)
    cadres[1]["gender"] = "F"
    assert _run(make_scenario(posts=posts, cadres=cadres, policy=policy), "women")[1] == []


def test_women_off():
    posts, cadres = _team(5)
    policy = only("women") | {"women": {"mode": "off"}}
    assert _run(make_scenario(posts=posts, cadres=cadres, policy=policy), "women")[1] == []


# ------------------------------------------------------------------------------------- minority-share


MIAO = make_township("T1", kind="ethnic_township", ethnic_groups=["苗族"])


def _minority(n, minorities, township=MIAO, share="1/3", mode="hard"):
    posts, cadres = _team(n)
    for c in cadres[:minorities]:
        c["ethnicity"] = "苗族"
    policy = only("minority-share") | {"minority-share": {"mode": mode, "min_share": share}}
    return make_scenario([township], posts, cadres, policy)


def test_minority_share_is_off_by_default():
    posts, cadres = _team(6)
    sc = make_scenario([MIAO], posts, cadres)  # default policy, no minority member
    report = run_check(sc, make_plan(sc))
    assert findings(report, "minority-share") == []
    assert next(r for r in report.rules if r.rule == "minority-share").mode == "off"


def test_minority_share_exactly_one_third():
    # 6 members, 1/3 → need 2: 2 hold, 1 is one short
    assert _run(_minority(6, 2), "minority-share")[1] == []
    report, [v] = _run(_minority(6, 1), "minority-share")
    assert (v.hard, v.amount, v.townships) == (True, 1, ["T1"]) and not report.ok


def test_minority_share_rounds_up():
    # 7 members, 1/3 → 7/3 = 2.33 → need 3; 2 minority → amount 1
    [v] = _run(_minority(7, 2), "minority-share")[1]
    assert v.amount == 1


def test_any_non_han_member_counts_as_minority():
    sc = _minority(3, 0)
    sc["cadres"][0]["ethnicity"] = "侗族"  # not one of T1's groups, still a minority
    assert _run(sc, "minority-share")[1] == []  # 1 ≥ 1/3 × 3


def test_minority_share_binds_ethnic_townships_only():
    plain = make_township("T1")
    assert _run(_minority(6, 0, township=plain), "minority-share")[1] == []
    # a township that records ethnic_groups counts as ethnic even when not an ethnic_township
    marked = make_township("T1", kind="town", ethnic_groups=["布依族"])
    [v] = _run(_minority(6, 0, township=marked), "minority-share")[1]
    assert v.amount == 2  # need 2, have 0


def test_minority_share_soft():
    report, [v] = _run(_minority(6, 0, share=0.5, mode="soft"), "minority-share")
    # 6 × 0.5 = 3 needed, 0 have → 3 × default weight 200 = 600
    assert (v.hard, v.amount, v.cost, report.objective) == (False, 3, 600, 600)


# -------------------------------------------------------------------------------------- non-cpc-share


def _non_cpc(n, non_members, share=0.2, mode="hard"):
    p1, c1 = _team(n // 2, "T1")
    p2, c2 = _team(n - n // 2, "T2")
    cadres = c1 + c2
    for c in cadres[:non_members]:
        c["cpc_member"] = False
    policy = only("non-cpc-share") | {"non-cpc-share": {"mode": mode, "min_share": share}}
    return make_scenario(posts=p1 + p2, cadres=cadres, policy=policy)


def test_non_cpc_share_off_by_default():
    p, c = _team(4)
    sc = make_scenario(posts=p, cadres=c)
    assert findings(run_check(sc, make_plan(sc)), "non-cpc-share") == []


def test_non_cpc_share_exactly_twenty_percent():
    # 10 members county-wide, 0.2 → need 2: 2 hold, 1 is one short
    assert _run(_non_cpc(10, 2), "non-cpc-share")[1] == []
    report, [v] = _run(_non_cpc(10, 1), "non-cpc-share")
    assert (v.hard, v.amount, not report.ok) == (True, 1, True)


def test_non_cpc_share_is_county_wide():
    # both non-members sit in T1; county-wide 2 of 10 still holds
    sc = _non_cpc(10, 2)
    assert all(c["current_post"].startswith("T1") for c in sc["cadres"] if not c["cpc_member"])
    assert _run(sc, "non-cpc-share")[1] == []


@pytest.mark.parametrize("n, have, amount", [(11, 2, 1), (5, 0, 1), (9, 0, 2)])
def test_non_cpc_share_rounding(n, have, amount):
    # need = ceil(0.2 × n): 11 → 3, 5 → 1, 9 → 2
    [v] = _run(_non_cpc(n, have), "non-cpc-share")[1]
    assert v.amount == amount


def test_non_cpc_share_soft():
    report, [v] = _run(_non_cpc(10, 0, share="3/10", mode="soft"), "non-cpc-share")
    # need 3, have 0 → 3 × 200
    assert (v.hard, v.amount, v.cost, report.objective) == (False, 3, 600, 600)


def test_women_a_township_without_posts_is_refused():
    posts, cadres = _team(2)
    cadres[0]["gender"] = "F"
    sc = make_scenario(["T1", "T2"], posts, cadres, only("women"))
    with pytest.raises(InputError) as err:
        _run(sc, "women")
    assert [p.location for p in err.value.problems] == ["townships[1] T2"]
