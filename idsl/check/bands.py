"""Checks on step bands: no gaps, no conflicting overlaps, nothing unreachable, no jumps."""

from __future__ import annotations

import math
import re
from fractions import Fraction
from typing import Iterator

import attrs

from idsl.frontend import ast
from idsl.check.band_overlaps import holds_whole_number, marks_ends, overlaps, whole_subject
from idsl.check.context import Context, infer_input_ranges
from idsl.check.dims import RATIO, Dim, num_dim
from idsl.check.env import Inference, Leaf, to_fraction
from idsl.check.peers import peer_inside
from idsl.check.intervals import INF, Interval, IntervalSet, infinite
from idsl.check.notation import format_bound, format_interval, source_text
from idsl.check.rules import deviation_jump, linear_anchor_missing, outcome_at, rate_input
from idsl.check.unit_hints import percent_hint
from idsl.check.whole_gaps import widening
from idsl.diagnostics import Diagnostic, Label
from idsl.frontend.source import Span
from idsl.semantics.domains import counts_findings
from idsl.semantics.numbers import format_points
from idsl.semantics.scope import operands
from idsl.semantics.units import convertible


# The problems of an input per year or sub-project (合计, 加权平均, 取值, 逐年提高), found while inferring units
SERIES_CODES = ("E461", "E462", "E463", "E464")


def check_units(context: Context) -> Iterator[Diagnostic]:
    """E409/E410: quantities combined or compared are of one kind and unit; rates are written with %;
    E461–E464: the functions over an input per year or sub-project are written as §7.1 says."""
    for leaf in context.leaves:
        yield from context.remembered("units", leaf, lambda: _leaf_units(leaf, context))
    yield from _shared_input_ranges(context)


def _shared_input_ranges(context: Context) -> Iterator[Diagnostic]:
    """E409 in a spec-level input's 范围 (a leaf's own inputs are inferred with the leaf)."""
    inputs = context.spec.inputs
    if inputs:
        inference = Inference(Leaf((), None, None, None, inputs[0].span, {}), context.sources)
        infer_input_ranges(inputs, inference)
        yield from inference.problems


def _leaf_units(leaf, context: Context) -> Iterator[Diagnostic]:
    inference = context.inference(leaf)
    yield from (d for d in inference.problems if d.code in ("E409", "E410", "E430", *SERIES_CODES))
    yield from rule_unit_problems(leaf, context)


def rule_unit_problems(leaf, context: Context) -> list[Diagnostic]:
    """E409/E410 found in a leaf's formula, target or special cases (what its award bounds cannot survive)."""
    rule = leaf.body.rule if leaf.body else None
    found: list[Diagnostic] = []
    if isinstance(rule, ast.Formula):
        found.extend(_formula_unit(rule, leaf, context))
    if isinstance(rule, ast.Target):
        found.extend(_target_unit(rule, leaf, context))
    if isinstance(rule, ast.Deviation):
        found.extend(_deviation_percents(rule, leaf, context))
    for special in leaf.body.specials if leaf.body else ():
        found.extend(_special_percents(special.cond, leaf, context))
    return found


def _formula_unit(rule: ast.Formula, leaf, context: Context) -> Iterator[Diagnostic]:
    found = Inference(leaf, context.sources).expr(rule.expr)
    if found.dim.kind in ("ratio", "number") and _has_literal_factor(rule.expr):
        return  # 率 × 2: the seeds write the points as a bare number
    if found.dim.kind not in ("points", "literal", "unknown"):
        yield Diagnostic("E409", f"得分应以“分”计，这个公式算出的是{found.dim.describe()}。", rule.span, leaf.path,
                         hint="乘以分值，例如 得分 = 执行率 × 分值。")


