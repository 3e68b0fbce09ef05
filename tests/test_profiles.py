"""Authoring profiles (依据): each rule kind warns exactly where its article says, quoting it; unknown names are errors."""

from __future__ import annotations

import pytest

from idsl.check import check
from idsl.frontend.resolve import load_text
from idsl.frontend.source import Source
from idsl.profiles import KINDS, find, normalise, profiles

LEAF = "\n      解释 例。\n      酌情\n"


def spec(total, level1, *bases, adjustment=None):
    """A spec with the given level-1 indicators (name, points), each with one discretionary leaf."""
    lines = [f'体系 "例" 总分 {total}']
    for basis in bases:
        lines.append(f"依据 {basis}")
        if adjustment:
            lines.append(f"  权重调整 {adjustment}")
    for name, points in level1:
        lines.append(f"{name}（{points}）\n  {name}二级（{points}）\n    {name}三级（{points}）{LEAF}")
    return "\n".join(lines) + "\n"


def diagnostics(text):
    loaded = load_text(Source("t.idsl", text))
    return [d for d in check(loaded)]


def codes(text):
    return [d.code for d in diagnostics(text)]


SELF = [("预算执行率", 10), ("产出指标", 50), ("效益指标", 30), ("满意度指标", 10)]


def test_every_shipped_profile_loads_with_known_rule_kinds():
    found = profiles()
    assert len(found) >= 5
    for profile in found:
        assert profile.rules and all(rule.kind in KINDS and rule.quote and rule.article for rule in profile.rules)
        assert find(profile.name) is profile
        for alias in profile.aliases:
            assert find(alias) is profile


def test_names_are_matched_whatever_the_brackets_and_spaces():
    assert find("财预[2020]10号").name == "财预〔2020〕10号"
    assert find("财预（2021） 101号").name == "财预〔2021〕101号"
    assert find("财预〔2020〕10号 财政评价").name == "财预〔2020〕10号 财政评价"
    assert normalise("财金 【2020】13号") == "财金〔2020〕13号"


def test_the_self_evaluation_default_weights_check_clean():
    assert codes(spec(100, SELF, "财预〔2020〕10号")) == []


def test_weights_off_the_article_warn_at_each_indicator_quoting_it():
    found = diagnostics(spec(100, [("预算执行率", 10), ("产出指标", 40), ("效益指标", 30), ("满意度指标", 20)],
                             "财预〔2020〕10号"))
    assert [(d.code, d.path) for d in found] == [("W516", ("产出指标",)), ("W516", ("满意度指标",))]
    assert "按依据应为 50 分" in found[0].message and "按依据应为 10 分" in found[1].message
    assert "第十三条：“原则上预算执行率和一级指标权重统一设置为：预算执行率10%、产出指标50%" in found[0].message
    assert found[0].span.line == 9 and "权重调整" in found[0].hint


def test_a_declared_adjustment_is_accepted_where_the_article_allows_one():
    off = [("预算执行率", 10), ("产出指标", 40), ("效益指标", 30), ("满意度指标", 20)]
    assert codes(spec(100, off, "财预〔2020〕10号", adjustment="满意度为本项目核心")) == []
    # 101号 has no adjustment clause: the same weights still warn, and the hint says so.
    found = diagnostics(spec(100, off, "财预〔2021〕101号", adjustment="满意度为本项目核心"))
    assert [d.code for d in found] == ["W516", "W516"] and "没有调整权重的规定" in found[0].hint


def test_without_the_execution_rate_the_other_weights_keep_their_proportions():
    assert codes(spec(90, SELF[1:], "财预〔2020〕10号")) == []
    found = diagnostics(spec(100, [("产出指标", 60), ("效益指标", 30), ("满意度指标", 10)], "财预〔2020〕10号"))
    assert [d.message.split("。")[0] for d in found] == [
        "“产出指标”60 分，按依据应为 55.56 分", "“效益指标”30 分，按依据应为 33.33 分",
        "“满意度指标”10 分，按依据应为 11.11 分"]


def test_points_adding_up_to_more_than_the_total_are_shared_out_of_the_total():
    # 009 as published: 10 + 70 + 20 + 10 = 110 under 总分 100; the article's own points are the fix, not 11/55/33/11.
    found = diagnostics(spec(100, [("预算执行率", 10), ("产出指标", 70), ("效益指标", 20), ("满意度指标", 10)],
                             "财预〔2020〕10号"))
    assert [d.message.split("。")[0] for d in found if d.code == "W516"] == [
        "“产出指标”70 分，按依据应为 50 分", "“效益指标”20 分，按依据应为 30 分"]
    assert "E303" in [d.code for d in found]


