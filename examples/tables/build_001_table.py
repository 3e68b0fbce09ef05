"""Builds 001_附件1.docx, seed 001's published scoring table (附件1), from its page-by-page transcription.

The transcription (001_附件1.tsv) keeps the table as the report prints it: the header repeated on
every page, a row broken across a page continued at the top of the next one with its level cells
blank, and the report's own wording — mistakes included. Each page becomes a table of its own, with
the blank level cells under a name merged into it vertically, as Word writes them. Run:

    python examples/tables/build_001_table.py      # writes examples/tables/001_附件1.docx
"""

from __future__ import annotations

import sys
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT

HERE = Path(__file__).resolve().parent
HEADER = ("一级指标", "二级指标", "三级指标", "指标解释", "评分标准", "得分原因", "得分")


def pages(lines: list[str]) -> tuple[str, list[list[list[str]]]]:
    """The title and the rows of each page."""
    title, found = "", []
    for line in lines:
        if not line or line.startswith("#"):
            continue
        kind, *cells = line.split("\t")
        if kind == "标题":
            title = cells[0]
        elif kind == "表头":
            found.append([])
        elif kind == "行":
            found[-1].append((cells + [""] * 7)[:7])
    return title, found


def build(source: Path, target: Path) -> None:
    title, tables = pages(source.read_text(encoding="utf-8").splitlines())
    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = section.page_height, section.page_width
    document.add_paragraph(title)
    for number, rows in enumerate(tables):
        if number:
            document.add_page_break()
        table = document.add_table(rows=len(rows) + 1, cols=len(HEADER))
        table.style = "Table Grid"
        for c, text in enumerate(HEADER):
            table.cell(0, c).text = text
        for r, row in enumerate(rows, 1):
            for c, text in enumerate(row):
                table.cell(r, c).text = text
        _merge_levels(table, rows)
    document.save(target)


def _merge_levels(table, rows: list[list[str]]) -> None:
    """A blank level cell below a named one on the same page is part of it: merged vertically."""
    for c in range(3):
        top = None
        for r, row in enumerate(rows, 1):
            if row[c]:
                top = r
            elif top is not None and any(row[:3]):
                table.cell(top, c).merge(table.cell(r, c))
                table.cell(top, c).text = rows[top - 1][c]


if __name__ == "__main__":
    build(HERE / "001_附件1.tsv", Path(sys.argv[1]) if len(sys.argv) > 1 else HERE / "001_附件1.docx")
