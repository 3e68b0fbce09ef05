"""The one rule both batch engines read a cell by (`parse_number`, `parse_bool`, `parse_choice`).

Blanks are missing values; numbers may have thousands separators, the input's unit
(“842.29万元”; a count of findings a counting word, “2项”) and, for rates, a % sign (a rate written without % is a percent figure, as in
JSON: 89.67 means 89.67%, and between -1 and 1 must carry it: 0.98 is refused as ambiguous); at most six decimals as written and fewer than twelve digits before
the point (nine for counts) — the SQL engine's exact-arithmetic limits, applied in both engines so
they agree on every row.
"""

from __future__ import annotations

import re
from decimal import Decimal
from fractions import Fraction

from idsl.engines import cellwords
from idsl.frontend import ast
from idsl.engines.sql import COUNT_DIGITS, MAX_DIGITS, value_limits
from idsl.io.columns import Column, bound_column
from idsl.io.excel import BOOLEANS, marked_cell
from idsl.io.points_words import without_points_word
from idsl.io.values import full_width, in_own_unit, percent_refused, without_thousands, written_problem
from idsl.semantics.domains import AMBIGUOUS_RATE, ambiguous_rate, digits_problem, input_domain
from idsl.io.inputs import NO_WORDS, YES_WORDS  # the interpreter's yes/no words: both engines accept exactly these
from idsl.io.tables import Layout, strip
from idsl.semantics.bounded import Bound, decides, goal_text, split_bound, undecided
from idsl.semantics.pools import choice_hint, choice_text, read_choice

NUMBER = re.compile(r"[+-]?([0-9]+([.][0-9]*)?|[.][0-9]+)")


def parse_number(column: Column, text: str) -> tuple[Decimal | None, str | None]:
    """A numeric cell as the figure written (a rate's percent figure), or an error message.

    >>> from idsl.frontend import ast
    >>> rate = Column("x", "input", decl=ast.Input("执行率", "rate"))
    >>> parse_number(rate, "89.67%"), parse_number(rate, "89.67"), parse_number(rate, "1,089.6")
    ((Decimal('89.67'), None), (Decimal('89.67'), None), (Decimal('1089.6'), None))
    >>> parse_number(Column("y", "input", decl=ast.Input("支出", "money", unit="万元")), "842.29万元")
    (Decimal('842.29'), None)
    >>> parse_number(rate, "12.3456789")[1]
    '12.3456789：小数最多 6 位，这里有 7 位。'
    """
    split = split_bound(text) if column.kind == "input" and text and not text[0].isdigit() else None
    target = bound_column(column) if split is not None else None  # (a plain figure never looks for its target)
    if split is not None and target is not None:
        return _bounded_cell(column, target, split, strip(text))
    marked = marked_cell(strip(text))  # a workbook's date, uncalculated formula or error value: the input workbook's words
    if marked is not None:
        return None, cellwords.with_hint(*marked)
    wide = full_width(f"“{strip(text)}”", strip(text)) if figure_cell(column) else None
    if wide is not None:  # ９５%, ９０分: the JSON reader's words (io.values, io.points_words)
        return None, cellwords.with_hint(*wide)
    s = without_thousands(strip(text))  # the JSON reader's rule: "1,00" is refused, not read as 100
    unit = column.decl.unit if column.kind == "input" and column.decl is not None else None
    if column.kind == "input" and column.decl is not None and ("," in s or "，" in s):
        return None, cellwords.comma_in_number(column, strip(text))  # 1,0: the JSON reader's words
    if column.kind == "input" and column.decl is not None:  # 250000元 for a 万元 input: 25; 2 项 of findings: 2
        s = in_own_unit(column.decl, s) or s  # as the JSON reader reads it
    if column.kind in ("score", "recorded"):  # 30分: a judged or recorded score with its 分, as every reader reads it
        s = without_points_word(s)
    if unit and s.endswith(unit):
        s = strip(s[: -len(unit)])
    percent = s.endswith(("%", "％"))
    if percent:
        s = strip(s[:-1])
        if column.kind in ("score", "recorded"):  # 90% is no score: the JSON reader's words (io.points_words)
            return None, cellwords.not_a_number(column, strip(text))
        if not is_rate(column):
            return None, percent_refused(column.decl) if column.decl is not None else "不是比率，不能带 %。"
    if not NUMBER.fullmatch(s):
        said = written_problem(column.decl, strip(text)) if column.kind == "input" and column.decl else None
        bare = strip(text) in BOOLEANS.values()  # a workbook's TRUE: quoted as a JSON file's true is
        return None, cellwords.with_hint(*said) if said else cellwords.not_a_number(column, strip(text), bare)
    _bound, _scale, decimals = value_limits(column)
    written = s.partition(".")[2]
    places = len(written.rstrip("0"))  # 2.1000000 has one decimal, as the JSON reader counts them
    if places > decimals and decimals:  # the JSON reader's words (semantics.domains, io.points_words)
        return None, f"{strip(text)}：小数最多 {decimals} 位，这里有 {places} 位。"
    if places > decimals:
        return None, f"小数位太多：批量评分的数最多 {decimals} 位小数。" if decimals else "应是整数。"
    value = Decimal(s)
    if len(written) > decimals:  # zeros past the batch's decimals dropped: DuckDB casts the normalized cell
        value = value.quantize(Decimal(1).scaleb(-places))
    too_large = digits_problem(value, figure_digits(column) == COUNT_DIGITS)
    if too_large is not None:  # the JSON reader's words (io.values)
        return None, cellwords.with_hint(f"{strip(text)}：{too_large[0]}", too_large[1])
    if is_rate(column) and column.kind == "input" and not percent and ambiguous_rate(value):
        return None, AMBIGUOUS_RATE
    return value, None


