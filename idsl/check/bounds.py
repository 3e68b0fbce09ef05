"""Interval bounds of the score IR: the least and largest value a leaf's exact result can take, one function per node kind."""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Callable

import attrs

from idsl.check import intervals as iv
from idsl.check.intervals import EVERYTHING, INF, Bound, Interval, IntervalSet, closed, infinite
from idsl.check.narrowing import ANY_LABEL, BOTH, CONDITIONS, Env, Labels, hull, is_empty, is_whole, join, keys
from idsl.check.narrowing import whole_numbers
from idsl.semantics import ir
from idsl.semantics.numbers import half_up


@attrs.frozen
class Bounds:
    """The least and largest value (either may be infinite)."""

    low: Bound
    high: Bound
    floored: bool = False  # a count of steps went past 0 and was held there (扣完为止) on the way


def expr_bounds(expr, floor: bool = True) -> Bounds | None:
    """The least and largest value of a numeric expression; None when it never has one.

    Fields range over their declared domains (`Field.low/high`; a yes/no both ways, a label any
    option). A `Cases` branch counts where its condition holds and the earlier ones do not: the
    values a condition compares are narrowed (`idsl.check.narrowing`), and a named value is
    evaluated once per narrowing. A `Fail` has no value, so a band gap or a zero denominator adds
    nothing. `floor=False` takes 扣完为止 out of `Steps`, so the least says how far the
    deductions as written go below 0 (E402).

    >>> from idsl.semantics import ir
    >>> x = ir.Named("subject", ir.Field("甲", "率", "input", "number", Fraction(0), Fraction(1)))
    >>> below = ir.Steps(ir.Arith("-", ir.Const(Fraction(4, 5)), x), Fraction(1, 100), Fraction(1, 10), Fraction(2))
    >>> rule = ir.Cases((ir.Branch(ir.Compare(x, ">=", ir.Const(Fraction(4, 5))), ir.Const(Fraction(2))),), below)
    >>> expr_bounds(rule), expr_bounds(rule, floor=False)
    (Bounds(low=Fraction(0, 1), high=Fraction(2, 1), floored=True), Bounds(low=Fraction(-6, 1), high=Fraction(2, 1), floored=False))
    """
    evaluator = _Evaluator(floor)
    value = evaluator.value(expr, Env())
    if not isinstance(value, Interval):
        return None
    return Bounds(value.lo, value.hi, evaluator.floored)


def zero_divisions(expr, at_zero: ir.Field) -> list[tuple[ir.Div, Env]]:
    """The divisions that still meet a zero denominator when the field `at_zero` is 0, each with what the
    conditions before it say of the other values there: those conditions (a special case's, a band's) narrow
    its denominator as they narrow any value, so a case that takes every unit with the field at 0 leaves none."""
    evaluator = _Evaluator(True)
    evaluator.value(expr, Env({("field", at_zero): IntervalSet.of(closed(Fraction(0), Fraction(0)))}))
    return list(evaluator.zero_divisions.items())


def leaf_bounds(leaf, floor: bool = True) -> Bounds | None:
    """The least and largest exact result of a lowered leaf (`idsl.semantics.program.LeafIR`)."""
    return expr_bounds(leaf.exact, floor)


def rule_bounds(leaf, floor: bool = True) -> Bounds | None:
    """The same for the leaf's rule alone, before the lines that adjust it (§11.12): each of those is
    bounded by its own cap, and E401/E402 are about the rule."""
    return expr_bounds(leaf.unit.exact, floor)


# ---------------------------------------------------------------- the evaluator


class _Evaluator:
    """Interval evaluation of one expression; named values memoised per environment."""

    def __init__(self, floor: bool):
        self.floor = floor  # Steps stop at 0 (扣完为止)
        self.floored = False  # some Steps did
        self.memo: dict[tuple, object] = {}
        self.zero_divisions: dict[ir.Div, Env] = {}  # divisions met with 0 among their denominator's values, and where

    def value(self, node, env: Env):
        """A number's range (an Interval), a yes/no's answers, a label's options; None: it always fails."""
        return _VALUES[type(node)](self, node, env)

    def holds(self, cond, env: Env | None, want: bool) -> Env | None:
        """The environment narrowed to where `cond` evaluates to `want`; None where it never does."""
        return None if env is None else CONDITIONS[type(cond)](self, cond, env, want)

    def narrow(self, expr, env: Env, change: Callable) -> Env | None:
        """`env` with `expr`'s domain changed by `change`; None when no value is left."""
        current = self._domain(expr, env)
        domain = None if current is None else change(current)
        if isinstance(domain, IntervalSet) and is_whole(expr):
            domain = whole_numbers(domain)
        return None if is_empty(domain) else env.narrowed(keys(expr), domain)

    def _domain(self, expr, env: Env):
        for key in keys(expr):
            if key in env.items:
                return env.items[key]
        value = self.value(expr, env)
        return IntervalSet.of(value) if isinstance(value, Interval) else value


