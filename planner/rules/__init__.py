"""The rule catalogue (shared/spec/RULES.md) as code: one module per rule family, one registry.

Adding a rule: one class in a family module (or a new module), its line in that module's RULES, its names and
messages in :mod:`planner.i18n`, one test file. Nothing else needs to know its name.
"""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from ..errors import Problem
from ..i18n import message
from . import age, avoidance, eligibility, experience, filling, ladder, preference, structural, structure, tenure
from .base import PairRule, Rule, RuleConfig

#: Catalogue order (RULES.md).
_ORDER = [
    "one-post", "principal-filled", "post-filled", "leaving", "rank-ladder", "promotion-gates",
    "principal-qualification", "team-experience", "young-principals", "young-members", "young-members-team",
    "under-30", "principal-change", "min-tenure", "full-term", "seamless-handover", "principal-source",
    "talent-priority", "excellence", "stability", "hidden-steps", "fit", "lagging-township", "origin-avoidance",
    "kinship-avoidance", "party-posts", "ethnic-head", "women", "minority-share", "non-cpc-share",
]

_ALL: dict[str, Rule] = {
    r.id: r
    for module in (structural, filling, ladder, experience, age, tenure, preference, avoidance, eligibility, structure)
    for r in module.RULES
}
assert sorted(_ALL) == sorted(_ORDER), "registry and catalogue disagree"
REGISTRY: dict[str, Rule] = {rid: _ALL[rid] for rid in _ORDER}


def default_config(rule: Rule) -> RuleConfig:
    return RuleConfig(mode=rule.default_mode, weight=rule.default_weight, params=rule.Params())


def resolve_policy(overrides: dict[str, Any]) -> tuple[dict[str, RuleConfig], list[Problem]]:
    """Merge a scenario's `policy` over the catalogue defaults; report every bad entry with its location."""
    problems: list[Problem] = []

    def bad(location: str, key: str, **fields: Any) -> None:
        zh, en = message(key, **fields)
        problems.append(Problem(location, en, zh))

    out: dict[str, RuleConfig] = {}
    for rid, rule in REGISTRY.items():
        raw = overrides.get(rid)
        if raw is None:
            out[rid] = default_config(rule)
            continue
        where = f"policy › {rid}"
        if not isinstance(raw, dict):
            bad(where, "input.policy_value", rule=rid, param="(override)", detail="expected an object")
            out[rid] = default_config(rule)
            continue
        mode = raw.get("mode", rule.default_mode)
        weight = raw.get("weight", rule.default_weight)
        if mode not in ("hard", "soft", "off"):
            bad(f"{where} › mode", "input.policy_value", rule=rid, param="mode", detail="expected hard, soft or off")
            mode = rule.default_mode
        if rule.locked and mode != "hard":
            bad(f"{where} › mode", "input.policy_locked", rule=rid)
            mode = "hard"
        if isinstance(weight, bool) or not isinstance(weight, int) or not 0 <= weight <= 1_000_000:
            bad(f"{where} › weight", "input.policy_value", rule=rid, param="weight",
                detail="expected an integer from 0 to 1000000")
            weight = rule.default_weight
        given = {k: v for k, v in raw.items() if k not in ("mode", "weight")}
        fields = rule.Params.model_fields
        for k in given:
            if k not in fields:
                bad(f"{where} › {k}", "input.policy_param", rule=rid, param=k)
        try:
            params = rule.Params(**{k: v for k, v in given.items() if k in fields})
        except ValidationError as exc:
            for err in exc.errors(include_url=False):
                param = ".".join(str(x) for x in err["loc"])
                bad(f"{where} › {param}", "input.policy_value", rule=rid, param=param, detail=err["msg"])
            params = rule.Params()
        if mode != "off":
            for req in rule.requires:
                if getattr(params, req) is None:
                    bad(f"{where} › {req}", "input.policy_needs", rule=rid, param=req)
                    mode = "off"
        out[rid] = RuleConfig(mode=mode, weight=weight, params=params)
    for rid in overrides:
        if rid not in REGISTRY:
            bad(f"policy › {rid}", "input.policy_rule", rule=rid)
    return out, problems


__all__ = ["REGISTRY", "PairRule", "Rule", "RuleConfig", "resolve_policy", "default_config"]
