"""Print an AST back to idsl source: Chinese keywords, 2-space indentation, canonical punctuation.

`parse(format_spec(spec))` gives back `spec` (spans aside) for every spec the grammar can
express. A tree the grammar cannot express (a name with a newline, an or-condition inside an
and-condition, an empty checklist …) raises `Unprintable` instead of printing something that
would parse to a different tree. Comments are not part of the AST, so they are not printed.
"""

from __future__ import annotations

import functools
import re
from decimal import Decimal

from idsl.frontend import ast
from idsl.frontend.parse import COLUMN_KINDS, lark_parser

_INDENT = "  "

_CMP = {">=": "≥", "<=": "≤", ">": ">", "<": "<", "=": "=", "!=": "≠"}
_BINOP = {"+": "+", "-": "-", "*": "×", "/": "÷"}
_PRECEDENCE = {"+": 1, "-": 1, "*": 2, "/": 2}
_FUNC = {"min": "min", "max": "max", "round": "四舍五入", "abs": "abs"}
_ROUNDING = {"half_up": "四舍五入取整", "floor": "向下取整", "ceil": "向上取整"}
_KIND = {"rate": "比率", "money": "金额", "count": "数量", "number": "数值", "bool": "是否",
         "choice": "选项", "findings": "问题数"}
_NOT_APPLICABLE = {"exclude": "剔除", "full": "得满分"}
# A block named by its keyword alone: `逆向指标（40）` has the name 逆向指标.
_ADJUSTMENT_KEYWORDS = {"penalty": ("逆向指标", "扣分项", "penalties"), "bonus": ("加分项", "bonuses")}
_ADJUSTMENT_KEYWORD = {"penalty": "逆向指标", "bonus": "加分项"}
# Text printed bare to the end of the line; it must not start with a quote, a blank or a colon.
_BARE_TEXT = re.compile(r'[^\s":：#][^\n]*')
_ITEM_POINTS = re.compile(r"\s*[(（]\s*(\d+(?:\.\d+)?)\s*(?:分|pts?)\s*[)）]\s*$")
_LABEL = re.compile(r"[^\s:：#\"\-][^\n:：]*")


class Unprintable(ValueError):
    """The tree holds something no idsl text parses to (e.g. a name containing a newline)."""


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
        lines.append(f"引用 {_string(imported.path, 'import path')}")
    body: list[str] = []
    body += _inputs(spec.inputs, 0)
    body += [_derived(d) for d in spec.derived]
    for questionnaire in spec.questionnaires:
        body += _questionnaire(questionnaire, 0)
    if lines and body:
        lines.append("")
    lines += body
    for indicator in spec.indicators:
        if lines and (indicator is spec.indicators[0] or indicator.children):
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


def comment_lines(text: str) -> list[int]:
    """The 1-based lines holding a `#` comment (which the AST, and so `format_spec`, does not keep).

    A `#` inside free text (an explanation, an element, a quoted name) is text, not a comment.

    >>> comment_lines('# 标题\\n决策（1）  # 一级\\n  指标（1）\\n    解释 第#1项\\n    酌情\\n')
    [1, 2]
    """
    from lark import Token
    from lark.exceptions import LarkError

    source = text if text.endswith("\n") else text + "\n"
    try:
        tree = lark_parser().parse(source)
    except (LarkError, ValueError):
        return sorted({source.count("\n", 0, i) + 1 for i, c in enumerate(source) if c == "#"})
    inside: list[tuple[int, int]] = [(t.start_pos, t.end_pos) for t in tree.scan_values(lambda v: isinstance(v, Token))]
    inside.sort()
    lines = set()
    for index, char in enumerate(source):
        if char == "#" and not any(start <= index < end for start, end in inside):
            lines.add(source.count("\n", 0, index) + 1)
    return sorted(lines)


# ---------------------------------------------------------------- names, numbers and text


@functools.lru_cache(maxsize=1)
def _name_pattern() -> re.Pattern:
    terminal = next(t for t in lark_parser().terminals if t.name == "NAME")
    return re.compile(terminal.pattern.to_regexp())


