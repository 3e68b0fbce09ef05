"""A recorded grade is checked alike in every reader: the JSON inputs (idsl score and idsl audit), the input
workbook, and a batch's 等级.记录得分 in CSV, Excel and Parquet, in both engines — one of the spec's grades as it
writes them (blanks at either end stripped) is compared with the computed grade, any other is one input error
in the same words (io.columns.grade_problem), never an audit difference."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import duckdb
import openpyxl
import pytest
from click.testing import CliRunner

from plans import rows_csv, score_with_both_engines

import idsl
from idsl.cli import main
from idsl.engines.cellwords import with_hint
from idsl.engines.rows import row_from_json
from idsl.io.columns import NO_GRADES, grade_problem, long_grade, unknown_grade
from idsl.io.inputfile import MAX_NAME
from idsl.io.inputs import read_inputs
from idsl.io.workbook import locate, read_workbook
from idsl.semantics.numbers import loads

ROOT = Path(__file__).resolve().parent.parent
SCORE_CASES = ROOT / "tests" / "cases" / "score"
GRADES = ("优", "差")  # places.idsl's total is 0.00: 差


@pytest.fixture
def graded(tmp_path) -> tuple[Path, object, dict]:
    """places.idsl with two grades, and its inputs."""
    spec = tmp_path / "graded.idsl"
    text = (SCORE_CASES / "places.idsl").read_text(encoding="utf-8")
    spec.write_text(text.replace("小数 2 位\n", "小数 2 位\n等级 优：总分 ≥ 12；差：总分 < 12\n"), encoding="utf-8")
    data = loads((SCORE_CASES / "places.inputs.json").read_text(encoding="utf-8"))
    return spec, idsl.load(spec), data


def test_the_problem_of_a_recorded_grade_is_worded_once():
    assert grade_problem("优", GRADES) is None
    assert grade_problem(" 差\u3000\t", GRADES) is None  # blanks at either end, as every text cell is read
    assert grade_problem("特优", GRADES) == unknown_grade("特优", GRADES) == (
        "记录的等级“特优”不是本体系的等级。", "应是 优、差 之一；不比对等级就留空。")
    assert grade_problem(" 特优 ", GRADES) == unknown_grade("特优", GRADES)
    assert grade_problem("优秀", GRADES) is not None and grade_problem("ＡA", ("A",)) is not None  # compared exactly
    assert grade_problem("优", ()) == NO_GRADES


def test_a_grade_the_spec_does_not_have_is_an_input_error_of_the_json_inputs(graded, tmp_path):
    """It was an audit difference (特优 recorded, 差 computed); now it is the input error the workbooks gave."""
    spec, plan, data = graded
    by_json = idsl.score(plan, read_inputs(dict(data, recorded={"等级": "特优"})))
    assert [(e.path, e.field, e.message, e.hint) for e in by_json.errors] == [
        ("等级", "recorded", *unknown_grade("特优", GRADES))]
    assert by_json.audit == ()
    padded = idsl.score(plan, read_inputs(dict(data, recorded={"等级": " 差\u3000"})))
    assert (padded.errors, padded.audit) == ((), ())
    other = idsl.score(plan, read_inputs(dict(data, recorded={"等级": "优"})))
    assert other.errors == () and [(d.key, d.recorded, d.computed) for d in other.audit] == [("等级", "优", "差")]
    inputs = tmp_path / "inputs.json"
    inputs.write_text(json.dumps(dict(data, recorded={"等级": "特优"}), ensure_ascii=False, default=str),
                      encoding="utf-8")
    run = CliRunner().invoke(main, ["audit", str(spec), str(inputs)])
    assert run.exit_code == 1 and "等级 › 记录等级" in run.output and "记录的等级“特优”不是本体系的等级" in run.output
    assert "应是 优、差 之一" in run.output, run.output
    as_json = json.loads(CliRunner().invoke(main, ["audit", str(spec), str(inputs), "--format", "json"]).stdout)
    assert [(e["path"], e["message"]) for e in as_json["errors"]] == [("等级", unknown_grade("特优", GRADES)[0])]
    assert as_json["audit"] == []


def test_the_input_workbook_gives_the_same_error_at_its_cell(graded, tmp_path):
    from test_xlsx import fill

    _spec, plan, data = graded
    fill(plan, dict(data, recorded={"等级": "特优"})).save(tmp_path / "filled.xlsx")
    given = read_workbook(plan, tmp_path / "filled.xlsx")
    assert given.errors == ()  # the reader passes it on, as a JSON file's
    result = locate(idsl.score(plan, given), given)
    assert [(e.path, e.field, e.message, e.hint) for e in result.errors] == [
        ("等级", "recorded", *unknown_grade("特优", GRADES))]
    assert result.errors[0].cell is not None and result.audit == ()


@pytest.mark.parametrize("suffix", ["csv", "xlsx", "parquet"])
def test_a_batch_lists_it_alike_in_both_engines(graded, tmp_path, suffix):
    """The row is refused with the interpreter's words at 等级.记录得分; a grade of the spec, blanks stripped, is
    compared as before (an audit difference for 优, none for 差)."""
    _spec, plan, data = graded
    grades = {"甲": "特优", "乙": " 差 ", "丙": "优", "丁": "", "戊": "优秀"}
    rows = [dict(row_from_json(plan, {"unit": unit, "inputs": data["inputs"]}), **{"等级.记录得分": grade})
            for unit, grade in grades.items()]
    units = _batch(tmp_path, rows, suffix)
    by_duckdb, by_python = score_with_both_engines(plan, units, tmp_path, False)
    for listing in (by_duckdb, by_python):
        assert [(e.unit, e.column, e.message) for e in listing.errors] == [
            (unit, "等级.记录得分", with_hint(*unknown_grade(grades[unit], GRADES))) for unit in ("甲", "戊")]
    with open(tmp_path / "a.csv", encoding="utf-8-sig", newline="") as stream:
        differences = {row["单位"]: row["等级.差异"] for row in csv.DictReader(stream)}
    assert differences == {"乙": "", "丙": "优", "丁": ""}


LONG = "优" * (MAX_NAME + 1)


def test_a_recorded_grade_is_bounded_in_the_words_of_a_batch():
    """Longer than a unit's name may be, a recorded grade is that one error, before it is compared; the words
    are the batch's (等级有 N 个字), the hint the spec's grades (or NO_GRADES's, for a spec without them)."""
    assert grade_problem(LONG, GRADES) == long_grade(MAX_NAME + 1, GRADES) == (
        f"等级有 {MAX_NAME + 1} 个字，最多 {MAX_NAME} 个。", "应是 优、差 之一；不比对等级就留空。")
    assert grade_problem(f" {LONG}\u3000", GRADES) == long_grade(MAX_NAME + 1, GRADES)  # blanks are not counted
    assert grade_problem(LONG, ()) == (long_grade(MAX_NAME + 1, ())[0], NO_GRADES[1])
    assert grade_problem(LONG[1:], GRADES) == unknown_grade(LONG[1:], GRADES)  # 200 characters: compared


def test_a_long_recorded_grade_is_one_error_in_the_json_inputs_and_the_input_workbook(graded, tmp_path):
    from test_xlsx import fill

    spec, plan, data = graded
    by_json = idsl.score(plan, read_inputs(dict(data, recorded={"等级": LONG})))
    assert [(e.path, e.field, e.message, e.hint) for e in by_json.errors] == [
        ("等级", "recorded", *long_grade(MAX_NAME + 1, GRADES))]
    inputs = tmp_path / "inputs.json"
    inputs.write_text(json.dumps(dict(data, recorded={"等级": LONG}), ensure_ascii=False, default=str), encoding="utf-8")
    run = CliRunner().invoke(main, ["audit", str(spec), str(inputs)])
    assert run.exit_code == 1 and f"等级有 {MAX_NAME + 1} 个字" in run.output and LONG not in run.output, run.output
    fill(plan, dict(data, recorded={"等级": LONG})).save(tmp_path / "filled.xlsx")
    given = read_workbook(plan, tmp_path / "filled.xlsx")
    result = locate(idsl.score(plan, given), given)
    assert [(e.path, e.field, e.message, e.hint) for e in result.errors] == [
        ("等级", "recorded", *long_grade(MAX_NAME + 1, GRADES))]
    assert result.errors[0].cell is not None


@pytest.mark.parametrize("suffix", ["csv", "parquet"])
def test_a_batch_bounds_a_recorded_grade_with_the_same_hint_in_both_engines(graded, tmp_path, suffix):
    _spec, plan, data = graded
    rows = [dict(row_from_json(plan, {"unit": "甲", "inputs": data["inputs"]}), **{"等级.记录得分": LONG})]
    by_duckdb, by_python = score_with_both_engines(plan, _batch(tmp_path, rows, suffix), tmp_path, False)
    for listing in (by_duckdb, by_python):
        assert [(e.unit, e.column, e.message) for e in listing.errors] == [
            ("甲", "等级.记录得分", with_hint(*long_grade(MAX_NAME + 1, GRADES)))]


def _batch(folder: Path, rows: list[dict], suffix: str) -> Path:
    """The rows as a batch file: CSV, the first sheet of a workbook, or Parquet (from the CSV, all text)."""
    units = rows_csv(folder, rows)
    if suffix == "xlsx":
        book = openpyxl.Workbook()
        sheet = book.active
        sheet.append(list(rows[0]))
        for row in rows:
            sheet.append([value or None for value in row.values()])
        book.save(folder / "units.xlsx")
    elif suffix == "parquet":
        duckdb.execute(f"COPY (SELECT * FROM read_csv('{units}', all_varchar = true)) "
                       f"TO '{folder / 'units.parquet'}' (FORMAT parquet)")
    return folder / f"units.{suffix}"
