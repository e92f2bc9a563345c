"""The roster template: an empty workbook with drop-down lists, or a county written back for editing."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction
from typing import Any

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from planner.domain.vocab import MAJORITY_ETHNICITY
from planner.i18n import (
    EXCEL_COLUMNS,
    EXCEL_GUIDE,
    EXCEL_SETTING_NOTES,
    EXCEL_SETTINGS,
    EXCEL_SHEETS,
    EXCEL_TEXT,
)
from planner.i18n import RULE_NAMES, label_zh
from planner.io.excel.cells import Col, SHEET_COLUMNS, _t, choices_zh, header_zh
from planner.io.excel.style import (
    _BODY_FONT,
    _EXAMPLE_FONT,
    _LEFT,
    _TITLE_FONT,
    _body,
    _header_row,
    _print_setup,
    _widths,
)

# ------------------------------------------------------------------------------------------ roster & template


def _yes_no(value: bool) -> str:
    return _t("yes") if value else _t("no")


def _fmt_param(value: Any) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(_fmt_param(v) for v in value) + "]"
    if isinstance(value, Fraction):
        if value.denominator == 1:
            return str(value.numerator)
        d = value.denominator
        while d % 2 == 0:
            d //= 2
        while d % 5 == 0:
            d //= 5
        return str(float(value)) if d == 1 else f"{value.numerator}/{value.denominator}"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _params_text(params: dict[str, Any]) -> str:
    return "; ".join(f"{k}={_fmt_param(v)}" for k, v in params.items() if v is not None)


#: The template's example rows: FORMAT.md's sample county, marked （示例） and skipped on import.
EXAMPLE_SCENARIO: dict[str, Any] = {
    "townships": [
        {
            "id": "T01",
            "name": "周王镇",
            "kind": "town",
            "size": "large",
            "lagging": False,
            "ethnic_groups": [],
            "needs": ["tourism", "agriculture"],
        }
    ],
    "posts": [{"id": "T01-SEC", "township": "T01", "role": "party_secretary", "rank": "section_chief"}],
    "cadres": [
        {
            "id": "C0001",
            "name": "张伟",
            "gender": "M",
            "birth_date": "1986-03-02",
            "ethnicity": "汉族",
            "cpc_member": True,
            "education": "bachelor",
            "fulltime_master": False,
            "double_first_class": False,
            "rank": "deputy_section",
            "rank_since": "2020-06-01",
            "township_work_years": 6.5,
            "township_leadership_years": 3.0,
            "current_post": "T01-DEP1",
            "post_since": "2021-09-01",
            "current_unit": None,
            "origin_township": "T03",
            "reserve_tier": "ready_now",
            "assessments": {"2023": "excellent", "2024": "excellent", "2025": "competent"},
            "specialties": ["agriculture"],
            "sanction_until": None,
            "leaving": False,
            "relatives": ["C0002"],
        }
    ],
    "policy": {"young-principals": {"mode": "hard", "min_share": 0.2}},
    "pins": [{"cadre": "C0001", "post": "T01-SEC"}],
}
#: Names the example rows refer to (the example's relative is not itself an example row).
_EXAMPLE_NAMES: dict[str, str] = {"T01": "周王镇", "C0001": "张伟", "C0002": "李芳"}


def _date_cell(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _township_cells(t: dict[str, Any]) -> list[Any]:
    return [
        t["id"],
        t["name"],
        label_zh(t.get("kind", "township")),
        label_zh(t.get("size", "medium")),
        _yes_no(t.get("lagging", False)),
        "、".join(t.get("ethnic_groups", [])),
        "、".join(label_zh(n) for n in t.get("needs", [])),
    ]


def _post_cells(p: dict[str, Any], township_ref: dict[str, str]) -> list[Any]:
    from planner.domain.vocab import DEFAULT_POST_RANK

    return [
        p["id"],
        township_ref.get(p["township"], p["township"]),
        label_zh(p["role"]),
        label_zh(p.get("rank") or DEFAULT_POST_RANK[p["role"]]),
    ]


def _cadre_cells(
    c: dict[str, Any], township_ref: dict[str, str], names: dict[str, str], approved: set[str]
) -> list[Any]:
    grades = c.get("assessments", {})
    return [
        c["id"],
        c["name"],
        label_zh(c["gender"]),
        _date_cell(c["birth_date"]),
        c.get("ethnicity", MAJORITY_ETHNICITY),
        _t("cpc") if c["cpc_member"] else _t("non_cpc"),
        label_zh(c["education"]),
        _yes_no(c.get("fulltime_master", False)),
        _yes_no(c.get("double_first_class", False)),
        c.get("current_post"),
        _date_cell(c.get("post_since")),
        c.get("current_unit"),
        label_zh(c["rank"]),
        _date_cell(c["rank_since"]),
        c["township_work_years"],
        c.get("township_leadership_years", 0.0),
        township_ref.get(c.get("origin_township") or "", c.get("origin_township")),
        label_zh(c.get("reserve_tier")) or None,
        ",".join(f"{y}{label_zh(grades[y])}" for y in sorted(grades)) or None,
        "、".join(label_zh(s) for s in c.get("specialties", [])) or None,
        _date_cell(c.get("sanction_until")),
        _yes_no(c.get("leaving", False)),
        "、".join(f"{names.get(r, '')}({r})" for r in c.get("relatives", [])) or None,
        _yes_no(c["id"] in approved),
    ]


def _header_note(sheet: str, col: Col) -> Comment:
    zh, en = EXCEL_COLUMNS[f"{sheet}.{col.field}"]
    note = Comment(f"{zh} — {col.field}\n{en}", "planner")
    note.width, note.height = 260, 90
    return note


def _table_sheet(wb: Workbook, sheet: str, rows: list[list[Any]], example: list[Any] | None) -> Worksheet:
    cols = SHEET_COLUMNS[sheet]
    ws = wb.create_sheet(EXCEL_SHEETS[sheet][0])
    headers = [header_zh(sheet, c.field) + ("*" if c.required else "") for c in cols]
    _header_row(ws, 1, headers)
    for j, col in enumerate(cols, start=1):
        ws.cell(row=1, column=j).comment = _header_note(sheet, col)
    r = 2
    if example is not None:
        example = list(example)
        example[0] = _t("example") + str(example[0])
        for j, v in enumerate(example, start=1):
            ws.cell(row=r, column=j, value=v).font = _EXAMPLE_FONT
        r += 1
    for values in rows:
        for j, v in enumerate(values, start=1):
            ws.cell(row=r, column=j, value=v)
        r += 1
    _body(ws, 2, max(r - 1, 2), len(cols))
    for row in ws.iter_rows(min_row=2, max_row=max(r - 1, 2)):
        for c in row:
            if isinstance(c.value, (dt.date, dt.datetime)):
                c.number_format = "yyyy-mm-dd"
    _widths(ws, [c.width for c in cols])
    _print_setup(ws, "1:1", "B2" if sheet == "cadres" else "A2")
    last = max(r - 1 + 500, 1000)
    for j, col in enumerate(cols, start=1):
        letter = get_column_letter(j)
        formula = None
        if col.vocab:
            formula = '"' + ",".join(choices_zh(col.vocab)) + '"'
        elif sheet == "cadres" and col.field == "current_post" or sheet == "decisions" and col.field == "post":
            formula = f"'{EXCEL_SHEETS['posts'][0]}'!$A$2:$A${max(5000, 2 * last)}"
        elif sheet == "posts" and col.field == "township" or sheet == "cadres" and col.field == "origin_township":
            formula = f"'{EXCEL_SHEETS['townships'][0]}'!$B$2:$B${max(2000, 2 * last)}"
        if formula is None:
            continue
        strict = col.kind in ("choice", "bool") and col.vocab not in ("role", "tier", "education", "rank", "post_rank")
        dv = DataValidation(
            type="list",
            formula1=formula,
            allow_blank=True,
            showDropDown=False,
            showErrorMessage=True,
            errorStyle="stop" if strict else "warning",
            errorTitle=_t("validation.title"),
            error=_t("validation.body"),
        )
        ws.add_data_validation(dv)
        dv.add(f"{letter}2:{letter}{last}")
    return ws


def roster_workbook(scenario: dict[str, Any] | None = None) -> Workbook:
    """The import layout. Without a scenario: the empty template with one （示例） row per sheet; with one: the
    county's data in the same layout (import of it yields the same scenario)."""
    from planner.rules import REGISTRY, default_config

    template = scenario is None
    sc = scenario or {}
    wb = Workbook()
    guide = wb.active
    guide.title = EXCEL_SHEETS["guide"][0]
    for i, (zh, en) in enumerate(EXCEL_GUIDE, start=1):
        guide.cell(row=2 * i - 1, column=1, value=zh).font = _TITLE_FONT if i == 1 else _BODY_FONT
        guide.cell(row=2 * i, column=1, value=en).font = _EXAMPLE_FONT
    guide.column_dimensions["A"].width = 120
    _print_setup(guide, "1:1", None)

    # settings: key / value / note
    ws = wb.create_sheet(EXCEL_SHEETS["settings"][0])
    _header_row(ws, 1, [EXCEL_COLUMNS[f"settings.{k}"][0] for k in ("key", "value", "note", "note_en")])
    county = sc.get("county", {})
    waves = sc.get("waves", None if template else 1)
    values = {
        "county_id": county.get("id"),
        "county_name": county.get("name"),
        "as_of": _date_cell(sc.get("as_of")),
        "waves": ",".join(waves) if isinstance(waves, list) else waves,
    }
    for i, (key, (zh, _en)) in enumerate(EXCEL_SETTINGS.items(), start=2):
        ws.cell(row=i, column=1, value=zh)
        ws.cell(row=i, column=2, value=values[key])
        ws.cell(row=i, column=3, value=EXCEL_SETTING_NOTES[key][0])
        ws.cell(row=i, column=4, value=EXCEL_SETTING_NOTES[key][1])
        if isinstance(values[key], dt.date):
            ws.cell(row=i, column=2).number_format = "yyyy-mm-dd"
    _body(ws, 2, 1 + len(EXCEL_SETTINGS), 4, left=(3, 4))
    for r in range(2, 2 + len(EXCEL_SETTINGS)):
        ws.cell(row=r, column=4).font = _EXAMPLE_FONT
    _widths(ws, [14, 24, 52, 52])
    _print_setup(ws, "1:1", "A2")

    ex = EXAMPLE_SCENARIO
    townships = sc.get("townships", [])
    counts: dict[str, int] = {}
    for t in townships:
        counts[t["name"]] = counts.get(t["name"], 0) + 1
    township_ref = {t["id"]: (t["name"] if counts[t["name"]] == 1 else t["id"]) for t in townships}
    names = {c["id"]: c["name"] for c in sc.get("cadres", [])}
    approved = set(sc.get("approvals", []))
    _table_sheet(
        wb,
        "townships",
        [_township_cells(t) for t in townships],
        _township_cells(ex["townships"][0]) if template else None,
    )
    _table_sheet(
        wb,
        "posts",
        [_post_cells(p, township_ref) for p in sc.get("posts", [])],
        _post_cells(ex["posts"][0], _EXAMPLE_NAMES) if template else None,
    )
    _table_sheet(
        wb,
        "cadres",
        [_cadre_cells(c, township_ref, names, approved) for c in sc.get("cadres", [])],
        _cadre_cells(ex["cadres"][0], {}, _EXAMPLE_NAMES, set()) if template else None,
    )

    policy = sc.get("policy", {})
    rows = []
    for rid, rule in REGISTRY.items():
        cfg = default_config(rule)
        default = EXCEL_TEXT["default_params"][0].format(
            mode=label_zh(cfg.mode),
            weight=cfg.weight,
            params=("；" + _params_text(cfg.params.model_dump())) if _params_text(cfg.params.model_dump()) else "",
        )
        over = dict(policy.get(rid, {}))
        mode, weight = over.pop("mode", None), over.pop("weight", None)
        rows.append([rid, rule.name_zh, default, label_zh(mode) or None, weight, _params_text(over) or None])
    example_policy = None
    if template:
        rid, over = next(iter(ex["policy"].items()))
        over = dict(over)
        example_policy = [rid, RULE_NAMES[rid][0], None, label_zh(over.pop("mode")), None, _params_text(over)]
    ws = _table_sheet(wb, "policy", rows, example_policy)
    for row in ws.iter_rows(min_row=2, min_col=2, max_col=3):
        for c in row:
            c.alignment = _LEFT

    decisions = [[label_zh("pin"), f"{names.get(p['cadre'], '')}({p['cadre']})", p["post"]] for p in sc.get("pins", [])]
    decisions += [
        [label_zh("forbid"), f"{names.get(p['cadre'], '')}({p['cadre']})", p["post"]] for p in sc.get("forbids", [])
    ]
    pin = ex["pins"][0]
    example_pin = [label_zh("pin"), f"{_EXAMPLE_NAMES[pin['cadre']]}({pin['cadre']})", pin["post"]]
    _table_sheet(wb, "decisions", decisions, example_pin if template else None)
    return wb
