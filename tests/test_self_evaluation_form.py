"""The 自评表 form (财预〔2020〕10号 附1): header, funds block, execution-rate leaf, goals; 区间赋分 (101号)."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from idsl.check import check
from idsl.diagnostics import count_errors
from idsl.engines.batch import score_rows
from idsl.frontend.parse import parse
from idsl.frontend.printer import format_spec
from idsl.frontend.resolve import load_text
from idsl.frontend.source import Source
from idsl.io.compiled import dumps, loads, plan_fingerprint
from idsl.semantics.lower import lower
from idsl.semantics.numbers import half_up

SETTINGS = settings(max_examples=25, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])

FORM = """体系 "例" 总分 20
自评表
  项目名称：农村饮水安全工程
  主管部门：县水务局
  实施单位：县水务局
  项目资金（万元）
    年度资金总额：120、150、待填
    其中：当年财政拨款：100、130、—
    上年结转资金：20、20、—
  预算执行率
    得分 = min(执行率, 100%) × 分值
  年度总体目标
    预期目标：完成 12 处。
    实际完成情况：完成 11 处。
产出指标（10）
  数量指标（10）
    集中供水工程（10）
      解释 例。
      输入 完成处数：数量 处
      目标 完成处数 ≥ 12 处
"""

INTERVALS = """体系 "例" 总分 {points}
过程（{points}）
  预算执行率（{points}）
    解释 例。
    输入 执行数：金额 万元，预算数：金额 万元，项目完成：是否
    执行率 = 执行数 / 预算数
    区间赋分 执行率，项目完成
"""


def spec_of(text: str):
    spec, diagnostics = parse(Source("t.idsl", text))
    assert spec is not None, diagnostics
    return spec


def codes(text: str) -> list[str]:
    return sorted(d.code for d in check(load_text(Source("t.idsl", text))))


def test_the_form_is_the_header_funds_goals_and_a_first_level_leaf_of_10_points():
    spec = spec_of(FORM)
    form = spec.form
    assert (form.project, form.department, form.implementer, form.unit) == ("农村饮水安全工程", "县水务局", "县水务局", "万元")
    assert [r.row for r in form.funds] == ["年度资金总额", "当年财政拨款", "上年结转资金"]
    total = form.funds[0].cells
    assert (total[0].value, total[1].value, total[2].fill) == (Decimal(120), Decimal(150), True)
    assert form.funds[1].cells[2].value is None and not form.funds[1].cells[2].fill  # — is blank
    assert (form.expected, form.achieved) == ("完成 12 处。", "完成 11 处。")
    leaf = spec.indicators[0]
    assert (leaf.name, leaf.points) == ("预算执行率", Decimal(10))  # 10 by default (附1)
    assert [i.name for i in leaf.body.inputs] == ["全年执行数"]  # 待填: the evaluator's
    assert [d.name for d in leaf.body.derived] == ["年初预算数", "全年预算数", "执行率"]
    assert codes(FORM) == []


def test_the_form_prints_back_to_the_same_tree_in_chinese_and_from_english_keywords():
    spec = spec_of(FORM)
    assert parse(Source("p.idsl", format_spec(spec)))[0] == spec
    english = (FORM.replace("自评表", "self-evaluation").replace("项目名称", "project").replace("项目资金", "funds")
               .replace("年度资金总额", "total-funds").replace("其中：当年财政拨款", "appropriation")
               .replace("上年结转资金", "carried-over").replace("待填", "to-fill").replace("年度总体目标", "annual-goals")
               .replace("预期目标", "expected").replace("实际完成情况", "achieved"))
    assert spec_of(english) == spec


def test_execution_rate_scores_from_the_evaluators_figure_in_both_engines():
    plan = lower(spec_of(FORM))
    rows = [{"单位": "甲", "预算执行率.全年执行数": "135", "产出指标/数量指标/集中供水工程.完成处数": "12"},
            {"单位": "乙", "预算执行率.全年执行数": "160", "产出指标/数量指标/集中供水工程.完成处数": "12"}]
    for engine in ("python", "duckdb"):
        scored, errors = score_rows(plan, rows, engine=engine)
        assert not errors, [str(e) for e in errors]
        assert [r["预算执行率"] for r in scored] == [Decimal("9.00"), Decimal("10.00")], engine


def test_a_form_plan_survives_compilation_and_a_plan_without_one_keeps_its_fingerprint():
    plan = lower(spec_of(FORM), {"t.idsl": FORM})
    again = loads(dumps(plan))
    assert again.form == plan.form and again.fingerprint == plan.fingerprint
    plain = lower(spec_of(INTERVALS.format(points=10)))
    assert '"form"' not in dumps(plain)  # plans without a form are written as before
    assert plan_fingerprint(plain) == plain.fingerprint


def test_funds_parts_must_add_up_and_execution_above_budget_warns():
    broken = FORM.replace("上年结转资金：20、20、—", "上年结转资金：20、30、—")
    assert codes(broken) == ["E420"]
    written = FORM.replace("年度资金总额：120、150、待填", "年度资金总额：120、150、160")
    assert codes(written) == ["W508"]
    parts_written = FORM.replace("上年结转资金：20、20、—", "上年结转资金：20、20、5")
    assert codes(parts_written) == ["E420"]  # the total is 待填 while a part is written


def test_the_form_needs_its_rate_figures_and_one_leaf():
    assert "E421" in codes(FORM.replace("年度资金总额：120、150、待填", "年度资金总额：120、—、待填"))
    assert "E421" in codes(FORM.replace("年度资金总额：120、150、待填", "年度资金总额：120、0、待填"))
    assert "E421" in codes(FORM.replace("    上年结转资金：20、20、—\n", "    其中：当年财政拨款：100、130、—\n"))
    second = FORM.replace("  年度总体目标", "  又一个（5）\n    酌情\n  年度总体目标")
    assert "E421" in codes(second)


def intervals_expected(rate: Fraction, done: bool, points: int) -> Decimal | None:
    """101号 §三(七)2, its bands scaled to the leaf's points; None where the text gives no score."""
    if done:
        exact = Fraction(points) if rate <= 1 else None
    elif rate >= 1:
        exact = None
    else:
        exact = points * (Fraction(7, 10) if rate >= Fraction(4, 5) else Fraction(1, 2) if rate >= Fraction(3, 5) else 0)
    return None if exact is None else half_up(exact, 2)


