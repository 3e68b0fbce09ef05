"""Exact analysis of rules: where each band applies, what it awards, and a rule's least and most award."""

from __future__ import annotations

from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal
from fractions import Fraction

import attrs

from idsl.frontend import ast
from idsl.check import intervals as iv
from idsl.check.env import RATIO, Dim, Inference, Inferred, num_dim, to_fraction
from idsl.check.intervals import INF, Interval, IntervalSet, closed
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
        return _range_set(cond, subject, inference)
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


def _range_set(cond: ast.Range, subject: Inferred, inference: Inference) -> Where:
    low, high = constant(cond.low, inference, subject), constant(cond.high, inference, subject)
    if low is None or high is None:
        return Where(None)
    problems = _unit_problems(cond.low, low, subject, inference) + _unit_problems(cond.high, high, subject, inference)
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
        problems.extend(_unit_problems(other, found, subject, inference))
        values = values.intersect(IntervalSet.of(_HALF_LINES[relation](found[0])))
    return Where(values, tuple(problems))


def _unit_problems(node, found: tuple[Fraction, Dim], subject: Inferred, inference: Inference) -> tuple:
    value, dim = found
    if subject.dim == RATIO and dim.kind == "literal" and abs(value) > 1:
        return (Diagnostic(
            "E410", f"比率与 {node.value if isinstance(node, ast.Num) else value} 比较，却没有写 %。",
            node.span, inference.leaf.path,
            hint=f"写成 {node.value if isinstance(node, ast.Num) else value}%；比率按百分数书写。"),)
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
    if iv.infinite(anchor) or iv.infinite(x):
        return Fraction(-10**12)  # unbounded deduction: reported by the caller
    distance = abs(_exact(anchor) - _exact(x))
    return start - to_fraction(outcome.deduct) * steps(distance, to_fraction(outcome.step.amount), outcome.rounding)


def _exact(x) -> Fraction:
    return x if type(x) is Fraction else Fraction(x)


def outcome_range(outcome, band: Interval, points: Fraction) -> tuple[Fraction, Fraction]:
    """The least and most a band awards over its whole interval."""
    if isinstance(outcome, ast.Fixed):
        value = outcome_at(outcome, band, band.lo, points)
        return value, value
    ends = [outcome_at(outcome, band, end, points) for end in (band.lo, band.hi)]
    return min(ends), max(ends)


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
    raw, problems = [], []
    for band in rule.bands:
        where = condition_set(band.cond, rule.subject, subject, inference)
        problems.extend(where.problems)
        raw.append(where.values)
    written = [values.intersect(domain) if values is not None else None for values in raw]
    effective = resolve_otherwise([b.cond for b in rule.bands], written, domain)
    return BandFacts(subject, domain, tuple(raw), tuple(written), tuple(effective), tuple(problems))


def resolve_otherwise(conds, written, domain: IntervalSet) -> list[IntervalSet | None]:
    """否则 covers whatever the other bands leave of the domain."""
    covered = IntervalSet()
    for cond, values in zip(conds, written):
        if not isinstance(cond, ast.Otherwise) and values is not None:
            covered = covered.union(values)
    return [domain.minus(covered) if isinstance(c, ast.Otherwise) else v for c, v in zip(conds, written)]


# ---------------------------------------------------------------- award bounds of every rule kind


@attrs.frozen
class Award:
    """The least and most a rule can award, exactly; None when it cannot be known."""

    low: Fraction | float | None  # infimum (may be -inf)
    high: Fraction | float | None  # supremum (may be inf)


def award(leaf, inference: Inference, band_facts: BandFacts | None = None) -> Award:
    """The least and most the leaf's rule and special cases can award (a 分档 rule's analysis may be given)."""
    body = leaf.body
    points = to_fraction(leaf.points) if leaf.points is not None else None
    if body is None or body.rule is None or points is None:
        return Award(None, None)
    low, high = _rule_award(body.rule, leaf, inference, points, band_facts)
    for special in body.specials:
        value = points if special.points is None else to_fraction(special.points)
        low = value if low is None else min(low, value)
        high = value if high is None else max(high, value)
    return Award(low, high)


