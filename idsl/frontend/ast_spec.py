"""The AST's indicators, adjustment blocks, grades, table layout, worked examples and the whole Spec."""

from __future__ import annotations

from decimal import Decimal

import attrs

from idsl.frontend.ast_exprs import Cond, Expr, Num, added_field, span_field, written_field
from idsl.frontend.ast_rules import Derived, Input, LeafBody, Questionnaire
from idsl.frontend.source import Span


# ---------------------------------------------------------------- indicators


@attrs.frozen
class Pool:
    """择一 / 任选 k 项 / 取最高 k 项 on a branch: its children are alternatives, and k of them count."""

    kind: str  # 'one' (择一), 'any' (任选 k 项: the evaluator gives k of them), 'best' (取最高 k 项: the best k count)
    count: int  # k (1 for 择一)
    span: Span = span_field()


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
    span: Span = span_field()  # the heading line
    points_span: Span = span_field()  # the written points
    points_placeholder: bool = added_field(False)  # （？）: points still to fill (points is then None)
    reason_below: bool = added_field(False)  # 扣分须说明理由: a score below the points needs a reason
    weight: Decimal | None = added_field(None)  # （30%）: percent of the parent's points; `points` derived on load
    pool: Pool | None = added_field(None)  # 择一 / 任选 k 项 / 取最高 k 项: the children are alternatives
    refines: bool = added_field(False)  # 细化: replaces the imported leaf of this name by the children written here
    refined: "Refinement | None" = added_field(None)  # set on import: what the children written here replaced


@attrs.frozen
class Refinement:
    """What an indicator written with children met in the import it merges into (set by the merge, read
    by the checker): an imported leaf it refines, or a mistake — the imported indicator is a branch, is
    not there, or is a leaf given children without 细化."""

    kind: str  # 'leaf', 'branch', 'absent' or 'unmarked'
    points: Decimal | None = None  # the imported indicator's points
    span: Span = span_field()  # the imported indicator's heading (in the imported file)
    points_span: Span = span_field()  # … and its points
    names: tuple[str, ...] = ()  # 'absent': the imported indicators at that level, for the hint


@attrs.frozen
class Adjustments:
    """A block outside the total: penalties (扣分项 / 逆向指标) or bonuses (加分项)."""

    kind: str  # 'penalty' or 'bonus'
    name: str  # as printed, e.g. 逆向指标
    cap: Decimal | None  # the most the whole block can move the total
    items: tuple[Indicator, ...]  # each with its own cap as points
    span: Span = span_field()


# ---------------------------------------------------------------- the spec


@attrs.frozen
class GradeBand:
    """One grade: `良：80 ≤ 总分 < 90`."""

    grade: str  # 优, 良 …
    cond: Cond  # over the total
    span: Span = span_field()


@attrs.frozen
class Column:
    """One column of the scoring table."""

    kind: str  # 'level1', 'level2', 'level3', 'points', 'explanation', 'standard', 'reason', 'score'
    title: str  # the header text
    span: Span = span_field()
    word: str | None = written_field(None)  # the kind as written after `=` (扣分原因 or 得分原因), None without `=`


# Column titles the seeds use, and the column each one is; `"标题" = 得分` names a kind for any title.
COLUMN_KINDS = {
    "一级指标": "level1", "二级指标": "level2", "三级指标": "level3", "分值": "points", "权重": "points",
    "指标解释": "explanation", "指标说明": "explanation", "评分标准": "standard", "得分原因": "reason",
    "扣分原因": "reason", "得分": "score", "自评分数": "score", "评分": "score",
    "level1": "level1", "level2": "level2", "level3": "level3", "points": "points",
    "explanation": "explanation", "standard": "standard", "reason": "reason", "score": "score",
}
# Extra rows of the table, by the words the seeds use.
ROW_KINDS = {"小计": "subtotal", "一级指标小计": "subtotals", "subtotals": "subtotals", "逆向指标": "adjustments", "加减分项": "adjustments", "扣分项": "adjustments",
             "合计": "total", "等级": "grade", "subtotal": "subtotal", "adjustments": "adjustments",
             "total": "total", "grade": "grade"}


