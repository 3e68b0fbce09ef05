"""`idsl fmt`'s text: the printer's canonical form with the author's comments, blank lines and wrapped texts put back.

A full-line comment stays before the statement it precedes, at that statement's new indentation; a trailing
comment stays at the end of its statement's line; a comment closing a block stays at the end of that block.
A blank line the author left between statements stays (one at most). The printer may move a statement (解释
before 评分标准, a header line into its place): its comments move with it. Statements are matched by their
node paths in the two parse trees, which the printer's promise (the same AST) keeps alike. A quoted text the author
wrote over several lines is printed quoted over the same lines, its continuation lines one level deeper.
"""

from __future__ import annotations

import bisect

import attrs

from idsl.frontend import ast
from idsl.frontend.comments import Comment, Notes, Statement, noted
from idsl.frontend.parse import parse
from idsl.frontend.printer import format_spec
from idsl.frontend.source import Source

_INDENT = "  "


@attrs.frozen
class _Put:
    """A comment written on a line of its own before the printed line `at` (0-based; the end is len(lines))."""

    at: int
    order: int  # the comment's line in the author's text: comments at one place keep the author's order
    indent: int
    comment: Comment


class Unfaithful(Exception):
    """The formatted text would mean something else, or miss a comment: a fault of the formatter, never written."""


def format_checked(source: Source, spec: ast.Spec, units: frozenset[str] = frozenset(),
                   names: frozenset[str] = frozenset()) -> str:
    """format_keeping, and the proof that it is faithful: the text parses back to `spec` and holds every comment
    of the source; Unfaithful (with the reason, in Chinese) otherwise."""
    text = format_keeping(source.text, spec, units, names)
    again, _ = parse(Source(source.path, text), units, names)
    if again != spec:
        raise Unfaithful("规范格式会改变体系的含义")
    if sorted(_comments(text, units, names)) != sorted(_comments(source.text, units, names)):
        raise Unfaithful("规范格式会丢掉注释")  # their order changes only where the printer moves a statement
    return text


def _comments(text: str, units: frozenset[str], names: frozenset[str]) -> list[str]:
    return [c.text for c in noted(text, units, names).comments]


def format_keeping(text: str, spec: ast.Spec, units: frozenset[str] = frozenset(),
                   names: frozenset[str] = frozenset()) -> str:
    """The canonical text of `spec` (parsed from `text`) with `text`'s comments and paragraphs; Unprintable as
    format_spec.

    >>> from idsl.frontend.parse import parse
    >>> from idsl.frontend.source import Source
    >>> text = '# 说明\\n决策(10)  # 一级\\n    目标设定(10)\\n        # 写法：酌情\\n        discretionary\\n'
    >>> print(format_keeping(text, parse(Source("t.idsl", text))[0]), end="")
    # 说明
    决策（10）  # 一级
      目标设定（10）
        # 写法：酌情
        酌情
    """
    printed = format_spec(spec)
    notes = noted(text, units, names)
    lines = _rewrapped(printed.split("\n")[:-1], notes.wrapped)
    if not notes.comments and not any(s.blank_before for s in notes.statements):
        return "".join(line + "\n" for line in lines)
    return _woven(lines, notes, noted(printed, units, names))


def _rewrapped(lines: list[str], wrapped: tuple[tuple[str, ...], ...]) -> list[str]:
    """The printed lines, a text the author wrote over several lines wrapped as written: a line `关键字 文字` (or
    `关键字 "文字"`) whose text is one of them becomes one item holding its lines."""
    waiting: dict[str, list[tuple[str, ...]]] = {}
    for pieces in wrapped:
        waiting.setdefault("".join(pieces), []).append(pieces)
    out = []
    for line in lines:
        head, _, text = line.strip().partition(" ")
        queue = waiting.get(text[1:-1] if text[:1] == '"' == text[-1:] and len(text) > 1 else text)
        if not queue or not head:
            out.append(line)
            continue
        pad = " " * _indent(line) + _INDENT
        first, *rest = queue.pop(0)
        rows = [f'{" " * _indent(line)}{head} "{first}'] + [pad + p if p else "" for p in rest]
        rows[-1] = (rows[-1] or pad) + '"'  # a closing quote on a line of its own stays indented
        out.append("\n".join(rows))
    return out


