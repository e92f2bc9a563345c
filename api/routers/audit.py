"""The audit log (admin): who ran what on which scenario, and when."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from sqlalchemy import select

from ..db import AuditRow
from ..deps import AdminDep, SessionDep
from ..schemas import AuditList, AuditOut, error_responses

router = APIRouter(prefix="/audit", tags=["audit"])


@router.get("", response_model=AuditList, summary="Audit entries, newest first", responses=error_responses(401, 403))
def list_audit(
    caller: AdminDep,
    session: SessionDep,
    action: Annotated[str | None, Query(max_length=32, description="only this action, e.g. solve")] = None,
    key_name: Annotated[str | None, Query(max_length=100)] = None,
    job_id: Annotated[str | None, Query(max_length=64)] = None,
    scenario_id: Annotated[str | None, Query(max_length=64)] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> AuditList:
    query = select(AuditRow).order_by(AuditRow.id.desc()).limit(limit)
    if action is not None:
        query = query.where(AuditRow.action == action)
    if key_name is not None:
        query = query.where(AuditRow.key_name == key_name)
    if job_id is not None:
        query = query.where(AuditRow.job_id == job_id)
    if scenario_id is not None:
        query = query.where(AuditRow.scenario_id == scenario_id)
    return AuditList(entries=[AuditOut.model_validate(r, from_attributes=True) for r in session.scalars(query)])
