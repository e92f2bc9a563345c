"""Fixtures of the HTTP service tests: an app on a temporary database, keys of every role, scenarios.

The `settings` fixture (and so `client`) runs each test twice: on a temporary SQLite file and on a database of
its own on a real PostgreSQL server started for the session (tests/api/postgres.py). Only where PostgreSQL's
binaries are absent are the PostgreSQL runs skipped, saying so.

Solver time limits stay small (1–5 s) and scenarios small (2 townships), except `slow_scenario`, a
20-township county whose model takes seconds to build and solve, used where a job must still be running
when the test acts on it (cancel, shutdown, a full queue).
"""

from __future__ import annotations

import copy
import time
from typing import Any, Callable, Iterator

import pytest
from fastapi.testclient import TestClient

from api.db import Database
from api.main import create_app
from api.security import create_key, revoke_key
from api.settings import Settings
from planner.io.synth import SynthOptions, generate

from .postgres import PgServer, binaries

ROLES = ("viewer", "planner", "admin")


def make_settings(tmp_path, **overrides: Any) -> Settings:
    values: dict[str, Any] = dict(
        database_url=f"sqlite:///{tmp_path / 'api.db'}",
        solver_workers=2,
        max_solver_workers=4,
        default_sync_time_limit_s=3,
        max_sync_time_limit_s=5,
        default_time_limit_s=5,
        max_time_limit_s=60,
        max_concurrent_solves=2,
        max_queued_solves=4,
        cancel_wait_s=20,
        key_pepper="test-pepper",
    )
    values.update(overrides)
    return Settings(**values)


def make_keys(settings: Settings) -> dict[str, str]:
    """One key per role, plus a revoked planner key; returns role -> full key."""
    db = Database(settings.database_url)
    db.create_schema()
    keys: dict[str, str] = {}
    with db.session() as s, s.begin():
        for role in ROLES:
            _, keys[role] = create_key(s, name=f"test-{role}", role=role, pepper=settings.key_pepper.get_secret_value())
        row, keys["revoked"] = create_key(
            s, name="test-revoked", role="admin", pepper=settings.key_pepper.get_secret_value()
        )
        revoke_key(s, row.id)
    db.dispose()
    return keys


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer | None]:
    """A PostgreSQL server for the session, or None where the binaries are not installed."""
    bin_dir = binaries()
    if bin_dir is None:
        yield None
        return
    server = PgServer(bin_dir).start()
    try:
        yield server
    finally:
        server.stop()


DATABASES = ["sqlite", "postgresql"]
NO_POSTGRES = "PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb; scripts/debian-packages.txt)"


def fresh_database(request, kind: str, directory) -> str:
    """A fresh, empty database of `kind`: a SQLite file in `directory`, or a new database on the session's
    PostgreSQL server (the test is skipped, saying why, where PostgreSQL is not installed)."""
    if kind == "sqlite":
        return f"sqlite:///{directory / 'api.db'}"
    server = request.getfixturevalue("pg_server")
    if server is None:
        pytest.skip(NO_POSTGRES)
    return server.new_database()


@pytest.fixture(params=DATABASES)
def database_url(request, tmp_path) -> str:
    return fresh_database(request, request.param, tmp_path)


@pytest.fixture
def settings(tmp_path, database_url) -> Settings:
    return make_settings(tmp_path, database_url=database_url)


@pytest.fixture
def keys(settings) -> dict[str, str]:
    return make_keys(settings)


@pytest.fixture
def client(settings, keys) -> Iterator[TestClient]:
    with TestClient(create_app(settings)) as c:
        yield c


@pytest.fixture
def auth(keys) -> Callable[[str], dict[str, str]]:
    return lambda role: {"X-API-Key": keys[role]}


@pytest.fixture(scope="session")
def _small() -> tuple[dict, dict]:
    return generate(SynthOptions(townships=2, seed=1))


@pytest.fixture
def scenario(_small) -> dict:
    """A 2-township county (18 posts, 31 cadres) that admits a valid plan."""
    return copy.deepcopy(_small[0])


@pytest.fixture
def witness(_small) -> dict:
    """A valid plan of `scenario` (no hard rule broken), as drawn by the generator."""
    return copy.deepcopy(_small[1])


@pytest.fixture(scope="session")
def slow_scenario() -> dict:
    """A 20-township county (195 posts, 419 cadres): about a second to build its model, as long to solve.

    Too quick on its own for a test that must act on a running job: pair it with `held_solver` (in-process)
    or use `long_scenario` (a server in another process)."""
    return generate(SynthOptions(townships=20, seed=1, pool_ratio=1.0))[0]


@pytest.fixture(scope="session")
def long_scenario() -> dict:
    """A 40-township county (~390 posts, ~1,240 cadres): several seconds from submission to a proven plan."""
    return generate(SynthOptions(townships=40, seed=1, pool_ratio=2.0))[0]


@pytest.fixture
def held_solver(monkeypatch: pytest.MonkeyPatch) -> None:
    """Hold every cancellable solve with a time limit of 60 s or more (the tests' long jobs; their quick jobs,
    limited to a few seconds, run free) at each plan it finds until it is cancelled (at most 30 s).

    The tests that act on a running job (cancel, a full pool, shutdown) then never race a solver that proves
    its plan first; the hold sits in the solver's own solution callback, so a cancel still goes through the
    real path (SolveControl.cancel → CP-SAT stop_search) and the plan kept is the real best plan."""
    import importlib

    solve_module = importlib.import_module("planner.solver.solve")

    report = solve_module._Progress.report

    def held(self, objective: int, bound: int | None = None) -> None:
        report(self, objective, bound)
        if self.control is not None and self.options.time_limit >= 60:
            self.control._cancelled.wait(30)

    monkeypatch.setattr(solve_module._Progress, "report", held)


def wait_for(
    client: TestClient, job_id: str, headers: dict, until: Callable[[dict], bool], timeout: float = 30.0
) -> dict:
    """Poll GET /v1/jobs/{id} until `until(job)` holds; fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        job = client.get(f"/v1/jobs/{job_id}", headers=headers).json()
        if until(job):
            return job
        assert time.monotonic() < deadline, f"job never reached the expected state: {job}"
        time.sleep(0.05)


def finished(job: dict) -> bool:
    return job["state"] in ("done", "cancelled", "failed", "interrupted")
