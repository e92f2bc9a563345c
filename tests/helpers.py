"""Shared builders for tiny hand-made scenarios and plans.

Typical use::

    from tests.helpers import make_cadre, make_post, make_scenario, make_plan, only, run_check, findings

    sc = make_scenario(
        posts=[make_post("T1-SEC", "T1", "party_secretary")],
        cadres=[make_cadre("A", rank="section_chief", current_post="T1-SEC")],
        policy=only("principal-filled"),
    )
    report = run_check(sc, make_plan(sc, {"T1-SEC": None}))
    [v] = findings(report, "principal-filled")

Every builder returns a plain dict shaped like the JSON documents of shared/spec/FORMAT.md, so a test can
tweak any field before loading. Defaults are chosen to be valid and unremarkable: a default cadre is a
45-year-old male CPC member, deputy_section since 2015, ten years of township work, five of leadership,
no reserve tier, `competent` three years running, no sanction, not leaving, no relatives.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Iterable, Mapping

from planner.audit.check import CheckReport, check_plan
from planner.domain import load_plan, load_scenario
from planner.domain.documents import Violation
from planner.rules import REGISTRY

#: The default plan date of every helper-built scenario.
AS_OF = "2026-12-01"


# ------------------------------------------------------------------------------------------- dates


def _date(value: str | dt.date) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(value)


def days_before(days: int, on: str | dt.date = AS_OF) -> str:
    """The ISO date `days` days before `on` (default: AS_OF). Use for tenure / years-in-rank boundaries."""
    return (_date(on) - dt.timedelta(days=days)).isoformat()


def born(age: int, on: str | dt.date = AS_OF) -> str:
    """A birth date (1 January) that makes a cadre exactly `age` whole years old on `on`."""
    return dt.date(_date(on).year - age, 1, 1).isoformat()


# ---------------------------------------------------------------------------------------- records


def make_township(id: str, **overrides: Any) -> dict[str, Any]:
    """A township record: an ordinary, non-lagging, non-ethnic `township` with no needs."""
    t: dict[str, Any] = {
        "id": id,
        "name": f"{id}乡",
        "kind": "township",
        "size": "medium",
        "lagging": False,
        "ethnic_groups": [],
        "needs": [],
    }
    t.update(overrides)
    return t


def make_post(id: str, township: str, role: str = "deputy_head", **overrides: Any) -> dict[str, Any]:
    """A post record; its rank defaults by role (principals and congress chair section_chief)."""
    p: dict[str, Any] = {"id": id, "township": township, "role": role}
    p.update(overrides)
    return p


def make_cadre(id: str, **overrides: Any) -> dict[str, Any]:
    """A valid, unremarkable cadre; any field may be overridden by keyword.

    When `current_post` is given and `post_since` is not, `post_since` defaults to 2015-01-01 (long tenure,
    so no tenure rule is touched). Pass ``post_since=None`` explicitly to build the invalid record.
    """
    c: dict[str, Any] = {
        "id": id,
        "name": f"干部{id}",
        "gender": "M",
        "birth_date": "1981-06-15",  # 45 on AS_OF
        "ethnicity": "汉族",
        "cpc_member": True,
        "education": "bachelor",
        "fulltime_master": False,
        "double_first_class": False,
        "rank": "deputy_section",
        "rank_since": "2015-01-01",
        "township_work_years": 10.0,
        "township_leadership_years": 5.0,
        "current_post": None,
        "post_since": None,
        "current_unit": None,
        "origin_township": None,
        "reserve_tier": None,
        "assessments": {"2023": "competent", "2024": "competent", "2025": "competent"},
        "specialties": [],
        "sanction_until": None,
        "leaving": False,
        "relatives": [],
    }
    if overrides.get("current_post") is not None and "post_since" not in overrides:
        c["post_since"] = "2015-01-01"
    c.update(overrides)
    return c


def staffed(
    township: str, n: int, role: str = "deputy_head", **cadre_overrides: Any
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """`n` posts ``{township}-P1..Pn`` of `role`, each held today by cadre ``{township}-C1..Cn``.

    Returns (posts, cadres); the cadres are :func:`make_cadre` defaults plus `cadre_overrides` and may be
    edited afterwards (e.g. ``cadres[0]["gender"] = "F"``).
    """
    posts = [make_post(f"{township}-P{i}", township, role) for i in range(1, n + 1)]
    cadres = [
        make_cadre(f"{township}-C{i}", current_post=f"{township}-P{i}", **cadre_overrides) for i in range(1, n + 1)
    ]
    return posts, cadres


# ----------------------------------------------------------------------------------------- documents


def make_scenario(
    townships: Iterable[str | Mapping[str, Any]] | None = None,
    posts: Iterable[Mapping[str, Any]] = (),
    cadres: Iterable[Mapping[str, Any]] = (),
    policy: Mapping[str, Any] | None = None,
    *,
    as_of: str = AS_OF,
    **extra: Any,
) -> dict[str, Any]:
    """A `reshuffle-scenario/1` dict.

    `townships` items may be ids (built with :func:`make_township`) or full dicts; when omitted, one
    default township is made for every township id the posts mention, in order. `extra` sets any other
    top-level field (pins, forbids, approvals, waves, county).
    """
    posts = [dict(p) for p in posts]
    if townships is None:
        townships = list(dict.fromkeys(p["township"] for p in posts))
    doc: dict[str, Any] = {
        "format": "reshuffle-scenario/1",
        "county": {"id": "test-county", "name": "测试县"},
        "as_of": as_of,
        "townships": [make_township(t) if isinstance(t, str) else dict(t) for t in townships],
        "posts": posts,
        "cadres": [dict(c) for c in cadres],
        "policy": dict(policy or {}),
        "pins": [],
        "forbids": [],
        "approvals": [],
        "waves": 1,
    }
    doc.update(extra)
    return doc


def holders_today(scenario: Mapping[str, Any]) -> dict[str, str | None]:
    """post id → the cadre holding it today (from the cadres' `current_post`), None when vacant."""
    holder: dict[str, str | None] = {p["id"]: None for p in scenario["posts"]}
    for c in scenario["cadres"]:
        if c.get("current_post"):
            holder[c["current_post"]] = c["id"]
    return holder


def make_plan(
    scenario: Mapping[str, Any],
    changes: Mapping[str, str | None] | None = None,
    waves: Mapping[str, int] | None = None,
    *,
    moves: list[dict[str, Any]] | None = None,
    extra_assignments: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """A `reshuffle-plan/1` dict listing every post of `scenario` once.

    `changes` maps post → its holder in the plan (a cadre id, or None for a vacancy); posts not named keep
    today's holder. Each assignment's wave is 0 when the holder stays and 1 when it changes, unless `waves`
    (post → wave) says otherwise. `moves` (e.g. a release wave) and `extra_assignments` (duplicate entries,
    to break one-post) are passed through as given.
    """
    changes = dict(changes or {})
    waves = dict(waves or {})
    today = holders_today(scenario)
    assignments = []
    for post in today:
        cadre = changes.get(post, today[post])
        wave = waves.get(post, 0 if cadre == today[post] else 1)
        assignments.append({"post": post, "cadre": cadre, "wave": wave})
    assignments += list(extra_assignments or [])
    return {
        "format": "reshuffle-plan/1",
        "county": scenario["county"]["id"],
        "as_of": scenario["as_of"],
        "status": "feasible",
        "assignments": assignments,
        "moves": list(moves or []),
    }


# ------------------------------------------------------------------------------------------- policy


def only(*keep: str) -> dict[str, dict[str, str]]:
    """A policy turning every rule off except `keep` and the locked ones (`one-post`, `leaving`).

    Merge overrides with ``|``: ``only("women") | {"women": {"mode": "hard"}}``.
    """
    unknown = set(keep) - set(REGISTRY)
    assert not unknown, f"unknown rule ids {unknown}"
    return {rid: {"mode": "off"} for rid, rule in REGISTRY.items() if rid not in keep and not rule.locked}


# ------------------------------------------------------------------------------------------- checking


def run_check(scenario: Mapping[str, Any], plan: Mapping[str, Any]) -> CheckReport:
    """Load both documents (raising planner.errors.InputError if invalid) and audit the plan."""
    inst = load_scenario(dict(scenario))
    return check_plan(inst, load_plan(dict(plan), inst))


def findings(report: CheckReport, rule: str) -> list[Violation]:
    """The report's findings (violations and bonuses) of one rule."""
    return [v for v in report.violations + report.bonuses if v.rule == rule]


def rules_hit(report: CheckReport) -> set[str]:
    """The ids of every rule with at least one finding (violation or bonus)."""
    return {v.rule for v in report.violations + report.bonuses}
