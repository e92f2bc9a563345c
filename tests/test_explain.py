"""Why no plan: the named rules, townships and people, and the relaxations that give a plan."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from planner.audit.check import check_plan
from planner.cli.common import app
from planner.domain import load_scenario
from planner.analysis.explain import explain
from planner.analysis.explain.hall import hall_groups
from planner.solver.options import SolveOptions
from planner.solver.solve import solve
from planner.analysis.delta import apply_delta
from tests.helpers import days_before, make_cadre, make_post, make_scenario, only

FAST = dict(time_limit=20, workers=2)
TIMING = only("principal-filled", "principal-change", "seamless-handover")


def rules_of(ex) -> set[str]:
    return {r["rule"] for r in ex["rules"]}


def rule(ex, rid):
    return next(r for r in ex["rules"] if r["rule"] == rid)


def relaxation(ex, change, rid=None):
    return next(x for x in ex["relaxations"] if x["change"] == change and (rid is None or x["rule"] == rid))


def principals(
    t: str, sec_id: str, head_id: str, sec: dict | None = None, head: dict | None = None
) -> tuple[list, list]:
    """Township `t`'s secretary and head posts, held by `sec_id` and `head_id` (overrides in `sec`, `head`)."""
    posts = [make_post(f"{t}-SEC", t, "party_secretary"), make_post(f"{t}-HEAD", t, "township_head")]
    cadres = [
        make_cadre(sec_id, rank="section_chief", current_post=f"{t}-SEC", **(sec or {})),
        make_cadre(head_id, rank="section_chief", current_post=f"{t}-HEAD", **(head or {})),
    ]
    return posts, cadres


def both_leaving_scenario(townships=("T1",)) -> dict:
    posts, cadres = [], []
    for k, t in enumerate(townships):
        p, c = principals(t, f"S{k}", f"H{k}", sec={"leaving": True}, head={"leaving": True})
        posts += p
        cadres += c
    cadres += [make_cadre(f"P{k}", rank="section_chief") for k in range(2 * len(townships))]
    return make_scenario(posts=posts, cadres=cadres, policy=TIMING)


def test_both_principals_leaving_names_principal_change_and_the_township():
    inst = load_scenario(both_leaving_scenario())
    assert solve(inst, SolveOptions(**FAST)).status == "infeasible"
    ex = explain(inst, **FAST)
    assert ex["method"] == "core" and ex["minimal"] and ex["all_conflicts"]
    assert rules_of(ex) == {"principal-change"}
    pc = rule(ex, "principal-change")
    assert pc["townships"] == ["T1"]
    assert "同时离任" in pc["message_zh"] and "同一批次同时调整" in pc["message_zh"]
    assert "both principals are leaving" in pc["message_en"]
    assert ex["message_zh"].startswith("不存在满足全部刚性规则的方案")
    # relaxations: the rule soft, or two waves, each gives a plan; each is a delta what-if accepts
    soft = relaxation(ex, "soft", "principal-change")
    assert soft["feasible"] and soft["delta"]["policy"] == {"principal-change": {"mode": "soft"}}
    assert [v["rule"] for v in soft["violations"]] == ["principal-change"]
    waves = relaxation(ex, "waves")
    assert waves["feasible"] and waves["delta"]["waves"] == 2
    relaxed = load_scenario(apply_delta(inst.doc, soft["delta"]))
    plan = solve(relaxed, SolveOptions(**FAST)).plan
    assert check_plan(relaxed, plan).ok and plan.objective == soft["objective"]


