"""The LALR parser of the grammar, built once per process, with the lexer that reads a unit apart from a keyword glued to it."""

from __future__ import annotations

import functools

from lark import Lark
from lark.indenter import Indenter

from idsl.frontend.glued import UnitSplittingLexer
from idsl.frontend.grammar import GRAMMAR_PATH


class _IdslIndenter(Indenter):
    """Turns leading whitespace into _INDENT/_DEDENT; newlines inside （…） do not count."""

    NL_type = "_NL"
    OPEN_PAREN_types = ["LPAR"]
    CLOSE_PAREN_types = ["RPAR"]
    INDENT_type = "_INDENT"
    DEDENT_type = "_DEDENT"
    tab_len = 4


@functools.lru_cache(maxsize=1)
def lark_parser() -> Lark:
    """The LALR parser, built once per process (Lark also caches the tables on disk); its lexer reads a unit
    glued to the keyword after it (`90 人扣 2 分`) as the unit and the keyword."""
    return build_parser()


def build_parser(**options) -> Lark:
    """A new LALR parser of the grammar, with Lark `options` besides (`lexer_callbacks`)."""
    return Lark.open(
        str(GRAMMAR_PATH),
        parser="lalr",
        postlex=_IdslIndenter(),
        propagate_positions=True,
        maybe_placeholders=False,
        cache=True,
        _plugins={"ContextualLexer": UnitSplittingLexer},
        **options,
    )


__all__ = ["build_parser", "lark_parser"]
