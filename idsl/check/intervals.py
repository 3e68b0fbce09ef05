"""Exact interval sets over the rationals, for band coverage and the range of expressions."""

from __future__ import annotations

from fractions import Fraction
from typing import Iterable, NamedTuple, Union

INF = float("inf")
Bound = Union[Fraction, float]  # a Fraction, or ±inf


# Bounds are compared many times for every band of a large spec. Fraction's own comparisons go through
# the numbers ABCs and, against a float infinity, through several more tests; these helpers compare two
# Fractions by cross-multiplying and leave every other pair to Python, so the results are the same.


def _sign(a: Bound, b: Bound):
    """-1, 0 or 1 as a is below, equal to or above b; NaN when they are unordered (a NaN bound), so that
    every test below (`> 0`, `< 0`, `== 0`) is false then, as the plain comparisons would be."""
    if type(a) is Fraction and type(b) is Fraction:
        difference = a.numerator * b.denominator - b.numerator * a.denominator
        return (difference > 0) - (difference < 0)
    if a > b:
        return 1
    if a < b:
        return -1
    return 0 if a == b else _UNORDERED


_UNORDERED = float("nan")


def infinite(x: Bound) -> bool:
    """Whether a bound is ±inf: `x in (INF, -INF)` for Fractions and floats, without Fraction's slow equality."""
    return type(x) is float and (x == INF or x == -INF)


def _is_minus_inf(x: Bound) -> bool:
    return type(x) is float and x == -INF


def _is_plus_inf(x: Bound) -> bool:
    return type(x) is float and x == INF


class Interval(NamedTuple):
    """One interval; each end open or closed, ±inf ends always open.

    >>> Interval(Fraction(0), Fraction(1), True, False).contains(Fraction(1))
    False
    """

    lo: Bound  # lower end (may be -inf)
    hi: Bound  # upper end (may be inf)
    lo_closed: bool = True  # the lower end belongs to the interval
    hi_closed: bool = True  # the upper end belongs to the interval

    @property
    def empty(self) -> bool:
        """No number lies in it."""
        order = _sign(self.lo, self.hi)
        return order > 0 or (order == 0 and not (self.lo_closed and self.hi_closed))

    @property
    def is_point(self) -> bool:
        """Exactly one number lies in it."""
        return self.lo_closed and self.hi_closed and _sign(self.lo, self.hi) == 0

    def contains(self, x: Bound) -> bool:
        """Whether x lies in it."""
        above = _sign(x, self.lo)
        below = _sign(x, self.hi)
        return (above > 0 or (above == 0 and self.lo_closed)) and (below < 0 or (below == 0 and self.hi_closed))


def closed(lo: Bound, hi: Bound) -> Interval:
    """[lo, hi], with infinite ends open."""
    return Interval(lo, hi, not _is_minus_inf(lo), not _is_plus_inf(hi))


EVERYTHING = Interval(-INF, INF, False, False)


class IntervalSet(NamedTuple):
    """A union of disjoint intervals, kept sorted and merged."""

    parts: tuple[Interval, ...] = ()  # sorted, disjoint, not touching

    @classmethod
    def of(cls, *intervals: Interval) -> "IntervalSet":
        """The union of some intervals, normalised."""
        return cls(_normalise(intervals))

    @property
    def empty(self) -> bool:
        """No number lies in it."""
        return not self.parts

    def union(self, other: "IntervalSet") -> "IntervalSet":
        """Numbers in either."""
        if not other.parts:
            return self
        if not self.parts:
            return other
        return IntervalSet(_normalise(self.parts + other.parts))

    def intersect(self, other: "IntervalSet") -> "IntervalSet":
        """Numbers in both."""
        found = [_intersect(a, b) for a in self.parts for b in other.parts]
        return IntervalSet(_normalise(found))

    def minus(self, other: "IntervalSet") -> "IntervalSet":
        """Numbers in this one but not the other."""
        return self.intersect(other.complement())

    def complement(self) -> "IntervalSet":
        """Every number not in it."""
        gaps, lo, lo_closed = [], -INF, False
        for part in self.parts:
            gap = Interval(lo, part.lo, lo_closed, not part.lo_closed)
            if not gap.empty:
                gaps.append(gap)
            lo, lo_closed = part.hi, not part.hi_closed
        tail = Interval(lo, INF, lo_closed, False)
        if not tail.empty:
            gaps.append(tail)
        return IntervalSet(tuple(gaps))

    def contains(self, x: Bound) -> bool:
        """Whether x lies in it."""
        return any(part.contains(x) for part in self.parts)

    @property
    def lowest(self) -> Bound:
        """The infimum (inf when empty)."""
        return self.parts[0].lo if self.parts else INF

    @property
    def highest(self) -> Bound:
        """The supremum (-inf when empty)."""
        return self.parts[-1].hi if self.parts else -INF


