"""Checks on 分档 over two subjects: every combination of the two in exactly one band (E445, E446), each band usable.

Each subject's values are cut where any band's condition on it starts or ends; within one piece of the
first subject every band either holds or not, so the bands over the second subject can be checked there
as 分档 over one subject is: what they leave uncovered is a gap, where two award differently an overlap.
A yes/no or choice subject's pieces are its answers (是、否) or options, in order.
"""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Iterator

import attrs

from idsl.frontend import ast
from idsl.check.band_overlaps import printable, rewordings, unmarks
from idsl.check.compound_facts import CompoundFacts, Side, analyse_compound
from idsl.check.context import Context
from idsl.check.env import to_fraction
from idsl.check.intervals import INF, Interval, IntervalSet, closed, infinite
from idsl.check.narrowing import whole_numbers as whole_part
from idsl.check.notation import format_interval, source_text
from idsl.check.rules import outcome_at
from idsl.diagnostics import Diagnostic, Label
from idsl.frontend.printer_text import format_cond
from idsl.semantics.conditions import band_ends


# ---------------------------------------------------------------- the product of the two domains


@attrs.frozen
class Piece:
    """A piece of the first subject's values, and each band's values of the second there (None: not there)."""

    part: Interval  # the piece
    seconds: tuple[IntervalSet | None, ...]  # per band, in the order tried; 否则 resolved


def pieces(facts: CompoundFacts) -> list[Piece]:
    """The first subject cut where any band's condition on it changes, each piece with the bands over the second."""
    first, second = facts.sides
    found = []
    for part in _cuts(first.domain, [s[0] for s in facts.sets if s[0] is not None]):
        if first.whole and not holds_whole_number(part):
            continue
        x = _inside(part)
        found.append(Piece(part, _resolved(facts, x, second.domain)))
    return found


def _cuts(domain: IntervalSet, sets: list[IntervalSet]) -> list[Interval]:
    """The domain split at every end of every set: points at the ends, open intervals between them."""
    ends = sorted({e for s in [domain, *sets] for p in s.parts for e in (p.lo, p.hi) if not infinite(e)})
    candidates = [closed(e, e) for e in ends]
    bounds = [-INF, *ends, INF]
    candidates += [Interval(a, b, False, False) for a, b in zip(bounds, bounds[1:]) if a != b]
    kept = [p for c in candidates for p in domain.intersect(IntervalSet.of(c)).parts]
    return sorted(kept, key=lambda p: (p.lo, not p.lo_closed))


def _inside(part: Interval):
    """A value inside a piece."""
    if part.lo_closed:
        return part.lo
    if infinite(part.lo):
        return part.hi - 1 if not infinite(part.hi) else Fraction(0)
    return (part.lo + part.hi) / 2 if not infinite(part.hi) else part.lo + 1


def _resolved(facts: CompoundFacts, x, domain: IntervalSet) -> tuple[IntervalSet | None, ...]:
    """Each band's values of the second subject where the first is x; 否则 is what the bands before its tier leave."""
    seconds: list[IntervalSet | None] = []
    covered = {0: IntervalSet(), 1: IntervalSet()}  # what the bands of the tiers before 1 and 2 cover
    for band, (first, second) in zip(facts.bands, facts.sets):
        tier = isinstance(band.first, ast.Otherwise) + isinstance(band.second, ast.Otherwise)
        holds = isinstance(band.first, ast.Otherwise) or (first is not None and first.contains(x))
        values = None
        if holds:
            written = domain if isinstance(band.second, ast.Otherwise) else second
            before = covered[0] if tier == 1 else covered[1] if tier == 2 else IntervalSet()
            values = written.minus(before) if written is not None else None
        seconds.append(values)
        if values is not None and tier < 2:
            covered[1] = covered[1].union(values)
            if tier == 0:
                covered[0] = covered[0].union(values)
    return tuple(seconds)


# ---------------------------------------------------------------- the checks


def check_compound(context: Context) -> Iterator[Diagnostic]:
    """E411/E405/E445/E446: each side of a band is about its subject, each band can apply, and every combination
    of the two subjects lies in one band, or in several that award the same."""
    for leaf in context.leaves:
        rule = leaf.body.rule if leaf.body else None
        if isinstance(rule, ast.Compound) and leaf.points is not None:
            yield from context.remembered("compound", leaf,
                                          lambda: _compound(rule, leaf, context, to_fraction(leaf.points)))


def _compound(rule: ast.Compound, leaf, context: Context, points: Fraction) -> Iterator[Diagnostic]:
    facts = context.band_facts(leaf)
    if not isinstance(facts, CompoundFacts) or context.has_errors(leaf):
        return
    for band, index in facts.malformed:
        side = facts.sides[index]
        cond = band.first if index == 0 else band.second
        hint = f"写成 {'、'.join(side.words)} 之一" if side.words else f"写成 {side.name} ≥ 80%、60%～80% 这样的条件"
        yield Diagnostic("E411", f"这一档{'前' if index == 0 else '后'}一个条件不是只关于“{side.name}”的。", cond.span,
                         leaf.path, hint=hint + "；两个条件之间用“，”。")
    if facts.malformed:
        return
    yield from _linear_anchors(rule, facts, leaf)
    found = pieces(facts)
    for number, band in enumerate(facts.bands):
        if all(p.seconds[number] is None or p.seconds[number].empty for p in found):
            yield Diagnostic("E405", "这一档永远用不上：它的组合都已落在前面的档次里，或不在取值范围内。", band.span, leaf.path,
                             hint="删去这一档，或改正它的条件。")
    yield from _gaps(rule, facts, found, leaf)
    yield from _overlaps(_Trial(rule, leaf, points, context), facts, found)


