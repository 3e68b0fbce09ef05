"""Parsing a text edited a keystroke at a time: each top-level block is parsed once and remembered.

A spec is a sequence of statements that start at column 0 (体系, 等级, each level-1 indicator with
everything indented under it, 示例 …), and the grammar reads any sequence of them. So a text can be
cut before every line that starts at column 0, each block parsed on its own (with blank lines in
front, so that its lines keep their numbers) and the pieces joined as the whole parse joins them.
A keystroke changes one block; the others come from memory. Whenever a block does not parse on its
own, the whole text is parsed instead, so a syntax error reads exactly as `idsl check` reports it.
An indicator's block is cut the same way into its heading and its children, down to the leaves
(idsl.frontend.nested), so a keystroke in a leaf parses that leaf alone.
"""

from __future__ import annotations


import attrs

from idsl.diagnostics import Diagnostic
from idsl.frontend import ast, nested, shift
from idsl.frontend.glued import glued
from idsl.frontend.parse import parse
from idsl.frontend.source import Source
from idsl.memo import Memo
from idsl.limits import MAX_LEVELS

_BLOCKS = Memo(8192)  # a few versions of a 1,000-leaf spec's blocks, each at its line
_PARSED = Memo(8192)  # the same, each as parsed at the top of a text


def parse_incrementally(source: Source, units: frozenset[str] = frozenset(),
                        names: frozenset[str] = frozenset()) -> tuple[ast.Spec | None, list[Diagnostic]]:
    """What `parse(source, units, names)` returns, reusing the blocks of earlier texts that are unchanged."""
    text = source.text  # the last block keeps the text's own ending: parse adds the newline as for the whole
    blocks = split_blocks(text)
    if len(blocks) < 2 or "\u3000" in text:  # nothing to reuse; full-width indentation is reported whole
        return parse(source, units, names)
    if glued(text, units):  # a unit glued to a keyword is cut by the units the whole text (and its imports) declare
        return parse(source, units, names)
    pieces = []
    for first_line, block in blocks:
        spec, diagnostics = _block(source.path, first_line, block)
        if spec is None:
            return parse(source, units, names)
        pieces.append((spec, diagnostics))
    if sum(spec.form is not None for spec, _ in pieces) > 1:  # a second 自评表 is an error of the whole text
        return parse(source, units, names)
    return _joined([spec for spec, _ in pieces]), [d for _, found in pieces for d in found]


def split_blocks(text: str) -> list[tuple[int, str]]:
    """The text cut before every line at column 0 that starts with a name: (first line number, text).

    A line that starts with a keyword is not cut before: after another statement the parser may read
    that word as a keyword where, at the start of a text, it reads it as a name (得分 after a
    childless indicator), so only the whole text tells what it is.

    >>> split_blocks('体系 "例"\\n决策（10）\\n  甲（10）\\n# 注释\\n\\n过程（5）\\n得分 = 1\\n')
    [(1, '体系 "例"\\n'), (2, '决策（10）\\n  甲（10）\\n# 注释\\n\\n'), (6, '过程（5）\\n得分 = 1\\n')]
    """
    lines = text.splitlines(keepends=True)
    starts = [n for n, line in enumerate(lines)
              if line[:1] not in ("", " ", "\t", "\n", "\r", "#") and not nested.starts_with_keyword(line)]
    if not starts or starts[0] != 0:
        starts = [0] + starts
    bounds = starts[1:] + [len(lines)]
    return [(start + 1, "".join(lines[start:end])) for start, end in zip(starts, bounds)]




def _block(path: str, first_line: int, block: str) -> tuple[ast.Spec | None, list[Diagnostic]]:
    return _BLOCKS.get((path, first_line, block), lambda: _moved_block(path, first_line, block))


def _moved_block(path: str, first_line: int, block: str) -> tuple[ast.Spec | None, list[Diagnostic]]:
    """The block parsed once at the top of a text (or remembered), its spans moved to its line."""
    spec, found = _PARSED.get((path, block), lambda: _parsed_block(path, block))
    if first_line == 1 or spec is None:
        return spec, found
    if found:  # a diagnostic's words may tell where something else is: such a block is parsed where it stands
        return parse(Source(path, "\n" * (first_line - 1) + block))
    return shift.moved(spec, first_line - 1), []


def _parsed_block(path: str, block: str) -> tuple[ast.Spec | None, list[Diagnostic]]:
    """A level-1 indicator's block from its heading's parse and its children's; any other block whole."""
    parts = nested.parts(block)
    if parts is not None:
        heading, children = parts
        spec, found = _block(path, 1, heading)
        if spec is not None and not found and nested.bare_heading(spec.indicators):
            kids = nested.children(path, 1, children)
            if kids is not None and nested.depth(kids) < MAX_LEVELS:
                return attrs.evolve(spec, indicators=(attrs.evolve(spec.indicators[0], children=kids),)), []
    return parse(Source(path, block))


def _joined(pieces: list[ast.Spec]) -> ast.Spec:
    """The spec of the whole text from its blocks': lists in order, each setting from the first that has it."""
    values = {}
    for field in attrs.fields(ast.Spec):
        if field.name == "span":
            continue
        # the 自评表's execution-rate leaf is the first level-1 indicator wherever the form is written
        ordered = sorted(pieces, key=lambda p: p.form is None) if field.name == "indicators" else pieces
        found = [getattr(p, field.name) for p in ordered]
        if isinstance(found[0], tuple):
            values[field.name] = tuple(item for value in found for item in value)
        elif isinstance(found[0], bool):  # a line that switches something on (总分排名): any block may write it
            values[field.name] = any(found)
        else:  # a setting (体系, 总分, 小数, 表格): the first block that writes it decides, as in the whole parse
            values[field.name] = next((value for value in found if value is not None), None)
    return attrs.evolve(pieces[0], **values)
