"""Hypothesis strategies that build idsl ASTs directly (attrs nodes), for printing and checking.

`specs()` makes any tree the grammar can express (so it prints and parses back equal);
`nonsense_specs()` makes trees no text could produce (for the checker's never-raise property);
`consistent_specs()` makes trees whose points add up and whose rules award exactly their points.
"""

from __future__ import annotations

from decimal import Decimal

import attrs
from hypothesis import strategies as st

from idsl.frontend import ast
from idsl.frontend.band_ends import hyphen_range, low_first, yield_marked_ends
from idsl.frontend.deductions import resolve_deductions
from idsl.frontend.shape import ShapeError
from idsl.frontend.source import NOWHERE
from idsl.frontend.parse import COLUMN_KINDS
from idsl.frontend.printer import is_bare_name

# Characters that make names: CJK, pieces of keywords (so names brush against them), Latin letters.
_FIRST = "甲乙丙丁戊预算执行率比分值目标得是否每项则若且或率数量金额满意度至AbZxto“《"
_REST = _FIRST + "0123456789_”》·"
# Anything a quoted name may hold besides: blanks inside, brackets, punctuation, digits first.
_QUOTABLE = _REST + " （）()，,：:；;%％-—/、.！？#～~=＝≥<>|"
UNITS = ("万元", "元", "人", "个", "万人", "项", "件", "户")

bare_names = st.builds(lambda a, b: a + b, st.sampled_from(_FIRST), st.text(_REST, max_size=5)).filter(is_bare_name)
quotable_names = st.text(_QUOTABLE, min_size=0, max_size=8).filter(lambda s: s == s.strip())
any_names = st.one_of(bare_names, quotable_names)
units = st.sampled_from(UNITS)

numbers = st.one_of(
    st.integers(0, 200).map(Decimal),
    st.decimals(min_value=0, max_value=1000, places=2, allow_nan=False, allow_infinity=False),
    st.sampled_from([Decimal("0.5"), Decimal("1.50"), Decimal("1E+2"), Decimal("0.000")]),
)
signed_numbers = st.one_of(numbers, numbers.map(lambda d: -d if d else d))

# Free text for explanations and titles: one line, no outer blanks, not starting with a colon.
_TEXT = _QUOTABLE + "“”‘’《》…\""
texts = st.text(_TEXT, max_size=20).filter(
    lambda s: s == s.strip() and not s.startswith((":", "：", '"')) and not (s.startswith("#") and '"' in s))
# Text after `- ` (checklist elements, questions): non-empty, not starting with a quote or #.
line_texts = st.text(_TEXT, min_size=1, max_size=20).filter(
    lambda s: s == s.strip() and s != "" and not s.startswith(('"', "#")))
labels = st.text(_QUOTABLE.replace(":", "").replace("：", "") + "“”", min_size=1, max_size=12).filter(
    lambda s: s == s.strip() and s[0] not in "-#\"")


# ---------------------------------------------------------------- expressions and conditions


def _num(values, unit_words):
    """A number that is a percentage or has a unit, never both (“90% 人” is E409)."""
    return st.builds(ast.Num, values, st.just(True), st.none()) | st.builds(ast.Num, values, st.just(False),
                                                                           st.none() | unit_words)


def nums(signed: bool = False):
    return _num(signed_numbers if signed else numbers, units)


_leaf_exprs = st.one_of(
    nums(), st.builds(ast.Ref, bare_names), st.just(ast.PointsRef()), st.builds(ast.BoolLit, st.booleans()))


def _grow(children):
    return st.one_of(
        st.builds(ast.BinOp, st.sampled_from("+-*/"), children, children),
        st.builds(ast.Neg, children),
        st.builds(lambda f, args: ast.Call(f, tuple(args)), st.sampled_from(["abs", "min", "max", "round"]),
                  st.lists(children, min_size=1, max_size=3)),
        st.builds(lambda e, u: ast.Call("convert", (e,), unit=u), children, units),
    )


exprs = st.recursive(_leaf_exprs, _grow, max_leaves=6)
_CMPS = st.sampled_from([">=", "<=", ">", "<", "=", "!="])


