"""Checks at the API boundary that the library's document models do not make (yet), each a located problem.

- **Bodies**: JSON nested deeper than :data:`MAX_DEPTH` levels, and numbers that are not finite (``NaN``,
  ``1e400``), are refused before any model sees them (the middleware :class:`JsonGuard`).
- **Ids** (every field typed ``Id`` in :mod:`planner.domain.documents`: records' ids and the references to
  them): printable characters only — no zero-width, direction, BOM, NUL or other control characters, which
  make ``C0001`` and ``C0001\u200b`` two people who look the same — and no leading or trailing spaces.
- **Policy numbers**: at most :data:`MAX_DECIMALS` decimal places (``1e-320`` or ``0.3333333333333333`` as a
  share become coefficients no solver can hold); a fraction string such as ``"1/3"`` says the same exactly.

These belong in the library's document and policy models; until they move there they are applied here to
every document a request brings (scenario, plan, delta).
"""

from __future__ import annotations

import json
import math
import typing
import unicodedata
from collections.abc import Sequence
from fractions import Fraction
from typing import Any
from urllib.parse import parse_qsl

from annotated_types import MaxLen, MinLen
from pydantic import BaseModel
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .messages import text
from .middleware import BodyTooLarge, refuse_too_large

#: the deepest a request body may nest (the exchange documents need about 6 levels)
MAX_DEPTH = 32
#: decimal places a policy number may have
MAX_DECIMALS = 6


def problem(location: str, key: str, **fields: Any) -> dict[str, Any]:
    zh, en = text(key, **fields)
    return {"location": location, "loc": location.split(" › "), "message_zh": zh, "message_en": en}


def visible(value: str) -> str:
    """`value` with its invisible characters written as escapes, so a message shows what is there."""
    return "".join(c if c.isprintable() else f"\\u{ord(c):04x}" for c in value)


# ------------------------------------------------------------------------------------------- bodies


def body_problems(data: Any) -> list[dict[str, Any]]:
    """Nesting deeper than MAX_DEPTH and non-finite numbers, located (iteratively: no recursion limit)."""
    problems: list[dict[str, Any]] = []
    stack: list[tuple[Any, tuple, int]] = [(data, (), 1)]
    while stack and len(problems) < 20:
        node, path, depth = stack.pop()
        if isinstance(node, (dict, list)):
            if depth > MAX_DEPTH:
                problems.append(problem(_where(path), "api.too_deep", limit=MAX_DEPTH))
                continue
            items = node.items() if isinstance(node, dict) else enumerate(node)
            stack.extend((v, (*path, k), depth + 1) for k, v in reversed(list(items)))
        elif isinstance(node, float) and not math.isfinite(node):
            problems.append(problem(_where(path), "api.not_finite"))
    return problems


def _where(path: tuple) -> str:
    out: list[str] = []
    for item in path:
        if isinstance(item, int) and out:
            out[-1] += f"[{item}]"
        else:
            out.append(f"[{item}]" if isinstance(item, int) else visible(str(item)))
    return " › ".join(out) if out else "body"


class JsonGuard:
    """Refuse JSON bodies nested too deep or holding non-finite numbers with a located 422; other bodies pass
    untouched (the routes' own validation reports what is wrong with them)."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        controls = control_problems(scope)
        if controls:  # PostgreSQL cannot even store a NUL: refused here, located, on every route
            await _refuse(send, controls)
            return
        if scope.get("method") not in ("POST", "PUT", "PATCH"):
            await self.app(scope, receive, send)
            return
        chunks: list[bytes] = []
        more = True
        while more:
            try:
                message = await receive()
            except BodyTooLarge as exc:
                await refuse_too_large(send, exc.limit)
                return
            if message["type"] != "http.request":  # the client went away
                await self.app(scope, _replay([message]), send)
                return
            chunks.append(message.get("body", b""))
            more = message.get("more_body", False)
        body = b"".join(chunks)
        problems: list[dict[str, Any]] = []
        if body:
            try:
                data = json.loads(body)
            except (ValueError, RecursionError):
                data = None  # not JSON, or nested past the parser: the route's own validation says so
            if data is not None:
                problems = body_problems(data)
        if problems:
            await _refuse(send, problems)
            return
        await self.app(scope, _replay([{"type": "http.request", "body": body, "more_body": False}], receive), send)


def _has_control(value: str) -> bool:
    return any(unicodedata.category(c) == "Cc" for c in value)


def control_problems(scope: Scope) -> list[dict[str, Any]]:
    """Control characters (NUL and the like) in the path or a query parameter, located (``path``, ``query ›
    action``): no id or filter has them, and PostgreSQL refuses a NUL in any text it is sent."""
    problems = []
    if _has_control(str(scope.get("path", ""))):
        problems.append(_problem("path", ["path"]))
    query = scope.get("query_string", b"").decode("latin-1")
    for name, value in parse_qsl(query, keep_blank_values=True, encoding="utf-8", errors="replace"):
        if _has_control(name) or _has_control(value):
            problems.append(_problem(f"query › {name.encode('unicode_escape').decode()}", ["query", name]))
    return problems


def _problem(location: str, loc: list[str]) -> dict[str, Any]:
    zh, en = text("api.control_chars")
    return {"location": location, "loc": loc, "message_zh": zh, "message_en": en}


async def _refuse(send: Send, problems: list[dict[str, Any]]) -> None:
    zh, en = text("api.invalid_input", n=len(problems))
    out = json.dumps(
        {"error": "invalid_input", "message_zh": zh, "message_en": en, "document": "request", "problems": problems},
        ensure_ascii=False,
    ).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 422,
            "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(out)).encode())],
        }
    )
    await send({"type": "http.response.body", "body": out})


def _replay(messages: list[Message], then: Receive | None = None) -> Receive:
    async def receive() -> Message:
        if messages:
            return messages.pop(0)
        if then is not None:
            return await then()
        return {"type": "http.disconnect"}

    return receive


# ---------------------------------------------------------------------------------------------- ids


def _is_id(tp: Any, metadata: Sequence[Any] = ()) -> bool:
    """Is this the documents' ``Id`` type (a str of 1 to 64 characters)?"""
    lengths = {(type(m), getattr(m, "min_length", getattr(m, "max_length", None))) for m in metadata}
    return tp is str and (MinLen, 1) in lengths and (MaxLen, 64) in lengths


