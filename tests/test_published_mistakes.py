"""The seven mistakes of the published systems (DOMAIN.md, "Real mistakes…"), each reported by
`idsl check` on the as-published files with its code, on the right line, with the indicator path
and a hint. Lines are found by searching the file for the indicator, never hard-coded.
"""

from __future__ import annotations

import re

import attrs
import pytest

from golden import CASES, ROOT, relative
from idsl.check import check
from idsl.diagnostics import Diagnostic, render_gnu
from idsl.frontend.resolve import load

BAD = CASES / "check" / "bad"
PUBLISHED_001 = BAD / "001_as_published.idsl"
PUBLISHED_002 = BAD / "002_as_published.idsl"
PUBLISHED_009 = BAD / "009_as_published.idsl"


@attrs.frozen
class Mistake:
    """One published mistake: where it is and what the checker must say about it."""

    number: int  # which of DOMAIN.md's seven mistakes (one may be reported in two places)
    file: object  # the as-published spec
    path: tuple[str, ...]  # the indicator path the diagnostic names
    code: str  # the code it must carry
    line_starts: str | None  # the keyword of the line it points at (None: the indicator's heading)
    message: tuple[str, ...] = ()  # words the message must contain


MISTAKES = {
    # 001: 档案管理 has 3 points in the text, 2 in the annex; 过程 = 24 only with 2.
    "001 档案管理 makes 过程 25": Mistake(1, PUBLISHED_001, ("过程",), "E302", None, ("25", "24")),
    "001 档案管理 3 over its children's 2": Mistake(1, PUBLISHED_001, ("过程", "档案管理"), "E302", None, ("2", "3")),
    # 001 社会基本资金利用(4): the elements give 1.5 + 1.5 = 3.
    "001 社会基本资金利用": Mistake(2, PUBLISHED_001, ("效益", "经济效益", "社会基本资金利用"), "E401", "要素", ("3", "4")),
    # 001 “三公”经费控制率(1): 70%—100% and above; nothing below 70%.
    "001 “三公”经费控制率": Mistake(3, PUBLISHED_001, ("过程", "预算执行", "“三公”经费控制率"), "E403", "分档",
                             ("0%", "70%")),
    # 002 绩效指标明确性(4): 2 + 1 + 1 + 1 = 5.
    "002 绩效指标明确性": Mistake(4, PUBLISHED_002, ("预算编制情况", "目标设置", "绩效指标明确性"), "E401", "要素", ("5", "4")),
    # 002 预算编制规划性(4): at most 2.
    "002 预算编制规划性": Mistake(5, PUBLISHED_002, ("预算编制情况", "预算编制", "预算编制规划性"), "E401", "要素", ("2", "4")),
    # 002 项目完成及时性(3): the rule was written for 2 points (and divides by the late projects).
    "002 项目完成及时性": Mistake(6, PUBLISHED_002, ("预算使用效益", "效率性", "项目完成及时性"), "E401", "得分", ("3",)),
    # 002 预算调整率: "比率≤3%得2分" on a signed rate; −6.80% lands in the top band.
    "002 预算调整率": Mistake(7, PUBLISHED_002, ("预算使用效益", "经济性", "预算调整率"), "W507", "分档", ("预算调整率", "3%")),
}


@pytest.fixture(scope="module")
def reported():
    """Diagnostics of both as-published files, checked from the repository root."""
    import os

    here = os.getcwd()
    os.chdir(ROOT)
    try:
        return {path: check(load(relative(path))) for path in (PUBLISHED_001, PUBLISHED_002)}
    finally:
        os.chdir(here)


def heading_line(text: str, path: tuple[str, ...]) -> int:
    """The 1-based line of the indicator at `path`: each name searched for below its parent's line."""
    lines = text.split("\n")
    start, indent = 0, -1
    for name in path:
        pattern = re.compile(rf"^( *){re.escape(name)}\s*[（(]")
        for number in range(start, len(lines)):
            found = pattern.match(lines[number])
            if found and len(found.group(1)) > indent:
                start, indent = number, len(found.group(1))
                break
        else:
            raise AssertionError(f"{name} not found under {path}")
    return start + 1


def rule_line(text: str, path: tuple[str, ...], keyword: str) -> int:
    """The 1-based line, inside the indicator's block, that starts with `keyword`."""
    lines = text.split("\n")
    head = heading_line(text, path) - 1
    indent = len(lines[head]) - len(lines[head].lstrip(" "))
    for number in range(head + 1, len(lines)):
        line = lines[number]
        if line.strip() and len(line) - len(line.lstrip(" ")) <= indent:
            break
        if line.strip().startswith(keyword):
            return number + 1
    raise AssertionError(f"no line starting with {keyword} under {'/'.join(path)}")


def test_all_seven_mistakes_are_listed():
    assert {m.number for m in MISTAKES.values()} == set(range(1, 8))


@pytest.mark.parametrize("name", MISTAKES)
def test_published_mistake_is_reported(name, reported):
    mistake = MISTAKES[name]
    text = mistake.file.read_text(encoding="utf-8")
    line = heading_line(text, mistake.path) if mistake.line_starts is None else rule_line(
        text, mistake.path, mistake.line_starts)
    found = [d for d in reported[mistake.file] if d.code == mistake.code and d.path == mistake.path]
    shown = render_gnu(reported[mistake.file])
    assert found, f"no {mistake.code} on {' › '.join(mistake.path)}:\n{shown}"
    diagnostic: Diagnostic = found[0]
    assert diagnostic.span.file == relative(mistake.file)
    assert diagnostic.span.line == line, f"{mistake.code} on line {diagnostic.span.line}, expected {line}"
    assert all(word in diagnostic.message for word in mistake.message), diagnostic.message
    assert diagnostic.hint, "every published mistake comes with a hint"


def test_corrected_line_is_found_by_text_search():
    text = PUBLISHED_001.read_text(encoding="utf-8")
    assert text.split("\n")[heading_line(text, ("过程", "档案管理")) - 1].strip() == "档案管理（3）"


def test_009_points_adding_to_110_under_a_total_of_100_is_e303_at_the_first_level_1_heading(monkeypatch):
    """中江县 2022 水标尺 as published: 预算执行率 10 + 产出 70 + 效益 20 + 满意度 10 = 110 under 总分 100. The one
    error is E303 on the 预算执行率 heading (its whole line, in display cells), each level-1 weight labelled."""
    monkeypatch.chdir(ROOT)
    diagnostics = check(load(relative(PUBLISHED_009)))
    assert [d.code for d in diagnostics] == ["E303"], render_gnu(diagnostics)
    (diagnostic,) = diagnostics
    text = PUBLISHED_009.read_text(encoding="utf-8")
    line = heading_line(text, ("预算执行率",))
    assert text.split("\n")[line - 1] == "  预算执行率（10）"
    span = diagnostic.span
    assert (span.file, span.line, span.column, span.end_line, span.end_column) == (
        relative(PUBLISHED_009), line, 3, line, 19)  # 预算执行率 is 10 cells, （10） 6
    assert diagnostic.message == "一级指标合计 110 分，比总分 100 分多 10 分。"
    assert diagnostic.hint == "预算执行率（10）、产出指标（70）、效益指标（20）、满意度指标（10） = 110；改正分值或总分。"
    assert [(label.span.line, label.message) for label in diagnostic.labels] == [
        (line, "预算执行率 10"), (heading_line(text, ("产出指标",)), "产出指标 70"),
        (heading_line(text, ("效益指标",)), "效益指标 20"), (heading_line(text, ("满意度指标",)), "满意度指标 10")]
