"""Would an organization department sign this plan? Plausibility figures of the default plan against the greedy
officer-style plan, on the sample counties and on synthetic ones.

    python -m benchmarks.realism                       # samples + synthetic 10/20/30 townships, seeds 1–2
    python -m benchmarks.realism --quick               # samples + one small synthetic county
    python -m benchmarks.realism --out benchmarks/results/realism

Every figure is computed from the scenario and the plan's final assignment alone (:func:`plan_metrics`), never
from the solver's model, and every plan is audited by the independent checker. Per plan:

- principal vacancies: principal posts that get a new holder; `within` — the share filled by a cadre who holds a
  team post today (a deputy, a congress chair, a principal of another township);
- `outside+insider`: principal posts filled from outside the teams while a cadre holding a deputy or congress-
  chair post today, eligible for that post under every hard placement rule, stayed put (target 0);
- start vacancies: posts vacant today or held by a cadre who is leaving; `moves in`: posts whose holder changes
  to someone (target ≤ 2 × start vacancies); `lateral`: moves into a post of the same rank that are not a step up
  the ladder (into a principal post from a deputy/chair post, or head → secretary), as a share of moves in
  (target ≤ 10%); releases: incumbents not leaving who end without a post;
- chains: vacancy chains (A fills B's post, B fills C's …) — count, longest, and how many are longer than one;
- new principals: age on `as_of` (min / median) and years in rank (min / median).

Targets (issue 14): no principal vacancy filled from outside while an eligible insider stayed put unless a hard
rule or quota forces it; moves into posts ≤ 2 × the vacancies the county starts with; lateral moves ≤ 10%.
"""

from __future__ import annotations

import argparse
import csv
import json
import statistics
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from planner.domain.load import Instance
from planner.domain.vocab import PRINCIPAL_ROLES, RANK_LEVEL
from planner.rules import REGISTRY
from planner.rules.base import PairRule

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "scenarios"
#: (townships, seed) of the synthetic counties (pool ratio 0.5, `planner synth`'s default)
SYNTH = [(10, 1), (10, 2), (20, 1), (20, 2), (30, 1)]
QUICK_SYNTH = [(6, 1)]


# ------------------------------------------------------------------------------------------------ metrics


def up_the_ladder(inst: Instance, cadre: str, post: str) -> bool:
    """A step up: a higher rank, or into a principal post from a deputy / congress-chair post, or a township
    head becoming party secretary (the ladder officers mean when they say 提拔 / 进步)."""
    c, p = inst.cadres[cadre], inst.posts[post]
    if RANK_LEVEL[p.rank] > RANK_LEVEL[c.rank]:
        return True
    if c.current_post is None:
        return False
    frm = inst.posts[c.current_post]
    if p.role in PRINCIPAL_ROLES and frm.role not in PRINCIPAL_ROLES:
        return True
    return frm.role == "township_head" and p.role == "party_secretary"


def kind_of(inst: Instance, cadre: str, post: str) -> str:
    """promotion (rank up) | step-up (same rank, up the ladder) | lateral (a team member, same rank) | appointment."""
    c, p = inst.cadres[cadre], inst.posts[post]
    if RANK_LEVEL[p.rank] > RANK_LEVEL[c.rank]:
        return "promotion"
    if c.current_post is None:
        return "appointment"
    return "step-up" if up_the_ladder(inst, cadre, post) else "lateral"


def eligible(inst: Instance, cadre: str, post: str, final: dict[str, str | None]) -> bool:
    """`cadre` could newly take `post` under every hard placement rule (the checker's own pair predicates), the
    rank ladder's structure (lateral or one step up), user forbids and kinship with the team as the plan leaves it."""
    c, p = inst.cadres[cadre], inst.posts[post]
    if c.leaving or (cadre, post) in inst.forbids:
        return False
    if inst.policy["rank-ladder"].hard and RANK_LEVEL[p.rank] - RANK_LEVEL[c.rank] not in (0, 1):
        return False
    on = inst.date_of_wave(1)
    for r in REGISTRY.values():
        cfg = inst.policy[r.id]
        if isinstance(r, PairRule) and cfg.hard and not r.bonus and r.pair_amount(inst, cfg, cadre, post, on):
            return False
    if inst.policy["kinship-avoidance"].hard:
        team = {final[q] for q in inst.posts_of[p.township] if q != post and final[q] is not None}
        if inst.relatives[cadre] & team:
            return False
    return True


def chains_of(inst: Instance, final: dict[str, str | None]) -> list[int]:
    """Lengths of the vacancy chains: post q → the post its new holder left, followed to the end."""
    came_from = {}  # post -> the post its new holder held today (None: from outside)
    for post, cadre in final.items():
        if cadre is not None and cadre != inst.holder[post]:
            came_from[post] = inst.cadres[cadre].current_post
    fed = {src for src in came_from.values() if src is not None and src in came_from}
    lengths, seen = [], set()
    for start in sorted(came_from):
        if start in fed:
            continue  # not the top of a chain
        n, node = 0, start
        while node is not None and node in came_from and node not in seen:
            seen.add(node)
            n += 1
            node = came_from[node]
        lengths.append(n)
    for post in sorted(set(came_from) - seen):  # rotations (cycles)
        if post in seen:
            continue
        n, node = 0, post
        while node is not None and node not in seen and node in came_from:
            seen.add(node)
            n += 1
            node = came_from[node]
        lengths.append(n)
    return lengths


