"""Agreement of every rule's CP-SAT encoding with its plain-Python check (DESIGN.md, the CPMpy habit):
a complete plan fixed into the model (``SolveOptions(fixed=...)``) is feasible exactly when the independent
checker finds no hard violation, and then the solver's objective (and per-rule breakdown) is the checker's.

Three kinds of plans: one named breach per rule on a valid hand-made team (each breach hard, then the same
rule soft), random plans on tiny random counties, and mutated witness plans of synthetic counties.
"""

from __future__ import annotations

import random
from typing import Any

import pytest
from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st

from planner.rules import REGISTRY
from tests.helpers import born, days_before, make_cadre, make_post, make_township
from tests.solve_audit import assert_agree, fixed_verdict, hard_rules
from tests.solve_strategies import load, synth_county, team, tiny_plans, tiny_scenarios


def examples(n: int) -> settings:
    return settings(
        max_examples=n, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
    )


# ---------------------------------------------------------------- one breach per rule on a valid team


#: rule -> (scenario overrides for team(), plan changes); the plan breaks exactly that hard rule
BREACHES: dict[str, tuple[dict[str, Any], dict[str, str | None]]] = {
    "one-post": ({}, {"T1-ORG": "D"}),  # D in two posts (O released)
    "leaving": ({"O": {"leaving": True}}, {}),  # a leaving cadre kept
    "pin": ({"pins": [{"cadre": "K", "post": "T1-CHAIR"}]}, {}),  # K pinned to the chair, R kept there
    "forbid": ({"forbids": [{"cadre": "P", "post": "T1-ORG"}]}, {"T1-ORG": "P"}),  # a forbidden newcomer
    "principal-filled": ({}, {"T1-HEAD": None}),  # a vacancy in a principal post
    "rank-ladder": ({}, {"T1-CHAIR": "Z"}),  # staff two steps up to section chief
    "promotion-gates": ({}, {"T1-ORG": "G"}),  # promoted while sanctioned
    "principal-qualification": ({}, {"T1-HEAD": "Q"}),  # 1 year leading, 2 of work
    "team-experience": ({"D": {"township_work_years": 1.0}}, {"T1-ORG": "E"}),  # 3 of 5 experienced < 2/3
    "young-principals": ({}, {"T1-SEC": "P"}),  # no principal aged ≤ 35 left
    "young-members": ({"policy": {"young-members": {"min_share": 0.5}}}, {"T1-ORG": "P"}),  # 2 of 5 < 50%
    "under-30": ({}, {"T1-DEP": "E"}),  # D, the only member ≤ 30, released
    "principal-change": ({}, {"T1-SEC": "H", "T1-HEAD": "S"}),  # both principals change at once
    "min-tenure": ({"H": {"post_since": days_before(400)}}, {"T1-HEAD": "P"}),  # 1.1 years in post
    "seamless-handover": (
        {"policy": {"principal-filled": {"mode": "off"}, "young-principals": {"mode": "off"}}},
        {"T1-SEC": None},
    ),  # the secretary leaves, nobody takes over
    "origin-avoidance": ({"P": {"origin_township": "T1"}}, {"T1-HEAD": "P"}),
    "kinship-avoidance": ({"O": {"relatives": ["D"]}}, {}),  # relatives in one team today
    "party-posts": ({}, {"T1-ORG": "N"}),  # a non-CPC organization member
    "ethnic-head": (
        {"township": {"kind": "ethnic_township", "ethnic_groups": ["苗族"]}, "H": {"ethnicity": "苗族"}},
        {"T1-HEAD": "P"},
    ),  # a Han head of a Miao township
    # rules that are soft or off by default, made hard
    "post-filled": ({"policy": {"post-filled": {"mode": "hard"}}}, {"T1-ORG": None}),
    "young-members-team": ({"policy": {"young-members-team": {"mode": "hard", "min_share": 0.5}}}, {"T1-ORG": "P"}),
    "full-term": (
        {"policy": {"full-term": {"mode": "hard"}}, "H": {"post_since": days_before(1500)}},
        {"T1-HEAD": "P"},
    ),  # 4.1 years in post
    "principal-source": ({"policy": {"principal-source": {"mode": "hard"}}}, {"T1-HEAD": "P"}),
    "stability": ({"policy": {"stability": {"mode": "hard"}}}, {"T1-ORG": "P"}),
    "frequent-moves": ({"policy": {"frequent-moves": {"mode": "hard"}}}, {"T1-ORG": "P"}),  # O released
    "lagging-township": (
        {
            "policy": {"lagging-township": {"mode": "hard"}},
            "township": {"lagging": True},
            "H": {"township_work_years": 4.0},
        },
        {},
    ),  # the head stays with 4 years of work
    "women": ({"policy": {"women": {"mode": "hard"}}}, {"T1-DEP": "Z"}),  # D, the only woman, replaced
    "minority-share": (
        {"policy": {"minority-share": {"mode": "hard", "min_share": 0.2}}, "township": {"ethnic_groups": ["苗族"]}},
        {},
    ),
    "non-cpc-share": ({"policy": {"non-cpc-share": {"mode": "hard", "min_share": 0.2}}}, {}),
}
#: bonus rules cannot be breached; `hidden-steps` needs two townships (below)
NOT_BREACHABLE = {"talent-priority", "excellence", "fit", "hidden-steps"}


