"""The grouped candidate generation equals the plain per-pair loop (every pair, every hard pair rule).

Random small counties (plain and ethnic flavours, lagging townships, sanctions), with the default policy and with
every placement rule made hard, plus random forbids and forced pairs: the two must return the same pairs in the
same order, the same forced pairs and the same pruned count.
"""

from __future__ import annotations

import random

import pytest

from planner.candidates import candidate_pairs, candidate_pairs_reference
from planner.domain.load import load_scenario
from planner.rules import REGISTRY
from planner.rules.base import PairRule
from planner.synth import SynthOptions, generate

ALL_PAIR_HARD = {rid: {"mode": "hard"} for rid, r in REGISTRY.items() if isinstance(r, PairRule) and not r.locked}


@pytest.mark.parametrize("seed", range(1, 7))
@pytest.mark.parametrize("all_hard", [False, True])
def test_grouped_candidates_equal_brute_force(seed, all_hard):
    rng = random.Random(seed)
    scenario, _ = generate(SynthOptions(townships=rng.randint(2, 5), seed=seed, pool_ratio=1.0,
                                        ethnic=seed % 2 == 0))
    for t in scenario["townships"]:
        t["lagging"] = t["lagging"] or rng.random() < 0.3
    if all_hard:
        scenario["policy"] = ALL_PAIR_HARD
    cadres = [c["id"] for c in scenario["cadres"]]
    posts = [p["id"] for p in scenario["posts"]]
    scenario["forbids"] = [{"cadre": rng.choice(cadres), "post": rng.choice(posts)} for _ in range(5)]
    inst = load_scenario(scenario)
    forced = {(rng.choice(cadres), rng.choice(posts)) for _ in range(4)}
    date = inst.date_of_wave(1)
    fast = candidate_pairs(inst, date, forced)
    ref = candidate_pairs_reference(inst, date, forced)
    assert fast.pairs == ref.pairs
    assert fast.forced == ref.forced
    assert fast.pruned == ref.pruned
    assert ref.pruned > 0 and ref.pairs