@attrs.frozen
class SummaryName:
    """`汇总名称 决策 = 部门决策`: the name a level-1 indicator carries in the summary tables (001 表4, 评价结论)."""

    indicator: str  # the level-1 indicator's name
    label: str  # as the summary and conclusion tables print it
    span: Span = span_field()


@attrs.frozen
class Layout:
    """表格: the Word table's title, columns and extra rows, and the level-1 names of the summary tables."""

    title: str | None = None  # title line; None derives it from the spec's title
    columns: tuple[Column, ...] = ()  # empty means 001's layout
    rows: tuple[str, ...] = ()  # extra rows among 'subtotal', 'adjustments', 'total', 'grade'
    span: Span = span_field()
    labels: tuple[SummaryName, ...] = ()  # 汇总名称, in the order written


@attrs.frozen
class ExampleSet:
    """`设 路径.字段 = 值` in a worked example."""

    path: tuple[str, ...] = attrs.field(validator=attrs.validators.min_len(1))  # indicator path (a unique leaf name suffices)
    field: str | None = attrs.field()  # input field; None for the leaf's own value (discretionary, not applicable)
    value: "Value"  # what is set
    span: Span = span_field()


# `期望 一票否决 = 是`: the rules over the whole table an example may expect to change (or not) its result
OUTCOME_WORDS = ("一票否决", "一票否优", "总分上限", "等级不高于")


@attrs.frozen
class ExampleExpect:
    """`期望 路径 = 分数` in a worked example ('总分' and '等级' name the total and grade, a 结果's name its value,
    an OUTCOME_WORDS word whether that rule changed the result)."""

    path: tuple[str, ...] = attrs.field(validator=attrs.validators.min_len(1))  # indicator path, or ('总分',) / ('等级',)
    value: "Value" = attrs.field()  # expected score or grade
    span: Span = span_field()


@attrs.frozen
class Example:
    """A worked example inside a spec: inputs and the scores they must give."""

    name: str  # shown when it fails
    sets: tuple[ExampleSet, ...]  # inputs
    expects: tuple[ExampleExpect, ...]  # expectations
    span: Span = span_field()


@attrs.frozen
class Value:
    """A literal in an example: a number, a word (是/否, an option, a grade), a list, or rows of lists.

    `是、是、否` is one row of three items; `6、0、0、0；5、1、0、0` is two rows (questionnaire tallies).
    """

    rows: tuple[tuple[Num | str | bool, ...], ...]  # one row of one item for a scalar
    span: Span = span_field()

    @property
    def scalar(self) -> "Num | str | bool | None":
        """The single item of a scalar value, else None."""
        return self.rows[0][0] if len(self.rows) == 1 and len(self.rows[0]) == 1 else None


@attrs.frozen
class Basis:
    """`依据 财预〔2020〕10号`: an authoring profile whose rules the checker applies."""

    name: str  # the profile's name as written
    adjustment: str | None = None  # `权重调整 理由`: the weights differ from the profile's on purpose
    span: Span = span_field()


@attrs.frozen
class Import:
    """`引用 "共性指标.idsl"`: start from another spec's tree."""

    path: str  # relative to the importing file
    span: Span = span_field()


# ---------------------------------------------------------------- the self-evaluation form (附1)

FUNDS_ROWS = ("年度资金总额", "当年财政拨款", "上年结转资金", "其他资金")  # the form's rows, total first
FUNDS_COLUMNS = ("年初预算数", "全年预算数", "全年执行数")  # its columns of figures
# The layouts a form may be printed in (表式): 财预〔2020〕10号 附1, and the 衔接资金 (乡村振兴) county postings'
# variant, whose funds block has no 年初预算数 column and no 上年结转资金 row (idsl.semantics.form_styles).
STYLE_ANNEX, STYLE_XIANJIE = "附1", "衔接资金"
FORM_STYLES = (STYLE_ANNEX, STYLE_XIANJIE)
# The form's text fields, by their attribute name, as the form prints them.
FORM_FIELDS = {"project": "项目名称", "department": "主管部门", "implementer": "实施单位",
               "expected": "预期目标", "achieved": "实际完成情况"}


@attrs.frozen
class FundsCell:
    """One figure of the funds block: written in the spec, blank (—), or the evaluator's (待填)."""

    value: Decimal | None = None  # the figure written; None when blank or to fill
    fill: bool = False  # 待填: the evaluator gives it (an input of the execution-rate leaf)
    span: Span = span_field()


