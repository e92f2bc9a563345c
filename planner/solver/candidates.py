"""Which (cadre, post) placements may exist at all: the pruning done before any solver variable is created.

A pair is a candidate when the rank ladder admits it structurally (lateral or one step up — only while the
`rank-ladder` rule is hard; soft or off, any post), it is not forbidden, and no *hard* placement rule (rank ladder, promotion gates, qualification, avoidance, party posts,
ethnic head, leaving, …) excludes it — decided with the same plain-Python pair predicates the checker uses.
Forced pairs (pins, a fixed plan) are always returned, flagged, so that the rule that excludes them can say so.

Speed. The predicates are evaluated per cadre and *post signature*, not per pair: a rule reads only a few
attributes of the post (`rules.base.POST_KEYS` says which, per known rule; any other rule is assumed to read
the post's township, role and rank — every attribute a post has besides its id). Posts that agree on what a rule reads get
the same verdict from it, so each rule runs once per (cadre, distinct key) and the verdicts are shared. The
result is exactly the per-pair loop's (tests/test_candidates.py holds it to a brute-force loop on random counties with every
placement rule hard); a rule that starts reading more of a post must widen its entry in `POST_KEYS`.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Callable

from planner.domain.load import Instance
from planner.domain.vocab import RANK_LEVEL
from planner.rules import REGISTRY
from planner.rules.base import PairRule, post_key


@dataclass
class Candidates:
    pairs: list[tuple[str, str]] = field(default_factory=list)  # in a stable order
    forced: list[tuple[str, str]] = field(default_factory=list)  # pairs that exist because they were forced
    pruned: int = 0


def candidate_pairs(
    inst: Instance, date: dt.date, forced: set[tuple[str, str]] | None = None, check: Callable[[], None] | None = None
) -> Candidates:
    """`check()` is called every 256 cadres (the solver's deadline: it raises when the time is up)."""
    forced = forced or set()
    cfgs = inst.policy
    hard_pair = [r for r in REGISTRY.values() if isinstance(r, PairRule) and cfgs[r.id].hard and not r.bonus]
    hard_all = [r for r in hard_pair if not r.new_only]
    ladder_hard = cfgs["rank-ladder"].hard  # the ladder's structural filter holds only when the rule is hard
    posts_by_level: dict[int, list[str]] = defaultdict(list)
    for pid, p in inst.posts.items():
        posts_by_level[p.level].append(pid)
    # per post: its key under each hard rule, and a group id per distinct tuple of keys
    keys_of: dict[str, tuple] = {}
    rep: dict[tuple, str] = {}
    for pid, p in inst.posts.items():
        k = tuple(post_key(r.id)(p) for r in hard_pair)
        keys_of[pid] = k
        rep.setdefault(k, pid)
    forced_by_cadre: dict[str, list[str]] = defaultdict(list)
    for fc, fp in sorted(forced):
        forced_by_cadre[fc].append(fp)
    out = Candidates()
    for n, (cid, c) in enumerate(inst.cadres.items()):
        if check is not None and n % 256 == 0:
            check()
        level = RANK_LEVEL[c.rank]
        if ladder_hard:
            candidates = posts_by_level.get(level, []) + posts_by_level.get(level + 1, [])
        else:  # a step down or two up only costs a penalty (soft) or nothing (off): every post may be taken
            candidates = list(inst.posts)
        extra = [p for p in forced_by_cadre.get(cid, []) if p not in candidates]
        if c.current_post and c.current_post not in candidates + extra:  # once, also when it is forced
            extra.append(c.current_post)
        rule_cache: list[dict[tuple, bool]] = [{} for _ in hard_pair]
        verdict: dict[tuple, bool] = {}  # keys tuple -> some hard rule excludes (new placement)

        def excluded(k: tuple) -> bool:
            v = verdict.get(k)
            if v is None:
                v = False
                for i, r in enumerate(hard_pair):
                    hit = rule_cache[i].get(k[i])
                    if hit is None:
                        hit = rule_cache[i][k[i]] = bool(r.pair_amount(inst, cfgs[r.id], cid, rep[k], date))
                    if hit:
                        v = True
                        break
                verdict[k] = v
            return v

        for pid in candidates + extra:
            if (cid, pid) in forced:
                out.pairs.append((cid, pid))
                out.forced.append((cid, pid))
                continue
            if (cid, pid) in inst.forbids:
                out.pruned += 1
                continue
            if pid == c.current_post:  # staying: only the rules that bind holders, on the pair itself
                bad = any(r.pair_amount(inst, cfgs[r.id], cid, pid, date) for r in hard_all)
            else:
                bad = excluded(keys_of[pid])
            if bad:
                out.pruned += 1
                continue
            out.pairs.append((cid, pid))
    return out
