"""What the plan page shows, computed from the checker's reading of a plan: quota bars, moves by township,
vacancy chains, 一乡一表 cards, findings with their people and posts linked, and the what-if diff."""

from __future__ import annotations

from planner.domain.documents import STRUCTURE_FIGURES

import re
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup, escape

from planner.audit.check import CheckReport
from planner.domain import Instance, Plan, Violation
from planner.io.excel.quotas import quotas
from planner.i18n.core import RULE_NAMES

from .messages import translate
from .titles import post_name, post_title

STRUCTURE_FIELDS = STRUCTURE_FIGURES
#: which rule a structure column answers to (its cell is flagged when that rule has a finding there)
FIELD_RULE = {
    "aged_35_or_less": "young-members-team",
    "aged_30_or_less": "under-30",
    "women": "women",
    "experienced_2y": "team-experience",
    "minority": "minority-share",
}

_PAREN_ID = re.compile(r"\(([^()\s]{1,64})\)")


def rule_label(rule: str, lang: str) -> str:
    names = RULE_NAMES.get(rule)
    return (names[1] if lang == "en" else names[0]) if names else rule


def linked(inst: Instance, text: str, lang: str, page: str = "") -> Markup:
    """A finding's text with every person, post and township it names turned into a link to its card row,
    the ids dropped and posts titled by their township's kind (镇长, 办事处主任 …). `page` is the plan page the
    links go to (empty: this page)."""
    out = str(escape(text))
    for ref in dict.fromkeys(_PAREN_ID.findall(text)):
        if ref in inst.cadres:
            label = str(escape(inst.name(ref)))
            link = f'<a class="person" href="{escape(page)}#cadre-{escape(ref)}">{escape(inst.cadres[ref].name)}</a>'
        elif ref in inst.posts:
            label = str(escape(inst.post_label(ref)))
            link = f'<a class="post" href="{escape(page)}#post-{escape(ref)}">{escape(post_name(inst, ref, lang))}</a>'
        elif ref in inst.townships:
            label = str(escape(inst.township_label(ref)))
            link = f'<a class="township" href="{escape(page)}#township-{escape(ref)}">{escape(inst.townships[ref].name)}</a>'
        else:
            continue
        out = out.replace(label, link)
    return Markup(out)


@dataclass
class Finding:
    rule: str
    rule_name: str
    hard: bool
    cost: int
    text: Markup
    townships: list[str]
    cadres: list[str]
    posts: list[str]


def finding(inst: Instance, v: Violation | dict, lang: str, page: str = "") -> Finding:
    v = v if isinstance(v, Violation) else Violation.model_validate(v, strict=False)
    msg = v.message_en if lang == "en" and v.message_en else v.message_zh
    return Finding(
        v.rule,
        rule_label(v.rule, lang),
        v.hard,
        v.cost,
        linked(inst, msg, lang, page),
        list(v.townships),
        list(v.cadres),
        list(v.posts),
    )


@dataclass
class Bar:
    label: str
    value: int
    base: int
    share: float  # value / base, 0..1
    threshold: float  # required share, 0..1
    required: str
    met: bool
    info: bool


def bars(inst: Instance, report: CheckReport, lang: str) -> list[Bar]:
    out = []
    for q in quotas(inst, report.view.states[-1]):
        params = inst.policy[q.rule].params
        threshold = float(getattr(params, "min_share", None) or 0) if q.is_share else 1.0
        label = q.indicator if lang == "zh" else rule_label(q.rule, lang) + (" (county)" if q.mode == "info" else "")
        required = q.required if lang == "zh" else (q.required.replace("全部乡镇", "every township"))
        out.append(
            Bar(
                label,
                q.value,
                q.base,
                q.value / q.base if q.base else 0.0,
                threshold,
                required,
                q.met,
                q.mode == "info",
            )
        )
    return out


@dataclass
class MoveRow:
    cadre: str
    name: str
    kind: str
    kind_label: str
    before: str
    after: str
    wave: int
    reasons: list[str]
    related: list[tuple[str, int]]  # (rule name, cost) of findings and bonuses naming this cadre


@dataclass
class TownshipMoves:
    township: str
    name: str
    moves: list[MoveRow]


def _origin(inst: Instance, cadre: str, lang: str) -> str:
    c = inst.cadres[cadre]
    if c.current_post:
        return post_name(inst, c.current_post, lang)
    return c.current_unit or translate(lang, "ui.outside")


