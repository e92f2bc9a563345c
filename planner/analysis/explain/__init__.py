"""__init__"""


from __future__ import annotations

import time
from typing import Any


from planner.domain.load import Instance
from planner.i18n import message
from planner.analysis.explain.relax import _combined_from_groups, relaxations
from planner.analysis.explain.cores import _entries_from_core, assumption_core, fewest_relaxations
from planner.analysis.explain.hall import _entries_from_group, hall_groups

# -------------------------------------------------------------------------------------------- explain


def explain(inst: Instance, *, time_limit: float = 30.0, relax: bool = True, workers: int = 8) -> dict[str, Any]:
    """Why `inst` has no plan, as a JSON-able dict (the plan's ``explanation``). See the module docstring.

    Shape: ``{"method": "matching"|"core"|"none"|"unknown", "conflicts": n, "rules": [{"rule", "name_zh",
    "name_en", "townships", "posts", "cadres", "message_zh", "message_en", "conflict", …}], "message_zh",
    "message_en", "minimal", "relaxations": [...], "wall_time_s"}``. Each conflict needs a fix of its own;
    ``minimal`` says every rule instance named was proven necessary.
    """
    t0 = time.perf_counter()
    groups = hall_groups(inst)
    minimal, complete = True, True  # Hall groups are disjoint and each is a complete reason on its own
    parts: list[tuple[list[dict], list[str], list[str]]] = []
    if groups:
        method = "matching"
        parts = [_entries_from_group(inst, g, k) for k, g in enumerate(groups, start=1)]
    else:
        core = assumption_core(inst, time_limit=time_limit * (0.5 if relax else 1.0), workers=workers)
        minimal, complete = core.minimal, core.complete
        if core.status != "infeasible":
            zh, en = message("explain.none" if core.status == "feasible" else "explain.unknown")
            return {"method": "none" if core.status == "feasible" else "unknown", "conflicts": 0, "rules": [],
                    "message_zh": zh, "message_en": en, "minimal": False, "relaxations": [],
                    "wall_time_s": round(time.perf_counter() - t0, 3)}
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
    out = {"method": method, "conflicts": len(parts), "rules": entries, "message_zh": zh, "message_en": en,
           "minimal": minimal, "all_conflicts": complete, "relaxations": []}
    if relax and entries:
        combined = None
        if method == "core" and len(parts) > 1:
            groups = fewest_relaxations(core.builder, time_limit=min(5.0, time_limit / 6), workers=workers)
            combined = _combined_from_groups(inst, groups) if groups else None
        left = max(1.0, time_limit - (time.perf_counter() - t0))
        out["relaxations"] = relaxations(inst, entries, time_limit=left, workers=workers, combined=combined)
    out["wall_time_s"] = round(time.perf_counter() - t0, 3)
    return out


__all__ = ["explain", "hall_groups", "assumption_core", "relaxations", "required_posts"]
