"""Rules across units (§11.10): 最高、最低、平均、比最高、比最低、名次、名次比 and 总分排名, scored over a batch.

The interpreter (two passes over the rows) and the SQL engine (window functions, exact comparisons of
ratios) must give the same results; a unit scored alone says it needs the batch.
"""

from __future__ import annotations

import csv
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
import spec_gen
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import idsl
from idsl.check import check
from idsl.engines.batch import score_file, score_rows
from idsl.engines.evaluate import BATCH_ONLY
from idsl.engines.sql import SqlError, compile_sql
from idsl.frontend.resolve import load_text
from idsl.frontend.source import Source
from idsl.io.inputs import read_inputs
from idsl.io.tables import errors_path
from idsl.semantics.lower import lower

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "cases" / "batch"
ENGINES = ("python", "duckdb")


def plan_of(text: str):
    loaded = load_text(Source("t.idsl", text))
    errors = [d for d in check(loaded) if d.severity == "error"]
    assert not errors, [str(d) for d in errors]
    return lower(loaded.spec, loaded.sources)


SPEC = """体系 "例" 总分 20
总分排名
进度（20）
  支出进度（4）
    输入 进度：比率
    分档 名次(进度)：1～2 得满分；3～4 得 2 分；否则 得 1 分
  执行率（4）
    输入 执行数：金额 万元，预算数：金额 万元
    执行率 = 执行数 / 预算数
    分档 名次(执行率)：1～1 得满分；否则 得 2 分
  完成率（4）
    不适用 剔除
    输入 完成率：比率
    得分 = 比最高(完成率) × 分值
  结余率（4）
    输入 结余率：比率
    若 结余率 = 0% 则 得满分
    得分 = 比最低(结余率) × 分值
  满意度（4）
    输入 满意率：比率，得分率：比率
    分档 满意率 - 平均(满意率)：≥ 0 得满分；-4%～0 每降低 1% 扣 1 分；< -4% 不得分
"""
P = "进度/"


def unit(name, progress, done, budget, rate, surplus, satisfied, na=None, share="50%"):
    row = {"单位": name, f"{P}支出进度.进度": progress, f"{P}执行率.执行数": done, f"{P}执行率.预算数": budget,
           f"{P}完成率.完成率": rate, f"{P}结余率.结余率": surplus, f"{P}满意度.满意率": satisfied,
           f"{P}满意度.得分率": share}
    if na is not None:
        row[f"{P}完成率.不适用"] = na
    return row


ROWS = [
    unit("甲", "90%", "80", "100", "80%", "2%", "90%"),
    unit("乙", "95%", "90", "100", "100%", "4%", "94%"),
    unit("丙", "90%", "45", "50", "50%", "1%", "86%"),   # 丙's 执行率 45/50 = 90/100 ties 乙's
    unit("丁", "80%", "30", "100", "", "8%", "80%", na="是"),  # 完成率 不适用: no one's peer there
    unit("戊", "x", "10", "100", "60%", "3%", "99%"),   # a bad cell: left out, no one's peer
    unit("己", "60%", "70", "100", "40%", "5%", "90%"),
]


def by_unit(results):
    return {r["单位"]: r for r in results}


