"""The unit table: one row per evaluated unit, one column per input of a plan.

Batch files (`idsl template --batch`), the SQL engine and the Python engine all use this one
layout. A column's header is the indicator's path, a dot and the field:

    单位                                          the unit's name (first column)
    决策/预算配置/重点支出安排率.重点项目支出       an input (number, rate, yes/no, choice …)
    决策/目标设定/年度绩效目标合理性.要素1          one checklist element (是/否; a number of points when 可酌情)
    预算使用效益/效率性/重点工作完成率.得分         a discretionary score
    预算使用效益/效率性/重点工作完成率.理由         the reason a discretionary or partial score needs
    效益/满意度/服务对象满意度.综合满意率.第1题.A   a questionnaire tally (people who chose A)
    …/某指标.不适用                               是 when the indicator does not apply (declared 不适用 only)
    共用.某输入                                    a spec-level input
    决策/预算配置/重点支出安排率.记录得分           (audits) the score the report recorded; also 总分.记录得分, 等级.记录得分

>>> from idsl.frontend.parse import parse
>>> from idsl.semantics.lower import lower
>>> from idsl.frontend.source import Source
>>> text = '体系 "例" 总分 3\\n决策（3）\\n  目标设定（3）\\n    要素 每项 1 分\\n      - 甲\\n      - 乙\\n      - 丙\\n'
>>> [c.header for c in unit_columns(lower(parse(Source("t.idsl", text))[0]))]
['单位', '决策/目标设定.要素1', '决策/目标设定.要素2', '决策/目标设定.要素3']
"""

from __future__ import annotations

from decimal import Decimal
from typing import Callable, Collection, Iterator, Sequence

import attrs

from idsl.frontend import ast
from idsl.io.inputfile import BLANKS, MAX_NAME, long_name
from idsl.io.points_words import recorded_not_a_number
from idsl.semantics.applies import Gate, leaf_gate
from idsl.semantics.bounded import bound_target
from idsl.semantics.classes import CLASS, by_class_rule, class_inputs
from idsl.semantics.graded import own_grade
from idsl.semantics.pools import CHOSEN, names_several, states_choice
from idsl.semantics.lower import reasoned_cuts
from idsl.semantics.model import LeafPlan, Node, Plan
from idsl.semantics.program import TOTAL_NAMES

UNIT = "单位"  # the first column: the unit's name
SHARED = "共用"  # the key of spec-level inputs
RECORDED = "记录得分"  # the field of a recorded score (audits)
TOTAL = "总分"
GRADE = "等级"
# A grade recorded for a spec without grades (等级 bands): one error, in every reader and both engines
NO_GRADES = ("体系没有等级（没有“等级”行），记录的等级无从比对。", "删去记录的等级；要比对等级，先在体系里写“等级”行。")


GRADE_KEYS = ("等级", "grade", "评价等级")  # what a recorded grade may be called (JSON)
SUBTOTAL_KEYS = ("小计", "subtotal")  # … and a recorded subtotal


def unknown_recorded(plan: Plan, key: str) -> bool:
    """Whether a recorded score's key names nothing a score is recorded for (no indicator, penalty or bonus block,
    subtotal, total or grade): one error at its 记录得分, in the JSON inputs and both batch engines."""
    named = key in GRADE_KEYS or key in TOTAL_NAMES or key in SUBTOTAL_KEYS
    return not named and all(block.name != key for block in plan.adjustments) and plan.find(key) is None


def unknown_grade(grade: str, grades: Sequence[str]) -> tuple[str, str]:
    """A recorded grade that is none of the spec's grades, as (message, hint): one error, in every reader and both
    engines (the SQL check passes `cellwords.SHOWN` for the cell's text)."""
    return f"记录的等级“{grade}”不是本体系的等级。", f"应是 {'、'.join(grades)} 之一；不比对等级就留空。"


def long_grade(length: int | str, grades: Sequence[str]) -> tuple[str, str]:
    """A recorded grade of `length` characters, over MAX_NAME, as (message, hint): the length is checked first, in
    every reader and both engines (the SQL check passes `cellwords.SHOWN` for the cell's length)."""
    hint = NO_GRADES[1] if not grades else unknown_grade("", grades)[1]
    return long_name("等级", length), hint


def grade_problem(grade: str, grades: Sequence[str]) -> tuple[str, str] | None:
    """What is wrong with a recorded grade, as (message, hint), or None when it is one of `grades` (the spec's).
    The grade is compared exactly as the spec writes its grades, once the blanks at either end are stripped
    (`inputfile.BLANKS`), as every other text cell is read."""
    grade = grade.strip(BLANKS)
    if len(grade) > MAX_NAME:
        return long_grade(len(grade), grades)
    if not grades:
        return NO_GRADES
    return unknown_grade(grade, grades) if grade not in grades else None


