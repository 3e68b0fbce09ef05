"""The 项目支出绩效自评表 laid out as 财预〔2020〕10号 附1: header, funds with 执行率 and 得分, 年度总体目标,
indicator rows 一级/二级/三级 | 年度指标值 | 实际完成值 | 分值 | 得分 | 偏差原因分析及改进措施, then 总分 and 等级;
or as its 表式 says (衔接资金: 分值 first, no 年初预算数 column, no 上年结转资金 row, a 注 on the level-1 points).

One table of nine columns, the first holding the section labels (merged down each section); a level-3
indicator with indicators below it (择一's alternatives …) a row of its own above them; blank, or filled from a
result and the inputs it was scored from. As on the published forms, the 分值 and 得分 columns add up to 总分:
a figure the total does not count again — a parent's, the sum of its level-4 indicators', or an alternative's,
which its pool's parent counts — is shown in brackets, （10）, and a 注 under the table says which those are.
"""

from __future__ import annotations

import re
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Any, Sequence

from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm
from docx.table import _Cell

from idsl.frontend import ast
from idsl.frontend.form import fund_input
from idsl.io.values import in_own_unit, without_thousands
from idsl.render.docx_table import Scores
from idsl.render.standard import standard_text
from idsl.render.word import clear, fixed_layout, mark_row, paragraph, shade, write_cell
from idsl.semantics.graded import graded_ranges, ranges_text
from idsl.semantics.model import Node, Plan
from idsl.semantics.numbers import format_percent, format_points, points_label
from idsl.semantics.phrases import format_quantity
from idsl.semantics.form_styles import ANNEX, FormStyle, form_style, style_note
from idsl.semantics.lower import CUT_REASONS
from idsl.semantics.pools import CHOSEN, choice_text, title

if TYPE_CHECKING:  # pragma: no cover
    from idsl.io.inputfile import Inputs

TITLE = ANNEX.title
INDICATOR_HEADER = ANNEX.indicator_header
FUNDS_HEADER = (*ANNEX.figure_titles, *ANNEX.rate_titles)
_WIDTHS_MM = (24, 26, 26, 34, 30, 30, 16, 18, 63)  # nine columns, 267 mm: the A4 landscape page
# 衔接资金: 分值 (and 全年执行数（B）) in E, 全年实际值 in G wide enough for its title on one line and the figures
# a leaf is scored from
_XIANJIE_WIDTHS_MM = (24, 26, 26, 34, 18, 28, 30, 18, 63)
_GREY = "E7E6E6"
_CMP = {">=": "≥", "<=": "≤", "=": "="}
_BARE = re.compile(r"[+-]?[\d,]+(\.\d+)?")  # a figure written without its unit
_POOL_WORDS = {"one": "择一", "any": "任选", "best": "取最高"}  # as the spec writes the pools, in this order


