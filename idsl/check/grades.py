"""Checks on grades: conditions over the total only, covering every total the spec can give exactly once."""

from __future__ import annotations

from fractions import Fraction
from typing import Iterator

import attrs

from idsl.frontend import ast
from idsl.check.context import Context
from idsl.check.dims import Dim
from idsl.check.env import Inference, Inferred, Leaf, to_fraction
from idsl.check.intervals import Interval, IntervalSet, closed
from idsl.check.notation import format_bound, format_interval
from idsl.check.rules import condition_set, resolve_otherwise
from idsl.diagnostics import Diagnostic, Label
from idsl.semantics.numbers import format_points
from idsl.semantics.program import TOTAL_NAMES

_POINTS = Dim("points")


def check_grades(context: Context) -> Iterator[Diagnostic]:
    """E201: grade conditions name the total; E407/E408: grade bands cover [0, 总分 + bonus caps] exactly once."""
    spec = context.spec
    strangers = [ref for grade in spec.grades for ref in _names(grade.cond) if ref.name not in TOTAL_NAMES]
    for ref in strangers:
        yield _not_total(ref)
    if strangers or not spec.grades or spec.total is None or spec.total <= 0:
        return  # a missing or non-positive total is reported as a points error
    total = to_fraction(spec.total)
    top = total + bonus_room(spec)  # bonuses can lift the total above 总分
    domain = IntervalSet.of(closed(Fraction(0), top))
    subject = Inferred(_POINTS, domain.parts[0])
    inference = Inference(Leaf(("等级",), spec.total, None, None, spec.span, {}, "grade"), context.sources)
    written = []
    for grade in spec.grades:
        where = condition_set(grade.cond, ast.Ref(_grade_subject(grade)), subject, inference)
        written.append(where.values.intersect(domain) if where.values is not None else None)
    for grade, values in zip(spec.grades, written):
        if values is not None and values.empty:
            yield Diagnostic("W506", f"等级“{grade.grade}”永远达不到：总分只在 0～{format_points(top)} 之间。",
                             grade.span, hint="核对等级的分数线是否按本体系的总分书写。")
    effective = resolve_otherwise([g.cond for g in spec.grades], written, domain)
    if any(v is None for v in effective):
        bad = next(g for g, v in zip(spec.grades, effective) if v is None)
        yield Diagnostic("E411", f"等级“{bad.grade}”的条件不是关于总分的比较。", bad.span,
                         hint="写成 优：总分 ≥ 90 或 良：80 ≤ 总分 < 90。")
        return
    yield from _gaps(spec, effective, domain, total, top)
    yield from _overlaps(spec, effective, domain)


def bonus_room(spec: ast.Spec) -> Fraction:
    """How far bonuses can lift the total above 总分: each bonus block's cap, else the sum of its items' caps."""
    room = Fraction(0)
    for block in spec.adjustments:
        if block.kind == "bonus":
            caps = [block.cap] if block.cap is not None else [i.points for i in block.items if i.points is not None]
            room += sum((abs(to_fraction(c)) for c in caps), Fraction(0))
    return room


def _not_total(ref: ast.Ref) -> Diagnostic:
    return Diagnostic("E201", f"没有定义“{ref.name}”：等级只按总分划分。", ref.span,
                      hint="等级条件只能比较总分（也可写作 合计、得分、评价得分），例如 优：总分 ≥ 90。")


def _names(node) -> Iterator[ast.Ref]:
    """Every name a condition uses."""
    if isinstance(node, ast.Ref):
        yield node
    elif isinstance(node, tuple):
        for item in node:
            yield from _names(item)
    elif attrs.has(type(node)) and not isinstance(node, ast.Num):
        for field in attrs.fields(type(node)):
            if field.name != "span":
                yield from _names(getattr(node, field.name))


def _gaps(spec: ast.Spec, effective, domain: IntervalSet, total: Fraction, top: Fraction) -> Iterator[Diagnostic]:
    covered = IntervalSet()
    for values in effective:
        covered = covered.union(values)
    for gap in domain.minus(covered).parts:
        text = format_interval(gap, "总分", _POINTS)
        hint = "调整相邻等级的边界使其首尾相接，例如 良：80 ≤ 总分 < 90（而不是 80～89）。"
        if gap.hi > total:  # only bonuses reach there
            hint = (f"加分项可使总分超过 {format_points(total)}（最高 {format_points(top)}）："
                    f"让最高等级不设上限，例如 优：总分 ≥ 90。")
        yield Diagnostic("E407", f"{text} 时没有等级。", spec.grades[0].span, hint=hint)


def _overlaps(spec: ast.Spec, effective, domain: IntervalSet) -> Iterator[Diagnostic]:
    grades = list(zip(spec.grades, effective))
    for i, (grade, values) in enumerate(grades):
        for other, other_values in grades[i + 1:]:
            for part in values.intersect(other_values).parts:
                text = format_interval(part, "总分", _POINTS)
                yield Diagnostic("E408", f"{text} 时既是“{grade.grade}”又是“{other.grade}”。", other.span,
                                 hint=_grade_overlap_hint(part, _low_high(grade, values, other, other_values), domain),
                                 labels=(Label(grade.span, f"“{grade.grade}”的范围"),))


def _low_high(grade, values, other, other_values) -> tuple[str, str]:
    """The two overlapping grades' names, the one reaching lower first."""
    if (values.lowest, values.highest) <= (other_values.lowest, other_values.highest):
        return grade.grade, other.grade
    return other.grade, grade.grade


def _grade_overlap_hint(part: Interval, names: tuple[str, str], domain: IntervalSet) -> str:
    """What to write so that the overlap goes, in the two grades' own names: the lower one stops short of it,
    or the higher one starts past it (an end of the scores' range is no edit: the grade just reaches it)."""
    low, high = names
    if part.is_point:
        at = format_bound(part.lo, _POINTS)
        return f"{at} 分只能属于一个等级：通常归较高的“{high}”（{high}：总分 ≥ {at}），“{low}”写到 总分 < {at} 为止。"
    ways = []
    if part.lo > domain.lowest:
        ways.append(f"“{low}”写到 总分 {'<' if part.lo_closed else '≤'} {format_bound(part.lo, _POINTS)} 为止")
    if part.hi < domain.highest:
        ways.append(f"“{high}”从 总分 {'>' if part.hi_closed else '≥'} {format_bound(part.hi, _POINTS)} 起")
    if not ways:  # the two cover the same whole range
        return (f"“{low}”和“{high}”的条件覆盖同一段总分：改写其中一个，让相邻等级首尾相接，"
                "例如 良：80 ≤ 总分 < 90，优：总分 ≥ 90。")
    return f"让“{low}”和“{high}”首尾相接而不重叠：" + "，或".join(ways) + "。"


def _grade_subject(grade: ast.GradeBand) -> str:
    cond = grade.cond
    operands = cond.operands if isinstance(cond, ast.Compare) else ()
    names = [o.name for o in operands if isinstance(o, ast.Ref)]
    return names[0] if names else "总分"


__all__ = ["bonus_room", "check_grades"]
