"""Typed SQL fragments (DECIMAL, boolean, error message, text) with compile-time bounds, and their arithmetic."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Any, Iterable, Sequence

import attrs

from idsl.semantics.numbers import decimal_text

MAX_PRECISION = 38  # the widest DECIMAL every engine supports


class SqlError(Exception):
    """A spec the SQL engine cannot score exactly (numbers too wide for DECIMAL(38), a column missing)."""

    def __init__(self, message: str, path: str | None = None):
        super().__init__(f"{path}: {message}" if path else message)
        self.message = message
        self.path = path


@attrs.frozen
class Dec:
    """A DECIMAL SQL expression with compile-time bounds: |value| ≤ bound, at most `scale` decimals."""

    text: str
    bound: Fraction
    scale: int
    nonneg: bool = False  # known to be ≥ 0
    const: Fraction | None = None  # the value, when known at compile time
    layer: int = 0  # the CTE that can first compute it

    @property
    def digits(self) -> int:
        """Digits before the point."""
        return digits_of(self.bound)


@attrs.frozen
class Cond:
    """A boolean SQL expression (`const` when known at compile time)."""

    text: str
    const: bool | None = None
    layer: int = 0


@attrs.frozen
class Err:
    """A VARCHAR SQL expression: the message when evaluation fails, NULL when it succeeds."""

    text: str
    layer: int = 0


@attrs.frozen
class Text:
    """A VARCHAR value (a choice's label, a grade); `const` when known at compile time."""

    text: str
    layer: int = 0
    const: str | None = None


def digits_of(value: Fraction) -> int:
    """Digits before the point of the integer part of |value|.

    >>> digits_of(Fraction(999, 10)), digits_of(Fraction(1, 2)), digits_of(Fraction(10**12))
    (2, 0, 13)
    """
    whole = abs(value.numerator) // value.denominator
    return len(str(whole)) if whole else 0


def scale_of(value: Fraction) -> int | None:
    """Decimals of a finite decimal; None for 1/3 and the like."""
    d = value.denominator
    twos = fives = 0
    while d % 2 == 0:
        d //= 2
        twos += 1
    while d % 5 == 0:
        d //= 5
        fives += 1
    return max(twos, fives) if d == 1 else None


def check(bound: Fraction, scale: int) -> None:
    """Refuse a DECIMAL wider than 38 digits (the compiler names the indicator)."""
    digits = digits_of(bound)
    if digits + scale > MAX_PRECISION or scale > MAX_PRECISION:
        raise SqlError(f"计算需要超过 {MAX_PRECISION} 位的精确小数（{digits} 位整数、{scale} 位小数），"
                       "SQL 引擎不能精确计算；请用 --engine python。")


def lit(value: Fraction | Decimal | int) -> Dec:
    """A literal DECIMAL (a finite decimal)."""
    value = Fraction(value)
    scale = scale_of(value)
    assert scale is not None, value
    check(abs(value), scale)
    text = decimal_text(value)
    if text.startswith("-"):
        text = f"({text})"
    return Dec(f"CAST({text} AS DECIMAL({max(1, digits_of(value) + scale)},{scale}))", abs(value), scale, value >= 0,
               value)


ZERO = lit(0)
ONE = lit(1)


def cast(x: Dec, bound: Fraction, scale: int) -> Dec:
    """x written as a DECIMAL holding |values| ≤ bound with `scale` decimals (≥ x.scale: nothing is lost)."""
    assert scale >= x.scale and bound >= x.bound
    inner = x.text
    if x.const is not None:
        inner = decimal_text(x.const)
        inner = f"({inner})" if inner.startswith("-") else inner
    return Dec(f"CAST({inner} AS DECIMAL({max(1, digits_of(bound) + scale)},{scale}))", bound, scale, x.nonneg,
               x.const, x.layer)


def unify(values: Sequence[Dec]) -> list[Dec]:
    """The values cast to one type wide enough for all of them (for CASE branches: engines pick a
    common type that may cut the scale, so every branch is cast explicitly)."""
    bound = max(v.bound for v in values)
    scale = max(v.scale for v in values)
    check(bound, scale)
    return [cast(v, bound, scale) for v in values]


def add(a: Dec, b: Dec) -> Dec:
    if a.const is not None and b.const is not None:
        return lit(a.const + b.const)
    if a.const == 0:
        return b
    if b.const == 0:
        return a
    bound, scale = a.bound + b.bound, max(a.scale, b.scale)
    check(bound, scale)
    return Dec(f"({a.text} + {b.text})", bound, scale, a.nonneg and b.nonneg, None, max(a.layer, b.layer))


def sub(a: Dec, b: Dec) -> Dec:
    if a.const is not None and b.const is not None:
        return lit(a.const - b.const)
    if b.const == 0:
        return a
    bound, scale = a.bound + b.bound, max(a.scale, b.scale)
    check(bound, scale)
    return Dec(f"({a.text} - {b.text})", bound, scale, False, None, max(a.layer, b.layer))


def mul(a: Dec, b: Dec) -> Dec:
    if a.const is not None and b.const is not None:
        return lit(a.const * b.const)
    for x, y in ((a, b), (b, a)):
        if x.const == 1:
            return y
        if x.const == 0:
            return ZERO
        if x.const == -1:
            return neg(y)
    bound, scale = a.bound * b.bound, a.scale + b.scale
    check(bound, scale)
    left = a.text
    if digits_of(bound) + scale > 18:
        # A product that may need more than 18 digits is computed in 38: DuckDB 2.0 narrows a DECIMAL
        # product to 18 digits from column statistics and then fails on values it did not foresee
        # (1.000000000 × 100000.0000 "overflows DECIMAL(18)"). The cast changes no value.
        left = f"CAST({a.text} AS DECIMAL(38,{a.scale}))"
    return Dec(f"({left} * {b.text})", bound, scale, a.nonneg and b.nonneg, None, max(a.layer, b.layer))


def neg(a: Dec) -> Dec:
    if a.const is not None:
        return lit(-a.const)
    return Dec(f"(-{a.text})", a.bound, a.scale, False, None, a.layer)


def absolute(a: Dec) -> Dec:
    if a.const is not None:
        return lit(abs(a.const))
    if a.nonneg:
        return a
    return Dec(f"ABS({a.text})", a.bound, a.scale, True, None, a.layer)


def case(branches: Sequence[tuple[Cond, Dec]], otherwise: Dec) -> Dec:
    """CASE WHEN c THEN v … ELSE otherwise END, constant conditions folded, branches of one type."""
    kept, otherwise = fold(branches, otherwise)
    if not kept:
        return otherwise
    if all(v == otherwise for _, v in kept) or (
            otherwise.const is not None and all(v.const == otherwise.const for _, v in kept)):
        return otherwise
    values = unify([v for _, v in kept] + [otherwise])
    parts = " ".join(f"WHEN {c.text} THEN {v.text}" for (c, _), v in zip(kept, values))
    layer = max([c.layer for c, _ in kept] + [v.layer for v in values])
    return Dec(f"CASE {parts} ELSE {values[-1].text} END", values[-1].bound, values[-1].scale,
               all(v.nonneg for v in values), None, layer)


def fold(branches: Sequence[tuple[Cond, Any]], otherwise: Any) -> tuple[list[tuple[Cond, Any]], Any]:
    """The branches that may hold (false ones dropped; a true one ends the list as `otherwise`)."""
    kept = []
    for cond, value in branches:
        if cond.const is False:
            continue
        if cond.const is True:
            return kept, value
        kept.append((cond, value))
    return kept, otherwise


def text_case(branches: Sequence[tuple[Cond, Text]], otherwise: Text) -> Text:
    """CASE over VARCHAR values (labels, grades)."""
    kept, otherwise = fold(branches, otherwise)
    if not kept:
        return otherwise
    parts = " ".join(f"WHEN {c.text} THEN {v.text}" for c, v in kept)
    layer = max([c.layer for c, _ in kept] + [v.layer for _, v in kept] + [otherwise.layer])
    return Text(f"CASE {parts} ELSE {otherwise.text} END", layer)


def cond_case(branches: Sequence[tuple[Cond, Cond]], otherwise: Cond) -> Cond:
    """CASE over boolean values (yes/no fields chosen by a condition)."""
    kept, otherwise = fold(branches, otherwise)
    if not kept:
        return otherwise
    parts = " ".join(f"WHEN {c.text} THEN {v.text}" for c, v in kept)
    layer = max([c.layer for c, _ in kept] + [v.layer for _, v in kept] + [otherwise.layer])
    return Cond(f"(CASE {parts} ELSE {otherwise.text} END)", None, layer)


def cmp(a: Dec, op: str, b: Dec) -> Cond:
    if a.const is not None and b.const is not None:
        return TRUE if compare_values(a.const, op, b.const) else FALSE
    check(max(a.bound, b.bound), max(a.scale, b.scale))  # engines compare in one type wide enough for both
    return Cond(f"{a.text} {SQL_OPS[op]} {b.text}", None, max(a.layer, b.layer))


SQL_OPS = {"=": "=", "!=": "<>", "<": "<", "<=": "<=", ">": ">", ">=": ">="}


def compare_values(a: Any, op: str, b: Any) -> bool:
    return {"=": a == b, "!=": a != b, "<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b}[op]


def c_and(parts: Iterable[Cond]) -> Cond:
    """All of the conditions (constants folded away)."""
    return _c_join(parts, "AND", decisive=False)


def c_or(parts: Iterable[Cond]) -> Cond:
    """Any of the conditions (constants folded away)."""
    return _c_join(parts, "OR", decisive=True)


def _c_join(parts: Iterable[Cond], word: str, decisive: bool) -> Cond:
    """Join with AND (a false part decides) or OR (a true part decides); the other constant drops out."""
    neutral = not decisive
    kept = []
    for part in parts:
        if part.const is decisive:
            return TRUE if decisive else FALSE
        if part.const is not neutral:
            kept.append(part)
    if not kept:
        return TRUE if neutral else FALSE
    if len(kept) == 1:
        return kept[0]
    return Cond("(" + f" {word} ".join(p.text for p in kept) + ")", None, max(p.layer for p in kept))


def c_not(cond: Cond) -> Cond:
    if cond.const is not None:
        return TRUE if not cond.const else FALSE
    if cond.text.startswith("(NOT ") and _balanced(cond.text[5:-1]):
        return Cond(cond.text[5:-1], None, cond.layer)
    return Cond(f"(NOT {cond.text})", None, cond.layer)


def _balanced(text: str) -> bool:
    """Whether the parentheses of a fragment pair up (so NOT (…) can be unwrapped)."""
    depth = 0
    for char in text:
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth < 0:
            return False
    return depth == 0


TRUE = Cond("TRUE", True)
FALSE = Cond("FALSE", False)


def err_seq(*errors: Err | None) -> Err | None:
    """The first error raised when evaluating one thing after another."""
    kept = [e for e in errors if e is not None]
    if not kept:
        return None
    if len(kept) == 1:
        return kept[0]
    return Err("COALESCE(" + ", ".join(e.text for e in kept) + ")", max(e.layer for e in kept))


def err_when(cond: Cond, message: str) -> Err | None:
    """An error raised when `cond` holds."""
    if cond.const is False:
        return None
    if cond.const is True:
        return Err(string(message))
    return Err(f"CASE WHEN {cond.text} THEN {string(message)} END", cond.layer)


def err_case(steps: Sequence[tuple[Err | None, Cond | None, Err | None]], otherwise: Err | None) -> Err | None:
    """Errors of a decision list: each step's condition is evaluated (raising its own error) and, when
    it holds, the step's value is evaluated (raising that error); otherwise evaluation goes on."""
    whens: list[str] = []
    layer = 0
    for cond_err, cond, value_err in steps:
        if cond_err is not None:
            whens.append(f"WHEN {cond_err.text} IS NOT NULL THEN {cond_err.text}")
            layer = max(layer, cond_err.layer)
        if cond is None or cond.const is False:
            continue
        if cond.const is True:
            otherwise = value_err
            break
        whens.append(f"WHEN {cond.text} THEN {value_err.text if value_err else 'NULL'}")
        layer = max(layer, cond.layer, value_err.layer if value_err else 0)
    if not whens:
        return otherwise
    if otherwise is None and all(w.endswith("THEN NULL") for w in whens):
        return None
    return Err(f"CASE {' '.join(whens)} ELSE {otherwise.text if otherwise else 'NULL'} END",
               max(layer, otherwise.layer if otherwise else 0))


def string(text: str) -> str:
    """A string literal."""
    return "'" + text.replace("'", "''") + "'"


def quote(name: str) -> str:
    """A delimited identifier: "决策/预算配置/重点支出安排率.重点项目支出"."""
    return '"' + name.replace('"', '""') + '"'


def class_needs(exempt: Sequence[str], unit_class: str) -> str:
    """按类别: `AND` the row's class (the SQL text `unit_class`) is not one of the classes `exempt` from an input,
    so its blank is a problem; '' when no class is exempt."""
    if not exempt:
        return ""
    return f" AND NOT COALESCE({unit_class} IN ({', '.join(string(c) for c in exempt)}), FALSE)"


def is_alias(text: str) -> bool:
    """Whether a fragment is just a column alias (x12), so keeping it as a column gains nothing."""
    return text.isascii() and text.replace("_", "").isalnum()


__all__ = ["Cond", "Dec", "Err", "FALSE", "MAX_PRECISION", "ONE", "SqlError", "TRUE", "Text", "ZERO", "absolute",
           "add", "c_and", "c_not", "c_or", "case", "class_needs", "cast", "check", "cmp", "compare_values", "cond_case",
           "digits_of", "err_case", "err_seq", "err_when", "is_alias", "lit", "mul", "neg", "quote", "scale_of",
           "string", "sub", "text_case", "unify"]
