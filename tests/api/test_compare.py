"""POST /v1/compare, /v1/alternatives, /v1/runner-ups; solved plans carry the reasons of their moves."""

from __future__ import annotations

from itertools import combinations

from .conftest import finished, wait_for


def test_a_solved_plan_carries_reasons(client, auth, scenario):
    r = client.post("/v1/solve", params={"time_limit": 3}, json=scenario, headers=auth("planner"))
    assert r.status_code == 200, r.text
    plan = r.json()
    assert plan["moves"] and all(m["reasons"] for m in plan["moves"] if m["to"] is not None)
    assert all(x["message_zh"] and x["message_en"] for m in plan["moves"] for x in m["reasons"])


def test_compare_a_plan_with_itself_and_with_another(client, auth, scenario, witness):
    r = client.post("/v1/solve", params={"time_limit": 3}, json=scenario, headers=auth("planner"))
    plan = r.json()
    r = client.post("/v1/compare", json={"scenario": scenario, "plan_a": plan, "plan_b": plan}, headers=auth("viewer"))
    assert r.status_code == 200, r.text
    same = r.json()
    assert same["same"] and same["posts"] == [] and same["rules"] == [] and same["townships"] == []
    r = client.post(
        "/v1/compare", json={"scenario": scenario, "plan_a": plan, "plan_b": witness}, headers=auth("viewer")
    )
    cmp = r.json()
    a = {x["post"]: x["cadre"] for x in plan["assignments"]}
    b = {x["post"]: x["cadre"] for x in witness["assignments"]}
    assert [row["post"] for row in cmp["posts"]] == [p["id"] for p in scenario["posts"] if a[p["id"]] != b[p["id"]]]
    bad = {**witness, "assignments": [{**witness["assignments"][0], "post": "NOPE"}, *witness["assignments"][1:]]}
    r = client.post("/v1/compare", json={"scenario": scenario, "plan_a": plan, "plan_b": bad}, headers=auth("viewer"))
    assert r.status_code == 422 and r.json()["problems"][0]["location"].startswith("plan_b")
    r = client.post("/v1/compare", json={"plan_a": plan, "plan_b": plan}, headers=auth("viewer"))
    assert r.status_code == 422


def test_alternatives_over_http(client, auth, scenario):
    r = client.post(
        "/v1/alternatives",
        params={"time_limit": 3},
        json={"scenario": scenario, "k": 2, "min_diff": 1},
        headers=auth("planner"),
    )
    assert r.status_code == 200, r.text
    ans = r.json()
    plans = ans["plans"]
    assert len(plans) == 2 and [p["alternative"]["rank"] for p in plans] == [1, 2]
    assert [p["objective"] for p in plans] == sorted(p["objective"] for p in plans)
    assert all(p["solver"]["checker_hard_violations"] == 0 for p in plans)
    principals = [p["id"] for p in scenario["posts"] if p["role"] in ("party_secretary", "township_head")]
    held = [{a["post"]: a["cadre"] for a in p["assignments"]} for p in plans]
    for x, y in combinations(held, 2):
        assert sum(x[p] != y[p] for p in principals) >= 1
    job = client.get(f"/v1/jobs/{ans['job_id']}", headers=auth("viewer")).json()
    assert (job["kind"], job["state"]) == ("alternatives", "done")
    r = client.post("/v1/alternatives", json={"scenario": scenario, "k": 0}, headers=auth("planner"))
    assert r.status_code == 422


def test_runner_ups_over_http(client, auth, scenario):
    job = client.post("/v1/jobs", params={"time_limit": 3}, json=scenario, headers=auth("planner")).json()
    job = wait_for(client, job["id"], auth("viewer"), finished)
    plan = client.get(f"/v1/jobs/{job['id']}/plan", headers=auth("viewer")).json()
    r = client.post(
        "/v1/runner-ups",
        params={"time_limit": 2},
        json={"base_job_id": job["id"], "method": "exact"},
        headers=auth("planner"),
    )
    assert r.status_code == 200, r.text
    ans = r.json()
    principals = [p["id"] for p in scenario["posts"] if p["role"] in ("party_secretary", "township_head")]
    assert [row["post"] for row in ans["posts"]] == principals and ans["reference_objective"] == plan["objective"]
    held = {a["post"]: a["cadre"] for a in plan["assignments"]}
    for row in ans["posts"]:
        assert row["chosen"] == held[row["post"]] and row["runner_up"] != row["chosen"]
        assert row["price"] is None or row["price"] == row["objective"] - plan["objective"]
    r = client.post("/v1/runner-ups", json={"scenario_id": "nope", "method": "bogus"}, headers=auth("planner"))
    assert r.status_code == 422


def test_runner_ups_time_limit_is_bounded_per_candidate_like_recommend(client, auth, scenario):
    r = client.post("/v1/runner-ups", params={"time_limit": 11}, json={"scenario": scenario}, headers=auth("planner"))
    assert r.status_code == 422, r.text
    assert [p["location"] for p in r.json()["problems"]] == ["query › time_limit"]
