"""Units of money and counts, and how they convert (万元 = 10000 元); the table itself is idsl.frontend.unit_table."""

from __future__ import annotations

from decimal import Decimal

from idsl.frontend import ast
from idsl.frontend.unit_table import convertible, unit  # noqa: F401  (the checker and engines read the table here)


def conversion_factor(source: str, target: str) -> Decimal:
    """Multiply an amount in `source` by this to express it in `target`.

    >>> conversion_factor("元", "万元")
    Decimal('0.0001')
    """
    return unit(source).factor / unit(target).factor


def expression_unit(expr, inputs: dict, derived: dict) -> str | None:
    """The unit an expression's value is in, for 换算: a literal's or an input's own unit, carried
    through sums and through products with a plain number; a ratio of two quantities has none.

    `inputs` maps names to ast.Input, `derived` names to ast.Derived (both engines pass their scope).
    """
    if isinstance(expr, ast.Num):
        return expr.unit
    if isinstance(expr, ast.Ref):
        if expr.name in inputs:
            return inputs[expr.name].unit
        if expr.name in derived:
            return expression_unit(derived[expr.name].expr, inputs, derived)
        return None
    if isinstance(expr, ast.BinOp):
        left, right = expression_unit(expr.left, inputs, derived), expression_unit(expr.right, inputs, derived)
        if expr.op in "+-":
            return left or right
        if expr.op == "/" and left and right:
            return None  # a ratio of two quantities has no unit
        return left or (right if expr.op == "*" else None)
    if isinstance(expr, ast.Call) and expr.func == "convert":
        return expr.unit
    if isinstance(expr, ast.Call) and expr.func in ("rank", "rank_share", "ratio_max", "ratio_min"):
        return None  # a rank, a share of the peers, a ratio to the best
    if isinstance(expr, ast.Call) and expr.func in ("series_sum", "weighted_mean", "member") and expr.args:
        first = expr.args[0]  # a series: its members' unit (支出进度2022 …)
        found = [d for d in inputs.values() if isinstance(first, ast.Ref) and getattr(d, "series", None) is not None
                 and d.series.base == first.name]
        return found[0].unit if found else None
    if isinstance(expr, (ast.Call, ast.Neg)):
        inner = expr.args[0] if isinstance(expr, ast.Call) and expr.args else getattr(expr, "operand", None)
        return expression_unit(inner, inputs, derived) if inner is not None else None
    return None
