"""A band's ends as the tables write them: （含） marks, 以上/以下 and 及以上/及以下, ranges either way round (§11.3)."""

from __future__ import annotations

import attrs

from idsl.diagnostics import Diagnostic
from idsl.frontend import ast
from idsl.frontend.shape import ShapeError
from idsl.frontend.source import Span


def marked_range(low, high, low_in: bool, high_in: bool, span: Span) -> ast.Compare:
    """`80%（含）～90%` as the AST keeps it: (80%, subject, 90%) with ('<=', '<') written 'range'."""
    ops = ("<=" if low_in else "<", "<=" if high_in else "<")
    return ast.Compare((low, ast.Subject(span=span), high), ops, span=span, written="range")


_RUN_IN_ENDS = (("及以上", True, "and"), ("及以下", False, "and"), ("以上", True, ""), ("以下", False, ""))


def unit_run_into_end(written) -> tuple[ast.Num, bool, str] | None:
    """A number whose unit ran into the band's 以上/以下 (`90 人以上`, `50 万元及以下`): the number in its own unit,
    whether the end is above, and how it is written; None for anything else.

    >>> from decimal import Decimal
    >>> unit_run_into_end(ast.Num(Decimal(50), False, "万元及以下"))
    (Num(value=Decimal('50'), percent=False, unit='万元'), False, 'and')
    >>> unit_run_into_end(ast.Num(Decimal(50), False, "以上")) is None  # no unit before it: not this
    True
    """
    if not (isinstance(written, ast.Num) and written.unit):
        return None
    for word, above, how in _RUN_IN_ENDS:
        if written.unit.endswith(word) and len(written.unit) > len(word):
            return attrs.evolve(written, unit=written.unit[:-len(word)]), above, how
    return None


def open_end(end, above: bool, how: str, span: Span) -> ast.Compare:
    """One end of a band: `90%以上` (how ''), `90%（含）以上` ('marked'), `90%及以上` ('and'), held until
    `yield_marked_ends` reads the rule's bands together."""
    written = ("above" if above else "below") + (f"-{how}" if how else "")
    return ast.Compare((ast.Subject(span=span), end), (">=" if above else "<=",), span=span, written=written)


def low_first(low, high, low_in: bool, high_in: bool, span: Span):
    """A range's ends (with whether each is held) low end first, as the tables write them either way round:
    `100%～80%（含）` is `80%（含）～100%`. Ends of one number hold it when both are held (`1～1` is `= 1`), and
    nothing when a mark leaves one out (E101)."""
    order = _literal_order(low, high)
    if order == 0 and not (low_in and high_in):
        raise ShapeError(Diagnostic(
            "E101", f"范围的两端都是 {_literal_text(low)}，这不是一个范围。", span,
            hint=f"两端写成不同的数，例如 {_literal_text(low)}～…；只取这一个值时写成 = {_literal_text(low)}。"))
    if order != 1:
        return low, high, low_in, high_in
    if isinstance(low, ast.Num) and isinstance(high, ast.Num) and low.unit is None:  # 90（含）～80 人: 人 stays last
        low, high = attrs.evolve(low, unit=high.unit), attrs.evolve(high, unit=None)
    return high, low, high_in, low_in


def _literal_order(low, high) -> int | None:
    """How two written numbers compare (-1, 0, 1), None unless both are numbers of one kind: 80% and 90%, or
    90 and 80 人 (the unit written once, after the second end)."""
    low, high = _signed(low), _signed(high)
    if low is None or high is None or not _one_kind(low[1], high[1]):
        return None
    return (low[0] > high[0]) - (low[0] < high[0])


def _one_kind(first: tuple, second: tuple) -> bool:
    """Whether two numbers' (percent, unit) are of one kind: both % or neither, the unit the same where both say it."""
    (first_percent, first_unit), (second_percent, second_unit) = first, second
    return first_percent == second_percent and (first_unit == second_unit or None in (first_unit, second_unit))


def _signed(expr):
    """A written number's value with its kind (percent, unit), -5% as well; None for anything else."""
    if isinstance(expr, ast.Neg):
        inner = _signed(expr.operand)
        return None if inner is None else (-inner[0], inner[1])
    if isinstance(expr, ast.Num):
        return expr.value, (expr.percent, expr.unit)
    return None


def _literal_text(expr) -> str:
    """A written number as the messages quote it: its value with its sign (`- -5` is 5), then % or its unit."""
    value, (percent, unit) = _signed(expr)
    return f"{value:f}{'%' if percent else ''}{' ' + unit if unit else ''}"


def hyphen_range(cond):
    """`90%-80%` in a band: the tables' hyphen between two numbers is a range (`80%～90%`), not a difference."""
    written = cond.operands[0] if isinstance(cond, ast.Compare) and not cond.ops and not cond.written else None
    if isinstance(written, ast.BinOp) and written.op == "-" and _literal_order(written.left, written.right) is not None:
        low, high, _, _ = low_first(written.left, written.right, True, True, cond.span)
        return ast.Range(low, high, span=cond.span)
    return cond


def yield_marked_ends(conds) -> tuple:
    """The bands' conditions with each unmarked `X以上`/`X以下` read as Chinese usage reads it, X included, unless
    another band of the rule marks X （含）: that band owns X and the 以上/以下 end leaves it out (§11.3)."""
    marked = [set(_marked_ends(cond)) for cond in conds]
    return tuple(_yield_to(cond, set().union(*(m for j, m in enumerate(marked) if j != i)))
                 for i, cond in enumerate(conds))


def _marked_ends(cond):
    """The ends a condition marks held: `80%（含）～90%` marks 80%, `90%（含）以上` and `90%及以上` 90%."""
    if isinstance(cond, ast.BoolOp):
        for part in cond.parts:
            yield from _marked_ends(part)
    elif isinstance(cond, ast.Compare) and cond.written == "range":
        yield from (end for end, op in zip(cond.operands[::2], cond.ops) if op == "<=")
    elif isinstance(cond, ast.Compare) and cond.written.endswith(("-marked", "-and")):
        yield cond.operands[1]


def _yield_to(cond, others: set):
    """An unmarked 以上/以下 end: held unless it is among the ends the other bands mark."""
    if isinstance(cond, ast.BoolOp):
        return attrs.evolve(cond, parts=tuple(_yield_to(part, others) for part in cond.parts))
    if isinstance(cond, ast.Compare) and cond.written in ("above", "below"):
        op = ">" if cond.written == "above" else "<"
        return attrs.evolve(cond, ops=(op if cond.operands[1] in others else op + "=",))
    return cond
