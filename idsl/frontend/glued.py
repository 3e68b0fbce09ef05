"""Units and keywords glued to what follows them as tables print them (`90 人扣 2 分`, `90%且满意率`): the lexer reads them apart."""

from __future__ import annotations

from collections.abc import Container
import contextlib
import contextvars
import re

from lark import Token
from lark.lexer import ContextualLexer
from lark.parsers.lalr_analysis import Shift

from idsl.frontend.grammar import keyword_spellings
from idsl.frontend.scan import statements
from idsl.frontend.spacing import declared_names
from idsl.frontend.unit_table import SCALES, convertible_units

# 人数：数量 人 / 经费：金额 万元: a kind of quantity always follows an input's colon, its unit follows the kind
_DECLARED = re.compile(r"[:：]\s*(?:数量|金额|count|money)\s+([^\W\d_]+)")
_AFTER_NUMBER = re.compile(r"[0-9]\s*%?\s*([^\W\d_]{2,})")  # the word a number (or a percent) runs on into
# The units the files a text imports declare: known to its lexer as its own are (set while it is parsed); and
# their names, known to the hints of its syntax errors.
_IMPORTED_UNITS: contextvars.ContextVar[frozenset[str]] = contextvars.ContextVar("imported_units", default=frozenset())
_IMPORTED_NAMES: contextvars.ContextVar[frozenset[str]] = contextvars.ContextVar("imported_names", default=frozenset())


def declared_units(text: str) -> frozenset[str]:
    """The units the text's inputs declare: in its statements, not in a string, a comment or a free text.

    >>> sorted(declared_units("输入 培训人数：数量 人，经费：金额 万元 范围 0～100"))
    ['万元', '人']
    >>> sorted(declared_units("说明：户数：数量 户\\n输入 人数：数量 人  # 旧：金额 元"))
    ['人']
    """
    return frozenset(found.group(1) for found in _DECLARED.finditer(statements(text)))


def known_units(text: str) -> frozenset[str]:
    """The units the text's inputs declare, with those of the files it imports while it is parsed, and every unit
    those convert to or from (元 and 亿元 beside 万元).

    >>> sorted(known_units("输入 经费：金额 万元"))
    ['万元', '亿元', '元', '千元', '百万元']
    """
    declared = declared_units(text) | _IMPORTED_UNITS.get()
    return declared | convertible(declared)


def convertible(units: frozenset[str]) -> frozenset[str]:
    """Every unit the given units convert to or from (元, 千元 … beside 万元; 人, 千人 … beside 万人)."""
    return frozenset(other for name in units for other in convertible_units(name))


class NamesBesideUnits:
    """The names the text declares, with those of the files it imports while it is parsed, but for the units their
    inputs declare: a unit only converted to, or with scales before it, is not one where a name is spelled so, and
    a unit declared as written is. Found the first time a word is looked up: that costs a tenth of a parse, and
    only such a unit written after a number asks.

    >>> "千元" in NamesBesideUnits("输入 经费：金额 万元，千元：数值"), "人" in NamesBesideUnits("输入 人：数量 人")
    (True, False)
    """

    def __init__(self, text: str):
        self._text = text
        self._declared = declared_units(text) | _IMPORTED_UNITS.get()
        self._imported = _IMPORTED_NAMES.get()  # as the text is parsed, not as it is asked
        self._names: frozenset[str] | None = None

    def __contains__(self, word: object) -> bool:
        if word in self._declared:
            return False
        if self._names is None:
            self._names = (declared_names(self._text) | self._imported) - self._declared
        return word in self._names


def imported_names() -> frozenset[str]:
    """The names the files a text imports declare, while it is parsed."""
    return _IMPORTED_NAMES.get()


@contextlib.contextmanager
def imported_units(units: frozenset[str], names: frozenset[str] = frozenset()):
    """Within the block, the lexer (and the hints of a syntax error) know the units the imported files declare,
    and the hints their names."""
    tokens = _IMPORTED_UNITS.set(frozenset(units)), _IMPORTED_NAMES.set(frozenset(names))
    try:
        yield
    finally:
        _IMPORTED_UNITS.reset(tokens[0])
        _IMPORTED_NAMES.reset(tokens[1])


