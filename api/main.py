"""The HTTP service: ``uvicorn api.main:app`` or ``planner serve``.

A thin FastAPI layer over the planner library: routes validate, store, and call ``load_scenario``,
``solve`` and ``check_plan``; jobs run in a bounded thread pool (:mod:`api.pool`); everything is stored
through SQLAlchemy (:mod:`api.db`). All routes but ``/v1/health`` need an API key (:mod:`api.security`).
"""

from __future__ import annotations

import logging
import signal
import threading
from contextlib import asynccontextmanager
from typing import Any, AsyncIterator

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi_offline import FastAPIOffline  # /docs and /redoc from local assets, no CDN
from starlette.concurrency import run_in_threadpool

from planner import __version__

from . import errors, logs, ray_backend
from .db import Database
from .middleware import BodyLimit, RequestContext
from .pool import SolvePool
from .routers import audit, check, health, jobs, keys, recommend, scenarios, solve, whatif
from .routers import compare as compare_router
from .routers import sweeps as sweeps_router
from .routers import metrics as metrics_router
from .metrics import Metrics
from .settings import Settings
from .ui import views as ui
from .validation import JsonGuard

log = logging.getLogger("api.main")

DESCRIPTION = """
乡镇领导班子调整方案优化服务 — the township leadership-team reshuffle planner over HTTP.

Bodies are the exchange documents of FORMAT.md: a **scenario** (`reshuffle-scenario/1`) in, a **plan**
(`reshuffle-plan/1`) out. Send an API key in the `X-API-Key` header (or as a bearer token). Roles:
`viewer` reads and checks, `planner` also solves, `admin` also manages keys and reads the audit log.

Invalid input is a 422 listing every problem with its location (`cadres[3] C0004 › birth_date`) in Chinese
and English. A full solver pool answers 503 with `Retry-After`.
"""

TAGS = [
    {"name": "solve", "description": "Synchronous solves with a bounded time limit."},
    {"name": "jobs", "description": "Background solves: progress, plan, cancel, resubmit."},
    {"name": "what-if", "description": "A delta applied to a solved plan, re-planned with the least disruption."},
    {"name": "recommend", "description": "The best cadres for one post, with what each choice entails."},
    {"name": "check", "description": "The independent checker's audit of any plan."},
    {"name": "scenarios", "description": "Stored scenarios."},
    {"name": "api keys", "description": "Key management (admin)."},
    {"name": "audit", "description": "Who ran what, when (admin)."},
    {"name": "health", "description": "Liveness; no key needed."},
    {"name": "metrics", "description": "Prometheus metrics (global admin)."},
]


def _stop_solves_on_signals(pool: SolvePool):
    """Chain a handler before the server's own SIGTERM/SIGINT handler (uvicorn's): the solves are asked to stop
    the moment the signal arrives, so open synchronous requests end at once instead of holding the graceful
    shutdown until its timeout. Only where handlers can be set (the main thread); returns an undo."""
    if threading.current_thread() is not threading.main_thread():
        return lambda: None
    previous: dict[int, Any] = {}  # signal -> the handler it had (a callable, SIG_DFL/SIG_IGN, or None)

    def handler(sig, frame):
        log.info("stop signal: cancelling running solves", extra={"signal": sig})
        pool.begin_shutdown()
        before = previous.get(sig)
        if callable(before):
            before(sig, frame)
        elif before == signal.SIG_DFL:  # nobody else handles it: what the signal would have done
            signal.signal(sig, before)
            signal.raise_signal(sig)

    for sig in (signal.SIGTERM, signal.SIGINT):
        previous[sig] = signal.signal(sig, handler)

    def restore() -> None:
        for sig, before in previous.items():
            if signal.getsignal(sig) is handler:
                signal.signal(sig, before)

    return restore


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()
    if not logging.getLogger("api").handlers:
        logs.configure(settings.log_level, settings.log_json)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        db = Database(settings.database_url, settings.database_busy_timeout_s)
        db.create_schema()
        backend = ray_backend.from_settings(settings, db)  # None: the pool's own threads
        # with Ray, other API processes may be running jobs of this database right now: theirs are not ours
        interrupted = db.mark_interrupted() if backend is None else ray_backend.mark_stale(db)
        if interrupted:
            log.warning("jobs interrupted by the last stop", extra={"jobs": interrupted})
        pool = SolvePool(
            db,
            max_concurrent=settings.max_concurrent_solves,
            max_queued=settings.max_queued_solves,
            retry_after_s=settings.retry_after_s,
            on_finish=app.state.metrics.job_finished,
            backend=backend,
        )
        app.state.db, app.state.pool = db, pool
        log.info(
            "service started",
            extra={
                "database": db.engine.url.render_as_string(hide_password=True),
                "max_concurrent_solves": settings.max_concurrent_solves,
                "max_queued_solves": settings.max_queued_solves,
                "engine": "ray" if backend is not None else "threads",
            },
        )
        restore = _stop_solves_on_signals(pool)
        try:
            yield
        finally:
            restore()
            abandoned = await run_in_threadpool(pool.shutdown, settings.shutdown_wait_s)
            db.dispose()
            log.info("service stopped", extra={"abandoned_jobs": len(abandoned)})

    app: FastAPI = FastAPIOffline(
        title="Reshuffle planner API",
        version=__version__,
        description=DESCRIPTION,
        openapi_tags=TAGS,
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.metrics = Metrics(app.state)
    errors.install(app)
    for module in (health, solve, jobs, whatif, recommend, check, scenarios, keys, audit):
        app.include_router(module.router, prefix="/v1")
    app.include_router(compare_router.router, prefix="/v1")  # compare, alternatives, runner-ups
    app.include_router(sweeps_router.router, prefix="/v1")  # policy sweeps: scenarios × variants
    app.include_router(metrics_router.router)  # /metrics, where scrapers look
    ui.install(app)  # the review workspace under /ui
    app.add_middleware(JsonGuard)  # inside the size limit: it reads bodies the limit has let through
    app.add_middleware(BodyLimit, limit=settings.max_body_bytes)
    if settings.cors_origins:  # off unless configured: a browser on another origin may not call the API
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "POST", "DELETE"],
            allow_headers=["X-API-Key", "Authorization", "Content-Type"],
            expose_headers=["Location", "Retry-After", "X-Request-ID", "X-Job-Id", "X-Scenario-Id"],
        )
    app.add_middleware(
        RequestContext, metrics=app.state.metrics
    )  # outermost: every answer, 413s included, gets an id and a log line
    return app


app = create_app()
