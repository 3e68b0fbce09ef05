"""不适用 分值平均分配给同级指标 (§6): a leaf left out hands its points equally to its applicable siblings.

The golden case (tests/cases/score/share_siblings) is scored by the interpreter and by DuckDB, with
other marks of 不适用 besides; the share is exact where it does not terminate (4 points over 3), and the
Word table, the 评分标准 text and the input workbook say what happens.
"""

from __future__ import annotations

import io
import json
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

from docx_structure import docx_structure, texts_of
from openpyxl import load_workbook

from idsl.engines.batch import score_rows
from idsl.engines.python import score
from idsl.frontend.resolve import load
from idsl.io.inputs import read_inputs
from idsl.render.docx import render_docx
from idsl.render.standard import standard_text, not_applicable_text
from idsl.render.workbook import template_workbook
from idsl.semantics.lower import lower

CASE = Path(__file__).parent / "cases" / "score" / "share_siblings"


def _plan():
    loaded = load(CASE.with_suffix(".idsl"))
    return lower(loaded.spec, loaded.sources)


def _row(*left_out: str) -> dict:
    """One unit's batch row: the golden case's values, and 是 in the 不适用 cells of the leaves named."""
    row = {"单位": "甲", "产出/数量指标/完成率.完成率": "90%", "产出/数量指标/覆盖率.覆盖率": "80%",
           "产出/数量指标/达标率.达标率": "95%", "产出/数量指标/及时率.及时率": "60%",
           "产出/质量指标/合格率.合格率": "50%", "效益/满意度.得分": "4", "效益/满意度.理由": "较满意",
           "效益/可持续性.得分": "3", "效益/可持续性.理由": "机制已建立"}
    for key in ("产出/数量指标/及时率", "产出/质量指标/合格率", "效益/满意度"):
        row[f"{key}.不适用"] = "是" if key.rsplit("/", 1)[1] in left_out else "否"
    return row


def test_the_golden_case_shares_exactly():
    """及时率's 4 points go 4/3 to each of three siblings, 质量指标's 8 to 数量指标: no rescaling of the parent."""
    result = score(_plan(), read_inputs(json.loads(CASE.with_suffix(".inputs.json").read_text(encoding="utf-8"))))
    rows = {row.name: row for row in result.nodes}
    exact = (Fraction("2.7") * (3 + Fraction(4, 3)) / 3 + Fraction("1.6") * (2 + Fraction(4, 3)) / 2
             + Fraction("2.85") * (3 + Fraction(4, 3)) / 3)
    assert exact == Fraction(641, 60)  # 10.683…, not a finite decimal: rounded once, at the parent
    assert rows["数量指标"].score == Decimal("10.68")
    assert rows["产出"].score == Decimal("17.8")  # 10.68 × (12 + 8) ÷ 12
    assert rows["质量指标"].status == "not_applicable"
    assert "各加4/3分" in rows["数量指标"].reason
    assert result.total == Decimal("25.8") and result.grade == "良"


def test_both_engines_agree_on_every_way_of_leaving_out():
    marks = [(), ("及时率",), ("及时率", "合格率"), ("合格率", "满意度"), ("满意度",), ("及时率", "合格率", "满意度")]
    plan = _plan()
    rows = [dict(_row(*m), 单位=f"单位{i}") for i, m in enumerate(marks)]
    python, python_errors = score_rows(plan, rows, engine="python")
    sql, sql_errors = score_rows(plan, rows, engine="duckdb")
    assert not python_errors and not sql_errors
    assert python == sql
    # Nothing left out: 2.7 + 2.4 + 1.6 + 2.85 + 4 + 4 + 3 = 20.55. 及时率 left out: 数量指标 is 10.68 as in
    # the golden case, 产出 10.68 + 4 (合格率). Both left out: 产出 is 10.68 × 20 ÷ 12 = 17.8, plus 7.
    assert [r["总分"] for r in sql][:3] == [Decimal("20.55"), Decimal("21.68"), Decimal("24.80")]
    for row, mark in zip(rows, marks):  # the interpreter over the same unit, as JSON inputs
        assert score(plan, _inputs(row)).total == next(r["总分"] for r in sql if r["单位"] == row["单位"]), mark


def _inputs(row: dict):
    data: dict = {}
    for header, value in row.items():
        if header == "单位":
            continue
        key, field = header.rsplit(".", 1)
        name = key.rsplit("/", 1)[1]
        data.setdefault(name, {})[field] = value == "是" if field == "不适用" else value
    return read_inputs({"inputs": data})


def test_the_tables_say_where_the_points_go():
    plan = _plan()
    leaf = next(n for n in plan.walk() if n.name == "及时率")
    assert standard_text(leaf, places=plan.places, not_applicable=not_applicable_text(plan, leaf)).endswith(
        "本指标不适用的，予以剔除，其分值平均分配给同级其他指标。")
    result = score(plan, read_inputs(json.loads(CASE.with_suffix(".inputs.json").read_text(encoding="utf-8"))))
    texts = texts_of(docx_structure(render_docx(plan, result)))
    assert "不适用指标予以剔除，其分值平均分配给同级其他适用指标" in texts
    table = docx_structure(render_docx(plan, result))["tables"][0]
    cells = [c if isinstance(c, str) else c["text"] for row in table["rows"] for c in row["cells"]]
    assert cells.count("不适用") >= 2  # 及时率 and 合格率 (and 质量指标)
    sheet = load_workbook(io.BytesIO(template_workbook(plan))).worksheets[0]
    notes = [str(c.value) for row in sheet.iter_rows() for c in row if c.value]
    assert any("剔除，分值平均分配给同级指标" in note for note in notes)
