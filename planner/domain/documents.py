"""pydantic v2 models of the exchange documents (shared/spec/FORMAT.md): scenario, plan, delta.

These models validate *shape and type* (strict: no silent coercion of "yes" to True or 1700000000 to a
date; unknown fields rejected). Cross-record checks (references, duplicates, holders) live in
:mod:`planner.domain.load`, which collects every problem with its location.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from planner.domain.vocab import (
    DEFAULT_POST_RANK,
    CadreRank,
    Education,
    Gender,
    Grade,
    MoveKind,
    PlanStatus,
    RANK_LEVEL,
    PostRank,
    ReserveTier,
    Role,
    TownshipKind,
    TownshipSize,
)

_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _iso_date(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        raise ValueError("expected a date YYYY-MM-DD, got a date-time")
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        if not _ISO.match(value):
            raise ValueError(f"expected a date YYYY-MM-DD, got {value!r}")
        try:
            return dt.date.fromisoformat(value)
        except ValueError as exc:
            raise ValueError(f"not a calendar date: {value!r}") from exc
    raise ValueError(f"expected a date string YYYY-MM-DD, got {type(value).__name__}")


IsoDate = Annotated[dt.date, BeforeValidator(_iso_date)]
Id = Annotated[str, Field(min_length=1, max_length=64)]
Years = Annotated[float, Field(ge=0, le=60)]


class Doc(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=False)


# --------------------------------------------------------------------------------------------- scenario


class County(Doc):
    id: Id
    name: str


class Township(Doc):
    id: Id
    name: str
    kind: TownshipKind = "township"
    size: TownshipSize = "medium"
    lagging: bool = False
    ethnic_groups: list[str] = Field(default_factory=list)
    needs: list[str] = Field(default_factory=list)


class Post(Doc):
    id: Id
    township: Id
    role: Role
    rank: PostRank | None = None

    @model_validator(mode="after")
    def _default_rank(self) -> "Post":
        if self.rank is None:
            self.rank = DEFAULT_POST_RANK[self.role]
        return self

    @property
    def level(self) -> int:
        """The rank's level (planner.domain.vocab.RANK_LEVEL); validation fills a rank the document omits."""
        assert self.rank is not None, "a validated post has a rank (from its role when not given)"
        return RANK_LEVEL[self.rank]


class Cadre(Doc):
    id: Id
    name: str
    gender: Gender
    birth_date: IsoDate
    ethnicity: str = "汉族"
    cpc_member: bool
    education: Education
    fulltime_master: bool = False
    double_first_class: bool = False
    rank: CadreRank
    rank_since: IsoDate
    township_work_years: Years
    township_leadership_years: Years = 0.0
    current_post: Id | None = None
    post_since: IsoDate | None = None
    current_unit: str | None = None
    origin_township: Id | None = None
    reserve_tier: ReserveTier | None = None
    assessments: dict[str, Grade] = Field(default_factory=dict)
    specialties: list[str] = Field(default_factory=list)
    sanction_until: IsoDate | None = None
    leaving: bool = False
    relatives: list[Id] = Field(default_factory=list)


class Placement(Doc):
    """A (cadre, post) pair: used by pins, unpins and forbids."""

    cadre: Id
    post: Id


class Scenario(Doc):
    format: Literal["reshuffle-scenario/1"]
    county: County
    as_of: IsoDate
    townships: list[Township]
    posts: list[Post]
    cadres: list[Cadre]
    policy: dict[str, dict[str, Any]] = Field(default_factory=dict)
    pins: list[Placement] = Field(default_factory=list)
    forbids: list[Placement] = Field(default_factory=list)
    approvals: list[Id] = Field(default_factory=list)
    waves: Annotated[int, Field(ge=1, le=8)] | list[IsoDate] = 1


# ------------------------------------------------------------------------------------------------- plan


class Assignment(Doc):
    post: Id
    cadre: Id | None
    wave: Annotated[int, Field(ge=0, le=8)] = 1


class Reason(Doc):
    """Why this cadre (FORMAT.md `moves[].reasons`): the rule it serves (None: a plain fact), in both languages."""

    rule: str | None = None
    message_zh: str
    message_en: str


