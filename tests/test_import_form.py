"""`idsl import` of a filled 项目支出绩效自评表 (财预〔2020〕10号 附1 in Word): the Word table idsl renders for 005,
006, 009 and 010, read back into a spec with a 自评表 block — header, funds, goals, targets, points — whose worked
example (the table's actuals and scores) passes, so the imported spec scores as the original."""

from __future__ import annotations

import io
import json
from pathlib import Path

import attrs
import openpyxl
import pytest
from click.testing import CliRunner
from docx import Document

import idsl
from idsl.cli import main
from idsl.frontend import ast
from idsl.frontend.resolve import load_text
from idsl.frontend.source import Source
from idsl.io.importer import import_table
from idsl.io.inputs import read_inputs
from idsl.io.workbook import FORM_SHEET
from idsl.render.docx import render_docx
from idsl.render.workbook import template_workbook
from plans import PARENTS_INPUTS, PARENTS_SPEC, xianjie

ROOT = Path(__file__).resolve().parent.parent
CASES = {"005": ("specs/005_永德县明朗中学2022营养改善计划自评.idsl", "examples/005_inputs.json"),
         "006": ("specs/006_稷山县医保局2020建档立卡个人缴费配套自评.idsl", "examples/006_inputs.json"),
         "009": ("specs/009_中江县水利局2022水标尺制作安装自评.idsl", "examples/009_inputs.json"),
         "010": ("specs/010_丽江市古城区2020卫片执法补助经费自评.idsl", "examples/010_inputs.json"),
         "011": ("specs/011_萧县张庄寨镇2023河西村特色种养补贴到户自评.idsl", "examples/011_inputs.json")}


def filled_docx(tmp_path: Path, spec: str, inputs: str) -> tuple[object, object, Path]:
    plan = idsl.load(ROOT / spec)
    given = read_inputs(json.loads((ROOT / inputs).read_text(encoding="utf-8")))
    result = idsl.score(plan, given)
    path = tmp_path / "自评表.docx"
    path.write_bytes(render_docx(plan, result, given))
    return plan, result, path


@pytest.mark.parametrize("name", CASES)
def test_the_imported_form_checks_clean_and_scores_as_the_original(tmp_path, name):
    plan, result, docx = filled_docx(tmp_path, *CASES[name])
    run = CliRunner().invoke(main, ["import", str(docx), "-o", str(tmp_path / "导入.idsl")])
    assert run.exit_code == 0, run.output
    assert "0 个待定" in run.output
    checked = CliRunner().invoke(main, ["check", str(tmp_path / "导入.idsl")])
    assert checked.exit_code == 0 and "0 个错误，0 个警告" in checked.output, checked.output
    tested = CliRunner().invoke(main, ["test", str(tmp_path / "导入.idsl")])
    assert tested.exit_code == 0 and "1 个通过，0 个失败" in tested.output, tested.output
    imported = idsl.load(tmp_path / "导入.idsl")
    # the header, funds and goals as the original's
    for field in ("project", "department", "implementer", "expected", "achieved", "unit", "style"):
        assert getattr(imported.form, field) == getattr(plan.form, field), field
    figures = lambda form: [(r.row, [c.value for c in r.cells]) for r in form.funds]  # noqa: E731
    assert figures(imported.form) == figures(plan.form)
    # the same leaves, points and targets
    leaves = lambda p: [(n.name, n.points, _target(n)) for n in p.leaves()]  # noqa: E731
    assert leaves(imported) == leaves(plan)
    # and its worked example holds the original's scores: the total as scored from the JSON inputs
    example = (tmp_path / "导入.idsl").read_text(encoding="utf-8")
    assert f"期望 总分 = {result.total.normalize():f}" in example


def _target(node):
    rule = node.leaf.rule
    if isinstance(rule, ast.Target):
        return rule.op, rule.target.amount, rule.target.percent, rule.target.unit
    return type(rule).__name__


