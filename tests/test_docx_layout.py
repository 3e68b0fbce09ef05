"""The Word table's page layout read from its XML: which rows may break across pages, vertical
alignment of every cell, the summary tables kept on one page, the width of the 三级指标 column,
and a table of thousands of leaves written at all (its speed is measured in benchmarks/run.py)."""

from __future__ import annotations

import io

import idsl
import idsl.io.inert
import pytest
from docx import Document
from docx.oxml.ns import qn

from idsl.frontend.resolve import load_text
from idsl.frontend.source import Source
from idsl.io.inputs import read_inputs
from idsl.render.docx import render_docx
import idsl.render.docx_xml as docx_xml
from idsl.render.docx_xml import CHAR_MM, PADDING_MM, SPLIT_LINES, Cell, Row, lines_of, mm, table_element
from idsl.semantics.lower import lower
from plans import plan_of, seed_inputs, seed_spec

SEEDS = ["001", "002"]


def _tables(data: bytes):
    return Document(io.BytesIO(data)).element.body.findall(qn("w:tbl"))


@pytest.fixture(scope="module")
def filled() -> dict[str, bytes]:
    out = {}
    for number in SEEDS:
        plan = plan_of(seed_spec(number))
        out[number] = render_docx(plan, idsl.score(plan, read_inputs(seed_inputs(number))))
    return out


def _rows(tbl):
    return tbl.findall(qn("w:tr"))


def _flags(tr) -> set[str]:
    trpr = tr.find(qn("w:trPr"))
    return set() if trpr is None else {child.tag.split("}")[1] for child in trpr}


def _v_align(tc) -> str | None:
    found = tc.find(qn("w:tcPr")).find(qn("w:vAlign"))
    return None if found is None else found.get(qn("w:val"))


def _widths_mm(tbl) -> list[float]:
    return [int(col.get(qn("w:w"))) / 56.6929 for col in tbl.find(qn("w:tblGrid")).findall(qn("w:gridCol"))]


def _text(tc) -> str:
    return "\n".join("".join(t.text or "" for t in p.iter(qn("w:t"))) for p in tc.findall(qn("w:p")))


def _tallest(tr, widths: list[float]) -> int:
    """The estimated lines of a row's tallest cell that is not covered by a merge from above."""
    column, tallest = 0, 0
    for tc in tr.findall(qn("w:tc")):
        tcpr = tc.find(qn("w:tcPr"))
        span = tcpr.find(qn("w:gridSpan"))
        span = int(span.get(qn("w:val"))) if span is not None else 1
        merge = tcpr.find(qn("w:vMerge"))
        if merge is None or merge.get(qn("w:val")) == "restart":
            tallest = max(tallest, lines_of(_text(tc), sum(widths[column:column + span])))
        column += span
    return tallest


@pytest.mark.parametrize("number", SEEDS)
def test_long_rows_break_across_pages_short_ones_move_whole(filled, number):
    main = _tables(filled[number])[0]
    rows = _rows(main)
    assert _flags(rows[0]) == {"cantSplit", "tblHeader"}  # the header: repeated on every page, never split
    widths = _widths_mm(main)
    long_rows = [tr for tr in rows[1:] if _tallest(tr, widths) > SPLIT_LINES]
    short_rows = [tr for tr in rows[1:] if _tallest(tr, widths) <= SPLIT_LINES]
    assert long_rows and short_rows
    assert all("cantSplit" not in _flags(tr) for tr in long_rows)
    assert all("cantSplit" in _flags(tr) for tr in short_rows)
    assert not any("tblHeader" in _flags(tr) for tr in rows[1:])


@pytest.mark.parametrize("number", SEEDS)
def test_every_cell_is_vertically_aligned_merged_ones_and_the_last_row_too(filled, number):
    for tbl in _tables(filled[number]):
        for tr in _rows(tbl):
            breaks = "cantSplit" not in _flags(tr)
            for tc in tr.findall(qn("w:tc")):
                merged = tc.find(qn("w:tcPr")).find(qn("w:vMerge")) is not None
                assert _v_align(tc) == ("top" if breaks and not merged else "center")
    last = _rows(_tables(filled[number])[0])[-1]
    assert {_v_align(tc) for tc in last.findall(qn("w:tc"))} == {"center"}


