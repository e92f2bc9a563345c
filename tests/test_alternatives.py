"""Alternatives: K audited plans that differ in at least a set number of principal posts; plan comparison."""

from __future__ import annotations

import json
from itertools import combinations

import pytest
from typer.testing import CliRunner

from planner.analysis.alternatives import alternatives, principal_posts
from planner.analysis.compare import compare
from planner.audit.check import check_plan
from planner.cli.common import app
from planner.domain import load_plan, load_scenario
from planner.io.synth import SynthOptions, generate
from planner.solver.options import SolveOptions
from planner.solver.solve import solve

FAST = SolveOptions(time_limit=20, workers=2)


@pytest.fixture(scope="module")
def county():
    sc, _ = generate(SynthOptions(townships=3, seed=5))
    return sc, load_scenario(sc)


@pytest.fixture(scope="module")
def three(county):
    sc, inst = county
    return alternatives(inst, 3, min_diff=2, options=FAST)


def _principals(inst, plan):
    final = check_plan(inst, plan).view.final
    return {p: final[p] for p in principal_posts(inst)}


def test_three_audited_plans_differing_in_principal_posts(county, three):
    sc, inst = county
    plans = three["plans"]
    assert len(plans) == 3 and three["statuses"] == ["optimal"] * 3
    objectives = [p.objective for p in plans]
    assert objectives == sorted(objectives)
    assert objectives[0] == solve(inst, FAST).objective  # the first is the optimum
    for plan in plans:
        report = check_plan(inst, load_plan(plan.model_dump(mode="json", by_alias=True), inst))
        assert report.ok and report.objective == plan.objective
    heads = [_principals(inst, p) for p in plans]
    for a, b in combinations(heads, 2):
        assert sum(a[p] != b[p] for p in a) >= 2
    for rank, (plan, mine) in enumerate(zip(plans, heads), start=1):
        alt = plan.alternative
        assert alt["rank"] == rank and alt["gap_to_best"] == plan.objective - objectives[0]
        assert {d["post"] for d in alt["differs_from_best"]} == {p for p in mine if mine[p] != heads[0][p]}
        assert sum(d["delta"] for d in alt["breakdown_delta"]) == alt["gap_to_best"]


def test_no_alternative_when_the_difference_asked_cannot_exist(county):
    sc, inst = county
    ans = alternatives(inst, 2, min_diff=len(principal_posts(inst)) + 1, options=FAST)
    assert len(ans["plans"]) == 1 and ans["statuses"] == ["optimal", "infeasible"]


def test_compare_a_plan_with_itself_is_empty(county, three):
    sc, inst = county
    plan = three["plans"][0]
    cmp = compare(inst, plan, plan.model_copy(deep=True))
    assert cmp["same"] and cmp["posts"] == [] and cmp["townships"] == [] and cmp["rules"] == []
    assert cmp["objective"]["delta"] == 0 and cmp["totals"]["delta"] == {}


def test_compare_lists_exactly_the_differing_posts(county, three):
    sc, inst = county
    a, b = three["plans"][0], three["plans"][2]
    cmp = compare(inst, a, b)
    fa = {x.post: x.cadre for x in a.assignments}
    fb = {x.post: x.cadre for x in b.assignments}
    assert [r["post"] for r in cmp["posts"]] == [p for p in inst.posts if fa[p] != fb[p]]
    assert all((r["a"], r["b"]) == (fa[r["post"]], fb[r["post"]]) for r in cmp["posts"])
    assert not cmp["same"] and cmp["objective"]["delta"] == b.objective - a.objective
    assert sum(r["delta"] for r in cmp["rules"]) == cmp["objective"]["delta"]
    ra, rb = check_plan(inst, a), check_plan(inst, b)
    for row in cmp["townships"]:
        i = [t.township for t in ra.townships].index(row["township"])
        assert row["delta"] == {
            f: v for f, v in ((f, getattr(rb.townships[i], f) - getattr(ra.townships[i], f)) for f in row["delta"])
        }
        assert all(v != 0 for v in row["delta"].values())
    # a hand-drawn plan: today's teams with one post left vacant
    post = next(p for p in inst.posts if inst.holder[p] is not None)
    today = {
        "format": "reshuffle-plan/1",
        "county": sc["county"]["id"],
        "as_of": sc["as_of"],
        "status": "feasible",
        "assignments": [{"post": p, "cadre": c, "wave": 0} for p, c in inst.holder.items()],
    }
    hand = json.loads(json.dumps(today))
    next(x for x in hand["assignments"] if x["post"] == post)["cadre"] = None
    cmp = compare(inst, today, hand)
    assert [r["post"] for r in cmp["posts"]] == [post] and cmp["posts"][0]["b"] is None


def test_cli_alternatives_and_compare(county, tmp_path):
    sc, inst = county
    path = tmp_path / "county.json"
    path.write_text(json.dumps(sc, ensure_ascii=False))
    out = tmp_path / "plan.json"
    res = CliRunner().invoke(
        app,
        [
            "solve",
            str(path),
            "--out",
            str(out),
            "--quiet",
            "--workers",
            "2",
            "--time-limit",
            "20",
            "--alternatives",
            "3",
            "--differ",
            "2",
        ],
    )
    assert res.exit_code == 0, res.output
    files = [out, tmp_path / "plan.alt2.json", tmp_path / "plan.alt3.json"]
    docs = [json.loads(f.read_text()) for f in files]
    assert [d["alternative"]["rank"] for d in docs] == [1, 2, 3]
    assert all(m["reasons"] for d in docs for m in d["moves"])
    for f in files:
        assert CliRunner().invoke(app, ["check", str(path), str(f)]).exit_code == 0
    res = CliRunner().invoke(app, ["compare", str(files[0]), str(files[0]), "--scenario", str(path), "--json"])
    assert res.exit_code == 0 and json.loads(res.output)["same"] is True
    res = CliRunner().invoke(app, ["compare", str(files[0]), str(files[1]), "--scenario", str(path), "--json"])
    cmp = json.loads(res.output)
    assert res.exit_code == 0 and {d["post"] for d in docs[1]["alternative"]["differs_from_best"]} <= {
        r["post"] for r in cmp["posts"]
    }
    res = CliRunner().invoke(app, ["compare", str(files[0]), str(files[1]), "--scenario", str(path)])
    assert res.exit_code == 0 and "岗位差异" in res.output
    bad = tmp_path / "bad.json"
    broken = json.loads(json.dumps(docs[1]))
    broken["assignments"][0]["post"] = "NOPE"
    bad.write_text(json.dumps(broken))
    res = CliRunner().invoke(app, ["compare", str(files[0]), str(bad), "--scenario", str(path)])
    assert res.exit_code == 2 and "plan B" in res.output and "NOPE" in res.output and "Traceback" not in res.output
