"""Batch files into DuckDB: a connection per run, and a view of a CSV, Excel or Parquet file with
every cell as text and the data rows numbered."""

from __future__ import annotations

import codecs
import csv
import contextlib
import contextvars
import os
import shutil
import tempfile
import weakref
from pathlib import Path
from typing import Callable, TypeVar

import attrs

from idsl._start import holding_interrupts
from idsl.engines.sql import quote
from idsl.io.excel import DATE_MARK
from idsl.io.inputfile import MAX_TEXT
from idsl.io.tables import SOURCE_SUFFIXES, BatchError, read_batch_workbook, repeated_columns, strip

_TEMPORARIES: dict[int, list[str]] = {}  # connection id → files and folders made for it (an Excel batch as CSV)
# connection → the sheet's row of each data row of the workbook it last loaded, where blank rows were left
# out (weak: an id could be reused by a later connection, and load_typed's caller closes its own)
_SHEET_ROWS: "weakref.WeakKeyDictionary[object, list[int]]" = weakref.WeakKeyDictionary()
T = TypeVar("T")
SPILL = "idsl-duckdb-"  # the temporary folder of a run: idsl-duckdb-<process id>-<random>
# Set while a run is read again on one thread: DuckDB's parallel CSV reader refuses a quoted line break
# (a cell typed with Alt+Enter), and reading on one thread is slower, so only such files pay for it.
_SERIAL_CSV: contextvars.ContextVar[bool] = contextvars.ContextVar("idsl_serial_csv", default=False)
MEMORY_LIMIT = "1GB"  # DuckDB's own memory; past it, tables spill to a temporary folder (10M units fit in 2 GB)


def connect():
    """A DuckDB connection for one run (in memory, quiet), its memory bounded: what does not fit goes to
    a temporary folder of its own (not DuckDB's default, a .tmp in the working folder), deleted by `close`."""
    with holding_interrupts():  # a Ctrl-C inside DuckDB's own initialisation would abort the process
        import duckdb  # deliberately lazy: duckdb is slow to import and only batches need it

    con = duckdb.connect(":memory:")
    _remove_stale_spills()
    spill = tempfile.mkdtemp(prefix=f"{SPILL}{os.getpid()}-")
    _TEMPORARIES.setdefault(id(con), []).append(spill)
    con.execute("SET enable_progress_bar = false")
    con.execute(f"SET memory_limit = '{MEMORY_LIMIT}'")
    con.execute("SET temp_directory = '" + spill.replace("'", "''") + "'")
    return con


def _remove_stale_spills() -> None:
    """Delete the temporary folders of runs that were killed (their process is gone), which `close` never
    reached: a folder's name carries its process's id. Only this user's folders are looked at, and only on
    POSIX systems (on Windows, os.kill would end the process it asks about)."""
    if os.name != "posix":
        return
    for folder in Path(tempfile.gettempdir()).glob(f"{SPILL}*-*"):
        pid = folder.name[len(SPILL):].partition("-")[0]
        try:
            if pid.isdigit() and folder.stat().st_uid == os.getuid() and not _running(int(pid)):
                shutil.rmtree(folder, ignore_errors=True)
        except OSError:  # gone meanwhile, or not ours to read
            continue


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True


def close(con) -> None:
    """Close a connection and delete the temporary files and folders made for it."""
    _SHEET_ROWS.pop(con, None)
    con.close()
    for name in _TEMPORARIES.pop(id(con), []):
        if Path(name).is_dir():
            shutil.rmtree(name, ignore_errors=True)
        else:
            Path(name).unlink(missing_ok=True)


def sheet_rows(con, errors: list) -> list:
    """RowErrors numbered by the rows a user sees: in a workbook with blank rows (left out when it was
    read), the sheet's row, not the count of rows read."""
    numbers = _SHEET_ROWS.get(con)
    if not numbers:
        return errors
    return sorted(attrs.evolve(e, row=numbers[e.row - 2]) if 2 <= e.row < len(numbers) + 2 else e for e in errors)


