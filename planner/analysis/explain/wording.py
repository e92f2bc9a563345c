"""How explanations name people, rules, roles and thresholds (zh/en)."""

from __future__ import annotations

from fractions import Fraction
from typing import Iterable


from planner.domain.load import Instance
from planner.i18n import message, rule_name
from planner.rules import REGISTRY


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
