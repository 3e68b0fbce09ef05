"""The context every check reads: the spec, its sources, its leaves and their inferred quantities."""

from __future__ import annotations

from decimal import Decimal
from typing import Callable, Iterable

import attrs

from idsl.frontend import ast, shift
from idsl.check.compound_facts import CompoundFacts, analyse_compound
from idsl.check.env import Inference, Leaf, input_inferred, leaves
from idsl.check.rules import BandFacts, analyse_bands
from idsl.check.unit_hints import percent_hint
from idsl.diagnostics import Diagnostic
from idsl.frontend.source import Source
from idsl.memo import Memo
from idsl.semantics.lower import lower_body
from idsl.semantics.model import Node
from idsl.semantics.program import LeafIR, lower_leaf


@attrs.frozen
class Context:
    """Computed once per spec; checks only read it."""

    spec: ast.Spec  # the merged spec
    sources: dict[str, Source]  # every file read, by the path spans name
    leaves: tuple[Leaf, ...]  # leaves, parts, penalty and bonus items
    inferences: tuple[Inference, ...]  # one per leaf, in the same order: names used, problems found
    band_analyses: tuple  # one per leaf: its BandFacts (CompoundFacts over two subjects) when its rule is 分档, else None
    shared_ids: tuple = ()  # identities of the spec-level declarations (what remembered results are keyed by)
    placements: tuple = ()  # one per leaf: where its parse came from (_placed), what its results are kept by
    _by_leaf: dict = attrs.field(factory=dict, repr=False)  # id(leaf) → its position

    def __attrs_post_init__(self):
        # Siblings may share a name (E202), so leaves are told apart by identity, not by path.
        self._by_leaf.update((id(leaf), i) for i, leaf in enumerate(self.leaves))

    def inference(self, leaf: Leaf) -> Inference:
        """The inference made for a leaf."""
        return self.inferences[self._by_leaf[id(leaf)]]

    def band_facts(self, leaf: Leaf) -> BandFacts | CompoundFacts | None:
        """Where each band of the leaf's 分档 rule applies (analysed once), or None for other rules."""
        return self.band_analyses[self._by_leaf[id(leaf)]]

    def lowered(self, leaf: Leaf) -> LeafIR | None:
        """The leaf's score IR, lowered as the engines lower it (None when it has no body)."""
        if leaf.body is None:
            return None
        plan = lower_body(self.spec, *((leaf.outer,) if leaf.outer is not None else ()), leaf.body)
        points = abs(leaf.points) if leaf.points is not None else Decimal(0)  # an item's cap may be written -10
        node = Node(leaf.path, leaf.path[-1], points, len(leaf.path), leaf=plan, span=leaf.span)
        return lower_leaf(node, self.spec.places or 0, item=leaf.item)

    def remembered(self, check: str, leaf: Leaf, find: Callable[[], Iterable[Diagnostic]]) -> tuple[Diagnostic, ...]:
        """What the per-leaf part of `check` finds in `leaf`, found again only when the leaf changed
        (or what every leaf reads: the spec-level declarations, 小数, the 自评表); a leaf that only moved
        to other lines gets what was found, moved with it."""
        spec = self.spec
        body, outer, lines, span = self.placements[self._by_leaf[id(leaf)]]
        key = (check, self.shared_ids, spec.places, id(spec.form), id(outer), id(body), leaf.path,
               leaf.points, span, leaf.role, leaf.item)
        kept = (spec.inputs, spec.derived, spec.questionnaires, spec.form, outer, body)
        _kept, found_at, found = _PER_LEAF.get(key, lambda: (kept, lines, tuple(find())))
        return _moved_from(found, leaf, found_at, lines)

    def has_errors(self, leaf: Leaf) -> bool:
        """Whether the leaf's names or units are wrong, so what its rule awards cannot be trusted."""
        return any(d.severity == "error" for d in self.inference(leaf).problems)


