"""Township leadership-team reshuffle planner (乡镇领导班子调整方案优化).

Public API: :func:`load_scenario`, :func:`load_plan`, :func:`check_plan` (no solver import),
:func:`planner.solver.solve.solve` (CP-SAT).

The names are imported on first use (PEP 562), so `import planner.cli` — every `planner` command, `--help`
included — does not pay for pydantic and the document models until a command reads a document.
"""

from typing import Any

__all__ = ["Instance", "InputError", "Problem", "load_scenario", "load_plan", "load_delta", "check_plan"]
__version__ = "0.1.0"

_LAZY = {
    "Instance": "planner.domain",
    "load_delta": "planner.domain",
    "load_plan": "planner.domain",
    "load_scenario": "planner.domain",
    "InputError": "planner.domain.errors",
    "Problem": "planner.domain.errors",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        from importlib import import_module

        value = getattr(import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'planner' has no attribute {name!r}")


def check_plan(inst, plan):  # noqa: D103 - thin re-export, see planner.audit.check.check_plan
    from planner.audit.check import check_plan as _check

    return _check(inst, plan)