def _special_percents(cond, leaf, context: Context) -> Iterator[Diagnostic]:
    """E410 in 若 … 则: a rate compared with a bare number above 1 (若 完成率 < 80 reads 8000%)."""
    if isinstance(cond, ast.BoolOp):
        for part in cond.parts:
            yield from _special_percents(part, leaf, context)
        return
    if not isinstance(cond, ast.Compare) or not cond.ops:
        return
    inference = Inference(leaf, context.sources)
    for a, b in zip(cond.operands, cond.operands[1:]):
        for number, other in ((a, b), (b, a)):
            if isinstance(number, ast.Num) and _bare(number, rate_input(other, leaf)) and not isinstance(other, ast.Num):
                if inference.expr(other).dim == RATIO:
                    yield _percent_missing(number, leaf)


def _deviation_percents(rule: ast.Deviation, leaf, context: Context) -> Iterator[Diagnostic]:
    """E410 in 偏离: a rate's target or limit written as a bare number above 1 (目标 100 reads 10000%)."""
    rate = rate_input(rule.subject, leaf)
    bare = [n for n in (rule.target, rule.limit) if isinstance(n, ast.Num) and _bare(n, rate)]
    if bare and Inference(leaf, context.sources).expr(rule.subject).dim == RATIO:
        yield from (_percent_missing(number, leaf) for number in bare)


def _bare(number: ast.Num, rate: bool) -> bool:
    """A bare number a rate cannot be compared with: above 1 (80 reads 8000%), or any but 0 beside a rate input."""
    return not number.percent and number.unit is None and (abs(number.value) > 1 or (rate and number.value != 0))


def _percent_missing(number: ast.Num, leaf) -> Diagnostic:
    return Diagnostic("E410", f"比率与 {number.value} 比较，却没有写 %。", number.span, leaf.path,
                      hint=percent_hint(number.value))


def _has_literal_factor(expr) -> bool:
    """Whether a product has a bare number among its factors (… × 2)."""
    if isinstance(expr, ast.BinOp) and expr.op in "*/":
        right_literal = isinstance(expr.right, ast.Num) and not expr.right.percent and expr.right.unit is None
        left_literal = expr.op == "*" and isinstance(expr.left, ast.Num) and not expr.left.percent and expr.left.unit is None
        return right_literal and expr.op == "*" or left_literal or _has_literal_factor(expr.left)
    return False


def _target_unit(rule: ast.Target, leaf, context: Context) -> Iterator[Diagnostic]:
    symbol = leaf.scope.get(rule.actual)
    if symbol is None or symbol.kind != "input":
        return
    decl = symbol.decl
    if rule.target.percent and decl.kind != "rate":
        yield Diagnostic("E409", f"目标是百分数，而“{rule.actual}”不是比率输入。", rule.span, leaf.path,
                         hint=f"声明为 输入 {rule.actual}：比率。")
    elif decl.kind == "rate" and _bare(rule.target, True):
        yield _percent_missing(rule.target, leaf)
    elif rule.target.unit and decl.unit and not convertible(rule.target.unit, decl.unit):
        yield Diagnostic("E409", f"目标以“{rule.target.unit}”计，实际值“{rule.actual}”以“{decl.unit}”计。",
                         rule.span, leaf.path, hint="让目标与实际值用同一单位。")
    elif rule.target.unit and decl.kind == "findings":  # ≤ 1 笔 counts findings as the table words them
        if not counts_findings(rule.target.unit):
            count = format(rule.target.value, "f")
            yield Diagnostic("E409", f"目标以“{rule.target.unit}”计，而“{rule.actual}”是问题数输入，只数个数。", rule.span,
                             leaf.path, hint=f"只写个数，例如 ≤ {count}，或带量词：≤ {count} 笔。")
    elif rule.target.unit and not decl.unit:  # 目标 完成率 ≥ 90 万元: the engines would read 90 in the input's terms
        inference = Inference(leaf, context.sources)
        inference.same_dim(inference.lookup(rule.actual, rule.span).dim, num_dim(rule.target), rule.target, "比较")
        yield from inference.problems


# ---------------------------------------------------------------- step bands


