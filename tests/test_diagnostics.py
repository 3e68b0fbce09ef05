"""Tests for idsl.diagnostics: the code table and the three renderings."""

import io
import json
import re

import pytest
from rich.cells import cell_len
from rich.console import Console

from idsl.cli._common import make_console
from idsl.diagnostics import (
    CODES,
    Diagnostic,
    Label,
    SpecError,
    render_gnu,
    render_human,
    render_json,
    sort_diagnostics,
)
from idsl.frontend.source import Source, Span

LINE = "  预算配置（12）：重点支出安排率（2），“保障”"
SOURCE = Source("体系.idsl", f"决策（15）\n{LINE}\n")


def span_of(text: str, line_text: str = LINE, line: int = 2) -> Span:
    """The span of `text` on a line, measured in display cells as the parser does."""
    start = line_text.index(text)
    column = cell_len(line_text[:start]) + 1
    return Span(SOURCE.path, line, column, line, column + cell_len(text))


def diagnostic(code: str = "E302", message: str = "子项分值之和 2 与上级 12 不等", **fields) -> Diagnostic:
    fields.setdefault("span", span_of("重点支出安排率"))
    return Diagnostic(code, message, **fields)


def render(diags, limit: int = 50, **console_options) -> str:
    console = Console(file=io.StringIO(), width=120, **console_options)
    render_human(diags, {SOURCE.path: SOURCE}, console, limit)
    return console.file.getvalue()


def marks_under(output: str, numbered_line: str, mark: str = "^") -> tuple[int, int]:
    """Leading spaces and mark count of the underline that follows `numbered_line`."""
    lines = output.splitlines()
    underline = lines[lines.index(numbered_line) + 1]
    after_gutter = underline.split("| ", 1)[1]
    marks = re.match(rf" *({re.escape(mark)}+)", after_gutter)
    assert marks, underline
    return marks.start(1), len(marks.group(1))


def test_codes_table_is_well_formed():
    assert all(re.fullmatch(r"[EW]\d{3}", code) for code in CODES)
    assert {"E101", "E206", "E302", "E413", "W506"} <= CODES.keys()
    assert all(title and title == title.strip() for title in CODES.values())


def test_severity_follows_the_code_letter():
    assert diagnostic("E302").severity == "error"
    assert diagnostic("W501").severity == "warning"


def test_malformed_code_is_rejected():
    with pytest.raises(ValueError):
        diagnostic("302")


def test_path_and_labels_become_tuples():
    d = diagnostic(path=["决策", "预算配置"], labels=[Label(span_of("预算配置"), "上级")])
    assert d.path == ("决策", "预算配置") and isinstance(d.labels, tuple)
    hash(d)


def test_sort_by_file_line_column_code():
    later = diagnostic("E201", span=Span("b.idsl", 1, 1, 1, 2))
    same_place_higher_code = diagnostic("W505", span=Span("a.idsl", 2, 3, 2, 4))
    same_place = diagnostic("E401", span=Span("a.idsl", 2, 3, 2, 4))
    first = diagnostic("E302", span=Span("a.idsl", 1, 9, 1, 10))
    ordered = sort_diagnostics([later, same_place_higher_code, same_place, first])
    assert ordered == [first, same_place, same_place_higher_code, later]


def test_gnu_line_format():
    d = diagnostic(path=("决策", "预算配置", "重点支出安排率"), hint="改为 12")
    column = cell_len("  预算配置（12）：") + 1
    assert render_gnu([d]) == (
        f"体系.idsl:2:{column}: error[E302]: 子项分值之和 2 与上级 12 不等 "
        "[决策 › 预算配置 › 重点支出安排率]（提示：改为 12）"
    )


def test_gnu_is_one_line_per_diagnostic_in_order():
    warning = diagnostic("W502", "缺少\n指标解释", span=Span("体系.idsl", 1, 1, 1, 3))
    output = render_gnu([diagnostic(), warning])
    assert output.splitlines() == [
        "体系.idsl:1:1: warning[W502]: 缺少 指标解释",
        render_gnu([diagnostic()]),
    ]


def test_json_keys_and_values():
    label = Label(span_of("预算配置"), "上级分值在此")
    d = diagnostic(path=("决策", "预算配置"), labels=(label,))
    [obj] = json.loads(render_json([d]))
    assert list(obj) == [
        "code", "severity", "file", "line", "column", "end_line", "end_column",
        "path", "message", "hint", "labels",
    ]
    assert obj["severity"] == "error" and obj["hint"] is None
    assert obj["path"] == ["决策", "预算配置"]
    assert obj["labels"] == [
        {"file": "体系.idsl", "line": 2, "column": 3, "end_line": 2, "end_column": 11,
         "message": "上级分值在此"}
    ]


def test_json_keeps_chinese_readable():
    assert "子项分值" in render_json([diagnostic()])


def test_caret_lands_under_the_span_on_a_chinese_line():
    output = render([diagnostic()])
    indent, carets = marks_under(output, f" 2 | {LINE}")
    assert indent == cell_len("  预算配置（12）：")
    assert carets == cell_len("重点支出安排率")


def test_caret_after_full_width_quotes():
    output = render([diagnostic(span=span_of("保障"))])
    indent, carets = marks_under(output, f" 2 | {LINE}")
    assert indent == cell_len("  预算配置（12）：重点支出安排率（2），“")
    assert carets == 4


