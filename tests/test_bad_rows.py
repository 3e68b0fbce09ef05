"""A batch row refused at its cells lists the same errors in both engines: its cells' problems and what the cells
alone show (a 理由 that a judged score or a cut needs), never the rules that would fail once it is scored (扣分须说明理由,
a zero denominator, a veto over a blank, a score outside its grade) — the DuckDB engine does not score such a row,
and the interpreter, which does, lists no more."""

from __future__ import annotations

import csv

import pytest
from golden import CASES, compare
from plans import BY_GIVING, NAMED_ONLY

import idsl
from idsl.engines.batch import score_file

SPEC, UNITS = CASES / "batch/bad_rows.idsl", CASES / "batch/bad_rows.units.csv"
SCORED_ONLY = ("得分低于分值", "分母", "缺少输入（一票否决", "“达成”档的得分")  # failures found by scoring a row


@pytest.fixture(scope="module")
def listed(tmp_path_factory) -> dict[str, str]:
    """Each engine's errors file of the batch."""
    folder, plan = tmp_path_factory.mktemp("bad_rows"), idsl.load(SPEC)
    for engine in ("duckdb", "python"):
        score_file(plan, UNITS, folder / f"{engine}.csv", engine=engine)
    return {engine: (folder / f"{engine}.errors.csv").read_text(encoding="utf-8-sig") for engine in ("duckdb", "python")}


def test_both_engines_write_the_same_errors_file(listed, regen):
    assert listed["python"] == listed["duckdb"]
    compare(listed["duckdb"], CASES / "batch/bad_rows.errors.csv", regen)


def test_a_row_refused_at_its_cells_lists_no_rule_failure(listed):
    rows = list(csv.DictReader(listed["duckdb"].splitlines()))
    failing = {row["单位"] for row in rows if row["问题"].startswith(SCORED_ONLY)}
    assert failing == {"缺扣分理由", "分母为零", "否决项空白", "档外得分"}  # each alone, on a row with good cells
    assert "否决" not in {row["单位"] for row in rows}  # a veto that holds scores the row (总分 0), no error
    assert {row["单位"] for row in rows if "坏格" in row["单位"]} == {
        "缺扣分理由且有坏格", "分母为零且有坏格", "否决项空白且有坏格", "否决且有坏格", "缺酌情理由且有坏格",
        "缺评级理由且有坏格", "档外得分且有坏格", "同一指标坏格且分母为零", "两个坏格且缺酌情理由"}
    judged = [row["列"] for row in rows if row["单位"] == "缺酌情理由且有坏格"]
    assert judged == ["产出/支出进度.理由", "产出/数量.数"]  # the 理由 its cells ask for, then the bad cell
    # a missing 评级 理由 stops the row before it is scored: its other failures are not listed
    assert [row["列"] for row in rows if row["单位"] == "缺评级理由且缺扣分理由且分母为零"] == ["产出/可持续影响.理由"]


def _listed_by_both_engines(tmp_path, spec_text: str, head: list[str], rows: list[list[str]]) -> list[tuple]:
    """The problems of a small batch as (unit, column, message up to its hint), the same in DuckDB and the interpreter."""
    spec = tmp_path / "s.idsl"
    spec.write_text(spec_text, encoding="utf-8")
    plan = idsl.load(spec)
    with open(tmp_path / "u.csv", "w", encoding="utf-8", newline="") as stream:
        csv.writer(stream).writerows([head, *rows])
    listed = {}
    for engine in ("duckdb", "python"):
        outcome = score_file(plan, tmp_path / "u.csv", tmp_path / f"{engine}.csv", engine=engine)
        listed[engine] = sorted((e.unit, e.column, e.message.split("（")[0]) for e in outcome.errors)
    assert listed["duckdb"] == listed["python"]
    return listed["python"]


def test_an_alternative_given_by_a_bad_cell_alone_has_its_blank_cells_listed_too(tmp_path):
    """DuckDB blanked a refused cell before checking the row's other cells, so an alternative whose only cell
    given was bad (要素2 “0.5”) read as not given and its blank 要素1 went unlisted; the interpreter lists both."""
    head = ["单位", "产出/项目验收.选用", "产出/项目验收/竣工验收.验收合格率", "产出/项目验收/阶段性验收.要素1",
            "产出/项目验收/阶段性验收.要素2", "产出/质量.合格率"]
    rows = [["甲", "", "", "", "0.5", "90%"], ["乙", "", "", "", "是", "90%"]]
    assert _listed_by_both_engines(tmp_path, BY_GIVING, head, rows) == [
        ("乙", "产出/项目验收/阶段性验收.要素1", "缺少输入。"),
        ("甲", "产出/项目验收/阶段性验收.要素1", "缺少输入。"),
        ("甲", "产出/项目验收/阶段性验收.要素2", "第 2 项要素的值“0.5”不是“是”或“否”。")]


def test_an_alternative_that_选用_does_not_name_asks_no_reason(tmp_path):
    """选用 names 按到位率 and 按评审's judged score is given without a reason: the row's error is that the other
    alternative's inputs were given, in both engines; DuckDB asked for the reason of a score that is not scored."""
    head = ["单位", "共用.到位率", "产出/资金.选用", "产出/资金/按评审.得分", "产出/资金/按评审.理由", "产出/质量.合格率"]
    rows = [["甲", "95%", "按到位率", "0", "", "90%"], ["乙", "", "按评审", "3", "", "90%"]]
    assert _listed_by_both_engines(tmp_path, NAMED_ONLY, head, rows) == [
        ("乙", "产出/资金/按评审.理由", "评价人判断给的分"),
        ("甲", "产出/资金", "选用“按到位率”，却给了“按评审”的输入。")]
