"""Each rule kind, defined once: its lowering into one score expression and the facts its reason needs.

`lower_unit` gives a unit's exact result (special cases first, then the rule) before it is
held to its points and rounded; the engines and the checker read nothing else about the rule.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Callable

import attrs

from idsl.frontend import ast
from idsl.semantics import explain as ex
from idsl.semantics import ir
from idsl.semantics.conditions import band_ends, strictness
from idsl.semantics.counts import count_unit, counted
from idsl.semantics.phrases import describe_condition, format_quantity
from idsl.semantics.reasons import case_words, quantity_text
from idsl.semantics.band_parts import band_outcome, constants, count_word, end_quantity, quantity, until_zero
from idsl.semantics.classes import lower_by_class
from idsl.semantics.compound import lower_compound
from idsl.semantics.graded import TIERS, graded_ranges, lower_grades, own_grade, qualitative_ranges
from idsl.semantics.lower import NODATA_SCORE, OVER_CUT
from idsl.semantics.nodata import absent_when, nodata_cases, uncovered_fields
from idsl.semantics.scope import Scope
from idsl.semantics.bounded import goal_of

ITEM = "要素"
SCORE = "得分"
TARGET_OPS = (">=", "<=", "=")  # what 目标 compares with; the checker rejects the rest


@attrs.frozen
class UnitIR:
    """A unit's exact result, and what its sentence needs."""

    exact: ir.Expr  # special cases, then the rule; not yet held to the points nor rounded
    explain: ex.Explain  # the rule's sentence facts
    specials: tuple[ex.SpecialText, ...] = ()  # the special cases, in order
    special_tag: str = ""  # the Cases tag naming the special case that applied
    absent: ir.Cond | None = None  # 无数据时 不适用: where this holds the leaf is left out (§11.15)


def lower_unit(scope: Scope, item: bool = False, reserved: str = "") -> UnitIR:
    """A leaf's, part's or item's score expression (`item`: a penalty/bonus item; `reserved`: the
    prefix of its 要素/得分 fields, `部分名.` when several parts of one leaf use them)."""
    rule = scope.leaf.rule
    if rule is None or isinstance(rule, (ast.Parts, ast.Refine)):  # 待细化 (E452) is a rule still to write
        exact, explain = ir.Fail("规则缺失（E406）：特例都不适用，而这个指标没有评分规则。"), ex.MissingRuleText()
    else:
        exact, explain = _LOWERINGS[type(rule)](rule, scope, item, reserved)
    return with_specials(scope, scope.leaf.specials, exact, explain)


def with_specials(scope: Scope, specials: tuple[ast.Special, ...], exact: ir.Expr, explain: ex.Explain,
                  inputs: dict[str, ast.Input] | None = None) -> UnitIR:
    """The rule's result behind its special cases, tried in order; before them, a blank 可缺 input's case
    (无数据时), so that nothing reads the blank (`inputs`: a leaf of 分项's, with its parts' own)."""
    branches = tuple(ir.Branch(_case_cond(scope, s), ir.Const(scope.points if s.points is None else Fraction(s.points)))
                     for s in specials)
    texts = tuple(_special_text(scope, s) for s in specials)
    read = uncovered_fields(ir.Cases(branches, exact), inputs or scope.inputs)  # a part's own line covers its own
    nodata = scope.leaf.nodata
    judged = scope.ref(NODATA_SCORE) if nodata is not None and nodata.outcome == "discretion" else None
    blank, blank_texts = nodata_cases(nodata, read, scope.points, judged)
    absent = absent_when(nodata, read)
    if not (specials or blank):
        return UnitIR(exact, explain, absent=absent)
    tag = scope.tag("special")
    return UnitIR(ir.Cases(blank + branches, exact, tag), explain, blank_texts + texts, tag, absent)


def _case_cond(scope: Scope, special: ast.Special) -> ir.Cond:
    """A special case applies when its condition holds; a 计分条件 (gate) case when the gate's does not."""
    cond = scope.cond(special.cond)
    return ir.Not(cond) if special.gate else cond


