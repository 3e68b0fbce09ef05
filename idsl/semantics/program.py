"""A whole plan lowered to the score IR: every leaf's and item's score expression, and the grade.

The tree's sums (a branch is the sum of its children, rescaled when some are 不适用 剔除), the
blocks' caps and the total's limits are structural and the same for every spec; the engines
compute them from `Program`'s numbers. Everything rule-specific is in the expressions.
"""

from __future__ import annotations

import threading
from fractions import Fraction

import attrs

from idsl.frontend import ast
from idsl.semantics import explain as ex
from idsl.semantics import ir
from idsl.semantics.model import LeafPlan, Node, Plan
from idsl.semantics.phrases import describe_condition
from idsl.semantics.adjust import BASE, with_adjusts, zero_wins
from idsl.semantics.consequences import lower_consequence
from idsl.semantics.grade_limits import limit_branches
from idsl.semantics.rules import ITEM, SCORE, UnitIR, lower_unit, with_specials
from idsl.semantics.scope import Scope

TOTAL_NAMES = ("总分", "total", "合计", "得分", "评价得分")  # what a grade condition calls the total
TOTAL_FIELD = ir.Field("", "总分", "total", "number")  # the total, as grade conditions read it


@attrs.frozen
class PartIR:
    """One 分项 of a leaf."""

    name: str
    points: Fraction
    unit: UnitIR


@attrs.frozen
class LeafIR:
    """One leaf (or penalty/bonus item): its exact result and its score."""

    node: Node = attrs.field(eq=False, repr=False)  # the indicator
    points: Fraction  # 分值 (an item's cap)
    exact: ir.Named  # the result before holding and rounding, named 'exact' in the trace
    score: ir.Expr  # held within [0, points] and rounded half up (as published: rounded only)
    unit: UnitIR  # the rule (for a leaf with parts: the sum of the parts behind the leaf's special cases)
    parts: tuple[PartIR, ...] = ()  # the parts, when the leaf is scored by 分项
    item: bool = False  # a penalty or bonus item

    @property
    def key(self) -> str:
        """The indicator's path joined with /."""
        return self.node.key


@attrs.frozen
class Program:
    """The plan's score expressions."""

    leaves: tuple[LeafIR, ...]  # the tree's leaves, in table order
    items: tuple[LeafIR, ...]  # penalty and bonus items, block by block
    grade: ir.Expr  # the grade: Cases over TOTAL_FIELD giving Text, or a Fail (一票否优 included)
    places: int  # decimals of a score
    held: bool = True  # results held within [0, points]
    total: ir.Expr = TOTAL_FIELD  # the total as reported, over TOTAL_FIELD (一票否决: 0 when a veto holds)
    consequences: tuple[tuple[str, ir.Expr], ...] = ()  # 结果 付费比例: each name and its Cases over TOTAL_FIELD
    # 一票否优's condition over 共用 (the grade reads it in its top band only): every unit must be able to read it, as
    # the total's 一票否决 and 总分上限, or it is not scored (a questionnaire nobody answered)
    top_veto: ir.Cond | None = None

    by_key: dict[str, LeafIR] = attrs.field(init=False, eq=False, repr=False)  # leaves and items by path
    peers: tuple[ir.Peer, ...] = attrs.field(init=False, eq=False, repr=False)  # one Peer per peer set, table order

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "by_key", {leaf.key: leaf for leaf in self.leaves + self.items})
        found: dict[str, ir.Peer] = {}
        for leaf in self.leaves + self.items:
            for node in ir.walk(leaf.score):
                if isinstance(node, ir.Peer):
                    found.setdefault(node.name, node)
        object.__setattr__(self, "peers", tuple(found.values()))

    def ranked(self) -> tuple[str, ...]:
        """The leaves (and items) whose rule uses a unit's rank: each gets a 名次 column."""
        return tuple(leaf.key for leaf in self.leaves + self.items if rank_set(leaf) is not None)

    @property
    def veto_fields(self) -> list[ir.Field]:
        """The 共用 inputs 一票否决 (of the total or of a section) and 一票否优 read: required of every unit, in
        both engines, and reported as the spec's inputs rather than as each vetoed leaf's."""
        sections = [leaf.score.branches[0].cond for leaf in self.leaves + self.items
                    if isinstance(leaf.score, ir.Cases) and leaf.score.tag == SECTION_VETO]
        found = ir.fields(self.total) + ir.fields(self.grade) + [f for cond in sections for f in ir.fields(cond)]
        return [f for f in dict.fromkeys(found) if f.shared]

    def leaf(self, key: str) -> LeafIR:
        """A leaf or item by its path."""
        return self.by_key[key]


