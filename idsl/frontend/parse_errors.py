"""Syntax errors as diagnostics: a code, a span and a hint for the common mistakes."""

from __future__ import annotations

from collections.abc import Callable
import difflib
import os
import re

from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken
from lark.indenter import DedentError

from idsl.diagnostics import Diagnostic
from idsl.frontend import glued, spacing, unit_table
from idsl.frontend.grammar import keyword_spellings
from idsl.frontend.habits import (included_in_band, kind_without_unit, numbered_item, option_with_get, percentage_points,
                                  points_in_example, points_in_grades, tab_indent, table_words, unseen)
from idsl.frontend.scan import statements
from idsl.frontend.source import Source, Span, display_column, span_from_offsets


# Keyword spellings offered as "did you mean" for a misspelled word at the start of a line.
KEYWORDS = (
    "体系", "选项", "比率", "金额", "数量", "数值", "是否", "问题数", "总分", "小数", "等级", "引用", "解释", "说明", "指标解释", "指标说明", "评分标准", "不适用", "输入",
    "要素", "得分", "分档", "偏离", "按项扣分", "选择", "酌情", "目标", "分项", "若", "问卷", "逆向指标", "扣分项",
    "加分项", "表格", "示例", "设", "期望", "system", "total", "places", "grades", "import", "explain",
    "standard", "input", "checklist", "score", "bands", "deviation", "per-finding", "choose",
    "discretionary", "target", "part", "if", "questionnaire", "penalties", "bonuses", "table", "example",
)

_TOKEN_WORDS = {
    "_NL": "行尾", "_INDENT": "缩进", "_DEDENT": "缩进结束", "LPAR": "（", "RPAR": "）", "NAME": "名称",
    "STRING": "引号文字", "NUMBER": "数字", "INT": "数字", "PERCENT": "%", "CMP": "比较符号", "EQ": "=",
    "_COLON": "：", "_SEP": "，", "_SEMI": "；", "FEN": "分", "TEXT": "文字", "LABEL": "选项文字",
    "DASH": "-", "RANGE": "～", "$END": "文件结尾", "BAR": "|", "DIV": "÷", "MINUS": "-", "PLUS": "+",
    "TIMES": "×", "DOT": ".", "PATHSEP": "›", "ROUNDING": "取整方式", "FUNC": "函数", "INCLUDED": "（含）", "QMARK": "？",
}


def _describe(token_type: str) -> str:
    if token_type.startswith("KW_"):
        return "关键字"
    return _TOKEN_WORDS.get(token_type, token_type)


def syntax_diagnostic(source: Source, text: str, error: UnexpectedInput) -> Diagnostic:
    """Turn a Lark error into one diagnostic with a code, a span and a hint for the common mistakes."""
    offset = getattr(error, "pos_in_stream", None)
    token = getattr(error, "token", None)
    if isinstance(error, UnexpectedToken) and token is not None and token.start_pos is not None:
        offset = token.start_pos
        end = token.end_pos if token.end_pos and token.end_pos > offset else offset + 1
        if token.type == "_NL":
            # The line ends too early: point at the cell just past its last character.
            line, column = span_from_offsets(source, offset, offset).line, span_from_offsets(source, offset, offset).column
            return _unexpected_token(source, text, error, Span(source.path, line, column, line, column + 1))
        elif token.type in ("_INDENT", "_DEDENT"):
            # Layout tokens span the line break; point at where the next line's text starts.
            offset = _next_line_text(text, offset)
            end = offset + 1
    else:
        offset = offset or 0
        end = offset + 1
    span = span_from_offsets(source, offset, min(end, len(source.text)) if source.text else offset)
    points = percentage_points(source, span) or table_words(source.line(span.line), span)
    if points is not None:
        return points
    if isinstance(error, UnexpectedCharacters):
        return _unexpected_character(source, text, offset, span)
    if isinstance(error, UnexpectedEOF):
        return Diagnostic("E103", "文件在一个块结束之前就结束了。", span, hint="检查最后一个块的缩进和括号是否完整。")
    return _unexpected_token(source, text, error, span)


