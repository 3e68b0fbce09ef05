"""Compile a checked Plan to ONE standard SQL query that scores every row of a unit table.

The query reads a table with one row per unit and one column per input (the layout of
`idsl.io.columns`: numbers typed DECIMAL(38,10), yes/no and choices VARCHAR) and yields, per
unit, every leaf's score, each level-1 subtotal, each penalty/bonus block, the total, the grade
and the problems (`错误`) that stopped a unit from being scored (a zero denominator, a value
outside every band). Its semantics are the interpreter's (`idsl.engines.python`), exactly:

* **No DOUBLE arithmetic.** Every quantity is kept as a fraction num/den of two DECIMALs with
  a positive denominator, so `a / b ≥ 80%` is compared as `a ≥ 0.8 × b`; nothing is divided
  until a score is rounded. Each DECIMAL's digits and scale are tracked at compile time and
  written as explicit casts (engines silently cut the scale of a CASE whose branches differ).
* **Half-up rounding of a fraction** needs the integer q = ⌊A / B⌋. Standard SQL has no exact
  decimal division that every engine agrees on, so q is *guessed* as
  CAST(FLOOR(CAST(A AS DOUBLE) / CAST(B AS DOUBLE)) AS DECIMAL(38,0)) and then *corrected*
  exactly with DECIMAL comparisons (q·B ≤ A < (q+1)·B). The guess is within one of q for
  every quotient below 10^14 (scores, counts of steps — all clamped first), so the result is
  exact; a DOUBLE never reaches a comparison or a result.
* **Standard constructs only**: CASE, COALESCE, ABS, FLOOR, CAST, arithmetic, `||`, common
  table expressions and `SELECT t.*, …`. No UDFs and no engine-specific functions, so Trino
  and Spark SQL (with ANSI identifiers) run it as DuckDB does.

Values must fit the batch limits (`value_limits`: at most `MAX_DECIMALS` decimals as written —
a rate as its percent figure — and fewer than `MAX_DIGITS` digits before the point, 9 for counts):
the input-validation step of `idsl.engines.batch` rejects a row that does not, so the query never overflows.

>>> from idsl.frontend.parse import parse
>>> from idsl.semantics.lower import lower
>>> from idsl.frontend.source import Source
>>> text = '体系 "例" 总分 2\\n决策（2）\\n  目标设定（2）\\n    要素 每项 1 分\\n      - 甲\\n      - 乙\\n'
>>> query = compile_sql(lower(parse(Source("t.idsl", text))[0]))
>>> import duckdb
>>> con = duckdb.connect()
>>> _ = con.execute('CREATE TABLE units ("单位" VARCHAR, "决策/目标设定.要素1" VARCHAR, "决策/目标设定.要素2" VARCHAR)')
>>> _ = con.execute("INSERT INTO units VALUES ('甲局', '是', '否')")
>>> con.execute(query).fetchall()
[('甲局', Decimal('1.00'), Decimal('1.00'), Decimal('1.00'), None, None)]
"""

from __future__ import annotations

import math
from decimal import Decimal
from fractions import Fraction
from typing import Any, Iterable, Sequence

import attrs

from idsl.frontend import ast
from idsl.io.columns import GRADE, RECORDED, SHARED, TOTAL, UNIT, Column, header, unit_columns
from idsl.semantics.model import LeafPlan, Node, Plan
from idsl.semantics.numbers import decimal_text
from idsl.semantics.conditions import band_ends, name_of
from idsl.semantics.units import conversion_factor, convertible, expression_unit
from idsl.semantics.units import unit as unit_info

MAX_DECIMALS = 4  # a number in a batch cell has at most 4 decimals (a rate: its percent figure)
MAX_DIGITS = 12  # and fewer than 12 digits before the point (counts, findings and tallies: 9)
COUNT_DIGITS = 9
LIMIT = Fraction(10) ** MAX_DIGITS
COUNT_LIMIT = Fraction(10) ** COUNT_DIGITS
MAX_PRECISION = 38  # the widest DECIMAL every engine supports
ERRORS = "错误"  # the output column listing what stopped a unit being scored
DIFF = "差异"  # audit columns: <key>.差异 = recorded − computed

TOTAL_NAMES = ("总分", "total", "合计", "得分", "评价得分")  # what a grade condition calls the total (as idsl.engines.python)
_YES = "是"
_NO = "否"


class SqlError(Exception):
    """A spec the SQL engine cannot score exactly (a construct it lacks, or numbers too wide)."""

    def __init__(self, message: str, path: str | None = None):
        super().__init__(f"{path}: {message}" if path else message)
        self.message = message
        self.path = path


# ---------------------------------------------------------------- typed SQL fragments


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
        return _digits_of(self.bound)


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
class Q:
    """An exact quantity num / den (den None means 1; den > 0), and the error evaluating it may raise."""

    num: Dec
    den: Dec | None = None
    err: Err | None = None

    @property
    def const(self) -> Fraction | None:
        if self.num.const is None:
            return None
        if self.den is None:
            return self.num.const
        return None if self.den.const is None else self.num.const / self.den.const

    @property
    def layer(self) -> int:
        return max(self.num.layer, self.den.layer if self.den else 0, self.err.layer if self.err else 0)

    @property
    def nonneg(self) -> bool:
        return self.num.nonneg


@attrs.frozen
class Text:
    """A VARCHAR value (a choice's label)."""

    text: str
    layer: int = 0


def _digits_of(value: Fraction) -> int:
    """Digits before the point of the integer part of |value|.

    >>> _digits_of(Fraction(999, 10)), _digits_of(Fraction(1, 2)), _digits_of(Fraction(10**12))
    (2, 0, 13)
    """
    whole = abs(value.numerator) // value.denominator
    return len(str(whole)) if whole else 0


def _scale_of(value: Fraction) -> int | None:
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


def _check(bound: Fraction, scale: int, what: str = "") -> None:
    digits = _digits_of(bound)
    if digits + scale > MAX_PRECISION or scale > MAX_PRECISION:
        raise SqlError(f"计算{what}需要超过 {MAX_PRECISION} 位的精确小数（{digits} 位整数、{scale} 位小数），"
                       "SQL 引擎不能精确计算；请用 --engine python。")


def lit(value: Fraction | Decimal | int) -> Dec:
    """A literal DECIMAL (a finite decimal)."""
    value = Fraction(value)
    scale = _scale_of(value)
    assert scale is not None, value
    digits = _digits_of(value)
    text = decimal_text(value)
    if text.startswith("-"):
        text = f"({text})"
    return Dec(f"CAST({text} AS DECIMAL({max(1, digits + scale)},{scale}))", abs(value), scale, value >= 0, value)


ZERO = lit(0)
ONE = lit(1)


def cast(x: Dec, bound: Fraction, scale: int) -> Dec:
    """x written as a DECIMAL holding |values| ≤ bound with `scale` decimals (≥ x.scale: nothing is lost)."""
    assert scale >= x.scale and bound >= x.bound
    digits = _digits_of(bound)
    inner = x.text
    if x.const is not None:
        inner = decimal_text(x.const)
        inner = f"({inner})" if inner.startswith("-") else inner
    return Dec(f"CAST({inner} AS DECIMAL({max(1, digits + scale)},{scale}))", bound, scale, x.nonneg, x.const, x.layer)


