"""The plan workbook as officers present it: 调整名单, 全县汇总, 一乡一表, 问题清单, a sheet per township."""

from __future__ import annotations

from planner.domain.documents import STRUCTURE_FIGURES

import datetime as dt
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from openpyxl.worksheet.datavalidation import DataValidation

from planner.i18n import EXCEL_SHEETS, EXCEL_TEXT
from planner.i18n import RULE_NAMES, label_zh, message
from planner.i18n.titles import post_title, post_title_en
from planner.io.excel.style import (
    _BAD_FILL,
    _BODY_FONT,
    _BORDER,
    _CENTER,
    _HEADER_FILL,
    _HEADER_FONT,
    _LEFT,
    _body,
    _header_row,
    _print_setup,
    _sheet_title,
    _title,
    fit_columns,
    fit_rows,
)
from planner.io.excel.cells import _t

# ------------------------------------------------------------------------------------------ plan export


from planner.io.excel.quotas import quotas


LANGS = ("zh", "en", "both")


class _Words:
    """The workbook's words in one language: Chinese (default), English, or Chinese with the English columns."""

    def __init__(self, inst: Any, lang: str):
        if lang not in LANGS:
            raise ValueError(f"lang must be one of {LANGS}")
        self.inst, self.lang = inst, lang
        self.en = lang == "en"
        self.extra = lang in ("en", "both")  # rule ids, English messages, ids shown

    def t(self, key: str, **fields: Any) -> str:
        return EXCEL_TEXT[key][1 if self.en else 0].format(**fields)

    def label(self, value: str | None) -> str:
        return (value or "") if self.en else label_zh(value)

    def sheet(self, key: str) -> str:
        return EXCEL_SHEETS[key][1 if self.en else 0]

    def role(self, post: str) -> str:
        p = self.inst.posts[post]
        kind = self.inst.townships[p.township].kind
        return post_title_en(kind, p.role) if self.en else post_title(kind, p.role)

    def post(self, post: str | None) -> str:
        """上石街道党工委书记 — the township's name and the title its kind gives the post."""
        if post is None:
            return self.t("none")
        name = self.inst.townships[self.inst.posts[post].township].name
        return f"{name} {self.role(post)}" if self.en else name + self.role(post)

    def origin(self, cadre: str) -> str:
        c = self.inst.cadres[cadre]
        if c.current_post:
            return self.post(c.current_post)
        return c.current_unit or self.t("outside")


def _post_name(inst: Any, post: str | None) -> str:
    if post is None:
        return _t("none")
    return inst.post_title(post)


def _origin_name(inst: Any, cadre: str) -> str:
    c = inst.cadres[cadre]
    if c.current_post:
        return _post_name(inst, c.current_post)
    return c.current_unit or _t("outside")


def _ym(d: dt.date) -> str:
    return f"{d.year}.{d.month:02d}"


def _years1(value: Fraction) -> float:
    return round(float(value), 1)


def _reasons(move: Any) -> str:
    """The move's reasons (拟任理由) in Chinese, when the plan gives them."""
    from planner.domain.documents import reasons_text

    return reasons_text(move) if getattr(move, "reasons", None) else ""


@dataclass
class PlanExport:
    workbook: Workbook
    plan: Any  # the plan as the checker reads it (moves, chains, findings filled in)
    report: Any  # the checker's report the figures come from


def plan_workbook(inst: Any, plan: Any, lang: str = "zh") -> Workbook:
    """The plan as officers present it: moves, county summary, 一乡一表, findings, chains, one page per team."""
    return export_plan(inst, plan, lang=lang).workbook


def _hide(ws: Any, columns: list[int]) -> None:
    for j in columns:
        ws.column_dimensions[get_column_letter(j)].hidden = True


