"""`planner` command line. Exit codes: 0 success, 1 a negative verdict (hard rule broken, no plan), 2 bad input.

Commands of other modules register themselves on :data:`app` (see the imports at the bottom), so each feature
keeps its CLI next to its code.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Annotated, Any, Callable, Optional

import typer
from rich.console import Console
from rich.table import Table

from .errors import InputError

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="乡镇领导班子调整方案优化 — township leadership-team reshuffle planner.",
    pretty_exceptions_enable=False,
)
console = Console()
err_console = Console(stderr=True)

EXIT_OK, EXIT_NEGATIVE, EXIT_INPUT = 0, 1, 2


def fail_input(exc: InputError) -> "typer.Exit":
    err_console.print(f"[bold red]输入有误 / invalid input[/] — {exc.document}")
    for p in exc.problems:
        err_console.print(f"  • [cyan]{p.location}[/]: {p.message_zh} / {p.message_en}", highlight=False)
    return typer.Exit(EXIT_INPUT)


def guarded(fn: Callable[[], int]) -> int:
    """Run a command body; located input errors become exit 2 with a readable list, never a traceback."""
    try:
        return fn()
    except InputError as exc:
        raise fail_input(exc) from None


def write_atomic(path: Path, text: str | bytes) -> None:
    """Write `path` whole or not at all (never a half-written file)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(text.encode("utf-8") if isinstance(text, str) else text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def dump_json(doc: Any) -> str:
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


# ------------------------------------------------------------------------------------------------ check


def render_report(report, inst, title: str) -> None:
    from .i18n import label_zh

    zh, en = report.verdict()
    style = "green" if report.ok else "red"
    console.print(f"[bold {style}]{zh} / {en}[/]  ({title})")
    table = Table(title="规则核查 / rule audit", show_lines=False)
    for col in ("规则 rule", "名称 name", "模式 mode", "权重 weight", "次数 count", "数量 amount", "计分 cost"):
        table.add_column(col)
    for r in report.rules:
        if r.mode == "off" and not r.findings:
            continue
        mark = "red" if (r.findings and r.mode == "hard") else ("yellow" if r.findings else "")
        table.add_row(r.rule, r.name_zh, label_zh(r.mode), str(r.weight), str(r.findings), str(r.amount),
                      str(r.cost), style=mark)
    console.print(table)
    shown = [v for v in report.violations if v.hard] + [v for v in report.violations if not v.hard][:30]
    for v in shown:
        tag = "[red]刚性 hard[/]" if v.hard else "[yellow]柔性 soft[/]"
        when = f" [第{v.wave}批 wave {v.wave}]" if v.wave and inst.waves > 1 else ""
        console.print(f"  {tag} {v.rule} ×{v.amount}{when}: {v.message_zh} / {v.message_en}", highlight=False)
    if len(report.violations) > len(shown):
        console.print(f"  … {len(report.violations) - len(shown)} more soft findings (--json lists all)")
    console.print(f"目标值 objective: {report.objective}  (soft penalties − bonuses)")


@app.command()
def check(
    scenario: Annotated[Path, typer.Argument(help="scenario JSON (reshuffle-scenario/1)")],
    plan: Annotated[Path, typer.Argument(help="plan JSON (reshuffle-plan/1), also a hand-made one")],
    as_json: Annotated[bool, typer.Option("--json", help="print the JSON report instead of tables")] = False,
) -> None:
    """Audit a plan against every rule: exit 0 if no hard rule is broken, 1 if one is, 2 on invalid input."""
    from .check import check_plan
    from .domain import load_plan, load_scenario

    def body() -> int:
        inst = load_scenario(scenario)
        report = check_plan(inst, load_plan(plan, inst))
        if as_json:
            sys.stdout.write(dump_json(report.as_dict()))
        else:
            render_report(report, inst, str(plan))
        return EXIT_OK if report.ok else EXIT_NEGATIVE

    raise typer.Exit(guarded(body))


# ------------------------------------------------------------------------------------------------ synth


@app.command()
def synth(
    out: Annotated[Path, typer.Option("--out", help="where to write the scenario JSON")],
    townships: Annotated[int, typer.Option("--townships", min=1, max=400)] = 20,
    seed: Annotated[int, typer.Option("--seed")] = 1,
    pool_ratio: Annotated[float, typer.Option("--pool-ratio", min=0.0, max=10.0, help="pool cadres per post")] = 0.5,
    ethnic: Annotated[bool, typer.Option("--ethnic", help="a county with ethnic townships")] = False,
    witness: Annotated[Optional[Path], typer.Option("--witness", help="also write the witness plan here")] = None,
) -> None:
    """Write a realistic synthetic county that admits a valid plan under the default rules."""
    from .synth import SynthOptions, generate

    scenario_doc, plan_doc = generate(SynthOptions(townships=townships, seed=seed, pool_ratio=pool_ratio, ethnic=ethnic))
    write_atomic(out, dump_json(scenario_doc))
    if witness:
        write_atomic(witness, dump_json(plan_doc))
    console.print(f"{out}: {townships} townships, {len(scenario_doc['posts'])} posts, "
                  f"{len(scenario_doc['cadres'])} cadres (seed {seed})")


def main() -> None:  # console-script entry point
    app()


# feature modules add their commands to `app`
for _module in ("planner.cli_solve", "planner.cli_excel", "planner.cli_whatif", "api.cli"):
    try:
        __import__(_module)
    except ModuleNotFoundError as _exc:  # a feature not installed in this tree
        if _exc.name != _module:
            raise
