"""The policy frontier: what each value of one rule parameter costs against today's default plan.

For each target value of ``rule.param`` (e.g. ``young-principals.min_share`` from 15% to 35%) the county is
re-planned with the *least disruption* from the default plan (planner.analysis.whatif: fewest changed
posts, then the usual objective) under a policy delta that sets only that parameter. Each point gives the
status, the disruption (posts whose holder differs from the default plan, and whether that minimum is
proven), the moves and objective of the plan, and — where no plan exists — the rules that block it
(planner.analysis.explain, small budget). This answers "what would 20% cost us?".
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from planner.domain.errors import InputError, Problem
from planner.domain.policy import CATALOGUE
from planner.i18n import message


def _problem(location: str, key: str, **fields: Any) -> Problem:
    zh, en = message(key, **fields)
    return Problem(location=location, message_en=en, message_zh=zh)


@dataclass
class FrontierPoint:
    target: float
    status: str
    disruption: int | None = None
    proven: bool = False
    moves: int | None = None
    objective: int | None = None
    checker_ok: bool | None = None
    blocking_rules: list[str] = field(default_factory=list)
    wall_s: float = 0.0


@dataclass
class Frontier:
    rule: str
    param: str
    base_objective: int
    base_moves: int
    points: list[FrontierPoint]
    #: the value of `param` the default plan already reaches (a quota rule's threshold parameter), else None:
    #: every target up to it costs no change
    base_reached: float | int | None = None

    @property
    def impossible_from(self) -> float | None:
        """The first target with no plan (None when every target has one)."""
        return next((p.target for p in self.points if p.status == "infeasible"), None)

    def as_rows(self) -> list[dict[str, Any]]:
        return [{**vars(p), "blocking_rules": ";".join(p.blocking_rules)} for p in self.points]


def targets(start: float, stop: float, step: float) -> list[float]:
    """`start`, `start + step`, … up to `stop` included when it falls on a step, never past it."""
    import math

    if step <= 0 or stop < start:
        raise InputError("frontier", [_problem("--step", "frontier.step")])
    n = math.floor((stop - start) / step + 1e-9)
    return [round(start + k * step, 10) for k in range(n + 1)]


def _check_param(rule: str, param: str) -> None:
    if rule not in CATALOGUE:
        raise InputError("frontier", [_problem("--rule", "frontier.unknown_rule", rule=rule)])
    fields = CATALOGUE[rule].params.model_fields
    if param not in fields:
        have = ", ".join(fields) or "(none)"
        raise InputError("frontier", [_problem("--param", "frontier.unknown_param", rule=rule, param=param, have=have)])


def frontier(
    scenario: Any,
    rule: str,
    param: str,
    values: list[float],
    *,
    time_limit: float = 20.0,
    workers: int = 8,
    explain_time: float = 5.0,
    on_point: Callable[[FrontierPoint], None] | None = None,
) -> Frontier:
    """The frontier of `rule.param` over `values` for `scenario` (path, dict or Instance)."""
    from planner.analysis.delta import delta_applied
    from planner.analysis.explain import explain
    from planner.analysis.explain.relax import THRESHOLDS, achieved
    from planner.analysis.whatif import whatif
    from planner.audit.check import check_plan
    from planner.domain.load import Instance, load_scenario
    from planner.solver.options import SolveOptions
    from planner.solver.solve import solve

    _check_param(rule, param)
    inst = scenario if isinstance(scenario, Instance) else load_scenario(scenario)
    base = solve(inst, SolveOptions(time_limit=time_limit, workers=workers))
    if not base.found or base.plan is None or base.objective is None:
        raise InputError("scenario", [_problem("(scenario)", "frontier.no_base", status=base.status)])
    points: list[FrontierPoint] = []
    for value in values:
        t0 = time.perf_counter()
        delta = {"format": "reshuffle-delta/1", "policy": {rule: {param: value}}}
        res = whatif(inst, base.plan, delta, SolveOptions(time_limit=time_limit, workers=workers))
        pt = FrontierPoint(target=value, status=res.status)
        if res.found and res.plan is not None:
            new_inst = delta_applied(inst.doc, delta).inst
            pt.checker_ok = check_plan(new_inst, res.plan).ok
            diff = res.plan.diff or {}
            pt.disruption = diff.get("disruption")
            pt.proven = bool(diff.get("disruption_proven"))
            pt.moves, pt.objective = len(res.plan.moves), res.objective
        elif res.status == "infeasible":
            why = explain(delta_applied(inst.doc, delta).inst, time_limit=explain_time, relax=False, workers=workers)
            pt.blocking_rules = list(dict.fromkeys(e["rule"] for e in why.get("rules", [])))
        pt.wall_s = round(time.perf_counter() - t0, 3)
        points.append(pt)
        if on_point:
            on_point(pt)
    reached = None
    if THRESHOLDS.get(rule) == param:
        value = achieved(inst, rule, {a.post: a.cadre for a in base.plan.assignments})
        reached = None if value is None else (round(float(value), 4) if param == "min_share" else value)
    return Frontier(rule, param, base.objective, len(base.plan.moves), points, reached)


def plot(fr: Frontier, out: Path, title: str = "") -> Path | None:
    """Disruption and objective against the target; the impossible range shaded, its blocking rules named.
    None without matplotlib."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return None
    ok = [p for p in fr.points if p.disruption is not None]
    fig, ax = plt.subplots(figsize=(7, 4))
    xs = [p.target for p in ok]
    num = lambda k: [float(getattr(p, k) or 0) for p in ok]  # noqa: E731  (set on every point with a plan)
    ax.plot(xs, num("disruption"), "o-", color="#b2182b", label=_en("frontier.plot.changed"))
    ax.plot(xs, num("moves"), "s--", color="#ef8a62", label=_en("frontier.plot.moves"))
    ax.set_xlabel(f"{fr.rule} · {fr.param}")
    ax.set_ylabel(_en("frontier.plot.y"))
    ax2 = ax.twinx()
    ax2.plot(xs, num("objective"), "^:", color="#2166ac", label=_en("frontier.plot.objective"))
    ax2.set_ylabel(_en("frontier.plot.y2"), color="#2166ac")
    start = fr.impossible_from
    if start is not None:
        step = (fr.points[1].target - fr.points[0].target) if len(fr.points) > 1 else 0.05
        ax.axvspan(start - step / 2, fr.points[-1].target + step / 2, color="#dddddd", zorder=0)
        blocking = next(p.blocking_rules for p in fr.points if p.target == start)
        ax.text(
            start - step / 2 + step * 0.05,
            ax.get_ylim()[1] * 0.97,
            _en("frontier.plot.blocked", rules="\n".join(blocking)),
            fontsize=7,
            va="top",
        )
    handles = ax.get_legend_handles_labels()[0] + ax2.get_legend_handles_labels()[0]
    labels = ax.get_legend_handles_labels()[1] + ax2.get_legend_handles_labels()[1]
    ax.legend(handles, labels, loc="upper left", fontsize=8)
    ax.set_title(title or _en("frontier.plot.title", rule=fr.rule, param=fr.param), fontsize=10)
    fig.tight_layout()
    fig.savefig(out, dpi=120)
    plt.close(fig)
    return Path(out)


def _en(key: str, **fields: Any) -> str:
    """The English half (matplotlib's default font has no Chinese glyphs)."""
    return message(key, **fields)[1]


__all__ = ["Frontier", "FrontierPoint", "frontier", "plot", "targets"]
