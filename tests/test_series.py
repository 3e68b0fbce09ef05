"""Inputs per year or per sub-project (§7.1): 合计, 加权平均, 取值 and 逐年提高, exact, in both engines.

A series is ordinary inputs (支出进度2022 …), so the JSON file, the workbook and a unit table give one
value per label; the functions over it are expanded once, and the interpreter and the SQL engine agree.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_xlsx import fill, save

import idsl
from idsl.check import check
from idsl.engines.batch import score_rows
from idsl.engines.python import score
from idsl.engines.rows import row_from_json
from idsl.frontend.printer import format_spec
from idsl.frontend.resolve import load_text
from idsl.frontend.source import Source
from idsl.io.inputs import read_inputs
from idsl.io.workbook import locate, read_workbook
from idsl.semantics.lower import lower

ROOT = Path(__file__).resolve().parent.parent
SPEC = (ROOT / "tests" / "cases" / "score" / "series.idsl").read_text(encoding="utf-8")
INPUTS = {"inputs": {
    "预算执行率": {"执行数1": "90 万元", "预算数1": "100 万元", "执行数2": "30 万元", "预算数2": "60 万元",
                  "执行数3": "0 万元", "预算数3": "0 万元"},
    "支出进度": {"进度2022": "80%", "进度2023": "90%", "进度2024": "85%"},
    "收入增长": {"收入2023": "300 万元", "收入2024": "321 万元"},
    "满意度趋势": {"满意度2022": "88%", "满意度2023": "91%", "满意度2024": "93.5%"}}}


def plan_of(text: str):
    loaded = load_text(Source("t.idsl", text))
    errors = [d for d in check(loaded) if d.severity == "error"]
    assert not errors, [str(d) for d in errors]
    return lower(loaded.spec, loaded.sources)


def scores(result) -> dict[str, Decimal | None]:
    return {n.key: n.score for n in result.nodes}


def test_one_input_per_label_and_the_functions_expanded():
    result = idsl.score(plan_of(SPEC), INPUTS)
    assert not result.errors, result.errors
    got = scores(result)
    assert got["预算执行/预算执行率"] == Decimal("3.75")  # (90 + 30 + 0) / (100 + 60 + 0) = 75%
    assert got["预算执行/支出进度"] == Decimal("4.28")  # 80×20% + 90×30% + 85×50% = 85.5%: 4.275, half up
    assert got["效益/收入增长"] == Decimal("3.5")  # 取值: 321 / 300 - 1 = 7%
    assert got["效益/满意度趋势"] == Decimal("5")  # 88% < 91% < 93.5% and 93.5% ≥ 90%


def test_a_level_year_is_not_rising():
    data = {"inputs": {**INPUTS["inputs"], "满意度趋势": {"满意度2022": "91%", "满意度2023": "91%", "满意度2024": "93.5%"}}}
    assert scores(idsl.score(plan_of(SPEC), data))["效益/满意度趋势"] == Decimal("4.68")  # 93.5% × 5, not full


def test_a_missing_year_is_an_input_error_naming_it():
    data = {"inputs": {**INPUTS["inputs"], "支出进度": {"进度2022": "80%", "进度2024": "85%"}}}
    result = idsl.score(plan_of(SPEC), data)
    assert [(e.field, e.path) for e in result.errors] == [("进度2023", "预算执行/支出进度")], result.errors


def test_the_spec_prints_back_with_one_declaration_per_series():
    spec = load_text(Source("t.idsl", SPEC)).spec
    text = format_spec(spec)
    assert "输入 进度：比率 年度 2022～2024" in text and "进度2023：" not in text
    assert load_text(Source("t.idsl", text)).spec == spec


def test_the_workbook_has_a_row_per_label_and_scores_as_the_json(tmp_path):
    plan = plan_of(SPEC)
    path = save(fill(plan, INPUTS), tmp_path / "filled.xlsx")
    given_ = read_workbook(plan, path)
    from_workbook = locate(score(plan, given_), given_)
    assert not from_workbook.errors, from_workbook.errors
    assert scores(from_workbook) == scores(idsl.score(plan, INPUTS))


WEIGHTED = """体系 "例" 总分 10
效益（10）
  支出进度（10）
    解释 近三年加权平均，逐年提高的得满分。
    输入 进度：比率 年度 2022～2024
    若 逐年提高(进度) 则 得满分
    得分 = 加权平均(进度, 20%, 30%, 50%) × 分值
