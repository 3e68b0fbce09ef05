"""Placeholders still to fill in a scaffold (idsl new): points （？）, target values ？, 待细化 indicators and the 自评表's text ？."""

from __future__ import annotations

from typing import Iterator

from idsl.frontend import ast
from idsl.check.context import Context
from idsl.check.env import walk
from idsl.diagnostics import Diagnostic
from idsl.frontend.printer_text import CMP


def check_placeholders(context: Context) -> Iterator[Diagnostic]:
    """E450: points （？） or 每项 ？ 分; E451: a target value ？; E452: a 待细化 line where the author's own indicators go."""
    for path, indicator in walk(context.spec.indicators):
        # A leaf to refine is replaced whole, points and all: E452 alone says so.
        if indicator.points_placeholder and not _to_refine(indicator):
            yield _points(indicator, path)
    for block in context.spec.adjustments:
        for item in block.items:
            if item.points_placeholder:
                yield _points(item, (block.name, item.name))
    for leaf in context.leaves:
        rule = leaf.body.rule if leaf.body is not None else None
        if isinstance(rule, ast.Checklist) and rule.each_placeholder:
            yield Diagnostic("E450", f"“{leaf.path[-1]}”的要素每项分值待填（每项 ？ 分）。", rule.span, leaf.path,
                             hint=f"写成 每项 N 分：{len(rule.items)} 个要素合计应等于指标的分值。")
        elif isinstance(rule, ast.Target) and rule.placeholder:
            yield _target(rule, leaf.path)
        elif isinstance(rule, ast.Refine):
            yield _refine(rule, leaf.path)
    yield from _form_text(context.spec.form)


def _form_text(form: ast.Form | None) -> Iterator[Diagnostic]:
    """E423: a text field of the 自评表 (项目名称 … 实际完成情况) still written ？."""
    for word, span in form.to_fill if form is not None else ():
        yield Diagnostic("E423", f"自评表的“{word}”待填（？）。", span, ("自评表",),
                         hint=f"把 ？ 换成{word}的文字，例如 {word}：{_FORM_EXAMPLES[word]}")


_FORM_EXAMPLES = {"项目名称": "义务教育营养改善计划专项资金", "主管部门": "县教育体育局", "实施单位": "县第一中学",
                  "预期目标": "确保每一个学生都能享受到国家政策福利", "实际完成情况": "全年受资助 735 人次，覆盖率 100%"}


def _to_refine(indicator: ast.Indicator) -> bool:
    return indicator.body is not None and isinstance(indicator.body.rule, ast.Refine)


def is_placeholder_rule(rule) -> bool:
    """Whether a rule is still to fill, so nothing it would award can be checked yet."""
    return (isinstance(rule, ast.Refine) or (isinstance(rule, ast.Target) and rule.placeholder)
            or (isinstance(rule, ast.Checklist) and rule.each_placeholder))


def _points(indicator: ast.Indicator, path: tuple[str, ...]) -> Diagnostic:
    return Diagnostic("E450", f"“{indicator.name}”的分值待填（？）。", indicator.points_span, path,
                      hint=f"把（？）换成分值，例如 {indicator.name}（10）；下级指标的分值合计应等于上级。")


def _target(rule: ast.Target, path: tuple[str, ...]) -> Diagnostic:
    unit = "%" if rule.target.percent else (f" {rule.target.unit}" if rule.target.unit else "")
    op = CMP.get(rule.op, rule.op)
    return Diagnostic("E451", f"“{path[-1]}”的年度指标值待填：目标 {rule.actual} {op} ？{unit}。", rule.span, path,
                      hint=f"把 ？ 换成年度指标值，例如 目标 {rule.actual} {op} 95{unit or ''}；"
                           "越低越好的指标写 ≤，必须正好达到的写 =。")


def _refine(rule: ast.Refine, path: tuple[str, ...]) -> Diagnostic:
    said = f"：{rule.note}" if rule.note else "。"
    return Diagnostic("E452", f"“{path[-1]}”待细化为本项目的个性指标{said}", rule.span, path,
                      hint="把这个指标换成本项目自己的指标：每个写 名称（分值）、解释、输入和一条评分规则，"
                           "例如 目标 实际完成值 ≥ 95%；不需要的就删去。")
