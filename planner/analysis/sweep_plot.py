"""The sweep's heat map: county × variant, coloured by cost, ✕ where no plan exists (matplotlib)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from planner.domain.policy import CATALOGUE

#: CP-SAT workers per CPU a cell is given: the product's measured portfolio is 8 interleaved workers on this
#: 2-core machine (planner.solver.options), i.e. 4 per core
WORKERS_PER_CPU = 4
#: the quota rules whose reached value is tabled (the most demanding threshold the final teams meet)
QUOTAS = ("young-principals", "young-members", "young-members-team", "under-30", "team-experience", "women")
COST_COLUMNS = [f"cost.{rid}" for rid in CATALOGUE] + ["cost.wave-delay"]
COLUMNS = (
    [
        "key",
        "scenario",
        "variant",
        "status",
        "objective",
        "bound",
        "gap",
        "checker_ok",
        "checker_objective",
        "hard_violations",
        "moves",
        "townships",
        "posts",
        "cadres",
        "time_limit_s",
        "workers",
        "wall_s",
        "blocking_rules",
        "error",
    ]
    + COST_COLUMNS
    + [f"quota.{rid}" for rid in QUOTAS]
)


def heatmap(rows: list[dict[str, Any]], out: Path) -> Path | None:
    """County × variant: colour = objective (row-normalised), ✕ = no plan, text = objective / moves. None
    without matplotlib."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return None
    import math

    latest = {r["key"]: r for r in rows}
    counties = list(dict.fromkeys(r["scenario"] for r in latest.values()))
    variants = list(dict.fromkeys(r["variant"] for r in latest.values()))
    cell = {(r["scenario"], r["variant"]): r for r in latest.values()}
    values, labels = [], []
    for c in counties:
        objs = [_num(cell.get((c, v), {}).get("objective")) for v in variants]
        finite = [o for o in objs if o is not None]
        lo, hi = (min(finite), max(finite)) if finite else (0, 1)
        values.append([math.nan if o is None else (0.0 if hi == lo else (o - lo) / (hi - lo)) for o in objs])
        labels.append([_label(cell.get((c, v))) for v in variants])
    fig, ax = plt.subplots(figsize=(1.6 + 1.3 * len(variants), 1.0 + 0.45 * len(counties)))
    cmap = matplotlib.colormaps["YlOrRd"].with_extremes(bad="#cccccc")
    ax.imshow(values, cmap=cmap, vmin=0, vmax=1, aspect="auto")
    for i, row in enumerate(labels):
        for j, text in enumerate(row):
            ax.text(j, i, text, ha="center", va="center", fontsize=8)
    ax.set_xticks(range(len(variants)), variants, rotation=30, ha="right")
    ax.set_yticks(range(len(counties)), counties)
    ax.set_title("objective by county x variant (grey x = no plan)", fontsize=10)
    fig.tight_layout()
    fig.savefig(out, dpi=120)
    plt.close(fig)
    return Path(out)


def _num(value: Any) -> float | None:
    try:
        return float(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


def _label(r: dict[str, Any] | None) -> str:
    if r is None:
        return ""
    if r.get("status") not in ("optimal", "feasible"):
        return "x " + str(r.get("status"))
    return f"{r.get('objective')}\n{r.get('moves')} moves"
