"""Source text of the header lines over the whole result: 等级不高于 … 若 …."""

from __future__ import annotations

from idsl.frontend import ast
from idsl.frontend.printer_text import format_cond, format_number, quote_name

_OPS = {">=": "≥", "=": "=", ">": ">", "<=": "≤", "<": "<", "!=": "≠"}


def limit_line(limit: ast.GradeLimit) -> str:
    """`等级不高于 良 若 得分率低于 60% 的指标 ≥ 2 个` (or the 任一 / 不得分 forms, as written).

    >>> from decimal import Decimal
    >>> limit_line(ast.GradeLimit("良", Decimal(60), Decimal(1), any_form=True))
    '等级不高于 良 若 任一指标得分率低于 60%'
    >>> limit_line(ast.GradeLimit("中", None, Decimal(2)))
    '等级不高于 中 若 不得分的指标 ≥ 2 个'
    """
    head = f"等级不高于 {quote_name(limit.grade)} 若 "
    if limit.any_form and limit.rate is not None:
        return head + f"任一指标得分率低于 {format_number(limit.rate)}%"
    op = limit.op
    if op.startswith("? "):  # an unknown word after the count (E459), printed back as written
        times = f"{format_number(limit.count)} {op[2:]}"
    else:
        times = f"{_OPS.get(op, op)} {format_number(limit.count)} 个"
    which = "不得分的指标" if limit.rate is None else f"得分率低于 {format_number(limit.rate)}% 的指标"
    return head + f"{which} {times}"


def consequence_lines(consequence: ast.Consequence) -> list[str]:
    """`结果 付费比例` and one band a line: `  总分 ≥ 90：100%`."""
    lines = [f"结果 {quote_name(consequence.name)}"]
    for band in consequence.bands:
        value = format_number(band.value) + ("%" if band.percent else "")
        lines.append(f"  {format_cond(band.cond)}：{value}")
    return lines


__all__ = ["consequence_lines", "limit_line"]
