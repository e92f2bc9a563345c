"""`planner solve`: the best valid plan, written as a plan document, summarised for a person.

`--time-limit` is the limit of the whole command: reading, solving and, when there is no plan, explaining
why. One deadline is set when the command starts; the solver gets what reading left, the explanation what
the solver left, and what the explanation could not finish is named in the plan's ``cut_short``.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated, Any, Optional

import typer

from planner.cli.common import (
    EXIT_INPUT,
    EXIT_NEGATIVE,
    EXIT_OK,
    app,
    console,
    dump_json,
    err_console,
    guarded,
    write_atomic,
)
from planner.cli.render import Phases, render_plan_summary as _render
from planner.i18n.cli import HELP


def render_plan_summary(inst, plan) -> None:
    _render(inst, plan, console)


def attach_explanation(inst: Any, plan: Any, *, deadline: float, workers: int, phases: Phases | None = None) -> None:
    """Explain an infeasible plan within what is left of the command's `deadline` (time.monotonic())."""
    from planner.analysis.explain import explain, remaining

    left = remaining(deadline) or 0.0
    if phases is not None:
        phases.phase("cli.phase.explaining", left=f"{left:.1f}")
    plan.explanation = explain(inst, time_limit=max(left, 0.0), workers=workers, deadline=deadline)
    plan.cut_short = list(plan.explanation.get("cut_short") or [])


@app.command(help=HELP["solve"])
def solve(
    scenario: Annotated[Path, typer.Argument(help=HELP["opt.scenario"])],
    out: Annotated[Optional[Path], typer.Option("--out", help=HELP["opt.out_plan"])] = None,
    time_limit: Annotated[float, typer.Option("--time-limit", min=0.1, max=3600, help=HELP["opt.time_limit"])] = 60.0,
    workers: Annotated[int, typer.Option("--workers", min=1, max=64, help=HELP["opt.workers"])] = 8,
    seed: Annotated[int, typer.Option("--seed", help=HELP["opt.seed"])] = 0,
    quiet: Annotated[bool, typer.Option("--quiet", help=HELP["opt.quiet"])] = False,
    reasons: Annotated[bool, typer.Option("--reasons/--no-reasons", help=HELP["opt.reasons"])] = True,
    runner_up: Annotated[bool, typer.Option("--runner-up", help=HELP["opt.runner_up"])] = False,
    alternatives: Annotated[int, typer.Option("--alternatives", min=1, max=20, help=HELP["opt.alternatives"])] = 1,
    differ: Annotated[int, typer.Option("--differ", min=1, help=HELP["opt.differ"])] = 2,
) -> None:
    deadline = time.monotonic() + time_limit
    phases = Phases(err_console, quiet=quiet)

    def body() -> int:
        phases.phase("cli.phase.reading", path=scenario)
        from planner.domain import load_scenario

        inst = load_scenario(scenario)
        phases.line(*_read_line(inst))
        left = deadline - time.monotonic()
        phases.phase(
            "cli.phase.solving", limit=f"{left:.0f}" if left >= 10 else f"{max(0.1, left):.1f}", workers=workers
        )
        from planner.solver.options import SolveOptions  # the solver (ortools) is imported only here
        from planner.solver.solve import solve as run_solve

        left = max(0.1, deadline - time.monotonic())
        options = SolveOptions(time_limit=left, workers=workers, seed=seed, progress=phases.solution)
        alts = None
        if alternatives > 1:
            from planner.analysis.alternatives import alternatives as find_alternatives

            alts = find_alternatives(inst, alternatives, min_diff=differ, options=options)
        result = run_solve(inst, options) if alts is None or not alts["plans"] else None
        if result is not None:
            plan = result.document
        else:
            assert alts is not None  # no solve only when the alternatives found plans
            plan = alts["plans"][0]
        found = plan.status in ("optimal", "feasible")
        ups = None
        if found and (reasons or runner_up):
            from planner.analysis.reasons import annotate_reasons, annotate_runner_ups

            if reasons:
                for p in alts["plans"] if alts else [plan]:
                    annotate_reasons(inst, p)
            if runner_up:
                ups = annotate_runner_ups(inst, plan, workers=workers, seed=seed)
        if plan.status == "infeasible":
            attach_explanation(inst, plan, deadline=deadline, workers=workers, phases=phases)
        if out is not None:
            phases.phase("cli.phase.writing", path=out)
            write_atomic(out, dump_json(plan.model_dump(mode="json", by_alias=True, exclude_none=False)))
        phases.stop()
        render_plan_summary(inst, plan)
        if out is not None:
            z, e = _written(out)
            console.print(f"→ {z} / {e}", highlight=False)
        from planner.cli import reasons as shown

        if found and reasons:
            shown.render_reasons(inst, plan)
        if found and runner_up:
            assert ups is not None  # computed above whenever found and runner_up
            shown.render_runner_ups(ups)
        if alts is not None:
            shown.write_alternatives(inst, alts, out)
        return EXIT_OK if found else EXIT_NEGATIVE

    try:
        code = guarded(body)
    finally:
        phases.stop()
    raise typer.Exit(code)


def _read_line(inst: Any) -> tuple[str, str]:
    from planner.i18n import message

    return message(
        "cli.phase.read",
        county=inst.doc.county.name,
        townships=len(inst.townships),
        posts=len(inst.posts),
        cadres=len(inst.cadres),
    )


def _written(path: Path) -> tuple[str, str]:
    from planner.i18n import message

    return message("cli.written", path=path)


__all__ = ["solve", "render_plan_summary", "attach_explanation", "EXIT_INPUT"]
