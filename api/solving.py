"""What the solve and job routes share: limits, validation, starting a job."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query
from sqlalchemy.orm import Session

from planner.domain.documents import Scenario
from planner.domain.load import Instance, load_scenario
from planner.errors import InputError
from planner.solve import SolveOptions

from .db import JobRow, ScenarioRow, utcnow
from .deps import Caller
from .errors import ApiError, from_input_error, invalid
from .messages import text
from .pool import SolvePool
from .settings import Settings

TimeLimit = Annotated[float | None, Query(gt=0, description="solver time limit in seconds (capped by the "
                                                          "server's ceiling; default from the settings)")]
Workers = Annotated[int | None, Query(ge=1, le=64, description="CP-SAT worker threads for this solve")]
Seed = Annotated[int, Query(ge=0, le=2**31 - 1, description="CP-SAT random seed")]


def problem(location: str, key: str, **fields) -> dict:
    zh, en = text(key, **fields)
    return {"location": location, "loc": location.split(" › "), "message_zh": zh, "message_en": en}


def solve_options(settings: Settings, time_limit: float | None, workers: int | None, seed: int, *,
                  sync: bool) -> SolveOptions:
    ceiling = settings.max_sync_time_limit_s if sync else settings.max_time_limit_s
    default = settings.default_sync_time_limit_s if sync else settings.default_time_limit_s
    problems = []
    if time_limit is not None and time_limit > ceiling:
        problems.append(problem("query › time_limit", "api.time_limit", limit=f"{ceiling:g}"))
    if workers is not None and workers > settings.max_solver_workers:
        problems.append(problem("query › workers", "api.workers", limit=settings.max_solver_workers))
    if problems:
        raise invalid("request", problems)
    return SolveOptions(time_limit=float(time_limit if time_limit is not None else min(default, ceiling)),
                        workers=int(workers or settings.solver_workers), seed=int(seed))


def check_size(settings: Settings, doc: Scenario, where: tuple[str, ...] = ()) -> None:
    problems = []
    for what, n, limit in (("cadre", len(doc.cadres), settings.max_cadres), ("post", len(doc.posts), settings.max_posts)):
        if n > limit:
            location = " › ".join([*where, f"{what}s"])
            problems.append(problem(location, "api.too_many", what=what, n=n, limit=limit))
    if problems:
        raise ApiError(422, "invalid_input", "api.invalid_input", problems=problems, document="scenario",
                       n=len(problems))


def load(settings: Settings, doc: Scenario, where: tuple[str, ...] = ()) -> Instance:
    """The resolved scenario, or a 422 listing every problem, located."""
    check_size(settings, doc, where)
    try:
        return load_scenario(doc)
    except InputError as exc:
        raise from_input_error(exc, where) from None


def start_job(session: Session, pool: SolvePool, caller: Caller, scenario: ScenarioRow, inst: Instance,
              options: SolveOptions, *, kind: str, resubmitted_from: str | None = None) -> JobRow:
    """Store a queued job and hand it to the pool (503 when the pool is full; nothing stored then)."""
    pool.check_capacity()
    job = JobRow(kind=kind, scenario_id=scenario.id, state="queued", time_limit_s=options.time_limit,
                 workers=options.workers, seed=options.seed, submitted_by=caller.name, created_at=utcnow(),
                 resubmitted_from=resubmitted_from)
    session.add(job)
    session.commit()
    try:
        pool.submit(job.id, inst, options)
    except ApiError:
        session.delete(job)
        session.commit()
        raise
    return job
