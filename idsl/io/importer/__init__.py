"""Existing scoring tables (.docx, .xlsx) read into an idsl draft: the tree, points, texts and recognised rules."""

from __future__ import annotations

from pathlib import Path

from idsl.io.importer.cells import TableError, read_grids
from idsl.io.importer.draft import PLACEHOLDER, Draft, write_draft
from idsl.io.importer.form import form_draft, form_grid
from idsl.io.importer.layout import find_table


def import_table(path: str | Path) -> Draft:
    """The idsl draft of the scoring table in a .docx or .xlsx file.

    Raises TableError (its message in Chinese, saying what was found) when the file cannot be read
    or holds no table whose header names the indicator levels and their points or scoring standard.
    """
    path = Path(path)
    grids = read_grids(path)
    form = form_grid(grids)
    if form is not None:  # a filled 项目支出绩效自评表 (附1): a spec with a 自评表 block
        text, leaves, kinds, placeholders = form_draft(form, path.name)
        return Draft(text, form.where, leaves, kinds, tuple(placeholders))
    return write_draft(find_table(grids, path.name), path.name)


__all__ = ["PLACEHOLDER", "Draft", "TableError", "import_table"]
