"""Spellings the grammar promises and syntax errors the parser must locate and name precisely.

Each test states one promise of the language notes or the issue; a failure here is a parser or
grammar gap to fix there, not in the test.
"""

from __future__ import annotations

import pytest
from rich.cells import cell_len

from idsl.frontend.parse import parse
from idsl.frontend.source import Source

LEAF = "体系 \"例\" 总分 2\n决策（2）\n  指标（2）\n    解释 例\n{body}\n"


def _spec(text: str):
    spec, diagnostics = parse(Source("t.idsl", text))
    assert spec is not None and diagnostics == [], [(d.code, d.message, d.span.line, d.span.column) for d in diagnostics]
    return spec


def _errors(text: str):
    return parse(Source("t.idsl", text))[1]


# ---------------------------------------------------------------- every range spelling: ～ ~ 〜 — 至 to

RANGES = {
    "band": "    输入 率：比率\n    分档 率：60%{r}80% 得满分；否则 不得分",
    "band, plain numbers": "    输入 数：数值\n    分档 数：60{r}80 得满分；否则 不得分",
    "discretionary": "    酌情 0{r}2 分",
    "declared range": "    输入 率：比率 范围 0%{r}200%\n    得分 = min(率, 100%) × 分值",
}


@pytest.mark.parametrize("spelling", ["~", "〜", "—", " 至 ", " to "])
@pytest.mark.parametrize("where", RANGES)
def test_every_range_spelling_reads_as_a_range(where, spelling):
    """grammar: RANGE is ～ ~ 〜 — 至 or `to`; after a number, 至 and `to` must not become its unit."""
    body = RANGES[where]
    expected = _spec(LEAF.format(body=body.format(r="～")))
    assert _spec(LEAF.format(body=body.format(r=spelling))) == expected


POINT_RANGES = {  # each end with its own 分, as tables write them: 0.5分至1分
    "discretionary": ("    酌情 0{r}2 分", "    酌情 0分{r}2分"),
    "graded": ("    评级 优：1分{r}2分；差：0分{r}1分",) * 2,  # 评级 keeps which ends wrote 分
    "no data": ("    输入 率：比率 可缺\n    得分 = 率 × 分值\n    无数据时 酌情 0{r}2 分",
                "    输入 率：比率 可缺\n    得分 = 率 × 分值\n    无数据时 酌情 0分{r}2分"),
}


@pytest.mark.parametrize("spelling", ["～", "~", "至", " 至 "])
@pytest.mark.parametrize("where", POINT_RANGES)
def test_a_range_of_points_may_give_分_on_both_ends(where, spelling):
    """grammar: `0.5分至1分` is the range 0.5～1 分; 分至 must not read as a name, nor the first 分 be refused."""
    plain, both = POINT_RANGES[where]
    assert _spec(LEAF.format(body=both.format(r=spelling))) == _spec(LEAF.format(body=plain.format(r="～")))


@pytest.mark.parametrize("separator", ["/", " / ", "›", " › "])  # ">" is a comparison, not a separator
def test_every_path_separator_reads_as_a_path(separator):
    """grammar: a path is names joined by / ÷ › or >; `决策>预算配置` must not read > as a comparison."""
    text = f"示例 例\n  期望 决策{separator}预算配置 = 10\n"
    assert _spec(text).examples[0].expects[0].path == ("决策", "预算配置")


# ---------------------------------------------------------------- nothing written is silently dropped


def test_deviation_award_beyond_the_limit_is_not_dropped():
    """`超过 10% 得 5 分` must not parse to the same tree as `超过 10% 不得分` without a word."""
    rule = "    输入 率：比率\n    偏离 率 目标 0%，每 1% 扣 0.1 分，超过 10% {award}"
    zero = _spec(LEAF.format(body=rule.format(award="不得分")))
    spec, diagnostics = parse(Source("t.idsl", LEAF.format(body=rule.format(award="得 5 分"))))
    assert diagnostics or spec != zero


