"""E428: a leaf's own floor and decimals (最低 -2 分, 小数 4 位, §11.14) — where they go and what they may say."""

from __future__ import annotations

from typing import Iterator

from idsl.check.context import Context
from idsl.diagnostics import Diagnostic
from idsl.frontend import ast
from idsl.semantics.numbers import format_points


def check_leaf_limits(context: Context) -> Iterator[Diagnostic]:
    """E428: 最低 and 小数 go under a tree leaf (not a 分项 part, a penalty or bonus item, a 酌情 leaf for 最低),
    and 最低 is below 0."""
    for leaf in context.leaves:
        body = leaf.body
        if body is None or (body.floor is None and body.places is None):
            continue
        first = body.floor or body.places
        if leaf.role != "leaf" or leaf.item:
            word = "最低" if body.floor is not None else "小数"
            yield Diagnostic("E428", f"“{word}”只能写在末级指标下，不能写在分项或扣分项、加分项的条目里。",
                             first.span, leaf.path, hint="把这一行移到指标本身（不是分项）的评分规则之后。")
            continue
        if body.floor is not None:
            yield from _floor(leaf, body)


def _floor(leaf, body: ast.LeafBody) -> Iterator[Diagnostic]:
    floor = body.floor
    if floor.points >= 0:
        yield Diagnostic("E428", f"“最低 {format_points(floor.points)} 分”不是负分：得分本来就不低于 0 分。",
                         floor.span, leaf.path,
                         hint="原文允许负分时写负数，例如 最多扣至 -2 分 写 最低 -2 分；否则删去这一行。")
    elif isinstance(body.rule, ast.Discretionary):
        yield Diagnostic("E428", "酌情评分的指标由评价人在给分范围内给分，不能再写“最低”。", floor.span, leaf.path,
                         hint="允许负分时写明范围：酌情 -2～3 分 不可用，改用公式、分档或按项扣分，再写 最低 -2 分。")


__all__ = ["check_leaf_limits"]
