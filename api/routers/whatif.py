"""POST /v1/what-if: a delta applied to a base scenario and plan, re-planned with the least disruption.

The answer is the new plan with its ``diff`` against the base (planner.whatif). It runs in the solver pool
like any solve (bounded time, counted against capacity) and is stored as a job of kind ``whatif`` whose
scenario is the base scenario with the delta applied — so ``/v1/check`` and ``/v1/jobs/{id}/plan`` work on it.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Query, Response

from planner.domain.documents import Plan
from planner.domain.load import load_scenario
from planner.domain.errors import InputError
from planner.analysis.delta import apply_delta
from planner.analysis.whatif import whatif

from ..deps import PlannerDep, PoolDep, SessionDep, SettingsDep
from ..errors import from_input_error, invalid
from ..examples import example
from ..schemas import WhatIfRequest, error_responses
from ..solving import (
    Seed,
    TimeLimit,
    Workers,
    check_size,
    plan_response,
    resolve_base,
    solve_options,
    start_job,
    wait_synchronously,
)
from ..store import check_scope, store_scenario
from ..validation import id_problems, policy_problems

router = APIRouter(tags=["what-if"])

EXAMPLE_DELTA = {"format": "reshuffle-delta/1", "leaving": ["C0004"]}


@router.post(
    "/what-if",
    response_model=Plan,
    summary="Apply a delta and re-plan with the least disruption",
    description="The base is a solved job (`base_job_id`: its scenario and plan), or a scenario (`scenario` or "
    "`scenario_id`) with an optional `base_plan` (solved first when missing). The answer is the new "
    "plan with `diff`: changed posts, moved cadres, objective before and after, violations added and "
    "removed, and whether the disruption is proven minimal. `reoptimise=true` re-plans freely "
    "instead. Synchronous, within `time_limit` (the synchronous ceiling). Role: planner.",
    responses={
        200: {"content": {"application/json": {"example": example("plan")}}},
        **error_responses(401, 403, 404, 409, 413, 422, 503),
    },
    openapi_extra={"x-document": "what-if request"},
)
def what_if(
    body: Annotated[
        WhatIfRequest,
        Body(
            openapi_examples={
                "leaving": {
                    "summary": "a cadre leaves: re-plan a 2-township county from its solved plan",
                    "value": {"scenario": example("scenario"), "base_plan": example("plan"), "delta": EXAMPLE_DELTA},
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
    reoptimise: Annotated[bool, Query(description="re-plan freely instead of least disruption")] = False,
) -> Response:
    options = solve_options(settings, time_limit, workers, seed, sync=True)
    base = resolve_base(session, settings, caller, body, "what-if request")
    base_inst, base_plan_doc, base_row = base.inst, base.plan, base.row
    params = {**base.params, "reoptimise": reoptimise}
    problems = [*id_problems(body.delta, ("delta",)), *policy_problems(body.delta.policy, ("delta",))]
    if problems:
        raise invalid("delta", problems)
    try:
        applied = apply_delta(base_inst.doc, body.delta)
        new_inst = load_scenario(applied)
    except InputError as exc:
        raise from_input_error(exc, ("delta",) if exc.document == "delta" else ()) from None
    check_size(settings, applied, ("delta",))
    pool.check_capacity()
    check_scope(caller.principal, applied, ("delta",))
    new_row = store_scenario(session, applied, caller.name)
    delta, keep_base = body.delta, not reoptimise

    def work(control, progress):  # what-if has no cancel hook: it ends within its own time limit
        return whatif(base_inst, base_plan_doc, delta, options, keep_base=keep_base)

    job, active = start_job(session, pool, caller, new_row, new_inst, options, kind="whatif", work=work, params=params)
    job = wait_synchronously(session, pool, settings, job, active)
    caller.audit(
        "whatif",
        scenario_id=new_row.id,
        scenario_sha256=new_row.sha256,
        job_id=job.id,
        outcome=job.result_status or job.state,
    )
    return plan_response(session, settings, job, {"X-Scenario-Id": new_row.id, "X-Base-Scenario-Id": base_row.id})
