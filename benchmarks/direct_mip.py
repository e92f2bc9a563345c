"""A hand-written direct MIP of the planner's rules, solved by HiGHS through `highspy` — a benchmark peer.

    python -m benchmarks.direct_mip SCENARIO.json --time-limit 60 [--out plan.json]
    python -m benchmarks.direct_mip --make-scenario --townships 30 --seed 1 [--pool-ratio 2.0] [--perturb 4] --out m1.json

Written as an OR engineer would, from shared/spec/RULES.md and the checks in planner/rules, not translated from
the planner's CP-SAT model: one binary column per placement the hard pair rules allow (the planner's own
candidate generation, `planner/solver/candidates.py`, plain Python), one aggregated linear row per team or
county count, no big-M; a soft count rule gets one integer shortfall column per row. The matrix is assembled
from numpy arrays (cadre index, post index and township index per column). One wave only.

This process never imports ortools (asserted before highspy is imported: the two clash in one process). HiGHS
runs as `benchmarks.highs_direct` sets it: one thread, presolve off, mip_rel_gap 0, mip_abs_gap 0.999 (the
objective is integral, so "optimal" is a proof). The plan is audited by the independent checker
(`planner.audit.check`), whose objective is in the same units as the planner's.

Prints one line ``RESULT {json}``: status (optimal / feasible / infeasible / unknown; `refused` with the reason
for a scenario this model does not encode — waves, or a rule it does not know), objective, bound, build_s,
solve_s, total_s, columns, rows, check_ok, check_broken. Exit 0 plan found, 1 none, 2 refused or bad input.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

from planner.domain.documents import Assignment, Plan
from planner.domain.load import Instance, load_scenario
from planner.domain.vocab import KEY_ROLES, PRINCIPAL_ROLES, RANK_LEVEL
from planner.rules import REGISTRY
from planner.rules.base import DepartureRule, PairRule, post_key
from planner.solver.candidates import candidate_pairs  # pure Python: planner.solver imports nothing itself

#: the rules this model encodes, in every mode the policy may give them (hard rows or column bounds; soft
#: objective terms or shortfall columns). A rule that is on and not listed here makes the model refuse.
PAIR_RULES = {rid for rid, r in REGISTRY.items() if isinstance(r, PairRule)}
DEPARTURE_RULES = {rid for rid, r in REGISTRY.items() if isinstance(r, DepartureRule)}
COUNT_RULES = {
    "team-experience",
    "young-principals",
    "young-members",
    "young-members-team",
    "under-30",
    "women",
    "minority-share",
    "non-cpc-share",
}
OTHER_RULES = {
    "one-post",
    "pin",
    "forbid",
    "principal-filled",
    "post-filled",
    "principal-change",
    "seamless-handover",
    "stability",
    "kinship-avoidance",
}
ENCODED = PAIR_RULES | DEPARTURE_RULES | COUNT_RULES | OTHER_RULES
INF = math.inf


class Refused(Exception):
    """The scenario asks for something this model does not encode (it never solves a different problem)."""


class Infeasible(Exception):
    """Infeasible by construction (a required row without any column, a pinned pair a hard rule excludes)."""


def refusal(inst: Instance) -> str | None:
    """Why this model cannot solve `inst` exactly (None: it can)."""
    if inst.waves != 1:
        return f"waves = {inst.waves}: the direct MIP encodes one-wave plans only"
    unknown = [rid for rid, cfg in inst.policy.items() if cfg.on and rid not in ENCODED]
    if unknown:
        return "rule(s) not encoded by the direct MIP: " + ", ".join(f"{r} ({inst.policy[r].mode})" for r in unknown)
    return None


class DirectMip:
    """Columns 0..n_pairs−1 are the placements x[c,p]; shortfall columns follow. Rows are added in families."""

    def __init__(self, inst: Instance) -> None:
        reason = refusal(inst)
        if reason:
            raise Refused(reason)
        self.inst = inst
        self.date = inst.date_of_wave(1)
        self.cadres = list(inst.cadres)
        self.posts = list(inst.posts)
        self.towns = list(inst.townships)
        cix = {c: i for i, c in enumerate(self.cadres)}
        pix = {p: i for i, p in enumerate(self.posts)}
        tix = {t: i for i, t in enumerate(self.towns)}
        self.cix, self.pix = cix, pix
        cands = candidate_pairs(inst, self.date, set(inst.pins))
        self.pairs = cands.pairs
        n = self.n_pairs = len(self.pairs)
        self.cad = np.fromiter((cix[c] for c, _ in self.pairs), dtype=np.int64, count=n)
        self.pst = np.fromiter((pix[p] for _, p in self.pairs), dtype=np.int64, count=n)
        # per post and per cadre facts, as arrays
        P = [inst.posts[p] for p in self.posts]
        self.p_town = np.array([tix[p.township] for p in P], dtype=np.int64)
        self.p_role = np.array([p.role for p in P], dtype=object)
        self.p_level = np.array([RANK_LEVEL[p.rank] for p in P], dtype=np.int64)
        self.p_key = np.array([p.role in KEY_ROLES for p in P], dtype=bool)
        self.p_principal = np.array([p.role in PRINCIPAL_ROLES for p in P], dtype=bool)
        C = [inst.cadres[c] for c in self.cadres]
        self.c_level = np.array([RANK_LEVEL[c.rank] for c in C], dtype=np.int64)
        self.c_cur = np.array([pix[c.current_post] if c.current_post else -1 for c in C], dtype=np.int64)
        self.c_leaving = np.array([c.leaving for c in C], dtype=bool)
        self.stay = self.c_cur[self.cad] == self.pst
        self.col_town = self.p_town[self.pst]
        # the model under construction
        self.lb = [np.zeros(n)]
        self.ub = [np.ones(n)]
        self.cost = np.zeros(n)  # placements' objective coefficients (shortfalls' go to `extra_cost`)
        self.extra_cost: list[np.ndarray] = []
        self.n_cols = n
        self.offset = 0
        self.R: list[np.ndarray] = []
        self.Cc: list[np.ndarray] = []
        self.V: list[np.ndarray] = []
        self.lo: list[np.ndarray] = []
        self.hi: list[np.ndarray] = []
        self.n_rows = 0
        self.row_rule: list[tuple[str, int, Any]] = []  # (rule, first row, row names) per family
        self._forced(cands.forced)
        self._build()

    # ------------------------------------------------------------------ building blocks
    def rows(self, rule: str, row: Any, col: Any, val: Any, lo: Any, hi: Any, k: int, names: Any = None) -> None:
        """A family of `k` rows: entry i is (row[i], col[i], val[i]); bounds lo ≤ Σ ≤ hi (scalars or arrays);
        `names` (a team, a post per row) name a row that cannot hold."""
        keep = val != 0
        self.row_rule.append((rule, self.n_rows, names))
        self.R.append(row[keep] + self.n_rows)
        self.Cc.append(col[keep])
        self.V.append(np.asarray(val, dtype=np.float64)[keep])
        self.lo.append(np.broadcast_to(np.asarray(lo, dtype=np.float64), (k,)).copy())
        self.hi.append(np.broadcast_to(np.asarray(hi, dtype=np.float64), (k,)).copy())
        self.n_rows += k

    def shortfall(self, k: int, ub: Any, weight: int) -> np.ndarray:
        """`k` integer columns in [0, ub], each costing `weight`; returns their indices."""
        idx = np.arange(self.n_cols, self.n_cols + k)
        self.lb.append(np.zeros(k))
        self.ub.append(np.broadcast_to(np.asarray(ub, dtype=np.float64), (k,)).copy())
        self.extra_cost.append(np.full(k, float(weight)))
        self.n_cols += k
        return idx

    def constrain(
        self, rule: str, row: Any, col: Any, val: Any, lo: Any, hi: Any, k: int, slack: Any, names: Any = None
    ) -> None:
        """The rule's rows, hard; soft: each row gets a shortfall column with coefficient `slack[r]` (den for
        ≥ rows, −1 for ≤ rows) priced at the rule's weight."""
        cfg = self.inst.policy[rule]
        if not cfg.on:
            return
        if cfg.soft:
            s = self.shortfall(k, INF, cfg.weight)
            coef = np.broadcast_to(np.asarray(slack, dtype=np.float64), (k,))
            row = np.concatenate([row, np.arange(k)])
            col = np.concatenate([col, s])
            val = np.concatenate([np.asarray(val, dtype=np.float64), coef])
        self.rows(rule, row, col, val, lo, hi, k, names)

    def mask(self, pred: Any) -> np.ndarray:
        """pred(cadre) per column, asked once per cadre."""
        per_cadre = np.fromiter((bool(pred(c)) for c in self.cadres), dtype=bool, count=len(self.cadres))
        return per_cadre[self.cad]

    def _forced(self, forced: list[tuple[str, str]]) -> None:
        """Pinned pairs always exist as columns (candidate generation forces them); a forbidden one, or one a hard
        pair rule excludes, is fixed to 0 (and a pin on it is then impossible)."""
        inst = self.inst
        self.forced_bad: dict[int, str] = {}
        index = {pair: j for j, pair in enumerate(self.pairs)}
        for cadre, post in forced:
            j = index[(cadre, post)]
            why = "forbid" if (cadre, post) in inst.forbids else None
            for rid, r in REGISTRY.items():
                cfg = inst.policy[rid]
                if why or not (isinstance(r, PairRule) and cfg.hard and not r.bonus):
                    continue
                if r.new_only and inst.cadres[cadre].current_post == post:
                    continue
                if r.pair_amount(inst, cfg, cadre, post, self.date):
                    why = rid
            if why:
                self.ub[0][j] = 0.0
                self.forced_bad[j] = why

    # ------------------------------------------------------------------ the rules
    def _build(self) -> None:
        inst, pol = self.inst, self.inst.policy
        n, cols = self.n_pairs, np.arange(self.n_pairs)
        # pins: the column is fixed to 1
        index = {pair: j for j, pair in enumerate(self.pairs)} if inst.pins else {}
        for cadre, post in inst.pins:
            j = index[(cadre, post)]
            if j in self.forced_bad:
                raise Infeasible(f"pin {cadre}->{post} is excluded by {self.forced_bad[j]}")
            self.lb[0][j] = 1.0
        # one-post (per post: ≤ 1 holder) with principal-filled / seamless-handover hard as its lower bound 1
        npost = len(self.posts)
        need = np.zeros(npost)
        pf, ps, sh = pol["principal-filled"], pol["post-filled"], pol["seamless-handover"]
        if pf.hard:
            need[self.p_key] = 1
        seam_roles = set(sh.params.roles) if sh.on else set()
        seam = np.array([r in seam_roles for r in self.p_role], dtype=bool) & np.array(
            [inst.holder[p] is not None for p in self.posts], dtype=bool
        )
        if sh.hard:
            need[seam] = 1
        filled = np.bincount(self.pst, minlength=npost)
        empty_needed = np.flatnonzero((filled == 0) & (need > 0))
        if len(empty_needed):
            p = self.posts[empty_needed[0]]
            rule = "principal-filled" if pf.hard and self.p_key[empty_needed[0]] else "seamless-handover"
            raise Infeasible(f"{rule}: post {p} has no eligible candidate")
        self.rows("one-post", self.pst, cols, np.ones(n), need, 1, npost, self.posts)
        self.rows("one-post", self.cad, cols, np.ones(n), 0, 1, len(self.cadres))
        # filling, soft: weight × (1 − filled(p)) for every covered post
        for cfg, covered in ((pf, self.p_key), (ps, ~self.p_key)):
            if cfg.soft and cfg.weight:
                self.offset += cfg.weight * int(covered.sum())
                self.cost -= cfg.weight * covered[self.pst]
        if sh.soft:  # filled(p) + v ≥ 1 for a covered post with an incumbent
            posts = np.flatnonzero(seam)
            at = np.full(npost, -1)
            at[posts] = np.arange(len(posts))
            sel = at[self.pst] >= 0
            ones = np.ones(int(sel.sum()))
            self.constrain("seamless-handover", at[self.pst][sel], cols[sel], ones, 1, INF, len(posts), 1)
        self._pair_costs()
        self._departures()
        self._counts()
        self._principal_change()
        self._kinship()

    def _pair_costs(self) -> None:
        """Soft pair rules: weight × amount on each column they hit (new placements only for appointment rules)."""
        inst = self.inst
        for rid in sorted(PAIR_RULES):
            r, cfg = REGISTRY[rid], inst.policy[rid]
            if not cfg.soft or not cfg.weight:
                continue
            coef = r.sign() * cfg.weight
            key = post_key(rid)
            keys = [key(inst.posts[p]) for p in self.posts]
            cache: dict[tuple, int] = {}
            for j, (cadre, post) in enumerate(self.pairs):
                if r.new_only and self.stay[j]:
                    continue
                k = (cadre, keys[self.pst[j]])
                a = cache.get(k)
                if a is None:
                    a = cache[k] = r.pair_amount(inst, cfg, cadre, post, self.date)
                if a:
                    self.cost[j] += coef * a

    def _departures(self) -> None:
        """Move rules, per incumbent not leaving: departure = 1 − stay (one wave)."""
        inst, pol = self.inst, self.inst.policy
        stay_col = np.full(len(self.cadres), -1)
        stay_col[self.cad[self.stay]] = np.flatnonzero(self.stay)
        incumbents = [self.cix[c] for c in inst.holder.values() if c is not None]
        incumbents = [i for i in incumbents if not self.c_leaving[i]]
        for rid in sorted(DEPARTURE_RULES):
            r, cfg = REGISTRY[rid], pol[rid]
            if not cfg.on:
                continue
            for i in incumbents:
                amount = r.departure_amount(inst, cfg, self.cadres[i], self.date)
                if not amount:
                    continue
                j = stay_col[i]
                if cfg.hard:
                    if j < 0:
                        raise Infeasible(f"{rid}: {self.cadres[i]} must stay but may not hold today's post")
                    self.lb[0][j] = 1.0
                else:
                    self.offset += cfg.weight * amount
                    if j >= 0:
                        self.cost[j] -= cfg.weight * amount
        st = pol["stability"]
        if not st.on:
            return
        # a step up the ladder: higher rank; into a principal post from a non-principal one; head → secretary
        inc_col = np.zeros(len(self.cadres), dtype=bool)
        inc_col[incumbents] = True
        cur = self.c_cur[self.cad]
        has_cur = cur >= 0
        cur_safe = np.where(has_cur, cur, 0)
        up = (
            has_cur
            & ~self.stay
            & inc_col[self.cad]
            & (
                (self.p_level[self.pst] > self.c_level[self.cad])
                | (self.p_principal[self.pst] & ~self.p_principal[cur_safe])
                | ((self.p_role[cur_safe] == "township_head") & (self.p_role[self.pst] == "party_secretary"))
            )
        )
        kept = (self.stay | up) & inc_col[self.cad]
        if st.soft:  # weight × (1 − stay − Σ up)
            self.offset += st.weight * len(incumbents)
            self.cost -= st.weight * kept
        else:  # hard: stay + Σ up ≥ 1 per incumbent
            at = np.full(len(self.cadres), -1)
            at[incumbents] = np.arange(len(incumbents))
            sel = np.flatnonzero(kept)
            self.rows("stability", at[self.cad[sel]], sel, np.ones(len(sel)), 1, INF, len(incumbents))

    def _counts(self) -> None:
        """Team and county counts: den × count ≥ num × members, i.e. Σ (den·q − num) x ≥ 0 (share), or
        Σ q x ≥ min_count (a fixed count); per team or one county row."""
        inst, pol, d = self.inst, self.inst.policy, self.date
        cols = np.arange(self.n_pairs)
        nt = len(self.towns)
        has_posts = np.array([bool(inst.posts_of[t]) for t in self.towns], dtype=bool)
        ethnic = np.array([inst.is_ethnic(t) for t in self.towns], dtype=bool)

        def share(rule: str, q: np.ndarray, sel: np.ndarray, row: np.ndarray, k: int) -> None:
            fr = pol[rule].params.min_share
            val = fr.denominator * q[sel].astype(np.float64) - fr.numerator
            self.constrain(rule, row[sel], cols[sel], val, 0, INF, k, fr.denominator)

        if pol["team-experience"].on:
            P = pol["team-experience"].params
            share(
                "team-experience",
                self.mask(lambda c: inst.work_years(c, d) >= P.min_years),
                np.ones(self.n_pairs, bool),
                self.col_town,
                nt,
            )
        for rule in ("young-members-team", "minority-share"):
            if pol[rule].on:
                applies = has_posts & (ethnic if rule == "minority-share" else True)
                at = np.full(nt, -1)
                at[applies] = np.arange(int(applies.sum()))
                if rule == "minority-share":
                    q = self.mask(inst.is_minority)
                else:
                    q = self.mask(lambda c, a=pol[rule].params.max_age: inst.age(c, d) <= a)
                share(rule, q, at[self.col_town] >= 0, at[self.col_town], int(applies.sum()))
        for rule in ("under-30", "women"):
            cfg = pol[rule]
            if not cfg.on:
                continue
            if rule == "women":
                q = self.mask(lambda c: inst.cadres[c].gender == "F")
            else:
                q = self.mask(lambda c, a=cfg.params.max_age: inst.age(c, d) <= a)
            at = np.full(nt, -1)
            at[has_posts] = np.arange(int(has_posts.sum()))
            sel = q & (at[self.col_town] >= 0)
            k = int(has_posts.sum())
            if cfg.hard and k:
                hit = np.bincount(at[self.col_town[sel]], minlength=k)
                if cfg.params.min_count > 0 and (hit == 0).any():
                    t = self.towns[np.flatnonzero(has_posts)[np.flatnonzero(hit == 0)[0]]]
                    raise Infeasible(f"{rule}: township {t} has no candidate who qualifies")
            self.constrain(
                rule, at[self.col_town[sel]], cols[sel], np.ones(int(sel.sum())), cfg.params.min_count, INF, k, 1
            )
        one = np.zeros(self.n_pairs, dtype=np.int64)
        if pol["young-principals"].on:
            a = pol["young-principals"].params.max_age
            sel = self.p_principal[self.pst]
            share("young-principals", self.mask(lambda c: inst.age(c, d) <= a), sel, one, 1)
        if pol["young-members"].on:
            a = pol["young-members"].params.max_age
            share("young-members", self.mask(lambda c: inst.age(c, d) <= a), np.ones(self.n_pairs, bool), one, 1)
        if pol["non-cpc-share"].on:
            share(
                "non-cpc-share", self.mask(lambda c: not inst.cadres[c].cpc_member), np.ones(self.n_pairs, bool), one, 1
            )

    def _principal_change(self) -> None:
        """Per township with ≥ 2 principal posts: Σ changed(p) ≤ 1, changed(p) = filled(p) for a vacant post,
        1 − stay(incumbent) otherwise: Σ_vacant Σ x − Σ_held x[inc, p] ≤ 1 − (held posts)."""
        inst = self.inst
        if not inst.policy["principal-change"].on:
            return
        towns = [t for t in self.towns if len(inst.principal_posts(t)) >= 2]
        at = np.full(len(self.towns), -1)
        tix = {t: i for i, t in enumerate(self.towns)}
        at[[tix[t] for t in towns]] = np.arange(len(towns))
        held = np.array([inst.holder[p] is not None for p in self.posts], dtype=bool)
        rhs = np.array([1 - sum(inst.holder[p] is not None for p in inst.principal_posts(t)) for t in towns])
        row = at[self.col_town]
        vacant_col = self.p_principal[self.pst] & ~held[self.pst]
        stay_col = self.p_principal[self.pst] & self.stay
        sel = (row >= 0) & (vacant_col | stay_col)
        val = np.where(vacant_col[sel], 1.0, -1.0)
        self.constrain("principal-change", row[sel], np.flatnonzero(sel), val, -INF, rhs, len(towns), -1, towns)

    def _kinship(self) -> None:
        """Per related pair and township where both may serve: in_t(a) + in_t(b) ≤ 1."""
        inst = self.inst
        if not inst.policy["kinship-avoidance"].on:
            return
        related = {c for c, rel in inst.relatives.items() if rel}
        if not related:
            return
        where: dict[tuple[int, int], list[int]] = {}
        rel_ix = np.array([c in related for c in self.cadres], dtype=bool)
        for j in np.flatnonzero(rel_ix[self.cad]):
            where.setdefault((int(self.cad[j]), int(self.col_town[j])), []).append(int(j))
        row: list[int] = []
        col: list[int] = []
        k = 0
        for a, rels in inst.relatives.items():
            for b in rels:
                if b <= a:
                    continue
                for t in range(len(self.towns)):
                    ca, cb = where.get((self.cix[a], t)), where.get((self.cix[b], t))
                    if ca and cb:
                        row += [k] * (len(ca) + len(cb))
                        col += ca + cb
                        k += 1
        if k:
            self.constrain("kinship-avoidance", np.array(row), np.array(col), np.ones(len(col)), -INF, 1, k, -1)

    # ------------------------------------------------------------------ the arrays
    def arrays(self) -> dict[str, np.ndarray]:
        """The MIP in `benchmarks.highs_direct`'s layout (coordinate entries, bounds, costs, offset)."""
        c = np.concatenate([self.cost] + self.extra_cost) if self.extra_cost else self.cost
        rows = np.concatenate(self.R).astype(np.int64)
        lo, hi = np.concatenate(self.lo), np.concatenate(self.hi)
        count = np.bincount(rows, minlength=self.n_rows)
        bad = np.flatnonzero((count == 0) & ((lo > 0) | (hi < 0)))
        if len(bad):
            r = int(bad[0])
            rule, first, names = next(f for f in reversed(self.row_rule) if f[1] <= r)
            where = f" ({names[r - first]})" if names is not None else ""
            raise Infeasible(f"{rule}{where}: no placement can satisfy its row {r}")
        return {
            "c": c.astype(np.float64),
            "lb": np.concatenate(self.lb),
            "ub": np.concatenate(self.ub),
            "rows": rows,
            "cols": np.concatenate(self.Cc).astype(np.int64),
            "vals": np.concatenate(self.V),
            "lo": lo,
            "hi": hi,
            "offset": np.float64(self.offset),
        }

    def plan(self, x: np.ndarray, status: str) -> Plan:
        assignment: dict[str, str | None] = {p: None for p in self.posts}
        for j in np.flatnonzero(x[: self.n_pairs] > 0.5):
            cadre, post = self.pairs[j]
            assignment[post] = cadre
        holder = self.inst.holder
        return Plan(
            format="reshuffle-plan/1",
            county=self.inst.doc.county.id,
            as_of=self.inst.as_of,
            status=status,
            assignments=[Assignment(post=p, cadre=c, wave=0 if c == holder[p] else 1) for p, c in assignment.items()],
        )


