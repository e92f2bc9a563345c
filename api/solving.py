"""What the solve and job routes share: limits, validation, starting a job."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Query, Response
from sqlalchemy.orm import Session

from planner.domain.documents import Plan, Scenario
from planner.domain.load import Instance, load_plan, load_scenario
from planner.domain.errors import InputError
from planner.solver.options import SolveOptions

from .db import JobRow, PlanRow, ScenarioRow, utcnow
from .deps import Caller
from .errors import ApiError, from_input_error, invalid
from .messages import text
from .pool import Active, SolvePool, Work, solve_work
from .settings import Settings
from .store import check_scope, job_or_404, scenario_or_404, store_scenario
from .validation import id_problems, policy_problems

TimeLimit = Annotated[
    float | None,
    Query(gt=0, description="solver time limit in seconds (capped by the server's ceiling; default from the settings)"),
]
Workers = Annotated[int | None, Query(ge=1, le=64, description="CP-SAT worker threads for this solve")]
Seed = Annotated[int, Query(ge=0, le=2**31 - 1, description="CP-SAT random seed")]


def problem(location: str, key: str, **fields) -> dict:
    zh, en = text(key, **fields)
    return {"location": location, "loc": location.split(" › "), "message_zh": zh, "message_en": en}


def per_candidate_options(settings: Settings, time_limit: float | None, workers: int | None, seed: int) -> SolveOptions:
    """Options of a search that re-solves once per candidate (recommend, runner-ups): `time_limit` is per
    candidate, bounded by the recommendation ceiling and defaulting to its default."""
    if time_limit is not None and time_limit > settings.max_recommend_time_limit_s:
        raise invalid(
            "request",
            [problem("query › time_limit", "api.time_limit", limit=f"{settings.max_recommend_time_limit_s:g}")],
        )
    return solve_options(settings, time_limit or settings.default_recommend_time_limit_s, workers, seed, sync=False)


def solve_options(
    settings: Settings, time_limit: float | None, workers: int | None, seed: int, *, sync: bool
) -> SolveOptions:
    ceiling = settings.max_sync_time_limit_s if sync else settings.max_time_limit_s
    default = settings.default_sync_time_limit_s if sync else settings.default_time_limit_s
    problems = []
    if time_limit is not None and time_limit > ceiling:
        problems.append(problem("query › time_limit", "api.time_limit", limit=f"{ceiling:g}"))
    if workers is not None and workers > settings.max_solver_workers:
        problems.append(problem("query › workers", "api.workers", limit=settings.max_solver_workers))
    if problems:
        raise invalid("request", problems)
    return SolveOptions(
        time_limit=float(time_limit if time_limit is not None else min(default, ceiling)),
        workers=int(workers or settings.solver_workers),
        seed=int(seed),
    )


def size_problems(settings: Settings, doc: Scenario, where: tuple[str, ...] = ()) -> list[dict]:
    problems = []
    for what, n, limit in (
        ("cadre", len(doc.cadres), settings.max_cadres),
        ("post", len(doc.posts), settings.max_posts),
    ):
        if n > limit:
            location = " › ".join([*where, f"{what}s"])
            problems.append(problem(location, "api.too_many", what=what, n=n, limit=limit))
    return problems


def check_size(settings: Settings, doc: Scenario, where: tuple[str, ...] = ()) -> None:
    problems = size_problems(settings, doc, where)
    if problems:
        raise ApiError(
            422, "invalid_input", "api.invalid_input", problems=problems, document="scenario", n=len(problems)
        )


def load(settings: Settings, doc: Scenario, where: tuple[str, ...] = (), *, caller: Caller) -> Instance:
    """The resolved scenario, or a 422 listing every problem, located: the API's own checks (sizes, and the
    ids and policy numbers of api.validation) and the library's together. A scenario of a county outside the
    caller's scope is refused first (403)."""
    check_scope(caller.principal, doc, where)
    size = size_problems(settings, doc, where)
    problems = [*size, *id_problems(doc, where), *policy_problems(doc.policy, where)]
    if size:  # too large to be worth resolving
        raise invalid("scenario", problems)
    try:
        inst = load_scenario(doc)
    except InputError as exc:
        raise invalid("scenario", [*problems, *(from_input_error(exc, where).problems or [])]) from None
    if problems:
        raise invalid("scenario", problems)
    return inst


