"""Lowering: a checked AST becomes the Plan the scorer interprets.

`lower` resolves every leaf's names against its scope (leaf-local declarations shadow the
spec's), gives every node its full path and level, fills in defaults (places, table layout)
and stamps the plan with the SHA-256 of each source (its fingerprint is computed when first read).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Mapping

import attrs

from idsl.frontend import ast, shift
from idsl.semantics.model import (
    DEFAULT_COLUMNS,
    AdjustmentBlock,
    LayoutPlan,
    LayoutRow,
    LeafPlan,
    Node,
    PartPlan,
    Plan,
)
from idsl.frontend.source import Source
from idsl.memo import Memo
from idsl.semantics.graded import grade_input

DEFAULT_PLACES = 2
OVER_CUT = "超额调减"  # the field of a target's over-achievement deduction (财预〔2020〕10号 第十六条)
DISCRETION_CUT = "酌情扣分"  # the field of a leaf's bounded discretionary cut (§11.12)
NODATA_SCORE = "无数据得分"  # the evaluator's score of a leaf whose figure is missing: 无数据时 酌情 1～3 分 (§11.15)
DEFAULT_TOTAL = Decimal(100)

# Extra rows of the table, by the words the seeds use (the parser's table, repeated here so the
# model does not depend on the parser module).
_ROW_KINDS = {"小计": "subtotal", "一级指标小计": "subtotals", "subtotals": "subtotals", "逆向指标": "adjustments", "加减分项": "adjustments", "扣分项": "adjustments",
              "加分项": "adjustments", "合计": "total", "总分": "total", "等级": "grade",
              "subtotal": "subtotal", "adjustments": "adjustments", "total": "total", "grade": "grade"}


def lower(spec: ast.Spec, sources: Mapping[str, Source | str] | None = None) -> Plan:
    """The Plan of a checked spec; `sources` (path → Source or text) are hashed into the plan.

    >>> from idsl.frontend.parse import parse
    >>> spec, _ = parse(Source("t.idsl", '体系 "示例" 总分 10\\n决策（10）\\n  目标设定（10）\\n    酌情\\n'))
    >>> plan = lower(spec, {"t.idsl": "…"})
    >>> [n.key for n in plan.walk()], plan.places, len(plan.fingerprint)
    (['决策', '决策/目标设定'], 2, 64)
    """
    shared = _Scope.of(spec.inputs, spec.derived, spec.questionnaires, shared=True)
    nodes = tuple(_lowered_level1(indicator, shared) for indicator in spec.indicators)
    blocks = tuple(_lower_block(block, shared) for block in spec.adjustments)
    return Plan(
        title=spec.title or "",
        total=spec.total if spec.total is not None else DEFAULT_TOTAL,
        places=spec.places if spec.places is not None else DEFAULT_PLACES,
        grades=spec.grades,
        nodes=nodes,
        adjustments=blocks,
        shared_inputs=spec.inputs,
        shared_questionnaires=spec.questionnaires,
        layout=_lower_layout(spec),
        examples=spec.examples,
        vetoes=spec.vetoes,
        total_cap=spec.total_cap,
        grade_limits=spec.grade_limits,
        consequences=spec.consequences,
        rank_total=spec.rank_total,
        rescale_total=spec.rescale_total is not None,
        share_siblings=spec.share_siblings is not None,
        form=spec.form,
        source_hashes=_hashes(sources or {}),
    )


def _hashes(sources: Mapping[str, Source | str]) -> dict[str, str]:
    hashes = {}
    for path, source in sources.items():
        if isinstance(source, str):
            source = Source(path, source)
        hashes[path] = source.sha256
    return dict(sorted(hashes.items()))


# A level-1 indicator's nodes, by the identity of its AST and of the spec-level declarations it sees
# (both kept alive in the entry, so the ids are not reused): the workbench lowers a plan per keystroke,
# and the block-by-block parse hands back the same objects for the indicators that did not change, or
# copies moved to other lines, whose nodes are the first lowering's moved with them.
_LEVEL1 = Memo(4096)
shift.track(Node)  # the table drawn from a moved group is the same: it is known by the group's origin


def _lowered_level1(indicator: ast.Indicator, shared: "_Scope") -> Node:
    declarations = (shared.inputs, shared.derived, shared.questionnaires)
    first, lines = shift.origin(indicator)
    key = (id(first), tuple(id(d) for group in declarations for d in group))
    _kept_alive, lowered_at, node = _LEVEL1.get(
        key, lambda: ((first, declarations), lines, _lower_indicator(indicator, (), 1, shared)))
    if lowered_at == lines:
        return node
    top, bottom = shift.extent(indicator)  # only the block's own spans move, not the declarations' it reads
    moved_by = lines - lowered_at
    return shift.moved(node, moved_by, (top - moved_by, bottom - moved_by))


# ---------------------------------------------------------------- scopes


@attrs.frozen
class _Scope:
    """The names visible at one level: inputs, derived quantities and questionnaires, nearest first."""

    inputs: tuple[ast.Input, ...] = ()
    derived: tuple[ast.Derived, ...] = ()
    questionnaires: tuple[ast.Questionnaire, ...] = ()
    shared: tuple[str, ...] = ()  # names of spec-level inputs and questionnaires

    @classmethod
    def of(cls, inputs, derived, questionnaires, shared: bool = False) -> "_Scope":
        names = tuple(i.name for i in inputs) + tuple(q.name for q in questionnaires) if shared else ()
        return cls(tuple(inputs), tuple(derived), tuple(questionnaires), names)

    def inner(self, body: ast.LeafBody) -> "_Scope":
        """The scope inside a leaf or part body: its declarations first; an inner name hides an outer one."""
        local = {i.name for i in body.inputs} | {d.name for d in body.derived} | {q.name for q in body.questionnaires}
        inputs = tuple(body.inputs) + _implicit_inputs(body, local) + tuple(i for i in self.inputs if i.name not in local)
        local |= {i.name for i in inputs}
        derived = tuple(body.derived) + tuple(d for d in self.derived if d.name not in local)
        questionnaires = tuple(body.questionnaires) + tuple(q for q in self.questionnaires if q.name not in local)
        shared = tuple(name for name in self.shared
                       if name not in {i.name for i in body.inputs} | {q.name for q in body.questionnaires}
                       and name not in {d.name for d in body.derived})
        return _Scope(inputs, derived, questionnaires, shared)


def _implicit_inputs(body: ast.LeafBody, declared: set[str]) -> tuple[ast.Input, ...]:
    """A choice's field is an input even when not declared with 输入: its options are the labels."""
    rule = body.rule
    implicit: tuple[ast.Input, ...] = ()
    if isinstance(rule, ast.Choice) and rule.input not in declared:
        implicit = (ast.Input(rule.input, "choice", options=tuple(o.label for o in rule.options), span=rule.span),)
    if isinstance(rule, ast.Graded) and rule.tier not in declared:  # 评级's 等级: a choice of its grades
        implicit = (grade_input(rule),)
    if isinstance(rule, ast.Target) and rule.over_cut is not None and OVER_CUT not in declared:
        implicit = (over_cut_input(rule),)
    cut = next((a for a in body.adjusts if a.kind == "discretion"), None)
    if cut is not None and DISCRETION_CUT not in declared:
        implicit += (discretion_cut_input(cut),)
    if body.nodata is not None and body.nodata.outcome == "discretion" and NODATA_SCORE not in declared:
        implicit += (nodata_score_input(body.nodata),)
    return implicit


