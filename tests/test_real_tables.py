"""What real tables write, checked and printed as they mean it: whole-number finding bands, layouts
without 指标解释, a target of 0, amounts per head, awards at the spec's places, level-1 subtotals and
worked examples that set spec-level inputs."""

from __future__ import annotations

import io
import json
from decimal import Decimal

import docx
import pytest

import idsl
from idsl.check import check
from idsl.frontend.resolve import load_text
from idsl.frontend.source import Source
from idsl.io.inputs import read_inputs
from idsl.render.docx import render_docx
from idsl.render.standard import standard_text
from idsl.engines.worked import run_examples
from idsl.semantics.lower import lower


def _loaded(text: str):
    return load_text(Source("t.idsl", text))


def _codes(text: str) -> list[str]:
    return [d.code for d in check(_loaded(text))]


def _plan(text: str):
    loaded = _loaded(text)
    assert not [d for d in check(loaded) if d.severity == "error"], [d.message for d in check(loaded)]
    return lower(loaded.spec)


FINDINGS = """体系 "例" 总分 2
过程（2）
  问题整改（2）
    解释 例
    输入 发现问题：问题数
    分档 发现问题：发现问题 = 0 得满分；发现问题 = 1 得 1 分；{last}
"""


def test_whole_number_finding_bands_leave_no_gap():
    assert _codes(FINDINGS.format(last="发现问题 ≥ 2 不得分")) == []


def test_a_skipped_finding_count_is_still_a_gap_named_as_a_whole_number():
    found = check(_loaded(FINDINGS.format(last="发现问题 ≥ 3 不得分")))
    assert [d.code for d in found] == ["E403"]
    assert found[0].message == "发现问题 = 2 项 时没有对应的档次。"


def test_finding_bands_overlapping_only_between_whole_numbers_do_not_conflict():
    text = FINDINGS.format(last="发现问题 > 0.5 且 发现问题 < 1 得 2 分；发现问题 ≥ 2 不得分")
    assert "E404" not in _codes(text)


def test_a_rate_band_between_two_points_is_still_a_gap():
    text = FINDINGS.replace("问题数", "比率").replace("发现问题 = 1 得 1 分；", "").format(last="发现问题 ≥ 50% 不得分")
    assert "E403" in _codes(text)


NO_EXPLANATION = """体系 "例" 总分 2
决策（2）
  重点工作完成率（2）
    酌情
{layout}"""


def test_no_w502_when_the_table_has_no_explanation_column():
    layout = "表格\n  列 一级指标、二级指标、分值、评分标准、得分\n"
    assert "W502" not in _codes(NO_EXPLANATION.format(layout=layout))
    assert "W502" in _codes(NO_EXPLANATION.format(layout=""))  # 001's layout prints 指标解释
    with_column = "表格\n  列 一级指标、二级指标、指标说明、评分标准、得分\n"
    assert "W502" in _codes(NO_EXPLANATION.format(layout=with_column))


TEXTS = """体系 "例" 总分 10
小数 1 位
产出（10）
  安全事故（2）
    解释 例
    输入 事故起数：数量 起
    目标 事故起数 ≤ 0 起
  差错率（1）
    解释 例
    输入 实际差错率：比率
    目标 实际差错率 = 0%
  完成率（1）
    解释 例
    输入 实际完成率：比率
    目标 实际完成率 ≥ 90%
  人均经费（2）
    解释 例
    输入 经费：金额 万元，在职人数：数量 人
    人均经费 = 经费 ÷ 在职人数
    得分 = min(人均经费 ÷ 10, 1) × 分值
  公开情况（2）
    解释 例
    选择 公开
      按时公开：2 分
      部分公开：1.45 分
      未公开：0 分
  支出进度（2）
    解释 例
    输入 进度：比率，受到通报：是否
    若 受到通报 则 得 0.25 分
    分档 进度：进度 ≥ 90% 得满分；否则 得 1.45 分
"""


