"""idsl import on a filled table: its scores written as a recorded-scores file, and what is wrong in them listed."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner
import openpyxl
from docx import Document

from idsl.cli import main
from idsl.frontend.resolve import load_text
from idsl.frontend.source import Source
from idsl.io.columns import unknown_recorded
from idsl.io.inputs import read_recorded
from idsl.semantics.lower import lower

TABLES = Path(__file__).resolve().parent.parent / "examples" / "tables"
EXAMPLES = TABLES.parent
HEADER = ("一级指标", "二级指标", "三级指标", "分值", "评分标准", "得分")
CHECKLIST = "①是否制定计划；②是否有时间安排。以上要素各占50%权重分，符合得1分，不符合得0分。"
BANDS = "安排率=(重点项目支出/项目总支出)×100%。\n安排率≥80%得3分，60%—80%每降低1%扣0.1分，低于60%得0分。"
ONE_ELEMENT = "本部门（单位）在预算编制时、按要求编制中期财政规划、政策依据充分的，得2分。"  # 002's: 2 of 4 points
GRADES = "等级 (9 (含) -10 分为优、8 (含) -9 分为良、6 (含) -8 分为中、6 分以下为差)"
# The published figures, all consistent: 2 + 3 + 2 = 7, less the 2 deducted, is 5, a 差.
FIGURES = {"计划明确性": "2", "安排率": "3", "规划性": "2", "小计": "7", "违规": "-2", "逆向指标小计": "2",
           "合计": "5", "等级": "差"}


def _rows(figures: dict[str, str]) -> list[tuple[str, ...]]:
    f = figures.get
    return [HEADER,
            ("决策", "目标设定", "计划明确性", "2", CHECKLIST, f("计划明确性", "")),
            ("", "", "安排率", "3", BANDS, f("安排率", "")),
            ("过程", "预算编制", "规划性", "5", ONE_ELEMENT, f("规划性", "")),
            ("小计", "小计", "小计", "10", "", f("小计", "")),
            ("逆向指标(-5)", "违规 (-5分)", "扣分处理", "-5", "按实际情况酌情扣分，上限5分。", f("违规", "")),
            ("逆向指标小计", "逆向指标小计", "逆向指标小计", "", "", f("逆向指标小计", "")),
            ("合计", "合计", "合计", "", "", f("合计", "")),
            (GRADES,) * 5 + (f("等级", ""),)]


def _import(tmp_path, *tables: list[tuple[str, ...]]) -> tuple[list[str], Path]:
    """The summary's lines after the draft's check, and the recorded-scores file's path (beside the draft), of a
    Word file holding `tables` (each a list of rows of cell texts), a paragraph between two."""
    document = Document()
    for rows in tables:
        table = document.add_table(rows=len(rows), cols=len(rows[0]))
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                table.cell(r, c).text = text
        document.add_paragraph("")
    document.save(tmp_path / "表.docx")
    return _run_import(tmp_path, tmp_path / "表.docx")


def _run_import(tmp_path, table: Path) -> tuple[list[str], Path]:
    result = CliRunner().invoke(main, ["import", str(table), "-o", str(tmp_path / "草稿.idsl")])
    assert result.exit_code == 0, result.output
    return result.output.splitlines(), tmp_path / "草稿.recorded.json"


def _findings(lines: list[str]) -> list[str]:
    at = next(i for i, line in enumerate(lines) if line.startswith("核对原表的得分"))
    return [line.strip() for line in lines[at + 1:]]


def test_consistent_figures_are_written_and_nothing_is_found(tmp_path):
    lines, recorded = _import(tmp_path, _rows(FIGURES))
    assert json.loads(recorded.read_text(encoding="utf-8")) == {
        "计划明确性": 2, "安排率": 3, "规划性": 2, "小计": 7, "逆向指标": 2, "违规": -2, "总分": 5, "等级": "差"}
    assert "核对原表的得分：没有发现问题。" in lines


def test_a_score_that_is_no_number_is_named_by_its_row_and_left_out(tmp_path):
    lines, recorded = _import(tmp_path, _rows(FIGURES | {"安排率": "三分"}))
    assert _findings(lines) == ["R101 决策 › 目标设定 › 安排率：第 3 行的得分“三分”不是一个数，没有写进记录得分。"]
    assert "安排率" not in json.loads(recorded.read_text(encoding="utf-8"))


@pytest.mark.parametrize("mark", ["—", "/", "－", " -- "])
def test_a_score_cell_marked_empty_is_read_as_left_blank(tmp_path, mark):
    (tmp_path / "marked").mkdir(), (tmp_path / "blank").mkdir()
    marked = _import(tmp_path / "marked", _rows(FIGURES | {"安排率": mark, "违规": mark}))
    blank = _import(tmp_path / "blank", _rows(FIGURES | {"安排率": "", "违规": ""}))
    assert not any(line.startswith("R101") for line in _findings(marked[0]))
    assert _findings(marked[0]) == _findings(blank[0])
    assert marked[1].read_text(encoding="utf-8") == blank[1].read_text(encoding="utf-8")
    assert "安排率" not in json.loads(marked[1].read_text(encoding="utf-8"))


def test_a_score_above_its_points_or_below_zero_and_a_deduction_above_its_cap(tmp_path):
    figures = FIGURES | {"计划明确性": "-1", "安排率": "4", "小计": "5", "违规": "-7", "逆向指标小计": "7", "合计": "-2"}
    assert _findings(_import(tmp_path, _rows(figures))[0]) == [
        "R102 决策 › 目标设定 › 计划明确性：记录的得分 -1 分低于 0 分。",
        "R102 决策 › 目标设定 › 安排率：记录的得分 4 分超过指标分值 3 分。",
        "R102 逆向指标 › 违规：记录的扣分 7 分超过这一项的上限 5 分。"]


def test_a_score_the_drafted_rule_cannot_give(tmp_path):
    lines, _ = _import(tmp_path, _rows(FIGURES | {"规划性": "4", "小计": "9", "合计": "7", "等级": "中"}))
    assert "  E401 过程 › 预算编制 › 规划性：“规划性”的规则最多只能给 2 分，而指标是 5 分。" in lines
    assert _findings(lines) == ["R103 过程 › 预算编制 › 规划性：记录的得分 4 分，而草稿的规则最多只能给 2 分。"]


def test_a_subtotal_or_total_that_is_not_the_sum_of_its_rows(tmp_path):
    figures = FIGURES | {"小计": "8", "逆向指标小计": "1", "合计": "7", "等级": "中"}
    assert _findings(_import(tmp_path, _rows(figures))[0]) == [
        "R104 小计（第 5 行）：记为 8 分，而它合计的 3 行各指标得分之和是 7 分。",
        "R104 逆向指标小计（第 7 行）：记为 1 分，而它合计的 1 行所列各项之和是 2 分。",
        "R104 合计（第 8 行）：记为 7 分，而它合计的 4 行各指标得分之和减去扣分是 5 分。"]


def test_a_grade_the_total_does_not_have(tmp_path):
    assert _findings(_import(tmp_path, _rows(FIGURES | {"等级": "良"}))[0]) == [
        "R105 等级（第 9 行）：记为“良”，而按表中的等级划分，合计 5 分是“差”。"]


def test_a_table_without_figures_writes_no_recorded_file(tmp_path):
    lines, recorded = _import(tmp_path, _rows({}))
    assert not recorded.exists()
    assert not any(line.startswith(("原表记有得分", "核对原表的得分")) for line in lines)


def _imported(tmp_path, name: str) -> tuple[list[str], dict, Path]:
    draft = tmp_path / "草稿.idsl"
    result = CliRunner().invoke(main, ["import", str(TABLES / name), "-o", str(draft)])
    assert result.exit_code == 0, result.output
    recorded = tmp_path / "草稿.recorded.json"
    return result.output.splitlines(), json.loads(recorded.read_text(encoding="utf-8"), parse_float=Decimal), draft


def _known_to(draft: Path, recorded: dict) -> list[str]:
    """The keys of a recorded-scores file the draft's plan does not name (what `idsl audit` would refuse)."""
    loaded = load_text(Source(str(draft), draft.read_text(encoding="utf-8")))
    plan = lower(loaded.spec, loaded.sources)
    return [key for key in recorded if unknown_recorded(plan, key)]


