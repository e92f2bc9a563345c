"""Hypothesis strategies for solver tests: tiny random counties, random policies, random complete plans.

Tiny counties are built with the helpers of :mod:`tests.helpers` and random attributes near the rules'
thresholds (ages around 30 and 35, 2–5 years of work, 2 years in rank, 3 and 5 years in post), so that every
rule has a fair chance to bind. They stay small enough (≤ 3 posts, ≤ 4 cadres) to enumerate every plan.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from typing import Any

from hypothesis import strategies as st

from planner.domain import load_scenario
from planner.domain.load import Instance
from planner.rules import REGISTRY
from planner.io.synth import SynthOptions, generate
from tests.helpers import AS_OF, born, days_before, make_cadre, make_post, make_scenario, make_township

ROLES = ["party_secretary", "township_head", "congress_chair", "deputy_head", "organization_member"]
SHARES = ["1/3", "2/3", 0.2, 0.5]


@lru_cache(maxsize=None)
def synth_county(townships: int, seed: int, ethnic: bool = False) -> tuple[dict, dict]:
    return generate(SynthOptions(townships=townships, seed=seed, ethnic=ethnic))


def load(doc: dict[str, Any]) -> Instance:
    return load_scenario(doc)


@st.composite
def policies(draw, *, bias_soft: bool = True, all_soft: bool = False) -> dict[str, dict[str, Any]]:
    """Random modes (default / hard / soft / off), weights and some thresholds for the unlocked rules
    (`all_soft`: every unlocked rule soft, so only one-post and leaving can make a plan invalid)."""
    modes = ["default", "soft", "soft", "off", "hard"] if bias_soft else ["default", "hard", "soft", "off"]
    if all_soft:
        modes = ["soft"]
    policy: dict[str, dict[str, Any]] = {}
    for rid, rule in REGISTRY.items():
        if rule.locked:
            continue
        mode = draw(st.sampled_from(modes))
        entry: dict[str, Any] = {} if mode == "default" else {"mode": mode}
        if draw(st.integers(0, 3)) == 0:
            entry["weight"] = draw(st.integers(0, 400))
        fields = rule.Params.model_fields
        if "min_count" in fields and draw(st.booleans()):
            entry["min_count"] = draw(st.integers(0, 4))  # may exceed a team's posts
        if "min_share" in fields and (rule.requires or draw(st.integers(0, 3)) == 0):
            entry["min_share"] = draw(st.sampled_from(SHARES))
        if entry:
            policy[rid] = entry
    return policy


def _birth(age: int, late: bool) -> str:
    """Born so as to be `age` on AS_OF (late: a birthday just after AS_OF, so one year younger)."""
    as_of = dt.date.fromisoformat(AS_OF)
    return (dt.date(as_of.year - age, 12, 2) if late else dt.date(as_of.year - age, 6, 1)).isoformat()


@st.composite
def tiny_scenarios(
    draw, *, max_posts: int = 3, max_cadres: int = 4, decisions: bool = False, all_soft: bool = False
) -> dict[str, Any]:
    """1–2 townships, 1–`max_posts` posts, 1–`max_cadres` cadres with random attributes and a random policy;
    with `decisions`, also up to one pin and up to two forbids."""
    n_town = draw(st.integers(1, 2))
    towns = []
    for i in range(1, n_town + 1):
        kind = draw(st.sampled_from(["town", "township", "ethnic_township"]))
        towns.append(
            make_township(
                f"T{i}",
                kind=kind,
                lagging=draw(st.booleans()),
                ethnic_groups=["苗族"] if kind == "ethnic_township" else [],
                needs=draw(st.lists(st.sampled_from(["agriculture", "tourism"]), unique=True)),
            )
        )
    n_posts = draw(st.integers(max(1, n_town), max_posts))
    posts, counter = [], {}
    for i in range(n_posts):
        t = f"T{1 + i % n_town}"
        role = draw(st.sampled_from(ROLES))
        counter[(t, role)] = counter.get((t, role), 0) + 1
        posts.append(make_post(f"{t}-{role[:3].upper()}{counter[(t, role)]}", t, role))
    post_ids = [p["id"] for p in posts]
    n_cadres = draw(st.integers(1, max_cadres))
    seats = draw(st.lists(st.sampled_from(post_ids), unique=True, max_size=min(n_cadres, n_posts)))
    cadres = []
    for i in range(n_cadres):
        cid = f"C{i + 1}"
        current = seats[i] if i < len(seats) else None
        c = make_cadre(
            cid,
            gender=draw(st.sampled_from(["M", "F"])),
            birth_date=_birth(draw(st.sampled_from([28, 30, 31, 35, 36, 45])), draw(st.booleans())),
            ethnicity=draw(st.sampled_from(["汉族", "苗族"])),
            cpc_member=draw(st.booleans()),
            fulltime_master=draw(st.booleans()),
            rank=draw(st.sampled_from(["staff", "deputy_section", "section_chief"])),
            rank_since=days_before(draw(st.sampled_from([400, 730, 731, 2000]))),
            township_work_years=draw(st.sampled_from([0.5, 2.0, 3.0, 5.0, 8.0])),
            township_leadership_years=draw(st.sampled_from([0.0, 1.0, 2.0, 4.0])),
            current_post=current,
            post_since=days_before(draw(st.sampled_from([300, 1095, 1096, 1500, 1827, 3000]))) if current else None,
            origin_township=draw(st.sampled_from([None, "T1"])),
            reserve_tier=draw(st.sampled_from([None, "ready_now", "step_up", "key_post_training"])),
            assessments=draw(
                st.sampled_from(
                    [
                        {"2023": "competent", "2024": "competent", "2025": "competent"},
                        {"2023": "excellent", "2024": "excellent", "2025": "excellent"},
                        {"2023": "excellent", "2024": "competent", "2025": "basically_competent"},
                    ]
                )
            ),
            specialties=draw(st.lists(st.sampled_from(["agriculture", "tourism"]), unique=True)),
            sanction_until=draw(st.sampled_from([None, None, None, "2027-06-01"])),
            leaving=draw(st.integers(0, 5)) == 0,
        )
        cadres.append(c)
    if n_cadres >= 2 and draw(st.booleans()):
        a, b = draw(st.lists(st.sampled_from([c["id"] for c in cadres]), min_size=2, max_size=2, unique=True))
        next(c for c in cadres if c["id"] == a)["relatives"] = [b]
    approvals = [c["id"] for c in cadres if c["current_post"] and draw(st.integers(0, 3)) == 0]
    pins, forbids = [], []
    if decisions:
        pairs = [(c["id"], p) for c in cadres for p in post_ids]
        chosen = draw(st.lists(st.sampled_from(pairs), unique=True, max_size=2))
        leaving = {c["id"] for c in cadres if c["leaving"]}
        if chosen and chosen[0][0] not in leaving and draw(st.booleans()):  # a leaving cadre cannot be pinned
            pins.append({"cadre": chosen[0][0], "post": chosen[0][1]})
            chosen = chosen[1:]
        forbids = [{"cadre": c, "post": p} for c, p in chosen]
    return make_scenario(
        towns, posts, cadres, draw(policies(all_soft=all_soft)), approvals=approvals, pins=pins, forbids=forbids
    )


@st.composite
def tiny_plans(draw, inst: Instance) -> dict[str, str | None]:
    """A random complete plan: each post today's holder, a vacancy or any cadre (repeats allowed)."""
    cadres = list(inst.cadres)
    return {p: draw(st.one_of(st.just(inst.holder[p]), st.none(), st.sampled_from(cadres))) for p in inst.posts}


