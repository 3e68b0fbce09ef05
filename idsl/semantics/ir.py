"""The score IR: every rule kind lowered to one small, closed expression language.

Lowering (`idsl.semantics.rules`) turns each checked rule into one `Expr`; the engines only
print or evaluate these nodes, one function per node kind: the interpreter
(`idsl.engines.evaluate`) with exact Fractions, the SQL compiler (`idsl.engines.sql`) as
one query, the checker's bounds (`idsl.check.bounds`) by interval arithmetic.

Evaluation order is part of the meaning, so that both engines report the same error:
operands are evaluated left to right and the first failure wins; `Cases` tries its
conditions in order and evaluates only the chosen value; `All`/`Any` stop at the first
part that decides. A failure is a value of its own (`Fail`), never an exception of Python.

    >>> x = Field("决策/甲", "比率", "input", "number", low=Fraction(0), high=Fraction(1), declared="比率")
    >>> band = Cases((Branch(Compare(x, ">=", Const(Fraction(4, 5))), Const(Fraction(2))),), Const(Fraction(0)))
    >>> [type(n).__name__ for n in walk(band)]
    ['Cases', 'Compare', 'Field', 'Const', 'Const', 'Const']
"""

from __future__ import annotations

from fractions import Fraction
from typing import Iterator, Union

import attrs

# ---------------------------------------------------------------- values


@attrs.frozen
class Const:
    """An exact number."""

    value: Fraction  # the number


@attrs.frozen
class Text:
    """A word compared with a choice's label: 若 公开情况 = 未公开."""

    value: str  # the option as written


@attrs.frozen
class YesNo:
    """是 or 否 compared with a yes/no field."""

    value: bool  # True for 是


@attrs.frozen
class Field:
    """One value an evaluator gives: an input, a checklist element, a discretionary score or a tally.

    `owner` and `name` say where it is in a unit table (`owner.name` is the column header);
    `declared` and `part` say where the interpreter finds it among a leaf's bound values.
    """

    owner: str  # '共用' for a spec-level input, else the indicator's path
    name: str  # the field as a column names it: 执行数, 要素3, 得分, 综合满意率.第1题.A
    role: str  # 'input', 'item' (a checklist element), 'score' (discretionary) or 'tally'
    kind: str  # what it holds: 'number', 'flag' (yes/no) or 'label' (a choice's option)
    low: Fraction | None = None  # the least value the readers accept (None: no limit)
    high: Fraction | None = None  # the largest value the readers accept (None: no limit)
    declared: str = ""  # the declared name (an input, a questionnaire) the interpreter looks up
    part: str | None = None  # the part whose values hold it (None: the leaf's own)
    shared: bool = False  # given under 共用, once for the whole unit
    index: int = 0  # element number, or question number of a tally (1-based)
    option: int = 0  # a tally's option (0-based)
    whole: bool = False  # only whole numbers are accepted (counts of findings, tallies)


@attrs.frozen
class Arith:
    """left op right, for op one of + - *."""

    op: str  # '+', '-' or '*'
    left: "Expr"  # evaluated first
    right: "Expr"  # evaluated second


@attrs.frozen
class Div:
    """left / right; a zero denominator fails with `message`, naming `field`."""

    left: "Expr"  # the numerator
    right: "Expr"  # the denominator
    message: str  # the failure when the denominator is 0
    field: str | None = None  # the input to blame
    hint: str | None = None  # what to do about it


@attrs.frozen
class Neg:
    """-operand."""

    operand: "Expr"  # the negated value


@attrs.frozen
class Abs:
    """|operand|."""

    operand: "Expr"  # the value


@attrs.frozen
class Extreme:
    """min(args) or max(args), every argument evaluated in order."""

    largest: bool  # True for max
    args: tuple["Expr", ...]  # one or more values


