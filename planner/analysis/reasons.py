"""Why this cadre, and why not the next one: the reasons of every move, and the runner-up of every principal post.

Reasons (FORMAT.md ``moves[].reasons``) are plain Python over the scenario, the plan and the checker's reading
of it (its moves, chains, bonuses and wave states) — nothing here re-solves. A move into a post is given, in
this order: the vacancy it fills and the chain it belongs to (always, so every move into a post has at least one
reason); the readiness that allows it (a promotion's years in rank against `rank-ladder`'s minimum, the reserve
tier; a transfer; an appointment from outside the teams); the preferences it earns (the bonus rules the checker
credits to this placement: `excellence`, `talent-priority`, `fit`, and any other bonus rule); and the quotas it
serves — every team rule counting qualifying members (30岁以下, women, 35岁以下 share …), `team-experience`
when the cadre is needed for it, and the county's 35岁以下正职占比 — each saying whether the team or county
would fall short were the post given to someone who does not qualify (``binding``). Moves out of a post say why
(leaving, or who takes the post). Texts come from :mod:`planner.i18n.analysis`.

Runner-ups (:func:`runner_ups`). For a principal post p held by h in the plan, the runner-up is the cadre other
than h whose choice costs least: one solve per post of the county with "p is held by someone other than h"
added — its optimum is the minimum over every other cadre c of the optimum with c pinned, so the cadre it puts
in p is the runner-up and the objective change is the exact price of choosing them (when both the plan and
that solve are proven optimal). The objective is lexicographic, ``K · objective + changes`` (K = posts + 1,
changes against the plan), so among the plans reaching that price the one closest to the plan is reported and
its per-rule deltas are what the choice really needs (the machinery of :mod:`planner.analysis.recommend`,
with one solve per post instead of one per candidate).

``method="local"`` (the default above :data:`EXACT_MAX_POSTS` posts, as in ``recommend``): the same solve inside
a neighbourhood — the teams of p's township and the posts of everyone who could take p (one step of a vacancy
chain), with the pool free — so the price is an upper bound of the exact one (exact whenever the best
alternative needs no change elsewhere) and each row says ``scope: local``. When no other cadre admits a plan,
the same solve is repeated with every hard rule that may be softened turned soft, and the row names the hard
rules the cheapest alternative would break.
"""

from __future__ import annotations

import time
from dataclasses import replace
from typing import Any

from planner.audit.check import CheckReport, check_plan
from planner.domain.documents import Move, Plan, Reason, reasons_text
from planner.domain.load import Instance
from planner.domain.policy import (
    CATALOGUE,
    RuleConfig,
    TeamExperienceParams,
    YoungMembersParams,
    YoungPrincipalsParams,
)
from planner.domain.vocab import KEY_ROLES, PRINCIPAL_ROLES, RANK_LEVEL
from planner.i18n import label_zh, message, rule_name
from planner.rules import REGISTRY
from planner.rules.age import _TeamCount
from planner.rules.base import fmt_years, need_for_share, params_of

#: as :data:`planner.analysis.recommend.EXACT_MAX_POSTS`: above this, runner-ups are evaluated locally
EXACT_MAX_POSTS = 120
LP_FIX = True


def _en(value: str | None) -> str:
    return (value or "").replace("_", " ")


def _reason(rule_id: str | None, key: str, /, **fields: Any) -> Reason:
    zh, en = message(key, **fields)
    return Reason(rule=rule_id, message_zh=zh, message_en=en)


def _rule_names(rid: str) -> tuple[str, str]:
    try:
        return rule_name(rid)
    except KeyError:
        return rid, rid


# ------------------------------------------------------------------------------------------------ reasons


