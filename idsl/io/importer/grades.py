"""A table's 等级 row read into the `等级` line, with a comment where the table leaves a grade's boundary unsaid."""

from __future__ import annotations

import re
from decimal import Decimal

import attrs

from idsl.frontend import ast
from idsl.frontend.band_ends import marked_range, open_end, yield_marked_ends
from idsl.frontend.source import NOWHERE
from idsl.io.importer.cells import digits
from idsl.semantics.numbers import format_points

_N = r"(\d+(?:\.\d+)?)"
_MARK = r"([（(]不?含[)）])?"
_NAME = r"([\u4e00-\u9fff]{1,4}?|[A-E])"
_TO = r"\s*(?:分\s*)?[-—～~至]\s*"
_SIGN = r"(≥|>|＞|≤|<|＜)\s*"
# 80（含）-90分为良, 良 80-90分, 良：80～90分（含）; 90分以上为优, 优 90分（含）以上; 60分以下为差, 差：60分及以下;
# 优：≥90分, ≥90分为优; 差：<60分
_RANGE_AFTER = re.compile(rf"{_N}{_MARK}{_TO}{_N}{_MARK}分?{_MARK}为{_NAME}")
_RANGE_FIRST = re.compile(rf"{_NAME}[：:\s]*[（(]?{_N}{_MARK}{_TO}{_N}{_MARK}分?{_MARK}[)）]?")
_OPEN_AFTER = re.compile(rf"{_N}{_MARK}分?{_MARK}(及)?(以上|以下)为{_NAME}")
_OPEN_FIRST = re.compile(rf"{_NAME}[：:\s]*[（(]?{_N}{_MARK}分?{_MARK}(及)?(以上|以下)[)）]?")
_SIGN_AFTER = re.compile(rf"{_SIGN}{_N}分?为{_NAME}")
_SIGN_FIRST = re.compile(rf"{_NAME}[：:\s]*[（(]?{_SIGN}{_N}分?[)）]?")
_PIECES = re.compile(r"[、，,；;。]")
# The grade names specs use, in the tiers tables write them: a row of these alone, each with its range, is the 等级 row.
_USUAL_NAMES = frozenset(("优", "良", "中", "差", "优秀", "良好", "中等", "一般", "较差", "合格", "不合格", "及格", "不及格",
                          "A", "B", "C", "D", "E"))


@attrs.frozen
class _Grade:
    """One grade as the table writes it: a range (low, high) or one open end (以上 / 以下), each end's mark."""

    name: str
    low: Decimal | None
    high: Decimal | None
    low_mark: str = ""  # 含, 不含, 及 (及以上), or "" when the table says nothing
    high_mark: str = ""
    written: str = ""  # the piece of the row it was read from


def grade_lines(text: str, total: Decimal | None) -> list[str]:
    """The `等级` line of a table's 等级 row (the usual 90% / 80% / 60% of the total when it has none), after a
    comment where the row leaves a boundary unsaid (80-90分) and the usual reading is assumed: each range from its
    lower end, held, up to its upper end, not held, the highest range up to the total.

    >>> grade_lines("等级（90（含）-100分为优、80（含）-90分为良、80分以下为差）", Decimal(100))
    ['等级 优：总分 ≥ 90；良：80 ≤ 总分 < 90；差：总分 < 80']
    >>> grade_lines("等级 (90 (含) -100 分为优、80 (含) -90 分为良、60 (含) -80 分为中、60 分以下为差)", Decimal(100))
    ['等级 优：总分 ≥ 90；良：80 ≤ 总分 < 90；中：60 ≤ 总分 < 80；差：总分 < 60']
    >>> for line in grade_lines("等级：优 90分以上，良 80-90分，差 80分以下", Decimal(100)): print(line)
    # 等级：原表“良 80-90分”“差 80分以下”没有写明端点是否在内，按惯例读作含下限、不含上限，请核对。
    等级 优：总分 ≥ 90；良：80 ≤ 总分 < 90；差：总分 < 80
    """
    grades = _read(text)
    if grades is None:
        return _usual(text, total)
    *ranges, bottom = _meet(sorted((g for g in grades if g.low is not None), key=lambda g: -g.low)
                            + [next(g for g in grades if g.low is None)])
    lines = [f"{ranges[0].name}：总分 {'>' if ranges[0].low_mark == '不含' else '≥'} {format_points(ranges[0].low)}"]
    lines += [f"{g.name}：{_range(g)}" for g in ranges[1:]]
    lines.append(f"{bottom.name}：总分 {_bottom_op(ranges, bottom)} {format_points(bottom.high)}")
    return _unsaid(ranges, bottom) + ["等级 " + "；".join(lines)]


