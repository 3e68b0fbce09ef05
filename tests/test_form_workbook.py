"""The 自评表 input workbook (`idsl template` on a spec with a 自评表 block): the form of 财预〔2020〕10号 附1 on a
sheet — header, funds with the 待填 figures to fill, 年度总体目标, indicator rows with their targets pre-filled —
typed into as an evaluator would and read back by `idsl score` into the same result as the JSON inputs."""

from __future__ import annotations

import io
import json
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

import idsl
from idsl.cli import main
from idsl.engines.rows import row_from_json
from idsl.frontend import ast
from idsl.frontend.form import fund_input
from idsl.io.workbook import FORM_SHEET, INPUT_SHEET, read_workbook
from idsl.render.workbook import template_workbook
from idsl.semantics.numbers import loads

ROOT = Path(__file__).resolve().parent.parent
CASES = [("specs/005_永德县明朗中学2022营养改善计划自评.idsl", "examples/005_inputs.json"),
         ("specs/006_稷山县医保局2020建档立卡个人缴费配套自评.idsl", "examples/006_inputs.json"),
         ("specs/009_中江县水利局2022水标尺制作安装自评.idsl", "examples/009_inputs.json"),
         ("specs/010_丽江市古城区2020卫片执法补助经费自评.idsl", "examples/010_inputs.json"),
         ("specs/011_萧县张庄寨镇2023河西村特色种养补贴到户自评.idsl", "examples/011_inputs.json")]
FIGURES = dict(zip(ast.FUNDS_COLUMNS, ("D", "E", "F")))

# A spec of every 自评表 rule kind, with 待填 funds (其中 rows too) and inputs the form has no column for.
KINDS = ROOT / "examples" / "kinds" / "self_evaluation.idsl"
KINDS_INPUTS = ROOT / "examples" / "kinds" / "self_evaluation_inputs.json"


def typed(cell, value):
    """A value as typed into the form (test_xlsx's: numbers as numbers, rates in a percent-formatted cell)."""
    from test_xlsx import typed as typed_text

    return typed_text(cell, str(value))


def fill_form(plan, data: dict, book=None) -> openpyxl.Workbook:
    """The 自评表 template filled from an input JSON object: funds in their row and column, a target's actual or a
    定性 tier in 实际完成值, a judged score in 得分, the 理由 (or the note) in 偏差原因分析及改进措施, any other
    input in its own row's 实际完成值."""
    book = book or openpyxl.load_workbook(io.BytesIO(template_workbook(plan)))
    sheet = book[FORM_SHEET]
    header = next(r for r in sheet.iter_rows() if r[0].value == "绩效指标")
    at = {c.value: c.column for c in header}
    # 表式 衔接资金 titles the columns as its posting does, and prints its two funds figures in D and E
    at.setdefault("实际完成值", at.get("全年实际值"))
    at.setdefault("偏差原因分析及改进措施", at.get("未完成原因及拟采取的改进措施"))
    figures = dict(zip(ast.FUNDS_COLUMNS[1:], "DE")) if plan.form.xianjie else FIGURES
    cells = row_from_json(plan, data)
    notes = {plan.find(k).key: v for k, v in (data.get("notes") or {}).items()}
    for row in range(1, sheet.max_row + 1):
        key = sheet.cell(row, 10).value
        if not key:
            continue
        kind, path, field = str(key).split("\t")[:3]
        if kind == "funds":
            for column, letter in figures.items():
                value = cells.get(f"{path}.{fund_input(field, column)}")
                if value is not None:
                    sheet[f"{letter}{row}"] = typed(sheet[f"{letter}{row}"], value)
        elif kind == "leaf":
            node = plan.find(path)
            rule = node.leaf.rule
            actual = rule.actual if isinstance(rule, ast.Target) else getattr(rule, "tier", None)
            if actual is None and len(node.leaf.inputs) == 1:
                actual = node.leaf.inputs[0].name
            for col, name in ((at["实际完成值"], actual), (at["得分"], "得分"), (at["偏差原因分析及改进措施"], "理由")):
                value = cells.get(f"{path}.{name}") if name else None
                if value is not None:
                    sheet.cell(row, col).value = typed(sheet.cell(row, col), value) if name != "理由" else value
            if path in notes:
                sheet.cell(row, at["偏差原因分析及改进措施"]).value = notes[path]
        elif kind in ("input", "item", "score", "reason", "na"):
            value = cells.get(f"{path}.{field}")
            if value is not None:
                sheet.cell(row, at["实际完成值"]).value = typed(sheet.cell(row, at["实际完成值"]), value)
    return book


