"""Word tables written as WordprocessingML directly: every cell once, merges as gridSpan/vMerge marks.

python-docx finds a cell by walking the table, so filling and merging cell by cell grows with the
square of the rows (a 4,000-leaf table took minutes); here a table is one XML text parsed once.
Rows are kept whole across pages unless they are long (then they break, as in the published
tables, instead of leaving much of a page blank, and their cells are top-aligned); every other cell,
merged ones included, is vertically centred; the header row is repeated on every page.
"""

from __future__ import annotations

import math
import unicodedata
from typing import Sequence
from xml.sax.saxutils import escape

import attrs
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

from idsl.io.inert import xml_text
from idsl.render.word import BODY_SIZE, EAST_ASIAN_FONT, LATIN_FONT

HEADER_FILL = "E7E6E6"
LINE_MM = 4.6  # one line of 10.5 pt text with single spacing (宋体's line height)
CHAR_MM = 3.704  # one Chinese character at 10.5 pt; Latin letters and digits are about half
PADDING_MM = 3.8  # the left and right cell margins together (0.19 cm each)
SPLIT_LINES = 6  # a row taller than this may break across pages; a shorter one moves whole
_EMU_PER_MM = 36000
_TWIPS_PER_EMU = 635


@attrs.frozen
class Cell:
    """One cell as written: its text (lines become paragraphs), look, and its place in a merge."""

    text: str = ""
    bold: bool = False
    centred: bool = False
    span: int = 1  # grid columns it covers
    merge: str | None = None  # "restart" (first of a vertical merge), "continue" (covered by the one above)
    fill: str | None = None  # background colour, e.g. the header's


@attrs.frozen
class Row:
    cells: Sequence[Cell]
    header: bool = False  # repeated at the top of every page
    keep_next: bool = False  # kept on the same page as the next row


def table_element(widths: Sequence[int], rows: Sequence[Row], style_id: str = "TableGrid"):
    """A `w:tbl` element: fixed column widths (EMU), centred on the page, the rows as given."""
    twips = [int(width / _TWIPS_PER_EMU) for width in widths]
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in twips)
    parts = [f"<w:tbl {nsdecls('w')}><w:tblPr><w:tblStyle w:val=\"{style_id}\"/><w:tblW w:type=\"auto\" w:w=\"0\"/>"
             '<w:jc w:val="center"/><w:tblLayout w:type="fixed"/>'
             '<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="1" w:lastColumn="0" '
             f'w:noHBand="0" w:noVBand="1"/></w:tblPr><w:tblGrid>{grid}</w:tblGrid>']
    for row in rows:
        parts.append(_row_xml(row, twips))
    parts.append("</w:tbl>")
    return parse_xml("".join(parts))


def add_table(document, widths: Sequence[int], rows: Sequence[Row]):
    """Append the table to the document body (before its section properties) and return it."""
    element = table_element(widths, rows, document.styles["Table Grid"].style_id)
    document.element.body._insert_tbl(element)
    return element


def _row_xml(row: Row, twips: Sequence[int]) -> str:
    splits = not row.header and _splits(row, twips)
    flags = ("" if splits else "<w:cantSplit/>") + ("<w:tblHeader/>" if row.header else "")
    out = [f"<w:tr><w:trPr>{flags}</w:trPr>" if flags else "<w:tr>"]
    # A row that breaks across pages has its cells top-aligned: centred, a short name or score would
    # sit in the middle of the row, where the page break may cut it in two.
    align = "top" if splits else "center"
    column = 0
    for cell in row.cells:
        width = sum(twips[column:column + cell.span])
        out.append(_cell_xml(cell, width, row.keep_next, "center" if cell.merge else align))
        column += cell.span
    out.append("</w:tr>")
    return "".join(out)


def _splits(row: Row, twips: Sequence[int]) -> bool:
    """Whether the row is long enough to be let break across pages (its tallest cell, estimated)."""
    column, tallest = 0, 0
    for cell in row.cells:
        width_mm = sum(twips[column:column + cell.span]) * _TWIPS_PER_EMU / _EMU_PER_MM
        column += cell.span
        if cell.merge != "continue":
            tallest = max(tallest, lines_of(cell.text, width_mm))
    return tallest > SPLIT_LINES


def lines_of(text: str, width_mm: float) -> int:
    """The lines a text takes in a cell `width_mm` wide: each paragraph wrapped at the cell's width.

    >>> lines_of("年度绩效目标合理性", 40), lines_of("年度绩效目标合理性", 20), lines_of("", 20)
    (1, 3, 1)
    """
    per_line = max(1.0, (width_mm - PADDING_MM) / CHAR_MM)
    return sum(max(1, math.ceil(text_width(line) / per_line)) for line in text.split("\n"))


def text_width(text: str) -> float:
    """Width in Chinese characters: wide (CJK, full-width) characters count 1, others ½.

    >>> text_width("决策（15）")
    5.0
    """
    return sum(1.0 if unicodedata.east_asian_width(ch) in "WF" else 0.5 for ch in text)


def _cell_xml(cell: Cell, width: int, keep_next: bool, align: str) -> str:
    props = [f'<w:tcW w:w="{width}" w:type="dxa"/>']
    if cell.span > 1:
        props.append(f'<w:gridSpan w:val="{cell.span}"/>')
    if cell.merge == "restart":
        props.append('<w:vMerge w:val="restart"/>')
    elif cell.merge == "continue":
        props.append("<w:vMerge/>")
    if cell.fill:
        props.append(f'<w:shd w:val="clear" w:color="auto" w:fill="{cell.fill}"/>')
    props.append(f'<w:vAlign w:val="{align}"/>')  # every cell, merged ones too: Word and LibreOffice differ on whose counts
    text = "" if cell.merge == "continue" else cell.text
    paragraphs = "".join(_paragraph_xml(line, cell.bold, cell.centred, keep_next) for line in text.split("\n"))
    return f"<w:tc><w:tcPr>{''.join(props)}</w:tcPr>{paragraphs}</w:tc>"


def _paragraph_xml(line: str, bold: bool, centred: bool, keep_next: bool) -> str:
    props = ("<w:keepNext/>" if keep_next else "") + '<w:spacing w:before="0" w:after="0"/>'
    props += f'<w:jc w:val="{"center" if centred else "left"}"/>'
    run = ""
    if line:
        size = int(BODY_SIZE.pt * 2)
        fonts = (f'<w:rFonts w:ascii="{LATIN_FONT}" w:hAnsi="{LATIN_FONT}" w:cs="{LATIN_FONT}" '
                 f'w:eastAsia="{EAST_ASIAN_FONT}"/>')
        run = (f"<w:r><w:rPr>{fonts}{'<w:b/>' if bold else ''}<w:sz w:val=\"{size}\"/></w:rPr>"
               f'<w:t xml:space="preserve">{escape(xml_text(line))}</w:t></w:r>')
    return f"<w:p><w:pPr>{props}</w:pPr>{run}</w:p>"


def mm(value: float) -> int:
    """Millimetres in EMU."""
    return int(value * _EMU_PER_MM)


__all__ = ["CHAR_MM", "Cell", "HEADER_FILL", "PADDING_MM", "Row", "add_table", "lines_of", "mm", "table_element",
           "text_width"]
