"""A batch's `<key>.差异` is written as the score beside it: to its 小数 N 位 (1.61, not 1.610000), with any further
decimals a recorded score gives it (0.005), alike from both engines; Parquet keeps the exact DECIMAL type."""

from __future__ import annotations

import csv
from decimal import Decimal

import duckdb
import openpyxl
import pytest

from idsl.engines.batch import score_file
from idsl.engines.differences import written_difference
from idsl.frontend.parse import parse
from idsl.frontend.source import Source
from idsl.semantics.lower import lower

SPEC = """体系 "复核" 总分 8
等级 优：总分 ≥ 7；差：否则
决策（8）
  执行率（4）
    输入 率：比率
    得分 = 率 × 分值
  到位率（4）
    小数 4 位
    输入 率：比率
    得分 = 率 × 分值
"""
UNITS = ("单位,决策/执行率.率,决策/执行率.记录得分,决策/到位率.率,决策/到位率.记录得分,总分.记录得分,等级.记录得分\n"
         "甲,50%,3.61,50%,2.0001,8,优\n乙,50%,2.005,50%,2,5.61,差\n丙,50%,2,50%,1,4,差\n")
DIFFERENCES = ["决策/执行率.差异", "决策/到位率.差异", "总分.差异", "等级.差异"]
# 执行率 and 总分 are written to 2 places, 到位率 to its own 4; a difference finer than that keeps its digits.
EXPECTED = [["1.61", "0.0001", "4.00", "优"], ["0.005", "", "1.61", ""], ["", "-1.0000", "", ""]]


@pytest.fixture
def batch(tmp_path):
    spec, diagnostics = parse(Source("t.idsl", SPEC))
    assert spec is not None, diagnostics
    source = tmp_path / "units.csv"
    source.write_text(UNITS, encoding="utf-8")
    return lower(spec), source


def _columns(path, names):
    with path.open(encoding="utf-8-sig", newline="") as stream:
        rows = list(csv.DictReader(stream))
    return [[row[n] for n in names] for row in rows]


@pytest.mark.parametrize("engine", ["duckdb", "python", "spark"])  # Spark's rows are written by DuckDB's COPY
def test_a_csv_writes_each_difference_as_its_score_is_written(batch, tmp_path, engine):
    plan, source = batch
    out = tmp_path / f"{engine}.csv"
    score_file(plan, source, out, engine=engine)
    assert _columns(out, DIFFERENCES) == EXPECTED
    assert _columns(out, ["决策/执行率", "决策/到位率"])[0] == ["2.00", "2.0000"]  # the scores beside them


@pytest.mark.parametrize("engine", ["duckdb", "python"])
def test_a_workbook_holds_the_differences_as_numbers(batch, tmp_path, engine):
    plan, source = batch
    out = tmp_path / f"{engine}.xlsx"
    score_file(plan, source, out, engine=engine)
    rows = list(openpyxl.load_workbook(out)["结果"].iter_rows(values_only=True))
    at = [rows[0].index(name) for name in DIFFERENCES[:3]]
    assert [[row[i] for i in at] for row in rows[1:]] == [[1.61, 0.0001, 4], [0.005, None, 1.61], [None, -1, None]]


def test_parquet_keeps_the_exact_decimal_type(batch, tmp_path):
    plan, source = batch
    out = tmp_path / "results.parquet"
    score_file(plan, source, out, engine="duckdb")
    relation = duckdb.sql(f"SELECT \"决策/执行率.差异\" FROM '{out}'")
    assert str(relation.types[0]) == "DECIMAL(38,6)"
    assert relation.fetchall() == [(Decimal("1.610000"),), (Decimal("0.005000"),), (None,)]


def test_a_difference_is_never_rounded_to_its_places():
    assert written_difference(Decimal("0.000001"), 2) == Decimal("0.000001")
    assert str(written_difference(Decimal("-3"), 0)) == "-3" and str(written_difference(Decimal("10"), 2)) == "10.00"
    assert str(written_difference(Decimal("10.5"), 0)) == "10.5"
