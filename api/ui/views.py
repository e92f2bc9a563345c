"""The review workspace's pages under /ui: sign-in, counties and uploads, solving with live progress, the
plan, adjust and re-plan, recommendations, comparison, the workbook.

Server-rendered (Jinja2); the little JavaScript the pages use is ``static/app.js``, served by the app — no
request leaves the server (CSP ``default-src 'self'``). Roles are the API's: a viewer reads; a planner also
uploads, solves, adjusts and asks for recommendations; an admin may do everything. Every state-changing
request carries the session's CSRF token.
"""

from __future__ import annotations

import asyncio
import json
import tempfile
import urllib.parse
from functools import partial
from pathlib import Path
from typing import Annotated, Any

from fastapi import File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import select
from sse_starlette.sse import EventSourceResponse
from starlette.concurrency import run_in_threadpool

from planner.domain import Instance, load_scenario
from planner.domain.errors import InputError
from planner.io.excel.workbook import export_plan
from planner.io.excel.roster import import_workbook
from planner.io.excel.style import workbook_bytes
from planner.analysis.recommend import recommend
from planner.solver.options import SolveOptions
from planner.analysis.delta import apply_delta
from planner.analysis.whatif import whatif

from ..db import JobRow, PlanRow, ScenarioRow, utcnow
from ..errors import ApiError
from ..solving import check_size, start_job, wait_synchronously
from ..store import store_scenario
from . import present
from .auth import (
    Viewer,
)
from .compare import compare
from .messages import translate
from .titles import post_name
from .web import (  # noqa: F401  (install: the entry point main.py calls)
    install,
    Loaded,
    TERMINAL,
    _audit,
    _fmt_time,
    api_settings,
    caller_of,
    check_csrf,
    county_name,
    county_plans,
    db_of,
    display_names,
    error_page,
    gate,
    instance_of,
    lang_of,
    load_plan_row,
    not_found,
    page,
    plan_number,
    problems_of,
    redirect,
    router,
    scenario_row,
    ui_settings,
)


from . import signin  # noqa: F401,E402  (registers the sign-in routes on the router)


# ------------------------------------------------------------------------------------------ counties


@router.get("")
@router.get("/")
def home(request: Request) -> Response:
    gate(request)
    return redirect("/ui/counties")


@router.get("/counties")
def counties(request: Request, done: str | None = None) -> HTMLResponse:
    viewer = gate(request)
    return _counties_page(request, viewer, done=done)


def _counties_page(
    request: Request,
    viewer: Viewer,
    *,
    status: int = 200,
    upload_problems=None,
    upload_message: str | None = None,
    done: str | None = None,
) -> HTMLResponse:
    with db_of(request).session() as s:
        derived = set(s.scalars(select(JobRow.scenario_id).where(JobRow.kind == "whatif")))
        rows = [
            r for r in s.scalars(select(ScenarioRow).order_by(ScenarioRow.created_at.desc())) if viewer.sees(r.county)
        ]
        groups: dict[str, dict[str, Any]] = {}
        for r in rows:
            g = groups.setdefault(r.county, {"id": r.county, "name": county_name(r), "scenarios": [], "plans": []})
            if r.id not in derived:
                g["scenarios"].append(r)
        for g in groups.values():
            g["plans"] = county_plans(s, g["id"])
        names = display_names(s)
        just = next((r for r in rows if r.id == done), None)
        if just is not None and upload_message is None:
            upload_message = translate(
                lang_of(request),
                "ui.upload.done",
                county=county_name(just),
                townships=just.townships,
                posts=just.posts,
                cadres=just.cadres,
            )
    return page(
        request,
        "counties.html",
        viewer,
        status=status,
        counties=list(groups.values()),
        upload_problems=upload_problems,
        upload_message=upload_message,
        done=done,
        name_of=lambda u: names.get(u, u or "—"),
        upload_ok=just is not None and not upload_problems,
        default_limit=int(ui_settings(request).solve_time_limit_s),
    )