def test_a_zero_target_says_a_shortfall_scores_nothing():
    plan = _plan(TEXTS)
    assert standard_text(plan.find("安全事故")) == "指标值：≤0起。达到目标得满分，未达到不得分。"
    assert standard_text(plan.find("差错率")) == "指标值：=0%。达到目标得满分，未达到不得分。"
    assert standard_text(plan.find("完成率")) == "指标值：≥90%。达到目标得满分，未达到按完成比例得分。"
    inputs = {"inputs": {"安全事故": {"事故起数": 1}, "差错率": {"实际差错率": "0.5%"}, "完成率": {"实际完成率": "72%"}}}
    result = idsl.score(plan, read_inputs(inputs), allow_missing=True)
    reasons = [result.node(plan.find(name).path).reason for name in ("安全事故", "差错率", "完成率")]
    assert reasons == ["实际值1起，目标≤0起，未达标，得0分。", "实际值0.5%，目标0%，未达标，得0分。",
                       "实际值72%，目标≥90%，未达标，完成80%，得0.8分。"]  # the reason says what the 评分标准 says


def test_an_amount_per_head_is_no_percentage():
    plan = _plan(TEXTS)
    assert standard_text(plan.find("人均经费")).split("\n")[0] == "人均经费=经费/在职人数。"
    result = idsl.score(plan, read_inputs({"inputs": {"人均经费": {"经费": 120, "在职人数": 24}}}), allow_missing=True)
    assert result.node(plan.find("人均经费").path).reason == "人均经费为5万元/人，得1分。"


def test_fixed_awards_print_as_they_score_at_the_specs_places():
    plan = _plan(TEXTS)
    choice = standard_text(plan.find("公开情况"), places=plan.places)
    assert "部分公开的，得1.5分" in choice and "1.45" not in choice
    bands = standard_text(plan.find("支出进度"), places=plan.places)
    assert "否则得1.5分" in bands and "得0.3分" in bands
    assert "1.45" in standard_text(plan.find("公开情况"))  # without places: as written
    result = idsl.score(plan, read_inputs({"inputs": {"公开情况": {"公开": "部分公开"}}}), allow_missing=True)
    assert result.node(plan.find("公开情况").path).score == 1.5  # what the text now says
    cells = [c.text for row in docx.Document(io.BytesIO(render_docx(plan))).tables[0].rows for c in row.cells]
    assert any("部分公开的，得1.5分" in c for c in cells) and not any("1.45" in c for c in cells)



def test_a_deviations_award_beyond_its_limit_prints_as_it_scores():
    text = """体系 "例" 总分 2
小数 1 位
过程（2）
  预算调整率（2）
    解释 例
    输入 调整率：比率 范围 -100%～100%
    偏离 |调整率| 目标 0%，每 1% 扣 0.15 分，超过 10% 得 0.45 分
"""
    plan = _plan(text)
    assert standard_text(plan.find("预算调整率"), places=plan.places) == "调整率=0%得满分，每调增或调减1%扣0.15分，超过10%得0.5分。"
    result = idsl.score(plan, read_inputs({"inputs": {"预算调整率": {"调整率": "20%"}}}), allow_missing=True)
    assert result.node(plan.find("预算调整率").path).score == Decimal("0.5")


def test_interval_shares_print_as_they_score_at_the_specs_places():
    text = """体系 "例" 总分 1.5
小数 1 位
产出（1.5）
  预算执行率（1.5）
    解释 例
    输入 执行率：比率，项目完成：是否
    若 项目完成 且 执行率 > 100% 则 不得分
    若 项目完成 = 否 且 执行率 ≥ 100% 则 得 1 分
    区间赋分 执行率，项目完成
"""
    plan = _plan(text)
    words = standard_text(plan.find("预算执行率"), places=plan.places)
    assert "大于等于80%的，得1.1分" in words and "大于等于60%的，得0.8分" in words and "1.05" not in words
    for rate, score in (("85%", "1.1"), ("65%", "0.8")):
        inputs = {"inputs": {"预算执行率": {"执行率": rate, "项目完成": "否"}}}
        assert idsl.score(plan, read_inputs(inputs)).node(plan.find("预算执行率").path).score == Decimal(score)


