"""A reason never shows a value as equal to a threshold it differs from, nor on the wrong side of it.

The reason rounds a value for display (4 decimals, a rate 2 decimals of its percent figure); beside the
threshold it was compared with, it shows the digits that keep them apart (`idsl.semantics.apart`). Each rule
kind that prints a value beside a threshold is scored just below, at and just above it: the reason exactly,
and the score the same in the interpreter and in both batch engines (DuckDB and Python). The SQL query
gives scores only; the reasons are worded from the interpreter's trace, for the table, JSON and Word alike.
"""

from __future__ import annotations

import re
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import idsl
from docx_structure import docx_structure, texts_of
from idsl.check import check
from idsl.engines.batch import score_rows
from idsl.engines.rows import row_from_json
from idsl.frontend.resolve import load_text
from idsl.frontend.source import Source
from idsl.render.docx import render_docx
from idsl.semantics.apart import base_places, places_apart
from idsl.semantics.lower import lower
from idsl.semantics.numbers import half_up

SPEC = """体系 "边界" 总分 49
产出（49）
  参保人数（4）
    解释 例。
    输入 实际参保人数：数量 万人
    目标 实际参保人数 ≥ 41.94 万人
  失业率（4）
    解释 例。
    输入 实际失业率：比率
    目标 实际失业率 ≤ 4%
  到岗人数（4）
    解释 例。
    输入 到岗人数：数量 人
    目标 到岗人数 = 48 人
  建成面积（4）
    解释 例。
    输入 实际面积：数量 平方米
    目标 实际面积 ≥ 2000 平方米，及格 60%
  满意度（4）
    解释 例。
    输入 实际满意度：比率
    目标 实际满意度 ≥ 90%，未达标不得分
  执行率（4）
    解释 例。
    输入 执行率：比率
    分档 执行率：90%（含）以上得满分；80%（含）～90%得 3 分；80%以下不得分
  安排率（4）
    解释 例。
    输入 安排率：比率
    分档 安排率：安排率 ≥ 80% 得满分；80% > 安排率 ≥ 60% 每降低 1% 扣 0.1 分；安排率 < 60% 不得分
  调整率（2）
    解释 例。
    输入 调整率：比率
    偏离 |调整率| 目标 0%，每 1%（四舍五入取整）扣 0.2 分，超过 10% 不得分
  完成及时性（4）
    解释 例。
    输入 是否按期完成：是否，完成率：比率
    分档 是否按期完成、完成率：是，≥ 95% 得满分；是，< 95% 得 3 分；否，≥ 95% 得 2 分；否，否则 不得分
  两个数（4）
    解释 例。
    输入 完成率：比率，满意率：比率
    分档 完成率、满意率：≥ 90%，≥ 90% 得满分；≥ 90%，< 90% 得 3 分；60% ≤ 完成率 < 90%，≥ 80% 得 2 分；否则 不得分
  预算执行率（4）
    解释 例。
    输入 执行率：比率，项目完成：是否
    区间赋分 执行率，项目完成
  满意度变化（4）
    解释 例。
    输入 本年满意率：比率，上年满意率：比率
    趋势 本年满意率 较 上年满意率：提高 得满分；持平 得 2 分；下降 不得分
  公众满意度（3）
    解释 例。
    输入 公众样本：数量 份，回收率：比率
    计分条件 公众样本 ≥ 100 份 且 回收率 ≥ 60%，否则 得 1 分
    得分 = 回收率 × 分值
"""

