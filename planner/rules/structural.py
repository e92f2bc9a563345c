"""Structural rules, hard always: one post per cadre and one holder per post; leaving cadres hold nothing."""

from __future__ import annotations

from typing import Any

from planner.domain.documents import Violation
from planner.rules.base import PairHit, PairRule, Rule, RuleConfig


class OnePost(Rule):
    """Σ_p x[c,p] ≤ 1 for every cadre c and Σ_c x[c,p] ≤ 1 for every post p.

    Amount: the number of surplus entries (a cadre in three posts breaks it by 2), and 1 per (post, wave)
    where a new holder arrives while today's holder has not left yet.
    """

    id = "one-post"
    scope = "structural"

    def check(self, view, cfg: RuleConfig) -> list[Violation]:
        inst = view.inst
        out = []
        for cadre, posts in view.posts_of_cadre.items():
            if len(posts) > 1:
                out.append(self.finding(cfg, len(posts) - 1, key="one-post.cadre", cadres=[cadre], posts=posts,
                                        townships=sorted({inst.township_of(p) for p in posts}),
                                        cadre=inst.name(cadre), n=len(posts)))
        for post, entries in view.entries_of_post.items():
            if len(entries) > 1:
                out.append(self.finding(cfg, len(entries) - 1, key="one-post.post", posts=[post],
                                        cadres=[c for c in entries if c], townships=[inst.township_of(post)],
                                        post=inst.post_label(post), n=len(entries)))
        for post, wave in view.overlaps:
            out.append(self.finding(cfg, 1, key="one-post.post", posts=[post], wave=wave,
                                    cadres=[c for c in (inst.holder[post], view.final[post]) if c],
                                    townships=[inst.township_of(post)], post=inst.post_label(post), n=2))
        return out

    def encode(self, m: Any, cfg: RuleConfig) -> None:
        for post in m.inst.posts:
            vars_ = [v for _, v in m.vars_of_post(post)]
            if len(vars_) > 1:
                m.model.AddAtMostOne(vars_)
        for cadre in m.inst.cadres:
            vars_ = [v for _, v in m.vars_of_cadre(cadre)]
            if len(vars_) > 1:
                m.model.AddAtMostOne(vars_)


class Leaving(PairRule):
    """A cadre marked `leaving` holds no post in the plan: x[c,p] = 0 for every post (pruned)."""

    id = "leaving"
    scope = "structural"
    new_only = False
    every_wave = False  # a leaving cadre serves until the wave they leave; only the final state is bound

    def hits(self, inst, cfg, cadre, post, on):
        return [PairHit(1, None, {})] if inst.cadres[cadre].leaving else []

    def check(self, view, cfg: RuleConfig) -> list[Violation]:
        inst = view.inst
        return [
            self.finding(cfg, 1, townships=[inst.township_of(p)], cadres=[c], posts=[p],
                         cadre=inst.name(c), post=inst.post_label(p))
            for c, posts in view.posts_of_cadre.items()
            if inst.cadres[c].leaving
            for p in dict.fromkeys(posts)  # every post the plan lists them in, not only first entries
        ]


RULES = [OnePost(), Leaving()]
