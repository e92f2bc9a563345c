"""Age structure (十项措施: 35岁以下的党政正职占比达到15%、班子成员一般要达到30%; 每个乡镇至少1名30岁以下).

"N岁以下" includes N: age ≤ N, whole years (周岁) on the wave's date.
"""

from __future__ import annotations

from typing import Any

from planner.domain.documents import Violation
from planner.domain.vocab import PRINCIPAL_ROLES
from planner.domain.policy import YoungMembersParams, YoungPrincipalsParams
from planner.rules.base import Rule, RuleConfig, encode_count_at_least, need_for_share, params_of


class YoungPrincipals(Rule):
    """County-wide: 100 × (principals aged ≤ 35) ≥ 15 × (principal posts held). Amount: young principals missing."""

    id = "young-principals"
    scope = "county"

    def _posts(self, inst) -> list[str]:
        return [p for p, post in inst.posts.items() if post.role in PRINCIPAL_ROLES]

    def check(self, view, cfg: RuleConfig) -> list[Violation]:
        inst, P = view.inst, params_of(cfg, YoungPrincipalsParams)
        posts = self._posts(inst)
        out = []
        for state in view.states:
            held = [state.holder[p] for p in posts if state.holder[p] is not None]
            young = [c for c in held if inst.age(c, state.date) <= P.max_age]
            need = need_for_share(P.min_share, len(held))
            if len(young) < need:
                out.append(
                    self.finding(
                        cfg,
                        need - len(young),
                        wave=state.wave,
                        cadres=young,
                        total=len(held),
                        count=len(young),
                        need=need,
                        age=P.max_age,
                    )
                )
        return out

    def encode(self, m: Any, cfg: RuleConfig) -> None:
        inst, P = m.inst, params_of(cfg, YoungPrincipalsParams)
        posts = self._posts(inst)
        for k, date in m.waves():
            young = m.mask(lambda c: inst.age(c, date) <= P.max_age)
            encode_count_at_least(
                m,
                self,
                cfg,
                posts,
                young,
                P.min_share.numerator,
                0,
                P.min_share.denominator,
                len(posts),
                m.tag("county", k),
                k,
            )


class YoungMembers(Rule):
    """County-wide: members aged ≤ 35 ≥ 30% of all members. Amount: young members missing."""

    id = "young-members"
    scope = "county"

    def check(self, view, cfg: RuleConfig) -> list[Violation]:
        inst, P = view.inst, params_of(cfg, YoungMembersParams)
        out = []
        for state in view.states:
            held = [c for c in state.holder.values() if c is not None]
            young = sum(1 for c in held if inst.age(c, state.date) <= P.max_age)
            need = need_for_share(P.min_share, len(held))
            if young < need:
                out.append(
                    self.finding(
                        cfg, need - young, wave=state.wave, total=len(held), count=young, need=need, age=P.max_age
                    )
                )
        return out

    def encode(self, m: Any, cfg: RuleConfig) -> None:
        inst, P = m.inst, params_of(cfg, YoungMembersParams)
        posts = list(inst.posts)
        for k, date in m.waves():
            young = m.mask(lambda c: inst.age(c, date) <= P.max_age)
            encode_count_at_least(
                m,
                self,
                cfg,
                posts,
                young,
                P.min_share.numerator,
                0,
                P.min_share.denominator,
                len(posts),
                m.tag("county", k),
                k,
            )


class _TeamCount(Rule):
    """Per team: count of members satisfying `qualifies` ≥ need(members). Amount: members missing."""

    scope = "team"

    def qualifies(self, inst, cfg, cadre, on) -> bool:  # pragma: no cover - abstract
        raise NotImplementedError

    def need(self, cfg, members: int) -> int:  # pragma: no cover - abstract
        raise NotImplementedError

    def applies(self, inst, cfg, township: str) -> bool:
        return bool(inst.posts_of[township])  # a township with no posts in the scenario has no team

    def fields(self, cfg) -> dict:
        return {}

    def check(self, view, cfg: RuleConfig) -> list[Violation]:
        inst = view.inst
        out = []
        for state in view.states:
            for t, members in state.members.items():
                if not self.applies(inst, cfg, t):
                    continue
                count = sum(1 for _, c in members if self.qualifies(inst, cfg, c, state.date))
                need = self.need(cfg, len(members))
                if count < need:
                    out.append(
                        self.finding(
                            cfg,
                            need - count,
                            townships=[t],
                            wave=state.wave,
                            township=inst.township_label(t),
                            members=len(members),
                            count=count,
                            need=need,
                            **self.fields(cfg),
                        )
                    )
        return out

    def encode(self, m: Any, cfg: RuleConfig) -> None:
        inst = m.inst
        num, den = self.need_linear(cfg)
        for k, date in m.waves():
            teams = {t: posts for t, posts in inst.posts_of.items() if self.applies(inst, cfg, t)}
            ok = m.mask(lambda c: self.qualifies(inst, cfg, c, date))
            need = 0 if num is not None else self.need(cfg, 0)
            for t, posts in teams.items():
                encode_count_at_least(m, self, cfg, posts, ok, num or 0, need, den, len(posts) + 1, m.tag(t, k), k)

    def need_linear(self, cfg) -> tuple[int | None, int]:
        """(numerator, denominator) when need is a share of members; (None, 1) for a fixed count."""
        return cfg.params.min_share.numerator, cfg.params.min_share.denominator


class YoungMembersTeam(_TeamCount):
    id = "young-members-team"

    def qualifies(self, inst, cfg, cadre, on):
        return inst.age(cadre, on) <= cfg.params.max_age

    def need(self, cfg, members):
        return need_for_share(cfg.params.min_share, members)

    def fields(self, cfg):
        return {"age": cfg.params.max_age}


class Under30(_TeamCount):
    """Each team has ≥ 1 member aged ≤ 30 (an empty team breaks it too). Amount: such members missing."""

    id = "under-30"

    def qualifies(self, inst, cfg, cadre, on):
        return inst.age(cadre, on) <= cfg.params.max_age

    def need(self, cfg, members):
        return cfg.params.min_count

    def need_linear(self, cfg):
        return None, 1

    def fields(self, cfg):
        return {"age": cfg.params.max_age}


RULES = [YoungPrincipals(), YoungMembers(), YoungMembersTeam(), Under30()]
