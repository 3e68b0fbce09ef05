"""Batch scoring: a table of units (CSV, Excel or Parquet; one row per unit, one column per input,
laid out as `idsl.io.columns`) scored by the embedded SQL engine (DuckDB, the default) or by the
interpreter (`--engine python`), with the same results.

Each row is read as text and checked on its own. A row with a problem is reported by row, unit and
column and left out; it never stops or changes the other rows. Cells follow one rule in both
engines (`idsl.engines.cells`). The file is read by `idsl.engines.loading`, checked by
`idsl.engines.validation` and, with the interpreter, scored row by row by `idsl.engines.rows`;
results and bad rows are written by `idsl.io.tables`.

    >>> from idsl.engines.example import example_plan
    >>> rows = [{"单位": "甲局", "决策/重点支出安排率.重点项目支出": "75", "决策/重点支出安排率.项目总支出": "100"},
    ...         {"单位": "乙局", "决策/重点支出安排率.重点项目支出": "x", "决策/重点支出安排率.项目总支出": "100"}]
    >>> results, errors = score_rows(example_plan(), rows, engine="duckdb")
    >>> [(r["单位"], r["总分"]) for r in results], [(e.unit, e.column, e.message) for e in errors]
    ([('甲局', Decimal('1.50'))], [('乙局', '决策/重点支出安排率.重点项目支出', '应填一个数，这里是 “x”。')])
"""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path
from typing import Any, Callable, Sequence

import attrs

from idsl.engines.differences import difference_places, sql_difference_text
from idsl.engines.embedded import GOOD_ROWS, RowError, clean_results_sql, not_clean, run_duckdb, split_errors
from idsl.engines.loading import close, connect, load_source, read_serially_if_needed, reading, sheet_rows
from idsl.engines.repeats import repeated_units, repeated_units_written
from idsl.engines.rows import Peers, rank_totals, row_peer_values, score_cells
from idsl.engines.spark import run_spark
from idsl.engines.sql import DIFF, ERRORS, output_columns, output_text_columns, quote
from idsl.engines.validation import validation_select
from idsl.io.columns import GRADE, UNIT, header, unit_columns
from idsl.io.files import atomic_path
from idsl.io.inert import sql_csv_cell
from idsl.io.tables import (RESULT_SUFFIXES, BatchError, Layout, check_sheet_rows, errors_path, match_headers, strip,
                            write_csv, write_errors_csv, write_results_csv, write_results_workbook)
from idsl.semantics.model import Plan
from idsl.semantics.program import lower_program



@attrs.frozen
class Summary:
    """What a batch run did."""

    rows: int  # data rows read
    scored: int  # rows scored
    errors: tuple[RowError, ...]  # problems, by row
    engine: str  # 'duckdb' or 'python'
    seconds: float  # wall time
    output: str | None = None  # the results file
    errors_file: str | None = None  # the errors file (CSV output) or None (Excel output: a sheet)
    warnings: tuple[RowError, ...] = ()  # rows scored but worth a look (a unit on two rows), by row

    @property
    def bad_rows(self) -> int:
        return len({e.row for e in self.errors})


def run_python(con, plan: Plan, layout: Layout, progress: Callable[[int, int], None] = lambda _d, _t: None,
               chunk: int = 2000, allow_missing: bool = False) -> tuple[list[tuple], list[RowError]]:
    """Score raw_units with the interpreter, row by row: the result rows and the problems found. A spec whose
    rules compare units reads the rows twice: each row's values in the peer sets first, then the scores."""
    headers = layout.read_headers
    total = con.execute("SELECT count(*) FROM raw_units").fetchone()[0]
    select = "SELECT _row, " + ", ".join(quote(h) for h in headers) + " FROM raw_units ORDER BY _row"
    peers = None
    if lower_program(plan).peers:
        found = (row_peer_values(plan, layout, dict(zip(headers, row[1:])), allow_missing)
                 for row in con.execute(select).fetchall())
        peers = Peers(plan, [values for values in found if values is not None])
    cursor = con.execute(select)
    results: list[tuple] = []
    errors: list[RowError] = []
    done = 0
    while True:
        batch = cursor.fetchmany(chunk)
        if not batch:
            break
        for row in batch:
            cells = dict(zip(headers, row[1:]))
            out, problems = score_cells(plan, layout, cells, allow_missing, peers)
            if problems:
                errors.extend(RowError(row[0] + 1, strip(cells.get(UNIT)), c, m) for c, m in problems)
            else:
                results.append((row[0],) + tuple(out))
        done += len(batch)
        progress(done, total)
    if plan.rank_total:  # 总分名次 compares the totals of every unit: known once all are scored
        outs = [list(r[1:]) for r in results]
        rank_totals(plan, outs, allow_missing)
        results = [(r[0], *out) for r, out in zip(results, outs)]
    return results, sorted(errors)