def test_002s_figures_are_carried_and_its_impossible_scores_found(tmp_path):
    lines, recorded, draft = _imported(tmp_path, "002_意见表.docx")
    assert recorded["预算编制规划性"] == 4 and recorded["绩效指标明确性"] == Decimal("2.5")
    assert recorded["部门预算支出率"] == Decimal("5.5") and recorded["社会经济环境效益"] == 8
    assert (recorded["小计"], recorded["逆向指标"], recorded["总分"], recorded["等级"]) == (93, 0, 93, "优")
    assert not _known_to(draft, recorded)
    # The published recorded scores (examples/002_inputs.json) are the table's, 资产管理员理性 as printed.
    published = json.loads((EXAMPLES / "002_inputs.json").read_text(encoding="utf-8"), parse_float=Decimal)["recorded"]
    published["资产管理员理性"] = published.pop("资产管理合理性")
    assert {key: published[key] for key in recorded if key != "小计"} == {k: v for k, v in recorded.items() if k != "小计"}
    assert read_recorded(draft.with_name("草稿.recorded.json"))[0] == recorded
    # 93 is the 29 leaves' sum and 小计, nothing is deducted, and 93 is a 优: only the two scores no rule gives.
    assert _findings(lines) == [
        "R103 预算编制情况 › 目标设置 › 预算编制规划性：记录的得分 4 分，而草稿的规则最多只能给 2 分。",
        "R103 预算编制情况 › 目标设置 › 预算编制科学性：记录的得分 3 分，而草稿的规则最多只能给 2 分。"]


