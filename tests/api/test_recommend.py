"""POST /v1/recommend: the best cadres for a post, each with what choosing them entails."""

from __future__ import annotations

from .conftest import finished, wait_for


def test_recommend_for_a_post_of_a_solved_job(client, auth, scenario):
    job = client.post("/v1/jobs", params={"time_limit": 3}, json=scenario, headers=auth("planner")).json()
    job = wait_for(client, job["id"], auth("viewer"), finished)
    plan = client.get(f"/v1/jobs/{job['id']}/plan", headers=auth("viewer")).json()
    post = next(p["id"] for p in scenario["posts"] if p["role"] == "party_secretary")
    holder = next(a["cadre"] for a in plan["assignments"] if a["post"] == post)
    r = client.post(
        "/v1/recommend",
        params={"time_limit": 1},
        json={"base_job_id": job["id"], "post": post, "top": 3},
        headers=auth("planner"),
    )
    assert r.status_code == 200, r.text
    answer = r.json()
    assert answer["post"] == post and answer["reference"]["kind"] == "base"
    assert answer["reference"]["holder"] == holder and answer["reference"]["objective"] == plan["objective"]
    assert 1 <= len(answer["candidates"]) <= 3 and answer["evaluated"] >= len(answer["candidates"])
    best = answer["candidates"][0]
    # the base plan is optimal, so keeping its holder costs nothing and is the best choice
    assert best["cadre"] == holder and best["objective_delta"] == 0 and best["changes"] == 0
    objectives = [c["objective"] for c in answer["candidates"] if c["objective"] is not None]
    assert objectives == sorted(objectives)
    stored = client.get(f"/v1/jobs/{answer['job_id']}", headers=auth("viewer")).json()
    assert (stored["kind"], stored["state"], stored["has_plan"]) == ("recommend", "done", False)
    audit = client.get("/v1/audit", params={"action": "recommend"}, headers=auth("admin")).json()["entries"]
    assert [(e["key_name"], e["job_id"]) for e in audit] == [("test-planner", answer["job_id"])]
    r = client.post(f"/v1/jobs/{answer['job_id']}/resubmit", headers=auth("planner"))
    assert r.status_code == 409 and r.json()["error"] == "no_resubmit"


def test_recommend_errors_are_located(client, auth, scenario):
    r = client.post("/v1/recommend", json={"scenario": scenario, "post": "NOPE"}, headers=auth("planner"))
    assert r.status_code == 422 and r.json()["problems"][0]["location"] == "post"
    r = client.post(
        "/v1/recommend",
        params={"time_limit": 11},
        json={"scenario": scenario, "post": scenario["posts"][0]["id"]},
        headers=auth("planner"),
    )
    assert r.status_code == 422 and r.json()["problems"][0]["location"] == "query › time_limit"
    r = client.post("/v1/recommend", json={"post": "T01-SEC"}, headers=auth("planner"))
    assert r.status_code == 422 and r.json()["problems"][0]["location"] == "base_job_id"
    r = client.post("/v1/recommend", json={"scenario_id": "nope", "post": "T01-SEC"}, headers=auth("planner"))
    assert r.status_code == 404
    r = client.post("/v1/recommend", json={"scenario": scenario, "post": "T01-SEC", "top": 0}, headers=auth("planner"))
    assert r.status_code == 422 and r.json()["problems"][0]["location"] == "top"
