"""Tables of a .docx or .xlsx file read as grids of cell texts, every merge resolved from the file itself."""

from __future__ import annotations

import zipfile
from decimal import Decimal, InvalidOperation
from pathlib import Path

import attrs

from idsl.io.excel import package_problem

MAX_BYTES = 50 * 1024 * 1024  # a scoring table is a few hundred kilobytes; refuse anything absurd
MAX_ROWS = 5000
MAX_COLUMNS = 60
MAX_CELL = 20000  # characters kept of one cell
MAX_TABLES = 500

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_OLE = b"\xd0\xcf\x11\xe0"  # encrypted OOXML files (and old .doc/.xls) are OLE compound files
_DIGITS = str.maketrans("０１２３４５６７８９．％－＋", "0123456789.%-+")


class TableError(Exception):
    """A file that holds no readable scoring table; the message (Chinese) says what was found."""


@attrs.frozen(order=True)
class Place:
    """Where a row is in the file, as a reader looks it up: a sheet's own row number, or a Word table's row."""

    grid: int  # the table's (or sheet's) position in the file, 1-based: rows read from several compare in file order
    row: int  # the row as the file numbers it: the sheet's row, the Word table's row (its first row is 1)
    table: str = attrs.field(default="", eq=False, order=False)  # 工作表“评分表”, 第 2 个表格; "" for a file's one table

    def __str__(self) -> str:
        return f"{self.table}第 {self.row} 行"


@attrs.frozen
class Grid:
    """One table: every cell's text, a merged cell's text repeated in each position it covers."""

    rows: tuple[tuple[str, ...], ...]  # rows × columns of texts ("" for an empty cell); rows[0] is the file's row 1
    title: str  # the last line of text before the table (its title line), "" if none
    where: str  # how the message names it: 第 2 个表格, 工作表“评分表”
    number: int = 1  # its position among the file's tables (or sheets), 1-based
    table: str = ""  # how a row's place names it: 工作表“评分表”, 第 2 个表格; "" when it is a Word file's only table

    def place(self, at: int) -> Place:
        """Where rows[at] is in the file."""
        return Place(self.number, at + 1, self.table)


def digits(text: str) -> str:
    """Full-width digits, points, % and signs as ASCII: `１０分` → `10分`."""
    return text.translate(_DIGITS)


def read_grids(path: str | Path) -> list[Grid]:
    """Every table of a .docx file, or every sheet of an .xlsx file, in document order.

    Raises TableError for a file that cannot be read (missing, encrypted, corrupt, another format).
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".docx", ".xlsx"):
        raise TableError(f"{path.name}：只能导入 .docx（Word）或 .xlsx（Excel）文件。")
    try:
        size = path.stat().st_size
        with open(path, "rb") as handle:
            magic = handle.read(4)
    except OSError as err:
        raise TableError(f"无法读取 {path.name}：{err.strerror or err}") from err
    if size > MAX_BYTES:
        raise TableError(f"{path.name} 有 {size // 1024 // 1024} MB，超过导入的上限 {MAX_BYTES // 1024 // 1024} MB。")
    if magic == _OLE:
        raise TableError(f"{path.name} 受密码保护（已加密），或是旧版 .doc/.xls 格式：请去掉密码、另存为 {suffix} 后再导入。")
    if not zipfile.is_zipfile(path):
        raise TableError(f"{path.name} 已损坏，或不是 {suffix} 文件（不是有效的 Office Open XML 压缩包）。")
    problem = package_problem(path, "一个 Word 文件" if suffix == ".docx" else "一个工作簿")  # a zip bomb or XML entities, found before python-docx or openpyxl parse
    if problem:
        raise TableError(f"{path.name}：{problem}")
    try:
        return _read_docx(path) if suffix == ".docx" else _read_xlsx(path)
    except TableError:
        raise
    except Exception as err:  # a broken package surfaces as any of zipfile, lxml, KeyError … errors
        raise TableError(f"{path.name} 已损坏，无法读取其中的表格（{type(err).__name__}）。") from err


# ---------------------------------------------------------------- Word


def _read_docx(path: Path) -> list[Grid]:
    import docx  # python-docx, imported only when a Word file is read

    body = docx.Document(str(path)).element.body
    grids: list[Grid] = []
    last_text = ""
    for child in body.iterchildren():
        if child.tag == _W + "p":
            text = _paragraph_text(child).strip()
            if text:
                last_text = text
        elif child.tag == _W + "tbl":
            if len(grids) >= MAX_TABLES:
                raise TableError(f"{path.name} 有超过 {MAX_TABLES} 个表格，超过导入的上限。")
            number = len(grids) + 1
            grids.append(Grid(_docx_rows(child, number), last_text, _word_table(number), number, _word_table(number)))
    if len(grids) == 1:  # the only table: its rows are named by their number alone
        grids[0] = attrs.evolve(grids[0], table="")
    return grids


def _word_table(number: int) -> str:
    """How a row's place names a Word file's table, when the file holds several.

    >>> str(Place(2, 5, _word_table(2))), str(Place(1, 5))
    ('第 2 个表格第 5 行', '第 5 行')
    """
    return f"第 {number} 个表格"


def _docx_rows(tbl, number: int) -> tuple[tuple[str, ...], ...]:
    """The grid of one Word table, from each cell's w:gridSpan and w:vMerge (python-docx's repeated
    cell objects are not trusted: a vertical merge is a chain of cells that must start somewhere)."""
    width = len(tbl.findall(f"{_W}tblGrid/{_W}gridCol"))
    rows: list[list[str | None]] = []
    for r, tr in enumerate(tbl.findall(_W + "tr"), 1):
        if r > MAX_ROWS:
            raise TableError(f"{_word_table(number)}超过 {MAX_ROWS} 行，超过导入的上限。")
        row: list[str | None] = [None] * _grid_before(tr)
        for tc in tr.findall(_W + "tc"):
            span, merge = _cell_props(tc)
            text = _cell_text(tc)
            column = len(row)
            if merge == "continue":
                above = rows[-1][column] if rows and column < len(rows[-1]) else None
                if above is None:
                    raise TableError(f"{Place(number, r, _word_table(number))}第 {column + 1} 列：纵向合并的单元格上方没有起始单元格"
                                     "（合并不一致）。")
                text = above
            row.extend([text] * span)
        if max(width, MAX_COLUMNS) < len(row):
            raise TableError(f"{Place(number, r, _word_table(number))}有 {len(row)} 列，超过表格的列数（合并不一致）。")
        rows.append(row)
    width = max([width] + [len(row) for row in rows])
    if width > MAX_COLUMNS:
        raise TableError(f"{_word_table(number)}有 {width} 列，超过导入的上限 {MAX_COLUMNS} 列。")
    return tuple(tuple((cell or "") for cell in row + [None] * (width - len(row))) for row in rows)


def _grid_before(tr) -> int:
    found = tr.find(f"{_W}trPr/{_W}gridBefore")
    return _int_attr(found, 0)


def _cell_props(tc) -> tuple[int, str | None]:
    """A cell's column span and its vertical merge: None, "restart" or "continue"."""
    props = tc.find(_W + "tcPr")
    if props is None:
        return 1, None
    span = max(1, min(_int_attr(props.find(_W + "gridSpan"), 1), MAX_COLUMNS))
    merge = props.find(_W + "vMerge")
    if merge is None:
        return span, None
    return span, "restart" if merge.get(_W + "val") == "restart" else "continue"


