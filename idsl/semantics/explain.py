"""How a scored unit's reason (得分原因) is worded: static facts from lowering, numbers from the trace.

Lowering records, next to each unit's score expression, what its sentence needs that is known
in advance (names, units, the text of a band's ends); the interpreter's trace supplies the
numbers the evaluation met (the subject, the steps counted, which band was chosen). `word`
puts them together with the phrase builders of `idsl.semantics.reasons`, so the sentence
describes exactly the evaluation that gave the score.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Mapping, Sequence, Union

import attrs

from idsl.frontend.ast_exprs import added_field
from idsl.semantics import reasons
from idsl.semantics.apart import base_places, places_apart
from idsl.semantics.bounded import SIGNS
from idsl.semantics.numbers import format_percent, format_points
from idsl.semantics.counts import Counted
from idsl.semantics.reasons import Shown, quantity_text


@attrs.frozen
class Quantity:
    """A named value of the trace as a sentence shows it: its name, % or unit, and trace name."""

    name: str  # what the sentence calls it
    tag: str  # its name in the trace
    percent: bool = False  # shown as a percentage
    unit: str | None = None  # shown after the number
    none: str = ""  # a count of 0 in the 评分标准's words: 未发现问题

    def shown(self, trace: Mapping[str, object], places: int | None = None) -> Shown:
        """The quantity with its value from the trace (`places`: its decimals, beside a threshold)."""
        return Shown(self.name, trace[self.tag], self.percent, self.unit, self.none, places)  # type: ignore[arg-type]

    def text(self, trace: Mapping[str, object], places: int | None = None) -> str:
        """Its value with % or unit: 80%, 10万元."""
        return quantity_text(trace[self.tag], self.percent, self.unit, places)  # type: ignore[arg-type]

    def apart(self, trace: Mapping[str, object], ends: Sequence[object]) -> int | None:
        """The decimals it is shown with beside `ends` it was compared with (exact values, in its own terms), so
        that the sentence never reads it as equal to an end it is not, nor on the wrong side; None: as usual."""
        places = places_apart(trace.get(self.tag), ends, self.percent)
        return None if places == base_places(self.percent) else places


def _ends(subject: Quantity, ends: Sequence[Quantity | None], trace: Mapping[str, object],
          written: Sequence[Fraction] = ()) -> int | None:
    """The decimals a subject and the band ends shown beside it take (Quantity.apart), kept apart from the ends
    `written` in the rule too (the 评分标准 shows them: 59.9999% is not shown as 60% under 否则 below ≥ 60%); an end
    shown in other terms than the subject (a percentage beside a number) keeps its own decimals."""
    values = [trace.get(end.tag) for end in ends if end is not None and end.percent == subject.percent]
    return subject.apart(trace, [*values, *written])


def _end_text(end: Quantity, subject: Quantity, trace: Mapping[str, object], places: int | None) -> str:
    """A band end beside its subject, with the subject's decimals when it is shown in the same terms."""
    return end.text(trace, places if end.percent == subject.percent else None)


@attrs.frozen
class SpecialText:
    """A special case (若 … 则 …): its condition in words and the points it gives."""

    condition: str  # 实际采购金额大于采购计划金额
    points: Decimal | None  # None for full points
    figures: tuple[Quantity, ...] = ()  # a 计分条件's inputs, shown with the unit's values (有效样本为20份)
    judged: str = ""  # 无数据时 酌情: the range the evaluator scores in (1～3分), shown with the 理由
    thresholds: tuple[tuple[Fraction, ...], ...] = ()  # per figure, the numbers the condition compares it with


@attrs.frozen
class ChecklistText:
    """要素法: how many elements there are (the marks come with the inputs)."""

    count: int


@attrs.frozen
class FormulaText:
    """得分 = …: the quantities the formula uses, in order."""

    quantities: tuple[Quantity, ...]


