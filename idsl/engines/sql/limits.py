"""What a batch cell may hold (decimals, digits), so the query's exact DECIMAL arithmetic never overflows."""

from __future__ import annotations

from fractions import Fraction

from idsl.frontend import ast
from idsl.io.columns import Column
from idsl.semantics.domains import COUNT_DIGITS, MAX_DECIMALS, MAX_DIGITS, input_domain

# Every reader refuses numbers beyond these limits (idsl.semantics.domains). Six decimals keep the formulas
# the specs write (a ratio of amounts less a converted amount, 目标 = with a goal in another unit) within
# 38 digits; eight would not.
LIMIT = Fraction(10) ** MAX_DIGITS
COUNT_LIMIT = Fraction(10) ** COUNT_DIGITS


def below(limit: Fraction, scale: int) -> Fraction:
    """The largest value under `limit` with `scale` decimals: the readers refuse |value| ≥ 10^12 (counts: 10^9),
    so an amount fits DECIMAL(18,6) as the checked batch holds it, not DECIMAL(19,6). A precision of 18 or
    less is a 64-bit integer in DuckDB and in Spark (whose wider DECIMALs are java.math.BigDecimal objects).

    >>> below(LIMIT, 6) == LIMIT - Fraction(1, 10 ** 6)
    True
    """
    return limit - Fraction(1, 10 ** scale)


def value_limits(column: Column) -> tuple[Fraction, int, int]:
    """What a numeric column of a batch may hold: (a bound on |value| once read, the decimals of the
    value once read, the decimals the cell may be written with). A rate's cell is a percent figure,
    so it has two decimals fewer than its value (89.6712% is 0.896712).

    >>> from idsl.io.columns import Column
    >>> value_limits(Column("x", "tally"))
    (Fraction(999999999, 1), 0, 0)
    """
    if column.kind == "input" and column.decl is not None:
        decl = column.decl
        if decl.kind == "findings":
            return below(COUNT_LIMIT, 0), 0, 0
        if decl.kind == "rate":
            high = _rate_high(decl)
            low = Fraction(decl.low.amount) if decl.low is not None else Fraction(0)
            bound = max(abs(high), abs(low)) if high is not None else below(LIMIT / 100, MAX_DECIMALS + 2)
            return bound, MAX_DECIMALS + 2, MAX_DECIMALS
        if decl.kind == "count":
            return below(COUNT_LIMIT, MAX_DECIMALS), MAX_DECIMALS, MAX_DECIMALS
        return _declared(decl) or below(LIMIT, MAX_DECIMALS), MAX_DECIMALS, MAX_DECIMALS
    if column.kind == "tally":
        return below(COUNT_LIMIT, 0), 0, 0
    if column.kind == "item":
        return Fraction(column.points or 0), MAX_DECIMALS, MAX_DECIMALS
    if column.kind == "score":
        return max(abs(Fraction(column.high or 0)), abs(Fraction(column.low or 0))), MAX_DECIMALS, MAX_DECIMALS
    return below(LIMIT, MAX_DECIMALS), MAX_DECIMALS, MAX_DECIMALS


def column_bounds(column: Column) -> tuple[Fraction, int]:
    """A numeric column's bound on |value| and its decimals, once read."""
    bound, scale, _cell = value_limits(column)
    return bound, scale


def _declared(decl: ast.Input) -> Fraction | None:
    """The bound a declared range (范围) gives an amount or a number, when both ends are written and within
    the limit: the readers refuse values outside it, so products of such inputs need fewer digits."""
    low, high = input_domain(decl)
    if low is None or high is None:
        return None
    bound = max(abs(low), abs(high))
    return bound if 0 < bound < LIMIT else None


def _rate_high(decl: ast.Input) -> Fraction | None:
    if decl.low is None and decl.high is None:
        return Fraction(1)
    return Fraction(decl.high.amount) if decl.high is not None else None


def column_nonneg(column: Column) -> bool:
    """Whether every value the readers accept in a numeric column is ≥ 0."""
    if column.kind in ("tally", "item"):
        return True
    if column.kind == "score":
        return Fraction(column.low or 0) >= 0
    if column.kind == "input" and column.decl is not None:
        decl = column.decl
        if decl.kind == "findings":
            return True
        if decl.kind == "rate":
            return decl.low is None or Fraction(decl.low.amount) >= 0
        if decl.kind in ("money", "count"):
            return (decl.low is None and not decl.signed) or (decl.low is not None and Fraction(decl.low.amount) >= 0)
        return decl.low is not None and Fraction(decl.low.amount) >= 0
    return False


__all__ = ["COUNT_DIGITS", "COUNT_LIMIT", "LIMIT", "MAX_DECIMALS", "MAX_DIGITS", "below", "column_bounds", "column_nonneg",
           "value_limits"]