def test_001s_scores_are_the_published_ones_and_those_its_checklists_cannot_give_are_found(tmp_path):
    lines, recorded, draft = _imported(tmp_path, "001_附件1.docx")
    published = json.loads((EXAMPLES / "001_inputs.json").read_text(encoding="utf-8"))["recorded"]
    assert recorded == published
    assert not _known_to(draft, recorded)
    found = _findings(lines)
    assert len(found) == 8 and all(line.startswith("R103 ") for line in found)
    assert "R103 效益 › 生态效益 › 改善生活生态环境：记录的得分 8 分，而草稿的规则最多只能给 4.5 分。" in found


def test_a_name_used_twice_is_keyed_by_its_path(tmp_path):
    rows = [tuple("安排率" if cell == "规划性" else cell for cell in row) for row in _rows(FIGURES)]
    _, recorded = _import(tmp_path, rows)
    figures = json.loads(recorded.read_text(encoding="utf-8"))
    assert figures["决策/目标设定/安排率"] == 3 and figures["过程/预算编制/安排率"] == 2 and "安排率" not in figures
    assert not _known_to(tmp_path / "草稿.idsl", figures)


def test_a_word_file_with_several_tables_names_the_table_and_its_row(tmp_path):
    # A table of the unit's details above the scoring table, which runs on in a third table repeating its header.
    rows = _rows(FIGURES | {"规划性": "二分", "逆向指标小计": "3", "合计": "4"})
    details = [("部门名称", "某局"), ("评价年度", "2024")]
    lines, _ = _import(tmp_path, details, rows[:3], [rows[0]] + rows[3:])
    assert _findings(lines) == [
        "R101 过程 › 预算编制 › 规划性：第 3 个表格第 2 行的得分“二分”不是一个数，没有写进记录得分。",
        "R104 逆向指标小计（第 3 个表格第 5 行）：记为 3 分，而它合计的 1 行所列各项之和是 2 分。"]


def _branch_rows(figures: dict[str, str]) -> list[tuple[str, ...]]:
    """A table giving each level-1 indicator a row of its own, its score the table's sum of its children's."""
    f = figures.get
    return [HEADER,
            ("决策（5）", "", "", "5", "", f("决策", "")),
            ("决策（5）", "目标设定（5）", "计划明确性", "2", CHECKLIST, f("计划明确性", "")),
            ("决策（5）", "目标设定（5）", "安排率", "3", BANDS, f("安排率", "")),
            ("决策小计", "决策小计", "决策小计", "5", "", f("决策小计", "")),
            ("过程（4）", "", "", "4", "", f("过程", "")),
            ("过程（4）", "预算编制（4）", "规划性", "2", ONE_ELEMENT, f("规划性", "")),
            ("过程（4）", "预算编制（4）", "规范性", "2", ONE_ELEMENT, f("规范性", "")),
            ("过程小计", "过程小计", "过程小计", "4", "", f("过程小计", "")),
            ("小计", "小计", "小计", "9", "", f("小计", "")),
            ("合计", "合计", "合计", "", "", f("合计", ""))]


