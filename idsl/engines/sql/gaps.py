"""A band gap's failure in SQL: the value that fell between the bands, with the decimals the interpreter shows it with.

The interpreter (`idsl.engines.leaf.gap_places`) shows it to MAX_DECIMALS places, trailing zeros dropped: 79.995%
between ＜79.99% and ≥80% is not shown as 80%. One rounding, written inline: the text sits in every band rule's
query, though a checked spec has no gap (E403), so it must cost little.
"""

from __future__ import annotations

from typing import Any

from idsl.engines.sql.fragments import SqlError, Text
from idsl.engines.sql.quantities import Q, Sum
from idsl.limits import MAX_DECIMALS


def gap_shown(c: Any, value: Q | Sum, subject: Any) -> Text:
    """The value as the gap's message shows it (`subject` an explain.Quantity)."""
    try:
        return c.number_text(value, subject.percent, subject.unit, MAX_DECIMALS)
    except SqlError:  # a value too wide for DECIMAL(38) at MAX_DECIMALS places: shown as usual
        return c.number_text(value, subject.percent, subject.unit)


__all__ = ["gap_shown"]
