"""The SQL engine prints the score IR: where its old rule-by-rule reading disagreed with the interpreter, it now agrees.

Each case is scored by DuckDB and by the interpreter; the scores must be equal, and each unit's
错误 lines (`key<TAB>message`) must carry the interpreter's own failure messages.
"""

from __future__ import annotations

from decimal import Decimal

import duckdb
import pytest

from idsl.engines.batch import score_rows
from idsl.engines.python import score
from idsl.engines.sql import ERRORS, MAX_DECIMALS, SqlError, compile_sql, quote
from idsl.engines.sql.compiler import Compiler
from idsl.engines.sql.printer import FIELD
from idsl.frontend.parse import parse
from idsl.frontend.resolve import load
from idsl.frontend.source import Source
from idsl.io.columns import unit_columns
from idsl.io.inputs import read_inputs
from idsl.semantics.lower import lower

HEADER = '体系 "测试" 总分 {total}\n等级 优：总分 ≥ {good}；差：否则\n'


def plan_of(text: str):
    spec, diagnostics = parse(Source("t.idsl", text))
    assert spec is not None, diagnostics
    return lower(spec)


def both(plan, rows):
    """Both engines' results on the same rows (dicts by output column); neither may reject a row."""
    python, python_errors = score_rows(plan, rows, engine="python")
    sql, sql_errors = score_rows(plan, rows, engine="duckdb")
    assert not python_errors and not sql_errors, ([str(e) for e in python_errors], [str(e) for e in sql_errors])
    assert python == sql
    return sql


def sql_table(plan, typed_rows):
    """The query run on a typed table (as `idsl compile --sql` users do): rows of output values."""
    con = duckdb.connect()
    columns = unit_columns(plan)
    con.execute("CREATE TABLE units (" + ", ".join(f"{quote(c.header)} {c.sql_type}" for c in columns) + ")")
    for row in typed_rows:
        con.execute(f"INSERT INTO units VALUES ({', '.join('?' for _ in columns)})", [row.get(c.header) for c in columns])
    cursor = con.execute(compile_sql(plan))
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, values)) for values in cursor.fetchall()]


def failures(plan, data) -> set[tuple[str, str]]:
    """The interpreter's failures for one unit: (indicator path, message as its batch lists it: the hint after it)."""
    from idsl.engines.cellwords import with_hint

    return {(e.path, with_hint(e.message, e.hint)) for e in score(plan, read_inputs(data)).errors}


def sql_failures(row) -> set[tuple[str, str]]:
    """The query's failures for one unit: (indicator path, message), without the input a failure blames."""
    lines = [line.split("\t", 1) for line in (row[ERRORS] or "").splitlines() if line]
    return {(key, message.rpartition(FIELD)[2]) for key, message in lines}


# ---------------------------------------------------------------- rules the old compiler read its own way


def test_deviation_beyond_the_limit_gives_its_points():
    """偏离 … 超过 10% 得 1 分: a deviation of 20% scores 1.00, not 0."""
    plan = plan_of(HEADER.format(total=3, good=2.7) + "决策（3）\n  预算偏离（3）\n    输入 实际：比率\n"
                   "    偏离 实际 目标 100%，每 1% 扣 0.1 分，超过 10% 得 1 分\n")
    rows = [{"单位": name, "决策/预算偏离.实际": value}
            for name, value in (("甲", "80%"), ("乙", "95%"), ("丙", "90%"), ("丁", "89.99%"), ("戊", "100%"))]
    scores = [r["决策/预算偏离"] for r in both(plan, rows)]
    assert scores == [Decimal("1.00"), Decimal("2.50"), Decimal("2.00"), Decimal("1.00"), Decimal("3.00")]


def test_per_finding_in_a_penalty_block_deducts_the_deduction():
    """按项扣分 as a 逆向指标 item: the item deducts 0.5 per finding, at most its 2 points."""
    plan = plan_of(HEADER.format(total=5, good=4.5) + "决策（5）\n  甲（5）\n    酌情\n"
                   "逆向指标（4）\n  违规（2）\n    输入 问题数：问题数\n    按项扣分 问题数 每项 0.5 分，扣完为止\n")
    rows = [{"单位": f"单位{n}", "决策/甲.得分": "5", "决策/甲.理由": "好", "逆向指标/违规.问题数": str(n)}
            for n in (0, 1, 3, 4, 9)]
    results = both(plan, rows)
    assert [r["逆向指标/违规"] for r in results] == [Decimal(x) for x in ("0.00", "0.50", "1.50", "2.00", "2.00")]
    assert [r["总分"] for r in results] == [Decimal(x) for x in ("5.00", "4.50", "3.50", "3.00", "3.00")]


