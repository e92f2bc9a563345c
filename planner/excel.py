"""Excel in and out: a county's roster workbook → scenario; the import template; a plan → officers' workbook.

Import (:func:`import_workbook`) reads the sheets 乡镇 (townships), 职数 (posts) and 干部名册 (cadres), and the
optional 设置 (settings), 规则设置 (policy) and 锁定排除 (pins and forbids), with the headers officers write
(or the JSON field names). Every bad cell is reported with its sheet, row, column and reason, all at once;
the records are then put through :func:`planner.domain.load_scenario`, whose findings (duplicates, two
holders of a post, future dates…) are mapped back to the cells they came from. Nothing is returned unless
the whole workbook is clean.

Conventions (also on the template's 填表说明 sheet):

- a row whose first non-empty cell starts with ``（示例）`` / ``(示例)`` / ``示例`` / ``example`` is an example
  row and is skipped; the template carries one per sheet, in grey italics;
- blank ids are generated from the row (``T-R5``, ``P-R12``, ``C-R7``);
- a date is an Excel date or text such as 1986.03, 1986-03, 1986-03-02, 1986年3月 (a month alone means its
  1st). A *number* cell 1986.1 is read as October 1986 (Excel drops the trailing zero of 1986.10);
- pins and forbids live on the 锁定排除 sheet, approvals (报市委组织部审批) in the cadres' 调整已报批 column,
  policy overrides on 规则设置 (blank rows keep the catalogue's defaults).
"""

from __future__ import annotations

import datetime as dt
import io
import re
import unicodedata
import warnings
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any, Iterable

from openpyxl import Workbook, load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import from_excel
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from .domain.vocab import MAJORITY_ETHNICITY, PRINCIPAL_ROLES, RANK_LEVEL, ROLES
from .errors import InputError, Problem
from .i18n import (
    EXCEL_CHOICES,
    EXCEL_COLUMN_ALIASES,
    EXCEL_COLUMNS,
    EXCEL_GUIDE,
    EXCEL_SETTING_ALIASES,
    EXCEL_SETTING_NOTES,
    EXCEL_SETTINGS,
    EXCEL_SHEET_ALIASES,
    EXCEL_SHEETS,
    EXCEL_TEXT,
    ROLE_LABELS_BY_KIND,
    RULE_NAMES,
    VALUE_ALIASES,
    label_zh,
    message,
)

DOCUMENT = "workbook"
FONT_NAME = "宋体"  # SimSun: the font of official documents

# ------------------------------------------------------------------------------------------ vocabulary

#: Enumerations: vocabulary name -> the codes a cell may name (by code, by LABELS_ZH label, or by alias).
CODES: dict[str, tuple[Any, ...]] = {
    "gender": ("M", "F"),
    "education": ("postgraduate", "bachelor", "college", "secondary"),
    "rank": ("section_chief", "deputy_section", "staff"),
    "post_rank": ("section_chief", "deputy_section"),
    "tier": ("ready_now", "step_up", "key_post_training"),
    "grade": ("excellent", "competent", "basically_competent", "incompetent", "undetermined"),
    "role": ROLES,
    "kind": ("town", "township", "subdistrict", "ethnic_township"),
    "size": ("large", "medium", "small"),
    "mode": ("hard", "soft", "off"),
    "decision": ("pin", "forbid"),
    "needs": ("agriculture", "tourism", "industry", "ecology", "governance", "ethnic_culture", "logistics", "mining"),
}


def _t(key: str, **fields: Any) -> str:
    """The Chinese text of an EXCEL_TEXT entry."""
    return EXCEL_TEXT[key][0].format(**fields)


