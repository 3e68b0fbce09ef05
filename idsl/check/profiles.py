"""Checks of a spec's weights and points against the authoring profiles it names with `依据` (W516, W517, E453)."""

from __future__ import annotations

from decimal import Decimal
from typing import Iterator

from idsl.frontend import ast
from idsl.check.context import Context
from idsl.check.env import walk
from idsl.diagnostics import Diagnostic, Label
from idsl.profiles import Profile, Rule, find, profiles
from idsl.semantics.numbers import format_points


def check_profiles(context: Context) -> Iterator[Diagnostic]:
    """E453: a profile idsl does not know; W516, W517: what each named profile's rules find."""
    for basis in context.spec.bases:
        profile = find(basis.name)
        if profile is None:
            known = "、".join(p.name for p in profiles())
            yield Diagnostic("E453", f"不认识的依据“{basis.name}”。", basis.span,
                             hint=f"已知的依据：{known}。")
            continue
        for rule in profile.rules:
            yield from _RULES[rule.kind](context.spec, profile, rule, basis)


def _cite(profile: Profile, rule: Rule) -> str:
    return f"{profile.name} {rule.article}：“{rule.quote}”"


def _level1(spec: ast.Spec) -> list[ast.Indicator] | None:
    """The level-1 indicators, or None while a total or a level-1 points is still missing."""
    if spec.total is None or spec.total <= 0 or not spec.indicators or any(i.points is None for i in spec.indicators):
        return None  # points still to fill, or a total other checks report (E301, E304)
    return list(spec.indicators)


def _weights(spec: ast.Spec, profile: Profile, rule: Rule, basis: ast.Basis) -> Iterator[Diagnostic]:
    """The level-1 weights are one of the profile's sets, unless an adjustment the article allows is declared."""
    level1 = _level1(spec)
    if level1 is None or (basis.adjustment is not None and rule.adjustable):
        return
    present: dict[str, list[ast.Indicator]] = {}
    for indicator in level1:
        present.setdefault(profile.category(indicator.name) or "", []).append(indicator)
    fits = [s for s in rule.sets if "" not in present and set(present) <= set(s)
            and set(s) - set(rule.optional) <= set(present)]
    if not fits:
        yield _no_set(spec, profile, rule, basis)
        return
    points = {c: sum((i.points for i in found), Decimal(0)) for c, found in present.items()}
    best = min((_expected(s, points, spec.total) for s in fits), key=lambda e: sum(points[c] != e[c] for c in points))
    for category, found in present.items():
        if points[category] != best[category]:
            yield _weight_differs(found[0], points[category], best[category], profile, rule, basis)


def _expected(weights: dict[str, Decimal], points: dict[str, Decimal], total: Decimal) -> dict[str, Decimal]:
    """Each present category's points under a set: its weight's share of the present weights, of the total.
    A category left out (预算执行率 in the header block, or not set at budget time) leaves the rest in proportion.
    The total, not the points written, is shared: where they differ (E303) the footnote's own points are the fix."""
    weight = sum((weights[c] for c in points), Decimal(0))
    return {c: (weights[c] * total / weight).quantize(Decimal("0.01")).normalize() for c in points}


def _no_set(spec: ast.Spec, profile: Profile, rule: Rule, basis: ast.Basis) -> Diagnostic:
    names = "、".join(i.name for i in spec.indicators)
    sets = "；".join("、".join(f"{c} {format_points(w)}%" for c, w in s.items()) for s in rule.sets)
    return Diagnostic("W516", f"一级指标（{names}）与依据的权重设置对应不上。{_cite(profile, rule)}",
                      spec.indicators[0].span, hint=f"一级指标应为：{sets}。{_adjust_hint(rule)}",
                      labels=(Label(basis.span, "依据"),))


def _weight_differs(indicator, points, expected, profile, rule, basis) -> Diagnostic:
    return Diagnostic("W516", f"“{indicator.name}”{format_points(points)} 分，按依据应为 {format_points(expected)} 分。"
                              f"{_cite(profile, rule)}",
                      indicator.points_span, (indicator.name,),
                      hint=f"改为（{format_points(expected)}）。{_adjust_hint(rule)}", labels=(Label(basis.span, "依据"),))


def _adjust_hint(rule: Rule) -> str:
    if rule.adjustable:
        return "确有特殊情况而调整权重的，在依据下写一行 权重调整 理由。"
    return "本条没有调整权重的规定。"


