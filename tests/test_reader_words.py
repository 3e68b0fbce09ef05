"""The same bad input reads the same in every reader: the JSON inputs (idsl score, idsl audit), the input workbook
and a batch on either engine (and on Spark, which checks its cells in DuckDB) give one message, worded once, at
the same place — a recorded score that is no number, a rate written 约95, a unit's name too long, a 记录得分
column naming no indicator, a 理由 that 扣分须说明理由 asks for; and a result with no total says nothing of one."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from plans import rate_and_count, rows_csv, score_with_both_engines

import idsl
from idsl.cli import main
from idsl.engines.batch import score_file
from idsl.engines.cellwords import with_hint
from idsl.engines.rows import row_from_json
from idsl.io.columns import recorded_not_a_number, unit_columns
from idsl.io.inputfile import MAX_NAME, long_unit
from idsl.io.inputs import read_inputs, reason_below
from idsl.io.values import not_a_number, stray_comma
from idsl.io.workbook import locate, read_workbook
from idsl.semantics.numbers import loads

ROOT = Path(__file__).resolve().parent.parent
SPEC = '体系 "例" 总分 10\n等级 优：总分 ≥ 9；差：总分 < 9\n' + rate_and_count(reasons=True)
CLEAN = {"产出/完成率": {"完成率": "100%"}, "产出/数量": {"数": 12}}  # 10 points, 优: no 理由 needed


@pytest.fixture
def plan(tmp_path):
    spec = tmp_path / "spec.idsl"
    spec.write_text(SPEC, encoding="utf-8")
    return idsl.load(spec)


def by_json(plan, data: dict) -> list[tuple]:
    """The errors of one unit read from a JSON inputs object: (path, field, message, hint)."""
    result = idsl.score(plan, read_inputs(loads(json.dumps(data, ensure_ascii=False))))
    return [(e.path, e.field, e.message, e.hint) for e in result.errors]


def by_workbook(plan, data: dict, folder: Path) -> list[tuple]:
    """The errors of the same unit typed into the input workbook: (path, field, message, hint), each at a cell."""
    from test_xlsx import fill

    fill(plan, data).save(folder / "filled.xlsx")
    given = read_workbook(plan, folder / "filled.xlsx")
    result = locate(idsl.score(plan, given), given)
    assert all(e.cell is not None for e in result.errors)
    return [(e.path, e.field, e.message, e.hint) for e in result.errors]


def by_batch(plan, rows: list[dict], folder: Path) -> list[tuple]:
    """The problems of a batch CSV of `rows`, the same from DuckDB and the interpreter: (unit, column, message)."""
    by_duckdb, by_python = score_with_both_engines(plan, rows_csv(folder, rows), folder, False)
    listed = [(e.unit, e.column, e.message) for e in by_duckdb.errors]
    assert [(e.unit, e.column, e.message) for e in by_python.errors] == listed
    return listed


def cells(plan, unit: str = "甲", inputs: dict | None = None, **extra: str) -> dict[str, str]:
    """A batch row of the unit's inputs (every column of the plan, the 理由 blank unless given) and `extra` cells."""
    row = dict.fromkeys((c.header for c in unit_columns(plan)), "")
    return {**row, **row_from_json(plan, {"unit": unit, "inputs": inputs or CLEAN}), **extra}


def test_a_recorded_score_that_is_no_number(plan, tmp_path):
    words = recorded_not_a_number("“五分”")
    assert words == ("记录的得分应是一个数，这里是 “五分”。", "填报告记录的分数，如 3.5；没有记录的留空。")
    data = {"inputs": CLEAN, "recorded": {"产出/完成率": "五分"}}
    assert by_json(plan, data) == by_workbook(plan, data, tmp_path) == [("产出/完成率", "recorded", *words)]
    assert by_batch(plan, [cells(plan, **{"产出/完成率.记录得分": "五分"})], tmp_path) == [
        ("甲", "产出/完成率.记录得分", with_hint(*words))]


