"""The values an input may take: one definition for the readers, the engines and the checker."""

from __future__ import annotations

from fractions import Fraction

from idsl.frontend import ast


def input_domain(decl: ast.Input) -> tuple[Fraction | None, Fraction | None]:
    """The least and largest value of an input (None: no limit).

    A rate without a declared range lies in 0–100%; amounts, counts, numbers and findings are
    not negative unless declared 可负; a declared end replaces the default one.

    >>> from decimal import Decimal
    >>> input_domain(ast.Input("执行率", "rate")), input_domain(ast.Input("收入", "number"))
    ((Fraction(0, 1), Fraction(1, 1)), (Fraction(0, 1), None))
    >>> input_domain(ast.Input("调整数", "money", "万元", signed=True))
    (None, None)
    >>> input_domain(ast.Input("完成率", "rate", low=ast.Num(Decimal(0), percent=True)))
    (Fraction(0, 1), None)
    """
    if decl.kind in ("bool", "choice"):
        return None, None
    low = Fraction(decl.low.amount) if decl.low is not None else None
    high = Fraction(decl.high.amount) if decl.high is not None else None
    if decl.kind == "rate" and decl.low is None and decl.high is None:
        return Fraction(0), Fraction(1)
    if low is None and not decl.signed:
        low = Fraction(0)
    return low, high


def whole_numbers(decl: ast.Input) -> bool:
    """Whether only whole numbers are accepted (counts of findings)."""
    return decl.kind == "findings"


__all__ = ["input_domain", "whole_numbers"]
