"""Excel workbooks: the evaluator's input workbook (one unit), the batch template (one row per
unit), reading both back, and the results workbook of a batch.

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

`read_workbook` reads it back into the same `Inputs` the JSON reader gives (openpyxl, cell values
only: a formula cell is read as its cached value, or reported when it has none; nothing is
evaluated). Problems name the sheet and cell: ``输入!F12: 不是数字``. A percent-formatted cell
holding 0.8967 means 89.67%.

>>> from idsl.engines.batch import _example_plan
>>> import io, openpyxl
>>> book = openpyxl.load_workbook(io.BytesIO(template_workbook(_example_plan())))
>>> book.sheetnames
['输入', '评分标准', '选项']
>>> [c.value for c in book["输入"][1]][:6]
['指标', '输入', '种类', '单位', '可填', '值']
"""

from __future__ import annotations

import io
import os
import tempfile
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Iterable, Sequence

import attrs

from idsl.frontend import ast
from idsl.io.files import write_atomic
from idsl.io.columns import GRADE, SHARED, TOTAL, UNIT, Column, unit_columns
from idsl.io.inputs import InputError, Inputs, read_inputs
from idsl.semantics.model import Node, Plan
from idsl.semantics.numbers import decimal_text, format_points

INPUT_SHEET = "输入"
STANDARD_SHEET = "评分标准"
LISTS_SHEET = "选项"
BATCH_SHEET = "单位"
RESULTS_SHEET = "结果"
ERRORS_SHEET = "错误"

HEADERS = ("指标", "输入", "种类", "单位", "可填")
NOTE = "备注"
RECORD = "记录得分"
KEY = "键"  # the hidden column that ties a row to the plan

_KIND_WORDS = {"rate": "比率", "money": "金额", "count": "数量", "number": "数值", "bool": "是否",
               "choice": "选项", "findings": "问题数"}
_YES_NO = '"是,否"'


class WorkbookError(Exception):
    """A workbook that cannot be read at all (not an .xlsx, not made by `idsl template`)."""


# ---------------------------------------------------------------- the rows of the input sheet


@attrs.frozen
class _Row:
    kind: str  # 'unit', 'input', 'item', 'score', 'reason', 'na', 'tally', 'branch', 'block', 'total', 'grade', 'none'
    path: str  # indicator path ('' for the unit row; 共用 for spec-level inputs)
    field: str  # what the row holds
    kind_text: str  # 种类
    unit: str  # 单位
    allowed: str  # 可填
    column: Column | None = None  # the unit-table column it corresponds to (inputs, elements, scores …)
    options: tuple[str, ...] = ()  # a choice's options; a questionnaire's option letters
    width: int = 1  # value cells (a questionnaire row has one per option)
    level: int = 0  # 1 for 一级指标 … (branch rows)
    node_key: str | None = None  # the leaf (or branch/block) whose note and recorded score the row carries


def _rows(plan: Plan) -> list[_Row]:
    rows = [_Row("unit", "", UNIT, "文字", "", "被评价单位的名称")]
    columns = unit_columns(plan)
    by_key: dict[str, list[Column]] = {}
    for column in columns:
        by_key.setdefault(column.key, []).append(column)
    for column in by_key.get(SHARED, []):
        rows.extend(_column_rows(column, SHARED))
    for node in plan.walk():
        if node.leaf is None:
            rows.append(_Row("branch", node.key, f"（{node.name}小计）", "", "", "", level=node.level, node_key=node.key))
            continue
        rows.extend(_leaf_rows(node, by_key.get(node.key, [])))
    for block in plan.adjustments:
        verb = "扣分" if block.kind == "penalty" else "加分"
        cap = f"，上限 {format_points(block.cap)} 分" if block.cap is not None else ""
        rows.append(_Row("block", block.name, f"（{verb}合计{cap}）", "", "", "", level=1, node_key=block.name))
        for item in block.items:
            rows.extend(_leaf_rows(item, by_key.get(item.key, [])))
    rows.append(_Row("total", TOTAL, "（总分）", "", "", "", node_key=TOTAL))
    rows.append(_Row("grade", GRADE, "（等级）", "", "", "记录的等级", node_key=GRADE))
    return rows