def rank_set(leaf: LeafIR) -> str | None:
    """The peer set whose rank a leaf's 名次 column shows: the first its rule ranks by."""
    return next((n.name for n in ir.walk(leaf.score) if isinstance(n, ir.Peer) and n.agg in ("rank", "rank_share")),
                None)


def lower_program(plan: Plan, held: bool = True) -> Program:
    """The plan's Program (cached per plan); `held=False` keeps results outside [0, points], as published."""
    key = (id(plan), held)
    with _LOCK:
        cached = _CACHE.get(key)
        if cached is not None and cached[0] is plan:
            return cached[1]
    sections = section_vetoes(plan)
    program = Program(tuple(vetoed_leaf(lower_leaf(node, plan.places, held=held), sections) for node in plan.leaves()),
                      tuple(lower_leaf(item, plan.places, item=True, held=held) for _b, item in plan.items()),
                      lower_grade(plan), plan.places, held, lower_total(plan), lower_consequences(plan),
                      veto_condition(plan, "top"))
    with _LOCK:
        if len(_CACHE) >= 16:
            _CACHE.pop(next(iter(_CACHE)))
        _CACHE[key] = (plan, program)
    return program


_CACHE: dict[tuple[int, bool], tuple[Plan, Program]] = {}  # holds the plan too, so its id is not reused
_LOCK = threading.Lock()


def lower_leaf(node: Node, places: int, item: bool = False, held: bool = True) -> LeafIR:
    """One leaf's or item's expressions."""
    leaf = node.leaf
    assert leaf is not None
    points = Fraction(node.points)
    scope = Scope(node, leaf, points)
    parts: tuple[PartIR, ...] = ()
    if leaf.parts:
        users = [p for p in leaf.parts if isinstance(p.leaf.rule, (ast.Checklist, ast.Discretionary))]
        parts = tuple(PartIR(p.name, Fraction(p.points), lower_unit(Scope(node, p.leaf, Fraction(p.points), p.name),
                                                                        item, f"{p.name}." if len(users) > 1 else ""))
                      for p in leaf.parts)
        inputs = {i.name: i for p in leaf.parts for i in p.leaf.inputs} | dict(scope.inputs)
        unit = with_specials(scope, leaf.specials, _sum_parts(parts, held), ex.MissingRuleText(), inputs)
    else:
        unit = lower_unit(scope, item)
    adjusted = unit.exact
    if leaf.adjusts:  # §11.12; a special case giving 不得分 keeps the leaf at 0
        base = ir.Named(BASE, unit.exact)
        adjusted = zero_wins(base, unit.special_tag, leaf.specials, with_adjusts(scope, leaf.adjusts, base))
    exact = ir.Named("exact", adjusted)
    floor = Fraction(leaf.floor) if leaf.floor is not None else Fraction(0)  # 最低 -2 分 (§11.14)
    within: ir.Expr = ir.Clamp(exact, floor, points) if held else exact
    own = leaf.places if leaf.places is not None else places  # 小数 4 位 of the leaf (§11.14)
    return LeafIR(node, points, exact, ir.Round(within, own), unit, parts, item)


def _sum_parts(parts: tuple[PartIR, ...], held: bool) -> ir.Expr:
    total: ir.Expr | None = None
    for part in parts:
        value: ir.Expr = ir.Named(f"{part.name}/exact", part.unit.exact)
        if held:
            value = ir.Clamp(value, Fraction(0), part.points)
        total = value if total is None else ir.Arith("+", total, value)
    return total if total is not None else ir.Const(Fraction(0))


