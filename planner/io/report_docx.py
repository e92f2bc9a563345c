"""The Chinese official-document look for python-docx (after GB/T 9704 党政机关公文格式): A4, margins 3.7/3.5/
2.8/2.6 cm, the title in 宋体 二号 bold, headings in 黑体 三号, body in 仿宋 三号, tables in 仿宋 小四, the page
number「— 1 —」centred in the footer. Fonts are named with their East-Asian slot set (Word picks the Chinese
font from w:eastAsia); a machine without them substitutes its own CJK font."""

from __future__ import annotations

from typing import Any

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_ALIGN_VERTICAL, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

SONG, FANGSONG, HEI, KAI = "宋体", "仿宋", "黑体", "楷体"
BODY_PT, TABLE_PT, TITLE_PT, HEADING_PT = 16, 11, 22, 16
TABLE_STYLE = "表格文字"


def set_font(target: Any, name: str, size: float | None = None, bold: bool | None = None) -> None:
    """Font of a run or a style: Latin and East-Asian slots alike."""
    font = target.font
    font.name = name
    if size is not None:
        font.size = Pt(size)
    if bold is not None:
        font.bold = bold
    rpr = target.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(slot), name)
    if rpr.find(qn("w:lang")) is None:  # Chinese text: a substitute font is chosen for zh-CN, not ja-JP
        lang = OxmlElement("w:lang")
        lang.set(qn("w:val"), "zh-CN")
        lang.set(qn("w:eastAsia"), "zh-CN")
        rpr.append(lang)


def new_document() -> Any:
    doc = Document()
    sec = doc.sections[0]
    sec.orientation = WD_ORIENT.PORTRAIT
    sec.page_width, sec.page_height = Cm(21.0), Cm(29.7)
    sec.top_margin, sec.bottom_margin = Cm(3.7), Cm(3.5)
    sec.left_margin, sec.right_margin = Cm(2.8), Cm(2.6)
    sec.footer_distance = Cm(2.4)
    normal = doc.styles["Normal"]
    set_font(normal, FANGSONG, BODY_PT)
    normal.paragraph_format.line_spacing = Pt(28)
    normal.paragraph_format.space_after = Pt(0)
    for level, (name, size) in {1: (HEI, HEADING_PT), 2: (KAI, HEADING_PT), 3: (FANGSONG, BODY_PT)}.items():
        style = doc.styles[f"Heading {level}"]
        set_font(style, name, size, bold=level == 3)
        style.font.color.rgb = RGBColor(0, 0, 0)
        style.font.italic = False
        style.paragraph_format.space_before = Pt(12 if level == 1 else 6)
        style.paragraph_format.space_after = Pt(6)
        style.paragraph_format.line_spacing = Pt(28)
        style.paragraph_format.keep_with_next = True
    title = doc.styles["Title"]
    set_font(title, SONG, TITLE_PT, bold=True)
    title.font.color.rgb = RGBColor(0, 0, 0)
    title.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.space_after = Pt(6)
    _no_title_border(title)
    cells = doc.styles.add_style(TABLE_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    cells.base_style = normal
    set_font(cells, FANGSONG, TABLE_PT)
    cells.paragraph_format.line_spacing = 1.15
    cells.paragraph_format.first_line_indent = Pt(0)
    _page_number_footer(sec)
    return doc


def _no_title_border(style: Any) -> None:
    ppr = style.element.get_or_add_pPr()
    for b in ppr.findall(qn("w:pBdr")):
        ppr.remove(b)


def _page_number_footer(section: Any) -> None:
    """「— 1 —」 centred: a PAGE field between two dashes, 宋体 四号."""
    p = section.footer.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    set_font(p.add_run("— "), SONG, 14)
    run = p.add_run()
    set_font(run, SONG, 14)
    for kind, text in (("begin", None), (None, "PAGE"), ("separate", None), (None, "1"), ("end", None)):
        if kind is not None:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        elif text == "PAGE":
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = " PAGE "
        else:
            el = OxmlElement("w:t")
            el.text = text
        run._r.append(el)
    set_font(p.add_run(" —"), SONG, 14)


def paragraph(
    doc: Any,
    text: str = "",
    *,
    indent: bool = True,
    bold: bool = False,
    size: float | None = None,
    align: Any = None,
    font: str | None = None,
) -> Any:
    p = doc.add_paragraph()
    if indent:
        p.paragraph_format.first_line_indent = Pt(2 * (size or BODY_PT))  # two characters, as in 公文
    if align is not None:
        p.alignment = align
    if text:
        run = p.add_run(text)
        set_font(run, font or FANGSONG, size or BODY_PT, bold=bold or None)
    return p


def page_break(doc: Any) -> None:
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def table(
    doc: Any,
    heads: list[str],
    rows: list[list[str]],
    widths_cm: list[float],
    *,
    bad_rows: set[int] | None = None,
    size: float = TABLE_PT,
    center: tuple[int, ...] = (),
) -> Any:
    """A bordered table: bold header row repeated on every page, cells in 仿宋 小四, widths fixed."""
    t = doc.add_table(rows=1, cols=len(heads))
    t.style = doc.styles["Table Grid"]
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    t.autofit = False
    _cells(t.rows[0], heads, size, bold=True, center=tuple(range(len(heads))))
    _repeat_header(t.rows[0])
    for k, row in enumerate(rows):
        r = t.add_row()
        _cells(r, row, size, bold=False, center=center, shade=bool(bad_rows and k in bad_rows))
        _keep_row_together(r)
    for col, w in zip(t.columns, widths_cm):  # the grid (LibreOffice reads it) and every cell (Word does)
        col.width = Cm(w)
    for row in t.rows:
        for cell, w in zip(row.cells, widths_cm):
            cell.width = Cm(w)
            cell.vertical_alignment = WD_ALIGN_VERTICAL.CENTER
    return t


def _cells(
    row: Any, values: list[str], size: float, *, bold: bool, center: tuple[int, ...], shade: bool = False
) -> None:
    for j, (cell, value) in enumerate(zip(row.cells, values)):
        p = cell.paragraphs[0]
        p.style = cell.part.document.styles[TABLE_STYLE]  # the empty cell's paragraph mark too: rows stay even
        if j in center:
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        lines = str(value).split("\n")
        for k, line in enumerate(lines):
            run = p.add_run(line)
            set_font(run, HEI if bold else FANGSONG, size, bold=None)
            if k < len(lines) - 1:
                run.add_break()
        if bold or shade:
            _shade(cell, "E7E6E6" if bold else "FBE4D5")


def _shade(cell: Any, fill: str) -> None:
    tcpr = cell._tc.get_or_add_tcPr()
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    tcpr.append(shd)


def _repeat_header(row: Any) -> None:
    trpr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    trpr.append(el)


def _keep_row_together(row: Any) -> None:
    trpr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:cantSplit")
    el.set(qn("w:val"), "true")
    trpr.append(el)


__all__ = [
    "new_document",
    "paragraph",
    "page_break",
    "table",
    "set_font",
    "SONG",
    "FANGSONG",
    "HEI",
    "KAI",
    "BODY_PT",
    "TABLE_PT",
]
