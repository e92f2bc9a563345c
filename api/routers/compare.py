"""POST /v1/compare (two plans side by side), POST /v1/alternatives (K plans differing in principal posts) and
POST /v1/runner-ups (the runner-up of every principal post and its price).

Compare is plain Python (the checker, twice) and answers directly; alternatives and runner-ups solve, so they
run in the solver pool like recommend and are stored as jobs (kinds ``alternatives``, ``runner-ups``).
"""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Body
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from planner.domain.documents import Plan, Scenario
from planner.domain.errors import InputError
from planner.domain.load import load_plan

from ..deps import PlannerDep, PoolDep, SessionDep, SettingsDep, ViewerDep
from ..errors import ApiError, from_input_error
from ..examples import example
from ..messages import text
from ..schemas import error_responses
from ..solving import (
    per_candidate_options,
    Seed,
    TimeLimit,
    Workers,
    job_error,
    load,
    resolve_base,
    solve_options,
    start_job,
    wait_synchronously,
)
from ..store import canonical, check_scope, scenario_or_404, store_scenario

router = APIRouter(tags=["compare"])


class CompareRequest(BaseModel):
    """Two plans of one scenario (inline, or the id of a stored one)."""

    model_config = ConfigDict(extra="forbid")

    scenario: Scenario | None = None
    scenario_id: str | None = Field(default=None, max_length=64)
    plan_a: Plan
    plan_b: Plan


class AlternativesRequest(BaseModel):
    """A scenario (inline or stored) and how many materially different plans to find."""

    model_config = ConfigDict(extra="forbid")

    scenario: Scenario | None = None
    scenario_id: str | None = Field(default=None, max_length=64)
    k: int = Field(default=3, ge=1, le=10, description="how many plans, best first")
    min_diff: int = Field(default=2, ge=1, le=1000, description="principal posts in which any two plans differ")


class RunnerUpsRequest(BaseModel):
    """The base as for `POST /v1/recommend` (a solved job, or a scenario with an optional plan)."""

    model_config = ConfigDict(extra="forbid")

    base_job_id: str | None = Field(default=None, max_length=64)
    scenario: Scenario | None = None
    scenario_id: str | None = Field(default=None, max_length=64)
    base_plan: Plan | None = None
    method: str = Field(
        default="auto",
        pattern="^(auto|exact|local)$",
        description="exact (re-solve the county per post), local (the post's neighbourhood), auto",
    )


def _scenario_choice(body: Any, document: str) -> None:
    if (body.scenario is None) == (body.scenario_id is None):
        zh, en = text("api.scenario_choice")
        raise ApiError(
            422,
            "invalid_input",
            "api.invalid_input",
            document=document,
            n=1,
            problems=[{"location": "scenario", "loc": ["body", "scenario"], "message_zh": zh, "message_en": en}],
        )


@router.post(
    "/compare",
    summary="Two plans side by side",
    description="The posts whose holder differs, the structure-table (一乡一表) deltas and the objective by rule, "
    "from the checker's reports of both plans. A plan compared with itself gives empty lists and "
    "`same: true`. Role: viewer.",
    responses=error_responses(401, 403, 404, 413, 422),
    openapi_extra={"x-document": "compare request"},
)
def compare_route(
    body: Annotated[
        CompareRequest,
        Body(
            openapi_examples={
                "same": {
                    "summary": "a plan with itself",
                    "value": {"scenario": example("scenario"), "plan_a": example("plan"), "plan_b": example("plan")},
                }
            }
        ),
    ],
    caller: ViewerDep,
    session: SessionDep,
    settings: SettingsDep,
) -> JSONResponse:
    from planner.analysis.compare import compare

    _scenario_choice(body, "compare request")
    scenario_id = None
    if body.scenario is not None:
        doc, where, sha = body.scenario, ("scenario",), canonical(body.scenario)[1]
    else:
        assert body.scenario_id is not None  # _scenario_choice: exactly one of the two is given
        row = scenario_or_404(session, body.scenario_id, caller.principal)
        doc, where, sha, scenario_id = (
            Scenario.model_validate(json.loads(row.document)),
            ("scenario_id",),
            row.sha256,
            row.id,
        )
    inst = load(settings, doc, where, caller=caller)
    plans = []
    for name in ("plan_a", "plan_b"):
        try:
            plans.append(load_plan(getattr(body, name), inst))
        except InputError as exc:
            raise from_input_error(exc, (name,)) from None
    answer = compare(inst, *plans)
    caller.audit(
        "compare", scenario_id=scenario_id, scenario_sha256=sha, outcome="same" if answer["same"] else "differ"
    )
    return JSONResponse({**answer, "scenario_id": scenario_id})


