"""Excel cell values read exactly and written back: shared by the input-workbook and batch readers."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from idsl.semantics.numbers import decimal_text


def cell_decimal(value: Any) -> Decimal | None:
    """An exact Decimal of a cell value: a float by its shortest repr (what Excel shows), text parsed.

    >>> cell_decimal(0.1), cell_decimal("1,089.6"), cell_decimal(True), cell_decimal("x")
    (Decimal('0.1'), Decimal('1089.6'), None, None)
    """
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value))
    try:
        number = Decimal(str(value).strip().replace(",", ""))
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def cell_text(value: Any, number_format: str) -> str:
    """A cell as the text a CSV would hold: numbers in their shortest decimal form, a percent-formatted
    0.8967 as "89.67%", booleans as 是/否, a date as a marker the checks reject.

    >>> cell_text(0.8967, "0.00%"), cell_text(12.0, "General"), cell_text(True, ""), cell_text(None, "")
    ('89.67%', '12', '是', '')
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, (int, float)):
        number = cell_decimal(value)
        if "%" in number_format:
            return decimal_text(number * 100) + "%"
        return decimal_text(number)
    if hasattr(value, "year"):
        return "#日期"
    return str(value)


def excel_value(value: Any) -> Any:
    """A result value as written to a cell: a Decimal of at most four places as a number, else as text
    (a float would round it)."""
    if isinstance(value, Decimal):
        return float(value) if value == value.quantize(Decimal("0.0001")) else str(value)
    return value


__all__ = ["cell_decimal", "cell_text", "excel_value"]
