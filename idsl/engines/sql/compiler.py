"""The compiler's machinery: columns scheduled into layers of common table expressions, exact floor division and rounding, the source columns."""

from __future__ import annotations

import math
import re
from fractions import Fraction
from typing import Any, Sequence

import attrs

from idsl.engines.sql.fragments import (MAX_PRECISION, ZERO, Cond, Dec, Err, SqlError, Text, absolute, add, case,
                                        cast, check, cmp, digits_of, is_alias, lit, mul, neg, quote, scale_of, string,
                                        sub)
from idsl.engines.sql.limits import column_bounds, column_nonneg
from idsl.engines.sql.quantities import Branch, Q, Sum, q_single
from idsl.engines.sql.sums import round_sum
from idsl.io.columns import UNIT, Column, header, unit_columns
from idsl.semantics import ir
from idsl.semantics.model import Plan
from idsl.semantics.numbers import half_up
from idsl.semantics.program import lower_program

YES = "是"
GUESS_LIMIT = Fraction(10) ** 15  # a DOUBLE quotient below this is within one of the true one (relative error < 2^-50)
WIDE_LIMIT = Fraction(10) ** 28  # below this, the remainder of a first guess has a quotient below GUESS_LIMIT


class Compiler:
    """Builds the query: every value a column of some layer, computed from the layers before it."""

    def __init__(self, plan: Plan, table: str = "units", columns: Sequence[Column] | None = None,
                 carry: Sequence[str] = (), audit: Sequence[str] = (), allow_missing: bool = False):
        self.plan = plan
        self.table = table
        self.columns = list(columns) if columns is not None else unit_columns(plan)
        self.by_header = {c.header: c for c in self.columns}
        self.carry = tuple(carry)
        self.audit = tuple(audit)
        self.allow_missing = allow_missing  # a blank input leaves its leaf 未评 instead of failing the unit
        self.layers: list[list[tuple[str, str]]] = [[]]  # layer → (alias, expression)
        self.kept: dict[tuple[str, int], tuple[str, int]] = {}  # (expression, its layer) → (alias, own layer)
        self.count = 0
        self.inputs: dict[str, Dec | Text] = {}  # header → the source column, typed
        self.blank_zero: set[str] = set()  # headers of the columns whose blank reads as 0 (an evaluator's cut)
        self.peer_sets: dict[str, Any] = {}  # peer set name → its columns (`idsl.engines.sql.peers`)
        # the 共用 inputs a veto reads: required of every unit, a blank one reported as the spec's
        self.veto_inputs = {f.declared for f in lower_program(plan).veto_fields}

    # -- scheduling

    def name(self, prefix: str) -> str:
        self.count += 1
        return f"{prefix}{self.count}"

    def column(self, text: str, layer: int, prefix: str = "x") -> tuple[str, int]:
        """A new column computed from columns of layers ≤ `layer`: its alias and its own layer."""
        alias = self.name(prefix)
        target = layer + 1
        while len(self.layers) <= target:
            self.layers.append([])
        self.layers[target].append((alias, text))
        return alias, target

    def keep(self, x: Dec, prefix: str = "x") -> Dec:
        """x as a column of its own (so the text is not repeated); the same text kept twice is one column."""
        if x.const is not None or is_alias(x.text):
            return x
        found = self.kept.get((x.text, x.layer))
        if found is None:
            found = self.kept[x.text, x.layer] = self.column(x.text, x.layer, prefix)
        alias, layer = found
        return attrs.evolve(x, text=alias, layer=layer)

    def keep_cond(self, c: Cond) -> Cond:
        if c.const is not None or is_alias(c.text):
            return c
        alias, layer = self.column(c.text, c.layer, "b")
        return Cond(alias, None, layer)

    def keep_err(self, e: Err | None) -> Err | None:
        if e is None or is_alias(e.text) or e.text.startswith("'"):
            return e
        alias, layer = self.column(e.text, e.layer, "e")
        return Err(alias, layer)

    def keep_q(self, q: Q) -> Q:
        return Q(self.keep(q.num, "n"), self.keep(q.den, "d") if q.den is not None else None, self.keep_err(q.err),
                 q.limit)

    def branch(self, conds: Sequence[Cond]) -> Branch:
        """A column holding the number (1, 2 …) of the first condition that holds, 0 when none does:
        the conditions are evaluated once, however many values depend on them."""
        whens = []
        for number, cond in enumerate(conds, start=1):
            if cond.const is False:
                continue
            whens.append(f"WHEN {cond.text} THEN {number}")
            if cond.const is True:
                break
        if not whens:
            return Branch("0", 0, True)
        if whens[0].startswith("WHEN TRUE"):
            return Branch(whens[0].split()[-1], 0, True)
        layer = max(c.layer for c in conds)
        alias, own = self.column(f"CASE {' '.join(whens)} ELSE 0 END", layer, "k")
        return Branch(alias, own, False)

    # -- exact division

    def floor_div(self, a: Dec, b: Dec | None, limit: Fraction, factor: Fraction = Fraction(1),
                  offset: Fraction = Fraction(0), inline: bool = False) -> Dec:
        """⌊a·factor / b + offset⌋ exactly (b > 0; b None means 1; factor and offset finite decimals),
        for results with |a·factor / b + offset| ≤ limit. `inline`: a and the DOUBLE guess written inside the
        quotient's column rather than as columns of their own (a sum of many quotients: Spark fuses every column of
        a query into one method, which must stay under 64 KB, and evaluates a repeated expression once)."""
        bound = Fraction(math.floor(limit) + 1)
        if b is None:
            value = add(mul(a, lit(factor)), lit(offset))
            if value.scale == 0:
                return value
            return self.keep(cast(Dec(f"FLOOR({value.text})", bound, 0, value.nonneg, None, value.layer), bound, 0), "f")
        if b.const is not None and a.const is not None:
            return lit(math.floor(a.const * factor / b.const + offset))
        if not _room(a.bound * factor + b.bound * (offset + 2), max(a.scale + _places(factor), b.scale + _places(offset))):
            if a.scale > b.scale:
                return self._aligned(a, b, limit, factor, offset)
            return self._long_division(a, b, limit, factor, offset)
        a, b = (a if inline else self.keep(a, "n")), self.keep(b, "d")
        layer = max(a.layer, b.layer)
        # x approximates a·factor/b + offset in DOUBLE, within a few units in the last place. Where x is
        # further than `margin` from an integer, ⌊x⌋ is the answer; elsewhere (rarely) ⌊x⌋ is corrected
        # exactly with DECIMALs: q·b ≤ A < (q+1)·b for A = a·factor + b·offset. So no DOUBLE ever
        # decides a score on its own, and the exact arithmetic runs only for the few rows that need it.
        scaled = f" * {float(factor)!r}" if factor != 1 else ""
        shifted = f" + {float(offset)!r}" if offset else ""
        x_text = (f"CASE WHEN {b.text} = 0 THEN NULL ELSE CAST({a.text} AS DOUBLE) / CAST({b.text} AS DOUBLE)"
                  f"{scaled}{shifted} END")
        if inline:  # inside the quotient's column (the wide path reads it once)
            x, xlayer = f"({x_text})", layer
        else:
            x, xlayer = self.column(x_text, layer, "x")
        whole = add(mul(a, lit(factor)), mul(b, lit(offset))) if offset else mul(a, lit(factor))
        # g·b stays within |A| + 2b for a guess g within one of A/b, so it fits where A does.
        check(whole.bound + 2 * b.bound, max(whole.scale, b.scale))
        digits = max(1, digits_of(bound))
        if limit > GUESS_LIMIT:
            return self._floor_div_wide(x, xlayer, whole, b, bound, limit, inline)
        margin = float(max(Fraction(limit) + 1, Fraction(1)) * Fraction(1, 2 ** 40))
        exact = _corrected(f"CAST(FLOOR({x}) AS DECIMAL(38,0))", b.text, whole.text)
        if margin < 0.25:
            text = (f"CASE WHEN {x} - FLOOR({x}) > {margin!r} AND {x} - FLOOR({x}) < {1 - margin!r} "
                    f"THEN CAST(FLOOR({x}) AS DECIMAL({digits},0)) ELSE CAST({exact} AS DECIMAL({digits},0)) END")
        else:
            text = f"CAST({exact} AS DECIMAL({digits},0))"
        alias, qlayer = self.column(text, max(xlayer, whole.layer), "q")
        return Dec(alias, bound, 0, a.nonneg, None, qlayer)

    def _floor_div_wide(self, x: str, xlayer: int, whole: Dec, b: Dec, bound: Fraction, limit: Fraction,
                        inline: bool = False) -> Dec:
        """⌊A / b⌋ for quotients a DOUBLE cannot hold to the unit: the guess g is within |A/b|·2^-50 of it, so
        the remainder A − g·b has a quotient small enough to guess within one and correct."""
        if limit > WIDE_LIMIT:
            raise SqlError(f"计算中的商可能超过 10^{digits_of(WIDE_LIMIT) - 1}，SQL 引擎不能精确取整；请用 --engine python。")
        g, glayer = self.column(f"CAST(FLOOR({x}) AS DECIMAL(38,0))", xlayer, "g")
        r, rlayer = self.column(f"{whole.text} - {g} * {b.text}", max(glayer, whole.layer), "r")
        y_text = f"CASE WHEN {b.text} = 0 THEN NULL ELSE CAST({r} AS DOUBLE) / CAST({b.text} AS DOUBLE) END"
        y, ylayer = (f"({y_text})", rlayer) if inline else self.column(y_text, rlayer, "x")
        second = _corrected(f"CAST(FLOOR({y}) AS DECIMAL(38,0))", b.text, r)
        alias, qlayer = self.column(f"CAST({g} + ({second}) AS DECIMAL({max(1, digits_of(bound))},0))", ylayer, "q")
        return Dec(alias, bound, 0, whole.nonneg, None, qlayer)

    def _long_division(self, a: Dec, b: Dec, limit: Fraction, factor: Fraction, offset: Fraction) -> Dec:
        """⌊a·factor / b + offset⌋ where a·factor (factor 10^k) would need more than 38 digits but a does not, as
        by hand: ⌊a/b⌋, then the digits of the remainder r (0 ≤ r < b) a few at a time, each ⌊r·10^j / b⌋
        exact (r·10^j fits where a·10^k does not: r < b), the offset u/v added in the last step as
        ⌊(v·r·10^j + u·b) / (v·b)⌋, so that no decimal is added to b. A product of two ratios of amounts needs it
        (a sum of them is rounded term by term, `sums`)."""
        digits = _exponent(factor)
        if digits is None or not 0 <= offset < 1:
            check(a.bound * factor + b.bound * (offset + 2), max(a.scale + _places(factor), b.scale + _places(offset)))
        a, b = self.keep(a, "n"), self.keep(b, "d")
        result = self.floor_div(a, b, (limit + 1) / factor + 1)
        rest = self.remainder(sub(a, mul(result, b)), b)
        while digits:
            step = _step(rest.bound, max(rest.scale, b.scale), digits, offset)
            if step == 0:
                check(rest.bound * 10 + 2 * b.bound, max(rest.scale, b.scale))  # raises: not even one digit fits
            shifted = mul(rest, lit(10 ** step))
            if step == digits:  # the last digits, and the offset
                u, v = offset.numerator, offset.denominator
                last = self.floor_div(add(mul(shifted, lit(v)), mul(b, lit(u))), mul(b, lit(v)), Fraction(10 ** step + 1))
                result = add(mul(result, lit(10 ** step)), last)
                break
            digit = self.floor_div(shifted, b, Fraction(10 ** step))
            result = add(mul(result, lit(10 ** step)), digit)
            rest = self.remainder(sub(shifted, mul(digit, b)), b)
            digits -= step
        bound = Fraction(math.floor(limit) + 1)
        return self.keep(cast(attrs.evolve(result, bound=min(result.bound, bound)), min(result.bound, bound), 0), "q")

    def _aligned(self, a: Dec, b: Dec, limit: Fraction, factor: Fraction, offset: Fraction) -> Dec:
        """⌊a·factor / b + offset⌋ for an a with more decimals than b (an amount converted to 万元 over one in 元,
        summed with another ratio): comparing a with multiples of b would need a's decimals and b's digits at
        once. b ÷ 10^s (s the decimals a has more) is exact at a's scale and s digits shorter, and
        a/b = (a / (b ÷ 10^s)) · 10^-s; where the factor then falls below 1 (10^-k), ⌊x·10^-k + o⌋ is
        ⌊⌊x + o·10^k⌋ · 10^-k⌋ (o·10^k a whole number), both steps exact."""
        shift = a.scale - b.scale
        lowered = mul(b, lit(Fraction(1, 10 ** shift)))
        factor = factor / 10 ** shift
        if factor >= 1:
            return self.floor_div(a, lowered, limit, factor, offset)
        k = _exponent(1 / factor)
        if k is None or (offset * 10 ** k).denominator != 1:
            check(a.bound * factor + b.bound * (offset + 2), max(a.scale, b.scale + _places(offset)))
        inner = self.floor_div(add(a, mul(lowered, lit(offset * 10 ** k))), lowered, (limit + 1) * 10 ** k)
        return self.floor_div(inner, None, limit, factor)

    def remainder(self, value: Dec, b: Dec) -> Dec:
        """A remainder r = x − ⌊x/b⌋·b as a column: 0 ≤ r < b."""
        return self.keep(attrs.evolve(value, bound=b.bound, nonneg=True), "r")

    def round_half_up(self, q: Q, places: int, limit: Fraction) -> Dec:
        """q rounded half up (halves away from zero) to `places` decimals, exactly; |q| ≤ limit."""
        if q.const is not None:
            return lit(half_up(q.const, places))
        if q.den is None and q.num.scale <= places:
            return q.num
        # ⌊|n|/d · 10^p + 1/2⌋
        whole = self.floor_div(absolute(q.num), q.den, limit * 10 ** places + 1, Fraction(10) ** places,
                               Fraction(1, 2))
        if not q.num.nonneg:
            whole = case([(cmp(q.num, "<", ZERO), neg(whole))], whole)
        value = mul(whole, lit(Fraction(1, 10 ** places)))
        return self.keep(cast(value, value.bound, places), "s")

    def number_text(self, q: Q | Sum, percent: bool, unit: str | None, places: int | None = None) -> Text:
        """q as a sentence shows it (`idsl.semantics.reasons.quantity_text`): a percentage half up to 2
        decimals, else half up to 4 decimals and the unit (or to `places`), without trailing zeros. Written
        inline, with no column of its own: a message is computed only for the rows that fail (a sum is rounded
        term by term, in columns, where one fraction would pass 38 digits)."""
        places = (2 if percent else 4) if places is None else places
        limit = q.bound() * Fraction(10) ** places * (100 if percent else 1) + 1
        check(limit, places)
        if isinstance(q, Sum):
            try:
                digits = digits_of(limit) + places
                shown = round_sum(self, q.plain(), places + (2 if percent else 0), "half_up")  # a percentage's fraction
                value = f"CAST({mul(shown, lit(100)).text if percent else shown.text} AS DECIMAL({digits},{places}))"
                return _trimmed(value, percent, unit, shown.layer)
            except SqlError:
                q = q_single(q)
        shown = self.shown_number(q, percent, places)
        return _trimmed(shown.text, percent, unit, shown.layer)

    def shown_number(self, q: Q, percent: bool, places: int) -> Dec:
        """q (a percentage: its percent figure) rounded half up to `places` decimals, inline."""
        factor = Fraction(10) ** places * (100 if percent else 1)
        limit = q.bound() * factor + 1
        digits = digits_of(limit) + places
        check(limit, places)
        magnitude = absolute(q.num)
        if q.den is None:
            whole = f"FLOOR({add(mul(magnitude, lit(factor)), lit(Fraction(1, 2))).text})"
        else:  # ⌊|n|·factor/d + 1/2⌋, exactly
            whole = _floor_text(magnitude, q.den, factor, limit)
        signed = whole if q.num.nonneg else f"CASE WHEN {q.num.text} < 0 THEN -({whole}) ELSE {whole} END"
        value = f"CAST(CAST({signed} AS DECIMAL(38,0)) * {lit(Fraction(1, 10 ** places)).text} AS DECIMAL({digits},{places}))"
        return Dec(value, limit / 10 ** places, places, q.nonneg, None, q.layer)

    # -- the source

    def source(self) -> None:
        """Layer 0: the unit table's columns, each cast to its tight type."""
        layer0 = self.layers[0]
        layer0.append(("unit_id", quote(UNIT)))
        for c in self.carry:
            layer0.append((c, quote(c)))
        for column in self.columns:
            if column.kind == "unit":
                continue
            alias = self.name("i")
            if column.numeric:
                bound, scale = column_bounds(column)
                layer0.append((alias, f"CAST({quote(column.header)} AS DECIMAL({max(1, digits_of(bound) + scale)},{scale}))"))
                self.inputs[column.header] = Dec(alias, bound, scale, column_nonneg(column), None, 0)
                if column.decl is not None and column.decl.blank_zero:
                    self.blank_zero.add(column.header)
            else:
                layer0.append((alias, quote(column.header)))
                self.inputs[column.header] = Text(alias, 0)

    def input(self, key: str, field: str) -> Dec | Text:
        """A source column by indicator path and field."""
        found = self.inputs.get(header(key, field))
        if found is None:
            raise SqlError(f"表里没有“{header(key, field)}”这一列。")
        return found

    def field(self, node: ir.Field) -> Dec | Text:
        """The source column a field is read from: a DECIMAL for a number, text for a yes/no or a label."""
        column = self.input(node.owner, node.name)
        if (node.kind == "number") != isinstance(column, Dec):
            raise SqlError(f"“{header(node.owner, node.name)}”这一列应是{'数' if node.kind == 'number' else '文字'}。")
        if isinstance(column, Dec) and header(node.owner, node.name) in self.blank_zero:
            # read as 0 where blank; the cell itself stays NULL, so a blank still chooses no 择一 alternative
            zero = f"CAST(0 AS DECIMAL({max(1, column.digits + column.scale)},{column.scale}))"
            return attrs.evolve(column, text=f"COALESCE({column.text}, {zero})")
        return column

    def yes(self, value: Dec | Text) -> Cond:
        """A yes/no column read as a condition (the readers write 是 or 否)."""
        if not isinstance(value, Text):
            raise SqlError("“是否”输入的列应是文字（是/否）。")
        return Cond(f"{value.text} = {string(YES)}", None, value.layer)

    # -- the query text

    def emit(self, out: list[tuple[str, str]]) -> str:
        """The query: the layers as CTEs s0, s1 …, then the output columns. Each layer passes on only the
        columns read after it (a wide `SELECT s.*` chain costs the planner more than the rows cost to score)."""
        lines = [f"-- idsl: {self.plan.title}", f"-- fingerprint {self.plan.fingerprint}",
                 "-- Scores every row of the unit table exactly; see idsl/engines/sql/ for the arithmetic.", "WITH"]
        after = [set() for _ in self.layers]  # after[n]: the columns read by layers above n and the output
        needed = _names(" ".join(text for _name, text in out)) | {"unit_id", *self.carry}
        for number in range(len(self.layers) - 1, -1, -1):
            after[number] = set(needed)
            needed |= set().union(*(_names(text) for alias, text in self.layers[number] if alias in needed))
        ctes, passed = [], []
        for number, layer in enumerate(self.layers):
            body = [f"    {text} AS {alias}" for alias, text in layer if alias in after[number]]
            carried = [alias for alias in passed if alias in after[number]]
            source = self.table if number == 0 else f"s{number - 1} AS cur"  # cur: named by correlated subqueries
            columns = ([f"    {', '.join(carried)}"] if carried else []) + body
            ctes.append(f"s{number} AS (\n  SELECT\n" + ",\n".join(columns) + f"\n  FROM {source}\n)")
            passed = carried + [alias for alias, _text in layer if alias in after[number]]
        lines.append(",\n".join(ctes))
        select = ",\n".join(f"  {text} AS {quote(name)}" for name, text in out)
        lines.append(f"SELECT\n{select}\nFROM s{len(self.layers) - 1}")
        return "\n".join(lines) + "\n"


