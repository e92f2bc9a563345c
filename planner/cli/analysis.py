"""`planner whatif`, `planner recommend` and `planner explain`: the questions asked in the meeting.

Exit codes as everywhere: 0 an answer with a plan, 1 a negative answer (no plan), 2 bad input.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Optional

import typer
from rich.table import Table

from planner.cli.common import EXIT_NEGATIVE, EXIT_OK, app, console, dump_json, guarded, write_atomic
from planner.cli.render import render_cut_short, render_explanation as _render_explanation
from planner.i18n import message
from planner.i18n.cli import HELP


def _say(key: str, style: str = "", **fields: Any) -> None:
    zh, en = message(key, **fields)
    text = f"{zh} / {en}"
    console.print(f"[{style}]{text}[/]" if style else text, highlight=False)


def _both(key: str, **fields: Any) -> str:
    zh, en = message(key, **fields)
    return f"{zh} {en}"


def render_explanation(explanation: dict | None) -> None:
    _render_explanation(explanation, console)
    render_cut_short((explanation or {}).get("cut_short"), console)


def render_diff(inst, plan) -> None:
    diff = plan.diff or {}
    zh, en = message(f"status.{plan.status}")
    style = "green" if plan.status in ("optimal", "feasible") else "red"
    console.print(f"[bold {style}]{zh} / {en}[/]")
    if diff.get("disruption") is None:
        render_explanation(plan.explanation)
        return
    proven_zh, proven_en = message("whatif.cli.proven" if diff.get("disruption_proven") else "whatif.cli.not_proven")
    _say(
        "whatif.cli.summary",
        "bold",
        n=diff["disruption"],
        proven=proven_zh,
        proven_en=proven_en,
        level=diff.get("level") or "full",
    )
    _say(
        "whatif.cli.objective",
        before=diff["objective_before"],
        after=diff["objective_after"],
        delta=diff["objective_after"] - diff["objective_before"],
    )
    if diff["changed_posts"]:
        table = Table(title=_both("whatif.cli.changed_title"))
        for key in ("whatif.cli.col_post", "whatif.cli.col_before", "whatif.cli.col_after"):
            table.add_column(_both(key))
        for c in diff["changed_posts"]:
            table.add_row(inst.post_label(c["post"]), inst.name(c["before"]), inst.name(c["after"]))
        console.print(table)
    for m in diff["moved_cadres"]:
        console.print(
            f"  {inst.name(m['cadre'])}: {inst.post_label(m['before'])} → {inst.post_label(m['after'])}",
            highlight=False,
        )
    for key, items, colour in (
        ("whatif.cli.added", diff["violations_added"], "yellow"),
        ("whatif.cli.removed", diff["violations_removed"], "green"),
    ):
        if items:
            _say(key, "bold", n=len(items))
            for v in items:
                hard = "刚性 hard" if v["hard"] else "柔性 soft"
                console.print(
                    f"  [{colour}]{hard} {v['rule']} ×{v['amount']}[/]: {v['message_zh']} / {v['message_en']}",
                    highlight=False,
                )
    for note in diff.get("notes") or []:
        console.print(f"  [dim]{note['message_zh']} / {note['message_en']}[/]", highlight=False)


@app.command(help=HELP["whatif"])
def whatif(
    scenario: Annotated[Path, typer.Argument(help=HELP["opt.scenario"])],
    delta: Annotated[Path, typer.Option("--delta", help=HELP["opt.delta"])],
    base: Annotated[Optional[Path], typer.Option("--base", help=HELP["opt.base"])] = None,
    out: Annotated[Optional[Path], typer.Option("--out", help=HELP["opt.out_whatif"])] = None,
    time_limit: Annotated[float, typer.Option("--time-limit", min=0.1, max=3600, help=HELP["opt.time_limit"])] = 10.0,
    workers: Annotated[int, typer.Option("--workers", min=1, max=64, help=HELP["opt.workers"])] = 8,
    seed: Annotated[int, typer.Option("--seed", help=HELP["opt.seed"])] = 0,
    reoptimise: Annotated[bool, typer.Option("--reoptimise", help=HELP["opt.reoptimise"])] = False,
) -> None:
    import time

    deadline = time.monotonic() + time_limit
    from planner.domain import load_delta, load_scenario
    from planner.solver.options import SolveOptions
    from planner.analysis.whatif import whatif as run_whatif

    def body() -> int:
        from planner.analysis.delta import resolve_names
        from planner.cli.check import load_scenario_file
        from planner.domain.errors import InputError
        from planner.io.excel.plan_read import file_kind, read_whatif_workbook

        inst = load_scenario_file(scenario)
        if file_kind(delta) == "xlsx":
            d = load_delta(read_whatif_workbook(delta, inst))
        else:
            d = load_delta(delta)
        d, problems, _bad = resolve_names(inst.doc, d)  # names and titles → ids (and every unknown one located)
        if problems:
            raise InputError("delta", problems)
        from planner.cli.check import load_plan_file

        base_plan = load_plan_file(base, inst)[0] if base is not None else None
        result = run_whatif(
            inst,
            base_plan,
            d,
            SolveOptions(time_limit=max(0.1, deadline - time.monotonic()), workers=workers, seed=seed),
            keep_base=not reoptimise,
        )
        plan = result.document
        if not result.found and result.status == "infeasible":
            try:
                from planner.analysis.explain import explain
                from planner.analysis.delta import apply_delta

                plan.explanation = explain(
                    load_scenario(apply_delta(inst.doc, d)), time_limit=time_limit, workers=workers, deadline=deadline
                )
                plan.cut_short = list(plan.explanation.get("cut_short") or [])
            except ImportError:  # explanations are an optional module
                pass
        if out is not None:
            write_atomic(out, dump_json(plan.model_dump(mode="json", by_alias=True)))
        render_diff(inst, plan)
        if out is not None:
            console.print(f"→ {out}")
        return EXIT_OK if result.found else EXIT_NEGATIVE

    raise typer.Exit(guarded(body))


@app.command(help=HELP["explain"])
def explain(
    scenario: Annotated[Path, typer.Argument(help=HELP["opt.scenario"])],
    time_limit: Annotated[float, typer.Option("--time-limit", min=0.1, max=3600, help=HELP["opt.time_limit"])] = 30.0,
    as_json: Annotated[bool, typer.Option("--json", help=HELP["opt.json"])] = False,
    no_relax: Annotated[bool, typer.Option("--no-relax", help=HELP["opt.no_relax"])] = False,
) -> None:
    import sys
    import time

    deadline = time.monotonic() + time_limit

    from planner.domain import load_scenario
    from planner.analysis.explain import explain as run_explain

    def body() -> int:
        inst = load_scenario(scenario)
        result = run_explain(inst, time_limit=time_limit, relax=not no_relax, deadline=deadline)
        if as_json:
            sys.stdout.write(dump_json(result))
        elif result["method"] == "none":
            _say("explain.cli.feasible", "green")
        else:
            render_explanation(result)
        return EXIT_OK if result["method"] == "none" else EXIT_NEGATIVE

    raise typer.Exit(guarded(body))


@app.command(help=HELP["recommend"])
def recommend(
    scenario: Annotated[Path, typer.Argument(help=HELP["opt.scenario"])],
    post: Annotated[str, typer.Option("--post", help=HELP["opt.post"])],
    base: Annotated[Optional[Path], typer.Option("--base", help=HELP["opt.base_recommend"])] = None,
    top: Annotated[int, typer.Option("--top", min=1, max=100, help=HELP["opt.top"])] = 5,
    time_limit: Annotated[
        float, typer.Option("--time-limit", min=0.1, max=600, help=HELP["opt.time_limit_each"])
    ] = 2.0,
    workers: Annotated[int, typer.Option("--workers", min=1, max=64, help=HELP["opt.workers"])] = 8,
    method: Annotated[str, typer.Option("--method", help=HELP["opt.method"])] = "auto",
    as_json: Annotated[bool, typer.Option("--json", help=HELP["opt.json"])] = False,
) -> None:
    import sys

    from planner.analysis.recommend import recommend as run_recommend

    def body() -> int:
        from planner.cli.check import load_plan_file, load_scenario_file
        from planner.domain.errors import InputError
        from planner.domain.names import Names, Unresolved

        inst = load_scenario_file(scenario)
        try:
            post_id = Names.of(inst).post(post)
        except Unresolved as exc:
            raise InputError("--post", [exc.problem("--post")]) from None
        base_plan = load_plan_file(base, inst)[0] if base is not None else None
        if method not in ("exact", "local", "auto"):
            raise typer.BadParameter("--method must be exact, local or auto")
        result = run_recommend(inst, post_id, base_plan, top=top, time_limit=time_limit, workers=workers, method=method)
        if as_json:
            sys.stdout.write(dump_json(result))
            return EXIT_OK if result["candidates"] else EXIT_NEGATIVE
        _say(
            "recommend.cli.header",
            "bold",
            post=inst.post_label(post_id),
            n=result["evaluated"],
            feasible=result["feasible"],
            objective=result["reference"]["objective"],
        )
        table = Table()
        for key in (
            "recommend.cli.col_rank",
            "recommend.cli.col_cadre",
            "recommend.cli.col_status",
            "recommend.cli.col_objective",
            "recommend.cli.col_moves",
        ):
            table.add_column(_both(key))
        if result["method"] == "local":
            _say("recommend.cli.local", "dim")
        for k, c in enumerate(result["candidates"], start=1):
            local = ".local" if c["scope"] == "local" and c["status"] in ("optimal", "feasible") else ""
            status = _both(f"recommend.status.{c['status']}{local}")
            delta = "" if c["objective_delta"] is None else f"{c['objective_delta']:+d}"
            moves = (
                "; ".join(
                    f"{inst.post_label(m['post'])}: {inst.name(m['before'])} → {inst.name(m['after'])}"
                    for m in c["other_changes"]
                )
                or "—"
            )
            table.add_row(str(k), inst.name(c["cadre"]), status, delta, moves)
        console.print(table)
        for c in result["candidates"]:
            for b in c.get("breaks", []):
                console.print(
                    f"  [red]{inst.name(c['cadre'])}[/]: {b['message_zh']} / {b['message_en']}", highlight=False
                )
        return EXIT_OK if result["candidates"] else EXIT_NEGATIVE

    raise typer.Exit(guarded(body))


__all__ = ["whatif", "explain", "recommend", "render_diff", "render_explanation"]