PARTS = """体系 "例" 总分 7
小数 1 位
产出（7）
  预决算公开（3）
    解释 例
    分项 预算公开（1.5）
      选择 预算
        按时公开：1.5 分
        部分公开：1.45 分
        未公开：0 分
    分项 决算公开（1.5）
      选择 决算
        按时公开：1.5 分
        部分公开：1.45 分
        未公开：0 分
  完成情况（4）
    解释 例
    分项 甲（2）
      输入 甲率：比率
      得分 = 甲率 × 分值
    分项 乙（2）
      输入 乙率：比率
      得分 = 乙率 × 分值
"""


def test_the_parts_of_a_reason_add_up_to_its_total():
    plan = _plan(PARTS)
    assert "部分公开的，得1.45分" in standard_text(plan.find("预决算公开"), places=plan.places)  # parts sum unrounded
    inputs = {"inputs": {"预决算公开": {"预算": "部分公开", "决算": "部分公开"},
                         "完成情况": {"甲率": "83.3%", "乙率": "83.3%"}}}
    result = idsl.score(plan, read_inputs(inputs))
    published, done = (result.node(plan.find(name).path) for name in ("预决算公开", "完成情况"))
    assert (published.score, done.score) == (Decimal("2.9"), Decimal("3.3"))
    assert published.reason == "预算公开：选择“部分公开”，得1.45分；决算公开：选择“部分公开”，得1.45分；合计得2.9分。"
    assert done.reason == ("甲：甲率为83.3%，得1.7分；乙：乙率为83.3%，得1.7分；"
                           "合计得3.3分（各分项得分未取舍时合计，再四舍五入）。")  # 1.666 + 1.666 = 3.332


ELEMENTS = """体系 "例" 总分 4
小数 1 位
产出（4）
  不等分要素（2）
    解释 例
    要素
      - 制度健全（1.45分）
      - 执行有效（0.55分）
  等分要素（2）
    解释 例
    要素 每项 1 分
      - 制度健全
      - 执行有效
"""


def test_elements_finer_than_the_places_say_the_sum_is_rounded():
    plan = _plan(ELEMENTS)
    finer = standard_text(plan.find("不等分要素"), places=plan.places)
    assert finer == "1. 制度健全，得1.45分；\n2. 执行有效，得0.55分。得分按符合项的分值合计后四舍五入。"
    assert "四舍五入" not in standard_text(plan.find("等分要素"), places=plan.places)
    result = idsl.score(plan, read_inputs({"inputs": {"不等分要素": {"要素": ["是", "否"]}}}), allow_missing=True)
    assert result.node(plan.find("不等分要素").path).score == Decimal("1.5")  # 1.45 summed, then rounded

SUBTOTALS = """体系 "例" 总分 4
决策（2）
  甲（2）
    解释 例
    酌情
过程（2）
  乙（1）
    解释 例
    酌情
  丙（1）
    解释 例
    酌情

表格
  列 一级指标、二级指标、分值、评分标准、得分
  行 {rows}
"""


def _table(text: str, scores: dict | None = None) -> list[list[str]]:
    plan = _plan(text)
    result = None
    if scores is not None:
        inputs = {k: {"得分": v, "理由": "例"} for k, v in scores.items()}
        result = idsl.score(plan, read_inputs(json.dumps({"inputs": inputs})))
        assert not result.errors, result.errors
    table = docx.Document(io.BytesIO(render_docx(plan, result))).tables[0]
    return [[c.text for c in row.cells] for row in table.rows]


def test_level1_subtotals_print_one_row_under_each_level1():
    rows = _table(SUBTOTALS.format(rows="一级指标小计、合计"), {"甲": 1.5, "乙": 1, "丙": 0.5})
    firsts = [r[0] for r in rows]
    assert firsts == ["一级指标", "决策（2）", "决策小计", "过程（2）", "过程（2）", "过程小计", "合计"]
    assert rows[2][2:] == ["2", "", "1.5"] and rows[5][2:] == ["2", "", "1.5"] and rows[6][-1] == "3"