BRANCHES = {"决策": "5", "计划明确性": "2", "安排率": "3", "决策小计": "5", "过程": "4", "规划性": "2", "规范性": "2",
            "过程小计": "4", "小计": "9", "合计": "9"}


def test_level_1_scores_and_section_subtotals_are_written_under_the_sections_names(tmp_path):
    lines, recorded = _import(tmp_path, _branch_rows(BRANCHES))
    assert json.loads(recorded.read_text(encoding="utf-8")) == {
        "决策": 5, "计划明确性": 2, "安排率": 3, "过程": 4, "规划性": 2, "规范性": 2, "小计": 9, "总分": 9}
    assert "核对原表的得分：没有发现问题。" in lines
    # Its own row's score is written, the 小计 only checked.
    lines, recorded = _import(tmp_path, _branch_rows(BRANCHES | {"决策小计": "6"}))
    assert json.loads(recorded.read_text(encoding="utf-8"))["决策"] == 5
    assert _findings(lines) == ["R104 决策小计（第 5 行）：记为 6 分，而它合计的 2 行各指标得分之和是 5 分。"]
    # Without its own row's score, a section's 小计 is written under its name.
    _, recorded = _import(tmp_path, _branch_rows(BRANCHES | {"决策": "", "过程": ""}))
    assert json.loads(recorded.read_text(encoding="utf-8"))["决策"] == 5
    assert list(json.loads(recorded.read_text(encoding="utf-8"))) == [
        "计划明确性", "安排率", "决策", "规划性", "规范性", "过程", "小计", "总分"]


def test_a_level_1_score_that_is_not_its_childrens_sum(tmp_path):
    lines, _ = _import(tmp_path, _branch_rows(BRANCHES | {"决策": "4"}))
    assert _findings(lines) == ["R104 决策：记为 4 分，而它的 1 个下级指标得分之和是 5 分。"]


def test_a_level_2_score_checked_against_its_leaves_and_its_parent_against_it(tmp_path):
    rows = _branch_rows(BRANCHES)
    rows.insert(6, ("过程（4）", "预算编制（4）", "", "4", "", "3"))  # 预算编制's own row: 3, its leaves 2 + 2
    assert _findings(_import(tmp_path, rows)[0]) == [
        "R104 过程：记为 4 分，而它的 1 个下级指标得分之和是 3 分。",
        "R104 过程 › 预算编制：记为 3 分，而它的 2 个下级指标得分之和是 4 分。"]


def test_a_level_1_score_above_its_points_or_below_zero(tmp_path):
    figures = BRANCHES | {"决策": "6", "过程": "-1"}
    assert _findings(_import(tmp_path, _branch_rows(figures))[0]) == [
        "R102 决策：记录的得分 6 分超过指标分值 5 分。",
        "R104 决策：记为 6 分，而它的 1 个下级指标得分之和是 5 分。",
        "R102 过程：记录的得分 -1 分低于 0 分。",
        "R104 过程：记为 -1 分，而它的 1 个下级指标得分之和是 4 分。"]


def test_the_audit_compares_the_recorded_section_scores_with_the_scored_subtotals(tmp_path):
    # 决策 recorded 4 on its own row, 过程 3 on its 小计: both off their leaves' 5 and 2, as the rules give them too.
    lines, recorded = _import(tmp_path, _branch_rows(BRANCHES | {"决策": "4", "过程": "", "规范性": "0",
                                                                 "过程小计": "3", "小计": "7", "合计": "7"}))
    assert json.loads(recorded.read_text(encoding="utf-8"))["过程"] == 3
    assert not _known_to(tmp_path / "草稿.idsl", json.loads(recorded.read_text(encoding="utf-8")))
    inputs = {"inputs": {"计划明确性": {"要素": ["是", "是"]}, "安排率": {"重点项目支出": 90, "项目总支出": 100},
                         "规划性": {"要素": ["是"]}, "规范性": {"要素": ["否"]}}}
    (tmp_path / "输入.json").write_text(json.dumps(inputs, ensure_ascii=False), encoding="utf-8")
    result = CliRunner().invoke(main, ["audit", str(tmp_path / "草稿.idsl"), str(tmp_path / "输入.json"),
                                       "--recorded", str(recorded), "--format", "json"])
    assert result.exit_code == 1, result.output
    audit = json.loads(result.output)["audit"]
    assert {row["key"]: (Decimal(row["recorded"]), Decimal(row["computed"])) for row in audit} == {
        "决策": (4, 5), "过程": (3, 2)}


