"""What a solve is asked (SolveOptions), how it is steered while running (SolveControl), what it returns
(SolveResult)."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any, Callable

from ortools.sat.python import cp_model

from planner.domain.documents import Plan
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from planner.solver.builder import Builder


STATUS = {
    cp_model.OPTIMAL: "optimal",
    cp_model.FEASIBLE: "feasible",
    cp_model.INFEASIBLE: "infeasible",
    cp_model.UNKNOWN: "unknown",
}


@dataclass
class SolveOptions:
    time_limit: float = 30.0
    #: CP-SAT workers. 8 interleaved workers on this 2-core machine prove a 20-township county optimal in
    #: 6–12 s where 2 workers leave a gap after 30 s: the portfolio (LP, reduced-cost, LNS, feasibility jump)
    #: matters more than threads here. Measured in the commit that set it; see README "Performance".
    workers: int = 8
    #: start from the officer-style greedy plan (planner.greedy) when no other hint is given
    greedy_hint: bool = True
    seed: int = 0
    log: bool = False
    #: a full or partial plan (post -> cadre or None) to start from
    hint: dict[str, str | None] | None = None
    #: fix a complete plan (post -> cadre or None): feasibility of exactly that plan
    fixed: dict[str, str | None] | None = None
    #: guard hard rule instances with assumption literals (for explanations)
    explain: bool = False
    #: extra objective terms for callers such as what-if: fn(builder) -> None
    extend: Callable[["Builder"], None] | None = None
    #: called on every improving solution with {"objective", "bound", "wall_time_s", "solutions"}
    progress: Callable[[dict[str, Any]], None] | None = None
    #: LP reduced-cost fixing before CP-SAT (planner.lpfix; exact): GLOP's duals and a quick plan of the model
    #: restricted to cheap placements fix most placement variables. Measured in benchmarks/README.md.
    lp_fix: bool = True
    #: waves: the first answer from the end state (the one-wave relaxation, its moves staged into waves,
    #: audited) — the first progress answer and CP-SAT's full hint (planner.solver.waves)
    wave_first: bool = True
    #: waves: run the LP phase on the wave model too (measured: see benchmarks/README.md, "Waves")
    wave_lp: bool = True


class SolveControl:
    """Lets another thread cancel a running solve (the best plan so far is kept) and read its progress."""

    def __init__(self) -> None:
        #: the solver running now: CP-SAT (`stop_search`) or the LP phase's GLOP (`interrupt_solve`)
        self._solver: Any = None
        self._cancelled = threading.Event()
        self.progress: dict[str, Any] = {}

    def cancel(self) -> None:
        self._cancelled.set()
        solver = self._solver
        if solver is not None:
            stop = getattr(solver, "stop_search", None) or solver.interrupt_solve
            stop()

    @property
    def cancelled(self) -> bool:
        return self._cancelled.is_set()


@dataclass
class SolveResult:
    status: str
    plan: Plan | None
    objective: int | None
    bound: int | None
    gap: float | None
    wall_time_s: float
    build_time_s: float
    breakdown: dict[str, int] = field(default_factory=dict)
    stats: dict[str, Any] = field(default_factory=dict)
    builder: "Builder | None" = field(default=None, repr=False)
    solver: cp_model.CpSolver | None = field(default=None, repr=False)

    @property
    def found(self) -> bool:
        return self.status in ("optimal", "feasible")

    @property
    def document(self) -> Plan:
        """The plan document: :func:`planner.solver.solve` always writes one (`plan` is None only while the result
        is being built), with a status and, when a plan was found, its assignments."""
        if self.plan is None:
            raise RuntimeError("this solve result has no plan document yet")
        return self.plan
