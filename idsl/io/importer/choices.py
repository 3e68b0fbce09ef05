"""Scored sub-choices summed: `A得分：(1)…的，得2分。(2)…  B得分：(1)…  本指标得分=A得分+B得分` as a choice per part."""

from __future__ import annotations

import re
from decimal import Decimal

from idsl.io.importer.phrases import NUM, names_in
from idsl.semantics.numbers import format_points

_OPTION = re.compile(rf"(.+?)的?，(?:得|计)({NUM})分[。；]?")
_LABEL = re.compile(r"[^\s:：#\"\-][^\n:：≥≤<>=]*")


def choice_parts(flat: str, leaf):
    """Each part's options, numbered (1)(2)…, as a `选择` under a `分项` worth its best option.

    >>> from idsl.io.importer.leaf import Leaf
    >>> choice_parts("1.目标公开得分：(1)全部公开的，得2分。(2)未公开的，得0分。2.结果公开得分：(1)按时公开的，得1分。"
    ...              "(2)未公开的，得0分。本指标得分=目标公开得分+结果公开得分。", Leaf(Decimal(3), "score", "公开"))[1]
    ['分项 目标公开（2）', '  选择 目标公开情况', '    全部公开：2 分', '    未公开：0 分', '分项 结果公开（1）', '  选择 结果公开情况', '    按时公开：1 分', '    未公开：0 分']
    """
    found = re.fullmatch(r"(.+?)。?(?:本指标|本项)?得分=([^。=]+)。", flat)
    if found is None or leaf.kind != "score":
        return None
    names = [name.removesuffix("得分") for name in found.group(2).split("+")]
    if len(names) < 2 or not all(found.group(2).split("+")[i].endswith("得分") and names_in(n) == [n]
                                 for i, n in enumerate(names)):
        return None
    heads = list(re.finditer(rf"(?:^|(?<=[。；]))(?:\d+[.．、])?({'|'.join(map(re.escape, names))})得分：", found.group(1)))
    if [h.group(1) for h in heads] != names or heads[0].start() != 0:
        return None
    lines = []
    for head, after in zip(heads, heads[1:] + [None]):
        options = _options(found.group(1)[head.end():after.start() if after else None])
        if options is None:
            return None
        name = head.group(1)
        best = max(points for _, points in options)
        lines += [f"分项 {name}（{format_points(best)}）", f"  选择 {name}情况"]
        lines += [f"    {label}：{format_points(points)} 分" for label, points in options]
    return "分项", lines


def _options(segment: str) -> list[tuple[str, Decimal]] | None:
    """A part's options, (1)…的，得2分。(2)…, numbered from 1; None where any is not a label and its points."""
    pieces = re.split(r"[(（](\d+)[)）]", segment.strip())
    if pieces[0] or [int(n) for n in pieces[1::2]] != list(range(1, len(pieces) // 2 + 1)) or len(pieces) < 5:
        return None
    options = []
    for piece in pieces[2::2]:
        found = _OPTION.fullmatch(piece)
        if found is None or not _LABEL.fullmatch(found.group(1).removesuffix("的")):
            return None
        options.append((found.group(1).removesuffix("的"), Decimal(found.group(2))))
    return options


__all__ = ["choice_parts"]
