"""Step 3 of explain: the single relaxations that would make a plan exist, and what that plan costs."""

from __future__ import annotations

import math
import time
from fractions import Fraction
from typing import Any


from planner.audit.check import check_plan
from planner.domain.load import Instance, load_scenario
from planner.domain.vocab import PRINCIPAL_ROLES
from planner.domain.errors import InputError
from planner.i18n import message
from planner.rules import REGISTRY
from planner.solver.options import SolveOptions
from planner.solver.solve import solve
from planner.analysis.explain.wording import _names, _rule_names

# ----------------------------------------------------------------------------------------- 3. relaxing


HIGH = 100_000

#: quota rules: parameter moved by a relaxation, and how to read the value a plan achieves
THRESHOLDS = {
    "young-principals": "min_share",
    "young-members": "min_share",
    "team-experience": "min_share",
    "young-members-team": "min_share",
    "minority-share": "min_share",
    "non-cpc-share": "min_share",
    "under-30": "min_count",
    "women": "min_count",
}
#: rules about timing, which a second wave may resolve
_TIMING = {
    "principal-change",
    "seamless-handover",
    "min-tenure",
    "full-term",
    "team-experience",
    "rank-ladder",
    "principal-qualification",
    "young-principals",
    "young-members",
    "under-30",
}


def achieved(inst: Instance, rid: str, holder: dict[str, str | None]) -> Any:
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
        held = [h for p in posts if (h := holder.get(p))]
        return Fraction(sum(map(qualifies, held)), len(held)) if held else Fraction(1)
    values: list[int | Fraction] = []
    for t, posts in inst.posts_of.items():
        if not posts or (rid == "minority-share" and not inst.is_ethnic(t)):
            continue
        members = [h for p in posts if (h := holder.get(p))]
        count = sum(map(qualifies, members))
        if THRESHOLDS[rid] == "min_count":
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
        out.append(
            {
                "rule": rid,
                "name_zh": name_zh,
                "name_en": name_en,
                "conflict": conflict,
                "change": change,
                "delta": ({"format": "reshuffle-delta/1", **delta} if delta is not None else None),
                "description_zh": zh,
                "description_en": en,
                "_forbids": fields.get("forbids"),
            }
        )

    for e in entries:
        rid, k = e["rule"], e.get("conflict", 1)
        if rid == "pin":
            for c, p in inst.pins:
                if p in e["posts"] or c in e["cadres"]:
                    add(
                        rid,
                        k,
                        "unpin",
                        {"unpins": [{"cadre": c, "post": p}]},
                        "relax.unpin",
                        cadre=inst.name(c),
                        post=inst.post_label(p),
                    )
            continue
        if rid == "forbid":
            pairs = [(c, p) for c, p in sorted(inst.forbids) if c in e["cadres"] and p in e["posts"]]
            if pairs:
                add(
                    rid,
                    k,
                    "unforbid",
                    None,
                    "relax.unforbid",
                    forbids=pairs,
                    pairs="、".join(f"{inst.name(c)}→{inst.post_label(p)}" for c, p in pairs),
                )
            continue
        rule = REGISTRY.get(rid)
        if rule is None or rule.locked or not inst.policy[rid].hard:
            continue
        if rid == "min-tenure":
            cadres = [c for c in e["cadres"] if c not in inst.approvals]
            if cadres:
                names_zh, names_en = _names(inst, cadres)
                add(rid, k, "approve", {"approvals": cadres}, "relax.approve", cadres=names_zh, cadres_en=names_en)
        add(
            rid,
            k,
            "soft",
            {"policy": {rid: {"mode": "soft"}}},
            "relax.soft",
            rule=_rule_names(rid)[0],
            rule_en=_rule_names(rid)[1],
        )
    if inst.waves == 1 and any(e["rule"] in _TIMING for e in entries):
        first = next(e for e in entries if e["rule"] in _TIMING)
        add(first["rule"], first.get("conflict", 1), "waves", {"waves": 2}, "relax.waves", n=2)
    conflicts = sorted({c["conflict"] for c in out})
    if len(conflicts) > 1:  # no single change can help: one change per conflict, together
        picks = [
            next(c for c in out if c["conflict"] == k and c["delta"] is not None and c["change"] != "waves")
            for k in conflicts
            if any(c["conflict"] == k and c["delta"] is not None and c["change"] != "waves" for c in out)
        ]
        if len(picks) == len(conflicts):
            merged: dict[str, Any] = {}
            for pick in picks:
                for key, value in pick["delta"].items():
                    if key == "format":
                        continue
                    if key == "policy":
                        merged.setdefault("policy", {}).update(value)
                    else:
                        merged[key] = merged.get(key, []) + value
            zh = "；".join(c["description_zh"] for c in picks)
            en = "; ".join(c["description_en"] for c in picks)
            czh, cen = message("relax.combined", n=len(picks), changes=zh, changes_en=en)
            out.insert(
                0,
                {
                    "rule": picks[0]["rule"],
                    "name_zh": picks[0]["name_zh"],
                    "name_en": picks[0]["name_en"],
                    "conflict": None,
                    "change": "combined",
                    "rules": [c["rule"] for c in picks],
                    "delta": {"format": "reshuffle-delta/1", **merged},
                    "description_zh": czh,
                    "description_en": cen,
                    "_forbids": None,
                },
            )
    return out


