"""How each 表式 of the 自评表 is printed: its title, header texts, column order and footnote, for Word and workbook.

附1 (财预〔2020〕10号) puts 年度指标值 and 实际完成值 before 分值; the 衔接资金 (乡村振兴) county postings (中江县水利局
2022, 萧县张庄寨镇 2023) put 分值 first, call the actual 全年实际值, have no 年初预算数 column and no 上年结转资金
row, and print a note on the level-1 points (here as true of the spec). Both lay the form on the same nine
columns: A (a block's label), B–D the three levels, E–G 年度指标值 / 实际完成值 / 分值 in the style's order, H 得分, I the reasons.
"""

from __future__ import annotations

import attrs

from idsl.frontend import ast
from idsl.frontend.form import STYLE_COLUMNS, STYLE_ROWS, row_label
from idsl.semantics.model import Plan
from idsl.semantics.numbers import format_points

# 衔接资金's 注 1 as the 中江县 posting prints it (its stored copy breaks off in 注 3): the level-1 points it fixes
# (财预〔2020〕10号 第十三条's weights), then fixed text on 三级指标's points, then the three tiers 第十六条 gives a
# 定性 indicator. The form prints it as far as it is true of the spec (`style_note`).
XIANJIE_POINTS = (("产出指标", 50), ("效益指标", 30), ("满意度指标", 10), ("预算资金执行率", 10))
_FIXED = "一级指标分值统一设置为：" + "、".join(f"{name}{points}分" for name, points in XIANJIE_POINTS)
_LEVEL_3 = "各部门根据各项指标重要程度确定三级指标的分值，得分最高不能超过该指标分值上限"
_TIERS = "分别按照该指标对应分值区间100-80%（含80%）、80-60%（含60%）、60-0%合理确定得分"
XIANJIE_NOTE = f"1.{_FIXED}，{_LEVEL_3}，{_TIERS}。"


@attrs.frozen
class FormStyle:
    """One 表式: the texts the form prints and where its indicator columns sit (1-based, A = 1)."""

    name: str
    title: str  # the heading above the table
    funds_label: str  # the funds block's label, before （万元）
    figure_titles: tuple[str, ...]  # over the figures, one per column of `columns`
    rate_titles: tuple[str, str, str]  # 分值, 执行率, 得分 of the funds block
    goal_titles: tuple[str, str]  # 预期目标, 实际完成情况 as the form titles them
    indicator_header: tuple[str, ...]  # 一级指标 … the reasons' column, B–I
    target_col: int  # 年度指标值
    actual_col: int  # 实际完成值 / 全年实际值
    points_col: int  # 分值
    contact: bool = False  # a 项目负责人及电话 cell beside 项目名称 (left to fill by hand)
    note: str = ""  # printed under the table

    @property
    def columns(self) -> tuple[str, ...]:
        """The funds columns (of ast.FUNDS_COLUMNS) the form prints."""
        return STYLE_COLUMNS[self.name]

    @property
    def rows(self) -> tuple[str, ...]:
        """The funds rows (of ast.FUNDS_ROWS) the form prints."""
        return STYLE_ROWS[self.name]

    @property
    def xianjie(self) -> bool:
        return self.name == ast.STYLE_XIANJIE

    def row_text(self, row: str) -> str:
        """A funds row's label: 年度资金总额, 其中：当年财政拨款 … as the style prints them."""
        label = row_label(self.name, row)
        if row == ast.FUNDS_ROWS[0]:
            return label + ("：" if self.xianjie else "")
        return ("其中：" if row == ast.FUNDS_ROWS[1] else "") + label

    def place(self, target, actual, points) -> list:
        """年度指标值, 实际完成值 and 分值 in the style's order (columns E–G)."""
        cells = {self.target_col: target, self.actual_col: actual, self.points_col: points}
        return [cells[col] for col in (5, 6, 7)]


ANNEX = FormStyle(
    ast.STYLE_ANNEX, "项目支出绩效自评表", "项目资金", ast.FUNDS_COLUMNS, ("分值", "执行率", "得分"),
    ("预期目标", "实际完成情况"),
    ("一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施"),
    target_col=5, actual_col=6, points_col=7)

XIANJIE = FormStyle(
    ast.STYLE_XIANJIE, "绩效目标自评表", "资金情况", ("全年预算数（A）", "全年执行数（B）"), ("分值", "执行率（B/A）", "得分"),
    ("年初设定目标", "年度总体目标完成情况综述"),
    ("一级指标", "二级指标", "三级指标", "分值", "年度指标值", "全年实际值", "得分", "未完成原因及拟采取的改进措施"),
    target_col=6, actual_col=7, points_col=5, contact=True, note=XIANJIE_NOTE)

_STYLES = {style.name: style for style in (ANNEX, XIANJIE)}


def style_note(plan: Plan, style: FormStyle) -> str:
    """The style's own note as true of `plan`: 衔接资金's 注 1 with the plan's level-1 points (the posting's words
    where they are the points it fixes, else 设置为 and the plan's own, 预算执行率 last), and its sentence on the
    three tiers only where a 定性 indicator is scored in them; 附1 prints none."""
    if not style.note:
        return ""
    rate = plan.nodes[0] if plan.nodes and plan.form is not None and plan.form.leaf is not None else None
    tops = [(node.name, node.points) for node in plan.nodes if node is not rate]
    tops += [(rate.name, rate.points)] if rate is not None else []
    if rate is not None and tops == [*XIANJIE_POINTS[:-1], (rate.name, XIANJIE_POINTS[-1][1])]:
        points = _FIXED  # the points the posting fixes: in its own words
    else:
        points = "一级指标分值设置为：" + "、".join(f"{name}{format_points(p)}分" for name, p in tops)
    tiers = any(isinstance(rule, ast.Qualitative) for rule in _rules(plan))
    return f"1.{points}，{_LEVEL_3}{'，' + _TIERS if tiers else ''}。"


def _rules(plan: Plan):
    """Every rule a leaf (or a 分项 part of one) is scored by."""
    for top in plan.nodes:
        for node in top.walk():
            if node.leaf is not None:
                yield node.leaf.rule
                yield from (part.leaf.rule for part in node.leaf.parts)


def form_style(form: ast.Form | None) -> FormStyle:
    """The style a form is printed in (附1 when it names none).

    >>> form_style(None).title, form_style(ast.Form(style="衔接资金")).indicator_header[3]
    ('项目支出绩效自评表', '分值')
    """
    return _STYLES[form.style] if form is not None and form.style in _STYLES else ANNEX


__all__ = ["ANNEX", "XIANJIE", "XIANJIE_NOTE", "XIANJIE_POINTS", "FormStyle", "form_style", "style_note"]
