"""Worked examples (示例): the reasons they print, and the fields `idsl check` and the runner both refuse."""

from __future__ import annotations

from idsl.check import check
from idsl.engines.worked import run_examples
from idsl.frontend.resolve import load_text
from idsl.frontend.source import Source
from idsl.semantics.lower import lower
from plans import BENEFIT_PARTS, BUDGET_ALLOCATION

TREE = """体系 "例" 总分 10
决策（10）
""" + BUDGET_ALLOCATION + """  目标设定（3）
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


def _codes(*lines: str) -> list[str]:
    source = TREE + "示例 例\n" + "".join(f"  {line}\n" for line in lines)
    return [d.code for d in check(load_text(Source("w.idsl", source))) if d.severity == "error"]


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


def test_checklist_elements_by_a_field_name_are_refused_by_the_checker_and_the_runner_alike():
    lines = ("设 年度绩效目标合理性.要素 = 是、否、是、是", "期望 年度绩效目标合理性 = 3")
    assert _codes(*lines) == ["E413"]
    assert _messages(*lines) == [
        "设 决策/预算配置/年度绩效目标合理性.要素：指标“年度绩效目标合理性”没有输入“要素”。"
        "要素写成 设 年度绩效目标合理性 = 是、否、是（每个要素一个值）。",
        "期望 年度绩效目标合理性 = 3，实际未评：缺少要素。"]  # the status said once


def test_a_judged_score_by_a_field_name_is_refused_by_the_checker_and_the_runner_alike():
    lines = ("设 重点工作完成率.得分 = 3",)
    assert _codes(*lines) == ["E413"]
    assert _messages(*lines) == ["设 决策/目标设定/重点工作完成率.得分：指标“重点工作完成率”没有输入“得分”。"
                                 "酌情给的分写成 设 重点工作完成率 = 分数（示例不需要理由）。"]


def test_the_plain_forms_pass_both():
    lines = ("设 年度绩效目标合理性 = 是、否、是、是", "设 重点工作完成率 = 3", "期望 年度绩效目标合理性 = 3",
             "期望 目标设定 = 3")
    assert _codes(*lines) == []
    assert _reports(*lines)[0].passed


PARTS = """体系 "例" 总分 6
综合效益（6）
""" + BENEFIT_PARTS + """    分项 经济效益（3）
      酌情
示例 例
"""


def test_a_parts_value_by_a_field_name_is_refused_by_both_and_its_plain_form_passes():
    named = PARTS + "  设 效益/社会效益.要素 = 是、是、是\n  设 效益/经济效益.得分 = 3\n"
    loaded = load_text(Source("p.idsl", named))
    assert [d.code for d in check(loaded) if d.severity == "error"] == ["E413", "E413"]
    assert [f.message for f in run_examples(lower(loaded.spec, loaded.sources))[0].failures][:2] == [
        "设 综合效益/效益/社会效益.要素：分项“社会效益”没有“效益/社会效益.要素”这样的输入。"
        "可用的：无；分项的得分（要素）不写字段名，写成 设 效益/社会效益 = 值。",
        "设 综合效益/效益/经济效益.得分：分项“经济效益”没有“效益/经济效益.得分”这样的输入。"
        "可用的：无；分项的得分（要素）不写字段名，写成 设 效益/经济效益 = 值。"]
    plain = load_text(Source("p.idsl", PARTS + "  设 效益/社会效益 = 是、是、是\n  设 效益/经济效益 = 3\n  期望 效益 = 6\n"))
    assert not [d for d in check(plain) if d.severity == "error"]
    assert run_examples(lower(plain.spec, plain.sources))[0].passed