@st.composite
def compares(draw):
    shape = draw(st.sampled_from(["chain", "truth", "implied", "marked", "open_end"]))
    if shape == "truth":
        return ast.Compare((draw(exprs),), ())
    if shape == "marked":  # 80%（含）～90%: one end held at least (a range marking neither is a closed Range)
        held = draw(st.sampled_from([(True, False), (False, True), (True, True)]))
        low, high, low_in, high_in = draw(low_end_first(draw(exprs), draw(exprs), *held))
        return ast.Compare((low, ast.Subject(), high), ("<=" if low_in else "<", "<=" if high_in else "<"),
                           written="range")
    if shape == "open_end":  # 90%（含）以上, 80%以下: held (the bands read together may then leave an unmarked end out);
        # 90%及以上, 60%及以下: held always
        written = draw(st.sampled_from(["above", "below", "above-marked", "below-marked", "above-and", "below-and"]))
        op = ">=" if written.startswith("above") else "<="
        return ast.Compare((ast.Subject(), draw(exprs)), (op,), written=written)
    if shape == "implied":
        return ast.Compare((ast.Subject(), draw(exprs)), (draw(_CMPS),))
    count = draw(st.integers(2, 3))
    return ast.Compare(tuple(draw(exprs) for _ in range(count)), tuple(draw(_CMPS) for _ in range(count - 1)))


def low_end_first(low, high, low_in: bool = True, high_in: bool = True):
    """A range's ends as the parser keeps them, low end first with each mark beside its number (`100%～80%（含）` is
    read `80%（含）～100%`): a strategy of that one value, or of none for two ends of one number (E101)."""
    try:
        return st.just(low_first(low, high, low_in, high_in, NOWHERE))
    except ShapeError:
        return st.nothing()


ranges = st.tuples(exprs, exprs).flatmap(lambda ends: low_end_first(*ends)).map(lambda e: ast.Range(e[0], e[1]))
atom_conds = st.one_of(compares(), ranges, st.just(ast.Otherwise()))
and_conds = st.one_of(atom_conds, st.lists(atom_conds, min_size=2, max_size=3).map(lambda p: ast.BoolOp("and", tuple(p))))
conds = st.one_of(and_conds, st.lists(and_conds, min_size=2, max_size=3).map(lambda p: ast.BoolOp("or", tuple(p))))


# ---------------------------------------------------------------- declarations


@st.composite
def inputs(draw):
    kind = draw(st.sampled_from(["rate", "money", "count", "number", "bool", "choice", "findings"]))
    unit = draw(units) if kind in ("money", "count") else None
    signed = draw(st.booleans()) if kind in ("money", "number") else False
    options = ()
    if kind == "choice":
        options = tuple(draw(st.lists(st.one_of(any_names, st.integers(0, 99).map(str)), min_size=1, max_size=3)))
    low = high = None
    if kind in ("rate", "money", "count", "number") and draw(st.booleans()):
        low, high = draw(nums(signed=True)), draw(nums(signed=True))
    return ast.Input(draw(bare_names), kind, unit, low, high, options, signed)


derived = st.builds(ast.Derived, bare_names, exprs)
questionnaires = st.builds(
    lambda name, options, questions: ast.Questionnaire(name, tuple(options), tuple(questions)),
    bare_names, st.lists(st.tuples(bare_names, numbers), min_size=1, max_size=4),
    st.lists(line_texts, min_size=1, max_size=3))
specials = st.builds(ast.Special, conds, st.none() | numbers)


# ---------------------------------------------------------------- rules


def _item(text, points):
    return ast.ChecklistItem(text, points)


checklists = st.builds(
    lambda items, each, partial, equal: ast.Checklist(tuple(items), each, partial, equal=equal and each is None),
    st.lists(st.builds(_item, line_texts, st.none() | numbers), min_size=1, max_size=4),
    st.none() | numbers, st.booleans(), st.booleans()).filter(
    lambda c: all(i.points is not None or not _ends_like_points(i.text) for i in c.items))


def _ends_like_points(text: str) -> bool:
    from idsl.frontend.printer_rules import ITEM_POINTS

    return bool(ITEM_POINTS.search(text))


