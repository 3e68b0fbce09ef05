"""The interpreter's side of 等级不高于: each leaf's score as the grade limits read it, and why a limit lowered the grade."""

from __future__ import annotations

from fractions import Fraction

from idsl.engines.result import NodeResult
from idsl.semantics.grade_limits import counted_names, limit_note, valid
from idsl.semantics.model import Plan
from idsl.semantics.program import ranked_grades


def leaf_scores(rows: list[NodeResult]) -> dict[str, Fraction]:
    """Each leaf's rounded score by its path; a leaf without one (不适用, not chosen) reads as its points."""
    return {row.key: Fraction(row.score) if row.status == "scored" and row.score is not None else Fraction(row.points)
            for row in rows if row.kind == "leaf"}


def limit_notes(plan: Plan, scores: dict[str, Fraction], grade: str | None, base: str | None) -> list[str]:
    """The limits that lowered the grade, each with the leaves it counted, then the grade before and after."""
    if grade is None or base is None or not plan.grade_limits:
        return []
    order = [band.grade for band in ranked_grades(plan.grades)]
    notes = []
    for limit in plan.grade_limits:
        if not valid(plan, limit) or base not in order or order.index(limit.grade) <= order.index(base):
            continue
        names = counted_names(plan, limit, scores)
        if len(names) >= limit.count:
            notes.append(limit_note(limit, names) + "。")
    if notes and grade != base:
        notes.append(f"等级由{base}降为{grade}。")
    return notes


__all__ = ["leaf_scores", "limit_notes"]
