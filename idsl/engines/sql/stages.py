"""The Spark query shaped for whole-stage code generation: each sizeable column computed in a small Java method of its own."""

from __future__ import annotations

# Spark fuses a query's projections into one generated Java method per stage. A JVM method holds at most
# 64 KB of bytecode, HotSpot's optimising compiler (C2) skips methods over 8 KB, and it refuses any
# method called with more than about 60 argument slots: a wide spec's query, fused, either does not
# compile (Spark then runs it unfused, many times slower) or runs in slow code.
# Spark does give a method of its own to each expression a projection computes twice (subexpression
# elimination, `CodegenContext.subexpressionEliminationForWholeStageCodegen`), whose arguments are the
# columns that expression reads. So every sizeable item e of every SELECT is written GREATEST(e, e): the
# same value (no optimizer rule folds it), computed once in a small method that HotSpot compiles well,
# and the fused method keeps only the calls. (Cutting SELECTs into steps, each a method of its own, made
# methods taking every column passed on, hundreds of arguments: 5x slower to run.)
# Each GREATEST adds its comparison to the fused method: at 40 characters (001) that method grew past
# what HotSpot's quick compiler (C1) takes and ran interpreted, twice as slow as at 80.
SMALL = 80  # characters of SQL under which an item stays inline (a cast, a sum of two columns)


def for_codegen(tree, exp) -> None:
    """Wrap the sizeable items of every SELECT of `tree` (the query of `compile_sql`, parsed) in place.
    Rules comparing units (subqueries, window functions) are left as they are: they gather the whole
    table in stages of their own anyway."""
    if tree.find(exp.Subquery) or tree.find(exp.Window):
        return
    with_ = tree.args.get("with_")
    for select in [cte.this for cte in (with_.expressions if with_ else [])] + [tree]:
        for item in select.expressions:
            _own_method(item.unalias(), exp)


def _own_method(expression, exp) -> None:
    """`expression` as GREATEST(e, e) when it is sizeable."""
    if isinstance(expression, (exp.Column, exp.Literal)) or len(expression.sql()) < SMALL:
        return
    expression.replace(exp.Greatest(this=expression.copy(), expressions=[expression.copy()]))


__all__ = ["SMALL", "for_codegen"]
