"""The plan workbook as officers present it: 调整名单, 全县汇总, 一乡一表, 问题清单, a sheet per township."""


from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from openpyxl import Workbook

from planner.domain.vocab import PRINCIPAL_ROLES, RANK_LEVEL
from planner.i18n import (
    EXCEL_SHEETS,
)
from planner.i18n import RULE_NAMES, label_zh, message
from planner.io.excel.style import _BAD_FILL, _BODY_FONT, _BORDER, _CENTER, _HEADER_FILL, _HEADER_FONT, _body, _header_row, _print_setup, _sheet_title, _title, _widths
from planner.io.excel.template import _fmt_param
from planner.io.excel.cells import _t

# ------------------------------------------------------------------------------------------ plan export


def _pct(share: Fraction) -> str:
    value = share * 100
    if value.denominator == 1:
        return f"{value.numerator}%"
    if (value * 10).denominator == 1:
        return f"{float(value):.1f}%"
    return f"{share.numerator}/{share.denominator}"


@dataclass
class Quota:
    """A structure quota of the county summary, computed on the teams as the plan leaves them."""

    rule: str
    indicator: str
    value: int
    base: int
    required: str
    met: bool
    mode: str
    is_share: bool = True  # value/base is a share of people (else a count of townships)


def quotas(inst: Any, state: Any) -> list[Quota]:
    """The county's structure quotas (十项措施) on one wave's state: each with value, base and verdict."""
    from planner.rules.base import need_for_share

    on, holder, members = state.date, state.holder, state.members
    out: list[Quota] = []

    def cfg(rid: str) -> Any:
        return inst.policy[rid]

    P = cfg("young-principals").params
    held = [holder[p] for p in inst.posts if inst.posts[p].role in PRINCIPAL_ROLES and holder[p] is not None]
    young = sum(1 for c in held if inst.age(c, on) <= P.max_age)
    out.append(Quota("young-principals", _t("quota.young-principals", age=P.max_age), young, len(held),
                     _t("require.share", share=_pct(P.min_share)), young >= need_for_share(P.min_share, len(held)),
                     cfg("young-principals").mode))

    P = cfg("young-members").params
    everyone = [c for c in holder.values() if c is not None]
    young = sum(1 for c in everyone if inst.age(c, on) <= P.max_age)
    out.append(Quota("young-members", _t("quota.young-members", age=P.max_age), young, len(everyone),
                     _t("require.share", share=_pct(P.min_share)), young >= need_for_share(P.min_share, len(everyone)),
                     cfg("young-members").mode))

    def teams(rid: str, text: str, ok: Any, applies: Any = lambda t: True) -> None:
        ts = [t for t in inst.townships if applies(t)]
        good = sum(1 for t in ts if ok([c for _, c in members[t]]))
        out.append(Quota(rid, text, good, len(ts), _t("require.all"), good == len(ts), cfg(rid).mode, False))

    P = cfg("young-members-team").params
    teams("young-members-team", _t("quota.young-members-team", age=P.max_age, share=_pct(P.min_share)),
          lambda cs, P=P: sum(1 for c in cs if inst.age(c, on) <= P.max_age) >= need_for_share(P.min_share, len(cs)))
    P = cfg("under-30").params
    teams("under-30", _t("quota.under-30", age=P.max_age, count=P.min_count),
          lambda cs, P=P: sum(1 for c in cs if inst.age(c, on) <= P.max_age) >= P.min_count)
    P = cfg("team-experience").params
    years = _fmt_param(P.min_years)
    teams("team-experience", _t("quota.team-experience", years=years, share=_pct(P.min_share)),
          lambda cs, P=P: sum(1 for c in cs if inst.work_years(c, on) >= P.min_years)
          >= need_for_share(P.min_share, len(cs)))
    exp = sum(1 for c in everyone if inst.work_years(c, on) >= P.min_years)
    out.append(Quota("team-experience", _t("quota.team-experience-county", years=years), exp, len(everyone),
                     _t("require.share", share=_pct(P.min_share)), exp >= need_for_share(P.min_share, len(everyone)),
                     "info"))
    P = cfg("women").params
    teams("women", _t("quota.women", count=P.min_count),
          lambda cs, P=P: sum(1 for c in cs if inst.cadres[c].gender == "F") >= P.min_count)
    P = cfg("minority-share").params
    if P.min_share is not None:
        teams("minority-share", _t("quota.minority-share", share=_pct(P.min_share)),
              lambda cs, P=P: sum(1 for c in cs if inst.is_minority(c)) >= need_for_share(P.min_share, len(cs)),
              inst.is_ethnic)
    P = cfg("non-cpc-share").params
    if P.min_share is not None:
        non = sum(1 for c in everyone if not inst.cadres[c].cpc_member)
        out.append(Quota("non-cpc-share", _t("quota.non-cpc-share"), non, len(everyone),
                         _t("require.share", share=_pct(P.min_share)),
                         non >= need_for_share(P.min_share, len(everyone)), cfg("non-cpc-share").mode))
    return out


