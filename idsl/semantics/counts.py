"""What a count counts and the word its numbers are in (问题数: 一项问题, 违规次数: 一次违规), for the 评分标准 and the reasons."""

from __future__ import annotations

from typing import Mapping

import attrs

from idsl.frontend import ast

# Counting words a count's name may end in before 数 (违规次数, 问题个数): they say how one is counted. The
# first ones never end a noun; the others do (专项, 事件, 条款), so they count only after a clause (不符合要求的例数).
_COUNTING_WORDS = ("人次", "个", "次", "例")
_NOUN_ENDINGS = ("项", "件", "处", "起", "条", "笔")
_NEGATIONS = ("未", "不", "没", "无")
# Nouns ending in one of those words (未按进度完成资金下达的专项数, 负面事件数): the word is part of what is counted.
_COMPOUND_NOUNS = frozenset({"专项", "事项", "款项", "分项", "子项", "单项", "立项", "事件", "案件", "文件", "条件",
                             "稿件", "信件", "邮件", "部件", "条款"})
# Counting words of occurrences: a 数量 count of none of them reads 无违规, 无事故 (无完成, 无公开 would not).
_OCCURRENCES = ("次", "人次", "起", "例")


def count_unit(decl: ast.Input) -> str | None:
    """The counting word of a count input: its declared unit (次, 人次 …); for a 问题数 the word its name counts in
    (违规笔数: 笔, 问题个数: 个), else 项; None for anything else."""
    if decl.kind == "findings":
        return counted(decl.name, None).measure
    return decl.unit if decl.kind == "count" else None


def count_units(inputs) -> dict[str, str]:
    """The counting word of every count input among `inputs` (ast.Input), by name."""
    return {decl.name: unit for decl in inputs if (unit := count_unit(decl)) is not None}


def zero_words(inputs) -> dict[str, str]:
    """How a table says a count is 0, by name: 未发现问题 for a 问题数, 无违规 for a count of occurrences (违规次数,
    事故起数); a count of anything else keeps its number (临聘人数为0人).

    >>> zero_words([ast.Input("问题数", "findings"), ast.Input("违规次数", "count", "次"), ast.Input("临聘人数", "count", "人")])
    {'问题数': '未发现问题', '违规次数': '无违规'}
    """
    words = {}
    for decl in inputs:
        if decl.kind == "findings":
            words[decl.name] = counted(decl.name, None).none()
        elif decl.kind == "count" and decl.unit in _OCCURRENCES:
            what = counted(decl.name, decl.unit)
            if what.named and what.measure == decl.unit:
                words[decl.name] = "无" + what.thing()
    return words


@attrs.frozen
class Counted:
    """What a count input counts, as a sentence says it: 问题数 counts 问题 by 项, 违规次数 counts 违规 by 次.

    >>> c = counted("问题个数", "项")
    >>> c.each(), c.found(2), c.none()
    ('每发现一个问题', '发现2个问题', '未发现问题')
    >>> counted("违规项数", "项").each(), counted("违规笔数", None).found(3)
    ('每发现一项违规', '发现3笔违规')
    >>> counted("未满足项数", "项").each(), counted("不符合要求的例数", "项").found(2), counted("未满足项数", "项").none()
    ('每发现一项未满足的', '发现2例不符合要求的情况', '未发现未满足的情况')
    """

    noun: str  # what is counted: 问题, 违规, 不符合要求的
    measure: str  # how one is counted: 项, 个, 次
    named: bool = attrs.field(default=False, eq=False, repr=False)  # the measure is the name's (违规次数), not its unit

    def each(self) -> str:
        """每发现一个问题."""
        return f"每发现一{self.measure}{self.noun}"

    def found(self, count: int) -> str:
        """发现2个问题; 发现2例不符合要求的情况."""
        return f"发现{count}{self.measure}{self.thing()}"

    def none(self) -> str:
        """未发现问题; 未发现不符合要求的情况."""
        return f"未发现{self.thing()}"

    def thing(self) -> str:
        """The noun as a reason names it alone: a clause (不符合要求的) is a 情况."""
        return self.noun + "情况" if self.noun.endswith("的") else self.noun