def moves_by_township(inst: Instance, plan: Plan, report: CheckReport, lang: str) -> list[TownshipMoves]:
    related: dict[str, list[tuple[str, int]]] = {}
    for v in [*report.violations, *report.bonuses]:
        for c in v.cadres:
            related.setdefault(c, []).append((rule_label(v.rule, lang), v.cost))
    groups: dict[str, list[MoveRow]] = {t: [] for t in inst.townships}
    for m in plan.moves:
        where = m.to or m.from_
        township = inst.posts[where].township if where in inst.posts else next(iter(inst.townships))
        reasons = [
            r.get("message_en" if lang == "en" else "message_zh") or r.get("message_zh", "")
            for r in (getattr(m, "reasons", None) or [])
            if isinstance(r, dict)
        ]
        after = post_name(inst, m.to, lang) if m.to else translate(lang, f"ui.move.{m.kind}")
        groups[township].append(
            MoveRow(
                m.cadre,
                inst.cadres[m.cadre].name if m.cadre in inst.cadres else m.cadre,
                m.kind,
                translate(lang, f"ui.move.{m.kind}"),
                _origin(inst, m.cadre, lang) if m.cadre in inst.cadres else "",
                after,
                m.wave,
                reasons,
                related.get(m.cadre, []),
            )
        )
    return [TownshipMoves(t, inst.townships[t].name, rows) for t, rows in groups.items() if rows]


@dataclass
class ChainStep:
    post: str
    post_name: str
    cadre: str
    name: str
    left_by: str  # who held the post before (empty: vacant today)


@dataclass
class Chain:
    steps: list[ChainStep]
    source: str


def chains(inst: Instance, plan: Plan, lang: str) -> list[Chain]:
    """Each chain as the posts it fills, in order: the first post was left open, each next one was left by the
    previous step's new holder; the last new holder came from `source`."""
    after = {a.post: a.cadre for a in plan.assignments}
    post_of = {c: p for p, c in after.items() if c is not None}
    out = []
    for chain in plan.chains:
        steps = []
        for cadre in chain:
            post = post_of.get(cadre)
            if post is None:
                continue
            before = inst.holder.get(post)
            steps.append(
                ChainStep(
                    post,
                    post_name(inst, post, lang),
                    cadre,
                    inst.cadres[cadre].name,
                    inst.cadres[before].name if before else "",
                )
            )
        if steps:
            out.append(Chain(steps, _origin(inst, chain[-1], lang)))
    return out


@dataclass
class CardRow:
    post: str
    title: str
    before: str | None
    before_name: str
    after: str | None
    after_name: str
    changed: bool
    diff_changed: bool  # changed by the what-if this plan answers
    wave: int
    before_anchor: bool = False  # today's holder holds no post afterwards: their row is the link target


@dataclass
class Card:
    township: str
    name: str
    kind: str
    rows: list[CardRow]
    structure: list[tuple[str, int, bool]]  # (column label, value, flagged by a finding)
    findings: int


def cards(inst: Instance, plan: Plan, report: CheckReport, lang: str, diff_posts: set[str]) -> list[Card]:
    after = {a.post: a.cadre for a in plan.assignments}
    placed = {c for c in after.values() if c}
    waves = {a.post: a.wave for a in plan.assignments}
    rows_by_t = {r.township: r for r in report.townships}
    flagged = {(v.rule, t) for v in report.violations for t in v.townships}
    count = {t: sum(1 for v in report.violations if t in v.townships) for t in inst.townships}
    out = []
    for t, posts in inst.posts_of.items():
        tw = inst.townships[t]
        rows = []
        for p in posts:
            b, a = inst.holder.get(p), after.get(p)
            rows.append(
                CardRow(
                    p,
                    post_title(inst, p, lang),
                    b,
                    inst.cadres[b].name if b else "",
                    a,
                    inst.cadres[a].name if a else "",
                    b != a,
                    p in diff_posts,
                    waves.get(p, 1),
                    bool(b) and b not in placed,
                )
            )
        row = rows_by_t.get(t)
        structure = []
        if row is not None:
            for f in STRUCTURE_FIELDS:
                if f == "minority" and not inst.is_ethnic(t):
                    continue
                structure.append((translate(lang, f"ui.col.{f}"), getattr(row, f), (FIELD_RULE.get(f), t) in flagged))
        out.append(Card(t, tw.name, translate(lang, f"ui.kind.{tw.kind}"), rows, structure, count[t]))
    return out


@dataclass
class DiffView:
    changed: int
    proven: bool
    objective_before: Any
    objective_after: Any
    added: list[Finding] = field(default_factory=list)
    removed: list[Finding] = field(default_factory=list)
    posts: set[str] = field(default_factory=set)
    notes: list[str] = field(default_factory=list)


def diff_view(inst: Instance, base_inst: Instance | None, plan: Plan, lang: str) -> DiffView | None:
    d = plan.diff
    if not d:
        return None
    old = base_inst or inst
    return DiffView(
        changed=d.get("disruption") or 0,
        proven=bool(d.get("disruption_proven")),
        objective_before=d.get("objective_before"),
        objective_after=d.get("objective_after"),
        added=[finding(inst, v, lang) for v in d.get("violations_added", [])],
        removed=[finding(old, v, lang) for v in d.get("violations_removed", [])],
        posts={c["post"] for c in d.get("changed_posts", [])},
        notes=[
            n.get("message_en" if lang == "en" else "message_zh", "")
            for n in d.get("notes") or []
            if isinstance(n, dict)
        ],
    )
