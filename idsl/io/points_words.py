"""A score written with its 分 (30分, 30 分), read as its number by every reader; another unit (30元) refused naming 分.

Evaluators write 分 after a score as readily as 项 after a count of findings: a recorded score (`idsl audit`) and a
judged one (酌情) read "30分" as 30 in a JSON file, a workbook cell and a batch cell on either engine. Full-width
figures (３０分) are read as the same reader reads them without 分.
"""

from __future__ import annotations

import re
from typing import Any

from idsl.io.inputfile import BLANKS

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


__all__ = ["judged_not_a_number", "other_unit", "recorded_in_other_unit", "without_points_word"]