def nodata_score_input(nodata: ast.NoData) -> ast.Input:
    """无数据时 酌情 1～3 分: the evaluator's score where the figure is missing, left blank where it is not."""
    return ast.Input(NODATA_SCORE, "number", low=ast.Num(nodata.low or Decimal(0), span=nodata.span),
                     high=ast.Num(nodata.high or Decimal(0), span=nodata.span), optional=True, span=nodata.span)


def over_cut_input(rule: ast.Target) -> ast.Input:
    """超额调减: the deduction the evaluator gives a target, a number from 0 up to the bound the spec writes."""
    return _cut_input(OVER_CUT, rule.over_cut if rule.over_cut is not None else Decimal(0), rule.span)


def discretion_cut_input(adjust: ast.ScoreAdjust) -> ast.Input:
    """酌情扣分 (§11.12): the evaluator's cut of a leaf, a number from 0 up to the cap the spec writes."""
    return _cut_input(DISCRETION_CUT, adjust.cap, adjust.span)


def _cut_input(name: str, bound: Decimal, span) -> ast.Input:
    """A cut left blank is no cut (0), so an evaluator with nothing to cut need not type 0."""
    return ast.Input(name, "number", low=ast.Num(Decimal(0), span=span), high=ast.Num(bound, span=span),
                     blank_zero=True, span=span)


CUT_REASONS = {OVER_CUT: "超额调减必须写“理由”（如年初指标值设定明显偏低）。",
               DISCRETION_CUT: "酌情扣分必须写“理由”（如存在的不可抗拒因素或问题）。",
               NODATA_SCORE: "无数据时酌情给分，必须写“理由”（如缺少数据的原因和给分的依据）。"}


