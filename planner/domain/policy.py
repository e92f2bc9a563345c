"""The policy contract (RULES.md "Parameter names"; FORMAT.md `policy`): every rule's id, default mode and weight,
thresholds with their defaults — and the resolution of a scenario's `policy` over them, every bad entry located.

This is domain data, not behaviour: the rule modules (planner.rules) implement each rule's check and encoding and
take their defaults from :data:`CATALOGUE`; the loader resolves a scenario's policy here, so neither imports the
other. Each default weight carries its reason (the objective is penalties − bonuses, all integers).
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError

from planner.domain.errors import Problem
from planner.domain.timeutil import exact
from planner.domain.vocab import Grade, ReserveTier, Role
from planner.i18n import message


def _share(value: Any) -> Fraction:
    if isinstance(value, bool):
        raise ValueError("a share is a number in [0, 1] or a fraction string like '2/3'")
    if isinstance(value, str):
        try:
            frac = Fraction(value.strip())
        except (ValueError, ZeroDivisionError):
            raise ValueError(f"not a share: {value!r}") from None
    elif isinstance(value, (int, float, Fraction)):
        frac = exact(value)
    else:
        raise ValueError("a share is a number in [0, 1] or a fraction string like '2/3'")
    if not 0 <= frac <= 1:
        raise ValueError(f"a share must lie in [0, 1], got {value!r}")
    return frac


def _years(value: Any) -> Fraction:
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise ValueError("expected a number of years")
    frac = exact(value) if not isinstance(value, str) else Fraction(value)
    if frac < 0:
        raise ValueError("years cannot be negative")
    return frac


Share = Annotated[Fraction, BeforeValidator(_share)]
YearsParam = Annotated[Fraction, BeforeValidator(_years)]


class Params(BaseModel):
    """A rule's thresholds. Subclasses declare fields with the catalogue's defaults."""

    # strict: a policy is user input; "30" or true for an age is ill-typed, not coerced (FORMAT.md)
    model_config = ConfigDict(extra="forbid", arbitrary_types_allowed=True, frozen=True, strict=True)


@dataclass(frozen=True)
class RuleConfig:
    mode: str  # hard | soft | off
    weight: int
    params: Params

    @property
    def on(self) -> bool:
        return self.mode != "off"

    @property
    def hard(self) -> bool:
        return self.mode == "hard"

    @property
    def soft(self) -> bool:
        return self.mode == "soft"


# ------------------------------------------------------------------------------------ thresholds


class YoungPrincipalsParams(Params):
    max_age: int = 35
    min_share: Share = Fraction(15, 100)


class YoungMembersParams(Params):
    max_age: int = 35
    min_share: Share = Fraction(30, 100)


class Under30Params(Params):
    max_age: int = 30
    min_count: int = 1


class PrincipalQualificationParams(Params):
    min_leadership_years: YearsParam = Fraction(2)
    min_work_years: YearsParam = Fraction(3)


class TeamExperienceParams(Params):
    min_years: YearsParam = Fraction(2)
    min_share: Share = Fraction(2, 3)


class LaggingTownshipParams(Params):
    min_work_years: YearsParam = Fraction(5)


class RankLadderParams(Params):
    promotable_tiers: list[ReserveTier] = Field(default_factory=lambda: list[ReserveTier](["ready_now", "step_up"]))
    min_years_in_rank_to_chief: YearsParam = Fraction(2)
    min_years_in_rank_to_deputy: YearsParam = Fraction(0)


class PromotionGatesParams(Params):
    blocking_grades: list[Grade] = Field(default_factory=lambda: list[Grade](["basically_competent", "incompetent"]))


class WomenParams(Params):
    min_count: int = 1


class ShareParams(Params):
    min_share: Share | None = None


class MinTenureParams(Params):
    min_years: YearsParam = Fraction(3)


class FullTermParams(Params):
    min_years: YearsParam = Fraction(5)


class SeamlessParams(Params):
    roles: list[Role] = Field(default_factory=lambda: list[Role](["party_secretary"]))


@dataclass(frozen=True)
class RuleSpec:
    """One line of the catalogue: what a scenario's policy may say about a rule, and what holds when it says nothing."""

    id: str
    mode: str  # default mode: hard | soft | off
    weight: int  # default weight (per unit of violation or of bonus)
    params: type[Params] = Params
    locked: bool = False  # "hard, always": the policy cannot soften it
    requires: tuple[str, ...] = ()  # params a user must set when turning the rule on
    reason: str = ""  # why this default weight

    def default(self) -> RuleConfig:
        return RuleConfig(mode=self.mode, weight=self.weight, params=self.params())


