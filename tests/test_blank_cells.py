"""Cells an evaluator may leave blank: a cut not made (酌情扣分, 超额调减) and a sub-project not had (子项目)
read as 0 in the JSON, the workbook and the batch table, in both engines; a cut above 0 still needs its
理由, and a year of a 年度 series is still required. A 适用 若 leaf has a 不适用 mark only where it declares
不适用: otherwise its answer alone leaves it out."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import openpyxl
import pytest

from plans import unit_table

import idsl
from idsl.engines.batch import score_file
from idsl.engines.python import score
from idsl.frontend.parse import parse
from idsl.frontend.source import Source
from idsl.io.columns import unit_columns
from idsl.io.workbook import INPUT_SHEET, KEY, locate, read_workbook
from idsl.render.workbook import template_workbook
from idsl.semantics.lower import lower

CUTS = """体系 "例" 总分 16
预算执行（16）
  部门预算支出率（6）
    解释 部门预算实际支付进度和既定支付进度的匹配情况。
    输入 上半年支出进度：比率，全年支出进度：比率，违规支出：问题数
    全年平均支出进度 = (上半年支出进度 + 全年支出进度) ÷ 2
    得分 = 全年平均支出进度 × 分值
    另扣 违规支出 每项 0.5 分，最多扣 2 分
    酌情扣分 最多 1 分，须说明理由
  新建供水工程（10）
    解释 年度指标值 ≥ 12 处。
    输入 完成处数：数量 处
    目标 完成处数 ≥ 12 处，超额调减 最多 3 分
"""
RATE = "预算执行/部门预算支出率"
WATER = "预算执行/新建供水工程"


def plan_of(text: str):
    spec, diagnostics = parse(Source("t.idsl", text))
    assert not [d for d in diagnostics if d.severity == "error"], diagnostics
    return lower(spec, {"t.idsl": text})


def given(cut=None, over=None, reason=None) -> dict:
    rate = {"上半年支出进度": "40%", "全年支出进度": "100%", "违规支出": 1}
    water = {"完成处数": 30}
    if cut is not None:
        rate["酌情扣分"] = cut
    if over is not None:
        water["超额调减"] = over
    if reason is not None:
        rate["理由"] = water["理由"] = reason
    return {"inputs": {"部门预算支出率": rate, "新建供水工程": water}}


def scores(result) -> dict[str, Decimal | None]:
    return {n.key: n.score for n in result.nodes if n.key in (RATE, WATER)}


def test_a_cut_left_out_of_the_json_is_no_cut():
    plan = plan_of(CUTS)
    blank = idsl.score(plan, given())
    assert not blank.errors, [str(e) for e in blank.errors]
    assert scores(blank) == scores(idsl.score(plan, given(cut=0, over=0))) == {RATE: Decimal("3.7"), WATER: Decimal(10)}
    assert "酌情扣" not in next(n.reason for n in blank.nodes if n.key == RATE)
    cut = idsl.score(plan, given(cut="0.5", over=2, reason="疫情停工"))
    assert scores(cut) == {RATE: Decimal("3.2"), WATER: Decimal(8)}
    unreasoned = idsl.score(plan, given(cut="0.5"))
    assert [(e.path, e.field) for e in unreasoned.errors] == [(RATE, "理由")]


@pytest.mark.parametrize("engine", ["duckdb", "python"])
def test_a_blank_cut_cell_of_the_batch_is_no_cut(tmp_path, engine):
    plan = plan_of(CUTS)
    base = {f"{RATE}.上半年支出进度": "40%", f"{RATE}.全年支出进度": "100%", f"{RATE}.违规支出": "1",
            f"{WATER}.完成处数": "30"}
    rows = [{"单位": "甲", **base},
            {"单位": "乙", **base, f"{RATE}.酌情扣分": "0.5", f"{RATE}.理由": "停工", f"{WATER}.超额调减": "2",
             f"{WATER}.理由": "偏低"},
            {"单位": "丙", **base, f"{RATE}.酌情扣分": "0.5"}]
    out = tmp_path / f"{engine}.csv"
    score_file(plan, unit_table(tmp_path, plan, rows), out, engine=engine)
    with open(out, encoding="utf-8-sig", newline="") as stream:
        got = {r["单位"]: (Decimal(r[RATE]), Decimal(r[WATER])) for r in csv.DictReader(stream)}
    assert got == {"甲": (Decimal("3.7"), Decimal(10)), "乙": (Decimal("3.2"), Decimal(8))}
    errors = (tmp_path / f"{engine}.errors.csv").read_text(encoding="utf-8-sig")
    assert "丙" in errors and "酌情扣分必须写“理由”" in errors and "甲" not in errors


def test_a_blank_cut_cell_of_the_workbook_is_no_cut(tmp_path):
    plan = plan_of(CUTS)
    book = openpyxl.load_workbook(io.BytesIO(template_workbook(plan)))
    sheet = book[INPUT_SHEET]
    header = [c.value for c in sheet[1]]
    value, key = header.index("值") + 1, header.index(KEY) + 1
    typed = {f"{RATE}.上半年支出进度": 0.4, f"{RATE}.全年支出进度": 1, f"{RATE}.违规支出": 1, f"{WATER}.完成处数": 30}
    allowed = {}
    for row in range(2, sheet.max_row + 1):
        kind, path, field, *_ = str(sheet.cell(row, key).value).split("\t") + [""]
        if f"{path}.{field}" in typed:
            sheet.cell(row, value, typed[f"{path}.{field}"])
        if field in ("酌情扣分", "超额调减"):
            allowed[field] = sheet.cell(row, header.index("可填") + 1).value
    assert allowed == {"酌情扣分": "0～1，留空为 0", "超额调减": "0～3，留空为 0"}
    path = tmp_path / "filled.xlsx"
    book.save(path)
    inputs = read_workbook(plan, path)
    result = locate(score(plan, inputs), inputs)
    assert not result.errors, [str(e) for e in result.errors]
    assert scores(result) == {RATE: Decimal("3.7"), WATER: Decimal(10)}


SERIES = """体系 "例" 总分 10
预算执行（10）
  预算执行率（5）
    解释 各子项目执行数合计与预算数合计的比率。
    输入 执行数：金额 万元 子项目 1～3，预算数：金额 万元 子项目 1～3
    执行率 = 合计(执行数) / 合计(预算数)
    得分 = min(执行率, 100%) × 分值
  支出进度（5）
    解释 近三年支出进度加权平均。
    输入 进度：比率 年度 2022～2024
    得分 = 加权平均(进度, 20%, 30%, 50%) × 分值