def export_plan(inst: Any, plan: Any, lang: str = "zh") -> PlanExport:
    """Build the plan workbook; moves, chains and findings are the checker's reading of the plan (a hand-made
    plan without `moves` gets them too), so every figure matches `planner check`.

    `lang`: ``zh`` (default) a workbook for a Chinese meeting: Chinese only, no rule ids, ids in hidden columns
    (read back by ``planner check``); ``en`` English; ``both`` Chinese with the rule ids and English columns.
    """
    from planner.audit.check import annotate_plan, check_plan
    from planner.io.excel.plan_read import PLAN_DATA_SHEET

    W = _Words(inst, lang)
    given_reasons = {m.cadre: m for m in plan.moves if getattr(m, "reasons", None)}
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
    phased = inst.waves > 1

    # -- moves (调整名单): read back by `planner check`; the id columns settle shared names and titles
    ws = wb.active
    ws.title = _sheet_title(W.sheet("moves"), taken)
    heads = ["col.no", "col.name", "col.gender", "col.age", "col.rank_now", "col.from", "col.to", "col.kind"]
    heads += ["col.wave"] * phased + ["col.reasons", "col.cadre_id", "col.post_id"]
    _title(ws, W.t("title.moves", county=county), len(heads) - (0 if W.extra else 2))
    _header_row(ws, 2, [W.t(h) for h in heads])
    r = 3
    for i, m in enumerate(plan.moves, start=1):
        c = inst.cadres[m.cadre]
        reasons = _reasons(given_reasons.get(m.cadre)) if m.cadre in given_reasons else ""
        row = (
            [
                i,
                c.name,
                W.label(c.gender),
                inst.age(m.cadre, inst.date_of_wave(m.wave)),
                W.label(c.rank),
                W.origin(m.cadre),
                W.post(m.to),
                W.label(m.kind),
            ]
            + [m.wave] * phased
            + [reasons, m.cadre, m.to or ""]
        )
        ws.append(row)
        r += 1
    _body(ws, 3, max(r - 1, 3), len(heads), left=(2, 6, 7, heads.index("col.reasons") + 1))
    fit_columns(ws, 2, maximum=40)
    if not W.extra:
        _hide(ws, [len(heads) - 1, len(heads)])
    fit_rows(ws, 3)
    _print_setup(ws, "1:2", "C3")

    # -- county summary
    ws = wb.create_sheet(_sheet_title(W.sheet("summary"), taken))
    heads = ["col.indicator", "col.value", "col.base", "col.share", "col.required", "col.result", "col.mode"]
    heads += ["col.rule"] * W.extra
    _title(ws, W.t("title.summary", county=county), len(heads))
    status = message(f"status.{plan.status}")[1 if W.en else 0]
    verdict = report.verdict()[1 if W.en else 0]
    info = [
        ("info.county", county),
        ("info.as_of", inst.as_of.isoformat()),
        ("info.date", on.isoformat()),
        ("info.status", status),
        ("info.verdict", verdict),
        ("info.objective", report.objective),
        ("info.moves", len(plan.moves)),
    ]
    for i, (key, value) in enumerate(info, start=2):
        ws.cell(row=i, column=1, value=W.t(key)).font = _HEADER_FONT
        ws.cell(row=i, column=2, value=value).font = _BODY_FONT
        ws.merge_cells(start_row=i, start_column=2, end_row=i, end_column=len(heads))
    _body(ws, 2, 1 + len(info), len(heads), left=(1, 2))
    top = 2 + len(info) + 1
    _header_row(ws, top, [W.t(h) for h in heads])
    r = top + 1
    for q in quotas(inst, final, "en" if W.en else "zh"):
        result = W.t("off") if q.mode == "off" else (W.t("met") if q.met else W.t("not_met"))
        if q.mode == "info":
            result = W.t("require.info")
        share = (q.value / q.base) if q.base else None
        ws.append(
            [q.indicator, q.value, q.base, share, q.required, result, W.label(q.mode) if q.mode != "info" else ""]
            + [q.rule] * W.extra
        )
        ws.cell(row=r, column=4).number_format = "0.0%"
        if q.mode not in ("off", "info") and not q.met:
            for j in range(1, len(heads) + 1):
                ws.cell(row=r, column=j).fill = _BAD_FILL
        r += 1
    _body(ws, top + 1, max(r - 1, top + 1), len(heads), left=(1,))
    fit_columns(ws, top, maximum=44)
    fit_rows(ws, 2)
    _print_setup(ws, f"{top}:{top}", None)

    # -- 一乡一表 (the county's structure table)
    ws = wb.create_sheet(_sheet_title(W.sheet("structure"), taken))
    figures = list(STRUCTURE_FIGURES)
    heads = [W.t("col.no"), W.t("col.township")] + [W.t(f"row.{f}") for f in figures]
    _title(ws, W.t("title.structure", county=county), len(heads))
    _header_row(ws, 2, heads)
    for i, trow in enumerate(report.townships, start=1):
        ws.append([i, trow.name or trow.township] + [getattr(trow, f) for f in figures])
    ws.append(["", W.t("row.county_total")] + [getattr(report.totals, f) for f in figures])
    last = 3 + len(report.townships)
    _body(ws, 3, last, len(heads))
    for j in range(1, len(heads) + 1):
        ws.cell(row=last, column=j).font = _HEADER_FONT
    fit_columns(ws, 3, minimum=9)
    fit_rows(ws, 2)
    _print_setup(ws, "1:2", "C3")

    # -- findings (问题清单)
    ws = wb.create_sheet(_sheet_title(W.sheet("violations"), taken))
    heads = ["col.no", "col.rule_name", "col.mode", "col.amount", "col.cost", "col.township"] + ["col.wave"] * phased
    heads += ["col.message_zh"] if not W.en else []
    heads += ["col.rule", "col.message_en"] if W.extra else []
    _title(ws, W.t("title.violations", county=county), len(heads))
    _header_row(ws, 2, [W.t(h) for h in heads])
    ordered = sorted(report.violations, key=lambda v: (not v.hard, -v.cost))
    for i, v in enumerate(ordered, start=1):
        row = [
            i,
            RULE_NAMES[v.rule][1 if W.en else 0],
            W.label("hard" if v.hard else "soft"),
            v.amount,
            v.cost,
            "、".join(inst.townships[t].name for t in v.townships if t in inst.townships),
        ] + [v.wave] * phased
        row += [v.message_zh] if not W.en else []
        row += [v.rule, v.message_en] if W.extra else []
        ws.append(row)
        if v.hard:
            for j in range(1, len(heads) + 1):
                ws.cell(row=2 + i, column=j).fill = _BAD_FILL
    long_cols = [j for j, h in enumerate(heads, start=1) if h in ("col.message_zh", "col.message_en")]
    _body(ws, 3, max(2 + len(ordered), 3), len(heads), left=[2, 6] + long_cols)
    fit_columns(ws, 2, maximum=24, fixed={j: 56 if W.extra and not W.en else 70 for j in long_cols})
    fit_rows(ws, 3)
    _print_setup(ws, "1:2", "B3")

    # -- vacancy chains
    ws = wb.create_sheet(_sheet_title(W.sheet("chains"), taken))
    heads = ["col.no", "col.people", "col.chain", "col.steps"]
    _title(ws, W.t("title.chains", county=county), len(heads))
    _header_row(ws, 2, [W.t(h) for h in heads])
    for i, chain in enumerate(plan.chains, start=1):
        steps = []
        for cid in chain:
            m = moves_by_cadre.get(cid)
            steps.append(f"{inst.cadres[cid].name}：{W.origin(cid)}→{W.post(m.to if m else None)}")
        ws.append([i, len(chain), " → ".join(inst.cadres[c].name for c in chain), "；".join(steps)])
    _body(ws, 3, max(2 + len(plan.chains), 3), len(heads), left=(3, 4))
    fit_columns(ws, 2, fixed={3: 36, 4: 80})
    fit_rows(ws, 3)
    _print_setup(ws, "1:2", "A3")

    # -- 锁定排除: the scenario's pins and forbids by name; edit and run `planner whatif --delta` on the workbook
    ws = wb.create_sheet(_sheet_title(EXCEL_SHEETS["decisions"][0], taken))
    heads = ["decisions.kind", "decisions.cadre", "decisions.post"]
    from planner.i18n import EXCEL_COLUMNS

    _title(ws, W.t("title.decisions", county=county), 3)
    ws.cell(row=2, column=1, value=W.t("hint.decisions")).alignment = _LEFT
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=3)
    _header_row(ws, 3, [EXCEL_COLUMNS[h][0] for h in heads])
    rows = [(W.label("pin"), c, p) for c, p in inst.pins] + [(W.label("forbid"), c, p) for c, p in sorted(inst.forbids)]
    for kind, c, p in rows:
        ws.append([kind, inst.cadres[c].name, inst.post_title(p)])
    dv = DataValidation(type="list", formula1=f'"{label_zh("pin")},{label_zh("forbid")}"', allow_blank=True)
    ws.add_data_validation(dv)
    dv.add(f"A4:A{max(4 + len(rows), 60)}")
    _body(ws, 4, max(3 + len(rows), 4), 3, left=(2, 3))
    fit_columns(ws, 3, minimum=14, fixed={3: 34})
    fit_rows(ws, 2)
    _print_setup(ws, "1:3", "A4")

    # -- one page per township (一乡一表 as departments print it)
    before_rows = {row.township: row for row in _structure_today(inst)}
    after_rows = {row.township: row for row in report.townships}
    for t, posts in inst.posts_of.items():
        ws = wb.create_sheet(_sheet_title(inst.townships[t].name, taken))
        _township_page(ws, W, inst, report, final, t, posts, moves_by_cadre, before_rows[t], after_rows[t], figures)

    # -- the plan as exported, for `planner check` to say what an officer changed (not printed)
    ws = wb.create_sheet(PLAN_DATA_SHEET)
    ws.append(["post", "cadre", "wave"])
    for a in plan.assignments:
        ws.append([a.post, a.cadre, a.wave])
    ws.sheet_state = "veryHidden"
    return PlanExport(wb, plan, report)