def test_the_trees_subtotal_is_still_one_row_as_002_prints_it():
    rows = _table(SUBTOTALS.format(rows="小计、合计"))
    assert [r[0] for r in rows].count("小计") == 1 and rows[-2][0] == "小计"


SHARED = """体系 "例" 总分 4
输入 全年支出进度：比率
资金管理（4）
  部门预算支出率（4）
    解释 例
    分档 全年支出进度：全年支出进度 ≥ 90% 得满分；否则 得 2 分

示例 设共用输入
  {setting}
  期望 部门预算支出率 = {expected}
"""


@pytest.mark.parametrize("setting,expected", [("设 全年支出进度 = 95%", 4), ("设 共用.全年支出进度 = 80%", 2)])
def test_worked_examples_set_spec_level_inputs(setting, expected):
    text = SHARED.format(setting=setting, expected=expected)
    assert _codes(text) == []
    [report] = run_examples(_plan(text))
    assert report.passed, [f.message for f in report.failures]


def test_a_worked_example_naming_no_shared_input_is_still_e205():
    assert _codes(SHARED.format(setting="设 全年进度 = 95%", expected=4)) == ["E205"]
    assert _codes(SHARED.format(setting="设 共用.全年进度 = 95%", expected=4)) == ["E205"]


UNTIL_ZERO = """体系 "例" 总分 6
效率性（6）
  重点支出安排率（2）
    解释 例
    输入 安排率：比率
    分档 安排率：安排率 ≥ 80% 得满分；安排率 < 80% 每降低 1% 扣 0.2 分{floor}
  预算调整率（2）
    解释 例
    输入 调整数：金额 万元 可负，预算数：金额 万元
    调整率 = 调整数 ÷ 预算数
    分档 调整率：调整率 ≤ 0% 得满分；调整率 > 0% 每增加 1%（四舍五入取整）扣 0.5 分{floor}
  支出进度偏差（2）
    解释 例
    输入 支出进度：比率
    偏离 支出进度 目标 50%，每 5% 扣 0.5 分{floor}
"""


def test_until_zero_lets_linear_deductions_pass_zero():
    assert _codes(UNTIL_ZERO.format(floor="，扣完为止")) == []
    assert _codes(UNTIL_ZERO.format(floor="")).count("E402") == 3  # the author's slip: 扣完为止 left out


def test_no_w507_when_a_band_is_written_for_the_negative_values():
    text = UNTIL_ZERO.format(floor="，扣完为止")
    assert "W507" in _codes(text.replace("调整率 ≤ 0% 得满分；调整率 > 0%", "调整率 ≤ 3% 得满分；调整率 > 3%"))


def test_until_zero_text_and_reason():
    plan = _plan(UNTIL_ZERO.format(floor="，扣完为止"))
    assert standard_text(plan.find("重点支出安排率")) == "安排率≥80%得满分，低于80%每降低1%扣0.2分，扣完为止。"
    assert standard_text(plan.find("支出进度偏差")).endswith("扣0.5分，扣完为止。")
    result = idsl.score(plan, read_inputs(json.dumps({"inputs": {"重点支出安排率": {"安排率": "30%"}}})), allow_missing=True)
    assert result.node(plan.find("重点支出安排率").path).reason == "重点支出安排率为30%，低于80%，每降低1%扣0.2分，扣完为止，得0分。"


