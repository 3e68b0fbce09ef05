"""Excel cell values read exactly and written back: shared by the input-workbook and batch readers."""

from __future__ import annotations

import zipfile
from decimal import Decimal
from typing import Any

from idsl.io.values import without_thousands
from idsl.semantics.numbers import decimal_text, to_decimal


MAX_UNPACKED = 100 * 2**20  # what a workbook may unpack to: a 10,000-unit batch unpacks to about 20 MB
MAX_MEMBERS = 2000  # files inside the archive
# A batch workbook may unpack to more (100,000 units of 001: about 500 MB), read as a stream, if it is
# compressed as XML is (about 10:1); a zip bomb's parts unpack hundreds of times their size.
MAX_BATCH_UNPACKED = 16 * 2**30
MAX_RATIO = 40
STREAMED_PARTS = "xl/worksheets/"  # a batch's sheets, checked for a DTD as they are streamed
DTD_MARKERS = ("<!DOCTYPE", "<!ENTITY")
_DTD = (b"<!DOCTYPE", b"<!ENTITY", "<!DOCTYPE".encode("utf-16-le"), "<!ENTITY".encode("utf-16-le"))


def workbook_problem(path, batch: bool = False) -> str | None:
    """Why a file must not be opened as a workbook, checked on the archive before it is read:
    not an .xlsx at all (a renamed text file), unpacking beyond MAX_UNPACKED (a zip bomb: the sizes an
    archive declares are the most it yields; a `batch`, streamed, may unpack to more at an XML-like
    compression ratio), or XML with a DTD (entity expansion, external entities). A `batch`'s worksheets are
    not scanned here: the batch reader (`idsl.io.xlsx_rows.sheet_rows`) never gives them to an XML parser and
    refuses a DTD in the one sheet it reads as it reads it, so that sheet is unpacked once, not twice.

    >>> workbook_problem(__file__)
    '不是 Excel 工作簿（.xlsx），也许是改了扩展名的其他文件。'
    """
    return package_problem(path, "一个工作簿", batch)


def package_problem(path, what: str = "一个工作簿", batch: bool = False) -> str | None:
    """Why an Office file (a zip of XML parts: .xlsx, .docx) must not be parsed, else None; see workbook_problem."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            unpacked = sum(m.file_size for m in members)
            packed = max(1, sum(m.compress_size for m in members))
            fits = unpacked <= MAX_UNPACKED or (batch and unpacked <= MAX_BATCH_UNPACKED
                                                 and unpacked <= MAX_RATIO * packed)
            if len(members) > MAX_MEMBERS or not fits:
                return f"解压后超过 {MAX_UNPACKED // 2**20} MB（{len(members)} 个部件），不像是{what}。"
            for member in members:
                if batch and member.filename.startswith(STREAMED_PARTS):
                    continue
                if _has_dtd(archive, member):
                    return f"部件 {member.filename} 含 DTD（<!DOCTYPE/<!ENTITY>），为安全起见不读。"
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError):
        return "不是 Excel 工作簿（.xlsx），也许是改了扩展名的其他文件。"
    except (OSError, RuntimeError, NotImplementedError, ValueError) as err:  # encrypted, unknown compression
        return f"读不了：{err}"
    return None


def _has_dtd(archive, member) -> bool:
    """Whether a part holds a DTD marker, read in chunks (a batch sheet may be hundreds of MB)."""
    overlap = max(len(marker) for marker in _DTD)
    tail = b""
    with archive.open(member) as stream:
        for chunk in iter(lambda: stream.read(1 << 22), b""):
            data = tail + chunk
            if any(marker in data for marker in _DTD):
                return True
            tail = data[-overlap:]
    return False


def cell_decimal(value: Any) -> Decimal | None:
    """An exact Decimal of a cell value: a float by its shortest repr (what Excel shows), text parsed.

    >>> cell_decimal(0.1), cell_decimal("1,089.6"), cell_decimal(True), cell_decimal("x")
    (Decimal('0.1'), Decimal('1089.6'), None, None)
    >>> cell_decimal("1,00"), cell_decimal("7e2"), cell_decimal("১২")
    (None, None, None)
    """
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value))
    text = without_thousands(str(value).strip())
    if "," in text:  # a comma that parts no thousands: 1,00 is not 100
        return None
    try:  # 0–9, a sign and a point, as a batch cell: not ১২, 7e2 or 1_000, which Decimal would read
        return to_decimal(text)
    except ValueError:
        return None


BOOLEANS = {True: "true", False: "false"}  # a TRUE or FALSE cell as a batch reads it
DATE_MARK = "#日期"  # a date cell as a batch reads it: a cell the checks reject
NO_CACHE = "#公式没有缓存值"  # a formula Excel never calculated: a cell the checks reject
ERROR_VALUES = ("#DIV/0!", "#N/A", "#NAME?", "#NULL!", "#NUM!", "#REF!", "#VALUE!", "#GETTING_DATA")
DATE_CELL = "单元格是日期，不是数字或文字。"
DATE_HINT = "把单元格格式改为“常规”或“文本”，再填数字或文字。"
UNCALCULATED = "公式没有缓存的计算结果（idsl 不计算公式）：在 Excel 或 LibreOffice 里打开并保存，或直接填数值。"


def error_value(shown: str) -> str:
    """A cell holding an Excel error value (#DIV/0!), in the words of every reader of a workbook."""
    return f"单元格是错误值 {shown}。"


def marked_cell(text: str) -> tuple[str, str | None] | None:
    """The words (message, hint) for a date, an uncalculated formula or an error value as a batch reads its cell (a
    marker or the error's text), the input workbook's words for that cell; None for any other text.

    >>> marked_cell("#DIV/0!"), marked_cell("12")
    (('单元格是错误值 #DIV/0!。', None), None)
    """
    if text == DATE_MARK:
        return DATE_CELL, DATE_HINT
    if text == NO_CACHE:
        return UNCALCULATED, None
    return (error_value(text), None) if text in ERROR_VALUES else None


def cell_text(value: Any, number_format: str) -> str:
    """A cell as the text a CSV would hold: numbers in their shortest decimal form, a percent-formatted
    0.8967 as "89.67%", booleans as JSON writes them (true, false: a 是/否 cell reads them as 是 and 否, a number
    cell quotes them as a JSON file's true is quoted), a date as a marker the checks reject.

    >>> cell_text(0.8967, "0.00%"), cell_text(12.0, "General"), cell_text(True, ""), cell_text(None, "")
    ('89.67%', '12', 'true', '')
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return BOOLEANS[value]
    if isinstance(value, (int, float)):
        number = cell_decimal(value)
        if "%" in number_format:
            return decimal_text(number * 100) + "%"
        return decimal_text(number)
    if hasattr(value, "year"):
        return DATE_MARK
    return str(value)


def excel_value(value: Any) -> Any:
    """A result value as written to a cell: a Decimal of at most four places as a number, else as text
    (a float would round it)."""
    if isinstance(value, Decimal):
        return float(value) if value == value.quantize(Decimal("0.0001")) else str(value)
    return value


__all__ = ["BOOLEANS", "DATE_CELL", "DATE_HINT", "DATE_MARK", "DTD_MARKERS", "ERROR_VALUES", "NO_CACHE", "UNCALCULATED", "cell_decimal", "cell_text",
           "error_value", "excel_value", "marked_cell", "package_problem", "workbook_problem"]
