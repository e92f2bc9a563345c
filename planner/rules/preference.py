"""Preferences of the sources, as penalties and bonuses: where principals come from, whom to promote,
stability, hidden steps, person–post fit, no needless moves (十项措施; 黔南 人岗相适)."""

from __future__ import annotations

from planner.domain.vocab import PRINCIPAL_ROLES, RANK_LEVEL
from planner.rules.base import DepartureRule, PairHit, PairRule, Rule


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


def up_the_ladder(inst, cadre: str, post: str) -> bool:
    """A step up the ladder (提拔 / 进步): a higher rank; or into a principal post from a deputy or congress-chair
    post (the source's preferred way to a principal post); or a township head becoming party secretary."""
    if _promotes(inst, cadre, post):
        return True
    cur = inst.cadres[cadre].current_post
    if cur is None:
        return False
    a, b = inst.posts[cur].role, inst.posts[post].role
    return (b in PRINCIPAL_ROLES and a not in PRINCIPAL_ROLES) or (a == "township_head" and b == "party_secretary")


class Stability(Rule):
    """Each incumbent who leaves today's post other than by a step up the ladder — a lateral transfer, a release to
    the pool or a county unit — costs a penalty. Amount 1. A promotion is not instability (RULES.md); cadres
    marked `leaving` are exempt (their departure is not the plan's choice).

    Not a :class:`DepartureRule`: whether a departure counts depends on where the cadre goes. Encoding, per
    incumbent and wave k: ``weight × (dep[c,k] − Σ_{p up the ladder} y[c,p,k])`` — a cadre who arrives in a post in
    wave k leaves today's post in wave k, so the bracket is 1 exactly for a departure that is not a step up.
    """

    id = "stability"
    scope = "move"

    def check(self, view, cfg):
        inst = view.inst
        out = []
        for d in view.departures:
            if inst.cadres[d.cadre].leaving or (d.to is not None and up_the_ladder(inst, d.cadre, d.to)):
                continue
            t = inst.township_of(d.post)
            out.append(
                self.finding(
                    cfg,
                    1,
                    townships=[t],
                    cadres=[d.cadre],
                    posts=[d.post] + ([d.to] if d.to else []),
                    wave=d.wave,
                    cadre=inst.name(d.cadre),
                    post=inst.post_label(d.post),
                    township=inst.township_label(t),
                )
            )
        return out

    def encode(self, m, cfg):
        inst = m.inst
        for cadre in m.incumbents():
            if inst.cadres[cadre].leaving:
                continue
            up = [
                p for p in m.posts_of(cadre) if p != inst.cadres[cadre].current_post and up_the_ladder(inst, cadre, p)
            ]
            for k, _date in m.waves():
                ys = [m.y[(cadre, p, k)] for p in up if (cadre, p, k) in m.y]
                if cfg.hard:
                    m.hard(self.id, m.departure(cadre, k) - sum(ys) <= 0, f"{cadre}@{k}" if m.W > 1 else cadre)
                else:
                    m.add_term(self.id, cfg.weight, m.departure(cadre, k) - sum(ys) if ys else m.departure(cadre, k))


class FrequentMoves(DepartureRule):
    """Each incumbent who leaves today's post — a promotion included — opens a handover (工作断档、人员掉链) and
    costs a small penalty. Amount 1; cadres marked `leaving` are exempt.

    Its weight is what keeps a vacancy chain as short as the vacancies need: it is above the bonuses one promotion
    can earn, so no chain grows by a promotion made for its bonus alone, and far below `principal-source`, so a
    deputy promoted into a principal post (and the deputy's post back-filled) is still cheaper than an outsider.
    """

    id = "frequent-moves"
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


RULES = [PrincipalSource(), TalentPriority(), Excellence(), Stability(), HiddenSteps(), Fit(), FrequentMoves()]
