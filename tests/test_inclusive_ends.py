"""Band ends marked （含） and 另扣 … 扣完为止: boundary scores in both engines, the reasons, the checker's floor."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

import idsl
from idsl.check import check
from idsl.engines.batch import score_rows
from idsl.engines.rows import row_from_json
from idsl.frontend.resolve import load_text
from idsl.frontend.source import Source
from idsl.render.standard import standard_text
from idsl.semantics.lower import lower

ROOT = Path(__file__).resolve().parent.parent
SPEC = (ROOT / "tests" / "cases" / "score" / "inclusive_ends.idsl").read_text(encoding="utf-8")
EIGHTY, NINETY = "产出/恰好八成", "产出/恰好九成"  # 90%（含）以上、80%（含）～90%、80%以下; 90%以上、60%-90%（含）、60%（含）以下


def plan_of(text: str):
    loaded = load_text(Source("t.idsl", text))
    errors = [d for d in check(loaded) if d.severity == "error"]
    assert not errors, [str(d) for d in errors]
    return lower(loaded.spec, loaded.sources)


def unit(rate: str, spent: int = 0, found: int = 0) -> dict:
    return {"inputs": {"恰好八成": {"完成率": rate}, "恰好九成": {"完成率": rate},
                       "违规支出": {"执行率": "80%", "违规笔数": spent}, "资料报送": {"执行率": "90%", "问题个数": found}}}


# rate → (恰好八成, 恰好九成): a marked end belongs to its band, an unmarked one to the band beside it
BOUNDARIES = {"59.99%": (0, 0), "60%": (0, 0), "60.01%": (0, 6), "79.99%": (0, 6), "80%": (8, 6),
              "89.99%": (8, 6), "90%": (10, 6), "90.01%": (10, 10)}


@pytest.mark.parametrize("engine", ["duckdb", "python"])
def test_both_engines_score_the_boundaries_by_their_marks(engine):
    plan = plan_of(SPEC)
    rows = [row_from_json(plan, {**unit(rate), "unit": rate}) for rate in BOUNDARIES]
    scored, errors = score_rows(plan, rows, engine=engine)
    assert not errors
    got = [(Decimal(str(r[EIGHTY])), Decimal(str(r[NINETY]))) for r in scored]
    assert got == [(Decimal(a), Decimal(b)) for a, b in BOUNDARIES.values()]


def test_the_reason_marks_the_end_that_belongs():
    result = idsl.score(plan_of(SPEC), unit("80%"))
    assert result.node(EIGHTY).reason == "完成率为80%，在80%（含）～90%之间，得8分。"
    assert result.node(NINETY).reason == "完成率为80%，在60%～90%（含）之间，得6分。"


# findings → (违规支出: 80% × 5 = 4 less 1 each, 资料报送: 90% × 5 = 4.5 less 0.5 each), never below 0
UNTIL_ZERO = {0: ("4", "4.5"), 3: ("1", "3"), 4: ("0", "2.5"), 9: ("0", "0"), 10_000: ("0", "0")}


def test_also_deduct_until_zero_stops_at_zero_in_both_engines():
    plan = plan_of(SPEC)
    rows = [row_from_json(plan, {**unit("80%", n, n), "unit": str(n)}) for n in UNTIL_ZERO]
    duckdb, duck_errors = score_rows(plan, rows, engine="duckdb")
    python, python_errors = score_rows(plan, rows, engine="python")
    assert not duck_errors and not python_errors and duckdb == python
    got = [(Decimal(str(r["过程/违规支出"])), Decimal(str(r["过程/资料报送"]))) for r in python]
    assert got == [(Decimal(a), Decimal(b)) for a, b in UNTIL_ZERO.values()]


def test_the_reason_names_what_was_deducted_up_to_zero():
    reason = idsl.score(plan_of(SPEC), unit("80%", 6)).node("过程/违规支出").reason
    assert reason == "执行率为80%，得4分；另扣违规笔数4分，最终得0分。"


FLOORED = """体系 "例" 总分 4
过程（4）
  预算执行（4）
    解释 例
    输入 执行率：比率，违规支出：问题数，调减：问题数
    得分 = 执行率 × 分值
    另扣 调减 每项 1 分，最多扣 4 分
    另扣 违规支出 每项 0.5 分，扣完为止
    最低 -2 分
