"""A unit named on two rows of a batch: scored both times, but almost always a paste slip, so listed as a warning."""

from __future__ import annotations

from pathlib import Path

from idsl.engines.embedded import RowError
from idsl.engines.loading import sheet_rows
from idsl.engines.sql import quote
from idsl.io.columns import UNIT
from idsl.io.inputfile import BLANKS

SHOWN_ROWS = 10  # the rows named in one warning; a unit on more rows is named with how many there are


def repeated_units(con, table: str = "raw_units") -> list[RowError]:
    """One warning per unit whose name (blanks at either end aside) heads more than one row of `table`, at its
    first row, naming every row it is on — as the user sees them (a workbook's sheet rows). Every engine reads
    the same view, so the words are the same whichever scores the rows."""
    return _repeats(con, f"{table}_scan", table)


def repeated_units_written(con, parquet: Path) -> list[RowError]:
    """The same warnings, from the Parquet results of a batch checked, scored and written in one pass: every row was
    clean, so the results' rows are the file's, in its order, and one column of them is read instead of the file again
    (a CSV of a million units takes about a second to read whole)."""
    source = "'" + str(parquet).replace("'", "''") + "'"
    numbered = (f"(SELECT file_row_number + 1 AS _row, {quote(UNIT)} "
                f"FROM read_parquet({source}, file_row_number = true)) AS written")
    return _repeats(con, f"read_parquet({source})", numbered)


def _repeats(con, scan: str, numbered: str) -> list[RowError]:
    """The warnings for the units of `scan` (unnumbered) whose name repeats, their rows read from `numbered`."""
    name = f"trim({quote(UNIT)}, {_lit(BLANKS)})"
    # The names' hashes are grouped over the unnumbered view (read on every core, a number a row, little memory
    # for millions of units); only rows whose hash repeats are then numbered and grouped by the name itself.
    twice = con.execute(f"SELECT h FROM (SELECT hash({name}) AS h FROM {scan} WHERE {name} <> '') "
                        "GROUP BY h HAVING count(*) > 1").fetchall()
    if not twice:
        return []
    found = con.execute(f"SELECT {name} AS u, list(_row ORDER BY _row) FROM {numbered} WHERE {name} <> '' AND "
                        f"hash({name}) IN (SELECT unnest(?::UBIGINT[])) GROUP BY u HAVING count(*) > 1 "
                        "ORDER BY min(_row)", [[h for (h,) in twice]]).fetchall()
    warnings = []
    for unit, rows in found:
        seen = [e.row for e in sheet_rows(con, [RowError(r + 1, unit, UNIT, "") for r in rows])]
        warnings.append(RowError(seen[0], unit, UNIT, _words(seen)))
    return warnings


def _words(rows: list[int]) -> str:
    named = "、".join(str(r) for r in rows[:SHOWN_ROWS]) + ("等" if len(rows) > SHOWN_ROWS else "")
    return (f"同一单位出现在第 {named} 行（共 {len(rows)} 行），每行都已评分；"
            "多半是粘贴重复，请核对后删去多余的行。")


def _lit(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


__all__ = ["repeated_units", "repeated_units_written"]
