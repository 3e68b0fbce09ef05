"""The spaces a name or keyword run together needs (`按期完成则得满分`: 按期完成 则 得满分), for the diagnostics that name them."""

from __future__ import annotations

import re

from idsl.frontend.grammar import keyword_spellings
from idsl.frontend.scan import statements

_NAME = r"(?:[^\W\d_]|[“‘《])[\w“”‘’《》·]*"
# an input (名称：比率 …) or a quantity defined on its own line (名称 = …)
_DECLARED_NAMES = re.compile(rf"({_NAME})\s*[:：]\s*(?:比率|金额|数量|数值|是否|选项|问题数|rate|money|count|number|yes-no|"
                             rf"options|findings)(?![^\W\d_])|^[ \t]*({_NAME})[ \t]*[=＝]", re.MULTILINE)


def declared_names(text: str) -> frozenset[str]:
    """The names of the text's inputs and of the quantities it defines, in its statements (not in a string, a
    comment or a free text).

    >>> sorted(declared_names("输入 按期完成：是否，人数：数量 人\\n    达标率 = 人数 / 100\\n"))
    ['人数', '按期完成', '达标率']
    >>> sorted(declared_names('标题 "旧表\\n合格率 = 1"\\n# 户数：数量 户\\n优良率 = 1\\n'))
    ['优良率']
    """
    return frozenset(name for found in _DECLARED_NAMES.finditer(statements(text)) for name in found.groups() if name)


def input_names(text: str) -> frozenset[str]:
    """The names of the text's inputs (in its statements, as `declared_names`).

    >>> sorted(input_names("输入 按期完成：是否，人数：数量 人\\n    达标率 = 人数 / 100\\n"))
    ['人数', '按期完成']
    """
    return frozenset(found.group(1) for found in _DECLARED_NAMES.finditer(statements(text)) if found.group(1))


def spaced(word: str, names: frozenset[str]) -> list[str] | None:
    """A word cut into the names and keywords run together in it, longest first at each place (`按期完成则得满分`:
    按期完成, 则, 得满分); None unless it is two or more of them, all the way through, but for a last word after
    a keyword when the first is a name (`人且完成率`: 人, 且, 完成率).

    >>> spaced("按期完成则得满分", frozenset({"按期完成"})), spaced("人且完成率", frozenset({"人"}))
    (['按期完成', '则', '得满分'], ['人', '且', '完成率'])
    >>> spaced("得分率", frozenset()) is None  # a name that starts with a keyword
    True
    """
    pieces, at = [], 0
    keywords = keyword_spellings()
    words = names | keywords
    while at < len(word):
        piece = next((word[at:end] for end in range(len(word), at, -1) if word[at:end] in words), None)
        if piece is None and pieces and pieces[0] in names and pieces[-1] in keywords:
            piece = word[at:]
        if piece is None:
            return None
        pieces.append(piece)
        at += len(piece)
    return pieces if len(pieces) > 1 else None


__all__ = ["declared_names", "input_names", "spaced"]