@pytest.mark.parametrize("written", ["约95", "约95%"])
def test_a_rate_written_with_words_around_its_figure(plan, tmp_path, written):
    """It was 数字只能用 0–9 书写 in JSON (the figures are 0–9 here): now a number is asked for, as a batch asks."""
    words = not_a_number(plan.find("完成率").leaf.own_inputs[0], f"“{written}”", written, False)
    assert words == (f"应填一个数，这里是 “{written}”。", "应填一个带 % 的比率，如 95%。")
    data = {"inputs": dict(CLEAN, **{"产出/完成率": {"完成率": written}})}
    assert by_json(plan, data) == by_workbook(plan, data, tmp_path) == [("产出/完成率", "完成率", *words)]
    assert by_batch(plan, [cells(plan, **{"产出/完成率.完成率": written})], tmp_path) == [
        ("甲", "产出/完成率.完成率", with_hint(*words))]
    assert by_json(plan, {"inputs": dict(CLEAN, **{"产出/完成率": {"完成率": "９５%"}})})[0][2] == (
        "数字只能用 0–9 书写，这里是 “９５%”。")  # full-width figures keep their own words


@pytest.mark.parametrize("written", ["1,0", "95,5%", "很多，很多"])
def test_a_comma_that_parts_no_thousands(plan, tmp_path, written):
    """The JSON file added 逗号只能用作千位分隔 to its message, the batch said only 应填一个数: now one function words
    it, and the DuckDB check words a cell with no figure in it (很多，很多) in SQL, as the interpreter does."""
    words = stray_comma(f"“{written}”")
    assert words == (f"应填一个数，这里是 “{written}”。", "逗号只能用作千位分隔，如 1,000。")
    for field, column in (("完成率", "产出/完成率"), ("数", "产出/数量")):
        data = {"inputs": dict(CLEAN, **{column: {field: written}})}
        assert by_json(plan, data) == by_workbook(plan, data, tmp_path) == [(column, field, *words)]
    rows = [cells(plan, **{"产出/完成率.完成率": written}), cells(plan, "乙", **{"产出/数量.数": written}),
            cells(plan, "丙", **{"产出/数量.数": "1,000"})]  # thousands parted: a number
    assert by_batch(plan, rows, tmp_path) == [("甲", "产出/完成率.完成率", with_hint(*words)),
                                              ("乙", "产出/数量.数", with_hint(*words))]
    assert by_batch(plan, rows[1:2], tmp_path) == [("乙", "产出/数量.数", with_hint(*words))]  # the fast path alone


def test_a_unit_name_too_long_has_the_same_hint_everywhere(plan, tmp_path):
    name = "单" * (MAX_NAME + 1)
    words = long_unit(MAX_NAME + 1)
    assert words == (f"单位名称有 {MAX_NAME + 1} 个字，最多 {MAX_NAME} 个。", "只写单位的名称。")
    assert by_json(plan, {"unit": name, "inputs": CLEAN}) == [("", "unit", *words)]
    assert by_batch(plan, [cells(plan, unit=name)], tmp_path) == [(name, "单位", with_hint(*words))]


STRAY = "产出/没有.记录得分"  # a 记录得分 column naming no indicator


