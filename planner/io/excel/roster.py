"""The roster workbook (乡镇, 职数, 干部名册 …) → a scenario, every bad cell located."""

from __future__ import annotations

import datetime as dt
import re
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from planner.domain.errors import InputError, Problem
from planner.i18n import (
    EXCEL_COLUMNS,
    EXCEL_SETTING_ALIASES,
    EXCEL_SETTINGS,
    EXCEL_SHEETS,
)
from planner.i18n.titles import title_aliases
from planner.io.excel.plausible import implausible
from planner.io.excel.cells import (
    DOCUMENT,
    SHEET_COLUMNS,
    _Bad,
    _HEADERS,
    _ID_PREFIX,
    _REQUIRED_SHEETS,
    _YEAR_HEADER,
    _blank,
    _is_example,
    _norm,
    _norm_header,
    _parse_cell,
    _problem,
    _sheet_names,
    cell_location,
    header_zh,
    parse_choice,
    parse_date,
    parse_int,
    parse_text,
)

# ------------------------------------------------------------------------------------------ import


@dataclass
class Bound:
    """A column found in the user's sheet."""

    field: str
    index: int
    header: str
    letter: str


@dataclass
class Origin:
    """Where a scenario record came from: sheet, row, and the columns by field."""

    sheet: str
    row: int
    columns: dict[str, Bound]
    kind: str

    def at(self, fld: str | None) -> str:
        if fld is None:
            return cell_location(self.sheet, self.row)
        b = self.columns.get(fld)
        if b is not None:
            return cell_location(self.sheet, self.row, b.header, b.letter)
        key = f"{self.kind}.{fld}"
        return cell_location(self.sheet, self.row, EXCEL_COLUMNS[key][0] if key in EXCEL_COLUMNS else fld)


@dataclass
class ImportResult:
    scenario: dict[str, Any]
    ignored_columns: list[str] = field(default_factory=list)  # "sheet: header" not imported
    example_rows: list[str] = field(default_factory=list)  # "sheet!row" skipped as examples
    #: records that cannot be true as written (located like errors), imported all the same for the user to check
    warnings: list[Problem] = field(default_factory=list)


@dataclass
class _Table:
    sheet: str  # the title in the user's workbook
    kind: str
    header_row: int
    columns: dict[str, Bound]
    year_columns: dict[int, tuple[str, Bound]]  # column index -> (year, bound) for per-year assessments
    rows: list[tuple[int, tuple[Any, ...]]]