@pytest.mark.parametrize("engine", ENGINES)
def test_ranks_ratios_and_the_mean_by_hand(engine):
    results, errors = score_rows(plan_of(SPEC), ROWS, engine=engine)
    assert [(e.unit, e.column) for e in errors] == [("戊", f"{P}支出进度.进度")]
    got = by_unit(results)
    # 进度 90, 95, 90, 80, 60 (戊 left out): competition ranks 2, 1, 2, 4, 5
    assert [got[u][f"{P}支出进度.名次"] for u in "甲乙丙丁己"] == [2, 1, 2, 4, 5]
    assert [got[u][f"{P}支出进度"] for u in "甲乙丙丁己"] == [Decimal("4.00"), Decimal(4), Decimal(4), Decimal(2),
                                                              Decimal(1)]
    # 执行率 0.8, 0.9, 0.9, 0.3, 0.7: 乙 and 丙 share rank 1
    assert [got[u][f"{P}执行率.名次"] for u in "甲乙丙丁己"] == [3, 1, 1, 5, 4]
    # 完成率 ÷ the largest of the peers (丁 is 不适用 and excluded): 80/100 × 4 = 3.2
    assert [got[u][f"{P}完成率"] for u in "甲乙丙己"] == [Decimal("3.20"), Decimal(4), Decimal(2), Decimal("1.60")]
    assert got["丁"][f"{P}完成率"] is None
    # the least 结余率 (1%) ÷ the unit's: 1/2 × 4, 1/4 × 4, 4, 1/8 × 4, 1/5 × 4
    assert [got[u][f"{P}结余率"] for u in "甲乙丙丁己"] == [Decimal(2), Decimal(1), Decimal(4), Decimal("0.50"),
                                                            Decimal("0.80")]
    # the mean 满意率 of 90, 94, 86, 80, 90 is 88%: 甲 full, 丙 is 2% below → 2 points off, 丁 8% below → 0
    assert [got[u][f"{P}满意度"] for u in "甲乙丙丁己"] == [Decimal(4), Decimal(4), Decimal(2), Decimal(0), Decimal(4)]


@pytest.mark.parametrize("engine", ENGINES)
def test_total_rank(engine):
    results, _errors = score_rows(plan_of(SPEC), ROWS, engine=engine)
    totals = {r["单位"]: (r["总分"], r["总分名次"]) for r in results}
    ordered = sorted(totals.values(), reverse=True)
    for total, rank in totals.values():
        assert rank == 1 + sum(1 for t, _r in ordered if t > total)


def test_a_unit_scored_alone_says_it_needs_the_batch():
    plan = plan_of(SPEC)
    inputs = read_inputs({"inputs": {"支出进度": {"进度": "90%"}, "执行率": {"执行数": 1, "预算数": 2},
                                     "完成率": {"完成率": "80%"}, "结余率": {"结余率": "2%"},
                                     "满意度": {"满意率": "90%", "得分率": "1%"}}})
    result = idsl.score(plan, inputs)
    messages = {e.path: e.message for e in result.errors}
    assert set(messages) == {f"{P}{name}" for name in ("支出进度", "执行率", "完成率", "结余率", "满意度")}
    wanted = {"支出进度": "支出进度.名次", "执行率": "执行率.名次", "完成率": "完成率.最高", "结余率": "结余率.最低",
              "满意度": "满意度.平均"}
    assert messages == {f"{P}{leaf}": f"{BATCH_ONLY[:-len('单个单位无法评分。')]}单个单位评分时缺少参照值“{key}”。"
                        for leaf, key in wanted.items()}
    assert all("idsl score" in (e.hint or "") and "\"参照\"" in (e.hint or "") for e in result.errors)
    assert result.total is None


def test_a_unit_scored_alone_with_the_batch_figures_as_references_scores_as_in_the_batch():
    results, _errors = score_rows(plan_of(SPEC), ROWS, engine="python")
    in_batch = by_unit(results)["甲"]
    # the batch's figures for 甲: ranks 2 and 3, the best 完成率 100%, the least 结余率 1%, the mean 满意率 88%
    references = {"支出进度.名次": 2, f"{P}执行率.名次": 3, "完成率.最高": "100%", "结余率.最低": "0.01",
                  "满意度.平均": "88%"}
    alone = idsl.score(plan_of(SPEC), read_inputs({"inputs": {
        "支出进度": {"进度": "90%"}, "执行率": {"执行数": 80, "预算数": 100}, "完成率": {"完成率": "80%"},
        "结余率": {"结余率": "2%"}, "满意度": {"满意率": "90%", "得分率": "50%"}}, "参照": references}))
    assert not alone.errors
    for leaf in ("支出进度", "执行率", "完成率", "结余率", "满意度"):
        assert alone.node(f"{P}{leaf}").score == in_batch[f"{P}{leaf}"], leaf