@attrs.frozen
class BandText:
    """One band: its ends (for 低于80% / 在60%～80%之间) and, for a linear one, its deduction."""

    low: Quantity | None = None  # the lower end, when the band has one
    high: Quantity | None = None  # the upper end
    strict_low: bool = False  # the lower end is excluded (>)
    strict_high: bool = False  # the upper end is excluded (<)
    linear: bool = False  # 每降低 … 扣 … (else a fixed award)
    full: bool = False  # a fixed award of the full points (its sentence need not say where the subject fell)
    direction: str = "down"  # 'down' (anchored at the upper end) or 'up'
    step: str = ""  # the step as written: 1%
    per: Decimal = Decimal(0)  # points per step
    rounding: str | None = None  # how part of a step counts
    steps_tag: str = ""  # the steps counted, in the trace
    until_zero: bool = False  # 扣完为止: the deductions stop at 0
    marked: bool = False  # the ends written the tables' way, `80%（含）～90%`: the reason marks them so too
    deducted: Decimal | None = added_field(None)  # `扣 1 分` as written: the reason says the deduction, then the score


@attrs.frozen
class BandsText:
    """分档: the subject and every band; the chosen band is the trace's `tag`."""

    subject: Quantity
    bands: tuple[BandText, ...]
    tag: str  # the Cases tag naming the chosen band
    gap: str = ""  # the failure's message when no band holds
    trend: str = ""  # 趋势: 本年满意率较上年满意率 (the subject is their difference)
    directions: tuple[str, ...] = ()  # 趋势: 提高, 持平 or 下降 per band
    thresholds: tuple[Fraction, ...] = ()  # every band's ends written as numbers: the subject is shown apart from them


def gap_text(name: str, shown: str) -> str:
    """A band gap's failure naming the value that fell between the bands, in both engines' words.

    >>> gap_text("安排率", "55%")
    '安排率为55%，不在任何一档之内（分档有缺口）。'
    """
    return f"{name}为{shown}，不在任何一档之内（分档有缺口）。"


@attrs.frozen
class CompoundText:
    """分档 over two subjects: both values, every band (in the order tried) and the band chosen."""

    first: Quantity  # the first subject (是否按期完成)
    second: Quantity  # the second (完成率), along which a linear band steps
    bands: tuple[BandText, ...]  # in the order tried
    words: tuple[str, ...]  # each band as written: 否，完成率≥95%
    tag: str  # the Cases tag naming the chosen band
    thresholds: tuple[tuple[Fraction, ...], tuple[Fraction, ...]] = ((), ())  # each subject's ends written as numbers


@attrs.frozen
class DeviationText:
    """偏离: the subject, the goal, the step and what lies past the limit."""

    subject: Quantity
    goal: Quantity
    step: str  # as written: 1%
    per: Decimal  # points per step
    rounding: str | None
    limit: str | None  # as written: 10%; None without a limit
    gap_tag: str  # the deviation, in the trace
    steps_tag: str  # the steps counted
    beyond_tag: str  # the Cases tag: 1 when past the limit
    limit_value: Fraction | None = None  # the limit itself, in the subject's terms
    absolute: bool = True  # a deviation below the goal counts too


@attrs.frozen
class PerFindingText:
    """按项扣分: the count of findings and the deduction."""

    count_tag: str  # the findings, in the trace
    per: Decimal  # points per finding
    cap: Decimal | None  # the most deducted
    points: Fraction  # the unit's points
    item: bool  # a penalty item: the result is the deduction itself
    counted: Counted = Counted("问题", "项")  # what is counted, as the 评分标准 says it (每发现一项问题)


@attrs.frozen
class ChoiceText:
    """选择: the chosen label is in the trace."""

    tag: str


@attrs.frozen
class DiscretionaryText:
    """酌情: the evaluator's reason comes with the inputs."""


@attrs.frozen
class QualitativeText:
    """定性: the tier the evaluator picked, then the reason as for 酌情."""

    tag: str  # the tier's name in the trace


@attrs.frozen
class GradedText:
    """评级: the grade the evaluator picked and its range, then the reason when one is given."""

    tag: str  # the grade's name in the trace
    ranges: tuple = ()  # the grades' TierRange, as written


