"""The score IR printed as SQL fragments, one function per node kind (as `idsl.engines.evaluate` has one closure builder)."""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Any, Callable, Union

import attrs

from idsl.engines.sql.fragments import (FALSE, TRUE, ZERO, Cond, Err, SqlError, Text, c_and, c_not, c_or, case,
                                        cast, cmp, cond_case, err_case, err_seq, lit, mul, neg, string, sub, text_case)
from idsl.engines.sql.quantities import (Q, Sum, err_select, q_abs, q_add, q_case, q_clamp, q_div, q_lit,
                                         q_min, q_mul, q_neg, q_select, q_single)
from idsl.engines.sql.gaps import gap_shown
from idsl.engines.sql.peers import print_peer
from idsl.engines.sql.sums import compare, round_sum
from idsl.semantics import ir
from idsl.semantics.explain import gap_text
from idsl.semantics.grade_limits import LEAF_ROLE
from idsl.semantics.lower import NODATA_SCORE
from idsl.semantics.scope import MIXED_KINDS, SHARED, VETO_INPUT_MISSING, fill_shared

MISSING = "\ue000"  # starts the error of a blank 共用 input the evaluation reaches (with allow_missing: 未评)
FIELD = "\ue001"  # `FIELD field FIELD message`: a failure that blames one input, listed under its column
SHOWN = "\x00"  # where a message's value goes, spliced in SQL


@attrs.frozen
class Flag:
    """A yes/no value: its condition, and the error evaluating it may raise."""

    cond: Cond
    err: Err | None = None


@attrs.frozen
class Label:
    """A label (a choice's option, a grade), and the error evaluating it may raise."""

    text: Text
    err: Err | None = None


@attrs.frozen
class Failed:
    """No value: evaluation fails with `err`."""

    err: Err


# A number prints as an exact quantity `Q` (num/den and its error), a yes/no as a `Flag`, a label as a
# `Label`, a `Fail` as `Failed`; a condition as a boolean and its error. A sum over different
# denominators stays a `Sum` through the nodes that can carry one (+, −, × or ÷ a constant, a choice, a
# comparison, min/max, a clamp, a name) up to the rounding that divides it term by term (`sums`); any other
# node reads it combined (`q_single`). Errors follow the interpreter's order: operands left to right, the first
# failure wins; `Cases` raises only the error of the branch it chooses, `All`/`Any` only those of the
# parts they reach. A `Named` value is printed once per unit.
Value = Union[Q, Flag, Label, Failed]


class Printer:
    """One scoring unit's nodes printed; `names` caches each Named value (one column per name)."""

    def __init__(self, compiler: Any, total: Q | None = None, allow_missing: bool = False,
                 leaves: dict[str, Q] | None = None):
        self.compiler = compiler  # columns, scheduling, exact division
        self.total = total  # the total, for grade conditions
        self.leaves = leaves or {}  # each leaf's score as 等级不高于 reads it, for grade conditions
        self.allow_missing = allow_missing
        self.names: dict[str, Value] = {}
        self.worded: dict[str, Any] = {}  # a band gap's message → its bands (explain.BandsText): the subject it names

    def expr(self, node: ir.Expr) -> Value:
        value = self.value(node)
        return q_single(value) if isinstance(value, Sum) else value

    def value(self, node: ir.Expr) -> Value | Sum:
        """The node's value, a sum kept apart (for the nodes that carry one)."""
        return _PRINTERS[type(node)](self, node)

    def number(self, node: ir.Expr) -> Q:
        return as_q(self.expr(node))

    def quantity(self, node: ir.Expr) -> Q | Sum:
        """A number, a sum kept apart."""
        return _kept(self.value(node))

    def compare(self, a: Q | Sum, op: str, b: Q | Sum) -> Cond:
        """a op b, exactly (a sum compared term by term)."""
        return compare(self.compiler, a, op, b)

    def cond(self, node: ir.Cond) -> tuple[Cond, Err | None]:
        """A condition, and the error evaluating it raises (meaningful only where that is NULL)."""
        return _CONDITIONS[type(node)](self, node)


def as_q(value: Value) -> Q:
    if isinstance(value, Q):
        return value
    return Q(ZERO, None, _error_of(value, "不是一个数，不能参与计算。"))


def as_flag(value: Value) -> Flag:
    if isinstance(value, Flag):
        return value
    return Flag(FALSE, _error_of(value, "不是“是/否”。"))


def as_label(value: Value) -> Label:
    if isinstance(value, Label):
        return value
    return Label(Text("CAST(NULL AS VARCHAR)"), _error_of(value, "不是选项。"))