def check_band_coverage(context: Context) -> Iterator[Diagnostic]:
    """E403/E404/E405/E411: bands cover the subject's domain once, and each band can apply; a range in a
    special case has something to compare."""
    for leaf in context.leaves:
        rule = leaf.body.rule if leaf.body else None
        if isinstance(rule, ast.Bands) and leaf.points is not None:
            yield from context.remembered("coverage", leaf,
                                          lambda: _bands_rule(rule, leaf, context, to_fraction(leaf.points)))
        bodies = [leaf.body] if leaf.body else []
        bodies += [part.body for part in rule.parts] if isinstance(rule, ast.Parts) else []
        for body in bodies:
            for special in body.specials:
                yield from _subjectless_ranges(special.cond, leaf)


def _subjectless_ranges(cond, leaf) -> Iterator[Diagnostic]:
    """E411: `若 60%～80% 则 …` — a range only a band's subject gives a meaning to: here it compares nothing."""
    if isinstance(cond, ast.BoolOp):
        for part in cond.parts:
            yield from _subjectless_ranges(part, leaf)
    elif isinstance(cond, ast.Range):
        yield Diagnostic("E411", "“若”的条件里，区间没有比较对象。", cond.span, leaf.path,
                         hint="写出比较的量，例如 若 60% ≤ 支出进度 ≤ 80% 则 …；只有分档里可以省略。")


def _subject_text(rule: ast.Bands, context: Context) -> str:
    if rule.trend is not None:
        return "-".join(rule.trend)
    if isinstance(rule.subject, ast.Ref):
        return rule.subject.name
    return source_text(context.sources, rule.subject.span) or "比率"


def _bands_rule(rule: ast.Bands, leaf, context: Context, points: Fraction):
    zero_steps = [b for b in rule.bands if isinstance(b.outcome, ast.Linear) and b.outcome.step.amount == 0]
    for band in zero_steps:
        yield _zero_step(band.outcome, leaf)
    facts = context.band_facts(leaf)
    if zero_steps or any(d.severity == "error" for d in facts.problems):
        return  # the unit errors are reported by check_units; bounds computed past them mean nothing
    subject = _subject_text(rule, context)
    dim = _display_dim(rule, facts.subject.dim)
    for band, values in zip(rule.bands, facts.written):
        if values is None and not isinstance(band.cond, ast.Otherwise):
            yield Diagnostic("E411", f"这一档的条件不是只关于“{subject}”的比较。", band.cond.span, leaf.path,
                             hint=_malformed_band_hint(band.cond, subject))
    for band, values in zip(rule.bands, facts.effective):
        if values is not None and values.empty:
            yield Diagnostic("E405", f"这一档永远用不上：{subject} 的取值范围是 {_domain_text(facts, subject)}。",
                             band.span, leaf.path, hint="删去这一档，或改正它的条件。")
    for band, values in zip(rule.bands, facts.raw):
        # The anchor of 每降低/每增加 must be written: the scorer counts steps from the end as written.
        for part in (values.parts if values is not None else ()):
            if linear_anchor_missing(band.outcome, part):
                end = "上限" if band.outcome.direction == "down" else "下限"
                yield Diagnostic("E411", f"“每{'降低' if end == '上限' else '增加'}”需要从这一档的{end}起算，但这一档没有{end}。",
                                 band.outcome.span, leaf.path, hint="给这一档写出两端，例如 60%～80%。")
    if any(v is None for v in facts.effective):
        return
    yield from _gaps(rule, facts, subject, dim, leaf, points, context)
    yield from overlaps(rule, facts, subject, dim, leaf, points, context)
    yield from _signed_subject(rule, facts, subject, dim, leaf, context)