@dataclass
class Metrics:
    principal_vacancies: int = 0
    principal_within: int = 0
    outside_with_insider: int = 0
    outside_with_insider_posts: list[str] = field(default_factory=list)
    start_vacancies: int = 0
    moves_in: int = 0
    promotions: int = 0
    step_ups: int = 0
    laterals: int = 0
    appointments: int = 0
    releases: int = 0
    chains: int = 0
    longest_chain: int = 0
    chains_longer_than_one: int = 0
    new_principal_ages: list[int] = field(default_factory=list)
    new_principal_years_in_rank: list[float] = field(default_factory=list)

    @property
    def within_share(self) -> float | None:
        return self.principal_within / self.principal_vacancies if self.principal_vacancies else None

    @property
    def moves_per_vacancy(self) -> float | None:
        return self.moves_in / self.start_vacancies if self.start_vacancies else None

    @property
    def lateral_share(self) -> float:
        return self.laterals / self.moves_in if self.moves_in else 0.0

    def targets(self) -> dict[str, bool]:
        """The issue's three targets: no outsider while an eligible insider stays; ≤ 2 moves per starting
        vacancy; ≤ 10% lateral."""
        return {
            "no_outsider_over_insider": self.outside_with_insider == 0,
            "moves_at_most_twice_vacancies": self.moves_in <= 2 * self.start_vacancies,
            "lateral_at_most_10pct": 10 * self.laterals <= self.moves_in,
        }

    def row(self) -> dict[str, Any]:
        ages, yrs = self.new_principal_ages, self.new_principal_years_in_rank
        return {
            "principal_vacancies": self.principal_vacancies,
            "within_pct": None if self.within_share is None else round(100 * self.within_share),
            "outside_with_insider": self.outside_with_insider,
            "start_vacancies": self.start_vacancies,
            "moves_in": self.moves_in,
            "moves_per_vacancy": None if self.moves_per_vacancy is None else round(self.moves_per_vacancy, 2),
            "promotions": self.promotions,
            "step_ups": self.step_ups,
            "laterals": self.laterals,
            "lateral_pct": round(100 * self.lateral_share, 1),
            "appointments": self.appointments,
            "releases": self.releases,
            "chains": self.chains,
            "longest_chain": self.longest_chain,
            "chains_gt1": self.chains_longer_than_one,
            "np_age_min": min(ages) if ages else None,
            "np_age_median": statistics.median(ages) if ages else None,
            "np_rank_years_min": round(min(yrs), 1) if yrs else None,
            "np_rank_years_median": round(statistics.median(yrs), 1) if yrs else None,
        }


def plan_metrics(inst: Instance, final: dict[str, str | None]) -> Metrics:
    """The plausibility figures of one plan: `final` maps every post to its holder after the plan."""
    final = {p: final.get(p, inst.holder[p]) for p in inst.posts}
    m = Metrics()
    holds = {c: p for p, c in final.items() if c is not None}
    for inc in inst.holder.values():
        if inc is None or inst.cadres[inc].leaving:
            m.start_vacancies += 1
        elif inc not in holds:
            m.releases += 1
    arrivals = [(p, c) for p, c in final.items() if c is not None and c != inst.holder[p]]
    m.moves_in = len(arrivals)
    stayed = [c for p, c in inst.holder.items() if c is not None and final.get(p) == c]
    insiders = [c for c in stayed if inst.posts[inst.cadres[c].current_post].role not in PRINCIPAL_ROLES]
    for post, cadre in arrivals:
        k = kind_of(inst, cadre, post)
        m.promotions += k == "promotion"
        m.step_ups += k == "step-up"
        m.laterals += k == "lateral"
        m.appointments += k == "appointment"
        if inst.posts[post].role not in PRINCIPAL_ROLES:
            continue
        m.principal_vacancies += 1
        m.new_principal_ages.append(inst.age(cadre))
        m.new_principal_years_in_rank.append(float(inst.years_in_rank(cadre)))
        if inst.cadres[cadre].current_post is not None:
            m.principal_within += 1
        elif any(eligible(inst, c, post, final) for c in insiders):
            m.outside_with_insider += 1
            m.outside_with_insider_posts.append(post)
    lengths = chains_of(inst, final)
    m.chains, m.longest_chain = len(lengths), max(lengths, default=0)
    m.chains_longer_than_one = sum(1 for n in lengths if n > 1)
    return m


# ------------------------------------------------------------------------------------------------ running


def _instances(synth: list[tuple[int, int]]) -> list[tuple[str, dict]]:
    from planner.io.synth import SynthOptions, generate

    out = []
    for path in sorted(SAMPLES.glob("*.json")):
        if not path.name.endswith(".plan.json"):
            out.append((path.stem, json.loads(path.read_text(encoding="utf-8"))))
    for townships, seed in synth:
        out.append((f"synth-{townships}-s{seed}", generate(SynthOptions(townships=townships, seed=seed))[0]))
    return out


