"""The batch check's fast path: DuckDB decides that every cell of a row is canonical exactly as the rule read
cell by cell does (written here in Python, independently), on cells chosen to sit at its edges (digit limits,
decimals, %, blanks, signs, exponents, separators, newlines, yes/no words, choice labels); and a row on the
fast path is typed and checked as the same row normalized by the interpreter's rule would be."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from idsl.engines.cells import figure_digits, is_rate, is_yes_no, normalize_cells
from idsl.engines.sql import quote, value_limits
from idsl.engines.validation import unescape, validation_select
from idsl.frontend.resolve import load
from idsl.io.columns import unit_columns
from idsl.io.tables import BLANKS, match_headers
from idsl.io.values import TARGET_SIGNS
from idsl.semantics.lower import lower

ROOT = Path(__file__).resolve().parent.parent


def _layout(name: str):
    loaded = load(next((ROOT / "specs").glob(f"{name}_*.idsl")))
    plan = lower(loaded.spec, loaded.sources)
    return match_headers(plan, [c.header for c in unit_columns(plan)])


LAYOUTS = {name: _layout(name) for name in ("001", "002")}


def canonical(column, cell: str | None) -> bool:
    """The rule cell by cell: empty; a yes/no or choice word; a plain number (digits, a sign, a point) within the
    digits and decimals (a rate with an optional %); or a cell with no digit and no % that is neither blank nor a
    target's sign (no number, named in SQL)."""
    if column.kind in ("unit", "reason", "grade") or cell is None:
        return True
    if is_yes_no(column):
        return cell in ("是", "否")
    if column.kind == "input" and column.decl is not None and column.decl.kind == "choice":
        return cell in column.decl.options
    _bound, _scale, decimals = value_limits(column)
    number = r"-?([0-9]+(\.[0-9]*)?|\.[0-9]+)" if decimals else "-?[0-9]+"
    bare = cell[:-1] if is_rate(column) and cell.endswith("%") else cell
    plain = (re.fullmatch(number, bare) is not None and abs(Decimal(bare)) < 10 ** figure_digits(column)
             and len(bare.partition(".")[2]) <= decimals)
    if column.kind == "item":
        return cell in ("是", "否") or plain
    if plain:
        return True
    signed = column.kind == "input" and cell.strip()[:1] in list(TARGET_SIGNS)
    return cell.strip(BLANKS) != "" and not re.search("[0-9%％]", cell) and not signed


EDGES = ["", " ", "\u3000", "是", "否", " 是", "B", "不详", " 不详 ", "不\n详", "\x1f", "=1", "1\x1f", "-", ".", "-0",
         "0", "12", "12.5", "12.50", "12.505", "1.2345678901", "1.000000", "1.0000000", "1.1234565", "12%", "12.5%",
         "12.123456%", "12.1234567%", "12％", "%", "1,000", "1e3", "1E3", "1_000", "+1", "1.", ".5", "-.5", "5.-", "1-2",
         "１２", "9" * 9, "9" * 10, "0" * 14 + "1", "9" * 12, "9" * 15, "9" * 16, "9" * 19, "-" + "9" * 15, "1 ", " 1",
         "1\n", "\t1", "1\x0b", "\x0c1", "1\r", "abc", "是否", "是1", "≥", "≥很好", " ＞好", "\x1c", "inf", "nan"]


def cells(column):
    options = list(column.decl.options) if column.decl is not None and column.decl.options else []
    return st.one_of(st.none(), st.sampled_from(EDGES + options),
                     st.text(alphabet="0123456789.-%是否 \u3000,万元", max_size=8))


@pytest.mark.parametrize("name", sorted(LAYOUTS))
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=st.data())
def test_one_match_per_row_is_the_rule_cell_by_cell(name, data):
    layout = LAYOUTS[name]
    checked = [c for c in layout.columns if c.kind not in ("unit", "reason", "grade")]
    rows = []
    for _ in range(8):  # mostly canonical rows with one or two cells drawn from the edges
        row = {c.header: "是" if (c.kind == "na" or is_yes_no(c)) else "1" for c in layout.columns}
        for c in data.draw(st.lists(st.sampled_from(checked), min_size=1, max_size=2)):
            row[c.header] = data.draw(cells(c))
        rows.append(row)
    con = duckdb.connect()
    con.execute("CREATE TABLE t (_row BIGINT, " + ", ".join(f"{quote(c.header)} VARCHAR" for c in layout.columns) + ")")
    con.executemany(f"INSERT INTO t VALUES ({', '.join('?' * (len(layout.columns) + 1))})",
                    [[n] + [r[c.header] for c in layout.columns] for n, r in enumerate(rows)])
    fast = dict(con.execute(f"SELECT _row, _fast FROM ({validation_select(layout, 't')}) AS v").fetchall())
    for n, row in enumerate(rows):
        odd = {c.header: row[c.header] for c in layout.columns if row[c.header] not in ("是", "1")}
        assert fast[n] == all(canonical(c, row[c.header]) for c in layout.columns), odd
    _fast_rows_read_as_normalized(con, layout, rows, fast)


def _fast_rows_read_as_normalized(con, layout, rows, fast) -> None:
    """A row on the fast path gives the typed values and problems of its cells normalized by the interpreter's
    rule (`cells.normalize_cells`), which the slow path would have checked instead; a cell that rule refuses is
    listed by the fast path in the same words (a leaf marked 不适用 checks none of its cells)."""
    headers = [c.header for c in layout.columns]
    normalized = {}
    for n, row in enumerate(rows):
        if not fast[n]:
            continue
        cells, problems = normalize_cells(layout, row)
        excluded = {c.key for c in layout.columns if c.kind == "na" and cells.get(c.header) == "是"}
        normalized[n] = cells, [(h, m) for h, m in problems
                                if next(c for c in layout.columns if c.header == h).key not in excluded]
    con.execute("CREATE TABLE n AS SELECT * FROM t LIMIT 0")
    clean = [[n] + [cells[h] for h in headers] for n, (cells, problems) in normalized.items() if not problems]
    if clean:
        con.executemany(f"INSERT INTO n VALUES ({', '.join('?' * (len(headers) + 1))})", clean)
    select = "SELECT * EXCLUDE (_fast) FROM ({}) AS v ORDER BY _row"
    as_read = {r[0]: r for r in con.execute(select.format(validation_select(layout, "t"))).fetchall()}
    for again in con.execute(select.format(validation_select(layout, "n"))).fetchall():
        assert as_read[again[0]] == again, rows[again[0]]
    for n, (_cells, problems) in normalized.items():
        listed = [unescape(line) for line in as_read[n][-1].split("\n")]
        assert all(f"{header}\t{message}" in listed for header, message in problems), (rows[n], problems, listed)
