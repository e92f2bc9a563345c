"""Phased reshuffles (分批调整): plans in waves, solved and audited wave by wave."""

from __future__ import annotations

import copy

import pytest

from planner.audit.check import check_plan
from planner.domain import load_scenario
from planner.domain.timeutil import years_between
from planner.solver.options import SolveOptions
from planner.solver.solve import solve
from planner.io.synth import SynthOptions, generate
from tests.helpers import days_before, findings, make_cadre, make_plan, make_post, make_scenario, only, run_check


def _solve_checked(scenario: dict, time_limit: float = 30.0):
    inst = load_scenario(scenario)
    result = solve(inst, SolveOptions(time_limit=time_limit, workers=8))
    if result.found:
        report = check_plan(inst, result.plan)
        assert report.ok, [v.message_en for v in report.hard_violations]
        assert report.objective == result.objective
    return inst, result


def _both_principals_leaving(waves: int) -> dict:
    sc, _ = generate(SynthOptions(townships=6, seed=2))
    for c in sc["cadres"]:
        if c["current_post"] in ("T01-SEC", "T01-HEAD"):
            c["leaving"] = True
    sc["waves"] = waves
    return sc


def test_both_principals_leaving_is_infeasible_in_one_wave():
    # both holders must go, so both principal posts change; with one wave that is a double change
    _, result = _solve_checked(_both_principals_leaving(1))
    assert result.status == "infeasible"


def test_both_principals_leaving_is_solved_in_two_waves():
    inst, result = _solve_checked(_both_principals_leaving(2))
    assert result.status == "optimal"
    plan = result.plan
    arrivals = {a.post: a.wave for a in plan.assignments if a.post in ("T01-SEC", "T01-HEAD")}
    assert sorted(arrivals.values()) == [1, 2]  # one principal post changes in each wave
    leaving = {m.from_: m.wave for m in plan.moves if m.kind == "leaving" and m.from_ in arrivals}
    # seamless: each leaving principal goes in the very wave the successor arrives
    assert leaving == arrivals
    # the timeline shows both waves, with their dates and the teams after each
    assert [w["wave"] for w in plan.timeline] == [1, 2]
    assert [w["date"] for w in plan.timeline] == [d.isoformat() for d in inst.wave_dates]
    t01_after_1 = {e["post"]: e["cadre"] for e in plan.timeline[0]["teams"]["T01"]}
    wave2_post = next(p for p, w in arrivals.items() if w == 2)
    assert t01_after_1[wave2_post] == inst.holder[wave2_post]  # the second leaver still serves in wave 1


def _tenure_case(waves: int) -> dict:
    """T1's secretary S must move (forbidden to stay) with 2.8 years in post: under 3 now, over 3 a quarter on.

    1023 days / 365.25 = 2.80 years on as_of; wave 2 is 2027-03-01, 90 days later: 1113 / 365.25 = 3.05.
    """
    posts = [make_post("T1-SEC", "T1", "party_secretary"), make_post("T1-HEAD", "T1", "township_head")]
    cadres = [
        make_cadre("S", rank="section_chief", current_post="T1-SEC", post_since=days_before(1023)),
        make_cadre("H", rank="section_chief", current_post="T1-HEAD"),
        make_cadre("N", rank="section_chief"),
    ]
    policy = only(
        "min-tenure",
        "seamless-handover",
        "principal-change",
        "principal-filled",
        "rank-ladder",
        "principal-qualification",
    )
    return make_scenario(
        posts=posts, cadres=cadres, policy=policy, waves=waves, forbids=[{"cadre": "S", "post": "T1-SEC"}]
    )


def test_tenure_boundary_arithmetic_of_the_example():
    inst = load_scenario(_tenure_case(2))
    assert years_between(inst.cadres["S"].post_since, inst.wave_dates[0]) < 3
    assert years_between(inst.cadres["S"].post_since, inst.wave_dates[1]) >= 3


def test_secretary_short_of_three_years_must_wait_for_the_second_wave():
    _, one = _solve_checked(_tenure_case(1))
    assert one.status == "infeasible"
    inst, two = _solve_checked(_tenure_case(2))
    assert two.status == "optimal"
    by_post = {a.post: (a.cadre, a.wave) for a in two.plan.assignments}
    assert by_post["T1-SEC"] == ("N", 2)  # the successor arrives in wave 2 …
    [release] = [m for m in two.plan.moves if m.cadre == "S"]
    assert release.to is None and release.wave == 2  # … exactly when S leaves (seamless, tenure reached)
    assert by_post["T1-HEAD"] == ("H", 0)


def test_the_checker_catches_a_handover_gap_between_waves():
    sc = _tenure_case(2)
    sc["policy"]["min-tenure"] = {"mode": "off"}
    # S leaves in wave 1, N only arrives in wave 2: a wave with no secretary
    plan = make_plan(
        sc,
        {"T1-SEC": "N"},
        {"T1-SEC": 2},
        moves=[{"cadre": "S", "from": "T1-SEC", "to": None, "kind": "release", "wave": 1}],
    )
    report = run_check(sc, plan)
    [gap] = findings(report, "seamless-handover")
    assert gap.hard and gap.wave == 1 and gap.amount == 1 and gap.posts == ["T1-SEC"]
    [vacant] = findings(report, "principal-filled")
    assert vacant.wave == 1 and vacant.posts == ["T1-SEC"]
    # the same plan with the release in wave 2 is clean
    plan["moves"][0]["wave"] = 2
    assert run_check(sc, plan).ok


def test_the_checker_catches_a_double_change_within_one_wave():
    sc = _tenure_case(2)
    sc["policy"]["min-tenure"] = {"mode": "off"}
    sc["cadres"].append(make_cadre("M", rank="section_chief"))
    both_in_1 = make_plan(sc, {"T1-SEC": "N", "T1-HEAD": "M"}, {"T1-SEC": 1, "T1-HEAD": 1})
    [double] = findings(run_check(sc, both_in_1), "principal-change")
    assert double.hard and double.wave == 1 and double.amount == 1  # 2 changed − 1
    spread = make_plan(
        sc,
        {"T1-SEC": "N", "T1-HEAD": "M"},
        {"T1-SEC": 1, "T1-HEAD": 2},
        moves=[{"cadre": "H", "from": "T1-HEAD", "to": None, "kind": "release", "wave": 2}],
    )
    report = run_check(sc, spread)
    assert not findings(report, "principal-change") and report.ok


@pytest.mark.parametrize("seed", [1, 3])
def test_solved_multi_wave_plans_pass_the_checker_in_every_wave(seed):
    sc, _ = generate(SynthOptions(townships=4, seed=seed))
    sc["waves"] = 2
    inst, result = _solve_checked(sc)
    assert result.status == "optimal"
    # a county that needs no phasing is done in one wave: later moves only cost delay
    one = copy.deepcopy(sc)
    one["waves"] = 1
    _, single = _solve_checked(one)
    assert single.status == "optimal"
    assert result.objective == single.objective  # nothing is gained by waiting, nothing lost
    assert all(a.wave in (0, 1) for a in result.plan.assignments)


def test_explicit_wave_dates_are_used():
    sc = _tenure_case(1)
    sc["waves"] = ["2026-12-01", "2027-06-01"]
    inst, result = _solve_checked(sc)
    assert result.status == "optimal" and inst.waves == 2
    assert result.plan.timeline[1]["date"] == "2027-06-01"
