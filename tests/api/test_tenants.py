"""Tenants (issue 18): keys scoped to counties, probed as an attacker would — every id of another county's
scenario, job or plan guessed on every route that takes one answers exactly like an id that does not exist
(404, never 403), lists leave other counties out, another county's document is refused (403, located), a
scoped admin manages only its own keys, and the audit log says who did what in which scope."""

from __future__ import annotations

import copy

import pytest
from fastapi.testclient import TestClient

from api.db import Database
from api.main import create_app
from api.security import create_key

from .conftest import DATABASES, finished, fresh_database, make_keys, make_settings, wait_for
from .test_auth import ROUTES


def _county(scenario: dict, county: str) -> dict:
    doc = copy.deepcopy(scenario)
    doc["county"]["id"] = county
    return doc


@pytest.fixture(scope="module", params=DATABASES)
def world(request, tmp_path_factory, _small):
    """One app; keys of county A (viewer, planner, admin), of county B (viewer, planner, admin), a global admin;
    in county A a stored scenario and a solved job with its plan."""
    path = tmp_path_factory.mktemp("tenants")
    settings = make_settings(path, database_url=fresh_database(request, request.param, path))
    keys = make_keys(settings)  # the global ones: viewer, planner, admin
    db = Database(settings.database_url)
    pepper = settings.key_pepper.get_secret_value()
    with db.session() as s, s.begin():
        for county in ("A", "B"):
            for role in ("viewer", "planner", "admin"):
                _, keys[f"{county}-{role}"] = create_key(
                    s, name=f"{county}-{role}", role=role, pepper=pepper, counties=[county]
                )
    db.dispose()
    with TestClient(create_app(settings)) as client:
        a = _county(_small[0], "A")
        r = client.post("/v1/solve", params={"time_limit": 3}, json=a, headers={"X-API-Key": keys["A-planner"]})
        assert r.status_code == 200, r.text
        ids = {"scenario": r.headers["X-Scenario-Id"], "job": r.headers["X-Job-Id"]}
        plan = r.json()
        sweep = client.post(
            "/v1/sweeps",
            json={"scenario_ids": [ids["scenario"]], "variants": [{"name": "default", "time_limit": 2}]},
            headers={"X-API-Key": keys["A-planner"]},
        )
        assert sweep.status_code == 202, sweep.text
        ids["sweep"] = sweep.json()["id"]
        wait_for(client, ids["sweep"], {"X-API-Key": keys["A-viewer"]}, finished)
        yield client, keys, ids, a, plan


def _h(keys, who):
    return {"X-API-Key": keys[who]}


# (method, path, body) of every route that takes the id of a stored record, in its path or its body; the
# `{scenario}`/`{job}` placeholders take county A's ids, which county B's keys must not be able to tell exist
def _id_routes(ids, a, plan):
    sid, jid, swid = ids["scenario"], ids["job"], ids.get("sweep", "SWID")
    delta = {"format": "reshuffle-delta/1"}
    return [
        ("POST", "/v1/sweeps", {"scenario_ids": [sid], "variants": [{"name": "default"}]}),
        ("GET", f"/v1/sweeps/{swid}", None),
        ("GET", f"/v1/sweeps/{swid}/results", None),
        ("DELETE", f"/v1/sweeps/{swid}", None),
        ("GET", f"/v1/jobs/{swid}", None),
        ("GET", f"/v1/scenarios/{sid}", None),
        ("GET", f"/v1/jobs/{jid}", None),
        ("GET", f"/v1/jobs/{jid}/plan", None),
        ("DELETE", f"/v1/jobs/{jid}", None),
        ("POST", f"/v1/jobs/{jid}/resubmit", None),
        ("POST", "/v1/check", {"scenario_id": sid, "plan": plan}),
        ("POST", "/v1/compare", {"scenario_id": sid, "plan_a": plan, "plan_b": plan}),
        ("POST", "/v1/what-if", {"base_job_id": jid, "delta": delta}),
        ("POST", "/v1/what-if", {"scenario_id": sid, "base_plan": plan, "delta": delta}),
        ("POST", "/v1/recommend", {"scenario_id": sid, "post": a["posts"][0]["id"]}),
        ("POST", "/v1/recommend", {"base_job_id": jid, "post": a["posts"][0]["id"]}),
        ("POST", "/v1/alternatives", {"scenario_id": sid}),
        ("POST", "/v1/runner-ups", {"scenario_id": sid}),
        ("POST", "/v1/runner-ups", {"base_job_id": jid}),
    ]


