"""A blank value of the JSON input file — null, or text of nothing but spaces — reads as the key left out, for
every kind of input, with and without --allow-missing; the same unit as a batch row scores alike in both engines, and in the input workbook as its JSON."""

from __future__ import annotations

import copy
import csv
from decimal import Decimal
from pathlib import Path
from typing import Any, Iterator

import pytest

from plans import EXAMPLES, rows_csv, score_with_both_engines, unit_table

import idsl
from idsl.engines.rows import row_from_json
from idsl.engines.sql import UNSCORED, UNSCORED_SEPARATOR
from idsl.io.inputs import read_inputs
from idsl.semantics.numbers import loads

ROOT = Path(__file__).resolve().parent.parent
SCORE_CASES = ROOT / "tests" / "cases" / "score"
KINDS = sorted(path.stem for path in (EXAMPLES / "kinds").glob("*.idsl"))


def _kind(name: str) -> tuple[Path, dict]:
    spec = EXAMPLES / "kinds" / f"{name}.idsl"
    return spec, loads((EXAMPLES / "kinds" / f"{name}_inputs.json").read_text(encoding="utf-8"))["inputs"]


# Specs beside the kinds, for what they do not hold: 单位类别, years and sub-projects, 可缺 (with 共用 and 无数据得分),
# 择一's 选用 and 任选's alternatives.
OTHERS = {
    "by_class": {"共用": {"单位类别": "事业单位"}, "预算执行率": {"执行数": "90 万元", "预算数": "100 万元"},
                 "收入完成率": {"事业收入完成率": "60%"}},
    "series": {"预算执行率": {"子项目": [{"执行数": 90, "预算数": 100}, {"执行数": 30, "预算数": 60}]},
               "支出进度": {"进度": {"2022": "80%", "2023": "90%", "2024": "85%"}},
               "收入增长": {"收入2023": 100, "收入2024": 105}, "满意度趋势": {"满意度": {"2022": "80%", "2023": "85%",
                                                                                   "2024": "92%"}}},
    "nodata_judged": {"共用": {"上年评价得分": 85},
                      "支出增长控制": {"本年支出": "1080 万元", "违规支出": 0, "无数据得分": "2.5", "理由": "上年决算未取得"},
                      "满意度": {"满意率": "90%"}, "整改提升": {"本年评价得分": 88},
                      "预决算信息公开": {"预算公开及时率": "80%", "决算公开及时率": "100%"}},
    "pools": {"项目验收": {"选用": "竣工验收"}, "竣工验收": {"验收合格率": "96%"},
              "社会效益": {"得分": 4, "理由": "带动就业120人"}, "经济效益": {"得分": "4.5", "理由": "年增收300万元"},
              "窗口服务": {"窗口达标率": "80%"}, "网上服务": {"网办达标率": "90%"}, "上门服务": {"上门达标率": "90%"}},
}
CASES = [_kind(name) for name in KINDS] + [(SCORE_CASES / f"{name}.idsl", inputs) for name, inputs in OTHERS.items()]
IDS = KINDS + list(OTHERS)


def blanked(inputs: dict) -> Iterator[tuple[str, dict, dict, dict]]:
    """Every value the inputs give, in turn: where it is, and the inputs with it "", null and left out (an element
    of a list, 要素 or a questionnaire's counts, left out leaves the whole list out: it is not given in full)."""
    for where, path in _places(inputs, ()):
        empty, null, gone = (copy.deepcopy(inputs) for _ in range(3))
        _set(empty, path, "  ")
        _set(null, path, None)
        _drop(gone, path)
        yield where, empty, null, gone


def _places(value: Any, path: tuple) -> Iterator[tuple[str, tuple]]:
    """Each value given, as (where, path): an indicator's object, its fields, and within them a part's object, a
    series' years, each sub-project's object and each element of a list."""
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, item in items:
        here = path + (key,)
        yield ".".join(map(str, here)), here
        yield from _places(item, here)