def _team_requirements(inst: Any, W: _Words, t: str, members: int) -> dict[str, tuple[str, bool | None]]:
    """What each structure figure of one team must reach (rule by rule), as printed: figure -> (text, rule on)."""
    from planner.rules.base import need_for_share

    out: dict[str, tuple[str, bool | None]] = {}

    def rule(rid: str) -> Any:
        cfg = inst.policy.get(rid)
        return cfg if cfg is not None and cfg.mode != "off" else None

    cfg = rule("young-members-team")
    if cfg:
        out["aged_35_or_less"] = (W.t("require.people", n=need_for_share(cfg.params.min_share, members)), True)
    cfg = rule("under-30")
    if cfg:
        out["aged_30_or_less"] = (W.t("require.people", n=cfg.params.min_count), True)
    cfg = rule("women")
    if cfg:
        out["women"] = (W.t("require.people", n=cfg.params.min_count), True)
    cfg = rule("team-experience")
    if cfg:
        out["experienced_2y"] = (W.t("require.people", n=need_for_share(cfg.params.min_share, members)), True)
    cfg = rule("minority-share")
    if cfg and cfg.params.min_share is not None and inst.is_ethnic(t):
        out["minority"] = (W.t("require.people", n=need_for_share(cfg.params.min_share, members)), True)
    return out