def test_the_satisfaction_bands_the_form_prints_are_read_back_as_bands(tmp_path):
    """101号's satisfaction bands, printed in 年度指标值 as lines (1. 满意度≥90%的，得满分；…), are read as a scoring
    table's 评分标准 is: a 分档 of 满意度, a rate, whose 实际完成值 the worked example sets. Before, the leaf was left
    to write, and the 解释 line, written with the text's line breaks, did not parse."""
    kinds = ROOT / "examples" / "kinds"
    _plan, _result, docx = filled_docx(tmp_path, str(kinds / "self_evaluation.idsl"),
                                       str(kinds / "self_evaluation_inputs.json"))
    draft = import_table(docx)
    assert draft.placeholders == ()
    assert "      输入 满意度：比率\n      分档 满意度\n        满意度 ≥ 90%：得满分\n" in draft.text
    assert "  设 受益群众满意度 = 85%\n" in draft.text and "  期望 受益群众满意度 = 8\n" in draft.text
    assert "目标 实际完成值 ≤ 20 万元" in draft.text and "定性 档次" in draft.text
    assert "    当年财政拨款：100、130、120" in draft.text  # the evaluator's figures, now the table's
    assert not load_text(Source("draft.idsl", draft.text)).diagnostics  # the draft parses


def test_a_target_the_importer_cannot_read_is_left_to_write(tmp_path):
    """A 年度指标值 that states no rule (较上年有所下降) is left to write, its text kept, and the table's scores are no
    worked example (the draft has no rule to give them)."""
    kinds = ROOT / "examples" / "kinds"
    _plan, _result, docx = filled_docx(tmp_path, str(kinds / "self_evaluation.idsl"),
                                       str(kinds / "self_evaluation_inputs.json"))
    document = Document(docx)
    for cell in (c for row in document.tables[0].rows for c in row.cells if c.text == "≤20万元"):
        cell.text = "较上年有所\n下降"
    document.save(docx)
    draft = import_table(docx)
    assert draft.placeholders == (("产出指标", "成本指标", "工程单价"),)
    assert "      评分标准 较上年有所 下降\n" in draft.text and "示例" not in draft.text
    assert "      解释 年度指标值 较上年有所 下降。\n" in draft.text  # one line, as a spec writes it


def _tree(plan) -> list[tuple]:
    """Every indicator with its level, points, pool and (for a leaf) target: what the import must give back."""
    return [(node.path, node.points, node.pool and (node.pool.kind, node.pool.count),
             _target(node) if node.leaf is not None else None) for top in plan.nodes for node in top.walk()]


@pytest.mark.parametrize("style", ["附1", "衔接资金"])
@pytest.mark.parametrize("source", ["blank", "filled", "workbook"])
def test_parent_rows_are_read_back_as_parents(tmp_path, source, style):
    """A form with level-4 indicators and pools (a level-2 择一, a level-3 sum, 取最高 and 任选, a level-1 择一 of a
    target and a 定性 leaf) compiles to Word (and to the form workbook), imports back to the same tree, points and
    pools — each parent row read as the parent of the rows it names, its bracketed （10） as the figure it counts —
    checks clean, and filled passes its worked example (an alternative not chosen, 定性 or not, is given nothing);
    in either 表式, which comes back too."""
    spec = tmp_path / "原表.idsl"
    spec.write_text(xianjie(PARENTS_SPEC) if style == "衔接资金" else PARENTS_SPEC, encoding="utf-8")
    plan = idsl.load(spec)
    given = read_inputs(PARENTS_INPUTS)
    filled = source == "filled"
    result = idsl.score(plan, given) if filled else None
    table = tmp_path / ("自评表.xlsx" if source == "workbook" else "自评表.docx")
    table.write_bytes(template_workbook(plan) if source == "workbook" else
                      render_docx(plan, result, given if filled else None))
    run = CliRunner().invoke(main, ["import", str(table), "-o", str(tmp_path / "导入.idsl")])
    assert run.exit_code == 0 and "0 个待定" in run.output, run.output
    checked = CliRunner().invoke(main, ["check", str(tmp_path / "导入.idsl")])
    assert checked.exit_code == 0 and "0 个错误，0 个警告" in checked.output, checked.output
    imported = idsl.load(tmp_path / "导入.idsl")
    assert _tree(imported) == _tree(plan)
    assert imported.form.style == plan.form.style
    if not filled:  # (filled, the evaluator's 全年执行数 is a figure of the table)
        assert imported.form.funds == plan.form.funds
    text = (tmp_path / "导入.idsl").read_text(encoding="utf-8")
    if filled:
        tested = CliRunner().invoke(main, ["test", str(tmp_path / "导入.idsl")])
        assert tested.exit_code == 0 and "1 个通过，0 个失败" in tested.output, tested.output
        # the parents' 选用 and scores are the example's, the alternative not chosen has none
        assert "设 数量指标.选用 = 完成数量" in text and "设 满意度.选用 = 企业满意度" in text
        assert "设 成本指标.选用 = 经济成本" in text and "设 社会成本" not in text
        accepted = next(row.score for row in result.nodes if row.key == "产出指标/质量指标/验收")
        assert f"期望 验收 = {accepted.normalize():f}" in text and "期望 完成面积" not in text
        assert f"期望 总分 = {result.total.normalize():f}" in text
    else:
        assert "示例" not in text


