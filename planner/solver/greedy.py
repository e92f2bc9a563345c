"""A greedy plan, the way an officer drafts one by hand: keep everyone who may stay, then fill the open posts
one by one — principals first — with the best-scoring candidate that the placement rules allow, promoting
from a deputy post when the reserve pool has nobody (which opens that post in turn).

Used as the solver's starting hint and as a peer in the benchmarks. It respects the per-placement rules and
the team rules it can see locally (kinship, principal change); county quotas and team shares are only nudged
by the score, so its plan can break them — the checker says so, and the benchmarks count how often.
"""

from __future__ import annotations

from collections import deque

from planner.domain.load import Instance
from planner.domain.vocab import KEY_ROLES
from planner.rules import REGISTRY
from planner.rules.base import DepartureRule, PairRule

_ORDER = {"party_secretary": 0, "township_head": 1, "congress_chair": 2}


def greedy_plan(inst: Instance, candidates: list[tuple[str, str]] | None = None) -> dict[str, str | None]:
    """post -> cadre (or None): a complete plan, not necessarily valid.

    `candidates` — the (cadre, post) pairs of `planner.solver.candidates.candidate_pairs` at wave 1, when the
    caller has them (the solver does): the hard placement rules were asked once per pair there, so only those
    pairs are scored here instead of every cadre for every open post. The plan is the same either way
    (tests/test_greedy.py holds the two paths to each other)."""
    cfg = inst.policy
    pair_rules = [r for r in REGISTRY.values() if isinstance(r, PairRule) and cfg[r.id].on]
    hard_pair = [r for r in pair_rules if cfg[r.id].hard]
    by_post: dict[str, list[str]] | None = None
    if candidates is not None:
        allowed_pairs = set(candidates)
        by_post = {p: [] for p in inst.posts}
        for c, p in candidates:
            by_post[p].append(c)
        order = {c: i for i, c in enumerate(inst.cadres)}
        for lst in by_post.values():
            lst.sort(key=order.__getitem__)
        # candidate generation skips bonus rules (a bonus is no exclusion); the per-pair path asks them too
        hard_pair_left = [r for r in hard_pair if r.bonus]
    else:
        allowed_pairs, hard_pair_left = None, hard_pair
    soft_pair = [r for r in pair_rules if cfg[r.id].soft]
    departure_soft = [r for r in REGISTRY.values() if isinstance(r, DepartureRule) and cfg[r.id].soft]
    date = inst.date_of_wave(1)

    holder: dict[str, str | None] = {}
    for post, inc in inst.holder.items():
        keep = inc is not None and not inst.cadres[inc].leaving and (inc, post) not in inst.forbids
        holder[post] = inc if keep else None
    placed: dict[str, str] = {c: p for p, c in holder.items() if c is not None}
    for cadre, post in inst.pins:  # pins first; whoever held the post is displaced
        old = holder.get(post)
        if old is not None and old != cadre:
            placed.pop(old, None)
        prev = placed.get(cadre)
        if prev is not None:
            holder[prev] = None
        holder[post] = cadre
        placed[cadre] = post
    pinned_posts = {p for _, p in inst.pins}

    def team(t: str) -> list[str]:
        return [holder[p] for p in inst.posts_of[t] if holder[p] is not None]  # type: ignore[misc]

    def allowed(c: str, p: str) -> bool:
        if (c, p) in inst.forbids:
            return False
        if allowed_pairs is not None and (c, p) not in allowed_pairs:
            return False
        if any(r.pair_amount(inst, cfg[r.id], c, p, date) for r in hard_pair_left):
            return False
        if cfg["kinship-avoidance"].hard and inst.relatives[c] & set(team(inst.township_of(p))):
            return False
        return True

    def score(c: str, p: str) -> float:
        """Lower is better: soft placement costs, the cost of moving an incumbent, and team needs."""
        s = sum(r.sign() * cfg[r.id].weight * r.pair_amount(inst, cfg[r.id], c, p, date) for r in soft_pair)
        if inst.cadres[c].current_post is not None:
            s += sum(cfg[r.id].weight * r.departure_amount(inst, cfg[r.id], c, date) for r in departure_soft)
            s += 500  # opens another post: an officer prefers the pool
        members = team(inst.township_of(p))
        age = inst.age(c, date)
        if not any(inst.age(m, date) <= 30 for m in members) and age <= 30:
            s -= 400
        if sum(inst.age(m, date) <= 35 for m in members) * 10 < 3 * (len(members) + 1) and age <= 35:
            s -= 150
        if not any(inst.cadres[m].gender == "F" for m in members) and inst.cadres[c].gender == "F":
            s -= 200
        if inst.work_years(c, date) >= 2:
            s -= 100
        if inst.is_principal_post(p) and age <= 35:
            s -= 120
        return s

    open_posts = deque(
        sorted((p for p in inst.posts if holder[p] is None), key=lambda p: (_ORDER.get(inst.posts[p].role, 3), p))
    )
    guard = 0
    while open_posts and guard < 10 * len(inst.posts):
        guard += 1
        post = open_posts.popleft()
        if holder[post] is not None:
            continue
        best: tuple[float, str] | None = None
        for c in inst.cadres if by_post is None else by_post[post]:
            cad = inst.cadres[c]
            if cad.leaving or c in placed and (placed[c] in pinned_posts or placed[c] == post):
                continue
            cur = placed.get(c)
            if cur is not None:
                # only promote upward from a deputy post; never strip a principal or chair
                if inst.posts[cur].role in KEY_ROLES or inst.posts[post].level <= inst.posts[cur].level:
                    continue
                if cur != cad.current_post:
                    continue
            if not allowed(c, post):
                continue
            sc = score(c, post)
            if best is None or sc < best[0]:
                best = (sc, c)
        if best is None:
            continue
        c = best[1]
        prev = placed.get(c)
        if prev is not None:
            holder[prev] = None
            open_posts.append(prev)
        holder[post] = c
        placed[c] = post
    return holder
