"""Input workbooks: made by `idsl template`, filled by openpyxl (and LibreOffice), read back into the
same scores as the equivalent JSON; problems named by sheet and cell."""

from __future__ import annotations

import idsl

import io
import os
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from idsl.engines.rows import row_from_json
from idsl.semantics.lower import lower
from idsl.semantics.numbers import loads
from idsl.frontend.resolve import load
from idsl.engines.python import score
from idsl.io.workbook import INPUT_SHEET, KEY, NOTE, RECORD, locate, read_workbook
from idsl.render.workbook import template_workbook

ROOT = Path(__file__).resolve().parent.parent
CASES = [("specs/001_肃南县人社局2024部门整体支出.idsl", "examples/001_inputs.json"),
         ("specs/002_阜沙分局2022部门整体自评.idsl", "examples/002_inputs.json")]


def plan_of(spec: str):
    loaded = load(ROOT / spec)
    return lower(loaded.spec, loaded.sources)


def columns(sheet) -> dict[str, int]:
    header = [c.value for c in sheet[1]]
    return {"value": header.index("值") + 1, "note": header.index(NOTE) + 1, "record": header.index(RECORD) + 1,
            "key": header.index(KEY) + 1}


def fill(plan, data: dict) -> openpyxl.Workbook:
    """The template filled from an input JSON object, as an evaluator would type it: numbers as numbers,
    rates as percentages in their percent-formatted cells, 是/否 and options as text."""
    book = openpyxl.load_workbook(io.BytesIO(template_workbook(plan)))
    if INPUT_SHEET not in book.sheetnames:  # a spec with a 自评表 block: the form laid out as 附1
        from test_form_workbook import fill_form

        return fill_form(plan, data, book)
    sheet = book[INPUT_SHEET]
    at = columns(sheet)
    cells = row_from_json(plan, data)
    notes = {(plan.find(k).key if plan.find(k) else k): v for k, v in (data.get("notes") or {}).items()}
    recorded = {}
    for key, value in (data.get("recorded") or {}).items():
        node = plan.find(key)
        recorded[node.key if node is not None else key] = value
    noted: set[str] = set()
    recorded_done: set[str] = set()
    for row in range(2, sheet.max_row + 1):
        kind, path, field, *rest = str(sheet.cell(row, at["key"]).value).split("\t") + [""]
        if kind == "unit":
            sheet.cell(row, at["value"], data.get("unit"))
        elif kind == "tally":
            for offset in range(8):
                header = f"{path}.{field}.第{rest[0]}题.{chr(ord('A') + offset)}"
                if cells.get(header):  # a count left blank stays a blank cell
                    sheet.cell(row, at["value"] + offset, int(cells[header]))
        elif kind in ("input", "item", "score", "reason", "na"):
            header = f"{path}.{field}"
            if header in cells:
                sheet.cell(row, at["value"], typed(sheet.cell(row, at["value"]), cells[header]))
        if kind in ("unit", "total", "grade") or path in noted:
            pass
        elif path in notes:
            sheet.cell(row, at["note"], notes[path])
            noted.add(path)
        key = "等级" if kind == "grade" else "总分" if kind == "total" else path
        if kind != "unit" and key in recorded and key not in recorded_done:
            value = recorded[key]
            sheet.cell(row, at["record"], float(value) if isinstance(value, (int, Decimal)) else value)
            recorded_done.add(key)
    return book


def typed(cell, text: str):
    """A cell's value as typed into Excel: a number where the text is one (percent cells hold fractions)."""
    import re

    if re.fullmatch(r"-?[0-9]+(\.[0-9]+)?%", text):
        cell.number_format = "0.00%"
        return float(Decimal(text[:-1]) / 100)
    if re.fullmatch(r"-?[0-9]+", text):
        return int(text)
    if re.fullmatch(r"-?[0-9]+\.[0-9]+", text):
        return float(text)
    return text


def save(book, path: Path) -> Path:
    book.save(path)
    return path


