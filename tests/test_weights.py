"""Weights (§4): （30%） is a share of the parent's points; the points are derived exactly on loading."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from docx_structure import docx_structure

from idsl.check import check
from idsl.frontend.printer import format_spec
from idsl.frontend.resolve import load, load_text
from idsl.frontend.source import Source
from idsl.render.docx import render_docx
from idsl.semantics.lower import lower

CASE = Path(__file__).parent / "cases" / "score" / "weights.idsl"


def test_points_are_derived_level_by_level():
    spec = load(CASE).spec
    decision, output = spec.indicators
    assert (decision.weight, decision.points) == (Decimal(25), Decimal(20))
    assert [(c.name, c.points) for c in decision.children] == [("目标设定", Decimal(8)), ("资金管理", Decimal(12))]
    assert [(c.name, c.points) for c in output.children] == [("数量", Decimal(30)), ("质量", Decimal(30))]
    assert output.children[0].children[0].points == Decimal(30)  # 100% of 数量's derived 30


def test_the_word_table_shows_the_derived_points():
    loaded = load(CASE)
    table = docx_structure(render_docx(lower(loaded.spec, loaded.sources)))["tables"][0]
    cells = [c if isinstance(c, str) else c["text"] for row in table["rows"] for c in row["cells"]]
    for heading in ("决策（20）", "目标设定（8）", "资金管理（12）", "产出（60）", "数量（30）", "完成率（30）"):
        assert heading in cells
    assert not any("25%" in cell or "40%" in cell for cell in cells)


def test_weights_print_back_as_weights_and_check_clean():
    text = CASE.read_text(encoding="utf-8")
    printed = format_spec(load(CASE).spec)
    assert "决策（25%）" in printed and "质量（30）" in printed
    again = load_text(Source("again.idsl", printed))
    assert again.spec.indicators == load(CASE).spec.indicators
    assert not [d for d in check(load_text(Source("w.idsl", text))) if d.code.startswith("E")]
