"""The author's comments, blank lines and quoted texts' line breaks as the lexer reads them, with where each statement
starts: for `idsl fmt`."""

from __future__ import annotations

import contextvars
import functools

import attrs
from lark import Lark, Token, Tree

from idsl.frontend.glued import imported_units
from idsl.frontend.lalr import build_parser

# The comments and blank lines are in the _NL tokens (a newline, the next line's indentation, any comment lines
# between); LPAR and RPAR tell a line break inside （…）, which is not between statements, from one that is; a
# STRING may run over several lines.
_NOTED = ("_NL", "COMMENT", "LPAR", "RPAR", "STRING")
_TOKENS: contextvars.ContextVar[list[Token] | None] = contextvars.ContextVar("noted_tokens", default=None)


@attrs.frozen
class Comment:
    """One `#` comment as written: where it is, its text from the `#` on, and what stands around it."""

    line: int  # 1-based
    column: int  # 1-based, in characters: the comment's indentation + 1
    text: str  # from the `#`, trailing blanks dropped
    trailing: bool = False  # written after a statement, on the statement's line
    blank_before: bool = False  # a blank line between it and what comes before it
    nested: bool = False  # inside （…）: in the middle of a statement


@attrs.frozen
class Statement:
    """A statement of the text: its line, indentation and node path (each node's rule and its count among the
    siblings of that rule, so a statement the printer moves among siblings of other rules keeps its path)."""

    line: int
    column: int
    key: tuple[tuple[str, int], ...]
    blank_before: bool = False


@attrs.frozen
class Notes:
    """What the AST does not keep of a text: its comments and paragraphs, and its statements to place them by."""

    comments: tuple[Comment, ...]
    statements: tuple[Statement, ...]  # in the order of their lines
    # the quoted texts written over several lines, each as its lines without their indentation (what the text is
    # when joined); the line breaks are layout (grammar/README.md §5), kept so that fmt wraps the text alike
    wrapped: tuple[tuple[str, ...], ...] = ()


def noted(text: str, units: frozenset[str] = frozenset(), names: frozenset[str] = frozenset()) -> Notes:
    """The comments and statements of a text that parses (lark's errors propagate otherwise).

    >>> notes = noted('# 标题\\n\\n决策（1）  # 一级\\n  指标（1）\\n    解释 第#1项\\n    酌情\\n')
    >>> [(c.line, c.text, c.trailing) for c in notes.comments]
    [(1, '# 标题', False), (3, '# 一级', True)]
    >>> [(s.line, s.key[-1][0], s.blank_before) for s in notes.statements]
    [(3, 'indicator', True), (4, 'indicator', False), (5, 'explain', False), (6, 'discretionary', False)]
    >>> noted('决策（1）\\n  指标（1）\\n    解释 "第一句；\\n      第二句。"\\n    酌情\\n').wrapped
    (('第一句；', '第二句。'),)
    """
    text = text if text.endswith("\n") else text + "\n"
    tokens: list[Token] = []
    reset = _TOKENS.set(tokens)
    try:
        with imported_units(units, names):
            tree = _noting_parser().parse(text)
    finally:
        _TOKENS.reset(reset)
    comments, starts = _read_tokens(text.split("\n"), [t for t in tokens if t.type != "STRING"])
    strings = (token[1:-1] for token in tokens if token.type == "STRING" and "\n" in token)
    wrapped = tuple(tuple(line.strip() for line in string.split("\n")) for string in strings)
    return Notes(tuple(comments), _statements(tree, starts), wrapped)


def _note(token: Token) -> Token:
    noted_tokens = _TOKENS.get()
    if noted_tokens is not None:
        noted_tokens.append(token)
    return token


@functools.lru_cache(maxsize=1)
def _noting_parser() -> Lark:
    """The grammar's LALR parser, its lexer telling `_note` of every token in _NOTED."""
    return build_parser(lexer_callbacks={name: _note for name in _NOTED})


def _read_tokens(lines: list[str], tokens: list[Token]) -> tuple[list[Comment], dict[int, bool]]:
    """The comments, and the lines where a statement starts (with whether a blank line is just before it)."""
    comments: list[Comment] = []
    starts: dict[int, bool] = {}
    depth = 0
    for token in tokens:
        if token.type in ("LPAR", "RPAR"):
            depth = max(0, depth + (1 if token.type == "LPAR" else -1))
            continue
        blank = False
        for line, column, written, trailing, last in _token_lines(token, lines):
            if written.startswith("#"):
                comments.append(Comment(line, column, written.rstrip(), trailing, blank and not depth, depth > 0))
                blank = False
            elif last:  # the indentation of the next statement
                if depth == 0 and line <= len(lines) and lines[line - 1].strip():
                    starts[line] = blank
            elif line > token.line:
                blank = True
    return comments, starts


def _token_lines(token: Token, lines: list[str]):
    """(line, column, text from the indentation on, whether after a statement, whether the last) for each line
    of a _NL or COMMENT token; its first line starts where the token does, after any statement there."""
    pieces = str(token).split("\n")
    for offset, piece in enumerate(pieces):
        line = token.line + offset
        if offset == 0:
            trailing = lines[line - 1][:token.column - 1].strip() != ""
            yield line, token.column, piece, trailing, False
        else:
            written = piece.lstrip(" \t")
            yield line, len(piece) - len(written) + 1, written, False, offset == len(pieces) - 1


def _statements(tree: Tree, starts: dict[int, bool]) -> tuple[Statement, ...]:
    """Each statement: the outermost node that starts on a line where a statement starts (the first node of the
    text's first line, too); but the first of a list a node only wraps (the first `part` of `parts`), whose block
    ends where the list goes on."""
    found: dict[int, Statement] = {}
    wrappers: set[tuple] = set()
    stack: list[tuple[Tree, tuple]] = [(tree, ())]
    first = None
    while stack:
        node, key = stack.pop()
        meta = node.meta
        if key and not meta.empty:
            first = meta.line if first is None else first
            if (meta.line in starts or meta.line == first) and (meta.line not in found or key[:-1] in wrappers):
                found[meta.line] = Statement(meta.line, meta.column, key, starts.get(meta.line, False))
                if _wraps(node):
                    wrappers.add(key)
        counts: dict[str, int] = {}
        children = []
        for child in node.children:
            if isinstance(child, Tree):
                counts[child.data] = counts.get(child.data, -1) + 1
                children.append((child, key + ((str(child.data), counts[child.data]),)))
        stack.extend(reversed(children))
    return tuple(found[line] for line in sorted(found))


def _wraps(node: Tree) -> bool:
    """Whether a node is a list of one rule starting where its first item does."""
    items = [child for child in node.children if isinstance(child, Tree)]
    return bool(items) and len({item.data for item in items}) == 1 and not items[0].meta.empty and \
        (items[0].meta.line, items[0].meta.column) == (node.meta.line, node.meta.column)


__all__ = ["Comment", "Notes", "Statement", "noted"]
