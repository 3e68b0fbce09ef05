"""Grade, then a score inside it (评级, and 定性 as its national instance): the ranges, once, for every reader."""

from __future__ import annotations

from fractions import Fraction

import attrs

from idsl.frontend import ast
from idsl.semantics import ir
from idsl.semantics.phrases import format_quantity

# 第十六条's three tiers of 定性, top first: the share of the points each allows, and whether its top is included
# (“100%-80%（含）、80%-60%（含）、60%-0%”: each tier holds its lower end, the top tier the full points too)
TIERS = ((Fraction(4, 5), Fraction(1), True), (Fraction(3, 5), Fraction(4, 5), False),
         (Fraction(0), Fraction(3, 5), False))


@attrs.frozen
class TierRange:
    """One grade and the scores it allows, in points: least … most, each end in or out."""

    name: str
    least: Fraction
    most: Fraction
    low_in: bool = True
    high_in: bool = False

    def contains(self, score: Fraction) -> bool:
        above = score > self.least or (self.low_in and score == self.least)
        return above and (score < self.most or (self.high_in and score == self.most))

    def text(self) -> str:
        """`6（含）～8`: the range as the messages and the 评分标准 write it, in points."""
        low = format_quantity(self.least) + ("（含）" if self.low_in else "")
        return f"{low}～{format_quantity(self.most)}{'（含）' if self.high_in else ''}"


def ranges_text(ranges: tuple[TierRange, ...]) -> str:
    """`好 9（含）～10（含），中 5（含）～9`: every grade with its range in points, for a cell or a prompt."""
    return "，".join(f"{grade.name} {grade.text()}" for grade in ranges)


def _share(end: ast.TierEnd, percent: bool, points: Fraction) -> Fraction:
    """An end in points: a percentage of the indicator's points, or points as written."""
    amount = Fraction(end.amount)
    return amount * points / 100 if percent else amount


def mixed_units(tier: ast.GradeTier) -> bool:
    """A range with one end in % and the other in 分 (a bare 0 goes with either)."""
    ends = (tier.first, tier.second)
    percent = [e for e in ends if e.percent]
    return bool(percent) and any(not e.percent and (e.fen or e.amount != 0) for e in ends)


def graded_ranges(rule: ast.Graded, points: Fraction) -> tuple[TierRange, ...]:
    """Each grade's range in points. Where the rule marks ends （含）, exactly those belong to their grade
    (0 and the full points always do); where it marks none, each grade holds its lower end, the top one its
    upper end too, as 第十六条 and the usual “90～100 分为优” read."""
    marked = any(e.included for t in rule.tiers for e in (t.first, t.second))
    ranges = []
    for tier in rule.tiers:
        percent = tier.first.percent or tier.second.percent
        ends = sorted((tier.first, tier.second), key=lambda e: _share(e, percent, points))
        least, most = (_share(e, percent, points) for e in ends)
        if marked:
            low_in = ends[0].included or least == 0
            high_in = ends[1].included or most == points
        else:
            low_in, high_in = True, most == points
        ranges.append(TierRange(tier.name, least, most, low_in, high_in))
    return tuple(ranges)


def qualitative_ranges(options: tuple[str, ...], points: Fraction) -> tuple[TierRange, ...]:
    """定性's three tiers over the options of its input, top first."""
    return tuple(TierRange(option, low * points, high * points, True, closed)
                 for option, (low, high, closed) in zip(options, TIERS))


def tier_ranges(rule: ast.Qualitative, options: tuple[str, ...], points: Fraction) -> tuple[TierRange, ...]:
    """The grades of 评级 as written, or 定性's over its input's options."""
    if isinstance(rule, ast.Graded):
        return graded_ranges(rule, points)
    return qualitative_ranges(options, points)


def top_grade(ranges: tuple[TierRange, ...], points: Fraction) -> str | None:
    """The grade that allows the full points (the one that needs no reason), or None."""
    return next((r.name for r in ranges if r.contains(points)), None)


def grade_input(rule: ast.Graded) -> ast.Input:
    """评级's field 等级: a choice of its grades, in the order written."""
    return ast.Input(rule.tier, "choice", options=tuple(t.name for t in rule.tiers), span=rule.span)


def own_grade(rule: ast.Rule | None, decl: ast.Input | None) -> bool:
    """Whether an input is 评级's own field 等级 (not declared with 输入): it sits beside the rule's 得分, in the
    part's own object where several parts of a leaf take their 得分 there (a grade per part)."""
    return isinstance(rule, ast.Graded) and decl is not None and decl == grade_input(rule)


def reason_exempt(rule: ast.Rule | None, options: tuple[str, ...], points: Fraction, grade: object) -> bool:
    """Whether a judged score needs no 理由 for the grade read: 定性's top tier; 评级 without 须说明理由, or its
    top grade; a grade not read is its own error, and then no reason is asked for either."""
    if not isinstance(rule, ast.Qualitative):
        return False
    if isinstance(rule, ast.Graded) and not rule.reason:
        return True
    if grade is None or not options:
        return True
    return grade == top_grade(tier_ranges(rule, options, points), points)


def lower_grades(tier: ir.Expr, score: ir.Expr, ranges: tuple[TierRange, ...], field: str, unknown: ir.Expr) -> ir.Expr:
    """The score when it lies in the chosen grade's range; an input error naming 得分 when it does not."""
    inside, outside = [], []
    for grade in ranges:
        chosen = ir.Compare(tier, "=", ir.Text(grade.name))
        fits = ir.All((chosen, ir.Compare(score, ">=" if grade.low_in else ">", ir.Const(grade.least)),
                       ir.Compare(score, "<=" if grade.high_in else "<", ir.Const(grade.most))))
        inside.append(ir.Branch(fits, score))
        outside.append(ir.Branch(chosen, ir.Fail(f"“{grade.name}”档的得分应在 {grade.text()}分之间。", field)))
    return ir.Cases(tuple(inside + outside), unknown)


__all__ = ["TIERS", "TierRange", "grade_input", "graded_ranges", "lower_grades", "mixed_units", "own_grade", "qualitative_ranges",
           "ranges_text", "reason_exempt", "tier_ranges", "top_grade"]
