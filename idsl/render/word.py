"""python-docx helpers for the scoring table: A4 landscape, 宋体 with Times New Roman in every run,
fixed column widths, rows kept whole, merged cells emptied first."""

from __future__ import annotations

from typing import Iterable, Sequence

# python-docx is imported at the top: this module is loaded only to write a Word table.
from docx import Document
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from idsl.io.inert import xml_text

EAST_ASIAN_FONT = "宋体"  # every run's w:eastAsia font
LATIN_FONT = "Times New Roman"  # every run's w:ascii / w:hAnsi font
BODY_SIZE = Pt(10.5)  # 五号
TITLE_SIZE = Pt(16)  # 三号
RED = RGBColor(0xC0, 0x00, 0x00)

PAGE_WIDTH, PAGE_HEIGHT = Mm(297), Mm(210)  # A4 landscape
MARGIN_SIDE, MARGIN_TOP = Mm(15), Mm(18)

# Relative widths by column kind: narrow level and score columns, wide texts.
_WIDTHS = {"level1": 20, "level2": 21, "level3": 25, "points": 11, "explanation": 46, "standard": 74,
           "reason": 52, "score": 13}
_CHAR_MM = 4.0  # one Chinese character at 10.5 pt (bold); header titles stay on one line
_CELL_PADDING_MM = 4.4  # both cell margins, with room to spare
_BODY_CHAR_MM = 3.8  # one Chinese character at 10.5 pt (regular), with room to spare


def new_document(title: str):
    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
    section.left_margin = section.right_margin = MARGIN_SIDE
    section.top_margin = section.bottom_margin = MARGIN_TOP
    for name in ("Normal", "Table Grid"):
        style = document.styles[name]
        style.font.name = LATIN_FONT
        style.font.size = BODY_SIZE
        east_asian(style.element.get_or_add_rPr())
    document.core_properties.title = xml_text(title)
    document.core_properties.author = "idsl"
    return document


def east_asian(rpr) -> None:
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attribute in ("w:ascii", "w:hAnsi", "w:cs"):
        fonts.set(qn(attribute), LATIN_FONT)
    fonts.set(qn("w:eastAsia"), EAST_ASIAN_FONT)


def style_run(run, bold: bool = False, size=None, color: RGBColor | None = None) -> None:
    run.font.name = LATIN_FONT
    run.font.size = size or BODY_SIZE
    run.bold = bold or None
    if color is not None:
        run.font.color.rgb = color
    east_asian(run._element.get_or_add_rPr())


def paragraph(document, text: str, bold: bool = False, size=None, color=None, align=None):
    paragraph = document.add_paragraph()
    if align is not None:
        paragraph.alignment = align
    if text:
        style_run(paragraph.add_run(xml_text(text)), bold, size, color)  # a NUL in a unit name: shown, not refused
    return paragraph


def write_cell(cell, text: str, bold: bool = False, align=WD_ALIGN_PARAGRAPH.LEFT) -> None:
    """Text into a cell, one paragraph per line, every run with its fonts; vertically centred."""
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    lines = text.split("\n") if text else [""]
    for index, line in enumerate(lines):
        paragraph = cell.paragraphs[0] if index == 0 else cell.add_paragraph()
        paragraph.alignment = align
        paragraph.paragraph_format.space_before = Pt(0)
        paragraph.paragraph_format.space_after = Pt(0)
        if line:
            style_run(paragraph.add_run(xml_text(line)), bold)


def clear(cell) -> None:
    """Empty a cell before it is merged into another (a merge would append its paragraphs)."""
    for paragraph in cell.paragraphs[1:]:
        paragraph._element.getparent().remove(paragraph._element)
    for run in list(cell.paragraphs[0].runs):
        run._element.getparent().remove(run._element)


def mark_row(row, header: bool = False) -> None:
    """w:cantSplit on every row (kept whole across pages); w:tblHeader on the header (repeated on every page)."""
    trpr = row._tr.get_or_add_trPr()
    trpr.append(OxmlElement("w:cantSplit"))
    if header:
        trpr.append(OxmlElement("w:tblHeader"))


def shade(cell, fill: str) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shading)


def column_widths(kinds: Sequence[str], titles: Sequence[str], least_chars: Sequence[float] = ()) -> list:
    """Widths (EMU) filling the usable page width by the kinds' weights, none narrower than its title
    or than `least_chars` characters of body text (the names a level column must keep on one line)."""
    usable = PAGE_WIDTH - 2 * MARGIN_SIDE
    least = [Mm(len(title) * _CHAR_MM + _CELL_PADDING_MM) for title in titles]
    for i, chars in enumerate(least_chars):
        least[i] = max(least[i], Mm(chars * _BODY_CHAR_MM + _CELL_PADDING_MM))
    weights = [_WIDTHS.get(kind, 30) for kind in kinds]
    widths = [usable * weight / sum(weights) for weight in weights]
    short = [i for i, width in enumerate(widths) if width < least[i]]
    while short:  # give the narrow columns their least width, share the rest among the others by weight
        rest = usable - sum(least[i] for i in short)
        others = [i for i in range(len(kinds)) if i not in short]
        share = sum(weights[i] for i in others) or 1
        for i in others:
            widths[i] = rest * weights[i] / share
        for i in short:
            widths[i] = least[i]
        more = [i for i in others if widths[i] < least[i]]  # a column the sharing made too narrow in turn
        if not more:
            break
        short += more
    return [int(width) for width in widths]


def fixed_layout(table, widths: Sequence) -> None:
    """Fixed column widths: the grid, every cell, and w:tblLayout fixed so Word and LibreOffice keep them."""
    table.autofit = False
    tblpr = table._tbl.tblPr
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    tblpr.append(layout)
    grid = table._tbl.tblGrid
    for column, width in zip(grid.findall(qn("w:gridCol")), widths):
        column.set(qn("w:w"), str(int(width / 635)))  # EMU → twentieths of a point
    for row in table.rows:
        for cell, width in zip(row.cells, widths):
            cell.width = width


def simple_table(document, header: Sequence[str], body: Iterable[Sequence[str]], widths_mm: Sequence[int],
                  bold_last: bool = False) -> None:
    body = [list(row) for row in body]
    table = document.add_table(rows=len(body) + 1, cols=len(header))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    fixed_layout(table, [Mm(w) for w in widths_mm])
    mark_row(table.rows[0], header=True)
    for c, title in enumerate(header):
        write_cell(table.cell(0, c), title, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
        shade(table.cell(0, c), "E7E6E6")
    for r, row in enumerate(body, 1):
        mark_row(table.rows[r])
        for c, text in enumerate(row):
            write_cell(table.cell(r, c), text, bold=bold_last and r == len(body), align=WD_ALIGN_PARAGRAPH.CENTER)


__all__ = ["BODY_SIZE", "EAST_ASIAN_FONT", "LATIN_FONT", "RED", "TITLE_SIZE", "clear", "column_widths",
           "fixed_layout", "mark_row", "new_document", "paragraph", "shade", "simple_table", "write_cell"]
