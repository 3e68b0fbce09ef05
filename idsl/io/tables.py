"""Batch tables on disk: a file's headers matched to a plan's columns, CSV written, Excel batch
workbooks read into CSV, and the results and bad rows written as CSV or a workbook."""

from __future__ import annotations

import csv
import difflib
import io
import itertools
import os
import tempfile
import zipfile
from decimal import Decimal
from xml.etree import ElementTree
from pathlib import Path
from typing import Any, Iterable, Sequence

import attrs

from idsl.frontend.form import FundsSum, funds_sums
from idsl.io.columns import RECORDED, UNIT, Column, grade_column, recorded_columns, unit_columns, unknown_recorded
from idsl.io.excel import excel_value, workbook_problem
from idsl.io.files import write_atomic
from idsl.io.inert import csv_cell, sheet_cell
from idsl.io.inputfile import BLANKS, InputError
from idsl.io.inputs import unknown_key_error
from idsl.io.workbook import FORM_SHEET, INPUT_SHEET
from idsl.semantics.model import Plan

SOURCE_SUFFIXES = (".csv", ".xlsx", ".parquet")
RESULT_SUFFIXES = (".csv", ".xlsx", ".parquet")
BATCH_SHEET = "单位"
RESULTS_SHEET = "结果"
ERRORS_SHEET = "错误"
ERROR_HEADER = ("行", "单位", "列", "问题")
EXCEL_ROWS = 1_048_576  # the rows of one Excel sheet, the header included (Excel 2007 and later)
_SHOWN = 8  # missing or unknown columns named in a message


class BatchError(Exception):
    """A problem with the file as a whole (unreadable, columns missing): nothing is scored."""


def strip(text: str | None) -> str:
    """A cell's text without blanks at either end ('' for an empty cell)."""
    return (text or "").strip(BLANKS)


# ---------------------------------------------------------------- the layout of a file


@attrs.frozen
class Layout:
    """The columns a file has, matched to the plan's."""

    columns: tuple[Column, ...]  # every plan column (the file has them all)
    audit: tuple[str, ...]  # keys whose recorded score the file gives (…​.记录得分 columns present)
    funds: tuple[FundsSum, ...] = ()  # the 自评表's 其中 rows the evaluator gives, added up against the total
    grades: tuple[str, ...] = ()  # the plan's grades: a recorded grade must be one of them (columns.grade_problem)
    # 记录得分 columns naming no indicator (…/没有.记录得分): each with the error a value in it is, as a JSON file's
    # recorded score naming no indicator (the file is scored; a row giving a value there is refused)
    strays: tuple[tuple[Column, InputError], ...] = ()

    @property
    def read_headers(self) -> list[str]:
        """The headers the engines read: the plan's columns, then the stray 记录得分 columns."""
        return [c.header for c in self.columns] + [c.header for c, _error in self.strays]


def match_headers(plan: Plan, headers: Sequence[str]) -> Layout:
    """The file's columns checked against the plan's: every input column must be there; recorded-score
    columns are optional (等级.记录得分 too where the plan has no grades: a grade given in it is the row's error),
    and one naming no indicator is read for the error of a value in it (`Layout.strays`); anything else is an
    error (BatchError lists them all)."""
    expected = unit_columns(plan)
    recorded = {c.header: c for c in recorded_columns(plan) + [grade_column()]}
    present = [strip(h) for h in headers]
    seen = set(present)
    known = {c.header for c in expected} | set(recorded)
    strays = tuple(s for s in (_stray(plan, h) for h in dict.fromkeys(present) if h not in known) if s is not None)
    known |= {column.header for column, _error in strays}
    problems = [_missing([c.header for c in expected if c.header not in seen]),
                _unknown([h for h in present if h not in known and h], known),
                repeated_columns(present)]
    problems = [p for p in problems if p]
    if problems:
        raise BatchError("\n".join(problems))
    audit_columns = [recorded[h] for h in recorded if h in seen]
    return Layout(tuple(expected) + tuple(audit_columns), tuple(c.key for c in audit_columns), funds_sums(plan.form),
                  tuple(band.grade for band in plan.grades), strays)


def _stray(plan: Plan, heading: str) -> tuple[Column, InputError] | None:
    """A 记录得分 column naming no indicator, with the error of a value in it; None for any other header."""
    key, dot, field = heading.rpartition(".")
    if not (dot and key and field == RECORDED and unknown_recorded(plan, key)):
        return None
    return Column(heading, "recorded", key, RECORDED), attrs.evolve(unknown_key_error(plan, key), field="recorded")


