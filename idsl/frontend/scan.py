"""Imports and declarations found without parsing, strings, comments and free texts read as the lexer reads them."""

from __future__ import annotations

import functools
import re

from idsl.frontend.grammar import terminal_patterns, text_openers

# what a string, a comment, a free text or an import becomes in `statements`: neither a space, a letter nor a mark
# a declaration's pattern reads, so no declaration is read in it or across it (说明：… then a line that starts 数量)
_TAKEN_OUT = "\x00"


def import_paths(text: str) -> list[str]:
    """The paths a text's import statements name: a line that starts with 引用 inside a string, a comment or a free
    text is no statement.

    >>> import_paths('引用 "甲.idsl"\\n体系 "例\\n引用 "乙.idsl" 续"\\n# 引用 "丙.idsl"\\nimport "丁.idsl"\\n')
    ['甲.idsl', '丁.idsl']
    """
    # a newline before the first line as before every other: each kind of match starts with a character the search
    # skips to, which keeps this cheap enough to run on every keystroke
    return [found.group("path")[1:-1] for found in _statement_scanner().finditer("\n" + text)
            if found.group("path") is not None]


@functools.lru_cache(maxsize=8)
def statements(text: str) -> str:
    """The text with every string, comment, free text and import statement taken out (each left as one NUL, the
    line breaks between statements kept): what a pattern for a declaration may match, so that `输入 人数：数量 人`
    written in a 说明, a string or a comment declares nothing. Kept for the last few texts: the lexer and the
    hints of a syntax error ask for the same text's declarations several times.

    >>> statements('输入 甲：数量 人  # 乙：数量 户\\n说明：丙：数量 个\\n体系 "丁：数量\\n本" 总分 10\\n').split("\\n")
    ['输入 甲：数量 人  \\x00', '\\x00', '体系 \\x00 总分 10', '']
    """
    return _statement_scanner().sub(_taken_out, "\n" + text)[1:]


def _taken_out(found: re.Match[str]) -> str:
    return ("\n" if found.group().startswith("\n") else "") + _TAKEN_OUT  # an import's or a free text's line stays one


@functools.cache
def _statement_scanner() -> re.Pattern[str]:
    """What the lexer reads whole, from the grammar's terminals, tried in this order at each place: an import (引用 at
    the start of a line, its path a STRING, the group `path`); a free text, to the end of its line (after 说明 at the
    start of a line: a quote mark or # in it opens nothing); a STRING, across lines (it has no escapes); a comment.
    Scanning from the start, a quote mark inside any of them is never taken for one that opens a string."""
    terminal = {name: f"(?:{pattern})" for name, pattern in terminal_patterns().items()}  # each a whole
    space = f"{terminal['WS_INLINE']}?"

    def openers(colon_between: bool) -> str:  # (?!) matches nowhere: no such opener
        found = [terminal[name] for name, colon in sorted(text_openers().items()) if colon == colon_between]
        return "|".join(found) or "(?!)"

    # where the grammar reads a colon before the text the colon is the colon's (held, not given back to the text);
    # elsewhere the text may start with one; a # where the text would start is a comment, as the lexer reads them
    opener = rf"(?:(?:{openers(True)})(?>{space}(?:{terminal['_COLON']}{space})?)|(?:{openers(False)}){space})"
    return re.compile(
        rf"\n(?:{terminal['KW_IMPORT']}{space}(?P<path>{terminal['STRING']})"
        rf"|{space}{opener}(?!{terminal['COMMENT']}){terminal['TEXT']})"
        rf"|{terminal['STRING']}|{terminal['COMMENT']}")


__all__ = ["import_paths", "statements"]
