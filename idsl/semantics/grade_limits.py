"""等级不高于 … 若 …: the grade decided by counting the leaves below a share of their points, lowered into the grade.

Each limit counts the tree's leaves whose rounded score is below `rate` of their points (不得分的指标: a score
of 0 or less); a leaf left out (不适用, an alternative not chosen) has no score and is never counted. While the
count reaches the limit's number, a total in a better grade gets the limit's grade. The count reads each
leaf's score as the field `leaf_field(node)`: both engines supply it (the leaf's points where it is left out,
so it counts as losing nothing)."""

from __future__ import annotations

from decimal import Decimal  # noqa: F401  (the doctests use it)

from fractions import Fraction
from typing import Callable

from idsl.frontend import ast
from idsl.semantics import ir
from idsl.semantics.model import Node, Plan

LEAF_ROLE = "leaf"  # an ir.Field of this role is a leaf's score as the grade limits read it


def leaf_field(node: Node) -> ir.Field:
    """The leaf's rounded score (its points where it is left out)."""
    return ir.Field(node.key, "得分", LEAF_ROLE, "number")


def counted(limit: ast.GradeLimit, node: Node) -> ir.Cond:
    """Whether this leaf counts towards the limit: its score below the share of its points (or 0)."""
    if limit.rate is None:
        return ir.Compare(leaf_field(node), "<=", ir.Const(Fraction(0)))
    threshold = Fraction(limit.rate) / 100 * Fraction(node.points)
    return ir.Compare(leaf_field(node), "<", ir.Const(threshold))


def limit_count(plan: Plan, limit: ast.GradeLimit, index: int) -> ir.Expr:
    """How many leaves count towards the limit (named once per unit)."""
    total: ir.Expr | None = None
    for node in plan.leaves():
        one = ir.Cases((ir.Branch(counted(limit, node), ir.Const(Fraction(1))),), ir.Const(Fraction(0)))
        total = one if total is None else ir.Arith("+", total, one)
    return ir.Named(f"等级不高于{index}", total if total is not None else ir.Const(Fraction(0)))


def valid(plan: Plan, limit: ast.GradeLimit) -> bool:
    """A limit the checker accepts (E457, E459): its grade exists, its rate and count make sense."""
    return (any(band.grade == limit.grade for band in plan.grades) and limit.op == ">="
            and limit.count >= 1 and limit.count == limit.count.to_integral_value()
            and (limit.rate is None or 0 <= limit.rate <= 100))


def limit_branches(plan: Plan, ranked: list[ast.GradeBand], grade_cond: Callable) -> list[ir.Branch]:
    """One branch per grade better than a limit's: while the limit holds, a total in it gets the limit's grade.
    The harshest limit comes first, so where several hold the unit gets the lowest grade any of them allows."""
    order = [band.grade for band in ranked]
    limits = [(i, limit) for i, limit in enumerate(plan.grade_limits, 1) if valid(plan, limit)]
    limits.sort(key=lambda pair: -order.index(pair[1].grade))
    branches = []
    for index, limit in limits:
        holds = ir.Compare(limit_count(plan, limit, index), ">=", ir.Const(Fraction(int(limit.count))))
        for band in ranked[:order.index(limit.grade)]:
            if not isinstance(band.cond, ast.Otherwise):
                branches.append(ir.Branch(ir.All((grade_cond(band.cond), holds)), ir.Text(limit.grade)))
    return branches


def limit_text(limit: ast.GradeLimit) -> str:
    """The limit as the scoring table prints it under the table.

    >>> limit_text(ast.GradeLimit("良", Decimal(60), Decimal(1)))
    '等级限制：有指标得分低于该指标分值的60%的，等级最高为良。'
    >>> limit_text(ast.GradeLimit("中", None, Decimal(2)))
    '等级限制：不得分的指标有2个及以上的，等级最高为中。'
    """
    return f"等级限制：{_which(limit)}的，等级最高为{limit.grade}。"


def _which(limit: ast.GradeLimit) -> str:
    count = int(limit.count)
    if limit.rate is None:
        return "有指标不得分" if count == 1 else f"不得分的指标有{count}个及以上"
    rate = f"{limit.rate.normalize():f}%"
    if count == 1:
        return f"有指标得分低于该指标分值的{rate}"
    return f"得分低于该指标分值{rate}的指标有{count}个及以上"


def limit_note(limit: ast.GradeLimit, names: list[str]) -> str:
    """Why a limit lowered the grade: the leaves it counted.

    >>> limit_note(ast.GradeLimit("良", Decimal(60), Decimal(1)), ["甲", "乙"])
    '得分低于该指标分值60%的指标有2个（甲、乙），等级最高为良'
    """
    which = "不得分的指标" if limit.rate is None else f"得分低于该指标分值{limit.rate.normalize():f}%的指标"
    return f"{which}有{len(names)}个（{'、'.join(names)}），等级最高为{limit.grade}"


def counted_names(plan: Plan, limit: ast.GradeLimit, scores: dict[str, Fraction]) -> list[str]:
    """The leaves a limit counts, given each leaf's score as `leaf_field` reads it (interpreter side)."""
    found = []
    for node in plan.leaves():
        score = scores[node.key]
        below = score <= 0 if limit.rate is None else score < Fraction(limit.rate) / 100 * Fraction(node.points)
        if below:
            found.append(node.name)
    return found


__all__ = ["LEAF_ROLE", "counted", "counted_names", "leaf_field", "limit_branches", "limit_count", "limit_note",
           "limit_text", "valid"]
