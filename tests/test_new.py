"""`idsl new` as a user runs it: list the frameworks, scaffold one, see every placeholder, fill it, and score it."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

import idsl
from idsl.cli import main
from idsl.frameworks import FRAMEWORKS, find
from idsl.frontend import ast
from idsl.frontend.parse import parse
from idsl.frontend.source import Source
from test_docx_form import grid, row_of
from test_xlsx import fill as fill_workbook

PLACEHOLDERS = {"E423", "E450", "E451", "E452"}
# Leaves per framework, as the references count them (2013 附件1: 19, 附件2: 25, 附件3: 32; 2020 附2: 17).
LEAVES = {"2013项目支出": 19, "2013部门整体": 25, "2013财政预算": 32, "2020附2": 17, "自评表": 10, "衔接资金": 10}


@pytest.fixture(autouse=True)
def in_tmp(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def leaves(indicators):
    for indicator in indicators:
        yield from leaves(indicator.children) if indicator.children else (indicator,)


def test_list_names_every_framework():
    result = run("new", "--list")
    assert result.exit_code == 0
    assert [line.split("\t")[0] for line in result.stdout.splitlines()] == [f.name for f in FRAMEWORKS]


@pytest.mark.parametrize("name", [f.name for f in FRAMEWORKS])
def test_a_scaffold_is_written_and_check_lists_only_its_placeholders(name):
    result = run("new", "--from", name, "-o", "新.idsl")
    assert result.exit_code == 0, result.output
    assert Path("新.idsl").read_text(encoding="utf-8") == find(name).text()
    assert "待填 分值" in result.stderr and "idsl check 新.idsl" in result.stderr
    checked = run("check", "--format", "json", "新.idsl")
    assert checked.exit_code == 1
    codes = [d["code"] for d in json.loads(checked.stdout)]
    assert codes and set(codes) <= PLACEHOLDERS | {"W502"}, codes
    assert all(d["line"] > 0 and d["path"] for d in json.loads(checked.stdout))


@pytest.mark.parametrize("name", [f.name for f in FRAMEWORKS])
def test_a_framework_has_its_whole_tree_and_its_points_all_to_fill(name):
    spec, diagnostics = parse(Source("f.idsl", find(name).text()))
    assert diagnostics == [] and spec.total == 100
    found = list(leaves(spec.indicators))
    assert len(found) == LEAVES[name]
    assert all(leaf.explanation for leaf in found)
    # The level-1 weights of the form are 第十三条's; everything below them is to fill.
    if name not in ("自评表", "衔接资金"):
        assert all(leaf.points is None and leaf.points_placeholder for leaf in found)


@pytest.mark.parametrize("name", [f.name for f in FRAMEWORKS])
def test_checklist_elements_are_the_numbered_points_of_the_explanation(name):
    spec, _ = parse(Source("f.idsl", find(name).text()))
    for leaf in leaves(spec.indicators):
        rule = leaf.body.rule if leaf.body else None
        if isinstance(rule, ast.Checklist) and leaf.explanation.startswith("评价要点"):
            numbered = [p.strip().rstrip("；;。") for p in re.split("[①②③④⑤]", leaf.explanation)[1:]]
            assert [item.text for item in rule.items] == numbered, leaf.name
            assert rule.each_placeholder


def test_an_unknown_framework_is_a_usage_error_naming_the_known_ones():
    result = run("new", "--from", "附9", "-o", "x.idsl")
    assert result.exit_code == 2 and "不认识的框架“附9”" in result.stderr and "2020附2" in result.stderr
    assert not Path("x.idsl").exists()


@pytest.mark.parametrize("title", ["", "  "])
def test_an_empty_title_is_a_usage_error_and_nothing_is_written(title):
    result = run("new", "--title", title, "-o", "x.idsl")
    assert result.exit_code == 2 and "标题不能是空的" in result.stderr
    assert not Path("x.idsl").exists()


def test_an_existing_file_is_never_written_over():
    Path("已有.idsl").write_text("原来的内容\n", encoding="utf-8")
    result = run("new", "-o", "已有.idsl")
    assert result.exit_code == 1 and "已存在，不覆盖" in result.stderr
    assert Path("已有.idsl").read_text(encoding="utf-8") == "原来的内容\n"


def test_the_title_is_set_and_stdout_is_used_without_an_output():
    result = run("new", "--from", "2020附2", "--title", "2024年度“粮食仓储”项目财政评价")
    assert result.exit_code == 0
    assert result.stdout.count('体系 "2024年度“粮食仓储”项目财政评价" 总分 100') == 1


# The 自评表 scaffold filled as the README shows: rows written where it says 待细化, the rest deleted.
FILLED_OUTPUT = """产出指标（50）
  数量指标（30）
    学生受资助人数（30）
      解释 年度指标值 ≥ 735 人次。
      输入 实际受资助人数：数量 人次
      目标 实际受资助人数 ≥ 735 人次
  质量指标（20）
    营养改善计划覆盖率（20）
      解释 年度指标值 = 100%。
      输入 覆盖率：比率
      目标 覆盖率 = 100%

