"""无数据时 酌情 低～高 分 and 无数据时 不适用, and the line on a leaf of 分项: both batch engines, the JSON input,
the workbook's cells and 评分标准, the reasons, and the checker (E401, E411, E427, E440)."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from plans import unit_table, error_codes, score_with_both_engines

import idsl
from idsl.engines.batch import score_file
from idsl.frontend.parse import parse
from idsl.frontend.printer import format_spec
from idsl.frontend.source import Source
from idsl.io.inputs import read_inputs
from idsl.io.workbook import INPUT_SHEET, KEY
from idsl.render.workbook import template_workbook

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "tests" / "cases" / "score" / "nodata_judged.idsl"
GROWTH, SURVEY, BETTER, OPEN = "效益/支出增长控制", "效益/满意度", "效益/整改提升", "效益/预决算信息公开"
LEAVES = (GROWTH, SURVEY, BETTER, OPEN)
WHY = "上年决算未取得，按本年预算执行情况酌情给分"


@pytest.fixture(scope="module")
def plan():
    return idsl.load(SPEC)


def _scored(inputs: dict) -> dict:
    result = idsl.score(idsl.load(SPEC), read_inputs({"inputs": inputs}))
    return {"errors": [(e.path, e.field) for e in result.errors],
            "scores": {n.key: n.score for n in result.nodes if n.key in LEAVES},
            "reasons": {n.key: n.reason for n in result.nodes if n.key in LEAVES}, "total": result.total}


FULL = {"共用": {"上年评价得分": 85}, "支出增长控制": {"本年支出": "1030 万元", "上年支出": "1000 万元", "违规支出": 0},
        "满意度": {"满意率": "90%"}, "整改提升": {"本年评价得分": 88},
        "预决算信息公开": {"预算公开及时率": "80%", "决算公开及时率": "100%"}}


def test_with_every_figure_the_rules_score_and_the_judged_score_is_not_read():
    inputs = {**FULL, "支出增长控制": {**FULL["支出增长控制"], "无数据得分": 1, "理由": WHY}}
    scored = _scored(inputs)
    assert scored["errors"] == []
    assert scored["scores"] == {GROWTH: 6, SURVEY: Decimal("3.6"), BETTER: 4, OPEN: Decimal("5.4")}
    assert scored["total"] == Decimal("19")


def test_a_missing_figure_gives_the_evaluators_score_or_leaves_the_leaf_out():
    inputs = {"支出增长控制": {"本年支出": "1080 万元", "违规支出": 0, "无数据得分": "2.5", "理由": WHY},
              "满意度": {"满意率": None}, "整改提升": {"本年评价得分": 88},
              "预决算信息公开": {"决算公开及时率": "100%"}}
    scored = _scored(inputs)
    assert scored["errors"] == []
    # 满意度 is left out and the total rescaled; 整改提升 is 不适用 得满分; 预决算信息公开's own line covers its part
    assert scored["scores"] == {GROWTH: Decimal("2.5"), SURVEY: None, BETTER: 4, OPEN: 1}
    assert scored["total"] == Decimal("9.38")  # 7.5 of 16 applicable points × 20
    assert scored["reasons"][GROWTH] == f"无数据（上年支出未填），酌情给分（1～3分）：{WHY}，得2.5分。"
    assert scored["reasons"][SURVEY] == "无数据（满意率未填），本指标不适用，不参与评分，总分按实际适用分值折算。"
    assert scored["reasons"][BETTER] == "无数据（上年评价得分未填），本指标不适用，按规定得满分（4分）。"
    assert scored["reasons"][OPEN] == "无数据（预算公开及时率未填），得1分。"


def test_a_missing_figure_needs_the_judged_score_and_its_reason():
    blank = {**FULL, "支出增长控制": {"本年支出": "1080 万元", "违规支出": 0}}
    assert _scored(blank)["errors"] == [(GROWTH, "无数据得分")]
    unreasoned = {**FULL, "支出增长控制": {"本年支出": "1080 万元", "违规支出": 0, "无数据得分": 1}}
    assert _scored(unreasoned)["errors"] == [(GROWTH, "理由")]
    beyond = {**FULL, "支出增长控制": {"本年支出": "1080 万元", "违规支出": 0, "无数据得分": 4, "理由": WHY}}
    assert _scored(beyond)["errors"] == [(GROWTH, "无数据得分")]


def _rows() -> list[dict[str, str]]:
    full = {"共用.上年评价得分": "85", f"{GROWTH}.本年支出": "1030", f"{GROWTH}.上年支出": "1000",
            f"{GROWTH}.违规支出": "0", f"{SURVEY}.满意率": "90%", f"{BETTER}.本年评价得分": "88",
            f"{OPEN}.预算公开及时率": "80%", f"{OPEN}.决算公开及时率": "100%"}
    return [{"单位": "甲", **full},
            {"单位": "乙", **full, f"{GROWTH}.上年支出": "", f"{GROWTH}.无数据得分": "2.5", f"{GROWTH}.理由": WHY,
             f"{SURVEY}.满意率": "", "共用.上年评价得分": "", f"{OPEN}.预算公开及时率": ""},
            {"单位": "丙", **full, f"{OPEN}.决算公开及时率": "", f"{GROWTH}.违规支出": "2"},
            {"单位": "丁", **full, f"{GROWTH}.上年支出": ""},  # no 无数据得分
            {"单位": "戊", **full, f"{GROWTH}.上年支出": "", f"{GROWTH}.无数据得分": "1"},  # no 理由
            {"单位": "己", **full, f"{GROWTH}.无数据得分": "1", f"{GROWTH}.理由": WHY}]  # given, not read


def _results(path: Path) -> dict[str, tuple[str, ...]]:
    with open(path, encoding="utf-8-sig", newline="") as stream:
        return {r["单位"]: tuple(r[k] for k in LEAVES + ("总分",)) for r in csv.DictReader(stream)}


@pytest.mark.parametrize("allow_missing", [False, True])
def test_both_batch_engines_score_the_outcomes_alike(plan, tmp_path, allow_missing):
    units = unit_table(tmp_path, plan, _rows())
    by_duckdb, by_python = score_with_both_engines(plan, units, tmp_path, allow_missing)
    assert [(e.row, e.column, e.message) for e in by_duckdb.errors] == \
        [(e.row, e.column, e.message) for e in by_python.errors]
    if allow_missing:
        return
    assert _results(tmp_path / "a.csv") == {
        "甲": ("6.00", "3.60", "4.00", "5.40", "19.00"),
        "乙": ("2.50", "", "4.00", "1.00", "9.38"),
        "丙": ("5.00", "3.60", "4.00", "2.40", "15.00"),
        "己": ("6.00", "3.60", "4.00", "5.40", "19.00")}
    assert [(e.row, e.column) for e in by_duckdb.errors] == [(5, f"{GROWTH}.无数据得分"), (6, f"{GROWTH}.理由")]


def test_the_workbook_gives_the_judged_score_its_cells_and_the_standard_says_each_outcome(plan):
    book = openpyxl.load_workbook(io.BytesIO(template_workbook(plan)))
    sheet = book[INPUT_SHEET]
    header = [c.value for c in sheet[1]]
    key, allowed = header.index(KEY) + 1, header.index("可填") + 1
    rows = {}
    for row in range(2, sheet.max_row + 1):
        _kind, path, field, *_ = str(sheet.cell(row, key).value).split("\t") + [""]
        rows[f"{path}.{field}"] = sheet.cell(row, allowed).value
    assert rows[f"{GROWTH}.无数据得分"] == "1～3，仅在无数据时填写（须写理由）"
    assert f"{GROWTH}.理由" in rows
    assert f"{SURVEY}.不适用" not in rows  # only the blank figure leaves it out
    assert f"{BETTER}.不适用" in rows  # its 不适用 得满分 line gives a mark as well
    texts = {r[0].value: r[2].value for r in book["评分标准"].iter_rows(min_row=2)}
    assert texts[GROWTH].endswith("无上年支出数据的，由评价人在1～3分之间酌情给分，须说明理由。")
    assert texts[SURVEY].endswith("无满意率数据的，本指标不适用，予以剔除，总分按实际适用分值折算。")
    assert texts[BETTER].endswith("无上年评价得分数据的，本指标不适用，得满分。")
    assert texts[OPEN].count("无预算公开及时率数据的，得1分。") == 1


def _unblank(text: str) -> str:
    """The spec without the lines left empty where no line was put in."""
    return "".join(line for line in text.splitlines(keepends=True) if line.strip())


LEAF = """体系 "例" 总分 4
满意度（4）
  服务对象满意度（4）
    解释 未开展满意度调查的，不参与评分。
    输入 满意率：比率{optional}
    {line}
    得分 = 满意率 × 分值