@pytest.mark.parametrize("suffix", ["csv", "xlsx", "parquet"])
def test_a_recorded_column_naming_no_indicator_refuses_the_rows_that_fill_it(plan, tmp_path, suffix):
    """The batch is scored, as a JSON file naming no indicator in its "recorded" is read: a row giving a value there
    has that one error, at the column, in the JSON reader's words; a row leaving it blank is scored."""
    from test_recorded_grade import _batch

    words = by_json(plan, {"inputs": CLEAN, "recorded": {"产出/没有": "3"}})
    assert words == [("产出/没有", "recorded", "体系里没有这个指标。", "是不是“产出/数量”？")]
    assert by_json(plan, {"inputs": CLEAN, "recorded": {"产出/没有": "五分"}}) == words  # what it names, first
    rows = [cells(plan, **{STRAY: "3"}), cells(plan, "乙", **{STRAY: ""}),
            cells(plan, "丙", **{STRAY: " 五分 ", "产出/完成率.完成率": "约95"})]
    units = _batch(tmp_path, rows, suffix)
    by_duckdb, by_python = score_with_both_engines(plan, units, tmp_path, False)
    stray = with_hint(*words[0][2:])
    for listing in (by_duckdb, by_python):
        assert [(e.unit, e.column, e.message) for e in listing.errors] == [
            ("甲", STRAY, stray),
            ("丙", "产出/完成率.完成率", with_hint(*not_a_number(plan.find("完成率").leaf.own_inputs[0], "“约95”",
                                                                  "约95", False))),
            ("丙", STRAY, stray)]
    with open(tmp_path / "a.csv", encoding="utf-8-sig", newline="") as stream:
        assert [(row["单位"], row["总分"], row["等级"]) for row in csv.DictReader(stream)] == [("乙", "10.00", "优")]


def test_any_other_unknown_column_still_refuses_the_file(plan, tmp_path):
    from idsl.io.tables import BatchError

    for heading in ("产出/没有.数", "完成率.记录得分"):  # an input; a 记录得分 by a bare name, not a column's
        with pytest.raises(BatchError, match=f"不认识的列：“{heading}”"):
            score_file(plan, rows_csv(tmp_path, [cells(plan, **{heading: "3"})]), tmp_path / "a.csv")


REASONLESS = {"产出/完成率": {"完成率": "90%"}, "产出/数量": {"数": 12}}  # 5.4 of 6, no 理由


def test_a_missing_reason_is_listed_under_the_reason_to_fill(plan, tmp_path):
    """扣分须说明理由: the DuckDB engine listed it under the leaf's column, the interpreter under its 理由, with
    the JSON file's hint (加上 "理由": "…"); now under the 理由 column in both, in words every reader shares."""
    words = reason_below(6)
    assert words == ("得分低于分值6分，须写“理由”（扣分原因）。", "写明扣分的依据，如发现的问题。")
    data = {"inputs": REASONLESS}
    assert by_json(plan, data) == by_workbook(plan, data, tmp_path) == [("产出/完成率", "理由", *words)]
    rows = [cells(plan, inputs=REASONLESS), cells(plan, "乙", inputs=REASONLESS, **{"产出/完成率.理由": "进度滞后"}),
            cells(plan, "丙", inputs=REASONLESS, **{"产出/数量.数": "很多"})]
    assert by_batch(plan, rows, tmp_path) == [
        ("甲", "产出/完成率.理由", with_hint(*words)),
        ("丙", "产出/数量.数", "应填一个数，这里是 “很多”。（“数”是定量指标的实际完成值，填数，例如 \"100个\"；"
                            "“完成”“基本完成”之类的判断用于定性指标，定性指标选档次（如 达成 / 部分达成 / 未达成）并在档内给分。）")]
    # 丙 is refused at its cell and not scored, so neither engine asks for the 理由 its score would need


@pytest.fixture(scope="module")
def spark():
    from idsl.engines.spark import session  # one session for the module: starting Spark takes seconds

    return session("local[2]")


def test_spark_lists_them_as_duckdb_does(plan, tmp_path, spark):
    rows = [cells(plan, inputs=REASONLESS), cells(plan, "乙", **{STRAY: "3"}), cells(plan, "丙", **{STRAY: ""})]
    rows = [dict(row, **{STRAY: row.get(STRAY, "")}) for row in rows]
    units = rows_csv(tmp_path, rows)
    listed = {}
    for engine in ("duckdb", "spark"):
        summary = score_file(plan, units, tmp_path / f"{engine}.csv", engine=engine)
        listed[engine] = [(e.unit, e.column, e.message) for e in summary.errors]
    assert listed["spark"] == listed["duckdb"] == [
        ("甲", "产出/完成率.理由", with_hint(*reason_below(6))),
        ("乙", STRAY, "体系里没有这个指标。（是不是“产出/数量”？）")]
    assert (tmp_path / "spark.csv").read_text(encoding="utf-8-sig") == (tmp_path / "duckdb.csv").read_text(
        encoding="utf-8-sig")