def _set(data: Any, path: tuple, value: Any) -> None:
    for step in path[:-1]:
        data = data[step]
    data[path[-1]] = value


def _drop(data: Any, path: tuple) -> None:
    """The value at `path` left out: a key deleted; a sub-project's object emptied (the others keep their
    numbers); an element of a list of values, the key holding the list."""
    while isinstance(path[-1], int) and not isinstance(_at(data, path), dict):
        path = path[:-1]
    if isinstance(path[-1], int):
        _set(data, path, {})
    else:
        del _at(data, path[:-1])[path[-1]]


def _at(data: Any, path: tuple) -> Any:
    for step in path:
        data = data[step]
    return data


def outcome(plan, inputs: dict, allow_missing: bool) -> tuple:
    result = idsl.score(plan, read_inputs({"inputs": inputs}), allow_missing=allow_missing)
    return ([(e.path, e.field, e.message, e.hint) for e in result.errors],
            [(n.key, n.status, n.score, n.reason) for n in result.nodes], result.total, result.grade)


@pytest.mark.parametrize("allow_missing", [False, True])
@pytest.mark.parametrize(("spec", "inputs"), CASES, ids=IDS)
def test_a_blank_value_reads_as_the_key_left_out(spec, inputs, allow_missing):
    plan = idsl.load(spec)
    assert not outcome(plan, inputs, allow_missing)[0], "the case's inputs score without errors"
    for where, empty, null, gone in blanked(inputs):
        left_out = outcome(plan, gone, allow_missing)
        assert outcome(plan, empty, allow_missing) == left_out, where
        assert outcome(plan, null, allow_missing) == left_out, where


def test_the_defect_as_reported_a_blank_number_is_a_missing_input_and_allow_missing_leaves_it_unscored():
    plan = idsl.load(sorted((ROOT / "specs").glob("001_*.idsl"))[0])
    data = loads((EXAMPLES / "001_inputs.json").read_text(encoding="utf-8"))
    data.pop("recorded")
    data["inputs"]["编制人员控制率"]["在职人员数"] = ""
    data["inputs"]["临聘人员控制率"]["临聘人员实际数量"] = None
    strict = idsl.score(plan, read_inputs(data))
    assert [(e.field, e.message, e.hint) for e in strict.errors] == [
        ("在职人员数", "缺少输入。", "在“编制人员控制率”下填“在职人员数”（数量，单位人）。"),
        ("临聘人员实际数量", "缺少输入。", "在“临聘人员控制率”下填“临聘人员实际数量”（数量，单位人）。")]
    lenient = idsl.score(plan, read_inputs(data), allow_missing=True)
    assert not lenient.errors
    assert {n.name: n.status for n in lenient.nodes if n.name in ("编制人员控制率", "临聘人员控制率")} == {
        "编制人员控制率": "missing", "临聘人员控制率": "missing"}


def test_a_blank_questionnaire_says_what_to_fill():
    """001's 综合满意率 left out: the error says how many questions and which options' counts to give."""
    plan = idsl.load(sorted((ROOT / "specs").glob("001_*.idsl"))[0])
    data = loads((EXAMPLES / "001_inputs.json").read_text(encoding="utf-8"))
    data.pop("recorded")
    data["inputs"]["服务对象满意度"]["综合满意率"] = None
    [error] = idsl.score(plan, read_inputs(data)).errors
    assert (error.field, error.message, error.hint) == (
        "综合满意率", "缺少输入。", "在“服务对象满意度”下填“综合满意率”：10 题，每题依次填选 A、B、C、D 的人数（没人选的填 0）。")


def test_words_where_a_number_belongs_are_still_a_type_error():
    plan = idsl.load(sorted((ROOT / "specs").glob("001_*.idsl"))[0])
    result = idsl.score(plan, read_inputs({"inputs": {"编制人员控制率": {"在职人员数": "不详", "编制数": 44}}}),
                        allow_missing=True)
    assert [(e.field, e.message) for e in result.errors] == [("在职人员数", "应填一个数，这里是 “不详”。")]


