"""Checks that no rule can award more or less than its indicator's points, from the bounds of its score IR."""

from __future__ import annotations

from fractions import Fraction
from typing import Iterator

from idsl.frontend import ast
from idsl.check.band_overlaps import conflicts
from idsl.check.bands import rule_unit_problems
from idsl.check.bounds import rule_bounds
from idsl.check.compound import compound_overlaps
from idsl.check.context import Context
from idsl.check.deductions import deductions
from idsl.check.gates import gate_never_met
from idsl.check.intervals import INF
from idsl.check.placeholders import is_placeholder_rule
from idsl.check.rules import item_points
from idsl.diagnostics import Diagnostic
from idsl.semantics.numbers import format_points
from idsl.semantics.rules import TARGET_OPS


def check_award_bounds(context: Context) -> Iterator[Diagnostic]:
    """E401: the most a rule can award is exactly its points; E402: the least is not below 0; E411: a
    checklist prices every element; E414: a target is compared with ≥, ≤ or =."""
    for leaf in context.leaves:
        # Interval evaluation of every rule is most of a check: an unchanged leaf is not evaluated again.
        yield from context.remembered("awards", leaf, lambda: _leaf_awards(leaf, context))


def _nodata(body: ast.LeafBody) -> tuple:
    """The 无数据时 line, bounded as a special case is (§11.14)."""
    return (body.nodata,) if body.nodata is not None else ()


def _judged_beyond(body: ast.LeafBody, points) -> bool:
    """无数据时 酌情 over a range past the points: reported with that line (check.nodata), not as the rule's bound."""
    nodata = body.nodata
    return nodata is not None and nodata.outcome == "discretion" and nodata.high is not None and nodata.high > points


def _leaf_awards(leaf, context: Context) -> Iterator[Diagnostic]:
    rule = leaf.body.rule if leaf.body is not None else None
    problem = _shape_problem(rule, leaf)
    if problem is not None:
        yield problem
        return
    points = _cap(leaf)
    if not _boundable(rule, leaf, context, points):
        return
    too_high = _too_high(leaf.body, points)
    for special in too_high:
        what = "无数据时" if isinstance(special, ast.NoData) else "这个特殊情形"
        yield Diagnostic("E401", f"{what}给 {format_points(special.points)} 分，超过指标分值 "
                                 f"{format_points(points)} 分。", special.span, leaf.path,
                         hint=f"改为 得 {format_points(points)} 分 或 得满分。")
    if too_high or _bounded_elsewhere(rule, leaf, context, points):
        return
    yield from _bounds(rule, leaf, context, Fraction(points))


def rule_ceiling(leaf, context: Context) -> Fraction | None:
    """The most a leaf's rule can award, as E401 bounds it (its 另加 included): None where E401 bounds nothing
    (no rule or one still to fill, a rule in error, parts, grades or a gate bounded on their own) and for a rule
    without an upper bound. A recorded score above it is one the rule cannot give."""
    rule = leaf.body.rule if leaf.body is not None else None
    points = _cap(leaf)
    if (_shape_problem(rule, leaf) is not None or not _boundable(rule, leaf, context, points)
            or _too_high(leaf.body, points) or _bounded_elsewhere(rule, leaf, context, points)):
        return None
    bounds = rule_bounds(context.lowered(leaf))
    if bounds is None or bounds.high in (INF, -INF):
        return None
    return bounds.high + _added(leaf)


def _shape_problem(rule, leaf) -> Diagnostic | None:
    """What makes a rule's bound meaningless before it is computed: E411, E438, E414, E422."""
    if isinstance(rule, ast.Checklist) and _checklist_unpriced(rule) and not rule.each_placeholder:
        return Diagnostic("E411", "要素没有分值。", rule.span, leaf.path,
                          hint="在“要素”后写 每项 N 分，或 均分（指标分值平均分给各要素），或在每个要素末尾写（N分）。")
    if isinstance(rule, ast.Checklist) and rule.equal and (rule.partial or any(i.points is not None for i in rule.items)):
        return _equal_split_mixed(rule, leaf)
    if isinstance(rule, ast.Target) and rule.op not in TARGET_OPS:
        return _strict_target(rule, leaf)
    if isinstance(rule, ast.Target) and rule.over_cut is not None:
        return _bad_cut(rule, leaf)
    return None


def _boundable(rule, leaf, context: Context, points) -> bool:
    """Whether the rule is bounded here at all."""
    if isinstance(rule, (ast.Graded, ast.ByClass)):
        return False  # a grade's ranges are checked against 0 … points on their own (E455, E456), and each
        # branch of a ByClass is bounded on its own (its leaf of role 'class')
    if points is None or rule is None or points <= 0 or is_placeholder_rule(rule):
        return False  # a rule still to fill (E451, E452) awards nothing to check yet
    # A name, unit or step error makes any bound computed here meaningless; overlapping bands (E404) award
    # by whichever comes first, so their bound changes once the overlap is fixed.
    return not (context.has_errors(leaf) or _has_zero_step(rule) or _overlapping(rule, leaf, context)
                or rule_unit_problems(leaf, context))


