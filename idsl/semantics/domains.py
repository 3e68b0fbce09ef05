"""The values an input may take: one definition for the readers, the engines and the checker."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from idsl.frontend import ast
from idsl.limits import (COUNT_DIGITS, DEFAULT_PLACES, MAX_DECIMALS, MAX_DIGITS, MAX_LEVELS, MAX_NESTING, MAX_PLACES, number_problem,
                         places_problem, points_problem)
from idsl.semantics.units import convertible, unit


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


def figure_problem(figure: Decimal, decl: ast.Input) -> str | None:
    """Why a number as written (a rate: its percent figure) is beyond what inputs may hold, else None.

    >>> figure_problem(Decimal("89.6712"), ast.Input("执行率", "rate")) is None
    True
    >>> figure_problem(Decimal("1e999999999"), ast.Input("金额", "money", "万元"))
    '数太大：整数部分最多 12 位。'
    >>> figure_problem(Decimal("0.1234567"), ast.Input("金额", "money", "万元"))
    '小数最多 6 位，这里有 7 位。'
    """
    if not figure.is_finite():
        return "不是一个有限的数。"
    too_large = digits_problem(figure, is_count(decl))
    if too_large is not None:
        return too_large[0]
    places = -figure.normalize().as_tuple().exponent if figure else 0
    if places > MAX_DECIMALS:
        return f"小数最多 {MAX_DECIMALS} 位，这里有 {places} 位。"
    return None


def digits_problem(figure: Decimal, counted: bool) -> tuple[str, str] | None:
    """数太大 with what to check, when a figure has more digits before the point than an input may hold (a count:
    COUNT_DIGITS), else None: the words of every reader, a JSON value's, a workbook's and a batch cell's.

    >>> digits_problem(Decimal("1234567890"), counted=True)
    ('数太大：整数部分最多 9 位。', '人数、项数等计数最多 9 位整数；请核对这个数。')
    """
    digits = COUNT_DIGITS if counted else MAX_DIGITS
    if not figure or figure.adjusted() < digits:
        return None
    what = "人数、项数等计数" if counted else "输入的数"
    return f"数太大：整数部分最多 {digits} 位。", f"{what}最多 {digits} 位整数；请核对这个数。"


def is_count(decl: ast.Input) -> bool:
    """Whether the input counts (people, findings): its figures have at most COUNT_DIGITS digits."""
    return decl.kind in ("count", "findings")


def figure_hint(figure: Decimal, decl: ast.Input) -> str | None:
    """What to check when a figure is refused for its digits (`figure_problem`), else None."""
    too_large = digits_problem(figure, is_count(decl)) if figure.is_finite() else None
    return too_large[1] if too_large is not None else None


def misfit_unit(value: ast.Num, decl: ast.Input) -> bool:
    """Whether a number as written cannot be read in the input's unit: a % on what is not a rate, a unit on
    what has none, or one that does not convert (1000000 元 for an amount in 万元 converts).

    >>> misfit_unit(ast.Num(Decimal(90), percent=True), ast.Input("经费", "money", "万元"))
    True
    >>> misfit_unit(ast.Num(Decimal(1000000), unit="元"), ast.Input("经费", "money", "万元"))
    False
    """
    if value.percent:
        return decl.kind != "rate"
    if not value.unit:
        return False
    if decl.kind == "findings":
        return not counts_findings(value.unit)
    return not (decl.unit and convertible(value.unit, decl.unit))


def counts_findings(word: str) -> bool:
    """Whether a unit word can count findings as written (0 笔, 1 次, 2 起): a plain count, not 万次 nor 万元.

    >>> counts_findings("笔"), counts_findings("万次"), counts_findings("万元")
    (True, False, False)
    """
    found = unit(word)
    return found.kind == "count" and found.factor == 1


def ambiguous_rate(figure) -> bool:
    """Whether a rate written without % is ambiguous: 0 < |figure| ≤ 1, where reading it as a percent
    figure (0.98 → 0.98%, the rule) and as a fraction (0.98 → 98%, what a spreadsheet stores) differ
    a hundredfold and both are plausible, so the reader asks instead of guessing."""
    return figure != 0 and abs(figure) <= 1


AMBIGUOUS_RATE = "比率没有带 %，而数值在 -1 到 1 之间，分不清是百分数还是小数（0.98 是 0.98% 还是 98%？）：请带 % 写，如 98% 或 0.98%。"


__all__ = ["AMBIGUOUS_RATE", "COUNT_DIGITS", "DEFAULT_PLACES", "MAX_DECIMALS", "MAX_DIGITS", "MAX_LEVELS", "MAX_NESTING", "MAX_PLACES", "ambiguous_rate",
           "digits_problem", "figure_hint", "figure_problem", "input_domain", "is_count", "number_problem", "places_problem", "points_problem", "whole_numbers"]