def _leaf_rows(node: Node, columns: list[Column]) -> list[_Row]:
    rows: list[_Row] = []
    tallies_done: set[str] = set()
    for column in columns:
        if column.kind == "tally":
            if column.name in tallies_done:
                continue
            tallies_done.add(column.name)
            questionnaire = next(q for q in node.leaf.questionnaires if q.name == column.name)
            letters = tuple(letter for letter, _s in questionnaire.options)
            scores = "，".join(f"{letter} {format_points(score)} 分" for letter, score in questionnaire.options)
            for number, question in enumerate(questionnaire.questions, start=1):
                rows.append(_Row("tally", node.key, f"{column.name} 第{number}题：{question}", "问卷人数", "人",
                                 f"选各项的人数（{scores}）", column=attrs.evolve(column, index=number),
                                 options=letters, width=len(letters), node_key=node.key))
            continue
        rows.extend(_column_rows(column, node.key, node))
    if not rows:
        rows.append(_Row("none", node.key, "（无需输入）", "", "", "", node_key=node.key))
    return rows


def _column_rows(column: Column, path: str, node: Node | None = None) -> list[_Row]:
    key = node.key if node is not None else None
    if column.kind == "input":
        decl = column.decl
        assert decl is not None
        kind_text = _KIND_WORDS.get(decl.kind, decl.kind)
        if decl.kind == "choice":
            allowed = "；".join(f"{chr(ord('A') + i)}. {o}" for i, o in enumerate(decl.options))
            return [_Row("input", path, decl.name, kind_text, "", allowed, column, options=decl.options, node_key=key)]
        return [_Row("input", path, decl.name, kind_text, decl.unit or ("%" if decl.kind == "rate" else ""),
                     _allowed(decl), column, node_key=key)]
    if column.kind == "item":
        item = _item_text(node, column)
        allowed = "是/否" + (f"，或 0～{format_points(column.points or 0)} 之间的分数（部分符合，须写理由）" if column.partial else "")
        return [_Row("item", path, f"{column.field}：{item}", "要素", "", allowed, column, node_key=key)]
    if column.kind == "score":
        return [_Row("score", path, column.field, "酌情得分", "分",
                     f"{format_points(column.low or 0)}～{format_points(column.high or 0)}", column, node_key=key)]
    if column.kind == "reason":
        return [_Row("reason", path, "理由", "文字", "", "酌情给分的理由（扣分原因）", column, node_key=key)]
    if column.kind == "na":
        how = "剔除，上级指标按比例折算" if node is not None and node.not_applicable == "exclude" else "得满分"
        return [_Row("na", path, "不适用", "是否", "", f"不适用时填“是”（{how}）", column, node_key=key)]
    return []


def _item_text(node: Node | None, column: Column) -> str:
    if node is None or node.leaf is None:
        return ""
    leaves = [node.leaf] + [p.leaf for p in node.leaf.parts]
    if column.name:
        leaves = [p.leaf for p in node.leaf.parts if p.name == column.name]
    for leaf in leaves:
        if isinstance(leaf.rule, ast.Checklist) and column.index <= len(leaf.rule.items):
            return leaf.rule.items[column.index - 1].text
    return ""


def _allowed(decl: ast.Input) -> str:
    from idsl.io.inputs import input_domain

    if decl.kind == "bool":
        return "是/否"
    if decl.kind == "findings":
        return "不小于 0 的整数"
    low, high = input_domain(decl)

    def show(x) -> str:
        return decimal_text(x * 100) + "%" if decl.kind == "rate" else decimal_text(x)

    if low is not None and high is not None:
        return f"{show(low)}～{show(high)}"
    if low is not None:
        return f"不小于 {show(low)}"
    if high is not None:
        return f"不大于 {show(high)}"
    return "任意数"


# ---------------------------------------------------------------- writing the input workbook