def test_a_form_naming_a_level_2_pool_again_in_its_level_3_cell_still_imports(tmp_path):
    """Forms written before named a level-2 pool's row again in 三级 (数量指标（5） | 数量指标 | 二者择其一：…): the row
    is still read as that 二级指标's pool, not as a level-3 indicator of the same name."""
    spec = tmp_path / "原表.idsl"
    spec.write_text(PARENTS_SPEC, encoding="utf-8")
    plan = idsl.load(spec)
    book = openpyxl.load_workbook(io.BytesIO(template_workbook(plan)))
    sheet = book[FORM_SHEET]
    row = next(r for r in range(1, sheet.max_row + 1) if sheet.cell(r, 5).value == "二者择其一：完成数量、完成面积")
    assert sheet.cell(row, 4).value is None
    sheet.cell(row, 4).value = "数量指标"
    book.save(tmp_path / "自评表.xlsx")
    run = CliRunner().invoke(main, ["import", str(tmp_path / "自评表.xlsx"), "-o", str(tmp_path / "导入.idsl")])
    assert run.exit_code == 0 and "0 个待定" in run.output, run.output
    assert _tree(idsl.load(tmp_path / "导入.idsl")) == _tree(plan)


BLANK_FUNDS = PARENTS_SPEC.replace("    年度资金总额：120、150、待填\n", """    年度资金总额：120、150、待填
    其中：当年财政拨款：100、130、待填
    上年结转资金：20、20、—
""")


@pytest.mark.parametrize("source", ["docx", "workbook"])
def test_a_blank_forms_empty_funds_cells_are_not_given(tmp_path, source):
    """Imported from the blank form, a 其中 row the spec leaves out (其他资金: its cells empty) is left out — not
    written —、—、— — and a part's empty cell is 待填 as the total's is, so the funds come back as written."""
    spec = tmp_path / "原表.idsl"
    spec.write_text(BLANK_FUNDS, encoding="utf-8")
    plan = idsl.load(spec)
    table = tmp_path / f"自评表.{'xlsx' if source == 'workbook' else 'docx'}"
    table.write_bytes(template_workbook(plan) if source == "workbook" else render_docx(plan, None, None))
    run = CliRunner().invoke(main, ["import", str(table), "-o", str(tmp_path / "导入.idsl")])
    assert run.exit_code == 0, run.output
    text = (tmp_path / "导入.idsl").read_text(encoding="utf-8")
    assert "    当年财政拨款：100、130、待填\n    上年结转资金：20、20、—\n  预算执行率" in text
    assert "其他资金" not in text
    funds = lambda form: [(r.row, [(c.value, c.fill) for c in r.cells]) for r in form.funds]  # noqa: E731
    assert funds(idsl.load(tmp_path / "导入.idsl").form) == funds(plan.form)
    checked = CliRunner().invoke(main, ["check", str(tmp_path / "导入.idsl")])
    assert checked.exit_code == 0 and "0 个错误，0 个警告" in checked.output, checked.output


