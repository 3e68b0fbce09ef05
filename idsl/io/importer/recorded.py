"""A filled table's own figures (its score column): a recorded-scores file for `idsl audit`, and what is wrong in them."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from fractions import Fraction
from typing import Callable

import attrs

from idsl.check.awards import rule_ceiling
from idsl.check.context import build_context
from idsl.frontend.resolve import Loaded
from idsl.io.importer.cells import Place, digits
from idsl.io.importer.draft import Draft, RecordedScore
from idsl.io.importer.layout import RowFigure
from idsl.semantics.numbers import format_points

# Stable codes of the findings in a table's recorded figures (R: 记录得分), as the import summary prints them.
FINDINGS = {
    "R101": "a score cell that is no number",
    "R102": "a recorded score above the indicator's points (an item's cap) or below 0",
    "R103": "a recorded score above the most the drafted rule can award (E401's bound)",
    "R104": "a 小计 or 合计 that is not the sum of the rows it closes, an indicator's score not its children's sum",
    "R105": "a recorded 等级 that is not the grade the table's bands give its 合计",
}
_NUMBER = re.compile(r"[-+]?\d+(?:\.\d+)?")
_SIGNS = str.maketrans({"−": "-", "—": "-"})
_ITEMS = ("penalty", "bonus")  # a 逆向指标's or 加分项's item: its figure deducts or adds


@attrs.frozen
class Finding:
    """One thing wrong in the table's figures: its code, the indicator (or row) it is about, what and what to do."""

    code: str  # one of FINDINGS
    where: str  # the indicator's path as the summary shows it, or the row's own words (合计)
    row: Place  # the row of the file it is on
    message: str
    hint: str


def recorded_number(text: str) -> Decimal | None:
    """A score cell's number: `4`, `2.5`, `５分`, `-5`; None for anything else (blank, 五, 4/5).

    >>> recorded_number("２.５分"), recorded_number("-5"), recorded_number("五"), recorded_number("")
    (Decimal('2.5'), Decimal('-5'), None, None)
    """
    text = re.sub(r"\s+", "", digits(text).translate(_SIGNS)).removesuffix("分")
    return Decimal(text) if _NUMBER.fullmatch(text) else None


def left_blank(text: str) -> bool:
    """A score cell left empty or marked as such: `—`, `-`, `/`, `——`, as tables mark a row with nothing recorded.

    >>> [left_blank(t) for t in ("", " — ", "/", "－－", "0", "-5")]
    [True, True, True, True, False, False]
    """
    return not re.sub(r"[\s\-—–－/／]", "", text)


def has_figures(draft: Draft) -> bool:
    """Whether the table records any score: a filled score cell on an indicator, an item or a 小计/合计/等级 row."""
    return bool(draft.figures) or any(not left_blank(score.text) for score in draft.scores)


def recorded_json(draft: Draft) -> bytes:
    """The recorded-scores file `idsl audit … --recorded` reads: each figure under the key naming it in the draft
    (an indicator's or item's name, a block's name for its 小计, a section's for the 小计 closing it, 小计, 总分,
    等级), in table order; a cell that is no number is left out (the summary names it). Where an indicator's own
    row and a 小计 both record its score, its own row's is written (R104 says which one is off)."""
    entries: list[tuple[Place, str, str]] = []
    for score in draft.scores:
        number = recorded_number(score.text)
        if number is not None:
            entries.append((score.row, score.key, _json_number(number)))
    for figure in draft.figures:
        key = _figure_key(draft, figure)
        if key == "等级":
            entries.append((figure.row, key, json.dumps(figure.text.strip(), ensure_ascii=False)))
        elif key is not None and (number := recorded_number(figure.text)) is not None:
            entries.append((figure.row, key, _json_number(number)))
    written: dict[str, str] = {}
    for _, key, value in sorted(entries, key=lambda entry: entry[0]):
        written.setdefault(key, value)
    lines = [f"  {json.dumps(key, ensure_ascii=False)}: {value}" for key, value in written.items()]
    return ("{\n" + ",\n".join(lines) + "\n}\n").encode("utf-8")


def _json_number(number: Decimal) -> str:
    """A number as JSON writes it, exactly as the table prints it (no binary float in between)."""
    return format(number.normalize(), "f") if number == number.to_integral_value() else format(number, "f")