def _norm(text: str) -> str:
    """Compare cell texts leniently: full-width → half-width, no whitespace, ASCII lower-cased."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).lower()


def _vocab(name: str) -> dict[str, Any]:
    table: dict[str, Any] = {}
    if name == "political":
        table.update({"true": True, "false": False})
    elif name == "bool":
        pass
    else:
        for code in CODES[name]:
            table[_norm(code)] = code
            table[_norm(label_zh(code))] = code
    for text, value in VALUE_ALIASES.get(name, {}).items():
        table[_norm(text)] = value
    return table


_VOCABS: dict[str, dict[str, Any]] = {name: _vocab(name) for name in (*CODES, "political", "bool")}


def choices_zh(name: str) -> list[str]:
    """The drop-down entries of a vocabulary (Chinese labels)."""
    if name == "political":
        return list(EXCEL_CHOICES["political"])
    if name == "bool":
        return [_t("yes"), _t("no")]
    return [label_zh(c) for c in CODES[name]]


# ------------------------------------------------------------------------------------------ schema


@dataclass(frozen=True)
class Col:
    """A column of an import sheet."""

    field: str
    kind: str  # parser: id text date years int bool choice cpc list needs ref refs assessments rule params info
    required: bool = False
    width: float = 12
    vocab: str | None = None  # the vocabulary of a choice (and the drop-down list)


SHEET_COLUMNS: dict[str, tuple[Col, ...]] = {
    "townships": (
        Col("id", "id", width=10),
        Col("name", "text", True, 16),
        Col("kind", "choice", width=10, vocab="kind"),
        Col("size", "choice", width=8, vocab="size"),
        Col("lagging", "bool", width=12, vocab="bool"),
        Col("ethnic_groups", "list", width=18),
        Col("needs", "needs", width=22),
    ),
    "posts": (
        Col("id", "id", width=16),
        Col("township", "ref", True, 16),
        Col("role", "choice", True, 14, vocab="role"),
        Col("rank", "choice", width=8, vocab="post_rank"),
    ),
    "cadres": (
        Col("id", "id", width=10),
        Col("name", "text", True, 10),
        Col("gender", "choice", True, 6, vocab="gender"),
        Col("birth_date", "date", True, 12),
        Col("ethnicity", "text", width=8),
        Col("cpc_member", "cpc", True, 12, vocab="political"),
        Col("education", "choice", True, 12, vocab="education"),
        Col("fulltime_master", "bool", width=10, vocab="bool"),
        Col("double_first_class", "bool", width=8, vocab="bool"),
        Col("current_post", "ref", width=14),
        Col("post_since", "date", width=12),
        Col("current_unit", "text", width=14),
        Col("rank", "choice", True, 8, vocab="rank"),
        Col("rank_since", "date", True, 12),
        Col("township_work_years", "years", True, 10),
        Col("township_leadership_years", "years", width=10),
        Col("origin_township", "ref", width=12),
        Col("reserve_tier", "choice", width=14, vocab="tier"),
        Col("assessments", "assessments", width=26),
        Col("specialties", "needs", width=14),
        Col("sanction_until", "date", width=12),
        Col("leaving", "bool", width=8, vocab="bool"),
        Col("relatives", "refs", width=18),
        Col("approved", "bool", width=10, vocab="bool"),
    ),
    "policy": (
        Col("rule", "rule", True, 24),
        Col("name", "info", width=28),
        Col("default", "info", width=44),
        Col("mode", "choice", width=8, vocab="mode"),
        Col("weight", "int", width=8),
        Col("params", "params", width=36),
    ),
    "decisions": (
        Col("kind", "choice", True, 10, vocab="decision"),
        Col("cadre", "ref", True, 18),
        Col("post", "ref", True, 16),
    ),
}
_REQUIRED_SHEETS = ("townships", "posts", "cadres")
_ID_PREFIX = {"townships": "T", "posts": "P", "cadres": "C"}
_YEAR_HEADER = (
    re.compile(r"^(\d{4})年?度?(?:年度)?(?:考核|考核结果|考核等次|考核情况)?$"),
    re.compile(r"^(?:年度考核|考核)(\d{4})年?度?$"),
)


def header_zh(sheet: str, fld: str) -> str:
    return EXCEL_COLUMNS[f"{sheet}.{fld}"][0]


def _norm_header(text: Any) -> str:
    h = _norm(str(text)).replace("*", "")
    return re.sub(r"\([^()]*\)$", "", h) or h


def _header_index(sheet: str) -> dict[str, str]:
    index: dict[str, str] = {}
    for col in SHEET_COLUMNS[sheet]:
        key = f"{sheet}.{col.field}"
        for name in (EXCEL_COLUMNS[key][0], *EXCEL_COLUMN_ALIASES.get(key, ()), col.field):
            index.setdefault(_norm_header(name), col.field)
    return index


_HEADERS = {sheet: _header_index(sheet) for sheet in SHEET_COLUMNS}


def _sheet_names(key: str) -> list[str]:
    zh, en = EXCEL_SHEETS[key]
    return [zh, en, *EXCEL_SHEET_ALIASES.get(key, ()), key]


# ------------------------------------------------------------------------------------------ locations


def cell_location(sheet: str, row: int | None = None, header: str | None = None, letter: str | None = None) -> str:
    """``干部名册!D7 (第7行 row 7, 出生年月)`` — the sheet, the cell, the row and the column header."""
    if row is None:
        return f"{sheet} ({header})" if header else sheet
    zh, en = EXCEL_TEXT["loc.row"]
    parts = [f"{zh.format(row=row)} {en.format(row=row)}"] + ([header] if header else [])
    ref = f"{sheet}!{letter}{row}" if letter else sheet
    return f"{ref} ({', '.join(parts)})"


def _problem(location: str, key: str, **fields: Any) -> Problem:
    zh, en = message(key, **fields)
    return Problem(location=location, message_en=en, message_zh=zh)


class _Bad(Exception):
    """A cell that cannot be read: an i18n message key and its fields."""

    def __init__(self, key: str, **fields: Any):
        super().__init__(key)
        self.key, self.fields = key, fields


# ------------------------------------------------------------------------------------------ cell parsers


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _show(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip() if not isinstance(value, (dt.date, dt.datetime)) else value.isoformat()


def parse_text(value: Any) -> str:
    if isinstance(value, bool):
        raise _Bad("excel.choice", value=value, choices="", choices_en="text")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()[:10]
    return re.sub(r"\s+", " ", str(value)).strip()


def parse_name(value: Any) -> str:
    """A name; the spaces officers pad two-character Chinese names with (张　伟) are dropped."""
    text = parse_text(value)
    compact = re.sub(r"\s+", "", text.replace("\u3000", " "))
    if compact and all("\u4e00" <= ch <= "\u9fff" or ch == "·" for ch in compact):
        return compact
    return text


_DATE_TEXT = re.compile(r"^(\d{4})\s*[-./年]\s*(\d{1,2})\s*(?:月|[-./]?)\s*(?:(\d{1,2})\s*日?)?$")
_DATE_DIGITS = re.compile(r"^(\d{4})(\d{2})(\d{2})?$")


def parse_date(value: Any) -> dt.date:
    """An Excel date cell, or 1986.03 / 1986-03 / 1986-03-02 / 1986年3月(2日) / 19860302; a month alone means its 1st.

    A whole number of five digits is an Excel date serial (a date cell whose format was lost)."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, bool):
        raise _Bad("excel.date", value=value)
    shown = _show(value)
    if isinstance(value, (int, float)):
        if isinstance(value, float) and not value.is_integer():
            year = int(value)
            month = round((value - year) * 100)
            if 1900 <= year <= 2200 and abs((value - year) * 100 - month) < 1e-6:
                return _calendar(year, month, 1, shown)
            raise _Bad("excel.date", value=shown)
        if 10000 <= value <= 99999:  # an Excel date serial whose cell format openpyxl does not know as a date
            return from_excel(int(value)).date()
        text = str(int(value))
    else:
        text = unicodedata.normalize("NFKC", str(value)).strip()
        text = re.sub(r"\s+\d{1,2}:\d{2}(?::\d{2})?$", "", text)  # 1986-03-02 00:00:00 from other systems
    m = _DATE_TEXT.match(text) or _DATE_DIGITS.match(text)
    if not m:
        raise _Bad("excel.date", value=shown)
    return _calendar(int(m[1]), int(m[2]), int(m[3]) if m[3] else 1, shown)


