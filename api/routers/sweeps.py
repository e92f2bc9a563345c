"""POST /v1/sweeps: a policy sweep over stored scenarios × variants, as a background job; its progress, its
results (the rows of the sweep's table, as JSON) and cancel.

A sweep is a job of kind ``sweep`` in the service's solver pool (counted against its capacity like any job).
Each cell is solved and audited by the checker as in ``planner sweep`` (planner.analysis.sweep.run_cell). The
cells run one after another in the pool's thread — or, with ``PLANNER_RAY_ADDRESS`` set, as Ray tasks on that
cluster (planner.analysis.sweep_engines.run_ray), so the sweep's cells spread over the cluster's cores.
Cancel stops the running cell; the rows of the cells finished before stay in the results.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import threading
from typing import Annotated, Any

from fastapi import APIRouter, Path, Response, status
from pydantic import BaseModel, ConfigDict, Field

from planner.analysis.sweep import COLUMNS, Cell, Variant, cell_key, run_cell, variant, with_variant
from planner.domain.documents import Scenario
from planner.domain.errors import InputError
from planner.domain.load import load_scenario
from planner.solver.options import SolveControl, SolveOptions

from ..db import JobRow, ScenarioRow
from ..deps import PlannerDep, PoolDep, SessionDep, SettingsDep, ViewerDep
from ..errors import ApiError, from_input_error, invalid
from ..messages import text
from ..schemas import ProblemOut, error_responses
from ..security import Principal
from ..solving import load, problem, start_job
from ..store import job_in_scope, scenario_or_404
from ..validation import policy_problems

router = APIRouter(prefix="/sweeps", tags=["sweeps"])

#: the size of a sweep the service accepts (a province-sized grid belongs to `planner sweep` on a cluster)
MAX_SCENARIOS, MAX_VARIANTS, MAX_CELLS = 50, 20, 200
MAX_EXPLAIN_S = 30.0
SweepId = Annotated[str, Path(max_length=64, description="the sweep's id (a job id)")]
TERMINAL = ("done", "cancelled", "failed", "interrupted")


class VariantIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(min_length=1, max_length=64)
    policy: dict[str, dict[str, Any]] = Field(default_factory=dict, description="overrides per rule, merged")
    waves: int | list[str] | None = Field(default=None, description="1–8 waves, or their dates")
    time_limit: float = Field(default=10.0, gt=0, description="seconds per cell (≤ the server's job ceiling)")


class SweepRequest(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "scenario_ids": ["ffe6e8dfb1bc4a21872595a98d66bc09"],
                    "variants": [
                        {"name": "default"},
                        {"name": "yp20", "policy": {"young-principals": {"min_share": 0.2}}},
                    ],
                    "explain_time": 5,
                }
            ]
        },
    )
    scenario_ids: list[Annotated[str, Field(max_length=64)]] = Field(min_length=1, max_length=MAX_SCENARIOS)
    variants: list[VariantIn] = Field(
        default_factory=lambda: [VariantIn(name="default")], min_length=1, max_length=MAX_VARIANTS
    )
    explain_time: float = Field(default=5.0, ge=0, description="seconds to explain an impossible cell")


class SweepCells(BaseModel):
    total: int
    done: int
    failed: int


class SweepOut(BaseModel):
    id: str
    state: str
    engine: str
    scenario_ids: list[str]
    variants: list[str]
    cells: SweepCells
    submitted_by: str | None
    created_at: dt.datetime
    started_at: dt.datetime | None
    finished_at: dt.datetime | None
    error: ProblemOut | None = None
    links: dict[str, str]


class SweepResults(BaseModel):
    id: str
    state: str
    #: every cell has its row (False while running, and after a cancel)
    complete: bool
    columns: list[str]
    rows: list[dict[str, Any]]


# ------------------------------------------------------------------------------------------ the work


def _counts(total: int, rows: list[dict[str, Any]]) -> dict[str, int]:
    failed = sum(1 for r in rows if r.get("error") or r.get("status") in ("error", "input-error"))
    return {"cells_total": total, "cells_done": len(rows) - failed, "cells_failed": failed}


def _sweep_work(docs: dict[str, dict], cells: list[Cell], explain_time: float, workers: int, address: str | None):
    """The job's work: every cell, in the pool's thread or as Ray tasks; live progress in ``control.progress``
    (counts and the rows so far), the counts also to the database; the answer holds the rows."""

    def work(control: SolveControl, progress) -> dict[str, Any]:
        rows: list[dict[str, Any]] = []

        def record(row: dict[str, Any]) -> None:
            rows.append(row)
            counts = _counts(len(cells), rows)
            control.progress = {**counts, "rows": rows}
            progress(counts)

        control.progress = {**_counts(len(cells), rows), "rows": rows}
        if address:
            from planner.analysis.sweep_engines import Stop, run_ray

            stop = Stop(lambda: control.cancelled)
            run_ray(docs, cells, explain_time, record, stop, cell_fn=run_cell, address=address, cpus=1, processes=None)
        else:
            _run_here(docs, cells, explain_time, workers, control, record)
        return {"engine": "ray" if address else "local", **_counts(len(cells), rows), "rows": rows}

    return work


def _run_here(docs, cells: list[Cell], explain_time: float, workers: int, control: SolveControl, record) -> None:
    """One cell after another in this thread; a cancel of the job stops the running cell's solve (its own
    control, so the job's live progress stays the sweep's counts), and a stopped cell leaves no row."""
    current: list[SolveControl] = []
    finished = threading.Event()

    def watch() -> None:
        while not finished.wait(0.2):
            if control.cancelled and current:
                current[-1].cancel()

    watcher = threading.Thread(target=watch, name="sweep-cancel", daemon=True)
    watcher.start()
    try:
        for c in cells:
            if control.cancelled:
                break
            ctl = SolveControl()
            current.append(ctl)
            row = run_cell(
                docs[c.scenario], c.scenario, c.variant, c.key, workers=workers, explain_time=explain_time, control=ctl
            )
            if ctl.cancelled:
                break
            record(row)
    finally:
        finished.set()
        watcher.join()


# ------------------------------------------------------------------------------------------ the routes


def _variants(settings, body: SweepRequest) -> list[Variant]:
    problems, out = [], []
    for k, v in enumerate(body.variants):
        where = f"variants[{k}]"
        if v.time_limit > settings.max_time_limit_s:
            problems.append(problem(f"{where} › time_limit", "api.time_limit", limit=f"{settings.max_time_limit_s:g}"))
            continue
        try:
            out.append(variant(v.name, v.policy, v.waves, v.time_limit, where=where))
        except InputError as exc:
            problems.extend(from_input_error(exc).problems or [])
    names = [v.name for v in body.variants]
    for name in sorted({n for n in names if names.count(n) > 1}):
        problems.append(problem("variants", "sweep.grid.variant_twice", name=name))
    if body.explain_time > MAX_EXPLAIN_S:
        problems.append(problem("explain_time", "api.sweep.explain_time", limit=f"{MAX_EXPLAIN_S:g}"))
    if problems:
        raise invalid("sweep request", problems)
    return out


def _check_variants(settings, doc: dict, variants: list[Variant]) -> None:
    """Each variant's policy against the first scenario: a bad override is a located 422, not a failed cell."""
    problems: list[dict] = []
    for k, v in enumerate(variants):
        where = (f"variants[{k}]",)
        try:
            changed = Scenario.model_validate(with_variant(doc, v))
            problems.extend(policy_problems(changed.policy, where))
            load_scenario(changed)
        except InputError as exc:
            problems.extend(from_input_error(exc, where).problems or [])
        except ValueError as exc:  # pydantic's ValidationError: the merged policy is not a policy
            problems.append(
                {
                    "location": f"{where[0]} › policy",
                    "loc": ["body", *where],
                    "message_zh": str(exc),
                    "message_en": str(exc),
                }
            )
    if problems:
        raise invalid("sweep request", problems)