def move_reasons(inst: Instance, plan: Plan, report: CheckReport | None = None) -> dict[str, list[Reason]]:
    """cadre id → the reasons of that cadre's move in `plan` (which must carry its derived moves and chains)."""
    report = report or check_plan(inst, plan)
    view = report.view
    final_post = {c: p for p, c in view.final.items() if c is not None}
    bonuses: dict[str, list] = {}
    for v in report.bonuses:
        for c in v.cadres:
            bonuses.setdefault(c, []).append(v)
    chain_of = {c: chain for chain in plan.chains for c in chain}
    out: dict[str, list[Reason]] = {}
    for mv in plan.moves:
        if mv.to is None:
            out[mv.cadre] = _out_reasons(inst, mv, view)
            continue
        state = view.states[min(max(mv.wave, 1), len(view.states)) - 1]
        reasons = _fills(inst, mv, final_post, chain_of.get(mv.cadre), view)
        reasons += _readiness(inst, mv, state.date)
        reasons += _preferences(inst, mv, bonuses.get(mv.cadre, []), state.date)
        reasons += _quotas(inst, mv, state)
        out[mv.cadre] = reasons
    return out


def annotate_reasons(inst: Instance, plan: Plan, report: CheckReport | None = None) -> Plan:
    """Set ``reasons`` on every move of `plan` (in place) and return it."""
    reasons = move_reasons(inst, plan, report)
    for mv in plan.moves:
        mv.reasons = reasons.get(mv.cadre, [])
    return plan


def _arrives_at(mv: Move) -> str:
    """The post a move arrives at: the helpers below see only such moves (move_reasons routes the others)."""
    assert mv.to is not None
    return mv.to


def _fills(inst: Instance, mv: Move, final_post: dict[str, str], chain: list[str] | None, view) -> list[Reason]:
    to = _arrives_at(mv)
    post = inst.post_label(to)
    rule = "principal-filled" if inst.posts[to].role in KEY_ROLES else "post-filled"
    h = inst.holder[to]
    if h is None or h == mv.cadre:
        out = [_reason(rule, "reason.fills.vacant", post=post)]
    elif inst.cadres[h].leaving:
        out = [_reason(rule, "reason.fills.leaving", name=inst.name(h), post=post)]
    elif h in final_post:
        to = inst.post_label(final_post[h])
        out = [_reason(rule, "reason.fills.moved", name=inst.name(h), to=to, to_en=to, post=post)]
    else:
        out = [_reason(rule, "reason.fills.released", name=inst.name(h), post=post)]
    if chain and len(chain) > 1:
        text = " → ".join(inst.name(c) for c in chain)
        first = inst.cadres[chain[0]].current_post
        cycle = first is not None and view.final.get(first) == chain[-1]
        if cycle:
            out.append(_reason(None, "reason.swap", n=len(chain), chain=text))
        else:
            out.append(_reason(None, "reason.chain", k=chain.index(mv.cadre) + 1, n=len(chain), chain=text))
    return out


def _readiness(inst: Instance, mv: Move, on) -> list[Reason]:
    to = _arrives_at(mv)
    c = inst.cadres[mv.cadre]
    post = inst.posts[to]
    out: list[Reason] = []
    if post.level > RANK_LEVEL[c.rank]:
        P = inst.policy["rank-ladder"].params
        need = P.min_years_in_rank_to_chief if post.rank == "section_chief" else P.min_years_in_rank_to_deputy
        out.append(
            _reason(
                "rank-ladder",
                "reason.promotion" if need else "reason.promotion.any",
                rank_from=label_zh(c.rank),
                rank_to=label_zh(post.rank),
                rank_from_en=_en(c.rank),
                rank_to_en=_en(post.rank),
                years=fmt_years(inst.years_in_rank(mv.cadre, on)),
                need=fmt_years(need),
            )
        )
    elif c.current_post is not None:
        cur = inst.posts[c.current_post]
        if cur.role in PRINCIPAL_ROLES and post.role in PRINCIPAL_ROLES:
            out.append(
                _reason(
                    None,
                    "reason.transfer.principal",
                    from_post=inst.post_label(c.current_post),
                    to_post=inst.post_label(to),
                )
            )
        else:
            out.append(
                _reason(
                    None,
                    "reason.transfer",
                    rank=label_zh(c.rank),
                    rank_en=_en(c.rank),
                    years=fmt_years(inst.years_in_post(mv.cadre, on)),
                )
            )
    if c.current_post is None:
        zh_pool, en_pool = message("reason.unit.pool")
        out.append(
            _reason(None, "reason.appointment", unit=c.current_unit or zh_pool, unit_en=c.current_unit or en_pool)
        )
    elif post.role in PRINCIPAL_ROLES:
        out.append(_reason("principal-source", "reason.from_team", post=inst.post_label(c.current_post)))
    if c.reserve_tier is not None:
        out.append(_reason("rank-ladder", "reason.tier", tier=label_zh(c.reserve_tier), tier_en=_en(c.reserve_tier)))
    return out


