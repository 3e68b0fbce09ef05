"""Existing scoring tables (.docx, .xlsx) read into an idsl draft: the tree, points, texts and recognised rules."""

from __future__ import annotations

from pathlib import Path

from idsl.io.importer.cells import TableError, read_grids
from idsl.io.importer.draft import PLACEHOLDER, Draft, write_draft
from idsl.io.importer.layout import find_table


def import_table(path: str | Path) -> Draft:
    """The idsl draft of the scoring table in a .docx or .xlsx file.

    Raises TableError (its message in Chinese, saying what was found) when the file cannot be read
    or holds no table whose header names the indicator levels and their points or scoring standard.
    """
    path = Path(path)
    return write_draft(find_table(read_grids(path), path.name), path.name)


__all__ = ["PLACEHOLDER", "Draft", "TableError", "import_table"]