class FormGrid:
    """Rows of nine texts with their merges: the form's cell model, written into one Word table at the end
    (and drawn as HTML by the workbench, idsl.serve.table, from the same rows and merges)."""

    def __init__(self, widths: tuple[int, ...] = _WIDTHS_MM):
        self.widths = widths  # of the nine columns, in mm
        self.rows: list[list[str]] = []
        self.spans: list[tuple[int, int, int, int]] = []  # (first row, first col, last row, last col)
        self.heads: set[tuple[int, int]] = set()  # shaded, bold label cells

    def add(self, cells: list[str], spans: tuple[tuple[int, int], ...] = (), heads: tuple[int, ...] = ()) -> int:
        row = len(self.rows)
        self.rows.append(cells + [""] * (9 - len(cells)))
        self.spans.extend((row, a, row, b) for a, b in spans)
        self.heads.update((row, c) for c in heads)
        return row

    def down(self, first: int, last: int, column: int) -> None:
        if last > first:
            self.spans.append((first, column, last, column))

    def covered(self) -> set[tuple[int, int]]:
        """The cells inside a merge, other than its first (top left) one."""
        return {(r, c) for r0, c0, r1, c1 in self.spans for r in range(r0, r1 + 1) for c in range(c0, c1 + 1)
                if (r, c) != (r0, c0)}

    def extents(self) -> dict[tuple[int, int], tuple[int, int]]:
        """Each merge's first cell, and how many rows and columns it covers."""
        return {(r0, c0): (r1 - r0 + 1, c1 - c0 + 1) for r0, c0, r1, c1 in self.spans}

    def left(self, r: int, c: int) -> bool:
        """Whether a cell's text is set flush left: the reasons (column I) below the first row; all else centred."""
        return c == 8 and (r, c) not in self.heads and r > 0

    def write(self, document) -> None:
        table = document.add_table(rows=len(self.rows), cols=9)
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        fixed_layout(table, [Mm(w) for w in self.widths])
        cells = [[_Cell(tc, table) for tc in tr.tc_lst] for tr in table._tbl.tr_lst]
        covered = self.covered()
        for r, row in enumerate(self.rows):
            mark_row(table.rows[r])
            for c, text in enumerate(row):
                if (r, c) in covered:
                    continue
                head = (r, c) in self.heads
                write_cell(cells[r][c], text, bold=head,
                           align=WD_ALIGN_PARAGRAPH.LEFT if self.left(r, c) else WD_ALIGN_PARAGRAPH.CENTER)
                if head:
                    shade(cells[r][c], _GREY)
        for r0, c0, r1, c1 in self.spans:
            for r in range(r0, r1 + 1):
                for c in range(c0, c1 + 1):
                    if (r, c) != (r0, c0):
                        clear(cells[r][c])
            cells[r0][c0].merge(cells[r1][c1])


def form_table(document, plan: Plan, scores: Scores, given: "Inputs | None" = None) -> None:
    """The 附1 table of a plan with a form: blank, or filled from `scores` and the inputs `given`."""
    form_grid(plan, scores, given).write(document)
    for line in table_notes(plan, scores):
        paragraph(document, line, align=WD_ALIGN_PARAGRAPH.LEFT)


def table_notes(plan: Plan, scores: Scores) -> list[str]:
    """The 注 lines under a plan's form, blank or filled (then they speak of 分值 and 得分 in brackets)."""
    return form_notes(plan, form_style(plan.form), "分值、得分" if scores.filled else "分值")


def form_grid(plan: Plan, scores: Scores, given: "Inputs | None" = None) -> FormGrid:
    """The cells of a plan's form in the layout of its 表式: blank, or filled from `scores` and the inputs `given`."""
    form = plan.form
    assert form is not None
    style = form_style(form)
    grid = FormGrid(_XIANJIE_WIDTHS_MM if style.xianjie else _WIDTHS_MM)
    if style.contact:  # 项目负责人及电话: on the published form, filled by hand
        grid.add(["项目名称", form.project or "", "", "", "", "项目负责人及电话"], spans=((1, 4), (6, 8)), heads=(0, 5))
    else:
        grid.add(["项目名称", form.project or ""], spans=((1, 8),), heads=(0,))
    grid.add(["主管部门", form.department or "", "", "", "", "实施单位", form.implementer or ""],
             spans=((1, 4), (6, 8)), heads=(0, 5))
    rate_node = plan.nodes[0] if plan.nodes and form.leaf is not None else None
    _funds(grid, form, style, rate_node, scores, _raw(rate_node, given))
    first = grid.add(["年度总体目标", style.goal_titles[0], "", "", "", style.goal_titles[1]], spans=((1, 4), (5, 8)),
                     heads=(0, 1, 5))
    last = grid.add(["", form.expected or "", "", "", "", form.achieved or ""], spans=((1, 4), (5, 8)))
    grid.down(first, last, 0)
    _indicators(grid, plan, style, [n for n in plan.nodes if n is not rate_node], scores, given)
    _total(grid, plan, style, scores)
    return grid


