"""POST /v1/check: the independent checker's verdict on any plan, hand-made ones too."""

from __future__ import annotations

import json
from typing import Annotated

from fastapi import APIRouter, Body
from fastapi.responses import JSONResponse

from planner.audit.check import check_plan
from planner.domain.documents import Scenario
from planner.domain.load import load_plan
from planner.domain.errors import InputError

from ..deps import SessionDep, SettingsDep, ViewerDep
from ..errors import ApiError, from_input_error, invalid
from ..examples import example
from ..schemas import CheckReportOut, CheckRequest, error_responses
from ..solving import load
from ..store import canonical, scenario_or_404
from ..validation import id_problems

router = APIRouter(tags=["check"])


@router.post(
    "/check",
    response_model=CheckReportOut,
    summary="Audit a plan against every rule",
    description="Give the scenario inline (`scenario`) or by the id of a stored one (`scenario_id`), and the "
    "plan. The answer lists every violation and bonus per rule and the structure table; `ok` is "
    "false when a hard rule is broken (still a 200: the verdict is the answer). Role: viewer.",
    responses=error_responses(401, 403, 404, 413, 422),
    openapi_extra={"x-document": "check request"},
)
def check(
    body: Annotated[
        CheckRequest,
        Body(
            openapi_examples={
                "inline": {
                    "summary": "scenario and plan inline",
                    "value": {"scenario": example("scenario"), "plan": example("plan")},
                }
            }
        ),
    ],
    caller: ViewerDep,
    session: SessionDep,
    settings: SettingsDep,
) -> JSONResponse:
    if (body.scenario is None) == (body.scenario_id is None):
        raise ApiError(
            422,
            "invalid_input",
            "api.invalid_input",
            document="check request",
            n=1,
            problems=[{"location": "scenario", "loc": ["body", "scenario"], **_text("api.scenario_choice")}],
        )
    scenario_id = None
    if body.scenario is not None:
        doc, where = body.scenario, ("scenario",)
        sha = canonical(doc)[1]
    else:
        assert body.scenario_id is not None  # checked above: exactly one of the two is given
        row = scenario_or_404(session, body.scenario_id, caller.principal)
        doc, where, sha, scenario_id = (
            Scenario.model_validate(json.loads(row.document)),
            ("scenario_id",),
            row.sha256,
            row.id,
        )
    plan_ids = id_problems(body.plan, ("plan",))
    if plan_ids:
        raise invalid("check request", plan_ids)
    inst = load(settings, doc, where, caller=caller)
    try:
        plan = load_plan(body.plan, inst)
    except InputError as exc:
        raise from_input_error(exc, ("plan",)) from None
    report = check_plan(inst, plan)
    caller.audit("check", scenario_id=scenario_id, scenario_sha256=sha, outcome="ok" if report.ok else "broken")
    return JSONResponse({**report.as_dict(), "scenario_id": scenario_id})  # the checker's report, as it is


def _text(key: str) -> dict[str, str]:
    from ..messages import text

    zh, en = text(key)
    return {"message_zh": zh, "message_en": en}
