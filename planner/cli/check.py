"""`planner check`: audit any plan against every rule."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table
from planner.cli.common import EXIT_NEGATIVE, EXIT_OK, app, console, dump_json, guarded


# ------------------------------------------------------------------------------------------------ check


def render_report(report, inst, title: str) -> None:
    from planner.i18n import label_zh

    zh, en = report.verdict()
    style = "green" if report.ok else "red"
    console.print(f"[bold {style}]{zh} / {en}[/]  ({title})")
    if report.no_plan is not None:  # the planner's own infeasible / unknown document: nothing to tabulate
        return
    table = Table(title="规则核查 / rule audit", show_lines=False)
    for col in ("规则 rule", "名称 name", "模式 mode", "权重 weight", "次数 count", "数量 amount", "计分 cost"):
        table.add_column(col)
    for r in report.rules:
        if r.mode == "off" and not r.findings:
            continue
        mark = "red" if (r.findings and r.mode == "hard") else ("yellow" if r.findings else "")
        table.add_row(
            r.rule, r.name_zh, label_zh(r.mode), str(r.weight), str(r.findings), str(r.amount), str(r.cost), style=mark
        )
    console.print(table)
    shown = [v for v in report.violations if v.hard] + [v for v in report.violations if not v.hard][:30]
    for v in shown:
        tag = "[red]刚性 hard[/]" if v.hard else "[yellow]柔性 soft[/]"
        when = f" [第{v.wave}批 wave {v.wave}]" if v.wave and inst.waves > 1 else ""
        console.print(f"  {tag} {v.rule} ×{v.amount}{when}: {v.message_zh} / {v.message_en}", highlight=False)
    if len(report.violations) > len(shown):
        console.print(f"  … {len(report.violations) - len(shown)} more soft findings (--json lists all)")
    console.print(f"目标值 objective: {report.objective}  (soft penalties − bonuses)")


def load_scenario_file(path: Path):
    """A scenario from JSON or from a roster workbook (.xlsx), told apart by content."""
    from planner.domain import load_scenario
    from planner.io.excel.plan_read import file_kind

    if file_kind(path) == "xlsx":
        from planner.io.excel.roster import import_workbook

        return load_scenario(import_workbook(path).scenario)
    return load_scenario(path)


def load_plan_file(path: Path, inst):
    """(plan, notes, changes): a plan JSON, or the plan workbook as an officer edited it (调整名单 by names)."""
    from planner.domain import load_plan
    from planner.io.excel.plan_read import file_kind, read_plan_workbook

    if file_kind(path) == "xlsx":
        read = read_plan_workbook(path, inst)
        return read.plan, read.notes, read.changes
    return load_plan(path, inst), [], None


@app.command()
def check(
    scenario: Annotated[
        Path, typer.Argument(help="scenario: JSON (reshuffle-scenario/1) or the roster workbook (.xlsx)")
    ],
    plan: Annotated[
        Path,
        typer.Argument(
            help="plan: JSON (reshuffle-plan/1), or the plan workbook (.xlsx) as edited "
            "in Excel, or a hand-typed 调整名单 sheet (姓名, 拟任职务)"
        ),
    ],
    as_json: Annotated[bool, typer.Option("--json", help="print the JSON report instead of tables")] = False,
) -> None:
    """Audit a plan against every rule: exit 0 if no hard rule is broken, 1 if one is (or the document records
    no plan: status infeasible or unknown), 2 on invalid input."""
    from planner.audit.check import check_plan

    def body() -> int:
        inst = load_scenario_file(scenario)
        the_plan, notes, changes = load_plan_file(plan, inst)
        report = check_plan(inst, the_plan)
        if as_json:
            doc = report.as_dict()
            if notes or changes is not None:
                doc["workbook"] = {
                    "notes": [{"message_zh": zh, "message_en": en} for zh, en in notes],
                    "changes": None
                    if changes is None
                    else [{"message_zh": zh, "message_en": en} for zh, en in changes],
                }
            sys.stdout.write(dump_json(doc))
        else:
            render_workbook_notes(notes, changes)
            render_report(report, inst, str(plan))
        return EXIT_OK if report.ok else EXIT_NEGATIVE

    raise typer.Exit(guarded(body))


def render_workbook_notes(notes, changes) -> None:
    from planner.i18n import EXCEL_TEXT

    if changes is not None:
        if not changes:
            zh, en = EXCEL_TEXT["note.unchanged"]
            console.print(f"[dim]{zh} / {en}[/]", highlight=False)
        for zh, en in changes:
            console.print(f"[bold]{zh}[/] / {en}", highlight=False)
    for zh, en in notes:
        console.print(f"[yellow]{zh}[/] / {en}", highlight=False)
