"""The hints of E409 and E410: how to write a figure that meets a quantity of another kind or unit."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from idsl.check.dims import NUMBER, RATIO, Dim
from idsl.frontend import ast
from idsl.frontend.grammar import keyword_spellings
from idsl.frontend.spacing import spaced
from idsl.semantics.numbers import decimal_text
from idsl.semantics.units import convertible, unit


def clash_hint(a: Dim, b: Dim, node, doing: str) -> str:
    """What to write where `node` (of dimension a or b) meets a quantity it cannot be `doing` with."""
    hint = _unit_clash_hint(a, b, node) if a.kind == b.kind and a.unit and b.unit else "只有同类的量才能" + doing + "。"
    if NUMBER in (a, b) and isinstance(node, ast.Num) and node.unit:  # 人均经费 ≥ 5 万元: 万元 ÷ 人 has no unit
        hint = (f"另一边是不带单位的数值（数值输入，或两种单位相除得到的量，如 万元 ÷ 人 的人均经费）："
                f"写成 {format(node.value, 'f')}，不写“{node.unit}”。")
    if RATIO in (a, b) and isinstance(node, ast.Num):
        hint = _rate_clash_hint(b if a == RATIO else a, node) or hint
    return _glued_hint(a, b, node) or hint


def _glued_hint(a: Dim, b: Dim, node) -> str | None:
    """A number whose unit is a word run into the outcome (90 人扣 2 分, 人 declared nowhere: one word): the
    number written in the other side's unit (or as a percentage), the keyword apart."""
    glued = _glued_outcome(node)
    if glued is None or glued[0] in (a.unit, b.unit):
        return None
    word, keyword = glued
    other = next((d.unit for d in (a, b) if d.unit and d.unit != node.unit), None)
    value = format(node.value, "f")
    if RATIO in (a, b):
        how, written = "是比率", f"{value}% {keyword}"
    elif other:
        how, written = f"按“{other}”计", f"{value} {other} {keyword}"
    else:
        how, written = "按不带单位的数计", f"{value} {keyword}"
    return f"“{node.unit}”是“{word}”和“{keyword}”连在一起，被读成了单位：另一边{how}，写成 {written} …。"


def _glued_outcome(node) -> tuple[str, str] | None:
    """A number's unit that is a word run into the keywords after it (`人扣`, `人得满分`): (the word, the keywords)."""
    if not isinstance(node, ast.Num) or not node.unit:
        return None
    for cut in range(1, len(node.unit)):
        pieces = spaced(node.unit, frozenset({node.unit[:cut]}))
        if pieces and pieces[0] == node.unit[:cut] and len(pieces) == 2 and pieces[1] in keyword_spellings():
            return pieces[0], pieces[1]
    return None


def _rate_clash_hint(other: Dim, node: ast.Num) -> str | None:
    """A rate met by a number written with a unit, or an amount or a count met by a percentage: how to write it."""
    value = format(node.value, "f")
    if node.unit and not node.percent:  # 完成率 ≥ 90 万元
        return f"比率按百分数书写：写成 {value}%，不写“{node.unit}”。"
    if node.percent and other.unit:  # 人数 ≥ 90%, 每 1% on an amount
        return (f"另一边是{other.describe()}：写成 {value} {other.unit}，不写 %；"
                f"要按比率评分，先算出比率，例如 实际数 / 计划数。")
    return None


def _unit_clash_hint(a: Dim, b: Dim, node) -> str:
    """How to make two quantities of one kind but different units meet: convert, or write one unit."""
    if convertible(a.unit, b.unit):
        if isinstance(node, ast.Num) and node.unit == b.unit:  # a number as written: say it in the other unit
            value = node.value * unit(b.unit).factor / unit(a.unit).factor
            return (f"两边用同一单位：写成 {format(value.normalize(), 'f')} {a.unit}"
                    f"（{format(node.value, 'f')} {b.unit} = {format(value.normalize(), 'f')} {a.unit}）。")
        return f"两边用同一单位：先用 换算(x, {a.unit}) 把“{b.unit}”的一边换成“{a.unit}”。"
    if isinstance(node, ast.Num) and node.unit in (a.unit, b.unit):
        declared = b.unit if node.unit == a.unit else a.unit
        value = format(node.value, "f")
        pieces = spaced(node.unit, frozenset({declared}))
        if pieces and pieces[0] == declared:  # 90 人扣: the unit and the word after it, read as one unit
            after = "".join(f"“{piece}”" for piece in pieces[1:])
            return f"“{node.unit}”是单位“{declared}”和{after}连在一起：在它们之间空一格，写成 {value} {' '.join(pieces)}。"
        return f"“{a.unit}”与“{b.unit}”之间不能换算：按输入声明的单位写成 {value} {declared}（或只写 {value}）。"
    return f"“{a.unit}”与“{b.unit}”之间不能换算：两边须是同一单位的量。"


__all__ = ["clash_hint"]


def percent_hint(written) -> str:
    """E410's hint for a rate written as a bare number: the percentage, and for a fraction like 1.2 (which may
    mean a multiple, 120%) that reading too, since the checker cannot tell which one the author meant."""
    text = decimal_text(written) if isinstance(written, Fraction) else format(written, "f")
    hint = f"写成 {text}%；比率按百分数书写。"
    value = Decimal(text)
    if abs(value) < 10 and (value != value.to_integral_value() or abs(value) == 1):  # 1: 1% or 100%
        multiple = format((value * 100).normalize(), "f")
        hint = f"写成 {text}%；若 {text} 指倍数（比值），写成 {multiple}%。比率按百分数书写。"
    return hint
