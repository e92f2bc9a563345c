"""API keys (admin): list, create, revoke. The CLI's `planner api-key` does the same offline."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, status

from ..db import ApiKey
from ..deps import AdminDep, SessionDep, SettingsDep
from ..errors import not_found
from ..schemas import KeyCreate, KeyCreated, KeyList, KeyOut, error_responses
from ..security import create_key, list_keys, revoke_key

router = APIRouter(prefix="/api-keys", tags=["api keys"])


def key_out(row: ApiKey) -> KeyOut:
    return KeyOut(
        id=row.id,
        name=row.name,
        role=row.role,
        created_at=row.created_at,  # type: ignore[arg-type]
        created_by=row.created_by,
        last_used_at=row.last_used_at,
        revoked_at=row.revoked_at,
    )


@router.get("", response_model=KeyList, summary="Every key (never the secrets)", responses=error_responses(401, 403))
def list_api_keys(caller: AdminDep, session: SessionDep) -> KeyList:
    return KeyList(keys=[key_out(k) for k in list_keys(session)])


@router.post(
    "",
    response_model=KeyCreated,
    status_code=status.HTTP_201_CREATED,
    summary="Create a key; the answer shows it once",
    responses=error_responses(401, 403, 422),
)
def create_api_key(body: KeyCreate, caller: AdminDep, session: SessionDep, settings: SettingsDep) -> KeyCreated:
    row, key = create_key(
        session, name=body.name, role=body.role, pepper=settings.key_pepper.get_secret_value(), created_by=caller.name
    )
    session.commit()
    caller.audit("key.create", outcome=row.id)
    return KeyCreated(**key_out(row).model_dump(), key=key)


@router.delete(
    "/{key_id}",
    response_model=KeyOut,
    summary="Revoke a key (it stops working at once)",
    responses=error_responses(401, 403, 404),
)
def revoke_api_key(key_id: Annotated[str, Path(max_length=64)], caller: AdminDep, session: SessionDep) -> KeyOut:
    row = revoke_key(session, key_id)
    if row is None:
        raise not_found("key", key_id)
    session.commit()
    caller.audit("key.revoke", outcome=row.id)
    return key_out(row)
