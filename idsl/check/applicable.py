"""W520: 不适用 按实际适用分值折算 in a spec where no leaf can be left out (none says 不适用 剔除)."""

from __future__ import annotations

from typing import Iterable, Iterator

from idsl.check.context import Context
from idsl.diagnostics import Diagnostic
from idsl.frontend import ast


def check_rescale_total(context: Context) -> Iterator[Diagnostic]:
    """W520: the total is rescaled by the applicable points, but every leaf always applies: the line does nothing
    (the author marked the leaves 得满分, or not at all)."""
    declared = context.spec.rescale_total
    if declared is None or any(_excluded(context.spec.indicators)):
        return
    yield Diagnostic("W520", "写了“不适用 按实际适用分值折算”，但没有一个指标写“不适用 剔除”：总分不会折算。",
                     declared.span, (),
                     hint="在可能不适用的指标下写 不适用 剔除；不适用得满分的指标（不适用 得满分）不参与折算。")


def _excluded(indicators: Iterable[ast.Indicator]) -> Iterator[bool]:
    for indicator in indicators:
        yield indicator.not_applicable == "exclude"
        yield from _excluded(indicator.children)
