"""Diagnostics: the one table of codes, and their human, GNU and JSON renderings."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

import attrs
from rich.cells import cell_len
from rich.console import Console
from rich.text import Text

if TYPE_CHECKING:  # pragma: no cover - for annotations only: diagnostics sit below the front end
    from idsl.frontend.source import Source, Span

# THE table of diagnostic codes. E1xx syntax, E2xx names and imports, E3xx points,
# E4xx rules, W5xx warnings. Codes are stable: never renumber, only add.
CODES: dict[str, str] = {
    "E101": "syntax error",
    "E102": "points missing or not closed",
    "E103": "block not closed or bad indentation",
    "E104": "misspelled keyword",
    "E105": "unterminated string",
    "E106": "unexpected character",
    "E107": "nesting too deep",
    "E108": "number out of range",
    "E109": "a refined leaf's new children do not add up to its points (细化)",
    "E201": "undefined name",
    "E202": "duplicate name",
    "E203": "missing import",
    "E204": "cyclic import",
    "E205": "unknown indicator path",
    "E206": "wrong kind of input for the rule",
    "E207": "path separator in a name",
    "E208": "name that a spreadsheet reads as a formula",
    "E301": "points missing",
    "E302": "children points differ from parent",
    "E303": "level-1 points differ from total",
    "E304": "non-positive points",
    "E305": "parts points differ from leaf",
    "E306": "spec without indicators",
    "E307": "points finer than the decimal places",
    "E308": "empty title",
    "E401": "rule maximum differs from points",
    "E402": "rule can award less than zero",
    "E403": "band gap",
    "E404": "band overlap",
    "E405": "unreachable band",
    "E406": "leaf without a rule",
    "E407": "grade bands leave a gap",
    "E408": "grade bands overlap",
    "E409": "incompatible units",
    "E410": "percent written without %",
    "E411": "malformed band",
    "E412": "invalid layout",
    "E413": "invalid example",
    "E414": "target compared with a strict operator",
    "E420": "funds parts differ from the total",
    "E421": "malformed self-evaluation form",
    "E422": "over-achievement deduction out of bounds",
    "E423": "self-evaluation form text still to fill",
    "E430": "misused comparison across units",
    "E431": "a 自评表 表式 idsl does not know or written twice, or a funds row not shaped as its 表式 (figures, rows)",
    "E450": "points still to fill",
    "E461": "weights of a series not one per member or not summing to 100%",
    "E462": "a year or sub-project outside its declared range",
    "E463": "a series input used without 合计/加权平均/逐年提高/取值, or such a function on another name",
    "E464": "逐年提高 over a single year, or a series function with the wrong arguments",
    "E465": "a band's 扣 N 分 with no points to deduct from: in a bonus item, or under points still to fill",
    "E451": "target value still to fill",
    "E452": "indicator still to refine",
    "E453": "unknown authoring profile",
    "E454": "scoring gate (计分条件) never met",
    "E455": "评级's grades leave a score out or share one",
    "E456": "a malformed 评级: fewer than two grades, a grade twice, a range mixing % and points or empty",
    "E435": "一票否优 without a grade below the top",
    "E436": "扣分须说明理由 on a branch or a penalty/bonus item",
    "E437": "not-applicable points both rescale the total and go to the siblings",
    "E438": "an equally split checklist with points of its own or 可酌情",
    "E428": "最低 or 小数 under a leaf misplaced, written twice, or 最低 not below 0",
    "E429": "a scoring gate (计分条件) written as the shortfall (有效样本 < 30 份)",
    "E443": "a line adjusting a leaf's score (酌情扣分, 另扣, 另加) misplaced or out of bounds",
    "E439": "a weight with nothing to take a share of",
    "E445": "band gap over two subjects (分档 a、b): a combination no band covers",
    "E446": "band overlap over two subjects: a combination in two bands that award differently",
    "E440": "适用 若 (or 无数据时 不适用) on a branch, a part or a penalty/bonus item",
    "E441": "适用 若 whose condition is not one yes/no input of the leaf",
    "E442": "alternatives (择一, 任选, 取最高) whose points do not make their parent's",
    "E444": "择一, 任选 or 取最高 misplaced, or an alternative that cannot be one",
    "E424": "按类别 whose branches do not give each declared class (单位类别) exactly one rule",
    "E425": "按类别 without a 单位类别 line, in a part or a penalty/bonus item, or with 超额调减",
    "E426": "an input declared 可缺 read where no 无数据时 line says what a blank scores",
    "E427": "无数据时 on a leaf that reads no input declared 可缺",
    "E458": "一票否决 of a section that is no level-1 or level-2 indicator",
    "E457": "等级不高于 names a grade the system does not have",
    "E459": "a malformed 等级不高于 (a rate outside 0%～100%, a count that is no whole number ≥ 1, a comparison other than ≥) or a 结果 named as another column",
    "E460": "细化 of a name not imported, of a branch, without children or their points; children over an imported leaf without 细化; a subtree under a penalty or bonus item",
    "W501": "non-monotone bands",
    "W502": "leaf without explanation",
    "W503": "verbatim standard text disagrees with the rule",
    "W504": "linear band jumps at a boundary",
    "W505": "unused input or quantity",
    "W506": "grade bands not covering the total",
    "W507": "signed subject with bands for magnitudes only",
    "W508": "execution above the budget",
    "W509": "interval scoring leaves cases unscored",
    "W520": "total rescaled by applicable points, but no leaf can be left out",
    "W522": "not-applicable points shared with siblings, but no leaf can be left out",
    "W521": "reason required below the points on a judged leaf that asks one already (酌情 always, 评级/定性 below the top grade)",
    "W523": "择一, 任选 or 取最高 counting every alternative",
    "W525": "scoring gate (计分条件) always met",
    "W527": "an imported leaf refined (细化) into a single child",
    "W528": "a 自评表 spec whose input workbook cannot be the form (a questionnaire, a penalty or bonus block)",
    "W529": "a denominator's 0 handled by the special cases only in part",
    "W530": "按项扣分 capped (最多 M 分) above the leaf's points: the score stops at 0 first",
    "W526": "等级不高于 that can never lower the grade",
    "W524": "评级's grades not written from the top grade down",
    "W516": "level-1 weights not as the authoring profile says",
    "W517": "points not of the form the authoring profile asks",
}

_CODE_SHAPE = re.compile(r"[EW]\d{3}")
_PATH_SEPARATOR = " › "
_TAB = "    "  # tabs are shown as four spaces, the indenter's tab width
_STYLES = {"error": "bold red", "warning": "bold yellow"}
_GUTTER_STYLE = "bold blue"
_LABEL_STYLE = "bold cyan"


def _check_code(_instance: object, _attribute: object, code: str) -> None:
    # Every diagnostic passes through here: a code outside THE table is a bug of idsl, caught at once.
    if not _CODE_SHAPE.fullmatch(code) or code not in CODES:
        raise ValueError(f"diagnostic code must be one of idsl.diagnostics.CODES, got {code!r}")


@attrs.frozen
class Label:
    """A secondary span with its own message, e.g. where the parent's points are written."""

    span: Span  # where to point
    message: str  # what to say there


