"""Syntax errors for what authors paste from Word or type as the tables do: an unseen space, a tab, 一个百分点, 90分."""

from __future__ import annotations

import re

from idsl.diagnostics import Diagnostic
from idsl.frontend.source import Source, Span, display_column

__all__ = ["included_in_band", "kind_without_unit", "numbered_item", "option_with_get", "percentage_points",
           "points_in_example", "points_in_grades", "tab_indent", "table_words", "unseen"]


# Characters text pasted from Word or a web page carries that look like a space or like nothing at all: quoting
# one (“ ”, “​”) would show the reader nothing wrong, so the message names it by its code point.
_UNSEEN = {"\u00a0": "不间断空格", "\u202f": "窄不间断空格", "\u2007": "数字空格", "\u200b": "零宽空格",
           "\u200c": "零宽不连字", "\u200d": "零宽连字", "\u2060": "零宽不换行", "\ufeff": "零宽不换行空格（BOM）"}


def unseen(char: str, span: Span) -> Diagnostic | None:
    """E106 for a no-break or zero-width space: what it is, and to type a plain space or delete it."""
    if char not in _UNSEEN:
        return None
    name = f"U+{ord(char):04X}（{_UNSEEN[char]}）"
    if char in "\u00a0\u202f\u2007":
        return Diagnostic("E106", f"这里有一个 {name}，看起来像空格，却不是。", span,
                          hint="多是从 Word 或网页复制带进来的：删去它，换成普通的半角空格。")
    return Diagnostic("E106", f"这里有一个看不见的字符 {name}。", span,
                      hint="多是从 Word 或网页复制带进来的：删去它（光标移过它时会多停一下）。")


# 每降低一个百分点扣0.5分: a step the tables write in words, which the parser stops on at it or after it
_POINTS_WORDS = re.compile(r"([一二两三四五六七八九十]+)\s*个?百分点")
_NUMERALS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}


def percentage_points(source: Source, span: Span) -> Diagnostic | None:
    """E101 at a step written 一个百分点 on the line the parser stopped on (where it stopped or before): the step
    is a percentage, 1%."""
    line_text = source.line(span.line)
    found = _POINTS_WORDS.search(line_text)
    if found is None or display_column(line_text, found.start()) > span.column:
        return None
    figure = _NUMERALS.get(found.group(1), "N")
    at = Span(span.file, span.line, display_column(line_text, found.start()),
              span.line, display_column(line_text, found.end()))
    before = re.split(r"[；;：:]", line_text[:found.start()])[-1].strip()
    after = re.split(r"[；;]", line_text[found.end():])[0].strip()
    return Diagnostic("E101", f"“{found.group()}”要写成百分数。", at,
                      hint=f"比率按百分数书写：写成 {before} {figure}% {after}。")


# `输入 工程数：数量` (or `金额`) with nothing after the kind before the line's end or the next input
_KIND_AT_END = re.compile(r"([^\s：:，,、]+)\s*[：:]\s*(数量|金额|count|money)\s*$")


def kind_without_unit(text: str, token, expected: set, span: Span) -> Diagnostic | None:
    """E101 for a count or an amount declared without its unit, which the grammar needs next (`数量 处`, `金额 万元`)."""
    separator = token.type == "_SEP" or (token.type in ("TEXT", "LABEL") and str(token)[:1] in "，,")  # next input
    if not (separator or token.type == "_NL") or "NAME" not in expected or token.start_pos is None:
        return None
    before = text[text.rfind("\n", 0, token.start_pos) + 1: token.start_pos]
    found = _KIND_AT_END.search(before)
    if found is None:
        return None
    name, kind = found.groups()
    span = Span(span.file, span.line, display_column(before, found.start(2)),
                span.line, display_column(before, found.end(2)))
    if kind in ("数量", "count"):
        return Diagnostic("E101", f"“{name}”是数量，没有写单位。", span,
                          hint=f"在“数量”后写计数的单位，例如 {name}：数量 处（人、个、项……）；不带单位的数写 {name}：数值。")
    return Diagnostic("E101", f"“{name}”是金额，没有写单位。", span,
                      hint=f"在“金额”后写货币单位，例如 {name}：金额 万元（元、千元、万元、百万元、亿元）。")


# `等级 优：90分以上；良：80-89分`: a grade's ends are figures of the total, written without 分
_GRADES_LINE = re.compile(r"\s*(?:等级|grades)(?!不高于)\s")
_FIGURE_POINTS = re.compile(r"([0-9])\s*分(?![数值])\s*")


def points_in_grades(line_text: str, span: Span) -> Diagnostic | None:
    """E101 on a 等级 line whose ends carry 分 (90分以上): the line rewritten without it, which the checker then
    holds to covering the total once (E407, E408)."""
    first = _FIGURE_POINTS.search(line_text) if _GRADES_LINE.match(line_text) else None
    if first is None:
        return None
    at = line_text.index("分", first.start())
    span = Span(span.file, span.line, display_column(line_text, at), span.line, display_column(line_text, at + 1))
    fixed = _FIGURE_POINTS.sub(lambda m: f"{m.group(1)} ", line_text.strip())
    fixed = re.sub(r" +([；;，,。）)])", r"\1", fixed).strip()
    return Diagnostic("E101", "等级的分数后面不写“分”。", span, hint=f"写成 {fixed}")


