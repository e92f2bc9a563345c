"""`planner solve`: the best valid plan, written as a plan document, summarised for a person."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.table import Table

from planner.cli.common import EXIT_INPUT, EXIT_NEGATIVE, EXIT_OK, app, console, dump_json, guarded, write_atomic
from planner.i18n import label_zh, message


def render_plan_summary(inst, plan) -> None:
    zh, en = message(f"status.{plan.status}")
    style = "green" if plan.status in ("optimal", "feasible") else "red"
    console.print(f"[bold {style}]{zh} / {en}[/]")
    if plan.objective is not None:
        console.print(f"目标值 objective {plan.objective}  下界 bound {plan.bound}  gap {plan.gap:.4f}  "
                      f"用时 wall {plan.wall_time_s:.2f}s  (workers {plan.solver.get('num_workers')}, "
                      f"variables {plan.solver.get('variables')})")
    if plan.moves:
        table = Table(title=f"调整名单 / moves ({len(plan.moves)})")
        waves = inst.waves > 1
        for col in ("姓名 name", "原任 from", "拟任 to", "类型 kind") + (("批次 wave",) if waves else ()):
            table.add_column(col)
        for mv in sorted(plan.moves, key=lambda m: m.wave):
            table.add_row(inst.name(mv.cadre), inst.post_label(mv.from_) if mv.from_ else "—",
                          inst.post_label(mv.to) if mv.to else "—", f"{label_zh(mv.kind)} {mv.kind}",
                          *((str(mv.wave),) if waves else ()))
        console.print(table)
        for step in plan.timeline:
            console.print(f"  第{step['wave']}批 wave {step['wave']} ({step['date']}): {len(step['moves'])} moves")
    if plan.chains:
        console.print(f"调整链条 / vacancy chains: {len(plan.chains)}; longest: "
                      + " → ".join(inst.name(c) for c in max(plan.chains, key=len)))
    soft = [v for v in plan.violations if not v.hard]
    for v in soft[:15]:
        console.print(f"  [yellow]{v.rule}[/] ×{v.amount}: {v.message_zh} / {v.message_en}", highlight=False)
    if len(soft) > 15:
        console.print(f"  … {len(soft) - 15} more soft findings in the plan document")
    if plan.explanation:
        console.print(plan.explanation)


@app.command()
def solve(
    scenario: Annotated[Path, typer.Argument(help="scenario JSON (reshuffle-scenario/1)")],
    out: Annotated[Optional[Path], typer.Option("--out", help="where to write the plan JSON")] = None,
    time_limit: Annotated[float, typer.Option("--time-limit", min=0.1, max=3600, help="seconds")] = 60.0,
    workers: Annotated[int, typer.Option("--workers", min=1, max=64)] = 8,
    seed: Annotated[int, typer.Option("--seed")] = 0,
    quiet: Annotated[bool, typer.Option("--quiet", help="no progress lines")] = False,
    reasons: Annotated[bool, typer.Option("--reasons/--no-reasons", help="why each cadre (moves[].reasons)")] = True,
    runner_up: Annotated[bool, typer.Option("--runner-up", help="the runner-up and its price for every principal "
                                            "post (one re-solve per post)")] = False,
    alternatives: Annotated[int, typer.Option("--alternatives", min=1, max=20, help="K plans differing in ≥ "
                                              "--differ principal posts; written as PLAN.alt2.json …")] = 1,
    differ: Annotated[int, typer.Option("--differ", min=1, help="principal posts each alternative must differ "
                                        "in")] = 2,
) -> None:
    """Find the best plan that keeps every hard rule: exit 0 with a plan, 1 if infeasible or none found, 2 on bad input."""
    from planner.domain import load_scenario
    from planner.solver.options import SolveOptions
    from planner.solver.solve import solve as run_solve

    def progress(info: dict) -> None:
        if not quiet:
            bound = "—" if info["bound"] is None else info["bound"]
            console.print(f"  [dim]#{info['solutions']:>3}  {info['wall_time_s']:7.2f}s  "
                          f"objective {info['objective']:>8}  bound {bound:>8}[/]", highlight=False)

    def body() -> int:
        inst = load_scenario(scenario)
        if not quiet:
            console.print(f"{inst.doc.county.name}: {len(inst.townships)} townships, {len(inst.posts)} posts, "
                          f"{len(inst.cadres)} cadres — solving (limit {time_limit:g}s, {workers} workers)")
        options = SolveOptions(time_limit=time_limit, workers=workers, seed=seed, progress=progress)
        alts = None
        if alternatives > 1:
            from planner.analysis.alternatives import alternatives as find_alternatives

            alts = find_alternatives(inst, alternatives, min_diff=differ, options=options)
        result = run_solve(inst, options) if alts is None or not alts["plans"] else None
        plan = result.plan if result is not None else alts["plans"][0]
        found = plan.status in ("optimal", "feasible")
        if found and (reasons or runner_up):
            from planner.analysis.reasons import annotate_reasons, annotate_runner_ups

            for p in alts["plans"] if alts else [plan]:
                if reasons:
                    annotate_reasons(inst, p)
            ups = annotate_runner_ups(inst, plan, workers=workers, seed=seed) if runner_up else None
        if plan.status == "infeasible":
            try:
                from planner.analysis.explain import explain
            except ImportError:  # explanations are an optional module
                explain = None
            if explain is not None:
                plan.explanation = explain(inst)
        if out is not None:
            write_atomic(out, dump_json(plan.model_dump(mode="json", by_alias=True, exclude_none=False)))
        render_plan_summary(inst, plan)
        if out is not None:
            console.print(f"→ {out}")
        from planner.cli import reasons as shown

        if found and reasons:
            shown.render_reasons(inst, plan)
        if found and runner_up:
            shown.render_runner_ups(ups)
        if alts is not None:
            shown.write_alternatives(inst, alts, out)
        return EXIT_OK if found else EXIT_NEGATIVE

    raise typer.Exit(guarded(body))


__all__ = ["solve", "render_plan_summary", "EXIT_INPUT"]