def load_source(con, path: str | os.PathLike[str], table: str = "raw_units") -> list[str]:
    """Make `table` a view of a CSV, Excel or Parquet file: every column as text, plus _row numbering the
    data rows from 1 (nothing is copied; each query reads the file). The file's headers, in order."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SOURCE_SUFFIXES:
        raise BatchError(f"不认识的文件类型“{path.suffix}”：批量输入应是 .csv、.xlsx 或 .parquet。")
    if not path.exists():
        raise BatchError(f"找不到文件 {path}。")
    if suffix == ".xlsx":
        _headers, temporary, numbers = read_batch_workbook(path)
        _TEMPORARIES.setdefault(id(con), []).append(temporary)
        headers = load_source(con, temporary, table)
        if numbers is not None:
            _SHEET_ROWS[con] = numbers
        return headers
    _SHEET_ROWS.pop(con, None)  # this file's rows are its own, whatever the connection read before
    literal = "'" + str(path).replace("'", "''") + "'"
    if suffix == ".csv":
        _check_utf8(path)
        _check_headers(path)
        reader = (f"read_csv({literal}, all_varchar = true, header = true, delim = ',', quote = '\"', "
                  f"escape = '\"', null_padding = true" + (", parallel = false)" if _SERIAL_CSV.get() else ")"))
    else:
        reader = f"read_parquet({literal})"
    try:
        with reading(path):  # the sniffer reads well past the first MB
            return _views(con, reader, table)
    except BatchError:
        raise
    except Exception as err:  # duckdb raises its own error classes
        if "Maximum line size" in str(err):  # DuckDB's own words name neither the limit nor what to do
            raise BatchError(f"读不了 {path}：有一行超过 2 MB，不像是单位表（理由写要点即可，每条最多 {MAX_TEXT} 字）。") from err
        raise BatchError(f"读不了 {path}：{_first_line(err)}") from err


def _check_headers(path: Path) -> None:
    """A header written twice is named as written: DuckDB renames the second (…满意度_1), which would be refused
    as an unknown column the user never wrote. (An Excel batch reaches here as the CSV it is copied to.)"""
    try:
        with path.open(encoding="utf-8-sig", newline="") as stream:
            first = next(csv.reader(stream), [])
    except (csv.Error, UnicodeDecodeError):  # a header DuckDB then refuses in its own words
        return
    problem = repeated_columns([strip(h) for h in first])
    if problem is not None:
        raise BatchError(problem)


_HEAD = 1 << 20  # the bytes checked up front; DuckDB's reader checks the rest as it reads


def _check_utf8(path: Path, whole: bool = False) -> None:
    """A CSV must be UTF-8 (DuckDB's own error for GBK names neither the file nor the encoding). Its first MB
    is checked up front, the whole file only when DuckDB has found a bad byte (see `reading`)."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        with path.open("rb") as stream:
            for chunk in iter(lambda: stream.read(_HEAD), b""):
                decoder.decode(chunk)
                if not whole:
                    return  # a character cut at the chunk's end is DuckDB's to judge
            decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        raise BatchError(f"{path} 不是 UTF-8 编码（中文 Windows 的 Excel 默认存成 GBK）。"
                         "用 Excel “另存为” → “CSV UTF-8（逗号分隔）”，或用 idsl template --batch 生成 .xlsx。") from None
    except OSError as err:
        raise BatchError(f"读不了 {path}：{err.strerror or err}") from None


@contextlib.contextmanager
def reading(path: str | os.PathLike[str]):
    """Queries reading a batch file: DuckDB's error for a byte that is no UTF-8, past the first MB, becomes
    the same BatchError as one found up front; a Ctrl-C that DuckDB caught inside a query ("Query
    interrupted") becomes the KeyboardInterrupt it was, so the command stops as on any other Ctrl-C."""
    try:
        yield
    except Exception as err:  # duckdb raises its own error classes
        if Path(path).suffix.lower() == ".csv" and "Invalid unicode" in str(err):
            _check_utf8(Path(path), whole=True)
        if type(err).__name__ == "InterruptException" or (isinstance(err, RuntimeError)
                                                           and str(err).startswith("Query interrupted")):
            raise KeyboardInterrupt from None
        raise


def quoted_line_break(err: BaseException | None) -> bool:
    """Whether DuckDB refused a CSV (or a BatchError made from its error) for a line break inside a quoted cell."""
    while err is not None:
        if "quoted new lines" in str(err):
            return True
        err = err.__cause__
    return False


def read_serially_if_needed(run: Callable[[], T]) -> T:
    """`run()`, and once more reading CSV files on one thread when DuckDB's parallel reader refused a quoted
    line break. `run` makes its own connection and views, so the second run starts clean."""
    try:
        return run()
    except Exception as err:  # duckdb raises its own error classes
        if _SERIAL_CSV.get() or not quoted_line_break(err):
            raise
    token = _SERIAL_CSV.set(True)
    try:
        return run()
    finally:
        _SERIAL_CSV.reset(token)


def _views(con, reader: str, table: str) -> list[str]:
    described = con.execute(f"DESCRIBE SELECT * FROM {reader}").fetchall()
    headers = [row[0] for row in described]
    select = ", ".join(f"{_as_text(quote(h), kind)} AS {quote(h)}" for h, kind, *_rest in described)
    # Two views: `table` numbers the rows (WITH ORDINALITY, which reads the file on one thread), and
    # `<table>_scan` does not, so a whole-file query runs on every core; a table made from it keeps
    # the file's order (DuckDB preserves insertion order), so its rowid + 1 is the row number.
    con.execute(f"CREATE OR REPLACE TEMP VIEW {table} AS "
                f"SELECT ordinality AS _row, {select} FROM {reader} WITH ORDINALITY")
    con.execute(f"CREATE OR REPLACE TEMP VIEW {table}_scan AS SELECT CAST(NULL AS BIGINT) AS _row, {select} "
                f"FROM {reader}")
    return headers


def _as_text(column: str, kind: str) -> str:
    """A typed column (a Parquet file's) as the text a CSV cell holds; a date as the mark an xlsx date cell is read
    as, which every reader refuses in the input workbook's words (`excel.marked_cell`)."""
    if kind.startswith(("DATE", "TIME")):
        return f"CASE WHEN {column} IS NULL THEN NULL ELSE {_lit(DATE_MARK)} END"
    if kind in ("DOUBLE", "FLOAT"):
        return _FLOAT_TEXT.format(text=f"CAST({column} AS VARCHAR)")
    return f"CAST({column} AS VARCHAR)"


# A DOUBLE or FLOAT as an xlsx number cell is read (`excel.cell_text`): its shortest digits written out in full
# (1e+20 as 100000000000000000000, 2.0 as 2), so a figure too large or with too many decimals gets the words a JSON
# number gets; NaN and infinities spelled as JSON spells them, refused as no number as a JSON "NaN" is.
_PLAIN = ("(CASE WHEN {point} >= strlen({digits}) THEN {digits} || repeat('0', {point} - strlen({digits})) "
          "WHEN {point} <= 0 THEN '0.' || repeat('0', -{point}) || {digits} "
          "ELSE {digits}[1:{point}] || '.' || {digits}[{point} + 1:] END)")
_FLOAT_TEXT = ("(CASE WHEN {text} IS NULL THEN NULL WHEN {text} = 'nan' THEN 'NaN' WHEN {text} = 'inf' THEN 'Infinity' "
               "WHEN {text} = '-inf' THEN '-Infinity' WHEN {text} LIKE '%.0' THEN {text}[:-3] "
               "WHEN NOT contains({text}, 'e') THEN {text} "
               "ELSE (CASE WHEN {text}[1] = '-' THEN '-' ELSE '' END) || " + _PLAIN.format(
                   point="(strlen(split_part(split_part(ltrim({text}, '-'), 'e', 1), '.', 1)) "
                         "+ CAST(split_part({text}, 'e', 2) AS INTEGER))",
                   digits="replace(split_part(ltrim({text}, '-'), 'e', 1), '.', '')") + " END)")


def _lit(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _first_line(err: Exception) -> str:
    return str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__


__all__ = ["close", "connect", "load_source", "quoted_line_break", "read_serially_if_needed", "reading", "sheet_rows"]
