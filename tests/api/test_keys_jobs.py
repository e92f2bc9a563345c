"""Keys and jobs (issue 18): the last global admin key cannot be revoked, resubmission is idempotent, and a job
stopped before any solution says it has no plan."""

from __future__ import annotations

import threading

from fastapi.testclient import TestClient

from api.main import create_app

from .conftest import finished, make_keys, make_settings, wait_for


def _key_id(client, auth, name):
    return next(k["id"] for k in client.get("/v1/api-keys", headers=auth("admin")).json()["keys"] if k["name"] == name)


# ------------------------------------------------------------------------------------------ keys


def test_the_last_admin_key_cannot_revoke_itself(client, auth):
    own = _key_id(client, auth, "test-admin")  # the only active global admin key (the other one is revoked)
    r = client.delete(f"/v1/api-keys/{own}", headers=auth("admin"))
    assert r.status_code == 409, r.text
    body = r.json()
    assert body["error"] == "last_admin" and body["message_zh"] and own in body["message_en"]
    assert body["problems"][0]["location"] == "path › key_id"
    assert client.get("/v1/api-keys", headers=auth("admin")).status_code == 200  # still works
    # with a second global admin, either may go; then the survivor is the last one again
    second = client.post("/v1/api-keys", json={"name": "admin-2", "role": "admin"}, headers=auth("admin")).json()
    assert client.delete(f"/v1/api-keys/{own}", headers={"X-API-Key": second["key"]}).status_code == 200
    r = client.delete(f"/v1/api-keys/{second['id']}", headers={"X-API-Key": second["key"]})
    assert r.status_code == 409 and r.json()["error"] == "last_admin"


def test_a_scoped_admin_is_not_a_global_one(client, auth):
    """A county's admin key does not count as the service's last admin: the global one still cannot go."""
    scoped = client.post(
        "/v1/api-keys", json={"name": "a-admin", "role": "admin", "counties": ["A"]}, headers=auth("admin")
    ).json()
    assert scoped["counties"] == ["A"]
    own = _key_id(client, auth, "test-admin")
    assert client.delete(f"/v1/api-keys/{own}", headers=auth("admin")).status_code == 409
    # the scoped admin may revoke itself: a global admin remains to manage its county
    assert client.delete(f"/v1/api-keys/{scoped['id']}", headers={"X-API-Key": scoped["key"]}).status_code == 200


def test_the_cli_refuses_to_revoke_the_last_admin(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from planner.cli.common import app

    monkeypatch.setenv("PLANNER_DATABASE_URL", f"sqlite:///{tmp_path / 'keys.db'}")
    runner = CliRunner()
    r = runner.invoke(app, ["api-key", "create", "--role", "admin", "--name", "root"])
    key_id = r.stdout.strip().split("_")[1]
    r = runner.invoke(app, ["api-key", "revoke", key_id])
    assert r.exit_code == 2 and "last active global admin" in r.output
    assert "REVOKED" not in runner.invoke(app, ["api-key", "list"]).stdout


# ------------------------------------------------------------------------------------------ jobs


def test_resubmitting_twice_makes_one_new_job(client, auth, scenario):
    first = client.post("/v1/jobs", params={"time_limit": 1}, json=scenario, headers=auth("planner")).json()
    wait_for(client, first["id"], auth("viewer"), finished)
    a = client.post(f"/v1/jobs/{first['id']}/resubmit", headers=auth("planner"))
    b = client.post(f"/v1/jobs/{first['id']}/resubmit", headers=auth("planner"))
    assert a.status_code == b.status_code == 202
    assert a.json()["id"] == b.json()["id"] and a.headers["location"] == b.headers["location"]
    wait_for(client, a.json()["id"], auth("viewer"), finished)
    jobs = client.get("/v1/jobs", headers=auth("viewer")).json()["jobs"]
    assert len(jobs) == 2


def test_parallel_resubmissions_make_one_new_job(client, auth, scenario):
    """A retrying HR system resubmits an interrupted job several times at once: one new job, the same answer."""
    first = client.post("/v1/jobs", params={"time_limit": 1}, json=scenario, headers=auth("planner")).json()
    wait_for(client, first["id"], auth("viewer"), finished)
    n = 5
    gate, out = threading.Barrier(n), [None] * n

    def run(i):
        gate.wait()
        out[i] = client.post(f"/v1/jobs/{first['id']}/resubmit", headers=auth("planner"))

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert [r.status_code for r in out] == [202] * n, [r.text[:200] for r in out]
    assert len({r.json()["id"] for r in out}) == 1
    new = out[0].json()["id"]
    wait_for(client, new, auth("viewer"), finished)
    jobs = client.get("/v1/jobs", headers=auth("viewer")).json()["jobs"]
    assert sorted(j["id"] for j in jobs) == sorted([first["id"], new])
    audit = client.get("/v1/audit", params={"action": "job.resubmit"}, headers=auth("admin")).json()["entries"]
    assert [e["job_id"] for e in audit] == [new]


def test_a_resubmission_withdrawn_meanwhile_is_a_409_not_a_500(client, auth, scenario):
    """Request A claims a finished job (``resubmitted_as``), finds the pool full, deletes its new job and gives
    the claim back; request B, which read A's claim in between, then finds no job under it. The database as B
    sees it is set up directly: a claim naming a job that is not there."""
    from api.db import JobRow

    first = client.post("/v1/jobs", params={"time_limit": 1}, json=scenario, headers=auth("planner")).json()
    wait_for(client, first["id"], auth("viewer"), finished)
    with client.app.state.db.session() as s, s.begin():
        s.get_one(JobRow, first["id"]).resubmitted_as = "withdrawn0000000000000000000000"
    r = client.post(f"/v1/jobs/{first['id']}/resubmit", headers=auth("planner"))
    assert r.status_code == 409, r.text
    body = r.json()
    assert body["error"] == "resubmit_withdrawn" and body["message_zh"] and first["id"] in body["message_en"]


def test_a_job_interrupted_before_it_started_has_no_plan(tmp_path, slow_scenario, held_solver):
    """The server stops with one job queued behind two held ones: after the restart the queued job is
    interrupted without a plan (409 on the plan route), not with an empty plan."""
    settings = make_settings(tmp_path)
    keys = make_keys(settings)
    h = {"X-API-Key": keys["planner"]}
    slow = {"time_limit": 60}
    with TestClient(create_app(settings)) as client:
        ids = [client.post("/v1/jobs", params=slow, json=slow_scenario, headers=h).json()["id"] for _ in range(3)]
        for job_id in ids[:2]:  # the pool runs two at once, each held at its first plan
            wait_for(client, job_id, h, lambda j: j["progress"]["solutions"] or finished(j), 60)
        assert client.get(f"/v1/jobs/{ids[2]}", headers=h).json()["state"] == "queued"
    with TestClient(create_app(settings)) as client:
        queued = client.get(f"/v1/jobs/{ids[2]}", headers=h).json()
        assert queued["state"] == "interrupted" and queued["has_plan"] is False and "plan" not in queued["links"]
        r = client.get(f"/v1/jobs/{ids[2]}/plan", headers=h)
        assert r.status_code == 409 and r.json()["error"] == "no_plan"
        for job_id in ids[:2]:  # the held ones keep the plan they had
            job = client.get(f"/v1/jobs/{job_id}", headers=h).json()
            assert job["state"] == "interrupted" and job["has_plan"] is True
