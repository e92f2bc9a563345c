"""Domain layer: document models, loading with located errors, derived quantities. No solver imports."""

from planner.domain.documents import (
    Assignment,
    Cadre,
    Delta,
    Move,
    Placement,
    Plan,
    Post,
    Scenario,
    Township,
    TownshipRow,
    Violation,
)
from planner.domain.load import Instance, load_delta, load_plan, load_scenario, read_json

__all__ = [
    "Assignment",
    "Cadre",
    "Delta",
    "Instance",
    "Move",
    "Placement",
    "Plan",
    "Post",
    "Scenario",
    "Township",
    "TownshipRow",
    "Violation",
    "load_delta",
    "load_plan",
    "load_scenario",
    "read_json",
]
