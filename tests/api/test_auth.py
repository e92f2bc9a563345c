"""Every route but health needs a key, and the right role: no key, a wrong key, a revoked key and a role too
low are refused before anything runs (and nothing is solved or stored)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from api.security import PREFIX, Principal, digest, split_key

from .conftest import make_keys, make_settings


@pytest.fixture(scope="module")
def _shared(tmp_path_factory):
    """One app for the whole module: these tests only read, or are refused."""
    settings = make_settings(tmp_path_factory.mktemp("auth"))
    keys = make_keys(settings)
    with TestClient(create_app(settings)) as client:
        yield settings, keys, client


@pytest.fixture
def settings(_shared):
    return _shared[0]


@pytest.fixture
def keys(_shared):
    return _shared[1]


@pytest.fixture
def client(_shared):
    return _shared[2]


# (method, path, the least role that may call it); ids that do not exist are fine: auth comes first
ROUTES = [
    ("POST", "/v1/solve", "planner"),
    ("POST", "/v1/jobs", "planner"),
    ("GET", "/v1/jobs", "viewer"),
    ("GET", "/v1/jobs/nope", "viewer"),
    ("GET", "/v1/jobs/nope/plan", "viewer"),
    ("DELETE", "/v1/jobs/nope", "planner"),
    ("POST", "/v1/jobs/nope/resubmit", "planner"),
    ("POST", "/v1/what-if", "planner"),
    ("POST", "/v1/recommend", "planner"),
    ("POST", "/v1/check", "viewer"),
    ("GET", "/v1/scenarios", "viewer"),
    ("GET", "/v1/scenarios/nope", "viewer"),
    ("GET", "/v1/api-keys", "admin"),
    ("POST", "/v1/api-keys", "admin"),
    ("DELETE", "/v1/api-keys/nope", "admin"),
    ("GET", "/v1/audit", "admin"),
    ("POST", "/v1/compare", "viewer"),
    ("POST", "/v1/alternatives", "planner"),
    ("POST", "/v1/runner-ups", "planner"),
    ("POST", "/v1/sweeps", "planner"),
    ("GET", "/v1/sweeps/nope", "viewer"),
    ("GET", "/v1/sweeps/nope/results", "viewer"),
    ("DELETE", "/v1/sweeps/nope", "planner"),
    ("GET", "/metrics", "admin"),
]
LOWER = {"viewer": [], "planner": ["viewer"], "admin": ["viewer", "planner"]}


def _body(method, path, scenario):
    if path == "/v1/check":
        return {"scenario": scenario, "plan": {}}
    if path == "/v1/what-if":
        return {"scenario": scenario, "delta": {"format": "reshuffle-delta/1"}}
    if path == "/v1/recommend":
        return {"scenario": scenario, "post": scenario["posts"][0]["id"]}
    if path == "/v1/compare":
        return {"scenario": scenario, "plan_a": {}, "plan_b": {}}
    if path == "/v1/sweeps":
        return {"scenario_ids": ["nope"]}
    if path in ("/v1/alternatives", "/v1/runner-ups"):
        return {"scenario": scenario}
    if path == "/v1/api-keys" and method == "POST":
        return {"name": "x", "role": "viewer"}
    return scenario if method == "POST" else None


def test_route_table_covers_every_route():
    spec = create_app().openapi()
    routes = {(m.upper(), path) for path, ops in spec["paths"].items() for m in ops}
    covered = {
        (m, p.replace("nope", "{job_id}" if "/jobs/" in p else "{scenario_id}" if "/scenarios/" in p else "{key_id}"))
        for m, p, _ in ROUTES
        if "/sweeps/" not in p
    } | {(m, p.replace("nope", "{sweep_id}")) for m, p, _ in ROUTES if "/sweeps/" in p}
    assert routes - covered == {("GET", "/v1/health")}


def test_openapi_declares_the_keys_on_every_route_but_health():
    spec = create_app().openapi()
    assert {"APIKeyHeader", "HTTPBearer"} <= set(spec["components"]["securitySchemes"])
    for path, ops in spec["paths"].items():
        for method, op in ops.items():
            assert ("security" in op) == (path != "/v1/health"), (method, path)


@pytest.mark.parametrize("method,path,role", ROUTES)
def test_no_key(client, scenario, method, path, role):
    r = client.request(method, path, json=_body(method, path, scenario))
    assert r.status_code == 401
    assert r.json()["error"] == "unauthenticated" and r.json()["message_zh"]
    assert r.headers["www-authenticate"] == "Bearer"


@pytest.mark.parametrize("method,path,role", ROUTES)
def test_wrong_and_revoked_keys(client, keys, scenario, method, path, role):
    key_id, secret = split_key(keys["admin"])
    forged = f"{PREFIX}_{key_id}_{secret[:-1]}{'A' if secret[-1] != 'A' else 'B'}"  # right id, wrong secret
    for key in (forged, "not-a-key", f"{PREFIX}_0000000000000000_{secret}", keys["revoked"]):
        r = client.request(method, path, json=_body(method, path, scenario), headers={"X-API-Key": key})
        assert r.status_code == 401, key


@pytest.mark.parametrize("method,path,role", [r for r in ROUTES if LOWER[r[2]]])
def test_role_too_low(client, keys, scenario, method, path, role):
    for lower in LOWER[role]:
        r = client.request(method, path, json=_body(method, path, scenario), headers={"X-API-Key": keys[lower]})
        assert r.status_code == 403, lower
        assert r.json()["error"] == "forbidden"
        assert role in r.json()["message_en"]


def test_bearer_token_works_like_the_header(client, keys):
    assert client.get("/v1/jobs", headers={"Authorization": f"Bearer {keys['viewer']}"}).status_code == 200
    assert client.get("/v1/jobs", headers={"Authorization": "Bearer rpk_x_y"}).status_code == 401


def test_health_needs_no_key(client):
    r = client.get("/v1/health")
    assert r.status_code == 200
    assert r.json()["status"] == "ok" and r.json()["database"] == "ok"


def test_refused_calls_solve_and_store_nothing(tmp_path, scenario):
    fresh = make_settings(tmp_path)
    keys = make_keys(fresh)

    def auth(role):
        return {"X-API-Key": keys[role]}

    with TestClient(create_app(fresh)) as client:
        _refused_calls(client, auth, scenario)


def _refused_calls(client, auth, scenario):
    client.post("/v1/solve", json=scenario)
    client.post("/v1/jobs", json=scenario, headers=auth("viewer"))
    assert client.get("/v1/jobs", headers=auth("viewer")).json()["jobs"] == []
    assert client.get("/v1/scenarios", headers=auth("viewer")).json()["scenarios"] == []
    denied = client.get("/v1/audit", params={"action": "denied"}, headers=auth("admin")).json()["entries"]
    assert [(e["key_name"], e["outcome"]) for e in denied] == [("test-viewer", "POST 403")]


def test_key_hashing_is_salted_and_peppered():
    assert digest("p", "salt1", "s") != digest("p", "salt2", "s")
    assert digest("p1", "salt", "s") != digest("p2", "salt", "s")
    assert len(digest("p", "salt", "s")) == 64
    assert Principal("k", "n", "admin").allows("planner") and not Principal("k", "n", "viewer").allows("planner")


def test_keys_are_stored_only_hashed(client, keys, settings):
    import sqlite3

    path = settings.database_url.removeprefix("sqlite:///")
    rows = sqlite3.connect(path).execute("SELECT id, salt, hash FROM api_keys").fetchall()
    secrets = {split_key(k)[1] for k in keys.values()}
    for _key_id, salt, hashed in rows:
        assert hashed not in secrets and salt not in secrets
    assert any(digest("test-pepper", salt, split_key(keys["admin"])[1]) == hashed for _, salt, hashed in rows)