def read_together(bands) -> tuple | None:
    """The bands as the parser reads them: `90%-80%` is the range 80%～90%, and an unmarked 以上/以下 end leaves out
    a number another band marks （含）; None where a hyphen joins two ends of one number (E101)."""
    try:
        conds = yield_marked_ends([hyphen_range(band.cond) for band in bands])
    except ShapeError:
        return None
    return tuple(attrs.evolve(band, cond=cond) for band, cond in zip(bands, conds))


outcomes = st.one_of(
    st.builds(ast.Fixed, st.none() | numbers),
    numbers.map(lambda n: ast.Fixed(None, deduct=n)),  # `扣 N 分`: resolved against the points as the parser does
    st.builds(ast.Linear, st.sampled_from(["down", "up"]), nums(), numbers,
              st.none() | st.sampled_from(["half_up", "floor", "ceil"]), st.none() | numbers),
)
bands = st.builds(lambda subject, bs: ast.Bands(subject, read_together(bs)), exprs,
                  st.lists(st.builds(ast.Band, conds, outcomes), min_size=1, max_size=4).filter(read_together))
deviations = st.builds(
    lambda subject, target, step, deduct, rounding, limit, beyond: ast.Deviation(
        subject, target, step, deduct, rounding, limit, beyond_points=beyond if limit is not None else None),
    exprs, exprs, nums(), numbers, st.none() | st.sampled_from(["half_up", "floor", "ceil"]), st.none() | nums(),
    st.none() | numbers.filter(lambda d: d != 0))
per_findings = st.builds(ast.PerFinding, bare_names, numbers, st.none() | numbers)
choices = st.builds(lambda name, options: ast.Choice(name, tuple(options)), bare_names,
                    st.lists(st.builds(ast.ChoiceOption, labels, numbers), min_size=1, max_size=4))
discretionaries = st.one_of(st.just(ast.Discretionary()), st.builds(ast.Discretionary, numbers, numbers))
targets = st.builds(ast.Target, bare_names, st.sampled_from([">=", "<=", "=", ">", "<", "!="]), nums(), st.booleans())
simple_rules = st.one_of(checklists, st.builds(ast.Formula, exprs), bands, deviations, per_findings, choices,
                         discretionaries, targets)


@st.composite
def leaf_bodies(draw, rules=simple_rules):
    body = ast.LeafBody(
        tuple(draw(st.lists(inputs(), max_size=2))), tuple(draw(st.lists(derived, max_size=2))),
        tuple(draw(st.lists(questionnaires, max_size=1))), tuple(draw(st.lists(specials, max_size=2))),
        draw(st.none() | rules))
    if not (body.inputs or body.derived or body.questionnaires or body.specials or body.rule):
        return ast.LeafBody(rule=ast.Discretionary())
    return body


parts = st.builds(
    lambda ps: ast.Parts(tuple(ps)),
    st.lists(st.builds(ast.Part, any_names, signed_numbers, leaf_bodies()), min_size=1, max_size=3))
rules = st.one_of(simple_rules, parts)


# ---------------------------------------------------------------- indicators and the spec


def _indicator(children_strategy):
    return st.builds(
        ast.Indicator, any_names, st.none() | signed_numbers, st.none() | texts, st.none() | texts,
        st.none() | st.sampled_from(["exclude", "full"]), children_strategy,
        st.none() | leaf_bodies(rules), reason_below=st.booleans())


def _leaf_or_branch(children):
    return st.one_of(_indicator(st.just(())), _indicator(st.lists(children, min_size=1, max_size=3).map(tuple)))


indicators = st.recursive(_indicator(st.just(())), _leaf_or_branch, max_leaves=4)


@st.composite
def adjustments(draw):
    kind = draw(st.sampled_from(["penalty", "bonus"]))
    keywords = {"penalty": ["逆向指标", "扣分项"], "bonus": ["加分项"]}[kind]
    name = draw(st.one_of(st.sampled_from(keywords), any_names))
    items = tuple(draw(st.lists(_indicator(st.just(())), min_size=1, max_size=2)))
    return ast.Adjustments(kind, name, draw(st.none() | numbers), items)


_KINDS = sorted(set(COLUMN_KINDS.values()))


@st.composite
def columns(draw):
    title = draw(st.one_of(st.sampled_from(sorted(COLUMN_KINDS)), any_names))
    kind = draw(st.sampled_from([COLUMN_KINDS.get(title, title), *_KINDS]))
    return ast.Column(kind, title)


