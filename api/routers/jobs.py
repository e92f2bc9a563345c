"""Asynchronous solves: submit, follow, fetch the plan, cancel, resubmit."""

from __future__ import annotations

import json
from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query, Response, status
from sqlalchemy import CursorResult, select, update
from sqlalchemy.orm import Session

from planner.domain.documents import Plan, Scenario
from planner.domain.load import load_scenario
from planner.solver.options import SolveOptions

from ..db import JobRow, PlanRow, ScenarioRow, new_id, utcnow
from ..deps import PlannerDep, PoolDep, SessionDep, SettingsDep, ViewerDep
from ..errors import ApiError
from ..examples import example
from ..schemas import JobList, JobOut, error_responses
from ..pool import SolvePool, solve_work
from ..solving import Seed, TimeLimit, Workers, load, solve_options, start_job
from ..store import job_or_404, job_out, store_scenario
from .solve import scenario_body

router = APIRouter(prefix="/jobs", tags=["jobs"])

JobId = Annotated[str, Path(max_length=64, description="the job's id")]
TERMINAL = ("done", "cancelled", "failed", "interrupted")


def _out(session: Session, pool: SolvePool, job: JobRow) -> JobOut:
    sha = session.get_one(ScenarioRow, job.scenario_id).sha256  # a job's scenario is never deleted
    session.refresh(job)  # the pool's thread may have moved it on since this session read it
    live = pool.live(job.id)
    if live is not None:
        state, progress = live
        return job_out(job, sha, live=progress, live_state=state)
    return job_out(job, sha)


@router.post(
    "",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=JobOut,
    summary="Start a solve in the background",
    description="Validates the scenario, stores it and queues a solve. Follow it with `GET /v1/jobs/{id}`; "
    "when the pool and its queue are full the answer is 503 with `Retry-After`. Role: planner.",
    responses=error_responses(401, 403, 413, 422, 503),
    openapi_extra={"x-document": "scenario"},
)
def create_job(
    scenario: Annotated[Scenario, scenario_body("the scenario (reshuffle-scenario/1)")],
    caller: PlannerDep,
    session: SessionDep,
    pool: PoolDep,
    settings: SettingsDep,
    response: Response,
    time_limit: TimeLimit = None,
    workers: Workers = None,
    seed: Seed = 0,
) -> JobOut:
    options = solve_options(settings, time_limit, workers, seed, sync=False)
    inst = load(settings, scenario, caller=caller)
    pool.check_capacity()
    row = store_scenario(session, scenario, caller.name)
    job, _ = start_job(session, pool, caller, row, inst, options, kind="job")
    caller.audit("job.create", scenario_id=row.id, scenario_sha256=row.sha256, job_id=job.id, outcome=202)
    response.headers["Location"] = f"/v1/jobs/{job.id}"
    return _out(session, pool, job)


@router.get("", response_model=JobList, summary="Recent jobs, newest first", responses=error_responses(401, 403))
def list_jobs(
    caller: ViewerDep,
    session: SessionDep,
    pool: PoolDep,
    state: Annotated[
        Literal["queued", "running", "done", "cancelled", "failed", "interrupted"] | None,
        Query(description="only jobs in this state"),
    ] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
) -> JobList:
    query = select(JobRow).order_by(JobRow.created_at.desc()).limit(limit)
    if caller.principal.counties is not None:
        query = query.join(ScenarioRow, JobRow.scenario_id == ScenarioRow.id).where(
            ScenarioRow.county.in_(sorted(caller.principal.counties))
        )
    if state is not None:
        query = query.where(JobRow.state == state)
    return JobList(jobs=[_out(session, pool, j) for j in session.scalars(query)])


@router.get(
    "/{job_id}",
    response_model=JobOut,
    summary="A job's state and progress",
    description="While it runs, `progress` holds the best objective and bound found so far. Role: viewer.",
    responses=error_responses(401, 403, 404),
)
def get_job(job_id: JobId, caller: ViewerDep, session: SessionDep, pool: PoolDep) -> JobOut:
    return _out(session, pool, job_or_404(session, job_id, caller.principal))


@router.get(
    "/{job_id}/plan",
    response_model=Plan,
    summary="The plan a job produced",
    description="Available once the job is `done`, or `cancelled`/`interrupted` after a plan was found "
    "(the best so far). 409 while there is none yet. Role: viewer.",
    responses={
        200: {"content": {"application/json": {"example": example("plan")}}},
        **error_responses(401, 403, 404, 409),
    },
)
def get_plan(job_id: JobId, caller: ViewerDep, session: SessionDep, pool: PoolDep) -> Response:
    job = job_or_404(session, job_id, caller.principal)
    if job.plan_id is None:
        live = pool.live(job.id)
        raise ApiError(409, "no_plan", "api.no_plan", id=job.id, state=live[0] if live else job.state)
    plan = session.get_one(PlanRow, job.plan_id)  # plans are never deleted
    sha = session.get_one(ScenarioRow, job.scenario_id).sha256
    caller.audit("plan.read", scenario_id=job.scenario_id, scenario_sha256=sha, job_id=job.id, outcome=plan.status)
    return Response(
        plan.document, media_type="application/json", headers={"X-Job-Id": job.id, "X-Scenario-Id": job.scenario_id}
    )


