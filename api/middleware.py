"""ASGI middleware: request ids, security headers, one access-log line per request, the request-body limit."""

from __future__ import annotations

import json
import logging
import time
import uuid
from typing import Any


from fastapi import HTTPException
from starlette.routing import Mount
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .messages import text

log = logging.getLogger("api.access")


class BodyTooLarge(HTTPException):
    """Raised from `receive` while a body streams in; FastAPI passes HTTPExceptions through to the handlers."""

    def __init__(self, limit: int):
        super().__init__(status_code=413)
        self.limit = limit


#: static assets (the docs' scripts, the workspace's stylesheet) may be cached; nothing else may
CACHEABLE = ("/static-offline-docs/", "/ui/static/")


def security_headers(path: str, headers: list[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    """The headers every answer carries unless the route set its own: not to be sniffed into another type, not
    to be framed (clickjacking), no referrer, and — since answers hold personnel records — not to be stored by
    a browser or a proxy (``Cache-Control: no-store``), static assets excepted. JSON answers also get a CSP that
    allows nothing (an answer rendered as a page runs no script)."""
    have = {name.lower() for name, _ in headers}
    json_answer = any(n.lower() == b"content-type" and v.startswith(b"application/json") for n, v in headers)
    extra = [
        (b"x-content-type-options", b"nosniff"),
        (b"x-frame-options", b"DENY"),
        (b"referrer-policy", b"no-referrer"),
        (
            b"content-security-policy",
            b"default-src 'none'; frame-ancestors 'none'" if json_answer else b"frame-ancestors 'none'",
        ),
    ]
    if not path.startswith(CACHEABLE):
        extra.append((b"cache-control", b"no-store"))
    return list(headers) + [(n, v) for n, v in extra if n not in have]


def route_template(scope: Scope) -> str:
    """The matched route as a template (``/v1/jobs/{job_id}``): the path with its parameters' values put back as
    their names (an included router's route knows only its own part of the path); ``unmatched`` for no route."""
    route = scope.get("route")
    if route is None:
        return "unmatched"
    if isinstance(route, Mount):
        return route.path + "/{path}"
    names = {str(value): name for name, value in (scope.get("path_params") or {}).items()}
    return "/".join("{" + names[s] + "}" if s in names else s for s in str(scope.get("path", "")).split("/"))


class RequestContext:
    """Give each request an id (echoed as X-Request-ID), the security headers, and log one JSON line when it
    ends."""

    def __init__(self, app: ASGIApp, metrics: Any = None):
        self.app, self.metrics = app, metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = uuid.uuid4().hex[:16]
        scope.setdefault("state", {})["request_id"] = request_id
        started = time.perf_counter()
        status = {"code": 500}

        async def send_wrapper(message: Message) -> None:
            if message["type"] == "http.response.start":
                status["code"] = message["status"]
                message.setdefault("headers", [])
                headers = security_headers(scope.get("path", ""), list(message["headers"]))
                message["headers"] = headers + [(b"x-request-id", request_id.encode())]
            await send(message)

        try:
            await self.app(scope, receive, send_wrapper)
        finally:
            state = scope.get("state", {})
            if self.metrics is not None:  # by the route's template: /v1/jobs/{job_id}, never an id
                route = route_template(scope)
                self.metrics.request(scope.get("method", "-"), route, status["code"], time.perf_counter() - started)
            log.info(
                "request",
                extra={
                    "request_id": request_id,
                    "method": scope.get("method"),
                    "path": scope.get("path"),
                    "status": status["code"],
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                    "key_name": state.get("key_name"),
                },
            )


class BodyLimit:
    """Refuse request bodies over `limit` bytes with 413, by Content-Length or while streaming."""

    def __init__(self, app: ASGIApp, limit: int):
        self.app, self.limit = app, limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        for name, value in scope.get("headers", []):
            if name == b"content-length":
                try:
                    too_large = int(value) > self.limit
                except ValueError:
                    too_large = False
                if too_large:
                    await self._refuse(send)
                    return
        seen = 0

        async def limited_receive() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    raise BodyTooLarge(self.limit)
            return message

        await self.app(scope, limited_receive, send)

    async def _refuse(self, send: Send) -> None:
        await refuse_too_large(send, self.limit)


async def refuse_too_large(send: Send, limit: int) -> None:
    zh, en = text("api.body_too_large", limit=limit)
    body = json.dumps({"error": "body_too_large", "message_zh": zh, "message_en": en}, ensure_ascii=False).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
