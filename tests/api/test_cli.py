"""`planner api-key …` in process: the key is printed once (stdout, nothing else), stored hashed, and bad
arguments exit 2 with a message instead of a traceback."""

from __future__ import annotations

import sqlite3

from typer.testing import CliRunner

from api.security import split_key
from planner.cli.common import app


def test_api_key_commands(tmp_path, monkeypatch):
    db = tmp_path / "keys.db"
    monkeypatch.setenv("PLANNER_DATABASE_URL", f"sqlite:///{db}")
    monkeypatch.setenv("PLANNER_KEY_PEPPER", "p")
    runner = CliRunner()
    r = runner.invoke(app, ["api-key", "create", "--role", "planner", "--name", "hr-system"])
    assert r.exit_code == 0, r.output
    key = r.stdout.strip()
    key_id, secret = split_key(key)
    [(name, role, hashed)] = sqlite3.connect(db).execute("SELECT name, role, hash FROM api_keys").fetchall()
    assert (name, role) == ("hr-system", "planner") and secret not in hashed
    r = runner.invoke(app, ["api-key", "list"])
    assert r.exit_code == 0 and key_id in r.stdout and secret not in r.stdout
    assert runner.invoke(app, ["api-key", "revoke", key_id]).exit_code == 0
    assert "REVOKED" in runner.invoke(app, ["api-key", "list"]).stdout
    audit = sqlite3.connect(db).execute("SELECT action, key_name, outcome FROM audit_log ORDER BY id").fetchall()
    assert audit == [("key.create", "cli", key_id), ("key.revoke", "cli", key_id)]


def test_api_key_bad_arguments_exit_2(tmp_path, monkeypatch):
    monkeypatch.setenv("PLANNER_DATABASE_URL", f"sqlite:///{tmp_path / 'keys.db'}")
    runner = CliRunner()
    r = runner.invoke(app, ["api-key", "create", "--role", "root", "--name", "x"])
    assert r.exit_code == 2 and "viewer, planner, admin" in r.output
    r = runner.invoke(app, ["api-key", "create", "--role", "viewer", "--name", "   "])
    assert r.exit_code == 2 and "name" in r.output
    r = runner.invoke(app, ["api-key", "revoke", "0123456789abcdef"])
    assert r.exit_code == 2 and "no key" in r.output
