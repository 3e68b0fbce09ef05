"""A number written with a unit (or a %) meets a quantity in another unit: everywhere a spec can write one, it is
either converted exactly (the same score in the interpreter and in DuckDB) or refused with a hint that says what
to write; never read silently in the quantity's own unit (每 10000 元 on an amount in 万元 read as 10000 万元)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from idsl.check import check
from idsl.engines.batch import score_rows
from idsl.engines.python import score
from idsl.engines.rows import row_from_json
from idsl.frontend.resolve import load_text
from idsl.frontend.source import Source
from idsl.io.inputs import read_inputs
from idsl.semantics.lower import lower
from plans import form_head

HEAD = '体系 "例" 总分 10\n'
WORKS = "管理（10）\n  经费控制（10）\n    解释 经费。\n    酌情\n"  # a scored leaf beside the items


def _leaf(*lines: str, inputs: str = "经费：金额 万元") -> str:
    body = "".join(f"    {line}\n" for line in lines)
    return f"{HEAD}管理（10）\n  经费控制（10）\n    解释 经费。\n    输入 {inputs}\n{body}"


def _errors(text: str) -> list[tuple[str, str, str]]:
    loaded = load_text(Source("t.idsl", text))
    return [(d.code, d.message, d.hint or "") for d in check(loaded) if d.severity == "error"]


def _plan(text: str):
    loaded = load_text(Source("t.idsl", text))
    assert not [d for d in check(loaded) if d.severity == "error"], _errors(text)
    return lower(loaded.spec, loaded.sources)


def _scores(text: str, units: list[dict], key: str) -> list[Decimal]:
    """The leaf's score for each unit, the same in the interpreter and in DuckDB (every column of the batch)."""
    plan = _plan(text)
    rows = [row_from_json(plan, {"unit": f"单位{i}", "inputs": u}) for i, u in enumerate(units)]
    by_duckdb, duck_errors = score_rows(plan, rows, engine="duckdb")
    by_python, python_errors = score_rows(plan, rows, engine="python")
    assert not duck_errors and not python_errors
    assert by_duckdb == by_python
    one_by_one = [next(n.score for n in score(plan, read_inputs({"inputs": u})).nodes if n.key == key) for u in units]
    assert [Decimal(str(r[key])) for r in by_python] == one_by_one
    return one_by_one


# ---------------------------------------------------------------- refused: E409 (E410, E413) with what to write

IN_WAN = "两边用同一单位：写成 100 万元（1000000 元 = 100 万元）。"
STEP_IN_WAN = "两边用同一单位：写成 1 万元（10000 元 = 1 万元）。"
PENALTY = f"{HEAD}{WORKS}逆向指标（5）\n  超支（5）\n    说明 超支。\n    输入 经费：金额 万元\n"
BONUS = f"{HEAD}{WORKS}加分项（3）\n  节约（3）\n    说明 节约。\n    输入 经费：金额 万元\n"
BY_CLASS = (f'{HEAD}单位类别 行政单位、事业单位\n管理（10）\n  经费控制（10）\n    解释 经费。\n'
            f'    输入 经费：金额 万元\n    按类别\n')

