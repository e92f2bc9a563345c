"""The audit log (admin): who ran what on which scenario, in which scope (the key's counties and the county
acted on), and when. A scoped admin reads the entries of its own counties and keys only."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from sqlalchemy import or_, select

from ..db import AuditRow
from ..deps import AdminDep, SessionDep
from ..schemas import AuditList, AuditOut, error_responses
from ..security import list_keys, scope_of

router = APIRouter(prefix="/audit", tags=["audit"])


@router.get("", response_model=AuditList, summary="Audit entries, newest first", responses=error_responses(401, 403))
def list_audit(
    caller: AdminDep,
    session: SessionDep,
    action: Annotated[str | None, Query(max_length=32, description="only this action, e.g. solve")] = None,
    key_name: Annotated[str | None, Query(max_length=100)] = None,
    job_id: Annotated[str | None, Query(max_length=64)] = None,
    scenario_id: Annotated[str | None, Query(max_length=64)] = None,
    county: Annotated[str | None, Query(max_length=64, description="only entries about this county")] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> AuditList:
    query = select(AuditRow).order_by(AuditRow.id.desc()).limit(limit)
    own = caller.principal.counties
    if own is not None:  # a scoped admin: entries about its counties, and what the keys of its scope did
        keys = [k.id for k in list_keys(session) if caller.principal.covers(scope_of(k))]
        query = query.where(or_(AuditRow.county.in_(sorted(own)), AuditRow.key_id.in_(keys)))
    if county is not None:
        query = query.where(AuditRow.county == county)
    if action is not None:
        query = query.where(AuditRow.action == action)
    if key_name is not None:
        query = query.where(AuditRow.key_name == key_name)
    if job_id is not None:
        query = query.where(AuditRow.job_id == job_id)
    if scenario_id is not None:
        query = query.where(AuditRow.scenario_id == scenario_id)
    return AuditList(entries=[AuditOut.model_validate(r, from_attributes=True) for r in session.scalars(query)])
