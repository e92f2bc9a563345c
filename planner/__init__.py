"""Township leadership-team reshuffle planner (乡镇领导班子调整方案优化).

Public API: :func:`load_scenario`, :func:`load_plan`, :func:`check_plan` (no solver import),
:func:`planner.solve.solve` (CP-SAT).
"""

from .domain import Instance, load_delta, load_plan, load_scenario
from .errors import InputError, Problem

__all__ = ["Instance", "InputError", "Problem", "load_scenario", "load_plan", "load_delta", "check_plan"]
__version__ = "0.1.0"


def check_plan(inst, plan):  # noqa: D103 - thin re-export, see planner.check.check_plan
    from .check import check_plan as _check

    return _check(inst, plan)