def template_workbook(plan: Plan) -> bytes:
    """The input workbook of a plan, as .xlsx bytes."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    rows = _rows(plan)
    width = max([r.width for r in rows] + [1])
    book = Workbook()
    sheet = book.active
    sheet.title = INPUT_SHEET
    lists = book.create_sheet(STANDARD_SHEET)
    lists_sheet = book.create_sheet(LISTS_SHEET)
    lists_sheet.sheet_state = "hidden"
    standard = lists

    value_col = len(HEADERS) + 1
    note_col = value_col + width
    record_col = note_col + 1
    key_col = record_col + 1
    headers = list(HEADERS) + ["值"] + [""] * (width - 1) + [NOTE, RECORD, KEY]
    sheet.append(headers)
    if width > 1:
        sheet.merge_cells(start_row=1, start_column=value_col, end_row=1, end_column=value_col + width - 1)
    bold = Font(bold=True)
    head_fill = PatternFill("solid", fgColor="DDEBF7")
    branch_fill = PatternFill("solid", fgColor="F2F2F2")
    closed_fill = PatternFill("solid", fgColor="D9D9D9")
    thin = Side(style="thin", color="BFBFBF")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    for cell in sheet[1]:
        cell.font = bold
        cell.fill = head_fill
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = border

    validations: dict[str, DataValidation] = {}

    def validation(key: str, **kwargs) -> DataValidation:
        if key not in validations:
            dv = DataValidation(allow_blank=True, **kwargs)
            validations[key] = dv
            sheet.add_data_validation(dv)
        return validations[key]

    list_column = 0
    unlocked = Protection(locked=False)
    for number, row in enumerate(rows, start=2):
        letters = ""
        if row.kind == "tally":
            letters = "、".join(f"{letter}" for letter in row.options)
        values = [row.path, row.field, row.kind_text, row.unit, row.allowed + (f"（依次填 {letters}）" if letters else "")]
        for index, value in enumerate(values, start=1):
            cell = sheet.cell(number, index, value)
            cell.alignment = Alignment(vertical="top", wrap_text=True)
            cell.border = border
        sheet.cell(number, key_col, _key_text(row))
        open_value = row.kind not in ("branch", "block", "total", "grade", "none")
        for offset in range(width):
            cell = sheet.cell(number, value_col + offset)
            cell.border = border
            if open_value and offset < row.width:
                cell.protection = unlocked
                cell.alignment = Alignment(vertical="top", wrap_text=row.kind in ("reason", "unit"))
            else:
                cell.fill = closed_fill
        for col in (note_col, record_col):
            cell = sheet.cell(number, col)
            cell.border = border
            if row.node_key is not None and (col == record_col or row.kind not in ("total", "grade")):
                cell.protection = unlocked
                cell.alignment = Alignment(vertical="top", wrap_text=True)
            else:
                cell.fill = closed_fill
        if row.kind in ("branch", "block", "total", "grade"):
            for index in range(1, len(HEADERS) + 1):
                sheet.cell(number, index).fill = branch_fill
                sheet.cell(number, index).font = bold
        # validation and number formats of the value cell(s)
        first = f"{get_column_letter(value_col)}{number}"
        if row.kind in ("item",) and row.column is not None and row.column.partial:
            validation("partial", type="list", formula1=_YES_NO, showErrorMessage=False).add(first)
        elif row.kind in ("item", "na") or (row.kind == "input" and row.column and row.column.decl.kind == "bool"):
            validation("yesno", type="list", formula1=_YES_NO, showErrorMessage=True,
                       errorTitle="是/否", error="请选择“是”或“否”。").add(first)
        elif row.kind == "input" and row.options:
            list_column += 1
            letter = get_column_letter(list_column)
            for index, option in enumerate(row.options, start=1):
                lists_sheet.cell(index, list_column, option)
            dv = DataValidation(type="list", formula1=f"{LISTS_SHEET}!${letter}$1:${letter}${len(row.options)}",
                                allow_blank=True, showErrorMessage=True, errorTitle="选项", error="请从下拉列表中选择。")
            sheet.add_data_validation(dv)
            dv.add(first)
        elif row.kind == "input" and row.column is not None:
            _number_validation(sheet, validation, row.column.decl, first)
        elif row.kind == "score" and row.column is not None:
            validation(f"score{row.column.low}~{row.column.high}", type="decimal", operator="between",
                       formula1=decimal_text(row.column.low or 0), formula2=decimal_text(row.column.high or 0),
                       showErrorMessage=True, errorTitle="酌情得分",
                       error=f"应在 {format_points(row.column.low or 0)}～{format_points(row.column.high or 0)} 分之间。").add(first)
        elif row.kind == "tally":
            last = f"{get_column_letter(value_col + row.width - 1)}{number}"
            validation("count", type="whole", operator="greaterThanOrEqual", formula1="0", showErrorMessage=True,
                       errorTitle="人数", error="应是不小于 0 的整数。").add(f"{first}:{last}")
        if row.node_key is not None and row.kind != "grade":
            validation("recorded", type="decimal", operator="between", formula1="-100000", formula2="100000",
                       showErrorMessage=True, errorTitle="记录得分", error="应是一个数。").add(
                f"{get_column_letter(record_col)}{number}")
    # layout
    widths = {1: 30, 2: 34, 3: 9, 4: 7, 5: 26, note_col: 30, record_col: 10, key_col: 12}
    for col, size in widths.items():
        sheet.column_dimensions[get_column_letter(col)].width = size
    for offset in range(width):
        sheet.column_dimensions[get_column_letter(value_col + offset)].width = 14 if width == 1 else 8
    sheet.column_dimensions[get_column_letter(key_col)].hidden = True
    sheet.freeze_panes = sheet.cell(2, value_col)
    sheet.protection.sheet = True
    sheet.protection.formatColumns = False
    sheet.protection.formatRows = False
    sheet.protection.formatCells = False
    _standard_sheet(plan, standard)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _number_validation(sheet, validation, decl: ast.Input, cell: str) -> None:
    from idsl.io.inputs import input_domain

    if decl.kind == "findings":
        validation("findings", type="whole", operator="greaterThanOrEqual", formula1="0", showErrorMessage=True,
                   errorTitle="问题数", error="应是不小于 0 的整数。").add(cell)
        return
    low, high = input_domain(decl)
    if decl.kind == "rate":
        sheet[cell].number_format = "0.00%"
    elif decl.kind == "money":
        sheet[cell].number_format = "#,##0.00##"
    text = lambda x: decimal_text(x)  # noqa: E731
    title = _KIND_WORDS.get(decl.kind, "数值")
    shown = (lambda x: decimal_text(x * 100) + "%") if decl.kind == "rate" else (lambda x: decimal_text(x))
    if low is not None and high is not None:
        validation(f"{decl.kind}{low}~{high}", type="decimal", operator="between", formula1=text(low), formula2=text(high),
                   showErrorMessage=True, errorTitle=title, error=f"应在 {shown(low)}～{shown(high)} 之间。").add(cell)
    elif low is not None:
        validation(f"{decl.kind}≥{low}", type="decimal", operator="greaterThanOrEqual", formula1=text(low),
                   showErrorMessage=True, errorTitle=title, error=f"应不小于 {shown(low)}。").add(cell)
    elif high is not None:
        validation(f"{decl.kind}≤{high}", type="decimal", operator="lessThanOrEqual", formula1=text(high),
                   showErrorMessage=True, errorTitle=title, error=f"应不大于 {shown(high)}。").add(cell)
    else:
        validation("number", type="decimal", operator="between", formula1="-1E+15", formula2="1E+15",
                   showErrorMessage=True, errorTitle=title, error="应是一个数。").add(cell)


def _standard_sheet(plan: Plan, sheet) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill

    sheet.append(["指标", "分值", "评分标准", "指标解释"])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
    leaves = [(node, "score") for node in plan.leaves()]
    leaves += [(item, block.kind) for block, item in plan.items()]
    for node, kind in leaves:
        sheet.append([node.key, format_points(node.points), rule_text(node, kind), node.explanation or ""])
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(vertical="top", wrap_text=True)
    for letter, size in (("A", 34), ("B", 7), ("C", 70), ("D", 50)):
        sheet.column_dimensions[letter].width = size
    sheet.freeze_panes = "A2"
    sheet.protection.sheet = True
    sheet.protection.formatColumns = False
    sheet.protection.formatRows = False


def rule_text(node: Node, kind: str = "score") -> str:
    """The 评分标准 text of a leaf (idsl.render.standard's), or a plain description if that fails."""
    try:
        from idsl.render.standard import standard_text

        return standard_text(node, kind=kind)
    except Exception:  # the generator is someone else's; a template must still come out
        return node.standard or _plain_rule(node)


def _plain_rule(node: Node) -> str:
    rule = node.leaf.rule if node.leaf is not None else None
    names = {ast.Checklist: "要素法", ast.Formula: "公式计分", ast.Bands: "分档计分", ast.Deviation: "偏离扣分",
             ast.PerFinding: "按项扣分", ast.Choice: "选择", ast.Discretionary: "酌情", ast.Target: "目标值",
             ast.Parts: "分项合计"}
    return names.get(type(rule), "") if rule is not None else ""


def _key_text(row: _Row) -> str:
    column = row.column
    if row.kind == "tally" and column is not None:
        return f"tally\t{row.path}\t{column.name}\t{column.index}"
    if column is not None:
        return f"{column.kind}\t{column.key}\t{column.field}"
    return f"{row.kind}\t{row.path}\t{row.field}"


# ---------------------------------------------------------------- reading it back


@attrs.frozen
class WorkbookInputs(Inputs):
    """Inputs read from a workbook, with where each field was (to name cells in messages)."""

    cells: dict[tuple[str, str], str] = attrs.field(factory=dict)  # (indicator path, field) → "输入!F12"


def read_workbook(plan: Plan, path: str | os.PathLike[str]) -> WorkbookInputs:
    """The inputs a filled input workbook holds, as `read_inputs` gives them for JSON.

    Problems found in the cells themselves (a formula without a cached value, a date, an error
    value, a recorded score that is not a number) come back in `errors` naming the cell; the
    scorer's own checks of the values are named by cell with `locate`.
    """
    path = Path(path)
    try:
        values_book, formula_book = _open_twice(path)
    except WorkbookError as err:
        return WorkbookInputs(errors=(InputError("", None, str(err)),), origin=str(path))
    if INPUT_SHEET not in values_book.sheetnames:
        return WorkbookInputs(errors=(InputError("", None, f"{path.name} 里没有“{INPUT_SHEET}”工作表；"
                                                        "用 idsl template 生成输入表。"),), origin=str(path))
    sheet, formulas = values_book[INPUT_SHEET], formula_book[INPUT_SHEET]
    header = [c.value for c in sheet[1]]
    try:
        value_col = header.index("值") + 1
        note_col = header.index(NOTE) + 1
        record_col = header.index(RECORD) + 1
        key_col = header.index(KEY) + 1
    except ValueError:
        return WorkbookInputs(errors=(InputError("", None, f"{INPUT_SHEET} 表头不对：应有 值、{NOTE}、{RECORD}、{KEY} 列；"
                                                        "用 idsl template 重新生成。"),), origin=str(path))
    decls = {(c.key, c.field): c.decl for c in unit_columns(plan) if c.kind == "input" and c.decl is not None}
    reader = _Reader(sheet, formulas)
    leaves: dict[str, dict[str, Any]] = {}
    shared: dict[str, Any] = {}
    notes: dict[str, list[str]] = {}
    recorded: dict[str, tuple[Any, str]] = {}
    items: dict[tuple[str, str], dict[int, Any]] = {}
    tallies: dict[tuple[str, str], dict[int, list[Any]]] = {}
    unit = None
    for number in range(2, sheet.max_row + 1):
        key_text = sheet.cell(number, key_col).value
        if not key_text:
            continue
        kind, path_key, field, *rest = str(key_text).split("\t") + [""]
        node_key = path_key if kind not in ("unit",) and path_key != SHARED else None
        note = reader.text(number, note_col)
        if note and node_key:
            notes.setdefault(node_key, []).append(note)
        record = reader.value(number, record_col)
        if record is not None and node_key:
            where = reader.where(number, record_col)
            reader.cells[(node_key, "recorded")] = where
            if kind == "grade":
                recorded[GRADE] = (str(record).strip(), where)
            else:
                value = _as_decimal(record)
                if value is None:
                    reader.error(number, record_col, f"记录得分不是数字：“{record}”。")
                elif node_key in recorded and recorded[node_key][0] != value:
                    reader.error(number, record_col, f"与 {recorded[node_key][1]} 记录的得分不同。")
                else:
                    recorded[node_key] = (value, where)
        target = shared if path_key == SHARED else leaves.setdefault(path_key, {})
        where = reader.where(number, value_col)
        if kind == "unit":
            cell = reader.value(number, value_col)
            unit = str(cell).strip() if cell is not None else None
        elif kind == "input":
            cell = reader.value(number, value_col)
            reader.cells[(path_key, field)] = where
            decl = decls.get((path_key, field))
            if cell is not None and decl is not None:
                target[field] = _typed(decl, cell, reader.percent(number, value_col))
        elif kind == "item":
            cell = reader.value(number, value_col)
            owner, _, element = field.rpartition(".")
            index = int(element.removeprefix("要素"))
            reader.cells[(path_key, f"{owner}.要素{index}" if owner else f"要素{index}")] = where
            reader.cells.setdefault((path_key, f"{owner}.要素" if owner else "要素"), where)
            items.setdefault((path_key, owner), {})[index] = _item_value(cell)
        elif kind == "score":
            cell = reader.value(number, value_col)
            owner, _, _name = field.rpartition(".")
            reader.cells[(path_key, field)] = where
            if cell is not None:
                (target.setdefault(owner, {}) if owner else target)["得分"] = _as_decimal(cell) if \
                    _as_decimal(cell) is not None else str(cell)
        elif kind == "reason":
            cell = reader.value(number, value_col)
            reader.cells[(path_key, "理由")] = where
            if cell is not None and str(cell).strip():
                target["理由"] = str(cell).strip()
        elif kind == "na":
            cell = reader.value(number, value_col)
            reader.cells[(path_key, "不适用")] = where
            if cell is not None and str(cell).strip() not in ("", "否"):
                target["不适用"] = True if str(cell).strip() == "是" else str(cell).strip()
        elif kind == "tally":
            question = int(rest[0] or 0)
            reader.cells.setdefault((path_key, field), where)
            counts = []
            for k in range(_tally_width(plan, path_key, field)):
                cell = reader.value(number, value_col + k)
                counts.append(None if cell is None else (_as_decimal(cell) if _as_decimal(cell) is not None else str(cell)))
            tallies.setdefault((path_key, field), {})[question] = counts
    for (path_key, owner), found in items.items():
        if any(v is not None for v in found.values()):
            values = [found.get(i) for i in range(1, max(found) + 1)]
            if any(v is None for v in values):
                missing = [i for i, v in enumerate(values, start=1) if v is None]
                for i in missing:
                    cell = reader.cells.get((path_key, f"{owner}.要素{i}" if owner else f"要素{i}"), "")
                    reader.errors.append(InputError(cell, None, f"缺少第 {i} 项要素（填“是”或“否”）。"))
                continue
            target = leaves.setdefault(path_key, {})
            (target.setdefault(owner, {}) if owner else target)["要素"] = values
    for (path_key, name), grid in tallies.items():
        if all(count is None for row in grid.values() for count in row):
            continue  # nobody answered: the questionnaire is missing
        target = shared if path_key == SHARED else leaves.setdefault(path_key, {})
        target[name] = [[0 if count is None else count for count in grid[q]] for q in sorted(grid)]  # blank: nobody
    data = {"unit": unit, "inputs": {k: v for k, v in leaves.items() if v},
            "notes": {k: "；".join(v) for k, v in notes.items()},
            "recorded": {k: v for k, (v, _w) in recorded.items()}}
    if shared:
        data["inputs"][SHARED] = shared
    inputs = read_inputs(data, origin=str(path))
    return WorkbookInputs(inputs.leaves, inputs.shared, inputs.notes, inputs.recorded, inputs.spec, inputs.unit,
                          tuple(reader.errors) + inputs.errors, str(path), cells=dict(reader.cells))


def _tally_width(plan: Plan, path_key: str, name: str) -> int:
    """How many options the questionnaire has (value cells per question row)."""
    return sum(1 for column in unit_columns(plan)
               if column.kind == "tally" and column.key == path_key and column.name == name and column.index == 1)


def locate(result, inputs: Inputs):
    """The result with every input error that names an indicator field renamed to its cell
    (输入!F12: …), and dropped where the cell already has one of the reader's own errors."""
    cells = getattr(inputs, "cells", None)
    if not cells:
        return result
    own = {e.path for e in inputs.errors}
    located = []
    seen = set()
    for error in result.errors:
        cell = _cell_of(cells, error.path, error.field or "", error.message)
        if cell is None:
            located.append(error)
            continue
        if cell in own and error not in inputs.errors:
            continue
        where = " › ".join(p for p in (error.path, error.field) if p)
        moved = InputError(cell, None, f"{error.message}（{where}）" if not error.path.startswith(INPUT_SHEET) else error.message,
                           error.hint)
        if (moved.path, moved.message) in seen:
            continue
        seen.add((moved.path, moved.message))
        located.append(moved)
    return attrs.evolve(result, errors=tuple(located))


def _cell_of(cells: dict[tuple[str, str], str], path: str, field: str, message: str) -> str | None:
    if path.startswith(f"{INPUT_SHEET}!"):
        return path
    import re

    if field.endswith("要素"):
        found = re.search(r"第 (\d+) 项", message)
        if found:
            cell = cells.get((path, f"{field}{found.group(1)}"))
            if cell:
                return cell
    for candidate in (field, field.split(".")[-1]):
        if (path, candidate) in cells:
            return cells[(path, candidate)]
    return None


class _Reader:
    """Cell access with the rules of the module doc, collecting errors by cell."""

    def __init__(self, sheet, formulas):
        self.sheet = sheet
        self.formulas = formulas
        self.errors: list[InputError] = []
        self.cells: dict[tuple[str, str], str] = {}  # (path, field) → "输入!F12"

    def where(self, row: int, col: int) -> str:
        from openpyxl.utils import get_column_letter

        return f"{INPUT_SHEET}!{get_column_letter(col)}{row}"

    def error(self, row: int, col: int, message: str) -> None:
        self.errors.append(InputError(self.where(row, col), None, message))

    def value(self, row: int, col: int) -> Any:
        """The cell's value (its cached value for a formula), None when empty; problems recorded."""
        cell = self.sheet.cell(row, col)
        formula = self.formulas.cell(row, col)
        value = cell.value
        if formula.data_type == "f" or (isinstance(formula.value, str) and formula.value.startswith("=")):
            if value is None:
                self.error(row, col, "公式没有缓存的计算结果（idsl 不计算公式）：在 Excel 或 LibreOffice 里打开并保存，"
                                     "或直接填数值。")
                return None
        if cell.data_type == "e":
            self.error(row, col, f"单元格是错误值 {value}。")
            return None
        if isinstance(value, str) and not value.strip():
            return None
        if hasattr(value, "year"):
            self.error(row, col, "单元格是日期，不是数字或文字。")
            return None
        return value

    def text(self, row: int, col: int) -> str | None:
        value = self.value(row, col)
        return str(value).strip() if value is not None else None

    def percent(self, row: int, col: int) -> bool:
        return "%" in (self.sheet.cell(row, col).number_format or "")


def _open_twice(path: Path):
    """The workbook with cached values, and with formulas (to tell a formula without a cached value)."""
    from zipfile import BadZipFile

    from openpyxl import load_workbook

    try:
        return load_workbook(path, data_only=True), load_workbook(path, data_only=False)
    except (BadZipFile, KeyError, OSError, ValueError) as err:
        raise WorkbookError(f"读不了 {path.name}：不是 .xlsx 工作簿（{err}）。") from err


def _typed(decl: ast.Input, value: Any, percent_format: bool) -> Any:
    """A cell's value as the JSON reader takes it: numbers exact (a percent-formatted cell holding 0.8967
    is "89.67%"), text as text."""
    if isinstance(value, bool):
        return "是" if value else "否" if decl.kind == "bool" else value
    if isinstance(value, (int, float)):
        number = _as_decimal(value)
        if decl.kind == "rate" and percent_format:
            return decimal_text(number * 100) + "%"
        return number
    return str(value).strip()


def _as_decimal(value: Any) -> Decimal | None:
    """An exact Decimal of a cell value: a float by its shortest repr (what Excel shows), text parsed."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value))
    try:
        text = str(value).strip().replace(",", "")
        number = Decimal(text)
        return number if number.is_finite() else None
    except InvalidOperation:
        return None


def _item_value(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, (int, float)):
        return _as_decimal(value)
    return str(value).strip()


# ---------------------------------------------------------------- batch workbooks


def batch_template(plan: Plan, audit: bool = False) -> bytes:
    """The batch template as .xlsx: one header row (单位 first), one row per unit to fill."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    columns = unit_columns(plan, audit=audit)
    book = Workbook()
    sheet = book.active
    sheet.title = BATCH_SHEET
    sheet.append([c.header for c in columns])
    for index, cell in enumerate(sheet[1], start=1):
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.column_dimensions[get_column_letter(index)].width = 18 if index > 1 else 24
    sheet.freeze_panes = "B2"
    guide = book.create_sheet("说明")
    guide.append(["列", "种类", "可填"])
    for column in columns[1:]:
        guide.append([column.header, _column_kind(column), _column_allowed(column)])
    guide.column_dimensions["A"].width = 50
    guide.column_dimensions["C"].width = 60
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _column_kind(column: Column) -> str:
    if column.kind == "input" and column.decl is not None:
        return _KIND_WORDS.get(column.decl.kind, column.decl.kind) + (f"（{column.decl.unit}）" if column.decl.unit else "")
    return {"item": "要素", "score": "酌情得分", "reason": "理由", "na": "不适用", "tally": "问卷人数",
            "recorded": "记录得分", "grade": "记录等级"}.get(column.kind, column.kind)


def _column_allowed(column: Column) -> str:
    if column.kind == "input" and column.decl is not None:
        if column.decl.kind == "choice":
            return "；".join(f"{chr(ord('A') + i)}. {o}" for i, o in enumerate(column.decl.options))
        return _allowed(column.decl)
    if column.kind == "item":
        return "是/否" + (f"，或 0～{format_points(column.points or 0)} 的分数" if column.partial else "")
    if column.kind == "score":
        return f"{format_points(column.low or 0)}～{format_points(column.high or 0)}"
    if column.kind == "na":
        return "是，或留空"
    if column.kind == "tally":
        return "不小于 0 的整数"
    return ""


def read_batch_workbook(path: str | os.PathLike[str]) -> tuple[list[str], str]:
    """A batch workbook's first sheet as a temporary CSV of text cells (the caller deletes it): its
    headers and the CSV's path. Numbers keep their shortest decimal form; a percent-formatted cell
    0.8967 becomes "89.67%"; a formula without a cached value becomes a cell the checks reject."""
    from openpyxl import load_workbook

    from idsl.engines.batch import BatchError, write_csv

    try:
        book = load_workbook(path, read_only=True, data_only=False)
    except Exception as err:
        raise BatchError(f"读不了 {path}：{err}") from err
    sheet = book[BATCH_SHEET] if BATCH_SHEET in book.sheetnames else book.worksheets[0]
    rows = sheet.iter_rows()
    try:
        headers = [str(c.value).strip() if c.value is not None else "" for c in next(rows)]
    except StopIteration:
        raise BatchError(f"{path} 是空的。") from None
    formulas: set[tuple[int, int]] = set()
    body: list[list[str]] = []
    for r, row in enumerate(rows, start=2):
        cells = []
        for c, cell in enumerate(row[: len(headers)]):
            if cell.data_type == "f":
                formulas.add((r, c))
                cells.append("")
            else:
                cells.append(_cell_text(cell.value, cell.number_format or ""))
        if any(cells) or any((r, c) in formulas for c in range(len(headers))):
            body.append(cells + [""] * (len(headers) - len(cells)))
    book.close()
    if formulas:
        cached = load_workbook(path, read_only=True, data_only=True)
        sheet = cached[BATCH_SHEET] if BATCH_SHEET in cached.sheetnames else cached.worksheets[0]
        positions = {}
        for r, row in enumerate(sheet.iter_rows(min_row=2), start=2):
            for c, cell in enumerate(row[: len(headers)]):
                if (r, c) in formulas:
                    positions[(r, c)] = _cell_text(cell.value, cell.number_format or "") if cell.value is not None \
                        else "#公式没有缓存值"
        cached.close()
        for (r, c), text in positions.items():
            if r - 2 < len(body):
                body[r - 2][c] = text
    handle, name = tempfile.mkstemp(suffix=".csv")
    os.close(handle)
    write_csv(name, headers, body)
    return headers, name


def _cell_text(value: Any, number_format: str) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, (int, float)):
        number = _as_decimal(value)
        if "%" in number_format:
            return decimal_text(number * 100) + "%"
        return decimal_text(number)
    if hasattr(value, "year"):
        return "#日期"
    return str(value)


