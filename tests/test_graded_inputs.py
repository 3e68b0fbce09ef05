"""评级 leaves and parts: W521's words on them, and a grade per 评级 part in every input (JSON, workbook, batch)."""

from __future__ import annotations

from decimal import Decimal

import pytest

import idsl
from idsl.check import check
from idsl.engines.batch import score_rows
from idsl.frontend.resolve import load_text
from idsl.frontend.source import Source
from idsl.io.inputs import read_inputs
from idsl.semantics.lower import lower


def _load(text: str):
    loaded = load_text(Source("g.idsl", text))
    return loaded, lower(loaded.spec, loaded.sources)


def _leaf(rule: str) -> str:
    return ('体系 "例" 总分 10\n管理（10）\n  制度执行（10）\n    解释 制度执行是否有效。\n    扣分须说明理由\n'
            + ("    输入 档次：选项 达成/部分达成/未达成\n" if rule.startswith("定性") else "") + f"    {rule}\n")


def _w521(rule: str) -> list[str]:
    loaded, _plan = _load(_leaf(rule))
    return [d.message for d in check(loaded) if d.code == "W521"]


def test_w521_speaks_of_the_rule_that_asks_the_reason():
    assert _w521("酌情") == ["酌情评分本来就须写理由，“扣分须说明理由”是多余的。"]
    assert _w521("定性 档次") == ["定性评为最高档以外的本来就须写理由，“扣分须说明理由”只多要求最高档内未得满分的也写理由。"]
    assert _w521("评级 优：90%～100%；良：75%～90%；差：0～75%，须说明理由") == [
        "评级（须说明理由）评为最高等级以外的本来就须写理由，“扣分须说明理由”只多要求最高等级内未得满分的也写理由。"]


@pytest.mark.parametrize("engine", ("python", "duckdb"))
def test_a_grade_that_asks_no_reason_needs_one_below_the_points_under_the_line(engine):
    rule = "评级 优：90%～100%；良：75%～90%；差：0～75%"
    assert _w521(rule) == []
    _loaded, plan = _load(_leaf(rule))
    row = {"单位": "甲", "管理/制度执行.等级": "优", "管理/制度执行.得分": "9.5"}
    results, errors = score_rows(plan, [row, {**row, "单位": "乙", "管理/制度执行.理由": "台账不全"},
                                        {**row, "单位": "丙", "管理/制度执行.得分": "10"}], engine=engine)
    assert [e.unit for e in errors] == ["甲"] and "理由" in str(errors[0])
    assert {r["单位"]: r["总分"] for r in results if r["总分"] is not None} == {"乙": Decimal("9.5"), "丙": Decimal(10)}


TWO_GRADED = """体系 "例" 总分 10
效益（10）
  综合效益（10）
    解释 社会与经济效益。
    分项 社会效益（6）
      评级 优：90%～100%；良：75%～90%；中：60%～75%；差：0～60%
    分项 经济效益（4）
      评级 达成：100%～80%（含）；部分达成：80%～60%（含）；未达成：60%～0，须说明理由
"""
LEAF = "效益/综合效益"


def test_each_graded_part_gets_its_own_grade_column():
    _loaded, plan = _load(TWO_GRADED)
    from idsl.io.columns import unit_columns

    headers = [c.header for c in unit_columns(plan)]
    assert headers == ["单位", f"{LEAF}.社会效益.等级", f"{LEAF}.社会效益.得分", f"{LEAF}.经济效益.等级",
                       f"{LEAF}.经济效益.得分", f"{LEAF}.理由"]


def test_a_json_input_gives_each_part_its_grade():
    _loaded, plan = _load(TWO_GRADED)
    given = {"综合效益": {"社会效益": {"等级": "良", "得分": 5}, "经济效益": {"等级": "部分达成", "得分": 3}, "理由": "略"}}
    result = idsl.score(plan, read_inputs({"inputs": given}))
    assert not result.errors and result.total == Decimal(8)
    assert result.node(LEAF).reason.startswith("社会效益：评定为“良”（4.5（含）～5.4分）")
    once = {"综合效益": {"等级": "良", "社会效益": {"得分": 5}, "经济效益": {"等级": "达成", "得分": 4}}}
    [error] = idsl.score(plan, read_inputs({"inputs": once})).errors
    assert (error.field, error.message) == ("等级", "有几个分项都要评定等级，请把“等级”写进各分项自己的对象里。")


