"""__init__"""

from __future__ import annotations

import time
from typing import Any, Callable


from planner.domain.load import Instance
from planner.i18n import message
from planner.analysis.explain.relax import _combined_from_groups, relaxations
from planner.analysis.explain.cores import _entries_from_core, assumption_core, fewest_relaxations
from planner.analysis.explain.hall import _entries_from_group, hall_groups

# -------------------------------------------------------------------------------------------- explain


#: below this many seconds left the conflict search (a guarded CP-SAT model: building it alone takes a
#: fraction of a second) is not started; nor is a relaxation tried
MIN_SEARCH_S = 0.5
#: the most conflicts one explanation names (assumption_core's max_conflicts)
MAX_CONFLICTS = 5


def remaining(deadline: float | None, clock: Callable[[], float] = time.monotonic) -> float | None:
    """Seconds left before `deadline` (a `clock()` reading), never negative; None without a deadline."""
    return None if deadline is None else max(0.0, deadline - clock())


def explain(
    inst: Instance,
    *,
    time_limit: float = 30.0,
    relax: bool = True,
    workers: int = 8,
    deadline: float | None = None,
    clock: Callable[[], float] = time.monotonic,
) -> dict[str, Any]:
    """Why `inst` has no plan, as a JSON-able dict (the plan's ``explanation``). See the module docstring.

    Shape: ``{"method": "matching"|"core"|"none"|"unknown", "conflicts": n, "rules": [{"rule", "name_zh",
    "name_en", "townships", "posts", "cadres", "message_zh", "message_en", "conflict", …}], "message_zh",
    "message_en", "minimal", "relaxations": [...], "wall_time_s", "cut_short": [...]}``. Each conflict needs a
    fix of its own; ``minimal`` says every rule instance named was proven necessary.

    `deadline` (a reading of `clock`, by default ``time.monotonic()``) is the end of the command this
    explanation is part of: the budget is what is left of it (at most `time_limit`). What the budget did not
    allow is listed in ``cut_short``: ``"explanation"`` (the conflict search was not run, or gave up),
    ``"relaxations"`` (the relaxation advice was not tried, or not all of it). The structural diagnosis (Hall's
    condition, no solver) always runs.
    """
    t0 = time.perf_counter()
    left = remaining(deadline, clock)
    if left is not None:
        time_limit = min(time_limit, left)
    cut_short: list[str] = []
    groups = hall_groups(inst)
    minimal, complete = True, True  # Hall groups are disjoint and each is a complete reason on its own
    parts: list[tuple[list[dict], list[str], list[str]]] = []
    if groups:
        method = "matching"
        parts = [_entries_from_group(inst, g, k) for k, g in enumerate(groups, start=1)]
    elif time_limit < MIN_SEARCH_S:  # the command's deadline left no time for the conflict search
        zh, en = message("explain.cut_short")
        return {
            "method": "unknown",
            "conflicts": 0,
            "rules": [],
            "message_zh": zh,
            "message_en": en,
            "minimal": False,
            "relaxations": [],
            "wall_time_s": round(time.perf_counter() - t0, 3),
            "cut_short": ["explanation", "relaxations"] if relax else ["explanation"],
        }
    else:
        core = assumption_core(inst, time_limit=time_limit * (0.5 if relax else 1.0), workers=workers)
        minimal, complete = core.minimal, core.complete
        if core.status != "infeasible":
            zh, en = message("explain.none" if core.status == "feasible" else "explain.unknown")
            unknown = core.status != "feasible"
            return {
                "method": "unknown" if unknown else "none",
                "conflicts": 0,
                "rules": [],
                "message_zh": zh,
                "message_en": en,
                "minimal": False,
                "relaxations": [],
                "wall_time_s": round(time.perf_counter() - t0, 3),
                "cut_short": (["explanation"] + (["relaxations"] if relax else [])) if unknown else [],
            }
        # the time ran out while minimising a conflict, or before looking for more (not: the most it names)
        if not core.minimal or (not core.complete and len(core.conflicts) < MAX_CONFLICTS):
            cut_short.append("explanation")
        cores = core.conflicts
        method = "core"
        parts = [_entries_from_core(inst, core, k) for k, core in enumerate(cores, start=1)]
    entries = [e for es, _, _ in parts for e in es]
    for e in entries:
        e["message_zh"] = "；".join(e.pop("_zh"))
        e["message_en"] = "; ".join(e.pop("_en"))
    if not entries:
        lines_zh, lines_en = [message("explain.structural")[0]], [message("explain.structural")[1]]
    elif len(parts) == 1:
        lines_zh, lines_en = parts[0][1], parts[0][2]
    else:
        lines_zh = [f"({k}) " + "；".join(zh) for k, (_, zh, _) in enumerate(parts, start=1)]
        lines_en = [f"({k}) " + "; ".join(en) for k, (_, _, en) in enumerate(parts, start=1)]
    zh, en = message("explain.summary", items="；".join(lines_zh), items_en="; ".join(lines_en))
    out: dict[str, Any] = {
        "method": method,
        "conflicts": len(parts),
        "rules": entries,
        "message_zh": zh,
        "message_en": en,
        "minimal": minimal,
        "all_conflicts": complete,
        "relaxations": [],
    }
    if relax and entries:
        combined = None
        budget = time_limit - (time.perf_counter() - t0)
        if deadline is not None:
            budget = min(budget, remaining(deadline, clock) or 0.0)
        if budget < MIN_SEARCH_S:
            cut_short.append("relaxations")
        else:
            if method == "core" and len(parts) > 1:
                together = fewest_relaxations(core.builder, time_limit=min(5.0, time_limit / 6), workers=workers)
                combined = _combined_from_groups(inst, together) if together else None
            left = time_limit - (time.perf_counter() - t0)
            # without a deadline the advice gets at least a second, as it always did
            left = max(1.0, left) if deadline is None else min(left, remaining(deadline, clock) or 0.0)
            out["relaxations"] = relaxations(inst, entries, time_limit=left, workers=workers, combined=combined)
            if any(r.get("status") == "skipped" for r in out["relaxations"]):
                cut_short.append("relaxations")
    out["cut_short"] = cut_short
    out["wall_time_s"] = round(time.perf_counter() - t0, 3)
    return out


__all__ = ["explain", "remaining", "MIN_SEARCH_S", "hall_groups", "assumption_core", "relaxations", "required_posts"]