def _error_of(value: Value, message: str) -> Err:
    if isinstance(value, Failed):
        return value.err
    return err_seq(getattr(value, "err", None), Err(string(message)))  # type: ignore[return-value]


# ---------------------------------------------------------------- values


def _const(p: Printer, node: ir.Const) -> Value:
    return q_lit(node.value)


def _text(p: Printer, node: ir.Text) -> Value:
    return Label(Text(string(node.value), 0, node.value))


def _yes_no(p: Printer, node: ir.YesNo) -> Value:
    return Flag(TRUE if node.value else FALSE)


def _field(p: Printer, node: ir.Field) -> Value:
    if node.role == "total":
        if p.total is None:
            raise SqlError("只有等级条件能用总分。")
        return p.total
    if node.role == LEAF_ROLE:
        if node.owner not in p.leaves:
            raise SqlError("只有等级条件能用指标得分。")
        return p.leaves[node.owner]
    column = p.compiler.field(node)
    blank = None
    if node.shared:  # as the interpreter, a blank 共用 input matters only where the evaluation reaches it
        message = MISSING + shared_blank(node, node.declared in p.compiler.veto_inputs)
        blank = Err(f"CASE WHEN {column.text} IS NULL THEN {string(message)} END", column.layer)
    elif node.declared == NODATA_SCORE:  # read only where the figure is missing: then it must be given
        message = f"{MISSING}缺少输入。" if p.allow_missing else f"{FIELD}{node.name}{FIELD}缺少输入。"
        blank = Err(f"CASE WHEN {column.text} IS NULL THEN {string(message)} END", column.layer)
    if node.kind == "flag":
        return Flag(p.compiler.yes(column), blank)
    if node.kind == "label":
        return Label(column, blank)
    return Q(column, None, blank)


def shared_blank(node: ir.Field, vetoed: bool) -> str:
    """A blank 共用 input's error in the interpreter's words (semantics/scope.py holds them for both), blaming
    its own cell (a questionnaire's count: the first one blank, as `io.columns.error_column` places the
    interpreter's error); one a veto reads in the veto's words, one mistake with the veto's own error."""
    cell = node.name if node.role == "tally" else node.declared
    message = VETO_INPUT_MISSING if vetoed else "缺少输入。"
    return failure_text(message, f"{SHARED}.{cell}", fill_shared(node.declared))


def _arith(p: Printer, node: ir.Arith) -> Value | Sum:
    left, right = p.quantity(node.left), p.quantity(node.right)
    if node.op == "*":
        return q_mul(left, right)
    return q_add(left, right, subtract=node.op == "-")


def _div(p: Printer, node: ir.Div) -> Value | Sum:
    return q_div(p.quantity(node.left), p.number(node.right), failure_text(node.message, node.field, node.hint))


def failure_text(message: str, field: str | None, hint: str | None) -> str:
    """A failure's text in the 错误 column as the interpreter's batch lists it: the hint in brackets after the
    message, and the input it blames (`FIELD field FIELD …`, listed under that input's column)."""
    text = message + (f"（{hint}）" if hint else "")
    return f"{FIELD}{field}{FIELD}{text}" if field else text


def _neg(p: Printer, node: ir.Neg) -> Value | Sum:
    return q_neg(p.quantity(node.operand))


def _abs(p: Printer, node: ir.Abs) -> Value:
    return q_abs(p.number(node.operand))


def _extreme(p: Printer, node: ir.Extreme) -> Value | Sum:
    least = q_min([p.quantity(a) for a in node.args], largest=node.largest, compare=p.compare)
    return _column(p.compiler, least)


def _clamp(p: Printer, node: ir.Clamp) -> Value | Sum:
    return q_clamp(p.quantity(node.operand), node.low, node.high, p.compare)


def _round(p: Printer, node: ir.Round) -> Value:
    value = p.quantity(node.operand)
    c, places = p.compiler, node.places
    if isinstance(value, Sum):
        try:
            return Q(round_sum(c, value.plain(), places, node.mode), None, value.err)
        except SqlError:  # a term too wide on its own: as one fraction, if that fits (else its SqlError)
            value = q_single(value)
    if node.mode == "half_up":
        return Q(c.round_half_up(value.plain(), places, value.bound()), None, value.err)
    scale = Fraction(10) ** places
    limit = value.bound() * scale + 1
    if node.mode == "floor":
        whole = c.floor_div(value.num, value.den, limit, scale)
    else:  # ceil(x) = −floor(−x)
        whole = neg(c.floor_div(neg(value.num), value.den, limit, scale))
    value_dec = mul(whole, lit(1 / scale))
    return Q(c.keep(cast(value_dec, value_dec.bound, places), "s"), None, value.err)


