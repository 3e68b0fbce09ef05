"""Exact quantities num/den of two DECIMAL fragments, sums of them kept apart, and their algebra: nothing is divided until a score is rounded."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Callable, Sequence

import attrs

from idsl.engines.sql.fragments import (ONE, ZERO, Cond, Dec, Err, FALSE, TRUE, absolute, add, case, cmp,
                                        compare_values, digits_of, err_seq, err_when, lit, mul, neg, scale_of, string,
                                        sub)


@attrs.frozen
class Q:
    """An exact quantity num / den (den None means 1; den > 0), and the error evaluating it may raise.

    `limit` bounds |num / den| when something tighter than the digits is known (a value held within
    [0, points]), so the division that rounds it guesses within a small range."""

    num: Dec
    den: Dec | None = None
    err: Err | None = None
    limit: Fraction | None = None

    @property
    def const(self) -> Fraction | None:
        if self.num.const is None:
            return None
        if self.den is None:
            return self.num.const
        return None if self.den.const is None else self.num.const / self.den.const

    @property
    def layer(self) -> int:
        return max(self.num.layer, self.den.layer if self.den else 0, self.err.layer if self.err else 0)

    @property
    def nonneg(self) -> bool:
        return self.num.nonneg

    def plain(self) -> "Q":
        """The same value without its error (the error is the caller's business)."""
        return Q(self.num, self.den, None, self.limit)

    def bound(self) -> Fraction:
        """A bound on |num/den| (a denominator that is not 0 is at least 10^-scale; a constant one is itself)."""
        if self.den is not None and self.den.const is not None and self.den.const > 0:
            wide = self.num.bound / self.den.const
        else:
            wide = self.num.bound * (10 ** self.den.scale if self.den is not None else 1)
        return wide if self.limit is None else min(wide, self.limit)


def q_lit(value: Fraction | Decimal | int) -> Q:
    value = Fraction(value)
    if scale_of(value) is not None:
        return Q(lit(value))
    return Q(lit(value.numerator), lit(value.denominator))


def den_of(q: Q) -> Dec:
    return q.den if q.den is not None else ONE


def _same(a: Dec | None, b: Dec | None) -> bool:
    return (a is None and b is None) or (a is not None and b is not None and a.text == b.text)


@attrs.frozen
class Sum:
    """Quantities over different denominators added, kept apart (two or more terms, each without its error).

    One fraction would multiply the denominators: three ratios of amounts need 54 digits over 54, where each
    term's own fraction keeps 18 over 18. A sum is rounded term by term (`sums`); where one fraction is
    needed (a comparison, a division) it is combined (`q_single`), as wide as it comes."""

    terms: tuple[Q, ...]
    err: Err | None = None
    limit: Fraction | None = None

    const = None  # a sum of constants is a constant

    @property
    def layer(self) -> int:
        return max([t.layer for t in self.terms] + [self.err.layer if self.err else 0])

    @property
    def nonneg(self) -> bool:
        return all(t.nonneg for t in self.terms)

    def plain(self) -> "Sum":
        return Sum(self.terms, None, self.limit)

    def bound(self) -> Fraction:
        wide = sum((t.bound() for t in self.terms), Fraction(0))
        return wide if self.limit is None else min(wide, self.limit)


Quantity = Q | Sum


def q_single(value: Quantity) -> Q:
    """A sum combined into one fraction (a SqlError where it needs more than 38 digits); a Q unchanged."""
    if isinstance(value, Q):
        return value
    total = value.terms[0]
    for term in value.terms[1:]:
        total = _combined(total, term)
    return Q(total.num, total.den, value.err, value.limit)


def _terms(value: Quantity, negated: bool = False) -> tuple[Q, ...]:
    terms = value.terms if isinstance(value, Sum) else (value.plain(),)
    return tuple(q_neg(t) for t in terms) if negated else terms


def _apart(a: Q, b: Q) -> bool:
    """Whether adding a and b would multiply two denominators that are not constants, into more digits than a
    64-bit integer holds."""
    return (a.den is not None and b.den is not None and a.den.const is None and b.den.const is None
            and not _same(a.den, b.den) and not _narrow(a, b))


def _joins(a: Q, b: Q) -> bool:
    """Whether b joins a's term cheaply: one denominator, none that is a column (a whole number over a
    column would take the column's digits), or two so small that their product is too."""
    return _same(a.den, b.den) or all(q.den is None or q.den.const is not None for q in (a, b)) or _narrow(a, b)


NARROW = 18  # digits (with decimals) of a 64-bit integer: one fraction this narrow is cheaper than two terms


def _narrow(a: Q, b: Q) -> bool:
    """Whether a + b as one fraction keeps numerator and denominator within NARROW digits: 均分's shares over
    the count of the elements that apply (1 to 3) add into one small fraction, not a sum rounded term by term."""
    da, db = den_of(a), den_of(b)
    den = Fraction(da.bound) * db.bound
    num = a.num.bound * db.bound + b.num.bound * da.bound
    return (digits_of(den) + da.scale + db.scale <= NARROW
            and digits_of(num) + max(a.num.scale + db.scale, b.num.scale + da.scale) <= NARROW)


def _sum_of(a: Quantity, b: Quantity, subtract: bool, err: Err | None) -> Quantity:
    """a ± b as a Sum: a term of b over a denominator a term already has (or over none, beside one over none)
    joins that term; any other stays a term of its own."""
    terms = list(_terms(a))
    for term in _terms(b, negated=subtract):
        twin = next((i for i, t in enumerate(terms) if _joins(t, term)), None)
        if twin is None:
            terms.append(term)
        else:
            terms[twin] = _combined(terms[twin], term)
    limit = a.bound() + b.bound() if a.limit is not None and b.limit is not None else None
    if len(terms) == 1:
        return Q(terms[0].num, terms[0].den, err, limit)
    return Sum(tuple(terms), err, limit)


def q_add(a: Quantity, b: Quantity, subtract: bool = False) -> Quantity:
    """a + b (a − b): one fraction, or a Sum where the denominators would multiply."""
    err = err_seq(a.err, b.err)
    if isinstance(a, Sum) or isinstance(b, Sum) or _apart(a, b):
        return _sum_of(a, b, subtract, err)
    return attrs.evolve(_combined(a, b, subtract), err=err)


def _combined(a: Q, b: Q, subtract: bool = False) -> Q:
    """a + b (a − b) as one fraction (errors are the caller's)."""
    op = sub if subtract else add
    if a.const is not None and b.const is not None:
        return q_lit(a.const - b.const if subtract else a.const + b.const)
    # a sum of values held within bounds (scores within their points) is held within their sum
    limit = a.bound() + b.bound() if a.limit is not None and b.limit is not None else None
    if _same(a.den, b.den):
        return Q(op(a.num, b.num), a.den, None, limit)
    if b.den is not None and b.den.const is not None and a.den is None:
        return Q(op(mul(a.num, b.den), b.num), b.den, None, limit)
    return Q(op(mul(a.num, den_of(b)), mul(b.num, den_of(a))), mul(den_of(a), den_of(b)), None, limit)


def q_mul(a: Quantity, b: Quantity) -> Quantity:
    """a × b; a sum times a constant stays a sum, term by term."""
    err = err_seq(a.err, b.err)
    if isinstance(a, Sum) or isinstance(b, Sum):
        factor, total = (a, b) if isinstance(b, Sum) else (b, a)
        if factor.const is None:
            return q_mul(q_single(a), q_single(b))
        limit = total.limit * abs(factor.const) if total.limit is not None else None
        return Sum(tuple(q_mul(t, factor.plain()) for t in total.terms), err, limit)
    if a.const is not None and b.const is not None:
        return attrs.evolve(q_lit(a.const * b.const), err=err)
    limit = _product_limit(a, b)
    for x, y in ((a, b), (b, a)):
        if x.const is not None and scale_of(x.const) is None and y.den is None:
            return Q(mul(y.num, lit(x.const.numerator)), lit(x.const.denominator), err, limit)
    den = None
    if a.den is not None or b.den is not None:
        den = mul(den_of(a), den_of(b))
    return _simplify(Q(mul(a.num, b.num), den, err, limit))


def _product_limit(a: Q, b: Q) -> Fraction | None:
    """A bound on |a × c| for a constant c and an a whose value is held (a rate within min(…, 100%)): the average
    of four such rates ÷ 3 × 分值 stays within its points, not the digits of a count over a count."""
    for x, y in ((a, b), (b, a)):
        if x.const is not None and y.limit is not None:
            return abs(x.const) * y.bound()
    return None


def _simplify(q: Q) -> Q:
    if q.den is not None and q.den.const == 1:
        return Q(q.num, None, q.err, q.limit)
    return q


def q_neg(a: Quantity) -> Quantity:
    if isinstance(a, Sum):
        return Sum(tuple(q_neg(t) for t in a.terms), a.err, a.limit)
    return Q(neg(a.num), a.den, a.err, a.limit)


def q_abs(a: Q) -> Q:
    return Q(absolute(a.num), a.den, a.err, a.limit)


def q_div(a: Quantity, b: Q, zero_message: str) -> Quantity:
    """a / b, raising `zero_message` when b is 0 (as the interpreter does, after evaluating both); a sum over a
    constant stays a sum."""
    err = err_seq(a.err, b.err)
    bc = b.const
    if bc is not None and bc != 0:
        return attrs.evolve(q_mul(a.plain(), q_lit(1 / bc)), err=err)
    a = q_single(a)
    if bc == 0:
        return Q(a.num, a.den, err_seq(err, Err(string(zero_message))))
    err = err_seq(err, err_when(cmp(b.num, "=", ZERO), zero_message))
    num = mul(a.num, den_of(b))
    den = mul(den_of(a), b.num)
    if not b.num.nonneg:
        num = case([(cmp(b.num, "<", ZERO), neg(num))], num)
        den = mul(den_of(a), absolute(b.num))
    return _simplify(Q(num, den, err))


def q_cmp(a: Q, op: str, b: Q) -> Cond:
    if a.const is not None and b.const is not None:
        return TRUE if compare_values(a.const, op, b.const) else FALSE
    if _same(a.den, b.den):
        return cmp(a.num, op, b.num)
    return cmp(mul(a.num, den_of(b)), op, mul(b.num, den_of(a)))


def q_case(branches: Sequence[tuple[Cond, Quantity]], otherwise: Quantity) -> Quantity:
    """Choose between quantities (the errors are the caller's business)."""
    live = [(c, v) for c, v in branches if c.const is not False]
    for index, (c, v) in enumerate(live):
        if c.const is True:
            live, otherwise = live[:index], v
            break
    if not live:
        return otherwise.plain()
    if any(isinstance(v, Sum) for v in [otherwise] + [v for _c, v in live]):
        return _sum_case(live, otherwise)
    num = case([(c, v.num) for c, v in live], otherwise.num)
    if all(_same(v.den, otherwise.den) for _, v in live):
        den = otherwise.den
    else:
        den = case([(c, den_of(v)) for c, v in live], den_of(otherwise))
    limits = [v.bound() for _, v in live] + [otherwise.bound()]
    return _simplify(Q(num, den, None, max(limits)))


def _sum_case(branches: Sequence[tuple[Cond, Quantity]], otherwise: Quantity) -> Sum:
    """A choice between sums, term by term: the i-th term of each value (0 where a value has fewer)."""
    values = [v for _c, v in branches] + [otherwise]
    count = max(len(_terms(v)) for v in values)
    padded = [_terms(v) + (Q(ZERO),) * (count - len(_terms(v))) for v in values]
    terms = tuple(q_case([(c, p[i]) for (c, _v), p in zip(branches, padded)], padded[-1][i]) for i in range(count))
    return Sum(terms, None, max(v.bound() for v in values))


Compare = Callable[[Quantity, str, Quantity], Cond]


def q_min(values: Sequence[Quantity], largest: bool = False, compare: Compare = q_cmp) -> Quantity:
    """The least (or largest) of the values, every one evaluated (a sum compared by `compare`); in the order given,
    but values ≥ 0 the least of which is wanted are compared from the smallest bound up."""
    err = err_seq(*(v.err for v in values))
    bounded = not largest and all(v.nonneg for v in values)  # the least of values ≥ 0 is within each one's bound
    if bounded:  # the smallest bound first: where another value is missing, the CASE gives this one, not a wider
        values = sorted(values, key=lambda v: v.bound())  # one a cast to the smaller bound would refuse
    best = values[0]
    for other in values[1:]:
        if best.const is not None and other.const is not None:
            best = other if (other.const > best.const if largest else other.const < best.const) else best
            continue
        better = compare(other, ">" if largest else "<", best)
        best = q_case([(better, other.plain())], best.plain())
    if bounded:
        return attrs.evolve(_num_within(best, values), err=err, limit=values[0].bound())
    return attrs.evolve(best, err=err)


def _num_within(least: Quantity, values: Sequence[Quantity]) -> Quantity:
    """The least of values ≥ 0 over one denominator (or none) with the numerator's bound of the smallest: each
    comparison is of numerators, so the CASE gives one at most that numerator (or it, where another is missing)
    in every row, a failing one too. `min(另加, 3)` needs the 3's one digit, not the count's nine."""
    first = values[0]
    if not isinstance(least, Q) or not all(isinstance(v, Q) and _same(v.den, first.den) for v in values):
        return least
    if least.num.bound <= first.num.bound:
        return least
    return attrs.evolve(least, num=attrs.evolve(least.num, bound=first.num.bound))


def q_clamp(a: Quantity, low: Fraction | None, high: Fraction | None, compare: Compare | None = None) -> Quantity:
    """min(max(a, low), high), keeping a's denominator (so sums over one denominator stay small); a sum is
    compared with the ends by `compare` (without one, combined into one fraction)."""
    if isinstance(a, Sum):
        return _clamp_sum(a, low, high, compare)
    branches = []
    known = ([a.limit] if a.limit is not None else []) + ([a.num.bound] if a.den is None else [])
    held = min(known) if known else None  # |a| ≤ held: an end beyond it is never reached
    if low is not None and not (a.nonneg and low <= 0) and not (held is not None and -held >= low):
        branches.append((q_cmp(a, "<", q_lit(low)), low))
    if high is not None and not (held is not None and held <= high):
        branches.append((q_cmp(a, ">", q_lit(high)), high))
    branches = [(c, v) for c, v in branches if c.const is not False]
    limit = max(abs(low), abs(high)) if low is not None and high is not None else None
    if limit is not None and a.limit is not None:
        limit = min(limit, a.limit)
    if not branches:
        return attrs.evolve(a, limit=limit if limit is not None else a.limit)
    if all(scale_of(v) is not None for _, v in branches) and _den_kept(a, [v for _, v in branches]):
        values = [(c, lit(v) if a.den is None else mul(lit(v), a.den)) for c, v in branches]
        num = case(values, a.num)
        if low is not None and low >= 0:
            num = attrs.evolve(num, nonneg=True)
        return _num_held(Q(num, a.den, a.err, limit))
    return _num_held(attrs.evolve(q_case([(c, q_lit(v)) for c, v in branches], a.plain()), err=a.err, limit=limit))


def _num_held(q: Quantity) -> Quantity:
    """A value clamped to [low, high] with |num| ≤ max(|low|, |high|) · den: the CASE compares a with each end
    times its own denominator, so even a denominator of 0 (a failing row) leaves 0 or an end, never more. A
    clamp to [0, points] needs the points' digits, not the operand's."""
    if not isinstance(q, Q) or q.limit is None:
        return q
    held = q.limit * den_of(q).bound
    return q if held >= q.num.bound else attrs.evolve(q, num=attrs.evolve(q.num, bound=held))


def _clamp_sum(a: Sum, low: Fraction | None, high: Fraction | None, compare: Compare | None) -> Quantity:
    """A clamp of a sum: where its bounds already hold it (parts within their points, summed within the leaf's)
    it only narrows the limit; else each end the sum may pass is a branch of a choice between sums."""
    held = a.bound()
    ends = [(op, end) for op, end, passed in (("<", low, low is not None and not (a.nonneg and low <= 0) and -held < low),
                                              (">", high, high is not None and held > high)) if passed]
    within = max(abs(low), abs(high)) if low is not None and high is not None else None
    if not ends:
        return attrs.evolve(a, limit=min(within, held) if within is not None else a.limit)
    if compare is None:
        return q_clamp(q_single(a), low, high)
    chosen = q_case([(compare(a, op, q_lit(end)), q_lit(end)) for op, end in ends], a.plain())
    return attrs.evolve(chosen, err=a.err, limit=min(within, chosen.bound()) if within is not None else chosen.limit)


def _den_kept(a: Q, ends: Sequence[Fraction]) -> bool:
    """Whether a clamp may write its ends over a's denominator (end × den) without widening the numerator.
    Not for a ratio of an amount converted to 万元 (ten decimals) over one in 元 (up to 10^12): end × den would
    take both, 22 digits, where the ends over a denominator of their own keep each at 18 (and a sum of two
    such ratios fits 38 digits)."""
    if a.den is None:
        return True
    bound = max([a.num.bound] + [abs(end) * a.den.bound for end in ends])
    scale = max([a.num.scale] + [a.den.scale + (scale_of(end) or 0) for end in ends])
    return digits_of(bound) + scale <= a.num.digits + a.num.scale


@attrs.frozen
class Branch:
    """Which of several conditions held first (1, 2 …; 0: none): a column, or a constant."""

    text: str
    layer: int = 0
    const: bool = False  # known at compile time (text is the number)

    def is_(self, number: int) -> Cond:
        if self.const:
            return TRUE if int(self.text) == number else FALSE
        return Cond(f"{self.text} = {number}", None, self.layer)


def q_select(index: Branch, values: Sequence[Q], otherwise: Q) -> Q:
    """values[i-1] where the branch is i, `otherwise` where it is 0 (errors are the caller's)."""
    return q_case([(index.is_(number), value) for number, value in enumerate(values, start=1)], otherwise)


def err_select(index: Branch, errors: Sequence[Err | None], otherwise: Err | None) -> Err | None:
    """The error of the chosen branch's value."""
    if index.const:
        number = int(index.text)
        return errors[number - 1] if number else otherwise
    whens = [(number, e) for number, e in enumerate(errors, start=1) if e is not None]
    if not whens and otherwise is None:
        return None
    parts = " ".join(f"WHEN {index.text} = {number} THEN {e.text}" for number, e in whens)
    if otherwise is not None:
        parts += f" WHEN {index.text} = 0 THEN {otherwise.text}"
    layer = max([index.layer] + [e.layer for _n, e in whens] + ([otherwise.layer] if otherwise else []))
    return Err(f"CASE {parts} END", layer)


__all__ = ["Branch", "Compare", "Q", "Quantity", "Sum", "den_of", "err_select", "q_abs", "q_add", "q_case", "q_clamp", "q_cmp", "q_div", "q_lit",
           "q_min", "q_mul", "q_neg", "q_select", "q_single"]
