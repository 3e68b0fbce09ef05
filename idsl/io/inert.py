"""Text written into files that people open in a spreadsheet or a word processor: never a live formula,
never a character the file's XML cannot hold.

A unit's name or a note comes from whoever filled in the inputs. Written as it is, `=HYPERLINK(…)`
or `=cmd|' /C calc'!A0` becomes a formula the moment results.csv is opened in Excel (OWASP "CSV
injection"), and a NUL or a BEL makes python-docx and openpyxl refuse the whole document.
"""

from __future__ import annotations

import re
from typing import Any

# What makes a spreadsheet read a cell as a formula (OWASP), with the full-width forms a Chinese
# keyboard types, which Excel and WPS also accept. The checker refuses names that start so (E208,
# idsl.check.names keeps its own copy below the io layer; a test holds the two equal).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")

# Characters XML 1.0 cannot hold (C0 controls but tab, newline and CR; lone surrogates; U+FFFE, U+FFFF).
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def csv_cell(value: Any) -> Any:
    """A CSV cell no spreadsheet runs: text starting like a formula gets a leading ' (OWASP); anything
    else, numbers included, is unchanged.

    >>> csv_cell('=HYPERLINK("http://x","y")'), csv_cell("-2+3"), csv_cell("＠SUM(1)")
    ('\\'=HYPERLINK("http://x","y")', "'-2+3", "'＠SUM(1)")
    >>> csv_cell("肃南县人社局"), csv_cell(-2), csv_cell(None)
    ('肃南县人社局', -2, None)
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def xml_text(text: str) -> str:
    """Text a .docx or .xlsx can hold: each character XML refuses written as a visible escape (\\x07),
    so the text stays recognisable.

    >>> xml_text("肃南\\x00县\\x0b局\\x1b]0;t\\x07"), xml_text("第一行\\n第二行\\t完")
    ('肃南\\\\x00县\\\\x0b局\\\\x1b]0;t\\\\x07', '第一行\\n第二行\\t完')
    """
    return _XML_ILLEGAL.sub(_escaped, text)


def _escaped(match: re.Match) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def sql_csv_cell(expression: str) -> str:
    """`csv_cell` as a DuckDB expression over a VARCHAR, for results written by COPY. The first character is
    compared with each start in turn, not by IN (…): DuckDB plans a list of ten constants as a join, takes the
    rows' order as lost after it, and a COPY fed by it writes the rows of a large batch in whatever order its
    threads finish them."""
    first = f"left({expression}, 1)"
    starts = " OR ".join(f"{first} = " + ("'" + s + "'" if s not in "\t\r" else f"chr({ord(s)})")
                         for s in FORMULA_STARTS)
    return f"CASE WHEN {starts} THEN '''' || {expression} ELSE {expression} END"


def text_cells(book) -> None:
    """Every cell of an openpyxl workbook that openpyxl took for a formula (text starting with =) kept as
    text: idsl's workbooks hold no formulas, so such a cell is always text from a spec or an input."""
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    cell.data_type = "s"


def sheet_cell(sheet, value: Any):
    """A write-only sheet's cell for `value`: text as text (never a formula), without characters XML refuses."""
    if not isinstance(value, str):
        return value
    from openpyxl.cell import WriteOnlyCell  # deliberately lazy: openpyxl is slow to import

    cell = WriteOnlyCell(sheet, value=xml_text(value))
    cell.data_type = "s"
    return cell


__all__ = ["FORMULA_STARTS", "csv_cell", "sheet_cell", "sql_csv_cell", "text_cells", "xml_text"]