def _not_ascii_digit(span: Span, char: str) -> Diagnostic:
    # ৯০ or ٣٠: Python reads them as numbers, so the grammar accepts 0–9 only and says why here.
    first = Span(span.file, span.line, span.column, span.line, span.column + 1)
    return Diagnostic("E106", f"数字只能用 0–9 书写，这里是“{char}”。", first, hint="用 0–9 重写这个数。")


def _next_line_text(text: str, offset: int) -> int:
    """Offset of the first non-blank character at or after `offset` (the line's content)."""
    while offset < len(text) and text[offset] in " \t\n":
        offset += 1
    return offset


def _unexpected_character(source: Source, text: str, offset: int, span: Span) -> Diagnostic:
    char = text[offset] if offset < len(text) else ""
    if char == '"':
        return Diagnostic("E105", "引号没有结束。", span, hint='给文字补上结尾的 "。')
    if char in "（(":
        return Diagnostic("E102", "这里不能出现括号。", span,
                          hint='名称里有括号时，请把整个名称加上引号，例如 "预算执行率（本级）"（3）。')
    if char.isdigit():
        return _not_ascii_digit(span, char)
    return unseen(char, span) or Diagnostic("E106", f"这里不能出现字符“{char}”。", span,
                                            hint="删去它，或把含有它的名称加上引号。")


def _unexpected_token(source: Source, text: str, error: UnexpectedToken, span: Span) -> Diagnostic:
    token = error.token
    expected = set(error.expected or ())
    line_text = source.line(span.line)
    # （含） is never what a line lacks, and the parser's merged states offer it after expressions that are no band's end
    wanted = "、".join(sorted({_describe(t) for t in expected - {"INCLUDED"}}))
    hint = f"这里可以写：{wanted}。" if wanted else None
    opened = _unclosed_parenthesis(text, token.start_pos if token.start_pos is not None else len(text))
    fraction = re.search(r"[（(]\s*(?:权重\s*)?([0-9]+\s*/\s*[0-9]+)\s*[）)]", line_text)
    if "RPAR" in expected and opened is not None and fraction:  # 完成（1/2）: a share written as a fraction
        return Diagnostic("E102", f"分值或权重不能写成分数“{fraction.group(1)}”。", span,
                          hint=f"权重写成百分数，例如 {_heading_name(line_text)}（50%）；除不尽的（1/3）直接写各指标的分值。")
    if "RPAR" in expected and opened is not None:
        at = span_from_offsets(source, opened, opened + 1)
        return Diagnostic("E102", "括号没有闭合。", at, hint="补上“）”，例如 决策（15）。")
    if token.type == "_NL" and "LPAR" in expected and _is_bare_heading(line_text):
        return Diagnostic("E102", "指标缺少分值。", span, hint="在名称后写上分值，例如 年度绩效目标合理性（3）。")
    if token.type in ("_INDENT", "_DEDENT") or (token.type == "$END" and "_DEDENT" in expected):
        return Diagnostic("E103", "缩进不对：这一行既不属于上面的块，也没有开始新的块。", span,
                          hint="同一层的行要对齐；下一层比上一层多缩进两个空格。" + tab_indent(line_text))
    if token.type == "KW_RESCALE_TOTAL" and "KW_EXCLUDE" in expected:  # the spec's rule written under a leaf
        return Diagnostic("E101", "“按实际适用分值折算”是整个体系的规定，不能写在指标下。", span,
                          hint="在体系开头顶格写 不适用 按实际适用分值折算；指标下写 不适用 剔除。")
    if token.type == "KW_SHARE_SIBLINGS" and "KW_EXCLUDE" in expected:
        return Diagnostic("E101", "“分值平均分配给同级指标”是整个体系的规定，不能写在指标下。", span,
                          hint="在体系开头顶格写 不适用 分值平均分配给同级指标；指标下写 不适用 剔除。")
    per_item_line = re.match(r"\s*(按项扣分|另扣|另加|per-finding)", line_text)
    if per_item_line and (token.type == "KW_DEDUCT" or str(token).startswith("每项扣")):  # the table's 每项扣0.5分
        fixed = re.sub(r"(每项)\s*扣\s*", r"\1 ", line_text.strip())
        return Diagnostic("E101", "“每项”后直接写每项的分数，不写“扣”。", span, hint=f"写成 {fixed}。")
    if "KW_CAP_BY" in expected and re.match(r"\s*(另扣|另加|also-deduct|also-add)", line_text):
        return _adjust_without_cap(line_text, span)
    table_wording = (kind_without_unit(text, token, expected, span) or points_in_grades(line_text, span)
                     or points_in_example(line_text, token, span) or numbered_item(source, expected, span)
                     or option_with_get(line_text, token, span)
                     or _table_wording(line_text, token, span)
                     or _unit_run_into_outcome(source, line_text, span) or _deduction_in_band(token, expected, span)
                     or _glued_words(source, line_text, token, span))
    if table_wording:
        return table_wording
    if token.type == "NAME":
        suggestion = _suggest_keyword(str(token))
        if suggestion:
            return Diagnostic("E104", f"不认识的词“{token}”。", span, hint=f"是不是“{suggestion}”？")
    keyword_name = _keyword_used_as_name(source, span.line)
    if keyword_name:
        return keyword_name
    misspelled = _misspelled_line_start(source, span)
    if misspelled:
        return misspelled
    if _has_parenthesised_name(line_text):
        return Diagnostic("E102", "名称里有括号。", span,
                          hint=f'名称里有括号时，请把整个名称加上引号，例如 "{_heading_name(line_text)}"（3）。')
    if token.type in ("TEXT", "LABEL") and token.type not in expected:
        if str(token)[:1].isdigit() and not str(token)[:1].isascii():
            return _not_ascii_digit(span, str(token)[0])
        if str(token)[:1].isdigit() and "LPAR" in expected:
            return Diagnostic("E102", "分值要写在括号里。", span, hint="写成 名称（分值），例如 决策（15）。")
        if str(token)[:1].isdigit() and span.column == _indent_width(line_text) + 1:
            name = re.split(r"[（(]", line_text.strip())[0]
            return Diagnostic("E106", "名称不能以数字开头。", span, hint=f'请给名称加上引号："{name}"。')
        # The fallback lexer swallowed the rest of the line: the real culprit is its first character.
        width = 2 if ord(str(token)[0]) > 0x2E7F else 1
        first = Span(span.file, span.line, span.column, span.line, span.column + width)
        return unseen(str(token)[0], first) or Diagnostic("E106", f"这里不能出现“{str(token)[0]}”。", first, hint=hint)
    if token.type == "INT" and "LPAR" in expected:
        return Diagnostic("E102", "分值要写在括号里。", span, hint="写成 名称（分值），例如 决策（15）。")
    if token.type == "_NL":
        return Diagnostic("E101", "这一行还没有写完。", span, hint=hint)
    found = _describe(token.type) if token.type != "NAME" else f"“{token}”"
    return Diagnostic("E101", f"这里不应出现{found}。", span, hint=hint)