def _breach(rule: str) -> tuple[dict[str, Any], dict[str, str | None]]:
    tweaks, changes = BREACHES[rule]
    tweaks = dict(tweaks)
    decisions = {k: tweaks.pop(k) for k in ("pins", "forbids") if k in tweaks}
    doc = team(tweaks.pop("policy", None), tweaks.pop("township", None), **tweaks)
    doc.update(decisions)
    inst = load(doc)
    return doc, {**inst.holder, **changes}


def test_every_breakable_rule_has_a_breach_case():
    assert set(BREACHES) | NOT_BREACHABLE == set(REGISTRY)


def test_the_base_team_is_valid_with_objective_zero_in_both_views():
    inst = load(team())
    v = assert_agree(inst, dict(inst.holder))
    assert v.feasible and v.objective == 0 == v.report.objective


@pytest.mark.parametrize("rule", sorted(BREACHES))
def test_a_plan_breaking_one_hard_rule_is_infeasible_when_fixed(rule):
    doc, plan = _breach(rule)
    inst = load(doc)
    v = fixed_verdict(inst, plan)
    assert hard_rules(v.report) == {rule}, [x.message_en for x in v.report.hard_violations]
    assert v.status == "infeasible"


@pytest.mark.parametrize("rule", sorted(r for r in BREACHES if not REGISTRY[r].locked))
def test_the_same_plan_with_the_rule_soft_is_feasible_at_the_checkers_price(rule):
    doc, plan = _breach(rule)
    doc["policy"] = {**doc["policy"], rule: {**doc["policy"].get(rule, {}), "mode": "soft", "weight": 700}}
    inst = load(doc)
    v = assert_agree(inst, plan)
    assert v.feasible
    [amount] = {x.amount for x in v.report.violations if x.rule == rule}
    assert v.breakdown[rule] == v.report.breakdown[rule] == 700 * amount  # weight × amount


def test_hidden_steps_hard_breach_across_two_townships():
    doc = team({"hidden-steps": {"mode": "hard"}})
    doc["townships"].append(make_township("T2"))
    doc["posts"] += [make_post("T2-HEAD", "T2", "township_head"), make_post("T2-DEP", "T2")]
    doc["cadres"].append(make_cadre("Y", birth_date=born(28), current_post="T2-DEP"))  # T2's member ≤ 30
    inst = load(doc)
    plan = {**inst.holder, "T2-HEAD": "H", "T1-HEAD": "P"}  # the head moves sideways to T2
    v = fixed_verdict(inst, plan)
    assert hard_rules(v.report) == {"hidden-steps"} and v.status == "infeasible"
    doc["policy"]["hidden-steps"] = {"mode": "soft", "weight": 60}
    v = assert_agree(load(doc), plan)
    assert v.feasible and v.breakdown["hidden-steps"] == 60


@pytest.mark.parametrize("mode", ["hard", "soft"])
def test_stability_lets_a_step_up_pass_in_both_views(mode):
    """The head retires; O, a ready deputy, steps up to head and P back-fills O's post: no instability, one
    handover (frequent-moves) — the model fixed to that plan is feasible with hard stability, at the checker's price."""
    doc = team({"stability": {"mode": mode}}, H={"leaving": True}, O={"reserve_tier": "ready_now"})
    inst = load(doc)
    v = assert_agree(inst, {**inst.holder, "T1-HEAD": "O", "T1-ORG": "P"})
    assert v.feasible and v.breakdown.get("stability", 0) == 0
    assert v.breakdown["frequent-moves"] == v.report.breakdown["frequent-moves"] == 50


