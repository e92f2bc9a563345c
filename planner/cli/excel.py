"""`planner import`, `planner export-template`, `planner export`: Excel in and out (see :mod:`planner.excel`)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from planner.cli.common import EXIT_OK, app, console, dump_json, guarded, write_atomic
from planner.i18n import EXCEL_TEXT


def _say(key: str, **fields: object) -> None:
    zh, en = EXCEL_TEXT[key]
    console.print(f"{zh.format(**fields)} / {en.format(**fields)}", highlight=False)


@app.command("import")
def import_roster(
    roster: Annotated[
        Path, typer.Argument(help="roster workbook (.xlsx): sheets 乡镇, 职数, 干部名册 (+ 设置, 规则设置, 锁定排除)")
    ],
    out: Annotated[Path, typer.Option("--out", help="where to write the scenario JSON")],
    as_of: Annotated[
        Optional[str], typer.Option("--as-of", help="基准日, e.g. 2026-12-01 (overrides the 设置 sheet)")
    ] = None,
    county_id: Annotated[Optional[str], typer.Option("--county-id", help="县编号 (overrides the 设置 sheet)")] = None,
    county_name: Annotated[Optional[str], typer.Option("--county-name", help="县名 (overrides the 设置 sheet)")] = None,
) -> None:
    """Read a county's roster workbook into a scenario JSON. Every bad cell is listed (sheet, row, column, why)
    and nothing is written unless the whole workbook is clean (exit 2 otherwise)."""
    from planner.io.excel.roster import import_workbook

    def body() -> int:
        result = import_workbook(roster, as_of=as_of, county_id=county_id, county_name=county_name)
        sc = result.scenario
        write_atomic(out, dump_json(sc))
        _say("cli.imported", path=out, townships=len(sc["townships"]), posts=len(sc["posts"]), cadres=len(sc["cadres"]))
        if result.example_rows:
            _say("cli.examples", rows="、".join(result.example_rows))
        if result.ignored_columns:
            _say("cli.ignored", columns="、".join(result.ignored_columns))
        if result.warnings:
            _say("cli.warnings", n=len(result.warnings))
            for w in result.warnings:
                console.print(f"  {w.location}: {w.message_zh} / {w.message_en}", highlight=False, markup=False)
        return EXIT_OK

    raise typer.Exit(guarded(body))


@app.command("export-template")
def export_template(
    out: Annotated[Path, typer.Option("--out", help="where to write the template workbook (.xlsx)")],
    scenario: Annotated[
        Optional[Path], typer.Option("--scenario", help="fill the template with this scenario's data instead")
    ] = None,
) -> None:
    """Write the roster workbook layout: sheets, headers, drop-down lists and one （示例） row per sheet
    (skipped by import). With --scenario, the county's data in the same layout, ready to edit and re-import."""
    from planner.io.excel.template import roster_workbook
    from planner.io.excel.style import workbook_bytes

    def body() -> int:
        if scenario is None:
            write_atomic(out, workbook_bytes(roster_workbook()))
            _say("cli.template", path=out)
            return EXIT_OK
        from planner.domain import load_scenario

        inst = load_scenario(scenario)
        doc = inst.doc.model_dump(mode="json", by_alias=True)
        write_atomic(out, workbook_bytes(roster_workbook(doc)))
        _say("cli.roster", path=out, cadres=len(doc["cadres"]))
        return EXIT_OK

    raise typer.Exit(guarded(body))


@app.command("export")
def export_plan(
    scenario: Annotated[Path, typer.Argument(help="scenario JSON (reshuffle-scenario/1)")],
    plan: Annotated[Path, typer.Argument(help="plan JSON (reshuffle-plan/1)")],
    out: Annotated[Path, typer.Option("--out", help="where to write the plan workbook (.xlsx)")],
    lang: Annotated[
        str,
        typer.Option(
            "--lang",
            help="zh (default: Chinese only, for the meeting) | en | both (Chinese with rule ids and English columns)",
        ),
    ] = "zh",
) -> None:
    """Write the plan as officers present it: 调整名单, 全县汇总 (quotas vs thresholds), 一乡一表, 问题清单,
    调整链条 and one sheet per township, laid out for printing (A4 landscape, print titles)."""
    from planner.io.excel.workbook import export_plan
    from planner.io.excel.style import workbook_bytes

    if lang not in ("zh", "en", "both"):
        raise typer.BadParameter("--lang: zh, en or both / 只能是 zh、en 或 both")

    def body() -> int:
        from planner.cli.check import load_plan_file, load_scenario_file

        inst = load_scenario_file(scenario)
        result = export_plan(inst, load_plan_file(plan, inst)[0], lang=lang)
        write_atomic(out, workbook_bytes(result.workbook))
        _say("cli.exported", path=out, moves=len(result.plan.moves), violations=len(result.report.violations))
        return EXIT_OK

    raise typer.Exit(guarded(body))
