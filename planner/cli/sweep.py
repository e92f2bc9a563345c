"""`planner sweep` (scenarios × policy variants, on Ray or a local pool) and `planner frontier` (one rule
parameter's cost curve)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn
from rich.table import Table

from planner.cli.common import EXIT_NEGATIVE, EXIT_OK, app, console, guarded, write_atomic


def _grid_from_flags(grid_file, scenarios, policy, waves, time_limit):
    from planner.analysis.sweep import Grid, expand_scenarios, read_grid, variant
    from planner.domain.errors import InputError, Problem

    if grid_file is not None:
        return read_grid(grid_file)
    if not scenarios:
        raise InputError(
            "grid",
            [
                Problem(
                    "--scenario", "give a grid file or at least one --scenario", "请给出网格文件，或至少一个 --scenario"
                )
            ],
        )
    variants = [variant("default", time_limit=time_limit)]
    for k, text in enumerate(policy):  # NAME=JSON, e.g. yp20='{"young-principals": {"min_share": 0.2}}'
        name, _, raw = text.partition("=")
        try:
            variants.append(variant(name, json.loads(raw), time_limit=time_limit, where=f"--policy[{k}]"))
        except json.JSONDecodeError as exc:
            raise InputError(
                "grid", [Problem(f"--policy[{k}]", f"expected NAME=JSON: {exc}", f"应为 名称=JSON：{exc}")]
            ) from None
    for w in waves:
        variants.append(variant(f"waves={w}", waves=w, time_limit=time_limit))
    return Grid(expand_scenarios(scenarios), variants)


@app.command()
def sweep(
    grid: Annotated[Optional[Path], typer.Argument(help="grid file (JSON or YAML): scenarios and variants")] = None,
    scenario: Annotated[
        Optional[list[str]],
        typer.Option(
            "--scenario", "-s", help="file, folder or synth:TOWNSHIPS:SEED (TOWNSHIPS may be 3..4); repeatable"
        ),
    ] = None,
    policy: Annotated[
        Optional[list[str]], typer.Option("--policy", help="a variant NAME=JSON policy overrides; repeatable")
    ] = None,
    waves: Annotated[
        Optional[list[int]], typer.Option("--waves", help="a variant with this many waves; repeatable")
    ] = None,
    time_limit: Annotated[float, typer.Option("--time-limit", min=0.1, max=3600, help="seconds per cell")] = 20.0,
    out: Annotated[Path, typer.Option("--out", help="results table (CSV; rows appended, rerun resumes)")] = Path(
        "sweep.csv"
    ),
    engine: Annotated[str, typer.Option("--engine", help="auto | ray | local")] = "auto",
    address: Annotated[
        Optional[str],
        typer.Option("--address", envvar="PLANNER_RAY_ADDRESS", help="Ray cluster address (default: in-process Ray)"),
    ] = None,
    processes: Annotated[
        Optional[int],
        typer.Option(
            "--processes", min=1, help="parallel cells (local pool / in-process Ray CPUs); default: the cores"
        ),
    ] = None,
    plot: Annotated[bool, typer.Option("--plot/--no-plot", help="heat map PNG next to the table")] = True,
) -> None:
    """Solve every scenario × variant cell, audit each plan with the checker, stream the rows to a table."""
    from planner.analysis.sweep import ray_available, read_table, run_sweep, to_parquet
    from planner.analysis.sweep_plot import heatmap
    from planner.domain.errors import InputError, Problem

    def body() -> int:
        if engine not in ("auto", "ray", "local"):
            raise InputError("options", [Problem("--engine", "expected auto, ray or local", "应为 auto、ray 或 local")])
        if engine == "ray" and not ray_available():
            raise InputError(
                "options",
                [
                    Problem(
                        "--engine",
                        'Ray is not installed: pip install -e ".[distributed]"',
                        '未安装 Ray：pip install -e ".[distributed]"',
                    )
                ],
            )
        g = _grid_from_flags(grid, scenario or [], policy or [], waves or [], time_limit)
        bar = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("失败 failed {task.fields[failed]}"),
            TimeElapsedColumn(),
            TimeRemainingColumn(),
            console=console,
        )
        state: dict = {}

        def on_start(s) -> None:
            name = {
                "ray": "Ray" + (f" @ {address}" if address else " (in-process)"),
                "local": "local process pool / 本机进程池",
            }[s.engine]
            console.print(f"引擎 engine: {name}; {s.total} cells, {s.skipped} already in {out} (skipped / 已完成跳过)")
            state["task"] = bar.add_task("求解 solving", total=s.total - s.skipped, failed=0)
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
            console.print(
                f"[yellow]已中断 interrupted: {s.done + s.failed} cells kept in {out}; rerun to resume "
                "/ 再次运行即从中断处继续[/]"
            )
        _summary_table(read_table(out))
        console.print(f"{s.done} done, {s.failed} failed, {s.skipped} skipped in {s.wall_s:.1f}s on {s.engine} → {out}")
        pq = to_parquet(out)
        if pq:
            console.print(f"→ {pq}")
        if plot:
            png = heatmap(read_table(out), out.with_suffix(".png"))
            console.print(
                f"→ {png}" if png else "(matplotlib not installed: no heat map / 未安装 matplotlib，无热力图)"
            )
        return EXIT_NEGATIVE if (s.failed or s.interrupted) else EXIT_OK

    raise typer.Exit(guarded(body))


def _summary_table(rows) -> None:
    latest = {r["key"]: r for r in rows}
    table = Table(title="情景 × 方案变体 / county × variant")
    for col in (
        "情景 scenario",
        "变体 variant",
        "状态 status",
        "目标值 objective",
        "调整 moves",
        "核查 checker",
        "阻碍规则 blocking",
    ):
        table.add_column(col)
    for r in latest.values():
        checker = {"True": "✓", "False": "✗"}.get(r.get("checker_ok", ""), "—")
        table.add_row(
            r["scenario"],
            r["variant"],
            r["status"],
            r["objective"] or "—",
            r["moves"] or "—",
            checker,
            r["blocking_rules"] or r["error"][:40] or "",
        )
    console.print(table)


@app.command()
def frontier(
    scenario: Annotated[Path, typer.Argument(help="scenario JSON (reshuffle-scenario/1)")],
    rule: Annotated[str, typer.Option("--rule", help="rule id, e.g. young-principals")],
    param: Annotated[str, typer.Option("--param", help="its parameter, e.g. min_share")],
    start: Annotated[float, typer.Option("--from")],
    stop: Annotated[float, typer.Option("--to")],
    step: Annotated[float, typer.Option("--step")] = 0.05,
    time_limit: Annotated[float, typer.Option("--time-limit", min=0.1, max=3600, help="seconds per point")] = 20.0,
    workers: Annotated[int, typer.Option("--workers", min=1, max=64)] = 8,
    out: Annotated[Optional[Path], typer.Option("--out", help="CSV of the points")] = None,
    png: Annotated[Optional[Path], typer.Option("--plot", help="line plot PNG")] = None,
) -> None:
    """For each target value: the least disruption from the default plan that reaches it, and where it stops."""
    import csv
    import io

    from planner.analysis.frontier import frontier as run_frontier
    from planner.analysis.frontier import plot as draw, targets

    def body() -> int:
        values = targets(start, stop, step)
        console.print(
            f"{scenario}: {rule} · {param} from {start:g} to {stop:g} step {step:g} "
            f"({len(values)} points, limit {time_limit:g}s each)"
        )
        fr = run_frontier(
            scenario,
            rule,
            param,
            values,
            time_limit=time_limit,
            workers=workers,
            on_point=lambda p: console.print(f"  [dim]{p.target:g}: {p.status} ({p.wall_s:.1f}s)[/]"),
        )
        table = Table(
            title=f"代价曲线 policy frontier — {rule} {param} (默认方案 default plan: objective "
            f"{fr.base_objective}, {fr.base_moves} moves)"
        )
        for col in (
            "目标 target",
            "状态 status",
            "变动岗位 posts changed",
            "调整 moves",
            "目标值 objective",
            "阻碍规则 blocking rules",
        ):
            table.add_column(col)
        for p in fr.points:
            changed = "—" if p.disruption is None else f"{p.disruption}{'' if p.proven else ' (≤)'}"
            table.add_row(
                f"{p.target:g}",
                p.status,
                changed,
                "—" if p.moves is None else str(p.moves),
                "—" if p.objective is None else str(p.objective),
                ", ".join(p.blocking_rules),
            )
        console.print(table)
        if fr.impossible_from is not None:
            console.print(f"[red]自 {fr.impossible_from:g} 起无可行方案 / no plan from {fr.impossible_from:g}[/]")
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
            console.print(f"→ {png}" if done else "(matplotlib not installed: no plot / 未安装 matplotlib，无图)")
        return EXIT_OK

    raise typer.Exit(guarded(body))


__all__ = ["sweep", "frontier"]
