"""Errors as located JSON answers, never tracebacks.

Every error body has one shape (:class:`api.schemas.ErrorOut`)::

    {"error": "invalid_input", "message_zh": "…", "message_en": "…",
     "document": "scenario", "problems": [{"location": "cadres[3] C0004 › birth_date", "loc": [...],
                                            "message_zh": "…", "message_en": "…"}]}

planner's InputError (cross-record checks: references, duplicates, policy) and pydantic's validation errors
(shape and type) both become 422 with the same problem list.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import SQLAlchemyError
from starlette.exceptions import HTTPException as StarletteHTTPException

from planner.domain.load import _locate  # the loader's own location renderer: `cadres[3] C0004 › birth_date`
from planner.domain.errors import InputError
from planner.i18n import message

from .db import db_problem
from .messages import text

log = logging.getLogger("api.errors")


class ApiError(Exception):
    """An answer other than success, with a message key of the message table."""

    def __init__(
        self,
        status: int,
        error: str,
        key: str,
        *,
        headers: dict[str, str] | None = None,
        problems: list[dict[str, Any]] | None = None,
        document: str | None = None,
        **fields: Any,
    ):
        self.status, self.error, self.headers = status, error, headers
        self.message_zh, self.message_en = text(key, **fields)
        self.problems, self.document = problems, document
        super().__init__(self.message_en)

    def body(self) -> dict[str, Any]:
        out: dict[str, Any] = {"error": self.error, "message_zh": self.message_zh, "message_en": self.message_en}
        if self.document is not None:
            out["document"] = self.document
        if self.problems is not None:
            out["problems"] = self.problems
        return out


def not_found(what: str, ident: str) -> ApiError:
    return ApiError(404, "not_found", "api.not_found", what=what, id=ident)


def invalid(document: str, problems: list[dict[str, Any]]) -> ApiError:
    return ApiError(422, "invalid_input", "api.invalid_input", problems=problems, document=document, n=len(problems))


def from_input_error(exc: InputError, prefix: tuple = ()) -> ApiError:
    """planner's located problems; `prefix` places them inside a request body (e.g. ``("scenario",)``)."""
    head = " › ".join(str(p) for p in prefix)
    problems = [
        {
            "location": f"{head} › {p.location}" if head else p.location,
            "loc": ["body", *prefix],
            "message_zh": p.message_zh,
            "message_en": p.message_en,
        }
        for p in exc.problems
    ]
    return invalid(exc.document, problems)


def problems_from_request(errors: list[dict[str, Any]], body: Any) -> list[dict[str, Any]]:
    """FastAPI's validation errors as located problems, records named by their ids like the loader does."""
    out: list[dict[str, Any]] = []
    seen: set[tuple[str, str]] = set()
    for err in errors:
        loc = tuple(err.get("loc", ()))
        source, rest = (loc[0], loc[1:]) if loc else ("body", ())
        kind = err.get("type", "")
        if kind == "json_invalid":
            zh, en = message("input.json", detail=err.get("ctx", {}).get("error", err.get("msg", "")))
            location = "body" + (f":{rest[0]}" if rest else "")
        else:
            if source == "body":
                location = _locate(rest, body) if rest else "body"
            else:
                location = " › ".join([str(source), *map(str, rest)])
            if kind == "missing":
                zh, en = message("input.missing")
            elif kind == "extra_forbidden":
                zh, en = message("input.extra")
            else:
                detail = str(err.get("msg", "")).removeprefix("Value error, ")
                ctx = err.get("ctx") or {}
                if kind in {"literal_error", "enum"} and "expected" in ctx:
                    detail = f"expected {ctx['expected']}, got {err.get('input')!r}"
                zh, en = message("input.type", detail=detail)
        if (location, en) in seen:  # unions report one failure per member
            continue
        seen.add((location, en))
        out.append(
            {
                "location": location,
                "loc": [str(x) if not isinstance(x, int) else x for x in loc],
                "message_zh": zh,
                "message_en": en,
            }
        )
    return out


def install(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def _api_error(request: Request, exc: ApiError) -> JSONResponse:
        return JSONResponse(exc.body(), status_code=exc.status, headers=exc.headers)

    @app.exception_handler(InputError)
    async def _input_error(request: Request, exc: InputError) -> JSONResponse:
        err = from_input_error(exc)
        return JSONResponse(err.body(), status_code=err.status)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        body = exc.body
        problems = problems_from_request(list(exc.errors()), body)
        route = request.scope.get("route")
        document = (
            (getattr(route, "openapi_extra", None) or {}).get("x-document")
            if all(p["loc"][:1] == ["body"] for p in problems)
            else None
        )
        err = invalid(document or "request", problems)
        return JSONResponse(err.body(), status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        if exc.status_code == 400:  # FastAPI could not read the body at all (e.g. not UTF-8): bad input too
            zh, en = text("api.body_unreadable")
            err = invalid("request", [{"location": "body", "loc": ["body"], "message_zh": zh, "message_en": en}])
        elif exc.status_code == 413:
            err = ApiError(413, "body_too_large", "api.body_too_large", limit=getattr(exc, "limit", "?"))
        elif exc.status_code == 404:
            err = ApiError(404, "not_found", "api.no_route")
        elif exc.status_code == 405:
            err = ApiError(405, "method_not_allowed", "api.method")
        else:
            err = ApiError(
                exc.status_code, "http_error", "api.internal", request_id=getattr(request.state, "request_id", "-")
            )
            err.message_en, err.message_zh = str(exc.detail), str(exc.detail)
        return JSONResponse(err.body(), status_code=err.status, headers=getattr(exc, "headers", None))

    @app.exception_handler(SQLAlchemyError)
    async def _database(request: Request, exc: SQLAlchemyError) -> JSONResponse:
        """A busy database (a lock held by another writer past the busy timeout) or one that cannot be used
        is the service's state, not a bug: 503 with Retry-After. Logged by type only (no statement)."""
        request_id = getattr(request.state, "request_id", "-")
        kind = db_problem(exc)
        if kind is None:
            return await _unexpected(request, exc)
        log.warning("database %s", kind, extra={"request_id": request_id, "error": type(exc).__name__})
        retry = str(request.app.state.settings.database_retry_after_s)
        key = "api.db_busy" if kind == "busy" else "api.db_unavailable"
        err = ApiError(503, f"database_{kind}", key, retry=retry, headers={"Retry-After": retry})
        return JSONResponse(err.body(), status_code=503, headers=err.headers)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        request_id = getattr(request.state, "request_id", "-")
        log.error("unhandled error", exc_info=exc, extra={"request_id": request_id})
        err = ApiError(500, "internal_error", "api.internal", request_id=request_id)
        return JSONResponse(err.body(), status_code=500)
