"""按类别: a rule per class of unit (单位类别), lowered to cases over the unit's class; which inputs each class needs."""

from __future__ import annotations

from fractions import Fraction
from typing import Callable

import attrs

from idsl.frontend import ast
from idsl.semantics import ir
from idsl.semantics.explain import ClassText

CLASS = ast.CLASS_INPUT  # the shared choice a unit's class is given as


def lower_by_class(rule: ast.ByClass, scope, item: bool, reserved: str, lowerings: dict[type, Callable]):
    """Cases over 单位类别, one per class, each the lowering of its branch's rule; trace names of each branch's
    rule are kept apart by a prefix, so two branches of one kind do not share a subject."""
    field = scope.ref(CLASS)
    cases, classes, explains = [], [], []
    saved = scope.prefix
    for number, branch in enumerate(rule.branches, start=1):
        scope.prefix = f"{saved}类别{number}/"
        try:
            exact, explain = lowerings[type(branch.rule)](branch.rule, scope, item, reserved)
        finally:
            scope.prefix = saved
        for name in branch.classes:
            cases.append(ir.Branch(ir.Compare(field, "=", ir.Text(name)), exact))
            classes.append(name)
            explains.append(explain)
    tag = scope.tag("class")
    unknown = ir.Fail(f"{CLASS}不在“按类别”列出的类别之中。", CLASS, "在“共用”下填写体系“单位类别”一行列出的类别之一。")
    return ir.Cases(tuple(cases), unknown, tag), ClassText(tag, tuple(classes), tuple(explains))


def branch_for(rule: ast.ByClass, name: str | None) -> ast.ClassBranch | None:
    """The branch a class is scored by (None: no class given, or one no branch lists)."""
    return next((b for b in rule.branches if name in b.classes), None)


def by_class_rule(leaf) -> ast.ByClass | None:
    """The 按类别 rule of a plan leaf (LeafPlan) or AST body, or None."""
    rule = getattr(leaf, "rule", None)
    return rule if isinstance(rule, ast.ByClass) else None


def needed_inputs(leaf, name: str | None) -> set[str] | None:
    """The leaf's own inputs a unit of class `name` needs: those its branch's rule reads (through the leaf's
    quantities), and those read outside 按类别 (special cases, adjustments); None when every input is needed
    (no 按类别 rule, or no class to decide by)."""
    rule = by_class_rule(leaf)
    branch = branch_for(rule, name) if rule is not None else None
    if branch is None:
        return None
    derived = {d.name: d for d in leaf.derived}
    outside: list = [s.cond for s in leaf.specials] + [Ref(a.subject) for a in leaf.adjusts if a.subject]
    names = _closure(_rule_exprs(branch.rule) + outside, derived)
    return {decl.name for decl in leaf.inputs if decl.name in names}


def not_needed(leaf, shared: dict) -> set[str]:
    """The leaf's inputs the unit's class (given under 共用) does not need: not asked for when missing."""
    needed = needed_inputs(leaf, shared.get(CLASS)) if by_class_rule(leaf) is not None else None
    return set() if needed is None else {d.name for d in leaf.inputs} - needed


def class_inputs(leaf) -> dict[str, tuple[str, ...]]:
    """Each of the leaf's inputs read only by some classes → those classes (inputs every class needs are absent)."""
    rule = by_class_rule(leaf)
    if rule is None:
        return {}
    every = [c for b in rule.branches for c in b.classes]
    needs = {c: needed_inputs(leaf, c) or set() for c in every}
    return {d.name: tuple(c for c in every if d.name in needs[c]) for d in leaf.inputs
            if not all(d.name in needs[c] for c in every)}


def Ref(name: str) -> ast.Ref:  # noqa: N802 - reads like the node it builds
    return ast.Ref(name)


def _rule_exprs(rule: ast.Rule) -> list:
    """The expressions and names a branch's rule reads."""
    found: list = []
    for attribute in attrs.fields(type(rule)):
        value = getattr(rule, attribute.name)
        if isinstance(value, str) and attribute.name in ("actual", "subject", "rate", "completed", "input"):
            found.append(ast.Ref(value))
        elif attribute.name == "trend" and value is not None:  # 趋势 a 较 b
            found.extend(ast.Ref(v) for v in value)
        elif isinstance(value, tuple):
            found.extend(v for v in value if attrs.has(type(v)))
        elif attrs.has(type(value)):
            found.append(value)
    return found


def _closure(nodes: list, derived: dict) -> set[str]:
    """Every name the nodes read, through the leaf's derived quantities."""
    names: set[str] = set()
    todo = list(nodes)
    while todo:
        node = todo.pop()
        if isinstance(node, ast.Ref):
            if node.name not in names:
                names.add(node.name)
                if node.name in derived:
                    todo.append(derived[node.name].expr)
            continue
        if isinstance(node, (str, int, Fraction)) or node is None:
            continue
        if isinstance(node, tuple):
            todo.extend(node)
        elif attrs.has(type(node)):
            todo.extend(getattr(node, a.name) for a in attrs.fields(type(node)) if a.name != "span")
    return names


__all__ = ["CLASS", "branch_for", "by_class_rule", "class_inputs", "lower_by_class", "needed_inputs", "not_needed"]
