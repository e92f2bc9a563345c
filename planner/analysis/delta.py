"""A what-if delta (reshuffle-delta/1) applied to a scenario, with every problem located."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any


from planner.domain.documents import Cadre, Delta, Placement, Scenario
from planner.domain.load import Instance, load_delta, load_scenario
from planner.domain.errors import InputError, Problem
from planner.i18n import message


DISRUPTION = "whatif-disruption"

# ------------------------------------------------------------------------------------------ the delta


def _problem(location: str, key: str, **fields: Any) -> Problem:
    zh, en = message(key, **fields)
    return Problem(location=location, message_en=en, message_zh=zh)


@dataclass
class Applied:
    """A delta applied: the new scenario, its resolved instance, and what the delta overrode implicitly."""

    scenario: Scenario
    inst: Instance
    notes: list[dict[str, str]]


def _note(key: str, **fields: Any) -> dict[str, str]:
    zh, en = message(key, **fields)
    return {"key": key, "message_zh": zh, "message_en": en}


def apply_delta(scenario: Scenario, delta: Delta | dict) -> Scenario:
    """The scenario after `delta`. Raises a located :class:`InputError` (document ``delta``) for a bad delta."""
    return delta_applied(scenario, delta).scenario


def delta_applied(scenario: Scenario | Instance, delta: Delta | dict) -> Applied:
    """`delta` applied to `scenario`: the new scenario, its instance and the notes. Raises a located
    :class:`InputError` (document ``delta``) for a bad delta."""
    if isinstance(scenario, Instance):
        scenario = scenario.doc
    if not isinstance(delta, Delta):
        delta = load_delta(delta)
    delta, P, unresolved = resolve_names(scenario, delta)
    notes: list[dict[str, str]] = []
    existing = {c.id for c in scenario.cadres}
    posts = {p.id for p in scenario.posts}

    removed: set[str] = set()
    for i, cid in enumerate(delta.remove_cadres):
        if (f"remove_cadres[{i}]", "cadre") in unresolved:
            continue
        if cid not in existing:
            P.append(_problem(f"remove_cadres[{i}]", "input.dangling", what="cadre", id=cid))
        elif cid in removed:
            P.append(_problem(f"remove_cadres[{i}]", "whatif.twice", id=cid))
        removed.add(cid)
    added: dict[str, Cadre] = {}
    for i, c in enumerate(delta.add_cadres):
        if c.id in added or (c.id in existing and c.id not in removed):
            # re-adding a removed id replaces that cadre's record; any other clash is a duplicate
            P.append(_problem(f"add_cadres[{i}] {c.id} › id", "input.duplicate", id=c.id))
        added[c.id] = c
    gone = removed - set(added)  # cadres that no longer exist at all
    final = (existing - removed) | set(added)

    def cadre_ref(where: str, cid: str) -> bool:
        if (where.split(" ", 1)[0], "cadre") in unresolved:
            return False
        if cid in final:
            return True
        if cid in gone:
            P.append(_problem(where, "whatif.removed_ref", id=cid))
        else:
            P.append(_problem(where, "input.dangling", what="cadre", id=cid))
        return False

    def post_ref(where: str, pid: str) -> bool:
        if (where.split(" ", 1)[0], "post") in unresolved:
            return False
        if pid in posts:
            return True
        P.append(_problem(where, "input.dangling", what="post", id=pid))
        return False

    leaving = set()
    for i, cid in enumerate(delta.leaving):
        if cadre_ref(f"leaving[{i}]", cid):
            if cid in leaving:
                P.append(_problem(f"leaving[{i}]", "whatif.twice", id=cid))
            leaving.add(cid)
    is_leaving = (
        leaving
        | {c.id for c in scenario.cadres if c.leaving and c.id not in removed}
        | {c.id for c in added.values() if c.leaving}
    )

    scenario_pins = {(pl.cadre, pl.post) for pl in scenario.pins}
    unpins: set[tuple[str, str]] = set()
    for i, pl in enumerate(delta.unpins):
        if {(f"unpins[{i}]", "cadre"), (f"unpins[{i}]", "post")} & unresolved:
            continue
        if (pl.cadre, pl.post) not in scenario_pins:
            P.append(
                _problem(f"unpins[{i}] {pl.cadre}→{pl.post}", "whatif.unpin_missing", cadre=pl.cadre, post=pl.post)
            )
        unpins.add((pl.cadre, pl.post))

    new_pins: list[tuple[str, str]] = []
    for i, pl in enumerate(delta.pins):
        where = f"pins[{i}] {pl.cadre}→{pl.post}"
        ok = cadre_ref(f"{where} › cadre", pl.cadre) & post_ref(f"{where} › post", pl.post)
        if ok and pl.cadre in is_leaving:
            P.append(_problem(where, "input.pin_leaving", cadre=pl.cadre))
        for j, other in enumerate(delta.pins[:i]):
            if other.cadre == pl.cadre or other.post == pl.post:
                P.append(_problem(where, "input.pin_conflict", detail=f"pins[{j}] {other.cadre}→{other.post}"))
        new_pins.append((pl.cadre, pl.post))
    new_forbids: list[tuple[str, str]] = []
    for i, pl in enumerate(delta.forbids):
        where = f"forbids[{i}] {pl.cadre}→{pl.post}"
        cadre_ref(f"{where} › cadre", pl.cadre)
        post_ref(f"{where} › post", pl.post)
        if (pl.cadre, pl.post) in new_pins:
            P.append(_problem(where, "input.pin_forbid"))
        new_forbids.append((pl.cadre, pl.post))
    approvals: list[str] = []
    for i, cid in enumerate(delta.approvals):
        if cadre_ref(f"approvals[{i}]", cid):
            approvals.append(cid)
    if P:
        raise InputError("delta", P)

    # ------------------------------------------------------------------ the new document
    pinned_cadres = {c for c, _ in new_pins}
    pinned_posts = {p for _, p in new_pins}
    pins: list[tuple[str, str]] = []
    for cid, pid in (pl for pl in ((pl.cadre, pl.post) for pl in scenario.pins)):
        if (cid, pid) in unpins or cid in gone or (cid, pid) in new_pins:
            continue
        if cid in pinned_cadres or pid in pinned_posts:
            notes.append(_note("whatif.note.pin_replaced", cadre=cid, post=pid))
            continue
        if cid in leaving:
            notes.append(_note("whatif.note.pin_leaving", cadre=cid, post=pid))
            continue
        if (cid, pid) in new_forbids:
            notes.append(_note("whatif.note.pin_forbidden", cadre=cid, post=pid))
            continue
        pins.append((cid, pid))
    pins += new_pins
    forbids: list[tuple[str, str]] = []
    for cid, pid in ((f.cadre, f.post) for f in scenario.forbids):
        if cid in gone:
            continue
        if (cid, pid) in new_pins:
            notes.append(_note("whatif.note.forbid_lifted", cadre=cid, post=pid))
            continue
        forbids.append((cid, pid))
    forbids += [f for f in new_forbids if f not in forbids]

    # unchanged records are shared with the base scenario (nothing here mutates them); changed ones are copies
    cadres: list[Cadre] = []
    for c in scenario.cadres:
        if c.id in removed:
            if c.id in added:
                cadres.append(added[c.id])
            continue
        cadres.append(c)
    cadres += [c for cid, c in added.items() if cid not in removed]
    for k, c in enumerate(cadres):
        update: dict[str, Any] = {}
        if c.id in leaving:
            update["leaving"] = True
        if gone & set(c.relatives):
            update["relatives"] = [r for r in c.relatives if r not in gone]
        if update:
            cadres[k] = c.model_copy(update=update)

    policy = {rid: dict(v) for rid, v in scenario.policy.items()}
    for rid, over in delta.policy.items():
        policy[rid] = {**policy.get(rid, {}), **over}

    doc = scenario.model_copy()
    doc.cadres = cadres
    doc.pins = [Placement(cadre=c, post=p) for c, p in pins]
    doc.forbids = [Placement(cadre=c, post=p) for c, p in forbids]
    doc.approvals = list(dict.fromkeys([a for a in scenario.approvals if a not in gone] + approvals))
    doc.policy = policy
    if delta.waves is not None:
        doc.waves = delta.waves
    try:
        inst = load_scenario(doc)
    except InputError as exc:
        raise InputError("delta", [_relocate(p, cadres, added) for p in exc.problems]) from None
    return Applied(scenario=doc, inst=inst, notes=notes)


def resolve_names(scenario: Scenario, delta: Delta) -> tuple[Delta, list[Problem], set[tuple[str, str]]]:
    """The delta with every cadre and post written as a person types it (张飞阳, 上石街道党工委书记, ids too)
    replaced by its id; each name that matches nobody or several is a located problem listing the matches."""
    from planner.domain.names import Names, Unresolved

    names = Names.of(scenario, delta.add_cadres)
    P: list[Problem] = []
    bad: set[tuple[str, str]] = set()  # (record, "cadre" | "post") whose name did not resolve

    def one(where: str, token: str, what: str) -> str:
        try:
            return names.cadre(token) if what == "cadre" else names.post(token)
        except Unresolved as exc:
            P.append(exc.problem(where))
            bad.add((where.split(" ", 1)[0], what))
            return token

    update: dict[str, Any] = {}
    for fld in ("leaving", "remove_cadres", "approvals"):
        update[fld] = [one(f"{fld}[{i}]", cid, "cadre") for i, cid in enumerate(getattr(delta, fld))]
    for fld in ("pins", "unpins", "forbids"):
        items = []
        for i, pl in enumerate(getattr(delta, fld)):
            where = f"{fld}[{i}] {pl.cadre}→{pl.post}"
            items.append(
                Placement(
                    cadre=one(f"{where} › cadre", pl.cadre, "cadre"), post=one(f"{where} › post", pl.post, "post")
                )
            )
        update[fld] = items
    return delta.model_copy(update=update), P, bad


_RECORD = re.compile(r"^cadres\[(\d+)\] (\S+)(.*)$")


def _relocate(p: Problem, cadres: list[Cadre], added: dict[str, Cadre]) -> Problem:
    """A problem found in the merged scenario, located in the delta when it comes from an added cadre."""
    m = _RECORD.match(p.location)
    if m and m.group(2) in added:
        k = list(added).index(m.group(2))
        return Problem(f"add_cadres[{k}] {m.group(2)}{m.group(3)}", p.message_en, p.message_zh)
    return Problem(f"(scenario after the delta) {p.location}", p.message_en, p.message_zh)