@SETTINGS
@given(st.sampled_from([10, 4, 15]),
       st.lists(st.tuples(st.integers(0, 12000), st.booleans()), min_size=3, max_size=8))
def test_interval_scoring_follows_101_in_both_engines(points, cells):
    plan = lower(spec_of(INTERVALS.format(points=points)))
    rows = [{"单位": f"单位{i}", "过程/预算执行率.执行数": format(Decimal(spent) / 100, "f"),
             "过程/预算执行率.预算数": "100", "过程/预算执行率.项目完成": "是" if done else "否"}
            for i, (spent, done) in enumerate(cells)]
    outcome = {}
    for engine in ("python", "duckdb"):
        scored, errors = score_rows(plan, rows, engine=engine)
        # the SQL engine's message leaves out the hint the interpreter appends in brackets
        outcome[engine] = ({r["单位"]: r["总分"] for r in scored}, sorted((e.unit, e.message.split("（")[0]) for e in errors))
    assert outcome["python"] == outcome["duckdb"]
    scores, errors = outcome["python"]
    failed = {unit for unit, _message in errors}
    for i, (spent, done) in enumerate(cells):
        want = intervals_expected(Fraction(spent, 10000), done, points)
        if want is None:
            assert f"单位{i}" in failed  # 101号 gives no score: an error naming the rate, never a silent score
        else:
            assert scores[f"单位{i}"] == want, (spent, done)


def test_interval_cases_101_leaves_open_are_an_error_naming_the_rate_until_written():
    plan = lower(spec_of(INTERVALS.format(points=10)))
    row = {"单位": "甲", "过程/预算执行率.执行数": "105", "过程/预算执行率.预算数": "100", "过程/预算执行率.项目完成": "是"}
    _scored, errors = score_rows(plan, [row], engine="python")
    assert errors and "执行率" in str(errors[0]) and "101号" in str(errors[0])
    assert codes(INTERVALS.format(points=10)) == ["W509"]
    covered = INTERVALS.format(points=10).replace("    区间赋分", "    若 项目完成 且 执行率 > 100% 则 不得分\n    区间赋分")
    assert codes(covered) == []
    assert "E206" in codes(INTERVALS.format(points=10).replace("项目完成：是否", "项目完成：比率"))


def test_interval_scoring_has_its_standard_text():
    from idsl.render.standard import standard_text

    leaf = next(lower(spec_of(INTERVALS.format(points=10))).leaves())
    assert "按区间赋分（财预〔2021〕101号）" in standard_text(leaf) and "得7分" in standard_text(leaf)
    assert count_errors(check(load_text(Source("t.idsl", FORM)))) == 0


# ---------------------------------------------------------------- 超额调减 (第十六条)