def test_every_route_that_takes_an_id_is_probed():
    """The auth tests' route table lists every route; each one with an id (in its path, or a body that may name a
    stored scenario or job) is in the cross-tenant table here."""
    with_path_id = {(m, p.replace("nope", "{id}")) for m, p, _ in ROUTES if "nope" in p and "api-keys" not in p}
    with_body_id = {("POST", p) for p in ("/v1/check", "/v1/compare", "/v1/what-if", "/v1/recommend")} | {
        ("POST", "/v1/alternatives"),
        ("POST", "/v1/runner-ups"),
        ("POST", "/v1/sweeps"),
    }
    probed = {
        (m, p.replace("SWID", "{id}").replace("SID", "{id}").replace("JID", "{id}"))
        for m, p, _ in _id_routes({"scenario": "SID", "job": "JID"}, {"posts": [{"id": "P"}]}, {})
    }
    assert with_path_id | with_body_id <= probed


@pytest.mark.parametrize("attacker", ["B-viewer", "B-planner", "B-admin"])
def test_ids_guessed_across_tenants_are_404_like_ids_that_do_not_exist(world, attacker):
    client, keys, ids, a, plan = world
    for method, path, body in _id_routes(ids, a, plan):
        r = client.request(method, path, json=body, headers=_h(keys, attacker))
        if r.status_code == 403:  # a viewer may not call a planner's route at all: refused before any lookup
            assert attacker == "B-viewer" and r.json()["error"] == "forbidden", (method, path)
            continue
        assert r.status_code == 404, (method, path, r.status_code, r.text[:300])
        # exactly the answer for an id nobody has: nothing tells the id exists elsewhere
        ghost = client.request(
            method,
            path.replace(ids["scenario"], "0" * 32).replace(ids["job"], "1" * 32).replace(ids["sweep"], "2" * 32),
            json=_swap(body, ids),
            headers=_h(keys, attacker),
        )
        assert ghost.status_code == 404
        assert r.json()["error"] == ghost.json()["error"] == "not_found"
        real = r.json()["message_en"]
        for field in ("scenario", "job", "sweep"):
            real = real.replace(ids[field], "?")
        unknown = ghost.json()["message_en"]
        for digit in "012":
            unknown = unknown.replace(digit * 32, "?")
        assert real == unknown, (method, path)
    # the job was neither cancelled nor resubmitted by anyone from county B
    job = client.get(f"/v1/jobs/{ids['job']}", headers=_h(keys, "A-viewer")).json()
    assert job["state"] == "done" and job["resubmitted_as"] is None and job["has_plan"] is True


def _swap(body, ids):
    if body is None:
        return None
    out = dict(body)
    for field, ghost in (("scenario_id", "0" * 32), ("base_job_id", "1" * 32)):
        if field in out:
            out[field] = ghost
    if "scenario_ids" in out:
        out["scenario_ids"] = ["0" * 32]
    return out


def test_the_owning_county_and_global_keys_see_the_records(world):
    client, keys, ids, _, _ = world
    for who in ("A-viewer", "viewer", "admin"):
        assert client.get(f"/v1/scenarios/{ids['scenario']}", headers=_h(keys, who)).status_code == 200, who
        assert client.get(f"/v1/jobs/{ids['job']}/plan", headers=_h(keys, who)).status_code == 200, who


def test_lists_leave_other_counties_out(world):
    client, keys, ids, _, _ = world
    for who, sees in (("B-viewer", False), ("A-viewer", True), ("viewer", True)):
        scenarios = {s["id"] for s in client.get("/v1/scenarios", headers=_h(keys, who)).json()["scenarios"]}
        jobs = {j["id"] for j in client.get("/v1/jobs", headers=_h(keys, who)).json()["jobs"]}
        assert (ids["scenario"] in scenarios, ids["job"] in jobs) == (sees, sees), who


@pytest.mark.parametrize(
    "path,wrap",
    [
        ("/v1/solve", lambda d, p: d),
        ("/v1/jobs", lambda d, p: d),
        ("/v1/check", lambda d, p: {"scenario": d, "plan": p}),
        ("/v1/compare", lambda d, p: {"scenario": d, "plan_a": p, "plan_b": p}),
        ("/v1/alternatives", lambda d, p: {"scenario": d}),
        ("/v1/runner-ups", lambda d, p: {"scenario": d, "base_plan": p}),
        ("/v1/recommend", lambda d, p: {"scenario": d, "post": d["posts"][0]["id"]}),
        ("/v1/what-if", lambda d, p: {"scenario": d, "base_plan": p, "delta": {"format": "reshuffle-delta/1"}}),
    ],
)
def test_a_document_of_another_county_is_refused_located(world, path, wrap):
    client, keys, _, a, plan = world
    before = len(client.get("/v1/scenarios", headers=_h(keys, "admin")).json()["scenarios"])
    r = client.post(path, params={"time_limit": 1}, json=wrap(a, plan), headers=_h(keys, "B-planner"))
    assert r.status_code == 403, r.text[:300]
    body = r.json()
    assert body["error"] == "out_of_scope" and "'A'" in body["message_en"] and body["message_zh"]
    assert body["problems"][0]["location"].endswith("county › id")
    assert len(client.get("/v1/scenarios", headers=_h(keys, "admin")).json()["scenarios"]) == before