def _calendar(year: int, month: int, day: int, shown: str) -> dt.date:
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise _Bad("excel.bad_calendar", value=shown) from None


def parse_number(value: Any) -> float:
    if isinstance(value, bool):
        raise _Bad("excel.number", value=value)
    if isinstance(value, (int, float)):
        return float(value)
    text = unicodedata.normalize("NFKC", str(value)).strip().removesuffix("年").strip()
    try:
        return float(text)
    except ValueError:
        raise _Bad("excel.number", value=_show(value)) from None


def parse_years(value: Any) -> float:
    years = parse_number(value)
    if not 0 <= years <= 60:
        raise _Bad("excel.years_range", value=_show(value))
    return years


def parse_int(value: Any) -> int:
    if isinstance(value, bool):
        raise _Bad("excel.integer", value=value)
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    text = unicodedata.normalize("NFKC", str(value)).strip()
    if re.fullmatch(r"-?\d+", text):
        return int(text)
    raise _Bad("excel.integer", value=_show(value))


def parse_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)) and value in (0, 1):
        return bool(value)
    found = _VOCABS["bool"].get(_norm(_show(value)))
    if found is None:
        raise _Bad("excel.bool", value=_show(value))
    return found


def parse_choice(value: Any, vocab: str) -> Any:
    text = _norm(_show(value))
    if text in _VOCABS[vocab]:
        return _VOCABS[vocab][text]
    raise _Bad("excel.choice", value=_show(value), choices="、".join(choices_zh(vocab)),
               choices_en=", ".join(str(c) for c in CODES.get(vocab, (True, False))))