def reasoned_cuts(leaf: LeafPlan | None) -> dict[str, str]:
    """The evaluator's cuts of a leaf that need a 理由 when above 0 (超额调减, 酌情扣分), each with the message
    (`CUT_REASONS`)."""
    if leaf is None:
        return {}
    cuts = []
    if isinstance(leaf.rule, ast.Target) and leaf.rule.over_cut is not None:
        cuts.append(OVER_CUT)
    if any(a.kind == "discretion" for a in leaf.adjusts):
        cuts.append(DISCRETION_CUT)
    if leaf.nodata is not None and leaf.nodata.outcome == "discretion":  # needed whenever it is given
        cuts.append(NODATA_SCORE)
    return {cut: CUT_REASONS[cut] for cut in cuts}


def lower_body(spec: ast.Spec, *bodies: ast.LeafBody) -> LeafPlan:
    """The LeafPlan of the last body, its names resolved within the spec and the bodies enclosing it (a
    part's leaf): what `lower` gives that leaf or part, for the checker to lower one unit at a time."""
    scope = _Scope.of(spec.inputs, spec.derived, spec.questionnaires, shared=True)
    for body in bodies[:-1]:
        scope = scope.inner(body)
    return _lower_body(bodies[-1], scope)


def _lower_body(body: ast.LeafBody, outer: _Scope) -> LeafPlan:
    scope = outer.inner(body)
    parts: tuple[PartPlan, ...] = ()
    if isinstance(body.rule, ast.Parts):
        parts = tuple(PartPlan(part.name, part.points, _lower_body(part.body, scope), span=part.span)
                      for part in body.rule.parts)
    return LeafPlan(
        inputs=scope.inputs,
        derived=scope.derived,
        questionnaires=scope.questionnaires,
        shared=scope.shared,
        specials=body.specials,
        rule=body.rule,
        parts=parts,
        span=body.span,
        applies=body.applies,
        adjusts=body.adjusts,
        floor=body.floor.points if body.floor is not None else None,
        places=body.places.places if body.places is not None else None,
        nodata=body.nodata,
    )


# ---------------------------------------------------------------- the tree


def _lower_indicator(indicator: ast.Indicator, parent: tuple[str, ...], level: int, shared: _Scope) -> Node:
    path = parent + (indicator.name,)
    children = tuple(_lower_indicator(child, path, level + 1, shared) for child in indicator.children)
    if indicator.pool is not None and indicator.pool.kind != "best":  # 择一 / 任选 k 项: chosen by giving
        children = tuple(attrs.evolve(child, alternative=True) for child in children)
    leaf = None
    if not children:
        leaf = _lower_body(indicator.body or ast.LeafBody(), shared)
    return Node(
        path=path,
        name=indicator.name,
        points=indicator.points if indicator.points is not None else Decimal(0),
        level=level,
        explanation=indicator.explanation,
        standard=indicator.standard,
        not_applicable=_not_applicable(indicator, leaf),
        na_mark=indicator.not_applicable is not None or leaf is None or not _left_out_by_answer(leaf),
        reason_below=indicator.reason_below,
        weight=indicator.weight,
        children=children,
        leaf=leaf,
        span=indicator.span,
        pool=indicator.pool if children else None,
    )


def _not_applicable(indicator: ast.Indicator, leaf: LeafPlan | None) -> str | None:
    """What 不适用 does: as written; a leaf with 适用 若 or 无数据时 不适用 and no 不适用 line is left out (剔除)."""
    if indicator.not_applicable is None and leaf is not None and _left_out_by_answer(leaf):
        return "exclude"
    return indicator.not_applicable


def _left_out_by_answer(leaf: LeafPlan) -> bool:
    """Whether the evaluator's answers may leave the leaf out without a 不适用 mark: 适用 若, 无数据时 不适用."""
    return leaf.applies is not None or (leaf.nodata is not None and leaf.nodata.outcome == "na")


def _lower_block(block: ast.Adjustments, shared: _Scope) -> AdjustmentBlock:
    items = []
    for item in block.items:
        node = _lower_indicator(item, (block.name,), 2, shared)
        items.append(attrs.evolve(node, points=abs(node.points)))  # 自评工作质量（-10分）: the cap is 10
    return AdjustmentBlock(block.kind, block.name, abs(block.cap) if block.cap is not None else None,
                           tuple(items), span=block.span)


def _lower_layout(spec: ast.Spec) -> LayoutPlan:
    layout = spec.layout or ast.Layout()
    title = layout.title or (f"{spec.title}指标体系及评分表" if spec.title else "绩效评价指标体系及评分表")
    rows = tuple(LayoutRow(_ROW_KINDS.get(word, word), word) for word in layout.rows)
    labels = tuple((pair.indicator, pair.label) for pair in layout.labels)
    return LayoutPlan(title, layout.columns or DEFAULT_COLUMNS, rows, labels)


__all__ = ["DEFAULT_PLACES", "DISCRETION_CUT", "NODATA_SCORE", "OVER_CUT", "discretion_cut_input", "lower", "lower_body",
           "nodata_score_input", "over_cut_input", "reasoned_cuts"]
