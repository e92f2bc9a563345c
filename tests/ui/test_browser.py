"""The review workspace in a real browser (Debian's chromium through Playwright): sign in, upload a roster,
solve with live progress, pin someone from a recommendation and from the tray, see the diff, compare 方案一 with
方案二, download the workbook — plus CSRF, roles, wrong passwords and lock-out. Every page is checked to
request nothing outside the test server (the `page` fixture)."""

from __future__ import annotations

import io
import json
import os
import re
from pathlib import Path

import httpx
import openpyxl
import pytest
from sqlalchemy import func, select

from api.db import Database, JobRow, PlanRow
from planner.audit.check import check_plan
from planner.domain import load_plan, load_scenario

from .conftest import MAX_FAILURES, PASSWORD, USERS, roster, sign_in, small_county

SHOTS = os.environ.get("PLANNER_UI_SCREENSHOTS")


def shoot(pg, tmp_path: Path, name: str) -> None:
    """Screenshots at projector (1920) and laptop (1366) width; into $PLANNER_UI_SCREENSHOTS when set."""
    where = Path(SHOTS) if SHOTS else tmp_path
    where.mkdir(parents=True, exist_ok=True)
    for width in (1920, 1366):
        pg.set_viewport_size({"width": width, "height": 1080 if width == 1920 else 768})
        pg.screenshot(path=str(where / f"{name}-{width}.png"), full_page=False)
        if SHOTS:
            pg.screenshot(path=str(where / f"{name}-{width}-full.png"), full_page=True)
    pg.set_viewport_size({"width": 1366, "height": 900})


def db_counts(server) -> tuple[int, int]:
    db = Database(server["database_url"])
    with db.session() as s:
        out = (s.scalar(select(func.count()).select_from(JobRow)), s.scalar(select(func.count()).select_from(PlanRow)))
    db.dispose()
    return out


def audited(server, plan_id: str) -> None:
    """The plan the page shows is one the independent checker accepts."""
    db = Database(server["database_url"])
    with db.session() as s:
        row = s.get(PlanRow, plan_id)
        from api.db import ScenarioRow

        inst = load_scenario(json.loads(s.get(ScenarioRow, row.scenario_id).document))
        plan = load_plan(json.loads(row.document), inst)
    db.dispose()
    report = check_plan(inst, plan)
    assert report.ok, [v.message_en for v in report.hard_violations]
    assert report.objective == plan.objective


@pytest.fixture(scope="session")
def solved(server) -> dict[str, str]:
    """A plan of 小河县 made by a planner through the pages' own forms (no browser): its ids."""
    with httpx.Client(base_url=server["url"], follow_redirects=False, timeout=120) as c:
        r = c.get("/ui/login")
        token = re.search(r'name="csrf" value="([^"]+)"', r.text).group(1)
        r = c.post("/ui/login", data={"username": USERS["planner"][0], "password": PASSWORD, "csrf": token})
        assert r.status_code == 303
        csrf = re.search(r'name="csrf" value="([^"]+)"', c.get("/ui/counties").text).group(1)
        data = json.dumps(small_county(), ensure_ascii=False).encode()
        r = c.post("/ui/upload", data={"csrf": csrf}, files={"file": ("small.json", data, "application/json")})
        assert r.status_code == 303, r.text
        sid = re.search(r"done=(\w+)", r.headers["location"]).group(1)
        r = c.post(f"/ui/scenarios/{sid}/solve", data={"csrf": csrf, "time_limit": "10"})
        job = r.headers["location"].rsplit("/", 1)[1]
        with c.stream("GET", f"/ui/jobs/{job}/events") as events:  # the page's own progress stream, to its end
            for line in events.iter_lines():
                if line.startswith("data:") and json.loads(line[5:])["terminal"]:
                    break
        r = c.get(f"/ui/jobs/{job}")
        assert r.status_code == 303, r.text
        plan = r.headers["location"].rsplit("/", 1)[1]
    audited(server, plan)
    return {"scenario": sid, "plan": plan}