def _special_text(scope: Scope, special: ast.Special) -> ex.SpecialText:
    figures, thresholds = _gate_figures(scope, special)
    return ex.SpecialText(_case_text(scope, special), special.points, figures, thresholds=thresholds)


def _gate_figures(scope: Scope, special: ast.Special) -> tuple[tuple[ex.Quantity, ...], tuple]:
    """The numbers a 计分条件 reads (有效样本), for the reason of a unit that did not meet it, and the numbers
    each is compared with there (the reason shows the figure apart from them)."""
    if not special.gate:
        return (), ()
    figures, thresholds = [], []
    for name in dict.fromkeys(_cond_names(special.cond)):
        decl = scope.inputs.get(name)
        if decl is not None and decl.kind in ("count", "money", "number", "rate", "findings"):
            figures.append(ex.Quantity(name, scope.tag(f"ref:{name}"), decl.kind == "rate", decl.unit))
            thresholds.append(tuple(dict.fromkeys(_compared_with(special.cond, name, decl.unit))))
    return tuple(figures), tuple(thresholds)


def _compared_with(node, name: str, unit: str | None) -> list[Fraction]:
    """The numbers written beside `name` in the comparisons of a condition, in its unit (有效样本 ≥ 30 份: 30)."""
    if isinstance(node, ast.Compare) and any(isinstance(o, ast.Ref) and o.name == name for o in node.operands):
        return [Fraction(o.amount) for o in node.operands if isinstance(o, ast.Num) and o.unit in (None, unit)]
    if isinstance(node, tuple):
        return [number for part in node for number in _compared_with(part, name, unit)]
    if attrs.has(type(node)):
        return [number for field in attrs.fields(type(node)) for number in _compared_with(getattr(node, field.name), name, unit)]
    return []


def _cond_names(node) -> list[str]:
    """The names a condition reads, in the order written."""
    if isinstance(node, ast.Ref):
        return [node.name]
    if isinstance(node, tuple):
        return [name for part in node for name in _cond_names(part)]
    if attrs.has(type(node)):
        return [name for field in attrs.fields(type(node)) for name in _cond_names(getattr(node, field.name))]
    return []


def _case_text(scope: Scope, special: ast.Special) -> str:
    """The case in words, for the reason: 未达到计分条件（有效样本不少于30份） for a gate."""
    words = case_words(special.cond, scope.options, scope.inputs.values())
    return f"未达到计分条件（{words}）" if special.gate else words


# ---------------------------------------------------------------- one lowering per rule kind


def _checklist(rule: ast.Checklist, scope: Scope, item: bool, reserved: str):
    total: ir.Expr = ir.Const(Fraction(0))
    for number, element in enumerate(rule.items, start=1):
        points = element.points if element.points is not None else rule.each
        if points is None and rule.equal and scope.points:  # 均分: exact, even where it does not terminate (5 ÷ 3)
            points = scope.points / len(rule.items)
        if points is None:
            return ir.Fail(f"第 {number} 项要素没有分值（E411）。"), ex.ChecklistText(len(rule.items))
        earned = _element(scope, number, Fraction(points), rule.partial, reserved)
        total = earned if number == 1 else ir.Arith("+", total, earned)
    return total, ex.ChecklistText(len(rule.items))


def _element(scope: Scope, number: int, points: Fraction, partial: bool, reserved: str) -> ir.Expr:
    name = f"{reserved}{ITEM}{number}"
    if partial:  # the evaluator gives the points earned, 0 to the element's points
        return ir.Field(scope.node.key, name, "item", "number", Fraction(0), points, part=scope.part, index=number)
    met = ir.Field(scope.node.key, name, "item", "flag", part=scope.part, index=number)
    return ir.Cases((ir.Branch(ir.IsYes(met), ir.Const(points)),), ir.Const(Fraction(0)))


