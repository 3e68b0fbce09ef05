"""Reading a filled input workbook (made by `idsl template`, written by `idsl.render.workbook`) back
into the same `Inputs` the JSON reader gives, with problems named by sheet and cell.

openpyxl reads cell values only: a formula cell is read as its cached value, or reported when it
has none; nothing is evaluated. Problems name the cell: ``输入!F12: 应填一个数，这里是 “四十”``. A percent-formatted
cell holding 0.8967 means 89.67%. Each row carries a hidden key (column 键: kind, indicator path,
field, and a question number for questionnaire rows) that ties it to the plan.
"""

from __future__ import annotations

import os
from pathlib import Path
from zipfile import BadZipFile

import attrs

from idsl.io.columns import UNIT
from idsl.io.excel import workbook_problem
from idsl.io.inputs import InputError, Inputs
from idsl.io.workbook_cells import (  # noqa: F401 (the 输入 sheet's names, imported from here by the writer)
    FORM_SHEET, HEADERS, INPUT_SHEET, KEY, LISTS_SHEET, NOTE, RECORD, STANDARD_SHEET, VALUE, WorkbookInputs,
    _Cells, _SheetReader, _unreadable, key_text,
)
from idsl.io.workbook_form import read_form_workbook  # the 自评表 laid out as 附1
from idsl.semantics.model import Plan


class WorkbookError(Exception):
    """A workbook that cannot be read at all (not an .xlsx, not made by `idsl template`)."""


def read_workbook(plan: Plan, path: str | os.PathLike[str]) -> WorkbookInputs:
    """The inputs a filled input workbook holds, as `read_inputs` gives them for JSON.

    Problems found in the cells themselves (a formula without a cached value, a date, an error
    value, a recorded score that is not a number) come back in `errors` naming the cell; the
    scorer's own checks of the values are named by cell with `locate`.
    """
    path = Path(path)
    try:
        values_book, formula_book = _open_twice(path)
    except WorkbookError as err:
        return _unreadable(path, str(err))
    if INPUT_SHEET not in values_book.sheetnames and FORM_SHEET in values_book.sheetnames:
        return read_form_workbook(plan, path, values_book, formula_book)
    if INPUT_SHEET not in values_book.sheetnames:
        return _unreadable(path, f"{path.name} 里没有“{INPUT_SHEET}”工作表；用 idsl template 生成输入表。若这是单位表"
                                 f"（一行一个单位），表头须在第一个工作表的第 1 行，A1 是“{UNIT}”（不要在表头上方加标题行）。")
    sheet = values_book[INPUT_SHEET]
    header = [c.value for c in sheet[1]]
    if not all(name in header for name in (VALUE, NOTE, RECORD, KEY)):
        return _unreadable(path, f"{INPUT_SHEET} 表头不对：应有 {VALUE}、{NOTE}、{RECORD}、{KEY} 列；"
                                 "用 idsl template 重新生成。")
    cells = _Cells(sheet, formula_book[INPUT_SHEET])
    return _SheetReader(plan, cells, {name: header.index(name) + 1 for name in (VALUE, NOTE, RECORD, KEY)}).read(path)


def locate(result, inputs: Inputs):
    """The result with every input error that names an indicator field placed in its cell (输入!F12: …),
    and dropped where the cell already has one of the reader's own errors."""
    cells = getattr(inputs, "cells", None)
    if not cells:
        return result
    own = {e.cell for e in inputs.errors if e.cell}
    located = []
    seen = set()
    for error in result.errors:
        if error.cell is None:
            cell = _cell_of(cells, error)
            if cell is None:
                located.append(error)
                continue
            if cell in own:
                continue  # the reader already said what is wrong with this cell
            error = attrs.evolve(error, sheet=getattr(inputs, "sheet", INPUT_SHEET), cell=cell)
        if (error.cell, error.text) not in seen:
            seen.add((error.cell, error.text))
            located.append(error)
    return attrs.evolve(result, errors=tuple(located))


def _cell_of(cells: dict[tuple[str, str], str], error: InputError) -> str | None:
    """The cell an error is about: an element's or a question's own row when the error names one."""
    path, field = error.path, error.field or ""
    if error.index is not None:
        for at in (f"{field}{error.index}", f"{field}.第{error.index}题"):
            if (path, at) in cells:
                return cells[(path, at)]
    for candidate in (field, field.split(".")[-1]):
        if (path, candidate) in cells:
            return cells[(path, candidate)]
    return None


def _open_twice(path: Path):
    """The workbook with cached values, and with formulas (to tell a formula without a cached value)."""
    from openpyxl import load_workbook  # deliberately lazy: openpyxl is slow to import

    problem = workbook_problem(path)
    if problem:
        raise WorkbookError(f"读不了 {path.name}：{problem}")
    try:
        return load_workbook(path, data_only=True), load_workbook(path, data_only=False)
    except (BadZipFile, KeyError, OSError, ValueError) as err:
        raise WorkbookError(f"读不了 {path.name}：不是 .xlsx 工作簿（{err}）。") from err


__all__ = [
    "HEADERS",
    "FORM_SHEET",
    "INPUT_SHEET",
    "KEY",
    "LISTS_SHEET",
    "NOTE",
    "RECORD",
    "STANDARD_SHEET",
    "VALUE",
    "WorkbookError",
    "WorkbookInputs",
    "key_text",
    "locate",
    "read_workbook",
]
