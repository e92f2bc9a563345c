"""The workspace's sign-in, sign-out and language switch (cookies: session, login CSRF, language)."""

from __future__ import annotations

import os
from typing import Annotated

from fastapi import Form, Request
from fastapi.responses import HTMLResponse, Response


from ..deps import write_audit
from ..security import Principal
from .auth import (
    LANG_COOKIE,
    LOGIN_CSRF_COOKIE,
    SESSION_COOKIE,
    authenticate,
    close_session,
    open_session,
    same_token,
)
from .messages import translate
from .web import (
    _audit,
    _fmt_time,
    check_csrf,
    db_of,
    error_page,
    gate,
    lang_of,
    page,
    redirect,
    router,
    ui_settings,
)


def _safe_next(target: str | None) -> str:
    if target and target.startswith("/ui/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/ui/"


@router.get("/login")
def login_form(request: Request, next: str = "/ui/", expired: int = 0) -> HTMLResponse:
    token = request.cookies.get(LOGIN_CSRF_COOKIE) or os.urandom(24).hex()
    message = translate(lang_of(request), "ui.login.expired") if expired else None
    response = page(request, "login.html", None, csrf=token, next=_safe_next(next), message=message, username="")
    _login_cookie(request, response, token)
    return response


def _login_cookie(request: Request, response: Response, token: str) -> None:
    response.set_cookie(
        LOGIN_CSRF_COOKIE,
        token,
        httponly=True,
        samesite="strict",
        path="/ui",
        secure=ui_settings(request).cookie_secure,
        max_age=3600,
    )


@router.post("/login")
def login(
    request: Request,
    username: Annotated[str, Form(max_length=64)] = "",
    password: Annotated[str, Form(max_length=1024)] = "",
    csrf: Annotated[str, Form(max_length=128)] = "",
    next: Annotated[str, Form(max_length=2000)] = "/ui/",
) -> Response:
    lang, settings = lang_of(request), ui_settings(request)
    cookie = request.cookies.get(LOGIN_CSRF_COOKIE)
    if not same_token(csrf, cookie):
        return error_page(request, None, 403, translate(lang, "ui.csrf"))
    with db_of(request).session() as s, s.begin():
        result = authenticate(s, settings, username, password)
        user = result.user
        if user is not None:
            token, _row = open_session(s, user)
            who = Principal(key_id=f"user:{user.id}"[:32], name=user.username, role=user.role)
    if user is None:
        _audit(request, None, "ui.login", outcome=f"{result.refusal}:{username.strip().lower()[:20]}")
        if result.refusal == "locked":
            message = translate(lang, "ui.login.locked", until=_fmt_time(result.locked_until))
        else:
            message = translate(lang, "ui.login.disabled" if result.refusal == "disabled" else "ui.login.bad")
        response: Response = page(
            request,
            "login.html",
            None,
            status=401 if result.refusal == "bad" else 403,
            csrf=cookie,
            next=_safe_next(next),
            message=message,
            username=username,
        )
        return response
    write_audit(db_of(request), who, "ui.login", request_id=getattr(request.state, "request_id", None), outcome="ok")
    response = redirect(_safe_next(next))
    response.set_cookie(
        SESSION_COOKIE, token, httponly=True, samesite="strict", path="/ui", secure=settings.cookie_secure
    )
    response.delete_cookie(LOGIN_CSRF_COOKIE, path="/ui")
    return response


@router.post("/logout")
def logout(request: Request, csrf: Annotated[str, Form(max_length=128)] = "") -> Response:
    viewer = gate(request)
    check_csrf(request, viewer, csrf)
    close_session(db_of(request), request.cookies.get(SESSION_COOKIE))
    response = redirect("/ui/login")
    response.delete_cookie(SESSION_COOKIE, path="/ui")
    return response


@router.get("/lang/{code}")
def set_lang(request: Request, code: str, next: str = "/ui/") -> Response:
    response = redirect(_safe_next(next) if next != "/ui/login" else "/ui/login")
    response.set_cookie(LANG_COOKIE, "en" if code == "en" else "zh", samesite="lax", path="/ui", max_age=365 * 86400)
    return response
