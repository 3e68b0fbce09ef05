"""Checks on points: children add up to their parent, level-1 to the total, parts to their leaf."""

from __future__ import annotations

from decimal import Decimal
from typing import Iterator

from idsl.frontend import ast
from idsl.check.context import Context
from idsl.check.env import walk
from idsl.check.refine import misplaced, refined_leaf, unpointed_subtrees
from idsl.diagnostics import Diagnostic, Label
from idsl.semantics.domains import MAX_PLACES, points_problem
from idsl.semantics.numbers import format_points


def check_points_present(context: Context) -> Iterator[Diagnostic]:
    """E301: every indicator and penalty/bonus item states its points; E304: points in the tree are positive."""
    unpointed = unpointed_subtrees(context.spec.indicators)  # E460 says it once for a refined leaf's children
    for path, indicator in walk(context.spec.indicators):
        if indicator.points is None and (indicator.points_placeholder or id(indicator) in unpointed
                                         or misplaced(indicator)):
            continue  # （？）: E450 says it is still to fill; a refinement's: E460
        if indicator.points is None and indicator.weight is not None:
            yield Diagnostic("E439", f"“{indicator.name}”写了权重 {format_points(indicator.weight)}%，但上级没有分值，"
                                     "无从折算。", indicator.points_span, path,
                             hint="先给上级写出分值或权重（一级指标按总分折算）；或直接写本指标的分值。")
        elif indicator.points is None:
            yield Diagnostic("E301", f"指标“{indicator.name}”没有写分值。", indicator.span, path,
                             hint=f"在名称后写上分值，例如 {indicator.name}（3）。")
        elif indicator.points <= 0:
            yield Diagnostic("E304", f"指标“{indicator.name}”的分值 {format_points(indicator.points)} 不是正数。",
                             indicator.points_span, path, hint="分值应大于 0；扣分项请写在“逆向指标”块中。")
    if context.spec.indicators and context.spec.total is None:
        yield Diagnostic("E301", "体系没有写总分。", context.spec.indicators[0].span,
                         hint='在开头写上总分，例如 体系 "…" 总分 100。')
    for block in context.spec.adjustments:
        verb = "加" if block.kind == "bonus" else "扣"
        for item in block.items:
            if item.weight is not None:  # an item's points are its own cap, a share of nothing
                yield Diagnostic("E439", f"“{item.name}”写了权重 {format_points(item.weight)}%：扣分项、加分项的分值是"
                                         "这一项最多扣（加）的分数，不是上级的份额。", item.points_span,
                                 (block.name, item.name), hint=f"写出分值，例如 {item.name}（2）。")
            elif item.points is None and not item.points_placeholder:  # the item's points are its cap: without them it can move nothing
                yield Diagnostic("E301", f"“{item.name}”没有写分值（这一项最多{verb}的分数）。", item.span,
                                 (block.name, item.name),
                                 hint=f"在名称后写上分值，例如 {item.name}（5）；不写，这一项永远{verb} 0 分。")


def check_children_sum(context: Context) -> Iterator[Diagnostic]:
    """E302: a branch's children add up exactly to its points."""
    for path, indicator in walk(context.spec.indicators):
        if (not indicator.children or indicator.points is None or indicator.pool is not None
                or refined_leaf(indicator)):
            continue  # 择一 / 任选 k 项: the alternatives' points are E442's; a refined leaf's children: E109
        points = [c.points for c in indicator.children]
        if any(p is None for p in points):
            continue
        total = sum(points, Decimal(0))
        if total != indicator.points:
            yield Diagnostic(
                "E302",
                f"“{indicator.name}”的下级指标合计 {format_points(total)} 分，"
                f"{_compared(total, indicator.points, '其分值')}。",
                indicator.points_span, path,
                hint=_weights_hint(indicator.children) or _mismatch_hint(indicator, total),
                labels=tuple(Label(c.points_span, _label(c)) for c in indicator.children))


def _compared(total: Decimal, expected: Decimal, what: str) -> str:
    """`比其分值 6 分少 2 分`: the difference said the way an officer would."""
    more_or_less = "多" if total > expected else "少"
    return f"比{what} {format_points(expected)} 分{more_or_less} {format_points(abs(total - expected))} 分"


