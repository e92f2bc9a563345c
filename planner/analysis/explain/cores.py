"""Why no plan: the rules, townships, posts and people that cannot hold together — and what would help.

:func:`explain` answers in three steps, each in words an organization-department officer reads (zh and en):

1. **Matching (Hall's condition).** Every post that must be filled (principals and the congress chair when
   `principal-filled` is hard, every post when `post-filled` is, pinned posts) needs its own eligible cadre
   (eligible = :func:`planner.candidates.exclusions` is empty; pinned cadres and cadres a hard tenure rule keeps
   in place are bound to that one post). A maximum bipartite matching (networkx, Hopcroft–Karp) that leaves a
   required post unmatched proves infeasibility; the posts reachable from it by alternating paths form a group
   S with fewer eligible cadres N(S) than posts (König). The group is named with the reasons — per hard
   placement rule, pin or tenure rule — that rule out the other cadres, e.g. "all party-secretary posts need
   CPC members, and only 2 qualify for 3 posts".
2. **Assumption core.** Otherwise the full model is built with every hard rule instance guarded by an
   assumption literal (``SolveOptions(explain=True)``). Hard placement rules, which :mod:`planner.solve`
   applies by *not creating* variables, are turned into guarded forbids here, one literal per (rule, post),
   and user forbids into one literal each — so a core can name them too. CP-SAT's
   ``sufficient_assumptions_for_infeasibility()`` gives a core; it is minimised by deletion (drop one group,
   re-solve the same model with a short limit, keep it out while still infeasible; each infeasible answer's
   own core shrinks the set further). The result is irreducible: every rule instance left is needed.
   Deletion order prefers to keep what explains best: pins, principal-filled, principal-change last.
3. **Relaxations.** For every rule in the explanation, the single changes that might give a plan: the rule
   soft (or, for quota rules, the threshold the plan found then meets), an approval for a tenure block, a pin
   lifted, two waves for a change-timing conflict. Each is solved with a short limit and summarised (status,
   objective, moves, the relaxed rule's violations), with the change written as a ``reshuffle-delta/1`` that
   ``planner whatif`` accepts.
"""

from __future__ import annotations

import math
import time
from collections import defaultdict
from dataclasses import dataclass, field, replace
from typing import Any

from ortools.sat.python import cp_model

from planner.domain.load import Instance
from planner.domain.vocab import RANK_LEVEL
from planner.i18n import message
from planner.rules import REGISTRY
from planner.rules.base import PairRule
from planner.solver.options import SolveOptions
from planner.solver.solve import solve
from planner.analysis.explain.wording import PSEUDO, _names, _params_text, _role_en, _rule_names

# ---------------------------------------------------------------------------------------- 2. the core


def _priority(key: tuple[str, str]) -> int:
    """Deletion order: lower is tried first (so dropped more readily); what explains best comes last."""
    rid = key[0]
    order = {
        "forbid": 1,
        "min-tenure": 4,
        "full-term": 4,
        "seamless-handover": 5,
        "post-filled": 6,
        "principal-change": 7,
        "principal-filled": 8,
        "pin": 9,
    }
    if rid in order:
        return order[rid]
    rule = REGISTRY.get(rid)
    if isinstance(rule, PairRule):
        return 0
    if rule is not None and rule.scope == "county":
        return 2
    return 3


class _Ladder(frozenset[tuple[str, str]]):
    """Empty as a set; ``(cadre, post) in it`` when the placement is neither lateral nor one step up (nor the
    cadre's own post). Used as the forbids of the relaxed copy, so the rank ladder's structural filter still
    prunes while `rank-ladder` itself is guarded (its tier and years conditions can then be named)."""

    inst: Instance

    def __new__(cls, inst: Instance):
        fence = super().__new__(cls)
        fence.inst = inst
        return fence

    def __contains__(self, pair) -> bool:
        cadre, post = pair
        c, p = self.inst.cadres[cadre], self.inst.posts[post]
        return post != c.current_post and p.level - RANK_LEVEL[c.rank] not in (0, 1)


def _relaxed(inst: Instance) -> tuple[Instance, list[PairRule]]:
    """A copy where hard placement rules do not prune variables (they are guarded in the model instead)."""
    policy = dict(inst.policy)
    guarded = []
    for rid, rule in REGISTRY.items():
        if isinstance(rule, PairRule) and policy[rid].hard and not rule.locked and not rule.bonus:
            policy[rid] = replace(policy[rid], mode="soft")
            guarded.append(rule)
    forbids = _Ladder(inst) if inst.policy["rank-ladder"].hard else frozenset()
    return replace(inst, policy=policy, forbids=forbids), guarded


