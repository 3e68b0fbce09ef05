"""A syntax error, found before any tree exists, still names the indicator whose lines hold it."""

from __future__ import annotations

from idsl.check import check
from idsl.frontend.resolve import load_text
from idsl.frontend.source import Source

SPEC = '''体系 "例" 总分 5
产出（5）  # 一级
  "C1产出数量"（5）
    分项 "2021年"（2）
      输入 完成率：比率
      得分 = 完成率 ×
    分项 "2022年"（3）
      酌情
示例 一
  设 完成率 =
'''


def _first_syntax_error(text: str):
    return next((d.span.line, d.path) for d in check(load_text(Source("t.idsl", text))) if d.code.startswith("E1"))


def test_a_syntax_error_inside_a_part_names_its_indicator():
    assert _first_syntax_error(SPEC) == (6, ("产出", "C1产出数量"))  # quoted names unquoted, parts not in the path


def test_a_syntax_error_in_an_example_lies_under_no_indicator():
    text = SPEC.replace("      得分 = 完成率 ×\n", "      得分 = 完成率 × 分值\n")
    assert _first_syntax_error(text) == (10, ())
