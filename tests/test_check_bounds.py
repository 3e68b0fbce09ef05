"""The checker's bounds of the score IR against the interpreter: every value lies within them, and they are reached."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from idsl.check.bounds import leaf_bounds
from idsl.check.intervals import INF
from idsl.engines.evaluate import Env, Failure, build
from idsl.frontend import ast
from idsl.semantics import ir
from idsl.semantics.domains import input_domain
from idsl.semantics.lower import lower_body
from idsl.semantics.model import Node
from idsl.semantics.program import lower_leaf

SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
EPSILON = Fraction(1, 10**10)  # just inside an open end
CLOSE = Fraction(1, 10**6)  # how near a value must come to a bound the range leaves open

# ---------------------------------------------------------------- generated leaves

_cents = st.integers(0, 10000).map(lambda n: Decimal(n) / 100)  # 0.00 … 100.00
_points = st.integers(1, 40).map(lambda n: Decimal(n) / 2)
_small = st.integers(0, 30).map(lambda n: Decimal(n) / 10)
_roundings = st.sampled_from([None, "half_up", "floor", "ceil"])
_OPS = [">=", ">", "<=", "<", "=", "!="]


def _percent(value: Decimal) -> ast.Num:
    return ast.Num(value, percent=True)


@st.composite
def rate_inputs(draw, name: str = "甲"):
    """A rate: 0–100%, or a declared range within −50%…150%."""
    if draw(st.booleans()):
        return ast.Input(name, "rate")
    low, high = sorted(draw(st.lists(st.integers(-50, 150), min_size=2, max_size=2)))
    return ast.Input(name, "rate", low=_percent(Decimal(low)), high=_percent(Decimal(high)))


@st.composite
def inputs(draw, name: str):
    kind = draw(st.sampled_from(["rate", "money", "number"]))
    if kind == "rate":
        return draw(rate_inputs(name))
    signed = draw(st.booleans())
    unit = "万元" if kind == "money" else None
    if draw(st.booleans()):
        low, high = sorted(draw(st.lists(st.integers(-100, 100), min_size=2, max_size=2)))
        return ast.Input(name, kind, unit, ast.Num(Decimal(low)), ast.Num(Decimal(high)), signed=signed)
    return ast.Input(name, kind, unit, signed=signed)


def _cut(draw) -> ast.Num:
    return _percent(Decimal(draw(st.integers(-40, 140))))


@st.composite
def band_conditions(draw):
    shape = draw(st.sampled_from(["compare", "chain", "range", "otherwise", "or"]))
    if shape == "compare":
        return ast.Compare((ast.Subject(), _cut(draw)), (draw(st.sampled_from(_OPS[:5])),))
    if shape == "chain":
        low, high = sorted((_cut(draw), _cut(draw)), key=lambda n: n.value)
        ops = (draw(st.sampled_from(["<=", "<"])), draw(st.sampled_from(["<=", "<"])))
        return ast.Compare((low, ast.Subject(), high), ops)
    if shape == "range":
        low, high = sorted((_cut(draw), _cut(draw)), key=lambda n: n.value)
        return ast.Range(low, high)
    if shape == "or":
        return ast.BoolOp("or", (ast.Compare((ast.Subject(), _cut(draw)), ("<",)),
                                 ast.Compare((ast.Subject(), _cut(draw)), (">",))))
    return ast.Otherwise()


linear_outcomes = st.builds(
    ast.Linear, st.sampled_from(["down", "up"]), st.sampled_from(["1", "0.5", "2", "5"]).map(
        lambda s: _percent(Decimal(s))), st.sampled_from([Decimal("0.1"), Decimal("0.25"), Decimal("1")]), _roundings,
    st.none() | _small)
outcomes = st.one_of(st.builds(ast.Fixed, st.none() | _small), linear_outcomes)
bands_of_one_input = st.one_of(
    st.builds(lambda bands: ast.Bands(ast.Ref("甲"), tuple(bands)),
              st.lists(st.builds(ast.Band, band_conditions(), outcomes), min_size=1, max_size=4)),
    # one linear band, the rest 0 or full: its own ends (open or closed, rounded or not) make one bound
    st.builds(lambda ops, cuts, linear, rest: ast.Bands(ast.Ref("甲"), (
        ast.Band(ast.Compare((_percent(Decimal(min(cuts))), ast.Subject(), _percent(Decimal(max(cuts)))), ops), linear),
        ast.Band(ast.Otherwise(), ast.Fixed(rest)))),
        st.tuples(*[st.sampled_from(["<", "<="])] * 2), st.lists(st.integers(0, 100), min_size=2, max_size=2),
        linear_outcomes, st.sampled_from([None, Decimal(0)])))


def _once(children):
    """Expressions that use 甲 once, through monotone steps: exact under interval arithmetic."""
    number = st.integers(-5, 5).map(lambda n: ast.Num(Decimal(n) / 2))
    return st.one_of(
        st.builds(lambda op, e, n: ast.BinOp(op, e, n), st.sampled_from("+-*"), children, number),
        st.builds(lambda op, n, e: ast.BinOp(op, n, e), st.sampled_from("+-*"), number, children),
        st.builds(lambda f, e, n: ast.Call(f, (e, n)), st.sampled_from(["min", "max"]), children, number),
        st.builds(lambda e: ast.Call("round", (e, ast.Num(Decimal(1)))), children),
        st.builds(ast.Neg, children),
    )


linear_formulas = st.recursive(st.just(ast.Ref("甲")), _once, max_leaves=4).map(
    lambda e: ast.Formula(ast.BinOp("*", e, ast.PointsRef())))

_names = st.sampled_from(["甲", "乙"])
_any_exprs = st.recursive(
    st.one_of(_names.map(ast.Ref), st.integers(-3, 3).map(lambda n: ast.Num(Decimal(n))), st.just(ast.PointsRef())),
    lambda c: st.one_of(st.builds(ast.BinOp, st.sampled_from("+-*/"), c, c), st.builds(ast.Neg, c),
                        st.builds(lambda f, a: ast.Call(f, tuple(a)), st.sampled_from(["min", "max", "abs"]),
                                  st.lists(c, min_size=1, max_size=2))), max_leaves=5)
subjects = st.one_of(_names.map(ast.Ref), st.just(ast.BinOp("/", ast.Ref("甲"), ast.Ref("乙"))),
                     st.just(ast.BinOp("/", ast.Ref("甲"), ast.BinOp("+", ast.Ref("甲"), ast.Ref("乙")))))
rules = st.one_of(
    linear_formulas, bands_of_one_input, st.builds(ast.Formula, _any_exprs),
    st.builds(lambda s, bands: ast.Bands(s, tuple(bands)), subjects,
              st.lists(st.builds(ast.Band, band_conditions(), outcomes), min_size=1, max_size=3)),
    st.builds(lambda target, step, deduct, rounding, limit, absolute, beyond: ast.Deviation(
        ast.Ref("甲"), _percent(target), _percent(step), deduct, rounding, None if limit is None else _percent(limit),
        absolute, None if limit is None else beyond),
        _cents, st.sampled_from([Decimal(1), Decimal(5)]), _small, _roundings, st.none() | _cents, st.booleans(),
        st.none() | _small),
    st.builds(ast.Target, st.just("甲"), st.sampled_from([">=", "<=", "="]), _cents.map(_percent), st.booleans()),
    st.builds(ast.PerFinding, st.just("丁"), _small, st.none() | _small),
    st.builds(lambda opts: ast.Choice("戊", tuple(ast.ChoiceOption(f"选项{i}", p) for i, p in enumerate(opts))),
              st.lists(_small, min_size=1, max_size=3)),
    st.builds(lambda items, each, partial: ast.Checklist(tuple(ast.ChecklistItem(f"要素{i}", p)
                                                               for i, p in enumerate(items)), each, partial),
              st.lists(st.none() | _small, min_size=1, max_size=3), _small, st.booleans()),
    st.builds(lambda a, b: ast.Discretionary(min(a, b), max(a, b)), _small, _small),
)
specials = st.builds(ast.Special, st.one_of(
    st.just(ast.Compare((ast.Ref("丙"),), ())),
    st.builds(lambda op, n: ast.Compare((ast.Ref("甲"), _percent(n)), (op,)), st.sampled_from(_OPS), _cents)),
    st.none() | _small)


def _lowered(body: ast.LeafBody, points: Decimal):
    spec = ast.Spec("例", points, indicators=(ast.Indicator("决策", points, body=body),))
    node = Node(("决策",), "决策", points, 1, leaf=lower_body(spec, body))
    return lower_leaf(node, 2)


# ---------------------------------------------------------------- values inside the domains


def _consts(expr) -> list[Fraction]:
    return sorted({n.value for n in ir.walk(expr) if isinstance(n, ir.Const)})


def _candidates(field: ir.Field, consts: list[Fraction]) -> list[Fraction]:
    """The ends of a field's domain, and every constant of the rule with the numbers just beside it."""
    low = field.low if field.low is not None else Fraction(-1000)
    high = field.high if field.high is not None else Fraction(1000)
    found = {low, high}
    for c in consts:
        found |= {c - EPSILON, c, c + EPSILON}
    return sorted(x for x in found if low <= x <= high and (not field.whole or x.denominator == 1))


