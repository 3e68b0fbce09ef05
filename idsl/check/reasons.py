"""E436/W521: 扣分须说明理由 where it means nothing (a branch, a penalty or bonus item) or repeats the rule (酌情)."""

from __future__ import annotations

from typing import Iterable, Iterator

from idsl.check.context import Context
from idsl.diagnostics import Diagnostic
from idsl.frontend import ast

_HINT = "把“扣分须说明理由”写在有评分规则的末级指标下。"


def check_reason_below(context: Context) -> Iterator[Diagnostic]:
    """E436 on a branch or a penalty/bonus item; W521 on a 酌情 leaf, whose every score needs a reason already."""
    for indicator, path in _walk(context.spec.indicators, ()):
        if not indicator.reason_below:
            continue
        if indicator.children:
            yield Diagnostic("E436", "“扣分须说明理由”只能写在末级指标下，这里是有下级指标的指标。", indicator.span,
                             path, hint=_HINT)
        elif indicator.body is not None and isinstance(indicator.body.rule, ast.Discretionary):
            yield Diagnostic("W521", "酌情评分本来就须写理由，“扣分须说明理由”是多余的。", indicator.span, path,
                             hint="删去“扣分须说明理由”；它用于按公式、分档、目标等计算得分的指标。")
    for block in context.spec.adjustments:
        for item in block.items:
            if item.reason_below:
                yield Diagnostic("E436", "扣分项、加分项的条目不能写“扣分须说明理由”：条目的分值是上限，不是满分。",
                                 item.span, (block.name, item.name), hint=_HINT)


def _walk(indicators: Iterable[ast.Indicator], parent: tuple[str, ...]) -> Iterator[tuple[ast.Indicator, tuple]]:
    for indicator in indicators:
        path = parent + (indicator.name,)
        yield indicator, path
        yield from _walk(indicator.children, path)
