"""A 目标's figure carries its own span: diagnostics about it underline `41.94 万人`, not the whole rule."""

from __future__ import annotations

import pytest
from rich.cells import cell_len

from idsl.check import check
from idsl.frontend.resolve import load_text
from idsl.frontend.source import Source

HEAD = '体系 "例" 总分 2\n产出（2）\n  完成情况（2）\n    解释 例。\n'


def _load(rule: str, inputs: str):
    return load_text(Source("t.idsl", f"{HEAD}    输入 {inputs}\n    {rule}\n"))


@pytest.mark.parametrize("rule, inputs, figure", [
    ("目标 参保人数 ≥ 41.94 万人", "参保人数：数量 万人", "41.94 万人"),
    ("目标 完成率 ≥ 90%，未达标不得分", "完成率：比率", "90%"),
    ("目标 完成率 ≥　80％", "完成率：比率", "80％"),  # a full-width space and percent sign
    ("目标 完成率 ≥ ？", "完成率：比率", "？"),
    ("目标 完成率 ≥ 100% 及格 60%", "完成率：比率", "100%"),
])
def test_the_figure_span_covers_the_figure_alone(rule, inputs, figure):
    [leaf] = _load(rule, inputs).spec.indicators[0].children
    span = leaf.body.rule.target.span
    line = f"    {rule}"
    column = cell_len(line[:line.index(figure)]) + 1
    assert (span.line, span.column, span.end_line, span.end_column) == (6, column, 6, column + cell_len(figure))


def test_a_rate_target_without_percent_underlines_the_number():
    [problem] = [d for d in check(_load("目标 完成率 ≥ 80", "完成率：比率")) if d.code == "E410"]
    assert (problem.span.line, problem.span.column, problem.span.end_column) == (6, 19, 21)
