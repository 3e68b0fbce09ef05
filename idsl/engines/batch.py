"""Batch scoring: a table of units (CSV, Excel or Parquet; one row per unit, one column per input,
laid out as `idsl.io.columns`) scored by the embedded SQL engine (DuckDB, the default) or by the
interpreter (`--engine python`), with the same results.

Each row is read as text and checked on its own. A row with a problem is reported by row, unit and
column and left out; it never stops or changes the other rows. Cells follow one rule in both
engines (`parse_number`): blanks are missing values; numbers may have thousands separators, the
input's unit (“842.29万元”) and, for rates, a % sign (a rate written without % is a percent figure,
as in JSON: 89.67 means 89.67%); at most four decimals as written and fewer than twelve digits
before the point (nine for counts) — the SQL engine's exact-arithmetic limits, applied in both
engines so they agree on every row.

    >>> plan = _example_plan()
    >>> rows = [{"单位": "甲局", "决策/重点支出安排率.重点项目支出": "75", "决策/重点支出安排率.项目总支出": "100"},
    ...         {"单位": "乙局", "决策/重点支出安排率.重点项目支出": "x", "决策/重点支出安排率.项目总支出": "100"}]
    >>> results, errors = score_rows(plan, rows, engine="duckdb")
    >>> [(r["单位"], r["总分"]) for r in results], [(e.unit, e.column, e.message) for e in errors]
    ([('甲局', Decimal('1.50'))], [('乙局', '决策/重点支出安排率.重点项目支出', '不是数字：“x”。')])
"""

from __future__ import annotations

import csv
import io
import os
import re
import tempfile
import time
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Sequence

import attrs

from idsl.frontend import ast
from idsl.io.files import atomic_path, write_atomic
from idsl.io.columns import GRADE, RECORDED, SHARED, TOTAL, UNIT, Column, recorded_columns, unit_columns
from idsl.semantics.model import Plan
from idsl.semantics.numbers import decimal_text, half_up
from idsl.engines.sql import (COUNT_DIGITS, ERRORS, MAX_DIGITS, compile_sql, output_columns, quote,
                      value_limits)

SOURCE_SUFFIXES = (".csv", ".xlsx", ".parquet")
RESULT_SUFFIXES = (".csv", ".xlsx")
ERRORS_SHEET = "错误"
ERROR_HEADER = ("行", "单位", "列", "问题")
BLANKS = " \t\r\n\u3000"  # what is stripped from both ends of a cell
NUMBER = re.compile(r"[+-]?([0-9]+([.][0-9]*)?|[.][0-9]+)")
NUMBER_SQL = "[+-]?([0-9]+([.][0-9]*)?|[.][0-9]+)"

# The interpreter's yes/no words (idsl.io.inputs); both engines accept exactly these.
from idsl.io.inputs import NO_WORDS, YES_WORDS, input_domain  # noqa: E402


class BatchError(Exception):
    """A problem with the file as a whole (unreadable, columns missing): nothing is scored."""


@attrs.frozen(order=True)
class RowError:
    """One problem with one row: where (file row, unit, column) and what."""

    row: int  # the row in the file (the header is row 1)
    unit: str  # the unit's name as written
    column: str  # the column's header (or the indicator's path for a problem scoring it)
    message: str  # what is wrong

    def __str__(self) -> str:
        return f"第 {self.row} 行（{self.unit or '无单位名称'}）{self.column}：{self.message}"


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

    @property
    def bad_rows(self) -> int:
        return len({e.row for e in self.errors})


# ---------------------------------------------------------------- cells (the shared rule)


def strip(text: str | None) -> str:
    """A cell's text without blanks at either end ('' for an empty cell)."""
    return (text or "").strip(BLANKS)


def parse_number(column: Column, text: str) -> tuple[Decimal | None, str | None]:
    """A numeric cell as the figure written (a rate's percent figure), or an error message.

    >>> from idsl.io.columns import Column
    >>> rate = Column("x", "input", decl=ast.Input("执行率", "rate"))
    >>> parse_number(rate, "89.67%"), parse_number(rate, "89.67"), parse_number(rate, "1,089.6")
    ((Decimal('89.67'), None), (Decimal('89.67'), None), (Decimal('1089.6'), None))
    >>> parse_number(Column("y", "input", decl=ast.Input("支出", "money", unit="万元")), "842.29万元")
    (Decimal('842.29'), None)
    >>> parse_number(rate, "12.345678")[1]
    '小数位太多：批量评分的数最多 4 位小数。'
    """
    s = strip(text).replace(",", "").replace("，", "")
    unit = column.decl.unit if column.kind == "input" and column.decl is not None else None
    if unit and s.endswith(unit):
        s = strip(s[: -len(unit)])
    percent = s.endswith(("%", "％"))
    if percent:
        s = strip(s[:-1])
        if not _is_rate(column):
            return None, "不是比率，不能带 %。"
    if not NUMBER.fullmatch(s):
        return None, f"不是数字：“{strip(text)}”。"
    _bound, _scale, decimals = value_limits(column)
    places = len(s) - s.index(".") - 1 if "." in s else 0
    if places > decimals:
        return None, f"小数位太多：批量评分的数最多 {decimals} 位小数。" if decimals else "应是整数。"
    value = Decimal(s)
    if abs(value) >= _figure_limit(column):
        return None, f"数值太大：批量评分的数应小于 10^{_figure_digits(column)}。"
    return value, None


def _is_rate(column: Column) -> bool:
    return column.kind == "input" and column.decl is not None and column.decl.kind == "rate"


def _figure_digits(column: Column) -> int:
    counted = column.kind == "tally" or (column.kind == "input" and column.decl is not None
                                         and column.decl.kind in ("count", "findings"))
    return COUNT_DIGITS if counted else MAX_DIGITS