@router.post("/upload")
def upload(
    request: Request, file: Annotated[UploadFile | None, File()] = None, csrf: Annotated[str, Form(max_length=128)] = ""
) -> Response:
    viewer = gate(request, "planner")
    check_csrf(request, viewer, csrf)
    t = partial(translate, lang_of(request))
    if file is None or not file.filename:
        return _counties_page(request, viewer, status=422, upload_message=t("ui.upload.empty"))
    suffix = Path(file.filename).suffix.lower()
    data = file.file.read()
    try:
        if suffix == ".json":
            inst = load_scenario(data)
        elif suffix in (".xlsx", ".xlsm"):
            with tempfile.TemporaryDirectory() as tmp:
                path = Path(tmp) / f"roster{suffix}"
                path.write_bytes(data)
                scenario = import_workbook(path).scenario
            inst = load_scenario(scenario)
        else:
            return _counties_page(request, viewer, status=422, upload_message=t("ui.upload.kind"))
        check_size(api_settings(request), inst.doc)
    except (InputError, ApiError) as exc:
        problems = problems_of(exc)
        return _counties_page(
            request, viewer, status=422, upload_problems=problems, upload_message=t("ui.upload.failed", n=len(problems))
        )
    if not viewer.sees(inst.doc.county.id):
        return error_page(
            request, viewer, 403, t("ui.forbidden", role=t(f"ui.role_name.{viewer.role}"), need=inst.doc.county.id)
        )
    with db_of(request).session() as s, s.begin():
        row = store_scenario(s, inst.doc, viewer.username)
        sid, sha = row.id, row.sha256
    _audit(request, viewer, "ui.upload", scenario_id=sid, scenario_sha256=sha, outcome=suffix)
    return redirect(f"/ui/counties?done={sid}#scenario-{sid}")


# ------------------------------------------------------------------------------------------ solving


@router.post("/scenarios/{scenario_id}/solve")
def solve_scenario(
    request: Request,
    scenario_id: str,
    csrf: Annotated[str, Form(max_length=128)] = "",
    time_limit: Annotated[float, Form(gt=0, le=3600)] = 30.0,
) -> Response:
    viewer = gate(request, "planner")
    check_csrf(request, viewer, csrf)
    settings = api_settings(request)
    pool = request.app.state.pool
    options = SolveOptions(time_limit=min(time_limit, settings.max_time_limit_s), workers=settings.solver_workers)
    with db_of(request).session() as s:
        row = scenario_row(request, s, viewer, scenario_id)
        inst = instance_of(row)
        try:
            job, _ = start_job(s, pool, caller_of(request, viewer), row, inst, options, kind="job")
        except ApiError:
            return error_page(request, viewer, 503, translate(lang_of(request), "ui.busy"))
        job_id = job.id
        caller_of(request, viewer).audit(
            "job.create", scenario_id=row.id, scenario_sha256=row.sha256, job_id=job_id, outcome=202
        )
    return redirect(f"/ui/jobs/{job_id}")


def job_status(request: Request, job_id: str, viewer: Viewer) -> dict[str, Any] | None:
    pool = request.app.state.pool
    with db_of(request).session() as s:
        job = s.get(JobRow, job_id)
        if job is None:
            return None
        scenario = s.get(ScenarioRow, job.scenario_id)
        if scenario is None or not viewer.sees(scenario.county):
            return None
        live = pool.live(job_id)
        state, progress = (live[0], {**(job.progress or {}), **live[1]}) if live else (job.state, job.progress or {})
        if live is None:
            s.refresh(job)
            state, progress = job.state, job.progress or {}
        end = job.finished_at if state in TERMINAL and job.finished_at else utcnow()
        elapsed = (end - job.started_at).total_seconds() if job.started_at else 0.0
        phase = state if state in ("queued", *TERMINAL) else ("searching" if progress.get("solutions") else "building")
        t = partial(translate, lang_of(request))
        return {
            "state": state,
            "phase": phase,
            "phase_text": t(f"ui.phase.{phase}"),
            "objective": progress.get("objective"),
            "bound": progress.get("bound"),
            "solutions": progress.get("solutions") or 0,
            "elapsed": round(elapsed, 1),
            "elapsed_text": t("ui.seconds", s=f"{elapsed:.1f}"),
            "terminal": state in TERMINAL,
            "status": job.result_status,
            "plan_url": f"/ui/plans/{job.plan_id}" if job.plan_id and state in TERMINAL else None,
            "county": county_name(scenario),
            "scenario_id": scenario.id,
        }