def result_headers(plan: Plan, layout: Layout, allow_missing: bool = False) -> list[str]:
    """The results file's columns."""
    return [c for c in output_columns(plan, layout.audit, allow_missing) if c != ERRORS]


def score_file(plan: Plan, source: str | os.PathLike[str], output: str | os.PathLike[str] | None,
               engine: str = "duckdb", progress: Any = None, allow_missing: bool = False,
               master: str | None = None) -> Summary:
    """Score a batch file into `output` (.csv, .xlsx or .parquet; problems in <output>.errors.csv or an 错误 sheet).

    `progress` is a rich Progress (or None). Raises BatchError for problems with the file as a whole,
    SqlError when the SQL engine cannot score this spec (use engine='python'). With `allow_missing`, leaves
    with blank cells are 未评 and listed in a column 未评, in every engine. engine='spark' scores on Spark
    (`master`, default local mode) after checking the cells in DuckDB.
    """
    started = time.perf_counter()
    if output is not None and Path(output).suffix.lower() not in RESULT_SUFFIXES:
        raise BatchError(f"结果文件应是 .csv、.xlsx 或 .parquet：{output}")

    def run() -> Summary:
        con = connect()
        try:
            with reading(source):
                return _score_file(con, plan, source, output, engine, progress, started, allow_missing, master)
        finally:
            close(con)

    return read_serially_if_needed(run)


def _score_file(con, plan: Plan, source, output, engine: str, progress: Any, started: float,
                allow_missing: bool = False, master: str | None = None) -> Summary:
    task = progress.add_task("读取", total=None) if progress is not None else None

    def stage(text: str) -> None:
        if progress is not None:
            progress.update(task, description=text)

    headers = load_source(con, source)
    layout = match_headers(plan, headers)
    one_pass = engine == "duckdb" and output is not None and Path(output).suffix.lower() in (".csv", ".parquet")
    # A batch written in one pass as Parquet finds its repeated units in what it wrote (one column, not the file again)
    from_results = one_pass and Path(output).suffix.lower() == ".parquet"
    warnings = () if from_results else tuple(repeated_units(con))
    if output is not None and Path(output).suffix.lower() == ".xlsx":
        # Up front: every row read may be scored, and an hour's scoring must not end in a refusal.
        check_sheet_rows(con.execute("SELECT count(*) FROM raw_units_scan").fetchone()[0])
    written = None
    if one_pass:
        stage("校验、评分与写出")
        written = _write_clean(con, plan, layout, Path(output), allow_missing)
    if from_results:
        warnings = tuple(repeated_units(con) if written is None else repeated_units_written(con, Path(output)))
    if written is not None:  # every row clean: checked, scored and written in one pass
        errors, total, scored = [], written, written
    elif engine in ("duckdb", "spark"):
        if engine == "spark":
            errors, total = run_spark(con, plan, layout, master, stage, allow_missing)
            ordered = False
        else:
            errors, total, ordered = run_duckdb(con, plan, layout, stage, allow_missing)
        errors = sheet_rows(con, errors)
        scored = con.execute(f"SELECT count(*) FROM results WHERE {GOOD_ROWS}").fetchone()[0]
        stage("写出")
        if output is not None:
            _write_duckdb(con, plan, layout, Path(output), errors, allow_missing, ordered)
    elif engine == "python":
        total = con.execute("SELECT count(*) FROM raw_units").fetchone()[0]
        if progress is not None:
            progress.update(task, description="评分", total=total, completed=0)

        def advance(done: int, _total: int) -> None:
            if progress is not None:
                progress.update(task, completed=done)

        if output is not None and Path(output).suffix.lower() == ".parquet":
            raise BatchError("解释器（--engine python）不写 .parquet 结果：请用 .csv 或 .xlsx，或用 duckdb、spark 引擎。")
        rows, errors = run_python(con, plan, layout, advance, allow_missing=allow_missing)
        errors = sheet_rows(con, errors)
        scored = len(rows)
        stage("写出")
        if output is not None:
            _write_rows(plan, layout, [r[1:] for r in rows], Path(output), errors, allow_missing)
    else:
        raise BatchError(f"不认识的引擎 {engine}：应是 duckdb、spark 或 python。")
    if progress is not None:
        progress.update(task, description="完成", total=1, completed=1)
    errors_file = None
    if output is not None and Path(output).suffix.lower() in (".csv", ".parquet"):
        errors_file = str(errors_path(output))
    return Summary(total, scored, tuple(errors), engine, time.perf_counter() - started,
                   str(output) if output is not None else None, errors_file, warnings)


