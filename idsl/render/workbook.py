"""Excel templates: the evaluator's input workbook (one unit) and the batch template (one row per unit).

The input workbook (`template_workbook`) has three sheets:

* **输入** — one row per input: indicator path, input name, kind, unit, what may be entered, the
  value cell(s), 备注 (the evaluator's note) and 记录得分 (the score the report recorded, for
  audits). Checklist elements get one row each (是/否 drop-down), a discretionary leaf a score row
  and a 理由 row, a choice a drop-down of its options, a questionnaire a small grid (one row per
  question, one column per option). Branch rows, penalty blocks, 总分 and 等级 have a 记录得分 cell
  only. Values are checked as typed (drop-downs, number ranges); the sheet is protected with the
  value, note and recorded-score cells unlocked; there are no formulas.
* **评分标准** — every leaf's points and 评分标准 text, generated from its rule.
* **选项** (hidden) — the lists the drop-downs offer.

`idsl.io.workbook.read_workbook` reads it back.

>>> from idsl.semantics.lower import lower
>>> from idsl.frontend.resolve import load_text
>>> from idsl.frontend.source import Source
>>> plan = lower(load_text(Source("t.idsl", '体系 "例" 总分 2\\n决策（2）\\n  安排率（2）\\n    输入 甲：金额 万元\\n'
...                                  '    得分 = 甲\\n')).spec)
>>> book = openpyxl.load_workbook(io.BytesIO(template_workbook(plan)))
>>> book.sheetnames
['输入', '评分标准', '选项']
>>> [c.value for c in book["输入"][1]][:6]
['指标', '输入', '种类', '单位', '可填', '值']
"""

from __future__ import annotations

import io

# openpyxl is imported at the top: this module is loaded only to write a template (idsl template).
import openpyxl
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from idsl.io.columns import Column, takes_bound, unit_columns
from idsl.io.inert import text_cells
from idsl.io.tables import BATCH_SHEET, print_setup
from idsl.io.workbook import INPUT_SHEET
from idsl.io.workbook_form import form_layout
from idsl.render.workbook_form import form_workbook
from idsl.render.workbook_sheet import _BOLD, _HEAD_FILL, _InputSheet, input_book, rule_text
from idsl.render.workbook_rows import (
    KIND_WORDS,
    YES_NO,
    allowed_text,
    choice_text,
    input_rule,
    options_text,
    sheet_rows,
)
from idsl.semantics.model import Plan
from idsl.semantics.numbers import decimal_text, format_points


def template_workbook(plan: Plan) -> bytes:
    """The input workbook of a plan, as .xlsx bytes: a spec with a 自评表 block gets the form itself
    (idsl.render.workbook_form), unless it holds what the form has no place for (a questionnaire's grid, a
    penalty or bonus block: W528, which `idsl template` prints)."""
    if plan.form is not None:
        layout = form_layout(plan)
        if layout is not None:
            return form_workbook(plan, layout)
    return input_book(plan, INPUT_SHEET, lambda sheet, lists: _InputSheet(sheet, lists, sheet_rows(plan)).write())


# ---------------------------------------------------------------- the batch template


def batch_template(plan: Plan, audit: bool = False) -> bytes:
    """The batch template as .xlsx: one header row (单位 first), one row per unit to fill."""
    columns = unit_columns(plan, audit=audit)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = BATCH_SHEET
    sheet.append([c.header for c in columns])
    for index, cell in enumerate(sheet[1], start=1):
        cell.font = _BOLD
        cell.fill = _HEAD_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.column_dimensions[get_column_letter(index)].width = 18 if index > 1 else 24
    sheet.freeze_panes = "B2"
    for index, column in enumerate(columns, start=1):
        _batch_validation(sheet, column, get_column_letter(index))
    guide = book.create_sheet("说明")
    guide.append(["列", "种类", "可填"])
    verbs = {item.key: "扣" if block.kind == "penalty" else "加" for block in plan.adjustments for item in block.items}
    for column in columns[1:]:
        guide.append([column.header, *_block_item_words(column, verbs.get(column.key))])
    guide.column_dimensions["A"].width = 50
    guide.column_dimensions["C"].width = 60
    for printed in (sheet, guide):
        print_setup(printed)
    text_cells(book)  # a header or a spec's text starting with = is text, not a formula
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