@attrs.frozen
class FundsRow:
    """`年度资金总额：—、387664.62、387664.62`: a row of the funds block, its cells in FUNDS_COLUMNS order."""

    row: str  # one of FUNDS_ROWS
    cells: tuple[FundsCell, ...]  # 年初预算数, 全年预算数, 全年执行数
    span: Span = span_field()
    among: bool = written_field(False)  # `其中：` written before the row


@attrs.frozen
class Form:
    """自评表: the header, funds block, execution-rate leaf and annual goals of 财预〔2020〕10号 附1."""

    project: str | None = None  # 项目名称
    department: str | None = None  # 主管部门
    implementer: str | None = None  # 实施单位
    unit: str = "万元"  # the funds' unit, 项目资金（万元）
    funds: tuple[FundsRow, ...] = ()  # the rows written, in FUNDS_ROWS order
    leaf: Indicator | None = None  # the execution-rate leaf as written (points default to 10)
    expected: str | None = None  # 年度总体目标：预期目标
    achieved: str | None = None  # 年度总体目标：实际完成情况
    span: Span = span_field()
    to_fill: tuple[tuple[str, Span], ...] = added_field(())  # text fields written ？ (a scaffold's), where
    style: str | None = added_field(None)  # 表式, one of FORM_STYLES as written (None: 附1)

    @property
    def xianjie(self) -> bool:
        """Whether the form is laid out as the 衔接资金 variant (表式 衔接资金)."""
        return self.style == STYLE_XIANJIE

    def row(self, name: str) -> FundsRow | None:
        """The funds row of that name, if written."""
        return next((r for r in self.funds if r.row == name), None)


@attrs.frozen
class RescaleTotal:
    """不适用 按实际适用分值折算: a leaf left out (不适用 剔除) rescales the total, not its parent: branches add
    their applicable children, and the total is their scores ÷ the applicable leaves' points × 总分."""

    span: Span = span_field()


@attrs.frozen
class ShareSiblings:
    """不适用 分值平均分配给同级指标: a leaf left out (不适用 剔除) hands its points equally to its applicable
    siblings; each of them then counts its score rate × its points grown by the share (exact, one rounding
    at the parent)."""

    span: Span = span_field()


@attrs.frozen
class Veto:
    """一票否决 (kind 'total': when the condition holds the total is 0; kind 'section': the indicator named
    in `section` is 0) or 一票否优 (kind 'top': the grade may not be the top one; it becomes the next grade written)."""

    kind: str  # 'total' or 'top'
    cond: Cond  # over spec-level inputs
    span: Span = span_field()
    # 一票否决 产出 若 …: the level-1 or level-2 indicator the veto zeroes instead of the total
    section: str | None = added_field(None)


@attrs.frozen
class Classes:
    """`单位类别 行政单位、事业单位`: the classes of unit; every unit gives its class as the shared choice 单位类别."""

    names: tuple[str, ...]  # the classes, in order
    span: Span = span_field()


CLASS_INPUT = "单位类别"  # the shared input a unit's class is given as


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
    bases: tuple[Basis, ...] = added_field(())  # 依据: authoring profiles
    vetoes: tuple[Veto, ...] = added_field(())  # 一票否决 / 一票否优, in the order written
    total_cap: Expr | None = added_field(None)  # 总分上限: the most the total may be, over spec-level inputs
    rank_total: bool = added_field(False)  # 总分排名: the batch results rank the units by their totals
    rescale_total: RescaleTotal | None = added_field(None)  # 不适用 按实际适用分值折算
    share_siblings: ShareSiblings | None = added_field(None)  # 不适用 分值平均分配给同级指标
    classes: "Classes | None" = added_field(None)  # 单位类别: its input is also the first of `inputs`
    grade_limits: tuple = added_field(())  # 等级不高于 … 若 …: ast_limits.GradeLimit, in the order written
    consequences: tuple = added_field(())  # 结果 付费比例: ast_limits.Consequence, bands over the total
    span: Span = span_field()
    form: Form | None = None  # 自评表; its execution-rate leaf is also the first of `indicators`