def write_results_workbook(path: str | os.PathLike[str], headers: Sequence[str], rows: Iterable[Sequence[Any]],
                           errors: Sequence[tuple[int, str, str, str]]) -> None:
    """The results of a batch: a 结果 sheet (one row per unit scored) and an 错误 sheet (the bad rows)."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet(RESULTS_SHEET)
    sheet.append(list(headers))
    for row in rows:
        sheet.append([_excel_value(v) for v in row])
    problems = book.create_sheet(ERRORS_SHEET)
    problems.append(["行", "单位", "列", "问题"])
    for error in errors:
        problems.append(list(error))
    buffer = io.BytesIO()
    book.save(buffer)
    write_atomic(path, buffer.getvalue())


def _excel_value(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value) if value == value.quantize(Decimal("0.0001")) else str(value)
    return value


def is_batch_workbook(path: str | os.PathLike[str]) -> bool:
    """Whether an .xlsx is a batch (a 单位 header in A1) rather than an input workbook (an 输入 sheet)."""
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True)
    except Exception:
        return False
    try:
        if INPUT_SHEET in book.sheetnames:
            return False
        sheet = book[BATCH_SHEET] if BATCH_SHEET in book.sheetnames else book.worksheets[0]
        first = next(sheet.iter_rows(max_row=1, max_col=1), None)
        return bool(first) and str(first[0].value or "").strip() == UNIT
    finally:
        book.close()


__all__ = [
    "WorkbookError",
    "batch_template",
    "is_batch_workbook",
    "read_batch_workbook",
    "WorkbookInputs",
    "locate",
    "read_workbook",
    "rule_text",
    "template_workbook",
    "write_results_workbook",
]
