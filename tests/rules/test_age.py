"""Age structure: `young-principals`, `young-members` (county, hard), `young-members-team` (team, soft 50),
`under-30` (team, hard).

"N岁以下" includes N; age is whole years (周岁) on the plan date or the wave's date; one born on 29 February
turns a year older on 1 March in common years. "占比达到15%": 100 × count ≥ 15 × total.
"""

from __future__ import annotations

import datetime as dt

import pytest

from planner.domain.errors import InputError

from planner.domain.timeutil import age_on
from tests.helpers import (
    born,
    findings,
    make_cadre,
    make_plan,
    make_post,
    make_scenario,
    only,
    run_check,
    staffed,
)

OLD = born(45)


# ------------------------------------------------------------------------------------------- ages


@pytest.mark.parametrize(
    "birth, on, age",
    [
        ("1991-12-01", "2026-12-01", 35),  # 35th birthday on the plan date
        ("1991-12-02", "2026-12-01", 34),  # one day short
        ("1990-12-01", "2026-12-01", 36),
        ("1992-02-29", "2027-02-28", 34),  # common year: turns 35 on 1 March
        ("1992-02-29", "2027-03-01", 35),
        ("1992-02-29", "2028-02-28", 35),  # leap year: turns 36 on 29 February
        ("1992-02-29", "2028-02-29", 36),
    ],
)
def test_age_in_whole_years(birth, on, age):
    assert age_on(dt.date.fromisoformat(birth), dt.date.fromisoformat(on)) == age


# ------------------------------------------------------------------------------------ young-principals


def _principals(n_townships, births, policy=None, **extra):
    """n townships, each with a secretary and a head held today; `births` gives the principals' birth dates
    in order (T1-SEC, T1-HEAD, T2-SEC, …), the rest are 45."""
    posts, cadres = [], []
    for i in range(1, n_townships + 1):
        for role, suffix in (("party_secretary", "SEC"), ("township_head", "HEAD")):
            pid = f"T{i}-{suffix}"
            posts.append(make_post(pid, f"T{i}", role))
            cadres.append(make_cadre(f"C-{pid}", rank="section_chief", current_post=pid))
    for c, b in zip(cadres, births):
        c["birth_date"] = b
    return make_scenario(posts=posts, cadres=cadres, policy=policy or only("young-principals"), **extra)


def _yp(sc, changes=None):
    report = run_check(sc, make_plan(sc, changes))
    return report, findings(report, "young-principals")


def test_fifteen_percent_exactly_holds():
    # 20 principals, 3 aged ≤ 35: 100 × 3 = 300 ≥ 15 × 20 = 300
    report, found = _yp(_principals(10, [born(35)] * 3))
    assert found == [] and report.ok


def test_one_young_principal_short():
    # 20 principals, need ceil(0.15 × 20) = 3, have 2 → amount 1
    report, [v] = _yp(_principals(10, [born(35)] * 2))
    assert (v.rule, v.hard, v.amount) == ("young-principals", True, 1)
    assert not report.ok


def test_no_rounding_in_anyones_favour():
    # 2 principals: 15% of 2 = 0.3 → need 1 (100 × 0 < 30)
    [v] = _yp(_principals(1, []))[1]
    assert v.amount == 1
    # 21 principals (odd): need ceil(3.15) = 4 → 3 young is 1 short
    sc = _principals(11, [born(30)] * 3)
    sc["posts"].append(make_post("T11-SEC2", "T11", "party_secretary"))
    sc["cadres"].append(make_cadre("EXTRA", rank="section_chief", current_post="T11-SEC2"))
    assert [v.amount for v in _yp(sc)[1]] == [1]


@pytest.mark.parametrize(
    "birth, young",
    [
        (born(35), True),
        (born(36), False),
        ("1991-12-01", True),  # exactly 35 on 2026-12-01
        ("1990-12-01", False),  # exactly 36 on 2026-12-01
        ("1990-12-02", True),  # 36 tomorrow
    ],
)
def test_age_35_counts_36_does_not(birth, young):
    # 2 principals, need 1
    found = _yp(_principals(1, [birth]))[1]
    assert [v.amount for v in found] == ([] if young else [1])


