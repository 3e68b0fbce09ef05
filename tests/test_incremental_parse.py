"""The block-by-block parse of the workbench gives exactly the whole parse, and reparses only what changed."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from idsl.frontend import incremental, nested, shift
from idsl.frontend.incremental import parse_incrementally, split_blocks
from idsl.frontend.parse import parse
from idsl.frontend.printer import format_spec
from idsl.frontend.source import Source
from idsl.io.compiled import to_data
from tests.strategies import specs

ROOT = Path(__file__).resolve().parent.parent


def same(one, other) -> bool:
    """Equal with every span compared too (AST equality leaves spans out)."""
    return to_data(one[0]) == to_data(other[0]) and to_data(list(one[1])) == to_data(list(other[1]))


def corpus() -> list[tuple[str, str]]:
    """Every spec of the repository (good and bad) and every example of the grammar reference."""
    files = sorted(ROOT.glob("specs/*.idsl")) + sorted(ROOT.glob("tests/cases/**/*.idsl"))
    texts = [(str(f.relative_to(ROOT)), f.read_text(encoding="utf-8")) for f in files]
    readme = (ROOT / "grammar" / "README.md").read_text(encoding="utf-8")
    texts += [(f"grammar/README.md#{n}", m.group(1)) for n, m in enumerate(re.finditer(r"```idsl\n(.*?)```", readme, re.S))]
    return texts


@pytest.mark.parametrize("name,text", corpus(), ids=lambda v: v if "\n" not in v else "")
def test_the_corpus_parses_the_same(name, text):
    source = Source(name, text)
    assert same(parse_incrementally(source), parse(source))


# An edit as a keystroke makes: characters typed (some that break the syntax) or removed, anywhere.
_TYPED = st.sampled_from(["1", "0.5", "分", "（", "）", "\n", "  ", "\n决策（5）\n", "#", '"', "得满分", "：", "≥ 80%",
                          "\n得分（5）\n", "\n得分 = 1\n", "\n输入 甲：比率\n", "\n等级 优：总分 ≥ 90\n", "\n解释 例\n"])


@st.composite
def edited(draw):
    text = format_spec(draw(specs()))
    at = draw(st.integers(0, len(text)))
    if draw(st.booleans()):
        return text[:at] + draw(_TYPED) + text[at:]
    return text[:at] + text[at + draw(st.integers(1, 12)):]


@settings(max_examples=150, deadline=None)
@given(text=edited())
def test_any_edit_parses_the_same(text):
    source = Source("t.idsl", text)
    assert same(parse_incrementally(source), parse(source))


@st.composite
def original_and_edited(draw):
    """A spec's text as opened, and the same text after lines are added or taken away at one place."""
    text = format_spec(draw(specs()))
    lines = text.split("\n")
    at = draw(st.integers(0, len(lines)))
    if draw(st.booleans()):
        added = draw(st.lists(st.sampled_from(["", "# 注释", "  ", "\n"]), min_size=1, max_size=3))
        return text, "\n".join(lines[:at] + added + lines[at:])
    return text, "\n".join(lines[:at] + lines[at + draw(st.integers(1, 3)):])


@settings(max_examples=100, deadline=None)
@given(texts=original_and_edited())
def test_lines_added_or_removed_after_a_parse_parse_the_same(texts):
    """The edited text reuses the original's pieces, moved to their new lines: every span as a whole parse."""
    original, edited = texts
    parse_incrementally(Source("t.idsl", original))
    source = Source("t.idsl", edited)
    assert same(parse_incrementally(source), parse(source))


