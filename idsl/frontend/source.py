"""Source files and spans, with columns counted in display cells (Chinese is two cells wide)."""

from __future__ import annotations

import bisect
import errno
import os
import stat
from pathlib import Path

import attrs
from rich.cells import cell_len

MAX_BYTES = 8 * 2**20  # the largest spec file read, an import included


@attrs.frozen
class Source:
    """One spec file's text, kept so spans can be shown and hashed."""

    path: str  # the path as the user named it
    text: str  # the whole file, newlines normalised to \n

    @classmethod
    def read(cls, path: str | Path) -> "Source":
        """Read a file as UTF-8 (a BOM is dropped); OSError for a file that is not a regular file or is
        larger than MAX_BYTES (no spec is: 10,000 indicators take 2 MB), UnicodeDecodeError for other text."""
        # Opened without blocking, so a FIFO named as a spec is refused instead of waiting for a writer.
        with os.fdopen(os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0)), "rb") as stream:
            if not stat.S_ISREG(os.fstat(stream.fileno()).st_mode):
                raise OSError(errno.EINVAL, "不是普通文件")
            data = stream.read(MAX_BYTES + 1)
        if len(data) > MAX_BYTES:
            raise OSError(errno.EFBIG, f"文件超过 {MAX_BYTES // 2**20} MB，不是体系文件")
        raw = data.decode("utf-8-sig")
        return cls(str(path), raw.replace("\r\n", "\n").replace("\r", "\n"))

    @property
    def sha256(self) -> str:
        """SHA-256 of the text, the identity a compiled spec records."""
        import hashlib  # imported when needed: loading OpenSSL costs a checked file's start-up ≈ 3 ms

        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()

    def line(self, number: int) -> str:
        """The text of a 1-based line, without its newline ('' past the end)."""
        lines = self.text.split("\n")
        return lines[number - 1] if 1 <= number <= len(lines) else ""


@attrs.frozen(order=True)
class Span:
    """A region of a source file: 1-based lines, 1-based columns in display cells.

    >>> Span("a.idsl", 1, 1, 1, 5).gnu()
    'a.idsl:1:1'
    """

    file: str  # the file's path as the user named it
    line: int  # first line, 1-based
    column: int  # first column, 1-based, in display cells
    end_line: int  # last line, 1-based
    end_column: int  # column just past the end, in display cells

    def gnu(self) -> str:
        """`file:line:col`, the form editors jump to."""
        return f"{self.file}:{self.line}:{self.column}"


def display_column(line_text: str, char_index: int) -> int:
    """1-based display column of the character at `char_index` (0-based) in a line.

    >>> display_column("决策（15）", 2)
    5
    """
    return cell_len(line_text[:char_index]) + 1


def span_from_offsets(source: Source, start: int, end: int) -> Span:
    """A Span for character offsets [start, end) in the source text."""
    start = max(0, min(start, len(source.text)))
    end = max(start, min(end, len(source.text)))
    line, col = _position(source.text, start)
    end_line, end_col = _position(source.text, end)
    return Span(source.path, line, col, end_line, end_col)


_CHUNK = 256


class LineIndex:
    """Turns character offsets into spans quickly: line starts are found once, by bisection after."""

    def __init__(self, source: Source):
        self.source = source
        self.starts = [0] + [i + 1 for i, c in enumerate(source.text) if c == "\n"]
        self._marks: dict[int, list[int]] = {}  # line start → display width at every _CHUNK characters

    def span(self, start: int, end: int) -> Span:
        """A Span for character offsets [start, end)."""
        text = self.source.text
        start = max(0, min(start, len(text)))
        end = max(start, min(end, len(text)))
        line, col = self._position(start)
        end_line, end_col = self._position(end)
        return Span(self.source.path, line, col, end_line, end_col)

    def _position(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self.starts, offset)
        return line, self._width(self.starts[line - 1], offset) + 1

    def _width(self, line_start: int, offset: int) -> int:
        """Display width of text[line_start:offset]; on a long line from widths kept every _CHUNK
        characters, so that a line of thousands of conditions is not measured from its start each time."""
        text = self.source.text
        chunks = (offset - line_start) // _CHUNK
        if not chunks:
            return cell_len(text[line_start:offset])
        marks = self._marks.setdefault(line_start, [0])
        while len(marks) <= chunks:
            begin = line_start + (len(marks) - 1) * _CHUNK
            marks.append(marks[-1] + cell_len(text[begin:begin + _CHUNK]))
        return marks[chunks] + cell_len(text[line_start + chunks * _CHUNK:offset])


def _position(text: str, offset: int) -> tuple[int, int]:
    line_start = text.rfind("\n", 0, offset) + 1
    line_no = text.count("\n", 0, offset) + 1
    return line_no, cell_len(text[line_start:offset]) + 1


NOWHERE = Span("<none>", 0, 0, 0, 0)