@pytest.mark.parametrize("as_of, young", [("2028-02-28", True), ("2028-02-29", False)])
def test_29_february_birthday(as_of, young):
    # born 1992-02-29: 35 on 2028-02-28, 36 on 2028-02-29 (2028 is a leap year)
    sc = _principals(1, ["1992-02-29"], as_of=as_of)
    assert [v.amount for v in _yp(sc)[1]] == ([] if young else [1])


def test_denominator_is_the_principal_posts_held():
    # 8 principal posts, 1 young: need ceil(0.15 × 8) = ceil(1.2) = 2 → 1 short
    sc = _principals(4, [born(33)])
    assert [v.amount for v in _yp(sc)[1]] == [1]
    # leave two old principals' posts vacant: 6 held, need ceil(0.9) = 1, have 1 → holds
    assert _yp(sc, {"T3-SEC": None, "T4-SEC": None})[1] == []


def test_age_is_measured_at_the_wave_date():
    # one principal turns 36 on 2027-01-15, between wave 1 (2026-12-01) and wave 2 (2027-03-01)
    sc = _principals(1, ["1991-01-15"], waves=2)
    found = _yp(sc)[1]
    assert [(v.wave, v.amount) for v in found] == [(2, 1)]


def test_young_principals_overrides():
    # min_share 0.5 of 4 principals → need 2; one young → 1 short
    policy = only("young-principals") | {"young-principals": {"min_share": 0.5}}
    assert [v.amount for v in _yp(_principals(2, [born(30)], policy))[1]] == [1]
    # max_age 40 makes a 40-year-old young: 2 principals need 1
    policy = only("young-principals") | {"young-principals": {"max_age": 40}}
    assert _yp(_principals(1, [born(40)], policy))[1] == []
    # soft: 20 principals, 0 young → need 3 → cost 3 × 10
    policy = only("young-principals") | {"young-principals": {"mode": "soft", "weight": 10}}
    report, [v] = _yp(_principals(10, [], policy))
    assert (v.hard, v.amount, v.cost, report.objective) == (False, 3, 30, 30)


# ---------------------------------------------------------------------------------------- young-members


def _members(n, young, policy=None, township="T1", **extra):
    posts, cadres = staffed(township, n, birth_date=OLD)
    for c in cadres[:young]:
        c["birth_date"] = born(35)
    return make_scenario(posts=posts, cadres=cadres, policy=policy, **extra)


def _run(sc, rule, changes=None):
    report = run_check(sc, make_plan(sc, changes))
    return report, findings(report, rule)


def test_young_members_thirty_percent_exactly():
    # 10 members, 3 aged ≤ 35: 100 × 3 ≥ 30 × 10 → holds; 2 → need 3, amount 1
    assert _run(_members(10, 3, only("young-members")), "young-members")[1] == []
    report, [v] = _run(_members(10, 2, only("young-members")), "young-members")
    assert (v.hard, v.amount) == (True, 1) and not report.ok


def test_young_members_is_county_wide():
    # T1: 5 members all young, T2: 5 members none young → 5 of 10 ≥ 3 → holds county-wide
    p1, c1 = staffed("T1", 5, birth_date=born(30))
    p2, c2 = staffed("T2", 5, birth_date=OLD)
    sc = make_scenario(posts=p1 + p2, cadres=c1 + c2, policy=only("young-members"))
    assert _run(sc, "young-members")[1] == []


def test_young_members_seven():
    # 7 members: need ceil(2.1) = 3; 1 young → amount 2
    [v] = _run(_members(7, 1, only("young-members")), "young-members")[1]
    assert v.amount == 2


def test_young_members_vacancies_shrink_the_total():
    # 10 members, 2 young breaks (need 3); vacate 4 old posts → 6 members need ceil(1.8) = 2 → holds
    sc = _members(10, 2, only("young-members"))
    assert _run(sc, "young-members", {f"T1-P{i}": None for i in (7, 8, 9, 10)})[1] == []


def test_young_members_newcomer_counts():
    sc = _members(10, 2, only("young-members"))
    sc["cadres"].append(make_cadre("YOUNG", birth_date=born(29)))
    assert _run(sc, "young-members", {"T1-P10": "YOUNG"})[1] == []


def test_young_members_soft_override():
    policy = only("young-members") | {"young-members": {"mode": "soft", "weight": 4, "min_share": "1/2"}}
    # 10 members, 1/2 → need 5; 2 young → 3 short → 4 × 3 = 12
    report, [v] = _run(_members(10, 2, policy), "young-members")
    assert (v.hard, v.amount, v.cost, report.objective) == (False, 3, 12, 12)


