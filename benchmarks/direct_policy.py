"""The policy the hand-written direct MIP is benchmarked under: the default policy (with the scenario's own
overrides) with every soft rule turned off except the ones kept — by default `post-filled` and `stability`
(the issue's "a policy with only post-filled and stability soft").

Hard rules stay as the scenario resolves them; only soft ones are touched. Pure Python (no ortools).
"""

from __future__ import annotations

import copy
import random
from typing import Any, Iterable

from planner.domain.policy import resolve_policy

#: the soft rules the reduced policy keeps
KEEP_SOFT: tuple[str, ...] = ("post-filled", "stability")


def reduced_policy(policy: dict[str, Any] | None, keep: Iterable[str] = KEEP_SOFT) -> dict[str, Any]:
    """`policy` (a scenario's overrides) with every rule that resolves soft turned off, except those in `keep`."""
    out = copy.deepcopy(policy or {})
    keep = set(keep)
    resolved, problems = resolve_policy(out)
    if problems:
        raise ValueError("; ".join(p.message_en for p in problems))
    for rid, cfg in resolved.items():
        if cfg.soft and rid not in keep:
            out[rid] = {**out.get(rid, {}), "mode": "off"}
    return out


def reduce_scenario(scenario: dict[str, Any], keep: Iterable[str] = KEEP_SOFT) -> dict[str, Any]:
    """A copy of the scenario document with :func:`reduced_policy` as its policy."""
    out = copy.deepcopy(scenario)
    out["policy"] = reduced_policy(scenario.get("policy"), keep)
    return out


def synthetic_scenario(
    townships: int, seed: int, pool_ratio: float = 2.0, keep: Iterable[str] = KEEP_SOFT
) -> dict[str, Any]:
    """A synthetic county (`planner.io.synth`, as benchmarks/worker.py makes them) under the reduced policy."""
    from planner.io.synth import SynthOptions, generate

    scenario, _witness = generate(SynthOptions(townships=townships, seed=seed, pool_ratio=pool_ratio))
    return reduce_scenario(scenario, keep)


def perturb(doc: dict[str, Any], seed: int, n: int = 3) -> dict[str, Any]:
    """Pins that move n deputies laterally into another township's same-role post (its holder is displaced),
    forbids that evict n incumbents from today's post, two more leavers, two related pool cadres."""
    rng = random.Random(seed)
    posts = {p["id"]: p for p in doc["posts"]}
    holder = {c["current_post"]: c["id"] for c in doc["cadres"] if c["current_post"] and not c["leaving"]}
    held = sorted(holder)
    rng.shuffle(held)
    used: set[str] = set()
    pins, forbids = [], []
    for p in held:
        if len(pins) >= n:
            break
        role = posts[p]["role"]
        if role in ("party_secretary", "township_head", "congress_chair") or p in used:
            continue
        others = [
            q
            for q in held
            if q != p and q not in used and posts[q]["role"] == role and posts[q]["township"] != posts[p]["township"]
        ]
        if others:
            q = rng.choice(others)
            used |= {p, q}
            pins.append({"cadre": holder[p], "post": q})
    for p in held:
        if len(forbids) >= n:
            break
        if p not in used:
            used.add(p)
            forbids.append({"cadre": holder[p], "post": p})
    free = [c for c in doc["cadres"] if c["current_post"] and c["current_post"] not in used and not c["leaving"]]
    for c in rng.sample(free, 2):
        c["leaving"] = True
    a, b = rng.sample([c for c in doc["cadres"] if not c["current_post"]], 2)
    a["relatives"] = list(a.get("relatives", [])) + [b["id"]]
    doc["pins"], doc["forbids"] = pins, forbids
    return doc