def _woven(lines: list[str], notes: Notes, canonical: Notes) -> str:
    """The printed lines with the comments and blank lines of `notes` placed among them."""
    where = _Matcher(notes, canonical)
    puts: list[_Put] = []
    trailing: dict[int, list[Comment]] = {}
    for comment in notes.comments:
        if comment.trailing or comment.nested:
            at = where.line_of(where.enclosing(comment.line))
            trailing.setdefault(at, []).append(comment)
        else:
            puts.append(where.place(comment, lines))
    for at, comments in trailing.items():
        if len(comments) > 1 or comments[0].nested:  # two on one printed line: each on a line of its own
            puts += [_Put(at, c.line, _indent(lines[at]), attrs.evolve(c, trailing=False)) for c in comments]
            trailing[at] = []
    blanks = {where.line_of(s) for s in notes.statements if s.blank_before}
    return _joined(lines, puts, trailing, blanks)


def _joined(lines: list[str], puts: list[_Put], trailing: dict[int, list[Comment]], blanks: set[int]) -> str:
    out: list[str] = []

    def blank() -> None:
        if out and out[-1] != "":
            out.append("")

    by_place: dict[int, list[_Put]] = {}
    for put in puts:
        by_place.setdefault(put.at, []).append(put)
    for at in range(len(lines) + 1):
        for put in sorted(by_place.get(at, ()), key=lambda p: p.order):
            if put.comment.blank_before:
                blank()
            out.append(" " * put.indent + put.comment.text)
        if at == len(lines):
            break
        if at in blanks or lines[at] == "":
            blank()
        if lines[at]:
            out.append(lines[at] + "".join("  " + c.text for c in trailing.get(at, ())))
    while out and out[-1] == "":
        out.pop()
    return "".join(line + "\n" for line in out)


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


class _Matcher:
    """Finds, for a statement of the author's text, the printed statement with the same node path."""

    def __init__(self, notes: Notes, canonical: Notes):
        self._ordered = notes.statements
        self._lines = [s.line for s in notes.statements]
        self._opened: set[int] = set()  # statements a comment was put before: later comments above them follow
        self._printed = {s.key: s for s in canonical.statements}
        self._last: dict[tuple, int] = {}  # a printed statement's path → the last line of its block
        for statement in canonical.statements:
            for depth in range(1, len(statement.key) + 1):
                self._last[statement.key[:depth]] = statement.line

    def enclosing(self, line: int) -> Statement | None:
        """The author's statement a line belongs to: the last one starting on or before it."""
        index = bisect.bisect_right(self._lines, line)
        return self._ordered[index - 1] if index else None

    def following(self, line: int) -> Statement | None:
        """The author's first statement after a line."""
        index = bisect.bisect_right(self._lines, line)
        return self._ordered[index] if index < len(self._ordered) else None

    def printed(self, statement: Statement | None) -> Statement | None:
        """The printed statement with the same path; one of the same rule before it when the printer joined
        them (two 输入 lines into one); else the printed statement of the author's statement before it."""
        while statement is not None:
            found = self._printed.get(statement.key)
            rule, count = statement.key[-1]
            while found is None and count > 0:
                count -= 1
                found = self._printed.get(statement.key[:-1] + ((rule, count),))
            if found is not None:
                return found
            statement = self.enclosing(statement.line - 1)
        return None

    def line_of(self, statement: Statement | None) -> int:
        """The 0-based printed line of an author's statement (the first line when none matches)."""
        found = self.printed(statement)
        return found.line - 1 if found is not None else 0

    def place(self, comment: Comment, lines: list[str]) -> _Put:
        """Where a full-line comment goes: before the statement after it, or at the end of the block it closes."""
        after = self.following(comment.line)
        before = self.enclosing(comment.line)
        closes = after is None or (after.column < comment.column and before is not None and after.column < before.column
                                   and after.line not in self._opened)
        if not closes:
            self._opened.add(after.line)
            at = self.line_of(after)
            return _Put(at, comment.line, _indent(lines[at]), comment)
        above = self._ordered[:bisect.bisect_left(self._lines, comment.line)]
        owner = next((s for s in reversed(above) if s.column < comment.column), None)
        found = self.printed(owner)
        if found is None:
            return _Put(len(lines), comment.line, 0, comment)
        last = self._last[found.key]
        indent = _indent(lines[found.line]) if last > found.line else _indent(lines[found.line - 1])
        return _Put(last, comment.line, indent, comment)


__all__ = ["Unfaithful", "format_checked", "format_keeping"]
