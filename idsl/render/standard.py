"""The 评分标准 text of a leaf, generated from its rule in the register of the seeds' tables.

One public verb, `standard_text`: the Word table prints it, so the table and the scorer read the
same rule and can never disagree. Where the author attached verbatim text (`评分标准 …`), that
text is printed instead. Each rule kind's sentence is written in `idsl.render.standard_rules`; the
phrases themselves (numbers, conditions, awards) live in `idsl.semantics.phrases`, shared with the
scorer's reasons.

The text is one or more lines joined by "\\n": the definitions of the quantities the rule uses,
the rule, its special cases, and what happens when the indicator does not apply. The Word table
prints each line as a paragraph of the cell.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Iterator

import attrs

from idsl.frontend import ast
from idsl.semantics.applies import gate_of
from idsl.semantics.pools import standard_line
from idsl.semantics.model import LeafPlan, Node
from idsl.semantics.series import label_text
from idsl.semantics.grade_limits import limit_text, valid
from idsl.semantics.program import veto_text
from idsl.semantics.counts import count_units, counted, zero_words
from idsl.semantics.phrases import definition_text, expr_text, points_text, strip_end
from idsl.semantics.reasons import case_words, option_words
from idsl.memo import Memo
from idsl.render.standard_rules import RuleWriter
from idsl.render.standard_nodata import nodata_line

KINDS = ("score", "penalty", "bonus")  # a tree leaf, a penalty item (扣分), a bonus item (加分)


def standard_text(node_or_leaf: Node | LeafPlan, points: Decimal | None = None, *, kind: str = "score",
                  not_applicable: str | None = None, places: int | None = None) -> str:
    """The 评分标准 text of a leaf (a Node, or a LeafPlan with its points); "" for a branch.

    `kind` is "penalty" or "bonus" for the items of a 逆向指标 / 加分项 block (their points are the
    item's cap). A Node's verbatim `standard` wins over the generated text. With `places` (the spec's
    小数), a fixed award is printed as it scores: 得 4.45 分 at one decimal reads 得4.5分.

    >>> from idsl.semantics.lower import lower
    >>> from idsl.frontend.resolve import load_text
    >>> from idsl.frontend.source import Source
    >>> text = '''体系 "例" 总分 5
    ... 决策（5）
    ...   目标设定（5）
    ...     合理性（3）
    ...       要素 每项 1 分
    ...         - 是否符合规划
    ...         - 是否符合职责
    ...         - 目标是否合理
    ...     安排率（2）
    ...       输入 重点：金额 万元，总额：金额 万元
    ...       安排率 = 重点 / 总额
    ...       分档 安排率：安排率 ≥ 80% 得 2 分；80% > 安排率 ≥ 60% 每降低 1% 扣 0.1 分；安排率 < 60% 得 0 分
    ... '''
    >>> plan = lower(load_text(Source("t.idsl", text)).spec)
    >>> for leaf in plan.leaves():
    ...     print(standard_text(leaf))
    ①是否符合规划；②是否符合职责；③目标是否合理。以上要素各占1/3权重分，符合得1分，不符合得0分。
    安排率=重点/总额×100%。
    安排率≥80%得2分，60%—80%每降低1%扣0.1分，低于60%得0分。
    """
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}, not {kind!r}")
    if isinstance(node_or_leaf, Node):
        node = node_or_leaf
        if node.standard:
            return node.standard.strip()
        if node.leaf is None:
            return ""
        leaf = node.leaf
        points = node.points if points is None else points
        not_applicable = node.not_applicable if not_applicable is None else not_applicable
        reason_below = node.reason_below
    else:
        leaf, reason_below = node_or_leaf, False
    if places is not None and leaf.places is not None:  # the leaf's own 小数 N 位 (§11.14)
        places = leaf.places
    # Kept by the leaf's identity (the leaf kept alive in the entry, so its id is not reused): the
    # workbench redraws the table at every keystroke, and lowering hands back unchanged leaves as they were.
    _kept_alive, text = _STANDARDS.get(
        (kind, points, not_applicable, places, reason_below, id(leaf)),
        lambda: (leaf, "\n".join(_Writer(kind, points, places, count_units(leaf.inputs), zero_words(leaf.inputs))
                                 .leaf_lines(leaf, not_applicable, reason_below))))
    return text


_STANDARDS = Memo(20000)
_NOT_APPLICABLE = {  # what 不适用 does, after “本指标不适用的，”
    "exclude": "予以剔除，上级指标按其余指标的得分折算。",
    "exclude-total": "予以剔除，总分按实际适用分值折算。",  # 不适用 按实际适用分值折算
    "exclude-share": "予以剔除，其分值平均分配给同级其他指标。",  # 不适用 分值平均分配给同级指标
    "full": "得满分。",
}


@attrs.frozen
class _Writer(RuleWriter):
    """A leaf's whole text: the definitions, its rule (RuleWriter's), the special cases and lines after the rule."""

    # -- a leaf: definitions, rule, special cases, not applicable

    def leaf_lines(self, leaf: LeafPlan, not_applicable: str | None = None, reason_below: bool = False) -> list[str]:
        lines = list(self.definitions(leaf))
        rule = leaf.rule
        if isinstance(rule, ast.Discretionary) and rule.high is not None and rule.high == 0 and leaf.specials:
            # `若 受到处罚 则 得满分` over `酌情 0～0 分`: the special cases are the rule.
            lines.extend(self.special_lines(leaf.specials, leaf))
            lines.append(f"其他情况{self.award(Decimal(0))}。")
        else:  # a 计分条件 first (scoring needs it), then the rule, then the special cases
            gates = tuple(s for s in leaf.specials if s.gate)
            lines.extend(self.special_lines(gates, leaf))
            lines.extend(self.rule_lines(leaf))
            lines.extend(self.special_lines(tuple(s for s in leaf.specials if not s.gate), leaf))
        lines.extend(series_lines(leaf))
        lines.extend(adjust_lines(leaf.adjusts, leaf.floor, self.counts))
        lines.extend(limit_lines(leaf))
        wanted = _names_in((leaf.rule, leaf.specials, tuple(d.expr for d in leaf.derived)))
        nodata = nodata_line(leaf, _NOT_APPLICABLE.get(not_applicable or "", "") or _NOT_APPLICABLE["exclude"],
                             self.outcome, _names_in)
        if nodata:
            lines.append(nodata)
        for decl in leaf.inputs:  # 缺失取平均 (§11.10)
            if decl.fill_mean and decl.name in wanted:
                lines.append(f"{decl.name}缺失的，取参评单位{decl.name}的平均值。")
        if reason_below:
            lines.append("扣分的，须说明扣分理由。")
        tail = _NOT_APPLICABLE.get(not_applicable or "")
        if tail is not None:
            gate = gate_of(leaf.applies)  # 适用 若: the answer the leaf applies under, then what happens otherwise
            if gate is None and nodata and leaf.nodata is not None and leaf.nodata.outcome == "na":
                pass  # 无数据时 不适用: the line above says when and how
            elif gate is None:
                lines.append(f"本指标不适用的，{tail}")
            else:
                answer = "" if gate.wanted else "为“否”"
                lines.append(f"{gate.name}{answer}的，适用本指标；否则本指标不适用，{tail}")
        return lines

    def definitions(self, leaf: LeafPlan) -> Iterator[str]:
        """The derived quantities and questionnaire rates the rule and special cases use, in declaration order."""
        wanted = _names_in((leaf.rule, leaf.specials)) if not isinstance(leaf.rule, ast.Parts) else set()
        derived = {d.name: d for d in leaf.derived}
        pending = list(wanted)
        while pending:  # a derived quantity defined through others needs theirs too
            name = pending.pop()
            if name in derived:
                for used in _names_in(derived[name].expr) - wanted:
                    wanted.add(used)
                    pending.append(used)
        for questionnaire in leaf.questionnaires:
            if questionnaire.name in wanted:
                yield _questionnaire_text(questionnaire)
        inputs, derived_by_name, _ = leaf.scope_tables()
        for d in leaf.derived:
            if d.name in wanted and not any(q.name == d.name for q in leaf.questionnaires):
                yield definition_text(d.name, d.expr, inputs, derived_by_name) + "。"

    def outcome(self, points: Decimal | None) -> str:
        """What a case awards: 本项不得分, 本项得满分, 得2分."""
        if self.kind == "score" and points is not None and points == 0:
            return "本项不得分"
        if self.kind == "score" and points is None:
            return "本项得满分"
        return self.award(self.fixed(points))

    def special_lines(self, specials: tuple[ast.Special, ...], leaf: LeafPlan) -> Iterator[str]:
        """如<condition>，则<outcome>。 for each special case, its condition in the reason's words (case_words)."""
        for special in specials:
            condition = case_words(special.cond, option_words(leaf), leaf.inputs)
            outcome = self.outcome(special.points)
            if special.gate:  # 计分条件: the condition scoring needs, then what happens without it
                yield f"{condition}方予计分，否则{outcome}。"
                continue
            yield f"如{condition}，则{outcome}。"

    def rule_lines(self, leaf: LeafPlan) -> list[str]:
        rule = leaf.rule
        if rule is None:
            return ["（未给出评分规则）"]
        if isinstance(rule, ast.Parts):
            return self.parts(leaf)
        if isinstance(rule, ast.ByClass):  # 按类别: 行政单位：…；one line per branch, its classes first
            return [f"{'、'.join(b.classes)}：{self.rule_text(b.rule)}" for b in rule.branches]
        return [self.rule_text(rule)]

    def parts(self, leaf: LeafPlan) -> list[str]:
        lines = []
        for part in leaf.parts:
            writer = _Writer(self.kind, part.points, counts={**self.counts, **count_units(part.leaf.inputs)},
                             zeros={**self.zeros, **zero_words(part.leaf.inputs)})
            body = "".join(writer.leaf_lines(part.leaf))
            lines.append(f"{part.name}（{points_text(part.points)}分）：{strip_end(body)}；")
        lines.append("本指标得分=各分项得分之和。")
        return lines