_ALIAS = re.compile(r"\b[a-z_]+[0-9]*\b")


def _names(text: str) -> set[str]:
    """The column aliases (and other lowercase words) a fragment mentions."""
    return set(_ALIAS.findall(text))


def _floor_text(a: Dec, b: Dec, factor: Fraction, limit: Fraction) -> str:
    """⌊a·factor/b + 1/2⌋ inline (b > 0): a DOUBLE guess corrected exactly, in two steps for wide quotients."""
    scaled = add(mul(a, lit(factor)), mul(b, lit(Fraction(1, 2))))
    check(scaled.bound + 2 * b.bound, max(scaled.scale, b.scale))  # the guess g·b and (g+1)·b, as in floor_div
    whole = scaled.text
    x = f"CAST({a.text} AS DOUBLE) / CAST(NULLIF({b.text}, 0) AS DOUBLE) * {float(factor)!r} + 0.5"
    guess = f"CAST(FLOOR({x}) AS DECIMAL(38,0))"
    if limit <= GUESS_LIMIT:
        return _corrected(guess, b.text, whole)
    if limit > WIDE_LIMIT:
        raise SqlError(f"计算中的商可能超过 10^{digits_of(WIDE_LIMIT) - 1}，SQL 引擎不能精确取整；请用 --engine python。")
    rest = f"({whole} - {guess} * {b.text})"
    second = f"CAST(FLOOR(CAST({rest} AS DOUBLE) / CAST(NULLIF({b.text}, 0) AS DOUBLE)) AS DECIMAL(38,0))"
    return f"{guess} + ({_corrected(second, b.text, rest)})"


