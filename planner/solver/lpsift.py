"""The LP relaxation of a CP-SAT model by sifting (column generation over the model's own columns).

A county model has few rows (one per post, cadre, team and county count) and very many columns (one per
possible placement: 135k at 30 townships, 3M for a 150-township prefecture), and at an LP optimum almost all
placements sit at 0. Sifting solves the LP over a working set of columns with GLOP, prices *every* column
with numpy against the duals (reduced cost d = c − Aᵀy), adds the most negative ones and repeats until none
is negative: the LP optimum over all columns, with reduced costs for all of them, while GLOP only ever sees a
small LP.

Every row gets two elastic slack columns of cost `big` so that any working set is feasible. The elastic LP is
a relaxation of the model (slacks at 0 are the model's rows), so its optimum is a valid lower bound and its
reduced costs are valid for reduced-cost fixing even if some slack stays positive (then `elastic` is set: the
bound is weaker, never wrong). `lpfix` uses this in place of one GLOP call on the whole model.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import Any, Callable

import numpy as np
from ortools.linear_solver import linear_solver_pb2, pywraplp
from ortools.sat import cp_model_pb2

_BIG = 2**62


class Unsupported(ValueError):
    """The model holds a constraint the translation does not cover (e.g. enforcement literals)."""


@dataclass
class SparseLP:
    """min c·x + offset  s.t.  lo ≤ A x ≤ hi,  lb ≤ x ≤ ub  (A in coordinate form, sorted by row)."""

    c: np.ndarray
    lb: np.ndarray
    ub: np.ndarray
    rows: np.ndarray
    cols: np.ndarray
    vals: np.ndarray
    lo: np.ndarray
    hi: np.ndarray
    offset: float

    @property
    def n(self) -> int:
        return len(self.c)

    @property
    def m(self) -> int:
        return len(self.lo)

    def boolean(self) -> np.ndarray:
        return (self.lb == 0) & (self.ub == 1)


def _b(v: int) -> float:
    return -math.inf if v <= -_BIG else math.inf if v >= _BIG else float(v)


def sparse_of(proto: cp_model_pb2.CpModelProto) -> SparseLP:
    """The LP relaxation of `proto`: linear, at_most_one, exactly_one, bool_or and bool_and constraints and a
    linear objective (all this planner's rules produce without `explain`); anything else is `Unsupported`."""
    n = len(proto.variables)
    lb = np.empty(n)
    ub = np.empty(n)
    for i, v in enumerate(proto.variables):
        d = v.domain
        if len(d) != 2:
            raise Unsupported("a variable domain with holes")
        lb[i], ub[i] = _b(d[0]), _b(d[1])
    rows: list[np.ndarray] = []
    cols: list[np.ndarray] = []
    vals: list[np.ndarray] = []
    lo: list[float] = []
    hi: list[float] = []

    def row(idx: np.ndarray, coef: np.ndarray, low: float, high: float) -> None:
        rows.append(np.full(len(idx), len(lo), dtype=np.int64))
        cols.append(idx)
        vals.append(coef)
        lo.append(low)
        hi.append(high)

    for ct in proto.constraints:
        if ct.enforcement_literal:
            raise Unsupported("a constraint with enforcement literals")
        kind = ct.WhichOneof("constraint")
        if kind == "linear":
            dom = ct.linear.domain
            if len(dom) != 2:
                raise Unsupported("a linear constraint whose domain has holes")
            idx = np.asarray(ct.linear.vars, dtype=np.int64)
            if (idx < 0).any():
                raise Unsupported("a negated reference in a linear constraint")
            row(idx, np.asarray(ct.linear.coeffs, dtype=float), _b(dom[0]), _b(dom[1]))
        elif kind in ("at_most_one", "exactly_one", "bool_or", "bool_and"):
            lits = np.asarray(getattr(ct, kind).literals, dtype=np.int64)
            neg = lits < 0
            idx = np.where(neg, -lits - 1, lits)
            coef = np.where(neg, -1.0, 1.0)
            if kind == "bool_and":  # each literal true: one row per literal
                for j in range(len(idx)):
                    row(idx[j : j + 1], coef[j : j + 1], 0.0 if neg[j] else 1.0, math.inf)
                continue
            if len(np.unique(idx)) != len(idx):  # a variable twice (x and not x): one coefficient, summed
                idx, inv = np.unique(idx, return_inverse=True)
                coef = np.bincount(inv, weights=coef)
            const = float(neg.sum())
            low, high = {"at_most_one": (-math.inf, 1.0), "exactly_one": (1.0, 1.0), "bool_or": (1.0, math.inf)}[kind]
            row(idx, coef, low - const, high - const)
        else:
            raise Unsupported(f"constraint kind {kind}")
    obj = proto.objective
    if obj.scaling_factor not in (0.0, 1.0) or proto.HasField("floating_point_objective"):
        raise Unsupported("a scaled or floating-point objective")
    c = np.zeros(n)
    ov = np.asarray(obj.vars, dtype=np.int64)
    if (ov < 0).any():
        raise Unsupported("a negated reference in the objective")
    np.add.at(c, ov, np.asarray(obj.coeffs, dtype=float))
    empty_i, empty_f = np.zeros(0, dtype=np.int64), np.zeros(0)
    return SparseLP(
        c=c,
        lb=lb,
        ub=ub,
        rows=np.concatenate(rows) if rows else empty_i,
        cols=np.concatenate(cols) if cols else empty_i,
        vals=np.concatenate(vals) if vals else empty_f,
        lo=np.asarray(lo),
        hi=np.asarray(hi),
        offset=float(obj.offset),
    )


@dataclass
class LpSolution:
    status: str  # "optimal" | "time-limit" | "failed"
    objective: float | None = None  # including the offset
    x: np.ndarray | None = None
    rc: np.ndarray | None = None
    rounds: int = 0
    columns: int = 0  # columns of the last working LP (slacks excluded)
    elastic: bool = False  # some slack positive at the end: a weaker (still valid) bound
    note: str = ""


def solve_mp(
    mp: linear_solver_pb2.MPModelProto, solver_type: str, time_limit: float | None = None, log: bool = False
) -> linear_solver_pb2.MPSolutionResponse:
    """Solve through pywraplp's proto entry point (GLOP, HIGHS, SCIP…); status codes as in MPSolverResponseStatus."""
    req = linear_solver_pb2.MPModelRequest()
    req.model.CopyFrom(mp)
    req.solver_type = linear_solver_pb2.MPModelRequest.SolverType.Value(solver_type)
    if time_limit is not None:
        req.solver_time_limit_seconds = float(time_limit)
    req.enable_internal_solver_output = log
    resp = linear_solver_pb2.MPSolutionResponse()
    out = pywraplp.Solver.SolveWithProto(req, resp)
    return out if out is not None and hasattr(out, "status") else resp


def to_mp(
    lp: SparseLP, cols: np.ndarray | None = None, *, big: float | None = None, integer: bool = False
) -> linear_solver_pb2.MPModelProto:
    """`lp` as an MPModelProto: the columns `cols` (sorted; all when None — variable k of the proto is cols[k]),
    with two slack columns of cost `big` per row when `big` is given (elastic), every column integer when
    `integer` (the MIP the benchmarks hand to HiGHS and SCIP)."""
    cols = np.arange(lp.n) if cols is None else cols
    mp = linear_solver_pb2.MPModelProto()
    for j in cols.tolist():
        v = mp.variable.add()
        v.lower_bound, v.upper_bound, v.objective_coefficient = lp.lb[j], lp.ub[j], lp.c[j]
        v.is_integer = integer
    k = len(cols)
    if big is not None:
        for _ in range(2 * lp.m):
            v = mp.variable.add()
            v.lower_bound, v.upper_bound, v.objective_coefficient = 0.0, math.inf, big
    local = np.full(lp.n, -1, dtype=np.int64)
    local[cols] = np.arange(k)
    keep = local[lp.cols] >= 0
    r, li, va = lp.rows[keep], local[lp.cols[keep]], lp.vals[keep]
    starts = np.searchsorted(r, np.arange(lp.m + 1))
    li_l, va_l = li.tolist(), va.tolist()
    for i in range(lp.m):
        c = mp.constraint.add()
        a, b = int(starts[i]), int(starts[i + 1])
        c.var_index.extend(li_l[a:b] + ([k + 2 * i, k + 2 * i + 1] if big is not None else []))
        c.coefficient.extend(va_l[a:b] + ([1.0, -1.0] if big is not None else []))
        c.lower_bound, c.upper_bound = lp.lo[i], lp.hi[i]
    mp.objective_offset = lp.offset
    return mp


def _model_builder() -> Any:
    """OR-Tools' model builder (`ortools.linear_solver.python.model_builder_helper`), imported when the LP phase
    runs. Imported by name: its pybind11 stubs, once mypy reads them, hide the package's other modules."""
    import importlib

    return importlib.import_module("ortools.linear_solver.python.model_builder_helper")


def _glop(
    lp: SparseLP,
    cols: np.ndarray,
    big: float,
    time_limit: float,
    attach: Callable[[Any], None] | None = None,
) -> Any:
    """GLOP on the columns `cols` of `lp`, each row with two elastic slack columns of cost `big`.

    The LP goes to GLOP from arrays (OR-Tools' model builder, a CSR matrix) rather than through an
    MPModelProto written field by field: measured at 30 townships (154k columns), 0.30–0.32 s → 0.01–0.02 s to
    hand the LP over, GLOP's own time unchanged (same optimum, same reduced costs to the bit)."""
    from scipy import sparse

    local = np.full(lp.n, -1, dtype=np.int64)
    local[cols] = np.arange(len(cols))
    keep = local[lp.cols] >= 0
    m, k = lp.m, len(cols)
    a = sparse.csr_matrix((lp.vals[keep], (lp.rows[keep], local[lp.cols[keep]])), shape=(m, k))
    eye = sparse.identity(m, format="csr")
    mb = _model_builder()
    model = mb.ModelBuilderHelper()
    model.fill_model_from_sparse_data(
        np.concatenate([lp.lb[cols], np.zeros(2 * m)]),
        np.concatenate([lp.ub[cols], np.full(2 * m, math.inf)]),
        np.concatenate([lp.c[cols], np.full(2 * m, big)]),
        lp.lo,
        lp.hi,
        sparse.hstack([a, eye, -eye], format="csr"),
    )
    model.set_objective_offset(lp.offset)
    solver = mb.ModelSolverHelper("glop")
    if math.isfinite(time_limit):
        solver.set_time_limit_in_seconds(float(time_limit))
    if attach is not None:  # a caller that may stop it (`interrupt_solve`) from another thread
        attach(solver)
    solver.solve(model)
    return solver


def solve_lp(
    lp: SparseLP,
    *,
    start: np.ndarray | None = None,
    time_limit: float = math.inf,
    batch: int | None = None,
    whole_below: int = 300_000,
    tol: float = 1e-7,
    attach: Callable[[Any], None] | None = None,
) -> LpSolution:
    """The LP optimum of `lp` by sifting; `start` (a 0/1 vector, e.g. a known plan) seeds the working set.

    Below `whole_below` columns GLOP gets the whole LP at once (one round): measured at 30 townships (135k
    columns) sifting took 8–17 rounds and no less time than one GLOP call (1.1–1.8 s against 1.2–1.6 s);
    at 150 townships (3.0M columns) it took 47 s where one GLOP call took 295 s.
    `attach(solver)` is handed each GLOP solver before it starts, so that a caller can interrupt it."""
    t0 = time.perf_counter()
    boolean = lp.boolean()
    big = 1000.0 * max(1.0, float(np.abs(lp.c).max(initial=0.0)))
    batch = batch or 5000  # measured at 150 townships: 2,000 → 119 s, 4,000 → 92 s, 5,000 → 47 s, 27k → 192 s
    work = ~boolean if lp.n > whole_below else np.ones(lp.n, dtype=bool)  # non-Booleans (shortfalls…) stay in
    if start is not None:
        work |= start > 0.5
    cheapest = np.argsort(np.where(boolean & ~work, lp.c, np.inf), kind="stable")[:batch]
    work[cheapest[np.isfinite(lp.c[cheapest]) & (lp.c[cheapest] < 0)]] = True
    status = _model_builder().SolveStatus
    out = LpSolution(status="failed")
    while True:
        cols = np.flatnonzero(work)
        left = time_limit - (time.perf_counter() - t0)
        if left <= 0:
            out.status, out.note = "time-limit", "sifting stopped at its time limit"
            return out
        glop = _glop(lp, cols, big, left, attach)
        out.rounds += 1
        if glop.status() != status.OPTIMAL:
            # at its time limit GLOP answers NOT_SOLVED, or FEASIBLE when it has a primal point but no proof
            out.status = "time-limit" if glop.status() in (status.NOT_SOLVED, status.FEASIBLE) else "failed"
            out.note = f"GLOP status {glop.status().name} in round {out.rounds}"
            return out
        y = np.asarray(glop.dual_values())
        rc = lp.c - np.bincount(lp.cols, weights=lp.vals * y[lp.rows], minlength=lp.n)
        # entering: out of the working set, free to rise from 0 (every column outside is at its lower bound)
        entering = np.flatnonzero(~work & (rc < -tol) & (lp.ub > lp.lb))
        if len(entering) == 0:
            val = np.asarray(glop.variable_values())
            x = np.zeros(lp.n)
            x[cols] = val[: len(cols)]
            x[~work] = np.where(np.isfinite(lp.lb[~work]), lp.lb[~work], 0.0)
            slack = val[len(cols) :]
            out.status, out.objective, out.x, out.rc = "optimal", float(glop.objective_value()), x, rc
            out.columns, out.elastic = len(cols), bool((slack > 1e-6).any())
            return out
        if len(entering) > batch:
            entering = entering[np.argpartition(rc[entering], batch)[:batch]]
        work[entering] = True
