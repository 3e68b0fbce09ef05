"""Parse spec text into the frozen AST, reporting syntax errors as diagnostics."""

from __future__ import annotations

import difflib
import functools
import os
import re
from decimal import Decimal
from typing import Any

from lark import Lark, Token, Tree
from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken, VisitError
from lark.indenter import DedentError, Indenter

from idsl.frontend import ast
from idsl.diagnostics import Diagnostic
from idsl.frontend.grammar import GRAMMAR_PATH
from idsl.frontend.source import LineIndex, Source, Span, display_column, span_from_offsets


class _IdslIndenter(Indenter):
    """Turns leading whitespace into _INDENT/_DEDENT; newlines inside （…） do not count."""

    NL_type = "_NL"
    OPEN_PAREN_types = ["LPAR"]
    CLOSE_PAREN_types = ["RPAR"]
    INDENT_type = "_INDENT"
    DEDENT_type = "_DEDENT"
    tab_len = 4


@functools.lru_cache(maxsize=1)
def lark_parser() -> Lark:
    """The LALR parser, built once per process (Lark also caches the tables on disk)."""
    return Lark.open(
        str(GRAMMAR_PATH),
        parser="lalr",
        postlex=_IdslIndenter(),
        propagate_positions=True,
        maybe_placeholders=False,
        cache=True,
    )


def parse(source: Source) -> tuple[ast.Spec | None, list[Diagnostic]]:
    """Parse one source file: the AST (None on a syntax error) and any diagnostics.

    >>> spec, diags = parse(Source("t.idsl", '体系 "示例" 总分 10\\n决策（10）\\n  目标设定（10）\\n    酌情\\n'))
    >>> spec.indicators[0].children[0].name, diags
    ('目标设定', [])
    """
    text = source.text if source.text.endswith("\n") else source.text + "\n"
    wide_indent = _full_width_indentation(source)
    if wide_indent is not None:
        return None, [wide_indent]
    try:
        tree = lark_parser().parse(text)
    except UnexpectedInput as error:
        return None, [_syntax_diagnostic(source, text, error)]
    except DedentError as error:
        return None, [_dedent_diagnostic(source, text, error)]
    builder = _AstBuilder(source)
    try:
        spec = builder.transform(tree)
    except VisitError as error:  # a malformed literal the grammar let through
        if isinstance(error.orig_exc, _ShapeError):
            return None, [error.orig_exc.diagnostic]
        raise
    return spec, builder.diagnostics


# ---------------------------------------------------------------- the tree → AST transformer


class _ShapeError(Exception):
    """A construct that parsed but cannot become an AST node."""

    def __init__(self, diagnostic: Diagnostic):
        super().__init__(diagnostic.message)
        self.diagnostic = diagnostic


_CMP = {"≥": ">=", "⩾": ">=", ">=": ">=", "≤": "<=", "⩽": "<=", "<=": "<=", ">": ">", "＞": ">",
        "<": "<", "＜": "<", "=": "=", "＝": "=", "==": "=", "!=": "!=", "≠": "!="}
_FUNC = {"绝对值": "abs", "abs": "abs", "最小值": "min", "min": "min", "最大值": "max", "max": "max",
         "四舍五入": "round", "round": "round"}
_ROUNDING = {"四舍五入取整": "half_up", "四舍五入": "half_up", "half-up": "half_up",
             "向下取整": "floor", "floor": "floor", "向上取整": "ceil", "ceil": "ceil"}
_ITEM_POINTS = re.compile(r"\s*[(（]\s*(\d+(?:\.\d+)?)\s*(?:分|pts?)\s*[)）]\s*$")


def _tokens(children, *types: str) -> list[Token]:
    return [c for c in children if isinstance(c, Token) and c.type in types]


def _nodes(children, *classes) -> list:
    return [c for c in children if isinstance(c, classes)]


def _first(children, *classes):
    found = _nodes(children, *classes)
    return found[0] if found else None


def _text(children) -> str | None:
    """The first plain string among children (tokens are strings too, so they are skipped)."""
    return next((c for c in children if isinstance(c, str) and not isinstance(c, Token)), None)


def _unquote(token: Token) -> str:
    text = str(token)
    if token.type == "STRING":
        # A quoted text may run over several lines; the indentation of continuation lines is layout.
        return "".join(line.strip() for line in text[1:-1].split("\n"))
    return text.strip()


