"""A band gap's failure in SQL: the value that fell between the bands, with the decimals the interpreter shows it with.

The interpreter (`idsl.engines.leaf.gap_places`) keeps the value apart from every band end written as a number
(`idsl.semantics.apart.places_apart`, at most MAX_DECIMALS places): 79.995% between ＜79.99% and ≥80% is not shown
as 80%. Here the same choice is a CASE over the places it may take, each tried as the interpreter tries it.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any, Sequence

from idsl.engines.sql.fragments import Cond, SqlError, Text, c_and, c_not, c_or, text_case
from idsl.engines.sql.quantities import Q, Sum, q_cmp, q_lit, q_single
from idsl.limits import MAX_DECIMALS
from idsl.semantics.apart import base_places
from idsl.semantics.numbers import half_up


def gap_shown(c: Any, value: Q | Sum, subject: Any, ends: Sequence[Fraction]) -> Text:
    """The value as the gap's message shows it (`subject` an explain.Quantity, `ends` the band ends written as numbers)."""
    usual = c.number_text(value, subject.percent, subject.unit)
    if not ends:
        return usual
    try:
        return _apart(c, q_single(value) if isinstance(value, Sum) else value, subject, ends)
    except SqlError:  # a value too wide to compare in DECIMAL(38) at the finer places: shown as usual
        return usual


def _apart(c: Any, q: Q, subject: Any, ends: Sequence[Fraction]) -> Text:
    """The first of the places the interpreter would choose: the usual ones when they keep the value apart, else the
    fewest that do, from the value's own decimals when it has at most MAX_DECIMALS; MAX_DECIMALS when none does."""
    percent, base = subject.percent, base_places(subject.percent)

    def text(places: int) -> Text:
        return c.number_text(q, percent, subject.unit, places)

    def kept(places: int) -> Cond:
        return c_and([c_not(_collides(q, end, places, percent)) for end in ends])

    endless = c_not(c.rounds_exactly(q, percent, MAX_DECIMALS))  # no own decimals within MAX_DECIMALS
    finer = [(c_and([kept(p), c_or([c.rounds_exactly(q, percent, p), endless])]), text(p))
             for p in range(base + 1, MAX_DECIMALS)]
    return text_case([(kept(base), text(base)), *finer], text(MAX_DECIMALS))


def _collides(q: Q, end: Fraction, places: int, percent: bool) -> Cond:
    """Whether the value differs from `end` but, both rounded half up to `places` (a rate: of its percent figure), reads
    as equal to it: it lies where the end's rounding R holds, [R − h, R + h) for R > 0 (halves away from zero)."""
    scale = 100 if percent else 1
    rounded, half = Fraction(half_up(end * scale, places)), Fraction(1, 2 * 10 ** places)
    low, high = q_lit((rounded - half) / scale), q_lit((rounded + half) / scale)
    above = q_cmp(q, ">=" if rounded > 0 else ">", low)
    below = q_cmp(q, "<" if rounded >= 0 else "<=", high)
    return c_and([above, below, q_cmp(q, "!=", q_lit(end))])


__all__ = ["gap_shown"]
