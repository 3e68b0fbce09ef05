"""Checks on 一票否决, 一票否优 and 总分上限: over the spec-level inputs; grades for 否优 to cap; a cap in points."""

from __future__ import annotations

from typing import Iterator

from idsl.check.bands import _special_percents
from idsl.check.context import Context, infer_condition
from idsl.check.env import Inference, Leaf, scope_of
from idsl.diagnostics import Diagnostic

_WORDS = {"total": "一票否决", "section": "一票否决", "top": "一票否优"}


def check_vetoes(context: Context) -> Iterator[Diagnostic]:
    """E201/E206/E409/E410 in a veto's condition (it reads 共用 inputs only); E435: 一票否优 without a grade below the top."""
    spec = context.spec
    # Spec-level inputs and questionnaires: what every unit gives once, under 共用 (quantities are a leaf's).
    scope = scope_of(spec.inputs, (), spec.questionnaires, {})
    for veto in spec.vetoes:
        word = _WORDS[veto.kind]
        leaf = Leaf((word,), spec.total, None, None, veto.span, scope, "veto")
        inference = Inference(leaf, context.sources)
        infer_condition(veto.cond, inference)
        for problem in inference.problems:
            if problem.code == "E201":
                problem = Diagnostic("E201", problem.message, problem.span, (), hint=(
                    f"{word}的条件只能用体系一级声明的输入（共用），例如 输入 发生重大事故：是否。"))
            yield problem
        yield from _special_percents(veto.cond, leaf, context)
        if veto.kind == "section":
            yield from _section(veto, spec)
        if veto.kind == "top" and len(spec.grades) < 2:
            yield Diagnostic("E435", "一票否优要把最高等级降为下一个等级，而体系没有两个以上的等级。", veto.span, (),
                             hint="先写 等级，例如 等级 优：总分 ≥ 90；良：80 ≤ 总分 < 90；…")
    if spec.total_cap is not None:
        yield from _total_cap(spec.total_cap, scope, context)


def _section(veto, spec) -> Iterator[Diagnostic]:
    """E458: the indicator a section veto zeroes is one level-1 or level-2 indicator, named once."""
    found = [(i, (i.name,)) for i in spec.indicators]
    found += [(c, (i.name, c.name)) for i in spec.indicators for c in i.children]
    paths = [" › ".join(path) for indicator, path in found if indicator.name == veto.section]
    if len(paths) == 1:
        return
    if paths:
        message = f"一票否决的“{veto.section}”有 {len(paths)} 个：{'、'.join(paths)}。"
        hint = "给其中一个改名，使一票否决所指的指标只有一个。"
    else:
        message = f"一票否决的“{veto.section}”不是一级或二级指标。"
        names = "、".join(i.name for i, _p in found[:8])
        hint = f"写一级或二级指标的名称（{names}），或去掉名称使一票否决作用于总分。" if names else "去掉名称使一票否决作用于总分。"
    yield Diagnostic("E458", message, veto.span, (), hint=hint)


def _total_cap(cap, scope: dict, context: Context) -> Iterator[Diagnostic]:
    """E201/E409 in 总分上限: names of 共用 inputs, a value in points (a rate × 分值, or a number)."""
    leaf = Leaf(("总分上限",), context.spec.total, None, None, cap.span, scope, "veto")
    inference = Inference(leaf, context.sources)
    found = inference.expr(cap)
    for problem in inference.problems:
        if problem.code == "E201":
            problem = Diagnostic("E201", problem.message, problem.span, (), hint=(
                "总分上限只能用体系一级声明的输入（共用），例如 总分上限 = 资金到位率 × 分值。"))
        yield problem
    if not inference.problems and found.dim.kind not in ("points", "literal", "number", "unknown"):
        yield Diagnostic("E409", f"总分上限应以“分”计，这里算出的是{found.dim.describe()}。", cap.span, ("总分上限",),
                         hint="乘以分值，例如 总分上限 = 资金到位率 × 分值。")
