"""适用 若: E440 where it cannot stand (a branch, a part, a penalty or bonus item), E441 where it reads no yes/no answer."""

from __future__ import annotations

from typing import Iterator

from idsl.check.context import Context
from idsl.check.env import walk
from idsl.diagnostics import Diagnostic
from idsl.frontend import ast
from idsl.semantics.applies import gate_of

_HINT = "把“适用 若 …”写在有评分规则的末级指标下，条件是这个指标的一个“是否”输入。"


def check_applies(context: Context) -> Iterator[Diagnostic]:
    """Where 适用 若 is written, and what it reads."""
    spec = context.spec
    for path, indicator in walk(spec.indicators):
        body = indicator.body
        if body is None:
            continue
        if indicator.children and body.applies is not None:
            yield Diagnostic("E440", "“适用 若”只能写在末级指标下，这里是有下级指标的指标。", body.applies.span, path,
                             hint="写在每个可能不适用的末级指标下；整个分支都不适用时，每个末级指标各写一行。")
        elif body.applies is not None:
            yield from _gate(body, path)
        if isinstance(body.rule, ast.Parts):
            for part in body.rule.parts:
                if part.body is not None and part.body.applies is not None:
                    yield Diagnostic("E440", "“适用 若”不能写在分项下：分项是指标的一部分，不单独适用或不适用。",
                                     part.body.applies.span, path + (part.name,), hint=_HINT)
    for block in spec.adjustments:
        for item in block.items:
            if item.body is not None and item.body.applies is not None:
                yield Diagnostic("E440", "扣分项、加分项的条目不能写“适用 若”：没有发生就不扣（加）分。",
                                 item.body.applies.span, (block.name, item.name),
                                 hint="删去这一行；条目的输入为 0 或“否”时，它本来就不扣（加）分。")


def _gate(body: ast.LeafBody, path: tuple[str, ...]) -> Iterator[Diagnostic]:
    """E441: the condition is one yes/no input of the leaf, alone or compared with 是 or 否."""
    assert body.applies is not None
    gate = gate_of(body.applies)
    own = {i.name: i for i in body.inputs}
    if gate is not None and gate.name in own and own[gate.name].kind == "bool":
        return
    if gate is not None and gate.name not in own:
        found = "不是这个指标自己的输入"
    elif gate is not None:
        found = f"“{gate.name}”不是“是否”输入"
    else:
        found = "不是一个“是否”输入"
    yield Diagnostic("E441", f"“适用 若”的条件{found}：评价人填“是”或“否”，才能判断本指标是否适用。",
                     body.applies.span, path,
                     hint="在本指标下声明一个“是否”输入，例如 输入 合同有约定质保金：是否，再写 适用 若 合同有约定质保金。")


__all__ = ["check_applies"]
