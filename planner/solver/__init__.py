"""The optimiser: candidate placements, the CP-SAT model (Builder), the LP phase, the greedy plan, solve()."""

from planner.solver.options import SolveControl, SolveOptions, SolveResult
from planner.solver.solve import solve

__all__ = ["SolveControl", "SolveOptions", "SolveResult", "solve"]