@attrs.frozen
class Diagnostic:
    """One problem found in a spec, located by a span and by its indicator path.

    >>> from idsl.frontend.source import Span
    >>> d = Diagnostic("W502", "缺少指标解释", Span("a.idsl", 3, 5, 3, 9))
    >>> d.severity
    'warning'
    """

    code: str = attrs.field(validator=_check_code)  # stable code from CODES, e.g. 'E302'
    message: str  # one sentence; Chinese first is fine
    span: Span  # the primary location
    path: tuple[str, ...] = attrs.field(default=(), converter=tuple)  # ('决策', '预算配置')
    hint: str | None = None  # what to do about it, e.g. "did you mean …"
    labels: tuple[Label, ...] = attrs.field(default=(), converter=tuple)  # secondary spans

    @property
    def severity(self) -> str:
        """'error' for E codes, 'warning' for W codes."""
        return "error" if self.code.startswith("E") else "warning"


class SpecError(Exception):
    """Raised when a spec cannot be used; carries every diagnostic that explains why.

    >>> from idsl.frontend.source import Span
    >>> str(SpecError([Diagnostic("E201", "未定义的名称 x", Span("a.idsl", 2, 1, 2, 2))]))
    'a.idsl:2:1: error[E201]: 未定义的名称 x'
    """

    def __init__(self, diagnostics: Iterable[Diagnostic]) -> None:
        self.diagnostics: tuple[Diagnostic, ...] = tuple(diagnostics)
        super().__init__(self.diagnostics)

    def __str__(self) -> str:
        return render_gnu(self.diagnostics)


def sort_diagnostics(diags: Iterable[Diagnostic]) -> list[Diagnostic]:
    """Diagnostics in reading order: by file, line, column, then code.

    >>> from idsl.frontend.source import Span
    >>> a = Diagnostic("E302", "m", Span("a.idsl", 9, 1, 9, 2))
    >>> b = Diagnostic("E201", "m", Span("a.idsl", 2, 7, 2, 8))
    >>> [d.code for d in sort_diagnostics([a, b])]
    ['E201', 'E302']
    """
    return sorted(diags, key=lambda d: (d.span.file, d.span.line, d.span.column, d.code))


