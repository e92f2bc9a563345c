"""`planner sweep` (scenarios × policy variants, on Ray or a local pool) and `planner frontier` (one rule
parameter's cost curve)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any, Optional

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn
from rich.table import Table

from planner.cli.common import EXIT_NEGATIVE, EXIT_OK, app, console, guarded, write_atomic
from planner.i18n import message, rule_name
from planner.i18n.core import MESSAGES
from planner.i18n.cli import HELP


#: exit code of a sweep stopped by Ctrl-C (128 + SIGINT, as shells report it); its finished rows are kept
EXIT_INTERRUPTED = 130


def _both(key: str, **fields: Any) -> str:
    zh, en = message(key, **fields)
    return f"{zh} / {en}"


def _problem(location: str, key: str, **fields: Any):
    from planner.domain.errors import Problem

    zh, en = message(key, **fields)
    return Problem(location=location, message_en=en, message_zh=zh)


def _grid_from_flags(grid_file, scenarios, policy, waves, time_limit):
    from planner.analysis.sweep import Grid, expand_scenarios, read_grid, variant
    from planner.domain.errors import InputError

    if grid_file is not None:
        return read_grid(grid_file)
    if not scenarios:
        raise InputError("grid", [_problem("--scenario", "sweep.grid.none")])
    variants = [variant("default", time_limit=time_limit)]
    for k, text in enumerate(policy):  # NAME=JSON, e.g. yp20='{"young-principals": {"min_share": 0.2}}'
        name, _, raw = text.partition("=")
        try:
            variants.append(variant(name, json.loads(raw), time_limit=time_limit, where=f"--policy[{k}]"))
        except json.JSONDecodeError as exc:
            raise InputError("grid", [_problem(f"--policy[{k}]", "sweep.grid.name_json", why=exc)]) from None
    for w in waves:
        variants.append(variant(f"waves={w}", waves=w, time_limit=time_limit))
    return Grid(expand_scenarios(scenarios), variants)


@app.command(help=HELP["sweep"])
def sweep(
    grid: Annotated[Optional[Path], typer.Argument(help=HELP["opt.grid"])] = None,
    scenario: Annotated[Optional[list[str]], typer.Option("--scenario", "-s", help=HELP["opt.sweep_scenario"])] = None,
    policy: Annotated[Optional[list[str]], typer.Option("--policy", help=HELP["opt.sweep_policy"])] = None,
    waves: Annotated[Optional[list[int]], typer.Option("--waves", help=HELP["opt.sweep_waves"])] = None,
    time_limit: Annotated[
        float, typer.Option("--time-limit", min=0.1, max=3600, help=HELP["opt.time_limit_cell"])
    ] = 20.0,
    out: Annotated[Path, typer.Option("--out", help=HELP["opt.sweep_out"])] = Path("sweep.csv"),
    engine: Annotated[str, typer.Option("--engine", help=HELP["opt.engine"])] = "auto",
    address: Annotated[
        Optional[str], typer.Option("--address", envvar="PLANNER_RAY_ADDRESS", help=HELP["opt.address"])
    ] = None,
    processes: Annotated[Optional[int], typer.Option("--processes", min=1, help=HELP["opt.processes"])] = None,
    plot: Annotated[bool, typer.Option("--plot/--no-plot", help=HELP["opt.sweep_plot"])] = True,
) -> None:
    from planner.analysis.sweep import ray_available, read_table, run_sweep, to_parquet
    from planner.analysis.sweep_plot import heatmap
    from planner.domain.errors import InputError

    def body() -> int:
        if engine not in ("auto", "ray", "local"):
            raise InputError("options", [_problem("--engine", "sweep.engine.choice")])
        if engine == "ray" and not ray_available():
            raise InputError("options", [_problem("--engine", "sweep.engine.no_ray")])
        g = _grid_from_flags(grid, scenario or [], policy or [], waves or [], time_limit)
        bar = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn(_both("sweep.bar.failed").replace(" / ", " ") + " {task.fields[failed]}"),
            TimeElapsedColumn(),
            TimeRemainingColumn(),
            console=console,
        )
        state: dict = {}

        def on_start(s) -> None:
            key = (
                "sweep.engine.local"
                if s.engine == "local"
                else "sweep.engine.ray_at"
                if address
                else "sweep.engine.ray"
            )
            name_zh, name_en = message(key, address=address)
            console.print(
                _both("sweep.start", engine=name_zh, engine_en=name_en, total=s.total, skipped=s.skipped, out=out),
                highlight=False,
            )
            state["task"] = bar.add_task(_both("sweep.bar.solving"), total=s.total - s.skipped, failed=0)
            bar.start()

        def on_row(row) -> None:
            failed = row.get("status") in ("error", "input-error")
            state["failed"] = state.get("failed", 0) + failed
            bar.update(state["task"], advance=1, failed=state["failed"])
            if failed:
                bar.console.print(
                    f"  [red]{row['scenario']} × {row['variant']}: {row.get('error')}[/]", highlight=False
                )

        try:
            s = run_sweep(g, out, engine=engine, address=address, processes=processes, on_start=on_start, on_row=on_row)
        finally:
            bar.stop()
        if s.interrupted:
            console.print(f"[yellow]{_both('sweep.interrupted', kept=s.done + s.failed, out=out)}[/]", highlight=False)
        _summary_table(read_table(out))
        done = _both(
            "sweep.done",
            done=s.done,
            failed=s.failed,
            skipped=s.skipped,
            wall=f"{s.wall_s:.1f}",
            engine=s.engine,
            out=out,
        )
        console.print(done, highlight=False)
        pq = to_parquet(out)
        if pq:
            console.print(f"→ {pq}")
        if plot:
            png = heatmap(read_table(out), out.with_suffix(".png"))
            console.print(f"→ {png}" if png else f"({_both('sweep.no_matplotlib')})")
        return EXIT_INTERRUPTED if s.interrupted else EXIT_NEGATIVE if s.failed else EXIT_OK

    try:
        code = guarded(body)
    except KeyboardInterrupt:  # a second Ctrl-C, or one before the sweep started: the rows written stay
        console.print(f"[yellow]{_both('sweep.interrupted_hard', out=out)}[/]", highlight=False)
        code = EXIT_INTERRUPTED
    raise typer.Exit(code)


def _status(status: str) -> str:
    """A verdict in both languages, short (最优 optimal, 无方案 no plan …)."""
    key = f"sweep.status.{status}"
    return " ".join(message(key)) if key in MESSAGES else status


def _blocking(rule_ids) -> str:
    """The blocking rules by their Chinese names, one per line (a table cell never cuts a name short)."""
    ids = [r for r in (rule_ids.replace(",", ";").split(";") if isinstance(rule_ids, str) else rule_ids) if r.strip()]
    return "\n".join(rule_name(r.strip())[0] for r in ids)


def _summary_table(rows) -> None:
    latest = {r["key"]: r for r in rows}
    table = Table(title=_both("sweep.table.title"))
    for col in ("scenario", "variant", "status", "objective", "moves", "checker"):
        table.add_column(" ".join(message(f"sweep.col.{col}")), max_width=10 if col in ("scenario", "variant") else 7)
    table.add_column(" ".join(message("sweep.col.blocking")), min_width=20, overflow="fold")
    for r in latest.values():
        checker = {"True": "✓", "False": "✗"}.get(r.get("checker_ok", ""), "—")
        table.add_row(
            r["scenario"],
            r["variant"],
            _status(r["status"]),
            r["objective"] or "—",
            r["moves"] or "—",
            checker,
            _blocking(r["blocking_rules"]) or r["error"][:40] or "",
        )
    console.print(table)


@app.command(help=HELP["frontier"])
def frontier(
    scenario: Annotated[Path, typer.Argument(help=HELP["opt.scenario"])],
    rule: Annotated[str, typer.Option("--rule", help=HELP["opt.frontier_rule"])],
    param: Annotated[str, typer.Option("--param", help=HELP["opt.frontier_param"])],
    start: Annotated[float, typer.Option("--from", help=HELP["opt.frontier_from"])],
    stop: Annotated[float, typer.Option("--to", help=HELP["opt.frontier_to"])],
    step: Annotated[float, typer.Option("--step", help=HELP["opt.frontier_step"])] = 0.05,
    time_limit: Annotated[
        float, typer.Option("--time-limit", min=0.1, max=3600, help=HELP["opt.time_limit_point"])
    ] = 20.0,
    workers: Annotated[int, typer.Option("--workers", min=1, max=64, help=HELP["opt.workers"])] = 8,
    out: Annotated[Optional[Path], typer.Option("--out", help=HELP["opt.frontier_out"])] = None,
    png: Annotated[Optional[Path], typer.Option("--plot", help=HELP["opt.frontier_plot"])] = None,
) -> None:
    import csv
    import io

    from planner.analysis.frontier import frontier as run_frontier
    from planner.analysis.frontier import plot as draw, targets

    def body() -> int:
        values = targets(start, stop, step)
        fields = dict(rule=rule, param=param, start=f"{start:g}", stop=f"{stop:g}", step=f"{step:g}")
        console.print(
            _both("frontier.start", scenario=scenario, n=len(values), limit=f"{time_limit:g}", **fields),
            highlight=False,
        )
        fr = run_frontier(
            scenario,
            rule,
            param,
            values,
            time_limit=time_limit,
            workers=workers,
            on_point=lambda p: console.print(
                f"  [dim]{_both('frontier.point', target=f'{p.target:g}', status=p.status, wall=f'{p.wall_s:.1f}')}[/]"
            ),
        )
        reached = "—" if fr.base_reached is None else f"{fr.base_reached:g}"
        table = Table(
            title=_both(
                "frontier.table.title",
                rule=rule,
                param=param,
                objective=fr.base_objective,
                moves=fr.base_moves,
                reached=reached,
            )
        )
        for col in ("target", "status", "changed", "moves", "objective"):
            table.add_column(" ".join(message(f"frontier.col.{col}")), max_width=8)
        table.add_column(" ".join(message("frontier.col.blocking")), min_width=20, overflow="fold")
        for p in fr.points:
            changed = "—" if p.disruption is None else f"{p.disruption}{'' if p.proven else ' (≤)'}"
            table.add_row(
                f"{p.target:g}",
                _status(p.status),
                changed,
                "—" if p.moves is None else str(p.moves),
                "—" if p.objective is None else str(p.objective),
                _blocking(p.blocking_rules),
            )
        console.print(table)
        if fr.impossible_from is not None:
            console.print(f"[red]{_both('frontier.impossible', target=f'{fr.impossible_from:g}')}[/]", highlight=False)
        if out is not None:
            buf = io.StringIO()
            rows = fr.as_rows()
            writer = csv.DictWriter(buf, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(rows)
            write_atomic(out, buf.getvalue())
            console.print(f"→ {out}")
        if png is not None:
            done = draw(fr, png, title=f"{scenario.stem}: {rule} {param}")
            console.print(f"→ {png}" if done else f"({_both('frontier.no_matplotlib')})")
        return EXIT_OK

    raise typer.Exit(guarded(body))


__all__ = ["sweep", "frontier"]
