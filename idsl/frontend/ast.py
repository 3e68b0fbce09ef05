"""The idsl abstract syntax tree: frozen attrs classes, spans kept out of equality."""

from __future__ import annotations

from decimal import Decimal
from typing import Union

import attrs

from idsl.frontend.source import NOWHERE, Span


def _span():
    """A span field that does not take part in equality, hashing or repr."""
    return attrs.field(default=NOWHERE, eq=False, repr=False, kw_only=True)


# ---------------------------------------------------------------- expressions


@attrs.frozen
class Num:
    """A number as written: `80%` is Num(Decimal('80'), percent=True)."""

    value: Decimal  # the digits as written (80 for 80%)
    percent: bool = False  # written with % (the value means value/100)
    unit: str | None = None  # unit written after it: 万元, 人, 个 …
    span: Span = _span()

    @property
    def amount(self) -> Decimal:
        """The number's value, with a percent divided by 100."""
        return self.value / 100 if self.percent else self.value


@attrs.frozen
class Subject:
    """The rule's subject left implicit in a band: `≥ 80%` means `subject ≥ 80%`."""

    span: Span = _span()


@attrs.frozen
class BoolLit:
    """是 / 否 (yes / no) in a condition."""

    value: bool  # True for 是
    span: Span = _span()


@attrs.frozen
class Ref:
    """A name used in an expression: an input, a derived quantity or a questionnaire rate."""

    name: str  # the name as written
    span: Span = _span()


@attrs.frozen
class PointsRef:
    """`分值` / `满分` / `points`: the indicator's own points."""

    span: Span = _span()


@attrs.frozen
class BinOp:
    """Arithmetic on two expressions; op is one of + - * /."""

    op: str  # '+', '-', '*' or '/'
    left: "Expr"  # left operand
    right: "Expr"  # right operand
    span: Span = _span()


@attrs.frozen
class Neg:
    """Unary minus."""

    operand: "Expr"  # the negated expression
    span: Span = _span()


@attrs.frozen
class Call:
    """One of the few functions: abs, min, max, round (half up), convert (to a unit)."""

    func: str  # 'abs', 'min', 'max', 'round' or 'convert'
    args: tuple["Expr", ...]  # the arguments
    unit: str | None = None  # the target unit of convert
    span: Span = _span()


Expr = Union[Num, Ref, PointsRef, BinOp, Neg, Call, Subject, BoolLit]


@attrs.frozen
class Compare:
    """A comparison, possibly chained: `90% > 比率 ≥ 75%` is operands (90%, 比率, 75%), ops ('>', '>=').

    One operand and no ops is a yes/no input standing alone: `若 受到处罚 则 …`.
    """

    operands: tuple[Expr, ...] = attrs.field(validator=attrs.validators.min_len(1))  # one or more expressions
    ops: tuple[str, ...] = attrs.field()  # one fewer than operands: '<', '<=', '>', '>=', '=', '!='
    span: Span = _span()

    @ops.validator
    def _one_fewer(self, attribute, value):
        if len(value) != len(self.operands) - 1:
            raise ValueError("a comparison has one operator fewer than operands")


@attrs.frozen
class Range:
    """`60%～80%`: a closed range of the rule's subject."""

    low: Expr  # lower end, included
    high: Expr  # upper end, included
    span: Span = _span()


@attrs.frozen
class BoolOp:
    """Conditions joined by 且 (and) or 或 (or)."""

    op: str  # 'and' or 'or'
    parts: tuple["Cond", ...] = attrs.field(validator=attrs.validators.min_len(2))  # two or more conditions
    span: Span = _span()


@attrs.frozen
class Otherwise:
    """`否则`: whatever no other band covers."""

    span: Span = _span()


Cond = Union[Compare, Range, BoolOp, Otherwise]


# ---------------------------------------------------------------- declarations