def test_secretary_post_without_a_cpc_candidate_is_found_by_matching():
    posts = [
        make_post("T1-SEC", "T1", "party_secretary"),
        make_post("T1-HEAD", "T1", "township_head"),
        make_post("T1-D1", "T1"),
    ]
    cadres = [
        make_cadre("A", rank="section_chief", current_post="T1-SEC", leaving=True),
        make_cadre("B", rank="section_chief", current_post="T1-HEAD", cpc_member=False),
        make_cadre("D", current_post="T1-D1", cpc_member=False, reserve_tier="ready_now"),
        make_cadre("N1", rank="section_chief", cpc_member=False),
        make_cadre("N2", rank="section_chief", cpc_member=False),
    ]
    inst = load_scenario(
        make_scenario(posts=posts, cadres=cadres, policy=only("principal-filled", "party-posts", "rank-ladder"))
    )
    [group] = hall_groups(inst)
    assert group["posts"] == ["T1-SEC"] and group["eligible"] == [] and group["deficit"] == 1
    ex = explain(inst, **FAST)
    assert ex["method"] == "matching"
    assert {"principal-filled", "party-posts"} <= rules_of(ex)
    pp = rule(ex, "party-posts")
    assert pp["posts"] == ["T1-SEC"] and set(pp["cadres"]) == {"B", "D", "N1", "N2"}
    assert pp["only_reason"] == 4  # party membership alone rules each of them out
    assert rule(ex, "principal-filled")["posts"] == ["T1-SEC"]
    assert "T1-SEC" in ex["message_zh"] and "中共党员" in ex["message_zh"]
    assert relaxation(ex, "soft", "party-posts")["feasible"]


def test_group_of_secretary_posts_and_a_tenure_block():
    # two secretary posts need CPC members: E qualifies, F too but has held T2-HEAD under 3 years (min-tenure)
    p1, c1 = principals("T1", "A", "B", sec={"leaving": True}, head={"cpc_member": False})
    p2, c2 = principals("T2", "E", "F", head={"post_since": days_before(365)})
    pool = [make_cadre("P", rank="section_chief", cpc_member=False)]
    inst = load_scenario(
        make_scenario(
            posts=p1 + p2,
            cadres=c1 + c2 + pool,
            policy=only("principal-filled", "party-posts", "min-tenure", "principal-change"),
        )
    )
    ex = explain(inst, **FAST)
    assert ex["method"] == "matching"
    assert set(rule(ex, "principal-filled")["posts"]) == {"T1-SEC", "T2-SEC"}
    assert rule(ex, "principal-filled")["cadres"] == ["E"]
    assert rule(ex, "min-tenure")["cadres"] == ["F"]
    approve = relaxation(ex, "approve", "min-tenure")
    assert approve["delta"]["approvals"] == ["F"] and approve["feasible"]


def test_pin_that_breaks_a_placement_rule_is_named_by_the_core():
    p1, c1 = principals("T1", "A", "B")
    pool = [make_cadre("N", rank="section_chief", cpc_member=False)]
    sc = make_scenario(
        posts=p1,
        cadres=c1 + pool,
        policy=only("principal-filled", "party-posts"),
        pins=[{"cadre": "N", "post": "T1-SEC"}],
    )
    inst = load_scenario(sc)
    ex = explain(inst, **FAST)
    assert ex["method"] == "core" and ex["minimal"]
    assert rules_of(ex) == {"pin", "party-posts"}
    assert rule(ex, "pin")["cadres"] == ["N"] and rule(ex, "pin")["posts"] == ["T1-SEC"]
    assert rule(ex, "party-posts")["posts"] == ["T1-SEC"] and "N" in rule(ex, "party-posts")["cadres"]
    unpin = relaxation(ex, "unpin")
    assert unpin["feasible"] and unpin["delta"]["unpins"] == [{"cadre": "N", "post": "T1-SEC"}]


def test_deeper_core_is_minimised_to_the_rules_that_matter():
    # T1's secretary leaves; the only possible successor X is a relative of head H, who may not move (tenure)
    p1, c1 = principals(
        "T1", "A", "H", sec={"leaving": True}, head={"post_since": days_before(400), "relatives": ["X"]}
    )
    pool = [make_cadre("X", rank="section_chief"), make_cadre("Y", rank="section_chief", cpc_member=False)]
    policy = only(
        "principal-filled", "principal-change", "seamless-handover", "kinship-avoidance", "min-tenure", "party-posts"
    )
    inst = load_scenario(make_scenario(posts=p1, cadres=c1 + pool, policy=policy))
    assert not hall_groups(inst)
    ex = explain(inst, **FAST)
    assert ex["method"] == "core" and ex["minimal"]
    names = rules_of(ex)
    assert {"kinship-avoidance", "min-tenure"} <= names
    assert names & {"principal-filled", "seamless-handover"}
    assert "T1" in rule(ex, "kinship-avoidance")["townships"]
    assert set(rule(ex, "kinship-avoidance")["cadres"]) == {"H", "X"}
    assert rule(ex, "min-tenure")["cadres"] == ["H"]
    assert any(x["feasible"] for x in ex["relaxations"])