def _at_level(indicators, level: int, depth: int = 1):
    for indicator in indicators:
        if depth == level:
            yield indicator
        else:
            yield from _at_level(indicator.children, level, depth + 1)


def _summed(spec: ast.Spec, profile: Profile, categories, level: int = 1) -> tuple[Decimal | None, list]:
    found = [i for i in _at_level(spec.indicators, level) if profile.category(i.name) in categories]
    if any(i.points is None for i in found):
        return None, found
    return sum((i.points for i in found), Decimal(0)), found


def _min_share(spec: ast.Spec, profile: Profile, rule: Rule, basis: ast.Basis) -> Iterator[Diagnostic]:
    """The named categories together hold at least the rule's share of the total."""
    if _level1(spec) is None:
        return
    points, found = _summed(spec, profile, rule.categories, rule.level)
    if points is None:
        return
    share = points * 100 / spec.total
    if share < rule.percent:
        least = rule.percent * spec.total / 100
        where = found[0] if found else spec.indicators[0]
        what = "、".join(rule.categories)
        yield Diagnostic("W516", f"{what}指标合计 {format_points(points)} 分，占总分 {format_points(share.quantize(Decimal('0.01')).normalize())}%，"
                                 f"低于 {format_points(rule.percent)}%。{_cite(profile, rule)}",
                         where.points_span if found else where.span, hint=f"{what}指标合计至少 {format_points(least)} 分。",
                         labels=(Label(basis.span, "依据"),))


def _greater(spec: ast.Spec, profile: Profile, rule: Rule, basis: ast.Basis) -> Iterator[Diagnostic]:
    """The named categories together hold more points than the others named."""
    if _level1(spec) is None:
        return
    (more, found), (less, _) = _summed(spec, profile, rule.categories), _summed(spec, profile, rule.than)
    if more is not None and less is not None and more <= less:
        yield Diagnostic("W516", f"{'、'.join(rule.categories)}指标合计 {format_points(more)} 分，不大于"
                                 f"{'、'.join(rule.than)}指标合计 {format_points(less)} 分。{_cite(profile, rule)}",
                         (found[0] if found else spec.indicators[0]).points_span,
                         hint="实施中后期的评价应加大产出和效果指标的分值。", labels=(Label(basis.span, "依据"),))


def _integer_points(spec: ast.Spec, profile: Profile, rule: Rule, basis: ast.Basis) -> Iterator[Diagnostic]:
    """Every indicator's points are a whole number."""
    for path, indicator in walk(spec.indicators):
        if indicator.points is not None and indicator.points != indicator.points.to_integral_value():
            yield Diagnostic("W517", f"“{indicator.name}”的分值 {format_points(indicator.points)} 不是整数。"
                                     f"{_cite(profile, rule)}", indicator.points_span, path,
                             hint="把分值改为整数，并相应调整同级指标。", labels=(Label(basis.span, "依据"),))


def _level1_step(spec: ast.Spec, profile: Profile, rule: Rule, basis: ast.Basis) -> Iterator[Diagnostic]:
    """Level-1 points end in 0 or 5 (a multiple of the rule's step)."""
    for indicator in spec.indicators:
        if indicator.points is not None and indicator.points % rule.number != 0:
            yield Diagnostic("W517", f"一级指标“{indicator.name}”{format_points(indicator.points)} 分，尾数不是 5 或 0。"
                                     f"{_cite(profile, rule)}", indicator.points_span, (indicator.name,),
                             hint=f"改为 {format_points(rule.number)} 的倍数。", labels=(Label(basis.span, "依据"),))


def _level1_min(spec: ast.Spec, profile: Profile, rule: Rule, basis: ast.Basis) -> Iterator[Diagnostic]:
    """Each level-1 indicator has at least the rule's points."""
    for indicator in spec.indicators:
        if indicator.points is not None and indicator.points < rule.number:
            yield Diagnostic("W517", f"一级指标“{indicator.name}”{format_points(indicator.points)} 分，低于 "
                                     f"{format_points(rule.number)} 分。{_cite(profile, rule)}",
                             indicator.points_span, (indicator.name,),
                             hint=f"至少 {format_points(rule.number)} 分；或把它并入其他一级指标。",
                             labels=(Label(basis.span, "依据"),))


_RULES = {"weights": _weights, "min_share": _min_share, "greater": _greater, "integer_points": _integer_points,
          "level1_step": _level1_step, "level1_min": _level1_min}
