"""How leaves left out (不适用 剔除) adjust the scores: W520/W522 where none can be, E437 for two ways at once."""

from __future__ import annotations

from typing import Iterable, Iterator

from idsl.check.context import Context
from idsl.diagnostics import Diagnostic
from idsl.frontend import ast


def check_rescale_total(context: Context) -> Iterator[Diagnostic]:
    """W520: the total is rescaled by the applicable points, but every leaf always applies: the line does nothing
    (the author marked the leaves 得满分, or not at all). W522 likewise for 分值平均分配给同级指标; E437 when
    a spec writes both lines (a leaf's points cannot both go to its siblings and rescale the total)."""
    spec = context.spec
    if spec.rescale_total is not None and spec.share_siblings is not None:
        later = max(spec.rescale_total, spec.share_siblings, key=lambda line: line.span.line)
        yield Diagnostic("E437", "“按实际适用分值折算”和“分值平均分配给同级指标”只能写一个：不适用指标的分值要么折算总分，"
                                 "要么分给同级指标。", later.span, (),
                         hint="按评分办法保留一行：不适用 按实际适用分值折算，或 不适用 分值平均分配给同级指标。")
    if any(_excluded(spec.indicators)):
        return
    if spec.rescale_total is not None:
        yield Diagnostic("W520", "写了“不适用 按实际适用分值折算”，但没有一个指标写“不适用 剔除”：总分不会折算。",
                         spec.rescale_total.span, (),
                         hint="在可能不适用的指标下写 不适用 剔除；不适用得满分的指标（不适用 得满分）不参与折算。")
    if spec.share_siblings is not None:
        yield Diagnostic("W522", "写了“不适用 分值平均分配给同级指标”，但没有一个指标写“不适用 剔除”：没有分值可分。",
                         spec.share_siblings.span, (),
                         hint="在可能不适用的指标下写 不适用 剔除；不适用得满分的指标（不适用 得满分）不分出分值。")


def _excluded(indicators: Iterable[ast.Indicator]) -> Iterator[bool]:
    for indicator in indicators:
        body = indicator.body  # 适用 若 or 无数据时 不适用 leaves the leaf out (剔除) unless it says otherwise
        yield indicator.not_applicable == "exclude" or (indicator.not_applicable is None and body is not None and (
            body.applies is not None or (body.nodata is not None and body.nodata.outcome == "na")))
        yield from _excluded(indicator.children)