def test_a_blank_forms_part_under_a_total_of_none_is_none(tmp_path):
    """A part's empty cell under a total printed — is no figure (—), not one to fill (E420 under a blank total)."""
    spec = tmp_path / "原表.idsl"
    spec.write_text(BLANK_FUNDS.replace("年度资金总额：120、150、待填", "年度资金总额：—、150、待填")
                    .replace("当年财政拨款：100、130、待填", "当年财政拨款：—、130、待填")
                    .replace("上年结转资金：20、20、—", "上年结转资金：—、20、—"), encoding="utf-8")
    document = Document(io.BytesIO(render_docx(idsl.load(spec), None, None)))
    part = next(row for row in document.tables[0].rows if row.cells[1].text == "其中：当年财政拨款")
    assert part.cells[3].text == "—"
    part.cells[3].text = ""  # as a form filled in by hand leaves it
    table = tmp_path / "自评表.docx"
    document.save(table)
    assert "    当年财政拨款：—、130、待填\n    上年结转资金：—、20、—\n" in import_table(table).text


@pytest.mark.parametrize("written", ["（50%，10分）", "（10分，权重50%）"])
def test_a_level_cell_giving_a_weight_beside_its_points_imports_with_its_points(tmp_path, written):
    """Many tables write an indicator's weight beside its points, `数量指标（50%，10分）`: the points are the figure in
    分, the name is the text before the bracket, and the form imports as the one without the weight."""
    plan, _result, docx = filled_docx(tmp_path, *CASES["005"])
    document = Document(docx)
    for cell in (c for row in document.tables[0].rows for c in row.cells):
        for run in (r for p in cell.paragraphs for r in p.runs):
            run.text = run.text.replace("数量指标（10）", f"数量指标{written}")
    document.save(docx)
    assert f"数量指标{written}" in [c.text for row in Document(docx).tables[0].rows for c in row.cells]
    run = CliRunner().invoke(main, ["import", str(docx), "-o", str(tmp_path / "导入.idsl")])
    assert run.exit_code == 0 and "0 个待定" in run.output, run.output
    checked = CliRunner().invoke(main, ["check", str(tmp_path / "导入.idsl")])
    assert checked.exit_code == 0 and "0 个错误，0 个警告" in checked.output, checked.output
    assert _tree(idsl.load(tmp_path / "导入.idsl")) == _tree(plan)


WHOLE_TARGETS = {"bi": ("≤1笔", "0笔", "问题数", "≤ 1 笔"), "ci": ("≤2次", "1次", "问题数", "≤ 2 次"),
                 "none": ("0起", "0起", "问题数", "= 0 起"), "people": ("≥100人", "735人", "数量 人", "≥ 100 人")}


@pytest.mark.parametrize(("target", "actual", "kind", "rule"), WHOLE_TARGETS.values(), ids=WHOLE_TARGETS.keys())
def test_a_target_kept_down_to_a_count_is_a_whole_count(tmp_path, target, actual, kind, rule):
    """A 年度指标值 keeping a count down, ≤1笔 or ≤2次, or at none, 0起, counts whole things (违规, 事故): its 实际完成值
    is a 问题数, never 0.5 笔, and a bare 0起 is = 0 (≥ 0 is always met); a count to reach, ≥100人, stays a 数量 人.
    Before, each was a 数量 in its word, and 0起 read ≥ 0 起. The draft checks clean and gives the table's scores."""
    _plan, _result, docx = filled_docx(tmp_path, *CASES["005"])
    document = Document(docx)
    cells = {"≥735人次": target, "735人次": actual}
    for cell in (c for row in document.tables[0].rows for c in row.cells):
        if cell.text in cells:
            cell.text = cells[cell.text]
    document.save(docx)
    run = CliRunner().invoke(main, ["import", str(docx), "-o", str(tmp_path / "导入.idsl")])
    assert run.exit_code == 0 and "0 个待定" in run.output, run.output
    text = (tmp_path / "导入.idsl").read_text(encoding="utf-8")
    assert f"      输入 实际完成值：{kind}\n      目标 实际完成值 {rule}\n" in text
    checked = CliRunner().invoke(main, ["check", str(tmp_path / "导入.idsl")])
    assert checked.exit_code == 0 and "0 个错误，0 个警告" in checked.output, checked.output
    tested = CliRunner().invoke(main, ["test", str(tmp_path / "导入.idsl")])
    assert tested.exit_code == 0 and "1 个通过，0 个失败" in tested.output, tested.output


