"""The database as an operator sees it (issue 18): health checks what it reports, a busy database is a 503 with
Retry-After (soon, not a 500 after 30 s), and reads do not wait on the write lock."""

from __future__ import annotations

import sqlite3
from contextlib import contextmanager

import pytest
from fastapi.testclient import TestClient

from api.db import Database, db_problem
from api.main import create_app

from .conftest import NO_POSTGRES, finished, make_keys, make_settings, wait_for


@pytest.fixture
def setup(tmp_path):
    # a short busy timeout keeps the locked-database tests quick; the behaviour is the same at the default
    settings = make_settings(tmp_path, database_busy_timeout_s=0.3, database_retry_after_s=7)
    return settings, make_keys(settings), tmp_path / "api.db"


@contextmanager
def write_locked(path):
    """Another process's writer holding SQLite's write lock (BEGIN IMMEDIATE) until the block ends."""
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        yield
    finally:
        other.execute("ROLLBACK")
        other.close()


def test_health_reports_a_locked_database_as_busy(setup):
    settings, _, path = setup
    with TestClient(create_app(settings)) as client:
        assert client.get("/v1/health").json()["database"] == "ok"
        with write_locked(path):
            r = client.get("/v1/health")
            assert r.status_code == 503 and r.headers["retry-after"] == "7"
            assert (r.json()["status"], r.json()["database"]) == ("degraded", "busy")
        r = client.get("/v1/health")
        assert r.status_code == 200 and r.json()["status"] == "ok"


def test_health_reads_the_tables_it_reports_on(setup):
    """`SELECT 1` answers on a database whose tables are gone; health must not."""
    settings, _, path = setup
    with TestClient(create_app(settings)) as client:
        con = sqlite3.connect(path)
        con.execute("DROP TABLE audit_log")  # nothing refers to it; the jobs table stays for the pool
        con.execute("ALTER TABLE jobs RENAME TO jobs_lost")
        con.commit()
        con.close()
        r = client.get("/v1/health")
        assert r.status_code == 503 and r.json()["database"] == "unavailable" and r.headers["retry-after"]


def test_a_corrupted_database_is_unavailable_not_ok(tmp_path):
    path = tmp_path / "bad.db"
    path.write_bytes(b"this is not a database" * 500)
    db = Database(f"sqlite:///{path}")
    assert db.check() == "unavailable"
    db.dispose()


def test_reads_do_not_wait_on_the_write_lock(setup, scenario):
    """Authenticated reads while another writer holds the lock: answered (they used to write the key's
    last-used time inside the request and fail with a 500 once the busy timeout ran out)."""
    settings, keys, path = setup
    h = {"X-API-Key": keys["viewer"]}
    with TestClient(create_app(settings)) as client:
        job = client.post("/v1/jobs", params={"time_limit": 1}, json=scenario, headers={"X-API-Key": keys["planner"]})
        wait_for(client, job.json()["id"], h, finished)
        with write_locked(path):
            for path_ in ("/v1/jobs", f"/v1/jobs/{job.json()['id']}", "/v1/scenarios"):
                r = client.get(path_, headers=h)
                assert r.status_code == 200, (path_, r.status_code, r.text[:200])


def test_the_last_used_time_is_written_once_per_interval(setup):
    settings, keys, path = setup
    with TestClient(create_app(settings)) as client:
        h = {"X-API-Key": keys["viewer"]}
        client.get("/v1/jobs", headers=h)
        [first] = sqlite3.connect(path).execute("SELECT last_used_at FROM api_keys WHERE name='test-viewer'").fetchone()
        assert first is not None
        client.get("/v1/jobs", headers=h)  # within the interval (60 s): not written again
        [again] = sqlite3.connect(path).execute("SELECT last_used_at FROM api_keys WHERE name='test-viewer'").fetchone()
        assert again == first


def test_a_write_on_a_busy_database_is_503_with_retry_after(setup, scenario):
    settings, keys, path = setup
    with TestClient(create_app(settings)) as client:
        with write_locked(path):
            r = client.post("/v1/jobs", params={"time_limit": 1}, json=scenario, headers={"X-API-Key": keys["planner"]})
            assert r.status_code == 503, r.text[:300]
            assert r.headers["retry-after"] == "7"
            assert r.json()["error"] == "database_busy" and r.json()["message_zh"] and "busy" in r.json()["message_en"]
            # reads that write no audit row are answered meanwhile
            r = client.get("/v1/audit", headers={"X-API-Key": keys["admin"]})
            assert r.status_code == 200  # the audit log itself is read without writing
        # once the lock is gone the same request goes through
        r = client.post("/v1/jobs", params={"time_limit": 1}, json=scenario, headers={"X-API-Key": keys["planner"]})
        assert r.status_code == 202


def test_an_audited_read_fails_closed_on_a_busy_database(setup, scenario):
    """Reading a stored scenario (personnel records) writes its audit row first: on a busy database the read is
    refused (503), never served unaudited."""
    settings, keys, path = setup
    with TestClient(create_app(settings)) as client:
        r = client.post("/v1/solve", params={"time_limit": 2}, json=scenario, headers={"X-API-Key": keys["planner"]})
        sid = r.headers["X-Scenario-Id"]
        with write_locked(path):
            r = client.get(f"/v1/scenarios/{sid}", headers={"X-API-Key": keys["viewer"]})
            assert r.status_code == 503 and r.json()["error"] == "database_busy" and "cadres" not in r.text


def test_database_errors_are_classified():
    from sqlalchemy import exc

    locked = exc.OperationalError("UPDATE …", {}, sqlite3.OperationalError("database is locked"))
    gone = exc.OperationalError("SELECT …", {}, sqlite3.OperationalError("unable to open database file"))
    broken = exc.DatabaseError("SELECT …", {}, sqlite3.DatabaseError("database disk image is malformed"))
    bug = exc.IntegrityError("INSERT …", {}, sqlite3.IntegrityError("UNIQUE constraint failed"))
    assert [db_problem(e) for e in (locked, gone, broken, bug, ValueError())] == [
        "busy",
        "unavailable",
        "unavailable",
        None,
        None,
    ]


def test_a_locked_postgresql_table_is_503_busy_and_health_says_so(tmp_path, pg_server, scenario):
    """The same on PostgreSQL: another session holding an exclusive lock on the jobs table makes a submission
    wait at most the busy timeout (lock_timeout) and answer 503 with Retry-After; health reports it busy."""
    if pg_server is None:
        pytest.skip(NO_POSTGRES)
    import psycopg

    url = pg_server.new_database()
    settings = make_settings(tmp_path, database_url=url, database_busy_timeout_s=0.3, database_retry_after_s=7)
    keys = make_keys(settings)
    dsn = url.replace("postgresql+psycopg://", "postgresql://")
    with TestClient(create_app(settings)) as client:
        assert client.get("/v1/health").json()["database"] == "ok"
        with psycopg.connect(dsn) as other:
            other.execute("LOCK TABLE jobs IN ACCESS EXCLUSIVE MODE")
            h = {"X-API-Key": keys["planner"]}
            r = client.post("/v1/jobs", params={"time_limit": 1}, json=scenario, headers=h)
            assert r.status_code == 503 and r.json()["error"] == "database_busy" and r.headers["retry-after"] == "7"
            r = client.get("/v1/health")
            assert r.status_code == 503 and r.json()["database"] == "busy"
            other.rollback()
        assert client.post("/v1/jobs", params={"time_limit": 1}, json=scenario, headers=h).status_code == 202