def test_a_blank_optional_figure_scores_what_its_no_data_line_says():
    plan = idsl.load(SCORE_CASES / "nodata_judged.idsl")
    inputs = copy.deepcopy(OTHERS["nodata_judged"])
    inputs["满意度"]["满意率"] = ""  # 无数据时 不适用
    inputs["共用"]["上年评价得分"] = None  # 整改提升: 无数据时 不适用, where 不适用 得满分
    inputs["预决算信息公开"]["预算公开及时率"] = " "  # 无数据时 得 1 分
    result = idsl.score(plan, read_inputs({"inputs": inputs}))
    assert not result.errors
    rows = {n.name: (n.status, n.score) for n in result.nodes}
    assert rows["支出增长控制"] == ("scored", Decimal("2.5"))  # 上年支出 left out: 无数据得分
    assert rows["满意度"][0] == "not_applicable" and rows["整改提升"] == ("scored", Decimal(4))
    assert rows["预决算信息公开"] == ("scored", Decimal(1))


def test_a_batch_row_moved_from_json_takes_a_blank_as_an_empty_cell():
    plan = idsl.load(SCORE_CASES / "nodata_judged.idsl")
    row = row_from_json(plan, {"unit": "甲", "inputs": {"满意度": {"满意率": None}, "共用": {"上年评价得分": None}}})
    assert row["效益/满意度.满意率"] == "" and row["共用.上年评价得分"] == ""


BATCH_CASES = ["checklist", "questionnaire", "discretionary", "choice_parts", "form", "by_class", "series",
               "nodata_judged", "pools"]


@pytest.mark.parametrize("allow_missing", [False, True])
@pytest.mark.parametrize("name", BATCH_CASES)
def test_the_same_unit_as_a_batch_row_scores_as_its_json_in_both_engines(tmp_path, name, allow_missing):
    spec, inputs = CASES[IDS.index(name)]
    plan = idsl.load(spec)
    units = {}
    for number, (where, empty, null, _gone) in enumerate(blanked(inputs)):
        units[f"甲{number}"] = (where, empty)
        units[f"乙{number}"] = (where, null)
    rows = [row_from_json(plan, {"unit": unit, "inputs": given}) for unit, (_where, given) in units.items()]
    by_duckdb, _by_python = score_with_both_engines(plan, unit_table(tmp_path, plan, rows), tmp_path, allow_missing)
    with open(tmp_path / "a.csv", encoding="utf-8-sig", newline="") as stream:
        scored = {row["单位"]: row for row in csv.DictReader(stream)}
    refused = {e.unit for e in by_duckdb.errors}
    leaves = [n.key for n in plan.leaves()]
    for unit, (where, given) in units.items():
        result = idsl.score(plan, read_inputs({"inputs": given}), allow_missing=allow_missing)
        assert (unit in refused) == bool(result.errors), (unit, where, [str(e) for e in result.errors])
        if result.errors:
            continue
        rows_of = {n.key: n for n in result.nodes}
        got = scored[unit]
        assert {key: Decimal(got[key]) if got[key] else None for key in leaves} == {
            key: rows_of[key].score for key in leaves}, (unit, where)
        if allow_missing:
            listed = got[UNSCORED].split(UNSCORED_SEPARATOR) if got[UNSCORED] else []
            assert listed == [key for key in leaves if rows_of[key].status == "missing"], (unit, where)


def test_a_recorded_score_left_blank_was_not_recorded():
    plan = idsl.load(sorted((ROOT / "specs").glob("001_*.idsl"))[0])
    data = loads((EXAMPLES / "001_inputs.json").read_text(encoding="utf-8"))
    data["recorded"] = {"重点支出安排率": None, "总分": " ", "决策": 14}
    result = idsl.score(plan, read_inputs(data))
    assert not result.errors and [(d.key, d.recorded) for d in result.audit if d.difference] == []
    assert read_inputs(data).recorded == {"决策": 14}


