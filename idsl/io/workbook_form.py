"""The 自评表 input workbook (财预〔2020〕10号 附1 laid out on a sheet): where each thing to fill sits, and reading it back.

`idsl template` writes a spec with a 自评表 block as the form itself (idsl.render.workbook_form); this module
says which cell of the form holds which input, for the writer and the reader alike, and reads a filled form
into the same `Inputs` the JSON reader gives. Every row the reader looks at carries a hidden key (column J):

* ``unit`` — the header row of 主管部门 and 实施单位; 实施单位 (G) is the unit evaluated;
* ``funds`` — a row of the funds block; its 待填 figures (D, E, F; 衔接资金's D, E) are inputs of the 预算执行率 leaf;
* ``leaf`` — an indicator row: 实际完成值 (F) the actual a target compares or a 定性 tier (评级's 等级), 得分 (H)
  a judged score (定性, 评级, 酌情), 偏差原因分析及改进措施 (I) the 理由 when the leaf takes one, else the evaluator's note
  (表式 衔接资金 puts 分值 in E and 年度指标值 in F, so its 全年实际值 is G: `actual_col`, here and below);
* ``part`` — a 分项 part scored by the evaluator, on a row of its own under its leaf: its 等级 (评级) or tier
  (定性) in F, its 得分 in H;
* ``branch`` — a level-3 (or deeper) indicator above its own indicators (取最高's, or a subtree's), its name and
  points shown, nothing to fill; one that is 择一's or 任选's has its 选用 in F instead, under an ``input`` key;
* ``total`` — the 总分 row;
* any other key is a row of the input workbook's kind (an input, an element, 不适用 …) with its value in F.

Beside the printed form, column K is 记录得分 (the score a report recorded, for audits; blank: not recorded) on
every row with a score of an indicator — a leaf's, a level-3 indicator's, 年度资金总额's for 预算执行率, 总分's —
and L the 总分 row's 记录等级 (one of the spec's grades, where it has them). M and N are the recorded subtotals
of the level-1 and level-2 indicators, each cell merged down the rows of its indicator as 一级指标 and 二级指标
are; the hidden column O names them on the row where they start.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import attrs

from idsl.frontend import ast
from idsl.frontend.form import fund_input
from idsl.io.columns import GRADE, TOTAL, Column, unit_columns
from idsl.io.workbook_cells import (FORM_SHEET, WorkbookInputs, _Cells, _SheetReader, _typed, _unreadable, key_text,
                                    score_cell)
from idsl.semantics.form_styles import form_style
from idsl.semantics.model import Node, Plan
from idsl.semantics.pools import CHOSEN

ACTUAL, SCORE, REASON, KEY_COL = 6, 8, 9, 10  # F, H, I, J
RECORD_COL, GRADE_RECORD_COL = 11, 12  # K, L: 记录得分 and the 总分 row's 记录等级, beside the printed form (audits)
SUBTOTAL_COLS = (13, 14)  # M, N: a level-1's and a level-2's recorded subtotal, merged down the rows under it
SUBTOTAL_KEY_COL = 15  # O, hidden: the keys of the subtotals whose cells start on the row, 一级 and 二级, tab-separated
FIGURES = (4, 5, 6)  # D, E, F: the funds figures, as many as the 表式 prints (附1: 年初预算数, 全年预算数, 全年执行数)
UNIT_COL = 7  # G: 实施单位


@attrs.frozen
class PartCells:
    """A 分项 part's row under its leaf: the part's own 等级 (评级) or tier (定性) in F and its 得分 in H."""

    name: str
    points: Decimal
    grade: Column | None = None
    score: Column | None = None

    @property
    def key(self) -> str:
        column = self.score or self.grade
        assert column is not None
        return key_text("part", column.key, self.name)


@attrs.frozen
class BranchCells:
    """A level-3 (or deeper) indicator with indicators of its own, on a row above them as a level-3 leaf is
    shown (its name and points); 择一's / 任选's 选用 in its F."""

    node: Node
    choice: Column | None = None


@attrs.frozen
class LeafCells:
    """An indicator's row of the form: which of its columns (unit-table columns) sit in F, H and I, and the
    rest, each on a row of its own below it (a part's 等级 and 得分 on the part's row); `choice` is a level-1 or
    level-2 indicator's 择一 / 任选 / 取最高, on a row above the first alternative with its points (and 选用, but for
    取最高); `branches` the rows of
    the level-3 and deeper indicators this leaf is the first one under, top first."""

    node: Node
    actual: Column | None = None
    score: Column | None = None
    reason: Column | None = None
    extra: tuple[Column | PartCells, ...] = ()
    choice: BranchCells | None = None
    branches: tuple[BranchCells, ...] = ()


@attrs.frozen
class FormLayout:
    rate: Node | None  # the 预算执行率 leaf, scored from the funds block
    funds: dict[str, Column]  # a 待填 figure's input name → its column
    rate_extra: tuple[Column, ...]  # the rate leaf's other inputs (项目完成 …), rows under the funds
    shared: tuple[Column, ...]  # spec-level inputs
    leaves: tuple[LeafCells, ...]


def form_misfits(plan: Plan) -> list[str]:
    """What the form has no place for, in words (W528's): a questionnaire's grid of counts, a penalty or bonus block."""
    found = [f"问卷“{q.name}”的逐题人数" for q in plan.shared_questionnaires]
    found += [f"问卷“{q.name}”的逐题人数" for node in plan.leaves() for q in node.leaf.questionnaires]
    found += [f"{'扣分项' if block.kind == 'penalty' else '加分项'}“{block.name}”" for block in plan.adjustments]
    return found


def actual_col(plan: Plan) -> int:
    """The column of 实际完成值 (附1's F, 衔接资金's 全年实际值 in G): a leaf's actual, a tier, 选用, an extra row's value."""
    return form_style(plan.form).actual_col


def figure_cols(plan: Plan) -> dict[str, int]:
    """The column of each funds figure the form prints, by its ast.FUNDS_COLUMNS name."""
    return dict(zip(form_style(plan.form).columns, FIGURES))


def form_layout(plan: Plan) -> FormLayout | None:
    """Where everything to fill sits on the form, or None when the plan has no 自评表 or cannot be laid out
    so (`form_misfits`: the plain input workbook then, as `idsl template` and W528 say)."""
    if plan.form is None or form_misfits(plan) or any(c.kind == "tally" for c in unit_columns(plan)):
        return None
    by_key: dict[str, list[Column]] = {}
    for column in unit_columns(plan)[1:]:
        by_key.setdefault(column.key, []).append(column)
    rate = plan.nodes[0] if plan.nodes and plan.form.leaf is not None and plan.nodes[0].leaf is not None else None
    filled = {fund_input(row.row, column) for row in plan.form.funds
              for column, cell in zip(ast.FUNDS_COLUMNS, row.cells) if cell.fill}
    funds: dict[str, Column] = {}
    rate_extra: list[Column] = []
    for column in by_key.get(rate.key, []) if rate is not None else []:
        if column.kind == "input" and column.field in filled:
            funds[column.field] = column
        else:
            rate_extra.append(column)
    choices = _choices(plan, by_key)
    leaves = tuple(attrs.evolve(_leaf_cells(node, by_key.get(node.key, [])), **choices.get(node.key, {}))
                   for node in plan.leaves() if node is not rate)
    shared = tuple(c for c in by_key.get("共用", []))
    return FormLayout(rate, funds, tuple(rate_extra), shared, leaves)


def _choices(plan: Plan, by_key: dict[str, list[Column]]) -> dict[str, dict]:
    """The rows above a leaf, by the leaf they go above (the first under their indicator): a level-3 or deeper
    indicator's own row (`branches`), and above level 3 a pool's row (`choice`: 择一's / 任选's 选用)."""
    found: dict[str, dict] = {}
    for node in plan.walk():
        if node.leaf is not None or not (node.level >= 3 or node.pool is not None):
            continue
        first = next((leaf for leaf in node.walk() if leaf.leaf is not None), None)
        if first is None:
            continue
        choice = next((c for c in by_key.get(node.key, []) if c.field == CHOSEN), None)
        above = found.setdefault(first.key, {})
        if node.level >= 3:
            above["branches"] = above.get("branches", ()) + (BranchCells(node, choice),)
        else:
            above["choice"] = BranchCells(node, choice)
    return found


def _leaf_cells(node: Node, columns: list[Column]) -> LeafCells:
    rule = node.leaf.rule if node.leaf is not None else None
    inputs = [c for c in columns if c.kind == "input" and not c.in_part]
    name = rule.actual if isinstance(rule, ast.Target) else rule.tier if isinstance(rule, ast.Qualitative) else None
    if name is None and len(inputs) == 1 and inputs[0].numeric:
        name = inputs[0].field  # a leaf scored from one number (101号's satisfaction bands …): that is its actual
    actual = next((c for c in inputs if c.field == name), None)
    score = next((c for c in columns if c.kind == "score" and c.field == "得分"), None)
    reason = next((c for c in columns if c.kind == "reason"), None)
    extra: list[Column | PartCells] = []
    parts = {part.name: part.points for part in node.leaf.parts} if node.leaf is not None else {}
    tiers = _part_tiers(node)
    for column in columns:
        if column in (actual, score, reason):
            continue
        if column.name in parts and (column.kind == "score" or (column.kind == "input" and column.in_part)):
            _part_cells(extra, column.name, parts[column.name], column)
        elif column.kind == "input" and column.field in tiers:
            _part_cells(extra, tiers[column.field], parts[tiers[column.field]], column)
        else:
            extra.append(column)
    return LeafCells(node, actual, score, reason, tuple(extra))


def _part_tiers(node: Node) -> dict[str, str]:
    """A 定性 part's tier input → the part: it goes on the part's row, as a 评级 part's 等级 does."""
    parts = node.leaf.parts if node.leaf is not None else ()
    return {part.leaf.rule.tier: part.name for part in parts
            if isinstance(part.leaf.rule, ast.Qualitative) and not isinstance(part.leaf.rule, ast.Graded)}


def _part_cells(extra: list, name: str, points: Decimal, column: Column) -> None:
    """A part's 等级 or 得分 onto the part's row (the row made where the first of them comes)."""
    found = next((i for i, e in enumerate(extra) if isinstance(e, PartCells) and e.name == name), None)
    part = extra[found] if found is not None else PartCells(name, points)
    part = attrs.evolve(part, **{"score" if column.kind == "score" else "grade": column})
    if found is None:
        extra.append(part)
    else:
        extra[found] = part


def read_form_workbook(plan: Plan, path: Path, values_book, formula_book) -> WorkbookInputs:
    """The inputs a filled 自评表 workbook (opened by `read_workbook`) holds, as `read_inputs` gives them for
    JSON; problems name the cell (自评表!F12)."""
    layout = form_layout(plan)
    if layout is None:
        return _unreadable(path, f"{path.name} 是自评表工作簿，但这个体系没有可以这样填的自评表；"
                                 "用 idsl template 为这个体系重新生成。")
    cells = _Cells(values_book[FORM_SHEET], formula_book[FORM_SHEET], FORM_SHEET)
    return _FormReader(plan, cells, layout).read(path)


class _FormReader(_SheetReader):
    """The 自评表 sheet, row by row by its hidden keys; rows of the input workbook's kinds as that reader reads them."""

    def __init__(self, plan: Plan, cells: _Cells, layout: FormLayout):
        self.actual = actual_col(plan)
        super().__init__(plan, cells, {"值": self.actual, "备注": REASON, "记录得分": RECORD_COL, "键": KEY_COL})
        self.layout = layout
        self.figures = figure_cols(plan)
        self.by_leaf = {cells_.node.key: cells_ for cells_ in layout.leaves}
        self.branches = {branch.node.key for cells_ in layout.leaves for branch in cells_.branches}

    def row(self, number: int) -> None:
        self.subtotals(number)
        key = self.cells.sheet.cell(number, self.key_col).value
        if not key:
            return
        kind, path_key, field, *rest = str(key).split("\t") + [""]
        if kind == "unit":
            value = self.cells.text(number, UNIT_COL, "", "单位")
            self.unit = value
        elif kind == "total":
            self.record(number, kind, TOTAL)
            # L is no cell of a spec without grades: read all the same, a grade left there is columns.NO_GRADES
            self.record(number, "grade", GRADE, GRADE_RECORD_COL)
        elif kind == "funds":
            if field == ast.FUNDS_ROWS[0]:  # 预算执行率's 分值 and 得分 are on the total's row
                self.record(number, kind, path_key)
            self.funds(number, path_key, field)
        elif kind == "branch" or (kind == "input" and field == CHOSEN and path_key in self.branches):
            self.record(number, kind, path_key)  # a level-3 indicator's row (择一's carries its 选用 too)
            if kind == "input":
                self._input(number, path_key, field, self.leaves.setdefault(path_key, {}), "")
        elif kind == "leaf" and path_key in self.by_leaf:
            self.record(number, kind, path_key)
            self.leaf(number, self.by_leaf[path_key])
        elif kind == "part" and path_key in self.by_leaf:
            self.part(number, path_key, field)
        elif kind in ("input", "item", "score", "reason", "na"):
            target = self.shared if path_key == "共用" else self.leaves.setdefault(path_key, {})
            getattr(self, f"_{kind}")(number, path_key, field, target, rest[0])

    def subtotals(self, number: int) -> None:
        """The recorded subtotals of the level-1 and level-2 indicators whose cells start on this row."""
        keys = self.cells.sheet.cell(number, SUBTOTAL_KEY_COL).value
        for col, key in zip(SUBTOTAL_COLS, str(keys or "").split("\t")):
            if key:
                self.record(number, "subtotal", key, col)

    def funds(self, number: int, path_key: str, row: str) -> None:
        target = self.leaves.setdefault(path_key, {})
        for column, col in self.figures.items():
            found = self.layout.funds.get(fund_input(row, column))
            if found is None:
                continue
            self.read_input(number, col, found, target)

    def leaf(self, number: int, cells: LeafCells) -> None:
        key = cells.node.key
        target = self.leaves.setdefault(key, {})
        if cells.actual is not None:
            self.read_input(number, self.actual, cells.actual, target)
        if cells.score is not None:
            self.read_score(number, key, target)
        if cells.reason is not None:
            self.cells.where_is[(key, "理由")] = self.cells.coordinate(number, REASON)
            text = self.cells.text(number, REASON, key, "理由")
            if text:
                target["理由"] = text
        else:
            self.note(number, key)

    def part(self, number: int, key: str, name: str) -> None:
        """A part's row: its 等级 (F) and 得分 (H), into the part's own object as the JSON gives them."""
        part = next((e for e in self.by_leaf[key].extra if isinstance(e, PartCells) and e.name == name), None)
        if part is None:
            return
        target = self.leaves.setdefault(key, {})
        if part.grade is not None:
            self._input(number, key, part.grade.field, target, "")
        if part.score is not None:
            self.read_score(number, key, target.setdefault(name, {}), part.score.field)

    def read_input(self, number: int, col: int, column: Column, target: dict) -> None:
        self.cells.where_is[(column.key, column.field)] = self.cells.coordinate(number, col)
        cell = self.cells.value(number, col, column.key, column.field)
        if cell is not None and column.decl is not None:
            target[column.field] = _typed(column.decl, cell, self.cells.percent(number, col))

    def read_score(self, number: int, key: str, target: dict, field: str = "得分") -> None:
        self.cells.where_is[(key, field)] = self.cells.coordinate(number, SCORE)
        cell = self.cells.value(number, SCORE, key, field)
        if cell is not None:  # read as the JSON file's 得分 is (io.points_words.read_score)
            target["得分"] = score_cell(cell, self.cells.percent(number, SCORE))

__all__ = ["FORM_SHEET", "SUBTOTAL_COLS", "SUBTOTAL_KEY_COL", "BranchCells", "FormLayout", "LeafCells", "PartCells",
           "actual_col", "figure_cols", "form_layout", "form_misfits", "read_form_workbook"]