def run(inst: Instance, time_limit: float) -> tuple[dict[str, Any], Plan | None]:
    """Build, solve, decode and audit; the RESULT dict and the plan (None when none was found)."""
    from planner.audit.check import check_plan

    t0 = time.perf_counter()
    out: dict[str, Any] = {"solver": "direct-mip", "posts": len(inst.posts), "cadres": len(inst.cadres)}
    try:
        m = DirectMip(inst)
        model = m.arrays()
    except Refused as exc:
        return {**out, "status": "refused", "reason": str(exc)}, None
    except Infeasible as exc:
        build_s = time.perf_counter() - t0
        res = {**out, "status": "infeasible", "reason": str(exc), "build_s": build_s, "solve_s": 0.0}
        return {**res, "total_s": build_s, "objective": None, "bound": None, "check_ok": None}, None
    build_s = time.perf_counter() - t0
    out.update(build_s=build_s, columns=int(len(model["c"])), placements=m.n_pairs, rows=int(len(model["lo"])))
    out["nonzeros"] = int(len(model["vals"]))
    assert "ortools" not in sys.modules, "highspy must never run beside ortools"
    from benchmarks.highs_direct import solve as highs_solve

    res, x = highs_solve(model, time_limit, threads=1, presolve="off")
    assert "ortools" not in sys.modules
    out.update(status=res["status"], highs_status=res["highs_status"], highs=res["highs"], highs_load_s=res["load_s"])
    out["solve_s"] = res["load_s"] + res["solve_s"]
    out["objective"] = int(round(res["objective"])) if res["objective"] is not None else None
    b = res["bound"]
    out["bound"] = math.ceil(b - 1e-6) if b is not None and math.isfinite(b) else None
    if out["objective"] is not None and out["bound"] is not None:
        out["gap"] = abs(out["objective"] - out["bound"]) / max(1, abs(out["objective"]))
    plan = None
    if x is not None and res["status"] in ("optimal", "feasible"):
        plan = m.plan(x, res["status"])
        rep = check_plan(inst, plan)
        plan = plan.model_copy(update={"objective": out["objective"], "bound": out["bound"]})
        out.update(
            check_ok=rep.ok, check_objective=rep.objective, check_broken=sorted({v.rule for v in rep.hard_violations})
        )
        out["breakdown"] = rep.breakdown
    else:
        out.update(check_ok=None, check_objective=None, check_broken=None)
    out["total_s"] = time.perf_counter() - t0
    return out, plan


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("scenario", nargs="?", help="the scenario file (JSON)")
    ap.add_argument("--time-limit", type=float, default=60.0)
    ap.add_argument("--out", help="write the plan document here (with --make-scenario: the scenario)")
    ap.add_argument("--make-scenario", action="store_true", help="write a synthetic county under the reduced policy")
    ap.add_argument("--townships", type=int, default=30)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--pool-ratio", type=float, default=2.0)
    ap.add_argument("--keep-soft", default="post-filled,stability", help="soft rules the reduced policy keeps")
    ap.add_argument(
        "--perturb",
        type=int,
        default=0,
        metavar="N",
        help="with --make-scenario: N pins forcing lateral moves, N forbids evicting incumbents, two more "
        "leavers and a related pair (benchmarks.direct_policy.perturb, seeded by --seed): an optimum that costs",
    )
    a = ap.parse_args(argv)
    if a.make_scenario:
        from benchmarks.direct_policy import perturb, synthetic_scenario

        if not a.out:
            ap.error("--make-scenario needs --out")
        keep = [r for r in a.keep_soft.split(",") if r]
        doc = synthetic_scenario(a.townships, a.seed, a.pool_ratio, keep)
        if a.perturb:
            doc = perturb(doc, a.seed, a.perturb)
        Path(a.out).write_text(json.dumps(doc, ensure_ascii=False, indent=1), encoding="utf-8")
        print(
            f"wrote {a.out}: {len(doc['townships'])} townships, {len(doc['posts'])} posts, {len(doc['cadres'])} cadres"
        )
        return 0
    if not a.scenario:
        ap.error("a scenario file is needed (or --make-scenario)")
    from planner.domain.errors import InputError

    t0 = time.perf_counter()
    try:
        inst = load_scenario(a.scenario)
    except InputError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    load_s = time.perf_counter() - t0
    out, plan = run(inst, a.time_limit)
    out["load_s"] = load_s
    if out["status"] == "refused":
        print(f"direct MIP refuses this scenario: {out['reason']}", file=sys.stderr)
    if a.out and plan is not None:
        Path(a.out).write_text(plan.model_dump_json(indent=1, exclude_none=True), encoding="utf-8")
    print("RESULT " + json.dumps(out), flush=True)
    return 2 if out["status"] == "refused" else 0 if plan is not None else 1


if __name__ == "__main__":
    sys.exit(main())
