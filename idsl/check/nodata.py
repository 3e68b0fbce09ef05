"""无数据时: E426 a 可缺 input a leaf reads without saying what it scores when blank, E427 the line with none to
read (or 可缺 on a figure per sub-project, whose blank is 0), E440 无数据时 不适用 on a part or an item, E401 a 酌情 range beyond the points."""

from __future__ import annotations

from typing import Iterator

from idsl.check.context import Context
from idsl.diagnostics import Diagnostic
from idsl.frontend import ast
from idsl.semantics import ir
from idsl.semantics.nodata import blanks, optional_fields
from idsl.semantics.numbers import format_points


def check_nodata(context: Context) -> Iterator[Diagnostic]:
    """Each unit (a leaf, a part, a penalty or bonus item) reading a 可缺 input has a 无数据时 line, its own or
    (a part's) its leaf's, and only such a unit has one."""
    for leaf in context.leaves:
        body = leaf.body
        if body is None or leaf.role == "class" or context.has_errors(leaf):
            continue  # a 按类别 branch is the leaf's rule
        yield from _optional_subprojects(leaf, body)
        if isinstance(body.rule, ast.Parts):
            yield from _one_judged(leaf, body)
        if body.nodata is None and (isinstance(body.rule, ast.Parts) or not _may_read_optional(leaf)):
            continue  # a leaf of 分项 without the line is checked part by part
        yield from context.remembered("nodata", leaf, lambda leaf=leaf: list(_unit(leaf, context)))


def _one_judged(leaf, body: ast.LeafBody) -> Iterator[Diagnostic]:
    """无数据时 酌情 gives a leaf one field 无数据得分: at most one such line under a leaf and its parts."""
    lines = [(leaf.path, body.nodata)] + [(leaf.path + (p.name,), p.body.nodata) for p in body.rule.parts
                                          if p.body is not None]
    judged = [(path, line) for path, line in lines if line is not None and line.outcome == "discretion"]
    for path, line in judged[1:]:
        yield Diagnostic("E411", "一个指标（连同它的分项）只能有一行“无数据时 酌情”：评价人只填一个“无数据得分”。",
                         line.span, path, hint="只在一个分项下酌情给分，或写在指标下，对整个指标酌情给分；其余改为 得 N 分。")


def _optional_subprojects(leaf, body: ast.LeafBody) -> Iterator[Diagnostic]:
    """可缺 on a figure per sub-project: a blank one is a sub-project the unit does not have (0, §7.1), never no data,
    so no 无数据时 line would ever apply (E427, once per declaration)."""
    said: set[str] = set()
    for decl in body.inputs:
        series = decl.series
        if decl.optional and decl.blank_zero and series is not None and series.base not in said:
            said.add(series.base)
            yield Diagnostic("E427", f"“{series.base}”按子项目填写，留空的子项目记为 0（本单位没有这个子项目），不是无数据："
                                     "“可缺”用不上。", decl.span, leaf.path,
                             hint="删去“可缺”（以及只为它写的“无数据时”）；没有数据时要另行计分的，按年度或不分子项目声明这个输入。")


def _may_read_optional(leaf) -> bool:
    return any(getattr(symbol.decl, "optional", False) for symbol in leaf.scope.values()
               if getattr(symbol, "kind", None) == "input")


def _unit(leaf, context: Context) -> Iterator[Diagnostic]:
    nodata = leaf.body.nodata
    if nodata is not None:
        yield from _line(leaf, nodata)
    lowered = context.lowered(leaf)
    if lowered is None:
        return
    inputs = {i.name: i for i in lowered.node.leaf.inputs}
    unit = lowered.unit
    own = _own_cases(unit)  # what this unit's line covers (a leaf of 分项: the inputs its parts leave)
    if nodata is not None and not own:
        yield Diagnostic("E427", "本指标读取的输入都没有声明“可缺”，“无数据时”这一行用不上。", nodata.span, leaf.path,
                         hint="在可能没有数据的输入后写“可缺”，例如 输入 上年支出：金额 万元 可缺；不会缺的，删去这一行。")
    if leaf.outer is not None and leaf.outer.nodata is not None:
        return  # a part's blank input is covered by its leaf's line, when the part has none of its own
    covered = {n.field for n in ir.walk(unit.exact) if isinstance(n, ir.Blank)} | set(own)
    for field in optional_fields(lowered.exact, inputs):
        if field in covered:
            continue
        decl = inputs[field.declared]
        if decl.blank_zero:  # a sub-project's figure: its blank is 0, and 可缺 on it is E427
            continue
        mine = any(i is decl for i in leaf.body.inputs)
        where = "却没有写“无数据时”" if nodata is None else "却在“无数据时”管不到的地方读它（另扣、另加）"
        yield Diagnostic("E426", f"输入“{field.declared}”声明为“可缺”，本指标{where}：它留空时无法评分。",
                         decl.span if mine else leaf.span, leaf.path,
                         hint="在本指标下加一行 无数据时 得满分（或 不得分、得 N 分、酌情 1～3 分、不适用）；"
                              "必须填写的输入去掉“可缺”。")


def _own_cases(unit) -> list[ir.Field]:
    """The inputs the unit's own 无数据时 line covers: its blank cases before the special cases, or 不适用."""
    exact = unit.exact
    cases = exact.branches if isinstance(exact, ir.Cases) and unit.special_tag and exact.tag == unit.special_tag else ()
    return [b.cond.field for b in cases if isinstance(b.cond, ir.Blank)] + [b.field for b in blanks(unit.absent)]


def _line(leaf, nodata: ast.NoData) -> Iterator[Diagnostic]:
    """无数据时 不适用 only where a leaf may be left out; a 酌情 range within 0 … the points."""
    if nodata.outcome == "na" and (leaf.role != "leaf" or leaf.item):
        if leaf.role == "part":
            what, hint = "分项是指标的一部分，不单独适用或不适用", \
                "改为 无数据时 得满分、不得分、得 N 分 或 酌情 1～3 分；整个指标不适用时，写在指标下。"
        else:
            what, hint = "扣分项、加分项的条目没有不适用", "改为 无数据时 不得分：没有数据的，不扣（加）分。"
        yield Diagnostic("E440", f"“无数据时 不适用”不能写在这里：{what}。", nodata.span, leaf.path, hint=hint)
    points = abs(leaf.points) if leaf.points is not None else None
    if nodata.outcome == "discretion" and points is not None and nodata.low is not None and nodata.high is not None \
            and not (nodata.low <= nodata.high <= points):
        yield Diagnostic("E401", f"无数据时酌情给分的范围 {format_points(nodata.low)}～{format_points(nodata.high)} 分"
                                 f"不在 0～{format_points(points)} 分之内，或低端高于高端。", nodata.span, leaf.path,
                         hint=f"改为 酌情 0～{format_points(points)} 分 之内的范围，低端在前。")


__all__ = ["check_nodata"]
