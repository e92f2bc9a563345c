"""The service as an attacker and an operator probe it (issue 18): concurrent identical submissions, what
reaches the log on every error path, inputs that used to be 500s, keys, the database under stress, headers."""

from __future__ import annotations

import copy
import json
import logging
import threading

import pytest
from fastapi.testclient import TestClient

from api.main import create_app

from .conftest import make_keys, make_settings


def _parallel(n: int, call) -> list:
    """Run `call(i)` in n threads released together; their results in order."""
    gate, out = threading.Barrier(n), [None] * n

    def run(i: int) -> None:
        gate.wait()
        out[i] = call(i)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    return out


# ------------------------------------------------------------------------------------ concurrency


def test_concurrent_identical_submissions_store_one_scenario(client, auth, scenario):
    """An HR system that retries sends the same new scenario several times at once: every request is accepted
    (no 500 from the unique constraint) and they all share one stored scenario."""
    scenario = copy.deepcopy(scenario)
    scenario["county"]["name"] += "（并发）"  # a scenario no other test stored
    answers = _parallel(
        6, lambda i: client.post("/v1/jobs", params={"time_limit": 1}, json=scenario, headers=auth("planner"))
    )
    assert [r.status_code for r in answers] == [202] * 6, [r.text[:200] for r in answers]
    assert len({r.json()["scenario_id"] for r in answers}) == 1
    listed = client.get("/v1/scenarios", headers=auth("viewer")).json()["scenarios"]
    assert len(listed) == 1


def test_store_scenario_is_one_statement_and_idempotent(settings, scenario):
    from api.db import Database, ScenarioRow
    from api.store import store_scenario
    from planner.domain.documents import Scenario

    db = Database(settings.database_url)
    db.create_schema()
    doc = Scenario.model_validate(scenario)
    with db.session() as s1, db.session() as s2:
        a = store_scenario(s1, doc, "a")
        s1.commit()
        b = store_scenario(s2, doc, "b")  # a second session that never saw the first row
        s2.commit()
        assert a.id == b.id and b.created_by == "a"
    with db.session() as s:
        assert s.query(ScenarioRow).count() == 1
    db.dispose()


# ------------------------------------------------------------------------------------------- logs


