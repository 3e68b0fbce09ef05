"""The batch workbook reader's short way (a dense row cut at its number, each column's pieces read once) gives every
cell exactly as its long way (each row cut cell by cell by regular expressions): on batch workbooks written as idsl
and openpyxl write them, and on generated rows of every kind of cell."""

from __future__ import annotations

import io
import sys
import zipfile
from decimal import Decimal
from pathlib import Path
from xml.sax.saxutils import escape

import openpyxl
import pytest
from hypothesis import given, settings, strategies as st

from idsl.frontend.resolve import load
from idsl.io import xlsx_rows
from idsl.io.columns import unit_columns
from idsl.render.workbook import batch_template
from idsl.semantics.lower import lower

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
import synth  # noqa: E402

SPECS = sorted((ROOT / "specs").glob("*.idsl"))


def both_ways(data: bytes) -> tuple[list, list, int]:
    """The sheet's rows read the short way and the long way, and how many rows the short way left to the long."""
    long_way = []
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        part = xlsx_rows.sheet_names(archive).get("单位") or next(iter(xlsx_rows.sheet_names(archive).values()))
        left = []
        reader_cells = xlsx_rows._Reader.cells

        def counted(self, xml):
            left.append(xml)
            return reader_cells(self, xml)

        xlsx_rows._Reader.cells = counted
        try:
            short_way = list(xlsx_rows.sheet_rows(archive, part))
        finally:
            xlsx_rows._Reader.cells = reader_cells
        strings, formats = xlsx_rows._shared_strings(archive), xlsx_rows._number_formats(archive)
        reader = xlsx_rows._Reader(strings, formats)
        number = 0
        with archive.open(part) as stream:
            for attributes, xml in xlsx_rows._rows(stream.read().decode("utf-8")):
                number = xlsx_rows._row_number(attributes, number)
                long_way.append((number, reader.cells(xml)))
    return short_way, long_way, len(left)


def _filled(plan, units: int, write_only: bool) -> bytes:
    """A batch of `units` synthetic units: in idsl's batch template (shared strings, rates as percent-formatted
    numbers, blanks left unwritten) or written as the benchmark writes it (write-only: inline strings)."""
    headers = [c.header for c in unit_columns(plan)]
    rows = synth.rows(plan, units, seed=11)
    if write_only:
        book = openpyxl.Workbook(write_only=True)
        sheet = book.create_sheet("单位")
        sheet.append(headers)
        for row in rows:
            sheet.append([_typed(text, False) for text in row])
    else:
        book = openpyxl.load_workbook(io.BytesIO(batch_template(plan)))
        sheet = book["单位"]
        for at, row in enumerate(rows, 2):
            for column, text in enumerate(row, 1):
                if text != "":
                    cell = sheet.cell(at, column, _typed(text, True))
                    if text.endswith("%"):
                        cell.number_format = "0.00%"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _typed(text: str, percent: bool):
    if text.endswith("%") and percent:
        return float(Decimal(text[:-1]) / 100)
    try:
        return int(text) if text.lstrip("-").isdigit() else float(text)
    except ValueError:
        return text


@pytest.mark.parametrize("write_only", [False, True], ids=["template", "write-only"])
@pytest.mark.parametrize("spec", SPECS, ids=lambda p: p.name[:3])
def test_batch_workbooks_of_every_spec_read_the_same_both_ways(spec, write_only):
    loaded = load(spec)
    plan = lower(loaded.spec, loaded.sources)
    short_way, long_way, left = both_ways(_filled(plan, 60, write_only))
    assert short_way == long_way
    # Every row went the short way but a row whose number is also a style's (row 2 with s="2": cut in the wrong place)
    assert len(short_way) == 61 and left <= 3


def test_the_workbooks_of_the_batch_tests_read_the_same_both_ways():
    """Blank rows, rows never written, gaps, formulas with and without a cached value, booleans, dates, entities."""
    import datetime

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "单位"
    sheet.append(["单位", "a", "b", "c", "d", "e", "f"])
    sheet.append(["甲 & <乙>", 0.8967, 12.0, True, datetime.date(2024, 1, 2), "=1+1", "=A1"])
    sheet.append([None] * 7)
    sheet.append(["丙", 1e-07, 123456789012.5, False, "x\"y'z", 0.1 + 0.2, "＝1"])
    sheet.cell(7, 1, "丁")
    sheet.cell(7, 3, -0.0)
    sheet.cell(9, 2, "不是数")
    sheet.cell(2, 2).number_format = "0.00%"
    buffer = io.BytesIO()
    book.save(buffer)
    data = buffer.getvalue().replace(b"<f>1+1</f><v></v>", b"<f>1+1</f><v>2</v>")
    short_way, long_way, left = both_ways(data)
    assert short_way == long_way and len(short_way) == 6
    assert 3 <= left < 6  # the rows with a formula or a gap went the long way, the header the short way


