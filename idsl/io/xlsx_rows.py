"""The rows of one sheet of an .xlsx, streamed: the sheet's XML read in chunks and cut into cells by regular
expressions, values only (a formula's cached value), numbers as the text a CSV would hold.

openpyxl builds an object per cell and takes minutes for a 100,000-unit batch; this reader keeps one row
in memory. Shared strings and styles (which numbers are percents or dates) are small parts read with
ElementTree once the archive has been checked (`idsl.io.excel.workbook_problem`: no DTD in them). The
sheet itself is never given to an XML parser: text is unescaped for the predefined and numeric
entities only, and a sheet holding a DTD is refused as it is read (unpacked once, not scanned first).
"""

from __future__ import annotations

import codecs
import html
import re
import zipfile
from typing import Iterator
from xml.etree import ElementTree

from idsl.io.excel import DATE_MARK, DTD_MARKERS, NO_CACHE, cell_text

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_DOC_RELS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_ROW = re.compile(r"<(?:\w+:)?row\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?row>)", re.S)
_CELL = re.compile(r"<(?:\w+:)?c\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?c>)", re.S)
_ATTR = re.compile(r'\b(r|t|s)="([^"]*)"')
_VALUE = re.compile(r"<(?:\w+:)?v>([^<]*)</(?:\w+:)?v>")
_TEXT = re.compile(r"<(?:\w+:)?t\b[^>]*>([^<]*)</(?:\w+:)?t>")
_PHONETIC = re.compile(r"<(?:\w+:)?rPh\b.*?</(?:\w+:)?rPh>", re.S)
_LETTERS = re.compile(r"[A-Z]+")
# A cell as Excel, LibreOffice and openpyxl write most of them: letters, style, type, then a plain value or
# an inline string. A row with any other cell (a formula, an attribute more, xml:space) is read by _CELL.
_FAST = re.compile(r'<c r="([A-Z]+)[0-9]+"(?: s="([0-9]+)")?(?: t="([A-Za-z]+)")?'
                   r'(?:/>|><v>([^<&]*)</v></c>|></c>|><is><t>([^<]*)</t></is></c>)')
# What follows a dense row's cell reference `<c r="B7"`: the rest of a cell as _FAST reads it, then the next cell's
# `<c r="` and letters (none after the last cell). A row split at its number and `"` is a list of these.
_PIECE = re.compile(r'(?: s="([0-9]+)")?(?: t="([A-Za-z]+)")?(?:/>|><v>([^<&]*)</v></c>|></c>|><is><t>([^<]*)</t></is></c>)'
                    r'(?:<c r="([A-Z]+))?\Z')
_CACHED = 4096  # pieces remembered per column
_ROW_END = re.compile(r"</(?:\w+:)?row>")
_SHORT = re.compile(r"-?[0-9]+([.][0-9]+)?")
_CHUNK = 1 << 22
# A General number `_plain` leaves as it is (most cells): tested by one compiled match, not a call of `_plain`.
_KEEP = re.compile(r"(?=[^\n]{1,15}\Z)(?!-0\Z)-?[0-9]+(?:[.][0-9]*[1-9])?\Z").match