layouts = st.builds(
    lambda title, cols, rows: ast.Layout(title, tuple(cols), tuple(rows)),
    st.none() | texts, st.lists(columns(), max_size=4),
    st.lists(st.one_of(st.sampled_from(["小计", "逆向指标", "合计", "等级"]), any_names), max_size=3),
).filter(lambda layout: layout.title is not None or layout.columns or layout.rows)

value_items = st.one_of(nums(signed=True), st.booleans(), any_names)
values = st.builds(lambda rows: ast.Value(tuple(tuple(r) for r in rows)),
                   st.lists(st.lists(value_items, min_size=1, max_size=3), min_size=1, max_size=2))
paths = st.lists(any_names, min_size=1, max_size=3).map(tuple)
examples = st.builds(
    lambda name, sets, expects: ast.Example(name, tuple(sets), tuple(expects)),
    any_names, st.lists(st.builds(ast.ExampleSet, paths, st.none() | bare_names, values), max_size=2),
    st.lists(st.builds(ast.ExampleExpect, paths, values), max_size=2),
).filter(lambda e: e.sets or e.expects)

_PATH_TEXT = st.text(_REST + " -./", min_size=1, max_size=12).filter(lambda s: s == s.strip())


@st.composite
def specs(draw):
    """Any spec the grammar can express."""
    title = draw(st.none() | quotable_names.filter(bool))  # an empty title is E308
    return resolve_deductions(ast.Spec(
        title, draw(st.none() | numbers), draw(st.none() | st.integers(0, 6)),
        tuple(draw(st.lists(st.builds(ast.GradeBand, any_names, conds), max_size=3))),
        tuple(draw(st.lists(st.builds(ast.Import, _PATH_TEXT), max_size=2))),
        tuple(draw(st.lists(inputs(), max_size=2))), tuple(draw(st.lists(derived, max_size=2))),
        tuple(draw(st.lists(questionnaires, max_size=1))), tuple(draw(st.lists(indicators, max_size=2))),
        tuple(draw(st.lists(adjustments(), max_size=2))), draw(st.none() | layouts),
        tuple(draw(st.lists(examples, max_size=2))),
        rescale_total=draw(st.none() | st.just(ast.RescaleTotal())),
        share_siblings=draw(st.none() | st.just(ast.ShareSiblings()))))


# ---------------------------------------------------------------- trees no text can produce


# Well-shaped (every field of the kind its comment says: two or more parts to a 且/或, one more operand
# than operators, a unit for 换算, kinds from the documented sets) but meaningless: negative and
# missing points, zero steps, dangling names, the implicit subject anywhere, units that clash.
_wild_text = st.text(max_size=6)
_wild_numbers = st.one_of(st.decimals(allow_nan=False, allow_infinity=False, places=3, min_value=-1000,
                                      max_value=1000), st.integers(-5, 5).map(Decimal))
_wild_nums = _num(_wild_numbers, st.sampled_from(UNITS + ("分", "米", "")))
_wild_leaf_exprs = st.one_of(_wild_nums, st.builds(ast.Ref, st.one_of(bare_names, _wild_text)),
                             st.just(ast.PointsRef()), st.just(ast.Subject()), st.builds(ast.BoolLit, st.booleans()))
wild_exprs = st.recursive(_wild_leaf_exprs, lambda c: st.one_of(
    st.builds(ast.BinOp, st.sampled_from("+-*/"), c, c), st.builds(ast.Neg, c),
    st.builds(lambda f, args: ast.Call(f, tuple(args)), st.sampled_from(["abs", "min", "max", "round"]),
              st.lists(c, min_size=1, max_size=3)),
    st.builds(lambda e, u: ast.Call("convert", (e,), u), c, st.sampled_from(UNITS + ("米", "分")))), max_leaves=5)


@st.composite
def _wild_compares(draw):
    operands = draw(st.lists(wild_exprs, min_size=1, max_size=3))
    ops = draw(st.lists(st.sampled_from([">=", "<=", ">", "<", "=", "!="]), min_size=len(operands) - 1,
                        max_size=len(operands) - 1))
    return ast.Compare(tuple(operands), tuple(ops))