def adjust_lines(adjusts: tuple[ast.ScoreAdjust, ...], floor: Decimal | None = None,
                 counts: dict[str, str] | None = None) -> list[str]:
    """The lines after the rule (§11.12): 另扣、另加、酌情扣分, then how far they move the score.

    The line names what it counts, so each one is its counting word: 另按违规次数每次扣0.5分."""
    lines = []
    for adjust in adjusts:
        if adjust.kind == "discretion":
            lines.append(f"存在其他影响因素的，酌情扣分，最多扣{points_text(adjust.cap)}分，须说明理由。")
            continue
        each = "每" + counted(adjust.subject or "", (counts or {}).get(adjust.subject or "")).measure
        if adjust.cap is None:  # 扣完为止: the score before the line is the most it takes
            lines.append(f"另按{adjust.subject}{each}扣{points_text(adjust.each)}分，扣完为止。")
            continue
        verb = "加" if adjust.kind == "add" else "扣"
        lines.append(f"另按{adjust.subject}{each}{verb}{points_text(adjust.each)}分，最多{verb}{points_text(adjust.cap)}分。")
    if adjusts:
        least = points_text(floor) if floor is not None and floor < 0 else "0"
        lines.append(f"扣减、加分后的得分不低于{least}分，不超过本指标分值。")
    return lines


