"""What follows the filled table: the summary table (001 表4), the conclusion block (001's 评价结论表)
and the chart of the level-1 score rates."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import TYPE_CHECKING

import attrs
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm

from idsl.render.chart import chart_png
from idsl.render.docx_table import MISSING, NO_GRADE, PARTIAL, Scores
from idsl.render.docx_xml import HEADER_FILL, Cell, Row, add_table, mm
from idsl.render.word import paragraph
from idsl.semantics.model import Node, Plan
from idsl.semantics.numbers import decimal_text, format_points, half_up

if TYPE_CHECKING:  # pragma: no cover
    from idsl.engines.result import NodeResult, Result


def _level1(plan: Plan, scores: Scores) -> list[tuple[Node, "NodeResult | None"]]:
    return [(node, scores.row(node)) for node in plan.nodes]


def _rate_text(row: "NodeResult | None", percent: bool = False) -> str:
    if row is None or row.rate is None:
        return MISSING if row is None or row.status != "not_applicable" else "/"
    return decimal_text(row.rate) + ("%" if percent else "")


def _total_rate(result: "Result") -> str:
    if result.total is None or not result.total_points:
        return MISSING
    return decimal_text(half_up(Decimal(result.total) / Decimal(result.total_points) * 100, 2))


def summary(document, plan: Plan, scores: Scores, result: "Result") -> None:
    """001 表4: 一级指标 | 分值 | 得分 | 得分率%, each level-1 category, the blocks, and 合计 — on one page."""
    paragraph(document, "")
    paragraph(document, "部门总得分情况", bold=True, align=WD_ALIGN_PARAGRAPH.CENTER).paragraph_format.keep_with_next = True
    body = [[plan.layout.label(node.name), format_points(node.points), scores.score(node), _rate_text(row)]
            for node, row in _level1(plan, scores)]
    for block in plan.adjustments:
        cap = block.cap if block.cap is not None else sum((i.points for i in block.items), Decimal(0))
        sign = "-" if block.kind == "penalty" else "+"
        body.append([block.name, f"{sign}{format_points(cap)}", scores.block_total(block), "/"])
    total = format_points(result.total) if result.total is not None else MISSING
    body.append(["合计", format_points(plan.total), total, _total_rate(result)])
    rows = [Row([Cell(t, bold=True, centred=True, fill=HEADER_FILL) for t in ("一级指标", "分值", "得分", "得分率%")],
                header=True, keep_next=True)]
    for number, texts in enumerate(body, 1):
        last = number == len(body)
        rows.append(Row([Cell(text, bold=last, centred=True) for text in texts], keep_next=not last))
    add_table(document, [mm(60), mm(35), mm(35), mm(40)], rows)


def _adjustments_text(plan: Plan, result: "Result") -> str:
    """The 加减分项 cell of the conclusion table: "/" without penalty or bonus blocks (as 001 prints it),
    else their net effect on the total in points, signed (−3分, +1分, 0分)."""
    if not plan.adjustments:
        return "/"
    moved = {block.name: block for block in result.blocks}
    if any(block.name not in moved for block in plan.adjustments):
        return MISSING
    net = sum((moved[b.name].total if b.kind == "bonus" else -moved[b.name].total for b in plan.adjustments), Decimal(0))
    return ("+" if net > 0 else "-" if net < 0 else "") + format_points(abs(net)) + "分"


def conclusion(document, plan: Plan, scores: Scores, result: "Result") -> None:
    """001's 评价结论表: 评价得分, 评价等级, the score rate of every level-1 category and, as 001 prints it,
    a 加减分项 column (its net effect, "/" when the spec has none) — on one page."""
    paragraph(document, "")
    paragraph(document, "评价结论", bold=True, align=WD_ALIGN_PARAGRAPH.CENTER).paragraph_format.keep_with_next = True
    level1 = _level1(plan, scores)
    values = max(len(level1) + 1, 3)
    score = format_points(result.total) + "分" if result.total is not None else MISSING
    if result.incomplete:
        score += PARTIAL
    # a spec without grades has none to give: "/" as for 加减分项 without blocks (未评 read as not yet assessed)
    grade = NO_GRADE if result.incomplete else result.grade or (MISSING if plan.grades else "/")
    k = max(1, (values - 1) // 2)  # value columns under 评价得分; 评价等级 and the grade take the rest
    first = [Cell("综合评价结论", bold=True), Cell("评价得分", bold=True), Cell(score, span=k),
             Cell("评价等级", bold=True), Cell(grade, span=values - k - 1)]
    blank = [Cell()] * (values - len(level1) - 1)
    names = [Cell(plan.layout.label(node.name)) for node, _ in level1] + blank + [Cell("加减分项")]
    rates = [Cell(_rate_text(row, percent=True)) for _, row in level1] + blank + [Cell(_adjustments_text(plan, result))]
    second = [Cell("绩效分析", bold=True, merge="restart"), Cell("指标")] + names
    third = [Cell(merge="continue"), Cell("得分率")] + rates
    rows = [Row([attrs.evolve(cell, centred=True) for cell in cells], keep_next=keep)
            for cells, keep in ((first, True), (second, True), (third, False))]
    add_table(document, [mm(30), mm(24)] + [mm(min(34, 200 / values))] * values, rows)


def chart(document, plan: Plan, scores: Scores) -> None:
    """A bar chart of each level-1 category's score rate, embedded as a PNG."""
    names, rates, labels = [], [], []
    for node, row in _level1(plan, scores):
        names.append(plan.layout.label(node.name))
        rate = row.rate if row is not None and row.rate is not None else None
        rates.append(float(rate) if rate is not None else 0.0)
        labels.append(decimal_text(rate) + "%" if rate is not None else MISSING)
    png = chart_png(names, rates, labels, "各一级指标得分率")
    paragraph(document, "")
    document.add_picture(io.BytesIO(png), width=Mm(160))
    document.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER


__all__ = ["chart", "conclusion", "summary"]
