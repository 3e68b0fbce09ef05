"""The 自评表 input workbook: the form of 财预〔2020〕10号 附1 on one sheet, its cells to fill unlocked and checked.

Header (项目名称, 主管部门, 实施单位), the funds block (待填 figures to fill, 执行率 of the figures the spec
writes), 年度总体目标, then one row per indicator: 一级/二级/三级 | 年度指标值 (pre-filled) | 实际完成值 | 分值 |
得分 | 偏差原因分析及改进措施, and 总分. A 定性 row's 实际完成值 is a drop-down of its tiers and its 得分 is
checked against the tier chosen (评级's 等级 alike, by its own ranges); an input the form has no column for
(超额调减, 项目完成 …) gets a row of its own under its indicator, a 分项 part scored by the evaluator a row with
its 等级 and 得分, and 择一's 选用 a drop-down row above the alternatives (a level-3 parent's own row, with its
points, as any level-3 indicator with indicators below it has); beside the printed form, 记录得分 cells for a
report's scores (audits): each row's, 记录等级 (a drop-down of the spec's grades) and the level-1 and level-2
subtotals'. Scores are not computed here (no formulas): `idsl score` gives them. Where each
input sits is idsl.io.workbook_form's, which reads the form back. A form of 表式 衔接资金 is laid out as its Word
table is (idsl.semantics.form_styles): 分值 before 年度指标值, no 年初预算数 column, no 上年结转资金 row.
"""

from __future__ import annotations

from fractions import Fraction

import openpyxl
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from idsl.frontend import ast
from idsl.frontend.form import fund_input, row_label
from idsl.io.columns import TOTAL, Column
from idsl.io.excel import excel_value
from idsl.io.workbook import FORM_SHEET, RECORD, key_text
from idsl.io.workbook_form import (GRADE_RECORD_COL, KEY_COL, RECORD_COL, REASON, SCORE, SUBTOTAL_COLS,
                                   SUBTOTAL_KEY_COL, UNIT_COL, BranchCells, FormLayout, LeafCells, PartCells, actual_col,
                                   figure_cols)
from idsl.render.docx_form import aside, bracket_note, branch_text, counted_keys, target_text
from idsl.render.workbook_sheet import _BOLD, _BORDER, _BRANCH_FILL, _HEAD_FILL, _UNLOCKED, _InputSheet, input_book
from idsl.render.workbook_rows import SheetRow, _column_rows, choice_text, judged_ranges, tier_score_rule
from idsl.semantics.graded import TierRange, ranges_text
from idsl.semantics.form_styles import FormStyle, form_style, style_note
from idsl.semantics.model import Node, Plan
from idsl.semantics.numbers import decimal_text, format_percent, format_points, points_label

_FILL_IN = PatternFill("solid", fgColor="FFF2CC")  # a cell the evaluator fills
_WIDTHS = (15, 16, 16, 22, 18, 16, 7, 9, 36)  # A–I, about a landscape A4 page
_XIANJIE_WIDTHS = (15, 16, 16, 22, 10, 18, 13, 9, 36)  # 分值 in E, 全年实际值 in G (as the Word form's)


def form_workbook(plan: Plan, layout: FormLayout) -> bytes:
    """The 自评表 input workbook of a plan with a form, as .xlsx bytes."""
    # the title and 项目名称 on every printed page
    return input_book(plan, FORM_SHEET, lambda sheet, lists: _FormSheet(sheet, lists, plan, layout).write(), "1:2")