# Kinds of column, and what a cell holds.
NUMBER_KINDS = ("rate", "money", "count", "number", "findings")  # an input holding a number


@attrs.frozen
class Column:
    """One column of the unit table."""

    header: str  # as written in the file's first row
    kind: str  # 'unit', 'input', 'item', 'score', 'reason', 'na', 'tally', 'recorded', 'grade'
    key: str = ""  # the indicator's path ('共用' for spec-level inputs, '总分'/'等级' for totals)
    field: str = ""  # the field: input name, 要素N, 得分, 理由, 不适用, 问卷名.第N题.X, 记录得分
    decl: ast.Input | None = None  # an input's declaration
    points: Decimal | None = None  # a checklist element's points
    partial: bool = False  # a checklist element that may be given part of its points (可酌情)
    low: Decimal | None = None  # a discretionary score's least value
    high: Decimal | None = None  # a discretionary score's highest value
    index: int = 0  # element number (1-based) or question number (1-based)
    option: int = 0  # a tally's option (0-based)
    name: str = ""  # the questionnaire (tallies) or the part (a field kept in the part's own object)
    penalty: bool = False  # a penalty or bonus item: a zero deduction needs no reason
    node: Node | None = attrs.field(default=None, eq=False, repr=False)  # the indicator (None: unit, 共用, totals)

    @property
    def in_part(self) -> bool:
        """A field kept in its part's own object (`name`): a part's 要素, 得分, or 评级's 等级 beside them."""
        return bool(self.name) and self.kind in ("item", "score", "input")

    @property
    def pool_choice(self) -> bool:
        """A pool's 选用 (择一's, 任选's): on the parent, not an input of a leaf."""
        return self.kind == "input" and self.field == CHOSEN and self.node is not None and self.node.leaf is None

    @property
    def several_chosen(self) -> bool:
        """任选 k 项's 选用: a cell naming k alternatives, separated by 、 (择一's names one, as any choice)."""
        return self.pool_choice and names_several(self.node)

    @property
    def named_where_read(self) -> bool:
        """A 共用 cell (an input, a 共用 questionnaire's count) that no cell check requires: left blank, it is named
        by the scoring where a leaf's evaluation reads it, as the interpreter names it, and nowhere else."""
        return self.key == SHARED and self.kind in ("input", "tally")

    @property
    def numeric(self) -> bool:
        """Whether the cell holds a number (else text: yes/no, an option, a reason, a grade)."""
        if self.kind == "input":
            return self.decl is not None and self.decl.kind in NUMBER_KINDS
        if self.kind == "item":
            return self.partial
        return self.kind in ("score", "tally", "recorded")

    @property
    def sql_type(self) -> str:
        """The column's type in the typed table the SQL query reads."""
        return "DECIMAL(38,10)" if self.numeric else "VARCHAR"


def header(key: str, field: str) -> str:
    """A column header: the path, a dot, the field.

    >>> header("决策/预算配置/重点支出安排率", "重点项目支出")
    '决策/预算配置/重点支出安排率.重点项目支出'
    """
    return f"{key}.{field}"


def unit_columns(plan: Plan, audit: bool = False) -> list[Column]:
    """Every column of the plan's unit table, in table order; with `audit`, recorded-score columns too."""
    columns = [Column(UNIT, "unit")]
    for decl in plan.shared_inputs:
        columns.append(Column(header(SHARED, decl.name), "input", SHARED, decl.name, decl=decl))
    for questionnaire in plan.shared_questionnaires:
        columns.extend(_tallies(SHARED, questionnaire, None))
    for node in plan.leaves():
        parent = plan.find(node.path[:-1]) if node.alternative else None
        if parent is not None and states_choice(parent) and parent.children[0] is node:
            columns.append(choice_column(parent))
        columns.extend(_leaf_columns(node, penalty=False))
    for _block, item in plan.items():
        columns.extend(_leaf_columns(item, penalty=True))
    if audit:
        columns.extend(recorded_columns(plan))
    return columns


def choice_column(parent: Node) -> Column:
    """择一's / 任选's 选用: the alternatives the unit uses, of the parent's children (blank: those whose cells are
    given); 任选's cell names k of them, separated by 、."""
    decl = ast.Input(CHOSEN, "choice", options=tuple(child.name for child in parent.children), optional=True)
    return Column(header(parent.key, CHOSEN), "input", parent.key, CHOSEN, decl=decl, node=parent)


