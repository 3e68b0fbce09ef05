"""The SQL engine (DuckDB) scores exactly as the interpreter does.

Hypothesis generates small specs, one rule kind each (bands with steps and linear deductions in both
directions and every rounding, deviations, formulas, per-finding deductions, choices, parts,
checklists with partial elements, discretionary scores, targets, questionnaires, special cases,
penalty blocks, 不适用, decimals other than 2, grades), and batches of inputs that include the bands'
exact boundaries, zero denominators and bad cells. For every row both engines must give the same
scores, or both reject it.
"""

from __future__ import annotations

import idsl

from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from idsl.engines.batch import score_rows
from idsl.semantics.lower import lower
from idsl.frontend.parse import parse
from idsl.frontend.source import Source

SETTINGS = settings(max_examples=16, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
ROWS = st.integers(min_value=4, max_value=14)


def plan_of(text: str):
    spec, diagnostics = parse(Source("t.idsl", text))
    assert spec is not None, (text, diagnostics)
    return lower(spec)


def agree(plan, rows):
    """Both engines: the same rows rejected, the same results for the others."""
    python, python_errors = score_rows(plan, rows, engine="python")
    duckdb, duckdb_errors = score_rows(plan, rows, engine="duckdb")
    assert sorted({e.row for e in python_errors}) == sorted({e.row for e in duckdb_errors}), (
        [str(e) for e in python_errors], [str(e) for e in duckdb_errors], rows)
    assert len(python) == len(duckdb)
    for a, b in zip(python, duckdb):
        assert a == b, (a, b)
    return python, python_errors


def header(total, grades=None):
    grades = grades or f"优：总分 ≥ {total * Decimal('0.9')}；良：{total * Decimal('0.6')} ≤ 总分 < {total * Decimal('0.9')}；差：总分 < {total * Decimal('0.6')}"
    return f'体系 "测试" 总分 {total}\n等级 {grades}\n'


def dec(places=2, low=0, high=1000):
    return st.decimals(min_value=Decimal(low), max_value=Decimal(high), places=places, allow_nan=False,
                       allow_infinity=False)


def mostly(good, bad, one_in=12):
    """Cells that are good but for one in `one_in` (a row with any bad cell is rejected whole)."""
    return st.integers(0, one_in - 1).flatmap(lambda k: st.sampled_from(bad) if k == one_in // 2 else st.sampled_from(good))


def text(value) -> str:
    return format(Decimal(value), "f")


percent = st.integers(min_value=1, max_value=99)
deducts = st.sampled_from(["0.1", "0.2", "0.5", "0.25", "1", "0.3"])
roundings = st.sampled_from(["", "（四舍五入取整）", "（向下取整）", "（向上取整）"])
steps = st.sampled_from(["1", "2", "0.5", "3", "1.5"])


# ---------------------------------------------------------------- bands over a rate


@st.composite
def rate_bands(draw):
    lo, hi = sorted(draw(st.lists(percent, min_size=2, max_size=2, unique=True)))
    points = draw(st.sampled_from([2, 3, 4, 5]))
    direction = draw(st.sampled_from(["down", "up", "fixed"]))
    rounding = draw(roundings)
    step, deduct = draw(steps), draw(deducts)
    if direction == "down":
        bands = (f"      比率 ≥ {hi}%：得满分\n"
                 f"      {hi}% > 比率 ≥ {lo}%：每降低 {step}%{rounding} 扣 {deduct} 分\n"
                 f"      比率 < {lo}%：不得分\n")
    elif direction == "up":
        bands = (f"      比率 < {lo}%：得满分\n"
                 f"      {lo}% ≤ 比率 ≤ {hi}%：每增加 {step}%{rounding} 扣 {deduct} 分\n"
                 f"      比率 > {hi}%：不得分\n")
    else:
        bands = (f"      比率 = 100%：得满分\n"
                 f"      100% > 比率 ≥ {hi}%：得 {points - 0.5} 分\n"
                 f"      {lo}%～{hi}%：得 1 分\n"
                 f"      比率 < {lo}%：不得分\n")
    spec = (header(points) + f"决策（{points}）\n  比率指标（{points}）\n    输入 比率：比率 范围 0%～200%\n"
            f"    分档 比率\n{bands}")
    boundaries = [lo, hi, 100, 0, 200]
    values = draw(st.lists(st.one_of(
        st.sampled_from(boundaries).map(str),
        st.sampled_from(boundaries).flatmap(lambda b: st.sampled_from([Decimal(b) - Decimal("0.01"), Decimal(b) + Decimal("0.01"),
                                                                       Decimal(b) - Decimal("0.0001"), Decimal(b) + Decimal("0.5")])).map(text),
        dec(4, 0, 200).map(text),
        st.sampled_from(["abc", "", "250", "-1", "12.34567", "50%"]),
    ), min_size=4, max_size=14))
    rows = [{"单位": f"单位{i}", "决策/比率指标.比率": v + draw(st.sampled_from(["", "%"])) if v not in ("", "abc", "50%") else v}
            for i, v in enumerate(values)]
    return spec, rows


@SETTINGS
@given(rate_bands())
def test_bands_over_a_rate(case):
    spec, rows = case
    agree(plan_of(spec), rows)


# ---------------------------------------------------------------- a ratio of two amounts, special case, zero denominator


@st.composite
def ratio_bands(draw):
    lo, hi = sorted(draw(st.lists(percent, min_size=2, max_size=2, unique=True)))
    special = draw(st.booleans())
    deduct, step, rounding = draw(deducts), draw(steps), draw(roundings)
    spec = (header(2) + "决策（2）\n  安排率（2）\n    输入 重点：金额 万元，总数：金额 万元\n"
            "    比率 = 重点 / 总数\n"
            + ("    若 总数 = 0 则 得满分\n" if special else "")
            + f"    分档 比率：比率 ≥ {hi}% 得满分；{hi}% > 比率 ≥ {lo}% 每降低 {step}%{rounding} 扣 {deduct} 分；比率 < {lo}% 得 0 分\n")
    rows = []
    for i in range(draw(ROWS)):
        total = draw(st.one_of(st.just(Decimal(0)), dec(2, 1, 100000), st.sampled_from([Decimal(3), Decimal(7), Decimal(100)])))
        kind = draw(st.sampled_from(["lo", "hi", "free", "free"]))
        if kind in ("lo", "hi") and total:
            share = Decimal(lo if kind == "lo" else hi) / 100
            part = (share * total).quantize(Decimal("0.0001"))
        else:
            part = draw(dec(2, 0, 100000))
        rows.append({"单位": f"单位{i}", "决策/安排率.重点": text(part) + draw(st.sampled_from(["", "万元"])),
                     "决策/安排率.总数": text(total)})
    return spec, rows


@SETTINGS
@given(ratio_bands())
def test_bands_over_a_ratio_with_special_and_zero_denominator(case):
    spec, rows = case
    agree(plan_of(spec), rows)


# ---------------------------------------------------------------- deviation


@st.composite
def deviations(draw):
    step, deduct, rounding = draw(steps), draw(deducts), draw(roundings)
    limit = draw(st.sampled_from(["", "，超过 10% 不得分", "，超过 5% 得 0 分"]))
    target = draw(st.sampled_from(["0%", "2%"]))
    absolute = draw(st.booleans())
    subject = "|调整数 / 预算数|" if absolute else "调整数 / 预算数"
    spec = (header(2) + "过程（2）\n  预算调整率（2）\n    输入 调整数：金额 万元 可负，预算数：金额 万元\n"
            f"    偏离 {subject} 目标 {target}，每 {step}%{rounding} 扣 {deduct} 分{limit}\n")
    rows = []
    for i in range(draw(ROWS)):
        budget = draw(st.one_of(dec(2, 1, 10000), st.just(Decimal(1000)), st.just(Decimal(0))))
        if budget == 1000 and draw(st.booleans()):
            change = Decimal(draw(st.integers(-150, 150))) / 2 * 10  # 0.5% steps: exact halves
        else:
            change = draw(dec(2, -5000, 5000))
        rows.append({"单位": f"单位{i}", "过程/预算调整率.调整数": text(change), "过程/预算调整率.预算数": text(budget)})
    return spec, rows


@SETTINGS
@given(deviations())
def test_deviation(case):
    spec, rows = case
    agree(plan_of(spec), rows)


# ---------------------------------------------------------------- formulas


FORMULAS = [
    ("输入 执行数：金额 万元，预算数：金额 万元\n    执行率 = 执行数 / 预算数\n    得分 = min(执行率, 100%) × 分值",
     ["执行数", "预算数"], "money"),
    ("输入 上半年：比率，全年：比率\n    平均 = (上半年 + 全年) ÷ 2\n    得分 = 平均 × 分值", ["上半年", "全年"], "rate"),
    ("输入 已完成：数量 个，未完成：数量 个\n    若 未完成 = 0 则 得满分\n    得分 = 已完成 ÷ (已完成 + 未完成) × 分值",
     ["已完成", "未完成"], "count"),
    ("输入 甲：金额 万元，乙：金额 万元\n    得分 = 四舍五入(甲 / 乙, 2) × 分值", ["甲", "乙"], "money"),
    ("输入 甲：金额 元，乙：金额 万元\n    得分 = min(换算(甲, 万元) / 乙, 1) × 分值 - max(0.5, 乙 / 100000)", ["甲", "乙"], "money"),
]


@st.composite
def formulas(draw):
    body, names, kind = draw(st.sampled_from(FORMULAS))
    points = draw(st.sampled_from([3, 6, 7]))
    places = draw(st.sampled_from([None, 1, 3]))
    spec = header(points).replace("\n等级", ("\n" + f"小数 {places} 位" if places is not None else "") + "\n等级", 1)
    spec += f"决策（{points}）\n  公式指标（{points}）\n    {body}\n"
    rows = []
    for i in range(draw(ROWS)):
        row = {"单位": f"单位{i}"}
        for name in names:
            if kind == "rate":
                value = text(draw(dec(2, 0, 100))) + "%"
            elif kind == "count":
                value = str(draw(st.integers(0, 20)))
            else:
                value = text(draw(st.one_of(dec(2, 0, 100000), st.just(Decimal(0)), st.sampled_from([Decimal(3), Decimal(7)]))))
            row[f"决策/公式指标.{name}"] = value
        rows.append(row)
    return spec, rows


@SETTINGS
@given(formulas())
def test_formulas(case):
    spec, rows = case
    agree(plan_of(spec), rows)


# ---------------------------------------------------------------- per finding, choice, parts, discretionary


@st.composite
def findings_choices_parts(draw):
    deduct = draw(st.sampled_from(["1", "0.5", "2"]))
    cap = draw(st.sampled_from(["", "，最多 3 分"]))
    discretionary = draw(st.sampled_from(["酌情", "酌情 1～2 分"]))
    spec = (header(10) + "执行（10）\n  规范性（5）\n    输入 未满足项数：问题数\n"
            f"    按项扣分 未满足项数 每项 {deduct} 分{cap}，扣完为止\n"
            "  公开（3）\n    分项 预算公开（1）\n      选择 预算公开情况\n        按时公开：1 分\n        迟延公开：0.5 分\n"
            "        未公开：0 分\n    分项 自评（2）\n      " + discretionary + "\n"
            "  完成率（2）\n    酌情\n")
    rows = []
    for i in range(draw(ROWS)):
        rows.append({
            "单位": f"单位{i}",
            "执行/规范性.未满足项数": draw(mostly(["0", "1", "2", "3", "4", "9"], ["1.5", "-1", ""])),
            "执行/公开.预算公开情况": draw(mostly(["按时公开", "迟延公开", "未公开", "A", "b", "C"], ["D", "乱写"])),
            "执行/公开.得分": draw(mostly(["1", "1.5", "2"] + (["0", "0.5"] if discretionary == "酌情" else []),
                                        ["2.5", "x", ""] + (["0", "0.5"] if discretionary != "酌情" else []))),
            "执行/公开.理由": draw(mostly(["有依据"], [""], 6)),
            "执行/完成率.得分": draw(mostly(["0", "1.25", "2"], ["3"])),
            "执行/完成率.理由": draw(mostly(["自评"], [""], 6)),
        })
    return spec, rows


@SETTINGS
@given(findings_choices_parts())
def test_per_finding_choice_parts_discretionary(case):
    spec, rows = case
    agree(plan_of(spec), rows)


# ---------------------------------------------------------------- checklists


@st.composite
def checklists(draw):
    partial = draw(st.booleans())
    spec = (header(5) + "决策（5）\n  目标设定（5）\n    合理性（5）\n"
            f"      要素 每项 1 分{'，可酌情' if partial else ''}\n        - 甲\n        - 乙（2分）\n        - 丙\n        - 丁\n")
    good = ["是", "否", "是", "否", "符合", "不符合", "0.5", "1", "0"] if partial else ["是", "否", "符合", "不符合", "yes"]
    bad = ["2", "3", "x", "", "1.23456"] if partial else ["1", "x", ""]
    rows = []
    for i in range(draw(ROWS)):
        row = {"单位": f"单位{i}"}
        for n in range(1, 5):
            row[f"决策/目标设定/合理性.要素{n}"] = draw(mostly(good, bad, 20))
        if partial:
            row["决策/目标设定/合理性.理由"] = draw(mostly(["部分符合"], [""], 4))
        rows.append(row)
    return spec, rows


@SETTINGS
@given(checklists())
def test_checklists(case):
    spec, rows = case
    agree(plan_of(spec), rows)


# ---------------------------------------------------------------- targets


@st.composite
def targets(draw):
    op, unit, goal = draw(st.sampled_from([(">=", "人", "120"), (">=", "万人", "41.94"), ("<=", "%", "4"), ("=", "人", "50")]))
    strict = draw(st.sampled_from(["", "，未达标不得分"]))
    symbol = {">=": "≥", "<=": "≤", "=": "="}[op]
    kind = "比率" if unit == "%" else f"数量 {unit}"
    spec = (header(3) + f"产出（3）\n  产出数量（3）\n    输入 实际：{kind}\n    目标 实际 {symbol} {goal}"
            f"{'%' if unit == '%' else ' ' + unit}{strict}\n")
    rows = []
    for i in range(draw(ROWS)):
        value = draw(st.one_of(st.just(Decimal(goal)), dec(2, 0, 200), st.just(Decimal(0)), dec(4, 0, 10)))
        rows.append({"单位": f"单位{i}", "产出/产出数量.实际": text(value) + ("%" if unit == "%" else "")})
    return spec, rows


@SETTINGS
@given(targets())
def test_targets(case):
    spec, rows = case
    agree(plan_of(spec), rows)


# ---------------------------------------------------------------- questionnaires


@st.composite
def questionnaires(draw):
    spec = (header(4) + "效益（4）\n  满意度（4）\n    问卷 综合满意率\n      选项 A 10 分，B 7 分，C 4 分，D 0 分\n"
            "      - 第一题\n      - 第二题\n"
            "    分档 综合满意率：综合满意率 ≥ 90% 得满分；90% > 综合满意率 ≥ 70% 每降低 1% 扣 0.2 分；综合满意率 < 70% 不得分\n")
    rows = []
    for i in range(draw(ROWS)):
        row = {"单位": f"单位{i}"}
        for q in (1, 2):
            for letter in "ABCD":
                row[f"效益/满意度.综合满意率.第{q}题.{letter}"] = draw(mostly(["0", "1", "2", "3", "6", "10"], ["1.5", "", "-1"], 40))
        rows.append(row)
    return spec, rows


@SETTINGS
@given(questionnaires())
def test_questionnaires(case):
    spec, rows = case
    agree(plan_of(spec), rows)


# ---------------------------------------------------------------- penalties, 不适用, rescaling, grades


@st.composite
def penalties_and_exclusions(draw):
    places = draw(st.sampled_from([1, 2, 3]))
    spec = (f'体系 "测试" 总分 9\n小数 {places} 位\n等级 优：总分 ≥ 8；良：6 ≤ 总分 < 8；差：总分 < 6\n'
            "决策（9）\n  甲（3）\n    酌情\n    不适用 剔除\n  乙（3）\n    酌情\n    不适用 得满分\n"
            "  丙（3）\n    输入 率：比率\n    得分 = 率 × 分值\n"
            "逆向指标（4）\n  自评质量（3）\n    酌情\n  处罚（2）\n    选择 处罚情况\n      受到处罚：2 分\n      无：0 分\n")
    rows = []
    for i in range(draw(ROWS)):
        rows.append({
            "单位": f"单位{i}",
            "决策/甲.得分": draw(mostly(["0", "1", "2.5", "3"], ["", "x"], 6)),
            "决策/甲.理由": "理由",
            "决策/甲.不适用": draw(mostly(["", "是", "否"], ["也许"], 10)),
            "决策/乙.得分": draw(st.sampled_from(["0", "1.1", "3"])),
            "决策/乙.理由": "理由",
            "决策/乙.不适用": draw(st.sampled_from(["", "是"])),
            "决策/丙.率": draw(st.sampled_from(["33.33%", "66.67", "100%", "12.5%", "0%"])),
            "逆向指标/自评质量.得分": draw(st.sampled_from(["0", "1", "3"])),
            "逆向指标/自评质量.理由": draw(mostly(["迟交"], [""], 3)),
            "逆向指标/处罚.处罚情况": draw(st.sampled_from(["受到处罚", "无", "B"])),
        })
    return spec, rows


@SETTINGS
@given(penalties_and_exclusions())
def test_penalties_not_applicable_and_places(case):
    spec, rows = case
    agree(plan_of(spec), rows)


def test_spec_examples_agree_with_json():
    """001 and 002 as published: the batch of one unit gives the JSON's scores in both engines."""
    from pathlib import Path

    from idsl.engines.rows import row_from_json
    from idsl.semantics.numbers import loads
    from idsl.frontend.resolve import load

    for spec, inputs in (("specs/001_肃南县人社局2024部门整体支出.idsl", "examples/001_inputs.json"),
                         ("specs/002_阜沙分局2022部门整体自评.idsl", "examples/002_inputs.json")):
        loaded = load(spec)
        plan = lower(loaded.spec, loaded.sources)
        data = loads(Path(inputs).read_text(encoding="utf-8"))
        results, errors = agree(plan, [row_from_json(plan, data)])
        assert not errors
        reference = idsl.score(plan, data)
        assert results[0]["总分"] == reference.total
        assert results[0]["等级"] == reference.grade


@pytest.mark.parametrize("value, expected", [("89.67", "1.79"), ("89.66501", "1.79"), ("89.6650123", None)])
def test_rates_written_without_percent_are_percent_figures(value, expected):
    plan = plan_of(header(2) + "决策（2）\n  甲（2）\n    输入 率：比率\n    得分 = 率 × 分值\n")
    results, errors = agree(plan, [{"单位": "甲", "决策/甲.率": value}])
    if expected is None:
        assert errors and not results
    else:
        assert results[0]["决策/甲"] == Decimal("1.79")


def test_products_that_need_more_than_18_digits():
    """1.000000000 × 100000.0000: DuckDB 2.0 narrows such a product to DECIMAL(18) from the data and
    then overflows; the compiled query computes it in 38 digits."""
    plan = plan_of(header(3) + "决策（3）\n  公式指标（3）\n    输入 甲：金额 元，乙：金额 万元\n"
                   "    得分 = min(换算(甲, 万元) / 乙, 1) × 分值 - max(0.5, 乙 / 100000)\n")
    rows = [{"单位": "甲", "决策/公式指标.甲": "0", "决策/公式指标.乙": "100000.00"},
            {"单位": "乙", "决策/公式指标.甲": "999999999999", "决策/公式指标.乙": "99999.9999"}]
    results, errors = agree(plan, rows)
    assert not errors and len(results) == 2


def test_a_score_below_the_points_needs_its_reason_in_both_engines():
    """扣分须说明理由 (grammar/README.md §11.11): below the points a blank 理由 refuses the row; a full score or a
    reason passes."""
    plan = plan_of(header(10) + "产出（10）\n  完成率（6）\n    扣分须说明理由\n    输入 完成率：比率\n"
                   "    得分 = min(完成率, 100%) × 分值\n  及时率（4）\n    输入 及时率：比率\n    得分 = 及时率 × 分值\n")
    rows = [{"单位": "甲", "产出/完成率.完成率": "90%", "产出/完成率.理由": "", "产出/及时率.及时率": "100%"},
            {"单位": "乙", "产出/完成率.完成率": "90%", "产出/完成率.理由": "延期", "产出/及时率.及时率": "50%"},
            {"单位": "丙", "产出/完成率.完成率": "100%", "产出/完成率.理由": "　", "产出/及时率.及时率": "50%"}]
    results, errors = agree(plan, rows)
    assert [r["单位"] for r in results] == ["乙", "丙"]
    assert [r["产出/完成率"] for r in results] == [Decimal("5.40"), Decimal("6.00")]
    assert len(errors) == 1 and "甲" in str(errors[0]) and "理由" in str(errors[0])