def _figure_key(draft: Draft, figure: RowFigure) -> str | None:
    """What a 小计 / 合计 / 等级 row is called in a recorded-scores file: 等级, 总分, 小计 when it closes the
    whole tree, a block's name when it closes that block's items, a section's name when it closes that section's
    leaves; None for a 小计 closing anything else (no key names it)."""
    if figure.kind in ("等级", "合计"):
        return "等级" if figure.kind == "等级" else "总分"
    closed = _closed(draft, figure)
    leaves = [s for s in draft.scores if s.kind == "score"]
    if not closed:
        return None
    if closed == leaves:
        return "小计"
    blocks = {s.path[0] for s in closed if s.kind in _ITEMS}
    if len(blocks) == 1 and all(s.kind in _ITEMS for s in closed):
        block = blocks.pop()
        if closed == [s for s in draft.scores if s.kind in _ITEMS and s.path[0] == block]:
            return block
    return _section(draft, closed, leaves)


def _section(draft: Draft, closed: list[RecordedScore], leaves: list[RecordedScore]) -> str | None:
    """The name of the indicator whose leaves are the rows a 小计 closes (the outermost, where an indicator is
    its parent's only child), or None."""
    for branch in (s for s in draft.scores if s.kind == "branch"):  # table order: a parent before its children
        if [s for s in leaves if s.path[:len(branch.path)] == branch.path] == closed:
            return branch.key
    return None


def _closed(draft: Draft, figure: RowFigure) -> list[RecordedScore]:
    """The leaves and items between the figure before and this one (an indicator's own score adds up its leaves);
    a 小计 that names its section (过程小计) only that section's, though no 小计 closed the section before it."""
    rows = [s for s in draft.scores if s.kind != "branch" and (figure.since is None or figure.since < s.row)
            and s.row < figure.row]
    section = _named_section(figure.label, rows)
    return [s for s in rows if s.path[:len(section)] == section] if section else rows


def _named_section(label: str, rows: list[RecordedScore]) -> tuple[str, ...] | None:
    """The indicator a 小计's words name (过程小计, 小计（过程）: 过程), as a path among the rows' paths; None when
    they name none (小计, 逆向指标小计: a block's items are told apart by their kind)."""
    name = re.sub(r"[\s（）()：:]|小计", "", label)
    for score in rows:
        if name and score.kind not in _ITEMS and name in score.path[:-1]:
            return score.path[:score.path.index(name) + 1]
    return None


def findings(draft: Draft, loaded: Loaded | None, grade_of: Callable[[Decimal], str | None] | None) -> list[Finding]:
    """What is wrong in the table's figures: a cell that is no number, a score outside 0 … points, a score the
    drafted rule cannot give, an indicator's score that is not its children's sum, a 小计 or 合计 that is not its
    rows' sum, a 等级 its 合计 does not have; in the order of the rows they cite.
    `loaded`: the draft as checked (None when it does not load); `grade_of`: the draft's grade of a total."""
    ceilings = _ceilings(loaded)
    found = []
    for score in draft.scores:
        found.extend(_score_findings(score, ceilings.get(score.path)))
        if score.kind == "branch":
            found.extend(_branch_findings(draft, score))
    for figure in draft.figures:
        if figure.kind == "等级":
            found.extend(_grade_findings(draft, figure, grade_of))
        else:
            found.extend(_sum_findings(draft, figure))
    return sorted(found, key=lambda finding: finding.row)  # stable: a row's own findings keep their order


def _ceilings(loaded: Loaded | None) -> dict[tuple[str, ...], Fraction]:
    """The most each drafted rule can award, where the checker bounds it (E401's figure)."""
    if loaded is None or loaded.spec is None:
        return {}
    context = build_context(loaded.spec, loaded.sources)
    found = {}
    for leaf in context.leaves:
        ceiling = rule_ceiling(leaf, context)
        if ceiling is not None:
            found[leaf.path] = ceiling
    return found


def _score_findings(score: RecordedScore, ceiling: Fraction | None) -> list[Finding]:
    where = " › ".join(score.path)
    if left_blank(score.text):
        return []
    number = recorded_number(score.text)
    if number is None:
        return [Finding("R101", where, score.row, f"{score.row}的得分“{score.text}”不是一个数，没有写进记录得分。",
                        "改成一个数（如 4 或 2.5）后再导入，或在记录得分文件中补上。")]
    shown = format_points(abs(number) if score.kind in _ITEMS else number)
    points = score.points
    if score.kind in _ITEMS:
        word = "扣分" if score.kind == "penalty" else "加分"
        if points is not None and abs(number) > points:
            return [Finding("R102", where, score.row, f"记录的{word} {shown} 分超过这一项的上限 {format_points(points)} 分。",
                            f"{word}不能超过上限：核对这一项的{word}。")]
        number = abs(number)
    elif number < 0:
        return [Finding("R102", where, score.row, f"记录的得分 {shown} 分低于 0 分。", "得分在 0 分和指标分值之间：核对这一项的得分。")]
    elif points is not None and number > points:
        return [Finding("R102", where, score.row, f"记录的得分 {shown} 分超过指标分值 {format_points(points)} 分。",
                        "得分不能超过指标分值：核对这一项的得分。")]
    if ceiling is not None and number > ceiling:
        return [Finding("R103", where, score.row, f"记录的得分 {shown} 分，而草稿的规则最多只能给 {format_points(ceiling)} 分。",
                        "原表的评分标准给不出这个分数：核对得分，或评分标准是否漏写了要素、分档（见 E401）。")]
    return []