# -------------------------------------------------------------------------------- a valid base team


def team(
    policy: dict[str, Any] | None = None, township: dict[str, Any] | None = None, **cadre_tweaks: dict[str, Any]
) -> dict[str, Any]:
    """One township whose team today is valid under the default policy with objective 0, and a small pool.

    Team: S secretary 34 (the young principal), H head 45, R congress chair 50, O organization member 33,
    D deputy head 28, a woman (under 30, women). Young: S, O, D = 3 of 5 (≥ 30%); 1 of 2 principals ≤ 35.
    Pool: P (deputy_section 38, ready_now, qualified for a principal post), Q (section_chief 40, too little
    township experience to lead), N (deputy_section 33, not a CPC member), Z (staff 29, ready_now), K
    (section_chief 42), G (staff, ready_now, sanctioned until 2027), E (deputy_section 40, half a year of
    township work). `cadre_tweaks` maps a cadre id to field overrides.
    """
    t = make_township("T1", **{"kind": "town", **(township or {})})
    posts = [
        make_post("T1-SEC", "T1", "party_secretary"),
        make_post("T1-HEAD", "T1", "township_head"),
        make_post("T1-CHAIR", "T1", "congress_chair"),
        make_post("T1-ORG", "T1", "organization_member"),
        make_post("T1-DEP", "T1", "deputy_head"),
    ]
    chief = dict(rank="section_chief")
    specs = {
        "S": dict(chief, birth_date=born(34), current_post="T1-SEC"),
        "H": dict(chief, birth_date=born(45), current_post="T1-HEAD"),
        "R": dict(chief, birth_date=born(50), current_post="T1-CHAIR"),
        "O": dict(birth_date=born(33), current_post="T1-ORG"),
        "D": dict(birth_date=born(28), current_post="T1-DEP", gender="F"),
        "P": dict(birth_date=born(38), reserve_tier="ready_now"),
        "Q": dict(chief, birth_date=born(40), township_work_years=2.0, township_leadership_years=1.0),
        "N": dict(birth_date=born(33), cpc_member=False, reserve_tier="ready_now"),
        "Z": dict(rank="staff", birth_date=born(29), reserve_tier="ready_now"),
        "K": dict(chief, birth_date=born(42)),
        "G": dict(rank="staff", birth_date=born(36), reserve_tier="ready_now", sanction_until="2027-06-01"),
        "E": dict(birth_date=born(40), township_work_years=0.5, township_leadership_years=0.0),
    }
    cadres = [make_cadre(cid, **{**spec, **cadre_tweaks.get(cid, {})}) for cid, spec in specs.items()]
    return make_scenario([t], posts, cadres, policy or {})