def unify(values: Sequence[Dec]) -> list[Dec]:
    """The values cast to one type wide enough for all of them (for CASE branches: engines pick a
    common type that may cut the scale, so every branch is cast explicitly)."""
    bound = max(v.bound for v in values)
    scale = max(v.scale for v in values)
    _check(bound, scale)
    return [cast(v, bound, scale) for v in values]


def add(a: Dec, b: Dec) -> Dec:
    if a.const is not None and b.const is not None:
        return lit(a.const + b.const)
    if a.const == 0:
        return b
    if b.const == 0:
        return a
    bound, scale = a.bound + b.bound, max(a.scale, b.scale)
    _check(bound, scale)
    return Dec(f"({a.text} + {b.text})", bound, scale, a.nonneg and b.nonneg, None, max(a.layer, b.layer))


def sub(a: Dec, b: Dec) -> Dec:
    if a.const is not None and b.const is not None:
        return lit(a.const - b.const)
    if b.const == 0:
        return a
    bound, scale = a.bound + b.bound, max(a.scale, b.scale)
    _check(bound, scale)
    return Dec(f"({a.text} - {b.text})", bound, scale, False, None, max(a.layer, b.layer))


def mul(a: Dec, b: Dec) -> Dec:
    if a.const is not None and b.const is not None:
        return lit(a.const * b.const)
    if a.const == 1:
        return b
    if b.const == 1:
        return a
    if a.const == 0 or b.const == 0:
        return ZERO
    if a.const == -1:
        return neg(b)
    if b.const == -1:
        return neg(a)
    bound, scale = a.bound * b.bound, a.scale + b.scale
    _check(bound, scale)
    left = a.text
    if _digits_of(bound) + scale > 18:
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
    kept: list[tuple[Cond, Dec]] = []
    for cond, value in branches:
        if cond.const is False:
            continue
        if cond.const is True:
            otherwise = value
            break
        kept.append((cond, value))
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


def cmp(a: Dec, op: str, b: Dec) -> Cond:
    if a.const is not None and b.const is not None:
        return Cond("TRUE" if _py_compare(a.const, op, b.const) else "FALSE", _py_compare(a.const, op, b.const))
    sql_op = {"=": "=", "!=": "<>", "<": "<", "<=": "<=", ">": ">", ">=": ">="}[op]
    return Cond(f"{a.text} {sql_op} {b.text}", None, max(a.layer, b.layer))


def _py_compare(a: Any, op: str, b: Any) -> bool:
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
    return Cond(f"(NOT {cond.text})", None, cond.layer)


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
        return Err(_string(message))
    return Err(f"CASE WHEN {cond.text} THEN {_string(message)} END", cond.layer)


def err_case(steps: Sequence[tuple[Err | None, Cond | None, Err | None]], otherwise: Err | None) -> Err | None:
    """Errors of a decision list: each step's condition is evaluated (raising its own error) and, when
    it holds, the step's value is evaluated (raising that error); otherwise evaluation goes on."""
    whens: list[str] = []
    layer = 0
    for cond_err, cond, value_err in steps:
        if cond_err is not None:
            whens.append(f"WHEN {cond_err.text} IS NOT NULL THEN {cond_err.text}")
            layer = max(layer, cond_err.layer)
        if cond is None:
            continue
        if cond.const is False:
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


