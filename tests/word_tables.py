"""A small Word table written in a test and read back by `idsl import`, and the lines the draft gives one leaf."""

from __future__ import annotations

from docx import Document

from idsl.io.importer import import_table


def imported_table(tmp_path, rows):
    """The draft `import_table` makes of a .docx holding one table of `rows` (tuples of cell texts, header first)."""
    document = Document()
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    path = tmp_path / "表.docx"
    document.save(path)
    return import_table(path)


def leaf_lines(draft, name: str) -> list[str]:
    """The draft's lines under one leaf, unindented, up to the next indicator."""
    lines = draft.text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.strip().startswith(name + "（"))
    depth = len(lines[start]) - len(lines[start].lstrip())
    body = []
    for line in lines[start + 1:]:
        if not line.strip() or len(line) - len(line.lstrip()) <= depth:
            break
        body.append(line.strip())
    return body
