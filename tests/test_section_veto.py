"""一票否决 of a section (§3): while the condition holds every leaf under the named indicator scores 0."""

from __future__ import annotations

from plans import two_sections

from decimal import Decimal
from pathlib import Path

import pytest
from docx_structure import docx_structure

import idsl
from idsl.engines.batch import score_rows
from idsl.frontend.printer import format_spec
from idsl.frontend.resolve import load, load_text
from idsl.frontend.source import Source
from idsl.io.inputs import read_inputs
from idsl.render.docx import render_docx
from idsl.semantics.lower import lower

CASE = Path(__file__).parent / "cases" / "score" / "section_veto.idsl"
SENTENCE = "一票否决：如发生重大安全责任事故，“产出”得0分。"


def plan():
    loaded = load(CASE)
    return lower(loaded.spec, loaded.sources)


def unit(name, accident, rate):
    return {"单位": name, "共用.发生重大安全责任事故": accident, "决策/重点工作完成率.得分": "3.5",
            "决策/重点工作完成率.理由": "略", "产出/数量/完成率.完成率": rate}


@pytest.mark.parametrize("engine", ("python", "duckdb"))
def test_the_section_is_zeroed_only_while_the_condition_holds(engine):
    results, errors = score_rows(plan(), [unit("甲", "是", "90%"), unit("乙", "否", "90%"), unit("丙", "是", "0%")],
                                 engine=engine)
    assert not errors
    got = {r["单位"]: (r["产出/数量/完成率"], r["产出.小计"], r["决策.小计"], r["总分"], r["等级"]) for r in results}
    assert got == {"甲": (Decimal(0), Decimal(0), Decimal("3.5"), Decimal("3.5"), "差"),
                   "乙": (Decimal("5.4"), Decimal("5.4"), Decimal("3.5"), Decimal("8.9"), "良"),
                   "丙": (Decimal(0), Decimal(0), Decimal("3.5"), Decimal("3.5"), "差")}


def test_the_zeroed_leaf_gives_the_veto_as_its_reason_and_the_total_names_it():
    result = idsl.score(plan(), read_inputs({"inputs": {"共用": {"发生重大安全责任事故": "是"},
                                                        "重点工作完成率": {"得分": "3.5", "理由": "略"},
                                                        "完成率": {"完成率": "90%"}}}))
    assert result.node("产出/数量/完成率").reason == SENTENCE
    assert SENTENCE in (result.total_note or "")
    kept = idsl.score(plan(), read_inputs({"inputs": {"共用": {"发生重大安全责任事故": "否"},
                                                      "重点工作完成率": {"得分": "3.5", "理由": "略"},
                                                      "完成率": {"完成率": "90%"}}}))
    assert kept.node("产出/数量/完成率").reason == "完成率为90%，得5.4分。" and not kept.total_note


def test_the_word_table_prints_the_veto_and_fmt_keeps_the_section():
    structure = docx_structure(render_docx(plan()))
    assert SENTENCE in str(structure)
    printed = format_spec(load(CASE).spec)
    assert "一票否决 产出 若 发生重大安全责任事故" in printed
    assert load_text(Source("again.idsl", printed)).spec.vetoes == load(CASE).spec.vetoes


REASON_BELOW = """体系 "例" 总分 10
一票否决 产出 若 发生重大安全责任事故
输入 发生重大安全责任事故：是否

""" + two_sections(reason_below=True)


@pytest.mark.parametrize("engine", ("python", "duckdb"))
def test_a_zeroed_leaf_needs_no_reason_for_its_lost_points(engine):
    """扣分须说明理由 asks why the rule gave less; a leaf the section veto zeroed has the veto as its reason."""
    loaded = load_text(Source("reason.idsl", REASON_BELOW))
    row = {"单位": "甲", "共用.发生重大安全责任事故": "是", "决策/重点工作完成率.得分": "3.5",
           "决策/重点工作完成率.理由": "略", "产出/完成率.完成率": "90%"}
    results, errors = score_rows(lower(loaded.spec, loaded.sources), [row, dict(row, 单位="乙", **{
        "共用.发生重大安全责任事故": "否"})], engine=engine)
    assert len(errors) == 1 and "乙" in str(errors[0]) and "理由" in str(errors[0])  # the unit the veto spared
    assert [(r["单位"], r["产出/完成率"], r["总分"]) for r in results] == [("甲", Decimal(0), Decimal("3.5"))]


def test_a_missing_veto_input_is_the_specs_not_each_vetoed_leafs():
    """The 共用 input a section's 一票否决 reads, left out of the inputs: one error under 共用 (the spec's input),
    none under the leaves the veto would zero, no total and no traceback."""
    result = idsl.score(plan(), read_inputs({"inputs": {"重点工作完成率": {"得分": "3.5", "理由": "略"},
                                                        "完成率": {"完成率": "90%"}}}))
    assert [(e.path, e.field, e.message) for e in result.errors] == [
        ("共用", "共用.发生重大安全责任事故", "缺少输入（一票否决、一票否优或总分上限要用）。")]
    assert result.total is None


def test_a_veto_input_given_and_refused_is_one_error_not_also_missing():
    """A 共用 input a veto reads, given but refused (也许 for 是否): its own error alone, as a batch lists it in both
    engines — the interpreter said besides that it was missing (缺少输入（一票否决…要用）), which it was not."""
    given = {"inputs": {"共用": {"发生重大安全责任事故": "也许"}, "重点工作完成率": {"得分": "3.5", "理由": "略"},
                        "完成率": {"完成率": "90%"}}}
    result = idsl.score(plan(), read_inputs(given))
    assert [(e.path, e.field) for e in result.errors] == [("共用", "发生重大安全责任事故")]
    assert "缺少" not in result.errors[0].message and result.total is None
    for engine in ("python", "duckdb"):
        results, errors = score_rows(plan(), [unit("甲", "也许", "90%")], engine=engine)
        assert not results and len(errors) == 1 and "缺少" not in str(errors[0])