def _string(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def quote(name: str) -> str:
    """A delimited identifier: "决策/预算配置/重点支出安排率.重点项目支出"."""
    return '"' + name.replace('"', '""') + '"'


# ---------------------------------------------------------------- rational arithmetic


def q_lit(value: Fraction | Decimal | int) -> Q:
    value = Fraction(value)
    if _scale_of(value) is not None:
        return Q(lit(value))
    return Q(lit(value.numerator), lit(value.denominator))


def _den(q: Q) -> Dec:
    return q.den if q.den is not None else ONE


def _same(a: Dec | None, b: Dec | None) -> bool:
    return (a is None and b is None) or (a is not None and b is not None and a.text == b.text)


def q_add(a: Q, b: Q, subtract: bool = False) -> Q:
    op = sub if subtract else add
    err = err_seq(a.err, b.err)
    if a.const is not None and b.const is not None:
        return attrs.evolve(q_lit(a.const - b.const if subtract else a.const + b.const), err=err)
    if _same(a.den, b.den):
        return Q(op(a.num, b.num), a.den, err)
    if b.den is not None and b.den.const is not None and a.den is None:
        return Q(op(mul(a.num, b.den), b.num), b.den, err)
    return Q(op(mul(a.num, _den(b)), mul(b.num, _den(a))), mul(_den(a), _den(b)), err)


def q_mul(a: Q, b: Q) -> Q:
    err = err_seq(a.err, b.err)
    if a.const is not None and b.const is not None:
        return attrs.evolve(q_lit(a.const * b.const), err=err)
    for x, y in ((a, b), (b, a)):
        if x.const is not None and _scale_of(x.const) is None and y.den is None:
            return Q(mul(y.num, lit(x.const.numerator)), lit(x.const.denominator), err)
    den = None
    if a.den is not None or b.den is not None:
        den = mul(_den(a), _den(b))
    return _simplify(Q(mul(a.num, b.num), den, err))


def _simplify(q: Q) -> Q:
    if q.den is not None and q.den.const == 1:
        return Q(q.num, None, q.err)
    return q


def q_neg(a: Q) -> Q:
    return Q(neg(a.num), a.den, a.err)


def q_abs(a: Q) -> Q:
    return Q(absolute(a.num), a.den, a.err)


def q_div(a: Q, b: Q, zero_message: str) -> Q:
    """a / b, raising `zero_message` when b is 0 (as the interpreter does, after evaluating both)."""
    err = err_seq(a.err, b.err)
    bc = b.const
    if bc is not None:
        if bc == 0:
            return Q(a.num, a.den, err_seq(err, Err(_string(zero_message))))
        inverse = 1 / bc
        return attrs.evolve(q_mul(Q(a.num, a.den), q_lit(inverse)), err=err)
    zero = cmp(b.num, "=", ZERO)
    err = err_seq(err, err_when(zero, zero_message))
    num = mul(a.num, _den(b))
    den = mul(_den(a), b.num)
    if not b.num.nonneg:
        negative = cmp(b.num, "<", ZERO)
        num = case([(negative, neg(num))], num)
        den = mul(_den(a), absolute(b.num))
    return _simplify(Q(num, den, err))


def q_cmp(a: Q, op: str, b: Q) -> Cond:
    if a.const is not None and b.const is not None:
        return TRUE if _py_compare(a.const, op, b.const) else FALSE
    if _same(a.den, b.den):
        return cmp(a.num, op, b.num)
    return cmp(mul(a.num, _den(b)), op, mul(b.num, _den(a)))


def q_case(branches: Sequence[tuple[Cond, Q]], otherwise: Q) -> Q:
    """Choose between quantities (the errors are the caller's business)."""
    live = [(c, v) for c, v in branches if c.const is not False]
    for index, (c, v) in enumerate(live):
        if c.const is True:
            live, otherwise = live[:index], v
            break
    if not live:
        return Q(otherwise.num, otherwise.den)
    num = case([(c, v.num) for c, v in live], otherwise.num)
    if all(_same(v.den, otherwise.den) for _, v in live):
        den = otherwise.den
    else:
        den = case([(c, _den(v)) for c, v in live], _den(otherwise))
    return _simplify(Q(num, den))


def q_min(values: Sequence[Q], largest: bool = False) -> Q:
    err = err_seq(*(v.err for v in values))
    best = values[0]
    for other in values[1:]:
        if best.const is not None and other.const is not None:
            best = other if (other.const > best.const if largest else other.const < best.const) else best
            continue
        better = q_cmp(other, ">" if largest else "<", best)
        best = q_case([(better, other)], best)
    return attrs.evolve(best, err=err)


def q_clamp(a: Q, low: Fraction | None, high: Fraction | None) -> Q:
    """min(max(a, low), high), keeping a's denominator (so sums over one denominator stay small)."""
    branches = []
    if low is not None and not (a.nonneg and low <= 0) and not (a.den is None and -a.num.bound >= low):
        branches.append((q_cmp(a, "<", q_lit(low)), low))
    if high is not None and not (a.den is None and a.num.bound <= high):
        branches.append((q_cmp(a, ">", q_lit(high)), high))
    branches = [(c, v) for c, v in branches if c.const is not False]
    if not branches:
        return a
    if all(_scale_of(v) is not None for _, v in branches):
        values = [(c, lit(v) if a.den is None else mul(lit(v), a.den)) for c, v in branches]
        num = case(values, a.num)
        if low is not None and low >= 0:
            num = attrs.evolve(num, nonneg=True)
        if low is not None and high is not None:  # now |num| ≤ max(|low|, |high|) · den
            tight = max(abs(low), abs(high)) * (a.den.bound if a.den is not None else 1)
            num = attrs.evolve(num, bound=min(num.bound, tight))
        return Q(num, a.den, a.err)
    return attrs.evolve(q_case([(c, q_lit(v)) for c, v in branches], a), err=a.err)


@attrs.frozen
class Branch:
    """Which of several conditions held first (1, 2 …; 0: none): a column, or a constant."""

    text: str
    layer: int = 0
    const: bool = False  # known at compile time (text is the number)

    def is_(self, number: int) -> Cond:
        if self.const:
            return TRUE if int(self.text) == number else FALSE
        return Cond(f"{self.text} = {number}", None, self.layer)


def q_select(index: Branch, values: Sequence[Q], otherwise: Q) -> Q:
    """values[i-1] where the branch is i, `otherwise` where it is 0 (errors are the caller's)."""
    return q_case([(index.is_(number), value) for number, value in enumerate(values, start=1)], otherwise)


def _err_select(index: Branch, errors: Sequence[Err | None], otherwise: Err | None) -> Err | None:
    whens = [(number, e) for number, e in enumerate(errors, start=1) if e is not None]
    if index.const:
        number = int(index.text)
        return errors[number - 1] if number else otherwise
    if not whens and otherwise is None:
        return None
    parts = " ".join(f"WHEN {index.text} = {number} THEN {e.text}" for number, e in whens)
    if otherwise is not None:
        parts += f" WHEN {index.text} = 0 THEN {otherwise.text}"
    layer = max([index.layer] + [e.layer for _n, e in whens] + ([otherwise.layer] if otherwise else []))
    return Err(f"CASE {parts} END", layer)


# ---------------------------------------------------------------- the compiler


class Compiler:
    """Builds the query: columns are scheduled into layers of common table expressions."""

    def __init__(self, plan: Plan, table: str = "units", columns: Sequence[Column] | None = None,
                 carry: Sequence[str] = (), audit: Sequence[str] = ()):
        self.plan = plan
        self.table = table
        self.columns = list(columns) if columns is not None else unit_columns(plan)
        self.by_header = {c.header: c for c in self.columns}
        self.carry = tuple(carry)
        self.audit = tuple(audit)
        self.layers: list[list[tuple[str, str]]] = [[]]  # layer → (alias, expression)
        self.count = 0
        self.inputs: dict[str, Any] = {}  # header → Dec/Cond/Text/Column of the source
        self.outputs: list[tuple[str, str]] = []  # (output name, expression)

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
        """x as a column of its own (so the text is not repeated)."""
        if x.const is not None or _is_alias(x.text):
            return x
        alias, layer = self.column(x.text, x.layer, prefix)
        return attrs.evolve(x, text=alias, layer=layer)

    def keep_cond(self, c: Cond) -> Cond:
        if c.const is not None or _is_alias(c.text):
            return c
        alias, layer = self.column(c.text, c.layer, "b")
        return Cond(alias, None, layer)

    def keep_err(self, e: Err | None) -> Err | None:
        if e is None or _is_alias(e.text):
            return e
        alias, layer = self.column(e.text, e.layer, "e")
        return Err(alias, layer)

    def keep_q(self, q: Q) -> Q:
        return Q(self.keep(q.num, "n"), self.keep(q.den, "d") if q.den is not None else None, self.keep_err(q.err))

    def branch(self, conds: Sequence[Cond]) -> "Branch":
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

    def floor_div(self, a: Dec, b: Dec | None, limit: Fraction, factor: Fraction = Fraction(1),
                  offset: Fraction = Fraction(0)) -> Dec:
        """⌊a·factor / b + offset⌋ exactly (b > 0; b None means 1; factor and offset finite decimals),
        for results with |a·factor / b + offset| ≤ limit."""
        bound = Fraction(math.floor(limit) + 1)
        if b is None:
            value = add(mul(a, lit(factor)), lit(offset))
            if value.scale == 0:
                return value
            return self.keep(cast(Dec(f"FLOOR({value.text})", bound, 0, value.nonneg, None, value.layer), bound, 0), "f")
        if b.const is not None and a.const is not None:
            return lit(math.floor(a.const * factor / b.const + offset))
        a, b = self.keep(a, "n"), self.keep(b, "d")
        layer = max(a.layer, b.layer)
        # x approximates a·factor/b + offset in DOUBLE, within a few units in the last place. Where x is
        # further than `margin` from an integer, ⌊x⌋ is the answer; elsewhere (rarely) ⌊x⌋ is corrected
        # exactly with DECIMALs: q·b ≤ A < (q+1)·b for A = a·factor + b·offset. So no DOUBLE ever
        # decides a score on its own, and the exact arithmetic runs only for the few rows that need it.
        scaled = f" * {float(factor)!r}" if factor != 1 else ""
        shifted = f" + {float(offset)!r}" if offset else ""
        x_text = (f"CASE WHEN {b.text} = 0 THEN NULL ELSE CAST({a.text} AS DOUBLE) / CAST({b.text} AS DOUBLE)"
                  f"{scaled}{shifted} END")
        x, xlayer = self.column(x_text, layer, "x")
        margin = float(max(Fraction(limit) + 1, Fraction(1)) * Fraction(1, 2 ** 40))
        whole = add(mul(a, lit(factor)), mul(b, lit(offset))) if offset else mul(a, lit(factor))
        g = f"CAST(FLOOR({x}) AS DECIMAL(38,0))"
        _check(add(Dec("g", bound + 1, 0), ONE).bound * b.bound, b.scale)
        exact = (f"{g} - CASE WHEN {g} * {b.text} > {whole.text} THEN 1 ELSE 0 END"
                 f" + CASE WHEN ({g} + 1) * {b.text} <= {whole.text} THEN 1 ELSE 0 END")
        digits = max(1, _digits_of(bound))
        if margin < 0.25:
            text = (f"CASE WHEN {x} - FLOOR({x}) > {margin!r} AND {x} - FLOOR({x}) < {1 - margin!r} "
                    f"THEN CAST(FLOOR({x}) AS DECIMAL({digits},0)) ELSE CAST({exact} AS DECIMAL({digits},0)) END")
        else:
            text = f"CAST({exact} AS DECIMAL({digits},0))"
        alias, qlayer = self.column(text, max(xlayer, whole.layer), "q")
        return Dec(alias, bound, 0, a.nonneg, None, qlayer)

    def round_half_up(self, q: Q, places: int, limit: Fraction) -> Dec:
        """q rounded half up (halves away from zero) to `places` decimals, exactly; |q| ≤ limit."""
        if q.const is not None:
            from idsl.semantics.numbers import half_up

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
                bound, scale = _column_bounds(column)
                digits = _digits_of(bound)
                layer0.append((alias, f"CAST({quote(column.header)} AS DECIMAL({max(1, digits + scale)},{scale}))"))
                nonneg = _column_nonneg(column)
                self.inputs[column.header] = Dec(alias, bound, scale, nonneg, None, 0)
            else:
                layer0.append((alias, quote(column.header)))
                self.inputs[column.header] = Text(alias, 0)

    def input(self, key: str, field: str) -> Any:
        found = self.inputs.get(header(key, field))
        if found is None:
            raise SqlError(f"表里没有“{header(key, field)}”这一列。")
        return found

    # -- the whole query

    def build(self) -> str:
        self.source()
        scores: dict[tuple[str, ...], _NodeScore] = {}
        leaf_errors: list[tuple[str, Err]] = []
        for node in self.plan.nodes:
            self._node(node, scores, leaf_errors)
        item_scores: list[tuple[Node, _NodeScore]] = []
        blocks: list[tuple[str, str, Dec, Fraction | None]] = []
        for block in self.plan.adjustments:
            total = ZERO
            for item in block.items:
                score = self._leaf(item, leaf_errors, item=True)
                item_scores.append((item, score))
                total = add(total, score.value_or_zero())
            cap = Fraction(block.cap) if block.cap is not None else None
            if cap is not None:
                total = case([(cmp(total, ">", lit(cap)), lit(cap))], total)
            total = self.keep(total, "k")
            blocks.append((block.kind, block.name, total, cap))
        top = [scores[node.path] for node in self.plan.nodes]
        subtotal = self._combine(top, Fraction(self.plan.total))
        total = subtotal.value
        bonus_room = Fraction(0)
        for kind, _name, block_total, cap in blocks:
            if kind == "bonus":
                total = add(total, block_total)
                block = next(b for b in self.plan.adjustments if b.name == _name)
                bonus_room += cap if cap is not None else sum((Fraction(i.points) for i in block.items), Fraction(0))
            else:
                total = sub(total, block_total)
        high = Fraction(self.plan.total) + bonus_room
        total = case([(cmp(total, "<", ZERO), ZERO), (cmp(total, ">", lit(high)), lit(high))], total)
        total = self.keep(total, "t")
        grade = self._grade(Q(total))
        errors = self._errors(leaf_errors)
        failed = Cond(f"{errors} IS NOT NULL", None, 0) if errors != "NULL" else FALSE

        # the output
        places = self.plan.places
        out = [(UNIT, "unit_id")] + [(c, c) for c in self.carry]
        for node in self.plan.leaves():
            out.append((node.key, scores[node.path].output(failed, places=places)))
        for item, score in item_scores:
            out.append((item.key, score.output(failed, places=places)))
        for node in self.plan.nodes:
            out.append((node.key, scores[node.path].output(failed, whole_row=True, places=places)))
        for _kind, name, block_total, _cap in blocks:
            out.append((name, _null_if(failed, f"CAST({block_total.text} AS DECIMAL(18,{places}))")))
        applicable = subtotal.applicable
        total_text = f"CAST({total.text} AS DECIMAL(18,{places}))"
        if applicable is not None:
            total_text = f"CASE WHEN {applicable.text} THEN {total_text} END"
        out.append((TOTAL, _null_if(failed, total_text)))
        grade_text = grade if applicable is None else f"CASE WHEN {applicable.text} THEN {grade} END"
        out.append((GRADE, _null_if(failed, grade_text)))
        out.append((ERRORS, errors))
        out.extend(self._audit(scores, item_scores, blocks, total_text, grade_text, failed))
        return self._emit(out)

    def _emit(self, out: list[tuple[str, str]]) -> str:
        lines = [f"-- idsl: {self.plan.title}", f"-- fingerprint {self.plan.fingerprint}",
                 "-- Scores every row of the unit table exactly; see idsl/sql.py for the arithmetic.", "WITH"]
        ctes = []
        first = ",\n".join(f"    {text} AS {alias}" for alias, text in self.layers[0])
        ctes.append(f"s0 AS (\n  SELECT\n{first}\n  FROM {self.table}\n)")
        for number in range(1, len(self.layers)):
            body = ",\n".join(f"    {text} AS {alias}" for alias, text in self.layers[number])
            if body:
                ctes.append(f"s{number} AS (\n  SELECT s{number - 1}.*,\n{body}\n  FROM s{number - 1}\n)")
            else:
                ctes.append(f"s{number} AS (\n  SELECT * FROM s{number - 1}\n)")
        lines.append(",\n".join(ctes))
        select = ",\n".join(f"  {text} AS {quote(name)}" for name, text in out)
        lines.append(f"SELECT\n{select}\nFROM s{len(self.layers) - 1}")
        return "\n".join(lines) + "\n"

    # -- the tree

    def _node(self, node: Node, scores: dict, leaf_errors: list) -> "_NodeScore":
        if node.leaf is not None:
            score = self._leaf(node, leaf_errors)
        else:
            children = [self._node(child, scores, leaf_errors) for child in node.children]
            score = self._combine(children, Fraction(node.points))
        scores[node.path] = score
        return score

    def _combine(self, children: list["_NodeScore"], points: Fraction) -> "_NodeScore":
        """The parent's score: the sum of its children's, rescaled when some are 不适用 剔除."""
        if all(c.applicable is None for c in children):
            total = ZERO
            for c in children:
                total = add(total, c.value)
            return _NodeScore(self.keep(total, "p"), None, points)
        total = ZERO
        applicable_points = ZERO
        for c in children:
            if c.applicable is None:
                total = add(total, c.value)
                applicable_points = add(applicable_points, lit(c.points))
            else:
                total = add(total, case([(c.applicable, c.value)], ZERO))
                applicable_points = add(applicable_points, case([(c.applicable, lit(c.points))], ZERO))
        total = self.keep(total, "p")
        applicable_points = self.keep(applicable_points, "a")
        every = c_and(c.applicable or TRUE for c in children)
        some = self.keep_cond(c_or(c.applicable or TRUE for c in children))
        rescaled = self.round_half_up(Q(mul(total, lit(points)), applicable_points), self.plan.places, points)
        value = self.keep(case([(every, total)], rescaled), "p")
        return _NodeScore(value, some, points)

    def _leaf(self, node: Node, leaf_errors: list, item: bool = False) -> "_NodeScore":
        leaf = node.leaf
        assert leaf is not None
        points = Fraction(node.points)
        if leaf.parts:
            total: Q | None = None
            errors = []
            for part in leaf.parts:
                unit = _Unit(self, node, part.leaf, Fraction(part.points), part.name)
                exact = q_clamp(unit.run(), Fraction(0), Fraction(part.points))
                errors.append(exact.err)
                exact = Q(exact.num, exact.den)
                total = exact if total is None else q_add(total, exact)
            assert total is not None
            exact = attrs.evolve(total, err=err_seq(*errors))
        else:
            exact = _Unit(self, node, leaf, points, None).run()
        exact = self.keep_q(exact)
        held = q_clamp(exact, Fraction(0), points)
        score = self.round_half_up(Q(held.num, held.den), self.plan.places, points)
        err = exact.err
        applicable = None
        if node.not_applicable is not None:
            na = self._yes(self.input(node.key, "不适用"))
            if node.not_applicable == "full":
                from idsl.semantics.numbers import half_up

                score = self.keep(case([(na, lit(half_up(points, self.plan.places)))], score), "s")
            else:
                applicable = self.keep_cond(c_not(na))
            if err is not None:
                err = Err(f"CASE WHEN {na.text} THEN NULL ELSE {err.text} END", max(err.layer, na.layer))
        err = self.keep_err(err)
        if err is not None:
            leaf_errors.append((node.key, err))
        return _NodeScore(score, applicable, points, err)

    def _yes(self, value: Any) -> Cond:
        if not isinstance(value, Text):
            raise SqlError("“是否”输入的列应是文字（是/否）。")
        return Cond(f"{value.text} = {_string(_YES)}", None, value.layer)

    def _grade(self, total: Q) -> str:
        whens = []
        rest = None
        for band in self.plan.grades:
            if isinstance(band.cond, ast.Otherwise):
                rest = rest or band.grade
                continue
            try:
                cond, err = _GradeEnv(self, total).cond(band.cond, total)
            except SqlError:
                continue
            if err is not None:
                continue
            if cond.const is False:
                continue
            if cond.const is True:
                rest = band.grade
                break
            whens.append(f"WHEN {cond.text} THEN {_string(band.grade)}")
        otherwise = _string(rest) if rest is not None else "NULL"
        if not whens:
            return otherwise
        return f"CASE {' '.join(whens)} ELSE {otherwise} END"

    def _errors(self, leaf_errors: list[tuple[str, Err]]) -> str:
        """One VARCHAR: a line `key<TAB>message` per leaf that could not be scored; NULL when none."""
        if not leaf_errors:
            return "NULL"
        pieces = [f"COALESCE({_string(key + chr(9))} || {err.text} || {_string(chr(10))}, '')" for key, err in leaf_errors]
        any_error = " OR ".join(f"{err.text} IS NOT NULL" for _, err in leaf_errors)
        text = f"CASE WHEN {any_error} THEN {' || '.join(pieces)} END"
        alias, _layer = self.column(text, max(err.layer for _, err in leaf_errors), "e")
        return alias

    def _audit(self, scores, item_scores, blocks, total_text: str, grade_text: str, failed: Cond) -> list[tuple[str, str]]:
        out: list[tuple[str, str]] = []
        items = {item.key: score for item, score in item_scores}
        block_totals = {name: t for _k, name, t, _c in blocks}
        for key in self.audit:
            column = self.by_header.get(header(key, RECORDED))
            if column is None:
                continue
            recorded = self.inputs[column.header]
            if key == GRADE:
                out.append((header(key, DIFF), f"CASE WHEN {recorded.text} IS NOT NULL AND {recorded.text} <> ({grade_text}) "
                                               f"THEN {recorded.text} END"))
                continue
            if key == TOTAL:
                computed = total_text
                value = recorded
            elif key in block_totals:
                computed = block_totals[key].text
                value = absolute(recorded)
            elif key in items:
                computed = items[key].output(failed)
                value = absolute(recorded)
            else:
                node = self.plan.find(key)
                if node is None or node.path not in scores:
                    continue
                computed = scores[node.path].output(failed, whole_row=node.leaf is None)
                value = recorded
            diff = f"{value.text} - ({computed})"
            scale = max(MAX_DECIMALS, self.plan.places)
            out.append((header(key, DIFF), f"CASE WHEN {diff} <> 0 THEN CAST({diff} AS DECIMAL(38,{scale})) END"))
        return out


def _null_if(failed: Cond, text: str) -> str:
    if failed.const is False:
        return text
    return f"CASE WHEN {failed.text} THEN NULL ELSE {text} END"


def _is_alias(text: str) -> bool:
    return text.isascii() and text.replace("_", "").isalnum()


@attrs.frozen
class _NodeScore:
    value: Dec  # the rounded score (meaningless when not applicable or in error)
    applicable: Cond | None  # None: always applicable
    points: Fraction
    err: Err | None = None

    def value_or_zero(self) -> Dec:
        return self.value

    def output(self, failed: Cond, whole_row: bool = False, places: int | None = None) -> str:
        text = self.value.text
        if places is not None:
            text = f"CAST({text} AS DECIMAL(18,{places}))"
        if self.applicable is not None:
            text = f"CASE WHEN {self.applicable.text} THEN {text} END"
        if whole_row:
            return _null_if(failed, text)
        if self.err is not None:
            return f"CASE WHEN {self.err.text} IS NULL THEN {text} END"
        return text


def value_limits(column: Column) -> tuple[Fraction, int, int]:
    """What a numeric column of a batch may hold: (a bound on |value| once read, the decimals of the
    value once read, the decimals the cell may be written with). A rate's cell is a percent figure,
    so it has two decimals fewer than its value (89.6712% is 0.896712).

    >>> from idsl.io.columns import Column
    >>> value_limits(Column("x", "tally"))
    (Fraction(1000000000, 1), 0, 0)
    """
    if column.kind == "input" and column.decl is not None:
        decl = column.decl
        if decl.kind == "findings":
            return COUNT_LIMIT, 0, 0
        if decl.kind == "rate":
            high = _rate_high(decl)
            low = Fraction(decl.low.amount) if decl.low is not None else Fraction(0)
            bound = max(abs(high), abs(low)) if high is not None else LIMIT / 100
            return bound, MAX_DECIMALS + 2, MAX_DECIMALS
        if decl.kind == "count":
            return COUNT_LIMIT, MAX_DECIMALS, MAX_DECIMALS
        return LIMIT, MAX_DECIMALS, MAX_DECIMALS
    if column.kind == "tally":
        return COUNT_LIMIT, 0, 0
    if column.kind == "item":
        return Fraction(column.points or 0), MAX_DECIMALS, MAX_DECIMALS
    if column.kind == "score":
        return max(abs(Fraction(column.high or 0)), abs(Fraction(column.low or 0))), MAX_DECIMALS, MAX_DECIMALS
    return LIMIT, MAX_DECIMALS, MAX_DECIMALS


def _column_bounds(column: Column) -> tuple[Fraction, int]:
    bound, scale, _cell = value_limits(column)
    return bound, scale


def _rate_high(decl: ast.Input) -> Fraction | None:
    if decl.low is None and decl.high is None:
        return Fraction(1)
    return Fraction(decl.high.amount) if decl.high is not None else None


def _column_nonneg(column: Column) -> bool:
    if column.kind in ("tally", "item"):
        return True
    if column.kind == "score":
        return Fraction(column.low or 0) >= 0
    if column.kind == "input" and column.decl is not None:
        decl = column.decl
        if decl.kind == "findings":
            return True
        if decl.kind == "rate":
            return decl.low is None or Fraction(decl.low.amount) >= 0
        if decl.kind in ("money", "count"):
            return (decl.low is None and not decl.signed) or (decl.low is not None and Fraction(decl.low.amount) >= 0)
        return decl.low is not None and Fraction(decl.low.amount) >= 0
    return False


# ---------------------------------------------------------------- one scoring unit


class _Env:
    """Expressions and conditions compiled over some names (as idsl.engines.python's _Env evaluates them)."""

    compiler: Compiler

    def lookup(self, name: str) -> Any:
        raise SqlError(f"未定义的名称“{name}”。")

    def points(self) -> Fraction:
        raise SqlError("这里不能用“分值”。")

    def eval(self, expr: ast.Expr, subject: Q | None = None) -> Any:
        if isinstance(expr, ast.Num):
            return q_lit(Fraction(expr.amount))
        if isinstance(expr, ast.Ref):
            return self.lookup(expr.name)
        if isinstance(expr, ast.PointsRef):
            return q_lit(self.points())
        if isinstance(expr, ast.Subject):
            if subject is None:
                return Q(ZERO, None, Err(_string("条件省略了比较对象，但这里没有分档对象。")))
            return subject
        if isinstance(expr, ast.BoolLit):
            return TRUE if expr.value else FALSE
        if isinstance(expr, ast.Neg):
            return q_neg(self.number(expr.operand, subject))
        if isinstance(expr, ast.BinOp):
            left = self.number(expr.left, subject)
            right = self.number(expr.right, subject)
            if expr.op == "+":
                return q_add(left, right)
            if expr.op == "-":
                return q_add(left, right, subtract=True)
            if expr.op == "*":
                return q_mul(left, right)
            what = name_of(expr.right) or _expr_text(expr.right)
            return q_div(left, right, f"分母“{what}”为 0，规则没有规定这种情况，无法计算。")
        if isinstance(expr, ast.Call):
            return self.call(expr, subject)
        raise SqlError(f"不能计算的表达式（{type(expr).__name__}）。")

    def number(self, expr: ast.Expr, subject: Q | None = None) -> Q:
        value = self.eval(expr, subject)
        if not isinstance(value, Q):
            raise SqlError(f"“{_expr_text(expr)}”不是一个数，SQL 引擎不能计算。")
        return value

    def call(self, expr: ast.Call, subject: Q | None) -> Q:
        args = expr.args
        if expr.func == "abs":
            return q_abs(self.number(args[0], subject))
        if expr.func in ("min", "max"):
            chosen = q_min([self.number(a, subject) for a in args], largest=expr.func == "max")
            return self.compiler.keep_q(chosen)
        if expr.func == "round":
            value = self.number(args[0], subject)
            places = self.number(args[1], subject) if len(args) > 1 else q_lit(0)
            if places.const is None or places.const.denominator != 1 or places.const < 0:
                raise SqlError("四舍五入的位数应是不小于 0 的整数常数。")
            rounded = self.compiler.round_half_up(Q(value.num, value.den), int(places.const), _quotient_bound(value))
            return Q(rounded, None, err_seq(value.err, places.err))
        if expr.func == "convert":
            value = self.number(args[0], subject)
            source = self.unit_of(args[0])
            if source and expr.unit and convertible(source, expr.unit):
                return q_mul(value, q_lit(Fraction(conversion_factor(source, expr.unit))))
            return q_mul(value, q_lit(Fraction(unit_info(expr.unit).factor))) if expr.unit else value
        raise SqlError(f"不认识的函数 {expr.func}。")

    def unit_of(self, expr: ast.Expr) -> str | None:
        return expr.unit if isinstance(expr, ast.Num) else None

    def cond(self, cond: ast.Cond, subject: Q | None = None) -> tuple[Cond, Err | None]:
        """A condition and the error evaluating it may raise (evaluated as the interpreter does: and/or
        stop at the first part that decides)."""
        if isinstance(cond, ast.Otherwise):
            return TRUE, None
        if isinstance(cond, ast.BoolOp):
            parts = [self.cond(part, subject) for part in cond.parts]
            if cond.op == "and":
                value = c_and(c for c, _ in parts)
                steps = [(e, c_not(c), None) for c, e in parts]
            else:
                value = c_or(c for c, _ in parts)
                steps = [(e, c, None) for c, e in parts]
            return value, err_case(steps, None)
        if isinstance(cond, ast.Range):
            if subject is None:
                return FALSE, Err(_string("区间条件没有比较对象。"))
            low = self.number(cond.low, subject)
            high = self.number(cond.high, subject)
            return c_and([q_cmp(low, "<=", subject), q_cmp(subject, "<=", high)]), err_seq(low.err, high.err)
        if isinstance(cond, ast.Compare):
            if not cond.ops:
                value = self.eval(cond.operands[0], subject)
                if isinstance(value, Cond):
                    return value, None
                raise SqlError(f"“{_expr_text(cond.operands[0])}”不是“是/否”，不能单独作条件。")
            values = [self.eval(o, subject) for o in cond.operands]
            err = err_seq(*(v.err for v in values if isinstance(v, Q)))
            parts = [_compare(a, op, b) for a, op, b in zip(values, cond.ops, values[1:])]
            return c_and(parts), err
        raise SqlError("不认识的条件。")


def _compare(a: Any, op: str, b: Any) -> Cond:
    if isinstance(a, Q) and isinstance(b, Q):
        return q_cmp(a, op, b)
    if isinstance(a, Cond) and isinstance(b, Cond) and op in ("=", "!="):
        if b.const is not None:
            a, b = b, a
        if a.const is not None:
            return b if (a.const == (op == "=")) else c_not(b)
        return Cond(f"(({a.text}) {'=' if op == '=' else '<>'} ({b.text}))", None, max(a.layer, b.layer))
    if isinstance(a, Text) and isinstance(b, Text) and op in ("=", "!="):
        return Cond(f"{a.text} {'=' if op == '=' else '<>'} {b.text}", None, max(a.layer, b.layer))
    raise SqlError("SQL 引擎不支持这种比较（是/否、选项与数混比）。")


def _quotient_bound(q: Q) -> Fraction:
    """A bound on |num/den| (a den that is not 0 is at least 10^-scale)."""
    return q.num.bound * (10 ** q.den.scale if q.den is not None else 1)


class _GradeEnv(_Env):
    def __init__(self, compiler: Compiler, total: Q):
        self.compiler = compiler
        self.total = total

    def lookup(self, name: str) -> Any:
        if name in TOTAL_NAMES:
            return self.total
        raise SqlError(f"等级条件里的“{name}”不是总分。")


class _Unit(_Env):
    """One scoring unit (a leaf, a part, or a penalty/bonus item), compiled."""

    def __init__(self, compiler: Compiler, node: Node, leaf: LeafPlan, points: Fraction, part: str | None):
        self.compiler = compiler
        self.node = node
        self.leaf = leaf
        self.full = points
        self.part = part
        self.inputs, self.derived, self.questionnaires = leaf.scope_tables()
        self.cache: dict[str, Any] = {}
        self.computing: list[str] = []

    def points(self) -> Fraction:
        return self.full

    def owner(self, name: str) -> str:
        return SHARED if name in self.leaf.shared else self.node.key

    def lookup(self, name: str) -> Any:
        if name in self.cache:
            return self.cache[name]
        if name in self.questionnaires and name not in self.inputs:
            value = self._questionnaire(self.questionnaires[name])
        elif name in self.inputs:
            decl = self.inputs[name]
            column = self.compiler.input(self.owner(name), name)
            if decl.kind == "bool":
                value = self.compiler._yes(column)
            elif decl.kind == "choice":
                value = column
            else:
                value = Q(column)
        elif name in self.derived:
            if name in self.computing:
                raise SqlError(f"“{name}”的定义绕回了自己。")
            self.computing.append(name)
            try:
                value = self.eval(self.derived[name].expr)
            finally:
                self.computing.pop()
            if isinstance(value, Q):
                if value.err is not None:
                    value = attrs.evolve(value, err=Err(value.err.text.replace("无法计算。", f"无法计算“{name}”。"),
                                                        value.err.layer))
                value = self.compiler.keep_q(value)
        else:
            raise SqlError(f"未定义的名称“{name}”。")
        self.cache[name] = value
        return value

    def _questionnaire(self, questionnaire: ast.Questionnaire) -> Q:
        owner = self.owner(questionnaire.name)
        scores = [Fraction(s) for _, s in questionnaire.options]
        top = max(scores) if scores else Fraction(0)
        got = ZERO
        full = ZERO
        for number in range(1, len(questionnaire.questions) + 1):
            for option, (letter, _s) in enumerate(questionnaire.options):
                count = self.compiler.input(owner, f"{questionnaire.name}.第{number}题.{letter}")
                got = add(got, mul(count, lit(scores[option])))
                full = add(full, mul(count, lit(top)))
        got, full = self.compiler.keep(got, "n"), self.compiler.keep(full, "d")
        err = err_when(cmp(full, "=", ZERO),
                       f"问卷“{questionnaire.name}”没有有效答卷（满分总计为 0），无法计算满意率。")
        return Q(got, full, self.compiler.keep_err(err))

    def unit_of(self, expr: ast.Expr) -> str | None:
        return expression_unit(expr, self.inputs, self.derived)

    def column(self, field: str) -> Any:
        prefix = f"{self.part}." if self.part and header(self.node.key, f"{self.part}.{field}") in self.compiler.inputs else ""
        return self.compiler.input(self.node.key, prefix + field)

    # -- the rule

    def run(self) -> Q:
        """The unit's exact score (before clamping and rounding), with its error."""
        specials = []
        for special in self.leaf.specials:
            cond, err = self.cond(special.cond)
            value = q_lit(self.full if special.points is None else Fraction(special.points))
            specials.append((cond, err, value))
        rule = self.leaf.rule
        if rule is None:
            result = Q(ZERO, None, Err(_string("这个指标没有评分规则。")))
        else:
            method = getattr(self, "_" + type(rule).__name__.lower(), None)
            if method is None:
                raise SqlError(f"SQL 引擎不支持 {type(rule).__name__} 规则。")
            result = method(rule)
        if not specials:
            return result
        err = err_case([(e, c, None) for c, e, _v in specials], result.err)
        if all(e is None for _c, e, _v in specials):
            index = self.compiler.branch([c for c, _e, _v in specials])
            value = q_select(index, [v for _c, _e, v in specials], result)
            err = _err_select(index, [None] * len(specials), result.err)
        else:
            value = q_case([(c, v) for c, _e, v in specials], result)
        return attrs.evolve(value, err=err)

    def _checklist(self, rule: ast.Checklist) -> Q:
        total = ZERO
        for number, item in enumerate(rule.items, start=1):
            points = Fraction(item.points if item.points is not None else (rule.each or 0))
            column = self.column(f"要素{number}")
            if rule.partial:
                if not isinstance(column, Dec):
                    raise SqlError("可酌情要素的列应是数（得到的分数）。")
                total = add(total, column)
            else:
                total = add(total, case([(self.compiler._yes(column), lit(points))], ZERO))
        return Q(self.compiler.keep(total, "n") if total.const is None else total)

    def _formula(self, rule: ast.Formula) -> Q:
        return self.number(rule.expr)

    def _bands(self, rule: ast.Bands) -> Q:
        subject = self.compiler.keep_q(self.number(rule.subject))
        plain = Q(subject.num, subject.den)
        branches: list[tuple[Cond, Q]] = []
        steps: list[tuple[Err | None, Cond | None, Err | None]] = []
        for band in rule.bands:
            cond, cond_err = self.cond(band.cond, plain)
            if cond_err is not None and subject.err is not None and cond_err.text == subject.err.text:
                cond_err = None  # the subject's own error, raised before any band is tried
            outcome = band.outcome
            if isinstance(outcome, ast.Fixed):
                value = q_lit(self.full if outcome.points is None else Fraction(outcome.points))
            else:
                value = self._linear(rule, band, outcome, plain)
            branches.append((cond, Q(value.num, value.den)))
            steps.append((cond_err, cond, value.err))
        gap = Err(_string(f"{_expr_text(rule.subject)}不在任何一档之内（分档有缺口）。"))
        if all(cond_err is None for cond_err, _c, _e in steps):
            index = self.compiler.branch([c for c, _v in branches])
            value = q_select(index, [v for _c, v in branches], q_lit(0))
            err = err_seq(subject.err, _err_select(index, [e for _ce, _c, e in steps], gap))
        else:
            value = q_case(branches, q_lit(0))
            err = err_seq(subject.err, err_case(steps, gap))
        return attrs.evolve(value, err=err)

    def _linear(self, rule: ast.Bands, band: ast.Band, outcome: ast.Linear, subject: Q) -> Q:
        low, high = band_ends(band.cond, rule.subject)
        anchor_expr = high if outcome.direction == "down" else low
        if anchor_expr is None:
            end = "上限" if outcome.direction == "down" else "下限"
            return Q(ZERO, None, Err(_string(f"线性扣分档缺少{end}，无法确定从哪里开始扣分。")))
        anchor = self.number(anchor_expr, subject)
        distance = q_add(anchor, subject, subtract=True) if outcome.direction == "down" else q_add(subject, anchor, subtract=True)
        step = Fraction(outcome.step.amount)
        if step <= 0:
            return Q(ZERO, None, Err(_string("扣分步长应大于 0。")))
        start = self.full if outcome.start is None else Fraction(outcome.start)
        value = self._deduct(distance, step, Fraction(outcome.deduct), outcome.rounding, start)
        return attrs.evolve(value, err=err_seq(anchor.err, value.err))

    def _deduct(self, distance: Q, step: Fraction, deduct: Fraction, rounding: str | None, start: Fraction) -> Q:
        """max(start − deduct × R(max(distance, 0) / step), 0), R the rounding of the steps."""
        err = distance.err
        distance = Q(distance.num, distance.den)
        if deduct == 0:
            return Q(lit(max(start, Fraction(0))), None, err)
        ratio = q_mul(q_clamp(distance, Fraction(0), None), q_lit(1 / step))
        if rounding is None:
            exact = q_add(q_lit(start), q_mul(q_lit(deduct), ratio), subtract=True)
            return attrs.evolve(q_clamp(exact, Fraction(0), None), err=err)
        # Past start/deduct + 1 steps the score is 0 whatever the rounding: clamp so the quotient stays small.
        limit = Fraction(math.ceil(max(start, Fraction(0)) / deduct) + 1)
        ratio = q_clamp(ratio, None, limit)
        bound = limit + 1
        c = self.compiler
        if rounding == "half_up":  # the ratio is ≥ 0: half up is ⌊x + 1/2⌋
            whole = c.floor_div(ratio.num, ratio.den, bound, offset=Fraction(1, 2))
        elif rounding == "floor":
            whole = c.floor_div(ratio.num, ratio.den, bound)
        elif rounding == "ceil":
            whole = neg(c.floor_div(neg(ratio.num), ratio.den, bound))
        else:
            raise SqlError(f"不认识的取整方式 {rounding}。")
        exact = sub(lit(start), mul(lit(deduct), whole))
        exact = case([(cmp(exact, "<", ZERO), ZERO)], exact)
        return Q(exact, None, err)

    def _deviation(self, rule: ast.Deviation) -> Q:
        value = self.number(rule.subject)
        goal = self.number(rule.target)
        gap = q_add(value, goal, subtract=True)
        gap = q_abs(gap) if rule.absolute else q_clamp(gap, Fraction(0), None)
        gap = self.compiler.keep_q(Q(gap.num, gap.den))
        step = Fraction(rule.step.amount)
        if step <= 0:
            return Q(ZERO, None, Err(_string("偏离的步长应大于 0。")))
        scored = self._deduct(gap, step, Fraction(rule.deduct), rule.rounding, self.full)
        if rule.limit is not None:
            beyond = q_cmp(gap, ">", q_lit(Fraction(rule.limit.amount)))
            scored = q_case([(beyond, q_lit(0))], scored)
        return attrs.evolve(scored, err=err_seq(value.err, goal.err))

    def _perfinding(self, rule: ast.PerFinding) -> Q:
        count = self.number(ast.Ref(rule.subject))
        deduction = q_mul(q_lit(Fraction(rule.deduct)), count)
        if rule.cap is not None:
            deduction = q_clamp(deduction, None, Fraction(rule.cap))
        exact = q_add(q_lit(self.full), deduction, subtract=True)
        return attrs.evolve(q_clamp(exact, Fraction(0), None), err=count.err)

    def _choice(self, rule: ast.Choice) -> Q:
        column = self.lookup(rule.input)
        if not isinstance(column, Text):
            raise SqlError("选项的列应是文字。")
        branches = [(Cond(f"{column.text} = {_string(o.label)}", None, column.layer), lit(Fraction(o.points)))
                    for o in rule.options]
        labels = " OR ".join(c.text for c, _ in branches) or "FALSE"
        err = Err(f"CASE WHEN NOT ({labels}) THEN {_string('没有这个选项。')} END", column.layer)
        return Q(case(branches, ZERO), None, err)

    def _discretionary(self, rule: ast.Discretionary) -> Q:
        column = self.column("得分")
        if not isinstance(column, Dec):
            raise SqlError("酌情得分的列应是数。")
        return Q(column)

    def _target(self, rule: ast.Target) -> Q:
        actual = self.number(ast.Ref(rule.actual))
        goal_value = Fraction(rule.target.amount)
        decl = self.inputs.get(rule.actual)
        unit = decl.unit if decl is not None else None
        if rule.target.unit and unit and rule.target.unit != unit and convertible(rule.target.unit, unit):
            goal_value *= Fraction(conversion_factor(rule.target.unit, unit))
        goal = q_lit(goal_value)
        plain = Q(actual.num, actual.den)
        if rule.op == ">=":
            met = q_cmp(plain, ">=", goal)
            share = q_mul(plain, q_lit(1 / goal_value)) if goal_value else q_lit(1)
        elif rule.op == "<=":
            met = q_cmp(plain, "<=", goal)
            inverse = q_div(goal, plain, "")
            share = q_case([(q_cmp(plain, "=", q_lit(0)), q_lit(1))], Q(inverse.num, inverse.den))
        else:
            met = q_cmp(plain, "=", goal)
            if goal_value == 0:
                share = q_lit(0)
            else:
                up = q_mul(plain, q_lit(1 / goal_value))
                down = q_div(goal, plain, "")
                both = q_min([up, Q(down.num, down.den)])
                share = q_case([(q_cmp(plain, "=", q_lit(0)), q_lit(0))], both)
        share = q_clamp(Q(share.num, share.den), Fraction(0), Fraction(1))
        short = q_lit(0) if rule.all_or_nothing else q_mul(q_lit(self.full), share)
        value = q_case([(met, q_lit(self.full))], short)
        return attrs.evolve(value, err=actual.err)

    def _parts(self, rule: ast.Parts) -> Q:
        return Q(ZERO, None, Err(_string("分项里不能再有分项。")))


def _expr_text(expr: ast.Expr) -> str:
    """An expression written out, for messages."""
    try:
        from idsl.semantics.phrases import expr_text
    except ImportError:  # pragma: no cover
        return name_of(expr) or "?"
    return expr_text(expr)


# ---------------------------------------------------------------- public verbs


def compile_sql(plan: Plan, table: str = "units", columns: Sequence[Column] | None = None,
                carry: Sequence[str] = (), audit: Sequence[str] = ()) -> str:
    """The standard SQL query scoring every row of `table` (a table name or a parenthesised query).

    `columns` is the unit table's layout (default: `unit_columns(plan)`); `carry` names extra
    columns passed through unchanged; `audit` lists keys (indicator paths, 总分, 等级, block names)
    whose `<key>.记录得分` column is compared with the computed score, giving `<key>.差异`.
    Raises SqlError for a spec the SQL engine cannot score exactly.
    """
    return Compiler(plan, table, columns, carry, audit).build()


def output_columns(plan: Plan, audit: Sequence[str] = ()) -> list[str]:
    """The query's output columns, in order."""
    names = [UNIT] + [n.key for n in plan.leaves()] + [item.key for _b, item in plan.items()]
    names += [n.key for n in plan.nodes] + [b.name for b in plan.adjustments] + [TOTAL, GRADE, ERRORS]
    names += [header(key, DIFF) for key in audit]
    return names


__all__ = ["DIFF", "ERRORS", "MAX_DECIMALS", "MAX_DIGITS", "SqlError", "compile_sql", "output_columns", "quote"]