def _steps(p: Printer, node: ir.Steps) -> Value:
    """max(start − per × R(max(distance, 0) / step), low), R the rounding of the steps."""
    distance = p.number(node.distance)
    err, distance = distance.err, distance.plain()
    start, per, low = node.start, node.per, node.low
    if per == 0:
        return Q(lit(max(start, low)), None, err)
    ratio = q_mul(q_clamp(distance, Fraction(0), None), q_lit(1 / node.step))
    if node.rounding is None:
        exact = q_add(q_lit(start), q_mul(q_lit(per), ratio), subtract=True)
        return attrs.evolve(q_clamp(exact, low, None), err=err)
    # Past (start − low)/per + 1 steps the score is low whatever the rounding: clamp so the quotient stays small.
    limit = Fraction(math.ceil(max(start - low, Fraction(0)) / per) + 1)
    ratio = q_clamp(ratio, None, limit)
    c, bound = p.compiler, limit + 1
    if node.rounding == "half_up":  # the ratio is ≥ 0: half up is ⌊x + 1/2⌋
        whole = c.floor_div(ratio.num, ratio.den, bound, offset=Fraction(1, 2))
    elif node.rounding == "floor":
        whole = c.floor_div(ratio.num, ratio.den, bound)
    else:
        whole = neg(c.floor_div(neg(ratio.num), ratio.den, bound))
    exact = sub(lit(start), mul(lit(per), whole))
    return Q(case([(cmp(exact, "<", lit(low)), lit(low))], exact), None, err)


def _cases(p: Printer, node: ir.Cases) -> Value | Sum:
    conds: list[tuple[Cond, Err | None]] = []
    values: list[Value | Sum] = []
    otherwise: Value | Sum | None = None
    for branch in node.branches:  # a branch after one that always holds is never reached: not printed
        cond = p.cond(branch.cond)
        if cond[0].const is True and cond[1] is None:
            otherwise = p.value(branch.value)
            break
        conds.append(cond)
        values.append(p.value(branch.value) if cond[0].const is not False else Failed(Err("NULL")))
    if otherwise is None:
        otherwise = p.value(node.otherwise)
    kind = ir.kind_of(node)
    live = [c for c, _e in conds if c.const is not False]
    if kind in ("number", "any"):
        plain = [_kept(v) for v in values]
        rest = _kept(otherwise)
        if all(e is None for _c, e in conds) and len(live) > 1:
            index = p.compiler.branch([c for c, _e in conds])
            value = q_select(index, [v.plain() for v in plain], rest.plain())
            return attrs.evolve(value, err=err_select(index, [v.err for v in plain], rest.err))
        value = q_case([(c, v.plain()) for (c, _e), v in zip(conds, plain)], rest.plain())
        return attrs.evolve(value, err=_case_err(conds, [v.err for v in plain], rest.err))
    values, otherwise = [_single(v) for v in values], _single(otherwise)
    if kind == "label":
        labels = [as_label(v) for v in values]
        rest_label = as_label(otherwise)
        text = text_case([(c, v.text) for (c, _e), v in zip(conds, labels)], rest_label.text)
        return Label(text, _case_err(conds, [v.err for v in labels], rest_label.err))
    flags = [as_flag(v) for v in values]
    rest_flag = as_flag(otherwise)
    chosen = cond_case([(c, v.cond) for (c, _e), v in zip(conds, flags)], rest_flag.cond)
    return Flag(chosen, _case_err(conds, [v.err for v in flags], rest_flag.err))


def _kept(value: Value | Sum) -> Q | Sum:
    """A number, a sum kept apart."""
    return value if isinstance(value, Sum) else as_q(value)


def _single(value: Value | Sum) -> Value:
    """A value, a sum combined into one fraction."""
    return q_single(value) if isinstance(value, Sum) else value


def _case_err(conds: list[tuple[Cond, Err | None]], errors: list[Err | None], otherwise: Err | None) -> Err | None:
    return err_case([(e, c, v) for (c, e), v in zip(conds, errors)], otherwise)


def _named(p: Printer, node: ir.Named) -> Value | Sum:
    found = p.names.get(node.name)
    if found is not None:
        return found
    value = p.value(node.value)
    c = p.compiler
    if isinstance(value, (Q, Sum)):
        value = _column(c, value)
    elif isinstance(value, Flag):
        value = Flag(value.cond, c.keep_err(value.err))
    elif isinstance(value, Label):
        value = Label(value.text, c.keep_err(value.err))
    p.names[node.name] = value
    return value


def _column(c: Any, value: Q | Sum) -> Q | Sum:
    """A number as columns of its own: num and den, each term's of a sum."""
    if isinstance(value, Sum):
        return Sum(tuple(c.keep_q(t) for t in value.terms), c.keep_err(value.err), value.limit)
    return c.keep_q(value)


