"""A first answer for a county planned in several waves: the end state first, then its moves scheduled.

The wave model (y[c,p,w], dep[c,w]: `planner.solver.builder`) is several times the one-wave model, and CP-SAT
finds its first plan late or not at all (benchmarks/README.md, "Waves"). Most of a wave plan is decided by its
end state — who holds which post after the last wave —, and waves exist mostly to relax one rule: a
township's two principal posts must not change in the same wave (principal-change). So:

1. the end state: the one-wave model (`one_wave`) at wave 1's date with principal-change switched off (the rule waves relax),
   solved with a short budget — an end state, not a bound (the wave model's objective counts soft rules per
   wave, and other rules bind at every wave's date);
2. `stage`: its moves scheduled into waves — every move in wave 1, except that where a township's principal
   posts would change in the same wave, the later one's change (its holder's departure and its successor's
   arrival) goes to the next wave, and with it the chain that depends on it (the post its successor leaves is
   filled no earlier than the successor leaves it); a covered post (seamless-handover) is filled in the wave
   its holder leaves;
3. the staged plan is audited by the independent checker (`planner.audit.check`): only a plan it
   passes is used, as the first answer and as CP-SAT's hint (`wave_hint` writes x, y, s and dep).

Nothing here is trusted: the schedule is a heuristic, the checker decides.
"""

from __future__ import annotations

import dataclasses
import time
from typing import Any, Callable

from planner.domain.load import Instance

PRINCIPAL_CHANGE = "principal-change"
SEAMLESS = "seamless-handover"


def one_wave(inst: Instance, wave: int = 1) -> Instance:
    """The same county in one wave (at the date of `wave`) with principal-change off: the end-state
    relaxation."""
    policy = dict(inst.policy)
    cfg = policy.get(PRINCIPAL_CHANGE)
    if cfg is not None and cfg.on:
        policy[PRINCIPAL_CHANGE] = dataclasses.replace(cfg, mode="off")
    return dataclasses.replace(
        inst, policy=policy, wave_dates=[inst.date_of_wave(wave)], _age_cache={}, _years_cache=inst._years_cache
    )


def stage(
    inst: Instance, assignment: dict[str, str | None]
) -> tuple[dict[tuple[str, str], int], dict[str, int]] | None:
    """The moves of the end state `assignment` scheduled into waves: (arrival wave of each new placement
    (cadre, post), departure wave of each incumbent who leaves today's post). None when the schedule needs
    more waves than the county has."""
    W = inst.waves
    cfg = inst.policy.get(PRINCIPAL_CHANGE)
    split = cfg is not None and cfg.on
    scfg = inst.policy.get(SEAMLESS)
    covered: set[str] = set(getattr(scfg.params, "roles", [])) if scfg is not None and scfg.hard else set()
    final_post = {c: p for p, c in assignment.items() if c is not None}
    # every cadre moves at most once: one wave per moving cadre (leaving today's post and/or arriving)
    movers = {c for p, c in assignment.items() if c is not None and c != inst.holder.get(p)}
    movers |= {c for p, c in inst.holder.items() if c is not None and final_post.get(c) != p}
    wave = dict.fromkeys(movers, 1)
    # per post: (old holder if they leave it, new holder if one arrives)
    change = {}
    for p in inst.posts:
        old, new = inst.holder.get(p), assignment.get(p)
        if old == new:
            continue
        change[p] = (old, new)

    def post_waves(p: str) -> set[int]:
        old, new = change[p]
        return {wave[c] for c in (old, new) if c is not None}

    for _ in range(4 * len(movers) + 8):
        moved = False
        for p, (old, new) in change.items():
            if old is None or new is None:
                continue
            if wave[new] < wave[old]:  # one holder per wave: the successor arrives when the holder has left
                wave[new], moved = wave[old], True
            if inst.posts[p].role in covered and wave[old] < wave[new]:  # seamless: left when filled
                wave[old], moved = wave[new], True
        if split:
            for t in inst.townships:
                posts = [p for p in inst.principal_posts(t) if p in change]
                if len(posts) < 2:
                    continue
                # the covered post (party secretary) keeps its wave; the others move later, one wave each
                posts.sort(key=lambda p: (inst.posts[p].role not in covered, p))
                used: set[int] = set()
                for p in posts:
                    ws = post_waves(p)
                    if ws & used:
                        k = max(used | ws) + 1
                        for c in change[p]:
                            if c is not None and wave[c] < k:
                                wave[c], moved = k, True
                        ws = post_waves(p)
                    used |= ws
        if any(w > W for w in wave.values()):
            return None
        if not moved:
            break
    else:
        return None
    arrival = {(c, p): wave[c] for p, c in assignment.items() if c is not None and c != inst.holder.get(p)}
    departure = {c: wave[c] for p, c in inst.holder.items() if c is not None and final_post.get(c) != p}
    return arrival, departure


def valid(doc: Any) -> bool:
    return doc.solver.get("checker_hard_violations") == 0 and doc.solver.get("checker_objective") is not None


def first_answer(
    inst: Instance,
    time_limit: float,
    *,
    end_state: Callable[[Instance, float, int], dict[str, str | None] | None],
    document: Callable[[Instance, dict[str, str | None], dict, dict], Any],
    greedy: dict[str, str | None] | None = None,
) -> tuple[Any, dict, dict, dict[str, str | None]] | None:
    """The best checker-valid staged plan among the greedy plan's end state and the end-state relaxation's
    (`end_state(inst, seconds, wave)`: the one-wave relaxation at the date of `wave`, tried at the last wave's
    date, then at wave 1's if that one fails the checker; all within `time_limit`): (document, arrival,
    departure, assignment), or None. `document(inst, assignment, arrival, departure)` writes the audited plan
    document (planner.solver.solve passes both: this module imports no solver entry point)."""
    t0 = time.perf_counter()
    best = None

    def consider(assignment: dict[str, str | None] | None) -> None:
        nonlocal best
        if assignment is None:
            return
        staged = stage(inst, assignment)
        if staged is None:
            return
        doc = document(inst, assignment, *staged)
        if valid(doc) and (best is None or doc.objective < best[0].objective):
            best = (doc, staged[0], staged[1], assignment)

    if greedy is not None:
        consider(greedy)
    # the relaxation at the last wave's date, then (if its staged plan fails the checker) at wave 1's
    for wave in dict.fromkeys((inst.waves, 1)):
        left = time_limit - (time.perf_counter() - t0)
        had = best
        consider(end_state(inst, left, wave) if left > 0 else None)
        if best is not None and best is not had:
            break
    if best is not None:
        best[0].solver["first_answer_s"] = round(time.perf_counter() - t0, 3)
    return best


def wave_hint(m: Any, arrival: dict[tuple[str, str], int], departure: dict[str, int]) -> None:
    """Replace the model's hint by the staged plan: every x, y, s and dep variable gets its value."""
    hint: dict[int, int] = {}
    for var in m.x.values():
        hint[var.index] = 0
    for (c, p, w), var in m.y.items():
        hint[var.index] = int(arrival.get((c, p)) == w)
    for c, p in arrival:
        var = m.x.get((c, p))
        if var is not None:
            hint[var.index] = 1
    for c, var in m.s.items():
        hint[var.index] = int(c not in departure)
        if c not in departure:
            hint[m.x[(c, m.inst.cadres[c].current_post)].index] = 1
    for (c, w), var in m.dep.items():
        if not isinstance(var, int):
            hint[var.index] = int(departure.get(c) == w)
    m.model.clear_hints()
    sh = m.model.proto.solution_hint
    sh.vars.extend(hint.keys())
    sh.values.extend(hint.values())