def _formula(rule: ast.Formula, scope: Scope, item: bool, reserved: str):
    exact = scope.number(rule.expr)
    names = list(dict.fromkeys(n.name for n in _refs(rule.expr)))
    return exact, ex.FormulaText(tuple(quantity(scope, ast.Ref(n), f"ref:{n}") for n in names))


def _bands(rule: ast.Bands, scope: Scope, item: bool, reserved: str):
    subject = ir.Named(scope.tag("subject"), scope.number(rule.subject))
    counting = count_word(scope, rule.subject)
    branches, texts, thresholds = [], [], []
    # 否则 is every value the other bands leave (§11.3), wherever it is written: it is tried last.
    ordered = [b for b in rule.bands if not isinstance(b.cond, ast.Otherwise)]
    ordered += [b for b in rule.bands if isinstance(b.cond, ast.Otherwise)]
    for number, band in enumerate(ordered, start=1):
        low, high = band_ends(band.cond, rule.subject)
        ends = {id(e): ir.Named(scope.tag(f"band{number}.{which}"), scope.number(e, subject))
                for which, e in (("low", low), ("high", high)) if e is not None}
        cond = scope.cond(band.cond, subject, ends, rule.subject)
        thresholds += constants(ends)
        if number == 1 and isinstance(band.cond, ast.Otherwise):  # 否则 alone: it holds for any value of the
            cond = ir.Compare(subject, "=", subject)  # subject, which is still computed (and may fail) first
        text = ex.BandText(*(end_quantity(scope, e, ends, counting) for e in (low, high)),
                           *strictness(band.cond, rule.subject),
                           marked=isinstance(band.cond, ast.Compare) and bool(band.cond.written))
        value, text = band_outcome(band, scope, subject, ends, low, high, number, text, counting)
        branches.append(ir.Branch(cond, value))
        texts.append(text)
    shown = quantity(scope, rule.subject, "subject")
    gap = ir.Fail(f"{shown.name}不在任何一档之内（分档有缺口）。", shown.name, "体系的分档应覆盖所有可能的值；请修改体系。")
    tag = scope.tag("band")
    trend, directions = "", ()
    if rule.trend is not None:  # 趋势: each band is the difference against 0, in the order tried
        trend = "较".join(rule.trend)
        directions = tuple({">": "提高", "=": "持平", "<": "下降"}[b.cond.ops[0]] for b in ordered)
    return ir.Cases(tuple(branches), gap, tag), ex.BandsText(shown, tuple(texts), tag, gap.message, trend, directions,
                                                             tuple(dict.fromkeys(thresholds)))


def _deviation(rule: ast.Deviation, scope: Scope, item: bool, reserved: str):
    value = ir.Named(scope.tag("subject"), scope.number(rule.subject))
    goal = ir.Named(scope.tag("goal"), scope.number(rule.target))
    difference = ir.Arith("-", value, goal)
    gap = ir.Named(scope.tag("gap"), ir.Abs(difference) if rule.absolute else ir.Clamp(difference, Fraction(0), None))
    percent = scope.is_percent(rule.target)
    text = ex.DeviationText(quantity(scope, rule.subject, "subject"),
                            ex.Quantity("", scope.tag("goal"), percent, None if percent else scope.unit_of(rule.target)),
                            format_quantity(rule.step), rule.deduct, rule.rounding,
                            format_quantity(rule.limit) if rule.limit is not None else None,
                            scope.tag("gap"), scope.tag("steps"), scope.tag("beyond"),
                            Fraction(rule.limit.amount) if rule.limit is not None else None, rule.absolute)
    step = Fraction(rule.step.amount)
    if step <= 0:
        return ir.Fail("偏离的步长应大于 0。"), text
    scored: ir.Expr = ir.Steps(gap, step, Fraction(rule.deduct), scope.points, rule.rounding, scope.tag("steps"),
                               scope.floor)
    if rule.until_zero:
        scored = until_zero(gap, step, Fraction(rule.deduct), scope.points, scored, scope.floor)
    if rule.limit is None:
        return scored, text
    beyond = ir.Const(Fraction(rule.beyond_points or 0))  # `超过 10% 得 N 分`; without N, 不得分
    limit = ir.Compare(gap, ">", ir.Const(Fraction(rule.limit.amount)))
    return ir.Cases((ir.Branch(limit, beyond),), scored, scope.tag("beyond")), text


