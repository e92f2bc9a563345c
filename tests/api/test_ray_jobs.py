"""Jobs on Ray (api.ray_backend), with a real local Ray of 2 CPUs started here and its address passed through
the `ray_address` setting: a job solved as a Ray task gives the same audited plan as the pool's threads; a
cancel sent to a second app on the same database (another API process) stops a job the first one runs; a
Ray worker killed mid-solve is retried and the job still ends with a plan; a process starting marks
interrupted only the running jobs no live process watches."""

from __future__ import annotations

import datetime as dt
import os
import signal
import time
from pathlib import Path
from typing import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

ray = pytest.importorskip("ray")

from api.db import Database, JobRow, ScenarioRow, utcnow  # noqa: E402
from api.main import create_app  # noqa: E402
from api.ray_backend import STALE_S, RayBackend, mark_stale  # noqa: E402
from planner.audit.check import check_plan  # noqa: E402
from planner.domain import load_plan, load_scenario  # noqa: E402

from .conftest import fresh_database, finished, make_keys, make_settings, wait_for  # noqa: E402


@pytest.fixture(scope="module")
def ray_address() -> Iterator[str]:
    ray.init(num_cpus=2, include_dashboard=False, logging_level="ERROR", log_to_driver=False)
    try:
        yield ray.get_runtime_context().gcs_address
    finally:
        ray.shutdown()


@pytest.fixture
def pg_settings(request, tmp_path, ray_address):
    """Settings of apps on Ray sharing one PostgreSQL database, as several API processes would."""
    return make_settings(
        tmp_path, database_url=fresh_database(request, "postgresql", tmp_path), ray_address=ray_address
    )


def _solve(client: TestClient, headers: dict, scenario: dict, time_limit: float) -> tuple[dict, dict]:
    r = client.post("/v1/jobs", params={"time_limit": time_limit}, json=scenario, headers=headers)
    assert r.status_code == 202, r.text
    job = wait_for(client, r.json()["id"], headers, finished, 120)
    plan = client.get(f"/v1/jobs/{job['id']}/plan", headers=headers)
    assert plan.status_code == 200, (job, plan.text)
    return job, plan.json()


def test_a_job_on_ray_equals_the_local_pool(settings, keys, auth, scenario, ray_address, monkeypatch):
    inst = load_scenario(scenario)
    ran = []  # the jobs the Ray backend ran (and nothing else did)
    run = RayBackend.run
    monkeypatch.setattr(RayBackend, "run", lambda self, a, *rest: ran.append(a.job_id) or run(self, a, *rest))
    with TestClient(create_app(settings)) as local:
        job, plan = _solve(local, auth("planner"), scenario, 5)
    with TestClient(create_app(settings.model_copy(update={"ray_address": ray_address}))) as on_ray:
        ray_job, ray_plan = _solve(on_ray, auth("planner"), scenario, 5)
    assert (job["state"], ray_job["state"]) == ("done", "done") and ran == [ray_job["id"]]
    assert plan["status"] == ray_plan["status"] == "optimal"
    assert ray_plan["objective"] == plan["objective"] == ray_job["objective"]
    # the checker's audit agrees with both, objective included
    for doc in (plan, ray_plan):
        report = check_plan(inst, load_plan(doc, inst))
        assert report.ok and report.objective == plan["objective"]
    assert ray_job["progress"]["solutions"] >= 1  # progress came back from the task to the database


def test_cancel_through_another_process_stops_the_job(pg_settings, long_scenario):
    keys = make_keys(pg_settings)
    h = {"X-API-Key": keys["planner"]}
    with TestClient(create_app(pg_settings)) as owner:
        r = owner.post("/v1/jobs", params={"time_limit": 60}, json=long_scenario, headers=h)
        assert r.status_code == 202, r.text
        job_id = r.json()["id"]
        running = wait_for(owner, job_id, h, lambda j: j["state"] == "running" or finished(j), 60)
        assert running["state"] == "running", "the job finished before it could be cancelled"
        # a second API process starting on the database leaves the first one's running job alone
        with TestClient(create_app(pg_settings)) as other:
            assert other.get(f"/v1/jobs/{job_id}", headers=h).json()["state"] == "running"
            t0 = time.monotonic()
            r = other.delete(f"/v1/jobs/{job_id}", headers=h)
            took = time.monotonic() - t0
        assert r.status_code == 200, r.text
        job = r.json()
        assert job["state"] == "cancelled", job  # not left running for its 60 s
        assert took < pg_settings.cancel_wait_s
        # both processes read the same end; a plan kept at the stop is valid and is the last progress reported
        assert owner.get(f"/v1/jobs/{job_id}", headers=h).json()["state"] == "cancelled"
        if job["has_plan"]:
            plan = owner.get(f"/v1/jobs/{job_id}/plan", headers=h).json()
            inst = load_scenario(long_scenario)
            assert check_plan(inst, load_plan(plan, inst)).ok
            assert plan["objective"] == job["objective"] == job["progress"]["objective"]
    db = Database(pg_settings.database_url)
    with db.session() as s:
        assert s.get(JobRow, job_id).cancel_requested_at is not None  # recorded by the other process
    db.dispose()


