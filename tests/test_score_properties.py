"""Properties of the scorer (hypothesis): bounds, monotonicity, sums, grades, rounding, boundaries, determinism.

Plans are built from AST nodes directly (no parsing), so each example costs little.
"""

from __future__ import annotations

import random
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from idsl.frontend import ast
from idsl.io.inputs import Inputs
from idsl.semantics.lower import lower
from idsl.semantics.numbers import half_up
from idsl.engines.python import score

FAST = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])

TOTAL = ast.Ref("总分")
GRADES = (
    ast.GradeBand("优", ast.Compare((TOTAL, ast.Num(Decimal(90))), (">=",))),
    ast.GradeBand("良", ast.Compare((ast.Num(Decimal(80)), TOTAL, ast.Num(Decimal(90))), ("<=", "<"))),
    ast.GradeBand("中", ast.Compare((ast.Num(Decimal(60)), TOTAL, ast.Num(Decimal(80))), ("<=", "<"))),
    ast.GradeBand("差", ast.Compare((TOTAL, ast.Num(Decimal(60))), ("<",))),
)
MONEY = (ast.Input("甲", "money", "万元"), ast.Input("乙", "money", "万元"))
RATIO = (ast.Derived("比率", ast.BinOp("/", ast.Ref("甲"), ast.Ref("乙"))),)
SUBJECT = ast.Ref("比率")


def pct(value) -> ast.Num:
    return ast.Num(Decimal(value), percent=True)


def one_leaf(rule, points: Decimal, inputs=MONEY, derived=RATIO, specials=()):
    """A plan with one level-1 branch holding one leaf named 指标."""
    leaf = ast.Indicator("指标", points, explanation="例", body=ast.LeafBody(inputs, derived, (), specials, rule))
    return lower(ast.Spec("例", points, grades=GRADES, indicators=(ast.Indicator("一级", points, children=(leaf,)),)))


def leaf_score(plan, fields) -> Decimal:
    result = score(plan, Inputs(leaves={"指标": fields}))
    assert not result.errors, [str(e) for e in result.errors]
    return result.node("指标").score


# ---------------------------------------------------------------- strategies

points_st = st.integers(min_value=1, max_value=20).map(Decimal)
money_st = st.integers(min_value=0, max_value=10**6).map(lambda n: Decimal(n) / 100)
positive_money_st = st.integers(min_value=1, max_value=10**6).map(lambda n: Decimal(n) / 100)


@st.composite
def step_bands(draw):
    """Monotone step bands over 比率 (higher is better): x ≥ t1 → p1; t1 > x ≥ t2 → p2; …; x < tk → p_last."""
    points = draw(points_st)
    thresholds = sorted(draw(st.sets(st.integers(min_value=1, max_value=150), min_size=1, max_size=4)), reverse=True)
    awards = sorted(draw(st.lists(st.integers(min_value=0, max_value=int(points) * 2),
                                  min_size=len(thresholds) + 1, max_size=len(thresholds) + 1)), reverse=True)
    awards = [Decimal(a) / 2 for a in awards]
    bands = [ast.Band(ast.Compare((SUBJECT, pct(thresholds[0])), (">=",)), ast.Fixed(awards[0]))]
    for i in range(1, len(thresholds)):
        cond = ast.Compare((pct(thresholds[i - 1]), SUBJECT, pct(thresholds[i])), (">", ">="))
        bands.append(ast.Band(cond, ast.Fixed(awards[i])))
    bands.append(ast.Band(ast.Compare((SUBJECT, pct(thresholds[-1])), ("<",)), ast.Fixed(awards[-1])))
    return points, thresholds, awards, ast.Bands(SUBJECT, tuple(bands))


