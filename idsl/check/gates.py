"""E454/W525/E429: a 计分条件 (scoring gate) that no unit can meet, that every unit meets, or that is written
as the shortfall of a sample (有效样本 < 30 份) instead of what scoring needs."""

from __future__ import annotations

from typing import Iterator

from idsl.check.bands import rule_unit_problems
from idsl.check.bounds import _Evaluator
from idsl.check.context import Context
from idsl.check.narrowing import Env
from idsl.diagnostics import Diagnostic
from idsl.frontend import ast
from idsl.semantics import ir
from idsl.semantics.numbers import decimal_text
from idsl.semantics.phrases import describe_condition


def check_gates(context: Context) -> Iterator[Diagnostic]:
    """Each gate's condition over the inputs' ranges: never met is E454, always met W525."""
    for leaf in context.leaves:
        body = leaf.body
        if body is None or not any(s.gate for s in body.specials) or context.has_errors(leaf):
            continue
        if rule_unit_problems(leaf, context):  # 计分条件 完成率 ≥ 60 reads 6000%: E410 says so, not E454
            continue
        yield from context.remembered("gates", leaf, lambda leaf=leaf: list(_leaf_gates(leaf, context)))


def gate_never_met(leaf, context: Context) -> bool:
    """Whether some gate of the leaf holds for no unit (E454)."""
    if leaf.body is None or not any(s.gate for s in leaf.body.specials):
        return False
    return any(met is None for _special, met, _unmet in _gates(leaf, context))


def _gates(leaf, context: Context):
    """(gate, where it is met, where not) for each gate of the leaf, over the inputs' ranges (None: nowhere)."""
    lowered = context.lowered(leaf)
    cases = lowered.unit.exact if lowered is not None else None
    if not isinstance(cases, ir.Cases):
        return
    branches = [b for b in cases.branches if not isinstance(b.cond, ir.Blank)]  # 无数据时 cases come first
    for special, branch in zip(leaf.body.specials, branches):
        if special.gate and isinstance(branch.cond, ir.Not):
            cond = branch.cond.part
            yield special, _Evaluator(True).holds(cond, Env(), True), _Evaluator(True).holds(cond, Env(), False)


def _leaf_gates(leaf, context: Context) -> Iterator[Diagnostic]:
    for special, met, unmet in _gates(leaf, context):
        words = describe_condition(special.cond)
        shortfall = _shortfall(leaf, special)
        if met is None:
            yield Diagnostic("E454", f"计分条件“{words}”在输入的取值范围内永远不成立：没有单位能按规则计分。",
                             special.span, leaf.path,
                             hint="计分条件写的是计分所需的情形，例如 计分条件 有效样本 ≥ 30 份（不是样本不足的情形）。")
        elif shortfall is not None:
            yield shortfall
        elif unmet is None:
            yield Diagnostic("W525", f"计分条件“{words}”总是成立，这一行不起作用。", special.span, leaf.path,
                             hint="检查门槛和输入的取值范围，例如 计分条件 有效样本 ≥ 30 份。")


# A sample count bounded from above, by how it is written: (the sample on the left, the operator) → the
# operator scoring needs. 有效样本 < 30 份 is the shortfall “有效样本不足30份的不计分” copied as the condition.
_UPPER = {"<": "≥", "<=": ">"}
_UPPER_RIGHT = {">": "≥", ">=": ">"}  # 30 > 有效样本, the same written the other way round


def _shortfall(leaf, special: ast.Special) -> Diagnostic | None:
    """E429: a gate that caps a sample count (an input counted in 份, or named 样本), the shortfall written as
    the condition scoring needs: only the units with too few answers would be scored."""
    for part in _conjuncts(special.cond):
        if not isinstance(part, ast.Compare) or len(part.ops) != 1:
            continue
        left, right = part.operands
        op = part.ops[0]
        if _is_sample(leaf, left) and op in _UPPER:
            better = f"{left.name} {_UPPER[op]} {_number(right)}"
        elif _is_sample(leaf, right) and op in _UPPER_RIGHT:
            better = f"{right.name} {_UPPER_RIGHT[op]} {_number(left)}"
        else:
            continue
        words = describe_condition(special.cond)
        return Diagnostic("E429", f"计分条件“{words}”写的是样本不足的情形：只有样本不够的单位才会按规则计分。",
                          special.span, leaf.path,
                          hint=f"计分条件写计分所需的情形：计分条件 {better}（样本不足的不得分，这是“否则”的部分）。")
    return None


def _conjuncts(cond) -> list:
    return list(cond.parts) if isinstance(cond, ast.BoolOp) and cond.op == "and" else [cond]


def _is_sample(leaf, expr) -> bool:
    if not isinstance(expr, ast.Ref):
        return False
    symbol = leaf.scope.get(expr.name)
    decl = getattr(symbol, "decl", None) if symbol is not None and symbol.kind == "input" else None
    return isinstance(decl, ast.Input) and decl.kind == "count" and (decl.unit == "份" or "样本" in decl.name)


def _number(expr) -> str:
    if isinstance(expr, ast.Num):
        return decimal_text(expr.value) + (f" {expr.unit}" if expr.unit else "")
    return "N"
