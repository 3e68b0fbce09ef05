"""无数据时: what a leaf scores when an input it reads, declared 可缺, is blank — cases tried before the rule."""

from __future__ import annotations

from fractions import Fraction

from idsl.frontend import ast
from idsl.semantics import explain as ex
from idsl.semantics import ir

NO_DATA = "无数据"  # how the reason starts: 无数据（上年支出未填），本项得满分。


def optional_fields(expr, inputs: dict[str, ast.Input]) -> list[ir.Field]:
    """The input fields an expression reads that are declared 可缺, each once, in evaluation order."""
    return [f for f in ir.fields(expr) if f.role == "input" and f.declared in inputs and inputs[f.declared].optional]


def nodata_cases(nodata: ast.NoData | None, fields: list[ir.Field],
                 points: Fraction) -> tuple[tuple[ir.Branch, ...], tuple[ex.SpecialText, ...]]:
    """One case per 可缺 input read: where it is blank the leaf scores what its 无数据时 line says."""
    if nodata is None:
        return (), ()
    award = ir.Const(points if nodata.points is None else Fraction(nodata.points))
    branches = tuple(ir.Branch(ir.Blank(f), award) for f in fields)
    texts = tuple(ex.SpecialText(f"{NO_DATA}（{f.declared}未填）", nodata.points) for f in fields)
    return branches, texts


def optional_inputs(leaf) -> tuple[ast.Input, ...]:
    """The inputs visible to a leaf plan that are declared 可缺."""
    return tuple(i for i in leaf.inputs if i.optional) if leaf is not None else ()


__all__ = ["NO_DATA", "nodata_cases", "optional_fields", "optional_inputs"]