# --------------------------------------------------------------------------------------- random plans


@examples(150)
@given(st.data(), tiny_scenarios(max_posts=4, max_cadres=5))
def test_random_plans_on_tiny_counties_agree(data, doc):
    inst = load(doc)
    assert_agree(inst, data.draw(tiny_plans(inst), label="plan"))


@examples(100)
@given(st.data(), tiny_scenarios(max_posts=4, max_cadres=5, all_soft=True))
def test_random_plans_under_an_all_soft_policy_cost_the_same_in_both_views(data, doc):
    """Every unlocked rule soft: most random plans are valid, so every soft encoding's price is compared."""
    inst = load(doc)
    plan = data.draw(tiny_plans(inst), label="plan")
    v = assert_agree(inst, plan)
    held = [c for c in plan.values() if c is not None]
    locked_ok = len(held) == len(set(held)) and not any(inst.cadres[c].leaving for c in held)
    assert v.feasible == locked_ok  # only the locked rules can still make a plan invalid


def _mutate(inst, base: dict[str, str | None], r: random.Random) -> tuple[dict[str, str | None], str]:
    """A random rule-breaking edit of a complete plan (or a plain random one)."""
    plan = dict(base)
    posts, cadres = list(inst.posts), list(inst.cadres)
    kind = r.choice(
        [
            "leaving-kept",
            "non-cpc-party",
            "both-principals",
            "principal-vacant",
            "relatives",
            "two-posts",
            "random",
            "random",
        ]
    )
    by_role = lambda roles: [p for p in posts if inst.posts[p].role in roles]  # noqa: E731
    if kind == "leaving-kept":
        leaving = [c for c in cadres if inst.cadres[c].leaving and inst.cadres[c].current_post]
        if leaving:
            c = r.choice(leaving)
            plan[inst.cadres[c].current_post] = c
    elif kind == "non-cpc-party":
        non_cpc = [c for c in cadres if not inst.cadres[c].cpc_member]
        party = by_role({"party_secretary", "deputy_secretary", "organization_member", "discipline_secretary"})
        if non_cpc and party:
            plan[r.choice(party)] = r.choice(non_cpc)
    elif kind == "both-principals":
        t = r.choice(list(inst.townships))
        sec, head = (p for p in inst.principal_posts(t))
        plan[sec], plan[head] = plan[head], plan[sec]
    elif kind == "principal-vacant":
        plan[r.choice(by_role({"party_secretary", "township_head", "congress_chair"}))] = None
    elif kind == "relatives":
        pairs = [(a, b) for a in cadres for b in inst.relatives[a]]
        if pairs:
            a, b = r.choice(pairs)
            t = r.choice(list(inst.townships))
            p1, p2 = r.sample(inst.posts_of[t], 2)
            plan[p1], plan[p2] = a, b
    elif kind == "two-posts":
        p1, p2 = r.sample(posts, 2)
        plan[p2] = plan[p1] or r.choice(cadres)
    for _ in range(r.randint(0 if kind != "random" else 1, 2)):
        plan[r.choice(posts)] = r.choice(cadres + [None])
    return plan, kind


@examples(60)
@given(
    townships=st.integers(1, 3),
    seed=st.integers(1, 60),
    ethnic=st.booleans(),
    salt=st.integers(0, 10**6),
    from_witness=st.booleans(),
)
def test_mutated_plans_on_synthetic_counties_agree(townships, seed, ethnic, salt, from_witness):
    doc, witness = synth_county(townships, seed, ethnic)
    inst = load(doc)
    base = {a["post"]: a["cadre"] for a in witness["assignments"]} if from_witness else dict(inst.holder)
    plan, kind = _mutate(inst, base, random.Random(salt))
    note(f"mutation: {kind}")
    assert_agree(inst, plan)


@examples(15)
@given(townships=st.integers(1, 4), seed=st.integers(1, 10_000), ethnic=st.booleans())
def test_a_synthetic_witness_fixed_into_the_model_is_feasible_at_its_price(townships, seed, ethnic):
    doc, witness = synth_county(townships, seed, ethnic)
    inst = load(doc)
    v = assert_agree(inst, {a["post"]: a["cadre"] for a in witness["assignments"]})
    assert v.feasible  # the generator guarantees the witness passes the checker
