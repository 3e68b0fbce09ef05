"""按类别: E424 when its branches do not list each declared class (单位类别) exactly once, E425 where it cannot stand."""

from __future__ import annotations

from typing import Iterator

from idsl.check.context import Context
from idsl.check.env import walk
from idsl.diagnostics import Diagnostic
from idsl.frontend import ast


def check_classes(context: Context) -> Iterator[Diagnostic]:
    """Each leaf's 按类别 against the spec's 单位类别 line."""
    spec = context.spec
    declared = spec.classes.names if spec.classes is not None else None
    for path, indicator in walk(spec.indicators):
        body = indicator.body
        if body is None:
            continue
        if isinstance(body.rule, ast.ByClass):
            yield from _by_class(body.rule, declared, path)
        if isinstance(body.rule, ast.Parts):
            for part in body.rule.parts:
                if part.body is not None and isinstance(part.body.rule, ast.ByClass):
                    yield Diagnostic("E425", "“按类别”不能写在分项下：分项各有一条规则。", part.body.rule.span,
                                     path + (part.name,), hint="把“按类别”写在末级指标下，不分项。")
    for block in spec.adjustments:
        for item in block.items:
            if item.body is not None and isinstance(item.body.rule, ast.ByClass):
                yield Diagnostic("E425", "扣分项、加分项的条目不能写“按类别”。", item.body.rule.span,
                                 (block.name, item.name), hint="条目按同一规则扣（加）分；不同类别另设条目。")


def _by_class(rule: ast.ByClass, declared: tuple[str, ...] | None, path) -> Iterator[Diagnostic]:
    if declared is None:
        yield Diagnostic("E425", "写了“按类别”，体系却没有声明单位类别。", rule.span, path,
                         hint="在体系开头写一行 单位类别 行政单位、事业单位（列出全部类别）。")
        return
    seen: dict[str, ast.ClassBranch] = {}
    for branch in rule.branches:
        for name in branch.classes:
            if name not in declared:
                yield Diagnostic("E424", f"“{name}”不是声明的单位类别。", branch.span, path,
                                 hint=f"单位类别只有：{'、'.join(declared)}；改正类别名，或在“单位类别”一行加上它。")
            elif name in seen:
                yield Diagnostic("E424", f"单位类别“{name}”在“按类别”中出现了两次。", branch.span, path,
                                 hint="每个类别只能有一条规则；删去其中一处。")
            seen.setdefault(name, branch)
        if isinstance(branch.rule, ast.Target) and branch.rule.over_cut is not None:
            yield Diagnostic("E425", "“按类别”中的目标规则不能带“超额调减”。", branch.span, path,
                             hint="超额调减是评价人的调减，写在指标的规则之后：酌情扣分 最多 N 分，须说明理由。")
    missing = [name for name in declared if name not in seen]
    if missing:
        yield Diagnostic("E424", f"“按类别”没有给单位类别“{'、'.join(missing)}”规则。", rule.span, path,
                         hint=f"加一行 {missing[0]}：…（该类别的评分规则），或与相同规则的类别写在同一行，用“、”隔开。")


__all__ = ["check_classes"]