# 009's posting (docs/sources/project_selfeval_zhongjiang_2022_water_gauge.md) as a Word table of its own shape: eight
# columns, 项目负责人及电话, 资金情况（万元） over 全年预算数（A）/ 全年执行数（B）/ 分值 / 执行率（B/A）/ 得分, 本年财政拨款,
# 年初设定目标, 分值 before 年度指标值 and 全年实际值, level-1 cells with 分, level-2 cells without points, the empty
# 经济效益指标 row. Its figures are the corrected spec's (specs/009): 总分 110, the targets with their operators
# (≥100%, ≤20万元) and the actuals as numbers, where the posting prints ≥266米 (examples/009_NOTES.md).
POSTED_009 = [
    [("项目名称", 1), ("中江县农业水价综合改革精准补贴和节水奖励项目小型水库水标尺制作安装项目", 3), ("项目负责人及电话", 1),
     ("", 3)],
    [("主管部门", 1), ("中江县水利局", 3), ("实施单位", 1), ("中江县水利局", 3)],
    [("资金情况（万元）", 3), ("全年预算数（A）", 1), ("全年执行数（B）", 1), ("分值", 1), ("执行率（B/A）", 1), ("得分", 1)],
    [("年度资金总额：", 3), ("20", 1), ("20", 1), ("10", 1), ("100.00%", 1), ("10", 1)],
    [("其中：本年财政拨款", 3), ("20", 1), ("20", 1), ("", 1), ("", 1), ("", 1)],
    [("其他资金", 3), ("—", 1), ("—", 1), ("", 1), ("", 1), ("", 1)],
    [("年度总体目标", 1), ("年初设定目标", 3), ("年度总体目标完成情况综述", 4)],
    [("", 1), ("对农村地区供水计量设施设备进行改进,对项目区农业用水计量,为项目区农业生产夯实基础,", 3),
     ("对项目区农业用水计量,为项目区农业生产夯实基础,", 4)],
    [(title, 1) for title in ("一级指标", "二级指标", "三级指标", "分值", "年度指标值", "全年实际值", "得分",
                              "未完成原因及拟采取的改进措施")],
    *[[(cell, 1) for cell in row] + [("", 1)] for row in (
        ("产出指标（70分）", "数量指标", "安装坡面水标尺", "10", "≥266米", "266米", "10"),
        ("产出指标（70分）", "数量指标", "水标尺宽度", "10", "≥50厘米", "50厘米", "10"),
        ("产出指标（70分）", "质量指标", "项目(工程)验收合格率", "20", "≥100%", "100%", "20"),
        ("产出指标（70分）", "时效指标", "及时(按期)开工率", "10", "≥90%", "90%", "10"),
        ("产出指标（70分）", "时效指标", "及时(按期)完工率", "10", "≥90%", "90%", "10"),
        ("产出指标（70分）", "成本指标", "项目计划总投资", "10", "≤20万元", "20万元", "10"),
        ("效益指标（20分）", "经济效益指标", "", "", "", "", ""),
        ("效益指标（20分）", "社会效益指标", "受益脱贫(含监测对象)户人口数", "10", "≥1000人", "1000人", "10"),
        ("效益指标（20分）", "社会效益指标", "群众生产生活条件改善状况", "10", "定性", "达成", "10"),
        ("满意度指标（10分）", "服务对象满意度指标", "受益脱贫(含监测对象)户满意度", "10", "≥95%", "95%", "10"))],
    [("总分", 3), ("110", 1), ("", 1), ("", 1), ("110", 1), ("", 1)],
]


def posted_docx(path: Path, rows) -> None:
    """A Word file of one table of eight columns, each row's cells given as (text, columns it spans)."""
    document = Document()
    document.add_paragraph("绩效目标自评表（2022年度）")
    table = document.add_table(rows=len(rows), cols=8)
    for number, row in enumerate(rows):
        column = 0
        for text, span in row:
            cell = table.cell(number, column)
            if span > 1:
                cell = cell.merge(table.cell(number, column + span - 1))
            cell.text = text
            column += span
    document.save(path)