def test_a_rank_share_is_given_as_itself_or_as_rank_and_count():
    plan = plan_of('体系 "例" 总分 3\n质量（3）\n  自评质量（3）\n    输入 分：数值\n'
                   '    分档 名次比(分)：≤ 20% 得满分；> 20% 得 1 分\n')
    def scored(references):
        return idsl.score(plan, read_inputs({"inputs": {"自评质量": {"分": 88}}, "参照": references}))
    assert scored({"自评质量.名次": 2, "自评质量.参评单位数": 10}).total == Decimal(3)
    assert scored({"自评质量.名次": 3, "自评质量.参评单位数": 12}).total == Decimal(1)  # 3 ÷ 12 = 25%
    assert scored({"质量/自评质量.名次比": "20%"}).total == Decimal(3)
    missing = scored({})
    assert [e.message[-len("缺少参照值“自评质量.名次比”。"):] for e in missing.errors] == ["缺少参照值“自评质量.名次比”。"]


def test_a_reference_the_spec_does_not_use_or_not_a_number_is_named():
    result = idsl.score(plan_of(SPEC), read_inputs({"inputs": {}, "参照": {"完成率.最搞": 1, "满意度.平均": "很高"}}))
    problems = {(e.path, e.field): (e.message, e.hint) for e in result.errors if e.path == "参照"}
    assert problems[("参照", "完成率.最搞")] == ("体系里没有用到这个参照值。", "是不是“完成率.最高”？")
    assert problems[("参照", "满意度.平均")][0] == "参照值应是一个数（比率可写成 98%），不是 '很高'。"


def test_a_special_case_before_the_comparison_scores_alone():
    plan = plan_of(SPEC)
    inputs = read_inputs({"inputs": {"结余率": {"结余率": "0%"}}})
    assert idsl.score(plan, inputs, allow_missing=True).node("结余率").score == Decimal("4.00")


def test_the_query_uses_window_functions():
    query = compile_sql(plan_of(SPEC))
    assert "RANK() OVER (ORDER BY" in query and "MIN(" in query and "AVG" not in query
    assert "SUM(CASE WHEN" in query and "COUNT(CASE WHEN" in query
    assert "SELECT COUNT(*) FROM s" in query  # the ratio 执行数 / 预算数 ranked by exact comparison


@pytest.mark.parametrize("engine", ENGINES)
def test_ratios_that_a_double_cannot_tell_apart_are_ranked_exactly(engine):
    spec = SPEC.replace("执行数：金额 万元，预算数：金额 万元", "执行数：金额 万元，预算数：金额 万元")
    rows = [dict(r) for r in ROWS if r["单位"] != "戊"]
    big = {"甲": ("999999999999.999999", "999999999999.999998"), "乙": ("999999999999.999998", "999999999999.999997"),
           "丙": ("1", "1"), "丁": ("2", "2"), "己": ("0.000001", "999999999999.999999")}
    for row in rows:
        row[f"{P}执行率.执行数"], row[f"{P}执行率.预算数"] = big[row["单位"]]
    assert float(Fraction(big["甲"][0]) / Fraction(big["甲"][1])) == float(Fraction(big["乙"][0]) / Fraction(big["乙"][1]))
    results, errors = score_rows(plan_of(spec), rows, engine=engine)
    assert not errors
    assert {r["单位"]: r[f"{P}执行率.名次"] for r in results} == {"甲": 2, "乙": 1, "丙": 3, "丁": 3, "己": 5}


