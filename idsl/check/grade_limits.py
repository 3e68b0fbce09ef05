"""Checks on 等级不高于 … 若 …: a grade that exists (E457), a rate and a count that make sense (E459), a limit that can lower something (W526)."""

from __future__ import annotations

from typing import Iterator

from idsl.check.context import Context
from idsl.diagnostics import Diagnostic
from idsl.frontend import ast
from idsl.semantics.numbers import format_points
from idsl.semantics.program import ranked_grades

_EXAMPLE = "例如 等级不高于 良 若 任一指标得分率低于 60%，或 等级不高于 中 若 不得分的指标 ≥ 2 个。"


def check_grade_limits(context: Context) -> Iterator[Diagnostic]:
    """E457, E459 and W526 for each 等级不高于 line."""
    spec = context.spec
    leaves = sum(1 for _ in _leaves(spec.indicators))
    order = [band.grade for band in ranked_grades(spec.grades)]
    for limit in spec.grade_limits:
        if limit.grade not in order:
            yield _unknown_grade(limit, order)
        problem = _malformed(limit)
        if problem is not None:
            yield Diagnostic("E459", problem[0], limit.span, (), hint=problem[1])
            continue
        if limit.grade in order:
            yield from _useless(limit, order, leaves)


def _unknown_grade(limit: ast.GradeLimit, order: list[str]) -> Diagnostic:
    if not order:
        return Diagnostic("E457", f"等级不高于“{limit.grade}”，而体系没有写等级。", limit.span, (),
                          hint="先写 等级，例如 等级 优：总分 ≥ 90；良：80 ≤ 总分 < 90；中：60 ≤ 总分 < 80；差：总分 < 60")
    return Diagnostic("E457", f"等级不高于“{limit.grade}”，而“{limit.grade}”不是体系的等级。", limit.span, (),
                      hint=f"写体系的一个等级：{'、'.join(order)}。")


def _malformed(limit: ast.GradeLimit) -> tuple[str, str] | None:
    """E459's message and hint: a rate outside 0%～100%, a count not a whole number ≥ 1, a comparison other than ≥."""
    if limit.rate is not None and not 0 <= limit.rate <= 100:
        return (f"得分率 {format_points(limit.rate)}% 不在 0%～100% 之内。",
                "得分率是指标得分占该指标分值的比例，例如 得分率低于 60% 的指标 ≥ 1 个。")
    if limit.op.startswith("? "):
        return f"个数后面的“{limit.op[2:]}”不是“个”或“个及以上”。", _EXAMPLE
    if limit.op != ">=":
        return ("等级限制数的是“达到多少个”：个数前只能写 ≥（或在个数后写“个及以上”）。",
                f"把条件写成 ≥ N 个；“超过 2 个”即 ≥ 3 个。{_EXAMPLE}")
    if limit.count < 1 or limit.count != limit.count.to_integral_value():
        return (f"指标个数 {format_points(limit.count)} 不是 1 以上的整数。",
                "写至少 1 个，例如 ≥ 1 个（任一指标）或 ≥ 2 个。")
    return None


def _useless(limit: ast.GradeLimit, order: list[str], leaves: int) -> Iterator[Diagnostic]:
    """W526: a limit that can never lower the grade."""
    if order.index(limit.grade) == 0:
        yield Diagnostic("W526", f"等级不高于“{limit.grade}”永远不会降低等级：“{limit.grade}”已是最高的等级。",
                         limit.span, (), hint=f"写要降到的等级，例如 等级不高于 {order[1] if len(order) > 1 else '良'}。")
    elif limit.rate is not None and limit.rate == 0:
        yield Diagnostic("W526", "得分率低于 0% 的指标不存在：这条等级限制永远不会生效。", limit.span, (),
                         hint="要数不得分的指标，写 不得分的指标 ≥ N 个。")
    elif limit.count > leaves:
        yield Diagnostic("W526", f"体系只有 {leaves} 个末级指标，不会有 {format_points(limit.count)} 个指标满足条件：这条等级限制永远不会生效。",
                         limit.span, (), hint=f"个数应在 1～{leaves} 之间。")


def _leaves(indicators) -> Iterator[ast.Indicator]:
    for indicator in indicators:
        if indicator.children:
            yield from _leaves(indicator.children)
        else:
            yield indicator


__all__ = ["check_grade_limits"]
