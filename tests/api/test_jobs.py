"""Background jobs: submit, follow progress, fetch the plan, cancel (the best plan so far is kept),
resubmit; a full pool refuses with 503 and Retry-After."""

from __future__ import annotations

import time

from fastapi.testclient import TestClient

from api.db import Database, JobRow, ScenarioRow, utcnow
from api.main import create_app
from planner.audit.check import check_plan
from planner.domain import load_plan, load_scenario

from .conftest import finished, make_settings, wait_for


def test_job_runs_to_a_plan(client, auth, scenario):
    r = client.post("/v1/jobs", params={"time_limit": 3}, json=scenario, headers=auth("planner"))
    assert r.status_code == 202, r.text
    job = r.json()
    assert r.headers["location"] == f"/v1/jobs/{job['id']}"
    assert job["state"] in ("queued", "running", "done") and job["kind"] == "job"
    done = wait_for(client, job["id"], auth("viewer"), finished)
    assert done["state"] == "done" and done["has_plan"] and done["finished_at"] >= done["started_at"]
    # progress ends at the plan's objective and bound, after at least one solution
    assert done["progress"]["objective"] == done["objective"] and done["progress"]["bound"] == done["bound"]
    assert done["progress"]["solutions"] >= 1
    plan = client.get(f"/v1/jobs/{job['id']}/plan", headers=auth("viewer"))
    assert plan.status_code == 200 and plan.json()["objective"] == done["objective"]
    inst = load_scenario(scenario)
    load_plan(plan.json(), inst)  # a plan document of this scenario
    listed = client.get("/v1/jobs", params={"state": "done"}, headers=auth("viewer")).json()["jobs"]
    assert [j["id"] for j in listed] == [job["id"]]


def test_unknown_job_is_404(client, auth):
    for method, path in (
        ("GET", "/v1/jobs/nope"),
        ("GET", "/v1/jobs/nope/plan"),
        ("DELETE", "/v1/jobs/nope"),
        ("POST", "/v1/jobs/nope/resubmit"),
    ):
        r = client.request(method, path, headers=auth("admin"))
        assert r.status_code == 404 and r.json()["error"] == "not_found", path


def test_progress_while_running_then_cancel_keeps_the_best_plan_so_far(client, auth, slow_scenario, held_solver):
    r = client.post("/v1/jobs", params={"time_limit": 60}, json=slow_scenario, headers=auth("planner"))
    assert r.status_code == 202
    job_id = r.json()["id"]
    running = wait_for(client, job_id, auth("viewer"), lambda j: j["state"] == "running")
    assert running["started_at"] is not None
    assert client.get(f"/v1/jobs/{job_id}/plan", headers=auth("viewer")).status_code == 409
    # the first solution shows in the progress while the solver goes on (held there by `held_solver`: the
    # planner proves this county optimal about a second after its first plan)
    found = wait_for(client, job_id, auth("viewer"), lambda j: j["progress"]["solutions"] or finished(j), 40)
    assert found["state"] == "running", "the solver finished before it could be cancelled"
    best, bound = found["progress"]["objective"], found["progress"]["bound"]
    assert bound is None or bound <= best  # the first answer (the audited greedy plan) may come before any bound
    t0 = time.monotonic()
    r = client.delete(f"/v1/jobs/{job_id}", headers=auth("planner"))
    took = time.monotonic() - t0
    assert r.status_code == 200
    job = r.json()
    assert job["state"] == "cancelled" and took < 5, took  # the solver stopped at once, not after 60 s
    # the plan kept is the best found before the stop (or a later improvement), and it is valid
    plan = client.get(f"/v1/jobs/{job_id}/plan", headers=auth("viewer")).json()
    assert plan["status"] == "feasible" and plan["solver"]["cancelled"] is True
    assert plan["objective"] <= best and plan["objective"] == job["objective"] == job["progress"]["objective"]
    inst = load_scenario(slow_scenario)
    assert check_plan(inst, load_plan(plan, inst)).ok
    # cancelling again is a no-op; the audit log has who did it
    again = client.delete(f"/v1/jobs/{job_id}", headers=auth("planner"))
    assert again.status_code == 200 and again.json()["state"] == "cancelled"
    entries = client.get("/v1/audit", params={"job_id": job_id}, headers=auth("admin")).json()["entries"]
    assert [(e["action"], e["key_name"], e["outcome"]) for e in entries] == [
        ("job.cancel", "test-planner", "cancelled"),
        ("plan.read", "test-viewer", "feasible"),
        ("job.cancel", "test-planner", "cancelled"),
        ("job.create", "test-planner", "202"),
    ]


