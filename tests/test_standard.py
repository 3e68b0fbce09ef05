"""Golden 评分标准 text: tests/cases/compile/<stem>.idsl → <stem>.text (every leaf's path and text).

Regenerate with `pytest --regen` and review the diff.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from idsl.frontend import ast
from idsl.semantics.model import LeafPlan
from idsl.render.standard import standard_text
from plans import CASES, compare_golden, plan_of, seed_spec

CASE_FILES = sorted((CASES / "compile").glob("*.idsl"))


def standard_listing(plan) -> str:
    """Every leaf's key and 评分标准 text, then every penalty/bonus item's, as the golden file holds them."""
    chunks = []
    for node in plan.leaves():
        chunks.append(f"## {node.key}（{node.points}）\n{standard_text(node)}\n")
    for block, item in plan.items():
        chunks.append(f"## {item.key}（{block.kind} {item.points}）\n{standard_text(item, kind=block.kind)}\n")
    return "\n".join(chunks)


@pytest.mark.parametrize("case", CASE_FILES, ids=lambda p: p.stem)
def test_standard_text_golden(case, regen):
    compare_golden(case.with_suffix(".text"), standard_listing(plan_of(case)), regen)


@pytest.mark.parametrize("number", ["001", "002", "007"])
def test_every_seed_leaf_has_text(number):
    plan = plan_of(seed_spec(number))
    for node in plan.leaves():
        text = standard_text(node)
        assert text and "None" not in text, node.key


def test_verbatim_standard_wins():
    plan = plan_of(CASES / "compile" / "rule_kinds.idsl")
    node = plan.find("原文标准")
    assert standard_text(node) == "所有项目均按计划时间完成的，得2分；否则不得分。"
    assert standard_text(node.leaf, node.points).startswith("得分=")


def test_leafplan_with_points():
    rule = ast.Discretionary()
    assert standard_text(LeafPlan(rule=rule), Decimal(3)) == "由评价人员酌情评分（0～3分），须说明理由。"
    assert standard_text(LeafPlan(rule=rule), Decimal(10), kind="penalty") == "按实际情况酌情扣分，上限10分，须说明理由。"


def test_option_words_are_quoted_in_special_cases():
    plan = plan_of(CASES / "score" / "option_conditions.idsl")
    assert standard_text(plan.find("预算公开")).split("\n")[1:] == [
        "如公开情况为“未公开”，则本项不得分。", "如公开情况为“未按时限公开”，则得1分。"]
    assert "如信访件数为0件且办理情况为“部分办理”，则本项得满分。" in standard_text(plan.find("信访办理"))
    assert "如单位性质为“行政单位”，则本项得满分。" in standard_text(plan.find("收费管理"))


def test_branch_has_no_text():
    plan = plan_of(seed_spec("001"))
    assert standard_text(plan.nodes[0]) == ""


def test_a_ratio_has_brackets_only_where_a_term_is_a_sum_or_difference():
    first = standard_text(plan_of(seed_spec("001")).find("项目资金结余率")).splitlines()[0]
    assert first == "项目资金结余率=项目资金结余总额/项目预算数×100%。"  # as 001's table writes it
    change = standard_text(plan_of(seed_spec("007")).find("“三公经费”变动率")).splitlines()[0]
    assert change == "“三公经费”变动率=[(本年度“三公经费”-上年度“三公经费”)/上年度“三公经费”]×100%。"
