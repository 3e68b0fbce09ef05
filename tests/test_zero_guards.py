"""W529: special cases that handle a denominator's 0 only in part (002's 存量资金 as published)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from idsl.check import check
from idsl.engines.python import score
from idsl.io.inputs import read_inputs
from idsl.semantics.lower import lower
from idsl.frontend.resolve import load_text
from idsl.frontend.source import Source

HEAD = '体系 "例" 总分 3\n预算执行（3）\n  存量资金效率性（3）\n    解释 例。\n'
STOCK = ("    输入 当年：金额 万元，上年：金额 万元\n    变动率 = 当年 / 上年 - 1\n")
BANDS = "    分档 变动率：变动率 ≤ -10% 得 3 分；-10% < 变动率 ≤ 0 得 1 分；变动率 > 0 不得分\n"
PROJECTS = ("    输入 已完成：数量 个，未完成：数量 个\n")
SHARE = "    得分 = 已完成 / (已完成 + 未完成) × 分值\n"


def _warnings(*lines: str) -> list[tuple[str, int, str]]:
    loaded = load_text(Source("t.idsl", HEAD + "".join(lines)))
    found = check(loaded)
    assert not [d for d in found if d.severity == "error"], found
    return [(d.message, d.span.line, d.hint or "") for d in found if d.code == "W529"]


def test_a_zero_case_written_in_part_is_warned_with_the_case_left_open():
    [(message, line, hint)] = _warnings(STOCK, "    若 上年 = 0 且 当年 = 0 则 得 3 分\n", BANDS)
    assert message == "“上年”为 0 的情形只写了一部分：上年 = 0 且 当年 > 0 万元 时分母可以为 0，无法计算“变动率”，这样的单位不能评分。"
    assert line == 7  # the special case that thought of 0
    assert hint.startswith("补上这一情形：若 上年 = 0 且 当年 > 0 万元 则 得 N 分")


@pytest.mark.parametrize("cases", [
    ("    若 上年 = 0 且 当年 = 0 则 得 3 分\n", "    若 上年 = 0 且 当年 > 0 则 不得分\n"),  # specs/002's correction
    ("    若 上年 = 0 则 不得分\n",),
    ("    若 上年 = 0 或 当年 = 0 则 不得分\n",),
    ("    若 上年 ≤ 0 则 不得分\n",),
])
def test_every_zero_case_covered_is_not_warned(cases):
    assert _warnings(STOCK, *cases, BANDS) == []


def test_a_denominator_no_condition_compares_with_zero_is_left_to_the_scorer():
    assert _warnings(STOCK, BANDS) == []


def test_a_sum_denominator_covered_by_one_of_its_terms():
    """002's 项目完成及时性 as specs/002 writes it: 未完成 = 0 takes every unit where the sum could be 0."""
    assert _warnings(PROJECTS, "    若 未完成 = 0 则 得满分\n", SHARE) == []


def test_a_sum_denominator_guarded_only_together_with_another_input():
    [(message, _, _)] = _warnings(PROJECTS, "    若 未完成 = 0 且 已完成 > 0 则 得满分\n", SHARE)
    assert message.startswith("“未完成”为 0 的情形只写了一部分：未完成 = 0 且 已完成 = 0 个 时分母可以为 0")


# ---------------------------------------------------------------- the warning agrees with the scorer

CASES = {
    "in part": ("    若 上年 = 0 且 当年 = 0 则 得 3 分\n",),
    "both cases": ("    若 上年 = 0 且 当年 = 0 则 得 3 分\n", "    若 上年 = 0 且 当年 > 0 则 不得分\n"),
    "above 5 only": ("    若 上年 = 0 且 当年 > 5 则 不得分\n",),
    "at most 5": ("    若 上年 = 0 且 当年 ≤ 5 则 不得分\n", "    若 上年 = 0 且 当年 > 5 则 得 1 分\n"),
}


@settings(max_examples=60, deadline=None)
@given(case=st.sampled_from(sorted(CASES)), now=st.integers(min_value=0, max_value=10))
def test_warned_exactly_when_some_unit_with_the_denominator_at_zero_cannot_be_scored(case, now):
    text = HEAD + STOCK + "".join(CASES[case]) + BANDS
    loaded = load_text(Source("t.idsl", text))
    warned = any(d.code == "W529" for d in check(loaded))
    plan = lower(loaded.spec, loaded.sources)
    unscorable = [n for n in range(11)
                  if score(plan, read_inputs({"inputs": {"存量资金效率性": {"当年": n, "上年": 0}}})).errors]
    assert warned == bool(unscorable), (case, unscorable)
    result = score(plan, read_inputs({"inputs": {"存量资金效率性": {"当年": now, "上年": 0}}}))
    assert bool(result.errors) == (now in unscorable)
