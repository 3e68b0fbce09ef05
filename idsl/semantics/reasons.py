"""得分原因: the Chinese sentence explaining each leaf's score, in the register of the seeds.

    基本支出预算执行率为100%，得3分。
    重点支出安排率为75%，低于80%，每降低1%扣0.1分，得1.5分。
    4项要素中符合3项，得3分。

The scorer decides; these functions only word its decision. Numbers go through
`idsl.semantics.numbers` (percentages with up to two decimals, points without trailing zeros).
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Sequence

import attrs

from idsl.frontend import ast
from idsl.semantics.apart import places_apart
from idsl.semantics.numbers import exact_points, format_number, format_percent, format_points
from idsl.semantics.counts import Counted, count_units, with_count_units, zero_words
from idsl.semantics.phrases import award_text, describe_condition


@attrs.frozen
class Shown:
    """A quantity as a sentence shows it: 重点支出安排率 = 89.67%, 实际参保人数 = 42.275万人."""

    name: str  # what it is called
    value: Fraction  # its exact value
    percent: bool = False  # show as a percentage
    unit: str | None = None  # unit after the number (万元, 人 …)
    none: str = ""  # a count of 0 as the 评分标准 says it (未发现问题), said instead of its number
    places: int | None = None  # decimals shown, when a threshold beside it asks for more (apart.places_apart)

    @property
    def text(self) -> str:
        """The value with its % or unit: 89.67%, 842.29万元."""
        return quantity_text(self.value, self.percent, self.unit, self.places)

    @property
    def reads_none(self) -> bool:
        """A count of 0 said in words (未发现问题) rather than as its number."""
        return bool(self.none) and self.value == 0


def quantity_text(value: Fraction | Decimal | int, percent: bool = False, unit: str | None = None,
                  places: int | None = None) -> str:
    """A number as a sentence shows it: half up to 4 decimals (a rate: 2 of its percent figure), or to `places`.

    >>> quantity_text(Fraction(8967, 10000), percent=True), quantity_text(Decimal("42.275"), unit="万人")
    ('89.67%', '42.275万人')
    >>> quantity_text(Fraction(89999, 100000), percent=True, places=3)
    '89.999%'
    """
    if percent:
        return format_percent(value, 2 if places is None else places)
    return format_number(value, 4 if places is None else places) + (unit or "")


def points_phrase(score: Decimal, verb: str = "得") -> str:
    """得3分 / 扣2分 / 加1分.

    >>> points_phrase(Decimal("1.50")), points_phrase(Decimal("2"), "扣"), points_phrase(Decimal("0"), "扣")
    ('得1.5分', '扣2分', '不扣分')
    """
    return award_text(score, _KINDS[verb])


_KINDS = {"得": "score", "扣": "penalty", "加": "bonus"}  # a sentence's verb → phrases.award_text's kind


def sentence(*clauses: str) -> str:
    """Clauses joined with ，and closed with 。.

    >>> sentence("基本支出预算执行率为100%", "得3分")
    '基本支出预算执行率为100%，得3分。'
    """
    return "，".join(c for c in clauses if c) + "。"


def is_(shown: Shown) -> str:
    """重点支出安排率为89.67%; a count of none as the 评分标准 words it.

    >>> is_(Shown("问题数", Fraction(0), unit="项", none="未发现问题")), is_(Shown("问题数", Fraction(2), unit="项"))
    ('未发现问题', '问题数为2项')
    """
    if shown.reads_none:
        return shown.none
    return f"{shown.name}为{shown.text}"


def option_words(leaf) -> frozenset[str]:
    """The options of the choices a leaf (a LeafPlan) sees, less its names: the words a condition may compare with.

    `输入 公开情况：选项 按规定公开/未公开` then `若 公开情况 = 未公开 则 不得分`: 未公开 is an option,
    not a name. A declared name wins over an option of the same spelling, as in the checker.
    """
    names = {i.name for i in leaf.inputs} | {d.name for d in leaf.derived} | {q.name for q in leaf.questionnaires}
    return frozenset(option for i in leaf.inputs if i.kind == "choice" for option in i.options) - names


def quote_options(cond: ast.Cond, words: frozenset[str] | set[str]) -> ast.Cond:
    """A condition with its option words quoted, for a sentence: 公开情况为“未公开”.

    >>> from idsl.semantics.phrases import describe_condition
    >>> c = ast.Compare((ast.Ref("公开情况"), ast.Ref("未公开")), ("=",))
    >>> describe_condition(quote_options(c, {"未公开"}), words=True)
    '公开情况为“未公开”'
    """
    if not words:
        return cond
    if isinstance(cond, ast.BoolOp):
        return attrs.evolve(cond, parts=tuple(quote_options(part, words) for part in cond.parts))
    if isinstance(cond, ast.Compare) and cond.ops:
        return attrs.evolve(cond, operands=tuple(
            attrs.evolve(o, name=f"“{o.name}”") if isinstance(o, ast.Ref) and o.name in words else o
            for o in cond.operands))
    return cond


def case_words(cond: ast.Cond, options: frozenset[str] | set[str], inputs) -> str:
    """A special case's condition in words, as the 评分标准 (如…，则…) and the reason both say it: options quoted,
    a count's numbers in its counting word, a count of none as the tables say it (`inputs`: the ast.Input in scope).

    >>> from decimal import Decimal
    >>> found = (ast.Input("问题数", "findings"), ast.Input("违规笔数", "findings"))
    >>> many = ast.Compare((ast.Ref("违规笔数"), ast.Num(Decimal(3))), (">=",))
    >>> none = ast.Compare((ast.Ref("问题数"), ast.Num(Decimal(0))), ("=",))
    >>> case_words(many, frozenset(), found), case_words(none, frozenset(), found)
    ('违规笔数大于等于3笔', '未发现问题')
    """
    counted = with_count_units(quote_options(cond, options), count_units(inputs), zeros=zero_words(inputs))
    return describe_condition(counted, words=True)


# ---------------------------------------------------------------- one sentence per rule kind


def fixed_band(subject: Shown, band: str | None, score: Decimal, verb: str = "得", deducted: str = "") -> str:
    """A step band: "在职人员控制率为97.73%，得2分。" or with the band named when it is not the top one, and the
    deduction a `扣 1 分` band names before its score.

    >>> fixed_band(Shown("“三公”经费控制率", Fraction(1, 2), True), "低于70%", Decimal("0"))
    '“三公”经费控制率为50%，低于70%，得0分。'
    >>> fixed_band(Shown("完成率", Fraction(95, 100), True), "在90%（含）～100%之间", Decimal(4), deducted="扣1分")
    '完成率为95%，在90%（含）～100%之间，扣1分，得4分。'
    """
    return sentence(is_(subject), band or "", deducted, points_phrase(score, verb))


def linear_band(subject: Shown, direction: str, anchor: str, step: str, deduct: Decimal, rounding: str | None,
                steps: Fraction, score: Decimal, verb: str = "得", until_zero: bool = False) -> str:
    """A linear deduction: "重点支出安排率为75%，低于80%，每降低1%扣0.1分，得1.5分。" (扣完为止 once it reached 0)

    >>> linear_band(Shown("重点支出安排率", Fraction(3, 4), True), "down", "80%", "1%", Decimal("0.1"), None,
    ...             Fraction(5), Decimal("1.5"))
    '重点支出安排率为75%，低于80%，每降低1%扣0.1分，得1.5分。'
    >>> linear_band(Shown("问题数", Fraction(1), False, "项"), "up", "1项", "1项", Decimal(1), None, Fraction(0), Decimal(4))
    '问题数为1项，未超过1项，每增加1项扣1分，得4分。'
    >>> linear_band(Shown("剩余问题数", Fraction(0), False, "项", "未发现剩余问题"), "up", "0项", "1项", Decimal(1), None,
    ...             Fraction(0), Decimal(3))
    '未发现剩余问题，得3分。'
    """
    if subject.reads_none and steps == 0:  # nothing found, nothing deducted: said as a per-finding rule says it
        return sentence(is_(subject), points_phrase(score, verb))
    where = f"低于{anchor}" if direction == "down" else f"高于{anchor}"
    if steps == 0 and rounding is None:  # the value is the anchor itself: not below (above) it, nothing counted yet
        where = f"未低于{anchor}" if direction == "down" else f"未超过{anchor}"
    per = f"每降低{step}" if direction == "down" else f"每增加{step}"
    stopped = ("扣完为止",) if until_zero and score == 0 else ()
    return sentence(is_(subject), where, f"{per}扣{format_points(deduct)}分{_rounding_note(rounding, steps)}",
                    *stopped, points_phrase(score, verb))


def deviation(subject: Shown, target: str, step: str, deduct: Decimal, rounding: str | None, steps: Fraction,
              beyond: str | None, score: Decimal, verb: str = "得") -> str:
    """A deviation from a target: "预算调整率为6.8%，偏离目标0%，每1%扣0.2分（按四舍五入取整计7个），得0.6分。"

    >>> deviation(Shown("预算调整率", Fraction(68, 1000), True), "0%", "1%", Decimal("0.2"), "half_up", Fraction(7),
    ...           None, Decimal("0.6"))
    '预算调整率为6.8%，偏离目标0%，每1%扣0.2分（按四舍五入取整计7个），得0.6分。'
    """
    if beyond is not None:
        return sentence(is_(subject), f"偏离目标{target}超过{beyond}", points_phrase(score, verb))
    if steps == 0 and rounding is None:
        return sentence(is_(subject), f"与目标{target}一致", points_phrase(score, verb))
    return sentence(is_(subject), f"偏离目标{target}",
                    f"每{step}扣{format_points(deduct)}分{_rounding_note(rounding, steps)}", points_phrase(score, verb))


def _rounding_note(rounding: str | None, steps: Fraction | None) -> str:
    if rounding is None or steps is None:
        return ""
    how = {"half_up": "四舍五入取整", "floor": "向下取整", "ceil": "向上取整"}[rounding]
    return f"（按{how}计{format_number(steps)}个）"


def per_finding(count: int, deduct: Decimal, cap: Decimal | None, capped: bool, score: Decimal, verb: str = "得",
                counted: Counted = Counted("问题", "项")) -> str:
    """Deduction per finding, naming what is counted as the 评分标准 does: "发现2项问题，每项扣1分，得3分。"

    >>> per_finding(2, Decimal(1), None, False, Decimal(3)), per_finding(0, Decimal(1), None, False, Decimal(5))
    ('发现2项问题，每项扣1分，得3分。', '未发现问题，得5分。')
    >>> per_finding(3, Decimal("0.5"), None, False, Decimal("1.5"), counted=Counted("违规", "次"))
    '发现3次违规，每次扣0.5分，得1.5分。'
    """
    if count == 0:
        return sentence(counted.none(), points_phrase(score, verb))
    limit = ""
    if capped:
        limit = f"最多扣{format_points(cap)}分" if cap is not None else "扣完为止"
    return sentence(counted.found(count), f"每{counted.measure}扣{format_points(deduct)}分", limit,
                    points_phrase(score, verb))


def checklist(total: int, met: int, partial: int, score: Decimal, reason: str | None = None, verb: str = "得") -> str:
    """Elements met: "4项要素中符合3项，得3分。"

    >>> checklist(4, 3, 0, Decimal(3)), checklist(4, 2, 1, Decimal("2.5"), "效益指标不够明确")
    ('4项要素中符合3项，得3分。', '4项要素中符合2项，部分符合1项（效益指标不够明确），得2.5分。')
    """
    clauses = [f"{total}项要素中符合{met}项"]
    if partial:
        clauses.append(f"部分符合{partial}项" + (f"（{_strip_stop(reason)}）" if reason else ""))
    return sentence(*clauses, points_phrase(score, verb))


def choice(label: str, score: Decimal, verb: str = "得") -> str:
    """A chosen option: "选择“进行了公开，但未达到时限、内容或范围要求”，得1分。"

    >>> choice("进行了公开，但未达到时限、内容或范围要求", Decimal(1))
    '选择“进行了公开，但未达到时限、内容或范围要求”，得1分。'
    """
    return sentence(f"选择“{label}”", points_phrase(score, verb))


def discretionary(reason: str | None, score: Decimal, verb: str = "得") -> str:
    """An evaluator's score: "酌情给分：<理由>，得2分。"

    >>> discretionary("制度健全但执行记录不全。", Decimal(2)), discretionary(None, Decimal(0), "扣")
    ('酌情给分：制度健全但执行记录不全，得2分。', '不扣分。')
    >>> discretionary("逆向指标小计为0，未扣分。", Decimal(0), "扣")
    '逆向指标小计为0，未扣分。'
    """
    if verb in ("扣", "加") and score == 0:
        if not reason:
            return f"不{verb}分。"
        if f"未{verb}分" in reason or f"不{verb}分" in reason:
            return _strip_stop(reason) + "。"
        return sentence(_strip_stop(reason), f"不{verb}分")
    head = "酌情扣分" if verb == "扣" else "酌情加分" if verb == "加" else "酌情给分"
    return sentence(f"{head}：{_strip_stop(reason)}" if reason else head, points_phrase(score, verb))


def target(actual: str, op: str, goal: str, met: bool, share: Fraction | None, all_or_nothing: bool,
           score: Decimal, verb: str = "得") -> str:
    """A target: "实际值42.275万人，目标≥41.94万人，已达标，得3分。"

    >>> target("42.275万人", ">=", "41.94万人", True, None, False, Decimal(3))
    '实际值42.275万人，目标≥41.94万人，已达标，得3分。'
    >>> target("91.75%", ">=", "100%", False, Fraction(367, 400), False, Decimal("9.18"))
    '实际值91.75%，目标≥100%，未达标，完成91.75%，得9.18分。'

    The share is shown with the decimals that keep it apart from 100% (完成99.999998%, never 完成100% short of it).
    """
    sign = {">=": "≥", "<=": "≤", "=": ""}[op]
    clauses = [f"实际值{actual}", f"目标{sign}{goal}", "已达标" if met else "未达标"]
    if not met and not all_or_nothing and share is not None:
        clauses.append(f"完成{format_percent(share, places_apart(share, [Fraction(1)], percent=True))}")
    return sentence(*clauses, points_phrase(score, verb))


def formula(shown: Sequence[Shown], score: Decimal, verb: str = "得") -> str:
    """A formula: "基本支出预算执行率为100%，得3分。" (each quantity it uses, then the score).

    >>> formula([Shown("基本支出预算执行率", Fraction(1), True)], Decimal(3))
    '基本支出预算执行率为100%，得3分。'
    """
    clauses = [is_(s) for s in shown] or ["按公式计算"]
    return sentence(*clauses, points_phrase(score, verb))


def special(condition: str, points: Decimal | None, score: Decimal, verb: str = "得") -> str:
    """A special case: "实际采购金额大于采购计划金额，本项不得分。"

    >>> special("实际采购金额大于采购计划金额", Decimal(0), Decimal(0))
    '实际采购金额大于采购计划金额，本项不得分。'
    >>> special("上年末存量资金规模为0且当年末存量资金规模为0", Decimal(3), Decimal(3))
    '上年末存量资金规模为0且当年末存量资金规模为0，得3分。'
    """
    if score == 0 and verb == "得":
        return sentence(condition, "本项不得分")
    if points is None and verb == "得":
        return sentence(condition, f"得满分{format_points(score)}分")
    return sentence(condition, points_phrase(score, verb))


def parts(pieces: Sequence[tuple[str, str]], score: Decimal, verb: str = "得", rounded: bool = False) -> str:
    """Sums of parts: each part's sentence, then the total; `rounded` when the parts as shown do not add up
    to it (each shown rounded, the sum taken before rounding).

    >>> parts([("部门预算公开", "选择“按规定公开”，得2分。"), ("部门决算公开", "选择“没有进行公开”，得0分。")], Decimal(2))
    '部门预算公开：选择“按规定公开”，得2分；部门决算公开：选择“没有进行公开”，得0分；合计得2分。'
    >>> parts([("甲", "得1.67分。"), ("乙", "得1.67分。")], Decimal("3.33"), rounded=True)
    '甲：得1.67分；乙：得1.67分；合计得3.33分（各分项得分未取舍时合计，再四舍五入）。'
    """
    body = "；".join(f"{name}：{_strip_stop(text)}" for name, text in pieces)
    note = "（各分项得分未取舍时合计，再四舍五入）" if rounded else ""
    return f"{body}；合计{points_phrase(score, verb)}{note}。"


def not_applicable_full(score: Decimal) -> str:
    """不适用，按规定得满分。"""
    return f"不适用，按规定得满分（{format_points(score)}分）。"


def unit_class(name: str) -> str:
    """按类别: 单位类别为“事业单位”， (the class's rule's sentence follows)."""
    return f"单位类别为“{name}”，"


def gate_failed(name: str, answer: bool) -> str:
    """适用 若: 有政府采购：否，本指标 (the sentence of 不适用 follows)."""
    return f"{name}：{'是' if answer else '否'}，本指标"


def no_data(names: Sequence[str]) -> str:
    """无数据时 不适用: 无数据（满意率未填），本指标 (the sentence of 不适用 follows)."""
    return f"无数据（{'、'.join(names)}未填），本指标"


def not_applicable_excluded(total: bool = False, siblings: bool = False) -> str:
    """不适用，不参与评分，上级指标按比例折算（`total`: 总分按实际适用分值折算；`siblings`: 分值平均分配给同级指标）。"""
    how = "分值平均分配给同级指标" if siblings else "总分按实际适用分值折算" if total else "上级指标按比例折算"
    return f"不适用，不参与评分，{how}。"


def shared_points(left_out: Sequence[str], applicable: int, share: Fraction, score: Decimal) -> str:
    """不适用指标（政府采购）的分值平均分配给同级2个指标，各加5分，各按得分率×新分值计分，合计47.5分。"""
    each = exact_points(share)
    return (f"不适用指标（{'、'.join(left_out)}）的分值平均分配给同级{applicable}个指标，各加{each}分，"
            f"各按得分率×新分值计分，合计{format_points(score)}分。")


def rescaled_total(earned: Decimal, held: Decimal, points: Decimal, total: Decimal) -> str:
    """按实际适用分值折算：适用指标分值12分，得分10.6分，总分=10.6÷12×20=17.67分。"""
    return (f"按实际适用分值折算：适用指标分值{format_points(held)}分，得分{format_points(earned)}分，"
            f"总分={format_points(earned)}÷{format_points(held)}×{format_points(points)}={format_points(total)}分。")


def missing(fields: Sequence[str]) -> str:
    """未评：缺少 X、Y。"""
    return f"未评：缺少{'、'.join(fields)}。" if fields else "未评。"


def unscored(why: str) -> str:
    """A leaf the published rule gives no score (scoring as published): 未评 and why.

    >>> unscored("规则缺失（E406）"), unscored("分母“名额”为 0，无法计算。")
    ('未评：规则缺失（E406）。', '未评：分母“名额”为 0，无法计算。')
    """
    return f"未评：{_strip_stop(why)}。"


def clamped(reason: str, points: Decimal, floor: Decimal = Decimal(0)) -> str:
    """A rule's result outside [floor, points] is held to it, and the sentence says so (floor: 最低, else 0)."""
    return _bracketed(reason, f"规则结果超出{format_points(floor)}～{format_points(points)}分，按分值界限计")


