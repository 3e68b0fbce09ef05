"""E306: a spec with no indicators, which would otherwise check clean and score a total of 100."""

from __future__ import annotations

from typing import Iterator

from idsl.check.context import Context
from idsl.diagnostics import Diagnostic


def check_not_empty(context: Context) -> Iterator[Diagnostic]:
    """E306: a spec (with its imports) has at least one indicator; empty or comment-only files are refused."""
    spec = context.spec
    if spec.indicators:
        return
    head = f"体系“{spec.title}”" if spec.title else "这个文件"
    yield Diagnostic("E306", f"{head}没有任何指标，无法检查或评分。", spec.span,
                     hint="写上一级指标及其下级指标，例如 决策（20）；"
                          "或用 引用 \"…\" 引入写有指标的文件。")
