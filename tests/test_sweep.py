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

#: three small counties × two variants: the default policy, and every principal young (impossible where the
#: pool lacks young cadres ready for a principal post: the explanation names the blocking rules)
GRID = Grid(
    ["synth:3:1", "synth:4:1", "synth:3:2"],
    [variant("default", time_limit=10), variant("yp100", {"young-principals": {"min_share": 1.0}}, time_limit=10)],
    explain_time=3.0,
)


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
    statuses = {r["status"] for r in alone.values()}
    assert statuses == {"optimal", "infeasible"}  # the grid exercises a plan and an impossible cell
    for r in alone.values():
        if r["status"] == "optimal":
            assert r["checker_ok"] and r["checker_objective"] == r["objective"] and r["hard_violations"] == 0
            assert r["quota.young-principals"] >= (1.0 if r["variant"] == "yp100" else 0.15)
        else:
            assert "young-principals" in r["blocking_rules"].split(";")


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


# ------------------------------------------------------------------------------------------ the frontier


def test_frontier_monotone_and_blocked_past_its_end():
    from planner.io.synth import SynthOptions, generate

    doc, _ = generate(SynthOptions(townships=4, seed=1))
    fr = frontier(doc, "young-principals", "min_share", targets(0.15, 0.65, 0.1), time_limit=10)
    assert all(p.status == "optimal" and p.proven and p.checker_ok for p in fr.points)
    changes = [p.disruption for p in fr.points]
    assert changes[0] == 0  # the default target is the default plan
    assert changes == sorted(changes) and changes[-1] > 0  # a higher target never costs fewer changes
    doc3, _ = generate(SynthOptions(townships=3, seed=1))
    fr3 = frontier(doc3, "young-principals", "min_share", targets(0.35, 0.95, 0.1), time_limit=10, explain_time=2)
    end = fr3.impossible_from
    assert end is not None and end > 0.35
    for p in fr3.points:
        if p.target >= end:  # a stricter share stays impossible, and the explanation names the rule
            assert p.status == "infeasible" and "young-principals" in p.blocking_rules
        else:
            assert p.status == "optimal" and p.checker_ok


def test_frontier_rejects_an_unknown_parameter(tmp_path):
    from planner.io.synth import SynthOptions, generate
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
