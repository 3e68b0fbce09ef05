"""One input value checked against its declaration: numbers (exact), rates, yes/no words, choices."""

from __future__ import annotations

import difflib
import json
import re
from decimal import Decimal
from fractions import Fraction
from typing import Any

from idsl.frontend import ast
from idsl.semantics.domains import (ambiguous_rate, counts_findings, digits_problem, figure_hint, figure_problem,
                                    input_domain, is_count, misfit_unit)
from idsl.semantics.bounded import Bound, refused, split_bound
from idsl.semantics.counts import count_unit
from idsl.semantics.numbers import (
    decimal_text,
    format_number,
    format_percent,
    format_points,
    to_decimal,
)
from idsl.semantics.units import conversion_factor, convertible

# Words read as yes and as no in a yes/no cell (the batch reader uses the same sets).
YES_WORDS = {"是", "yes", "Yes", "YES", "符合", "√", "true", "True"}
NO_WORDS = {"否", "no", "No", "NO", "不符合", "×", "false", "False"}
RATE_WANTED = "应填一个带 % 的比率，如 95%。"  # the hint for a rate written as words with no number in them


_GROUPED = re.compile(r"[+-]?[0-9]{1,3}(?:[,，][0-9]{3})+(?:[.][0-9]+)?(?![0-9])")


TARGET_SIGNS = "≥≤><=＞＜＝≧≦≮≯"  # a target's comparison, written where the actual value goes
_WITH_UNIT = re.compile(r"([+-]?[0-9]+(?:[.][0-9]+)?)\s*([^0-9\s%％.]+)")


def written_problem(decl: ast.Input, text: str) -> tuple[str, str] | None:
    """What a number field holds instead of a number, in words the evaluator can act on (message, hint):
    a target's sign (“≥90%”) or a unit other than the input's (“735人” for 人次); None otherwise (a number,
    one written with the input's own unit or %, or words, which the readers call not a number).
    The JSON and workbook reader and both batch engines word these cells with this one function.

    A number in another unit of the input's family (元 for 万元, 个 for 万个) is no problem: `in_own_unit`
    converts it.

    A bound (“≥735人次”, “不低于735人次”) is read only where a target compares it (`convert`'s `bounded`); here,
    where the rule needs the number itself, it is refused naming why.

    >>> decl = ast.Input("实际受资助人数", "count", "人次")
    >>> written_problem(decl, "≥735人次")[0]
    '“实际受资助人数”要用实际达到的数计算，不写“≥”：这里是 “≥735人次”。'
    >>> written_problem(decl, "735人")[0], written_problem(decl, "735人次"), written_problem(decl, "0.0735万人次")
    ('单位“人”与“实际受资助人数”的单位“人次”不同，不能换算：这里是 “735人”。', None, None)
    >>> written_problem(decl, "基本完成") is None
    True
    """
    text = text.strip()
    bound = split_bound(text)
    if bound is not None:
        return refused(decl, text, bound[1])
    if text and text[0] in TARGET_SIGNS:  # ("" is in every string)
        return (f"“{decl.name}”填实际达到的数，不写“{text[0]}”：这里是 “{text}”。",
                "年度指标值（≥、≤、= 的目标）已写在体系里；这里只填实际完成值，例如 " + _example(decl, text) + "。")
    found = _WITH_UNIT.fullmatch(text)
    if found and found.group(2) != decl.unit and in_own_unit(decl, text) is None:
        unit, figure = found.group(2), found.group(1)
        if decl.unit:
            return (f"单位“{unit}”与“{decl.name}”的单位“{decl.unit}”不同，不能换算：这里是 “{text}”。",
                    f"按{decl.unit}填写，例如 \"{figure}\"（确是{unit}的，先换算成{decl.unit}）。")
        if decl.kind == "findings":  # 2 项 is read; 2 万次 or 2 元 counts no findings
            word = count_unit(decl)
            return (f"“{decl.name}”是问题的个数，这里写了“{unit}”：“{text}”。",
                    f"只填个数，例如 \"{figure}\" 或 \"{figure}{word}\"。")
        return (f"“{decl.name}”是不带单位的数，这里写了“{unit}”：“{text}”。", f"只填数字，例如 \"{figure}\"。")
    return None