@attrs.frozen
class Input:
    """A declared input: `执行数：金额 万元`."""

    name: str  # the field name evaluators fill in
    kind: str  # 'rate', 'count', 'money', 'bool', 'choice', 'findings', 'number'
    unit: str | None = None  # 元, 万元, 人 …; None for rates, yes/no and choices
    low: Num | None = None  # declared lowest value (default: 0 for counts, money and findings)
    high: Num | None = None  # declared highest value (default: none; 100% for rates)
    options: tuple[str, ...] = ()  # the options of a choice
    signed: bool = False  # money or number that may be negative
    span: Span = _span()


@attrs.frozen
class Derived:
    """A named quantity computed from inputs: `执行率 = 执行数 / 预算数`."""

    name: str  # the name other expressions use
    expr: Expr  # how it is computed
    span: Span = _span()


@attrs.frozen
class Questionnaire:
    """A questionnaire whose rate (实际得分 / 满分) becomes a named quantity."""

    name: str  # the rate's name, e.g. 综合满意率
    options: tuple[tuple[str, Decimal], ...]  # (option letter, score), e.g. (('A', 10), ('B', 7))
    questions: tuple[str, ...]  # question texts, in order
    span: Span = _span()


# ---------------------------------------------------------------- rules


@attrs.frozen
class ChecklistItem:
    """One element of a checklist: `- 是否制定年度工作计划（0.5分）`."""

    text: str  # the element as printed in the table
    points: Decimal | None = None  # its own points; None means the checklist's each-item points
    span: Span = _span()


@attrs.frozen
class Checklist:
    """要素法: each element met earns its points."""

    items: tuple[ChecklistItem, ...]  # the elements, in order
    each: Decimal | None = None  # `每项 1 分`: points of an element without its own
    partial: bool = False  # `可酌情`: an element may be given part of its points, with a reason
    span: Span = _span()


@attrs.frozen
class Formula:
    """得分 = expression (proportional rules, sums of derived parts): `得分 = 执行率 × 分值`."""

    expr: Expr  # the score, in points
    span: Span = _span()


@attrs.frozen
class Fixed:
    """A band's outcome: `得 2 分`, `得满分` (points None), `不得分` (0)."""

    points: Decimal | None  # None for full points
    span: Span = _span()


@attrs.frozen
class Linear:
    """A band's outcome `每降低 1% 扣 0.1 分`: full points at the band's anchor end, less per step."""

    direction: str  # 'down' (每降低: anchored at the band's upper end) or 'up' (每增加: at its lower end)
    step: Num  # the step, e.g. 1%
    deduct: Decimal  # points deducted per step
    rounding: str | None = None  # how part of a step counts: 'half_up', 'floor', 'ceil'; None: exactly
    start: Decimal | None = None  # points at the anchor; None for full points
    span: Span = _span()


Outcome = Union[Fixed, Linear]


@attrs.frozen
class Band:
    """One band of a step or linear rule: condition and outcome."""

    cond: Cond  # when the band applies
    outcome: Outcome  # what it awards
    span: Span = _span()


@attrs.frozen
class Bands:
    """分档: step bands and linear deductions over one subject."""

    subject: Expr  # the quantity the bands cut, usually a derived rate
    bands: tuple[Band, ...]  # in the order written
    span: Span = _span()


@attrs.frozen
class Deviation:
    """偏离: full points on target, less per step of |subject - target|, zero past a limit."""

    subject: Expr  # the measured quantity
    target: Expr  # the target value (often 0%)
    step: Num  # the step of deviation, e.g. 1%
    deduct: Decimal  # points deducted per step
    rounding: str | None = None  # 'half_up', 'floor', 'ceil' or None (exact)
    limit: Num | None = None  # `超过 10% 得 0 分`
    absolute: bool = True  # deviations either side count (调增或调减)
    beyond_points: Decimal | None = None  # what a deviation past the limit earns (None: 0, 不得分)
    span: Span = _span()


@attrs.frozen
class PerFinding:
    """扣分: full points less a deduction per finding, never below 0 (扣完为止)."""

    subject: str  # the findings input
    deduct: Decimal  # points per finding
    cap: Decimal | None = None  # at most this much is deducted
    span: Span = _span()