def _missing(missing: list[str]) -> str | None:
    if not missing:
        return None
    shown = "、".join(missing[:_SHOWN]) + (f" 等 {len(missing)} 列" if len(missing) > _SHOWN else "")
    return f"缺少列：{shown}。用 idsl template --batch 生成表头。"


def _unknown(unknown: list[str], known: set[str]) -> str | None:
    if not unknown:
        return None
    hints = []
    for h in unknown[:_SHOWN]:
        close = difflib.get_close_matches(h, list(known), n=1, cutoff=0.6)
        hints.append(f"“{h}”" + (f"（是不是“{close[0]}”？）" if close else ""))
    more = f" 等 {len(unknown)} 列" if len(unknown) > _SHOWN else ""
    return "不认识的列：" + "、".join(hints) + more + "。"


def repeated_columns(present: Sequence[str]) -> str | None:
    """The headers written more than once (blanks at either end stripped), as the problem's words; None if none."""
    present = list(present)
    duplicates = sorted({h for h in present if present.count(h) > 1 and h})
    return "重复的列：" + "、".join(duplicates) + "。" if duplicates else None


# ---------------------------------------------------------------- CSV


def write_csv(path: str | os.PathLike[str], headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    """A UTF-8 CSV (with a BOM, so Excel opens Chinese text correctly)."""
    with open(path, "w", encoding="utf-8-sig", newline="") as stream:
        writer = csv.writer(stream, lineterminator="\n")
        writer.writerow(headers)
        for row in rows:
            writer.writerow(["" if v is None else v for v in row])


def errors_path(output: str | os.PathLike[str]) -> Path:
    """results.csv → results.errors.csv."""
    output = Path(output)
    return output.with_name(output.stem + ".errors.csv")


def write_results_csv(path: str | os.PathLike[str], headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    """Result rows as CSV (Decimals written in full, never as exponents), atomically; text never a formula."""
    _write_table(path, headers, (["" if v is None else _plain(csv_cell(v)) for v in row] for row in rows))


def write_errors_csv(path: str | os.PathLike[str], errors: Iterable[tuple[int, str, str, str]]) -> None:
    """The bad rows (row, unit, column, problem) as CSV, atomically; text never a formula."""
    _write_table(path, ERROR_HEADER, ([csv_cell(v) for v in error] for error in errors))


def _write_table(path: str | os.PathLike[str], headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(headers)
    writer.writerows(rows)
    write_atomic(path, buffer.getvalue().encode("utf-8"))


def _plain(value: Any) -> Any:
    return format(value, "f") if isinstance(value, Decimal) else value


# ---------------------------------------------------------------- Excel


def read_batch_workbook(path: str | os.PathLike[str]) -> tuple[list[str], str, list[int] | None]:
    """A batch workbook's sheet 单位 (or its first sheet) as a temporary CSV of text cells (the caller deletes
    it), streamed row by row (`idsl.io.xlsx_rows`): its headers, the CSV's path, and the sheet's row
    number of each CSV data row when they differ (None when the CSV's row n is the sheet's row n). Numbers
    keep their shortest decimal form; a percent-formatted cell 0.8967 becomes "89.67%"; a formula is read
    as its cached value, one without a cached value becomes a cell the checks reject; blank rows are left
    out (so a problem is reported at the sheet's row, the one the user sees in Excel, through that list)."""
    # lazy: only a batch workbook needs it, and every `idsl score` imports this module (≈ 6 ms)
    from idsl.io.xlsx_rows import sheet_names, sheet_rows

    problem = workbook_problem(path, batch=True)
    if problem:
        raise BatchError(f"读不了 {path}：{problem}")
    handle, name = tempfile.mkstemp(suffix=".csv")
    os.close(handle)
    try:
        with zipfile.ZipFile(path) as archive:
            rows = sheet_rows(archive, _batch_part(sheet_names(archive)))
            first = next(rows, None)
            if first is None:
                raise BatchError(f"{path} 是空的。")
            headers = [h.strip() for h in first[1]] if first[0] == 1 else []
            body = [] if first[0] == 1 else [first]
            width = len(headers)
            numbers: list[int] = []
            with open(name, "w", encoding="utf-8-sig", newline="") as stream:
                writer = csv.writer(stream, lineterminator="\n")
                writer.writerow(headers)
                for number, cells in itertools.chain(body, rows):
                    if any(cells[:width]):
                        writer.writerow(cells[:width] + [""] * (width - len(cells)))
                        numbers.append(number)
    except BatchError:
        Path(name).unlink(missing_ok=True)
        raise
    except (KeyError, ValueError, OSError, zipfile.BadZipFile, ElementTree.ParseError) as err:
        Path(name).unlink(missing_ok=True)
        raise BatchError(f"读不了 {path}：{err}") from err
    same = all(number == i for i, number in enumerate(numbers, 2))
    return headers, name, None if same else numbers


def _batch_part(parts: dict[str, str]) -> str:
    """The sheet a batch is read from: 单位, else the first."""
    if not parts:
        raise KeyError("工作簿里没有工作表")
    return parts.get(BATCH_SHEET) or next(iter(parts.values()))


def check_sheet_rows(count: int, sheet: str = RESULTS_SHEET) -> None:
    """Refuse, before anything is written, a sheet of `count` data rows that Excel cannot hold."""
    if count + 1 > EXCEL_ROWS:
        raise BatchError(f"结果有 {count:,} 行，超过 Excel 一张工作表的上限 {EXCEL_ROWS:,} 行（含表头），"
                         f"写不进 .xlsx 的“{sheet}”工作表：请改用 -o results.csv 或 -o results.parquet。"
                         "没有写出任何文件。")


def write_results_workbook(path: str | os.PathLike[str], headers: Sequence[str], rows: Sequence[Sequence[Any]],
                           errors: Sequence[tuple[int, str, str, str]]) -> None:
    """The results of a batch: a 结果 sheet (one row per unit scored) and an 错误 sheet (the bad rows);
    text is written as text, never as a formula. Refused (BatchError) when either sheet would pass
    Excel's row limit."""
    from openpyxl import Workbook  # deliberately lazy: openpyxl is slow to import

    check_sheet_rows(len(rows))
    check_sheet_rows(len(errors), ERRORS_SHEET)
    book = Workbook(write_only=True)
    sheet = book.create_sheet(RESULTS_SHEET)
    print_setup(sheet)  # before the first row: a write-only sheet writes its properties then
    sheet.append([sheet_cell(sheet, h) for h in headers])
    for row in rows:
        sheet.append([sheet_cell(sheet, excel_value(v)) for v in row])
    problems = book.create_sheet(ERRORS_SHEET)
    print_setup(problems)
    problems.append(list(ERROR_HEADER))
    for error in errors:
        problems.append([sheet_cell(problems, v) for v in error])
    buffer = io.BytesIO()
    book.save(buffer)
    write_atomic(path, buffer.getvalue())


def print_setup(sheet) -> None:
    """Printed as a table is read, in every workbook idsl writes (the templates and the results):
    landscape A4, all columns on one page's width, the header row on every page."""
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = "9"  # A4 (Worksheet.PAPERSIZE_A4; a write-only sheet lacks the name)
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0  # as many pages down as the rows need
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = "1:1"


def is_batch_workbook(path: str | os.PathLike[str]) -> bool:
    """Whether an .xlsx is a batch (a 单位 header in A1) rather than an input workbook (an 输入 sheet)."""
    from idsl.io.xlsx_rows import sheet_names, sheet_rows  # lazy: as in read_batch_workbook

    if workbook_problem(path, batch=True):  # read as an input workbook, whose reader names the problem
        return False
    try:
        with zipfile.ZipFile(path) as archive:
            parts = sheet_names(archive)
            if INPUT_SHEET in parts or FORM_SHEET in parts:
                return False
            first = next(sheet_rows(archive, _batch_part(parts)), None)
    except (KeyError, ValueError, OSError, zipfile.BadZipFile, ElementTree.ParseError):
        return False
    return first is not None and first[0] == 1 and bool(first[1]) and first[1][0].strip() == UNIT


__all__ = [
    "BLANKS",
    "BatchError",
    "ERROR_HEADER",
    "EXCEL_ROWS",
    "Layout",
    "RESULT_SUFFIXES",
    "SOURCE_SUFFIXES",
    "check_sheet_rows",
    "errors_path",
    "is_batch_workbook",
    "match_headers",
    "print_setup",
    "read_batch_workbook",
    "strip",
    "write_csv",
    "write_errors_csv",
    "write_results_csv",
    "write_results_workbook",
]