class _Importer:
    def __init__(self, path: Path):
        self.path = path
        self.problems: list[Problem] = []
        self.reported: set[tuple[str, int, str]] = set()  # (kind, record index, field) already reported
        self.absent: set[tuple[str, str]] = set()  # (kind, field) whose column is missing
        self.origins: dict[tuple[str, int], Origin] = {}
        self.settings_at: dict[str, str] = {}
        self.policy_at: dict[str, Origin] = {}
        self.result = ImportResult(scenario={})

    # ---------------------------------------------------------------- problems
    def bad(self, location: str, key: str, **fields: Any) -> None:
        self.problems.append(_problem(location, key, **fields))

    def bad_cell(self, kind: str, index: int, origin: Origin, fld: str, exc: _Bad) -> None:
        self.bad(origin.at(fld), exc.key, **exc.fields)
        self.reported.add((kind, index, fld))

    # ---------------------------------------------------------------- sheets
    def open(self) -> Any:
        if self.path.suffix.lower() == ".xls":
            raise InputError(DOCUMENT, [_problem(str(self.path), "excel.xls")])
        try:
            with warnings.catch_warnings():  # openpyxl warns about Excel extensions it drops; not the user's concern
                warnings.simplefilter("ignore")
                return load_workbook(self.path, data_only=True)
        except Exception as exc:  # openpyxl raises many kinds (zip, XML, KeyError) for a bad file
            detail = str(exc) or type(exc).__name__
            raise InputError(DOCUMENT, [_problem(str(self.path), "excel.file", detail=detail)]) from None

    @staticmethod
    def find_sheet(wb: Any, key: str) -> Worksheet | None:
        wanted = {_norm(n) for n in _sheet_names(key)}
        for ws in wb.worksheets:
            if _norm(ws.title) in wanted:
                return ws
        return None

    def table(self, ws: Worksheet, kind: str) -> _Table | None:
        rows = [(i, tuple(r)) for i, r in enumerate(ws.iter_rows(values_only=True), start=1)]
        index = _HEADERS[kind]
        best, best_row = 0, None
        for i, values in rows[:10]:
            hits = sum(1 for v in values if not _blank(v) and (_norm_header(v) in index or self._year(kind, v)))
            if hits > best:
                best, best_row = hits, i
        if best_row is None:
            example = "、".join(header_zh(kind, c.field) for c in SHEET_COLUMNS[kind] if c.required)
            self.bad(cell_location(ws.title), "excel.no_header", example=example)
            return None
        columns: dict[str, Bound] = {}
        years: dict[int, tuple[str, Bound]] = {}
        for j, v in enumerate(rows[best_row - 1][1]):
            if _blank(v):
                continue
            letter = get_column_letter(j + 1)
            header = str(v).strip().rstrip("*＊").strip()
            fld = index.get(_norm_header(v))
            year = self._year(kind, v)
            if fld is None and year:
                years[j] = (year, Bound("assessments", j, header, letter))
                continue
            if fld is None:
                self.result.ignored_columns.append(f"{ws.title}: {header}")
                continue
            if fld in columns:
                self.bad(cell_location(ws.title, best_row, header, letter), "excel.column_twice", column=header)
                continue
            columns[fld] = Bound(fld, j, header, letter)
        for col in SHEET_COLUMNS[kind]:
            if col.required and col.field not in columns:
                zh = header_zh(kind, col.field)
                self.bad(cell_location(ws.title, best_row, zh), "excel.column_missing", column=zh, field=col.field)
                self.absent.add((kind, col.field))
        data = []
        for i, values in rows[best_row:]:
            if all(_blank(v) for v in values):
                continue
            if _is_example(values):
                self.result.example_rows.append(f"{ws.title}!{i}")
                continue
            data.append((i, values))
        return _Table(ws.title, kind, best_row, columns, years, data)

    @staticmethod
    def _year(kind: str, header: Any) -> str | None:
        if kind != "cadres":
            return None
        h = _norm_header(header)
        for pattern in _YEAR_HEADER:
            m = pattern.match(h)
            if m and 1950 <= int(m[1]) <= 2100:
                return m[1]
        return None

    def records(self, table: _Table) -> list[tuple[Origin, dict[str, Any]]]:
        """Each data row parsed cell by cell: (origin, {field: value}) with bad cells reported and left out."""
        out: list[tuple[Origin, dict[str, Any]]] = []
        cols = {c.field: c for c in SHEET_COLUMNS[table.kind]}
        for row, values in table.rows:
            origin = Origin(table.sheet, row, table.columns, table.kind)
            index = len(out)
            parsed: dict[str, Any] = {}
            for fld, bound in table.columns.items():
                value = values[bound.index] if bound.index < len(values) else None
                col = cols[fld]
                if _blank(value):
                    if col.required:
                        self.bad(origin.at(fld), "excel.required")
                        self.reported.add((table.kind, index, fld))
                    continue
                try:
                    result = _parse_cell(col, value)
                except _Bad as exc:
                    self.bad_cell(table.kind, index, origin, fld, exc)
                    continue
                if result is not None and result != []:
                    parsed[fld] = result
            for j, (year, bound) in table.year_columns.items():
                value = values[j] if j < len(values) else None
                if _blank(value):
                    continue
                here = Origin(table.sheet, row, {"assessments": bound}, table.kind)
                try:
                    grade = parse_choice(value, "grade")
                except _Bad as exc:
                    self.bad_cell(table.kind, index, here, "assessments", exc)
                    continue
                grades = parsed.setdefault("assessments", {})
                if grades.get(year, grade) != grade:
                    self.bad_cell(table.kind, index, here, "assessments", _Bad("excel.assessment_twice", year=year))
                grades[year] = grade
            out.append((origin, parsed))
        return out

    # ---------------------------------------------------------------- settings
    def settings(self, wb: Any, overrides: dict[str, Any]) -> dict[str, Any]:
        ws = self.find_sheet(wb, "settings")
        index: dict[str, str] = {}
        for key, (zh, _en) in EXCEL_SETTINGS.items():
            for name in (zh, *EXCEL_SETTING_ALIASES.get(key, ()), key):
                index.setdefault(_norm_header(name), key)
        raw: dict[str, tuple[Any, str]] = {}
        sheet_title = ws.title if ws is not None else EXCEL_SHEETS["settings"][0]
        if ws is not None:
            for i, values in enumerate(ws.iter_rows(values_only=True), start=1):
                if len(values) < 1 or _blank(values[0]):
                    continue
                setting = index.get(_norm_header(values[0]))
                if setting is None:
                    continue
                value = values[1] if len(values) > 1 else None
                raw[setting] = (value, cell_location(ws.title, i, str(values[0]).strip(), "B"))
        for key, value in overrides.items():
            if value is not None:
                raw[key] = (value, f"--{key.replace('_', '-')}")
        for key, (_value, where) in raw.items():
            self.settings_at[key] = where

        def missing(key: str) -> None:
            where = raw[key][1] if key in raw else cell_location(sheet_title, None, EXCEL_SETTINGS[key][0])
            self.bad(where, "excel.setting_missing", setting=EXCEL_SETTINGS[key][0])
            self.settings_at.setdefault(key, where)

        out: dict[str, Any] = {}
        name = raw.get("county_name", (None, ""))[0]
        if _blank(name):
            missing("county_name")
            name = "?"
        cid = raw.get("county_id", (None, ""))[0]
        out["county"] = {"id": parse_text(cid) if not _blank(cid) else parse_text(name), "name": parse_text(name)}
        as_of = raw.get("as_of", (None, ""))[0]
        out["as_of_ok"] = False
        if _blank(as_of):
            missing("as_of")
            out["as_of"] = "2999-12-31"
        else:
            try:
                out["as_of"] = parse_date(as_of).isoformat()
                out["as_of_ok"] = True
            except _Bad as exc:
                self.bad(raw["as_of"][1], exc.key, **exc.fields)
                out["as_of"] = "2999-12-31"
        waves = raw.get("waves", (None, ""))[0]
        out["waves"] = 1
        if not _blank(waves):
            try:
                out["waves"] = self.parse_waves(waves)
            except _Bad as exc:
                self.bad(raw["waves"][1], exc.key, **exc.fields)
        return out

    @staticmethod
    def parse_waves(value: Any) -> int | list[str]:
        if isinstance(value, (dt.date, dt.datetime)):
            return [parse_date(value).isoformat()]
        try:
            n = parse_int(value)
        except _Bad:
            n = None
        if n is not None:
            if not 1 <= n <= 8:
                raise _Bad("excel.waves")
            return n
        parts = [p for p in re.split(r"[,，、;；\s]+", str(value).strip()) if p]
        try:
            return [parse_date(p).isoformat() for p in parts]
        except _Bad:
            raise _Bad("excel.waves") from None

    # ---------------------------------------------------------------- the whole workbook
    def run(self, overrides: dict[str, Any]) -> ImportResult:
        wb = self.open()
        tables: dict[str, _Table | None] = {}
        for kind in ("townships", "posts", "cadres", "policy", "decisions"):
            ws = self.find_sheet(wb, kind)
            if ws is None:
                if kind in _REQUIRED_SHEETS:
                    names = _sheet_names(kind)
                    self.bad(names[0], "excel.sheet_missing", sheet=names[0], aliases="、".join(names[1:-1]))
                tables[kind] = None
                continue
            tables[kind] = self.table(ws, kind)
        settings = self.settings(wb, overrides)

        parsed = {k: (self.records(t) if t is not None else []) for k, t in tables.items()}
        for kind in _REQUIRED_SHEETS:
            t = tables[kind]
            if t is not None and not parsed[kind] and not any(p.location.startswith(t.sheet) for p in self.problems):
                self.bad(cell_location(t.sheet), "excel.no_rows")

        townships = self.build_townships(parsed["townships"])
        posts = self.build_posts(parsed["posts"], townships)
        cadres, approvals = self.build_cadres(parsed["cadres"], townships, posts)
        policy = self.build_policy(parsed["policy"])
        pins, forbids = self.build_decisions(parsed["decisions"], cadres, posts)
        scenario = {
            "format": "reshuffle-scenario/1",
            "county": settings["county"],
            "as_of": settings["as_of"],
            "townships": townships,
            "posts": posts,
            "cadres": cadres,
            "policy": policy,
            "pins": pins,
            "forbids": forbids,
            "approvals": approvals,
            "waves": settings["waves"],
        }
        self.validate(scenario, as_of_ok=settings["as_of_ok"])
        if self.problems:
            raise InputError(DOCUMENT, self.problems)
        self.result.scenario = scenario
        self.result.warnings = implausible(cadres, dt.date.fromisoformat(str(scenario["as_of"])), self.origins)
        return self.result

    # ---------------------------------------------------------------- records
    def _ids(self, kind: str, rows: list[tuple[Origin, dict[str, Any]]]) -> list[str]:
        ids = []
        for i, (origin, rec) in enumerate(rows):
            rid = rec.get("id") or f"{_ID_PREFIX[kind]}-R{origin.row}"
            self.origins[(kind, i)] = origin
            ids.append(rid)
        return ids

    def build_townships(self, rows: list[tuple[Origin, dict[str, Any]]]) -> list[dict[str, Any]]:
        out = []
        for _i, ((_origin, rec), rid) in enumerate(zip(rows, self._ids("townships", rows))):
            doc = {"id": rid, "name": rec.get("name", "?")}
            for fld in ("kind", "size", "lagging", "ethnic_groups", "needs"):
                if fld in rec:
                    doc[fld] = rec[fld]
            out.append(doc)
        return out

    def _resolver(self, kind: str, records: list[dict[str, Any]], labels: dict[str, list[str]]):
        ids = {r["id"] for r in records}

        def resolve(kind_index: tuple[str, int], origin: Origin, fld: str, token: str) -> str | None:
            if token in ids:
                return token
            m = re.match(r"^(.*?)[(（]([^()（）]+)[)）]$", token)
            if m and m[2].strip() in ids:
                return m[2].strip()
            for key in [_norm(token)] + ([_norm(m[1])] if m and m[1].strip() else []):
                found = labels.get(key, [])
                if len(found) == 1:
                    return found[0]
                if len(found) > 1:
                    self.bad_cell(*kind_index, origin, fld, _Bad("excel.ambiguous_ref", what=kind, value=token))
                    return None
            self.bad_cell(*kind_index, origin, fld, _Bad("excel.unknown_ref", what=kind, value=token))
            return None

        return resolve

    @staticmethod
    def _labels(records: list[dict[str, Any]], label: Any) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for r in records:
            for text in label(r):
                out.setdefault(_norm(text), []).append(r["id"])
        return out

    def build_posts(self, rows, townships) -> list[dict[str, Any]]:
        t_resolve = self._resolver("township", townships, self._labels(townships, lambda t: [t["name"]]))
        out = []
        for i, ((origin, rec), rid) in enumerate(zip(rows, self._ids("posts", rows))):
            doc: dict[str, Any] = {"id": rid, "township": "?", "role": rec.get("role", "deputy_head")}
            if "township" in rec:
                tid = t_resolve(("posts", i), origin, "township", rec["township"])
                doc["township"] = tid if tid is not None else rec["township"]
            if "rank" in rec:
                doc["rank"] = rec["rank"]
            out.append(doc)
        return out

    def build_cadres(self, rows, townships, posts) -> tuple[list[dict[str, Any]], list[str]]:
        tmap = {t["id"]: t for t in townships}

        def post_labels(p: dict[str, Any]) -> list[str]:  # 周王镇党委书记, 周王镇镇长
            t = tmap.get(p["township"], {"name": "", "kind": ""})
            return [t["name"] + title for title in title_aliases(t.get("kind", "township"), p["role"])]

        t_resolve = self._resolver("township", townships, self._labels(townships, lambda t: [t["name"]]))
        p_resolve = self._resolver("post", posts, self._labels(posts, post_labels))
        ids = self._ids("cadres", rows)
        stub = [{"id": rid, "name": rec.get("name", "")} for (_o, rec), rid in zip(rows, ids)]
        c_resolve = self._resolver("cadre", stub, self._labels(stub, lambda c: [c["name"]] if c["name"] else []))
        placeholders = {
            "name": "?",
            "gender": "M",
            "birth_date": dt.date(1970, 1, 1),
            "cpc_member": True,
            "education": "bachelor",
            "rank": "staff",
            "rank_since": dt.date(1990, 1, 1),
            "township_work_years": 0.0,
        }
        out: list[dict[str, Any]] = []
        approvals: list[str] = []
        for i, ((origin, rec), rid) in enumerate(zip(rows, ids)):
            doc: dict[str, Any] = {"id": rid}
            for col in SHEET_COLUMNS["cadres"]:
                fld = col.field
                if fld in ("id", "approved"):
                    continue
                value = rec.get(fld, placeholders.get(fld))
                if value is None:
                    continue
                if fld == "current_post":
                    value = p_resolve(("cadres", i), origin, fld, value)
                elif fld == "origin_township":
                    value = t_resolve(("cadres", i), origin, fld, value)
                elif fld == "relatives":
                    value = [r for r in (c_resolve(("cadres", i), origin, fld, tok) for tok in value) if r]
                if value is None:
                    continue
                doc[fld] = value.isoformat() if isinstance(value, dt.date) else value
            out.append(doc)
            if rec.get("approved"):
                self.origins[("approvals", len(approvals))] = origin
                approvals.append(rid)
        self._cadre_resolve = c_resolve
        self._post_resolve = p_resolve
        return out, approvals

    def build_policy(self, rows) -> dict[str, dict[str, Any]]:
        policy: dict[str, dict[str, Any]] = {}
        for _i, (origin, rec) in enumerate(rows):
            if "rule" not in rec:
                continue
            entry: dict[str, Any] = {}
            if "mode" in rec:
                entry["mode"] = rec["mode"]
            if "weight" in rec:
                entry["weight"] = rec["weight"]
            entry.update(rec.get("params", {}))
            if not entry:
                continue  # a catalogue row left at its defaults
            if rec["rule"] in policy:
                self.bad(origin.at("rule"), "input.duplicate", id=rec["rule"])
                continue
            policy[rec["rule"]] = entry
            self.policy_at[rec["rule"]] = origin
        return policy

    def build_decisions(self, rows, cadres, posts) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
        pins: list[dict[str, str]] = []
        forbids: list[dict[str, str]] = []
        for i, (origin, rec) in enumerate(rows):
            self.origins[("decisions", i)] = origin
            cadre = self._cadre_resolve(("decisions", i), origin, "cadre", rec["cadre"]) if "cadre" in rec else None
            post = self._post_resolve(("decisions", i), origin, "post", rec["post"]) if "post" in rec else None
            if cadre is None or post is None or "kind" not in rec:
                continue
            target = pins if rec["kind"] == "pin" else forbids
            self.origins[("pins" if rec["kind"] == "pin" else "forbids", len(target))] = origin
            target.append({"cadre": cadre, "post": post})
        return pins, forbids

    # ---------------------------------------------------------------- the loader's verdict, located in cells
    def validate(self, scenario: dict[str, Any], *, as_of_ok: bool) -> None:
        from planner.domain.load import load_scenario

        try:
            load_scenario(scenario)
        except InputError as exc:
            for p in exc.problems:
                located = self.locate(p.location, as_of_ok=as_of_ok)
                if located is not None:
                    self.problems.append(Problem(located, p.message_en, p.message_zh))

    def locate(self, location: str, *, as_of_ok: bool) -> str | None:
        """Map a loader location (``cadres[3] C0004 › birth_date``) to its cell; None when already reported."""
        parts = location.split(" › ")
        head = re.match(r"^(\w+)\[(\d+)\]", parts[0])
        if head:
            kind, index = head[1], int(head[2])
            fld = parts[1].split(".")[0] if len(parts) > 1 else None
            if kind == "approvals":
                fld = "approved"
            if (kind, index, fld) in self.reported or (kind, fld) in self.absent:
                return None
            if not as_of_ok and fld in ("birth_date", "rank_since", "post_since"):
                return None  # "after as_of" means nothing while as_of itself is wrong
            origin = self.origins.get((kind, index))
            return origin.at(fld) if origin else location
        if parts[0] == "policy" and len(parts) > 1:
            origin = self.policy_at.get(parts[1])
            if origin is None:
                return location
            fld = parts[2] if len(parts) > 2 else "rule"
            return origin.at(fld if fld in ("mode", "weight") else ("params" if len(parts) > 2 else "rule"))
        key = {"as_of": "as_of", "waves": "waves", "county": "county_name"}.get(parts[0])
        if parts[0] == "county" and len(parts) > 1 and parts[1] == "id":
            key = "county_id"
        if key == "waves" and not as_of_ok:
            return None
        if key is not None:
            return self.settings_at.get(key, location)
        return location


def import_workbook(
    path: str | Path,
    *,
    as_of: Any = None,
    county_id: str | None = None,
    county_name: str | None = None,
    waves: Any = None,
) -> ImportResult:
    """Read a roster workbook into a scenario document that passes :func:`load_scenario`.

    The keyword arguments fill in or override the 设置 sheet. Raises :class:`InputError` (document
    ``"workbook"``) listing every bad cell with its sheet, row, column and reason.
    """
    overrides = {"as_of": as_of, "county_id": county_id, "county_name": county_name, "waves": waves}
    return _Importer(Path(path)).run(overrides)
