"""The terminal: explanations as text, tables that wrap between words at 80 columns, bilingual --help, a
start-up that imports only what a command needs, and --time-limit bounding the whole command."""

from __future__ import annotations

import re

import json
import os
import subprocess
import sys
import time

from rich.cells import cell_len
from typer.testing import CliRunner

from planner.analysis.explain import explain, remaining
from planner.cli.common import app
from planner.domain import load_scenario
from planner.solver.options import SolveOptions
from tests.solve_strategies import synth_county
from tests.test_explain import both_leaving_scenario
from tests.test_solve import _secretary_county


def _write(path, doc) -> str:
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return str(path)


def _planner(*args: str, columns: int = 80) -> subprocess.CompletedProcess:
    env = {**os.environ, "COLUMNS": str(columns), "TERM": "dumb"}
    return subprocess.run(
        [sys.executable, "-c", "from planner.cli import main; main()", *args],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
    )


# ----------------------------------------------------------------------------------------- the explanation


def test_solve_on_an_infeasible_county_prints_the_explanation_as_explain_does(tmp_path):
    sp = _write(tmp_path / "s.json", both_leaving_scenario())
    run = _planner("solve", sp, "--time-limit", "20", "--workers", "2")
    assert run.returncode == 1, run.stderr
    assert "同时离任" in run.stdout and "单项放宽建议" in run.stdout
    assert "{'method'" not in run.stdout and "'rules':" not in run.stdout  # not a raw dict
    assert all(cell_len(line) <= 80 for line in run.stdout.splitlines())


# ----------------------------------------------------------------------------------------- 80 columns


def test_moves_at_80_columns_are_grouped_by_township_counted_by_kind_and_never_cut_inside_a_title(tmp_path):
    doc, _ = synth_county(4, 7)
    doc = json.loads(json.dumps(doc))
    doc["townships"][0]["kind"] = "subdistrict"
    sp, pp = _write(tmp_path / "c.json", doc), tmp_path / "p.json"
    run = _planner("solve", sp, "--out", str(pp), "--time-limit", "20", "--workers", "2")
    assert run.returncode == 0, run.stderr
    inst = load_scenario(doc)
    plan = json.loads(pp.read_text(encoding="utf-8"))
    assert plan["moves"]
    lines = run.stdout.splitlines()
    assert all(cell_len(line) <= 80 for line in lines), [line for line in lines if cell_len(line) > 80]
    kinds = {m["kind"] for m in plan["moves"]}
    title = next(line for line in lines if line.startswith("调整名单"))
    assert f"{len(plan['moves'])}人" in title
    from planner.i18n import label_zh

    for k in kinds:
        n = sum(1 for m in plan["moves"] if m["kind"] == k)
        assert f"{label_zh(k)}{n}" in title
    towns = {inst.posts[m["to"] or m["from"]].township for m in plan["moves"]}
    for t in towns:  # a group heading per township with moves
        n = sum(1 for m in plan["moves"] if inst.posts[m["to"] or m["from"]].township == t)
        assert any(f"{inst.townships[t].name}（{n}人）" in line for line in lines)
    for m in plan["moves"]:  # every destination's title whole on one line, by its township's kind
        if m["to"]:
            assert any(inst.role_title(m["to"]) in line for line in lines), inst.role_title(m["to"])
    assert "乡镇长" not in "".join(line for line in lines if "│" in line)
    # progress on stderr from the start: reading, then solving, each with the elapsed time
    assert "读取" in run.stderr.splitlines()[0] and "s  " in run.stderr.splitlines()[0]
    assert any("求解" in line for line in run.stderr.splitlines())


# ----------------------------------------------------------------------------------------- --help


def test_help_is_in_chinese_and_english():
    runner = CliRunner()
    for cmd, zh, en in (
        ([], "调整方案", "reshuffle planner"),
        (["solve", "--help"], "时限", "time limit"),
        (["report", "--help"], "一乡一表", "meeting document"),
        (["explain", "--help"], "放宽", "relaxation"),
    ):
        res = runner.invoke(app, cmd or ["--help"], env={"COLUMNS": "100"})
        assert res.exit_code == 0, res.output
        # rich wraps help text inside its boxes: read it as one line of words
        text = re.sub(r"[\s│]+", " ", res.output)
        assert zh in text.replace(" ", "") and en in text, (cmd, res.output)


