"""The rules over the whole table in words (vetoes, the cap, 等级不高于, 结果's bands), one text for the Word table
and the workbook's 评分标准 sheet; with a result, the unit's 结果 value."""

from __future__ import annotations

import attrs

from idsl.frontend import ast
from idsl.render.docx_table import grade_bands_text
from idsl.render.standard import veto_lines
from idsl.semantics.consequences import value_text
from idsl.semantics.model import Plan
from idsl.semantics.numbers import format_points


def consequence_lines(plan: Plan, result=None) -> list[str]:
    """`付费比例：90（含）-100分为100%、…`, and with a result `本次评价付费比例：90%（总分92分）。`"""
    lines = []
    for consequence in plan.consequences:
        bands = tuple(ast.GradeBand(value_text(b), b.cond) for b in consequence.bands)
        lines.append(f"{consequence.name}：{grade_bands_text(attrs.evolve(plan, grades=bands))}。")
    if result is not None:
        for name, value in result.consequences:
            if value is not None:
                lines.append(f"本次评价{name}：{value}（总分{format_points(result.total)}分）。")
    return lines


def table_rule_lines(plan: Plan, result=None) -> list[str]:
    """What the Word table prints under the table and the workbook's 评分标准 sheet lists after the leaves:
    一票否决、一票否优、总分上限、等级不高于、不适用's handling, then each 结果's bands (and the unit's value).

    >>> from decimal import Decimal
    >>> from idsl.semantics.model import Plan
    >>> grades = (ast.GradeBand("优", ast.Otherwise()), ast.GradeBand("良", ast.Otherwise()))
    >>> table_rule_lines(Plan("t", Decimal(100), 2, grades, (), vetoes=(ast.Veto("top", ast.Compare((ast.Ref("被通报"),), ())),)))
    ['一票否优：如被通报，等级最高为良。']
    """
    return veto_lines(plan) + consequence_lines(plan, result)


__all__ = ["consequence_lines", "table_rule_lines"]