def count_errors(diags: Iterable[Diagnostic]) -> int:
    """How many of the diagnostics are errors (not warnings).

    >>> from idsl.frontend.source import Span
    >>> count_errors([Diagnostic("W502", "m", Span("a.idsl", 1, 1, 1, 2))])
    0
    """
    return sum(1 for d in diags if d.severity == "error")


def render_gnu(diags: Iterable[Diagnostic]) -> str:
    """One line per diagnostic, `file:line:col: error[E302]: message [path]（提示：…）`; `error` and
    `warning` stay as editors and CI tools parse them.

    >>> from idsl.frontend.source import Span
    >>> d = Diagnostic("E302", "子项分值之和 12 与上级 15 不等", Span("a.idsl", 3, 5, 3, 13),
    ...                path=("决策", "预算配置"), hint="把 预算配置 改为 15")
    >>> print(render_gnu([d]))
    a.idsl:3:5: error[E302]: 子项分值之和 12 与上级 15 不等 [决策 › 预算配置]（提示：把 预算配置 改为 15）
    """
    return "\n".join(_gnu_line(d) for d in sort_diagnostics(diags))


def _gnu_line(diag: Diagnostic) -> str:
    location = diag.span.gnu() if diag.span.line > 0 else diag.span.file
    line = f"{location}: {diag.severity}[{diag.code}]: {diag.message}"
    if diag.path:
        line += f" [{_PATH_SEPARATOR.join(diag.path)}]"
    if diag.hint:
        line += f"（提示：{diag.hint}）"
    return _one_line(line)


def _one_line(text: str) -> str:
    """Text with newlines and other control characters made harmless for one-line output."""
    return _visible(" ".join(text.splitlines()))


def render_json(diags: Iterable[Diagnostic]) -> str:
    """A JSON array of diagnostics, for tools; Chinese is kept as is.

    >>> from idsl.frontend.source import Span
    >>> d = Diagnostic("W502", "缺少指标解释", Span("a.idsl", 3, 5, 3, 9), path=("决策",))
    >>> json.loads(render_json([d]))[0]["path"]
    ['决策']
    """
    return json.dumps([_json_object(d) for d in sort_diagnostics(diags)], ensure_ascii=False, indent=2)


def _json_object(diag: Diagnostic) -> dict[str, object]:
    return {
        "code": diag.code,
        "severity": diag.severity,
        **_json_span(diag.span),
        "path": list(diag.path),
        "message": diag.message,
        "hint": diag.hint,
        "labels": [{**_json_span(label.span), "message": label.message} for label in diag.labels],
    }


def _json_span(span: Span) -> dict[str, object]:
    return {
        "file": span.file,
        "line": span.line,
        "column": span.column,
        "end_line": span.end_line,
        "end_column": span.end_column,
    }


def render_human(
    diags: Iterable[Diagnostic],
    sources: Mapping[str, Source],
    console: Console,
    limit: int = 50,
) -> None:
    """Print diagnostics rustc-style with source excerpts, at most `limit` (0: all), then totals.

    >>> from idsl.frontend.source import Source, Span
    >>> import io
    >>> src = Source("a.idsl", "决策（15）\\n  预算配置（12）\\n")
    >>> d = Diagnostic("E302", "子项分值之和 12 与上级 15 不等", Span("a.idsl", 2, 3, 2, 11),
    ...                path=("决策", "预算配置"), hint="改为 15")
    >>> console = Console(file=io.StringIO(), width=80)
    >>> render_human([d], {"a.idsl": src}, console)
    >>> print(console.file.getvalue().rstrip())
    error[E302]: 子项分值之和 12 与上级 15 不等
      --> a.idsl:2:3
       = 指标: 决策 › 预算配置
       |
     2 |   预算配置（12）
       |   ^^^^^^^^
       = 提示: 改为 15
    <BLANKLINE>
    1 个错误，0 个警告
    """
    ordered = sort_diagnostics(diags)
    shown = ordered[:limit] if limit > 0 else ordered
    for diag in shown:
        console.print(_human_block(diag, sources), markup=False, highlight=False)
        console.print()
    if len(ordered) > len(shown):
        console.print(Text(f"…… 另有 {len(ordered) - len(shown)} 条未显示（--max 0 显示全部）"), markup=False, highlight=False)
    console.print(_summary(ordered), markup=False, highlight=False)