def names_grades(text: str) -> bool:
    """Whether a cell is a 等级 row though it neither starts with 等级 nor says 为优: the usual grade names (优/良/中/差,
    优秀/良好/合格/不合格, A/B/C/D …), each followed by its range, and nothing else.

    >>> names_grades("优 90分以上，良 80-90分，中 60-80分，差 60分以下"), names_grades("A：≥90分；B：80～90分；C：<80分")
    (True, True)
    >>> names_grades("好 90分以上，坏 90分以下"), names_grades("优：工作完成出色；良：基本完成"), names_grades("优 9-10分")
    (False, False, False)
    """
    grades = _read(text)
    return grades is not None and all(grade.name in _USUAL_NAMES for grade in grades)


def names_grades_label(text: str) -> bool:
    """Whether a cell is the label of a 等级 row whose grades stand in the cells after it: 等级, 评价等级, 综合评价等级,
    绩效评价等级, 等级划分 (a name of the grades alone, not an indicator such as 信用等级).

    >>> names_grades_label("评价等级"), names_grades_label("综合评价等级："), names_grades_label("等级")
    (True, True, True)
    >>> names_grades_label("信用等级"), names_grades_label("评价等级（10分）"), names_grades_label("等级：优 90分以上")
    (False, False, False)
    """
    return _LABEL.fullmatch(text.strip()) is not None


_LABEL = re.compile(r"(?:综合|总体|绩效)?(?:评价|评定|考核)?(?:结果)?等级(?:划分|标准|评定)?\s*[：:]?")


def _meet(ordered: list[_Grade]) -> list[_Grade]:
    """The grades, highest first, each unmarked end taking the side its neighbour's marked end leaves: 良 80-90分 under
    优 >90分 holds 90, over 差 ≤80分 leaves 80 to 差 (read as usual, 90 would have no grade and 80 two)."""
    out = list(ordered)
    for at in range(len(out) - 1):
        upper, lower = out[at], out[at + 1]
        if upper.low != lower.high:
            continue
        if upper.low_mark == "不含" and not lower.high_mark:
            out[at + 1] = attrs.evolve(lower, high_mark="含")
        if lower.high_mark in ("含", "及") and not upper.low_mark:
            out[at] = attrs.evolve(upper, low_mark="不含")
    return out


def _unsaid(ranges: list[_Grade], bottom: _Grade) -> list[str]:
    """The comment on the boundaries the row leaves unsaid: ranges with neither end marked, and an unmarked N分以下
    under a grade starting at N unmarked (60-80分 or 60分以上), where N is given to the grade above."""
    unmarked = [g for g in ranges if g.high is not None and not (g.low_mark or g.high_mark)]
    above = next((g for g in ranges if g.low == bottom.high and not g.low_mark and not bottom.high_mark), None)
    said = unmarked + ([above] if above and above not in unmarked else []) + ([bottom] if above else [])
    if not said:
        return []
    reading = "读作含下限、不含上限" + ("（最高一档含上限）" if unmarked and unmarked[0] is ranges[0] else "") \
        if unmarked else f"把 {format_points(bottom.high)} 分归入{above.name}"
    quoted = "".join(f"“{g.name} {g.written}”" for g in said)
    return [f"# 等级：原表{quoted}没有写明端点是否在内，按惯例{reading}，请核对。"]


def _usual(text: str, total: Decimal | None) -> list[str]:
    scale = (total or Decimal(100)) / 100
    cut = [format_points(scale * v) for v in (90, 80, 60)]
    said = f"原表写作“{' '.join(text.split())}”，未能读出" if text.strip() else "表中没有写出"
    return [f"# 等级：{said}，按常用的 90% / 80% / 60% 写出，请核对。",
            f"等级 优：总分 ≥ {cut[0]}；良：{cut[1]} ≤ 总分 < {cut[0]}；中：{cut[2]} ≤ 总分 < {cut[1]}；差：总分 < {cut[2]}"]