@attrs.frozen
class TargetText:
    """目标: actual against goal, met or not, the share completed."""

    actual: Quantity
    op: str  # '>=', '<=', '=', …
    goal: str  # the goal as the sentence shows it: ≥41.94万人 → 41.94万人
    all_or_nothing: bool
    met_tag: str  # the Cases tag: 1 when met
    share_tag: str  # the share completed
    pass_mark: Fraction | None = None  # `及格 60%` as 3/5: the share below which the score is 0
    cut_tag: str = ""  # the over-achievement deduction in the trace ('' when the target allows none)
    goal_value: Fraction | None = None  # the goal itself, shown with the actual value's decimals beside it


@attrs.frozen
class IntervalsText:
    """区间赋分 (101号): the rate, whether the project was completed, and the band chosen."""

    rate: Quantity  # the execution rate
    completed: str  # the yes/no input's name
    tag: str  # the chosen band in the trace (1: completed within the budget)


@attrs.frozen
class MissingRuleText:
    """No rule (only special cases): the sentence comes from the failure."""


@attrs.frozen
class ClassText:
    """按类别: each class (in the order tried) and the sentence facts of its branch's rule."""

    tag: str  # the chosen case in the trace (1-based, one case per class)
    classes: tuple[str, ...]  # the class of each case
    explains: tuple["Explain", ...]  # the sentence facts of each case's rule


Explain = Union[ClassText, ChecklistText, FormulaText, BandsText, CompoundText, DeviationText, PerFindingText, ChoiceText, DiscretionaryText,
                QualitativeText, GradedText, TargetText, IntervalsText, MissingRuleText]


@attrs.frozen
class Given:
    """What the evaluator gave a unit besides its fields: checklist marks and the reason."""

    marks: Sequence[tuple[Fraction, str]] = ()  # (points earned, 'met' | 'unmet' | 'partial') per element
    reason: str | None = None  # 理由
    bounds: tuple[tuple[str, str], ...] = ()  # actuals known only as a bound: (input, its op '>=' …)


def word(explain: Explain, specials: Sequence[SpecialText], special_tag: str, trace: Mapping[str, object],
         score: Decimal, points: Fraction, given: Given, verb: str = "得") -> str:
    """The sentence for one unit: the special case that applied, else the rule's own."""
    chosen = trace.get(special_tag, 0) if special_tag else 0
    if chosen:
        special = specials[int(chosen) - 1]  # type: ignore[call-overload]
        ends = special.thresholds or ((),) * len(special.figures)
        shown = [f"{q.name}为{q.text(trace, q.apart(trace, e))}" for q, e in zip(special.figures, ends)
                 if isinstance(trace.get(q.tag), Fraction)]
        condition = ("本单位" + "，".join(shown) + "，" if shown else "") + special.condition
        if special.judged:  # 无数据时 酌情 (§11.15): the evaluator's score, with the reason given
            why = (given.reason or "").strip().rstrip("。；;.")
            condition += f"，酌情给分（{special.judged}）" + (f"：{why}" if why else "")
        return reasons.special(condition, special.points, score, verb)
    return _WORDERS[type(explain)](explain, trace, score, points, given, verb)


def _checklist(explain: ChecklistText, trace, score, points, given: Given, verb) -> str:
    met = sum(1 for _p, state in given.marks if state == "met")
    partial = sum(1 for _p, state in given.marks if state == "partial")
    return reasons.checklist(explain.count, met, partial, score, given.reason, verb)


def _formula(explain: FormulaText, trace, score, points, given, verb) -> str:
    shown = [q.shown(trace) for q in explain.quantities if isinstance(trace.get(q.tag), Fraction)]
    return reasons.formula(shown, score, verb)


def _bands(explain: BandsText, trace, score, points, given, verb) -> str:
    number = int(trace[explain.tag])  # type: ignore[call-overload]
    band = explain.bands[number - 1]
    if explain.trend:  # 本年满意率较上年满意率下降（相差-2%），得0分。 (提高, 持平 or 下降: the change against 0)
        change = explain.subject.text(trace, explain.subject.apart(trace, [Fraction(0)]))
        return reasons.sentence(f"{explain.trend}{explain.directions[number - 1]}（相差{change}）",
                                _deducted(band, verb), reasons.points_phrase(score, verb))
    if band.linear:
        return _linear(explain.subject, band, trace, score, verb, explain.thresholds)
    places = _ends(explain.subject, (band.low, band.high), trace, explain.thresholds)
    where = None if number == 1 or band.full else _where(band, explain.subject, trace, places)  # the top band: none
    return reasons.fixed_band(explain.subject.shown(trace, places), where, score, verb, _deducted(band, verb))