def in_own_unit(decl: ast.Input, text: str) -> str | None:
    """A number written in another unit of the input's family, as the figure in the input's own unit (exact:
    the units differ by powers of ten), or a count of findings with its counting word; None when the text is
    no such number.

    >>> in_own_unit(ast.Input("单价", "money", "万元"), "250000元"), in_own_unit(ast.Input("x", "count", "个"), "1.5万个")
    ('25', '15000')
    >>> in_own_unit(ast.Input("x", "count", "人次"), "735人") is None, in_own_unit(ast.Input("问题数", "findings"), "2 笔")
    (True, '2')
    """
    found = _WITH_UNIT.fullmatch(text.strip())
    if found is not None and decl.kind == "findings" and counts_findings(found.group(2)):
        return found.group(1)  # 2 项, 3笔: a count of findings may carry a plain counting word, as in 设 … = 2 项
    if found is None or not decl.unit or decl.kind not in ("money", "count", "number"):
        return None
    unit = found.group(2)
    if unit == decl.unit or not convertible(unit, decl.unit):
        return None
    return decimal_text(Decimal(found.group(1)) * conversion_factor(unit, decl.unit))


_NO_FIGURE = re.compile("[0-9%％]")


def words_hint(decl: ast.Input, text: str, actual: bool) -> str | None:
    """The hint for words where a target's actual value goes (“基本完成”): a number is wanted; judging in words
    is what a 定性 row does, by a tier. None for other fields or for text with a figure in it.

    >>> words_hint(ast.Input("覆盖率", "rate"), "基本完成", True).split("；")[0]
    '“覆盖率”是定量指标的实际完成值，填数，例如 "95%"'
    >>> words_hint(ast.Input("覆盖率", "rate"), "约95%", True) is None
    True
    """
    if not actual or not text.strip() or _NO_FIGURE.search(text):
        return None
    example = "95%" if decl.kind == "rate" else f"100{decl.unit or ''}"
    return (f"“{decl.name}”是定量指标的实际完成值，填数，例如 \"{example}\"；“完成”“基本完成”之类的判断用于定性指标，"
            "定性指标选档次（如 达成 / 部分达成 / 未达成）并在档内给分。")


def not_a_number(decl: ast.Input, quoted: str, text: str, actual: bool) -> tuple[str, str | None]:
    """A number field holding something else (`quoted`: the value as a message quotes it), as (message, hint): words
    where a target's actual goes say what to write instead (`words_hint`), a rate asks for its figure and %. The JSON
    and workbook reader and both batch engines word such a value with this one function.

    >>> not_a_number(ast.Input("完成率", "rate"), "“约95”", "约95", False)
    ('应填一个数，这里是 “约95”。', '应填一个带 % 的比率，如 95%。')
    """
    hint = words_hint(decl, text, actual)
    if hint is None and decl.kind == "rate":
        hint = RATE_WANTED
    return f"应填一个数，这里是 {quoted}。", hint


def _example(decl: ast.Input, text: str) -> str:
    digits = re.search(r"[0-9]+(?:[.][0-9]+)?", text)
    figure = digits.group(0) if digits else "95"
    return f"\"{figure}%\"" if decl.kind == "rate" else f"\"{figure}\""


def stray_comma(quoted: str) -> tuple[str, str]:
    """A number field with a comma that parts no groups of three (`quoted`: the value as a message quotes it), as
    (message, hint). The JSON and workbook reader and both batch engines word such a value with this one function.

    >>> stray_comma("“1,0”")
    ('应填一个数，这里是 “1,0”。', '逗号只能用作千位分隔，如 1,000。')
    """
    return f"应填一个数，这里是 {quoted}。", "逗号只能用作千位分隔，如 1,000。"


