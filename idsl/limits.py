"""The bounds on what a spec or a data file may write: digits, decimals, places, depth."""

from __future__ import annotations

from decimal import Decimal

# What a number given for an input may be, in every reader and both engines: at most six decimals (a
# rate: of its percent figure) and fewer than 12 digits before the point (counts and findings: 9).
# Six decimals keep the formulas specs write within the SQL engine's 38 exact digits; the digit
# limits also keep a number like 1e999999999 from ever being expanded.
MAX_DECIMALS = 6
MAX_DIGITS = 12
COUNT_DIGITS = 9
# What a spec may write: scores shown with at most MAX_DECIMALS places (小数 N 位), points and numbers
# with fewer than MAX_DIGITS digits before the point; the SQL engine's DECIMAL(18, N) holds them all.
MAX_PLACES = MAX_DECIMALS
# How deep a spec may nest: indicator levels (published systems have three or four) and the parse tree
# (brackets and operators of one formula; a seed nests 12). Every stage after the parser recurses.
MAX_LEVELS = 10
MAX_NESTING = 200
DEFAULT_PLACES = 2


def places_problem(places: int) -> str | None:
    """Why `小数 N 位` cannot be used, else None.

    >>> places_problem(2) is None, places_problem(1000000000)
    (True, '小数位数最多 6 位，这里是 1000000000 位。')
    """
    if not 0 <= places <= MAX_PLACES:
        return f"小数位数最多 {MAX_PLACES} 位，这里是 {places} 位。"
    return None


def number_problem(number: Decimal) -> str | None:
    """Why a number written in a spec (a threshold, a step, points) is beyond what idsl computes with.

    >>> number_problem(Decimal("83.33")) is None, number_problem(Decimal("1" + "0" * 308))
    (True, '数太大：整数部分最多 12 位，这里有 309 位。')
    """
    if not number.is_finite():
        return "不是一个有限的数。"
    if number and number.adjusted() >= MAX_DIGITS:
        return f"数太大：整数部分最多 {MAX_DIGITS} 位，这里有 {number.adjusted() + 1} 位。"
    places = _places_of(number)
    if places > MAX_DECIMALS:
        return f"小数最多 {MAX_DECIMALS} 位，这里有 {places} 位。"
    return None


def points_problem(points: Decimal, places: int | None) -> str | None:
    """Why points cannot be shown and added up exactly with the spec's places (小数 N 位), else None.

    Points finer than the places would print rounded (0.0000001 as 0.00) and let rounded leaf scores
    add up to more or less than their parent's points (3.334 + 3.333 + 3.333 under 10).

    >>> points_problem(Decimal("3.334"), 2)
    '分值 3.334 有 3 位小数，多于体系的 小数 2 位。'
    >>> points_problem(Decimal("2.5"), None) is None
    True
    """
    problem = number_problem(points)
    if problem is not None:
        return problem
    shown = DEFAULT_PLACES if places is None else places
    if _places_of(points) > shown:
        return f"分值 {points} 有 {_places_of(points)} 位小数，多于体系的 小数 {shown} 位。"
    return None


def _places_of(number: Decimal) -> int:
    return max(0, -number.normalize().as_tuple().exponent) if number else 0


__all__ = ["COUNT_DIGITS", "DEFAULT_PLACES", "MAX_DECIMALS", "MAX_DIGITS", "MAX_LEVELS", "MAX_NESTING", "MAX_PLACES", "number_problem",
           "places_problem", "points_problem"]
