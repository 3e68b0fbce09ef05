"""A judged or recorded score as every reader reads it (`read_score`): its 分 dropped (30分, 30 分), another unit
(30元) refused naming 分, the figure within the limits of a batch, one message and hint per mistake.

Evaluators write 分 after a score as readily as 项 after a count of findings: a recorded score (`idsl audit`) and a
judged one (酌情) read "30分" as 30 in a JSON file, a workbook cell and a batch cell on either engine. Full-width
figures (３０分) are refused in the words an input's figure gets.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from idsl.frontend import ast
from idsl.io.inputfile import BLANKS
from idsl.io.values import full_width, show
from idsl.semantics.domains import MAX_DECIMALS, digits_problem
from idsl.semantics.numbers import format_points, to_decimal

_FIGURE = r"[+-]?[0-9０-９]+(?:[.．][0-9０-９]+)?"
_WITH_POINTS = re.compile(rf"({_FIGURE})[{BLANKS}]*分")
_WITH_UNIT = re.compile(rf"({_FIGURE})[{BLANKS}]*([^0-9０-９{BLANKS}%％.．分][^0-9０-９{BLANKS}%％]*)")


def without_points_word(value: Any) -> Any:
    """A score's text without its 分: "30分" and "30 分" as "30"; any other value as it is.

    >>> without_points_word("30分"), without_points_word(" 2.5 分"), without_points_word("十分"), without_points_word(3)
    ('30', '2.5', '十分', 3)
    """
    if isinstance(value, str):
        found = _WITH_POINTS.fullmatch(value.strip(BLANKS))
        if found is not None:
            return found.group(1)
    return value


def other_unit(value: Any) -> tuple[str, str] | None:
    """(figure, unit) of a score written with a unit that is not 分 ("30元": ("30", "元")), else None.

    >>> other_unit("30元"), other_unit("30 万元"), other_unit("30分"), other_unit("基本完成")
    (('30', '元'), ('30', '万元'), None, None)
    """
    found = _WITH_UNIT.fullmatch(value.strip(BLANKS)) if isinstance(value, str) else None
    return (found.group(1), found.group(2)) if found is not None else None


def judged_not_a_number(quoted: str, written: Any) -> tuple[str, str]:
    """A judged score (酌情得分) that is no number, as (message, hint): one error in every reader and both engines
    (`quoted`: the value as a message quotes it, `written`: as given)."""
    unit = other_unit(written)
    if unit is not None:
        return f"酌情得分以“分”计，这里写了“{unit[1]}”：{quoted}。", f"只填分数，例如 \"{unit[0]}\" 或 \"{unit[0]}分\"。"
    return f"酌情得分应是一个数，这里是 {quoted}。", "填一个数，例如 3.5；理由写在“理由”里。"


def recorded_in_other_unit(quoted: str, written: Any) -> tuple[str, str] | None:
    """A recorded score written with a unit that is not 分, as (message, hint), else None."""
    unit = other_unit(written)
    if unit is None:
        return None
    return f"记录的得分以“分”计，这里写了“{unit[1]}”：{quoted}。", f"填报告记录的分数，例如 \"{unit[0]}\" 或 \"{unit[0]}分\"。"


def recorded_not_a_number(quoted: str, written: object = None) -> tuple[str, str]:
    """A recorded score that is no number (`quoted`: the value as a message quotes it, “五分”; `written`: as given),
    as (message, hint): one error, in the JSON inputs, the workbooks and both batch engines (the SQL check passes
    “SHOWN”). A number in another unit than 分 (30元) is told so."""
    return recorded_in_other_unit(quoted, written) or (f"记录的得分应是一个数，这里是 {quoted}。",
                                                       "填报告记录的分数，如 3.5；没有记录的留空。")


def judged_out_of_range(shown: str, low: Decimal, high: Decimal) -> tuple[str, str]:
    """A judged score outside its range, shown as the number read (3.5, not “3.5分”), as (message, hint)."""
    return (f"酌情得分 {shown} 超出允许范围 {format_points(low)}～{format_points(high)} 分。",
            f"填 {format_points(low)}～{format_points(high)} 之间的分数。")


def score_limit(figure: Decimal, written: str) -> tuple[str, str | None] | None:
    """A score with more digits than a batch's exact columns hold, in the words an input's figure gets."""
    too_large = digits_problem(figure, counted=False)
    if too_large is not None:
        return f"{written}：{too_large[0]}", too_large[1]
    places = -figure.normalize().as_tuple().exponent if figure else 0
    if places > MAX_DECIMALS:
        return f"{written}：小数最多 {MAX_DECIMALS} 位，这里有 {places} 位。", None
    return None


def read_score(value: Any, judged: bool) -> tuple[Decimal | None, tuple[str, str | None] | None]:
    """A judged (酌情) or recorded score as given in a JSON file or a workbook cell: its number, or why it is none
    (the words a batch cell gets). A percent (90%, a percent-formatted cell read as "90%") is no score.

    >>> read_score("3.5分", True), read_score(" 2 ", False)
    ((Decimal('3.5'), None), (Decimal('2'), None))
    >>> read_score("90%", True)[1][0], read_score("2.1234567", False)[1][0], read_score("３分", True)[1][0]
    ('酌情得分应是一个数，这里是 “90%”。', '2.1234567：小数最多 6 位，这里有 7 位。', '数字只能用 0–9 书写，这里是 “３分”。')
    """
    wide = full_width(show(value), value) if isinstance(value, str) else None
    if wide is not None:  # ９０分: the words an input's figure gets (io.values)
        return None, wide
    figure = _figure(without_points_word(value))
    if figure is None:
        words = judged_not_a_number if judged else recorded_not_a_number
        return None, words(show(value), value if not isinstance(value, ast.Num) else show(value))
    written = value.strip(BLANKS) if isinstance(value, str) else show(value)
    problem = score_limit(figure, written)
    return (None, problem) if problem is not None else (figure, None)


def _figure(value: Any) -> Decimal | None:
    if isinstance(value, ast.Num):  # from a worked example: a score has no % or unit
        return value.value if not value.percent and not value.unit else None
    if isinstance(value, bool):
        return None
    try:
        figure = to_decimal(value)
    except (TypeError, ValueError):
        return None
    return figure if figure.is_finite() else None


__all__ = ["judged_not_a_number", "judged_out_of_range", "other_unit", "read_score", "recorded_in_other_unit",
           "recorded_not_a_number", "score_limit", "without_points_word"]