def test_a_posted_xianjie_table_imports_as_specs_009(tmp_path):
    """The 衔接资金 table shaped as 009's posting imports with `表式 衔接资金` to 009's form, tree, points and
    targets (the level-2 points are the sums of their rows; the empty 经济效益指标 row is no indicator), checks
    clean and passes its worked example; printed again as Word, it imports to the same spec (form round trip)."""
    posted = tmp_path / "中江县.docx"
    posted_docx(posted, POSTED_009)
    run = CliRunner().invoke(main, ["import", str(posted), "-o", str(tmp_path / "导入.idsl")])
    assert run.exit_code == 0 and "0 个待定" in run.output, run.output
    text = (tmp_path / "导入.idsl").read_text(encoding="utf-8")
    assert "自评表\n  表式 衔接资金\n" in text
    assert "    年度资金总额：20、20\n    本年财政拨款：20、20\n    其他资金：—、—\n" in text
    checked = CliRunner().invoke(main, ["check", str(tmp_path / "导入.idsl")])
    assert checked.exit_code == 0 and "0 个错误，0 个警告" in checked.output, checked.output
    tested = CliRunner().invoke(main, ["test", str(tmp_path / "导入.idsl")])
    assert tested.exit_code == 0 and "1 个通过，0 个失败" in tested.output, tested.output
    imported, original = idsl.load(tmp_path / "导入.idsl"), idsl.load(ROOT / CASES["009"][0])
    assert imported.form == attrs.evolve(original.form, leaf=imported.form.leaf, span=imported.form.span)
    assert _tree(imported) == _tree(original) and imported.total == original.total
    again = tmp_path / "again.docx"
    again.write_bytes(render_docx(imported))
    run = CliRunner().invoke(main, ["import", str(again), "-o", str(tmp_path / "again.idsl")])
    assert run.exit_code == 0 and "0 个待定" in run.output, run.output
    twice = idsl.load(tmp_path / "again.idsl")
    assert twice.form.style == "衔接资金" and twice.form.funds == imported.form.funds and _tree(twice) == _tree(imported)


def test_a_posted_table_whose_other_funds_are_blank_leaves_that_row_out(tmp_path):
    """009's posting leaves 其他资金 blank throughout: the row is not given (as on the blank 附1 form)."""
    rows = [list(row) for row in POSTED_009]
    rows[5] = [("其他资金", 3), ("", 1), ("", 1), ("", 1), ("", 1), ("", 1)]
    posted_docx(tmp_path / "中江县.docx", rows)
    run = CliRunner().invoke(main, ["import", str(tmp_path / "中江县.docx"), "-o", str(tmp_path / "导入.idsl")])
    assert run.exit_code == 0, run.output
    imported = idsl.load(tmp_path / "导入.idsl")
    assert [row.row for row in imported.form.funds] == ["年度资金总额", "当年财政拨款"]


PLACES_GUESS = "# 表上不印小数位数：所印得分{shown}，按 2 位计分；原体系另有规定的，改这一行。\n小数 2 位\n"


@pytest.mark.parametrize(("name", "shown"), [("005", "最多 1 位小数"), ("009", "都是整数"), ("010", "都是整数"),
                                             ("011", "都是整数")])
def test_a_filled_forms_draft_scores_to_two_places_unless_a_score_shows_more(tmp_path, name, shown):
    """The form prints scores without trailing zeros (9.50 as 9.5), so the decimals a score shows are the least the
    table was scored to: the draft keeps 2 places (the specs' own, and idsl's default), saying it guessed, rather
    than 005's 1 — to which the other inputs a user gives would round apart from the original."""
    plan, _result, docx = filled_docx(tmp_path, *CASES[name])
    draft = import_table(docx)
    assert PLACES_GUESS.format(shown=shown) in draft.text
    assert load_text(Source("draft.idsl", draft.text)).spec.places == plan.places == 2


def test_a_score_printed_to_more_places_sets_the_drafts_places(tmp_path):
    """A table whose scores show 3 decimals was scored to 3 at least: the draft says so; a blank form, no score printed,
    says nothing (2 by default)."""
    _plan, _result, docx = filled_docx(tmp_path, *CASES["005"])
    document = Document(docx)
    row = next(r for r in document.tables[0].rows if r.cells[3].text == "学生满意度")
    row.cells[7].text = "9.375"
    document.save(docx)
    draft = import_table(docx)
    assert "# 表上不印小数位数：所印得分最多 3 位小数，按 3 位计分；原体系另有规定的，改这一行。\n小数 3 位\n" in draft.text
    blank = tmp_path / "空白.docx"
    blank.write_bytes(render_docx(idsl.load(ROOT / CASES["005"][0])))
    assert "小数" not in import_table(blank).text
