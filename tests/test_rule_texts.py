"""Texts around 计分条件, 趋势, 偏离 and series: E429 for a gate written as the shortfall, the gate's reason with
the unit's figures, W501 over a trend in words of the change, W504 of a deviation saying what it awards past its
limit in the spec's words, the 评分标准 naming the years or sub-projects; what a per-finding rule counts and the
counting word of a band over a count, alike in the 评分标准 and the reason."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

import idsl
from idsl.check.suite import check_spec
from idsl.engines.batch import score_rows
from idsl.engines.rows import row_from_json
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


def _deviation(beyond: str) -> str:
    return ('体系 "例" 总分 10\n过程（10）\n  预算调整率（10）\n    解释 调增或调减都扣分。\n    输入 预算调整率：比率\n'
            f'    偏离 |预算调整率| 目标 0%，每 1% 扣 0.5 分，超过 10% {beyond}\n')


@pytest.mark.parametrize("beyond, said", [
    ("不得分", "不得分"),
    ("不得分  # 按原表", "不得分"),
    ("得 0 分", "得 0 分"),
    ("得0分", "得0分"),
    ("计 1 分", "计 1 分"),
    ("zero", "不得分"),
    ("get 1 pts", "得 1 分"),
], ids=["zero", "zero-commented", "got-0", "got-0-unspaced", "counted-1", "english-zero", "english-get"])
def test_w504_of_a_deviation_says_what_it_awards_past_the_limit_as_the_spec_writes_it(beyond, said):
    [found] = [d for d in _diagnostics(_deviation(beyond)) if d.code == "W504"]
    assert found.message == f"偏离达到上限时还有 5 分，超过上限却直接{said}。"
    assert found.hint == "核对每步扣分与上限：通常扣到上限时正好为 0。"


def test_the_standard_names_the_years_and_the_sub_projects():
    text = ('体系 "例" 总分 5\n预算执行（5）\n  预算执行率（5）\n    解释 按子项目资金加权。\n'
            '    输入 执行数：金额 万元 子项目 1～3，预算数：金额 万元 子项目 1～3，进度：比率 年度 2022～2024\n'
            '    若 逐年提高(进度) 则 得满分\n    得分 = min(合计(执行数) / 合计(预算数), 100%) × 分值\n')
    lines = standard_text(next(lower(_loaded(text).spec).leaves())).splitlines()
    assert "执行数、预算数按子项目1—3逐个子项目填列。" in lines and "进度按2022—2024年逐年填列。" in lines


def _scored(text: str, inputs: str):
    plan = lower(_loaded(text).spec)
    assert not [d for d in _diagnostics(text) if d.severity == "error"]
    return plan, idsl.score(plan, read_inputs(inputs))


def _per_finding(name: str, unit_line: str = "问题数") -> str:
    return ('体系 "例" 总分 3\n过程（3）\n  合规性（3）\n    解释 发现的问题。\n'
            f'    输入 {name}：{unit_line}\n    按项扣分 {name} 每项 1 分，扣完为止\n')


def test_a_per_finding_rule_says_what_it_counts_in_the_table_and_the_reason():
    cases = (("问题数", "每发现一项问题扣1分", "发现2项问题，每项扣1分", "未发现问题"),
             ("问题个数", "每发现一个问题扣1分", "发现2个问题，每个扣1分", "未发现问题"),
             ("违规次数", "每发现一次违规扣1分", "发现2次违规，每次扣1分", "未发现违规"),
             ("不符合要求的例数", "每发现一例不符合要求的扣1分", "发现2例不符合要求的情况，每例扣1分", "未发现不符合要求的情况"),
             ("未满足项数", "每发现一项未满足的扣1分", "发现2项未满足的情况，每项扣1分", "未发现未满足的情况"),
             ("负面事件数", "每发现一项负面事件扣1分", "发现2项负面事件，每项扣1分", "未发现负面事件"),
             ("违规项数", "每发现一项违规扣1分", "发现2项违规，每项扣1分", "未发现违规"),
             ("违规笔数", "每发现一笔违规扣1分", "发现2笔违规，每笔扣1分", "未发现违规"),
             ("事故起数", "每发现一起事故扣1分", "发现2起事故，每起扣1分", "未发现事故"),
             ("未按进度下达的专项数", "每发现一项未按进度下达的专项扣1分", "发现2项未按进度下达的专项，每项扣1分",
              "未发现未按进度下达的专项"))
    for name, rule, found, none in cases:
        plan, two = _scored(_per_finding(name), f'{{"inputs": {{"合规性": {{"{name}": 2}}}}}}')
        assert standard_text(plan.find("合规性")) == f"{rule}，扣完为止。"
        assert two.node("合规性").reason == f"{found}，得1分。"
        _plan, nought = _scored(_per_finding(name), f'{{"inputs": {{"合规性": {{"{name}": 0}}}}}}')
        assert nought.node("合规性").reason == f"{none}，得3分。"


_COUNTS = ('体系 "例" 总分 10\n过程（10）\n'
           '  问题整改（4）\n    解释 问题数。\n    输入 问题数：问题数\n'
           '    分档 问题数：问题数 = 0 得满分；问题数 ≥ 1 每增加 1 扣 1 分，扣完为止\n'
           '  违规情况（3）\n    解释 违规次数。\n    输入 违规次数：数量 次\n'
           '    分档 违规次数：违规次数 ≤ 2 得满分；2 < 违规次数 ≤ 4 得 1 分；违规次数 > 4 不得分\n'
           '  整改（3）\n    解释 按期整改与剩余问题。\n    输入 是否按期整改：是否，剩余问题数：问题数，表扬：数量 次\n'
           '    分档 是否按期整改、剩余问题数\n      是，剩余问题数 = 0：得满分\n      是，剩余问题数 ≥ 1：得 2 分\n'
           '      否，剩余问题数 ≥ 0：每增加 1 扣 1 分，扣完为止\n    另加 表扬 每项 0.5 分，最多加 1 分\n')


def test_bands_over_a_count_print_its_word_in_the_table_and_the_reason():
    plan, result = _scored(_COUNTS, '{"inputs": {"问题整改": {"问题数": 2}, "违规情况": {"违规次数": 3}, '
                                    '"整改": {"是否按期整改": "是", "剩余问题数": 1, "表扬": 0}}}')
    assert standard_text(plan.find("问题整改")) == "未发现问题得满分，问题数≥1项每增加1项扣1分，扣完为止。"
    assert standard_text(plan.find("违规情况")) == ("1. 违规次数≤2次的，得满分；\n2. 4次≥违规次数>2次的，得1分；\n"
                                                   "3. 违规次数>4次的，得0分。")
    assert standard_text(plan.find("整改")).splitlines()[:2] == [
        "按期整改的，未发现剩余问题得满分，剩余问题数≥1项得2分；未按期整改的，剩余问题数≥0项每增加1项扣1分，扣完为止。",
        "另按表扬每次加0.5分，最多加1分。"]
    assert result.node("问题整改").reason == "问题数为2项，高于1项，每增加1项扣1分，得3分。"
    assert result.node("违规情况").reason == "违规次数为3次，在2次～4次之间，得1分。"
    assert result.node("整改").reason == "是否按期整改为是，剩余问题数为1项，属“是，剩余问题数≥1项”一档，得2分。"



def test_a_band_over_a_count_of_none_opens_its_reason_in_the_words_of_the_band():
    """剩余问题数 0 reads 未发现剩余问题 in the reason's opening as in the band it falls in, not 剩余问题数为0项."""
    _plan, result = _scored(_COUNTS, '{"inputs": {"问题整改": {"问题数": 0}, "违规情况": {"违规次数": 0}, '
                                     '"整改": {"是否按期整改": "是", "剩余问题数": 0, "表扬": 0}}}')
    assert result.node("整改").reason == "是否按期整改为是，未发现剩余问题，属“是，未发现剩余问题”一档，得3分。"
    assert result.node("问题整改").reason == "未发现问题，得4分。"  # as a 分档 over the count alone says it