def _table_wording(line_text: str, token, span: Span) -> Diagnostic | None:
    """A scoring table's own wording where idsl writes another: （含） after a comparison, an option's 得满分."""
    if token.type == "INCLUDED":
        return included_in_band(span)
    option = re.match(r"\s*([^：:#\-\s][^：:]*)[：:]\s*得满分", line_text)
    if option and token.type == "KW_FULL":
        return Diagnostic("E101", "选项的分数要写成数字，不写“得满分”。", span,
                          hint=f"写成 {option.group(1).strip()}：N 分（N 是指标的分值）。")
    return None


# `90 人得满分`: a unit is a word, and a word runs on until a space, so 人得满分 was read as the unit
_UNIT_INTO_OUTCOME = re.compile(r"([0-9]+(?:\.[0-9]+)?)\s*([^\W\d_]+?)(得满分|不得分|得(?=\s*[0-9])|扣(?=\s*[0-9]))")
# `若 … 90 人则 得满分`: the 若's 则 glued to the word, the outcome spaced, so 人则 was read as the unit
_THEN_INTO_WORD = re.compile(r"([0-9]+(?:\.[0-9]+)?)\s*([^\W\d_]+?则)\s+(得满分|不得分|得(?=\s*[0-9]))")
_SPECIAL = re.compile(r"\s*(?:若|如果|if)\s")
_KIND_WORDS = {"count": "数量", "money": "金额"}


