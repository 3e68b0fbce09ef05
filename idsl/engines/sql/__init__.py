"""Compile a checked Plan to ONE standard SQL query that scores every row of a unit table, exactly as the interpreter does.

The query reads a table with one row per unit and one column per input (the layout of
`idsl.io.columns`: numbers typed DECIMAL(38,10), yes/no and choices VARCHAR) and yields, per
unit, every leaf's score, each level-1 subtotal, each penalty/bonus block, the total, the grade
and the problems (`错误`) that stopped a unit from being scored. Each leaf's score is its score IR
(`idsl.semantics.program`) printed node by node (`printer`), so its meaning and its errors are
the interpreter's:

* **No DOUBLE arithmetic.** Every quantity is kept as a fraction num/den of two DECIMALs with
  a positive denominator (`quantities`), so `a / b ≥ 80%` is compared as `a ≥ 0.8 × b`; nothing
  is divided until a score is rounded. Each DECIMAL's digits and scale are tracked at compile
  time and written as explicit casts (`fragments`); a spec needing more than 38 digits is refused
  with SqlError naming the indicator.
* **Half-up rounding of a fraction** needs the integer q = ⌊A / B⌋: guessed in DOUBLE, then
  corrected exactly with DECIMAL comparisons (q·B ≤ A < (q+1)·B) where the guess is near an
  integer (`compiler.Compiler.floor_div`).
* **Standard constructs only**: CASE, COALESCE, ABS, FLOOR, CAST, LIKE, arithmetic, `||`, common
  table expressions and `SELECT t.*, …`, so Trino and Spark SQL (ANSI identifiers) run it as DuckDB does.

Values must fit the batch limits (`value_limits`); the batch readers refuse a row that does not.

>>> from idsl.frontend.parse import parse
>>> from idsl.semantics.lower import lower
>>> from idsl.frontend.source import Source
>>> text = '体系 "例" 总分 2\\n决策（2）\\n  目标设定（2）\\n    要素 每项 1 分\\n      - 甲\\n      - 乙\\n'
>>> query = compile_sql(lower(parse(Source("t.idsl", text))[0]))
>>> import duckdb
>>> con = duckdb.connect()
>>> _ = con.execute('CREATE TABLE units ("单位" VARCHAR, "决策/目标设定.要素1" VARCHAR, "决策/目标设定.要素2" VARCHAR)')
>>> _ = con.execute("INSERT INTO units VALUES ('甲局', '是', '否')")
>>> con.execute(query).fetchall()
[('甲局', Decimal('1.00'), Decimal('1.00'), Decimal('1.00'), None, None)]
"""

from __future__ import annotations

from typing import Sequence

from idsl.engines.sql.compiler import Compiler
from idsl.engines.sql.fragments import SqlError, quote
from idsl.engines.sql.limits import COUNT_DIGITS, MAX_DECIMALS, MAX_DIGITS, value_limits
from idsl.engines.sql.query import DIFF, ERRORS, UNSCORED, UNSCORED_SEPARATOR, build
from idsl.io.columns import GRADE, TOTAL, UNIT, Column, header
from idsl.semantics.model import Plan


def compile_sql(plan: Plan, table: str = "units", columns: Sequence[Column] | None = None,
                carry: Sequence[str] = (), audit: Sequence[str] = (), allow_missing: bool = False) -> str:
    """The standard SQL query scoring every row of `table` (a table name or a parenthesised query).

    `columns` is the unit table's layout (default: `unit_columns(plan)`); `carry` names extra
    columns passed through unchanged; `audit` lists keys (indicator paths, 总分, 等级, block names)
    whose `<key>.记录得分` column is compared with the computed score, giving `<key>.差异`.
    With `allow_missing`, a leaf with a blank (NULL) input is 未评: no score, left out of the sums.
    Raises SqlError for a spec the SQL engine cannot score exactly.
    """
    return build(Compiler(plan, table, columns, carry, audit, allow_missing))


def output_columns(plan: Plan, audit: Sequence[str] = (), allow_missing: bool = False) -> list[str]:
    """The query's output columns, in order (with `allow_missing`, 未评 after 等级)."""
    names = [UNIT] + [n.key for n in plan.leaves()] + [item.key for _b, item in plan.items()]
    names += [n.key for n in plan.nodes] + [b.name for b in plan.adjustments] + [TOTAL, GRADE]
    names += ([UNSCORED] if allow_missing else []) + [ERRORS]
    names += [header(key, DIFF) for key in audit]
    return names


__all__ = ["COUNT_DIGITS", "DIFF", "ERRORS", "MAX_DECIMALS", "MAX_DIGITS", "SqlError", "UNSCORED",
           "UNSCORED_SEPARATOR", "compile_sql", "output_columns", "quote", "value_limits"]
