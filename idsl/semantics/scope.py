"""Lowering of a unit's expressions and conditions into the score IR, names resolved against its scope.

A unit is a leaf, one part of a leaf, or a penalty/bonus item. Its names resolve as the
checker resolves them: an input becomes a `Field`, a derived quantity or questionnaire a
`Named` value computed once, an option word of a visible choice a `Text`; everything else
is a `Fail` that names it.
"""

from __future__ import annotations

from fractions import Fraction

from idsl.frontend import ast
from idsl.semantics import ir, series
from idsl.semantics.conditions import name_of
from idsl.semantics.domains import input_domain
from idsl.semantics.model import LeafPlan, Node
from idsl.semantics.phrases import expr_text
from idsl.semantics.reasons import option_words
from idsl.semantics.units import conversion_factor, convertible, expression_unit
from idsl.semantics.units import unit as unit_info

SHARED = "共用"  # the owner of spec-level inputs, as the unit table names it
VETO_INPUT_MISSING = "缺少输入（一票否决、一票否优或总分上限要用）。"  # a blank input Program.veto_fields names
MIXED_KINDS = "不同种类的值不能比较（数、是/否、选项）。"  # a comparison of a number, a yes/no and an option
ZERO_HINT = "检查这个输入；若 0 是真实情况，体系应加一条特例（若 … 则 …）。"
_KINDS = {"bool": "flag", "choice": "label"}
# The functions over the units scored together → what their ir.Peer computes
PEER_FUNCS = {"peer_max": "max", "peer_min": "min", "peer_mean": "mean", "rank": "rank", "rank_share": "rank_share",
              "ratio_max": "ratio_max", "ratio_min": "ratio_min"}  # an input's kind → what its field holds (else a number)


def fill_shared(name: str) -> str:
    """The hint for a blank 共用 input, in every engine's words (the interpreter, the SQL engine, a batch cell).

    >>> fill_shared("全年支出进度")
    '在“共用”下填“全年支出进度”。'
    """
    return f"在“{SHARED}”下填“{name}”。"


