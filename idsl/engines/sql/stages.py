"""The Spark query shaped for its parser, its analyser and whole-stage code generation: layers nested, needless parentheses left out, each sizeable column a method of its own."""

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
# Each GREATEST adds its comparison to the fused method, so small items stay inline. An item's size is
# the operations Spark generates code for (`operations`), not its text: a one-comparison CASE naming a
# long message is small, a sum of ten columns is not.
SMALL = 10  # operations under which an item stays inline (a cast, a comparison, a sum of four columns)


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
    if isinstance(expression, (exp.Column, exp.Literal)) or operations(expression, exp) < SMALL:
        return
    expression.replace(exp.Greatest(this=expression.copy(), expressions=[expression.copy()]))


def nested(tree, exp) -> bool:
    """The layers of `tree` (CTEs s0, s1 …, each read once: the compiler's chain) written in place as subqueries
    nested in their reader, and True; False, and `tree` left as it is, where a CTE is read more than once.
    Spark's analyser resolves a WITH one definition at a time, re-running its batch of rules over the whole
    plan, and its optimizer inlines each definition again (`InlineCTE`): over 001's eleven layers, as
    subqueries, analysing and optimising the query took half the time (11.6 → 6.6 s and 9.2 → 4.8 s, warm)."""
    with_ = tree.args.get("with_")
    if with_ is None or with_.args.get("recursive"):
        return False
    bodies = {cte.alias: cte.this for cte in with_.expressions}
    reads = [table for table in tree.find_all(exp.Table) if table.name in bodies and not table.args.get("db")]
    if sorted(table.name for table in reads) != sorted(bodies):
        return False
    tree.set("with_", None)
    for table in reads:
        alias = exp.TableAlias(this=exp.to_identifier(table.alias_or_name))
        table.replace(exp.Subquery(this=bodies[table.name], alias=alias))
    return True


def plain_parentheses(tree, exp) -> None:
    """The parentheses of `tree` that change nothing taken out in place: around a column, a literal, a cast, a
    CASE or a function call; around an argument of a function called as usual, a CASE's WHEN or THEN, an
    aliased item; around arithmetic compared; around a sum or product on the left of a sum or product, and a
    product on the right of a sum (Spark's arithmetic is left-associative: `((a + b) + c)` and `a + b + c`
    parse to one tree). Spark's parser decides what each `(` opens (a subquery, a struct, a lambda, a bracketed
    value) by reading ahead to its `)`: 001's sums of thirty terms opened thirty of them at once."""
    atoms = (exp.Column, exp.Literal, exp.Cast, exp.Case, exp.Paren, *_calls(exp))
    # each argument there is an expression of its own (TRIM's and SUBSTRING's are narrower: no comparison)
    whole = (exp.Alias, exp.If, exp.Case, exp.Cast, exp.Floor, exp.Greatest, exp.Coalesce, exp.Nullif, exp.Abs,
             exp.Anonymous)
    arithmetic = (exp.Add, exp.Sub, exp.Mul)
    compared = (exp.GT, exp.GTE, exp.LT, exp.LTE, exp.EQ, exp.NEQ)
    for paren in list(tree.find_all(exp.Paren)):
        inner, parent = paren.this, paren.parent
        if (isinstance(inner, atoms) or isinstance(parent, whole)
                or (isinstance(parent, compared) and isinstance(inner, arithmetic))
                or (isinstance(parent, arithmetic) and _binds(inner, parent, paren.arg_key, exp))):
            paren.replace(inner)


def _calls(exp) -> tuple:
    """The functions the compiler writes, each printed as a call: NAME(arguments)."""
    return (exp.Floor, exp.Greatest, exp.Coalesce, exp.Nullif, exp.Abs, exp.Trim, exp.Substring, exp.Anonymous)


def _binds(inner, parent, side: str, exp) -> bool:
    """Whether `inner`, written bare as the `side` operand of `parent` (a sum, difference or product), still
    parses as that operand."""
    if not isinstance(inner, (exp.Add, exp.Sub, exp.Mul)):
        return False
    if side == "this":  # left-associative: the left operand may be anything as tight as the parent
        return isinstance(inner, exp.Mul) or isinstance(parent, (exp.Add, exp.Sub))
    return isinstance(inner, exp.Mul) and isinstance(parent, (exp.Add, exp.Sub))


def decimal_literals(tree, exp) -> None:
    """Each CAST(0.8 AS DECIMAL(1,1)) of `tree` written 0.8BD, Spark's literal of exactly that type (a literal's
    type is its digits and its decimals): the same value and type in a tenth of the tokens, which Spark
    parses and analyses before it runs anything (a spec's query casts a literal a thousand times)."""
    for node in list(tree.find_all(exp.Cast)):
        if isinstance(node.this, exp.Literal) and not node.this.is_string and node.to.this == exp.DataType.Type.DECIMAL:
            params = [p.this.name for p in node.to.expressions]
            if len(params) == 2 and (params[0], params[1]) == _natural(node.this.name):
                node.replace(exp.Var(this=f"{node.this.name}BD"))


def _natural(text: str) -> tuple[str, str] | None:
    """The (precision, scale) Spark gives the literal `text`BD; None for what is not a plain decimal."""
    if not text.replace(".", "", 1).isdigit() or text.startswith(".") or text.endswith("."):
        return None
    whole, _, decimals = text.partition(".")
    digits = (whole + decimals).lstrip("0") or "0"
    return str(max(len(digits), len(decimals))), str(len(decimals))


def operations(expression, exp) -> int:
    """The operations of `expression` Spark computes per row: columns, operators, functions; constants
    (literals, casts of literals, types) fold away when Spark plans the query and count nothing."""
    if isinstance(expression, (exp.Literal, exp.DataType, exp.DataTypeParam, exp.Identifier)):
        return 0
    if isinstance(expression, exp.Column):
        return 1
    if isinstance(expression, exp.Cast) and not expression.this.find(exp.Column):
        return 0
    return 1 + sum(operations(child, exp) for child in expression.iter_expressions())


__all__ = ["SMALL", "decimal_literals", "for_codegen", "nested", "operations", "plain_parentheses"]