@router.delete(
    "/{job_id}",
    response_model=JobOut,
    summary="Cancel a job",
    description="A queued job is dropped; a running solver stops promptly and its best plan so far is kept "
    "(state `cancelled`, `GET …/plan` returns it). The answer comes once the solver has stopped "
    "(or after the server's cancel wait). Cancelling a cancelled job is a no-op; a finished one is "
    "409. Role: planner.",
    responses=error_responses(401, 403, 404, 409),
)
def cancel_job(job_id: JobId, caller: PlannerDep, session: SessionDep, pool: PoolDep, settings: SettingsDep) -> JobOut:
    job = job_or_404(session, job_id, caller.principal)
    sha = session.get_one(ScenarioRow, job.scenario_id).sha256
    if pool.cancel(job.id):
        pool.wait(job.id, settings.cancel_wait_s)
        session.expire_all()
        job = session.get_one(JobRow, job_id)  # a job the pool held is never deleted
    elif job.state != "cancelled":
        raise ApiError(409, "job_finished", "api.job_finished", id=job.id, state=job.state)
    caller.audit("job.cancel", scenario_id=job.scenario_id, scenario_sha256=sha, job_id=job.id, outcome=job.state)
    return _out(session, pool, job)


@router.post(
    "/{job_id}/resubmit",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=JobOut,
    summary="Run a finished, cancelled, failed or interrupted job again",
    description="Queues a new job with the same stored scenario and options; the old job links to it "
    "(`resubmitted_as`). Idempotent: a job is resubmitted once, and resubmitting it again (a retry, or two "
    "requests at once) answers the job it was resubmitted as. Role: planner.",
    responses=error_responses(401, 403, 404, 409, 503),
)
def resubmit_job(
    job_id: JobId, caller: PlannerDep, session: SessionDep, pool: PoolDep, settings: SettingsDep, response: Response
) -> JobOut:
    old = job_or_404(session, job_id, caller.principal)
    if old.resubmitted_as is not None:  # already resubmitted: the same answer again
        return _resubmitted(session, pool, response, old.id, old.resubmitted_as)
    live = pool.live(old.id)
    if live is not None or old.state not in TERMINAL:
        raise ApiError(409, "job_active", "api.job_active", id=old.id, state=live[0] if live else old.state)
    if old.kind in (
        "whatif",
        "recommend",
        "alternatives",
        "runner-ups",
        "sweep",
    ):  # their requests are not stored whole: they are asked again
        raise ApiError(409, "no_resubmit", "api.no_resubmit", id=old.id, kind=old.kind)
    scenario = session.get_one(ScenarioRow, old.scenario_id)
    inst = load_scenario(json.loads(scenario.document))  # stored scenarios were valid when stored
    options = SolveOptions(
        time_limit=min(old.time_limit_s, settings.max_time_limit_s),
        workers=min(old.workers, settings.max_solver_workers),
        seed=old.seed,
    )
    pool.check_capacity()
    # the new job and the old one's link to it in one transaction, the link only where there is none yet: of
    # two resubmissions at once, one claims the old job and the other finds the claim and answers its job
    job = JobRow(
        id=new_id(),
        kind="job",
        scenario_id=scenario.id,
        state="queued",
        time_limit_s=options.time_limit,
        workers=options.workers,
        seed=options.seed,
        submitted_by=caller.name,
        created_at=utcnow(),
        resubmitted_from=old.id,
    )
    session.add(job)
    session.flush()
    claim = update(JobRow).where(JobRow.id == old.id, JobRow.resubmitted_as.is_(None)).values(resubmitted_as=job.id)
    claimed: CursorResult = session.execute(claim)  # type: ignore[assignment]
    if claimed.rowcount != 1:
        session.rollback()
        session.expire_all()
        claimant = job_or_404(session, job_id, caller.principal).resubmitted_as
        return _resubmitted(session, pool, response, old.id, claimant)
    session.commit()
    try:
        pool.submit(job.id, solve_work(inst, options), options, explain_inst=inst, kind="job")
    except ApiError:  # the pool filled up meanwhile: nothing resubmitted, the old job free to try again
        session.execute(update(JobRow).where(JobRow.id == old.id).values(resubmitted_as=None))
        session.delete(job)
        session.commit()
        raise
    caller.audit("job.resubmit", scenario_id=scenario.id, scenario_sha256=scenario.sha256, job_id=job.id, outcome=202)
    response.headers["Location"] = f"/v1/jobs/{job.id}"
    return _out(session, pool, job)


def _resubmitted(session: Session, pool: SolvePool, response: Response, old_id: str, new_job_id: str | None) -> JobOut:
    """The job `old_id` was resubmitted as. The request that claimed the old job gives the claim back and
    deletes its new job when the pool turns out full: a request that saw the claim may find no job then (409,
    the old job free to resubmit again) — never a 500."""
    job = session.get(JobRow, new_job_id) if new_job_id is not None else None
    if job is None:
        raise ApiError(409, "resubmit_withdrawn", "api.resubmit_withdrawn", id=old_id)
    response.headers["Location"] = f"/v1/jobs/{job.id}"
    return _out(session, pool, job)