def _linear_anchors(rule: ast.Compound, facts: CompoundFacts, leaf) -> Iterator[Diagnostic]:
    """E411: 每降低/每增加 along the second subject counts from that side's written end, which must be there."""
    for band in facts.bands:
        outcome = band.outcome
        if not isinstance(outcome, ast.Linear):
            continue
        if outcome.step.amount == 0:
            yield Diagnostic("E411", "每步的幅度不能为 0。", outcome.span, leaf.path, hint="写出非零的步长，例如 每降低 1% 扣 0.1 分。")
        elif band_ends(band.second, rule.subjects[1])[0 if outcome.direction == "up" else 1] is None:
            end = "上限" if outcome.direction == "down" else "下限"
            yield Diagnostic("E411", f"“每{'降低' if end == '上限' else '增加'}”需要从这一档后一个条件的{end}起算，但它没有{end}。",
                             outcome.span, leaf.path, hint="给后一个条件写出两端，例如 80%～95% 每降低 1% 扣 0.1 分。")


def _gaps(rule: ast.Compound, facts: CompoundFacts, found: list[Piece], leaf) -> Iterator[Diagnostic]:
    first, second = facts.sides
    missing = []  # (piece of the first, gap of the second), neighbouring pieces with the same gap joined
    for piece in found:
        covered = IntervalSet()
        for values in piece.seconds:
            covered = covered.union(values) if values is not None else covered
        gaps = tuple(g for g in second.domain.minus(covered).parts if not second.whole or holds_whole_number(g))
        if missing and not first.words and missing[-1][1] == gaps and _meets(missing[-1][0], piece.part):
            missing[-1] = (_join(missing[-1][0], piece.part), gaps)
        else:
            missing.append((piece.part, gaps))
    for part, gaps in missing:
        for gap in gaps:
            where = f"{first.where(part)}、{second.where(gap)}"
            example = f"{first.name}为{first.point(_example(part))}、{second.name}为{second.point(_example(gap))}"
            yield Diagnostic("E445", f"{where} 时没有对应的档次（例如 {example}）。", rule.span, leaf.path,
                             hint=f"补上一档：{_band_hint(first, part)}，{_band_hint(second, gap)} 得 0 分（或应得的分数）；"
                                  f"或用“{_band_hint(first, part)}，否则 …”兜底。")


def _overlaps(trial: "_Trial", facts: CompoundFacts, found: list[Piece]) -> Iterator[Diagnostic]:
    first, second = facts.sides
    for i, j, where, part in _conflicts(facts, found, trial.points):
        example = f"{first.name}为{first.point(_example(where))}、{second.name}为{second.point(_example(part))}"
        edit = trial.edit(facts, (i, j), (_example(where), _example(part)))
        yield Diagnostic(
            "E446", f"{first.where(where)}、{second.where(part)} 同时落在两档，两档给分不同（例如 {example}）。",
            facts.bands[j].span, trial.leaf.path,
            hint=f"一个组合只能属于一档：{edit or '改正其中一档的条件，让两档不再重叠'}。",
            labels=(Label(facts.bands[i].span, "与这一档重叠"),))


