"""The workspace's plumbing: templates, the router, sign-in gates, CSRF, error pages, loading records."""

from __future__ import annotations

import datetime as dt
import json
import logging
import urllib.parse
from functools import lru_cache, partial
from pathlib import Path
from typing import Any

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from sqlalchemy import select

from planner.audit.check import check_plan
from planner.domain import Instance, Plan, load_plan, load_scenario
from planner.domain.errors import InputError

from ..db import Database, JobRow, PlanRow, ScenarioRow
from ..deps import Caller, write_audit
from ..errors import ApiError
from ..security import Principal
from ..settings import Settings
from .auth import (
    LANG_COOKIE,
    SESSION_COOKIE,
    UiSettings,
    Viewer,
    resume_session,
    same_token,
)
from .messages import translate

log = logging.getLogger("api.ui")

HERE = Path(__file__).parent
templates = Jinja2Templates(directory=str(HERE / "templates"))
router = APIRouter(prefix="/ui", include_in_schema=False)

#: every page: nothing but this server (scripts, styles, images, connections, forms), no framing
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "font-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
)
PAGE_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}
TERMINAL = ("done", "cancelled", "failed", "interrupted")


class UiPage(Exception):
    """Stop a request with this response (a redirect to sign in, a 403 page …)."""

    def __init__(self, response: Response):
        self.response = response


def install(app: FastAPI) -> None:
    """Mount the workspace on `app`: its pages, its static files, its error pages."""
    app.include_router(router)
    app.mount("/ui/static", StaticFiles(directory=str(HERE / "static")), name="ui-static")

    async def _page(request: Request, exc: UiPage) -> Response:
        return exc.response

    # Starlette types every handler as taking Exception; it calls this one only with a UiPage
    app.add_exception_handler(UiPage, _page)  # type: ignore[arg-type]


# ------------------------------------------------------------------------------------------ plumbing


@lru_cache
def _default_ui_settings() -> UiSettings:
    return UiSettings()


def ui_settings(request: Request) -> UiSettings:
    return getattr(request.app.state, "ui_settings", None) or _default_ui_settings()


def api_settings(request: Request) -> Settings:
    return request.app.state.settings


def db_of(request: Request) -> Database:
    return request.app.state.db


def lang_of(request: Request) -> str:
    return "en" if request.cookies.get(LANG_COOKIE) == "en" else "zh"


def _fmt_time(value: dt.datetime | None) -> str:
    return value.astimezone().strftime("%Y-%m-%d %H:%M") if value else ""


def page(request: Request, name: str, viewer: Viewer | None, *, status: int = 200, **ctx: Any) -> HTMLResponse:
    lang = lang_of(request)
    t = partial(translate, lang)
    ctx.update(
        viewer=viewer,
        lang=lang,
        t=t,
        when=_fmt_time,
        role_name=lambda r: t(f"ui.role_name.{r}"),
        here=(request.url.path + (f"?{request.url.query}" if request.url.query else ""))
        if request.method == "GET"
        else "/ui/counties",
    )
    response = templates.TemplateResponse(request, name, ctx, status_code=status)
    response.headers.update(PAGE_HEADERS)
    return response


def error_page(
    request: Request, viewer: Viewer | None, status: int, message: str, problems: list[dict[str, str]] | None = None
) -> HTMLResponse:
    return page(request, "error.html", viewer, status=status, message=message, problems=problems or [])


def redirect(url: str) -> RedirectResponse:
    response = RedirectResponse(url, status_code=303)
    response.headers.update(PAGE_HEADERS)
    return response


def gate(request: Request, role: str = "viewer") -> Viewer:
    """The signed-in viewer with at least `role`, or stop: to the sign-in page, or a 403 page."""
    token = request.cookies.get(SESSION_COOKIE)
    viewer = resume_session(db_of(request), ui_settings(request), token)
    if viewer is None:
        here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        target = "/ui/login?next=" + urllib.parse.quote(here if request.method == "GET" else "/ui/")
        if token:
            target += "&expired=1"
        raise UiPage(redirect(target))
    if not viewer.allows(role):
        t = partial(translate, lang_of(request))
        _audit(request, viewer, "denied", outcome=f"{request.method} 403")
        raise UiPage(
            error_page(
                request,
                viewer,
                403,
                t("ui.forbidden", role=t(f"ui.role_name.{viewer.role}"), need=t(f"ui.role_name.{role}")),
            )
        )
    return viewer


