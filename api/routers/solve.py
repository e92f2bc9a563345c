"""POST /v1/solve: solve a scenario and answer with the plan, in one request (a bounded time limit)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Response

from planner.domain.documents import Plan, Scenario

from ..deps import PlannerDep, PoolDep, SessionDep, SettingsDep
from ..examples import example
from ..schemas import error_responses
from ..solving import Seed, TimeLimit, Workers, load, plan_response, solve_options, start_job, wait_synchronously
from ..store import store_scenario

router = APIRouter(tags=["solve"])


def scenario_body(description: str):
    return Body(
        description=description,
        openapi_examples={
            "two-townships": {
                "summary": "a small synthetic county (2 townships, 18 posts, 31 cadres)",
                "value": example("scenario"),
            }
        },
    )


@router.post(
    "/solve",
    response_model=Plan,
    summary="Solve a scenario and wait for the plan",
    description="Solves synchronously within `time_limit` seconds (at most the server's ceiling for "
    "synchronous solves; longer solves belong in `POST /v1/jobs`). The answer is the plan document; "
    "the job that ran it is stored (headers `X-Job-Id`, `X-Scenario-Id`, `Location`). "
    "Infeasible is a plan with status `infeasible`, not an error. Role: planner.",
    responses={
        200: {"content": {"application/json": {"example": example("plan")}}},
        **error_responses(401, 403, 413, 422, 503),
    },
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
    inst = load(settings, scenario, caller=caller)
    pool.check_capacity()
    row = store_scenario(session, scenario, caller.name)
    job, active = start_job(session, pool, caller, row, inst, options, kind="sync")
    job = wait_synchronously(session, pool, settings, job, active)
    caller.audit(
        "solve", scenario_id=row.id, scenario_sha256=row.sha256, job_id=job.id, outcome=job.result_status or job.state
    )
    return plan_response(session, settings, job, {"X-Scenario-Id": row.id})
