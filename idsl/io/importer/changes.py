"""Rules on a change: a figure's direction against another's (较上年提高的，得满分), and a change rate's special cases
on its base year at 0 (上年度为0的，本年度继续为0的，得3分), where the rate is undefined."""

from __future__ import annotations

import re

from idsl.io.importer.elements import AWARD
from idsl.io.importer.phrases import award, names_in

# 变动率=(本年÷上年-1) or ((本年-上年)/上年), ×100% already dropped: the current year's figure and the base year's
_CHANGE = (re.compile(r"\(?([^()÷/\-]+)[÷/]([^()÷/\-]+)-1\)?"), re.compile(r"\(([^()÷/\-]+)-([^()÷/\-]+)\)[÷/]\2"))
_BASE_ZERO = re.compile(rf"(?P<rate>[^，；。]*?)上一?年度?(?:末)?为0的?[，、]?本年度?(?:末)?(?:继续|仍然|仍|也)?"
                        rf"(?:(?P<zero>为0)|(?P<above>大于0|>0|增加|增长))的?")


def base_year_cases(items: list[tuple[str, str]], leaf) -> list[tuple[str, str]]:
    """Numbered items less those that are a defined change rate's base-year-at-0 cases, each made a special case of
    the two figures (若 上年 = 0 且 本年 = 0 则 得 3 分); the items as they were where there is none.

    >>> from idsl.io.importer.leaf import Leaf
    >>> leaf = Leaf(None, "score", "", derived=[("变动率", "本年存量÷上年存量-1")])
    >>> base_year_cases([("变动率>0", "不得分"), ("变动率上年度为0的，本年度继续为0", "得3分")], leaf), leaf.specials
    ([('变动率>0', '不得分')], ['若 上年存量 = 0 且 本年存量 = 0 则 得 3 分'])
    """
    kept, specials = [], []
    for condition, outcome in items:
        case = _base_zero(condition, outcome, leaf)
        if case is None:
            kept.append((condition, outcome))
        else:
            specials.append(case)
    if not specials or not kept:
        return items
    leaf.specials.extend(specials)
    return kept


def _base_zero(condition: str, outcome: str, leaf) -> str | None:
    found = _BASE_ZERO.fullmatch(condition.removesuffix("的"))
    written = award(outcome, leaf.kind)
    if found is None or written is None:
        return None
    figures = _figures(found.group("rate"), leaf)
    if figures is None:
        return None
    current, base = figures
    return f"若 {base} = 0 且 {current} {'= 0' if found.group('zero') else '> 0'} 则 {written}"


def _figures(rate: str, leaf) -> tuple[str, str] | None:
    """The current and base figures of the change rate named (or the only one defined, where none is named)."""
    defined = [(name, expr) for name, expr in leaf.derived if name == rate or not rate]
    for _, expr in defined[:1] if len(defined) == 1 else []:
        for pattern in _CHANGE:
            found = pattern.fullmatch(expr.replace(" ", ""))
            if found:
                return found.group(1), found.group(2)
    return None


# the words a table says a direction in: 提高 (> 0), 持平 (= 0), 下降 (< 0), as `趋势` writes them
_DIRECTIONS = {"提高": "提高", "提升": "提高", "增加": "提高", "增长": "提高", "上升": "提高", "持平": "持平",
               "不变": "持平", "下降": "下降", "降低": "下降", "减少": "下降"}
_DIRECTION = "|".join(_DIRECTIONS)


def trend(flat: str, leaf):
    """`本年满意率较上年满意率提高的，得满分；持平的，得1分；下降的，不得分。`: a `趋势` of the two figures, each
    direction once (the figures guessed as inputs).

    >>> from idsl.io.importer.leaf import Leaf
    >>> trend("本年收入较上年收入增长的，得2分；持平的，得1分；降低的，不得分。", Leaf(None, "score", ""))
    ('趋势', ['趋势 本年收入 较 上年收入：提高 得 2 分；持平 得 1 分；下降 不得分'])
    """
    found = re.fullmatch(rf"(\S+?)较(\S+?)((?:(?:{_DIRECTION})的，{AWARD}[；;]?)+)。", flat)
    if found is None or any(names_in(name) != [name] for name in found.group(1, 2)):
        return None
    bands = []
    for word, outcome in re.findall(rf"({_DIRECTION})的，({AWARD})", found.group(3)):
        written = award(outcome, leaf.kind)
        if written is None:
            return None
        bands.append((_DIRECTIONS[word], written))
    if len({word for word, _ in bands}) < len(bands):
        return None  # a direction twice: the text is not one trend
    leaf.uses.extend(found.group(1, 2))
    return "趋势", [f"趋势 {found.group(1)} 较 {found.group(2)}：" + "；".join(f"{w} {o}" for w, o in bands)]


__all__ = ["base_year_cases", "trend"]