def test_multi_line_span_is_underlined_to_the_end_of_its_first_line():
    start = span_of("重点支出安排率")
    d = diagnostic(span=Span(SOURCE.path, 2, start.column, 3, 1))
    indent, carets = marks_under(render([d]), f" 2 | {LINE}")
    assert indent + carets == cell_len(LINE)


def test_tabs_are_shown_expanded_and_the_caret_follows():
    source = Source("t.idsl", "\t目标（3）\n")
    # The parser counts a tab as zero cells (rich's cell_len), so 目标 starts at column 1.
    d = Diagnostic("E301", "m", Span("t.idsl", 1, 1, 1, 5))
    console = Console(file=io.StringIO(), width=80)
    render_human([d], {"t.idsl": source}, console)
    assert marks_under(console.file.getvalue(), " 1 |     目标（3）") == (4, 4)


def test_secondary_label_on_another_line():
    label = Label(Span(SOURCE.path, 1, 1, 1, 5), "上级分值在此")
    output = render([diagnostic(labels=(label,))])
    indent, dashes = marks_under(output, " 1 | 决策（15）", mark="-")
    assert (indent, dashes) == (0, 4)
    assert "---- 上级分值在此" in output


def test_human_shows_header_location_path_and_hint():
    d = diagnostic(path=("决策", "预算配置", "重点支出安排率"), hint="把 12 改为 2")
    lines = render([d]).splitlines()
    assert lines[0] == "error[E302]: 子项分值之和 2 与上级 12 不等"
    assert lines[1] == f"  --> {d.span.gnu()}"
    assert lines[2] == "   = 指标: 决策 › 预算配置 › 重点支出安排率"
    assert "   = 提示: 把 12 改为 2" in lines
    assert lines[-1] == "1 个错误，0 个警告"


def test_human_without_source_still_reports():
    d = diagnostic(span=Span("gone.idsl", 4, 2, 4, 3))
    output = render([d])
    assert "  --> gone.idsl:4:2" in output and "|" not in output


def test_user_text_is_never_markup():
    d = diagnostic(message="名称 [bold]x[/bold] 未定义", hint="[red]")
    output = render([d])
    assert "[bold]x[/bold]" in output and "提示: [red]" in output


def test_control_characters_are_not_sent_to_the_terminal():
    source = Source("c.idsl", "目标\x1b[31m（3）\n")
    d = Diagnostic("E106", "意外字符", Span("c.idsl", 1, 5, 1, 6))
    console = Console(file=io.StringIO(), width=80)
    render_human([d], {"c.idsl": source}, console)
    assert "\x1b" not in console.file.getvalue()


def test_truncation_says_how_many_more():
    diags = [diagnostic(span=Span("体系.idsl", 2, n, 2, n + 1)) for n in range(1, 6)]
    diags.append(diagnostic("W502", span=Span("体系.idsl", 1, 1, 1, 2)))
    output = render(diags, limit=2)
    assert output.count("error[E302]") == 1 and output.count("warning[W502]") == 1
    assert "…… 另有 4 条未显示" in output
    assert output.splitlines()[-1] == "5 个错误，1 个警告"


def test_limit_zero_shows_all():
    diags = [diagnostic(span=Span("体系.idsl", 2, n, 2, n + 1)) for n in range(1, 4)]
    output = render(diags, limit=0)
    assert output.count("error[E302]") == 3 and "more" not in output


def test_no_terminal_means_no_escape_codes():
    output = render([diagnostic(hint="h")])
    assert "\x1b" not in output


def sgr_colours(output: str) -> list[str]:
    """Colour parameters (30–38, 40–48, 90–107) in the output's SGR escape sequences."""
    params = [p for seq in re.findall(r"\x1b\[([0-9;]*)m", output) for p in seq.split(";") if p]
    return [p for p in params if re.fullmatch(r"3[0-8]|4[0-8]|9[0-7]|10[0-7]", p)]


def test_terminal_output_is_coloured():
    console = make_console(file=io.StringIO(), force_terminal=True, width=120)
    render_human([diagnostic()], {SOURCE.path: SOURCE}, console)
    assert sgr_colours(console.file.getvalue())


def test_no_color_removes_colour_even_on_a_terminal(monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    console = make_console(file=io.StringIO(), force_terminal=True, width=120)
    render_human([diagnostic(), diagnostic("W502")], {SOURCE.path: SOURCE}, console)
    assert sgr_colours(console.file.getvalue()) == []


def test_spec_error_carries_diagnostics_and_reads_well():
    diags = [diagnostic("W502"), diagnostic()]
    err = SpecError(diags)
    assert err.diagnostics == tuple(diags)
    assert str(err) == render_gnu(diags)
    assert str(err).count("\n") == 1


@pytest.mark.parametrize("after", ["", "  # 表中原文", "  # 表中原文\n    # 下一行的注释"])
def test_a_rules_span_ends_at_its_last_word_not_at_a_comment_after_it(after):
    from idsl.check import check
    from idsl.frontend.resolve import load_text

    rule = "偏离 调整数 目标 0 万元，每 1 万元 扣 1 分，超过 5 万元 不得分"
    text = ('体系 "例" 总分 10\n管理（10）\n  经费控制（10）\n    解释 经费控制。\n    输入 调整数：金额 万元 可负\n'
            f"    {rule}{after}\n")
    [warning] = [d for d in check(load_text(Source("t.idsl", text))) if d.code == "W504"]
    assert (warning.span.line, warning.span.column) == (6, 5)
    assert (warning.span.end_line, warning.span.end_column) == (6, 5 + cell_len(rule))
