"""Who may hold a post: `party-posts` (party posts need a CPC member) and `ethnic-head` (the head of an
ethnic_township belongs to one of its ethnic_groups). Both appointment rules, hard."""

from __future__ import annotations

import pytest

from tests.helpers import findings, make_cadre, make_plan, make_post, make_scenario, make_township, only, run_check

PARTY = [
    "party_secretary",
    "deputy_secretary",
    "discipline_secretary",
    "organization_member",
    "publicity_member",
    "political_legal_member",
    "united_front_member",
]
NOT_PARTY = ["township_head", "congress_chair", "armed_forces_head", "deputy_head"]


def _one_post(role, cadre, policy, township=None):
    sc = make_scenario([township or make_township("T1")], [make_post("T1-P", "T1", role)], [cadre], policy)
    report = run_check(sc, make_plan(sc, {"T1-P": cadre["id"]}))
    return report


def _rank(role):
    return "section_chief" if role in ("party_secretary", "township_head", "congress_chair") else "deputy_section"


# ------------------------------------------------------------------------------------------ party-posts


@pytest.mark.parametrize("role", PARTY)
def test_party_post_needs_a_cpc_member(role):
    report = _one_post(role, make_cadre("X", cpc_member=False, rank=_rank(role)), only("party-posts"))
    [v] = findings(report, "party-posts")
    assert (v.hard, v.amount, v.cadres, v.posts) == (True, 1, ["X"], ["T1-P"])
    assert not report.ok
    report = _one_post(role, make_cadre("X", cpc_member=True, rank=_rank(role)), only("party-posts"))
    assert findings(report, "party-posts") == [] and report.ok


@pytest.mark.parametrize("role", NOT_PARTY)
def test_other_posts_are_open_to_non_members(role):
    report = _one_post(role, make_cadre("X", cpc_member=False, rank=_rank(role)), only("party-posts"))
    assert findings(report, "party-posts") == []


def test_a_non_member_incumbent_who_stays_is_not_blocked():
    sc = make_scenario(
        posts=[make_post("T1-P", "T1", "deputy_secretary")],
        cadres=[make_cadre("X", cpc_member=False, current_post="T1-P")],
        policy=only("party-posts"),
    )
    assert findings(run_check(sc, make_plan(sc)), "party-posts") == []


def test_party_posts_soft():
    policy = only("party-posts") | {"party-posts": {"mode": "soft", "weight": 2}}
    report = _one_post("organization_member", make_cadre("X", cpc_member=False), policy)
    [v] = findings(report, "party-posts")
    assert (v.hard, v.cost, report.objective) == (False, 2, 2)


# ------------------------------------------------------------------------------------------ ethnic-head

MIAO = make_township("T1", kind="ethnic_township", ethnic_groups=["苗族", "布依族"])


@pytest.mark.parametrize("ethnicity", ["苗族", "布依族"])
def test_ethnic_head_of_a_founding_group(ethnicity):
    report = _one_post(
        "township_head", make_cadre("X", rank="section_chief", ethnicity=ethnicity), only("ethnic-head"), MIAO
    )
    assert findings(report, "ethnic-head") == [] and report.ok


@pytest.mark.parametrize("ethnicity", ["汉族", "水族"])
def test_ethnic_head_of_another_group_is_forbidden(ethnicity):
    report = _one_post(
        "township_head", make_cadre("X", rank="section_chief", ethnicity=ethnicity), only("ethnic-head"), MIAO
    )
    [v] = findings(report, "ethnic-head")
    assert (v.hard, v.amount, v.cadres, v.townships) == (True, 1, ["X"], ["T1"])


def test_ethnic_head_binds_the_head_only():
    report = _one_post(
        "party_secretary", make_cadre("X", rank="section_chief", ethnicity="汉族"), only("ethnic-head"), MIAO
    )
    assert findings(report, "ethnic-head") == []


def test_ethnic_head_binds_ethnic_townships_only():
    # a `town` with minority groups recorded is not a 民族乡: its head is not bound
    town = make_township("T1", kind="town", ethnic_groups=["苗族"])
    report = _one_post(
        "township_head", make_cadre("X", rank="section_chief", ethnicity="汉族"), only("ethnic-head"), town
    )
    assert findings(report, "ethnic-head") == []


def test_ethnic_head_incumbent_staying_and_soft_mode():
    sc = make_scenario(
        [MIAO],
        [make_post("T1-HEAD", "T1", "township_head")],
        [make_cadre("X", rank="section_chief", current_post="T1-HEAD")],
        only("ethnic-head"),
    )
    assert findings(run_check(sc, make_plan(sc)), "ethnic-head") == []
    policy = only("ethnic-head") | {"ethnic-head": {"mode": "soft", "weight": 1000}}
    report = _one_post("township_head", make_cadre("X", rank="section_chief"), policy, MIAO)
    assert report.objective == 1000 and report.ok
