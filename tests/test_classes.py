"""单位类别 and 按类别: a rule per class of unit, and the inputs only some classes need, in every reader and engine."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import idsl
from idsl.engines.batch import score_file
from idsl.io.inputs import read_inputs
from idsl.io.tables import write_csv
from idsl.io.workbook import read_workbook
from idsl.render.workbook import template_workbook

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "tests" / "cases" / "score" / "by_class.idsl"
HEADERS = ["单位", "共用.单位类别", "预算执行/预算执行率.执行数", "预算执行/预算执行率.预算数",
           "预算执行/收入完成率.事业收入完成率", "预算执行/收入完成率.公用经费控制率"]


@pytest.fixture(scope="module")
def plan():
    return idsl.load(SPEC)


def _score(plan, inputs: dict):
    return idsl.score(plan, read_inputs({"inputs": inputs}))


def test_each_class_is_scored_by_its_own_rule_and_needs_only_its_inputs(plan):
    shared = {"预算执行率": {"执行数": "90 万元", "预算数": "100 万元"}}
    administrative = _score(plan, {"共用": {"单位类别": "行政单位"}, **shared, "收入完成率": {"公用经费控制率": "95%"}})
    institution = _score(plan, {"共用": {"单位类别": "C"}, **shared, "收入完成率": {"事业收入完成率": "60%"}})
    assert not administrative.errors and not institution.errors
    scores = [{n.name: n.score for n in r.nodes} for r in (administrative, institution)]
    assert scores[0]["预算执行率"] == 3 and scores[0]["收入完成率"] == 3  # bands; 5% off target at 0.2 per 1%
    assert scores[1]["预算执行率"] == 6 and scores[1]["收入完成率"] == Decimal("2.4")  # target met; 60% × 4
    reason = next(n.reason for n in institution.nodes if n.name == "收入完成率")
    assert reason.startswith("单位类别为“事业单位”，")


def test_an_input_the_class_needs_is_still_required(plan):
    result = _score(plan, {"共用": {"单位类别": "事业单位"}, "预算执行率": {"执行数": 1, "预算数": 1},
                           "收入完成率": {"公用经费控制率": "95%"}})
    assert [(e.path, e.field) for e in result.errors] == [("预算执行/收入完成率", "事业收入完成率")]


def test_an_unknown_class_is_an_input_error_naming_the_declared_ones(plan):
    result = _score(plan, {"共用": {"单位类别": "企业"}, "预算执行率": {"执行数": 1, "预算数": 1},
                           "收入完成率": {"事业收入完成率": "60%", "公用经费控制率": "95%"}})
    messages = [str(e) for e in result.errors if e.field == "单位类别"]
    assert messages and "行政单位" in messages[0] and "事业单位" in messages[0]


@pytest.mark.parametrize("allow_missing", [False, True])
def test_a_unit_without_a_class_is_told_so_once_and_no_leaf_scored_by_class_scores(plan, allow_missing):
    """No class, no 按类别 score: one error under 共用 (the unit's input, however many leaves read it) and each
    such leaf unscored, or with blanks allowed 未评 and no total (never 0)."""
    every_input = {"预算执行率": {"执行数": 90, "预算数": 100},
                   "收入完成率": {"公用经费控制率": "95%", "事业收入完成率": "60%"}}
    result = idsl.score(plan, read_inputs({"inputs": every_input}), allow_missing=allow_missing)
    leaves = {n.name: n.status for n in result.nodes if n.kind == "leaf"}
    assert leaves == dict.fromkeys(("预算执行率", "收入完成率"), "missing" if allow_missing else "error")
    assert [(e.path, e.field) for e in result.errors] == ([] if allow_missing else [("共用", "单位类别")])
    assert result.total is None and result.grade is None


@pytest.mark.parametrize("allow_missing", [False, True])
def test_both_engines_leave_the_cells_a_class_does_not_need_blank(plan, tmp_path, allow_missing):
    rows = [["甲局", "行政单位", "96", "100", "", "90%"],
            ["乙中心", "事业单位", "85", "100", "80%", ""],
            ["丙所", "B", "115", "100", "", "100%"],
            ["丁院", "企业", "70", "100", "", "100%"],  # no such class
            ["戊站", "事业单位", "85", "100", "", ""],  # its class needs 事业收入完成率
            ["己处", "", "85", "100", "70%", "90%"]]  # no class: the leaves that read it cannot be scored
    units = tmp_path / "units.csv"
    write_csv(units, HEADERS, rows)
    by_duckdb = score_file(plan, units, tmp_path / "a.csv", engine="duckdb", allow_missing=allow_missing)
    by_python = score_file(plan, units, tmp_path / "b.csv", engine="python", allow_missing=allow_missing)
    results = (tmp_path / "a.csv").read_text(encoding="utf-8-sig")
    assert results == (tmp_path / "b.csv").read_text(encoding="utf-8-sig")
    assert {(e.row, e.column) for e in by_duckdb.errors} == {(e.row, e.column) for e in by_python.errors}
    assert results.splitlines()[1].startswith("甲局,6.00,2.00,")
    assert results.splitlines()[2].startswith("乙中心,5.67,3.20,")
    bad_rows = {e.row for e in by_duckdb.errors}
    assert bad_rows == ({5} if allow_missing else {5, 6, 7})  # with blanks allowed, a blank class leaves leaves 未评


def test_the_workbook_says_who_fills_an_input_and_reads_it_back(plan, tmp_path):
    book = tmp_path / "inputs.xlsx"
    book.write_bytes(template_workbook(plan))
    workbook = openpyxl.load_workbook(book)
    sheet = workbook["输入"]
    rows = {r[1].value: r for r in sheet.iter_rows(min_row=2)}
    assert "仅事业单位填写" in rows["事业收入完成率"][4].value
    assert "仅行政单位、参公事业单位填写" in rows["公用经费控制率"][4].value
    for name, value in (("单位", "乙"), ("单位类别", "事业单位"), ("执行数", 86), ("预算数", 100),
                        ("事业收入完成率", "75%")):
        rows[name][5].value = value
    workbook.save(book)
    result = idsl.score(plan, read_workbook(plan, book))
    assert not result.errors
    assert result.total == Decimal("8.73")


_CELLS = {
    "class": st.sampled_from(["行政单位", "参公事业单位", "事业单位", "A", "C", "企业", ""]),
    "amount": st.sampled_from(["", "0", "50", "86", "95", "100", "120.5"]),
    "rate": st.sampled_from(["", "0%", "60%", "85.5%", "100%", "120%"]),
}


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.tuples(_CELLS["class"], _CELLS["amount"], _CELLS["amount"], _CELLS["rate"], _CELLS["rate"]),
                     min_size=1, max_size=8), allow_missing=st.booleans())
def test_both_engines_agree_on_any_batch_of_classes(plan, tmp_path_factory, rows, allow_missing):
    folder = tmp_path_factory.mktemp("classes")
    units = folder / "units.csv"
    write_csv(units, HEADERS, [[f"单位{i}", *row] for i, row in enumerate(rows)])
    by_duckdb = score_file(plan, units, folder / "a.csv", engine="duckdb", allow_missing=allow_missing)
    by_python = score_file(plan, units, folder / "b.csv", engine="python", allow_missing=allow_missing)
    results = (folder / "a.csv").read_text(encoding="utf-8-sig")
    assert results == (folder / "b.csv").read_text(encoding="utf-8-sig")
    # the rows refused (a row refused for a blank cell lists a failure of another leaf's rule in the
    # interpreter alone, with or without classes; the refused rows are the same)
    assert {e.row for e in by_duckdb.errors} == {e.row for e in by_python.errors}
    scored = {line.split(",")[0]: line.split(",") for line in results.splitlines()[1:]}
    for i, (unit_class, _done, _budget, income, _control) in enumerate(rows):
        line = scored.get(f"单位{i}")
        if line is not None and unit_class in ("事业单位", "C") and income and line[2]:
            # 收入完成率 of a 事业单位: 事业收入完成率 × 4, held to 4, rounded half up to 2 places
            share = min(Decimal(income.rstrip("%")) / 100, Decimal(1))
            assert Decimal(line[2]) == (share * 4).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@pytest.mark.parametrize("engine", ["duckdb", "python"])
def test_a_blank_class_cell_is_one_error_at_that_cell(plan, tmp_path, engine):
    """Both leaves scored by class read the blank cell: the one mistake is listed once, under 共用.单位类别."""
    units = tmp_path / "units.csv"
    write_csv(units, HEADERS, [["己处", " ", "85", "100", "70%", "90%"]])
    summary = score_file(plan, units, tmp_path / "out.csv", engine=engine)
    assert [(e.row, e.column, e.message) for e in summary.errors] == [
        (2, "共用.单位类别", "缺少输入。（在“共用”下填“单位类别”。）")]