# ---------------------------------------------------------------- values, one function per node kind


def _const(ev: _Evaluator, node: ir.Const, env: Env):
    return closed(node.value, node.value)


def _text(ev: _Evaluator, node: ir.Text, env: Env):
    return Labels(frozenset((node.value,)))


def _yes_no(ev: _Evaluator, node: ir.YesNo, env: Env):
    return frozenset((node.value,))


def _field(ev: _Evaluator, node: ir.Field, env: Env):
    key = ("field", node)
    if key in env.items:
        return hull(env.items[key])
    if node.kind == "flag":
        return BOTH
    if node.kind == "label":
        return ANY_LABEL
    low, high = -INF if node.low is None else node.low, INF if node.high is None else node.high
    return closed(low, high) if low <= high else None  # an empty declared range: no value to read


def _numbers(ev: _Evaluator, nodes, env: Env) -> list[Interval] | None:
    """Operands evaluated in order; None when one has no numeric value (the evaluation fails)."""
    values = []
    for node in nodes:
        value = ev.value(node, env)
        if not isinstance(value, Interval):
            return None
        values.append(value)
    return values


def _arith(ev: _Evaluator, node: ir.Arith, env: Env):
    values = _numbers(ev, (node.left, node.right), env)
    if values is None:
        return None
    left, right = values
    if node.op == "*":
        return _times(left, right)
    return _plus(left, right if node.op == "+" else _minus(right))


# Which ends are reached matters where a count of steps is rounded at the open end of a band
# (x < 80%: 每降低 1%（向上取整）…), so sums and multiples keep it; anything else closes the ends (a superset).


def _plus(a: Interval, b: Interval) -> Interval:
    lo, hi = a.lo + b.lo, a.hi + b.hi
    return Interval(lo, hi, a.lo_closed and b.lo_closed and not infinite(lo),
                    a.hi_closed and b.hi_closed and not infinite(hi))


def _minus(a: Interval) -> Interval:
    return Interval(-a.hi, -a.lo, a.hi_closed, a.lo_closed)


def _times(a: Interval, b: Interval) -> Interval:
    for factor, other in ((b, a), (a, b)):
        if factor.is_point and not infinite(factor.lo):
            c = factor.lo
            if c == 0:
                return closed(Fraction(0), Fraction(0))
            scaled = Interval(other.lo * c, other.hi * c, other.lo_closed, other.hi_closed)
            return scaled if c > 0 else Interval(scaled.hi, scaled.lo, scaled.hi_closed, scaled.lo_closed)
    return iv.mul(a, b)


def _div(ev: _Evaluator, node: ir.Div, env: Env):
    values = _numbers(ev, (node.left, node.right), env)
    if values is None:
        return None
    left, right = values
    if right.contains(Fraction(0)):
        ev.zero_divisions.setdefault(node, env)
    if right.lo == right.hi == 0:
        return None  # always a zero denominator: the evaluation fails
    if right.lo == 0:
        inverse = closed(_inverse(right.hi), INF)
    elif right.hi == 0:
        inverse = closed(-INF, _inverse(right.lo))
    elif right.lo < 0 < right.hi:
        inverse = EVERYTHING
    else:
        inverse = closed(_inverse(right.hi), _inverse(right.lo))
    quotient = iv.mul(left, inverse)
    share = _weighted_ratio(ev, node, env)
    if share is not None:
        quotient = closed(max(quotient.lo, share.lo), min(quotient.hi, share.hi))
    return quotient


def _inverse(x: Bound) -> Bound:
    return Fraction(0) if x in (INF, -INF) else 1 / x


