"""Which (cadre, post) placements may exist at all: the pruning done before any solver variable is created.

A pair is a candidate when the rank ladder admits it structurally (lateral or one step up), it is not
forbidden, and no *hard* placement rule (rank ladder, promotion gates, qualification, avoidance, party posts,
ethnic head, leaving, …) excludes it — decided with the same plain-Python pair predicates the checker uses.
Forced pairs (pins, a fixed plan) are always returned, flagged, so that the rule that excludes them can say so.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from .domain.load import Instance
from .domain.vocab import RANK_LEVEL
from .rules import REGISTRY
from .rules.base import PairRule


@dataclass
class Candidates:
    pairs: list[tuple[str, str]] = field(default_factory=list)  # in a stable order
    forced: list[tuple[str, str]] = field(default_factory=list)  # pairs that exist because they were forced
    pruned: int = 0


def candidate_pairs(inst: Instance, date: dt.date, forced: set[tuple[str, str]] | None = None) -> Candidates:
    forced = forced or set()
    cfgs = inst.policy
    hard_pair = [r for r in REGISTRY.values() if isinstance(r, PairRule) and cfgs[r.id].hard]
    hard_all = [r for r in hard_pair if not r.new_only]
    posts_by_level: dict[int, list[str]] = defaultdict(list)
    for pid, p in inst.posts.items():
        posts_by_level[RANK_LEVEL[p.rank]].append(pid)
    forced_by_cadre: dict[str, list[str]] = defaultdict(list)
    for c, p in sorted(forced):
        forced_by_cadre[c].append(p)
    out = Candidates()
    for cid, c in inst.cadres.items():
        level = RANK_LEVEL[c.rank]
        candidates = posts_by_level.get(level, []) + posts_by_level.get(level + 1, [])
        extra = [p for p in forced_by_cadre.get(cid, []) if p not in candidates]
        if c.current_post and c.current_post not in candidates:
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
