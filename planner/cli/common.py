"""What every command shares: the Typer app, the consoles, exit codes, located input errors, atomic writes."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

import typer
from rich.console import Console

from planner.i18n.cli import HELP

if TYPE_CHECKING:  # imported where a command runs: planner.domain pulls in pydantic and the document models
    from planner.domain.errors import InputError


app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help=HELP["app"],
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
    from planner.domain.errors import InputError

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
