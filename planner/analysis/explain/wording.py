"""How explanations name people, rules, roles and thresholds (zh/en)."""

from __future__ import annotations

from fractions import Fraction
from typing import Iterable, get_args


from planner.domain.load import Instance
from planner.domain.policy import YearsParam
from planner.i18n import message, rule_name
from planner.rules import REGISTRY
from planner.rules.base import fmt_years

#: the validator that marks a threshold in years (a Fraction too, as a share is, but never a percentage)
_YEARS = get_args(YearsParam)[1]


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
    fields = type(cfg.params).model_fields
    for k, v in cfg.params:
        if _YEARS in fields[k].metadata:
            v = fmt_years(v)
        elif isinstance(v, Fraction):
            v = f"{float(v) * 100:g}%"
        elif isinstance(v, list):
            v = "/".join(str(x) for x in v)
        out.append(f"{k}={v}")
    return ", ".join(out)
