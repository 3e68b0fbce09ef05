"""Print an AST back to idsl source: Chinese keywords, 2-space indentation, canonical punctuation.

`parse(format_spec(spec))` gives back `spec` (spans aside) for every spec the grammar can
express. A tree the grammar cannot express (a name with a newline, an or-condition inside an
and-condition, an empty checklist …) raises `Unprintable` instead of printing something that
would parse to a different tree. Comments are not part of the AST: idsl.frontend.keep puts them back.
"""

from __future__ import annotations

import functools

from idsl.frontend import ast
from idsl.frontend.parse import COLUMN_KINDS, parse
from idsl.frontend.form import STYLE_COLUMNS, row_label
from idsl.frontend.printer_limits import consequence_lines, limit_line
from idsl.frontend.printer_rules import INDENT, body_lines, class_line, derived_line, input_lines, questionnaire_lines
from idsl.frontend.printer_text import (Unprintable, bare, format_cond, format_expr, format_number, free_text,
                                        is_bare_name, name_pattern, number_text, quote_name, quoted, unsigned)
from idsl.frontend.source import Source

_NOT_APPLICABLE = {"exclude": "剔除", "full": "得满分"}
# A block named by its keyword alone: `逆向指标（40）` has the name 逆向指标.
_ADJUSTMENT_KEYWORDS = {"penalty": ("逆向指标", "扣分项", "penalties"), "bonus": ("加分项", "bonuses")}
_ADJUSTMENT_KEYWORD = {"penalty": "逆向指标", "bonus": "加分项"}
# A column's kind by the first Chinese word for it (`"自评得分" = 得分`, not `= score`).
_KIND_WORDS = {kind: word for word, kind in reversed(COLUMN_KINDS.items()) if not word.isascii()}


def format_spec(spec: ast.Spec) -> str:
    """The canonical idsl text of a spec, ending with a newline.

    >>> from decimal import Decimal
    >>> leaf = ast.Indicator("目标设定", Decimal(10), explanation="考察目标", body=ast.LeafBody(rule=ast.Discretionary()))
    >>> spec = ast.Spec("示例", Decimal(100), indicators=(ast.Indicator("决策", Decimal(10), children=(leaf,)),))
    >>> print(format_spec(spec), end="")
    体系 "示例" 总分 100
    <BLANKLINE>
    决策（10）
      目标设定（10）
        解释 考察目标
        酌情
    >>> from idsl.frontend.parse import parse
    >>> from idsl.frontend.source import Source
    >>> parse(Source("t.idsl", format_spec(spec)))[0] == spec
    True
    """
    lines: list[str] = []
    lines += _header(spec)
    for imported in spec.imports:
        lines.append(f"引用 {quoted(imported.path, 'import path')}")
    body: list[str] = []
    body += input_lines(spec.inputs[1:] if spec.classes is not None else spec.inputs, 0)  # 单位类别's is a header line
    body += [derived_line(d) for d in spec.derived]
    for questionnaire in spec.questionnaires:
        body += questionnaire_lines(questionnaire, 0)
    if lines and body:
        lines.append("")
    lines += body
    indicators = spec.indicators
    if spec.form is not None:
        if lines:
            lines.append("")
        lines += _form(spec.form)
        indicators = indicators[1:] if spec.form.leaf is not None else indicators
    for indicator in indicators:
        if lines and (indicator is indicators[0] or indicator.children):
            lines.append("")
        lines += _indicator(indicator, 0)
    for block in spec.adjustments:
        if lines:
            lines.append("")
        lines += _adjustments(block)
    if spec.layout is not None:
        if lines:
            lines.append("")
        lines += _layout(spec.layout)
    for example in spec.examples:
        if lines:
            lines.append("")
        lines += _example(example)
    while lines and lines[-1] == "":
        lines.pop()
    return "".join(line + "\n" for line in lines)


# ---------------------------------------------------------------- header