def _per_finding(rule: ast.PerFinding, scope: Scope, item: bool, reserved: str):
    count = ir.Named(scope.tag("count"), scope.number(ast.Ref(rule.subject)))
    deduction: ir.Expr = ir.Arith("*", ir.Const(Fraction(rule.deduct)), count)
    if rule.cap is not None:
        deduction = ir.Clamp(deduction, None, Fraction(rule.cap))
    decl = scope.inputs.get(rule.subject)
    what = counted(rule.subject, count_unit(decl) if decl is not None else None)
    text = ex.PerFindingText(scope.tag("count"), rule.deduct, rule.cap, scope.points, item, what)
    if item:  # a penalty or bonus item: the result is the deduction itself, up to the item's points
        return ir.Clamp(deduction, None, scope.points), text
    return ir.Clamp(ir.Arith("-", ir.Const(scope.points), deduction), scope.floor, None), text


def _choice(rule: ast.Choice, scope: Scope, item: bool, reserved: str):
    label = ir.Named(scope.tag("choice"), scope.ref(rule.input))
    branches = tuple(ir.Branch(ir.Compare(label, "=", ir.Text(o.label)), ir.Const(Fraction(o.points)))
                     for o in rule.options)
    return ir.Cases(branches, ir.Fail("没有这个选项。", rule.input)), ex.ChoiceText(scope.tag("choice"))


def _discretionary(rule: ast.Discretionary, scope: Scope, item: bool, reserved: str):
    low = Fraction(rule.low) if rule.low is not None else Fraction(0)
    high = Fraction(rule.high) if rule.high is not None else scope.points
    field = ir.Field(scope.node.key, f"{reserved}{SCORE}", "score", "number", low, high, part=scope.part)
    return field, ex.DiscretionaryText()


def _qualitative(rule: ast.Qualitative, scope: Scope, item: bool, reserved: str):
    """定性: 第十六条's three tiers over a declared three-option input, lowered as 评级 is."""
    decl = scope.inputs.get(rule.tier)
    text = ex.QualitativeText(scope.tag("choice"))
    if decl is None or decl.kind != "choice" or len(decl.options) != len(TIERS):
        return ir.Fail("定性要用一个有三个选项的选项输入（从高档到低档）。", rule.tier), text
    exact = _judged(scope, rule, qualitative_ranges(decl.options, scope.points), reserved, "没有这个档次。")
    return exact, text


def _graded(rule: ast.Graded, scope: Scope, item: bool, reserved: str):
    """评级: the grade picked (its field 等级), then a score inside that grade's range."""
    text = ex.GradedText(scope.tag("choice"), graded_ranges(rule, scope.points))
    return _judged(scope, rule, text.ranges, reserved, "没有这个等级。"), text


def _judged(scope: Scope, rule: ast.Qualitative, ranges, reserved: str, unknown: str) -> ir.Expr:
    tier = ir.Named(scope.tag("choice"), _tier(scope, rule, reserved))
    field = ir.Field(scope.node.key, f"{reserved}{SCORE}", "score", "number", Fraction(0), scope.points,
                     part=scope.part)
    score = ir.Named(scope.tag("score"), field)
    return lower_grades(tier, score, ranges, f"{reserved}{SCORE}", ir.Fail(unknown, rule.tier))


def _tier(scope: Scope, rule: ast.Qualitative, reserved: str) -> ir.Expr:
    """The grade picked: a declared input as any other; 评级's own 等级 beside its 得分, so in the part's own object
    (`部分名.等级`) where several parts of the leaf take their 得分 there (a grade per part)."""
    ref = scope.ref(rule.tier)
    if reserved and own_grade(rule, scope.inputs.get(rule.tier)) and isinstance(ref, ir.Named) and isinstance(ref.value, ir.Field):
        return attrs.evolve(ref, value=attrs.evolve(ref.value, name=f"{reserved}{rule.tier}"))
    return ref


