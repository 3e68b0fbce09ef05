"""Help text wrapped by display cells, with Chinese lines joined without a space (click counts characters)."""

from __future__ import annotations

import re

from rich.cells import cell_len
from rich.measure import Measurement
from rich.text import Text

_WIDE = "\u2e80-\u9fff\u3000-\u303f\uff00-\uffef"
# A token, never split across lines: a run of spaces; or one wide character with the opening marks
# before it, the closing marks after it and the other text stuck to it (<体系名>.units.csv, 〔2023〕137);
# or other text with the closing marks after it (89.67%，).
_OPENING = "（「『《“‘〔【〈［"
_CLOSING = "，。；：、）」』》”’！？〕】〉］"
_TOKEN = re.compile(rf"\s+|[{_OPENING}]*[{_WIDE}][{_CLOSING}]*(?:[^\s{_WIDE}]+[{_CLOSING}]*)*|[^\s{_WIDE}]+[{_CLOSING}]*")
_WIDE_CHAR = re.compile(rf"[{_WIDE}]")


def wrap_text(text: str, width: int = 78, initial_indent: str = "", subsequent_indent: str = "",
              preserve_paragraphs: bool = False) -> str:
    """click's wrap_text, measured in display cells; a paragraph starting with \\b is kept as written.

    >>> print(wrap_text("评分表\\n写到这里。", width=8))
    评分表写
    到这里。
    """
    text = text.expandtabs()
    paragraphs = _paragraphs(text) if preserve_paragraphs else [(0, False, text.splitlines() or [""])]
    blocks = []
    for indent, raw, lines in paragraphs:
        first, rest = initial_indent + " " * indent, subsequent_indent + " " * indent
        if raw:
            blocks.append("\n".join((first if i == 0 else rest) + line for i, line in enumerate(lines)))
        else:
            blocks.append("\n".join(_fill(_joined(lines), width, first, rest)))
    return "\n\n".join(blocks)


def _paragraphs(text: str) -> list[tuple[int, bool, list[str]]]:
    """(indent, kept as written, lines) per paragraph, as click splits them."""
    found: list[tuple[int, bool, list[str]]] = []
    for chunk in re.split(r"\n[ \t]*\n", text):
        lines = chunk.splitlines()
        if not lines:
            continue
        indent = len(lines[0]) - len(lines[0].lstrip())
        if lines[0].strip() == "\b":  # kept as written, each line's own indentation too
            found.append((indent, True, [line[indent:] for line in lines[1:]]))
        else:
            found.append((indent, False, [line.strip() for line in lines]))
    return found


def _joined(lines: list[str]) -> str:
    """Lines of one paragraph as one: a line break between two wide characters is no space in Chinese."""
    text = ""
    for line in lines:
        if text and not (_WIDE_CHAR.match(text[-1]) and _WIDE_CHAR.match(line[:1] or " ")):
            text += " "
        text += line
    return text


def _fill(text: str, width: int, first: str, rest: str) -> list[str]:
    lines, line, indent = [], "", first
    for token in _TOKEN.findall(text):
        if token.isspace():
            if line:
                line += " "
            continue
        if line and cell_len(indent + line + token) > width:
            lines.append(indent + line.rstrip())
            line, indent = "", rest
        line += token
    lines.append(indent + line.rstrip())
    return lines


class Wrapped:
    """A table cell's text, wrapped as Chinese is set: never inside a number or a word (2024年, 89.67%),
    never a closing mark (。，）) at the start of a line. Rich's own folding breaks anywhere."""

    def __init__(self, text: str, style: str = ""):
        self.text = text
        self.style = style

    def lines(self, width: int) -> list[str]:
        width = max(width, 2)
        out: list[str] = []
        for paragraph in self.text.splitlines() or [""]:
            for line in _fill(paragraph, width, "", ""):
                out.extend(_cut(line, width))
        return out

    def __rich_console__(self, console, options):
        yield Text("\n".join(self.lines(options.max_width)), style=self.style, no_wrap=True, overflow="ignore")

    def __rich_measure__(self, console, options) -> Measurement:
        tokens = [t for t in _TOKEN.findall(self.text) if not t.isspace()]
        longest = min(max((cell_len(t) for t in tokens), default=1), 12)  # a longer token is cut when it must be
        widest = max((cell_len(line) for line in self.text.splitlines()), default=0)
        return Measurement(min(longest, options.max_width), min(max(widest, longest), options.max_width))


def _cut(line: str, width: int) -> list[str]:
    """A line still wider than `width` (one long token): cut by display cells."""
    pieces, piece = [], ""
    for char in line:
        if piece and cell_len(piece + char) > width:
            pieces.append(piece)
            piece = ""
        piece += char
    return pieces + [piece]
