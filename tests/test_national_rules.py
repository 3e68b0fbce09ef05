"""The national scoring rules (财预〔2020〕10号 第十六条, 财预〔2021〕101号 §三(七)) and the 永德 2022 自评表."""

from __future__ import annotations

import json
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from idsl.cli import main
from idsl.engines.batch import score_rows
from idsl.frontend.parse import parse
from idsl.frontend.printer import format_spec
from idsl.frontend.source import Source
from idsl.semantics.lower import lower
from idsl.semantics.numbers import half_up

ROOT = Path(__file__).resolve().parent.parent
YONGDE = "specs/005_永德县明朗中学2022营养改善计划自评.idsl"
YONGDE_INPUTS = "examples/005_inputs.json"

SETTINGS = settings(max_examples=20, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])


def pass_mark_spec(op: str, goal: str, unit: str, mark: int, points: int = 10) -> str:
    kind = "比率 范围 0%～1000%" if unit == "%" else f"数量 {unit}"
    written = f"{goal}%" if unit == "%" else f"{goal} {unit}"
    return (f'体系 "例" 总分 {points}\n等级 合格：总分 ≥ 0\n产出（{points}）\n  完成情况（{points}）\n'
            f"    解释 例。\n    输入 实际：{kind}\n    目标 实际 {op} {written}，及格 {mark}%\n")


def plan_of(text: str):
    spec, diagnostics = parse(Source("t.idsl", text))
    assert spec is not None, diagnostics
    return lower(spec)


def expected(op: str, actual: Fraction, goal: Fraction, mark: Fraction, points: int) -> Decimal:
    """101号: met → full; else share below the mark → 0, above it (share − mark) ÷ (1 − mark) × points."""
    met = actual >= goal if op == "≥" else actual <= goal
    if met:
        return Decimal(points)
    share = actual / goal if op == "≥" else (goal / actual if actual else Fraction(1))
    share = min(max(share, Fraction(0)), Fraction(1))
    exact = Fraction(0) if share < mark else (share - mark) / (1 - mark) * points
    return half_up(exact, 2)


@SETTINGS
@given(st.sampled_from(["≥", "≤"]), st.sampled_from([("120", "人"), ("80", "%"), ("2000", "平方米")]),
       st.sampled_from([50, 60, 75]), st.lists(st.integers(1, 30000), min_size=3, max_size=8))
def test_pass_mark_scores_by_the_101_formula_in_both_engines(op, goal_unit, mark, hundredths):
    goal, unit = goal_unit
    plan = plan_of(pass_mark_spec(op, goal, unit, mark))
    rows = [{"单位": f"单位{i}", "产出/完成情况.实际": format(Decimal(h) / 100, "f") + ("%" if unit == "%" else "")}
            for i, h in enumerate(hundredths)]
    results = {}
    for engine in ("python", "duckdb"):
        scored, errors = score_rows(plan, rows, engine=engine)
        assert not errors, [str(e) for e in errors]
        results[engine] = scored
    assert results["python"] == results["duckdb"]
    for h, result in zip(hundredths, results["python"]):
        actual = Fraction(h, 100) / (100 if unit == "%" else 1)
        target = Fraction(goal) / (100 if unit == "%" else 1)
        assert result["总分"] == expected(op, actual, target, Fraction(mark, 100), 10), (h, result)


def test_pass_mark_examples_from_the_text():
    # 101号's own numbers: 85% done with a 60% mark on 10 points is 6.25; 50% done is 0
    assert expected("≥", Fraction(1700), Fraction(2000), Fraction(3, 5), 10) == Decimal("6.25")
    run = CliRunner().invoke(main, ["test", "examples/kinds/pass_mark.idsl"])
    assert run.exit_code == 0, run.output
    assert "1 个通过，0 个失败" in run.output


def test_pass_mark_prints_back_to_the_same_tree():
    spec, _ = parse(Source("t.idsl", pass_mark_spec("≥", "95", "%", 60)))
    printed = format_spec(spec)
    assert "，及格 60%" in printed
    assert parse(Source("printed.idsl", printed))[0] == spec


