"""Policy sweeps and the policy frontier (planner.analysis.sweep, planner.analysis.frontier, planner sweep).

Every plan a sweep reports is audited by the checker inside the cell (checker_ok, checker_objective); the
tests compare each cell with the same cell solved alone, in this process.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from pathlib import Path

import pytest
import ray
from typer.testing import CliRunner

from planner.analysis.frontier import frontier, targets
from planner.analysis.sweep import Grid, plan_cells, read_table, run_cell, run_sweep, scenario_name, variant
from planner.cli import app
from planner.domain.load import load_scenario
from planner.io.synth import SynthOptions, generate

#: three small counties × two variants: the default policy (a synthetic county has a plan by construction: its
#: witness), and every principal aged ≤ 35 (impossible by the rules, whatever the sample's calibration: see
#: _stuck_township; the explanation names the blocking rules)
GRID = Grid(
    ["synth:3:1", "synth:4:1", "synth:3:2"],
    [variant("default", time_limit=10), variant("yp100", {"young-principals": {"min_share": 1.0}}, time_limit=10)],
    explain_time=3.0,
)


def _stuck_township(doc: dict) -> str | None:
    """A township where one wave cannot make both principals young: principal-change lets at most one of its
    principal posts change in a wave (filling a vacancy is a change, and principal-filled fills it), so with two
    posts not held today by a cadre ≤ 35 one of them keeps a holder over 35 — every principal young is
    impossible. None when no township is stuck (then a 100% target is not impossible by the rules alone)."""
    inst = load_scenario(doc)
    on = inst.wave_dates[-1]  # ages only grow: older than 35 today is older at the wave
    for t in inst.townships:
        if sum(inst.holder[p] is None or inst.age(inst.holder[p], on) > 35 for p in inst.principal_posts(t)) >= 2:
            return t
    return None


@pytest.fixture(scope="module")
def alone() -> dict[tuple[str, str], dict]:
    """Each cell solved alone, in this process."""
    docs, cells = plan_cells(GRID)
    return {
        (scenario_name(c.scenario, docs[c.scenario]), c.variant.name): run_cell(
            docs[c.scenario], c.scenario, c.variant, c.key, workers=8, explain_time=3.0
        )
        for c in cells
    }


def _same_as_alone(rows: list[dict], alone: dict) -> None:
    latest = {(r["scenario"], r["variant"]): r for r in rows}
    assert set(latest) == set(alone)
    for k, want in alone.items():
        got = latest[k]
        assert got["status"] == want["status"], k
        assert str(got["objective"]) == str("" if want.get("objective") is None else want["objective"]), k
        if want["status"] == "optimal":
            assert str(got["checker_ok"]) == "True" and str(got["checker_objective"]) == str(want["objective"]), k
        assert not got.get("error"), got.get("error")


def test_alone_cells_cover_both_verdicts(alone):
    docs, _ = plan_cells(GRID)
    for ref, doc in docs.items():  # the premise of the impossible variant, checked rather than assumed
        assert _stuck_township(doc), f"{ref}: no township where principal-change forbids two young principals"
    verdicts = {(r["variant"], r["status"]) for r in alone.values()}
    assert verdicts == {("default", "optimal"), ("yp100", "infeasible")}  # a plan and an impossible cell
    for (ref, _), r in alone.items():
        if r["status"] == "optimal":
            assert r["checker_ok"] and r["checker_objective"] == r["objective"] and r["hard_violations"] == 0
            floor = load_scenario(docs[ref]).policy["young-principals"].params.min_share
            assert r["quota.young-principals"] >= floor
        else:
            assert {"young-principals", "principal-change"} <= set(r["blocking_rules"].split(";"))


def test_local_pool_equals_alone_and_resumes(tmp_path, alone):
    out = tmp_path / "sweep.csv"
    s = run_sweep(GRID, out, engine="local", processes=2)
    assert (s.engine, s.total, s.done, s.failed, s.skipped, s.interrupted) == ("local", 6, 6, 0, 0, False)
    _same_as_alone(read_table(out), alone)
    # rerun: every cell is skipped, nothing is appended
    again = run_sweep(GRID, out, engine="local", processes=2)
    assert (again.skipped, again.done) == (6, 0) and len(read_table(out)) == 6
    # a table that lost its last row (a sweep interrupted before it) resolves exactly that cell
    lines = out.read_text(encoding="utf-8").splitlines(keepends=True)
    lost = read_table(out)[-1]
    out.write_text("".join(lines[:-1]), encoding="utf-8")
    resumed = run_sweep(GRID, out, engine="local", processes=1)
    assert (resumed.skipped, resumed.done) == (5, 1)
    assert [(r["scenario"], r["variant"]) for r in resumed.rows] == [(lost["scenario"], lost["variant"])]
    _same_as_alone(read_table(out), alone)


def test_cli_sweep_grid_file(tmp_path):
    grid = tmp_path / "grid.yaml"
    grid.write_text("scenarios: ['synth:3:1']\nvariants:\n  - {name: default, time_limit: 10}\n", encoding="utf-8")
    res = CliRunner().invoke(
        app, ["sweep", str(grid), "--out", str(tmp_path / "t.csv"), "--engine", "local", "--processes", "1"]
    )
    assert res.exit_code == 0, res.output
    assert "local process pool" in res.output
    [row] = read_table(tmp_path / "t.csv")
    assert row["status"] == "optimal" and row["checker_ok"] == "True"
    bad = tmp_path / "bad.json"
    bad.write_text('{"scenarios": ["nowhere.json", "synth:x:1"], "variants": [{"name": "a", "time_limit": -1}]}')
    res = CliRunner().invoke(app, ["sweep", str(bad), "--out", str(tmp_path / "u.csv"), "--engine", "local"])
    assert res.exit_code == 2 and not (tmp_path / "u.csv").exists()
    for where in ("variants[0] › time_limit", "scenarios[0]", "scenarios[1]"):
        assert where in res.output


def _pool_workers(pid: int) -> list[int]:
    """The local pool's worker processes of `pid` (spawned children; not multiprocessing's resource tracker,
    which leaves by itself once its parent is gone)."""
    out = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
                cmd = Path(f"/proc/{entry}/cmdline").read_bytes()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid and b"spawn_main" in cmd:
                out.append(int(entry))
    return out


def _alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def test_ctrl_c_stops_cleanly_keeps_rows_and_resumes(tmp_path):
    """SIGINT to a `planner sweep` running a local pool: exit 130 without a traceback, its worker processes
    gone, every finished row whole in the table; the rerun skips exactly those rows and solves the rest."""
    import json
    import subprocess
    import sys

    from planner.analysis.sweep import finished_keys, read_grid

    grid_file = tmp_path / "grid.json"
    grid_file.write_text(
        json.dumps(  # 8 cells, one at a time; the impossible ones take their explanation's budget
            {
                "scenarios": ["synth:3:1", "synth:4:1", "synth:3:2", "synth:4:2"],
                "variants": [
                    {"name": "default", "time_limit": 10},
                    {"name": "yp100", "policy": {"young-principals": {"min_share": 1.0}}, "time_limit": 10},
                ],
                "explain_time": 3,
            }
        ),
        encoding="utf-8",
    )
    out = tmp_path / "sweep.csv"
    cmd = [sys.executable, "-c", "from planner.cli import main; main()", "sweep", str(grid_file), "--out", str(out)]
    proc = subprocess.Popen(
        [*cmd, "--engine", "local", "--processes", "1", "--no-plot"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "COLUMNS": "200"},
    )
    try:
        while proc.poll() is None and not finished_keys(out):  # the first cell's row is in
            time.sleep(0.1)
        workers = _pool_workers(proc.pid)
        proc.send_signal(signal.SIGINT)
        stdout, stderr = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 130, (stdout, stderr)
    assert "Traceback" not in stderr and "interrupted" in stdout, (stdout, stderr)
    assert workers and not [p for p in workers if _alive(p)]  # the pool's processes did not outlive the sweep
    kept = read_table(out)
    assert 1 <= len(kept) < 8  # stopped mid-sweep, with what was finished
    assert all(r["status"] in ("optimal", "infeasible") and not r["error"] and r["wall_s"] for r in kept)
    assert out.read_text(encoding="utf-8").endswith("\n")  # whole lines only
    resumed = run_sweep(read_grid(grid_file), out, engine="local", processes=2)
    assert (resumed.skipped, resumed.done, resumed.failed) == (len(kept), 8 - len(kept), 0)
    assert {r["key"] for r in resumed.rows}.isdisjoint(r["key"] for r in kept)
    assert len(finished_keys(out)) == 8 == len(read_table(out))


# ------------------------------------------------------------------------------------------ the frontier


def test_frontier_monotone_and_blocked_past_its_end():
    """From the default share (0.15) to every principal young (1.0, impossible by the rules: _stuck_township):
    what the test relies on is structural, not the sample counties' calibration."""
    costly = 0
    for n in (4, 3):
        doc, _ = generate(SynthOptions(townships=n, seed=1))
        assert _stuck_township(doc), f"synth:{n}:1: 100% young principals is not impossible by the rules alone"
        fr = frontier(doc, "young-principals", "min_share", [0.15, 0.4, 0.6, 0.8, 1.0], time_limit=10, explain_time=2)
        end = fr.impossible_from
        assert end is not None and end > 0.15  # the default policy has a plan; the full share has none
        assert fr.base_reached is not None and 0.15 <= fr.base_reached < 1
        feasible = [p for p in fr.points if p.target < end]
        assert all(p.status == "optimal" and p.proven and p.checker_ok for p in feasible)
        changes = [p.disruption for p in feasible]
        assert changes == sorted(changes)  # a higher target never costs fewer changes
        for p in feasible:  # the default plan itself meets every target up to the share it reaches, and no other
            assert (p.disruption == 0) == (p.target <= fr.base_reached), (n, p)
        costly += sum(p.target > fr.base_reached for p in feasible)
        for p in fr.points[len(feasible) :]:  # a stricter share stays impossible, and the explanation says why
            assert p.status == "infeasible" and {"young-principals", "principal-change"} <= set(p.blocking_rules)
    assert costly  # some reachable target costs changes: the frontier is not flat


