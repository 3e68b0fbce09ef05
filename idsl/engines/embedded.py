"""The embedded engine: a batch checked and scored in DuckDB, bad rows listed by row, unit and column."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any, Callable, Collection, Iterator

import attrs

from idsl.engines.cells import normalize_cells
from idsl.engines.sql import ERRORS, compile_sql, quote
from idsl.engines.sql.printer import FIELD
from idsl.engines.validation import unescape, validation_select
from idsl.io.columns import UNIT, alternative_cells, error_column, gate_columns, unchosen
from idsl.io.tables import Layout, strip, write_csv
from idsl.semantics.model import Plan
from idsl.semantics.program import lower_program

GOOD_ROWS = f"_errors = '' AND {quote(ERRORS)} IS NULL"  # the rows of `results` that were scored
NOT_CLEAN = "idsl: 有一行须另行处理"  # the error by which the one-pass query stops at a row that is not clean


@attrs.frozen(order=True)
class RowError:
    """One problem with one row: where (file row, unit, column) and what."""

    row: int  # the row in the file (the header is row 1)
    unit: str  # the unit's name as written
    column: str  # the column's header (or the indicator's path for a problem scoring it)
    message: str  # what is wrong

    def __str__(self) -> str:
        unit = self.unit if len(self.unit) <= 40 else self.unit[:39] + "…"  # a name too long is itself the problem
        return f"第 {self.row} 行（{unit or '无单位名称'}）{self.column}：{self.message}"


def _results_sql(plan: Plan, layout: Layout, source: str = "raw_units", target: str = "results",
                 allow_missing: bool = False, score: bool = True) -> str:
    """Validate `source` and score it in one pass into `target`: every row, with `_row`, `_fast` and
    `_errors` carried; the scoring query sees the inputs of good canonical rows only (the others
    read as empty, so out-of-range values never reach its exact arithmetic). Without `score`, the
    typed rows only (for an engine that scores elsewhere)."""
    inner = validation_select(layout, source, allow_missing)
    if not score:
        return f"CREATE OR REPLACE TEMP TABLE {target} AS\n{inner}"
    good = "_fast AND _errors = ''"
    guarded = ", ".join(f"CASE WHEN {good} THEN {quote(c.header)} END AS {quote(c.header)}"
                        for c in layout.columns if c.kind != "unit")
    table = f"(SELECT _row, _fast, _errors, {quote(UNIT)}, {guarded} FROM (\n{inner}\n) AS checked) AS good"
    query = compile_sql(plan, table=table, columns=layout.columns, carry=("_row", "_fast", "_errors"),
                        audit=layout.audit, allow_missing=allow_missing)
    return f"CREATE OR REPLACE TEMP TABLE {target} AS\n{query}"


def clean_results_sql(plan: Plan, layout: Layout, headers: list[str], allow_missing: bool = False) -> str | None:
    """The results' columns `headers` of every row of raw_units_scan, checked and scored in one pass, for a
    batch whose every row is clean (every cell canonical and good, the unit scored): the first row that is
    not stops the query with the error NOT_CLEAN, and `run_duckdb` takes the batch row by row. Nothing is
    materialised, so the results can be written by COPY as they are scored, in the file's order. None for a
    spec whose rules compare units (their window functions need the rows numbered)."""
    if plan.rank_total or lower_program(plan).peers:
        return None
    inner = validation_select(layout, "raw_units_scan", allow_missing)
    stop = f"error({_literal(NOT_CLEAN)})"
    # A row leaves the check only when clean, so no refused value ever reaches the exact arithmetic.
    table = f"(SELECT * FROM (\n{inner}\n) AS checked WHERE CASE WHEN _fast AND _errors = '' THEN TRUE ELSE {stop} END) AS good"
    query = compile_sql(plan, table=table, columns=layout.columns, audit=layout.audit, allow_missing=allow_missing)
    guarded = [f"CASE WHEN {quote(ERRORS)} IS NULL THEN {quote(h)} ELSE {stop} END AS {quote(h)}" if h == UNIT
               else quote(h) for h in headers]
    return f"SELECT {', '.join(guarded)} FROM (\n{query}\n) AS scored"


def not_clean(err: BaseException) -> bool:
    """Whether DuckDB's error is the one-pass query stopping at a row that is not clean."""
    return NOT_CLEAN in str(err)


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def run_duckdb(con, plan: Plan, layout: Layout, stage: Callable[[str], None] = lambda _s: None,
               allow_missing: bool = False, score: bool = True) -> tuple[list[RowError], int, bool]:
    """Validate and score raw_units into the table `results` (rows that are good have empty `_errors`
    and 错误): the problems found, how many rows were read, and whether `results` reads in the file's
    order already (no row normalized apart nor compared with the others: no ORDER BY needed). With
    `allow_missing`, a leaf with a blank cell is 未评 (no score, listed in 未评) instead of its row being refused. Without `score`,
    `results` holds the typed rows (good ones have empty `_errors`) and only the cells' problems."""
    stage("校验与评分" if score else "校验")
    # Rules comparing units read the whole table at once (window functions), which does not keep the
    # rows' order: such a query reads the numbered rows, and scores the normalized rows with the others.
    together = score and (plan.rank_total or bool(lower_program(plan).peers))
    con.execute(_results_sql(plan, layout, "raw_units" if together else "raw_units_scan", "scanned", allow_missing,
                             score))
    errors: list[RowError] = []
    headers = dict.fromkeys(c.header for c in layout.columns)  # in the table's order: error_column's first count
    total, slow = con.execute("SELECT count(*), count(*) FILTER (WHERE NOT _fast) FROM scanned").fetchone()
    numbered = "SELECT * FROM scanned" if together else "SELECT * REPLACE (rowid + 1 AS _row) FROM scanned"
    if slow:
        stage(f"整理 {slow} 行非规范写法")
        errors.extend(_normalize_slow_rows(con, plan, layout, allow_missing, score and not together, together))
        if together:
            _score_together(con, plan, layout, allow_missing)
            con.execute("CREATE OR REPLACE TEMP VIEW results AS SELECT * FROM scanned_together")
        else:
            con.execute(f"CREATE OR REPLACE TEMP VIEW results AS {numbered} WHERE _fast "
                        "UNION ALL SELECT * FROM results_normalized")
    else:
        con.execute(f"CREATE OR REPLACE TEMP VIEW results AS {numbered}")
    stage("汇总问题")
    for row, unit, text in con.execute(
            f"SELECT _row, {quote(UNIT)}, _errors FROM results WHERE _errors <> '' ORDER BY _row").fetchall():
        errors.extend(split_errors(row, unit, text, escaped=True))
    ordered = not slow and not together
    if not score:
        return sorted(errors), total, ordered
    for row, unit, text in con.execute(
            f"SELECT _row, {quote(UNIT)}, {quote(ERRORS)} FROM results WHERE _errors = '' AND {quote(ERRORS)} IS NOT NULL "
            "ORDER BY _row").fetchall():
        errors.extend(split_errors(row, unit, text, headers=headers))
    return sorted(errors), total, ordered


