"""Names, numbers, free text, expressions and conditions as idsl text, for the printer
(`idsl.frontend.printer`): quoted only where the grammar needs it, with the fewest parentheses."""

from __future__ import annotations

import functools
import re
from decimal import Decimal

from idsl.frontend import ast
from idsl.frontend.lalr import lark_parser

CMP = {">=": "≥", "<=": "≤", ">": ">", "<": "<", "=": "=", "!=": "≠"}
_BINOP = {"+": "+", "-": "-", "*": "×", "/": "÷"}
_PRECEDENCE = {"+": 1, "-": 1, "*": 2, "/": 2}
_FUNC = {"min": "min", "max": "max", "round": "四舍五入", "abs": "abs", "peer_max": "最高", "peer_min": "最低",
         "peer_mean": "平均", "rank": "名次", "rank_share": "名次比", "ratio_max": "比最高", "ratio_min": "比最低",
         "series_sum": "合计", "weighted_mean": "加权平均", "rising": "逐年提高", "member": "取值"}
# Text printed bare to the end of the line; it must not start with a quote, a blank or a colon.
_BARE_TEXT = re.compile(r'[^\s":：#][^\n]*')


class Unprintable(ValueError):
    """The tree holds something no idsl text parses to (e.g. a name containing a newline)."""



# ---------------------------------------------------------------- names, numbers and text


@functools.lru_cache(maxsize=1)
def name_pattern() -> re.Pattern:
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
    if not name_pattern().fullmatch(text):
        return False
    return not any(pattern.match(text) for pattern in _reserved())


def quote_name(text: str) -> str:
    """A name as written where a name may be quoted: bare when it can be, else in double quotes.

    >>> quote_name("决策"), quote_name("目标"), quote_name("预算执行率 (本级)")
    ('决策', '"目标"', '"预算执行率 (本级)"')
    """
    return text if is_bare_name(text) else quoted(text, "name")


def quoted(text: str, what: str) -> str:
    if '"' in text or "\n" in text or "\r" in text or text != text.strip():
        raise Unprintable(f"{what} {text!r} cannot be written in idsl (quotes, line breaks or outer blanks)")
    return f'"{text}"'


def bare(text: str, what: str) -> str:
    """A name in a place only a bare name may stand (inputs, quantities, references, units)."""
    if not name_pattern().fullmatch(text):
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


def unsigned(value: Decimal, what: str) -> str:
    if value < 0:
        raise Unprintable(f"{what} {value} cannot be negative here")
    return format_number(abs(value))  # -0 is 0


def free_text(text: str, what: str) -> str:
    """Free text to the end of the line (explanations, titles): bare, or quoted when empty or when it
    starts with # (which would begin a comment)."""
    if _BARE_TEXT.fullmatch(text) and text == text.strip():
        return text
    if text.startswith((":", "：")):
        raise Unprintable(f"{what} {text!r}: a leading colon is read as punctuation")
    return quoted(text, what)


def number_text(num: ast.Num, signed: bool = False) -> str:
    digits = format_number(num.value) if signed else unsigned(num.value, "number")
    text = digits + ("%" if num.percent else "")
    if num.unit is not None:
        text += " " + bare(num.unit, "unit")
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
        return number_text(expr)
    if isinstance(expr, ast.Ref):
        return bare(expr.name, "name")
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
        return f"换算({_expr(call.args[0], 0)}, {bare(call.unit, 'unit')})"
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
    if len(operands) != len(ops) + 1 or any(op not in CMP for op in ops):
        raise Unprintable("a comparison has one more operand than operators")
    if cond.written:
        return marked_ends(cond, lambda end: _expr(end, 0))
    if isinstance(operands[0], ast.Subject):
        if len(ops) != 1:
            raise Unprintable("the implicit subject takes exactly one comparison (≥ 80%)")
        return f"{CMP[ops[0]]} {_expr(operands[1], 0)}"
    text = _expr(operands[0], 0)
    for op, operand in zip(ops, operands[1:]):
        text += f" {CMP[op]} {_expr(operand, 0)}"
    return text


def marked_ends(cond: ast.Compare, text) -> str:
    """A band's ends as the tables write them, each end held marked （含）: `80%（含）～90%`, `90%（含）以上`.

    >>> s = ast.Subject()
    >>> marked_ends(ast.Compare((ast.Num(Decimal(80), True), s, ast.Num(Decimal(90), True)), ("<=", "<"),
    ...                         written="range"), lambda e: format_expr(e))
    '80%（含）～90%'
    >>> marked_ends(ast.Compare((s, ast.Num(Decimal(80), True)), ("<",), written="below"), lambda e: format_expr(e))
    '80%以下'
    >>> marked_ends(ast.Compare((s, ast.Num(Decimal(60), True)), ("<=",), written="below-and"), lambda e: format_expr(e))
    '60%及以下'
    """
    operands, ops = cond.operands, cond.ops
    if cond.written == "range" and len(ops) == 2 and set(ops) <= {"<", "<="}:
        return f"{text(operands[0])}{_held(ops[0])}～{text(operands[2])}{_held(ops[1])}"
    if cond.written.split("-")[0] in ("above", "below") and len(ops) == 1 and isinstance(operands[0], ast.Subject):
        word, held = ("以上", ">=") if cond.written.startswith("above") else ("以下", "<=")
        how = cond.written.partition("-")[2]  # '' unmarked, 'marked' （含）, 'and' 及
        if ops[0] == held or (not how and ops[0] == held[0]):  # unmarked: its neighbours say whether it holds X
            end = text(operands[1])
            mark = "（含）" if how == "marked" else ""
            # a name's end (目标值 以上) would read as one word with it; a number's unit (90 人以上) is read apart
            number = isinstance(operands[1], ast.Num)
            space = "" if mark or number else " "
            return f"{end}{mark}{space}{'及' if how == 'and' else ''}{word}"
    raise Unprintable(f"a band's ends written {cond.written!r} with {ops}")


def _held(op: str) -> str:
    return "（含）" if op == "<=" else ""


__all__ = ["CMP", "Unprintable", "bare", "format_cond", "format_expr", "format_number", "free_text", "is_bare_name",
           "marked_ends", "name_pattern", "number_text", "quote_name", "quoted", "unsigned"]