def series_lines(leaf: LeafPlan) -> list[str]:
    """Which years or sub-projects a series input is given for (§7.1): 进度按2022—2024年逐年填列。"""
    groups: dict[tuple, list[str]] = {}
    for decl in leaf.inputs:
        if decl.series is not None and decl.name not in leaf.shared:
            bases = groups.setdefault((decl.series.word, decl.series.first, decl.series.last), [])
            if decl.series.base not in bases:
                bases.append(decl.series.base)
    lines = []
    for (word, first, last), bases in groups.items():
        labels = label_text(ast.Series(bases[0], word, first, last, first))
        each = "逐年" if word == "year" else "逐个子项目"
        lines.append(f"{'、'.join(bases)}按{labels}{each}填列。")
    return lines


def limit_lines(leaf: LeafPlan) -> list[str]:
    """A leaf's own floor and decimals (§11.14): 扣完为止，最低得-2分。本指标得分保留4位小数。"""
    lines = []
    if leaf.floor is not None and leaf.floor < 0 and not leaf.adjusts:  # with adjusts, their line says it
        lines.append(f"本指标可为负分，最低得{points_text(leaf.floor)}分。")
    if leaf.places is not None:
        lines.append(f"本指标得分保留{leaf.places}位小数。")
    return lines


def veto_lines(plan) -> list[str]:
    """一票否决 and 一票否优 in the tables' words: 一票否决：如发生重大事故，总分为0分。

    >>> from idsl.semantics.model import Plan
    >>> grades = (ast.GradeBand("优", ast.Otherwise()), ast.GradeBand("良", ast.Otherwise()))
    >>> vetoes = (ast.Veto("total", ast.Compare((ast.Ref("发生重大事故"),), ())),
    ...           ast.Veto("top", ast.Compare((ast.Ref("被通报"),), ())))
    >>> veto_lines(Plan("t", Decimal(100), 2, grades, (), vetoes=vetoes))
    ['一票否决：如发生重大事故，总分为0分。', '一票否优：如被通报，等级最高为良。']
    """
    lines = [line for line in (veto_text(plan, veto) for veto in plan.vetoes) if line]
    if plan.total_cap is not None:
        lines.append(f"总分上限：总分不超过{expr_text(plan.total_cap)}（分值即总分{points_text(plan.total)}分）。")
    lines.extend(limit_text(limit) for limit in plan.grade_limits if valid(plan, limit))
    if plan.rescale_total:
        lines.append(f"不适用指标予以剔除，总分按实际适用分值折算：总分=适用指标得分之和÷适用指标分值之和×"
                     f"{points_text(plan.total)}。")
    if plan.share_siblings:
        lines.append("不适用指标予以剔除，其分值平均分配给同级其他适用指标：各指标得分=得分率×（原分值+分得的分值），"
                     "上级指标得分为其合计，只在合计时四舍五入。")
    return lines


