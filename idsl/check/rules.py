"""Exact analysis of band rules: where each band applies and what it awards there (what a whole rule awards
is bounded from its score IR, in idsl.check.bounds)."""

from __future__ import annotations

import math
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal
from fractions import Fraction

import attrs

from idsl.frontend import ast
from idsl.check import intervals as iv
from idsl.check.dims import RATIO, Dim, num_dim
from idsl.check.env import Inference, Inferred, to_fraction
from idsl.check.intervals import INF, Interval, IntervalSet, closed
from idsl.check.unit_hints import percent_hint
from idsl.diagnostics import Diagnostic

_HALF_LINES = {
    ">=": lambda c: Interval(c, INF, True, False), ">": lambda c: Interval(c, INF, False, False),
    "<=": lambda c: Interval(-INF, c, False, True), "<": lambda c: Interval(-INF, c, False, False),
    "=": lambda c: Interval(c, c, True, True),
}
_MIRROR = {">=": "<=", ">": "<", "<=": ">=", "<": ">", "=": "=", "!=": "!="}


def is_subject(node, subject_expr) -> bool:
    """Whether an operand stands for the rule's subject (written out, or left implicit)."""
    return isinstance(node, ast.Subject) or (subject_expr is not None and node == subject_expr)


def constant(node, inference: Inference, subject: Inferred) -> tuple[Fraction, Dim] | None:
    """The exact value of an operand that uses no inputs (80%, 1 - 10%), else None."""
    if isinstance(node, ast.Num):  # what inference.expr would find, without building an interval
        return to_fraction(node.amount), num_dim(node)
    if _uses_names(node):
        return None
    found = inference.expr(node, subject)
    if found.range.is_point:
        return Fraction(found.range.lo), found.dim
    return None


def _uses_names(node) -> bool:
    if isinstance(node, (ast.Ref, ast.Subject, ast.PointsRef, ast.BoolLit)):
        return True
    if isinstance(node, ast.Num):
        return False
    children = [getattr(node, f) for f in ("left", "right", "operand") if hasattr(node, f)]
    children += list(getattr(node, "args", ()))
    return any(_uses_names(c) for c in children)


@attrs.frozen
class Where:
    """Where a condition holds over the subject, or why that cannot be said."""

    values: IntervalSet | None  # None: the condition is not about the subject alone
    problems: tuple[Diagnostic, ...] = ()  # unit and notation problems found on the way


def condition_set(cond, subject_expr, subject: Inferred, inference: Inference) -> Where:
    """The subject values for which a band or grade condition holds."""
    if isinstance(cond, ast.Range):
        return _range_set(cond, subject, inference, rate_input(subject_expr, inference.leaf))
    if isinstance(cond, ast.Compare):
        return _compare_set(cond, subject_expr, subject, inference)
    if isinstance(cond, ast.BoolOp):
        parts = [condition_set(p, subject_expr, subject, inference) for p in cond.parts]
        problems = tuple(d for p in parts for d in p.problems)
        if any(p.values is None for p in parts):
            return Where(None, problems)
        combined = parts[0].values
        for part in parts[1:]:
            combined = combined.intersect(part.values) if cond.op == "and" else combined.union(part.values)
        return Where(combined, problems)
    return Where(None)  # Otherwise: resolved by the caller as what the others leave


def _range_set(cond: ast.Range, subject: Inferred, inference: Inference, rate: bool) -> Where:
    low, high = constant(cond.low, inference, subject), constant(cond.high, inference, subject)
    if low is None or high is None:
        return Where(None)
    problems = (_unit_problems(cond.low, low, subject, inference, rate)
                + _unit_problems(cond.high, high, subject, inference, rate))
    return Where(IntervalSet.of(closed(low[0], high[0])), problems)


def _compare_set(cond: ast.Compare, subject_expr, subject: Inferred, inference: Inference) -> Where:
    if not cond.ops:
        return Where(None)
    values, problems = IntervalSet.of(iv.EVERYTHING), []
    for left, op, right in zip(cond.operands, cond.ops, cond.operands[1:]):
        if is_subject(left, subject_expr):
            other, relation = right, op
        elif is_subject(right, subject_expr):
            other, relation = left, _MIRROR[op]
        else:
            return Where(None, tuple(problems))
        found = constant(other, inference, subject)
        if found is None or relation == "!=":
            return Where(None, tuple(problems))
        problems.extend(_unit_problems(other, found, subject, inference, rate_input(subject_expr, inference.leaf)))
        values = values.intersect(IntervalSet.of(_HALF_LINES[relation](found[0])))
    return Where(values, tuple(problems))


def rate_input(expr, leaf) -> bool:
    """Whether an expression is a declared 比率 input or a questionnaire's rate, whose figures the evaluator gives in
    percent (0.9 beside it is 90% or 0.9%?); a quotient the spec derives (a / b ≥ 0.9) reads as a plain fraction."""
    symbol = leaf.scope.get(expr.name) if isinstance(expr, ast.Ref) else None
    return symbol is not None and (symbol.kind == "questionnaire"
                                   or (symbol.kind == "input" and getattr(symbol.decl, "kind", None) == "rate"))


def _unit_problems(node, found: tuple[Fraction, Dim], subject: Inferred, inference: Inference, rate: bool) -> tuple:
    value, dim = found
    if subject.dim == RATIO and dim.kind == "literal" and (abs(value) > 1 or (rate and value != 0)):
        return (Diagnostic(
            "E410", f"比率与 {node.value if isinstance(node, ast.Num) else value} 比较，却没有写 %。",
            node.span, inference.leaf.path,
            hint=percent_hint(node.value if isinstance(node, ast.Num) else value)),)
    before = len(inference.problems)
    inference.same_dim(subject.dim, dim, node, "比较")
    found_problems = tuple(inference.problems[before:])
    del inference.problems[before:]
    return found_problems


