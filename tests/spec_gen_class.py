"""The equivalence generator's 单位类别 and 按类别 (a rule per class of unit; grammar/README.md §11.13), with its oracle.

The header declares two or three classes; a leaf now and then writes `按类别` with the classes split over one to
three lines, each line a rule of its own over inputs of its own (分档, 偏离, 目标, 得分 =, 按项扣分, 趋势), now and
then followed by 另扣/另加/酌情扣分 lines that every class reads (§11.12). A unit
gives its class under 共用 as the class, its letter, an unknown word or a blank. The oracle reads the reference:
the leaf is scored by its class's rule; an input only other classes' rules read may be left blank; a unit
without a class needs every input and its 按类别 leaves cannot be scored (未评 with blanks allowed, else an
error); an unknown class is an input error.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any

from hypothesis import strategies as st

from spec_gen import BLANK, Bad, Decl, Env, Names, Rule, UNAVAILABLE, pick

CLASS = "单位类别"  # the shared input a unit's class is given as
CLASS_SETS = [("行政单位", "参公事业单位", "事业单位"), ("一级预算单位", "二级预算单位"), ("行政单位", "事业单位")]
BRANCH_KINDS = ["bands", "bands", "deviation", "target", "formula", "per_finding", "trend"]


def declared_classes(draw) -> tuple[str, ...]:
    return draw(st.sampled_from(CLASS_SETS))


def class_line(draw, classes: tuple[str, ...]) -> str:
    return f"{pick(draw, '单位类别', '单位类别：')} " + pick(draw, "、", "，").join(classes)


def class_decl(classes: tuple[str, ...]) -> Decl:
    """単位类别 is read as a choice of the declared classes (the letters A, B … too)."""
    return Decl(CLASS, "choice", options=classes)


def class_value(draw, classes: tuple[str, ...], witness: bool) -> Any:
    """A unit's class: a declared one or its letter; now and then an unknown word or a blank."""
    if witness:
        return draw(st.sampled_from(classes))
    k = draw(st.integers(0, 11))
    if k == 0:
        return BLANK
    if k == 1:
        return Bad("企业")
    if k == 2:
        return chr(ord("A") + draw(st.integers(0, len(classes) - 1)))
    return draw(st.sampled_from(classes))


@dataclass
class ClassRule(Rule):
    """按类别: the rule of each group of classes; `needs` says which of the leaf's inputs each class reads."""

    branches: list[tuple[tuple[str, ...], Rule]] = field(default_factory=list)
    outside: set[str] = field(default_factory=set)  # inputs read after 按类别 (另扣, 另加): every class needs them

    def needs(self, name: str) -> set[str]:
        rule = next(r for group, r in self.branches if name in group)
        return {d.name for d in rule.decls} | self.outside


def _usable(rule: Rule) -> bool:
    """A rule 按类别 may hold (§11.13): over the leaf's own plain inputs, no evaluator's field, no 超额调减."""
    return not (rule.questionnaires or rule.over_cut or rule.reserved is not None or rule.implicit
                or rule.uses_shared or any(d.series is not None or d.optional for d in rule.decls))


def by_class_rule(draw, names: Names, points, include: frozenset, classes: tuple[str, ...]) -> ClassRule:
    import spec_gen

    makers = {"bands": spec_gen.bands_rule, "deviation": spec_gen.deviation_rule, "target": spec_gen.target_rule,
              "formula": spec_gen.formula_rule, "per_finding": spec_gen.per_finding_rule,
              "trend": spec_gen.trend_rule}
    order = draw(st.permutations(classes))
    count = draw(st.integers(1, len(classes)))
    cuts = sorted(draw(st.lists(st.integers(1, len(classes) - 1), min_size=count - 1, max_size=count - 1,
                                unique=True))) if count > 1 else []
    edges = [0] + cuts + [len(classes)]
    branches: list[tuple[tuple[str, ...], Rule]] = []
    for i in range(len(edges) - 1):
        group = tuple(order[edges[i]:edges[i + 1]])
        rule = None
        for _attempt in range(4):
            rule = makers[draw(st.sampled_from(BRANCH_KINDS))](draw, names, points, include)
            if _usable(rule):
                break
            rule = None
        if rule is None:
            rule = spec_gen.deviation_rule(draw, names, points, include)
        branches.append((group, rule))
    lines = [pick(draw, "按类别", "按类别：")]
    for group, rule in branches:
        lines.append("  " + pick(draw, "、", "，").join(group) + "：" + rule.lines[0])
        lines += ["  " + line for line in rule.lines[1:]]

    def award(env: Env):
        unit_class = env.get(CLASS)
        return next(r for group, r in branches if unit_class in group).award(env)

    def union(pick_values):
        def values(d):
            found = {}
            for _group, r in branches:
                got = pick_values(r)
                if got is None:
                    return None
                found.update(got(d))
            return found
        return values

    witness = union(lambda r: r.witness)
    rule = ClassRule(lines, award, [d for _g, r in branches for d in r.decls],
                     derived=[x for _g, r in branches for x in r.derived], values=union(lambda r: r.values),
                     witness=witness if all(r.witness is not None for _g, r in branches) else None,
                     options=set().union(*(r.options for _g, r in branches)), uses_shared=True, branches=branches)
    if draw(st.integers(0, 3)) != 0:
        return rule
    adjusted = spec_gen.with_adjusts(draw, names, rule, points)  # lines after the rule, read by every class
    return ClassRule(**{f.name: getattr(adjusted, f.name) for f in fields(Rule)}, branches=branches,
                     outside={d.name for d in adjusted.decls} - {d.name for d in rule.decls})


def unit_class(classes: tuple[str, ...] | None, raw: Any) -> Any:
    """The class a unit's 共用 value names, or UNAVAILABLE (blank, or not a declared class)."""
    decl = class_decl(classes)
    if raw is BLANK or not decl.valid(raw):
        return UNAVAILABLE
    return decl.parse(raw)


def not_needed(rule: Rule | None, unit_class: Any) -> set[str]:
    """The inputs of a 按类别 leaf its unit's class does not read (every input is needed without a class)."""
    if not isinstance(rule, ClassRule) or unit_class is UNAVAILABLE or unit_class is None:
        return set()
    return {d.name for d in rule.decls} - rule.needs(unit_class)


__all__ = ["CLASS", "ClassRule", "by_class_rule", "class_decl", "class_line", "class_value", "declared_classes",
           "not_needed", "unit_class"]