def test_a_pass_mark_of_100_percent_is_an_error_naming_the_indicator():
    plan = plan_of(pass_mark_spec("≥", "95", "%", 100))
    _scored, errors = score_rows(plan, [{"单位": "甲", "产出/完成情况.实际": "90%"}], engine="python")
    assert errors and "及格线" in str(errors[0]) and "完成情况" in str(errors[0])


def test_yongde_worked_example_gives_the_rule_total(monkeypatch):
    monkeypatch.chdir(ROOT)
    run = CliRunner().invoke(main, ["test", YONGDE])
    assert run.exit_code == 0, run.output
    assert "1 个通过，0 个失败" in run.output


def test_yongde_audit_lists_exactly_the_two_published_scores_the_rule_cannot_give(monkeypatch):
    monkeypatch.chdir(ROOT)
    run = CliRunner().invoke(main, ["audit", YONGDE, YONGDE_INPUTS, "--format", "json"])
    assert run.exit_code == 1, run.output
    audit = json.loads(run.output)["audit"]
    assert [(a["key"], a["recorded"], a["computed"]) for a in audit] == [
        ("产出指标/时效指标/资金到位及时率", "7", "10.00"), ("效益指标/社会效益指标/政策知晓率", "9", "9.80")]
    recorded = json.loads((ROOT / YONGDE_INPUTS).read_text(encoding="utf-8"))["recorded"]
    assert sum(Decimal(str(v)) for v in recorded.values()) == 96  # the table's published 得分


# ---------------------------------------------------------------- 定性: three tiers (第十六条)

QUALITATIVE = ('体系 "例" 总分 10\n等级 合格：总分 ≥ 0\n效益（10）\n  减轻负担（10）\n    解释 例。\n'
               "    输入 档次：选项 达成/部分达成/未达成\n    定性 档次\n")
TIER_RANGES = {"达成": (Fraction(8), Fraction(10), True), "部分达成": (Fraction(6), Fraction(8), False),
               "未达成": (Fraction(0), Fraction(6), False)}


@SETTINGS
@given(st.lists(st.tuples(st.sampled_from(["达成", "部分达成", "未达成", "基本完成"]), st.integers(0, 1000),
                          st.booleans()), min_size=3, max_size=10))
def test_a_tier_score_outside_its_range_or_without_a_reason_is_rejected_alike_by_both_engines(cells):
    plan = plan_of(QUALITATIVE)
    rows = [{"单位": f"单位{i}", "效益/减轻负担.档次": tier, "效益/减轻负担.得分": format(Decimal(h) / 100, "f"),
             "效益/减轻负担.理由": "部分学生未覆盖。" if reason else ""} for i, (tier, h, reason) in enumerate(cells)]
    outcome = {}
    for engine in ("python", "duckdb"):
        scored, errors = score_rows(plan, rows, engine=engine)
        outcome[engine] = ({r["单位"]: r["总分"] for r in scored}, sorted({e.row for e in errors}))
    assert outcome["python"] == outcome["duckdb"]
    accepted = outcome["python"][0]
    for i, (tier, h, reason) in enumerate(cells):
        score = Fraction(h, 100)
        low, high, closed = TIER_RANGES.get(tier, (None, None, None))
        fits = low is not None and low <= score and (score <= high if closed else score < high)
        ok = fits and (reason or tier == "达成")
        assert (f"单位{i}" in accepted) == bool(ok), (tier, score, reason)
        if ok:
            assert accepted[f"单位{i}"] == half_up(score, 2)