def scored(spec, inputs: Path):
    run = CliRunner().invoke(main, ["score", str(spec), str(inputs), "--format", "json"])
    return run.exit_code, json.loads(run.stdout) if run.stdout.startswith("{") else run.output


def same_result(left: dict, right: dict) -> None:
    assert (left["total"], left["grade"]) == (right["total"], right["grade"])
    scores = lambda r: [(n["path"], n["score"]) for n in r["nodes"]]  # noqa: E731
    assert scores(left) == scores(right)


@pytest.mark.parametrize("spec, inputs", CASES)
def test_the_filled_form_scores_as_the_json(tmp_path, spec, inputs):
    plan = idsl.load(ROOT / spec)
    data = loads((ROOT / inputs).read_text(encoding="utf-8"))
    fill_form(plan, data).save(tmp_path / "自评表.xlsx")
    code, from_book = scored(ROOT / spec, tmp_path / "自评表.xlsx")
    assert code == 0, from_book
    unrecorded = {k: v for k, v in json.loads((ROOT / inputs).read_text(encoding="utf-8")).items()
                  if k not in ("recorded", "spec")}  # the form records no published scores (audits take JSON)
    (tmp_path / "inputs.json").write_text(json.dumps(unrecorded, ensure_ascii=False), encoding="utf-8")
    code, from_json = scored(ROOT / spec, tmp_path / "inputs.json")
    assert code == 0, from_json
    same_result(from_book, from_json)


def test_a_form_with_every_rule_kind_round_trips(tmp_path):
    plan = idsl.load(KINDS)
    data = loads(KINDS_INPUTS.read_text(encoding="utf-8"))
    fill_form(plan, data).save(tmp_path / "自评表.xlsx")
    code, from_book = scored(KINDS, tmp_path / "自评表.xlsx")
    assert code == 0, from_book
    code, from_json = scored(KINDS, KINDS_INPUTS)
    assert code == 0, from_json
    same_result(from_book, from_json)
    by_name = {n["name"]: n["score"] for n in from_book["nodes"]}
    # 138/150 = 92% unfinished: 7; 30 处 less 2; (85% − 60%) ÷ 40% × 10; 20/25 × 15; 98% of 15; 22; 8
    assert [by_name[k] for k in ("预算执行率", "集中供水工程", "新建管网", "工程单价", "验收合格率", "群众饮水条件改善",
                                 "受益群众满意度")] == ["7.00", "8.00", "6.25", "12.00", "14.70", "22.00", "8.00"]
    given = read_workbook(plan, tmp_path / "自评表.xlsx")
    assert given.notes["产出指标/数量指标/新建管网"] == "雨季延误工期，已调整施工计划。"
    assert given.unit == "县水利工程服务中心"
    # 超额调减 and 项目完成 have rows of their own, under their indicator
    sheet = openpyxl.load_workbook(tmp_path / "自评表.xlsx")[FORM_SHEET]
    labels = [sheet.cell(r, 4).value for r in range(1, sheet.max_row + 1)]
    assert labels.index("超额调减") == labels.index("集中供水工程") + 1 and "项目完成" in labels