@attrs.frozen
class Clamp:
    """operand held within [low, high] (either end may be open)."""

    operand: "Expr"  # the value
    low: Fraction | None  # the least result (None: no limit)
    high: Fraction | None  # the largest result (None: no limit)


@attrs.frozen
class Round:
    """operand rounded to `places` decimals: half up (away from zero), down or up."""

    operand: "Expr"  # the value
    places: int  # decimals kept (0 for whole steps)
    mode: str = "half_up"  # 'half_up', 'floor' or 'ceil'


@attrs.frozen
class Steps:
    """max(start − per × R(max(distance, 0) / step), low): 每降低 1% 扣 0.1 分, 扣完为止 (low is 0 unless the
    leaf writes 最低 -2 分).

    R is the rounding of part of a step (None: counted exactly). `tag` names the number of
    steps counted, for the reason.
    """

    distance: "Expr"  # how far the value is from where deductions start
    step: Fraction  # the step, > 0
    per: Fraction  # points deducted per step, ≥ 0
    start: Fraction  # the points at zero distance
    rounding: str | None = None  # 'half_up', 'floor', 'ceil' or None (exact)
    tag: str = ""  # names the steps counted in the trace
    low: Fraction = Fraction(0)  # where the deductions stop: 0, or the leaf's 最低 (a negative floor)


@attrs.frozen
class Branch:
    """One case: when `cond` holds, the value is `value`."""

    cond: "Cond"  # tried in order
    value: "Expr"  # evaluated only when chosen


@attrs.frozen
class Cases:
    """The value of the first branch whose condition holds, else `otherwise`.

    `tag` names the chosen branch (1, 2 …; 0 for otherwise) in the trace, for the reason.
    """

    branches: tuple[Branch, ...]  # in order
    otherwise: "Expr"  # when no condition holds
    tag: str = ""  # names the choice in the trace


@attrs.frozen
class Named:
    """A value computed once and named: a derived quantity, a rule's subject, a reason's number.

    The interpreter records its value in the trace under `name`; the SQL compiler keeps it as
    one column. Names are unique within a scoring unit.
    """

    name: str  # unique within the unit: 'derived:执行率', 'subject', 'band2.high' …
    value: "Expr"  # what it stands for


@attrs.frozen
class Fail:
    """No value: the rule does not define one here (a band gap, a zero step, an unknown option)."""

    message: str  # one sentence for the evaluator
    field: str | None = None  # the input to blame
    hint: str | None = None  # what to do


@attrs.frozen
class Peer:
    """A figure over the units scored together (the peers): the largest, least or mean of `subject`,
    this unit's rank by it, or its value against the best.

    The peers of a set are the units of the batch read without a problem, for which the leaf
    `leaf` is applicable and every field of `subject` is given and `subject` has a value. Ranks
    are competition ranks (1, 2, 2, 4): 1 + the number of peers with a larger value.
    """

    agg: str  # one of PEER_AGGREGATES
    subject: "Expr"  # the value compared, evaluated for every unit
    name: str  # the peer set: the leaf's path and the subject as written (one set per name)
    leaf: str  # the leaf whose 不适用 leaves a unit out of the set


# What a Peer computes: the set's largest, least and mean value; the unit's rank, rank ÷ peers;
# the unit's value ÷ the largest, and the least ÷ the unit's value; its value, or the mean when it is blank.
PEER_AGGREGATES = ("max", "min", "mean", "rank", "rank_share", "ratio_max", "ratio_min", "fill")
# Why a Peer has no value, in the words of both engines (engines/evaluate.py, engines/sql/peers.py)
PEER_EMPTY = "同一批里没有可以比较的单位（比较对象都没有值）。"
PEER_ZERO_BEST = "参评单位的最高值为 0，无法计算本单位与最高值之比。"
PEER_ZERO_OWN = "本单位的值为 0，无法计算最低值与它之比。"

Expr = Union[Const, Text, YesNo, Field, Arith, Div, Neg, Abs, Extreme, Clamp, Round, Steps, Cases, Named, Fail, Peer]