def _signed_subject(rule: ast.Bands, facts, subject: str, dim: Dim, leaf, context: Context) -> Iterator[Diagnostic]:
    """W507: the subject can be negative, but every band boundary is ≥ 0 (调增或调减 meant |x|)."""
    if facts.domain.lowest >= 0 or facts.subject.dim.kind == "unknown":
        return
    bounds = [e for values in facts.effective for part in values.parts for e in (part.lo, part.hi)
              if e not in (INF, -INF)]
    if bounds and min(bounds) >= 0:
        example = format_bound(-max(b for b in bounds if b > 0) * 2 if any(b > 0 for b in bounds) else -1, dim)
        lowest, values = next((b, v) for b, v in zip(rule.bands, facts.effective) if v.contains(-INF) or v.lowest == -INF)
        if any(p.lo == -INF and not infinite(p.hi) and p.hi <= 0 for p in values.parts):
            return  # `≤ 0%`: the band written for the negative values says the sign was meant
        yield Diagnostic(
            "W507", f"{subject} 可以是负数（如 {example}），各档却只按非负值写，负值都会落入“{_band_text(lowest, context)}”。",
            rule.span, leaf.path, hint=f"调增或调减都应计入时，写成 分档 |{subject}|。",
            labels=(Label(lowest.span, "负值都落在这一档"),))


def _band_text(band: ast.Band, context: Context) -> str:
    return source_text(context.sources, band.cond.span) or "最低一档"


def _display_dim(rule: ast.Bands, dim: Dim) -> Dim:
    """The dimension to print bounds in: the subject's, or percent when the bands are written in %."""
    if dim.kind != "unknown":
        return dim
    return RATIO if any(n.percent for n in _literals(rule.bands)) else dim


def _literals(node) -> Iterator[ast.Num]:
    """Every number literal inside a node."""
    if isinstance(node, ast.Num):
        yield node
    elif isinstance(node, tuple):
        for item in node:
            yield from _literals(item)
    elif attrs.has(type(node)):
        for field in attrs.fields(type(node)):
            yield from _literals(getattr(node, field.name))


def _zero_step(node, leaf) -> Diagnostic:
    return Diagnostic("E411", "每步的幅度不能为 0。", node.span, leaf.path, hint="写出非零的步长，例如 每降低 1% 扣 0.1 分。")


def _malformed_band_hint(cond, subject: str) -> str:
    operand = cond.operands[0] if isinstance(cond, ast.Compare) and len(cond.operands) == 1 else None
    if isinstance(operand, ast.BinOp) and operand.op == "-" and isinstance(operand.left, ast.Num):
        if isinstance(operand.right, ast.Num):  # 90%-80 人: two numbers of different kinds, so no range
            return "范围的两端应是同一种数（都带 % 或都不带，单位相同），例如 80%～90% 或 80%-90%；这里的“-”读作减号。"
        return "范围请写成 60%～90%：这里的“-”是减号。"
    if any(peer_inside(o) for o in operands(cond)):  # 执行率 ≥ 平均(执行率): the peers' figure is no constant
        return f"与其他单位比较时，把差或比写成分档对象：分档 {subject} - 平均({subject})：≥ 0 得满分；< 0 …"
    return f"写成 {subject} ≥ 80%、60%～80% 或 {subject} < 60% 这样的条件。"


def _domain_text(facts, subject: str) -> str:
    return "、".join(format_interval(p, subject, facts.subject.dim) for p in facts.domain.parts) or "空"


def _gaps(rule: ast.Bands, facts, subject: str, dim: Dim, leaf, points: Fraction, context: Context):
    covered = IntervalSet()
    for values in facts.effective:
        covered = covered.union(values)
    whole = whole_subject(rule, leaf)
    for gap in facts.domain.minus(covered).parts:
        if whole and not holds_whole_number(gap):
            continue  # 问题数 = 0、= 1、≥ 2: a count of findings never lies between 0 and 1
        if rule.trend is not None:
            yield _trend_gap(rule, gap, leaf)
            continue
        text = format_interval(_whole_part(gap) if whole else gap, subject, dim)
        hint = f"补上一档：{text} 得 0 分（或应得的分数）；或用“否则”兜底。"
        if gap.is_point and marks_ends(rule):
            at = format_bound(gap.lo, dim)
            hint = f"{at} 应属于相邻的某一档：在那一档的 {at} 这一端写“（含）”。"
        if whole and _whole_part(gap).is_point:
            hint = _missing_whole_hint(rule, facts, _whole_part(gap).lo, text, dim, leaf, points, context)
        if not whole and not holds_whole_number(gap) and _counted(rule, leaf):
            hint = f"“{subject}”只取整数（问题、事故的个数）时，声明为 输入 {subject}：问题数，整数之间就没有空档；否则" + hint
        yield Diagnostic("E403", f"{text} 时没有对应的档次。", rule.span, leaf.path, hint=hint)