def _combined_from_groups(inst: Instance, groups: list[tuple[str, str | None]]) -> dict[str, Any] | None:
    """The relaxation candidate for a set of rules to relax together (see :func:`fewest_relaxations`)."""
    delta: dict[str, Any] = {}
    forbids: list[tuple[str, str]] = []
    parts_zh, parts_en = [], []
    for rid, tag in groups:
        if rid == "pin":
            assert tag is not None  # a pin's or forbid's group names its "cadre->post" (fewest_relaxations)
            c, p = tag.split("->")
            delta.setdefault("unpins", []).append({"cadre": c, "post": p})
            zh, en = message("relax.unpin", cadre=inst.name(c), post=inst.post_label(p))
        elif rid == "forbid":
            assert tag is not None
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
    return {
        "rule": first,
        "name_zh": _rule_names(first)[0],
        "name_en": _rule_names(first)[1],
        "conflict": None,
        "change": "combined",
        "rules": [g[0] for g in groups],
        "delta": {"format": "reshuffle-delta/1", **delta} if delta else None,
        "description_zh": czh,
        "description_en": cen,
        "_forbids": forbids or None,
    }


def relaxations(
    inst: Instance,
    entries: list[dict],
    *,
    time_limit: float = 20.0,
    workers: int = 8,
    limit_each: float = 10.0,
    combined: dict | None = None,
) -> list[dict[str, Any]]:
    """Try each single relaxation of the rules in `entries` (and, with several conflicts, one combination);
    summarise the plan each one gives."""
    from planner.analysis.delta import apply_delta  # the relaxations are deltas; whatif imports nothing of ours

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
                scenario = inst.doc.model_copy(
                    update={"forbids": [f for f in inst.doc.forbids if (f.cadre, f.post) not in set(forbids)]}
                )
            relaxed = load_scenario(scenario)
        except InputError:  # a relaxation the scenario cannot take (e.g. waves with hand-set dates)
            continue
        # model building comes on top of the solver's limit: budget it with the last build's time
        limit = min(limit_each, left / max(1, len(cands) - k)) - build_s
        res = solve(relaxed, SolveOptions(time_limit=max(0.2, limit), workers=workers))
        build_s = res.build_time_s
        cand.update(status=res.status, feasible=res.found, objective=res.objective, moves=None, violations=[])
        if res.found:
            plan = res.document
            cand["moves"] = len(plan.moves)
            cand["violations"] = [
                {"rule": v.rule, "amount": v.amount, "message_zh": v.message_zh, "message_en": v.message_en}
                for v in plan.violations
                if v.rule in cand.get("rules", [cand["rule"]])
            ]
            amount = sum(v["amount"] for v in cand["violations"])
            if cand["change"] == "soft" and cand["rule"] in THRESHOLDS:
                out.append(_threshold_variant(inst, relaxed, cand, plan))
            extra_zh, extra_en = message("relax.breaks", amount=amount) if amount else ("", "")
            zh, en = message(
                "relax.ok",
                status=message(f"status.{res.status}")[0],
                status_en=res.status,
                objective=res.objective,
                moves=cand["moves"],
                extra=extra_zh,
                extra_en=extra_en,
            )
        else:
            zh, en = message("relax.no", status=message(f"status.{res.status}")[0], status_en=res.status)
        cand["summary_zh"], cand["summary_en"] = zh, en
        out.append(cand)
    # the ones that give a plan first, then by objective
    out.sort(key=lambda c: (not c.get("feasible"), c.get("objective") if c.get("objective") is not None else math.inf))
    return out


def _threshold_variant(inst: Instance, relaxed: Instance, cand: dict, plan) -> dict[str, Any]:
    """From a plan found with the rule soft: the threshold it meets, as a policy change (the plan is its witness)."""
    from planner.analysis.delta import apply_delta

    rid = cand["rule"]
    param = THRESHOLDS[rid]
    holder = {a.post: a.cadre for a in plan.assignments}
    value = achieved(inst, rid, holder)
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
    zh, en = message(
        "relax.threshold",
        rule=_rule_names(rid)[0],
        rule_en=_rule_names(rid)[1],
        param=param,
        old=_show(old),
        new=_show(value),
    )
    szh, sen = message(
        "relax.ok",
        status=message("status.feasible")[0],
        status_en="feasible",
        objective=report.objective,
        moves=len(plan.moves),
        extra="",
        extra_en="",
    )
    return {
        **cand,
        "change": "threshold",
        "delta": delta,
        "description_zh": zh,
        "description_en": en,
        "status": "feasible" if report.ok else "unknown",
        "feasible": report.ok,
        "objective": report.objective,
        "violations": [],
        "summary_zh": szh,
        "summary_en": sen,
    }
