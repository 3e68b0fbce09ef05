"""What a quantity measures (money or a count with its unit, a rate, points …), as the unit checks name it."""

from __future__ import annotations

import attrs

from idsl.frontend import ast
from idsl.semantics.units import unit


@attrs.frozen
class Dim:
    """What a quantity measures: money or a count (with its unit), a rate, points, a plain number, yes/no."""

    kind: str  # 'money', 'count', 'ratio', 'points', 'number', 'literal', 'bool', 'choice', 'unknown'
    unit: str | None = None  # 万元, 人 … for money and counts

    def describe(self) -> str:
        """How the quantity is named in messages."""
        names = {"money": "金额", "count": "数量", "ratio": "比率", "points": "分值", "number": "数值",
                 "literal": "数值", "bool": "是否", "choice": "选项", "unknown": "未知量"}
        return f"{names[self.kind]}（{self.unit}）" if self.unit else names[self.kind]


LITERAL = Dim("literal")  # a bare number: takes on the unit of what it meets
RATIO = Dim("ratio")
POINTS = Dim("points")
NUMBER = Dim("number")
UNKNOWN = Dim("unknown")
DIMENSIONLESS = ("ratio", "number", "literal")


def num_dim(num: ast.Num) -> Dim:
    """The dimension a literal is written in: 80% is a rate, 41.94 万人 a count, 3 a plain number."""
    if num.percent:
        return RATIO
    if num.unit is None:
        return LITERAL
    if num.unit in ("分", "pt", "pts"):
        return POINTS
    u = unit(num.unit)
    return Dim(u.kind, num.unit)


__all__ = ["DIMENSIONLESS", "LITERAL", "NUMBER", "POINTS", "RATIO", "UNKNOWN", "Dim", "num_dim"]
