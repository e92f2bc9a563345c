"""Security headers (issue 18): answers that carry personnel records are not stored by browsers or proxies, none
is sniffed into another type or framed, and CORS stays off unless configured."""

from __future__ import annotations

from fastapi.testclient import TestClient

from api.main import create_app

from .conftest import make_keys, make_settings


def _assert_guarded(r, what):
    assert r.headers.get("cache-control") == "no-store", what
    assert r.headers.get("x-content-type-options") == "nosniff", what
    assert r.headers.get("x-frame-options") == "DENY", what
    assert "frame-ancestors 'none'" in r.headers.get("content-security-policy", ""), what


def test_answers_with_personal_data_are_not_stored_nor_framed(client, auth, scenario):
    r = client.post("/v1/solve", params={"time_limit": 2}, json=scenario, headers=auth("planner"))
    assert r.status_code == 200
    _assert_guarded(r, "solve")
    sid, jid = r.headers["X-Scenario-Id"], r.headers["X-Job-Id"]
    for path in (f"/v1/scenarios/{sid}", f"/v1/jobs/{jid}", f"/v1/jobs/{jid}/plan", "/v1/jobs", "/v1/audit"):
        r = client.get(path, headers=auth("admin"))
        assert r.status_code == 200, path
        _assert_guarded(r, path)
        assert r.headers["content-security-policy"].startswith("default-src 'none'")
    # errors too (a 422 quotes ids of the document), and answers of no route
    bad = dict(scenario, cadres=[{**scenario["cadres"][0], "birth_date": "x"}])
    _assert_guarded(client.post("/v1/jobs", json=bad, headers=auth("planner")), "422")
    _assert_guarded(client.get("/v1/nowhere"), "404")
    _assert_guarded(client.get("/v1/jobs"), "401")


def test_static_assets_may_be_cached_and_docs_are_not_framed(client):
    docs = client.get("/docs")
    assert docs.status_code == 200 and docs.headers["x-frame-options"] == "DENY"
    assert "default-src 'none'" not in docs.headers["content-security-policy"]  # its scripts still run
    asset = next(
        part.split('"')[0] for part in docs.text.split('src="')[1:] if part.startswith("/static-offline-docs/")
    )
    r = client.get(asset)
    assert r.status_code == 200 and "no-store" not in r.headers.get("cache-control", "")
    assert r.headers["x-content-type-options"] == "nosniff"


def test_cors_is_off_unless_configured(client, auth, tmp_path):
    origin = {"Origin": "https://evil.example", "Access-Control-Request-Method": "GET"}
    r = client.get("/v1/jobs", headers={**auth("viewer"), **origin})
    assert "access-control-allow-origin" not in r.headers
    r = client.options("/v1/jobs", headers={**origin, "Access-Control-Request-Headers": "X-API-Key"})
    assert "access-control-allow-origin" not in r.headers
    settings = make_settings(tmp_path / "cors", cors_origins=["https://hr.example"])
    (tmp_path / "cors").mkdir()
    keys = make_keys(settings)
    with TestClient(create_app(settings)) as c:
        ok = {"Origin": "https://hr.example", "Access-Control-Request-Method": "GET"}
        r = c.options("/v1/jobs", headers={**ok, "Access-Control-Request-Headers": "X-API-Key"})
        assert r.headers["access-control-allow-origin"] == "https://hr.example"
        r = c.get("/v1/jobs", headers={"X-API-Key": keys["viewer"], **origin})
        assert "access-control-allow-origin" not in r.headers  # only the configured origin
