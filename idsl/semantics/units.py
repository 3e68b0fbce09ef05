"""Units of money and counts, and how they convert (万元 = 10000 元)."""

from __future__ import annotations

from decimal import Decimal

import attrs

from idsl.frontend import ast


@attrs.frozen
class Unit:
    """A unit: what it measures, its base unit and how many base units one of it is."""

    kind: str  # 'money' or 'count'
    base: str  # 元 for money; the counted thing for counts (人, 个 …)
    factor: Decimal  # 万元 is 10000 元


_MONEY = {"元": 1, "千元": 1000, "万元": 10_000, "百万元": 1_000_000, "亿元": 100_000_000}
_SCALES = {"万": 10_000, "亿": 100_000_000, "千": 1000, "百": 100}


def unit(name: str) -> Unit:
    """What a unit name means: 万元 is 10000 元; 万人 is 10000 人; other words count themselves.

    >>> unit("万元")
    Unit(kind='money', base='元', factor=Decimal('10000'))
    >>> unit("万人").factor, unit("个").base
    (Decimal('10000'), '个')
    """
    if name in _MONEY:
        return Unit("money", "元", Decimal(_MONEY[name]))
    if len(name) > 1 and name[0] in _SCALES:
        return Unit("count", name[1:], Decimal(_SCALES[name[0]]))
    return Unit("count", name, Decimal(1))


def convertible(source: str, target: str) -> bool:
    """Whether an amount in `source` can be expressed in `target` (same kind and base)."""
    a, b = unit(source), unit(target)
    return a.kind == b.kind and a.base == b.base


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
