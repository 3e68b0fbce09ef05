"""E465: a band's `扣 N 分` where there are no points to deduct from (a bonus item, points still to fill)."""

from __future__ import annotations

from typing import Iterator

from idsl.frontend import ast
from idsl.check.context import Context
from idsl.diagnostics import Diagnostic
from idsl.semantics.numbers import format_points


def check_deductions(context: Context) -> Iterator[Diagnostic]:
    """E465: `扣 N 分` is the points less N, so it needs points; in a bonus item the rule gives what is added."""
    bonus_blocks = {block.name for block in context.spec.adjustments if block.kind == "bonus"}
    for leaf in context.leaves:
        if leaf.role == "class" or leaf.body is None:
            continue  # a 按类别 branch is also walked as its leaf's rule
        bonus = leaf.item and leaf.path[0] in bonus_blocks
        for outcome in deductions(leaf.body.rule):
            if bonus:
                yield _in_bonus(outcome, leaf)
            elif outcome.points is None and outcome.deduct != 0:  # 不扣分 leaves the points, whatever they are
                yield _no_points(outcome, leaf)


def deductions(rule) -> Iterator[ast.Fixed]:
    """The `扣 N 分` outcomes of a rule's bands (按类别 branches included; a 分项 part is a unit of its own)."""
    if isinstance(rule, ast.ByClass):
        for branch in rule.branches:
            yield from deductions(branch.rule)
    elif isinstance(rule, (ast.Bands, ast.Compound)):
        yield from (band.outcome for band in rule.bands
                    if isinstance(band.outcome, ast.Fixed) and band.outcome.deduct is not None)


def _in_bonus(outcome: ast.Fixed, leaf) -> Diagnostic:
    problem = ("这一档的“不扣分”没有说加几分" if outcome.deduct == 0
               else f"这一档的“扣 {format_points(outcome.deduct)} 分”无从扣起")
    return Diagnostic("E465", f"加分项的规则给的是加分，{problem}。", outcome.span, leaf.path,
                      hint="加分项的各档写加几分：得 N 分、得满分或不得分；扣分写在扣分项（逆向指标）里。")


def _no_points(outcome: ast.Fixed, leaf) -> Diagnostic:
    written = format_points(outcome.deduct)
    return Diagnostic("E465", f"“{leaf.path[-1]}”的分值还没有定，这一档的“扣 {written} 分”不知从多少分扣起。",
                      outcome.span, leaf.path, hint="先把（？）换成分值，或把这一档写成 得 N 分。")


__all__ = ["check_deductions", "deductions"]
