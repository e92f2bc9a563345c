"""The meeting document (planner report): the plan as an organization department circulates it.

Parts: title; 一、总体情况 (scope, moves counted by kind, optimality, the audit's verdict); 二、班子结构指标
(each county quota: required, before, after, met); 三、调整名单及理由 (every move, with its reasons when the plan
carries them); 四、调整链条; 五、需要说明的问题 (findings, hard first); 附件：一乡一表 (a page per township: each
post before → after, who leaves and where to, the structure counts against the team thresholds).

Every figure is the independent checker's reading of the plan (as in the plan workbook), so the document
agrees with `planner check`. Words come from planner.i18n.report; Chinese by default, English with lang="en".
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from planner.i18n import RULE_NAMES, label_zh
from planner.i18n.report import REPORT_TEXT
from planner.io.report_docx import new_document, page_break, paragraph, table

_KIND_ORDER = ("promotion", "transfer", "appointment", "release", "leaving")
_FIGURES = (
    ("members", "structure.members"),
    ("aged_35_or_less", "structure.young35"),
    ("aged_30_or_less", "structure.young30"),
    ("women", "structure.women"),
    ("experienced_2y", "structure.exp2"),
    ("cpc", "structure.cpc"),
    ("minority", "structure.minority"),
    ("postgraduate_or_bachelor", "structure.bachelor"),
)


@dataclass
class Report:
    document: Any  # docx.Document
    plan: Any  # the plan as the checker reads it
    report: Any  # the checker's report

    def to_bytes(self) -> bytes:
        buf = io.BytesIO()
        self.document.save(buf)
        return buf.getvalue()


class _Words:
    def __init__(self, lang: str, inst: Any = None):
        self.k = 1 if lang == "en" else 0
        self.lang = lang
        # "(C0018)", "(T13-SEC)": the ids the checker's messages carry after names, dropped on paper
        ids = set(inst.cadres) | set(inst.posts) | set(inst.townships) if inst is not None else set()
        self._ids = (
            re.compile(r"[(（](" + "|".join(re.escape(i) for i in sorted(ids, key=len, reverse=True)) + r")[)）]")
            if ids
            else None
        )

    def __call__(self, key: str, **fields: Any) -> str:
        return REPORT_TEXT[key][self.k].format(**fields)

    def label(self, value: str | None) -> str:
        if value is None:
            return ""
        return label_zh(value) if self.k == 0 else value.replace("_", " ")

    def rule(self, rid: str) -> str:
        return RULE_NAMES[rid][self.k] if rid in RULE_NAMES else rid

    def message(self, item: Any) -> str:
        get = item.get if isinstance(item, dict) else (lambda k, d=None: getattr(item, k, d))
        text = get("message_en" if self.k else "message_zh", "") or ""
        return self._ids.sub("", text) if self._ids is not None else text


def post_name(inst: Any, post: str | None) -> str:
    if post is None:
        return "—"
    return inst.townships[inst.posts[post].township].name + inst.role_title(post)


def _pct(x: float) -> str:
    return f"{100 * x:.1f}".removesuffix(".0") + "%"


def _share_text(value: int, base: int, is_share: bool) -> str:
    if not is_share:
        return f"{value}/{base}"
    return f"{value}/{base}\n{_pct(value / base)}" if base else f"{value}/0"  # the share on a line of its own


def reasons_by_cadre(plan: Any) -> dict[str, list[Any]]:
    """The reasons the plan's moves carry (planner.analysis.reasons writes them), by cadre; none is fine."""
    out: dict[str, list[Any]] = {}
    for m in plan.moves:
        reasons = getattr(m, "reasons", None)
        if reasons:
            out[m.cadre] = list(reasons)
    return out


