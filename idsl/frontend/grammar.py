"""Where the grammar file is (shipped inside the package, or the repository's own), and the keywords it spells."""

from __future__ import annotations

import functools
import re
from pathlib import Path

_PACKAGED = Path(__file__).parent.parent / "_grammar" / "idsl.lark"
_REPOSITORY = Path(__file__).parent.parent.parent / "grammar" / "idsl.lark"

# The wheel carries the grammar as package data; an editable install reads grammar/ directly.
GRAMMAR_PATH = _PACKAGED if _PACKAGED.exists() else _REPOSITORY

# A keyword terminal, `KW_THEN.3: /(?:则|then)(?![^\W\d_])/`, and FUNC (绝对值 …) and FEN (分): its first group's spellings.
_KEYWORD_TERMINAL = re.compile(r"^(?:KW_\w+|FUNC|FEN)(?:\.\d+)?:\s*/\(\?:([^()]*)\)", re.MULTILINE)


@functools.cache
def keyword_spellings() -> frozenset[str]:
    """Every spelling of a keyword written in letters or CJK characters (则, 得满分, 每项 …), read from the grammar
    file (not from the parser, which the lexer that needs them is part of).

    >>> {"则", "得满分", "每项", "分", "绝对值"} <= keyword_spellings(), "then" in keyword_spellings()
    (True, True)
    """
    text = GRAMMAR_PATH.read_text(encoding="utf-8")
    return frozenset(word for group in _KEYWORD_TERMINAL.findall(text) for word in group.split("|")
                     if re.fullmatch(r"[^\W\d_]+", word))
