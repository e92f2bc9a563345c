"""POST /v1/recommend: the best cadres for one post, each with the exact consequence of choosing them
(planner.recommend). Runs in the solver pool like any solve and is stored as a job of kind ``recommend``."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body
from fastapi.responses import JSONResponse

from planner.analysis.recommend import recommend

from ..deps import PlannerDep, PoolDep, SessionDep, SettingsDep
from ..errors import ApiError
from ..examples import example
from ..messages import text
from ..schemas import RecommendationOut, RecommendRequest, error_responses
from ..solving import (
    per_candidate_options,
    Seed,
    TimeLimit,
    Workers,
    job_error,
    resolve_base,
    start_job,
    wait_synchronously,
)

router = APIRouter(tags=["recommend"])


@router.post(
    "/recommend",
    response_model=RecommendationOut,
    summary="The best cadres for one post",
    description="Every cadre who may take `post` is tried: the county is re-optimised with that placement "
    "fixed, and the `top` best are shown with their objective, the other moves they force and the "
    "rules they would break. `time_limit` is per candidate (so the answer takes about "
    "candidates × time_limit). The base is as for `POST /v1/what-if`. Role: planner.",
    responses=error_responses(401, 403, 404, 409, 413, 422, 503),
    openapi_extra={"x-document": "recommend request"},
)
def recommend_route(
    body: Annotated[
        RecommendRequest,
        Body(
            openapi_examples={
                "secretary": {
                    "summary": "who should be party secretary of T01, against the solved plan",
                    "value": {
                        "scenario": example("scenario"),
                        "base_plan": example("plan"),
                        "post": "T01-SEC",
                        "top": 3,
                    },
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
    options = per_candidate_options(settings, time_limit, workers, seed)
    base = resolve_base(session, settings, caller, body, "recommend request")
    if body.post not in base.inst.posts:
        zh, en = text("api.not_found", what="post", id=body.post)
        raise ApiError(
            422,
            "invalid_input",
            "api.invalid_input",
            document="recommend request",
            n=1,
            problems=[{"location": "post", "loc": ["body", "post"], "message_zh": zh, "message_en": en}],
        )
    inst, plan, post, top = base.inst, base.plan, body.post, body.top

    def work(control, progress):  # no cancel hook: each candidate's solve is short
        return recommend(
            inst, post, plan, top, time_limit=options.time_limit, workers=options.workers, seed=options.seed
        )

    job, active = start_job(
        session,
        pool,
        caller,
        base.row,
        inst,
        options,
        kind="recommend",
        work=work,
        params={**base.params, "post": post, "top": top},
    )
    job = wait_synchronously(session, pool, settings, job, active, timeout=settings.max_recommend_wait_s)
    caller.audit(
        "recommend", scenario_id=base.row.id, scenario_sha256=base.row.sha256, job_id=job.id, outcome=job.state
    )
    if job.answer is None:
        raise job_error(settings, job)
    return JSONResponse({**job.answer, "job_id": job.id}, headers={"X-Job-Id": job.id, "X-Scenario-Id": base.row.id})
