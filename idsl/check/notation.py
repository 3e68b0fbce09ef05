"""Numbers, intervals and source text as the checker's messages print them, in the author's notation."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from rich.cells import cell_len

from idsl.check.dims import Dim
from idsl.check.intervals import INF, Interval
from idsl.frontend.source import Source, Span


def format_bound(value, dim: Dim) -> str:
    """A number as the author would write it: rates in percent, others plain."""
    if value in (INF, -INF):
        return "∞" if value > 0 else "-∞"
    if dim.kind == "ratio":
        return _plain(Fraction(value) * 100) + "%"
    text = _plain(Fraction(value))
    return f"{text} {dim.unit}" if dim.unit and dim.kind in ("money", "count") else text


def _plain(value: Fraction) -> str:
    if value.denominator == 1:
        return str(value.numerator)
    decimal = Decimal(value.numerator) / Decimal(value.denominator)
    text = format(decimal.quantize(Decimal("0.0001")), "f").rstrip("0").rstrip(".")
    return text if Fraction(text) == value else f"约{text}"


def format_interval(interval: Interval, subject: str, dim: Dim) -> str:
    """An interval in the seeds' notation: `60% ≤ 比率 < 80%`, `比率 ≥ 90%`, `比率 = 100%`."""
    lo, hi = format_bound(interval.lo, dim), format_bound(interval.hi, dim)
    if interval.is_point:
        return f"{subject} = {lo}"
    left = "" if interval.lo == -INF else f"{lo} {'≤' if interval.lo_closed else '<'} "
    right = "" if interval.hi == INF else f" {'≤' if interval.hi_closed else '<'} {hi}"
    if not left and right:
        return f"{subject}{right}"
    if left and not right:
        return f"{subject} {'≥' if interval.lo_closed else '>'} {lo}"
    return f"{left}{subject}{right}" if (left or right) else f"{subject} 取任何值"


def source_text(sources: dict[str, Source], span: Span) -> str | None:
    """The source text of a one-line span, or None."""
    source = sources.get(span.file)
    if source is None or span.line != span.end_line or span.line == 0:
        return None
    line = source.line(span.line)
    start = _index_at_cell(line, span.column)
    end = _index_at_cell(line, span.end_column)
    return line[start:end].strip() or None


def _index_at_cell(line: str, column: int) -> int:
    for index in range(len(line) + 1):
        if cell_len(line[:index]) + 1 >= column:
            return index
    return len(line)