def figure_cell(column: Column) -> bool:
    """Whether the cell holds an input's figure or a judged or recorded score: full-width digits refused in it."""
    return column.kind in ("score", "recorded") or (column.kind == "input" and column.decl is not None)


def _bounded_cell(column: Column, target: ast.Target, split: tuple[str, str, str], text: str) -> tuple[Decimal | None, str | None]:
    """A target's actual written as a bound (≥266米): its figure where the bound shows the target met (every value it
    admits then scores alike), else the words the JSON reader gives (`io.inputs`). The figure is range-checked after."""
    figure, problem = parse_number(column, split[2])
    problem = problem or (range_problem(column, figure) if figure is not None else None)
    if problem is not None or figure is None:  # out of its range: as the JSON reader, which checks the figure first
        return None, problem
    decl = column.decl
    bound = Bound(split[0], Fraction(figure) / 100 if is_rate(column) else Fraction(figure), text)
    if not decides(bound, target, decl):
        return None, cellwords.with_hint(*undecided(decl, bound, target, goal_text(target, decl)))
    return figure, None


def range_problem(column: Column, figure: Decimal) -> str | None:
    """What is wrong with a number read from a cell (`parse_number`): an input outside its declared range, a
    negative count of findings or people, a discretionary score or an element's points outside theirs."""
    shown = cellwords.shown_number(column, figure)
    decl = column.decl
    if column.kind == "input" and decl is not None:
        if decl.kind == "findings":
            return cellwords.negative_findings(shown) if figure < 0 else None
        number = Fraction(figure) / 100 if decl.kind == "rate" else Fraction(figure)
        low, high = input_domain(decl)
        if (low is not None and number < low) or (high is not None and number > high):
            return cellwords.out_of_range(column, shown, figure < 0)
    elif column.kind == "score" and not (column.low or 0) <= figure <= (column.high or 0):
        return cellwords.score_out_of_range(column, shown)
    elif column.kind == "tally" and figure < 0:
        return cellwords.negative_tally(shown)
    elif column.kind == "item" and not 0 <= figure <= (column.points or 0):
        return cellwords.element_out_of_range(column, shown)
    return None


