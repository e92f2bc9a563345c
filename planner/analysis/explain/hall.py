"""Step 1 of explain: the structural diagnosis (Hall's condition on posts × eligible cadres)."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import networkx as nx

from planner.analysis.eligible import exclusions
from planner.domain.load import Instance
from planner.domain.vocab import KEY_ROLES, RANK_LEVEL
from planner.i18n import message
from planner.rules import REGISTRY
from planner.rules.base import DepartureRule
from planner.analysis.explain.wording import _names, _rule_names

# --------------------------------------------------------------------------------------- 1. matching


def _bound_posts(inst: Instance) -> dict[str, tuple[set[str], list[str]]]:
    """cadre -> (the only posts they may hold, why): pins, and incumbents a hard tenure rule keeps in place."""
    bound: dict[str, tuple[set[str], list[str]]] = {}
    for c, p in inst.pins:
        bound[c] = ({p}, ["pin"])
    for rid, rule in REGISTRY.items():
        if not (isinstance(rule, DepartureRule) and inst.policy[rid].hard):
            continue
        for post, holder in inst.holder.items():
            if holder is None or inst.cadres[holder].leaving:
                continue
            if all(rule.departure_amount(inst, inst.policy[rid], holder, d) for d in inst.wave_dates):
                posts, why = bound.get(holder, (None, []))
                bound[holder] = (({post} if posts is None else posts & {post}), why + [rid])
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
    for cid, cad in inst.cadres.items():
        by_level[RANK_LEVEL[cad.rank]].append(cid)
    considered: dict[str, list[str]] = {}
    g = nx.Graph()
    g.add_nodes_from((("P", p) for p in req), bipartite=0)
    ladder = inst.policy["rank-ladder"].hard  # only then are placements limited to lateral / one step up
    for p in req:
        level = inst.posts[p].level
        candidates = by_level.get(level, []) + by_level.get(level - 1, []) if ladder else list(inst.cadres)
        h = inst.holder[p]
        if h is not None and h not in candidates:
            candidates = candidates + [h]
        considered[p] = candidates
        for c in candidates:
            if not _reasons(inst, c, p, bound):
                g.add_edge(("P", p), ("C", c))
    matching = nx.bipartite.hopcroft_karp_matching(g, top_nodes=[("P", p) for p in req])
    unmatched = [p for p in req if ("P", p) not in matching]
    if not unmatched:
        return []
    # alternating paths from each unmatched post: posts S, cadres N(S); |N(S)| = |S| - (unmatched in S)
    groups: list[tuple[set[str], set[str]]] = []
    for u in unmatched:
        posts: set[str] = {u}
        people: set[str] = set()
        frontier = [u]
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
        out.append(
            {
                "posts": ordered,
                "eligible": sorted(people),
                "deficit": len(posts) - len(people),
                "requirements": {p: req[p] for p in ordered},
                "reasons": dict(sorted(reasons.items(), key=lambda kv: (-len(kv[1]["only"]), -len(kv[1]["cadres"])))),
            }
        )
    return out


def _entries_from_group(inst: Instance, grp: dict[str, Any], conflict: int) -> tuple[list[dict], list[str], list[str]]:
    """The rules of one Hall group: its requirements (principal-filled, pins…) and the reasons that exclude."""
    entries: dict[str, dict[str, Any]] = {}

    def entry(rid: str) -> dict[str, Any]:
        if rid not in entries:
            zh, en = _rule_names(rid)
            entries[rid] = {
                "rule": rid,
                "name_zh": zh,
                "name_en": en,
                "townships": [],
                "posts": [],
                "cadres": [],
                "conflict": conflict,
                "_zh": [],
                "_en": [],
            }
        return entries[rid]

    def add(e: dict, townships=(), posts=(), cadres=()) -> None:
        for key, vals in (("townships", townships), ("posts", posts), ("cadres", cadres)):
            e[key] += [v for v in vals if v not in e[key]]

    posts = grp["posts"]
    labels = "、".join(inst.post_label(p) for p in posts)
    names_zh, names_en = _names(inst, grp["eligible"])
    head_zh, head_en = message(
        "explain.group",
        posts=labels,
        k=len(posts),
        n=len(grp["eligible"]),
        names=f"({names_zh})" if names_zh else "",
        names_en=f" ({names_en})" if names_en else "",
    )
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
        zh, en = message(
            "explain.excluded",
            posts="、".join(inst.post_label(p) for p in info["posts"]),
            n=len(info["cadres"]),
            names=names_zh,
            names_en=names_en,
            rule=_rule_names(rid)[0],
            rule_en=_rule_names(rid)[1],
        )
        e["_zh"].append(zh)
        e["_en"].append(en)
        add(e, sorted({inst.township_of(p) for p in info["posts"]}), info["posts"], info["cadres"])
        e["excluded"] = e.get("excluded", 0) + len(info["cadres"])
        e["only_reason"] = e.get("only_reason", 0) + len(info["only"])
    return list(entries.values()), [line_zh], [line_en]
