"""`planner` command line: one module per command group, all registered on one Typer app.

Exit codes: 0 success, 1 a negative verdict (hard rule broken, no plan), 2 bad input.

Command groups outside this package (the HTTP service's ``serve``, ``api-key``) register themselves through
the ``planner.commands`` entry point group, so the library never imports the service.
"""

from __future__ import annotations

from importlib import import_module
from importlib.metadata import entry_points

from planner.cli.common import app

_GROUPS = ("check", "synth", "solve", "excel", "analysis", "report", "compare", "sweep")


def _register() -> None:
    for name in _GROUPS:
        import_module(f"planner.cli.{name}")
    for ep in entry_points(group="planner.commands"):
        try:
            ep.load()
        except ModuleNotFoundError as exc:  # a plugin whose dependencies are not installed
            if not (exc.name or "").startswith(ep.value.split(":")[0].split(".")[0]):
                raise


def main() -> None:  # console-script entry point
    app()


_register()

__all__ = ["app", "main"]