@attrs.define
class _Trial:
    """Edits of the words of a band's side (an end's mark, a comparison made strict) tried on the rule, as for
    分档 over one subject (`band_overlaps`): which take a combination out of one of the two bands it lies in."""

    rule: ast.Compound
    leaf: object
    points: Fraction
    context: Context

    def edit(self, facts: CompoundFacts, pair: tuple[int, int], at: tuple) -> str | None:
        """`把“≤ 90%”写成“< 90%”`: the first edit of either band's number side that leaves the combination `at` in one
        band, no two bands newly overlapping, no new gap and no band newly unused; one leaving no overlap at all, and
        one keeping the tables' marks, first. None when no such edit of the words exists (the values are wrong)."""
        before = self._state(facts)
        found = []
        for band in (facts.bands[pair[1]], facts.bands[pair[0]]):
            for index, side in enumerate(facts.sides):
                cond = band.second if index else band.first
                written = source_text(self.context.sources, cond.span) if not side.words else None
                for edited in rewordings(cond, self.rule.subjects[index]) if written else ():
                    after = self._state(self._analysed(band, index, edited))
                    if after is not None and self._clears(before, after, at) and printable(edited):
                        found.append(((bool(after[0]), unmarks(cond, edited)), f"把“{written}”写成“{format_cond(edited)}”"))
        return min(found, key=lambda each: each[0])[1] if found else None

    def _analysed(self, band: ast.CompoundBand, index: int, cond) -> CompoundFacts:
        """The rule's facts with one side of one band reworded (the trial leaves the leaf's inference as it was)."""
        changed = attrs.evolve(band, **{"second" if index else "first": cond})
        rule = attrs.evolve(self.rule, bands=tuple(changed if b is band else b for b in self.rule.bands))
        inference = self.context.inference(self.leaf)
        kept = len(inference.problems)
        try:
            return analyse_compound(rule, inference)
        finally:
            del inference.problems[kept:]

    def _state(self, facts: CompoundFacts):
        """(the overlapping pairs with where they overlap, the gaps, the unused bands), or None when malformed."""
        if facts.malformed:
            return None
        found = pieces(facts)
        unused = sum(all(p.seconds[n] is None or p.seconds[n].empty for p in found) for n in range(len(facts.bands)))
        gaps = sum(1 for _ in _gaps(self.rule, facts, found, self.leaf))
        return list(_conflicts(facts, found, self.points)), gaps, unused

    @staticmethod
    def _clears(before, after, at) -> bool:
        """Whether the combination `at` has left every overlap, no two bands overlap that did not, and no gap or
        unused band was added."""
        (overlaps, gaps, unused), (overlaps_after, gaps_after, unused_after) = before, after
        x, y = at
        if any(where.contains(x) and part.contains(y) for _i, _j, where, part in overlaps_after):
            return False
        pairs = {(i, j) for i, j, _where, _part in overlaps}
        newly = {(i, j) for i, j, _where, _part in overlaps_after} - pairs
        return not newly and len(overlaps_after) <= len(overlaps) and gaps_after <= gaps and unused_after <= unused


def _conflicts(facts: CompoundFacts, found: list[Piece], points: Fraction):
    """Each two bands that share combinations and award differently there: (i, j, first's range, second's part)."""
    shared: dict[tuple[int, int], list[tuple[Interval, Interval]]] = {}  # two bands → where they disagree
    for piece in found:
        for i, one in enumerate(piece.seconds):
            for j in range(i + 1, len(piece.seconds)):
                other = piece.seconds[j]
                if one is None or other is None:
                    continue
                part = next((p for p in one.intersect(other).parts if not _agree(facts, i, j, one, other, p, points)),
                            None)
                if part is not None:
                    shared.setdefault((i, j), []).append((piece.part, part))
    for (i, j), places in shared.items():
        where, part = places[0]
        for piece_part, same in places[1:]:  # the neighbouring pieces where the two disagree alike, as one range
            if facts.sides[0].words or same != part or not _meets(where, piece_part):
                break
            where = _join(where, piece_part)
        yield i, j, where, part


def compound_overlaps(facts, points: Fraction) -> bool:
    """Whether some combination lies in two bands that award differently (E446)."""
    if not isinstance(facts, CompoundFacts) or facts.malformed:
        return False
    return next(_conflicts(facts, pieces(facts), points), None) is not None


def _agree(facts: CompoundFacts, i: int, j: int, one: IntervalSet, other: IntervalSet, part: Interval,
           points: Fraction) -> bool:
    """Two bands sharing combinations are harmless where they award the same at each (as for 分档 over one)."""
    a, b = facts.bands[i].outcome, facts.bands[j].outcome
    if isinstance(a, ast.Fixed) and isinstance(b, ast.Fixed):
        return outcome_at(a, part, part.lo, points) == outcome_at(b, part, part.lo, points)
    if not part.is_point:
        return False
    return outcome_at(a, _containing(one, part.lo), part.lo, points) == outcome_at(b, _containing(other, part.lo),
                                                                                 part.lo, points)


def _containing(values: IntervalSet, x) -> Interval:
    return next(p for p in values.parts if p.contains(x))


def holds_whole_number(part: Interval) -> bool:
    """Whether some whole number lies in a piece (问题数 is never 0.5)."""
    return not whole_part(IntervalSet.of(part)).empty


def _meets(left: Interval, right: Interval) -> bool:
    return left.hi == right.lo and left.hi_closed != right.lo_closed


def _join(left: Interval, right: Interval) -> Interval:
    return Interval(left.lo, right.hi, left.lo_closed, right.hi_closed)


def _example(part: Interval):
    """A value of a gap an author recognises: the coarsest round number inside it (90% rather than 87.5%)."""
    if part.is_point or (part.lo_closed and infinite(part.hi)):
        return part.lo
    if infinite(part.lo) or infinite(part.hi):
        return _inside(part)
    middle = (part.lo + part.hi) / 2
    for scale in (1, 10, 100, 1000, 10000):
        rounded = Fraction(math.floor(middle * scale + Fraction(1, 2)), scale)
        if part.contains(rounded) and rounded not in (part.lo, part.hi):
            return rounded
    return middle


def _band_hint(side: Side, part: Interval) -> str:
    """A side of the band that would close a gap, as the author writes it: 否, `80% ≤ 完成率 < 95%`."""
    return side.point(part.lo) if side.words else format_interval(part, side.name, side.dim)


__all__ = ["Piece", "check_compound", "compound_overlaps", "pieces"]