def _linear(subject: Quantity, band: BandText, trace, score, verb, written: Sequence[Fraction]) -> str:
    """A linear band's sentence: the subject beside the end its steps are counted from."""
    anchor = band.high if band.direction == "down" else band.low
    assert anchor is not None  # a linear band without its anchor fails before it is worded
    places = _ends(subject, (anchor,), trace, written)
    steps = trace.get(band.steps_tag)  # not counted past the point where 扣完为止 left 0
    return reasons.linear_band(subject.shown(trace, places), band.direction, _end_text(anchor, subject, trace, places),
                               band.step, band.per, band.rounding, steps, score, verb, band.until_zero)  # type: ignore[arg-type]


def _deducted(band: BandText, verb: str) -> str:
    """扣1分 (不扣分) before the score a `扣 1 分` band leaves; a penalty item's sentence already says 扣1分 as its score."""
    if band.deducted is None or verb != "得":
        return ""
    return "不扣分" if band.deducted == 0 else f"扣{format_points(band.deducted)}分"


def _where(band: BandText, subject: Quantity, trace, places: int | None) -> str | None:
    """低于70% / 在60%～80%之间 / 高于100%: where the subject fell (its ends with the subject's decimals)."""
    low = _end_text(band.low, subject, trace, places) if band.low is not None and band.low.tag in trace else None
    high = _end_text(band.high, subject, trace, places) if band.high is not None and band.high.tag in trace else None
    if low is not None and high is not None and band.marked:
        return f"在{low}{'' if band.strict_low else '（含）'}～{high}{'' if band.strict_high else '（含）'}之间"
    if low is not None and high is not None:
        return None if low == high else f"在{low}～{high}之间"  # = 1: the value itself says where it fell
    if high is not None:
        return ("低于" if band.strict_high else "不高于") + high
    if low is not None:
        return ("高于" if band.strict_low else "不低于") + low
    return None


def _compound(explain: CompoundText, trace, score, points, given, verb) -> str:
    """是否按期完成为否，完成率为96%，属“否，完成率≥95%”一档，得2分。 A count of none reads as its band does:
    是否按期整改为是，未发现剩余问题，属“是，未发现剩余问题”一档 (reasons.is_)."""
    number = int(trace[explain.tag])  # type: ignore[call-overload]
    band = explain.bands[number - 1]
    first, (written_first, written_second) = trace[explain.first.tag], explain.thresholds
    head = (reasons.is_(explain.first.shown(trace, explain.first.apart(trace, written_first)))
            if isinstance(first, Fraction) else f"{explain.first.name}为{_word(first)}")
    if band.linear:  # the steps along the second subject, worded as a linear band is
        return head + "，" + _linear(explain.second, band, trace, score, verb, written_second)
    places = _ends(explain.second, (band.low, band.high), trace, written_second)
    second = reasons.is_(explain.second.shown(trace, places))
    return reasons.sentence(head, second, f"属“{explain.words[number - 1]}”一档", _deducted(band, verb),
                            reasons.points_phrase(score, verb))


def _word(value) -> str:
    """A yes/no or an option as a reason shows it."""
    if isinstance(value, bool):
        return "是" if value else "否"
    return str(value)


def _deviation(explain: DeviationText, trace, score, points, given, verb) -> str:
    places = _deviation_places(explain, trace)
    subject, goal = explain.subject.shown(trace, places), _end_text(explain.goal, explain.subject, trace, places)
    if trace.get(explain.beyond_tag):
        return reasons.deviation(subject, goal, explain.step, explain.per, explain.rounding, Fraction(0), explain.limit,
                                 score, verb)
    gap = trace[explain.gap_tag]
    steps = trace.get(explain.steps_tag)  # not counted past the point where 扣完为止 left 0
    return reasons.deviation(subject, goal, explain.step, explain.per, explain.rounding if gap and steps is not None
                             else None, steps, None, score, verb)  # type: ignore[arg-type]


