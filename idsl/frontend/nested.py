"""An indicator's block cut into its heading and its children, each child parsed alone and remembered.

A child's lines keep their own indentation: it is parsed under a stand-in parent (one line, just
above it), and the parent's heading is parsed on its own. A piece is parsed once, as if it stood at
the top of the text, and moved to its line (idsl.frontend.shift), so every span reads as in the whole
text and a new line above a piece does not make it parsed again. A block is cut only where the cut cannot change what the lines mean: every line
below the heading is indented at least as far as the first, each child starts at that indentation
with a heading `名称（分值）`, nothing but children follows the first child, and no line holds a
string, an unclosed bracket (a bracket lets a line run on) or a formula long enough to come near the
parser's nesting limit. Whatever does not parse alone, or gives a diagnostic, is parsed whole.
"""

from __future__ import annotations

import functools
import re

import attrs

from idsl.frontend import ast, shift
from idsl.frontend.lalr import lark_parser
from idsl.frontend.parse import parse
from idsl.frontend.source import Source
from idsl.memo import Memo

_CHILDREN = Memo(20000)  # a few versions of a 1,000-leaf spec's indicators, each at its line
_PARSED = Memo(20000)  # the same, each as parsed at _FIRST_LINE
_STAND_IN = "甲\n"  # the parent a child is parsed under, on the line above it
_FIRST_LINE = 2  # where a piece is parsed: just below its stand-in parent
_HEADING = re.compile(r"(?:[^\W\d_]|[“‘《])[\w“”‘’《》·-]*[ ]*[(（]")  # a name, then its points
_OPERATORS = re.compile(r"[-+*/×÷(（)）<>≤≥=]")
_MOST_OPERATORS = 40  # per line: far below what nests as deep as the parser refuses (MAX_NESTING)

Piece = tuple[int, str]  # (the line it starts at, relative to its block's first line; its text)


def parts(block: str) -> tuple[str, list[Piece]] | None:
    """The block's heading (with the lines before its first child) and its children, or None when
    the block is not cut (see the module's docstring).

    >>> parts("决策（10）\\n  解释 例\\n  甲（4）\\n    酌情\\n\\n  乙（6）\\n    酌情\\n")
    ('决策（10）\\n  解释 例\\n', [(2, '  甲（4）\\n    酌情\\n\\n'), (5, '  乙（6）\\n    酌情\\n')])
    """
    if '"' in block or "\t" in block:
        return None
    lines = block.splitlines(keepends=True)
    starts = _child_starts(lines)
    if not starts:
        return None
    bounds = starts[1:] + [len(lines)]
    return "".join(lines[:starts[0]]), [(start, "".join(lines[start:end])) for start, end in zip(starts, bounds)]


def _child_starts(lines: list[str]) -> list[int] | None:

    indent = _indent(lines[0])
    child_indent, starts = None, []
    for n, line in enumerate(lines[1:], 1):
        text = line.strip()
        if not text or text.startswith("#"):
            continue
        if _unbalanced(text) or len(_OPERATORS.findall(text)) > _MOST_OPERATORS:
            return None
        at = _indent(line)
        child_indent = at if child_indent is None else child_indent
        if at <= indent or at < child_indent:
            return None
        if at == child_indent:
            if _HEADING.match(text) and not starts_with_keyword(text):
                starts.append(n)
            elif starts:  # a line of the parent's after its children: only the whole block tells
                return None
    return starts


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _unbalanced(text: str) -> bool:
    code = text.split("#", 1)[0]
    return code.count("(") + code.count("（") != code.count(")") + code.count("）")


def bare_heading(indicators: tuple[ast.Indicator, ...]) -> bool:
    """One indicator with neither children nor a scoring body: a heading its children can be put under
    (a body's span would run over the children in the whole parse)."""
    return len(indicators) == 1 and not indicators[0].children and indicators[0].body is None


def children(path: str, first_line: int, pieces: list[Piece]) -> tuple[ast.Indicator, ...] | None:
    """The children's indicators, each parsed alone (or remembered), or None if one is not."""
    kids = tuple(child(path, first_line + start, text) for start, text in pieces)
    return None if any(kid is None for kid in kids) else kids


def child(path: str, first_line: int, text: str) -> ast.Indicator | None:
    """The indicator of an indented block at `first_line`, from its heading's and children's parses when
    it is cut, else parsed whole; None when it does not parse alone without a diagnostic."""
    return _CHILDREN.get((path, first_line, text), lambda: _moved_child(path, first_line, text))


def _moved_child(path: str, first_line: int, text: str) -> ast.Indicator | None:
    parsed = _PARSED.get((path, text), lambda: _child(path, text))
    return None if parsed is None else shift.moved(parsed, first_line - _FIRST_LINE)


def _child(path: str, text: str) -> ast.Indicator | None:
    """The block's indicator as if it started at _FIRST_LINE."""
    cut = parts(text)
    if cut is not None:
        heading = child(path, _FIRST_LINE, cut[0])
        if heading is not None and bare_heading((heading,)):
            kids = children(path, _FIRST_LINE, cut[1])
            if kids is not None:
                return attrs.evolve(heading, children=kids)
    spec, found = parse(Source(path, _STAND_IN + text))
    if spec is None or found or len(spec.indicators) != 1 or len(spec.indicators[0].children) != 1:
        return None
    return spec.indicators[0].children[0]


def depth(indicators: tuple[ast.Indicator, ...]) -> int:
    """The levels under a heading: a piece parsed under a stand-in cannot see how deep it really is."""
    deepest, stack = 0, [(i, 1) for i in indicators]
    while stack:
        node, level = stack.pop()
        deepest = max(deepest, level)
        stack.extend((c, level + 1) for c in node.children)
    return deepest


def starts_with_keyword(line: str) -> bool:
    """Whether a line begins with a keyword (a rule's line), not an indicator's name."""
    word = _LEADING_WORD.match(line)
    return word is not None and _keyword_pattern().fullmatch(word.group()) is not None


_LEADING_WORD = re.compile(r"[^\W\d_][\w-]*")  # a name or a keyword, as the grammar spells them


@functools.lru_cache(maxsize=1)
def _keyword_pattern() -> re.Pattern:
    """Every spelling of every keyword of the grammar (Chinese and English)."""
    spellings = [t.pattern.to_regexp() for t in lark_parser().terminals if t.name.startswith("KW_")]
    return re.compile("|".join(f"(?:{s})" for s in spellings))
