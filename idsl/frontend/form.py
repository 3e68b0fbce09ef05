"""The 自评表 form's execution-rate leaf as an ordinary indicator: the funds block's figures become its names.

The form (财预〔2020〕10号 附1) puts 预算执行率 in its header, beside the funds; the tree scores it as
the first level-1 leaf, so points, checks, engines and examples treat it like any other leaf.
"""

from __future__ import annotations

import difflib
from decimal import Decimal

import attrs

from idsl.diagnostics import Diagnostic
from idsl.frontend import ast
from idsl.frontend.source import Span

DEFAULT_POINTS = Decimal(10)  # 附1: 分值 10 on 年度资金总额
RATE = "执行率"  # the derived rate every rule of the leaf may use
DEFAULT_EXPLANATION = "预算执行率 = 全年执行数 ÷ 全年预算数（项目资金中年度资金总额一行）。"


def plain_book_message(what: str) -> str:
    """W528 (idsl check) and `idsl template` alike: why a 自评表 spec's input workbook is the plain 输入 sheet."""
    return f"自评表（附1）的栏目容不下{what}：idsl template 为这个体系写出普通输入工作簿（“输入”表），不是自评表格式。"


PLAIN_BOOK_HINT = "评价人员在“输入”表里逐行填写，idsl score 照样读取；要自评表格式的工作簿，就不用问卷和扣分、加分项。"


def form_leaf(form: ast.Form) -> ast.Indicator | None:
    """The execution-rate leaf the tree scores: the leaf as written, with the total row's figures as names.

    A figure written in the spec is a named quantity, `待填` an input (金额 in the block's unit), `—` nothing;
    `执行率 = 全年执行数 / 全年预算数` unless the leaf names it itself.

    >>> from idsl.frontend.parse import parse
    >>> from idsl.frontend.source import Source
    >>> text = ('体系 "例" 总分 10\\n自评表\\n  项目资金（万元）\\n    年度资金总额：—、100、待填\\n'
    ...         '  预算执行率\\n    得分 = min(执行率, 100%) × 分值\\n')
    >>> leaf = parse(Source("t.idsl", text))[0].indicators[0]
    >>> leaf.points, [i.name for i in leaf.body.inputs], [d.name for d in leaf.body.derived]
    (Decimal('10'), ['全年执行数'], ['全年预算数', '执行率'])
    """
    written = form.leaf
    if written is None:
        return None
    body = written.body or ast.LeafBody(span=written.span)
    own = {i.name for i in body.inputs} | {d.name for d in body.derived}
    inputs, derived = [], []
    total = form.row(ast.FUNDS_ROWS[0])
    names = set()
    for column, cell in zip(ast.FUNDS_COLUMNS, total.cells if total is not None else ()):
        if column in own:
            continue
        if cell.fill:
            inputs.append(ast.Input(column, "money", form.unit, span=cell.span))
        elif cell.value is not None:
            derived.append(ast.Derived(column, ast.Num(cell.value, unit=form.unit, span=cell.span), span=cell.span))
        else:
            continue
        names.add(column)
    for row in (r for r in form.funds if r.row != ast.FUNDS_ROWS[0]):  # 其中 rows' 待填: inputs too
        inputs += [ast.Input(fund_input(row.row, column), "money", form.unit, span=cell.span)
                   for column, cell in zip(ast.FUNDS_COLUMNS, row.cells)
                   if cell.fill and fund_input(row.row, column) not in own]
    if RATE not in own and {"全年预算数", "全年执行数"} <= names | own:
        rate = ast.BinOp("/", ast.Ref("全年执行数", span=total.span), ast.Ref("全年预算数", span=total.span),
                         span=total.span)
        derived.append(ast.Derived(RATE, rate, span=total.span))
    body = attrs.evolve(body, inputs=tuple(inputs) + body.inputs, derived=tuple(derived) + body.derived)
    return attrs.evolve(written, points=written.points if written.points is not None else DEFAULT_POINTS,
                        explanation=written.explanation or DEFAULT_EXPLANATION, body=body)


def fund_input(row: str, column: str) -> str:
    """The input a `待填` figure is given as: the column on 年度资金总额, row and column on a 其中 row.

    >>> fund_input("年度资金总额", "全年执行数"), fund_input("当年财政拨款", "全年执行数")
    ('全年执行数', '当年财政拨款全年执行数')
    """
    return column if row == ast.FUNDS_ROWS[0] else row + column


