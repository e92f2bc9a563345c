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
from fractions import Fraction
from typing import Any, Iterable

import networkx as nx
from ortools.sat.python import cp_model

from .eligible import exclusions
from .check import check_plan
from .domain.load import Instance, load_scenario
from .domain.vocab import KEY_ROLES, PRINCIPAL_ROLES, RANK_LEVEL
from .errors import InputError
from .i18n import label_zh, message, rule_name
from .rules import REGISTRY
from .rules.base import DepartureRule, PairRule
from .solve import SolveOptions, solve

PSEUDO = {"pin", "forbid"}  # decisions of the user, guarded like rules
MAX_NAMES = 5


# ------------------------------------------------------------------------------------------- wording


def _names(inst: Instance, cadres: Iterable[str]) -> tuple[str, str]:
    cadres = list(cadres)
    shown = "、".join(inst.name(c) for c in cadres[:MAX_NAMES])
    shown_en = ", ".join(inst.name(c) for c in cadres[:MAX_NAMES])
    if len(cadres) > MAX_NAMES:
        zh, en = message("explain.more", n=len(cadres))
        return shown + zh, shown_en + en
    return shown, shown_en


def _rule_names(rid: str) -> tuple[str, str]:
    if rid in REGISTRY:
        return rule_name(rid)
    return message(f"explain.pseudo.{rid}")


def _role_en(role: str) -> str:
    return role.replace("_", " ")


def _params_text(inst: Instance, rid: str) -> str:
    cfg = inst.policy[rid]
    out = []
    for k, v in cfg.params:
        if isinstance(v, Fraction):
            v = f"{float(v) * 100:g}%"
        elif isinstance(v, list):
            v = "/".join(str(x) for x in v)
        out.append(f"{k}={v}")
    return ", ".join(out)


# --------------------------------------------------------------------------------------- 1. matching


def _bound_posts(inst: Instance) -> dict[str, tuple[set[str], list[str]]]:
    """cadre -> (the only posts they may hold, why): pins, and incumbents a hard tenure rule keeps in place."""
    bound: dict[str, tuple[set[str], list[str]]] = {}
    for c, p in inst.pins:
        bound[c] = ({p}, ["pin"])
    for rid, rule in REGISTRY.items():
        if not (isinstance(rule, DepartureRule) and inst.policy[rid].hard):
            continue
        for post, c in inst.holder.items():
            if c is None or inst.cadres[c].leaving:
                continue
            if all(rule.departure_amount(inst, inst.policy[rid], c, d) for d in inst.wave_dates):
                posts, why = bound.get(c, (None, []))
                bound[c] = (({post} if posts is None else posts & {post}), why + [rid])
    return bound


def required_posts(inst: Instance) -> dict[str, str]:
    """post -> the rule that requires it filled."""
    req: dict[str, str] = {}
    if inst.policy["post-filled"].hard:
        req.update({p: "post-filled" for p, post in inst.posts.items() if post.role not in KEY_ROLES})
    if inst.policy["principal-filled"].hard:
        req.update({p: "principal-filled" for p, post in inst.posts.items() if post.role in KEY_ROLES})
    for _, p in inst.pins:
        req[p] = "pin"
    return req


def _reasons(inst: Instance, cadre: str, post: str, bound) -> list[str]:
    """Why `cadre` may not hold `post` (empty: eligible). Placement reasons hold in every wave."""
    per_date = [exclusions(inst, cadre, post, d) for d in inst.wave_dates]
    if any(not r for r in per_date):
        reasons: list[str] = []
    else:
        reasons = list(dict.fromkeys(r for rs in per_date for r in rs))
    if cadre in bound and post not in bound[cadre][0]:
        reasons += [r for r in bound[cadre][1] if r not in reasons]
    return ["rank-ladder" if r == "rank" else r for r in reasons]