def test_a_scoped_admin_manages_only_its_own_keys(world):
    client, keys, _, _, _ = world
    listed = {k["name"] for k in client.get("/v1/api-keys", headers=_h(keys, "B-admin")).json()["keys"]}
    assert listed == {"B-viewer", "B-planner", "B-admin"}
    a_viewer = next(
        k["id"] for k in client.get("/v1/api-keys", headers=_h(keys, "admin")).json()["keys"] if k["name"] == "A-viewer"
    )
    r = client.delete(f"/v1/api-keys/{a_viewer}", headers=_h(keys, "B-admin"))
    assert r.status_code == 404 and r.json()["error"] == "not_found"
    r = client.post(
        "/v1/api-keys", json={"name": "sneaky", "role": "admin", "counties": ["A"]}, headers=_h(keys, "B-admin")
    )
    assert r.status_code == 403 and r.json()["error"] == "scope_wider"
    r = client.post("/v1/api-keys", json={"name": "b-hr", "role": "planner"}, headers=_h(keys, "B-admin"))
    assert r.status_code == 201 and r.json()["counties"] == ["B"]  # by default the creator's own scope
    r = client.post(
        "/v1/api-keys", json={"name": "ab", "role": "viewer", "counties": ["A", "B"]}, headers=_h(keys, "admin")
    )
    assert r.status_code == 201 and r.json()["counties"] == ["A", "B"]
    assert (
        client.get(f"/v1/scenarios/{world[2]['scenario']}", headers={"X-API-Key": r.json()["key"]}).status_code == 200
    )


@pytest.mark.parametrize("counties", [[""], ["A\u200b"], [" A"], ["x" * 65]])
def test_a_scope_of_bad_county_ids_is_a_located_422(world, counties):
    client, keys, _, _, _ = world
    r = client.post(
        "/v1/api-keys", json={"name": "x", "role": "viewer", "counties": counties}, headers=_h(keys, "admin")
    )
    assert r.status_code == 422 and r.json()["problems"][0]["location"].startswith("counties")


def test_the_audit_log_says_who_did_what_in_which_scope(world):
    client, keys, ids, _, _ = world
    client.get(f"/v1/jobs/{ids['job']}/plan", headers=_h(keys, "A-viewer"))
    entries = client.get("/v1/audit", params={"action": "plan.read"}, headers=_h(keys, "admin")).json()["entries"]
    mine = next(e for e in entries if e["key_name"] == "A-viewer")
    assert (mine["scope"], mine["county"], mine["job_id"]) == ("A", "A", ids["job"])
    solve = client.get("/v1/audit", params={"action": "solve"}, headers=_h(keys, "admin")).json()["entries"]
    assert any(e["key_name"] == "A-planner" and e["scope"] == "A" and e["county"] == "A" for e in solve)
    # county B's admin reads its own county's entries and its keys' doings, nothing of county A
    seen = client.get("/v1/audit", params={"limit": 1000}, headers=_h(keys, "B-admin")).json()["entries"]
    assert seen and all(e["county"] in (None, "B") and (e["key_name"] or "").startswith("B-") for e in seen)
    a_seen = client.get("/v1/audit", params={"limit": 1000}, headers=_h(keys, "A-admin")).json()["entries"]
    assert any(e["key_name"] == "A-planner" for e in a_seen)


def test_cli_creates_a_scoped_key(tmp_path, monkeypatch):
    import sqlite3

    from typer.testing import CliRunner

    from planner.cli.common import app

    db = tmp_path / "keys.db"
    monkeypatch.setenv("PLANNER_DATABASE_URL", f"sqlite:///{db}")
    runner = CliRunner()
    r = runner.invoke(app, ["api-key", "create", "--role", "viewer", "--name", "x", "--county", "B", "--county", "A"])
    assert r.exit_code == 0, r.output
    [(counties,)] = sqlite3.connect(db).execute("SELECT counties FROM api_keys").fetchall()
    assert counties == '["A", "B"]'
    assert "A,B" in runner.invoke(app, ["api-key", "list"]).stdout
    r = runner.invoke(app, ["api-key", "create", "--role", "viewer", "--name", "y", "--county", "A\u200b"])
    assert r.exit_code == 2 and "county" in r.output