def _value(draw, field: ir.Field, consts: list[Fraction]):
    if field.kind == "flag":
        return draw(st.booleans())
    if field.kind == "label":
        return draw(st.sampled_from([f"选项{i}" for i in range(3)] + ["别的"]))
    options = _candidates(field, consts)
    low, high = options[0], options[-1]
    if field.whole:
        return Fraction(draw(st.integers(int(low), min(int(high), int(low) + 50))))
    between = st.fractions(low, high, max_denominator=10**4)
    return draw(st.one_of(st.sampled_from(options), between))


def _run(closure, values: dict) -> Fraction | None:
    try:
        return closure(Env(lambda field: values[field], {}))
    except Failure:
        return None  # the rule defines no value here (a band gap, a zero denominator)


# ---------------------------------------------------------------- properties


@SETTINGS
@given(st.lists(specials, max_size=2), rules, inputs("甲"), inputs("乙"), _points, st.data())
def test_every_value_lies_within_the_bounds(specs, rule, first, second, points, data):
    body = ast.LeafBody((first, second, ast.Input("丙", "bool"), ast.Input("丁", "findings")), (), (),
                        tuple(specs), rule)
    leaf = _lowered(body, points)
    bounds, unfloored = leaf_bounds(leaf), leaf_bounds(leaf, floor=False)
    closure, consts = build(leaf.exact), _consts(leaf.exact)
    for _ in range(8):
        values = {f: _value(data.draw, f, consts) for f in ir.fields(leaf.exact)}
        result = _run(closure, values)
        if result is None:
            continue
        assert bounds is not None, (rule, values, result)
        assert bounds.low <= result <= bounds.high, (rule, values, result, bounds)
        assert unfloored.low <= result, (rule, values, result, unfloored)  # 扣完为止 only raises a value