def short_scores_nothing(rule: ast.Target) -> bool:
    """Whether a target not met earns 0: `，未达标不得分`, or a target of 0 (≤ 0 起, = 0%), against which
    the share completed is 0 ÷ actual. The 评分标准 and the reason both say 未达到不得分 then."""
    return rule.all_or_nothing or (rule.target.amount == 0 and rule.op in ("<=", "="))


def _target(rule: ast.Target, scope: Scope, item: bool, reserved: str):
    actual = ir.Named(scope.tag("actual"), scope.number(ast.Ref(rule.actual)))
    decl = scope.inputs.get(rule.actual)
    unit = decl.unit if decl is not None else None
    goal = goal_of(rule, decl)  # in the input's unit, as a bound on the actual is decided
    percent = rule.target.percent or (decl is not None and decl.kind == "rate")
    shown_unit = None if percent else (unit or rule.target.unit)
    mark = None if rule.pass_mark is None else Fraction(rule.pass_mark) / 100
    cut_tag = scope.tag("cut") if rule.over_cut is not None else ""
    text = ex.TargetText(ex.Quantity(rule.actual, scope.tag("actual"), percent, shown_unit), rule.op,
                         quantity_text(goal, percent, shown_unit), short_scores_nothing(rule), scope.tag("met"),
                         scope.tag("share"), mark, cut_tag, goal)
    if rule.op not in TARGET_OPS:
        return ir.Fail("目标只能写 ≥、≤ 或 =。", rule.actual), text
    if mark is not None and not 0 <= mark < 1:
        return ir.Fail("及格线应在 0% 与 100% 之间（不含 100%）。", rule.actual), text
    met = ir.Compare(actual, rule.op, ir.Const(goal))
    share = ir.Named(scope.tag("share"), ir.Clamp(_share(rule.op, actual, goal), Fraction(0), Fraction(1)))
    if rule.all_or_nothing:
        short: ir.Expr = ir.Const(Fraction(0))
    elif mark is not None:
        short = _rescaled(share, mark, scope.points)
    else:
        short = ir.Arith("*", ir.Const(scope.points), share)
    full: ir.Expr = ir.Const(scope.points)
    if rule.over_cut is not None:
        full, short = _over_cut(rule, scope, cut_tag, short)
    return ir.Cases((ir.Branch(met, full),), short, scope.tag("met")), text


def _over_cut(rule: ast.Target, scope: Scope, tag: str, short: ir.Expr) -> tuple[ir.Expr, ir.Expr]:
    """第十六条: “对完成值高于指标值较多的……按照偏离度适度调减分值” — a met target's points less the deduction
    the evaluator gives (bounded by the spec); a target not met cannot be cut for exceeding it."""
    if rule.op == "=" or not 0 < Fraction(rule.over_cut) <= scope.points:
        return ir.Fail("超额调减只用于 ≥ 或 ≤ 目标，上限应大于 0 且不超过分值。", OVER_CUT), short
    cut = ir.Named(tag, scope.ref(OVER_CUT))
    refused = ir.Fail("未完成指标值，不能超额调减；“超额调减”应为 0。", OVER_CUT)
    return (ir.Arith("-", ir.Const(scope.points), cut),
            ir.Cases((ir.Branch(ir.Compare(cut, ">", ir.Const(Fraction(0))), refused),), short))


def _rescaled(share: ir.Expr, mark: Fraction, points: Fraction) -> ir.Expr:
    """101号 §三(七)2: 0 below the pass mark, else (完成率 − 及格线) ÷ (1 − 及格线) × 分值."""
    above = ir.Arith("*", ir.Arith("-", share, ir.Const(mark)), ir.Const(points / (1 - mark)))
    return ir.Cases((ir.Branch(ir.Compare(share, "<", ir.Const(mark)), ir.Const(Fraction(0))),), above)


