"""A small Word table written in a test and read back by `idsl import`."""

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