def test_a_row_of_a_sheet_is_named_by_the_sheets_own_row_number(tmp_path):
    # A title on row 1 and a blank row 2 above the header on row 3: the bad score is on the sheet's row 9.
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "评分表"
    sheet.append(["某部门整体支出绩效评价指标体系及评分表"])
    sheet.append([])
    for row in _branch_rows(BRANCHES | {"规划性": "四分"}):
        sheet.append(list(row))
    book.save(tmp_path / "表.xlsx")
    lines, recorded = _run_import(tmp_path, tmp_path / "表.xlsx")
    assert [line for line in _findings(lines) if line.startswith("R101")] == [
        "R101 过程 › 预算编制 › 规划性：工作表“评分表”第 9 行的得分“四分”不是一个数，没有写进记录得分。"]
    assert "规划性" not in json.loads(recorded.read_text(encoding="utf-8"))


def test_a_level_2_name_used_twice_is_keyed_by_its_path(tmp_path):
    rows = [tuple(cell.replace("预算编制", "目标设定") for cell in row) for row in _branch_rows(BRANCHES)]
    rows.insert(2, ("决策（5）", "目标设定（5）", "", "5", "", "5"))
    _, recorded = _import(tmp_path, rows)
    figures = json.loads(recorded.read_text(encoding="utf-8"))
    assert figures["决策/目标设定"] == 5 and "目标设定" not in figures
    assert not _known_to(tmp_path / "草稿.idsl", figures)


def test_a_sections_subtotal_with_no_subtotal_before_it_closes_its_own_section_only(tmp_path):
    """过程小计 alone (决策 has none): it adds up 过程's leaves, not 决策's too."""
    rows = [row for row in _branch_rows(BRANCHES | {"决策": "", "过程": ""}) if row[0] != "决策小计"]
    lines, recorded = _import(tmp_path, rows)
    assert "核对原表的得分：没有发现问题。" in lines
    written = json.loads(recorded.read_text(encoding="utf-8"))
    assert written["过程"] == 4 and "决策" not in written and written["小计"] == 9
    lines, _ = _import(tmp_path, [row if row[0] != "过程小计" else row[:5] + ("5",) for row in rows])
    assert _findings(lines) == ["R104 过程小计（第 8 行）：记为 5 分，而它合计的 2 行各指标得分之和是 4 分。"]


def test_a_level_1_score_on_its_own_row_below_its_children_is_that_level_1s(tmp_path):
    """决策's own row printed after its rows (its name again, its points and score): 决策's recorded score, checked
    against its children's, not a second 决策."""
    rows = [HEADER,
            ("决策", "目标设定", "计划明确性", "2", CHECKLIST, "2"),
            ("", "", "安排率", "3", BANDS, "3"),
            ("决策", "", "", "5", "", "4"),
            ("过程", "预算编制", "规划性", "5", ONE_ELEMENT, "2")]
    lines, recorded = _import(tmp_path, rows)
    assert json.loads(recorded.read_text(encoding="utf-8")) == {"计划明确性": 2, "安排率": 3, "决策": 4, "规划性": 2}
    assert _findings(lines) == ["R104 决策：记为 4 分，而它的 1 个下级指标得分之和是 5 分。"]


def test_findings_are_listed_in_the_order_of_the_rows_they_cite(tmp_path):
    """The 小计 on row 5 before the deduction on row 6, the 合计 on row 8 last: the file's order, not indicators'
    findings first and the 小计/合计 ones after."""
    figures = FIGURES | {"小计": "8", "违规": "-7", "逆向指标小计": "7", "合计": "1", "等级": "差"}
    assert _findings(_import(tmp_path, _rows(figures))[0]) == [
        "R104 小计（第 5 行）：记为 8 分，而它合计的 3 行各指标得分之和是 7 分。",
        "R102 逆向指标 › 违规：记录的扣分 7 分超过这一项的上限 5 分。",
        "R104 合计（第 8 行）：记为 1 分，而它合计的 4 行各指标得分之和减去扣分是 0 分。"]