def test_101_picks_the_setting_that_fits_the_level1_indicators():
    with_cost = [("预算执行率", 10), ("成本指标", 20), ("产出指标", 40), ("效益指标", 20), ("满意度指标", 10)]
    no_satisfaction = [("预算执行率", 10), ("产出指标", 50), ("效益指标", 40)]
    assert codes(spec(100, with_cost, "财预〔2021〕101号")) == []
    assert codes(spec(100, SELF, "财预〔2021〕101号")) == []
    assert codes(spec(100, no_satisfaction, "财预〔2021〕101号")) == []
    # Without 满意度 but without the +10 for 效益: 产出 50 is right, 效益 should be 40 of 100.
    found = diagnostics(spec(100, [("预算执行率", 10), ("产出指标", 60), ("效益指标", 30)], "财预〔2021〕101号"))
    assert [d.path for d in found] == [("产出指标",), ("效益指标",)]


def test_level1_indicators_no_setting_has_are_one_warning_listing_the_settings():
    found = diagnostics(spec(100, [("决策", 20), ("产出指标", 50), ("效益指标", 30)], "财预〔2020〕10号"))
    assert [d.code for d in found] == ["W516"]
    assert "对应不上" in found[0].message and "产出 50%" in found[0].hint


@pytest.mark.parametrize("output, effect, warned", [(35, 25, False), (35, 24, True)])
def test_financial_evaluation_output_and_effect_at_least_60_percent(output, effect, warned):
    rest = 100 - output - effect
    text = spec(100, [("决策", rest), ("产出", output), ("效益", effect)], "财预〔2020〕10号 财政评价")
    found = diagnostics(text)
    assert [d.code for d in found] == (["W516"] if warned else [])
    if warned:
        assert "占总分 59%，低于 60%" in found[0].message and "第十四条：“原则上产出、效益指标权重不低于60%。”" in found[0].message


def test_ppp_output_share_and_its_level2_operation_and_maintenance():
    text = ('体系 "例" 总分 100\n依据 PPP\n产出（80）\n  项目运营（40）\n    运营（40）' + LEAF +
            '  项目维护（19）\n    维护（19）' + LEAF + '  成本效益（21）\n    成本（21）' + LEAF +
            '效果（20）\n  满意度（20）\n    满意度（20）' + LEAF)
    found = diagnostics(text)
    assert [d.code for d in found] == ["W516"]
    assert "项目运营、项目维护指标合计 59 分" in found[0].message and found[0].span.line == 4


def test_special_bond_points_whole_round_and_at_least_15():
    found = diagnostics(spec(100, [("决策", 15), ("管理", 14), ("产出", 40.5), ("效益", 30.5)], "河南专项债"))
    messages = [d.message.split("。")[0] for d in found]
    assert all(d.code == "W517" for d in found)
    assert "一级指标“管理”14 分，尾数不是 5 或 0" in messages and "一级指标“管理”14 分，低于 15 分" in messages
    assert "“产出”的分值 40.5 不是整数" in messages and "“产出三级”的分值 40.5 不是整数" in messages
    assert not any("决策" in m for m in messages)


@pytest.mark.parametrize("level1, warned", [
    ([("决策", 25), ("管理", 25), ("产出", 30), ("效益", 20)], True),  # 50 is not more than 50
    ([("决策", 25), ("管理", 20), ("产出", 35), ("效益", 20)], False),
])
def test_special_bond_output_and_effect_more_than_decision_and_management(level1, warned):
    found = diagnostics(spec(100, level1, "河南专项债"))
    assert [d.code for d in found] == (["W516"] if warned else [])
    if warned:
        assert "产出、效果指标合计 50 分，不大于决策、管理指标合计 50 分" in found[0].message


def test_an_unknown_profile_is_an_error_listing_the_known_ones():
    found = diagnostics(spec(100, SELF, "财预〔2099〕1号"))
    assert [d.code for d in found] == ["E453"]
    assert found[0].span.line == 2 and "财预〔2020〕10号" in found[0].hint and "河南省专项债券项目绩效评价框架" in found[0].hint


def test_profile_rules_wait_for_points_still_to_fill():
    text = spec(100, SELF, "财预〔2020〕10号").replace("产出指标（50）", "产出指标（？）")
    assert sorted(set(codes(text))) == ["E450"]


def test_a_zero_total_is_left_to_the_other_checks():
    text = spec(100, SELF, "财预〔2020〕10号 财政评价").replace("总分 100", "总分 0")
    assert "W516" not in codes(text) and "E303" in codes(text)
