"""Units glued to the keyword after them as tables print them (`90 人扣 2 分`): the lexer reads the unit apart."""

from __future__ import annotations

import re

from lark import Token
from lark.lexer import ContextualLexer
from lark.parsers.lalr_analysis import Shift

# 人数：数量 人 / 经费：金额 万元: a kind of quantity always follows an input's colon, its unit follows the kind
_DECLARED = re.compile(r"[:：]\s*(?:数量|金额|count|money)\s+([^\W\d_]+)")
_SCALES = "万亿千百"  # 万人 is 10000 人, 百万元 is 100 万元 (as idsl.semantics.units reads them)


def declared_units(text: str) -> frozenset[str]:
    """The units the text's inputs declare.

    >>> sorted(declared_units("输入 培训人数：数量 人，经费：金额 万元 范围 0～100"))
    ['万元', '人']
    """
    return frozenset(found.group(1) for found in _DECLARED.finditer(text))


def known_unit(word: str, declared: frozenset[str]) -> bool:
    """Whether a word is a declared unit, or one with scales before it (万人, 百万元 where 人, 元 are declared).

    >>> known_unit("百万元", frozenset({"元"})), known_unit("人扣", frozenset({"人"}))
    (True, False)
    """
    while word:
        if word in declared:
            return True
        if word[0] not in _SCALES:
            return False
        word = word[1:]
    return False


def unit_prefixes(run: str, declared: frozenset[str]) -> list[str]:
    """The known units a word starts with, longest first, the whole word left out.

    >>> unit_prefixes("人次扣", frozenset({"人", "人次"}))
    ['人次', '人']
    """
    return [run[:end] for end in range(len(run) - 1, 0, -1) if known_unit(run[:end], declared)]


def glued(text: str) -> bool:
    """Whether some number's unit in the text runs on into another word (`90 人扣`): what the lexer may split.

    >>> glued("输入 人数：数量 人\\n分档 人数：人数 ≥ 90 人得满分"), glued("输入 人数：数量 人\\n人数 ≥ 90 人 得满分")
    (True, False)
    """
    declared = declared_units(text)
    return any(unit_prefixes(found.group(1), declared)
               for found in re.finditer(r"[0-9]\s*([^\W\d_]{2,})", text) if not known_unit(found.group(1), declared))


class UnitSplittingLexer(ContextualLexer):
    """The contextual lexer, but a word after a number that is a declared unit with more glued to it (`人扣`,
    `人得满分`) is cut after the unit when a keyword the grammar reads next starts there (`扣`, `得满分`).

    A word is a letter or CJK run, so the lexer alone reads `人扣` as one unit. The cut is made only where the
    parser, having read the unit, can go on with the keyword, so a word the grammar reads whole there (`2 个及以上`
    in 等级不高于) stays whole, and a declared unit (`人次` beside `人`) is never cut.
    """

    def lex(self, lexer_state, parser_state):
        declared = declared_units(getattr(lexer_state.text, "text", lexer_state.text))
        previous = None
        for token in super().lex(lexer_state, parser_state):
            if declared and token.type == "NAME" and previous in ("INT", "NUMBER"):
                token = self._unit_alone(token, declared, lexer_state, parser_state)
            previous = token.type
            yield token

    def _unit_alone(self, token: Token, declared: frozenset[str], lexer_state, parser_state) -> Token:
        """The unit the word starts with, the lexer moved back to where the keyword after it starts; else the word."""
        prefixes = [] if known_unit(str(token), declared) else unit_prefixes(str(token), declared)
        after_unit = _state_after(parser_state, "NAME") if prefixes else None
        if after_unit is None:
            return token
        for unit in prefixes:
            end = token.start_pos + len(unit)
            found = self.lexers[after_unit].match(lexer_state.text, end)
            if found and found[1].startswith("KW_"):
                counter = lexer_state.line_ctr  # a word holds no line break: only the position and column go back
                counter.char_pos, counter.column = end, token.column + len(unit)
                unit_token = Token("NAME", unit, token.start_pos, token.line, token.column,
                                   token.line, token.column + len(unit), end)
                lexer_state.last_token = unit_token
                return unit_token
        return token


def _state_after(parser_state, terminal: str) -> int | None:
    """The LALR state the parser reaches by reading `terminal` now (its reductions first), None if it cannot."""
    states = parser_state.parse_conf.states
    stack = list(parser_state.state_stack)
    while terminal in states[stack[-1]]:
        action, target = states[stack[-1]][terminal]
        if action is Shift:
            return target
        if target.expansion:
            del stack[-len(target.expansion):]
        stack.append(states[stack[-1]][target.origin.name][1])
    return None


__all__ = ["UnitSplittingLexer", "declared_units", "glued", "known_unit", "unit_prefixes"]
