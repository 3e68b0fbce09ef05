"""The Spark query's text: layers nested as subqueries and parentheses that change nothing left out, the same
expression trees as the DuckDB query's (sqlglot's precedence is Spark's), and 001's query smaller for it."""

from __future__ import annotations

import sys
from pathlib import Path

import sqlglot
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlglot import exp

from idsl.engines.sql import compile_sql
from idsl.engines.sql.dialects import DEPTH, translate
from idsl.engines.sql.stages import nested, plain_parentheses
from idsl.frontend.resolve import load
from idsl.semantics.lower import lower

ROOT = Path(__file__).resolve().parent.parent


def bare(node: exp.Expression) -> exp.Expression:
    """The tree with every parenthesis node taken out (the tree an engine builds once it has parsed the text)."""
    node = node.copy()
    for paren in list(node.find_all(exp.Paren)):
        paren.replace(paren.this)
    return node


NAMES = st.sampled_from(["a", "b", "c", "d"])
OPERATORS = st.sampled_from(["+", "-", "*", "/"])
COMPARED = st.sampled_from(["<", "<=", ">", ">=", "=", "<>"])


def _wrapped(inner):
    """One more operation around expressions of `inner`, every operation in parentheses as the compiler writes it."""
    return st.one_of(
        st.tuples(inner, OPERATORS, inner).map(lambda t: f"({t[0]} {t[1]} {t[2]})"),
        inner.map(lambda e: f"-({e})"),
        inner.map(lambda e: f"FLOOR(({e}))"),
        inner.map(lambda e: f"CAST(({e}) AS DECIMAL(38,6))"),
        st.tuples(inner, inner).map(lambda t: f"GREATEST(({t[0]}), ({t[1]}))"),
        st.tuples(inner, COMPARED, inner, inner, inner).map(
            lambda t: f"(CASE WHEN (({t[0]}) {t[1]} ({t[2]})) THEN ({t[3]}) ELSE ({t[4]}) END)"),
    )


EXPRESSIONS = st.recursive(st.one_of(NAMES, st.sampled_from(["1", "0.5", "CAST(2 AS DECIMAL(3,1))"])), _wrapped,
                           max_leaves=12)


@settings(max_examples=200, deadline=None, report_multiple_bugs=False)
@given(EXPRESSIONS, EXPRESSIONS)
def test_parentheses_left_out_change_no_tree(left, right):
    query = f"SELECT ({left}) AS x, (({left}) > ({right})) AS y, (({left}) - ({right})) * ({right}) AS z FROM units"
    tree = sqlglot.parse_one(query, read="duckdb")
    plain = tree.copy()
    plain_parentheses(plain, exp)
    text = plain.sql(dialect="spark")
    written = sqlglot.parse_one(tree.sql(dialect="spark"), read="spark")
    assert bare(sqlglot.parse_one(text, read="spark")) == bare(written), text


def test_a_sum_of_many_terms_opens_no_parenthesis():
    tree = sqlglot.parse_one("SELECT ((((a * 2) + (b * 3)) + c) - (d * 4)) AS s FROM units", read="duckdb")
    plain_parentheses(tree, exp)
    assert tree.sql(dialect="spark") == "SELECT a * 2 + b * 3 + c - d * 4 AS s FROM units"
    kept = sqlglot.parse_one("SELECT a - (b + c) AS s, (a + b) * c AS t, -(a + b) AS u FROM units", read="duckdb")
    plain_parentheses(kept, exp)
    assert kept.sql(dialect="spark") == "SELECT a - (b + c) AS s, (a + b) * c AS t, -(a + b) AS u FROM units"


def test_a_chain_of_layers_nests_and_a_layer_read_twice_does_not():
    chain = sqlglot.parse_one("WITH s0 AS (SELECT a AS i1 FROM units), s1 AS (SELECT i1 + 1 AS n2 FROM s0 AS cur) "
                              "SELECT n2 FROM s1", read="duckdb")
    assert nested(chain, exp)
    assert chain.sql(dialect="spark") == ("SELECT n2 FROM (SELECT i1 + 1 AS n2 FROM (SELECT a AS i1 FROM units) "
                                          "AS cur) AS s1")
    twice = "WITH s0 AS (SELECT a AS i1 FROM units) SELECT i1, (SELECT COUNT(*) FROM s0 AS o) AS n FROM s0"
    tree = sqlglot.parse_one(twice, read="duckdb")
    assert not nested(tree, exp)
    assert tree.sql(dialect="duckdb") == twice


def test_the_spark_query_of_001_is_the_duckdb_query_in_fewer_parentheses():
    loaded = load(ROOT / "specs/001_肃南县人社局2024部门整体支出.idsl")
    query = compile_sql(lower(loaded.spec, loaded.sources))
    spark = translate(query, "spark").text
    depth = sys.getrecursionlimit()
    sys.setrecursionlimit(max(depth, DEPTH))
    try:
        duck_tree = sqlglot.parse_one(query, read="duckdb")
        spark_tree = sqlglot.parse_one(spark, read="spark")
        written = sqlglot.parse_one(duck_tree.sql(dialect="spark"), read="spark")  # parsed as Spark's text is
    finally:
        sys.setrecursionlimit(depth)
    body = spark[spark.index("\nSELECT"):]
    assert len(spark.encode()) < 80_000 and body.count("((") == 0 and "WITH" not in body
    assert spark_tree.find(exp.Subquery) is not None and duck_tree.args.get("with_") is not None
    # the same outputs, each the DuckDB query's expression where it has no GREATEST(e, e) around it
    outputs = {s.alias: bare(s.this) for s in written.selects}
    plain = [s for s in spark_tree.selects if not s.this.find(exp.Greatest)]
    assert [s.alias for s in spark_tree.selects] == list(outputs) and len(plain) > 30
    assert all(bare(s.this) == outputs[s.alias] for s in plain if not s.this.find(exp.Var))
