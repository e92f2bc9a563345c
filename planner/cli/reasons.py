"""How `planner solve` shows reasons, runner-ups and alternatives (kept apart from solve's own output)."""

from __future__ import annotations

from pathlib import Path

from planner.cli.common import console, dump_json, write_atomic
from planner.i18n import message


def render_reasons(inst, plan) -> None:
    """One line per move: who, where, and why (Chinese; the plan document has both languages)."""
    from planner.analysis.reasons import reasons_text

    moves = [mv for mv in plan.moves if mv.reasons]
    if not moves:
        return
    console.print("[bold]拟任理由 / reasons[/]")
    for mv in sorted(moves, key=lambda m: (m.to is None, m.wave, m.to or "", m.cadre)):
        where = inst.post_label(mv.to) if mv.to else "—"
        console.print(f"  [cyan]{inst.name(mv.cadre)}[/] → {where}: {reasons_text(mv)}", highlight=False)


def render_runner_ups(ans: dict) -> None:
    zh, en = message("runner_up.title")
    console.print(f"[bold]{zh} / {en}[/] ({ans['method']}, {ans['wall_time_s']:.1f}s)")
    for row in ans["posts"]:
        console.print(f"  {row['message_zh']}", highlight=False)


def alt_path(out: Path, rank: int) -> Path:
    """plan.json → plan.alt2.json (rank 1 is `out` itself)."""
    return out if rank == 1 else out.with_name(f"{out.stem}.alt{rank}{out.suffix or '.json'}")


def write_alternatives(inst, ans: dict, out: Path | None) -> None:
    for plan in ans["plans"]:
        alt = plan.alternative
        console.print(f"[bold]{alt['message_zh']}[/] / {alt['message_en']}", highlight=False)
        for d in alt["differs_from_best"]:
            console.print(f"    {inst.post_label(d['post'])}: {d['best_name']} → {d['this_name']}", highlight=False)
        if alt["breakdown_delta"]:
            console.print(
                "    " + "、".join(f"{r['name_zh']}{r['delta']:+d}" for r in alt["breakdown_delta"]), highlight=False
            )
        if out is not None:
            path = alt_path(out, alt["rank"])
            write_atomic(path, dump_json(plan.model_dump(mode="json", by_alias=True, exclude_none=False)))
            console.print(f"    → {path}")
    if len(ans["plans"]) < ans["requested"]:
        zh, en = message("alt.none", d=ans["min_diff"], status=ans["statuses"][-1])
        console.print(f"[yellow]{zh} / {en}[/]")