def test_conditions_on_option_words():
    """若 公开情况 = 未公开 …, ≠, 或, a shared choice: the SQL engine scores them, as the interpreter does."""
    plan = load("tests/cases/score/option_conditions.idsl")
    plan = lower(plan.spec, plan.sources)
    rows = []
    for number, (public, kind, method) in enumerate([("未公开", "行政单位", "公开招标"), ("B", "事业单位", "询价"),
                                                      ("按规定公开", "事业单位", "单一来源")]):
        rows.append({"单位": f"单位{number}", "共用.单位性质": kind,
                     "资金管理/预算公开.公开情况": public, "资金管理/预算公开.公开完整率": "80%",
                     "资金管理/决算公开.公开情况": "按规定公开", "资金管理/决算公开.公开完整率": "100%",
                     "资金管理/政府采购.采购方式": method, "资金管理/政府采购.受到处罚": "否",
                     "资金管理/信访办理.信访件数": str(number), "资金管理/信访办理.办理情况": "部分办理",
                     "资金管理/收费管理.收费合规率": "50%"})
    results = both(plan, rows)
    assert [r["资金管理/预算公开"] for r in results] == [Decimal("0.00"), Decimal("1.00"), Decimal("1.60")]
    assert [r["资金管理/政府采购"] for r in results] == [Decimal("3.00"), Decimal("2.00"), Decimal("0.00")]
    assert [r["资金管理/信访办理"] for r in results] == [Decimal("3.00"), Decimal("1.50"), Decimal("1.50")]
    assert [r["资金管理/收费管理"] for r in results] == [Decimal("2.00"), Decimal("1.00"), Decimal("1.00")]


MEAN = ("决策（4）\n  均衡（4）\n    输入 甲：金额 万元，乙：金额 万元，丙：金额 万元，丁：金额 万元，"
        "戊：金额 万元，己：金额 万元，庚：金额 万元，辛：金额 万元\n"
        "    得分 = min((甲 / 乙 + 丙 / 丁 + 戊 / 己 + 庚 / 辛) / 4, 1) × 分值\n")


def test_a_mean_of_four_ratios_is_exact_or_refused_by_name():
    """A mean of four ratios: one fraction needs a common denominator of four inputs, too wide for DECIMAL(38);
    the sum kept apart is compared and rounded term by term."""
    plan = plan_of(HEADER.format(total=4, good=3.6) + MEAN)
    try:
        compile_sql(plan)
    except SqlError as problem:
        assert problem.path == "决策/均衡"
        assert "--engine python" in problem.message and "38" in problem.message
        assert str(problem).startswith("决策/均衡: ")
        return
    row = {"单位": "甲", **{f"决策/均衡.{n}": v for n, v in zip("甲乙丙丁戊己庚辛", "12345678")}}
    both(plan, [row])


PRODUCT = MEAN.replace("(甲 / 乙 + 丙 / 丁 + 戊 / 己 + 庚 / 辛) / 4", "甲 / 乙 × 丙 / 丁 × 戊 / 己 × 庚 / 辛")  # 72 digits


def test_the_batch_command_reports_a_spec_it_cannot_score(tmp_path):
    """No silent switch to the interpreter: exit 1, the indicator and the way out on stderr."""
    from click.testing import CliRunner

    from idsl.cli import main

    spec = tmp_path / "乘积.idsl"
    spec.write_text(HEADER.format(total=4, good=3.6) + PRODUCT, encoding="utf-8")
    batch = tmp_path / "units.csv"
    batch.write_text("单位," + ",".join(f"决策/均衡.{n}" for n in "甲乙丙丁戊己庚辛") + "\n甲,1,2,3,4,5,6,7,8\n",
                     encoding="utf-8")
    result = CliRunner().invoke(main, ["score", str(spec), str(batch), "-o", str(tmp_path / "out.csv")])
    assert result.exit_code == 1, result.output
    assert "决策/均衡" in result.output and "--engine python" in result.output
    assert not (tmp_path / "out.csv").exists()


