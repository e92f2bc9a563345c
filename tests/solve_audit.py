"""What every solver test asserts about a returned plan, and the independent oracles it is compared with.

- :func:`audit` re-reads a solved plan the way a user's tool would (JSON round trip, `load_plan`), runs the
  independent checker on it and asserts: no hard violation; the checker's objective and per-rule soft
  breakdown equal the solver's; pins and forbids honoured; leaving cadres hold nothing; one post per cadre;
  assignment waves, `moves` and `chains` consistent with the assignments (re-derived here by hand, not with
  :mod:`planner.tables`).
- :func:`fixed_verdict` fixes a complete plan into the model (``SolveOptions(fixed=...)``) and returns
  the solver's verdict next to the checker's.
- :func:`brute_force` enumerates every complete plan of a tiny scenario and returns the checker's best
  objective among plans with no hard violation (None when there is none) — the ground truth an optimal
  solve must reach.
"""

from __future__ import annotations

import itertools
from collections import Counter
from dataclasses import dataclass
from typing import Any, Mapping

from planner.audit.check import CheckReport, check_plan
from planner.domain import load_plan
from planner.domain.documents import Assignment, Plan
from planner.domain.load import Instance
from planner.domain.vocab import RANK_LEVEL
from planner.solver.options import SolveOptions, SolveResult
from planner.solver.solve import solve

#: tiny models: two workers are plenty and keep the suite light on a 2-core machine
TINY = dict(time_limit=10.0, workers=2, seed=0)


def plan_doc(inst: Instance, final: Mapping[str, str | None]) -> dict[str, Any]:
    """A `reshuffle-plan/1` dict with one entry per post (wave 0 for a holder who stays, else 1)."""
    return {
        "format": "reshuffle-plan/1",
        "county": inst.doc.county.id,
        "as_of": inst.as_of.isoformat(),
        "status": "feasible",
        "assignments": [
            {"post": p, "cadre": final.get(p), "wave": 0 if final.get(p) == inst.holder[p] else 1} for p in inst.posts
        ],
    }


def check_final(inst: Instance, final: Mapping[str, str | None]) -> CheckReport:
    return check_plan(inst, load_plan(plan_doc(inst, final), inst))


def hard_rules(report: CheckReport) -> set[str]:
    return {v.rule for v in report.hard_violations}


def soft_breakdown(inst: Instance, breakdown: Mapping[str, int]) -> dict[str, int]:
    """Per soft rule its objective contribution (0 when absent)."""
    return {rid: int(breakdown.get(rid, 0)) for rid, cfg in inst.policy.items() if cfg.soft}


# ------------------------------------------------------------------------------------------ audit