def _unit_run_into_outcome(source: Source, line_text: str, span: Span) -> Diagnostic | None:
    """A word written against the band's outcome after a number (`90 人得满分`), or against a 若's 则 (`90 人则
    得满分`): one word to the lexer, so no outcome. The hint says what the word is (a declared unit, a name, a word
    declared nowhere) and the text spaced."""
    special = _SPECIAL.match(line_text) is not None
    found = _UNIT_INTO_OUTCOME.search(line_text)
    outcome_glued = found is not None
    if not found and special:
        found = _THEN_INTO_WORD.search(line_text)
        if found and display_column(line_text, found.start(3)) != span.column:
            return None  # the parser stopped elsewhere: the word was read apart, or is not why it stopped
    if not found:
        return None
    number, word, keyword = found.groups()
    outcome = _outcome_phrase(line_text, found.start(3))  # 得满分, or the whole 得 8 分
    glued_then = special and len(word) > 1 and word.endswith("则")  # `90 人则得满分`: the 若's 则 glued on
    word = word[:-1] if glued_then else word
    # 若 … 则 得满分: a condition's outcome comes after 则, which the text left out too (or glued to the word)
    then = " 则" if special and (glued_then or not re.search(r"则|then", line_text)) else ""
    spaced = f"{number} {word}{then} {outcome}"
    glued_on = f"{'则' if glued_then else ''}{keyword if outcome_glued else ''}"
    written = f"{word}{glued_on}"
    at = Span(span.file, span.line, display_column(line_text, found.start(2)),
              span.line, display_column(line_text, found.end(3 if outcome_glued else 2)))
    if glued.known_unit(word, glued.known_units(source.text), glued.NamesBesideUnits(source.text)):
        return Diagnostic("E101", f"单位“{word}”和“{glued_on}”连在一起，读成了一个词“{written}”。", at,
                          hint=f"在单位后空一格{'，再写上“则”' if then else ''}：{spaced}（百分数不用：90%得满分）。")
    message = f"“{word}”和“{glued_on}”连在一起，读成了一个词“{written}”。"
    if word.endswith("百分点"):  # 每降低1个百分点扣0.5分: a rate's step, never a unit to declare
        return Diagnostic("E101", message, at, hint=f"比率按百分数书写：写成 {number}% {outcome}，不写“{word}”。")
    kind = _name_kind(word, source.text)
    measured = _measured_input(source, line_text, span.line, found.start(1))
    declared = _declared_unit(measured, source.text) if measured else None
    if kind:  # spaced, a name after a number reads as its unit: the number stands alone
        with_unit = f"；带单位写成 {number} {declared[1]}{then} {outcome}" if declared else ""
        return Diagnostic("E101", message, at,
                          hint=f"“{word}”是{kind}，不是单位：数的后面不写它，写成 {number}{then} {outcome}{with_unit}。")
    advice = _unit_advice(word, measured, declared, lambda unit: f"{number} {unit}{then} {outcome}")
    return Diagnostic("E101", message, at, hint=f"“{word}”既不是声明过的单位，也不是输入或量的名称：{advice}")


def _outcome_phrase(line_text: str, start: int) -> str:
    """The outcome from its keyword to the end of the band or line: `得 8 分`, `扣 2 分`, `得满分`.

    >>> _outcome_phrase("若 受益人数 ≥ 90 人则得 8 分；否则 …", 14), _outcome_phrase("≥ 90 人扣 2 分 # 注", 6)
    ('得 8 分', '扣 2 分')
    """
    return re.split(r"[；;，,。#]", line_text[start:], maxsplit=1)[0].strip()


def _unit_advice(word: str, measured: str | None, declared: tuple[str, str] | None,
                 spaced: Callable[[str], str]) -> str:
    """What to do with a word declared nowhere after a number: write the number in the unit the compared input
    already has (a second declaration would change what it measures), else declare the word as a unit of that
    input (金额 for a money unit), or space it."""
    if declared:
        kind, unit = declared
        return f"“{measured}”已声明为 {kind} {unit}，数按{unit}计：写成 {spaced(unit)}。"
    declaration = f"（{measured}：{_KIND_WORDS[unit_table.unit(word).kind]} {word}）" if measured else ""
    return f"作单位用时在输入里声明它{declaration}，否则在它后面空一格，写成 {spaced(word)}。"