def test_declared_range_with_a_non_number_end_is_reported():
    """`范围 0%～分值`: a range end that is not a number must be reported, not dropped (high=None)."""
    text = LEAF.format(body="    输入 率：比率 范围 0%～分值\n    得分 = min(率, 100%) × 分值")
    spec, diagnostics = parse(Source("t.idsl", text))
    assert diagnostics, spec.indicators[0].children[0].body.inputs


# ---------------------------------------------------------------- syntax errors: code and place


def test_unfinished_expression_is_not_missing_points():
    """`得分 = 执行率 ×` at the end of a line is an unfinished line (E101), not 指标缺少分值 (E102)."""
    errors = _errors(LEAF.format(body="    输入 执行率：比率\n    得分 = 执行率 ×"))
    assert [d.code for d in errors] == ["E101"], [(d.code, d.message) for d in errors]


def test_stray_character_after_a_heading_is_blamed_not_the_name():
    """`目标设定（2）$`: E106 at the $, not E104 “不认识的词 目标设定” (a fine indicator name)."""
    heading = "  目标设定（2）$"
    text = f"体系 \"例\" 总分 2\n决策（2）\n{heading}\n    解释 例\n    酌情\n"
    errors = _errors(text)
    column = cell_len(heading[:-1]) + 1
    assert [(d.code, d.span.line, d.span.column) for d in errors] == [("E106", 3, column)], \
        [(d.code, d.message, d.span.line, d.span.column) for d in errors]


@pytest.mark.parametrize("line, char, named, hint", [
    ("    输入\u00a0数：问题数", "\u00a0", "U+00A0（不间断空格），看起来像空格", "换成普通的半角空格"),
    ("\u00a0   输入 数：问题数", "\u00a0", "U+00A0（不间断空格），看起来像空格", "换成普通的半角空格"),
    ("    输入 数：问题数\u200b", "\u200b", "看不见的字符 U+200B（零宽空格）", "删去它"),
    ("    输入 数\u200b：问题数", "\u200b", "看不见的字符 U+200B（零宽空格）", "删去它"),
])
def test_a_space_pasted_from_word_is_named_by_its_code_point(line, char, named, hint):
    """A no-break or zero-width space pasted from Word or a web page was E106 quoting it, 这里不能出现字符“ ”, which
    shows the reader a plain space or nothing; the message names it by its code point and says what to do, at its
    place (display cells)."""
    text = LEAF.format(body=f"{line}\n    按项扣分 数 每项 1 分")
    errors = _errors(text)
    assert [(d.code, d.span.line, d.span.column) for d in errors] == [
        ("E106", 5, cell_len(line[:line.index(char)]) + 1)], [(d.code, d.message, d.span.column) for d in errors]
    assert named in errors[0].message and hint in errors[0].hint, (errors[0].message, errors[0].hint)


def test_unclosed_points_are_reported_where_the_parenthesis_opens():
    """`决策（10` with no `）`: the error names line 2 (the open parenthesis), not the next line."""
    text = "体系 \"例\" 总分 10\n决策（10\n  目标设定（10）\n    解释 例\n    酌情\n"
    errors = _errors(text)
    assert [(d.code, d.span.line) for d in errors] == [("E102", 2)], \
        [(d.code, d.message, d.span.line, d.span.column) for d in errors]


@pytest.mark.parametrize("heading, hint", [
    ("逆向指标（最多扣 3 分）", "写成 逆向指标（3）；括号里的分值就是整块最多扣的分。"),
    ("扣分项（上限2.5分）", "写成 扣分项（2.5）；括号里的分值就是整块最多扣的分。"),
    ("加分项（最多加 2 分）", "写成 加分项（2）；括号里的分值就是整块最多加的分。"),
    ("目标（最多 2 分）", '给名称加上引号："目标"（最多 2 分）'),
])
def test_a_blocks_cap_in_the_tables_words_is_written_as_its_points(heading, hint):
    [error] = _errors(LEAF.format(body="    酌情") + "\n" + heading + "\n  违规（2）\n    解释 例\n    酌情\n")
    assert (error.code, error.hint, error.span.line) == ("E101", hint, 7)