def _int_attr(element, default: int) -> int:
    if element is None:
        return default
    try:
        return int(element.get(_W + "val", default))
    except ValueError:
        return default


def _cell_text(tc) -> str:
    """The cell's paragraphs joined by line breaks (nested tables are read as their text)."""
    lines = [_paragraph_text(p) for p in tc.iter(_W + "p")]
    return "\n".join(line for line in lines if line.strip())[:MAX_CELL]


def _paragraph_text(p) -> str:
    parts = []
    for node in p.iter(_W + "t", _W + "tab", _W + "br"):
        if node.tag == _W + "t":
            parts.append(node.text or "")
        else:
            parts.append(" " if node.tag == _W + "tab" else "\n")
    return "".join(parts)


# ---------------------------------------------------------------- Excel


def _read_xlsx(path: Path) -> list[Grid]:
    import openpyxl  # imported only when a workbook is read

    # Cached values only: a formula is never evaluated, and one never computed reads as empty.
    book = openpyxl.load_workbook(str(path), data_only=True)
    grids = []
    for sheet in book.worksheets:
        if sheet.max_row > MAX_ROWS or sheet.max_column > MAX_COLUMNS:
            raise TableError(f"工作表“{sheet.title}”有 {sheet.max_row} 行 {sheet.max_column} 列，超过导入的上限"
                             f"（{MAX_ROWS} 行、{MAX_COLUMNS} 列）。")
        rows = [[_excel_text(cell) for cell in row] for row in sheet.iter_rows()]
        for merged in sheet.merged_cells.ranges:
            text = rows[merged.min_row - 1][merged.min_col - 1]
            for r in range(merged.min_row - 1, min(merged.max_row, len(rows))):
                for c in range(merged.min_col - 1, min(merged.max_col, len(rows[r]))):
                    rows[r][c] = text
        where = f"工作表“{sheet.title}”"
        grids.append(Grid(tuple(tuple(row) for row in rows), "", where, len(grids) + 1, where))
    return grids


def _excel_text(cell) -> str:
    """A cell as the table shows it: numbers exactly as stored, a percent-formatted number with %."""
    value = cell.value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, (int, float)):
        try:
            number = Decimal(repr(value))  # the shortest text that reads back as the stored double
        except InvalidOperation:
            return ""
        if "%" in (cell.number_format or ""):
            return _plain(number * 100) + "%"
        return _plain(number)
    return str(value)[:MAX_CELL]


def _plain(number: Decimal) -> str:
    text = format(number.normalize(), "f")
    return text


__all__ = ["Grid", "Place", "TableError", "digits", "read_grids"]