def build_report(inst: Any, plan: Any, *, lang: str = "zh", today: dt.date | None = None) -> Report:
    """The meeting document of `plan` for `inst` (both already loaded and validated)."""
    from planner.audit.check import annotate_plan, check_plan

    w = _Words(lang, inst)
    reasons = reasons_by_cadre(plan)
    explanation = plan.explanation
    plan = plan.model_copy(deep=True)
    report = check_plan(inst, plan)
    annotate_plan(inst, plan, report)
    doc = new_document()
    county = inst.doc.county.name
    doc.add_paragraph(w("title", county=county), style="Title")
    paragraph(doc, w("subtitle"), indent=False, align=1, font="楷体")
    paragraph(
        doc,
        w("dateline", as_of=inst.as_of.isoformat(), today=(today or dt.date.today()).isoformat()),
        indent=False,
        align=1,
        size=12,
    )

    _summary(doc, w, inst, plan, report)
    if plan.status in ("infeasible", "unknown") and not plan.assignments:
        _no_plan(doc, w, explanation)
        return Report(doc, plan, report)
    _quotas(doc, w, inst, plan, report)
    _moves(doc, w, inst, plan, reasons)
    _chains(doc, w, inst, plan)
    _findings(doc, w, report)
    _townships(doc, w, inst, plan, report)
    return Report(doc, plan, report)


# ------------------------------------------------------------------------------------------------ parts


def _summary(doc: Any, w: _Words, inst: Any, plan: Any, report: Any) -> None:
    doc.add_heading(w("h.summary"), level=1)
    paragraph(doc, w("summary.scope", townships=len(inst.townships), posts=len(inst.posts), cadres=len(inst.cadres)))
    if plan.status in ("infeasible", "unknown") and not plan.assignments:
        paragraph(doc, w("summary.infeasible"))
        return
    n = Counter(m.kind for m in plan.moves)
    sep = "、" if w.k == 0 else ", "
    counts = sep.join(f"{w.label(k)}{n[k]}人" if w.k == 0 else f"{n[k]} {w.label(k)}" for k in _KIND_ORDER if n[k])
    paragraph(doc, w("summary.moves", n=len(plan.moves), counts=counts) if plan.moves else w("summary.no_moves"))
    if inst.waves > 1 and plan.timeline:
        steps = sep.join(w("summary.wave", wave=s["wave"], date=s["date"], n=len(s["moves"])) for s in plan.timeline)
        paragraph(doc, w("summary.waves", n=inst.waves, steps=steps))
    if plan.status == "optimal":
        paragraph(doc, w("summary.optimal"))
    elif plan.status == "feasible" and plan.bound is not None and plan.gap is not None:
        paragraph(doc, w("summary.feasible", gap=_pct(plan.gap)))
    elif plan.status == "feasible":
        paragraph(doc, w("summary.feasible_nobound"))
    else:
        paragraph(doc, w("summary.hand"))
    hard = report.hard_violations
    paragraph(doc, w("summary.verdict_broken", n=len(hard)) if hard else w("summary.verdict_ok"), bold=bool(hard))
    soft = [v for v in report.violations if not v.hard]
    if soft:
        paragraph(doc, w("summary.soft", n=len(soft)))


def _no_plan(doc: Any, w: _Words, explanation: Any) -> None:
    if not explanation:
        return
    doc.add_heading(w("h.findings"), level=1)
    paragraph(doc, w.message(explanation))
    for r in explanation.get("rules", []):
        paragraph(doc, f"{r['name_en' if w.k else 'name_zh']}：{w.message(r)}")


def _before_state(inst: Any) -> Any:
    """Today's teams as a wave state (a plan that changes nothing)."""
    from planner.domain.documents import Plan
    from planner.domain.planview import PlanView

    keep = Plan(
        format="reshuffle-plan/1", county=inst.doc.county.id, as_of=inst.as_of, status="feasible", assignments=[]
    )
    return PlanView.from_plan(inst, keep).states[-1]


def _quotas(doc: Any, w: _Words, inst: Any, plan: Any, report: Any) -> None:
    from planner.io.excel.quotas import quotas

    doc.add_heading(w("h.quotas"), level=1)
    before = {(q.rule, q.indicator): q for q in quotas(inst, _before_state(inst))}
    rows: list[list[str]] = []
    bad: set[int] = set()
    for q in quotas(inst, report.view.states[-1]):
        b = before.get((q.rule, q.indicator))
        if q.mode == "off":
            result = w("off")
        elif q.mode == "info":
            result = w("info")
        else:
            result = w("met") if q.met else w("not_met")
            if not q.met:
                bad.add(len(rows))
        rows.append(
            [
                q.indicator,
                q.required,
                _share_text(b.value, b.base, b.is_share) if b else "",
                _share_text(q.value, q.base, q.is_share),
                result,
            ]
        )
    heads = [w("col.indicator"), w("col.required"), w("col.before"), w("col.after"), w("col.result")]
    table(doc, heads, rows, [5.6, 2.4, 2.9, 2.9, 1.6], bad_rows=bad, center=(1, 2, 3, 4))