def test_the_form_is_laid_out_as_annex_1():
    plan = idsl.load(ROOT / CASES[1][0])
    book = openpyxl.load_workbook(io.BytesIO(template_workbook(plan)))
    assert book.sheetnames == [FORM_SHEET, "评分标准", "选项"] and INPUT_SHEET not in book.sheetnames
    sheet = book[FORM_SHEET]
    rows = [[c.value for c in r][:9] for r in sheet.iter_rows()]
    assert rows[0][0] == "项目支出绩效自评表"
    assert rows[1][:2] == ["项目名称", "建档立卡个人缴费县级配套资金"]
    assert [rows[2][0], rows[2][1], rows[2][5], rows[2][6]] == ["主管部门", "稷山县医疗保障局", "实施单位",
                                                              "稷山县医疗保险服务中心"]
    assert rows[3] == ["项目资金（万元）", None, None, "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"]
    assert rows[4][1:8] == ["年度资金总额", None, "—", 65.66, 65.07, 10, "99.1%"]
    header = next(i for i, r in enumerate(rows) if r[0] == "绩效指标")
    assert rows[header][1:] == ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分",
                                "偏差原因分析及改进措施"]
    first = rows[header + 1]
    assert first[1:7] == ["产出指标（50）", "数量指标（15）", "全县参合人数", "≥8755人", None, 15]
    assert rows[-2][0] == "总分" and rows[-2][6] == 100
    # Only the cells to fill are unlocked: actuals, reasons; the targets and points are not.
    row = header + 2
    assert not sheet.cell(row, 6).protection.locked and not sheet.cell(row, 9).protection.locked
    assert sheet.cell(row, 5).protection.locked and sheet.cell(row, 7).protection.locked
    assert sheet.protection.sheet
    # Print: A4 landscape, one page wide, the title rows repeated.
    assert sheet.page_setup.orientation == "landscape" and int(sheet.page_setup.paperSize) == 9
    assert sheet.print_title_rows == "$1:$2"


def test_a_qualitative_row_has_a_tier_drop_down_and_a_score_checked_against_the_tier():
    plan = idsl.load(ROOT / CASES[0][0])
    sheet = openpyxl.load_workbook(io.BytesIO(template_workbook(plan)))[FORM_SHEET]
    row = next(r for r in range(1, sheet.max_row + 1) if sheet.cell(r, 4).value == "减轻贫困学生家庭经济负担")
    rules = {str(dv.sqref): dv for dv in sheet.data_validations.dataValidation}
    tier, score = rules[f"F{row}"], rules[f"H{row}"]
    assert tier.type == "list" and tier.formula1.startswith("选项!")
    assert score.type == "custom" and f'$F${row}="部分达成",H{row}>=6,H{row}<8' in score.formula1
    assert "部分达成 6（含）～8" in score.prompt and "达成 8（含）～10（含）" in score.error
    actual = rules[f"F{row - 4}"]  # 学生受资助人数: a count of 人次, not negative
    assert (actual.type, actual.operator, actual.formula1) == ("decimal", "greaterThanOrEqual", "0") and actual.prompt.startswith("填实际完成值") and "≥735人次" in actual.prompt


def test_a_bad_cell_on_the_form_is_named_by_its_cell(tmp_path):
    plan = idsl.load(ROOT / CASES[0][0])
    data = loads((ROOT / CASES[0][1]).read_text(encoding="utf-8"))
    book = fill_form(plan, data)
    sheet = book[FORM_SHEET]
    row = next(r for r in range(1, sheet.max_row + 1) if sheet.cell(r, 4).value == "学生受资助人数")
    sheet.cell(row, 6).value = "基本完成"
    book.save(tmp_path / "自评表.xlsx")
    code, output = scored(ROOT / CASES[0][0], tmp_path / "自评表.xlsx")
    assert code == 1
    error = next(e for e in output["errors"] if e["field"] == "实际受资助人数")
    assert (error["sheet"], error["cell"]) == (FORM_SHEET, f"F{row}") and "基本完成" in error["message"]
    text = CliRunner().invoke(main, ["score", str(ROOT / CASES[0][0]), str(tmp_path / "自评表.xlsx")]).output
    assert f"{FORM_SHEET}!F{row}" in text


