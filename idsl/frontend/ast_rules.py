"""The AST's declarations (inputs, derived quantities, questionnaires), rules and a leaf's body."""

from __future__ import annotations

from decimal import Decimal
from typing import Union

import attrs

from idsl.frontend.ast_exprs import Cond, Expr, Num, added_field, span_field, written_field
from idsl.frontend.source import Span


# ---------------------------------------------------------------- declarations


@attrs.frozen
class Series:
    """An input repeated per year or per sub-project: `支出进度：比率 年度 2022～2024` declares 支出进度2022 …"""

    base: str  # the name as written: 支出进度
    word: str  # 'year' (年度) or 'sub' (子项目)
    first: int  # the first label: 2022, 1
    last: int  # the last label, ≥ first
    label: int  # this member's label


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
    fill_mean: bool = added_field(False)  # 缺失取平均: a blank is the peers' mean
    blank_zero: bool = added_field(False)  # a blank is 0: a cut not made (§11.12), a sub-project not had (§7.1)
    series: Series | None = added_field(None)  # a member of an input repeated per year or sub-project
    span: Span = span_field()
    optional: bool = added_field(False)  # 可缺: may be left blank; the leaf's 无数据时 line scores it then (§11.14)


@attrs.frozen
class Derived:
    """A named quantity computed from inputs: `执行率 = 执行数 / 预算数`."""

    name: str  # the name other expressions use
    expr: Expr  # how it is computed
    span: Span = span_field()


@attrs.frozen
class Questionnaire:
    """A questionnaire whose rate (实际得分 / 满分) becomes a named quantity."""

    name: str  # the rate's name, e.g. 综合满意率
    options: tuple[tuple[str, Decimal], ...]  # (option letter, score), e.g. (('A', 10), ('B', 7))
    questions: tuple[str, ...]  # question texts, in order
    span: Span = span_field()


# ---------------------------------------------------------------- rules


@attrs.frozen
class ChecklistItem:
    """One element of a checklist: `- 是否制定年度工作计划（0.5分）`."""

    text: str  # the element as printed in the table
    points: Decimal | None = None  # its own points; None means the checklist's each-item points
    span: Span = span_field()


@attrs.frozen
class Checklist:
    """要素法: each element met earns its points."""

    items: tuple[ChecklistItem, ...]  # the elements, in order
    each: Decimal | None = None  # `每项 1 分`: points of an element without its own
    partial: bool = False  # `可酌情`: an element may be given part of its points, with a reason
    each_placeholder: bool = added_field(False)  # `每项 ？ 分`: the points of an element are still to fill
    equal: bool = added_field(False)  # `均分`: each element is worth the indicator's points ÷ the elements, exactly
    span: Span = span_field()


@attrs.frozen
class Formula:
    """得分 = expression (proportional rules, sums of derived parts): `得分 = 执行率 × 分值`."""

    expr: Expr  # the score, in points
    span: Span = span_field()


@attrs.frozen
class Fixed:
    """A band's outcome: `得 2 分`, `得满分` (points None), `不得分` (0), `扣 1 分` (the points less 1), `不扣分`
    (`扣 0 分`: the points, or nothing deducted in a penalty item)."""

    points: Decimal | None  # None for full points
    span: Span = span_field()
    # `扣 1 分` as written: `points` is then what it leaves of the points the band scores (resolved on load,
    # frontend.deductions); None while those points are unknown (a bonus item, （？）: E465)
    deduct: Decimal | None = added_field(None)
    figures: bool = written_field(False)  # a zero written `得 0 分`, not `不得分`


@attrs.frozen
class Linear:
    """A band's outcome `每降低 1% 扣 0.1 分`: full points at the band's anchor end, less per step."""

    direction: str  # 'down' (每降低: anchored at the band's upper end) or 'up' (每增加: at its lower end)
    step: Num  # the step, e.g. 1%
    deduct: Decimal  # points deducted per step
    rounding: str | None = None  # how part of a step counts: 'half_up', 'floor', 'ceil'; None: exactly
    start: Decimal | None = None  # points at the anchor; None for full points
    until_zero: bool = added_field(False)  # 扣完为止: the deductions stop at 0 (the band may reach past it)
    span: Span = span_field()


Outcome = Union[Fixed, Linear]


@attrs.frozen
class Band:
    """One band of a step or linear rule: condition and outcome."""

    cond: Cond  # when the band applies
    outcome: Outcome  # what it awards
    span: Span = span_field()


@attrs.frozen
class Bands:
    """分档: step bands and linear deductions over one subject."""

    subject: Expr  # the quantity the bands cut, usually a derived rate
    bands: tuple[Band, ...]  # in the order written
    span: Span = span_field()
    # 趋势 a 较 b: (a, b), the subject a - b and each band > 0 (提高), = 0 (持平) or < 0 (下降)
    trend: tuple[str, str] | None = attrs.field(default=None, metadata={"omit_default": True})