def unclamped(reason: str, points: Decimal) -> str:
    """A rule's result outside [0, points] kept as written (scoring as published), and the sentence says so.

    >>> unclamped("合计得3分。", Decimal(2))
    '合计得3分（规则结果超出0～2分，按原文计，未按分值封顶）。'
    """
    return _bracketed(reason, f"规则结果超出0～{format_points(points)}分，按原文计，未按分值封顶")


def _bracketed(reason: str, remark: str) -> str:
    return reason[:-1] + f"（{remark}）。" if reason.endswith("。") else reason


def with_defects(reason: str | None, defects: Sequence[tuple[str, str]]) -> str | None:
    """The checker's findings about a leaf after its sentence (scoring as published), each with its code.

    >>> with_defects("2项要素中符合2项，得2分。", [("E401", "规则最多只能给 2 分，而指标是 3 分。")])
    '2项要素中符合2项，得2分。[E401] 规则最多只能给 2 分，而指标是 3 分。'
    """
    if reason is None or not defects:
        return reason
    return _strip_stop(reason) + "。" + "".join(f"[{code}] {_strip_stop(message)}。" for code, message in defects)


def with_note(reason: str | None, note: str | None) -> str | None:
    """The evaluator's note appended to the generated sentence.

    >>> with_note("得3分。", "见附件2。"), with_note("得2分。部分项目预算执行率为0%", "见附件2。")
    ('得3分。见附件2。', '得2分。部分项目预算执行率为0%。见附件2。')
    """
    if not note:
        return reason
    note = note.strip()
    if not reason:
        return note
    if not reason.endswith(_SENTENCE_ENDS):  # a note given without its full stop
        reason += "。"
    return reason + note


_SENTENCE_ENDS = ("。", "！", "？", "）", ")", "”", "」", "!", "?")


def _strip_stop(text: str) -> str:
    return text.strip().rstrip("。.；;，,")


__all__ = [
    "Shown",
    "checklist",
    "choice",
    "clamped",
    "deviation",
    "discretionary",
    "fixed_band",
    "formula",
    "is_",
    "linear_band",
    "missing",
    "gate_failed",
    "unit_class",
    "no_data",
    "not_applicable_excluded",
    "not_applicable_full",
    "rescaled_total",
    "shared_points",
    "option_words",
    "parts",
    "per_finding",
    "points_phrase",
    "quantity_text",
    "quote_options",
    "sentence",
    "special",
    "target",
    "unclamped",
    "unscored",
    "with_defects",
    "with_note",
]