OVER = """体系 "例" 总分 10
产出（10）
  工程（10）
    解释 例。
    输入 完成处数：数量 处
    目标 完成处数 ≥ 12 处，超额调减 最多 3 分
"""
KEY = "产出/工程"


def over_rows(cells):
    return [{"单位": f"单位{i}", f"{KEY}.完成处数": str(done), f"{KEY}.超额调减": cut, f"{KEY}.理由": reason}
            for i, (done, cut, reason) in enumerate(cells)]


def test_over_achievement_deduction_is_bounded_and_needs_a_reason_in_both_engines():
    plan = lower(spec_of(OVER))
    cells = [(30, "2", "年初指标值明显偏低"),  # met, cut within the bound: 10 − 2
             (30, "0", ""),  # no cut, no reason needed
             (30, "3.5", "偏低"),  # beyond the bound the spec writes
             (30, "1", ""),  # a cut without its reason
             (6, "1", "偏低"),  # not met: nothing to cut for exceeding the target
             (6, "0", "")]  # not met, no cut: the completed share, 6 ÷ 12 × 10
    outcome = {}
    for engine in ("python", "duckdb"):
        scored, errors = score_rows(plan, over_rows(cells), engine=engine)
        outcome[engine] = ({r["单位"]: r["总分"] for r in scored}, {e.unit: e.message for e in errors})
        assert {r["单位"]: r["总分"] for r in scored} == {"单位0": Decimal("8.00"), "单位1": Decimal("10.00"),
                                                          "单位5": Decimal("5.00")}, engine
        assert set(outcome[engine][1]) == {"单位2", "单位3", "单位4"}, engine
    for engine in ("python", "duckdb"):
        messages = outcome[engine][1]
        assert "超出允许范围" in messages["单位2"] and "理由" in messages["单位3"] and "超额调减" in messages["单位4"]


def test_over_achievement_deduction_prints_back_checks_its_bound_and_has_standard_text():
    from idsl.render.standard import standard_text

    spec = spec_of(OVER)
    assert parse(Source("p.idsl", format_spec(spec)))[0] == spec
    assert spec.indicators[0].children[0].body.rule.over_cut == Decimal(3)
    assert codes(OVER) == []
    assert codes(OVER.replace("最多 3 分", "最多 12 分")) == ["E422"]
    assert codes(OVER.replace("≥ 12 处", "= 12 处")) == ["E422"]
    leaf = next(lower(spec).leaves())
    assert "按偏离度适度调减，最多调减3分，须说明理由" in standard_text(leaf)


def test_the_workbench_parse_puts_the_form_leaf_first_as_the_whole_parse_does():
    from idsl.frontend.incremental import parse_incrementally
    from idsl.io.compiled import to_data

    head, rest = FORM.split("产出指标（10）")
    title, form = head.split("自评表\n")
    for text in (FORM, title + "产出指标（10）" + rest + "自评表\n" + form, FORM + "自评表\n" + form):
        source = Source("t.idsl", text)
        (whole, found), (pieces, seen) = parse(source), parse_incrementally(source)
        assert to_data(pieces) == to_data(whole) and [d.code for d in seen] == [d.code for d in found]
        assert whole.indicators[0].name == "预算执行率"
    assert [d.code for d in parse(Source("t.idsl", FORM + "自评表\n" + form))[1]] == ["E421"]  # a second form


# 其中 rows the evaluator gives (待填): inputs of the rate leaf, added up against the total when read.
GIVEN_PARTS = FORM.replace(
    "其中：当年财政拨款：100、130、—", "其中：当年财政拨款：100、130、待填").replace(
    "上年结转资金：20、20、—", "上年结转资金：20、20、待填")
RATE = "预算执行率"
WORKS = "产出指标/数量指标/集中供水工程.完成处数"


def parts_row(unit: str, total: str, grant: str, carried: str) -> dict[str, str]:
    return {"单位": unit, f"{RATE}.全年执行数": total, f"{RATE}.当年财政拨款全年执行数": grant,
            f"{RATE}.上年结转资金全年执行数": carried, WORKS: "12"}


def test_parts_to_fill_are_inputs_named_by_row_and_column():
    leaf = spec_of(GIVEN_PARTS).indicators[0]
    assert [i.name for i in leaf.body.inputs] == ["全年执行数", "当年财政拨款全年执行数", "上年结转资金全年执行数"]
    assert all(i.kind == "money" and i.unit == "万元" for i in leaf.body.inputs)
    assert codes(GIVEN_PARTS) == []  # added up when the figures are given, not before
    # a part to fill under a blank total (—): nothing to add it up against
    blank_total = GIVEN_PARTS.replace("年度资金总额：120、", "年度资金总额：—、").replace("当年财政拨款：100、", "当年财政拨款：待填、")
    assert codes(blank_total) == ["E420"]
    found = check(load_text(Source("t.idsl", blank_total)))
    assert "其中当年财政拨款的年初预算数待填，年度资金总额的年初预算数却空着（—）。" in [d.message for d in found]


