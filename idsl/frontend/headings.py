"""The indicator a line lies under, read from the headings above it: for diagnostics found before a tree exists."""

from __future__ import annotations

import re

from idsl.frontend.source import Source

# An indicator's heading as a line of its own: 产出（10）, "C103获奖选手…"（2）, 目标设定（20%）, 待细化指标（？）.
_HEADING = re.compile(r'(?P<indent>[ ]*)(?P<name>"[^"\n]+"|“[^”\n]+”|[^\s（(#"“]+)[（(][^）)\n]*[）)]\s*(?:#.*)?')
_MAX_LINES = 5000  # a heading further up than this is not looked for (a syntax error's path is a convenience)


def enclosing_path(source: Source, line: int) -> tuple[str, ...]:
    """The names of the indicators whose blocks hold `line` (1-based), outermost first; () at the top level.

    >>> text = '体系 "例" 总分 3\\n产出（3）\\n  数量（3）\\n    完成率（3）\\n      得分 = 完成率 ×\\n'
    >>> enclosing_path(Source("a.idsl", text), 5), enclosing_path(Source("a.idsl", text), 2)
    (('产出', '数量', '完成率'), ())
    """
    lines = source.text.split("\n")
    if not 1 <= line <= len(lines):
        return ()
    indent, path = _indent(lines[line - 1]), []
    for text in reversed(lines[max(0, line - 1 - _MAX_LINES):line - 1]):
        if not text.strip() or indent == 0:
            if indent == 0:
                break
            continue
        found = _HEADING.fullmatch(text)
        depth = _indent(text)
        if found and depth < indent:
            path.append(found["name"].strip('"“”'))
            indent = depth
        elif depth < indent and not text.lstrip().startswith("#"):
            indent = depth  # a line of another kind that holds the block (示例, 逆向指标 items are headings too)
    return tuple(reversed(path))


def _indent(text: str) -> int:
    return len(text) - len(text.lstrip(" "))