@router.get("/jobs/{job_id}")
def job_page(request: Request, job_id: str) -> Response:
    viewer = gate(request)
    info = job_status(request, job_id, viewer)
    if info is None:
        raise not_found(request, viewer)
    if info["terminal"] and info["plan_url"]:
        return redirect(info["plan_url"])
    return page(request, "job.html", viewer, job_id=job_id, info=info)


@router.get("/jobs/{job_id}/events")
async def job_events(request: Request, job_id: str) -> Response:
    viewer = await run_in_threadpool(gate, request)
    first = await run_in_threadpool(job_status, request, job_id, viewer)
    if first is None:
        raise not_found(request, viewer)

    async def stream():
        info = first
        while True:
            yield {"event": "progress", "data": json.dumps(info, ensure_ascii=False)}
            if info["terminal"] or await request.is_disconnected():
                return
            await asyncio.sleep(0.5)
            info = await run_in_threadpool(job_status, request, job_id, viewer)

    return EventSourceResponse(stream(), headers={"Cache-Control": "no-store"})


@router.post("/jobs/{job_id}/cancel")
def cancel_job(request: Request, job_id: str, csrf: Annotated[str, Form(max_length=128)] = "") -> Response:
    viewer = gate(request, "planner")
    check_csrf(request, viewer, csrf)
    if job_status(request, job_id, viewer) is None:
        raise not_found(request, viewer)
    pool = request.app.state.pool
    if pool.cancel(job_id):
        pool.wait(job_id, api_settings(request).cancel_wait_s)
    caller_of(request, viewer).audit("job.cancel", job_id=job_id, outcome="ui")
    return redirect(f"/ui/jobs/{job_id}")


# ------------------------------------------------------------------------------------------ the plan


def _base_of(s, loaded: Loaded) -> tuple[Instance | None, int | None, str | None]:
    base_id = (loaded.job.params or {}).get("ui_base_plan_id") if loaded.job else None
    if not base_id:
        return None, None, None
    base = s.get(PlanRow, base_id)
    if base is None:
        return None, None, None
    return instance_of(s.get(ScenarioRow, base.scenario_id)), plan_number(s, base, loaded.scenario.county), base_id


@router.get("/plans/{plan_id}")
def plan_page(request: Request, plan_id: str) -> HTMLResponse:
    viewer = gate(request)
    lang = lang_of(request)
    with db_of(request).session() as s:
        loaded = load_plan_row(request, s, viewer, plan_id)
        number = plan_number(s, loaded.row, loaded.scenario.county)
        base_inst, base_n, base_id = _base_of(s, loaded)
        plans = county_plans(s, loaded.scenario.county)
    inst, plan, report = loaded.inst, loaded.plan, loaded.report
    diff = present.diff_view(inst, base_inst, plan, lang)
    delta = (loaded.job.params or {}).get("ui_delta") if loaded.job else None
    _audit(request, viewer, "plan.read", scenario_id=loaded.scenario.id, job_id=loaded.row.job_id, outcome=plan.status)
    people = sorted(((c, inst.cadres[c].name) for c in inst.cadres if not inst.cadres[c].leaving), key=lambda x: x[0])
    return page(
        request,
        "plan.html",
        viewer,
        plan=plan,
        row=loaded.row,
        number=number,
        county=county_name(loaded.scenario),
        scenario=loaded.scenario,
        report=report,
        verdict=report.verdict()[1 if lang == "en" else 0],
        status_text=translate(lang, f"status.{plan.status}"),
        bars=present.bars(inst, report, lang),
        moves=present.moves_by_township(inst, plan, report, lang),
        chains=present.chains(inst, plan, lang),
        cards=present.cards(inst, plan, report, lang, diff.posts if diff else set()),
        findings=sorted(
            (present.finding(inst, v, lang) for v in report.violations), key=lambda f: (not f.hard, -f.cost)
        ),
        bonuses=[present.finding(inst, v, lang) for v in report.bonuses],
        diff=diff,
        base_n=base_n,
        base_id=base_id,
        delta=_delta_lines(inst, delta, lang) if delta else [],
        plans=plans,
        people=people,
        posts=[(p, post_name(inst, p, lang)) for p in inst.posts],
        explanation=plan.explanation,
    )