def recorded_columns(plan: Plan) -> list[Column]:
    """The audit columns: every indicator's recorded score, each block's, the total's, and the grade."""
    columns = [Column(header(node.key, RECORDED), "recorded", node.key, RECORDED, node=node) for node in plan.walk()]
    for block in plan.adjustments:
        columns.append(Column(header(block.name, RECORDED), "recorded", block.name, RECORDED))
        columns.extend(Column(header(item.key, RECORDED), "recorded", item.key, RECORDED, node=item)
                       for item in block.items)
    columns.append(Column(header(TOTAL, RECORDED), "recorded", TOTAL, RECORDED))
    if plan.grades:  # a spec without grades has no grade to record (one given anyway is NO_GRADES)
        columns.append(grade_column())
    return columns


def grade_column() -> Column:
    """The recorded grade's column, 等级.记录得分."""
    return Column(header(GRADE, RECORDED), "grade", GRADE, RECORDED)


def _leaf_columns(node: Node, penalty: bool) -> Iterator[Column]:
    leaf = node.leaf
    assert leaf is not None
    key = node.key
    units: list[tuple[str | None, LeafPlan, Decimal]] = [(None, leaf, node.points)]
    if leaf.parts:
        units = [(part.name, part.leaf, part.points) for part in leaf.parts]
    # Reserved fields (要素, 得分) go in the leaf's object when only one part uses them, else in the part's.
    users = [name for name, unit, _ in units if isinstance(unit.rule, (ast.Checklist, ast.Discretionary))]
    seen: set[str] = set()
    needs_reason = False
    for part, unit, points in units:
        owner = part if part is not None and len(users) > 1 else None
        prefix = f"{owner}." if owner else ""
        rule = unit.rule
        for decl in unit.own_inputs:
            if owner and own_grade(rule, decl):  # 评级's 等级 beside its part's 得分: one per part
                yield Column(header(key, prefix + decl.name), "input", key, prefix + decl.name, decl=decl, name=owner,
                             penalty=penalty, node=node)
            elif decl.name not in seen:
                seen.add(decl.name)
                yield Column(header(key, decl.name), "input", key, decl.name, decl=decl, penalty=penalty, node=node)
        for questionnaire in unit.own_questionnaires:
            if questionnaire.name not in seen:
                seen.add(questionnaire.name)
                yield from _tallies(key, questionnaire, node)
        if isinstance(rule, ast.Checklist):
            for number, item in enumerate(rule.items, start=1):
                item_points = item.points if item.points is not None else (rule.each or Decimal(0))
                yield Column(header(key, f"{prefix}要素{number}"), "item", key, f"{prefix}要素{number}",
                             points=item_points, partial=rule.partial, index=number, name=owner or "",
                             penalty=penalty, node=node)
            needs_reason |= rule.partial
        if isinstance(rule, ast.Discretionary):
            low = rule.low if rule.low is not None else Decimal(0)
            high = rule.high if rule.high is not None else points
            yield Column(header(key, f"{prefix}得分"), "score", key, f"{prefix}得分", low=low, high=high,
                         name=owner or "", penalty=penalty, node=node)
            needs_reason |= not isinstance(rule, ast.Graded) or rule.reason  # 评级 asks one only when it says so
        needs_reason |= bool(reasoned_cuts(unit))  # 超额调减, 酌情扣分 need a reason
    if needs_reason or node.reason_below:  # 扣分须说明理由: needed when the score is below the points
        yield Column(header(key, "理由"), "reason", key, "理由", penalty=penalty, node=node)
    if node.not_applicable is not None and node.na_mark:  # a 适用 若 leaf's answer is not a mark
        yield Column(header(key, "不适用"), "na", key, "不适用", penalty=penalty, node=node)


def _tallies(key: str, questionnaire: ast.Questionnaire, node: Node | None) -> Iterator[Column]:
    for number, _question in enumerate(questionnaire.questions, start=1):
        for option, (letter, _score) in enumerate(questionnaire.options):
            field = f"{questionnaire.name}.第{number}题.{letter}"
            yield Column(header(key, field), "tally", key, field, index=number, option=option,
                         name=questionnaire.name, node=node)


CLASS_HEADER = f"{SHARED}.{CLASS}"  # 单位类别: the column of the unit's class


def class_exempt(column: Column) -> tuple[str, ...]:
    """按类别: the classes of unit that leave this input blank (their branch's rule does not read it)."""
    leaf = column.node.leaf if column.kind == "input" and column.node is not None else None
    needs = class_inputs(leaf).get(column.field) if leaf is not None else None
    if needs is None:
        return ()
    rule = by_class_rule(leaf)
    assert rule is not None
    return tuple(c for b in rule.branches for c in b.classes if c not in needs)


def gate_columns(columns: Sequence[Column]) -> list[tuple[Column, Gate]]:
    """适用 若: each gated leaf's yes/no column and its gate."""
    found = []
    for column in columns:
        gate = leaf_gate(column.node) if column.kind == "input" else None
        if gate is not None and column.field == gate.name:
            found.append((column, gate))
    return found


