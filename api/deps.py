"""Dependencies, as ``Annotated`` aliases (the FastAPI full-stack template's habit)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Annotated, Any, Callable, Iterator

from fastapi import Depends, Request, Security
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session

from .db import ApiKey, AuditRow, Database, ScenarioRow, utcnow
from .errors import ApiError
from .pool import SolvePool
from .security import RANK, Principal, principal_of, split_key, verify_key
from .settings import Settings

log = logging.getLogger("api.auth")

api_key_header = APIKeyHeader(
    name="X-API-Key", auto_error=False, description="an API key created with `planner api-key create`"
)
bearer = HTTPBearer(auto_error=False, description="the same API key as a bearer token")


def get_settings(request: Request) -> Settings:
    return request.app.state.settings


def get_db(request: Request) -> Database:
    return request.app.state.db


def get_pool(request: Request) -> SolvePool:
    return request.app.state.pool


SettingsDep = Annotated[Settings, Depends(get_settings)]
DbDep = Annotated[Database, Depends(get_db)]
PoolDep = Annotated[SolvePool, Depends(get_pool)]


def get_session(db: DbDep) -> Iterator[Session]:
    with db.session() as s:
        yield s


SessionDep = Annotated[Session, Depends(get_session)]


@dataclass
class Caller:
    """The authenticated caller of a request: who, with which role, and a way to write the audit log."""

    principal: Principal
    request_id: str
    db: Database

    @property
    def name(self) -> str:
        return self.principal.name

    def audit(
        self,
        action: str,
        *,
        scenario_id: str | None = None,
        scenario_sha256: str | None = None,
        job_id: str | None = None,
        county: str | None = None,
        outcome: Any = None,
    ) -> None:
        write_audit(
            self.db,
            self.principal,
            action,
            request_id=self.request_id,
            scenario_id=scenario_id,
            scenario_sha256=scenario_sha256,
            job_id=job_id,
            county=county,
            outcome=outcome,
        )

    def sees(self, county: str) -> bool:
        return self.principal.sees(county)


def write_audit(
    db: Database, principal: Principal | None, action: str, *, request_id: str | None = None, **fields: Any
) -> None:
    outcome = fields.pop("outcome", None)
    with db.session() as s, s.begin():
        if fields.get("county") is None and fields.get("scenario_id"):  # the scope acted in: the scenario's county
            scenario = s.get(ScenarioRow, fields["scenario_id"])
            fields["county"] = scenario.county if scenario is not None else None
        s.add(
            AuditRow(
                at=utcnow(),
                key_id=principal.key_id if principal else None,
                key_name=principal.name if principal else None,
                role=principal.role if principal else None,
                scope=principal.scope[:200] if principal else None,
                action=action,
                outcome=None if outcome is None else str(outcome)[:32],
                request_id=request_id,
                **fields,
            )
        )


def authenticate(
    request: Request,
    db: DbDep,
    settings: SettingsDep,
    header_key: Annotated[str | None, Security(api_key_header)],
    bearer_key: Annotated[HTTPAuthorizationCredentials | None, Security(bearer)],
) -> Caller:
    key = header_key or (bearer_key.credentials if bearer_key else None)
    request_id = getattr(request.state, "request_id", "-")
    if not key:
        raise ApiError(401, "unauthenticated", "api.unauthenticated", headers={"WWW-Authenticate": "Bearer"})
    # a read: no request waits on the write lock to authenticate (SQLite's WAL lets readers past a writer)
    with db.session() as s:
        row: ApiKey | None = verify_key(s, key, settings.key_pepper.get_secret_value())
        if row is None:
            parts = split_key(key)
            log.warning(
                "authentication failed", extra={"key_id": parts[0] if parts else None, "request_id": request_id}
            )
            raise ApiError(401, "unauthenticated", "api.unauthenticated", headers={"WWW-Authenticate": "Bearer"})
        principal = principal_of(row)
        now, last = utcnow(), row.last_used_at
    # the last-used time: at most once per interval, in its own short transaction, given up when the database
    # is busy (it is advisory; holding a read behind a writer for it is what made reads fail)
    if last is None or (now - last).total_seconds() >= settings.key_last_used_interval_s:
        db.touch_key(principal.key_id, now)
    request.state.key_name = principal.name
    return Caller(principal=principal, request_id=request_id, db=db)


def require(role: str) -> Callable[..., Caller]:
    assert role in RANK

    def dependency(request: Request, caller: Annotated[Caller, Depends(authenticate)]) -> Caller:
        if not caller.principal.allows(role):
            caller.audit("denied", outcome=f"{request.method} 403")
            raise ApiError(403, "forbidden", "api.forbidden", role=caller.principal.role, need=role)
        return caller

    dependency.__name__ = f"require_{role}"
    return dependency


ViewerDep = Annotated[Caller, Depends(require("viewer"))]
PlannerDep = Annotated[Caller, Depends(require("planner"))]
AdminDep = Annotated[Caller, Depends(require("admin"))]
