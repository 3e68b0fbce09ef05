"""A two-input plan for the batch modules' doctests."""

from __future__ import annotations

from idsl.frontend.parse import parse
from idsl.frontend.source import Source
from idsl.semantics.lower import lower
from idsl.semantics.model import Plan

_TEXT = ('体系 "例" 总分 2\n等级 优：总分 ≥ 1.8；差：否则\n决策（2）\n  重点支出安排率（2）\n'
         '    输入 重点项目支出：金额 万元，项目总支出：金额 万元\n    比率 = 重点项目支出 / 项目总支出\n'
         '    分档 比率：比率 ≥ 80% 得满分；60%～80% 每降低 1% 扣 0.1 分；比率 < 60% 得 0 分\n')


def example_plan() -> Plan:
    """决策/重点支出安排率: two money inputs, their ratio scored in bands."""
    return lower(parse(Source("例.idsl", _TEXT))[0])


__all__ = ["example_plan"]
