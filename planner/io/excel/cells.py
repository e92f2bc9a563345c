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
import re
import unicodedata
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Iterable

from openpyxl.utils.datetime import from_excel

from planner.domain.vocab import ROLES
from planner.domain.errors import Problem
from planner.i18n import (
    EXCEL_CHOICES,
    EXCEL_COLUMN_ALIASES,
    EXCEL_COLUMNS,
    EXCEL_SHEET_ALIASES,
    EXCEL_SHEETS,
    EXCEL_TEXT,
    VALUE_ALIASES,
)
from planner.i18n import RULE_NAMES, label_zh, message


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
    raise _Bad(
        "excel.choice",
        value=_show(value),
        choices="、".join(choices_zh(vocab)),
        choices_en=", ".join(str(c) for c in CODES.get(vocab, (True, False))),
    )


def parse_cpc(value: Any) -> bool:
    """政治面貌 (中共党员 / 群众 / 民主党派…) or a yes/no cell."""
    if isinstance(value, bool):
        return value
    text = _norm(_show(value))
    if text in _VOCABS["political"]:
        return _VOCABS["political"][text]
    if text in _VOCABS["bool"]:
        return _VOCABS["bool"][text]
    raise _Bad(
        "excel.choice", value=_show(value), choices="、".join(EXCEL_CHOICES["political"]), choices_en="true, false"
    )


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
        if m is None or grade is None:
            raise _Bad("excel.assessment", value=_show(value))
        if out.get(m[1], grade) != grade:
            raise _Bad("excel.assessment_twice", year=m[1])
        out[m[1]] = grade
    return out


def _rule_index() -> dict[str, str]:
    from planner.rules import REGISTRY

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