def form_notes(plan: Plan, style: FormStyle, figures: str = "分值") -> list[str]:
    """The 注 lines under the form: the style's own note (衔接资金's on the level-1 points, as true of the plan),
    then what its figures in brackets are; none when it has neither."""
    notes = [note for note in (style_note(plan, style), bracket_note(plan, figures)) if note]
    if len(notes) == 2:  # numbered after the style's note, as its own items are
        notes[1] = f"{int(notes[0][0]) + 1}.{notes[1]}"
    return [("注：" if number == 0 else "") + note for number, note in enumerate(notes)]


def _funds(grid: FormGrid, form: ast.Form, style: FormStyle, node: Node | None, scores: Scores,
           raw: dict[str, Any]) -> None:
    rows = {row.row: row for row in form.funds}
    if style.xianjie:  # the label column titled 资金情况（万元）, 得分 over H–I
        grid.add([f"{style.funds_label}（{form.unit}）", "", "", *style.figure_titles, *style.rate_titles],
                 spans=((0, 2), (7, 8)), heads=tuple(range(9)))
    else:
        first = grid.add([f"{style.funds_label}（{form.unit}）", "", "", *style.figure_titles, *style.rate_titles],
                         spans=((1, 2),), heads=(0, 3, 4, 5, 6, 7, 8))
    for name in style.rows:
        row = rows.get(name)
        cells = dict(zip(ast.FUNDS_COLUMNS, row.cells)) if row is not None else {}
        figures = [_figure(cells[column], column, raw, name, form.unit) if column in cells else ""
                   for column in style.columns]
        rate = _rate(figures[-2:])
        if name == ast.FUNDS_ROWS[0]:
            points = format_points(node.points) if node is not None else ""
            score = scores.score(node) if node is not None and scores.filled else ""
            tail = [points, rate, score]
        else:  # 分值 and 得分 are the total's (衔接资金 leaves a part's cells blank, as 中江县's table)
            tail = ["", "", ""] if style.xianjie else ["—", rate, "—"]
        if style.xianjie:
            grid.add([style.row_text(name), "", "", *figures, *tail], spans=((0, 2), (7, 8)))
        else:
            last = grid.add(["", style.row_text(name), "", *figures, *tail], spans=((1, 2),))
    if not style.xianjie:
        grid.down(first, last, 0)


def _figure(cell: ast.FundsCell, column: str, raw: dict[str, Any], row: str, unit: str) -> str:
    """A funds figure as printed: written, given by the evaluator (待填), or blank (—)."""
    if cell.value is not None:
        return format_points(cell.value)
    given = raw.get(fund_input(row, column)) if cell.fill else None
    if given is not None:
        amount = _amount(given, unit)
        return str(given) if amount is None else format_points(amount)
    return "—" if not cell.fill else ""


def _amount(given: Any, unit: str) -> Decimal | None:
    """A 待填 figure in the form's unit as the reader took it: 150, "1,500", "150万元", "1500000元" for 万元 (so that
    执行率 is printed beside it, as from written figures); None for what it is not."""
    text = without_thousands(str(given).strip())
    text = text[: -len(unit)].strip() if unit and text.endswith(unit) else text
    try:
        return Decimal(in_own_unit(ast.Input("资金", "money", unit), text) or text)
    except ArithmeticError:
        return None


def _rate(figures: list[str]) -> str:
    """执行率 = 全年执行数 ÷ 全年预算数, from the two figures printed."""
    try:
        budget, spent = Fraction(figures[0]), Fraction(figures[1])
    except (ValueError, ZeroDivisionError):
        return ""
    return format_percent(spent / budget) if budget else ""


def counted_keys(plan: Plan) -> frozenset[str]:
    """The indicators whose 分值 the form's column adds up to 总分: each leaf outside 择一/任选/取最高 and each such
    pool's parent (its alternatives carry its points once, not each); a parent of level-4 indicators is their sum."""
    found: set[str] = set()
    pending = list(plan.nodes)
    while pending:
        node = pending.pop()
        if node.leaf is not None or node.pool is not None:
            found.add(node.key)
        else:
            pending.extend(node.children)
    return frozenset(found)


