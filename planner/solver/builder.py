"""The CP-SAT planner: build the model from the enabled rules, solve it, return a :class:`SolveResult`.

Model (one wave). For every cadre c and post p that no hard placement rule excludes, a Boolean x[c,p]
("c holds p after the plan"); today's holder keeps a variable for staying. Pruning happens before a variable
exists: rank ladder, promotion gates, qualification, avoidance, party posts, ethnic head, `leaving` and
forbids are decided per pair in plain Python (the same pair predicates the checker uses), so the model only
holds placements that could be legal. Team and county rules add linear constraints over sums of x; soft rules
add ``weight × amount`` terms to one integer objective (penalties minus bonuses) whose value the independent
checker reproduces exactly — the tests assert it for every plan.

Infeasible is a status, not an exception. `explain=True` guards each hard rule instance with an assumption
literal so that :mod:`planner.explain` can ask CP-SAT which of them cannot hold together.
"""

from __future__ import annotations

import time
from collections import defaultdict
from itertools import compress
from typing import Any, Callable, Iterable

import numpy as np
from ortools.sat.python import cp_model, cp_model_helper

from ortools.util.python.sorted_interval_list import Domain

from planner.solver.candidates import candidate_pairs
from planner.audit.check import WAVE_DELAY, WAVE_DELAY_WEIGHT
from planner.domain.load import Instance
from planner.rules import REGISTRY
from planner.solver.options import SolveOptions

# ------------------------------------------------------------------------------------------------ builder

_BOOL = Domain(0, 1)


class BuildOutOfTime(Exception):
    """The deadline passed while the model was being built (`build(..., deadline=...)`)."""


