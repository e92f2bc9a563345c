"""The benchmark runner end to end on a tiny county: its table has the promised columns and every plan passed
the independent checker."""

from __future__ import annotations

import csv
import importlib.util
import json

import pytest

from benchmarks import run

_HIGHSPY = importlib.util.find_spec("highspy") is not None  # looked up, never imported beside ortools


@pytest.mark.timeout(300)
def test_runner_tiny_county(tmp_path, capsys):
    stem = tmp_path / "tiny"
    assert run.main(["--sizes", "3", "--seeds", "1", "--time-limit", "5", "--out", str(stem)]) == 0
    printed = capsys.readouterr().out
    for head in ("build s", "1st plan s", "optimal s", "peak MB", "checker", "time/HiGHS", "obj/planner"):
        assert head in printed
    with open(stem.with_suffix(".csv")) as fh:
        rows = list(csv.DictReader(fh))
    assert set(run.COLUMNS) <= set(rows[0])
    expected = {"planner", "cpsat", "highs", "scip", "greedy"} | ({"highspy"} if _HIGHSPY else set())
    assert {r["solver"] for r in rows} == expected
    # every solver found a plan and the checker passed it (the greedy's verdict is reported, not required)
    for r in rows:
        assert r["check_ok"] in ("True", "False"), r
        if r["solver"] != "greedy":
            assert r["check_ok"] == "True", r
            assert r["status"] == "optimal", r
    # the exact solvers agree on the optimum, and the checker reproduces it
    exact = {int(r["objective"]) for r in rows if r["solver"] != "greedy"}
    assert len(exact) == 1
    assert all(int(r["check_objective"]) == int(r["objective"]) for r in rows)
    data = json.loads(stem.with_suffix(".json").read_text())
    assert data["meta"]["command"].startswith("python -m benchmarks.run")
    assert len(data["runs"]) == len(expected) and data["summary"]


def test_reproduce_runs_the_documented_suite(monkeypatch, tmp_path):
    """`python -m benchmarks.reproduce` = S and M (3 seeds, every solver, 30 s), L (1 seed, 300 s), the plot."""
    from benchmarks import plot, reproduce

    calls: list[tuple[str, list[str]]] = []
    monkeypatch.setattr(run, "main", lambda argv: calls.append(("run", argv)) or 0)
    monkeypatch.setattr(plot, "main", lambda argv: calls.append(("plot", argv)) or 0)
    assert reproduce.main(["--out", str(tmp_path)]) == 0
    d = str(tmp_path)
    assert calls == [
        ("run", ["--sizes", "S,M", "--seeds", "3", "--time-limit", "30", "--out", f"{d}/sm"]),
        (
            "run",
            [
                "--sizes",
                "L",
                "--seeds",
                "1",
                "--time-limit",
                "300",
                "--solvers",
                "planner,highs,greedy",
                "--out",
                f"{d}/l",
            ],
        ),
        ("plot", [f"{d}/sm.csv", f"{d}/l.csv", "--out", f"{d}/scaling.png"]),
    ]


@pytest.mark.timeout(300)
def test_runner_times_a_scenario_file_against_a_baseline_checkout(tmp_path):
    """`--scenario FILE` times a county of one's own; `--baseline DIR` runs that checkout's planner beside this
    one's (here: this same checkout, so both must agree); every plan audited."""
    from pathlib import Path

    from planner.io.synth import SynthOptions, generate

    scenario, _ = generate(SynthOptions(townships=2, seed=4, pool_ratio=2.0))
    path = tmp_path / "my-county.json"
    path.write_text(json.dumps(scenario, ensure_ascii=False))
    solvers = "planner,greedy" + (",highspy,direct" if _HIGHSPY else "")
    stem = tmp_path / "own"
    root = Path(run.__file__).resolve().parent.parent
    assert (
        run.main(
            [
                "--scenario",
                str(path),
                "--solvers",
                solvers,
                "--baseline",
                str(root),
                "--time-limit",
                "20",
                "--out",
                str(stem),
            ]
        )
        == 0
    )
    runs = json.loads(stem.with_suffix(".json").read_text())["runs"]
    by = {r["solver"]: r for r in runs}
    assert set(by) == set(solvers.split(",")) | {"baseline"}
    assert all(r["size"] == "my-county" and r["posts"] == len(scenario["posts"]) and r["waves"] == 1 for r in runs)
    assert by["planner"]["status"] == by["baseline"]["status"] == "optimal"
    assert by["planner"]["objective"] == by["baseline"]["objective"] == by["planner"]["check_objective"]
    assert by["planner"]["check_ok"] is True and by["baseline"]["check_ok"] is True
    assert by["planner"]["num_workers"] == 8
    assert by["planner"]["vs_baseline_time"] is not None
    if _HIGHSPY:  # the MIP through highspy (its own process) proves the same optimum; the checker agrees
        assert by["highspy"]["status"] == "optimal" and by["highspy"]["check_ok"] is True
        assert by["highspy"]["objective"] == by["planner"]["objective"] == by["highspy"]["check_objective"]
        # the hand-written direct MIP (its own process, no ortools) too, audited by this process's checker
        assert by["direct"]["status"] == "optimal" and by["direct"]["check_ok"] is True
        assert by["direct"]["objective"] == by["planner"]["objective"] == by["direct"]["check_objective"]
