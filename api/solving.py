"""What the solve and job routes share: limits, validation, starting a job."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query, Response
from sqlalchemy.orm import Session

from planner.domain.documents import Scenario
from planner.domain.load import Instance, load_scenario
from planner.errors import InputError
from planner.solve import SolveOptions

from .db import JobRow, PlanRow, ScenarioRow, utcnow
from .deps import Caller
from .errors import ApiError, from_input_error, invalid
from .messages import text
from .pool import Active, SolvePool, Work, solve_work
from .settings import Settings

TimeLimit = Annotated[float | None, Query(gt=0, description="solver time limit in seconds (capped by the "
                                                          "server's ceiling; default from the settings)")]
Workers = Annotated[int | None, Query(ge=1, le=64, description="CP-SAT worker threads for this solve")]
Seed = Annotated[int, Query(ge=0, le=2**31 - 1, description="CP-SAT random seed")]


def problem(location: str, key: str, **fields) -> dict:
    zh, en = text(key, **fields)
    return {"location": location, "loc": location.split(" › "), "message_zh": zh, "message_en": en}


def solve_options(settings: Settings, time_limit: float | None, workers: int | None, seed: int, *,
                  sync: bool) -> SolveOptions:
    ceiling = settings.max_sync_time_limit_s if sync else settings.max_time_limit_s
    default = settings.default_sync_time_limit_s if sync else settings.default_time_limit_s
    problems = []
    if time_limit is not None and time_limit > ceiling:
        problems.append(problem("query › time_limit", "api.time_limit", limit=f"{ceiling:g}"))
    if workers is not None and workers > settings.max_solver_workers:
        problems.append(problem("query › workers", "api.workers", limit=settings.max_solver_workers))
    if problems:
        raise invalid("request", problems)
    return SolveOptions(time_limit=float(time_limit if time_limit is not None else min(default, ceiling)),
                        workers=int(workers or settings.solver_workers), seed=int(seed))


def check_size(settings: Settings, doc: Scenario, where: tuple[str, ...] = ()) -> None:
    problems = []
    for what, n, limit in (("cadre", len(doc.cadres), settings.max_cadres), ("post", len(doc.posts), settings.max_posts)):
        if n > limit:
            location = " › ".join([*where, f"{what}s"])
            problems.append(problem(location, "api.too_many", what=what, n=n, limit=limit))
    if problems:
        raise ApiError(422, "invalid_input", "api.invalid_input", problems=problems, document="scenario",
                       n=len(problems))


def load(settings: Settings, doc: Scenario, where: tuple[str, ...] = ()) -> Instance:
    """The resolved scenario, or a 422 listing every problem, located."""
    check_size(settings, doc, where)
    try:
        return load_scenario(doc)
    except InputError as exc:
        raise from_input_error(exc, where) from None


def start_job(session: Session, pool: SolvePool, caller: Caller, scenario: ScenarioRow, inst: Instance,
              options: SolveOptions, *, kind: str, resubmitted_from: str | None = None, work: Work | None = None,
              params: dict | None = None) -> tuple[JobRow, Active]:
    """Store a queued job and hand it to the pool (503 when the pool is full; nothing stored then).

    The work is a plain solve of `inst` unless `work` says otherwise (a what-if)."""
    pool.check_capacity()
    job = JobRow(kind=kind, scenario_id=scenario.id, state="queued", time_limit_s=options.time_limit,
                 workers=options.workers, seed=options.seed, submitted_by=caller.name, created_at=utcnow(),
                 resubmitted_from=resubmitted_from, params=params)
    session.add(job)
    session.commit()
    try:
        active = pool.submit(job.id, work or solve_work(inst, options), options, explain_inst=inst)
    except ApiError:
        session.delete(job)
        session.commit()
        raise
    return job, active


#: time allowed a synchronous request beyond its solver limit, for building the model and writing the plan
BUILD_ALLOWANCE_S = 120.0


def wait_synchronously(session: Session, pool: SolvePool, settings: Settings, job: JobRow, active: Active) -> JobRow:
    """Wait for a job a request is holding; the job as stored once it finished."""
    if not pool.wait(job.id, job.time_limit_s + BUILD_ALLOWANCE_S):
        pool.cancel(job.id)
        pool.wait(job.id, settings.cancel_wait_s)
    if active.input_error is not None:
        raise from_input_error(active.input_error)
    session.expire_all()
    return session.get(JobRow, job.id)


def plan_response(session: Session, settings: Settings, job: JobRow, headers: dict[str, str]) -> Response:
    """The stored plan document of a finished synchronous job, or the error that stopped it."""
    if job.plan_id is None:
        if job.state == "interrupted":
            raise ApiError(503, "shutting_down", "api.shutting_down", headers={"Retry-After": str(settings.retry_after_s)})
        raise ApiError(500, "internal_error", "api.job.internal")
    plan = session.get(PlanRow, job.plan_id)
    return Response(plan.document, media_type="application/json",
                    headers={"X-Job-Id": job.id, "Location": f"/v1/jobs/{job.id}/plan", **headers})
