"""`planner report SCENARIO PLAN --out 方案.docx`: the meeting document (planner.io.report)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from planner.cli.common import EXIT_INPUT, EXIT_OK, app, console, err_console, guarded, write_atomic
from planner.i18n.cli import HELP


@app.command(help=HELP["report"])
def report(
    scenario: Annotated[Path, typer.Argument(help=HELP["opt.scenario"])],
    plan: Annotated[Path, typer.Argument(help=HELP["opt.plan"])],
    out: Annotated[Path, typer.Option("--out", help=HELP["opt.out_docx"])],
    lang: Annotated[str, typer.Option("--lang", help=HELP["opt.lang"])] = "zh",
) -> None:
    from planner.i18n import message

    if lang not in ("zh", "en"):
        zh, en = message("cli.report.lang", lang=lang)
        err_console.print(f"{zh} / {en}", highlight=False)
        raise typer.Exit(EXIT_INPUT)

    def body() -> int:
        from planner.domain import load_scenario
        from planner.io.report import build_report

        inst = load_scenario(scenario)
        doc = build_report(inst, _plan_or_no_plan(plan, inst), lang=lang)
        write_atomic(out, doc.to_bytes())
        zh, en = message("cli.report.written", path=out, moves=len(doc.plan.moves), townships=len(inst.townships))
        console.print(f"{zh} / {en}", highlight=False)
        return EXIT_OK

    raise typer.Exit(guarded(body))


def _plan_or_no_plan(path: Path, inst):
    """The plan, validated against the county; the planner's own "no plan" document (infeasible, or none found
    in time: no assignments) is taken as it is, for a document that says why there is no plan."""
    from planner.domain import Plan, load_plan, read_json

    data = read_json(path, "plan")
    if isinstance(data, dict) and data.get("status") in ("infeasible", "unknown") and not data.get("assignments"):
        try:
            return Plan.model_validate(data)
        except ValueError:  # not a plan document after all: load_plan says what is wrong, located
            pass
    return load_plan(data, inst)


__all__ = ["report"]