@functools.lru_cache(maxsize=1)
def _reserved() -> tuple[re.Pattern, ...]:
    """Terminals that win over a NAME at the start of a word: keywords, functions, 分, ranges, roundings."""
    names = {"FUNC", "FEN", "RANGE", "ROUNDING"}
    return tuple(re.compile(t.pattern.to_regexp()) for t in lark_parser().terminals
                 if t.name.startswith("KW_") or t.name in names)


def is_bare_name(text: str) -> bool:
    """Whether a name can be written without quotes wherever a name may stand.

    >>> is_bare_name("重点支出安排率"), is_bare_name("得分率"), is_bare_name("目标"), is_bare_name("2号指标")
    (True, True, False, False)
    >>> is_bare_name("“三公”经费控制率"), is_bare_name("预算执行率（本级）"), is_bare_name("总分2")
    (True, False, False)
    """
    if not _name_pattern().fullmatch(text):
        return False
    return not any(pattern.match(text) for pattern in _reserved())


def quote_name(text: str) -> str:
    """A name as written where a name may be quoted: bare when it can be, else in double quotes.

    >>> quote_name("决策"), quote_name("目标"), quote_name("预算执行率 (本级)")
    ('决策', '"目标"', '"预算执行率 (本级)"')
    """
    return text if is_bare_name(text) else _string(text, "name")


def _string(text: str, what: str) -> str:
    if '"' in text or "\n" in text or "\r" in text or text != text.strip():
        raise Unprintable(f"{what} {text!r} cannot be written in idsl (quotes, line breaks or outer blanks)")
    return f'"{text}"'


def _bare(text: str, what: str) -> str:
    """A name in a place only a bare name may stand (inputs, quantities, references, units)."""
    if not _name_pattern().fullmatch(text):
        raise Unprintable(f"{what} {text!r} must be a bare name (letters, digits, CJK), not quoted")
    return text


def format_number(value: Decimal) -> str:
    """A Decimal as written in a spec: its digits, never an exponent.

    >>> format_number(Decimal("1.50")), format_number(Decimal("1E+2")), format_number(Decimal("-0.25"))
    ('1.50', '100', '-0.25')
    """
    if not value.is_finite():
        raise Unprintable(f"number {value} is not finite")
    return format(value, "f")


def _unsigned(value: Decimal, what: str) -> str:
    if value < 0:
        raise Unprintable(f"{what} {value} cannot be negative here")
    return format_number(abs(value))  # -0 is 0


def _text(text: str, what: str) -> str:
    """Free text to the end of the line (explanations, titles): bare, or quoted when empty or when it
    starts with # (which would begin a comment)."""
    if _BARE_TEXT.fullmatch(text) and text == text.strip():
        return text
    if text.startswith((":", "：")):
        raise Unprintable(f"{what} {text!r}: a leading colon is read as punctuation")
    return _string(text, what)


def _num(num: ast.Num, signed: bool = False) -> str:
    digits = format_number(num.value) if signed else _unsigned(num.value, "number")
    text = digits + ("%" if num.percent else "")
    if num.unit is not None:
        text += " " + _bare(num.unit, "unit")
    return text


# ---------------------------------------------------------------- expressions and conditions


def format_expr(expr: ast.Expr) -> str:
    """An expression with the fewest parentheses that keep its shape.

    >>> format_expr(ast.BinOp("*", ast.BinOp("+", ast.Ref("甲"), ast.Ref("乙")), ast.Num(Decimal(80), True)))
    '(甲 + 乙) × 80%'
    """
    return _expr(expr, 0)


def _expr(expr, context: int) -> str:
    """`context` is the precedence the surroundings bind with; a weaker expression gets parentheses."""
    if isinstance(expr, ast.Num):
        return _num(expr)
    if isinstance(expr, ast.Ref):
        return _bare(expr.name, "name")
    if isinstance(expr, ast.PointsRef):
        return "分值"
    if isinstance(expr, ast.BoolLit):
        return "是" if expr.value else "否"
    if isinstance(expr, ast.Neg):
        text = "-" + _expr(expr.operand, 3)
        return f"({text})" if context > 3 else text
    if isinstance(expr, ast.BinOp):
        if expr.op not in _PRECEDENCE:
            raise Unprintable(f"operator {expr.op!r}")
        level = _PRECEDENCE[expr.op]
        text = f"{_expr(expr.left, level)} {_BINOP[expr.op]} {_expr(expr.right, level + 1)}"
        return f"({text})" if context > level else text
    if isinstance(expr, ast.Call):
        return _call(expr)
    if isinstance(expr, ast.Subject):
        raise Unprintable("the implicit subject stands only alone before a comparison (≥ 80%)")
    raise Unprintable(f"{type(expr).__name__} is not an expression")


