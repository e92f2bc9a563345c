"""The optimiser: candidate placements, the CP-SAT model (Builder), the LP phase, the greedy plan, solve().

`planner.solver.solve.solve` is the entry point; `SolveOptions`, `SolveControl` and `SolveResult` live in
`planner.solver.options`. Nothing is imported here, so that the pure-Python parts (`candidates`, which the
benchmarks' direct MIP uses in a process that must never load ortools) can be imported on their own.
"""
