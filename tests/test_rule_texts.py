"""Texts around 计分条件, 趋势 and series: E429 for a gate written as the shortfall, the gate's reason with the
unit's figures, W501 over a trend in words of the change, the 评分标准 naming the years or sub-projects."""

from __future__ import annotations

import idsl
from idsl.check.suite import check_spec
from idsl.frontend.resolve import load_text
from idsl.frontend.source import Source
from idsl.io.inputs import read_inputs
from idsl.render.standard import standard_text
from idsl.semantics.lower import lower


def _loaded(text: str):
    return load_text(Source("t.idsl", text))


def _diagnostics(text: str):
    loaded = _loaded(text)
    return list(loaded.diagnostics) + check_spec(loaded.spec, loaded.sources)


def _gate(line: str) -> str:
    return ('体系 "例" 总分 4\n满意度（4）\n  服务对象满意度（4）\n    解释 有效样本不足 30 份的不计分。\n'
            f'    输入 有效样本：数量 份，满意率：比率\n    {line}\n    得分 = 满意率 × 分值\n')


def test_a_gate_that_caps_the_sample_is_the_shortfall():
    for line, better in (("计分条件 有效样本 < 30 份", "有效样本 ≥ 30 份"), ("计分条件 30 份 > 有效样本", "有效样本 ≥ 30 份"),
                         ("计分条件 有效样本 ≤ 29 份 且 满意率 ≥ 0%", "有效样本 > 29 份")):
        found = [d for d in _diagnostics(_gate(line)) if d.code == "E429"]
        assert len(found) == 1 and better in found[0].hint, (line, found)
    assert not [d for d in _diagnostics(_gate("计分条件 有效样本 ≥ 30 份")) if d.severity == "error"]


def test_the_reason_of_a_gate_not_met_names_the_units_figures():
    plan = lower(_loaded(_gate("计分条件 有效样本 ≥ 30 份")).spec)
    result = idsl.score(plan, read_inputs('{"inputs": {"服务对象满意度": {"有效样本": 12, "满意率": "90%"}}}'))
    assert result.node("服务对象满意度").reason.startswith("本单位有效样本为12份，未达到计分条件")


def test_w501_over_a_trend_speaks_of_the_change():
    text = ('体系 "例" 总分 4\n满意度（4）\n  服务对象满意度（4）\n    解释 持平的得满分。\n'
            '    输入 本年满意率：比率，上年满意率：比率\n'
            '    趋势 本年满意率 较 上年满意率：提高 得 2 分；持平 得满分；下降 不得分\n')
    found = [d for d in _diagnostics(text) if d.code == "W501"]
    assert len(found) == 1 and "本年满意率较上年满意率的变化" in found[0].message and "比率" not in found[0].message[:6]


def test_the_standard_names_the_years_and_the_sub_projects():
    text = ('体系 "例" 总分 5\n预算执行（5）\n  预算执行率（5）\n    解释 按子项目资金加权。\n'
            '    输入 执行数：金额 万元 子项目 1～3，预算数：金额 万元 子项目 1～3，进度：比率 年度 2022～2024\n'
            '    若 逐年提高(进度) 则 得满分\n    得分 = min(合计(执行数) / 合计(预算数), 100%) × 分值\n')
    lines = standard_text(next(lower(_loaded(text).spec).leaves())).splitlines()
    assert "执行数、预算数按子项目1—3逐个子项目填列。" in lines and "进度按2022—2024年逐年填列。" in lines
