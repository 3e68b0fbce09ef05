"""Reading a .docx back with python-docx: the structure the golden files compare (not the bytes).

Per table: every row's header-repeat (w:tblHeader) and cantSplit flags and its cells — the text
(paragraphs joined by newlines), horizontal spans (w:gridSpan) and vertical merges (w:vMerge).
For the document: page orientation and size, the paragraphs outside tables (with their colour),
the fonts of every run, and the pictures. And a table's cells as drawn (`docx_cells`), to compare with HTML.
"""

from __future__ import annotations

import io

from docx import Document
from docx.oxml.ns import qn

_EMU_PER_MM = 36000


def _mm(emu) -> float:
    return round(int(emu) / _EMU_PER_MM, 1)


def _text(element) -> str:
    """Paragraph texts of a cell (or a paragraph), joined by newlines."""
    paragraphs = element.findall(qn("w:p")) if element.tag != qn("w:p") else [element]
    return "\n".join("".join(t.text or "" for t in p.iter(qn("w:t"))) for p in paragraphs)


def _cell(tc) -> str | dict:
    text = _text(tc)
    tcpr = tc.find(qn("w:tcPr"))
    span = merge = None
    if tcpr is not None:
        grid_span = tcpr.find(qn("w:gridSpan"))
        if grid_span is not None:
            span = int(grid_span.get(qn("w:val")))
        v_merge = tcpr.find(qn("w:vMerge"))
        if v_merge is not None:
            merge = v_merge.get(qn("w:val")) or "continue"
    if span is None and merge is None:
        return text
    cell: dict = {"text": text}
    if span:
        cell["gridSpan"] = span
    if merge:
        cell["vMerge"] = merge
    return cell


def _row(tr) -> dict:
    trpr = tr.find(qn("w:trPr"))
    flags = set() if trpr is None else {child.tag for child in trpr}
    return {"header": qn("w:tblHeader") in flags, "cantSplit": qn("w:cantSplit") in flags,
            "cells": [_cell(tc) for tc in tr.findall(qn("w:tc"))]}


def _table(tbl) -> dict:
    grid = [_mm(int(col.get(qn("w:w"))) * 635) for col in tbl.find(qn("w:tblGrid")).findall(qn("w:gridCol"))]
    layout = tbl.find(qn("w:tblPr")).find(qn("w:tblLayout"))
    return {"grid_mm": grid, "fixed": layout is not None and layout.get(qn("w:type")) == "fixed",
            "rows": [_row(tr) for tr in tbl.findall(qn("w:tr"))]}


def _fonts(body) -> dict:
    east_asian, latin, without = set(), set(), 0
    for run in body.iter(qn("w:r")):
        if run.find(qn("w:t")) is None:
            continue
        rpr = run.find(qn("w:rPr"))
        fonts = rpr.find(qn("w:rFonts")) if rpr is not None else None
        if fonts is None or fonts.get(qn("w:eastAsia")) is None:
            without += 1
            continue
        east_asian.add(fonts.get(qn("w:eastAsia")))
        latin.add(fonts.get(qn("w:ascii")))
    return {"eastAsia": sorted(east_asian), "ascii": sorted(latin), "runs_without_eastAsia": without}


def _paragraph(p) -> list:
    colours = {c.get(qn("w:val")) for c in p.iter(qn("w:color"))}
    return [_text(p), sorted(colours)[0] if colours else None]


def docx_structure(data: bytes) -> dict:
    """The comparable structure of a .docx file's bytes."""
    document = Document(io.BytesIO(data))
    section = document.sections[0]
    body = document.element.body
    paragraphs = [_paragraph(p) for p in body.findall(qn("w:p"))]
    return {
        "page": {"orientation": "landscape" if section.orientation == 1 else "portrait",
                 "width_mm": _mm(section.page_width), "height_mm": _mm(section.page_height)},
        "paragraphs": [p for p in paragraphs if p[0]],
        "pictures": len(document.inline_shapes),
        "fonts": _fonts(body),
        "tables": [_table(t) for t in body.findall(qn("w:tbl"))],
    }


def texts_of(structure: dict) -> str:
    """Every text of the document (paragraphs and cells), for searching."""
    out = [p[0] for p in structure["paragraphs"]]
    for table in structure["tables"]:
        for row in table["rows"]:
            for cell in row["cells"]:
                out.append(cell if isinstance(cell, str) else cell["text"])
    return "\n".join(out)


def docx_cells(data: bytes) -> list[list[tuple[str, int, int]]]:
    """The first table's cells as Word draws them: (text, columns spanned, rows merged down), a cell continuing
    a vertical merge left out, as HTML leaves out the cells a rowspan covers."""
    rows = docx_structure(data)["tables"][0]["rows"]
    placed = []  # per row: (grid column, text, span, vMerge)
    for row in rows:
        column, cells = 0, []
        for cell in row["cells"]:
            text, span = (cell, 1) if isinstance(cell, str) else (cell["text"], cell.get("gridSpan", 1))
            cells.append((column, text, span, None if isinstance(cell, str) else cell.get("vMerge")))
            column += span
        placed.append(cells)
    drawn = []
    for r, cells in enumerate(placed):
        out = []
        for column, text, span, merge in cells:
            if merge == "continue":
                continue
            down = 1
            while merge == "restart" and r + down < len(placed) and any(
                    c == column and m == "continue" for c, _t, _s, m in placed[r + down]):
                down += 1
            out.append((text, span, down))
        drawn.append(out)
    return drawn
