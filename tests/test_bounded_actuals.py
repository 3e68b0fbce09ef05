"""An actual known only as a bound (≥266米, 不低于90%): scored where it shows the target met, an error naming the
indicator and field where it cannot, refused where the rule needs the number — alike in JSON, the input workbook
and a batch in both engines; a property test checks a deciding bound against every value it admits (the
interpreter on sampled values, the checker's interval evaluator over the whole bound)."""

from __future__ import annotations

import io
from decimal import Decimal
from fractions import Fraction

import attrs
import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from idsl.check import check
from idsl.check.bounds import expr_bounds
from idsl.engines.batch import score_rows
from idsl.engines.python import score
from idsl.engines.rows import row_from_json
from idsl.frontend.resolve import load_text
from idsl.frontend.source import Source
from idsl.io.inputs import read_inputs
from idsl.render.workbook import template_workbook
from idsl.semantics.bounded import split_bound
from idsl.semantics import ir
from idsl.semantics.lower import lower
from idsl.semantics.program import lower_program
from test_xlsx import fill

SPEC = """体系 "例" 总分 40
产出（40）
  安装长度（10）
    解释 年度指标值 ≥266米。
    输入 长度：数量 米
    目标 长度 ≥ 266 米
  总投资（10）
    解释 成本指标，越低越好。
    输入 投资：金额 万元
    目标 投资 ≤ 20 万元
  达标率（10）
    解释 年度指标值 =100%。
    输入 实际达标率：比率
    目标 实际达标率 = 100%
  完成率（10）
    解释 完成数与计划数之比。
    输入 完成数：数量 处，计划数：数量 处
    得分 = min(完成数 / 计划数, 1) × 分值
"""

GOOD = {"安装长度": {"长度": "≥266米"}, "总投资": {"投资": "≤20万元"}, "达标率": {"实际达标率": "100%"},
        "完成率": {"完成数": 12, "计划数": 12}}


def plan_of(text: str):
    loaded = load_text(Source("t.idsl", text))
    errors = [d for d in check(loaded) if d.severity == "error"]
    assert not errors, [str(d) for d in errors]
    return lower(loaded.spec, loaded.sources)


def scored(plan, inputs: dict):
    return score(plan, read_inputs({"unit": "甲", "inputs": inputs}))


def node(result, name: str):
    return next(n for n in result.nodes if n.path[-1] == name)


@pytest.mark.parametrize("text, parts", [
    ("≥266米", (">=", "≥", "266米")), (">=266 米", (">=", ">=", "266 米")), ("≥ 90%", (">=", "≥", "90%")),
    ("不低于90%", (">=", "不低于", "90%")), ("大于等于90%", (">=", "大于等于", "90%")), ("大于90%", (">", "大于", "90%")),
    ("≤20万元", ("<=", "≤", "20万元")), ("不高于20", ("<=", "不高于", "20")), ("不超过 20万元", ("<=", "不超过", "20万元")),
    ("＜5", ("<", "＜", "5")), ("266", None), ("≥", None), ("基本完成", None), ("不低于目标", None)])
def test_the_words_of_a_bound(text, parts):
    assert split_bound(text) == parts


def test_bounds_that_show_the_target_met_earn_its_points_and_say_they_are_bounds():
    result = scored(plan_of(SPEC), GOOD)
    assert not result.errors and result.total == Decimal("40.00")
    assert node(result, "安装长度").reason == "实际值≥266米（只知下限），目标≥266米，已达标，得10分。"
    assert node(result, "总投资").reason == "实际值≤20万元（只知上限），目标≤20万元，已达标，得10分。"


@pytest.mark.parametrize("leaf, field, text, words", [
    ("安装长度", "长度", "≥200米", "“长度”只知下限：“≥200米”，不能说明是否达到目标≥266米，本项不能计分。"),
    ("安装长度", "长度", "≤300米", "“长度”只知上限：“≤300米”，不能说明是否达到目标≥266米，本项不能计分。"),
    ("总投资", "投资", "≥15万元", "“投资”只知下限：“≥15万元”，不能说明是否达到目标≤20万元，本项不能计分。"),
    ("达标率", "实际达标率", "≥100%", "“实际达标率”只知下限：“≥100%”，不能说明是否达到目标=100%，本项不能计分。"),
    ("完成率", "完成数", "≥12处", "“完成数”要用实际达到的数计算，不写“≥”：这里是 “≥12处”。"),
])
def test_a_bound_that_cannot_decide_is_an_error_naming_the_indicator_and_field(leaf, field, text, words):
    result = scored(plan_of(SPEC), {**GOOD, leaf: {**GOOD[leaf], field: text}})
    assert result.total is None
    assert [(e.path.split("/")[-1], e.field, e.message) for e in result.errors] == [(leaf, field, words)]
    assert node(result, leaf).score is None


