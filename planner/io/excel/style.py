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