def test_tier_errors_name_the_indicator_and_the_field():
    plan = plan_of(QUALITATIVE)
    rows = [{"单位": "甲", "效益/减轻负担.档次": "部分达成", "效益/减轻负担.得分": "9", "效益/减轻负担.理由": "覆盖不全"},
            {"单位": "乙", "效益/减轻负担.档次": "部分达成", "效益/减轻负担.得分": "7", "效益/减轻负担.理由": ""},
            {"单位": "丙", "效益/减轻负担.档次": "基本完成", "效益/减轻负担.得分": "7", "效益/减轻负担.理由": "x"},
            {"单位": "丁", "效益/减轻负担.档次": "达成", "效益/减轻负担.得分": "≥90%", "效益/减轻负担.理由": ""}]
    _scored, errors = score_rows(plan, rows, engine="python")
    text = {e.unit: str(e) for e in errors}
    assert "减轻负担" in text["甲"] and "“部分达成”档的得分应在 6（含）～8分之间" in text["甲"]
    assert "减轻负担.理由" in text["乙"]
    assert "减轻负担.档次" in text["丙"] and "基本完成" in text["丙"]
    assert "减轻负担.得分" in text["丁"]


def test_a_tier_input_without_three_options_is_E206(tmp_path):
    spec = tmp_path / "t.idsl"
    spec.write_text(QUALITATIVE.replace("选项 达成/部分达成/未达成", "选项 有效/无效"), encoding="utf-8")
    run = CliRunner().invoke(main, ["check", "--format", "gnu", str(spec)])
    assert run.exit_code == 1 and "E206" in run.output and "定性要用一个有三个选项的选项输入" in run.output, run.output


def test_qualitative_prints_back_to_the_same_tree():
    spec, _ = parse(Source("t.idsl", QUALITATIVE))
    printed = format_spec(spec)
    assert "    定性 档次\n" in printed
    assert parse(Source("printed.idsl", printed))[0] == spec


def test_an_actual_written_as_text_or_in_another_unit_is_an_error_naming_indicator_and_field(tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)
    data = json.loads((ROOT / YONGDE_INPUTS).read_text(encoding="utf-8"))
    del data["recorded"]
    data["inputs"]["学生满意度"]["实际学生满意度"] = "≥90%"
    data["inputs"]["家长满意度"]["实际家长满意度"] = "基本完成"
    data["inputs"]["学生受资助人数"]["实际受资助人数"] = "735 元"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    run = CliRunner().invoke(main, ["score", YONGDE, str(bad)])
    assert run.exit_code == 1
    for indicator, field in (("学生满意度", "实际学生满意度"), ("家长满意度", "实际家长满意度"),
                             ("学生受资助人数", "实际受资助人数")):
        assert any(indicator in line and field in line for line in run.output.splitlines()), run.output
    assert "总分" not in run.output  # no score from bad data


# ---------------------------------------------------------------- 稷山 2020: a second real 自评表

JISHAN = "specs/006_稷山县医保局2020建档立卡个人缴费配套自评.idsl"
JISHAN_INPUTS = "examples/006_inputs.json"


def test_jishan_worked_example_gives_the_rule_total_and_checks_clean(monkeypatch):
    monkeypatch.chdir(ROOT)
    run = CliRunner().invoke(main, ["test", JISHAN])
    assert run.exit_code == 0 and "1 个通过，0 个失败" in run.output, run.output
    run = CliRunner().invoke(main, ["check", JISHAN])
    assert run.exit_code == 0 and "0 个错误，0 个警告" in run.output, run.output


def test_jishan_audit_lists_the_four_published_scores_and_the_total_the_rules_cannot_give(monkeypatch):
    monkeypatch.chdir(ROOT)
    run = CliRunner().invoke(main, ["audit", JISHAN, JISHAN_INPUTS, "--format", "json"])
    assert run.exit_code == 1, run.output
    audit = json.loads(run.output)["audit"]
    assert [(a["key"], a["recorded"], a["computed"]) for a in audit] == [
        ("预算执行率", "9", "9.91"), ("产出指标/数量指标/全县参合人数", "13", "14.86"),
        ("效益指标/社会效益指标/是否解决建档立卡人员看病难贵问题", "27", "30.00"),
        ("满意度指标/服务对象满意度指标/是否满意", "9", "10.00"), ("总分", "94", "99.77")]
    recorded = json.loads((ROOT / JISHAN_INPUTS).read_text(encoding="utf-8"))["recorded"]
    rows = sum(Decimal(str(v)) for k, v in recorded.items() if k != "总分")
    assert rows == 93 and recorded["总分"] == 94  # the published rows add up to 93, the table prints 94
