"""The plausibility benchmark (benchmarks.realism): its metric functions read a plan and its scenario alone; on
a small synthetic county the default plan meets the issue's targets, and the greedy officer-style plan is the
peer it is compared with."""

from __future__ import annotations

import pytest

from benchmarks import realism
from planner.audit.check import check_plan
from planner.io.synth import SynthOptions, generate
from planner.solver.options import SolveOptions
from planner.solver.solve import solve
from tests.helpers import make_cadre, make_post, make_scenario, make_township
from tests.solve_strategies import load

CHIEF = {"rank": "section_chief"}
READY = {"reserve_tier": "ready_now", "rank_since": "2015-01-01"}


def _county():
    """T1: the secretary retires; a ready deputy (DEP) and the chair could step up; OUT is a pool section chief."""
    posts = [
        make_post("T1-SEC", "T1", "party_secretary"),
        make_post("T1-HEAD", "T1", "township_head"),
        make_post("T1-CHAIR", "T1", "congress_chair"),
        make_post("T1-DEP", "T1", "deputy_head"),
        make_post("T1-DEP2", "T1", "deputy_head"),
    ]
    cadres = [
        make_cadre("SEC", current_post="T1-SEC", leaving=True, **CHIEF),
        make_cadre("HEAD", current_post="T1-HEAD", **CHIEF),
        make_cadre("CHAIR", current_post="T1-CHAIR", **CHIEF),
        make_cadre("DEP", current_post="T1-DEP", **READY),
        make_cadre("DEP2", current_post="T1-DEP2"),
        make_cadre("OUT", **CHIEF),
        make_cadre("POOL", **READY),
        make_cadre("POOL2", rank="staff", **READY),
    ]
    return load(make_scenario([make_township("T1")], posts, cadres, {}))


def test_an_outsider_while_an_eligible_deputy_stays_put_is_counted():
    inst = _county()
    m = realism.plan_metrics(inst, {**inst.holder, "T1-SEC": "OUT"})
    assert (m.principal_vacancies, m.principal_within, m.outside_with_insider) == (1, 0, 1)
    assert m.outside_with_insider_posts == ["T1-SEC"] and not m.targets()["no_outsider_over_insider"]
    assert (m.start_vacancies, m.moves_in, m.appointments, m.chains, m.longest_chain) == (1, 1, 1, 1, 1)


def test_a_promotion_chain_back_filled_from_the_pool():
    inst = _county()
    m = realism.plan_metrics(inst, {**inst.holder, "T1-SEC": "DEP", "T1-DEP": "POOL2"})
    assert (m.principal_within, m.outside_with_insider, m.promotions, m.laterals) == (1, 0, 2, 0)
    assert (m.chains, m.longest_chain, m.chains_longer_than_one, m.moves_per_vacancy) == (1, 2, 1, 2.0)
    assert m.new_principal_ages == [45] and all(m.targets().values())


def test_chair_to_head_is_a_step_up_and_deputy_to_deputy_is_lateral():
    inst = _county()
    # head → secretary and chair → head (steps up), OUT appointed chair: one chain of 3; DEP2 released to make
    # room for DEP (a lateral move), POOL into DEP's post: a second chain of 2
    final = {**inst.holder, "T1-SEC": "HEAD", "T1-HEAD": "CHAIR", "T1-CHAIR": "OUT", "T1-DEP2": "DEP", "T1-DEP": "POOL"}
    m = realism.plan_metrics(inst, final)
    assert (m.step_ups, m.laterals, m.appointments, m.releases) == (2, 1, 2, 1)
    assert (m.chains, m.longest_chain, m.chains_longer_than_one) == (2, 3, 2) and m.lateral_share == 1 / 5
    assert not m.targets()["lateral_at_most_10pct"] and not m.targets()["moves_at_most_twice_vacancies"]


def test_a_rotation_is_one_chain():
    inst = _county()
    m = realism.plan_metrics(inst, {**inst.holder, "T1-SEC": None, "T1-DEP": "DEP2", "T1-DEP2": "DEP"})
    assert (m.chains, m.longest_chain, m.laterals) == (1, 2, 2)


@pytest.mark.parametrize("townships,seed", [(4, 8), (6, 3)])
def test_the_default_plan_meets_the_targets_and_the_greedy_plan_does_not_beat_it(townships, seed):
    doc, _ = generate(SynthOptions(townships=townships, seed=seed))
    inst = load(doc)
    result = solve(inst, SolveOptions(time_limit=60))
    assert result.status == "optimal"
    report = check_plan(inst, result.plan)
    assert report.ok and report.objective == result.objective
    final = {a.post: a.cadre for a in result.plan.assignments}
    m = realism.plan_metrics(inst, final)
    assert m.principal_vacancies >= 1
    assert m.targets() == {
        "no_outsider_over_insider": True,
        "moves_at_most_twice_vacancies": True,
        "lateral_at_most_10pct": True,
    }
    assert m.within_share == 1.0  # every principal vacancy filled from the teams where an insider exists
    from planner.solver.greedy import greedy_plan

    g = realism.plan_metrics(inst, greedy_plan(inst))
    assert g.outside_with_insider >= m.outside_with_insider


def test_the_benchmark_table_and_files(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(
        realism, "_instances", lambda synth: [("synth-3", generate(SynthOptions(townships=3, seed=2))[0])]
    )
    assert realism.main(["--quick", "--out", str(tmp_path / "r")]) == 0
    out = capsys.readouterr().out
    assert "outside+insider" in out and "moves/vac." in out and "| synth-3 | planner |" in out
    assert (tmp_path / "r.md").exists() and (tmp_path / "r.csv").exists() and (tmp_path / "r.json").exists()