def _figure_limit(column: Column) -> Decimal:
    return Decimal(10) ** _figure_digits(column)


def parse_bool(text: str) -> bool | None:
    """是/否 (and the other words the interpreter accepts), None for anything else."""
    s = strip(text)
    if s in YES_WORDS:
        return True
    if s in NO_WORDS:
        return False
    return None


def parse_choice(column: Column, text: str) -> str | None:
    """An option's label from its label or its letter (A, B, C …), None when neither."""
    options = column.decl.options if column.decl is not None else ()
    s = strip(text)
    if s in options:
        return s
    if len(s) == 1 and "A" <= s.upper() <= "Z":
        index = ord(s.upper()) - ord("A")
        if index < len(options):
            return options[index]
    return None


# ---------------------------------------------------------------- the layout of a file


@attrs.frozen
class Layout:
    """The columns a file has, matched to the plan's."""

    columns: tuple[Column, ...]  # every plan column (the file has them all)
    audit: tuple[str, ...]  # keys whose recorded score the file gives (…​.记录得分 columns present)


def match_headers(plan: Plan, headers: Sequence[str]) -> Layout:
    """The file's columns checked against the plan's: every input column must be there; recorded-score
    columns are optional; anything else is an error (BatchError lists them all)."""
    expected = unit_columns(plan)
    recorded = {c.header: c for c in recorded_columns(plan)}
    present = [strip(h) for h in headers]
    seen = set(present)
    problems = []
    missing = [c.header for c in expected if c.header not in seen]
    if missing:
        shown = "、".join(missing[:8]) + (f" 等 {len(missing)} 列" if len(missing) > 8 else "")
        problems.append(f"缺少列：{shown}。用 idsl template --batch 生成表头。")
    known = {c.header for c in expected} | set(recorded)
    unknown = [h for h in present if h not in known and h]
    if unknown:
        import difflib

        hints = []
        for h in unknown[:8]:
            close = difflib.get_close_matches(h, list(known), n=1, cutoff=0.6)
            hints.append(f"“{h}”" + (f"（是不是“{close[0]}”？）" if close else ""))
        problems.append("不认识的列：" + "、".join(hints) + (f" 等 {len(unknown)} 列" if len(unknown) > 8 else "") + "。")
    duplicates = sorted({h for h in present if present.count(h) > 1 and h})
    if duplicates:
        problems.append("重复的列：" + "、".join(duplicates) + "。")
    if problems:
        raise BatchError("\n".join(problems))
    audit_columns = [recorded[h] for h in recorded if h in seen]
    return Layout(tuple(expected) + tuple(audit_columns), tuple(c.key for c in audit_columns))


# ---------------------------------------------------------------- reading a file into DuckDB


def connect():
    """A DuckDB connection for one run (in memory, quiet)."""
    import duckdb

    con = duckdb.connect(":memory:")
    con.execute("SET enable_progress_bar = false")
    return con


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
        from idsl.io.xlsx import read_batch_workbook

        _headers, temporary = read_batch_workbook(path)
        _temporaries(con).append(temporary)
        return load_source(con, temporary, table)
    literal = "'" + str(path).replace("'", "''") + "'"
    try:
        if suffix == ".csv":
            reader = (f"read_csv({literal}, all_varchar = true, header = true, delim = ',', quote = '\"', "
                      f"escape = '\"', null_padding = true)")
        else:
            reader = f"read_parquet({literal})"
        described = con.execute(f"DESCRIBE SELECT * FROM {reader}").fetchall()
        headers = [row[0] for row in described]
        select = ", ".join(f"CAST({quote(h)} AS VARCHAR) AS {quote(h)}" for h in headers)
        # Two views: `table` numbers the rows (WITH ORDINALITY, which reads the file on one thread), and
        # `<table>_scan` does not, so a whole-file query runs on every core; a table made from it keeps
        # the file's order (DuckDB preserves insertion order), so its rowid + 1 is the row number.
        con.execute(f"CREATE OR REPLACE TEMP VIEW {table} AS "
                    f"SELECT ordinality AS _row, {select} FROM {reader} WITH ORDINALITY")
        con.execute(f"CREATE OR REPLACE TEMP VIEW {table}_scan AS SELECT CAST(NULL AS BIGINT) AS _row, {select} "
                    f"FROM {reader}")
    except Exception as err:  # duckdb raises its own error classes
        raise BatchError(f"读不了 {path}：{_first_line(err)}") from err
    return headers


_TEMPORARIES: dict[int, list[str]] = {}


def _temporaries(con) -> list[str]:
    return _TEMPORARIES.setdefault(id(con), [])


def close(con) -> None:
    """Close a connection and delete the temporary files made for it."""
    for name in _TEMPORARIES.pop(id(con), []):
        Path(name).unlink(missing_ok=True)
    con.close()


def _first_line(err: Exception) -> str:
    return str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__


# ---------------------------------------------------------------- validation in SQL (DuckDB)
#
# A cell is *canonical* when it is written the plain way: a number as -?digits[.digits] within the
# limits (a rate may end in %), a yes/no as 是 or 否, a choice as one of its labels, or empty.
# DuckDB checks canonical rows itself, fast; the few rows with any other cell ("842.29万元",
# " 是", "B", "1,000") are normalized in Python by the rule the interpreter's engine uses
# (`normalize_cells`) and then checked by the same SQL, so both engines accept the same rows.


def validation_select(layout: Layout, source: str = "raw_units") -> str:
    """The DuckDB query that checks every row of `source`: `_row`, `_fast` (every cell canonical), the
    typed columns the scoring query reads (numbers as exact DECIMALs, yes/no as 是/否, choices by label)
    and `_errors` (one line `header<TAB>message` per problem; '' for a good row; meaningful only when
    `_fast`). This step is DuckDB's own SQL (TRY_CAST, regexp_full_match); the scoring query itself is
    standard."""
    return _Validation(layout).build(source)


