"""The edit that gives a whole value no band holds (E403 of a 问题数) to the band next to it."""

from __future__ import annotations

import re
from decimal import Decimal
from fractions import Fraction

import attrs

from idsl.frontend import ast
from idsl.check.band_overlaps import conflicts, holds_whole_number, with_cond
from idsl.check.context import Context
from idsl.check.intervals import IntervalSet
from idsl.check.notation import source_text
from idsl.check.rules import analyse_bands

_NUMBER = re.compile(r"[0-9]+(?:\.[0-9]+)?")


def widening(rule: ast.Bands, facts, missing: Fraction, leaf, points: Fraction, context: Context) -> str | None:
    """`把“2～3笔”写成“1～3笔”`: a neighbouring band's end moved onto the missing whole value, so that band holds
    it, with no value left in two bands or in none that was not before; the band above it first, then below."""
    for neighbour in (missing + 1, missing - 1):
        for band, values in zip(rule.bands, facts.effective):
            if not any(_ends_at(part, neighbour) for part in values.parts):
                continue
            for number in _numbers(band.cond):
                if number.percent or Fraction(number.value) != neighbour:
                    continue
                edit = _edit(band, number, missing, context)
                if edit and _clears(rule, facts, edit, missing, leaf, points, context):
                    return edit[2]
    return None


def _ends_at(part, value: Fraction) -> bool:
    """Whether a band's values end (below or above) at the whole number `value`, holding it."""
    return part.contains(value) and (not part.contains(value - 1) or not part.contains(value + 1))


def _numbers(node) -> list[ast.Num]:
    """The number literals of a condition, in the order they are written."""
    if isinstance(node, ast.Num):
        return [node]
    if isinstance(node, tuple):
        return [number for item in node for number in _numbers(item)]
    if attrs.has(type(node)):
        return [number for field in attrs.fields(type(node)) for number in _numbers(getattr(node, field.name))]
    return []


def _replaced(node, old: ast.Num, new: ast.Num):
    """The condition with the literal `old` (that very node) written as `new`."""
    if node is old:
        return new
    if isinstance(node, tuple):
        return tuple(_replaced(item, old, new) for item in node)
    if attrs.has(type(node)) and not isinstance(node, ast.Num):
        changes = {field.name: _replaced(getattr(node, field.name), old, new) for field in attrs.fields(type(node))
                   if field.init}
        return attrs.evolve(node, **changes)
    return node


def _edit(band: ast.Band, number: ast.Num, missing: Fraction, context: Context):
    """(the band, its new condition, `把“…”写成“…”`): the digits of `number` rewritten where the author wrote them,
    so the band's own words, marks and spacing stay; None when its text cannot be told apart."""
    written = source_text(context.sources, band.cond.span)
    numbers = _numbers(band.cond)
    found = list(_NUMBER.finditer(written or ""))
    if not written or len(found) != len(numbers):
        return None
    digits = found[next(i for i, each in enumerate(numbers) if each is number)]
    value = Decimal(missing.numerator)
    rewritten = written[:digits.start()] + str(value) + written[digits.end():]
    return band, _replaced(band.cond, number, attrs.evolve(number, value=value)), f"把“{written}”写成“{rewritten}”"


def _clears(rule: ast.Bands, facts, edit, missing: Fraction, leaf, points: Fraction, context: Context) -> bool:
    """Whether the edited rule holds the missing value, and leaves no whole value in none of its bands, or in two
    awarding differently, that was not before."""
    band, cond, _ = edit
    edited = with_cond(rule, band, cond)
    after = analyse_bands(edited, context.inference(leaf))
    if any(values is None for values in after.effective) or _uncovered(after).contains(missing):
        return False
    new_gaps = _uncovered(after).minus(_uncovered(facts))
    new_shared = _shared(edited, after, points, leaf).minus(_shared(rule, facts, points, leaf))
    return not any(holds_whole_number(part) for part in new_gaps.parts + new_shared.parts)


def _uncovered(facts) -> IntervalSet:
    covered = IntervalSet()
    for values in facts.effective:
        covered = covered.union(values)
    return facts.domain.minus(covered)


def _shared(rule: ast.Bands, facts, points: Fraction, leaf) -> IntervalSet:
    """The values two bands award differently."""
    return IntervalSet.of(*(part for _, _, part in conflicts(rule, facts, points, leaf)))
