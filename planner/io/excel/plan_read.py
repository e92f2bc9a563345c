"""The plan workbook read back as an officer edits it: 调整名单 rows by names and post titles → a plan.

The exported workbook (or a 调整名单 sheet typed by hand with at least 姓名 and 拟任职务) is read row by row:

- the person: 姓名 (张伟, 张伟(C0001)); the 干部编号 column, when there, only settles a name two people share;
- the new post: 拟任职务 as printed (上石街道党工委书记, 瓦坪镇镇长) or an id; blank, “—”, 免职 or 离任 means the
  cadre leaves their post (离任 when the 调整类型 or 离任 column says so); the 岗位编号 column only settles a
  title two posts share (two 副镇长);
- 批次: the wave (blank: 1).

Posts nobody in the sheet moves into keep today's holder, unless that holder moves away. Every unknown or
ambiguous name is a located problem (sheet, cell, row, column; the candidates when two people share a name),
all at once. The exported workbook carries a hidden 方案数据 sheet (post, cadre, wave as exported), so the
reader can say who was changed since.

:func:`read_whatif_workbook` reads a what-if from the same workbook: names marked 离任 (是) in any sheet with a
离任 column, and the 锁定排除 sheet (rows added → pins/forbids, the scenario's own rows deleted → unpins).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from planner.domain.errors import InputError, Problem
from planner.domain.names import Names, Unresolved
from planner.domain.vocab import MoveKind
from planner.i18n import EXCEL_SHEETS, EXCEL_TEXT
from planner.io.excel.cells import (
    _blank,
    _is_example,
    _norm,
    _norm_header,
    _problem,
    cell_location,
    parse_bool,
    parse_choice,
    parse_name,
    parse_text,
    _Bad,
)

DOCUMENT = "workbook"
#: The hidden sheet the export writes the plan into (post id, cadre id, wave), to tell what an officer changed.
PLAN_DATA_SHEET = "方案数据"

#: The columns of a 调整名单 sheet: field -> headers accepted (the exported ones first).
MOVE_HEADERS: dict[str, tuple[str, ...]] = {
    "name": ("姓名", "干部", "人选", "干部姓名", "name"),
    "cadre_id": ("干部编号", "人员编号", "cadre id", "cadre_id"),
    "from": ("原任职务", "现任职务", "原职务", "from"),
    "to": ("拟任职务", "拟任", "拟任岗位", "拟任职位", "拟任职务(岗位)", "to"),
    "to_id": ("岗位编号", "拟任岗位编号", "post id", "post_id"),
    "kind": ("调整类型", "类型", "kind"),
    "wave": ("批次", "调整批次", "wave"),
    "leaving": ("离任", "是否离任", "拟离任", "leaving"),
}
_MOVE_SHEETS = (
    EXCEL_SHEETS["moves"][0],
    EXCEL_SHEETS["moves"][1],
    "调整人员名单",
    "拟调整人员名单",
    "调整方案",
    "调整名单表",
)
#: 拟任职务 texts that mean "leaves their post" (with the move kind they imply).
_NO_POST: dict[str, MoveKind] = {
    "": "release",
    "—": "release",
    "-": "release",
    "无": "release",
    "免职": "release",
    "免去": "release",
    "离任": "leaving",
    "退休": "leaving",
    "调出": "leaving",
    "调离": "leaving",
}


def _t(key: str, **fields: Any) -> tuple[str, str]:
    zh, en = EXCEL_TEXT[key]
    return zh.format(**fields), en.format(**fields)


@dataclass
class PlanRead:
    plan: Any  # planner.domain.Plan, validated against the scenario
    notes: list[tuple[str, str]] = field(default_factory=list)  # (zh, en): how rows were read
    changes: list[tuple[str, str]] | None = None  # (zh, en) per cadre changed since export; None: not known


@dataclass
class _Sheet:
    title: str
    header_row: int
    columns: dict[str, tuple[int, str, str]]  # field -> (index, header, letter)
    rows: list[tuple[int, tuple[Any, ...]]]

    def at(self, row: int, fld: str | None = None) -> str:
        if fld is None or fld not in self.columns:
            return cell_location(self.title, row)
        _j, header, letter = self.columns[fld]
        return cell_location(self.title, row, header, letter)

    def value(self, values: tuple[Any, ...], fld: str) -> Any:
        if fld not in self.columns:
            return None
        j = self.columns[fld][0]
        return values[j] if j < len(values) else None


def open_workbook(path: str | Path) -> Any:
    import io

    path = Path(path)
    try:
        data = io.BytesIO(path.read_bytes())  # by content: openpyxl would refuse a workbook named otherwise
        with warnings.catch_warnings():  # openpyxl warns about Excel extensions it drops; not the user's concern
            warnings.simplefilter("ignore")
            return load_workbook(data, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds (zip, XML, KeyError) for a bad file
        raise InputError(DOCUMENT, [_problem(str(path), "excel.file", detail=str(exc) or type(exc).__name__)]) from None


def _table(ws: Any, headers: dict[str, tuple[str, ...]]) -> _Sheet | None:
    index = {_norm_header(h): fld for fld, names in headers.items() for h in names}
    rows = [(i, tuple(r)) for i, r in enumerate(ws.iter_rows(values_only=True), start=1)]
    best, best_row = 0, None
    for i, values in rows[:10]:
        hits = sum(1 for v in values if not _blank(v) and _norm_header(v) in index)
        if hits > best:
            best, best_row = hits, i
    if best_row is None:
        return None
    columns: dict[str, tuple[int, str, str]] = {}
    for j, v in enumerate(rows[best_row - 1][1]):
        if _blank(v):
            continue
        fld = index.get(_norm_header(v))
        if fld is not None and fld not in columns:
            columns[fld] = (j, str(v).strip(), get_column_letter(j + 1))
    data = [
        (i, values) for i, values in rows[best_row:] if not all(_blank(v) for v in values) and not _is_example(values)
    ]
    return _Sheet(ws.title, best_row, columns, data)


def _moves_sheet(wb: Any) -> Any:
    wanted = {_norm(n) for n in _MOVE_SHEETS}
    for ws in wb.worksheets:
        if _norm(ws.title) in wanted:
            return ws
    # a hand-typed workbook of one sheet with the right headers is a 调整名单 too
    for ws in wb.worksheets:
        if ws.sheet_state == "visible":
            t = _table(ws, MOVE_HEADERS)
            if t and ("name" in t.columns or "cadre_id" in t.columns) and "to" in t.columns:
                return ws
    return None


class _Reader:
    def __init__(self, inst: Any):
        self.inst = inst
        self.names = Names.of(inst)
        self.problems: list[Problem] = []

    def bad(self, location: str, key: str, **fields: Any) -> None:
        self.problems.append(_problem(location, key, **fields))

    def cadre(self, sheet: _Sheet, row: int, values: tuple[Any, ...]) -> str | None:
        raw_name, raw_id = sheet.value(values, "name"), sheet.value(values, "cadre_id")
        if _blank(raw_name) and _blank(raw_id):
            return None
        if _blank(raw_name):
            return self._resolve(sheet.at(row, "cadre_id"), parse_text(raw_id), "cadre")
        name = parse_name(raw_name)
        try:
            return self.names.cadre(name)
        except Unresolved as exc:
            if exc.ambiguous and not _blank(raw_id) and parse_text(raw_id) in exc.ids:
                return parse_text(raw_id)  # the id column settles a name two people share, never overrides it
            self.problems.append(exc.problem(sheet.at(row, "name")))
            return None

    def post(self, sheet: _Sheet, row: int, text: str, raw_id: Any) -> str | None:
        try:
            return self.names.post(text)
        except Unresolved as exc:
            if exc.ambiguous and not _blank(raw_id) and parse_text(raw_id) in exc.ids:
                return parse_text(raw_id)  # the id column settles a title two posts share (两个副镇长)
            self.problems.append(exc.problem(sheet.at(row, "to")))
            return None

    def _resolve(self, where: str, token: str, what: str) -> str | None:
        try:
            return self.names.cadre(token) if what == "cadre" else self.names.post(token)
        except Unresolved as exc:
            self.problems.append(exc.problem(where))
            return None


def read_plan_workbook(path: str | Path, inst: Any) -> PlanRead:
    """The plan an edited (or hand-typed) plan workbook describes; raises a located :class:`InputError`."""
    from planner.domain import load_plan
    from planner.domain.documents import Assignment, Move, Plan

    wb = open_workbook(path)
    ws = _moves_sheet(wb)
    if ws is None:
        raise InputError(DOCUMENT, [_problem(str(path), "plan_xlsx.no_sheet", aliases="、".join(_MOVE_SHEETS[1:]))])
    sheet = _table(ws, MOVE_HEADERS)
    if sheet is None or not ({"name", "cadre_id"} & set(sheet.columns)) or "to" not in sheet.columns:
        raise InputError(DOCUMENT, [_problem(cell_location(ws.title), "plan_xlsx.no_header")])
    r = _Reader(inst)
    notes: list[tuple[str, str]] = []
    rows: list[tuple[int, str, str | None, MoveKind, int]] = []  # (row, cadre, post or None, kind, wave)
    seen_cadre: dict[str, int] = {}
    seen_post: dict[str, tuple[int, str]] = {}
    for row, values in sheet.rows:
        cid = r.cadre(sheet, row, values)
        raw_to = sheet.value(values, "to")
        to_text = "" if _blank(raw_to) else parse_text(raw_to)
        kind: MoveKind = "release"
        post: str | None = None
        if _norm(to_text) in {_norm(k) for k in _NO_POST}:
            kind = next(v for k, v in _NO_POST.items() if _norm(k) == _norm(to_text))
        else:
            post = r.post(sheet, row, to_text, sheet.value(values, "to_id"))
            if post is None:
                continue
        written_kind = sheet.value(values, "kind")
        if post is None and not _blank(written_kind) and "离任" in str(written_kind):
            kind = "leaving"
        leaving_cell = sheet.value(values, "leaving")
        if post is None and not _blank(leaving_cell):
            try:
                if parse_bool(leaving_cell):
                    kind = "leaving"
            except _Bad as exc:
                r.bad(sheet.at(row, "leaving"), exc.key, **exc.fields)
        wave = 1
        raw_wave = sheet.value(values, "wave")
        if not _blank(raw_wave):
            try:
                wave = int(float(str(raw_wave).strip().removeprefix("第").removesuffix("批")))
                if not 1 <= wave <= inst.waves:
                    raise ValueError
            except ValueError:
                r.bad(sheet.at(row, "wave"), "plan_xlsx.wave", waves=inst.waves, value=raw_wave)
                wave = 1
        if cid is None:
            continue
        name = inst.cadres[cid].name
        if cid in seen_cadre:
            r.bad(
                sheet.at(row, "name" if "name" in sheet.columns else "cadre_id"),
                "plan_xlsx.cadre_twice",
                name=name,
                row=seen_cadre[cid],
            )
            continue
        seen_cadre[cid] = row
        if post is not None:
            if post in seen_post:
                first_row, first = seen_post[post]
                r.bad(
                    sheet.at(row, "to"),
                    "plan_xlsx.post_twice",
                    post=r.names.post_title[post],
                    row=first_row,
                    name=inst.cadres[first].name,
                )
                continue
            seen_post[post] = (row, cid)
        _check_from(inst, r.names, sheet, row, values, cid, name, notes)
        rows.append((row, cid, post, kind, wave))
    if r.problems:
        raise InputError(DOCUMENT, r.problems)

    holder: dict[str, str | None] = dict(inst.holder)
    arrival: dict[str, int] = {}
    for _row, cid, post, _kind, _wave in rows:
        cur = inst.cadres[cid].current_post
        if cur is not None and cur != post and holder.get(cur) == cid:
            holder[cur] = None
    listed = {cid for _r, cid, *_ in rows}
    for row, cid, post, _kind, wave in rows:
        if post is None or inst.cadres[cid].current_post == post:
            continue
        before = holder.get(post)
        if before is not None and before not in listed:
            notes.append(
                _t(
                    "note.displaced",
                    holder=inst.cadres[before].name,
                    post=r.names.post_title[post],
                    row=row,
                    name=inst.cadres[cid].name,
                )
            )
        holder[post], arrival[post] = cid, wave
    assignments = [
        Assignment(post=p, cadre=holder[p], wave=arrival.get(p, 0) if holder[p] != inst.holder[p] else 0)
        for p in inst.posts
    ]
    moves = [
        Move(cadre=cid, from_=inst.cadres[cid].current_post, to=None, kind=kind, wave=wave)
        for _row, cid, post, kind, wave in rows
        if post is None and inst.cadres[cid].current_post is not None
    ]
    plan = Plan(
        format="reshuffle-plan/1",
        county=inst.doc.county.id,
        as_of=inst.as_of,
        status="feasible",
        assignments=assignments,
        moves=moves,
    )
    plan = load_plan(plan, inst)
    return PlanRead(plan=plan, notes=notes, changes=_changes(wb, inst, r.names, holder))


def _check_from(
    inst: Any,
    names: Names,
    sheet: _Sheet,
    row: int,
    values: tuple[Any, ...],
    cid: str,
    name: str,
    notes: list[tuple[str, str]],
) -> None:
    """A 原任职务 that names another post than the roster's is read as the roster says, with a note."""
    raw = sheet.value(values, "from")
    if _blank(raw):
        return
    written = parse_text(raw)
    try:
        pid = names.post(written)
    except Unresolved:
        return  # a unit outside the teams, or free text: nothing to compare
    actual = inst.cadres[cid].current_post
    if pid != actual:
        notes.append(
            _t(
                "note.from_differs",
                row=row,
                name=name,
                written=written,
                actual=names.post_title[actual] if actual else EXCEL_TEXT["outside"][0],
            )
        )