_NAME = r"(?:[^\W\d_]|[“‘《])[\w“”‘’《》·]*"
# `受益人数 ≥ 90`, `|受益人数| < 90`: the name a number is compared with, written just before it
_COMPARED = re.compile(rf"({_NAME})\s*\|?\s*(?:>=|<=|!=|==|[≥⩾≤⩽＞＜>≠<＝=])\s*$")
# `分档 受益人数：…` or a block's `分档 受益人数`: what the bands are over
_BANDS_HEAD = re.compile(r"\s*(?:分档|bands)\s+([^：:#]+?)\s*(?:[：:#]|$)")


def _measured_input(source: Source, line_text: str, line: int, at: int) -> str | None:
    """The input whose declaration would give the number at `at` its unit: the name compared with it (`若 受益人数
    ≥ 90 人…`), else in a band the 分档's subject; None when neither is an input's name (`分档 |a - b|`, a name
    defined by a formula, a range in a 若)."""
    compared = _COMPARED.search(line_text[:at])
    name = compared.group(1) if compared else _bands_subject(source, line_text, line)
    defined = spacing.declared_names(source.text) - spacing.input_names(source.text)
    return name if name and name not in keyword_spellings() and name not in defined else None


def _bands_subject(source: Source, line_text: str, line: int) -> str | None:
    """The name the bands of this line are over: its own 分档's or, for a band in a block, the block's heading's;
    of a compound 分档 (`是否按期完成、完成率`) the second, which the numbers compare."""
    head = _BANDS_HEAD.match(line_text) or _BANDS_HEAD.match(_enclosing_line(source, line, line_text))
    if not head:
        return None
    last = _top_level_parts(head.group(1))[-1]
    names = set(re.findall(rf"{_NAME}(?![\w“”‘’《》·]|\s*[（(])", last))  # a function's name: its arguments follow
    return names.pop() if len(names) == 1 else None


def _top_level_parts(subjects: str) -> list[str]:
    """The subjects of a 分档 split at the commas outside parentheses: a function's arguments stay together.

    >>> _top_level_parts("是否按期完成、max(受益人数, 0)")
    ['是否按期完成', 'max(受益人数, 0)']
    """
    parts, depth, start = [], 0, 0
    for index, char in enumerate(subjects):
        depth += (char in "（(") - (char in "）)")
        if depth == 0 and char in ",，、":
            parts.append(subjects[start:index])
            start = index + 1
    return parts + [subjects[start:]]


def _enclosing_line(source: Source, line: int, line_text: str) -> str:
    """The nearest line above indented less than this one (its block's heading), or ''."""
    indent = _indent_width(line_text)
    for number in range(line - 1, 0, -1):
        text = source.line(number)
        if text.strip() and not text.strip().startswith("#") and _indent_width(text) < indent:
            return text
    return ""


def _declared_unit(name: str, text: str) -> tuple[str, str] | None:
    """The kind and unit the text declares for an input in its statements (`受益人数：数量 人`: 数量, 人), or None."""
    found = re.search(rf"(?<![\w“”‘’《》·]){re.escape(name)}\s*[:：]\s*(数量|金额|count|money)\s+([^\W\d_]+)",
                      statements(text))
    return (_KIND_WORDS.get(found.group(1), found.group(1)), found.group(2)) if found else None


def _name_kind(word: str, text: str) -> str | None:
    """What a name is: an input of the text, a quantity it defines or a name an imported file declares; None if
    it is none of them."""
    if word in spacing.input_names(text):
        return "输入的名称"
    if word in spacing.declared_names(text):
        return "定义的量的名称"
    return "引用的文件里声明的名称" if word in glued.imported_names() else None


def _deduction_in_band(token, expected: set, span: Span) -> Diagnostic | None:
    """`若 违规 则 扣 2 分`: outside a band (whose `扣 N 分` is the points less N) an award says what it gives."""
    if token.type != "KW_DEDUCT" or not {"KW_FULL", "KW_GET"} <= expected:
        return None
    return Diagnostic("E101", "这里写得几分，不写扣几分。", span,
                      hint="写成 得 N 分（N 是分值减去扣的分）；扣几分只在分档的一档里写：≥ 90 人 扣 2 分。")


