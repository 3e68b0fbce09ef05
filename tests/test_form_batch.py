"""Many projects' 自评表 scored at once (one row per project): `idsl template --batch` gives the header — the
funds figures to fill (the total's and the 其中 rows'), the actuals, the 定性 tier with its score and reason —
and `idsl score spec projects.csv` gives the same results with the interpreter and with DuckDB."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from click.testing import CliRunner

from idsl.cli import main

SPEC = """体系 "农村饮水安全工程项目支出绩效自评表" 总分 100
小数 2 位
等级 优：总分 ≥ 90；良：80 ≤ 总分 < 90；中：60 ≤ 总分 < 80；差：总分 < 60
自评表
  项目名称：农村饮水安全工程
  主管部门：县水务局
  实施单位：县水务局
  项目资金（万元）
    年度资金总额：120、150、待填
    其中：当年财政拨款：100、130、待填
    上年结转资金：20、20、待填
  预算执行率（10）
    得分 = min(执行率, 100%) × 分值
产出指标（50）
  数量指标（50）
    集中供水工程（50）
      解释 年度指标值 ≥ 12 处。
      输入 完成处数：数量 处
      目标 完成处数 ≥ 12 处
效益指标（30）
  社会效益指标（30）
    群众饮水条件改善（30）
      解释 定性指标：指标值 有效。
      输入 档次：选项 达成/部分达成/未达成
      定性 档次
满意度指标（10）
  服务对象满意度指标（10）
    群众满意度（10）
      解释 年度指标值 ≥ 90%。
      输入 满意度：比率
      目标 满意度 ≥ 90%
"""
RATE, WORKS = "预算执行率", "产出指标/数量指标/集中供水工程"
TIER, PLEASED = "效益指标/社会效益指标/群众饮水条件改善", "满意度指标/服务对象满意度指标/群众满意度"
HEADER = ["单位", f"{RATE}.全年执行数", f"{RATE}.当年财政拨款全年执行数", f"{RATE}.上年结转资金全年执行数",
          f"{WORKS}.完成处数", f"{TIER}.档次", f"{TIER}.得分", f"{TIER}.理由", f"{PLEASED}.满意度"]
# (project, 全年执行数 as total and parts, 完成处数, tier, tier score, reason, 满意度)
PROJECTS = [
    ("甲", ("150", "130", "20"), "12", "达成", "30", "", "95%"),
    ("乙", ("135", "120", "15"), "11", "部分达成", "22", "两处水源未通", "88%"),
    ("丙", ("90", "75", "15"), "6", "未达成", "10", "工程延期", "60%"),
    ("丁", ("150", "140", "20"), "12", "达成", "30", "", "95%"),  # parts 160 ≠ 150: an error
    ("戊", ("150", "130", "20"), "12", "部分达成", "27", "", "95%"),  # below the top tier without a reason
    ("己", ("150", "130", "20"), "≥11", "达成", "30", "", "95%"),  # a bound short of the target: not scored
    ("庚", ("150", "130", "20"), "≥12", "达成", "30", "", "95%"),  # the target's own bound: met
]


@pytest.fixture()
def folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("自评.idsl").write_text(SPEC, encoding="utf-8")
    return tmp_path


def test_the_batch_header_has_the_funds_the_actuals_and_the_tier(folder):
    assert CliRunner().invoke(main, ["template", "--batch", "自评.idsl", "-o", "项目.csv"]).exit_code == 0
    with open("项目.csv", encoding="utf-8-sig", newline="") as f:
        assert next(csv.reader(f)) == HEADER


def test_both_engines_score_the_projects_alike(folder):
    with open("项目.csv", "w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(HEADER)
        for unit, funds, done, tier, score, reason, pleased in PROJECTS:
            writer.writerow([unit, *funds, done, tier, score, reason, pleased])
    outputs = {}
    for engine in ("python", "duckdb"):
        run = CliRunner().invoke(main, ["score", "自评.idsl", "项目.csv", "-o", f"结果_{engine}.csv", "--engine", engine])
        assert run.exit_code == 1, run.output  # three projects have errors; the others are scored
        outputs[engine] = (Path(f"结果_{engine}.csv").read_text(encoding="utf-8"),
                           Path(f"结果_{engine}.errors.csv").read_text(encoding="utf-8"))
    assert outputs["python"] == outputs["duckdb"]
    rows = {r["单位"]: r for r in csv.DictReader(outputs["python"][0].splitlines())}
    # 甲 all met; 乙 9 + 11/12 × 50 (45.83) + 22 + 88/90 × 10 (9.78); 丙 6 + 25 + 10 + 6.67
    assert {u: (r["总分"], r["等级"]) for u, r in rows.items()} == {
        "甲": ("100.00", "优"), "乙": ("86.61", "良"), "丙": ("47.67", "差"), "庚": ("100.00", "优")}
    errors = outputs["python"][1]
    assert "丁" in errors and "其中各项之和（当年财政拨款 + 上年结转资金）与年度资金总额的全年执行数不等" in errors
    assert "戊" in errors and f"{TIER}.理由" in errors
    assert "己" in errors and "只知下限：“≥11”，不能说明是否达到目标≥12处" in errors


def test_a_total_out_of_its_range_is_its_own_error_alone_in_both_engines(folder):
    """DuckDB compared the 其中 rows with a 全年执行数 of -1 and listed their sum as differing too; the interpreter
    (and the JSON reader) compare only figures that read: the total's own range error is the row's one problem."""
    with open("项目.csv", "w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(HEADER)
        writer.writerow(["庚", "-1", "130", "20", "12", "达成", "30", "", "95%"])
    listed = {}
    for engine in ("python", "duckdb"):
        run = CliRunner().invoke(main, ["score", "自评.idsl", "项目.csv", "-o", f"结果_{engine}.csv", "--engine", engine])
        assert run.exit_code == 1, run.output
        listed[engine] = list(csv.reader(Path(f"结果_{engine}.errors.csv").read_text(encoding="utf-8-sig").splitlines()))
    assert listed["duckdb"] == listed["python"] == [
        ["行", "单位", "列", "问题"],
        ["2", "庚", f"{RATE}.全年执行数", "值 -1万元 超出允许范围 不小于 0万元。（可以为负时，在体系的输入声明里加“可负”。）"]]