class _Validation:
    def __init__(self, layout: Layout):
        self.layout = layout
        self.canonical: list[str] = []  # per column: the cell is canonical
        self.out: list[str] = []  # typed columns
        self.errors: list[str] = []  # error expressions
        self.na: dict[str, str] = {}  # leaf key → SQL condition "not applicable"

    def build(self, source: str) -> str:
        columns = self.layout.columns
        for column in columns:
            if column.kind == "na":
                self.na[column.key] = f"{quote(column.header)} = '是'"
        for column in columns:
            self._column(column)
        self._cross_checks()
        errors = ", ".join(self.errors) if self.errors else "NULL"
        fast = " AND ".join(self.canonical) if self.canonical else "TRUE"
        return (f"SELECT _row,\n  ({fast}) AS _fast,\n  " + ",\n  ".join(self.out) +
                f",\n  concat_ws(chr(10), {errors}) AS _errors\nFROM {source}")

    def _error(self, column: Column, condition: str, message: str | None, dynamic: str | None = None) -> None:
        text = _lit(column.header + "\t" + (message or "")) if dynamic is None else \
            f"{_lit(column.header + chr(9))} || {dynamic}"
        expr = f"CASE WHEN {condition} THEN {text} END"
        gate = self.na.get(column.key) if column.kind not in ("na", "unit", "recorded", "grade") else None
        if gate:
            expr = f"CASE WHEN {gate} THEN NULL ELSE {expr} END"
        self.errors.append(expr)

    def _column(self, column: Column) -> None:
        r = quote(column.header)
        name = quote(column.header)
        if column.kind == "unit":
            self.out.append(f"COALESCE(trim({r}, {_lit(BLANKS)}), '') AS {name}")
            self._error(column, f"NULLIF(trim({r}, {_lit(BLANKS)}), '') IS NULL", "缺少单位名称。")
            return
        if column.kind in ("reason", "grade"):
            self.out.append(f"NULLIF(trim({r}, {_lit(BLANKS)}), '') AS {name}")
            return
        if column.kind == "na":
            self.canonical.append(f"({r} IS NULL OR {r} = '是' OR {r} = '否')")
            self.out.append(f"CASE WHEN {r} = '是' THEN '是' ELSE '否' END AS {name}")
            return
        if (column.kind == "input" and column.decl is not None and column.decl.kind == "bool") or \
                (column.kind == "item" and not column.partial):
            self.canonical.append(f"({r} IS NULL OR {r} = '是' OR {r} = '否')")
            self.out.append(f"{r} AS {name}")
            self._error(column, f"{r} IS NULL", "缺少输入。")
            return
        if column.kind == "input" and column.decl is not None and column.decl.kind == "choice":
            labels = " OR ".join(f"{r} = {_lit(o)}" for o in column.decl.options) or "FALSE"
            self.canonical.append(f"({r} IS NULL OR {labels})")
            self.out.append(f"{r} AS {name}")
            self._error(column, f"{r} IS NULL", "缺少输入。")
            return
        # numbers (inputs, partial elements, scores, tallies, recorded scores)
        _bound, scale, decimals = value_limits(column)
        digits = _figure_digits(column)
        pattern = f"-?[0-9]{{1,{digits}}}" + (f"([.][0-9]{{1,{decimals}}})?" if decimals else "") + \
            ("%?" if _is_rate(column) else "")
        precision = digits + decimals
        if _is_rate(column):
            bare = f"CASE WHEN suffix({r}, '%') THEN left({r}, length({r}) - 1) ELSE {r} END"
            figure = f"TRY_CAST({bare} AS DECIMAL({precision},{decimals}))"
            value = f"CAST({figure} * CAST(0.01 AS DECIMAL(3,2)) AS DECIMAL({precision},{scale}))"
        else:
            figure = f"TRY_CAST({r} AS DECIMAL({precision},{decimals}))"
            value = figure
        if column.kind == "item":  # a partial element: a number of points, or 是/否
            points = _dec(column.points or 0)
            self.canonical.append(f"({r} IS NULL OR {r} = '是' OR {r} = '否' OR regexp_full_match({r}, {_lit(pattern)}))")
            self.out.append(f"CASE WHEN {r} = '是' THEN {points} WHEN {r} = '否' THEN 0 ELSE {figure} END AS {name}")
            self._error(column, f"{r} IS NULL", "缺少输入。")
            self._error(column, f"{r} <> '是' AND {r} <> '否' AND ({figure} < 0 OR {figure} > {points})",
                        f"第 {column.index} 项要素给的分应在 0～{decimal_text(column.points or 0)} 分之间。")
            return
        self.canonical.append(f"({r} IS NULL OR regexp_full_match({r}, {_lit(pattern)}))")
        self.out.append(f"{value} AS {name}")
        if column.kind != "recorded":
            self._error(column, f"{r} IS NULL", "缺少输入。")
        if column.kind == "input" and column.decl is not None:
            decl = column.decl
            if decl.kind == "findings":
                self._error(column, f"{figure} < 0", "问题数应是不小于 0 的整数。")
                return
            low, high = input_domain(decl)
            bad = []
            if low is not None:
                bad.append(f"{value} < {_dec(low)}")
            if high is not None:
                bad.append(f"{value} > {_dec(high)}")
            if bad:
                self._error(column, " OR ".join(bad), f"超出允许范围 {_range_text(decl, low, high)}。")
        elif column.kind == "score":
            self._error(column, f"{figure} < {_dec(column.low)} OR {figure} > {_dec(column.high)}",
                        f"酌情得分超出允许范围 {decimal_text(column.low or 0)}～{decimal_text(column.high or 0)} 分。")
        elif column.kind == "tally":
            self._error(column, f"{figure} < 0", "人数应是不小于 0 的整数。")

    def _cross_checks(self) -> None:
        """Reasons: a discretionary score (not a zero deduction) and a partial element need one."""
        by_key: dict[str, list[Column]] = {}
        for column in self.layout.columns:
            by_key.setdefault(column.key, []).append(column)
        for _key, columns in by_key.items():
            reason = next((c for c in columns if c.kind == "reason"), None)
            if reason is None:
                continue
            missing = f"NULLIF(trim({quote(reason.header)}, {_lit(BLANKS)}), '') IS NULL"
            for column in columns:
                if column.kind != "score":
                    continue
                figure = f"TRY_CAST({quote(column.header)} AS DECIMAL(38,10))"
                ok = f"{figure} >= {_dec(column.low)} AND {figure} <= {_dec(column.high)}"
                zero_ok = f" AND NOT {figure} = 0" if column.penalty else ""
                self._error(reason, f"{missing} AND {ok}{zero_ok}", "酌情给分必须写“理由”（扣分原因）。")
            partial = [c for c in columns if c.kind == "item" and c.partial]
            if partial:
                some, every = [], []
                for c in partial:
                    r = quote(c.header)
                    figure = f"TRY_CAST({r} AS DECIMAL(38,10))"
                    points = _dec(c.points or 0)
                    some.append(f"({r} <> '是' AND {r} <> '否' AND {figure} > 0 AND {figure} < {points})")
                    every.append(f"({r} = '是' OR {r} = '否' OR ({figure} >= 0 AND {figure} <= {points}))")
                self._error(reason, f"{missing} AND ({' OR '.join(some)}) AND {' AND '.join(every)}",
                            "有要素只给了部分分数（酌情），必须写“理由”。")


