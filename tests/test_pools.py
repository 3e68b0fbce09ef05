"""择一 / 任选 k 项 / 取最高 k 项: the alternatives that count, in the interpreter, the SQL engine, the readers and the tables."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from idsl.check import check
from idsl.engines.batch import score_rows
from idsl.engines.python import score
from idsl.frontend.printer import format_spec
from idsl.frontend.resolve import load_text
from idsl.frontend.source import Source
from idsl.io.inputs import read_inputs
from idsl.io.workbook import read_workbook
from idsl.render.workbook import template_workbook
from idsl.semantics.lower import lower
from idsl.semantics.pools import best_of

CASE = Path(__file__).parent / "cases" / "score" / "pools.idsl"
TEXT = CASE.read_text(encoding="utf-8")
ACCEPT = "产出/项目验收"
COLUMNS = ["产出/项目验收/竣工验收.验收合格率", "产出/项目验收/阶段性验收.要素1", "产出/项目验收/阶段性验收.要素2",
           "产出/社会经济效益/社会效益.得分", "产出/社会经济效益/社会效益.理由",
           "产出/社会经济效益/经济效益.得分", "产出/社会经济效益/经济效益.理由",
           "产出/社会经济效益/生态效益.得分", "产出/社会经济效益/生态效益.理由",
           "产出/服务质量/窗口服务.窗口达标率", "产出/服务质量/网上服务.网办达标率", "产出/服务质量/上门服务.上门达标率"]


def _plan(text: str = TEXT):
    loaded = load_text(Source("pools.idsl", text))
    assert not [d for d in check(loaded) if d.severity == "error"]
    return lower(loaded.spec, loaded.sources)


def _row(unit: str, *cells: str) -> dict[str, str]:
    return {"单位": unit, **dict(zip(COLUMNS, cells))}


ROWS = [
    _row("甲", "96%", "", "", "4", "带动就业", "4.5", "增收", "", "", "80%", "90%", "90%"),
    _row("乙", "", "是", "否", "", "", "2", "增收", "3.5", "治污", "50%", "50%", "50%"),
    _row("丙", "96%", "是", "是", "4", "带动就业", "4.5", "增收", "", "", "80%", "90%", "90%"),  # both alternatives
    _row("丁", "", "", "", "4", "带动就业", "", "", "", "", "80%", "90%", "90%"),  # none of 择一, one of 任选 2
    _row("戊", "96%", "", "", "4", "带动就业", "4.5", "增收", "5", "治污", "80%", "90%", "90%"),  # three of 任选 2
    _row("己", "90%", "", "", "", "只写了理由", "1", "x", "2", "y", "100%", "100%", "100%"),  # a 理由 alone gives nothing
]


@pytest.mark.parametrize("allow", [False, True])
def test_both_engines_score_the_alternatives_given_and_refuse_the_same_rows_on_the_parent(allow):
    plan = _plan()
    results = {engine: score_rows(plan, ROWS, engine=engine, allow_missing=allow) for engine in ("duckdb", "python")}
    (duck, duck_errors), (python, python_errors) = results["duckdb"], results["python"]
    assert duck == python
    scored = {row["单位"]: row for row in duck}
    assert scored["甲"]["总分"] == Decimal("17.80") and scored["甲"]["产出/项目验收/阶段性验收"] is None
    assert scored["乙"]["总分"] == Decimal("2.5") + Decimal("5.5") + Decimal("2.5")
    assert scored["己"]["总分"] == Decimal("4.5") + 3 + 5
    assert sorted((e.unit, e.column, e.message) for e in duck_errors) == sorted(
        (e.unit, e.column, e.message) for e in python_errors)  # the same words and hints
    refused = {(e.unit, e.column) for e in duck_errors}
    assert ("丙", ACCEPT) in refused and ("戊", "产出/社会经济效益") in refused
    if allow:  # too few: the alternatives left are 未评, the row is scored
        assert "丁" in scored and scored["丁"]["产出/项目验收/竣工验收"] is None
        assert scored["丁"]["未评"] == ("产出/项目验收/竣工验收；产出/项目验收/阶段性验收；"
                                        "产出/社会经济效益/经济效益；产出/社会经济效益/生态效益")
    else:
        assert {("丁", ACCEPT), ("丁", "产出/社会经济效益")} <= refused
    messages = {e.message for e in duck_errors if e.unit == "丙"}
    assert messages == {"二者择其一，只能评其中一项，却给了“竣工验收”“阶段性验收”的输入。"
                        "（只给选用的一项的输入（输入文件中写它的对象，批量表中填它的格子），其余的不写、留空。）"}


def test_an_input_file_names_the_parent_and_the_alternatives_given():
    plan = _plan()
    result = score(plan, read_inputs({"inputs": {"竣工验收": {"验收合格率": "96%"}, "阶段性验收": {"要素": ["是", "是"]},
                                                 "社会效益": {"得分": 4, "理由": "x"}, "经济效益": {"得分": 4, "理由": "y"}, "窗口服务": {"窗口达标率": "1%"},
                                                 "网上服务": {"网办达标率": "1%"}, "上门服务": {"上门达标率": "1%"}}}))
    problems = [(e.path, e.message) for e in result.errors]
    assert problems == [(ACCEPT, "二者择其一，只能评其中一项，却给了“竣工验收”“阶段性验收”的输入。")]


def test_the_unchosen_alternative_is_not_applicable_and_the_parent_names_the_chosen_one():
    plan = _plan()
    result = score(plan, read_inputs({"inputs": {"阶段性验收": {"要素": ["是", "否"]}}}), allow_missing=True)
    rows = {row.key: row for row in result.nodes}
    assert rows["产出/项目验收/竣工验收"].status == "not_applicable"
    assert rows["产出/项目验收/竣工验收"].reason == "未选用（二者择其一，评“阶段性验收”），不参与评分。"
    assert rows[ACCEPT].score == Decimal("2.5") and rows[ACCEPT].reason == "二者择其一，评“阶段性验收”2.5分。"


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(0, 10), min_size=3, max_size=3), st.integers(1, 3))
def test_the_best_k_are_the_k_highest_scores(scores, k):
    """取最高 k 项 sums the k highest scores exactly, whatever the ties."""
    text = (f'体系 "例" 总分 {k * 10}\n质量（{k * 10}）\n  取最高 {k} 项\n'
            + "".join(f"  项{i}（10）\n    解释 例。\n    酌情\n" for i in range(3)))
    plan = _plan(text)
    inputs = {f"项{i}": {"得分": s, "理由": "例"} for i, s in enumerate(scores)}
    result = score(plan, read_inputs({"inputs": inputs}))
    assert result.total == sum(sorted(scores, reverse=True)[:k])
    chosen = best_of([Decimal(s) for s in scores], k)
    assert len(chosen) == k and sum(scores[i] for i in chosen) == sum(sorted(scores, reverse=True)[:k])


def test_of_equal_scores_the_one_written_first_counts():
    assert best_of([Decimal(2), Decimal(3), Decimal(2)], 2) == [0, 1]


def test_fmt_prints_the_lines_back():
    loaded = load_text(Source("pools.idsl", TEXT))
    printed = format_spec(loaded.spec)
    assert "    择一\n" in printed and "    任选 2 项\n" in printed and "    取最高 2 项\n" in printed
    assert load_text(Source("again.idsl", printed)).spec == loaded.spec


def test_the_workbook_reads_back_with_the_unchosen_cells_blank(tmp_path):
    plan = _plan()
    book = tmp_path / "pools.xlsx"
    book.write_bytes(template_workbook(plan))
    workbook = openpyxl.load_workbook(book)
    sheet = workbook["输入"]
    given = {("产出/项目验收/阶段性验收", "要素1"): "是", ("产出/项目验收/阶段性验收", "要素2"): "是",
             ("产出/社会经济效益/社会效益", "得分"): 5, ("产出/社会经济效益/社会效益", "理由"): "好",
             ("产出/社会经济效益/生态效益", "得分"): 2, ("产出/社会经济效益/生态效益", "理由"): "一般",
             ("产出/服务质量/窗口服务", "窗口达标率"): "100%", ("产出/服务质量/网上服务", "网办达标率"): "100%",
             ("产出/服务质量/上门服务", "上门达标率"): "100%"}
    allowed = {}
    for row in sheet.iter_rows(min_row=2):
        key = (row[0].value, (row[1].value or "").split("：")[0])  # 要素1：按计划组织了阶段性验收
        allowed[key] = row[4].value
        if key in given:
            row[5].value = given[key]
    workbook.save(book)
    assert "备选的一项" in allowed[("产出/项目验收/竣工验收", "验收合格率")]
    assert "备选的一项" not in (allowed[("产出/服务质量/窗口服务", "窗口达标率")] or "")
    standards = {row[0].value: row[2].value for row in workbook["评分标准"].iter_rows(min_row=2)}
    assert standards["产出/项目验收/竣工验收"].endswith("本指标与“阶段性验收”二者择其一，只评其中适用的一项，未选用的不评分。")
    result = score(plan, read_workbook(plan, book))
    assert not result.errors and result.total == 5 + 7 + 5


def test_the_word_table_names_the_pool_beside_the_parent_and_shows_the_unchosen_one(tmp_path):
    import docx

    from idsl.render.docx import render_docx

    plan = _plan()
    inputs = read_inputs({"inputs": {"竣工验收": {"验收合格率": "96%"}, "社会效益": {"得分": 4, "理由": "x"},
                                     "经济效益": {"得分": 4, "理由": "y"}, "窗口服务": {"窗口达标率": "80%"},
                                     "网上服务": {"网办达标率": "90%"}, "上门服务": {"上门达标率": "90%"}}})
    path = tmp_path / "pools.docx"
    path.write_bytes(render_docx(plan, score(plan, inputs), inputs))
    rows = [[cell.text for cell in row.cells] for row in docx.Document(str(path)).tables[0].rows]
    accepted = [row for row in rows if "阶段性验收（5）" in row]
    assert accepted and "项目验收（5）（二者择其一）" in accepted[0] and accepted[0][-1] == "未选用"
    assert any("社会经济效益（10）（3项任选2项）" in row for row in rows)
    assert any("服务质量（5）（3项取得分最高的2项）" in row for row in rows)
    assert any("本指标与“阶段性验收”二者择其一，只评其中适用的一项，未选用的不评分。" in cell for row in rows for cell in row)


def test_a_pool_line_on_a_penalty_item_is_e444():
    text = ('体系 "例" 总分 2\n产出（2）\n  完成率（2）\n    解释 例。\n    酌情\n'
            '逆向指标\n  自评工作质量（1）\n    择一\n    解释 例。\n    酌情\n')
    found = [(d.code, d.span.line) for d in check(load_text(Source("p.idsl", text)))]
    assert found == [("E444", 8)]
