"""Worked examples (示例): the reasons they print, and the fields `idsl check` and the runner both accept."""

from __future__ import annotations

from idsl.engines.worked import run_examples
from idsl.frontend.resolve import load_text
from idsl.frontend.source import Source
from idsl.semantics.lower import lower

TREE = """体系 "例" 总分 10
决策（10）
  预算配置（7）
    年度绩效目标合理性（4）
      解释 主要考察绩效目标依据是否充分。
      要素 每项 1 分
        - 是否符合国家法律法规
        - 是否符合部门职责
        - 是否与预算匹配
        - 是否细化量化
    完成率（3）
      解释 年度任务完成情况。
      扣分须说明理由
      输入 完成率：比率
      得分 = min(完成率, 100%) × 分值
  目标设定（3）
    重点工作完成率（3）
      解释 反映部门完成重要事项的情况。
      酌情

"""


def _reports(*lines: str):
    loaded = load_text(Source("w.idsl", TREE + "示例 例\n" + "".join(f"  {line}\n" for line in lines)))
    assert not [d for d in loaded.diagnostics if d.severity == "error"]
    return run_examples(lower(loaded.spec, loaded.sources))


def _messages(*lines: str) -> list[str]:
    return [f.message for f in _reports(*lines)[0].failures]


def test_a_checklist_prints_what_a_unit_would_get_without_the_examples_placeholder():
    assert _messages("设 年度绩效目标合理性 = 是、否、是、是", "期望 年度绩效目标合理性 = 2") == [
        "期望 年度绩效目标合理性 = 2，实际 3（4项要素中符合3项，得3分。）"]


def test_a_full_score_of_a_leaf_that_needs_a_reason_when_cut_prints_no_placeholder():
    assert _messages("设 完成率.完成率 = 100%", "期望 完成率 = 2") == ["期望 完成率 = 2，实际 3（完成率为100%，得3分。）"]


def test_a_judged_score_says_the_example_gave_no_reason():
    assert _messages("设 重点工作完成率 = 3", "期望 重点工作完成率 = 2") == [
        "期望 重点工作完成率 = 2，实际 3（酌情给分：示例未写理由，得3分。）"]


def test_a_cut_that_needs_a_reason_says_the_example_gave_none():
    [message] = _messages("设 完成率.完成率 = 90%", "期望 完成率 = 3")
    assert message.startswith("期望 完成率 = 3，实际 2.7（") and message.endswith("扣分理由：示例未写理由）")