def parse_cpc(value: Any) -> bool:
    """政治面貌 (中共党员 / 群众 / 民主党派…) or a yes/no cell."""
    if isinstance(value, bool):
        return value
    text = _norm(_show(value))
    if text in _VOCABS["political"]:
        return _VOCABS["political"][text]
    if text in _VOCABS["bool"]:
        return _VOCABS["bool"][text]
    raise _Bad("excel.choice", value=_show(value), choices="、".join(EXCEL_CHOICES["political"]),
               choices_en="true, false")


_SEP = re.compile(r"[,，、;；\n]+|\s{1,}")


def parse_list(value: Any) -> list[str]:
    return [x for x in (p.strip() for p in _SEP.split(parse_text(value))) if x]


def parse_needs(value: Any) -> list[str]:
    """Specialties and needs: a known word (农业, tourism…) becomes its code; any other word is kept as written."""
    return [_VOCABS["needs"].get(_norm(x), x) for x in parse_list(value)]


_GRADE_TOKEN = re.compile(r"^(\d{4})(?:年度|年)?[:=]?(.+)$")


def parse_assessments(value: Any) -> dict[str, str]:
    """``2023优秀,2024称职,2025优秀`` (also ``2023年：优秀；2024年：称职``) -> {"2023": "excellent", …}."""
    out: dict[str, str] = {}
    text = unicodedata.normalize("NFKC", parse_text(value))
    tokens = [x for x in re.split(r"[,，、;；\n]+", text) if x.strip()]
    if not tokens:
        raise _Bad("excel.assessment", value=_show(value))
    for token in tokens:
        m = _GRADE_TOKEN.match(re.sub(r"\s+", "", token))
        grade = _VOCABS["grade"].get(_norm(m[2])) if m else None
        if grade is None:
            raise _Bad("excel.assessment", value=_show(value))
        if out.get(m[1], grade) != grade:
            raise _Bad("excel.assessment_twice", year=m[1])
        out[m[1]] = grade
    return out


def _rule_index() -> dict[str, str]:
    from .rules import REGISTRY

    index = {_norm(rid): rid for rid in REGISTRY}
    for rid, (zh, en) in RULE_NAMES.items():
        index.setdefault(_norm(zh), rid)
        index.setdefault(_norm(en), rid)
    return index


def parse_rule(value: Any) -> str:
    rid = _rule_index().get(_norm(_show(value)))
    if rid is None:
        raise _Bad("excel.unknown_ref", what="rule", value=_show(value))
    return rid


def _param_scalar(text: str) -> Any:
    t = text.strip()
    if re.fullmatch(r"-?\d+", t):
        return int(t)
    if re.fullmatch(r"-?\d*\.\d+", t):
        return float(t)
    if re.fullmatch(r"\d+(?:\.\d+)?%", t):  # 15% → 0.15
        return float(Fraction(t[:-1]) / 100)
    if t.lower() in ("true", "false"):
        return t.lower() == "true"
    key = _norm(t)
    for vocab in ("tier", "grade", "role", "mode"):
        if key in _VOCABS[vocab]:
            return _VOCABS[vocab][key]
    return t