# ---------------------------------------------------------------- failures: the interpreter's messages


def test_failure_messages_are_the_interpreters():
    """A zero denominator, a band gap and a special case's failing part: the 错误 lines carry Failure.message."""
    plan = plan_of(HEADER.format(total=6, good=5.4) + "决策（6）\n"
                   "  比率（3）\n    输入 甲：金额 万元，乙：金额 万元\n    率 = 甲 / 乙\n"
                   "    分档 率：率 ≥ 80% 得满分；50% ≤ 率 < 70% 得 1 分；率 < 50% 得 0 分\n"
                   "  特例（3）\n    输入 丙：数量 个，丁：数量 个\n    若 丁 = 0 或 丙 / 丁 > 1 则 得满分\n"
                   "    得分 = 丙 / (丙 + 丁) × 分值\n")
    units = [("零", {"甲": 1, "乙": 0}, {"丙": 0, "丁": 0}), ("缺口", {"甲": 75, "乙": 100}, {"丙": 1, "丁": 1}),
             ("好", {"甲": 90, "乙": 100}, {"丙": 2, "丁": 0})]
    typed = []
    for name, first, second in units:
        typed.append({"单位": name, **{f"决策/比率.{k}": v for k, v in first.items()},
                      **{f"决策/特例.{k}": v for k, v in second.items()}})
    found = sql_table(plan, typed)
    for (name, first, second), row in zip(units, found):
        expected = failures(plan, {"inputs": {"比率": first, "特例": second}})
        assert sql_failures(row) == expected, (name, row[ERRORS], expected)
    assert sql_failures(found[0]) and sql_failures(found[1]) and not sql_failures(found[2])


GAP = HEADER.format(total=8, good=7) + (
    "决策（8）\n  执行率（4）\n    输入 率：比率\n    分档 率：率 ≥ 80% 得满分；率 ≤ 79.99% 得 0 分\n"
    "  到位率（4）\n    输入 甲：金额 万元，乙：金额 万元\n    分档 甲 / 乙：甲 / 乙 ≥ 50% 得满分；甲 / 乙 ≤ 49.99% 得 0 分\n")


@pytest.mark.parametrize("rate, first, second, shown", [
    ("79.995%", "49995", "100000", ("79.995%", "49.995%")),  # rounded to 2 decimals, both would read 80%/50%
    ("79.9951%", "1499851", "3000000", ("79.9951%", "49.995033%")),  # a ratio that does not end: 6 places, half up
    ("79.999999%", "1499990", "3000000", ("79.999999%", "49.999667%")),  # an input's own digits
    ("79.991%", "49991", "100000", ("79.991%", "49.991%")),  # as given: the usual places would read 79.99%
])
def test_a_band_gap_shows_the_value_apart_from_the_band_ends(rate, first, second, shown):
    """The value between ＜79.99% and ≥80% is named to 6 decimals, trailing zeros dropped, in both engines alike."""
    plan = plan_of(GAP)
    row = {"单位": "甲", "决策/执行率.率": rate, "决策/到位率.甲": first, "决策/到位率.乙": second}
    messages = {}
    for engine in ("python", "duckdb"):
        _scores, errors = score_rows(plan, [row], engine=engine)
        messages[engine] = sorted(e.message.partition("（体系")[0] for e in errors)
    assert messages["python"] == messages["duckdb"] == [
        f"执行率为{shown[0]}，不在任何一档之内（分档有缺口）。", f"甲/乙为{shown[1]}，不在任何一档之内（分档有缺口）。"]


def test_spark_words_a_band_gap_as_duckdb_does():
    """The same query on Spark: its exact rounding gives the same words."""
    plan = plan_of(GAP)
    rows = [{"单位": str(n), "决策/执行率.率": rate, "决策/到位率.甲": first, "决策/到位率.乙": second}
            for n, (rate, first, second) in enumerate([("79.995%", "49995", "100000"), ("79.9951%", "1499851", "3000000")])]
    listed = {}
    for engine in ("duckdb", "spark"):
        _scores, errors = score_rows(plan, rows, engine=engine)
        listed[engine] = sorted((e.unit, e.message.partition("（体系")[0]) for e in errors)
    assert listed["spark"] == listed["duckdb"] and ("1", "甲/乙为49.995033%，不在任何一档之内（分档有缺口）。") in listed["spark"]


# ---------------------------------------------------------------- limits


