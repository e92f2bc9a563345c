"""The sweep's heat map: county × variant, coloured by cost, ✕ where no plan exists (matplotlib)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from planner.i18n import message


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
    ax.set_title(message("sweep.plot.title")[1], fontsize=10)  # matplotlib's default font: no Chinese
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
    return message("sweep.plot.moves", objective=r.get("objective"), moves=r.get("moves"))[1]