def bracket_note(plan: Plan, figures: str = "分值", parts: bool = False) -> str:
    """What the form's figures in brackets are, for a 注 under it: the parents whose figure is their indicators' sum,
    the pools' alternatives (and with `parts` the 分项 parts the workbook prints); empty when it brackets none.

    >>> from idsl.frontend.resolve import load_text
    >>> from idsl.frontend.source import Source
    >>> from idsl.semantics.lower import lower
    >>> text = '体系 "例" 总分 5\\n产出（5）\\n  数量（5）\\n    择一\\n    甲（5）\\n      酌情\\n    乙（5）\\n      酌情\\n'
    >>> bracket_note(lower(load_text(Source("t.idsl", text)).spec))
    '括号内的分值不另计入总分：择一的备选指标，由其上级指标计入。'
    """
    counted = counted_keys(plan)
    nodes = [node for top in plan.nodes for node in top.walk()]
    sums = sorted({node.level for node in nodes if node.children and node.pool is None and node.level >= 3
                   and node.key not in counted})
    pools = [word for kind, word in _POOL_WORDS.items() if any(n.pool is not None and n.pool.kind == kind for n in nodes)]
    kinds = []
    if sums:
        parents = "、".join(f"下设{_level_word(level + 1)}指标的{_level_word(level)}指标" for level in sums)
        kinds.append(f"{parents}，其{figures}是下设指标之和")
    if pools:
        kinds.append(f"{'、'.join(pools)}的备选指标，由其上级指标计入")
    if parts:
        kinds.append("分项，由其所在指标计入")
    return f"括号内的{figures}不另计入总分：{'；'.join(kinds)}。" if kinds else ""


def _level_word(level: int) -> str:
    return f"{'一二三四五六七八九十'[level - 1]}级" if level <= 10 else f"{level}级"


def aside(text: str) -> str:
    """A figure shown but not counted in its column's sum (a parent's or an alternative's): in brackets."""
    return f"（{text}）" if text else text


def _indicators(grid: FormGrid, plan: Plan, style: FormStyle, nodes: list[Node], scores: Scores,
                given: "Inputs | None") -> None:
    counted = counted_keys(plan)
    first = grid.add(["绩效指标", *style.indicator_header], heads=tuple(range(9)))
    start = {1: first + 1, 2: first + 1}
    last = first
    shown: dict[int, tuple] = {}
    # a leaf's row, and one above the indicators of a level-3 (or deeper) indicator or of a pool
    for node in (n for top in nodes for n in top.walk() if n.leaf is not None or n.level >= 3 or n.pool is not None):
        levels = [node.path[:k] for k in (1, 2)]
        names = ["", *(_level(plan, p) if len(p) == k else "" for k, p in enumerate(levels, 1))]  # 一级 alone: 二级 blank
        cells = (_leaf_cells(node, names, scores, given) if node.leaf is not None
                 else _branch_cells(node, names, scores, given))
        if node.key not in counted:
            cells[6], cells[7] = aside(cells[6]), _aside_score(node, cells[7], scores)
        cells[4:7] = style.place(*cells[4:7])  # 年度指标值, 实际完成值, 分值 in the style's order
        row = grid.add(cells)
        for column, path in zip((1, 2), levels):
            if shown.get(column) != path:
                if column in shown:
                    grid.down(start[column], row - 1, column)
                shown[column], start[column] = path, row
        last = row
    for column in (1, 2):
        if column in shown:
            grid.down(start[column], last, column)
    grid.down(first, last, 0)


def _aside_score(node: Node, text: str, scores: Scores) -> str:
    """A score not counted again in the column (a parent's or an alternative's) in brackets; 未选用, 不适用 as they are."""
    row = scores.row(node)
    return aside(text) if row is not None and row.score is not None and row.status != "not_applicable" else text


