"""The AST of rules over the whole result: the grade decided by counting leaves (等级不高于), a figure by bands (结果)."""

from __future__ import annotations

from decimal import Decimal

import attrs

from idsl.frontend.ast_exprs import Cond, span_field
from idsl.frontend.source import Span


@attrs.frozen
class GradeLimit:
    """`等级不高于 良 若 得分率低于 60% 的指标 ≥ 2 个`: while at least `count` leaves score below `rate` of their
    points (`rate` None: 不得分的指标, a leaf scoring 0), the grade is at most `grade`."""

    grade: str  # the best grade the unit may then get
    rate: Decimal | None  # the share of a leaf's points, in percent (60 for 60%); None: a leaf scoring 0
    count: Decimal  # how many such leaves lower the grade (a whole number ≥ 1)
    op: str = ">="  # the comparison written before the count; anything but ≥ is E459
    any_form: bool = False  # written 任一指标得分率低于 60% (fmt prints it back so)
    span: Span = span_field()


@attrs.frozen
class ResultBand:
    """One band of a 结果 block: `80 ≤ 总分 < 90：90%` — the value while the total is in the band."""

    cond: Cond  # over the total, as a grade's (否则: what the other bands leave)
    value: Decimal  # as written (90 for 90%)
    percent: bool = False  # written with %
    span: Span = span_field()


@attrs.frozen
class Consequence:
    """`结果 付费比例` and its bands over the total: a figure every result carries beside the grade (按效付费)."""

    name: str  # the result's name: 付费比例
    bands: tuple[ResultBand, ...]  # in the order written
    span: Span = span_field()


__all__ = ["Consequence", "GradeLimit", "ResultBand"]
