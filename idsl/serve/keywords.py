"""idsl's keywords, read from the grammar's keyword terminals, for highlighting and completion."""

from __future__ import annotations

import functools
import re

from idsl.frontend.grammar import GRAMMAR_PATH

# A keyword terminal: `KW_SYSTEM.3: /(?:体系|system)(?![^\W\d_])/`; FUNC (绝对值, min …) and FEN (分) too.
_TERMINAL = re.compile(r"^(KW_\w+|FUNC|FEN)(?:\.\d+)?:\s*/\(\?:([^)]*)\)", re.MULTILINE)
_ROUNDING = re.compile(r"^ROUNDING:\s*/([^/]*)/", re.MULTILINE)


@functools.cache
def keywords() -> tuple[str, ...]:
    """Every keyword spelling, Chinese and English, longest first (so 指标解释 wins over 解释).

    >>> "体系" in keywords() and "分档" in keywords() and "每降低" in keywords()
    True
    >>> keywords().index("指标解释") < keywords().index("解释")
    True
    """
    grammar = GRAMMAR_PATH.read_text(encoding="utf-8")
    words: set[str] = set()
    for _name, alternatives in _TERMINAL.findall(grammar):
        words.update(word.replace("\\", "") for word in alternatives.split("|") if word)
    for alternatives in _ROUNDING.findall(grammar):
        words.update(alternatives.split("|"))
    return tuple(sorted(words, key=lambda word: (-len(word), word)))


def chinese_keywords() -> tuple[str, ...]:
    """The Chinese spellings only (what completion offers first, as specs use them)."""
    return tuple(word for word in keywords() if not word.isascii())
