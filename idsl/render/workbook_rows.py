"""The rows of the input workbook's 输入 sheet, one per thing to enter, and the words that describe them."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import attrs

from idsl.frontend import ast
from idsl.io.columns import GRADE, SHARED, TOTAL, UNIT, Column, unit_columns
from idsl.io.workbook import key_text
from idsl.semantics.applies import leaf_gate
from idsl.semantics.classes import class_inputs
from idsl.semantics.domains import input_domain, whole_numbers
from idsl.semantics.graded import TierRange, ranges_text, tier_ranges
from idsl.semantics.model import Node, Plan
from idsl.semantics.lower import NODATA_SCORE
from idsl.semantics.numbers import decimal_text, format_points
from idsl.semantics.pools import choice_required, names_several

KIND_WORDS = {"rate": "比率", "money": "金额", "count": "数量", "number": "数值", "bool": "是否",
              "choice": "选项", "findings": "问题数"}
SUMMARY_KINDS = ("branch", "block", "total", "grade")  # rows with a 记录得分 cell only


@attrs.frozen
class SheetRow:
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

    @property
    def key(self) -> str:
        """The hidden key that ties the row to the plan (read back by idsl.io.workbook)."""
        column = self.column
        if self.kind == "tally" and column is not None:
            return key_text("tally", self.path, column.name, column.index)
        if column is not None:
            return key_text(column.kind, column.key, column.field)
        return key_text(self.kind, self.path, self.field)


def sheet_rows(plan: Plan) -> list[SheetRow]:
    """Every row of the 输入 sheet: the unit, spec-level inputs, each indicator's inputs in tree order
    (branches as subtotal rows), the penalty and bonus blocks, 总分 and 等级."""
    rows = [SheetRow("unit", "", UNIT, "文字", "", "被评价单位的名称")]
    by_key: dict[str, list[Column]] = {}
    for column in unit_columns(plan):
        by_key.setdefault(column.key, []).append(column)
    for column in by_key.get(SHARED, []):
        rows.extend(_column_rows(column, SHARED))
    for node in plan.walk():
        if node.leaf is None:
            rows.append(SheetRow("branch", node.key, f"（{node.name}小计）", "", "", "", level=node.level,
                                 node_key=node.key))
            for column in by_key.get(node.key, []):  # 择一's / 任选's 选用, on the parent's own row
                rows.append(attrs.evolve(_input_row(column, node.key, None), allowed=choice_text(node)))
            continue
        rows.extend(_leaf_rows(node, by_key.get(node.key, []), _excluded_how(plan)))
    for block in plan.adjustments:
        verb = "扣分" if block.kind == "penalty" else "加分"
        cap = f"，上限 {format_points(block.cap)} 分" if block.cap is not None else ""
        rows.append(SheetRow("block", block.name, f"（{verb}合计{cap}）", "", "", "", level=1, node_key=block.name))
        for item in block.items:
            rows.extend(_block_item_rows(_leaf_rows(item, by_key.get(item.key, [])), block.kind))
    rows.append(SheetRow("total", TOTAL, "（总分）", "", "", "", node_key=TOTAL))
    if plan.grades:  # a spec without grades has no grade to record (one given anyway is columns.NO_GRADES)
        grades = tuple(band.grade for band in plan.grades)  # the 记录得分 cell's drop-down
        rows.append(SheetRow("grade", GRADE, "（等级）", "", "", "记录的等级", options=grades, node_key=GRADE))
    return rows


def _block_item_rows(rows: list[SheetRow], kind: str) -> list[SheetRow]:
    """A judged penalty (bonus) item's score is what it takes off (adds): said beside its range, where 得分 0～5 read as
    a score out of 5 would have an evaluator write 5 for a unit with nothing to deduct."""
    verb = "扣" if kind == "penalty" else "加"
    said = {"score": lambda row: f"{row.allowed}（填要{verb}的分，不{verb}分填 0）", "reason": lambda _row: f"{verb}分的理由"}
    return [attrs.evolve(row, kind_text=f"酌情{verb}分" if row.kind == "score" else row.kind_text,
                         allowed=said[row.kind](row)) if row.kind in said else row for row in rows]


def _excluded_how(plan: Plan) -> str:
    """What leaving a leaf out (不适用 剔除) does in this plan, as the 不适用 row says."""
    if plan.rescale_total:
        return "剔除，总分按实际适用分值折算"
    if plan.share_siblings:
        return "剔除，分值平均分配给同级指标"
    return "剔除，上级指标按比例折算"


def _leaf_rows(node: Node, columns: list[Column], excluded: str = "剔除，上级指标按比例折算") -> list[SheetRow]:
    rows: list[SheetRow] = []
    tallies_done: set[str] = set()
    for column in columns:
        if column.kind != "tally":
            rows.extend(_column_rows(column, node.key, node, excluded))
        elif column.name not in tallies_done:
            tallies_done.add(column.name)
            rows.extend(_questionnaire_rows(node, column))
    return rows or [SheetRow("none", node.key, "（无需输入）", "", "", "", node_key=node.key)]


def _questionnaire_rows(node: Node, column: Column) -> list[SheetRow]:
    """One row per question, one value cell per option (the people who chose it)."""
    questionnaire = next(q for q in node.leaf.questionnaires if q.name == column.name)
    letters = tuple(letter for letter, _s in questionnaire.options)
    scores = "，".join(f"{letter} {format_points(score)} 分" for letter, score in questionnaire.options)
    return [SheetRow("tally", node.key, f"{column.name} 第{number}题：{question}", "问卷人数", "人",
                     f"选各项的人数（{scores}；没人选的填 0）", column=attrs.evolve(column, index=number),
                     options=letters, width=len(letters), node_key=node.key)
            for number, question in enumerate(questionnaire.questions, start=1)]


def _alternative(row: SheetRow, node: Node | None) -> SheetRow:
    """择一 / 任选 k 项: an alternative's cells are filled only where it is chosen."""
    if node is None or not node.alternative:
        return row
    return attrs.evolve(row, allowed=f"{row.allowed}（备选的一项：选用本指标才填，未选用的留空）")