def hall_groups(inst: Instance) -> list[dict[str, Any]]:
    """Groups of required posts that too few eligible cadres can fill (empty: Hall's condition holds)."""
    req = required_posts(inst)
    if not req:
        return []
    bound = _bound_posts(inst)
    by_level: dict[int, list[str]] = defaultdict(list)
    for cid, c in inst.cadres.items():
        by_level[RANK_LEVEL[c.rank]].append(cid)
    considered: dict[str, list[str]] = {}
    g = nx.Graph()
    g.add_nodes_from((("P", p) for p in req), bipartite=0)
    ladder = inst.policy["rank-ladder"].hard  # only then are placements limited to lateral / one step up
    for p in req:
        level = RANK_LEVEL[inst.posts[p].rank]
        people = by_level.get(level, []) + by_level.get(level - 1, []) if ladder else list(inst.cadres)
        if inst.holder[p] is not None and inst.holder[p] not in people:
            people = people + [inst.holder[p]]
        considered[p] = people
        for c in people:
            if not _reasons(inst, c, p, bound):
                g.add_edge(("P", p), ("C", c))
    matching = nx.bipartite.hopcroft_karp_matching(g, top_nodes=[("P", p) for p in req])
    unmatched = [p for p in req if ("P", p) not in matching]
    if not unmatched:
        return []
    # alternating paths from each unmatched post: posts S, cadres N(S); |N(S)| = |S| - (unmatched in S)
    groups: list[tuple[set[str], set[str]]] = []
    for u in unmatched:
        posts, people, frontier = {u}, set(), [u]
        while frontier:
            p = frontier.pop()
            for node in g.neighbors(("P", p)):
                c = node[1]
                if c in people:
                    continue
                people.add(c)
                q = matching[("C", c)][1]
                if q not in posts:
                    posts.add(q)
                    frontier.append(q)
        for k, (ps, cs) in enumerate(groups):
            if ps & posts:
                groups[k] = (ps | posts, cs | people)
                break
        else:
            groups.append((posts, people))
    out = []
    for posts, people in groups:
        ordered = [p for p in inst.posts if p in posts]
        reasons: dict[str, dict[str, Any]] = {}
        for p in ordered:
            for c in considered[p]:
                if c in people:
                    continue
                why = _reasons(inst, c, p, bound)
                for r in why:
                    entry = reasons.setdefault(r, {"cadres": [], "only": [], "posts": []})
                    if c not in entry["cadres"]:
                        entry["cadres"].append(c)
                    if len(why) == 1 and c not in entry["only"]:
                        entry["only"].append(c)
                    if p not in entry["posts"]:
                        entry["posts"].append(p)
        out.append({
            "posts": ordered,
            "eligible": sorted(people),
            "deficit": len(posts) - len(people),
            "requirements": {p: req[p] for p in ordered},
            "reasons": dict(sorted(reasons.items(), key=lambda kv: (-len(kv[1]["only"]), -len(kv[1]["cadres"])))),
        })
    return out


def _entries_from_group(inst: Instance, grp: dict[str, Any], conflict: int) -> tuple[list[dict], list[str], list[str]]:
    """The rules of one Hall group: its requirements (principal-filled, pins…) and the reasons that exclude."""
    entries: dict[str, dict[str, Any]] = {}

    def entry(rid: str) -> dict[str, Any]:
        if rid not in entries:
            zh, en = _rule_names(rid)
            entries[rid] = {"rule": rid, "name_zh": zh, "name_en": en, "townships": [], "posts": [], "cadres": [],
                            "conflict": conflict, "_zh": [], "_en": []}
        return entries[rid]

    def add(e: dict, townships=(), posts=(), cadres=()) -> None:
        for key, vals in (("townships", townships), ("posts", posts), ("cadres", cadres)):
            e[key] += [v for v in vals if v not in e[key]]

    posts = grp["posts"]
    labels = "、".join(inst.post_label(p) for p in posts)
    names_zh, names_en = _names(inst, grp["eligible"])
    head_zh, head_en = message("explain.group", posts=labels, k=len(posts), n=len(grp["eligible"]),
                               names=f"({names_zh})" if names_zh else "", names_en=f" ({names_en})" if names_en else "")
    parts_zh, parts_en = [], []
    for rid, info in grp["reasons"].items():
        rzh, ren = _rule_names(rid)
        zh, en = message("explain.reason", rule=rzh, rule_en=ren, n=len(info["cadres"]))
        parts_zh.append(zh)
        parts_en.append(en)
    tail_zh, tail_en = message("explain.reasons", reasons="、".join(parts_zh), reasons_en="; ".join(parts_en))
    line_zh = head_zh + (tail_zh if parts_zh else "")
    line_en = head_en + (tail_en if parts_en else "")
    for p in posts:
        rid = grp["requirements"][p]
        add(entry(rid), [inst.township_of(p)], [p], [c for c, q in inst.pins if q == p] if rid == "pin" else [])
    for rid in dict.fromkeys(grp["requirements"].values()):
        e = entry(rid)
        e["_zh"].append(head_zh)
        e["_en"].append(head_en)
        add(e, cadres=grp["eligible"])
    for rid, info in grp["reasons"].items():
        e = entry(rid)
        names_zh, names_en = _names(inst, info["only"] or info["cadres"])
        zh, en = message("explain.excluded", posts="、".join(inst.post_label(p) for p in info["posts"]),
                         n=len(info["cadres"]), names=names_zh, names_en=names_en,
                         rule=_rule_names(rid)[0], rule_en=_rule_names(rid)[1])
        e["_zh"].append(zh)
        e["_en"].append(en)
        add(e, sorted({inst.township_of(p) for p in info["posts"]}), info["posts"], info["cadres"])
        e["excluded"] = e.get("excluded", 0) + len(info["cadres"])
        e["only_reason"] = e.get("only_reason", 0) + len(info["only"])
    return list(entries.values()), [line_zh], [line_en]


