"""Exact numbers: half-up rounding (四舍五入), reading JSON numbers without floats, and printing
points and rates as the reports do.

Every score idsl prints goes through these helpers. Nothing here uses `float` or the built-in
`round()` (which rounds half to even): values are `Decimal` or `Fraction`.
"""

from __future__ import annotations

import json
import re
from decimal import ROUND_HALF_UP, Context, Decimal, InvalidOperation
from fractions import Fraction
from typing import Any

Exact = Decimal | Fraction | int

# Enough digits for any score or amount a spec can produce, so quantize never runs out of room.
_CONTEXT = Context(prec=60, rounding=ROUND_HALF_UP)
# A number written as text: what a batch cell may hold (idsl.engines.cells.NUMBER), so every reader reads alike.
_PLAIN = re.compile(r"[+-]?([0-9]+([.][0-9]*)?|[.][0-9]+)")


def to_decimal(value: Decimal | Fraction | int | str) -> Decimal:
    """An exact Decimal from a Decimal, an int, a numeric string or a JSON number read with `loads`.

    A Fraction is divided out to 28 significant digits. Floats and yes/no values are refused.

    >>> to_decimal("842.29"), to_decimal(3), to_decimal(Fraction(1, 4))
    (Decimal('842.29'), Decimal('3'), Decimal('0.25'))
    >>> to_decimal(0.1)
    Traceback (most recent call last):
    ...
    TypeError: 0.1 is a float; read JSON with idsl.semantics.numbers.loads so numbers stay exact

    A string is a figure as a batch cell writes it (a sign, the digits 0–9, one point): Decimal's own 7e2,
    1_000 and Infinity are no numbers in a file, as a batch refuses them.

    >>> to_decimal("7e2")
    Traceback (most recent call last):
    ...
    ValueError: “7e2” is not a number
    """
    if isinstance(value, bool):
        raise TypeError(f"{value!r} is a yes/no, not a number")
    if isinstance(value, float):
        raise TypeError(f"{value!r} is a float; read JSON with idsl.semantics.numbers.loads so numbers stay exact")
    if isinstance(value, Fraction):
        return Decimal(value.numerator) / Decimal(value.denominator)
    if isinstance(value, str):
        text = value.strip().replace(",", "")
        if not _PLAIN.fullmatch(text):
            raise ValueError(f"“{value}” is not a number")
        result = Decimal(text)
    elif isinstance(value, (Decimal, int)):
        result = Decimal(value)
    else:
        raise TypeError(f"{value!r} is not a number")
    if not result.is_finite():
        raise ValueError(f"{value} is not a finite number")
    return result


def to_fraction(value: Decimal | Fraction | int | str) -> Fraction:
    """The exact Fraction of a Decimal, an int, a Fraction or a numeric string.

    >>> to_fraction(Decimal("0.1")) + to_fraction("0.2") == Fraction(3, 10)
    True
    """
    if isinstance(value, Fraction):
        return value
    return Fraction(to_decimal(value))


def half_up(value: Decimal | Fraction | int | str, places: int = 2) -> Decimal:
    """Round half up (四舍五入): halves go away from zero, never to even; exact for Fractions.

    >>> half_up(Decimal("2.345")), half_up(Decimal("2.344")), half_up(Decimal("2.5"), 0)
    (Decimal('2.35'), Decimal('2.34'), Decimal('3'))
    >>> half_up(Fraction(2, 3)), half_up(Fraction(-5, 2), 0), half_up(Decimal("-2.5"), 0)
    (Decimal('0.67'), Decimal('-3'), Decimal('-3'))
    """
    if places < 0:
        raise ValueError("places must be 0 or more")
    exact = value if isinstance(value, Fraction) else to_fraction(value)
    numerator, denominator = exact.numerator, exact.denominator
    scaled = abs(numerator) * 10**places  # integers only: this runs for every score of every unit
    whole = (2 * scaled + denominator) // (2 * denominator)  # floor(x + 1/2)
    if numerator < 0:
        whole = -whole
    return Decimal(whole).scaleb(-places, _CONTEXT)


