"""Intermediate values the AST builder (`parse_rules`, `parse_spec`) passes up the tree until a leaf, an indicator
or the spec is assembled; they only live while the transformer runs (parse_exprs has the shared ones)."""

from __future__ import annotations

from decimal import Decimal

from idsl.frontend.parse_exprs import carrier
from idsl.frontend.source import Span


@carrier
class _TotalCap:  # 总分上限: kept apart until the spec is assembled
    expr: object


@carrier
class _Rounding:
    mode: str


@carrier
class _PointsPlaceholder:
    span: Span


@carrier
class _Adjust:
    text: str


@carrier
class _RankTotal:  # 总分排名: the results rank the units by their totals
    written: bool


@carrier
class _Applies:  # 适用 若 条件: the leaf applies only where the condition holds
    cond: object
    span: Span


@carrier
class _ReasonBelow:  # 扣分须说明理由
    written: bool


@carrier
class _Explain:
    text: str


@carrier
class _Standard:
    text: str


@carrier
class _PassMark:  # `及格 60%`: kept apart from the target's own number
    value: Decimal


@carrier
class _OverCut:  # `超额调减 最多 2 分`
    value: Decimal


@carrier
class _NotApplicable:
    mode: str


@carrier
class _System:
    title: str | None
    total: Decimal | None


@carrier
class _Places:
    places: int


@carrier
class _Grades:
    grades: tuple


@carrier
class _LayoutTitle:
    text: str


@carrier
class _LayoutRows:
    rows: tuple


@carrier
class _LayoutLabels:
    labels: tuple


@carrier
class _FormField:
    field: str
    text: str
    span: Span


@carrier
class _Funds:
    unit: str
    rows: tuple


@carrier
class _Goals:
    lines: tuple


@carrier
class _Row:
    items: tuple
