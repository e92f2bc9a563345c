"""The look of every sheet: fonts, borders, widths, print set-up (A4, titles, footers)."""

from __future__ import annotations

import io
import re
from typing import Iterable

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet
from planner.io.excel.cells import FONT_NAME, _t


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


def display_width(text: object) -> int:
    """How many narrow columns a text takes: CJK and full-width characters count 2."""
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in str(text))


def _shown(value: object, number_format: str) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and "%" in number_format:
        return f"{value * 100:.1f}%"
    if isinstance(value, float):
        return f"{value:.1f}"
    return str(value)


def fit_columns(
    ws: Worksheet, first_row: int, *, minimum: float = 5, maximum: float = 48, fixed: dict[int, float] | None = None
) -> None:
    """Column widths that fit the values (no ``###`` on print): the widest line of each column from
    `first_row` on (merged cells left out), within [minimum, maximum]; longer texts wrap (see fit_rows)."""
    merged = {
        (r, c)
        for rng in ws.merged_cells.ranges
        for r in range(rng.min_row, rng.max_row + 1)
        for c in range(rng.min_col, rng.max_col + 1)
    }
    widest: dict[int, int] = {}
    for row in ws.iter_rows(min_row=first_row):
        for c in row:
            if c.value is None or (c.row, c.column) in merged:
                continue
            w = max(display_width(line) for line in _shown(c.value, c.number_format).split("\n"))
            if c.font is not None and c.font.b:
                w += 1
            widest[c.column] = max(widest.get(c.column, 0), w)
    for j, w in widest.items():
        width = (fixed or {}).get(j) or min(maximum, max(minimum, w * 1.1 + 2))
        ws.column_dimensions[get_column_letter(j)].width = width


def fit_rows(ws: Worksheet, first_row: int, line_height: float = 15.5) -> None:
    """Row heights for wrapped text: LibreOffice and Excel print the height a row is given, so a row whose
    text wraps onto three lines must be three lines high, or the lines overlap the next row."""
    widths = {j: (ws.column_dimensions[get_column_letter(j)].width or 8.43) for j in range(1, ws.max_column + 1)}
    merged_width: dict[tuple[int, int], float] = {}
    for rng in ws.merged_cells.ranges:
        merged_width[(rng.min_row, rng.min_col)] = sum(widths.get(j, 8.43) for j in range(rng.min_col, rng.max_col + 1))
    for row in ws.iter_rows(min_row=first_row):
        lines = 1
        for c in row:
            if c.value is None:
                continue
            width = merged_width.get((c.row, c.column), widths.get(c.column, 8.43))
            room = max(1.0, width - 1.5)
            for part in _shown(c.value, c.number_format).split("\n"):
                lines = max(lines, -(-display_width(part) // int(room)) if part else 1)
        height = max(18.0, lines * line_height + 4)
        current = ws.row_dimensions[row[0].row].height
        ws.row_dimensions[row[0].row].height = max(height, current or 0)


def _print_setup(ws: Worksheet, title_rows: str, freeze: str | None, one_page: bool = False) -> None:
    if freeze:
        ws.freeze_panes = freeze
    ws.print_title_rows = title_rows
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 1 if one_page else 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    # the footer sits 0.3" from the paper's edge, inside a 0.9" bottom margin: never cut by the margin
    ws.page_margins.top, ws.page_margins.bottom = 0.6, 0.9
    ws.page_margins.header, ws.page_margins.footer = 0.3, 0.3
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