def _call(call: ast.Call) -> str:
    if call.func == "convert":
        if len(call.args) != 1 or call.unit is None:
            raise Unprintable("换算 takes one expression and a unit")
        return f"换算({_expr(call.args[0], 0)}, {_bare(call.unit, 'unit')})"
    if call.unit is not None or call.func not in _FUNC or not call.args:
        raise Unprintable(f"call {call.func!r} with {len(call.args)} arguments and unit {call.unit!r}")
    if call.func == "abs" and len(call.args) == 1:
        return f"|{_expr(call.args[0], 0)}|"
    return f"{_FUNC[call.func]}({', '.join(_expr(a, 0) for a in call.args)})"


def format_cond(cond: ast.Cond) -> str:
    """A condition as written in a band, a grade or a special case.

    >>> format_cond(ast.Compare((ast.Num(Decimal(90), True), ast.Ref("比率"), ast.Num(Decimal(75), True)), (">", ">=")))
    '90% > 比率 ≥ 75%'
    >>> format_cond(ast.Compare((ast.Subject(), ast.Num(Decimal(60), True)), ("<",)))
    '< 60%'
    """
    if isinstance(cond, ast.BoolOp) and cond.op == "or":
        return " 或 ".join(_and_cond(part) for part in _parts(cond))
    return _and_cond(cond)


def _parts(cond: ast.BoolOp) -> tuple:
    if len(cond.parts) < 2:
        raise Unprintable("且/或 joins two or more conditions")
    return cond.parts


def _and_cond(cond) -> str:
    if isinstance(cond, ast.BoolOp):
        if cond.op != "and":
            raise Unprintable("conditions have no parentheses: 或 cannot stand inside 且")
        return " 且 ".join(_atom_cond(part) for part in _parts(cond))
    return _atom_cond(cond)


def _atom_cond(cond) -> str:
    if isinstance(cond, ast.Otherwise):
        return "否则"
    if isinstance(cond, ast.Range):
        return f"{_expr(cond.low, 0)}～{_expr(cond.high, 0)}"
    if isinstance(cond, ast.Compare):
        return _compare(cond)
    if isinstance(cond, ast.BoolOp):
        raise Unprintable("conditions have no parentheses: 且/或 cannot nest this way")
    raise Unprintable(f"{type(cond).__name__} is not a condition")


def _compare(cond: ast.Compare) -> str:
    operands, ops = cond.operands, cond.ops
    if len(operands) != len(ops) + 1 or any(op not in _CMP for op in ops):
        raise Unprintable("a comparison has one more operand than operators")
    if isinstance(operands[0], ast.Subject):
        if len(ops) != 1:
            raise Unprintable("the implicit subject takes exactly one comparison (≥ 80%)")
        return f"{_CMP[ops[0]]} {_expr(operands[1], 0)}"
    text = _expr(operands[0], 0)
    for op, operand in zip(ops, operands[1:]):
        text += f" {_CMP[op]} {_expr(operand, 0)}"
    return text


# ---------------------------------------------------------------- header


def _header(spec: ast.Spec) -> list[str]:
    lines = []
    if spec.title is not None:
        title = _string(spec.title, "title")
        total = f" 总分 {_unsigned(spec.total, 'total')}" if spec.total is not None else ""
        lines.append(f"体系 {title}{total}")
    elif spec.total is not None:
        lines.append(f"总分 {_unsigned(spec.total, 'total')}")
    if spec.places is not None:
        if spec.places < 0:
            raise Unprintable("places cannot be negative")
        lines.append(f"小数 {spec.places} 位")
    if spec.grades:
        lines.append("等级 " + "；".join(_grade(g) for g in spec.grades))
    return lines


def _grade(grade: ast.GradeBand) -> str:
    return f"{quote_name(grade.grade)}：{format_cond(grade.cond)}"


# ---------------------------------------------------------------- declarations


