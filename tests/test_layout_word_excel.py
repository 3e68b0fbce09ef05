"""Layout of the Excel workbooks (print set-up, 分值 as numbers, the batch template's validations) and of
the Word table (a partial result has no grade)."""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

import idsl
from idsl.io.columns import unit_columns
from idsl.render.workbook import batch_template, template_workbook

ROOT = Path(__file__).resolve().parent.parent
SPECS = {name: next(ROOT.glob(f"specs/{name}_*.idsl")) for name in ("001", "002")}


@pytest.fixture(scope="module", params=["001", "002"])
def plan(request):
    return idsl.load(SPECS[request.param])


def _visible(book):
    return [sheet for sheet in book.worksheets if sheet.sheet_state == "visible"]


@pytest.mark.parametrize("make", [template_workbook, batch_template], ids=["inputs", "batch"])
def test_every_visible_sheet_prints_landscape_fitted_to_width_with_its_header_repeated(plan, make):
    book = openpyxl.load_workbook(io.BytesIO(make(plan)))
    for sheet in _visible(book):
        setup = sheet.page_setup
        assert setup.orientation == "landscape" and str(setup.fitToWidth) == "1" and str(setup.fitToHeight) == "0"
        assert sheet.sheet_properties.pageSetUpPr.fitToPage and sheet.print_title_rows == "$1:$1", sheet.title


def test_points_in_the_standard_sheet_are_numbers(plan):
    sheet = openpyxl.load_workbook(io.BytesIO(template_workbook(plan)))["评分标准"]
    leaves = len(list(plan.leaves()))
    points = [row[1].value for row in sheet.iter_rows(min_row=2, max_row=leaves + 1)]
    assert points and all(isinstance(p, (int, float)) for p in points)
    assert sum(Decimal(str(p)) for p in points) == plan.total


def test_the_batch_template_validates_its_columns_like_the_input_workbook(plan):
    sheet = openpyxl.load_workbook(io.BytesIO(batch_template(plan))).worksheets[0]
    columns = unit_columns(plan)
    ranges = {}
    for dv in sheet.data_validations.dataValidation:
        for cell_range in dv.sqref.ranges:
            ranges[cell_range.min_col] = dv
    checked = [c for i, c in enumerate(columns, start=1) if i in ranges]
    assert len(checked) >= len(columns) // 2
    by_kind = {}
    for index, column in enumerate(columns, start=1):
        if index in ranges:
            by_kind.setdefault(column.kind if column.decl is None else column.decl.kind, ranges[index])
    assert by_kind["item"].type == "list" and by_kind["item"].formula1 == '"是,否"'
    money = by_kind.get("money")
    if money is not None:
        assert money.type == "decimal" and money.formula1 == "0"
    for index, column in enumerate(columns, start=1):
        if column.kind == "tally":
            assert ranges[index].type == "whole"


_KINDS_SPEC = """体系 "各类输入" 总分 12
效益（12）
  完成率（2）
    输入 完成率：比率 范围 0%～1000%
    目标 完成率 ≥ 100%
  执行率（2）
    输入 执行率：比率
    得分 = 执行率 × 分值
  考核系数（2）
    输入 考核系数：数值 范围 0～2
    得分 = 考核系数 ÷ 2 × 分值
  预算调整（2）
    输入 预算调整数：金额 万元 可负，预算数：金额 万元，人数：数量 人
    分档 预算调整数：预算调整数 ≤ 0 得满分；否则 不得分
  违规（2）
    输入 发生违规：是否
    若 发生违规 则 不得分
    酌情
  整改（2）
    输入 问题：问题数
    按项扣分 问题 每项 1 分，扣完为止
"""


def _validations_by_cell(sheet) -> dict[tuple[int, int], tuple]:
    out = {}
    for dv in sheet.data_validations.dataValidation:
        for cell_range in dv.sqref.ranges:
            for row in range(cell_range.min_row, min(cell_range.max_row, cell_range.min_row + 2) + 1):
                for col in range(cell_range.min_col, cell_range.max_col + 1):
                    out[(row, col)] = (dv.type, dv.operator, dv.formula1, dv.formula2)
    return out


@pytest.mark.parametrize("source", ["kinds", "001", "002"])
def test_batch_columns_are_checked_as_the_input_workbooks_cells(source):
    """One rule per input (idsl.render.workbook_rows.input_rule) for both workbooks: the batch template's
    column of an input has the same validation as the input workbook's value cell, rates included
    (as percentages), and the same number format."""
    from idsl.frontend.resolve import load_text
    from idsl.frontend.source import Source
    from idsl.io.workbook import key_text
    from idsl.semantics.lower import lower

    plan = lower(load_text(Source("t.idsl", _KINDS_SPEC)).spec) if source == "kinds" else idsl.load(SPECS[source])
    inputs = openpyxl.load_workbook(io.BytesIO(template_workbook(plan)))["输入"]
    header = [c.value for c in inputs[1]]
    value_col, key_col = header.index("值") + 1, header.index("键") + 1
    rows = {inputs.cell(r, key_col).value: r for r in range(2, inputs.max_row + 1)}
    single = _validations_by_cell(inputs)
    batch_sheet = openpyxl.load_workbook(io.BytesIO(batch_template(plan))).worksheets[0]
    batch = _validations_by_cell(batch_sheet)
    compared = set()
    for index, column in enumerate(unit_columns(plan), start=1):
        if column.kind != "input" or column.decl is None:
            continue
        row = rows[key_text(column.kind, column.key, column.field)]
        kind = column.decl.kind
        if kind == "choice":
            assert batch[(2, index)][0] == single[(row, value_col)][0] == "list"
            continue
        assert batch[(2, index)] == single[(row, value_col)], column.header
        letter = openpyxl.utils.get_column_letter(index)
        shape = inputs.cell(row, value_col).number_format
        assert (batch_sheet.column_dimensions[letter].number_format or "General") == shape, column.header
        compared.add(kind)
    if source == "kinds":
        assert compared == {"rate", "number", "money", "count", "bool", "findings"}
        rates = [batch[(2, i)] for i, c in enumerate(unit_columns(plan), 1) if c.decl is not None and c.decl.kind == "rate"]
        assert sorted(rates) == [("decimal", "between", "0", "1"), ("decimal", "between", "0", "10")]


def test_the_results_workbook_prints_like_the_templates(tmp_path):
    """results.xlsx of a batch (75 columns for 001): landscape, one page wide, the header on every page."""
    from click.testing import CliRunner

    from idsl.cli import main

    target = tmp_path / "results.xlsx"
    outcome = CliRunner().invoke(main, ["score", str(SPECS["001"]), str(ROOT / "examples/batch_001_units.csv"),
                                        "-o", str(target), "--engine", "python"])
    assert outcome.exit_code == 0, outcome.output
    book = openpyxl.load_workbook(target)
    for sheet in book.worksheets:
        setup = sheet.page_setup
        assert setup.orientation == "landscape" and str(setup.fitToWidth) == "1" and str(setup.fitToHeight) == "0"
        assert sheet.sheet_properties.pageSetUpPr.fitToPage and sheet.print_title_rows == "$1:$1", sheet.title
    headers = [cell.value for cell in book.worksheets[0][1]]
    row = dict(zip(headers, [cell.value for cell in book.worksheets[0][2]]))
    scores = [row[f"{leaf.key}"] for leaf in idsl.load(SPECS["001"]).leaves()]
    assert len(scores) == 34 and all(isinstance(v, (int, float)) for v in scores)  # numbers, not text
    assert isinstance(row["总分"], (int, float)) and row["等级"] == "优"