def _intersect(a: Interval, b: Interval) -> Interval:
    lows = _sign(a.lo, b.lo)
    if lows > 0 or (lows == 0 and not a.lo_closed):
        lo, lo_closed = a.lo, a.lo_closed
    else:
        lo, lo_closed = b.lo, b.lo_closed
    highs = _sign(a.hi, b.hi)
    if highs < 0 or (highs == 0 and not a.hi_closed):
        hi, hi_closed = a.hi, a.hi_closed
    else:
        hi, hi_closed = b.hi, b.hi_closed
    return Interval(lo, hi, lo_closed, hi_closed)


def _normalise(intervals: Iterable[Interval]) -> tuple[Interval, ...]:
    ordered = [i for i in intervals if not i.empty]
    if len(ordered) < 2:
        return tuple(ordered)
    ordered.sort(key=lambda i: (i.lo, not i.lo_closed))
    merged: list[Interval] = [ordered[0]]
    for interval in ordered[1:]:
        last = merged[-1]
        if _touches(last, interval):
            order = _sign(interval.hi, last.hi)
            if order > 0 or (order == 0 and interval.hi_closed):
                merged[-1] = Interval(last.lo, interval.hi, last.lo_closed, interval.hi_closed)
        else:
            merged.append(interval)
    return tuple(merged)


def _touches(a: Interval, b: Interval) -> bool:
    """b starts inside a, or right where a ends with no number missing between them."""
    order = _sign(b.lo, a.hi)
    return order < 0 or (order == 0 and (a.hi_closed or b.lo_closed))


# ---------------------------------------------------------------- interval arithmetic (range analysis)


def _mul_bound(a: Bound, b: Bound) -> Bound:
    if a == 0 or b == 0:
        return Fraction(0)  # a bound of 0 times an unbounded side stays 0
    return a * b


def add(a: Interval, b: Interval) -> Interval:
    """The range of x + y."""
    return closed(a.lo + b.lo, a.hi + b.hi)


def neg(a: Interval) -> Interval:
    """The range of -x."""
    return closed(-a.hi, -a.lo)


def sub(a: Interval, b: Interval) -> Interval:
    """The range of x - y."""
    return add(a, neg(b))


def mul(a: Interval, b: Interval) -> Interval:
    """The range of x × y."""
    products = [_mul_bound(x, y) for x in (a.lo, a.hi) for y in (b.lo, b.hi)]
    return closed(min(products), max(products))


def div(a: Interval, b: Interval) -> Interval:
    """The range of x ÷ y (unbounded where y can be 0, non-negative when both are).

    >>> div(closed(Fraction(0), INF), closed(Fraction(0), INF))
    Interval(lo=Fraction(0, 1), hi=inf, lo_closed=True, hi_closed=False)
    """
    if b.lo <= 0 <= b.hi:
        if a.lo >= 0 and b.lo >= 0:
            return closed(Fraction(0), INF)
        return EVERYTHING
    inverse = closed(_inverse(b.hi), _inverse(b.lo))
    return mul(a, inverse)


def _inverse(x: Bound) -> Bound:
    return Fraction(0) if x in (INF, -INF) else 1 / x


def absolute(a: Interval) -> Interval:
    """The range of |x|."""
    if a.lo >= 0:
        return a
    if a.hi <= 0:
        return neg(a)
    return closed(Fraction(0), max(-a.lo, a.hi))


def minimum(a: Interval, b: Interval) -> Interval:
    """The range of min(x, y)."""
    return closed(min(a.lo, b.lo), min(a.hi, b.hi))


def maximum(a: Interval, b: Interval) -> Interval:
    """The range of max(x, y)."""
    return closed(max(a.lo, b.lo), max(a.hi, b.hi))