@pytest.mark.parametrize("engine", ENGINES)
def test_blanks_leave_the_unit_out_of_the_peers(engine):
    rows = [dict(r) for r in ROWS]
    rows[1][f"{P}满意度.得分率"] = ""  # 乙: a blank cell of another leaf
    results, errors = score_rows(plan_of(SPEC), rows, engine=engine)
    assert {(e.unit, e.column) for e in errors} == {("戊", f"{P}支出进度.进度"), ("乙", f"{P}满意度.得分率")}
    # without 乙 (95%), 甲 and 丙 share rank 1 of 进度
    assert {r["单位"]: r[f"{P}支出进度.名次"] for r in results} == {"甲": 1, "丙": 1, "丁": 3, "己": 4}


def test_with_allow_missing_a_blank_leaves_the_leaf_unscored_and_out_of_its_set():
    rows = [dict(r) for r in ROWS if r["单位"] != "戊"]
    rows[1][f"{P}支出进度.进度"] = ""  # 乙 has no 进度: 未评 there, and no one's peer
    found = {}
    for engine in ENGINES:
        results, errors = score_rows(plan_of(SPEC), rows, engine=engine, allow_missing=True)
        assert not errors
        found[engine] = results
        got = by_unit(results)
        assert got["乙"][f"{P}支出进度"] is None and got["乙"][f"{P}支出进度.名次"] is None
        assert got["乙"]["总分名次"] is None  # a partial total is not ranked
        assert got["甲"][f"{P}支出进度.名次"] == 1
    assert found["python"] == found["duckdb"]


def test_the_example_batch_matches_its_golden_results(tmp_path, regen, monkeypatch):
    monkeypatch.chdir(ROOT)
    plan = idsl.load("examples/peers.idsl")
    outputs = {}
    for engine in ENGINES:
        out = tmp_path / f"{engine}.csv"
        summary = score_file(plan, "examples/batch_peers_units.csv", out, engine=engine)
        assert summary.scored == 11 and summary.bad_rows == 1
        problems = [row[:3] for row in csv.reader(errors_path(out).read_text(encoding="utf-8").splitlines())]
        outputs[engine] = out.read_text(encoding="utf-8"), problems  # the engines word a blank's hint apart
    assert outputs["python"] == outputs["duckdb"]
    golden = GOLDEN / "peers.results.csv"
    if regen or not golden.exists():
        GOLDEN.mkdir(parents=True, exist_ok=True)
        golden.write_text(outputs["python"][0], encoding="utf-8")
    assert outputs["python"][0] == golden.read_text(encoding="utf-8")
    header = next(csv.reader(outputs["python"][0].splitlines()))
    assert header[-3:] == ["总分名次", "预算执行/支出进度排名.名次", "绩效管理/自评质量.名次"]


@pytest.mark.parametrize("engine", ENGINES)
def test_non_canonical_cells_are_scored_with_the_others(engine, tmp_path):
    """A row whose cells need normalizing (DuckDB scores those apart) still counts among the peers."""
    rows = [dict(r) for r in ROWS if r["单位"] != "戊"]
    rows[0][f"{P}支出进度.进度"] = "90 %"  # 甲: not canonical
    results, errors = score_rows(plan_of(SPEC), rows, engine=engine)
    assert not errors
    assert [r["单位"] for r in results] == ["甲", "乙", "丙", "丁", "己"]  # the file's order
    assert {r["单位"]: r[f"{P}支出进度.名次"] for r in results} == {"甲": 2, "乙": 1, "丙": 2, "丁": 4, "己": 5}


# ---------------------------------------------------------------- both engines on random batches

RATES = st.sampled_from(["0%", "0.5%", "10%", "33.33%", "50%", "66.67%", "90%", "100%", "", "x"])
AMOUNTS = st.sampled_from(["0", "1", "3", "7.5", "100", "333.333333", "999999999999.999999", ""])


