"""Recommendations for one post: exact consequences, consistent with solving with that pin."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from planner.cli.common import app
from planner.domain import load_scenario
from planner.domain.errors import InputError
from planner.analysis.recommend import recommend
from planner.solver.options import SolveOptions
from planner.solver.solve import solve
from planner.io.synth import SynthOptions, generate
from planner.analysis.delta import apply_delta
from tests.helpers import make_cadre, make_plan, make_post, make_scenario, only

FAST = SolveOptions(time_limit=10, workers=2)


@pytest.fixture(scope="module")
def county():
    sc, _ = generate(SynthOptions(townships=3, seed=5))
    return sc, load_scenario(sc)


def pinned_optimum(inst, cadre, post):
    pinned = load_scenario(
        apply_delta(inst.doc, {"format": "reshuffle-delta/1", "pins": [{"cadre": cadre, "post": post}]})
    )
    return solve(pinned, FAST)


def test_recommendations_agree_with_solving_with_the_pin(county):
    sc, inst = county
    post = next(p for p in inst.posts if inst.posts[p].role == "township_head")
    result = recommend(inst, post, top=3, time_limit=5, workers=2)
    ref = result["reference"]
    assert ref["kind"] == "optimum" and ref["status"] == "optimal"
    assert result["evaluated"] >= len(result["candidates"]) > 0
    objectives = [c["objective"] for c in result["candidates"] if c["objective"] is not None]
    assert objectives == sorted(objectives)  # best first
    assert objectives[0] == ref["objective"]  # someone takes the post in an optimal plan
    for c in result["candidates"]:
        assert c["status"] == "optimal" and c["proven"] and c["checker_ok"]
        assert c["objective_delta"] == c["objective"] - ref["objective"]
        pinned = pinned_optimum(inst, c["cadre"], post)
        assert pinned.status == "optimal" and pinned.objective == c["objective"]
        assert all(ch["post"] != post for ch in c["other_changes"]) and c["changes"] == len(c["other_changes"])


def test_against_a_base_plan_the_holder_forces_nothing(county):
    sc, inst = county
    base = solve(inst, FAST).plan
    post = next(p for p in inst.posts if inst.posts[p].role == "deputy_head")
    holder = {a.post: a.cadre for a in base.assignments}[post]
    result = recommend(inst, post, base, top=50, time_limit=5, workers=2)
    assert result["reference"]["kind"] == "base" and result["reference"]["holder"] == holder
    mine = next(c for c in result["candidates"] if c["cadre"] == holder)
    assert mine["objective"] == base.objective and mine["objective_delta"] == 0 and mine["changes"] == 0
    # whoever else is chosen displaces the holder: at least that change against the base is reported
    for c in result["candidates"]:
        if c["cadre"] != holder and c["objective"] is not None:
            assert c["objective"] >= base.objective


def infeasible_pin_scenario() -> dict:
    posts = [make_post("T1-SEC", "T1", "party_secretary"), make_post("T1-HEAD", "T1", "township_head")]
    cadres = [
        make_cadre("A", rank="section_chief", current_post="T1-SEC", leaving=True),
        make_cadre("B", rank="section_chief", current_post="T1-HEAD"),
        make_cadre("P", rank="section_chief"),
    ]
    return make_scenario(posts=posts, cadres=cadres, policy=only("principal-filled", "principal-change"))


def test_a_choice_that_admits_no_plan_names_the_rules_it_breaks():
    inst = load_scenario(infeasible_pin_scenario())
    result = recommend(inst, "T1-SEC", top=5, time_limit=2, workers=2)
    first, second = result["candidates"]
    assert first["cadre"] == "P" and first["status"] == "optimal" and first["changes"] == 0
    assert second["cadre"] == "B" and second["status"] == "infeasible" and second["objective"] is None
    [brk] = second["breaks"]
    assert brk["rule"] == "principal-change" and brk["townships"] == ["T1"]
    assert result["feasible"] == 1 and result["evaluated"] == 2


def test_unknown_post_is_a_located_error():
    inst = load_scenario(infeasible_pin_scenario())
    with pytest.raises(InputError) as err:
        recommend(inst, "NOPE")
    assert err.value.problems[0].location == "--post"


def test_cli_recommend(tmp_path):
    path = tmp_path / "s.json"
    sc = infeasible_pin_scenario()
    path.write_text(json.dumps(sc, ensure_ascii=False))
    runner = CliRunner()
    res = runner.invoke(app, ["recommend", str(path), "--post", "T1-SEC", "--top", "2", "--time-limit", "2"])
    assert res.exit_code == 0, res.output
    assert "干部P(P)" in res.output and "不可行" in res.output and "principal" in res.output.lower()
    base = tmp_path / "b.json"
    base.write_text(json.dumps(make_plan(sc, {"T1-SEC": "P"})))
    res = runner.invoke(app, ["recommend", str(path), "--post", "T1-SEC", "--base", str(base), "--json"])
    assert res.exit_code == 0
    assert json.loads(res.output)["reference"]["kind"] == "base"


def test_local_method_bounds_the_exact_one_from_above(county):
    sc, inst = county
    base = solve(inst, FAST).plan
    post = next(p for p in inst.posts if inst.posts[p].role == "township_head")
    exact = recommend(inst, post, base, top=100, time_limit=5, workers=2, method="exact")
    local = recommend(inst, post, base, top=100, time_limit=5, workers=2, method="local")
    assert exact["method"] == "exact" and local["method"] == "local"
    by_cadre = {c["cadre"]: c for c in exact["candidates"]}
    assert {c["cadre"] for c in local["candidates"]} == set(by_cadre)  # the same candidates
    for c in local["candidates"]:
        assert c["scope"] == "local" and not c["proven"]
        if c["objective"] is None:
            assert c["status"] == "wider"
            continue
        assert c["checker_ok"] and c["fewest_changes"]
        assert c["objective"] >= by_cadre[c["cadre"]]["objective"]  # fewer changes can only cost
        assert c["changes"] <= by_cadre[c["cadre"]]["changes"] or c["objective"] > by_cadre[c["cadre"]]["objective"]