class Scope:
    """What one unit's names mean, and how its expressions lower."""

    def __init__(self, node: Node, leaf: LeafPlan, points: Fraction, part: str | None = None):
        self.node = node
        self.leaf = leaf
        self.points = points
        self.part = part
        self.prefix = f"{part}/" if part else ""  # trace names of a part stay apart from the leaf's
        self.inputs, self.derived, self.questionnaires = leaf.scope_tables()
        self.options = option_words(leaf)
        self.computing: list[str] = []
        self.lowered: dict[str, ir.Named] = {}  # derived quantities already lowered, by name

    @property
    def floor(self) -> Fraction:
        """Where deductions stop: the leaf's 最低 (a negative score, §11.14), else 0."""
        return Fraction(self.leaf.floor) if self.leaf.floor is not None else Fraction(0)

    def tag(self, name: str) -> str:
        """A trace name unique within the leaf."""
        return self.prefix + name

    # -- names

    def ref(self, name: str, context: str | None = None) -> ir.Expr:
        """What a name stands for, named in the trace as ref:<name>."""
        if name in self.questionnaires and name not in self.inputs:
            return ir.Named(self.tag(f"ref:{name}"), self.questionnaire(self.questionnaires[name]))
        if name in self.inputs:
            decl = self.inputs[name]
            field: ir.Expr = self.input_field(decl)
            if decl.fill_mean:  # 缺失取平均: a blank is the mean of the units that gave it (§11.10)
                field = ir.Peer("fill", field, f"{self.node.key}|{name}|缺失取平均", self.node.key)
            return ir.Named(self.tag(f"ref:{name}"), field)
        if name in self.derived:
            if name in self.lowered:  # lowered once: a quantity used many times is one Named value
                return self.lowered[name]
            if name in self.computing:
                return ir.Fail(f"“{name}”的定义绕回了自己。", name)
            self.computing.append(name)
            try:
                value = self.expr(self.derived[name].expr, context=name)
            finally:
                self.computing.pop()
            self.lowered[name] = ir.Named(self.tag(f"ref:{name}"), value)
            return self.lowered[name]
        if name in self.options:
            return ir.Text(name)  # 若 公开情况 = 未公开: an option of a visible choice, as a literal
        return ir.Fail(f"未定义的名称“{name}”。", name)

    def input_field(self, decl: ast.Input) -> ir.Field:
        """The field an input is read from."""
        low, high = input_domain(decl)
        shared = decl.name in self.leaf.shared
        return ir.Field(SHARED if shared else self.node.key, decl.name, "input", _KINDS.get(decl.kind, "number"),
                        low, high, declared=decl.name, part=None if shared else self.part, shared=shared,
                        whole=decl.kind == "findings")

    def questionnaire(self, questionnaire: ast.Questionnaire) -> ir.Expr:
        """A questionnaire's rate: points given over the points all answers could have had."""
        shared = questionnaire.name in self.leaf.shared
        owner = SHARED if shared else self.node.key
        scores = [Fraction(s) for _, s in questionnaire.options]
        top = max(scores) if scores else Fraction(0)
        got: ir.Expr = ir.Const(Fraction(0))
        full: ir.Expr = ir.Const(Fraction(0))
        for number in range(1, len(questionnaire.questions) + 1):
            for option, (letter, _score) in enumerate(questionnaire.options):
                count = ir.Field(owner, f"{questionnaire.name}.第{number}题.{letter}", "tally", "number", Fraction(0),
                                 None, declared=questionnaire.name, part=None if shared else self.part,
                                 shared=shared, index=number, option=option, whole=True)
                got = _add(got, _mul(count, scores[option]))
                full = _add(full, _mul(count, top))
        message = f"问卷“{questionnaire.name}”没有有效答卷（满分总计为 0），无法计算满意率。"
        return ir.Div(got, full, message, questionnaire.name)

    # -- expressions

    def expr(self, expr: ast.Expr, subject: ir.Expr | None = None, context: str | None = None) -> ir.Expr:
        """An expression's IR; `subject` stands for a band's implicit subject, `context` names a derived quantity."""
        if isinstance(expr, ast.Num):
            return ir.Const(Fraction(expr.amount))
        if isinstance(expr, ast.Ref):
            return self.ref(expr.name)
        if isinstance(expr, ast.PointsRef):
            return ir.Const(self.points)
        if isinstance(expr, ast.Subject):
            return subject if subject is not None else ir.Fail("条件省略了比较对象，但这里没有分档对象。")
        if isinstance(expr, ast.BoolLit):
            return ir.YesNo(expr.value)
        if isinstance(expr, ast.Neg):
            return ir.Neg(self.number(expr.operand, subject, context))
        if isinstance(expr, ast.BinOp):
            return self.binop(expr, subject, context)
        if isinstance(expr, ast.Call):
            return self.call(expr, subject, context)
        return ir.Fail(f"不能计算的表达式（{type(expr).__name__}）。")

    def number(self, expr: ast.Expr, subject: ir.Expr | None = None, context: str | None = None) -> ir.Expr:
        """An expression that must be a number: a yes/no or an option fails."""
        value = self.expr(expr, subject, context)
        if ir.kind_of(value) not in ("number", "any"):
            return ir.Fail(f"“{expr_text(expr)}”不是一个数，不能参与计算。", name_of(expr))
        return value

    def binop(self, expr: ast.BinOp, subject: ir.Expr | None, context: str | None) -> ir.Expr:
        left = self.number(expr.left, subject, context)
        right = self.number(expr.right, subject, context)
        if expr.op in "+-*":
            return ir.Arith(expr.op, left, right)
        summed = isinstance(expr.right, ast.Call) and expr.right.func in series.SERIES_FUNCS  # 预算数合计, not 预算数
        what = (None if summed else name_of(expr.right)) or expr_text(expr.right)
        blame = expr.right.name if isinstance(expr.right, ast.Ref) else what
        ending = f"无法计算“{context}”。" if context else "无法计算。"
        return ir.Div(left, right, f"分母“{what}”为 0，规则没有规定这种情况，{ending}", blame, ZERO_HINT)

    def call(self, expr: ast.Call, subject: ir.Expr | None, context: str | None) -> ir.Expr:
        if expr.func in PEER_FUNCS:
            return self.peer(expr, subject, context)
        if expr.func in series.SERIES_FUNCS:
            expanded = series.expand(expr, self.inputs)
            if isinstance(expanded, series.Problem):
                return ir.Fail(expanded.message, name_of(expr), expanded.hint)
            if isinstance(expanded, ast.Compare):
                return ir.Fail("逐年提高(…)是条件，不是数。", name_of(expr), "写成 若 逐年提高(x) 则 …")
            return self.expr(expanded, subject, context)
        args = [self.number(a, subject, context) for a in expr.args]
        if expr.func == "abs":
            return ir.Abs(args[0])
        if expr.func in ("min", "max"):
            return ir.Extreme(expr.func == "max", tuple(args))
        if expr.func == "round":
            places = args[1] if len(args) > 1 else ir.Const(Fraction(0))
            if not isinstance(places, ir.Const) or places.value.denominator != 1 or not 0 <= places.value <= 30:
                return ir.Fail("四舍五入的位数应是 0～30 之间的整数。")
            return ir.Round(args[0], int(places.value))
        if expr.func == "convert":
            source = self.unit_of(expr.args[0])
            if source and expr.unit and convertible(source, expr.unit):
                return _mul(args[0], Fraction(conversion_factor(source, expr.unit)))
            return _mul(args[0], Fraction(unit_info(expr.unit).factor)) if expr.unit else args[0]
        return ir.Fail(f"不认识的函数 {expr.func}。")

    def peer(self, expr: ast.Call, subject: ir.Expr | None, context: str | None) -> ir.Expr:
        """A figure over the units scored together: one peer set per leaf and subject as written."""
        if len(expr.args) != 1:
            return ir.Fail(f"{expr_text(expr)}只能有一个比较对象。")
        value = self.number(expr.args[0], subject, context)
        inner = [n.agg for n in ir.walk(value) if isinstance(n, ir.Peer)]
        if any(agg != "fill" for agg in inner):
            return ir.Fail("比较对象里不能再有与其他单位比较的函数（最高、名次 …）。")
        if inner and PEER_FUNCS[expr.func] in ("rank", "rank_share"):  # a filled value is no peer's: no rank
            return ir.Fail("名次的比较对象不能读“缺失取平均”的输入。")
        if not ir.fields(value):
            return ir.Fail("比较对象要读本单位的输入。")
        name = f"{self.node.key}|{expr_text(expr.args[0])}"
        return ir.Peer(PEER_FUNCS[expr.func], value, name, self.node.key)

    def unit_of(self, expr: ast.Expr) -> str | None:
        """The unit an expression is in (万元, 人 …), None for rates and plain numbers."""
        return expression_unit(expr, self.inputs, self.derived)

    def shown_unit(self, expr: ast.Expr) -> str | None:
        """The unit a sentence prints after a value: 万元, 人, or 万元/人 for an amount per head."""
        while isinstance(expr, ast.Ref) and expr.name in self.derived and expr.name not in self.inputs:
            expr = self.derived[expr.name].expr
        if isinstance(expr, ast.BinOp) and expr.op == "/" and self._per_unit(expr):
            return f"{self.unit_of(expr.left)}/{self.unit_of(expr.right)}"
        return self.unit_of(expr)

    def _per_unit(self, expr: ast.BinOp) -> bool:
        """万元 ÷ 人: a figure per unit (per head), which reads as a plain number, not a percentage."""
        top, bottom = self.unit_of(expr.left), self.unit_of(expr.right)
        return bool(top and bottom and not convertible(top, bottom))

    def is_percent(self, expr: ast.Expr) -> bool:
        """Whether a quantity reads as a percentage (a rate, a questionnaire, a ratio of like quantities)."""
        if isinstance(expr, ast.Num):
            return expr.percent
        if isinstance(expr, ast.Ref):
            if expr.name in self.questionnaires and expr.name not in self.inputs:
                return True
            if expr.name in self.inputs:
                return self.inputs[expr.name].kind == "rate"
            return expr.name in self.derived and self.is_percent(self.derived[expr.name].expr)
        if isinstance(expr, ast.BinOp):
            if expr.op == "/":
                if isinstance(expr.right, ast.Num) and not expr.right.percent:
                    return self.is_percent(expr.left)
                return not self._per_unit(expr)
            if expr.op == "*":
                return (self.is_percent(expr.left) and isinstance(expr.right, ast.Num)) or (
                    self.is_percent(expr.right) and isinstance(expr.left, ast.Num))
            return self.is_percent(expr.left) or self.is_percent(expr.right)
        if isinstance(expr, ast.Call) and expr.func in ("rank_share", "ratio_max", "ratio_min"):
            return True
        if isinstance(expr, ast.Call) and expr.func in series.SERIES_FUNCS:
            expanded = series.expand(expr, self.inputs)
            return isinstance(expanded, ast.BinOp | ast.Ref) and self.is_percent(expanded)
        if isinstance(expr, ast.Call) and expr.func not in ("convert", "rank"):
            return any(self.is_percent(a) for a in expr.args)
        if isinstance(expr, ast.Neg):
            return self.is_percent(expr.operand)
        return False

    # -- conditions

    def cond(self, cond: ast.Cond, subject: ir.Expr | None = None, ends: dict[int, ir.Expr] | None = None,
             written: ast.Expr | None = None) -> ir.Cond:
        """A condition's IR; `ends` replaces some operands (by identity) with values named for the reason, and an
        operand written as the band's subject (`written`) is the subject, evaluated once."""
        ends = ends or {}
        if written is not None:
            ends = {**{id(o): subject for o in operands(cond) if o == written}, **ends}
        if isinstance(cond, ast.Otherwise):
            return ir.Truth(True)
        if isinstance(cond, ast.BoolOp):
            parts = tuple(self.cond(part, subject, ends, written) for part in cond.parts)
            return ir.All(parts) if cond.op == "and" else ir.Any(parts)
        if isinstance(cond, ast.Range):
            if subject is None:
                return ir.IsYes(ir.Fail("区间条件没有比较对象。"))
            low = ends.get(id(cond.low)) or self.number(cond.low, subject)
            high = ends.get(id(cond.high)) or self.number(cond.high, subject)
            return ir.All((ir.Compare(low, "<=", subject), ir.Compare(subject, "<=", high)))
        if not cond.ops and isinstance(cond.operands[0], ast.Call) and cond.operands[0].func == "rising":
            expanded = series.expand(cond.operands[0], self.inputs)
            if isinstance(expanded, series.Problem):
                return ir.IsYes(ir.Fail(expanded.message, name_of(cond.operands[0]), expanded.hint))
            return self.cond(expanded, subject, ends, written)
        if not cond.ops:
            value = self.expr(cond.operands[0], subject)
            if ir.kind_of(value) not in ("flag", "any"):
                value = ir.Fail(f"“{expr_text(cond.operands[0])}”不是“是/否”，不能单独作条件。", name_of(cond.operands[0]))
            return ir.IsYes(value)
        values = [ends.get(id(o)) or self.expr(o, subject) for o in cond.operands]
        links = tuple(_compare(a, op, b) for a, op, b in zip(values, cond.ops, values[1:]))
        return links[0] if len(links) == 1 else ir.All(links)


