"""Preferences of the sources, as penalties and bonuses: where principals come from, whom to promote,
stability, hidden steps, person–post fit (十项措施; 黔南 人岗相适)."""

from __future__ import annotations

from planner.domain.vocab import PRINCIPAL_ROLES, RANK_LEVEL
from planner.rules.base import DepartureRule, PairHit, PairRule


def _promotes(inst, cadre, post) -> bool:
    return RANK_LEVEL[inst.posts[post].rank] > RANK_LEVEL[inst.cadres[cadre].rank]


class PrincipalSource(PairRule):
    """A new principal preferably comes from a township team (congress chair, a deputy post — or is a principal
    already); one appointed from outside the teams costs a penalty. Amount 1."""

    id = "principal-source"
    scope = "appointment"

    def hits(self, inst, cfg, cadre, post, on):
        if inst.posts[post].role in PRINCIPAL_ROLES and inst.cadres[cadre].current_post is None:
            return [PairHit(1, None, {})]
        return []


class TalentPriority(PairRule):
    """Bonus for promoting a full-time master's or 双一流 graduate with an `excellent` in the last three years."""

    id = "talent-priority"
    scope = "appointment"
    bonus = True

    def hits(self, inst, cfg, cadre, post, on):
        c = inst.cadres[cadre]
        if (
            _promotes(inst, cadre, post)
            and (c.fulltime_master or c.double_first_class)
            and "excellent" in inst.recent_grades(cadre, 3, on)
        ):
            return [PairHit(1, None, {})]
        return []


class Excellence(PairRule):
    """Bonus for promoting a cadre rated `excellent` in each of the three years before the year of the date judged
    (as_of, or the wave of the promotion)."""

    id = "excellence"
    scope = "appointment"
    bonus = True

    def hits(self, inst, cfg, cadre, post, on):
        if _promotes(inst, cadre, post) and all(g == "excellent" for g in inst.recent_grades(cadre, 3, on)):
            return [PairHit(1, None, {})]
        return []


class Stability(DepartureRule):
    """Each incumbent who leaves today's post (moved or released) costs a penalty. Amount 1.

    Weight 100 is above the promotion bonuses (40 + 40 + fit), so nobody is displaced only to make room for a
    bonus; cadres marked `leaving` are exempt (their departure is not the plan's choice).
    """

    id = "stability"
    scope = "move"

    def departure_amount(self, inst, cfg, cadre, on):
        return 1


class HiddenSteps(PairRule):
    """A principal moved to the same role and rank in another township (隐形台阶) costs a penalty. Amount 1."""

    id = "hidden-steps"
    scope = "move"

    def hits(self, inst, cfg, cadre, post, on):
        cur = inst.cadres[cadre].current_post
        if cur is None:
            return []
        a, b = inst.posts[cur], inst.posts[post]
        if a.role in PRINCIPAL_ROLES and a.role == b.role and a.rank == b.rank and a.township != b.township:
            return [PairHit(1, None, {"to_post": inst.post_label(post), "post": inst.post_label(cur)})]
        return []


class Fit(PairRule):
    """Bonus per specialty of a newly placed cadre that matches a need of the township. Amount: matches."""

    id = "fit"
    scope = "appointment"
    bonus = True

    def hits(self, inst, cfg, cadre, post, on):
        needs = set(inst.townships[inst.township_of(post)].needs)
        match = sorted(needs.intersection(inst.cadres[cadre].specialties))
        return [PairHit(len(match), None, {"match": "、".join(match)})] if match else []


RULES = [PrincipalSource(), TalentPriority(), Excellence(), Stability(), HiddenSteps(), Fit()]
