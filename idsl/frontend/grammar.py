"""Where the grammar file is (shipped inside the package, or the repository's own), and what it spells: keywords, terminals."""

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
# A terminal defined by a pattern, `DASH: /[-－·•]/`: its name and the pattern.
_TERMINAL = re.compile(r"^(\w+)(?:\.\d+)?:[ \t]*/(.*)/[ \t]*$", re.MULTILINE)
# A rule reading free text right after a terminal, or one of a group, a colon perhaps between:
# `explain: KW_EXPLAIN _COLON? text _NL`, `item: DASH TEXT`, `goal_line: (KW_EXPECTED | KW_ACHIEVED) _COLON? text _NL`.
_BEFORE_TEXT = re.compile(r"(\w+|\([\w \t|]+\))[ \t]+(_COLON\?[ \t]+)?(?:text|TEXT)\b")


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


@functools.cache
def terminal_patterns() -> dict[str, str]:
    """The pattern of each terminal the grammar defines by one, by the terminal's name.

    >>> terminal_patterns()["STRING"], terminal_patterns()["DASH"]
    ('"[^"]*"', '[-－·•]')
    """
    text = GRAMMAR_PATH.read_text(encoding="utf-8")
    return {name: pattern for name, pattern in _TERMINAL.findall(text)}


@functools.cache
def text_openers() -> dict[str, bool]:
    """The terminals a free text (TEXT, which runs to the end of the line) follows, each with whether a colon may
    stand between them (说明：…, but 标题 …, and an element's dash - …).

    >>> text_openers()["KW_EXPLAIN"], text_openers()["KW_TITLE"], text_openers()["DASH"], len(text_openers())
    (True, False, False, 13)
    """
    rules = "\n".join(line for line in GRAMMAR_PATH.read_text(encoding="utf-8").splitlines()
                      if not line.lstrip().startswith("//"))  # a comment's words are no rule's
    openers: dict[str, bool] = {}
    for found in _BEFORE_TEXT.finditer(rules):
        for name in re.findall(r"\w+", found.group(1)):
            if name in terminal_patterns():
                openers[name] = openers.get(name, False) or found.group(2) is not None
    return openers