def _role_title(inst: Any, post: str) -> str:
    """The post's title as its township kind says it (planner.i18n.titles)."""
    return inst.role_title(post)


def _post_name(inst: Any, post: str | None) -> str:
    if post is None:
        return _t("none")
    return inst.townships[inst.posts[post].township].name + _role_title(inst, post)


def _origin_name(inst: Any, cadre: str) -> str:
    c = inst.cadres[cadre]
    if c.current_post:
        return _post_name(inst, c.current_post)
    return c.current_unit or _t("outside")


def _ym(d: dt.date) -> str:
    return f"{d.year}.{d.month:02d}"


def _years1(value: Fraction) -> float:
    return round(float(value), 1)


@dataclass
class PlanExport:
    workbook: Workbook
    plan: Any  # the plan as the checker reads it (moves, chains, findings filled in)
    report: Any  # the checker's report the figures come from


def plan_workbook(inst: Any, plan: Any) -> Workbook:
    """The plan as officers present it: moves, county summary, 一乡一表, findings, chains, one sheet per team."""
    return export_plan(inst, plan).workbook


def export_plan(inst: Any, plan: Any) -> PlanExport:
    """Build the plan workbook; moves, chains and findings are the checker's reading of the plan (a hand-made
    plan without `moves` gets them too), so every figure matches `planner check`."""
    from planner.audit.check import annotate_plan, check_plan

    plan = plan.model_copy(deep=True)
    report = check_plan(inst, plan)
    annotate_plan(inst, plan, report)
    view = report.view
    final = view.states[-1]
    on = final.date
    county = inst.doc.county.name
    wb = Workbook()
    taken: set[str] = set()
    moves_by_cadre = {m.cadre: m for m in plan.moves}

    # -- moves
    ws = wb.active
    ws.title = _sheet_title(EXCEL_SHEETS["moves"][0], taken)
    heads = ["col.no", "col.name", "col.cadre_id", "col.gender", "col.age", "col.rank_now", "col.from", "col.to",
             "col.kind", "col.wave"]
    _title(ws, _t("title.moves", county=county), len(heads))
    _header_row(ws, 2, [_t(h) for h in heads])
    r = 3
    for i, m in enumerate(plan.moves, start=1):
        c = inst.cadres[m.cadre]
        ws.append([i, c.name, m.cadre, label_zh(c.gender), inst.age(m.cadre, inst.date_of_wave(m.wave)),
                   label_zh(c.rank), _origin_name(inst, m.cadre), _post_name(inst, m.to), label_zh(m.kind), m.wave])
        r += 1
    _body(ws, 3, max(r - 1, 3), len(heads), left=(7, 8))
    _widths(ws, [6, 10, 10, 6, 6, 8, 24, 24, 10, 6])
    _print_setup(ws, "1:2", "C3")

    # -- county summary
    ws = wb.create_sheet(_sheet_title(EXCEL_SHEETS["summary"][0], taken))
    heads = ["col.indicator", "col.value", "col.base", "col.share", "col.required", "col.result", "col.rule",
             "col.mode"]
    _title(ws, _t("title.summary", county=county), len(heads))
    status = message(f"status.{plan.status}")[0]
    info = [("info.county", county), ("info.as_of", inst.as_of.isoformat()), ("info.date", on.isoformat()),
            ("info.status", status), ("info.verdict", report.verdict()[0]), ("info.objective", report.objective),
            ("info.moves", len(plan.moves))]
    for i, (key, value) in enumerate(info, start=2):
        ws.cell(row=i, column=1, value=_t(key)).font = _HEADER_FONT
        ws.cell(row=i, column=2, value=value).font = _BODY_FONT
        ws.merge_cells(start_row=i, start_column=2, end_row=i, end_column=len(heads))
    _body(ws, 2, 1 + len(info), len(heads), left=(1, 2))
    top = 2 + len(info) + 1
    _header_row(ws, top, [_t(h) for h in heads])
    r = top + 1
    for q in quotas(inst, final):
        result = _t("off") if q.mode == "off" else (_t("met") if q.met else _t("not_met"))
        if q.mode == "info":
            result = _t("require.info")
        share = (q.value / q.base) if q.base else None
        ws.append([q.indicator, q.value, q.base, share, q.required, result,
                   q.rule, label_zh(q.mode) if q.mode != "info" else ""])
        ws.cell(row=r, column=4).number_format = "0.0%"
        if q.mode not in ("off", "info") and not q.met:
            for j in range(1, len(heads) + 1):
                ws.cell(row=r, column=j).fill = _BAD_FILL
        r += 1
    _body(ws, top + 1, max(r - 1, top + 1), len(heads), left=(1,))
    _widths(ws, [40, 10, 10, 10, 14, 10, 22, 8])
    _print_setup(ws, f"{top}:{top}", None)

    # -- 一乡一表
    ws = wb.create_sheet(_sheet_title(EXCEL_SHEETS["structure"][0], taken))
    figures = ["members", "aged_35_or_less", "aged_30_or_less", "women", "experienced_2y", "cpc", "minority",
               "postgraduate_or_bachelor"]
    heads = [_t("col.no"), _t("col.township")] + [_t(f"row.{f}") for f in figures]
    _title(ws, _t("title.structure", county=county), len(heads))
    _header_row(ws, 2, heads)
    for i, row in enumerate(report.townships, start=1):
        ws.append([i, row.name or row.township] + [getattr(row, f) for f in figures])
    ws.append(["", _t("row.county_total")] + [getattr(report.totals, f) for f in figures])
    last = 3 + len(report.townships)
    _body(ws, 3, last, len(heads))
    for j in range(1, len(heads) + 1):
        ws.cell(row=last, column=j).font = _HEADER_FONT
    _widths(ws, [6, 18] + [11] * len(figures))
    _print_setup(ws, "1:2", "C3")

    # -- findings
    ws = wb.create_sheet(_sheet_title(EXCEL_SHEETS["violations"][0], taken))
    heads = ["col.no", "col.rule", "col.rule_name", "col.mode", "col.amount", "col.cost", "col.township",
             "col.wave", "col.message_zh", "col.message_en"]
    _title(ws, _t("title.violations", county=county), len(heads))
    _header_row(ws, 2, [_t(h) for h in heads])
    ordered = sorted(report.violations, key=lambda v: (not v.hard, -v.cost))
    for i, v in enumerate(ordered, start=1):
        ws.append([i, v.rule, RULE_NAMES[v.rule][0], label_zh("hard" if v.hard else "soft"), v.amount, v.cost,
                   "、".join(inst.townships[t].name for t in v.townships if t in inst.townships),
                   v.wave, v.message_zh, v.message_en])
        if v.hard:
            for j in range(1, len(heads) + 1):
                ws.cell(row=2 + i, column=j).fill = _BAD_FILL
    _body(ws, 3, max(2 + len(ordered), 3), len(heads), left=(9, 10))
    _widths(ws, [6, 20, 22, 8, 6, 8, 16, 6, 50, 50])
    _print_setup(ws, "1:2", "B3")

    # -- vacancy chains
    ws = wb.create_sheet(_sheet_title(EXCEL_SHEETS["chains"][0], taken))
    heads = ["col.no", "col.people", "col.chain", "col.steps"]
    _title(ws, _t("title.chains", county=county), len(heads))
    _header_row(ws, 2, [_t(h) for h in heads])
    for i, chain in enumerate(plan.chains, start=1):
        steps = []
        for cid in chain:
            m = moves_by_cadre.get(cid)
            steps.append(f"{inst.cadres[cid].name}：{_origin_name(inst, cid)}→{_post_name(inst, m.to if m else None)}")
        ws.append([i, len(chain), " → ".join(inst.cadres[c].name for c in chain), "；".join(steps)])
    _body(ws, 3, max(2 + len(plan.chains), 3), len(heads), left=(3, 4))
    _widths(ws, [6, 6, 40, 90])
    _print_setup(ws, "1:2", "A3")

    # -- one sheet per township: the team after the plan and its structure figures
    before_rows = {row.township: row for row in _structure_today(inst)}
    after_rows = {row.township: row for row in report.townships}
    heads = ["col.no", "col.role", "col.post_id", "col.name", "col.gender", "col.birth", "col.age", "col.ethnicity",
             "col.education", "col.political", "col.rank", "col.work_years", "col.lead_years", "col.change"]
    for t, posts in inst.posts_of.items():
        ws = wb.create_sheet(_sheet_title(inst.townships[t].name, taken))
        _title(ws, _t("title.team", township=inst.townships[t].name), len(heads))
        _header_row(ws, 2, [_t(h) for h in heads])
        for i, post in enumerate(posts, start=1):
            cid = final.holder[post]
            p = inst.posts[post]
            if cid is None:
                ws.append([i, _role_title(inst, post), post, _t("vacant")] + [""] * (len(heads) - 4))
                continue
            c = inst.cadres[cid]
            rank = p.rank if RANK_LEVEL[p.rank] > RANK_LEVEL[c.rank] else c.rank
            if cid == inst.holder[post]:
                change = _t("stays")
            else:
                m = moves_by_cadre.get(cid)
                change = _t("change.from", kind=label_zh(m.kind) if m else "", origin=_origin_name(inst, cid))
            ws.append([i, _role_title(inst, post), post, c.name, label_zh(c.gender), _ym(c.birth_date),
                       inst.age(cid, on), c.ethnicity, label_zh(c.education), _t("cpc") if c.cpc_member else _t("non_cpc"),
                       label_zh(rank), _years1(inst.work_years(cid, on)), _years1(inst.leadership_years(cid, on)),
                       change])
        last = 2 + len(posts)
        _body(ws, 3, max(last, 3), len(heads), left=(14,))
        top = last + 2
        block = ["col.item", "col.before", "col.after", "col.share_after"]
        for j, h in enumerate(block, start=2):
            c = ws.cell(row=top, column=j, value=_t(h))
            c.font, c.fill, c.border, c.alignment = _HEADER_FONT, _HEADER_FILL, _BORDER, _CENTER
        after, before = after_rows[t], before_rows[t]
        for k, f in enumerate(figures):
            r = top + 1 + k
            values = [_t(f"row.{f}"), getattr(before, f), getattr(after, f),
                      (getattr(after, f) / after.members) if after.members and f != "members" else None]
            for j, v in enumerate(values, start=2):
                ws.cell(row=r, column=j, value=v)
            ws.cell(row=r, column=5).number_format = "0.0%"
        _body(ws, top + 1, top + len(figures), 5, first_col=2)
        _widths(ws, [6, 18, 12, 10, 6, 10, 6, 8, 12, 12, 8, 10, 10, 28])
        _print_setup(ws, "1:2", "E3")
    return PlanExport(wb, plan, report)


def _structure_today(inst: Any) -> list[Any]:
    from planner.audit.tables import structure_table

    return structure_table(inst)[0]
