"""What the checks share: every leaf's path and scope, and each expression's unit and range."""

from __future__ import annotations

import difflib
from decimal import Decimal
from fractions import Fraction
from typing import Iterator

import attrs

from idsl.frontend import ast
from idsl.check import intervals as iv
from idsl.check.intervals import INF, Interval, closed
from idsl.check.dims import DIMENSIONLESS, NUMBER, POINTS, RATIO, UNKNOWN, Dim, num_dim
from idsl.check.peers import PEER_CALLS, peer_inside, reads_names
from idsl.check.unit_hints import clash_hint
from idsl.diagnostics import Diagnostic
from idsl.frontend.source import Source, Span
from idsl.semantics import domains, series
from idsl.semantics.counts import count_unit
from idsl.semantics.graded import grade_input
from idsl.semantics.lower import (DISCRETION_CUT, NODATA_SCORE, OVER_CUT, discretion_cut_input, nodata_score_input,
                                  over_cut_input)
from idsl.semantics.units import convertible, unit


def to_fraction(value: Decimal) -> Fraction:
    """A Decimal as an exact Fraction."""
    return Fraction(value)


# ---------------------------------------------------------------- scopes


@attrs.frozen
class Symbol:
    """A name a leaf's expressions may use."""

    name: str  # as declared
    kind: str  # 'input', 'derived', 'questionnaire', 'choice', 'checklist'
    decl: object  # the declaring AST node
    span: Span  # where it is declared


@attrs.frozen
class Leaf:
    """A scored unit: a leaf indicator, a part of one, or a penalty or bonus item."""

    path: tuple[str, ...]  # indicator path (a part's name last)
    points: Decimal | None  # its points (a penalty item's cap)
    body: ast.LeafBody | None  # inputs, quantities and rule
    indicator: ast.Indicator | None  # the indicator (None for a part)
    span: Span  # its heading
    scope: dict  # name → Symbol: spec-level, then the leaf's, then the part's own
    role: str = "leaf"  # 'leaf', 'part', 'adjustment' or 'class' (a branch of 按类别, checked as the leaf's rule)
    outer: ast.LeafBody | None = None  # a part's leaf body, whose names the part sees
    item: bool = False  # scored as a penalty or bonus item (an item, or a part of one)


def walk(indicators: tuple[ast.Indicator, ...], prefix: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], ast.Indicator]]:
    """Every indicator with its path, parents before children."""
    for indicator in indicators:
        path = prefix + (indicator.name,)
        yield path, indicator
        yield from walk(indicator.children, path)


def spec_scope(spec: ast.Spec) -> dict:
    """The names every leaf can use: spec-level inputs, quantities and questionnaires."""
    return scope_of(spec.inputs, spec.derived, spec.questionnaires, {})


def scope_of(inputs, derived, questionnaires, outer: dict) -> dict:
    """The names a body sees: its inputs, derived values and questionnaires over the `outer` scope."""
    scope = dict(outer)
    for decl in inputs:
        scope[decl.name] = Symbol(decl.name, "input", decl, decl.span)
    for q in questionnaires:
        scope[q.name] = Symbol(q.name, "questionnaire", q, q.span)
    for d in derived:
        scope[d.name] = Symbol(d.name, "derived", d, d.span)
    return scope


def body_scope(body: ast.LeafBody | None, outer: dict) -> dict:
    """The names a leaf's (or part's) expressions can use."""
    if body is None:
        return dict(outer)
    scope = scope_of(body.inputs, body.derived, body.questionnaires, outer)
    if isinstance(body.rule, ast.Choice) and body.rule.input not in scope:
        scope[body.rule.input] = Symbol(body.rule.input, "choice", body.rule, body.rule.span)
    if isinstance(body.rule, ast.Graded) and body.rule.tier not in scope:  # 评级's 等级 (§11.7)
        scope[body.rule.tier] = Symbol(body.rule.tier, "input", grade_input(body.rule), body.rule.span)
    if isinstance(body.rule, ast.Target) and body.rule.over_cut is not None and OVER_CUT not in scope:
        scope[OVER_CUT] = Symbol(OVER_CUT, "input", over_cut_input(body.rule), body.rule.span)
    cut = next((a for a in body.adjusts if a.kind == "discretion"), None)
    if cut is not None and DISCRETION_CUT not in scope:  # 酌情扣分 (§11.12) is a field of the leaf
        scope[DISCRETION_CUT] = Symbol(DISCRETION_CUT, "input", discretion_cut_input(cut), cut.span)
    nodata = body.nodata
    if nodata is not None and nodata.outcome == "discretion" and NODATA_SCORE not in scope:  # §11.15
        scope[NODATA_SCORE] = Symbol(NODATA_SCORE, "input", nodata_score_input(nodata), nodata.span)
    return scope


