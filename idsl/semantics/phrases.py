"""Phrase builders shared by the 评分标准 text (idsl.render.standard) and the scorer's reasons.

Numbers, expressions, conditions and awards printed in the register of the seeds' tables:
`80%`, `41.94万人`, `执行数/预算数×100%`, `90%>比率≥75%`, `实际采购金额大于采购计划金额`,
`得2分` / `扣5分`. Everything here is a pure function of frozen AST nodes; nothing is evaluated.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from idsl.frontend import ast
from idsl.frontend.printer_text import marked_ends
from idsl.semantics.numbers import decimal_text, format_number, format_points
from idsl.semantics.units import convertible, expression_unit

# Comparison operators as the tables print them, and as a sentence says them.
SYMBOLS = {"<": "<", "<=": "≤", ">": ">", ">=": "≥", "=": "=", "!=": "≠"}
WORDS = {"<": "小于", "<=": "小于等于", ">": "大于", ">=": "大于等于", "=": "为", "!=": "不为"}
# One-sided bands in the compact register: "≥80%得2分，…，低于60%得0分", "超过10%不得分".
COMPACT = {"<": "低于", "<=": "≤", ">": "超过", ">=": "≥", "=": "=", "!=": "≠"}
FLIP = {"<": ">", "<=": ">=", ">": "<", ">=": "<=", "=": "=", "!=": "!="}

_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


# ---------------------------------------------------------------- numbers


def format_quantity(num: ast.Num | Decimal | Fraction | int) -> str:
    """A number as written in a rule: its digits, then % or its unit; exact values without trailing zeros.

    >>> format_quantity(ast.Num(Decimal("80"), percent=True)), format_quantity(ast.Num(Decimal("41.94"), unit="万元"))
    ('80%', '41.94万元')
    >>> format_quantity(Decimal("0.50")), format_quantity(Fraction(1, 3))
    ('0.5', '0.3333')
    """
    if isinstance(num, ast.Num):
        return decimal_text(num.value) + ("%" if num.percent else "") + (num.unit or "")
    if isinstance(num, Fraction):
        return format_number(num)
    return decimal_text(Decimal(num))


def points_text(points: Decimal | Fraction | int) -> str:
    """Points as the tables print them, without trailing zeros: `2`, `1.5`.

    >>> points_text(Decimal("2.00")), points_text(Decimal("0.5"))
    ('2', '0.5')
    """
    return format_points(points)


def circled(index: int) -> str:
    """The circled number of a checklist element (1 → ①); past ⑳, a bracketed number.

    >>> circled(1), circled(3), circled(21)
    ('①', '③', '(21)')
    """
    return _CIRCLED[index - 1] if 1 <= index <= len(_CIRCLED) else f"({index})"


def share_text(count: int) -> str:
    """Each of `count` equal elements' share of the points: 50%, 25%, 20% … or 1/3, 1/6 as the seeds write them.

    >>> [share_text(n) for n in (1, 2, 3, 4, 5, 6, 8)]
    ['100%', '50%', '1/3', '25%', '20%', '1/6', '12.5%']
    """
    share = Fraction(100, count)
    if (share * 100).denominator == 1:  # at most two decimals
        return decimal_text(share) + "%"
    return f"1/{count}"


def strip_end(text: str) -> str:
    """A clause without its closing punctuation, so the caller can add its own.

    >>> strip_end("是否制定年度工作计划；"), strip_end("得2分。")
    ('是否制定年度工作计划', '得2分')
    """
    return text.rstrip().rstrip("。；;，,.、 ")


# ---------------------------------------------------------------- expressions

_PRECEDENCE = {"+": 1, "-": 1, "*": 2, "/": 2}


def expr_text(expr: ast.Expr, subject_text: str | None = None) -> str:
    """An expression in the tables' notation: × and / (÷ before a plain number), |x| for absolute values.

    `subject_text` stands for an implicit band subject (ast.Subject).

    >>> e = ast.BinOp("/", ast.BinOp("+", ast.Ref("上半年"), ast.Ref("全年")), ast.Num(Decimal(2)))
    >>> expr_text(e)
    '(上半年+全年)÷2'
    >>> expr_text(ast.BinOp("*", ast.Call("min", (ast.Ref("执行率"), ast.Num(Decimal(100), percent=True))), ast.PointsRef()))
    'min(执行率,100%)×分值'
    """
    return _expr(expr, subject_text, 0)


def _expr(expr: ast.Expr, subject_text: str | None, context: int) -> str:
    if isinstance(expr, ast.Num):
        return format_quantity(expr)
    if isinstance(expr, ast.Ref):
        return expr.name
    if isinstance(expr, ast.PointsRef):
        return "分值"
    if isinstance(expr, ast.Subject):
        return subject_text or "比率"
    if isinstance(expr, ast.BoolLit):
        return "是" if expr.value else "否"
    if isinstance(expr, ast.Neg):
        return "-" + _expr(expr.operand, subject_text, 3)
    if isinstance(expr, ast.Call):
        return _call(expr, subject_text)
    if isinstance(expr, ast.BinOp):
        mine = _PRECEDENCE[expr.op]
        left = _expr(expr.left, subject_text, mine)
        # The right operand of - and / needs brackets at equal precedence: a-(b-c), a/(b×c).
        right = _expr(expr.right, subject_text, mine + (1 if expr.op in "-/" else 0))
        if expr.op == "*":
            symbol = "×"
        elif expr.op == "/":
            symbol = "÷" if isinstance(expr.right, ast.Num) else "/"
        else:
            symbol = expr.op
        text = f"{left}{symbol}{right}"
        return f"({text})" if mine < context else text
    raise TypeError(f"not an expression: {expr!r}")


def _call(call: ast.Call, subject_text: str | None) -> str:
    args = [_expr(a, subject_text, 0) for a in call.args]
    if call.func == "abs":
        return f"|{args[0]}|"
    if call.func == "round":
        places = call.args[1] if len(call.args) > 1 else None
        if isinstance(places, ast.Num) and places.value == 0:
            return f"{args[0]}（四舍五入取整）"
        return f"{args[0]}（四舍五入保留{args[1] if len(args) > 1 else 0}位小数）"
    if call.func == "convert":
        return f"{args[0]}（换算为{call.unit}）"
    if call.func in PEER_PHRASES and len(args) == 1:
        return PEER_PHRASES[call.func].format(x=args[0])
    if call.func in SERIES_PHRASES and args:
        return SERIES_PHRASES[call.func].format(x=args[0], rest="、".join(args[1:]))
    return f"{call.func}({','.join(args)})"


# The functions over the units scored together, as the 评分标准 text says them
PEER_PHRASES = {
    "peer_max": "参评单位{x}的最高值", "peer_min": "参评单位{x}的最低值", "peer_mean": "参评单位{x}的平均值",
    "rank": "{x}在参评单位中的名次（从高到低，并列同名次）", "rank_share": "{x}名次÷参评单位数",
    "ratio_max": "{x}÷参评单位最高{x}", "ratio_min": "参评单位最低{x}÷{x}",
}


# The functions over an input repeated per year or sub-project (年度/子项目), as the 评分标准 text says them
SERIES_PHRASES = {
    "series_sum": "{x}合计", "weighted_mean": "{x}加权平均（权重依次为{rest}）", "rising": "{x}逐年提高",
    "member": "{x}{rest}",
}


def is_ratio(expr: ast.Expr) -> bool:
    """Whether an expression is a ratio of quantities (printed with ×100% when defined).

    >>> is_ratio(ast.BinOp("/", ast.Ref("执行数"), ast.Ref("预算数")))
    True
    >>> is_ratio(ast.BinOp("/", ast.Ref("甲"), ast.Num(Decimal(2))))
    False
    """
    if isinstance(expr, ast.BinOp):
        if expr.op == "/":
            return not isinstance(expr.right, ast.Num)
        if expr.op in "+-":
            return is_ratio(expr.left) or is_ratio(expr.right)
    if isinstance(expr, ast.Call) and expr.func == "abs":
        return is_ratio(expr.args[0])
    return False


def definition_text(name: str, expr: ast.Expr, inputs: dict | None = None, derived: dict | None = None) -> str:
    """A derived quantity's definition, a ratio as a percentage: `预算执行率=执行数/预算数×100%`.

    An amount per head (money ÷ a count of 人, with the inputs given) is no percentage.

    >>> definition_text("预算执行率", ast.BinOp("/", ast.Ref("执行数"), ast.Ref("预算数")))
    '预算执行率=执行数/预算数×100%'
    >>> definition_text("结余率", ast.BinOp("-", ast.Num(Decimal(1)), ast.Ref("支出进度")))
    '结余率=1-支出进度'
    >>> staff = {"经费": ast.Input("经费", "money", "万元"), "人数": ast.Input("人数", "count", "人")}
    >>> definition_text("人均经费", ast.BinOp("/", ast.Ref("经费"), ast.Ref("人数")), staff)
    '人均经费=经费/人数'
    """
    if is_ratio(expr) and not _per_unit(expr, inputs or {}, derived or {}):
        return f"{name}={percent_group(expr)}×100%"
    return f"{name}={expr_text(expr)}"


def percent_group(expr: ast.Expr) -> str:
    """A ratio as it stands before ×100%: bare where its terms are single quantities (甲/乙×100%, as 001's table
    writes it); in brackets where a term is itself a sum or difference, [ ] around terms with ( ) of their own.

    >>> quotient = ast.BinOp("/", ast.Ref("执行数"), ast.Ref("预算数"))
    >>> change = ast.BinOp("/", ast.BinOp("-", ast.Ref("本年"), ast.Ref("上年")), ast.Ref("上年"))
    >>> share = ast.BinOp("/", ast.Ref("甲"), ast.BinOp("+", ast.Ref("甲"), ast.Ref("乙")))
    >>> percent_group(quotient), percent_group(change), percent_group(share)
    ('执行数/预算数', '[(本年-上年)/上年]', '[甲/(甲+乙)]')
    >>> percent_group(ast.BinOp("+", quotient, ast.BinOp("/", ast.Ref("甲"), ast.Ref("乙"))))
    '(执行数/预算数+甲/乙)'
    """
    text = expr_text(expr)
    if _bracketed(expr):
        return f"[{text}]"
    return f"({text})" if isinstance(expr, ast.BinOp) and expr.op in "+-" else text


def _bracketed(expr: ast.Expr) -> bool:
    """Whether an expression prints a term of its own in brackets: a sum or difference inside a product or quotient
    (or after a minus), a product after a division."""
    if isinstance(expr, ast.BinOp):
        mine = _PRECEDENCE[expr.op]
        for operand, needed in ((expr.left, mine), (expr.right, mine + (1 if expr.op in "-/" else 0))):
            if isinstance(operand, ast.BinOp) and _PRECEDENCE[operand.op] < needed:
                return True
        return _bracketed(expr.left) or _bracketed(expr.right)
    if isinstance(expr, ast.Neg):
        return isinstance(expr.operand, ast.BinOp) or _bracketed(expr.operand)
    if isinstance(expr, ast.Call):
        return any(_bracketed(arg) for arg in expr.args)
    return False


def _per_unit(expr: ast.Expr, inputs: dict, derived: dict) -> bool:
    """Whether a quotient divides quantities of different units (万元 ÷ 人): a figure per unit, not a rate."""
    if not (isinstance(expr, ast.BinOp) and expr.op == "/"):
        return False
    top, bottom = expression_unit(expr.left, inputs, derived), expression_unit(expr.right, inputs, derived)
    return bool(top and bottom and not convertible(top, bottom))


# ---------------------------------------------------------------- conditions


def _same(a: ast.Expr, b: ast.Expr | None) -> bool:
    return b is not None and (a == b or isinstance(a, ast.Subject))


def _descending(compare: ast.Compare) -> ast.Compare:
    """A chain written low-to-high (70% ≤ x ≤ 100%) turned high-to-low (100% ≥ x ≥ 70%), as the seeds print."""
    if len(compare.operands) > 2 and all(op in ("<", "<=") for op in compare.ops):
        return ast.Compare(tuple(reversed(compare.operands)), tuple(FLIP[op] for op in reversed(compare.ops)))
    return compare


def describe_condition(cond: ast.Cond, subject_text: str | None = None, words: bool = False) -> str:
    """A condition as printed: symbols for bands (`90%>比率≥75%`), or words for a sentence.

    Chains come out high-to-low like the seeds; `subject_text` names an implicit subject.

    >>> c = ast.Compare((ast.Num(Decimal(70), True), ast.Subject(), ast.Num(Decimal(100), True)), ("<=", "<="))
    >>> describe_condition(c, "控制率")
    '100%≥控制率≥70%'
    >>> d = ast.Compare((ast.Ref("实际采购金额"), ast.Ref("采购计划金额")), (">",))
    >>> describe_condition(d, words=True)
    '实际采购金额大于采购计划金额'
    >>> describe_condition(ast.Range(ast.Num(Decimal(60), True), ast.Num(Decimal(80), True)), "比率")
    '80%≥比率≥60%'
    >>> describe_condition(ast.Otherwise())
    '其他情况'
    """
    table = WORDS if words else SYMBOLS
    if isinstance(cond, ast.Otherwise):
        return "其他情况"
    if isinstance(cond, ast.Range):
        subject = subject_text or "比率"
        low, high = expr_text(cond.low, subject_text), expr_text(cond.high, subject_text)
        if words:
            return f"{subject}在{low}至{high}之间（含）"
        return f"{high}{table['>=']}{subject}{table['>=']}{low}"
    if isinstance(cond, ast.BoolOp):
        joiner = "且" if cond.op == "and" else "或"
        return joiner.join(describe_condition(part, subject_text, words) for part in cond.parts)
    if isinstance(cond, ast.Compare) and cond.written:
        return _marked_text(cond, subject_text or "比率")
    if isinstance(cond, ast.Compare):
        compare = _descending(cond)
        parts = [expr_text(compare.operands[0], subject_text)]
        for op, operand in zip(compare.ops, compare.operands[1:]):
            parts.append(table[op])
            parts.append(expr_text(operand, subject_text))
        return "".join(parts)
    raise TypeError(f"not a condition: {cond!r}")


def _marked_text(cond: ast.Compare, subject_text: str) -> str:
    """A band's ends as the author marked them: `完成率在80%（含）至90%之间`, `完成率90%（含）以上`.

    >>> s = ast.Subject()
    >>> _marked_text(ast.Compare((ast.Num(Decimal(80), True), s, ast.Num(Decimal(90), True)), ("<=", "<"),
    ...                          written="range"), "完成率")
    '完成率在80%（含）至90%之间'
    >>> _marked_text(ast.Compare((s, ast.Num(Decimal(80), True)), ("<",), written="below"), "完成率")
    '完成率80%以下'
    """
    ends = marked_ends(cond, lambda end: expr_text(end, subject_text))
    if cond.written == "range":
        return f"{subject_text}在{ends.replace('～', '至')}之间"
    return subject_text + ends


def compact_condition(cond: ast.Cond, subject: ast.Expr | None, subject_text: str) -> tuple[str, bool]:
    """A band's condition in the compact register of linear rules: `≥80%`, `60%—80%`, `低于60%`, `否则`.

    Returns the text and whether the subject was left out (so the caller can write it on the first band).

    >>> s = ast.Ref("比率")
    >>> compact_condition(ast.Compare((s, ast.Num(Decimal(60), True)), ("<",)), s, "比率")
    ('低于60%', True)
    >>> compact_condition(ast.Compare((ast.Num(Decimal(80), True), s, ast.Num(Decimal(60), True)), (">", ">=")), s, "比率")
    ('60%—80%', True)
    """
    if isinstance(cond, ast.Otherwise):
        return "否则", False
    if isinstance(cond, ast.Range):
        return f"{expr_text(cond.low, subject_text)}—{expr_text(cond.high, subject_text)}", True
    if isinstance(cond, ast.Compare) and cond.written:
        return marked_ends(cond, lambda end: expr_text(end, subject_text)).replace("～", "—"), True
    if isinstance(cond, ast.Compare):
        operands, ops = cond.operands, cond.ops
        if len(operands) == 2:
            if _same(operands[0], subject):
                return COMPACT[ops[0]] + expr_text(operands[1], subject_text), True
            if _same(operands[1], subject):
                return COMPACT[FLIP[ops[0]]] + expr_text(operands[0], subject_text), True
        if len(operands) == 3 and _same(operands[1], subject) and len(set(op[0] for op in ops)) == 1:
            ends = [expr_text(operands[0], subject_text), expr_text(operands[2], subject_text)]
            if ops[0].startswith(">"):
                ends.reverse()
            return f"{ends[0]}—{ends[1]}", True
    return describe_condition(cond, subject_text), False


# ---------------------------------------------------------------- awards


def award_text(points: Decimal | None, kind: str = "score", cap: Decimal | None = None) -> str:
    """What an outcome awards: `得2分`, `得满分`, `得0分`; for a penalty item `扣5分` / `不扣分`, a bonus `加2分`.

    `points` None means full points (for a penalty, the item's whole cap).

    >>> award_text(Decimal(2)), award_text(None), award_text(Decimal(0))
    ('得2分', '得满分', '得0分')
    >>> award_text(None, "penalty", Decimal(10)), award_text(Decimal(0), "penalty"), award_text(Decimal(3), "bonus")
    ('扣10分', '不扣分', '加3分')
    """
    if kind == "score":
        return "得满分" if points is None else f"得{points_text(points)}分"
    verb, none = ("扣", "不扣分") if kind == "penalty" else ("加", "不加分")
    value = cap if points is None else points
    if value is None:
        return f"{verb}满分值"
    return none if value == 0 else f"{verb}{points_text(value)}分"


def rounding_text(rounding: str | None, step: ast.Num) -> str:
    """How part of a step counts, in the seeds' words: `（不足1%按四舍五入原则取整）`.

    >>> rounding_text("half_up", ast.Num(Decimal(1), True)), rounding_text(None, ast.Num(Decimal(1), True))
    ('（不足1%按四舍五入原则取整）', '')
    """
    unit = format_quantity(step)
    if rounding == "half_up":
        return f"（不足{unit}按四舍五入原则取整）"
    if rounding == "floor":
        return f"（不足{unit}的部分不扣分）"
    if rounding == "ceil":
        return f"（不足{unit}按{unit}计）"
    return ""


def linear_text(outcome: ast.Linear, kind: str = "score") -> str:
    """A linear band's outcome: `每降低1%扣0.1分`, with its rounding and starting points.

    >>> linear_text(ast.Linear("down", ast.Num(Decimal(1), True), Decimal("0.1")))
    '每降低1%扣0.1分'
    >>> linear_text(ast.Linear("up", ast.Num(Decimal(1), True), Decimal("0.2"), "half_up", Decimal(2)))
    '得2分起，每增加1%（不足1%按四舍五入原则取整）扣0.2分'
    """
    verb = "每降低" if outcome.direction == "down" else "每增加"
    text = f"{verb}{format_quantity(outcome.step)}{rounding_text(outcome.rounding, outcome.step)}扣{points_text(outcome.deduct)}分"
    if outcome.start is not None:
        text = f"{award_text(outcome.start, kind)}起，{text}"
    return text + ("，扣完为止" if outcome.until_zero else "")


def outcome_text(outcome: ast.Outcome, kind: str = "score", cap: Decimal | None = None) -> str:
    """A band's outcome: a fixed award or a linear deduction.

    >>> outcome_text(ast.Fixed(Decimal("1.5"))), outcome_text(ast.Fixed(Decimal(4), deduct=Decimal(1)))
    ('得1.5分', '扣1分')
    """
    if isinstance(outcome, ast.Linear):
        return linear_text(outcome, kind)
    if outcome.deduct is not None and kind == "score":  # `扣 1 分` as the tables write it, not the award it leaves
        return "不扣分" if outcome.deduct == 0 else f"扣{points_text(outcome.deduct)}分"
    return award_text(outcome.points, kind, cap)


__all__ = [
    "award_text",
    "circled",
    "compact_condition",
    "definition_text",
    "describe_condition",
    "expr_text",
    "format_quantity",
    "is_ratio",
    "linear_text",
    "outcome_text",
    "percent_group",
    "points_text",
    "rounding_text",
    "share_text",
    "strip_end",
]