def _write_clean(con, plan: Plan, layout: Layout, output: Path, allow_missing: bool = False) -> int | None:
    """Check, score and write a batch in one pass (`embedded.clean_results_sql`), its errors file empty: the
    rows written, or None when some row is not clean (nothing is written; the caller takes the batch row by
    row) or the spec's rules compare units."""
    headers = result_headers(plan, layout, allow_missing)
    query = clean_results_sql(plan, layout, headers, allow_missing)
    if query is None:
        return None
    try:
        written = _copy(con, plan, layout, query, output, allow_missing)
    except Exception as err:  # duckdb raises its own error classes
        if not_clean(err):
            return None
        raise
    write_errors_csv(errors_path(output), [])
    return written


def _copy(con, plan: Plan, layout: Layout, query: str, output: Path, allow_missing: bool = False) -> int:
    """The rows of `query` (the results' columns) into `output` (.csv or .parquet) by DuckDB's COPY, atomically:
    how many."""
    with atomic_path(output) as temporary:
        return con.execute(copy_sql(plan, layout, query, output, temporary, allow_missing)).fetchone()[0]


def copy_sql(plan: Plan, layout: Layout, query: str, output: Path, target: Path, allow_missing: bool = False) -> str:
    """The COPY writing the rows of `query` to `target` in the form of `output` (.csv or .parquet), in the query's
    order. In CSV, text is written as write_results_csv writes it: never a live formula."""
    form = "csv, HEADER true" if output.suffix.lower() == ".csv" else "parquet"
    if output.suffix.lower() == ".csv":
        text = set(output_text_columns(plan, layout.audit, allow_missing))
        differences = {header(key, DIFF): difference_places(plan, key) for key in layout.audit if key != GRADE}
        select = ", ".join(_csv_column(h, text, differences) for h in result_headers(plan, layout, allow_missing))
        query = f"SELECT {select} FROM ({query}) AS scored"
    literal = "'" + str(target).replace("'", "''") + "'"
    return f"COPY ({query}) TO {literal} (FORMAT {form})"


def _csv_column(name: str, text: set[str], differences: dict[str, int]) -> str:
    """A results column as the CSV writes it: text never a formula, a difference as its score is written."""
    if name in text:
        return sql_csv_cell(quote(name)) + f" AS {quote(name)}"
    if name in differences:
        return sql_difference_text(quote(name), differences[name]) + f" AS {quote(name)}"
    return quote(name)


def _write_duckdb(con, plan: Plan, layout: Layout, output: Path, errors: list[RowError],
                  allow_missing: bool = False, ordered: bool = False) -> None:
    headers = result_headers(plan, layout, allow_missing)
    select = ", ".join(quote(h) for h in headers)
    # Sorting a million wide rows costs as much as scoring them: done only when the rows are out of order.
    query = f"SELECT {select} FROM results WHERE {GOOD_ROWS}" + ("" if ordered else " ORDER BY _row")
    if output.suffix.lower() in (".csv", ".parquet"):
        _copy(con, plan, layout, query, output, allow_missing)
        write_errors_csv(errors_path(output), _error_rows(errors))
        return
    rows = con.execute(query).fetchall()
    _write_rows(plan, layout, rows, output, errors, allow_missing)