def start_job(
    session: Session,
    pool: SolvePool,
    caller: Caller,
    scenario: ScenarioRow,
    inst: Instance,
    options: SolveOptions,
    *,
    kind: str,
    resubmitted_from: str | None = None,
    work: Work | None = None,
    params: dict | None = None,
) -> tuple[JobRow, Active]:
    """Store a queued job and hand it to the pool (503 when the pool is full; nothing stored then).

    The work is a plain solve of `inst` unless `work` says otherwise (a what-if)."""
    pool.check_capacity()
    job = JobRow(
        kind=kind,
        scenario_id=scenario.id,
        state="queued",
        time_limit_s=options.time_limit,
        workers=options.workers,
        seed=options.seed,
        submitted_by=caller.name,
        created_at=utcnow(),
        resubmitted_from=resubmitted_from,
        params=params,
    )
    session.add(job)
    session.commit()
    try:
        active = pool.submit(job.id, work or solve_work(inst, options), options, explain_inst=inst, kind=kind)
    except ApiError:
        session.delete(job)
        session.commit()
        raise
    return job, active


#: time allowed a synchronous request beyond its solver limit, for building the model and writing the plan
BUILD_ALLOWANCE_S = 120.0


def wait_synchronously(
    session: Session, pool: SolvePool, settings: Settings, job: JobRow, active: Active, timeout: float | None = None
) -> JobRow:
    """Wait for a job a request is holding (by default its time limit plus the build allowance, then it is
    cancelled); the job as stored once it finished."""
    if not pool.wait(job.id, timeout if timeout is not None else job.time_limit_s + BUILD_ALLOWANCE_S):
        pool.cancel(job.id)
        pool.wait(job.id, settings.cancel_wait_s)
    if active.input_error is not None:
        raise from_input_error(active.input_error)
    session.expire_all()
    return session.get_one(JobRow, job.id)  # a job the pool held is never deleted


def plan_response(session: Session, settings: Settings, job: JobRow, headers: dict[str, str]) -> Response:
    """The stored plan document of a finished synchronous job, or the error that stopped it."""
    if job.plan_id is None:
        raise job_error(settings, job)
    plan = session.get_one(PlanRow, job.plan_id)  # plans are never deleted
    return Response(
        plan.document,
        media_type="application/json",
        headers={"X-Job-Id": job.id, "Location": f"/v1/jobs/{job.id}/plan", **headers},
    )


def job_error(settings: Settings, job: JobRow) -> ApiError:
    """Why a synchronous job has no answer: the server is stopping (503), or an internal error (500)."""
    if job.state == "interrupted":
        return ApiError(503, "shutting_down", "api.shutting_down", headers={"Retry-After": str(settings.retry_after_s)})
    return ApiError(500, "internal_error", "api.job.internal")


# ------------------------------------------------------------------------------- a base to reason from


@dataclass
class Base:
    """What a what-if or a recommendation starts from: a stored scenario, resolved, and maybe a plan."""

    row: ScenarioRow
    inst: Instance
    plan: Plan | None
    params: dict[str, Any]


def resolve_base(session: Session, settings: Settings, caller: Caller, body: Any, document: str) -> Base:
    """`body` gives exactly one of ``base_job_id`` (a job's scenario and plan), ``scenario`` (stored now) or
    ``scenario_id``; ``base_plan`` goes only with the latter two. Errors are located 422s (404 for ids)."""
    given = [x is not None for x in (body.base_job_id, body.scenario, body.scenario_id)]
    if sum(given) != 1 or (body.base_job_id is not None and body.base_plan is not None):
        zh, en = text("api.base_choice")
        raise ApiError(
            422,
            "invalid_input",
            "api.invalid_input",
            document=document,
            n=1,
            problems=[{"location": "base_job_id", "loc": ["body"], "message_zh": zh, "message_en": en}],
        )
    plan: Plan | None = body.base_plan
    params: dict[str, Any] = {}
    if body.base_job_id is not None:
        job = job_or_404(session, body.base_job_id, caller.principal)
        if job.plan_id is None:
            raise ApiError(409, "no_plan", "api.no_plan", id=job.id, state=job.state)
        row = session.get_one(ScenarioRow, job.scenario_id)  # a job's scenario and plan are never deleted
        plan = Plan.model_validate_json(session.get_one(PlanRow, job.plan_id).document)
        where: tuple[str, ...] = ("base_job_id",)
        params["base_job_id"] = job.id
    elif body.scenario is not None:
        check_scope(caller.principal, body.scenario, ("scenario",))
        row, where = store_scenario(session, body.scenario, caller.name), ("scenario",)
    else:
        row = scenario_or_404(session, body.scenario_id, caller.principal)
        where = ("scenario_id",)
    params["base_scenario_id"] = row.id
    inst = load(settings, Scenario.model_validate(json.loads(row.document)), where, caller=caller)
    if plan is not None:
        plan_ids = id_problems(plan, ("base_plan",))
        if plan_ids:
            raise invalid(document, plan_ids)
        try:
            plan = load_plan(plan, inst)
        except InputError as exc:
            raise from_input_error(exc, ("base_plan",)) from None
    return Base(row=row, inst=inst, plan=plan, params=params)