BATCH_ROWS = 2000  # rows of the batch template that carry the columns' validations


def _batch_validation(sheet, column: Column, letter: str) -> None:
    """The batch template's checks of one column, the input workbook's for the same input (one rule,
    `input_rule`): numbers within their domain, rates as percentages, 是/否 and option lists, whole
    counts; free text is left open."""
    kwargs = _batch_rule(column)
    if kwargs is None:
        return
    shape = kwargs.pop("number_format", None)
    if shape is not None:  # the cells typed into take it: 98 in a rate column is 98%
        sheet.column_dimensions[letter].number_format = shape
    kwargs["errorTitle"] = column.header[-30:]  # which column, in the message Excel shows
    validation = DataValidation(allow_blank=True, showErrorMessage=True, **kwargs)
    validation.add(f"{letter}2:{letter}{BATCH_ROWS + 1}")
    sheet.add_data_validation(validation)


def _batch_rule(column: Column) -> dict | None:
    if column.kind in ("item", "na") and not column.partial:
        return dict(type="list", formula1=YES_NO if column.kind == "item" else '"是"', error="请从列表中选择。")
    if column.kind == "tally":
        return dict(type="whole", operator="greaterThanOrEqual", formula1="0", error="应是不小于 0 的整数。")
    if column.kind == "score" and column.high is not None:
        low, high = decimal_text(column.low or 0), decimal_text(column.high)
        return dict(type="decimal", operator="between", formula1=low, formula2=high, error=f"应在 {low}～{high} 之间。")
    decl = column.decl
    if column.kind != "input" or decl is None:
        return None
    if column.several_chosen:  # 任选's 选用: several names in one cell
        return None
    if decl.kind == "choice":
        listed = '"' + ",".join(decl.options) + '"'
        fits = len(listed) <= 255 and not any(("," in o or '"' in o) for o in decl.options)
        return dict(type="list", formula1=listed, error="请从列表中选择。") if fits and decl.options else None
    rule, shape = input_rule(decl, takes_bound(column))
    return dict(rule, number_format=shape) if shape is not None else rule


def _block_item_words(column: Column, verb: str | None) -> tuple[str, str]:
    """种类 and 可填 of a column; a judged penalty (bonus) item's score is what it takes off (adds), as in the input
    workbook (`workbook_rows`), not a score out of its cap."""
    kind, allowed = _column_kind(column), _column_allowed(column)
    if verb is not None and column.kind == "score":
        return f"酌情{verb}分", f"{allowed}（填要{verb}的分，不{verb}分填 0）"
    if verb is not None and column.kind == "reason":
        return kind, f"{verb}分的理由"
    return kind, allowed


def _column_kind(column: Column) -> str:
    if column.kind == "input" and column.decl is not None:
        return KIND_WORDS.get(column.decl.kind, column.decl.kind) + (f"（{column.decl.unit}）" if column.decl.unit else "")
    return {"item": "要素", "score": "酌情得分", "reason": "理由", "na": "不适用", "tally": "问卷人数",
            "recorded": "记录得分", "grade": "记录等级"}.get(column.kind, column.kind)


def _column_allowed(column: Column) -> str:
    if column.kind == "input" and column.decl is not None:
        if column.several_chosen:  # 任选's 选用
            return choice_text(column.node)
        return options_text(column.decl) if column.decl.kind == "choice" else allowed_text(column.decl)
    if column.kind == "item":
        return "是/否" + (f"，或 0～{format_points(column.points or 0)} 的分数" if column.partial else "")
    if column.kind == "score":
        return f"{format_points(column.low or 0)}～{format_points(column.high or 0)}"
    if column.kind == "na":
        return "是，或留空"
    if column.kind == "tally":
        return "不小于 0 的整数"
    return ""


__all__ = ["batch_template", "print_setup", "rule_text", "template_workbook"]