def _write_rows(plan: Plan, layout: Layout, rows: Sequence[Sequence[Any]], output: Path, errors: list[RowError],
                allow_missing: bool = False) -> None:
    headers = result_headers(plan, layout, allow_missing)
    if output.suffix.lower() == ".csv":
        write_results_csv(output, headers, rows)
        write_errors_csv(errors_path(output), _error_rows(errors))
        return
    write_results_workbook(output, headers, rows, _error_rows(errors))


def _error_rows(errors: Sequence[RowError]) -> list[tuple[int, str, str, str]]:
    return [(e.row, e.unit, e.column, e.message) for e in errors]


def score_rows(plan: Plan, rows: Sequence[dict[str, str | None]], engine: str = "duckdb",
               audit: bool = False, allow_missing: bool = False) -> tuple[list[dict[str, Any]], list[RowError]]:
    """Score rows given in memory (header → cell text): the result rows (as dicts) and the problems."""
    headers = [c.header for c in unit_columns(plan, audit=audit)]
    for row in rows:
        for key in row:
            if key not in headers:
                headers.append(key)
    def run(path: Path) -> tuple[list[str], list[Any], list[RowError]]:
        con = connect()
        try:
            load_source(con, path)
            layout = match_headers(plan, headers)
            names = result_headers(plan, layout, allow_missing)
            if engine in ("duckdb", "spark"):
                if engine == "spark":
                    errors, _total = run_spark(con, plan, layout, allow_missing=allow_missing)
                else:
                    errors, _total, _ordered = run_duckdb(con, plan, layout, allow_missing=allow_missing)
                query = f"SELECT {', '.join(quote(h) for h in names)} FROM results WHERE {GOOD_ROWS} ORDER BY _row"
                return names, con.execute(query).fetchall(), errors
            scored, errors = run_python(con, plan, layout, allow_missing=allow_missing)
            return names, [r[1:] for r in scored], errors
        finally:
            close(con)

    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "units.csv"
        write_csv(path, headers, ([row.get(h) for h in headers] for row in rows))
        names, found, errors = read_serially_if_needed(lambda: run(path))
    return [dict(zip(names, row)) for row in found], errors


def load_typed(con, plan: Plan, path: str | os.PathLike[str], table: str = "units") -> list[RowError]:
    """Read a batch file into a DuckDB table `table` of typed columns (the layout `compile_sql` reads:
    numbers DECIMAL, rates as fractions, yes/no 是/否, choices by label), good rows only; the problems
    of the others. For running the query of `idsl compile --sql` yourself."""
    # the views and the table are replaced, so a second reading on one thread starts clean
    return read_serially_if_needed(lambda: _load_typed(con, plan, path, table))


def _load_typed(con, plan: Plan, path: str | os.PathLike[str], table: str) -> list[RowError]:
    headers = load_source(con, path)
    layout = match_headers(plan, headers)
    typed = ", ".join(quote(c.header) for c in layout.columns)
    with reading(path):
        con.execute(f"CREATE OR REPLACE TABLE {table} AS SELECT {typed} FROM ({validation_select(layout)}) AS v "
                    "WHERE _fast AND _errors = ''")
        errors = []
        for row, unit, text in con.execute(f"SELECT _row, {quote(UNIT)}, _errors FROM ({validation_select(layout)}) AS v "
                                           "WHERE _errors <> '' OR NOT _fast ORDER BY _row").fetchall():
            errors.extend(split_errors(row, unit, text, escaped=True) if text else
                          [RowError(row + 1, unit or "", "", "写法不规范：请用 idsl score 评分（它会整理写法）。")])
    return sheet_rows(con, errors)


__all__ = [
    "GOOD_ROWS",
    "RowError",
    "Summary",
    "load_typed",
    "result_headers",
    "run_duckdb",
    "run_python",
    "score_file",
    "score_rows",
    "split_errors",
]