def _inputs(inputs: tuple[ast.Input, ...], depth: int) -> list[str]:
    if not inputs:
        return []
    pad = _INDENT * depth
    declarations = [_input(i) for i in inputs]
    if len(declarations) <= 2:
        return [f"{pad}输入 " + "，".join(declarations)]
    return [f"{pad}输入"] + [f"{pad}{_INDENT}{d}" for d in declarations]


def _input(decl: ast.Input) -> str:
    if decl.kind not in _KIND:
        raise Unprintable(f"input kind {decl.kind!r}")
    words = [_KIND[decl.kind]]
    has_unit = decl.kind in ("money", "count")
    if has_unit != (decl.unit is not None):
        raise Unprintable(f"input {decl.name!r}: only money and counts have a unit, and they must")
    if has_unit:
        words.append(_bare(decl.unit, "unit"))
    if decl.signed:
        if decl.kind not in ("money", "number"):
            raise Unprintable(f"only money and numbers may be 可负, not {decl.kind}")
        words.append("可负")
    if decl.kind == "choice":
        if not decl.options:
            raise Unprintable("a choice input needs options")
        words = ["选项 " + "/".join(_option_word(o) for o in decl.options)]
    elif decl.options:
        raise Unprintable("only a choice input has options")
    if (decl.low is None) != (decl.high is None):
        raise Unprintable("a declared range has both ends")
    if decl.low is not None:
        if decl.kind in ("bool", "choice", "findings"):
            raise Unprintable(f"a {decl.kind} input has no range")
        words.append(f"范围 {_num(decl.low, signed=True)}～{_num(decl.high, signed=True)}")
    return f"{_bare(decl.name, 'input name')}：{' '.join(words)}"


def _option_word(word: str) -> str:
    if word.isdigit() and word.isascii():
        return word
    return quote_name(word)


def _derived(derived: ast.Derived, depth: int = 0) -> str:
    return f"{_INDENT * depth}{_bare(derived.name, 'quantity name')} = {_expr(derived.expr, 0)}"


def _questionnaire(q: ast.Questionnaire, depth: int) -> list[str]:
    pad = _INDENT * depth
    if not q.options or not q.questions:
        raise Unprintable(f"questionnaire {q.name!r} needs options and questions")
    options = "，".join(f"{_bare(label, 'option')} {_unsigned(score, 'score')} 分" for label, score in q.options)
    lines = [f"{pad}问卷 {_bare(q.name, 'questionnaire name')}", f"{pad}{_INDENT}选项 {options}"]
    lines += [f"{pad}{_INDENT}- {_line_text(question, 'question')}" for question in q.questions]
    return lines


def _line_text(text: str, what: str) -> str:
    """Text after `- `: anything to the end of the line that does not start with a blank or a quote."""
    if "\n" in text or "\r" in text or text != text.strip() or not text or text.startswith(('"', "#")):
        raise Unprintable(f"{what} {text!r} cannot be written in idsl")
    return text


# ---------------------------------------------------------------- rules


def _body(body: ast.LeafBody, depth: int) -> list[str]:
    pad = _INDENT * depth
    lines = _inputs(body.inputs, depth)
    lines += [_derived(d, depth) for d in body.derived]
    for questionnaire in body.questionnaires:
        lines += _questionnaire(questionnaire, depth)
    lines += [f"{pad}{_special(s)}" for s in body.specials]
    if body.rule is not None:
        lines += _rule(body.rule, depth)
    if not lines:
        raise Unprintable("an empty leaf body is written as no body at all")
    return lines


def _special(special: ast.Special) -> str:
    return f"若 {format_cond(special.cond)} 则 {_award(special.points)}"


def _award(points: Decimal | None) -> str:
    if points is None:
        return "得满分"
    if points == 0:
        return "不得分"
    return f"得 {_unsigned(points, 'points')} 分"