def without_thousands(text: str) -> str:
    """A number's thousands separators dropped when they part groups of three (1,000 → 1000); any other
    comma is kept, so the number is refused rather than read as another (“1,00” is not 100).

    >>> without_thousands("1,089.6万元"), without_thousands("1,00"), without_thousands("12，345")
    ('1089.6万元', '1,00', '12345')
    """
    if "," not in text and "，" not in text:
        return text
    found = _GROUPED.match(text)
    if found is None or any(c in text[found.end():] for c in ",，"):
        return text
    return found.group(0).replace(",", "").replace("，", "") + text[found.end():]


def convert(decl: ast.Input, value: Any, error, actual: bool = False, bounded: bool = False) -> Any:
    """A value checked against its declaration: a Fraction, a bool, or a choice's label (None on error).

    `error(message, hint=None)` is called for each problem; `actual`: the input is a target's actual value
    (words there get `words_hint`); `bounded`: a target compares it and nothing else reads it, so text
    written as a bound (“≥266米”) is read as a `Bound` (its figure checked as a number would be).

    >>> convert(ast.Input("执行率", "rate"), "89.67%", print)
    Fraction(8967, 10000)
    >>> convert(ast.Input("执行率", "rate"), 120, lambda message, hint=None: print(message))
    值 120% 超出允许范围 0%～100%。
    """
    kind = decl.kind
    if kind == "bool":
        flag = as_bool(value)
        if flag is None:
            error(f"应填“是”或“否”，这里是 {show(value)}。")
        return flag
    if kind == "choice":
        return _choice(decl, value, error)
    if bounded and isinstance(value, str) and (split := split_bound(value)) is not None:
        figure = convert(decl, split[2], error, actual)
        return None if figure is None else Bound(split[0], figure, value.strip())
    number = _quantity(decl, value, error, actual)
    if number is None:
        return None
    if kind == "findings":
        if number < 0 or number.denominator != 1:
            error(f"问题数应是不小于 0 的整数，这里是 {show(value)}。")
            return None
        return number
    low, high = input_domain(decl)
    if (low is not None and number < low) or (high is not None and number > high):
        error(f"值 {_shown_number(decl, number)} 超出允许范围 {range_text(decl, low, high)}。", domain_hint(decl, number))
        return None
    return number


def _quantity(decl: ast.Input, value: Any, error, actual: bool = False) -> Fraction | None:
    """The number a rate, money, count or plain-number field holds, in the declared unit."""
    if isinstance(value, ast.Num):  # from a worked example: the same limits as a figure in a file
        problem = figure_problem(value.value, decl)
        if problem is not None:
            error(f"{show(value)}：{problem}", figure_hint(value.value, decl))
            return None
        said = example_unit_problem(decl, value)
        if said is not None:
            error(*said)
            return None
        if decl.kind == "rate" and not value.percent and ambiguous_rate(value.value):  # as a JSON 0.98 is told
            error(*_both_readings(show(value), show(value)))
            return None
        amount = Fraction(value.amount) if decl.kind != "rate" or value.percent else Fraction(value.value) / 100
        if value.unit and decl.unit and value.unit != decl.unit:
            amount *= Fraction(conversion_factor(value.unit, decl.unit))
        return amount
    if isinstance(value, bool) or value is None or isinstance(value, (list, dict, float)):
        error(f"应填一个数，这里是 {show(value)}。", float_hint(value))
        return None
    if isinstance(value, str):
        text = without_thousands(value.strip())
        wide = full_width(show(value), text)
        if wide is not None:  # ９５%: before words and commas, as a batch cell is told (engines.validation)
            error(*wide)
            return None
        if "," in text or "，" in text:
            error(*stray_comma(show(value)))
            return None
        said = written_problem(decl, text)
        if said is not None:
            error(*said)
            return None
        if words_hint(decl, text, actual) is not None:
            error(*not_a_number(decl, show(value), text, actual))
            return None
        text = in_own_unit(decl, text) or text  # 250000元 for a 万元 input: 25
        if decl.unit and text.endswith(decl.unit):  # 10万元 for a 万元 input, as a batch cell reads it
            text = text[: -len(decl.unit)].strip()
        percent = text.endswith(("%", "％"))
        if percent:
            text = text[:-1].strip()
        if decl.kind == "rate" and not percent:
            if not _is_number(text):  # 很多, 约95: a % after it would not make it a rate
                error(*not_a_number(decl, show(value), text, actual))
            elif ambiguous_rate(to_decimal(text)):  # 0.95: 0.95% or 95%, as a JSON number 0.95 is told
                error(*_both_readings(show(value), text))
            else:
                error(f"比率写成文字时要带 %，例如 \"{text}%\"。")
            return None
        if decl.kind != "rate" and percent:
            error(percent_refused(decl))
            return None
        number = _figure(decl, text, value, error)
        return None if number is None else (number / 100 if percent else number)
    number = _figure(decl, value, value, error)
    if number is not None and decl.kind == "rate" and ambiguous_rate(number):  # a JSON 0.98: 0.98% or 98%?
        error(*_both_readings(show(value), show(value)))
        return None
    return None if number is None else (number / 100 if decl.kind == "rate" else number)