def _weighted_ratio(ev: _Evaluator, node: ir.Div, env: Env) -> Interval | None:
    """Σ aᵢxᵢ / Σ bᵢxᵢ over values xᵢ ≥ 0 and bᵢ > 0 lies between the least and largest aᵢ/bᵢ.

    That keeps a share of a whole (a / (a + b)) within 0…1 and a questionnaire's rate within its
    options' scores over the best one, where dividing the ranges apart would lose the link.
    """
    top, bottom = _linear(node.left), _linear(node.right)
    if top is None or bottom is None or any(atom not in bottom for atom in top):
        return None
    ratios = []
    for atom, weight in bottom.items():
        if weight <= 0:
            return None
        if atom is not _ONE:
            value = ev.value(atom, env)
            if not isinstance(value, Interval) or value.lo < 0:
                return None
        ratios.append(top.get(atom, Fraction(0)) / weight)
    return closed(min(ratios), max(ratios))


_ONE = "1"  # the atom a constant term multiplies


def _linear(expr) -> dict | None:
    """An expression as Σ weight × atom (atoms: fields and named values that are not sums), or None."""
    terms: dict = {}
    return terms if _collect(expr, Fraction(1), terms) else None


def _collect(expr, weight: Fraction, terms: dict) -> bool:
    """Add weight × expr to `terms`, in one pass over a long sum (a questionnaire's is one term per answer)."""
    if isinstance(expr, ir.Const):
        terms[_ONE] = terms.get(_ONE, Fraction(0)) + weight * expr.value
        return True
    if isinstance(expr, ir.Arith) and expr.op == "+":
        return _collect(expr.left, weight, terms) and _collect(expr.right, weight, terms)
    if isinstance(expr, ir.Arith) and expr.op == "*":
        for factor, other in ((expr.right, expr.left), (expr.left, expr.right)):
            if isinstance(factor, ir.Const):
                return _collect(other, weight * factor.value, terms)
        return False
    if isinstance(expr, ir.Named) and isinstance(expr.value, (ir.Arith, ir.Const, ir.Named)):
        inner: dict = {}
        if _collect(expr.value, weight, inner):
            for atom, w in inner.items():
                terms[atom] = terms.get(atom, Fraction(0)) + w
            return True
    if isinstance(expr, (ir.Named, ir.Field)):
        terms[expr] = terms.get(expr, Fraction(0)) + weight
        return True
    return False


def _neg(ev: _Evaluator, node: ir.Neg, env: Env):
    values = _numbers(ev, (node.operand,), env)
    return None if values is None else iv.neg(values[0])


def _abs(ev: _Evaluator, node: ir.Abs, env: Env):
    values = _numbers(ev, (node.operand,), env)
    return None if values is None else iv.absolute(values[0])


def _extreme(ev: _Evaluator, node: ir.Extreme, env: Env):
    values = _numbers(ev, node.args, env)
    if not values:
        return None
    pick = max if node.largest else min
    return closed(pick(v.lo for v in values), pick(v.hi for v in values))


def _clamp(ev: _Evaluator, node: ir.Clamp, env: Env):
    values = _numbers(ev, (node.operand,), env)
    if values is None:
        return None

    def hold(x: Bound, reached: bool) -> tuple[Bound, bool]:
        if node.low is not None and x < node.low:
            return node.low, True
        if node.high is not None and x > node.high:
            return node.high, True
        return x, reached
    (lo, lo_closed), (hi, hi_closed) = hold(values[0].lo, values[0].lo_closed), hold(values[0].hi, values[0].hi_closed)
    return Interval(lo, hi, lo_closed, hi_closed)


def _round(ev: _Evaluator, node: ir.Round, env: Env):
    values = _numbers(ev, (node.operand,), env)
    if values is None:
        return None
    scale = Fraction(10) ** node.places
    whole = {"floor": math.floor, "ceil": math.ceil}.get(node.mode)

    def rounded(x: Bound) -> Bound:  # every mode is monotone, so the ends round to the ends
        if x in (INF, -INF):
            return x
        return Fraction(half_up(x, node.places)) if whole is None else Fraction(whole(x * scale)) / scale
    return closed(rounded(values[0].lo), rounded(values[0].hi))


def _steps(ev: _Evaluator, node: ir.Steps, env: Env):
    values = _numbers(ev, (node.distance,), env)
    if values is None:
        return None
    fewest, most = _step_counts(values[0], node.step, node.rounding)

    def award(count: Bound) -> Bound:  # falls as the count grows (rises when per < 0)
        if count == INF:
            scored = node.start if node.per == 0 else -INF if node.per > 0 else INF
        else:
            scored = node.start - node.per * count
        if ev.floor and scored < node.low:
            ev.floored = True
            return node.low
        return scored
    ends = (award(fewest), award(most))
    return closed(min(ends), max(ends))