@st.composite
def linear_bands(draw):
    """x ≥ a 得满分；a > x ≥ b 每降低 s% 扣 d 分（rounding）；x < b 不得分."""
    points = draw(points_st)
    a = draw(st.integers(min_value=2, max_value=100))
    b = draw(st.integers(min_value=0, max_value=a - 1))
    step = draw(st.sampled_from(["0.5", "1", "2", "5"]))
    deduct = Decimal(draw(st.integers(min_value=1, max_value=10))) / 10
    rounding = draw(st.sampled_from([None, "half_up", "floor", "ceil"]))
    bands = (
        ast.Band(ast.Compare((SUBJECT, pct(a)), (">=",)), ast.Fixed(None)),
        ast.Band(ast.Compare((pct(a), SUBJECT, pct(b)), (">", ">=")),
                 ast.Linear("down", pct(step), deduct, rounding)),
        ast.Band(ast.Compare((SUBJECT, pct(b)), ("<",)), ast.Fixed(Decimal(0))),
    )
    return points, a, b, ast.Bands(SUBJECT, bands)


def proportional(points):
    return ast.Formula(ast.BinOp("*", ast.Call("min", (SUBJECT, pct(100))), ast.PointsRef()))


# ---------------------------------------------------------------- rounding


def test_half_up_examples():
    assert half_up(Decimal("2.345"), 2) == Decimal("2.35")
    assert half_up(Decimal("2.344"), 2) == Decimal("2.34")
    assert half_up(Decimal("2.5"), 0) == Decimal("3")  # never banker's (which gives 2)
    assert half_up(Decimal("0.125"), 2) == Decimal("0.13")
    assert half_up(Fraction(1, 8), 2) == Decimal("0.13")


@FAST
@given(st.integers(min_value=-10**9, max_value=10**9), st.integers(min_value=0, max_value=6),
       st.integers(min_value=0, max_value=6))
def test_half_up_matches_decimal_round_half_up(digits, exponent, places):
    value = Decimal(digits).scaleb(-exponent)
    expected = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    assert half_up(value, places) == expected
    assert half_up(Fraction(value), places) == expected
    assert abs(Fraction(half_up(value, places)) - Fraction(value)) <= Fraction(1, 2 * 10**places)


@FAST
@given(st.integers(min_value=0, max_value=10**6), st.integers(min_value=0, max_value=4))
def test_halves_always_go_up(whole, places):
    value = (Decimal(whole) + Decimal("0.5")).scaleb(-places)
    assert half_up(value, places) == (Decimal(whole) + 1).scaleb(-places)


# ---------------------------------------------------------------- bounds and monotonicity


@FAST
@given(step_bands(), money_st, positive_money_st)
def test_step_bands_stay_within_points(spec, numerator, denominator):
    points, _thresholds, awards, rule = spec
    assume(max(awards) <= points)
    plan = one_leaf(rule, points)
    value = leaf_score(plan, {"甲": numerator, "乙": denominator})
    assert Decimal(0) <= value <= points


@FAST
@given(step_bands(), positive_money_st, money_st, money_st)
def test_monotone_step_bands_give_monotone_scores(spec, denominator, n1, n2):
    points, _thresholds, awards, rule = spec
    assume(max(awards) <= points)
    plan = one_leaf(rule, points)
    low, high = sorted((n1, n2))
    assert leaf_score(plan, {"甲": low, "乙": denominator}) <= leaf_score(plan, {"甲": high, "乙": denominator})


@FAST
@given(linear_bands(), positive_money_st, money_st, money_st)
def test_linear_bands_are_bounded_and_monotone(spec, denominator, n1, n2):
    points, _a, _b, rule = spec
    plan = one_leaf(rule, points)
    low, high = sorted((n1, n2))
    s_low = leaf_score(plan, {"甲": low, "乙": denominator})
    s_high = leaf_score(plan, {"甲": high, "乙": denominator})
    assert Decimal(0) <= s_low <= s_high <= points


@FAST
@given(points_st, positive_money_st, money_st, money_st)
def test_proportional_is_bounded_and_monotone(points, denominator, n1, n2):
    plan = one_leaf(proportional(points), points)
    low, high = sorted((n1, n2))
    s_low = leaf_score(plan, {"甲": low, "乙": denominator})
    s_high = leaf_score(plan, {"甲": high, "乙": denominator})
    assert Decimal(0) <= s_low <= s_high <= points
    expected = half_up(min(Fraction(low) / Fraction(denominator), Fraction(1)) * Fraction(points), 2)
    assert s_low == expected


