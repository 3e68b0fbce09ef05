"""Scoring a system as published (复核): what the checker found in it, by leaf, and leaves no rule can score."""

from __future__ import annotations

from typing import Sequence

from idsl.diagnostics import Diagnostic
from idsl.frontend import ast
from idsl.semantics.model import LeafPlan, Node, Plan


class Defects:
    """What the checker found in a spec scored as published, by leaf."""

    def __init__(self, plan: Plan, diagnostics: Sequence[Diagnostic]):
        self.errors = tuple(d for d in diagnostics if d.severity == "error")
        self.by_leaf: dict[tuple[str, ...], list[Diagnostic]] = {}
        leaves = list(plan.leaves()) + [item for _block, item in plan.items()]
        for diagnostic in diagnostics:
            if diagnostic.code in _DOCUMENT_ONLY:
                continue
            leaf = next((n for n in leaves if _about(diagnostic, n)), None)
            if leaf is not None:
                self.by_leaf.setdefault(leaf.path, []).append(diagnostic)

    def of(self, node: Node) -> list[Diagnostic]:
        """The diagnostics about one leaf, in reading order."""
        return self.by_leaf.get(node.path, [])


_DOCUMENT_ONLY = ("W502",)  # diagnostics that say nothing about how a leaf scores


def _about(diagnostic: Diagnostic, node: Node) -> bool:
    """Whether a diagnostic is about a leaf: by its path (a part's path goes on), else by where it stands."""
    if diagnostic.path:
        return diagnostic.path[:len(node.path)] == node.path
    span, body = diagnostic.span, node.leaf.span if node.leaf is not None else node.span
    return span.file == body.file and body.line <= span.line <= body.end_line


def unnamed(found: list[Diagnostic], reason: str | None) -> list[tuple[str, str]]:
    """The diagnostics to name after a reason: all but the first of a code the reason already names (（E406）)."""
    named = {code for code in {d.code for d in found} if reason and f"（{code}）" in reason}
    kept = []
    for diagnostic in found:
        if diagnostic.code in named:
            named.discard(diagnostic.code)
            continue
        kept.append((diagnostic.code, diagnostic.message))
    return kept


def unscorable(leaf: LeafPlan) -> str | None:
    """Why a leaf's rule gives no score whatever the inputs (scoring as published), None when it can score."""
    for part in leaf.parts:
        why = unscorable(part.leaf)
        if why is not None:
            return f"分项“{part.name}”{why}"
    rule = leaf.rule
    if rule is None and not leaf.specials:
        return "规则缺失（E406）"
    if isinstance(rule, ast.Refine):
        return "待细化为个性指标（E452）"
    if isinstance(rule, ast.Target) and rule.placeholder:
        return "年度指标值待填（E451）"
    if isinstance(rule, ast.Checklist) and rule.each_placeholder:
        return "要素每项分值待填（E450）"
    if isinstance(rule, ast.Checklist) and rule.each is None and any(i.points is None for i in rule.items):
        return "要素没有分值（E411）"
    return None


__all__ = ["Defects", "unnamed", "unscorable"]
