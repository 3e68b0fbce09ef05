"""Exact numbers: half-up rounding (四舍五入) and printing points and rates as the reports do."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction


def to_decimal(value: Decimal | Fraction | int | str) -> Decimal:
    """An exact Decimal (a Fraction is divided out to 28 significant digits)."""
    if isinstance(value, Fraction):
        return Decimal(value.numerator) / Decimal(value.denominator)
    return Decimal(value)


def half_up(value: Decimal | Fraction | int, places: int = 2) -> Decimal:
    """Round half up (四舍五入), never to even.

    >>> half_up(Decimal("2.345")), half_up(Decimal("2.344")), half_up(Decimal("2.5"), 0)
    (Decimal('2.35'), Decimal('2.34'), Decimal('3'))
    """
    if isinstance(value, Fraction):
        # Decide the rounding on the exact fraction, so 1/3-style values round like their true value.
        scaled = value * 10**places
        whole = scaled.numerator // scaled.denominator
        if scaled - whole >= Fraction(1, 2):
            whole += 1
        return (Decimal(whole) / Decimal(10**places)).quantize(Decimal(1).scaleb(-places))
    return Decimal(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def format_points(value: Decimal | Fraction | int) -> str:
    """Points as the tables print them: no trailing zeros.

    >>> format_points(Decimal("3.00")), format_points(Decimal("1.50")), format_points(Fraction(7, 2))
    ('3', '1.5', '3.5')
    """
    text = format(to_decimal(value).normalize(), "f")
    return text if text != "-0" else "0"


def format_percent(rate: Decimal | Fraction, places: int = 2) -> str:
    """A rate as the reports print it: percent, half up to `places` decimals, no trailing zeros.

    >>> format_percent(Fraction(14, 15)), format_percent(Decimal(1)), format_percent(Decimal("0.8967"))
    ('93.33%', '100%', '89.67%')
    """
    value = rate * 100 if isinstance(rate, Fraction) else to_decimal(rate) * 100
    return format_points(half_up(value, places)) + "%"
