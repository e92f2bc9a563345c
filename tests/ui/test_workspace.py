"""The workspace without a browser: password storage, lock-out, session cookies and idle expiry, page
headers, titles by township kind, the comparison of two plans, and `planner user …`."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from typer.testing import CliRunner

from api.db import Database
from api.main import create_app
from api.ui.auth import UiSettings, authenticate, create_user
from api.ui.compare import compare
from api.ui.models import UiSessionRow, UserRow
from api.ui.titles import post_name, role_title
from planner.audit.check import check_plan
from planner.cli.common import app as cli
from planner.domain import load_plan, load_scenario

from ..api.conftest import make_settings
from .conftest import SMALL, small_county

PASSWORD = "long-enough-9"


@pytest.fixture
def setup(tmp_path):
    settings = make_settings(tmp_path)
    db = Database(settings.database_url)
    db.create_schema()
    with db.session() as s, s.begin():
        create_user(s, username="Wang", password=PASSWORD, role="planner", display_name="王芳")
    app = create_app(settings)
    app.state.ui_settings = UiSettings(max_failures=3, lockout_s=600, idle_s=1800)
    with TestClient(app, base_url="http://127.0.0.1") as client:
        yield client, db
    db.dispose()


def sign_in(client, username="wang", password=PASSWORD):
    r = client.get("/ui/login")
    token = re.search(r'name="csrf" value="([^"]+)"', r.text).group(1)
    return client.post(
        "/ui/login", data={"username": username, "password": password, "csrf": token}, follow_redirects=False
    )


def test_passwords_are_stored_as_argon2_hashes(setup):
    _, db = setup
    with db.session() as s:
        row = s.scalar(select(UserRow))
    assert row.username == "wang" and row.password_hash.startswith("$argon2id$") and PASSWORD not in row.password_hash


def test_short_password_and_unknown_role_are_refused(setup):
    _, db = setup
    with db.session() as s:
        with pytest.raises(ValueError, match="8"):
            create_user(s, username="li", password="short", role="viewer")
        with pytest.raises(ValueError, match="role"):
            create_user(s, username="li", password=PASSWORD, role="boss")
        with pytest.raises(ValueError, match="exists"):
            create_user(s, username="WANG", password=PASSWORD, role="viewer")


def test_lock_out_counts_consecutive_failures_only(setup):
    _, db = setup
    settings = UiSettings(max_failures=3, lockout_s=600)
    with db.session() as s, s.begin():
        assert authenticate(s, settings, "wang", "bad").refusal == "bad"
        assert authenticate(s, settings, "wang", "bad").refusal == "bad"
        assert authenticate(s, settings, "wang", PASSWORD).user is not None  # a success resets the count
        for _ in range(2):
            assert authenticate(s, settings, "wang", "bad").refusal == "bad"
        assert authenticate(s, settings, "wang", "bad").refusal == "locked"
        assert authenticate(s, settings, "wang", PASSWORD).refusal == "locked"
        assert authenticate(s, settings, "nobody", PASSWORD).refusal == "bad"


def test_session_cookie_flags_headers_and_idle_expiry(setup):
    client, db = setup
    r = sign_in(client)
    assert r.status_code == 303
    cookie = next(h for h in r.headers.get_list("set-cookie") if h.startswith("planner_session="))
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Path=/ui" in cookie
    r = client.get("/ui/counties")
    assert r.status_code == 200 and "王芳" in r.text
    csp = r.headers["content-security-policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert r.headers["x-frame-options"] == "DENY"
    assert not re.search(r"<script(?![^>]*src=\"/ui/static/)", r.text)  # no inline script, nothing external
    assert not re.search(r"(src|href)=\"(https?:)?//", r.text)
    # idle for longer than the limit: the next request goes back to sign-in, and the session is gone
    with db.session() as s, s.begin():
        row = s.scalar(select(UiSessionRow))
        row.last_seen_at = row.last_seen_at - dt.timedelta(seconds=1801)
    r = client.get("/ui/counties", follow_redirects=False)
    assert (
        r.status_code == 303 and r.headers["location"].startswith("/ui/login") and "expired=1" in r.headers["location"]
    )
    with db.session() as s:
        assert s.scalar(select(UiSessionRow)) is None


def test_pages_need_a_session(setup):
    client, _ = setup
    for path in ("/ui/counties", "/ui/plans/x", "/ui/compare?a=1&b=2", "/ui/jobs/x", "/ui/plans/x/workbook"):
        r = client.get(path, follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"].startswith("/ui/login"), path


def test_sign_in_redirect_stays_on_the_site(setup):
    client, _ = setup
    r = client.get("/ui/login")
    token = re.search(r'name="csrf" value="([^"]+)"', r.text).group(1)
    r = client.post(
        "/ui/login",
        data={"username": "wang", "password": PASSWORD, "csrf": token, "next": "//evil.example/ui/"},
        follow_redirects=False,
    )
    assert r.headers["location"] == "/ui/"


def test_docs_assets_are_local(setup):
    client, _ = setup
    html = client.get("/docs").text
    assert "cdn" not in html.lower()
    for asset in re.findall(r"(?:src|href)=['\"]([^'\"]+)['\"]", html):
        assert asset.startswith("/"), asset
        assert client.get(asset).status_code == 200, asset


def test_titles_follow_the_township_kind():
    assert role_title("township_head", "town") == "镇长"
    assert role_title("township_head", "township") == "乡长"
    assert role_title("township_head", "subdistrict") == "办事处主任"
    assert role_title("party_secretary", "subdistrict") == "党工委书记"
    assert role_title("party_secretary", "town") == "党委书记"
    assert role_title("deputy_head", "town", "en") == "Deputy Mayor"
    inst = load_scenario(small_county())
    assert post_name(inst, "T02-HEAD").endswith("街道办事处主任")
    assert post_name(inst, "T03-HEAD").endswith("乡乡长")


def test_compare_two_plans():
    inst = load_scenario(SMALL)
    plan = load_plan(json.loads((SMALL.parent / "small-county.plan.json").read_text(encoding="utf-8")), inst)
    other = plan.model_copy(deep=True)
    held = {a.post: a for a in other.assignments}
    deputies = [p for p, a in held.items() if inst.posts[p].role == "deputy_head" and a.cadre][:2]
    assert len(deputies) == 2, "the sample has two deputies to swap"
    a, b = held[deputies[0]], held[deputies[1]]
    a.cadre, b.cadre = b.cadre, a.cadre  # swap two deputies
    ra, rb = check_plan(inst, plan), check_plan(inst, other)
    result = compare(inst, plan, ra, inst, other, rb)
    assert {p.post for p in result.posts} == set(deputies)
    assert result.structure == []  # the same people, so the same structure
    assert result.objective_a == ra.objective and result.objective_b == rb.objective
    assert sum(r.delta for r in result.rules) == rb.objective - ra.objective
    assert compare(inst, plan, ra, inst, plan, ra).posts == []


def test_user_cli(tmp_path, monkeypatch):
    monkeypatch.setenv("PLANNER_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    run = CliRunner().invoke
    r = run(
        cli,
        ["user", "create", "lijun", "--role", "viewer", "--name", "李军", "--county", "small", "--password", PASSWORD],
    )
    assert r.exit_code == 0, r.output
    assert run(cli, ["user", "create", "lijun", "--password", PASSWORD]).exit_code == 2
    assert run(cli, ["user", "create", "x", "--role", "boss", "--password", PASSWORD]).exit_code == 2
    assert run(cli, ["user", "set-role", "lijun", "planner"]).exit_code == 0
    rows = json.loads(run(cli, ["user", "list", "--json"]).output)
    assert rows == [
        {
            "username": "lijun",
            "name": "李军",
            "role": "planner",
            "counties": ["small"],
            "locked": False,
            "disabled": False,
            "last_login_at": None,
        }
    ]
    assert run(cli, ["user", "disable", "lijun"]).exit_code == 0
    assert json.loads(run(cli, ["user", "list", "--json"]).output)[0]["disabled"] is True
    assert run(cli, ["user", "unlock", "nobody"]).exit_code == 2


def test_county_scope_hides_other_counties(setup):
    client, db = setup
    with db.session() as s, s.begin():
        create_user(s, username="zhou", password=PASSWORD, role="planner", counties=["elsewhere"])
    sign_in(client)
    csrf = re.search(r'name="csrf" value="([^"]+)"', client.get("/ui/counties").text).group(1)
    r = client.post(
        "/ui/upload",
        data={"csrf": csrf},
        follow_redirects=False,
        files={"file": ("s.json", SMALL.read_bytes(), "application/json")},
    )
    sid = re.search(r"done=(\w+)", r.headers["location"]).group(1)
    assert "小河县" in client.get("/ui/counties").text
    client.cookies.clear()
    sign_in(client, "zhou")
    assert "小河县" not in client.get("/ui/counties").text
    csrf = re.search(r'name="csrf" value="([^"]+)"', client.get("/ui/counties").text).group(1)
    r = client.post(f"/ui/scenarios/{sid}/solve", data={"csrf": csrf, "time_limit": "5"}, follow_redirects=False)
    assert r.status_code == 404
    r = client.post(
        "/ui/upload",
        data={"csrf": csrf},
        follow_redirects=False,
        files={"file": ("s.json", SMALL.read_bytes(), "application/json")},
    )
    assert r.status_code == 403
