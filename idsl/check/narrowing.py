"""Where a condition of the score IR holds: the values it compares narrowed to interval sets, answers or labels."""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Callable

import attrs

from idsl.check.intervals import EVERYTHING, INF, Interval, IntervalSet, closed
from idsl.semantics import ir

BOTH = frozenset((True, False))  # a yes/no field: either answer


@attrs.frozen
class Labels:
    """The options a label may be: a known few, or any but some excluded ones."""

    known: frozenset | None = None  # None: any option not excluded
    excluded: frozenset = frozenset()  # options it is known not to be

    def single(self) -> str | None:
        """The one option it must be, if it is known."""
        return next(iter(self.known)) if self.known is not None and len(self.known) == 1 else None

    def only(self, label: str) -> "Labels | None":
        possible = label in self.known if self.known is not None else label not in self.excluded
        return Labels(frozenset((label,))) if possible else None

    def without(self, label: str) -> "Labels | None":
        if self.known is None:
            return Labels(None, self.excluded | {label})
        rest = self.known - {label}
        return Labels(rest) if rest else None

    def join(self, other: "Labels") -> "Labels":
        if self.known is not None and other.known is not None:
            return Labels(self.known | other.known)
        if self.known is None and other.known is None:
            return Labels(None, self.excluded & other.excluded)
        known, unknown = (self, other) if self.known is not None else (other, self)
        return Labels(None, unknown.excluded - known.known)


ANY_LABEL = Labels()


class Env:
    """What the conditions met so far say about some values: key → interval set, answers or labels.

    A key is what a value is known by: a named value's name, or a field. `idsl.check.bounds`
    evaluates a `Cases` branch in the environment where its condition holds and the earlier ones
    do not; the functions below compute that environment, one per condition kind.
    """

    __slots__ = ("items", "_key")

    def __init__(self, items: dict | None = None):
        self.items = items or {}
        self._key: frozenset | None = None

    def key(self) -> frozenset:
        """A hashable snapshot, for memoising named values per environment."""
        if self._key is None:
            self._key = frozenset(self.items.items())
        return self._key

    def narrowed(self, keys: list, domain) -> "Env":
        items = dict(self.items)
        items.update((k, domain) for k in keys)
        return Env(items)


def join_envs(envs: list) -> Env | None:
    """Either of several environments: a key narrowed in all of them, to the union of its domains."""
    envs = [e for e in envs if e is not None]
    if len(envs) <= 1:
        return envs[0] if envs else None
    items = {}
    for key, domain in envs[0].items.items():
        others = [e.items.get(key) for e in envs[1:]]
        if all(o is not None for o in others):
            for other in others:
                domain = join(domain, other)
            items[key] = domain
    return Env(items)


def join(a, b):
    """Either value: interval sets united, intervals hulled, answers and labels united."""
    if isinstance(a, IntervalSet):
        return a.union(b)
    if isinstance(a, Interval):
        lo, lo_closed = (a.lo, a.lo_closed) if a.lo < b.lo else (b.lo, b.lo_closed) if b.lo < a.lo else (
            a.lo, a.lo_closed or b.lo_closed)
        hi, hi_closed = (a.hi, a.hi_closed) if a.hi > b.hi else (b.hi, b.hi_closed) if b.hi > a.hi else (
            a.hi, a.hi_closed or b.hi_closed)
        return Interval(lo, hi, lo_closed, hi_closed)
    if isinstance(a, Labels):
        return a.join(b)
    return a | b


def keys(expr) -> list:
    """The keys a value is known by: a named value, the values it merely renames, a field."""
    if isinstance(expr, ir.Named):
        inner = keys(expr.value) if isinstance(expr.value, (ir.Named, ir.Field)) else []
        return [("named", expr.name)] + inner
    if isinstance(expr, ir.Field):
        return [("field", expr)]
    return []


def is_whole(expr) -> bool:
    """Whether a value is a field of whole numbers (counts of findings, tallies), possibly renamed."""
    while isinstance(expr, ir.Named):
        expr = expr.value
    return (isinstance(expr, ir.Field) and expr.whole) or (isinstance(expr, ir.Peer) and expr.agg == "rank")


def whole_numbers(domain: IntervalSet) -> IntervalSet:
    """The whole numbers of a set, as closed intervals from the least to the largest of each part."""
    parts = []
    for part in domain.parts:
        lo, hi = part.lo, part.hi
        if lo != -INF:
            lo = Fraction(math.floor(lo) + 1 if not part.lo_closed and Fraction(lo).denominator == 1 else math.ceil(lo))
        if hi != INF:
            hi = Fraction(math.ceil(hi) - 1 if not part.hi_closed and Fraction(hi).denominator == 1 else math.floor(hi))
        parts.append(closed(lo, hi))
    return IntervalSet.of(*parts)


def hull(domain):
    """A domain as a value: an interval set's closed hull (None when empty); answers and labels as they are."""
    if isinstance(domain, IntervalSet):  # which ends are reached is kept (see idsl.check.bounds)
        return Interval(domain.lowest, domain.highest, domain.parts[0].lo_closed,
                        domain.parts[-1].hi_closed) if not domain.empty else None
    return domain


def is_empty(domain) -> bool:
    """No value is left."""
    if domain is None:
        return True
    return domain.empty if isinstance(domain, IntervalSet) else isinstance(domain, frozenset) and not domain


# ---------------------------------------------------------------- conditions, one function per kind

_NEGATED = {"<": ">=", "<=": ">", ">": "<=", ">=": "<", "=": "!=", "!=": "="}
_MIRRORED = {"<": ">", "<=": ">=", ">": "<", ">=": "<=", "=": "=", "!=": "!="}