def _missing_whole_hint(rule: ast.Bands, facts, missing: Fraction, text: str, dim: Dim, leaf, points: Fraction,
                        context: Context) -> str:
    """E403's hint where a 问题数 misses one whole value: that value, a band for it, or the neighbouring band
    widened to take it (`把“2～3笔”写成“1～3笔”`)."""
    at = format_bound(missing, dim)
    hint = f"缺的是整数 {at}：补上一档 {text} 得 0 分（或应得的分数）"
    widened = widening(rule, facts, missing, leaf, points, context)
    return hint + (f"；或{widened}，让 {at} 归入相邻一档。" if widened else "；或用“否则”兜底。")


def _counted(rule: ast.Bands, leaf) -> bool:
    """Whether the bands' subject is a 数量 input: a count that may be meant to take whole numbers only."""
    symbol = leaf.scope.get(rule.subject.name) if isinstance(rule.subject, ast.Ref) else None
    return symbol is not None and symbol.kind == "input" and symbol.decl.kind == "count"


def _trend_gap(rule: ast.Bands, gap: Interval, leaf) -> Diagnostic:
    """E403 of 趋势 in its own words: the direction (提高, 持平, 下降) no band names."""
    word = "提高" if gap.lo > 0 else "下降" if gap.hi < 0 else "持平"
    now, before = rule.trend
    return Diagnostic("E403", f"{now}较{before}{word}时没有对应的档次。", rule.span, leaf.path,
                      hint=f"补上一档：{word} 得 N 分（或 {word} 不得分）。")


def _whole_part(part: Interval) -> Interval:
    """The whole numbers of an interval, as a closed one: 1 < x < 3 is x = 2."""
    low = part.lo if infinite(part.lo) else Fraction(math.ceil(part.lo) if part.lo_closed else math.floor(part.lo) + 1)
    high = part.hi if infinite(part.hi) else Fraction(math.floor(part.hi) if part.hi_closed else math.ceil(part.hi) - 1)
    return Interval(low, high, not infinite(low), not infinite(high))



# ---------------------------------------------------------------- continuity and monotony (warnings)


def check_band_shape(context: Context) -> Iterator[Diagnostic]:
    """W504: a linear band meets its neighbours without a jump; W501: bands rise or fall one way."""
    for leaf in context.leaves:
        if leaf.points is not None:
            yield from context.remembered("shape", leaf, lambda: _leaf_shape(leaf, context))


def _leaf_shape(leaf, context: Context) -> Iterator[Diagnostic]:
    rule = leaf.body.rule if leaf.body else None
    points = to_fraction(leaf.points)
    if any(d.code == "E409" for d in context.inference(leaf).problems):
        return  # a step or limit in another unit (每 10000 元 on 万元): the shape would be the misreading's
    if isinstance(rule, ast.Deviation) and rule.step.amount == 0:
        yield _zero_step(rule, leaf)
        return
    if isinstance(rule, ast.Deviation) and not rule_unit_problems(leaf, context):  # 超过 10 on a rate: E410 says it
        jump = deviation_jump(rule, points)
        if jump is not None:
            beyond = _beyond_words(rule, context)
            yield Diagnostic("W504", f"偏离达到上限时还有 {format_points(jump)} 分，超过上限却直接{beyond}。",
                             rule.span, leaf.path, hint="核对每步扣分与上限：通常扣到上限时正好为 0。")
    if not isinstance(rule, ast.Bands):
        return
    if any(isinstance(b.outcome, ast.Linear) and b.outcome.step.amount == 0 for b in rule.bands):
        return
    facts = context.band_facts(leaf)
    if any(v is None for v in facts.effective):
        return
    pieces = sorted(((part, band) for band, values in zip(rule.bands, facts.effective) for part in values.parts
                     if not linear_anchor_missing(band.outcome, part)), key=lambda pb: (pb[0].lo, pb[0].hi))
    subject = _subject_text(rule, context)
    yield from _jumps(pieces, subject, facts.subject.dim, leaf, points)
    if whole_subject(rule, leaf):  # a 问题数 is never 0.5: what 否则 leaves between 0 and 1 awards nothing
        pieces = [(_whole_part(part), band) for part, band in pieces if holds_whole_number(part)]
    yield from _monotony(rule, pieces, leaf, points, subject)


