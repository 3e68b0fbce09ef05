"""`idsl fmt` keeps what the author wrote: comments where they stood, paragraphs, the 其中 of a funds row; its text
means what the original meant (the same plan) and formatting it again changes nothing."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from strategies import specs

from idsl.frontend.keep import format_checked, format_keeping
from idsl.frontend.parse import parse
from idsl.frontend.printer import Unprintable, format_spec
from idsl.frontend.resolve import load, words_imported
from idsl.frontend.source import Source
from idsl.io.compiled import plan_data
from idsl.semantics.lower import lower

ROOT = Path(__file__).resolve().parent.parent
FILES = sorted((ROOT / "specs").glob("*.idsl")) + sorted((ROOT / "examples").glob("**/*.idsl"))


def fmt(text: str, path: str = "x.idsl") -> str:
    source = Source(path, text)
    units, names = words_imported(source)
    spec, diagnostics = parse(source, units, names)
    assert spec is not None, diagnostics
    return format_checked(source, spec, units, names)


def _plan(path: Path) -> dict:
    """The lowered plan's data, without what depends on the layout of the text (spans, source hashes)."""
    loaded = load(path)
    return _unplaced(plan_data(lower(loaded.spec, loaded.sources)))


def _unplaced(data):
    if isinstance(data, dict):
        if data.get("$type") == "Span":
            return None
        return {k: _unplaced(v) for k, v in data.items() if k != "source_hashes"}
    if isinstance(data, list):
        return [_unplaced(v) for v in data]
    return data


def _comment_lines(text: str) -> list[str]:
    return [line.strip() for line in text.split("\n") if line.strip().startswith("#")]


def _in_order(wanted: list[str], lines: list[str]) -> bool:
    found = iter(lines)
    return all(any(w == line for line in found) for w in wanted)


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_every_spec_and_example_formats_faithfully(path, tmp_path):
    text = Source.read(path).text
    once = fmt(text, str(path))
    assert fmt(once, str(path)) == once
    comments = _comment_lines(text)
    assert comments and _in_order(comments, [line.strip() for line in once.split("\n")])
    assert "\n\n\n" not in once
    copy = tmp_path / path.name
    copy.write_text(once, encoding="utf-8")
    assert _plan(copy) == _plan(path)


def test_the_funds_rows_keep_their_qizhong(tmp_path):
    path = next(p for p in FILES if p.name.startswith("009_"))
    once = fmt(Source.read(path).text)
    assert "    年度资金总额：20、20\n    其中：本年财政拨款：20、20\n    其他资金：—、—\n" in once
    written = tmp_path / "a.idsl"
    written.write_text(once.replace("其中：本年", "本年"), encoding="utf-8")  # the first part gets it back
    assert "其中：本年财政拨款" in fmt(written.read_text(encoding="utf-8"))


def test_a_column_kind_is_written_in_chinese():
    text = '决策（10）\n  指标（10）\n    酌情\n\n表格\n  列 一级指标、"自评得分" = 得分、"扣分原因和其他说明" = 扣分原因\n'
    assert "  列 一级指标、自评得分 = 得分、扣分原因和其他说明 = 得分原因\n" in fmt(text)


AUTHORED = """# 体系说明：引自某文件
体系 "示例" 总分 10

# 第一部分
决策(10)  # 一级指标
    目标设定(4)
        # 写法：照录
        discretionary
        # 旧稿：曾用分档
    覆盖率指标 (6)


        input 覆盖率: rate   # 比率
        # 近似：按覆盖率分档
        评分标准 覆盖率高者得分
        解释: 设置目标的项目占全部项目的比率
        bands 覆盖率: 覆盖率 >= 80% full; otherwise zero
  # 决策部分到此
# 文末说明
"""

KEPT = """# 体系说明：引自某文件
体系 "示例" 总分 10

# 第一部分
决策（10）  # 一级指标
  目标设定（4）
    # 写法：照录
    酌情
    # 旧稿：曾用分档
  覆盖率指标（6）
    解释 设置目标的项目占全部项目的比率
    # 近似：按覆盖率分档
    评分标准 覆盖率高者得分

    输入 覆盖率：比率  # 比率
    分档 覆盖率
      覆盖率 ≥ 80%：得满分
      否则：不得分
  # 决策部分到此
# 文末说明
"""


def test_comments_stay_where_the_author_put_them():
    """Before their statement at its new indentation, at the end of its line, at the end of their block; the
    blank lines between statements (one of two); a moved statement (评分标准 after 解释) takes its comment."""
    assert fmt(AUTHORED) == KEPT
    assert fmt(KEPT) == KEPT


def test_a_text_without_comments_is_the_printers():
    text = '决策(10)\n    目标设定(10)\n        discretionary\n'
    spec = parse(Source("x.idsl", text))[0]
    assert format_keeping(text, spec) == format_spec(spec)


def test_a_hash_in_free_text_stays_text():
    text = '决策（10）\n  指标（10）\n    解释 第#1项  # 不是注释\n    酌情  # 是注释\n'
    assert fmt(text) == text


# ---------------------------------------------------------------- comments anywhere between statements


@st.composite
def commented(draw):
    """A printed spec with comments (full-line, at any indentation, or at a line's end) and blank lines put
    between its statements: (the spec, the text, its full-line comments, its trailing ones)."""
    spec = draw(specs())
    try:
        text = format_spec(spec)
    except Unprintable:
        assume(False)
    lines, out, full, ends = text.split("\n")[:-1], [], [], []
    for number, line in enumerate(lines):
        for _ in range(draw(st.integers(0, 2))):
            if draw(st.booleans()):
                out.append("")
            else:
                full.append(f"# 注{number}-{len(full)}：见原表")
                out.append(" " * draw(st.integers(0, 8)) + full[-1])
        if line and draw(st.booleans()):
            ends.append(f"# 尾{number}")
            out.append((line, f"{line}  {ends[-1]}"))
        else:
            out.append(line)
    if draw(st.booleans()):
        full.append("# 文末")
        out.append(" " * draw(st.integers(0, 6)) + full[-1])
    text = "".join((line if isinstance(line, str) else line[1]) + "\n" for line in out)
    if parse(Source("生成.idsl", text))[0] != spec:  # a `#` after free text is the text's: no trailing comments
        text, ends = "".join((line if isinstance(line, str) else line[0]) + "\n" for line in out), []
    return spec, text, full, ends


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(commented())
def test_comments_between_any_statements_survive_in_order(case):
    spec, text, full, ends = case
    source = Source("生成.idsl", text)
    again, diagnostics = parse(source)
    assert again == spec, text
    once = format_checked(source, again)  # the same tree, the lexer's comments all there in order, or Unfaithful
    lines = once.split("\n")
    assert _in_order(full, [line.strip() for line in lines]), once
    assert _in_order(ends, [line[line.rfind("# 尾"):] for line in lines if "# 尾" in line]), once
    assert parse(Source("生成.idsl", once))[0] == spec
    assert fmt(once) == once, once
    assert "\n\n\n" not in once and not once.startswith("\n")


def test_formatting_a_seed_through_the_command_keeps_its_comments(tmp_path):
    from click.testing import CliRunner

    from idsl.cli import main

    path = next(p for p in FILES if p.name.startswith("001_"))
    copy = tmp_path / path.name
    shutil.copy(path, copy)
    result = CliRunner().invoke(main, ["fmt", str(copy)])
    assert result.exit_code == 0, result.output
    assert _comment_lines(copy.read_text(encoding="utf-8")) == _comment_lines(path.read_text(encoding="utf-8"))
