"""The interpreter's core: score IR turned into Python closures once, then run with exact Fractions.

Each IR node kind has one builder here. Nothing is eval'ed or exec'ed: a closure only calls
the closures of the node's children. A `Named` value and the choice of a `Cases` are recorded
in the trace, which is also the memo that computes a named value once per unit.

    >>> from fractions import Fraction as F
    >>> x = ir.Field("甲", "比率", "input", "number")
    >>> expr = ir.Steps(ir.Arith("-", ir.Const(F(4, 5)), x), F(1, 100), F(1, 10), F(2), None, "steps")
    >>> run = build(expr)
    >>> trace = {}
    >>> run(Env(lambda field: F(3, 4), trace)), trace["steps"]
    (Fraction(3, 2), Fraction(5, 1))
"""

from __future__ import annotations

import bisect
import math
from fractions import Fraction
from typing import Any, Callable

from idsl.semantics import ir
from idsl.semantics.numbers import half_up

Closure = Callable[["Env"], Any]


class Failure(Exception):
    """The rule defines no value here: a zero denominator, a band gap, an unknown option."""

    def __init__(self, message: str, field: str | None = None, hint: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
        self.hint = hint


class Missing(Exception):
    """A field the evaluation needs was not given."""

    def __init__(self, field: str, hint: str | None = None):
        super().__init__(field)
        self.field = field
        self.hint = hint


class Refused(Missing):
    """A field given but refused by its reader: no value to use, yet not blank (无数据时 does not apply)."""


class Env:
    """One unit's evaluation: where field values come from, the trace of what was met, and the peers' values."""

    __slots__ = ("fetch", "trace", "peers", "reference")

    def __init__(self, fetch: Callable[[ir.Field], Any], trace: dict[str, Any] | None = None,
                 peers: dict[str, list[Fraction]] | None = None, reference: Any = None):
        self.fetch = fetch  # a field's value (raises Missing)
        self.trace = {} if trace is None else trace  # Named values, Cases choices, steps counted
        self.peers = peers  # each peer set's values, ascending (None: a unit scored on its own)
        self.reference = reference  # a unit scored alone: the reference values given (engines.reference)


def build(node) -> Closure:
    """The closure evaluating one IR node."""
    return _BUILDERS[type(node)](node)


def evaluate(node, env: Env) -> Any:
    """Evaluate a node once (builds its closure; use `build` to evaluate many times)."""
    return build(node)(env)


# ---------------------------------------------------------------- values


def _const(node: ir.Const) -> Closure:
    value = node.value
    return lambda env: value


def _literal(node: ir.Text | ir.YesNo) -> Closure:
    value = node.value
    return lambda env: value


def _field(node: ir.Field) -> Closure:
    return lambda env: env.fetch(node)


def _arith(node: ir.Arith) -> Closure:
    left, right = build(node.left), build(node.right)
    if node.op == "+":
        return lambda env: left(env) + right(env)
    if node.op == "-":
        return lambda env: left(env) - right(env)
    return lambda env: left(env) * right(env)


def _div(node: ir.Div) -> Closure:
    left, right = build(node.left), build(node.right)

    def run(env: Env) -> Fraction:
        a, b = left(env), right(env)
        if b == 0:
            raise Failure(node.message, node.field, node.hint)
        return a / b
    return run


def _neg(node: ir.Neg) -> Closure:
    operand = build(node.operand)
    return lambda env: -operand(env)


def _abs(node: ir.Abs) -> Closure:
    operand = build(node.operand)
    return lambda env: abs(operand(env))


def _extreme(node: ir.Extreme) -> Closure:
    args = [build(a) for a in node.args]
    pick = max if node.largest else min
    return lambda env: pick([a(env) for a in args])


def _clamp(node: ir.Clamp) -> Closure:
    operand, low, high = build(node.operand), node.low, node.high

    def run(env: Env) -> Fraction:
        value = operand(env)
        if low is not None and value < low:
            return low
        if high is not None and value > high:
            return high
        return value
    return run


def _round(node: ir.Round) -> Closure:
    operand, places, mode = build(node.operand), node.places, node.mode
    if mode == "half_up":
        return lambda env: Fraction(half_up(operand(env), places))
    scale = Fraction(10) ** places
    whole = math.floor if mode == "floor" else math.ceil
    return lambda env: Fraction(whole(operand(env) * scale)) / scale


_STEP_ROUNDING: dict[str | None, Callable[[Fraction], Fraction]] = {
    None: lambda x: x,
    "half_up": lambda x: Fraction(half_up(x, 0)),
    "floor": lambda x: Fraction(math.floor(x)),
    "ceil": lambda x: Fraction(math.ceil(x)),
}


def _steps(node: ir.Steps) -> Closure:
    distance, count = build(node.distance), _STEP_ROUNDING[node.rounding]
    step, per, start, tag, low = node.step, node.per, node.start, node.tag, node.low

    def run(env: Env) -> Fraction:
        steps = count(max(distance(env), Fraction(0)) / step)
        if tag:
            env.trace[tag] = steps
        return max(start - per * steps, low)
    return run


def _cases(node: ir.Cases) -> Closure:
    branches = [(build(b.cond), build(b.value)) for b in node.branches]
    otherwise, tag = build(node.otherwise), node.tag

    def run(env: Env) -> Any:
        for number, (cond, value) in enumerate(branches, start=1):
            if cond(env):
                if tag:
                    env.trace[tag] = number
                return value(env)
        if tag:
            env.trace[tag] = 0
        return otherwise(env)
    return run


def _named(node: ir.Named) -> Closure:
    value, name = build(node.value), node.name

    def run(env: Env) -> Any:
        trace = env.trace
        if name in trace:
            return trace[name]
        result = trace[name] = value(env)
        return result
    return run


BATCH_ONLY = "这条规则要和同一批的其他单位比较（最高、平均、名次 …），单个单位无法评分。"
BATCH_HINT = "把各单位放在一张单位表里整批评分：idsl score 体系.idsl 单位表.csv。"


def reference_missing(key: str) -> Failure:
    """A unit scored alone without the reference value its rule needs: the key to give, or the batch."""
    return Failure(f"这条规则要和同一批的其他单位比较（最高、平均、名次 …），单个单位评分时缺少参照值“{key}”。", None,
                   f"在输入文件里写 \"参照\": {{\"{key}\": …}}；或把各单位放在一张单位表里整批评分：idsl score 体系.idsl 单位表.csv。")


def _peer(node: ir.Peer) -> Closure:
    subject, agg, name = build(node.subject), node.agg, node.name

    def run(env: Env) -> Fraction:
        if agg == "fill":  # the unit's own value when given (no batch needed), else the peers' mean
            try:
                return subject(env)
            except Missing:
                pass
        if env.peers is None:
            return _alone(env, agg, name, subject)
        own = subject(env) if agg in ("rank", "rank_share", "ratio_max", "ratio_min") else None
        values = env.peers.get(name) or []
        if not values:
            raise Failure(ir.PEER_EMPTY)
        value = env.trace[f"{agg}:{name}"] = peer_value(agg, values, own)  # the reason's figure
        return value
    return run


def _alone(env: Env, agg: str, name: str, subject: Closure) -> Fraction:
    """A unit scored alone: the reference value given for the peer set (参照), else a failure naming it."""
    if env.reference is None:
        raise Failure(BATCH_ONLY, None, BATCH_HINT)
    given = env.reference.get(agg, name)
    if given is None:
        raise reference_missing(env.reference.key(agg, name))
    value = env.trace[f"{agg}:{name}"] = _from_reference(agg, given, subject, env)  # the reason's figure
    return value


def _from_reference(agg: str, given: Fraction, subject: Closure, env: Env) -> Fraction:
    if agg == "ratio_max":
        if given == 0:
            raise Failure("参照的最高值为 0，无法计算本单位与最高值之比。")
        return subject(env) / given
    if agg == "ratio_min":
        own = subject(env)
        if own == 0:
            raise Failure(ir.PEER_ZERO_OWN)
        return given / own
    return given


def peer_value(agg: str, values: list[Fraction], own: Fraction | None) -> Fraction:
    """What a Peer gives over the peers' values (ascending), for a unit whose subject is `own`."""
    if agg == "max":
        return values[-1]
    if agg == "min":
        return values[0]
    if agg in ("mean", "fill"):
        return sum(values, Fraction(0)) / len(values)
    assert own is not None
    rank = Fraction(1 + len(values) - bisect.bisect_right(values, own))  # 1 + the peers strictly above
    if agg == "rank":
        return rank
    if agg == "rank_share":
        return rank / len(values)
    if agg == "ratio_max":
        if values[-1] == 0:
            raise Failure(ir.PEER_ZERO_BEST)
        return own / values[-1]
    if own == 0:
        raise Failure(ir.PEER_ZERO_OWN)
    return values[0] / own


def _fail(node: ir.Fail) -> Closure:
    def run(env: Env) -> Any:
        raise Failure(node.message, node.field, node.hint)
    return run


# ---------------------------------------------------------------- conditions


def _truth(node: ir.Truth) -> Closure:
    value = node.value
    return lambda env: value


_COMPARE: dict[str, Callable[[Any, Any], bool]] = {
    "<": lambda a, b: a < b, "<=": lambda a, b: a <= b, ">": lambda a, b: a > b, ">=": lambda a, b: a >= b,
    "=": lambda a, b: a == b, "!=": lambda a, b: a != b,
}


def _compare(node: ir.Compare) -> Closure:
    left, right, test = build(node.left), build(node.right), _COMPARE[node.op]
    return lambda env: test(left(env), right(env))


def _is_yes(node: ir.IsYes) -> Closure:
    operand = build(node.operand)
    return lambda env: operand(env) is True


def _blank(node: ir.Blank) -> Closure:
    field = node.field

    def run(env: Env) -> bool:
        try:
            env.fetch(field)
        except Refused:
            return False  # a wrong value is an input error, not 无数据
        except Missing:
            return True
        return False
    return run


def _all(node: ir.All) -> Closure:
    parts = [build(p) for p in node.parts]
    return lambda env: all(p(env) for p in parts)


def _any(node: ir.Any) -> Closure:
    parts = [build(p) for p in node.parts]
    return lambda env: any(p(env) for p in parts)


def _not(node: ir.Not) -> Closure:
    part = build(node.part)
    return lambda env: not part(env)


_BUILDERS: dict[type, Callable[[Any], Closure]] = {
    ir.Const: _const, ir.Text: _literal, ir.YesNo: _literal, ir.Field: _field, ir.Arith: _arith, ir.Div: _div,
    ir.Neg: _neg, ir.Abs: _abs, ir.Extreme: _extreme, ir.Clamp: _clamp, ir.Round: _round, ir.Steps: _steps,
    ir.Cases: _cases, ir.Named: _named, ir.Fail: _fail, ir.Peer: _peer, ir.Truth: _truth, ir.Compare: _compare, ir.IsYes: _is_yes,
    ir.All: _all, ir.Any: _any, ir.Not: _not, ir.Blank: _blank,
}

__all__ = ["BATCH_HINT", "BATCH_ONLY", "Env", "Failure", "Missing", "build", "evaluate", "peer_value", "reference_missing"]