WORKBOOK_CASES = ["checklist", "questionnaire", "discretionary", "choice_parts", "form", "by_class", "nodata_judged"]


@pytest.mark.parametrize("name", WORKBOOK_CASES)
def test_the_same_unit_in_the_input_workbook_scores_as_its_json(tmp_path, name):
    """Each value left blank in the generated workbook (filled as an evaluator would, openpyxl) reads as the JSON
    with it null: a blank questionnaire count or 要素 cell is the field not given, never 0 or an error of its own."""
    from test_xlsx import fill

    from idsl.io.workbook import locate, read_workbook

    spec, inputs = CASES[IDS.index(name)]
    plan = idsl.load(spec)
    for number, (where, _empty, null, _gone) in enumerate(blanked(inputs)):
        path = tmp_path / f"{number}.xlsx"
        fill(plan, {"inputs": null}).save(path)
        given = read_workbook(plan, path)
        for allow_missing in (False, True):
            result = locate(idsl.score(plan, given, allow_missing=allow_missing), given)
            got = ([(e.path, e.field, e.message, e.hint) for e in result.errors],
                   [(n.key, n.status, n.score, n.reason) for n in result.nodes], result.total, result.grade)
            assert got == outcome(plan, null, allow_missing), (where, allow_missing)


def test_a_blank_count_or_element_in_the_workbook_is_missing_at_its_own_cell(tmp_path):
    """The defects as reported: a blank tally cell read as 0, a blank 要素 cell an error even with --allow-missing."""
    from test_xlsx import fill

    from idsl.io.workbook import locate, read_workbook

    for name, field, blank in [("questionnaire", "综合满意率", [[6, 0, 0, 0], [6, 0, 0, 0], [5, 1, None, 0]]),
                               ("checklist", "要素", ["是", None, "否"])]:
        spec, inputs = CASES[IDS.index(name)]
        plan = idsl.load(spec)
        key = next(iter(inputs))
        given_inputs = copy.deepcopy(inputs)
        given_inputs[key][field] = blank
        path = tmp_path / f"{name}.xlsx"
        fill(plan, {"inputs": given_inputs}).save(path)
        given = read_workbook(plan, path)
        strict = locate(idsl.score(plan, given), given)
        cell = "H7" if name == "questionnaire" else "F6"  # the first blank cell: question 3's C, element 2
        assert [(e.field, e.message, e.cell) for e in strict.errors] == [(field, "缺少输入。", cell)]
        lenient = idsl.score(plan, given, allow_missing=True)
        assert not lenient.errors and lenient.node(key).status == "missing"


SHARED_SPEC = """体系 "共用" 总分 6
等级 优：总分 ≥ 5.4；良：4.8 ≤ 总分 < 5.4；差：总分 < 4.8

输入 预算总额：金额 万元

预算执行（6）
  预算调整率（3）
    解释 预算调整数与预算总额的比率。
    输入 调整数：金额 万元 可负
    偏离 |调整数 / 预算总额| 目标 0%，每 1%（四舍五入取整）扣 0.5 分，超过 6% 不得分
  结余率（3）
    解释 结余与预算总额的比率。
    输入 结余：金额 万元
    分档 结余 / 预算总额：结余 / 预算总额 ≤ 5% 得满分；5% < 结余 / 预算总额 ≤ 10% 得 1.5 分；结余 / 预算总额 > 10% 不得分
"""