# ---------------------------------------------------------------------------------------- 2. the core


def _priority(key: tuple[str, str]) -> int:
    """Deletion order: lower is tried first (so dropped more readily); what explains best comes last."""
    rid = key[0]
    order = {"forbid": 1, "min-tenure": 4, "full-term": 4, "seamless-handover": 5, "post-filled": 6,
             "principal-change": 7, "principal-filled": 8, "pin": 9}
    if rid in order:
        return order[rid]
    rule = REGISTRY.get(rid)
    if isinstance(rule, PairRule):
        return 0
    if rule is not None and rule.scope == "county":
        return 2
    return 3


class _Ladder(frozenset):
    """Empty as a set; ``(cadre, post) in it`` when the placement is neither lateral nor one step up (nor the
    cadre's own post). Used as the forbids of the relaxed copy, so the rank ladder's structural filter still
    prunes while `rank-ladder` itself is guarded (its tier and years conditions can then be named)."""

    def __new__(cls, inst: Instance):
        fence = super().__new__(cls)
        fence.inst = inst
        return fence

    def __contains__(self, pair) -> bool:
        cadre, post = pair
        c, p = self.inst.cadres[cadre], self.inst.posts[post]
        return post != c.current_post and RANK_LEVEL[p.rank] - RANK_LEVEL[c.rank] not in (0, 1)


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

    return solve(sub, SolveOptions(time_limit=time_limit, workers=workers, explain=True, greedy_hint=False,
                                   extend=extend))


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