def test_targets_never_pass_the_end():
    assert targets(0.4, 1.0, 0.2) == [0.4, 0.6, 0.8, 1.0]
    assert targets(0.15, 1.0, 0.1)[-1] == 0.95  # not 1.05: a share past 1 is no target


def test_frontier_rejects_an_unknown_parameter(tmp_path):
    import json

    doc, _ = generate(SynthOptions(townships=3, seed=1))
    path = tmp_path / "c.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    res = CliRunner().invoke(
        app,
        ["frontier", str(path), "--rule", "young-principals", "--param", "min_sharez", "--from", "0.15", "--to", "0.2"],
    )
    assert res.exit_code == 2 and "--param" in res.output and "min_share" in res.output


# ------------------------------------------------------------------------------------------ Ray


@pytest.fixture(scope="module")
def local_ray():
    ray.init(num_cpus=2, include_dashboard=False, logging_level="ERROR", log_to_driver=False)
    yield
    ray.shutdown()


def _cell_workers() -> list[int]:
    """PIDs of Ray workers running a sweep cell right now (Ray titles a busy worker ray::<task name>)."""
    pids = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                cmd = Path(f"/proc/{entry}/cmdline").read_bytes()
            except OSError:
                continue
            if cmd.startswith(b"ray::_ray_cell"):
                pids.append(int(entry))
    return pids


