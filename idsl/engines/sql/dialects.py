"""The scoring query for another engine: transpiled by sqlglot, long names shortened with a mapping, CTEs materialised where that matters."""

from __future__ import annotations

import sys

import attrs

from idsl.engines.sql.fragments import SqlError
from idsl.engines.sql.stages import decimal_literals, for_codegen, nested, plain_parentheses

DIALECTS = ("duckdb", "spark", "trino", "postgres", "bigquery")
NAME_LIMITS = {"postgres": 63}  # bytes of UTF-8 in an identifier; longer ones are cut (and then collide)
MATERIALISED = ("postgres",)  # engines that inline CTEs unless told otherwise (a plan grows past 100 MB)
CODEGEN = ("spark",)  # engines that compile a query to JVM methods: sizeable items each a method of its own (`stages`)
DEPTH = 200_000  # nesting the parser may need: an audited spec's query nests a few thousand levels deep
NOTES = {  # the settings the query needs beyond the engine's defaults, printed at its head
    "spark": "spark.sql.decimalOperations.allowPrecisionLoss=false（DECIMAL 乘积不降精度；查询中的值都不超过 38 位）",
}


@attrs.frozen
class Translated:
    """A query for one engine, and the short names it uses for columns whose full name is too long."""

    text: str
    dialect: str
    names: dict[str, str] = attrs.field(factory=dict)  # short → full (input and output columns)

    def short(self, full: str) -> str:
        """The name a column has in this query (the full name when it fits)."""
        return {v: k for k, v in self.names.items()}.get(full, full)


def translate(query: str, dialect: str) -> Translated:
    """The DuckDB query of `compile_sql` for `dialect`: types, quoting and functions by sqlglot (each
    engine's default settings), identifiers over the engine's limit shortened (`names` maps them back).

    >>> t = translate('SELECT CAST("a" AS DOUBLE) AS "名" FROM units', "trino")
    >>> t.text.splitlines()[1:]
    ['SELECT', '  CAST("a" AS DOUBLE) AS "名"', 'FROM units']
    >>> translate('WITH s0 AS (SELECT "a" AS i1 FROM units) SELECT i1 + 1 AS "名" FROM s0', "spark").text.splitlines()[2:]
    ['SELECT i1 + 1 AS `名` FROM (SELECT `a` AS i1 FROM units) AS s0']
    >>> translate('SELECT CAST(NULL AS VARCHAR) AS "' + '长' * 30 + '" FROM units', "postgres").names
    {'长长长长长长长长长长长长长长长长长长长长_1': '长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长'}
    """
    if dialect not in DIALECTS:
        raise ValueError(f"不认识的 SQL 方言 {dialect}：应是 {'、'.join(DIALECTS)} 之一。")
    import sqlglot  # lazy: only a query for another engine needs it
    from sqlglot import exp

    depth = sys.getrecursionlimit()
    sys.setrecursionlimit(max(depth, DEPTH))  # the parser recurses once per nesting level of the query
    try:
        tree = sqlglot.parse_one(query, read="duckdb")
        return _translated(tree, query, dialect, exp)
    except (RecursionError, sqlglot.errors.SqlglotError) as err:
        raise SqlError(f"不能把查询转写为 {dialect}：{type(err).__name__}") from None
    finally:
        sys.setrecursionlimit(depth)


def _translated(tree, query: str, dialect: str, exp) -> Translated:
    names = _shorten(tree, NAME_LIMITS.get(dialect), exp)
    pretty = True
    if dialect in CODEGEN:
        for_codegen(tree, exp)
        # nested subqueries pretty printed would indent each layer deeper (001: 217 KB instead of 72 KB)
        pretty = not nested(tree, exp)
        plain_parentheses(tree, exp)
        decimal_literals(tree, exp)
    if dialect in MATERIALISED:
        for cte in tree.find_all(exp.CTE):
            cte.set("materialized", True)
    body = tree.sql(dialect=dialect, pretty=pretty, comments=False)
    lines = []
    for line in query.splitlines():  # the query's own head (title, fingerprint), kept as line comments
        if not line.startswith("--"):
            break
        lines.append(line)
    lines.append(f"-- 方言：{dialect}")
    if dialect in NOTES:
        lines.append(f"-- 需要的设置：{NOTES[dialect]}")
    if names:
        lines.append("-- 列名对照（超过长度限制的名字 → 全名）：")
        lines += [f"--   {short}\t{full}" for short, full in names.items()]
    return Translated("\n".join(lines + [body]) + "\n", dialect, names)


def _shorten(tree, limit: int | None, exp) -> dict[str, str]:
    """Quoted identifiers longer than `limit` bytes renamed in place: the longest start that fits, then _n."""
    if limit is None:
        return {}
    renamed: dict[str, str] = {}
    taken = {node.name for node in tree.find_all(exp.Identifier)}
    number = 0
    for node in tree.find_all(exp.Identifier):
        full = node.name
        if len(full.encode("utf-8")) <= limit:
            continue
        while full not in renamed:
            number += 1
            cut = full
            while len(f"{cut}_{number}".encode("utf-8")) > limit:
                cut = cut[:-1]
            if f"{cut}_{number}" not in taken:  # never a name the query already uses
                renamed[full] = f"{cut}_{number}"
                taken.add(renamed[full])
        node.set("this", renamed[full])
        node.set("quoted", True)
    return {short: full for full, short in renamed.items()}


__all__ = ["DIALECTS", "NAME_LIMITS", "Translated", "translate"]