def audit(inst: Instance, result: SolveResult, *, status: tuple[str, ...] = ("optimal",)) -> CheckReport:
    """Assert everything a solved plan must satisfy; return the checker's report on it."""
    assert result.status in status, f"status {result.status}, expected {status}"
    assert result.plan is not None and result.objective is not None
    doc = result.plan.model_dump(mode="json", by_alias=True)
    assert doc["status"] == result.status and doc["objective"] == result.objective
    if result.status == "optimal":
        assert result.bound == result.objective and result.gap == 0.0

    # the checker, on the plan as a user would load it
    report = check_plan(inst, load_plan(doc, inst))
    assert report.hard_violations == [], [f"{v.rule}: {v.message_en}" for v in report.hard_violations]
    assert report.objective == result.objective, (report.breakdown, result.breakdown)
    assert soft_breakdown(inst, report.breakdown) == soft_breakdown(inst, result.breakdown)
    # the solver puts objective terms only under soft rules (hard and off rules cost nothing)
    assert all(v == 0 or inst.policy[rid].soft for rid, v in result.breakdown.items()), result.breakdown
    assert sum(result.breakdown.values()) == result.objective
    listed = [v for v in doc["violations"] + doc.get("bonuses", []) if not v["hard"]]
    assert sum(v["cost"] for v in listed) == result.objective

    # one entry per post; one post per cadre; waves
    posts = [a["post"] for a in doc["assignments"]]
    assert sorted(posts) == sorted(inst.posts) and len(posts) == len(set(posts))
    final = {a["post"]: a["cadre"] for a in doc["assignments"]}
    held = [c for c in final.values() if c is not None]
    assert len(held) == len(set(held)), Counter(held).most_common(3)
    for a in doc["assignments"]:  # 0 for a holder who stays, 1 for a new one (one wave); a vacancy has none
        if a["cadre"] is not None:
            assert a["wave"] == (0 if a["cadre"] == inst.holder[a["post"]] else 1), a
    post_of = {c: p for p, c in final.items() if c is not None}

    # user decisions and the locked rules, re-derived from the documents
    for cadre, post in inst.pins:
        assert final[post] == cadre, f"pin {cadre}->{post} not honoured"
    for cadre, post in inst.forbids:
        assert final[post] != cadre, f"forbid {cadre}->{post} not honoured"
    for cid, c in inst.cadres.items():
        if c.leaving:
            assert cid not in post_of, f"leaving cadre {cid} kept in {post_of[cid]}"

    # moves: one per cadre whose post changes, with its kind
    expected = {}
    for cid, c in inst.cadres.items():
        new, cur = post_of.get(cid), c.current_post
        if new == cur:
            continue
        if new is None:
            kind = "leaving" if c.leaving else "release"
        elif RANK_LEVEL[inst.posts[new].rank] > RANK_LEVEL[c.rank]:
            kind = "promotion"
        else:
            kind = "transfer" if cur is not None else "appointment"
        expected[cid] = (cur, new, kind, 1)
    moves = doc["moves"]
    assert len(moves) == len({m["cadre"] for m in moves}), "a cadre has two moves"
    assert {m["cadre"]: (m["from"], m["to"], m["kind"], m["wave"]) for m in moves} == expected

    # chains: every arriving cadre in exactly one chain; each link fills the post the previous one left
    arrivals = {cid: p for cid, p in post_of.items() if inst.cadres[cid].current_post != p}
    filler = {p: cid for cid, p in arrivals.items()}
    chains = doc["chains"]
    flat = [c for chain in chains for c in chain]
    assert sorted(flat) == sorted(arrivals), (chains, arrivals)
    for chain in chains:
        assert chain, "empty chain"
        for a, b in zip(chain, chain[1:]):
            assert arrivals[b] == inst.cadres[a].current_post, f"{b} does not fill the post {a} left"
        first_post, last_src = arrivals[chain[0]], inst.cadres[chain[-1]].current_post
        cycle = last_src == first_post
        if not cycle:
            # it starts at a post left open (vacant today, or its holder left every post) ...
            opener = inst.holder[first_post]
            assert opener is None or opener not in arrivals, f"chain {chain} does not start at an open post"
            # ... and ends with someone from outside the teams or a post that stays vacant
            assert last_src is None or last_src not in filler, f"chain {chain} stops early"

    # the structure table counts the plan's members
    for row in doc["townships"]:
        assert row["members"] == sum(1 for p in inst.posts_of[row["township"]] if final[p] is not None)
    return report


# ---------------------------------------------------------------------------------------- oracles


@dataclass
class Verdicts:
    status: str  # the solver's, with the plan fixed
    objective: int | None
    breakdown: dict[str, int]
    report: CheckReport

    @property
    def feasible(self) -> bool:
        return self.status in ("optimal", "feasible")


def fixed_verdict(inst: Instance, final: Mapping[str, str | None]) -> Verdicts:
    """The solver's verdict on exactly `final` (fixed into the model) next to the checker's report."""
    report = check_final(inst, final)
    res = solve(inst, SolveOptions(**TINY, fixed=dict(final)))
    assert res.status in ("optimal", "infeasible"), f"a fixed plan must be decided, got {res.status}"
    return Verdicts(res.status, res.objective, dict(res.breakdown), report)


def assert_agree(inst: Instance, final: Mapping[str, str | None]) -> Verdicts:
    """The model is feasible exactly when the checker finds no hard violation, with the same objective."""
    v = fixed_verdict(inst, final)
    assert v.feasible == v.report.ok, (
        f"solver says {v.status}, checker finds hard violations {sorted(hard_rules(v.report))}"
    )
    if v.feasible:
        assert v.objective == v.report.objective, (v.breakdown, v.report.breakdown)
        assert soft_breakdown(inst, v.breakdown) == soft_breakdown(inst, v.report.breakdown)
    return v


def all_plans(inst: Instance):
    """Every complete plan giving each post a distinct cadre or a vacancy (duplicates always break one-post)."""
    posts = list(inst.posts)
    options = list(inst.cadres) + [None]
    for combo in itertools.product(options, repeat=len(posts)):
        held = [c for c in combo if c is not None]
        if len(held) == len(set(held)):
            yield dict(zip(posts, combo))


def brute_force(inst: Instance) -> tuple[int | None, int]:
    """(best checker objective over plans with no hard violation that honour the scenario's pins and forbids,
    or None; number of such plans)."""
    best, valid = None, 0
    for final in all_plans(inst):
        if any(final[p] != c for c, p in inst.pins) or any(final[p] == c for c, p in inst.forbids):
            continue
        plan = Plan(
            format="reshuffle-plan/1",
            county=inst.doc.county.id,
            as_of=inst.as_of,
            status="feasible",
            assignments=[Assignment(post=p, cadre=c, wave=0 if c == inst.holder[p] else 1) for p, c in final.items()],
        )
        report = check_plan(inst, plan)
        if report.ok:
            valid += 1
            best = report.objective if best is None else min(best, report.objective)
    return best, valid
