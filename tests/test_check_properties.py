"""Property tests of the checker on synthetic counties and random plans (hypothesis, modest example counts)."""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from functools import lru_cache

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner.audit.check import check_plan
from planner.domain import load_plan, load_scenario
from planner.domain.vocab import KEY_ROLES
from planner.rules import REGISTRY
from planner.io.synth import SynthOptions, generate
from tests.helpers import holders_today

FAST = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@lru_cache(maxsize=None)
def _county(townships: int, seed: int, ethnic: bool):
    return generate(SynthOptions(townships=townships, seed=seed, ethnic=ethnic))


# ------------------------------------------------------------------------------------ witness plans


@FAST
@given(townships=st.integers(1, 4), seed=st.integers(1, 10_000), ethnic=st.booleans())
def test_synthetic_witness_passes_the_checker(townships, seed, ethnic):
    scenario, witness = _county(townships, seed, ethnic)
    inst = load_scenario(scenario)
    report = check_plan(inst, load_plan(witness, inst))
    assert report.ok, [v.message_en for v in report.hard_violations]
    assert report.hard_violations == []
    # a few hard rules re-derived by hand from the documents, independently of the rule code
    final = {a["post"]: a["cadre"] for a in witness["assignments"]}
    assert sorted(final) == sorted(p["id"] for p in scenario["posts"])  # every post listed once
    held = [c for c in final.values() if c is not None]
    assert len(held) == len(set(held))  # one-post
    leaving = {c["id"] for c in scenario["cadres"] if c["leaving"]}
    assert not leaving & set(held)  # leaving
    role = {p["id"]: p["role"] for p in scenario["posts"]}
    assert all(final[p] is not None for p in final if role[p] in KEY_ROLES)  # principal-filled
    # the structure table counts the plan's members
    assert sum(r.members for r in report.townships) == report.totals.members == len(held)


# ------------------------------------------------------------------------------------- random plans


def _random_policy(draw):
    """Random modes and weights for the unlocked rules (share rules get a min_share when turned on)."""
    policy = {}
    for rid, rule in REGISTRY.items():
        if rule.locked or not draw(st.booleans()):
            continue
        entry = {"mode": draw(st.sampled_from(["hard", "soft", "off"])), "weight": draw(st.integers(0, 500))}
        if rule.requires:
            entry["min_share"] = draw(st.sampled_from(["1/3", 0.2, 0.5]))
        policy[rid] = entry
    return policy


@st.composite
def scenario_and_plan(draw):
    scenario, _ = _county(draw(st.integers(1, 3)), draw(st.integers(1, 50)), draw(st.booleans()))
    scenario = dict(scenario)
    waves = draw(st.integers(1, 2))
    scenario["waves"] = waves
    scenario["policy"] = _random_policy(draw)
    cadres = [c["id"] for c in scenario["cadres"]]
    today = holders_today(scenario)
    assignments = []
    for post in today:
        choice = draw(st.one_of(st.none(), st.just(today[post]), st.sampled_from(cadres)))
        wave = draw(st.integers(0, waves))
        assignments.append({"post": post, "cadre": choice, "wave": wave})
    # sometimes list a post twice (one-post must report it, not crash)
    if draw(st.booleans()):
        post = draw(st.sampled_from(list(today)))
        assignments.append({"post": post, "cadre": draw(st.sampled_from(cadres)), "wave": 1})
    moves = []
    if waves > 1 and draw(st.booleans()):
        moves.append(
            {
                "cadre": draw(st.sampled_from(cadres)),
                "from": None,
                "to": None,
                "kind": "release",
                "wave": draw(st.integers(1, waves)),
            }
        )
    plan = {
        "format": "reshuffle-plan/1",
        "county": scenario["county"]["id"],
        "as_of": scenario["as_of"],
        "status": "feasible",
        "assignments": assignments,
        "moves": moves,
    }
    return scenario, plan


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenario_and_plan())
def test_random_plans_never_crash_and_the_objective_is_the_sum_of_soft_costs(data):
    scenario, plan = data
    inst = load_scenario(scenario)
    report = check_plan(inst, load_plan(plan, inst))  # must not raise
    findings = report.violations + report.bonuses
    soft = [v for v in findings if not v.hard]
    # the objective is the soft costs plus, with several waves, the delay preference (1 per move per wave late)
    from planner.audit.check import wave_delay

    delay = wave_delay(report.view) if inst.waves > 1 else 0
    assert report.objective == sum(v.cost for v in soft) + delay
    assert report.breakdown.get("wave-delay", 0) == delay
    for v in findings:
        cfg = inst.policy[v.rule]
        rule = REGISTRY[v.rule]
        assert cfg.mode != "off"
        assert v.hard == cfg.hard
        assert v.amount >= 1
        # hard: no cost; soft penalty: weight × amount; bonus: −weight × amount
        assert v.cost == (0 if v.hard else (-1 if rule.bonus else 1) * cfg.weight * v.amount)
        assert (v in report.bonuses) == rule.bonus
    assert report.ok == (not any(v.hard for v in findings))
    by_rule = Counter()
    for v in soft:
        by_rule[v.rule] += v.cost
    rules_only = {r: c for r, c in report.breakdown.items() if c and r != "wave-delay"}
    assert rules_only == {r: c for r, c in by_rule.items() if c}
    # a cadre listed in k > 1 assignment entries is reported once by one-post with amount k − 1
    entries = Counter(a["cadre"] for a in plan["assignments"] if a["cadre"] is not None)
    one_post_cadre = {v.cadres[0]: v.amount for v in findings if v.rule == "one-post" and len(v.posts) >= 2}
    assert one_post_cadre == {c: k - 1 for c, k in entries.items() if k > 1}


# -------------------------------------------------------------------------------------- no solver


def test_the_checker_does_not_import_ortools():
    code = (
        "import sys\n"
        "import planner.audit.check\n"
        "from planner.io.synth import SynthOptions, generate\n"
        "from planner.domain import load_scenario, load_plan\n"
        "sc, w = generate(SynthOptions(townships=2, seed=1))\n"
        "inst = load_scenario(sc)\n"
        "assert planner.audit.check.check_plan(inst, load_plan(w, inst)).ok\n"
        "assert 'ortools' not in sys.modules, 'ortools imported'\n"
        "print('clean')\n"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "clean"