def test_batch_numbers_may_have_max_decimals():
    plan = plan_of(HEADER.format(total=2, good=1.8) + "决策（2）\n  甲（2）\n    输入 率：比率\n    得分 = 率 × 分值\n")
    ok = "12." + "3" * MAX_DECIMALS
    results = both(plan, [{"单位": "甲", "决策/甲.率": ok}])
    assert results[0]["决策/甲"] == Decimal("0.25")
    _, errors = score_rows(plan, [{"单位": "甲", "决策/甲.率": ok + "1"}], engine="duckdb")
    assert errors and f"小数最多 {MAX_DECIMALS} 位，这里有 {MAX_DECIMALS + 1} 位" in errors[0].message


@pytest.mark.parametrize("amount", ["999999999999", "0.000001"])
def test_rounded_quotients_too_wide_for_a_double(amount):
    """四舍五入(甲 / 乙, 2) with quotients up to 10^18: divided in two exact steps, not guessed."""
    plan = plan_of(HEADER.format(total=3, good=2.7) + "决策（3）\n  公式（3）\n    输入 甲：金额 万元，乙：金额 万元\n"
                   "    得分 = 四舍五入(甲 / 乙, 2) - 四舍五入(甲 / 乙, 2) + 1\n")
    both(plan, [{"单位": "甲", "决策/公式.甲": "999999999999.999999", "决策/公式.乙": amount}])


def test_a_product_of_two_ratios_of_amounts_is_rounded_by_long_division(monkeypatch):
    """min(甲 / 乙, 1) × min(丙 / 丁, 1) × 分值: the numerator scaled for rounding would pass 38 digits, so the quotient
    is taken by long division (⌊a/b⌋, then the remainder's digits, the half added in the last step), exact at a tie."""
    divided = []
    long_division = Compiler._long_division

    def spied(self, *args):
        divided.append(args)
        return long_division(self, *args)

    monkeypatch.setattr(Compiler, "_long_division", spied)
    plan = plan_of(HEADER.format(total=10, good=9) + "决策（10）\n  比（10）\n"
                   "    输入 甲：金额 万元，乙：金额 万元，丙：金额 万元，丁：金额 万元\n"
                   "    得分 = min(甲 / 乙, 1) × min(丙 / 丁, 1) × 分值\n")
    units = {"一半": ("1235", "10000", "3", "3"), "差一点到一半": ("123499999.999999", "1000000000", "1", "1"),
             "刚过一半": ("123500000.000001", "1000000000", "1", "1"), "分数": ("2", "3", "5", "7"),
             "满": ("999999999999.999999", "0.000001", "1", "1")}
    rows = [{"单位": unit, **{f"决策/比.{name}": value for name, value in zip("甲乙丙丁", values)}}
            for unit, values in units.items()]
    results = both(plan, rows)
    assert divided
    assert {r["单位"]: r["决策/比"] for r in results} == {"一半": Decimal("1.24"), "差一点到一半": Decimal("1.23"),
                                                      "刚过一半": Decimal("1.24"), "分数": Decimal("4.76"),
                                                      "满": Decimal("10.00")}


# ---------------------------------------------------------------- --allow-missing in batches

BLANKS = ('体系 "测试" 总分 9\n等级 优：总分 ≥ 8；差：否则\n输入 公共率：比率\n'
          "决策（6）\n  甲（3）\n    输入 率：比率\n    得分 = 率 × 分值\n  乙（3）\n    要素 每项 1.5 分\n      - 一\n      - 二\n"
          "过程（3）\n  丙（3）\n    输入 数：数量 个\n    若 数 = 0 则 得满分\n    得分 = 公共率 × 分值\n"
          "逆向指标（2）\n  违规（2）\n    输入 问题数：问题数\n    按项扣分 问题数 每项 0.5 分，扣完为止\n")


def _blank_rows():
    full = {"共用.公共率": "50%", "决策/甲.率": "50%", "决策/乙.要素1": "是", "决策/乙.要素2": "否", "过程/丙.数": "1",
            "逆向指标/违规.问题数": "1"}
    blanks = {"全": {}, "缺甲": {"决策/甲.率": ""}, "缺要素": {"决策/乙.要素1": "", "逆向指标/违规.问题数": ""},
              "缺共用但未用到": {"共用.公共率": "", "过程/丙.数": "0"},
              "缺共用": {"共用.公共率": "", "决策/甲.率": "", "决策/乙.要素1": "", "决策/乙.要素2": ""}}
    return [{"单位": name, **full, **changed} for name, changed in blanks.items()]


