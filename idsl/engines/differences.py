"""How a batch's `<key>.差异` cell is written: to its score's places (小数 N 位, as the score is), with any further decimals it has.

A recorded score may carry up to MAX_DECIMALS decimals, so a difference is exact only at that scale: the Parquet column
keeps the type DECIMAL(38, max(MAX_DECIMALS, places)) for the programs that read it. The text forms (CSV from either
engine, the interpreter's rows) write it as the score beside it is written, 1.61 for 1.610000, and 0.005 in full.
"""

from __future__ import annotations

from decimal import Decimal

from idsl.limits import MAX_DECIMALS
from idsl.semantics.model import Plan
from idsl.semantics.numbers import half_up


def difference_places(plan: Plan, key: str) -> int:
    """The decimals the score the difference is taken from is written with: a leaf's own 小数 N 位, else the plan's."""
    node = plan.find(key)
    return plan.places_of(node) if node is not None else plan.places


def written_difference(value: Decimal, places: int) -> Decimal:
    """The difference at `places`, or at the decimals it has beyond them (never rounded: it is exact).

    >>> written_difference(Decimal("1.61"), 2), written_difference(Decimal("-0.005"), 2), written_difference(Decimal(1), 2)
    (Decimal('1.61'), Decimal('-0.005'), Decimal('1.00'))
    """
    exact = half_up(value, max(places, MAX_DECIMALS))
    at_places = half_up(exact, places)
    return at_places if at_places == exact else exact.normalize()


def sql_difference_text(column: str, places: int) -> str:
    """`written_difference` as a DuckDB expression over the DECIMAL column, as text for a CSV cell."""
    at_places = f"CAST({column} AS DECIMAL(38,{places}))"
    return (f"CASE WHEN {column} = {at_places} THEN CAST({at_places} AS VARCHAR) "
            f"ELSE TRIM(TRAILING '0' FROM CAST({column} AS VARCHAR)) END")


__all__ = ["difference_places", "sql_difference_text", "written_difference"]
