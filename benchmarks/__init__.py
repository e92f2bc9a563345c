"""Benchmarks: the planner against peers (a MIP of the same model for HiGHS and SCIP, the greedy heuristic) on
synthetic counties. `python -m benchmarks.run --help`."""
