"""A sum of fractions over different denominators rounded and compared exactly term by term, each step within 38 digits."""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Any, Sequence

import attrs

from idsl.engines.sql.fragments import (MAX_PRECISION, ONE, ZERO, Cond, Dec, SqlError, add, c_and, c_not, case, cast, check, cmp,
                                        digits_of, lit, mul, neg, sub)
from idsl.engines.sql.quantities import Q, Quantity, Sum, q_add, q_cmp, q_lit, q_neg, q_single

# Combined into one fraction, three ratios of amounts (18 digits over 18 each) would need 54 digits over 54.
# Term by term they do not. At a scale P ≥ p where every term is a whole number over a whole number,
# Σ xᵢ·10^P = Σ Nᵢ/Dᵢ = Σ ⌊Nᵢ/Dᵢ⌋ + F, F = Σ Rᵢ/Dᵢ with 0 ≤ Rᵢ < Dᵢ, so F < k for k terms. Rounding at p
# decimals needs ⌊F + ½⌋ (or ⌊F⌋), that is which of the thresholds ½, 1½ … (or 1, 2 …) F reaches, and
# F ≥ g/v is decided without multiplying all the denominators: times D_k it reads
# Σ_{i<k} Rᵢ·D_k/Dᵢ + R_k ≥ g·D_k/v, and with Rᵢ·D_k = Qᵢ·Dᵢ + Sᵢ (a product of two denominators, 36 digits)
# it is Σ_{i<k} Sᵢ/Dᵢ ≥ (g·D_k − v·(R_k + Σ Qᵢ))/v: the same question over k − 1 terms, its threshold
# held within [0, v·(k − 1)] (below it is always reached, above never). Two terms left: v·(R₁·D₂ + R₂·D₁) ≥
# g·D₁·D₂, 37 digits; one: v·R₁ ≥ g·D₁. The levels serve every threshold alike, but each threshold takes its own
# chain of held carries: with four terms or more only the threshold nearest F (found in DOUBLE) is tested.
# A comparison with a sum is a sign: x ≥ y is ⌊x − y⌋ ≥ 0, x ≤ y is ⌊y − x⌋ ≥ 0.


def round_sum(c: Any, total: Sum, places: int, mode: str) -> Dec:
    """The sum rounded to `places` decimals: half up (halves away from zero), down (floor) or up (ceil)."""
    terms, limit = total.terms, total.bound() * 10 ** places + 1
    if mode == "half_up":
        whole = floor_sum(c, terms, places, Fraction(1, 2), limit)
        if not total.nonneg:  # a half below zero goes down: −⌊−x + ½⌋, where ⌊x + ½⌋ ≤ 0
            down = neg(floor_sum(c, [q_neg(t) for t in terms], places, Fraction(1, 2), limit))
            whole = c.keep(case([(cmp(whole, "<=", ZERO), down)], whole), "q")
    elif mode == "floor":
        whole = floor_sum(c, terms, places, Fraction(0), limit)
    else:  # ceil(x) = −floor(−x)
        whole = neg(floor_sum(c, [q_neg(t) for t in terms], places, Fraction(0), limit))
    value = mul(whole, lit(Fraction(1, 10 ** places)))
    return c.keep(cast(value, value.bound, places), "s")


def compare(c: Any, a: Quantity, op: str, b: Quantity) -> Cond:
    """a op b, exactly: a sum among them compared term by term (as one fraction where a term is too wide)."""
    if not isinstance(a, Sum) and not isinstance(b, Sum):
        return q_cmp(a, op, b)
    difference = q_add(a.plain(), b.plain(), subtract=True)
    if not isinstance(difference, Sum):
        return q_cmp(difference, op, q_lit(0))
    try:
        return _sign(c, difference, op)
    except SqlError:
        return q_cmp(q_single(a), op, q_single(b))


def _sign(c: Any, x: Sum, op: str) -> Cond:
    """x op 0."""
    limit = x.bound() + 1

    def at_least_zero(terms: Sequence[Q]) -> Cond:
        return cmp(floor_sum(c, terms, 0, Fraction(0), limit), ">=", ZERO)

    if op in (">=", "<"):
        up = at_least_zero(x.terms)
        return up if op == ">=" else c_not(up)
    down = at_least_zero([q_neg(t) for t in x.terms])
    if op in ("<=", ">"):
        return down if op == "<=" else c_not(down)
    both = c_and([at_least_zero(x.terms), down])
    return both if op == "=" else c_not(both)


