"""The functions over the units scored together (§11.10) as the checker sees them in the AST."""

from __future__ import annotations

from idsl.frontend import ast

# The functions over the units scored together, as written
PEER_CALLS = {"peer_max": "最高", "peer_min": "最低", "peer_mean": "平均", "rank": "名次", "rank_share": "名次比",
              "ratio_max": "比最高", "ratio_min": "比最低"}


def peer_inside(expr) -> bool:
    """Whether an expression calls a function over the units scored together."""
    if isinstance(expr, ast.Call):
        return expr.func in PEER_CALLS or any(peer_inside(a) for a in expr.args)
    return any(peer_inside(getattr(expr, f)) for f in ("left", "right", "operand") if hasattr(expr, f))


def reads_names(expr) -> bool:
    """Whether an expression reads a name (an input or a quantity of the unit)."""
    if isinstance(expr, ast.Ref):
        return True
    children = [getattr(expr, f) for f in ("left", "right", "operand") if hasattr(expr, f)]
    return any(reads_names(c) for c in children + list(getattr(expr, "args", ())))


__all__ = ["PEER_CALLS", "peer_inside", "reads_names"]