def _both_readings(quoted: str, figure: str) -> tuple[str, str]:
    """A rate between -1 and 1 written without % (`quoted` as the message shows it): both readings, as (message, hint)."""
    percent = decimal_text(to_decimal(figure) * 100)
    return (f"比率写的是 {quoted}，没有带 %：是 {figure}% 还是 {percent}%？",
            f"-1 到 1 之间的比率请带 % 写，如 \"{percent}%\" 或 \"{figure}%\"。")


def example_unit_problem(decl: ast.Input, value: ast.Num) -> tuple | None:
    """Why a worked example's number cannot be read in its input's unit, as a file's text would be told
    (90% for an amount, 90 万元 for a rate, 100 人 for 万元), else None; 1000000 元 for 万元 converts."""
    if misfit_unit(value, decl):
        found = []
        _quantity(decl, show(value), lambda message, hint=None: found.append((message, hint)))
        return found[0] if found else ("单位与输入的声明不符。", None)
    return None


def _figure(decl: ast.Input, written: Any, value: Any, error) -> Fraction | None:
    """The exact number written (a rate: its percent figure), refused beyond the inputs' limits."""
    try:
        figure = to_decimal(written)
    except (ValueError, TypeError):
        error(*not_a_number(decl, show(value), str(written), False))
        return None
    written_as = value.strip() if isinstance(value, str) else show(value)  # as a batch cell or a workbook's shows it
    too_large = digits_problem(figure, is_count(decl)) if figure.is_finite() else None
    if too_large is not None:
        error(f"{written_as}：{too_large[0]}", too_large[1])
        return None
    problem = figure_problem(figure, decl)
    if problem is not None:
        error(f"{written_as}：{problem}")
        return None
    return Fraction(figure)


def range_text(decl: ast.Input, low: Fraction | None, high: Fraction | None) -> str:
    """A declared range in words: “0%～100%”, “不小于 0万元”."""
    def show(x):
        return _shown_number(decl, x)
    if low is not None and high is not None:
        return f"{show(low)}～{show(high)}"
    if low is not None:
        return f"不小于 {show(low)}"
    return f"不大于 {show(high)}"


def domain_hint(decl: ast.Input, number: Fraction) -> str | None:
    """What to write in the spec when a value outside the declared range is right after all."""
    if decl.kind in ("money", "number") and number < 0 and not decl.signed:
        return "可以为负时，在体系的输入声明里加“可负”。"
    if decl.kind == "rate":
        return (f"应填 {range_text(decl, *input_domain(decl))} 之内的比率；超出是实情时，在体系里这个比率的声明后"
                "写更宽的“范围 低～高”。")
    return None


def _is_number(text: str) -> bool:
    """Whether text (a % taken off) is a number as a figure is read, whatever its size."""
    try:
        to_decimal(text)
    except (ValueError, TypeError):
        return False
    return True


def _shown_number(decl: ast.Input, number: Fraction) -> str:
    if decl.kind == "rate":
        return format_percent(number, 4)
    return format_number(number) + (decl.unit or "")


OTHER_DIGITS = r"\p{Nd}"  # RE2's decimal digits, ASCII 0–9 among them: the SQL check finds the others with it