@pytest.mark.parametrize("spec, inputs", CASES)
def test_filled_workbook_scores_as_the_json(tmp_path, spec, inputs):
    plan = plan_of(spec)
    data = loads((ROOT / inputs).read_text(encoding="utf-8"))
    path = save(fill(plan, data), tmp_path / "filled.xlsx")
    given = read_workbook(plan, path)
    from_workbook = locate(score(plan, given), given)
    from_json = idsl.score(plan, data)
    assert not from_workbook.errors, from_workbook.errors
    assert from_workbook.total == from_json.total and from_workbook.grade == from_json.grade
    assert [(n.key, n.score, n.reason) for n in from_workbook.nodes] == [(n.key, n.score, n.reason) for n in from_json.nodes]
    assert [(d.key, d.difference) for d in from_workbook.audit] == [(d.key, d.difference) for d in from_json.audit]
    assert given.unit == data["unit"]


def _filled_001():
    """001's plan, its JSON inputs, and the input workbook filled from them: (plan, data, book, sheet, columns)."""
    plan = plan_of(CASES[0][0])
    data = loads((ROOT / CASES[0][1]).read_text(encoding="utf-8"))
    book = fill(plan, data)
    sheet = book[INPUT_SHEET]
    return plan, data, book, sheet, columns(sheet)


def _value_cell(sheet, at, key_suffix: str):
    """The value cell of the row whose key ends with `key_suffix`."""
    row = next(r for r in range(2, sheet.max_row + 1) if str(sheet.cell(r, at["key"]).value).endswith(key_suffix))
    return sheet.cell(row, at["value"])


def test_percent_formatted_cell_is_a_percentage(tmp_path):
    plan, _, book, sheet, at = _filled_001()
    cell = _value_cell(sheet, at, "政策标准范围达标率")
    cell.value, cell.number_format = 0.8967, "0.00%"
    given = read_workbook(plan, save(book, tmp_path / "p.xlsx"))
    assert given.leaves["产出/质量指标/社会参保服务工作效率"]["政策标准范围达标率"] == "89.67%"


def test_bad_cells_and_formulas_without_cached_values_are_named_by_cell(tmp_path):
    plan, _, book, sheet, at = _filled_001()
    formula = _value_cell(sheet, at, "编制人员控制率\t在职人员数")
    formula.value = "=40+3"  # openpyxl writes the formula without a cached value
    text = _value_cell(sheet, at, "重点支出安排率\t项目总支出")
    text.value = "六千"
    where = {"formula": f"{INPUT_SHEET}!{formula.coordinate}", "text": f"{INPUT_SHEET}!{text.coordinate}"}
    given = read_workbook(plan, save(book, tmp_path / "bad.xlsx"))
    result = locate(score(plan, given), given)
    by_cell = {e.where: e for e in result.errors}
    assert "公式没有缓存的计算结果" in by_cell[where["formula"]].text
    assert "应填一个数" in by_cell[where["text"]].text and "项目总支出" in str(by_cell[where["text"]])
    formula_error, text_error = by_cell[where["formula"]], by_cell[where["text"]]
    assert (formula_error.sheet, formula_error.cell) == (INPUT_SHEET, formula.coordinate)
    assert formula_error.path.endswith("编制人员控制率") and formula_error.field == "在职人员数"
    assert (text_error.path, text_error.field, text_error.cell) == ("决策/预算配置/重点支出安排率", "项目总支出", text.coordinate)
    assert text_error.to_json()["cell"] == text.coordinate


def _calc() -> bool:
    """LibreOffice with Calc (libreoffice-calc-nogui; Writer alone cannot open a workbook)."""
    program = Path("/usr/lib/libreoffice/program")
    return shutil.which("soffice") is not None and (not program.exists() or (program / "libsclo.so").exists())


@pytest.mark.skipif(not _calc() and os.environ.get("CI", "").lower() not in ("1", "true", "yes"),
                    reason="LibreOffice Calc is not installed (make setup installs it; under CI this fails)")