def normalize_cells(layout: Layout, cells: dict[str, str | None]) -> tuple[dict[str, str | None], list[tuple[str, str]]]:
    """A row's cells written the canonical way (as the SQL check reads them), by the batch rule the
    Python engine uses; and the cells that break it (column, message)."""
    out: dict[str, str | None] = {}
    problems: list[tuple[str, str]] = []
    for column in layout.columns:
        text = strip(cells.get(column.header))
        if not text:
            out[column.header] = None
            continue
        kind = column.kind
        if kind in ("unit", "reason", "grade"):
            out[column.header] = text
        elif kind == "na" or (kind == "item" and not column.partial) or (
                kind == "input" and column.decl is not None and column.decl.kind == "bool"):
            flag = parse_bool(text)
            if flag is None:
                message = "“不适用”应填“是”（或留空）。" if kind == "na" else (
                    f"第 {column.index} 项要素的值“{text}”不是“是”或“否”。" if kind == "item" else f"应填“是”或“否”，这里是“{text}”。")
                problems.append((column.header, message))
            out[column.header] = "是" if flag else "否"
        elif kind == "input" and column.decl is not None and column.decl.kind == "choice":
            label = parse_choice(column, text)
            if label is None:
                problems.append((column.header, f"没有这个选项：“{text}”。"))
            out[column.header] = label or (column.decl.options[0] if column.decl.options else None)
        elif kind == "item" and parse_bool(text) is not None:
            out[column.header] = "是" if parse_bool(text) else "否"
        else:
            value, problem = parse_number(column, text)
            if problem:
                problems.append((column.header, problem))
                value = Decimal(0)
            out[column.header] = format(value, "f") + ("%" if _is_rate(column) else "")
    return out, problems