# ----------------------------------------------------------------------------------- young-members-team


def test_young_members_team_default_soft_50_per_missing_person():
    p1, c1 = staffed("T1", 10, birth_date=OLD)
    for c in c1[:3]:
        c["birth_date"] = born(35)
    p2, c2 = staffed("T2", 7, birth_date=OLD)
    sc = make_scenario(posts=p1 + p2, cadres=c1 + c2, policy=only("young-members-team"))
    # T1: 3 of 10 ≥ 30% → holds; T2: need ceil(2.1) = 3, have 0 → amount 3 → cost 50 × 3 = 150
    report, [v] = _run(sc, "young-members-team")
    assert (v.hard, v.amount, v.cost, v.townships) == (False, 3, 150, ["T2"])
    assert report.ok and report.objective == 150


def test_young_members_team_one_short_and_age_boundary():
    # 10 members, need 3; two aged 35 and one aged 36 → 1 short → cost 50
    sc = _members(10, 2, only("young-members-team"))
    sc["cadres"][2]["birth_date"] = born(36)
    report, [v] = _run(sc, "young-members-team")
    assert (v.amount, v.cost) == (1, 50)


def test_young_members_team_hard_mode():
    policy = only("young-members-team") | {"young-members-team": {"mode": "hard"}}
    report, [v] = _run(_members(4, 1, policy), "young-members-team")
    # 4 members need ceil(1.2) = 2, have 1 → amount 1
    assert (v.hard, v.amount, v.cost) == (True, 1, 0) and not report.ok


# ---------------------------------------------------------------------------------------------- under-30


def _u30(births, policy=None, changes=None, **extra):
    posts, cadres = staffed("T1", len(births))
    for c, b in zip(cadres, births):
        c["birth_date"] = b
    sc = make_scenario(posts=posts, cadres=cadres, policy=policy or only("under-30"), **extra)
    return _run(sc, "under-30", changes)


def test_under_30_exactly_30_counts():
    # "1996-12-01" is exactly 30 on 2026-12-01
    report, found = _u30([OLD, OLD, "1996-12-01"])
    assert found == [] and report.ok


def test_under_30_aged_31_does_not():
    # "1995-12-01" is exactly 31 → 0 members ≤ 30, need 1 → amount 1
    report, [v] = _u30([OLD, OLD, "1995-12-01"])
    assert (v.hard, v.amount, v.townships) == (True, 1, ["T1"]) and not report.ok


@pytest.mark.parametrize("as_of, ok", [("2027-02-28", True), ("2027-03-01", False)])
def test_under_30_29_february_in_a_common_year(as_of, ok):
    # born 1996-02-29: still 30 on 2027-02-28, 31 on 2027-03-01 (2027 has no 29 February)
    _, found = _u30([OLD, "1996-02-29"], as_of=as_of)
    assert [v.amount for v in found] == ([] if ok else [1])


def test_under_30_empty_team_breaks_it():
    # everybody released: 0 members, 0 aged ≤ 30, need 1 → amount 1
    _, [v] = _u30([born(28), OLD], changes={"T1-P1": None, "T1-P2": None})
    assert v.amount == 1


def test_under_30_min_count_override():
    policy = only("under-30") | {"under-30": {"min_count": 2}}
    _, [v] = _u30([born(25), OLD, OLD], policy)
    assert v.amount == 1  # need 2, have 1
    assert _u30([born(25), born(30), OLD], policy)[1] == []


def test_under_30_soft():
    policy = only("under-30") | {"under-30": {"mode": "soft", "weight": 500}}
    report, [v] = _u30([OLD, OLD], policy)
    assert (v.hard, v.amount, v.cost, report.objective) == (False, 1, 500, 500) and report.ok


def test_under_30_a_township_without_posts_is_refused_not_silently_exempt():
    # T2 is listed but has no posts: no team to bind, and no longer accepted in silence (RULES/issue 12)
    posts, cadres = staffed("T1", 2)
    cadres[0]["birth_date"] = born(28)
    sc = make_scenario(["T1", "T2"], posts, cadres, only("under-30"))
    with pytest.raises(InputError) as err:
        _run(sc, "under-30")
    assert [p.location for p in err.value.problems] == ["townships[1] T2"]
