"""POST /v1/solve: solve a scenario and answer with the plan, in one request (a bounded time limit)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Response

from planner.domain.documents import Plan, Scenario

from ..db import JobRow, PlanRow
from ..deps import PlannerDep, PoolDep, SessionDep, SettingsDep
from ..errors import ApiError
from ..examples import example
from ..schemas import error_responses
from ..solving import Seed, TimeLimit, Workers, load, solve_options, start_job
from ..store import store_scenario

router = APIRouter(tags=["solve"])

#: time allowed beyond the solver's limit for building the model and writing the plan
BUILD_ALLOWANCE_S = 120.0


def scenario_body(description: str):
    return Body(description=description, openapi_examples={
        "two-townships": {"summary": "a small synthetic county (2 townships, 18 posts, 31 cadres)",
                          "value": example("scenario")}})


@router.post(
    "/solve",
    response_model=Plan,
    summary="Solve a scenario and wait for the plan",
    description="Solves synchronously within `time_limit` seconds (at most the server's ceiling for "
                "synchronous solves; longer solves belong in `POST /v1/jobs`). The answer is the plan document; "
                "the job that ran it is stored (headers `X-Job-Id`, `X-Scenario-Id`, `Location`). "
                "Infeasible is a plan with status `infeasible`, not an error. Role: planner.",
    responses={200: {"content": {"application/json": {"example": example("plan")}}},
               **error_responses(401, 403, 413, 422, 503)},
    openapi_extra={"x-document": "scenario"},
)
def solve(
    scenario: Annotated[Scenario, scenario_body("the scenario (reshuffle-scenario/1)")],
    caller: PlannerDep,
    session: SessionDep,
    pool: PoolDep,
    settings: SettingsDep,
    time_limit: TimeLimit = None,
    workers: Workers = None,
    seed: Seed = 0,
) -> Response:
    options = solve_options(settings, time_limit, workers, seed, sync=True)
    inst = load(settings, scenario)
    pool.check_capacity()
    row = store_scenario(session, scenario, caller.name)
    job = start_job(session, pool, caller, row, inst, options, kind="sync")
    if not pool.wait(job.id, options.time_limit + BUILD_ALLOWANCE_S):
        pool.cancel(job.id)
        pool.wait(job.id, settings.cancel_wait_s)
    session.expire_all()
    job = session.get(JobRow, job.id)
    caller.audit("solve", scenario_id=row.id, scenario_sha256=row.sha256, job_id=job.id,
                 outcome=job.result_status or job.state)
    if job.plan_id is None:
        if job.state == "interrupted":
            raise ApiError(503, "shutting_down", "api.shutting_down", headers={"Retry-After": str(settings.retry_after_s)})
        raise ApiError(500, "internal_error", "api.job.internal")
    plan = session.get(PlanRow, job.plan_id)
    return Response(plan.document, media_type="application/json", headers={
        "X-Job-Id": job.id, "X-Scenario-Id": row.id, "Location": f"/v1/jobs/{job.id}/plan"})