# ----------------------------------------------------------------------------------------- start-up


def test_start_up_imports_no_solver_service_spreadsheet_or_models():
    heavy = ["ortools", "fastapi", "sqlalchemy", "openpyxl", "pydantic", "uvicorn", "starlette", "docx", "numpy"]
    code = (
        "import sys; sys.argv = ['planner', '--help']\n"
        "from planner.cli import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        f"print('LOADED', sorted({{m.split('.')[0] for m in sys.modules}} & set({heavy!r})))"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert "LOADED []" in run.stdout, run.stdout[-300:]
    assert "serve" in run.stdout and "api-key" in run.stdout  # the service's commands are still registered


def test_the_service_cli_names_the_roles_the_service_has():
    import api.cli
    import api.security

    assert api.cli.ROLES == api.security.ROLES


# ----------------------------------------------------------------------------------------- --time-limit


class Clock:
    """A clock a test moves by hand."""

    def __init__(self, now: float = 1000.0):
        self.now = now

    def __call__(self) -> float:
        return self.now


def test_remaining_is_the_deadline_minus_now_and_never_negative():
    clock = Clock(1000.0)
    assert remaining(None, clock) is None
    assert remaining(1025.0, clock) == 25.0
    clock.now = 1030.0
    assert remaining(1025.0, clock) == 0.0


def test_explain_past_the_deadline_runs_no_search_and_says_what_was_cut_short():
    inst = load_scenario(both_leaving_scenario())  # needs the conflict search (no Hall group)
    clock = Clock()
    t0 = time.perf_counter()
    ex = explain(inst, time_limit=30.0, workers=2, deadline=clock.now - 1.0, clock=clock)
    assert ex["method"] == "unknown" and ex["rules"] == [] and ex["relaxations"] == []
    assert ex["cut_short"] == ["explanation", "relaxations"]
    assert "时限" in ex["message_zh"]
    assert ex["wall_time_s"] <= time.perf_counter() - t0 + 0.01  # it did return (no solver was started)


def test_explain_with_time_left_explains_and_cuts_nothing():
    inst = load_scenario(both_leaving_scenario())
    clock = Clock()
    ex = explain(inst, time_limit=20.0, workers=2, deadline=clock.now + 20.0, clock=clock)
    assert ex["method"] == "core" and ex["cut_short"] == []
    assert any(r["rule"] == "principal-change" for r in ex["rules"])
    assert ex["relaxations"]


def test_structural_diagnosis_still_runs_with_no_time_left_but_the_advice_is_cut_short():
    inst = load_scenario(_secretary_county(candidate_cpc=False))  # a Hall group: no solver needed
    clock = Clock()
    ex = explain(inst, workers=2, deadline=clock.now, clock=clock)
    assert ex["method"] == "matching" and ex["rules"]
    assert ex["relaxations"] == [] and ex["cut_short"] == ["relaxations"]


def test_solve_with_a_tiny_limit_returns_and_marks_the_explanation_cut_short(tmp_path):
    sp, pp = _write(tmp_path / "s.json", both_leaving_scenario()), tmp_path / "p.json"
    res = CliRunner().invoke(app, ["solve", sp, "--out", str(pp), "--time-limit", "0.1", "--workers", "2"])
    assert res.exit_code == 1, res.output
    plan = json.loads(pp.read_text(encoding="utf-8"))
    assert plan["status"] == "infeasible"
    assert "explanation" in plan["cut_short"]
    assert plan["explanation"]["cut_short"] == plan["cut_short"]
    assert "未做完" in res.output


def test_the_solve_pool_gives_the_explanation_what_is_left_of_the_job(tmp_path):
    from api.pool import Active, SolvePool

    pool = SolvePool(None, max_concurrent=1, max_queued=0, retry_after_s=1)
    try:
        inst = load_scenario(both_leaving_scenario())
        a = Active(
            job_id="j",
            work=None,
            options=SolveOptions(time_limit=30, workers=2),
            explain_inst=inst,
            deadline=time.monotonic() - 1.0,
        )  # the solve used the whole limit
        ex = pool._explain(a)
        assert ex["method"] == "unknown" and ex["cut_short"] == ["explanation", "relaxations"]
        a.deadline = time.monotonic() + 20.0
        ex = pool._explain(a)
        assert ex["method"] == "core" and ex["cut_short"] == []
    finally:
        pool.shutdown(5.0)
