"""Township leadership-team reshuffle planner (乡镇领导班子调整方案优化).

Public API: :func:`load_scenario`, :func:`load_plan`, :func:`check_plan` (no solver import),
:func:`planner.solver.solve` (CP-SAT).
"""

from planner.domain import Instance, load_delta, load_plan, load_scenario
from planner.domain.errors import InputError, Problem

__all__ = ["Instance", "InputError", "Problem", "load_scenario", "load_plan", "load_delta", "check_plan"]
__version__ = "0.1.0"


def check_plan(inst, plan):  # noqa: D103 - thin re-export, see planner.audit.check.check_plan
    from planner.audit.check import check_plan as _check

    return _check(inst, plan)
