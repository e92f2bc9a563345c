"""Property-based fuzzing of every route from the OpenAPI schema (schemathesis): whatever the body, query and
path, the service answers without a server error (5xx), in the documented status codes, content types and
response shapes. Bounded: a fixed number of examples per operation, the whole run well under a minute. And the
concurrency case: every operation's example sent several times at once, racing on the same rows."""

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

from .conftest import DATABASES, fresh_database, make_keys, make_settings

#: a run is bounded in examples per operation (and asserted to stay under a minute in total)
EXAMPLES = 30


@pytest.fixture(scope="module", params=DATABASES)
def fuzz_env(request, tmp_path_factory):
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
        database_url=fresh_database(request, request.param, path),
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


# ------------------------------------------------------------------------ the concurrency case

#: identical requests sent at once per operation (an HR system that retries, a double click)
PARALLEL = 6


def _example_body(spec_op: dict):
    content = (spec_op.get("requestBody") or {}).get("content", {}).get("application/json")
    if content is None:
        return None
    examples = content.get("examples") or {}
    return next(iter(examples.values()))["value"] if examples else content.get("example")


def test_identical_requests_in_parallel_have_no_server_errors(fuzz_env, api_schema):
    """Every operation of the schema, its documented example (or a valid request) sent PARALLEL times at once
    with the same ids: no 5xx, and every answer conforms to the schema. Ids in paths are of a job, a scenario
    and a key that exist, so the parallel requests really race on the same rows (a cancel, a resubmit, a
    revocation, the store of one new scenario)."""
    import threading

    from .conftest import finished, wait_for

    app, client, key = fuzz_env
    h = {"X-API-Key": key}
    spec = app.openapi()
    scenario = _example_body(spec["paths"]["/v1/jobs"]["post"])
    scenario = {**scenario, "county": {**scenario["county"], "name": scenario["county"]["name"] + "（并发）"}}
    job = client.post("/v1/jobs", json=scenario, headers=h).json()
    wait_for(client, job["id"], h, finished)
    doomed = client.post("/v1/api-keys", json={"name": "doomed", "role": "viewer"}, headers=h).json()["id"]
    one_cell = {"scenario_ids": [job["scenario_id"]], "variants": [{"name": "default", "time_limit": 1}]}
    sweep = client.post("/v1/sweeps", json=one_cell, headers=h).json()
    wait_for(client, sweep["id"], h, finished)
    ids = {"job_id": job["id"], "scenario_id": job["scenario_id"], "key_id": doomed, "sweep_id": sweep["id"]}
    bodies = {
        ("POST", "/v1/api-keys"): {"name": "twin", "role": "viewer", "counties": ["A"]},
        ("POST", "/v1/sweeps"): one_cell,
    }
    seen_5xx = []
    for path, ops in spec["paths"].items():
        for method, spec_op in ops.items():
            op = api_schema[path][method.upper()]
            body = bodies.get((method.upper(), path), _example_body(spec_op))
            params = {p["name"]: ids[p["name"]] for p in spec_op.get("parameters", []) if p["in"] == "path"}
            case = op.Case(path_parameters=params, **({"body": body} if body is not None else {}))
            kwargs = case.as_transport_kwargs(base_url="http://testserver", headers=dict(h))
            kwargs["headers"].pop("Authorization", None)
            kwargs.pop("cookies", None)
            gate, out = threading.Barrier(PARALLEL), [None] * PARALLEL

            def run(i, kwargs=kwargs, gate=gate, out=out):
                gate.wait()
                out[i] = client.request(**kwargs)

            threads = [threading.Thread(target=run, args=(i,)) for i in range(PARALLEL)]
            for t in threads:
                t.start()
            for t in threads:
                t.join(300)
            for r in out:
                if r is None or r.status_code >= 500:
                    seen_5xx.append((method.upper(), path, r and r.status_code, r and r.text[:200]))
                    continue
                case.validate_response(
                    r,
                    checks=[
                        not_a_server_error,
                        status_code_conformance,
                        content_type_conformance,
                        response_schema_conformance,
                    ],
                )
    assert seen_5xx == []
    # the racing submissions stored one scenario, the racing resubmissions one new job
    resubmitted = client.get(f"/v1/jobs/{job['id']}", headers=h).json()["resubmitted_as"]
    assert resubmitted is not None
    jobs = client.get("/v1/jobs", params={"limit": 500}, headers=h).json()["jobs"]
    assert sum(1 for j in jobs if j["resubmitted_from"] == job["id"]) == 1
