"""Builds a published scoring table's .docx (001_附件1, 002_意见表) from its page-by-page transcription.

A transcription (.tsv) keeps the table as the report prints it: its title lines, its header (the
`表头` line's cells; 001's bare `表头` is 附件1's seven columns), repeated on every page where the
report repeats it, a row broken across a page continued at the top of the next one with its level
cells blank, and the report's own wording — mistakes included. Each `表头` starts a table of its own,
the blank level cells under a name are merged into it vertically, and a cell `←` into the cell on
its left, as Word writes them. Run:

    python examples/tables/build_table.py                  # writes examples/tables/001_附件1.docx
    python examples/tables/build_table.py 002_意见表.tsv   # writes examples/tables/002_意见表.docx
"""

from __future__ import annotations

import sys
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT

HERE = Path(__file__).resolve().parent
HEADER = ("一级指标", "二级指标", "三级指标", "指标解释", "评分标准", "得分原因", "得分")
LEFT = "←"  # a cell merged into the one on its left


def pages(lines: list[str]) -> tuple[list[str], tuple[str, ...], list[list[list[str]]]]:
    """The title lines, the header and the rows of each table."""
    titles, header, found = [], HEADER, []
    for line in lines:
        if not line or line.startswith("#"):
            continue
        kind, *cells = line.split("\t")
        if kind == "标题":
            titles.append(cells[0])
        elif kind == "表头":
            header = tuple(cells) or header
            found.append([])
        elif kind == "行":
            found[-1].append((cells + [""] * len(header))[:len(header)])
    return titles, header, found


def build(source: Path, target: Path) -> None:
    titles, header, tables = pages(source.read_text(encoding="utf-8").splitlines())
    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = section.page_height, section.page_width
    for title in titles:
        document.add_paragraph(title)
    for number, rows in enumerate(tables):
        if number:
            document.add_page_break()
        table = document.add_table(rows=len(rows) + 1, cols=len(header))
        table.style = "Table Grid"
        for c, text in enumerate(header):
            table.cell(0, c).text = text
        for r, row in enumerate(rows, 1):
            for c, text in enumerate(row):
                table.cell(r, c).text = "" if text == LEFT else text
        _merge_levels(table, rows)
        _merge_left(table, rows)
    document.save(target)


def _merge_levels(table, rows: list[list[str]]) -> None:
    """A blank level cell below a named one in the same table is part of it: merged vertically (a row the
    report breaks across a page, continued below in a table that runs on without its header, too)."""
    for c in range(3):
        top = None
        for r, row in enumerate(rows, 1):
            if row[c] == LEFT:
                top = None
            elif row[c]:
                top = r
            elif top is not None:
                table.cell(top, c).merge(table.cell(r, c))
                table.cell(top, c).text = rows[top - 1][c]


def _merge_left(table, rows: list[list[str]]) -> None:
    """A cell written `←` is part of the cell on its left (a name spanning two level columns, a 小计 row)."""
    for r, row in enumerate(rows, 1):
        for c in range(1, len(row)):
            if row[c] == LEFT:
                table.cell(r, c - 1).merge(table.cell(r, c))
                table.cell(r, c - 1).text = next(t for t in reversed(row[:c]) if t != LEFT)


if __name__ == "__main__":
    tsv = HERE / (sys.argv[1] if len(sys.argv) > 1 else "001_附件1.tsv")
    build(tsv, Path(sys.argv[2]) if len(sys.argv) > 2 else tsv.with_suffix(".docx"))