REFUSED = {
    "penalty item's bands": (PENALTY + "    分档 经费：> 1000000 元 扣 5 分；否则 不扣分\n", "E409", IN_WAN),
    "penalty item's 偏离": (PENALTY + "    偏离 经费 目标 0 万元，每 10000 元 扣 1 分，扣完为止\n", "E409", STEP_IN_WAN),
    "bonus item's bands": (BONUS + "    分档 经费：≥ 1000000 元 得满分；否则 不得分\n", "E409", IN_WAN),
    "按类别 branch's bands": (BY_CLASS + "      行政单位：分档 经费：≤ 1000000 元 得满分；否则 不得分\n"
                              "      事业单位：目标 经费 ≤ 100 万元\n", "E409", IN_WAN),
    "按类别 branch's 偏离": (BY_CLASS + "      行政单位：目标 经费 ≤ 100 万元\n"
                             "      事业单位：偏离 经费 目标 100 万元，每 10000 元 扣 1 分，扣完为止\n", "E409", STEP_IN_WAN),
    "按类别 branch's linear band": (BY_CLASS + "      行政单位：目标 经费 ≤ 100 万元\n      事业单位：分档 经费：≤ 100 万元 得满分；"
                                    "100 万元 < 经费 ≤ 120 万元 每增加 10000 元 扣 1 分；> 120 万元 不得分\n", "E409", STEP_IN_WAN),
    "若 … 则": (_leaf("若 经费 > 1000000 元 则 不得分", "得分 = 完成率 × 分值", inputs="经费：金额 万元，完成率：比率"),
               "E409", IN_WAN),
    "计分条件": (_leaf("计分条件 经费 > 1000000 元", "得分 = 完成率 × 分值", inputs="经费：金额 万元，完成率：比率"),
                 "E409", IN_WAN),
    "分档 over two subjects": (_leaf("分档 按期完成、经费：", "  是，≤ 1000000 元 得满分；是，> 100 万元 得 5 分", "  否则 不得分",
                                    inputs="按期完成：是否，经费：金额 万元"), "E409", IN_WAN),
    "linear step over two subjects": (_leaf("分档 按期完成、经费：", "  是，≤ 100 万元 得满分；"
                                           "是，100 万元 < 经费 ≤ 120 万元 每增加 10000 元 扣 0.5 分", "  否则 不得分",
                                           inputs="按期完成：是否，经费：金额 万元"), "E409", STEP_IN_WAN),
    "万人 against 人": (_leaf("分档 人数：≥ 419400 人 得满分；否则 不得分", inputs="人数：数量 万人"),
                       "E409", "两边用同一单位：写成 41.94 万人（419400 人 = 41.94 万人）。"),
    "% against a count": (_leaf("分档 人数：≥ 90% 得满分；否则 不得分", inputs="人数：数量 人"),
                          "E409", "另一边是数量（人）：写成 90 人，不写 %；要按比率评分，先算出比率，例如 实际数 / 计划数。"),
    "% step of an amount": (_leaf("偏离 经费 目标 100 万元，每 1% 扣 1 分，扣完为止"),
                            "E409", "另一边是金额（万元）：写成 1 万元，不写 %；要按比率评分，先算出比率，例如 实际数 / 计划数。"),
    "% target of an amount": (_leaf("目标 经费 ≥ 90%"), "E409", "声明为 输入 经费：比率。"),
    "目标 in 万元 on a rate": (_leaf("目标 完成率 ≥ 90 万元，未达标不得分", inputs="完成率：比率"),
                             "E409", "比率按百分数书写：写成 90%，不写“万元”。"),
    "目标 in 万元 on a plain number": (_leaf("目标 人均经费 ≥ 5 万元", inputs="人均经费：数值"), "E409",
                                    "另一边是不带单位的数值（数值输入，或两种单位相除得到的量，如 万元 ÷ 人 的人均经费）：写成 5，不写“万元”。"),
    "目标 in 万元 on a 问题数": (_leaf("目标 问题数 ≤ 2 万元，未达标不得分", inputs="问题数：问题数"),
                              "E409", "只写个数，例如 ≤ 2，或带量词：≤ 2 笔。"),
    "目标 in 万次 on a 问题数": (_leaf("目标 问题数 ≤ 2 万次，未达标不得分", inputs="问题数：问题数"),
                              "E409", "只写个数，例如 ≤ 2，或带量词：≤ 2 笔。"),
    "目标 in 个 on 处": (_leaf("目标 完成处数 ≥ 12 个", inputs="完成处数：数量 处"), "E409", "让目标与实际值用同一单位。"),
    "趋势 of 万元 against 元": (_leaf("趋势 本年经费 较 上年经费：提高 得满分；持平 得 5 分；下降 不得分",
                                   inputs="本年经费：金额 万元，上年经费：金额 元"),
                              "E409", "两边用同一单位：先用 换算(x, 万元) 把“元”的一边换成“万元”。"),
    "一票否决": (f'{HEAD}一票否决 若 违规金额 > 10000 元\n输入 违规金额：金额 万元\n{WORKS}', "E409", STEP_IN_WAN),
    "a leaf input's 范围": (_leaf("分档 经费：≥ 100 万元 得满分；否则 不得分", inputs="经费：金额 万元 范围 0～1000000 元"),
                            "E409", IN_WAN),
    "a spec-level input's 范围": (f"{HEAD}输入 上年经费：金额 万元 范围 0～1000000 元\n" + _leaf("分档 经费 - 上年经费：≥ 0 万元 得满分；否则 不得分"),
                                  "E409", IN_WAN),
    "a rate's 范围 in 万元": (_leaf("得分 = min(完成率, 100%) × 分值", inputs="完成率：比率 范围 0～120 万元"),
                             "E409", "比率按百分数书写：写成 120%，不写“万元”。"),
    "a rate's 范围 without %": (_leaf("得分 = min(完成率, 100%) × 分值", inputs="完成率：比率 范围 0～120"),
                               "E410", "写成 120%；比率按百分数书写。"),
    "示例 设 90% on an amount": (_leaf("分档 经费：≥ 100 万元 得满分；否则 不得分")
                                 + "\n示例 一\n  设 经费控制.经费 = 90%\n  期望 经费控制 = 0\n",
                                 "E413", "“经费”按万元写，例如 设 经费控制.经费 = 90 万元。"),
    "示例 设 人 on an amount": (_leaf("分档 经费：≥ 100 万元 得满分；否则 不得分")
                                + "\n示例 一\n  设 经费控制.经费 = 100 人\n  期望 经费控制 = 10\n",
                                "E413", "“经费”按万元写，例如 设 经费控制.经费 = 100 万元。"),
    "示例 设 万元 on a 共用 rate": (f"{HEAD}输入 到位率：比率\n" + _leaf("得分 = 到位率 × 分值")
                                    + "\n示例 一\n  设 共用.到位率 = 90 万元\n  期望 经费控制 = 9\n",
                                    "E413", "“到位率”写成比率（带 %），例如 设 共用.到位率 = 90%。"),
}


