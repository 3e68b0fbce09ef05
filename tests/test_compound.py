"""分档 over two inputs: the checker's gaps and overlaps against the scorer, the reason, fmt, the workbook and the batch."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_xlsx import fill, save

import idsl
from idsl.check import check
from idsl.engines.batch import score_rows
from idsl.engines.python import score
from idsl.engines.rows import row_from_json
from idsl.frontend.printer import format_spec
from idsl.frontend.resolve import load_text
from idsl.frontend.source import Source
from idsl.io.workbook import locate, read_workbook
from idsl.semantics.lower import lower

ROOT = Path(__file__).resolve().parent.parent
SPEC = (ROOT / "tests" / "cases" / "score" / "compound.idsl").read_text(encoding="utf-8")
INPUTS = {"inputs": {"完成及时性": {"是否按期完成": "否", "完成率": "96%"},
                     "两个数": {"完成率": "70%", "满意率": "85%"},
                     "等次": {"评价等次": "良", "完成率": "75%"}}}


def loaded_of(text: str):
    return load_text(Source("t.idsl", text))


def plan_of(text: str):
    loaded = loaded_of(text)
    errors = [d for d in check(loaded) if d.severity == "error"]
    assert not errors, [str(d) for d in errors]
    return lower(loaded.spec, loaded.sources)


def test_the_reason_names_both_values_and_the_band():
    result = idsl.score(plan_of(SPEC), INPUTS)
    reasons = {n.key: (n.score, n.reason) for n in result.nodes}
    assert reasons["产出/完成及时性"] == (Decimal("2"), "是否按期完成为否，完成率为96%，属“否，完成率≥95%”一档，得2分。")
    assert reasons["产出/等次"][0] == Decimal("1")


def test_the_spec_prints_back_to_the_same_tree():
    spec = loaded_of(SPEC).spec
    assert loaded_of(format_spec(spec)).spec == spec


def test_the_workbook_has_both_inputs_and_scores_as_the_json(tmp_path):
    plan = plan_of(SPEC)
    path = save(fill(plan, INPUTS), tmp_path / "filled.xlsx")
    given_ = read_workbook(plan, path)
    from_workbook = locate(score(plan, given_), given_)
    assert not from_workbook.errors, from_workbook.errors
    assert {n.key: n.score for n in from_workbook.nodes} == {n.key: n.score for n in idsl.score(plan, INPUTS).nodes}


def test_both_batch_engines_score_alike():
    plan = plan_of(SPEC)
    units = [INPUTS, {"inputs": {"完成及时性": {"是否按期完成": "是", "完成率": "80%"},
                                 "两个数": {"完成率": "90%", "满意率": "89.99%"},
                                 "等次": {"评价等次": "差", "完成率": "100%"}}}]
    rows = [row_from_json(plan, {**u, "unit": f"单位{i}"}) for i, u in enumerate(units)]
    duckdb, duck_errors = score_rows(plan, rows, engine="duckdb")
    python, python_errors = score_rows(plan, rows, engine="python")
    assert not duck_errors and not python_errors
    assert duckdb == python
    assert [Decimal(str(r["产出/完成及时性"])) for r in python] == [Decimal(2), Decimal(3)]


# ---------------------------------------------------------------- the checker against the scorer

CUTS = [Fraction(n, 100) for n in (60, 80, 90, 95)]
OPS = {"lt": "<", "ge": "≥"}


@st.composite
def bands(draw):
    """A few bands over 是否按期完成 × 完成率, each `是|否，完成率 op cut` or a range, awarding 0 … 5 points."""
    count = draw(st.integers(1, 6))
    written = []
    for _ in range(count):
        word = draw(st.sampled_from(["是", "否"]))
        shape = draw(st.sampled_from(["lt", "ge", "range"]))
        a, b = sorted(draw(st.lists(st.sampled_from(CUTS), min_size=2, max_size=2, unique=True)))
        cond = f"{a * 100}% ≤ 完成率 < {b * 100}%" if shape == "range" else f"{OPS[shape]} {a * 100}%"
        written.append((word, shape, a, b, cond, draw(st.sampled_from([0, 2, 5]))))
    return written


def _holds(shape: str, a: Fraction, b: Fraction, x: Fraction) -> bool:
    return x < a if shape == "lt" else x >= a if shape == "ge" else a <= x < b


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(bands())
def test_no_gap_or_overlap_reported_exactly_when_every_combination_lands_in_one_award(written):
    """E445 is reported iff some combination (on the grid of every cut, and between) lies in no band; E446 iff
    some lies in two bands that award differently — checked by brute force over the combinations."""
    lines = "；".join(f"{w}，{cond} 得 {p} 分" for w, _s, _a, _b, cond, p in written)
    text = ("体系 \"例\" 总分 5\n产出（5）\n  完成及时性（5）\n    解释 例。\n"
            f"    输入 是否按期完成：是否，完成率：比率\n    分档 是否按期完成、完成率：{lines}\n")
    codes = {d.code for d in check(loaded_of(text))}
    points = sorted({Fraction(0), Fraction(1), *CUTS})
    grid = points + [(x + y) / 2 for x, y in zip(points, points[1:])]
    gap = overlap = False
    for word in ("是", "否"):
        for x in grid:
            awards = {p for w, s, a, b, _c, p in written if w == word and _holds(s, a, b, x)}
            gap |= not awards
            overlap |= len(awards) > 1
    assert ("E445" in codes) == gap, (text, codes)
    assert ("E446" in codes) == overlap, (text, codes)