def judged_ranges(rule: ast.Rule | None, grade: Column | None, points) -> tuple[TierRange, ...]:
    """The grades a judged score lies within (定性's tiers, 评级's own), chosen in the `grade` input; else none."""
    decl = grade.decl if grade is not None else None
    if not isinstance(rule, ast.Qualitative) or decl is None or decl.kind != "choice":
        return ()
    ranges = tier_ranges(rule, decl.options, Fraction(points))
    return ranges if len(ranges) == len(decl.options) else ()


def tier_score_rule(tier_cell: str, score_cell: str, ranges: tuple[TierRange, ...], what: str, where: str) -> dict:
    """openpyxl DataValidation arguments for a judged score within the `what` (档次, 等级) chosen in `tier_cell`, the
    place `where` names (定性's tiers, 评级's own grades): Excel refuses a score outside it as it is typed, as
    `idsl score` refuses it on reading.

    >>> rule = tier_score_rule("$F$4", "F5", (TierRange("优", Fraction(9), Fraction(10), True, True),), "等级", "在上一行")
    >>> rule["formula1"], rule["error"]
    ('OR(AND($F$4="优",F5>=9,F5<=10))', '得分应在所选等级的区间内：优 9（含）～10（含）；先在上一行选等级。')
    """
    cases = []
    for grade in ranges:
        quoted = grade.name.replace('"', '""')
        cases.append(f'AND({tier_cell}="{quoted}",{score_cell}>{"=" if grade.low_in else ""}{_excel_number(grade.least)},'
                     f'{score_cell}<{"=" if grade.high_in else ""}{_excel_number(grade.most)})')
    return dict(type="custom", formula1=f"OR({','.join(cases)})", showErrorMessage=True, errorTitle="定性得分",
                error=f"得分应在所选{what}的区间内：{ranges_text(ranges)}；先{where}选{what}。")