@attrs.frozen
class CompoundBand:
    """One band of 分档 over two subjects: a condition on each, and the outcome."""

    first: Cond  # over the first subject: 是, 否, an option, or a comparison (否则 only in the closing band)
    second: Cond  # over the second; 否则: what the other bands of this first condition leave
    outcome: Outcome  # what it awards (a linear outcome steps along the second subject)
    span: Span = span_field()


@attrs.frozen
class Compound:
    """分档 a、b: bands over the product of two subjects (是否按期完成 × 完成率); each combination in one band."""

    subjects: tuple[Expr, Expr]  # the first (often a yes/no or choice input) and the second (a number)
    bands: tuple[CompoundBand, ...]  # in the order written
    span: Span = span_field()


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
    until_zero: bool = added_field(False)  # 扣完为止: the deductions stop at 0 before any limit
    span: Span = span_field()


@attrs.frozen
class PerFinding:
    """扣分: full points less a deduction per finding, never below 0 (扣完为止)."""

    subject: str  # the findings input
    deduct: Decimal  # points per finding
    cap: Decimal | None = None  # at most this much is deducted
    span: Span = span_field()


@attrs.frozen
class ChoiceOption:
    """One option of a choice: `按规定公开：2 分`."""

    label: str  # as printed and as chosen
    points: Decimal  # what it awards
    span: Span = span_field()
    figures: bool = written_field(False)  # a zero written `0 分`, not `不得分`


@attrs.frozen
class Choice:
    """选择: the evaluator picks one option."""

    input: str  # the choice's field name
    options: tuple[ChoiceOption, ...]  # in order; keyed A, B, C … as well
    span: Span = span_field()


@attrs.frozen
class Discretionary:
    """酌情: the evaluator gives a score in a range and must give a reason."""

    low: Decimal | None = None  # least allowed score; None for 0
    high: Decimal | None = None  # most allowed score; None for full points
    span: Span = span_field()


@attrs.frozen
class Qualitative(Discretionary):
    """定性 (财预〔2020〕10号 第十六条): a tier picked from a three-option input, and a score inside its range.

    A judged score like 酌情 (the readers take 得分 and 理由 alike); the tier's range bounds it."""

    tier: str = ""  # the choice input naming the tier; its options from the top tier down


GRADE_FIELD = "等级"  # 评级's field naming the grade the evaluator picks


@attrs.frozen
class TierEnd:
    """One end of a grade's range as written: `90%`, `7.5 分`, `80%（含）`."""

    amount: Decimal  # the number written
    percent: bool = False  # a share of the points (`90%`); else points (`9 分`, or a bare number)
    included: bool = False  # `（含）` written after it: the end belongs to this grade
    fen: bool = attrs.field(default=False, metadata={"omit_default": True})  # `分` written after it


@attrs.frozen
class GradeTier:
    """One grade of 评级 with its range, the ends in the order written: `优：90%～100%`, `达成：100%～80%（含）`."""

    name: str  # the grade, as the evaluator picks it
    first: TierEnd
    second: TierEnd
    span: Span = span_field()


@attrs.frozen
class Graded(Qualitative):
    """评级: the evaluator picks a grade (its field 等级) and then a score (得分) inside that grade's range.

    定性 is the same rule over a declared three-option input and 第十六条's ranges."""

    tiers: tuple[GradeTier, ...] = ()  # in the order written; the drop-down's and the letters' order
    reason: bool = False  # `须说明理由`: a grade below the top needs the evaluator's 理由


@attrs.frozen
class Target:
    """目标: a target value and the actual one; met earns full points, short earns the completed share."""

    actual: str  # the input holding the actual value
    op: str  # '>=' (higher is better), '<=' (lower is better) or '='
    target: Num  # the target as written: ≥41.94 万人, ≤4%, 100%
    all_or_nothing: bool = False  # `未达标不得分`: short earns 0 instead of its share
    pass_mark: Decimal | None = None  # `及格 60%` (as 60): below it 0, above it the share rescaled (101号)
    placeholder: bool = added_field(False)  # `目标 完成值 ≥ ？`: the target value is still to fill (the value is then 0)
    span: Span = span_field()
    # `超额调减 最多 2 分` (第十六条): the most the evaluator may deduct when the actual exceeds a target set too
    # low, given as the input 超额调减 with a reason; left out of compiled plans when absent (fingerprints stay)
    over_cut: Decimal | None = added_field(None)


