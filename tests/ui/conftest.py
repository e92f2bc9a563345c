"""Fixtures of the review-workspace tests: the service on a temporary SQLite file, served by uvicorn on a
random local port in a thread, accounts of every role, roster workbooks, and Debian's chromium driven by
Playwright (never a downloaded browser) with every request checked to stay on the test server."""

from __future__ import annotations

import copy
import json
import os
import shutil
import socket
import threading
import time
import urllib.parse
from pathlib import Path
from typing import Any, Iterator

import pytest
import uvicorn

from api.db import Database
from api.main import create_app
from api.settings import Settings
from api.ui.auth import UiSettings, create_user

ROOT = Path(__file__).resolve().parents[2]
SMALL = ROOT / "scenarios" / "small-county.json"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PASSWORD = "correct-horse-1"
USERS = {"planner": ("wangfang", "王芳"), "viewer": ("lijun", "李军"), "admin": ("zhaomin", "赵敏")}
MAX_FAILURES = 3


def small_county(kinds: bool = True) -> dict[str, Any]:
    """小河县, with its townships made a 镇, a 街道 and a 乡 so that titles follow the kind."""
    doc = json.loads(SMALL.read_text(encoding="utf-8"))
    if kinds:
        doc = copy.deepcopy(doc)
        doc["townships"][1]["kind"] = "subdistrict"
        doc["townships"][1]["name"] = doc["townships"][1]["name"].removesuffix("镇") + "街道"
        doc["townships"][2]["kind"] = "township"
        doc["townships"][2]["name"] = doc["townships"][2]["name"].removesuffix("镇") + "乡"
    return doc


def roster(path: Path, *, broken: bool = False) -> Path:
    """小河县 as the roster workbook officers keep; `broken` puts two bad cells in it."""
    from planner.io.excel.template import roster_workbook

    wb = roster_workbook(small_county())
    if broken:
        ws = wb["干部名册"]
        heads = [c.value for c in ws[1]]
        ws.cell(row=3, column=heads.index("出生年月*") + 1, value="去年春天")
        ws.cell(row=5, column=heads.index("性别*") + 1, value="未知")
    wb.save(path)
    return path


@pytest.fixture(scope="session")
def server(tmp_path_factory) -> Iterator[dict[str, Any]]:
    tmp = tmp_path_factory.mktemp("ui")
    settings = Settings(
        database_url=f"sqlite:///{tmp / 'ui.db'}",
        solver_workers=2,
        max_solver_workers=4,
        default_time_limit_s=10,
        max_time_limit_s=60,
        max_sync_time_limit_s=20,
        max_concurrent_solves=2,
        max_queued_solves=4,
        cancel_wait_s=20,
        key_pepper="test-pepper",
        log_level="WARNING",
        log_json=False,
    )
    db = Database(settings.database_url)
    db.create_schema()
    with db.session() as s, s.begin():
        for role, (name, display) in USERS.items():
            create_user(s, username=name, password=PASSWORD, role=role, display_name=display)
    db.dispose()
    app = create_app(settings)
    app.state.ui_settings = UiSettings(
        max_failures=MAX_FAILURES,
        lockout_s=600,
        solve_time_limit_s=10,
        whatif_time_limit_s=10,
        recommend_time_limit_s=0.5,
        recommend_top=3,
    )
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", access_log=False))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not srv.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.05)
    yield {
        "url": f"http://127.0.0.1:{port}",
        "host": f"127.0.0.1:{port}",
        "settings": settings,
        "tmp": tmp,
        "database_url": settings.database_url,
    }
    srv.should_exit = True
    thread.join(timeout=30)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not (os.path.exists(CHROMIUM) or shutil.which("chromium")):
        pytest.fail("Debian's chromium is missing: run `bash scripts/system-deps.sh` (scripts/debian-packages.txt)")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser, server):
    """A fresh browser context (no cookies) at laptop size; every request it makes must go to the server."""
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN", accept_downloads=True)
    outside: list[str] = []

    def guard(route):
        host = urllib.parse.urlsplit(route.request.url).netloc
        if host != server["host"]:
            outside.append(route.request.url)
            route.abort()
        else:
            route.continue_()

    context.route("**/*", guard)
    pg = context.new_page()
    pg.set_default_timeout(60_000)
    errors: list[str] = []
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    yield pg
    context.close()
    assert outside == [], f"requests left the server: {outside}"
    assert errors == [], f"JavaScript errors: {errors}"


def sign_in(pg, server, role: str = "planner", password: str = PASSWORD) -> None:
    pg.goto(server["url"] + "/ui/login")
    pg.fill("input[name=username]", USERS[role][0])
    pg.fill("input[name=password]", password)
    pg.click("button[type=submit]")
