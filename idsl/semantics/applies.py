"""适用 若: the yes/no input of a leaf that decides whether the leaf applies, read by readers, engines and checker."""

from __future__ import annotations

import attrs

from idsl.frontend import ast


@attrs.frozen
class Gate:
    """`适用 若 有政府采购` (wanted 是) or `适用 若 有政府采购 = 否`: the leaf applies where the input is `wanted`."""

    name: str  # the leaf's yes/no input
    wanted: bool  # the answer under which the leaf applies


def gate_of(cond: ast.Cond | None) -> Gate | None:
    """The gate a condition writes: one yes/no name alone, or compared (= / ≠) with 是 or 否; None otherwise
    (the checker reports that as E441)."""
    if not isinstance(cond, ast.Compare):
        return None
    if not cond.ops and isinstance(cond.operands[0], ast.Ref):
        return Gate(cond.operands[0].name, True)
    if len(cond.ops) != 1 or cond.ops[0] not in ("=", "!="):
        return None
    left, right = cond.operands
    if isinstance(left, ast.BoolLit):
        left, right = right, left
    if not (isinstance(left, ast.Ref) and isinstance(right, ast.BoolLit)):
        return None
    return Gate(left.name, right.value if cond.ops[0] == "=" else not right.value)


def leaf_gate(node) -> Gate | None:
    """The gate of a plan node (a leaf with `适用 若`), or None."""
    leaf = getattr(node, "leaf", None)
    return gate_of(leaf.applies) if leaf is not None else None


def gate_fails(gate: Gate, answer: bool | None) -> bool:
    """Whether an answer leaves the leaf out: given, and not the wanted one (a blank decides nothing)."""
    return answer is not None and answer != gate.wanted


__all__ = ["Gate", "gate_fails", "gate_of", "leaf_gate"]