_WORD = re.compile(_NAME)


def _glued_words(source: Source, line_text: str, token, span: Span) -> Diagnostic | None:
    """The last word before the parser stopped that is names and keywords run together (`按期完成则得满分`,
    `提高得满分`): the lexer reads a letter or CJK run as one word, so it needs the spaces between them."""
    stop = span.column + (len(str(token)) if token.type == "NAME" else 0)
    known = spacing.declared_names(source.text) | glued.imported_names() | glued.known_units(source.text)
    for found in reversed(list(_WORD.finditer(line_text))):
        pieces = spacing.spaced(found.group(), known) if display_column(line_text, found.start()) < stop else None
        if pieces:
            word = Span(span.file, span.line, display_column(line_text, found.start()),
                        span.line, display_column(line_text, found.end()))
            quoted = "".join(f"“{piece}”" for piece in pieces)
            return Diagnostic("E101", f"{quoted}连在一起，读成了一个词“{found.group()}”。", word,
                              hint=f"在它们之间空一格：{' '.join(pieces)}。")
    return None


def _adjust_without_cap(line_text: str, span: Span) -> Diagnostic:
    """另扣/另加 with no cap (or 另加 with 扣完为止): the line needs the most it moves the score, or 另扣 its 扣完为止."""
    word = "加" if re.match(r"\s*(另加|also-add)", line_text) else "扣"
    written = re.match(r"\s*另[扣加]\s*(\S+?)\s*每项\s*([0-9.]+)", line_text)
    name, each = written.groups() if written else ("问题数", "0.5")
    stop = f"；扣到 0 为止的，写成 另扣 {name} 每项 {each} 分，扣完为止" if word == "扣" else ""
    return Diagnostic("E101", f"另{word}须写明最多{word}多少分。", span,
                      hint=f"写成 另{word} {name} 每项 {each} 分，最多{word} 2 分{stop}。")


def _has_parenthesised_name(line_text: str) -> bool:
    """`预算执行率（本级）（3）`: a heading whose name itself holds parentheses."""
    return re.match(r'\s*[^\s"（()）]+[（(][^）)]*[）)]\s*[（(]', line_text) is not None


def _heading_name(line_text: str) -> str:
    return re.sub(r"\s*[（(][^（()）]*[）)]\s*$", "", line_text.strip())


def _indent_width(line_text: str) -> int:
    return len(line_text) - len(line_text.lstrip(" \t"))


def _unclosed_parenthesis(text: str, offset: int) -> int | None:
    """Where the last parenthesis still open at `offset` was opened (quoted text skipped), or None."""
    opened: list[int] = []
    quoted = False
    for index, char in enumerate(text[:offset]):
        if char == '"':
            quoted = not quoted
        elif quoted:
            continue
        elif char in "（(":
            opened.append(index)
        elif char in "）)" and opened:
            opened.pop()
    return opened[-1] if opened else None


def _is_bare_heading(line_text: str) -> bool:
    """A line holding only a name: an indicator heading whose points were forgotten."""
    return re.fullmatch(r'\s*(?:"[^"]*"|[^\s"（()）:：=]+)\s*', line_text) is not None


def _keyword_used_as_name(source: Source, line: int) -> Diagnostic | None:
    """A line such as `目标（5）`: an indicator named exactly like a keyword must be quoted."""
    text = source.line(line)
    stripped = text.lstrip(" \t")
    for keyword in KEYWORDS:
        if stripped.startswith(keyword) and stripped[len(keyword):len(keyword) + 1] in ("（", "("):
            start = len(text) - len(stripped)
            if keyword in _BLOCK_VERBS:  # 逆向指标（最多扣 3 分）: the block meant, its cap in the table's words
                written_cap = _block_cap_in_words(source, line, keyword, start + len(keyword))
                if written_cap:
                    return written_cap
            span = Span(source.path, line, display_column(text, start), line,
                        display_column(text, start + len(keyword)))
            return Diagnostic("E101", f"“{keyword}”是关键字，不能直接用作指标名称。", span,
                              hint=f'给名称加上引号："{keyword}"{stripped[len(keyword):]}')
    return None


