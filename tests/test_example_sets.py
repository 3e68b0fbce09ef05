"""What a worked example's 设 may name: idsl check (E413), idsl test and the runner give one answer for each 设."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from idsl.check import check
from idsl.cli import main
from idsl.engines.worked import run_examples
from idsl.frontend.resolve import load_text
from idsl.frontend.source import Source
from idsl.semantics.lower import lower
from plans import BENEFIT_PARTS, BUDGET_ALLOCATION

TREE = """体系 "例" 总分 20
输入 预算数：金额 万元
决策（20）
""" + BUDGET_ALLOCATION + """  目标设定（3）
    执行（3）
      解释 反映部门完成重要事项的情况。
      酌情
  两项（4）
    解释 例
    输入 甲：比率
    输入 乙：比率
    得分 = min(甲, 乙, 100%) × 分值
""" + BENEFIT_PARTS + """    分项 经济效益（3）
      输入 率：比率
      得分 = min(率, 100%) × 分值
示例 例
"""

REFUSED = [  # each was accepted by one of the two and refused by the other
    ("设 执行.理由 = \"略\"", "指标“执行”没有输入“理由”。"),
    ("设 年度绩效目标合理性.理由 = \"略\"", "指标“年度绩效目标合理性”没有输入“理由”。"),
    ("设 两项.理由 = \"略\"", "指标“两项”没有输入“理由”。"),
    ("设 效益/社会效益.理由 = \"略\"", "分项“社会效益”没有“效益/社会效益.理由”这样的输入。"),
    ("设 效益/经济效益.理由 = \"略\"", "分项“经济效益”没有“效益/经济效益.理由”这样的输入。"),
    ("设 完成率.预算数 = 5", "指标“完成率”没有输入“预算数”。"),  # a 共用 input is set as 设 共用.预算数
    ("设 两项 = 50%", "“两项”有多个输入，设 时要写出输入名。"),
    ("设 决策 = 5", "“决策”是上级指标，示例只能设末级指标的输入。"),
    ("设 完成率 = 不适用", "“完成率”没有声明“不适用”的处理办法，示例不能设为不适用。"),
    ("设 执行.得分 = 2", "指标“执行”没有输入“得分”。"),
    ("设 两项.不适用 = 是", "指标“两项”没有输入“不适用”。"),
]

ACCEPTED = ["设 执行 = 2", "设 完成率.理由 = \"略\"", "设 完成率 = 90%", "设 两项.甲 = 50%", "设 效益/社会效益 = 是、是、是",
            "设 效益/经济效益.率 = 50%", "设 效益.率 = 50%", "设 共用.预算数 = 5", "设 预算数 = 5",
            "设 年度绩效目标合理性 = 是、否、是、是"]


def _loaded(line: str):
    return load_text(Source("w.idsl", TREE + f"  {line}\n"))


def _checked(line: str) -> list:
    return [d for d in check(_loaded(line)) if d.severity == "error"]


def _run(line: str) -> list:
    loaded = _loaded(line)
    return list(run_examples(lower(loaded.spec, loaded.sources))[0].failures)


@pytest.mark.parametrize("line, message", REFUSED)
def test_a_set_refused_by_the_checker_is_refused_by_the_runner_in_the_same_words(line, message):
    [diagnostic] = _checked(line)
    assert (diagnostic.code, diagnostic.message, diagnostic.span.line) == ("E413", message, TREE.count("\n") + 1)
    [failure] = _run(line)
    assert failure.span.line == diagnostic.span.line
    assert message + diagnostic.hint in failure.message


@pytest.mark.parametrize("line", ACCEPTED)
def test_a_set_the_checker_accepts_the_runner_places(line):
    assert _checked(line) == []
    assert _run(line) == []


def test_idsl_check_and_idsl_test_refuse_the_same_example(tmp_path, monkeypatch):
    monkeypatch.setenv("IDSL_NO_CACHE", "1")
    path = tmp_path / "例.idsl"
    path.write_text(TREE + "  设 执行.理由 = \"略\"\n  设 执行 = 2\n  期望 执行 = 2\n", encoding="utf-8")
    line = TREE.count("\n") + 1
    for command in ("check", "test"):
        result = CliRunner().invoke(main, [command, str(path)])
        assert result.exit_code == 1, command
        assert "error[E413]: 指标“执行”没有输入“理由”。" in result.output, command
        assert f"例.idsl:{line}:3" in result.output, command
