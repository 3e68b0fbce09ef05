"""The 评分标准 sentence of each rule kind (清单, 公式, 分档, 偏差, 选项, 目标, 区间, 酌情, …), in the seeds' register."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import attrs

from idsl.frontend import ast
from idsl.semantics.graded import graded_ranges, mixed_units, top_grade
from idsl.semantics.numbers import exact_points, half_up, terminates
from idsl.semantics.phrases import (
    award_text,
    circled,
    compact_condition,
    describe_condition,
    expr_text,
    format_quantity,
    outcome_text,
    points_text,
    rounding_text,
    share_text,
    strip_end,
)
from idsl.semantics.counts import band_with_count_units, counted
from idsl.semantics.rules import short_scores_nothing
from idsl.render.standard_compound import compound_text


@attrs.frozen
class RuleWriter:
    """Writes a rule's sentence for a leaf of given points, as a score, a penalty or a bonus item."""

    kind: str  # 'score', 'penalty' or 'bonus'
    points: Decimal | None  # the leaf's points (a penalty item's cap)
    places: int | None = None  # the decimals a leaf's score is rounded to; None: print awards as written
    counts: dict[str, str] = attrs.field(factory=dict, eq=False)  # the counting word of each count input (问题数: 项)
    zeros: dict[str, str] = attrs.field(factory=dict, eq=False)  # how a count of none reads (问题数: 未发现问题)

    def award(self, points: Decimal | None) -> str:
        return award_text(points, self.kind, self.points)

    def fixed(self, points: Decimal | None) -> Decimal | None:
        """A fixed award as the leaf scores it: the leaf's score is that award rounded half up."""
        return points if points is None or self.places is None else half_up(points, self.places)

    def rule_text(self, rule) -> str:
        """The sentence of one rule (not 分项 or 按类别, which are a leaf's lines)."""
        return getattr(self, "_" + type(rule).__name__.lower())(rule)

    def _checklist(self, rule: ast.Checklist) -> str:
        items = [strip_end(item.text) for item in rule.items]
        if rule.each_placeholder:  # 每项 ？ 分: a scaffold's checklist (E450)
            return "；".join(circled(i) + text for i, text in enumerate(items, 1)) + "。以上要素各占的分值待填。"
        equal = rule.each is not None and all(item.points is None for item in rule.items)
        partial = "不完全符合的，可酌情扣分。" if rule.partial else ""
        if rule.equal and self.points is not None and items:  # 均分: the share exactly, 5/3 where it does not end
            listed = "；".join(circled(i) + text for i, text in enumerate(items, 1)) + "。"
            share = Fraction(self.points) / len(items)
            each = exact_points(share)
            rounded = "" if terminates(share) else "得分按符合项的分值合计后四舍五入。"
            return (f"{listed}以上要素各占{share_text(len(items))}权重分（每项{each}分），"
                    f"符合得{each}分，不符合{self.award(Decimal(0))}。{rounded}")
        values = [item.points if item.points is not None else rule.each for item in rule.items]
        partial += self._summed(values)
        if equal and len(items) > 1:
            listed = "；".join(circled(i) + text for i, text in enumerate(items, 1)) + "。"
            return (f"{listed}以上要素各占{share_text(len(items))}权重分，"
                    f"符合{self.award(rule.each)}，不符合{self.award(Decimal(0))}。{partial}")
        if len(items) == 1:
            return f"{items[0]}，{self._item_award(values[0])}；不符合的，{self.award(Decimal(0))}。{partial}"
        listed = "；\n".join(f"{i}. {text}，{self._item_award(value)}"
                            for i, (text, value) in enumerate(zip(items, values), 1))
        return f"{listed}。{partial}"

    def _summed(self, values: list[Decimal | None]) -> str:
        """An element's points finer than the leaf's decimals are summed before the score is rounded, not each
        rounded as a fixed award is: the text says so, where 1.45 alone scores 1.5 at one decimal."""
        if self.places is None or all(v is None or v == half_up(v, self.places) for v in values):
            return ""
        return "得分按符合项的分值合计后四舍五入。"

    def _item_award(self, value: Decimal | None) -> str:
        return self.award(value) if value is not None else self.award(None)

    def _formula(self, rule: ast.Formula) -> str:
        notes: list[str] = []
        shown = _lift_bounds(rule.expr, notes)
        head = {"score": "得分", "penalty": "扣分", "bonus": "加分"}[self.kind]
        bounds = "（" + "；".join(notes) + "）" if notes else ""
        return f"{head}={expr_text(shown)}{bounds}。"

    def _bands(self, rule: ast.Bands) -> str:
        if rule.trend is not None:  # 趋势: 本年满意率较上年满意率提高的，得满分；持平的，…
            now, before = rule.trend
            words = {">": "提高", "=": "持平", "<": "下降"}
            parts = [f"{words[band.cond.ops[0]]}的，{outcome_text(self._rounded(band.outcome), self.kind, self.points)}"
                     for band in rule.bands]
            return f"{now}较{before}" + "；".join(parts) + "。"
        subject_text = expr_text(rule.subject)
        rule = attrs.evolve(rule, bands=tuple(self._counted(band, rule.subject) for band in rule.bands))
        compact = any(isinstance(b.outcome, ast.Linear) or isinstance(b.cond, ast.Otherwise) for b in rule.bands)
        if compact:
            parts, named = [], False
            for band in rule.bands:
                condition, bare = compact_condition(band.cond, rule.subject, subject_text)
                if not named and bare:
                    condition = subject_text + ("为" if condition[:1].isdigit() or condition[:1] == "-" else "") + condition
                named = named or not _none(band.cond)  # 未发现问题得满分，问题数≥1项…: named after the band of none
                parts.append(condition + outcome_text(self._rounded(band.outcome), self.kind, self.points))
            return "，".join(parts) + "。"
        parts = []
        for index, band in enumerate(rule.bands, 1):
            condition = describe_condition(band.cond, subject_text)
            connector = "，" if isinstance(band.cond, ast.Otherwise) else "的，"
            parts.append(f"{index}. {condition}{connector}{outcome_text(self._rounded(band.outcome), self.kind, self.points)}")
        return "；\n".join(parts) + "。"

    def _counted(self, band: ast.Band, subject: ast.Expr) -> ast.Band:
        """A band over a count with its bare numbers in the count's word: 问题数≥3项, 每增加1项; 未发现问题 for none."""
        return band_with_count_units(band, self.counts, subject, self.zeros)

    def _compound(self, rule: ast.Compound) -> str:
        return compound_text(rule, lambda outcome: outcome_text(self._rounded(outcome), self.kind, self.points),
                             self._counted)

    def _rounded(self, outcome: ast.Outcome) -> ast.Outcome:
        if isinstance(outcome, ast.Fixed) and outcome.points is not None:
            return attrs.evolve(outcome, points=self.fixed(outcome.points))
        return outcome

    def _deviation(self, rule: ast.Deviation) -> str:
        subject = rule.subject
        if isinstance(subject, ast.Call) and subject.func == "abs":
            subject = subject.args[0]
        subject_text = expr_text(subject)
        target = expr_text(rule.target)
        on_target = isinstance(rule.target, ast.Num) and rule.target.value == 0
        if rule.absolute:
            step_verb = "每调增或调减" if on_target else f"与{target}相比每偏离"
        else:
            step_verb = "每增加" if on_target else f"超出{target}后每增加"
        step = format_quantity(rule.step)
        text = (f"{subject_text}={target}{self.award(None)}，{step_verb}{step}"
                f"{rounding_text(rule.rounding, rule.step)}扣{points_text(rule.deduct)}分")
        if rule.until_zero:
            text += "，扣完为止"
        if rule.limit is not None:
            beyond = "超过" if on_target else "偏离超过"
            text += f"，{beyond}{format_quantity(rule.limit)}{self._beyond(self.fixed(rule.beyond_points))}"
        return text + "。"

    def _beyond(self, points: Decimal | None) -> str:
        """What a deviation past its limit earns: 不得分 / 得1分; for a penalty item the whole cap unless written."""
        if self.kind == "score":
            return "不得分" if not points else self.award(points)
        return self.award(points)

    def _perfinding(self, rule: ast.PerFinding) -> str:
        verb = "加" if self.kind == "bonus" else "扣"
        subject = counted(rule.subject, self.counts.get(rule.subject))
        text = f"{subject.each()}{verb}{points_text(rule.deduct)}分"
        if rule.cap is not None:
            return f"{text}，最多{verb}{points_text(rule.cap)}分。"
        if self.kind == "score":
            return f"{text}，扣完为止。"
        return f"{text}，上限{points_text(self.points)}分。" if self.points is not None else text + "。"

    def _choice(self, rule: ast.Choice) -> str:
        parts = []
        for index, option in enumerate(rule.options, 1):
            label = strip_end(option.label)
            label = label if label.endswith("的") else label + "的"
            parts.append(f"{index}. {label}，{self.award(self.fixed(option.points))}")
        return "；\n".join(parts) + "。"

    def _qualitative(self, rule: ast.Qualitative) -> str:
        return (f"定性指标：按“{rule.tier}”分三档评定，分别在分值的100%-80%（含）、80%-60%（含）、60%-0%内"
                "确定得分，须说明理由。")

    def _graded(self, rule: ast.Graded) -> str:
        """按评定的等级在其分值区间内确定得分：优，9（含）～10（含）分；良，7.5（含）～9分；…。"""
        if self.points is None or any(mixed_units(t) for t in rule.tiers):
            return "按评定的等级在其分值区间内确定得分。"
        ranges = graded_ranges(rule, Fraction(self.points))
        listed = "；".join(f"{r.name}，{r.text()}分" for r in ranges)
        text = f"先评定等级，再在该等级的分值区间内确定得分：{listed}。"
        top = top_grade(ranges, Fraction(self.points))
        if rule.reason and top is not None:
            text += f"评为“{top}”以外等级的，须说明理由。"
        return text

    def _intervals(self, rule: ast.Intervals) -> str:
        full = self.points if self.points is not None else Decimal(10)
        seven, five = (points_text(self.fixed(full * Decimal(n) / 10)) for n in (7, 5))  # as the leaf scores them
        return (f"按区间赋分（财预〔2021〕101号）：项目完成，且执行数控制在年度预算规模之内的，得{points_text(full)}分；"
                f"项目尚未完成，{rule.rate}小于100%且大于等于80%的，得{seven}分；{rule.rate}小于80%且大于等于60%的，"
                f"得{five}分；{rule.rate}小于60%的，不得分。")

    def _discretionary(self, rule: ast.Discretionary) -> str:
        low = rule.low if rule.low is not None else Decimal(0)
        high = rule.high if rule.high is not None else self.points
        if self.kind == "score":
            bounds = f"（{points_text(low)}～{points_text(high)}分）" if high is not None else ""
            return f"由评价人员酌情评分{bounds}，须说明理由。"
        verb = "扣分" if self.kind == "penalty" else "加分"
        if high is not None and high == 0:
            return "不扣分。" if self.kind == "penalty" else "不加分。"
        if rule.low is None and rule.high is None:
            cap = f"，上限{points_text(self.points)}分" if self.points is not None else ""
            return f"按实际情况酌情{verb}{cap}，须说明理由。"
        return f"按实际情况酌情{verb}（{points_text(low)}～{points_text(high)}分），须说明理由。"

    def _target(self, rule: ast.Target) -> str:
        op = {">=": "≥", "<=": "≤", "=": "="}.get(rule.op, rule.op)  # a bare value would read back as ≥
        short = "未达到不得分" if short_scores_nothing(rule) else "未达到按完成比例得分"
        if rule.pass_mark is not None:
            mark = f"{points_text(rule.pass_mark)}%"
            short = f"未达到的，完成比例低于{mark}不得分，否则得分=（完成比例-{mark}）÷（1-{mark}）×分值"
        value = format_quantity(rule.target).replace("0", "？", 1) if rule.placeholder else format_quantity(rule.target)
        cut = ""
        if rule.over_cut is not None:
            cut = (f"完成值高于指标值较多、系年初指标值设定明显偏低的，按偏离度适度调减，最多调减{points_text(rule.over_cut)}分，"
                   "须说明理由。")
        return f"指标值：{op}{value}。达到目标得满分，{short}。{cut}"

    def _refine(self, rule: ast.Refine) -> str:
        return f"（待细化为本项目的个性指标{'：' + strip_end(rule.note) if rule.note else ''}。）"


def _none(cond: ast.Cond) -> bool:
    """Whether a band's condition is a count of none in words (未发现问题, 无违规), which does not name its subject."""
    return isinstance(cond, ast.Compare) and len(cond.operands) == 1


def _lift_bounds(expr: ast.Expr, notes: list[str]) -> ast.Expr:
    """`min(执行率, 100%)` printed as 执行率 with a note "执行率以100%为上限" (max: 下限)."""
    if isinstance(expr, ast.Call) and expr.func in ("min", "max") and len(expr.args) == 2:
        value, bound = expr.args
        if isinstance(value, ast.Num) and not isinstance(bound, ast.Num):
            value, bound = bound, value
        if isinstance(bound, ast.Num):
            inner = _lift_bounds(value, notes)
            notes.append(f"{expr_text(inner)}以{format_quantity(bound)}为{'上' if expr.func == 'min' else '下'}限")
            return inner
    if isinstance(expr, ast.BinOp):
        return attrs.evolve(expr, left=_lift_bounds(expr.left, notes), right=_lift_bounds(expr.right, notes))
    if isinstance(expr, ast.Neg):
        return attrs.evolve(expr, operand=_lift_bounds(expr.operand, notes))
    return expr
