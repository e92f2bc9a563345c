"""The database layer: additive schema upgrades at start, a clear refusal otherwise, UTC timestamps."""

from __future__ import annotations

import datetime as dt
import sqlite3

import pytest

from api.db import Database, JobRow, ScenarioRow, utcnow


def test_a_missing_nullable_column_is_added_at_start(tmp_path):
    url = f"sqlite:///{tmp_path / 'old.db'}"
    Database(url).create_schema()
    con = sqlite3.connect(tmp_path / "old.db")
    con.execute("ALTER TABLE jobs DROP COLUMN params")  # as a database made before the column existed
    con.commit()
    assert "params" not in {r[1] for r in con.execute("PRAGMA table_info(jobs)")}
    db = Database(url)
    db.create_schema()
    assert "params" in {r[1] for r in con.execute("PRAGMA table_info(jobs)")}
    with db.session() as s, s.begin():
        s.add(
            ScenarioRow(
                id="s", sha256="0" * 64, county="c", as_of="2026-12-01", townships=0, posts=0, cadres=0, document="{}"
            )
        )
        s.flush()
        s.add(JobRow(id="j", scenario_id="s", state="done", time_limit_s=1, workers=1, params={"a": 1}))
    with db.session() as s:
        job = s.get(JobRow, "j")
        assert job.params == {"a": 1}
        assert job.created_at.tzinfo == dt.timezone.utc  # SQLite forgets zones; the model gives UTC back


def test_a_missing_required_column_stops_the_start_with_a_clear_message(tmp_path):
    url = f"sqlite:///{tmp_path / 'old.db'}"
    Database(url).create_schema()
    con = sqlite3.connect(tmp_path / "old.db")
    con.execute("ALTER TABLE jobs DROP COLUMN seed")
    con.commit()
    with pytest.raises(RuntimeError, match=r"older schema \(missing jobs\.seed\)"):
        Database(url).create_schema()


def test_naive_timestamps_are_refused():
    from api.db import UtcDateTime

    with pytest.raises(ValueError):
        UtcDateTime().process_bind_param(dt.datetime(2026, 1, 1), None)
    assert UtcDateTime().process_bind_param(utcnow(), None).tzinfo is not None
