"""Properties of the language, on generated trees (tests/strategies.py builds attrs nodes and the
printer writes them out, since Hypothesis's Lark strategy would let keywords run together):

(a) print → parse gives the same tree;             (b) one leaf's points perturbed → exactly one
(c) one band removed → exactly that gap (E403);        points error, on its parent (or the total);
(d) two bands overlapped → exactly that overlap;    (e) any text never raises, only diagnostics;
(f) the checker never raises on any tree, however meaningless.
"""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rich.console import Console

from idsl.frontend import ast
from idsl.check import check, check_spec
from idsl.diagnostics import Diagnostic, render_gnu, render_human
from idsl.frontend.parse import parse
from idsl.frontend.printer import Unprintable, format_spec
from idsl.frontend.resolve import load_text
from idsl.frontend.source import Source
from strategies import consistent_specs, nonsense_specs, specs

ROOT = Path(__file__).resolve().parent.parent
FAST = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow],
                report_multiple_bugs=False)
SUBJECT = "率"
POINTS = Decimal(2)


def _check_text(text: str) -> list[Diagnostic]:
    loaded = load_text(Source("生成.idsl", text))
    assert loaded.spec is not None, render_gnu(loaded.diagnostics) + "\n" + text
    return check(loaded)


def _errors(diagnostics):
    return [d for d in diagnostics if d.severity == "error"]


# ---------------------------------------------------------------- (a) round trip


@settings(FAST, max_examples=150)
@given(specs())
def test_printed_tree_parses_back_equal(spec):
    text = format_spec(spec)
    again, diagnostics = parse(Source("生成.idsl", text))
    assert diagnostics == [], render_gnu(diagnostics) + "\n" + text
    assert again == spec, text
    assert format_spec(again) == text


# ---------------------------------------------------------------- (b) perturbed points


def _leaf_paths(indicators, prefix=()):
    for indicator in indicators:
        path = prefix + (indicator.name,)
        if indicator.children:
            yield from _leaf_paths(indicator.children, path)
        else:
            yield path


def _with_points(indicators, path, points):
    return tuple(
        attrs.evolve(i, points=points) if (i.name,) == path else
        attrs.evolve(i, children=_with_points(i.children, path[1:], points)) if i.name == path[0] else i
        for i in indicators)


def _find(indicators, path):
    found = next(i for i in indicators if i.name == path[0])
    return found if len(path) == 1 else _find(found.children, path[1:])


@FAST
@given(consistent_specs(), st.data())
def test_one_points_error_for_one_perturbed_leaf(spec, data):
    assert _errors(_check_text(format_spec(spec))) == []  # the generated tree is consistent
    path = data.draw(st.sampled_from(list(_leaf_paths(spec.indicators))))
    old = _find(spec.indicators, path).points
    new = data.draw(st.sampled_from([old + Decimal("0.5"), old + 3, old * 2, old / 2]).filter(lambda p: p != old))
    perturbed = attrs.evolve(spec, indicators=_with_points(spec.indicators, path, new))
    text = format_spec(perturbed)
    loaded = load_text(Source("生成.idsl", text))
    errors = _errors(check(loaded))
    assert len(errors) == 1, render_gnu(errors) + "\n" + text
    error = errors[0]
    if len(path) == 1:
        assert error.code == "E303" and error.path == ()
    else:
        parent = _find(loaded.spec.indicators, path[:-1])
        assert error.code == "E302" and error.path == path[:-1], render_gnu(errors)
        assert error.span == parent.points_span


# ---------------------------------------------------------------- bands over a rate: (c) gaps, (d) overlaps


@attrs.frozen
class Piece:
    """A band's interval of the rate in percent: [lo, hi] with each end closed or open."""

    lo: int
    hi: int
    lo_closed: bool
    hi_closed: bool

    @property
    def is_point(self) -> bool:
        return self.lo == self.hi

    def text(self) -> str:
        """The interval as the checker writes it: `60% ≤ 率 < 80%`, `率 = 100%`."""
        if self.is_point:
            return f"{SUBJECT} = {self.lo}%"
        return (f"{self.lo}% {'≤' if self.lo_closed else '<'} {SUBJECT} "
                f"{'≤' if self.hi_closed else '<'} {self.hi}%")