def evaluate(name: str, doc: dict, time_limit: float) -> list[dict[str, Any]]:
    """Rows for the planner's default plan and the greedy plan of one county, each audited by the checker."""
    from planner.audit.check import check_plan
    from planner.domain.documents import Assignment, Plan
    from planner.domain.load import load_scenario
    from planner.solver.greedy import greedy_plan
    from planner.solver.options import SolveOptions
    from planner.solver.solve import solve

    inst = load_scenario(doc)
    rows = []
    result = solve(inst, SolveOptions(time_limit=time_limit))
    plans: list[tuple[str, dict[str, str | None] | None, Any]] = []
    if result.plan is not None:
        final = {p: inst.holder[p] for p in inst.posts}
        for a in result.plan.assignments:
            final[a.post] = a.cadre
        plans.append(("planner", final, result.plan))
    else:
        plans.append(("planner", None, None))
    g = greedy_plan(inst)
    gplan = Plan(
        format="reshuffle-plan/1",
        county=inst.doc.county.id,
        as_of=inst.as_of,
        status="feasible",
        assignments=[Assignment(post=p, cadre=c, wave=0 if c == inst.holder[p] else 1) for p, c in g.items()],
    )
    plans.append(("greedy", g, gplan))
    for solver, final, plan in plans:
        row: dict[str, Any] = {"county": name, "plan": solver, "posts": len(inst.posts), "cadres": len(inst.cadres)}
        if final is None:
            rows.append(row | {"status": result.status})
            continue
        report = check_plan(inst, plan)
        m = plan_metrics(inst, final)
        row |= {
            "status": result.status if solver == "planner" else "heuristic",
            "objective": report.objective,
            "check_ok": report.ok,
            **m.row(),
            **m.targets(),
            "outside_with_insider_posts": m.outside_with_insider_posts,
        }
        rows.append(row)
    return rows


HEAD = [
    ("county", "county"),
    ("plan", "plan"),
    ("principal_vacancies", "prin. vac."),
    ("within_pct", "within %"),
    ("outside_with_insider", "outside+insider"),
    ("start_vacancies", "start vac."),
    ("moves_in", "moves in"),
    ("moves_per_vacancy", "moves/vac."),
    ("lateral_pct", "lateral %"),
    ("releases", "releases"),
    ("chains", "chains"),
    ("chains_gt1", "chains >1"),
    ("longest_chain", "longest"),
    ("np_age_min", "new prin. age min"),
    ("np_age_median", "age med."),
    ("np_rank_years_min", "yrs in rank min"),
    ("np_rank_years_median", "yrs med."),
    ("objective", "objective"),
    ("check_ok", "checker"),
]


def markdown(rows: list[dict[str, Any]]) -> str:
    def cell(v: Any) -> str:
        if v is None:
            return "–"
        if isinstance(v, bool):
            return "ok" if v else "FAIL"
        return str(v)

    lines = ["| " + " | ".join(h for _, h in HEAD) + " |", "|" + "---|" * len(HEAD)]
    lines += ["| " + " | ".join(cell(r.get(k)) for k, _ in HEAD) + " |" for r in rows]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="the samples and one small synthetic county")
    ap.add_argument("--time-limit", type=float, default=120.0)
    ap.add_argument(
        "--out", default=str(ROOT / "benchmarks" / "results" / "realism"), help="stem of the .md / .csv / .json results"
    )
    a = ap.parse_args(argv)
    rows: list[dict[str, Any]] = []
    for name, doc in _instances(QUICK_SYNTH if a.quick else SYNTH):
        rows += evaluate(name, doc, a.time_limit)
        print(f"{name}: done", file=sys.stderr, flush=True)
    table = markdown(rows)
    print(table)
    stem = Path(a.out)
    stem.parent.mkdir(parents=True, exist_ok=True)
    stem.with_suffix(".md").write_text(table + "\n", encoding="utf-8")
    keys = [k for k, _ in HEAD] + [k for k in rows[0] if k not in dict(HEAD)]
    with open(stem.with_suffix(".csv"), "w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=keys, extrasaction="ignore")
        w.writeheader()
        w.writerows(rows)
    stem.with_suffix(".json").write_text(
        json.dumps(
            {"command": "python -m benchmarks.realism" + (" --quick" if a.quick else ""), "rows": rows},
            ensure_ascii=False,
            indent=1,
        )
        + "\n",
        encoding="utf-8",
    )
    planner_rows = [r for r in rows if r["plan"] == "planner" and "moves_in" in r]
    missed = [
        r["county"]
        for r in planner_rows
        if not all(r[t] for t in ("no_outsider_over_insider", "moves_at_most_twice_vacancies", "lateral_at_most_10pct"))
    ]
    print(
        f"\nplanner plans meeting every target: {len(planner_rows) - len(missed)}/{len(planner_rows)}"
        + (f" (missed: {', '.join(missed)})" if missed else "")
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