def _preferences(inst: Instance, mv: Move, found: list, on) -> list[Reason]:
    to = _arrives_at(mv)
    c = inst.cadres[mv.cadre]
    out: list[Reason] = []
    for v in found:
        if v.posts and to not in v.posts:
            continue
        if v.rule == "excellence":
            years = "、".join(str(inst.as_of.year - k) for k in (3, 2, 1))
            out.append(_reason(v.rule, "reason.excellence", years=years))
        elif v.rule == "talent-priority":
            degree = "reason.degree.master" if c.fulltime_master else "reason.degree.dfc"
            zh, en = message(degree)
            out.append(_reason(v.rule, "reason.talent", degree=zh, degree_en=en))
        elif v.rule == "fit":
            t = inst.township_of(to)
            match = sorted(set(inst.townships[t].needs) & set(c.specialties))
            out.append(
                _reason(
                    v.rule,
                    "reason.fit",
                    match="、".join(label_zh(x) for x in match),
                    match_en=", ".join(_en(x) for x in match),
                    township=inst.township_label(t),
                )
            )
        else:
            zh, en = _rule_names(v.rule)
            out.append(
                _reason(v.rule, "reason.bonus", rule=zh, rule_en=en, detail=v.message_zh, detail_en=v.message_en)
            )
    t = inst.township_of(to)
    cfg = inst.policy.get("lagging-township")
    if (
        cfg is not None
        and cfg.on
        and inst.townships[t].lagging
        and inst.posts[to].role in PRINCIPAL_ROLES
        and inst.work_years(mv.cadre, on) >= cfg.params.min_work_years
    ):
        out.append(
            _reason(
                "lagging-township",
                "reason.lagging",
                township=inst.township_label(t),
                years=fmt_years(inst.work_years(mv.cadre, on)),
            )
        )
    return out


def _binding(flag: bool) -> dict[str, str]:
    zh, en = message("reason.quota.binding") if flag else ("", "")
    return {"binding": zh, "binding_en": en}