def _minimise(m, core: list[tuple[str, str]], deadline: float, step: float, workers: int
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
            trial = current[:start] + current[start + size:]
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
        fields = {"role": label_zh(role), "role_en": _role_en(role)}
        if h is None:
            key = "explain.fact.vacant"
        elif inst.cadres[h].leaving:
            key, fields["name"] = "explain.fact.leaving", inst.name(h)
        elif p in pinned_to and pinned_to[p] != h:
            key, fields["name"] = "explain.fact.pinned", inst.name(pinned_to[p])
        elif h in pinned_of and pinned_of[h] != p:
            key, fields["name"], fields["post"] = "explain.fact.pinned_away", inst.name(h), inst.post_label(pinned_of[h])
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
        return message("explain.item.seamless-handover", post=inst.post_label(post), holder=inst.name(inst.holder[post]))
    if rid in ("min-tenure", "full-term") and cadre:
        need = inst.policy[rid].params.min_years
        return message(f"explain.item.{rid}", cadre=inst.name(cadre), post=inst.post_label(inst.cadres[cadre].current_post),
                       need=f"{float(need):g}")
    if rid in ("pin", "forbid") and cadre and post:
        return message(f"explain.item.{rid}", cadre=inst.name(cadre), post=inst.post_label(post))
    if rid == "kinship-avoidance" and t and len(info["cadres"]) >= 2:
        return message("explain.item.kinship", township=inst.township_label(t), a=inst.name(info["cadres"][0]),
                       b=inst.name(info["cadres"][1]))
    if isinstance(rule, PairRule) and post:
        cfg = inst.policy[rid]
        date = inst.date_of_wave(info["wave"] or 1)
        hit = [c for c, cad in inst.cadres.items()
               if not cad.leaving and (not rule.new_only or cad.current_post != post)
               and (not inst.policy["rank-ladder"].hard
                    or RANK_LEVEL[inst.posts[post].rank] - RANK_LEVEL[cad.rank] in (0, 1))
               and rule.pair_amount(inst, cfg, c, post, date)]
        info["cadres"] = hit
        names_zh, names_en = _names(inst, hit)
        return message("explain.item.pair", post=inst.post_label(post), n=len(hit), rule=rzh, rule_en=ren,
                       names=names_zh, names_en=names_en)
    if rule is not None and rule.scope == "county":
        return message("explain.item.county", rule=rzh, rule_en=ren, params=_params_text(inst, rid))
    if rule is not None and t:
        return message("explain.item.team", township=inst.township_label(t), rule=rzh, rule_en=ren,
                       params=_params_text(inst, rid))
    return message("explain.item.generic", rule=rzh, rule_en=ren, tag=info["tag"])


def _entries_from_core(inst: Instance, core: list[tuple[str, str]], conflict: int
                       ) -> tuple[list[dict], list[str], list[str]]:
    by_rule: dict[str, list[dict]] = defaultdict(list)
    for rid, tag in sorted(core, key=lambda k: -_priority(k)):
        info = _parse_tag(inst, rid, tag)
        info["message_zh"], info["message_en"] = _item_message(inst, rid, info)
        by_rule[rid].append(info)
    entries, lines_zh, lines_en = [], [], []
    for rid, items in by_rule.items():
        zh, en = _rule_names(rid)
        e = {"rule": rid, "name_zh": zh, "name_en": en, "townships": [], "posts": [], "cadres": [],
             "conflict": conflict, "_zh": [i["message_zh"] for i in items], "_en": [i["message_en"] for i in items],
             "instances": [{k: i[k] for k in ("tag", "wave", "townships", "posts", "cadres")} for i in items]}
        for i in items:
            for key in ("townships", "posts", "cadres"):
                e[key] += [v for v in i[key] if v not in e[key]]
        entries.append(e)
        lines_zh += e["_zh"]
        lines_en += e["_en"]
    return entries, lines_zh, lines_en


# ----------------------------------------------------------------------------------------- 3. relaxing


HIGH = 100_000

#: quota rules: parameter moved by a relaxation, and how to read the value a plan achieves
_THRESHOLDS = {
    "young-principals": "min_share", "young-members": "min_share", "team-experience": "min_share",
    "young-members-team": "min_share", "minority-share": "min_share", "non-cpc-share": "min_share",
    "under-30": "min_count", "women": "min_count",
}
#: rules about timing, which a second wave may resolve
_TIMING = {"principal-change", "seamless-handover", "min-tenure", "full-term", "team-experience", "rank-ladder",
           "principal-qualification", "young-principals", "young-members", "under-30"}


def _achieved(inst: Instance, rid: str, holder: dict[str, str | None]) -> Any:
    """The most demanding threshold of quota rule `rid` that the final teams `holder` meet."""
    cfg = inst.policy[rid]
    P = cfg.params
    date = inst.wave_dates[-1]
    rule = REGISTRY[rid]

    def qualifies(c: str) -> bool:
        if rid in ("young-principals", "young-members", "young-members-team", "under-30"):
            return inst.age(c, date) <= P.max_age
        if rid == "team-experience":
            return inst.work_years(c, date) >= P.min_years
        if rid == "women":
            return inst.cadres[c].gender == "F"
        if rid == "minority-share":
            return inst.is_minority(c)
        return not inst.cadres[c].cpc_member  # non-cpc-share

    if rule.scope == "county":
        posts = [p for p in inst.posts if rid != "young-principals" or inst.posts[p].role in PRINCIPAL_ROLES]
        held = [holder[p] for p in posts if holder.get(p)]
        return Fraction(sum(map(qualifies, held)), len(held)) if held else Fraction(1)
    values = []
    for t, posts in inst.posts_of.items():
        if not posts or (rid == "minority-share" and not inst.is_ethnic(t)):
            continue
        members = [holder[p] for p in posts if holder.get(p)]
        count = sum(map(qualifies, members))
        if _THRESHOLDS[rid] == "min_count":
            values.append(count)
        elif members:
            values.append(Fraction(count, len(members)))
    if not values:
        return None
    return min(values)


def _show(value: Any) -> Any:
    if isinstance(value, Fraction):
        return f"{float(value) * 100:g}%"
    return value


def _candidate_relaxations(inst: Instance, entries: list[dict]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    seen: set[str] = set()

    def add(rid: str, conflict: int, change: str, delta: dict | None, key: str, **fields: Any) -> None:
        sig = repr((change, delta, fields.get("forbids")))
        if sig in seen:
            return
        seen.add(sig)
        zh, en = message(key, **fields)
        name_zh, name_en = _rule_names(rid)
        out.append({"rule": rid, "name_zh": name_zh, "name_en": name_en, "conflict": conflict, "change": change,
                    "delta": ({"format": "reshuffle-delta/1", **delta} if delta is not None else None),
                    "description_zh": zh, "description_en": en, "_forbids": fields.get("forbids")})

    for e in entries:
        rid, k = e["rule"], e.get("conflict", 1)
        if rid == "pin":
            for c, p in inst.pins:
                if p in e["posts"] or c in e["cadres"]:
                    add(rid, k, "unpin", {"unpins": [{"cadre": c, "post": p}]}, "relax.unpin",
                        cadre=inst.name(c), post=inst.post_label(p))
            continue
        if rid == "forbid":
            pairs = [(c, p) for c, p in sorted(inst.forbids) if c in e["cadres"] and p in e["posts"]]
            if pairs:
                add(rid, k, "unforbid", None, "relax.unforbid", forbids=pairs,
                    pairs="、".join(f"{inst.name(c)}→{inst.post_label(p)}" for c, p in pairs))
            continue
        rule = REGISTRY.get(rid)
        if rule is None or rule.locked or not inst.policy[rid].hard:
            continue
        if rid == "min-tenure":
            cadres = [c for c in e["cadres"] if c not in inst.approvals]
            if cadres:
                names_zh, names_en = _names(inst, cadres)
                add(rid, k, "approve", {"approvals": cadres}, "relax.approve", cadres=names_zh, cadres_en=names_en)
        add(rid, k, "soft", {"policy": {rid: {"mode": "soft"}}}, "relax.soft", rule=_rule_names(rid)[0],
            rule_en=_rule_names(rid)[1])
    if inst.waves == 1 and any(e["rule"] in _TIMING for e in entries):
        first = next(e for e in entries if e["rule"] in _TIMING)
        add(first["rule"], first.get("conflict", 1), "waves", {"waves": 2}, "relax.waves", n=2)
    conflicts = sorted({c["conflict"] for c in out})
    if len(conflicts) > 1:  # no single change can help: one change per conflict, together
        picks = [next(c for c in out if c["conflict"] == k and c["delta"] is not None and c["change"] != "waves")
                 for k in conflicts if any(c["conflict"] == k and c["delta"] is not None and c["change"] != "waves"
                                           for c in out)]
        if len(picks) == len(conflicts):
            merged: dict[str, Any] = {}
            for c in picks:
                for key, value in c["delta"].items():
                    if key == "format":
                        continue
                    if key == "policy":
                        merged.setdefault("policy", {}).update(value)
                    else:
                        merged[key] = merged.get(key, []) + value
            zh = "；".join(c["description_zh"] for c in picks)
            en = "; ".join(c["description_en"] for c in picks)
            czh, cen = message("relax.combined", n=len(picks), changes=zh, changes_en=en)
            out.insert(0, {"rule": picks[0]["rule"], "name_zh": picks[0]["name_zh"], "name_en": picks[0]["name_en"],
                           "conflict": None, "change": "combined", "rules": [c["rule"] for c in picks],
                           "delta": {"format": "reshuffle-delta/1", **merged},
                           "description_zh": czh, "description_en": cen, "_forbids": None})
    return out


def _combined_from_groups(inst: Instance, groups: list[tuple[str, str | None]]) -> dict[str, Any] | None:
    """The relaxation candidate for a set of rules to relax together (see :func:`fewest_relaxations`)."""
    delta: dict[str, Any] = {}
    forbids: list[tuple[str, str]] = []
    parts_zh, parts_en = [], []
    for rid, tag in groups:
        if rid == "pin":
            c, p = tag.split("->")
            delta.setdefault("unpins", []).append({"cadre": c, "post": p})
            zh, en = message("relax.unpin", cadre=inst.name(c), post=inst.post_label(p))
        elif rid == "forbid":
            c, p = tag.split("->")
            forbids.append((c, p))
            zh, en = message("relax.unforbid", pairs=f"{inst.name(c)}→{inst.post_label(p)}")
        else:
            delta.setdefault("policy", {})[rid] = {"mode": "soft"}
            zh, en = message("relax.soft", rule=_rule_names(rid)[0], rule_en=_rule_names(rid)[1])
        parts_zh.append(zh)
        parts_en.append(en)
    if forbids and delta:
        return None  # a forbid cannot be lifted by a delta; offer the single changes instead
    czh, cen = message("relax.combined", n=len(groups), changes="；".join(parts_zh), changes_en="; ".join(parts_en))
    first = groups[0][0]
    return {"rule": first, "name_zh": _rule_names(first)[0], "name_en": _rule_names(first)[1], "conflict": None,
            "change": "combined", "rules": [g[0] for g in groups],
            "delta": {"format": "reshuffle-delta/1", **delta} if delta else None,
            "description_zh": czh, "description_en": cen, "_forbids": forbids or None}


def relaxations(inst: Instance, entries: list[dict], *, time_limit: float = 20.0, workers: int = 8,
                limit_each: float = 10.0, combined: dict | None = None) -> list[dict[str, Any]]:
    """Try each single relaxation of the rules in `entries` (and, with several conflicts, one combination);
    summarise the plan each one gives."""
    from .whatif import apply_delta  # the relaxations are deltas; whatif imports nothing of ours

    cands = _candidate_relaxations(inst, entries)
    if combined is not None:
        cands = [c for c in cands if c["change"] != "combined"]
        if not any(c["delta"] == combined["delta"] and c["_forbids"] == combined["_forbids"] for c in cands):
            cands.insert(0, combined)
    t0 = time.perf_counter()
    out = []
    build_s = 0.0
    for k, cand in enumerate(cands):
        left = time_limit - (time.perf_counter() - t0)
        forbids = cand.pop("_forbids")
        if left <= max(0.1, build_s):  # not even time to build the model again
            cand.update(status="skipped", feasible=None, objective=None, moves=None, violations=[])
            cand["summary_zh"], cand["summary_en"] = message("relax.skipped")
            out.append(cand)
            continue
        try:
            if cand["delta"] is not None:
                scenario = apply_delta(inst.doc, cand["delta"])
            else:
                scenario = inst.doc.model_copy(update={"forbids": [f for f in inst.doc.forbids
                                                                   if (f.cadre, f.post) not in set(forbids)]})
            relaxed = load_scenario(scenario)
        except InputError:  # a relaxation the scenario cannot take (e.g. waves with hand-set dates)
            continue
        # model building comes on top of the solver's limit: budget it with the last build's time
        limit = min(limit_each, left / max(1, len(cands) - k)) - build_s
        res = solve(relaxed, SolveOptions(time_limit=max(0.2, limit), workers=workers))
        build_s = res.build_time_s
        cand.update(status=res.status, feasible=res.found, objective=res.objective, moves=None, violations=[])
        if res.found:
            plan = res.plan
            cand["moves"] = len(plan.moves)
            cand["violations"] = [{"rule": v.rule, "amount": v.amount, "message_zh": v.message_zh,
                                   "message_en": v.message_en} for v in plan.violations
                                  if v.rule in cand.get("rules", [cand["rule"]])]
            amount = sum(v["amount"] for v in cand["violations"])
            if cand["change"] == "soft" and cand["rule"] in _THRESHOLDS:
                out.append(_threshold_variant(inst, relaxed, cand, plan))
            extra_zh, extra_en = message("relax.breaks", amount=amount) if amount else ("", "")
            zh, en = message("relax.ok", status=message(f"status.{res.status}")[0], status_en=res.status,
                             objective=res.objective, moves=cand["moves"], extra=extra_zh, extra_en=extra_en)
        else:
            zh, en = message("relax.no", status=message(f"status.{res.status}")[0], status_en=res.status)
        cand["summary_zh"], cand["summary_en"] = zh, en
        out.append(cand)
    # the ones that give a plan first, then by objective
    out.sort(key=lambda c: (not c.get("feasible"), c.get("objective") if c.get("objective") is not None else math.inf))
    return out


def _threshold_variant(inst: Instance, relaxed: Instance, cand: dict, plan) -> dict[str, Any]:
    """From a plan found with the rule soft: the threshold it meets, as a policy change (the plan is its witness)."""
    from .whatif import apply_delta

    rid = cand["rule"]
    param = _THRESHOLDS[rid]
    holder = {a.post: a.cadre for a in plan.assignments}
    value = _achieved(inst, rid, holder)
    old = getattr(inst.policy[rid].params, param)
    if value is None:
        return {**cand, "change": "threshold", "feasible": None}
    if isinstance(value, Fraction):
        value = Fraction(math.floor(value * 100), 100)  # meets count ≥ share × members for the plan's teams
        shown = float(value)
    else:
        shown = int(value)
    delta = {"format": "reshuffle-delta/1", "policy": {rid: {param: shown}}}
    threshold_inst = load_scenario(apply_delta(inst.doc, delta))
    report = check_plan(threshold_inst, plan)
    zh, en = message("relax.threshold", rule=_rule_names(rid)[0], rule_en=_rule_names(rid)[1], param=param,
                     old=_show(old), new=_show(value))
    szh, sen = message("relax.ok", status=message("status.feasible")[0], status_en="feasible",
                       objective=report.objective, moves=len(plan.moves), extra="", extra_en="")
    return {**cand, "change": "threshold", "delta": delta, "description_zh": zh, "description_en": en,
            "status": "feasible" if report.ok else "unknown", "feasible": report.ok, "objective": report.objective,
            "violations": [], "summary_zh": szh, "summary_en": sen}


# -------------------------------------------------------------------------------------------- explain


def explain(inst: Instance, *, time_limit: float = 30.0, relax: bool = True, workers: int = 8) -> dict[str, Any]:
    """Why `inst` has no plan, as a JSON-able dict (the plan's ``explanation``). See the module docstring.

    Shape: ``{"method": "matching"|"core"|"none"|"unknown", "conflicts": n, "rules": [{"rule", "name_zh",
    "name_en", "townships", "posts", "cadres", "message_zh", "message_en", "conflict", …}], "message_zh",
    "message_en", "minimal", "relaxations": [...], "wall_time_s"}``. Each conflict needs a fix of its own;
    ``minimal`` says every rule instance named was proven necessary.
    """
    t0 = time.perf_counter()
    groups = hall_groups(inst)
    minimal, complete = True, True  # Hall groups are disjoint and each is a complete reason on its own
    parts: list[tuple[list[dict], list[str], list[str]]] = []
    if groups:
        method = "matching"
        parts = [_entries_from_group(inst, g, k) for k, g in enumerate(groups, start=1)]
    else:
        core = assumption_core(inst, time_limit=time_limit * (0.5 if relax else 1.0), workers=workers)
        minimal, complete = core.minimal, core.complete
        if core.status != "infeasible":
            zh, en = message("explain.none" if core.status == "feasible" else "explain.unknown")
            return {"method": "none" if core.status == "feasible" else "unknown", "conflicts": 0, "rules": [],
                    "message_zh": zh, "message_en": en, "minimal": False, "relaxations": [],
                    "wall_time_s": round(time.perf_counter() - t0, 3)}
        cores = core.conflicts
        method = "core"
        parts = [_entries_from_core(inst, core, k) for k, core in enumerate(cores, start=1)]
    entries = [e for es, _, _ in parts for e in es]
    for e in entries:
        e["message_zh"] = "；".join(e.pop("_zh"))
        e["message_en"] = "; ".join(e.pop("_en"))
    if not entries:
        lines_zh, lines_en = [message("explain.structural")[0]], [message("explain.structural")[1]]
    elif len(parts) == 1:
        lines_zh, lines_en = parts[0][1], parts[0][2]
    else:
        lines_zh = [f"({k}) " + "；".join(zh) for k, (_, zh, _) in enumerate(parts, start=1)]
        lines_en = [f"({k}) " + "; ".join(en) for k, (_, _, en) in enumerate(parts, start=1)]
    zh, en = message("explain.summary", items="；".join(lines_zh), items_en="; ".join(lines_en))
    out = {"method": method, "conflicts": len(parts), "rules": entries, "message_zh": zh, "message_en": en,
           "minimal": minimal, "all_conflicts": complete, "relaxations": []}
    if relax and entries:
        combined = None
        if method == "core" and len(parts) > 1:
            groups = fewest_relaxations(core.builder, time_limit=min(5.0, time_limit / 6), workers=workers)
            combined = _combined_from_groups(inst, groups) if groups else None
        left = max(1.0, time_limit - (time.perf_counter() - t0))
        out["relaxations"] = relaxations(inst, entries, time_limit=left, workers=workers, combined=combined)
    out["wall_time_s"] = round(time.perf_counter() - t0, 3)
    return out


__all__ = ["explain", "hall_groups", "assumption_core", "relaxations", "required_posts"]
