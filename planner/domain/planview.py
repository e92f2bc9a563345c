"""A plan seen through time: who holds what after each wave, who arrives where, who leaves what.

This is the checker's reading of a plan document (also a hand-made one). Plain Python.

Timeline semantics (RULES.md "Waves"): a post keeps today's holder until that holder leaves; the new holder
takes the post in the wave given by the assignment (wave 0 or today's holder = stays). An incumbent leaves
their post in the wave they arrive elsewhere; one who holds nothing afterwards (release, leaving) leaves in the
wave named by their `moves` entry, else in the wave their successor arrives, else in wave 1.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from planner.domain.documents import Plan
from planner.domain.load import Instance


@dataclass(frozen=True)
class Arrival:
    cadre: str
    post: str
    wave: int


@dataclass(frozen=True)
class Departure:
    cadre: str
    post: str  # the post held today
    wave: int
    to: str | None  # the post held afterwards (None: release or leaving)


@dataclass
class WaveState:
    wave: int
    date: dt.date
    holder: dict[str, str | None]
    changed: set[str]  # posts whose holder differs from the previous wave's
    members: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # township -> [(post, cadre)]


@dataclass
class PlanView:
    inst: Instance
    final: dict[str, str | None]
    arrival_wave: dict[str, int]  # post -> wave its new holder arrives (0: unchanged)
    entries_of_post: dict[str, list[str | None]]
    posts_of_cadre: dict[str, list[str]]
    arrivals: list[Arrival]
    departures: list[Departure]
    overlaps: list[tuple[str, int]]  # (post, wave) where a new holder arrives before the old one leaves
    states: list[WaveState]

    @classmethod
    def from_plan(cls, inst: Instance, plan: Plan) -> "PlanView":
        entries: dict[str, list[tuple[str | None, int]]] = defaultdict(list)
        for a in plan.assignments:
            entries[a.post].append((a.cadre, a.wave))
        final: dict[str, str | None] = {}
        arrival_wave: dict[str, int] = {}
        posts_of_cadre: dict[str, list[str]] = defaultdict(list)
        arrivals: list[Arrival] = []
        for post in inst.posts:
            listed = entries.get(post, [(inst.holder[post], 0)])
            for cadre, wave in listed:
                if cadre is not None:
                    posts_of_cadre[cadre].append(post)
                    if cadre != inst.holder[post]:
                        arrivals.append(Arrival(cadre, post, max(1, wave)))
            cadre, wave = listed[0]
            final[post] = cadre
            arrival_wave[post] = 0 if cadre == inst.holder[post] else (max(1, wave) if cadre else 0)
        release_wave = {m.cadre: m.wave for m in plan.moves if m.to is None}
        departures: list[Departure] = []
        for post, inc in inst.holder.items():
            if inc is None or post in posts_of_cadre.get(inc, []):
                continue
            elsewhere = [a for a in arrivals if a.cadre == inc]
            if elsewhere:
                dep = Departure(inc, post, elsewhere[0].wave, elsewhere[0].post)
            elif inc in release_wave:
                dep = Departure(inc, post, release_wave[inc], None)
            elif final[post] is not None:
                dep = Departure(inc, post, arrival_wave[post], None)
            else:
                dep = Departure(inc, post, 1, None)
            departures.append(dep)
        left_wave = {d.post: d.wave for d in departures}

        states: list[WaveState] = []
        overlaps: list[tuple[str, int]] = []
        previous = dict(inst.holder)
        for k in range(1, inst.waves + 1):
            holder: dict[str, str | None] = {}
            for post in inst.posts:
                inc = inst.holder[post]
                arrived = arrival_wave[post] >= 1 and k >= arrival_wave[post]
                incumbent_here = inc is not None and (post not in left_wave or k < left_wave[post])
                if arrived:
                    holder[post] = final[post]
                    if incumbent_here and inc != final[post]:
                        overlaps.append((post, k))
                elif incumbent_here:
                    holder[post] = inc
                else:
                    holder[post] = None
            changed = {p for p in inst.posts if holder[p] != previous[p]}
            members = {
                t: [(p, cadre) for p in inst.posts_of[t] if (cadre := holder[p]) is not None] for t in inst.townships
            }
            states.append(WaveState(k, inst.date_of_wave(k), holder, changed, members))
            previous = holder
        return cls(
            inst=inst,
            final=final,
            arrival_wave=arrival_wave,
            entries_of_post={p: [c for c, _ in v] for p, v in entries.items()},
            posts_of_cadre=dict(posts_of_cadre),
            arrivals=arrivals,
            departures=departures,
            overlaps=overlaps,
            states=states,
        )
