"""可缺 and 无数据时: a figure a unit may not have, left blank alike in the JSON, the workbook and the batch
table (CSV, Parquet), scored by the leaf's 无数据时 line in both engines; E426, E427; fmt and 评分标准 text."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from pathlib import Path

import duckdb
import openpyxl
import pytest

from plans import unit_table, error_codes, score_with_both_engines

import idsl
from idsl.engines.batch import score_file
from idsl.engines.python import score
from idsl.frontend.parse import parse
from idsl.frontend.printer import format_spec
from idsl.frontend.source import Source
from idsl.io.inputs import read_inputs
from idsl.io.workbook import INPUT_SHEET, KEY, locate, read_workbook
from idsl.render.workbook import template_workbook

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "tests" / "cases" / "score" / "nodata.idsl"
GROWTH, SURVEY, BETTER = "效益/支出增长控制", "效益/满意度", "效益/整改提升"
SHARED = "共用.上年评价得分"


@pytest.fixture(scope="module")
def plan():
    return idsl.load(SPEC)


def _scores(result) -> dict[str, Decimal | None]:
    return {n.key: n.score for n in result.nodes if n.key in (GROWTH, SURVEY, BETTER)}


def _reasons(result) -> dict[str, str]:
    return {n.key: n.reason for n in result.nodes if n.key in (GROWTH, SURVEY, BETTER)}


FULL = {"共用": {"上年评价得分": 85}, "支出增长控制": {"本年支出": "1080 万元", "上年支出": "1000 万元"},
        "满意度": {"满意率": "90%", "发生投诉": "否"}, "整改提升": {"本年评价得分": 88}}


def test_with_every_figure_the_rules_score(plan):
    result = idsl.score(plan, read_inputs({"inputs": FULL}))
    assert not result.errors, [str(e) for e in result.errors]
    assert _scores(result) == {GROWTH: 3, SURVEY: Decimal("3.6"), BETTER: 4}


@pytest.mark.parametrize("blank", ["absent", "null"])
def test_a_blank_figure_in_the_json_is_scored_by_the_nodata_line(plan, blank):
    inputs = {"支出增长控制": {"本年支出": "1080 万元"}, "满意度": {"发生投诉": "是"}, "整改提升": {"本年评价得分": 88}}
    if blank == "null":
        inputs["支出增长控制"]["上年支出"] = None
        inputs["满意度"]["满意率"] = None
        inputs["共用"] = {"上年评价得分": None}
    result = idsl.score(plan, read_inputs({"inputs": inputs}))
    assert not result.errors, [str(e) for e in result.errors]
    # 无数据时 comes before 若 发生投诉 则 得 1 分: a blank is not read by the special case either
    assert _scores(result) == {GROWTH: 6, SURVEY: 0, BETTER: 2}
    assert _reasons(result) == {GROWTH: "无数据（上年支出未填），得满分6分。", SURVEY: "无数据（满意率未填），本项不得分。",
                                BETTER: "无数据（上年评价得分未填），得2分。"}


def test_an_input_not_declared_optional_is_still_required(plan):
    inputs = {**FULL, "整改提升": {}}
    result = idsl.score(plan, read_inputs({"inputs": inputs}))
    assert [(e.path, e.field) for e in result.errors] == [(BETTER, "本年评价得分")]


@pytest.mark.parametrize("wrong", [150, "不详"])
def test_a_wrong_optional_shared_figure_is_an_error_not_no_data(plan, wrong):
    """A 可缺 共用 figure given out of range or as words is refused, and the leaf reading it is not scored by
    无数据时 as if it were blank (无上年评价的，得 2 分 would be a wrong score beside the error)."""
    result = idsl.score(plan, read_inputs({"inputs": {**FULL, "共用": {"上年评价得分": wrong}}}))
    assert ("共用", "上年评价得分") in [(e.path, e.field) for e in result.errors]
    better = next(n for n in result.nodes if n.key == BETTER)
    assert (better.score, better.status) == (None, "error")


def _rows() -> list[dict[str, str]]:
    full = {SHARED: "85", f"{GROWTH}.本年支出": "1080", f"{GROWTH}.上年支出": "1000", f"{SURVEY}.满意率": "90%",
            f"{SURVEY}.发生投诉": "否", f"{BETTER}.本年评价得分": "88"}
    return [{"单位": "甲", **full},
            {"单位": "乙", **full, SHARED: "", f"{GROWTH}.上年支出": "", f"{SURVEY}.满意率": ""},
            {"单位": "丙", **full, SHARED: "90", f"{GROWTH}.上年支出": "1040", f"{BETTER}.本年评价得分": "80"},
            {"单位": "丁", **full, f"{GROWTH}.本年支出": ""}]  # a figure not declared 可缺


def _results(path: Path) -> dict[str, tuple[Decimal, ...]]:
    with open(path, encoding="utf-8-sig", newline="") as stream:
        return {r["单位"]: tuple(Decimal(r[k]) for k in (GROWTH, SURVEY, BETTER)) for r in csv.DictReader(stream)}


@pytest.mark.parametrize("allow_missing", [False, True])
def test_both_batch_engines_score_blank_cells_alike(plan, tmp_path, allow_missing):
    units = unit_table(tmp_path, plan, _rows())
    by_duckdb, by_python = score_with_both_engines(plan, units, tmp_path, allow_missing)
    assert [(e.row, e.column) for e in by_duckdb.errors] == [(e.row, e.column) for e in by_python.errors]
    if allow_missing:
        return  # 丁's 支出增长控制 is 未评 there, in both engines alike (compared above)
    assert _results(tmp_path / "a.csv") == {"甲": (3, Decimal("3.6"), 4), "乙": (6, 0, 2), "丙": (6, Decimal("3.6"), 0)}
    assert [(e.row, e.column) for e in by_duckdb.errors] == [(5, f"{GROWTH}.本年支出")]


def test_a_typed_parquet_table_with_nulls_is_scored_alike(plan, tmp_path):
    units = unit_table(tmp_path, plan, _rows()[:3])
    parquet = tmp_path / "units.parquet"
    duckdb.execute(f"COPY (SELECT * FROM read_csv('{units}')) TO '{parquet}' (FORMAT parquet)")
    score_file(plan, parquet, tmp_path / "p.csv", engine="duckdb")
    score_file(plan, parquet, tmp_path / "q.csv", engine="python")
    assert _results(tmp_path / "p.csv") == _results(tmp_path / "q.csv") == {
        "甲": (3, Decimal("3.6"), 4), "乙": (6, 0, 2), "丙": (6, Decimal("3.6"), 0)}


def test_the_workbook_says_a_figure_may_stay_blank_and_reads_the_blank_back(plan, tmp_path):
    book = openpyxl.load_workbook(io.BytesIO(template_workbook(plan)))
    sheet = book[INPUT_SHEET]
    header = [c.value for c in sheet[1]]
    value, key, allowed = header.index("值") + 1, header.index(KEY) + 1, header.index("可填") + 1
    typed = {f"{GROWTH}.本年支出": 1080, f"{SURVEY}.发生投诉": "否", f"{BETTER}.本年评价得分": 88}
    notes = {}
    for row in range(2, sheet.max_row + 1):
        _kind, path, field, *_ = str(sheet.cell(row, key).value).split("\t") + [""]
        if f"{path}.{field}" in typed:
            sheet.cell(row, value, typed[f"{path}.{field}"])
        notes[field] = sheet.cell(row, allowed).value
    assert notes["上年支出"].endswith("，无数据时留空") and notes["满意率"].endswith("，无数据时留空")
    assert "留空" not in notes["本年支出"]
    path = tmp_path / "filled.xlsx"
    book.save(path)
    inputs = read_workbook(plan, path)
    result = locate(score(plan, inputs), inputs)
    assert not result.errors, [str(e) for e in result.errors]
    assert _scores(result) == {GROWTH: 6, SURVEY: 0, BETTER: 2}
    standard = book["评分标准"]
    texts = {r[0].value: r[2].value for r in standard.iter_rows(min_row=2)}
    assert texts[GROWTH].endswith("无上年支出数据的，本项得满分。")
    assert texts[SURVEY].endswith("无满意率数据的，本项不得分。")
    assert texts[BETTER].endswith("无上年评价得分数据的，得2分。")


LEAF = """体系 "例" 总分 4
满意度（4）
  服务对象满意度（4）
    解释 未开展满意度调查的，本项不得分。
    输入 满意率：比率{optional}，样本：数量 份
{lines}    得分 = 满意率 × 分值
"""


@pytest.mark.parametrize("optional, lines, codes", [
    (" 可缺", "    无数据时 不得分\n", []),
    (" 可缺", "", ["E426"]),  # nothing says what a blank scores
    ("", "    无数据时 不得分\n", ["E427"]),  # the line has no 可缺 input to watch
    (" 可缺", "    无数据时 得 5 分\n", ["E401"]),  # more than the points
    (" 可缺", "    无数据时 不得分\n    无数据时 得满分\n", ["E411"]),  # two lines
])
def test_the_checker_asks_for_the_line_exactly_where_a_blank_can_be_read(optional, lines, codes):
    assert error_codes(LEAF.format(optional=optional, lines=lines)) == codes


def test_an_optional_input_read_only_by_a_further_deduction_is_e426():
    text = LEAF.format(optional="", lines="    无数据时 不得分\n").replace("样本：数量 份", "违规：问题数 可缺")
    text = text.replace("满意率：比率，", "满意率：比率 可缺，") + "    另扣 违规 每项 1 分，最多扣 2 分\n"
    assert error_codes(text) == ["E426"]


def test_fmt_prints_the_construct_back(plan):
    text = SPEC.read_text(encoding="utf-8")
    spec, diagnostics = parse(Source("t.idsl", text))
    printed = format_spec(spec)
    assert "上年支出：金额 万元 可缺" in printed and "无数据时 得 2 分" in printed and "无数据时 得满分" in printed
    again, _ = parse(Source("t.idsl", printed))
    assert format_spec(again) == printed
    assert again == spec and not diagnostics  # spans are no part of a tree's equality
