"""Checks on the 自评表 form: its funds block adds up (其中 parts = 年度资金总额), execution within the budget,
and 区间赋分's cases that 财预〔2021〕101号 leaves unscored."""

from __future__ import annotations

from decimal import Decimal
from typing import Iterator

from idsl.check.context import Context
from idsl.diagnostics import Diagnostic
from idsl.frontend import ast
from idsl.frontend.form import PLAIN_BOOK_HINT, RATE, STYLE_COLUMNS, STYLE_ROWS, plain_book_message, row_label
from idsl.semantics.numbers import format_points

_BUDGET, _SPENT = ast.FUNDS_COLUMNS[1], ast.FUNDS_COLUMNS[2]
_PATH = ("项目资金",)


def check_form(context: Context) -> Iterator[Diagnostic]:
    """E421: the form has its execution-rate leaf, each row once, figures not negative, and what the rate needs."""
    form = context.spec.form
    if form is None:
        return
    if form.leaf is None:
        yield Diagnostic("E421", "自评表缺少预算执行率指标。", form.span, hint="在自评表下写 预算执行率（10） 和它的评分规则。")
    seen: set[str] = set()
    for row in form.funds:
        if row.row in seen:
            yield Diagnostic("E421", f"资金块里“{row.row}”写了两次。", row.span, _PATH, hint="每一行只写一次。")
        seen.add(row.row)
        for column, cell in zip(ast.FUNDS_COLUMNS, row.cells):
            if cell.value is not None and cell.value < 0:
                yield Diagnostic("E421", f"{row.row}的{column}不能为负数。", cell.span, _PATH)
    yield from _rate_inputs(form)


def check_form_book(context: Context) -> Iterator[Diagnostic]:
    """W528: what a 自评表 spec holds that the form's workbook has no place for (a questionnaire's grid of counts,
    a penalty or bonus block); idsl template writes the plain 输入 workbook for it then."""
    if context.spec.form is None:
        return
    for questionnaire in context.spec.questionnaires:
        yield Diagnostic("W528", plain_book_message(f"问卷“{questionnaire.name}”的逐题人数"), questionnaire.span,
                         ("共用",), hint=PLAIN_BOOK_HINT)
    for leaf in context.leaves:
        scored = leaf.body is not None and leaf.role in ("leaf", "part") and not leaf.item
        own = leaf.body.questionnaires if scored else ()
        for questionnaire in own:
            yield Diagnostic("W528", plain_book_message(f"问卷“{questionnaire.name}”的逐题人数"), questionnaire.span,
                             leaf.path, hint=PLAIN_BOOK_HINT)
    for block in context.spec.adjustments:
        what = "扣分项" if block.kind == "penalty" else "加分项"
        yield Diagnostic("W528", plain_book_message(f"{what}“{block.name}”"), block.span, (block.name,),
                         hint=PLAIN_BOOK_HINT)


def _rate_inputs(form: ast.Form) -> Iterator[Diagnostic]:
    """The total row gives 全年预算数 and 全年执行数 (a figure or 待填) unless the leaf defines 执行率 itself."""
    body = form.leaf.body if form.leaf is not None else None
    if form.leaf is None or (body is not None and RATE in {d.name for d in body.derived}):
        return
    total = form.row(ast.FUNDS_ROWS[0])
    if total is None:
        columns = "、".join(STYLE_COLUMNS[form.style or ast.STYLE_ANNEX])  # 衔接资金's two, 附1's three
        yield Diagnostic("E421", "资金块缺少“年度资金总额”一行，执行率无法计算。", form.span, _PATH,
                         hint=f"写 项目资金（万元） 和 年度资金总额：{columns}（数字、— 或 待填）。")
        return
    cells = dict(zip(ast.FUNDS_COLUMNS, total.cells))
    for column in (_BUDGET, _SPENT):
        cell = cells[column]
        if cell.value is None and not cell.fill:
            yield Diagnostic("E421", f"年度资金总额的{column}空着（—），执行率无法计算。", cell.span, _PATH,
                             hint="写出数字，或写 待填 由评价人员填写。")
    if cells[_BUDGET].value == 0:
        yield Diagnostic("E421", "年度资金总额的全年预算数为 0，执行率无法计算。", cells[_BUDGET].span, _PATH)


def check_funds(context: Context) -> Iterator[Diagnostic]:
    """E420: 其中 parts add up to 年度资金总额 in each column (where all are figures); W508: 全年执行数 above 全年预算数 in a row."""
    form = context.spec.form
    if form is None:
        return
    total = form.row(ast.FUNDS_ROWS[0])
    parts = [r for r in form.funds if r.row != ast.FUNDS_ROWS[0]]
    if total is not None and parts:
        rows = " + ".join(row_label(form.style, row) for row in STYLE_ROWS[form.style or ast.STYLE_ANNEX][1:])
        for index, column in enumerate(ast.FUNDS_COLUMNS):
            yield from _column_sum(column, total.cells[index], [(row_label(form.style, r.row), r.cells[index]) for r in parts], rows)
    for row in form.funds:
        budget, spent = row.cells[1], row.cells[2]
        if budget.value is not None and spent.value is not None and spent.value > budget.value:
            yield Diagnostic("W508", f"{row.row}的全年执行数 {format_points(spent.value)} 高于全年预算数 "
                             f"{format_points(budget.value)}：执行数超出预算。", spent.span, _PATH,
                             hint="核对两个数；财预〔2021〕101号要求“执行数控制在年度预算规模之内”。")


def _column_sum(column: str, total: ast.FundsCell, parts: list[tuple[str, ast.FundsCell]],
                rows: str) -> Iterator[Diagnostic]:
    given = [row for row, cell in parts if cell.fill]
    if given:  # the evaluator's figures: added up when the inputs are read (frontend.form.funds_sums)
        if not total.fill and total.value is None:
            yield Diagnostic("E420", f"其中{'、'.join(given)}的{column}待填，年度资金总额的{column}却空着（—）。",
                             total.span, _PATH, hint="年度资金总额也写 待填（或写出数字），各项之和与它核对。")
        return
    written = [(row, cell.value) for row, cell in parts if cell.value is not None]
    if not written:
        return
    if total.fill:
        yield Diagnostic("E420", f"其中各项已写出{column}，年度资金总额的{column}却是待填。", total.span, _PATH,
                         hint="写出年度资金总额（各项之和），或把其中各项也改为 — 。")
        return
    whole = total.value if total.value is not None else Decimal(0)
    added = sum((value for _row, value in written), Decimal(0))
    if added != whole:
        listed = " + ".join(f"{row} {format_points(value)}" for row, value in written)
        yield Diagnostic("E420", f"{column}：其中各项之和 {listed} = {format_points(added)}，"
                         f"与年度资金总额 {format_points(whole)} 不等。", total.span, _PATH,
                         hint=f"年度资金总额 = {rows}；核对各行的数字。")


def check_intervals(context: Context) -> Iterator[Diagnostic]:
    """W509: 区间赋分 leaves two cases unscored (101号 is silent on them) unless a special case covers them."""
    for leaf in context.leaves:
        body = leaf.body
        if body is None or not isinstance(body.rule, ast.Intervals) or body.specials:
            continue
        rule = body.rule
        yield Diagnostic("W509", "区间赋分没有规定两种情况的得分：项目已完成但执行率高于100%，项目未完成但执行率不低于100%；"
                         "遇到时评分会报错。", rule.span, leaf.path,
                         hint=f"用特例写明，例如 若 {rule.completed} 且 {rule.rate} > 100% 则 不得分。")


__all__ = ["check_form", "check_funds", "check_intervals"]
