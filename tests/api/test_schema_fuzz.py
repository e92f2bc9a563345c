"""Property-based fuzzing of every route from the OpenAPI schema (schemathesis): whatever the body, query and
path, the service answers without a server error (5xx), in the documented status codes, content types and
response shapes. Bounded: a fixed number of examples per operation, the whole run well under a minute."""

from __future__ import annotations


import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, Phase, settings

from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from api.main import create_app

from .conftest import make_keys, make_settings

#: a run is bounded in examples per operation (and asserted to stay under a minute in total)
EXAMPLES = 30


@pytest.fixture(scope="module")
def fuzz_env(tmp_path_factory):
    path = tmp_path_factory.mktemp("fuzz")
    # generated scenarios that happen to be valid get solved: keep those solves tiny; room for many jobs
    cfg = make_settings(
        path,
        max_sync_time_limit_s=1,
        max_time_limit_s=1,
        default_sync_time_limit_s=1,
        default_time_limit_s=1,
        default_recommend_time_limit_s=0.5,
        max_recommend_time_limit_s=1,
        max_solver_workers=1,
        solver_workers=1,
        max_queued_solves=10_000,
        max_body_bytes=1_000_000,
    )
    keys = make_keys(cfg)
    app = create_app(cfg)
    with TestClient(app, raise_server_exceptions=False) as client:
        yield app, client, keys["admin"]


@pytest.fixture(scope="module")
def api_schema(fuzz_env):
    schema = schemathesis.openapi.from_dict(fuzz_env[0].openapi())
    # the coverage phase sends every boundary combination of every field (hundreds of requests per scenario
    # route, a minute in all): the explicit examples plus generated positive and negative cases stay bounded
    schema.config.phases.update(phases=["examples", "fuzzing"])
    return schema


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_no_server_errors(case, fuzz_env):
    _, client, key = fuzz_env
    kwargs = case.as_transport_kwargs(base_url="http://testserver", headers={"X-API-Key": key})
    kwargs["headers"].pop("Authorization", None)
    kwargs.pop("cookies", None)
    if isinstance(kwargs.get("data"), (bytes, str)):  # requests' raw body is httpx's `content`
        kwargs["content"] = kwargs.pop("data")
    response = client.request(**kwargs)
    case.validate_response(
        response,
        checks=[not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance],
    )