def known_unit(word: str, units: frozenset[str], names: Container[str] = frozenset()) -> bool:
    """Whether a word is one of the units, or one with scales before it (万人, 百万元 where 人, 元 are), and not one
    of the names (NamesBesideUnits: no declared unit is one of them).

    >>> known_unit("百万元", frozenset({"元"})), known_unit("人扣", frozenset({"人"}))
    (True, False)
    >>> known_unit("万人", frozenset({"人"}), frozenset({"万人"})), known_unit("元", frozenset({"万元", "元"}), {"元"})
    (False, False)
    """
    if word in units:
        return word not in names
    stripped = word
    while stripped[:1] in SCALES:
        stripped = stripped[1:]
        if stripped in units:
            return word not in names
    return False


def unit_prefixes(run: str, units: frozenset[str], names: Container[str] = frozenset()) -> list[str]:
    """The known units a word starts with, longest first, the whole word left out.

    >>> unit_prefixes("人次扣", frozenset({"人", "人次"}))
    ['人次', '人']
    """
    return [run[:end] for end in range(len(run) - 1, 0, -1) if known_unit(run[:end], units, names)]


def glued(text: str, imported: frozenset[str] = frozenset()) -> bool:
    """Whether the units declared decide how some word after a number is read: one that starts with a unit and
    runs on (`90 人扣`), or a declared unit that starts with a keyword (`10 则得满分` where 则 is a unit). Any
    unit the declared ones convert to counts, whatever the names: a block alone may not know them all.

    >>> glued("输入 人数：数量 人\\n分档 人数：人数 ≥ 90 人得满分"), glued("输入 人数：数量 人\\n人数 ≥ 90 人 得满分")
    (True, False)
    >>> glued("分档 条数：条数 ≥ 10 则得满分", frozenset({"则"})), glued("分档 条数：条数 ≥ 10 则得满分")
    (True, False)
    """
    declared = declared_units(text) | imported
    if not declared:
        return False
    declared |= convertible(declared)
    for found in _AFTER_NUMBER.finditer(text):
        word = found.group(1)
        if known_unit(word, declared):
            if any(word.startswith(keyword) for keyword in keyword_spellings()):
                return True
        elif unit_prefixes(word, declared):
            return True
    return False


