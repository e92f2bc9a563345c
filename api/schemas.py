"""Request and response models of the service that are not exchange documents.

The exchange documents themselves (scenario, plan, delta) are planner's own models
(:mod:`planner.domain.documents`); the routes take and return them as they are.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from planner.audit.check import RuleSummary
from planner.domain.documents import Delta, Plan, Scenario, TownshipRow, Violation

from .security import county_problem

JobState = Literal["queued", "running", "done", "cancelled", "failed", "interrupted"]
Role = Literal["viewer", "planner", "admin"]


class ProblemOut(BaseModel):
    location: str = Field(description="where: `cadres[3] C0004 › birth_date`, `query › time_limit`")
    loc: list[str | int] = Field(default_factory=list, description="the same place as a path of keys")
    message_zh: str
    message_en: str


class ErrorOut(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "error": "invalid_input",
                    "message_zh": "输入有误，共1处问题",
                    "message_en": "invalid input: 1 problem(s)",
                    "document": "scenario",
                    "problems": [
                        {
                            "location": "cadres[3] C0004 › birth_date",
                            "loc": ["body", "cadres", 3, "birth_date"],
                            "message_zh": "类型或取值无效：not a calendar date: '1990-02-30'",
                            "message_en": "invalid type or value: not a calendar date: '1990-02-30'",
                        }
                    ],
                }
            ]
        }
    )

    error: str = Field(description="a stable code: invalid_input, unauthenticated, forbidden, not_found, busy, …")
    message_zh: str
    message_en: str
    document: str | None = Field(default=None, description="which document had problems (422)")
    problems: list[ProblemOut] | None = Field(default=None, description="every problem found (422)")


class HealthOut(BaseModel):
    status: Literal["ok", "degraded"] = Field(description="degraded (and HTTP 503) when the database is not ok")
    version: str
    database: Literal["ok", "busy", "unavailable"] = Field(
        description="what a query of the service's tables and a write-lock probe found just now"
    )
    running: int
    queued: int
    capacity: int = Field(description="solves that may run or wait at once")


class Progress(BaseModel):
    objective: int | None = None
    bound: int | None = None
    wall_time_s: float | None = None
    solutions: int | None = None


class JobOut(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": "3471874b62a84911b0bddccf7a964598",
                    "kind": "job",
                    "state": "running",
                    "scenario_id": "ffe6e8dfb1bc4a21872595a98d66bc09",
                    "scenario_sha256": "d2069087667a419618686de3e6b24a9832f692548ac6e916853386c485b3d619",
                    "time_limit_s": 60.0,
                    "workers": 8,
                    "seed": 0,
                    "submitted_by": "hr-system",
                    "created_at": "2026-11-21T06:25:58.986445Z",
                    "started_at": "2026-11-21T06:25:58.987734Z",
                    "finished_at": None,
                    "progress": {"objective": -150, "bound": -260, "wall_time_s": 4.2, "solutions": 3},
                    "result_status": None,
                    "objective": None,
                    "bound": None,
                    "has_plan": False,
                    "error": None,
                    "resubmitted_from": None,
                    "resubmitted_as": None,
                    "links": {
                        "self": "/v1/jobs/3471874b62a84911b0bddccf7a964598",
                        "scenario": "/v1/scenarios/ffe6e8dfb1bc4a21872595a98d66bc09",
                    },
                }
            ]
        }
    )

    id: str
    kind: Literal["job", "sync", "whatif", "recommend", "alternatives", "runner-ups", "sweep"]
    state: JobState = Field(
        description="queued → running → done | cancelled | failed; interrupted when the server stopped first"
    )
    scenario_id: str
    scenario_sha256: str
    time_limit_s: float
    workers: int
    seed: int
    submitted_by: str | None
    created_at: dt.datetime
    started_at: dt.datetime | None
    finished_at: dt.datetime | None
    progress: Progress = Field(description="best objective and bound found so far (updated while running)")
    result_status: Literal["optimal", "feasible", "infeasible", "unknown"] | None = Field(
        default=None, description="the plan's status once the job has a plan"
    )
    objective: int | None
    bound: int | None
    has_plan: bool
    error: ProblemOut | None = None
    resubmitted_from: str | None
    resubmitted_as: str | None
    links: dict[str, str]


class JobList(BaseModel):
    jobs: list[JobOut]


class ScenarioOut(BaseModel):
    id: str
    sha256: str
    county: str
    as_of: str
    townships: int
    posts: int
    cadres: int
    created_at: dt.datetime
    created_by: str | None


class ScenarioList(BaseModel):
    scenarios: list[ScenarioOut]


class CheckRequest(BaseModel):
    """A plan to audit, with its scenario given inline or by the id of a stored scenario."""

    model_config = ConfigDict(extra="forbid")

    scenario: Scenario | None = None
    scenario_id: str | None = Field(default=None, max_length=64)
    plan: Plan


class CheckReportOut(BaseModel):
    ok: bool = Field(description="no hard rule is broken")
    verdict_zh: str
    verdict_en: str
    hard_violations: int
    objective: int = Field(description="soft penalties minus bonuses, as the solver counts them")
    breakdown: dict[str, int]
    rules: list[RuleSummary]  # the checker's own per-rule summary
    violations: list[Violation]
    bonuses: list[Violation]
    townships: list[TownshipRow]
    totals: TownshipRow
    scenario_id: str | None = None


class KeyCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=100, description="who uses the key, e.g. hr-system")
    role: Role
    counties: list[Annotated[str, Field(min_length=1, max_length=64)]] | None = Field(
        default=None,
        max_length=500,
        description="the county ids the key is scoped to (it sees and acts on their scenarios, jobs and plans "
        "only); omitted or null: the creating key's own scope (every county for a global admin)",
    )

    @field_validator("name")
    @classmethod
    def _visible_name(cls, value: str) -> str:
        value = value.strip()
        if not value or not value.isprintable():
            raise ValueError("a key name needs 1 to 100 visible characters (no control or invisible ones)")
        return value

    @field_validator("counties")
    @classmethod
    def _county_ids(cls, value: list[str] | None) -> list[str] | None:
        for county in value or ():
            why = county_problem(county)
            if why:
                raise ValueError(why)
        return value


class KeyOut(BaseModel):
    id: str
    name: str
    role: Role
    created_at: dt.datetime
    created_by: str | None
    last_used_at: dt.datetime | None
    revoked_at: dt.datetime | None
    counties: list[str] | None = Field(default=None, description="the key's counties; null: a global key")


class KeyCreated(KeyOut):
    key: str = Field(description="the full key; shown once, stored only hashed")


class KeyList(BaseModel):
    keys: list[KeyOut]


class AuditOut(BaseModel):
    id: int
    at: dt.datetime
    key_id: str | None
    key_name: str | None
    role: str | None
    action: str
    scenario_id: str | None
    scenario_sha256: str | None
    job_id: str | None
    scope: str | None = Field(default=None, description="the acting key's scope: * (global) or its county ids")
    county: str | None = Field(default=None, description="the county of the scenario acted on")
    outcome: str | None
    request_id: str | None


class AuditList(BaseModel):
    entries: list[AuditOut]


def error_responses(*codes: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses=` for the error answers a route can give."""
    words = {
        401: "no API key, or an unknown or revoked one",
        403: "the key's role may not do this",
        404: "no such resource",
        409: "the resource is in the wrong state for this",
        413: "request body too large",
        422: "invalid input: every problem, located",
        503: "solver capacity full or shutting down; see Retry-After",
    }
    return {code: {"model": ErrorOut, "description": words[code]} for code in codes}