def _summary(diags: list[Diagnostic]) -> Text:
    errors = count_errors(diags)
    warnings = len(diags) - errors
    style = _STYLES["error"] if errors else _STYLES["warning"] if warnings else "bold green"
    return Text(f"{errors} 个错误，{warnings} 个警告", style=style)


def _human_block(diag: Diagnostic, sources: Mapping[str, Source]) -> Text:
    """The whole excerpt for one diagnostic, as one Text so user text is never markup."""
    style = _STYLES[diag.severity]
    width = _gutter_width(diag)
    block = Text()
    block.append(f"{diag.severity}[{diag.code}]", style=style)
    block.append(f": {_one_line(diag.message)}", style="bold")
    if diag.span.line > 0:
        _append_line(block, f"{' ' * width}--> ", _GUTTER_STYLE)
        block.append(diag.span.gnu())
    if diag.path:
        _append_note(block, width, f"指标: {_PATH_SEPARATOR.join(diag.path)}")
    _append_excerpt(block, width, diag.span, sources, "^", style, "")
    for label in diag.labels:
        _append_label(block, width, diag.span, label, sources)
    if diag.hint:
        _append_note(block, width, f"提示: {diag.hint}")
    return block


def _gutter_width(diag: Diagnostic) -> int:
    """Digits of the largest line number shown, at least two so short files line up."""
    lines = [diag.span.line, *(label.span.line for label in diag.labels)]
    return max(2, *(len(str(line)) for line in lines))


def _append_line(block: Text, text: str, style: str = "") -> None:
    block.append("\n")
    block.append(text, style=style)


def _append_note(block: Text, width: int, note: str) -> None:
    _append_line(block, f"{' ' * (width + 1)}= ", _GUTTER_STYLE)
    block.append(_one_line(note))


def _append_label(
    block: Text, width: int, primary: Span, label: Label, sources: Mapping[str, Source]
) -> None:
    if label.span.file != primary.file:
        _append_line(block, f"{' ' * width}::: ", _GUTTER_STYLE)
        block.append(label.span.gnu())
    if label.span.file not in sources or label.span.line <= 0:
        _append_note(block, width, f"注: {label.span.gnu()}: {label.message}")
        return
    _append_excerpt(block, width, label.span, sources, "-", _LABEL_STYLE, label.message)


def _append_excerpt(
    block: Text,
    width: int,
    span: Span,
    sources: Mapping[str, Source],
    mark: str,
    style: str,
    message: str,
) -> None:
    """The numbered source line and, under it, the span marked with `mark` characters."""
    source = sources.get(span.file)
    if source is None or span.line <= 0:
        return
    shown, indent, length = _underline(source.line(span.line), span)
    _append_line(block, f"{' ' * (width + 1)}|", _GUTTER_STYLE)
    _append_line(block, f"{span.line:>{width}} | ", _GUTTER_STYLE)
    block.append(shown)
    _append_line(block, f"{' ' * (width + 1)}| ", _GUTTER_STYLE)
    block.append(" " * indent)
    block.append(mark * length, style=style)
    if message:
        block.append(f" {_one_line(message)}", style=style)


def _underline(line: str, span: Span) -> tuple[str, int, int]:
    """The line as shown, and the display-cell offset and width of the span on it.

    Span columns count display cells of the raw line; the line is shown with tabs
    expanded and control characters replaced, so positions are re-measured on what is shown.
    A span running past its first line is underlined to the end of that line.

    >>> from idsl.frontend.source import Span
    >>> _underline("决策（15）", Span("a", 1, 3, 1, 5))
    ('决策（15）', 2, 2)
    """
    start = _char_index(line, span.column)
    # Zero-width characters (a tab, as the parser measures it) share the column of what
    # follows; the span starts at the visible character.
    while start < len(line) and cell_len(line[start]) == 0:
        start += 1
    end = _char_index(line, span.end_column) if span.end_line == span.line else len(line)
    indent = cell_len(_shown(line[:start]))
    length = cell_len(_shown(line[start:max(start, end)]))
    return _shown(line), indent, max(1, length)


def _char_index(line: str, column: int) -> int:
    """Index of the first character at or after display column `column` (1-based)."""
    cells = 0
    for index, char in enumerate(line):
        if cells >= column - 1:
            return index
        cells += cell_len(char)
    return len(line)


def _shown(text: str) -> str:
    return _visible(text.replace("\t", _TAB))


def _visible(text: str) -> str:
    """Control characters replaced, so a spec cannot send escape sequences to the terminal."""
    return "".join("\N{REPLACEMENT CHARACTER}" if _is_control(c) else c for c in text)


def _is_control(char: str) -> bool:
    return char != "\t" and (ord(char) < 0x20 or 0x7F <= ord(char) < 0xA0)
