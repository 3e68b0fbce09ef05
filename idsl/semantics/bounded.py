"""An actual value known only as a bound (“≥266米”, “不低于90%”): where it may stand, and whether it decides its target.

Published 自评表 often print the 全年实际值 as the target's inequality. Such a bound is read only where a `目标`
compares it and nothing else reads it, and it scores only when it shows the target met: a lower bound at or
above a `≥` target, an upper bound at or below a `≤` target. Then every value it admits earns the same (the
met branch: the full points, less any 超额调减), so the bound's own figure stands for it. Any other bound
(one that falls short, one on the other side, any bound against an `=` target) could be met or not: the leaf is
not scored, and the error asks for the number. Every reader and both engines decide with these functions.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import attrs

from idsl.frontend import ast
from idsl.semantics.model import LeafPlan
from idsl.semantics.reasons import quantity_text
from idsl.semantics.units import conversion_factor, convertible

# The words of a bound before its figure, longest first so that 大于等于 is not read as 大于.
_WORDS = (("大于或等于", ">="), ("小于或等于", "<="), ("大于等于", ">="), ("小于等于", "<="),
          ("不低于", ">="), ("不少于", ">="), ("不小于", ">="), ("不高于", "<="), ("不超过", "<="), ("不大于", "<="),
          ("不多于", "<="), (">=", ">="), ("＞=", ">="), ("<=", "<="), ("＜=", "<="), ("≥", ">="), ("≧", ">="),
          ("≮", ">="), ("≤", "<="), ("≦", "<="), ("≯", "<="), ("大于", ">"), ("高于", ">"), ("超过", ">"),
          ("多于", ">"), ("小于", "<"), ("低于", "<"), ("少于", "<"), (">", ">"), ("＞", ">"), ("<", "<"), ("＜", "<"))
SIGNS = {">=": "≥", ">": ">", "<=": "≤", "<": "<"}  # a bound's sign as a reason shows it


@attrs.frozen
class Bound:
    """An actual known only as a bound: every value `op figure` (in the input's own terms: a rate as a fraction)."""

    op: str  # '>=', '>', '<=' or '<'
    figure: Fraction  # the bound's figure, in the input's unit
    text: str  # the value as entered: ≥266米

    @property
    def lower(self) -> bool:
        """Whether it is a lower bound (只知下限)."""
        return self.op in (">=", ">")


def split_bound(text: str) -> tuple[str, str, str] | None:
    """A bound's comparison, the word it was written with and the figure after it; None for text that is no bound
    (words with no figure after them, 不低于目标, are words, read as any words are).

    >>> split_bound("≥266米"), split_bound(" 不低于 90%"), split_bound(">=266 米"), split_bound("266")
    (('>=', '≥', '266米'), ('>=', '不低于', '90%'), ('>=', '>=', '266 米'), None)
    >>> split_bound("不低于目标"), split_bound("≥")
    (None, None)
    """
    text = text.strip()
    for word, op in _WORDS:
        if text.startswith(word):
            rest = text[len(word):].strip()
            return (op, word, rest) if any(c.isdigit() for c in rest) else None
    return None


def _mentions(node: Any, name: str) -> bool:
    """Whether a part of a leaf (a condition, a special case, a line after the rule) uses the name."""
    if isinstance(node, ast.Ref):
        return node.name == name
    if isinstance(node, (tuple, list)):
        return any(_mentions(n, name) for n in node)
    if attrs.has(type(node)):
        return any(_mentions(getattr(node, f.name), name) for f in attrs.fields(type(node)) if f.name != "span")
    return False


def bound_target(leaf: LeafPlan | None, decl: ast.Input) -> ast.Target | None:
    """The target a bound on this input would be compared with: the leaf's `目标` whose actual it is, when nothing
    else reads it (no 若…则, 适用 若, 无数据时, line after the rule or derived quantity; not a 共用 input, not filled
    with the peers' mean). None where a bound stays refused: the rule needs the number itself."""
    if leaf is None or not isinstance(leaf.rule, ast.Target) or leaf.rule.actual != decl.name:
        return None
    if decl.name in leaf.shared or decl.fill_mean or decl.kind not in ("rate", "money", "count", "number", "findings"):
        return None
    readers = (leaf.specials, leaf.applies, leaf.adjusts, leaf.nodata, leaf.derived)
    return None if _mentions(readers, decl.name) else leaf.rule


def goal_of(rule: ast.Target, decl: ast.Input | None) -> Fraction:
    """The target's figure in the input's own unit (41.94 万人 against an input in 人: 419400)."""
    goal = Fraction(rule.target.amount)
    unit = decl.unit if decl is not None else None
    if rule.target.unit and unit and rule.target.unit != unit and convertible(rule.target.unit, unit):
        goal *= Fraction(conversion_factor(rule.target.unit, unit))
    return goal


def goal_text(rule: ast.Target, decl: ast.Input) -> str:
    """The target's figure as the 评分标准 prints it: 266米, 90%."""
    percent = rule.target.percent or decl.kind == "rate"
    return quantity_text(goal_of(rule, decl), percent, None if percent else (decl.unit or rule.target.unit))


def decides(bound: Bound, rule: ast.Target, decl: ast.Input) -> bool:
    """Whether every value the bound admits meets the target (so that all of them earn the same).

    >>> rule = ast.Target("长度", ">=", ast.Num(__import__("decimal").Decimal(266), unit="米"))
    >>> decl = ast.Input("长度", "count", "米")
    >>> [decides(Bound(op, Fraction(n), ""), rule, decl) for op, n in ((">=", 266), (">", 266), (">=", 200), ("<=", 300))]
    [True, True, False, False]
    """
    if rule.placeholder:  # 目标 … ？: no figure to reach yet
        return False
    goal = goal_of(rule, decl)
    if rule.op == ">=":
        return bound.lower and bound.figure >= goal
    if rule.op == "<=":
        return not bound.lower and bound.figure <= goal
    return False


def undecided(decl: ast.Input, bound: Bound, rule: ast.Target, goal: str) -> tuple[str, str]:
    """A bound that cannot show whether the target is met (`goal`: the target as the 评分标准 prints it), as
    (message, hint): the leaf is not scored."""
    side = "下限" if bound.lower else "上限"
    sign = {">=": "≥", "<=": "≤", "=": "="}.get(rule.op, rule.op)
    return (f"“{decl.name}”只知{side}：“{bound.text}”，不能说明是否达到目标{sign}{goal}，本项不能计分。",
            f"填实际达到的数；只知界值时，界值本身达到目标（如 {sign}{goal}）才能计分。")


def refused(decl: ast.Input, text: str, word: str) -> tuple[str, str]:
    """A bound where the rule needs the number itself (a ratio, a band, a formula, a condition), as (message, hint)."""
    return (f"“{decl.name}”要用实际达到的数计算，不写“{word}”：这里是 “{text.strip()}”。",
            "只知界值（≥、≤）不能代入比率、分档或公式；这里只填实际完成值，只有「目标」比较的实际值可以写界值。")


__all__ = ["Bound", "SIGNS", "bound_target", "decides", "goal_of", "goal_text", "refused", "split_bound", "undecided"]