def _guarded_model(inst: Instance, time_limit: float, workers: int):
    sub, guarded = _relaxed(inst)

    def extend(m) -> None:
        m.terms.clear()  # feasibility only
        for rule in guarded:
            cfg = inst.policy[rule.id]
            if rule.new_only:
                for cadre, post, wave, var in m.arrivals():
                    if rule.pair_amount(inst, cfg, cadre, post, m.dates[wave - 1]):
                        m.hard(rule.id, var == 0, m.tag(post, wave))
            else:
                for cadre, post, _ in m.pairs():
                    for k, date in m.waves():
                        if rule.pair_amount(inst, cfg, cadre, post, date):
                            m.hard(rule.id, m.holding(cadre, post, k) == 0, m.tag(post, k))
        for cadre, post in sorted(inst.forbids):
            var = m.x.get((cadre, post))
            if var is not None:
                m.hard("forbid", var == 0, f"{cadre}->{post}")

    return solve(
        sub, SolveOptions(time_limit=time_limit, workers=workers, explain=True, greedy_hint=False, extend=extend)
    )


def _check(m, keys: list[tuple[str, str]], time_limit: float, workers: int) -> tuple[str, list[tuple[str, str]]]:
    model = m.model
    model.clear_assumptions()
    model.add_assumptions([m._guard_of[k] for k in keys])
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.05, time_limit)
    solver.parameters.num_workers = workers
    code = solver.solve(model)
    if code == cp_model.INFEASIBLE:
        return "infeasible", [m.guards[i] for i in solver.sufficient_assumptions_for_infeasibility() if i in m.guards]
    if code in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return "feasible", []
    return "unknown", []


def _minimise(
    m, core: list[tuple[str, str]], deadline: float, step: float, workers: int
) -> tuple[list[tuple[str, str]], bool]:
    """Shrink an infeasible set of guarded rule instances to an irreducible one (delta debugging).

    Chunks of the set are dropped while the rest stays infeasible, halving the chunk size when none can go,
    down to single items (plain deletion). CP-SAT's own core of each infeasible answer shrinks the set further
    (it is all the assumptions when presolve alone decides, hence the chunks). Items are ordered by
    :func:`_priority`, so what explains least is tried first. Returns (set, proven irreducible).
    """
    current = sorted(dict.fromkeys(core), key=_priority)
    conclusive = True
    parts = 2
    while len(current) > 1:
        size = math.ceil(len(current) / parts)
        removed = False
        for start in range(0, len(current), size):
            left = deadline - time.perf_counter()
            if left <= 0.05:
                return current, False
            trial = current[:start] + current[start + size :]
            status, smaller = _check(m, trial, min(left, step), workers)
            if status == "infeasible":
                keep = set(smaller) if smaller else set(trial)
                current = [k for k in trial if k in keep]
                parts = max(parts - 1, 2)
                removed = True
                break
            conclusive = conclusive and status == "feasible"
        if not removed:
            if size == 1:
                break
            parts = min(len(current), parts * 2)
    return current, conclusive


def _forced_false(m) -> list[tuple[str, str]]:
    """Guards the model forces false outright (a rule instance broken whatever the plan, e.g. both principals
    of a township leaving). Each is a conflict on its own; CP-SAT cannot name it (presolve decides such a model,
    and then every assumption is reported)."""
    out = []
    for ct in m.model.proto.constraints:
        lits = list(ct.bool_or.literals) if ct.has_bool_or() else []
        if len(lits) == 1 and lits[0] < 0 and (-lits[0] - 1) in m.guards:
            out.append(m.guards[-lits[0] - 1])
    return list(dict.fromkeys(out))


@dataclass
class Core:
    status: str  # of the guarded model: infeasible | feasible | unknown
    conflicts: list[list[tuple[str, str]]] = field(default_factory=list)
    minimal: bool = False  # every conflict proven irreducible
    complete: bool = False  # with every conflict's instances released, the model is feasible
    builder: Any = None  # the guarded model, for further questions