def _step_counts(distance: Interval, step: Fraction, rounding: str | None) -> tuple[Bound, Bound]:
    """The least and most steps counted, R(max(d, 0) / step), over a range of distances.

    R is monotone, so the ends give the ends; at an end the range does not reach, the count is
    R's limit from inside (向上取整 just above a whole step counts one more, 向下取整 just below one less).
    """
    if distance.hi <= 0:
        return Fraction(0), Fraction(0)  # no distance yet: no step counted
    if distance.lo < 0 or (distance.lo == 0 and distance.lo_closed):
        fewest = Fraction(0)
    else:
        x = Fraction(distance.lo) / step
        fewest = _ROUND[rounding](x) if distance.lo_closed else _FROM_ABOVE[rounding](x)
    if distance.hi == INF:
        return fewest, INF
    x = Fraction(distance.hi) / step
    return fewest, _ROUND[rounding](x) if distance.hi_closed else _FROM_BELOW[rounding](x)


_ROUND: dict[str | None, Callable[[Fraction], Fraction]] = {
    None: lambda x: x, "half_up": lambda x: Fraction(half_up(x, 0)),
    "floor": lambda x: Fraction(math.floor(x)), "ceil": lambda x: Fraction(math.ceil(x)),
}
_FROM_ABOVE: dict[str | None, Callable[[Fraction], Fraction]] = {  # lim R(y) as y falls to x (x ≥ 0)
    None: lambda x: x, "half_up": lambda x: Fraction(half_up(x, 0)),
    "floor": lambda x: Fraction(math.floor(x)), "ceil": lambda x: Fraction(math.floor(x) + 1),
}
_FROM_BELOW: dict[str | None, Callable[[Fraction], Fraction]] = {  # lim R(y) as y rises to x (x > 0)
    None: lambda x: x, "half_up": lambda x: Fraction(math.ceil(x + Fraction(1, 2)) - 1),
    "floor": lambda x: Fraction(math.ceil(x) - 1), "ceil": lambda x: Fraction(math.ceil(x)),
}


def _cases(ev: _Evaluator, node: ir.Cases, env: Env):
    found = []
    rest: Env | None = env
    for branch in node.branches:
        taken = ev.holds(branch.cond, rest, True)
        if taken is not None:
            found.append(ev.value(branch.value, taken))
        rest = ev.holds(branch.cond, rest, False)
        if rest is None:
            break
    else:
        found.append(ev.value(node.otherwise, rest))
    found = [v for v in found if v is not None]
    if not found:
        return None
    result = found[0]
    for value in found[1:]:
        result = join(result, value) if type(value) is type(result) else result
    return result


def _named(ev: _Evaluator, node: ir.Named, env: Env):
    key = ("named", node.name)
    if key in env.items:
        return hull(env.items[key])
    memo = (node.name, env.key())
    if memo not in ev.memo:
        ev.memo[memo] = ev.value(node.value, env)
    return ev.memo[memo]


def _fail(ev: _Evaluator, node: ir.Fail, env: Env):
    return None


def _peer(ev: _Evaluator, node: ir.Peer, env: Env):
    """The peers are other units: their values range over the subject's whole domain, not this unit's narrowing."""
    subject = ev.value(node.subject, Env())
    if not isinstance(subject, Interval):
        return None
    if node.agg in ("max", "min", "mean", "fill"):
        return closed(subject.lo, subject.hi)
    if node.agg == "rank":
        return closed(Fraction(1), INF)
    if node.agg == "rank_share":
        return Interval(Fraction(0), Fraction(1), False, True)
    # a value ÷ the largest, the least ÷ a value: within [0, 1] when no value is negative
    return closed(Fraction(0), Fraction(1)) if subject.lo >= 0 else EVERYTHING


_VALUES: dict[type, Callable] = {
    ir.Const: _const, ir.Text: _text, ir.YesNo: _yes_no, ir.Field: _field, ir.Arith: _arith, ir.Div: _div,
    ir.Neg: _neg, ir.Abs: _abs, ir.Extreme: _extreme, ir.Clamp: _clamp, ir.Round: _round, ir.Steps: _steps,
    ir.Cases: _cases, ir.Named: _named, ir.Fail: _fail, ir.Peer: _peer,
}

__all__ = ["Bounds", "expr_bounds", "leaf_bounds", "rule_bounds"]