def _leaf_cells(leaf: Node, names: list[str], scores: Scores, given: "Inputs | None") -> list[str]:
    cells = [*names, leaf.name if leaf.level >= 3 else "", target_text(leaf),
             _actual(leaf, given) if scores.filled else "", format_points(leaf.points),
             scores.score(leaf) if scores.filled else "", _deviation(leaf, scores)]
    if leaf.level == 2:
        cells[2], cells[3] = leaf.name, ""
    return cells


def _branch_cells(node: Node, names: list[str], scores: Scores, given: "Inputs | None") -> list[str]:
    """A level-3 indicator with indicators of its own (择一's alternatives …), above them: its name, what its
    score is made of, the alternatives the unit chose (选用), its points and its score."""
    chosen = _raw(node, given).get(CHOSEN) if scores.filled else None
    chosen = choice_text(chosen) if isinstance(chosen, (list, tuple)) else str(chosen or "")
    own = node.name if node.level >= 3 else ""  # a pool of the 一级 or 二级指标 is named in its own level cell alone
    return [*names, own, branch_text(node), chosen, format_points(node.points),
            scores.score(node) if scores.filled else "", ""]


def _level(plan: Plan, path: tuple[str, ...]) -> str:
    node = plan.find(path)
    name = path[-1]
    return name if node is None else f"{name}（{points_label(node.points, node.weight)}）"


def target_text(leaf: Node) -> str:
    """年度指标值: a target's operator, value and unit; 评级's grades with the score each allows; 定性 for a
    qualitative leaf; else the scoring standard."""
    rule = leaf.leaf.rule if leaf.leaf is not None else None
    if isinstance(rule, ast.Target):
        return f"{_CMP.get(rule.op, rule.op)}{format_quantity(rule.target)}{_declared_unit(leaf, rule)}"
    if isinstance(rule, ast.Graded):  # the evaluator picks a grade, then a score inside its range: both are shown
        return f"{ranges_text(graded_ranges(rule, Fraction(leaf.points)))} 分"
    if isinstance(rule, ast.Qualitative):
        return "定性"
    return standard_text(leaf)


def _declared_unit(leaf: Node, rule: ast.Target) -> str:
    """The unit of a target written bare (≥ 5) whose input declares one (数量 套): printed, as the actual is, so
    the value reads as what it counts and the form read back has it."""
    if rule.target.unit or rule.target.percent:
        return ""
    decl = next((d for d in leaf.leaf.inputs if d.name == rule.actual), None)
    return (decl.unit or "") if decl is not None else ""


def branch_text(node: Node) -> str:
    """年度指标值 of a level-3 indicator with its own below it: the pool and its alternatives (二者择其一：竣工验收、
    阶段性验收), or the indicators whose scores it adds up."""
    names = "、".join(child.name for child in node.children)
    if node.pool is not None:
        return f"{title(node.pool, len(node.children))}：{names}"
    return f"下设各项得分之和：{names}"


def _raw(node: Node | None, given: "Inputs | None") -> dict[str, Any]:
    """The fields the evaluator gave a leaf, found by its path or by a unique tail of it."""
    if node is None or given is None:
        return {}
    for key, fields in given.leaves.items():
        if key == node.key or node.key.endswith("/" + key):
            return fields if isinstance(fields, dict) else {}
    return {}