def assumption_core(inst: Instance, *, time_limit: float = 20.0, workers: int = 8, max_conflicts: int = 5) -> Core:
    """The conflicts of `inst`: irreducible sets of guarded rule instances that cannot hold together.

    After the first conflict its instances are released and the model is asked again, so conflicts that need
    separate fixes are all named (up to `max_conflicts`); they are disjoint.
    """
    t0 = time.perf_counter()
    deadline = t0 + time_limit
    res = _guarded_model(inst, time_limit * 0.4, workers)
    if res.status != "infeasible":
        return Core("feasible" if res.found else res.status)
    m = res.builder
    core = [m.guards[i] for i in res.solver.sufficient_assumptions_for_infeasibility() if i in m.guards]
    if not core:  # infeasible without any assumption: structural (one-post, leaving) — nothing to name
        return Core("infeasible", [[]], minimal=True, complete=True, builder=m)
    step = max(1.0, time_limit / 10)
    out = Core("infeasible", [[g] for g in _forced_false(m)][:max_conflicts], minimal=True, builder=m)
    released: set[tuple[str, str]] = {g for c in out.conflicts for g in c}
    if released:
        status, core = _check(m, [k for k in m._guard_of if k not in released], step * 2, workers)
        if status != "infeasible":
            out.complete = status == "feasible"
            core = []
    while core and len(out.conflicts) < max_conflicts:
        found, ok = _minimise(m, core, deadline, step, workers)
        out.conflicts.append(found)
        out.minimal = out.minimal and ok
        released |= set(found)
        left = deadline - time.perf_counter()
        if len(out.conflicts) >= max_conflicts or left <= 0.1:
            break
        status, core = _check(m, [k for k in m._guard_of if k not in released], min(left, step * 2), workers)
        if status != "infeasible":
            out.complete = status == "feasible"
            break
    return out


def fewest_relaxations(m, *, time_limit: float = 5.0, workers: int = 8) -> list[tuple[str, str | None]] | None:
    """The fewest rules to relax (mode soft; pins and forbids one by one) for a plan to exist, or None.

    One Boolean per rule (per pin / forbid) says "relaxed"; every guard of an unrelaxed rule must hold; the
    number relaxed is minimised. A minimum correction set over rules: unlike one fix per conflict found, it
    also accounts for conflicts the first ones hid. Modifies the guarded model (call it last).
    """
    model = m.model
    model.clear_assumptions()
    relaxed: dict[tuple[str, str | None], Any] = {}
    for (rid, tag), lit in m._guard_of.items():
        group = (rid, tag) if rid in PSEUDO else (rid, None)
        if group not in relaxed:
            relaxed[group] = model.new_bool_var(f"relax[{group}]")
        model.add_bool_or([lit, relaxed[group]])
    model.minimize(sum(relaxed.values()))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.1, time_limit)
    solver.parameters.num_workers = workers
    code = solver.solve(model)
    if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    return [g for g, v in relaxed.items() if solver.value(v)]


def _parse_tag(inst: Instance, rid: str, tag: str) -> dict[str, Any]:
    wave = None
    if "@" in tag:
        tag, w = tag.rsplit("@", 1)
        wave = int(w) if w.isdigit() else None
    info: dict[str, Any] = {"townships": [], "posts": [], "cadres": [], "wave": wave, "tag": tag}
    if tag.startswith("x[") and tag.endswith("]"):
        tokens = tag[2:-1].split(",")
    elif "->" in tag:
        tokens = tag.split("->")
    else:
        tokens = tag.split(":")
    for tok in tokens:
        if tok in inst.posts:
            info["posts"].append(tok)
            if inst.township_of(tok) not in info["townships"]:
                info["townships"].append(inst.township_of(tok))
        elif tok in inst.townships:
            info["townships"].insert(0, tok)
        elif tok in inst.cadres:
            info["cadres"].append(tok)
            post = inst.cadres[tok].current_post
            if rid in ("min-tenure", "full-term") and post:
                info["posts"].append(post)
                info["townships"].append(inst.township_of(post))
    return info


def _principal_facts(inst: Instance, township: str) -> tuple[str, str]:
    posts = inst.principal_posts(township)
    pinned_to = {p: c for c, p in inst.pins}
    pinned_of = {c: p for c, p in inst.pins}
    holders = [inst.holder[p] for p in posts]
    if len(posts) >= 2 and all(h is not None and inst.cadres[h].leaving for h in holders):
        return message("explain.fact.both_leaving")
    zh, en = [], []
    for p in posts:
        role, h = inst.posts[p].role, inst.holder[p]
        fields = {"role": inst.role_title(p), "role_en": _role_en(role)}
        if h is None:
            key = "explain.fact.vacant"
        elif inst.cadres[h].leaving:
            key, fields["name"] = "explain.fact.leaving", inst.name(h)
        elif p in pinned_to and pinned_to[p] != h:
            key, fields["name"] = "explain.fact.pinned", inst.name(pinned_to[p])
        elif h in pinned_of and pinned_of[h] != p:
            key, fields["name"], fields["post"] = (
                "explain.fact.pinned_away",
                inst.name(h),
                inst.post_label(pinned_of[h]),
            )
        else:
            continue
        a, b = message(key, **fields)
        zh.append(a)
        en.append(b)
    if not zh:
        return message("explain.fact.none")
    return "，".join(zh), ", ".join(en)


