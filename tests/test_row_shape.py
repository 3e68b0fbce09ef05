"""The batch check's fast path: one regular expression per row decides that every cell is canonical exactly
as the rule read cell by cell does (written here in Python, independently), on cells chosen to sit at its
edges (digit limits, %, blanks, separators, newlines, yes/no words, choice labels)."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from idsl.engines.cells import figure_digits, is_rate, is_yes_no
from idsl.engines.sql import quote, value_limits
from idsl.engines.validation import validation_select
from idsl.frontend.resolve import load
from idsl.io.columns import unit_columns
from idsl.io.tables import BLANKS, match_headers
from idsl.semantics.lower import lower

ROOT = Path(__file__).resolve().parent.parent


def _layout(name: str):
    loaded = load(next((ROOT / "specs").glob(f"{name}_*.idsl")))
    plan = lower(loaded.spec, loaded.sources)
    return match_headers(plan, [c.header for c in unit_columns(plan)])


LAYOUTS = {name: _layout(name) for name in ("001", "002")}


def canonical(column, cell: str | None) -> bool:
    """The rule cell by cell: empty; a yes/no or choice word; a plain number within the digits (a rate with
    an optional %); or a cell with no digit and no % that is not blank (no number, named in SQL)."""
    if column.kind in ("unit", "reason", "grade") or cell is None:
        return True
    if is_yes_no(column):
        return cell in ("是", "否")
    if column.kind == "input" and column.decl is not None and column.decl.kind == "choice":
        return cell in column.decl.options
    _bound, _scale, decimals = value_limits(column)
    number = rf"-?[0-9]{{1,{figure_digits(column)}}}" + (rf"(\.[0-9]{{1,{decimals}}})?" if decimals else "")
    if column.kind == "item":
        return cell in ("是", "否") or re.fullmatch(number, cell) is not None
    if re.fullmatch(number + ("%?" if is_rate(column) else ""), cell):
        return True
    return cell.strip(BLANKS) != "" and not re.search("[0-9%％]", cell)


EDGES = ["", " ", "\u3000", "是", "否", " 是", "B", "不详", " 不详 ", "不\n详", "\x1f", "=1", "1\x1f", "-", ".", "-0",
         "0", "12", "12.5", "12.50", "12.505", "1.2345678901", "12%", "12.5%", "12％", "%", "1,000", "1e3", "+1", "1.",
         ".5", "１２", "9" * 12, "9" * 15, "9" * 16, "9" * 19, "-" + "9" * 15, "1 ", "1\n", "abc", "是否"]


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