@attrs.frozen
class ChoiceOption:
    """One option of a choice: `按规定公开：2 分`."""

    label: str  # as printed and as chosen
    points: Decimal  # what it awards
    span: Span = _span()


@attrs.frozen
class Choice:
    """选择: the evaluator picks one option."""

    input: str  # the choice's field name
    options: tuple[ChoiceOption, ...]  # in order; keyed A, B, C … as well
    span: Span = _span()


@attrs.frozen
class Discretionary:
    """酌情: the evaluator gives a score in a range and must give a reason."""

    low: Decimal | None = None  # least allowed score; None for 0
    high: Decimal | None = None  # most allowed score; None for full points
    span: Span = _span()


@attrs.frozen
class Target:
    """目标: a target value and the actual one; met earns full points, short earns the completed share."""

    actual: str  # the input holding the actual value
    op: str  # '>=' (higher is better), '<=' (lower is better) or '='
    target: Num  # the target as written: ≥41.94 万人, ≤4%, 100%
    all_or_nothing: bool = False  # `未达标不得分`: short earns 0 instead of its share
    span: Span = _span()


@attrs.frozen
class Part:
    """分项: a part of a leaf with its own points and rule; the leaf scores the sum."""

    name: str  # the part's name
    points: Decimal  # its points
    body: "LeafBody"  # its inputs and rule
    span: Span = _span()


@attrs.frozen
class Parts:
    """Sums of parts: 预决算信息公开 = 预算公开 + 决算公开."""

    parts: tuple[Part, ...]  # the parts, in order
    span: Span = _span()


Rule = Union[Checklist, Formula, Bands, Deviation, PerFinding, Choice, Discretionary, Target, Parts]


@attrs.frozen
class Special:
    """`若 条件 则 得 N 分`: a case decided before the rule (…则本项不得分)."""

    cond: Cond  # when it applies
    points: Decimal | None  # what it awards; None for full points
    span: Span = _span()


@attrs.frozen
class LeafBody:
    """Everything under a leaf (or a part) that says how it scores."""

    inputs: tuple[Input, ...] = ()  # declared inputs
    derived: tuple[Derived, ...] = ()  # named quantities
    questionnaires: tuple[Questionnaire, ...] = ()  # questionnaires feeding a rate
    specials: tuple[Special, ...] = ()  # special cases, tried in order before the rule
    rule: Rule | None = None  # the scoring rule (None is an error the checker reports)
    span: Span = _span()


# ---------------------------------------------------------------- indicators


@attrs.frozen
class Indicator:
    """An indicator: a branch (children) or a leaf (body)."""

    name: str  # as printed
    points: Decimal | None  # 分值; None when not written (an error)
    explanation: str | None = None  # 指标解释
    standard: str | None = None  # verbatim 评分标准 text attached by the author
    not_applicable: str | None = None  # what happens when not applicable: 'full' or 'exclude'
    children: tuple["Indicator", ...] = ()  # sub-indicators of a branch
    body: LeafBody | None = None  # scoring of a leaf
    span: Span = _span()  # the heading line
    points_span: Span = _span()  # the written points


@attrs.frozen
class Adjustments:
    """A block outside the total: penalties (扣分项 / 逆向指标) or bonuses (加分项)."""

    kind: str  # 'penalty' or 'bonus'
    name: str  # as printed, e.g. 逆向指标
    cap: Decimal | None  # the most the whole block can move the total
    items: tuple[Indicator, ...]  # each with its own cap as points
    span: Span = _span()


# ---------------------------------------------------------------- the spec


@attrs.frozen
class GradeBand:
    """One grade: `良：80 ≤ 总分 < 90`."""

    grade: str  # 优, 良 …
    cond: Cond  # over the total
    span: Span = _span()


@attrs.frozen
class Column:
    """One column of the scoring table."""

    kind: str  # 'level1', 'level2', 'level3', 'points', 'explanation', 'standard', 'reason', 'score'
    title: str  # the header text
    span: Span = _span()