class WhatIfRequest(BaseModel):
    """A what-if: the base (a solved job, or a scenario with an optional base plan) and the delta.

    Give exactly one of ``base_job_id`` (its scenario and plan are the base), ``scenario`` or ``scenario_id``;
    ``base_plan`` only with the latter two (without it the base scenario is solved first, within the budget).
    """

    model_config = ConfigDict(extra="forbid")

    base_job_id: str | None = Field(default=None, max_length=64)
    scenario: Scenario | None = None
    scenario_id: str | None = Field(default=None, max_length=64)
    base_plan: Plan | None = None
    delta: Delta


class RecommendRequest(BaseModel):
    """Who should take `post`? The base as for a what-if (a solved job, or a scenario with an optional plan)."""

    model_config = ConfigDict(extra="forbid")

    base_job_id: str | None = Field(default=None, max_length=64)
    scenario: Scenario | None = None
    scenario_id: str | None = Field(default=None, max_length=64)
    base_plan: Plan | None = None
    post: str = Field(min_length=1, max_length=64, description="the post to fill, e.g. T01-SEC")
    top: int = Field(default=5, ge=1, le=50, description="how many candidates to show, best first")


class RecommendationOut(BaseModel):
    """planner.recommend's answer: each shown candidate with the exact consequence of choosing them."""

    post: str
    reference: dict[str, Any] = Field(description="the plan candidates are compared with: the base, or the optimum")
    evaluated: int
    feasible: int
    candidates: list[dict[str, Any]] = Field(
        description="best first: cadre, status, objective, objective_delta, "
        "changes, other_changes, violations added and removed"
    )
    wall_time_s: float
    job_id: str