"""
PARTS = """体系 "例" 总分 4
资金管理（4）
  预决算信息公开（4）
    解释 部门预算、决算是否按规定公开。
    {leaf}
    分项 部门预算公开（2）
      输入 预算公开及时率：比率{optional}
      {part}
      得分 = 预算公开及时率 × 分值
    分项 部门决算公开（2）
      输入 决算公开及时率：比率
      得分 = 决算公开及时率 × 分值
"""


POOL = """体系 "例" 总分 4
产出（4）
  任选 1 项
  完成率（4）
    解释 年度任务完成情况。
    输入 完成率：比率 可缺
    {line}
    得分 = 完成率 × 分值
  达标率（4）
    解释 质量达标情况。
    输入 达标率：比率
    得分 = 达标率 × 分值
"""


@pytest.mark.parametrize("text, codes", [
    (POOL.format(line="无数据时 得满分"), []),
    (POOL.format(line="无数据时 酌情 0～2 分"), []),
    (POOL.format(line="无数据时 不适用"), ["E444"]),  # not choosing an alternative is not scoring it
    (LEAF.format(optional=" 可缺", line="无数据时 不适用"), []),
    (LEAF.format(optional=" 可缺", line="无数据时 酌情 0～4 分"), []),
    (LEAF.format(optional="", line="无数据时 不适用"), ["E427"]),
    (LEAF.format(optional="", line="无数据时 酌情 1～3 分"), ["E427"]),
    (LEAF.format(optional=" 可缺", line="无数据时 酌情 1～5 分"), ["E401"]),
    (LEAF.format(optional=" 可缺", line="无数据时 酌情 3～1 分"), ["E401"]),
    (PARTS.format(optional=" 可缺", leaf="无数据时 得满分", part=""), []),  # the leaf's line covers the part
    (PARTS.format(optional=" 可缺", leaf="无数据时 不适用", part=""), []),
    (PARTS.format(optional=" 可缺", leaf="", part=""), ["E426"]),
    (PARTS.format(optional="", leaf="无数据时 得满分", part=""), ["E427"]),
    (PARTS.format(optional=" 可缺", leaf="无数据时 得满分", part="无数据时 不得分"), ["E427"]),  # the part's own covers it
    (PARTS.format(optional=" 可缺", leaf="", part="无数据时 不适用"), ["E440"]),
    (PARTS.format(optional=" 可缺", leaf="", part="无数据时 酌情 0～1 分"), []),
])
def test_the_checker_bounds_and_places_the_outcomes(text, codes):
    assert error_codes(_unblank(text)) == codes


def test_the_leafs_line_scores_a_leaf_of_parts_whole_and_a_parts_own_line_only_the_part(tmp_path):
    text = _unblank(PARTS.format(optional=" 可缺", leaf="无数据时 不适用", part=""))
    path = tmp_path / "p.idsl"
    path.write_text(text, encoding="utf-8")
    plan = idsl.load(path)
    key = "资金管理/预决算信息公开"
    result = idsl.score(plan, read_inputs({"inputs": {key: {"决算公开及时率": "100%"}}}))
    leaf = next(n for n in result.nodes if n.key == key)
    assert (leaf.status, leaf.reason) == ("not_applicable", "无数据（预算公开及时率未填），本指标不适用，不参与评分，上级指标按比例折算。")
    rows = [{"单位": "甲", f"{key}.决算公开及时率": "100%"},
            {"单位": "乙", f"{key}.决算公开及时率": "100%", f"{key}.预算公开及时率": "50%"}]
    units = unit_table(tmp_path, plan, rows)
    score_file(plan, units, tmp_path / "a.csv", engine="duckdb")
    score_file(plan, units, tmp_path / "b.csv", engine="python")
    assert (tmp_path / "a.csv").read_text(encoding="utf-8-sig") == (tmp_path / "b.csv").read_text(encoding="utf-8-sig")
    with open(tmp_path / "a.csv", encoding="utf-8-sig", newline="") as stream:
        assert [(r["单位"], r[key]) for r in csv.DictReader(stream)] == [("甲", ""), ("乙", "3.00")]


def test_fmt_prints_the_outcomes_back():
    text = SPEC.read_text(encoding="utf-8")
    spec, diagnostics = parse(Source("t.idsl", text))
    printed = format_spec(spec)
    assert "无数据时 酌情 1～3 分" in printed and "无数据时 不适用" in printed
    again, _ = parse(Source("t.idsl", printed))
    assert format_spec(again) == printed
    assert again == spec and not diagnostics