def test_a_start_marks_only_silent_ray_jobs_interrupted(pg_settings):
    db = Database(pg_settings.database_url)
    db.create_schema()
    now = utcnow()
    old, fresh = now - dt.timedelta(seconds=STALE_S + 5), now - dt.timedelta(seconds=2)
    with db.session() as s, s.begin():
        s.add(
            ScenarioRow(
                id="sc1", sha256="0" * 64, county="c", as_of="2026-12-01", townships=0, posts=0, cadres=0, document="{}"
            )
        )
        s.flush()
        for jid, kind, state, started, beat in (
            ("silent", "job", "running", old, old),
            ("never-beat", "sync", "running", old, None),
            ("alive", "job", "running", old, fresh),
            ("just-started", "job", "running", fresh, None),
            ("sweep", "sweep", "running", old, None),
            ("queued", "job", "queued", None, None),
        ):
            s.add(
                JobRow(
                    id=jid,
                    kind=kind,
                    scenario_id="sc1",
                    state=state,
                    time_limit_s=60,
                    workers=1,
                    created_at=old,
                    started_at=started,
                    heartbeat_at=beat,
                )
            )
    assert sorted(mark_stale(db, now)) == ["never-beat", "silent", "sweep"]
    with db.session() as s:
        states = {j.id: j.state for j in s.scalars(select(JobRow))}
    db.dispose()
    assert states == {
        "silent": "interrupted",
        "never-beat": "interrupted",
        "alive": "running",
        "just-started": "running",
        "sweep": "interrupted",
        "queued": "queued",
    }


def _job_workers() -> list[int]:
    """PIDs of Ray workers running a job's task now (Ray titles a busy worker ray::<task name>)."""
    pids = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                cmd = Path(f"/proc/{entry}/cmdline").read_bytes()
            except OSError:
                continue
            if cmd.startswith(b"ray::run_job"):
                pids.append(int(entry))
    return pids


def test_a_killed_worker_is_retried(pg_settings, slow_scenario):
    keys = make_keys(pg_settings)
    h = {"X-API-Key": keys["planner"]}
    with TestClient(create_app(pg_settings)) as client:
        r = client.post("/v1/jobs", params={"time_limit": 20}, json=slow_scenario, headers=h)
        assert r.status_code == 202, r.text
        job_id = r.json()["id"]
        killed = None
        deadline = time.monotonic() + 60
        while killed is None and time.monotonic() < deadline:
            pids = _job_workers()
            if pids:
                killed = pids[0]
                os.kill(killed, signal.SIGKILL)
            time.sleep(0.05)
        assert killed is not None, "no running job task was seen to kill"
        job = wait_for(client, job_id, h, finished, 120)
        assert job["state"] == "done" and job["has_plan"], job  # retried, not failed
        plan = client.get(f"/v1/jobs/{job_id}/plan", headers=h).json()
        inst = load_scenario(slow_scenario)
        assert check_plan(inst, load_plan(plan, inst)).ok


def test_a_sweep_cancelled_through_another_process(pg_settings, long_scenario):
    """A sweep runs in its owner's thread (its cells go to Ray on their own): a cancel sent to another process
    reaches it too."""
    keys = make_keys(pg_settings)
    h = {"X-API-Key": keys["planner"]}
    with TestClient(create_app(pg_settings)) as owner, TestClient(create_app(pg_settings)) as other:
        r = owner.post("/v1/jobs", params={"time_limit": 1}, json=long_scenario, headers=h)  # stores it
        assert r.status_code == 202, r.text
        body = {"scenario_ids": [r.json()["scenario_id"]], "variants": [{"name": "long", "time_limit": 60}]}
        sweep = owner.post("/v1/sweeps", json=body, headers=h)
        assert sweep.status_code == 202, sweep.text
        sweep_id = sweep.json()["id"]
        running = wait_for(other, sweep_id, h, lambda j: j["state"] == "running" or finished(j), 60)
        assert running["state"] == "running", "the sweep finished before it could be cancelled"
        r = other.delete(f"/v1/sweeps/{sweep_id}", headers=h)
        assert r.status_code == 200, r.text
        assert r.json()["state"] == "cancelled", r.json()  # not left running for its 60 s
        assert owner.get(f"/v1/sweeps/{sweep_id}", headers=h).json()["state"] == "cancelled"


def test_cancel_in_the_owning_process_stops_the_task(pg_settings, long_scenario):
    keys = make_keys(pg_settings)
    h = {"X-API-Key": keys["planner"]}
    with TestClient(create_app(pg_settings)) as client:
        r = client.post("/v1/jobs", params={"time_limit": 60}, json=long_scenario, headers=h)
        assert r.status_code == 202, r.text
        job_id = r.json()["id"]
        running = wait_for(client, job_id, h, lambda j: j["state"] == "running" or finished(j), 60)
        assert running["state"] == "running", "the job finished before it could be cancelled"
        job = client.delete(f"/v1/jobs/{job_id}", headers=h).json()
        assert job["state"] == "cancelled", job
    db = Database(pg_settings.database_url)
    with db.session() as s:
        assert s.get(JobRow, job_id).cancel_requested_at is None  # held here: nothing to record for others
    db.dispose()
