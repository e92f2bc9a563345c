"""API keys (admin): list, create, revoke. The CLI's `planner api-key` does the same offline.

A global admin manages every key. An admin scoped to counties manages only keys within its own scope: it
lists them, creates keys for (some of) its counties, and revokes them; any other key's id answers 404. The
last active global admin key cannot be revoked (409): only shell access would recover from that.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, status

from ..db import ApiKey
from ..deps import AdminDep, SessionDep, SettingsDep
from ..errors import ApiError, not_found
from ..messages import text
from ..schemas import KeyCreate, KeyCreated, KeyList, KeyOut, error_responses
from ..security import LastAdmin, create_key, list_keys, revoke_key, scope_of

router = APIRouter(prefix="/api-keys", tags=["api keys"])


def key_out(row: ApiKey) -> KeyOut:
    return KeyOut(
        id=row.id,
        name=row.name,
        role=row.role,
        created_at=row.created_at,
        created_by=row.created_by,
        last_used_at=row.last_used_at,
        revoked_at=row.revoked_at,
        counties=row.counties or None,
    )


@router.get(
    "",
    response_model=KeyList,
    summary="Every key within the caller's scope (never the secrets)",
    responses=error_responses(401, 403),
)
def list_api_keys(caller: AdminDep, session: SessionDep) -> KeyList:
    return KeyList(keys=[key_out(k) for k in list_keys(session) if caller.principal.covers(scope_of(k))])


@router.post(
    "",
    response_model=KeyCreated,
    status_code=status.HTTP_201_CREATED,
    summary="Create a key; the answer shows it once",
    description="`counties` scopes the new key; a scoped admin may give only counties of its own scope (by "
    "default its own scope). Role: admin.",
    responses=error_responses(401, 403, 422),
)
def create_api_key(body: KeyCreate, caller: AdminDep, session: SessionDep, settings: SettingsDep) -> KeyCreated:
    own = caller.principal.counties
    counties = body.counties or (sorted(own) if own is not None else None)
    if not caller.principal.covers(frozenset(counties) if counties else None):
        zh, en = text("api.scope_wider", scope=caller.principal.scope)
        problem = {"location": "counties", "loc": ["body", "counties"], "message_zh": zh, "message_en": en}
        raise ApiError(403, "scope_wider", "api.scope_wider", scope=caller.principal.scope, problems=[problem])
    row, key = create_key(
        session,
        name=body.name,
        role=body.role,
        pepper=settings.key_pepper.get_secret_value(),
        created_by=caller.name,
        counties=counties,
    )
    session.commit()
    caller.audit("key.create", outcome=row.id)
    return KeyCreated(**key_out(row).model_dump(), key=key)


@router.delete(
    "/{key_id}",
    response_model=KeyOut,
    summary="Revoke a key (it stops working at once)",
    description="The last active global admin key cannot be revoked (409): create another first. Role: admin.",
    responses=error_responses(401, 403, 404, 409),
)
def revoke_api_key(key_id: Annotated[str, Path(max_length=64)], caller: AdminDep, session: SessionDep) -> KeyOut:
    target = session.get(ApiKey, key_id)
    if target is None or not caller.principal.covers(scope_of(target)):
        raise not_found("key", key_id)
    try:
        row = revoke_key(session, key_id)
    except LastAdmin:
        session.rollback()
        zh, en = text("api.last_admin", id=key_id)
        problem = {"location": "path › key_id", "loc": ["path", "key_id"], "message_zh": zh, "message_en": en}
        caller.audit("key.revoke", outcome="409")
        raise ApiError(409, "last_admin", "api.last_admin", id=key_id, problems=[problem]) from None
    assert row is not None
    session.commit()
    caller.audit("key.revoke", outcome=row.id)
    return key_out(row)