def _share(op: str, actual: ir.Expr, goal: Fraction) -> ir.Expr:
    """The share of the target completed: actual ÷ target (≥), target ÷ actual (≤), the smaller of both (=)."""
    zero = ir.Compare(actual, "=", ir.Const(Fraction(0)))
    if op == ">=":
        return ir.Arith("*", actual, ir.Const(1 / goal)) if goal else ir.Const(Fraction(1))
    inverse = ir.Div(ir.Const(goal), actual, "分母为 0。")
    if op == "<=":
        return ir.Cases((ir.Branch(zero, ir.Const(Fraction(1))),), inverse)
    if goal == 0:
        return ir.Const(Fraction(0))
    both = ir.Extreme(False, (ir.Arith("*", actual, ir.Const(1 / goal)), inverse))
    return ir.Cases((ir.Branch(zero, ir.Const(Fraction(0))),), both)


# 101号 §三(七)2's bands for a project not yet completed: the least rate of each and its share of the points
INTERVALS = ((Fraction(4, 5), Fraction(7, 10)), (Fraction(3, 5), Fraction(1, 2)))
_UNSCORED_HINT = "101号未规定这种情况的得分；请在体系中用「若 … 则 …」写明。"


def _intervals(rule: ast.Intervals, scope: Scope, item: bool, reserved: str):
    """101号: completed and within the budget, full points; not completed, 80%–100% 7/10, 60%–80% 5/10, else 0."""
    rate = ir.Named(scope.tag("subject"), scope.number(ast.Ref(rule.rate)))
    done = ir.IsYes(ir.Named(scope.tag("completed"), scope.ref(rule.completed)))
    whole = ir.Const(Fraction(1))
    branches = [ir.Branch(ir.All((done, ir.Compare(rate, "<=", whole))), ir.Const(scope.points)),
                ir.Branch(done, ir.Fail(f"项目已完成，但{rule.rate}高于100%（执行数超出年度预算）。", rule.rate,
                                        _UNSCORED_HINT)),
                ir.Branch(ir.Compare(rate, ">=", whole), ir.Fail(f"项目尚未完成，{rule.rate}却不低于100%。", rule.rate,
                                                                 _UNSCORED_HINT))]
    branches += [ir.Branch(ir.Compare(rate, ">=", ir.Const(least)), ir.Const(share * scope.points))
                 for least, share in INTERVALS]
    tag = scope.tag("band")
    text = ex.IntervalsText(quantity(scope, ast.Ref(rule.rate), "subject"), rule.completed, tag)
    return ir.Cases(tuple(branches), ir.Const(Fraction(0)), tag), text


def _refs(expr: ast.Expr) -> list[ast.Ref]:
    """The names an expression uses, in order."""
    if isinstance(expr, ast.Ref):
        return [expr]
    if isinstance(expr, ast.BinOp):
        return _refs(expr.left) + _refs(expr.right)
    if isinstance(expr, ast.Neg):
        return _refs(expr.operand)
    if isinstance(expr, ast.Call):
        return [r for a in expr.args for r in _refs(a)]
    return []


_LOWERINGS: dict[type, Callable] = {
    ast.Checklist: _checklist, ast.Formula: _formula, ast.Bands: _bands, ast.Compound: lower_compound, ast.Deviation: _deviation,
    ast.PerFinding: _per_finding, ast.Choice: _choice, ast.Discretionary: _discretionary,
    ast.Qualitative: _qualitative, ast.Graded: _graded, ast.Target: _target, ast.Intervals: _intervals,
}
_LOWERINGS[ast.ByClass] = lambda rule, scope, item, reserved: lower_by_class(rule, scope, item, reserved, _LOWERINGS)

__all__ = ["INTERVALS", "ITEM", "SCORE", "TARGET_OPS", "TIERS", "UnitIR", "lower_unit", "with_specials"]