def parse_params(value: Any) -> dict[str, Any]:
    """``min_share=0.2; max_age=35; promotable_tiers=[ready_now, step_up]`` -> a dict (lists in brackets)."""
    text = unicodedata.normalize("NFKC", parse_text(value))
    out: dict[str, Any] = {}
    for part in (p.strip() for p in re.split(r"[;\n]+", text)):
        if not part:
            continue
        name, sep, raw = part.partition("=")
        if not sep and ":" in part:
            name, sep, raw = part.partition(":")
        if not sep or not name.strip() or not raw.strip():
            raise _Bad("excel.params", value=_show(value))
        raw = raw.strip()
        if raw.startswith("[") and raw.endswith("]"):
            out[name.strip()] = [_param_scalar(x) for x in re.split(r"[,、]", raw[1:-1]) if x.strip()]
        else:
            out[name.strip()] = _param_scalar(raw)
    if not out:
        raise _Bad("excel.params", value=_show(value))
    return out


def _parse_cell(col: Col, value: Any) -> Any:
    kind = col.kind
    if kind == "id":
        return parse_text(value)
    if kind == "text":
        return parse_name(value) if col.field == "name" else parse_text(value)
    if kind == "date":
        return parse_date(value)
    if kind == "years":
        return parse_years(value)
    if kind == "int":
        return parse_int(value)
    if kind == "bool":
        return parse_bool(value)
    if kind == "choice":
        return parse_choice(value, col.vocab or "")
    if kind == "cpc":
        return parse_cpc(value)
    if kind == "list":
        return parse_list(value)
    if kind == "needs":
        return parse_needs(value)
    if kind == "ref":
        return parse_text(value)
    if kind == "refs":
        return parse_list(value)
    if kind == "assessments":
        return parse_assessments(value)
    if kind == "rule":
        return parse_rule(value)
    if kind == "params":
        return parse_params(value)
    return None  # "info": shown to the reader, never imported


_EXAMPLE_MARKS = tuple(_norm(m).strip("()[]") for m in EXCEL_TEXT["example"])


def _is_example(values: Iterable[Any]) -> bool:
    """Is this the template's example row? Its first non-empty cell starts with （示例） / 示例 / (example)."""
    for v in values:
        if _blank(v):
            continue
        text = _norm(str(v)).lstrip("([【")
        return text.startswith(_EXAMPLE_MARKS)
    return False


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
        out = []
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
                key = index.get(_norm_header(values[0]))
                if key is None:
                    continue
                value = values[1] if len(values) > 1 else None
                raw[key] = (value, cell_location(ws.title, i, str(values[0]).strip(), "B"))
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
        for i, ((origin, rec), rid) in enumerate(zip(rows, self._ids("townships", rows))):
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
            for key in ([_norm(token)] + ([_norm(m[1])] if m and m[1].strip() else [])):
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
            titles = {label_zh(p["role"]), ROLE_LABELS_BY_KIND.get(t.get("kind", "township"), {}).get(p["role"], "")}
            return [t["name"] + title for title in titles if title]

        t_resolve = self._resolver("township", townships, self._labels(townships, lambda t: [t["name"]]))
        p_resolve = self._resolver("post", posts, self._labels(posts, post_labels))
        ids = self._ids("cadres", rows)
        stub = [{"id": rid, "name": rec.get("name", "")} for (_o, rec), rid in zip(rows, ids)]
        c_resolve = self._resolver("cadre", stub, self._labels(stub, lambda c: [c["name"]] if c["name"] else []))
        placeholders = {"name": "?", "gender": "M", "birth_date": dt.date(1970, 1, 1), "cpc_member": True,
                        "education": "bachelor", "rank": "staff", "rank_since": dt.date(1990, 1, 1),
                        "township_work_years": 0.0}
        out, approvals = [], []
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
        for i, (origin, rec) in enumerate(rows):
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
        from .domain.load import load_scenario

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


# ------------------------------------------------------------------------------------------ styling