def test_a_formula_recalculated_by_libreoffice_is_read_as_its_value(tmp_path):
    assert _calc(), "LibreOffice Calc is missing: run `make setup` (.ci/system-deps installs it)"
    plan, data, book, sheet, at = _filled_001()
    _value_cell(sheet, at, "编制人员控制率\t在职人员数").value = "=40+3"
    (tmp_path / "in").mkdir()
    source = save(book, tmp_path / "in" / "f.xlsx")
    out = tmp_path / "out"
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to", "xlsx",
                    "--outdir", str(out), str(source)], check=True, capture_output=True, timeout=180)
    given = read_workbook(plan, out / "f.xlsx")
    result = locate(score(plan, given), given)
    assert not result.errors, result.errors
    assert result.total == idsl.score(plan, data).total
    assert given.leaves["决策/预算配置/编制人员控制率"]["在职人员数"] == 43


def test_template_has_drop_downs_ranges_and_a_standard_sheet():
    plan = plan_of(CASES[1][0])
    book = openpyxl.load_workbook(io.BytesIO(template_workbook(plan)))
    sheet = book[INPUT_SHEET]
    kinds = {dv.type for dv in sheet.data_validations.dataValidation}
    assert {"list", "decimal", "whole"} <= kinds
    formulas = [dv.formula1 for dv in sheet.data_validations.dataValidation if dv.type == "list"]
    assert '"是,否"' in formulas and any(f.startswith("选项!") for f in formulas)
    assert sheet.protection.sheet and sheet.freeze_panes
    assert not any(isinstance(c.value, str) and c.value.startswith("=") for row in sheet.iter_rows() for c in row)
    standard = book["评分标准"]
    texts = {row[0].value: row[2].value for row in standard.iter_rows(min_row=2)}
    assert "预算编制情况/目标设置/绩效目标覆盖率" in texts and texts["预算编制情况/目标设置/绩效目标覆盖率"]


def test_element_errors_name_the_elements_own_cell(tmp_path):
    plan, _, book, sheet, at = _filled_001()
    wrong = _value_cell(sheet, at, "年度绩效目标合理性\t要素2")
    wrong.value = "也许"
    blank = _value_cell(sheet, at, "年度绩效目标合理性\t要素3")
    blank.value = None
    given = read_workbook(plan, save(book, tmp_path / "items.xlsx"))
    result = locate(score(plan, given), given)
    by_cell = {e.cell: e for e in result.errors}
    # a blank element is the checklist not given in full, as a null element of JSON: 缺少输入, at the blank cell
    assert (by_cell[blank.coordinate].field, by_cell[blank.coordinate].message) == ("要素", "缺少输入。")
    assert by_cell[wrong.coordinate].index == 2 and len(result.errors) == 2
    lenient = locate(score(plan, given, allow_missing=True), given)
    assert [e.cell for e in lenient.errors] == [wrong.coordinate]  # --allow-missing: the blank leaves the leaf 未评
    wrong.value, blank.value = "也许", "是"
    given = read_workbook(plan, save(book, tmp_path / "items2.xlsx"))
    result = locate(score(plan, given), given)
    [error] = [e for e in result.errors if e.cell == wrong.coordinate]
    assert (error.path, error.field, error.index) == ("决策/目标设定/年度绩效目标合理性", "要素", 2)
    assert str(error).startswith(f"{INPUT_SHEET}!{wrong.coordinate}: 第 2 项要素")


@pytest.mark.parametrize("spec", [CASES[0][0], CASES[1][0], "tests/cases/score/shared.idsl"])
def test_hints_for_an_empty_workbook_are_plain_chinese(tmp_path, spec):
    """What to fill, said in words a workbook user reads (no JSON quotes, brackets or key: value)."""
    plan = plan_of(spec)
    path = tmp_path / "empty.xlsx"
    path.write_bytes(template_workbook(plan))
    given = read_workbook(plan, path)
    result = locate(score(plan, given), given)
    hints = [error.hint for error in result.errors if getattr(error, "hint", None)]
    assert hints and len(hints) >= len(result.errors) // 2
    assert [h for h in hints if any(mark in h for mark in ('"', "[", "]", "：[", '": '))] == []
    assert any("填“" in h or "每项填“是”或“否”" in h for h in hints)


