"""How many decimals a reason shows a value with beside a threshold it was compared with.

A reason rounds a measured value for display (an amount to 4 decimals, a rate to 2 decimals of its
percent figure). Beside the threshold it was compared with, that rounding may print 41.939999万人 as
41.94万人 next to 目标≥41.94万人 while the verdict says 未达标. `places_apart` gives the decimals at
which the value and its thresholds, each rounded half up there, compare as the exact numbers do.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Iterable

from idsl.limits import MAX_DECIMALS
from idsl.semantics.numbers import half_up

NUMBER_PLACES = 4  # an amount, a count, a quantity: what `numbers.format_number` shows
PERCENT_PLACES = 2  # a rate: decimals of its percent figure, as `numbers.format_percent` shows it


def base_places(percent: bool) -> int:
    """The decimals a value is shown with when nothing is compared beside it."""
    return PERCENT_PLACES if percent else NUMBER_PLACES


def places_apart(value: object, ends: Iterable[object], percent: bool = False) -> int:
    """The decimals to show `value` and the `ends` it was compared with, so each shown pair compares as the exact pair.

    The rule: the usual places when, rounded half up there, the value is below, equal to or above each end
    exactly as it is unrounded. Otherwise the fewest places at which it is, raised to the value's own digits
    when it has no more than an input may carry (MAX_DECIMALS, of a rate's percent figure): an input then
    reads as it was given (41.939999, 89.999%). A value that does not end (a ratio 2/3) or ends later is shown
    with just the digits that set it apart. Rounding half up keeps the order (it never puts a value on the
    other side of an end), and values that differ by more than 10^-p differ at p places: the search ends.

    >>> places_apart(Fraction("41.939999"), [Fraction("41.94")]), places_apart(Fraction("41.9"), [Fraction("41.94")])
    (6, 4)
    >>> places_apart(Fraction("0.89999"), [Fraction("0.9")], percent=True), places_apart(Fraction(2, 3), [Fraction("0.6667")])
    (3, 5)
    """
    base = base_places(percent)
    scale = 100 if percent else 1
    if not isinstance(value, Fraction):
        return base
    shown = value * scale
    marks = [end * scale for end in ends if isinstance(end, Fraction)]
    if _kept(shown, marks, base):
        return base
    places = base + 1
    while not _kept(shown, marks, places):
        places += 1
    own = _own_places(shown)
    if own is not None and places < own <= MAX_DECIMALS:
        places = own
        while not _kept(shown, marks, places):  # an end finer than the value, rounded onto it
            places += 1
    return places


def _kept(value: Fraction, ends: list[Fraction], places: int) -> bool:
    """Whether, rounded half up to `places`, the value compares with every end as it does exactly."""
    shown = half_up(value, places)
    return all(_sign(shown - half_up(end, places)) == _sign(value - end) for end in ends)


def _sign(difference) -> int:
    return (difference > 0) - (difference < 0)


def _own_places(value: Fraction) -> int | None:
    """The decimals a value ends after (0.125: 3), or None when it ends after more than MAX_DECIMALS or never."""
    for places in range(MAX_DECIMALS + 1):
        if (value * 10 ** places).denominator == 1:
            return places
    return None


__all__ = ["NUMBER_PLACES", "PERCENT_PLACES", "base_places", "places_apart"]