def test_cancelling_a_finished_job_is_409(client, auth, scenario):
    job_id = client.post("/v1/jobs", params={"time_limit": 2}, json=scenario, headers=auth("planner")).json()["id"]
    wait_for(client, job_id, auth("viewer"), finished)
    r = client.delete(f"/v1/jobs/{job_id}", headers=auth("planner"))
    assert r.status_code == 409 and r.json()["error"] == "job_finished"


def test_full_pool_refuses_with_retry_after_and_queued_jobs_cancel_at_once(
    tmp_path, slow_scenario, scenario, held_solver
):
    settings = make_settings(tmp_path, max_concurrent_solves=1, max_queued_solves=1, retry_after_s=7)
    from .conftest import make_keys

    keys = make_keys(settings)
    h = {"X-API-Key": keys["planner"]}
    with TestClient(create_app(settings)) as client:
        running = client.post("/v1/jobs", params={"time_limit": 60}, json=slow_scenario, headers=h).json()
        queued = client.post("/v1/jobs", params={"time_limit": 2}, json=scenario, headers=h).json()
        assert queued["state"] == "queued"
        for path in ("/v1/jobs", "/v1/solve"):
            r = client.post(path, params={"time_limit": 2}, json=scenario, headers=h)
            assert r.status_code == 503 and r.headers["retry-after"] == "7", path
            assert r.json()["error"] == "busy" and "retry" in r.json()["message_en"]
        health = client.get("/v1/health").json()
        assert (health["running"], health["queued"], health["capacity"]) == (1, 1, 2)
        r = client.post(f"/v1/jobs/{running['id']}/resubmit", headers=h)
        assert r.status_code == 409 and r.json()["error"] == "job_active"
        # a queued job is dropped without running: no plan
        t0 = time.monotonic()
        r = client.delete(f"/v1/jobs/{queued['id']}", headers=h)
        assert r.status_code == 200 and r.json()["state"] == "cancelled" and time.monotonic() - t0 < 2
        assert r.json()["started_at"] is None
        assert client.get(f"/v1/jobs/{queued['id']}/plan", headers=h).status_code == 409
        # room again: a new submission is accepted
        again = client.post("/v1/jobs", params={"time_limit": 2}, json=scenario, headers=h)
        assert again.status_code == 202
        assert client.delete(f"/v1/jobs/{running['id']}", headers=h).json()["state"] == "cancelled"
        wait_for(client, again.json()["id"], h, finished)
        # nothing was stored for the refused submissions
        assert len(client.get("/v1/jobs", headers=h).json()["jobs"]) == 3


def test_resubmit_runs_the_same_scenario_again(client, auth, scenario):
    first = client.post("/v1/jobs", params={"time_limit": 2, "seed": 5}, json=scenario, headers=auth("planner")).json()
    wait_for(client, first["id"], auth("viewer"), finished)
    r = client.post(f"/v1/jobs/{first['id']}/resubmit", headers=auth("planner"))
    assert r.status_code == 202
    second = r.json()
    assert second["id"] != first["id"] and second["resubmitted_from"] == first["id"]
    assert (second["scenario_id"], second["time_limit_s"], second["seed"]) == (first["scenario_id"], 2, 5)
    assert client.get(f"/v1/jobs/{first['id']}", headers=auth("viewer")).json()["resubmitted_as"] == second["id"]
    assert wait_for(client, second["id"], auth("viewer"), finished)["state"] == "done"


def test_shutdown_stops_running_jobs_and_marks_them_interrupted(tmp_path, slow_scenario, held_solver):
    settings = make_settings(tmp_path)
    from .conftest import make_keys

    keys = make_keys(settings)
    h = {"X-API-Key": keys["planner"]}
    with TestClient(create_app(settings)) as client:
        job_id = client.post("/v1/jobs", params={"time_limit": 60}, json=slow_scenario, headers=h).json()["id"]
        found = wait_for(client, job_id, h, lambda j: j["progress"]["solutions"] or finished(j), 60)
        assert found["state"] == "running"  # held at its first plan until cancelled
    with TestClient(create_app(settings)) as client:
        job = client.get(f"/v1/jobs/{job_id}", headers=h).json()
        assert job["state"] == "interrupted" and job["has_plan"]
        assert "resubmit" in job["error"]["message_en"] and job["finished_at"] is not None
        # whatever the solver had when it was stopped is kept as the job's plan
        plan = client.get(f"/v1/jobs/{job_id}/plan", headers=h)
        assert plan.status_code == 200 and plan.json()["solver"]["cancelled"] is True
        inst = load_scenario(slow_scenario)
        assert check_plan(inst, load_plan(plan.json(), inst)).ok