"""
_RATES = st.integers(0, 10000).map(lambda n: Fraction(n, 10000))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(_RATES, min_size=3, max_size=3), min_size=1, max_size=6))
def test_both_engines_give_the_exact_weighted_mean_or_full_points_when_rising(units):
    plan = plan_of(WEIGHTED)
    rows = [{"单位": f"单位{i}", **{f"效益/支出进度.进度{2022 + k}": f"{Decimal(v.numerator) / v.denominator * 100}%"
                                    for k, v in enumerate(years)}} for i, years in enumerate(units)]
    by_engine = {engine: score_rows(plan, rows, engine=engine) for engine in ("python", "duckdb")}
    assert by_engine["python"] == by_engine["duckdb"]
    results, problems = by_engine["python"]
    assert not problems
    for years, row in zip(units, results):
        rising = years[0] < years[1] < years[2]
        exact = 10 if rising else (years[0] * Fraction(1, 5) + years[1] * Fraction(3, 10) + years[2] * Fraction(1, 2)) * 10
        shown = Decimal(exact.numerator) / Decimal(exact.denominator)
        assert Decimal(str(row["效益/支出进度"])) == shown.quantize(Decimal("0.01"), rounding="ROUND_HALF_UP")


GROUPED = {"inputs": {
    "预算执行率": {"子项目": [{"执行数": "90 万元", "预算数": "100 万元"}, {"执行数": "30 万元", "预算数": "60 万元"}]},
    "支出进度": {"进度": {"2022": "80%", "2023": "90%", "2024": "85%"}},
    "收入增长": {"收入": {"2023": "300 万元", "2024": "321 万元"}},
    "满意度趋势": {"满意度2022": "88%", "满意度2023": "91%", "满意度2024": "93.5%"}}}


def test_a_json_file_may_group_years_in_an_object_and_sub_projects_in_a_list():
    plan = plan_of(SPEC)
    grouped, flat = idsl.score(plan, GROUPED), idsl.score(plan, INPUTS)  # the third sub-project not listed: 0
    assert not grouped.errors, grouped.errors
    assert scores(grouped) == scores(flat)
    row = row_from_json(plan, {**GROUPED, "unit": "甲"})  # a unit table holds the members
    assert Decimal(str(score_rows(plan, [row], engine="duckdb")[0][0]["总分"])) == flat.total


def test_a_year_outside_the_range_and_an_empty_list_of_sub_projects_are_input_errors():
    data = {"inputs": {**GROUPED["inputs"], "预算执行率": {"子项目": []}, "支出进度": {"进度": {"2022": "80%", "2025": "9%"}}}}
    errors = {(e.path, e.field): e.message for e in idsl.score(plan_of(SPEC), data).errors}
    assert errors[("预算执行/支出进度", "进度.2025")] == "“进度”没有2025年：声明的是2022—2024年。"
    assert errors[("预算执行/预算执行率", "子项目")] == "“子项目”是空的列表：至少要有一个子项目。"
    assert ("预算执行/支出进度", "进度2023") in errors


OPTIONAL_YEARS = """体系 "例" 总分 5
预算执行（5）
  支出进度（5）
    解释 近三年支出进度加权平均；缺少某年数据的，本项不得分。
    输入 进度：比率 可缺 年度 2022～2024
    无数据时 得 1 分
    得分 = 加权平均(进度, 20%, 30%, 50%) × 分值
"""


def test_a_blank_year_of_an_optional_series_scores_its_no_data_line_in_both_engines(tmp_path):
    plan = plan_of(OPTIONAL_YEARS)
    years = {"进度2022": "80%", "进度2023": "90%", "进度2024": "85%"}
    units = {"全": years, "空": {**years, "进度2023": ""}, "无": {**years, "进度2023": None},
             "缺": {k: v for k, v in years.items() if k != "进度2023"}}
    for name, given in units.items():
        result = score(plan, read_inputs({"inputs": {"支出进度": given}}))
        row = next(n for n in result.nodes if n.name == "支出进度")
        assert not result.errors and (row.score, row.reason) == (
            (Decimal("4.28"), "按公式计算，得4.28分。") if name == "全" else (Decimal(1), "无数据（进度2023未填），得1分。"))
    rows = [row_from_json(plan, {"unit": name, "inputs": {"支出进度": given}}) for name, given in units.items()]
    for engine in ("duckdb", "python"):
        results, errors = score_rows(plan, rows, engine=engine)
        assert not errors and [r["预算执行/支出进度"] for r in results] == [Decimal("4.28")] + [Decimal("1.00")] * 3


def test_optional_on_a_figure_per_sub_project_is_refused_its_blank_is_zero():
    from plans import error_codes

    text = SPEC.replace("执行数：金额 万元 子项目 1～3", "执行数：金额 万元 可缺 子项目 1～3").replace(
        "    执行率 = 合计", "    无数据时 得 1 分\n    执行率 = 合计")
    assert error_codes(text) == ["E427"]
    assert error_codes(text.replace("    无数据时 得 1 分\n", "")) == ["E427"]  # not E426: no line would apply