def _slow(together: bool) -> str:
    """The numbers of the rows with a non-canonical cell (a query numbered by its rows keeps their numbers)."""
    return f"(SELECT {'_row' if together else 'rowid + 1'} FROM scanned WHERE NOT _fast)"


def _normalize_slow_rows(con, plan: Plan, layout: Layout, allow_missing: bool = False,
                         score: bool = True, together: bool = False) -> list[RowError]:
    """Rows with a non-canonical cell: normalized in Python, then checked and scored by the same SQL.
    Rows whose cells break the batch rule are reported here, with every other problem of their cells,
    and left out."""
    headers = layout.read_headers
    by_header = {c.header: c for c in layout.columns} | {c.header: c for c, _error in layout.strays}
    rows = con.execute("SELECT _row, " + ", ".join(quote(h) for h in headers) + " FROM raw_units WHERE _row IN "
                       f"{_slow(together)} ORDER BY _row").fetchall()
    errors: list[RowError] = []
    clean: list[list[Any]] = []
    refused: list[list[Any]] = []  # rows with a cell the batch rule refuses: that cell blanked
    alternatives = {h for headers_of in alternative_cells(layout.columns).values() for h in headers_of}
    for row in rows:
        cells = dict(zip(headers, row[1:]))
        normalized, problems = normalize_cells(layout, cells)
        normalized |= {c.header: strip(cells.get(c.header)) or None for c, _error in layout.strays}  # checked in SQL
        excluded = {c.key for c in layout.columns if c.kind == "na" and normalized.get(c.header) == "是"}
        excluded |= {c.key for c, gate in gate_columns(layout.columns)  # 适用 若: the answer that leaves it out
                     if normalized.get(c.header) == ("否" if gate.wanted else "是")}
        excluded |= unchosen(layout.columns, lambda h: not strip(normalized.get(h)))  # 择一: an alternative not given
        problems = [(h, m) for h, m in problems
                    if by_header[h].key not in excluded or by_header[h].kind in ("na", "recorded", "grade", "unit")]
        if problems:
            errors.extend(RowError(row[0] + 1, strip(cells.get(UNIT)), h, m) for h, m in problems)
            bad = {h for h, _m in problems}
            refused.append([row[0]] + [_refused_cell(h, bad, alternatives, normalized) for h in headers])
        else:
            clean.append([row[0]] + [normalized[h] for h in headers])
    if refused:  # the other cells of a refused row are checked too, as the interpreter's reader checks them
        _load_rows(con, "refused_units", headers, refused)
        con.execute(_results_sql(plan, layout, "refused_units", "refused_checked", allow_missing, score=False))
        reported = {(e.row, e.column) for e in errors}
        for row, unit, text in con.execute(f"SELECT _row, {quote(UNIT)}, _errors FROM refused_checked "
                                           "WHERE _errors <> ''").fetchall():
            errors.extend(e for e in split_errors(row, unit, text, escaped=True) if (e.row, e.column) not in reported)
    if clean:
        _load_rows(con, "normalized_units", headers, clean)
        con.execute(_results_sql(plan, layout, "normalized_units", "results_normalized", allow_missing, score))
    else:
        con.execute("CREATE OR REPLACE TEMP TABLE results_normalized AS SELECT * FROM scanned LIMIT 0")
        con.execute("CREATE OR REPLACE TEMP TABLE normalized_units AS SELECT _row, "
                    + ", ".join(quote(h) for h in headers) + " FROM raw_units LIMIT 0")
    return errors


