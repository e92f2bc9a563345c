"""The quota table of a plan: each county and team quota with its count, need and verdict — the numbers the
workbook's 全县汇总, the meeting report and the review page all show."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from planner.domain.vocab import PRINCIPAL_ROLES
from planner.i18n import EXCEL_TEXT
from planner.io.excel.template import _fmt_param


def _pct(share: Fraction) -> str:
    value = share * 100
    if value.denominator == 1:
        return f"{value.numerator}%"
    if (value * 10).denominator == 1:
        return f"{float(value):.1f}%"
    return f"{share.numerator}/{share.denominator}"


@dataclass
class Quota:
    """A structure quota of the county summary, computed on the teams as the plan leaves them."""

    rule: str
    indicator: str
    value: int
    base: int
    required: str
    met: bool
    mode: str
    is_share: bool = True  # value/base is a share of people (else a count of townships)


def quotas(inst: Any, state: Any, lang: str = "zh") -> list[Quota]:
    """The county's structure quotas (十项措施) on one wave's state: each with value, base and verdict."""
    from planner.rules.base import need_for_share

    def _t(key: str, **fields: Any) -> str:
        return EXCEL_TEXT[key][1 if lang == "en" else 0].format(**fields)

    on, holder, members = state.date, state.holder, state.members
    out: list[Quota] = []

    def cfg(rid: str) -> Any:
        return inst.policy[rid]

    P = cfg("young-principals").params
    held = [holder[p] for p in inst.posts if inst.posts[p].role in PRINCIPAL_ROLES and holder[p] is not None]
    young = sum(1 for c in held if inst.age(c, on) <= P.max_age)
    out.append(
        Quota(
            "young-principals",
            _t("quota.young-principals", age=P.max_age),
            young,
            len(held),
            _t("require.share", share=_pct(P.min_share)),
            young >= need_for_share(P.min_share, len(held)),
            cfg("young-principals").mode,
        )
    )

    P = cfg("young-members").params
    everyone = [c for c in holder.values() if c is not None]
    young = sum(1 for c in everyone if inst.age(c, on) <= P.max_age)
    out.append(
        Quota(
            "young-members",
            _t("quota.young-members", age=P.max_age),
            young,
            len(everyone),
            _t("require.share", share=_pct(P.min_share)),
            young >= need_for_share(P.min_share, len(everyone)),
            cfg("young-members").mode,
        )
    )

    def teams(rid: str, text: str, ok: Any, applies: Any = lambda t: True) -> None:
        ts = [t for t in inst.townships if applies(t)]
        good = sum(1 for t in ts if ok([c for _, c in members[t]]))
        out.append(Quota(rid, text, good, len(ts), _t("require.all"), good == len(ts), cfg(rid).mode, False))

    P = cfg("young-members-team").params
    teams(
        "young-members-team",
        _t("quota.young-members-team", age=P.max_age, share=_pct(P.min_share)),
        lambda cs, P=P: sum(1 for c in cs if inst.age(c, on) <= P.max_age) >= need_for_share(P.min_share, len(cs)),
    )
    P = cfg("under-30").params
    teams(
        "under-30",
        _t("quota.under-30", age=P.max_age, count=P.min_count),
        lambda cs, P=P: sum(1 for c in cs if inst.age(c, on) <= P.max_age) >= P.min_count,
    )
    P = cfg("team-experience").params
    years = _fmt_param(P.min_years)
    teams(
        "team-experience",
        _t("quota.team-experience", years=years, share=_pct(P.min_share)),
        lambda cs, P=P: (
            sum(1 for c in cs if inst.work_years(c, on) >= P.min_years) >= need_for_share(P.min_share, len(cs))
        ),
    )
    exp = sum(1 for c in everyone if inst.work_years(c, on) >= P.min_years)
    out.append(
        Quota(
            "team-experience",
            _t("quota.team-experience-county", years=years),
            exp,
            len(everyone),
            _t("require.share", share=_pct(P.min_share)),
            exp >= need_for_share(P.min_share, len(everyone)),
            "info",
        )
    )
    P = cfg("women").params
    teams(
        "women",
        _t("quota.women", count=P.min_count),
        lambda cs, P=P: sum(1 for c in cs if inst.cadres[c].gender == "F") >= P.min_count,
    )
    P = cfg("minority-share").params
    if P.min_share is not None:
        teams(
            "minority-share",
            _t("quota.minority-share", share=_pct(P.min_share)),
            lambda cs, P=P: sum(1 for c in cs if inst.is_minority(c)) >= need_for_share(P.min_share, len(cs)),
            inst.is_ethnic,
        )
    P = cfg("non-cpc-share").params
    if P.min_share is not None:
        non = sum(1 for c in everyone if not inst.cadres[c].cpc_member)
        out.append(
            Quota(
                "non-cpc-share",
                _t("quota.non-cpc-share"),
                non,
                len(everyone),
                _t("require.share", share=_pct(P.min_share)),
                non >= need_for_share(P.min_share, len(everyone)),
                cfg("non-cpc-share").mode,
            )
        )
    return out
