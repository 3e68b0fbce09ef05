"""A node's score in the scoring query: its rounded value, and the conditions under which it counts."""

from __future__ import annotations

from fractions import Fraction

import attrs

from idsl.engines.sql.fragments import TRUE, ZERO, Cond, Dec, Err, c_and, c_not, case, lit


@attrs.frozen
class NodeScore:
    """A node's rounded score, and when it has one."""

    value: Dec  # the rounded score (meaningless when not applicable, 未评 or in error)
    applicable: Cond | None  # None: always applicable
    points: Fraction
    err: Err | None = None  # what stopped it being scored
    scored: Cond | None = None  # None: always scored (else: not 未评 for a blank input)
    held: Dec | None = None  # 按实际适用分值折算: a branch's applicable points when they vary
    finer: bool = False  # a leaf kept to more places than the header's (小数 4 位, §11.14)

    def applicable_points(self) -> Dec:
        """The points of the leaves below that apply (a leaf left out holds 0)."""
        if self.held is not None:
            return self.held
        return lit(self.points) if self.applicable is None else case([(self.applicable, lit(self.points))], ZERO)

    def counted(self) -> Dec:
        """The score where it counts in a sum, else 0."""
        when = c_and([self.applicable or TRUE, self.scored or TRUE])
        return case([(c_not(when), ZERO)], self.value) if when.const is not True else self.value

    def output(self, failed: Cond, whole_row: bool = False, places: int | None = None) -> str:
        text = self.value.text
        if places is not None:
            text = f"CAST({text} AS DECIMAL(18,{places}))"
        when = c_and([self.applicable or TRUE, self.scored or TRUE])
        if when.const is not True:
            text = f"CASE WHEN {when.text} THEN {text} END"
        if whole_row:
            return null_if(failed, text)
        if self.err is not None:
            return f"CASE WHEN {self.err.text} IS NULL THEN {text} END"
        return text


def null_if(failed: Cond, text: str) -> str:
    if failed.const is False:
        return text
    return f"CASE WHEN {failed.text} THEN NULL ELSE {text} END"


__all__ = ["NodeScore", "null_if"]