def floor_sum(c: Any, terms: Sequence[Q], places: int, offset: Fraction, limit: Fraction) -> Dec:
    """⌊Σ terms · 10^places + offset⌋ (offset 0 or ½), exactly; the result is within ±limit."""
    scale = max([places] + [t.num.scale - (t.den.scale if t.den is not None else 0) for t in terms])
    extra = scale - places  # ⌊y/10^e + o⌋ = ⌊(⌊y⌋ + o·10^e) / 10^e⌋, o·10^e a whole number
    base, rests = ZERO, []
    # Three quotients or more (and the levels they take): each written inside its column, with its DOUBLE guess,
    # so that Spark's fused method, one call per column, stays under the JVM's 64 KB (008's C301 has six).
    many = sum(t.den is not None and t.den.const is None for t in terms) > 2
    for term in terms:
        n, d = _whole(term, scale)
        if d is None:  # a whole number: no remainder
            base = add(base, n)
            continue
        d = c.keep(d, "d")  # one column, read by the remainder and every level after it
        q = c.floor_div(n if many else c.keep(n, "n"), d, term.bound() * 10 ** scale + 1, inline=many)
        base = add(base, q)
        rests.append((_rest(c, n, q, d), d))
    if extra:
        base = add(base, lit(offset * 10 ** extra))
    result = add(base, _reached(c, rests, Fraction(0) if extra else offset))
    if extra:
        result = c.floor_div(result, None, result.bound / 10 ** extra + 1, Fraction(1, 10 ** extra))
    bound = min(result.bound, Fraction(int(limit) + 1))
    return c.keep(attrs.evolve(result, bound=bound), "q")


def _whole(term: Q, scale: int) -> tuple[Dec, Dec | None]:
    """(N, D), whole numbers with N/D = term · 10^scale (D None: 1); scale ≥ the decimals num has more than den."""
    shift = term.den.scale if term.den is not None else 0
    n = _integral(mul(term.num, lit(10 ** (scale + shift))))
    return n, (_integral(mul(term.den, lit(10 ** shift))) if term.den is not None else None)


def _integral(x: Dec) -> Dec:
    """x, whose value is a whole number, typed with no decimals."""
    if x.const is not None:
        return lit(x.const)
    if x.scale == 0:
        return x
    return Dec(f"CAST({x.text} AS DECIMAL({max(1, digits_of(x.bound))},0))", x.bound, 0, x.nonneg, None, x.layer)


def _rest(c: Any, n: Dec, q: Dec, d: Dec) -> Dec:
    """n − q·d for q = ⌊n/d⌋: 0 ≤ rest < d. |q·d| ≤ |n| + d, however wide q's own bound."""
    check(n.bound + d.bound, 0)
    product = Dec(f"(CAST({q.text} AS DECIMAL(38,0)) * {d.text})", n.bound + d.bound, 0, False, None,
                  max(q.layer, d.layer))
    return c.remainder(sub(n, product), d)


def _reached(c: Any, rests: Sequence[tuple[Dec, Dec]], offset: Fraction) -> Dec:
    """⌊F + offset⌋ for F = Σ R/D (0 ≤ R < D): how many of the thresholds j − offset (j = 1, 2 …) F reaches."""
    tops = [j for j in range(1, len(rests) + 1) if j - offset < len(rests)]  # F < k
    if not tops:
        return ZERO
    v = offset.denominator
    columns = sum(d.const is None for _r, d in rests)
    if columns and _cost(len(rests)) + len(tops) * max(0, len(rests) - 2) > _cost(columns) + 3 + max(0, columns - 2):
        return _nearest(c, rests, offset, len(tops))
    levels, last = _levels(c, rests, v)
    count = ZERO
    for j in tops:
        reached = _at_least(c, levels, last, lit((j - offset) * v), v)
        count = add(count, case([(reached, ONE)], ZERO))
    return c.keep(count, "m")


def _cost(terms: int) -> int:
    """About the columns `_levels` takes to reduce `terms` terms to two: four for each term of each level."""
    return sum(4 * (m - 1) for m in range(3, terms + 1))