def check_csrf(request: Request, viewer: Viewer, token: str | None) -> None:
    token = token or request.headers.get("x-csrf-token")
    if not same_token(token, viewer.csrf):
        _audit(request, viewer, "denied", outcome="csrf")
        raise UiPage(error_page(request, viewer, 403, translate(lang_of(request), "ui.csrf")))


def _principal(viewer: Viewer) -> Principal:
    return Principal(key_id=f"user:{viewer.user_id}"[:32], name=viewer.username, role=viewer.role)


def _audit(request: Request, viewer: Viewer | None, action: str, **fields: Any) -> None:
    try:
        write_audit(
            db_of(request),
            _principal(viewer) if viewer else None,
            action,
            request_id=getattr(request.state, "request_id", None),
            **fields,
        )
    except Exception:  # the audit log must not take a page down
        log.exception("audit write failed")


def caller_of(request: Request, viewer: Viewer) -> Caller:
    return Caller(principal=_principal(viewer), request_id=getattr(request.state, "request_id", "-"), db=db_of(request))


def not_found(request: Request, viewer: Viewer) -> UiPage:
    return UiPage(error_page(request, viewer, 404, translate(lang_of(request), "ui.not_found")))


def problems_of(exc: InputError | ApiError) -> list[dict[str, str]]:
    if isinstance(exc, InputError):
        return [p.as_dict() for p in exc.problems]
    return [
        {
            "location": p.get("location", ""),
            "message_zh": p.get("message_zh", ""),
            "message_en": p.get("message_en", ""),
        }
        for p in (exc.problems or [])
    ] or [{"location": "", "message_zh": exc.message_zh, "message_en": exc.message_en}]


# ------------------------------------------------------------------------------------ loading records


def county_name(row: ScenarioRow) -> str:
    try:
        return json.loads(row.document)["county"]["name"]
    except (ValueError, KeyError, TypeError):
        return row.county


def scenario_row(request: Request, s, viewer: Viewer, scenario_id: str) -> ScenarioRow:
    row = s.get(ScenarioRow, scenario_id)
    if row is None or not viewer.sees(row.county):
        raise not_found(request, viewer)
    return row


def instance_of(row: ScenarioRow) -> Instance:
    return load_scenario(json.loads(row.document))  # stored scenarios were valid when stored


class Loaded:
    """A stored plan with its job, scenario, resolved instance and the checker's report."""

    def __init__(self, plan_row: PlanRow, job: JobRow, scenario: ScenarioRow):
        self.row, self.job, self.scenario = plan_row, job, scenario
        self.inst = instance_of(scenario)
        self.plan: Plan = load_plan(Plan.model_validate_json(plan_row.document), self.inst)
        self.report = check_plan(self.inst, self.plan)


def load_plan_row(request: Request, s, viewer: Viewer, plan_id: str) -> Loaded:
    row = s.get(PlanRow, plan_id)
    if row is None:
        raise not_found(request, viewer)
    scenario = s.get(ScenarioRow, row.scenario_id)
    if scenario is None or not viewer.sees(scenario.county):
        raise not_found(request, viewer)
    return Loaded(row, s.get(JobRow, row.job_id), scenario)


def county_plans(s, county: str) -> list[dict[str, Any]]:
    """Every plan of a county, oldest first, numbered 1, 2, … (the number the page calls it by)."""
    rows = s.execute(
        select(PlanRow, JobRow, ScenarioRow)
        .join(JobRow, PlanRow.job_id == JobRow.id)
        .join(ScenarioRow, PlanRow.scenario_id == ScenarioRow.id)
        .where(ScenarioRow.county == county)
        .order_by(PlanRow.created_at)
    ).all()
    out = []
    number = {}
    for i, (plan, job, scenario) in enumerate(rows, start=1):
        number[plan.id] = i
        base = (job.params or {}).get("ui_base_plan_id")
        out.append(
            {
                "id": plan.id,
                "n": i,
                "status": plan.status,
                "objective": plan.objective,
                "kind": job.kind,
                "by": job.submitted_by,
                "at": plan.created_at,
                "scenario_id": scenario.id,
                "base_n": number.get(base),
                "base_id": base,
                "job_state": job.state,
            }
        )
    return out


def display_names(s) -> dict[str, str]:
    """user name → how the pages address the person (王芳); API keys' names stay as they are."""
    from .models import UserRow

    return {u.username: u.display_name for u in s.scalars(select(UserRow))}


def plan_number(s, plan_row: PlanRow, county: str) -> int:
    for p in county_plans(s, county):
        if p["id"] == plan_row.id:
            return p["n"]
    return 0