def test_the_recorded_grade_is_one_of_the_spec_grades(tmp_path):
    """The 等级 row's 记录得分 is a drop-down of the spec's grades, and a grade it does not have is refused at its
    cell when scored, in the JSON reader's words (not passed to the audit as a difference)."""
    from idsl.io.columns import unknown_grade

    plan = plan_of(CASES[0][0])
    book = openpyxl.load_workbook(io.BytesIO(template_workbook(plan)))
    sheet = book[INPUT_SHEET]
    at = columns(sheet)
    row = next(r for r in range(2, sheet.max_row + 1) if str(sheet.cell(r, at["key"]).value).startswith("grade\t"))
    cell = sheet.cell(row, at["record"])
    grades = next(dv for dv in sheet.data_validations.dataValidation if cell.coordinate in dv.sqref)
    column = grades.formula1.split("$")[1]
    assert grades.type == "list" and [book["选项"][f"{column}{i}"].value for i in range(1, 5)] == ["优", "良", "中", "差"]
    data = loads((ROOT / CASES[0][1]).read_text(encoding="utf-8"))
    for grade, errors in (("良", []), ("合格", [f"{INPUT_SHEET}!{cell.coordinate}"])):
        filled = fill(plan, {**data, "recorded": {**data.get("recorded", {}), "等级": grade}})
        given = read_workbook(plan, save(filled, tmp_path / "filled.xlsx"))
        result = locate(score(plan, given), given)
        assert [f"{e.sheet}!{e.cell}" for e in result.errors] == errors
        if errors:
            assert [(e.path, e.field, e.message, e.hint) for e in result.errors] == [
                ("等级", "recorded", *unknown_grade("合格", ("优", "良", "中", "差")))]
            assert [d.key for d in result.audit] == []
        else:
            assert given.recorded["等级"] == "良"


def test_a_judged_penalty_item_says_its_figure_is_what_it_takes_off():
    """002's 逆向指标 items judged 酌情 had the rows of a judged leaf, 得分 0～10 and 酌情给分的理由: an evaluator
    reading 得分 out of 10 wrote 10 for a unit with nothing to deduct. Their rows say it is the deduction."""
    plan = plan_of(CASES[1][0])
    sheet = openpyxl.load_workbook(io.BytesIO(template_workbook(plan)))[INPUT_SHEET]
    block = plan.adjustments[0]
    judged = {item.key for item in block.items if any(c.kind == "score" for c in item_columns(plan, item))}
    assert block.kind == "penalty" and judged
    rows = [(r[0], r[2], r[4]) for r in sheet.iter_rows(min_row=2, values_only=True) if r[0] in judged]
    scores = [row for row in rows if row[1] == "酌情扣分"]
    assert len(scores) == len(judged) and all(row[2].endswith("（填要扣的分，不扣分填 0）") for row in scores), rows
    assert all(row[2] == "扣分的理由" for row in rows if row[1] == "文字"), rows
    leaves = [(r[2], r[4]) for r in sheet.iter_rows(min_row=2, values_only=True) if r[2] == "酌情得分"]
    assert leaves and not any("扣" in allowed for _kind, allowed in leaves)  # the tree's judged leaves keep theirs


def item_columns(plan, item):
    from idsl.io.columns import unit_columns

    return [c for c in unit_columns(plan) if c.key == item.key]


def test_the_batch_template_says_so_too():
    """The batch template's 说明 sheet words a judged penalty item's columns as the input workbook does."""
    from idsl.render.workbook import batch_template

    plan = plan_of(CASES[1][0])
    guide = {row[0]: row[1:] for row in openpyxl.load_workbook(io.BytesIO(batch_template(plan)))["说明"].iter_rows(
        min_row=2, values_only=True)}
    item = next(i for i in plan.adjustments[0].items if any(c.kind == "score" for c in item_columns(plan, i)))
    kind, allowed = guide[f"{item.key}.得分"]
    assert kind == "酌情扣分" and allowed.endswith("（填要扣的分，不扣分填 0）"), (kind, allowed)
    assert guide[f"{item.key}.理由"] == ("理由", "扣分的理由")
    assert all(kind == "酌情得分" for header, (kind, _a) in guide.items()
               if header.endswith(".得分") and not header.startswith(plan.adjustments[0].name))
