"""Reasons for every move, and the runner-up of every principal post with its exact price."""

from __future__ import annotations

import json
import re

import pytest
from typer.testing import CliRunner

from planner.analysis.delta import apply_delta
from planner.analysis.reasons import annotate_reasons, reasons_text, runner_ups
from planner.audit.check import check_plan
from planner.cli.common import app
from planner.domain import load_plan, load_scenario
from planner.domain.vocab import PRINCIPAL_ROLES, RANK_LEVEL
from planner.io.synth import SynthOptions, generate
from planner.rules import REGISTRY
from planner.solver.options import SolveOptions
from planner.solver.solve import solve

FAST = SolveOptions(time_limit=20, workers=2)
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def county():
    sc, _ = generate(SynthOptions(townships=3, seed=5))
    inst = load_scenario(sc)
    res = solve(inst, FAST)
    assert res.status == "optimal" and res.plan.solver["checker_hard_violations"] == 0
    return sc, inst, res.plan


def test_every_move_into_a_post_has_reasons_in_chinese_and_english(county):
    sc, inst, plan = county
    plan = annotate_reasons(inst, plan.model_copy(deep=True))
    into = [mv for mv in plan.moves if mv.to is not None]
    assert into, "the sample county's plan moves somebody"
    for mv in plan.moves:
        assert mv.reasons, f"{mv.cadre} → {mv.to} has no reason"
        for r in mv.reasons:
            assert CJK.search(r.message_zh) and r.message_en and not CJK.sub("", r.message_en) == ""
            assert r.rule is None or r.rule in REGISTRY
        assert reasons_text(mv) and reasons_text(mv, "en")
        assert reasons_text(mv.model_dump(mode="json", by_alias=True)) == reasons_text(mv)
    # the plan document with its reasons is still a valid plan the checker reads the same way
    doc = plan.model_dump(mode="json", by_alias=True)
    assert all(m["reasons"] for m in doc["moves"])
    again = load_plan(json.loads(json.dumps(doc)), inst)
    assert check_plan(inst, again).objective == check_plan(inst, plan).objective


def test_reasons_name_what_the_checker_credits_and_the_quotas_served(county):
    sc, inst, plan = county
    plan = annotate_reasons(inst, plan.model_copy(deep=True))
    report = check_plan(inst, plan)
    rules_of = {mv.cadre: {r.rule for r in mv.reasons} for mv in plan.moves}
    into = {mv.cadre: mv for mv in plan.moves if mv.to is not None}
    for v in report.bonuses:  # every bonus the checker credits to a placement is a reason of that move
        for c in v.cadres:
            if c in into:
                assert v.rule in rules_of[c], (c, v.rule)
    for c, mv in into.items():
        cad, post = inst.cadres[c], inst.posts[mv.to]
        if RANK_LEVEL[post.rank] > RANK_LEVEL[cad.rank]:
            assert "rank-ladder" in rules_of[c]
        date = inst.date_of_wave(mv.wave)
        if inst.policy["under-30"].on and inst.age(c, date) <= inst.policy["under-30"].params.max_age:
            assert "under-30" in rules_of[c]
        if inst.policy["women"].on and cad.gender == "F":
            assert "women" in rules_of[c]
        if (
            post.role in PRINCIPAL_ROLES
            and inst.policy["young-principals"].on
            and inst.age(c, date) <= inst.policy["young-principals"].params.max_age
        ):
            assert "young-principals" in rules_of[c]
    for chain in plan.chains:  # a chain longer than one is named in each of its links' reasons
        if len(chain) > 1:
            for c in chain:
                assert any(r.rule is None and inst.name(chain[0]) in r.message_zh for r in into[c].reasons)


def pinned(inst, cadre, post):
    return load_scenario(
        apply_delta(inst.doc, {"format": "reshuffle-delta/1", "pins": [{"cadre": cadre, "post": post}]})
    )


def test_runner_up_price_equals_solving_with_the_runner_up_pinned(county):
    sc, inst, plan = county
    ans = runner_ups(inst, plan, method="exact", time_limit=20, workers=2)
    principals = [p for p, post in inst.posts.items() if post.role in PRINCIPAL_ROLES]
    assert ans["method"] == "exact" and [r["post"] for r in ans["posts"]] == principals
    final = check_plan(inst, plan).view.final
    priced = 0
    for row in ans["posts"]:
        assert row["chosen"] == final[row["post"]]
        assert row["message_zh"] and row["message_en"]
        assert row["status"] in ("optimal", "infeasible"), row
        if row["status"] == "infeasible":
            assert row["price"] is None
            if row["runner_up"] is not None:  # the cheapest other choice, and the hard rules it breaks
                assert row["breaks"]
                assert solve(pinned(inst, row["runner_up"], row["post"]), FAST).status == "infeasible"
            continue
        assert row["runner_up"] not in (None, row["chosen"]) and row["proven"] and row["checker_ok"]
        again = solve(pinned(inst, row["runner_up"], row["post"]), FAST)
        assert again.status == "optimal"
        assert again.objective - plan.objective == row["price"] >= 0
        assert sum(r["delta"] for r in row["rules"]) == row["price"]
        priced += 1
    assert priced, "at least one principal post has a priced runner-up"


def test_local_runner_up_price_is_an_upper_bound_of_the_exact_one(county):
    sc, inst, plan = county
    posts = [p for p, post in inst.posts.items() if post.role in PRINCIPAL_ROLES][:3]
    exact = {
        r["post"]: r for r in runner_ups(inst, plan, method="exact", posts=posts, time_limit=20, workers=2)["posts"]
    }
    local = runner_ups(inst, plan, method="local", posts=posts, time_limit=20, workers=2)
    for row in local["posts"]:
        assert row["scope"] == "local" and not row["proven"]
        if row["price"] is not None:
            assert exact[row["post"]]["price"] is not None and row["price"] >= exact[row["post"]]["price"]


def test_cli_solve_writes_reasons_and_runner_ups(county, tmp_path):
    sc, inst, plan = county
    path = tmp_path / "county.json"
    path.write_text(json.dumps(sc, ensure_ascii=False))
    out = tmp_path / "plan.json"
    res = CliRunner().invoke(
        app, ["solve", str(path), "--out", str(out), "--quiet", "--workers", "2", "--time-limit", "20", "--runner-up"]
    )
    assert res.exit_code == 0, res.output
    doc = json.loads(out.read_text())
    assert all(m["reasons"] for m in doc["moves"])
    principals = {p for p, post in inst.posts.items() if post.role in PRINCIPAL_ROLES}
    assert {r["post"] for r in doc["runner_up"]} == principals
    assert "拟任理由" in res.output and "次选" in res.output
    res = CliRunner().invoke(
        app, ["solve", str(path), "--out", str(out), "--quiet", "--workers", "2", "--time-limit", "20", "--no-reasons"]
    )
    assert res.exit_code == 0, res.output
    doc = json.loads(out.read_text())
    assert all(m["reasons"] is None for m in doc["moves"]) and doc["runner_up"] is None
    assert "拟任理由" not in res.output