def counted(name: str, unit: str | None) -> Counted:
    """What a count named `name` in `unit` counts: the name less 发现 and 数, a counting word before 数 taken as its
    measure (问题个数 → 一个问题, 违规笔数 → 一笔违规), unless it ends a noun (专项, 事件); else the unit, else 项.

    >>> counted("问题数", "项"), counted("违规次数", "次"), counted("违规支出", "笔")
    (Counted(noun='问题', measure='项'), Counted(noun='违规', measure='次'), Counted(noun='违规支出', measure='笔'))
    >>> counted("未按进度完成资金下达的专项数", "项"), counted("负面事件数", "项"), counted("发现问题", "项")
    (Counted(noun='未按进度完成资金下达的专项', measure='项'), Counted(noun='负面事件', measure='项'), Counted(noun='问题', measure='项'))
    >>> counted("违规项数", "项"), counted("事故起数", "起"), counted("信访意见件数", "件")
    (Counted(noun='违规', measure='项'), Counted(noun='事故', measure='起'), Counted(noun='信访意见', measure='件'))
    """
    stem = name.removeprefix("发现") or name
    if stem.endswith("数") and len(stem) > 1:
        stem = stem[:-1]
        word = next((w for w in _COUNTING_WORDS + _NOUN_ENDINGS if stem.endswith(w) and len(stem) > len(w)), None)
        rest = stem[: -len(word)] if word else ""
        if word in _COUNTING_WORDS or rest.endswith("的"):
            return Counted(rest, word, True)
        if word is not None and rest.startswith(_NEGATIONS) and "的" not in rest:  # 未满足项数: 一项未满足的
            return Counted(rest + "的", word, True)
        if word is not None and rest[-1] + word not in _COMPOUND_NOUNS:  # 违规项数: 一项违规, not 一项违规项
            return Counted(rest, word, True)
    return Counted(stem, unit or "项")


def with_count_units(cond: ast.Cond, units: Mapping[str, str], subject: ast.Expr | None = None,
                     zeros: Mapping[str, str] | None = None) -> ast.Cond:
    """A condition whose bare numbers compared with a count carry the count's word, as amounts carry theirs:
    问题数≥3项, 3次—5次. `subject` is what an implicit band subject (a Range, ast.Subject) stands for. With `zeros`
    (zero_words), a count of 0 reads as the tables say it: 未发现问题, 无违规.

    >>> from decimal import Decimal
    >>> from idsl.semantics.phrases import describe_condition
    >>> c = ast.Compare((ast.Ref("问题数"), ast.Num(Decimal(3))), (">=",))
    >>> describe_condition(with_count_units(c, {"问题数": "项"}))
    '问题数≥3项'
    >>> none = ast.Compare((ast.Ref("问题数"), ast.Num(Decimal(0))), ("=",))
    >>> describe_condition(with_count_units(none, {"问题数": "项"}, zeros={"问题数": "未发现问题"}))
    '未发现问题'
    """
    if not units:
        return cond
    if isinstance(cond, ast.BoolOp):
        return attrs.evolve(cond, parts=tuple(with_count_units(part, units, subject, zeros) for part in cond.parts))
    if isinstance(cond, ast.Range):
        unit = _count_of(subject, subject, units)
        return attrs.evolve(cond, low=in_unit(cond.low, unit), high=in_unit(cond.high, unit)) if unit else cond
    if isinstance(cond, ast.Compare):
        zero = _none_of(cond, subject, zeros or {})
        if zero is not None:
            return ast.Compare((ast.Ref(zero),), ())
        unit = next((u for u in (_count_of(o, subject, units) for o in cond.operands) if u), None)
        if unit:
            return attrs.evolve(cond, operands=tuple(in_unit(o, unit) for o in cond.operands))
    return cond


def band_with_count_units(band: ast.Band, units: Mapping[str, str], subject: ast.Expr,
                          zeros: Mapping[str, str] | None = None) -> ast.Band:
    """A band over a count with its bare numbers in the count's word, the step of a linear band too:
    问题数≥1项每增加1项扣1分; with `zeros`, a band of none reads 未发现问题."""
    unit = _count_of(subject, subject, units)
    if unit is None:
        return band
    outcome = band.outcome
    if isinstance(outcome, ast.Linear):
        outcome = attrs.evolve(outcome, step=in_unit(outcome.step, unit))
    return attrs.evolve(band, cond=with_count_units(band.cond, units, subject, zeros), outcome=outcome)


def _none_of(cond: ast.Compare, subject: ast.Expr | None, zeros: Mapping[str, str]) -> str | None:
    """How a table says `count = 0`: 未发现问题, 无违规; None for any other comparison."""
    if cond.written or cond.ops != ("=",):
        return None
    count, zero = cond.operands if isinstance(cond.operands[1], ast.Num) else reversed(cond.operands)
    if not (isinstance(zero, ast.Num) and zero.value == 0 and not zero.percent):
        return None
    if isinstance(count, ast.Subject):
        count = subject
    return zeros.get(count.name) if isinstance(count, ast.Ref) else None


def _count_of(expr: ast.Expr | None, subject: ast.Expr | None, units: Mapping[str, str]) -> str | None:
    if isinstance(expr, ast.Subject):
        expr = subject
    return units.get(expr.name) if isinstance(expr, ast.Ref) else None


def in_unit(expr: ast.Expr, unit: str | None) -> ast.Expr:
    """A bare number in `unit`; anything else (a %, a number with its own unit, a name) as it is."""
    if unit and isinstance(expr, ast.Num) and not expr.percent and expr.unit is None:
        return attrs.evolve(expr, unit=unit)
    return expr


__all__ = ["Counted", "band_with_count_units", "count_unit", "count_units", "counted", "in_unit", "with_count_units",
           "zero_words"]
