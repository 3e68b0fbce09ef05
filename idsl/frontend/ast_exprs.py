"""The AST's expressions and conditions, and the span field every node has (kept out of equality)."""

from __future__ import annotations

from decimal import Decimal
from typing import Union

import attrs

from idsl.frontend.source import NOWHERE, Span


def span_field():
    """A span field that does not take part in equality, hashing or repr."""
    return attrs.field(default=NOWHERE, eq=False, repr=False, kw_only=True)


def added_field(default):
    """A field added after compiled files existed: written to them only when it differs from its default,
    so the fingerprints of plans that do not use it stay as they were."""
    return attrs.field(default=default, metadata={"omit_default": True})


def written_field(default):
    """How the author worded something that means the same either way (`= 扣分原因` for `= 得分原因`), kept so
    that `idsl fmt` prints it back: out of equality, repr and the compiled plan (its data and fingerprint)."""
    return attrs.field(default=default, eq=False, repr=False, kw_only=True, metadata={"written": True})


# ---------------------------------------------------------------- expressions


@attrs.frozen
class Num:
    """A number as written: `80%` is Num(Decimal('80'), percent=True)."""

    value: Decimal  # the digits as written (80 for 80%)
    percent: bool = False  # written with % (the value means value/100)
    unit: str | None = None  # unit written after it: 万元, 人, 个 …
    span: Span = span_field()

    @property
    def amount(self) -> Decimal:
        """The number's value, with a percent divided by 100."""
        return self.value / 100 if self.percent else self.value


@attrs.frozen
class Subject:
    """The rule's subject left implicit in a band: `≥ 80%` means `subject ≥ 80%`."""

    span: Span = span_field()


@attrs.frozen
class BoolLit:
    """是 / 否 (yes / no) in a condition."""

    value: bool  # True for 是
    span: Span = span_field()


@attrs.frozen
class Ref:
    """A name used in an expression: an input, a derived quantity or a questionnaire rate."""

    name: str  # the name as written
    span: Span = span_field()


@attrs.frozen
class PointsRef:
    """`分值` / `满分` / `points`: the indicator's own points."""

    span: Span = span_field()


@attrs.frozen
class BinOp:
    """Arithmetic on two expressions; op is one of + - * /."""

    op: str  # '+', '-', '*' or '/'
    left: "Expr"  # left operand
    right: "Expr"  # right operand
    span: Span = span_field()


@attrs.frozen
class Neg:
    """Unary minus."""

    operand: "Expr"  # the negated expression
    span: Span = span_field()


@attrs.frozen
class Call:
    """One of the few functions: abs, min, max, round (half up), convert (to a unit), and those over the units
    scored together: peer_max, peer_min, peer_mean, rank, rank_share, ratio_max, ratio_min (最高 … 比最低)."""

    func: str  # 'abs', 'min', 'max', 'round', 'convert' or one over the units scored together
    args: tuple["Expr", ...]  # the arguments
    unit: str | None = None  # the target unit of convert
    span: Span = span_field()


Expr = Union[Num, Ref, PointsRef, BinOp, Neg, Call, Subject, BoolLit]


@attrs.frozen
class Compare:
    """A comparison, possibly chained: `90% > 比率 ≥ 75%` is operands (90%, 比率, 75%), ops ('>', '>=').

    One operand and no ops is a yes/no input standing alone: `若 受到处罚 则 …`. A band's end written the tables'
    way is a comparison with the subject implied, `written` keeping the form: `80%（含）～90%` is (80%, subject, 90%)
    with ('<=', '<') written 'range'; `90%（含）以上` is (subject, 90%) with ('>=',) written 'above-marked'. An end
    not marked, `80%以下` written 'below', holds 80% ('<=') unless another band of the rule marks 80% （含） ('<');
    `90%及以上` written 'above-and' holds 90% always. A range written high end first is kept low end first.
    """

    operands: tuple[Expr, ...] = attrs.field(validator=attrs.validators.min_len(1))  # one or more expressions
    ops: tuple[str, ...] = attrs.field()  # one fewer than operands: '<', '<=', '>', '>=', '=', '!='
    span: Span = span_field()
    # '' as a comparison; as the tables write a band's ends: 'range', 'above', 'below', 'above-marked', 'below-marked',
    # 'above-and', 'below-and'
    written: str = added_field("")

    @ops.validator
    def _one_fewer(self, attribute, value):
        if len(value) != len(self.operands) - 1:
            raise ValueError("a comparison has one operator fewer than operands")


@attrs.frozen
class Range:
    """`60%～80%`: a closed range of the rule's subject."""

    low: Expr  # lower end, included
    high: Expr  # upper end, included
    span: Span = span_field()


@attrs.frozen
class BoolOp:
    """Conditions joined by 且 (and) or 或 (or)."""

    op: str  # 'and' or 'or'
    parts: tuple["Cond", ...] = attrs.field(validator=attrs.validators.min_len(2))  # two or more conditions
    span: Span = span_field()


@attrs.frozen
class Otherwise:
    """`否则`: whatever no other band covers."""

    span: Span = span_field()


Cond = Union[Compare, Range, BoolOp, Otherwise]
