"""The input sheet of a workbook and what both layouts share: styles, the 评分标准 sheet, the book
itself (idsl.render.workbook for the 输入 sheet, idsl.render.workbook_form for the 自评表 as 附1)."""

from __future__ import annotations

import io
from typing import Callable

import attrs
import openpyxl
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from idsl.frontend import ast
from idsl.io.columns import takes_bound
from idsl.io.inert import text_cells
from idsl.io.tables import print_setup
from idsl.io.workbook import HEADERS, KEY, LISTS_SHEET, NOTE, RECORD, STANDARD_SHEET, VALUE
from idsl.render.consequences import table_rule_lines
from idsl.render.docx_table import grade_bands_text
from idsl.render.standard import not_applicable_text, standard_text, with_pool
from idsl.render.workbook_rows import SUMMARY_KINDS, YES_NO, SheetRow, input_rule, judged_ranges, tier_score_rule
from idsl.semantics.graded import ranges_text
from idsl.semantics.model import Node, Plan
from idsl.semantics.numbers import decimal_text, format_points

_BOLD = Font(bold=True)
_HEAD_FILL = PatternFill("solid", fgColor="DDEBF7")
_BRANCH_FILL = PatternFill("solid", fgColor="F2F2F2")
_CLOSED_FILL = PatternFill("solid", fgColor="D9D9D9")
_THIN = Side(style="thin", color="BFBFBF")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_UNLOCKED = Protection(locked=False)