class _AstBuilder:
    """Builds AST nodes bottom-up; every node gets its span from Lark's positions.

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
        while end > meta.start_pos and self.source.text[end - 1:end].isspace():
            end -= 1  # a line's trailing newline and comment are not part of the construct
        return self.lines.span(meta.start_pos, end)

    def _token_span(self, token: Token) -> Span:
        return self.lines.span(token.start_pos, token.end_pos)

    # -- small pieces

    def number(self, meta, children):
        return Decimal(str(children[0]))

    def signed_number(self, meta, children):
        value = _first(children, Decimal)
        return -value if _tokens(children, "MINUS") else value

    def name(self, meta, children):
        return _Name(_unquote(children[0]), self._span(meta))

    def text(self, meta, children):
        return _unquote(children[0]).lstrip(":：").strip()

    def points(self, meta, children):
        return _Points(_first(children, Decimal), self._span(meta))

    def quantity(self, meta, children):
        unit = _tokens(children, "NAME")
        return ast.Num(_first(children, Decimal), bool(_tokens(children, "PERCENT")),
                       str(unit[0]) if unit else None, span=self._span(meta))

    quantity_value = quantity

    def step(self, meta, children):
        return self.quantity(meta, children)

    # -- expressions

    def ref(self, meta, children):
        return ast.Ref(str(children[0]), span=self._span(meta))

    def points_ref(self, meta, children):
        return ast.PointsRef(span=self._span(meta))

    def yes(self, meta, children):
        return ast.BoolLit(True, span=self._span(meta))

    def no(self, meta, children):
        return ast.BoolLit(False, span=self._span(meta))

    def _binop(op):  # noqa: N805 - a factory used while the class body runs
        def build(self, meta, children):
            left, right = _nodes(children, *_EXPR)
            return ast.BinOp(op, left, right, span=self._span(meta))
        return build

    add = _binop("+")
    sub = _binop("-")
    mul = _binop("*")
    div = _binop("/")

    def neg(self, meta, children):
        return ast.Neg(_first(children, *_EXPR), span=self._span(meta))

    def abs_bars(self, meta, children):
        return ast.Call("abs", (_first(children, *_EXPR),), span=self._span(meta))

    def call(self, meta, children):
        func = _FUNC[str(_tokens(children, "FUNC")[0])]
        return ast.Call(func, tuple(_nodes(children, *_EXPR)), span=self._span(meta))

    def convert(self, meta, children):
        unit = str(_tokens(children, "NAME")[-1])
        return ast.Call("convert", tuple(_nodes(children, *_EXPR)), unit=unit, span=self._span(meta))

    def atom(self, meta, children):  # parenthesised expression
        return _first(children, *_EXPR)

    # -- conditions

    def chain(self, meta, children):
        operands = tuple(_nodes(children, *_EXPR))
        ops = tuple(_CMP[str(t)] for t in _tokens(children, "CMP"))
        return ast.Compare(operands, ops, span=self._span(meta))

    def implied(self, meta, children):
        subject = ast.Subject(span=self._span(meta))
        return ast.Compare((subject, _first(children, *_EXPR)), (_CMP[str(children[0])],), span=self._span(meta))

    def truth(self, meta, children):
        return ast.Compare((_first(children, *_EXPR),), (), span=self._span(meta))

    def range(self, meta, children):
        low, high = _nodes(children, *_EXPR)
        return ast.Range(low, high, span=self._span(meta))

    def otherwise(self, meta, children):
        return ast.Otherwise(span=self._span(meta))

    def and_cond(self, meta, children):
        return ast.BoolOp("and", tuple(_nodes(children, *_COND)), span=self._span(meta))

    def or_cond(self, meta, children):
        return ast.BoolOp("or", tuple(_nodes(children, *_COND)), span=self._span(meta))

    # -- declarations

    def input_decl(self, meta, children):
        name = str(children[0])
        kind = _first(children, _Kind)
        return ast.Input(name, kind.kind, kind.unit, kind.low, kind.high, kind.options, kind.signed,
                         span=self._span(meta))

    def inputs(self, meta, children):
        return _Inputs(tuple(_nodes(children, ast.Input)))

    def domain(self, meta, children):
        return tuple(_nodes(children, *_EXPR))

    def _kind(self, kind: str, children, unit: str | None = None, options=()) -> "_Kind":
        domain = _first(children, tuple)
        low, high = _literal_bounds(domain) if domain else (None, None)
        if domain and (low is None or high is None):
            span = next((e.span for e in domain if not isinstance(e, ast.Num)), domain[0].span)
            self.diagnostics.append(Diagnostic("E101", "输入的范围两端必须是数字。", span,
                                               hint="例如 比率 范围 0%～200%，或 金额 万元 范围 0～1000。"))
        return _Kind(kind, unit, low, high, tuple(options), bool(_tokens(children, "KW_SIGNED")))

    def kind_rate(self, meta, children):
        return self._kind("rate", children)

    def kind_money(self, meta, children):
        return self._kind("money", children, unit=str(_tokens(children, "NAME")[0]))

    def kind_count(self, meta, children):
        return self._kind("count", children, unit=str(_tokens(children, "NAME")[0]))

    def kind_number(self, meta, children):
        return self._kind("number", children)

    def kind_bool(self, meta, children):
        return self._kind("bool", children)

    def kind_findings(self, meta, children):
        return self._kind("findings", children)

    def kind_choice(self, meta, children):
        return self._kind("choice", children, options=[w for w in children if isinstance(w, str) and not isinstance(w, Token)])

    def option_word(self, meta, children):
        return _unquote(children[0])

    def derived(self, meta, children):
        return ast.Derived(str(children[0]), _first(children, *_EXPR), span=self._span(meta))

    def questionnaire(self, meta, children):
        options = _first(children, _QOptions)
        questions = tuple(q for q in children if isinstance(q, _QQuestion))
        return ast.Questionnaire(str(children[1]), options.options if options else (),
                                 tuple(q.text for q in questions), span=self._span(meta))

    def q_options(self, meta, children):
        return _QOptions(tuple(_nodes(children, tuple)))

    def q_option(self, meta, children):
        return (str(children[0]), _first(children, Decimal))

    def q_question(self, meta, children):
        return _QQuestion(str(_tokens(children, "TEXT")[0]).strip())

    # -- rules

    def item(self, meta, children):
        text = str(_tokens(children, "TEXT")[0]).strip()
        found = _ITEM_POINTS.search(text)
        if found:
            return ast.ChecklistItem(text[: found.start()].rstrip(), Decimal(found.group(1)), span=self._span(meta))
        return ast.ChecklistItem(text, None, span=self._span(meta))

    def checklist(self, meta, children):
        each = _first(children, Decimal)
        return ast.Checklist(tuple(_nodes(children, ast.ChecklistItem)), each,
                             bool(_tokens(children, "KW_PARTIAL")), span=self._span(meta))

    def formula(self, meta, children):
        return ast.Formula(_first(children, *_EXPR), span=self._span(meta))

    def fixed_points(self, meta, children):
        return ast.Fixed(_first(children, Decimal), span=self._span(meta))

    def fixed_full(self, meta, children):
        return ast.Fixed(None, span=self._span(meta))

    def fixed_zero(self, meta, children):
        return ast.Fixed(Decimal(0), span=self._span(meta))

    def rounding(self, meta, children):
        return _Rounding(_ROUNDING[str(_tokens(children, "ROUNDING")[0])])

    def linear(self, meta, children):
        direction = "down" if _tokens(children, "KW_DOWN") else "up"
        numbers = _nodes(children, Decimal)
        rounding = _first(children, _Rounding)
        return ast.Linear(direction, _first(children, ast.Num), numbers[0],
                          rounding.mode if rounding else None, numbers[1] if len(numbers) > 1 else None,
                          span=self._span(meta))

    def outcome(self, meta, children):
        return children[0]

    def band(self, meta, children):
        return ast.Band(_first(children, *_COND), _first(children, ast.Fixed, ast.Linear), span=self._span(meta))

    def bands(self, meta, children):
        return ast.Bands(_first(children, *_EXPR), tuple(_nodes(children, ast.Band)), span=self._span(meta))

    def deviation(self, meta, children):
        subject, target = _nodes(children, *_EXPR)[:2]
        steps = _nodes(children, ast.Num)
        step = [s for s in steps if s is not subject and s is not target]
        numbers = _nodes(children, Decimal)
        rounding = _first(children, _Rounding)
        limit = step[1] if len(step) > 1 else None
        beyond = numbers[1] if len(numbers) > 1 and numbers[1] != 0 else None  # `超过 10% 得 N 分`
        return ast.Deviation(subject, target, step[0], numbers[0], rounding.mode if rounding else None,
                             limit, beyond_points=beyond, span=self._span(meta))

    def per_finding(self, meta, children):
        numbers = _nodes(children, Decimal)
        return ast.PerFinding(str(_tokens(children, "NAME")[0]), numbers[0],
                              numbers[1] if len(numbers) > 1 else None, span=self._span(meta))

    def choice_option(self, meta, children):
        return ast.ChoiceOption(str(_tokens(children, "LABEL")[0]).strip(), _first(children, Decimal),
                                span=self._span(meta))

    def choice(self, meta, children):
        return ast.Choice(str(_tokens(children, "NAME")[0]), tuple(_nodes(children, ast.ChoiceOption)),
                          span=self._span(meta))

    def discretionary(self, meta, children):
        numbers = _nodes(children, Decimal)
        low, high = (numbers[0], numbers[1]) if len(numbers) >= 2 else (None, None)
        return ast.Discretionary(low, high, span=self._span(meta))

    def target(self, meta, children):
        names = _tokens(children, "NAME")
        unit = str(names[1]) if len(names) > 1 else None
        target = ast.Num(_first(children, Decimal), bool(_tokens(children, "PERCENT")), unit, span=self._span(meta))
        return ast.Target(str(names[0]), _CMP[str(_tokens(children, "CMP")[0])], target,
                          bool(_tokens(children, "KW_ALL_OR_NOTHING")), span=self._span(meta))

    def part(self, meta, children):
        name = _first(children, _Name)
        points = _first(children, _Points)
        body = self._leaf_body(children, meta)
        return ast.Part(name.text, points.value, body, span=self._span(meta))

    def parts(self, meta, children):
        return ast.Parts(tuple(_nodes(children, ast.Part)), span=self._span(meta))

    def special(self, meta, children):
        if _tokens(children, "KW_FULL"):
            points = None
        elif _tokens(children, "KW_ZERO"):
            points = Decimal(0)
        else:
            points = _first(children, Decimal)
        return ast.Special(_first(children, *_COND), points, span=self._span(meta))

    # -- indicators

    def explain(self, meta, children):
        return _Explain(_text(children))

    def standard(self, meta, children):
        return _Standard(_text(children))

    def not_applicable(self, meta, children):
        return _NotApplicable("exclude" if _tokens(children, "KW_EXCLUDE") else "full")

    def _leaf_body(self, children, meta) -> ast.LeafBody | None:
        inputs = tuple(i for group in _nodes(children, _Inputs) for i in group.inputs)
        derived = tuple(_nodes(children, ast.Derived))
        questionnaires = tuple(_nodes(children, ast.Questionnaire))
        specials = tuple(_nodes(children, ast.Special))
        rules = _nodes(children, *_RULES)
        if not (inputs or derived or questionnaires or specials or rules):
            return None
        for extra in rules[1:]:
            self.diagnostics.append(Diagnostic(
                "E411", "一个指标只能有一条评分规则，这里出现了第二条。", extra.span,
                hint="把多余的规则删去；几部分之和请用“分项”。"))
        return ast.LeafBody(inputs, derived, questionnaires, specials, rules[0] if rules else None,
                            span=self._span(meta))

    def indicator(self, meta, children):
        name = _first(children, _Name)
        points = _first(children, _Points)
        explain = _first(children, _Explain)
        standard = _first(children, _Standard)
        not_applicable = _first(children, _NotApplicable)
        heading = Span(self.source.path, name.span.line, name.span.column,
                       points.span.end_line if points else name.span.end_line,
                       points.span.end_column if points else name.span.end_column)
        return ast.Indicator(
            name.text, points.value if points else None,
            explain.text if explain else None, standard.text if standard else None,
            not_applicable.mode if not_applicable else None,
            tuple(_nodes(children, ast.Indicator)), self._leaf_body(children, meta),
            span=heading, points_span=points.span if points else name.span)

    def adjustments(self, meta, children):
        keyword = children[0]
        kind = "bonus" if keyword.type == "KW_BONUS" else "penalty"
        name = _first(children, _Name)
        points = _first(children, _Points)
        return ast.Adjustments(kind, name.text if name else str(keyword),
                               abs(points.value) if points else None,
                               tuple(_nodes(children, ast.Indicator)), span=self._token_span(keyword))

    # -- header, layout, examples

    def system(self, meta, children):
        return _System(_first(children, _Name).text, _first(children, Decimal))

    def total_line(self, meta, children):
        return _System(None, _first(children, Decimal))

    def places(self, meta, children):
        return _Places(int(str(_tokens(children, "INT")[0])))

    def grade(self, meta, children):
        cond = _first(children, *_COND)
        return ast.GradeBand(_first(children, _Name).text, cond or ast.Otherwise(span=self._span(meta)),
                             span=self._span(meta))

    def grades(self, meta, children):
        return _Grades(tuple(_nodes(children, ast.GradeBand)))

    def import_(self, meta, children):
        return ast.Import(_unquote(_tokens(children, "STRING")[0]), span=self._span(meta))

    def layout_title(self, meta, children):
        return _LayoutTitle(_text(children))

    def column(self, meta, children):
        names = _nodes(children, _Name)
        kind_word = names[1].text if len(names) > 1 else names[0].text
        return ast.Column(COLUMN_KINDS.get(kind_word, kind_word), names[0].text, span=self._span(meta))

    def layout_columns(self, meta, children):
        return tuple(_nodes(children, ast.Column))

    def layout_rows(self, meta, children):
        return _LayoutRows(tuple(n.text for n in _nodes(children, _Name)))

    def layout(self, meta, children):
        title = _first(children, _LayoutTitle)
        rows = _first(children, _LayoutRows)
        columns = _first(children, tuple)
        return ast.Layout(title.text if title else None, columns or (), rows.rows if rows else (),
                          span=self._span(meta))

    def path(self, meta, children):
        return tuple(n.text for n in _nodes(children, _Name))

    def word(self, meta, children):
        return _unquote(children[0])

    def value_row(self, meta, children):
        return _Row(tuple(self._value_item(c) for c in children if not isinstance(c, Token)))

    def _value_item(self, item):
        if isinstance(item, ast.BoolLit):
            return item.value
        return item

    def value(self, meta, children):
        return ast.Value(tuple(r.items for r in _nodes(children, _Row)), span=self._span(meta))

    def example_set(self, meta, children):
        field = _tokens(children, "NAME")
        return ast.ExampleSet(_first(children, tuple), str(field[0]) if field else None,
                              _first(children, ast.Value), span=self._span(meta))

    def example_expect(self, meta, children):
        return ast.ExampleExpect(_first(children, tuple), _first(children, ast.Value), span=self._span(meta))

    def example(self, meta, children):
        return ast.Example(_first(children, _Name).text, tuple(_nodes(children, ast.ExampleSet)),
                           tuple(_nodes(children, ast.ExampleExpect)), span=self._span(meta))

    def start(self, meta, children):
        systems = _nodes(children, _System)
        title = next((s.title for s in systems if s.title is not None), None)
        total = next((s.total for s in systems if s.total is not None), None)
        places = _first(children, _Places)
        grades = tuple(g for group in _nodes(children, _Grades) for g in group.grades)
        inputs = tuple(i for group in _nodes(children, _Inputs) for i in group.inputs)
        return ast.Spec(
            title, total, places.places if places else None, grades,
            tuple(_nodes(children, ast.Import)), inputs, tuple(_nodes(children, ast.Derived)),
            tuple(_nodes(children, ast.Questionnaire)), tuple(_nodes(children, ast.Indicator)),
            tuple(_nodes(children, ast.Adjustments)), _first(children, ast.Layout),
            tuple(_nodes(children, ast.Example)), span=Span(self.source.path, 1, 1, 1, 1))


# The layout vocabulary lives in the AST module; the printer and the tests still import it from here.
COLUMN_KINDS, ROW_KINDS = ast.COLUMN_KINDS, ast.ROW_KINDS

_EXPR = (ast.Num, ast.Ref, ast.PointsRef, ast.BinOp, ast.Neg, ast.Call, ast.Subject, ast.BoolLit)
_COND = (ast.Compare, ast.Range, ast.BoolOp, ast.Otherwise)
_RULES = (ast.Checklist, ast.Formula, ast.Bands, ast.Deviation, ast.PerFinding, ast.Choice,
          ast.Discretionary, ast.Target, ast.Parts)


def _literal_bounds(domain):
    """A declared range as two numbers (a negated number counts); any other end becomes None."""
    return tuple(d if isinstance(d, ast.Num) else _negated_num(d) for d in domain)


def _negated_num(expr):
    if isinstance(expr, ast.Neg) and isinstance(expr.operand, ast.Num):
        n = expr.operand
        return ast.Num(-n.value, n.percent, n.unit, span=expr.span)
    return None


def _carrier(cls):
    """A light positional record for values passed between transformer methods.

    Built without generated code, unlike attrs classes: twenty of these would cost ~20 ms at import.
    """
    fields = tuple(cls.__annotations__)

    def __init__(self, *values):
        for name, value in zip(fields, values):
            setattr(self, name, value)

    return type(cls.__name__, (), {"__slots__": fields, "__init__": __init__, "__doc__": cls.__doc__})


# Intermediate values that only live while the transformer runs.
@_carrier
class _Name:
    text: str
    span: Span


@_carrier
class _Points:
    value: Decimal
    span: Span


@_carrier
class _Kind:
    kind: str
    unit: str | None
    low: Any
    high: Any
    options: tuple
    signed: bool


@_carrier
class _Inputs:
    inputs: tuple


@_carrier
class _QOptions:
    options: tuple


@_carrier
class _QQuestion:
    text: str


@_carrier
class _Rounding:
    mode: str


@_carrier
class _Explain:
    text: str


@_carrier
class _Standard:
    text: str


@_carrier
class _NotApplicable:
    mode: str


@_carrier
class _System:
    title: str | None
    total: Decimal | None


@_carrier
class _Places:
    places: int


@_carrier
class _Grades:
    grades: tuple


@_carrier
class _LayoutTitle:
    text: str


@_carrier
class _LayoutRows:
    rows: tuple


@_carrier
class _Row:
    items: tuple


# ---------------------------------------------------------------- syntax errors


# Keyword spellings offered as "did you mean" for a misspelled word at the start of a line.
KEYWORDS = (
    "体系", "选项", "比率", "金额", "数量", "数值", "是否", "问题数", "总分", "小数", "等级", "引用", "解释", "说明", "指标解释", "指标说明", "评分标准", "不适用", "输入",
    "要素", "得分", "分档", "偏离", "按项扣分", "选择", "酌情", "目标", "分项", "若", "问卷", "逆向指标", "扣分项",
    "加分项", "表格", "示例", "设", "期望", "system", "total", "places", "grades", "import", "explain",
    "standard", "input", "checklist", "score", "bands", "deviation", "per-finding", "choose",
    "discretionary", "target", "part", "if", "questionnaire", "penalties", "bonuses", "table", "example",
)

_TOKEN_WORDS = {
    "_NL": "行尾", "_INDENT": "缩进", "_DEDENT": "缩进结束", "LPAR": "（", "RPAR": "）", "NAME": "名称",
    "STRING": "引号文字", "NUMBER": "数字", "INT": "数字", "PERCENT": "%", "CMP": "比较符号", "EQ": "=",
    "_COLON": "：", "_SEP": "，", "_SEMI": "；", "FEN": "分", "TEXT": "文字", "LABEL": "选项文字",
    "DASH": "-", "RANGE": "～", "$END": "文件结尾", "BAR": "|", "DIV": "÷", "MINUS": "-", "PLUS": "+",
    "TIMES": "×", "DOT": ".", "PATHSEP": "›", "ROUNDING": "取整方式", "FUNC": "函数",
}


def _describe(token_type: str) -> str:
    if token_type.startswith("KW_"):
        return "关键字"
    return _TOKEN_WORDS.get(token_type, token_type)


def _syntax_diagnostic(source: Source, text: str, error: UnexpectedInput) -> Diagnostic:
    """Turn a Lark error into one diagnostic with a code, a span and a hint for the common mistakes."""
    offset = getattr(error, "pos_in_stream", None)
    token = getattr(error, "token", None)
    if isinstance(error, UnexpectedToken) and token is not None and token.start_pos is not None:
        offset = token.start_pos
        end = token.end_pos if token.end_pos and token.end_pos > offset else offset + 1
        if token.type == "_NL":
            # The line ends too early: point at the cell just past its last character.
            line, column = span_from_offsets(source, offset, offset).line, span_from_offsets(source, offset, offset).column
            return _unexpected_token(source, text, error, Span(source.path, line, column, line, column + 1))
        elif token.type in ("_INDENT", "_DEDENT"):
            # Layout tokens span the line break; point at where the next line's text starts.
            offset = _next_line_text(text, offset)
            end = offset + 1
    else:
        offset = offset or 0
        end = offset + 1
    span = span_from_offsets(source, offset, min(end, len(source.text)) if source.text else offset)
    if isinstance(error, UnexpectedCharacters):
        return _unexpected_character(source, text, offset, span)
    if isinstance(error, UnexpectedEOF):
        return Diagnostic("E103", "文件在一个块结束之前就结束了。", span, hint="检查最后一个块的缩进和括号是否完整。")
    return _unexpected_token(source, text, error, span)


def _next_line_text(text: str, offset: int) -> int:
    """Offset of the first non-blank character at or after `offset` (the line's content)."""
    while offset < len(text) and text[offset] in " \t\n":
        offset += 1
    return offset


def _unexpected_character(source: Source, text: str, offset: int, span: Span) -> Diagnostic:
    char = text[offset] if offset < len(text) else ""
    if char == '"':
        return Diagnostic("E105", "引号没有结束。", span, hint='给文字补上结尾的 "。')
    if char in "（(":
        return Diagnostic("E102", "这里不能出现括号。", span,
                          hint='名称里有括号时，请把整个名称加上引号，例如 "预算执行率（本级）"（3）。')
    return Diagnostic("E106", f"这里不能出现字符“{char}”。", span, hint="删去它，或把含有它的名称加上引号。")


def _unexpected_token(source: Source, text: str, error: UnexpectedToken, span: Span) -> Diagnostic:
    token = error.token
    expected = set(error.expected or ())
    line_text = source.line(span.line)
    wanted = "、".join(sorted({_describe(t) for t in expected}))
    hint = f"这里可以写：{wanted}。" if wanted else None
    opened = _unclosed_parenthesis(text, token.start_pos if token.start_pos is not None else len(text))
    if "RPAR" in expected and opened is not None:
        at = span_from_offsets(source, opened, opened + 1)
        return Diagnostic("E102", "括号没有闭合。", at, hint="补上“）”，例如 决策（15）。")
    if token.type == "_NL" and "LPAR" in expected and _is_bare_heading(line_text):
        return Diagnostic("E102", "指标缺少分值。", span, hint="在名称后写上分值，例如 年度绩效目标合理性（3）。")
    if token.type in ("_INDENT", "_DEDENT") or (token.type == "$END" and "_DEDENT" in expected):
        return Diagnostic("E103", "缩进不对：这一行既不属于上面的块，也没有开始新的块。", span,
                          hint="同一层的行要对齐；下一层比上一层多缩进两个空格。")
    if token.type == "NAME":
        suggestion = _suggest_keyword(str(token))
        if suggestion:
            return Diagnostic("E104", f"不认识的词“{token}”。", span, hint=f"是不是“{suggestion}”？")
    keyword_name = _keyword_used_as_name(source, span.line)
    if keyword_name:
        return keyword_name
    misspelled = _misspelled_line_start(source, span)
    if misspelled:
        return misspelled
    if _has_parenthesised_name(line_text):
        return Diagnostic("E102", "名称里有括号。", span,
                          hint=f'名称里有括号时，请把整个名称加上引号，例如 "{_heading_name(line_text)}"（3）。')
    if token.type in ("TEXT", "LABEL") and token.type not in expected:
        if str(token)[:1].isdigit() and "LPAR" in expected:
            return Diagnostic("E102", "分值要写在括号里。", span, hint="写成 名称（分值），例如 决策（15）。")
        if str(token)[:1].isdigit() and span.column == _indent_width(line_text) + 1:
            name = re.split(r"[（(]", line_text.strip())[0]
            return Diagnostic("E106", "名称不能以数字开头。", span, hint=f'请给名称加上引号："{name}"。')
        # The fallback lexer swallowed the rest of the line: the real culprit is its first character.
        width = 2 if ord(str(token)[0]) > 0x2E7F else 1
        first = Span(span.file, span.line, span.column, span.line, span.column + width)
        return Diagnostic("E106", f"这里不能出现“{str(token)[0]}”。", first, hint=hint)
    if token.type == "INT" and "LPAR" in expected:
        return Diagnostic("E102", "分值要写在括号里。", span, hint="写成 名称（分值），例如 决策（15）。")
    if token.type == "_NL":
        return Diagnostic("E101", "这一行还没有写完。", span, hint=hint)
    found = _describe(token.type) if token.type != "NAME" else f"“{token}”"
    return Diagnostic("E101", f"这里不应出现{found}。", span, hint=hint)


def _has_parenthesised_name(line_text: str) -> bool:
    """`预算执行率（本级）（3）`: a heading whose name itself holds parentheses."""
    return re.match(r'\s*[^\s"（()）]+[（(][^）)]*[）)]\s*[（(]', line_text) is not None


def _heading_name(line_text: str) -> str:
    return re.sub(r"\s*[（(][^（()）]*[）)]\s*$", "", line_text.strip())


def _indent_width(line_text: str) -> int:
    return len(line_text) - len(line_text.lstrip(" \t"))


def _unclosed_parenthesis(text: str, offset: int) -> int | None:
    """Where the last parenthesis still open at `offset` was opened (quoted text skipped), or None."""
    opened: list[int] = []
    quoted = False
    for index, char in enumerate(text[:offset]):
        if char == '"':
            quoted = not quoted
        elif quoted:
            continue
        elif char in "（(":
            opened.append(index)
        elif char in "）)" and opened:
            opened.pop()
    return opened[-1] if opened else None


def _is_bare_heading(line_text: str) -> bool:
    """A line holding only a name: an indicator heading whose points were forgotten."""
    return re.fullmatch(r'\s*(?:"[^"]*"|[^\s"（()）:：=]+)\s*', line_text) is not None


def _keyword_used_as_name(source: Source, line: int) -> Diagnostic | None:
    """A line such as `目标（5）`: an indicator named exactly like a keyword must be quoted."""
    text = source.line(line)
    stripped = text.lstrip(" \t")
    for keyword in KEYWORDS:
        if stripped.startswith(keyword) and stripped[len(keyword):len(keyword) + 1] in ("（", "("):
            start = len(text) - len(stripped)
            span = Span(source.path, line, display_column(text, start), line,
                        display_column(text, start + len(keyword)))
            return Diagnostic("E101", f"“{keyword}”是关键字，不能直接用作指标名称。", span,
                              hint=f'给名称加上引号："{keyword}"{stripped[len(keyword):]}')
    return None


def _misspelled_line_start(source: Source, error_span: Span) -> Diagnostic | None:
    """E104 when the parser stopped right after a line's first word and that word looks like a keyword.

    `分当 比率` stops at 比率: 分当 was read as an indicator name; it is most likely 分档 misspelled.
    """
    line = error_span.line
    text = source.line(line)
    stripped = text.lstrip(" \t")
    word = re.match(r"[^\s:：（(，,]+", stripped)
    if not word or word.group(0) in KEYWORDS:
        return None
    after = text[len(text) - len(stripped) + len(word.group(0)):]
    if after[:1] in ("（", "(") or display_column(text, len(text) - len(after.lstrip())) != error_span.column:
        return None
    close = _closest_keyword(word.group(0))
    if not close:
        return None
    start = len(text) - len(stripped)
    span = Span(source.path, line, display_column(text, start), line, display_column(text, start + len(word.group(0))))
    return Diagnostic("E104", f"不认识的词“{word.group(0)}”。", span, hint=f"是不是“{close}”？")


def _closest_keyword(word: str) -> str | None:
    """The most similar keyword; ties go to the one sharing the longer beginning (分当 → 分档)."""
    def score(keyword: str) -> tuple[float, int]:
        prefix = len(os.path.commonprefix([word, keyword]))
        return difflib.SequenceMatcher(None, word, keyword).ratio(), prefix
    best = max(KEYWORDS, key=score)
    ratio, prefix = score(best)
    # Two-character words share one character easily: demand the same first character then.
    return best if ratio >= 0.67 or (ratio >= 0.5 and prefix >= 1) else None


def _suggest_keyword(word: str) -> str | None:
    """The keyword a misspelled word most resembles (the whole word, or the keyword it starts with)."""
    for keyword in sorted(KEYWORDS, key=len, reverse=True):
        if word.startswith(keyword) and len(word) > len(keyword):
            return f"{keyword} {word[len(keyword):]}"
    return _closest_keyword(word)


def _full_width_indentation(source: Source) -> Diagnostic | None:
    """E103 for a line indented with full-width spaces (U+3000): they look like indentation but are not."""
    for number, line in enumerate(source.text.split("\n"), start=1):
        indent = line[: len(line) - len(line.lstrip(" \t\u3000"))]
        if "\u3000" in indent:
            span = Span(source.path, number, 1, number, display_column(line, len(indent)))
            return Diagnostic("E103", "这一行用全角空格缩进。", span, hint="缩进请用半角空格（每层两个）。")
    return None


def _dedent_diagnostic(source: Source, text: str, error: DedentError) -> Diagnostic:
    line = _misaligned_line(text)
    width = len(source.line(line)) - len(source.line(line).lstrip(" \t"))
    span = Span(source.path, line, 1, line, width + 1)
    return Diagnostic("E103", "这一行的缩进与上面任何一层都对不齐。", span,
                      hint="同一层的行要对齐；下一层比上一层多缩进两个空格。")


def _misaligned_line(text: str) -> int:
    """The first line whose indentation closes a block to a depth no open block has."""
    stack = [0]
    for number, line in enumerate(text.split("\n"), start=1):
        stripped = line.lstrip(" \t")
        if not stripped or stripped.startswith("#"):
            continue
        width = len(line.expandtabs(4)) - len(stripped)
        if width > stack[-1]:
            stack.append(width)
            continue
        while width < stack[-1]:
            stack.pop()
        if width != stack[-1]:
            return number
    return 1


__all__ = ["parse", "lark_parser", "KEYWORDS", "Tree"]