def _fail(p: Printer, node: ir.Fail) -> Value:
    bands = p.worded.get(node.message)
    subject = bands.subject if bands is not None else None
    value = p.names.get(subject.tag) if subject is not None else None
    if isinstance(value, (Q, Sum)):  # a band gap names the value that fell between the bands, as the interpreter does
        shown = gap_shown(p.compiler, value.plain(), subject)
        head, tail = gap_text(subject.name, SHOWN).split(SHOWN)
        head, tail = failure_text(head, node.field, None), failure_text(tail, None, node.hint)
        return Failed(Err(f"{string(head)} || {shown.text} || {string(tail)}", max(value.layer, shown.layer)))
    return Failed(Err(string(failure_text(node.message, node.field, node.hint))))


# ---------------------------------------------------------------- conditions


def _truth(p: Printer, node: ir.Truth) -> tuple[Cond, Err | None]:
    return (TRUE if node.value else FALSE), None


def _compare(p: Printer, node: ir.Compare) -> tuple[Cond, Err | None]:
    left, right = p.value(node.left), p.value(node.right)
    err = err_seq(_err(left), _err(right))
    if isinstance(left, Failed) or isinstance(right, Failed):
        return FALSE, err
    if isinstance(left, (Q, Sum)) and isinstance(right, (Q, Sum)):
        return p.compare(left, node.op, right), err
    left, right = _single(left), _single(right)
    if isinstance(left, Flag) and isinstance(right, Flag):
        return _same_flag(left.cond, node.op, right.cond), err
    if isinstance(left, Label) and isinstance(right, Label):
        return _same_label(left.text, node.op, right.text), err
    return FALSE, err_seq(err, Err(string(MIXED_KINDS)))


def _err(value: Value) -> Err | None:
    return value.err


def _same_flag(a: Cond, op: str, b: Cond) -> Cond:
    if b.const is not None:
        a, b = b, a
    if a.const is not None:
        return b if (a.const == (op == "=")) else c_not(b)
    return Cond(f"(({a.text}) {'=' if op == '=' else '<>'} ({b.text}))", None, max(a.layer, b.layer))


def _same_label(a: Text, op: str, b: Text) -> Cond:
    if a.const is not None and b.const is not None:
        return TRUE if (a.const == b.const) == (op == "=") else FALSE
    return Cond(f"{a.text} {'=' if op == '=' else '<>'} {b.text}", None, max(a.layer, b.layer))


def _is_yes(p: Printer, node: ir.IsYes) -> tuple[Cond, Err | None]:
    value = as_flag(p.expr(node.operand))
    return value.cond, value.err


def _blank(p: Printer, node: ir.Blank) -> tuple[Cond, Err | None]:
    column = p.compiler.field(node.field)  # the cell itself: NULL where left blank
    return Cond(f"{column.text} IS NULL", None, column.layer), None


def _all(p: Printer, node: ir.All) -> tuple[Cond, Err | None]:
    parts = [p.cond(part) for part in node.parts]  # evaluation stops at the first part that is false
    return c_and(c for c, _e in parts), err_case([(e, c_not(c), None) for c, e in parts], None)


def _any(p: Printer, node: ir.Any) -> tuple[Cond, Err | None]:
    parts = [p.cond(part) for part in node.parts]  # evaluation stops at the first part that is true
    return c_or(c for c, _e in parts), err_case([(e, c, None) for c, e in parts], None)


def _not(p: Printer, node: ir.Not) -> tuple[Cond, Err | None]:
    cond, err = p.cond(node.part)
    return c_not(cond), err


_PRINTERS: dict[type, Callable[[Printer, Any], Value]] = {
    ir.Const: _const, ir.Text: _text, ir.YesNo: _yes_no, ir.Field: _field, ir.Arith: _arith, ir.Div: _div,
    ir.Neg: _neg, ir.Abs: _abs, ir.Extreme: _extreme, ir.Clamp: _clamp, ir.Round: _round, ir.Steps: _steps,
    ir.Cases: _cases, ir.Named: _named, ir.Fail: _fail, ir.Peer: lambda p, node: print_peer(p, node),
}
_CONDITIONS: dict[type, Callable[[Printer, Any], tuple[Cond, Err | None]]] = {
    ir.Truth: _truth, ir.Compare: _compare, ir.IsYes: _is_yes, ir.All: _all, ir.Any: _any, ir.Not: _not,
    ir.Blank: _blank,
}

__all__ = ["Failed", "Flag", "Label", "MISSING", "Printer", "as_flag", "as_label", "as_q", "failure_text", "shared_blank"]
