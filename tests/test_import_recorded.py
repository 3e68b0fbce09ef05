"""idsl import on a filled table: its scores written as a recorded-scores file, and what is wrong in them listed."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner
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


def _import(tmp_path, rows) -> tuple[list[str], Path]:
    """The summary's lines after the draft's check, and the recorded-scores file's path (beside the draft)."""
    document = Document()
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    document.save(tmp_path / "表.docx")
    result = CliRunner().invoke(main, ["import", str(tmp_path / "表.docx"), "-o", str(tmp_path / "草稿.idsl")])
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