def _quotas(inst: Instance, mv: Move, state) -> list[Reason]:
    """The team and county rules this placement helps satisfy (at the wave it arrives)."""
    to = _arrives_at(mv)
    out: list[Reason] = []
    t = inst.township_of(to)
    members = [c for _, c in state.members.get(t, [])]
    on = state.date
    for rid, rule in REGISTRY.items():
        cfg: RuleConfig = inst.policy[rid]
        if not cfg.on:
            continue
        if isinstance(rule, _TeamCount):
            if not rule.applies(inst, cfg, t) or not rule.qualifies(inst, cfg, mv.cadre, on):
                continue
            count = sum(1 for c in members if rule.qualifies(inst, cfg, c, on))
            need = rule.need(cfg, len(members))
            if need <= 0:
                continue
            zh, en = _rule_names(rid)
            out.append(
                _reason(
                    rid,
                    "reason.quota.team",
                    township=inst.township_label(t),
                    rule=zh,
                    rule_en=en,
                    count=count,
                    need=need,
                    **_binding(count - 1 < need),
                )
            )
        elif rid == "team-experience":
            P = params_of(cfg, TeamExperienceParams)
            if inst.work_years(mv.cadre, on) < P.min_years:
                continue
            count = sum(1 for c in members if inst.work_years(c, on) >= P.min_years)
            need = need_for_share(P.min_share, len(members))
            if count - 1 < need:  # everyone counts here; said only when the team needs this cadre for it
                out.append(
                    _reason(
                        rid,
                        "reason.experience",
                        years=fmt_years(inst.work_years(mv.cadre, on)),
                        township=inst.township_label(t),
                        count=count,
                        members=len(members),
                        need=need,
                        **_binding(True),
                    )
                )
        elif rid in ("young-principals", "young-members"):
            Y = (
                params_of(cfg, YoungPrincipalsParams)
                if rid == "young-principals"
                else params_of(cfg, YoungMembersParams)
            )
            age = inst.age(mv.cadre, on)
            if age > Y.max_age:
                continue
            if rid == "young-principals":
                if inst.posts[to].role not in PRINCIPAL_ROLES:
                    continue
                held = [
                    state.holder[p]
                    for p, post in inst.posts.items()
                    if post.role in PRINCIPAL_ROLES and state.holder[p] is not None
                ]
            else:
                held = [c for c in state.holder.values() if c is not None]
            count = sum(1 for c in held if inst.age(c, on) <= Y.max_age)
            need = need_for_share(Y.min_share, len(held))
            binding = count - 1 < need
            if need <= 0 or (rid == "young-members" and not binding):
                continue  # a third of the county is under 35: said only when this cadre is needed for it
            zh, en = _rule_names(rid)
            out.append(
                _reason(
                    rid,
                    "reason.quota.county",
                    age=age,
                    rule=zh,
                    rule_en=en,
                    count=count,
                    total=len(held),
                    need=need,
                    **_binding(binding),
                )
            )
    return out


def _out_reasons(inst: Instance, mv: Move, view) -> list[Reason]:
    if inst.cadres[mv.cadre].leaving:
        return [_reason("leaving", "reason.leaving")]
    successor = view.final.get(mv.from_) if mv.from_ else None
    if successor is None:
        return [_reason(None, "reason.released.vacant", post=inst.post_label(mv.from_))]
    return [_reason(None, "reason.released", post=inst.post_label(mv.from_), name=inst.name(successor))]


# --------------------------------------------------------------------------------------------- runner-ups


def _assignment(plan: Plan) -> dict[str, str | None]:
    return {a.post: a.cadre for a in plan.assignments}


def _someone_else(post: str, chosen: str | None, ref: dict[str, str | None], scale: int):
    """The extension of the model: `post` is held by someone other than `chosen`; objective K·usual + changes."""
    from planner.analysis.whatif import change_indicators

    def extend(m) -> None:
        others = [v for c, v in m.vars_of_post(post) if c != chosen]
        if others:
            m.model.add(sum(others) == 1)
        else:
            m.model.add_bool_or([])  # nobody else may take it
        for rid in list(m.terms):
            m.terms[rid] = [(scale * coef, expr) for coef, expr in m.terms[rid]]
        for expr in change_indicators(m, ref):
            m.add_term("_changes", 1, expr)

    return extend


def _softened(inst: Instance) -> tuple[Instance, set[str]]:
    """`inst` with every hard rule that may be softened turned soft (at its weight); the ids softened."""
    policy, softened = {}, set()
    for rid, cfg in inst.policy.items():
        spec = CATALOGUE.get(rid)
        if cfg.hard and spec is not None and not spec.locked:
            policy[rid] = RuleConfig(mode="soft", weight=max(cfg.weight, 1), params=cfg.params)
            softened.add(rid)
        else:
            policy[rid] = cfg
    return replace(inst, policy=policy), softened