@attrs.frozen
class FundsSum:
    """One column whose 其中 rows the evaluator gives (待填): at scoring, the parts must add up to the total.

    Each term is a figure of the spec (Decimal) or the name of the execution-rate leaf's input that gives it;
    a blank part (—) counts as 0 and is left out.
    """

    column: str  # 年初预算数, 全年预算数 or 全年执行数
    total: Decimal | str
    parts: tuple[tuple[str, Decimal | str], ...]  # (row, term)
    style: str | None = None  # the form's 表式: the rows the hint names (衔接资金: 本年财政拨款 + 其他资金)

    @property
    def blamed(self) -> str:
        """The input an error names: the first part the evaluator gives."""
        return next(term for _row, term in self.parts if isinstance(term, str))

    def message(self) -> tuple[str, str]:
        """The error and its hint, worded once for both engines."""
        rows = " + ".join(row_label(self.style, row) for row, _term in self.parts)
        every = " + ".join(row_label(self.style, row) for row in STYLE_ROWS[self.style or ast.STYLE_ANNEX][1:])
        return (f"其中各项之和（{rows}）与年度资金总额的{self.column}不等。",
                f"年度资金总额的{self.column} = {every}；核对这几个数（— 按 0 计）。")


def funds_sums(form: ast.Form | None) -> tuple[FundsSum, ...]:
    """The columns where a 其中 row is `待填` and the total is written or `待填` (the checker reports the rest).

    >>> from idsl.frontend.parse import parse
    >>> from idsl.frontend.source import Source
    >>> text = ('体系 "例" 总分 10\\n自评表\\n  项目资金（万元）\\n    年度资金总额：—、100、待填\\n'
    ...         '    其中：当年财政拨款：—、80、待填\\n    上年结转资金：—、20、5\\n'
    ...         '  预算执行率\\n    得分 = min(执行率, 100%) × 分值\\n')
    >>> [(s.column, s.total, s.parts) for s in funds_sums(parse(Source("t.idsl", text))[0].form)]
    [('全年执行数', '全年执行数', (('当年财政拨款', '当年财政拨款全年执行数'), ('上年结转资金', Decimal('5'))))]
    """
    total = form.row(ast.FUNDS_ROWS[0]) if form is not None else None
    if total is None:
        return ()
    parts = [r for r in form.funds if r.row != ast.FUNDS_ROWS[0]]
    sums = []
    for index, column in enumerate(ast.FUNDS_COLUMNS):
        whole = _term(ast.FUNDS_ROWS[0], column, total.cells[index])
        terms = tuple((r.row, _term(r.row, column, r.cells[index])) for r in parts)
        terms = tuple((row, term) for row, term in terms if term is not None)
        if whole is not None and any(isinstance(term, str) for _row, term in terms):
            sums.append(FundsSum(column, whole, terms, form.style))
    return tuple(sums)


def _term(row: str, column: str, cell: ast.FundsCell) -> Decimal | str | None:
    return fund_input(row, column) if cell.fill else cell.value


def synthesized(form: ast.Form | None, name: str) -> bool:
    """Whether a name of the execution-rate leaf comes from the funds block (not declared by the author)."""
    if form is None or form.leaf is None:
        return False
    body = form.leaf.body
    own = set() if body is None else {i.name for i in body.inputs} | {d.name for d in body.derived}
    made = {fund_input(row.row, column) for row in form.funds for column, cell in zip(ast.FUNDS_COLUMNS, row.cells)
            if cell.fill}
    return name not in own and name in (*ast.FUNDS_COLUMNS, RATE, *made)


STYLES_HINT = ("表式可写：附1（财预〔2020〕10号 附1，不写即是）、衔接资金（财政衔接推进乡村振兴补助资金项目的绩效目标自评表："
               "分值在年度指标值之前，没有年初预算数一栏和上年结转资金一行）。")
# The columns of figures each 表式 prints, of ast.FUNDS_COLUMNS, and the rows it has, of ast.FUNDS_ROWS.
STYLE_COLUMNS = {ast.STYLE_ANNEX: ast.FUNDS_COLUMNS, ast.STYLE_XIANJIE: ast.FUNDS_COLUMNS[1:]}
STYLE_ROWS = {ast.STYLE_ANNEX: ast.FUNDS_ROWS, ast.STYLE_XIANJIE: tuple(r for r in ast.FUNDS_ROWS if r != "上年结转资金")}
# A row as a 表式 prints it: the 衔接资金 postings say 本年财政拨款 (the same row; the spec may write either).
_ROW_LABELS = {ast.STYLE_XIANJIE: {"当年财政拨款": "本年财政拨款"}}


