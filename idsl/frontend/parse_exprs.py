"""Tree → AST, the builder's first half: traversal and spans, literals, expressions, conditions, declarations."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import attrs
from lark import Token, Tree
from lark.exceptions import VisitError

from idsl.frontend import ast
from idsl.frontend.band_ends import low_first, marked_range, open_end, unit_run_into_end
from idsl.diagnostics import Diagnostic
from idsl.frontend.shape import ShapeError
from idsl.frontend.source import LineIndex, Source, Span
from idsl.limits import MAX_DECIMALS, MAX_DIGITS, number_problem

MAX_SERIES = 50  # the most years or sub-projects one input is repeated for
# Comparison signs as written → as the AST writes them; function names → the AST's.
CMP = {"≥": ">=", "⩾": ">=", ">=": ">=", "≤": "<=", "⩽": "<=", "<=": "<=", ">": ">", "＞": ">",
        "<": "<", "＜": "<", "=": "=", "＝": "=", "==": "=", "!=": "!=", "≠": "!="}
_FUNC = {"绝对值": "abs", "abs": "abs", "最小值": "min", "min": "min", "最大值": "max", "max": "max",
         "四舍五入": "round", "round": "round",
         # over the units scored together (§8.1): they lower to ir.Peer
         "最高": "peer_max", "最低": "peer_min", "平均": "peer_mean", "名次": "rank", "名次比": "rank_share",
         "比最高": "ratio_max", "比最低": "ratio_min", "peer_max": "peer_max", "peer_min": "peer_min",
         "peer_mean": "peer_mean", "rank": "rank", "rank_share": "rank_share", "ratio_to_max": "ratio_max",
         "ratio_to_min": "ratio_min",
         # over an input repeated per year or sub-project (年度/子项目): they expand to its members
         "合计": "series_sum", "加权平均": "weighted_mean", "逐年提高": "rising", "取值": "member",
         "series_sum": "series_sum", "weighted_mean": "weighted_mean", "rising": "rising", "member": "member"}


def tokens_of(children, *types: str) -> list[Token]:
    return [c for c in children if isinstance(c, Token) and c.type in types]


def nodes_of(children, *classes) -> list:
    return [c for c in children if isinstance(c, classes)]


def first_of(children, *classes):
    found = nodes_of(children, *classes)
    return found[0] if found else None


def text_of(children) -> str | None:
    """The first plain string among children (tokens are strings too, so they are skipped)."""
    return next((c for c in children if isinstance(c, str) and not isinstance(c, Token)), None)


def unquote(token: Token) -> str:
    text = str(token)
    if token.type == "STRING":
        # A quoted text may run over several lines; the indentation of continuation lines is layout.
        return "".join(line.strip() for line in text[1:-1].split("\n"))
    return text.strip()


# The node classes a method picks out of its children: any expression, any condition.
EXPR = (ast.Num, ast.Ref, ast.PointsRef, ast.BinOp, ast.Neg, ast.Call, ast.Subject, ast.BoolLit)
COND = (ast.Compare, ast.Range, ast.BoolOp, ast.Otherwise)


# What may follow a construct's last token before the end Lark gives it: line breaks, indentation, # comments
_TRAILING = re.compile(r"(?:\s|#[^\n]*)*")


def _content_end(tree: Tree) -> int | None:
    """Where the last token the tree keeps ends (its own or a subtree's): Lark's end position also covers the
    newline token after it, comments included."""
    for child in reversed(tree.children):
        if isinstance(child, Token):
            return child.end_pos
        if isinstance(child, Tree) and getattr(child.meta, "content_end", None) is not None:
            return child.meta.content_end
    return None


class ExprBuilder:
    """Builds AST nodes bottom-up; every node gets its span from Lark's positions. parse_rules.RuleBuilder
    adds the methods of rules, parse_spec.AstBuilder those of indicators, the header, layout and examples.

    Each rule's method is called with the rule's positions (Lark's meta) and its children, trees among
    them built first. This is what a Lark Transformer with v_args(meta=True) does, in two thirds of the
    time: Lark wraps every method anew for each node it visits.
    """

    def __init__(self, source: Source):
        self.source = source
        self.lines = LineIndex(source)
        self.diagnostics: list[Diagnostic] = []

    def transform(self, tree: Tree):
        """The AST of a parse tree; an exception in a rule's method comes out as Lark's VisitError."""
        children = [self.transform(child) if isinstance(child, Tree) else child for child in tree.children]
        tree.meta.content_end = _content_end(tree)
        build = getattr(self, tree.data, None)
        if build is None:
            return Tree(tree.data, children, tree.meta)
        try:
            return build(tree.meta, children)
        except Exception as error:  # noqa: BLE001 - wrapped as Lark's transformers wrap them
            raise VisitError(tree.data, tree, error) from error

    def _span(self, meta) -> Span:
        if getattr(meta, "empty", True):
            return Span(self.source.path, 0, 0, 0, 0)
        end = meta.end_pos
        content = getattr(meta, "content_end", None)
        if content is not None and content < end and _TRAILING.fullmatch(self.source.text, content, end):
            end = content  # the line's trailing newline and comment (the grammar's _NL) are not the construct's
        while end > meta.start_pos and self.source.text[end - 1:end].isspace():
            end -= 1
        return self.lines.span(meta.start_pos, end)

    def _token_span(self, token: Token) -> Span:
        return self.lines.span(token.start_pos, token.end_pos)

    # -- small pieces

    def number(self, meta, children):
        value = Decimal(str(children[0]))
        problem = number_problem(value)
        if problem is not None:  # refused here: no later stage should compute with it
            self.diagnostics.append(Diagnostic("E108", problem, self._token_span(children[0]),
                                               hint=f"idsl 计算的数整数部分少于 {MAX_DIGITS} 位，小数最多 {MAX_DECIMALS} 位。"))
        return value

    def signed_number(self, meta, children):
        value = first_of(children, Decimal)
        return -value if tokens_of(children, "MINUS") else value

    def name(self, meta, children):
        return Name(unquote(children[0]), self._span(meta))

    def text(self, meta, children):
        return unquote(children[0]).lstrip(":：").strip()

    def points(self, meta, children):
        return Points(first_of(children, Decimal), self._span(meta))

    def weight(self, meta, children):
        return Points(first_of(children, Decimal), self._span(meta), True)

    def quantity(self, meta, children):
        unit = tokens_of(children, "NAME")
        percent = bool(tokens_of(children, "PERCENT"))
        value = first_of(children, Decimal)
        if percent and unit:  # “90% 人”: a word after a percentage would otherwise pass as its unit, unread
            self.diagnostics.append(Diagnostic(
                "E409", f"百分数后面不能带单位“{unit[0]}”。", self._span(meta),
                hint=f"比率写成 {format(value, 'f')}%；若是带单位的数量，写成 {format(value, 'f')} {unit[0]}，不写 %。"))
        return ast.Num(value, percent, str(unit[0]) if unit else None, span=self._span(meta))

    quantity_value = quantity

    def step(self, meta, children):
        return self.quantity(meta, children)

    # -- expressions

    def ref(self, meta, children):
        return ast.Ref(str(children[0]), span=self._span(meta))

    def classes_ref(self, meta, children):  # 单位类别 in an expression: the unit's class
        return ast.Ref("单位类别", span=self._span(meta))

    def points_ref(self, meta, children):
        return ast.PointsRef(span=self._span(meta))

    def yes(self, meta, children):
        return ast.BoolLit(True, span=self._span(meta))

    def no(self, meta, children):
        return ast.BoolLit(False, span=self._span(meta))

    def _binop(op):  # noqa: N805 - a factory used while the class body runs
        def build(self, meta, children):
            left, right = nodes_of(children, *EXPR)
            return ast.BinOp(op, left, right, span=self._span(meta))
        return build

    add = _binop("+")
    sub = _binop("-")
    mul = _binop("*")
    div = _binop("/")

    def neg(self, meta, children):
        return ast.Neg(first_of(children, *EXPR), span=self._span(meta))

    def abs_bars(self, meta, children):
        return ast.Call("abs", (first_of(children, *EXPR),), span=self._span(meta))

    def call(self, meta, children):
        func = _FUNC[str(tokens_of(children, "FUNC", "KW_PEER_FUNC", "KW_SERIES_FUNC")[0])]
        return ast.Call(func, tuple(nodes_of(children, *EXPR)), span=self._span(meta))

    def convert(self, meta, children):
        unit = str(tokens_of(children, "NAME")[-1])
        return ast.Call("convert", tuple(nodes_of(children, *EXPR)), unit=unit, span=self._span(meta))

    def atom(self, meta, children):  # parenthesised expression
        return first_of(children, *EXPR)

    # -- conditions

    def chain(self, meta, children):
        operands = tuple(nodes_of(children, *EXPR))
        ops = tuple(CMP[str(t)] for t in tokens_of(children, "CMP"))
        return ast.Compare(operands, ops, span=self._span(meta))

    def implied(self, meta, children):
        subject = ast.Subject(span=self._span(meta))
        return ast.Compare((subject, first_of(children, *EXPR)), (CMP[str(children[0])],), span=self._span(meta))

    def truth(self, meta, children):
        written = first_of(children, *EXPR)
        run_in = unit_run_into_end(written)
        if run_in is not None:  # `90 人以上`: the lexer read 人以上 as one word, the unit
            return open_end(*run_in, self._span(meta))
        return ast.Compare((written,), (), span=self._span(meta))

    def range(self, meta, children):
        low, high, _, _ = self._low_first(meta, *nodes_of(children, *EXPR), True, True)
        return ast.Range(low, high, span=self._span(meta))

    def marked_range(self, meta, children):
        """`80%（含）～90%`: the band's two ends, each held only where marked （含）."""
        ends, marks = [], []
        for child in children:
            if isinstance(child, Token) and child.type == "INCLUDED":
                marks[-1] = True
            elif isinstance(child, EXPR):
                ends.append(child)
                marks.append(False)
        return self._marked(meta, ends[0], ends[1], marks[0], marks[1])

    def marked_difference(self, meta, children):
        """`60%-80%（含）`: the tables' hyphen between the ends reads as a minus until the （含） after it."""
        written = first_of(children, *EXPR)
        if not (isinstance(written, ast.BinOp) and written.op == "-"):
            raise ShapeError(Diagnostic(
                "E101", "“（含）”标在范围的一端，这里前后没有范围。", self._span(meta),
                hint="写成 80%（含）～90%、90%（含）以上 或 80%（含）以下。"))
        return self._marked(meta, written.left, written.right, False, True)

    def _marked(self, meta, low, high, low_in: bool, high_in: bool) -> ast.Compare:
        return marked_range(*self._low_first(meta, low, high, low_in, high_in), self._span(meta))

    def _low_first(self, meta, low, high, low_in: bool, high_in: bool):
        """A range's ends low first: `100%～80%（含）` is `80%（含）～100%`, each mark kept beside its number."""
        return low_first(low, high, low_in, high_in, self._span(meta))

    def open_end(self, meta, children):
        """`90%（含）以上`, `80%以下`, `90%及以上`: one end of the band, held when marked （含） or written 及; held too
        when not marked, until the rule's bands are read together (`yield_marked_ends`)."""
        end = first_of(children, *EXPR)
        above = bool(tokens_of(children, "KW_ABOVE", "KW_AND_ABOVE"))
        how = "and" if tokens_of(children, "KW_AND_ABOVE", "KW_AND_BELOW") else \
            "marked" if tokens_of(children, "INCLUDED") else ""
        return open_end(end, above, how, self._span(meta))

    def otherwise(self, meta, children):
        return ast.Otherwise(span=self._span(meta))

    def and_cond(self, meta, children):
        return ast.BoolOp("and", tuple(nodes_of(children, *COND)), span=self._span(meta))

    def or_cond(self, meta, children):
        return ast.BoolOp("or", tuple(nodes_of(children, *COND)), span=self._span(meta))

    # -- declarations

    def input_decl(self, meta, children):
        name = str(children[0])
        kind = first_of(children, _Kind)
        decl = ast.Input(name, kind.kind, kind.unit, kind.low, kind.high, kind.options, kind.signed,
                         bool(tokens_of(children, "KW_FILL_MEAN")), span=self._span(meta),
                         optional=bool(tokens_of(children, "KW_OPTIONAL")))
        series = first_of(children, _SeriesLabels)
        if series is None:
            return decl
        # a sub-project's figure left blank is a sub-project the unit does not have: 0, as a JSON list too short
        blank_zero = series.word == "sub" and decl.kind in ("rate", "money", "count", "number", "findings")
        return _SeriesMembers(tuple(
            attrs.evolve(decl, name=f"{name}{label}", blank_zero=blank_zero,
                         series=ast.Series(name, series.word, series.first, series.last, label))
            for label in self._labels(series, name, decl.span)))

    def _labels(self, series, name: str, span) -> range:
        """The labels of a series' members; an empty or oversized range is E462 and declares none."""
        what = "年度" if series.word == "year" else "子项目"
        if series.last < series.first or series.last - series.first >= MAX_SERIES:
            self.diagnostics.append(Diagnostic(
                "E462", f"“{name}”的{what}范围 {series.first}～{series.last} 不对：应从小到大，至多 {MAX_SERIES} 个。", span,
                hint="例如 年度 2022～2024，或 子项目 1～5。"))
            return range(0)
        return range(series.first, series.last + 1)

    def series(self, meta, children):
        word = "year" if str(children[0]) in ("年度", "by-year") else "sub"
        first, last = (int(str(t)) for t in tokens_of(children, "INT"))
        return _SeriesLabels(word, first, last)

    def inputs(self, meta, children):
        found = []
        for child in children:
            if isinstance(child, ast.Input):
                found.append(child)
            elif isinstance(child, _SeriesMembers):
                found.extend(child.members)
        return Inputs(tuple(found))

    def domain(self, meta, children):
        return tuple(nodes_of(children, *EXPR))

    def _kind(self, kind: str, children, unit: str | None = None, options=()) -> "_Kind":
        domain = first_of(children, tuple)
        low, high = _literal_bounds(domain) if domain else (None, None)
        if domain and (low is None or high is None):
            span = next((e.span for e in domain if not isinstance(e, ast.Num)), domain[0].span)
            self.diagnostics.append(Diagnostic("E101", "输入的范围两端必须是数字。", span,
                                               hint="例如 比率 范围 0%～200%，或 金额 万元 范围 0～1000。"))
        return _Kind(kind, unit, low, high, tuple(options), bool(tokens_of(children, "KW_SIGNED")))

    def kind_rate(self, meta, children):
        return self._kind("rate", children)

    def kind_money(self, meta, children):
        return self._kind("money", children, unit=str(tokens_of(children, "NAME")[0]))

    def kind_count(self, meta, children):
        return self._kind("count", children, unit=str(tokens_of(children, "NAME")[0]))

    def kind_number(self, meta, children):
        return self._kind("number", children)

    def kind_bool(self, meta, children):
        return self._kind("bool", children)

    def kind_findings(self, meta, children):
        return self._kind("findings", children)

    def kind_choice(self, meta, children):
        return self._kind("choice", children, options=[w for w in children if isinstance(w, str) and not isinstance(w, Token)])

    def option_word(self, meta, children):
        return unquote(children[0])

    def derived(self, meta, children):
        return ast.Derived(str(children[0]), first_of(children, *EXPR), span=self._span(meta))

    def questionnaire(self, meta, children):
        options = first_of(children, _QOptions)
        questions = tuple(q for q in children if isinstance(q, _QQuestion))
        return ast.Questionnaire(str(children[1]), options.options if options else (),
                                 tuple(q.text for q in questions), span=self._span(meta))

    def q_options(self, meta, children):
        return _QOptions(tuple(nodes_of(children, tuple)))

    def q_option(self, meta, children):
        return (str(children[0]), first_of(children, Decimal))

    def q_question(self, meta, children):
        return _QQuestion(str(tokens_of(children, "TEXT")[0]).strip())


def _literal_bounds(domain):
    """A declared range as two numbers (a negated number counts); any other end becomes None."""
    return tuple(d if isinstance(d, ast.Num) else _negated_num(d) for d in domain)


def _negated_num(expr):
    if isinstance(expr, ast.Neg) and isinstance(expr.operand, ast.Num):
        n = expr.operand
        return ast.Num(-n.value, n.percent, n.unit, span=expr.span)
    return None


def carrier(cls):
    """A light positional record for values passed between transformer methods.

    Built without generated code, unlike attrs classes: twenty of these would cost ~20 ms at import.
    """
    fields = tuple(cls.__annotations__)

    def __init__(self, *values):
        for name, value in zip(fields, values):
            setattr(self, name, value)

    return type(cls.__name__, (), {"__slots__": fields, "__init__": __init__, "__doc__": cls.__doc__})


# Intermediate values that only live while the transformer runs (shared with parse_rules, parse_spec).
@carrier
class Name:
    text: str
    span: Span


@carrier
class Points:
    value: Decimal
    span: Span
    weight: bool  # （30%）: the value is a percent of the parent's points (unset: points)


@carrier
class _Kind:
    kind: str
    unit: str | None
    low: Any
    high: Any
    options: tuple
    signed: bool


@carrier
class _SeriesLabels:
    word: str  # 'year' or 'sub'
    first: int
    last: int


@carrier
class _SeriesMembers:
    members: tuple


@carrier
class Inputs:
    inputs: tuple


@carrier
class _QOptions:
    options: tuple


@carrier
class _QQuestion:
    text: str
