"""Weights (§4): （30%） is a share of the parent's points; the points are derived exactly on loading."""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path

import openpyxl
from docx_structure import docx_structure

from idsl.check import check
from idsl.frontend.printer import format_spec
from idsl.frontend.resolve import load, load_text
from idsl.frontend.source import Source
from idsl.render.docx import render_docx
from idsl.render.workbook import template_workbook
from idsl.semantics.lower import lower

CASE = Path(__file__).parent / "cases" / "score" / "weights.idsl"


def test_points_are_derived_level_by_level():
    spec = load(CASE).spec
    decision, output = spec.indicators
    assert (decision.weight, decision.points) == (Decimal(25), Decimal(20))
    assert [(c.name, c.points) for c in decision.children] == [("目标设定", Decimal(8)), ("资金管理", Decimal(12))]
    assert [(c.name, c.points) for c in output.children] == [("数量", Decimal(30)), ("质量", Decimal(30))]
    assert output.children[0].children[0].points == Decimal(30)  # 100% of 数量's derived 30


def test_the_word_table_shows_each_weight_beside_its_derived_points():
    loaded = load(CASE)
    table = docx_structure(render_docx(lower(loaded.spec, loaded.sources)))["tables"][0]
    cells = [c if isinstance(c, str) else c["text"] for row in table["rows"] for c in row["cells"]]
    for heading in ("决策（25%，20分）", "目标设定（40%，8分）", "资金管理（60%，12分）", "产出（75%，60分）",
                    "数量（50%，30分）", "完成率（100%，30分）", "质量（30）", "合格率（30）"):
        assert heading in cells
    assert "决策（20）" not in cells


def test_the_workbook_lists_the_weights_along_each_leaf_path():
    loaded = load(CASE)
    book = openpyxl.load_workbook(io.BytesIO(template_workbook(lower(loaded.spec, loaded.sources))))
    rows = list(book["评分标准"].iter_rows(values_only=True))
    assert rows[0][:3] == ("指标", "分值", "权重")
    by_key = {row[0]: row for row in rows[1:]}
    assert by_key["决策/资金管理"][1:3] == (12, "决策 25%，资金管理 60%")
    assert by_key["产出/数量/完成率"][1:3] == (30, "产出 75%，数量 50%，完成率 100%")
    assert by_key["产出/质量/合格率"][1:3] == (30, "产出 75%")


def test_a_workbook_without_weights_has_no_weight_column():
    loaded = load_text(Source("p.idsl", "体系 \"例\" 总分 10\n决策（10）\n  完成率（10）\n    解释 完成情况。\n    酌情\n"))
    book = openpyxl.load_workbook(io.BytesIO(template_workbook(lower(loaded.spec, loaded.sources))))
    assert next(book["评分标准"].iter_rows(values_only=True)) == ("指标", "分值", "评分标准", "指标解释")


def test_weights_print_back_as_weights_and_check_clean():
    text = CASE.read_text(encoding="utf-8")
    printed = format_spec(load(CASE).spec)
    assert "决策（25%）" in printed and "质量（30）" in printed
    again = load_text(Source("again.idsl", printed))
    assert again.spec.indicators == load(CASE).spec.indicators
    assert not [d for d in check(load_text(Source("w.idsl", text))) if d.code.startswith("E")]