def test_until_zero_scores_the_same_in_both_engines():
    from idsl.engines.batch import score_rows

    plan = _plan(UNTIL_ZERO.format(floor="，扣完为止"))
    values = [("80%", "0", "50%"), ("79.5%", "0.4", "52.5%"), ("75%", "2.5", "85%"), ("30%", "9", "0%"),
              ("0%", "-5", "100%"), ("71%", "3.6", "40%")]
    rows = [{"单位": f"单位{i}", "效率性/重点支出安排率.安排率": a, "效率性/预算调整率.调整数": b,
             "效率性/预算调整率.预算数": "100", "效率性/支出进度偏差.支出进度": c} for i, (a, b, c) in enumerate(values)]
    python, python_errors = score_rows(plan, rows, engine="python")
    duckdb, duckdb_errors = score_rows(plan, rows, engine="duckdb")
    assert not python_errors and not duckdb_errors
    assert python == duckdb
    scores = [(r["效率性/重点支出安排率"], r["效率性/预算调整率"], r["效率性/支出进度偏差"]) for r in python]
    assert scores[3] == (0, 0, 0) and scores[1] == (Decimal("1.9"), 2, Decimal("1.75")) and scores[5] == (Decimal("0.2"), 0, Decimal("1"))


VETOES = """体系 "例" 总分 10
等级 优：总分 ≥ 9；良：8 ≤ 总分 < 9；中：6 ≤ 总分 < 8；差：总分 < 6
一票否决 若 发生重大事故
一票否决 若 违规资金占比 > 10%
一票否优 若 被通报 或 违规资金占比 > 0%
输入 发生重大事故：是否，被通报：是否，违规资金占比：比率

决策（10）
  重点工作完成率（10）
    解释 例
    酌情
"""

VETO_ROWS = [  # 发生重大事故, 被通报, 违规资金占比, 得分 → 总分, 等级
    ("否", "否", "0%", "9.5", "9.50", "优"), ("否", "是", "0%", "9.5", "9.50", "良"),
    ("否", "否", "0.5%", "9", "9.00", "良"), ("否", "是", "0%", "8.5", "8.50", "良"),
    ("是", "否", "0%", "9.5", "0.00", "差"), ("否", "否", "10.5%", "7", "0.00", "差"),
    ("否", "否", "10%", "7", "7.00", "中"),
]


def test_vetoes_zero_the_total_and_cap_the_grade_in_both_engines():
    from idsl.engines.batch import score_rows

    plan = _plan(VETOES)
    rows = [{"单位": f"单位{i}", "共用.发生重大事故": a, "共用.被通报": b, "共用.违规资金占比": c,
             "决策/重点工作完成率.得分": d, "决策/重点工作完成率.理由": "例"} for i, (a, b, c, d, *_rest) in enumerate(VETO_ROWS)]
    rows.append({**rows[0], "单位": "空", "共用.被通报": ""})  # a veto's input left blank: the row is not scored
    python, python_errors = score_rows(plan, rows, engine="python")
    duckdb, duckdb_errors = score_rows(plan, rows, engine="duckdb")
    assert python == duckdb
    assert {e.row for e in python_errors} == {e.row for e in duckdb_errors} == {len(rows) + 1}
    got = [(format(r["总分"], "f"), r["等级"]) for r in python]
    assert got == [(total, grade) for *_given, total, grade in VETO_ROWS]


def test_a_veto_input_left_out_is_an_input_error():
    plan = _plan(VETOES)
    inputs = {"inputs": {"共用": {"发生重大事故": "否", "违规资金占比": "0%"}, "重点工作完成率": {"得分": 9.5, "理由": "例"}}}
    result = idsl.score(plan, read_inputs(json.dumps(inputs)))
    assert [(e.path, e.field) for e in result.errors] == [("共用", "共用.被通报")]
    assert result.total is None and result.grade is None


def test_veto_checks():
    assert _codes(VETOES) == []
    assert _codes(VETOES.replace("等级 优：总分 ≥ 9；良：8 ≤ 总分 < 9；中：6 ≤ 总分 < 8；差：总分 < 6\n", "")) == ["E435"]
    leaf_input = VETOES.replace("一票否决 若 发生重大事故", "一票否决 若 完成率 < 60%").replace(
        "    酌情", "    输入 完成率：比率\n    酌情")
    assert "E201" in _codes(leaf_input)
    assert "E410" in _codes(VETOES.replace("违规资金占比 > 10%", "违规资金占比 > 10"))