def test_a_new_line_parses_nothing_but_its_own_piece_again(monkeypatch):
    text = (ROOT / "specs" / "001_肃南县人社局2024部门整体支出.idsl").read_text(encoding="utf-8")
    parse_incrementally(Source("x.idsl", text))
    parsed = []
    for module in (incremental, nested):
        monkeypatch.setattr(module, "parse", lambda source: parsed.append(source) or parse(source))
    lines = text.split("\n")
    middle = next(n for n in range(len(lines) // 3, len(lines)) if lines[n].strip().startswith("解释"))
    edited_text = "\n".join(lines[:middle + 1] + [""] + lines[middle + 1:])  # Enter after a leaf's explanation
    spec, diagnostics = parse_incrementally(Source("x.idsl", edited_text))
    assert len(parsed) <= 1  # the leaf the blank line joined; every piece below is moved, not parsed
    assert same((spec, diagnostics), parse(Source("x.idsl", edited_text)))


def test_a_keystroke_reparses_one_leaf(monkeypatch):
    text = (ROOT / "specs" / "001_肃南县人社局2024部门整体支出.idsl").read_text(encoding="utf-8")
    before, _ = parse_incrementally(Source("x.idsl", text))
    parsed = []
    for module in (incremental, nested):
        monkeypatch.setattr(module, "parse", lambda source: parsed.append(source) or parse(source))
    edited_text = text.replace("要素 每项 1 分", "要素 每项 1.5 分", 1)
    assert edited_text != text
    spec, diagnostics = parse_incrementally(Source("x.idsl", edited_text))
    assert len(parsed) == 1 and "每项 1.5 分" in parsed[0].text
    lines = [line for line in parsed[0].text.splitlines() if line.strip()]
    assert lines[0] == "甲" and lines[1].startswith("    年度绩效目标合理性")  # the leaf, under a stand-in
    assert same((spec, diagnostics), parse(Source("x.idsl", edited_text)))
    # every other leaf is the very object parsed before, or a copy moved from it (its spans as before)
    assert spec.indicators[0].children[0].children[0] is not before.indicators[0].children[0].children[0]
    assert shift.origin(spec.indicators[0].children[1])[0] is shift.origin(before.indicators[0].children[1])[0]
    assert spec.indicators[1] is before.indicators[1]
    assert len(split_blocks(text)) > 3  # the header and the level-1 indicators


@pytest.mark.parametrize("line", ["得分（10）", "得分 = 1", "解释 例", "score = 1"])
def test_a_line_starting_with_a_keyword_is_read_in_the_whole_text(line):
    """After a childless indicator the parser reads 得分 as a keyword, where a text's first statement
    would read it as a name: the workbench reports what `idsl check` reports."""
    source = Source("t.idsl", f'体系 "例" 总分 10\n决策（10）\n{line}\n')
    assert same(parse_incrementally(source), parse(source))


def test_a_block_that_does_not_parse_alone_falls_back_to_the_whole_parse():
    text = '体系 "例" 总分 10\n决策（10）\n  甲（10）\n    解释 "跨行的\n说明"\n    酌情\n'
    source = Source("t.idsl", text)
    assert same(parse_incrementally(source), parse(source))
    assert parse(source)[0] is not None  # a string may run over a line that starts at column 0


def _checked_fresh(name: str, text: str) -> list:
    """What `idsl check` reports: the whole text parsed at once, every leaf checked afresh."""
    from idsl.check import check
    from idsl.frontend import resolve

    state = resolve._State(parse, Path(name).resolve().parent)  # as load_text, with the whole parse
    spec = state.load(Source(name, text), chain=())
    return to_data(check(resolve.Loaded(spec, dict(state.sources), tuple(state.diagnostics))))


@pytest.mark.parametrize("path", sorted((ROOT / "tests" / "cases" / "check").glob("*/*.idsl")), ids=lambda p: p.name)
def test_checking_edit_after_edit_reports_what_a_fresh_check_reports(path):
    """The workbench's remembered blocks and leaves never leave a stale diagnostic: after the text is
    checked, changed (a line inserted, moving every span below it) and changed back, each check says
    exactly what checking that text afresh says."""
    from idsl.check import check
    from idsl.frontend.resolve import load_text

    text = path.read_text(encoding="utf-8")
    lines = text.split("\n")
    middle = len(lines) // 2
    moved = "\n".join(lines[:middle] + ["# 插入的一行"] + lines[middle:])
    name = str(path)
    for version in (text, moved, text, moved):
        assert to_data(check(load_text(Source(name, version)))) == _checked_fresh(name, version)
