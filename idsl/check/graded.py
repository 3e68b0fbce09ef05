"""E455/E456/W524: 评级's grades — well formed, covering 0 … points once, written from the top grade down."""

from __future__ import annotations

from fractions import Fraction
from typing import Iterator

from idsl.check.context import Context
from idsl.check.dims import POINTS
from idsl.check.intervals import Interval, IntervalSet
from idsl.check.notation import format_interval
from idsl.diagnostics import Diagnostic
from idsl.frontend import ast
from idsl.semantics.graded import TierRange, graded_ranges, mixed_units
from idsl.semantics.phrases import format_quantity

SUBJECT = "得分"


def check_graded(context: Context) -> Iterator[Diagnostic]:
    """Each 评级: E456 when malformed, else E455 where its grades leave a score out or share one, W524 when
    the grades are not written from the top down (the drop-down and the letters A, B, C follow the order)."""
    for leaf in context.leaves:
        rule = leaf.body.rule if leaf.body is not None else None
        if not isinstance(rule, ast.Graded) or leaf.points is None or leaf.points <= 0:
            continue
        problems = list(_shape(rule, leaf))
        yield from problems
        if problems:
            continue
        ranges = graded_ranges(rule, Fraction(leaf.points))
        coverage = list(_coverage(rule, ranges, Fraction(leaf.points), leaf))
        yield from coverage
        if not coverage and [r.least for r in ranges] != sorted((r.least for r in ranges), reverse=True):
            yield Diagnostic("W524", "评级的等级没有按从高到低的顺序书写。", rule.span, leaf.path,
                             hint="从最高的等级写起，例如 评级 优：90%～100%；良：75%～90%；中：60%～75%；差：0～60%"
                                  "（下拉框和 A、B、C 依次对应所写的等级）。")


def _shape(rule: ast.Graded, leaf) -> Iterator[Diagnostic]:
    if len(rule.tiers) < 2:
        yield Diagnostic("E456", "评级至少要有两个等级。", rule.span, leaf.path,
                         hint="例如 评级 优：90%～100%；良：75%～90%；中：60%～75%；差：0～60%；只由评价人给分写“酌情”。")
    seen: set[str] = set()
    for tier in rule.tiers:
        if tier.name in seen:
            yield Diagnostic("E456", f"等级“{tier.name}”写了两次。", tier.span, leaf.path, hint="每个等级只写一次。")
        seen.add(tier.name)
        if mixed_units(tier):
            yield Diagnostic("E456", f"等级“{tier.name}”的范围一端是百分比、一端是分数。", tier.span, leaf.path,
                             hint="两端用同一种写法：90%～100%（占分值的比例）或 9～10 分。")
        elif tier.first.amount == tier.second.amount:
            yield Diagnostic("E456", f"等级“{tier.name}”的范围两端相同，没有可给的分数。", tier.span, leaf.path,
                             hint="写出这一等的下限和上限，例如 60%～75%。")


def _interval(grade: TierRange) -> Interval:
    return Interval(grade.least, grade.most, grade.low_in, grade.high_in)


def _coverage(rule: ast.Graded, ranges: tuple[TierRange, ...], points: Fraction, leaf) -> Iterator[Diagnostic]:
    whole = Interval(Fraction(0), points, True, True)
    shown = format_quantity(points)
    for tier, grade in zip(rule.tiers, ranges):
        if grade.least < 0 or grade.most > points:
            yield Diagnostic("E455", f"等级“{grade.name}”的范围 {grade.text()}分超出了 0～{shown}分。", tier.span,
                             leaf.path, hint=f"各等级的范围应在 0 到指标分值 {shown} 分之间（百分比不超过 100%）。")
    covered = IntervalSet.of(*(_interval(g) for g in ranges))
    for gap in IntervalSet.of(whole).minus(covered).parts:
        text = format_interval(gap, SUBJECT, POINTS)
        yield Diagnostic("E455", f"{text} 分时不属于任何等级。", rule.span, leaf.path, hint=_gap_hint(gap))
    for i, first in enumerate(ranges):
        for second, tier in zip(ranges[i + 1:], rule.tiers[i + 1:]):
            for part in IntervalSet.of(_interval(first)).intersect(IntervalSet.of(_interval(second))).parts:
                text = format_interval(part, SUBJECT, POINTS)
                yield Diagnostic("E455", f"{text} 分时既属于“{first.name}”又属于“{second.name}”。", tier.span,
                                 leaf.path, hint=_overlap_hint(part))


def _gap_hint(gap: Interval) -> str:
    if gap.is_point:
        return (f"{format_quantity(gap.lo)} 分应属于相邻的某一等：在那一等的这一端写“（含）”，"
                "例如 达成：100%～80%（含）。")
    return "让相邻等级的范围首尾相接，例如 良：75%～90% 与 优：90%～100%。"


def _overlap_hint(part: Interval) -> str:
    if part.is_point:
        return f"{format_quantity(part.lo)} 分只能属于一等：只在其中一等的这一端写“（含）”。"
    return "让相邻等级的范围首尾相接而不重叠，例如 良：75%～90% 与 优：90%～100%。"