@st.composite
def batches(draw):
    count = draw(st.integers(min_value=1, max_value=7))
    rows = []
    for number in range(count):
        rows.append(unit(f"单位{number}", draw(RATES), draw(AMOUNTS), draw(AMOUNTS), draw(RATES), draw(RATES),
                         draw(RATES), na=draw(st.sampled_from([None, "是", "否"])), share=draw(RATES)))
    return rows, draw(st.booleans())


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(batches())
def test_both_engines_agree_on_random_batches(batch):
    rows, allow_missing = batch
    plan = plan_of(SPEC)
    python = score_rows(plan, rows, engine="python", allow_missing=allow_missing)
    duckdb = score_rows(plan, rows, engine="duckdb", allow_missing=allow_missing)
    assert python[0] == duckdb[0]
    # the same rows refused (DuckDB lists a refused row's cells only, the interpreter its failing rules too)
    assert {(e.row, e.unit) for e in python[1]} == {(e.row, e.unit) for e in duckdb[1]}


# ---------------------------------------------------------------- 缺失取平均, the grammar, the outputs

FILL = """体系 "例" 总分 8
满意度（8）
  服务对象满意度（4）
    输入 满意率：比率 缺失取平均
    得分 = 满意率 × 分值
  支出进度（4）
    不适用 剔除
    输入 进度：比率 缺失取平均
    分档 进度：≥ 90% 得满分；< 90% 得 2 分
"""
F = "满意度/"


@pytest.mark.parametrize("engine", ENGINES)
def test_a_blank_is_filled_with_the_mean_of_the_units_that_gave_it(engine):
    rows = [{"单位": "甲", f"{F}服务对象满意度.满意率": "90%", f"{F}支出进度.进度": "95%"},
            {"单位": "乙", f"{F}服务对象满意度.满意率": "", f"{F}支出进度.进度": "80%"},
            {"单位": "丙", f"{F}服务对象满意度.满意率": "85%", f"{F}支出进度.进度": ""},
            {"单位": "丁", f"{F}服务对象满意度.满意率": "x", f"{F}支出进度.进度": "99%"},  # refused: no one's peer
            {"单位": "戊", f"{F}服务对象满意度.满意率": "", f"{F}支出进度.进度": "", f"{F}支出进度.不适用": "是"},
            {"单位": "己", f"{F}服务对象满意度.满意率": "70%", f"{F}支出进度.进度": "50%", f"{F}支出进度.不适用": "是"}]
    results, errors = score_rows(plan_of(FILL), rows, engine=engine)
    assert [e.unit for e in errors] == ["丁"]
    got = by_unit(results)
    # 乙 and 戊: the mean of 90%, 85%, 70% is 81.67% → 3.27; 丙: the mean 进度 of 95% and 80% (己 is 不适用) → 2
    assert got["乙"][f"{F}服务对象满意度"] == Decimal("3.27") and got["戊"][f"{F}服务对象满意度"] == Decimal("3.27")
    assert got["丙"][f"{F}支出进度"] == Decimal(2) and got["甲"][f"{F}支出进度"] == Decimal(4)


def test_a_given_value_scores_alone_and_a_blank_needs_the_batch():
    plan = plan_of(FILL)
    given = idsl.score(plan, read_inputs({"inputs": {"服务对象满意度": {"满意率": "90%"}, "支出进度": {"进度": "95%"}}}))
    assert not given.errors and given.total == Decimal("7.60")
    blank = idsl.score(plan, read_inputs({"inputs": {"支出进度": {"进度": "95%"}}}))
    assert [(e.path, e.message[-len("缺少参照值“服务对象满意度.平均”。"):]) for e in blank.errors] == [
        (f"{F}服务对象满意度", "缺少参照值“服务对象满意度.平均”。")]
    given = idsl.score(plan, read_inputs({"inputs": {"支出进度": {"进度": "95%"}}, "参照": {"服务对象满意度.平均": "80%"}}))
    assert not given.errors and given.node(f"{F}服务对象满意度").score == Decimal("3.20")


def test_names_that_are_function_words_stay_names():
    text = ('体系 "例" 总分 3\n决策（3）\n  公式指标（3）\n    输入 上半年：比率，全年：比率\n'
            '    平均 = (上半年 + 全年) ÷ 2\n    名次 = 平均\n    得分 = 名次 × 分值\n')
    assert plan_of(text).find("决策/公式指标") is not None
    assert plan_of(SPEC.replace("名次(进度)", "名次（进度）")).find("进度/支出进度") is not None  # full-width bracket