class Move(Doc):
    cadre: Id
    from_: Id | None = Field(default=None, alias="from")
    to: Id | None = None
    kind: MoveKind
    wave: Annotated[int, Field(ge=1, le=8)] = 1
    #: why this cadre (planner.analysis.reasons); None when not computed
    reasons: list[Reason] | None = None

    model_config = ConfigDict(extra="forbid", strict=True, populate_by_name=True)


class Violation(Doc):
    rule: str
    hard: bool
    amount: int
    townships: list[str] = Field(default_factory=list)
    cadres: list[str] = Field(default_factory=list)
    posts: list[str] = Field(default_factory=list)
    message_zh: str = ""
    message_en: str = ""
    wave: int | None = None
    #: objective contribution (weight × amount; negative for a bonus). Planner addition.
    cost: int = 0


class TownshipRow(Doc):
    township: str
    members: int
    aged_35_or_less: int
    aged_30_or_less: int
    women: int
    experienced_2y: int
    cpc: int
    minority: int
    postgraduate_or_bachelor: int
    name: str | None = None
    wave: int | None = None


#: the figures of a structure-table row (一乡一表), in the table's order
STRUCTURE_FIGURES: tuple[str, ...] = (
    "members",
    "aged_35_or_less",
    "aged_30_or_less",
    "women",
    "experienced_2y",
    "cpc",
    "minority",
    "postgraduate_or_bachelor",
)


class Plan(Doc):
    """A plan document. Drafted by hand it needs only `format` and `assignments` (FORMAT.md): posts not listed
    keep today's holder; `county` and `as_of` are then taken from the scenario (:func:`planner.domain.load.
    load_plan`), and a missing `status` (None) means a draft that claims none."""

    format: Literal["reshuffle-plan/1"]
    county: str | None = None
    as_of: IsoDate | None = None
    status: PlanStatus | None = None
    objective: int | None = None
    bound: int | None = None
    gap: float | None = None
    wall_time_s: float | None = None
    assignments: list[Assignment]
    moves: list[Move] = Field(default_factory=list)
    chains: list[list[str]] = Field(default_factory=list)
    violations: list[Violation] = Field(default_factory=list)
    townships: list[TownshipRow] = Field(default_factory=list)
    explanation: Any = None
    # planner additions (FORMAT.md: "the planner may add fields")
    bonuses: list[Violation] = Field(default_factory=list)
    totals: TownshipRow | None = None
    breakdown: dict[str, int] = Field(default_factory=dict)
    solver: dict[str, Any] = Field(default_factory=dict)
    timeline: list[dict[str, Any]] = Field(default_factory=list)
    diff: dict[str, Any] | None = None
    #: what the command's time limit cut short (planner addition): "explanation" (why there is no plan: not
    #: looked for, or not finished), "relaxations" (the relaxation advice: not tried, or not all of it)
    cut_short: list[Literal["explanation", "relaxations"]] = Field(default_factory=list)
    #: per principal post: the best other cadre and the price of choosing them (planner.analysis.reasons)
    runner_up: list[dict[str, Any]] | None = None
    #: for one of several alternative plans: its rank, gap to the best, what distinguishes it
    alternative: dict[str, Any] | None = None


# ------------------------------------------------------------------------------------------------ delta


class Delta(Doc):
    format: Literal["reshuffle-delta/1"]
    pins: list[Placement] = Field(default_factory=list)
    unpins: list[Placement] = Field(default_factory=list)
    forbids: list[Placement] = Field(default_factory=list)
    leaving: list[Id] = Field(default_factory=list)
    remove_cadres: list[Id] = Field(default_factory=list)
    add_cadres: list[Cadre] = Field(default_factory=list)
    approvals: list[Id] = Field(default_factory=list)
    policy: dict[str, dict[str, Any]] = Field(default_factory=dict)
    waves: Annotated[int, Field(ge=1, le=8)] | list[IsoDate] | None = None


def reasons_text(move: "Move | dict", lang: str = "zh") -> str:
    """A move's reasons as one line (the 拟任理由 of the 调整名单): ``"zh"`` joins with "；", ``"en"`` with "; "."""
    reasons = move.get("reasons") if isinstance(move, dict) else move.reasons
    key = "message_zh" if lang == "zh" else "message_en"
    texts = [(r.get(key) if isinstance(r, dict) else getattr(r, key)) for r in reasons or []]
    return ("；" if lang == "zh" else "; ").join(t for t in texts if t)