def _id_shape(annotation: Any, metadata: list[Any]) -> str | None:
    """'one' for an Id (or an optional one), 'many' for a list of Ids, None otherwise."""
    if _is_id(annotation, metadata):
        return "one"
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin is typing.Annotated:
        inner = [m for a in args[1:] for m in (getattr(a, "metadata", None) or [a])]
        return "one" if _is_id(args[0], inner) else None
    if origin is list and args:
        return "many" if _id_shape(args[0], []) == "one" else None
    if args and type(None) in args:  # Optional[...]
        for a in args:
            if a is not type(None) and _id_shape(a, []) == "one":
                return "one"
    return None


def id_problems(model: BaseModel, where: tuple[str, ...] = ()) -> list[dict[str, Any]]:
    """Every Id-typed field of `model` and the models inside it that is not printable or not trimmed."""
    problems: list[dict[str, Any]] = []

    def check(value: Any, path: list[str]) -> None:
        if not isinstance(value, str):
            return
        bad = sorted({f"U+{ord(c):04X}" for c in value if not c.isprintable()})
        location = " › ".join(path)
        if bad:
            problems.append(problem(location, "api.id_invisible", id=visible(value), chars=", ".join(bad)))
        elif value != value.strip():
            problems.append(problem(location, "api.id_spaces", id=value))

    def walk(node: BaseModel, path: list[str]) -> None:
        for name, field in type(node).model_fields.items():
            value = getattr(node, name, None)
            label = field.alias or name
            shape = _id_shape(field.annotation, field.metadata)
            if shape == "one":
                check(value, [*path, label])
            elif shape == "many" and isinstance(value, list):
                for i, v in enumerate(value):
                    check(v, [*path, f"{label}[{i}]"])
            elif isinstance(value, BaseModel):
                walk(value, [*path, label])
            elif isinstance(value, list):
                for i, v in enumerate(value):
                    if isinstance(v, BaseModel):
                        rid = getattr(v, "id", None)
                        walk(v, [*path, f"{label}[{i}]" + (f" {visible(rid)}" if isinstance(rid, str) else "")])

    walk(model, list(where))
    return problems


# ------------------------------------------------------------------------------------------- policy


def policy_problems(policy: dict[str, Any], where: tuple[str, ...] = ()) -> list[dict[str, Any]]:
    """Numbers of a policy with more than MAX_DECIMALS decimal places (floats, and fraction strings whose
    denominator is beyond 10^MAX_DECIMALS), located at the parameter."""
    problems: list[dict[str, Any]] = []
    limit = 10**MAX_DECIMALS
    stack: list[tuple[Any, list[str]]] = [(policy, [*where, "policy"])]
    while stack:
        node, path = stack.pop()
        if isinstance(node, dict):
            stack.extend((v, [*path, visible(str(k))]) for k, v in node.items())
        elif isinstance(node, list):
            stack.extend((v, [*path[:-1], f"{path[-1]}[{i}]"]) for i, v in enumerate(node))
        elif isinstance(node, float) and math.isfinite(node) or isinstance(node, str) and "/" in node:
            try:
                frac = Fraction(repr(node)) if isinstance(node, float) else Fraction(node.strip())
            except (ValueError, ZeroDivisionError):
                continue  # not a number: the policy's own validation names it
            if frac.denominator > limit:
                problems.append(problem(" › ".join(path), "api.precision", value=repr(node), places=MAX_DECIMALS))
    return problems
