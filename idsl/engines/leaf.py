"""One leaf in the interpreter: its closures built once per program, the values it reads, and its sentence."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from idsl.engines.evaluate import Closure, Failure, Missing, Refused, build
from idsl.frontend import ast
from idsl.io.inputs import Tallies, Values
from idsl.limits import MAX_DECIMALS
from idsl.semantics import explain as ex
from idsl.semantics import ir, reasons
from idsl.semantics.model import Node
from idsl.semantics.numbers import to_decimal
from idsl.semantics.program import LeafIR, Program
from idsl.semantics.scope import SHARED, fill_shared


def closures(program: Program) -> dict[str, Closure]:
    """Each leaf's and item's score closure by path, the grade's under "", the total's under 总分 and 一票否优's
    condition under its name (built once per program)."""
    cached = _CLOSURES.get(id(program))
    if cached is not None and cached[0] is program:
        return cached[1]
    closures = {leaf.key: build(leaf.score) for leaf in program.leaves + program.items}
    closures[""] = build(program.grade)
    closures["总分"] = build(program.total)
    if program.top_veto is not None:
        closures["一票否优"] = build(program.top_veto)
    if len(_CLOSURES) >= 16:
        _CLOSURES.pop(next(iter(_CLOSURES)))
    _CLOSURES[id(program)] = (program, closures)
    return closures


_CLOSURES: dict[int, tuple[Program, dict[str, Closure]]] = {}  # holds the program too, so its id is not reused


def worded_failure(leaf_ir: LeafIR, problem: Failure, trace: dict[str, Any]) -> str:
    """The failure's message, with the value that fell between the bands when the rule is 分档."""
    units = [leaf_ir.unit] + [part.unit for part in leaf_ir.parts]
    for unit in units:
        explain = unit.explain
        if isinstance(explain, ex.BandsText) and explain.subject.tag in trace and problem.message == explain.gap:
            subject = explain.subject
            return ex.gap_text(subject.name, subject.text(trace, gap_places(explain, trace[subject.tag])))
    return problem.message


def gap_places(explain: ex.BandsText, value: object) -> int:
    """The decimals a value that fell between the bands is shown with: MAX_DECIMALS, trailing zeros dropped (79.995%
    between ＜79.99% and ≥80% is not shown as 80%), as the SQL engine words it too (`idsl.engines.sql.gaps`). A gap
    is E403 in a checked spec, so this is a safety net's message: one fixed rounding keeps it small in every query."""
    return MAX_DECIMALS


def given(values: Values) -> ex.Given:
    return ex.Given(tuple((m.points, m.state) for m in values.items or ()), values.reason,
                    tuple((name, bound.op) for name, bound in values.bounds.items()))


class Fetch:
    """Where the interpreter finds a field's value: the unit's bound values, its part's, or 共用."""

    __slots__ = ("values", "parts", "shared", "refused")

    def __init__(self, values: Values, parts: dict[str, Values], shared: dict[str, Any],
                 refused: frozenset[str] = frozenset()):
        self.values, self.parts, self.shared = values, parts, shared
        self.refused = refused  # 共用 inputs given a value their reader refused

    def __call__(self, field: ir.Field) -> Any:
        if field.shared:
            if field.declared in self.refused:
                raise Refused(f"共用.{field.declared}", f"改正“共用”下的“{field.declared}”。")
            if field.declared not in self.shared:
                raise Missing(f"{SHARED}.{field.declared}", fill_shared(field.declared))
            return _tally(self.shared[field.declared], field) if field.role == "tally" else self.shared[field.declared]
        values = self.parts[field.part] if field.part else self.values
        if field.role in ("input", "tally"):
            if field.declared not in values.fields:
                values = self._leaf_level(field)
            value = values.fields[field.declared]
            return _tally(value, field) if field.role == "tally" else value
        if field.role == "item":
            if values.items is None:
                raise Missing(field.name)
            mark = values.items[field.index - 1]
            return mark.state == "met" if field.kind == "flag" else mark.points
        if values.score is None:
            raise Missing(field.name, "酌情指标要填“得分”和“理由”。")
        return values.score

    def _leaf_level(self, field: ir.Field) -> Values:
        """A leaf-level input of a leaf scored by 分项 (read by its special cases): every part holds it."""
        for values in self.parts.values():
            if field.declared in values.fields:
                return values
        raise Missing(field.declared)


def _tally(tallies: Tallies, field: ir.Field) -> Fraction:
    return Fraction(tallies.rows[field.index - 1][field.option])


def missing_hint(node: Node, field: str) -> str | None:
    leaf = node.leaf
    if leaf is None:
        return None
    name = field.split(".")[-1]
    if name == "要素" and isinstance(leaf.rule, ast.Checklist):
        return f"给出 {len(leaf.rule.items)} 项要素各自是否符合，每项填“是”或“否”。"
    if name == "得分":
        return "酌情指标要填“得分”和“理由”。"
    for decl in leaf.inputs:
        if decl.name == name:
            what = {"rate": "比率，如 89.67%", "money": f"金额，单位{decl.unit}", "count": f"数量，单位{decl.unit}",
                    "number": "数值", "bool": "“是”或“否”", "findings": "问题个数",
                    "choice": "选项：" + "／".join(decl.options)}[decl.kind]
            return f"在“{node.name}”下填“{name}”（{what}）。"
    for questionnaire in leaf.questionnaires:
        if questionnaire.name == name and name not in leaf.shared:
            letters = "、".join(letter for letter, _score in questionnaire.options)
            return (f"在“{node.name}”下填“{name}”：{len(questionnaire.questions)} 题，每题依次填选 {letters} 的人数"
                    "（没人选的填 0）。")
    return None


def finish(exact: Fraction, points: Fraction, reason: str, held: bool = True, floor: Fraction = Fraction(0)) -> str:
    """The reason, with a remark when the rule's result lay outside [floor, points] (held to it, or kept as
    published); the floor is 0 unless the leaf writes 最低 -2 分."""
    if floor <= exact <= points:
        return reason
    if held:
        return reasons.clamped(reason, to_decimal(points), to_decimal(floor))
    return reasons.unclamped(reason, to_decimal(points))


__all__ = ["Fetch", "closures", "finish", "gap_places", "given", "missing_hint", "worded_failure"]
