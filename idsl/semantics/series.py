"""Inputs repeated per year or sub-project (年度/子项目): their functions expanded into the members' expressions.

`输入 支出进度：比率 年度 2022～2024` declares three ordinary inputs, 支出进度2022 … 支出进度2024, each
read, checked and scored as any input. The four functions over such a series are written with its
name and expand here, once, into expressions over the members, which the checker, the lowering
into the IR (and so both engines) and the 评分标准 text then read as written by hand:

    >>> from decimal import Decimal
    >>> year = lambda y: ast.Input(f"进度{y}", "rate", series=ast.Series("进度", "year", 2022, 2024, y))
    >>> inputs = {d.name: d for d in map(year, (2022, 2023, 2024))}
    >>> rising = expand(ast.Call("rising", (ast.Ref("进度"),)), inputs)
    >>> [o.name for o in rising.operands], rising.ops
    (['进度2022', '进度2023', '进度2024'], ('<', '<'))
    >>> expand(ast.Call("member", (ast.Ref("进度"), ast.Num(Decimal(2025)))), inputs).code
    'E462'
"""

from __future__ import annotations

from decimal import Decimal
from functools import reduce
from typing import Mapping

import attrs

from idsl.frontend import ast

# The functions over a series, as the AST names them → as written
SERIES_FUNCS = {"series_sum": "合计", "weighted_mean": "加权平均", "rising": "逐年提高", "member": "取值"}


@attrs.frozen
class Problem:
    """Why a series function cannot be expanded: the checker's diagnostic, the lowering's failure."""

    code: str  # E461 … E464
    message: str  # one sentence, in Chinese
    hint: str  # what to write instead


def members(inputs: Mapping[str, ast.Input], base: str) -> list[ast.Input]:
    """The inputs declared by `base … 年度/子项目 …`, in label order (none: not a series)."""
    found = [d for d in inputs.values() if getattr(d, "series", None) is not None and d.series.base == base]
    return sorted(found, key=lambda d: d.series.label)


def what(series: ast.Series) -> str:
    """年度 or 子项目, as messages name the labels."""
    return "年度" if series.word == "year" else "子项目"


def label_text(series: ast.Series, label: int | None = None) -> str:
    """2024年, 子项目3; without a label the whole range: 2022—2024年, 子项目1—3."""
    if label is not None:
        return f"{label}年" if series.word == "year" else f"子项目{label}"
    if series.word == "year":
        return f"{series.first}—{series.last}年"
    return f"子项目{series.first}—{series.last}"


def expand(call: ast.Call, inputs: Mapping[str, ast.Input]) -> ast.Expr | ast.Compare | Problem:
    """The expression a series function stands for, over the members (逐年提高: a condition), or its Problem."""
    word = SERIES_FUNCS[call.func]
    first = call.args[0] if call.args else None
    group = members(inputs, first.name) if isinstance(first, ast.Ref) else []
    if not group:
        return Problem("E463", f"{word}(…)的第一项应是按年度或子项目声明的输入。",
                       "先声明，例如 输入 支出进度：比率 年度 2022～2024，再写 " + f"{word}(支出进度 …)。")
    refs = [ast.Ref(m.name, span=first.span) for m in group]
    rest = call.args[1:]
    if call.func == "weighted_mean":
        return _weighted(refs, rest, group[0].series, call)
    if call.func == "member":
        return _member(refs, rest, group[0].series)
    if rest:
        return Problem("E464", f"{word}(…)只写输入的名称，不带别的参数。", f"写成 {word}({first.name})。")
    if call.func == "series_sum":
        return reduce(lambda a, b: ast.BinOp("+", a, b, span=call.span), refs)
    if len(refs) < 2:
        return Problem("E464", f"“{first.name}”只有一个{what(group[0].series)}，谈不上逐年提高。",
                       "把年度范围写成至少两年，例如 年度 2022～2024。")
    return ast.Compare(tuple(refs), ("<",) * (len(refs) - 1), span=call.span)


def _weighted(refs: list[ast.Ref], weights, series: ast.Series, call: ast.Call) -> ast.Expr | Problem:
    """Σ weight × member: the weights are percentages, one per member in label order, summing to 100%."""
    hint = f"按{what(series)}顺序写出 {len(refs)} 个百分数权重，合计 100%，例如 加权平均(x, 20%, 30%, 50%)。"
    if len(weights) != len(refs):
        return Problem("E461", f"加权平均给了 {len(weights)} 个权重，而“{series.base}”有 {len(refs)} 个{what(series)}"
                       f"（{label_text(series)}）。", hint)
    if not all(isinstance(w, ast.Num) and w.percent and w.unit is None for w in weights):
        return Problem("E461", "加权平均的权重应是百分数，例如 20%。", hint)
    total = sum((w.amount for w in weights), Decimal(0))
    if total != 1:
        return Problem("E461", f"加权平均的权重合计为 {_percent(total)}%，应为 100%。", hint)
    terms = [ast.BinOp("*", ref, weight, span=call.span) for ref, weight in zip(refs, weights)]
    return reduce(lambda a, b: ast.BinOp("+", a, b, span=call.span), terms)


def _percent(share: Decimal) -> str:
    """0.9 → 90, 0.955 → 95.5: a share written as the percentage it is."""
    text = f"{share * 100:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _member(refs: list[ast.Ref], rest, series: ast.Series) -> ast.Expr | Problem:
    """取值(x, 2024): the member of one label, which must be declared."""
    label = rest[0] if len(rest) == 1 else None
    if not (isinstance(label, ast.Num) and not label.percent and label.unit is None and label.value == int(label.value)):
        return Problem("E464", "取值(…)写输入的名称和一个年度（或子项目序号）。", f"例如 取值({series.base}, {series.last})。")
    number = int(label.value)
    if not series.first <= number <= series.last:
        return Problem("E462", f"“{series.base}”没有{label_text(series, number)}的值：声明的是{label_text(series)}。",
                       f"写 {series.first}～{series.last} 之间的一个，或扩大声明的范围。")
    return refs[number - series.first]


__all__ = ["Problem", "SERIES_FUNCS", "expand", "label_text", "members", "what"]