def test_a_form_saved_by_libreoffice_reads_the_same(tmp_path):
    """The form as an evaluator's spreadsheet program saves it (merges, percent cells, hidden keys) reads back alike."""
    import os
    import subprocess

    from test_xlsx import _calc

    if not _calc():
        assert os.environ.get("CI", "").lower() not in ("1", "true", "yes"), "LibreOffice Calc is missing under CI"
        pytest.skip("LibreOffice Calc is not installed (make setup installs it; under CI this fails)")
    plan = idsl.load(KINDS)
    (tmp_path / "in").mkdir()
    fill_form(plan, loads(KINDS_INPUTS.read_text(encoding="utf-8"))).save(tmp_path / "in" / "f.xlsx")
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to", "xlsx",
                    "--outdir", str(tmp_path / "out"), str(tmp_path / "in" / "f.xlsx")], check=True,
                   capture_output=True, timeout=180)
    code, from_book = scored(KINDS, tmp_path / "out" / "f.xlsx")
    assert code == 0, from_book
    assert (from_book["total"], from_book["grade"]) == ("77.95", "中")


def _xianjie_kinds(tmp_path: Path) -> tuple[Path, Path]:
    """examples/kinds/self_evaluation.idsl as a 衔接资金 form (its 待填 funds: 本年财政拨款 and the total), with its inputs."""
    text = KINDS.read_text(encoding="utf-8").replace("自评表\n", "自评表\n  表式 衔接资金\n", 1)
    text = text.replace("    年度资金总额：120、150、待填\n    其中：当年财政拨款：100、130、待填\n    上年结转资金：20、20、待填\n"
                        "    其他资金：—、—、—\n", "    年度资金总额：150、待填\n    其中：本年财政拨款：150、待填\n    其他资金：—、—\n")
    text = text.replace("  设 预算执行率.当年财政拨款全年执行数 = 120 万元\n  设 预算执行率.上年结转资金全年执行数 = 18 万元\n",
                        "  设 预算执行率.当年财政拨款全年执行数 = 138 万元\n")
    spec = tmp_path / "衔接资金.idsl"
    spec.write_text(text, encoding="utf-8")
    data = json.loads(KINDS_INPUTS.read_text(encoding="utf-8"))
    rate = data["inputs"]["预算执行率"]
    rate["当年财政拨款全年执行数"] = rate.pop("当年财政拨款全年执行数") + rate.pop("上年结转资金全年执行数")
    inputs = tmp_path / "inputs.json"
    inputs.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return spec, inputs