def _trimmed(value: str, percent: bool, unit: str | None, layer: int) -> Text:
    """A DECIMAL written without trailing zeros, then % or the unit."""
    trimmed = f"TRIM(TRAILING '.' FROM TRIM(TRAILING '0' FROM CAST({value} AS VARCHAR)))"
    suffix = "%" if percent else (unit or "")
    return Text(f"{trimmed} || {string(suffix)}" if suffix else trimmed, layer)


def _room(bound: Fraction, scale: int) -> bool:
    """Whether |values| ≤ bound with `scale` decimals fit a DECIMAL(38)."""
    return digits_of(bound) + scale <= MAX_PRECISION


def _places(value: Fraction) -> int:
    """The decimals a finite decimal adds to a product (0 for a whole number)."""
    return scale_of(value) or 0


def _exponent(factor: Fraction) -> int | None:
    """k where factor = 10^k (k ≥ 1), else None."""
    k = len(str(factor.numerator)) - 1
    return k if k >= 1 and factor == 10 ** k else None


def _step(rest: Fraction, scale: int, digits: int, offset: Fraction) -> int:
    """How many digits of the remainder's quotient one exact step can give (`digits` at most, the offset
    taken in the step that gives the last ones); 0 when not even one fits."""
    for step in range(digits, 0, -1):
        if step == digits:
            v = offset.denominator
            wanted = rest * (v * 10 ** step + offset.numerator + 2 * v)
        else:
            wanted = rest * (10 ** step + 2)
        if _room(wanted, scale):
            return step
    return 0


def _corrected(guess: str, b: str, whole: str) -> str:
    """The guess g of ⌊A / b⌋ moved by one where q·b ≤ A < (q+1)·b says it is off (b > 0)."""
    return (f"{guess} - CASE WHEN {guess} * {b} > {whole} THEN 1 ELSE 0 END"
            f" + CASE WHEN ({guess} + 1) * {b} <= {whole} THEN 1 ELSE 0 END")


__all__ = ["Compiler", "YES"]