_FROM_NONE = ('体系 "例" 总分 4\n过程（4）\n  问题整改（4）\n    解释 问题数。\n    输入 问题数：问题数\n'
              '    分档 问题数：问题数 ≥ 0 每增加 1 扣 1 分，扣完为止\n')


def _leaf_and_batches(text: str, inputs: dict, key: str):
    """The interpreter's leaf `key`, and its score and errors from both batch engines."""
    unit = {"unit": "甲", "inputs": inputs}
    plan, result = _scored(text, json.dumps(unit, ensure_ascii=False))
    rows = [row_from_json(plan, unit)]
    batches = [score_rows(plan, rows, engine=engine) for engine in ("duckdb", "python")]
    return result.node(key), [(scored[0][f"过程/{key}"], errors) for scored, errors in batches]


def test_a_linear_band_over_a_count_of_none_says_nothing_was_found_and_the_score():
    """未按期整改 with no problem left: the reason says so and the score, as a per-finding rule does
    (未发现问题，得5分), not 未发现剩余问题，未超过0项，每增加1项扣1分; both batch engines give that score."""
    late = {"问题整改": {"问题数": 0}, "违规情况": {"违规次数": 0}, "整改": {"是否按期整改": "否", "剩余问题数": 0, "表扬": 0}}
    leaf, batches = _leaf_and_batches(_COUNTS, late, "整改")
    assert (leaf.score, leaf.reason) == (Decimal(3), "是否按期整改为否，未发现剩余问题，得3分。")
    assert batches == [(Decimal(3), [])] * 2
    leaf, batches = _leaf_and_batches(_FROM_NONE, {"问题整改": {"问题数": 0}}, "问题整改")
    assert (leaf.score, leaf.reason) == (Decimal(4), "未发现问题，得4分。")
    assert batches == [(Decimal(4), [])] * 2
    leaf, _batches = _leaf_and_batches(_COUNTS, {**late, "整改": {**late["整改"], "剩余问题数": 1}}, "整改")
    assert leaf.reason == "是否按期整改为否，剩余问题数为1项，高于0项，每增加1项扣1分，得2分。"  # one found: the steps