def test_veto_text_under_the_word_table():
    plan = _plan(VETOES)
    document = docx.Document(io.BytesIO(render_docx(plan)))
    texts = [p.text for p in document.paragraphs]
    assert "一票否决：如发生重大事故，总分为0分。" in texts
    assert "一票否决：如违规资金占比大于10%，总分为0分。" in texts
    assert "一票否优：如被通报或违规资金占比大于0%，等级最高为良。" in texts


def test_the_result_says_which_veto_held():
    plan = _plan(VETOES)

    def note(accident: str, notified: str, share: str, score: str):
        inputs = {"inputs": {"共用": {"发生重大事故": accident, "被通报": notified, "违规资金占比": share},
                             "重点工作完成率": {"得分": score, "理由": "例"}}}
        result = idsl.score(plan, read_inputs(json.dumps(inputs)))
        return result.total, result.grade, result.total_note

    assert note("是", "否", "0%", "9.5") == (Decimal(0), "差", "一票否决：如发生重大事故，总分为0分。")
    assert note("否", "是", "0%", "9.5") == (Decimal("9.5"), "良", "一票否优：如被通报或违规资金占比大于0%，等级最高为良。")
    assert note("否", "是", "0%", "8.5")[2] is None  # 良 anyway: the veto changed nothing
    assert note("否", "否", "0%", "9.5") == (Decimal("9.5"), "优", None)


CAPPED = VETOES.replace("一票否优 若 被通报 或 违规资金占比 > 0%\n", "总分上限 = 资金到位率 × 分值\n").replace(
    "被通报：是否，违规资金占比：比率", "违规资金占比：比率，资金到位率：比率")


def test_a_total_cap_from_an_input_in_both_engines():
    from idsl.engines.batch import score_rows

    plan = _plan(CAPPED)
    given = [("100%", "9.5", "9.50", "优"), ("85.55%", "9.5", "8.56", "良"), ("33.335%", "2", "2.00", "差"),
             ("0%", "9", "0.00", "差")]
    rows = [{"单位": f"单位{i}", "共用.发生重大事故": "否", "共用.违规资金占比": "0%", "共用.资金到位率": rate,
             "决策/重点工作完成率.得分": score, "决策/重点工作完成率.理由": "例"} for i, (rate, score, *_r) in enumerate(given)]
    python, _ = score_rows(plan, rows, engine="python")
    duckdb, _ = score_rows(plan, rows, engine="duckdb")
    assert python == duckdb
    assert [(format(r["总分"], "f"), r["等级"]) for r in python] == [(t, g) for *_g, t, g in given]
    inputs = {"inputs": {"共用": {"发生重大事故": "否", "违规资金占比": "0%", "资金到位率": "85.55%"},
                         "重点工作完成率": {"得分": 9.5, "理由": "例"}}}
    result = idsl.score(plan, read_inputs(json.dumps(inputs)))
    assert result.total_note == "总分上限为资金到位率×分值，总分由9.5分降为8.56分。"


def test_a_total_cap_must_be_in_points_over_shared_inputs():
    assert _codes(CAPPED) == []
    assert "E409" in _codes(CAPPED.replace("总分上限 = 资金到位率 × 分值", "总分上限 = 资金到位率"))
    assert "E201" in _codes(CAPPED.replace("总分上限 = 资金到位率 × 分值", "总分上限 = 到位率 × 分值"))
    words = [p.text for p in docx.Document(io.BytesIO(render_docx(_plan(CAPPED)))).paragraphs]
    assert "总分上限：总分不超过资金到位率×分值（分值即总分10分）。" in words


# 007 (岳阳市 参考样表) as the table writes it: 计 N 分, 每超过, an option's 不得分 and （含） on a band's end read as
# written; （含） after a comparison and an option's 得满分 are each one E101 that says how idsl writes them.
TABLE_WORDING = """体系 "例" 总分 5
预算配置（5）
  重点支出安排率（5）
    解释 例
    输入 安排率：比率
{line}
"""