def test_a_result_without_a_total_says_nothing_of_one(tmp_path):
    """A --recorded file that is no object leaves no total: the sentences of the vetoes and the 总分上限 that
    changed it went with it; the evaluator's own note on the total stays."""
    spec, inputs = ROOT / "tests/cases/score/vetoes.idsl", ROOT / "tests/cases/score/vetoes.inputs.json"
    recorded = tmp_path / "recorded.json"
    recorded.write_text("[3]", encoding="utf-8")

    def scored(*extra: str) -> dict:
        run = CliRunner().invoke(main, ["score", str(spec), str(inputs), "--format", "json", *extra])
        return json.loads(run.stdout)

    assert "总分上限" in scored()["total_note"]  # beside a total, what changed it
    result = scored("--recorded", str(recorded))
    assert (result["total"], result["total_note"]) == (None, None)
    noted = tmp_path / "noted.json"
    noted.write_text(json.dumps(dict(json.loads(inputs.read_text(encoding="utf-8")), notes={"总分": "评价组意见"}),
                                ensure_ascii=False), encoding="utf-8")
    run = CliRunner().invoke(main, ["score", str(spec), str(noted), "--format", "json", "--recorded", str(recorded)])
    assert (json.loads(run.stdout)["total"], json.loads(run.stdout)["total_note"]) == (None, "评价组意见")
    audited = idsl.score(idsl.load(spec), read_inputs(dict(loads(inputs.read_text(encoding="utf-8")),
                                                           recorded={"没有": 3})))
    assert audited.total is None and audited.total_note is None  # a recorded key the audit cannot compare


@pytest.mark.parametrize("written", ["7e2", "1_000", "1E+1"])
def test_a_number_in_scientific_or_underscored_form_is_no_number_in_any_reader(plan, tmp_path, written):
    """A batch refused 7e2 and 1_000 while the JSON file and the workbook read them as 700 and 1000 (Python's
    Decimal reads both): a figure is written with the digits 0–9, one point and a sign, in every reader."""
    words = not_a_number(plan.find("数量").leaf.own_inputs[0], f"“{written}”", written, True)
    data = {"inputs": dict(CLEAN, **{"产出/数量": {"数": written}})}
    assert by_json(plan, data) == by_workbook(plan, data, tmp_path) == [("产出/数量", "数", *words)]
    assert by_batch(plan, [cells(plan, **{"产出/数量.数": written})], tmp_path) == [
        ("甲", "产出/数量.数", with_hint(*words))]
    recorded = recorded_not_a_number(f"“{written}”")
    data = {"inputs": CLEAN, "recorded": {"产出/完成率": written}}
    assert by_json(plan, data) == by_workbook(plan, data, tmp_path) == [("产出/完成率", "recorded", *recorded)]


@pytest.mark.parametrize("field, column, written, counted", [
    ("数", "产出/数量", "1234567890", True),  # a count: 9 digits at most
    ("完成率", "产出/完成率", "1234567890123%", False),  # any other number: 12
])
def test_a_number_too_large_reads_the_same_in_every_reader(plan, tmp_path, field, column, written, counted):
    """A batch cell said 数值太大：批量评分的数应小于 10^9, the JSON file 数太大：整数部分最多 9 位: now one sentence, with a hint."""
    digits = 9 if counted else 12
    what = "人数、项数等计数" if counted else "输入的数"
    words = (f"{written}：数太大：整数部分最多 {digits} 位。", f"{what}最多 {digits} 位整数；请核对这个数。")
    data = {"inputs": dict(CLEAN, **{column: {field: written}})}
    assert by_json(plan, data) == by_workbook(plan, data, tmp_path) == [(column, field, *words)]
    assert by_batch(plan, [cells(plan, **{f"{column}.{field}": written})], tmp_path) == [
        ("甲", f"{column}.{field}", with_hint(*words))]
    fewer = {"数": "123456789", "完成率": "100%"}[field]  # a count of as many digits as may be: read
    assert by_batch(plan, [cells(plan, **{f"{column}.{field}": fewer})], tmp_path) == []


