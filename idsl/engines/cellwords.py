"""The words for a bad batch cell, one function per problem, read by both engines.

The interpreter's row reader (`idsl.engines.rows`) calls them with the cell's text; the DuckDB
check (`idsl.engines.validation`) calls them with `SHOWN` in place of the text and splices the
cell in SQL. So a bad cell reads the same whichever engine scored the batch.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from idsl.engines.leaf import missing_hint
from idsl.io.columns import SHARED, Column, recorded_not_a_number
from idsl.io.excel import BOOLEANS, marked_cell
from idsl.io.points_words import judged_not_a_number, judged_out_of_range
from idsl.frontend import ast
from idsl.io.values import domain_hint, options_hint, range_text
from idsl.io.values import not_a_number as number_wanted
from idsl.io.values import stray_comma
from idsl.semantics.domains import input_domain
from idsl.semantics.numbers import decimal_text, format_points
from idsl.semantics.scope import fill_shared

SHOWN = "\x00"  # where the SQL check puts the cell's text
NOT_PARTIAL = "这个要素法不可酌情，每项只能“是”（符合）或“否”（不符合）。"


def with_hint(message: str, hint: str | None) -> str:
    """A message as the batch listing prints it: the hint in brackets after it."""
    return message + (f"（{hint}）" if hint else "")


def blank(column: Column) -> str:
    """A required cell left blank."""
    if column.kind == "unit":
        return "缺少单位名称。"
    if column.key == SHARED:
        return with_hint("缺少输入。", fill_shared(column.field))
    field = column.name if column.kind == "tally" else "要素" if column.kind == "item" else column.field
    return with_hint("缺少输入。", missing_hint(column.node, field) if column.node is not None else None)


def not_a_number(column: Column, shown: str, bare: bool = False) -> str:
    """A number cell holding something else; words where a target's actual goes say what to write instead. `bare`:
    the cell is a workbook's TRUE or FALSE, shown unquoted as a JSON file's true is (`excel.BOOLEANS`)."""
    quoted = shown if bare else f"“{shown}”"
    if column.kind == "recorded":
        return with_hint(*recorded_not_a_number(quoted, shown))
    if column.kind == "score":  # the JSON reader's words (io.inputs)
        return with_hint(*judged_not_a_number(quoted, shown))
    if column.kind == "input" and column.decl is not None and not bare:  # the JSON reader's words (io.values)
        return with_hint(*number_wanted(column.decl, quoted, shown, target_actual(column)))
    return with_hint(f"应填一个数，这里是 {quoted}。", None)


def comma_in_number(column: Column, shown: str) -> str:
    """An input's cell with a comma left once the thousands separators are dropped (1,0), in the JSON reader's words."""
    return with_hint(*stray_comma(f"“{shown}”"))


def target_actual(column: Column) -> bool:
    """Whether the column is the actual value a 目标 rule compares (of the leaf or one of its parts)."""
    node = column.node
    if column.kind != "input" or node is None or node.leaf is None:
        return False
    units = [node.leaf] + [part.leaf for part in node.leaf.parts]
    return any(isinstance(u.rule, ast.Target) and u.rule.actual == column.field for u in units)


def not_yes_no(column: Column, shown: str) -> str:
    """A 是/否 cell holding something else (`shown`: the cell); a workbook's date or formula in the input workbook's
    words (`excel.marked_cell`)."""
    marked = marked_cell(shown)
    if marked is not None:
        return with_hint(*marked)
    if column.kind == "na":
        return "“不适用”应填“是”（或留空）。"
    if column.kind == "item":
        return f"第 {column.index} 项要素的值“{shown}”不是“是”或“否”。"
    return f"应填“是”或“否”，这里是“{shown}”。"


def not_yes_no_number(column: Column, shown: str) -> str:
    """A number in an element that cannot be part-scored."""
    return with_hint(not_yes_no(column, shown), NOT_PARTIAL)


def not_option(column: Column, shown: str) -> str:
    """A choice cell holding neither a label nor an option's letter (a workbook's date or formula: see not_yes_no)."""
    marked = marked_cell(shown)
    if marked is not None:
        return with_hint(*marked)
    if shown in BOOLEANS.values():  # a workbook's TRUE: the JSON reader's words for a true (io.values)
        return with_hint(f"应填一个选项，这里是 {shown}。", options_hint(column.decl))
    return with_hint(f"没有这个选项：“{shown}”。", options_hint(column.decl))


def out_of_range(column: Column, shown: str, negative: bool) -> str:
    """An input outside its declared range (`shown`: the number with its % or unit)."""
    low, high = input_domain(column.decl)
    return with_hint(f"值 {shown} 超出允许范围 {range_text(column.decl, low, high)}。",
                     domain_hint(column.decl, Fraction(-1 if negative else 0)))


def negative_findings(shown: str) -> str:
    return f"问题数应是不小于 0 的整数，这里是 {shown}。"


def negative_tally(shown: str) -> str:
    return f"人数应是不小于 0 的整数，这里是 {shown}。"


def score_out_of_range(column: Column, shown: str) -> str:
    """A discretionary score outside its range."""
    return with_hint(*judged_out_of_range(shown, column.low or Decimal(0), column.high or Decimal(0)))


def element_out_of_range(column: Column, shown: str) -> str:
    """Points given to a part-scored element outside 0 … its points."""
    return f"第 {column.index} 项要素给了 {shown} 分，应在 0～{format_points(column.points or Decimal(0))} 分之间。"


def shown_number(column: Column, figure: Decimal) -> str:
    """A numeric cell in a message: its figure without trailing zeros, then a rate's % or an input's unit."""
    text = decimal_text(figure)
    if column.kind == "input" and column.decl is not None:
        return text + ("%" if column.decl.kind == "rate" else column.decl.unit or "")
    return text


__all__ = ["NOT_PARTIAL", "SHOWN", "blank", "comma_in_number", "element_out_of_range", "negative_findings", "negative_tally",
           "not_option", "not_yes_no", "not_yes_no_number", "out_of_range", "score_out_of_range", "shown_number",
           "with_hint"]