def _origin(inst: Any, w: _Words, cadre: str) -> str:
    c = inst.cadres[cadre]
    if c.current_post:
        return post_name(inst, c.current_post)
    return c.current_unit or w("outside")


def _person(inst: Any, w: _Words, cadre: str, on: dt.date) -> str:
    c = inst.cadres[cadre]
    return w("person", name=c.name, gender=w.label(c.gender), age=inst.age(cadre, on))


def _township_of(inst: Any, m: Any) -> str:
    return inst.posts[m.to or m.from_].township


def _moves(doc: Any, w: _Words, inst: Any, plan: Any, reasons: dict[str, list[Any]]) -> None:
    doc.add_heading(w("h.moves"), level=1)
    if not plan.moves:
        paragraph(doc, w("summary.no_moves"))
        return
    order = {t: k for k, t in enumerate(inst.townships)}
    moves = sorted(plan.moves, key=lambda m: (order[_township_of(inst, m)], _KIND_ORDER.index(m.kind), m.cadre))
    with_reasons = any(m.cadre in reasons for m in moves)
    heads = [w("col.no"), w("col.name"), w("col.from"), w("col.to"), w("col.kind")]
    widths = [1.4, 3.0, 4.6, 4.6, 1.6]
    if with_reasons:
        heads.append(w("col.reasons"))
        widths = [1.3, 2.5, 3.1, 3.1, 1.4, 4.2]
    rows = []
    for i, m in enumerate(moves, start=1):
        row = [
            str(i),
            _person(inst, w, m.cadre, inst.date_of_wave(m.wave)).replace("（", "\n（", 1),
            _origin(inst, w, m.cadre),
            post_name(inst, m.to) if m.to else w("leaves.out"),
            w.label(m.kind),
        ]
        if with_reasons:
            row.append("\n".join(w.message(r) for r in reasons.get(m.cadre, [])))
        rows.append(row)
    table(doc, heads, rows, widths, center=(0, 1, 4))


def _chains(doc: Any, w: _Words, inst: Any, plan: Any) -> None:
    doc.add_heading(w("h.chains"), level=1)
    to = {m.cadre: m.to for m in plan.moves}
    chains = [c for c in plan.chains if len(c) > 1]
    if not chains:
        paragraph(doc, w("chains.none"))
        return
    for k, chain in enumerate(sorted(chains, key=len, reverse=True), start=1):
        steps = [
            w(
                "chain.step",
                name=inst.cadres[c].name,
                origin=_origin(inst, w, c),
                to=post_name(inst, to.get(c)) if to.get(c) else w("leaves.out"),
            )
            for c in chain
        ]
        paragraph(doc, f"{k}. " + " → ".join(steps))


def _findings(doc: Any, w: _Words, report: Any, per_rule: int = 8) -> None:
    doc.add_heading(w("h.findings"), level=1)
    hard = [v for v in report.violations if v.hard]
    soft = [v for v in report.violations if not v.hard]
    if not hard and not soft:
        paragraph(doc, w("findings.none"))
        return
    no = 1
    for title, items in ((w("findings.hard"), hard), (None, soft)):
        if not items:
            continue
        if title is None:
            title = w("findings.soft", no="一二三"[no - 1] if w.k == 0 else "ab"[no - 1])
        doc.add_heading(title, level=2)
        no += 1
        by_rule: dict[str, list[Any]] = defaultdict(list)
        for v in items:
            by_rule[v.rule].append(v)
        for rid, vs in sorted(by_rule.items(), key=lambda kv: -sum(v.cost for v in kv[1])):
            doc.add_heading(w("findings.rule", rule=w.rule(rid), n=len(vs)), level=3)
            for k, v in enumerate(vs[:per_rule], start=1):
                paragraph(doc, f"{k}. {w.message(v)}")
            if len(vs) > per_rule:
                paragraph(doc, w("findings.more", n=len(vs) - per_rule))