_STYLES = ["General", "0.00%", "yyyy-mm-dd", "0.00"]
_STRINGS = ["是", "否", "A 类", "＝1", ""]
_TEXT = st.text(alphabet=st.sampled_from(list("0123456789-.eE是否甲 =+@:c<>&\"'\n\t\u00a0")), max_size=8)


def _escaped(text: str, entities: bool) -> str:
    """Text as a sheet holds it: <, & (and > ") escaped; with `entities`, every character past ASCII as &#N;."""
    text = escape(text, {'"': "&quot;"})
    return "".join(f"&#{ord(c)};" if entities and ord(c) > 127 else c for c in text)


@st.composite
def _cell(draw, reference: str) -> str:
    style = draw(st.sampled_from(["", ' s="1"', ' s="2"', ' s="3"', ' s="9"']))
    kind = draw(st.sampled_from(["number", "shared", "inline", "bool", "formula", "str", "error", "empty"]))
    if kind == "number":
        value = draw(st.one_of(st.integers(-10**17, 10**17).map(str), st.decimals(allow_nan=False,
                     allow_infinity=False, places=draw(st.integers(0, 6))).map(str),
                     st.floats(allow_nan=False, allow_infinity=False).map(repr),
                     st.sampled_from(["-0", "0.10", "1e-07", "1E5", "", "12.50", "-0.0", "007"])))
        typed = draw(st.sampled_from(["", ' t="n"']))
        return f'<c r="{reference}"{style}{typed}><v>{value}</v></c>'
    if kind == "shared":
        return f'<c r="{reference}"{style} t="s"><v>{draw(st.integers(-1, len(_STRINGS) + 1))}</v></c>'
    if kind == "inline":
        text = _escaped(draw(_TEXT), draw(st.booleans()))
        return f'<c r="{reference}"{style} t="inlineStr"><is><t>{text}</t></is></c>'
    if kind == "bool":
        return f'<c r="{reference}"{style} t="b"><v>{draw(st.sampled_from(["0", "1", ""]))}</v></c>'
    if kind == "formula":
        return f'<c r="{reference}"{style}><f>A1+1</f><v>{draw(st.sampled_from(["2", "", "0.5"]))}</v></c>'
    if kind in ("str", "error"):
        text = _escaped(draw(_TEXT), False) if kind == "str" else "#DIV/0!"
        return f'<c r="{reference}"{style} t="{"str" if kind == "str" else "e"}"><v>{text}</v></c>'
    return draw(st.sampled_from([f'<c r="{reference}"{style}/>', f'<c r="{reference}"{style}></c>']))


@st.composite
def _row(draw) -> tuple[int, str]:
    number = draw(st.integers(1, 1_048_576))
    columns = list(range(draw(st.integers(1, 30))))
    if draw(st.integers(0, 9)) == 0 and len(columns) > 1:  # a gap or cells out of order, now and then
        if draw(st.booleans()):
            del columns[draw(st.integers(0, len(columns) - 1))]
        else:
            columns[0], columns[-1] = columns[-1], columns[0]
    cells = [draw(_cell(f"{xlsx_rows._letters(at)}{number}")) for at in columns]
    return number, "".join(cells)


@settings(max_examples=200, deadline=None)
@given(st.lists(_row(), min_size=1, max_size=12))
def test_generated_rows_read_the_same_both_ways(rows):
    """Numbers of every shape and style (percent, date), shared strings in and out of range, inline strings with
    entities, CJK, `=`, quotes and the row's own number before a quote, booleans, formulas with and without a
    cached value, errors, empty cells, gaps and cells out of order: each row as the long way reads it, the rows
    read in turn by one reader (so later rows meet the pieces earlier ones left in its columns)."""
    short = xlsx_rows._Reader(_STRINGS, _STYLES)
    for number, xml in rows:
        assert short.row(number, xml) == xlsx_rows._Reader(_STRINGS, _STYLES).cells(xml)


def test_a_dense_row_goes_the_short_way_and_a_row_with_a_number_quote_in_its_text_does_not_mislead_it():
    reader = xlsx_rows._Reader(_STRINGS, _STYLES)
    row = '<c r="A7" t="s"><v>0</v></c><c r="B7" s="1"><v>0.5</v></c><c r="C7" t="inlineStr"><is><t>7"</t></is></c>'
    assert reader.row(7, row) == ["是", "50%", '7"']
    odd = row.replace('<t>7"', '<t>7"/></t></is></c><c r="C7"><v>1</v></c><c r="D7" t="inlineStr"><is><t>')
    assert reader.row(7, odd) == xlsx_rows._Reader(_STRINGS, _STYLES).cells(odd)
    assert "0.5</v></c><c r=\"C" in "".join(reader.middle[1])  # the dense row's pieces were remembered
