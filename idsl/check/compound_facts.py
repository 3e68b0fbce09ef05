"""分档 over two subjects analysed once per leaf: each subject as a side, and where each band applies on each side."""

from __future__ import annotations

from fractions import Fraction

import attrs

from idsl.frontend import ast
from idsl.check.dims import Dim
from idsl.check.env import Inference
from idsl.check.intervals import Interval, IntervalSet, closed
from idsl.check.notation import format_bound, format_interval
from idsl.check.rules import condition_set
from idsl.semantics.compound import tried_order
from idsl.semantics.domains import whole_numbers
from idsl.semantics.phrases import expr_text


@attrs.frozen
class Side:
    """One subject as the checker sees it: a number's domain, or answers and options numbered 0, 1, …"""

    name: str  # as written
    dim: Dim  # what it measures (a yes/no or choice: its kind only)
    domain: IntervalSet  # the values it can take; the words' numbers for a yes/no or choice
    words: tuple[str, ...] = ()  # 是、否 or the options; empty for a number
    whole: bool = False  # whole numbers only (问题数)

    def point(self, x) -> str:
        """A value as a message shows it: the word, or the number in the author's notation."""
        return self.words[int(x)] if self.words else format_bound(x, self.dim)

    def where(self, part: Interval) -> str:
        """A piece of its values: `是否按期完成为否`, `60% ≤ 完成率 < 80%`."""
        if self.words:
            return f"{self.name}为{self.point(part.lo)}"
        return format_interval(part, self.name, self.dim)


@attrs.frozen
class CompoundFacts:
    """A 分档 over two subjects analysed: both sides, and each band's sets on each side (in the order tried)."""

    sides: tuple[Side, Side]
    bands: tuple[ast.CompoundBand, ...]  # in the order tried
    sets: tuple[tuple[IntervalSet | None, IntervalSet | None], ...]  # None: 否则, or not about that side alone
    malformed: tuple[tuple[ast.CompoundBand, int], ...]  # (band, side) whose condition is not about its subject


def analyse_compound(rule: ast.Compound, inference: Inference) -> CompoundFacts:
    """Where each band applies on each side, within the sides' domains."""
    found = [inference.expr(subject) for subject in rule.subjects]
    sides = tuple(_side(subject, inferred, inference) for subject, inferred in zip(rule.subjects, found))
    bands = tuple(tried_order(rule.bands))
    sets, malformed = [], []
    for band in bands:
        pair = []
        for index, (cond, subject, inferred, side) in enumerate(zip((band.first, band.second), rule.subjects, found,
                                                                    sides)):
            values = None
            if not isinstance(cond, ast.Otherwise):
                values = _word_set(cond, side) if side.words else _number_set(cond, subject, inferred, inference)
                if values is None:
                    malformed.append((band, index))
            pair.append(values.intersect(side.domain) if values is not None else None)
        sets.append(tuple(pair))
    return CompoundFacts(sides, bands, tuple(sets), tuple(malformed))  # type: ignore[arg-type]


def _side(subject: ast.Expr, inferred, inference: Inference) -> Side:
    name = expr_text(subject)
    decl = _input(subject, inference)
    if inferred.dim.kind == "bool":
        return Side(name, inferred.dim, _points(2), ("是", "否"))
    if inferred.dim.kind == "choice" and decl is not None and decl.options:
        return Side(name, inferred.dim, _points(len(decl.options)), tuple(decl.options))
    whole = decl is not None and whole_numbers(decl)
    return Side(name, inferred.dim, IntervalSet.of(inferred.range), whole=whole)


def _input(subject: ast.Expr, inference: Inference):
    symbol = inference.leaf.scope.get(subject.name) if isinstance(subject, ast.Ref) else None
    return symbol.decl if symbol is not None and symbol.kind == "input" else None


def _points(count: int) -> IntervalSet:
    return IntervalSet.of(*(closed(Fraction(i), Fraction(i)) for i in range(count)))


def _number_set(cond, subject, inferred, inference: Inference) -> IntervalSet | None:
    where = condition_set(cond, subject, inferred, inference)
    inference.problems.extend(where.problems)
    return where.values


def _word_set(cond, side: Side) -> IntervalSet | None:
    """The answers or options a condition names: `是`, `否`, an option, `≠` one, several joined by 或/且."""
    if isinstance(cond, ast.BoolOp):
        parts = [_word_set(p, side) for p in cond.parts]
        if any(p is None for p in parts):
            return None
        combined = parts[0]
        for part in parts[1:]:
            combined = combined.union(part) if cond.op == "or" else combined.intersect(part)
        return combined
    if not (isinstance(cond, ast.Compare) and len(cond.ops) == 1 and cond.ops[0] in ("=", "!=")):
        return None
    word = _word(cond.operands[1] if isinstance(cond.operands[0], ast.Subject) else cond.operands[0])
    if word not in side.words:
        return None
    named = IntervalSet.of(closed(Fraction(side.words.index(word)), Fraction(side.words.index(word))))
    return named if cond.ops[0] == "=" else side.domain.minus(named)


def _word(node) -> str | None:
    if isinstance(node, ast.BoolLit):
        return "是" if node.value else "否"
    return node.name if isinstance(node, ast.Ref) else None


__all__ = ["CompoundFacts", "Side", "analyse_compound"]