def input_book(plan: Plan, title: str, write: Callable, title_rows: str = "1:1") -> bytes:
    """An input workbook as .xlsx bytes: the sheet `title` (drawn by `write(sheet, lists)`), 评分标准 and
    the hidden 选项 lists its drop-downs offer; `title_rows` repeated on every printed page."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = title
    standard = book.create_sheet(STANDARD_SHEET)
    lists = book.create_sheet(LISTS_SHEET)
    lists.sheet_state = "hidden"
    write(sheet, lists)
    _standard_sheet(plan, standard)
    for printed in (sheet, standard):
        print_setup(printed)
    sheet.print_title_rows = title_rows
    text_cells(book)  # a spec's text starting with = is text, not a formula
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


class _InputSheet:
    """The 输入 sheet: a header, one row per SheetRow, validations, widths and protection."""

    def __init__(self, sheet, lists, rows: list[SheetRow]):
        self.sheet, self.lists, self.rows = sheet, lists, rows
        self.width = max([r.width for r in rows] + [1])  # value cells per row
        self.value_col = len(HEADERS) + 1
        self.note_col = self.value_col + self.width
        self.record_col = self.note_col + 1
        self.key_col = self.record_col + 1
        self.validations: dict[str, DataValidation] = {}
        self.list_column = 0  # the last column of the 选项 sheet in use

    def write(self) -> None:
        self.header()
        for number, row in enumerate(self.rows, start=2):
            tier = self.tier_rule(number, row)
            if tier is not None:
                row = attrs.evolve(row, allowed=tier[0])
            self.row(number, row)
            self.validate(number, row, tier[1] if tier is not None else None)
        self.layout()

    def tier_rule(self, number: int, row: SheetRow) -> tuple[str, dict] | None:
        """A 评级 or 定性 score's 可填 text and its check against the grade chosen a row above it (its own 等级
        input's row): (text, DataValidation arguments); None for any other row."""
        column = row.column
        if row.kind != "score" or column is None or column.node is None or column.node.leaf is None:
            return None
        leaf = column.node.leaf
        if column.name:  # a 分项 part's own score and grade
            leaf = next((p.leaf for p in leaf.parts if p.name == column.name), None)
        rule = leaf.rule if leaf is not None else None
        if not isinstance(rule, ast.Qualitative):
            return None
        grade = next((n for n, r in enumerate(self.rows, start=2) if r.kind == "input" and r.column is not None
                      and (r.column.key, r.column.name) == (column.key, column.name)
                      and r.column.decl is not None and r.column.decl.name == rule.tier), None)
        ranges = judged_ranges(rule, self.rows[grade - 2].column, column.high or 0) if grade is not None else ()
        if not ranges:
            return None
        what = "等级" if isinstance(rule, ast.Graded) else "档次"
        letter = get_column_letter(self.value_col)
        check = tier_score_rule(f"${letter}${grade}", f"{letter}{number}", ranges, what, f"在“{rule.tier}”一行")
        return f"{row.allowed}，且在所选{what}的区间内：{ranges_text(ranges)}", check

    def header(self) -> None:
        sheet = self.sheet
        sheet.append(list(HEADERS) + [VALUE] + [""] * (self.width - 1) + [NOTE, RECORD, KEY])
        if self.width > 1:
            sheet.merge_cells(start_row=1, start_column=self.value_col, end_row=1,
                              end_column=self.value_col + self.width - 1)
        for cell in sheet[1]:
            cell.font = _BOLD
            cell.fill = _HEAD_FILL
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
            cell.border = _BORDER

    def row(self, number: int, row: SheetRow) -> None:
        sheet = self.sheet
        letters = "、".join(row.options) if row.kind == "tally" else ""
        values = [row.path, row.field, row.kind_text, row.unit, row.allowed + (f"（依次填 {letters}）" if letters else "")]
        for index, value in enumerate(values, start=1):
            cell = sheet.cell(number, index, value)
            cell.alignment = Alignment(vertical="top", wrap_text=True)
            cell.border = _BORDER
        sheet.cell(number, self.key_col, row.key)
        open_value = row.kind not in SUMMARY_KINDS + ("none",)
        for offset in range(self.width):
            wrap = row.kind in ("reason", "unit")
            self.cell(number, self.value_col + offset, open_value and offset < row.width, wrap)
        for col in (self.note_col, self.record_col):
            self.cell(number, col, row.node_key is not None and (col == self.record_col or row.kind not in ("total", "grade")))
        if row.kind in SUMMARY_KINDS:
            for index in range(1, len(HEADERS) + 1):
                sheet.cell(number, index).fill = _BRANCH_FILL
                sheet.cell(number, index).font = _BOLD

    def cell(self, number: int, col: int, open_: bool, wrap: bool = True) -> None:
        """A cell to fill in (unlocked) or a closed one (grey)."""
        cell = self.sheet.cell(number, col)
        cell.border = _BORDER
        if open_:
            cell.protection = _UNLOCKED
            cell.alignment = Alignment(vertical="top", wrap_text=wrap)
        else:
            cell.fill = _CLOSED_FILL

    def validation(self, key: str, **kwargs) -> DataValidation:
        """One data validation per distinct rule, shared by every cell it applies to."""
        if key not in self.validations:
            self.validations[key] = DataValidation(allow_blank=True, **kwargs)
            self.sheet.add_data_validation(self.validations[key])
        return self.validations[key]

    def validate(self, number: int, row: SheetRow, tiered: dict | None = None) -> None:
        """Drop-downs, ranges and number formats of the row's value cell(s) and its 记录得分 cell; `tiered`, a
        judged score's check against its grade (`tier_rule`), in place of its plain range."""
        first = f"{get_column_letter(self.value_col)}{number}"
        rule = (f"tier{number}", tiered) if tiered is not None else self.value_rule(row)
        if rule is not None:
            name, kwargs = rule
            shape = kwargs.pop("number_format", None)
            if shape is not None:
                self.sheet[first].number_format = shape
            self.validation(name, **kwargs).add(first)
        elif row.kind == "tally":
            last = f"{get_column_letter(self.value_col + row.width - 1)}{number}"
            self.validation("count", type="whole", operator="greaterThanOrEqual", formula1="0", showErrorMessage=True,
                            errorTitle="人数", error="应是不小于 0 的整数。").add(f"{first}:{last}")
        if row.kind == "grade" and row.options:
            name, kwargs = self.options(row.options)
            kwargs.update(errorTitle="记录等级", error=f"应是本体系的等级：{'、'.join(row.options)}。")
            self.validation(name, **kwargs).add(f"{get_column_letter(self.record_col)}{number}")
        elif row.node_key is not None and row.kind != "grade":
            self.validation("recorded", type="decimal", operator="between", formula1="-100000", formula2="100000",
                            showErrorMessage=True, errorTitle="记录得分", error="应是一个数。").add(
                f"{get_column_letter(self.record_col)}{number}")

    def value_rule(self, row: SheetRow) -> tuple[str, dict] | None:
        """How a row's (first) value cell is checked as typed: a name rows with the same rule share, and the
        DataValidation arguments (with `number_format` for the cell); None for free text."""
        column = row.column
        if row.kind == "item" and column is not None and column.partial:
            return "partial", dict(type="list", formula1=YES_NO, showErrorMessage=False)
        if row.kind in ("item", "na") or (row.kind == "input" and column and column.decl.kind == "bool"):
            return "yesno", dict(type="list", formula1=YES_NO, showErrorMessage=True, errorTitle="是/否",
                                 error="请选择“是”或“否”。")
        if row.kind == "input" and column is not None and column.several_chosen:
            return None  # 任选's 选用: names typed, separated by 、 (its 可填 cell says so)
        if row.kind == "input" and row.options:
            return self.options(row.options)
        if row.kind == "input" and column is not None:
            rule, shape = input_rule(column.decl, takes_bound(column))
            return repr(sorted(rule.items())), dict(rule, showErrorMessage=True, number_format=shape)
        if row.kind == "score" and column is not None:
            low, high = column.low or 0, column.high or 0
            return f"score{column.low}~{column.high}", dict(
                type="decimal", operator="between", formula1=decimal_text(low), formula2=decimal_text(high),
                showErrorMessage=True, errorTitle="酌情得分", error=f"应在 {format_points(low)}～{format_points(high)} 分之间。")
        return None

    def options(self, options: tuple[str, ...]) -> tuple[str, dict]:
        """A drop-down of a choice's options, listed in a column of the hidden 选项 sheet."""
        self.list_column += 1
        letter = get_column_letter(self.list_column)
        for index, option in enumerate(options, start=1):
            self.lists.cell(index, self.list_column, option)
        return f"options{self.list_column}", dict(
            type="list", formula1=f"{LISTS_SHEET}!${letter}$1:${letter}${len(options)}", showErrorMessage=True,
            errorTitle="选项", error="请从下拉列表中选择。")

    def layout(self) -> None:
        sheet = self.sheet
        widths = {1: 30, 2: 34, 3: 9, 4: 7, 5: 26, self.note_col: 30, self.record_col: 10, self.key_col: 12}
        for col, size in widths.items():
            sheet.column_dimensions[get_column_letter(col)].width = size
        for offset in range(self.width):
            sheet.column_dimensions[get_column_letter(self.value_col + offset)].width = 14 if self.width == 1 else 8
        sheet.column_dimensions[get_column_letter(self.key_col)].hidden = True
        sheet.freeze_panes = sheet.cell(2, self.value_col)
        sheet.protection.sheet = True
        sheet.protection.formatColumns = False
        sheet.protection.formatRows = False
        sheet.protection.formatCells = False