def operands(cond: ast.Cond) -> list[ast.Expr]:
    """Every expression a condition compares, through 且/或 (the checker reads them too)."""
    if isinstance(cond, ast.Compare):
        return list(cond.operands)
    if isinstance(cond, ast.Range):
        return [cond.low, cond.high]
    if isinstance(cond, ast.BoolOp):
        return [o for part in cond.parts for o in operands(part)]
    return []


def _compare(left: ir.Expr, op: str, right: ir.Expr) -> ir.Cond:
    kinds = {ir.kind_of(left), ir.kind_of(right)} - {"any"} or {"number"}
    if kinds != {"number"} and op not in ("=", "!="):
        what = "“是/否”" if "flag" in kinds else "选项"
        return ir.IsYes(ir.Fail(f"{what}不能比较大小。"))
    if len(kinds) > 1:
        return ir.IsYes(ir.Fail(MIXED_KINDS))
    return ir.Compare(left, op, right)


def _add(a: ir.Expr, b: ir.Expr) -> ir.Expr:
    if isinstance(a, ir.Const) and a.value == 0:
        return b
    return ir.Arith("+", a, b)


def _mul(a: ir.Expr, factor: Fraction) -> ir.Expr:
    return a if factor == 1 else ir.Arith("*", a, ir.Const(factor))


__all__ = ["PEER_FUNCS", "SHARED", "Scope", "ZERO_HINT"]