def _too_high(body: ast.LeafBody, points) -> list:
    """The special cases (and 无数据时) that give more than the points."""
    return [s for s in body.specials + _nodata(body) if s.points is not None and s.points > points]


def _bounded_elsewhere(rule, leaf, context: Context, points) -> bool:
    """Parts add up to their points (E305) and each part is bounded on its own; a gate no unit meets (E454)
    leaves the rule unused, so what it could award is not the problem to report; 无数据时 酌情 past the
    points is reported with that line."""
    return isinstance(rule, ast.Parts) or gate_never_met(leaf, context) or _judged_beyond(leaf.body, points)


def _added(leaf) -> Fraction:
    """What the leaf's 另加 lines may add to its rule (§11.12)."""
    return sum((Fraction(a.cap) for a in leaf.body.adjusts if a.kind == "add"), Fraction(0))


def _cap(leaf):
    """The most a leaf may award: its points; a penalty/bonus item's cap may be written negative (-10分)."""
    if leaf.points is None:
        return None
    return abs(leaf.points) if leaf.role == "adjustment" else leaf.points


def _bounds(rule, leaf, context: Context, points: Fraction) -> Iterator[Diagnostic]:
    lowered = context.lowered(leaf)
    bounds = rule_bounds(lowered)
    if bounds is None or bounds.high == -INF:
        yield _never_scores(rule, leaf, points)
        return
    bonus = _added(leaf)
    if bounds.high > points or (bounds.high + bonus < points and not leaf.item  # an item's points are only its cap
                                and not _recorded_funds(context.spec, leaf)):
        yield _too_much_or_little(rule, leaf, bounds.high, points)
    # 扣完为止 holds a deduction at 0, but deductions written to pass 0 should say where they stop; a leaf's
    # 最低 -2 分 (§11.14) says it, and then only a result below that floor is the mistake.
    floor = leaf.body.floor.points if leaf.body.floor is not None and leaf.body.floor.points < 0 else None
    least = rule_bounds(lowered, floor=False) if bounds.floored and floor is None else bounds
    if least is not None and least.low < (floor if floor is not None else 0):
        yield _below_zero(rule, leaf, least.low) if floor is None else _below_floor(rule, leaf, least.low, floor)


def _recorded_funds(spec: ast.Spec, leaf) -> bool:
    """The 自评表's execution-rate leaf with both figures written: a published table's rate, so its rule may
    fall short of the points (a rate below 100%) without being wrong."""
    form = spec.form
    total = form.row(ast.FUNDS_ROWS[0]) if form is not None and form.leaf is not None else None
    return (total is not None and leaf.path == (form.leaf.name,)
            and all(cell.value is not None for cell in total.cells[1:]))


def _never_scores(rule, leaf, points: Fraction) -> Diagnostic:
    message = f"“{leaf.path[-1]}”的规则在任何输入下都算不出分数，而指标是 {format_points(points)} 分。"
    return Diagnostic("E401", message, rule.span, leaf.path,
                      hint="每一种情况都无法计算：检查条件是否缺少比较对象、范围的下限是否高于上限。")


def _bad_cut(rule: ast.Target, leaf) -> Diagnostic | None:
    """E422: 超额调减 needs a ≥ or ≤ target and a bound above 0 and within the points."""
    if rule.op == "=":
        return Diagnostic("E422", "“=”目标没有“高于指标值”的情况，不能超额调减。", rule.span, leaf.path,
                          hint="删去 超额调减，或把目标写成 ≥ 或 ≤。")
    if rule.over_cut <= 0 or (leaf.points is not None and rule.over_cut > leaf.points):
        most = format_points(leaf.points) if leaf.points is not None else "分值"
        return Diagnostic("E422", f"超额调减的上限 {format_points(rule.over_cut)} 分应大于 0 且不超过分值 {most} 分。",
                          rule.span, leaf.path, hint="第十六条是“适度调减”：写一个不超过分值的上限，例如 最多 2 分。")
    return None


def _strict_target(rule: ast.Target, leaf) -> Diagnostic:
    shown = {">": ">", "<": "<", "!=": "≠"}.get(rule.op, rule.op)
    better = "≥" if rule.op == ">" else "≤" if rule.op == "<" else "≥ 或 ≤"
    return Diagnostic("E414", f"目标只能用 ≥、≤ 或 = 比较，这里用了“{shown}”。", rule.span, leaf.path,
                      hint=f"写成 {better}：达到目标（含正好等于目标）得满分，未达到按完成比例得分。")


def _overlapping(rule, leaf, context: Context) -> bool:
    if isinstance(rule, ast.Compound):  # E446: the bound would change once the overlap is fixed, as for E404
        return compound_overlaps(context.band_facts(leaf), Fraction(_cap(leaf)))
    if not isinstance(rule, ast.Bands):
        return False
    return next(conflicts(rule, context.band_facts(leaf), Fraction(_cap(leaf)), leaf), None) is not None


