"""POST /v1/what-if: a delta on a solved plan, re-planned with the least disruption; the answer's diff."""

from __future__ import annotations

from planner.audit.check import check_plan
from planner.domain import load_plan, load_scenario

from .conftest import finished, wait_for


def _holder_and_post(scenario) -> tuple[str, str]:
    """A cadre who holds a deputy post today, and that post."""
    c = next(c for c in scenario["cadres"] if c["current_post"] and c["rank"] == "deputy_section")
    return c["id"], c["current_post"]


def test_whatif_from_a_solved_job(client, auth, scenario):
    solved = client.post("/v1/jobs", params={"time_limit": 3}, json=scenario, headers=auth("planner")).json()
    base = wait_for(client, solved["id"], auth("viewer"), finished)
    base_plan = client.get(f"/v1/jobs/{base['id']}/plan", headers=auth("viewer")).json()
    # a cadre who holds a deputy post in the base plan leaves
    deputies = {c["id"] for c in scenario["cadres"] if c["rank"] == "deputy_section"}
    cadre, post = next((a["cadre"], a["post"]) for a in base_plan["assignments"] if a["cadre"] in deputies)
    delta = {"format": "reshuffle-delta/1", "leaving": [cadre]}
    r = client.post(
        "/v1/what-if",
        params={"time_limit": 5},
        json={"base_job_id": base["id"], "delta": delta},
        headers=auth("planner"),
    )
    assert r.status_code == 200, r.text
    plan = r.json()
    assert plan["status"] in ("optimal", "feasible")
    diff = plan["diff"]
    assert post in {c["post"] for c in diff["changed_posts"]} and diff["disruption"] >= 1
    assert diff["objective_before"] == base_plan["objective"]
    assert cadre not in {a["cadre"] for a in plan["assignments"]}
    # stored: the job (kind whatif) and the scenario with the delta applied, against which the plan is valid
    assert r.headers["x-base-scenario-id"] == base["scenario_id"] != r.headers["x-scenario-id"]
    job = client.get(f"/v1/jobs/{r.headers['x-job-id']}", headers=auth("viewer")).json()
    assert (job["kind"], job["state"], job["result_status"]) == ("whatif", "done", plan["status"])
    applied = client.get(f"/v1/scenarios/{r.headers['x-scenario-id']}", headers=auth("viewer")).json()
    assert next(c for c in applied["cadres"] if c["id"] == cadre)["leaving"] is True
    inst = load_scenario(applied)
    assert check_plan(inst, load_plan(plan, inst)).ok
    audit = client.get("/v1/audit", params={"action": "whatif"}, headers=auth("admin")).json()["entries"]
    assert [(e["key_name"], e["job_id"]) for e in audit] == [("test-planner", job["id"])]
    # a what-if is asked again, not resubmitted
    r = client.post(f"/v1/jobs/{job['id']}/resubmit", headers=auth("planner"))
    assert r.status_code == 409 and r.json()["error"] == "no_resubmit"


def test_whatif_with_an_inline_scenario_and_no_base_plan(client, auth, scenario):
    cadre, post = _holder_and_post(scenario)
    body = {"scenario": scenario, "delta": {"format": "reshuffle-delta/1", "forbids": [{"cadre": cadre, "post": post}]}}
    r = client.post("/v1/what-if", params={"time_limit": 5}, json=body, headers=auth("planner"))
    assert r.status_code == 200, r.text
    assert all(not (a["cadre"] == cadre and a["post"] == post) for a in r.json()["assignments"])
    # the base scenario was solved first: the diff is against that plan
    assert r.json()["diff"]["objective_before"] is not None


def test_whatif_errors_are_located(client, auth, scenario, witness):
    delta = {"format": "reshuffle-delta/1", "leaving": [scenario["cadres"][0]["id"], "C9999"]}
    r = client.post("/v1/what-if", json={"scenario": scenario, "delta": delta}, headers=auth("planner"))
    assert r.status_code == 422 and r.json()["document"] == "delta"
    assert [p["location"] for p in r.json()["problems"]] == ["delta › leaving[1]"]
    r = client.post(
        "/v1/what-if", json={"scenario": scenario, "delta": {"format": "reshuffle-delta/2"}}, headers=auth("planner")
    )
    assert r.status_code == 422 and r.json()["problems"][0]["location"] == "delta › format"
    witness["assignments"][0]["post"] = "NOPE"
    r = client.post(
        "/v1/what-if",
        json={"scenario": scenario, "base_plan": witness, "delta": {"format": "reshuffle-delta/1"}},
        headers=auth("planner"),
    )
    assert r.status_code == 422 and r.json()["problems"][0]["location"].startswith("base_plan › assignments[0]")
    for body in (
        {"delta": {"format": "reshuffle-delta/1"}},
        {"scenario": scenario, "scenario_id": "x", "delta": {"format": "reshuffle-delta/1"}},
        {"base_job_id": "x", "base_plan": witness, "delta": {"format": "reshuffle-delta/1"}},
    ):
        r = client.post("/v1/what-if", json=body, headers=auth("planner"))
        assert r.status_code == 422 and r.json()["problems"][0]["location"] == "base_job_id"
    r = client.post(
        "/v1/what-if", json={"base_job_id": "nope", "delta": {"format": "reshuffle-delta/1"}}, headers=auth("planner")
    )
    assert r.status_code == 404
    assert client.get("/v1/jobs", headers=auth("viewer")).json()["jobs"] == []