def _excel_number(value: Fraction) -> str:
    return decimal_text(Decimal(value.numerator) / value.denominator)


def _column_rows(column: Column, path: str, node: Node | None = None,
                 excluded: str = "剔除，上级指标按比例折算") -> list[SheetRow]:
    key = node.key if node is not None else None
    if column.kind == "input":
        row = _input_row(column, path, key)
        gate = leaf_gate(node) if node is not None else None
        if gate is not None and gate.name == column.field:  # 适用 若: say which answer leaves the leaf out
            out, how = "否" if gate.wanted else "是", excluded if node.not_applicable == "exclude" else "得满分"
            row = attrs.evolve(row, allowed=f"{row.allowed}（填“{out}”时本指标不适用，{how}，其余输入不填）")
        needs = class_inputs(node.leaf).get(column.field) if node is not None and node.leaf is not None else None
        if needs:  # 按类别: only the classes whose rule reads it fill it in
            row = attrs.evolve(row, allowed=f"{row.allowed}（仅{'、'.join(needs)}填写）")
        return [_alternative(row, node)]
    if column.kind == "item":
        item = _item_text(node, column)
        allowed = "是/否" + (f"，或 0～{format_points(column.points or 0)} 之间的分数（部分符合，须写理由）"
                            if column.partial else "")
        return [_alternative(SheetRow("item", path, f"{column.field}：{item}", "要素", "", allowed, column, node_key=key),
                             node)]
    if column.kind == "score":
        return [_alternative(SheetRow("score", path, column.field, "酌情得分", "分",
                                      f"{format_points(column.low or 0)}～{format_points(column.high or 0)}", column,
                                      node_key=key), node)]
    if column.kind == "reason":
        what = "酌情给分的理由（扣分原因）"
        if node is not None and node.reason_below:
            what = "得分低于分值时必填（扣分理由）"
        return [SheetRow("reason", path, "理由", "文字", "", what, column, node_key=key)]
    if column.kind == "na":
        how = excluded if node is not None and node.not_applicable == "exclude" else "得满分"
        return [SheetRow("na", path, "不适用", "是否", "", f"不适用时填“是”（{how}）", column, node_key=key)]
    return []


def choice_text(node: Node) -> str:
    """What 择一's / 任选's 选用 row allows: the alternatives to name, or blank where giving their inputs says it."""
    names = "、".join(child.name for child in node.children)
    k = node.pool.count if names_several(node) else 1
    what = f"评哪{k}项：从{names}中选{k}项，名称之间用“、”隔开" if k > 1 else f"评哪一项：{names}"
    if choice_required(node):
        return f"{what}（必填：有的备选指标没有自己的输入）"
    given = "各项" if k > 1 else "一项"
    return f"{what}（可留空：按填了输入的{given}；填了就须与所填输入一致）"


def _input_row(column: Column, path: str, key: str | None) -> SheetRow:
    decl = column.decl
    assert decl is not None
    kind_text = KIND_WORDS.get(decl.kind, decl.kind)
    if column.several_chosen:  # 任选's 选用: several names in one cell, typed (no drop-down)
        return SheetRow("input", path, column.field, "文字", "", "", column, node_key=key)
    if decl.kind == "choice":  # a part's own 等级 (评级) is named as its 得分 is: 社会效益.等级
        return SheetRow("input", path, column.field, kind_text, "", options_text(decl), column, options=decl.options,
                        node_key=key)
    unit = decl.unit or ("%" if decl.kind == "rate" else "")
    allowed = allowed_text(decl) + ("，留空为 0" if decl.blank_zero else "")  # a cut not made, a sub-project not had
    if decl.name == NODATA_SCORE:  # 无数据时 酌情 (§11.15): the evaluator's score where the figure is missing
        allowed += "，仅在无数据时填写（须写理由）"
    elif decl.optional:  # 可缺: the leaf's 无数据时 line scores it then
        allowed += "，无数据时留空"
    return SheetRow("input", path, decl.name, kind_text, unit, allowed, column, node_key=key)


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