class Builder:
    """The model under construction and the vocabulary rules use to encode themselves.

    Waves. With one wave, x[c,p] = 1 when c holds p after the plan (stays included). With W > 1 waves:
    y[c,p,w] = 1 when c arrives in post p in wave w (a new placement; each cadre moves at most once),
    s[c] = 1 when an incumbent keeps today's post to the end, dep[c,w] = 1 when an incumbent leaves today's
    post in wave w (Σ_w dep + s = 1; arriving elsewhere in wave w means leaving in wave w). Then
        holding(c, today's post, k) = s[c] + Σ_{w>k} dep[c,w]        (still there after wave k)
        holding(c, p, k)            = Σ_{w≤k} y[c,p,w]              (arrived by wave k)
    are linear, every team and county rule is encoded per wave over them, and x[c,p] = holding(c,p,W).
    With W = 1 the same formulas hold with dep[c,1] = 1 − s[c], so the one-wave model is unchanged.
    """

    def __init__(
        self,
        inst: Instance,
        *,
        explain: bool = False,
        fixed: dict[str, str | None] | None = None,
        candidates: Any = None,
        check_time: Callable[[], None] | None = None,
    ):
        self.inst = inst
        self.model = cp_model.CpModel()
        self.W = inst.waves
        self.dates = list(inst.wave_dates)
        self.wave = 1
        self.date = inst.date_of_wave(1)
        self.explain = explain
        self.x: dict[tuple[str, str], Any] = {}  # final holder indicator (a BoolVar)
        self.y: dict[tuple[str, str, int], Any] = {}  # arrivals (W = 1: the x of new placements)
        self.s: dict[str, Any] = {}  # stays
        self.dep: dict[tuple[str, int], Any] = {}  # departures from today's post
        self._by_post: dict[str, list[tuple[str, Any]]] = defaultdict(list)
        self._by_cadre: dict[str, list[tuple[str, Any]]] = defaultdict(list)
        self._arr_post: dict[tuple[str, int], list[tuple[str, Any]]] = defaultdict(list)
        self._arr_cadre: dict[tuple[str, int], list[Any]] = defaultdict(list)
        self._pinned: list[tuple[str, str]] = []
        self.terms: dict[str, list[tuple[int, Any]]] = defaultdict(list)
        #: assumption literal -> (rule id, tag) when explain=True
        self.guards: dict[int, tuple[str, str]] = {}
        self._guard_of: dict[tuple[str, str], Any] = {}
        self.pruned = 0
        self._members: dict[tuple[str, ...], Any] = {}
        self._cadre_ix: dict[str, int] | None = None
        self._ix: dict[str, tuple[np.ndarray, np.ndarray]] = {}  # post -> (cadre indices, variable indices)
        #: W > 1: (post, wave) -> (cadre indices, variables) whose sum is the post's holders after that wave
        self._wcols: dict[tuple[str, int], tuple[np.ndarray, list[Any]]] = {}
        self._wmembers: dict[tuple[tuple[str, ...], int], Any] = {}
        self._check = check_time or _no_check
        self._build_vars(fixed, candidates)

    # ---------------------------------------------------------------- variables
    def _build_vars(self, fixed: dict[str, str | None] | None, first: Any = None) -> None:
        inst = self.inst
        forced: set[tuple[str, str]] = set(inst.pins)
        if fixed is not None:
            forced |= {(c, p) for p, c in fixed.items() if c is not None}
        # `first`: wave 1's candidates, when the caller computed them already (with the pins forced only)
        per_wave = [
            first
            if (k == 0 and first is not None and fixed is None)
            else candidate_pairs(inst, d, forced, check=self._check)
            for k, d in enumerate(self.dates)
        ]
        self._check()
        self._pinned = list(per_wave[0].forced)
        self.pruned = per_wave[0].pruned
        if self.W == 1:
            for n, (cadre, post) in enumerate(per_wave[0].pairs):
                if n % 8192 == 0:
                    self._check()
                var = self._placement()
                self._register(cadre, post, var)
                if post == inst.cadres[cadre].current_post:
                    self.s[cadre] = var
                else:
                    self.y[(cadre, post, 1)] = var
                    self._arr_post[(post, 1)].append((cadre, var))
                    self._arr_cadre[(cadre, 1)].append(var)
            for cadre in self.incumbents():
                self.dep[(cadre, 1)] = 1 - self.s.get(cadre, 0)
            return
        arrivals: dict[tuple[str, str], list[int]] = defaultdict(list)
        for w, cands in enumerate(per_wave, start=1):
            for cadre, post in cands.pairs:
                if post == inst.cadres[cadre].current_post:
                    if w == 1:
                        self.s[cadre] = self.model.new_bool_var(f"s[{cadre}]")
                else:
                    arrivals[(cadre, post)].append(w)
        for n, ((cadre, post), waves) in enumerate(arrivals.items()):
            if n % 8192 == 0:
                self._check()
            ys = []
            for w in waves:
                y = self._placement()
                self.y[(cadre, post, w)] = y
                self._arr_post[(post, w)].append((cadre, y))
                self._arr_cadre[(cadre, w)].append(y)
                ys.append(y)
            x = self._placement()
            self.model.add(x == cp_model.LinearExpr.sum(ys))
            self._register(cadre, post, x)
        for cadre, stay in self.s.items():
            home = inst.cadres[cadre].current_post
            assert home is not None  # a stay is made only for a pair (cadre, current post)
            self._register(cadre, home, stay)
        self._check()
        for cadre in self.incumbents():
            deps = [self.model.new_bool_var(f"dep[{cadre},{w}]") for w in range(1, self.W + 1)]
            self.model.add(sum(deps) + self.s.get(cadre, 0) == 1)
            for w, d in enumerate(deps, start=1):
                self.dep[(cadre, w)] = d
                arr = self._arr_cadre.get((cadre, w))
                if arr:
                    self.model.add(
                        d >= cp_model.LinearExpr.sum(arr)
                    )  # arriving elsewhere in wave w = leaving in wave w
        # a cadre moves at most once; a post has one holder in every wave
        for cadre in inst.cadres:
            ys = [y for w in range(1, self.W + 1) for y in self._arr_cadre.get((cadre, w), [])]
            if len(ys) > 1:
                self.model.add_at_most_one(ys)
        for post in inst.posts:
            for k in range(1, self.W + 1):
                vars_ = self._wave_cols(post, k)[1]
                if len(vars_) > 1:
                    self.model.add(cp_model.LinearExpr.sum(vars_) <= 1)

    def _placement(self) -> Any:
        """A placement's 0/1 variable, unnamed: a county has 10⁵–10⁶ of them, and a name and a fresh domain
        cost more than the variable (1.7 µs → 0.8 µs each; 3M variables on a prefecture). Explanations name
        the placements they forbid themselves (`forbid`'s tag)."""
        return cp_model.IntVar(self.model.model_proto).with_domain(_BOOL)

    def _register(self, cadre: str, post: str, var: Any) -> None:
        self.x[(cadre, post)] = var
        self._by_post[post].append((cadre, var))
        self._by_cadre[cadre].append((post, var))

    def new_int(self, lb: int, ub: int, name: str) -> Any:
        return self.model.new_int_var(lb, ub, name)

    def new_bool(self, name: str) -> Any:
        return self.model.new_bool_var(name)

    # ---------------------------------------------------------------- reading the model
    def waves(self) -> list[tuple[int, Any]]:
        """[(k, date of wave k)] — team and county rules are encoded once per wave."""
        return list(enumerate(self.dates, start=1))

    def pairs(self) -> Iterable[tuple[str, str, Any]]:
        """(cadre, post, final-holder indicator) for every placement that exists (the rules that walk them
        check the build's deadline on the way: every 8,192)."""
        for n, ((c, p), v) in enumerate(self.x.items()):
            if not n & 8191:
                self._check()
            yield c, p, v

    def arrivals(self) -> Iterable[tuple[str, str, int, Any]]:
        """(cadre, post, wave, var) for every new placement (the deadline checked as in `pairs`)."""
        for n, ((c, p, w), v) in enumerate(self.y.items()):
            if not n & 8191:
                self._check()
            yield c, p, w, v

    def pinned_pairs(self) -> Iterable[tuple[str, str, Any]]:
        return ((c, p, self.x[(c, p)]) for c, p in self._pinned)

    def vars_of_post(self, post: str) -> list[tuple[str, Any]]:
        return self._by_post.get(post, [])

    def vars_of_cadre(self, cadre: str) -> list[tuple[str, Any]]:
        return self._by_cadre.get(cadre, [])

    def is_new(self, cadre: str, post: str) -> bool:
        return self.inst.cadres[cadre].current_post != post

    def incumbents(self) -> list[str]:
        return [c for c in self.inst.holder.values() if c is not None]

    def stay(self, cadre: str) -> Any:
        return self.s.get(cadre, 0)

    def left(self, cadre: str) -> Any:
        """1 when an incumbent no longer holds today's post at the end."""
        return 1 - self.stay(cadre)

    def departure(self, cadre: str, wave: int) -> Any:
        """1 when the incumbent leaves today's post in `wave`."""
        return self.dep.get((cadre, wave), 0)

    def holding(self, cadre: str, post: str, wave: int) -> Any:
        """1 when `cadre` holds `post` after `wave`."""
        if post == self.inst.cadres[cadre].current_post:
            return self.stay(cadre) + sum(self.departure(cadre, w) for w in range(wave + 1, self.W + 1))
        ys = [self.y[(cadre, post, w)] for w in range(1, wave + 1) if (cadre, post, w) in self.y]
        return cp_model.LinearExpr.sum(ys) if ys else 0

    def holders(self, post: str) -> list[str]:
        """Everyone who may hold `post` in some wave: today's holder (also one who leaves later) and arrivals."""
        inc = self.inst.holder[post]
        out = [inc] if inc is not None else []
        return out + [c for c, _ in self.vars_of_post(post) if c != inc]

    def posts_of(self, cadre: str) -> list[str]:
        """Every post `cadre` may hold in some wave: today's and those they may arrive in."""
        cur = self.inst.cadres[cadre].current_post
        out = [cur] if cur is not None else []
        return out + [p for p, _ in self.vars_of_cadre(cadre) if p != cur]

    def arrived(self, post: str, wave: int) -> Any:
        """1 when a new holder arrives in `post` in `wave`."""
        ys = [v for _, v in self._arr_post.get((post, wave), [])]
        return cp_model.LinearExpr.sum(ys) if ys else 0

    def tag(self, name: str, wave: int) -> str:
        """A constraint's name for explanations: the township/post, with the wave when there are several."""
        return name if self.W == 1 else f"{name}@{wave}"

    def _last(self, wave: int | None) -> int:
        return self.W if wave is None else wave

    def filled(self, post: str, wave: int | None = None) -> Any:
        k = self._last(wave)
        if self.W == 1:
            vars_ = [v for _, v in self.vars_of_post(post)]
            return cp_model.LinearExpr.sum(vars_) if vars_ else 0
        vars_ = self._wave_cols(post, k)[1]
        return cp_model.LinearExpr.sum(vars_) if vars_ else 0

    def changed(self, post: str, wave: int | None = None) -> Any:
        """1 when the post's holder after `wave` differs from the one before it."""
        k = self._last(wave)
        inc = self.inst.holder[post]
        if self.W == 1:
            if inc is None:
                return self.filled(post)
            return 1 - self.x.get((inc, post), 0)
        dep = self.departure(inc, k) if inc is not None else 0
        arr = self.arrived(post, k)
        if isinstance(dep, int) and dep == 0:
            return arr
        if isinstance(arr, int) and arr == 0:
            return dep
        ch = self.model.new_bool_var(f"changed[{post},{k}]")
        self.model.add(ch >= dep)
        self.model.add(ch >= arr)
        return ch

    def members(self, posts: Iterable[str], wave: int | None = None) -> Any:
        """Σ of the holders of `posts` after `wave` (the last by default): asked by many rules, built once."""
        if self.W == 1:
            key = tuple(posts)
            expr = self._members.get(key)
            if expr is None:
                vars_ = [v for p in key for _, v in self.vars_of_post(p)]
                expr = self._members[key] = cp_model.LinearExpr.sum(vars_) if vars_ else 0
            return expr
        wkey = (tuple(posts), self._last(wave))
        expr = self._wmembers.get(wkey)
        if expr is None:
            vars_ = [v for p in wkey[0] for v in self._wave_cols(p, wkey[1])[1]]
            expr = self._wmembers[wkey] = cp_model.LinearExpr.sum(vars_) if vars_ else 0
        return expr

    def mask(self, pred: Callable[[str], bool]) -> np.ndarray:
        """`pred` asked once per cadre of the county, in the order of `inst.cadres` (for `at_least`)."""
        return np.fromiter((bool(pred(c)) for c in self.inst.cadres), dtype=bool, count=len(self.inst.cadres))

    def _post_ix(self, posts: Iterable[str]) -> tuple[np.ndarray, np.ndarray]:
        """W = 1: (cadre index, variable index) of every placement in `posts`, concatenated (cached per post)."""
        if self._cadre_ix is None:
            self._cadre_ix = {c: i for i, c in enumerate(self.inst.cadres)}
        cix, vix = [], []
        for p in posts:
            got = self._ix.get(p)
            if got is None:
                pairs = self.vars_of_post(p)
                got = self._ix[p] = (
                    np.fromiter((self._cadre_ix[c] for c, _ in pairs), dtype=np.int64, count=len(pairs)),
                    np.fromiter((v.index for _, v in pairs), dtype=np.int64, count=len(pairs)),
                )
            cix.append(got[0])
            vix.append(got[1])
        if not cix:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        return np.concatenate(cix), np.concatenate(vix)

    def at_least(
        self,
        rule_id: str,
        posts: Iterable[str],
        ok: np.ndarray,
        den: int,
        num: int,
        need: int,
        tag: str,
        wave: int | None = None,
        slack: tuple[int, int] | None = None,
    ) -> None:
        """``den × count ≥ num × members + need`` over `posts` after `wave`: count = the holders c with
        ok[index of c], members = all holders. Hard when `slack` is None (guarded when explaining); with
        `slack = (ub, coef)` a shortfall s ∈ [0, ub] joins the count and ``coef × s`` the objective.

        With one wave the row is written straight into the proto from index arrays, one coefficient per
        placement (den·ok − num): flattening ``den × Σ − num × Σ`` through CP-SAT's expressions costs ~0.7 µs
        a term, and a county-wide share on a prefecture has millions of terms (young-members: 11–18 s at 150
        townships, loaded machine)."""
        self._check()
        posts = list(posts)
        if self.W > 1:
            k = self._last(wave)
            count = self._wave_sum_where(posts, ok, k)
            rhs = num * self.members(posts, k) + need if num else need
            if slack is None:
                self.hard(rule_id, den * count >= rhs, tag)
            else:
                s = self.new_int(0, slack[0], f"{rule_id}:{tag}")
                self.model.add(den * (count + s) >= rhs)
                self.add_term(rule_id, slack[1], s)
            return
        cix, vix = self._post_ix(posts)
        coef = den * ok[cix].astype(np.int64) - num
        keep = coef != 0
        vix, coef = vix[keep], coef[keep]
        if slack is None and not len(vix):
            self.hard(rule_id, 0 >= need, tag)
            return
        s = None
        if slack is not None:
            s = self.new_int(0, slack[0], f"{rule_id}:{tag}")
            vix, coef = np.append(vix, s.index), np.append(coef, den)
        ct = self.model.proto.constraints.add()
        ct.linear.vars.extend(vix.tolist())
        ct.linear.coeffs.extend(coef.tolist())
        ct.linear.domain.extend([int(need), cp_model.INT_MAX])
        if slack is None:
            lit = self.guard(rule_id, tag)
            if lit is not None:
                ct.enforcement_literal.append(lit.index)
        else:
            self.add_term(rule_id, slack[1], s)

    def _wave_cols(self, post: str, k: int) -> tuple[np.ndarray, list[Any]]:
        """W > 1: the variables whose sum is Σ_c holding(c, post, k) with the cadre index of each — today's
        holder's s and dep[·, w > k], every arrival y[·, post, w ≤ k] (the terms `holding` sums, flattened)."""
        cols = self._wcols.get((post, k))
        if cols is None:
            if self._cadre_ix is None:
                self._cadre_ix = {c: i for i, c in enumerate(self.inst.cadres)}
            ix: list[int] = []
            vars_: list[Any] = []
            inc = self.inst.holder[post]
            if inc is not None:
                i = self._cadre_ix[inc]
                if inc in self.s:
                    ix.append(i)
                    vars_.append(self.s[inc])
                for w in range(k + 1, self.W + 1):
                    d = self.dep.get((inc, w), 0)
                    if not isinstance(d, int):
                        ix.append(i)
                        vars_.append(d)
            for w in range(1, k + 1):
                for c, y in self._arr_post.get((post, w), []):
                    ix.append(self._cadre_ix[c])
                    vars_.append(y)
            cols = self._wcols[(post, k)] = (np.asarray(ix, dtype=np.int64), vars_)
        return cols

    def _wave_sum_where(self, posts: Iterable[str], ok: np.ndarray, k: int) -> Any:
        """W > 1: Σ holding(c, p, k) over `posts` and the cadres c with ok[index of c]."""
        vars_: list[Any] = []
        for p in posts:
            ix, vs = self._wave_cols(p, k)
            if vs:
                vars_.extend(compress(vs, ok[ix].tolist()))
        return cp_model.LinearExpr.sum(vars_) if vars_ else 0

    def in_posts(self, cadre: str, posts: Iterable[str], wave: int | None = None) -> Any:
        wanted = set(posts)
        if self.W == 1:
            vars_ = [v for p, v in self.vars_of_cadre(cadre) if p in wanted]
            return cp_model.LinearExpr.sum(vars_) if vars_ else 0
        k = self._last(wave)
        terms = [self.holding(cadre, p, k) for p in self.posts_of(cadre) if p in wanted]
        return sum(terms) if terms else 0

    # ---------------------------------------------------------------- constraints and objective
    def guard(self, rule_id: str, tag: str) -> Any | None:
        if not self.explain:
            return None
        key = (rule_id, tag)
        if key not in self._guard_of:
            lit = self.model.new_bool_var(f"assume[{rule_id}:{tag}]")
            self._guard_of[key] = lit
            self.guards[lit.index] = key
        return self._guard_of[key]

    def hard(self, rule_id: str, constraint: Any, tag: str = "") -> None:
        """Add a hard constraint of `rule_id` (guarded by an assumption literal when explaining)."""
        if isinstance(constraint, bool) or isinstance(constraint, (int,)):
            if constraint:
                return
            lit = self.guard(rule_id, tag)
            if lit is None:
                self.model.add_bool_or([])  # a constraint that cannot hold
            else:
                self.model.add_bool_or([lit.Not()])
            return
        ct = self.model.add(constraint)
        lit = self.guard(rule_id, tag)
        if lit is not None:
            ct.only_enforce_if(lit)

    def forbid(self, rule_id: str, var: Any, tag: str) -> None:
        self.hard(rule_id, var == 0, tag)

    def require_stay(self, rule_id: str, cadre: str) -> None:
        self.hard(rule_id, self.stay(cadre) >= 1, cadre)

    def forbid_departure(self, rule_id: str, cadre: str, wave: int) -> None:
        self.hard(rule_id, self.departure(cadre, wave) == 0, f"{cadre}@{wave}" if self.W > 1 else cadre)

    def add_term(self, rule_id: str, coef: int, expr: Any) -> None:
        if coef:
            self.terms[rule_id].append((coef, expr))

    def objective_expr(self) -> Any:
        exprs = [expr for items in self.terms.values() for _, expr in items]
        coefs = [coef for items in self.terms.values() for coef, _ in items]
        return cp_model.LinearExpr.weighted_sum(exprs, coefs) if exprs else 0