def row_label(style: str | None, row: str) -> str:
    """The name of a funds row on a form of that 表式.

    >>> row_label("衔接资金", "当年财政拨款"), row_label(None, "当年财政拨款")
    ('本年财政拨款', '当年财政拨款')
    """
    return _ROW_LABELS.get(style or ast.STYLE_ANNEX, {}).get(row, row)


def form_style(written: list[tuple[str, Span]], diagnostics: list[Diagnostic]) -> str | None:
    """The 表式 a form is written in (None: 附1 by default); an unknown one, or one written twice, is E431.

    >>> found = []
    >>> form_style([("衔接", Span("t.idsl", 3, 3, 3, 8))], found), found[0].code, found[0].hint[:12]
    (None, 'E431', '是不是“衔接资金”？表式')
    """
    for text, span in written[1:]:
        diagnostics.append(Diagnostic("E431", "自评表里写了两次表式。", span, hint="只留一行表式。"))
    if not written:
        return None
    text, span = written[0]
    if text in ast.FORM_STYLES:
        return text
    close = _close_style(text)
    diagnostics.append(Diagnostic("E431", f"不认识的表式“{text}”。", span,
                                  hint=(f"是不是“{close}”？" if close else "") + STYLES_HINT))
    return None


def _close_style(text: str) -> str | None:
    """The 表式 a misspelt one most likely means: the closest spelling, or the one its words name."""
    close = difflib.get_close_matches(text, ast.FORM_STYLES, n=1, cutoff=0.5)
    if close:
        return close[0]
    if any(word in text for word in ("衔接", "乡村振兴", "巩固")):
        return ast.STYLE_XIANJIE
    return ast.STYLE_ANNEX if any(word in text for word in ("附", "10号", "项目支出")) else None


def fit_funds(rows: tuple[ast.FundsRow, ...], style: str | None, known: bool,
              diagnostics: list[Diagnostic]) -> tuple[ast.FundsRow, ...]:
    """The funds rows with their figures in ast.FUNDS_COLUMNS order (a column the 表式 has not is blank, —); a row
    with another number of figures than the 表式 has columns, or one it has no row for, is E431 (not checked
    when the 表式 written is unknown)."""
    name = style or ast.STYLE_ANNEX
    columns = STYLE_COLUMNS[name]
    fitted = []
    for row in rows:
        if known and len(row.cells) != len(columns):
            diagnostics.append(_count_problem(row, name, columns))
        if known and row.row not in STYLE_ROWS[name]:
            diagnostics.append(Diagnostic(
                "E431", f"{name}表式的资金块没有“{row.row}”一行。", row.span,
                hint=f"删去这一行（这种表只有 {'、'.join(row_label(name, r) for r in STYLE_ROWS[name])} 几行），或不写 表式 {name}，按附1 印出。"))
        # the figures written are the 表式's last columns (the 年初预算数 a variant has not is blank)
        cells = tuple(row.cells[-len(ast.FUNDS_COLUMNS):])
        fitted.append(attrs.evolve(row, cells=(ast.FundsCell(),) * (len(ast.FUNDS_COLUMNS) - len(cells)) + cells))
    return tuple(fitted)


def _count_problem(row: ast.FundsRow, style: str, columns: tuple[str, ...]) -> Diagnostic:
    if style == ast.STYLE_XIANJIE:
        hint = f"衔接资金的表没有年初预算数一栏：依次写 全年预算数、全年执行数，如 {row.row}：20、20。"
    else:
        hint = (f"附1 的资金块依次写 年初预算数、全年预算数、全年执行数，没有的写 —，如 {row.row}：—、20、20；"
                "表上没有年初预算数一栏的衔接资金表，在自评表下写 表式 衔接资金。")
    return Diagnostic("E431", f"“{row.row}”写了 {len(row.cells)} 个数，{style}表式的资金块每行 {len(columns)} 个数"
                              f"（{'、'.join(columns)}）。", row.span, hint=hint)


__all__ = ["DEFAULT_POINTS", "RATE", "FundsSum", "STYLE_COLUMNS", "STYLE_ROWS", "fit_funds", "row_label",
           "form_leaf", "form_style", "fund_input", "funds_sums", "synthesized"]
