"""Tenure and continuity of the principals (十项措施: 不同时调整, 任满一届, 不满3年报批, 无缝衔接)."""

from __future__ import annotations

from typing import Any


from planner.domain.documents import Violation
from planner.domain.policy import SeamlessParams
from planner.domain.vocab import PRINCIPAL_ROLES
from planner.rules.base import DepartureRule, Rule, RuleConfig, fmt_years, params_of


class PrincipalChange(Rule):
    """In one township the principal posts do not both change in the same wave (a vacancy filled is a change).

    Amount: (principal posts changed in the wave) − 1 when positive. Encoding: Σ changed(p) ≤ 1.
    """

    id = "principal-change"
    scope = "team"

    def check(self, view, cfg: RuleConfig) -> list[Violation]:
        inst = view.inst
        out = []
        for state in view.states:
            for t in inst.townships:
                changed = [p for p in inst.principal_posts(t) if p in state.changed]
                if len(changed) > 1:
                    out.append(
                        self.finding(
                            cfg,
                            len(changed) - 1,
                            townships=[t],
                            posts=changed,
                            wave=state.wave,
                            cadres=[c for p in changed for c in (inst.holder[p], state.holder[p]) if c],
                            township=inst.township_label(t),
                        )
                    )
        return out

    def encode(self, m: Any, cfg: RuleConfig) -> None:
        for k, _ in m.waves():
            for t in m.inst.townships:
                posts = m.inst.principal_posts(t)
                if len(posts) < 2:
                    continue
                changed = sum(m.changed(p, k) for p in posts)
                if cfg.hard:
                    m.hard(self.id, changed <= 1, m.tag(t, k))
                else:
                    v = m.new_int(0, len(posts) - 1, f"{self.id}:{m.tag(t, k)}")
                    m.model.Add(v >= changed - 1)
                    m.add_term(self.id, cfg.weight, v)


def _principal_years(inst, cadre, on):
    post = inst.cadres[cadre].current_post
    if post is None or inst.posts[post].role not in PRINCIPAL_ROLES:
        return None
    return inst.years_in_post(cadre, on)


class MinTenure(DepartureRule):
    """An incumbent principal with < 3 years in post is not moved out unless listed in `approvals`
    (任现职不满3年调整的需报市委组织部审批). Amount 1 per such departure."""

    id = "min-tenure"
    scope = "move"

    def departure_amount(self, inst, cfg, cadre, on):
        years = _principal_years(inst, cadre, on)
        return int(years is not None and years < cfg.params.min_years and cadre not in inst.approvals)

    def departure_fields(self, inst, cfg, cadre, on):
        return {"years": fmt_years(_principal_years(inst, cadre, on)), "need": fmt_years(cfg.params.min_years)}


class FullTerm(DepartureRule):
    """Moving an incumbent principal with < 5 years in post (一般应任满一届) costs a penalty. Amount 1."""

    id = "full-term"
    scope = "move"

    def departure_amount(self, inst, cfg, cadre, on):
        years = _principal_years(inst, cadre, on)
        return int(years is not None and years < cfg.params.min_years)

    def departure_fields(self, inst, cfg, cadre, on):
        return {"years": fmt_years(_principal_years(inst, cadre, on)), "need": fmt_years(cfg.params.min_years)}


class SeamlessHandover(Rule):
    """When the holder of a covered post (party secretary) leaves it, a successor takes it in the same wave.

    Amount 1 per post left empty in the wave its holder left. Encoding, per wave k:
    arrived(p, k) ≥ dep[incumbent, k] (with one wave: Σ_new x[c,p] ≥ 1 − stay).
    """

    id = "seamless-handover"
    scope = "team"

    def check(self, view, cfg: RuleConfig) -> list[Violation]:
        inst, roles = view.inst, params_of(cfg, SeamlessParams).roles
        out = []
        previous = inst.holder
        for state in view.states:
            for post in state.changed:
                if inst.posts[post].role in roles and previous[post] is not None and state.holder[post] is None:
                    t = inst.township_of(post)
                    out.append(
                        self.finding(
                            cfg,
                            1,
                            townships=[t],
                            posts=[post],
                            cadres=[previous[post]],
                            wave=state.wave,
                            township=inst.township_label(t),
                            post=inst.role_title(post),
                        )
                    )
            previous = state.holder
        return out

    def encode(self, m: Any, cfg: RuleConfig) -> None:
        roles = params_of(cfg, SeamlessParams).roles
        for post, p in m.inst.posts.items():
            inc = m.inst.holder[post]
            if p.role not in roles or inc is None:
                continue
            for k, _ in m.waves():
                if cfg.hard:
                    m.hard(self.id, m.arrived(post, k) >= m.departure(inc, k), m.tag(post, k))
                else:
                    v = m.new_bool(f"{self.id}:{m.tag(post, k)}")
                    m.model.Add(v >= m.departure(inc, k) - m.arrived(post, k))
                    m.add_term(self.id, cfg.weight, v)


RULES = [PrincipalChange(), MinTenure(), FullTerm(), SeamlessHandover()]
