"""Avoidance (回避): `origin-avoidance` (appointment, hard) and `kinship-avoidance` (team, hard)."""

from __future__ import annotations

import pytest

from tests.helpers import findings, make_cadre, make_plan, make_post, make_scenario, only, run_check

CHIEF = {"rank": "section_chief"}


def _scenario(policy, extra_cadres=(), **extra):
    posts = [
        make_post("T1-SEC", "T1", "party_secretary"),
        make_post("T1-HEAD", "T1", "township_head"),
        make_post("T1-CHAIR", "T1", "congress_chair"),
        make_post("T1-DEP", "T1", "deputy_head"),
        make_post("T2-SEC", "T2", "party_secretary"),
        make_post("T2-DEP", "T2", "deputy_head"),
    ]
    cadres = [
        make_cadre("SEC", current_post="T1-SEC", **CHIEF),
        make_cadre("HEAD", current_post="T1-HEAD", **CHIEF),
        make_cadre("DEP", current_post="T1-DEP"),
        make_cadre("SEC2", current_post="T2-SEC", **CHIEF),
        *extra_cadres,
    ]
    return make_scenario(posts=posts, cadres=cadres, policy=policy, **extra)


def _run(sc, rule, changes=None, waves=None):
    report = run_check(sc, make_plan(sc, changes, waves))
    return report, findings(report, rule)


# ------------------------------------------------------------------------------------- origin-avoidance


@pytest.mark.parametrize("post", ["T1-SEC", "T1-HEAD"])
def test_new_principal_in_the_home_township_is_forbidden(post):
    x = make_cadre("X", origin_township="T1", **CHIEF)
    sc = _scenario(only("origin-avoidance"), [x])
    report, [v] = _run(sc, "origin-avoidance", {post: "X"})
    assert (v.rule, v.hard, v.amount, v.cadres, v.posts, v.townships) == (
        "origin-avoidance",
        True,
        1,
        ["X"],
        [post],
        ["T1"],
    )
    assert not report.ok


def test_new_principal_elsewhere_is_fine():
    x = make_cadre("X", origin_township="T1", **CHIEF)
    sc = _scenario(only("origin-avoidance"), [x])
    report, found = _run(sc, "origin-avoidance", {"T2-SEC": "X"})
    assert found == [] and report.ok


@pytest.mark.parametrize("post, rank", [("T1-CHAIR", "section_chief"), ("T1-DEP", "deputy_section")])
def test_non_principal_posts_in_the_home_township_are_fine(post, rank):
    x = make_cadre("X", origin_township="T1", rank=rank)
    sc = _scenario(only("origin-avoidance"), [x])
    assert _run(sc, "origin-avoidance", {post: "X"})[1] == []


def test_a_principal_already_serving_at_home_may_stay():
    sc = _scenario(only("origin-avoidance"))
    sc["cadres"][0]["origin_township"] = "T1"  # SEC grew up in T1 and serves there today
    assert _run(sc, "origin-avoidance")[1] == []


def test_origin_avoidance_soft():
    x = make_cadre("X", origin_township="T1", **CHIEF)
    sc = _scenario(only("origin-avoidance") | {"origin-avoidance": {"mode": "soft", "weight": 70}}, [x])
    report, [v] = _run(sc, "origin-avoidance", {"T1-HEAD": "X"})
    assert (v.hard, v.amount, v.cost, report.objective, report.ok) == (False, 1, 70, 70, True)


# ----------------------------------------------------------------------------------- kinship-avoidance


def test_relatives_in_one_team():
    x = make_cadre("X", relatives=["DEP"])
    sc = _scenario(only("kinship-avoidance"), [x])
    # X joins DEP's team T1 → 1 related pair → amount 1
    report, [v] = _run(sc, "kinship-avoidance", {"T1-CHAIR": "X"})
    assert (v.hard, v.amount, v.townships, sorted(v.cadres)) == (True, 1, ["T1"], ["DEP", "X"])
    assert not report.ok


def test_relatives_in_different_teams_are_fine():
    x = make_cadre("X", relatives=["DEP"])
    sc = _scenario(only("kinship-avoidance"), [x])
    report, found = _run(sc, "kinship-avoidance", {"T2-DEP": "X"})
    assert found == [] and report.ok


def test_relation_is_symmetric_when_listed_once():
    x = make_cadre("X")
    sc = _scenario(only("kinship-avoidance"), [x])
    sc["cadres"][2]["relatives"] = ["X"]  # only DEP lists X
    assert [v.amount for v in _run(sc, "kinship-avoidance", {"T1-CHAIR": "X"})[1]] == [1]


def test_relatives_already_together_are_reported_as_the_plan_leaves_them():
    # a team rule binds the team as the plan leaves it, incumbents included
    sc = _scenario(only("kinship-avoidance"))
    sc["cadres"][0]["relatives"] = ["HEAD"]
    assert [v.amount for v in _run(sc, "kinship-avoidance")[1]] == [1]
    # moving HEAD's relative SEC away to T2 resolves it
    assert _run(sc, "kinship-avoidance", {"T2-DEP": "SEC", "T1-SEC": "SEC2", "T2-SEC": None})[1] == []


def test_three_relatives_in_one_team_are_three_pairs():
    x = make_cadre("X", relatives=["SEC", "HEAD"])
    sc = _scenario(only("kinship-avoidance"), [x])
    sc["cadres"][0]["relatives"] = ["HEAD"]
    # pairs (SEC, HEAD), (SEC, X), (HEAD, X) → 3 findings of amount 1
    found = _run(sc, "kinship-avoidance", {"T1-DEP": "X"})[1]
    assert sorted(tuple(v.cadres) for v in found) == [("HEAD", "SEC"), ("HEAD", "X"), ("SEC", "X")]
    assert all(v.amount == 1 for v in found)


def test_kinship_in_an_intermediate_wave():
    # X (DEP's relative) arrives in T1 in wave 1; DEP only leaves for T2 in wave 2 → together in wave 1
    x = make_cadre("X", relatives=["DEP"])
    sc = _scenario(only("kinship-avoidance"), [x], waves=2)
    _, [v] = _run(
        sc, "kinship-avoidance", {"T1-CHAIR": "X", "T2-DEP": "DEP", "T1-DEP": None}, {"T1-CHAIR": 1, "T2-DEP": 2}
    )
    assert (v.wave, v.amount) == (1, 1)


def test_kinship_soft():
    x = make_cadre("X", relatives=["DEP"])
    sc = _scenario(only("kinship-avoidance") | {"kinship-avoidance": {"mode": "soft", "weight": 8}}, [x])
    report, [v] = _run(sc, "kinship-avoidance", {"T1-CHAIR": "X"})
    assert (v.hard, v.amount, v.cost, report.objective) == (False, 1, 8, 8)