"""
EXEC, PACE = "预算执行/预算执行率", "预算执行/支出进度"
TWO = {"执行数1": 90, "预算数1": 100, "执行数2": 30, "预算数2": 60}
YEARS = {"进度2022": "80%", "进度2023": "90%", "进度2024": "85%"}


def test_a_sub_project_left_out_of_the_json_is_none_had_a_year_is_required():
    plan = plan_of(SERIES)
    listed = {"子项目": [{"执行数": 90, "预算数": 100}, {"执行数": 30, "预算数": 60}]}
    by_key = idsl.score(plan, {"inputs": {"预算执行率": TWO, "支出进度": YEARS}})
    by_list = idsl.score(plan, {"inputs": {"预算执行率": listed, "支出进度": YEARS}})
    assert not by_key.errors and not by_list.errors
    assert [(n.key, n.score) for n in by_key.nodes] == [(n.key, n.score) for n in by_list.nodes]
    assert next(n.score for n in by_key.nodes if n.key == EXEC) == Decimal("3.75")
    gap = idsl.score(plan, {"inputs": {"预算执行率": TWO, "支出进度": {"进度2022": "80%", "进度2024": "85%"}}})
    assert [(e.path, e.field) for e in gap.errors] == [(PACE, "进度2023")]


@pytest.mark.parametrize("engine", ["duckdb", "python"])
def test_a_blank_sub_project_cell_of_the_batch_is_none_had(tmp_path, engine):
    plan = plan_of(SERIES)
    cells = {f"{EXEC}.{k}": str(v) for k, v in TWO.items()}
    years = {f"{PACE}.{k}": v for k, v in YEARS.items()}
    rows = [{"单位": "甲", **cells, **years}, {"单位": "乙", **cells, **years, f"{PACE}.进度2023": ""}]
    out = tmp_path / f"{engine}.csv"
    score_file(plan, unit_table(tmp_path, plan, rows), out, engine=engine)
    with open(out, encoding="utf-8-sig", newline="") as stream:
        got = {r["单位"]: Decimal(r[EXEC]) for r in csv.DictReader(stream)}
    assert got == {"甲": Decimal("3.75")}
    errors = (tmp_path / f"{engine}.errors.csv").read_text(encoding="utf-8-sig")
    assert "乙" in errors and "进度2023" in errors and "执行数3" not in errors and "预算数3" not in errors


def test_the_workbook_says_a_blank_sub_project_is_none_had():
    plan = plan_of(SERIES)
    sheet = openpyxl.load_workbook(io.BytesIO(template_workbook(plan)))[INPUT_SHEET]
    header = [c.value for c in sheet[1]]
    allowed = {row[1].value: row[header.index("可填")].value for row in sheet.iter_rows(min_row=2)}
    assert allowed["执行数3"] == "不小于 0，留空为 0" and allowed["进度2024"] == "0%～100%"


PPP = """体系 "例" 总分 20
产出（20）
  项目运营（12）
    解释 运营服务是否达到合同约定的标准。
    输入 运营达标率：比率
    得分 = 运营达标率 × 分值
  成本效益（8）
    解释 PPP项目合同中未对运营维护成本控制进行约定的项目适用本指标。
    输入 合同约定成本控制：是否，成本节约率：比率
    适用 若 合同约定成本控制 = 否
    分档 成本节约率：成本节约率 ≥ 5% 得满分；2% ≤ 成本节约率 < 5% 得 4 分；成本节约率 < 2% 不得分
