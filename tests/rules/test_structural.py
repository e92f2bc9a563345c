"""`one-post` and `leaving` (RULES.md: structural, hard always, cannot be turned off)."""

from __future__ import annotations

import pytest

from planner.domain.errors import InputError
from tests.helpers import findings, make_cadre, make_plan, make_post, make_scenario, only, rules_hit, run_check


def _scenario(**extra):
    posts = [make_post("T1-P1", "T1"), make_post("T1-P2", "T1"), make_post("T1-P3", "T1")]
    cadres = [
        make_cadre("A", current_post="T1-P1"),
        make_cadre("B", current_post="T1-P2"),
        make_cadre("C"),  # pool
        make_cadre("D"),  # pool
    ]
    return make_scenario(posts=posts, cadres=cadres, policy=only(), **extra)


# ------------------------------------------------------------------------------------------ one-post


def test_one_post_holds_for_a_plain_rotation():
    sc = _scenario()
    # A: P1 → P2, B: P2 → P3, C fills P1: every cadre once, every post once
    report = run_check(sc, make_plan(sc, {"T1-P1": "C", "T1-P2": "A", "T1-P3": "B"}))
    assert findings(report, "one-post") == []
    assert report.ok


def test_one_post_cadre_in_two_posts_is_one_surplus():
    sc = _scenario()
    # A keeps P1 and is also listed in P3 → 2 posts, 2 − 1 = 1 surplus
    report = run_check(sc, make_plan(sc, {"T1-P3": "A"}))
    [v] = findings(report, "one-post")
    assert (v.hard, v.amount) == (True, 1)
    assert v.cadres == ["A"] and sorted(v.posts) == ["T1-P1", "T1-P3"]
    assert not report.ok


def test_one_post_cadre_in_three_posts_is_two_surplus():
    sc = _scenario()
    # C (pool) listed in P1, P2 and P3 → 3 − 1 = 2 surplus entries
    report = run_check(sc, make_plan(sc, {"T1-P1": "C", "T1-P2": "C", "T1-P3": "C"}))
    cadre_findings = [v for v in findings(report, "one-post") if v.cadres == ["C"]]
    assert [v.amount for v in cadre_findings] == [2]


def test_one_post_post_with_two_entries():
    sc = _scenario()
    # P3 listed twice (C and D) → 2 entries, 2 − 1 = 1 surplus holder; each cadre holds one post only
    plan = make_plan(sc, {"T1-P3": "C"}, extra_assignments=[{"post": "T1-P3", "cadre": "D", "wave": 1}])
    report = run_check(sc, plan)
    [v] = findings(report, "one-post")
    assert (v.hard, v.amount, v.posts) == (True, 1, ["T1-P3"])
    assert sorted(v.cadres) == ["C", "D"]


def test_one_post_new_holder_arrives_before_the_incumbent_leaves():
    sc = _scenario(waves=2)
    # C takes P1 in wave 1, but its incumbent A only moves to P3 in wave 2 → P1 has 2 holders in wave 1
    plan = make_plan(sc, {"T1-P1": "C", "T1-P3": "A"}, waves={"T1-P1": 1, "T1-P3": 2})
    [v] = findings(run_check(sc, plan), "one-post")
    assert (v.hard, v.amount, v.wave, v.posts) == (True, 1, 1, ["T1-P1"])
    assert sorted(v.cadres) == ["A", "C"]


def test_one_post_incumbent_leaving_first_is_no_overlap():
    sc = _scenario(waves=2)
    # A moves to P3 in wave 1 and C takes P1 in wave 2: P1 is merely vacant in wave 1
    plan = make_plan(sc, {"T1-P1": "C", "T1-P3": "A"}, waves={"T1-P1": 2, "T1-P3": 1})
    assert findings(run_check(sc, plan), "one-post") == []


@pytest.mark.parametrize("mode", ["off", "soft"])
def test_one_post_is_locked(mode):
    sc = _scenario()
    sc["policy"]["one-post"] = {"mode": mode}
    with pytest.raises(InputError) as err:
        run_check(sc, make_plan(sc))
    assert any("one-post" in p.location for p in err.value.problems)


# ------------------------------------------------------------------------------------------- leaving


def _leaving_scenario():
    sc = _scenario()
    sc["cadres"][0]["leaving"] = True  # A (holds P1) retires
    return sc


def test_leaving_cadre_who_goes_is_fine():
    sc = _leaving_scenario()
    report = run_check(sc, make_plan(sc, {"T1-P1": "C"}))
    assert findings(report, "leaving") == []
    assert report.ok


def test_leaving_cadre_who_stays_breaks_it():
    sc = _leaving_scenario()
    # the plan keeps A in P1 → A holds 1 post → amount 1
    report = run_check(sc, make_plan(sc))
    [v] = findings(report, "leaving")
    assert (v.hard, v.amount, v.cadres, v.posts) == (True, 1, ["A"], ["T1-P1"])
    assert rules_hit(report) == {"leaving"}
    assert not report.ok


def test_leaving_cadre_moved_elsewhere_breaks_it():
    sc = _leaving_scenario()
    report = run_check(sc, make_plan(sc, {"T1-P1": None, "T1-P3": "A"}))
    [v] = findings(report, "leaving")
    assert (v.amount, v.posts) == (1, ["T1-P3"])


def test_two_leaving_cadres_kept_are_two_findings():
    sc = _leaving_scenario()
    sc["cadres"][1]["leaving"] = True
    # A in P1 and B in P2 both kept → 1 + 1
    found = findings(run_check(sc, make_plan(sc)), "leaving")
    assert sorted((v.cadres[0], v.amount) for v in found) == [("A", 1), ("B", 1)]


@pytest.mark.parametrize("mode", ["off", "soft"])
def test_leaving_is_locked(mode):
    sc = _leaving_scenario()
    sc["policy"]["leaving"] = {"mode": mode}
    with pytest.raises(InputError) as err:
        run_check(sc, make_plan(sc))
    assert any("leaving" in p.location for p in err.value.problems)


def test_leaving_cadre_in_a_duplicate_entry_still_holds_that_post():
    sc = _leaving_scenario()
    # P3 is listed twice, C first and A second: A still "holds a post in the plan" → leaving amount 1
    # (one-post also reports the doubly-listed P3)
    plan = make_plan(sc, {"T1-P1": None, "T1-P3": "C"}, extra_assignments=[{"post": "T1-P3", "cadre": "A", "wave": 1}])
    report = run_check(sc, plan)
    [v] = findings(report, "leaving")
    assert (v.amount, v.cadres, v.posts) == (1, ["A"], ["T1-P3"])
    assert [v.posts for v in findings(report, "one-post")] == [["T1-P3"]]
