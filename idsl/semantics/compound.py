"""分档 over two subjects (是否按期完成、完成率), lowered into one selection of cases: a band holds where both its conditions do.

The bands are tried in this order, the same in both engines and in the checker (`idsl.check.compound_facts`):
the bands written with a condition on each subject, in the order written; then those with `否则` on one
side (what the other bands leave of their condition on the other side); then a closing `否则` alone.
"""

from __future__ import annotations

import attrs

from idsl.frontend import ast
from idsl.semantics import explain as ex
from idsl.semantics import ir
from idsl.semantics.conditions import band_ends, strictness
from idsl.semantics.counts import with_count_units, zero_words
from idsl.semantics.phrases import describe_condition, expr_text
from idsl.semantics.band_parts import band_outcome, constants, count_word, end_quantity, quantity
from idsl.semantics.scope import Scope


def tried_order(bands: tuple[ast.CompoundBand, ...]) -> list[ast.CompoundBand]:
    """The bands in the order the scorer tries them: both sides written, one side 否则, then 否则 alone."""
    def tier(band: ast.CompoundBand) -> int:
        return isinstance(band.first, ast.Otherwise) + isinstance(band.second, ast.Otherwise)
    return sorted(bands, key=tier)  # stable: the order written within each tier


def lower_compound(rule: ast.Compound, scope: Scope, item: bool, reserved: str):
    """The rule's selection of cases and the facts its reason needs."""
    first_expr, second_expr = rule.subjects
    first = ir.Named(scope.tag("subject"), _value(scope, first_expr))
    second = ir.Named(scope.tag("subject2"), scope.number(second_expr))
    branches, texts, words = [], [], []
    thresholds: tuple[list, list] = ([], [])  # each subject's ends written as numbers, for the reason
    zeros = zero_words(scope.inputs.values())
    for number, band in enumerate(tried_order(rule.bands), start=1):
        low, high = band_ends(band.second, second_expr)
        ends = {id(e): ir.Named(scope.tag(f"band{number}.{which}"), scope.number(e, second))
                for which, e in (("low", low), ("high", high)) if e is not None}
        cond = _both(scope.cond(band.first, first, None, first_expr), scope.cond(band.second, second, ends, second_expr))
        thresholds[0].extend(_first_ends(scope, band.first, first_expr, first))
        thresholds[1].extend(constants(ends))
        if number == 1:  # both subjects are computed (and may fail) before any band is chosen: the reason names both
            cond = _both(ir.All((ir.Compare(first, "=", first), ir.Compare(second, "=", second))), cond)
        counting = count_word(scope, second_expr)
        text = ex.BandText(*(end_quantity(scope, e, ends, counting) for e in (low, high)),
                           *strictness(band.second, second_expr))
        value, text = band_outcome(ast.Band(band.second, band.outcome), scope, second, ends, low, high, number, text,
                                   counting)
        branches.append(ir.Branch(cond, value))
        texts.append(text)
        words.append(band_words(_counted(band, second_expr, counting, zeros), rule.subjects))
    names = "与".join(expr_text(s) for s in rule.subjects)
    gap = ir.Fail(f"{names}的这一组合不在任何一档之内（分档有缺口）。", None, "体系的分档应覆盖所有组合；请修改体系。")
    tag = scope.tag("band")
    explain = ex.CompoundText(quantity(scope, first_expr, "subject"), quantity(scope, second_expr, "subject2"),
                              tuple(texts), tuple(words), tag,
                              (tuple(dict.fromkeys(thresholds[0])), tuple(dict.fromkeys(thresholds[1]))))
    return ir.Cases(tuple(branches), gap, tag), explain


def _value(scope: Scope, expr: ast.Expr) -> ir.Expr:
    """The first subject: a yes/no or an option as it is, anything else a number."""
    value = scope.expr(expr)
    return value if ir.kind_of(value) in ("flag", "label") else scope.number(expr)


def _first_ends(scope: Scope, cond: ast.Cond, subject_expr: ast.Expr, subject: ir.Expr) -> list:
    """The ends of a band's condition on a numeric first subject that are numbers written in the spec."""
    if ir.kind_of(subject) in ("flag", "label"):
        return []
    ends = band_ends(cond, subject_expr)
    return [value.value for value in (scope.number(e, subject) for e in ends if e is not None)
            if isinstance(value, ir.Const)]


def _both(first: ir.Cond, second: ir.Cond) -> ir.Cond:
    """Both sides' conditions; a side written 否则 (Truth) adds nothing."""
    parts = tuple(p for c in (first, second) if not isinstance(c, ir.Truth)
                  for p in (c.parts if isinstance(c, ir.All) else (c,)))
    if not parts:
        return ir.Truth(True)
    return parts[0] if len(parts) == 1 else ir.All(parts)


def side_words(cond: ast.Cond, subject: ast.Expr) -> str:
    """One side of a band as the 评分标准 and the reason read it: 是, 否, an option, `完成率≥95%`, 其他情况."""
    if isinstance(cond, ast.Compare) and cond.ops == ("=",) and isinstance(cond.operands[0], ast.Subject):
        word = cond.operands[1]
        if isinstance(word, ast.BoolLit):
            return "是" if word.value else "否"
        if isinstance(word, ast.Ref):
            return word.name
    return describe_condition(cond, expr_text(subject))


def _counted(band: ast.CompoundBand, subject: ast.Expr, counting: str | None, zeros: dict[str, str]) -> ast.CompoundBand:
    """A band whose second side, over a count, reads its bare numbers in the count's word as the 评分标准 does, and
    a count of none in its words (`zeros`: 未发现问题)."""
    if counting is None or not isinstance(subject, ast.Ref):
        return band
    return attrs.evolve(band, second=with_count_units(band.second, {subject.name: counting}, subject, zeros))


def band_words(band: ast.CompoundBand, subjects: tuple[ast.Expr, ast.Expr]) -> str:
    """A band as written, in a reason: `否，完成率≥95%`; a band written 否则 alone reads 其他情况."""
    if isinstance(band.first, ast.Otherwise) and isinstance(band.second, ast.Otherwise):
        return "其他情况"
    return "，".join(side_words(c, s) for c, s in zip((band.first, band.second), subjects))


__all__ = ["band_words", "lower_compound", "side_words", "tried_order"]
