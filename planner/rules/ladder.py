"""Rank ladder and promotion gates (《党政领导干部选拔任用工作条例》)."""

from __future__ import annotations


from planner.domain.vocab import RANK_LEVEL
from planner.i18n import label_zh
from planner.rules.base import PairHit, PairRule, fmt_years


def _step(inst, cadre: str, post: str) -> int:
    """Rank steps from the cadre's rank to the post's: 0 lateral, 1 one up, negative down."""
    return RANK_LEVEL[inst.posts[post].rank] - RANK_LEVEL[inst.cadres[cadre].rank]


class RankLadder(PairRule):
    """A new placement is lateral or one step up; never down, never two steps.

    One step up needs a promotable reserve tier and enough years in the current rank
    (deputy_section → section_chief: ≥ 2 years, 副职提任正职应在副职岗位工作两年以上). Amount 1 per breach.
    """

    id = "rank-ladder"
    scope = "appointment"

    def hits(self, inst, cfg, cadre, post, on):
        c, p = inst.cadres[cadre], inst.posts[post]
        step = _step(inst, cadre, post)
        f = {"rank": label_zh(c.rank), "post_rank": label_zh(p.rank)}
        if step < 0:
            return [PairHit(1, "rank-ladder.down", f)]
        if step > 1:
            return [PairHit(1, "rank-ladder.skip", f)]
        if step == 0:
            return []
        out = []
        if c.reserve_tier not in cfg.params.promotable_tiers:
            out.append(PairHit(1, "rank-ladder.tier", {"tier": label_zh(c.reserve_tier) or "无"}))
        need = (
            cfg.params.min_years_in_rank_to_chief
            if p.rank == "section_chief"
            else cfg.params.min_years_in_rank_to_deputy
        )
        years = inst.years_in_rank(cadre, on)
        if years < need:
            out.append(PairHit(1, "rank-ladder.years", {"years": fmt_years(years), "need": fmt_years(need)}))
        return out


class PromotionGates(PairRule):
    """No promotion (a step up in rank) while a sanction runs (sanction_until > date) or after a blocking grade
    last year (条例第二十四条; 处分影响期). Amount 1 per breach."""

    id = "promotion-gates"
    scope = "appointment"

    def hits(self, inst, cfg, cadre, post, on):
        if _step(inst, cadre, post) <= 0:
            return []
        c = inst.cadres[cadre]
        out = []
        if c.sanction_until is not None and c.sanction_until > on:
            out.append(PairHit(1, "promotion-gates.sanction", {"until": c.sanction_until.isoformat()}))
        grade = inst.last_grade(cadre, on)
        if grade in cfg.params.blocking_grades:
            out.append(PairHit(1, "promotion-gates.grade", {"grade": label_zh(grade)}))
        return out


RULES = [RankLadder(), PromotionGates()]
