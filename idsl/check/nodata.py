"""无数据时: E426 a 可缺 input a leaf reads without saying what it scores when blank, E427 the line with none to read."""

from __future__ import annotations

from typing import Iterator

from idsl.check.context import Context
from idsl.diagnostics import Diagnostic
from idsl.frontend import ast
from idsl.semantics import ir
from idsl.semantics.nodata import optional_fields


def check_nodata(context: Context) -> Iterator[Diagnostic]:
    """Each unit (a leaf, a part, a penalty or bonus item) reading a 可缺 input has a 无数据时 line, and only such a unit."""
    for leaf in context.leaves:
        body = leaf.body
        if body is None or leaf.role == "class" or isinstance(body.rule, ast.Parts) or context.has_errors(leaf):
            continue  # a 按类别 branch is the leaf's rule; a leaf of 分项 is checked part by part
        if body.nodata is None and not _may_read_optional(leaf, body):
            continue
        yield from context.remembered("nodata", leaf, lambda leaf=leaf: list(_unit(leaf, context)))


def _may_read_optional(leaf, body: ast.LeafBody) -> bool:
    return any(getattr(symbol.decl, "optional", False) for symbol in leaf.scope.values()
               if getattr(symbol, "kind", None) == "input")


def _unit(leaf, context: Context) -> Iterator[Diagnostic]:
    lowered = context.lowered(leaf)
    if lowered is None:
        return
    inputs = {i.name: i for i in lowered.node.leaf.inputs}
    covered = {n.field for n in ir.walk(lowered.unit.exact) if isinstance(n, ir.Blank)}  # the 无数据时 cases
    nodata = leaf.body.nodata
    if nodata is not None and not covered:
        yield Diagnostic("E427", "本指标读取的输入都没有声明“可缺”，“无数据时”这一行用不上。", nodata.span, leaf.path,
                         hint="在可能没有数据的输入后写“可缺”，例如 输入 上年支出：金额 万元 可缺；不会缺的，删去这一行。")
    for field in optional_fields(lowered.exact, inputs):
        if field in covered:
            continue
        decl = inputs[field.declared]
        own = any(i is decl for i in leaf.body.inputs)
        where = "却没有写“无数据时”" if nodata is None else "却在“无数据时”管不到的地方读它（另扣、另加）"
        yield Diagnostic("E426", f"输入“{field.declared}”声明为“可缺”，本指标{where}：它留空时无法评分。",
                         decl.span if own else leaf.span, leaf.path,
                         hint="在本指标下加一行 无数据时 得满分（或 不得分、得 N 分）；必须填写的输入去掉“可缺”。")


__all__ = ["check_nodata"]