_TWO_OTHERWISE = ast.Bands(ast.Ref("甲"), (ast.Band(ast.Otherwise(), ast.Fixed(None)),
                                            ast.Band(ast.Otherwise(), ast.Fixed(Decimal("0.6")))))


@SETTINGS
@given(st.one_of(bands_of_one_input, linear_formulas), rate_inputs(), _points)
@example(_TWO_OTHERWISE, ast.Input("甲", "rate"), Decimal("0.5"))  # the first 否则 takes every value
def test_bands_and_linear_rules_reach_their_bounds(rule, rate, points):
    leaf = _lowered(ast.LeafBody((rate,), (), (), (), rule), points)
    bounds = leaf_bounds(leaf)
    closure, consts = build(leaf.exact), _consts(leaf.exact)
    tries = [{field: value for field in ir.fields(leaf.exact)}
             for value in _candidates(ir.Field("决策", "甲", "input", "number", *input_domain(rate)), consts)]
    found = [v for v in (_run(closure, values) for values in tries) if v is not None]
    assume(found)  # some input has a score (bands may leave every value in a gap)
    assert bounds is not None
    assert max(found) <= bounds.high and bounds.high - max(found) <= CLOSE, (rule, rate, bounds, max(found))
    assert min(found) >= bounds.low and min(found) - bounds.low <= CLOSE, (rule, rate, bounds, min(found))


def test_a_share_of_a_whole_and_a_questionnaire_stay_within_one():
    share = ast.Formula(ast.BinOp("*", ast.BinOp("/", ast.Ref("甲"), ast.BinOp("+", ast.Ref("甲"), ast.Ref("乙"))),
                                  ast.PointsRef()))
    body = ast.LeafBody((ast.Input("甲", "money", "万元"), ast.Input("乙", "money", "万元")), (), (), (), share)
    bounds = leaf_bounds(_lowered(body, Decimal(4)))
    assert (bounds.low, bounds.high) == (0, 4)  # dividing the ranges apart would give 0 … ∞
    survey = ast.Questionnaire("满意率", (("A", Decimal(10)), ("B", Decimal(6))), ("问题一", "问题二"))
    rate = ast.Formula(ast.BinOp("*", ast.Ref("满意率"), ast.PointsRef()))
    bounds = leaf_bounds(_lowered(ast.LeafBody((), (), (survey,), (), rate), Decimal(5)))
    assert (bounds.low, bounds.high) == (3, 5)  # every answer B: 6/10 of the points; every answer A: all


def test_deductions_past_zero_are_seen_without_the_floor():
    falling = ast.Bands(ast.Ref("甲"), (
        ast.Band(ast.Compare((ast.Subject(), _percent(Decimal(80))), (">=",)), ast.Fixed(None)),
        ast.Band(ast.Compare((ast.Subject(), _percent(Decimal(80))), ("<",)),
                 ast.Linear("down", _percent(Decimal(1)), Decimal("0.1")))))
    leaf = _lowered(ast.LeafBody((ast.Input("甲", "rate"),), (), (), (), falling), Decimal(2))
    assert (leaf_bounds(leaf).low, leaf_bounds(leaf).high) == (0, 2)
    assert leaf_bounds(leaf, floor=False).low == -6  # 2 − 80 × 0.1: E402 says where it would end


def test_an_unbounded_deduction_has_no_least():
    deviation = ast.Deviation(ast.Ref("甲"), _percent(Decimal(0)), _percent(Decimal(1)), Decimal("0.2"))
    leaf = _lowered(ast.LeafBody((ast.Input("甲", "number", signed=True),), (), (), (), deviation), Decimal(2))
    assert leaf_bounds(leaf, floor=False).low == -INF