# (leaf, its inputs, score, reason): just below, at and just above each threshold a reason shows
CASES = [
    ("参保人数", {"实际参保人数": "41.939999"}, "4.00", "实际值41.939999万人，目标≥41.94万人，未达标，完成99.999998%，得4分。"),
    ("参保人数", {"实际参保人数": "41.94"}, "4.00", "实际值41.94万人，目标≥41.94万人，已达标，得4分。"),
    ("参保人数", {"实际参保人数": "41.940001"}, "4.00", "实际值41.940001万人，目标≥41.94万人，已达标，得4分。"),
    ("参保人数", {"实际参保人数": "41.93995"}, "4.00", "实际值41.93995万人，目标≥41.94万人，未达标，完成99.9999%，得4分。"),
    ("参保人数", {"实际参保人数": "41.9"}, "4.00", "实际值41.9万人，目标≥41.94万人，未达标，完成99.9%，得4分。"),
    ("失业率", {"实际失业率": "3.999999%"}, "4.00", "实际值3.999999%，目标≤4%，已达标，得4分。"),
    ("失业率", {"实际失业率": "4%"}, "4.00", "实际值4%，目标≤4%，已达标，得4分。"),
    ("失业率", {"实际失业率": "4.000001%"}, "4.00", "实际值4.000001%，目标≤4%，未达标，完成99.99998%，得4分。"),
    ("到岗人数", {"到岗人数": "47.99999"}, "4.00", "实际值47.99999人，目标48人，未达标，完成99.99998%，得4分。"),
    ("到岗人数", {"到岗人数": "48"}, "4.00", "实际值48人，目标48人，已达标，得4分。"),
    ("到岗人数", {"到岗人数": "48.00001"}, "4.00", "实际值48.00001人，目标48人，未达标，完成99.99998%，得4分。"),
    ("建成面积", {"实际面积": "1199.99999"}, "0.00",
     "实际值1199.99999平方米，目标≥2000平方米，未达标，完成59.9999995%，低于及格线60%，得0分。"),
    ("建成面积", {"实际面积": "1200"}, "0.00",
     "实际值1200平方米，目标≥2000平方米，未达标，完成60%，及格线60%，按（60%−60%）÷（1−60%）折算，得0分。"),
    ("建成面积", {"实际面积": "1200.00001"}, "0.00",
     "实际值1200.00001平方米，目标≥2000平方米，未达标，完成60.000001%，及格线60%，按（60.000001%−60%）÷（1−60%）折算，得0分。"),
    ("建成面积", {"实际面积": "1999.99999"}, "4.00",
     "实际值1999.99999平方米，目标≥2000平方米，未达标，完成99.9999995%，及格线60%，按（99.9999995%−60%）÷（1−60%）折算，得4分。"),
    ("满意度", {"实际满意度": "89.999%"}, "0.00", "实际值89.999%，目标≥90%，未达标，得0分。"),
    ("满意度", {"实际满意度": "90%"}, "4.00", "实际值90%，目标≥90%，已达标，得4分。"),
    ("满意度", {"实际满意度": "90.001%"}, "4.00", "实际值90.001%，目标≥90%，已达标，得4分。"),
    ("执行率", {"执行率": "89.999%"}, "3.00", "执行率为89.999%，在80%（含）～90%之间，得3分。"),
    ("执行率", {"执行率": "90%"}, "4.00", "执行率为90%，得4分。"),
    ("执行率", {"执行率": "90.001%"}, "4.00", "执行率为90.001%，得4分。"),
    ("执行率", {"执行率": "79.999%"}, "0.00", "执行率为79.999%，低于80%，得0分。"),
    ("执行率", {"执行率": "80%"}, "3.00", "执行率为80%，在80%（含）～90%之间，得3分。"),
    ("执行率", {"执行率": "80.001%"}, "3.00", "执行率为80.001%，在80%（含）～90%之间，得3分。"),
    ("执行率", {"执行率": "85.004%"}, "3.00", "执行率为85%，在80%（含）～90%之间，得3分。"),
    ("安排率", {"安排率": "79.9999%"}, "4.00", "安排率为79.9999%，低于80%，每降低1%扣0.1分，得4分。"),
    ("安排率", {"安排率": "80%"}, "4.00", "安排率为80%，得4分。"),
    ("安排率", {"安排率": "80.0001%"}, "4.00", "安排率为80.0001%，得4分。"),
    ("安排率", {"安排率": "59.9999%"}, "0.00", "安排率为59.9999%，低于60%，得0分。"),
    ("安排率", {"安排率": "60%"}, "2.00", "安排率为60%，低于80%，每降低1%扣0.1分，得2分。"),
    ("调整率", {"调整率": "0.0001%"}, "2.00", "调整率为0.0001%，偏离目标0%，每1%扣0.2分（按四舍五入取整计0个），得2分。"),
    ("调整率", {"调整率": "0%"}, "2.00", "调整率为0%，与目标0%一致，得2分。"),
    ("调整率", {"调整率": "9.9999%"}, "0.00", "调整率为9.9999%，偏离目标0%，每1%扣0.2分（按四舍五入取整计10个），得0分。"),
    ("调整率", {"调整率": "10%"}, "0.00", "调整率为10%，偏离目标0%，每1%扣0.2分（按四舍五入取整计10个），得0分。"),
    ("调整率", {"调整率": "10.0001%"}, "0.00", "调整率为10.0001%，偏离目标0%超过10%，得0分。"),
    ("完成及时性", {"是否按期完成": "是", "完成率": "94.9999%"}, "3.00",
     "是否按期完成为是，完成率为94.9999%，属“是，完成率<95%”一档，得3分。"),
    ("完成及时性", {"是否按期完成": "是", "完成率": "95%"}, "4.00", "是否按期完成为是，完成率为95%，属“是，完成率≥95%”一档，得4分。"),
    ("完成及时性", {"是否按期完成": "是", "完成率": "95.0001%"}, "4.00",
     "是否按期完成为是，完成率为95.0001%，属“是，完成率≥95%”一档，得4分。"),
    ("完成及时性", {"是否按期完成": "否", "完成率": "94.9999%"}, "0.00",
     "是否按期完成为否，完成率为94.9999%，属“否，其他情况”一档，得0分。"),
    ("完成及时性", {"是否按期完成": "否", "完成率": "95%"}, "2.00", "是否按期完成为否，完成率为95%，属“否，完成率≥95%”一档，得2分。"),
    ("两个数", {"完成率": "89.99999%", "满意率": "90%"}, "2.00",
     "完成率为89.99999%，满意率为90%，属“90%>完成率≥60%，满意率≥80%”一档，得2分。"),
    ("两个数", {"完成率": "90%", "满意率": "89.99999%"}, "3.00", "完成率为90%，满意率为89.99999%，属“完成率≥90%，满意率<90%”一档，得3分。"),
    ("两个数", {"完成率": "75.001%", "满意率": "85.001%"}, "2.00", "完成率为75%，满意率为85%，属“90%>完成率≥60%，满意率≥80%”一档，得2分。"),
    ("预算执行率", {"项目完成": "否", "执行率": "59.9999%"}, "0.00", "项目尚未完成，预算执行率59.9999%，低于60%，得0分。"),
    ("预算执行率", {"项目完成": "否", "执行率": "60%"}, "2.00", "项目尚未完成，预算执行率60%，在60%（含）～80%之间，得2分。"),
    ("预算执行率", {"项目完成": "否", "执行率": "79.9999%"}, "2.00",
     "项目尚未完成，预算执行率79.9999%，在60%（含）～80%之间，得2分。"),
    ("预算执行率", {"项目完成": "否", "执行率": "80%"}, "2.80", "项目尚未完成，预算执行率80%，在80%（含）～100%之间，得2.8分。"),
    ("预算执行率", {"项目完成": "否", "执行率": "99.9999%"}, "2.80",
     "项目尚未完成，预算执行率99.9999%，在80%（含）～100%之间，得2.8分。"),
    ("预算执行率", {"项目完成": "是", "执行率": "99.9999%"}, "4.00", "项目已完成，预算执行率99.9999%，未超出预算，得4分。"),
    ("预算执行率", {"项目完成": "是", "执行率": "100%"}, "4.00", "项目已完成，预算执行率100%，未超出预算，得4分。"),
    ("公众满意度", {"公众样本": 100, "回收率": "59.9999%"}, "1.00",
     "本单位公众样本为100份，回收率为59.9999%，未达到计分条件（公众样本大于等于100份且回收率大于等于60%），得1分。"),
    ("公众满意度", {"公众样本": 99, "回收率": "60.0001%"}, "1.00",
     "本单位公众样本为99份，未达到计分条件（公众样本大于等于100份且回收率大于等于60%），得1分。"),  # 回收率 not read
    ("公众满意度", {"公众样本": 100, "回收率": "60%"}, "1.80", "回收率为60%，得1.8分。"),
    ("满意度变化", {"本年满意率": "89.9999%", "上年满意率": "90%"}, "0.00", "本年满意率较上年满意率下降（相差-0.0001%），得0分。"),
    ("满意度变化", {"本年满意率": "90%", "上年满意率": "90%"}, "2.00", "本年满意率较上年满意率持平（相差0%），得2分。"),
    ("满意度变化", {"本年满意率": "90.0001%", "上年满意率": "90%"}, "4.00", "本年满意率较上年满意率提高（相差0.0001%），得4分。"),
]