"""
COST = "产出/成本效益"


def test_a_gated_leaf_has_a_mark_column_only_where_it_declares_not_applicable():
    headers = [c.header for c in unit_columns(plan_of(PPP))]
    assert f"{COST}.不适用" not in headers and f"{COST}.合同约定成本控制" in headers
    declared = plan_of(PPP.replace("    适用 若", "    不适用 得满分\n    适用 若"))
    assert f"{COST}.不适用" in [c.header for c in unit_columns(declared)]
    marked = idsl.score(plan_of(PPP), {"inputs": {"项目运营": {"运营达标率": "90%"}, "成本效益": {"不适用": True}}})
    assert [(e.path, e.field, e.message, e.hint) for e in marked.errors if e.field == "不适用"] == [
        (COST, "不适用", "这个指标是否适用由“合同约定成本控制”决定（适用 若 合同约定成本控制 = 否），不能另标为不适用；"
         "本单位的“合同约定成本控制”未填。", "不适用时把“合同约定成本控制”填为“是”，并删去“不适用”。")]
    answered = idsl.score(plan_of(PPP), {"inputs": {"项目运营": {"运营达标率": "90%"},
                                                     "成本效益": {"不适用": True, "合同约定成本控制": "否"}}})
    assert "本单位的“合同约定成本控制”填的是“否”。" in [e.message for e in answered.errors if e.field == "不适用"][0]


@pytest.mark.parametrize("engine", ["duckdb", "python"])
def test_the_answer_alone_leaves_a_gated_leaf_out_of_the_batch(tmp_path, engine):
    plan = plan_of(PPP)
    rows = [{"单位": "甲", "产出/项目运营.运营达标率": "90%", f"{COST}.合同约定成本控制": "是"},
            {"单位": "乙", "产出/项目运营.运营达标率": "90%", f"{COST}.合同约定成本控制": "否", f"{COST}.成本节约率": "3%"}]
    out = tmp_path / f"{engine}.csv"
    score_file(plan, unit_table(tmp_path, plan, rows), out, engine=engine)
    with open(out, encoding="utf-8-sig", newline="") as stream:
        got = {r["单位"]: (r[COST], Decimal(r["总分"])) for r in csv.DictReader(stream)}
    assert got == {"甲": ("", Decimal(18)), "乙": ("4.00", Decimal("14.8"))}