def leaves(spec: ast.Spec) -> list[Leaf]:
    """Every scored unit of the spec: leaves, their parts, and penalty and bonus items."""
    shared = spec_scope(spec)
    found: list[Leaf] = []
    for path, indicator in walk(spec.indicators):
        if not indicator.children:
            found.extend(_leaf_and_parts(path, indicator, shared, "leaf"))
    for block in spec.adjustments:
        for item in block.items:
            found.extend(_leaf_and_parts((block.name, item.name), item, shared, "adjustment"))
    return found


def _leaf_and_parts(path, indicator: ast.Indicator, shared: dict, role: str) -> list[Leaf]:
    scope = body_scope(indicator.body, shared)
    item = role == "adjustment"
    leaf = Leaf(path, indicator.points, indicator.body, indicator, indicator.span, scope, role, item=item)
    found = [leaf]
    rule = indicator.body.rule if indicator.body else None
    if isinstance(rule, ast.ByClass):  # 按类别: each branch's rule is checked as the leaf's own, against its points
        found += [Leaf(path, indicator.points, attrs.evolve(indicator.body, rule=branch.rule), None, branch.span,
                       scope, "class", item=item) for branch in rule.branches]
    if isinstance(rule, ast.Parts):
        for part in rule.parts:
            found.append(Leaf(path + (part.name,), part.points, part.body, None, part.span,
                              body_scope(part.body, scope), "part", indicator.body, item))
    return found


# ---------------------------------------------------------------- inference: dimension and range


@attrs.frozen
class Inferred:
    """An expression's dimension and the range of values it can take."""

    dim: Dim  # what it measures
    range: Interval  # the values it can take, given the declared domains