@router.post(
    "/alternatives",
    summary="K good plans that differ in who leads the townships",
    description="Plan 1 is the optimum; each next plan is the best one differing from every earlier plan in at "
    "least `min_diff` principal posts (no-good cuts in CP-SAT). Each plan is audited by the checker, "
    "carries `reasons` on its moves and an `alternative` section (rank, objective gap to the best, the "
    "principal posts where it differs). `time_limit` is per plan. Role: planner.",
    responses=error_responses(401, 403, 404, 413, 422, 503),
    openapi_extra={"x-document": "alternatives request"},
)
def alternatives_route(
    body: Annotated[
        AlternativesRequest,
        Body(
            openapi_examples={
                "three": {
                    "summary": "three plans differing in at least two principal posts",
                    "value": {"scenario": example("scenario"), "k": 3, "min_diff": 2},
                }
            }
        ),
    ],
    caller: PlannerDep,
    session: SessionDep,
    pool: PoolDep,
    settings: SettingsDep,
    time_limit: TimeLimit = None,
    workers: Workers = None,
    seed: Seed = 0,
) -> JSONResponse:
    from planner.analysis.alternatives import alternatives
    from planner.analysis.reasons import annotate_reasons

    _scenario_choice(body, "alternatives request")
    options = solve_options(settings, time_limit, workers, seed, sync=True)
    if body.scenario is not None:
        check_scope(caller.principal, body.scenario, ("scenario",))
        row, where = store_scenario(session, body.scenario, caller.name), ("scenario",)
    else:
        assert body.scenario_id is not None  # _scenario_choice: exactly one of the two is given
        row, where = scenario_or_404(session, body.scenario_id, caller.principal), ("scenario_id",)
    inst = load(settings, Scenario.model_validate(json.loads(row.document)), where, caller=caller)
    k, min_diff = body.k, body.min_diff

    def work(control, progress):
        ans = alternatives(inst, k, min_diff=min_diff, options=options)
        for plan in ans["plans"]:
            annotate_reasons(inst, plan)
        return {
            **{key: v for key, v in ans.items() if key != "plans"},
            "plans": [p.model_dump(mode="json", by_alias=True) for p in ans["plans"]],
        }

    job, active = start_job(
        session, pool, caller, row, inst, options, kind="alternatives", work=work, params={"k": k, "min_diff": min_diff}
    )
    job = wait_synchronously(session, pool, settings, job, active, timeout=k * options.time_limit + 120.0)
    caller.audit("alternatives", scenario_id=row.id, scenario_sha256=row.sha256, job_id=job.id, outcome=job.state)
    if job.answer is None:
        raise job_error(settings, job)
    return JSONResponse({**job.answer, "job_id": job.id}, headers={"X-Job-Id": job.id, "X-Scenario-Id": row.id})


@router.post(
    "/runner-ups",
    summary="The runner-up of every principal post, and its price",
    description="For each principal post of the base plan: the best other cadre and the objective change of "
    "choosing them (the county re-optimised with the post given to someone else; `local` evaluates "
    "the post's neighbourhood only, an upper bound), with the rules that change or would break. The "
    "base is as for `POST /v1/recommend` (without a plan the scenario is solved first). `time_limit` "
    "is per post. Role: planner.",
    responses=error_responses(401, 403, 404, 409, 413, 422, 503),
    openapi_extra={"x-document": "runner-ups request"},
)
def runner_ups_route(
    body: Annotated[
        RunnerUpsRequest,
        Body(
            openapi_examples={
                "plan": {
                    "summary": "runner-ups against a given plan",
                    "value": {"scenario": example("scenario"), "base_plan": example("plan")},
                }
            }
        ),
    ],
    caller: PlannerDep,
    session: SessionDep,
    pool: PoolDep,
    settings: SettingsDep,
    time_limit: TimeLimit = None,
    workers: Workers = None,
    seed: Seed = 0,
) -> JSONResponse:
    from planner.analysis.reasons import runner_ups
    from planner.solver.solve import solve

    options = per_candidate_options(settings, time_limit, workers, seed)
    base = resolve_base(session, settings, caller, body, "runner-ups request")
    inst, plan, method = base.inst, base.plan, body.method

    def work(control, progress):
        ref = plan
        if ref is None:
            res = solve(inst, options)
            if not res.found:
                return {"method": method, "reference_objective": None, "posts": [], "status": res.status}
            ref = res.plan
        ans = runner_ups(
            inst, ref, method=method, time_limit=options.time_limit, workers=options.workers, seed=options.seed
        )
        return {**ans, "status": ref.status}

    job, active = start_job(
        session,
        pool,
        caller,
        base.row,
        inst,
        options,
        kind="runner-ups",
        work=work,
        params={**base.params, "method": method},
    )
    job = wait_synchronously(session, pool, settings, job, active, timeout=settings.max_recommend_wait_s)
    caller.audit(
        "runner-ups", scenario_id=base.row.id, scenario_sha256=base.row.sha256, job_id=job.id, outcome=job.state
    )
    if job.answer is None:
        raise job_error(settings, job)
    return JSONResponse({**job.answer, "job_id": job.id}, headers={"X-Job-Id": job.id, "X-Scenario-Id": base.row.id})