# ---------------------------------------------------------------- the grade


class _GradeScope(Scope):
    """Names in grade conditions: every name of the total means the total."""

    def __init__(self, total: Fraction):
        super().__init__(Node(("等级",), "等级", total, 0), LeafPlan(), total)

    def ref(self, name: str, context: str | None = None) -> ir.Expr:
        if name in TOTAL_NAMES:
            return TOTAL_FIELD
        return ir.Fail(f"等级条件里的“{name}”不是总分（应写 {'、'.join(TOTAL_NAMES[:1])}）。", name)


def lower_grade(plan: Plan) -> ir.Expr:
    """The grade as cases over the total, in the order written; 否则 (or nothing) at the end.

    一票否优: while one of its conditions holds, a total in the first (top) grade gets the next grade
    written instead; 等级不高于: while enough leaves fall below their share, a better grade gets the limit's."""
    scope = _GradeScope(Fraction(plan.total))
    branches, rest = [], None
    for band in plan.grades:
        if isinstance(band.cond, ast.Otherwise):
            rest = rest or band.grade
            continue
        branches.append(ir.Branch(scope.cond(band.cond, TOTAL_FIELD), ir.Text(band.grade)))
    top, ranked = veto_condition(plan, "top"), ranked_grades(plan.grades)
    if top is not None and len(ranked) > 1 and not isinstance(ranked[0].cond, ast.Otherwise):
        capped = ir.Branch(ir.All((scope.cond(ranked[0].cond, TOTAL_FIELD), top)), ir.Text(ranked[1].grade))
        branches.insert(0, capped)
    branches[:0] = limit_branches(plan, ranked, lambda cond: scope.cond(cond, TOTAL_FIELD))
    otherwise: ir.Expr = ir.Text(rest) if rest is not None else ir.Fail("总分不在任何一个等级之内。")
    return ir.Cases(tuple(branches), otherwise, "grade")


def lower_consequences(plan: Plan) -> tuple[tuple[str, ir.Expr], ...]:
    """Each 结果 block as cases over the reported total, its conditions read as a grade's."""
    scope = _GradeScope(Fraction(plan.total))
    return tuple((c.name, lower_consequence(c, lambda cond: scope.cond(cond, TOTAL_FIELD))) for c in plan.consequences)


def ranked_grades(grades: tuple[ast.GradeBand, ...]) -> list[ast.GradeBand]:
    """The grade bands best first, by the least total each admits (written in either order; 否则 last).

    >>> from decimal import Decimal
    >>> t = ast.Ref("总分")
    >>> bands = (ast.GradeBand("差", ast.Compare((t, ast.Num(Decimal(60))), ("<",))),
    ...          ast.GradeBand("良", ast.Range(ast.Num(Decimal(60)), ast.Num(Decimal(90)))),
    ...          ast.GradeBand("优", ast.Compare((t, ast.Num(Decimal(90))), (">=",))))
    >>> [b.grade for b in ranked_grades(bands)]
    ['优', '良', '差']
    """
    return sorted(grades, key=lambda band: -_least_total(band.cond))


def _least_total(cond) -> Fraction | float:
    """The least total a grade condition admits: its lower end (-inf without one)."""
    if isinstance(cond, ast.Range) and isinstance(cond.low, ast.Num):
        return Fraction(cond.low.amount)
    if not isinstance(cond, ast.Compare):
        return float("-inf")
    least: Fraction | float = float("-inf")
    for left, op, right in zip(cond.operands, cond.ops, cond.operands[1:]):
        if isinstance(right, ast.Num) and op in (">", ">=", "="):
            least = max(least, Fraction(right.amount))
        elif isinstance(left, ast.Num) and op in ("<", "<=", "="):
            least = max(least, Fraction(left.amount))
    return least