# ---------------------------------------------------------------- conditions


@attrs.frozen
class Truth:
    """A condition known in advance: 否则 is Truth(True)."""

    value: bool  # the answer


@attrs.frozen
class Compare:
    """left op right over numbers, or = / ≠ over yes/no values and labels."""

    left: Expr  # evaluated first
    op: str  # '<', '<=', '>', '>=', '=', '!='
    right: Expr  # evaluated second


@attrs.frozen
class IsYes:
    """A yes/no field standing alone: 若 受到处罚 则 …"""

    operand: Expr  # a Field of kind 'flag' (or a Named one)


@attrs.frozen
class All:
    """Every part holds (且); evaluation stops at the first that does not."""

    parts: tuple["Cond", ...]  # two or more


@attrs.frozen
class Any:
    """Some part holds (或); evaluation stops at the first that does."""

    parts: tuple["Cond", ...]  # two or more


@attrs.frozen
class Not:
    """The part does not hold."""

    part: "Cond"  # the negated condition


@attrs.frozen
class Blank:
    """The field was left blank: an input declared 可缺 (无数据时). Its value is not read."""

    field: Field  # the input


Cond = Union[Truth, Compare, IsYes, All, Any, Not, Blank]


def walk(node, seen: set[str] | None = None) -> Iterator:
    """Every node below and including `node`, depth first, in evaluation order (a Named value's inside once)."""
    seen = set() if seen is None else seen
    yield node
    if isinstance(node, Named):
        if node.name in seen:
            return
        seen.add(node.name)
    for child in children(node):
        yield from walk(child, seen)


def kind_of(node) -> str:
    """What an expression holds: 'number', 'flag', 'label', or 'any' for a failure."""
    if isinstance(node, Field):
        return node.kind
    if isinstance(node, Text):
        return "label"
    if isinstance(node, YesNo):
        return "flag"
    if isinstance(node, Fail):
        return "any"
    if isinstance(node, Named):
        return kind_of(node.value)
    if isinstance(node, Cases):
        kinds = {kind_of(b.value) for b in node.branches} | {kind_of(node.otherwise)}
        kinds.discard("any")
        return kinds.pop() if len(kinds) == 1 else "any"
    return "number"


def children(node) -> tuple:
    """The IR nodes directly inside one node, in evaluation order."""
    if isinstance(node, (Arith, Div)):
        return (node.left, node.right)
    if isinstance(node, (Neg, Abs, IsYes, Clamp, Round)):
        return (node.operand,)
    if isinstance(node, Peer):
        return (node.subject,)
    if isinstance(node, Extreme):
        return node.args
    if isinstance(node, Steps):
        return (node.distance,)
    if isinstance(node, Cases):
        return tuple(x for b in node.branches for x in (b.cond, b.value)) + (node.otherwise,)
    if isinstance(node, Named):
        return (node.value,)
    if isinstance(node, Compare):
        return (node.left, node.right)
    if isinstance(node, (All, Any)):
        return node.parts
    if isinstance(node, Not):
        return (node.part,)
    if isinstance(node, Blank):
        return (node.field,)
    return ()


def fields(node) -> list[Field]:
    """The fields an expression may read, each once, in evaluation order."""
    seen: dict[Field, None] = {}
    for sub in walk(node):
        if isinstance(sub, Field):
            seen.setdefault(sub, None)
    return list(seen)


__all__ = ["Abs", "All", "Any", "Arith", "Blank", "Branch", "Cases", "Clamp", "Compare", "Cond", "Const", "Div", "Expr",
           "Extreme", "Fail", "Field", "IsYes", "Named", "Neg", "Not", "PEER_AGGREGATES", "PEER_EMPTY", "PEER_ZERO_BEST",
           "PEER_ZERO_OWN", "Peer", "Round", "Steps", "Text", "Truth", "YesNo", "children", "fields", "kind_of", "walk"]