@st.composite
def partitions(draw):
    """Intervals covering [0%, 100%] exactly once; each cut belongs below, above, or to its own band."""
    cuts = sorted(draw(st.sets(st.integers(1, 99), min_size=1, max_size=4)))
    owner = [draw(st.sampled_from(["below", "above", "alone"])) for _ in cuts]
    bounds = [0, *cuts, 100]
    pieces = []
    for i in range(len(bounds) - 1):
        lo_closed = i == 0 or owner[i - 1] == "above"
        hi_closed = i == len(cuts) or owner[i] == "below"
        pieces.append(Piece(bounds[i], bounds[i + 1], lo_closed, hi_closed))
        if i < len(cuts) and owner[i] == "alone":
            pieces.append(Piece(bounds[i + 1], bounds[i + 1], True, True))
    return pieces


def _pct(value: int) -> ast.Num:
    return ast.Num(Decimal(value), percent=True)


def _cmp(op: str, value: int, implied: bool = False) -> ast.Compare:
    if implied:
        return ast.Compare((ast.Subject(), _pct(value)), (op,))
    return ast.Compare((ast.Ref(SUBJECT), _pct(value)), (op,))


@st.composite
def conditions(draw, piece: Piece):
    """A condition for the piece, in one of the notations the seeds use."""
    ref = ast.Ref(SUBJECT)
    if piece.is_point:
        return _cmp("=", piece.lo)
    low_op = ">=" if piece.lo_closed else ">"
    high_op = "<=" if piece.hi_closed else "<"
    notations = [
        ast.Compare((_pct(piece.lo), ref, _pct(piece.hi)), ({">=": "<=", ">": "<"}[low_op], high_op)),
        ast.Compare((_pct(piece.hi), ref, _pct(piece.lo)), ({"<=": ">=", "<": ">"}[high_op], low_op)),
        ast.BoolOp("and", (_cmp(low_op, piece.lo), _cmp(high_op, piece.hi))),
    ]
    if piece.lo_closed and piece.hi_closed:
        notations.append(ast.Range(_pct(piece.lo), _pct(piece.hi)))
    if piece.lo == 0:  # the domain starts at 0%: the lower end may go unsaid
        notations += [_cmp(high_op, piece.hi), _cmp(high_op, piece.hi, implied=True)]
    if piece.hi == 100:
        notations += [_cmp(low_op, piece.lo), _cmp(low_op, piece.lo, implied=True)]
    return draw(st.sampled_from(notations))


_AWARDS = [ast.Fixed(None), ast.Fixed(Decimal(0)), ast.Fixed(Decimal(1)), ast.Fixed(Decimal("1.5"))]


def _spec_with_bands(bands) -> ast.Spec:
    leaf = ast.Indicator("覆盖率指标", POINTS, explanation="说明", body=ast.LeafBody(
        inputs=(ast.Input(SUBJECT, "rate"),), rule=ast.Bands(ast.Ref(SUBJECT), tuple(bands))))
    return ast.Spec("体系", POINTS, indicators=(ast.Indicator("决策", POINTS, children=(leaf,)),))


@st.composite
def complete_bands(draw):
    """(pieces, bands): a band rule covering the rate's domain once, at least one band at full points."""
    pieces = draw(partitions())
    awards = [draw(st.sampled_from(_AWARDS)) for _ in pieces]
    if all(a.points is not None for a in awards):
        awards[draw(st.integers(0, len(pieces) - 1))] = ast.Fixed(None)
    bands = [ast.Band(draw(conditions(p)), a) for p, a in zip(pieces, awards)]
    return pieces, bands


def _in_written_order(draw, pieces, bands):
    order = draw(st.permutations(range(len(bands))))
    return [pieces[i] for i in order], [bands[i] for i in order]


@FAST
@given(complete_bands(), st.data())
def test_removing_one_band_reports_exactly_that_gap(complete, data):
    pieces, bands = complete
    pieces, bands = _in_written_order(data.draw, pieces, bands)
    assert _errors(_check_text(format_spec(_spec_with_bands(bands)))) == []
    full = [i for i, b in enumerate(bands) if b.outcome.points is None]
    removable = [i for i in range(len(bands)) if full != [i]]
    gone = data.draw(st.sampled_from(removable))
    text = format_spec(_spec_with_bands(bands[:gone] + bands[gone + 1:]))
    errors = _errors(_check_text(text))
    assert [e.code for e in errors] == ["E403"], render_gnu(errors) + "\n" + text
    assert errors[0].message == f"{pieces[gone].text()} 时没有对应的档次。", text