_NONE = ('体系 "例" 总分 12\n过程（12）\n'
         '  问题整改（4）\n    解释 问题数。\n    输入 发现问题：问题数\n'
         '    分档 发现问题：发现问题 = 0 得满分；发现问题 = 1 得 1 分；发现问题 ≥ 2 不得分\n'
         '  安全生产（4）\n    解释 违规次数与临聘人员。\n    输入 违规次数：数量 次，临聘人数：数量 人，执行率：比率\n'
         '    若 违规次数 = 0 且 临聘人数 = 0 则 得满分\n    若 违规次数 ≥ 3 则 不得分\n    得分 = 执行率 × 分值\n'
         '  合规性（4）\n    解释 违规笔数。\n    输入 违规笔数：问题数\n'
         '    若 违规笔数 ≥ 3 则 不得分\n    按项扣分 违规笔数 每项 1 分，扣完为止\n')


def test_a_count_of_none_reads_as_tables_write_it_in_the_table_and_the_reason():
    none = '{"inputs": {"问题整改": {"发现问题": 0}, "安全生产": {"违规次数": 0, "临聘人数": 0, "执行率": "50%"}, ' \
           '"合规性": {"违规笔数": 0}}}'
    plan, result = _scored(_NONE, none)
    assert standard_text(plan.find("问题整改")) == ("1. 未发现问题的，得满分；\n2. 发现问题=1项的，得1分；\n"
                                                   "3. 发现问题≥2项的，得0分。")
    assert standard_text(plan.find("安全生产")).splitlines() == [
        "得分=执行率×分值。", "如无违规且临聘人数为0人，则本项得满分。", "如违规次数大于等于3次，则本项不得分。"]
    assert standard_text(plan.find("合规性")).splitlines() == [
        "每发现一笔违规扣1分，扣完为止。", "如违规笔数大于等于3笔，则本项不得分。"]
    assert result.node("问题整改").reason == "未发现问题，得4分。"
    assert result.node("安全生产").reason == "无违规且临聘人数为0人，得满分4分。"
    assert result.node("合规性").reason == "未发现违规，得4分。"
    _plan, many = _scored(_NONE, none.replace('"违规次数": 0', '"违规次数": 4').replace('"违规笔数": 0', '"违规笔数": 3'))
    assert many.node("安全生产").reason == "违规次数大于等于3次，本项不得分。"
    assert many.node("合规性").reason == "违规笔数大于等于3笔，本项不得分。"


def test_a_linear_band_at_its_start_says_nothing_was_counted_yet():
    """`问题数 ≥ 1 每增加 1 扣 1 分`: at 1 no step is counted, and the reason says the count is not above 1."""
    text = ('体系 "例" 总分 4\n过程（4）\n  问题整改（4）\n    解释 问题数。\n    输入 问题数：问题数\n'
            '    分档 问题数：问题数 = 0 得满分；问题数 ≥ 1 每增加 1 扣 1 分，扣完为止\n')
    loaded = load_text(Source("t.idsl", text))
    plan = lower(loaded.spec, loaded.sources)
    reasons = [idsl.score(plan, {"inputs": {"问题整改": {"问题数": n}}}).node("问题整改").reason for n in (1, 2)]
    assert reasons == ["问题数为1项，未超过1项，每增加1项扣1分，得4分。", "问题数为2项，高于1项，每增加1项扣1分，得3分。"]