def _changes(wb: Any, inst: Any, names: Names, holder: dict[str, str | None]) -> list[tuple[str, str]] | None:
    """Who holds another post than when the workbook was exported (from its hidden 方案数据 sheet)."""
    if PLAN_DATA_SHEET not in wb.sheetnames:
        return None
    exported: dict[str, str | None] = {}
    for values in wb[PLAN_DATA_SHEET].iter_rows(min_row=2, values_only=True):
        if values and values[0] in inst.posts:
            exported[values[0]] = values[1] if values[1] in inst.cadres else None
    if set(exported) != set(inst.posts):
        return None  # exported for another scenario: nothing to compare

    def post_of(h: dict[str, str | None]) -> dict[str, str]:
        return {c: p for p, c in h.items() if c is not None}

    was, now = post_of(exported), post_of(holder)
    out = []
    none = EXCEL_TEXT["none"][0]
    for cid in inst.cadres:
        if was.get(cid) != now.get(cid):
            before = names.post_title[was[cid]] if cid in was else none
            after = names.post_title[now[cid]] if cid in now else none
            out.append(_t("note.changed", name=names.cadre_label(cid), before=before, after=after))
    return out


# ------------------------------------------------------------------------------------------ what-if


_DECISION_HEADERS: dict[str, tuple[str, ...]] = {
    "kind": ("类型", "锁定/排除", "kind"),
    "cadre": ("干部", "姓名", "人选", "cadre"),
    "post": ("岗位", "职务", "拟任岗位", "post"),
}
_LEAVING_HEADERS: dict[str, tuple[str, ...]] = {
    "name": MOVE_HEADERS["name"] + ("调整后",),  # a township page: the 离任 mark is on the team after the plan
    "cadre_id": MOVE_HEADERS["cadre_id"],
    "leaving": MOVE_HEADERS["leaving"],
}


