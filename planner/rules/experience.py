"""Township experience: principals' qualification, the team's 2/3 rule, lagging townships (十项措施, 黔南)."""

from __future__ import annotations

from typing import Any

from planner.domain.documents import Violation
from planner.domain.policy import TeamExperienceParams
from planner.domain.vocab import PRINCIPAL_ROLES
from planner.rules.base import (
    PairHit,
    PairRule,
    Rule,
    RuleConfig,
    encode_count_at_least,
    fmt_years,
    need_for_share,
    params_of,
)


class PrincipalQualification(PairRule):
    """A new principal has ≥ 2 years township leadership **or** ≥ 3 years township work. Amount 1."""

    id = "principal-qualification"
    scope = "appointment"

    def hits(self, inst, cfg, cadre, post, on):
        if inst.posts[post].role not in PRINCIPAL_ROLES:
            return []
        lead, work = inst.leadership_years(cadre, on), inst.work_years(cadre, on)
        P = cfg.params
        if lead >= P.min_leadership_years or work >= P.min_work_years:
            return []
        return [
            PairHit(
                1,
                None,
                {
                    "lead": fmt_years(lead),
                    "work": fmt_years(work),
                    "need_lead": fmt_years(P.min_leadership_years),
                    "need_work": fmt_years(P.min_work_years),
                },
            )
        ]


class TeamExperience(Rule):
    """≥ 2/3 of each team's members have ≥ 2 years township work: 3 × count ≥ 2 × members.

    Amount: ceil(share × members) − count, the experienced members missing.
    """

    id = "team-experience"
    scope = "team"

    def check(self, view, cfg: RuleConfig) -> list[Violation]:
        inst, P = view.inst, params_of(cfg, TeamExperienceParams)
        out = []
        for state in view.states:
            for t, members in state.members.items():
                count = sum(1 for _, c in members if inst.work_years(c, state.date) >= P.min_years)
                need = need_for_share(P.min_share, len(members))
                if count < need:
                    out.append(
                        self.finding(
                            cfg,
                            need - count,
                            townships=[t],
                            wave=state.wave,
                            cadres=[c for _, c in members],
                            township=inst.township_label(t),
                            members=len(members),
                            count=count,
                            need=need,
                            years=fmt_years(P.min_years),
                        )
                    )
        return out

    def encode(self, m: Any, cfg: RuleConfig) -> None:
        inst, P = m.inst, params_of(cfg, TeamExperienceParams)
        for k, date in m.waves():
            ok = m.mask(lambda c: inst.work_years(c, date) >= P.min_years)
            for t, posts in inst.posts_of.items():
                encode_count_at_least(
                    m,
                    self,
                    cfg,
                    posts,
                    ok,
                    P.min_share.numerator,
                    0,
                    P.min_share.denominator,
                    len(posts),
                    m.tag(t, k),
                    k,
                )


class LaggingTownship(PairRule):
    """The principals of a lagging township (后进党组织) have ≥ 5 years township work. Amount 1 per principal.

    A team rule: it binds every principal the plan leaves there, newcomer or not.
    """

    id = "lagging-township"
    scope = "team"
    new_only = False

    def hits(self, inst, cfg, cadre, post, on):
        p = inst.posts[post]
        if p.role not in PRINCIPAL_ROLES or not inst.townships[p.township].lagging:
            return []
        work = inst.work_years(cadre, on)
        if work >= cfg.params.min_work_years:
            return []
        return [PairHit(1, None, {"work": fmt_years(work), "need": fmt_years(cfg.params.min_work_years)})]


RULES = [PrincipalQualification(), TeamExperience(), LaggingTownship()]