# Column titles the seeds use, and the column each one is; `"标题" = 得分` names a kind for any title.
COLUMN_KINDS = {
    "一级指标": "level1", "二级指标": "level2", "三级指标": "level3", "分值": "points", "权重": "points",
    "指标解释": "explanation", "指标说明": "explanation", "评分标准": "standard", "得分原因": "reason",
    "扣分原因": "reason", "得分": "score", "自评分数": "score", "评分": "score",
    "level1": "level1", "level2": "level2", "level3": "level3", "points": "points",
    "explanation": "explanation", "standard": "standard", "reason": "reason", "score": "score",
}
# Extra rows of the table, by the words the seeds use.
ROW_KINDS = {"小计": "subtotal", "逆向指标": "adjustments", "加减分项": "adjustments", "扣分项": "adjustments",
             "合计": "total", "等级": "grade", "subtotal": "subtotal", "adjustments": "adjustments",
             "total": "total", "grade": "grade"}


@attrs.frozen
class Layout:
    """表格: the Word table's title, columns and extra rows."""

    title: str | None = None  # title line; None derives it from the spec's title
    columns: tuple[Column, ...] = ()  # empty means 001's layout
    rows: tuple[str, ...] = ()  # extra rows among 'subtotal', 'adjustments', 'total', 'grade'
    span: Span = _span()


@attrs.frozen
class ExampleSet:
    """`设 路径.字段 = 值` in a worked example."""

    path: tuple[str, ...] = attrs.field(validator=attrs.validators.min_len(1))  # indicator path (a unique leaf name suffices)
    field: str | None = attrs.field()  # input field; None for the leaf's own value (discretionary, not applicable)
    value: "Value"  # what is set
    span: Span = _span()


@attrs.frozen
class ExampleExpect:
    """`期望 路径 = 分数` in a worked example ('总分' and '等级' name the total and grade)."""

    path: tuple[str, ...] = attrs.field(validator=attrs.validators.min_len(1))  # indicator path, or ('总分',) / ('等级',)
    value: "Value" = attrs.field()  # expected score or grade
    span: Span = _span()


@attrs.frozen
class Example:
    """A worked example inside a spec: inputs and the scores they must give."""

    name: str  # shown when it fails
    sets: tuple[ExampleSet, ...]  # inputs
    expects: tuple[ExampleExpect, ...]  # expectations
    span: Span = _span()


@attrs.frozen
class Value:
    """A literal in an example: a number, a word (是/否, an option, a grade), a list, or rows of lists.

    `是、是、否` is one row of three items; `6、0、0、0；5、1、0、0` is two rows (questionnaire tallies).
    """

    rows: tuple[tuple[Num | str | bool, ...], ...]  # one row of one item for a scalar
    span: Span = _span()

    @property
    def scalar(self) -> "Num | str | bool | None":
        """The single item of a scalar value, else None."""
        return self.rows[0][0] if len(self.rows) == 1 and len(self.rows[0]) == 1 else None


@attrs.frozen
class Import:
    """`引用 "共性指标.idsl"`: start from another spec's tree."""

    path: str  # relative to the importing file
    span: Span = _span()


@attrs.frozen
class Spec:
    """A whole spec file."""

    title: str | None  # 体系 "…"
    total: Decimal | None  # 总分
    places: int | None = None  # 小数 N 位 (None: 2)
    grades: tuple[GradeBand, ...] = ()  # 等级
    imports: tuple[Import, ...] = ()  # 引用
    inputs: tuple[Input, ...] = ()  # inputs shared by every leaf
    derived: tuple[Derived, ...] = ()  # shared named quantities
    questionnaires: tuple[Questionnaire, ...] = ()  # shared questionnaires
    indicators: tuple[Indicator, ...] = ()  # level-1 indicators
    adjustments: tuple[Adjustments, ...] = ()  # penalty and bonus blocks
    layout: Layout | None = None  # 表格
    examples: tuple[Example, ...] = ()  # 示例
    span: Span = _span()
