"""Where a rule's bands overlap and award differently (E404), and the edit of a band's words that clears it."""

from __future__ import annotations

import itertools
import math
import re
from fractions import Fraction
from typing import Iterator

import attrs

from idsl.frontend import ast
from idsl.check.context import Context
from idsl.check.dims import Dim
from idsl.check.intervals import Interval, IntervalSet, infinite
from idsl.check.notation import format_bound, format_interval, source_text
from idsl.check.rules import analyse_bands, outcome_at
from idsl.diagnostics import Diagnostic, Label
from idsl.frontend.band_ends import marked_range, open_end, yield_marked_ends
from idsl.frontend.printer_text import Unprintable, format_cond
from idsl.semantics.domains import whole_numbers


def overlaps(rule: ast.Bands, facts, subject: str, dim: Dim, leaf, points: Fraction, context: Context):
    """E404 at each value two bands award differently, with the edit of a band's words that clears it."""
    found = list(conflicts(rule, facts, points, leaf))
    edits = _clearing_edits(rule, facts, found, leaf, points, context, dim)
    for first, second, part in found:
        text = format_interval(part, subject, dim)
        hint = edits.get(part.lo) if part.is_point else None
        yield Diagnostic("E404", f"{text} 同时落在两档，两档给分不同。", second.span, leaf.path,
                         hint=hint or _overlap_hint(part, subject, dim, marks_ends(rule)),
                         labels=(Label(first.span, "与这一档重叠"),))


def _clearing_edits(rule: ast.Bands, facts, found, leaf, points: Fraction, context: Context, dim: Dim) -> dict:
    """The hint of each point where two bands overlap, naming an edit of a band's words that clears it. The hints of
    one rule agree: an edit that clears every such point is named at each of them (`90%及以上…60%～90%…60%及以下`:
    把“60%～90%”写成“60% < 达标率 < 90%”); otherwise the edits are planned together, one per band, and each hint
    names its own edit, the other points that edit clears too, and the edits the other points need, each said once
    for the points it clears."""
    at = {part.lo: format_bound(part.lo, dim) for _, _, part in found if part.is_point}
    trial = _Trial(rule, facts, leaf, points, context)
    if len(at) > 1:
        bands = [band for band in rule.bands if any(_holds(band, lo, found) for lo in at)]
        shared = trial.edit(bands, tuple(at))
        if shared is not None:
            return {lo: f"{text} 只能属于一档：{shared[2]}（这一处修改也让 {_others(at, lo)} 只属于一档）。"
                    for lo, text in at.items()}
    groups, stuck = _plan(trial, found, tuple(at))
    return {lo: _planned_hint(lo, group, groups, stuck, at) for group in groups for lo in group.points}


def _holds(band: ast.Band, lo, found) -> bool:
    """Whether a band is one of the two that share the point `lo` and award differently there."""
    return any(part.is_point and part.lo == lo and (band is first or band is second)
               for first, second, part in found)


@attrs.frozen
class _Group:
    """One band's edit in a rule's plan (`把“…”写成“…”`), and the overlap points it clears."""

    edit: str
    points: tuple


def _plan(trial: "_Trial", found, targets: tuple) -> tuple[list[_Group], tuple]:
    """Edits, one per band, that together clear the points, found one point at a time on the rule as edited so far
    (the 90%以上…80%～90%…60%～80%…60%以下 of the tables: 80%（含）～90% for 90%, then 60%（含）～80% clears 80% and,
    60%以下 yielding to its mark, 60%); at each point a band not yet edited first, then the band whose upper end the
    point is (the tables give the point to the band above it). Also the points no edit clears."""
    pairs = {lo: {i for i, band in enumerate(trial.rule.bands) if _holds(band, lo, found)} for lo in targets}
    groups: dict[int, _Group] = {}
    current, pending, tried = trial, list(targets), set()
    while (lo := next((p for p in pending if p not in tried), None)) is not None:
        tried.add(lo)
        tops = {i for i, values in enumerate(current.facts.effective) if any(p.hi == lo for p in values.parts)}
        ordered = sorted(pairs[lo], key=lambda i: (i in groups, i not in tops, i))
        edit = current.edit([current.rule.bands[i] for i in ordered], (lo,))
        if edit is None:
            continue
        band, cond, text = edit
        index = next(i for i, each in enumerate(current.rule.bands) if each is band)
        current = current.edited(band, cond)
        cleared = tuple(p for p in pending if not current.overlap.contains(p))
        pending = [p for p in pending if p not in cleared]
        earlier = groups[index].points if index in groups else ()
        groups[index] = _Group(text, earlier + cleared)
    return list(groups.values()), tuple(pending)


