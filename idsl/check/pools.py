"""择一 / 任选 k 项 / 取最高 k 项: E442 where the alternatives' points do not make the parent's, E444 where the
line cannot stand, W523 where it counts every alternative."""

from __future__ import annotations

from decimal import Decimal  # noqa: F401  (the doctests use it)

from typing import Iterator

from idsl.check.context import Context
from idsl.check.env import walk
from idsl.diagnostics import Diagnostic, Label
from idsl.frontend import ast
from idsl.semantics.numbers import format_points
from idsl.semantics.pools import title

_WORD = {"one": "择一", "any": "任选", "best": "取最高"}


def check_pools(context: Context) -> Iterator[Diagnostic]:
    """Where a pool line is written, what its alternatives are, and their points."""
    for path, indicator in walk(context.spec.indicators):
        pool = indicator.pool
        if pool is None:
            continue
        if not indicator.children:
            yield Diagnostic("E444", f"“{_WORD[pool.kind]}”写在有下级指标的指标下，这里的“{indicator.name}”没有下级指标。",
                             pool.span, path, hint="把备选的指标写成它的下级指标，每个带自己的分值和评分规则。")
            continue
        yield from _count(indicator, pool, path)
        for child in indicator.children:
            yield from _alternative(child, pool, path + (child.name,))
        yield from _points(indicator, pool, path)
    for block in context.spec.adjustments:
        for item in block.items:
            if item.pool is not None:
                word = _WORD[item.pool.kind]
                yield Diagnostic("E444", f"扣分项、加分项的条目不能写“{word}”：每一条都按发生的情况扣（加）分。",
                                 item.pool.span, (block.name, item.name), hint="删去这一行；备选的指标写在指标体系里。")


def _count(indicator: ast.Indicator, pool: ast.Pool, path) -> Iterator[Diagnostic]:
    n = len(indicator.children)
    if pool.count < 1 or pool.count > n:
        yield Diagnostic("E444", f"“{indicator.name}”有 {n} 个下级指标，不能{_WORD[pool.kind]} {pool.count} 项。",
                         pool.span, path, hint=f"项数应在 1～{n} 之间。")
    elif pool.count == n:
        yield Diagnostic("W523", f"“{indicator.name}”的 {n} 个下级指标都要计入，“{_WORD[pool.kind]}”这一行不起作用。",
                         pool.span, path, hint="删去这一行，各下级指标的分值合计为上级分值；或补上备选的指标。")


def _alternative(child: ast.Indicator, pool: ast.Pool, path) -> Iterator[Diagnostic]:
    body = child.body
    if child.children:
        yield Diagnostic("E444", f"“{child.name}”是备选的一项，不能再有下级指标。", child.span, path,
                         hint="备选的各项都是末级指标；一项需要细分时，用“分项”。")
    elif child.not_applicable is not None or (body is not None and body.applies is not None):
        span = body.applies.span if body is not None and body.applies is not None else child.span
        yield Diagnostic("E444", f"“{child.name}”是备选的一项，不能再写“不适用”或“适用 若”：不选用它就是不评它。",
                         span, path, hint="删去这一行；评价时只给选用的那一项的输入。")
    elif body is not None and body.nodata is not None and body.nodata.outcome == "na":
        yield Diagnostic("E444", f"“{child.name}”是备选的一项，不能写“无数据时 不适用”：不选用它就是不评它。",
                         body.nodata.span, path, hint="改为 无数据时 得满分、不得分、得 N 分 或 酌情 1～3 分；"
                                                      "没有数据而不评它时，不给它的输入，选用另一项。")


def _points(indicator: ast.Indicator, pool: ast.Pool, path) -> Iterator[Diagnostic]:
    """E442: each alternative carries the parent's points ÷ k (择一: the parent's own)."""
    if indicator.points is None or any(c.points is None for c in indicator.children):
        return
    if not 1 <= pool.count <= len(indicator.children):
        return
    each = indicator.points / pool.count
    wrong = [c for c in indicator.children if c.points != each]
    if not wrong:
        return
    named = title(pool, len(indicator.children))
    if pool.kind == "one":
        message = f"“{indicator.name}”{named}：每一项都按上级的 {format_points(indicator.points)} 分评，"
    else:
        message = (f"“{indicator.name}”{named}：每一项应为 {format_points(indicator.points)} ÷ {pool.count} = "
                   f"{format_points(each)} 分，")
    listed = "、".join(f"“{c.name}”{format_points(c.points)} 分" for c in wrong)
    yield Diagnostic("E442", message + f"而{listed}。", wrong[0].points_span, path,
                     hint=f"把各项都写成（{format_points(each)}），或改正“{indicator.name}”的分值。",
                     labels=tuple(Label(c.points_span, f"{c.name} {format_points(c.points)}") for c in wrong[1:]))


__all__ = ["check_pools"]