class _Capture(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def test_no_personal_data_reaches_the_log_on_any_error_path(tmp_path, scenario, witness, monkeypatch):
    """Every error path — 401, 403, 404, 409, 413, 422 of every kind, 503, an internal error in a route, one
    in a solve, a database error with SQL parameters — and nothing of the documents reaches a log line."""
    from api.logs import JsonFormatter, TextFormatter

    settings = make_settings(tmp_path, max_body_bytes=200_000, max_concurrent_solves=1, max_queued_solves=0)
    keys = make_keys(settings)
    h = {role: {"X-API-Key": keys[role]} for role in ("viewer", "planner", "admin")}
    capture = _Capture()
    loggers = [logging.getLogger(name) for name in ("api", "uvicorn", "uvicorn.error")]
    for logger in loggers:
        logger.addHandler(capture)
    secret_words = {c["name"] for c in scenario["cadres"]} | {t["name"] for t in scenario["townships"]}
    secret_words |= {c["birth_date"] for c in scenario["cadres"]}
    try:
        with TestClient(create_app(settings), raise_server_exceptions=False) as client:
            ok = client.post("/v1/solve", params={"time_limit": 2}, json=scenario, headers=h["planner"])
            assert ok.status_code == 200
            calls = [
                client.post("/v1/solve", json=scenario),  # 401
                client.post("/v1/solve", json=scenario, headers={"X-API-Key": "rpk_0123456789abcdef_nope"}),
                client.post("/v1/solve", json=scenario, headers=h["viewer"]),  # 403
                client.get("/v1/jobs/nope", headers=h["viewer"]),  # 404
                client.delete(f"/v1/jobs/{ok.headers['x-job-id']}", headers=h["planner"]),  # 409
                client.post("/v1/solve", content=b"x" * 300_000, headers=h["planner"]),  # 413
                client.post(
                    "/v1/solve",
                    json=dict(scenario, cadres=[dict(scenario["cadres"][0], gender="?", birth_date="1990-02-30")]),
                    headers=h["planner"],
                ),  # 422 (shape)
                client.post(
                    "/v1/solve",
                    json=dict(scenario, cadres=[dict(c, current_post="NOPE") for c in scenario["cadres"]]),
                    headers=h["planner"],
                ),  # 422 (references)
                client.post(
                    "/v1/solve",
                    json=dict(scenario, policy={"young-principals": {"min_share": 1e-320}}),
                    headers=h["planner"],
                ),  # 422 (policy number)
                client.post(
                    "/v1/solve",
                    content=b'{"county": ' + b"[" * 400 + b"]" * 400 + b"}",
                    headers={**h["planner"], "content-type": "application/json"},
                ),  # 422 (depth)
                client.post(
                    "/v1/check",
                    json={
                        "scenario": scenario,
                        "plan": dict(witness, assignments=[{"post": "NOPE", "cadre": scenario["cadres"][0]["name"]}]),
                    },
                    headers=h["viewer"],
                ),
                client.post(
                    "/v1/api-keys",
                    json={"name": scenario["cadres"][0]["name"] + "\u0000", "role": "viewer"},
                    headers=h["admin"],
                ),
            ]
            assert [r.status_code for r in calls] == [401, 401, 403, 404, 409, 413, 422, 422, 422, 422, 422, 422]

            # 503: the pool is full (one slot, no queue) while a solve is held there
            release = threading.Event()

            def held_solve(inst, options, control=None):
                release.wait(30)
                raise ValueError(f"solver exploded on {scenario['cadres'][0]['name']}")  # a solve failing

            monkeypatch.setattr("api.pool.solve", held_solve)
            job = client.post("/v1/jobs", json=scenario, headers=h["planner"])
            assert job.status_code == 202
            busy = client.post("/v1/jobs", json=scenario, headers=h["planner"])
            assert busy.status_code == 503 and busy.headers["retry-after"]
            release.set()
            from .conftest import wait_for

            failed = wait_for(client, job.json()["id"], h["viewer"], lambda j: j["state"] == "failed")
            assert failed["error"]["message_en"] == "an internal error stopped the solve"

            # 500 in a route, from the database, with the scenario as SQL parameters (the issue's own case)
            from sqlalchemy import insert

            from api.db import ScenarioRow

            def clashing_store(session, doc, created_by):
                session.execute(
                    insert(ScenarioRow).values(
                        id=ok.headers["x-scenario-id"],
                        sha256="f" * 64,
                        county=doc.county.id,
                        as_of="2026-12-01",
                        townships=1,
                        posts=1,
                        cadres=1,
                        document=json.dumps(scenario, ensure_ascii=False),
                    )
                )
                raise AssertionError("the insert above must fail")

            monkeypatch.setattr("api.routers.jobs.store_scenario", clashing_store)
            boom = client.post("/v1/jobs", json=scenario, headers=h["planner"])
            assert boom.status_code == 500 and boom.json()["error"] == "internal_error"
    finally:
        for logger in loggers:
            logger.removeHandler(capture)
    lines = [f.format(r) for r in capture.records for f in (JsonFormatter(), TextFormatter())]
    assert any("IntegrityError" in line for line in lines)  # the database error was logged: by its type only
    assert any("solve failed" in line and "ValueError" in line for line in lines)
    leaked = {w for w in secret_words if any(w in line for line in lines)}
    assert not leaked, leaked
    assert not any("INSERT INTO" in line and "VALUES" in line and "?" not in line for line in lines)


# ------------------------------------------------------------------------------ inputs that were 500s


def _deep(scenario: dict, levels: int) -> bytes:
    doc = copy.deepcopy(scenario)
    doc["policy"] = {"young-principals": {"mode": "hard", "min_share": 0.2, "x": "@@"}}
    return json.dumps(doc, ensure_ascii=False).replace('"@@"', '{"a":' * levels + "1" + "}" * levels).encode()


@pytest.mark.parametrize("levels", [300, 600, 999, 10_000])
def test_deeply_nested_policy_is_a_located_422(client, auth, scenario, levels):
    r = client.post(
        "/v1/solve", content=_deep(scenario, levels), headers={**auth("planner"), "content-type": "application/json"}
    )
    assert r.status_code == 422, r.text[:300]
    [p] = r.json()["problems"]
    if levels < 900:  # within the JSON parser's reach: located at the level that is too deep
        assert p["location"].startswith("policy › young-principals › x › a") and "nested deeper" in p["message_en"]


@pytest.mark.parametrize("value", [1e-320, 1e-30, 0.3333333333333333, "1/10000000"])
def test_policy_numbers_beyond_six_decimals_are_a_located_422(client, auth, scenario, value):
    doc = dict(scenario, policy={"young-principals": {"mode": "hard", "min_share": value}})
    r = client.post("/v1/solve", json=doc, headers=auth("planner"))
    assert r.status_code == 422, r.text[:300]
    [p] = r.json()["problems"]
    assert p["location"] == "policy › young-principals › min_share" and "fraction" in p["message_en"]
    # the exact fraction is accepted
    doc = dict(scenario, policy={"young-principals": {"mode": "hard", "min_share": "1/3"}})
    assert client.post("/v1/solve", params={"time_limit": 2}, json=doc, headers=auth("planner")).status_code == 200


def test_non_finite_numbers_are_a_located_422(client, auth, scenario):
    body = json.dumps(scenario).replace('"township_work_years": ', '"township_work_years": 1e999, "x": ', 1)
    r = client.post("/v1/solve", content=body, headers={**auth("planner"), "content-type": "application/json"})
    assert r.status_code == 422
    assert r.json()["problems"][0]["location"].endswith("township_work_years")


@pytest.mark.parametrize(
    "suffix,char",
    [("\u200b", "U+200B"), ("\u200f", "U+200F"), ("\ufeff", "U+FEFF"), ("\u0000", "U+0000"), ("\u202e", "U+202E")],
)
def test_ids_with_invisible_characters_are_refused_where_they_are(client, auth, scenario, suffix, char):
    doc = copy.deepcopy(scenario)
    cadre = next(c for c in doc["cadres"] if c.get("current_post"))
    cadre["id"] += suffix
    doc["posts"][0]["id"] = suffix + doc["posts"][0]["id"]
    r = client.post("/v1/solve", json=doc, headers=auth("planner"))
    assert r.status_code == 422, r.text[:300]
    found = {(p["location"], char in p["message_en"]) for p in r.json()["problems"]}
    assert any(loc.startswith("cadres[") and loc.endswith("› id") and ok for loc, ok in found), found
    assert any(loc.startswith("posts[0]") and loc.endswith("› id") and ok for loc, ok in found), found


def test_ids_with_surrounding_spaces_are_refused(client, auth, scenario, witness):
    doc = copy.deepcopy(scenario)
    doc["county"]["id"] = " " + doc["county"]["id"]
    r = client.post("/v1/solve", json=doc, headers=auth("planner"))
    assert r.status_code == 422 and r.json()["problems"][0]["location"] == "county › id"
    plan = copy.deepcopy(witness)
    plan["assignments"][0]["cadre"] = (plan["assignments"][0]["cadre"] or "C0001") + "\u200b"
    r = client.post("/v1/check", json={"scenario": scenario, "plan": plan}, headers=auth("viewer"))
    assert r.status_code == 422 and r.json()["problems"][0]["location"] == "plan › assignments[0] › cadre"


@pytest.mark.parametrize("name", ["", "   ", "\u200b", "hr\u0000system"])
def test_a_key_name_must_be_visible(client, auth, name):
    r = client.post("/v1/api-keys", json={"name": name, "role": "viewer"}, headers=auth("admin"))
    assert r.status_code == 422 and r.json()["problems"][0]["location"] == "name"


@pytest.mark.parametrize(
    "path,params,where",
    [
        ("/v1/audit", {"action": "solve\x00"}, "query › action"),
        ("/v1/audit", {"county": "A\x07"}, "query › county"),
        ("/v1/jobs/abc%00def", None, "path"),
        ("/v1/scenarios/%00", None, "path"),
    ],
)
def test_control_characters_in_paths_and_queries_are_a_located_422(client, auth, path, params, where):
    """PostgreSQL refuses a NUL in any text (the fuzz run on it found a 500 at GET /v1/audit): refused first."""
    r = client.get(path, params=params, headers=auth("admin"))
    assert r.status_code == 422, r.text[:200]
    assert r.json()["problems"][0]["location"] == where and r.json()["problems"][0]["message_zh"]