def _actual(leaf: Node, given: "Inputs | None") -> str:
    """实际完成值: the input a target compares (or the tier of a 定性 leaf), as the evaluator wrote it, then any other
    input of the leaf given (超额调减 …), named; a leaf scored from several values (a rate of two figures …) each of
    them, named: the row shows what its score came from."""
    rule = leaf.leaf.rule if leaf.leaf is not None else None
    raw = _raw(leaf, given)
    name = rule.actual if isinstance(rule, ast.Target) else rule.tier if isinstance(rule, ast.Qualitative) else None
    if name is None and leaf.leaf is not None and len(leaf.leaf.inputs) == 1:
        name = leaf.leaf.inputs[0].name  # a leaf scored from one value (101号's satisfaction bands …): its actual
    if leaf.leaf is None:
        return ""
    others = _named_values(leaf.leaf.inputs, raw, name)
    if name is None:
        return others
    compared = _compared(leaf, rule, name, raw.get(name))
    return "；".join(text for text in (compared, others) if text)


def _named_values(inputs: Sequence[ast.Input], raw: dict[str, Any], skip: str | None) -> str:
    """The inputs given but `skip`, each named (完成处数：11处；计划处数：12处, 超额调减：2分); a cut of 0 is no cut,
    as its blank cell, so is left out."""
    return "；".join(f"{decl.name}：{_given_text(decl, raw[decl.name])}" for decl in inputs
                    if decl.name != skip and raw.get(decl.name) is not None
                    and not (decl.blank_zero and _is_zero(raw[decl.name])))


def _is_zero(value: Any) -> bool:
    if isinstance(value, str) and _BARE.fullmatch(value.strip()):
        value = Decimal(value.strip().replace(",", ""))
    return not isinstance(value, bool) and isinstance(value, (int, Decimal)) and value == 0


def _compared(leaf: Node, rule: Any, name: str, value: Any) -> str:
    """The value a target compares (a 定性 leaf's tier, a one-value leaf's value), with the target's unit."""
    if value is None or isinstance(value, bool):
        return ""
    if isinstance(value, int):
        value = Decimal(value)
    text = format_points(value) if isinstance(value, Decimal) else str(value)
    if isinstance(rule, ast.Target) and isinstance(value, Decimal):
        decl = next((d for d in leaf.leaf.inputs if d.name == name), None)
        unit = rule.target.unit or (decl.unit if decl is not None else None) or ""
        text += "%" if rule.target.percent and not text.endswith("%") else unit
    return text


def _given_text(decl: ast.Input, value: Any) -> str:
    """One value the evaluator gave, as written: a number with its declared unit (a rate's figure with %), 是 or 否."""
    if isinstance(value, bool):
        return "是" if value else "否"
    unit = "分" if decl.name in CUT_REASONS else decl.unit or ""  # 超额调减, 酌情扣分: points
    if isinstance(value, (int, Decimal)):
        return format_points(Decimal(value)) + ("%" if decl.kind == "rate" else unit)
    text = str(value).strip()
    return text + unit if _BARE.fullmatch(text) else text


def _deviation(leaf: Node, scores: Scores) -> str:
    """偏差原因分析及改进措施: the reason of a leaf that lost points (blank when full, or on a blank form)."""
    row = scores.row(leaf)
    if row is None or row.score is None or row.score >= leaf.points:
        return ""
    return row.note or row.reason or ""


def _total(grid: FormGrid, plan: Plan, style: FormStyle, scores: Scores) -> None:
    result = scores.result
    total = format_points(result.total) if result is not None and result.total is not None else ""
    grade = f"等级：{result.grade or ''}" if result is not None else "等级："
    grade = grade if plan.grades else ""  # a spec without grades has none to print, as the other tables
    if style.points_col == 5:  # 分值 right after 三级指标: 总分 over A–D, the two columns after 分值 blank
        grid.add(["总分", "", "", "", format_points(plan.total), "", "", total, grade], spans=((0, 3), (5, 6)),
                 heads=(0,))
    else:
        grid.add(["总分", "", "", "", "", "", format_points(plan.total), total, grade], spans=((0, 5),), heads=(0,))


__all__ = ["FUNDS_HEADER", "INDICATOR_HEADER", "TITLE", "FormGrid", "aside", "bracket_note", "branch_text",
           "counted_keys", "form_grid", "form_notes", "form_table", "table_notes", "target_text"]