def _rule(rule, depth: int) -> list[str]:
    pad = _INDENT * depth
    inner = pad + _INDENT
    if isinstance(rule, ast.Checklist):
        head = "要素"
        if rule.each is not None:
            head += f" 每项 {_unsigned(rule.each, 'points')} 分"
        if rule.partial:
            head += "，可酌情" if rule.each is not None else " 可酌情"
        if not rule.items:
            raise Unprintable("a checklist needs elements")
        return [pad + head] + [inner + "- " + _item(item) for item in rule.items]
    if isinstance(rule, ast.Formula):
        return [f"{pad}得分 = {_expr(rule.expr, 0)}"]
    if isinstance(rule, ast.Bands):
        if not rule.bands:
            raise Unprintable("bands need at least one band")
        return [f"{pad}分档 {_expr(rule.subject, 0)}"] + [inner + _band(band) for band in rule.bands]
    if isinstance(rule, ast.Deviation):
        return [pad + _deviation(rule)]
    if isinstance(rule, ast.PerFinding):
        text = f"按项扣分 {_bare(rule.subject, 'input name')} 每项 {_unsigned(rule.deduct, 'points')} 分"
        if rule.cap is not None:
            text += f"，最多 {_unsigned(rule.cap, 'points')} 分"
        return [pad + text + "，扣完为止"]
    if isinstance(rule, ast.Choice):
        if not rule.options:
            raise Unprintable("a choice needs options")
        return [f"{pad}选择 {_bare(rule.input, 'choice name')}"] + [inner + _choice_option(o) for o in rule.options]
    if isinstance(rule, ast.Discretionary):
        if (rule.low is None) != (rule.high is None):
            raise Unprintable("a discretionary range has both ends")
        if rule.low is None:
            return [pad + "酌情"]
        return [f"{pad}酌情 {_unsigned(rule.low, 'points')}～{_unsigned(rule.high, 'points')} 分"]
    if isinstance(rule, ast.Target):
        if rule.op not in _CMP:
            raise Unprintable(f"target comparison {rule.op!r}")
        text = f"目标 {_bare(rule.actual, 'input name')} {_CMP[rule.op]} {_num(rule.target)}"
        return [pad + text + ("，未达标不得分" if rule.all_or_nothing else "")]
    if isinstance(rule, ast.Parts):
        if not rule.parts:
            raise Unprintable("parts need at least one part")
        lines = []
        for part in rule.parts:
            lines.append(f"{pad}分项 {quote_name(part.name)}（{format_number(part.points)}）")
            lines += _body(part.body, depth + 1)
        return lines
    raise Unprintable(f"{type(rule).__name__} is not a rule")


def _item(item: ast.ChecklistItem) -> str:
    if item.points is None:
        text = _line_text(item.text, "checklist element")
        if _ITEM_POINTS.search(text):
            raise Unprintable(f"element {text!r} ends like its own points")
        return text
    if item.text and (item.text != item.text.strip() or "\n" in item.text or item.text.startswith(('"', "#"))):
        raise Unprintable(f"checklist element {item.text!r} cannot be written in idsl")
    if _ITEM_POINTS.search(item.text):
        raise Unprintable(f"element {item.text!r} ends like its own points")
    return f"{item.text}（{_unsigned(item.points, 'points')}分）"


def _band(band: ast.Band) -> str:
    return f"{format_cond(band.cond)}：{_outcome(band.outcome)}"


def _outcome(outcome) -> str:
    if isinstance(outcome, ast.Fixed):
        return _award(outcome.points)
    if isinstance(outcome, ast.Linear):
        word = {"down": "每降低", "up": "每增加"}.get(outcome.direction)
        if word is None:
            raise Unprintable(f"linear direction {outcome.direction!r}")
        text = f"{word} {_step(outcome.step, outcome.rounding)}扣 {_unsigned(outcome.deduct, 'points')} 分"
        if outcome.start is not None:
            text += f"，起扣 {_unsigned(outcome.start, 'points')} 分"
        return text
    raise Unprintable(f"{type(outcome).__name__} is not an outcome")


def _step(step: ast.Num, mode: str | None) -> str:
    """`1% ` or `1%（四舍五入取整）`: the step, then how part of a step counts."""
    if mode is None:
        return _num(step) + " "
    if mode not in _ROUNDING:
        raise Unprintable(f"rounding {mode!r}")
    return f"{_num(step)}（{_ROUNDING[mode]}）"


def _deviation(rule: ast.Deviation) -> str:
    if not rule.absolute:
        raise Unprintable("偏离 always counts deviations either side")
    text = (f"偏离 {_expr(rule.subject, 0)} 目标 {_expr(rule.target, 0)}，每 {_step(rule.step, rule.rounding)}"
            f"扣 {_unsigned(rule.deduct, 'points')} 分")
    beyond = rule.beyond_points  # what a deviation past the limit earns (None: 不得分)
    if rule.limit is not None:
        if beyond is not None and beyond == 0:
            raise Unprintable("a deviation past its limit earning 0 is written 不得分 (beyond_points None)")
        text += f"，超过 {_num(rule.limit)} {_award(beyond) if beyond is not None else '不得分'}"
    elif beyond is not None:
        raise Unprintable("what a deviation earns past its limit needs a limit")
    return text


