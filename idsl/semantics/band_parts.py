"""The parts of a band's lowering shared by 分档 and 分档 over two inputs: quantities, ends, outcomes, 扣完为止."""

from __future__ import annotations

import math
from fractions import Fraction

import attrs

from idsl.frontend import ast
from idsl.semantics import explain as ex
from idsl.semantics import ir
from idsl.semantics.conditions import name_of
from idsl.semantics.counts import count_unit, in_unit, zero_words
from idsl.semantics.phrases import expr_text, format_quantity
from idsl.semantics.scope import Scope


def quantity(scope: Scope, expr: ast.Expr, tag: str) -> ex.Quantity:
    """How a sentence shows a quantity: named like the leaf when the leaf is named after it."""
    name = name_of(expr)
    leaf_name = scope.node.name
    shown = expr_text(expr) if name is None else (leaf_name if leaf_name != name and leaf_name.endswith(name) else name)
    percent = scope.is_percent(expr)
    unit = None if percent else scope.shown_unit(expr) or count_word(scope, expr)
    none = zero_words(scope.inputs.values()).get(name, "") if name == shown else ""  # 未发现问题, as the table says
    return ex.Quantity(shown, scope.tag(tag), percent, unit, none)


def count_word(scope: Scope, subject: ast.Expr) -> str | None:
    """The counting word of a count input (问题数: 项, 违规次数: 次), which its bare numbers are in; None for the rest."""
    decl = scope.inputs.get(subject.name) if isinstance(subject, ast.Ref) else None
    return count_unit(decl) if decl is not None else None


def end_quantity(scope: Scope, end: ast.Expr | None, ends: dict, counting: str | None = None) -> ex.Quantity | None:
    """How a sentence shows a band's end (None for an open end); a bare number over a count in its `counting` word."""
    if end is None:
        return None
    percent = scope.is_percent(end)
    return ex.Quantity("", ends[id(end)].name, percent, None if percent else scope.unit_of(in_unit(end, counting)))


def constants(ends: dict) -> tuple[Fraction, ...]:
    """The ends of a band that are numbers written in the spec (their exact values), for the reason to keep its
    subject apart from them (`apart.places_apart`)."""
    return tuple(end.value.value for end in ends.values() if isinstance(end.value, ir.Const))


def band_outcome(band: ast.Band, scope: Scope, subject: ir.Expr, ends: dict, low, high, number: int, text: ex.BandText,
                 counting: str | None = None):
    """A band's score (a fixed award or a linear deduction from its anchored end) and its sentence, a step over a
    count in its `counting` word (每增加1项)."""
    outcome = band.outcome
    if isinstance(outcome, ast.Fixed):
        full = outcome.points is None or Fraction(outcome.points) == scope.points
        value = scope.points if outcome.points is None else Fraction(outcome.points)
        return ir.Const(value), attrs.evolve(text, full=full, deducted=outcome.deduct)
    anchor = high if outcome.direction == "down" else low
    steps_tag = scope.tag(f"band{number}.steps")
    step_text = format_quantity(in_unit(outcome.step, counting))
    text = attrs.evolve(text, linear=True, direction=outcome.direction, step=step_text, per=outcome.deduct,
                        rounding=outcome.rounding, steps_tag=steps_tag, until_zero=outcome.until_zero)
    if anchor is None:
        end = "上限" if outcome.direction == "down" else "下限"
        return ir.Fail(f"线性扣分档缺少{end}，无法确定从哪里开始扣分。"), text
    step = Fraction(outcome.step.amount)
    if step <= 0:
        return ir.Fail("扣分步长应大于 0。"), text
    anchored = ends[id(anchor)]
    distance = ir.Arith("-", anchored, subject) if outcome.direction == "down" else ir.Arith("-", subject, anchored)
    start = scope.points if outcome.start is None else Fraction(outcome.start)
    value: ir.Expr = ir.Steps(distance, step, Fraction(outcome.deduct), start, outcome.rounding, steps_tag, scope.floor)
    if outcome.until_zero:
        value = until_zero(distance, step, Fraction(outcome.deduct), start, value, scope.floor)
    return value, text


def until_zero(distance: ir.Expr, step: Fraction, deduct: Fraction, start: Fraction, steps: ir.Expr,
                low: Fraction = Fraction(0)) -> ir.Expr:
    """扣完为止: the deductions stop at 0 (or at the leaf's 最低). Past the distance where they have used up the
    points (whatever the rounding) the score is that floor without counting steps, so a far value is never
    counted (as a written limit)."""
    used_up = step * math.ceil((start - low) / deduct) if deduct > 0 else None
    held = ir.Clamp(steps, low, None)
    if used_up is None:
        return held
    return ir.Cases((ir.Branch(ir.Compare(distance, ">", ir.Const(used_up)), ir.Const(low)),), held)


__all__ = ["band_outcome", "count_word", "end_quantity", "quantity", "until_zero"]