def _planned_hint(lo, group: _Group, groups: list[_Group], stuck: tuple, at: dict) -> str:
    """A point's hint in a rule's plan: its edit, the points that edit clears too, then each other edit once with the
    points it clears (`80%、60% 处的重叠另需一处修改：把“60%～80%”写成“60%（含）～80%”`)."""
    hint = f"{at[lo]} 只能属于一档：{group.edit}"
    also = "、".join(at[p] for p in group.points if p != lo)
    hint += f"（这一处修改也让 {also} 只属于一档）" if also else ""
    for other in groups:
        if other is not group:
            hint += f"；{'、'.join(at[p] for p in other.points)} 处的重叠另需一处修改：{other.edit}"
    if stuck:
        hint += f"；{'、'.join(at[p] for p in stuck)} 处的重叠也须改正"
    return hint + "。"


def unmarks(cond, edited) -> bool:
    """Whether an edit writes the tables' words (`70%～90%（含）`, `60%～90%`) as a comparison: the last resort."""
    tables = isinstance(cond, ast.Range) or isinstance(cond, ast.Compare) and bool(cond.written)
    return tables and not edited.written


def printable(cond) -> bool:
    """Whether a band's edited condition can be written back in the language's words."""
    try:
        format_cond(cond)
    except Unprintable:  # a subject no band can name (an expression the printer has no words for)
        return False
    return True


def _others(at: dict, lo) -> str:
    return "、".join(text for other, text in at.items() if other != lo)


@attrs.define
class _Trial:
    """Edits of a rule's band words tried on the rule: which clear given points without a new gap or overlap."""

    rule: ast.Bands
    facts: object
    leaf: object
    points: Fraction
    context: Context

    @property
    def overlap(self) -> IntervalSet:
        """Every value two bands of the rule award differently."""
        return _overlap_set(self.rule, self.facts, self.points, self.leaf)

    def edited(self, band: ast.Band, cond) -> "_Trial":
        """The trial on the rule with one band's condition changed."""
        rule = with_cond(self.rule, band, cond)
        return attrs.evolve(self, rule=rule, facts=analyse_bands(rule, self.context.inference(self.leaf)))

    def edit(self, bands, targets) -> tuple | None:
        """The first (band, its new condition, `把“…”写成“…”`) among the bands' rewordings that leaves none of the
        targets in two bands, no value in two bands or in none that was not before; one that leaves no overlap at
        all comes first, and one keeping the tables' marks before one writing them as a comparison."""
        before = self.overlap
        gaps_before = self.facts.domain.minus(_covered(self.facts.effective))
        found = []  # (whether overlaps remain elsewhere, band, its new condition, the edit), in the order tried
        for band in bands:
            written = source_text(self.context.sources, band.cond.span)
            for cond in rewordings(band.cond, self.rule.subject) if written else ():
                edited = with_cond(self.rule, band, cond)
                after = analyse_bands(edited, self.context.inference(self.leaf))
                if any(v is None for v in after.effective):
                    continue
                overlaps = _overlap_set(edited, after, self.points, self.leaf)
                gaps = after.domain.minus(_covered(after.effective))
                if not any(overlaps.contains(t) for t in targets) and overlaps.minus(before).empty \
                        and gaps.minus(gaps_before).empty and printable(cond):
                    found.append(((not overlaps.empty, unmarks(band.cond, cond)), band, cond,
                                  f"把“{written}”写成“{spaced_as_written(format_cond(cond), written)}”"))
        best = min(found, key=lambda each: each[0]) if found else None
        return best[1:] if best else None


# a number and the unit written against it (`3笔`), and in the printer's words the same with a space (`3 笔`)
_GLUED_UNIT = re.compile(r"[0-9]([^\W\d_]+)")
_SPACED_UNIT = re.compile(r"([0-9]) +([^\W\d_]+)")


def spaced_as_written(printed: str, written: str) -> str:
    """The printer's words for a band with the author's spacing of each unit: one the author writes against its
    number (`1～3笔`) stays against it in the rewritten text (`1（含）～3笔`).

    >>> spaced_as_written("1（含）～3 笔", "1～3笔"), spaced_as_written("1（含）～3 笔", "1～3 笔")
    ('1（含）～3笔', '1（含）～3 笔')
    """
    glued = set(_GLUED_UNIT.findall(written))
    return _SPACED_UNIT.sub(lambda found: found.group(1) + found.group(2) if found.group(2) in glued
                            else found.group(0), printed)


def _overlap_set(rule: ast.Bands, facts, points: Fraction, leaf) -> IntervalSet:
    """Every value two bands of the rule award differently."""
    return _covered(tuple(IntervalSet.of(part) for _, _, part in conflicts(rule, facts, points, leaf)))


