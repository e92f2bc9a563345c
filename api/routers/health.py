from __future__ import annotations

import logging

from fastapi import APIRouter
from sqlalchemy import text as sql

from planner import __version__

from ..deps import DbDep, PoolDep
from ..schemas import HealthOut

router = APIRouter(tags=["health"])
log = logging.getLogger("api.health")


@router.get("/health", response_model=HealthOut, summary="Liveness and capacity (no key needed)")
def health(db: DbDep, pool: PoolDep) -> HealthOut:
    try:
        with db.engine.connect() as conn:
            conn.execute(sql("SELECT 1"))
        database = "ok"
    except Exception:
        log.exception("database check failed")
        database = "unavailable"
    running, queued = pool.counts()
    return HealthOut(
        status="ok", version=__version__, database=database, running=running, queued=queued, capacity=pool.capacity
    )