def test_end_to_end(page, server, tmp_path):
    pg = page
    sign_in(pg, server)
    pg.wait_for_url("**/ui/counties")
    assert "王芳" in pg.inner_text("header")

    # a roster with two bad cells: nothing imported, every problem located (sheet, row, column)
    pg.set_input_files("input[name=file]", str(roster(tmp_path / "bad.xlsx", broken=True)))
    pg.click("#upload button[type=submit]")
    problems = pg.inner_text("#upload-problems")
    assert "干部名册" in problems and "出生年月" in problems and "性别" in problems, problems
    assert "第3行" in problems or "row 3" in problems or "3" in problems

    # the good roster
    pg.set_input_files("input[name=file]", str(roster(tmp_path / "roster.xlsx")))
    pg.click("#upload button[type=submit]")
    pg.wait_for_url("**/ui/counties?done=*")
    scenario = pg.url.split("done=")[1].split("#")[0]
    item = pg.locator(f"#scenario-{scenario}")
    county = small_county()
    counted = f"{len(county['townships'])}个乡镇", f"{len(county['cadres'])}名干部"
    assert all(text in item.inner_text() for text in counted), (counted, item.inner_text())
    shoot(pg, tmp_path, "counties")

    # solve: the progress page follows the solver (server-sent events) and opens the plan when done
    item.locator("[data-test=solve]").click()
    pg.wait_for_url("**/ui/jobs/*")
    pg.wait_for_url("**/ui/plans/*", timeout=120_000)
    first = pg.url.rsplit("/", 1)[1]
    audited(server, first)
    assert "已找到最优方案" in pg.inner_text(".plan-head") or "已找到可行方案" in pg.inner_text(".plan-head")
    # titles follow the township kind: 镇长 in a 镇, 办事处主任 and 党工委书记 in a 街道, 乡长 in a 乡
    cards = {t: pg.inner_text(f"#township-{t}") for t in ("T01", "T02", "T03")}
    assert "镇长" in cards["T01"] and "乡镇长" not in cards["T01"]
    assert "办事处主任" in cards["T02"] and "党工委书记" in cards["T02"]
    assert "乡长" in cards["T03"] and "乡镇长" not in cards["T03"]
    assert pg.locator("#quotas .bar").count() >= 5
    assert pg.locator("#moves li").count() >= 1 and pg.locator("#chains .chain").count() >= 1
    # findings name people and posts as links to their card rows
    link = pg.locator("#findings a.person").first
    assert link.get_attribute("href").startswith("#cadre-")
    shoot(pg, tmp_path, "plan")
    if SHOTS:
        for part in ("#township-T02", "#moves", "#chains", "#findings"):
            pg.locator(part).screenshot(path=f"{SHOTS}/part-{part[1:]}.png")

    # recommend candidates for a deputy's post from its card, choose one who is not there now
    # not the plan's holder, nor today's (choosing today's holder is no move: no line in 调整名单 to look for)
    holder = pg.inner_text("#post-T01-DEPH1 td:nth-child(4)").strip()
    today = pg.inner_text("#post-T01-DEPH1 td:nth-child(2)").strip()
    pg.click("#post-T01-DEPH1 button.rec")
    pg.wait_for_selector("[data-test=candidates]", timeout=120_000)
    shoot(pg, tmp_path, "recommend")
    rows = pg.locator("[data-test=candidates] tbody tr")
    chosen = None
    for i in range(rows.count()):
        name = rows.nth(i).locator("td").nth(1).inner_text().strip()
        if name not in (holder, today) and rows.nth(i).locator("button").count():
            chosen = name
            rows.nth(i).locator("button").click()
            break
    assert chosen, "no other feasible candidate was offered"
    pg.wait_for_url("**/ui/plans/*#diff", timeout=120_000)
    second = pg.url.split("#")[0].rsplit("/", 1)[1]
    audited(server, second)
    # the diff: the pinned post changed and highlighted, objective before → after, findings added/removed
    diff = pg.inner_text("[data-test=diff]")
    assert "方案1" in diff and "目标值" in diff and "→" in diff
    assert int(pg.inner_text("[data-test=diff] .changed-count")) >= 1
    # the fourth cell is the plan's holder (the second is who holds the post today, who may be the one chosen)
    assert pg.inner_text("#post-T01-DEPH1 td:nth-child(4)").strip() == chosen
    assert "diff-changed" in pg.get_attribute("#post-T01-DEPH1", "class")
    shoot(pg, tmp_path, "diff")

    # the tray: mark a cadre leaving and forbid a placement straight from the plan's rows, then re-plan
    pg.click("#post-T01-DEPH1 button[data-action=forbid]")
    assert pg.locator("#pending input[name=forbid]").count() == 1
    pg.click("#replan")
    pg.wait_for_url("**/ui/plans/*#diff", timeout=120_000)
    third = pg.url.split("#")[0].rsplit("/", 1)[1]
    assert third != second
    audited(server, third)
    assert chosen not in pg.inner_text("#post-T01-DEPH1 td:nth-child(4)")
    assert "不安排" in pg.inner_text("[data-test=diff]")

    # compare 方案一 with 方案二: posts that differ, structure, objective by rule
    pg.goto(f"{server['url']}/ui/compare?a={first}&b={second}")
    posts = pg.inner_text("[data-test=cmp-posts]")
    assert chosen in posts
    assert "合计" in pg.inner_text("[data-test=cmp-rules]")
    shoot(pg, tmp_path, "compare")

    # download the plan workbook
    pg.goto(f"{server['url']}/ui/plans/{second}")
    with pg.expect_download() as dl:
        pg.click("[data-test=download]")
    path = tmp_path / "plan.xlsx"
    dl.value.save_as(path)
    wb = openpyxl.load_workbook(path)
    assert "调整名单" in wb.sheetnames
    names = " ".join(str(c.value) for row in wb["调整名单"].iter_rows() for c in row if c.value)
    assert chosen in names

    # English on demand
    pg.click("header a.lang")
    assert "Township by township" in pg.inner_text("#cards")
    assert "Mayor" in pg.inner_text("#township-T01")
    assert "Subdistrict Office Director" in pg.inner_text("#township-T02")
    pg.click("header a.lang")
    assert "一乡一表" in pg.inner_text("#cards")