def _header(spec: ast.Spec) -> list[str]:
    lines = []
    if spec.title is not None:
        title = quoted(spec.title, "title")
        total = f" 总分 {unsigned(spec.total, 'total')}" if spec.total is not None else ""
        lines.append(f"体系 {title}{total}")
    elif spec.total is not None:
        lines.append(f"总分 {unsigned(spec.total, 'total')}")
    if spec.places is not None:
        if spec.places < 0:
            raise Unprintable("places cannot be negative")
        lines.append(f"小数 {spec.places} 位")
    if spec.rank_total:
        lines.append("总分排名")
    if spec.rescale_total is not None:
        lines.append("不适用 按实际适用分值折算")
    if spec.share_siblings is not None:
        lines.append("不适用 分值平均分配给同级指标")
    if spec.classes is not None:
        lines.append(class_line(spec.classes))
    if spec.grades:
        lines.append("等级 " + "；".join(_grade(g) for g in spec.grades))
    for basis in spec.bases:
        lines.append(f"依据 {free_text(basis.name, 'profile name')}")
        if basis.adjustment is not None:
            lines.append(f"{INDENT}权重调整 {free_text(basis.adjustment, 'weight adjustment')}")
    if spec.total_cap is not None:
        lines.append(f"总分上限 = {format_expr(spec.total_cap)}")
    for veto in spec.vetoes:
        section = f" {quote_name(veto.section)}" if veto.section is not None else ""
        lines.append(f"{'一票否优' if veto.kind == 'top' else '一票否决'}{section} 若 {format_cond(veto.cond)}")
    lines.extend(limit_line(limit) for limit in spec.grade_limits)
    for consequence in spec.consequences:
        lines.extend(consequence_lines(consequence))
    return lines


def _grade(grade: ast.GradeBand) -> str:
    return f"{quote_name(grade.grade)}：{format_cond(grade.cond)}"



# ---------------------------------------------------------------- indicators and blocks


_POOL = {"one": "择一", "any": "任选 {} 项", "best": "取最高 {} 项"}  # 择一 / 任选 k 项 / 取最高 k 项


def _indicator(indicator: ast.Indicator, depth: int) -> list[str]:
    pad = INDENT * depth
    inner = pad + INDENT
    heading = pad + ("细化 " if indicator.refines else "") + quote_name(indicator.name)
    if indicator.weight is not None:
        heading += f"（{format_number(indicator.weight)}%）"
    elif indicator.points is not None:
        heading += f"（{format_number(indicator.points)}）"
    elif indicator.points_placeholder:
        heading += "（？）"
    lines = [heading]
    if indicator.explanation is not None:
        lines.append(f"{inner}解释 {free_text(indicator.explanation, 'explanation')}")
    if indicator.standard is not None:
        lines.append(f"{inner}评分标准 {free_text(indicator.standard, 'standard')}")
    if indicator.not_applicable is not None:
        if indicator.not_applicable not in _NOT_APPLICABLE:
            raise Unprintable(f"not applicable {indicator.not_applicable!r}")
        lines.append(f"{inner}不适用 {_NOT_APPLICABLE[indicator.not_applicable]}")
    if indicator.reason_below:
        lines.append(f"{inner}扣分须说明理由")
    if indicator.pool is not None:
        lines.append(inner + _POOL[indicator.pool.kind].format(indicator.pool.count))
    if indicator.body is not None:
        lines += body_lines(indicator.body, depth + 1)
    for child in indicator.children:
        lines += _indicator(child, depth + 1)
    return lines


def _form(form: ast.Form) -> list[str]:
    lines = ["自评表"]
    if form.style is not None:
        lines.append(f"{INDENT}表式 {free_text(form.style, '表式')}")
    for word, text in (("项目名称", form.project), ("主管部门", form.department), ("实施单位", form.implementer)):
        if text is not None:
            lines.append(f"{INDENT}{word}：{free_text(text, word)}")
    if form.funds:
        lines.append(f"{INDENT}项目资金（{bare(form.unit, 'unit')}）")
        # 其中： where the author wrote it; written nowhere, before the first part of the total, as the form prints it
        pending = not any(row.among for row in form.funds)
        for row in form.funds:
            shown = len(STYLE_COLUMNS[form.style or ast.STYLE_ANNEX])
            hidden = row.cells[:-shown]  # a column the 表式 has not (衔接资金's 年初预算数) is blank
            if row.row not in ast.FUNDS_ROWS or len(row.cells) != len(ast.FUNDS_COLUMNS) or \
                    any(c.fill or c.value is not None for c in hidden):
                raise Unprintable(f"funds row {row.row!r}")
            cells = "、".join("待填" if c.fill else "—" if c.value is None else format_number(c.value)
                             for c in row.cells[-shown:])
            among = "其中：" if row.among or (pending and row.row != ast.FUNDS_ROWS[0]) else ""
            pending &= not among
            lines.append(f"{INDENT * 2}{among}{row_label(form.style, row.row)}：{cells}")
    if form.leaf is not None:
        lines += _indicator(form.leaf, 1)
    if form.expected is not None or form.achieved is not None:
        lines.append(f"{INDENT}年度总体目标")
        for word, text in (("预期目标", form.expected), ("实际完成情况", form.achieved)):
            if text is not None:
                lines.append(f"{INDENT * 2}{word}：{free_text(text, word)}")
    if len(lines) == 1:
        raise Unprintable("an empty 自评表 block")
    return lines