def _deviation_places(explain: DeviationText, trace) -> int | None:
    """The decimals of the subject and the goal: apart from the goal (与目标一致) and from where the limit is passed
    (偏离目标0%超过10% is never said of a value shown as 10%)."""
    goal = trace.get(explain.goal.tag)
    if explain.goal.percent != explain.subject.percent or not isinstance(goal, Fraction):
        return None
    ends = [goal]
    if explain.limit_value is not None:
        ends += [goal + explain.limit_value] + ([goal - explain.limit_value] if explain.absolute else [])
    return explain.subject.apart(trace, ends)


def _per_finding(explain: PerFindingText, trace, score, points, given, verb) -> str:
    count = trace[explain.count_tag]
    deduction = Fraction(explain.per) * count  # type: ignore[operator]
    capped = explain.cap is not None and deduction > Fraction(explain.cap)
    if capped:
        deduction = Fraction(explain.cap)  # type: ignore[arg-type]
    if explain.item:
        capped = capped or deduction > points
    else:
        capped = capped or points - deduction < 0
    return reasons.per_finding(int(count), explain.per, explain.cap, capped, score, verb,  # type: ignore[call-overload]
                               explain.counted)


def _choice(explain: ChoiceText, trace, score, points, given, verb) -> str:
    return reasons.choice(str(trace[explain.tag]), score, verb)


def _discretionary(explain: DiscretionaryText, trace, score, points, given: Given, verb) -> str:
    return reasons.discretionary(given.reason, score, verb)


def _qualitative(explain: QualitativeText, trace, score, points, given: Given, verb) -> str:
    return f"评定为“{trace[explain.tag]}”档；" + reasons.discretionary(given.reason, score, verb)


def _graded(explain: GradedText, trace, score, points, given: Given, verb) -> str:
    """评定为“良”（7.5（含）～9分）：理由，得8分。 — the grade, its range, the reason when given."""
    name = str(trace[explain.tag])
    shown = next((r.text() for r in explain.ranges if r.name == name), "")
    head = f"评定为“{name}”（{shown}分）" if shown else f"评定为“{name}”"
    reason = given.reason.strip().rstrip("。.；;") if given.reason else ""
    return reasons.sentence(f"{head}：{reason}" if reason else head, reasons.points_phrase(score, verb))


def _target(explain: TargetText, trace, score, points, given, verb) -> str:
    met = bool(trace.get(explain.met_tag))
    share = trace.get(explain.share_tag)
    if explain.pass_mark is not None and not met and share is not None:
        return _pass_mark(explain, trace, share, score, verb)
    cut = trace.get(explain.cut_tag) if explain.cut_tag else None
    actual, goal = _actual_goal(explain, trace)
    bound = dict(given.bounds).get(explain.actual.name)
    if bound is not None:  # ≥266米 that shows the target met: the bound as entered, and what is known of it
        actual = f"{SIGNS[bound]}{actual}（只知{'下限' if bound in ('>=', '>') else '上限'}）"
    if met and cut:
        sign = {">=": "≥", "<=": "≤", "=": ""}[explain.op]
        return reasons.sentence(f"实际值{actual}", f"目标{sign}{goal}", "已达标",
                                f"完成值超出指标值较多，调减{format_points(cut)}分", reasons.points_phrase(score, verb))
    return reasons.target(actual, explain.op, goal, met, share,  # type: ignore[arg-type]
                          explain.all_or_nothing, score, verb)


def _actual_goal(explain: TargetText, trace, marks: Sequence[Fraction] = ()) -> tuple[str, str]:
    """实际值 and 目标 as the sentence shows them: with the decimals that keep them apart where they differ (and
    apart from the actual values at which the share completed reaches the pass mark, `marks`)."""
    if explain.goal_value is None:
        return explain.actual.text(trace), explain.goal
    places = explain.actual.apart(trace, [explain.goal_value, *marks])
    if places is None:
        return explain.actual.text(trace), explain.goal
    return explain.actual.text(trace, places), quantity_text(explain.goal_value, explain.actual.percent,
                                                             explain.actual.unit, places)