def test_fmt_prints_the_functions_back():
    from idsl.frontend.parse import parse
    from idsl.frontend.printer import format_spec

    spec, _ = parse(Source("t.idsl", SPEC + FILL.split("\n", 1)[1].replace("满意度（8）", "其他（8）")))
    assert spec is not None
    again, _ = parse(Source("t.idsl", format_spec(spec)))
    text = format_spec(again)
    assert "名次(进度)" in text and "比最高(完成率)" in text and "缺失取平均" in text and "总分排名" in text


def test_workbook_results_and_word_standard(tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)
    plan = idsl.load("examples/peers.idsl")
    out = tmp_path / "results.xlsx"
    score_file(plan, "examples/batch_peers_units.csv", out, engine="duckdb")
    import openpyxl

    sheet = openpyxl.load_workbook(out).worksheets[0]
    headers = [c.value for c in next(sheet.iter_rows(max_row=1))]
    assert "总分名次" in headers and "预算执行/支出进度排名.名次" in headers
    import io

    import docx

    from idsl.render.docx import render_docx

    table = docx.Document(io.BytesIO(render_docx(plan)))
    text = "\n".join(cell.text for t in table.tables for row in t.rows for cell in row.cells)
    assert "名次（从高到低，并列同名次）为1—3得满分" in text and "参评单位满意率的平均值" in text


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(spec_gen.peer_cases(), st.booleans())
def test_generated_specs_across_units_score_alike_in_both_engines(case, allow_missing):
    loaded = load_text(Source("generated.idsl", case.text))
    assert not [d for d in check(loaded) if d.severity == "error"], case.text
    plan = lower(loaded.spec, loaded.sources)
    python = score_rows(plan, case.rows, engine="python", allow_missing=allow_missing)
    try:
        duckdb = score_rows(plan, case.rows, engine="duckdb", allow_missing=allow_missing)
    except SqlError:  # arithmetic beyond 38 digits: the SQL engine refuses the spec as a whole, and says so
        return
    assert python[0] == duckdb[0]
    assert {(e.row, e.unit) for e in python[1]} == {(e.row, e.unit) for e in duckdb[1]}
    for row in python[0]:
        for key, points in case.points.items():
            assert row[key] is None or 0 <= row[key] <= points  # within what the checker claims


def test_the_workbench_parse_reads_the_ranking_line_wherever_it_stands():
    from idsl.frontend.incremental import parse_incrementally
    from idsl.frontend.parse import parse

    text = SPEC.replace("总分排名\n", "") + "总分排名\n"
    spec, diagnostics = parse_incrementally(Source("t.idsl", text))
    assert not diagnostics and spec.rank_total and spec == parse(Source("t.idsl", text))[0]


def test_the_reference_sections_input_with_reference_values_scores_as_it_says():
    text = (ROOT / "grammar" / "README.md").read_text(encoding="utf-8")
    section = text[text.index("### 11.10"):text.index("### 11.11")]
    spec = section[section.index("```idsl\n") + len("```idsl\n"):]
    spec = spec[:spec.index("```")]
    given = section[section.index("```json\n") + len("```json\n"):]
    result = idsl.score(plan_of(spec), read_inputs(given[:given.index("```")]))
    assert not result.errors
    assert [result.node(f"预算执行/{leaf}").score for leaf in ("预算执行率", "支出进度排名", "自评质量", "服务对象满意度")] \
        == [Decimal("4.69"), Decimal(3), Decimal(3), Decimal(2)]
    assert result.total == Decimal("12.69")
    wrong = idsl.score(plan_of(spec), read_inputs({"inputs": {}, "参照": {"预算执行率.最搞": 1}}))
    assert [e.hint for e in wrong.errors if e.path == "参照"] == ["是不是“预算执行率.最高”？"]
