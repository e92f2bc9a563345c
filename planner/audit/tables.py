"""What a plan says, read off its timeline: moves with their kinds, vacancy chains, the structure table.

Plain Python (networkx for the chains); used by the checker and by the solver's plan writer alike.
"""

from __future__ import annotations

import networkx as nx

from planner.domain.documents import Move, TownshipRow
from planner.domain.load import Instance
from planner.domain.planview import PlanView, WaveState
from planner.domain.vocab import RANK_LEVEL, MoveKind


def derive_moves(view: PlanView) -> list[Move]:
    """One move per cadre whose post changes (first arrival per cadre; a cadre in two posts is one-post's)."""
    inst = view.inst
    moves: list[Move] = []
    seen: set[str] = set()
    for a in view.arrivals:
        if a.cadre in seen:
            continue
        seen.add(a.cadre)
        c = inst.cadres[a.cadre]
        kind: MoveKind
        if inst.posts[a.post].level > RANK_LEVEL[c.rank]:
            kind = "promotion"
        elif c.current_post is not None:
            kind = "transfer"
        else:
            kind = "appointment"
        moves.append(Move(cadre=a.cadre, from_=c.current_post, to=a.post, kind=kind, wave=a.wave))
    for d in view.departures:
        if d.to is None and d.cadre not in seen:
            seen.add(d.cadre)
            gone: MoveKind = "leaving" if inst.cadres[d.cadre].leaving else "release"
            moves.append(Move(cadre=d.cadre, from_=d.post, to=None, kind=gone, wave=d.wave))
    return moves


def vacancy_chains(view: PlanView) -> list[list[str]]:
    """The domino chains: the first cadre fills a post left open, the next fills the post the first left, …

    Graph on posts: p → q when p's new holder came from q. Out- and in-degree are ≤ 1 (one holder per post, one
    post per cadre), so the graph is disjoint paths and cycles: a path starts at a post with no in-edge (left
    open by a release or leaving, or vacant today); a cycle is a swap or rotation.
    """
    inst = view.inst
    g = nx.DiGraph()
    filler: dict[str, str] = {}
    for a in view.arrivals:
        if a.post in filler or view.final.get(a.post) != a.cadre:
            continue  # a duplicate entry; one-post reports it
        filler[a.post] = a.cadre
        g.add_node(a.post)
        src = inst.cadres[a.cadre].current_post
        if src is not None and src != a.post:
            g.add_edge(a.post, src)
    chains: list[list[str]] = []
    for start in sorted(n for n in g.nodes if g.in_degree(n) == 0):
        chain, node = [], start
        while node is not None and node in filler:
            chain.append(filler[node])
            nxt = list(g.successors(node))
            node = nxt[0] if nxt else None
        if chain:
            chains.append(chain)
    for cycle in nx.simple_cycles(g):
        start = min(cycle)
        i = cycle.index(start)
        ordered = cycle[i:] + cycle[:i]
        chains.append([filler[p] for p in ordered])
    return chains


def _row(inst: Instance, township: str, cadres: list[str], state: WaveState | None, wave: int | None) -> TownshipRow:
    on = state.date if state else inst.as_of
    return TownshipRow(
        township=township,
        name=inst.townships[township].name if township in inst.townships else "全县合计",
        members=len(cadres),
        aged_35_or_less=sum(1 for c in cadres if inst.age(c, on) <= 35),
        aged_30_or_less=sum(1 for c in cadres if inst.age(c, on) <= 30),
        women=sum(1 for c in cadres if inst.cadres[c].gender == "F"),
        experienced_2y=sum(1 for c in cadres if inst.work_years(c, on) >= 2),
        cpc=sum(1 for c in cadres if inst.cadres[c].cpc_member),
        minority=sum(1 for c in cadres if inst.is_minority(c)),
        postgraduate_or_bachelor=sum(1 for c in cadres if inst.bachelor_or_above(c)),
        wave=wave,
    )


def structure_table(inst: Instance, state: WaveState | None = None) -> tuple[list[TownshipRow], TownshipRow]:
    """一乡一表 for a wave's state (today's teams when `state` is None): a row per township and county totals."""
    holder = state.holder if state else inst.holder
    wave = state.wave if state and inst.waves > 1 else None
    rows = []
    everyone: list[str] = []
    for t, posts in inst.posts_of.items():
        cadres = [holder[p] for p in posts if holder[p] is not None]
        everyone += cadres  # type: ignore[arg-type]
        rows.append(_row(inst, t, cadres, state, wave))  # type: ignore[arg-type]
    return rows, _row(inst, "county", everyone, state, wave)


def timeline(view: PlanView, moves: list[Move]) -> list[dict]:
    """Per wave: its date, the moves it carries, and every team after it with its structure figures."""
    inst = view.inst
    out = []
    for state in view.states:
        rows, totals = structure_table(inst, state)
        out.append(
            {
                "wave": state.wave,
                "date": state.date.isoformat(),
                "moves": [m.model_dump(mode="json", by_alias=True) for m in moves if m.wave == state.wave],
                "teams": {t: [{"post": p, "cadre": c} for p, c in members] for t, members in state.members.items()},
                "townships": [r.model_dump(mode="json", exclude_none=True) for r in rows],
                "totals": totals.model_dump(mode="json", exclude_none=True),
            }
        )
    return out