def _truth(ev, cond: ir.Truth, env: Env, want: bool) -> Env | None:
    return env if cond.value == want else None


def _compare(ev, cond: ir.Compare, env: Env, want: bool) -> Env | None:
    left, right = ev.value(cond.left, env), ev.value(cond.right, env)
    if left is None or right is None:
        return None  # an operand fails: the condition gives no answer here
    if cond.left is cond.right and cond.op in ("=", "<=", ">="):
        # A value compared with itself (a leading 否则 band is lowered so) holds whenever it computes:
        # nothing is left for the bands after it.
        return env if want else None
    op = cond.op if want else _NEGATED[cond.op]
    if isinstance(left, Interval) and isinstance(right, Interval):
        return _compare_numbers(ev, cond, op, left, right, env)
    if type(left) is type(right) and op in ("=", "!="):
        return _compare_words(ev, cond, op, left, right, env)
    return env  # unlike kinds: the lowering made such a comparison a failure already


def _compare_numbers(ev, cond: ir.Compare, op: str, left: Interval, right: Interval, env: Env) -> Env | None:
    narrow_left = bool(keys(cond.left)) and not left.is_point
    narrow_right = bool(keys(cond.right)) and not right.is_point
    if not (narrow_left or narrow_right):
        return env if _possible(left, op, right) else None
    if narrow_left:
        env = ev.narrow(cond.left, env, lambda d: d.intersect(_side(op, right)))
        if env is None or not narrow_right:
            return env
        left = ev.value(cond.left, env)
    return ev.narrow(cond.right, env, lambda d: d.intersect(_side(_MIRRORED[op], left)))


def _side(op: str, other: Interval) -> IntervalSet:
    """The numbers x for which `x op y` holds for some y of `other`."""
    lo, hi = other.lo, other.hi
    if op in (">=", ">"):
        return IntervalSet.of(Interval(lo, INF, op == ">=" and other.lo_closed, False))
    if op in ("<=", "<"):
        return IntervalSet.of(Interval(-INF, hi, False, op == "<=" and other.hi_closed))
    if op == "=":
        return IntervalSet.of(other)
    if other.is_point:
        return IntervalSet.of(closed(lo, lo)).complement()
    return IntervalSet.of(EVERYTHING)


def _possible(left: Interval, op: str, right: Interval) -> bool:
    """Whether `x op y` can hold for x, y within the two ranges."""
    return {
        "<": lambda: left.lo < right.hi, "<=": lambda: left.lo <= right.hi,
        ">": lambda: left.hi > right.lo, ">=": lambda: left.hi >= right.lo,
        "=": lambda: left.lo <= right.hi and right.lo <= left.hi,
        "!=": lambda: not (left.is_point and right.is_point and left.lo == right.lo),
    }[op]()


def _compare_words(ev, cond: ir.Compare, op: str, left, right, env: Env) -> Env | None:
    """= and ≠ between answers (是/否) or labels: the side that is not a single value is narrowed."""
    for subject, other in ((cond.left, right), (cond.right, left)):
        word = _single(other)
        if word is not None and keys(subject):
            return ev.narrow(subject, env, lambda d, w=word: _keep(d, w, op == "="))
    one, two = _single(left), _single(right)
    if one is not None and two is not None:
        return env if (one == two) == (op == "=") else None
    return env


def _single(value):
    if isinstance(value, Labels):
        return value.single()
    return next(iter(value)) if isinstance(value, frozenset) and len(value) == 1 else None


def _keep(domain, word, equal: bool):
    if isinstance(domain, Labels):
        return domain.only(word) if equal else domain.without(word)
    return domain & {word} if equal else domain - {word}


def _is_yes(ev, cond: ir.IsYes, env: Env, want: bool) -> Env | None:
    value = ev.value(cond.operand, env)
    if not isinstance(value, frozenset):
        return None  # not a yes/no: the evaluation fails
    if keys(cond.operand):
        return ev.narrow(cond.operand, env, lambda d: d & {want})
    return env if want in value else None


def _all(ev, cond: ir.All, env: Env, want: bool) -> Env | None:
    return _sequence(ev, cond.parts, env, want, stop=False)


def _any(ev, cond: ir.Any, env: Env, want: bool) -> Env | None:
    return _sequence(ev, cond.parts, env, want, stop=True)


def _sequence(ev, parts, env: Env, want: bool, stop: bool) -> Env | None:
    """且 (stop at the first False) and 或 (stop at the first True): the result is `stop` where a part is."""
    if want != stop:  # every part has to come out not-stop
        for part in parts:
            env = ev.holds(part, env, not stop)
            if env is None:
                return None
        return env
    found, rest = [], env
    for part in parts:  # some part comes out `stop`, every one before it not
        found.append(ev.holds(part, rest, stop))
        rest = ev.holds(part, rest, not stop)
        if rest is None:
            break
    return join_envs(found)


def _blank(ev, cond: ir.Blank, env: Env, want: bool) -> Env | None:
    return env  # any 可缺 input may be blank or given: both outcomes are possible, and nothing is narrowed


def _not(ev, cond: ir.Not, env: Env, want: bool) -> Env | None:
    return ev.holds(cond.part, env, not want)


CONDITIONS: dict[type, Callable] = {
    ir.Truth: _truth, ir.Compare: _compare, ir.IsYes: _is_yes, ir.All: _all, ir.Any: _any, ir.Not: _not,
    ir.Blank: _blank,
}

__all__ = ["ANY_LABEL", "BOTH", "CONDITIONS", "Env", "Labels", "hull", "is_empty", "is_whole", "join",
           "join_envs", "keys", "whole_numbers"]
