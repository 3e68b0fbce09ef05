"""A band's `扣 N 分` resolved into the award it leaves, once the points it deducts from are known."""

from __future__ import annotations

from decimal import Decimal

import attrs

from idsl.frontend import ast


def resolve_deductions(spec: ast.Spec) -> ast.Spec:
    """Every `扣 N 分` band outcome given the points it leaves: the points of what the band scores (a leaf's,
    or a part's own) less N; in a penalty item, whose rule gives the deduction, N itself. Where those points
    are unknown (a bonus item, points still to fill) the award stays unresolved for the checker (E465).
    Resolving again (after a merge changed the points) recomputes from the written N."""
    indicators = _indicators(spec.indicators, "score")
    adjustments = tuple(_block(block) for block in spec.adjustments)
    if _same(indicators, spec.indicators) and _same(adjustments, spec.adjustments):
        return spec
    return attrs.evolve(spec, indicators=indicators, adjustments=adjustments)


def deducted_award(deduct: Decimal, points: Decimal | None, kind: str) -> Decimal | None:
    """What `扣 N 分` awards where the band scores `points` in a `kind` ('score', 'penalty', 'bonus') item.

    >>> deducted_award(Decimal(1), Decimal(5), "score"), deducted_award(Decimal(2), Decimal(5), "penalty")
    (Decimal('4'), Decimal('2'))
    >>> deducted_award(Decimal(1), None, "score"), deducted_award(Decimal(1), Decimal(3), "bonus")
    (None, None)
    """
    if kind == "penalty":
        return deduct
    if kind == "bonus" or points is None:
        return None
    return points - deduct


def _same(new: tuple, old: tuple) -> bool:
    return all(a is b for a, b in zip(new, old))


def _block(block: ast.Adjustments) -> ast.Adjustments:
    items = _indicators(block.items, block.kind)
    return block if _same(items, block.items) else attrs.evolve(block, items=items)


def _indicators(indicators: tuple[ast.Indicator, ...], kind: str) -> tuple[ast.Indicator, ...]:
    return tuple(_indicator(indicator, kind) for indicator in indicators)


def _indicator(indicator: ast.Indicator, kind: str) -> ast.Indicator:
    children = _indicators(indicator.children, kind)
    body = _body(indicator.body, indicator.points, kind) if indicator.body is not None else None
    if body is indicator.body and _same(children, indicator.children):
        return indicator
    return attrs.evolve(indicator, children=children, body=body)


def _body(body: ast.LeafBody, points: Decimal | None, kind: str) -> ast.LeafBody:
    rule = _rule(body.rule, points, kind)
    return body if rule is body.rule else attrs.evolve(body, rule=rule)


def _rule(rule, points: Decimal | None, kind: str):
    """The rule with its bands' deductions resolved; the same object where it has none."""
    if isinstance(rule, (ast.Bands, ast.Compound)):
        bands = tuple(_band(band, points, kind) for band in rule.bands)
        return rule if _same(bands, rule.bands) else attrs.evolve(rule, bands=bands)
    if isinstance(rule, ast.Parts):  # a part's bands deduct from the part's own points
        parts = tuple(_part(part, kind) for part in rule.parts)
        return rule if _same(parts, rule.parts) else attrs.evolve(rule, parts=parts)
    if isinstance(rule, ast.ByClass):
        branches = tuple(_branch(branch, points, kind) for branch in rule.branches)
        return rule if _same(branches, rule.branches) else attrs.evolve(rule, branches=branches)
    return rule


def _part(part: ast.Part, kind: str) -> ast.Part:
    body = _body(part.body, part.points, kind)
    return part if body is part.body else attrs.evolve(part, body=body)


def _branch(branch: ast.ClassBranch, points: Decimal | None, kind: str) -> ast.ClassBranch:
    rule = _rule(branch.rule, points, kind)
    return branch if rule is branch.rule else attrs.evolve(branch, rule=rule)


def _band(band, points: Decimal | None, kind: str):
    outcome = band.outcome
    if not isinstance(outcome, ast.Fixed) or outcome.deduct is None:
        return band
    award = deducted_award(outcome.deduct, points, kind)
    return band if award == outcome.points else attrs.evolve(band, outcome=attrs.evolve(outcome, points=award))


__all__ = ["deducted_award", "resolve_deductions"]
