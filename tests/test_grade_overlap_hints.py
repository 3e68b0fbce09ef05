"""E408's hint names the two overlapping grades and an edit that clears the overlap: applied, the check is clean."""

from __future__ import annotations

import pytest

from idsl.check import check
from idsl.frontend.resolve import load_text
from idsl.frontend.source import Source

BODY = "决策（7）\n  目标设定（7）\n    解释 例\n    酌情\n"


def overlaps(grades: str) -> list[str]:
    """The hints of every E408 of a 7-point spec with these grades."""
    loaded = load_text(Source("t.idsl", f'体系 "例" 总分 7\n等级 {grades}\n{BODY}'))
    return [d.hint for d in check(loaded) if d.code == "E408"]


CASES = [
    # (grades, the hint's words, the grades as the hint says to write them)
    ("优：总分 ≥ 6；良：5 ≤ 总分 ≤ 6；差：总分 < 5",
     "6 分只能属于一个等级：通常归较高的“优”（优：总分 ≥ 6），“良”写到 总分 < 6 为止。",
     "优：总分 ≥ 6；良：5 ≤ 总分 < 6；差：总分 < 5"),
    ("优：总分 ≥ 6；良：5 ≤ 总分 < 6；中：4 ≤ 总分 < 5.5；差：总分 < 4",
     "让“中”和“良”首尾相接而不重叠：“中”写到 总分 < 5 为止，或“良”从 总分 ≥ 5.5 起。",
     "优：总分 ≥ 6；良：5 ≤ 总分 < 6；中：4 ≤ 总分 < 5；差：总分 < 4"),
    ("优：总分 ≥ 6；良：总分 ≥ 5；差：总分 < 5",  # 良 unbounded above: no edit of 优 clears it
     "让“良”和“优”首尾相接而不重叠：“良”写到 总分 < 6 为止。",
     "优：总分 ≥ 6；良：5 ≤ 总分 < 6；差：总分 < 5"),
    ("优：总分 ≥ 6；中：总分 < 5；差：总分 < 4；良：5 ≤ 总分 < 6",  # 差 unbounded below: only 中 can move
     "让“差”和“中”首尾相接而不重叠：“中”从 总分 ≥ 4 起。",
     "优：总分 ≥ 6；中：4 ≤ 总分 < 5；差：总分 < 4；良：5 ≤ 总分 < 6"),
]


@pytest.mark.parametrize("grades, hint, fixed", CASES)
def test_the_hint_names_the_grades_and_its_edit_clears_the_overlap(grades, hint, fixed):
    assert overlaps(grades) == [hint]
    assert overlaps(fixed) == []


def test_two_grades_over_the_same_whole_range_are_told_to_rewrite_one():
    [hint] = overlaps("优：总分 ≥ 0；良：总分 ≤ 7")
    assert hint.startswith("“优”和“良”的条件覆盖同一段总分：改写其中一个")  # the same range: in the order written