def rewordings(cond, subject) -> Iterator[ast.Compare]:
    """The other ways of marking a band's ends: a range's （含） on either end or both (with neither it would read
    as the bare range, both ends held), then both ends left out as a comparison (`60% < 达标率 < 90%`, which no
    marks can write), an end's （含） or 及 taken away (`90%以上`, which gives 90% up to a band marking it), a
    comparison made strict at one end or both."""
    if isinstance(cond, ast.Range):
        cond = marked_range(cond.low, cond.high, True, True, cond.span)
    if isinstance(cond, ast.Compare) and cond.written == "range":
        held = tuple(op == "<=" for op in cond.ops)
        for low_in, high_in in ((True, False), (False, True), (True, True)):
            if (low_in, high_in) != held:
                yield marked_range(cond.operands[0], cond.operands[2], low_in, high_in, cond.span)
        yield ast.Compare((cond.operands[0], subject, cond.operands[2]), ("<", "<"), span=cond.span)
    elif isinstance(cond, ast.Compare) and cond.written.endswith(("-marked", "-and")):
        above = cond.written.startswith("above")
        yield open_end(cond.operands[1], above, "", cond.span)
    elif isinstance(cond, ast.Compare) and not cond.written and 0 < len(cond.ops) <= 2:
        yield from _stricter(cond)


def _stricter(cond: ast.Compare) -> Iterator[ast.Compare]:
    """A comparison with some of its ≤/≥ made strict: 达标率 ≤ 60% → 达标率 < 60%; 60% ≤ 率 ≤ 90% each way."""
    held = [i for i, op in enumerate(cond.ops) if op in ("<=", ">=")]
    for count in range(1, len(held) + 1):
        for chosen in itertools.combinations(held, count):
            yield attrs.evolve(cond, ops=tuple(op[0] if i in chosen else op for i, op in enumerate(cond.ops)))


def with_cond(rule: ast.Bands, band: ast.Band, cond) -> ast.Bands:
    """The rule with one band's condition changed, its bands' unmarked 以上/以下 read again around it."""
    conds = yield_marked_ends([cond if b is band else b.cond for b in rule.bands])
    return attrs.evolve(rule, bands=tuple(attrs.evolve(b, cond=c) for b, c in zip(rule.bands, conds)))


def _covered(values: tuple) -> IntervalSet:
    covered = IntervalSet()
    for each in values:
        covered = covered.union(each)
    return covered


def marks_ends(rule: ast.Bands) -> bool:
    """Whether the author marks the bands' ends the tables' way (`80%（含）～90%`), so hints speak of （含）."""
    def marked(cond) -> bool:
        if isinstance(cond, ast.BoolOp):
            return any(marked(part) for part in cond.parts)
        return isinstance(cond, ast.Compare) and bool(cond.written)
    return any(marked(band.cond) for band in rule.bands)


def whole_subject(rule: ast.Bands, leaf) -> bool:
    """Whether the bands' subject takes whole numbers only: a 问题数 input (a count of findings)."""
    if not isinstance(rule.subject, ast.Ref) or leaf is None:
        return False
    symbol = leaf.scope.get(rule.subject.name)
    return symbol is not None and symbol.kind == "input" and whole_numbers(symbol.decl)


def holds_whole_number(part: Interval) -> bool:
    """Whether some whole number lies in an interval."""
    if infinite(part.lo) or infinite(part.hi):
        return True
    low = math.ceil(part.lo) if part.lo_closed else math.floor(part.lo) + 1
    return part.contains(Fraction(low))


def conflicts(rule: ast.Bands, facts, points: Fraction, leaf=None) -> Iterator[tuple[ast.Band, ast.Band, Interval]]:
    """Where two bands overlap and award differently (E404): each pair of bands with the values they share."""
    if any(v is None for v in facts.effective):
        return
    bands = list(zip(rule.bands, facts.effective))
    whole = whole_subject(rule, leaf)
    for i, (first, first_values) in enumerate(bands):
        for second, second_values in bands[i + 1:]:
            for part in first_values.intersect(second_values).parts:
                if whole and not holds_whole_number(part):
                    continue
                if not _agree(first, first_values, second, second_values, part, points):
                    yield first, second, part


def _agree(first, first_values, second, second_values, part: Interval, points: Fraction) -> bool:
    """Overlapping bands are harmless where they award the same at every shared value."""
    if isinstance(first.outcome, ast.Fixed) and isinstance(second.outcome, ast.Fixed):
        return outcome_at(first.outcome, part, part.lo, points) == outcome_at(second.outcome, part, part.lo, points)
    if part.is_point:
        a = outcome_at(first.outcome, _containing(first_values, part.lo), part.lo, points)
        b = outcome_at(second.outcome, _containing(second_values, part.lo), part.lo, points)
        return a == b
    return False


def _containing(values: IntervalSet, x) -> Interval:
    return next(p for p in values.parts if p.contains(x))


def _overlap_hint(part: Interval, subject: str, dim: Dim, marked: bool = False) -> str:
    if part.is_point:
        at = format_bound(part.lo, dim)
        if marked:
            return f"{at} 只能属于一档：只在其中一档的 {at} 这一端写“（含）”。"
        return f"{at} 只能属于一档：把其中一档写成开区间，例如 {subject} < {at} 或 {subject} > {at}。"
    return "让两档的范围首尾相接而不重叠，例如 60% ≤ 比率 < 80% 与 比率 ≥ 80%。"