# ---------------------------------------------------------------- what a band awards


def steps(distance: Fraction, step: Fraction, rounding: str | None) -> Fraction:
    """How many steps a distance counts for, rounded as the rule says (exact when it says nothing)."""
    count = distance / step
    if rounding is None:
        return count
    mode = {"half_up": ROUND_HALF_UP, "floor": ROUND_FLOOR, "ceil": ROUND_CEILING}[rounding]
    exact = Decimal(count.numerator) / Decimal(count.denominator)
    return Fraction(exact.quantize(Decimal(1), rounding=mode))


def outcome_at(outcome, band: Interval, x, points: Fraction) -> Fraction:
    """What a band's outcome awards at subject value x (x inside or at an end of the band)."""
    if isinstance(outcome, ast.Fixed):
        return points if outcome.points is None else to_fraction(outcome.points)
    start = points if outcome.start is None else to_fraction(outcome.start)
    anchor = band.hi if outcome.direction == "down" else band.lo
    if iv.infinite(x) and not iv.infinite(anchor) and outcome.until_zero:
        return Fraction(0)  # 扣完为止: far from the anchor the deductions have stopped at 0
    if iv.infinite(anchor) or iv.infinite(x):
        return Fraction(-10**12)  # unbounded deduction: reported by the caller
    distance = abs(_exact(anchor) - _exact(x))
    value = start - to_fraction(outcome.deduct) * steps(distance, to_fraction(outcome.step.amount), outcome.rounding)
    return max(value, Fraction(0)) if outcome.until_zero else value


def _exact(x) -> Fraction:
    return x if type(x) is Fraction else Fraction(x)


def linear_anchor_missing(outcome, band: Interval) -> bool:
    """A linear band whose anchor end is open-ended (每降低 with no upper end)."""
    if not isinstance(outcome, ast.Linear):
        return False
    anchor = band.hi if outcome.direction == "down" else band.lo
    return iv.infinite(anchor)


# ---------------------------------------------------------------- a bands rule analysed


@attrs.frozen
class BandFacts:
    """A bands rule analysed: the subject's domain and each band's interval set within it."""

    subject: Inferred  # the subject's dimension and range
    domain: IntervalSet  # the values the subject can take
    raw: tuple[IntervalSet | None, ...]  # each band's set as written, before the domain cuts it
    written: tuple[IntervalSet | None, ...]  # each band's own set within the domain (None: not analysable)
    effective: tuple[IntervalSet | None, ...]  # the same, with 否则 resolved to what the others leave
    problems: tuple[Diagnostic, ...]  # unit and notation problems in the conditions


def analyse_bands(rule: ast.Bands, inference: Inference) -> BandFacts:
    """Where each band of a rule applies within the subject's domain."""
    subject = inference.expr(rule.subject)
    domain = IntervalSet.of(subject.range)
    ranked = isinstance(rule.subject, ast.Call) and rule.subject.func == "rank"
    if ranked:
        domain = whole_cover(domain)
    raw, problems = [], []
    for band in rule.bands:
        where = condition_set(band.cond, rule.subject, subject, inference)
        problems.extend(where.problems)
        raw.append(whole_cover(where.values) if ranked and where.values is not None else where.values)
    written = [values.intersect(domain) if values is not None else None for values in raw]
    effective = resolve_otherwise([b.cond for b in rule.bands], written, domain)
    return BandFacts(subject, domain, tuple(raw), tuple(written), tuple(effective), tuple(problems))


def whole_cover(values: IntervalSet) -> IntervalSet:
    """A set of ranks (whole numbers) as the half-open intervals (k − 1, m] covering the same whole numbers, so
    bands written 第1～3名、第4～10名 meet with no gap between 3 and 4."""
    parts = []
    for part in values.parts:
        low = part.lo if iv.infinite(part.lo) else Fraction(math.ceil(part.lo) if part.lo_closed else
                                                              math.floor(part.lo) + 1) - 1
        high = part.hi if iv.infinite(part.hi) else Fraction(math.floor(part.hi) if part.hi_closed else
                                                               math.ceil(part.hi) - 1)
        if iv.infinite(low) or iv.infinite(high) or low < high:
            parts.append(Interval(low, high, False, not iv.infinite(high)))
    return IntervalSet.of(*parts)


def resolve_otherwise(conds, written, domain: IntervalSet) -> list[IntervalSet | None]:
    """否则 covers whatever the other bands leave of the domain."""
    covered = IntervalSet()
    for cond, values in zip(conds, written):
        if not isinstance(cond, ast.Otherwise) and values is not None:
            covered = covered.union(values)
    return [domain.minus(covered) if isinstance(c, ast.Otherwise) else v for c, v in zip(conds, written)]


def item_points(rule: ast.Checklist, item: ast.ChecklistItem) -> Decimal:
    """An element's points: its own, else the checklist's each-item points, else 0."""
    if item.points is not None:
        return item.points
    return rule.each if rule.each is not None else Decimal(0)


def deviation_jump(rule: ast.Deviation, points: Fraction) -> Fraction | None:
    """What a deviation rule awards just inside its limit when that is not 0 (a jump to 0 beyond it)."""
    if rule.limit is None:
        return None
    at_limit = points - to_fraction(rule.deduct) * steps(
        to_fraction(rule.limit.amount), to_fraction(rule.step.amount), rule.rounding)
    if rule.until_zero:
        at_limit = max(at_limit, Fraction(0))
    beyond = to_fraction(rule.beyond_points) if rule.beyond_points is not None else Fraction(0)
    return at_limit if at_limit != beyond else None
