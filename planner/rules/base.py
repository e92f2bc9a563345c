"""What every rule is: parameters, mode and weight, a plain-Python check, a CP-SAT encoding.

This module (and every rule module) must not import ortools: `encode` only calls methods on the model
builder it is handed (:class:`planner.solve.Builder`), so the checker can import the rules without the solver.

Kinds of rule, by what they look at:

- :class:`PairRule` — a function of one (cadre, post) placement, e.g. rank ladder or avoidance. Its check
  walks the plan's new placements (or all holders, `new_only = False`); its encoding prunes the placement
  variable when hard, or puts ``weight × amount × x[c,p]`` in the objective when soft. One definition, used
  by both sides, of *which pairs* break it; the solver's arithmetic around it is checked independently.
- :class:`DepartureRule` — a function of an incumbent leaving the post held today (min tenure, stability).
- Team and county rules subclass :class:`Rule` directly and write both `check` and `encode`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING, Any, Callable, ClassVar, Iterable, Literal, TypeVar


from planner.domain.documents import Violation
from planner.domain.policy import CATALOGUE, Params, RuleConfig, RuleSpec, Share, YearsParam  # noqa: F401
from planner.domain.vocab import PRINCIPAL_ROLES
from planner.i18n import rule_message, rule_name

if TYPE_CHECKING:  # pragma: no cover
    from planner.domain.load import Instance
    from planner.domain.planview import PlanView

Scope = Literal["structural", "appointment", "team", "county", "move"]

P = TypeVar("P", bound=Params)


def params_of(cfg: RuleConfig, kind: type[P]) -> P:
    """`cfg.params` as the rule's own thresholds class (the catalogue pairs each rule with one; the loader builds
    them from it, so another class here is a programming error, not bad input)."""
    if not isinstance(cfg.params, kind):
        raise TypeError(f"expected {kind.__name__}, got {type(cfg.params).__name__}")
    return cfg.params


def need_for_share(share: Fraction, total: int) -> int:
    """Smallest count meeting ``count ≥ share × total`` exactly (ceil, nobody's favour)."""
    return -((-share.numerator * total) // share.denominator)


def fmt_years(value: Fraction) -> str:
    return f"{float(value):.2f}".rstrip("0").rstrip(".")


class Rule:
    """A rule of the catalogue. Subclasses set the class attributes and implement check/encode."""

    id: ClassVar[str]
    scope: ClassVar[Scope]
    bonus: ClassVar[bool] = False  # soft bonus: the amount lowers the objective
    # from the policy contract (planner.domain.policy.CATALOGUE), set for every class that names its `id`
    spec: ClassVar[RuleSpec]
    default_mode: ClassVar[str]
    default_weight: ClassVar[int]
    locked: ClassVar[bool]  # "hard, always"
    requires: ClassVar[tuple[str, ...]]  # params a user must set when turning the rule on
    Params: ClassVar[type[Params]]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "id" in cls.__dict__:
            spec = CATALOGUE[cls.id]
            cls.spec = spec
            cls.default_mode, cls.default_weight = spec.mode, spec.weight
            cls.locked, cls.requires, cls.Params = spec.locked, spec.requires, spec.params

    # ------------------------------------------------------------------ naming
    @property
    def name_zh(self) -> str:
        return rule_name(self.id)[0]

    @property
    def name_en(self) -> str:
        return rule_name(self.id)[1]

    def sign(self) -> int:
        return -1 if self.bonus else 1

    def cost(self, cfg: RuleConfig, amount: int) -> int:
        return self.sign() * cfg.weight * amount if cfg.soft else 0

    def finding(
        self,
        cfg: RuleConfig,
        amount: int,
        *,
        key: str | None = None,
        townships: Iterable[str] = (),
        cadres: Iterable[str] = (),
        posts: Iterable[str] = (),
        wave: int | None = None,
        **fields: Any,
    ) -> Violation:
        zh, en = rule_message(key or self.id, **fields)
        return Violation(
            rule=self.id,
            hard=cfg.hard,
            amount=int(amount),
            townships=list(townships),
            cadres=list(cadres),
            posts=list(posts),
            message_zh=zh,
            message_en=en,
            wave=wave,
            cost=self.cost(cfg, amount),
        )

    # ------------------------------------------------------------------ the two faces
    def check(self, view: "PlanView", cfg: RuleConfig) -> list[Violation]:  # pragma: no cover - abstract
        raise NotImplementedError

    def encode(self, m: Any, cfg: RuleConfig) -> None:  # pragma: no cover - abstract
        raise NotImplementedError


# ------------------------------------------------------------------------------------------ pair rules


@dataclass(frozen=True)
class PairHit:
    amount: int
    key: str | None
    fields: dict[str, Any]


def _principal_township(p: Any) -> tuple:
    return (p.role, p.township) if p.role in PRINCIPAL_ROLES else (p.role,)


def _full(p: Any) -> tuple:
    return (p.township, p.role, p.rank)


#: What each pair rule reads of a post, as a key: posts with equal keys get equal verdicts from the rule for
#: the same cadre and date. Candidate generation and the soft encoding evaluate a rule once per (cadre, key)
#: instead of once per pair. A rule not listed is assumed to read every attribute a post has besides its id;
#: a rule that starts reading more of a post must widen its entry here (tests/test_candidates.py and the
#: fixed-plan agreement tests hold the grouped evaluation to the per-pair one).
POST_KEYS: dict[str, Callable[[Any], tuple]] = {
    "leaving": lambda p: (),
    "rank-ladder": lambda p: (p.rank,),
    "promotion-gates": lambda p: (p.rank,),
    "party-posts": lambda p: (p.role,),
    "principal-qualification": lambda p: (p.role,),
    "origin-avoidance": _principal_township,
    "lagging-township": _principal_township,
    "ethnic-head": lambda p: (p.role, p.township) if p.role == "township_head" else (p.role,),
    "principal-source": lambda p: (p.role,),
    "talent-priority": lambda p: (p.rank,),
    "excellence": lambda p: (p.rank,),
    "fit": lambda p: (p.township,),
}


def post_key(rule_id: str) -> Callable[[Any], tuple]:
    return POST_KEYS.get(rule_id, _full)


class PairRule(Rule):
    """A rule decided by one (cadre, post) placement."""

    new_only: ClassVar[bool] = True  # appointment scope: only cadres newly placed in the post

    def hits(self, inst: "Instance", cfg: RuleConfig, cadre: str, post: str, on: dt.date) -> list[PairHit]:
        raise NotImplementedError  # pragma: no cover

    def pair_amount(self, inst: "Instance", cfg: RuleConfig, cadre: str, post: str, on: dt.date) -> int:
        return sum(h.amount for h in self.hits(inst, cfg, cadre, post, on))

    def _findings(self, inst, cfg, cadre, post, on, wave) -> list[Violation]:
        t = inst.township_of(post)
        base = {"cadre": inst.name(cadre), "post": inst.post_label(post), "township": inst.township_label(t)}
        return [
            self.finding(
                cfg, h.amount, key=h.key, townships=[t], cadres=[cadre], posts=[post], wave=wave, **{**base, **h.fields}
            )
            for h in self.hits(inst, cfg, cadre, post, on)
            if h.amount
        ]

    def check(self, view: "PlanView", cfg: RuleConfig) -> list[Violation]:
        inst = view.inst
        out: list[Violation] = []
        if self.new_only:
            for a in view.arrivals:
                out += self._findings(inst, cfg, a.cadre, a.post, inst.date_of_wave(a.wave), a.wave)
        else:
            for state in view.states:
                for post, cadre in state.holder.items():
                    if cadre is not None:
                        out += self._findings(inst, cfg, cadre, post, state.date, state.wave)
        return out

    #: with waves, also bind holders in every wave they are present (False: only the final state, as `leaving`)
    every_wave: ClassVar[bool] = True

    def encode(self, m: Any, cfg: RuleConfig) -> None:
        """Hard: candidate generation already left out the pairs this rule excludes, except forced ones (pins,
        a fixed plan), which are forbidden here so the rule can be named; with waves, holders present in a
        wave whose date breaks the rule are excluded too. Soft: ``weight × amount`` per arrival (new-only
        rules) or per wave held (team rules such as lagging-township)."""
        inst = m.inst
        if cfg.hard and self.bonus:
            return  # a bonus cannot be broken: hard mode neither forbids nor rewards (as the checker reads it)
        if cfg.hard:
            for cadre, post, _ in m.pinned_pairs():
                if self.new_only and not m.is_new(cadre, post):
                    continue
                for k, date in m.waves():
                    if self.pair_amount(inst, cfg, cadre, post, date):
                        if self.new_only:
                            var = m.y.get((cadre, post, k))
                            if var is not None:
                                m.forbid(self.id, var, f"x[{cadre},{post}]" + (f"@{k}" if m.W > 1 else ""))
                        else:
                            m.hard(self.id, m.holding(cadre, post, k) == 0, f"x[{cadre},{post}]@{k}")
            if not self.new_only and self.every_wave and m.W > 1:
                for cadre, post, _ in m.pairs():
                    for k, date in m.waves():
                        if self.pair_amount(inst, cfg, cadre, post, date):
                            m.hard(self.id, m.holding(cadre, post, k) == 0, f"x[{cadre},{post}]@{k}")
            return
        coef = self.sign() * cfg.weight
        key_of = {pid: post_key(self.id)(p) for pid, p in inst.posts.items()}
        cache: dict[tuple, int] = {}

        def amount(cadre: str, post: str, k: int) -> int:  # once per (cadre, what the rule reads, wave)
            key = (cadre, key_of[post], k)
            v = cache.get(key)
            if v is None:
                v = cache[key] = self.pair_amount(inst, cfg, cadre, post, m.dates[k - 1])
            return v

        if self.new_only:
            for cadre, post, wave, var in m.arrivals():
                a = amount(cadre, post, wave)
                if a:
                    m.add_term(self.id, coef * a, var)
            return
        for cadre, post, _ in m.pairs():
            for k, _date in m.waves():
                a = amount(cadre, post, k)
                if a:
                    m.add_term(self.id, coef * a, m.holding(cadre, post, k))


class DepartureRule(Rule):
    """A rule decided by an incumbent leaving today's post (cadres marked `leaving` are exempt: they must go)."""

    def departure_amount(self, inst: "Instance", cfg: RuleConfig, cadre: str, on: dt.date) -> int:
        raise NotImplementedError  # pragma: no cover

    def departure_fields(self, inst: "Instance", cfg: RuleConfig, cadre: str, on: dt.date) -> dict[str, Any]:
        return {}

    def check(self, view: "PlanView", cfg: RuleConfig) -> list[Violation]:
        inst = view.inst
        out: list[Violation] = []
        for d in view.departures:
            if inst.cadres[d.cadre].leaving:
                continue
            on = inst.date_of_wave(d.wave)
            amount = self.departure_amount(inst, cfg, d.cadre, on)
            if amount:
                t = inst.township_of(d.post)
                out.append(
                    self.finding(
                        cfg,
                        amount,
                        townships=[t],
                        cadres=[d.cadre],
                        posts=[d.post] + ([d.to] if d.to else []),
                        wave=d.wave,
                        cadre=inst.name(d.cadre),
                        post=inst.post_label(d.post),
                        township=inst.township_label(t),
                        **self.departure_fields(inst, cfg, d.cadre, on),
                    )
                )
        return out

    def encode(self, m: Any, cfg: RuleConfig) -> None:
        """Per incumbent and wave: hard — no departure in a wave whose date breaks the rule; soft —
        ``weight × amount × dep[c, w]`` (with one wave, dep = 1 − stay)."""
        for cadre in m.incumbents():
            if m.inst.cadres[cadre].leaving:
                continue
            for k, date in m.waves():
                amount = self.departure_amount(m.inst, cfg, cadre, date)
                if not amount:
                    continue
                if cfg.hard:
                    m.forbid_departure(self.id, cadre, k)
                else:
                    m.add_term(self.id, self.sign() * cfg.weight * amount, m.departure(cadre, k))


# ------------------------------------------------------------------------------- shared count encodings


def encode_count_at_least(
    m: Any,
    rule: Rule,
    cfg: RuleConfig,
    posts: Iterable[str],
    ok: Any,
    num: int,
    need: int,
    den: int,
    ub: int,
    tag: str,
    wave: int | None = None,
) -> None:
    """``den × count ≥ num × members + need`` over `posts` (hard), or with a shortfall s ≥ 0 weighted in the
    objective: ``den × (count + s) ≥ …`` (soft) — count: the holders c with ``ok[index of c]`` (a mask from
    ``m.mask``), members: every holder. A share is ``num = share.numerator``, ``den = share.denominator``,
    ``need = 0``: the minimised shortfall is then ``ceil(share × members) − count`` when positive — the
    checker's amount exactly; a fixed minimum count is ``num = 0``, ``den = 1``, ``need = count``. The
    builder writes it from index arrays (`Builder.at_least`), no expression per placement."""
    if not cfg.hard and not num:  # a fixed minimum count may exceed the posts counted, and so the shortfall
        ub = max(ub, -(-need // den))
    slack = None if cfg.hard else (ub, rule.sign() * cfg.weight)
    m.at_least(rule.id, posts, ok, den, num, need, tag, wave, slack)
