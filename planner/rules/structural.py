"""Structural rules, hard always: one post per cadre and one holder per post; the user's pins are kept and
forbids never made; leaving cadres hold nothing."""

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
                out.append(
                    self.finding(
                        cfg,
                        len(posts) - 1,
                        key="one-post.cadre",
                        cadres=[cadre],
                        posts=posts,
                        townships=sorted({inst.township_of(p) for p in posts}),
                        cadre=inst.name(cadre),
                        n=len(posts),
                    )
                )
        for post, entries in view.entries_of_post.items():
            if len(entries) > 1:
                out.append(
                    self.finding(
                        cfg,
                        len(entries) - 1,
                        key="one-post.post",
                        posts=[post],
                        cadres=[c for c in entries if c],
                        townships=[inst.township_of(post)],
                        post=inst.post_label(post),
                        n=len(entries),
                    )
                )
        for post, wave in view.overlaps:
            out.append(
                self.finding(
                    cfg,
                    1,
                    key="one-post.post",
                    posts=[post],
                    wave=wave,
                    cadres=[c for c in (inst.holder[post], view.final[post]) if c],
                    townships=[inst.township_of(post)],
                    post=inst.post_label(post),
                    n=2,
                )
            )
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
            self.finding(
                cfg,
                1,
                townships=[inst.township_of(p)],
                cadres=[c],
                posts=[p],
                cadre=inst.name(c),
                post=inst.post_label(p),
            )
            for c, posts in view.posts_of_cadre.items()
            if inst.cadres[c].leaving
            for p in dict.fromkeys(posts)  # every post the plan lists them in, not only first entries
        ]


class Pin(Rule):
    """Every pinned placement (scenario `pins`) holds in the plan: the pinned cadre is the post's holder after
    the plan (its last wave). Amount 1 per pin not kept.

    Encoding: x[c,p] = 1 for each pin (the pair always exists: candidate generation forces pins). The builder
    has added the same constraint under the id "pin" since before this rule existed; both use the tag
    ``cadre->post``, so with explanations on they share one assumption literal.
    """

    id = "pin"
    scope = "structural"

    def check(self, view, cfg: RuleConfig) -> list[Violation]:
        inst = view.inst
        out = []
        for cadre, post in inst.pins:
            holder = view.final.get(post)
            if holder == cadre:
                continue
            t = inst.township_of(post)
            out.append(
                self.finding(
                    cfg,
                    1,
                    townships=[t],
                    cadres=[cadre] + ([holder] if holder else []),
                    posts=[post],
                    cadre=inst.name(cadre),
                    post=inst.post_label(post),
                    holder=inst.name(holder),
                )
            )
        return out

    def encode(self, m: Any, cfg: RuleConfig) -> None:
        for cadre, post in m.inst.pins:
            m.hard(self.id, m.x[(cadre, post)] == 1, f"{cadre}->{post}")


class Forbid(Rule):
    """No forbidden placement (scenario `forbids`) in the plan: a forbidden cadre does not hold the post after
    the plan — a newcomer never takes it, and an incumbent forbidden from today's post leaves it (by the last
    wave, as `leaving`). Amount 1 per forbidden placement the plan makes or keeps.

    Encoding: candidate generation leaves forbidden pairs out; a pair forced into the model anyway (a plan
    fixed with ``SolveOptions(fixed=...)``) gets x[c,p] = 0 here, so a fixed plan is feasible exactly when the
    checker finds no breach (a fixed plan honours pins and forbids alike).
    """

    id = "forbid"
    scope = "structural"

    def check(self, view, cfg: RuleConfig) -> list[Violation]:
        inst = view.inst
        out = []
        for cadre, posts in view.posts_of_cadre.items():
            for post in dict.fromkeys(posts):
                if (cadre, post) in inst.forbids:
                    t = inst.township_of(post)
                    out.append(
                        self.finding(
                            cfg,
                            1,
                            townships=[t],
                            cadres=[cadre],
                            posts=[post],
                            cadre=inst.name(cadre),
                            post=inst.post_label(post),
                        )
                    )
        return sorted(out, key=lambda v: (v.posts, v.cadres))

    def encode(self, m: Any, cfg: RuleConfig) -> None:
        for cadre, post in sorted(m.inst.forbids):
            var = m.x.get((cadre, post))
            if var is not None:
                m.hard(self.id, var == 0, f"{cadre}->{post}")


RULES = [OnePost(), Pin(), Forbid(), Leaving()]