@attrs.frozen
class Intervals:
    """区间赋分 (财预〔2021〕101号 §三(七)2): the budget execution rate scored by intervals with a pass mark.

    Completed and within the budget: full points; not completed: 80%–100% 70%, 60%–80% 50% of the
    points, below 60% none."""

    rate: str  # the execution rate (a derived quantity or a rate input)
    completed: str  # the yes/no input 项目完成
    span: Span = span_field()


@attrs.frozen
class Part:
    """分项: a part of a leaf with its own points and rule; the leaf scores the sum."""

    name: str  # the part's name
    points: Decimal  # its points
    body: "LeafBody"  # its inputs and rule
    span: Span = span_field()


@attrs.frozen
class Parts:
    """Sums of parts: 预决算信息公开 = 预算公开 + 决算公开."""

    parts: tuple[Part, ...]  # the parts, in order
    span: Span = span_field()


@attrs.frozen
class Refine:
    """待细化: a placeholder where the author still has to write their own indicators (个性指标)."""

    note: str | None = None  # what to write there, as the framework says
    span: Span = span_field()


@attrs.frozen
class ClassBranch:
    """One line of 按类别: the classes of unit it covers and their rule."""

    classes: tuple[str, ...]  # 行政单位, 参公事业单位 …, as declared by 单位类别
    rule: "Rule"  # the rule units of these classes are scored by
    span: Span = span_field()


@attrs.frozen
class ByClass:
    """按类别: a rule per class of unit (单位类别); each declared class is in exactly one branch."""

    branches: tuple[ClassBranch, ...]  # in order
    span: Span = span_field()


Rule = Union[Checklist, Formula, Bands, Compound, Deviation, PerFinding, Choice, Discretionary, Qualitative, Graded, Target, Intervals,
             Parts, Refine, ByClass]


@attrs.frozen
class Special:
    """`若 条件 则 得 N 分`: a case decided before the rule (…则本项不得分)."""

    cond: Cond  # when it applies
    points: Decimal | None  # what it awards; None for full points
    span: Span = span_field()
    gate: bool = attrs.field(default=False, metadata={"omit_default": True})  # 计分条件: `cond` is what scoring needs; the case applies when it does not hold


@attrs.frozen
class NoData:
    """`无数据时 得满分`: what a leaf scores when an input it reads, declared 可缺, is blank; `无数据时 酌情 1～3 分`
    the evaluator's score within the range (with a reason); `无数据时 不适用` the leaf is left out."""

    points: Decimal | None  # what it awards; None for full points (or for 酌情 and 不适用)
    span: Span = span_field()
    outcome: str = added_field("points")  # 'points', 'discretion' (酌情 low～high) or 'na' (不适用)
    low: Decimal | None = added_field(None)  # 酌情's range
    high: Decimal | None = added_field(None)


@attrs.frozen
class ScoreAdjust:
    """A line after a leaf's rule: `酌情扣分 最多 1 分，须说明理由`, `另扣 问题数 每项 0.5 分，最多扣 2 分`, `另加 …`."""

    kind: str  # 'discretion' (the evaluator's cut, with a reason), 'deduct' or 'add' (per item of an input)
    cap: Decimal | None  # the most this line moves the score; None for 另扣 … 扣完为止: the score before it
    subject: str | None = None  # the counted input of 另扣/另加
    each: Decimal | None = None  # points per item of 另扣/另加
    span: Span = span_field()


@attrs.frozen
class ScoreFloor:
    """`最低 -2 分` under a leaf: its score is held to floor … points instead of 0 … points."""

    points: Decimal  # the least score, below 0 (E428 otherwise)
    span: Span = span_field()


@attrs.frozen
class ScorePlaces:
    """`小数 4 位` under a leaf: its score rounds half up at these places, the tree's sums at the header's."""

    places: int
    span: Span = span_field()


@attrs.frozen
class LeafBody:
    """Everything under a leaf (or a part) that says how it scores."""

    inputs: tuple[Input, ...] = ()  # declared inputs
    derived: tuple[Derived, ...] = ()  # named quantities
    questionnaires: tuple[Questionnaire, ...] = ()  # questionnaires feeding a rate
    specials: tuple[Special, ...] = ()  # special cases, tried in order before the rule
    rule: Rule | None = None  # the scoring rule (None is an error the checker reports)
    span: Span = span_field()
    applies: "Cond | None" = added_field(None)  # 适用 若 条件: elsewhere the leaf is 不适用
    adjusts: tuple[ScoreAdjust, ...] = added_field(())  # lines after the rule that move its score (§11.12)
    floor: ScoreFloor | None = added_field(None)  # 最低 -2 分 (§11.14)
    places: ScorePlaces | None = added_field(None)  # 小数 4 位 of this leaf (§11.14)
    nodata: NoData | None = added_field(None)  # 无数据时: the score when a 可缺 input it reads is blank (§11.14)