def test_cancel_keeps_the_best_plan(page, server, tmp_path):
    """Stopping a running solve from its progress page keeps the best plan found so far.

    A 30-township county: its first plans come within seconds, its proof takes longer than the limit."""
    import time

    from planner.io.synth import SynthOptions, generate

    doc, _ = generate(SynthOptions(townships=30, seed=5))
    path = tmp_path / "county30.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    pg = page
    sign_in(pg, server)
    pg.wait_for_url("**/ui/counties")
    pg.set_input_files("input[name=file]", str(path))
    pg.click("#upload button[type=submit]")
    pg.wait_for_url("**/ui/counties?done=*")
    scenario = pg.url.split("done=")[1].split("#")[0]
    pg.fill(f"#scenario-{scenario} input[name=time_limit]", "60")
    pg.click(f"#scenario-{scenario} [data-test=solve]")
    pg.wait_for_url("**/ui/jobs/*")
    deadline = time.monotonic() + 120
    while pg.inner_text("[data-field=solutions]").strip() in ("0", "—"):  # the live progress, pushed by SSE
        assert time.monotonic() < deadline, "no plan was reported"
        assert "/ui/jobs/" in pg.url, "the solve ended before it could be stopped"
        pg.wait_for_timeout(200)
    assert pg.inner_text("[data-field=phase_text]") == "搜索更优方案"
    assert pg.inner_text("[data-field=objective]").strip().lstrip("-").isdigit()
    shoot(pg, tmp_path, "progress")
    pg.click("#cancel-form button")
    pg.wait_for_url("**/ui/plans/*", timeout=120_000)
    plan = pg.url.rsplit("/", 1)[1]
    audited(server, plan)
    assert "已找到可行方案" in pg.inner_text(".plan-head")
    db = Database(server["database_url"])
    with db.session() as s:
        assert s.get(JobRow, s.get(PlanRow, plan).job_id).state == "cancelled"
    db.dispose()