def loads(text: str | bytes) -> Any:
    """Parse JSON keeping every number exact: decimals become Decimal, integers int.

    >>> loads('{"a": 0.1, "b": 2}')
    {'a': Decimal('0.1'), 'b': 2}
    """
    return json.loads(text, parse_float=Decimal, parse_constant=_refuse_constant)


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number idsl accepts")


def decimal_text(value: Decimal | Fraction | int) -> str:
    """Plain digits, no exponent, no trailing zeros; a Fraction must end (1/8) or is cut at 12 places.

    >>> decimal_text(Decimal("100")), decimal_text(Decimal("1.50")), decimal_text(Decimal("-0.0"))
    ('100', '1.5', '0')
    >>> decimal_text(Fraction(1, 8))
    '0.125'
    """
    if isinstance(value, Fraction):
        value = _fraction_to_decimal(value)
    text = format(Decimal(value), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _fraction_to_decimal(value: Fraction) -> Decimal:
    d = value.denominator
    for p in (2, 5):
        while d % p == 0:
            d //= p
    if d != 1:
        return half_up(value, 12)
    digits, scaled = 0, value
    while scaled.denominator != 1:
        scaled *= 10
        digits += 1
    return Decimal(scaled.numerator).scaleb(-digits, _CONTEXT)


def format_points(value: Decimal | Fraction | int) -> str:
    """Points as the tables print them: no trailing zeros (a Fraction is first rounded half-up to 2 places).

    >>> format_points(Decimal("3.00")), format_points(Decimal("1.50")), format_points(Fraction(7, 2))
    ('3', '1.5', '3.5')
    >>> format_points(Decimal("100")), format_points(Fraction(5, 3))
    ('100', '1.67')
    """
    if isinstance(value, Fraction):
        value = half_up(value, 2)
    return decimal_text(to_decimal(value))


def points_label(points: Decimal, weight: Decimal | None) -> str:
    """An indicator's points in its name's brackets: the weight as written beside the derived points.

    >>> points_label(Decimal("30"), None), points_label(Decimal("30"), Decimal("30")), points_label(Decimal("7.5"), Decimal("25"))
    ('30', '30%，30分', '25%，7.5分')
    """
    if weight is None:
        return format_points(points)
    return f"{decimal_text(weight)}%，{format_points(points)}分"


def format_number(value: Decimal | Fraction | int, places: int = 4) -> str:
    """A quantity (money, a count) for a sentence: half-up to `places`, no trailing zeros.

    >>> format_number(Decimal("842.290")), format_number(Fraction(1, 3))
    ('842.29', '0.3333')
    """
    return decimal_text(half_up(value, places))


def format_percent(rate: Decimal | Fraction | int, places: int = 2) -> str:
    """A rate as the reports print it: percent, half up to `places` decimals, no trailing zeros.

    >>> format_percent(Fraction(14, 15)), format_percent(Decimal(1)), format_percent(Decimal("0.8967"))
    ('93.33%', '100%', '89.67%')
    >>> format_percent(Decimal("-0.068"))
    '-6.8%'
    """
    return decimal_text(half_up(to_fraction(rate) * 100, places)) + "%"


def terminates(value: Fraction) -> bool:
    """Whether a fraction is a finite decimal (its denominator has no prime factor but 2 and 5)."""
    den = value.denominator
    for prime in (2, 5):
        while den % prime == 0:
            den //= prime
    return den == 1


def exact_points(value: Fraction) -> str:
    """Points exactly: as a decimal where they end, else as the fraction (an equal split of 5 over 3).

    >>> exact_points(Fraction(5, 2)), exact_points(Fraction(5, 3))
    ('2.5', '5/3')
    """
    if terminates(value):
        return decimal_text(Decimal(value.numerator) / Decimal(value.denominator))
    return f"{value.numerator}/{value.denominator}"


__all__ = [
    "Exact",
    "exact_points",
    "terminates",
    "decimal_text",
    "format_number",
    "format_percent",
    "format_points",
    "half_up",
    "loads",
    "to_decimal",
    "to_fraction",
]