wild_conds = st.recursive(
    st.one_of(_wild_compares(), st.builds(ast.Range, wild_exprs, wild_exprs), st.just(ast.Otherwise())),
    lambda c: st.builds(lambda op, ps: ast.BoolOp(op, tuple(ps)), st.sampled_from(["and", "or"]),
                        st.lists(c, min_size=2, max_size=3)), max_leaves=4)
_roundings = st.none() | st.sampled_from(["half_up", "floor", "ceil"])
wild_outcomes = st.one_of(
    st.builds(ast.Fixed, st.none() | _wild_numbers),
    st.builds(lambda points, n: ast.Fixed(points, deduct=n), st.none() | _wild_numbers, _wild_numbers),
    st.builds(ast.Linear, st.sampled_from(["down", "up"]), _wild_nums, _wild_numbers, _roundings,
              st.none() | _wild_numbers))
wild_inputs = st.builds(ast.Input, st.one_of(bare_names, _wild_text),
                        st.sampled_from(["rate", "money", "count", "bool", "choice", "findings", "number"]),
                        st.none() | st.sampled_from(UNITS + ("米",)), st.none() | _wild_nums, st.none() | _wild_nums,
                        st.lists(_wild_text, max_size=2).map(tuple), st.booleans())
wild_rules = st.one_of(
    st.builds(lambda items, each, partial: ast.Checklist(tuple(items), each, partial),
              st.lists(st.builds(ast.ChecklistItem, _wild_text, st.none() | _wild_numbers), max_size=3),
              st.none() | _wild_numbers, st.booleans()),
    st.builds(ast.Formula, wild_exprs),
    st.builds(lambda s, bs: ast.Bands(s, tuple(bs)), wild_exprs,
              st.lists(st.builds(ast.Band, wild_conds, wild_outcomes), max_size=4)),
    st.builds(lambda s, t, step, d, r, lim, a, b: ast.Deviation(s, t, step, d, r, lim, a, beyond_points=b),
              wild_exprs, wild_exprs, _wild_nums, _wild_numbers, _roundings, st.none() | _wild_nums, st.booleans(),
              st.none() | _wild_numbers),
    st.builds(ast.PerFinding, st.one_of(bare_names, _wild_text), _wild_numbers, st.none() | _wild_numbers),
    st.builds(lambda name, options: ast.Choice(name, tuple(options)), bare_names,
              st.lists(st.builds(ast.ChoiceOption, _wild_text, _wild_numbers), max_size=3)),
    st.builds(ast.Discretionary, st.none() | _wild_numbers, st.none() | _wild_numbers),
    st.builds(ast.Target, st.one_of(bare_names, _wild_text), st.sampled_from([">=", "<=", "=", ">", "<", "!="]),
              _wild_nums, st.booleans()),
)


def _wild_body(rule_strategy):
    return st.builds(
        lambda i, d, s, r: ast.LeafBody(tuple(i), tuple(d), (), tuple(s), r),
        st.lists(wild_inputs, max_size=3),
        st.lists(st.builds(ast.Derived, st.one_of(bare_names, _wild_text), wild_exprs), max_size=2),
        st.lists(st.builds(ast.Special, wild_conds, st.none() | _wild_numbers), max_size=2),
        st.none() | rule_strategy)


wild_bodies = _wild_body(st.one_of(wild_rules, st.builds(
    lambda ps: ast.Parts(tuple(ps)),
    st.lists(st.builds(ast.Part, _wild_text, _wild_numbers, _wild_body(wild_rules)), max_size=3))))
_wild_names = st.one_of(bare_names, st.sampled_from(["决策", "决策", "总分", "等级", ""]))
wild_indicators = st.recursive(
    st.builds(ast.Indicator, _wild_names, st.none() | _wild_numbers, st.none() | _wild_text, st.none() | _wild_text,
              st.none() | st.sampled_from(["exclude", "full"]), st.just(()), st.none() | wild_bodies),
    lambda c: st.builds(ast.Indicator, _wild_names, st.none() | _wild_numbers, st.none(), st.none(), st.none(),
                        st.lists(c, max_size=3).map(tuple), st.none() | wild_bodies), max_leaves=5)