# What a deviation past its limit earns as a Chinese spec writes it: 不得分, 得 0 分, 计 1 分
_BEYOND_WORDS = re.compile(r"不得分|[得计]\s*[0-9]+(?:\.[0-9]+)?\s*分")


def _beyond_words(rule: ast.Deviation, context: Context) -> str:
    """The outcome past the limit in the spec's own words (the text after `超过 10%`): `不得分` and `得 0 分` alike
    award 0. `zero` is said 不得分; `get N pts` and a rule the source does not show on one line, `得 N 分`."""
    end = rule.limit.span
    written = source_text(context.sources, Span(end.file, end.end_line, end.end_column,
                                                 rule.span.end_line, rule.span.end_column))
    words = (written or "").split("#")[0].strip()  # the rule's span runs on over a comment after it
    if _BEYOND_WORDS.fullmatch(words):
        return words
    if words.lower() == "zero":
        return "不得分"
    return f"得 {format_points(rule.beyond_points) if rule.beyond_points is not None else '0'} 分"


def _jumps(pieces, subject: str, dim: Dim, leaf, points: Fraction):
    for (left, left_band), (right, right_band) in zip(pieces, pieces[1:]):
        if left.hi != right.lo or infinite(left.hi):
            continue
        if not (isinstance(left_band.outcome, ast.Linear) or isinstance(right_band.outcome, ast.Linear)):
            continue
        at = left.hi
        a, b = outcome_at(left_band.outcome, left, at, points), outcome_at(right_band.outcome, right, at, points)
        if a != b and not (_starts_at(left_band.outcome, "down") or _starts_at(right_band.outcome, "up")):
            yield Diagnostic(
                "W504", f"{subject} 在 {format_bound(at, dim)} 处得分从 {format_points(a)} 跳到 {format_points(b)}。",
                right_band.span, leaf.path, hint="按文字的意思，逐步扣分到边界时应与下一档相接；核对每步扣分或边界。",
                labels=(Label(left_band.span, "相邻的一档"),))


def _starts_at(outcome, direction: str) -> bool:
    """A linear band that states its own starting points (起扣) at this anchor: the step is intended."""
    return isinstance(outcome, ast.Linear) and outcome.start is not None and outcome.direction == direction


def _monotony(rule: ast.Bands, pieces, leaf, points: Fraction, subject: str):
    values = []
    for part, band in pieces:
        ends = [e for e in (part.lo, part.hi) if not infinite(e)] or [Fraction(0)]
        values.extend(outcome_at(band.outcome, part, e, points) for e in ends)
    rising = all(a <= b for a, b in zip(values, values[1:]))
    falling = all(a >= b for a, b in zip(values, values[1:]))
    if not (rising or falling):
        if rule.trend is not None:  # 趋势: the bands are over the change, not over a rate
            now, before = rule.trend
            yield Diagnostic("W501", f"各档得分随{now}较{before}的变化（下降、持平、提高）先升后降（或先降后升），不是单调的。",
                             rule.span, leaf.path, hint="通常提高得分最多、下降得分最少；核对各方向的得分。")
            return
        yield Diagnostic("W501", f"各档得分随{subject}先升后降（或先降后升），不是单调的。", rule.span, leaf.path,
                         hint="若确属有意（如控制率过高过低都扣分），可以忽略；否则核对各档分数。")