class UnitSplittingLexer(ContextualLexer):
    """The contextual lexer, but a word after a number that is not a known unit is cut where the parser can go on:
    after the known unit it starts with (declared, or one a declared unit converts to: 元 beside 万元), when a
    keyword the grammar reads next starts there (`人扣`, `人得满分`), and before a name glued to a keyword the
    grammar reads next (`人且完成率`, and after a bare number or a percent, `90%且满意率`, `10则得满分`).

    A word is a letter or CJK run, so the lexer alone reads `人扣` as one unit. The cut is made only where the
    parser, having read the unit, can go on with the keyword (and with the name after it), so a word the grammar
    reads whole there (`2 个及以上` in 等级不高于) stays whole, a declared unit (`人次` beside `人`) is never cut,
    and a longer unit is tried before a shorter one, and any unit before none (`10 则得满分` where 则 is a unit).
    """

    def lex(self, lexer_state, parser_state):
        text = getattr(lexer_state.text, "text", lexer_state.text)
        units, names = known_units(text), NamesBesideUnits(text)
        previous = None
        for token in super().lex(lexer_state, parser_state):
            pieces = (token,)
            if token.type == "NAME" and previous in ("INT", "NUMBER", "PERCENT"):
                pieces = self._cut(token, units, names, previous == "PERCENT", lexer_state, parser_state)
            for piece in pieces:
                previous = piece.type
                yield piece

    def _cut(self, token: Token, units: frozenset[str], names: Container[str], after_percent: bool, lexer_state,
             parser_state) -> tuple:
        """The tokens the word is read as: the unit it starts with (if any) and the keyword glued after it (unless
        the lexer reads that one itself), the lexer moved back to where what follows them starts; else the word."""
        word = str(token)
        if known_unit(word, units, names):
            return (token,)
        states, stack = parser_state.parse_conf.states, list(parser_state.state_stack)
        prefixes = [] if after_percent else unit_prefixes(word, units, names)
        after_unit = _stack_after(states, stack, "NAME") if prefixes else None
        for unit in prefixes + [""]:
            at, now = token.start_pos + len(unit), after_unit if unit else stack
            if now is None:
                continue
            if unit and self._ends_word(now, states, lexer_state, at):
                return self._pieces(token, unit, None, lexer_state)
            keyword = self._glued_keyword(word[len(unit):], at, now, states, lexer_state)
            if keyword is not None:
                return self._pieces(token, unit, keyword, lexer_state)
        return (token,)

    def _ends_word(self, stack: list, states, lexer_state, at: int) -> bool:
        """Whether the parser (with `stack`) reads a keyword at `at` as the lexer finds it there (`得满分` ending the
        word, `扣` before a number): the lexer, moved back there, reads it itself. Read means shifted: a state
        lists every terminal of its merged lookaheads, some of which only reductions later refuse."""
        found = self.lexers[stack[-1]].match(lexer_state.text, at)
        return bool(found and found[1].startswith("KW_")) and _stack_after(states, stack, found[1]) is not None

    def _glued_keyword(self, rest: str, at: int, stack: list, states, lexer_state) -> tuple[str, str] | None:
        """The longest keyword `rest` (at `at`) starts with that the parser (with `stack`) reads there and that a
        token the parser reads after it follows at once (`且` in `且完成率`, `则` in `则得满分`): (terminal, text)."""
        lexer = self.lexers[stack[-1]]
        for end in range(len(rest) - 1, 0, -1):
            found = lexer.match(_as_text(lexer_state, rest[:end]), 0)
            if not (found and found[1].startswith("KW_") and found[0] == rest[:end]):
                continue
            after = _stack_after(states, stack, found[1])
            following = None if after is None else self.lexers[after[-1]].match(lexer_state.text, at + end)
            if following and _stack_after(states, after, following[1]) is not None:
                return found[1], found[0]
        return None

    @staticmethod
    def _pieces(token: Token, unit: str, keyword: tuple[str, str] | None, lexer_state) -> tuple:
        """The unit (if any) and the keyword glued after it (if any), the lexer moved on past the last of them."""
        pieces, at = [], token.start_pos
        for kind, text in ([("NAME", unit)] if unit else []) + ([keyword] if keyword else []):
            pieces.append(_piece(kind, text, token, at))
            at += len(text)
        counter = lexer_state.line_ctr  # a word holds no line break: only the position and column go back
        counter.char_pos, counter.column = at, token.column + at - token.start_pos
        lexer_state.last_token = pieces[-1]
        return tuple(pieces)


def _piece(kind: str, text: str, word: Token, at: int) -> Token:
    column = word.column + at - word.start_pos
    return Token(kind, text, at, word.line, column, word.line, column + len(text), at + len(text))


def _as_text(lexer_state, piece: str):
    """`piece` as the lexer matches text: a TextSlice from Lark 1.2 on, a str before."""
    return piece if isinstance(lexer_state.text, str) else type(lexer_state.text).cast_from(piece)


def _stack_after(states, stack: list, terminal: str) -> list | None:
    """The LALR stack after the parser reads `terminal` (its reductions first), None if it cannot."""
    stack = list(stack)
    while terminal in states[stack[-1]]:
        action, target = states[stack[-1]][terminal]
        if action is Shift:
            return stack + [target]
        if target.expansion:
            del stack[-len(target.expansion):]
        stack.append(states[stack[-1]][target.origin.name][1])
    return None


__all__ = ["NamesBesideUnits", "UnitSplittingLexer", "convertible", "declared_units", "glued", "imported_names",
           "imported_units", "known_unit", "known_units", "unit_prefixes"]
