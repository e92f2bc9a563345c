"""The rule catalogue (shared/spec/RULES.md) as code: one module per rule family, one registry.

Adding a rule: one class in a family module (or a new module), its line in that module's RULES, its names and
messages in :mod:`planner.i18n`, one test file. Nothing else needs to know its name.
"""

from __future__ import annotations


from planner.rules import (
    age,
    avoidance,
    eligibility,
    experience,
    filling,
    ladder,
    preference,
    structural,
    structure,
    tenure,
)
from planner.domain.policy import CATALOGUE, resolve_policy
from planner.rules.base import PairRule, Rule, RuleConfig

#: Catalogue order (RULES.md).
_ORDER = [
    "one-post",
    "principal-filled",
    "post-filled",
    "pin",
    "forbid",
    "leaving",
    "rank-ladder",
    "promotion-gates",
    "principal-qualification",
    "team-experience",
    "young-principals",
    "young-members",
    "young-members-team",
    "under-30",
    "principal-change",
    "min-tenure",
    "full-term",
    "seamless-handover",
    "principal-source",
    "talent-priority",
    "excellence",
    "stability",
    "hidden-steps",
    "fit",
    "lagging-township",
    "origin-avoidance",
    "kinship-avoidance",
    "party-posts",
    "ethnic-head",
    "women",
    "minority-share",
    "non-cpc-share",
    "frequent-moves",
]

_ALL: dict[str, Rule] = {
    r.id: r
    for module in (structural, filling, ladder, experience, age, tenure, preference, avoidance, eligibility, structure)
    for r in module.RULES
}
assert list(CATALOGUE) == _ORDER and sorted(_ALL) == sorted(_ORDER), "registry and catalogue disagree"
REGISTRY: dict[str, Rule] = {rid: _ALL[rid] for rid in _ORDER}


def default_config(rule: Rule) -> RuleConfig:
    return rule.spec.default()


__all__ = ["REGISTRY", "PairRule", "Rule", "RuleConfig", "resolve_policy", "default_config"]