@pytest.mark.parametrize("field, column, written, places", [
    ("数", "产出/数量", "12.1234567", 7),
    ("完成率", "产出/完成率", "95.1234567%", 7),  # a rate's figure as written, in percent
])
def test_a_number_with_too_many_decimals_reads_the_same_in_every_reader(plan, tmp_path, field, column, written, places):
    """A batch cell said 小数位太多：批量评分的数最多 6 位小数, the JSON file “…”：小数最多 6 位: now one sentence."""
    message = f"{written}：小数最多 6 位，这里有 {places} 位。"
    data = {"inputs": dict(CLEAN, **{column: {field: written}})}
    assert [e[:3] for e in by_json(plan, data)] == [e[:3] for e in by_workbook(plan, data, tmp_path)] == [
        (column, field, message)]
    assert by_batch(plan, [cells(plan, **{f"{column}.{field}": written})], tmp_path) == [("甲", f"{column}.{field}", message)]


JUDGED = ROOT / "examples/kinds/discretionary.idsl"  # 重点工作完成率: 酌情 0～3 分


def judged(score, recorded) -> dict:
    """A unit of the 酌情 example: 重点工作完成率 scored `score` by the evaluator, its report recording `recorded`."""
    return {"inputs": {"重点工作完成率": {"得分": score, "理由": "例"}, "社会经济环境效益": {"得分": 8, "理由": "例"}},
            "recorded": {"重点工作完成率": recorded}}


def audited(plan, data: dict) -> tuple:
    """The leaf's score, the audit's differences and the errors of one unit read from JSON."""
    result = idsl.score(plan, read_inputs(loads(json.dumps(data, ensure_ascii=False))))
    return (str(result.node("预算使用效益/效率性/重点工作完成率").score),
            [(d.key, str(d.recorded), str(d.difference)) for d in result.audit], result.errors)


@pytest.mark.parametrize("score, recorded", [("2分", "3分"), ("2 分", "3\u3000分"), (" 2分 ", "-1 分")])
def test_a_score_written_with_its_points_word_reads_as_its_number(tmp_path, score, recorded):
    """A judged score and a recorded one written 2分 (as a count of findings may be written 2 项) read as 2, in a
    JSON file, a workbook and a batch on either engine: the same scores and 差异 as the bare figures give."""
    plan = idsl.load(JUDGED)
    bare = judged(2, recorded.strip().removesuffix("分").strip())
    expected = audited(plan, bare)
    assert not expected[2] and expected[0] == "2.00"
    assert audited(plan, judged(score, recorded)) == expected
    from test_xlsx import fill

    fill(plan, judged(score, recorded)).save(tmp_path / "filled.xlsx")
    result = idsl.score(plan, read_workbook(plan, tmp_path / "filled.xlsx"))
    assert [(d.key, str(d.recorded), str(d.difference)) for d in result.audit] == expected[1] and not result.errors
    written, figures = tmp_path / "written", tmp_path / "figures"
    for folder, data in ((written, judged(score, recorded)), (figures, bare)):
        folder.mkdir()
        row = row_from_json(plan, dict(data, unit="甲"), audit=True)
        by_duckdb, by_python = score_with_both_engines(plan, rows_csv(folder, [row]), folder, False)
        assert not by_duckdb.errors and not by_python.errors
    assert (written / "a.csv").read_text(encoding="utf-8") == (figures / "a.csv").read_text(encoding="utf-8")


