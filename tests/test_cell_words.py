"""Both batch engines word a bad cell the same: every spec, every column, a table of bad cells.

A clean row of each spec is spoiled one cell at a time (blank, words, a negative, a huge number,
too many decimals, a bare or a % rate, thousands written wrongly, digits that are not 0–9, an escape character …). DuckDB
and the interpreter must list the same problem for each row: the same column and the same words
(`idsl.engines.cellwords`), one problem per cell.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from idsl.engines.batch import score_file
from idsl.frontend.resolve import load
from idsl.io.columns import unit_columns
from idsl.io.tables import write_csv
from idsl.semantics.lower import lower

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
import synth  # noqa: E402

SPECS = sorted((ROOT / "specs").glob("*.idsl"))
BAD_CELLS = ["", "x", "-1", "9999999999999", "1.5", "120%", "0.5", "是", "1,00", "１２", "৫", "-0.5%", "1e3", "200",
             "12345.1234567", " A ", "≥很好", "1.0000000", "+5", "5.", "\x1bn"]


@pytest.mark.parametrize("spec", SPECS, ids=lambda p: p.name[:3])
def test_both_engines_list_every_bad_cell_in_the_same_words(tmp_path, spec):
    loaded = load(spec)
    plan = lower(loaded.spec, loaded.sources)
    columns = unit_columns(plan)
    clean = synth.rows(plan, 1, seed=3)[0]
    rows = [clean]
    for at, column in enumerate(columns):
        if column.kind != "unit":
            for bad in BAD_CELLS:
                rows.append([f"单位{len(rows)}" if i == 0 else (bad if i == at else cell) for i, cell in enumerate(clean)])
    units = tmp_path / "units.csv"
    write_csv(units, [c.header for c in columns], rows)
    listed = {}
    for engine in ("duckdb", "python"):
        outcome = score_file(plan, units, tmp_path / f"{engine}.csv", engine=engine)
        listed[engine] = sorted((e.row, e.unit, e.column, e.message) for e in outcome.errors)
        assert 2 not in {e.row for e in outcome.errors}, f"{engine}: the clean row has a problem"
    assert listed["duckdb"] == listed["python"]
    assert len({row for row, *_ in listed["duckdb"]}) > len(rows) // 2  # most spoiled rows are refused


@pytest.mark.parametrize("engine", ["duckdb", "python"])
def test_both_engines_write_the_same_errors_file(tmp_path, engine):
    """A row refused at a cell lists that cell alone (it is not scored, so a zero denominator elsewhere in it is
    not listed), and a failure blaming one input (a zero denominator) is listed under that input's column with
    the hint after it, by both engines: the errors files are the same, byte for byte."""
    loaded = load(next((ROOT / "specs").glob("001_*.idsl")))
    plan = lower(loaded.spec, loaded.sources)
    headers = [c.header for c in unit_columns(plan)]
    rows = synth.rows(plan, 3, seed=3)
    denominator, spent = "过程/预算执行/预算调整率.预算数", "决策/预算配置/重点支出安排率.重点项目支出"
    for row in rows[1:]:
        row[headers.index(denominator)] = "0"
    rows[2][headers.index(spent)] = "x"
    units = tmp_path / "units.csv"
    write_csv(units, headers, rows)
    score_file(plan, units, tmp_path / "r.csv", engine=engine)
    zero = "分母“预算数”为 0，规则没有规定这种情况，无法计算“预算调整率”。（检查这个输入；若 0 是真实情况，体系应加一条特例（若 … 则 …）。）"
    assert (tmp_path / "r.errors.csv").read_text(encoding="utf-8-sig").splitlines() == [
        "行,单位,列,问题", f"3,{rows[1][0]},{denominator},{zero}", f"4,{rows[2][0]},{spent},应填一个数，这里是 “x”。"]


def test_a_figure_below_a_positive_bound_is_not_told_to_allow_negatives(tmp_path):
    """DuckDB hinted 可负 for any figure under an input's low bound: 0 for a score of 1～3 (无数据时 酌情 1～3 分) or
    5 for 范围 10～20 is no negative, and the interpreter gives no such hint; -1 is, in both."""
    spec = tmp_path / "s.idsl"
    spec.write_text("""体系 "例" 总分 10
效益（10）
  支出增长控制（6）
    解释 增长率。
    输入 本年支出：金额 万元，上年支出：金额 万元 可缺
    增长率 = (本年支出 - 上年支出) ÷ 上年支出
    无数据时 酌情 1～3 分
    分档 |增长率|：|增长率| ≤ 5% 得满分；否则 不得分
  规模（4）
    解释 规模。
    输入 人数：数值 范围 10～20
    得分 = 人数 ÷ 20 × 分值
""", encoding="utf-8")
    loaded = load(spec)
    plan = lower(loaded.spec, loaded.sources)
    headers = [c.header for c in unit_columns(plan)]
    rows = [["甲", "100", "", "0", "无上年数据", "15"], ["乙", "100", "", "2", "无上年数据", "5"],
            ["丙", "100", "", "-1", "无上年数据", "15"]]
    assert headers == ["单位", "效益/支出增长控制.本年支出", "效益/支出增长控制.上年支出", "效益/支出增长控制.无数据得分",
                       "效益/支出增长控制.理由", "效益/规模.人数"]
    units = tmp_path / "units.csv"
    write_csv(units, headers, rows)
    listed = {}
    for engine in ("duckdb", "python"):
        outcome = score_file(plan, units, tmp_path / f"{engine}.csv", engine=engine)
        listed[engine] = [(e.unit, e.column, e.message) for e in outcome.errors]
    assert listed["duckdb"] == listed["python"] == [
        ("甲", "效益/支出增长控制.无数据得分", "值 0 超出允许范围 1～3。"),
        ("乙", "效益/规模.人数", "值 5 超出允许范围 10～20。"),
        ("丙", "效益/支出增长控制.无数据得分", "值 -1 超出允许范围 1～3。（可以为负时，在体系的输入声明里加“可负”。）")]
