"""E454/W525: a 计分条件 (scoring gate) that no unit can meet, or that every unit meets."""

from __future__ import annotations

from typing import Iterator

from idsl.check.bounds import _Evaluator
from idsl.check.context import Context
from idsl.check.narrowing import Env
from idsl.diagnostics import Diagnostic
from idsl.semantics import ir
from idsl.semantics.phrases import describe_condition


def check_gates(context: Context) -> Iterator[Diagnostic]:
    """Each gate's condition over the inputs' ranges: never met is E454, always met W525."""
    for leaf in context.leaves:
        body = leaf.body
        if body is None or not any(s.gate for s in body.specials) or context.has_errors(leaf):
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
    for special, branch in zip(leaf.body.specials, cases.branches):
        if special.gate and isinstance(branch.cond, ir.Not):
            cond = branch.cond.part
            yield special, _Evaluator(True).holds(cond, Env(), True), _Evaluator(True).holds(cond, Env(), False)


def _leaf_gates(leaf, context: Context) -> Iterator[Diagnostic]:
    for special, met, unmet in _gates(leaf, context):
        words = describe_condition(special.cond)
        if met is None:
            yield Diagnostic("E454", f"计分条件“{words}”在输入的取值范围内永远不成立：没有单位能按规则计分。",
                             special.span, leaf.path,
                             hint="计分条件写的是计分所需的情形，例如 计分条件 有效样本 ≥ 30 份（不是样本不足的情形）。")
        elif unmet is None:
            yield Diagnostic("W525", f"计分条件“{words}”总是成立，这一行不起作用。", special.span, leaf.path,
                             hint="检查门槛和输入的取值范围，例如 计分条件 有效样本 ≥ 30 份。")