效益指标（30）
  社会效益指标（30）
    减轻家庭经济负担（30）
      解释 定性指标：指标值 有效。
      输入 档次：选项 达成/部分达成/未达成
      定性 档次

"""


# The form's text, as the project writes it where the scaffold says ？.
FILLED_FORM = {"项目名称": "义务教育营养改善计划专项资金", "主管部门": "县教育体育局", "实施单位": "县第一中学",
               "预期目标": "确保每一个学生都能享受到国家政策福利", "实际完成情况": "全年受资助 700 人次"}


def fill(text: str) -> str:
    start, end = text.index("产出指标（50）"), text.index("满意度指标（10）")
    text = (text[:start] + FILLED_OUTPUT + text[end:]).replace("目标 满意度 ≥ ？%", "目标 满意度 ≥ 95%")
    for word, written in FILLED_FORM.items():
        text = text.replace(f"{word}：？", f"{word}：{written}", 1)
    return text


def test_the_form_scaffold_uses_the_form_block_and_check_lists_its_text_to_fill():
    assert run("new", "-o", "自评.idsl").exit_code == 0
    spec, diagnostics = parse(Source("自评.idsl", Path("自评.idsl").read_text(encoding="utf-8")))
    assert diagnostics == [] and spec.form is not None and spec.form.leaf is not None
    assert [row.row for row in spec.form.funds] == list(ast.FUNDS_ROWS)
    assert all(cell.fill for cell in spec.form.funds[0].cells)  # the total's figures: the evaluator's
    checked = json.loads(run("check", "--format", "json", "自评.idsl").stdout)
    assert [d["message"] for d in checked if d["code"] == "E423"] == [
        f"自评表的“{word}”待填（？）。" for word in FILLED_FORM]
    assert all(d["path"] == ["自评表"] and d["line"] > 0 for d in checked if d["code"] == "E423")


def test_the_first_hour_new_fill_check_template_score_docx():
    assert run("new", "--from", "自评表", "--title", "营养改善计划 2024 年自评", "-o", "自评.idsl").exit_code == 0
    unfilled = run("check", "自评.idsl")
    assert unfilled.exit_code == 1 and "E423" in unfilled.output and "E452" in unfilled.output
    Path("自评.idsl").write_text(fill(Path("自评.idsl").read_text(encoding="utf-8")), encoding="utf-8")
    checked = run("check", "自评.idsl")
    assert checked.exit_code == 0, checked.stderr
    assert "W516" not in checked.stderr  # 10/50/30/10 as 第十三条 says
    assert run("template", "自评.idsl", "-o", "输入.xlsx").exit_code == 0 and Path("输入.xlsx").stat().st_size > 0
    data = {"unit": "明朗中学", "inputs": {
        "预算执行率": {"年初预算数": 90, "全年预算数": 100, "全年执行数": 95},
        "学生受资助人数": {"实际受资助人数": 700},
        "营养改善计划覆盖率": {"覆盖率": "100%"},
        "减轻家庭经济负担": {"档次": "部分达成", "得分": 22, "理由": "部分学生家庭未覆盖"},
        "服务对象满意度": {"满意度": "96%"},
    }}
    fill_workbook(idsl.load("自评.idsl"), data).save("输入.xlsx")  # typed into the template, as an evaluator would
    scored = run("score", "自评.idsl", "输入.xlsx", "--format", "json", "--docx", "自评表.docx")
    assert scored.exit_code == 0, scored.stderr
    result = json.loads(scored.stdout)
    # 9.5 + 700/735 × 30 (28.57) + 20 + 22 + 10 = 90.07
    assert (result["total"], result["grade"]) == ("90.07", "优")
    # The Word table is 附1's: the header, the funds with the evaluator's figures, the goals, the rows.
    rows = grid(Path("自评表.docx").read_bytes())
    assert rows[0] == ["项目名称", FILLED_FORM["项目名称"]]
    assert rows[1] == ["主管部门", FILLED_FORM["主管部门"], "实施单位", FILLED_FORM["实施单位"]]
    assert row_of(rows, "年度资金总额")[1:] == ["年度资金总额", "90", "100", "95", "10", "95%", "9.5"]
    assert row_of(rows, FILLED_FORM["预期目标"])[-2:] == [FILLED_FORM["预期目标"], FILLED_FORM["实际完成情况"]]
    assert row_of(rows, "学生受资助人数")[-5:-1] == ["≥735人次", "700人次", "30", "28.57"]
    tier = row_of(rows, "减轻家庭经济负担")
    assert tier[-3] == "30" and tier[-2] == "22" and "部分学生家庭未覆盖" in tier[-1]
    assert row_of(rows, "总分")[-1] != "" and any("90.07" in cell for row in rows for cell in row)


@pytest.mark.parametrize("given", [
    {"年初预算数": "90万元", "全年预算数": "1,000,000元", "全年执行数": "95 万元"},  # with units, as the reader takes them
    {"年初预算数": 90, "全年预算数": "1,00", "全年执行数": 95},  # refused (1,00): no Word table, no 执行率 guessed
])
def test_the_form_prints_the_execution_rate_of_funds_given_with_their_unit(given):
    """The 待填 funds typed with their unit (150万元, or in 元) scored 9.5, but the Word form printed them as typed and
    left 执行率 blank, as it could not read the figures it printed: it now prints them in the form's unit (万元) and
    执行率 beside them, as for bare figures."""
    assert run("new", "--from", "自评表", "--title", "营养改善计划 2024 年自评", "-o", "自评.idsl").exit_code == 0
    Path("自评.idsl").write_text(fill(Path("自评.idsl").read_text(encoding="utf-8")), encoding="utf-8")
    _write_inputs("明朗中学", given)
    scored = run("score", "自评.idsl", "输入.json", "--format", "json", "--docx", "自评表.docx")
    if given["全年预算数"] == "1,00":
        assert scored.exit_code == 1 and json.loads(scored.stdout)["total"] is None
        return
    assert scored.exit_code == 0 and json.loads(scored.stdout)["total"] == "90.07", scored.stderr
    rows = grid(Path("自评表.docx").read_bytes())
    assert row_of(rows, "年度资金总额")[1:] == ["年度资金总额", "90", "100", "95", "10", "95%", "9.5"]


def test_the_xianjie_scaffold_fills_and_scores_to_the_posting_s_layout():
    assert run("new", "--from", "衔接资金", "-o", "衔接.idsl").exit_code == 0
    spec, diagnostics = parse(Source("衔接.idsl", Path("衔接.idsl").read_text(encoding="utf-8")))
    assert diagnostics == [] and spec.form.style == "衔接资金"
    assert [row.row for row in spec.form.funds] == ["年度资金总额", "当年财政拨款", "其他资金"]  # no 上年结转资金
    assert not any(row.cells[0].fill or row.cells[0].value for row in spec.form.funds)  # no 年初预算数 to give
    Path("衔接.idsl").write_text(fill(Path("衔接.idsl").read_text(encoding="utf-8")), encoding="utf-8")
    checked = run("check", "衔接.idsl")
    assert checked.exit_code == 0 and "W516" not in checked.stderr, checked.stderr
    _write_inputs("某村", {"全年预算数": 100, "全年执行数": 95})
    scored = run("score", "衔接.idsl", "输入.json", "--format", "json", "--docx", "衔接.docx")
    assert scored.exit_code == 0, scored.stderr
    assert json.loads(scored.stdout)["total"] == "90.07"  # as the 附1 scaffold scores the same figures
    rows = grid(Path("衔接.docx").read_bytes())
    assert ["全年预算数（A）", "全年执行数（B）", "分值", "执行率（B/A）", "得分"] == row_of(rows, "资金情况（万元）")[-5:]
    assert row_of(rows, "年度资金总额：")[-5:] == ["100", "95", "10", "95%", "9.5"]


def _write_inputs(unit: str, execution: dict) -> None:
    """输入.json for a scaffold filled by `fill`: the figures both scaffold tests score to 90.07 but 执行率's."""
    data = {"unit": unit, "inputs": {
        "预算执行率": execution,
        "学生受资助人数": {"实际受资助人数": 700},
        "营养改善计划覆盖率": {"覆盖率": "100%"},
        "减轻家庭经济负担": {"档次": "部分达成", "得分": 22, "理由": "部分学生家庭未覆盖"},
        "服务对象满意度": {"满意度": "96%"},
    }}
    Path("输入.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