def test_a_xianjie_form_is_laid_out_as_its_posting(tmp_path):
    """表式 衔接资金: the posting's title and headers, two funds figures (D, E: the 待填 ones to fill), no
    上年结转资金 row, 分值 in E before 年度指标值, 全年实际值 in G (a 定性 tier's drop-down, the score checked against it;
    an input without a column of its own has its value there too), 总分's 分值 in E, the posting's note."""
    spec, _inputs = _xianjie_kinds(tmp_path)
    plan = idsl.load(spec)
    sheet = openpyxl.load_workbook(io.BytesIO(template_workbook(plan)))[FORM_SHEET]
    rows = [[c.value for c in r][:9] for r in sheet.iter_rows()]
    assert rows[0][0] == "绩效目标自评表" and rows[1][5] == "项目负责人及电话"
    assert rows[3] == ["资金情况（万元）", None, None, "全年预算数（A）", "全年执行数（B）", "分值", "执行率（B/A）", "得分", None]
    assert rows[4][:7] == ["年度资金总额：", None, None, 150, None, 10, None]  # 执行率: idsl score gives it
    assert rows[5][:5] == ["其中：本年财政拨款", None, None, 150, None] and rows[6][0] == "其他资金"
    assert not sheet.cell(5, 5).protection.locked and not sheet.cell(6, 5).protection.locked  # 待填 全年执行数
    assert sheet.cell(5, 4).protection.locked
    assert not any("上年结转资金" in str(v) or "年初预算数" in str(v) for r in rows for v in r if v)
    assert rows[8][1] == "年初设定目标" and rows[8][5] == "年度总体目标完成情况综述"
    header = next(i for i, r in enumerate(rows) if r[0] == "绩效指标")
    assert rows[header][1:] == ["一级指标", "二级指标", "三级指标", "分值", "年度指标值", "全年实际值", "得分",
                                "未完成原因及拟采取的改进措施"]
    water = next(i for i, r in enumerate(rows) if r[3] == "集中供水工程")
    assert rows[water][4:6] == [10, "≥12处"]
    # (sheet rows are the list's index + 1) the actual in G, not the points (E) nor the target (F)
    assert not sheet.cell(water + 1, 7).protection.locked and sheet.cell(water + 1, 5).protection.locked
    assert sheet.cell(water + 1, 6).protection.locked
    assert rows[water + 1][3] == "超额调减"  # an input of its own row, its value in 全年实际值 too
    assert not sheet.cell(water + 2, 7).protection.locked and sheet.cell(water + 2, 6).protection.locked
    tier = next(i for i, r in enumerate(rows) if r[3] == "群众饮水条件改善") + 1
    rules = {str(dv.sqref): dv for dv in sheet.data_validations.dataValidation}
    assert rules[f"G{tier}"].type == "list" and f'$G${tier}="部分达成"' in rules[f"H{tier}"].formula1
    total = next(i for i, r in enumerate(rows) if r[0] == "总分")
    assert rows[total][4] == 100
    assert "原表注：1.一级指标分值统一设置为：产出指标50分" in rows[total + 1][0]
    widths = [sheet.column_dimensions[letter].width for letter in "EFG"]
    assert widths[0] < widths[2]  # 分值 narrow, 全年实际值 wide enough to type in


def test_a_xianjie_forms_note_says_the_specs_own_level_1_points():
    """011 (no 满意度, 总分 90): the workbook's note quotes the spec's level-1 points, as the Word form's 注 1 does,
    and says nothing of a 满意度 it has not; no 定性 leaf, no sentence on the three tiers."""
    plan = idsl.load(next((ROOT / "specs").glob("011_*.idsl")))
    sheet = openpyxl.load_workbook(io.BytesIO(template_workbook(plan)))[FORM_SHEET]
    note = [r[0].value for r in sheet.iter_rows() if str(r[0].value or "").startswith("注：")][0]
    assert ("原表注：1.一级指标分值设置为：产出指标50分、效益指标30分、预算执行率10分，各部门根据各项指标重要程度确定三级指标的"
            "分值，得分最高不能超过该指标分值上限。") in note
    assert "满意度" not in note and "合理确定得分" not in note


def test_a_filled_xianjie_form_scores_as_the_json(tmp_path):
    spec, inputs = _xianjie_kinds(tmp_path)
    plan = idsl.load(spec)
    fill_form(plan, loads(inputs.read_text(encoding="utf-8"))).save(tmp_path / "自评表.xlsx")
    code, from_book = scored(spec, tmp_path / "自评表.xlsx")
    assert code == 0, from_book
    code, from_json = scored(spec, inputs)
    assert code == 0, from_json
    same_result(from_book, from_json)
    # 138/150 = 92%, unfinished: 7 of 10, as the 附1 form of the same spec scores it
    assert {n["name"]: n["score"] for n in from_book["nodes"]}["预算执行率"] == "7.00"
    given = read_workbook(plan, tmp_path / "自评表.xlsx")
    assert given.leaves["预算执行率"]["当年财政拨款全年执行数"] == 138