@FAST
@given(points_st, st.integers(min_value=1, max_value=1000), st.integers(min_value=0, max_value=2000),
       st.integers(min_value=0, max_value=2000), st.booleans())
def test_targets_are_bounded_and_monotone(points, goal, a1, a2, all_or_nothing):
    rule = ast.Target("实际", ">=", ast.Num(Decimal(goal), unit="人"), all_or_nothing)
    plan = one_leaf(rule, points, inputs=(ast.Input("实际", "count", "人"),), derived=())
    low, high = sorted((a1, a2))
    s_low, s_high = leaf_score(plan, {"实际": low}), leaf_score(plan, {"实际": high})
    assert Decimal(0) <= s_low <= s_high <= points
    if high >= goal:
        assert s_high == points


@FAST
@given(points_st, st.integers(min_value=0, max_value=30), st.integers(min_value=1, max_value=3),
       st.one_of(st.none(), st.integers(min_value=1, max_value=10).map(Decimal)))
def test_per_finding_is_bounded_and_antitone(points, findings, deduct, cap):
    rule = ast.PerFinding("问题", Decimal(deduct), cap)
    plan = one_leaf(rule, points, inputs=(ast.Input("问题", "findings"),), derived=())
    fewer, more = leaf_score(plan, {"问题": findings}), leaf_score(plan, {"问题": findings + 1})
    assert Decimal(0) <= more <= fewer <= points


# ---------------------------------------------------------------- boundaries


@FAST
@given(step_bands(), st.integers(min_value=1, max_value=50), st.data())
def test_ratios_landing_on_a_boundary_score_in_the_band_that_names_it(spec, scale, data):
    points, thresholds, awards, rule = spec
    assume(max(awards) <= points)
    plan = one_leaf(rule, points)
    index = data.draw(st.integers(min_value=0, max_value=len(thresholds) - 1))
    threshold = thresholds[index]
    denominator = Decimal(100 * scale) / 100  # a denominator in cents; numerator/denominator = threshold% exactly
    numerator = denominator * threshold / 100
    assert Fraction(numerator) / Fraction(denominator) == Fraction(threshold, 100)
    # `x ≥ t1` and `t(i) > x ≥ t(i+1)` include their lower end: exactly t(i) scores awards[i].
    assert leaf_score(plan, {"甲": numerator, "乙": denominator}) == awards[index]


@FAST
@given(linear_bands(), st.integers(min_value=1, max_value=40))
def test_linear_band_anchor_and_floor_are_exact(spec, scale):
    points, a, b, rule = spec
    plan = one_leaf(rule, points)
    denominator = Decimal(scale)
    at_anchor = leaf_score(plan, {"甲": denominator * a / 100, "乙": denominator})
    assert at_anchor == points  # exactly a% is in `≥ a%`: full points
    if b > 0:
        below = leaf_score(plan, {"甲": denominator * b / 100 - Decimal("0.01"), "乙": denominator})
        assert below == 0


# ---------------------------------------------------------------- sums and grades


@st.composite
def trees(draw):
    """Two or three level-1 branches of discretionary leaves, with scores drawn for every leaf."""
    branches, given_scores = [], {}
    for i in range(draw(st.integers(min_value=1, max_value=3))):
        leaves = []
        for j in range(draw(st.integers(min_value=1, max_value=4))):
            points = Decimal(draw(st.integers(min_value=1, max_value=40))) / 2
            name = f"指标{i}{j}"
            leaves.append(ast.Indicator(name, points, explanation="例", body=ast.LeafBody(rule=ast.Discretionary())))
            given_scores[name] = Decimal(draw(st.integers(min_value=0, max_value=int(points * 100)))) / 100
        branches.append(ast.Indicator(f"一级{i}", sum(l.points for l in leaves), children=tuple(leaves)))
    total = sum(b.points for b in branches)
    penalty_cap = Decimal(draw(st.integers(min_value=0, max_value=10)))
    deduction = Decimal(draw(st.integers(min_value=0, max_value=5)))
    penalties = ast.Adjustments("penalty", "逆向指标", penalty_cap, (
        ast.Indicator("扣分项", Decimal(5), body=ast.LeafBody(rule=ast.Discretionary())),))
    spec = ast.Spec("例", total, grades=GRADES, indicators=tuple(branches), adjustments=(penalties,))
    return spec, given_scores, deduction