def build(
    inst: Instance, options: SolveOptions | None = None, *, deadline: float | None = None, candidates: Any = None
) -> Builder:
    """The model of `inst`. With `deadline` (a `time.perf_counter()` value) it raises `BuildOutOfTime` as soon
    as the deadline has passed after a step (the variables, each rule); `candidates` — wave 1's
    `candidate_pairs` with the pins forced, when the caller has them already."""
    options = options or SolveOptions()

    def check_time() -> None:
        if deadline is not None and time.perf_counter() > deadline:
            raise BuildOutOfTime

    check_time()
    m = Builder(inst, explain=options.explain, fixed=options.fixed, candidates=candidates, check_time=check_time)
    check_time()
    for cadre, post in inst.pins:
        m.hard("pin", m.x[(cadre, post)] == 1, f"{cadre}->{post}")
    if options.fixed is not None:
        for post in inst.posts:
            want = options.fixed.get(post)
            for cadre, var in m.vars_of_post(post):
                m.model.add(var == (1 if cadre == want else 0))
        fixed_cadres = {c for c in options.fixed.values() if c is not None}
        for var in (v for (c, _), v in m.x.items() if c not in fixed_cadres):
            m.model.add(var == 0)
    for rid, rule in REGISTRY.items():
        cfg = inst.policy[rid]
        if cfg.on:
            rule.encode(m, cfg)
            check_time()
    if m.W > 1:  # fewer waves and earlier moves are preferred: WAVE_DELAY_WEIGHT per move per wave of delay
        for cadre in m.incumbents():
            for k in range(2, m.W + 1):
                m.add_term(WAVE_DELAY, WAVE_DELAY_WEIGHT * (k - 1), m.departure(cadre, k))
        for (cadre, _post, k), var in m.y.items():
            if k > 1 and inst.cadres[cadre].current_post is None:
                m.add_term(WAVE_DELAY, WAVE_DELAY_WEIGHT * (k - 1), var)
    if options.extend is not None:
        options.extend(m)
    minimize(m.model, m.objective_expr())
    if options.hint:
        set_hint(m, options.hint)
    m._check = _no_check  # built: walking the model later (decoding, analysis) is never out of time
    return m


def _no_check() -> None:
    return None


def minimize(model: cp_model.CpModel, expr: Any) -> None:
    """`model.minimize(expr)` for an integral objective, written in bulk (CP-SAT's own loop appends one
    variable at a time: half a second for 50k terms)."""
    if isinstance(expr, int):
        model.minimize(expr)
        return
    flat = cp_model_helper.FlatIntExpr(expr)
    model.clear_objective()
    obj = model.proto.objective
    obj.vars.extend([v.index for v in flat.vars])
    obj.coeffs.extend(list(flat.coeffs))
    obj.offset = flat.offset
    obj.scaling_factor = 1.0


def set_hint(m: Builder, hint: dict[str, str | None]) -> None:
    """Hint every placement variable: 1 for the hinted holder of each post, 0 otherwise (written to the proto
    in two bulk calls — add_hint per variable costs seconds on a prefecture)."""
    sh = m.model.proto.solution_hint
    sh.vars.extend([var.index for var in m.x.values()])
    sh.values.extend([1 if hint.get(post) == cadre else 0 for (cadre, post) in m.x])