def plan_of(text: str):
    loaded = load_text(Source("t.idsl", text))
    errors = [d for d in check(loaded) if d.severity == "error"]
    assert not errors, [str(d) for d in errors]
    return lower(loaded.spec, loaded.sources)


@pytest.fixture(scope="module")
def plan():
    return plan_of(SPEC)


@pytest.mark.parametrize("leaf, fields, points, reason", CASES, ids=[f"{c[0]}-{'-'.join(map(str, c[1].values()))}" for c in CASES])
def test_the_reason_shows_the_value_on_its_side_of_the_threshold(plan, leaf, fields, points, reason):
    node = idsl.score(plan, {"inputs": {leaf: fields}}, allow_missing=True).node(f"产出/{leaf}")
    assert (str(node.score), node.reason) == (points, reason)


@pytest.mark.parametrize("engine", ["duckdb", "python"])
def test_both_batch_engines_give_the_scores_the_reasons_explain(plan, engine):
    rows = [row_from_json(plan, {"unit": str(n), "inputs": {leaf: fields}}) for n, (leaf, fields, _p, _r) in enumerate(CASES)]
    scored, errors = score_rows(plan, rows, engine=engine, allow_missing=True)
    assert not errors
    got = [Decimal(str(row[f"产出/{leaf}"])) for row, (leaf, *_rest) in zip(scored, CASES)]
    assert got == [Decimal(points) for _leaf, _fields, points, _reason in CASES]


