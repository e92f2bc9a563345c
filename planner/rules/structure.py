"""Team structure (黔南: 性别、民族、党派结构研判): women, minority share, non-CPC share."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from planner.domain.documents import Violation
from planner.domain.policy import ShareParams
from planner.rules.age import _TeamCount
from planner.rules.base import Rule, RuleConfig, encode_count_at_least, need_for_share, params_of


class Women(_TeamCount):
    """Each team has ≥ 1 woman. Amount: women missing."""

    id = "women"

    def qualifies(self, inst, cfg, cadre, on):
        return inst.cadres[cadre].gender == "F"

    def need(self, cfg, members):
        return cfg.params.min_count

    def need_linear(self, cfg):
        return None, 1


class MinorityShare(_TeamCount):
    """In ethnic townships (kind ethnic_township or with ethnic_groups), minority members ≥ min_share of members."""

    id = "minority-share"

    def applies(self, inst, cfg, township):
        return inst.is_ethnic(township)

    def qualifies(self, inst, cfg, cadre, on):
        return inst.is_minority(cadre)

    def need(self, cfg, members):
        return need_for_share(cfg.params.min_share, members)


def _min_share(cfg: RuleConfig) -> Fraction:
    share = params_of(cfg, ShareParams).min_share
    # the rule `requires` min_share: resolve_policy turns it off when the policy does not set one
    assert share is not None, "min_share is required when the rule is on"
    return share


class NonCpcShare(Rule):
    """County-wide: non-CPC members (党外干部) ≥ min_share of all members. Amount: such members missing."""

    id = "non-cpc-share"
    scope = "county"

    def check(self, view, cfg: RuleConfig) -> list[Violation]:
        inst, share = view.inst, _min_share(cfg)
        out = []
        for state in view.states:
            held = [c for c in state.holder.values() if c is not None]
            count = sum(1 for c in held if not inst.cadres[c].cpc_member)
            need = need_for_share(share, len(held))
            if count < need:
                out.append(self.finding(cfg, need - count, wave=state.wave, total=len(held), count=count, need=need))
        return out

    def encode(self, m: Any, cfg: RuleConfig) -> None:
        inst, share = m.inst, _min_share(cfg)
        posts = list(inst.posts)
        for k, _ in m.waves():
            count = m.mask(lambda c: not inst.cadres[c].cpc_member)
            encode_count_at_least(
                m,
                self,
                cfg,
                posts,
                count,
                share.numerator,
                0,
                share.denominator,
                len(posts),
                m.tag("county", k),
                k,
            )


RULES = [Women(), MinorityShare(), NonCpcShare()]