def sheet_names(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name → its part in the archive, in the workbook's order."""
    book = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target", "") for r in rels.iter(f"{_RELS}Relationship")}
    parts = {}
    for sheet in book.iter(f"{_MAIN}sheet"):
        target = targets.get(sheet.get(f"{_DOC_RELS}id"), "")
        parts[sheet.get("name", "")] = target.lstrip("/") if target.startswith("/") else "xl/" + target
    return parts


def sheet_rows(archive: zipfile.ZipFile, part: str) -> Iterator[tuple[int, list[str]]]:
    """(row number, cell texts by column from A; trailing empty cells left off) for every row written.
    A ValueError for a sheet holding a DTD marker, found in the text as it is read (a marker cut between
    two chunks is whole in the buffer: it is kept from the last complete row on)."""
    reader = _Reader(_shared_strings(archive), _number_formats(archive))
    decoder = _decoder()
    buffer = ""
    number = 0
    with archive.open(part) as stream:
        while True:
            chunk = stream.read(_CHUNK)
            buffer += decoder.decode(chunk, final=not chunk)
            if "<!" in buffer and any(marker in buffer for marker in DTD_MARKERS):
                raise ValueError(f"部件 {part} 含 DTD（<!DOCTYPE/<!ENTITY>），为安全起见不读。")
            cut = _after_last_row(buffer) if chunk else len(buffer)
            for attributes, xml in _rows(buffer[:cut]):
                number = _row_number(attributes, number)
                yield number, reader.row(number, xml)
            buffer = buffer[cut:]
            if not chunk:
                return


def _rows(text: str) -> Iterator[tuple[str, str]]:
    """(attributes, inner XML) of each row: cut at </row> by str.split, the usual spelling, far faster than
    one expression over the whole text; a sheet whose tags carry a prefix (x:row) goes by the expression."""
    if "</row>" not in text:
        for found in _ROW.finditer(text):
            yield found.group(1), found.group(2) or ""
        return
    for piece in text.split("</row>"):
        start = piece.rfind("<row")
        if start < 0:
            continue
        close = piece.find(">", start)
        if close < 0 or piece[close - 1] == "/":
            continue
        yield piece[start + 4:close], piece[close + 1:]


def _after_last_row(text: str) -> int:
    """Where the last complete row of `text` ends (0 when there is none yet)."""
    at = text.rfind("</row>")
    if at >= 0:
        return at + len("</row>")
    ends = list(_ROW_END.finditer(text))
    return ends[-1].end() if ends else 0


class _Reader:
    """Cells of a row as text. Most rows (r, s, t in that order, a <v> value) are cut by one expression;
    any other row cell by cell."""

    def __init__(self, strings: list[str], formats: list[str]):
        from openpyxl.styles.numbers import is_date_format  # lazy: openpyxl is slow to import

        self.strings = strings
        self.formats = formats
        self.styles = {str(i): ("date" if f and is_date_format(f) else "percent" if "%" in f else "")
                       for i, f in enumerate(formats)}
        self.columns: dict[str, int] = {}
        self.inline: dict[str, str] = {}
        self.letters: list[str] = []  # A, B, C … as far as a row has reached
        self.special = {style for style, shown in self.styles.items() if shown}  # percent and date styles
        self.middle: list[_Column] = []  # by column: a piece followed by the next column's `<c r="` → its text
        self.last: list[_Column] = []  # by column: the piece of a row's last cell → its text

    def row(self, number: int, xml: str) -> list[str]:
        """The cells of row `number`. A row written from column A without gaps, every cell in _FAST's form, is cut
        at `<number>"` (str.split, in C) into pieces that repeat down a column (`t="s"><v>3</v></c><c r="K`):
        each is looked up in its column's cache (map, in C) and read once. Any other row is read by `cells`."""
        pieces = xml.split(f'{number}"')
        if pieces[0] != '<c r="A' or ":c " in xml:  # ":c ": `cells` reads such a row cell by cell
            return self.cells(xml)
        count = len(pieces) - 1
        if count == 0:
            return self.cells(xml)
        while len(self.middle) < count:
            self.middle.append(_Column(self, len(self.middle), False))
            self.last.append(_Column(self, len(self.last), True))
        try:
            texts = list(map(_Column.__getitem__, self.middle, pieces[1:-1]))
            texts.append(self.last[count - 1][pieces[-1]])
        except _NotDense:
            return self.cells(xml)
        return _trimmed(texts)

    def piece(self, at: int, piece: str, last: bool) -> str:
        """The text of the cell in column `at` from its piece; _NotDense when the piece is not a cell of _FAST's
        form followed by the next column's reference (by nothing, for the `last` cell of a row)."""
        found = _PIECE.match(piece)
        if found is None:
            raise _NotDense
        style, kind, value, inline, following = found.groups(default="")
        if following != ("" if last else self.column_letters(at + 1)):
            raise _NotDense
        return self.text(style, kind, value, inline)

    def text(self, style: str, kind: str, value: str, inline: str) -> str:
        """A cell of _FAST's form as text: what `cells` gives it in a row written from A without gaps."""
        if (kind == "" or kind == "n") and style not in self.special:
            return value if _KEEP(value) else _plain(value)
        if kind == "inlineStr" and inline in self.inline:
            return self.inline[inline]
        return self.one(style, kind, value, inline)

    def cells(self, xml: str) -> list[str]:
        found = _FAST.findall(xml)
        if len(found) != xml.count("<c ") + xml.count("<c>") or ":c " in xml:
            return _trimmed(self.slow(xml))
        if [cell[0] for cell in found] != self.dense(len(found)):
            return self.placed(found)
        # Every column from A written, in order (the usual batch row): no placing, one comprehension; a plain
        # General number (most cells) and an inline text read before are converted inline, anything else by `one`.
        special, known, one = self.special, self.inline, self.one
        return _trimmed([(value if _KEEP(value) else _plain(value)) if (kind == "" or kind == "n") and style not in special
                         else known[inline] if kind == "inlineStr" and inline in known
                         else one(style, kind, value, inline) for _letters, style, kind, value, inline in found])

    def dense(self, count: int) -> list[str]:
        """The letters of the first `count` columns, A, B, C …"""
        if len(self.letters) < count:
            self.letters = [_letters(i) for i in range(max(count, 2 * len(self.letters)))]
        return self.letters[:count] if count != len(self.letters) else self.letters

    def column_letters(self, at: int) -> str:
        if at >= len(self.letters):
            self.dense(at + 1)
        return self.letters[at]

    def placed(self, found: list[tuple[str, ...]]) -> list[str]:
        """Cells of a row with gaps or out of order: each put at its column."""
        out: list[str] = []
        for letters, style, kind, value, inline in found:
            at = self.columns.get(letters)
            if at is None:
                at = self.columns[letters] = _column(letters, 0)
            if at > len(out):
                out.extend([""] * (at - len(out)))
            plain = kind in ("", "n") and style not in self.special
            text = _plain(value) if plain else self.one(style, kind, value, inline)
            if at < len(out):
                out[at] = text
            else:
                out.append(text)
        return _trimmed(out)

    def one(self, style: str, kind: str, value: str, inline: str) -> str:
        """A cell of the fast expression that is not a plain General number."""
        if kind == "inlineStr":
            text = self.inline.get(inline)
            if text is None:  # cells repeat (是, 否, options): unescape each text once
                text = _unescape(inline)
                if len(self.inline) < 100_000:  # unit names do not repeat: a bounded cache
                    self.inline[inline] = text
            return text
        if kind == "s":
            index = int(value) if value else -1
            return self.strings[index] if 0 <= index < len(self.strings) else ""
        return _value(kind or "n", f"<v>{value}</v>" if value else "", self.strings, self.format(style))

    def format(self, style: str) -> str:
        index = int(style or 0)
        return self.formats[index] if index < len(self.formats) else ""

    def slow(self, xml: str) -> list[str]:
        out: list[str] = []
        for attributes, inner in _CELL.findall(xml):
            found = dict(_ATTR.findall(attributes))
            at = _column(found.get("r"), len(out))
            if at > len(out):
                out.extend([""] * (at - len(out)))
            text = _value(found.get("t", "n"), inner or "", self.strings, self.format(found.get("s", "0")))
            if at < len(out):
                out[at] = text
            else:
                out.append(text)
        return out


class _NotDense(Exception):
    """A row `_Reader.row` leaves to `_Reader.cells`."""


class _Column(dict):
    """One column's pieces (see _PIECE) → their cells' text: a piece is read on its first sight, and remembered
    while the column holds fewer than _CACHED (是/否, options and repeated figures, not every unit's name)."""

    def __init__(self, reader: _Reader, at: int, last: bool):
        super().__init__()
        self.reader, self.at, self.is_last = reader, at, last

    def __missing__(self, piece: str) -> str:
        text = self.reader.piece(self.at, piece, self.is_last)
        if len(self) < _CACHED:
            self[piece] = text
        return text


def _trimmed(out: list[str]) -> list[str]:
    while out and out[-1] == "":
        out.pop()
    return out


def _plain(value: str) -> str:
    """A General number as its shortest decimal text: a plain figure of at most 15 digits is that already
    (less trailing zeros); anything else goes through the float, as openpyxl reads it."""
    if len(value) <= 15 and _SHORT.fullmatch(value):
        if "." in value:
            value = value.rstrip("0").rstrip(".")
        return "0" if value in ("-0", "") else value
    return _number(value, "") if value else ""


def _letters(index: int) -> str:
    """The letters of the column at `index` (0: A, 26: AA)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _decoder():
    return codecs.getincrementaldecoder("utf-8")()


def _row_number(attributes: str, previous: int) -> int:
    found = re.search(r'\br="(\d+)"', attributes)
    return int(found.group(1)) if found else previous + 1


def _column(reference: str | None, default: int) -> int:
    if not reference:
        return default
    letters = _LETTERS.match(reference)
    if letters is None:
        return default
    index = 0
    for letter in letters.group(0):
        index = index * 26 + ord(letter) - 64
    return index - 1


def _value(kind: str, inner: str, strings: list[str], number_format: str) -> str:
    """One cell as text: its cached value, typed by t= and styled by its number format."""
    value = _VALUE.search(inner)
    raw = _unescape(value.group(1)) if value else None
    if kind == "inlineStr":
        return _unescape("".join(_TEXT.findall(_PHONETIC.sub("", inner))))
    if raw is None or (raw == "" and kind != "str"):
        return NO_CACHE if "<f" in inner or ":f" in inner else ""
    if kind == "s":
        index = int(raw)
        return strings[index] if 0 <= index < len(strings) else ""
    if kind == "b":
        return cell_text(raw == "1", "")
    if kind in ("str", "e"):
        return raw
    return _number(raw, number_format)


def _number(raw: str, number_format: str) -> str:
    from openpyxl.styles.numbers import is_date_format  # lazy: openpyxl is slow to import

    try:
        value = float(raw) if any(c in raw for c in ".eE") else int(raw)
    except ValueError:
        return raw
    if number_format and is_date_format(number_format):
        return DATE_MARK  # what openpyxl reads as a date: the checks reject it
    return cell_text(value, number_format)


def _unescape(text: str) -> str:
    return html.unescape(text) if "&" in text else text


def _shared_strings(archive: zipfile.ZipFile) -> list[str]:
    """The shared strings, phonetic runs left out (as Excel shows the cell)."""
    try:
        data = archive.read("xl/sharedStrings.xml")
    except KeyError:
        return []
    strings = []
    for item in ElementTree.fromstring(data).iter(f"{_MAIN}si"):
        parts = [t.text or "" for t in item.findall(f"{_MAIN}t")]
        parts += [t.text or "" for run in item.findall(f"{_MAIN}r") for t in run.findall(f"{_MAIN}t")]
        strings.append("".join(parts))
    return strings


def _number_formats(archive: zipfile.ZipFile) -> list[str]:
    """Each cell style's number format code, by style index."""
    from openpyxl.styles.numbers import BUILTIN_FORMATS  # lazy: openpyxl is slow to import

    try:
        styles = ElementTree.fromstring(archive.read("xl/styles.xml"))
    except KeyError:
        return []
    custom = {int(f.get("numFmtId", 0)): f.get("formatCode", "") for f in styles.iter(f"{_MAIN}numFmt")}
    cell_xfs = styles.find(f"{_MAIN}cellXfs")
    if cell_xfs is None:
        return []
    codes = []
    for xf in cell_xfs.findall(f"{_MAIN}xf"):
        identifier = int(xf.get("numFmtId", 0))
        codes.append(custom.get(identifier, BUILTIN_FORMATS.get(identifier, "General")))
    return codes


__all__ = ["NO_CACHE", "sheet_names", "sheet_rows"]