def _delta_lines(inst: Instance, delta: dict[str, Any], lang: str) -> list[str]:
    t = partial(translate, lang)

    def who(c: str) -> str:
        return inst.cadres[c].name if c in inst.cadres else c

    lines = [
        t("ui.adjust.pin_help", cadre=who(p["cadre"]), post=post_name(inst, p["post"], lang))
        for p in delta.get("pins", [])
        if p["post"] in inst.posts
    ]
    lines += [
        t("ui.adjust.forbid_help", cadre=who(p["cadre"]), post=post_name(inst, p["post"], lang))
        for p in delta.get("forbids", [])
        if p["post"] in inst.posts
    ]
    lines += [t("ui.adjust.leaving_help", cadre=who(c)) for c in delta.get("leaving", [])]
    return lines


@router.get("/plans/{plan_id}/workbook")
def plan_workbook(request: Request, plan_id: str) -> Response:
    viewer = gate(request)
    with db_of(request).session() as s:
        loaded = load_plan_row(request, s, viewer, plan_id)
        number = plan_number(s, loaded.row, loaded.scenario.county)
    data = workbook_bytes(export_plan(loaded.inst, loaded.plan).workbook)
    name = f"{county_name(loaded.scenario)}-方案{number}.xlsx"
    _audit(request, viewer, "plan.export", scenario_id=loaded.scenario.id, job_id=loaded.row.job_id, outcome="xlsx")
    return Response(
        data,
        media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={
            "Content-Disposition": "attachment; filename=plan.xlsx; filename*=UTF-8''" + urllib.parse.quote(name),
            "Cache-Control": "no-store",
            "X-Content-Type-Options": "nosniff",
        },
    )


# ------------------------------------------------------------------------------------------ adjust


def _pairs(values: list[str]) -> list[dict[str, str]]:
    out = []
    for v in values:
        cadre, _, post = v.partition("|")
        if cadre and post:
            out.append({"cadre": cadre, "post": post})
    return out


@router.post("/plans/{plan_id}/adjust")
def adjust(
    request: Request,
    plan_id: str,
    csrf: Annotated[str, Form(max_length=128)] = "",
    pin: Annotated[list[str], Form()] = [],
    forbid: Annotated[list[str], Form()] = [],
    leaving: Annotated[list[str], Form()] = [],
) -> Response:
    viewer = gate(request, "planner")
    check_csrf(request, viewer, csrf)
    lang = lang_of(request)
    t = partial(translate, lang)
    delta: dict[str, Any] = {"format": "reshuffle-delta/1"}
    if pin:
        delta["pins"] = _pairs(pin)
    if forbid:
        delta["forbids"] = _pairs(forbid)
    if leaving:
        delta["leaving"] = list(dict.fromkeys(c for c in leaving if c))
    if len(delta) == 1:
        return error_page(request, viewer, 422, t("ui.adjust.empty"))
    settings, ui = api_settings(request), ui_settings(request)
    pool = request.app.state.pool
    options = SolveOptions(
        time_limit=min(ui.whatif_time_limit_s, settings.max_sync_time_limit_s), workers=settings.solver_workers
    )
    with db_of(request).session() as s:
        loaded = load_plan_row(request, s, viewer, plan_id)
        base_inst, base_plan = loaded.inst, loaded.plan
        try:
            applied = apply_delta(base_inst.doc, delta)
            new_inst = load_scenario(applied)
        except InputError as exc:
            return error_page(request, viewer, 422, t("ui.adjust.failed", detail=""), problems_of(exc))
        try:
            new_row = store_scenario(s, applied, viewer.username)
            s.commit()

            def work(control, progress):
                return whatif(base_inst, base_plan, delta, options, keep_base=True)

            caller = caller_of(request, viewer)
            job, active = start_job(
                s,
                pool,
                caller,
                new_row,
                new_inst,
                options,
                kind="whatif",
                work=work,
                params={"ui_base_plan_id": plan_id, "base_scenario_id": loaded.scenario.id, "ui_delta": delta},
            )
            job = wait_synchronously(s, pool, settings, job, active)
        except ApiError as exc:
            if exc.status == 503:
                return error_page(request, viewer, 503, t("ui.busy"))
            return error_page(request, viewer, 422, t("ui.adjust.failed", detail=""), problems_of(exc))
        caller.audit(
            "whatif",
            scenario_id=new_row.id,
            scenario_sha256=new_row.sha256,
            job_id=job.id,
            outcome=job.result_status or job.state,
        )
        if job.plan_id is None:
            return error_page(request, viewer, 500, t("ui.adjust.failed", detail=job.state))
        new_plan_id = job.plan_id
    return redirect(f"/ui/plans/{new_plan_id}#diff")