@pytest.mark.parametrize("line, name, kind, hint", [
    ("    输入 数：数量", "数", "数量", "在“数量”后写计数的单位，例如 数：数量 处（人、个、项……）；不带单位的数写 数：数值。"),
    ("    输入 数：数量，金：金额 万元", "数", "数量",
     "在“数量”后写计数的单位，例如 数：数量 处（人、个、项……）；不带单位的数写 数：数值。"),
    ("    输入 完成：是否，数：金额", "数", "金额", "在“金额”后写货币单位，例如 数：金额 万元（元、千元、万元、百万元、亿元）。"),
])
def test_a_count_or_an_amount_without_its_unit_says_so(line, name, kind, hint):
    """`输入 工程数：数量` was 这一行还没有写完, hint 这里可以写：名称 (and, with an input after it, 这里不能出现“，”):
    the error names the input and the missing unit, at the kind's word."""
    errors = _errors(LEAF.format(body=f"{line}\n    得分 = 1 × 分值"))
    assert [(d.code, d.message, d.hint) for d in errors] == [("E101", f"“{name}”是{kind}，没有写单位。", hint)]
    start = line.index(f"{name}：{kind}") + len(name) + 1
    assert (errors[0].span.line, errors[0].span.column, errors[0].span.end_column) == (
        5, cell_len(line[:start]) + 1, cell_len(line[:start]) + 1 + cell_len(kind))


@pytest.mark.parametrize("grades, fixed", [
    ("优：90分以上；良：80分 ≤ 总分 < 90；差：80分以下", "优：90 以上；良：80 ≤ 总分 < 90；差：80 以下"),
    ("优：总分 ≥ 90 分；良：80 ≤ 总分 < 90；差：总分 < 80", "优：总分 ≥ 90；良：80 ≤ 总分 < 90；差：总分 < 80"),
    ("优：90 分 以上；良：80 ≤ 总分 < 90；差：80 以下", "优：90 以上；良：80 ≤ 总分 < 90；差：80 以下"),
])
def test_a_grade_written_with_points_is_told_to_drop_them(grades, fixed):
    """`等级 优：90分以上` was told to space the words (分 以上), and `90 分 以上` then was 这里不应出现分: the error
    now says a grade's figures carry no 分, at the first, with the line rewritten, which parses."""
    line = f"等级 {grades}"
    text = f'体系 "例" 总分 2\n{line}\n决策（2）\n  指标（2）\n    解释 例\n    酌情\n'
    errors = _errors(text)
    assert [(d.code, d.message, d.hint) for d in errors] == [("E101", "等级的分数后面不写“分”。", f"写成 等级 {fixed}")]
    first = line.index("分", line.index("9"))
    assert (errors[0].span.line, errors[0].span.column) == (2, cell_len(line[:first]) + 1)
    assert _errors(text.replace(line, f"等级 {fixed}")) == []


@pytest.mark.parametrize("line, fixed", [
    ("  设 指标 = 1.5 分", "设 指标 = 1.5"),
    ("  期望 指标 = 2分", "期望 指标 = 2"),
    ("  期望 总分 = 2 分", "期望 总分 = 2"),
])
def test_a_worked_example_s_score_written_with_points_is_told_to_drop_them(line, fixed):
    """`期望 受益人口 = 8 分`, as the tables print a score, was 这里不应出现分 with a list of tokens: the error says a
    worked example's scores carry no 分, at it, with the line without it (which parses)."""
    text = LEAF.format(body="    酌情") + f"\n示例 例\n  设 指标 = 2\n{line}\n"
    errors = _errors(text)
    assert [(d.code, d.message, d.hint) for d in errors] == [("E101", "示例里的分数后面不写“分”。", f"写成 {fixed}。")]
    assert (errors[0].span.line, errors[0].span.column) == (9, cell_len(line[:line.rindex("分")]) + 1)
    assert _errors(text.replace(line, f"  {fixed}")) == []


def test_a_line_misindented_with_a_tab_says_so():
    """A tab counts as 4 spaces: a line an editor shows aligned (a tab of 2 or 8) is E103, whose hint now names the
    tab; a misindented line of spaces keeps the plain hint."""
    tabbed = _errors(LEAF.format(body="\t\t输入 率：比率\n    得分 = 率 × 分值"))
    spaced = _errors(LEAF.format(body="        输入 率：比率\n    得分 = 率 × 分值"))
    assert [d.code for d in tabbed] == [d.code for d in spaced] == ["E103"]
    assert tabbed[0].hint == spaced[0].hint + "这一行用制表符缩进（一个算 4 个空格，编辑器里看着对齐未必对齐）：请全用空格缩进。"