def test_a_target_actual_read_elsewhere_refuses_a_bound():
    """The same actual in a special case: the rule needs the number itself."""
    text = SPEC.replace("    目标 长度 ≥ 266 米\n", "    若 长度 > 1000 米 则 不得分\n    目标 长度 ≥ 266 米\n")
    result = scored(plan_of(text), GOOD)
    assert [e.message for e in result.errors] == ["“长度”要用实际达到的数计算，不写“≥”：这里是 “≥266米”。"]


def test_an_over_cut_still_applies_to_a_met_bound():
    text = SPEC.replace("目标 长度 ≥ 266 米", "目标 长度 ≥ 266 米，超额调减 最多 3 分")
    result = scored(plan_of(text), {**GOOD, "安装长度": {"长度": "不低于300米", "超额调减": 2, "理由": "指标值偏低"}})
    assert not result.errors and node(result, "安装长度").score == Decimal("8.00")


@pytest.mark.parametrize("engine", ["duckdb", "python"])
def test_both_batch_engines_read_bound_cells_alike(engine):
    plan = plan_of(SPEC)
    units = {"甲": GOOD, "乙": {**GOOD, "安装长度": {"长度": ">=266 米"}, "总投资": {"投资": "不超过 20"}},
             "丙": {**GOOD, "安装长度": {"长度": "≥200米"}}, "丁": {**GOOD, "完成率": {"完成数": "≥12", "计划数": 12}},
             "戊": {**GOOD, "安装长度": {"长度": "≥-1米"}}, "己": {**GOOD, "安装长度": {"长度": "不低于目标"}}}
    rows = [row_from_json(plan, {"unit": unit, "inputs": inputs}) for unit, inputs in units.items()]
    results, errors = score_rows(plan, rows, engine=engine)
    assert {r["单位"]: str(r["总分"]) for r in results} == {"甲": "40.00", "乙": "40.00"}
    assert [(e.unit, e.column.split("/")[-1], e.message) for e in errors] == [
        ("丙", "安装长度.长度", "“长度”只知下限：“≥200米”，不能说明是否达到目标≥266米，本项不能计分。"
                             "（填实际达到的数；只知界值时，界值本身达到目标（如 ≥266米）才能计分。）"),
        ("丁", "完成率.完成数", "“完成数”要用实际达到的数计算，不写“≥”：这里是 “≥12”。（只知界值（≥、≤）不能代入比率、分档或公式；"
                             "这里只填实际完成值，只有「目标」比较的实际值可以写界值。）"),
        ("戊", "安装长度.长度", "值 -1米 超出允许范围 不小于 0米。"),
        ("己", "安装长度.长度", "应填一个数，这里是 “不低于目标”。（“长度”是定量指标的实际完成值，填数，例如 \"100米\"；"
                             "“完成”“基本完成”之类的判断用于定性指标，定性指标选档次（如 达成 / 部分达成 / 未达成）并在档内给分。）")]


def test_the_input_workbook_takes_a_bound_and_only_warns_in_its_cell(tmp_path):
    plan = plan_of(SPEC)
    book = fill(plan, {"unit": "甲", "inputs": GOOD})
    path = tmp_path / "输入.xlsx"
    book.save(path)
    from idsl.io.workbook import read_workbook
    result = score(plan, read_workbook(plan, path))
    assert not result.errors and node(result, "安装长度").reason.startswith("实际值≥266米（只知下限）")
    sheet = openpyxl.load_workbook(io.BytesIO(template_workbook(plan))).worksheets[0]
    warned = {str(v.sqref) for v in sheet.data_validations.dataValidation if v.errorStyle == "warning"}
    assert len(warned) == 2 and all("界值达到目标才计分" in v.error for v in sheet.data_validations.dataValidation
                                    if v.errorStyle == "warning")  # the cells of the ≥ and ≤ targets' actuals


# ---------------------------------------------------------------- property: a deciding bound scores as every value it admits