_HARD = 1000  # the weight a hard rule turned soft starts with: as dear as a vacancy

#: The catalogue, in RULES.md order.
CATALOGUE: dict[str, RuleSpec] = {
    s.id: s
    for s in [
        RuleSpec("one-post", "hard", _HARD, locked=True),
        RuleSpec("principal-filled", "hard", _HARD),
        RuleSpec(
            "post-filled",
            "soft",
            1000,
            reason="a vacancy is the dearest soft finding: every post should be filled "
            "unless a hard rule forbids every candidate",
        ),
        RuleSpec("pin", "hard", _HARD, locked=True),  # the user's own decisions: a pinned placement is kept
        RuleSpec("forbid", "hard", _HARD, locked=True),  # ... and a forbidden one is never made
        RuleSpec("leaving", "hard", _HARD, locked=True),
        RuleSpec("rank-ladder", "hard", _HARD, RankLadderParams),
        RuleSpec("promotion-gates", "hard", _HARD, PromotionGatesParams),
        RuleSpec("principal-qualification", "hard", _HARD, PrincipalQualificationParams),
        RuleSpec("team-experience", "hard", _HARD, TeamExperienceParams),
        RuleSpec("young-principals", "hard", _HARD, YoungPrincipalsParams),
        RuleSpec("young-members", "hard", _HARD, YoungMembersParams),
        RuleSpec(
            "young-members-team",
            "soft",
            50,
            YoungMembersParams,
            reason="per missing young member of one team: below a move (stability) so nobody is moved only for it",
        ),
        RuleSpec("under-30", "hard", _HARD, Under30Params),
        RuleSpec("principal-change", "hard", _HARD),
        RuleSpec("min-tenure", "hard", _HARD, MinTenureParams),
        RuleSpec(
            "full-term",
            "soft",
            100,
            FullTermParams,
            reason="moving a principal before the five-year term ends is as dear as any other displacement",
        ),
        RuleSpec("seamless-handover", "hard", _HARD, SeamlessParams),
        RuleSpec(
            "principal-source",
            "soft",
            200,
            reason="a new principal from outside every team (优先从乡镇人大主席和乡镇"
            "副职干部中产生): dearer than promoting an eligible deputy (frequent-moves 50) and back-filling the "
            "deputy's post from the pool (0) by a margin that absorbs a lost young member (50) or a fit bonus, yet "
            "below a lateral principal shuffle (stability 150 + frequent-moves 50 + hidden-steps 60)",
        ),
        RuleSpec(
            "talent-priority",
            "soft",
            20,
            reason="bonus: an excellent full-time master's / 双一流 graduate promoted; "
            "it picks whom to promote — with excellence and fit (≤ 20 + 20 + 3 × 3 = 49) it stays below "
            "frequent-moves (50), so no promotion is made for its bonuses alone",
        ),
        RuleSpec(
            "excellence",
            "soft",
            20,
            reason="bonus: three consecutive 优秀 years, promoted; like talent-priority, a "
            "choice among the promotions the vacancies need, never a reason for one more",
        ),
        RuleSpec(
            "stability",
            "soft",
            150,
            reason="per incumbent who leaves other than by a step up (a lateral transfer, "
            "a release): with frequent-moves a lateral shuffle costs 200, four times a promotion — dearer than "
            "any bonus and than principal-source, so nobody is shuffled to make room",
        ),
        RuleSpec(
            "hidden-steps",
            "soft",
            60,
            reason="a lateral principal move between townships (隐形台阶), on top of the shuffle's own 200",
        ),
        RuleSpec(
            "fit",
            "soft",
            3,
            reason="bonus per specialty matching a township need: a tie-breaker, never a reason to move",
        ),
        RuleSpec(
            "lagging-township",
            "soft",
            200,
            LaggingTownshipParams,
            reason="a lagging township's principals without five years of township work",
        ),
        RuleSpec("origin-avoidance", "hard", _HARD),
        RuleSpec("kinship-avoidance", "hard", _HARD),
        RuleSpec("party-posts", "hard", _HARD),
        RuleSpec("ethnic-head", "hard", _HARD),
        RuleSpec(
            "women",
            "soft",
            300,
            WomenParams,
            reason="per team without a woman: dearer than a move, cheaper than a vacancy",
        ),
        RuleSpec("minority-share", "off", 200, ShareParams, requires=("min_share",)),
        RuleSpec("non-cpc-share", "off", 200, ShareParams, requires=("min_share",)),
        RuleSpec(
            "frequent-moves",
            "soft",
            50,
            reason="per incumbent who leaves today's post, a promotion included (调动"
            "频繁…工作断档、人员掉链): promotions are cheap but not free, so a vacancy chain is as long as the "
            "vacancies need and no longer — above the bonuses one promotion earns, a quarter of principal-source",
        ),
    ]
}