def _neighbourhood(inst: Instance, post: str, ref: dict[str, str | None]) -> tuple[set[str], set[str]]:
    """Free posts and free cadres of the local evaluation: the post's team, the posts of everyone who could take
    the post, the pool."""
    from planner.analysis.eligible import exclusions

    free_posts = set(inst.posts_of[inst.township_of(post)])
    for p, c in ref.items():
        if c is not None and c in inst.cadres and not inst.cadres[c].leaving:
            if any(not exclusions(inst, c, post, d) for d in inst.wave_dates):
                free_posts.add(p)
    holders = {c for c in ref.values() if c is not None}
    pool = {c for c, cad in inst.cadres.items() if c not in holders and not cad.leaving}
    return free_posts, pool | {c for p in free_posts if (c := ref.get(p)) is not None}


def runner_ups(
    inst: Instance,
    plan: Plan,
    *,
    method: str = "auto",
    time_limit: float = 5.0,
    workers: int = 8,
    seed: int = 0,
    posts: list[str] | None = None,
    report: CheckReport | None = None,
) -> dict[str, Any]:
    """For every principal post (or `posts`): the runner-up and the price of choosing them instead.

    Returns ``{"method", "reference_objective", "posts": [row …], "wall_time_s"}``; each row is ``{"post",
    "chosen", "chosen_name", "runner_up", "runner_up_name", "status", "scope", "proven", "objective", "price",
    "rules": [{"rule", "name_zh", "name_en", "delta"}], "breaks": [...], "other_changes": [...], "message_zh",
    "message_en", "wall_time_s"}``. `time_limit` is per post.
    """
    from planner.analysis.whatif import plan_diff, restricted
    from planner.solver.options import SolveOptions
    from planner.solver.solve import solve

    t0 = time.perf_counter()
    if method == "auto":
        method = "exact" if len(inst.posts) <= EXACT_MAX_POSTS else "local"
    report = report or check_plan(inst, plan)
    ref = {p: c for p, c in report.view.final.items()}
    reference = report.objective
    scale = len(inst.posts) + 1
    targets = posts if posts is not None else [p for p, post in inst.posts.items() if post.role in PRINCIPAL_ROLES]
    soft_inst: Instance | None = None
    softened: set[str] = set()
    rows = []
    for post in targets:
        t = time.perf_counter()
        chosen = ref.get(post)
        sub, scope = inst, "county"
        if method == "local":
            free_posts, free_cadres = _neighbourhood(inst, post, ref)
            sub, scope = restricted(inst, free_posts, free_cadres, ref), "local"
        hint = {p: (None if p == post else c) for p, c in ref.items()}
        options = SolveOptions(
            time_limit=time_limit,
            workers=workers,
            seed=seed,
            hint=hint,
            extend=_someone_else(post, chosen, ref, scale),
            lp_fix=LP_FIX,
        )
        res = solve(sub, options)
        row: dict[str, Any] = {
            "post": post,
            "chosen": chosen,
            "chosen_name": inst.name(chosen),
            "runner_up": None,
            "runner_up_name": None,
            "status": res.status,
            "scope": scope,
            "proven": res.status == "optimal" and scope == "county",
            "objective": None,
            "price": None,
            "rules": [],
            "breaks": [],
            "other_changes": [],
        }
        if res.found:
            _fill_row(inst, row, res.document, plan, report, reference, plan_diff)
        elif res.status == "infeasible":
            if soft_inst is None:
                soft_inst, softened = _softened(inst)
            soft_sub = soft_inst if scope == "county" else restricted(soft_inst, free_posts, free_cadres, ref)
            soft = solve(soft_sub, replace(options, time_limit=time_limit))
            if soft.found:
                after = _assignment(soft.document)
                row["runner_up"] = after.get(post)
                row["runner_up_name"] = inst.name(row["runner_up"]) if row["runner_up"] else None
                broken: dict[str, dict[str, Any]] = {}
                for v in soft.document.violations:
                    if v.rule in softened:
                        b = broken.setdefault(
                            v.rule,
                            {
                                "rule": v.rule,
                                "name_zh": _rule_names(v.rule)[0],
                                "name_en": _rule_names(v.rule)[1],
                                "findings": [],
                            },
                        )
                        b["findings"].append({"message_zh": v.message_zh, "message_en": v.message_en})
                row["breaks"] = list(broken.values())
        row["wall_time_s"] = round(time.perf_counter() - t, 3)
        row["message_zh"], row["message_en"] = _row_message(inst, row)
        rows.append(row)
    return {
        "method": method,
        "reference_objective": reference,
        "posts": rows,
        "wall_time_s": round(time.perf_counter() - t0, 3),
    }