def build_context(spec: ast.Spec, sources: dict[str, Source]) -> Context:
    """Infer every leaf's expressions once, so each check can read what it needs."""
    found = tuple(leaves(spec))
    shared = (spec.inputs, spec.derived, spec.questionnaires)
    shared_ids = tuple(id(decl) for group in shared for decl in group)
    inferences, analyses, placements = [], [], []
    for leaf in found:
        placement = _placed(leaf)
        inference, analysis = _inferred(leaf, placement, sources, shared, shared_ids)
        inferences.append(inference)
        analyses.append(analysis)
        placements.append(placement)
    return Context(spec, sources, found, tuple(inferences), tuple(analyses), shared_ids, tuple(placements))


# What inference found in a leaf, by everything it reads. The workbench checks a text per keystroke;
# an unchanged leaf is not inferred again. AST equality leaves spans out, and the problems found
# point into the leaf and the spec-level declarations, so those are known by identity (the
# block-by-block parse hands back the same objects for unchanged blocks, or moved copies of them
# whose first parse idsl.frontend.shift tells) and kept alive in the entry.
_INFERENCES = Memo(20000)
_PER_LEAF = Memo(80000)  # the same, for what each per-leaf check found (Context.remembered)


def _inferred(leaf: Leaf, placement: tuple, sources: dict[str, Source], shared: tuple,
              shared_ids: tuple) -> tuple[Inference, BandFacts | None]:
    body, outer, lines, span = placement
    key = (shared_ids, id(outer), id(body), leaf.path, leaf.points, span, leaf.role, leaf.item)

    def infer():
        inference = Inference(leaf, sources)
        analysis = _infer_leaf(leaf, inference)
        return (shared, outer, body), lines, (tuple(inference.problems), analysis), frozenset(inference.used)

    _kept_alive, found_at, found, used = _INFERENCES.get(key, infer)
    problems, analysis = _moved_from(found, leaf, found_at, lines)
    inference = Inference(leaf, sources)
    inference.problems.extend(problems)
    inference.used.update(used)
    return inference, analysis


def _placed(leaf: Leaf) -> tuple:
    """(the leaf's body and outer body as first parsed, the lines the leaf has moved since, its heading
    where it was first parsed): what is found in a leaf depends on its text, not on where it stands,
    so it is kept by those."""
    bodies = [shift.origin(b) if b is not None else (None, None) for b in (leaf.body, leaf.outer)]
    moves = {lines for _, lines in bodies if lines is not None}
    if len(moves) > 1:  # parsed apart and moved apart: known only as they stand
        return leaf.body, leaf.outer, 0, leaf.span
    lines = moves.pop() if moves else 0
    return bodies[0][0], bodies[1][0], lines, shift.moved(leaf.span, -lines)


def _moved_from(found, leaf: Leaf, found_at: int, lines: int):
    """What was found in the leaf when it stood `found_at` lines from its first parse, moved to where it
    stands now (`lines`): only the spans inside the leaf move, not those of the spec-level declarations."""
    if found_at == lines:
        return found
    first, last = shift.lines_of(leaf.span, leaf.body, leaf.outer, leaf.indicator)
    moved_by = lines - found_at
    return shift.moved(found, moved_by, (first - moved_by, last - moved_by))


def _infer_leaf(leaf: Leaf, inference: Inference) -> BandFacts | CompoundFacts | None:
    """Infer every expression of a leaf once; a 分档 rule's analysis is returned for the checks to share."""
    body = leaf.body
    if body is None:
        return None
    infer_input_ranges(body.inputs, inference)
    for derived in body.derived:
        inference.derived_value(derived, derived.span)
    for special in body.specials:
        infer_condition(special.cond, inference)
    if body.applies is not None:  # 适用 若
        infer_condition(body.applies, inference)
    for adjust in body.adjusts:  # 另扣/另加 count an input (§11.12)
        if adjust.subject is not None:
            inference.lookup(adjust.subject, adjust.span)
    if isinstance(body.rule, ast.ByClass):  # 按类别: every branch's names are the leaf's (each is checked on its own too)
        if ast.CLASS_INPUT in inference.leaf.scope:  # without the 单位类别 line it is E425's to report
            inference.lookup(ast.CLASS_INPUT, body.rule.span)
        for branch in body.rule.branches:
            _infer_rule(branch.rule, inference)
        return None
    return _infer_rule(body.rule, inference)


