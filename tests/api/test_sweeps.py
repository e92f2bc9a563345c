"""POST /v1/sweeps: stored scenarios × variants as a job; progress, results, cancel; on Ray with
PLANNER_RAY_ADDRESS. Each cell's row is compared with the same cell solved alone (planner.analysis.sweep)."""

from __future__ import annotations

import time

import pytest

from planner.analysis.sweep import cell_key, run_cell, variant
from planner.io.synth import SynthOptions, generate

from .conftest import finished

VARIANTS = [
    {"name": "default", "time_limit": 5},
    {"name": "yp100", "policy": {"young-principals": {"min_share": 1.0}}, "time_limit": 5},
]


def _store(client, headers, doc: dict) -> str:
    """A stored scenario's id (stored by a quick background solve)."""
    r = client.post("/v1/jobs", json=doc, headers=headers, params={"time_limit": 1})
    assert r.status_code == 202, r.text
    return r.json()["scenario_id"]


def _wait(client, sweep_id: str, headers, until, timeout: float = 120.0) -> dict:
    deadline = time.monotonic() + timeout
    while True:
        s = client.get(f"/v1/sweeps/{sweep_id}", headers=headers).json()
        if until(s):
            return s
        assert time.monotonic() < deadline, f"the sweep never reached the expected state: {s}"
        time.sleep(0.1)


def _alone(docs: dict[str, dict]) -> dict[tuple[str, str], dict]:
    out = {}
    for sid, doc in docs.items():
        for v in VARIANTS:
            var = variant(v["name"], v.get("policy"), None, v["time_limit"])
            out[(sid, var.name)] = run_cell(doc, sid, var, cell_key(doc, var), workers=2, explain_time=2)
    return out


def _same_as_alone(rows: list[dict], alone: dict) -> None:
    got = {(r["scenario"], r["variant"]): r for r in rows}
    assert set(got) == set(alone)
    for k, want in alone.items():
        assert (got[k]["status"], got[k]["objective"]) == (want["status"], want.get("objective")), k
        assert not got[k]["error"]
        if want["status"] == "optimal":
            assert got[k]["checker_ok"] is True and got[k]["checker_objective"] == want["objective"]


@pytest.fixture
def two_counties(client, auth) -> dict[str, dict]:
    docs = [generate(SynthOptions(townships=2, seed=s))[0] for s in (1, 2)]
    return {_store(client, auth("planner"), d): d for d in docs}


def test_a_sweep_equals_its_cells_alone(client, auth, two_counties):
    ids = list(two_counties)
    r = client.post(
        "/v1/sweeps", json={"scenario_ids": ids, "variants": VARIANTS, "explain_time": 2}, headers=auth("planner")
    )
    assert r.status_code == 202, r.text
    sweep = r.json()
    assert r.headers["location"] == f"/v1/sweeps/{sweep['id']}"
    assert (sweep["engine"], sweep["cells"]["total"], sweep["variants"]) == ("local", 4, ["default", "yp100"])
    done = _wait(client, sweep["id"], auth("viewer"), lambda s: s["state"] in ("done", "failed", "cancelled"))
    assert done["state"] == "done" and done["cells"] == {"total": 4, "done": 4, "failed": 0}
    res = client.get(f"/v1/sweeps/{sweep['id']}/results", headers=auth("viewer")).json()
    assert res["complete"] is True and res["columns"][:3] == ["key", "scenario", "variant"]
    assert all(set(row) == set(res["columns"]) for row in res["rows"])
    _same_as_alone(res["rows"], _alone(two_counties))
    # a sweep is a job too (kind "sweep"), and a plain job is not a sweep
    assert client.get(f"/v1/jobs/{sweep['id']}", headers=auth("viewer")).json()["kind"] == "sweep"
    plain = client.get("/v1/jobs", headers=auth("viewer")).json()["jobs"][-1]
    assert plain["kind"] == "job" and client.get(f"/v1/sweeps/{plain['id']}", headers=auth("viewer")).status_code == 404
    # its request is not stored whole (variants): not resubmitted as a plain solve of its first scenario
    assert client.post(f"/v1/jobs/{sweep['id']}/resubmit", headers=auth("planner")).status_code == 409
    # finished: nothing to cancel
    assert client.delete(f"/v1/sweeps/{sweep['id']}", headers=auth("planner")).status_code == 409


