"""结果 付费比例: a figure decided by bands over the reported total (按效付费), lowered once and read by both engines.

Each band's condition is read like a grade's, over the total as reported (after 一票否决 and 总分上限); the
value is the text written (`90%`), exact, so a total exactly on a boundary lands where the band says."""

from __future__ import annotations

from decimal import Decimal  # noqa: F401  (the doctests use it)

from idsl.frontend import ast
from idsl.semantics import ir
from idsl.semantics.model import Plan
from idsl.semantics.phrases import describe_condition


def value_text(band: ast.ResultBand) -> str:
    """The band's value as results show it: `90%`, `0.5`.

    >>> value_text(ast.ResultBand(ast.Otherwise(), Decimal("90.0"), True))
    '90%'
    """
    digits = format(band.value.normalize(), "f") if band.value else "0"
    return digits + ("%" if band.percent else "")


def lower_consequence(consequence: ast.Consequence, grade_cond) -> ir.Expr:
    """The value as cases over the total, in the order written; 否则 (or nothing) at the end."""
    branches, rest = [], None
    for band in consequence.bands:
        if isinstance(band.cond, ast.Otherwise):
            rest = rest or value_text(band)
            continue
        branches.append(ir.Branch(grade_cond(band.cond), ir.Text(value_text(band))))
    otherwise: ir.Expr = (ir.Text(rest) if rest is not None
                          else ir.Fail(f"总分不在“{consequence.name}”的任何一档之内。"))
    return ir.Cases(tuple(branches), otherwise, "consequence")


def consequence_text(consequence: ast.Consequence) -> str:
    """The bands as the scoring table prints them under the table.

    >>> t = ast.Ref("总分")
    >>> bands = (ast.ResultBand(ast.Compare((t, ast.Num(Decimal(90))), (">=",)), Decimal(100), True),
    ...          ast.ResultBand(ast.Otherwise(), Decimal(0), True))
    >>> consequence_text(ast.Consequence("付费比例", bands))
    '付费比例：总分≥90时为100%；其他为0%。'
    """
    parts = [f"{'其他' if isinstance(b.cond, ast.Otherwise) else describe_condition(b.cond) + '时'}为{value_text(b)}"
             for b in consequence.bands]
    return f"{consequence.name}：{'；'.join(parts)}。"


def consequences(plan: Plan) -> tuple[ast.Consequence, ...]:
    """The plan's 结果 blocks."""
    return plan.consequences


__all__ = ["consequence_text", "consequences", "lower_consequence", "value_text"]