"""


def test_until_zero_takes_nothing_from_a_score_already_below_zero():
    plan = plan_of(FLOORED)
    below = idsl.score(plan, {"inputs": {"预算执行": {"执行率": "50%", "违规支出": 3, "调减": 3}}})
    assert below.node("过程/预算执行").score == Decimal(-1)  # 2 − 3 = −1: the 另扣 … 扣完为止 after it takes nothing
    above = idsl.score(plan, {"inputs": {"预算执行": {"执行率": "50%", "违规支出": 3, "调减": 1}}})
    assert above.node("过程/预算执行").score == Decimal(0)  # 2 − 1 = 1, then 1.5 asked, 1 taken


def test_until_zero_needs_no_cap():
    alone = FLOORED.replace("    最低 -2 分\n", "").replace("    另扣 调减 每项 1 分，最多扣 4 分\n", "")
    assert [d.code for d in check(load_text(Source("t.idsl", alone.replace("，调减：问题数", ""))))] == []
    capped = FLOORED.replace("扣完为止", "最多扣 9 分")
    assert "E443" in [d.code for d in check(load_text(Source("t.idsl", capped)))]  # a written cap is still held


def test_a_unit_run_into_yishang_reads_as_the_unit_and_the_end():
    text = """体系 "例" 总分 10
产出（10）
  资金到位（10）
    解释 例
    输入 到位资金：金额 万元
    分档 到位资金：50 万元以上 得满分；30 万元～50 万元（含） 得 5 分；30 万元及以下 不得分
"""
    together = load_text(Source("t.idsl", text))
    assert [d.code for d in check(together)] == []
    spaced = load_text(Source("t.idsl", text.replace("万元以上", "万元 以上").replace("万元及以下", "万元 及以下")))
    plans = [lower(loaded.spec, loaded.sources) for loaded in (together, spaced)]
    for amount, points in (("29.99", "0.00"), ("30", "0.00"), ("30.01", "5.00"), ("50", "5.00"), ("50.01", "10.00")):
        scores = [str(idsl.score(plan, {"inputs": {"资金到位": {"到位资金": amount}}}).total) for plan in plans]
        assert scores == [points, points], amount
    assert standard_text(plans[0].find("资金到位")).splitlines()[0] == "1. 到位资金50万元以上的，得满分；"
    assert standard_text(plans[0].find("资金到位")) == standard_text(plans[1].find("资金到位"))


ABOVE_BELOW = (ROOT / "tests" / "cases" / "score" / "above_below.idsl").read_text(encoding="utf-8")
# rate → (90%以上、80%（含）～90%、80%以下; 90%以上、低于90%; 80%以上、60%-80%（含）、60%以下)
YISHANG = {"59.99%": (0, 0, 0), "60%": (0, 0, 0), "60.01%": (0, 0, 3), "79.99%": (0, 0, 3), "80%": (8, 0, 3),
           "80.01%": (8, 0, 10), "89.99%": (8, 0, 10), "90%": (10, 10, 10), "90.01%": (10, 10, 10)}


@pytest.mark.parametrize("engine", ["duckdb", "python"])
def test_yishang_yixia_include_their_number_unless_another_band_marks_it(engine):
    plan = plan_of(ABOVE_BELOW)
    leaves = ("恰好九成", "低于九成", "恰好六成")
    rows = [row_from_json(plan, {"inputs": {"恰好九成": {"完成率": rate}, "恰好八成": {"完成率": rate},
                                            "低于九成": {"合格率": rate}, "恰好六成": {"合格率": rate}}, "unit": rate})
            for rate in YISHANG]
    scored, errors = score_rows(plan, rows, engine=engine)
    assert not errors
    got = [tuple(Decimal(str(r[f"产出/{leaf}"])) for leaf in leaves) for r in scored]
    assert got == [tuple(Decimal(v) for v in values) for values in YISHANG.values()]


def test_an_unmarked_end_prints_back_unmarked_whichever_way_it_reads():
    from idsl.frontend.printer import format_spec
    spec = load_text(Source("t.idsl", ABOVE_BELOW)).spec
    text = format_spec(spec)
    assert "      90%以上：得满分\n      80%（含）～90%：得 8 分\n      80%以下：不得分\n" in text
    assert load_text(Source("again.idsl", text)).spec == spec
