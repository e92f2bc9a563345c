"""The sample counties: their plans pass the checker, and the solver reproduces their optimal objective."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from planner.audit.check import check_plan
from planner.cli.common import app
from planner.domain import load_plan, load_scenario
from planner.solver.options import SolveOptions
from planner.solver.solve import solve

ROOT = Path(__file__).resolve().parent.parent / "scenarios"
SAMPLES = sorted(p.name.removesuffix(".json") for p in ROOT.glob("*.json") if not p.name.endswith(".plan.json"))


def test_there_are_at_least_three_samples_each_with_a_plan_and_a_readme_line():
    assert len(SAMPLES) >= 3
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in SAMPLES:
        assert (ROOT / f"{name}.plan.json").exists(), name
        assert f"`{name}.json`" in readme, name


@pytest.mark.parametrize("name", SAMPLES)
def test_sample_plan_passes_planner_check(name):
    result = CliRunner().invoke(app, ["check", str(ROOT / f"{name}.json"), str(ROOT / f"{name}.plan.json")])
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("name", SAMPLES)
def test_solver_reproduces_the_sample_optimum(name):
    inst = load_scenario(ROOT / f"{name}.json")
    stored = load_plan(ROOT / f"{name}.plan.json", inst)
    assert stored.status == "optimal"
    result = solve(inst, SolveOptions(time_limit=120))
    assert result.status == "optimal"
    assert result.objective == stored.objective == check_plan(inst, stored).objective
    report = check_plan(inst, result.plan)
    assert report.ok and report.objective == result.objective


def test_samples_are_valid_json_documents():
    for name in SAMPLES:
        doc = json.loads((ROOT / f"{name}.json").read_text(encoding="utf-8"))
        assert doc["format"] == "reshuffle-scenario/1"