def _rule_award(rule, leaf, inference: Inference, points: Fraction, band_facts: BandFacts | None = None):
    if isinstance(rule, ast.Checklist):
        total = sum((to_fraction(item_points(rule, item)) for item in rule.items), Fraction(0))
        return Fraction(0), total
    if isinstance(rule, ast.Formula):
        found = inference.expr(rule.expr)
        return found.range.lo, found.range.hi
    if isinstance(rule, ast.Bands):
        return _bands_award(rule, band_facts or analyse_bands(rule, inference), points)
    if isinstance(rule, ast.Deviation):
        return _deviation_award(rule, inference, points)
    if isinstance(rule, ast.PerFinding):
        low = points - to_fraction(rule.cap) if rule.cap is not None else Fraction(0)
        return max(Fraction(0), low), points
    if isinstance(rule, ast.Choice):
        values = [to_fraction(o.points) for o in rule.options] or [Fraction(0)]
        return min(values), max(values)
    if isinstance(rule, ast.Discretionary):
        low = to_fraction(rule.low) if rule.low is not None else Fraction(0)
        high = to_fraction(rule.high) if rule.high is not None else points
        return low, high
    if isinstance(rule, ast.Target):
        return Fraction(0), points
    if isinstance(rule, ast.Parts):
        # Each part is checked against its own points; together they award up to their sum.
        return Fraction(0), sum((to_fraction(p.points) for p in rule.parts), Fraction(0))
    return None, None


def item_points(rule: ast.Checklist, item: ast.ChecklistItem) -> Decimal:
    """An element's points: its own, else the checklist's each-item points, else 0."""
    if item.points is not None:
        return item.points
    return rule.each if rule.each is not None else Decimal(0)


def _bands_award(rule: ast.Bands, facts: BandFacts, points: Fraction):
    lows, highs = [], []
    for band, values in zip(rule.bands, facts.effective):
        parts = values.parts if values is not None else ()
        for part in parts:
            if linear_anchor_missing(band.outcome, part):
                continue  # reported as a malformed band
            low, high = outcome_range(band.outcome, part, points)
            if isinstance(band.outcome, ast.Linear) and INF in (part.hi, -part.lo):
                low = -INF  # deducting without end: the award falls without bound
            lows.append(low)
            highs.append(high)
    if not highs:
        return None, None
    return min(lows), max(highs)


def _deviation_award(rule: ast.Deviation, inference: Inference, points: Fraction):
    subject = inference.expr(rule.subject)
    target = inference.expr(rule.target)
    distance = iv.absolute(iv.sub(subject.range, target.range))
    step = to_fraction(rule.step.amount)
    deduct = to_fraction(rule.deduct)
    farthest = distance.hi if rule.limit is None else min(distance.hi, to_fraction(rule.limit.amount))
    if farthest == INF:
        return -INF, points
    least = points - deduct * steps(Fraction(farthest), step, rule.rounding)
    if rule.limit is not None and distance.hi > to_fraction(rule.limit.amount):
        beyond = to_fraction(rule.beyond_points) if rule.beyond_points is not None else Fraction(0)
        least = min(least, beyond)
    nearest = distance.lo
    most = points - deduct * steps(Fraction(nearest), step, rule.rounding)
    return least, most


def deviation_jump(rule: ast.Deviation, points: Fraction) -> Fraction | None:
    """What a deviation rule awards just inside its limit when that is not 0 (a jump to 0 beyond it)."""
    if rule.limit is None:
        return None
    at_limit = points - to_fraction(rule.deduct) * steps(
        to_fraction(rule.limit.amount), to_fraction(rule.step.amount), rule.rounding)
    beyond = to_fraction(rule.beyond_points) if rule.beyond_points is not None else Fraction(0)
    return at_limit if at_limit != beyond else None


def limit_dim(rule: ast.Deviation) -> Dim:
    """The dimension a deviation's step and limit are written in."""
    return num_dim(rule.step)
