"""Compile a checked Plan to ONE standard SQL query that scores every row of a unit table, exactly as the interpreter does."""

from __future__ import annotations

from typing import Sequence

from idsl.engines.sql.compiler import Compiler
from idsl.engines.sql.fragments import SqlError, quote
from idsl.engines.sql.limits import COUNT_DIGITS, MAX_DECIMALS, MAX_DIGITS, value_limits
from idsl.engines.sql.query import DIFF, ERRORS, RANK, SUBTOTAL, TOTAL_RANK, UNSCORED, UNSCORED_SEPARATOR, build
from idsl.io.columns import GRADE, TOTAL, UNIT, Column, header
from idsl.semantics.model import Plan
from idsl.semantics.program import lower_program

# The query reads a table with one row per unit and one column per input (the layout of
# `idsl.io.columns`: numbers typed DECIMAL(38,10), yes/no and choices VARCHAR) and yields, per unit,
# every leaf's score, each level-1 subtotal, each penalty/bonus block, the total, the grade and the
# problems (错误) that stopped a unit from being scored. Each leaf's score is its score IR printed node
# by node (`printer`), so its meaning and its errors are the interpreter's. No DOUBLE decides a value:
# quantities are fractions num/den of DECIMALs with digits tracked at compile time (`quantities`,
# `fragments`; wider than 38 digits is a SqlError naming the indicator), and rounding divides by a
# DOUBLE guess corrected exactly (`compiler.Compiler.floor_div`), by long division where the scaled
# numerator would pass 38 digits. Quantities over different denominators added (ratios of amounts in
# several 分项) stay a sum of terms, rounded and compared term by term (`sums`). Only standard constructs are used
# (CASE, COALESCE, ABS, FLOOR, CAST, LIKE, TRIM, SUBSTRING, `||`, CTEs), so Trino and Spark SQL run it
# as DuckDB does. Values must fit the batch limits (`value_limits`); the batch readers refuse the rest.


def compile_sql(plan: Plan, table: str = "units", columns: Sequence[Column] | None = None,
                carry: Sequence[str] = (), audit: Sequence[str] = (), allow_missing: bool = False) -> str:
    """The standard SQL query scoring every row of `table` (a table name or a parenthesised query).

    `columns` is the unit table's layout (default: `unit_columns(plan)`); `carry` names extra
    columns passed through unchanged; `audit` lists keys (indicator paths, 总分, 等级, block names)
    whose `<key>.记录得分` column is compared with the computed score, giving `<key>.差异`.
    With `allow_missing`, a leaf with a blank (NULL) input is 未评: no score, left out of the sums.
    Raises SqlError for a spec the SQL engine cannot score exactly.

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
    return build(Compiler(plan, table, columns, carry, audit, allow_missing))


def output_columns(plan: Plan, audit: Sequence[str] = (), allow_missing: bool = False) -> list[str]:
    """The query's output columns, in order (with `allow_missing`, 未评 after 等级): unique, the same in
    both engines. A leaf or item is named by its path, a level-1 subtotal `<name>.小计` (a level-1
    indicator may itself be a leaf), a block by its name, the unit's rank by its total (总分名次, when the spec
    asks with 总分排名) and where a rule ranks the units `<path>.名次`."""
    names = [UNIT] + [n.key for n in plan.leaves()] + [item.key for _b, item in plan.items()]
    names += [header(n.key, SUBTOTAL) for n in plan.nodes] + [b.name for b in plan.adjustments] + [TOTAL, GRADE]
    names += [c.name for c in plan.consequences]  # 结果 付费比例: after the grade
    names += ([TOTAL_RANK] if plan.rank_total else []) + [header(key, RANK) for key in lower_program(plan).ranked()]
    names += ([UNSCORED] if allow_missing else []) + [ERRORS]
    names += [header(key, DIFF) for key in audit]
    return names


def output_text_columns(plan: Plan, audit: Sequence[str] = (), allow_missing: bool = False) -> list[str]:
    """The output columns holding text (the others are numbers): the unit's name, the grade, the leaves 未评
    and a recorded grade that differs, with 错误. A writer neutralises formulas in these (`io.inert`)."""
    names = [UNIT, GRADE] + [c.name for c in plan.consequences] + ([UNSCORED] if allow_missing else []) + [ERRORS]
    return names + [header(GRADE, DIFF)] if GRADE in audit else names


__all__ = ["COUNT_DIGITS", "DIFF", "ERRORS", "RANK", "TOTAL_RANK", "MAX_DECIMALS", "MAX_DIGITS", "SUBTOTAL", "SqlError", "UNSCORED",
           "UNSCORED_SEPARATOR", "compile_sql", "output_columns", "output_text_columns", "quote", "value_limits"]