def options_text(decl: ast.Input) -> str:
    """A choice's options with their letters: A. 按时；B. 逾期."""
    return "；".join(f"{chr(ord('A') + i)}. {o}" for i, o in enumerate(decl.options))


def allowed_text(decl: ast.Input) -> str:
    """What an input accepts, in words: 是/否, 0%～100%, 不小于 0 …"""
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


YES_NO = '"是,否"'  # a drop-down of 是 and 否
PERCENT = "0.00%"  # a rate's cells: 98 typed is 98%, held as 0.98
BOUND_ALLOWED = "只知界值时可照表上写“≥”“≤”的界值，界值达到目标才计分；要保留请选“是”。"  # a target's actual cell, after its range


def input_rule(decl: ast.Input, bounded: bool = False) -> tuple[dict, str | None]:
    """How a cell holding an input is checked as it is typed, in both workbooks (the input workbook's
    value cell and the batch template's column): openpyxl DataValidation arguments from the input's
    domain (`idsl.semantics.domains.input_domain`), and the cell's number format (a rate's: percent).
    A choice is a drop-down its caller lists. `bounded`: a target's actual that may be written as a bound
    (`io.columns.takes_bound`): the check only warns.

    >>> input_rule(ast.Input("执行率", "rate"))
    ({'type': 'decimal', 'operator': 'between', 'formula1': '0', 'formula2': '1', 'errorTitle': '比率', 'error': '应在 0%～100% 之间。'}, '0.00%')
    >>> input_rule(ast.Input("问题", "findings"))[0]["type"], input_rule(ast.Input("已公开", "bool"))[0]["formula1"]
    ('whole', '"是,否"')
    """
    title = KIND_WORDS.get(decl.kind, "数值")
    if decl.kind == "bool":
        return dict(type="list", formula1=YES_NO, errorTitle=title, error="请选择“是”或“否”。"), None
    low, high = input_domain(decl)
    whole = whole_numbers(decl)
    shape = "0" if whole else PERCENT if decl.kind == "rate" else "#,##0.00##" if decl.kind == "money" else None

    def show(x) -> str:
        return decimal_text(x * 100) + "%" if decl.kind == "rate" else decimal_text(x)

    if low is not None and high is not None:
        bounds = dict(operator="between", formula1=decimal_text(low), formula2=decimal_text(high))
        error = (f"应是 {show(low)}～{show(high)} 之间的整数。", f"应在 {show(low)}～{show(high)} 之间。")
    elif low is not None:
        bounds = dict(operator="greaterThanOrEqual", formula1=decimal_text(low))
        error = (f"应是不小于 {show(low)} 的整数。", f"应不小于 {show(low)}。")
    elif high is not None:
        bounds = dict(operator="lessThanOrEqual", formula1=decimal_text(high))
        error = (f"应是不大于 {show(high)} 的整数。", f"应不大于 {show(high)}。")
    else:
        bounds = dict(operator="between", formula1="-1E+15", formula2="1E+15")
        error = ("应是整数。", "应是一个数。")
    error = error[0] if whole else error[1]
    rule = dict(type="whole" if whole else "decimal", **bounds, errorTitle=title, error=error)
    if bounded:  # ≥266米 is text: the check warns and lets it stand (the reader decides it against the target)
        rule.update(errorStyle="warning", error=error + BOUND_ALLOWED)
    return rule, shape


__all__ = ["BOUND_ALLOWED", "KIND_WORDS", "PERCENT", "SUMMARY_KINDS", "YES_NO", "SheetRow", "allowed_text", "choice_text", "input_rule", "options_text",
           "sheet_rows"]