def _has_zero_step(rule) -> bool:
    if isinstance(rule, ast.Deviation):
        return rule.step.amount == 0
    if isinstance(rule, (ast.Bands, ast.Compound)):
        return any(isinstance(b.outcome, ast.Linear) and b.outcome.step.amount == 0 for b in rule.bands)
    return False


def _checklist_unpriced(rule: ast.Checklist) -> bool:
    return rule.each is None and not rule.equal and any(item.points is None for item in rule.items)


def _equal_split_mixed(rule: ast.Checklist, leaf) -> Diagnostic:
    """E438: 要素 均分 splits the points equally: an element with points of its own, or 可酌情 (a part of a
    share that need not be a finite decimal), contradicts it."""
    if rule.partial:
        return Diagnostic("E438", "“要素 均分”不能与“可酌情”同用：各要素的分值是均分所得，可能不是有限小数，无法给出部分分值。",
                          rule.span, leaf.path, hint="去掉“可酌情”；或写 每项 N 分，可酌情。")
    own = next(i for i in rule.items if i.points is not None)
    return Diagnostic("E438", f"“要素 均分”的要素不能再写自己的分值（“{own.text}”写了 {format_points(own.points)} 分）。",
                      own.span, leaf.path, hint="均分时去掉各要素末尾的（N分）；分值不等时去掉“均分”，逐项写分值。")


def _too_much_or_little(rule, leaf, high, points: Fraction) -> Diagnostic:
    name = leaf.path[-1]
    if high == INF:
        return Diagnostic("E401", f"“{name}”的规则可以给出不设上限的分数，而指标只有 {format_points(points)} 分。",
                          rule.span, leaf.path, hint=_unbounded_hint(rule))
    verb = "最多能给" if high > points else "最多只能给"
    message = f"“{name}”的规则{verb} {format_points(high)} 分，而指标是 {format_points(points)} 分。"
    return Diagnostic("E401", message, rule.span, leaf.path, hint=_bound_hint(rule, high, points))


def _unbounded_hint(rule) -> str:
    if isinstance(rule, ast.Formula):
        return "比率可能超过 100%：写成 得分 = min(比率, 100%) × 分值。"
    return "给规则加上封顶，使得分不超过指标分值。"


def _bound_hint(rule, high, points: Fraction) -> str:
    if isinstance(rule, ast.Checklist):
        parts = " + ".join(format_points(item_points(rule, item)) for item in rule.items)
        each = points / len(rule.items) if rule.items else points
        suggestion = (f"例如 每项 {format_points(each)} 分" if each.denominator in (1, 2, 4, 5, 10, 20, 25)
                      else f"各要素平均分配时写 要素 均分（每项 {each.numerator}/{each.denominator} 分，精确计算）")
        return f"各要素分值 {parts} = {format_points(high)}；应合计 {format_points(points)} 分，{suggestion}。"
    if isinstance(rule, (ast.Bands, ast.Compound)):
        return f"最高一档应得 {format_points(points)} 分（得满分）。"
    if isinstance(rule, ast.Choice):
        return f"最好的选项应得 {format_points(points)} 分。"
    if isinstance(rule, ast.Discretionary):
        return f"酌情范围应到 {format_points(points)} 分为止。"
    if isinstance(rule, ast.Parts):
        return "各分项分值之和应等于指标分值。"
    return f"让规则的最高得分等于 {format_points(points)} 分，例如用“得满分”或“× 分值”。"


def _below_floor(rule, leaf, low, floor) -> Diagnostic:
    amount = "不设下限的负分" if low == -INF else f"低至 {format_points(low)} 分"
    return Diagnostic("E402", f"“{leaf.path[-1]}”的规则可能给出{amount}，低于它的 最低 {format_points(floor)} 分。",
                      rule.span, leaf.path, hint="核对扣分的步长和范围，或把 最低 改为原文允许的最低分。")


def _below_zero(rule, leaf, low) -> Diagnostic:
    name = leaf.path[-1]
    too_much = next((o for o in deductions(rule) if o.points is not None and o.points < 0), None)
    if too_much is not None:  # `扣 6 分` of 5: said at the band, where the fix is
        points = format_points(leaf.points)
        return Diagnostic("E402", f"这一档扣 {format_points(too_much.deduct)} 分，超过“{name}”的分值 {points} 分，"
                                  f"会给出负分（{format_points(too_much.points)} 分）。", too_much.span, leaf.path,
                          hint=f"这一档最多扣 {points} 分（扣满即不得分）；核对原文的扣分。")
    amount = "不设下限的负分" if low == -INF else f"负分（低至 {format_points(low)} 分）"
    linear = isinstance(rule, ast.Deviation) or isinstance(rule, (ast.Bands, ast.Compound)) and any(
        isinstance(b.outcome, ast.Linear) for b in rule.bands)
    hint = ("原文说“扣完为止”时，在扣分后写上：每降低 1% 扣 0.2 分，扣完为止；否则核对每步扣分或加一档“低于 X 不得分”。"
            if linear else "加一档“超过 X 不得分”，或让扣分在 0 分处为止。")
    return Diagnostic("E402", f"“{name}”的规则可能给出{amount}。", rule.span, leaf.path, hint=hint)