TARGET = """体系 "例" 总分 10
产出（10）
  指标（10）
    解释 性质。
    输入 实际值：数量 个
    目标 实际值 {op} {goal} 个{tail}
"""


@settings(max_examples=60, deadline=None)
@given(op=st.sampled_from([">=", "<="]), goal=st.integers(1, 500), tail=st.sampled_from(["", "，未达标不得分", "，及格 60%"]),
       bound=st.sampled_from(["≥", ">", "≤", "<", "不低于", "不超过"]), figure=st.integers(0, 600),
       steps=st.lists(st.integers(0, 30000), min_size=1, max_size=4))  # hundredths beyond the bound
def test_a_deciding_bound_scores_as_every_value_it_admits(op, goal, tail, bound, figure, steps):
    plan = plan_of(TARGET.format(op=op, goal=goal, tail=tail))
    result = score(plan, read_inputs({"unit": "u", "inputs": {"指标": {"实际值": f"{bound}{figure}个"}}}))
    lower_bound = bound in ("≥", ">", "不低于")
    met = (op == ">=" and lower_bound and figure >= goal) or (op == "<=" and not lower_bound and figure <= goal)
    assert (not result.errors) == met, (result.errors, op, goal, bound, figure)
    span = _checked_span(plan, Fraction(figure), lower_bound)  # the checker's interval evaluator over the bound
    if not met:
        assert "本项不能计分" in result.errors[0].message and result.errors[0].field == "实际值"
        # the one constant award not decided: 0 for a bound wholly short of the target (未达标不得分, below 及格,
        # or ≤0 on a count, which admits 0 alone) — only the met case is decided
        assert span.low != span.high or span.high == 0, (span, op, goal, bound, figure)
        return
    assert span.low == span.high == result.total, (span, result.total)
    strict = bound in (">", "<")
    for step in map(lambda n: Fraction(n, 100), steps):
        value = figure + step if lower_bound else figure - step
        if value < 0 or (strict and step == 0):
            continue
        exact = score(plan, read_inputs({"unit": "u", "inputs": {"指标": {"实际值": _text(value)}}}))
        assert exact.total == result.total, (value, exact.total, result.total)


def _text(value: Fraction) -> str:
    """A value the reader takes: its exact decimal (hundredths, so it ends)."""
    return format(Decimal(value.numerator) / Decimal(value.denominator), "f")


def _checked_span(plan, figure: Fraction, lower_bound: bool):
    """The least and largest exact score the checker's bounds give the leaf with its actual's domain cut to the
    closed bound (an open bound admits fewer values: a constant award over the closed one holds over it)."""
    leaf = lower_program(plan).leaves[0]
    return expr_bounds(_narrowed(leaf.exact, figure, lower_bound))


def _narrowed(node, figure: Fraction, lower_bound: bool):
    """The IR with the input 实际值 ranging over the bound only."""
    if isinstance(node, ir.Field) and node.declared == "实际值":
        return attrs.evolve(node, low=figure) if lower_bound else attrs.evolve(node, high=figure)
    if isinstance(node, tuple):
        return tuple(_narrowed(n, figure, lower_bound) for n in node)
    if attrs.has(type(node)):
        changes = {f.name: _narrowed(getattr(node, f.name), figure, lower_bound) for f in attrs.fields(type(node))}
        return attrs.evolve(node, **{k.lstrip("_"): v for k, v in changes.items()})
    return node


def test_spark_reads_bound_cells_as_duckdb_does(tmp_path):
    """Spark checks its cells in DuckDB: the same scores and the same errors, file for file."""
    from idsl.engines.batch import score_file
    from plans import rows_csv

    plan = plan_of(SPEC)
    units = {"甲": GOOD, "丙": {**GOOD, "安装长度": {"长度": "≥200米"}}}
    source = rows_csv(tmp_path, [row_from_json(plan, {"unit": unit, "inputs": inputs}) for unit, inputs in units.items()])
    listed = {}
    for engine in ("duckdb", "spark"):
        summary = score_file(plan, source, tmp_path / f"{engine}.csv", engine=engine, master="local[1]")
        listed[engine] = [(e.unit, e.column, e.message) for e in summary.errors]
    assert listed["spark"] == listed["duckdb"] and [u for u, _c, _m in listed["duckdb"]] == ["丙"]
    assert (tmp_path / "spark.csv").read_text(encoding="utf-8-sig") == (tmp_path / "duckdb.csv").read_text(
        encoding="utf-8-sig")
