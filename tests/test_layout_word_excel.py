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
    points = [row[1].value for row in sheet.iter_rows(min_row=2)]
    assert points and all(isinstance(p, (int, float)) for p in points)
    assert sum(Decimal(str(p)) for p in points[: len(list(plan.leaves()))]) == plan.total


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
