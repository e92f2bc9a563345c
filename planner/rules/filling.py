"""Filling the posts: principals and the congress chair always, the others preferably."""

from __future__ import annotations

from typing import Any

from planner.domain.documents import Violation
from planner.domain.vocab import KEY_ROLES
from planner.rules.base import Rule, RuleConfig


class _Filled(Rule):
    """Every post of the covered roles has a holder after each wave. Amount: 1 per vacant post and wave.

    Encoding: Σ_c x[c,p] = 1 (hard), or weight × (1 − Σ_c x[c,p]) in the objective (soft).
    """

    scope = "team"

    def covers(self, role: str) -> bool:  # pragma: no cover - abstract
        raise NotImplementedError

    def check(self, view, cfg: RuleConfig) -> list[Violation]:
        inst = view.inst
        out = []
        for state in view.states:
            for post, cadre in state.holder.items():
                if cadre is None and self.covers(inst.posts[post].role):
                    t = inst.township_of(post)
                    out.append(
                        self.finding(
                            cfg,
                            1,
                            townships=[t],
                            posts=[post],
                            wave=state.wave,
                            township=inst.township_label(t),
                            post=inst.role_title(post),
                        )
                    )
        return out

    def encode(self, m: Any, cfg: RuleConfig) -> None:
        for post, p in m.inst.posts.items():
            if not self.covers(p.role):
                continue
            for k, _ in m.waves():
                tag = post if m.W == 1 else f"{post}@{k}"
                if cfg.hard:
                    m.hard(self.id, m.filled(post, k) >= 1, tag)
                else:
                    m.add_term(self.id, cfg.weight, 1 - m.filled(post, k))


class PrincipalFilled(_Filled):
    id = "principal-filled"

    def covers(self, role: str) -> bool:
        return role in KEY_ROLES


class PostFilled(_Filled):
    id = "post-filled"

    def covers(self, role: str) -> bool:
        return role not in KEY_ROLES


RULES = [PrincipalFilled(), PostFilled()]