def _unit(name, social, social_score, economic, economic_score, reason=""):
    return {"单位": name, f"{LEAF}.社会效益.等级": social, f"{LEAF}.社会效益.得分": social_score,
            f"{LEAF}.经济效益.等级": economic, f"{LEAF}.经济效益.得分": economic_score, f"{LEAF}.理由": reason}


@pytest.mark.parametrize("engine", ("python", "duckdb"))
def test_a_batch_reads_a_grade_per_part_in_both_engines(engine):
    _loaded, plan = _load(TWO_GRADED)
    rows = [_unit("甲", "良", "5", "部分达成", "3", "略"), _unit("乙", "良", "5", "达成", "3.5"),
            _unit("丙", "优", "5.5", "未达成", "2"), _unit("丁", "良", "5", "", "3.5"),
            _unit("戊", "好", "5", "达成", "3.5"), _unit("己", "中", "5", "达成", "4")]
    results, errors = score_rows(plan, rows, engine=engine)
    assert {r["单位"]: r["总分"] for r in results if r["总分"] is not None} == {"甲": Decimal(8), "乙": Decimal("8.5")}
    assert sorted((e.unit, e.column, e.message.split("（")[0]) for e in errors) == [
        ("丁", f"{LEAF}.经济效益.等级", "缺少输入。"),
        ("丙", f"{LEAF}.理由", "评价人判断给的分"),
        ("己", f"{LEAF}.社会效益.得分", "“中”档的得分应在 3.6"),
        ("戊", f"{LEAF}.社会效益.等级", "没有这个选项：“好”。"),
    ]


def test_the_input_workbook_has_a_grade_row_per_part_and_reads_it_back(tmp_path):
    import io

    import openpyxl

    from idsl.io.workbook import read_workbook
    from idsl.render.workbook import template_workbook

    _loaded, plan = _load(TWO_GRADED)
    book = openpyxl.load_workbook(io.BytesIO(template_workbook(plan)))
    sheet = book["输入"]
    rows = {row[1].value: row for row in sheet.iter_rows(min_row=2) if row[0].value == LEAF}
    assert list(rows) == ["社会效益.等级", "社会效益.得分", "经济效益.等级", "经济效益.得分", "理由"]
    assert rows["经济效益.等级"][4].value == "A. 达成；B. 部分达成；C. 未达成"
    lists = {dv.formula1 for dv in sheet.data_validations.dataValidation
             if any(rows[f][5].coordinate in dv.sqref for f in ("社会效益.等级", "经济效益.等级"))}
    assert len(lists) == 2  # a drop-down of each part's own grades
    for field, value in {"社会效益.等级": "良", "社会效益.得分": 5, "经济效益.等级": "部分达成", "经济效益.得分": 3,
                         "理由": "略"}.items():
        rows[field][5].value = value
    book.save(tmp_path / "filled.xlsx")
    result = idsl.score(plan, read_workbook(plan, tmp_path / "filled.xlsx"))
    assert not result.errors and result.node(LEAF).score == Decimal(8)
    rows["经济效益.等级"][5].value = None
    book.save(tmp_path / "blank.xlsx")
    given = read_workbook(plan, tmp_path / "blank.xlsx")
    [error] = idsl.score(plan, given).errors
    assert (error.field, given.cells[(LEAF, error.field)]) == ("经济效益.等级", rows["经济效益.等级"][5].coordinate)


def test_a_worked_example_sets_each_part_by_its_path():
    from idsl.engines.worked import run_examples

    example = ("\n示例 良与部分达成\n  设 综合效益/社会效益.等级 = 良\n  设 综合效益/社会效益 = 5\n"
               "  设 综合效益/经济效益.等级 = 部分达成\n  设 综合效益/经济效益 = 3\n  期望 综合效益 = 8\n")
    loaded, plan = _load(TWO_GRADED + example)
    assert [d.code for d in check(loaded)] == []
    assert [r.failures for r in run_examples(plan)] == [()]
    wrong = TWO_GRADED + example.replace("社会效益.等级 = 良", "社会效益.档次 = 良")
    assert [d.message for d in check(_load(wrong)[0])] == ["分项“社会效益”没有“综合效益/社会效益.档次”这样的输入。"]


