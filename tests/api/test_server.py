"""The real thing: `planner serve` as a process on 127.0.0.1 (a free port) with a temporary SQLite file.

A finished plan survives a restart; a job running when the server is killed (SIGKILL: no chance to clean up)
comes back `interrupted` at the next start and can be resubmitted; a graceful stop (SIGTERM) stops the
solver at once and marks its job `interrupted` itself. Keys are created with the CLI, as an operator would.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from planner.audit.check import check_plan
from planner.domain import load_plan, load_scenario

CLI = [sys.executable, "-c", "from planner.cli import main; main()"]
#: the in-process `held_solver` fixture, for a server process: every solve with a limit of 60 s or more holds
#: at each plan it finds until it is cancelled (at most 30 s), so a test acts on a job that is surely running
#: and has a plan; a cancel still goes through the real path (SolveControl.cancel → CP-SAT stop_search)
HOLD = """
import importlib
_solve = importlib.import_module("planner.solver.solve")
_report = _solve._Progress.report
def _held(self, objective, bound=None):
    _report(self, objective, bound)
    if self.control is not None and self.options.time_limit >= 60:
        self.control._cancelled.wait(30)
_solve._Progress.report = _held
"""
#: the processes import this tree's code (run from its root), whatever an installed copy points to
ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, env: dict[str, str], log: Path, prelude: str = ""):
        self.env, self.log, self.proc, self.url = env, log, None, ""
        self.cli = [sys.executable, "-c", prelude + "\nfrom planner.cli import main; main()"] if prelude else CLI

    def start(self) -> "Server":
        port = free_port()
        self.url = f"http://127.0.0.1:{port}"
        out = open(self.log, "ab")
        self.proc = subprocess.Popen(
            [*self.cli, "serve", "--host", "127.0.0.1", "--port", str(port)],
            env=self.env,
            cwd=ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            assert self.proc.poll() is None, self.log.read_text()[-3000:]
            try:
                if httpx.get(f"{self.url}/v1/health", timeout=1).status_code == 200:
                    return self
            except httpx.TransportError:
                pass
            time.sleep(0.1)
        raise AssertionError(f"server did not start:\n{self.log.read_text()[-3000:]}")

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 30) -> float:
        t0 = time.monotonic()
        self.proc.send_signal(sig)
        self.proc.wait(timeout=timeout)
        return time.monotonic() - t0

    @property
    def stopped_cleanly(self) -> bool:
        """uvicorn re-raises the SIGTERM it handled once the app has shut down, so -SIGTERM is clean too."""
        last = self.log.read_text().splitlines()[-3:]
        return self.proc.returncode in (0, -signal.SIGTERM) and any('"service stopped"' in line for line in last)


@pytest.fixture
def env(tmp_path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PLANNER_")}
    env.update(
        PLANNER_DATABASE_URL=f"sqlite:///{tmp_path / 'service.db'}",
        PLANNER_SOLVER_WORKERS="2",
        PLANNER_KEY_PEPPER="pepper-for-tests",
        PLANNER_GRACEFUL_SHUTDOWN_S="5",
    )
    return env


def create_key(env, role: str, name: str) -> str:
    r = subprocess.run(
        [*CLI, "api-key", "create", "--role", role, "--name", name],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
    )
    assert r.returncode == 0, r.stderr
    key = r.stdout.strip()
    assert key.startswith("rpk_") and "\n" not in key
    return key


def wait_job(url: str, job_id: str, headers: dict, until, timeout: float = 40) -> dict:
    deadline = time.monotonic() + timeout
    while True:
        job = httpx.get(f"{url}/v1/jobs/{job_id}", headers=headers, timeout=10).json()
        if until(job):
            return job
        assert time.monotonic() < deadline, job
        time.sleep(0.1)


def test_cli_keys_and_a_plan_that_survives_a_restart(env, tmp_path, scenario):
    h = {"X-API-Key": create_key(env, "planner", "hr-system")}
    server = Server(env, tmp_path / "server.log").start()
    try:
        r = httpx.post(f"{server.url}/v1/jobs", params={"time_limit": 3}, json=scenario, headers=h, timeout=30)
        assert r.status_code == 202, r.text
        job_id = r.json()["id"]
        done = wait_job(server.url, job_id, h, lambda j: j["state"] == "done")
        before = httpx.get(f"{server.url}/v1/jobs/{job_id}/plan", headers=h, timeout=10).json()
    finally:
        server.stop(timeout=60)  # a loose guard: the job had finished, nothing holds the stop
    assert server.stopped_cleanly
    server.start()
    try:
        after = httpx.get(f"{server.url}/v1/jobs/{job_id}/plan", headers=h, timeout=10)
        assert after.status_code == 200 and after.json() == before
        job = httpx.get(f"{server.url}/v1/jobs/{job_id}", headers=h, timeout=10).json()
        assert job["state"] == "done" and job["objective"] == done["objective"] == before["objective"]
        # the CLI's key list sees the key and its use; revoking it shuts it out of the running server
        listed = subprocess.run(
            [*CLI, "api-key", "list", "--json"], env=env, capture_output=True, text=True, timeout=60, cwd=ROOT
        )
        [row] = json.loads(listed.stdout)
        assert (row["name"], row["role"], row["revoked"]) == ("hr-system", "planner", False)
        assert row["last_used_at"] is not None
        assert (
            subprocess.run(
                [*CLI, "api-key", "revoke", row["id"]], env=env, capture_output=True, timeout=60, cwd=ROOT
            ).returncode
            == 0
        )
        assert httpx.get(f"{server.url}/v1/jobs/{job_id}", headers=h, timeout=10).status_code == 401
    finally:
        server.stop()
    log_lines = [
        json.loads(line) for line in (tmp_path / "server.log").read_text().splitlines() if line.startswith("{")
    ]
    assert any(rec.get("path") == f"/v1/jobs/{job_id}/plan" and rec.get("key_name") == "hr-system" for rec in log_lines)
    names = {c["name"] for c in scenario["cadres"]}
    assert not any(name in (tmp_path / "server.log").read_text() for name in names)


def test_a_job_running_when_the_server_dies_comes_back_interrupted(env, tmp_path, slow_scenario):
    """SIGKILL: the next start marks the job interrupted. SIGTERM: the stopping server cancels the running solve
    itself — the job comes back interrupted with the best plan it had, stopped by the cancel, not by its limit."""
    h = {"X-API-Key": create_key(env, "planner", "hr-system")}
    server = Server(env, tmp_path / "server.log", prelude=HOLD).start()
    try:
        job_id = httpx.post(
            f"{server.url}/v1/jobs", params={"time_limit": 60}, json=slow_scenario, headers=h, timeout=30
        ).json()["id"]
        wait_job(server.url, job_id, h, lambda j: j["state"] == "running")
    finally:
        server.stop(signal.SIGKILL)
    server.start()
    try:
        job = httpx.get(f"{server.url}/v1/jobs/{job_id}", headers=h, timeout=10).json()
        assert job["state"] == "interrupted" and job["finished_at"] is not None
        assert job["error"]["message_zh"] and "resubmit" in job["error"]["message_en"]
        assert httpx.get(f"{server.url}/v1/jobs/{job_id}/plan", headers=h, timeout=10).status_code == 409
        r = httpx.post(f"{server.url}/v1/jobs/{job_id}/resubmit", headers=h, timeout=30)
        assert r.status_code == 202
        again = r.json()["id"]
        # the solver has a plan and is held there (it would go on to its 60 s limit): now stop the server
        found = wait_job(server.url, again, h, lambda j: j["progress"]["solutions"] or j["state"] != "running", 60)
        assert found["state"] == "running" and found["progress"]["objective"] is not None
        server.stop(signal.SIGTERM, timeout=60)  # a loose guard only; what matters is checked below
        assert server.stopped_cleanly
    finally:
        if server.proc.poll() is None:
            server.stop(signal.SIGKILL)
    server.start()
    try:
        job = httpx.get(f"{server.url}/v1/jobs/{again}", headers=h, timeout=10).json()
        assert job["state"] == "interrupted" and job["resubmitted_from"] == job_id
        assert job["has_plan"] and job["objective"] is not None
        r = httpx.get(f"{server.url}/v1/jobs/{again}/plan", headers=h, timeout=10)
        assert r.status_code == 200
        plan = r.json()
        # the shutdown stopped the solve: CP-SAT saw the cancel, well before its 60 s limit
        assert plan["solver"]["cancelled"] is True and plan["wall_time_s"] < 60
        assert plan["status"] in ("feasible", "optimal") and plan["objective"] == job["objective"]
        # the kept plan is a real plan: the independent checker finds no hard rule broken
        inst = load_scenario(slow_scenario)
        assert check_plan(inst, load_plan(plan, inst)).ok
        assert httpx.get(f"{server.url}/v1/health", timeout=10).json()["running"] == 0
    finally:
        server.stop()
    log = (tmp_path / "server.log").read_text()
    assert "jobs interrupted by the last stop" in log and "stop signal: cancelling running solves" in log
