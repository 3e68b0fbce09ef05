"""E443: the lines after a leaf's rule that move its score (§11.12) — where they go and what they may move."""

from __future__ import annotations

from typing import Iterator

from idsl.check.context import Context
from idsl.diagnostics import Diagnostic
from idsl.frontend import ast
from idsl.semantics.numbers import format_points

_WORDS = {"discretion": "酌情扣分", "deduct": "另扣", "add": "另加"}


def check_adjusts(context: Context) -> Iterator[Diagnostic]:
    """E443: on a plain leaf with a rule, at most one 酌情扣分, each cap above 0 and within the points."""
    for leaf in context.leaves:
        body = leaf.body
        if body is None or not body.adjusts:
            continue
        yield from _placement(leaf, body)
        for adjust in body.adjusts:
            yield from _amounts(leaf, adjust)


def _placement(leaf, body: ast.LeafBody) -> Iterator[Diagnostic]:
    first = body.adjusts[0]
    if leaf.role != "leaf" or leaf.item or isinstance(body.rule, ast.Parts):
        yield Diagnostic("E443", f"“{_WORDS[first.kind]}”只能写在有一条评分规则的末级指标下，不能写在分项或扣分项、加分项的条目里。",
                         first.span, leaf.path, hint="把这一行移到指标本身（不是分项）的评分规则之后。")
    elif isinstance(body.rule, ast.Discretionary):
        yield Diagnostic("E443", "酌情评分的指标本来就由评价人给分，不能再写扣减或加分行。", first.span, leaf.path,
                         hint="删去这一行，或把“酌情”换成公式、分档等计算得分的规则。")
    discretion = [a for a in body.adjusts if a.kind == "discretion"]
    for extra in discretion[1:]:
        yield Diagnostic("E443", "一个指标只能有一行“酌情扣分”。", extra.span, leaf.path,
                         hint="把几项酌情扣分合成一行，上限写它们的合计。")


def _amounts(leaf, adjust: ast.ScoreAdjust) -> Iterator[Diagnostic]:
    word = _WORDS[adjust.kind]
    points = leaf.points
    if adjust.cap is not None and (adjust.cap <= 0 or (points is not None and adjust.cap > points)):
        most = format_points(points) if points is not None else "分值"
        yield Diagnostic("E443", f"“{word}”最多 {format_points(adjust.cap)} 分，应大于 0 且不超过指标分值 {most} 分。",
                         adjust.span, leaf.path, hint=f"改为 最多 {most} 分 以内；得分扣到 0 为止，加到满分为止。")
    if adjust.each is not None and adjust.each <= 0:
        yield Diagnostic("E443", f"“{word}”每项的分值应大于 0。", adjust.span, leaf.path, hint="写成 每项 0.5 分 这样。")
    if adjust.subject is not None:
        symbol = leaf.scope.get(adjust.subject)
        if symbol is not None and not (symbol.kind == "input" and symbol.decl.kind in ("findings", "count")):
            yield Diagnostic("E443", f"“{word}”按项计分，要用“问题数”或数量输入，“{adjust.subject}”不是。", adjust.span,
                             leaf.path, hint=f"声明为 输入 {adjust.subject}：问题数。")


__all__ = ["check_adjusts"]
