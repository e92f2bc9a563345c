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
    for method, path in (("GET", "/v1/jobs/nope"), ("GET", "/v1/jobs/nope/plan"), ("DELETE", "/v1/jobs/nope"),
                         ("POST", "/v1/jobs/nope/resubmit")):
        r = client.request(method, path, headers=auth("admin"))
        assert r.status_code == 404 and r.json()["error"] == "not_found", path


def test_progress_while_running_then_cancel_keeps_the_best_plan_so_far(client, auth, slow_scenario,
                                                                       held_solver):
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
        ("job.cancel", "test-planner", "cancelled"), ("plan.read", "test-viewer", "feasible"),
        ("job.cancel", "test-planner", "cancelled"), ("job.create", "test-planner", "202")]


def test_cancelling_a_finished_job_is_409(client, auth, scenario):
    job_id = client.post("/v1/jobs", params={"time_limit": 2}, json=scenario, headers=auth("planner")).json()["id"]
    wait_for(client, job_id, auth("viewer"), finished)
    r = client.delete(f"/v1/jobs/{job_id}", headers=auth("planner"))
    assert r.status_code == 409 and r.json()["error"] == "job_finished"


def test_full_pool_refuses_with_retry_after_and_queued_jobs_cancel_at_once(tmp_path, slow_scenario, scenario,
                                                                          held_solver):
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
        wait_for(client, job_id, h, lambda j: j["state"] == "running")
        t0 = time.monotonic()
    assert time.monotonic() - t0 < 20  # shutdown stopped the solver, it did not wait 60 s
    with TestClient(create_app(settings)) as client:
        job = client.get(f"/v1/jobs/{job_id}", headers=h).json()
        assert job["state"] == "interrupted"
        assert "resubmit" in job["error"]["message_en"] and job["finished_at"] is not None
        # whatever the solver had when it was stopped is kept as the job's plan
        plan = client.get(f"/v1/jobs/{job_id}/plan", headers=h)
        assert plan.status_code == 200 and plan.json()["solver"]["cancelled"] is True


def test_jobs_left_running_by_a_crash_are_interrupted_at_start(tmp_path, scenario):
    settings = make_settings(tmp_path)
    db = Database(settings.database_url)
    db.create_schema()
    with db.session() as s, s.begin():
        s.add(ScenarioRow(id="sc1", sha256="0" * 64, county="c", as_of="2026-12-01", townships=0, posts=0, cadres=0,
                          document="{}"))
        s.flush()
        for jid, state in (("a", "running"), ("b", "queued"), ("c", "done")):
            s.add(JobRow(id=jid, scenario_id="sc1", state=state, time_limit_s=1, workers=1, created_at=utcnow()))
    db.dispose()
    from .conftest import make_keys

    h = {"X-API-Key": make_keys(settings)["viewer"]}
    with TestClient(create_app(settings)) as client:
        states = {j: client.get(f"/v1/jobs/{j}", headers=h).json()["state"] for j in "abc"}
    assert states == {"a": "interrupted", "b": "interrupted", "c": "done"}
