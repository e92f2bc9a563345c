"""The greedy plan scored over the solver's candidate pairs is the greedy plan of the per-pair loop."""

from __future__ import annotations

import pytest

from planner.domain.load import load_scenario
from planner.io.synth import SynthOptions, generate
from planner.solver.candidates import candidate_pairs
from planner.solver.greedy import greedy_plan


@pytest.mark.parametrize(
    "townships,seed,pool,ethnic", [(3, 1, 2.0, False), (5, 2, 1.2, True), (8, 3, 0.5, False), (6, 4, 3.0, True)]
)
def test_greedy_over_candidates_equals_the_per_pair_greedy(townships, seed, pool, ethnic):
    doc, _ = generate(SynthOptions(townships=townships, seed=seed, pool_ratio=pool, ethnic=ethnic))
    # pins and forbids too: the candidates are computed with the pins forced, as the solver does
    posts = [p["id"] for p in doc["posts"]]
    pool_cadres = [c["id"] for c in doc["cadres"] if not c.get("current_post")]
    holders = [c for c in doc["cadres"] if c.get("current_post")]
    doc.setdefault("forbids", []).append({"cadre": holders[0]["id"], "post": holders[0]["current_post"]})
    if pool_cadres:
        doc.setdefault("pins", []).append({"cadre": pool_cadres[0], "post": posts[-1]})
    inst = load_scenario(doc)
    cands = candidate_pairs(inst, inst.date_of_wave(1), set(inst.pins))
    assert greedy_plan(inst, cands.pairs) == greedy_plan(inst)
