"""细化: an imported leaf replaced by a subtree on import — the name, the kind of indicator, the points across the files."""

from __future__ import annotations

from decimal import Decimal
from typing import Iterator

from idsl.frontend import ast
from idsl.check.context import Context
from idsl.check.env import walk
from idsl.diagnostics import Diagnostic, Label
from idsl.semantics.numbers import format_points


def check_refinements(context: Context) -> Iterator[Diagnostic]:
    """E460: 细化 of a name the import lacks or of a branch, without a subtree or its points, and a subtree
    over an imported leaf without 细化, or under a penalty or bonus item; E109: the subtree's points differ
    from the leaf's; W527: one child."""
    for block in context.spec.adjustments:
        for item in block.items:
            if item.refines or item.children:
                yield _item(item, (block.name, item.name), block)
    for path, indicator in walk(context.spec.indicators):
        refinement = indicator.refined
        if refinement is None:
            if indicator.refines:
                yield _not_imported(indicator, path, ())
        elif refinement.kind == "absent":
            yield _not_imported(indicator, path, refinement.names)
        elif refinement.kind == "branch":
            yield _branch(indicator, path, refinement)
        elif refinement.kind == "unmarked":
            yield _unmarked(indicator, path, refinement)
        else:
            yield from _subtree(indicator, path, refinement)


def unpointed_subtrees(indicators: tuple[ast.Indicator, ...]) -> set[int]:
    """The children (by identity) of a refined leaf none of whose children has points: E460 says so once,
    instead of E301 for each of them."""
    found: set[int] = set()
    for _path, indicator in walk(indicators):
        if _without_points(indicator):
            found.update(id(child) for child in indicator.children)
    return found


def refined_leaf(indicator: ast.Indicator) -> bool:
    """Whether the indicator is an imported leaf refined by its subtree (its points are E109's, not E302's)."""
    return indicator.refined is not None and indicator.refined.kind == "leaf"


def misplaced(indicator: ast.Indicator) -> bool:
    """Whether the indicator is written 细化 of a name the import lacks (E460 says so, not E301)."""
    return indicator.refines and (indicator.refined is None or indicator.refined.kind == "absent")


def _without_points(indicator: ast.Indicator) -> bool:
    return (refined_leaf(indicator) and bool(indicator.children)
            and all(c.points is None and not c.points_placeholder for c in indicator.children))


def _not_imported(indicator: ast.Indicator, path: tuple[str, ...], names: tuple[str, ...]) -> Diagnostic:
    where = f"“{path[-2]}”下" if len(path) > 1 else "的一级指标"
    listed = f"引用的体系里{where}有：{'、'.join(names)}。" if names else ""
    return Diagnostic(
        "E460", f"细化的“{indicator.name}”不在引用的体系里{'' if names else '（或这里没有引用）'}。", indicator.span, path,
        hint=f"{listed}细化 只用于引用（引用 \"….idsl\"）的体系里已有的叶子，名称和各级上级要与那里一致；"
             "新增的指标不写 细化。")


def _branch(indicator: ast.Indicator, path: tuple[str, ...], refinement: ast.Refinement) -> Diagnostic:
    return Diagnostic(
        "E460", f"“{indicator.name}”在引用的体系里有下级指标，不是叶子，不能细化。", indicator.span, path,
        hint="细化 写在要换成下级指标的那个叶子上；要改这个指标的下级，去掉 细化，按名称写出要改的下级指标。",
        labels=(Label(refinement.span, f"引用的“{indicator.name}”在这里，有下级指标"),))


def _unmarked(indicator: ast.Indicator, path: tuple[str, ...], refinement: ast.Refinement) -> Diagnostic:
    return Diagnostic(
        "E460", f"“{indicator.name}”在引用的体系里是叶子，这里却写了下级指标。", indicator.span, path,
        hint=f"要把它换成这些下级指标，写 细化 {indicator.name}（下级分值合计等于它的分值）；只改评分规则的，"
             "不写下级指标。",
        labels=(Label(refinement.span, f"引用的叶子“{indicator.name}”在这里"),))


def _item(item: ast.Indicator, path: tuple[str, ...], block: ast.Adjustments) -> Diagnostic:
    """A penalty or bonus item is scored by its own rule against its own cap: it has no subtree to add up."""
    verb = "加" if block.kind == "bonus" else "扣"
    what = f"细化“{item.name}”" if item.refines else f"“{item.name}”写了下级指标"
    return Diagnostic(
        "E460", f"{what}：“{block.name}”的条目不能细化为下级指标。", item.span, path,
        hint=f"条目各按自己的规则{verb}分，最多{verb}它的分值；要分开{verb}的，在“{block.name}”下写成几个条目"
             f"（如 {item.children[0].name if item.children else item.name}（N）），各写分值和规则，不写 细化。")


def _subtree(indicator: ast.Indicator, path: tuple[str, ...], refinement: ast.Refinement) -> Iterator[Diagnostic]:
    if not indicator.children:
        yield Diagnostic("E460", f"细化“{indicator.name}”却没有写下级指标。", indicator.span, path,
                         hint=f"在 细化 {indicator.name} 下缩进写出下级指标及其分值和规则；只改评分规则的，不写 细化。")
        return
    points = [c.points for c in indicator.children]
    if _without_points(indicator):
        yield Diagnostic("E460", f"细化“{indicator.name}”的下级指标都没有写分值。", indicator.span, path,
                         hint=f"给每个下级指标写上分值，合计等于{_points_of(indicator)}{_example(indicator)}。")
    elif None not in points and indicator.points is not None:
        total = sum(points, Decimal(0))
        if total != indicator.points:
            yield _sum(indicator, path, refinement, total)
    if len(indicator.children) == 1:
        yield Diagnostic("W527", f"“{indicator.name}”只细化为一个下级指标“{indicator.children[0].name}”。",
                         indicator.span, path,
                         hint=f"细化 通常分成几个下级指标；只想换评分规则的，不写 细化，直接在“{indicator.name}”下写新规则。")


def _sum(indicator: ast.Indicator, path: tuple[str, ...], refinement: ast.Refinement, total: Decimal) -> Diagnostic:
    parts = " + ".join(format_points(c.points) for c in indicator.children)
    imported = refinement.points == indicator.points
    whose = "引用的叶子" if imported else "这里写的"
    labels = [Label(c.points_span, f"{c.name} {format_points(c.points)}") for c in indicator.children]
    if imported:
        labels.append(Label(refinement.points_span, f"引用的“{indicator.name}” {format_points(indicator.points)} 分"))
    return Diagnostic(
        "E109", f"细化“{indicator.name}”的下级指标合计 {parts} = {format_points(total)} 分，"
                f"而{whose}“{indicator.name}”是 {format_points(indicator.points)} 分。",
        indicator.span, path,
        hint=f"调整下级指标的分值，使合计等于 {format_points(indicator.points)} 分；要改变“{indicator.name}”的分值，"
             "在 细化 这一行写出新分值，并相应调整上级和总分。",
        labels=tuple(labels))


def _points_of(indicator: ast.Indicator) -> str:
    return "它的分值" if indicator.points is None else f" {format_points(indicator.points)} 分"


def _example(indicator: ast.Indicator) -> str:
    """`，例如 培训人次完成率（4）` when the points split evenly over the children."""
    count = len(indicator.children)
    if indicator.points is None or indicator.points % count:
        return ""
    return f"，例如 {indicator.children[0].name}（{format_points(indicator.points / count)}）"