def test_allow_missing_leaves_blank_inputs_unscored_in_both_engines():
    """A leaf with a blank cell is 未评: no score, left out of the sums, listed in 未评; a blank 共用 input only
    where the evaluation reaches it (as the interpreter's Missing)."""
    plan = plan_of(BLANKS)
    python, python_errors = score_rows(plan, _blank_rows(), engine="python", allow_missing=True)
    sql, sql_errors = score_rows(plan, _blank_rows(), engine="duckdb", allow_missing=True)
    assert not python_errors and not sql_errors, ([str(e) for e in python_errors], [str(e) for e in sql_errors])
    assert python == sql
    assert [r["未评"] for r in sql] == [None, "决策/甲", "决策/乙；逆向指标/违规", None, "决策/甲；决策/乙；过程/丙"]
    assert [r["总分"] for r in sql] == [Decimal(x) if x else None for x in ("4.00", "2.50", "3.00", "5.50", None)]
    # Without the option every blank cell is a problem of its row, in both engines; a blank 共用 cell only
    # where a leaf reads it, as in the interpreter (row 5's 丙 scores by its special case, without 公共率).
    for engine in ("duckdb", "python"):
        scored, refused = score_rows(plan, _blank_rows(), engine=engine)
        assert {e.row for e in refused} == {3, 4, 6}, engine
        assert [r["总分"] for r in scored if r["单位"] == "缺共用但未用到"] == [Decimal("5.50")], engine


def test_the_batch_command_passes_allow_missing(tmp_path):
    from click.testing import CliRunner

    from idsl.cli import main
    from idsl.io.tables import write_csv

    spec = tmp_path / "缺.idsl"
    spec.write_text(BLANKS, encoding="utf-8")
    rows = _blank_rows()
    batch = tmp_path / "units.csv"
    write_csv(batch, list(rows[0]), [list(r.values()) for r in rows])
    for engine in ("duckdb", "python"):
        out = tmp_path / f"{engine}.csv"
        result = CliRunner().invoke(main, ["score", str(spec), str(batch), "--allow-missing", "--engine", engine,
                                           "-o", str(out)])
        assert result.exit_code == 0, result.output
        assert "未评" in out.read_text(encoding="utf-8-sig").splitlines()[0]


def test_blank_shared_input_a_leaf_reads_is_named_in_both_engines():
    """A blank 共用 cell the evaluation reaches refuses the row in both engines, naming 公共率."""
    row = {"单位": "缺", "共用.公共率": "", "决策/甲.率": "50%", "决策/乙.要素1": "是", "决策/乙.要素2": "否",
           "过程/丙.数": "1", "逆向指标/违规.问题数": "1"}
    for engine in ("duckdb", "python"):
        scored, refused = score_rows(plan_of(BLANKS), [row], engine=engine)
        assert not scored and [e.row for e in refused] == [2], engine
        assert all("公共率" in str(e) for e in refused), (engine, [str(e) for e in refused])


def test_the_least_of_a_count_and_its_cap_needs_the_caps_digits():
    """min(count × 1, 3) (另加 … 最多 3 分) holds its numerator within 3, and a clamp to [0, 10] within 10 × its
    denominator: the CASE never gives more, whatever the count, so a sum or a cut built on it keeps those digits
    (a ratio of amounts plus the bonus, less 另扣 … 扣完为止, fitted 38 digits only so)."""
    from fractions import Fraction

    from idsl.engines.sql.fragments import Dec
    from idsl.engines.sql.quantities import Q, q_clamp, q_lit, q_min

    count = Q(Dec("c", Fraction(10 ** 9 - 1), 0, nonneg=True))
    least = q_min([count, q_lit(3)])
    assert (least.num.bound, least.limit) == (3, 3)
    amount = Dec("a", Fraction(10 ** 12), 6, nonneg=True)
    ratio = Q(Dec("n", Fraction(10 ** 15), 6, nonneg=True), amount)
    held = q_clamp(ratio, Fraction(0), Fraction(10))
    assert held.num.bound == 10 * amount.bound and held.limit == 10
    assert q_min([ratio, q_lit(1)]).num.bound == ratio.num.bound  # over two denominators: compared crosswise