@router.post(
    "",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=SweepOut,
    summary="Start a policy sweep: stored scenarios × variants",
    description="Every cell (a stored scenario with a variant's policy overrides, waves and time limit) is "
    "solved and audited by the checker; an impossible cell names its blocking rules. At most "
    f"{MAX_SCENARIOS} scenarios, {MAX_VARIANTS} variants and {MAX_CELLS} cells; each scenario within the "
    "server's size limits. Runs in the solver pool (503 when full), on the Ray cluster of "
    "`PLANNER_RAY_ADDRESS` when it is set. Follow it with `GET /v1/sweeps/{id}`. Role: planner.",
    responses=error_responses(401, 403, 404, 413, 422, 503),
    openapi_extra={"x-document": "sweep request"},
)
def create_sweep(
    body: SweepRequest,
    caller: PlannerDep,
    session: SessionDep,
    pool: PoolDep,
    settings: SettingsDep,
    response: Response,
) -> SweepOut:
    variants = _variants(settings, body)
    problems = []
    ids = body.scenario_ids
    for k, sid in enumerate(ids):
        if sid in ids[:k]:
            problems.append(problem(f"scenario_ids[{k}]", "sweep.grid.scenario_twice", id=sid))
    if len(ids) * len(variants) > MAX_CELLS:
        n = len(ids) * len(variants)
        problems.append(problem("variants", "api.sweep.too_many", what="cells", n=n, limit=MAX_CELLS))
    if problems:
        raise invalid("sweep request", problems)
    rows: list[ScenarioRow] = []
    for sid in ids:  # another county's scenario is, to a scoped key, one that does not exist
        rows.append(scenario_or_404(session, sid, caller.principal))
    docs: dict[str, dict] = {}
    insts = []
    for k, row in enumerate(rows):  # sizes, ids and policy numbers, as for any job
        docs[row.id] = json.loads(row.document)
        insts.append(load(settings, Scenario.model_validate(docs[row.id]), (f"scenario_ids[{k}]",), caller=caller))
    _check_variants(settings, docs[rows[0].id], variants)
    cells = [Cell(cell_key(docs[r.id], v), r.id, v) for r in rows for v in variants]
    address = os.environ.get("PLANNER_RAY_ADDRESS") or None
    options = SolveOptions(time_limit=max(v.time_limit for v in variants), workers=settings.solver_workers)
    params = {
        "scenario_ids": list(ids),
        "variants": [v.name for v in variants],
        "engine": "ray" if address else "local",
        "cells_total": len(cells),
    }
    work = _sweep_work(docs, cells, body.explain_time, settings.solver_workers, address)
    job, _ = start_job(session, pool, caller, rows[0], insts[0], options, kind="sweep", work=work, params=params)
    caller.audit("sweep.create", scenario_id=rows[0].id, scenario_sha256=rows[0].sha256, job_id=job.id, outcome=202)
    response.headers["Location"] = f"/v1/sweeps/{job.id}"
    return _out(session, pool, job)


