"""POST /v1/solve: a plan document back, stored with its job and scenario; located 422s for bad input."""

from __future__ import annotations

from planner.audit.check import check_plan
from planner.domain import load_plan, load_scenario


def test_solve_returns_a_valid_plan_document(client, auth, scenario):
    r = client.post("/v1/solve", params={"time_limit": 3}, json=scenario, headers=auth("planner"))
    assert r.status_code == 200, r.text
    plan = r.json()
    assert plan["format"] == "reshuffle-plan/1" and plan["status"] in ("optimal", "feasible")
    # the document is the library's: it loads against the scenario and the checker finds no hard violation
    inst = load_scenario(scenario)
    report = check_plan(inst, load_plan(plan, inst))
    assert report.ok and report.objective == plan["objective"]
    # the job that ran it and the scenario are stored and linked from the headers
    job_id, scenario_id = r.headers["x-job-id"], r.headers["x-scenario-id"]
    assert r.headers["location"] == f"/v1/jobs/{job_id}/plan"
    job = client.get(f"/v1/jobs/{job_id}", headers=auth("viewer")).json()
    assert (job["kind"], job["state"], job["scenario_id"]) == ("sync", "done", scenario_id)
    assert job["result_status"] == plan["status"] and job["objective"] == plan["objective"]
    assert job["time_limit_s"] == 3 and job["workers"] == 2 and job["submitted_by"] == "test-planner"
    stored = client.get(f"/v1/jobs/{job_id}/plan", headers=auth("viewer")).json()
    assert stored == plan


def test_same_scenario_is_stored_once(client, auth, scenario):
    a = client.post("/v1/solve", params={"time_limit": 2}, json=scenario, headers=auth("planner"))
    b = client.post("/v1/solve", params={"time_limit": 2, "seed": 3}, json=scenario, headers=auth("planner"))
    assert a.headers["x-scenario-id"] == b.headers["x-scenario-id"]
    assert a.headers["x-job-id"] != b.headers["x-job-id"]
    assert len(client.get("/v1/scenarios", headers=auth("viewer")).json()["scenarios"]) == 1


def test_infeasible_is_a_plan_not_an_error(client, auth, scenario):
    # a party secretary post that every cadre is forbidden to hold, while principal posts must be filled
    principals = [p["id"] for p in scenario["posts"] if p["role"] == "party_secretary"]
    scenario["forbids"] = [{"cadre": c["id"], "post": principals[0]} for c in scenario["cadres"]]
    scenario["policy"] = {"principal-filled": {"mode": "hard"}}
    r = client.post("/v1/solve", params={"time_limit": 3}, json=scenario, headers=auth("planner"))
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "infeasible"
    job = client.get(f"/v1/jobs/{r.headers['x-job-id']}", headers=auth("viewer")).json()
    assert job["state"] == "done" and job["result_status"] == "infeasible"


def test_pydantic_errors_are_located_by_record_id(client, auth, scenario):
    scenario["cadres"][2]["birth_date"] = "1990-02-30"
    scenario["cadres"][4]["gender"] = "X"
    scenario["posts"][0]["shoe_size"] = 42
    r = client.post("/v1/solve", json=scenario, headers=auth("planner"))
    assert r.status_code == 422
    body = r.json()
    assert body["error"] == "invalid_input" and body["document"] == "scenario"
    where = {p["location"]: p for p in body["problems"]}
    c2, c4, p0 = scenario["cadres"][2]["id"], scenario["cadres"][4]["id"], scenario["posts"][0]["id"]
    assert (
        f"cadres[2] {c2} › birth_date" in where and "1990-02-30" in where[f"cadres[2] {c2} › birth_date"]["message_en"]
    )
    assert f"cadres[4] {c4} › gender" in where
    assert f"posts[0] {p0} › shoe_size" in where and where[f"posts[0] {p0} › shoe_size"]["message_zh"] == "未知字段"
    assert where[f"cadres[4] {c4} › gender"]["loc"] == ["body", "cadres", 4, "gender"]


def test_loader_errors_are_located(client, auth, scenario):
    scenario["posts"].append({"id": "X-1", "township": "T99", "role": "deputy_head"})
    scenario["cadres"][0]["relatives"] = ["C9999"]
    r = client.post("/v1/solve", json=scenario, headers=auth("planner"))
    assert r.status_code == 422
    locations = {p["location"] for p in r.json()["problems"]}
    n = len(scenario["posts"]) - 1
    assert f"posts[{n}] X-1 › township" in locations
    assert f"cadres[0] {scenario['cadres'][0]['id']} › relatives" in locations


def test_malformed_json_and_wrong_types_are_422(client, auth):
    h = auth("planner") | {"content-type": "application/json"}
    r = client.post("/v1/solve", content=b'{"format": "reshuffle-scenario/1",', headers=h)
    assert r.status_code == 422 and "JSON" in r.json()["problems"][0]["message_en"]
    for body in (b"[]", b"null", b"42", b'"text"', b"{}"):
        r = client.post("/v1/solve", content=body, headers=h)
        assert r.status_code == 422, body
        assert r.json()["problems"], body


def test_time_limit_ceiling_and_bad_query(client, auth, scenario):
    r = client.post("/v1/solve", params={"time_limit": 6, "workers": 9}, json=scenario, headers=auth("planner"))
    assert r.status_code == 422
    locations = {p["location"] for p in r.json()["problems"]}
    assert locations == {"query › time_limit", "query › workers"}
    r = client.post("/v1/solve", params={"time_limit": "soon"}, json=scenario, headers=auth("planner"))
    assert r.status_code == 422 and r.json()["problems"][0]["location"] == "query › time_limit"
    r = client.post("/v1/solve", params={"time_limit": -1}, json=scenario, headers=auth("planner"))
    assert r.status_code == 422


def test_a_body_that_is_not_utf8_is_422_not_400(client, auth):
    r = client.post(
        "/v1/solve", content=b'{"format": "\xff\xfe"}', headers=auth("planner") | {"content-type": "application/json"}
    )
    assert r.status_code == 422 and r.json()["problems"][0]["location"] == "body"
