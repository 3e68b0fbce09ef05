"""细化: an imported leaf replaced by a subtree — merged, checked across the files, scored like the same tree written whole."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from hypothesis import HealthCheck, given, settings, strategies as st

import idsl
from idsl.check import check
from idsl.engines.batch import score_rows
from idsl.io.columns import unit_columns
from idsl.frontend.resolve import load

CASES = Path(__file__).resolve().parent / "cases"
NATIONAL = (CASES / "check" / "good" / "refine_national.idsl").read_text(encoding="utf-8")
PROVINCE = (CASES / "check" / "good" / "refine_province.idsl").read_text(encoding="utf-8")


def _codes(folder: Path, text: str, imported: str = NATIONAL) -> list[str]:
    (folder / "refine_national.idsl").write_text(imported, encoding="utf-8")
    (folder / "spec.idsl").write_text(text, encoding="utf-8")
    return sorted(d.code for d in check(load(folder / "spec.idsl")))


def test_a_refined_leaf_becomes_a_branch_with_the_imported_points(tmp_path):
    assert _codes(tmp_path, PROVINCE) == []
    spec = load(tmp_path / "spec.idsl").spec
    refined = spec.indicators[0].children[0].children[0]
    assert refined.name == "实际完成率" and refined.points == 8 and refined.body is None
    assert [c.name for c in refined.children] == ["培训人次完成率", "覆盖乡镇完成率"]
    assert refined.refined.kind == "leaf" and refined.refined.span.file.endswith("refine_national.idsl")


def test_refines_without_an_import_is_e460(tmp_path):
    text = PROVINCE.replace('引用 "refine_national.idsl"\n', "").replace('体系 "某省项目（节选）"', '体系 "某省" 总分 8')
    assert "E460" in _codes(tmp_path, text)


def test_a_leaf_to_refine_takes_its_subtree_without_refines(tmp_path):
    imported = NATIONAL.replace("目标 实际完成率 ≥ 100%", "待细化 写本项目的数量指标").replace(
        "      输入 实际完成率：比率 范围 0%～1000%\n", "")
    assert _codes(tmp_path, PROVINCE.replace("细化 实际完成率", "实际完成率"), imported) == []


def test_points_on_the_refines_line_change_the_leaf(tmp_path):
    text = PROVINCE.replace("细化 实际完成率", "细化 实际完成率（10）")
    assert _codes(tmp_path, text) == ["E109", "E302"]  # the children make 8, not 10; 产出数量 14, not 12
    text = text.replace("覆盖乡镇完成率（4）", "覆盖乡镇完成率（6）")
    assert _codes(tmp_path, text) == ["E302"]  # the children make the 10 written; 产出数量 still 14


def test_the_refined_spec_scores_as_the_same_tree_written_whole(tmp_path):
    _codes(tmp_path, PROVINCE)
    whole = NATIONAL.replace(
        "    实际完成率（8）\n      解释 实际完成率=（实际产出数/计划产出数）×100%。\n"
        "      输入 实际完成率：比率 范围 0%～1000%\n      目标 实际完成率 ≥ 100%\n",
        "    实际完成率（8）\n" + "\n".join("  " + line for line in PROVINCE.split("实际完成率\n", 1)[1].splitlines()) + "\n")
    (tmp_path / "whole.idsl").write_text(whole, encoding="utf-8")
    inputs = {"培训人次完成率": {"培训人次完成率": "100%"}, "覆盖乡镇完成率": {"覆盖乡镇完成率": "87.5%"},
              "完成及时率": {"完成及时率": "90%"}, "质量达标率": {"质量达标率": "96%"}}
    refined = idsl.score(idsl.load(tmp_path / "spec.idsl"), {"inputs": inputs})
    written = idsl.score(idsl.load(tmp_path / "whole.idsl"), {"inputs": inputs})
    assert not refined.errors and refined.total == written.total
    assert [(r.path, r.score) for r in refined.nodes] == [(r.path, r.score) for r in written.nodes]


# ---------------------------------------------------------------- drawn splits, both engines, the Word table

_HALVES = st.integers(min_value=1, max_value=12).map(lambda n: Decimal(n) / 2)


def _province(points: list[Decimal]) -> str:
    children = "".join(f"      子{i}（{p}）\n        解释 子{i}。\n        输入 率{i}：比率\n"
                       f"        目标 率{i} ≥ 100%\n" for i, p in enumerate(points))
    return f'引用 "refine_national.idsl"\n产出\n  产出数量\n    细化 实际完成率\n{children}'


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(points=st.lists(_HALVES, min_size=2, max_size=4))
def test_e109_exactly_when_the_children_miss_the_imported_points(tmp_path, points):
    codes = _codes(tmp_path, _province(points))
    assert ("E109" in codes) == (sum(points) != 8) and set(codes) <= {"E109"}


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cut=st.integers(min_value=1, max_value=15), rates=st.lists(st.integers(0, 100), min_size=4, max_size=4))
def test_both_engines_score_a_refined_leaf_alike(tmp_path, cut, rates):
    points = [Decimal(cut) / 2, 8 - Decimal(cut) / 2]
    assert _codes(tmp_path, _province(points)) == []
    plan = idsl.load(tmp_path / "spec.idsl")
    values = iter(f"{r}%" for r in rates)
    row = {c.header: next(values) for c in unit_columns(plan) if c.header != "单位"}
    row["单位"] = "甲"
    results = [score_rows(plan, [row], engine=engine) for engine in ("python", "duckdb")]
    assert not results[0][1] and len(results[0][0]) == 1
    assert results[0] == results[1]


def test_the_word_table_shows_the_refined_rows_under_the_national_level_2(tmp_path):
    from docx import Document

    from idsl.render.docx import render_docx

    _codes(tmp_path, PROVINCE)
    (tmp_path / "表.docx").write_bytes(render_docx(idsl.load(tmp_path / "spec.idsl")))
    rows = [[c.text for c in r.cells][:3] for r in Document(tmp_path / "表.docx").tables[0].rows]
    assert rows[1:4] == [["产出（20）", "产出数量（12）", "培训人次完成率（4）"],
                         ["产出（20）", "产出数量（12）", "覆盖乡镇完成率（4）"],
                         ["产出（20）", "产出数量（12）", "完成及时率（4）"]]


def test_an_imported_leaf_still_to_fill_is_reported_at_the_imported_file(tmp_path):
    imported = NATIONAL.replace("实际完成率（8）", "实际完成率（？）")
    (tmp_path / "refine_national.idsl").write_text(imported, encoding="utf-8")
    (tmp_path / "spec.idsl").write_text(PROVINCE, encoding="utf-8")
    found = [d for d in check(load(tmp_path / "spec.idsl")) if d.severity == "error"]
    assert [d.code for d in found if d.code in ("E450", "E109")] == ["E450"]
    assert next(d for d in found if d.code == "E450").span.file.endswith("refine_national.idsl")


def test_a_refinement_is_kept_through_a_chain_of_imports(tmp_path):
    (tmp_path / "city.idsl").write_text(PROVINCE, encoding="utf-8")
    county = ('引用 "city.idsl"\n产出\n  产出数量\n    实际完成率\n      覆盖乡镇完成率\n'
              '        解释 实际覆盖乡镇数与计划覆盖乡镇数之比（以县为准）。\n')
    assert _codes(tmp_path, county) == []
    refined = load(tmp_path / "spec.idsl").spec.indicators[0].children[0].children[0]
    assert refined.refined.kind == "leaf" and refined.children[1].explanation.endswith("（以县为准）。")
    assert _codes(tmp_path, county.replace("      覆盖乡镇完成率\n", "      细化 覆盖乡镇完成率\n")) == ["E460"]
