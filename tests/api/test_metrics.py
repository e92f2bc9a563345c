"""GET /metrics (issue 18): the Prometheus text format, for a global admin only; requests and latencies by route
template, jobs by state, solve and queue-wait times, queue depth — and no id or personal data in a label."""

from __future__ import annotations

from prometheus_client.parser import text_string_to_metric_families

from .conftest import finished, wait_for


def _samples(text: str) -> dict[tuple[str, tuple], float]:
    out = {}
    for family in text_string_to_metric_families(text):
        for s in family.samples:
            out[(s.name, tuple(sorted(s.labels.items())))] = s.value
    return out


def test_metrics_count_requests_jobs_and_solves(client, auth, scenario):
    job = client.post("/v1/jobs", params={"time_limit": 1}, json=scenario, headers=auth("planner")).json()
    wait_for(client, job["id"], auth("viewer"), finished)
    client.get("/v1/jobs/nope", headers=auth("viewer"))  # a 404
    r = client.get("/metrics", headers=auth("admin"))
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/plain")
    assert r.headers["cache-control"] == "no-store"
    m = _samples(r.text)
    route = (("method", "GET"), ("route", "/v1/jobs/{job_id}"))
    assert m[("planner_http_requests_total", (*route[:1], route[1], ("status", "404")))] == 1
    assert m[("planner_http_requests_total", (("method", "POST"), ("route", "/v1/jobs"), ("status", "202")))] == 1
    assert m[("planner_http_request_duration_seconds_count", route)] >= 2  # the polls and the 404
    assert m[("planner_jobs", (("state", "done"),))] == 1 and m[("planner_jobs", (("state", "running"),))] == 0
    assert m[("planner_solve_duration_seconds_count", (("kind", "job"), ("state", "done")))] == 1
    assert m[("planner_job_queue_wait_seconds_count", (("kind", "job"),))] == 1
    assert m[("planner_jobs_finished_total", (("kind", "job"), ("state", "done")))] == 1
    assert (m[("planner_queue_depth", ())], m[("planner_solves_running", ())]) == (0, 0)
    assert m[("planner_solve_capacity", ())] == 6 and m[("planner_database_up", ())] == 1
    # labels name routes, never ids or anything from a document
    assert job["id"] not in r.text and "nope" not in r.text and scenario["cadres"][0]["name"] not in r.text


def test_metrics_are_for_a_global_admin_only(client, auth):
    for role in ("viewer", "planner"):
        assert client.get("/metrics", headers=auth(role)).status_code == 403
    assert client.get("/metrics").status_code == 401
    scoped = client.post(
        "/v1/api-keys", json={"name": "a-admin", "role": "admin", "counties": ["A"]}, headers=auth("admin")
    ).json()["key"]
    r = client.get("/metrics", headers={"X-API-Key": scoped})
    assert r.status_code == 403 and r.json()["error"] == "forbidden"