def full_width(quoted: str, text: str) -> tuple[str, str] | None:
    """A number written with digits other than 0–9 (full-width ９５%, ৯০), as (message, hint), in every reader and both
    engines (the SQL check passes `SHOWN` for `quoted` and finds such digits itself); None when it has none.

    >>> full_width("“９５%”", "９５%")
    ('数字只能用 0–9 书写，这里是 “９５%”。', '用半角数字 0–9 重写这个数。')
    """
    if not any(c.isdecimal() and not c.isascii() for c in text):
        return None
    return f"数字只能用 0–9 书写，这里是 {quoted}。", "用半角数字 0–9 重写这个数。"


def percent_refused(decl: ast.Input) -> str:
    """A % after a figure that is no rate: one message in every reader and both engines."""
    return f"这是{_kind_word(decl)}，不是比率，不能带 %。"


def _kind_word(decl: ast.Input) -> str:
    return {"money": "金额", "count": "数量", "number": "数值", "findings": "问题数"}.get(decl.kind, "数")


def _choice(decl: ast.Input, value: Any, error) -> str | None:
    if not isinstance(value, str):
        error(f"应填一个选项，这里是 {show(value)}。", options_hint(decl))
        return None
    text = value.strip()
    if text in decl.options:
        return text
    letters = {chr(ord("A") + i): option for i, option in enumerate(decl.options)}
    if text.upper() in letters and len(text) == 1:
        return letters[text.upper()]
    close = difflib.get_close_matches(text, decl.options, n=1, cutoff=0.6)
    hint = f"是不是“{close[0]}”？" if close else options_hint(decl)
    error(f"没有这个选项：“{text}”。", hint)
    return None


def float_hint(value: Any) -> str | None:
    """Python floats are not exact; numbers from Python code must be Decimal, int or str."""
    if isinstance(value, float):
        return "这是二进制浮点数，不能精确表示；请用 Decimal、整数或字符串（读 JSON 用 idsl.semantics.numbers.loads）。"
    return None


def options_hint(decl: ast.Input) -> str:
    """The options of a choice, lettered as a cell may name them."""
    return "可选：" + "；".join(f"{chr(ord('A') + i)}. {o}" for i, o in enumerate(decl.options))


def as_bool(value: Any) -> bool | None:
    """A yes/no value: True/False, 1/0, or one of the yes and no words; None for anything else."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, Decimal) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        text = value.strip()
        if text in YES_WORDS:
            return True
        if text in NO_WORDS:
            return False
    return None


def is_number(value: Any) -> bool:
    """Whether a value is a number as read from JSON or a worked example (not a bool)."""
    return isinstance(value, (int, Decimal, ast.Num)) and not isinstance(value, bool)


def to_fraction(value: Any) -> Fraction | None:
    """A number given in any form the readers produce, exactly; None when it is not one."""
    if isinstance(value, ast.Num):
        return Fraction(value.amount)
    if isinstance(value, bool):
        return None
    try:
        return Fraction(to_decimal(value))
    except (ValueError, TypeError):
        return None


def show(value: Any) -> str:
    """A value as quoted in a message: text in “”, numbers as written, JSON for the rest."""
    if isinstance(value, ast.Num):
        shown = format_points(value.value) if _plain(value.value) else str(value.value)
        return shown + ("%" if value.percent else "") + (value.unit or "")
    if isinstance(value, str):
        return f"“{value}”"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return format(value, "f") if _plain(value) else str(value)  # 1E+999999999 is never written out
    return json.dumps(value, ensure_ascii=False, default=str)


def _plain(number: Decimal) -> bool:
    """Whether a number is short enough to write out in full."""
    return not number.is_finite() or not number or -40 < number.adjusted() < 40


__all__ = ["NO_WORDS", "RATE_WANTED", "TARGET_SIGNS", "YES_WORDS", "as_bool", "convert", "domain_hint", "float_hint", "in_own_unit",
           "input_domain", "is_number", "not_a_number", "options_hint", "OTHER_DIGITS", "full_width", "percent_refused", "range_text", "show", "to_fraction", "words_hint", "written_problem"]