@FAST
@given(complete_bands(), st.data())
def test_overlapping_two_bands_reports_exactly_that_overlap(complete, data):
    pieces, bands = complete
    i = data.draw(st.integers(0, len(pieces) - 2))
    lower, upper = pieces[i], pieces[i + 1]
    cut = lower.hi
    if not lower.is_point and not upper.is_point and upper.hi - cut >= 2 and data.draw(st.booleans()):
        reach = data.draw(st.integers(cut + 1, upper.hi - 1))  # the lower band reaches into the upper one
        new_lower = attrs.evolve(lower, hi=reach, hi_closed=False)
        shared = Piece(cut, reach, upper.lo_closed, False)
    elif not lower.hi_closed:  # the cut belongs above: the lower band takes it too
        new_lower, shared = attrs.evolve(lower, hi_closed=True), Piece(cut, cut, True, True)
    else:  # the cut belongs below: the upper band takes it too
        new_lower, shared = lower, Piece(cut, cut, True, True)
        bands[i + 1] = attrs.evolve(bands[i + 1], cond=data.draw(conditions(attrs.evolve(upper, lo_closed=True))))
    bands[i] = attrs.evolve(bands[i], cond=data.draw(conditions(new_lower)))
    lower_award, upper_award = data.draw(st.lists(st.sampled_from(_AWARDS), min_size=2, max_size=2, unique=True))
    bands[i] = attrs.evolve(bands[i], outcome=lower_award)
    bands[i + 1] = attrs.evolve(bands[i + 1], outcome=upper_award)
    if all(b.outcome.points is not None for b in bands):
        other = [j for j in range(len(bands)) if j not in (i, i + 1)]
        if other:
            bands[other[0]] = attrs.evolve(bands[other[0]], outcome=ast.Fixed(None))
        else:
            bands[i + 1] = attrs.evolve(bands[i + 1], outcome=ast.Fixed(None))
    order = data.draw(st.permutations(range(len(bands))))
    text = format_spec(_spec_with_bands([bands[j] for j in order]))
    errors = _errors(_check_text(text))
    assert [e.code for e in errors] == ["E404"], render_gnu(errors) + "\n" + text
    assert errors[0].message == f"{shared.text()} 同时落在两档，两档给分不同。", text


# ---------------------------------------------------------------- (e) any text: diagnostics, never a traceback


def _seed_texts() -> list[str]:
    paths = [ROOT / "tests" / "syntax_sample.idsl", ROOT / "tests" / "cases" / "check" / "good" / "all_rule_kinds.idsl"]
    return [p.read_text(encoding="utf-8") for p in paths if p.exists()]


SEEDS = _seed_texts()
_NOISE = "决策（）()：:，,；;、%％≥≤<>=＝～~—-+×÷/|\"# \n  得分每项若则否是目标分档要素酌情输入比率0123456789.“”\t\u3000\u00a0"


@st.composite
def mutated_seeds(draw):
    """A seed spec with a few characters deleted, duplicated, swapped or inserted."""
    text = draw(st.sampled_from(SEEDS))
    for _ in range(draw(st.integers(1, 4))):
        if not text:
            break
        at = draw(st.integers(0, len(text) - 1))
        size = draw(st.integers(1, 12))
        how = draw(st.sampled_from(["delete", "duplicate", "swap", "insert"]))
        if how == "delete":
            text = text[:at] + text[at + size:]
        elif how == "duplicate":
            text = text[:at] + text[at:at + size] + text[at:]
        elif how == "swap" and at + 1 < len(text):
            text = text[:at] + text[at + 1] + text[at] + text[at + 2:]
        else:
            text = text[:at] + draw(st.text(_NOISE, min_size=1, max_size=3)) + text[at:]
    return text


def _only_diagnostics(text: str) -> None:
    source = Source("随机.idsl", text)
    loaded = load_text(source)
    diagnostics = check(loaded)
    assert all(isinstance(d, Diagnostic) for d in diagnostics)
    if loaded.spec is None:
        assert any(d.severity == "error" for d in diagnostics)
    render_gnu(diagnostics)
    render_human(diagnostics, loaded.sources, Console(file=io.StringIO(), width=100), limit=5)