def _sweep_or_404(session, sweep_id: str, principal: Principal) -> JobRow:
    """The sweep, if the caller's key sees every county it covers; else the answer for no such sweep."""
    job = session.get(JobRow, sweep_id)
    if job is None or job.kind != "sweep" or not job_in_scope(session, job, principal):
        raise ApiError(404, "not_found", "api.sweep.not_found", id=sweep_id)
    return job


def _out(session, pool, job: JobRow) -> SweepOut:
    session.refresh(job)  # the pool's thread may have moved it on
    live = pool.live(job.id)
    params = job.params or {}
    counts = dict(job.progress or {})
    if job.answer:
        counts = job.answer
    state = job.state
    if live is not None:
        state, counts = live[0], live[1] or counts
    error = None
    if job.error:
        zh, en = text(job.error)
        error = ProblemOut(location=f"sweeps/{job.id}", message_zh=zh, message_en=en)
    base = f"/v1/sweeps/{job.id}"
    return SweepOut(
        id=job.id,
        state=state,
        engine=params.get("engine", "local"),
        scenario_ids=params.get("scenario_ids", [job.scenario_id]),
        variants=params.get("variants", []),
        cells=SweepCells(
            total=int(counts.get("cells_total", params.get("cells_total", 0))),
            done=int(counts.get("cells_done", 0)),
            failed=int(counts.get("cells_failed", 0)),
        ),
        submitted_by=job.submitted_by,
        created_at=job.created_at,
        started_at=job.started_at,
        finished_at=job.finished_at,
        error=error,
        links={"self": base, "results": f"{base}/results", "job": f"/v1/jobs/{job.id}"},
    )