def _item_message(inst: Instance, rid: str, info: dict[str, Any]) -> tuple[str, str]:
    t = info["townships"][0] if info["townships"] else None
    post = info["posts"][0] if info["posts"] else None
    cadre = info["cadres"][0] if info["cadres"] else None
    rzh, ren = _rule_names(rid)
    rule = REGISTRY.get(rid)
    if rid == "principal-change" and t:
        fzh, fen = _principal_facts(inst, t)
        return message("explain.item.principal-change", township=inst.township_label(t), facts=fzh, facts_en=fen)
    if rid in ("principal-filled", "post-filled") and post:
        return message("explain.item.filled", post=inst.post_label(post))
    if rid == "seamless-handover" and post:
        return message(
            "explain.item.seamless-handover", post=inst.post_label(post), holder=inst.name(inst.holder[post])
        )
    if rid in ("min-tenure", "full-term") and cadre:
        need = inst.policy[rid].params.min_years
        return message(
            f"explain.item.{rid}",
            cadre=inst.name(cadre),
            post=inst.post_label(inst.cadres[cadre].current_post),
            need=f"{float(need):g}",
        )
    if rid in ("pin", "forbid") and cadre and post:
        return message(f"explain.item.{rid}", cadre=inst.name(cadre), post=inst.post_label(post))
    if rid == "kinship-avoidance" and t and len(info["cadres"]) >= 2:
        return message(
            "explain.item.kinship",
            township=inst.township_label(t),
            a=inst.name(info["cadres"][0]),
            b=inst.name(info["cadres"][1]),
        )
    if isinstance(rule, PairRule) and post:
        cfg = inst.policy[rid]
        date = inst.date_of_wave(info["wave"] or 1)
        hit = [
            c
            for c, cad in inst.cadres.items()
            if not cad.leaving
            and (not rule.new_only or cad.current_post != post)
            and (not inst.policy["rank-ladder"].hard or inst.posts[post].level - RANK_LEVEL[cad.rank] in (0, 1))
            and rule.pair_amount(inst, cfg, c, post, date)
        ]
        info["cadres"] = hit
        names_zh, names_en = _names(inst, hit)
        return message(
            "explain.item.pair",
            post=inst.post_label(post),
            n=len(hit),
            rule=rzh,
            rule_en=ren,
            names=names_zh,
            names_en=names_en,
        )
    if rule is not None and rule.scope == "county":
        return message("explain.item.county", rule=rzh, rule_en=ren, params=_params_text(inst, rid))
    if rule is not None and t:
        return message(
            "explain.item.team", township=inst.township_label(t), rule=rzh, rule_en=ren, params=_params_text(inst, rid)
        )
    return message("explain.item.generic", rule=rzh, rule_en=ren, tag=info["tag"])


def _entries_from_core(
    inst: Instance, core: list[tuple[str, str]], conflict: int
) -> tuple[list[dict], list[str], list[str]]:
    by_rule: dict[str, list[dict]] = defaultdict(list)
    for rid, tag in sorted(core, key=lambda k: -_priority(k)):
        info = _parse_tag(inst, rid, tag)
        info["message_zh"], info["message_en"] = _item_message(inst, rid, info)
        by_rule[rid].append(info)
    entries: list[dict] = []
    lines_zh: list[str] = []
    lines_en: list[str] = []
    for rid, items in by_rule.items():
        zh, en = _rule_names(rid)
        e: dict[str, Any] = {
            "rule": rid,
            "name_zh": zh,
            "name_en": en,
            "townships": [],
            "posts": [],
            "cadres": [],
            "conflict": conflict,
            "_zh": [i["message_zh"] for i in items],
            "_en": [i["message_en"] for i in items],
            "instances": [{k: i[k] for k in ("tag", "wave", "townships", "posts", "cadres")} for i in items],
        }
        for i in items:
            for key in ("townships", "posts", "cadres"):
                e[key] += [v for v in i[key] if v not in e[key]]
        entries.append(e)
        lines_zh += e["_zh"]
        lines_en += e["_en"]
    return entries, lines_zh, lines_en