@pytest.mark.parametrize("shared", [None, "不详"])
def test_a_blank_or_refused_shared_input_read_by_two_leaves_is_one_error_under_its_name_as_in_the_batch(
        tmp_path, shared):
    spec = tmp_path / "shared.idsl"
    spec.write_text(SHARED_SPEC, encoding="utf-8")
    plan = idsl.load(spec)
    inputs = {"共用": {"预算总额": shared}, "预算调整率": {"调整数": -5}, "结余率": {"结余": 6}}
    result = idsl.score(plan, read_inputs({"inputs": inputs}))
    expected = (("缺少输入。", "在“共用”下填“预算总额”。") if shared is None else
                ("应填一个数，这里是 “不详”。", None))
    assert [(e.path, e.field, e.message, e.hint) for e in result.errors] == [("共用", "预算总额", *expected)]
    row = row_from_json(plan, {"unit": "甲", "inputs": inputs})
    by_duckdb, by_python = score_with_both_engines(plan, unit_table(tmp_path, plan, [row]), tmp_path, False)
    for listing in (by_duckdb, by_python):  # a cell that is no number is worded by the batch's own cell rule
        assert [(e.column, e.message if shared is None else "") for e in listing.errors] == [
            ("共用.预算总额", f"{expected[0]}（{expected[1]}）" if shared is None else "")]


def test_a_grade_recorded_for_a_spec_without_grades_is_one_error_in_every_reader(tmp_path):
    """It was counted as audited and never compared; now the JSON, the input workbook and both batch engines refuse
    it alike, naming the recorded grade, and the templates offer no cell for it."""
    from test_xlsx import fill

    from idsl.io.columns import NO_GRADES, unit_columns
    from idsl.io.workbook import locate, read_workbook
    from idsl.render.workbook import template_workbook

    spec = SCORE_CASES / "places.idsl"
    plan = idsl.load(spec)
    assert not plan.grades
    data = loads((SCORE_CASES / "places.inputs.json").read_text(encoding="utf-8"))
    data["recorded"] = {"等级": "优"}
    by_json = idsl.score(plan, read_inputs(data))
    assert [(e.path, e.field, e.message, e.hint) for e in by_json.errors] == [("等级", "recorded", *NO_GRADES)]
    data["recorded"] = {"等级": " "}  # left blank: nothing recorded, no error
    assert not idsl.score(plan, read_inputs(data)).errors
    # the templates have no 等级 row or column for it; a workbook made when the spec had grades still may
    assert "等级.记录得分" not in [c.header for c in unit_columns(plan, audit=True)]
    assert not [row for row in openpyxl_rows(template_workbook(plan)) if str(row[-1]).startswith("grade\t")]
    graded = tmp_path / "graded.idsl"
    graded.write_text(spec.read_text(encoding="utf-8").replace("小数 2 位\n", "小数 2 位\n等级 优：总分 ≥ 12；差：总分 < 12\n"),
                      encoding="utf-8")
    book = fill(idsl.load(graded), dict(data, recorded={"等级": "优"}))
    book.save(tmp_path / "old.xlsx")
    given = read_workbook(plan, tmp_path / "old.xlsx")
    by_workbook = locate(idsl.score(plan, given), given)
    assert [(e.path, e.field, e.message, e.hint) for e in by_workbook.errors] == [("等级", "recorded", *NO_GRADES)]
    assert by_workbook.errors[0].cell is not None
    rows = [dict(row_from_json(plan, {"unit": "甲", "inputs": data["inputs"]}), **{"等级.记录得分": grade})
            for grade in ("优", "")]
    rows[1]["单位"] = "乙"
    units = rows_csv(tmp_path, rows)
    by_duckdb, by_python = score_with_both_engines(plan, units, tmp_path, False)
    for listing in (by_duckdb, by_python):
        assert [(e.unit, e.column, e.message) for e in listing.errors] == [
            ("甲", "等级.记录得分", f"{NO_GRADES[0]}（{NO_GRADES[1]}）")]


def openpyxl_rows(workbook: bytes) -> list[tuple]:
    import io

    import openpyxl

    return list(openpyxl.load_workbook(io.BytesIO(workbook))["输入"].iter_rows(values_only=True))
