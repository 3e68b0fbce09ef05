"""W530: `按项扣分 … 最多 M 分` with M above the leaf's points, a cap the score never reaches (it stops at 0)."""

from __future__ import annotations

from typing import Iterator

from idsl.check.context import Context
from idsl.diagnostics import Diagnostic
from idsl.frontend import ast
from idsl.semantics.numbers import format_points


def check_finding_caps(context: Context) -> Iterator[Diagnostic]:
    """W530: the cap of a per-finding deduction above the leaf's points reads as if the leaf could lose more
    than it has; the score floors at 0 first, so the cap is never reached and the published rule misleads."""
    for leaf in context.leaves:
        if leaf.role in ("class", "adjustment") or leaf.item or leaf.body is None or leaf.points is None:
            continue  # a 按类别 branch is also walked as its leaf's rule; an item's points are its own cap
        for rule in _per_finding(leaf.body.rule):
            if rule.cap is not None and rule.cap > leaf.points:
                yield _above(rule, leaf)


def _per_finding(rule) -> Iterator[ast.PerFinding]:
    if isinstance(rule, ast.ByClass):
        for branch in rule.branches:
            yield from _per_finding(branch.rule)
    elif isinstance(rule, ast.PerFinding):
        yield rule


def _above(rule: ast.PerFinding, leaf) -> Diagnostic:
    cap, points = format_points(rule.cap), format_points(leaf.points)
    return Diagnostic("W530", f"“{leaf.path[-1]}”只有 {points} 分，“最多 {cap} 分”高于分值：扣到 0 分为止，这个上限用不上。",
                      rule.span, leaf.path,
                      hint=f"核对原文：上限应不超过 {points} 分；原文若是扣完为止，就写“扣完为止”。")


__all__ = ["check_finding_caps"]
