"""A parsed piece moved up or down the text: its spans shifted by whole lines, each leaf body's origin kept.

The workbench parses a block of lines once, wherever it stands, and moves the result to the block's
line when a new line above pushes it down. What was found in a leaf (check results) is kept by the
body as first parsed, so a moved leaf is not checked again: its results are moved by the same lines.
"""

from __future__ import annotations

import operator
from decimal import Decimal

import attrs

from idsl.frontend import ast
from idsl.frontend.source import Span
from idsl.memo import Memo

_ORIGINS = Memo(40000)  # id(moved copy) → (the copy, the object first parsed, lines moved)
_TRACKED = {ast.LeafBody, ast.Indicator}  # the kinds whose moved copies remember their origin
_FIELDS: dict[type, tuple] = {}  # an attrs class's field names, and a reader of all its fields at once
_SPAN_FIELDS = tuple(f.name for f in attrs.fields(Span))
_PLAIN = {str, int, bool, type(None), Decimal}  # kinds that hold no span


def moved(value, lines: int, within: tuple[int, int] | None = None):
    """`value` with every span `lines` lines further down, or only the spans that start on the lines
    `within` (first, last); a value without such spans is returned as it is."""
    return value if lines == 0 else _moved(value, lines, within)


def _moved(value, lines: int, within):
    kind = type(value)
    if kind in _PLAIN:
        return value
    if kind is Span:
        if value.line == 0 or (within is not None and not within[0] <= value.line <= within[1]):
            return value  # NOWHERE, or a span outside the lines that move
        span = object.__new__(Span)  # as attrs would make it, without its frozen-class __init__
        for name, field in zip(_SPAN_FIELDS, (value.file, value.line + lines, value.column, value.end_line + lines,
                                              value.end_column)):
            object.__setattr__(span, name, field)
        return span
    if kind is tuple or kind is list:
        items = [item if type(item) in _PLAIN else _moved(item, lines, within) for item in value]
        return value if all(a is b for a, b in zip(items, value)) else kind(items)
    fields = _FIELDS.get(kind)
    if fields is None:
        if not attrs.has(kind):
            _PLAIN.add(kind)
            return value
        names = tuple(f.name for f in attrs.fields(kind))
        fields = _FIELDS[kind] = (names, operator.attrgetter(*names) if len(names) > 1 else
                                  (lambda obj, name=names[0]: (getattr(obj, name),)))
    names, read = fields
    olds = read(value)
    news = [old if type(old) in _PLAIN else _moved(old, lines, within) for old in olds]
    if all(a is b for a, b in zip(news, olds)):
        return value
    # A field-for-field copy of a frozen instance: what attrs.evolve makes, without running the
    # validators and converters again on values they have already passed.
    copy = object.__new__(kind)
    for name, new in zip(names, news):
        object.__setattr__(copy, name, new)
    if kind in _TRACKED:
        first, before = origin(value)
        _ORIGINS.put(id(copy), (copy, first, before + lines))
    return copy


def lines_of(*nodes) -> tuple[int, int]:
    """The first and last line the spans of these AST nodes cover (None nodes left out)."""
    spans = [node.span if not isinstance(node, Span) else node for node in nodes if node is not None]
    spans = [span for span in spans if span.line > 0]
    return min(span.line for span in spans), max(span.end_line for span in spans)


def origin(value):
    """(the object as first made, how many lines it has moved since) for a copy made by `moved` of a
    tracked kind; the object itself and 0 for any other."""
    kept = _ORIGINS.find(id(value))
    if kept is None or kept[0] is not value:  # an id reused by a newer object
        return value, 0
    return kept[1], kept[2]


def track(kind: type) -> None:
    """Make moved copies of `kind` remember their origin (a later stage's kind, keyed by its origin)."""
    _TRACKED.add(kind)


def extent(indicator: ast.Indicator) -> tuple[int, int]:
    """The first and last line of an indicator's block: its heading, its body and its children's."""
    last, stack = indicator.span.end_line, [indicator]
    while stack:
        node = stack.pop()
        last = max(last, node.span.end_line, node.body.span.end_line if node.body is not None else 0)
        stack.extend(node.children)
    return indicator.span.line, last
