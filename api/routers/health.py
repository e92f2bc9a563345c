from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from planner import __version__

from ..deps import DbDep, PoolDep, SettingsDep
from ..schemas import HealthOut

router = APIRouter(tags=["health"])


@router.get(
    "/health",
    response_model=HealthOut,
    summary="Liveness, the database and capacity (no key needed)",
    description="Reads the service's tables and, on SQLite, takes and drops the write lock: `database` is "
    "`busy` while another writer holds it, `unavailable` when the tables cannot be read (no connection, "
    "missing or corrupted tables, a read-only standby). Either is answered 503 with `Retry-After`.",
    responses={503: {"model": HealthOut, "description": "the database is busy or unavailable"}},
)
async def health(db: DbDep, pool: PoolDep, settings: SettingsDep) -> JSONResponse:
    database = await run_in_threadpool(db.check)
    running, queued = pool.counts()
    out = HealthOut(
        status="ok" if database == "ok" else "degraded",
        version=__version__,
        database=database,
        running=running,
        queued=queued,
        capacity=pool.capacity,
    )
    if database == "ok":
        return JSONResponse(out.model_dump())
    return JSONResponse(
        out.model_dump(), status_code=503, headers={"Retry-After": str(settings.database_retry_after_s)}
    )