@FAST
@given(st.text(max_size=200))
def test_arbitrary_text_gives_only_diagnostics(text):
    _only_diagnostics(text)


@settings(FAST, max_examples=200)
@given(mutated_seeds())
def test_mutated_spec_gives_only_diagnostics(text):
    _only_diagnostics(text)


@FAST
@given(mutated_seeds())
def test_whatever_parses_prints_back_to_itself(text):
    spec, _ = parse(Source("随机.idsl", text))
    if spec is None:
        return
    try:
        printed = format_spec(spec)
    except Unprintable:
        return  # a tree the parser built from something it should have rejected (reported separately)
    assert parse(Source("随机.idsl", printed))[0] == spec, printed


# ---------------------------------------------------------------- (f) the checker on meaningless trees


@settings(FAST, max_examples=80)
@given(nonsense_specs())
def test_checker_never_raises(spec):
    diagnostics = check_spec(spec, {})
    assert all(isinstance(d, Diagnostic) for d in diagnostics)
    render_gnu(diagnostics)


@settings(FAST, max_examples=60)
@given(specs())
def test_checker_never_raises_on_expressible_trees(spec):
    diagnostics = check_spec(spec, {})
    assert all(isinstance(d, Diagnostic) for d in diagnostics)


# Trees of the wrong shape, which no text parses to: either the AST refuses to build them (a
# constructor raising ValueError or TypeError) or the checker reports on them; it never crashes.
def _leaf_spec(rule=None, specials=(), grades=(), total=Decimal(2), examples=()):
    leaf = ast.Indicator("指标", Decimal(2), explanation="说明", body=ast.LeafBody(
        inputs=(ast.Input("率", "rate"),), specials=tuple(specials), rule=rule or ast.Discretionary()))
    return ast.Spec("体系", total, grades=tuple(grades), indicators=(ast.Indicator("决策", Decimal(2), children=(leaf,)),),
                    examples=tuple(examples))


_ABOVE = ast.Compare((ast.Ref("率"), ast.Num(Decimal(50), True)), (">=",))
MALFORMED = {
    "且 with one part": lambda: _leaf_spec(ast.Bands(ast.Ref("率"), (
        ast.Band(ast.BoolOp("and", (_ABOVE,)), ast.Fixed(None)), ast.Band(ast.Otherwise(), ast.Fixed(Decimal(0)))))),
    "或 with no parts": lambda: _leaf_spec(grades=[ast.GradeBand("优", ast.BoolOp("or", ()))]),
    "comparison without operands": lambda: _leaf_spec(specials=[ast.Special(ast.Compare((), ()), None)]),
    "comparison with too few operators": lambda: _leaf_spec(grades=[ast.GradeBand("优", ast.Compare(
        (ast.Ref("总分"), ast.Num(Decimal(1)), ast.Num(Decimal(2))), (">=",)))]),
    "换算 without a unit": lambda: _leaf_spec(ast.Formula(ast.Call("convert", (ast.Ref("率"),)))),
    "a function with no arguments": lambda: _leaf_spec(ast.Formula(ast.Call("min", ()))),
    "an example with an empty path": lambda: _leaf_spec(examples=[ast.Example(
        "例", (), (ast.ExampleExpect((), ast.Value(((ast.Num(Decimal(1)),),))),))]),
    "a negative total with grades": lambda: _leaf_spec(total=Decimal(-10), grades=[
        ast.GradeBand("优", ast.Compare((ast.Ref("总分"), ast.Num(Decimal(0))), (">=",)))]),
    "an unknown linear direction": lambda: _leaf_spec(ast.Bands(ast.Ref("率"), (ast.Band(ast.Range(
        ast.Num(Decimal(0), True), ast.Num(Decimal(100), True)), ast.Linear("sideways", ast.Num(Decimal(1), True),
                                                                            Decimal(1))),))),
    "an unknown input kind": lambda: attrs.evolve(_leaf_spec(), inputs=(ast.Input("量", "volume"),)),
}


@pytest.mark.parametrize("name", MALFORMED)
def test_malformed_tree_is_refused_or_reported(name):
    try:
        spec = MALFORMED[name]()
    except (ValueError, TypeError):
        return  # the AST refuses the shape: fine
    diagnostics = check_spec(spec, {})
    assert all(isinstance(d, Diagnostic) for d in diagnostics)
