"""The grouped candidate generation equals the plain per-pair loop (every pair, every hard pair rule).

Random small counties (plain and ethnic flavours, lagging townships, sanctions), with the default policy and with
every placement rule made hard, plus random forbids and forced pairs: the two must return the same pairs in the
same order, the same forced pairs and the same pruned count.
"""

from __future__ import annotations

import random

import pytest

import datetime as dt
from collections import defaultdict

from planner.solver.candidates import Candidates, candidate_pairs
from planner.domain.load import Instance, load_scenario
from planner.domain.vocab import RANK_LEVEL
from planner.rules import REGISTRY
from planner.rules.base import PairRule
from planner.io.synth import SynthOptions, generate


def candidate_pairs_reference(inst: Instance, date: dt.date, forced: set[tuple[str, str]] | None = None) -> Candidates:
    """The plain per-pair loop (every pair, every hard pair rule): the oracle the grouped version is held to."""
    forced = forced or set()
    cfgs = inst.policy
    hard_pair = [r for r in REGISTRY.values() if isinstance(r, PairRule) and cfgs[r.id].hard and not r.bonus]
    hard_all = [r for r in hard_pair if not r.new_only]
    ladder_hard = cfgs["rank-ladder"].hard  # the ladder's structural filter holds only when the rule is hard
    posts_by_level: dict[int, list[str]] = defaultdict(list)
    for pid, p in inst.posts.items():
        posts_by_level[RANK_LEVEL[p.rank]].append(pid)
    forced_by_cadre: dict[str, list[str]] = defaultdict(list)
    for c, p in sorted(forced):
        forced_by_cadre[c].append(p)
    out = Candidates()
    for cid, c in inst.cadres.items():
        level = RANK_LEVEL[c.rank]
        if ladder_hard:
            candidates = posts_by_level.get(level, []) + posts_by_level.get(level + 1, [])
        else:  # a step down or two up only costs a penalty (soft) or nothing (off): every post may be taken
            candidates = list(inst.posts)
        extra = [p for p in forced_by_cadre.get(cid, []) if p not in candidates]
        if c.current_post and c.current_post not in candidates + extra:  # once, also when it is forced
            extra.append(c.current_post)
        for pid in candidates + extra:
            if (cid, pid) in forced:
                out.pairs.append((cid, pid))
                out.forced.append((cid, pid))
                continue
            if (cid, pid) in inst.forbids:
                out.pruned += 1
                continue
            rules = hard_all if pid == c.current_post else hard_pair
            if any(r.pair_amount(inst, cfgs[r.id], cid, pid, date) for r in rules):
                out.pruned += 1
                continue
            out.pairs.append((cid, pid))
    return out


ALL_PAIR_HARD = {rid: {"mode": "hard"} for rid, r in REGISTRY.items() if isinstance(r, PairRule) and not r.locked}


@pytest.mark.parametrize("seed", range(1, 7))
@pytest.mark.parametrize("all_hard", [False, True])
def test_grouped_candidates_equal_brute_force(seed, all_hard):
    rng = random.Random(seed)
    scenario, _ = generate(SynthOptions(townships=rng.randint(2, 5), seed=seed, pool_ratio=1.0, ethnic=seed % 2 == 0))
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
