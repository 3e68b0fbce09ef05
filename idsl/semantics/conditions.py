"""Reading a band's condition over its subject: where the band starts and ends, and whether an end
is excluded. Shared by the exact scorer (idsl.engines.python) and the SQL compiler (idsl.engines.sql), so both read
bands the same way.

    >>> from decimal import Decimal
    >>> s = ast.Ref("比率")
    >>> band = ast.Compare((ast.Num(Decimal(80), True), s, ast.Num(Decimal(60), True)), (">", ">="))
    >>> [e.value for e in band_ends(band, s)], strictness(band, s)
    ([Decimal('60'), Decimal('80')], (False, True))
"""

from __future__ import annotations

from typing import Iterator

from idsl.frontend import ast
from idsl.semantics.phrases import FLIP


def is_subject(expr: ast.Expr, subject: ast.Expr) -> bool:
    """Whether an operand is the band's subject (written out, or left implicit)."""
    return isinstance(expr, ast.Subject) or expr == subject


def facing(cond: ast.Compare, subject: ast.Expr) -> Iterator[tuple[str, ast.Expr]]:
    """Each link of a comparison chain with the subject on one side, read as `subject op other`.

    >>> from decimal import Decimal
    >>> s, n = ast.Ref("率"), ast.Num(Decimal(70), True)
    >>> [op for op, _ in facing(ast.Compare((n, s), ("<=",)), s)]
    ['>=']
    """
    for a, op, b in zip(cond.operands, cond.ops, cond.operands[1:]):
        if is_subject(a, subject) and not is_subject(b, subject):
            yield op, b
        elif is_subject(b, subject) and not is_subject(a, subject):
            yield FLIP[op], a


def band_ends(cond: ast.Cond, subject: ast.Expr) -> tuple[ast.Expr | None, ast.Expr | None]:
    """The lower and upper ends of a band's condition over its subject (None: open)."""
    if isinstance(cond, ast.Range):
        return cond.low, cond.high
    low = high = None
    if isinstance(cond, ast.BoolOp) and cond.op == "and":
        for part in cond.parts:
            a, b = band_ends(part, subject)
            low, high = low or a, high or b
    elif isinstance(cond, ast.Compare):
        for op, other in facing(cond, subject):
            if op in ("<", "<=", "="):
                high = other
            if op in (">", ">=", "="):
                low = other
    return low, high


def strictness(cond: ast.Cond, subject: ast.Expr) -> tuple[bool, bool]:
    """Whether the band's lower and upper ends are excluded (< or >)."""
    strict_low = strict_high = False
    if isinstance(cond, ast.Compare):
        for op, _other in facing(cond, subject):
            strict_high |= op == "<"
            strict_low |= op == ">"
    if isinstance(cond, ast.BoolOp):
        for part in cond.parts:
            low, high = strictness(part, subject)
            strict_low |= low
            strict_high |= high
    return strict_low, strict_high


def name_of(expr: ast.Expr) -> str | None:
    """The name a quantity goes by: an input's, or the first argument's of a call (|x|, min(x, …))."""
    if isinstance(expr, ast.Ref):
        return expr.name
    if isinstance(expr, ast.Call) and expr.args:
        return name_of(expr.args[0])
    if isinstance(expr, ast.Neg):
        return name_of(expr.operand)
    return None


__all__ = ["band_ends", "facing", "is_subject", "name_of", "strictness"]