def _fields(scores: dict, deduction: Decimal) -> dict:
    fields = {name: {"得分": value, "理由": "例"} for name, value in scores.items()}
    fields["扣分项"] = {"得分": deduction, "理由": "例"}
    return fields


def _grade(total: Decimal) -> str:
    return "优" if total >= 90 else "良" if total >= 80 else "中" if total >= 60 else "差"


@FAST
@given(trees())
def test_totals_are_sums_of_their_parts_and_the_grade_is_the_band_of_the_total(tree):
    spec, scores, deduction = tree
    plan = lower(spec)
    result = score(plan, Inputs(leaves=_fields(scores, deduction)))
    assert not result.errors
    rows = {row.path: row for row in result.nodes}
    for node in plan.walk():
        if node.children:
            assert rows[node.path].score == sum(rows[c.path].score for c in node.children)
    assert result.subtotal == sum(rows[n.path].score for n in plan.nodes)
    taken = min(deduction, plan.adjustments[0].cap)
    assert result.blocks[0].total == taken
    assert result.total == max(result.subtotal - taken, Decimal(0))
    assert result.grade == _grade(result.total)


@FAST
@given(trees(), st.data())
def test_excluded_leaves_rescale_their_parent(tree, data):
    spec, scores, deduction = tree
    branch = spec.indicators[0]
    assume(len(branch.children) >= 2)
    drop = data.draw(st.integers(min_value=0, max_value=len(branch.children) - 1))
    children = list(branch.children)
    children[drop] = ast.Indicator(children[drop].name, children[drop].points, explanation="例",
                                   not_applicable="exclude", body=children[drop].body)
    import attrs

    spec = attrs.evolve(spec, indicators=(attrs.evolve(branch, children=tuple(children)),) + spec.indicators[1:])
    fields = _fields(scores, deduction)
    fields[children[drop].name] = {"不适用": True}
    result = score(lower(spec), Inputs(leaves=fields))
    assert not result.errors
    kept = [c for i, c in enumerate(children) if i != drop]
    expected = half_up(sum(Fraction(scores[c.name]) for c in kept) * Fraction(branch.points)
                       / sum(Fraction(c.points) for c in kept), 2)
    assert result.node(branch.name).score == expected
    assert Decimal(0) <= expected <= branch.points


@FAST
@given(st.integers(min_value=0, max_value=10000).map(lambda n: Decimal(n) / 100))
def test_grade_is_the_band_of_the_total(total):
    plan = one_leaf(ast.Discretionary(), Decimal(100), inputs=(), derived=())
    result = score(plan, Inputs(leaves={"指标": {"得分": total, "理由": "例"}}))
    assert result.total == total and result.grade == _grade(total)


# ---------------------------------------------------------------- determinism


@FAST
@given(trees(), st.randoms(use_true_random=False))
def test_scoring_is_deterministic_and_independent_of_key_order(tree, rnd: random.Random):
    spec, scores, deduction = tree
    plan = lower(spec)
    fields = _fields(scores, deduction)
    shuffled_keys = list(fields)
    rnd.shuffle(shuffled_keys)
    shuffled = {k: dict(reversed(list(fields[k].items()))) for k in shuffled_keys}
    first = score(plan, Inputs(leaves=fields)).to_json()
    assert first == score(plan, Inputs(leaves=shuffled)).to_json()
    assert first == score(lower(spec), Inputs(leaves=fields)).to_json()


@FAST
@given(points_st, positive_money_st, money_st)
def test_an_unbounded_formula_is_held_within_its_points(points, denominator, numerator):
    # The checker rejects such a rule (E401); the scorer still never leaves [0, points].
    plan = one_leaf(ast.Formula(ast.BinOp("*", SUBJECT, ast.PointsRef())), points)
    result = score(plan, Inputs(leaves={"指标": {"甲": numerator, "乙": denominator}}))
    row = result.node("指标")
    assert Decimal(0) <= row.score <= points
    if numerator > denominator:
        assert row.score == points and "按分值界限计" in row.reason