_wild_paths = st.lists(st.one_of(_wild_text, _wild_names), min_size=1, max_size=3).map(tuple)


@st.composite
def nonsense_specs(draw):
    """Well-shaped trees that mean nothing: the checker must report, never raise."""
    return ast.Spec(
        draw(st.none() | _wild_text), draw(st.none() | numbers), draw(st.none() | st.integers(0, 8)),
        tuple(draw(st.lists(st.builds(ast.GradeBand, _wild_text, wild_conds), max_size=3))), (),
        tuple(draw(st.lists(wild_inputs, max_size=2))),
        tuple(draw(st.lists(st.builds(ast.Derived, bare_names, wild_exprs), max_size=2))),
        (), tuple(draw(st.lists(wild_indicators, max_size=3))),
        tuple(draw(st.lists(st.builds(lambda k, n, cap, items: ast.Adjustments(k, n, cap, tuple(items)),
                                      st.sampled_from(["penalty", "bonus"]), _wild_text,
                                      st.none() | _wild_numbers, st.lists(wild_indicators, max_size=2)),
                             max_size=2))),
        draw(st.none() | st.builds(lambda t, cs, rs: ast.Layout(t, tuple(cs), tuple(rs)), st.none() | _wild_text,
                                   st.lists(st.builds(ast.Column, _wild_text, _wild_text), max_size=2),
                                   st.lists(_wild_text, max_size=2))),
        tuple(draw(st.lists(st.builds(
            lambda n, sets, expects: ast.Example(n, tuple(sets), tuple(expects)), _wild_text,
            st.lists(st.builds(ast.ExampleSet, _wild_paths, st.none() | _wild_text, values), max_size=2),
            st.lists(st.builds(ast.ExampleExpect, _wild_paths, values), max_size=2)), max_size=2))))


# ---------------------------------------------------------------- consistent trees


_points = st.integers(1, 60).map(lambda n: Decimal(n) / 2)  # 0.5 … 30, halves


@st.composite
def scaled_leaf_bodies(draw):
    """A rule whose most is exactly the leaf's points and least is 0, whatever those points are."""
    kind = draw(st.sampled_from(["discretionary", "formula", "bands", "target"]))
    if kind == "discretionary":
        return ast.LeafBody(rule=ast.Discretionary())
    rate = ast.Input("完成率", "rate")
    if kind == "formula":
        expr = ast.BinOp("*", ast.Call("min", (ast.Ref("完成率"), ast.Num(Decimal(100), True))), ast.PointsRef())
        return ast.LeafBody(inputs=(rate,), rule=ast.Formula(expr))
    if kind == "target":
        return ast.LeafBody(inputs=(rate,), rule=ast.Target("完成率", ">=", ast.Num(Decimal(90), True)))
    cut = draw(st.integers(1, 99))
    return ast.LeafBody(inputs=(rate,), rule=ast.Bands(ast.Ref("完成率"), (
        ast.Band(ast.Compare((ast.Ref("完成率"), ast.Num(Decimal(cut), True)), (">=",)), ast.Fixed(None)),
        ast.Band(ast.Compare((ast.Ref("完成率"), ast.Num(Decimal(cut), True)), ("<",)), ast.Fixed(Decimal(0))))))


@st.composite
def consistent_indicators(draw, depth: int, name: str):
    """An indicator whose children's points add up to its own, leaves with scaled rules."""
    if depth >= 3 or draw(st.booleans()):
        return ast.Indicator(name, draw(_points), explanation="说明", body=draw(scaled_leaf_bodies()))
    names = draw(st.lists(bare_names, min_size=1, max_size=3, unique=True))
    children = tuple(draw(consistent_indicators(depth + 1, n)) for n in names)
    return ast.Indicator(name, sum((c.points for c in children), Decimal(0)), children=children)


@st.composite
def consistent_specs(draw):
    """A spec with no errors: points add up everywhere, every rule awards 0 … its points."""
    names = draw(st.lists(bare_names, min_size=1, max_size=3, unique=True))
    tops = tuple(draw(consistent_indicators(1, n)) for n in names)
    return ast.Spec("体系", sum((t.points for t in tops), Decimal(0)), indicators=tops)