# An alternative's refused cell is not blanked but marked: the check reads the alternative as given (as the
# interpreter's reader does) and lists its blank cells; no number, word or option, the mark passes no other check,
# and its own cell's problem is already listed.
_REFUSED = "\ue000"


def _refused_cell(header: str, bad: set[str], alternatives: set[str], normalized: dict[str, Any]) -> Any:
    """A cell of a refused row as the check reads it: a refused cell blanked, or marked in an alternative."""
    if header not in bad:
        return normalized[header]
    return _REFUSED if header in alternatives else None


def _load_rows(con, table: str, headers: list[str], rows: list[list[Any]]) -> None:
    """Rows (`_row` first, then the cells) into a temporary table of text columns."""
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / f"{table}.csv"
        write_csv(path, ["_row"] + headers, rows)
        literal = "'" + str(path).replace("'", "''") + "'"
        con.execute(f"CREATE OR REPLACE TEMP TABLE {table} AS SELECT * REPLACE (CAST(_row AS BIGINT) AS _row) "
                    f"FROM read_csv({literal}, all_varchar = true, header = true, delim = ',', quote = '\"', "
                    "escape = '\"')")


def _score_together(con, plan: Plan, layout: Layout, allow_missing: bool) -> None:
    """Score the canonical rows as read and the normalized rows in one query (the peers are all of them);
    the rows whose cells could not be normalized are left out, as they are reported already."""
    headers = ", ".join(quote(h) for h in layout.read_headers)
    con.execute(f"CREATE OR REPLACE TEMP TABLE units_together AS SELECT _row, {headers} FROM raw_units "
                f"WHERE _row NOT IN {_slow(True)} "
                f"UNION ALL SELECT _row, {headers} FROM normalized_units")
    con.execute(_results_sql(plan, layout, "units_together", "scanned_together", allow_missing))


def split_errors(row: int, unit: str, text: str, escaped: bool = False,
                 headers: Collection[str] = ()) -> Iterator[RowError]:
    """The problems of one row, one a line (`escaped`: the check's `_errors`, whose newlines inside a problem
    are escaped). A failure that blames one input is listed under its column among `headers`, else under its
    leaf's, as the interpreter's batch lists it."""
    listed = set()
    for line in text.split("\n"):  # not splitlines: a cell may hold \x1c … \u2029
        if not line:
            continue
        column, _, message = (unescape(line) if escaped else line).partition("\t")
        if message.startswith(FIELD):  # a failure that blames one input: its column
            field, _, message = message[1:].partition(FIELD)
            column = error_column(column, field, headers)
        if (column, message) not in listed:  # a blank 共用 input read by several leaves is one mistake
            listed.add((column, message))
            yield RowError(row + 1, unit or "", column, message)


__all__ = ["GOOD_ROWS", "NOT_CLEAN", "RowError", "clean_results_sql", "not_clean", "run_duckdb",
           "split_errors"]
