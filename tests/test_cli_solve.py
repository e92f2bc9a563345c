"""`planner solve`: exit 0 with a plan written (which `planner check` accepts), 1 when infeasible (the plan
document is still written, status infeasible), 2 on invalid input without a traceback."""

from __future__ import annotations

import json
import subprocess
import sys

from typer.testing import CliRunner

from planner.cli.common import app
from planner.domain import load_scenario
from tests.solve_strategies import synth_county
from tests.test_solve import _secretary_county

FAST = ["--time-limit", "20", "--workers", "2", "--quiet"]


def _write(path, doc) -> str:
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return str(path)


def _no_traceback(res) -> None:
    assert "Traceback" not in res.output
    assert res.exception is None or isinstance(res.exception, SystemExit), repr(res.exception)


def test_solve_writes_an_optimal_plan_that_check_accepts(tmp_path):
    doc, _ = synth_county(2, 3)
    sp, pp = _write(tmp_path / "county.json", doc), tmp_path / "plan.json"
    res = CliRunner().invoke(app, ["solve", sp, "--out", str(pp), *FAST])
    assert res.exit_code == 0, res.output
    _no_traceback(res)
    plan = json.loads(pp.read_text(encoding="utf-8"))
    assert plan["format"] == "reshuffle-plan/1" and plan["status"] == "optimal"
    assert sorted(a["post"] for a in plan["assignments"]) == sorted(load_scenario(doc).posts)
    assert plan["objective"] == plan["bound"] and plan["violations"] == [v for v in plan["violations"] if not v["hard"]]
    check = CliRunner().invoke(app, ["check", sp, str(pp), "--json"])
    assert check.exit_code == 0, check.output
    report = json.loads(check.stdout)
    assert report["ok"] is True and report["hard_violations"] == 0
    assert report["objective"] == plan["objective"]


def test_solve_infeasible_exits_1_and_still_writes_the_plan_document(tmp_path):
    sp, pp = _write(tmp_path / "county.json", _secretary_county(candidate_cpc=False)), tmp_path / "plan.json"
    res = CliRunner().invoke(app, ["solve", sp, "--out", str(pp), *FAST])
    assert res.exit_code == 1, res.output
    _no_traceback(res)
    plan = json.loads(pp.read_text(encoding="utf-8"))
    assert plan["status"] == "infeasible" and plan["objective"] is None


def test_solve_invalid_scenario_exits_2_with_the_located_problem(tmp_path):
    doc, _ = synth_county(1, 1)
    doc = json.loads(json.dumps(doc))
    doc["posts"][0]["township"] = "T99"  # a dangling reference
    sp, pp = _write(tmp_path / "county.json", doc), tmp_path / "plan.json"
    res = CliRunner().invoke(app, ["solve", sp, "--out", str(pp), *FAST])
    assert res.exit_code == 2
    _no_traceback(res)
    assert "T99" in res.stderr and doc["posts"][0]["id"] in res.stderr
    assert not pp.exists()  # nothing written for bad input
    doc["posts"][0]["township"] = "T01"
    doc["cadres"][0]["birth_date"] = "1986-02-30"  # not a calendar date
    res = CliRunner().invoke(app, ["solve", _write(tmp_path / "county.json", doc), "--out", str(pp), *FAST])
    assert res.exit_code == 2 and "birth_date" in res.stderr and not pp.exists()
    _no_traceback(res)


def test_solve_bad_json_and_missing_file_exit_2(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    for path in (bad, tmp_path / "nope.json"):
        res = CliRunner().invoke(app, ["solve", str(path), *FAST])
        assert res.exit_code == 2, res.output
        _no_traceback(res)


def test_solve_through_the_console_entry_point_exit_codes(tmp_path):
    """The real process: exit codes survive `main()` and a bad policy prints no traceback."""
    ok_path = _write(tmp_path / "ok.json", _secretary_county(candidate_cpc=True))
    bad_doc = _secretary_county(candidate_cpc=True)
    bad_doc["policy"] = {"women": {"mode": "sometimes"}}
    bad_path = _write(tmp_path / "bad.json", bad_doc)
    cmd = [sys.executable, "-c", "from planner.cli import main; main()", "solve"]
    ok = subprocess.run(
        [*cmd, ok_path, "--out", str(tmp_path / "p.json"), *FAST], capture_output=True, text=True, timeout=120
    )
    assert ok.returncode == 0, ok.stderr
    bad = subprocess.run([*cmd, bad_path, *FAST], capture_output=True, text=True, timeout=120)
    assert bad.returncode == 2 and "Traceback" not in bad.stderr and "women" in bad.stderr


def test_the_summary_gives_the_whole_solves_time_not_the_search_alone(tmp_path):
    """A county proven without a search (here by the objective's floor: only penalties, all filled at no cost)
    still took the greedy plan and the model: the summary's seconds are build + search, as the document says."""
    from planner.domain.policy import CATALOGUE

    doc, _ = synth_county(4, 2)
    doc["policy"] = {r: {"mode": "off"} for r, s in CATALOGUE.items() if s.mode == "soft" and r != "post-filled"}
    sp, pp = _write(tmp_path / "county.json", doc), tmp_path / "plan.json"
    res = CliRunner().invoke(app, ["solve", sp, "--out", str(pp), "--time-limit", "20", "--workers", "2"])
    assert res.exit_code == 0, res.output
    plan = json.loads(pp.read_text(encoding="utf-8"))
    assert plan["status"] == "optimal" and plan["solver"]["solver"] == "greedy (floor)"
    total = f"{plan['wall_time_s'] + plan['solver']['build_time_s']:.1f}"
    assert f"用时{total}秒" in res.output and f"{total} s" in res.output