_THIN = Side(style="thin", color="808080")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEADER_FILL = PatternFill("solid", fgColor="D9E1F2")
_EXAMPLE_FONT = Font(name=FONT_NAME, size=10, italic=True, color="808080")
_BODY_FONT = Font(name=FONT_NAME, size=11)
_HEADER_FONT = Font(name=FONT_NAME, size=11, bold=True)
_TITLE_FONT = Font(name=FONT_NAME, size=16, bold=True)
_CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
_LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)
_BAD_FILL = PatternFill("solid", fgColor="FCE4D6")


def _widths(ws: Worksheet, widths: Iterable[float]) -> None:
    for j, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(j)].width = w


def _header_row(ws: Worksheet, row: int, headers: list[str]) -> None:
    for j, text in enumerate(headers, start=1):
        c = ws.cell(row=row, column=j, value=text)
        c.font, c.fill, c.border, c.alignment = _HEADER_FONT, _HEADER_FILL, _BORDER, _CENTER
    ws.row_dimensions[row].height = 30


def _body(ws: Worksheet, first: int, last: int, ncols: int, left: Iterable[int] = (), first_col: int = 1) -> None:
    """Borders, the body font (cells already given a 宋体 font keep it: bold labels, grey examples), alignment."""
    left = set(left)
    for r in range(first, last + 1):
        for j in range(first_col, ncols + 1):
            c = ws.cell(row=r, column=j)
            c.border = _BORDER
            if c.font is None or c.font.name != FONT_NAME:
                c.font = _BODY_FONT
            c.alignment = _LEFT if j in left else _CENTER


def _title(ws: Worksheet, text: str, ncols: int) -> None:
    ws.cell(row=1, column=1, value=text).font = _TITLE_FONT
    ws.cell(row=1, column=1).alignment = _CENTER
    if ncols > 1:
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=ncols)
    ws.row_dimensions[1].height = 32


def _print_setup(ws: Worksheet, title_rows: str, freeze: str | None) -> None:
    if freeze:
        ws.freeze_panes = freeze
    ws.print_title_rows = title_rows
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.oddFooter.center.text = _t("footer")
    ws.oddFooter.center.font = FONT_NAME


def _sheet_title(text: str, taken: set[str]) -> str:
    base = re.sub(r"[\[\]:*?/\\]", "_", text)[:31] or "sheet"
    title, k = base, 2
    while title.lower() in taken:
        suffix = f"_{k}"
        title, k = base[: 31 - len(suffix)] + suffix, k + 1
    taken.add(title.lower())
    return title


def workbook_bytes(wb: Workbook) -> bytes:
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


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
    "townships": [{"id": "T01", "name": "周王镇", "kind": "town", "size": "large", "lagging": False,
                   "ethnic_groups": [], "needs": ["tourism", "agriculture"]}],
    "posts": [{"id": "T01-SEC", "township": "T01", "role": "party_secretary", "rank": "section_chief"}],
    "cadres": [{"id": "C0001", "name": "张伟", "gender": "M", "birth_date": "1986-03-02", "ethnicity": "汉族",
                "cpc_member": True, "education": "bachelor", "fulltime_master": False, "double_first_class": False,
                "rank": "deputy_section", "rank_since": "2020-06-01", "township_work_years": 6.5,
                "township_leadership_years": 3.0, "current_post": "T01-DEP1", "post_since": "2021-09-01",
                "current_unit": None, "origin_township": "T03", "reserve_tier": "ready_now",
                "assessments": {"2023": "excellent", "2024": "excellent", "2025": "competent"},
                "specialties": ["agriculture"], "sanction_until": None, "leaving": False, "relatives": ["C0002"]}],
    "policy": {"young-principals": {"mode": "hard", "min_share": 0.2}},
    "pins": [{"cadre": "C0001", "post": "T01-SEC"}],
}
#: Names the example rows refer to (the example's relative is not itself an example row).
_EXAMPLE_NAMES: dict[str, str] = {"T01": "周王镇", "C0001": "张伟", "C0002": "李芳"}


