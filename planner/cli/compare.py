"""`planner compare PLAN_A PLAN_B --scenario S`: the difference post by post, the structure tables, the objective by rule."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from planner.cli.common import EXIT_OK, app, console, dump_json, guarded
from planner.i18n import message


def _col(key: str) -> str:
    zh, en = message(key)
    return f"{zh} {en}"


def render_comparison(inst, cmp: dict) -> None:
    console.print(f"[bold]{cmp['summary_zh']}[/]\n{cmp['summary_en']}", highlight=False)
    if cmp["posts"]:
        table = Table(title=_col("compare.table_posts"))
        for key in ("compare.col_post", "compare.col_a", "compare.col_b"):
            table.add_column(_col(key))
        for row in cmp["posts"]:
            table.add_row(row["label"], row["a_name"], row["b_name"])
        console.print(table)
    if cmp["rules"]:
        table = Table(title=_col("compare.table_rules"))
        for key in ("compare.col_rule", "compare.col_a", "compare.col_b", "compare.col_delta"):
            table.add_column(_col(key))
        for r in cmp["rules"]:
            table.add_row(f"{r['name_zh']} {r['rule']}", str(r["cost_a"]), str(r["cost_b"]), f"{r['delta']:+d}")
        console.print(table)
    if cmp["townships"] or cmp["totals"]["delta"]:
        from planner.i18n import EXCEL_TEXT

        table = Table(title=_col("compare.table_townships"))
        table.add_column(_col("compare.col_township"))
        table.add_column(_col("compare.col_delta"))
        rows = [(t["name"], t["delta"]) for t in cmp["townships"]]
        if cmp["totals"]["delta"]:
            rows.append((EXCEL_TEXT["row.county_total"][0], cmp["totals"]["delta"]))
        for name, delta in rows:
            table.add_row(name, "  ".join(f"{EXCEL_TEXT['row.' + f][0]}{d:+d}" for f, d in delta.items()))
        console.print(table)


@app.command()
def compare(
    plan_a: Annotated[Path, typer.Argument(help="plan A (reshuffle-plan/1)")],
    plan_b: Annotated[Path, typer.Argument(help="plan B (reshuffle-plan/1)")],
    scenario: Annotated[Path, typer.Option("--scenario", help="the scenario both plans are for")],
    as_json: Annotated[bool, typer.Option("--json", help="print the JSON comparison")] = False,
) -> None:
    """Two plans side by side: differing posts, structure-table deltas, objective by rule (exit 0; 2 on bad input)."""
    from planner.analysis.compare import compare as run_compare
    from planner.domain import load_plan, load_scenario
    from planner.domain.errors import InputError

    def body() -> int:
        inst = load_scenario(scenario)
        plans = []
        for label, path in (("A", plan_a), ("B", plan_b)):
            try:
                plans.append(load_plan(path, inst))
            except InputError as exc:
                raise InputError(f"plan {label} ({path})", exc.problems) from None
        cmp = run_compare(inst, *plans)
        if as_json:
            sys.stdout.write(dump_json(cmp))
        else:
            render_comparison(inst, cmp)
        return EXIT_OK

    raise typer.Exit(guarded(body))