def _syntax_error(line: str):
    found = check(_loaded(TABLE_WORDING.format(line=line)))
    assert [d.code for d in found] == ["E101"], [(d.code, d.message) for d in found]
    return found[0]


@pytest.mark.parametrize(("above", "band", "example", "below"), [
    ("≥", "80%（含）～90% 得 4 分", "80% ≤ 安排率 < 90%", "<"),
    (">", "80%～90%（含） 得 4 分", "80% < 安排率 ≤ 90%", "≤"),
    (">", "80%-90%(含) 得 4 分", "80% < 安排率 ≤ 90%", "≤"),
])
def test_an_end_marked_included_in_a_band_reads_as_the_comparison(above, band, example, below):
    line = f"    分档 安排率：安排率 {above} 90% 得 5 分；{band}；安排率 {below} 80% 不得分"
    fixed = line.replace(band, f"{example} 得 4 分")
    assert _codes(TABLE_WORDING.format(line=line)) == [] and _codes(TABLE_WORDING.format(line=fixed)) == []
    marked, compared = _plan(TABLE_WORDING.format(line=line)), _plan(TABLE_WORDING.format(line=fixed))
    for rate in ("79.99%", "80%", "85%", "90%", "90.01%"):
        given = {"inputs": {"重点支出安排率": {"安排率": rate}}}
        assert idsl.score(marked, given).total == idsl.score(compared, given).total, rate


def test_an_end_marked_included_after_a_comparison_is_one_e101():
    found = _syntax_error("    分档 安排率：安排率 ≥ 90%（含） 得 5 分；安排率 < 90% 不得分")
    assert found.message == "“（含）”只标在分档条件的端点上，如 80%（含）～90%、90%（含）以上。"
    assert found.hint == "比较已写明是否含端点：≥、≤ 含，>、< 不含；这里删去“（含）”。"


def test_the_tables_ji_n_fen_and_per_point_over_read_as_de_and_each_rise():
    # “≦100%，计5分；每超过一个百分点扣0.5分，扣完为止”: 计 is 得 (it was read as a unit of 100%, and after a bare 0 it
    # was E409 比率与数量（计）), 每超过 is 每增加.
    table = "    分档 安排率：安排率 = 0% 计 5 分；安排率 > 0% 每超过 1% 扣 0.5 分，扣完为止"
    ours = "    分档 安排率：安排率 = 0% 得 5 分；安排率 > 0% 每增加 1% 扣 0.5 分，扣完为止"
    assert _codes(TABLE_WORDING.format(line=table)) == []
    assert lower(_loaded(TABLE_WORDING.format(line=table)).spec) == lower(_loaded(TABLE_WORDING.format(line=ours)).spec)
    bare = table.replace("0%", "0")
    assert _codes(TABLE_WORDING.format(line=bare)) == []
    plan = _plan(TABLE_WORDING.format(line=table))
    assert standard_text(plan.find("重点支出安排率")) == "安排率=0%得5分，超过0%每增加1%扣0.5分，扣完为止。"


def test_a_choice_option_scored_not_at_all_reads_as_zero_points():
    option = "    选择 结余情况\n      无结余：5 分\n      有结余，但不超过上年结转：2 分\n      结余超过上年结转：{award}"
    table, ours = (TABLE_WORDING.replace("    输入 安排率：比率\n", "").format(line=option.format(award=award))
                   for award in ("不得分", "0 分"))
    assert _codes(table) == []
    assert lower(_loaded(table).spec) == lower(_loaded(ours).spec)
    assert standard_text(_plan(table).find("重点支出安排率")).endswith("3. 结余超过上年结转的，得0分。")


def test_a_choice_option_worth_full_points_is_written_as_a_number():
    found = _syntax_error("    选择 结余情况\n      无结余：得满分\n      有结余：0 分")
    assert (found.message, found.hint) == ("选项的分数要写成数字，不写“得满分”。", "写成 无结余：N 分（N 是指标的分值）。")
