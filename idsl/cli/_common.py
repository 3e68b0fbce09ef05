"""Helpers shared by the commands: a console that is safe for user text, and the one cleaner of that text."""

from __future__ import annotations

import os
import re
from typing import Any, Iterable

import click
from rich.console import Console, ConsoleOptions, RenderableType
from rich.segment import Segment

# C0 controls but tab and newline, DEL, C1 controls (8-bit CSI, OSC …) and the bidirectional
# overrides: each can move the cursor, set the title, write the clipboard (OSC 52) or reorder
# what the reader sees. User text (unit names, notes, reasons, file names) never carries them raw.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def clean(text: object) -> str:
    """User text as it may reach a terminal: every control character written as a visible escape.

    >>> clean("单位\\x1b]52;c;ZWNobw==\\x07")
    '单位\\\\x1b]52;c;ZWNobw==\\\\x07'
    >>> clean("正常的名称\\n第二行")
    '正常的名称\\n第二行'
    """
    return _UNSAFE.sub(_escaped, str(text))


def _escaped(match: re.Match) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


class SafeConsole(Console):
    """A console whose output never carries a control character from the text it prints.

    Printers clean user text first (so tables keep their widths); this is the guarantee behind
    them: any control character left in a segment of text is replaced before it is written.
    """

    def render(self, renderable: RenderableType, options: ConsoleOptions | None = None) -> Iterable[Segment]:
        for segment in super().render(renderable, options):
            if segment.control or not _UNSAFE.search(segment.text):
                yield segment
            else:
                yield Segment(_UNSAFE.sub("\ufffd", segment.text), segment.style)


def make_console(**overrides: Any) -> Console:
    """A console that never reads user text as markup, never writes raw control characters from it,
    and has no colour with NO_COLOR.

    Colour is used only on a terminal (rich decides); the width is the terminal's; `overrides` go
    to Console, e.g. `stderr=True` for messages beside data written to stdout.

    >>> make_console(width=40).is_terminal
    False
    """
    # Passed explicitly because Console(no_color=False) would override rich's own NO_COLOR check.
    settings: dict[str, Any] = dict(
        markup=False,
        highlight=False,
        emoji=False,
        no_color=bool(os.environ.get("NO_COLOR")),
        soft_wrap=True,
    )
    settings.update(overrides)
    return SafeConsole(**settings)


def echo(text: str, err: bool = False) -> None:
    """A plain line (no table, no style) to stdout or, with `err`, stderr; user text in it cleaned."""
    click.echo(clean(text), err=err)


def not_utf8(path: str, error: UnicodeDecodeError) -> str:
    """The message for a file that is not UTF-8 text, saying what to do about it."""
    return clean(f"{path} 不是 UTF-8 编码的文本（第 {error.start + 1} 个字节起无法解码）；请用 UTF-8 编码另存后再试。")


def unreadable(path: str, error: OSError) -> str:
    """The message for a file that cannot be read, with the system's reason."""
    return clean(f"无法读取 {path}：{error.strerror or error}")


_OFFICE = (".docx", ".xlsx", ".xls", ".doc")


def text_output(output: str | None, what: str) -> None:
    """`-o` of a text or JSON result: not a name of Word or Excel (a 评分表.docx being filled in, given to -o
    for --docx, was replaced by the JSON). Raises a usage error (exit 2) before anything is written."""
    if output is not None and output != "-" and output.lower().endswith(_OFFICE):
        raise click.BadParameter(f"{what}是文本，不能写成 {output}；Word 评分表请用 --docx FILE.docx", param_hint="-o")


def docx_output(path: str | None) -> None:
    """`--docx`: a Word file is written under a name ending .docx, never under another (评分表.pdf)."""
    if path is not None and not path.lower().endswith(".docx"):
        raise click.BadParameter(f"Word 评分表的文件名应以 .docx 结尾：{path}", param_hint="--docx")
