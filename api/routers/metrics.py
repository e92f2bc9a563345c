"""``GET /metrics``: the Prometheus text format, for a global admin key (a scrape job's key)."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from ..deps import AdminDep
from ..errors import ApiError
from ..schemas import error_responses

router = APIRouter(tags=["metrics"])


@router.get(
    "/metrics",
    summary="Prometheus metrics (global admin)",
    description="Requests and latencies by route, jobs by state, solve and queue-wait times, running solves "
    "and queue depth, in the Prometheus text format. Labels carry route templates, never ids. Role: admin "
    "without a county scope (the numbers span every county).",
    response_class=Response,
    responses={
        200: {"content": {"text/plain": {"schema": {"type": "string"}}}, "description": "the metrics"},
        **error_responses(401, 403),
    },
)
def metrics(request: Request, caller: AdminDep) -> Response:
    if caller.principal.counties is not None:
        caller.audit("denied", outcome="GET 403")
        raise ApiError(403, "forbidden", "api.forbidden", role=f"admin({caller.principal.scope})", need="admin(*)")
    return Response(generate_latest(request.app.state.metrics.registry), media_type=CONTENT_TYPE_LATEST)