@pytest.mark.parametrize("item", ["1. 是否按程序申请", "1、是否按程序申请", "①是否按程序申请", "（1）是否按程序申请"])
def test_a_numbered_checklist_element_is_told_to_start_with_a_dash(item):
    """An element numbered as the tables number them was E106 名称不能以数字开头, hint 请给名称加上引号 (a quoted
    name is no element either): the error says an element starts with `- `, at its number."""
    line = f"      {item}"
    text = LEAF.format(body=f"    要素 每项 1 分\n      - 是否有批文\n{line}")
    errors = _errors(text)
    assert [(d.code, d.message, d.hint) for d in errors] == [
        ("E101", "要素和问卷的每一项以“- ”开头，不写序号。", "写成 - 是否按程序申请（序号由 idsl 生成）。")]
    assert (errors[0].span.line, errors[0].span.column) == (7, 7)
    assert _errors(text.replace(line, "      - 是否按程序申请")) == []


@pytest.mark.parametrize("option, fixed", [("按期完成：得2分", "按期完成：2 分"), ("按期完成：计 2 分", "按期完成：2 分")])
def test_an_option_s_points_written_with_get_are_told_to_drop_it(option, fixed):
    """`按期完成：得10分`, as the tables write it, was 这里不应出现关键字 (hint 这里可以写：关键字、数字、行尾)."""
    text = LEAF.format(body=f"    选择 完成情况\n      {option}\n      延期：0 分")
    errors = _errors(text)
    assert [(d.code, d.message, d.hint) for d in errors] == [
        ("E101", "选项的分数直接写数字，不写“得”。", f"写成 {fixed}。")]
    assert _errors(text.replace(option, fixed)) == []


def test_a_title_without_quotes_is_told_to_quote_it():
    """`体系 2024年度…评价 总分 100` was E106 这里不能出现“2”: the error says a title is quoted, with the line."""
    line = "体系 2024年度某县项目支出绩效评价 总分 2"
    text = LEAF.replace('体系 "例" 总分 2', line).format(body="    酌情")
    errors = _errors(text)
    assert [(d.code, d.message, d.hint) for d in errors] == [
        ("E101", "体系的标题要加引号。", '写成 体系 "2024年度某县项目支出绩效评价" 总分 2。')]
    assert _errors(text.replace(line, '体系 "2024年度某县项目支出绩效评价" 总分 2')) == []


def test_a_target_followed_by_the_table_s_pro_rata_words_is_told_they_are_its_rule():
    """`目标 数 ≥ 12处，未完成按比例得分` was 这里不应出现“未完成按比例得分” (hint 关键字、行尾): the error says a 目标
    already scores a shortfall pro rata (第十六条), and how to write one that gives 0."""
    line = "    目标 数 ≥ 12 处，未完成按比例得分"
    errors = _errors(LEAF.format(body=f"    输入 数：数量 处\n{line}"))
    assert [(d.code, d.message) for d in errors] == [
        ("E101", "“未完成按比例得分”不用写：目标未达到时本就按完成比例得分（第十六条）。")]
    assert errors[0].hint == "写成 目标 数 ≥ 12 处；未达到不得分的，在后面写“，未达标不得分”。"
    assert _errors(LEAF.format(body="    输入 数：数量 处\n    目标 数 ≥ 12 处")) == []


def test_a_total_written_with_a_colon_is_told_to_drop_it():
    """`体系 "例" 总分：2`, as a form's field, was 这里不应出现： (hint 数字、行尾): the error says so, with the line."""
    text = LEAF.replace('总分 2', '总分：2').format(body="    酌情")
    errors = _errors(text)
    assert [(d.code, d.message, d.hint) for d in errors] == [("E101", "总分后面不写冒号。", '写成 体系 "例" 总分 2。')]
    assert _errors(LEAF.format(body="    酌情")) == []