@router.get(
    "/{sweep_id}",
    response_model=SweepOut,
    summary="A sweep's state and progress: cells done, failed and in all",
    description="Role: viewer.",
    responses=error_responses(401, 403, 404),
)
def get_sweep(sweep_id: SweepId, caller: ViewerDep, session: SessionDep, pool: PoolDep) -> SweepOut:
    return _out(session, pool, _sweep_or_404(session, sweep_id, caller.principal))


@router.get(
    "/{sweep_id}/results",
    response_model=SweepResults,
    summary="A sweep's table: a row per finished cell",
    description="The rows of `planner sweep`'s table as JSON (status, objective, the checker's verdict, costs "
    "by rule, quotas reached, blocking rules). While the sweep runs in this service process, the rows so far "
    "(`complete` false); once it ended, every row it finished. 409 while it runs in another process. "
    "Role: viewer.",
    responses=error_responses(401, 403, 404, 409),
)
def sweep_results(sweep_id: SweepId, caller: ViewerDep, session: SessionDep, pool: PoolDep) -> SweepResults:
    job = _sweep_or_404(session, sweep_id, caller.principal)
    session.refresh(job)
    total = int((job.params or {}).get("cells_total", 0))
    live = pool.live(job.id)
    if live is not None:
        state, rows = live[0], list(live[1].get("rows", []))
    elif job.state in TERMINAL:
        state, rows = job.state, list((job.answer or {}).get("rows", []))
    else:
        raise ApiError(409, "not_finished", "api.sweep.not_finished", id=job.id, state=job.state)
    rows = [{c: r.get(c) for c in COLUMNS} for r in rows]
    complete = state == "done" and len(rows) == total
    caller.audit("sweep.results", scenario_id=job.scenario_id, job_id=job.id, outcome=len(rows))
    return SweepResults(id=job.id, state=state, complete=complete, columns=list(COLUMNS), rows=rows)


@router.delete(
    "/{sweep_id}",
    response_model=SweepOut,
    summary="Cancel a sweep",
    description="A queued sweep is dropped; a running one stops its running cell (Ray: its tasks are "
    "cancelled) and keeps the rows of the cells finished before (state `cancelled`). A finished sweep is 409. "
    "Role: planner.",
    responses=error_responses(401, 403, 404, 409),
)
def cancel_sweep(
    sweep_id: SweepId, caller: PlannerDep, session: SessionDep, pool: PoolDep, settings: SettingsDep
) -> SweepOut:
    job = _sweep_or_404(session, sweep_id, caller.principal)
    if pool.cancel(job.id):
        pool.wait(job.id, settings.cancel_wait_s)
        session.expire_all()
        job = _sweep_or_404(session, sweep_id, caller.principal)
    elif job.state != "cancelled":
        raise ApiError(409, "job_finished", "api.job_finished", id=job.id, state=job.state)
    caller.audit("sweep.cancel", scenario_id=job.scenario_id, job_id=job.id, outcome=job.state)
    return _out(session, pool, job)


__all__ = ["router", "SweepRequest", "SweepOut", "SweepResults"]