def read_whatif_workbook(path: str | Path, inst: Any) -> dict[str, Any]:
    """A reshuffle-delta/1 from the plan workbook: 离任 marks and the 锁定排除 sheet, names located in cells."""
    wb = open_workbook(path)
    r = _Reader(inst)
    leaving: list[str] = []
    for ws in wb.worksheets:
        if ws.sheet_state != "visible":
            continue
        sheet = _table(ws, _LEAVING_HEADERS)
        if sheet is None or "leaving" not in sheet.columns or not ({"name", "cadre_id"} & set(sheet.columns)):
            continue
        for row, values in sheet.rows:
            cell = sheet.value(values, "leaving")
            if _blank(cell):
                continue
            try:
                marked = parse_bool(cell)
            except _Bad as exc:
                r.bad(sheet.at(row, "leaving"), exc.key, **exc.fields)
                continue
            cid = r.cadre(sheet, row, values) if marked else None
            if cid is not None and cid not in leaving and not inst.cadres[cid].leaving:
                leaving.append(cid)
    pins: list[dict[str, str]] = []
    forbids: list[dict[str, str]] = []
    from planner.io.excel.cells import _sheet_names

    wanted = {_norm(n) for n in _sheet_names("decisions")}
    listed: set[tuple[str, str, str]] = set()
    decisions_sheet = next((ws for ws in wb.worksheets if _norm(ws.title) in wanted), None)
    decisions = _table(decisions_sheet, _DECISION_HEADERS) if decisions_sheet is not None else None
    if decisions is not None:
        for row, values in decisions.rows:
            raw_kind, raw_c, raw_p = (decisions.value(values, f) for f in ("kind", "cadre", "post"))
            if _blank(raw_c) and _blank(raw_p):
                continue
            try:
                decision = parse_choice(raw_kind, "decision") if not _blank(raw_kind) else "pin"
            except _Bad as exc:
                r.bad(decisions.at(row, "kind"), exc.key, **exc.fields)
                continue
            c = r._resolve(decisions.at(row, "cadre"), parse_text(raw_c), "cadre") if not _blank(raw_c) else None
            p = r._resolve(decisions.at(row, "post"), parse_text(raw_p), "post") if not _blank(raw_p) else None
            if _blank(raw_c) or _blank(raw_p):
                r.bad(decisions.at(row, "cadre" if _blank(raw_c) else "post"), "excel.required")
            if c is None or p is None:
                continue
            listed.add((decision, c, p))
    if r.problems:
        raise InputError(DOCUMENT, r.problems)
    scenario_pins = set(inst.pins)
    for kind, c, p in sorted(listed):
        if kind == "pin" and (c, p) not in scenario_pins:
            pins.append({"cadre": c, "post": p})
        elif kind == "forbid" and (c, p) not in inst.forbids:
            forbids.append({"cadre": c, "post": p})
    delta: dict[str, Any] = {"format": "reshuffle-delta/1", "leaving": leaving, "pins": pins, "forbids": forbids}
    if decisions_sheet is not None:  # the scenario's own rows the officer deleted are lifted
        delta["unpins"] = [{"cadre": c, "post": p} for c, p in inst.pins if ("pin", c, p) not in listed]
    return delta


def file_kind(path: str | Path) -> str:
    """ "xlsx", "json" or "xls", by content first (zip / OLE2 magic), then by extension; located error else."""
    path = Path(path)
    try:
        with open(path, "rb") as fh:
            head = fh.read(8)
    except OSError as exc:
        raise InputError(str(path), [_problem(str(path), "file.missing", detail=exc.strerror or str(exc))]) from None
    if head.startswith(b"PK\x03\x04"):
        return "xlsx"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise InputError(str(path), [_problem(str(path), "file.xls")])
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return "xlsx"  # not a zip: openpyxl will say what is wrong with it
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped[:1] in (b"{", b"[") or not stripped:
        return "json"
    try:
        path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise InputError(str(path), [_problem(str(path), "file.kind")]) from None
    return "json"


__all__ = ["PlanRead", "read_plan_workbook", "read_whatif_workbook", "file_kind", "PLAN_DATA_SHEET", "MOVE_HEADERS"]