def _date_cell(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _township_cells(t: dict[str, Any]) -> list[Any]:
    return [t["id"], t["name"], label_zh(t.get("kind", "township")), label_zh(t.get("size", "medium")),
            _yes_no(t.get("lagging", False)), "、".join(t.get("ethnic_groups", [])),
            "、".join(label_zh(n) for n in t.get("needs", []))]


def _post_cells(p: dict[str, Any], township_ref: dict[str, str]) -> list[Any]:
    from .domain.vocab import DEFAULT_POST_RANK

    return [p["id"], township_ref.get(p["township"], p["township"]), label_zh(p["role"]),
            label_zh(p.get("rank") or DEFAULT_POST_RANK[p["role"]])]


def _cadre_cells(
    c: dict[str, Any], township_ref: dict[str, str], names: dict[str, str], approved: set[str]
) -> list[Any]:
    grades = c.get("assessments", {})
    return [
        c["id"], c["name"], label_zh(c["gender"]), _date_cell(c["birth_date"]), c.get("ethnicity", MAJORITY_ETHNICITY),
        _t("cpc") if c["cpc_member"] else _t("non_cpc"), label_zh(c["education"]),
        _yes_no(c.get("fulltime_master", False)), _yes_no(c.get("double_first_class", False)),
        c.get("current_post"), _date_cell(c.get("post_since")), c.get("current_unit"),
        label_zh(c["rank"]), _date_cell(c["rank_since"]), c["township_work_years"],
        c.get("township_leadership_years", 0.0),
        township_ref.get(c.get("origin_township") or "", c.get("origin_township")),
        label_zh(c.get("reserve_tier")) or None,
        ",".join(f"{y}{label_zh(grades[y])}" for y in sorted(grades)) or None,
        "、".join(label_zh(s) for s in c.get("specialties", [])) or None,
        _date_cell(c.get("sanction_until")), _yes_no(c.get("leaving", False)),
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
        dv = DataValidation(type="list", formula1=formula, allow_blank=True, showDropDown=False,
                            showErrorMessage=True, errorStyle="stop" if strict else "warning",
                            errorTitle=_t("validation.title"), error=_t("validation.body"))
        ws.add_data_validation(dv)
        dv.add(f"{letter}2:{letter}{last}")
    return ws


def roster_workbook(scenario: dict[str, Any] | None = None) -> Workbook:
    """The import layout. Without a scenario: the empty template with one （示例） row per sheet; with one: the
    county's data in the same layout (import of it yields the same scenario)."""
    from .rules import REGISTRY, default_config

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
    values = {"county_id": county.get("id"), "county_name": county.get("name"), "as_of": _date_cell(sc.get("as_of")),
              "waves": ",".join(waves) if isinstance(waves, list) else waves}
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
    _table_sheet(wb, "townships", [_township_cells(t) for t in townships],
                 _township_cells(ex["townships"][0]) if template else None)
    _table_sheet(wb, "posts", [_post_cells(p, township_ref) for p in sc.get("posts", [])],
                 _post_cells(ex["posts"][0], _EXAMPLE_NAMES) if template else None)
    _table_sheet(wb, "cadres", [_cadre_cells(c, township_ref, names, approved) for c in sc.get("cadres", [])],
                 _cadre_cells(ex["cadres"][0], {}, _EXAMPLE_NAMES, set()) if template else None)

    policy = sc.get("policy", {})
    rows = []
    for rid, rule in REGISTRY.items():
        cfg = default_config(rule)
        default = EXCEL_TEXT["default_params"][0].format(
            mode=label_zh(cfg.mode), weight=cfg.weight,
            params=("；" + _params_text(cfg.params.model_dump())) if _params_text(cfg.params.model_dump()) else "")
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
    decisions += [[label_zh("forbid"), f"{names.get(p['cadre'], '')}({p['cadre']})", p["post"]]
                  for p in sc.get("forbids", [])]
    pin = ex["pins"][0]
    example_pin = [label_zh("pin"), f"{_EXAMPLE_NAMES[pin['cadre']]}({pin['cadre']})", pin["post"]]
    _table_sheet(wb, "decisions", decisions, example_pin if template else None)
    return wb


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
    from .rules.base import need_for_share

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
    """The role as titled in its township: 镇长 in a town, 乡长 in a township, 办事处主任 in a subdistrict."""
    p = inst.posts[post]
    kind = inst.townships[p.township].kind
    return ROLE_LABELS_BY_KIND.get(kind, {}).get(p.role) or label_zh(p.role)


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
    from .check import annotate_plan, check_plan

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
    from .tables import structure_table

    return structure_table(inst)[0]