@pytest.mark.parametrize("written", ["2元", "2 万元"])
def test_a_score_in_another_unit_is_refused_naming_points(tmp_path, written):
    """2元 is no score: every reader refuses it in one sentence that names 分, for a judged and a recorded score."""
    plan = idsl.load(JUDGED)
    unit = written.removeprefix("2").strip()
    judged_words = (f"酌情得分以“分”计，这里写了“{unit}”：“{written}”。", '只填分数，例如 "2" 或 "2分"。')
    recorded_words = (f"记录的得分以“分”计，这里写了“{unit}”：“{written}”。", '填报告记录的分数，例如 "2" 或 "2分"。')
    path = "预算使用效益/效率性/重点工作完成率"
    expected = [(path, "得分", *judged_words), (path, "recorded", *recorded_words)]  # the full path, as written or not
    assert by_json(plan, judged(written, written)) == expected
    assert sorted(by_workbook(plan, judged(written, written), tmp_path)) == sorted(expected)
    row = row_from_json(plan, dict(judged(written, written), unit="甲"), audit=True)
    assert sorted(by_batch(plan, [row], tmp_path)) == [
        ("甲", f"{path}.得分", with_hint(*judged_words)), ("甲", f"{path}.记录得分", with_hint(*recorded_words))]


TWO_REASONS = """体系 "例" 总分 4
产出（4）
  公开（4）
    解释 预决算公开。
    分项 预算公开（2）
      评级 优：1.5 分（含）～2 分（含）；良：1 分（含）～1.5 分；差：0 分（含）～1 分，须说明理由
    分项 制度建设（2）
      要素，可酌情
        - 制度健全（1分）
        - 执行有效（1分）
"""


def test_a_reason_two_parts_need_is_one_mistake_listed_once_by_both_engines(tmp_path):
    """A 评级 part scored below its top and a part-scored element both need the leaf's 理由: left blank, the batch
    lists it once, in the words DuckDB's check of that cell tries first, from either engine."""
    spec = tmp_path / "spec.idsl"
    spec.write_text(TWO_REASONS, encoding="utf-8")
    plan = idsl.load(spec)
    data = {"unit": "甲", "inputs": {"产出/公开": {"预算公开": {"等级": "良", "得分": "1.5"}, "理由": "　",
                                                 "制度建设": {"要素": ["1", "0.5"]}}}}
    row = dict.fromkeys((c.header for c in unit_columns(plan)), "") | row_from_json(plan, data)
    assert by_batch(plan, [row], tmp_path) == [("甲", "产出/公开.理由", with_hint(
        "评价人判断给的分（酌情、评级、定性）必须写“理由”（扣分原因）。", "写明这样给分的理由。"))]


@pytest.mark.parametrize("pad", ["\u00a0", " \u00a0\u3000"])
def test_a_figure_pasted_with_an_invisible_blank_reads_as_the_figure(plan, tmp_path, pad):
    """A figure copied from a web page or a Word table often ends in a no-break space (U+00A0): a JSON file and the
    workbook read it as the figure, while a batch refused it as no number (应填一个数，这里是 “1180.5 ”, the culprit
    unseen); both engines now strip it as they strip a space, a tab or the full-width space, and score the row as
    the bare figures."""
    padded = {"产出/完成率": {"完成率": f"{pad}100%{pad}"}, "产出/数量": {"数": f"12{pad}"}}
    assert by_json(plan, {"inputs": padded}) == by_workbook(plan, {"inputs": padded}, tmp_path) == []
    row = cells(plan, **{"产出/完成率.完成率": f"100%{pad}", "产出/数量.数": f"{pad}12"})
    assert by_batch(plan, [row], tmp_path) == []
    bare = tmp_path / "bare"
    bare.mkdir()
    assert by_batch(plan, [cells(plan)], bare) == []
    assert (tmp_path / "a.csv").read_text(encoding="utf-8") == (bare / "a.csv").read_text(encoding="utf-8")
