"""The Spark query cut into projections small enough for whole-stage code generation, each compiled into a method of its own."""

from __future__ import annotations

from collections import Counter

# Spark fuses the query's projections into one generated Java method per stage, unless a projection's
# inputs are each read at least twice by it (`ProjectExec.usedInputs`: then each projection's code is a
# method of its own). A JVM method holds at most 64 KB of bytecode, and HotSpot compiles only methods
# under 8 KB: a wider one fails to compile (Spark then falls back to interpreting it, many times slower)
# or runs in the interpreter. So every SELECT is cut into steps of at most STEP characters of SQL, and
# every column a step reads only once is read twice, as CASE WHEN c IS NULL THEN NULL ELSE c END
# (the same value; no optimizer rule folds it, and it keeps Spark from merging the steps again).
STEP = 3000


def for_codegen(tree, exp) -> None:
    """Cut the wide SELECTs of `tree` (the query of `compile_sql`, parsed) into steps, in place; then make
    every step read each of its input columns at least twice. Rules comparing units (subqueries, window
    functions) are left as they are: they gather the whole table anyway."""
    if tree.find(exp.Subquery) or tree.find(exp.Window) or not tree.args.get("with_"):
        return
    with_ = tree.args["with_"]
    ctes = []
    for cte in with_.expressions:
        steps = _steps(cte.this, exp)
        for number, step in enumerate(steps[:-1]):
            ctes.append(exp.CTE(this=step, alias=exp.TableAlias(this=exp.to_identifier(f"{cte.alias}_{number + 1}"))))
            _from(steps[number + 1], f"{cte.alias}_{number + 1}", exp)
        ctes.append(exp.CTE(this=steps[-1], alias=cte.args["alias"]))
    outer = _steps(_bare(tree), exp)
    for number, step in enumerate(outer[:-1]):
        ctes.append(exp.CTE(this=step, alias=exp.TableAlias(this=exp.to_identifier(f"out_{number + 1}"))))
        _from(outer[number + 1], f"out_{number + 1}", exp)
    with_.set("expressions", ctes)
    tree.set("expressions", outer[-1].expressions)
    tree.set("from_", outer[-1].args["from_"])
    for step in [cte.this for cte in ctes] + [tree]:
        _read_twice(step, exp)


def _bare(tree):
    """The outer SELECT without its WITH (a copy)."""
    select = tree.copy()
    select.set("with_", None)
    return select


def _steps(select, exp) -> list:
    """`select` as a chain of SELECTs, each computing at most STEP characters of its items; the last gives
    the same columns in the same order (a column computed earlier is passed on by name)."""
    items = select.expressions
    groups: list[list[int]] = [[]]
    size = 0
    for index, item in enumerate(items):
        length = len(item.sql())
        if groups[-1] and size + length > STEP:
            groups.append([])
            size = 0
        groups[-1].append(index)
        size += length
    if len(groups) == 1:
        return [select]
    names = [item.alias_or_name for item in items]
    reads = [{column.name for column in item.find_all(exp.Column)} for item in items]
    computed = {name for name, item in zip(names, items) if not isinstance(item.unalias(), exp.Column)}
    if len(set(names)) < len(names) or computed & set().union(*reads):
        return [select]  # a name both read and given a new value: keep the SELECT whole
    steps = []
    for number, group in enumerate(groups):
        if number == len(groups) - 1:
            chosen = [items[i].copy() if i in group else _column(names[i], exp) for i in range(len(items))]
        else:
            later = set().union(*(reads[i] for g in groups[number + 1:] for i in g))
            earlier = [names[i] for g in groups[:number] for i in g]
            own = {names[i] for i in group}
            carried = list(dict.fromkeys(earlier + sorted(later)))
            chosen = [_column(n, exp) for n in carried if n not in own] + [items[i].copy() for i in group]
        step = exp.Select(expressions=chosen)
        step.set("from_", select.args["from_"].copy())
        steps.append(step)
    return steps


def _from(select, name: str, exp) -> None:
    """`select` reads the step before it, `name` (still called cur: correlated subqueries name it so)."""
    select.set("from_", exp.From(this=exp.Table(this=exp.to_identifier(name), alias=exp.TableAlias(
        this=exp.to_identifier("cur")))))


def _column(name: str, exp):
    return exp.Column(this=exp.to_identifier(name, quoted=True))


def _read_twice(select, exp) -> None:
    """Each column `select` reads once is read twice (the same value), so Spark gives it a method of its own."""
    columns = [c for item in select.expressions for c in item.find_all(exp.Column)]
    counts = Counter(c.name for c in columns)
    for column in columns:
        if counts[column.name] != 1:
            continue
        same = exp.Greatest(this=column.copy(), expressions=[column.copy()])
        if column.parent is select:
            column.replace(exp.alias_(same, column.name, quoted=True))
        else:
            column.replace(same)


__all__ = ["STEP", "for_codegen"]
