"""择一's 选用: the alternative a unit uses, named in JSON, the workbook, a batch and examples, checked in both engines."""

from __future__ import annotations

import io
from decimal import Decimal

import openpyxl
import pytest

import idsl
from idsl.check import check
from idsl.engines.batch import score_rows
from idsl.engines.worked import run_examples
from idsl.frontend.resolve import load_text
from idsl.frontend.source import Source
from idsl.io.columns import unit_columns
from idsl.io.inputs import read_inputs
from idsl.io.workbook import read_workbook
from idsl.render.workbook import template_workbook
from idsl.semantics.lower import lower

BY_GIVING = """体系 "例" 总分 10
产出（10）
  项目验收（5）
    择一
    竣工验收（5）
      解释 项目已竣工的，考察竣工验收的合格情况。
      输入 验收合格率：比率
      得分 = 验收合格率 × 分值
    阶段性验收（5）
      解释 项目未竣工的，考察阶段性验收的完成情况。
      要素 每项 2.5 分
        - 按计划组织了阶段性验收
        - 阶段性验收发现的问题已整改
  质量（5）
    解释 质量。
    输入 合格率：比率
    得分 = 合格率 × 分值
"""

# 按到位率 reads a 共用 input only: nothing of its own says it was chosen, so 选用 must
NAMED_ONLY = """体系 "例" 总分 10
输入 到位率：比率
产出（10）
  资金（5）
    择一
    按到位率（5）
      解释 按资金到位率计分。
      得分 = 到位率 × 分值
    按评审（5）
      解释 由评审酌情计分。
      酌情
  质量（5）
    解释 质量。
    输入 合格率：比率
    得分 = 合格率 × 分值
"""
PARENT = "产出/项目验收"


def _load(text: str):
    loaded = load_text(Source("c.idsl", text))
    return loaded, lower(loaded.spec, loaded.sources)


def _errors(plan, given: dict) -> list[str]:
    return [f"{e.field or ''}:{e.message}" for e in idsl.score(plan, read_inputs({"inputs": given})).errors]


def test_the_parent_gets_a_choice_column_before_its_alternatives():
    _loaded, plan = _load(BY_GIVING)
    columns = unit_columns(plan)
    assert [c.header for c in columns][:3] == ["单位", f"{PARENT}.选用", f"{PARENT}/竣工验收.验收合格率"]
    assert columns[1].decl.options == ("竣工验收", "阶段性验收")


def test_a_json_choice_decides_and_must_agree_with_the_inputs():
    _loaded, plan = _load(BY_GIVING)
    stage = {"阶段性验收": {"要素": ["是", "否"]}, "质量": {"合格率": "100%"}}
    result = idsl.score(plan, read_inputs({"inputs": {"项目验收": {"选用": "阶段性验收"}, **stage}}))
    assert not result.errors and result.total == Decimal("7.5")
    assert result.node(f"{PARENT}/竣工验收").status == "not_applicable"
    assert _errors(plan, {"项目验收": {"选用": "竣工验收"}, **stage}) == [
        ":选用“竣工验收”，却给了“阶段性验收”的输入。"]
    assert _errors(plan, {"项目验收": {"选用": "竣工验收"}, "质量": {"合格率": "100%"}}) == [
        ":选用“竣工验收”，却没有给“竣工验收”的输入。"]
    assert _errors(plan, {"项目验收": {"选用": "验收"}, **stage}) == [
        "选用:“选用”应是“竣工验收”、“阶段性验收”中的一项。"]
    assert _errors(plan, {"项目验收": {"选用": "阶段性验收", "得分": 3}, **stage}) == [
        "得分:择一的上级指标只写“选用”：评哪一项。"]
    assert _errors(plan, {"项目验收": {"选用": ""}, **stage}) == []  # blank: the one given


def _row(unit: str, chosen: str, rate: str, first: str, second: str) -> dict:
    return {"单位": unit, f"{PARENT}.选用": chosen, f"{PARENT}/竣工验收.验收合格率": rate,
            f"{PARENT}/阶段性验收.要素1": first, f"{PARENT}/阶段性验收.要素2": second, "产出/质量.合格率": "100%"}


