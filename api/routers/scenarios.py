"""Stored scenarios (every solved scenario is stored once, by content hash)."""

from __future__ import annotations

import json
from typing import Annotated

from fastapi import APIRouter, Path, Query
from fastapi.responses import Response
from sqlalchemy import select

from planner.domain.documents import Scenario

from ..db import ScenarioRow
from ..deps import SessionDep, ViewerDep
from ..examples import example
from ..schemas import ScenarioList, error_responses
from ..store import scenario_or_404, scenario_out

router = APIRouter(prefix="/scenarios", tags=["scenarios"])


@router.get(
    "",
    response_model=ScenarioList,
    summary="Stored scenarios, newest first (no contents)",
    responses=error_responses(401, 403),
)
def list_scenarios(
    caller: ViewerDep, session: SessionDep, limit: Annotated[int, Query(ge=1, le=500)] = 50
) -> ScenarioList:
    query = select(ScenarioRow).order_by(ScenarioRow.created_at.desc()).limit(limit)
    if caller.principal.counties is not None:
        query = query.where(ScenarioRow.county.in_(sorted(caller.principal.counties)))
    rows = session.scalars(query)
    return ScenarioList(scenarios=[scenario_out(r) for r in rows])


@router.get(
    "/{scenario_id}",
    response_model=Scenario,
    summary="A stored scenario document",
    description="Role: viewer.",
    responses={
        200: {"content": {"application/json": {"example": example("scenario")}}},
        **error_responses(401, 403, 404),
    },
)
def get_scenario(scenario_id: Annotated[str, Path(max_length=64)], caller: ViewerDep, session: SessionDep) -> Response:
    row = scenario_or_404(session, scenario_id, caller.principal)
    caller.audit("scenario.read", scenario_id=row.id, scenario_sha256=row.sha256, outcome=200)
    return Response(json.dumps(json.loads(row.document), ensure_ascii=False), media_type="application/json")