class _FormSheet(_InputSheet):
    """The 自评表 sheet, written top to bottom; validations as the input workbook's, with a prompt per cell."""

    def __init__(self, sheet, lists, plan: Plan, layout: FormLayout):
        self.sheet, self.lists, self.plan, self.layout = sheet, lists, plan, layout
        self.form = plan.form
        self.style = form_style(plan.form)
        self.widths = _XIANJIE_WIDTHS if self.style.xianjie else _WIDTHS
        self.counted = counted_keys(plan)
        self.validations: dict[str, DataValidation] = {}
        self.list_column = 0
        self.value_col = self.actual = actual_col(plan)
        self.number = 0  # the last row written

    def write(self) -> None:
        self.put([self.style.title], spans=((1, 9),))
        title = self.sheet.cell(1, 1)
        title.font, title.border = Font(bold=True, size=14), openpyxl.styles.Border()
        form = self.form
        if self.style.contact:  # 项目负责人及电话, as on the published form (not read)
            self.put(["项目名称", form.project or "", "", "", "", "项目负责人及电话"], spans=((2, 5), (7, 9)), heads=(1, 6))
        else:
            self.put(["项目名称", form.project or ""], spans=((2, 9),), heads=(1,))
        row = self.put(["主管部门", form.department or "", "", "", "", "实施单位", form.implementer or ""],
                       spans=((2, 5), (7, 9)), heads=(1, 6), key=key_text("unit", "", ""))
        if not form.implementer:
            self.open(row, UNIT_COL, SheetRow("unit", "", "实施单位", "文字", "", "被评价单位的名称"), "填实施单位（被评价单位）。")
        self.funds()
        first = self.put(["年度总体目标", self.style.goal_titles[0], "", "", "", self.style.goal_titles[1]],
                         spans=((2, 5), (6, 9)), heads=(1, 2, 6))
        self.put(["", form.expected or "", "", "", "", form.achieved or ""], spans=((2, 5), (6, 9)))
        self.down(first, self.number, 1)
        if self.layout.shared:
            first = self.number + 1
            for column in self.layout.shared:
                self.extra(column, "共用", None)
            self.sheet.cell(first, 1, "其他输入").font = _BOLD
            self.down(first, self.number, 1)
        self.indicators()
        self.total()
        self.layout_sheet()

    # -- writing rows

    def put(self, values: list, spans=(), heads=(), key: str | None = None) -> int:
        """A row of the form: its texts in A…, spans (first, last column) merged, label cells shaded."""
        number = self.number = self.number + 1
        for col in range(1, 10):
            value = values[col - 1] if col <= len(values) else ""
            cell = self.sheet.cell(number, col, value if value != "" else None)
            cell.border = _BORDER
            cell.alignment = Alignment(horizontal="left" if col == 9 else "center", vertical="center", wrap_text=True)
        for col in heads:
            self.sheet.cell(number, col).font = _BOLD
            self.sheet.cell(number, col).fill = _HEAD_FILL
        for first, last in spans:
            self.sheet.merge_cells(start_row=number, start_column=first, end_row=number, end_column=last)
        if key is not None:
            self.sheet.cell(number, KEY_COL, key)
        self.height(number, values, spans)
        return number

    def height(self, number: int, values: list, spans) -> None:
        """Room for wrapped text: spreadsheets do not grow a row for it when the file is opened, nor print so."""
        widths = list(self.widths)
        for first, last in spans:
            widths[first - 1] = sum(self.widths[first - 1:last])
        lines = max([-(-_cells(str(v)) // max(widths[i] - 1, 1)) for i, v in enumerate(values[:9]) if v] + [1])
        if lines > 1:
            self.sheet.row_dimensions[number].height = 15 * lines

    def down(self, first: int, last: int, col: int) -> None:
        if last > first:
            self.sheet.merge_cells(start_row=first, start_column=col, end_row=last, end_column=col)

    def open(self, number: int, col: int, row: SheetRow | None, prompt: str, rule: tuple[str, dict] | None = None) -> None:
        """A cell to fill: unlocked, tinted, checked as typed (the input workbook's rule for the row) with a prompt."""
        cell = self.sheet.cell(number, col)
        cell.protection = _UNLOCKED
        cell.fill = _FILL_IN
        rule = rule if rule is not None else (self.value_rule(row) if row is not None else None)
        kwargs = dict(rule[1]) if rule is not None else {}
        shape = kwargs.pop("number_format", None)
        if shape is not None:
            cell.number_format = shape
        validation = DataValidation(allow_blank=True, showInputMessage=True, promptTitle="填写说明",
                                    prompt=prompt[:250], **kwargs)
        validation.add(cell.coordinate)
        self.sheet.add_data_validation(validation)

    def record(self, number: int, col: int = RECORD_COL, what: str = "得分") -> None:
        """A 记录得分 cell beside the printed form (记录等级 on the 总分 row, a drop-down of the spec's grades): the
        score a report recorded, compared by `idsl audit`; left blank, nothing is recorded."""
        cell = self.sheet.cell(number, col)
        cell.protection = _UNLOCKED
        cell.border = _BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center")
        if col == GRADE_RECORD_COL:
            grades = tuple(band.grade for band in self.plan.grades)
            kwargs = dict(self.options(grades)[1], errorTitle="记录等级", error=f"应是本体系的等级：{'、'.join(grades)}。")
            prompt = "复核用：报告记录的等级（可不填）；idsl audit 与规则评定的等级比较。"
        else:
            kwargs = dict(type="decimal", operator="between", formula1="-100000", formula2="100000",
                          showErrorMessage=True, errorTitle=RECORD, error="应是一个数。")
            prompt = f"复核用：报告记录的{what}（可不填）；idsl audit 与规则所得比较，不填为未记录。"
        validation = DataValidation(allow_blank=True, showInputMessage=True, promptTitle=RECORD, prompt=prompt, **kwargs)
        validation.add(cell.coordinate)
        self.sheet.add_data_validation(validation)

    def record_head(self, number: int, *titles: str) -> None:
        """记录得分 (and 记录等级, the subtotals') over their columns, beside a header row of the form; a title left
        blank is a column the form does not use."""
        for col, text in enumerate(titles, start=RECORD_COL):
            if not text:
                continue
            cell = self.sheet.cell(number, col, text)
            cell.font, cell.fill, cell.border = _BOLD, _HEAD_FILL, _BORDER
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)

    def shown(self, number: int, *cols: int) -> None:
        """Cells shown, not filled (the spec's own figures and targets): a read-only look."""
        for col in cols:
            self.sheet.cell(number, col).fill = _BRANCH_FILL

    # -- the funds block

    def funds(self) -> None:
        form, rate, style = self.form, self.layout.rate, self.style
        cols = figure_cols(self.plan)
        # 附1: the block's label in A, each row's in B–C; 衔接资金: the label column A–C titled 资金情况（万元）, 得分 H–I
        label_span, tail_span = ((1, 3), ((8, 9),)) if style.xianjie else ((2, 3), ())
        first = self.put([f"{style.funds_label}（{form.unit}）", "", "", *style.figure_titles, *style.rate_titles],
                         spans=(label_span, *tail_span), heads=(1, 4, 5, 6, 7, 8, *(() if style.xianjie else (9,))))
        if rate is not None:
            self.record_head(first, RECORD)
        rows = {row.row: row for row in form.funds}
        for name in style.rows:
            label = style.row_text(name)
            cells = dict(zip(ast.FUNDS_COLUMNS, rows[name].cells)) if name in rows else {}
            total = name == ast.FUNDS_ROWS[0]
            figures = [self._figure(cells[column]) if column in cells else "" for column in style.columns]
            points = excel_value(rate.points) if total and rate is not None else ("" if style.xianjie else "—")
            tail = [points, _rate(cells), ""] if total or not style.xianjie else ["", "", ""]
            if not total and not style.xianjie:
                tail[2] = "—"
            values = [label, "", "", *figures, *tail] if style.xianjie else ["", label, "", *figures, *tail]
            number = self.put(values, spans=(label_span, *tail_span),
                              key=key_text("funds", rate.key, name) if rate is not None else None)
            self.shown(number, *((4, 5, 7, 8) if style.xianjie else (4, 5, 6, 8, 9)))  # all but 分值
            if total and rate is not None:  # 预算执行率's 分值 and 得分 are on this row
                self.record(number)
            for column, cell in cells.items():
                col = cols.get(column)
                if col is None:
                    continue
                if cell.value is not None:
                    self.sheet.cell(number, col).number_format = "#,##0.00##"
                found = self.layout.funds.get(fund_input(name, column)) if cell.fill else None
                if found is not None:
                    self.open(number, col, SheetRow("input", rate.key, found.field, "金额", form.unit, "", found),
                              f"填{row_label(style.name, name)}的{column}（{form.unit}）。")
        for column in self.layout.rate_extra:
            self.extra(column, rate.key, rate)
        if not style.xianjie:
            self.down(first, self.number, 1)

    @staticmethod
    def _figure(cell: ast.FundsCell):
        if cell.value is not None:
            return excel_value(cell.value)
        return "" if cell.fill else "—"

    # -- the indicators

    def indicators(self) -> None:
        first = self.put(["绩效指标", *self.style.indicator_header], heads=tuple(range(1, 10)))
        self.record_head(first, RECORD, "记录等级" if self.plan.grades else "", "一级指标记录得分", "二级指标记录得分")
        runs: dict[int, list[list]] = {2: [], 3: []}  # 一级 and 二级 columns: [path, first row, last row] each
        for cells in self.layout.leaves:
            levels = [cells.node.path[:k] for k in (1, 2)]
            begin = self.number + 1
            self.leaf_row(cells, levels)
            # a level-1 pool's row has no 二级: the first alternative's name starts below it
            starts = (begin, begin + 1 if _level_1_pool(cells) else begin)
            for col, path, start in zip((2, 3), levels, starts):
                if runs[col] and runs[col][-1][0] == path:
                    runs[col][-1][2] = self.number
                else:
                    runs[col].append([path, start, self.number])
        for col, record_col in zip((2, 3), SUBTOTAL_COLS):
            for path, top, bottom in runs[col]:
                self.down(top, bottom, col)
                self.subtotal(self.plan.find(path), top, bottom, record_col)
        self.down(first, self.number, 1)

    def subtotal(self, node: Node | None, top: int, bottom: int, col: int) -> None:
        """A level-1 or level-2 indicator's 记录得分, merged down its rows as its name is; none for a leaf (its own
        row's 记录得分 records it)."""
        if node is None or node.leaf is not None:
            return
        self.record(top, col, f"“{node.name}”的得分（小计）")
        self.down(top, bottom, col)
        keys = str(self.sheet.cell(top, SUBTOTAL_KEY_COL).value or "\t").split("\t")
        keys[SUBTOTAL_COLS.index(col)] = node.key
        self.sheet.cell(top, SUBTOTAL_KEY_COL, "\t".join(keys))

    def leaf_row(self, cells: LeafCells, levels: list[tuple[str, ...]]) -> None:
        leaf = cells.node
        names = ["", *(self._level(p) for p in levels), leaf.name if leaf.level >= 3 else ""]
        if leaf.level == 2:
            names[2], names[3] = leaf.name, ""
        if cells.choice is not None:  # above the alternatives, carrying the level names the merges keep
            self.choice_row(cells.choice, names[:3])
        for branch in cells.branches:
            self.branch_row(branch, names[:3])
        number = self.put([*names, *self.style.place(target_text(leaf), "", self.points(leaf))],
                          key=key_text("leaf", leaf.key, ""))
        self.shown(number, self.style.target_col, self.style.points_col)
        self.record(number)
        rule = leaf.leaf.rule if leaf.leaf is not None else None
        ranges = judged_ranges(rule, cells.actual, leaf.points)
        if cells.actual is not None:
            row = _column_rows(cells.actual, leaf.key, leaf)[0]
            if isinstance(rule, ast.Graded):
                prompt = f"选等级：{' / '.join(row.options)}（从高到低）。"
            elif isinstance(rule, ast.Qualitative):
                prompt = f"选档次：{' / '.join(row.options)}（第十六条的三档，从高到低）。"
            else:
                actual = self.style.indicator_header[self.actual - 2]  # 实际完成值, 衔接资金's 全年实际值
                prompt = f"填{actual}；{_allowed(row)}。年度指标值：{target_text(leaf).rstrip('。')}。"
            self.open(number, self.actual, row, prompt)
        else:
            self.shown(number, self.actual)
        if cells.score is not None:
            prompt = _score_prompt(ranges, cells.score, cells.reason is not None)
            self.open(number, SCORE, None, prompt, _score_rule(number, ranges, cells.score, self.style))
        else:
            self.shown(number, SCORE)
        self.open(number, REASON, None, "未得满分时写偏差原因和改进措施（得分低于分值的“理由”）。" if cells.reason is not None
                  else f"{self.style.indicator_header[-1]}（可不填）。")
        for extra in cells.extra:
            if isinstance(extra, PartCells):
                self.part_row(extra, leaf, cells.reason is not None)
            else:
                self.extra(extra, leaf.key, leaf)

    def choice_row(self, pool: BranchCells, names: list[str]) -> None:
        """A level-1 or level-2 indicator's pool above its first alternative, as a level-3 parent's row: its name,
        the pool and its alternatives, its points (the column counts them, not the alternatives'), and 择一's /
        任选's 选用, which alternatives the unit uses (择一's a drop-down of them, 任选's names typed)."""
        parent, column = pool.node, pool.choice
        key = key_text("input", column.key, column.field) if column is not None else key_text("branch", parent.key, "")
        if parent.level == 1:  # named in its 一级 cell alone, as the Word form's row is
            names = [*names[:2], ""]
        # 三级 left blank: the pool is named in its own level cell, not again beside it, as on the Word form
        number = self.put([*names, "", *self.style.place(branch_text(parent), "", excel_value(parent.points))], key=key)
        self.shown(number, self.style.target_col, self.style.points_col, 8, 9)
        if column is None:
            self.shown(number, self.actual)
        else:
            self.open(number, self.actual, _column_rows(column, parent.key)[0], choice_text(parent) + "。")

    def branch_row(self, branch: BranchCells, names: list[str]) -> None:
        """A level-3 (or deeper) indicator above its own indicators: its name, what its score is made of and its
        points as a leaf's row has them, and 择一's / 任选's 选用 in 实际完成值."""
        node = branch.node
        column = branch.choice
        key = key_text("input", column.key, column.field) if column is not None else key_text("branch", node.key, "")
        number = self.put([*names, node.name, *self.style.place(branch_text(node), "", self.points(node))], key=key)
        self.shown(number, self.style.target_col, self.style.points_col, 8, 9)
        self.record(number)
        if column is None:
            self.shown(number, self.actual)
        else:
            self.open(number, self.actual, _column_rows(column, node.key)[0], choice_text(node) + "。")

    def part_row(self, part: PartCells, leaf: Node, reason: bool) -> None:
        """A 分项 part the evaluator scores: its name and points, its 等级 (评级) in F and its 得分 in H."""
        style = self.style
        # 附1: the part's name over D–E; 衔接资金: in D, its points in E as a row's 分值
        number = self.put(["", "", "", f"分项：{part.name}", *style.place("", "", aside(format_points(part.points)))],
                          spans=((4, 5),) if style.target_col == 5 else (), key=part.key)
        self.shown(number, 4, style.points_col, 9, *((6,) if style.xianjie else ()))
        unit = next((p.leaf for p in leaf.leaf.parts if p.name == part.name), None)
        rule = unit.rule if unit is not None else None
        ranges = judged_ranges(rule, part.grade, part.points)
        if part.grade is not None:
            row = _column_rows(part.grade, leaf.key, leaf)[0]
            what = "等级" if isinstance(rule, ast.Graded) else "档次"
            self.open(number, self.actual, row, f"选{part.name}的{what}：{' / '.join(row.options)}（从高到低）。")
        else:
            self.shown(number, self.actual)
        if part.score is not None:
            prompt = _score_prompt(ranges, part.score, reason)
            self.open(number, SCORE, None, prompt, _score_rule(number, ranges, part.score, self.style))
        else:
            self.shown(number, SCORE)

    def points(self, node: Node):
        """分值 as the column adds it up to 总分: a number, or in brackets where a parent (or pool) counts it."""
        return excel_value(node.points) if node.key in self.counted else aside(format_points(node.points))

    def _level(self, path: tuple[str, ...]) -> str:
        node = self.plan.find(path)
        return path[-1] if node is None else f"{path[-1]}（{points_label(node.points, node.weight)}）"

    def extra(self, column: Column, path: str, node: Node | None) -> None:
        """An input the form has no column for, on a row of its own: its name in D–E, its value in F."""
        rows = _column_rows(column, path, node)
        if not rows:
            return
        row = rows[0]
        label = f"{row.field}" + (f"（{row.unit}）" if row.unit and row.unit != "%" else "")
        number = self.put(["", "", "", label], spans=((4, self.actual - 1),), key=row.key)  # value: 实际完成值's column
        self.shown(number, 4, *range(self.actual + 1, 10))
        self.open(number, self.actual, row, f"{row.field}：{_allowed(row)}。")

    def total(self) -> None:
        grade = "等级：" if self.plan.grades else ""
        if self.style.points_col == 5:  # 总分 over A–D, its 分值 in E, the two columns after it blank
            number = self.put(["总分", "", "", "", excel_value(self.plan.total), "", "", "", grade],
                              spans=((1, 4), (6, 7)), heads=(1,), key=key_text("total", TOTAL, ""))
            self.shown(number, 5, 8, 9)
        else:
            number = self.put(["总分", "", "", "", "", "", excel_value(self.plan.total), "", grade], spans=((1, 6),),
                              heads=(1,), key=key_text("total", TOTAL, ""))
            self.shown(number, 7, 8, 9)
        self.record(number)
        if self.plan.grades:  # a spec without grades has no grade to record (one given anyway is columns.NO_GRADES)
            self.record(number, GRADE_RECORD_COL)
        self.note_row()

    def note_row(self) -> None:
        """The note under the form: what is filled, what its bracketed figures are, what the columns beside it
        record (记录等级 only where the spec has grades)."""
        parts = any(isinstance(extra, PartCells) for cells in self.layout.leaves for extra in cells.extra)
        recorded = "记录得分、记录等级" if self.plan.grades else "记录得分"
        own = style_note(self.plan, self.style)  # 衔接资金's note on the level-1 points, as true of the spec
        own = f"原表注：{own}" if own else ""
        note = self.put(["注：黄色单元格由评价人员填写；得分、执行率由 idsl score 按评分标准计算（见“评分标准”表）。"
                         + own + bracket_note(self.plan, parts=parts) +
                         f"表右的{recorded}和一级、二级指标的记录得分（小计）供复核（idsl audit），可不填。"],
                        spans=((1, 9),))
        cell = self.sheet.cell(note, 1)
        cell.alignment = Alignment(horizontal="left", wrap_text=True)
        cell.font = Font(size=9, italic=True)

    def layout_sheet(self) -> None:
        sheet = self.sheet
        for col, width in enumerate(self.widths, start=1):
            sheet.column_dimensions[get_column_letter(col)].width = width
        for col in (KEY_COL, SUBTOTAL_KEY_COL):
            sheet.column_dimensions[get_column_letter(col)].hidden = True
        for col in (RECORD_COL, GRADE_RECORD_COL, *SUBTOTAL_COLS):
            sheet.column_dimensions[get_column_letter(col)].width = 10
        sheet.print_area = f"A1:I{self.number}"
        sheet.protection.sheet = True
        sheet.protection.formatColumns = False
        sheet.protection.formatRows = False
        sheet.protection.formatCells = False


def _level_1_pool(cells: LeafCells) -> bool:
    """Whether a leaf's rows open with the row of a level-1 indicator's pool."""
    return cells.choice is not None and cells.choice.node.level == 1


def _cells(text: str) -> int:
    """The width of a text in a spreadsheet's character cells: a Chinese character takes two."""
    return sum(2 if ord(ch) >= 0x2E80 else 1 for ch in text)


def _rate(cells: dict[str, ast.FundsCell]) -> str:
    """执行率 of a funds row when the spec writes both figures (else `idsl score` gives it)."""
    budget, spent = cells.get("全年预算数"), cells.get("全年执行数")
    if budget is None or spent is None or budget.value is None or spent.value is None or not budget.value:
        return ""
    return format_percent(Fraction(spent.value) / Fraction(budget.value))


def _allowed(row: SheetRow) -> str:
    unit = f"（{row.unit}）" if row.unit and row.unit != "%" else ""
    return f"可填 {row.allowed}{unit}" if row.allowed else "文字"


def _score_rule(number: int, ranges: tuple[TierRange, ...], column: Column, style: FormStyle) -> tuple[str, dict]:
    """A graded score within the grade chosen in 实际完成值; a judged score within its bounds."""
    if not ranges:
        low, high = column.low or 0, column.high or 0
        return "", dict(type="decimal", operator="between", formula1=decimal_text(low), formula2=decimal_text(high),
                        showErrorMessage=True, errorTitle="得分",
                        error=f"应在 {format_points(low)}～{format_points(high)} 分之间。")
    letter = get_column_letter(style.actual_col)  # the tier is chosen in 实际完成值 (衔接资金's 全年实际值, G)
    title = style.indicator_header[style.actual_col - 2]
    return "", tier_score_rule(f"${letter}${number}", f"H{number}", ranges, "档次", f"在“{title}”")


def _score_prompt(ranges: tuple[TierRange, ...], column: Column, reason: bool) -> str:
    if ranges:
        why = "；低于最高档须在偏差原因一栏写理由" if reason else ""
        return f"按所选档次给分：{ranges_text(ranges)} 分{why}。"
    return f"评价人员给分：{format_points(column.low or 0)}～{format_points(column.high or 0)} 分。"


__all__ = ["form_workbook"]