def _nearest(c: Any, rests: Sequence[tuple[Dec, Dec]], offset: Fraction, tops: int) -> Dec:
    """⌊F + offset⌋ with one exact test: F in DOUBLE (within k·2⁻⁵⁰ of F) names the threshold t = j − offset
    nearest it, so F lies strictly between t − 1 and t + 1 and the count is j − 1, plus 1 where F ≥ t exactly.
    The DOUBLE only picks which threshold to test. Terms over a constant D go to the threshold's side:
    Σ_col R/D ≥ t − Σ_const R/D, the whole inequality times v·L (L their common multiple)."""
    approx = " + ".join(f"CAST({r.text} AS DOUBLE) / CAST(NULLIF({d.text}, 0) AS DOUBLE)" for r, d in rests)
    f, layer = c.column(f"FLOOR({approx} + {float(offset + Fraction(1, 2))!r})", max(max(r.layer, d.layer) for r, d in rests))
    held = f"CASE WHEN {f} < 1 THEN 1 WHEN {f} > {tops} THEN {tops} ELSE {f} END"
    j = Dec(f"CAST({held} AS DECIMAL({digits_of(Fraction(tops))},0))", Fraction(tops), 0, True, None, layer)
    j = c.keep(j, "j")
    v = offset.denominator
    fixed = [(r, d) for r, d in rests if d.const is not None]
    columns = [(r, d) for r, d in rests if d.const is None]
    common = math.lcm(*(int(d.const) for _r, d in fixed)) if fixed else 1
    g = mul(sub(mul(j, lit(v)), lit(offset.numerator)), lit(common))  # (j − offset)·v·L
    for r, d in fixed:
        g = sub(g, mul(r, lit(v * common / d.const)))
    v *= common
    levels, last = _levels(c, columns, v)
    reached = _at_least(c, levels, last, _held(c, g, v * len(columns)), v)
    return c.keep(add(sub(j, ONE), case([(reached, ONE)], ZERO)), "m")


def _levels(c: Any, rests: Sequence[tuple[Dec, Dec]], v: int) -> tuple[list[tuple[Dec, Dec]], list[tuple[Dec, Dec]]]:
    """The reductions of F ≥ g/v, last term first: each level's denominator D_k and carry R_k + Σ Qᵢ, and the
    terms left (one, or two whose cross products fit). They do not depend on the threshold, so every threshold
    shares them."""
    levels = []
    while len(rests) > 2 or (len(rests) == 2 and not _crossed(rests, v)):
        *others, (r, d) = rests
        carry, reduced = r, []
        for ri, di in others:
            wide = mul(ri, d)  # Rᵢ·D_k < Dᵢ·D_k, written where it is read (a column fewer in Spark's fused method)
            q = c.floor_div(wide, di, d.bound, inline=True)
            reduced.append((_rest(c, wide, q, di), di))
            carry = add(carry, q)
        levels.append((d, c.keep(carry, "c")))
        rests = reduced
    return levels, list(rests)


def _crossed(rests: Sequence[tuple[Dec, Dec]], v: int) -> bool:
    """Whether two terms are compared with a threshold below 2 directly: v·(R₁·D₂ + R₂·D₁) ≥ g·D₁·D₂ (g ≤ 2v), with
    no step past 38 digits (one step less than reducing them to one term)."""
    (_r1, d1), (_r2, d2) = rests
    return digits_of(2 * v * d1.bound * d2.bound) <= MAX_PRECISION


def _at_least(c: Any, levels: Sequence[tuple[Dec, Dec]], last: Sequence[tuple[Dec, Dec]], g: Dec, v: int) -> Cond:
    """Whether Σ R/D ≥ g/v, level by level (g a constant, or a column held within [0, v·terms])."""
    remaining = len(levels) + len(last)
    for d, carry in levels:
        remaining -= 1
        g = _held(c, sub(mul(g, d), mul(lit(v), carry)), v * remaining)
    if len(last) == 2:
        (r1, d1), (r2, d2) = last
        return cmp(mul(lit(v), add(mul(r1, d2), mul(r2, d1))), ">=", mul(g, mul(d1, d2)))
    (r, d), = last
    return cmp(mul(r, lit(v)), ">=", mul(g, d))


def _held(c: Any, g: Dec, top: int) -> Dec:
    """g within [0, top]: F ≥ g/v (0 ≤ F < top/v) is reached for every g ≤ 0 and for no g ≥ top."""
    if g.const is not None:
        return lit(min(max(g.const, Fraction(0)), Fraction(top)))
    held = case([(cmp(g, "<", ZERO), ZERO), (cmp(g, ">", lit(top)), lit(top))], g)
    return c.keep(Dec(f"CAST({held.text} AS DECIMAL({max(1, digits_of(Fraction(top)))},0))", Fraction(top), 0, True,
                      None, held.layer), "g")


__all__ = ["compare", "floor_sum", "round_sum"]