def _score_checks(plan):
    """The input workbook's 输入 sheet, its rows of LEAF by field, and each value cell's DataValidation."""
    import io

    import openpyxl

    from idsl.render.workbook import template_workbook

    book = openpyxl.load_workbook(io.BytesIO(template_workbook(plan)))
    sheet = book["输入"]
    rows = {row[1].value: row for row in sheet.iter_rows(min_row=2) if row[0].value == LEAF}
    checks = {}
    for field, row in rows.items():
        checks[field] = next((dv for dv in sheet.data_validations.dataValidation if row[5].coordinate in dv.sqref), None)
    return book, sheet, rows, checks


def test_the_input_workbook_checks_a_graded_score_against_the_grade_chosen_above_it():
    _loaded, plan = _load(TWO_GRADED)
    _book, _sheet, rows, checks = _score_checks(plan)
    social, grade = rows["社会效益.得分"][5].coordinate, rows["社会效益.等级"][5].row
    check = checks["社会效益.得分"]
    assert check.type == "custom" and check.showErrorMessage
    assert check.formula1.startswith(f'OR(AND($F${grade}="优",{social}>=5.4,{social}<=6),')
    assert check.error == ("得分应在所选等级的区间内：优 5.4（含）～6（含），良 4.5（含）～5.4，中 3.6（含）～4.5，差 0（含）～3.6；"
                           "先在“等级”一行选等级。")
    assert rows["社会效益.得分"][4].value.endswith("且在所选等级的区间内：优 5.4（含）～6（含），良 4.5（含）～5.4，中 3.6（含）～4.5，"
                                                  "差 0（含）～3.6")
    economic = checks["经济效益.得分"]  # each part against its own grade, with the ends its rule marks
    assert f'$F${rows["经济效益.等级"][5].row}="部分达成"' in economic.formula1
    assert "部分达成 2.4（含）～3.2" in economic.error


def test_a_qualitative_score_is_checked_against_its_tier_in_the_input_workbook():
    _loaded, plan = _load(_leaf("定性 档次").replace("管理（10）\n  制度执行", "效益（10）\n  综合效益"))
    _book, _sheet, rows, checks = _score_checks(plan)
    assert checks["得分"].type == "custom"
    assert f'$F${rows["档次"][5].row}="达成"' in checks["得分"].formula1 and "所选档次" in checks["得分"].error


def test_libreoffice_evaluates_the_graded_score_check_as_the_scorer_reads_the_grades(tmp_path):
    """The check's formula, evaluated by a real spreadsheet program for scores at and around each grade's ends,
    agrees with the ranges `idsl score` enforces (5.4 is 优's, not 良's: each grade holds its lower end)."""
    import os
    import subprocess

    import openpyxl

    from test_xlsx import _calc

    if not _calc():
        assert os.environ.get("CI", "").lower() not in ("1", "true", "yes"), "LibreOffice Calc is missing under CI"
        pytest.skip("LibreOffice Calc is not installed (make setup installs it; under CI this fails)")
    _loaded, plan = _load(TWO_GRADED)
    book, sheet, rows, checks = _score_checks(plan)
    formula = checks["社会效益.得分"].formula1
    grade_cell, score_cell = f'$F${rows["社会效益.等级"][5].row}', rows["社会效益.得分"][5].coordinate
    cases = [("优", 6, True), ("优", 5.4, True), ("良", 5.4, False), ("良", 5.39, True), ("良", 4.5, True),
             ("中", 4.49, True), ("差", 0, True), ("差", 3.6, False), ("优", 6.01, False), (None, 5, False)]
    for number, (grade, score, _allowed) in enumerate(cases, start=200):
        sheet[f"L{number}"], sheet[f"M{number}"] = grade, score
        sheet[f"N{number}"] = "=" + formula.replace(grade_cell, f"$L${number}").replace(score_cell, f"M{number}")
    (tmp_path / "in").mkdir()
    book.save(tmp_path / "in" / "t.xlsx")
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to", "xlsx",
                    "--outdir", str(tmp_path / "out"), str(tmp_path / "in" / "t.xlsx")], check=True,
                   capture_output=True, timeout=180)
    computed = openpyxl.load_workbook(tmp_path / "out" / "t.xlsx", data_only=True)["输入"]
    assert [computed[f"N{n}"].value for n in range(200, 200 + len(cases))] == [allowed for *_x, allowed in cases]
