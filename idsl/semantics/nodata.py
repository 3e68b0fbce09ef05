"""无数据时: what a leaf scores when an input it reads, declared 可缺, is blank — cases tried before the rule,
or (无数据时 不适用) the condition that leaves the leaf out."""

from __future__ import annotations

from fractions import Fraction

from idsl.frontend import ast
from idsl.semantics import explain as ex
from idsl.semantics import ir
from idsl.semantics.lower import NODATA_SCORE
from idsl.semantics.numbers import format_points

NO_DATA = "无数据"  # how the reason starts: 无数据（上年支出未填），本项得满分。


def optional_fields(expr, inputs: dict[str, ast.Input]) -> list[ir.Field]:
    """The input fields an expression reads that are declared 可缺, each once, in evaluation order."""
    return [f for f in ir.fields(expr) if f.role == "input" and f.declared in inputs and inputs[f.declared].optional
            and f.declared != NODATA_SCORE]


def uncovered_fields(expr, inputs: dict[str, ast.Input]) -> list[ir.Field]:
    """The 可缺 fields an expression reads that no 无数据时 case inside it covers yet (a part's own line)."""
    covered = {n.field for n in ir.walk(expr) if isinstance(n, ir.Blank)}
    return [f for f in optional_fields(expr, inputs) if f not in covered]


def nodata_cases(nodata: ast.NoData | None, fields: list[ir.Field], points: Fraction,
                 score: ir.Expr | None = None) -> tuple[tuple[ir.Branch, ...], tuple[ex.SpecialText, ...]]:
    """One case per 可缺 input read: where it is blank the leaf scores what its 无数据时 line says (`score`:
    the evaluator's 无数据得分 for 酌情). 不适用 gives no case: it is `absent_when`."""
    if nodata is None or nodata.outcome == "na":
        return (), ()
    if nodata.outcome == "discretion":
        assert score is not None
        award: ir.Expr = score
        judged = f"{format_points(nodata.low)}～{format_points(nodata.high)}分"
        texts = tuple(ex.SpecialText(f"{NO_DATA}（{f.declared}未填）", nodata.high, judged=judged) for f in fields)
    else:
        award = ir.Const(points if nodata.points is None else Fraction(nodata.points))
        texts = tuple(ex.SpecialText(f"{NO_DATA}（{f.declared}未填）", nodata.points) for f in fields)
    return tuple(ir.Branch(ir.Blank(f), award) for f in fields), texts


def absent_when(nodata: ast.NoData | None, fields: list[ir.Field]) -> ir.Cond | None:
    """无数据时 不适用: the leaf is left out where any 可缺 input it reads is blank."""
    if nodata is None or nodata.outcome != "na" or not fields:
        return None
    blanks = tuple(ir.Blank(f) for f in fields)
    return blanks[0] if len(blanks) == 1 else ir.Any(blanks)


def blanks(cond: ir.Cond | None) -> list[ir.Blank]:
    """The blank inputs an `absent_when` condition asks about, in order."""
    if isinstance(cond, ir.Blank):
        return [cond]
    if isinstance(cond, ir.Any):
        return [b for part in cond.parts for b in blanks(part)]
    return []


def optional_inputs(leaf) -> tuple[ast.Input, ...]:
    """The inputs visible to a leaf plan that are declared 可缺."""
    return tuple(i for i in leaf.inputs if i.optional) if leaf is not None else ()


__all__ = ["NO_DATA", "absent_when", "blanks", "nodata_cases", "optional_fields", "optional_inputs",
           "uncovered_fields"]