_BLOCK_VERBS = {"逆向指标": "扣", "扣分项": "扣", "penalties": "扣", "加分项": "加", "bonuses": "加"}


def _block_cap_in_words(source: Source, line: int, keyword: str, opened: int) -> Diagnostic | None:
    """E101 for `逆向指标（最多扣 3 分）`: a block's points are its cap, written alone, `逆向指标（3）`; quoting the
    keyword, as for an indicator named like one, would turn the block into an ordinary indicator."""
    text = source.line(line)
    inside = re.match(r"[（(]([^）)]*)[）)]", text[opened:])
    figures = re.findall(r"\d+(?:\.\d+)?", inside.group(1)) if inside else []
    if len(figures) != 1:
        return None
    verb = _BLOCK_VERBS[keyword]
    span = Span(source.path, line, display_column(text, opened), line, display_column(text, opened + inside.end()))
    return Diagnostic("E101", f"{keyword}的括号里只写这一块最多{verb}的分数。", span,
                      hint=f"写成 {keyword}（{figures[0]}）；括号里的分值就是整块最多{verb}的分。")


def _misspelled_line_start(source: Source, error_span: Span) -> Diagnostic | None:
    """E104 when the parser stopped right after a line's first word and that word looks like a keyword.

    `分当 比率` stops at 比率: 分当 was read as an indicator name; it is most likely 分档 misspelled.
    """
    line = error_span.line
    text = source.line(line)
    stripped = text.lstrip(" \t")
    word = re.match(r"[^\s:：（(，,]+", stripped)
    if not word or word.group(0) in KEYWORDS:
        return None
    after = text[len(text) - len(stripped) + len(word.group(0)):]
    if after[:1] in ("（", "(") or display_column(text, len(text) - len(after.lstrip())) != error_span.column:
        return None
    close = _closest_keyword(word.group(0))
    if not close:
        return None
    start = len(text) - len(stripped)
    span = Span(source.path, line, display_column(text, start), line, display_column(text, start + len(word.group(0))))
    return Diagnostic("E104", f"不认识的词“{word.group(0)}”。", span, hint=f"是不是“{close}”？")


def _closest_keyword(word: str) -> str | None:
    """The most similar keyword; ties go to the one sharing the longer beginning (分当 → 分档)."""
    def score(keyword: str) -> tuple[float, int]:
        prefix = len(os.path.commonprefix([word, keyword]))
        return difflib.SequenceMatcher(None, word, keyword).ratio(), prefix
    best = max(KEYWORDS, key=score)
    ratio, prefix = score(best)
    # Two-character words share one character easily: demand the same first character then.
    return best if ratio >= 0.67 or (ratio >= 0.5 and prefix >= 1) else None


def _suggest_keyword(word: str) -> str | None:
    """The keyword a misspelled word most resembles (the whole word, or the keyword it starts with)."""
    for keyword in sorted(KEYWORDS, key=len, reverse=True):
        if word.startswith(keyword) and len(word) > len(keyword):
            return f"{keyword} {word[len(keyword):]}"
    return _closest_keyword(word)


def dedent_diagnostic(source: Source, text: str, error: DedentError) -> Diagnostic:
    """E103 for a line whose indentation lines up with no open block."""
    line = _misaligned_line(text)
    width = len(source.line(line)) - len(source.line(line).lstrip(" \t"))
    span = Span(source.path, line, 1, line, width + 1)
    return Diagnostic("E103", "这一行的缩进与上面任何一层都对不齐。", span,
                      hint="同一层的行要对齐；下一层比上一层多缩进两个空格。")


def _misaligned_line(text: str) -> int:
    """The first line whose indentation closes a block to a depth no open block has."""
    stack = [0]
    for number, line in enumerate(text.split("\n"), start=1):
        stripped = line.lstrip(" \t")
        if not stripped or stripped.startswith("#"):
            continue
        width = len(line.expandtabs(4)) - len(stripped)
        if width > stack[-1]:
            stack.append(width)
            continue
        while width < stack[-1]:
            stack.pop()
        if width != stack[-1]:
            return number
    return 1