@router.post("/plans/{plan_id}/recommend")
def recommend_page(
    request: Request,
    plan_id: str,
    post: Annotated[str, Form(max_length=64)],
    csrf: Annotated[str, Form(max_length=128)] = "",
) -> Response:
    viewer = gate(request, "planner")
    check_csrf(request, viewer, csrf)
    lang = lang_of(request)
    t = partial(translate, lang)
    settings, ui = api_settings(request), ui_settings(request)
    pool = request.app.state.pool
    with db_of(request).session() as s:
        loaded = load_plan_row(request, s, viewer, plan_id)
        inst, plan = loaded.inst, loaded.plan
        if post not in inst.posts:
            raise not_found(request, viewer)
        options = SolveOptions(
            time_limit=min(ui.recommend_time_limit_s, settings.max_recommend_time_limit_s),
            workers=settings.solver_workers,
        )
        top = ui.recommend_top

        def work(control, progress):
            return recommend(inst, post, plan, top, time_limit=options.time_limit, workers=options.workers)

        try:
            caller = caller_of(request, viewer)
            job, active = start_job(
                s,
                pool,
                caller,
                loaded.scenario,
                inst,
                options,
                kind="recommend",
                work=work,
                params={"ui_base_plan_id": plan_id, "post": post, "top": top},
            )
            job = wait_synchronously(s, pool, settings, job, active, timeout=settings.max_recommend_wait_s)
        except ApiError as exc:
            return error_page(
                request,
                viewer,
                503 if exc.status == 503 else 422,
                t("ui.busy") if exc.status == 503 else t("ui.error"),
                problems_of(exc),
            )
        caller.audit("recommend", scenario_id=loaded.scenario.id, job_id=job.id, outcome=job.state)
        answer = job.answer or {"candidates": []}
        number = plan_number(s, loaded.row, loaded.scenario.county)
    holder = {a.post: a.cadre for a in plan.assignments}.get(post)
    candidates = []
    for c in answer.get("candidates", []):
        candidates.append(
            {
                **c,
                "display": inst.cadres[c["cadre"]].name if c["cadre"] in inst.cadres else c["cadre"],
                "others": [
                    (
                        post_name(inst, o["post"], lang),
                        inst.cadres[o["before"]].name if o.get("before") else "",
                        inst.cadres[o["after"]].name if o.get("after") else "",
                    )
                    for o in c.get("other_changes", [])
                    if o["post"] != post
                ],
                "added": [
                    present.finding(inst, v, lang, f"/ui/plans/{plan_id}") for v in c.get("violations_added", [])
                ],
                "current": c["cadre"] == holder,
                "breaks": [
                    present.rule_label(b.get("rule", ""), lang) if isinstance(b, dict) else str(b)
                    for b in c.get("breaks", [])
                ],
            }
        )
    return page(
        request,
        "recommend.html",
        viewer,
        plan_id=plan_id,
        number=number,
        post=post,
        post_title=post_name(inst, post, lang),
        candidates=candidates,
        holder=inst.cadres[holder].name if holder else t("ui.plan.vacant"),
        reference=answer.get("reference", {}),
        county=county_name(loaded.scenario),
    )


# ------------------------------------------------------------------------------------------ compare


@router.get("/compare")
def compare_page(request: Request, a: str = "", b: str = "") -> HTMLResponse:
    viewer = gate(request)
    lang = lang_of(request)
    with db_of(request).session() as s:
        one = load_plan_row(request, s, viewer, a)
        two = load_plan_row(request, s, viewer, b)
        if one.scenario.county != two.scenario.county:
            raise not_found(request, viewer)
        plans = county_plans(s, one.scenario.county)
    numbers = {p["id"]: p["n"] for p in plans}
    result = compare(one.inst, one.plan, one.report, two.inst, two.plan, two.report, lang)
    _audit(request, viewer, "ui.compare", scenario_id=one.scenario.id, outcome="ok")
    return page(
        request,
        "compare.html",
        viewer,
        cmp=result,
        a=one,
        b=two,
        na=numbers.get(a),
        nb=numbers.get(b),
        plans=plans,
        county=county_name(one.scenario),
    )