def pool_text(plan, node: Node) -> str | None:
    """择一 / 任选 k 项 / 取最高 k 项: the sentence closing an alternative's 评分标准; None for any other leaf."""
    parent = plan.find(node.path[:-1]) if len(node.path) > 1 else None
    if parent is None or parent.pool is None:
        return None
    return standard_line(parent.pool, [child.name for child in parent.children], node.name)


def with_pool(plan, node: Node, text: str) -> str:
    """A leaf's 评分标准 with its pool's sentence, where it is an alternative."""
    line = pool_text(plan, node)
    return text if line is None else f"{text}\n{line}" if text else line


def not_applicable_text(plan, node: Node) -> str | None:
    """How a leaf's 不适用 reads in this plan: 剔除 rescales the total where the spec says 按实际适用分值折算,
    and hands the points to the siblings where it says 分值平均分配给同级指标."""
    if node.not_applicable == "exclude" and plan.rescale_total:
        return "exclude-total"
    if node.not_applicable == "exclude" and plan.share_siblings:
        return "exclude-share"
    return node.not_applicable


def _questionnaire_text(questionnaire: ast.Questionnaire) -> str:
    options = "、".join(f"{letter}得{points_text(score)}分" for letter, score in questionnaire.options)
    return (f"{questionnaire.name}=问卷实际得分总计/问卷满分总计×100%"
            f"（问卷共{len(questionnaire.questions)}题，每题选项{options}）。")


def _names_in(node) -> set[str]:
    """Every name a rule, condition or expression refers to."""
    found: set[str] = set()
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, ast.Ref):
            found.add(item.name)
        elif isinstance(item, (tuple, list)):
            stack.extend(item)
        elif attrs.has(type(item)):
            if isinstance(item, (ast.Target, ast.PerFinding)):
                found.add(item.actual if isinstance(item, ast.Target) else item.subject)
            stack.extend(getattr(item, f.name) for f in attrs.fields(type(item)) if f.name != "span")
    return found


__all__ = ["KINDS", "not_applicable_text", "standard_text"]
