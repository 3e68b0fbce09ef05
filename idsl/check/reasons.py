"""E436/W521: 扣分须说明理由 where it means nothing (a branch, a penalty or bonus item) or repeats the rule (酌情,
and 评级 须说明理由 or 定性 in part)."""

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
        elif indicator.body is not None:
            found = _repeated_reason(indicator.body.rule, indicator.span, path)
            if found is not None:
                yield found
    for block in context.spec.adjustments:
        for item in block.items:
            if item.reason_below:
                yield Diagnostic("E436", "扣分项、加分项的条目不能写“扣分须说明理由”：条目的分值是上限，不是满分。",
                                 item.span, (block.name, item.name), hint=_HINT)


def _repeated_reason(rule: ast.Rule | None, span, path: tuple[str, ...]) -> Diagnostic | None:
    """W521 where the leaf's rule asks a reason already: always (酌情), or below the top grade (评级 with 须说明理由,
    定性), where the line only adds a cut inside the top grade. A 评级 that asks none is what the line is for."""
    if isinstance(rule, ast.Graded) and not rule.reason:
        return None
    if isinstance(rule, ast.Qualitative):
        word, top = ("评级", "最高等级") if isinstance(rule, ast.Graded) else ("定性", "最高档")
        said = "（须说明理由）" if isinstance(rule, ast.Graded) else ""
        return Diagnostic("W521", f"{word}{said}评为{top}以外的本来就须写理由，“扣分须说明理由”只多要求{top}内未得满分的也写理由。",
                          span, path, hint=f"只要{top}以外写理由的，删去“扣分须说明理由”；{top}内扣分也要理由的，"
                                           "保留它并可忽略本警告。")
    if isinstance(rule, ast.Discretionary):
        return Diagnostic("W521", "酌情评分本来就须写理由，“扣分须说明理由”是多余的。", span, path,
                          hint="删去“扣分须说明理由”；它用于按公式、分档、目标等计算得分的指标。")
    return None


def _walk(indicators: Iterable[ast.Indicator], parent: tuple[str, ...]) -> Iterator[tuple[ast.Indicator, tuple]]:
    for indicator in indicators:
        path = parent + (indicator.name,)
        yield indicator, path
        yield from _walk(indicator.children, path)