def _range(grade: _Grade) -> str:
    """A middle grade's range: its lower end held unless written （不含）, its upper end only when written （含）."""
    low = "<" if grade.low_mark == "不含" else "≤"
    high = "≤" if grade.high_mark == "含" else "<"
    return f"{format_points(grade.low)} {low} 总分 {high} {format_points(grade.high)}"


def _bottom_op(ranges: list[_Grade], bottom: _Grade) -> str:
    """The lowest grade's N分以下 read as the language reads 以下 (§11.3): N held unless the range above holds it,
    always held when written N分及以下 or N（含）分以下, never when written N（不含）分以下."""
    if bottom.high_mark == "不含":
        return "<"
    how = {"及": "and", "含": "marked"}.get(bottom.high_mark, "")
    held = [marked_range(ast.Num(g.low), ast.Num(g.high), g.low_mark != "不含", False, NOWHERE)
            for g in ranges if g.high is not None]
    top = ranges[0]
    if top.high is None and top.low_mark != "不含":  # 60分以上 holds 60 as a range's lower end does
        held.append(open_end(ast.Num(top.low), True, "marked", NOWHERE))
    lowest = yield_marked_ends([*held, open_end(ast.Num(bottom.high), False, how, NOWHERE)])[-1]
    return "≤" if lowest.ops[0] == "<=" else "<"


def _read(text: str) -> list[_Grade] | None:
    """The grades of a 等级 row, None unless every piece reads as one and they are ranges or 以上 over one 以下."""
    body = re.sub(r"^\D*?等级\s*[：:]?\s*", "", digits(text).strip())
    if body.startswith(("（", "(")) and body.endswith(("）", ")")):
        body = body[1:-1]
    pieces = [re.sub(r"\s+", "", p) for p in _PIECES.split(body) if p.strip()]  # 90 (含) -100 分为优
    grades = [_piece(p) or _piece(p[p.rfind("：") + 1:]) for p in pieces]  # 评价等级：90分以上为优
    if len(grades) < 2 or None in grades:
        return None
    open_above = [g for g in grades if g.high is None]
    if [g.low is None for g in grades].count(True) != 1 or len(open_above) > 1:
        return None
    if open_above and open_above[0].low != max(g.low for g in grades if g.low is not None):
        return None  # 以上 on a grade below another
    return grades


def _piece(piece: str) -> _Grade | None:
    for pattern, name_first in ((_RANGE_AFTER, False), (_RANGE_FIRST, True)):
        found = pattern.fullmatch(piece)
        if found:
            name, (low, low_mark, high, high_mark, unit_mark), written = _named(found.groups(), name_first, piece)
            return _Grade(name, Decimal(low), Decimal(high), _mark(low_mark), _mark(high_mark or unit_mark), written)
    for pattern, name_first in ((_SIGN_AFTER, False), (_SIGN_FIRST, True)):
        found = pattern.fullmatch(piece)
        if found:
            return _signed(found.groups(), name_first, piece)
    for pattern, name_first in ((_OPEN_AFTER, False), (_OPEN_FIRST, True)):
        found = pattern.fullmatch(piece)
        if found:
            name, (value, mark, unit_mark, also, side), written = _named(found.groups(), name_first, piece)
            held = "及" if also else _mark(mark or unit_mark)
            if side == "以上":
                return _Grade(name, Decimal(value), None, held, written=written)
            return _Grade(name, None, Decimal(value), high_mark=held, written=written)
    return None


def _signed(groups: tuple[str, ...], name_first: bool, piece: str) -> _Grade:
    """A grade written with a sign, ≥90分 or <60分: its one end, held or not as the sign says."""
    name, (sign, value), written = _named(groups, name_first, piece)
    held = "含" if sign in "≥≤" else "不含"
    if sign in "≥>＞":
        return _Grade(name, Decimal(value), None, held, written=written)
    return _Grade(name, None, Decimal(value), high_mark=held, written=written)


def _named(groups: tuple[str, ...], name_first: bool, piece: str) -> tuple[str, tuple[str, ...], str]:
    """A grade piece's name (first, 优 90分以上, or last, 90分以上为优), its other groups, and its ends as written."""
    if name_first:
        return groups[0], groups[1:], piece[len(groups[0]):].lstrip("：: ")
    return groups[-1], groups[:-1], piece[:piece.rindex("为")]


def _mark(written: str | None) -> str:
    return written.strip("（）()") if written else ""


__all__ = ["grade_lines", "names_grades", "names_grades_label"]