def is_rate(column: Column) -> bool:
    return column.kind == "input" and column.decl is not None and column.decl.kind == "rate"


def figure_digits(column: Column) -> int:
    """Digits allowed before the point: fewer for counts (people, findings)."""
    counted = column.kind == "tally" or (column.kind == "input" and column.decl is not None
                                         and column.decl.kind in ("count", "findings"))
    return COUNT_DIGITS if counted else MAX_DIGITS


def parse_bool(text: str) -> bool | None:
    """是/否 (and the other words the interpreter accepts), None for anything else."""
    s = strip(text)
    if s in YES_WORDS:
        return True
    if s in NO_WORDS:
        return False
    return None


def parse_choice(column: Column, text: str) -> str | None:
    """An option's label from its label or its letter (A, B, C …), None when neither."""
    options = column.decl.options if column.decl is not None else ()
    s = strip(text)
    if s in options:
        return s
    if len(s) == 1 and "A" <= s.upper() <= "Z":
        index = ord(s.upper()) - ord("A")
        if index < len(options):
            return options[index]
    return None


def is_yes_no(column: Column) -> bool:
    """A column read as 是/否: 不适用, a checklist element that cannot be part-scored, a yes/no input."""
    return column.kind == "na" or (column.kind == "item" and not column.partial) or (
        column.kind == "input" and column.decl is not None and column.decl.kind == "bool")


def normalize_cells(layout: Layout, cells: dict[str, str | None]) -> tuple[dict[str, str | None], list[tuple[str, str]]]:
    """A row's cells written the canonical way (as the SQL check reads them), by the batch rule the
    Python engine uses; and the cells that break it (column, message)."""
    out: dict[str, str | None] = {}
    problems: list[tuple[str, str]] = []
    for column in layout.columns:
        text = strip(cells.get(column.header))
        value, problem = _canonical(column, text) if text else (None, None)
        out[column.header] = value
        if problem:
            problems.append((column.header, problem))
    return out, problems


def _canonical(column: Column, text: str) -> tuple[str | None, str | None]:
    """One non-empty cell written the canonical way, and what is wrong with it (None when nothing)."""
    kind = column.kind
    if kind in ("unit", "reason", "grade"):
        return text, None
    if is_yes_no(column):
        flag = parse_bool(text)
        return ("是" if flag else "否"), (not_yes_no(column, text) if flag is None else None)
    if column.several_chosen:  # 任选's 选用: k names, written in the spec's order
        return chosen_cell(column, text)
    if kind == "input" and column.decl is not None and column.decl.kind == "choice":
        label = parse_choice(column, text)
        fallback = column.decl.options[0] if column.decl.options else None
        return label or fallback, (cellwords.not_option(column, text) if label is None else None)
    if kind == "item" and parse_bool(text) is not None:
        return ("是" if parse_bool(text) else "否"), None
    value, problem = parse_number(column, text)
    return format(value if value is not None else Decimal(0), "f") + ("%" if is_rate(column) else ""), problem


def chosen_cell(column: Column, text: str) -> tuple[str | None, str | None]:
    """任选's 选用 cell as the names it gives, separated by 、 in the spec's order, or what is wrong with it."""
    node = column.node
    names, problem = read_choice(node.pool, [child.name for child in node.children], text)
    if problem is not None:
        return None, cellwords.with_hint(problem, choice_hint(node.pool))
    return (choice_text(names) if names else None), None


def not_yes_no(column: Column, text: str) -> str:
    """The words for a 是/否 cell holding something else: a number in an element says it cannot be part-scored."""
    if column.kind == "item" and NUMBER.fullmatch(without_thousands(text)):
        return cellwords.not_yes_no_number(column, text)
    return cellwords.not_yes_no(column, text)


__all__ = ["NUMBER", "chosen_cell", "figure_cell", "figure_digits", "is_rate", "is_yes_no", "normalize_cells", "not_yes_no", "parse_bool", "parse_choice",
           "parse_number", "range_problem"]