class Inference:
    """Infers dimensions and ranges of a leaf's expressions, collecting name and unit problems."""

    def __init__(self, leaf: Leaf, sources: dict[str, Source]):
        self.leaf = leaf
        self.sources = sources
        self.problems: list[Diagnostic] = []
        self.used: set[str] = set()
        self._derived: dict[str, Inferred] = {}
        self._visiting: list[str] = []

    # -- names

    def lookup(self, name: str, span: Span) -> Inferred:
        """The dimension and range of a name, reporting it if undefined."""
        symbol = self.leaf.scope.get(name)
        self.used.add(name)
        if symbol is None and self._is_option(name):
            return Inferred(Dim("choice"), iv.EVERYTHING)  # an option word of a choice: 公开情况 = 未公开
        if symbol is None:
            self._undefined(name, span)
            return Inferred(UNKNOWN, iv.EVERYTHING)
        if symbol.kind == "input":
            return input_inferred(symbol.decl)
        if symbol.kind == "questionnaire":
            return Inferred(RATIO, closed(Fraction(0), Fraction(1)))
        if symbol.kind == "choice":
            return Inferred(Dim("choice"), iv.EVERYTHING)
        return self.derived_value(symbol.decl, span)

    def _is_option(self, name: str) -> bool:
        """Whether a bare word is one of the options of a choice visible here."""
        for symbol in self.leaf.scope.values():
            decl = symbol.decl
            if symbol.kind == "input" and decl.kind == "choice" and name in decl.options:
                return True
            if symbol.kind == "choice" and name in (o.label for o in decl.options):
                return True
        return False

    def derived_value(self, decl: ast.Derived, span: Span) -> Inferred:
        """The dimension and range of a derived quantity, inferred once (a definition that loops is E201)."""
        if decl.name in self._derived:
            return self._derived[decl.name]
        if decl.name in self._visiting:
            cycle = " → ".join(self._visiting[self._visiting.index(decl.name):] + [decl.name])
            self.problems.append(Diagnostic("E201", f"“{decl.name}”的定义绕回了自己：{cycle}。", span,
                                            self.leaf.path, hint="改写其中一个定义，让它只用输入或别的量。"))
            return Inferred(UNKNOWN, iv.EVERYTHING)
        self._visiting.append(decl.name)
        result = self.expr(decl.expr)
        self._visiting.pop()
        self._derived[decl.name] = result
        return result

    def _undefined(self, name: str, span: Span) -> None:
        inputs = {n: s.decl for n, s in self.leaf.scope.items() if s.kind == "input"}
        group = series.members(inputs, name)
        if group:  # 支出进度 declared 年度 2022～2024 is three inputs: the name alone is none of them
            first = group[0].series
            self.used |= {m.name for m in group}  # used, though wrongly: no W505 as well
            self.problems.append(Diagnostic(
                "E463", f"“{name}”按{series.what(first)}声明（{series.label_text(first)}），不是一个数。", span, self.leaf.path,
                hint=f"写 合计({name})、加权平均({name}, …)、取值({name}, {first.last})，或条件 逐年提高({name})。"))
            return
        candidates = difflib.get_close_matches(name, list(self.leaf.scope), n=1, cutoff=0.4)
        hint = f"是不是“{candidates[0]}”？" if candidates else f"在“输入”中声明“{name}”，或写成“{name} = …”。"
        self.problems.append(Diagnostic("E201", f"没有定义“{name}”。", span, self.leaf.path, hint=hint))

    # -- expressions

    def expr(self, node, subject: "Inferred | None" = None) -> Inferred:
        """Dimension and range of an expression (`subject` stands for a band's implicit subject)."""
        if isinstance(node, ast.Num):
            value = to_fraction(node.amount)
            return Inferred(num_dim(node), closed(value, value))
        if isinstance(node, ast.Ref):
            return self.lookup(node.name, node.span)
        if isinstance(node, ast.PointsRef):
            points = to_fraction(self.leaf.points or Decimal(0))
            return Inferred(POINTS, closed(points, points))
        if isinstance(node, ast.Subject):
            return subject or Inferred(UNKNOWN, iv.EVERYTHING)
        if isinstance(node, ast.BoolLit):
            return Inferred(Dim("bool"), iv.EVERYTHING)
        if isinstance(node, ast.Neg):
            inner = self.expr(node.operand, subject)
            return Inferred(inner.dim, iv.neg(inner.range))
        if isinstance(node, ast.BinOp):
            return self._binop(node, subject)
        if isinstance(node, ast.Call):
            return self._call(node, subject)
        return Inferred(UNKNOWN, iv.EVERYTHING)

    def _binop(self, node: ast.BinOp, subject) -> Inferred:
        left, right = self.expr(node.left, subject), self.expr(node.right, subject)
        if node.op in "+-":
            dim = self.same_dim(left.dim, right.dim, node, "相加减")
            combine = iv.add if node.op == "+" else iv.sub
            return Inferred(dim, combine(left.range, right.range))
        if node.op == "*":
            return Inferred(self._product_dim(left.dim, right.dim, node), iv.mul(left.range, right.range))
        quotient = iv.div(left.range, right.range)
        if _share_of_whole(node, left, self, subject):
            quotient = closed(Fraction(0), Fraction(1))  # a / (a + b + …) of non-negative terms is a share
        return Inferred(self._quotient_dim(left.dim, right.dim, node), quotient)

    def _call(self, node: ast.Call, subject) -> Inferred:
        if node.func in series.SERIES_FUNCS:
            return self._series(node, subject)
        args = [self.expr(a, subject) for a in node.args]
        if node.func == "abs" and args:
            return Inferred(args[0].dim, iv.absolute(args[0].range))
        if node.func in ("min", "max") and args:
            dim, value = args[0].dim, args[0].range
            combine = iv.minimum if node.func == "min" else iv.maximum
            for other in args[1:]:
                dim = self.same_dim(dim, other.dim, node, "比较大小")
                value = combine(value, other.range)
            return Inferred(dim, value)
        if node.func == "round" and args:
            return args[0]
        if node.func in PEER_CALLS:
            return self._peer(node, args)
        if node.func == "convert" and args:
            return self._convert(node, args[0])
        return Inferred(UNKNOWN, iv.EVERYTHING)

    def _series(self, node: ast.Call, subject) -> Inferred:
        """A function over an input repeated per year or sub-project: what its expansion over the members is;
        逐年提高 is a yes/no condition (E464 where a number is needed is reported by the unit rules)."""
        inputs = {name: s.decl for name, s in self.leaf.scope.items() if s.kind == "input"}
        expanded = series.expand(node, inputs)
        if isinstance(expanded, series.Problem):
            self.problems.append(Diagnostic(expanded.code, expanded.message, node.span, self.leaf.path, hint=expanded.hint))
            first = node.args[0] if node.args else None  # its members are used, though wrongly: no W505 as well
            self.used |= {m.name for m in series.members(inputs, first.name)} if isinstance(first, ast.Ref) else set()
            return Inferred(UNKNOWN, iv.EVERYTHING)
        if isinstance(expanded, ast.Compare):
            for operand in expanded.operands:
                self.expr(operand, subject)
            return Inferred(Dim("bool"), iv.EVERYTHING)
        return self.expr(expanded, subject)

    def _peer(self, node: ast.Call, args: list[Inferred]) -> Inferred:
        """A function over the units scored together: one subject, reading this unit's inputs, with no such
        function inside (E430); the peers' values range over the subject's, ranks from 1, shares within 0～100%."""
        problem = None
        if len(node.args) != 1:
            problem = "只能有一个比较对象"
        elif peer_inside(node.args[0]):
            problem = "的比较对象里又有与其他单位比较的函数"
        elif not reads_names(node.args[0]):
            problem = "的比较对象不读本单位的任何输入"
        elif node.func in ("rank", "rank_share") and self._reads_filled(node.args[0], set()):
            problem = "的比较对象读了“缺失取平均”的输入（取平均的单位没有名次）"
        if problem is not None:
            word = PEER_CALLS[node.func]
            self.problems.append(Diagnostic("E430", f"{word}(…){problem}。", node.span, self.leaf.path,
                                            hint=f"写成 {word}(执行率) 这样：括号里是本单位的一个输入或指标量。"))
        if node.func == "rank":
            return Inferred(NUMBER, closed(Fraction(1), INF))
        if node.func in ("rank_share", "ratio_max", "ratio_min"):
            return Inferred(RATIO, closed(Fraction(0), Fraction(1)))
        return args[0] if args else Inferred(UNKNOWN, iv.EVERYTHING)  # the peers' values range over the subject's

    def _reads_filled(self, expr, seen: set[str]) -> bool:
        """Whether an expression reads an input declared 缺失取平均, directly or through quantities."""
        if isinstance(expr, ast.Ref):
            symbol = self.leaf.scope.get(expr.name)
            if symbol is None or expr.name in seen:
                return False
            seen.add(expr.name)
            if symbol.kind == "input":
                return bool(getattr(symbol.decl, "fill_mean", False))
            return symbol.kind == "derived" and self._reads_filled(symbol.decl.expr, seen)
        children = [getattr(expr, f) for f in ("left", "right", "operand") if hasattr(expr, f)]
        return any(self._reads_filled(c, seen) for c in children + list(getattr(expr, "args", ())))

    def _convert(self, node: ast.Call, arg: Inferred) -> Inferred:
        source_unit = arg.dim.unit
        if source_unit is None or not convertible(source_unit, node.unit):
            self.problems.append(Diagnostic(
                "E409", f"{arg.dim.describe()}不能换算成“{node.unit}”。", node.span, self.leaf.path,
                hint="换算只用于同类单位之间，例如 元 与 万元、人 与 万人。"))
            return Inferred(UNKNOWN, iv.EVERYTHING)
        factor = to_fraction(unit(source_unit).factor / unit(node.unit).factor)
        scale = closed(factor, factor)
        return Inferred(Dim(arg.dim.kind, node.unit), iv.mul(arg.range, scale))

    # -- unit rules

    def same_dim(self, a: Dim, b: Dim, node, doing: str) -> Dim:
        """The common dimension of two quantities combined additively or compared, reporting a clash."""
        if UNKNOWN in (a, b):
            return UNKNOWN
        if a.kind == "literal":
            return b
        if b.kind == "literal":
            return a
        if a == b:
            return a
        if a.kind in ("ratio", "number") and b.kind in ("ratio", "number"):
            return RATIO
        hint = clash_hint(a, b, node, doing)
        self.problems.append(Diagnostic(
            "E409", f"{a.describe()}与{b.describe()}不能{doing}。", node.span, self.leaf.path, hint=hint))
        return UNKNOWN

    def _product_dim(self, a: Dim, b: Dim, node) -> Dim:
        if UNKNOWN in (a, b):
            return UNKNOWN
        if a.kind in DIMENSIONLESS:
            return b if b.kind != "literal" or a.kind == "literal" else a
        if b.kind in DIMENSIONLESS:
            return a
        self.problems.append(Diagnostic(
            "E409", f"{a.describe()}与{b.describe()}不能相乘。", node.span, self.leaf.path,
            hint="乘法的一边应是比率或数值，例如 执行率 × 分值。"))
        return UNKNOWN

    def _quotient_dim(self, a: Dim, b: Dim, node) -> Dim:
        if UNKNOWN in (a, b):
            return UNKNOWN
        if b.kind in DIMENSIONLESS:
            return a
        if a.kind == b.kind and a.unit == b.unit:
            return RATIO
        if a.kind == b.kind and a.unit and b.unit and convertible(a.unit, b.unit):
            self.problems.append(Diagnostic(
                "E409", f"{a.describe()}除以{b.describe()}：单位不同，比值会差 {_ratio_text(a.unit, b.unit)} 倍。",
                node.span, self.leaf.path, hint=f"先换算成同一单位，例如 换算(x, {b.unit}) / y。"))
            return UNKNOWN
        return NUMBER


