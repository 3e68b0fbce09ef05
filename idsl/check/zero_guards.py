"""W529: special cases that handle a denominator's 0 only in part, so some units with it at 0 cannot be scored."""

from __future__ import annotations

from fractions import Fraction
from typing import Iterator

from idsl.check.bounds import zero_divisions
from idsl.check.context import Context
from idsl.check.env import input_inferred
from idsl.check.notation import format_interval
from idsl.diagnostics import Diagnostic
from idsl.frontend import ast
from idsl.semantics import ir


def check_zero_guards(context: Context) -> Iterator[Diagnostic]:
    """W529: a field the rule divides by is compared with 0 (the author thought of it), yet with it at 0 some
    case still divides by it: 上年度为0的，本年度继续为0的，得3分 says nothing of 上年 0 and 本年 above 0."""
    for leaf in context.leaves:
        yield from context.remembered("zero_guards", leaf, lambda: tuple(_leaf_zero_guards(leaf, context)))


def _leaf_zero_guards(leaf, context: Context) -> Iterator[Diagnostic]:
    if leaf.body is None or leaf.body.rule is None or context.has_errors(leaf):
        return
    exact = context.lowered(leaf).exact
    reported: set[ir.Div] = set()  # one warning per division, at the first of its fields thought of
    for field in _compared_with_zero(exact):
        for division, env in zero_divisions(exact, field):
            if division not in reported and field in ir.fields(division.right):
                reported.add(division)
                yield _partly_guarded(leaf, field, division, _where(leaf, field, env))


def _compared_with_zero(expr) -> list[ir.Field]:
    """The input fields a condition of the rule compares with 0 (若 上年度 = 0 且 …), each once."""
    found: dict[ir.Field, None] = {}
    for node in ir.walk(expr):
        if isinstance(node, ir.Compare):
            for side, other in ((node.left, node.right), (node.right, node.left)):
                field = _field_of(side)
                if field is not None and field.role == "input" and _is_zero(other):
                    found.setdefault(field)
    return list(found)


def _field_of(expr) -> ir.Field | None:
    while isinstance(expr, ir.Named):
        expr = expr.value
    return expr if isinstance(expr, ir.Field) else None


def _is_zero(expr) -> bool:
    return isinstance(expr, ir.Const) and expr.value == Fraction(0)


def _where(leaf, at_zero: ir.Field, env) -> list[str]:
    """What the conditions before the division say of the other inputs (当年末存量资金规模 > 0), in the spec's
    notation; an input still free over its whole declared domain says nothing."""
    said = []
    for key, domain in env.items.items():
        field = key[1] if key[0] == "field" else None
        symbol = leaf.scope.get(field.declared or field.name) if field is not None and field != at_zero else None
        if symbol is None or symbol.kind != "input" or len(getattr(domain, "parts", ())) != 1:
            continue
        declared = input_inferred(symbol.decl)
        if domain.parts[0] != declared.range:
            said.append(format_interval(domain.parts[0], symbol.decl.name, declared.dim))
    return said


def _partly_guarded(leaf, field: ir.Field, division: ir.Div, where: list[str]) -> Diagnostic:
    name = field.declared or field.name
    special = _first_zero_case(leaf.body, name)
    cannot = division.message.rpartition("，")[2] or "无法计算。"  # 无法计算“变动率”。
    case = " 且 ".join([f"{name} = 0"] + where)
    return Diagnostic(
        "W529", f"“{name}”为 0 的情形只写了一部分：{case} 时分母可以为 0，{cannot.rstrip('。')}，这样的单位不能评分。",
        special.span if special is not None else leaf.body.rule.span, leaf.path,
        hint=f"补上这一情形：若 {case} 则 得 N 分（N 为应得的分数），或把已有的特殊情形写宽。")


def _first_zero_case(body: ast.LeafBody, name: str):
    """The first special case whose condition compares `name` with 0: where the author thought of it."""
    for special in body.specials:
        if any(_names_zero(compare, name) for compare in _compares(special.cond)):
            return special
    return None


def _compares(cond) -> Iterator[ast.Compare]:
    if isinstance(cond, ast.Compare):
        yield cond
    for part in getattr(cond, "parts", ()):
        yield from _compares(part)
    inner = getattr(cond, "cond", None) or getattr(cond, "part", None)
    if inner is not None:
        yield from _compares(inner)


def _names_zero(compare: ast.Compare, name: str) -> bool:
    refs = {o.name for o in compare.operands if isinstance(o, ast.Ref)}
    zeros = [o for o in compare.operands if isinstance(o, ast.Num) and o.value == 0]
    return name in refs and bool(zeros)
