"""Reading and writing scenarios, jobs and plans; turning rows into response models."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from sqlalchemy import Insert, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from planner.domain.documents import Plan, Scenario

from .db import JobRow, PlanRow, ScenarioRow, new_id, utcnow
from .errors import ApiError, not_found
from .messages import text
from .schemas import JobOut, Progress, ProblemOut, ScenarioOut
from .security import Principal


def canonical(doc: Scenario) -> tuple[str, str]:
    """(canonical JSON, its sha256): the same scenario stored twice is one row."""
    data = doc.model_dump(mode="json", by_alias=True)
    blob = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return blob, hashlib.sha256(blob.encode("utf-8")).hexdigest()


def store_scenario(session: Session, doc: Scenario, created_by: str | None) -> ScenarioRow:
    """The stored row of `doc`: inserted, or the one already there — in one statement (``INSERT … ON CONFLICT
    (sha256) DO UPDATE … RETURNING id``, SQLite ≥ 3.35 and PostgreSQL), so concurrent submissions of the same
    new scenario all get the one row instead of racing into the unique constraint."""
    blob, sha = canonical(doc)
    values = dict(
        id=new_id(),
        sha256=sha,
        county=doc.county.id,
        as_of=doc.as_of.isoformat(),
        townships=len(doc.townships),
        posts=len(doc.posts),
        cadres=len(doc.cadres),
        document=blob,
        created_at=utcnow(),
        created_by=created_by,
    )
    dialect = session.get_bind().dialect.name
    if dialect not in ("sqlite", "postgresql"):  # another database: the portable look-then-insert (not race-free)
        row = session.scalar(select(ScenarioRow).where(ScenarioRow.sha256 == sha))
        if row is None:
            row = ScenarioRow(**values)
            session.add(row)
            session.flush()
        return row
    # a no-op update (sha256 to itself) so that RETURNING gives the existing row's id too; each dialect's own
    # insert, as only they have on_conflict_do_update
    stmt: Insert
    if dialect == "sqlite":
        lite = sqlite_insert(ScenarioRow).values(**values)
        stmt = lite.on_conflict_do_update(index_elements=[ScenarioRow.sha256], set_={"sha256": lite.excluded.sha256})
    else:
        pg = pg_insert(ScenarioRow).values(**values)
        stmt = pg.on_conflict_do_update(index_elements=[ScenarioRow.sha256], set_={"sha256": pg.excluded.sha256})
    scenario_id = session.execute(stmt.returning(ScenarioRow.id)).scalar_one()
    return session.get_one(ScenarioRow, scenario_id, populate_existing=True)  # the row RETURNING just named


# Tenants: a key scoped to counties sees only their scenarios, and the jobs and plans of those scenarios. An id
# of another county's record answers exactly as an id that does not exist (404), so ids guessed across tenants
# tell nothing about what is stored.


def scenario_or_404(session: Session, scenario_id: str, principal: Principal) -> ScenarioRow:
    row = session.get(ScenarioRow, scenario_id)
    if row is None or not principal.sees(row.county):
        raise not_found("scenario", scenario_id)
    return row


def job_in_scope(session: Session, job: JobRow, principal: Principal) -> bool:
    """Whether the key sees every county the job covers: its scenario's, and a sweep's every scenario's."""
    if principal.counties is None:
        return True
    ids = {job.scenario_id, *((job.params or {}).get("scenario_ids") or ())}
    for scenario_id in ids:
        scenario = session.get(ScenarioRow, scenario_id)
        if scenario is None or not principal.sees(scenario.county):
            return False
    return True


def job_or_404(session: Session, job_id: str, principal: Principal) -> JobRow:
    row = session.get(JobRow, job_id)
    if row is None or not job_in_scope(session, row, principal):
        raise not_found("job", job_id)
    return row


def check_scope(principal: Principal, doc: Scenario, where: tuple[str, ...] = ()) -> None:
    """A scenario sent by a scoped key must be of one of its counties (403, located at the county's id)."""
    county = doc.county.id
    if principal.sees(county):
        return
    zh, en = text("api.out_of_scope", county=county)
    location = " › ".join([*where, "county", "id"])
    problem = {"location": location, "loc": ["body", *where, "county", "id"], "message_zh": zh, "message_en": en}
    raise ApiError(403, "out_of_scope", "api.out_of_scope", county=county, problems=[problem])


def scenario_out(row: ScenarioRow) -> ScenarioOut:
    return ScenarioOut(
        id=row.id,
        sha256=row.sha256,
        county=row.county,
        as_of=row.as_of,
        townships=row.townships,
        posts=row.posts,
        cadres=row.cadres,
        created_at=row.created_at,
        created_by=row.created_by,
    )


def store_plan(session: Session, job: JobRow, plan: Plan) -> PlanRow:
    row = PlanRow(
        job_id=job.id,
        scenario_id=job.scenario_id,
        status=plan.status,
        objective=plan.objective,
        bound=plan.bound,
        document=plan.model_dump_json(by_alias=True),
        created_at=utcnow(),
    )
    session.add(row)
    session.flush()
    return row


def job_out(
    job: JobRow, scenario_sha256: str, live: dict[str, Any] | None = None, live_state: str | None = None
) -> JobOut:
    """A job as the API shows it; `live` progress (from a running solver) wins over the stored one."""
    progress = dict(job.progress or {})
    if live:
        progress.update(live)
    error = None
    if job.error:
        zh, en = text(job.error)
        error = ProblemOut(location=f"jobs/{job.id}", message_zh=zh, message_en=en)
    base = f"/v1/jobs/{job.id}"
    links = {"self": base, "scenario": f"/v1/scenarios/{job.scenario_id}"}
    if job.plan_id:
        links["plan"] = f"{base}/plan"
    return JobOut(
        id=job.id,
        kind=job.kind,
        state=live_state or job.state,
        scenario_id=job.scenario_id,
        scenario_sha256=scenario_sha256,
        time_limit_s=job.time_limit_s,
        workers=job.workers,
        seed=job.seed,
        submitted_by=job.submitted_by,
        created_at=job.created_at,
        started_at=job.started_at,
        finished_at=job.finished_at,
        progress=Progress(**{k: progress.get(k) for k in Progress.model_fields}),
        result_status=job.result_status,
        objective=job.objective,
        bound=job.bound,
        has_plan=job.plan_id is not None,
        error=error,
        resubmitted_from=job.resubmitted_from,
        resubmitted_as=job.resubmitted_as,
        links=links,
    )