def test_independent_conflicts_are_all_named_and_relaxed_together():
    inst = load_scenario(both_leaving_scenario(("T1", "T2")))
    ex = explain(inst, **FAST)
    assert ex["conflicts"] == 2 and ex["all_conflicts"]
    assert sorted(r["townships"][0] for r in ex["rules"]) == ["T1", "T2"]
    assert {r["conflict"] for r in ex["rules"]} == {1, 2}
    assert ex["message_en"].count("both principals are leaving") == 2
    assert any(
        x["feasible"]
        and x["delta"] == {"format": "reshuffle-delta/1", "policy": {"principal-change": {"mode": "soft"}}}
        for x in ex["relaxations"]
    )


def test_threshold_relaxation_for_a_quota_rule():
    posts = [make_post(f"T{k}-D1", f"T{k}") for k in (1, 2)]
    cadres = [make_cadre(f"C{k}", current_post=f"T{k}-D1") for k in (1, 2)]  # both 45, nobody young
    policy = only("young-members", "post-filled") | {
        "young-members": {"min_share": 0.3},
        "post-filled": {"mode": "hard"},
    }
    inst = load_scenario(make_scenario(posts=posts, cadres=cadres, policy=policy))
    ex = explain(inst, **FAST)
    assert rules_of(ex) == {"young-members", "post-filled"}  # or leave posts vacant: fewer members, fewer needed
    threshold = relaxation(ex, "threshold", "young-members")
    assert threshold["feasible"] and threshold["delta"]["policy"] == {"young-members": {"min_share": 0.0}}


def test_a_threshold_in_years_is_named_in_years_not_as_a_share():
    # a policy's years arrive as Fractions, as shares do: the wording once showed min_years=3 as "300%"
    posts = [make_post("T1-D1", "T1")]
    cadres = [make_cadre("C1", current_post="T1-D1", township_work_years=1.0)]
    policy = only("team-experience", "post-filled") | {
        "team-experience": {"min_years": 3},
        "post-filled": {"mode": "hard"},
    }
    ex = explain(load_scenario(make_scenario(posts=posts, cadres=cadres, policy=policy)), relax=False, **FAST)
    message = rule(ex, "team-experience")["message_en"]
    assert "min_years=3," in message and "min_share=66.6667%" in message, message


def test_feasible_scenario_has_nothing_to_explain():
    p1, c1 = principals("T1", "A", "B")
    inst = load_scenario(make_scenario(posts=p1, cadres=c1, policy=TIMING))
    ex = explain(inst, **FAST)
    assert ex["method"] == "none" and ex["rules"] == []


def test_cli_explain_and_solve_carry_the_explanation(tmp_path):
    path = tmp_path / "s.json"
    path.write_text(json.dumps(both_leaving_scenario(), ensure_ascii=False))
    runner = CliRunner()
    res = runner.invoke(app, ["explain", str(path), "--time-limit", "10"])
    assert res.exit_code == 1, res.output
    assert "同时离任" in res.output and "2 waves" in res.output
    res = runner.invoke(app, ["explain", str(path), "--json", "--no-relax"])
    assert json.loads(res.output)["rules"][0]["rule"] == "principal-change"
    out = tmp_path / "plan.json"
    res = runner.invoke(app, ["solve", str(path), "--time-limit", "5", "--out", str(out), "--quiet"])
    assert res.exit_code == 1
    plan = json.loads(out.read_text())
    assert plan["status"] == "infeasible" and plan["explanation"]["rules"][0]["rule"] == "principal-change"


def test_exclusions_follow_the_ladder_mode():
    from planner.analysis.eligible import exclusions

    posts = [make_post("T1-SEC", "T1", "party_secretary")]
    cadres = [make_cadre("S", rank="staff")]  # two steps below a section-chief post
    hard = load_scenario(make_scenario(posts=posts, cadres=cadres, policy=only("rank-ladder")))
    assert exclusions(hard, "S", "T1-SEC", hard.as_of) == ["rank", "rank-ladder"]
    soft = load_scenario(
        make_scenario(posts=posts, cadres=cadres, policy=only("rank-ladder") | {"rank-ladder": {"mode": "soft"}})
    )
    assert exclusions(soft, "S", "T1-SEC", soft.as_of) == []