@pytest.mark.parametrize("engine", ("python", "duckdb"))
def test_a_batch_reads_the_choice_in_both_engines(engine):
    _loaded, plan = _load(BY_GIVING)
    rows = [_row("甲", "", "96%", "", ""), _row("乙", "阶段性验收", "", "是", "否"), _row("丙", "竣工验收", "", "是", "否"),
            _row("丁", "竣工验收", "", "", ""), _row("戊", "验收", "90%", "", ""), _row("己", "", "", "", "")]
    results, errors = score_rows(plan, rows, engine=engine)
    assert {r["单位"]: r["总分"] for r in results if r["总分"] is not None} == {"甲": Decimal("9.8"), "乙": Decimal("7.5")}
    assert sorted((e.unit, e.column, e.message.split("（")[0]) for e in errors) == [
        ("丁", PARENT, "选用“竣工验收”，却没有给“竣工验收”的输入。"),
        ("丙", PARENT, "选用“竣工验收”，却给了“阶段性验收”的输入。"),
        ("己", PARENT, "二者择其一，须评其中一项，没有给任何一项的输入。"),
        ("戊", f"{PARENT}.选用", "没有这个选项：“验收”。"),
    ]


@pytest.mark.parametrize("engine", ("python", "duckdb"))
def test_an_alternative_without_cells_is_chosen_by_name(engine):
    loaded, plan = _load(NAMED_ONLY)
    assert [d.code for d in check(loaded)] == []
    base = {"共用.到位率": "90%", "产出/质量.合格率": "100%", "产出/资金/按评审.得分": "", "产出/资金/按评审.理由": ""}
    rows = [{**base, "单位": "甲", "产出/资金.选用": "按到位率"},
            {**base, "单位": "乙", "产出/资金.选用": "", "产出/资金/按评审.得分": "4", "产出/资金/按评审.理由": "略"},
            {**base, "单位": "丙", "产出/资金.选用": ""}]
    results, errors = score_rows(plan, rows, engine=engine)
    assert {r["单位"]: r["总分"] for r in results if r["总分"] is not None} == {"甲": Decimal("9.5"), "乙": Decimal(9)}
    assert [(e.unit, e.message.split("（")[0]) for e in errors] == [("丙", "二者择其一，须在“选用”中写明评哪一项")]


def test_the_workbook_has_a_choice_row_with_the_alternatives_and_reads_it_back(tmp_path):
    _loaded, plan = _load(NAMED_ONLY)
    book = openpyxl.load_workbook(io.BytesIO(template_workbook(plan)))
    sheet = book["输入"]
    [row] = [r for r in sheet.iter_rows(min_row=2) if r[1].value == "选用"]
    assert (row[0].value, row[4].value) == ("产出/资金", "评哪一项：按到位率、按评审（必填：有的备选指标没有自己的输入）")
    [drop_down] = [dv for dv in sheet.data_validations.dataValidation if row[5].coordinate in dv.sqref]
    listed = drop_down.formula1.split("!")[1].replace("$", "")  # the hidden 选项 sheet's cells, e.g. A1:A2
    assert [cell.value for (cell,) in book["选项"][listed]] == ["按到位率", "按评审"]
    filled = {"选用": "按到位率", "到位率": 0.9, "合格率": 1}
    for r in sheet.iter_rows(min_row=2):
        if r[1].value in filled:
            r[5].value = filled[r[1].value]
    book.save(tmp_path / "filled.xlsx")
    result = idsl.score(plan, read_workbook(plan, tmp_path / "filled.xlsx"))
    assert not result.errors and result.total == Decimal("9.5")
    _loaded, given_plan = _load(BY_GIVING)
    [row] = [r for r in openpyxl.load_workbook(io.BytesIO(template_workbook(given_plan)))["输入"].iter_rows(min_row=2)
             if r[1].value == "选用"]
    assert row[4].value.endswith("（可留空：按填了输入的一项；填了就须与所填输入一致）")


def test_a_worked_example_sets_the_choice_and_the_checker_reads_its_name():
    example = "\n示例 到位\n  设 共用.到位率 = 90%\n  设 资金.选用 = 按到位率\n  设 质量 = 100%\n  期望 总分 = 9.5\n"
    loaded, plan = _load(NAMED_ONLY + example)
    assert [d.code for d in check(loaded)] == [] and [r.failures for r in run_examples(plan)] == [()]
    wrong, _plan = _load(NAMED_ONLY + example.replace("= 按到位率", "= 到位"))
    assert [(d.code, d.message) for d in check(wrong)] == [("E413", "“资金”的“选用”应是“按到位率”、“按评审”中的一项。")]


def test_a_letter_in_a_batch_names_the_alternative_in_both_engines():
    _loaded, plan = _load(BY_GIVING)
    rows = [_row("乙", "B", "", "是", "否"), _row("甲", "b", "96%", "", "")]  # B: 阶段性验收, the second
    for engine in ("python", "duckdb"):
        results, errors = score_rows(plan, rows, engine=engine)
        assert {r["单位"]: r["总分"] for r in results if r["总分"] is not None} == {"乙": Decimal("7.5")}
        assert [(e.unit, e.message.split("（")[0]) for e in errors] == [("甲", "选用“阶段性验收”，却给了“竣工验收”的输入。")]