def test_bad_requests_are_located(client, auth, two_counties, settings):
    ids = list(two_counties)

    def post(body):
        r = client.post("/v1/sweeps", json=body, headers=auth("planner"))
        return r.status_code, r.json()

    code, body = post(
        {
            "scenario_ids": [ids[0], ids[0]],
            "variants": [
                {"name": "a"},
                {"name": "a", "time_limit": settings.max_time_limit_s + 1},
                {"name": "w", "waves": 9},
            ],
            "explain_time": 31,
        }
    )
    where = {p["location"] for p in body["problems"]}
    assert code == 422 and {"variants", "variants[1] › time_limit", "variants[2] › waves", "explain_time"} <= where
    code, body = post({"scenario_ids": [ids[0], ids[0]], "variants": [{"name": "a"}]})
    assert code == 422 and [p["location"] for p in body["problems"]] == ["scenario_ids[1]"]
    many = [{"name": f"v{k}"} for k in range(20)]
    code, body = post({"scenario_ids": [f"s{k}" for k in range(11)], "variants": many})  # 220 cells
    assert code == 422 and "200" in body["problems"][0]["message_en"]
    code, body = post({"scenario_ids": [ids[0], "nowhere"]})
    assert code == 404 and "nowhere" in body["message_en"]
    code, body = post(
        {"scenario_ids": ids, "variants": [{"name": "bad", "policy": {"young-principals": {"min_share": 2}}}]}
    )
    assert code == 422 and any(p["location"].startswith("variants[0]") for p in body["problems"]), body
    assert any("min_share" in p["location"] + p["message_en"] for p in body["problems"])
    assert client.get("/v1/jobs", headers=auth("viewer")).json()["jobs"][0]["kind"] == "job"  # no sweep stored


def test_cancel_keeps_the_finished_rows(client, auth, two_counties, held_solver):
    """The second cell (a 60 s limit) is held by the solver until cancelled: the first cell's row stays."""
    ids = list(two_counties)
    body = {
        "scenario_ids": ids[:1],
        "variants": [{"name": "quick", "time_limit": 5}, {"name": "held", "time_limit": 60}],
    }
    sweep = client.post("/v1/sweeps", json=body, headers=auth("planner")).json()
    running = _wait(client, sweep["id"], auth("viewer"), lambda s: s["cells"]["done"] == 1)
    assert running["state"] == "running"
    partial = client.get(f"/v1/sweeps/{sweep['id']}/results", headers=auth("viewer")).json()
    assert partial["complete"] is False and [r["variant"] for r in partial["rows"]] == ["quick"]
    cancelled = client.delete(f"/v1/sweeps/{sweep['id']}", headers=auth("planner")).json()
    assert cancelled["state"] == "cancelled" and cancelled["cells"] == {"total": 2, "done": 1, "failed": 0}
    res = client.get(f"/v1/sweeps/{sweep['id']}/results", headers=auth("viewer")).json()
    assert res["complete"] is False and [(r["variant"], r["status"]) for r in res["rows"]] == [("quick", "optimal")]
    assert finished(client.get(f"/v1/jobs/{sweep['id']}", headers=auth("viewer")).json())


@pytest.fixture
def ray_cluster(monkeypatch):
    """A real local Ray (2 CPUs) and its address in PLANNER_RAY_ADDRESS, as a deployment would set it."""
    ray = pytest.importorskip("ray")
    ray.init(num_cpus=2, include_dashboard=False, logging_level="ERROR", log_to_driver=False)
    monkeypatch.setenv("PLANNER_RAY_ADDRESS", ray.get_runtime_context().gcs_address)
    yield
    ray.shutdown()


def test_on_ray_when_an_address_is_set(client, auth, two_counties, ray_cluster):
    ids = list(two_counties)
    body = {"scenario_ids": ids, "variants": VARIANTS, "explain_time": 2}
    sweep = client.post("/v1/sweeps", json=body, headers=auth("planner")).json()
    assert sweep["engine"] == "ray"
    done = _wait(client, sweep["id"], auth("viewer"), lambda s: s["state"] in ("done", "failed", "cancelled"))
    assert done["state"] == "done" and done["cells"] == {"total": 4, "done": 4, "failed": 0}
    rows = client.get(f"/v1/sweeps/{sweep['id']}/results", headers=auth("viewer")).json()["rows"]
    assert {r["workers"] for r in rows} == {4}  # a Ray task: 1 CPU × 4 CP-SAT workers
    _same_as_alone(rows, _alone(two_counties))
