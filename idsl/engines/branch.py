"""A branch's score from its children's rounded scores: summed, rescaled for 不适用 剔除, or shared among siblings."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from idsl.engines.result import NodeResult
from idsl.semantics import reasons
from idsl.semantics.numbers import half_up


def branch_score(children: list[NodeResult], points: Decimal, places: int, held: list[Decimal] | None = None,
                 rescale: bool = True) -> tuple[Decimal | None, str]:
    """A parent's score from its children's rounded scores (rescaled when some are 不适用 剔除). With `held`
    (按实际适用分值折算) a branch adds its children as they are and only the total (`rescale`) is rescaled,
    by the applicable points of the leaves below it."""
    applicable = [c for c in children if c.status != "not_applicable"]
    if not applicable:
        return None, "not_applicable"
    if any(c.status == "error" for c in applicable):  # a sum without a child the inputs could not score is no
        return None, "error"  # score of the branch (nor, above it, a total): the inputs' errors say why
    scored = [c for c in applicable if c.score is not None]
    if not scored:
        return None, "missing"
    exact = sum((c.score for c in scored), Decimal(0))  # leaves may be finer than the header (§11.14)
    if not rescale or (held is None and len(applicable) == len(children)):
        return half_up(exact, places), "scored"
    applicable_points = sum(held, Decimal(0)) if held is not None else sum((c.points for c in applicable), Decimal(0))
    if not applicable_points:
        return None, "not_applicable"
    # Rounded once, after the rescaling: a sum rounded first would round twice (6.456 → 6.46 → 13.42, not 13.41).
    return half_up(Fraction(exact) * Fraction(points) / Fraction(applicable_points), places), "scored"


def shared_score(children: list[NodeResult], points: Decimal, places: int) -> tuple[Decimal | None, str, str | None]:
    """分值平均分配给同级指标: the children left out hand their points equally to the applicable ones, each of
    which counts its score × (its points + the share) ÷ its points; the sum is exact, rounded half up once.
    Returns the score, the status and, where some child was left out, the sentence saying how."""
    applicable = [c for c in children if c.status != "not_applicable"]
    if not applicable:
        return None, "not_applicable", None
    if any(c.status == "error" for c in applicable):  # as branch_score: no sum over a child not scored for errors
        return None, "error", None
    scored = [c for c in applicable if c.score is not None]
    if not scored:
        return None, "missing", None
    if len(applicable) == len(children):
        return half_up(sum((c.score for c in scored), Decimal(0)), places), "scored", None
    left_out = [c for c in children if c.status == "not_applicable"]
    share = sum((Fraction(c.points) for c in left_out), Fraction(0)) / len(applicable)
    exact = sum((Fraction(c.score) * (Fraction(c.points) + share) / Fraction(c.points)
                 for c in scored if c.points), Fraction(0))
    score = half_up(exact, places)
    return score, "scored", reasons.shared_points([c.name for c in left_out], len(applicable), share, score)