# `期望 受益人口 = 8 分`, `设 绩效目标合理性 = 5 分`: a worked example's score, written as the tables print it
_EXAMPLE_POINTS = re.compile(r"(\s*(?:设|期望|set|expect)\s.*?[=＝]\s*[-－−]?[0-9.]+)\s*分\s*$")


def points_in_example(line_text: str, token, span: Span) -> Diagnostic | None:
    """E101 at the 分 after a worked example's score (the parser stops on it): the line without it."""
    found = _EXAMPLE_POINTS.match(line_text) if token.type == "FEN" else None
    if found is None:
        return None
    return Diagnostic("E101", "示例里的分数后面不写“分”。", span, hint=f"写成 {found.group(1).strip()}。")


def tab_indent(line_text: str) -> str:
    """E103's words for a line indented with a tab, which an editor may show as 2 or 8 spaces: aligned there only."""
    indent = line_text[: len(line_text) - len(line_text.lstrip(" \t"))]
    return "这一行用制表符缩进（一个算 4 个空格，编辑器里看着对齐未必对齐）：请全用空格缩进。" if "\t" in indent else ""


def included_in_band(span: Span) -> Diagnostic:
    """（含） where no band's end is: it marks an end of a range or of 以上/以下, and a comparison says it itself."""
    return Diagnostic("E101", "“（含）”只标在分档条件的端点上，如 80%（含）～90%、90%（含）以上。", span,
                      hint="比较已写明是否含端点：≥、≤ 含，>、< 不含；这里删去“（含）”。")


# `1. 项目立项是否…` under 要素 (or a 问卷's question): the tables number their elements, idsl starts each with `- `
_NUMBERED = re.compile(r"(\s*)(?:[0-9]+|[①-⑳]|[（(][0-9]+[）)])\s*[.．、)）]?\s*(\S.*)")


def numbered_item(source: Source, expected: set, span: Span) -> Diagnostic | None:
    """E101 for a checklist element or a question written with its number, where a line starting `- ` is wanted."""
    line_text = source.line(span.line)
    found = _NUMBERED.fullmatch(line_text) if "DASH" in expected else None
    if found is None:
        return None
    span = Span(span.file, span.line, display_column(line_text, found.end(1)),
                span.line, display_column(line_text, found.start(2)))
    return Diagnostic("E101", "要素和问卷的每一项以“- ”开头，不写序号。", span,
                      hint=f"写成 - {found.group(2).strip()}（序号由 idsl 生成）。")


# `按期完成：得10分`: an option's points written as the tables write them
_OPTION_GET = re.compile(r"\s*([^：:#\-\s][^：:]*)[：:]\s*(?:得|计)\s*([0-9.]+)\s*分?\s*(?:#.*)?")


def option_with_get(line_text: str, token, span: Span) -> Diagnostic | None:
    """E101 at an option's 得 (得10分): the points are written bare, 按期完成：10 分."""
    found = _OPTION_GET.fullmatch(line_text) if token.type == "KW_GET" else None
    if found is None:
        return None
    return Diagnostic("E101", "选项的分数直接写数字，不写“得”。", span,
                      hint=f"写成 {found.group(1).strip()}：{found.group(2)} 分。")


# `体系 2024年度…评价 总分 100`: the title the tables print, without the quotes a title starting with a digit needs
_BARE_TITLE = re.compile(r"\s*(体系|system)\s+([^\"\s][^\"]*?)\s+(总分|total)\s+(\S+)\s*")
# `体系 "…" 总分：100`: the total written as a form's field, with a colon
_TOTAL_COLON = re.compile(r"(\s*(?:体系|system)\s.*?(?:总分|total))\s*[：:]\s*(\S+)\s*")
# `目标 实际数 ≥ 12处，未完成按比例得分`: the table's words for what 目标 does anyway (第十六条)
_TARGET_PRORATA = re.compile(r"(\s*(?:目标|target)\s[^，,]*?)\s*[，,]\s*([^，,#]*比例[^，,#]*)")


def table_words(line_text: str, span: Span) -> Diagnostic | None:
    """E101 for a title without its quotes, 总分：100, and a 目标 followed by 未完成按比例得分, which it does already."""
    title = _BARE_TITLE.fullmatch(line_text)
    if title is not None:
        return Diagnostic("E101", "体系的标题要加引号。", span,
                          hint=f'写成 {title.group(1)} "{title.group(2)}" {title.group(3)} {title.group(4)}。')
    colon = _TOTAL_COLON.fullmatch(line_text)
    if colon is not None:
        return Diagnostic("E101", "总分后面不写冒号。", span, hint=f"写成 {colon.group(1).strip()} {colon.group(2)}。")
    prorata = _TARGET_PRORATA.match(line_text)
    if prorata is not None:
        return Diagnostic("E101", f"“{prorata.group(2)}”不用写：目标未达到时本就按完成比例得分（第十六条）。", span,
                          hint=f"写成 {prorata.group(1).strip()}；未达到不得分的，在后面写“，未达标不得分”。")
    return None
