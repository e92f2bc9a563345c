"""Avoidance (回避): regional for principals, kinship within a team (《公务员法》, 《公务员回避规定》)."""

from __future__ import annotations

from typing import Any

from planner.domain.documents import Violation
from planner.domain.vocab import PRINCIPAL_ROLES
from planner.rules.base import PairHit, PairRule, Rule, RuleConfig


class OriginAvoidance(PairRule):
    """A new principal does not serve in the township that is the cadre's `origin_township`. Amount 1."""

    id = "origin-avoidance"
    scope = "appointment"

    def hits(self, inst, cfg, cadre, post, on):
        p = inst.posts[post]
        if p.role in PRINCIPAL_ROLES and inst.cadres[cadre].origin_township == p.township:
            return [PairHit(1, None, {})]
        return []


class KinshipAvoidance(Rule):
    """Two relatives do not serve in the same team. Amount 1 per related pair in a team.

    Encoding per related pair (a, b) and township t: in_t(a) + in_t(b) ≤ 1.
    """

    id = "kinship-avoidance"
    scope = "team"

    def check(self, view, cfg: RuleConfig) -> list[Violation]:
        inst = view.inst
        out = []
        for state in view.states:
            for t, members in state.members.items():
                people = sorted({c for _, c in members})
                for i, a in enumerate(people):
                    for b in people[i + 1 :]:
                        if b in inst.relatives[a]:
                            out.append(
                                self.finding(
                                    cfg,
                                    1,
                                    townships=[t],
                                    cadres=[a, b],
                                    wave=state.wave,
                                    township=inst.township_label(t),
                                    cadre=inst.name(a),
                                    other=inst.name(b),
                                )
                            )
        return out

    def encode(self, m: Any, cfg: RuleConfig) -> None:
        inst = m.inst
        for a, rels in inst.relatives.items():
            for b in rels:
                if b <= a:
                    continue
                for t, posts in inst.posts_of.items():
                    for k, _ in m.waves():
                        ia, ib = m.in_posts(a, posts, k), m.in_posts(b, posts, k)
                        if isinstance(ia, int) or isinstance(ib, int):
                            continue  # one of them cannot be in this team at all
                        tag = m.tag(f"{t}:{a}:{b}", k)
                        if cfg.hard:
                            m.hard(self.id, ia + ib <= 1, tag)
                        else:
                            v = m.new_bool(f"{self.id}:{tag}")
                            m.model.Add(v >= ia + ib - 1)
                            m.add_term(self.id, cfg.weight, v)


RULES = [OriginAvoidance(), KinshipAvoidance()]