def _terms(node) -> list:
    """The terms of a sum, flattened: a + (b + c) → [a, b, c]."""
    if isinstance(node, ast.BinOp) and node.op == "+":
        return _terms(node.left) + _terms(node.right)
    return [node]


def _share_of_whole(node: ast.BinOp, numerator: Inferred, inference: "Inference", subject) -> bool:
    """Whether node is a / (a + b + …) with every term non-negative, so its value lies in [0, 1]."""
    terms = _terms(node.right)
    if len(terms) < 2 or node.left not in terms or numerator.range.lo < 0:
        return False
    return all(inference.expr(term, subject).range.lo >= 0 for term in terms)


def input_inferred(decl: ast.Input) -> Inferred:
    """An input's dimension and declared domain (the defaults: rates 0–100%, amounts and counts ≥ 0); a 问题数 is
    counted in the word its name counts in (违规笔数: 笔), as the 评分标准 prints its numbers."""
    dims = {"rate": RATIO, "number": NUMBER, "bool": Dim("bool"), "choice": Dim("choice"),
            "findings": Dim("count", count_unit(decl))}
    dim = dims.get(decl.kind) or Dim(decl.kind, decl.unit)
    if decl.kind in ("bool", "choice"):
        return Inferred(dim, iv.EVERYTHING)
    return Inferred(dim, input_domain(decl))


def input_domain(decl: ast.Input) -> Interval:
    """The values an input may take: exactly what the readers accept (`idsl.semantics.domains`)."""
    low, high = domains.input_domain(decl)
    return closed(-INF if low is None else low, INF if high is None else high)


def _ratio_text(a: str, b: str) -> str:
    factor = unit(a).factor / unit(b).factor
    return format((factor if factor >= 1 else 1 / factor).normalize(), "f")