def _need(text: str) -> int:
    return int("".join(ch for ch in text if ch.isdigit()) or 0)


def _township_page(
    ws: Any,
    W: _Words,
    inst: Any,
    report: Any,
    final: Any,
    t: str,
    posts: list[str],
    moves_by_cadre: dict[str, Any],
    before: Any,
    after: Any,
    figures: list[str],
) -> None:
    """One printed page: 职数/实配/缺额, each post 调整前 → 调整后, who leaves and why, the structure against
    the thresholds. The 离任 column is for the officer: 是 there, then `planner whatif --delta` on the workbook."""
    on = final.date
    town = inst.townships[t]
    heads = [
        "col.no",
        "col.role",
        "col.before",
        "col.after",
        "col.gender",
        "col.birth",
        "col.age",
        "col.ethnicity",
        "col.education",
        "col.political",
        "col.work_years",
        "col.change",
        "col.leaving",
        "col.post_id",
    ]
    n = len(heads)
    printed = n if W.extra else n - 1
    _title(ws, W.t("title.township_page", township=town.name), printed)
    held_before = sum(1 for p in posts if inst.holder[p] is not None)
    held_after = sum(1 for p in posts if final.holder[p] is not None)
    info = W.t(
        "info.township",
        kind=W.label(town.kind),
        size=W.label(town.size),
        posts=len(posts),
        before=held_before,
        after=held_after,
        vacant=len(posts) - held_after,
    )
    ws.cell(row=2, column=1, value=info).font = _HEADER_FONT
    ws.cell(row=2, column=1).alignment = _LEFT
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=printed)
    _header_row(ws, 3, [W.t(h) for h in heads])
    for i, post in enumerate(posts, start=1):
        cid, was = final.holder[post], inst.holder[post]
        was_name = inst.cadres[was].name if was else W.t("vacant")
        if cid is None:
            ws.append([i, W.role(post), was_name, W.t("vacant")] + [""] * (n - 6) + ["", post])
            continue
        c = inst.cadres[cid]
        if cid == was:
            change = W.t("stays")
        else:
            m = moves_by_cadre.get(cid)
            change = W.t("change.from", kind=W.label(m.kind) if m else "", origin=W.origin(cid))
        ws.append(
            [
                i,
                W.role(post),
                was_name,
                c.name,
                W.label(c.gender),
                _ym(c.birth_date),
                inst.age(cid, on),
                c.ethnicity,
                W.label(c.education),
                W.t("cpc") if c.cpc_member else W.t("non_cpc"),
                _years1(inst.work_years(cid, on)),
                change,
                "",
                post,
            ]
        )
    last = 3 + len(posts)
    _body(ws, 4, last, n, left=(12,))

    # who leaves the team, and why
    team_after = {final.holder[p] for p in posts}
    leavers = [inst.holder[p] for p in posts if inst.holder[p] is not None and inst.holder[p] not in team_after]
    top = last + 2
    ws.cell(row=top, column=1, value=W.t("block.leavers", n=len(leavers))).font = _HEADER_FONT
    ws.merge_cells(start_row=top, start_column=1, end_row=top, end_column=printed)
    block = ["col.no", "col.name", "col.from", "col.kind", "col.destination"]
    spans = [(1, 1), (2, 3), (4, 5), (6, 7), (8, printed)]
    _block_header(ws, top + 1, [W.t(h) for h in block], spans)
    r = top + 2
    for k, cid in enumerate(leavers, start=1):
        m = moves_by_cadre.get(cid)
        kind = W.label(m.kind) if m else W.label("release")
        dest = W.post(m.to) if m and m.to else W.t("why." + (m.kind if m else "release"))
        _block_row(ws, r, [k, inst.cadres[cid].name, W.post(inst.cadres[cid].current_post), kind, dest], spans)
        r += 1
    if not leavers:
        _block_row(ws, r, ["", W.t("none"), "", "", ""], spans)
        r += 1

    # the structure against the thresholds
    top = r + 1
    ws.cell(row=top, column=1, value=W.t("block.structure")).font = _HEADER_FONT
    ws.merge_cells(start_row=top, start_column=1, end_row=top, end_column=printed)
    block = ["col.item", "col.before", "col.after", "col.share_after", "col.required", "col.result"]
    spans = [(1, 2), (3, 3), (4, 4), (5, 6), (7, 9), (10, 11)]
    _block_header(ws, top + 1, [W.t(h) for h in block], spans)
    needs = _team_requirements(inst, W, t, after.members)
    r = top + 2
    for f in figures:
        if f == "minority" and not inst.is_ethnic(t) and not getattr(after, f):
            continue
        value = getattr(after, f)
        share = f"{value / after.members * 100:.1f}%" if after.members and f != "members" else ""
        if f == "members":
            required, verdict = (
                W.t("require.posts", n=len(posts)),
                (W.t("met") if value == len(posts) else W.t("vacancies", n=len(posts) - value)),
            )
        elif f in needs:
            required = needs[f][0]
            verdict = W.t("met") if value >= _need(required) else W.t("not_met")
        else:
            required, verdict = W.t("require.info"), ""
        _block_row(ws, r, [W.t(f"row.{f}"), getattr(before, f), value, share, required, verdict], spans)
        if verdict == W.t("not_met"):
            for j in range(1, 12):
                ws.cell(row=r, column=j).fill = _BAD_FILL
        r += 1
    fit_columns(ws, 3, minimum=6, maximum=30)
    if not W.extra:
        _hide(ws, [n])
    fit_rows(ws, 3)
    _print_setup(ws, "1:3", None, one_page=True)


def _block_header(ws: Any, row: int, texts: list[str], spans: list[tuple[int, int]]) -> None:
    for text, (a, b) in zip(texts, spans):
        for j in range(a, b + 1):
            c = ws.cell(row=row, column=j)
            c.fill, c.border, c.font, c.alignment = _HEADER_FILL, _BORDER, _HEADER_FONT, _CENTER
        ws.cell(row=row, column=a, value=text)
        if b > a:
            ws.merge_cells(start_row=row, start_column=a, end_row=row, end_column=b)


def _block_row(ws: Any, row: int, values: list[Any], spans: list[tuple[int, int]]) -> None:
    for value, (a, b) in zip(values, spans):
        for j in range(a, b + 1):
            c = ws.cell(row=row, column=j)
            c.border, c.font, c.alignment = _BORDER, _BODY_FONT, _CENTER
        ws.cell(row=row, column=a, value=value)
        if b > a:
            ws.merge_cells(start_row=row, start_column=a, end_row=row, end_column=b)


def _structure_today(inst: Any) -> list[Any]:
    from planner.audit.tables import structure_table

    return structure_table(inst)[0]
