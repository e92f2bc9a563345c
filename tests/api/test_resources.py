"""Stored scenarios, API keys over HTTP, the audit log, limits, and what never reaches the logs."""

from __future__ import annotations

import json
import logging

from fastapi.testclient import TestClient

from api.main import create_app

from .conftest import make_keys, make_settings


def test_scenarios_are_listed_and_read_back(client, auth, scenario):
    solved = client.post("/v1/solve", params={"time_limit": 2}, json=scenario, headers=auth("planner"))
    scenario_id = solved.headers["x-scenario-id"]
    [row] = client.get("/v1/scenarios", headers=auth("viewer")).json()["scenarios"]
    assert (row["id"], row["county"], row["posts"], row["cadres"]) == (
        scenario_id,
        scenario["county"]["id"],
        len(scenario["posts"]),
        len(scenario["cadres"]),
    )
    assert row["created_by"] == "test-planner"
    doc = client.get(f"/v1/scenarios/{scenario_id}", headers=auth("viewer")).json()
    assert [c["id"] for c in doc["cadres"]] == [c["id"] for c in scenario["cadres"]]
    assert doc["as_of"] == scenario["as_of"]
    assert client.get("/v1/scenarios/nope", headers=auth("viewer")).status_code == 404


def test_admin_manages_keys_over_http(client, auth):
    r = client.post("/v1/api-keys", json={"name": "hr-system", "role": "planner"}, headers=auth("admin"))
    assert r.status_code == 201
    created = r.json()
    assert created["key"].startswith(f"rpk_{created['id']}_") and created["created_by"] == "test-admin"
    new = {"X-API-Key": created["key"]}
    assert client.get("/v1/jobs", headers=new).status_code == 200
    listed = client.get("/v1/api-keys", headers=auth("admin")).json()["keys"]
    assert "hr-system" in {k["name"] for k in listed}
    assert all("key" not in k and "hash" not in k and "salt" not in k for k in listed)
    assert next(k for k in listed if k["name"] == "hr-system")["last_used_at"] is not None
    r = client.delete(f"/v1/api-keys/{created['id']}", headers=auth("admin"))
    assert r.status_code == 200 and r.json()["revoked_at"] is not None
    assert client.get("/v1/jobs", headers=new).status_code == 401
    assert client.delete("/v1/api-keys/nope", headers=auth("admin")).status_code == 404
    r = client.post("/v1/api-keys", json={"name": "x", "role": "root"}, headers=auth("admin"))
    assert r.status_code == 422 and r.json()["problems"][0]["location"] == "role"
    actions = [e["action"] for e in client.get("/v1/audit", headers=auth("admin")).json()["entries"]]
    assert actions[:2] == ["key.revoke", "key.create"]


def test_audit_log_records_who_ran_what_without_personal_data(client, auth, scenario, settings):
    client.post("/v1/solve", params={"time_limit": 2}, json=scenario, headers=auth("planner"))
    [entry] = client.get("/v1/audit", params={"action": "solve"}, headers=auth("admin")).json()["entries"]
    assert entry["key_name"] == "test-planner" and entry["role"] == "planner"
    assert entry["scenario_id"] and len(entry["scenario_sha256"]) == 64 and entry["job_id"]
    assert entry["outcome"] in ("optimal", "feasible") and entry["at"].endswith("Z")
    from sqlalchemy import text

    from api.db import Database

    db = Database(settings.database_url)  # every stored column of every audit row, on either database
    with db.engine.connect() as conn:
        audit_lines = [repr(tuple(row)) for row in conn.execute(text("SELECT * FROM audit_log"))]
    db.dispose()
    names = {c["name"] for c in scenario["cadres"]}
    assert audit_lines and not any(name in line for line in audit_lines for name in names)


class _Capture(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def test_log_lines_are_json_and_carry_no_names(client, auth, scenario):
    from api.logs import JsonFormatter

    formatter, capture = JsonFormatter(), _Capture()
    logger = logging.getLogger("api")
    logger.addHandler(capture)
    try:
        client.post("/v1/solve", params={"time_limit": 2}, json=scenario, headers=auth("planner"))
        bad = dict(scenario, cadres=[dict(scenario["cadres"][0], gender="?")] + scenario["cadres"][1:])
        client.post("/v1/solve", json=bad, headers=auth("planner"))
    finally:
        logger.removeHandler(capture)
    lines = [formatter.format(r) for r in capture.records]
    records = [json.loads(line) for line in lines]
    access = [r for r in records if r["logger"] == "api.access"]
    assert [r["status"] for r in access] == [200, 422]
    assert all(r["key_name"] == "test-planner" and r["request_id"] for r in access)
    assert any(r["msg"] == "solve finished" and r["job_id"] for r in records)
    names = {c["name"] for c in scenario["cadres"]}
    assert not any(name in line for line in lines for name in names)


def test_body_size_limit_is_413(tmp_path, scenario):
    settings = make_settings(tmp_path, max_body_bytes=4096)
    h = {"X-API-Key": make_keys(settings)["planner"]}
    with TestClient(create_app(settings)) as client:
        r = client.post("/v1/solve", json=scenario, headers=h)
        assert r.status_code == 413 and r.json()["error"] == "body_too_large"
        # without a Content-Length (a streamed body) the limit holds too
        chunks = iter([json.dumps(scenario).encode()[i : i + 1000] for i in range(0, 30000, 1000)])
        r = client.post("/v1/solve", content=chunks, headers=h | {"content-type": "application/json"})
        assert r.status_code == 413
        assert "x-request-id" in r.headers
        assert client.get("/v1/jobs", headers=h).json()["jobs"] == []


def test_scenario_size_limits_are_located_422(tmp_path, scenario):
    settings = make_settings(tmp_path, max_cadres=10, max_posts=5)
    h = {"X-API-Key": make_keys(settings)["planner"]}
    with TestClient(create_app(settings)) as client:
        for path in ("/v1/solve", "/v1/jobs"):
            r = client.post(path, json=scenario, headers=h)
            assert r.status_code == 422
            assert {p["location"] for p in r.json()["problems"]} == {"cadres", "posts"}
            assert "exceed the limit of 10" in r.json()["problems"][0]["message_en"]


def test_unknown_routes_and_methods_answer_in_the_error_shape(client, auth):
    r = client.get("/v1/nothing", headers=auth("viewer"))
    assert r.status_code == 404 and r.json()["error"] == "not_found"
    r = client.put("/v1/jobs", headers=auth("viewer"))
    assert r.status_code == 405 and r.json()["message_zh"]


def test_openapi_has_examples_that_are_valid_documents():
    from api.examples import example
    from planner.domain import load_plan, load_scenario

    spec = create_app().openapi()
    body = spec["paths"]["/v1/solve"]["post"]["requestBody"]["content"]["application/json"]
    shown = body["examples"]["two-townships"]["value"]  # FastAPI leaves out the nulls: still the same county
    inst = load_scenario(shown)
    assert len(inst.townships) == 2 and inst.cadres.keys() == load_scenario(example("scenario")).cadres.keys()
    load_plan(example("plan"), inst)
    ok = spec["paths"]["/v1/jobs/{job_id}/plan"]["get"]["responses"]["200"]["content"]["application/json"]
    assert ok["example"]["format"] == "reshuffle-plan/1"
    for path, op in (("/v1/solve", "post"), ("/v1/jobs", "post"), ("/v1/check", "post")):
        assert "422" in spec["paths"][path][op]["responses"], path