@pytest.mark.parametrize("place", list(REFUSED))
def test_a_number_in_another_unit_is_refused_with_what_to_write(place):
    text, code, hint = REFUSED[place]
    found = _errors(text)
    assert (code, hint) in [(c, h) for c, _m, h in found], found
    assert all(c in ("E409", "E410", "E413") for c, _m, _h in found), found  # no follow-on misreading (E401, E404 …)


def test_an_example_value_in_another_unit_is_refused_when_run_too():
    """The reader a worked example's 设 goes through refuses 90% for an amount (it read 0.9 万元), as a file's text."""
    from idsl.frontend import ast
    from idsl.io.values import convert

    said = []
    decl = ast.Input("经费", "money", "万元")
    assert convert(decl, ast.Num(Decimal(90), percent=True), lambda m, h=None: said.append(m)) is None
    assert said == ["这是金额，不是比率，不能带 %。"]
    said.clear()
    assert convert(ast.Input("完成率", "rate"), ast.Num(Decimal(90), unit="万元"), lambda m, h=None: said.append(m)) is None
    assert said == ["“完成率”是不带单位的数，这里写了“万元”：“90万元”。"]
    assert convert(decl, ast.Num(Decimal(1000000), unit="元"), print) == 100


# ---------------------------------------------------------------- converted exactly, alike in both engines

def test_a_target_in_yuan_against_wan_yuan_converts_at_its_boundary():
    text = _leaf("目标 经费 ≥ 1000000 元，未达标不得分")
    units = [{"经费控制": {"经费": v}} for v in ("99.99", "100", "99.999999", "1000000 元")]
    assert _scores(text, units, "管理/经费控制") == [Decimal(0), Decimal(10), Decimal(0), Decimal(10)]


def test_a_target_in_wan_yuan_against_yuan_converts_at_its_boundary():
    text = _leaf("目标 经费 ≤ 99.99 万元，未达标不得分", inputs="经费：金额 元")
    units = [{"经费控制": {"经费": v}} for v in ("999900", "999900.01")]
    assert _scores(text, units, "管理/经费控制") == [Decimal(10), Decimal(0)]


def test_a_count_target_in_wan_ren_against_ren_converts():
    text = _leaf("目标 人数 ≥ 41.94 万人，未达标不得分", inputs="人数：数量 人")
    units = [{"经费控制": {"人数": v}} for v in ("419400", "419399")]
    assert _scores(text, units, "管理/经费控制") == [Decimal(10), Decimal(0)]


def test_a_class_branch_target_in_yuan_converts():
    text = BY_CLASS + "      行政单位：目标 经费 ≤ 1000000 元，未达标不得分\n      事业单位：目标 经费 ≤ 100 万元\n"
    units = [{"共用": {"单位类别": "行政单位"}, "经费控制": {"经费": v}} for v in ("100", "100.0001")]
    assert _scores(text, units, "管理/经费控制") == [Decimal(10), Decimal(0)]


def test_the_self_assessment_form_converts_its_targets():
    """自评表: 年度指标值 written in 元 and 人 against 实际完成值 in 万元 and 万人 score by the completed share."""
    text = form_head("90") + (
        "产出指标（50）\n  数量指标（50）\n    投资（50）\n      解释 年度指标值 ≥ 120 万元。\n"
        "      输入 投资额：金额 万元\n      目标 投资额 ≥ 1200000 元\n"
        "效益指标（30）\n  社会效益指标（30）\n    受益人口（30）\n      解释 年度指标值 ≥ 3 万人。\n"
        "      输入 受益人口数：数量 万人\n      目标 受益人口数 ≥ 30000 人\n")
    text = text.replace("120、150、待填", "120、150、150")
    units = [{"投资": {"投资额": "60"}, "受益人口": {"受益人口数": "3"}},
             {"投资": {"投资额": "119.99"}, "受益人口": {"受益人口数": "1.5"}}]
    assert _scores(text, units, "产出指标/数量指标/投资") == [Decimal(25), Decimal("50.00")]
    assert _scores(text, units, "效益指标/社会效益指标/受益人口") == [Decimal(30), Decimal(15)]


def test_an_example_in_yuan_for_an_amount_in_wan_yuan_converts():
    text = _leaf("分档 经费：≥ 100 万元 得满分；否则 不得分") + "\n示例 一\n  设 经费控制.经费 = 1000000 元\n  期望 经费控制 = 10\n"
    assert _errors(text) == []
    assert _scores(text, [{"经费控制": {"经费": "1000000 元"}}, {"经费控制": {"经费": "999999 元"}}],
                   "管理/经费控制") == [Decimal(10), Decimal(0)]
