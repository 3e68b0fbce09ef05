"""Lines after a leaf's rule that move its score (§11.12): 酌情扣分, 另扣, 另加, each bounded by its own cap."""

from __future__ import annotations

from fractions import Fraction

from decimal import Decimal
from typing import Mapping

from idsl.frontend import ast
from idsl.semantics import ir
from idsl.semantics.lower import DISCRETION_CUT
from idsl.semantics.numbers import format_points, half_up
from idsl.semantics.scope import Scope

BASE = "base"  # the trace name of the rule's result before the lines that adjust it


def with_adjusts(scope: Scope, adjusts: tuple[ast.ScoreAdjust, ...], base: ir.Expr) -> ir.Expr:
    """The rule's result less every cut and plus every bonus; the leaf holds the sum within 0 … points."""
    total = base
    for number, adjust in enumerate(adjusts, start=1):
        if adjust.cap is None:  # 扣完为止: the line takes at most what is left above 0, so it stops there
            total = ir.Named(scope.tag(f"before{number}"), total)
            left = ir.Clamp(total, Fraction(0), None)
            amount = ir.Named(scope.tag(f"adjust{number}"), ir.Extreme(False, (_items(scope, adjust), left)))
        else:
            amount = ir.Named(scope.tag(f"adjust{number}"), adjust_amount(scope, adjust))
        total = ir.Arith("+" if adjust.kind == "add" else "-", total, amount)
    return total


def zero_wins(base: ir.Named, special_tag: str, specials: tuple[ast.Special, ...], adjusted: ir.Expr) -> ir.Expr:
    """A special case or 计分条件 that gives 不得分 leaves the leaf at 0: no 另加 bonus, no cut below 0 (a leaf
    that is not scored gets nothing on top). The case that applied is the first whose condition holds, so the
    conditions are read in the same order as the rule's own cases, and the leaf is then the rule's own 0."""
    unit_exact = base.value
    if not isinstance(unit_exact, ir.Cases) or unit_exact.tag != special_tag or not special_tag:
        return adjusted
    chosen = []
    own = [n for n, b in enumerate(unit_exact.branches) if not isinstance(b.cond, ir.Blank)]  # 无数据时 cases first
    for number, special in zip(own, specials):
        branch = unit_exact.branches[number]
        if special.points is not None and special.points == 0:
            earlier = tuple(ir.Not(b.cond) for b in unit_exact.branches[:number])
            chosen.append(ir.All(earlier + (branch.cond,)) if earlier else branch.cond)
    if not chosen:
        return adjusted
    zero = chosen[0] if len(chosen) == 1 else ir.Any(tuple(chosen))
    return ir.Cases((ir.Branch(zero, base),), adjusted, "")


def adjust_amount(scope: Scope, adjust: ast.ScoreAdjust) -> ir.Expr:
    """What one line moves: the evaluator's cut (an input within 0 … cap), or min(items × each, cap)."""
    if adjust.kind == "discretion":
        return scope.ref(DISCRETION_CUT)
    return ir.Extreme(False, (_items(scope, adjust), ir.Const(Fraction(adjust.cap or 0))))


def _items(scope: Scope, adjust: ast.ScoreAdjust) -> ir.Expr:
    """The items counted times the points of each: what a 另扣/另加 line moves before its cap."""
    count = scope.number(ast.Ref(adjust.subject or ""))
    return ir.Arith("*", count, ir.Const(Fraction(adjust.each if adjust.each is not None else 0)))


def base_score(trace: Mapping[str, object], points: Fraction, places: int, floor: Fraction = Fraction(0)) -> Decimal:
    """The rule's own score, held and rounded as a leaf's, for the sentence before the adjustments."""
    value = trace[BASE]
    assert isinstance(value, Fraction)
    return half_up(min(max(value, floor), points), places)


def adjust_sentence(rule_sentence: str, adjusts: tuple[ast.ScoreAdjust, ...], trace: Mapping[str, object],
                    score: Decimal, reason: str | None) -> str:
    """The rule's sentence, then what each line moved and the final score:
    "…，得4.2分；另扣违规支出1项0.5分，酌情扣0.5分（疫情停工），最终得3.2分。"."""
    clauses = []
    for number, adjust in enumerate(adjusts, start=1):
        amount = trace.get(f"adjust{number}")
        if not isinstance(amount, Fraction) or amount == 0:
            continue
        if adjust.kind == "discretion":
            clauses.append(f"酌情扣{format_points(amount)}分" + (f"（{reason.rstrip('。')}）" if reason else ""))
        else:
            verb = "加" if adjust.kind == "add" else "扣"
            clauses.append(f"另{verb}{adjust.subject}{format_points(amount)}分")
    if not clauses:
        return rule_sentence
    return rule_sentence.rstrip("。") + "；" + "，".join(clauses) + f"，最终得{format_points(score)}分。"


__all__ = ["BASE", "adjust_amount", "adjust_sentence", "base_score", "with_adjusts", "zero_wins"]