def _lit(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _dec(value: Any) -> str:
    text = decimal_text(Fraction(value) if not isinstance(value, Decimal) else value)
    return f"CAST({text} AS DECIMAL(38,10))" if not text.startswith("-") else f"CAST(({text}) AS DECIMAL(38,10))"


def _range_text(decl: ast.Input, low, high) -> str:
    def show(x):
        if decl.kind == "rate":
            return decimal_text(Fraction(x) * 100) + "%"
        return decimal_text(Fraction(x)) + (decl.unit or "")
    if low is not None and high is not None:
        return f"{show(low)}～{show(high)}"
    if low is not None:
        return f"不小于 {show(low)}"
    return f"不大于 {show(high)}"


# ---------------------------------------------------------------- engines


def _results_sql(plan: Plan, layout: Layout, source: str = "raw_units", target: str = "results") -> str:
    """Validate `source` and score it in one pass into `target`: every row, with `_row`, `_fast` and
    `_errors` carried; the scoring query sees the inputs of good canonical rows only (the others
    read as empty, so out-of-range values never reach its exact arithmetic)."""
    inner = validation_select(layout, source)
    good = "_fast AND _errors = ''"
    guarded = ", ".join(f"CASE WHEN {good} THEN {quote(c.header)} END AS {quote(c.header)}"
                        for c in layout.columns if c.kind != "unit")
    table = f"(SELECT _row, _fast, _errors, {quote(UNIT)}, {guarded} FROM (\n{inner}\n) AS checked) AS good"
    query = compile_sql(plan, table=table, columns=layout.columns, carry=("_row", "_fast", "_errors"),
                        audit=layout.audit)
    return f"CREATE OR REPLACE TEMP TABLE {target} AS\n{query}"


def run_duckdb(con, plan: Plan, layout: Layout, stage: Callable[[str], None] = lambda _s: None
               ) -> tuple[list[RowError], int]:
    """Validate and score raw_units into the table `results` (rows that are good have empty `_errors`
    and 错误): the problems found, and how many rows were read."""
    stage("校验与评分")
    con.execute(_results_sql(plan, layout, source="raw_units_scan", target="scanned"))
    errors: list[RowError] = []
    total, slow = con.execute("SELECT count(*), count(*) FILTER (WHERE NOT _fast) FROM scanned").fetchone()
    numbered = "SELECT * REPLACE (rowid + 1 AS _row) FROM scanned"
    if slow:
        stage(f"整理 {slow} 行非规范写法")
        errors.extend(_normalize_slow_rows(con, plan, layout))
        con.execute(f"CREATE OR REPLACE TEMP VIEW results AS {numbered} WHERE _fast "
                    "UNION ALL SELECT * FROM results_normalized")
    else:
        con.execute(f"CREATE OR REPLACE TEMP VIEW results AS {numbered}")
    stage("汇总问题")
    for row, unit, text in con.execute(
            f"SELECT _row, {quote(UNIT)}, _errors FROM results WHERE _errors <> '' ORDER BY _row").fetchall():
        errors.extend(_split_errors(row, unit, text))
    for row, unit, text in con.execute(
            f"SELECT _row, {quote(UNIT)}, {quote(ERRORS)} FROM results WHERE _errors = '' AND {quote(ERRORS)} IS NOT NULL "
            "ORDER BY _row").fetchall():
        errors.extend(_split_errors(row, unit, text))
    return sorted(errors), total


GOOD_ROWS = f"_errors = '' AND {quote(ERRORS)} IS NULL"  # the rows of `results` that were scored


def _normalize_slow_rows(con, plan: Plan, layout: Layout) -> list[RowError]:
    """Rows with a non-canonical cell: normalized in Python, then checked and scored by the same SQL.
    Rows whose cells break the batch rule are reported here and left out."""
    headers = [c.header for c in layout.columns]
    by_header = {c.header: c for c in layout.columns}
    rows = con.execute("SELECT _row, " + ", ".join(quote(h) for h in headers) + " FROM raw_units WHERE _row IN "
                       "(SELECT rowid + 1 FROM scanned WHERE NOT _fast) ORDER BY _row").fetchall()
    errors: list[RowError] = []
    clean: list[list[Any]] = []
    for row in rows:
        cells = dict(zip(headers, row[1:]))
        normalized, problems = normalize_cells(layout, cells)
        excluded = {c.key for c in layout.columns if c.kind == "na" and normalized.get(c.header) == "是"}
        problems = [(h, m) for h, m in problems
                    if by_header[h].key not in excluded or by_header[h].kind in ("na", "recorded", "grade", "unit")]
        if problems:
            errors.extend(RowError(row[0] + 1, strip(cells.get(UNIT)), h, m) for h, m in problems)
        else:
            clean.append([row[0]] + [normalized[h] for h in headers])
    if clean:
        with tempfile.TemporaryDirectory() as directory:
            path = Path(directory) / "normalized.csv"
            write_csv(path, ["_row"] + headers, clean)
            literal = "'" + str(path).replace("'", "''") + "'"
            con.execute(f"CREATE OR REPLACE TEMP TABLE normalized_units AS SELECT * REPLACE (CAST(_row AS BIGINT) AS _row) "
                        f"FROM read_csv({literal}, all_varchar = true, header = true, delim = ',', quote = '\"', "
                        "escape = '\"')")
        con.execute(_results_sql(plan, layout, source="normalized_units", target="results_normalized"))
    else:
        con.execute("CREATE OR REPLACE TEMP TABLE results_normalized AS SELECT * FROM scanned LIMIT 0")
    return errors


def _split_errors(row: int, unit: str, text: str) -> Iterator[RowError]:
    for line in text.splitlines():
        if not line:
            continue
        column, _, message = line.partition("\t")
        yield RowError(row + 1, unit or "", column, message)


def run_python(con, plan: Plan, layout: Layout, progress: Callable[[int, int], None] = lambda _d, _t: None,
               chunk: int = 2000) -> tuple[list[tuple], list[RowError]]:
    """Score raw_units with the interpreter, row by row: the result rows and the problems found."""
    headers = [c.header for c in layout.columns]
    total = con.execute("SELECT count(*) FROM raw_units").fetchone()[0]
    cursor = con.execute("SELECT _row, " + ", ".join(quote(h) for h in headers) + " FROM raw_units ORDER BY _row")
    results: list[tuple] = []
    errors: list[RowError] = []
    done = 0
    while True:
        batch = cursor.fetchmany(chunk)
        if not batch:
            break
        for row in batch:
            cells = dict(zip(headers, row[1:]))
            out, problems = score_cells(plan, layout, cells)
            if problems:
                errors.extend(RowError(row[0] + 1, strip(cells.get(UNIT)), c, m) for c, m in problems)
            else:
                results.append((row[0],) + tuple(out))
        done += len(batch)
        progress(done, total)
    return results, sorted(errors)


def score_cells(plan: Plan, layout: Layout, cells: dict[str, str | None]) -> tuple[list[Any], list[tuple[str, str]]]:
    """One row with the interpreter: the output values (as `output_columns`, without 错误) or the problems
    (column, message)."""
    from idsl.io.inputs import read_inputs
    from idsl.engines.python import score

    data, problems, covered = row_inputs(plan, layout, cells)
    inputs = read_inputs(data)
    result = score(plan, inputs)
    by_header = {c.header for c in layout.columns}
    for error in result.errors:
        field = error.field or ""
        if (error.path, field) in covered:
            continue
        column = _error_column(error.path, field, by_header, error.message)
        problems.append((column, error.message + (f"（{error.hint}）" if error.hint else "")))
    if problems:
        return [], problems
    return _result_row(plan, layout, result), []


def _error_column(path: str, field: str, headers: set[str], message: str = "") -> str:
    name = field.split(".")[-1] if field else ""
    if name == "要素":
        found = re.search(r"第 (\d+) 项", message)
        if found and f"{path}.{field}{found.group(1)}" in headers:
            return f"{path}.{field}{found.group(1)}"
    for candidate in (f"{path}.{field}", f"{path}.{name}"):
        if candidate in headers:
            return candidate
    if name == "要素":
        return f"{path}.要素"
    if field == "recorded":
        return f"{path}.{RECORDED}"
    return path or (field or "")


def row_inputs(plan: Plan, layout: Layout, cells: dict[str, str | None]) -> tuple[dict, list[tuple[str, str]], set]:
    """The input object (as read_inputs takes it) for one row, the cell problems found on the way, and
    the (path, field) pairs those problems already cover."""
    leaves: dict[str, dict[str, Any]] = {}
    shared: dict[str, Any] = {}
    recorded: dict[str, Any] = {}
    problems: list[tuple[str, str]] = []
    covered: set[tuple[str, str]] = set()
    items: dict[tuple[str, str], dict[int, Any]] = {}
    item_counts: dict[tuple[str, str], int] = {}
    tallies: dict[tuple[str, str], dict[tuple[int, int], int]] = {}
    tally_shape: dict[tuple[str, str], tuple[int, int]] = {}
    not_applicable: set[str] = set()
    unit = None

    def target(column: Column) -> dict[str, Any]:
        if column.key == SHARED:
            return shared
        fields = leaves.setdefault(column.key, {})
        if column.name and column.kind in ("item", "score"):
            return fields.setdefault(column.name, {})
        return fields

    for column in layout.columns:
        if column.kind == "na" and parse_bool(cells.get(column.header) or "") is True:
            not_applicable.add(column.key)
    for column in layout.columns:
        text = strip(cells.get(column.header))
        if column.kind == "unit":
            unit = text
            if not text:
                problems.append((column.header, "缺少单位名称。"))
            continue
        if column.key in not_applicable and column.kind not in ("na", "recorded", "grade"):
            continue
        field = column.field.split(".")[-1] if column.kind in ("item", "score") else column.field
        if column.kind == "reason":
            if text:
                target(column)["理由"] = text
            continue
        if column.kind == "na":
            flag = parse_bool(text) if text else False
            if flag is None:
                problems.append((column.header, "“不适用”应填“是”（或留空）。"))
                covered.add((column.key, "不适用"))
            elif flag:
                target(column)["不适用"] = True
            continue
        if column.kind == "grade":
            if text:
                recorded[GRADE] = text
            continue
        if column.kind == "recorded":
            if text:
                value, problem = parse_number(column, text)
                if problem:
                    problems.append((column.header, problem))
                else:
                    recorded[column.key] = value
            continue
        if column.kind == "item":
            group = (column.key, column.name)
            item_counts[group] = max(item_counts.get(group, 0), column.index)
            slot = items.setdefault(group, {})
            if not text:
                problems.append((column.header, "缺少输入。"))
                covered.add((column.key, f"{column.name}.要素" if column.name else "要素"))
                continue
            if column.partial and NUMBER.fullmatch(text.replace(",", "").replace("，", "")):
                value, problem = parse_number(column, text)
                if problem:
                    problems.append((column.header, problem))
                    covered.add((column.key, f"{column.name}.要素" if column.name else "要素"))
                    continue
                slot[column.index] = value
            else:
                slot[column.index] = text
            continue
        if column.kind == "tally":
            group = (column.key, column.name)
            questions, options = tally_shape.get(group, (0, 0))
            tally_shape[group] = (max(questions, column.index), max(options, column.option + 1))
            grid = tallies.setdefault(group, {})
            if not text:
                problems.append((column.header, "缺少输入。"))
                covered.add((column.key, column.name))
                continue
            value, problem = parse_number(column, text)
            if problem:
                problems.append((column.header, problem))
                covered.add((column.key, column.name))
                continue
            grid[(column.index, column.option)] = value
            continue
        # inputs and discretionary scores
        if not text:
            continue  # the interpreter reports it missing
        decl = column.decl
        if column.kind == "score" or (decl is not None and decl.kind not in ("bool", "choice")):
            value, problem = parse_number(column, text)
            if problem:
                problems.append((column.header, problem))
                covered.add((column.key, column.field))
                continue
            target(column)[field] = value
        else:
            target(column)[field] = text
    for group, slot in items.items():
        count = item_counts[group]
        if len(slot) == count:
            key, part = group
            fields = leaves.setdefault(key, {})
            (fields.setdefault(part, {}) if part else fields)["要素"] = [slot[i] for i in range(1, count + 1)]
    for group, grid in tallies.items():
        questions, options = tally_shape[group]
        if len(grid) == questions * options:
            key, name = group
            rows = [[grid[(q, o)] for o in range(options)] for q in range(1, questions + 1)]
            (shared if key == SHARED else leaves.setdefault(key, {}))[name] = rows
    for key in not_applicable:
        leaves[key] = {"不适用": True}
    data = {"unit": unit, "inputs": dict(leaves, **({SHARED: shared} if shared else {})), "recorded": recorded}
    return data, problems, covered


def _result_row(plan: Plan, layout: Layout, result) -> list[Any]:
    places = plan.places
    rows = {row.path: row for row in result.nodes}
    out: list[Any] = [result.unit or ""]
    for node in plan.leaves():
        out.append(_q(rows[node.path].score, places))
    items = {item.path: item for block in result.blocks for item in block.items}
    for _block, item in plan.items():
        out.append(_q(items[item.path].score, places))
    for node in plan.nodes:
        out.append(_q(rows[node.path].score, places))
    for block in result.blocks:
        out.append(_q(block.total, places))
    out.append(_q(result.total, places))
    out.append(result.grade)
    differences = {d.key: d for d in result.audit}
    for key in layout.audit:
        d = differences.get(key)
        if d is None or d.difference is None and key != GRADE:
            out.append(None)
        elif key == GRADE:
            out.append(str(d.recorded))
        else:
            out.append(_q(d.difference, max(places, value_limits(Column("", "recorded"))[2])))
    return out


def _q(value: Decimal | None, places: int) -> Decimal | None:
    if value is None:
        return None
    return half_up(value, places)


# ---------------------------------------------------------------- whole runs


def result_headers(plan: Plan, layout: Layout) -> list[str]:
    """The results file's columns."""
    return [c for c in output_columns(plan, layout.audit) if c != ERRORS]


def score_file(plan: Plan, source: str | os.PathLike[str], output: str | os.PathLike[str] | None,
               engine: str = "duckdb", progress: Any = None) -> Summary:
    """Score a batch file into `output` (.csv or .xlsx; problems in <output>.errors.csv or an 错误 sheet).

    `progress` is a rich Progress (or None). Raises BatchError for problems with the file as a whole,
    SqlError when the SQL engine cannot score this spec (use engine='python').
    """
    started = time.perf_counter()
    if output is not None and Path(output).suffix.lower() not in RESULT_SUFFIXES:
        raise BatchError(f"结果文件应是 .csv 或 .xlsx：{output}")
    con = connect()
    try:
        return _score_file(con, plan, source, output, engine, progress, started)
    finally:
        close(con)


def _score_file(con, plan: Plan, source, output, engine: str, progress: Any, started: float) -> Summary:
    task = progress.add_task("读取", total=None) if progress is not None else None

    def stage(text: str) -> None:
        if progress is not None:
            progress.update(task, description=text)

    headers = load_source(con, source)
    layout = match_headers(plan, headers)
    if engine == "duckdb":
        errors, total = run_duckdb(con, plan, layout, stage)
        scored = con.execute(f"SELECT count(*) FROM results WHERE {GOOD_ROWS}").fetchone()[0]
        stage("写出")
        if output is not None:
            _write_duckdb(con, plan, layout, Path(output), errors)
    elif engine == "python":
        total = con.execute("SELECT count(*) FROM raw_units").fetchone()[0]
        if progress is not None:
            progress.update(task, description="评分", total=total, completed=0)

        def advance(done: int, _total: int) -> None:
            if progress is not None:
                progress.update(task, completed=done)

        rows, errors = run_python(con, plan, layout, advance)
        scored = len(rows)
        stage("写出")
        if output is not None:
            _write_rows(plan, layout, [r[1:] for r in rows], Path(output), errors)
    else:
        raise BatchError(f"不认识的引擎 {engine}：应是 duckdb 或 python。")
    if progress is not None:
        progress.update(task, description="完成", total=1, completed=1)
    errors_file = None
    if output is not None and Path(output).suffix.lower() == ".csv":
        errors_file = str(errors_path(output))
    return Summary(total, scored, tuple(errors), engine, time.perf_counter() - started,
                   str(output) if output is not None else None, errors_file)


def errors_path(output: str | os.PathLike[str]) -> Path:
    """results.csv → results.errors.csv."""
    output = Path(output)
    return output.with_name(output.stem + ".errors.csv")


def _write_duckdb(con, plan: Plan, layout: Layout, output: Path, errors: list[RowError]) -> None:
    headers = result_headers(plan, layout)
    select = ", ".join(quote(h) for h in headers)
    query = f"SELECT {select} FROM results WHERE {GOOD_ROWS} ORDER BY _row"
    if output.suffix.lower() == ".csv":
        with atomic_path(output) as temporary:
            literal = "'" + str(temporary).replace("'", "''") + "'"
            con.execute(f"COPY ({query}) TO {literal} (FORMAT csv, HEADER true)")
        _write_errors_csv(errors, errors_path(output))
        return
    rows = con.execute(query).fetchall()
    _write_rows(plan, layout, rows, output, errors)


def _write_rows(plan: Plan, layout: Layout, rows: Sequence[Sequence[Any]], output: Path, errors: list[RowError]) -> None:
    headers = result_headers(plan, layout)
    if output.suffix.lower() == ".csv":
        buffer = io.StringIO(newline="")
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(headers)
        for row in rows:
            writer.writerow(["" if v is None else (format(v, "f") if isinstance(v, Decimal) else v) for v in row])
        write_atomic(output, buffer.getvalue().encode("utf-8"))
        _write_errors_csv(errors, errors_path(output))
        return
    from idsl.io.xlsx import write_results_workbook

    write_results_workbook(output, headers, rows, [(e.row, e.unit, e.column, e.message) for e in errors])


def _write_errors_csv(errors: Sequence[RowError], path: Path) -> None:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(ERROR_HEADER)
    for e in errors:
        writer.writerow([e.row, e.unit, e.column, e.message])
    write_atomic(path, buffer.getvalue().encode("utf-8"))


def score_rows(plan: Plan, rows: Sequence[dict[str, str | None]], engine: str = "duckdb",
               audit: bool = False) -> tuple[list[dict[str, Any]], list[RowError]]:
    """Score rows given in memory (header → cell text): the result rows (as dicts) and the problems."""
    headers = [c.header for c in unit_columns(plan, audit=audit)]
    for row in rows:
        for key in row:
            if key not in headers:
                headers.append(key)
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "units.csv"
        write_csv(path, headers, ([row.get(h) for h in headers] for row in rows))
        con = connect()
        try:
            load_source(con, path)
            layout = match_headers(plan, headers)
            names = result_headers(plan, layout)
            if engine == "duckdb":
                errors, _total = run_duckdb(con, plan, layout)
                query = f"SELECT {', '.join(quote(h) for h in names)} FROM results WHERE {GOOD_ROWS} ORDER BY _row"
                found = con.execute(query).fetchall()
            else:
                scored, errors = run_python(con, plan, layout)
                found = [r[1:] for r in scored]
        finally:
            close(con)
    return [dict(zip(names, row)) for row in found], errors


def load_typed(con, plan: Plan, path: str | os.PathLike[str], table: str = "units") -> list[RowError]:
    """Read a batch file into a DuckDB table `table` of typed columns (the layout `compile_sql` reads:
    numbers DECIMAL, rates as fractions, yes/no 是/否, choices by label), good rows only; the problems
    of the others. For running the query of `idsl compile --sql` yourself."""
    headers = load_source(con, path)
    layout = match_headers(plan, headers)
    typed = ", ".join(quote(c.header) for c in layout.columns)
    con.execute(f"CREATE OR REPLACE TABLE {table} AS SELECT {typed} FROM ({validation_select(layout)}) AS v "
                "WHERE _fast AND _errors = ''")
    errors = []
    for row, unit, text in con.execute(f"SELECT _row, {quote(UNIT)}, _errors FROM ({validation_select(layout)}) AS v "
                                       "WHERE _errors <> '' OR NOT _fast ORDER BY _row").fetchall():
        errors.extend(_split_errors(row, unit, text) if text else
                      [RowError(row + 1, unit or "", "", "写法不规范：请用 idsl score 评分（它会整理写法）。")])
    return errors


def row_from_json(plan: Plan, data: dict, audit: bool = False) -> dict[str, str]:
    """One batch row (header → cell text) holding what an input JSON object holds (as read with
    idsl.semantics.numbers.loads). Handy to move a unit scored one at a time into a batch.

    >>> plan = _example_plan()
    >>> row_from_json(plan, {"unit": "甲局", "inputs": {"重点支出安排率": {"重点项目支出": 75, "项目总支出": 100}}})
    {'单位': '甲局', '决策/重点支出安排率.重点项目支出': '75', '决策/重点支出安排率.项目总支出': '100'}
    """
    by_node: dict[str, dict] = {}
    for key, fields in (data.get("inputs") or {}).items():
        if key in (SHARED, "shared"):
            by_node[SHARED] = fields
            continue
        node = plan.find(key)
        if node is not None and isinstance(fields, dict):
            by_node[node.key] = fields
    recorded = {}
    for key, value in (data.get("recorded") or {}).items():
        if key in (GRADE, "grade", "评价等级"):
            recorded[GRADE] = value
        elif key in ("总分", "total", "合计", "评价得分"):
            recorded[TOTAL] = value
        elif any(block.name == key for block in plan.adjustments):
            recorded[key] = value
        else:
            node = plan.find(key)
            if node is not None:
                recorded[node.key] = value
    row: dict[str, str] = {}
    for column in unit_columns(plan, audit=audit):
        if column.kind == "unit":
            row[column.header] = str(data.get("unit") or "")
            continue
        if column.kind in ("recorded", "grade"):
            if column.key in recorded:
                row[column.header] = _cell_text(recorded[column.key])
            continue
        fields = by_node.get(column.key) or {}
        if column.name and column.kind in ("item", "score") and isinstance(fields.get(column.name), dict):
            fields = fields[column.name]
        if fields.get("不适用") is True and column.kind != "na":
            continue
        if column.kind == "item":
            items = fields.get("要素") or fields.get("items")
            if isinstance(items, list) and len(items) >= column.index:
                row[column.header] = _cell_text(items[column.index - 1])
        elif column.kind == "score":
            if "得分" in fields or "score" in fields:
                row[column.header] = _cell_text(fields.get("得分", fields.get("score")))
        elif column.kind == "reason":
            if fields.get("理由") or fields.get("reason"):
                row[column.header] = str(fields.get("理由") or fields.get("reason"))
        elif column.kind == "na":
            if fields.get("不适用") is True:
                row[column.header] = "是"
        elif column.kind == "tally":
            grid = fields.get(column.name)
            if isinstance(grid, list) and len(grid) >= column.index and len(grid[column.index - 1]) > column.option:
                row[column.header] = _cell_text(grid[column.index - 1][column.option])
        elif column.field in fields:
            row[column.header] = _cell_text(fields[column.field])
    return row


def _cell_text(value: Any) -> str:
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


def write_csv(path: str | os.PathLike[str], headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    """A UTF-8 CSV (with a BOM, so Excel opens Chinese text correctly)."""
    with open(path, "w", encoding="utf-8-sig", newline="") as stream:
        writer = csv.writer(stream, lineterminator="\n")
        writer.writerow(headers)
        for row in rows:
            writer.writerow(["" if v is None else v for v in row])


def _example_plan() -> Plan:
    from idsl.semantics.lower import lower
    from idsl.frontend.parse import parse
    from idsl.frontend.source import Source

    text = ('体系 "例" 总分 2\n等级 优：总分 ≥ 1.8；差：否则\n决策（2）\n  重点支出安排率（2）\n'
            '    输入 重点项目支出：金额 万元，项目总支出：金额 万元\n    比率 = 重点项目支出 / 项目总支出\n'
            '    分档 比率：比率 ≥ 80% 得满分；60%～80% 每降低 1% 扣 0.1 分；比率 < 60% 得 0 分\n')
    return lower(parse(Source("例.idsl", text))[0])


__all__ = [
    "BatchError",
    "Layout",
    "RowError",
    "Summary",
    "errors_path",
    "load_typed",
    "load_source",
    "match_headers",
    "parse_bool",
    "parse_choice",
    "parse_number",
    "row_inputs",
    "run_duckdb",
    "run_python",
    "score_cells",
    "score_file",
    "score_rows",
    "validation_select",
    "write_csv",
]