def resolve_policy(overrides: dict[str, Any]) -> tuple[dict[str, RuleConfig], list[Problem]]:
    """Merge a scenario's `policy` over the catalogue defaults; report every bad entry with its location."""
    problems: list[Problem] = []

    def bad(location: str, key: str, **fields: Any) -> None:
        zh, en = message(key, **fields)
        problems.append(Problem(location, en, zh))

    out: dict[str, RuleConfig] = {}
    for rid, rule in CATALOGUE.items():
        raw = overrides.get(rid)
        if raw is None:
            out[rid] = rule.default()
            continue
        where = f"policy › {rid}"
        if not isinstance(raw, dict):
            bad(where, "input.policy_value", rule=rid, param="(override)", detail="expected an object")
            out[rid] = rule.default()
            continue
        mode = raw.get("mode", rule.mode)
        weight = raw.get("weight", rule.weight)
        if mode not in ("hard", "soft", "off"):
            bad(f"{where} › mode", "input.policy_value", rule=rid, param="mode", detail="expected hard, soft or off")
            mode = rule.mode
        if rule.locked and mode != "hard":
            bad(f"{where} › mode", "input.policy_locked", rule=rid)
            mode = "hard"
        if isinstance(weight, bool) or not isinstance(weight, int) or not 0 <= weight <= 1_000_000:
            bad(
                f"{where} › weight",
                "input.policy_value",
                rule=rid,
                param="weight",
                detail="expected an integer from 0 to 1000000",
            )
            weight = rule.weight
        given = {k: v for k, v in raw.items() if k not in ("mode", "weight")}
        fields = rule.params.model_fields
        for k in given:
            if k not in fields:
                bad(f"{where} › {k}", "input.policy_param", rule=rid, param=k)
        try:
            params = rule.params(**{k: v for k, v in given.items() if k in fields})
        except ValidationError as exc:
            for err in exc.errors(include_url=False):
                param = ".".join(str(x) for x in err["loc"])
                bad(f"{where} › {param}", "input.policy_value", rule=rid, param=param, detail=err["msg"])
            params = rule.params()
        if mode != "off":
            for req in rule.requires:
                if getattr(params, req) is None:
                    bad(f"{where} › {req}", "input.policy_needs", rule=rid, param=req)
                    mode = "off"
        out[rid] = RuleConfig(mode=mode, weight=weight, params=params)
    for rid in overrides:
        if rid not in CATALOGUE:
            bad(f"policy › {rid}", "input.policy_rule", rule=rid)
    return out, problems