def weights_text(plan: Plan, node: Node) -> str:
    """The weights written along a leaf's path, as the table gives them: 决策 30%，目标设定 50%."""
    shown = (plan.find(node.path[:level]) for level in range(1, len(node.path) + 1))
    return "，".join(f"{n.name} {decimal_text(n.weight)}%" for n in shown if n is not None and n.weight is not None)


def _standard_sheet(plan: Plan, sheet) -> None:
    weighted = any(node.weight is not None for node in plan.walk())
    sheet.append(["指标", "分值", *(["权重"] if weighted else []), "评分标准", "指标解释"])
    for cell in sheet[1]:
        cell.font = _BOLD
        cell.fill = _HEAD_FILL
    leaves = [(node, "score") for node in plan.leaves()]
    leaves += [(item, block.kind) for block, item in plan.items()]
    for node, kind in leaves:
        weights = [weights_text(plan, node)] if weighted else []
        sheet.append([node.key, node.points, *weights, with_pool(plan, node, rule_text(node, kind, plan.places, not_applicable_text(plan, node))),
                      node.explanation or ""])
    for label, text in whole_table_rows(plan):
        sheet.append([label, None, *([""] if weighted else []), text, ""])
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(vertical="top", wrap_text=True)
    sizes = (34, 7, *((24,) if weighted else ()), 70, 50)
    for number, size in enumerate(sizes, start=1):
        sheet.column_dimensions[get_column_letter(number)].width = size
    sheet.freeze_panes = "A2"
    sheet.protection.sheet = True
    sheet.protection.formatColumns = False
    sheet.protection.formatRows = False


WHOLE_TABLE = "（全表）"  # the 指标 cell of a rule over the whole table on the 评分标准 sheet


def whole_table_rows(plan: Plan) -> list[tuple[str, str]]:
    """The 评分标准 sheet's rows after the leaves: the grade bands as the Word table's 等级 row gives them, then
    the lines it prints under the table (vetoes, the cap, 等级不高于, 结果's bands), the same text."""
    rows = [("等级", f"等级：{grade_bands_text(plan)}。")] if plan.grades else []
    return rows + [(WHOLE_TABLE, line) for line in table_rule_lines(plan)]


def rule_text(node: Node, kind: str = "score", places: int | None = None, not_applicable: str | None = None) -> str:
    """The 评分标准 text of a leaf (idsl.render.standard's), or a plain description if that fails; `not_applicable`:
    how the plan leaves a leaf out, as the Word table says it."""
    try:
        return standard_text(node, kind=kind, places=places, not_applicable=not_applicable)
    except Exception:  # the generator is someone else's; a template must still come out
        return node.standard or _plain_rule(node)


def _plain_rule(node: Node) -> str:
    rule = node.leaf.rule if node.leaf is not None else None
    names = {ast.Checklist: "要素法", ast.Formula: "公式计分", ast.Bands: "分档计分", ast.Compound: "分档计分", ast.Deviation: "偏离扣分",
             ast.PerFinding: "按项扣分", ast.Choice: "选择", ast.Discretionary: "酌情", ast.Target: "目标值",
             ast.Parts: "分项合计"}
    return names.get(type(rule), "") if rule is not None else ""