@pytest.mark.parametrize("number", SEEDS)
def test_summary_and_conclusion_tables_are_kept_on_one_page(filled, number):
    tables = _tables(filled[number])[1:3]
    assert len(tables) == 2
    for tbl in tables:
        rows = _rows(tbl)
        for index, tr in enumerate(rows):
            assert "cantSplit" in _flags(tr)
            keeps = [p.find(qn("w:pPr")).find(qn("w:keepNext")) is not None for p in tr.iter(qn("w:p"))]
            assert all(keeps) if index < len(rows) - 1 else not any(keeps), index
        heading = tbl.getprevious()  # the title above each table stays with it
        assert heading.tag == qn("w:p") and heading.find(qn("w:pPr")).find(qn("w:keepNext")) is not None


@pytest.mark.parametrize("number", SEEDS)
def test_level3_column_holds_ten_characters(filled, number):
    main = _tables(filled[number])[0]
    header = [_text(tc) for tc in _rows(main)[0].findall(qn("w:tc"))]
    width = _widths_mm(main)[header.index("三级指标")]
    assert width >= 10 * CHAR_MM + PADDING_MM
    assert lines_of("服务对象满意度指标", width) == 1  # 001 seed wrapped it mid-name
    assert sum(_widths_mm(main)) == pytest.approx(267, abs=0.5)  # still the page's width


def test_short_names_keep_the_level3_column_narrow():
    spec = load_text(Source("t.idsl", '体系 "例" 总分 2\n决策（2）\n  目标设定（2）\n    合理性（2）\n      酌情\n')).spec
    main = _tables(render_docx(lower(spec)))[0]
    header = [_text(tc) for tc in _rows(main)[0].findall(qn("w:tc"))]
    assert _widths_mm(main)[header.index("三级指标")] < 10 * CHAR_MM


def test_control_characters_in_a_cell_are_shown_not_refused():
    # a BEL, a NUL and a lone surrogate (all refused by XML) from a unit name; tabs are kept
    tbl = table_element([mm(40)], [Row([Cell("甲\x07乙\x00丙\ud800丁\t戊")])])
    assert _text(tbl.findall(qn("w:tr"))[0].find(qn("w:tc"))) == "甲\\x07乙\\x00丙\\ud800丁\t戊"


def test_one_xml_escape_for_word_and_excel():
    # the Word table and the workbook writer share idsl.io.inert.xml_text; no second copy to drift
    assert docx_xml.xml_text is idsl.io.inert.xml_text
    assert not hasattr(docx_xml, "xml_safe")


def _generated(leaves: int) -> str:
    lines = [f'体系 "生成的体系" 总分 {leaves * 2}']
    per_level1 = leaves // 4
    number = 0
    for a in range(4):
        lines.append(f"一级{a + 1}（{per_level1 * 2}）")
        for b in range(per_level1 // 100):
            lines.append(f"  二级{a + 1}之{b + 1}（200）")
            for _ in range(100):
                number += 1
                lines += [f"    第{number}个指标（2）", "      解释 生成的指标。", "      酌情"]
    return "\n".join(lines) + "\n"


def test_a_table_of_4000_leaves_is_written():
    plan = lower(load_text(Source("g.idsl", _generated(4000))).spec)
    tables = _tables(render_docx(plan))
    rows = _rows(tables[0])
    assert len(rows) == 4001
    level1 = [tr.findall(qn("w:tc"))[0] for tr in rows[1:]]
    starts = [_text(tc) for tc in level1 if tc.find(qn("w:tcPr")).find(qn("w:vMerge")).get(qn("w:val")) == "restart"]
    assert starts == ["一级1（2000）", "一级2（2000）", "一级3（2000）", "一级4（2000）"]
    assert _text(rows[-1].findall(qn("w:tc"))[2]) == "第4000个指标（2）"