def test_the_word_table_gives_the_same_reasons(plan):
    inputs = {"参保人数": {"实际参保人数": "41.939999"}, "执行率": {"执行率": "89.999%"}}
    result = idsl.score(plan, {"inputs": inputs}, allow_missing=True)
    text = texts_of(docx_structure(render_docx(plan, result)))
    assert "实际值41.939999万人，目标≥41.94万人，未达标，完成99.999998%，得4分。" in text
    assert "执行率为89.999%，在80%（含）～90%之间，得3分。" in text


# ---------------------------------------------------------------- properties

OPS = {"≥": ">=", "≤": "<=", "=": "="}  # as written in the spec → as compared
TARGET = """体系 "例" 总分 4
产出（4）
  指标（4）
    解释 例。
    输入 实际值：{kind}
    目标 实际值 {op} {goal}
"""
SENTENCE = re.compile(r"实际值(-?[\d.]+)(%|万人)，目标(≥|≤|)(-?[\d.]+)(?:%|万人)，(已达标|未达标)(?:，完成([\d.]+)%)?")


def plain(number: Decimal) -> str:
    """A number's digits as a spec or an input writes them: 50, 41.94."""
    text = format(number, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def decimals(low: int, high: int, places: int = 6):
    """Numbers with up to `places` decimals in [low, high], as their text."""
    return st.integers(low * 10 ** places, high * 10 ** places).map(lambda n: plain(Decimal(n).scaleb(-places)))


def near(goal: str):
    """A value at, or up to a few millionths (or a few hundredths) from, `goal`."""
    close = st.integers(-30, 30).map(lambda n: Decimal(n).scaleb(-6))
    far = st.integers(-300, 300).map(lambda n: Decimal(n).scaleb(-2))
    return st.one_of(close, far).map(lambda d: plain(Decimal(goal) + d)).filter(lambda t: not t.startswith("-"))


def holds(left: Fraction, op: str, right: Fraction) -> bool:
    return {">=": left >= right, "<=": left <= right, "=": left == right}[op]


@settings(max_examples=150, deadline=None)
@given(data=st.data(), op=st.sampled_from(["≥", "≤", "="]), percent=st.booleans())
def test_the_printed_value_meets_the_printed_goal_exactly_when_the_target_is_met(data, op, percent):
    goal = data.draw(decimals(1, 100), "goal")
    value = data.draw(near(goal).filter(lambda v: not percent or Decimal(v) <= 100), "value")  # a rate: at most 100%
    kind, unit = ("比率", "%") if percent else ("数量 万人", " 万人")
    plan = plan_of(TARGET.format(kind=kind, op=op, goal=goal + unit))
    node = idsl.score(plan, {"inputs": {"指标": {"实际值": value + ("%" if percent else "")}}}).node("产出/指标")
    shown = SENTENCE.fullmatch(node.reason.removesuffix(f"，得{node.score.normalize():f}分。"))
    assert shown is not None, node.reason
    printed, printed_goal = Fraction(shown[1]), Fraction(shown[4])
    met = holds(Fraction(value), OPS[op], Fraction(goal))
    assert (shown[5] == "已达标") == met
    assert holds(printed, OPS[op], printed_goal) == met, node.reason
    assert (printed == printed_goal) == (Fraction(value) == Fraction(goal)), node.reason
    if shown[6] is not None:  # the share completed of a target not met reads short of 100%
        assert Fraction(shown[6]) < 100, node.reason


exact = st.one_of(
    st.integers(-10 ** 9, 10 ** 9).map(lambda n: Fraction(n, 10 ** 6)),  # an input: at most 6 decimals
    st.tuples(st.integers(0, 10 ** 6), st.integers(1, 10 ** 4)).map(lambda p: Fraction(*p)),  # a ratio
)


@settings(max_examples=400, deadline=None)
@given(value=exact, ends=st.lists(exact, min_size=1, max_size=3), percent=st.booleans())
def test_the_places_keep_every_comparison(value, ends, percent):
    places = places_apart(value, ends, percent)
    scale = 100 if percent else 1
    shown = half_up(value * scale, places)
    for end in ends:
        exact_order = (value > end) - (value < end)
        shown_end = half_up(end * scale, places)
        assert (shown > shown_end) - (shown < shown_end) == exact_order
    usual = half_up(value * scale, base_places(percent))
    if all(((usual > half_up(e * scale, base_places(percent))) - (usual < half_up(e * scale, base_places(percent))))
           == (value > e) - (value < e) for e in ends):
        assert places == base_places(percent)  # no more digits than needed: as before where nothing is at stake
    else:
        assert places > base_places(percent)