def _fill_row(inst, row, alt: Plan, plan: Plan, report: CheckReport, reference: int, plan_diff) -> None:
    alt_report = check_plan(inst, alt)  # audited under the real instance (not the neighbourhood's copy)
    objective = alt_report.objective
    runner = _assignment(alt).get(row["post"])
    row.update(
        runner_up=runner,
        runner_up_name=inst.name(runner),
        objective=objective,
        price=objective - reference,
        checker_ok=alt_report.ok,
    )
    deltas = []
    for rid in sorted(set(report.breakdown) | set(alt_report.breakdown)):
        d = alt_report.breakdown.get(rid, 0) - report.breakdown.get(rid, 0)
        if d:
            zh, en = _rule_names(rid)
            deltas.append({"rule": rid, "name_zh": zh, "name_en": en, "delta": d})
    row["rules"] = deltas
    diff = plan_diff(inst, plan, inst, alt, report)
    row["other_changes"] = [c for c in diff["changed_posts"] if c["post"] != row["post"]]
    row["violations_added"] = diff["violations_added"]


def _row_message(inst: Instance, row: dict[str, Any]) -> tuple[str, str]:
    post, chosen = inst.post_label(row["post"]), inst.name(row["chosen"])
    if row["price"] is not None:
        items_zh = "、".join(f"{r['name_zh']}{r['delta']:+d}" for r in row["rules"])
        items_en = ", ".join(f"{r['name_en']} {r['delta']:+d}" for r in row["rules"])
        rules = message("runner_up.rules", items=items_zh, items_en=items_en) if row["rules"] else ("", "")
        if row["scope"] == "local":
            proven = message("runner_up.local")
        else:
            proven = ("", "") if row["proven"] else message("runner_up.not_proven")
        return message(
            "runner_up.line",
            post=post,
            chosen=chosen,
            runner=inst.name(row["runner_up"]),
            price=row["price"],
            proven=proven[0],
            proven_en=proven[1],
            rules=rules[0],
            rules_en=rules[1],
        )
    if row["breaks"]:
        zh = "、".join(b["name_zh"] for b in row["breaks"])
        en = ", ".join(b["name_en"] for b in row["breaks"])
        if row["runner_up"]:
            zh_, en_ = message(
                "runner_up.infeasible",
                post=post,
                chosen=chosen,
                runner=inst.name(row["runner_up"]),
                rules=zh,
                rules_en=en,
            )
            if row["scope"] == "local":
                lz, le = message("runner_up.local")
                zh_, en_ = zh_ + lz, en_ + le
            return zh_, en_
        return message("runner_up.none", post=post, chosen=chosen, rules=zh, rules_en=en)
    return message("runner_up.unknown", post=post, chosen=chosen)


def annotate_runner_ups(inst: Instance, plan: Plan, **kwargs: Any) -> dict[str, Any]:
    """Compute :func:`runner_ups` and store its rows as the plan's ``runner_up`` section (each row carrying the
    method); returns the whole answer."""
    ans = runner_ups(inst, plan, **kwargs)
    plan.runner_up = [{**row, "method": ans["method"]} for row in ans["posts"]]
    return ans


__all__ = ["move_reasons", "annotate_reasons", "reasons_text", "runner_ups", "annotate_runner_ups", "EXACT_MAX_POSTS"]
