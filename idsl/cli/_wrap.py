"""Help text wrapped by display cells, with Chinese lines joined without a space (click counts characters)."""

from __future__ import annotations

import re

from rich.cells import cell_len

_WIDE = "\u2e80-\u9fff\u3000-\u303f\uff00-\uffef"
# A token, never split across lines: a run of spaces; or one wide character with the opening marks
# before it, the closing marks after it and the other text stuck to it (<体系名>.units.csv); or other text.
_TOKEN = re.compile(rf"\s+|[（「『《“‘]*[{_WIDE}][，。；：、）」』》”’！？]*[^\s{_WIDE}]*|[^\s{_WIDE}]+")
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
