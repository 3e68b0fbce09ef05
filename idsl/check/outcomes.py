"""E205/E413 for `期望` over the whole table: a 结果's value (期望 付费比例 = 95%) and whether a veto held
(期望 一票否决 = 是), each checked against what the spec has."""

from __future__ import annotations

import difflib
from decimal import Decimal
from typing import Iterator

from idsl.diagnostics import Diagnostic
from idsl.frontend import ast
from idsl.semantics.consequences import value_text

_HAS = {"一票否决": lambda spec: any(v.kind in ("total", "section") for v in spec.vetoes),
        "一票否优": lambda spec: any(v.kind == "top" for v in spec.vetoes),
        "总分上限": lambda spec: spec.total_cap is not None,
        "等级不高于": lambda spec: bool(spec.grade_limits)}


def outcome_names(spec: ast.Spec) -> list[str]:
    """What an expectation may name besides indicators, 总分 and 等级: the 结果 and the rules the spec has."""
    return [c.name for c in spec.consequences] + [word for word in ast.OUTCOME_WORDS if _HAS[word](spec)]


def is_outcome(spec: ast.Spec, expect: ast.ExampleExpect, indicators: int) -> bool:
    """An expectation of a 结果 or a veto word: one name, not an indicator's (`indicators` paths end with it)."""
    name = expect.path[0]
    return len(expect.path) == 1 and not indicators and (
        name in ast.OUTCOME_WORDS or any(c.name == name for c in spec.consequences))


def check_outcome(spec: ast.Spec, example: ast.Example, expect: ast.ExampleExpect) -> Iterator[Diagnostic]:
    """The value a 结果 can take (one of its bands'), 是/否 for a veto word, and a rule the spec has."""
    name, value = expect.path[0], expect.value.scalar
    consequence = next((c for c in spec.consequences if c.name == name), None)
    if consequence is not None:
        values = list(dict.fromkeys(value_text(b) for b in consequence.bands))
        written = format(value.value.normalize(), "f") + ("%" if value.percent else "") if isinstance(value, ast.Num) else None
        if not any(_same(written, v) for v in values):
            yield Diagnostic("E413", f"示例“{example.name}”期望“{name}”为{_shown(value)}，而它只会是{'、'.join(values)}之一。",
                             expect.value.span, hint=f"写“{name}”某一档的值，例如 期望 {name} = {values[0]}。")
        return
    if not _HAS[name](spec):
        yield Diagnostic("E205", f"示例“{example.name}”期望“{name}”，而体系没有{name}。", expect.span,
                         hint=_known(spec))
    elif not isinstance(value, bool):
        yield Diagnostic("E413", f"示例“{example.name}”期望“{name}”的值应是“是”或“否”（是否起作用）。", expect.value.span,
                         hint=f"写 期望 {name} = 是，或 期望 {name} = 否。")


def close_outcome(spec: ast.Spec, name: str) -> str | None:
    """The 结果 or veto word closest to a name no indicator has, for E205's hint."""
    close = difflib.get_close_matches(name, outcome_names(spec), n=1, cutoff=0.5)
    return close[0] if close else None


def _known(spec: ast.Spec) -> str:
    names = outcome_names(spec)
    return ("体系能期望的：总分、等级、" + "、".join(names) + "。") if names else "体系能期望的：总分、等级和各指标的得分。"


def _same(written: str | None, value: str) -> bool:
    """`95%` and `95.0%` are one value; `95%` and `0.95` are not (the 结果 is written one way)."""
    if written is None or written.endswith("%") != value.endswith("%"):
        return False
    return Decimal(written.removesuffix("%")) == Decimal(value.removesuffix("%"))


def _shown(value) -> str:
    if isinstance(value, ast.Num):
        return format(value.value.normalize(), "f") + ("%" if value.percent else "")
    return "是" if value is True else "否" if value is False else str(value)


__all__ = ["check_outcome", "close_outcome", "is_outcome", "outcome_names"]