def lower_total(plan: Plan) -> ir.Expr:
    """The total as reported: 0 while a 一票否决 condition holds, else the computed total, at most 总分上限
    (held at 0 and rounded half up as the total is)."""
    veto = veto_condition(plan, "total")
    total: ir.Expr = TOTAL_FIELD
    if plan.total_cap is not None:
        cap = ir.Named("总分上限", _shared_scope(plan).expr(plan.total_cap))
        total = ir.Round(ir.Clamp(ir.Extreme(False, (total, cap)), Fraction(0), None), plan.places)
    if veto is None:
        return total
    return ir.Cases((ir.Branch(veto, ir.Const(Fraction(0))),), total, "veto")


def veto_condition(plan: Plan, kind: str) -> ir.Cond | None:
    """Whether any veto of a kind ('total': 一票否决, 'top': 一票否优) holds, over the spec-level inputs."""
    lowered = tuple(cond for veto, cond in veto_conditions(plan) if veto.kind == kind)
    if not lowered:
        return None
    return lowered[0] if len(lowered) == 1 else ir.Any(lowered)


SECTION_VETO = "section-veto"  # the trace's tag: 1 when a 一票否决 of the leaf's section held


def section_vetoes(plan: Plan) -> list[tuple[tuple[str, ...], ast.Veto, ir.Cond]]:
    """Each 一票否决 of a section (一票否决 产出 若 …) with the path of the indicator it zeroes; a name that
    is no level-1 or level-2 indicator's (E458) zeroes nothing."""
    found = []
    for veto, cond in veto_conditions(plan):
        if veto.kind == "section":
            path = section_path(plan, veto.section or "")
            if path is not None:
                found.append((path, veto, cond))
    return found


def section_path(plan: Plan, name: str) -> tuple[str, ...] | None:
    """The level-1 or level-2 indicator of that name, when exactly one has it."""
    paths = [node.path for node in plan.walk() if node.level <= 2 and node.name == name]
    return paths[0] if len(paths) == 1 else None


def vetoed_leaf(leaf: "LeafIR", sections: list) -> "LeafIR":
    """A leaf under a vetoed section scores 0 while the veto's condition holds (the section is then 0)."""
    conds = tuple(cond for path, _veto, cond in sections if leaf.node.path[:len(path)] == path)
    if not conds:
        return leaf
    holds = conds[0] if len(conds) == 1 else ir.Any(conds)
    return attrs.evolve(leaf, score=ir.Cases((ir.Branch(holds, ir.Const(Fraction(0))),), leaf.score, SECTION_VETO))


def veto_text(plan: Plan, veto: ast.Veto) -> str:
    """One veto's sentence, for the table and the result ("" for a 一票否优 with no grade to cap at: E435)."""
    condition = describe_condition(veto.cond, words=True)
    if veto.kind == "total":
        return f"一票否决：如{condition}，总分为0分。"
    if veto.kind == "section":
        return f"一票否决：如{condition}，“{veto.section}”得0分。"
    if len(plan.grades) > 1:
        return f"一票否优：如{condition}，等级最高为{ranked_grades(plan.grades)[1].grade}。"
    return ""


def veto_conditions(plan: Plan) -> list[tuple[ast.Veto, ir.Cond]]:
    """Each veto with its condition lowered over the spec-level inputs (共用)."""
    scope = _shared_scope(plan)
    return [(veto, scope.cond(veto.cond)) for veto in plan.vetoes]


def _shared_scope(plan: Plan) -> Scope:
    """Names over the whole table (一票否决, 总分上限): the spec-level inputs; 分值 is 总分."""
    names = tuple(i.name for i in plan.shared_inputs) + tuple(q.name for q in plan.shared_questionnaires)
    leaf = LeafPlan(inputs=plan.shared_inputs, questionnaires=plan.shared_questionnaires, shared=names)
    return Scope(Node(("总分",), "总分", Fraction(plan.total), 0), leaf, Fraction(plan.total))


__all__ = ["ITEM", "LeafIR", "PartIR", "Program", "SCORE", "TOTAL_FIELD", "TOTAL_NAMES", "lower_grade", "lower_leaf",
           "lower_program", "lower_total", "lower_consequences", "ranked_grades", "veto_condition", "veto_conditions", "rank_set", "veto_text",
           "SECTION_VETO", "section_path", "section_vetoes", "vetoed_leaf"]
