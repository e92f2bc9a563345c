"""Load documents: validate, resolve references, derive what the rules need.

Every problem is collected with its location (record index and id, field, reason) before anything is
raised, so a user fixes a file in one pass rather than one error at a time.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any, Iterable

from pydantic import BaseModel, ConfigDict, TypeAdapter, ValidationError

from planner.domain.errors import InputError, Problem
from planner.i18n import message
from planner.domain.policy import resolve_policy
from planner.domain.documents import Cadre, Delta, Placement, Plan, Post, Scenario, Township
from planner.domain.timeutil import add_quarters, age_on, exact, years_between
from planner.domain.vocab import BACHELOR_OR_ABOVE, MAJORITY_ETHNICITY, PRINCIPAL_ROLES

# ------------------------------------------------------------------------------------ error locations


def _problem(location: str, key: str, **fields: Any) -> Problem:
    zh, en = message(key, **fields)
    return Problem(location=location, message_en=en, message_zh=zh)


def _locate(loc: tuple, data: Any) -> str:
    """Render a pydantic location, naming records by their id: ``cadres[3] C0004 › birth_date``."""
    parts: list[str] = []
    node = data
    for item in loc:
        if isinstance(item, int):
            label = f"[{item}]"
            if isinstance(node, list) and 0 <= item < len(node):
                node = node[item]
                if isinstance(node, dict) and isinstance(node.get("id"), str):
                    label += f" {node['id']}"
                elif isinstance(node, dict) and isinstance(node.get("cadre"), str):
                    label += f" {node['cadre']}" + (f"→{node['post']}" if isinstance(node.get("post"), str) else "")
            else:
                node = None
            if parts:
                parts[-1] += label
            else:
                parts.append(label)
        else:
            # pydantic adds the union member's type as a location step; it is noise to a user
            if item in {"int", "list[date]", "constrained-int", "function-before[_iso_date(), date]"}:
                continue
            parts.append(str(item))
            node = node.get(item) if isinstance(node, dict) else None
    return " › ".join(parts) if parts else "(document)"


def problems_from_validation(exc: ValidationError, data: Any) -> list[Problem]:
    problems: list[Problem] = []
    seen: set[tuple[str, str]] = set()
    for err in exc.errors(include_url=False):
        location = _locate(tuple(err["loc"]), data)
        kind = err["type"]
        if kind == "missing":
            prob = _problem(location, "input.missing")
        elif kind == "extra_forbidden":
            prob = _problem(location, "input.extra")
        else:
            detail = err["msg"].removeprefix("Value error, ")
            if kind in {"literal_error", "enum"} and "expected" in err.get("ctx", {}):
                import re

                from planner.i18n import label_zh

                codes = re.findall(r"'([^']*)'", str(err["ctx"]["expected"]))
                zh = "、".join(f"{label_zh(c)}({c})" if label_zh(c) != c else c for c in codes)
                got = err.get("input")
                prob = _problem(
                    location,
                    "input.choice",
                    choices_zh=zh,
                    choices=", ".join(codes),
                    got=got if isinstance(got, str) else repr(got),
                )
            else:
                prob = _problem(location, "input.type", detail=detail)
        key = (prob.location, prob.message_en)
        if key not in seen:  # unions report one failure per member; keep one line per location
            seen.add(key)
            problems.append(prob)
    return problems


def read_json(source: str | Path | dict | bytes, document: str) -> Any:
    """A document from a dict, JSON text/bytes or a file path; errors are located InputErrors."""
    if isinstance(source, dict):
        return source
    if isinstance(source, Path) or (isinstance(source, str) and not source.lstrip().startswith("{")):
        try:
            text = Path(source).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError(document, [_problem(str(source), "input.file", detail=str(exc))]) from None
        where = str(source)
    else:
        text = source.decode("utf-8", "replace") if isinstance(source, bytes) else source
        where = document
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(
            document, [_problem(f"{where}:{exc.lineno}:{exc.colno}", "input.json", detail=exc.msg)]
        ) from None
    if not isinstance(data, dict):
        raise InputError(document, [_problem(where, "input.not_object")])
    return data


# ------------------------------------------------------------------------------------------- instance


@dataclass
class Instance:
    """A resolved scenario: the validated document plus indexes and derived quantities.

    Everything here is plain Python; the checker and the solver both read it.
    """

    doc: Scenario
    townships: dict[str, Township]
    posts: dict[str, Post]
    cadres: dict[str, Cadre]
    holder: dict[str, str | None]  # post -> today's holder
    posts_of: dict[str, list[str]]  # township -> its posts, in document order
    relatives: dict[str, set[str]]
    pins: list[tuple[str, str]]
    forbids: AbstractSet[tuple[str, str]]  # read only: what-if and explain make copies with frozensets
    approvals: set[str]
    policy: dict[str, Any]  # rule id -> RuleConfig (planner.rules.base)
    wave_dates: list[dt.date]
    _age_cache: dict[tuple[str, dt.date], int] = field(default_factory=dict, repr=False)
    #: (quantity, cadre, date) -> exact years; the solver asks the same question for every post a cadre may take
    _years_cache: dict[tuple[str, str, dt.date], Fraction] = field(default_factory=dict, repr=False)

    # ---------------------------------------------------------------- basic facts
    @property
    def as_of(self) -> dt.date:
        return self.doc.as_of

    @property
    def waves(self) -> int:
        return len(self.wave_dates)

    def date_of_wave(self, wave: int) -> dt.date:
        return self.wave_dates[max(wave, 1) - 1]

    def township_of(self, post_id: str) -> str:
        return self.posts[post_id].township

    def current_post(self, cadre_id: str) -> str | None:
        return self.cadres[cadre_id].current_post

    def is_principal_post(self, post_id: str) -> bool:
        return self.posts[post_id].role in PRINCIPAL_ROLES

    def principal_posts(self, township_id: str) -> list[str]:
        return [p for p in self.posts_of[township_id] if self.posts[p].role in PRINCIPAL_ROLES]

    # ---------------------------------------------------------------- derived, at a date
    def age(self, cadre_id: str, on: dt.date | None = None) -> int:
        on = on or self.as_of
        key = (cadre_id, on)
        if key not in self._age_cache:
            self._age_cache[key] = age_on(self.cadres[cadre_id].birth_date, on)
        return self._age_cache[key]

    def _elapsed_in_team(self, cadre_id: str, on: dt.date) -> Fraction:
        """Experience accrues between as_of and a later wave date only for cadres serving in a team today."""
        if on <= self.as_of or self.cadres[cadre_id].current_post is None:
            return Fraction(0)
        return years_between(self.as_of, on)

    def _years(self, what: str, cadre_id: str, on: dt.date | None) -> Fraction:
        on = on or self.as_of
        key = (what, cadre_id, on)
        v = self._years_cache.get(key)
        if v is None:
            c = self.cadres[cadre_id]
            if what == "work":
                v = exact(c.township_work_years) + self._elapsed_in_team(cadre_id, on)
            elif what == "leadership":
                v = exact(c.township_leadership_years) + self._elapsed_in_team(cadre_id, on)
            elif what == "post":
                v = years_between(c.post_since, on) if c.post_since else Fraction(0)
            else:
                v = years_between(c.rank_since, on)
            self._years_cache[key] = v
        return v

    def work_years(self, cadre_id: str, on: dt.date | None = None) -> Fraction:
        return self._years("work", cadre_id, on)

    def leadership_years(self, cadre_id: str, on: dt.date | None = None) -> Fraction:
        return self._years("leadership", cadre_id, on)

    def years_in_post(self, cadre_id: str, on: dt.date | None = None) -> Fraction:
        return self._years("post", cadre_id, on)

    def years_in_rank(self, cadre_id: str, on: dt.date | None = None) -> Fraction:
        return self._years("rank", cadre_id, on)

    def last_grade(self, cadre_id: str, on: dt.date | None = None) -> str | None:
        """Last year's assessment: the latest recorded year strictly before the calendar year of the date judged
        (`on`: a wave's date; as_of by default). None if none. An entry for that year itself is not yet last year's."""
        on = on or self.as_of
        grades = self.cadres[cadre_id].assessments
        years = sorted((int(y) for y in grades if int(y) < on.year), reverse=True)
        return grades[str(years[0])] if years else None

    def recent_grades(self, cadre_id: str, n: int = 3, on: dt.date | None = None) -> list[str | None]:
        """The grades of the n calendar years before the year of `on` (as_of by default), most recent first
        (None if missing)."""
        on = on or self.as_of
        grades = self.cadres[cadre_id].assessments
        return [grades.get(str(on.year - k)) for k in range(1, n + 1)]

    def is_minority(self, cadre_id: str) -> bool:
        return self.cadres[cadre_id].ethnicity != MAJORITY_ETHNICITY

    def bachelor_or_above(self, cadre_id: str) -> bool:
        return self.cadres[cadre_id].education in BACHELOR_OR_ABOVE

    def is_ethnic(self, township_id: str) -> bool:
        t = self.townships[township_id]
        return t.kind == "ethnic_township" or bool(t.ethnic_groups)

    def name(self, cadre_id: str | None) -> str:
        """How a cadre is shown to users: 张伟(C0001)."""
        if cadre_id is None:
            return "—"
        c = self.cadres.get(cadre_id)
        return f"{c.name}({cadre_id})" if c else cadre_id

    def role_title(self, post_id: str) -> str:
        """The post's title as its township's kind says it: 镇长 in a 镇, 办事处主任 in a 街道 (planner.i18n.titles)."""
        from planner.i18n import post_title

        p = self.posts[post_id]
        return post_title(self.townships[p.township].kind, p.role)

    def post_label(self, post_id: str | None) -> str:
        """How a post is shown: 周王镇党委书记(T01-SEC), 上石街道党工委书记(T05-SEC), 瓦坪镇镇长(T02-HEAD)."""
        if post_id is None:
            return "—"
        return f"{self.post_title(post_id)}({post_id})"

    def post_title(self, post_id: str) -> str:
        """The post's full title without its id, as its township kind names it: 上石街道党工委书记."""
        return f"{self.townships[self.posts[post_id].township].name}{self.role_title(post_id)}"

    def township_label(self, township_id: str) -> str:
        return f"{self.townships[township_id].name}({township_id})"


# --------------------------------------------------------------------------------------- cross checks


def _unique(problems: list[Problem]) -> list[Problem]:
    """Each problem once, in order (a record's problem may be found by validation and a cross check alike)."""
    return list(dict.fromkeys(problems))


def _duplicates(ids: Iterable[str]) -> set[str]:
    return {k for k, n in Counter(ids).items() if n > 1}


@dataclass
class _Parts:
    """What of a scenario validated, record by record, for the cross-record checks.

    Each list holds (index in the document, record) for the records that passed validation; `*_ids` hold every
    id the document spells as a string, valid record or not, so that a reference to a record that is itself
    invalid is not also called dangling (its own problem is already reported)."""

    as_of: dt.date | None
    townships: list[tuple[int, Township]]
    posts: list[tuple[int, Post]]
    cadres: list[tuple[int, Cadre]]
    pins: list[tuple[int, Any]]
    forbids: list[tuple[int, Any]]
    approvals: list[tuple[int, str]]
    waves: Any
    raw_ids: dict[str, list[Any]]  # kind -> the id of every raw record (None when not a string)
    post_townships: list[Any]  # the township of every raw post (None when not a string)
    counts: dict[str, int | None]  # kind -> number of raw records (None when not a list)

    @classmethod
    def of(cls, sc: Scenario) -> "_Parts":
        return cls(
            as_of=sc.as_of,
            townships=list(enumerate(sc.townships)),
            posts=list(enumerate(sc.posts)),
            cadres=list(enumerate(sc.cadres)),
            pins=list(enumerate(sc.pins)),
            forbids=list(enumerate(sc.forbids)),
            approvals=list(enumerate(sc.approvals)),
            waves=sc.waves,
            raw_ids={
                "townships": [t.id for t in sc.townships],
                "posts": [p.id for p in sc.posts],
                "cadres": [c.id for c in sc.cadres],
            },
            post_townships=[p.township for p in sc.posts],
            counts={"townships": len(sc.townships), "posts": len(sc.posts), "cadres": len(sc.cadres)},
        )

    @classmethod
    def salvage(cls, data: dict) -> "_Parts":
        """The records of an invalid document that validate on their own (their problems are reported already)."""

        def records(key: str, model: type[BaseModel]) -> list[tuple[int, Any]]:
            items = data.get(key)
            out = []
            for i, item in enumerate(items if isinstance(items, list) else []):
                try:
                    out.append((i, model.model_validate(item)))
                except ValidationError:
                    pass
            return out

        def ids(key: str, fld: str = "id") -> list[Any]:
            items = data.get(key)
            return [
                item.get(fld) if isinstance(item, dict) and isinstance(item.get(fld), str) else None
                for item in (items if isinstance(items, list) else [])
            ]

        def one(name: str) -> Any:
            try:
                return TypeAdapter(
                    Scenario.model_fields[name].rebuild_annotation(), config=ConfigDict(strict=True)
                ).validate_python(data.get(name))
            except ValidationError:
                return None

        approvals = data.get("approvals")
        return cls(
            as_of=one("as_of"),
            townships=records("townships", Township),
            posts=records("posts", Post),
            cadres=records("cadres", Cadre),
            pins=records("pins", Placement),
            forbids=records("forbids", Placement),
            approvals=[
                (i, a) for i, a in enumerate(approvals if isinstance(approvals, list) else []) if isinstance(a, str)
            ],
            waves=one("waves") if "waves" in data else 1,
            raw_ids={k: ids(k) for k in ("townships", "posts", "cadres")},
            post_townships=ids("posts", "township"),
            counts={
                k: len(data[k]) if isinstance(data.get(k), list) else None for k in ("townships", "posts", "cadres")
            },
        )


def _cross_check(sc: Scenario | _Parts) -> tuple[list[Problem], dict[str, str | None]]:
    """References, duplicates, holders, dates and empty inputs, on the records that validated."""
    parts = sc if isinstance(sc, _Parts) else _Parts.of(sc)
    P: list[Problem] = []
    as_of = parts.as_of

    def rec(kind: str, i: int, rid: str, fld: str | None = None) -> str:
        return f"{kind}[{i}] {rid}" + (f" › {fld}" if fld else "")

    # empty inputs: a county needs townships, posts and cadres, and every township its posts
    for kind in ("townships", "posts", "cadres"):
        if parts.counts[kind] == 0:
            P.append(_problem(kind, f"input.empty_{kind}"))
    known_townships = {t for t in parts.raw_ids["townships"] if t is not None}
    # a post naming an unknown township may be meant for an empty one: its dangling reference is the problem
    if parts.counts["posts"] and all(t in known_townships for t in parts.post_townships):
        with_posts = set(parts.post_townships)
        for i, t in parts.townships:
            if t.id not in with_posts:
                P.append(_problem(rec("townships", i, t.id), "input.township_no_posts", id=t.id))

    for kind in ("townships", "posts", "cadres"):
        dups = _duplicates(r for r in parts.raw_ids[kind] if r is not None)
        for i, rid in enumerate(parts.raw_ids[kind]):
            if rid in dups:
                P.append(_problem(rec(kind, i, rid, "id"), "input.duplicate", id=rid))
    t_ids = {t for t in parts.raw_ids["townships"] if t is not None}
    p_ids = {p for p in parts.raw_ids["posts"] if p is not None}
    c_ids = {c for c in parts.raw_ids["cadres"] if c is not None}
    valid_posts = {p.id for _, p in parts.posts}
    leaving = {c.id for _, c in parts.cadres if c.leaving}

    for i, t in parts.townships:
        if t.kind == "ethnic_township" and not t.ethnic_groups:
            P.append(_problem(rec("townships", i, t.id, "ethnic_groups"), "input.ethnic_groups"))
    for i, p in parts.posts:
        if p.township not in t_ids:
            P.append(_problem(rec("posts", i, p.id, "township"), "input.dangling", what="township", id=p.township))

    holder: dict[str, str | None] = {p.id: None for _, p in parts.posts}
    for i, c in parts.cadres:
        if c.current_post is not None:
            if c.current_post not in p_ids:
                P.append(
                    _problem(rec("cadres", i, c.id, "current_post"), "input.dangling", what="post", id=c.current_post)
                )
            elif c.current_post not in valid_posts:
                pass  # the post's own record is invalid and reported
            elif holder[c.current_post] is not None:
                P.append(
                    _problem(
                        rec("cadres", i, c.id, "current_post"),
                        "input.two_holders",
                        post=c.current_post,
                        a=holder[c.current_post],
                        b=c.id,
                    )
                )
            else:
                holder[c.current_post] = c.id
            if c.post_since is None:
                P.append(_problem(rec("cadres", i, c.id, "post_since"), "input.post_since_missing"))
        for fld in ("birth_date", "rank_since", "post_since"):
            value = getattr(c, fld)
            if as_of is not None and value is not None and value > as_of:
                P.append(_problem(rec("cadres", i, c.id, fld), "input.future_date", date=value, as_of=as_of))
        if c.origin_township is not None and c.origin_township not in t_ids:
            P.append(
                _problem(
                    rec("cadres", i, c.id, "origin_township"), "input.dangling", what="township", id=c.origin_township
                )
            )
        for r in c.relatives:
            if r == c.id:
                P.append(_problem(rec("cadres", i, c.id, "relatives"), "input.self_relative"))
            elif r not in c_ids:
                P.append(_problem(rec("cadres", i, c.id, "relatives"), "input.dangling", what="cadre", id=r))
        for year in c.assessments:
            if not (len(year) == 4 and year.isdigit()):
                P.append(_problem(rec("cadres", i, c.id, f"assessments.{year}"), "input.assessment_year", year=year))

    def placement_refs(kind: str, items: list) -> None:
        for i, pl in items:
            where = f"{kind}[{i}] {pl.cadre}→{pl.post}"
            if pl.cadre not in c_ids:
                P.append(_problem(f"{where} › cadre", "input.dangling", what="cadre", id=pl.cadre))
            if pl.post not in p_ids:
                P.append(_problem(f"{where} › post", "input.dangling", what="post", id=pl.post))

    placement_refs("pins", parts.pins)
    placement_refs("forbids", parts.forbids)
    for i, pl in parts.pins:
        where = f"pins[{i}] {pl.cadre}→{pl.post}"
        if pl.cadre in leaving:
            P.append(_problem(where, "input.pin_leaving", cadre=pl.cadre))
    for what, key in (("cadre", lambda pl: pl.cadre), ("post", lambda pl: pl.post)):
        counts = Counter(key(pl) for _, pl in parts.pins)
        for i, pl in parts.pins:
            if counts[key(pl)] > 1:
                detail = f"{what} {key(pl)} pinned {counts[key(pl)]}×"
                P.append(_problem(f"pins[{i}] {pl.cadre}→{pl.post}", "input.pin_conflict", detail=detail))
    forbidden = {(f.cadre, f.post) for _, f in parts.forbids}
    for i, pl in parts.pins:
        if (pl.cadre, pl.post) in forbidden:
            P.append(_problem(f"pins[{i}] {pl.cadre}→{pl.post}", "input.pin_forbid"))
    for i, a in parts.approvals:
        if a not in c_ids:
            P.append(_problem(f"approvals[{i}]", "input.dangling", what="cadre", id=a))
    if isinstance(parts.waves, list) and as_of is not None:
        dates = parts.waves
        if not dates or dates[0] < as_of or any(b <= a for a, b in zip(dates, dates[1:])):
            P.append(_problem("waves", "input.waves_order"))
    return P, holder


def _wave_dates(sc: Scenario) -> list[dt.date]:
    if isinstance(sc.waves, list):
        return list(sc.waves)
    return [add_quarters(sc.as_of, k) for k in range(sc.waves)]


def load_scenario(source: str | Path | dict | bytes | Scenario) -> Instance:
    """Validate and resolve a scenario; raise :class:`InputError` listing every problem found."""
    if isinstance(source, Scenario):
        sc, data = source, source.model_dump(mode="json", by_alias=True)
    else:
        data = read_json(source, "scenario")
        try:
            sc = Scenario.model_validate(data)
        except ValidationError as exc:
            # every problem at once: the shape errors, and the cross-record ones among the records that validated
            problems = problems_from_validation(exc, data)
            problems += _cross_check(_Parts.salvage(data))[0]
            policy = data.get("policy")
            if isinstance(policy, dict) and all(isinstance(v, dict) for v in policy.values()):
                problems += resolve_policy(policy)[1]
            raise InputError("scenario", _unique(problems)) from None
    problems, holder = _cross_check(sc)
    policy, policy_problems = resolve_policy(sc.policy)
    problems += policy_problems
    if problems:
        raise InputError("scenario", problems)

    posts_of: dict[str, list[str]] = {t.id: [] for t in sc.townships}
    for p in sc.posts:
        posts_of[p.township].append(p.id)
    relatives: dict[str, set[str]] = {c.id: set() for c in sc.cadres}
    for c in sc.cadres:
        for r in c.relatives:
            relatives[c.id].add(r)
            relatives[r].add(c.id)
    return Instance(
        doc=sc,
        townships={t.id: t for t in sc.townships},
        posts={p.id: p for p in sc.posts},
        cadres={c.id: c for c in sc.cadres},
        holder=holder,
        posts_of=posts_of,
        relatives=relatives,
        pins=[(pl.cadre, pl.post) for pl in sc.pins],
        forbids={(f.cadre, f.post) for f in sc.forbids},
        approvals=set(sc.approvals),
        policy=policy,
        wave_dates=_wave_dates(sc),
    )


# ----------------------------------------------------------------------------------------------- plan


def load_plan(source: str | Path | dict | bytes | Plan, inst: Instance) -> Plan:
    """Validate a plan against its scenario: shape, references, waves in range. A post the plan does not list
    keeps today's holder; `county`, when given, must be the scenario's; a missing `county`/`as_of` is filled
    from the scenario."""
    if isinstance(source, Plan):
        plan, data = source, source.model_dump(mode="json", by_alias=True)
    else:
        data = read_json(source, "plan")
        try:
            plan = Plan.model_validate(data)
        except ValidationError as exc:
            raise InputError("plan", problems_from_validation(exc, data)) from None
    P: list[Problem] = []
    if plan.county is not None and plan.county != inst.doc.county.id:
        P.append(_problem("county", "input.plan_county", plan=plan.county, scenario=inst.doc.county.id))
    for i, a in enumerate(plan.assignments):
        where = f"assignments[{i}] {a.post}"
        if a.post not in inst.posts:
            P.append(_problem(f"{where} › post", "input.dangling", what="post", id=a.post))
        if a.cadre is not None and a.cadre not in inst.cadres:
            P.append(_problem(f"{where} › cadre", "input.dangling", what="cadre", id=a.cadre))
        if a.wave > inst.waves:
            P.append(_problem(f"{where} › wave", "input.wave_range", wave=a.wave, waves=inst.waves))
    for i, m in enumerate(plan.moves):
        where = f"moves[{i}] {m.cadre}"
        if m.cadre not in inst.cadres:
            P.append(_problem(f"{where} › cadre", "input.dangling", what="cadre", id=m.cadre))
        for fld, value in (("from", m.from_), ("to", m.to)):
            if value is not None and value not in inst.posts:
                P.append(_problem(f"{where} › {fld}", "input.dangling", what="post", id=value))
        if m.wave > inst.waves:
            P.append(_problem(f"{where} › wave", "input.wave_range", wave=m.wave, waves=inst.waves))
    if P:
        raise InputError("plan", P)
    # a hand-drafted plan may leave these out (FORMAT.md); posts it does not list keep today's holder (PlanView)
    if plan.county is None:
        plan.county = inst.doc.county.id
    if plan.as_of is None:
        plan.as_of = inst.as_of
    return plan


def load_delta(source: str | Path | dict | bytes) -> Delta:
    data = read_json(source, "delta")
    try:
        return Delta.model_validate(data)
    except ValidationError as exc:
        raise InputError("delta", problems_from_validation(exc, data)) from None