def _sum_findings(draft: Draft, figure: RowFigure) -> list[Finding]:
    """A 小计 or 合计 that is not the sum of the rows it closes: leaves add, penalty items deduct, bonus items add;
    a 小计 of penalty (or bonus) items alone is their total. Checked only when every leaf it closes has a number (an item
    left blank deducts nothing)."""
    number = recorded_number(figure.text)
    where = f"{figure.label}（{figure.row}）"
    if left_blank(figure.text):
        return []
    if number is None:
        return [Finding("R101", where, figure.row, f"{figure.row}“{figure.label}”的得分“{figure.text}”不是一个数。",
                        "改成一个数后再导入。")]
    closed = [s for s in _closed(draft, figure) if s.kind == "score" or not left_blank(s.text)]
    values = [recorded_number(s.text) for s in closed]
    if not closed or None in values:
        return []  # nothing to add up, or a cell already reported
    if all(s.kind in _ITEMS for s in closed) and len({s.kind for s in closed}) == 1:
        total, number, what = sum((abs(v) for v in values), Decimal(0)), abs(number), "所列各项之和"
    else:
        total = sum((v if s.kind == "score" else abs(v) if s.kind == "bonus" else -abs(v) for s, v in zip(closed, values)),
                    Decimal(0))
        what = "各指标得分之和" + ("减去扣分" if any(s.kind == "penalty" for s in closed) else "")
    if total == number:
        return []
    return [Finding("R104", where, figure.row, f"记为 {format_points(number)} 分，而它合计的 {len(closed)} 行{what}是 "
                                               f"{format_points(total)} 分。", "核对这一行和它上面各行的得分。")]


def _branch_findings(draft: Draft, branch: RecordedScore) -> list[Finding]:
    """A level-1 or level-2 indicator's recorded score that is not the sum of its children's: each child's own
    score, or a child's left blank, the sum of its own children's. Checked only when every leaf under it has a
    number."""
    number = recorded_number(branch.text)
    children = _children(draft, branch)
    values = [_recorded_sum(draft, child) for child in children]
    if number is None or not children or None in values:
        return []  # nothing recorded, or a cell already reported or left blank
    total = sum(values, Decimal(0))
    if total == number:
        return []
    return [Finding("R104", " › ".join(branch.path), branch.row,
                    f"记为 {format_points(number)} 分，而它的 {len(children)} 个下级指标得分之和是 {format_points(total)} 分。",
                    "核对这一项和它下级指标的得分。")]


def _children(draft: Draft, branch: RecordedScore) -> list[RecordedScore]:
    """The indicators one level below a branch (not the items of a block of the same name)."""
    return [s for s in draft.scores if s.kind in ("score", "branch") and s.path[:-1] == branch.path]


def _recorded_sum(draft: Draft, score: RecordedScore) -> Decimal | None:
    """An indicator's recorded score: its own cell, or a blank branch's, its children's sum; None where a leaf has
    none."""
    if score.kind == "score" or not left_blank(score.text):
        return recorded_number(score.text)
    values = [_recorded_sum(draft, child) for child in _children(draft, score)]
    return None if not values or None in values else sum(values, Decimal(0))


def _grade_findings(draft: Draft, figure: RowFigure, grade_of) -> list[Finding]:
    """The recorded 等级 against the grade the draft's bands give the recorded 合计."""
    totals = [recorded_number(f.text) for f in draft.figures if f.kind == "合计"]
    if grade_of is None or not totals or totals[-1] is None:
        return []
    grade, expected = figure.text.strip(), grade_of(totals[-1])
    if expected is None or grade == expected:
        return []
    return [Finding("R105", f"等级（{figure.row}）", figure.row,
                    f"记为“{grade}”，而按表中的等级划分，合计 {format_points(totals[-1])} 分是“{expected}”。",
                    "核对等级，或合计。")]


__all__ = ["FINDINGS", "Finding", "findings", "has_figures", "left_blank", "recorded_json", "recorded_number"]
