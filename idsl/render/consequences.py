"""结果 付费比例 in the Word table: its bands under the table, and the unit's value where it is scored."""

from __future__ import annotations

import attrs

from idsl.frontend import ast
from idsl.render.docx_table import grade_bands_text
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


__all__ = ["consequence_lines"]