def test_csrf(page, server, solved):
    pg = page
    sign_in(pg, server)
    pg.wait_for_url("**/ui/counties")
    jobs, plans = db_counts(server)
    for data in ({"time_limit": "5"}, {"time_limit": "5", "csrf": "forged"}):
        r = pg.request.post(f"{server['url']}/ui/scenarios/{solved['scenario']}/solve", form=data, max_redirects=0)
        assert r.status == 403 and "安全校验" in r.text()
    r = pg.request.post(
        f"{server['url']}/ui/plans/{solved['plan']}/adjust",
        form={"leaving": "C0011", "csrf": "forged"},
        max_redirects=0,
    )
    assert r.status == 403
    assert db_counts(server) == (jobs, plans)
    # the sign-in form too: a post without the form's token cookie is refused
    r = httpx.post(
        f"{server['url']}/ui/login", data={"username": USERS["planner"][0], "password": PASSWORD, "csrf": "x"}
    )
    assert r.status_code == 403 and "planner_session" not in r.headers.get("set-cookie", "")


def test_viewer_reads_but_cannot_solve_or_edit(page, server, solved, tmp_path):
    pg = page
    sign_in(pg, server, "viewer")
    pg.wait_for_url("**/ui/counties")
    assert pg.locator("#upload").count() == 0 and pg.locator("[data-test=solve]").count() == 0
    pg.goto(f"{server['url']}/ui/plans/{solved['plan']}")
    assert "一乡一表" in pg.inner_text("#cards")
    assert pg.locator("#tray").count() == 0 and pg.locator("button[data-action]").count() == 0
    assert pg.locator("button.rec").count() == 0
    csrf = pg.get_attribute("header input[name=csrf]", "value")  # the viewer's own, valid token
    jobs, plans = db_counts(server)
    base = server["url"]
    for url, form in (
        (f"/ui/scenarios/{solved['scenario']}/solve", {"csrf": csrf, "time_limit": "5"}),
        (f"/ui/plans/{solved['plan']}/adjust", {"csrf": csrf, "leaving": "C0011"}),
        (f"/ui/plans/{solved['plan']}/recommend", {"csrf": csrf, "post": "T01-ORG"}),
    ):
        r = pg.request.post(base + url, form=form, max_redirects=0)
        assert r.status == 403 and "无权" in r.text(), url
    r = pg.request.post(
        base + "/ui/upload",
        multipart={
            "csrf": csrf,
            "file": {"name": "s.json", "mimeType": "application/json", "buffer": json.dumps(small_county()).encode()},
        },
        max_redirects=0,
    )
    assert r.status == 403
    assert db_counts(server) == (jobs, plans)
    # but the viewer may download and compare
    r = pg.request.get(f"{base}/ui/plans/{solved['plan']}/workbook")
    assert r.status == 200 and openpyxl.load_workbook(io.BytesIO(r.body()))


def test_wrong_password_and_lock_out(page, server, monkeypatch):
    from typer.testing import CliRunner

    from planner.cli.common import app

    pg = page
    sign_in(pg, server, "admin", "wrong-password")
    assert "/ui/login" in pg.url and "用户名或密码不正确" in pg.inner_text(".alert")
    assert "planner_session" not in {c["name"] for c in pg.context.cookies()}
    for _ in range(MAX_FAILURES - 1):
        sign_in(pg, server, "admin", "wrong-password")
    assert "已锁定" in pg.inner_text(".alert")
    sign_in(pg, server, "admin")  # the right password, but the account is locked
    assert "已锁定" in pg.inner_text(".alert") and "/ui/login" in pg.url
    monkeypatch.setenv("PLANNER_DATABASE_URL", server["database_url"])
    result = CliRunner().invoke(app, ["user", "unlock", USERS["admin"][0]])
    assert result.exit_code == 0, result.output
    sign_in(pg, server, "admin")
    pg.wait_for_url("**/ui/counties")
    assert "赵敏" in pg.inner_text("header")


def test_api_docs_are_served_locally(page, server):
    pg = page
    pg.goto(server["url"] + "/docs")
    pg.wait_for_selector(".swagger-ui .info", timeout=30_000)
    assert "Reshuffle planner API" in pg.inner_text(".swagger-ui .info")