def test_ray_sweep_equals_alone_with_a_worker_killed(tmp_path, alone, local_ray):
    out = tmp_path / "ray.csv"
    result: dict = {}
    runner = threading.Thread(target=lambda: result.update(s=run_sweep(GRID, out, engine="ray")))
    runner.start()
    killed = None
    while runner.is_alive() and killed is None:
        pids = _cell_workers()
        if pids:
            killed = pids[0]
            os.kill(killed, signal.SIGKILL)
        time.sleep(0.01)
    runner.join(timeout=300)
    assert killed is not None, "no running cell was seen to kill"
    s = result["s"]
    assert (s.engine, s.done, s.failed, s.interrupted) == ("ray", 6, 0, False)  # the killed cell was retried
    _same_as_alone(read_table(out), alone)
    assert {r["workers"] for r in s.rows} == {4}  # 1 CPU per task × 4 CP-SAT workers per CPU


def test_the_tables_name_verdicts_and_blocking_rules_in_chinese():
    from planner.cli.sweep import _blocking, _status

    assert _status("infeasible") == "无方案 no plan" and _status("optimal") == "最优 optimal"
    assert _blocking("principal-change;young-principals").splitlines() == ["党政正职不同时调整", "35岁以下党政正职占比"]
    assert _blocking(["under-30"]) == "30岁以下年轻干部" and _blocking("") == ""