def _label(indicator: ast.Indicator) -> str:
    """An indicator's points as a label; a weighted one's with its weight (资金管理 40% = 12)."""
    weight = f" {format_points(indicator.weight)}% =" if indicator.weight is not None else ""
    return f"{indicator.name}{weight} {format_points(indicator.points)}"


def _weights_hint(children: tuple[ast.Indicator, ...]) -> str | None:
    """Where every child is weighted (（30%）), what the weights add up to: they must make 100%."""
    if not children or any(c.weight is None for c in children):
        return None
    weights = sum((c.weight for c in children), Decimal(0))
    names = "、".join(f"{c.name}（{format_points(c.weight)}%）" for c in children)
    return f"{names}：权重合计 {format_points(weights)}%，应为 100%；改正某个权重。"


def _mismatch_hint(indicator: ast.Indicator, total: Decimal) -> str:
    names = "、".join(f"{c.name}（{format_points(c.points)}）" for c in indicator.children)
    return f"{names} = {format_points(total)}；改正某个下级指标的分值，或把“{indicator.name}”改为（{format_points(total)}）。"


def check_total(context: Context) -> Iterator[Diagnostic]:
    """E303: the level-1 points add up to the total."""
    spec = context.spec
    points = [i.points for i in spec.indicators]
    if spec.total is None or not points or any(p is None for p in points):
        return
    total = sum(points, Decimal(0))
    if total != spec.total:
        names = "、".join(f"{i.name}（{format_points(i.points)}）" for i in spec.indicators)
        yield Diagnostic(
            "E303", f"一级指标合计 {format_points(total)} 分，{_compared(total, spec.total, '总分')}。",
            spec.indicators[0].span, hint=_weights_hint(spec.indicators) or f"{names} = {format_points(total)}；改正分值或总分。",
            labels=tuple(Label(i.points_span, _label(i)) for i in spec.indicators))


def check_parts_sum(context: Context) -> Iterator[Diagnostic]:
    """E305: the parts of a leaf add up to its points."""
    for leaf in context.leaves:
        rule = leaf.body.rule if leaf.body else None
        if leaf.role == "part" or not isinstance(rule, ast.Parts) or leaf.points is None:
            continue
        total = sum((p.points for p in rule.parts), Decimal(0))
        if total != leaf.points:
            yield Diagnostic(
                "E305", f"“{leaf.path[-1]}”各分项合计 {format_points(total)} 分，与其分值 "
                        f"{format_points(leaf.points)} 分不符。",
                rule.span, leaf.path, hint="调整分项的分值，使合计等于指标分值。",
                labels=tuple(Label(p.span, f"{p.name} {format_points(p.points)}") for p in rule.parts))


def check_points_places(context: Context) -> Iterator[Diagnostic]:
    """E307: points have no more decimals than the spec's places (小数 N 位), so the scores shown add up.

    Leaf scores are rounded to the places: leaves of 3.334 + 3.333 + 3.333 under a parent of 10 could
    then show a sum that is not the parent's, and a leaf of 0.0000001 would print 0.00.
    """
    places = context.spec.places
    for path, indicator in walk(context.spec.indicators):
        own = indicator.body.places if indicator.body is not None and not indicator.children else None
        shown = own.places if own is not None else places  # a leaf's own 小数 N 位 (§11.14)
        yield from _points_places(indicator.name, indicator.points, shown, indicator.points_span, path)
        rule = indicator.body.rule if indicator.body else None
        for part in rule.parts if isinstance(rule, ast.Parts) else ():
            yield from _points_places(part.name, part.points, places, part.span, path + (part.name,))
    for block in context.spec.adjustments:
        for item in block.items:
            yield from _points_places(item.name, item.points, places, item.points_span, (block.name, item.name))
    if context.spec.total is not None and context.spec.indicators:
        yield from _points_places("总分", context.spec.total, places, context.spec.span, ())


def _points_places(name, points, places, span, path) -> Iterator[Diagnostic]:
    problem = points_problem(abs(points), places) if points is not None else None
    if problem is not None:
        yield Diagnostic("E307", f"“{name}”的{problem}", span, path,
                         hint=f"分值的小数位不能多于得分保留的位数：改正分值，或把 小数 N 位 写大些（最多 {MAX_PLACES} 位）。")