def _infer_rule(rule, inference: Inference) -> BandFacts | None:
    if isinstance(rule, ast.Formula):
        inference.expr(rule.expr)
    elif isinstance(rule, ast.Bands):
        facts = analyse_bands(rule, inference)
        # Unit and notation problems of the bands count against the leaf (has_errors).
        inference.problems.extend(facts.problems)
        for band in rule.bands:
            infer_condition(band.cond, inference, facts.subject)
            if isinstance(band.outcome, ast.Linear):  # 每增加 1 万元: a step of the subject, in its unit
                inference.same_dim(facts.subject.dim, inference.expr(band.outcome.step).dim, band.outcome.step, "比较")
        return facts
    elif isinstance(rule, ast.Compound):  # 分档 over two subjects: analysed once, its conditions inferred by side
        facts = analyse_compound(rule, inference)
        second = inference.expr(rule.subjects[1])
        for band in rule.bands:
            for cond, subject in zip((band.first, band.second), rule.subjects):
                infer_condition(cond, inference, inference.expr(subject))
            if isinstance(band.outcome, ast.Linear):  # 每降低 1% steps along the second subject, in its unit
                inference.same_dim(second.dim, inference.expr(band.outcome.step).dim, band.outcome.step, "比较")
        return facts
    elif isinstance(rule, ast.Choice):
        inference.lookup(rule.input, rule.span)
    elif isinstance(rule, ast.Qualitative):
        inference.lookup(rule.tier, rule.span)
    elif isinstance(rule, ast.Intervals):
        inference.lookup(rule.rate, rule.span)
        inference.lookup(rule.completed, rule.span)
    elif isinstance(rule, ast.Deviation):
        subject, target = inference.expr(rule.subject), inference.expr(rule.target)
        inference.same_dim(subject.dim, target.dim, rule.target, "比较")
        for amount in (rule.step, rule.limit):  # the steps and the limit measure the gap: in the subject's unit
            if amount is not None:
                inference.same_dim(subject.dim, inference.expr(amount).dim, amount, "比较")
    elif isinstance(rule, (ast.PerFinding, ast.Target)):
        name = rule.subject if isinstance(rule, ast.PerFinding) else rule.actual
        inference.lookup(name, rule.span)
    return None


def infer_input_ranges(inputs, inference: Inference) -> None:
    """A declared 范围's ends are read in the input's own unit: 范围 0～1000000 元 on an amount in 万元 is E409."""
    for decl in inputs:
        own = input_inferred(decl).dim
        for end in (decl.low, decl.high):
            if end is None:
                continue
            inference.same_dim(own, inference.expr(end).dim, end, "比较")
            if decl.kind == "rate" and not end.percent and end.unit is None and abs(end.value) > 1:  # 0～120 reads 12000%
                inference.problems.append(Diagnostic(
                    "E410", f"比率“{decl.name}”的范围写的是 {format(end.value, 'f')}，没有写 %。", end.span,
                    inference.leaf.path, hint=percent_hint(end.value)))


def infer_condition(cond, inference: Inference, subject=None) -> None:
    """Infer a condition's operands, reporting names and comparisons of unlike quantities."""
    if isinstance(cond, ast.BoolOp):
        for part in cond.parts:
            infer_condition(part, inference, subject)
    elif isinstance(cond, ast.Compare):
        found = [inference.expr(operand, subject) for operand in cond.operands]
        for left, right, operand in zip(found, found[1:], cond.operands[1:]):
            inference.same_dim(left.dim, right.dim, operand, "比较")
        if len(found) == 1 and found[0].dim.kind not in ("bool", "unknown"):
            inference.problems.append(Diagnostic(
                "E206", f"单独作条件的量应是“是否”输入，这里是{found[0].dim.describe()}。", cond.span,
                inference.leaf.path, hint="写出比较，例如 实际采购金额 > 采购计划金额。"))
    elif isinstance(cond, ast.Range):
        low, high = inference.expr(cond.low, subject), inference.expr(cond.high, subject)
        inference.same_dim(low.dim, high.dim, cond.high, "比较")