def _adjustments(block: ast.Adjustments) -> list[str]:
    if block.kind not in _ADJUSTMENT_KEYWORD:
        raise Unprintable(f"adjustments kind {block.kind!r}")
    if not block.items:
        raise Unprintable("a penalty or bonus block needs items")
    if block.name in _ADJUSTMENT_KEYWORDS[block.kind]:
        heading = block.name
    else:
        heading = f"{_ADJUSTMENT_KEYWORD[block.kind]} {quote_name(block.name)}"
    if block.cap is not None:
        heading += f"（{unsigned(block.cap, 'cap')}）"
    lines = [heading]
    for item in block.items:
        lines += _indicator(item, 1)
    return lines


def _layout(layout: ast.Layout) -> list[str]:
    return _verified(lambda quote: _layout_lines(layout, quote), lambda spec: spec.layout == layout)


def _layout_lines(layout: ast.Layout, quote) -> list[str]:
    lines = ["表格"]
    if layout.title is not None:
        lines.append(f"{INDENT}标题 {free_text(layout.title, 'title')}")
    if layout.columns:
        lines.append(f"{INDENT}列 " + "、".join(_column(c, quote) for c in layout.columns))
    if layout.rows:
        lines.append(f"{INDENT}行 " + "、".join(quote(r) for r in layout.rows))
    if layout.labels:
        lines.append(f"{INDENT}汇总名称 " + "、".join(f"{quote(p.indicator)} = {quote(p.label)}" for p in layout.labels))
    if len(lines) == 1:
        raise Unprintable("an empty 表格 block")
    return lines


def _column(column: ast.Column, quote) -> str:
    chosen = column.word is not None and not column.word.isascii()  # `= score` is printed in Chinese, as keywords are
    if chosen and COLUMN_KINDS.get(column.word) == column.kind:  # the word the author chose: 扣分原因 or 得分原因
        return f"{quote(column.title)} = {quote(column.word)}"
    if COLUMN_KINDS.get(column.title, column.title) == column.kind:
        return quote(column.title)
    if COLUMN_KINDS.get(column.kind, column.kind) != column.kind:
        raise Unprintable(f"column kind {column.kind!r}")
    return f"{quote(column.title)} = {quote(_KIND_WORDS.get(column.kind, column.kind))}"


def _example(example: ast.Example) -> list[str]:
    if not example.sets and not example.expects:
        raise Unprintable("an example needs at least one 设 or 期望")
    return _verified(lambda quote: _example_lines(example, quote), lambda spec: spec.examples == (example,))


def _example_lines(example: ast.Example, quote) -> list[str]:
    lines = [f"示例 {quote(example.name)}"]
    for entry in example.sets:
        field = f".{bare(entry.field, 'field')}" if entry.field is not None else ""
        lines.append(f"{INDENT}设 {_path(entry.path, quote)}{field} = {_value(entry.value, quote)}")
    for entry in example.expects:
        lines.append(f"{INDENT}期望 {_path(entry.path, quote)} = {_value(entry.value, quote)}")
    return lines


def _path(path: tuple[str, ...], quote) -> str:
    if not path:
        raise Unprintable("an empty path")
    return "/".join(quote(p) for p in path)


def _value(value: ast.Value, quote) -> str:
    if not value.rows or not all(value.rows):
        raise Unprintable("a value needs at least one item in every row")
    return "；".join("、".join(_value_item(item, quote) for item in row) for row in value.rows)


def _value_item(item, quote) -> str:
    if isinstance(item, bool):
        return "是" if item else "否"
    if isinstance(item, ast.Num):
        return number_text(item, signed=True)
    if isinstance(item, str):
        return quote(item)
    raise Unprintable(f"{type(item).__name__} is not a value")


# ---------------------------------------------------------------- keywords as names, where the parser allows


def _verified(render, same) -> list[str]:
    """Lines written with keyword-like words bare (列 … 评分标准, 期望 总分 = 97) when they parse back
    to the same node, else with every such word quoted.

    Where only a name can follow (a column title, a path), the parser reads a keyword-like word as
    a name, so the seeds write them bare; quoting them all would be correct but noisy.
    """
    lines = render(_optimistic)
    if same(_probe("\n".join(lines) + "\n")):
        return lines
    return render(quote_name)


def _optimistic(text: str) -> str:
    return text if name_pattern().fullmatch(text) else quote_name(text)


class _Nothing:
    layout = None
    examples = ()


@functools.lru_cache(maxsize=256)
def _probe(text: str):
    spec, _ = parse(Source("<printer>", text))
    return spec if spec is not None else _Nothing()


__all__ = ["Unprintable", "format_cond", "format_expr", "format_number", "format_spec", "is_bare_name",
           "quote_name"]