def _pass_mark(explain: TargetText, trace, share: Fraction, score, verb) -> str:
    """"实际值85%，目标≥100%，未达标，完成85%，及格线60%，按（85%−60%）÷（1−60%）折算，得6.25分。"""
    sign = {">=": "≥", "<=": "≤", "=": ""}[explain.op]
    places = places_apart(share, [Fraction(1), explain.pass_mark], percent=True)  # the share beside 100% and the mark
    done, mark = format_percent(share, places), format_percent(explain.pass_mark, places)
    actual, goal = _actual_goal(explain, trace, _at_pass_mark(explain))
    clauses = [f"实际值{actual}", f"目标{sign}{goal}", "未达标", f"完成{done}"]
    if share < explain.pass_mark:
        clauses.append(f"低于及格线{mark}")
    else:
        clauses.append(f"及格线{mark}，按（{done}−{mark}）÷（1−{mark}）折算")
    return reasons.sentence(*clauses, reasons.points_phrase(score, verb))


def _at_pass_mark(explain: TargetText) -> list[Fraction]:
    """The actual values at which the share completed is the pass mark: goal × mark (≥), goal ÷ mark (≤), both (=)."""
    goal, mark = explain.goal_value, explain.pass_mark
    if goal is None or mark is None:
        return []
    ends = [goal * mark] if explain.op in (">=", "=") else []
    return ends + ([goal / mark] if explain.op in ("<=", "=") and mark else [])


def _intervals(explain: IntervalsText, trace, score, points, given, verb) -> str:
    """项目已完成，执行率98%，未超出预算，得10分。 / 项目尚未完成，执行率85%，在80%（含）～100%之间，得7分。"""
    band = int(trace[explain.tag])  # type: ignore[call-overload]
    rate = f"{explain.rate.name}{explain.rate.text(trace, explain.rate.apart(trace, _INTERVAL_ENDS))}"
    where = {1: "未超出预算", 4: "在80%（含）～100%之间", 5: "在60%（含）～80%之间"}.get(band, "低于60%")
    done = "项目已完成" if band == 1 else "项目尚未完成"
    return reasons.sentence(done, rate, where, reasons.points_phrase(score, verb))


# The ends of 101号's bands (未超出预算: not above 100%; 在80%（含）～100%之间; 低于60%), as exact rates.
_INTERVAL_ENDS = (Fraction(3, 5), Fraction(4, 5), Fraction(1))


def _by_class(explain: ClassText, trace, score, points, given, verb) -> str:
    """单位类别为“事业单位”，执行率为92%，…: the class, then its rule's sentence."""
    number = int(trace[explain.tag])  # type: ignore[call-overload]
    inner = explain.explains[number - 1]
    return reasons.unit_class(explain.classes[number - 1]) + _WORDERS[type(inner)](inner, trace, score, points,
                                                                                 given, verb)


def _missing_rule(explain: MissingRuleText, trace, score, points, given, verb) -> str:
    return reasons.points_phrase(score, verb) + "。"


_WORDERS = {ChecklistText: _checklist, FormulaText: _formula, BandsText: _bands, CompoundText: _compound, DeviationText: _deviation,
            PerFindingText: _per_finding, ChoiceText: _choice, DiscretionaryText: _discretionary,
            QualitativeText: _qualitative, GradedText: _graded, IntervalsText: _intervals,
            TargetText: _target, MissingRuleText: _missing_rule, ClassText: _by_class}

__all__ = ["BandText", "BandsText", "ChecklistText", "ClassText", "ChoiceText", "CompoundText", "DeviationText", "DiscretionaryText", "Explain",
           "FormulaText", "Given", "GradedText", "IntervalsText", "MissingRuleText", "PerFindingText", "QualitativeText", "Quantity", "SpecialText",
           "TargetText", "gap_text", "word"]