def test_shutdown_does_not_wait_for_a_solve_that_cannot_be_stopped(tmp_path):
    """A solve still building its model (the library checks for a cancel only once CP-SAT runs) does not hold
    the stop: after the bounded wait it is marked interrupted, without a plan, and left to its daemon thread."""
    import threading

    from api.pool import SolvePool
    from planner.solver.options import SolveOptions

    db = Database(make_settings(tmp_path).database_url)
    db.create_schema()
    with db.session() as s, s.begin():
        s.add(
            ScenarioRow(
                id="sc1", sha256="0" * 64, county="c", as_of="2026-12-01", townships=0, posts=0, cadres=0, document="{}"
            )
        )
        s.flush()
        s.add(JobRow(id="j1", scenario_id="sc1", state="queued", time_limit_s=60, workers=1, created_at=utcnow()))
    release, started = threading.Event(), threading.Event()

    def deaf(control, progress):  # ignores the cancel, like a model build
        started.set()
        release.wait(120)
        return {"late": True}

    pool = SolvePool(db, max_concurrent=1, max_queued=1, retry_after_s=1)
    pool.submit("j1", deaf, SolveOptions(time_limit=60, workers=1), explain_inst=None)
    assert started.wait(30)
    try:
        assert pool.shutdown(wait_s=0.2) == ["j1"]
        assert not release.is_set() and started.is_set()  # shutdown returned while the work still ran
        with db.session() as s:
            job = s.get(JobRow, "j1")
            assert (job.state, job.plan_id, job.error) == ("interrupted", None, "api.job.interrupted")
    finally:
        release.set()
    db.dispose()


def test_a_job_cancelled_before_any_solution_has_no_plan(client, auth, slow_scenario, held_solver):
    """Cancelled before the solver found anything: no plan (409), not an empty plan.

    A job that started holds a plan within about a second: the solver's first answer is the audited greedy
    plan, a real plan the cancel keeps (the best so far). So the job certain to have none is one cancelled
    while queued. This test used to race the solver with unheld jobs — depending on the machine's load, a
    running job could finish before its cancel (409 instead of 200) or free its slot so the 'queued' one
    started and took the greedy plan; the held solver keeps the two running jobs running, and the third
    queued, until the cancels."""
    slow = {"time_limit": 60}
    h = auth("planner")
    first, second, third = (
        client.post("/v1/jobs", params=slow, json=slow_scenario, headers=h).json()["id"] for _ in "123"
    )
    for job_id in (first, second):  # the pool runs two at once, each held at its first answer
        wait_for(client, job_id, h, lambda j: j["progress"]["solutions"] or finished(j), 60)
    assert client.get(f"/v1/jobs/{third}", headers=h).json()["state"] == "queued"
    for job_id in (third, first, second):
        assert client.delete(f"/v1/jobs/{job_id}", headers=h).status_code == 200
    queued = wait_for(client, third, auth("viewer"), finished)
    assert queued["state"] == "cancelled" and queued["started_at"] is None
    assert queued["has_plan"] is False and "plan" not in queued["links"] and not queued["progress"]["solutions"]
    r = client.get(f"/v1/jobs/{third}/plan", headers=auth("viewer"))
    assert r.status_code == 409 and r.json()["error"] == "no_plan"
    inst = load_scenario(slow_scenario)
    for job_id in (first, second):  # cancelled after their first answer: they keep it, and it is a valid plan
        job = wait_for(client, job_id, auth("viewer"), finished)
        assert job["state"] == "cancelled" and job["has_plan"] is True and job["progress"]["solutions"] >= 1
        plan = client.get(f"/v1/jobs/{job_id}/plan", headers=auth("viewer")).json()
        assert check_plan(inst, load_plan(plan, inst)).ok


def test_jobs_left_running_by_a_crash_are_interrupted_at_start(tmp_path, scenario):
    settings = make_settings(tmp_path)
    db = Database(settings.database_url)
    db.create_schema()
    with db.session() as s, s.begin():
        s.add(
            ScenarioRow(
                id="sc1", sha256="0" * 64, county="c", as_of="2026-12-01", townships=0, posts=0, cadres=0, document="{}"
            )
        )
        s.flush()
        for jid, state in (("a", "running"), ("b", "queued"), ("c", "done")):
            s.add(JobRow(id=jid, scenario_id="sc1", state=state, time_limit_s=1, workers=1, created_at=utcnow()))
    db.dispose()
    from .conftest import make_keys

    h = {"X-API-Key": make_keys(settings)["viewer"]}
    with TestClient(create_app(settings)) as client:
        states = {j: client.get(f"/v1/jobs/{j}", headers=h).json()["state"] for j in "abc"}
    assert states == {"a": "interrupted", "b": "interrupted", "c": "done"}
