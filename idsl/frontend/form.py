"""The 自评表 form's execution-rate leaf as an ordinary indicator: the funds block's figures become its names.

The form (财预〔2020〕10号 附1) puts 预算执行率 in its header, beside the funds; the tree scores it as
the first level-1 leaf, so points, checks, engines and examples treat it like any other leaf.
"""

from __future__ import annotations

from decimal import Decimal

import attrs

from idsl.frontend import ast

DEFAULT_POINTS = Decimal(10)  # 附1: 分值 10 on 年度资金总额
RATE = "执行率"  # the derived rate every rule of the leaf may use
DEFAULT_EXPLANATION = "预算执行率 = 全年执行数 ÷ 全年预算数（项目资金中年度资金总额一行）。"


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
    if RATE not in own and {"全年预算数", "全年执行数"} <= names | own:
        rate = ast.BinOp("/", ast.Ref("全年执行数", span=total.span), ast.Ref("全年预算数", span=total.span),
                         span=total.span)
        derived.append(ast.Derived(RATE, rate, span=total.span))
    body = attrs.evolve(body, inputs=tuple(inputs) + body.inputs, derived=tuple(derived) + body.derived)
    return attrs.evolve(written, points=written.points if written.points is not None else DEFAULT_POINTS,
                        explanation=written.explanation or DEFAULT_EXPLANATION, body=body)


def synthesized(form: ast.Form | None, name: str) -> bool:
    """Whether a name of the execution-rate leaf comes from the funds block (not declared by the author)."""
    if form is None or form.leaf is None:
        return False
    body = form.leaf.body
    own = set() if body is None else {i.name for i in body.inputs} | {d.name for d in body.derived}
    return name not in own and name in (*ast.FUNDS_COLUMNS, RATE)


__all__ = ["DEFAULT_POINTS", "RATE", "form_leaf", "synthesized"]
