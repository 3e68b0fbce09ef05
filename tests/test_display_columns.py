"""Columns are display cells: on a Chinese line with full-width punctuation, a diagnostic's column is
the display width of the text before it plus one, and the human rendering underlines the right
characters (not `len()` characters, which would put the caret half a line too far left)."""

from __future__ import annotations

import io

import pytest
from rich.cells import cell_len
from rich.console import Console

from idsl.check import check
from idsl.diagnostics import render_human
from idsl.frontend.resolve import load_text
from idsl.frontend.source import Source

# Full-width （）：，；％＜＝ before the faulty spots.
SPEC = """体系 "全角示例" 总分 4
决策（4）
  预算执行率（2）
    解释：执行数与预算数之比
    输入 执行数：金额 万元，预算数：金额 万元
    得分 ＝ min（执行数 ÷ 预算数，100％）× 未定义量
  覆盖率指标（2）
    解释：设置目标的项目占全部项目的比率
    输入 覆盖率：比率
    分档 覆盖率：覆盖率 ≥ 80％ 得满分；覆盖率 ＜ 80％ 且 覆盖率 ≥ 60 得 1 分；覆盖率 ＜ 60％ 不得分
"""

# (code, the faulty text, the text just before it on its line, to tell repeated words apart)
CASES = [
    ("E201", "未定义量", "× "),
    ("E410", "60", "≥ "),
]


@pytest.fixture(scope="module")
def found():
    source = Source("全角.idsl", SPEC)
    loaded = load_text(source)
    assert loaded.spec is not None, loaded.diagnostics
    return check(loaded), {source.path: source}


def _located(code: str, token: str, before: str, diagnostics):
    lines = SPEC.split("\n")
    number = next(i for i, line in enumerate(lines, 1) if before + token in line)
    line = lines[number - 1]
    index = line.index(before + token) + len(before)
    diagnostic = next(d for d in diagnostics if d.code == code)
    return diagnostic, number, line, index


@pytest.mark.parametrize("code,token,before", CASES)
def test_column_is_display_width_of_prefix_plus_one(code, token, before, found):
    diagnostic, number, line, index = _located(code, token, before, found[0])
    assert diagnostic.span.line == number
    assert diagnostic.span.column == cell_len(line[:index]) + 1
    assert diagnostic.span.column != index + 1  # the prefix has wide characters: cells ≠ characters
    assert diagnostic.span.end_column - diagnostic.span.column == cell_len(token)


@pytest.mark.parametrize("code,token,before", CASES)
def test_human_rendering_underlines_the_token(code, token, before, found):
    diagnostics, sources = found
    diagnostic, number, line, index = _located(code, token, before, diagnostics)
    console = Console(file=io.StringIO(), width=240, color_system=None)
    render_human([diagnostic], sources, console)
    shown = console.file.getvalue().splitlines()
    numbered = next(i for i, text in enumerate(shown) if text.strip().startswith(f"{number} |"))
    source_part = shown[numbered].split("| ", 1)[1]
    underline = shown[numbered + 1].split("| ", 1)[1]
    assert source_part == line
    carets = underline.lstrip(" ")
    start = cell_len(underline) - cell_len(carets)
    assert carets == "^" * cell_len(token)
    # The carets sit exactly under the token: the same display cells in the line above.
    assert start == cell_len(line[:index])
    assert _text_under(line, start, cell_len(token)) == token


def _text_under(line: str, start: int, width: int) -> str:
    """The characters of `line` occupying display cells [start, start + width)."""
    cells, picked = 0, []
    for char in line:
        if start <= cells < start + width:
            picked.append(char)
        cells += cell_len(char)
    return "".join(picked)
