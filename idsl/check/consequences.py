"""Checks on 结果 付费比例: its bands over the total are checked as grades are (E201, E407, E408, E411, W506), and its
name must be a column of its own (E459)."""

from __future__ import annotations

from typing import Iterator

import attrs

from idsl.check.context import Context
from idsl.check.grades import check_grades
from idsl.diagnostics import Diagnostic
from idsl.frontend import ast
from idsl.semantics.consequences import value_text
from idsl.semantics.program import TOTAL_NAMES

_TAKEN = TOTAL_NAMES + ("等级", "grade", "评价等级", "单位", "错误", "未评", "总分名次")


def check_consequences(context: Context) -> Iterator[Diagnostic]:
    """Each 结果: a name no other column has (E459); bands covering every total once (the grade checks)."""
    spec = context.spec
    seen: set[str] = set()
    level1 = {indicator.name for indicator in spec.indicators}
    for consequence in spec.consequences:
        name = consequence.name
        if name in seen or name in _TAKEN or name in level1:
            yield Diagnostic("E459", f"结果的名称“{name}”已被{'另一个结果' if name in seen else '结果表的其他列'}使用。",
                             consequence.span, (), hint="换一个名称，例如 结果 付费比例。")
        seen.add(name)
        bands = tuple(ast.GradeBand(value_text(b), b.cond, span=b.span) for b in consequence.bands)
        for problem in check_grades(attrs.evolve(context, spec=attrs.evolve(spec, grades=bands))):
            yield _reworded(problem, name)


def _reworded(problem: Diagnostic, name: str) -> Diagnostic:
    """A grade diagnostic said of the result's bands."""
    message = (problem.message.replace("时没有等级", f"时“{name}”没有对应的档次")
               .replace("时既是", f"时“{name}”既是").replace("等级只按总分划分", f"“{name}”只按总分划分")
               .replace("等级“", f"“{name}”的档次“"))
    hint = problem.hint
    if problem.code == "E407" and hint and "加分项" not in hint:
        hint = "调整相邻档次的边界使其首尾相接，例如 80 ≤ 总分 < 90：90%（而不是 80～89：90%），或用 否则 兜底。"
    elif problem.code == "E408":
        hint = "让相邻档次首尾相接而不重叠，例如 80 ≤ 总分 < 90：90%；总分 ≥ 90：100%。"
    elif problem.code == "W506":
        hint = "核对档次的分数线是否按本体系的总分书写。"
    elif problem.code == "E411":
        hint = "写成 总分 ≥ 90：100% 或 80 ≤ 总分 < 90：90%。"
    return attrs.evolve(problem, message=message, hint=hint)


__all__ = ["check_consequences"]