def test_parts_given_must_add_up_to_the_total_in_both_engines_naming_row_and_column():
    plan = lower(spec_of(GIVEN_PARTS))
    rows = [parts_row("甲", "135", "120", "15"),  # 120 + 15 = 135
            parts_row("乙", "135", "120", "20"),  # 140 ≠ 135
            parts_row("丙", "135", "135", "0"),
            parts_row("丁", "135万元", "120万元", "15")]  # with the unit, as an evaluator may write it
    seen = {}
    for engine in ("python", "duckdb"):
        scored, errors = score_rows(plan, rows, engine=engine)
        seen[engine] = [str(e) for e in errors]
        assert {r["单位"]: r["预算执行率"] for r in scored} == {"甲": Decimal("9.00"), "丙": Decimal("9.00"),
                                                                "丁": Decimal("9.00")}, engine
        assert [(e.unit, e.column) for e in errors] == [("乙", f"{RATE}.当年财政拨款全年执行数")], engine
        assert "其中各项之和（当年财政拨款 + 上年结转资金）与年度资金总额的全年执行数不等" in errors[0].message
    assert seen["python"] == seen["duckdb"]


# The same under 表式 衔接资金: two figures a row, 本年财政拨款 and 其他资金 the evaluator gives.
XIANJIE_PARTS = FORM.replace("自评表\n", "自评表\n  表式 衔接资金\n").replace(
    "    年度资金总额：120、150、待填\n    其中：当年财政拨款：100、130、—\n    上年结转资金：20、20、—\n",
    "    年度资金总额：150、待填\n    其中：本年财政拨款：130、待填\n    其他资金：20、待填\n")


def test_a_xianjie_forms_parts_must_add_up_in_both_engines_named_as_the_form_names_them():
    spec = spec_of(XIANJIE_PARTS)
    assert spec.form.xianjie and [r.row for r in spec.form.funds] == ["年度资金总额", "当年财政拨款", "其他资金"]
    assert [i.name for i in spec.indicators[0].body.inputs] == ["全年执行数", "当年财政拨款全年执行数", "其他资金全年执行数"]
    assert codes(XIANJIE_PARTS) == []
    plan = lower(spec)
    rows = [{"单位": "甲", f"{RATE}.全年执行数": "135", f"{RATE}.当年财政拨款全年执行数": "120",
             f"{RATE}.其他资金全年执行数": "15", WORKS: "12"},
            {"单位": "乙", f"{RATE}.全年执行数": "135", f"{RATE}.当年财政拨款全年执行数": "120",
             f"{RATE}.其他资金全年执行数": "20", WORKS: "12"}]
    seen = {}
    for engine in ("python", "duckdb"):
        scored, errors = score_rows(plan, rows, engine=engine)
        seen[engine] = [str(e) for e in errors]
        assert {r["单位"]: r["预算执行率"] for r in scored} == {"甲": Decimal("9.00")}, engine
        assert [(e.unit, e.column) for e in errors] == [("乙", f"{RATE}.当年财政拨款全年执行数")], engine
        assert "其中各项之和（本年财政拨款 + 其他资金）与年度资金总额的全年执行数不等" in errors[0].message
        assert "年度资金总额的全年执行数 = 本年财政拨款 + 其他资金；" in errors[0].message  # with its hint
    assert seen["python"] == seen["duckdb"]


@given(st.lists(st.tuples(st.integers(0, 500), st.integers(0, 500), st.integers(-3, 3)), min_size=1, max_size=6))
@SETTINGS
def test_parts_sum_check_agrees_across_engines(cells):
    plan = lower(spec_of(GIVEN_PARTS))
    rows = [parts_row(f"单位{i}", str(a + b + off), str(a), str(b)) for i, (a, b, off) in enumerate(cells)]
    outcome = {}
    for engine in ("python", "duckdb"):
        scored, errors = score_rows(plan, rows, engine=engine)
        outcome[engine] = (sorted(r["单位"] for r in scored), sorted(e.unit for e in errors))
    wrong = sorted(f"单位{i}" for i, (_a, _b, off) in enumerate(cells) if off)
    assert outcome["python"] == outcome["duckdb"]
    assert outcome["python"][1] == wrong