def error_column(path: str, field: str | None, headers: Collection[str], index: int | None = None,
                 blank: Callable[[str], bool] | None = None) -> str:
    """The column an input error or a rule's failure about indicator `path` and its `field` is listed under, in
    both engines' batch listings and the workbench's form: a 共用 input's own column (a blank one read by several
    leaves is one mistake), a 共用 questionnaire's first count the row leaves `blank` (its first count when
    `blank` is not known), an element's own column (要素2, by `index`), the field's column (as written, or its
    last part: a part's 等级), the indicator's 记录得分 for a recorded score; else the indicator's own. With no
    `headers` known, the field's column as it would be named. `headers` in the table's order.

    >>> error_column("过程/预算调整率", "预算数", {"过程/预算调整率.预算数"}), error_column("甲", "合计", {"甲.数"})
    ('过程/预算调整率.预算数', '甲')
    >>> error_column("甲", "共用.单位类别", {"共用.单位类别"}), error_column("甲", "要素", {"甲.要素2"}, index=2)
    ('共用.单位类别', '甲.要素2')
    >>> counts = ["共用.满意率.第1题.A", "共用.满意率.第1题.B"]
    >>> error_column("甲", "共用.满意率", counts, blank=lambda h: h.endswith("B")), error_column("甲", "共用.满意率", counts)
    ('共用.满意率.第1题.B', '共用.满意率.第1题.A')
    >>> error_column("共用", "满意率", counts, blank=lambda h: h.endswith("B"))  # the unit's, named once
    '共用.满意率.第1题.B'
    """
    field = field or ""
    if path == SHARED and field and not field.startswith(f"{SHARED}."):  # the unit's 共用 input, named once
        field = f"{SHARED}.{field}"  # (共用 › 满意率): where a leaf's error names it
    if not headers:
        return field if path == SHARED else f"{path}.{field}"
    name = field.split(".")[-1]
    if field.startswith(f"{SHARED}.") and field in headers:
        return field
    counts = [h for h in headers if h.startswith(f"{field}.第")] if field.startswith(f"{SHARED}.") else []
    if counts:  # a 共用 questionnaire not given in full: where the row leaves it blank
        return next((h for h in counts if blank is not None and blank(h)), counts[0])
    if name == "要素" and index is not None and f"{path}.{field}{index}" in headers:
        return f"{path}.{field}{index}"
    for candidate in (f"{path}.{field}", f"{path}.{name}"):
        if candidate in headers:
            return candidate
    if name == "要素":
        return f"{path}.要素"
    if field == "recorded":
        return f"{path}.{RECORDED}"
    return path or field


OWN_KINDS = ("input", "item", "score", "tally")  # the cells of a leaf's own (not its 理由, 不适用 or 记录得分)


def unchosen(columns: Sequence[Column], blank: Callable[[str], bool]) -> set[str]:
    """择一 / 任选 k 项: the alternatives none of whose own cells a row gives (`blank` tells a cell by its header)."""
    return {key for key, headers in alternative_cells(columns).items() if all(blank(h) for h in headers)}


def alternative_cells(columns: Sequence[Column]) -> dict[str, list[str]]:
    """择一 / 任选 k 项: each alternative's own cells, by its key."""
    own: dict[str, list[str]] = {}
    for column in columns:
        if column.node is not None and column.node.alternative and column.kind in OWN_KINDS:
            own.setdefault(column.key, []).append(column.header)
    return own


def bound_column(column: Column) -> ast.Target | None:
    """The target an input column's cell may be written against as a bound (≥266米; `semantics.bounded`): the
    column's leaf, or its part (a field kept in the part's object), compares it and nothing else reads it."""
    leaf = column.node.leaf if column.kind == "input" and column.node is not None and column.decl is not None else None
    if leaf is not None and column.in_part:
        leaf = next((p.leaf for p in leaf.parts if p.name == column.name), None)
    return bound_target(leaf, column.decl) if leaf is not None else None


def takes_bound(column: Column) -> bool:
    """Whether a workbook lets the column's cell hold a bound: a ≥ or ≤ target's actual (against = no bound decides)."""
    target = bound_column(column)
    return target is not None and target.op in (">=", "<=")


__all__ = ["CLASS_HEADER", "bound_column", "takes_bound", "choice_column", "class_exempt", "Column", "error_column", "OWN_KINDS", "alternative_cells", "unchosen", "GRADE", "gate_columns", "grade_column", "grade_problem", "long_grade", "NO_GRADES", "NUMBER_KINDS", "RECORDED", "SHARED", "TOTAL", "UNIT", "header", "recorded_columns", "recorded_not_a_number", "GRADE_KEYS", "SUBTOTAL_KEYS", "unknown_recorded",
           "unit_columns", "unknown_grade"]