def _choice_option(option: ast.ChoiceOption) -> str:
    if not _LABEL.fullmatch(option.label) or option.label != option.label.strip():
        raise Unprintable(f"option label {option.label!r} (no colons; not starting with - # or a quote)")
    return f"{option.label}：{_unsigned(option.points, 'points')} 分"


# ---------------------------------------------------------------- indicators and blocks


def _indicator(indicator: ast.Indicator, depth: int) -> list[str]:
    pad = _INDENT * depth
    inner = pad + _INDENT
    heading = pad + quote_name(indicator.name)
    if indicator.points is not None:
        heading += f"（{format_number(indicator.points)}）"
    lines = [heading]
    if indicator.explanation is not None:
        lines.append(f"{inner}解释 {_text(indicator.explanation, 'explanation')}")
    if indicator.standard is not None:
        lines.append(f"{inner}评分标准 {_text(indicator.standard, 'standard')}")
    if indicator.not_applicable is not None:
        if indicator.not_applicable not in _NOT_APPLICABLE:
            raise Unprintable(f"not applicable {indicator.not_applicable!r}")
        lines.append(f"{inner}不适用 {_NOT_APPLICABLE[indicator.not_applicable]}")
    if indicator.body is not None:
        lines += _body(indicator.body, depth + 1)
    for child in indicator.children:
        lines += _indicator(child, depth + 1)
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
        heading += f"（{_unsigned(block.cap, 'cap')}）"
    lines = [heading]
    for item in block.items:
        lines += _indicator(item, 1)
    return lines


def _layout(layout: ast.Layout) -> list[str]:
    return _verified(lambda quote: _layout_lines(layout, quote), lambda spec: spec.layout == layout)


def _layout_lines(layout: ast.Layout, quote) -> list[str]:
    lines = ["表格"]
    if layout.title is not None:
        lines.append(f"{_INDENT}标题 {_text(layout.title, 'title')}")
    if layout.columns:
        lines.append(f"{_INDENT}列 " + "、".join(_column(c, quote) for c in layout.columns))
    if layout.rows:
        lines.append(f"{_INDENT}行 " + "、".join(quote(r) for r in layout.rows))
    if len(lines) == 1:
        raise Unprintable("an empty 表格 block")
    return lines


def _column(column: ast.Column, quote) -> str:
    if COLUMN_KINDS.get(column.title, column.title) == column.kind:
        return quote(column.title)
    if COLUMN_KINDS.get(column.kind, column.kind) != column.kind:
        raise Unprintable(f"column kind {column.kind!r}")
    return f"{quote(column.title)} = {quote(column.kind)}"


def _example(example: ast.Example) -> list[str]:
    if not example.sets and not example.expects:
        raise Unprintable("an example needs at least one 设 or 期望")
    return _verified(lambda quote: _example_lines(example, quote), lambda spec: spec.examples == (example,))


def _example_lines(example: ast.Example, quote) -> list[str]:
    lines = [f"示例 {quote(example.name)}"]
    for entry in example.sets:
        field = f".{_bare(entry.field, 'field')}" if entry.field is not None else ""
        lines.append(f"{_INDENT}设 {_path(entry.path, quote)}{field} = {_value(entry.value, quote)}")
    for entry in example.expects:
        lines.append(f"{_INDENT}期望 {_path(entry.path, quote)} = {_value(entry.value, quote)}")
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
        return _num(item, signed=True)
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
    return text if _name_pattern().fullmatch(text) else quote_name(text)


class _Nothing:
    layout = None
    examples = ()


@functools.lru_cache(maxsize=256)
def _probe(text: str):
    from idsl.frontend.parse import parse
    from idsl.frontend.source import Source

    spec, _ = parse(Source("<printer>", text))
    return spec if spec is not None else _Nothing()


__all__ = ["Unprintable", "comment_lines", "format_cond", "format_expr", "format_number", "format_spec", "is_bare_name",
           "quote_name"]