def _team_requirements(inst: Any) -> dict[str, tuple[str, Any]]:
    """Structure row → (what it must be, test(value, members)), for the team thresholds that use the row's
    own cut-off (35 years, 30 years, 2 years in townships) and are switched on."""
    from planner.rules.base import need_for_share

    out: dict[str, tuple[str, Any]] = {}

    def on(rid: str) -> Any:
        cfg = inst.policy[rid]
        return cfg if cfg.mode != "off" else None

    cfg = on("young-members-team")
    if cfg is not None and cfg.params.max_age == 35:
        share = cfg.params.min_share
        out["aged_35_or_less"] = (f"≥{_pct(float(share))}", lambda v, n, s=share: v >= need_for_share(s, n))
    cfg = on("under-30")
    if cfg is not None and cfg.params.max_age == 30:
        k = cfg.params.min_count
        out["aged_30_or_less"] = (f"≥{k}", lambda v, n, k=k: v >= k)
    cfg = on("team-experience")
    if cfg is not None and cfg.params.min_years == 2:
        share = Fraction(cfg.params.min_share)
        out["experienced_2y"] = (
            f"≥{share.numerator}/{share.denominator}" if share.denominator != 1 else "全部",
            lambda v, n, s=share: v >= need_for_share(s, n),
        )
    cfg = on("women")
    if cfg is not None:
        k = cfg.params.min_count
        out["women"] = (f"≥{k}", lambda v, n, k=k: v >= k)
    return out


def _townships(doc: Any, w: _Words, inst: Any, plan: Any, report: Any) -> None:
    from planner.audit.tables import structure_table

    final = report.view.states[-1]
    kind_of = {m.cadre: m.kind for m in plan.moves}
    before_rows = {r.township: r for r in structure_table(inst)[0]}
    after_rows = {r.township: r for r in report.townships}
    needs = _team_requirements(inst)
    page_break(doc)
    doc.add_heading(w("h.townships"), level=1)
    for k, (t, posts) in enumerate(inst.posts_of.items()):
        if k:
            page_break(doc)
        name = inst.townships[t].name
        doc.add_heading(w("h.township", township=name), level=2)
        rows = []
        for post in posts:
            old, new = inst.holder[post], final.holder[post]
            if new is None:
                change = w("vacant")
            elif new == old:
                change = w("stays")
            else:
                change = w("arrives", kind=w.label(kind_of.get(new, "")), origin=_origin(inst, w, new))
            rows.append(
                [
                    inst.role_title(post),
                    inst.cadres[old].name if old else w("vacant"),
                    inst.cadres[new].name if new else w("vacant"),
                    change,
                ]
            )
        table(
            doc,
            [w("col.post"), w("col.before"), w("col.after"), w("col.change")],
            rows,
            [3.6, 2.4, 2.4, 7.2],
            center=(1, 2),
        )
        leaving = []
        for m in plan.moves:
            if (
                m.from_ is not None
                and inst.posts[m.from_].township == t
                and (m.to is None or inst.posts[m.to].township != t)
            ):
                where = w("leaves.to", post=post_name(inst, m.to)) if m.to else w("leaves.out")
                leaving.append(w("leaves.one", name=inst.cadres[m.cadre].name, kind=w.label(m.kind), where=where))
        if leaving:
            paragraph(doc, w("leaves", people="；".join(leaving) if w.k == 0 else "; ".join(leaving)), size=12)
        b, a = before_rows[t], after_rows[t]
        srows: list[list[str]] = []
        bad = set()
        for field, key in _FIGURES:
            need = needs.get(field)
            verdict = ""
            if need is not None:
                ok = need[1](getattr(a, field), a.members)
                verdict = w("met") if ok else w("not_met")
                if not ok:
                    bad.add(len(srows))
            srows.append([w(key), str(getattr(b, field)), str(getattr(a, field)), need[0] if need else "", verdict])
        table(
            doc,
            [w("col.item"), w("col.before"), w("col.after"), w("col.required"), w("col.result")],
            srows,
            [4.6, 2.6, 2.6, 3.4, 2.4],
            bad_rows=bad,
            center=(1, 2, 3, 4),
        )


__all__ = ["build_report", "Report", "post_name", "reasons_by_cadre"]
