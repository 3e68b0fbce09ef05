"""`idsl fmt` keeps what the author wrote: comments where they stood, paragraphs, the 其中 of a funds row; its text
means what the original meant (the same plan) and formatting it again changes nothing."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import attrs
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from strategies import specs

from idsl.frontend import ast
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
    text = '决策（10）\n  指标（10）\n    酌情\n\n表格\n  列 一级指标、"复核得分" = score、"说明" = reason\n'
    assert "  列 一级指标、复核得分 = 得分、说明 = 得分原因\n" in fmt(text)


def _kept(path: Path, tmp_path: Path, edit=lambda text: text) -> str:
    """`path` (its text edited) formatted: checked to format to itself again and to mean what it meant."""
    written = tmp_path / "edited.idsl"
    written.write_text(edit(Source.read(path).text), encoding="utf-8")
    once = fmt(written.read_text(encoding="utf-8"), str(written))
    assert fmt(once) == once
    copy = tmp_path / "formatted.idsl"
    copy.write_text(once, encoding="utf-8")
    assert _plan(copy) == _plan(written)
    return once


def _spec_file(stem: str) -> Path:
    return next(p for p in FILES if p.name.startswith(stem))


def test_a_column_keeps_the_kind_word_its_author_chose(tmp_path):
    """得分原因 and 扣分原因 name one column kind (grammar/README.md §13) but are different words to a reader."""
    once = _kept(_spec_file("007_"), tmp_path)
    assert "自评得分 = 得分、扣分原因和其他说明 = 扣分原因\n" in once
    once = _kept(_spec_file("007_"), tmp_path, lambda text: text.replace("= 扣分原因", "= 得分原因"))
    assert "扣分原因和其他说明 = 得分原因\n" in once
    once = _kept(_spec_file("007_"), tmp_path, lambda text: text.replace('"自评得分" = 得分', '"自评得分" = 评分'))
    assert "自评得分 = 评分、" in once


def test_a_text_quoted_over_several_lines_keeps_its_lines(tmp_path):
    """The line breaks of a quoted text are layout (grammar/README.md §5: dropped from the text): the text means
    the same either way, and fmt wraps it where the author did rather than printing one long line."""
    path = _spec_file("008_")
    written = Source.read(path).text.split("\n")
    once = _kept(path, tmp_path)
    for first in (87, 120):  # the 解释 of B101 and of B201, each over 3 or 4 lines
        block = written[first - 1:first + 3 if first == 87 else first + 2]
        assert "\n".join(block) + "\n" in once
    assert max(len(line) for line in once.split("\n")) <= max(len(line) for line in written)
    leaf = load(path).spec.indicators[1].children[0].children[0]
    assert leaf.explanation.startswith("①") and "\n" not in leaf.explanation and "；②" not in leaf.explanation


WRAPPED = """决策（2）
  指标（2）
    解释 "第一句；
          第二句。"  # 照录
    # 下一行
    评分标准 "甲；
      乙"
    酌情
"""


def test_a_wrapped_text_keeps_its_comments_and_takes_the_printers_indentation():
    once = fmt(WRAPPED)
    assert once == WRAPPED.replace("          第二句", "      第二句")
    assert fmt(once) == once


def test_a_zero_keeps_its_wording_and_is_otherwise_worded_as_in_bands(tmp_path):
    """不得分 or (得) 0 分, as the author wrote it, in a choice's options and in bands alike; an option built
    without a wording (by `idsl import`) is printed 不得分, as a band is."""
    once = _kept(_spec_file("007_"), tmp_path)
    assert "        结余超过上年结转：不得分\n" in once and "        预算调整率 > 30%：不得分\n" in once
    once = _kept(_spec_file("002_"), tmp_path)
    assert "          没有进行公开：0 分\n" in once and "        覆盖率 < 60%：得 0 分\n" in once
    text = '决策（2）\n  公开（2）\n    选择 公开情况\n      公开：2 分\n      未公开：0 分\n'
    spec = parse(Source("x.idsl", text))[0]
    level1 = spec.indicators[0]
    leaf = level1.children[0]
    rule = leaf.body.rule
    options = (rule.options[0], ast.ChoiceOption(rule.options[1].label, rule.options[1].points))
    leaf = attrs.evolve(leaf, body=attrs.evolve(leaf.body, rule=attrs.evolve(rule, options=options)))
    unworded = attrs.evolve(spec, indicators=(attrs.evolve(level1, children=(leaf,)),))
    assert "      未公开：不得分\n" in format_spec(unworded) and "      未公开：0 分\n" in fmt(text)


def test_qizhong_stays_on_every_row_it_was_written_on(tmp_path):
    path = _spec_file("009_")
    once = _kept(path, tmp_path, lambda text: text.replace("    其他资金：", "    其中：其他资金："))
    assert "    其中：本年财政拨款：20、20\n    其中：其他资金：—、—\n" in once
    once = _kept(path, tmp_path, lambda text: text.replace("其中：本年", "本年").replace("    其他资金：", "    其中：其他资金："))
    assert "    本年财政拨款：20、20\n    其中：其他资金：—、—\n" in once


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
